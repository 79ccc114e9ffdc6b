//! The school's mission letters: the list, one letter (what it says, its
//! state, the steps the caller may take, an amendment's differences, the
//! drafting comments), its printable A4 page, and the steps themselves.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{SignedIn, When, fmt_time, render, render_status};
use crate::urls::pilotage as u;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::indicateurs::on_target;
use refnum_domain::pilotage::lettre::{
    self as rules, Change, IndicatorLine, IndicatorSource, LetterStatus, MissionLine, ReferentPart,
};
use refnum_domain::pilotage::{Axis, SchoolYear};
use refnum_services::pilotage::{lettres, mesures};
use uuid::Uuid;

use super::{axis_label, letter_id, metric_label, remuneration_text, status_label, value_text};

// --------------------------------------------------------------------- list

pub struct LetterRow {
    pub href: String,
    pub year: String,
    pub version: i32,
    pub status: String,
    pub status_code: &'static str,
    pub updated: When,
}

#[derive(Template)]
#[template(path = "pilotage/letters.html")]
struct ListPage {
    page: Page,
    heading: String,
    rows: Vec<LetterRow>,
    new_href: Option<String>,
}

fn rows_of(tr: Tr, etab: Uuid, l: &lettres::Letters) -> Vec<LetterRow> {
    l.letters
        .iter()
        .map(|x| {
            let st = lettres_status(x);
            LetterRow {
                href: u::letter(etab, x.id),
                year: SchoolYear(x.school_year).label(),
                version: x.version,
                status: status_label(tr, st),
                status_code: super::status_tag(st),
                updated: fmt_time(tr, &x.updated_at),
            }
        })
        .collect()
}

fn lettres_status(l: &refnum_db::entities::pilotage::lettre::Model) -> LetterStatus {
    LetterStatus::parse(&l.status).unwrap_or(LetterStatus::Draft)
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let l = lettres::list(&state.db, &s.ctx, id).await?;
    let tr = s.shell.tr;
    let heading = tr.t("pilotage-letters-title");
    Ok(render(&ListPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        rows: rows_of(tr, id, &l),
        new_href: l.rights.draft.then(|| u::new_letter(id)),
    }))
}

// --------------------------------------------------------------- one letter

pub struct ReferentView {
    pub name: String,
    pub pay: String,
    pub acknowledged: Option<When>,
    /// The same date in full, for the printed letter.
    pub acknowledged_long: Option<String>,
}

pub struct MissionView {
    pub label: String,
    pub detail: Vec<String>,
}

pub struct AxisView {
    pub label: String,
    pub missions: Vec<MissionView>,
}

pub struct IndicatorView {
    pub label: String,
    pub source: String,
    pub baseline: String,
    pub target: String,
    /// A bound indicator's value now, whether it meets the target, and
    /// what it counts.
    pub current: Option<String>,
    pub current_reached: bool,
    pub definition: Option<String>,
    /// At the year-end review: the value reached, whether it meets the
    /// target, the comment.
    pub final_value: Option<String>,
    pub reached: bool,
    pub final_comment: String,
}

pub struct AxisReview {
    pub label: String,
    pub lines: Vec<String>,
}

pub struct CommentView {
    pub author: String,
    pub at: When,
    pub lines: Vec<String>,
}

/// The letter as both the page and its print show it.
pub struct Body {
    pub school: String,
    pub year: String,
    pub version: i32,
    pub referents: Vec<ReferentView>,
    pub axes: Vec<AxisView>,
    pub indicators: Vec<IndicatorView>,
    pub text: Vec<String>,
    pub signed: Option<String>,
    pub hash: String,
    /// The year-end review, once written.
    pub reviewed: Option<String>,
    pub axis_reviews: Vec<AxisReview>,
    /// The bound indicators' values now are shown (the page, not the print).
    pub live: bool,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn indicator_view(tr: Tr, i: &IndicatorLine) -> IndicatorView {
    let unit = i.source.unit();
    IndicatorView {
        label: i.label.clone(),
        source: match i.source {
            IndicatorSource::Bound { metric } => tr.t_args(
                "pilotage-source-bound",
                &[("metric", metric_label(tr, metric))],
            ),
            IndicatorSource::Manual { .. } => tr.t("pilotage-source-manual"),
        },
        baseline: i
            .baseline
            .map(|b| value_text(tr, unit, b))
            .unwrap_or_else(|| tr.t("pilotage-baseline-none")),
        target: value_text(tr, unit, i.target),
        current: None,
        current_reached: false,
        definition: match i.source {
            IndicatorSource::Bound { metric } => Some(tr.t(mesures::definition_key(metric))),
            IndicatorSource::Manual { .. } => None,
        },
        final_value: None,
        reached: false,
        final_comment: String::new(),
    }
}

fn body_of(tr: Tr, v: &lettres::LetterView, now: Option<&mesures::Mesures>) -> Body {
    let c = &v.content;
    let acks = &v.parts.referents;
    Body {
        school: format!("{} ({})", v.etab.name, v.etab.uai),
        year: SchoolYear(c.school_year).label(),
        version: v.letter.version,
        referents: c
            .referents
            .iter()
            .map(|r| ReferentView {
                name: r.name.clone(),
                pay: remuneration_text(tr, &r.remuneration),
                acknowledged: acks
                    .iter()
                    .find(|x| x.account_id == Some(r.account_id))
                    .and_then(|x| x.acknowledged_at)
                    .map(|t| fmt_time(tr, &t)),
                acknowledged_long: acks
                    .iter()
                    .find(|x| x.account_id == Some(r.account_id))
                    .and_then(|x| x.acknowledged_at)
                    .map(|t| super::long_date(tr, &t)),
            })
            .collect(),
        axes: Axis::ALL
            .iter()
            .filter_map(|a| {
                let missions: Vec<MissionView> = c
                    .missions
                    .iter()
                    .filter(|m| m.axis == *a)
                    .map(|m| MissionView {
                        label: m.label.clone(),
                        detail: lines(&m.detail),
                    })
                    .collect();
                (!missions.is_empty()).then(|| AxisView {
                    label: axis_label(tr, *a),
                    missions,
                })
            })
            .collect(),
        indicators: c
            .indicators
            .iter()
            .zip(&v.parts.indicators)
            .map(|(i, stored)| {
                let mut view = indicator_view(tr, i);
                if let (IndicatorSource::Bound { metric }, Some(m)) = (i.source, now) {
                    view.current = Some(match m.value(metric) {
                        Some(x) => {
                            view.current_reached = on_target(metric.direction(), x, i.target);
                            value_text(tr, metric.unit(), x)
                        }
                        None => tr.t("pilotage-current-none"),
                    });
                }
                if let Some(x) = stored.final_value {
                    view.final_value = Some(value_text(tr, i.source.unit(), x));
                    view.reached = on_target(i.source.direction(), x, i.target);
                }
                view.final_comment = stored.final_comment.clone();
                view
            })
            .collect(),
        text: lines(&c.text),
        signed: match (&v.letter.signed_at, &v.signed_by_name) {
            (Some(at), name) => Some(tr.t_args(
                "pilotage-signed-by",
                &[
                    ("name", name.clone().unwrap_or_default()),
                    ("date", super::long_date(tr, at)),
                ],
            )),
            _ => None,
        },
        hash: v
            .letter
            .signed_hash
            .clone()
            .unwrap_or_else(|| v.hash.clone()),
        reviewed: v.letter.reviewed_at.map(|at| {
            tr.t_args(
                "pilotage-reviewed-on",
                &[("date", super::long_date(tr, &at))],
            )
        }),
        live: now.is_some(),
        axis_reviews: Axis::ALL
            .iter()
            .filter_map(|a| {
                v.reviews
                    .iter()
                    .find(|r| r.axis == a.as_str())
                    .map(|r| AxisReview {
                        label: axis_label(tr, *a),
                        lines: lines(&r.comment),
                    })
            })
            .collect(),
    }
}

/// One line of an amendment's differences.
pub struct DiffLine {
    pub kind: &'static str,
    pub kind_label: String,
    pub text: String,
}

fn diff_lines(tr: Tr, old: &rules::LetterContent, new: &rules::LetterContent) -> Vec<DiffLine> {
    let d = rules::diff(old, new);
    let mut out = vec![];
    let mut push = |kind: &'static str, text: String| {
        out.push(DiffLine {
            kind,
            kind_label: tr.t(&format!("pilotage-diff-{kind}")),
            text,
        })
    };
    let referent =
        |r: &ReferentPart| format!("{} — {}", r.name, remuneration_text(tr, &r.remuneration));
    let mission = |m: &MissionLine| {
        let d = m.detail.trim();
        if d.is_empty() {
            format!("{} : {}", axis_label(tr, m.axis), m.label)
        } else {
            format!("{} : {} ({d})", axis_label(tr, m.axis), m.label)
        }
    };
    let indicator = |i: &IndicatorLine| {
        let v = indicator_view(tr, i);
        tr.t_args(
            "pilotage-diff-indicator",
            &[
                ("label", v.label),
                ("baseline", v.baseline),
                ("target", v.target),
            ],
        )
    };
    fn each<T>(
        changes: &[Change<T>],
        show: &dyn Fn(&T) -> String,
        push: &mut dyn FnMut(&'static str, String),
    ) {
        for c in changes {
            match c {
                Change::Added(x) => push("added", show(x)),
                Change::Removed(x) => push("removed", show(x)),
                Change::Changed { before, after } => {
                    push("changed", format!("{} → {}", show(before), show(after)))
                }
            }
        }
    }
    each(&d.referents, &referent, &mut push);
    each(&d.missions, &mission, &mut push);
    each(&d.indicators, &indicator, &mut push);
    if d.text.is_some() {
        push("changed", tr.t("pilotage-diff-text"));
    }
    out
}

#[derive(Template)]
#[template(path = "pilotage/letter.html")]
struct ShowPage {
    page: Page,
    heading: String,
    status: String,
    status_code: &'static str,
    body: Body,
    list_href: String,
    print_href: String,
    edit_href: Option<String>,
    step_href: String,
    can_propose: bool,
    can_withdraw: bool,
    sign_href: Option<String>,
    acknowledge_href: Option<String>,
    amend_href: Option<String>,
    copy_href: Option<String>,
    review_href: Option<String>,
    comments_href: Option<String>,
    comments: Vec<CommentView>,
    comment: String,
    previous: Option<i32>,
    diff: Vec<DiffLine>,
    errors: FormErrors,
}

/// Where a letter stands among the school's: the latest version of its
/// year, and whether the next year has no letter yet.
struct Around {
    latest_version: i32,
    next_year_free: bool,
}

fn show_page(
    s: &SignedIn,
    id: Uuid,
    v: &lettres::LetterView,
    now: Option<&mesures::Mesures>,
    around: Around,
    errors: FormErrors,
    comment: String,
) -> ShowPage {
    let Around {
        latest_version,
        next_year_free,
    } = around;
    let tr = s.shell.tr;
    let lid = v.letter.id;
    let body = body_of(tr, v, now);
    let heading = tr.t_args(
        "pilotage-letter-heading",
        &[
            ("year", body.year.clone()),
            ("version", body.version.to_string()),
        ],
    );
    let r = v.rights;
    let st = v.status;
    let mine = v
        .parts
        .referents
        .iter()
        .find(|x| x.account_id == Some(s.ctx.account.id));
    ShowPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        status: status_label(tr, st),
        status_code: super::status_tag(st),
        list_href: u::letters(id),
        print_href: u::print(id, lid),
        edit_href: (r.draft && rules::editable(st)).then(|| u::edit(id, lid)),
        step_href: u::step(id, lid),
        can_propose: r.draft && st == LetterStatus::Draft,
        can_withdraw: r.draft && st == LetterStatus::Proposed,
        sign_href: (r.sign && st == LetterStatus::Proposed).then(|| u::sign(id, lid)),
        acknowledge_href: mine
            .filter(|m| m.acknowledged_at.is_none() && rules::amendable(st))
            .map(|_| u::acknowledge(id, lid)),
        amend_href: (r.draft && rules::amendable(st) && v.letter.version == latest_version)
            .then(|| u::amend(id, lid)),
        copy_href: (r.draft && next_year_free && v.letter.version == latest_version)
            .then(|| u::copy(id, lid)),
        review_href: (r.draft && rules::amendable(st) && v.letter.version == latest_version)
            .then(|| u::review(id, lid)),
        comments_href: (r.draft && matches!(st, LetterStatus::Draft | LetterStatus::Proposed))
            .then(|| u::comments(id, lid)),
        comments: v
            .comments
            .iter()
            .map(|c| CommentView {
                author: c.author_name.clone(),
                at: fmt_time(tr, &c.created_at),
                lines: lines(&c.body),
            })
            .collect(),
        comment,
        previous: v.previous.as_ref().map(|(n, _)| *n),
        diff: v
            .previous
            .as_ref()
            .map(|(_, old)| diff_lines(tr, old, &v.content))
            .unwrap_or_default(),
        body,
        errors,
    }
}

pub(super) async fn render_show(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    lid: Uuid,
    errors: FormErrors,
    comment: String,
) -> Result<Response, PageError> {
    let v = lettres::view(&state.db, &s.ctx, id, lid).await?;
    let all = lettres::list(&state.db, &s.ctx, id).await?;
    let latest = all
        .letters
        .iter()
        .filter(|x| x.school_year == v.letter.school_year)
        .map(|x| x.version)
        .max()
        .unwrap_or(v.letter.version);
    let next_free = !all
        .letters
        .iter()
        .any(|x| x.school_year == v.letter.school_year + 1);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let bound = v
        .content
        .indicators
        .iter()
        .any(|i| matches!(i.source, IndicatorSource::Bound { .. }));
    let now = if bound {
        Some(mesures::current(&state.db, &v.etab, chrono::Utc::now()).await?)
    } else {
        None
    };
    let around = Around {
        latest_version: latest,
        next_year_free: next_free,
    };
    let p = show_page(s, id, &v, now.as_ref(), around, errors, comment);
    Ok(render_status(status, &p))
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    render_show(&state, &s, id, lid, FormErrors::default(), String::new()).await
}

#[derive(Template)]
#[template(path = "pilotage/print.html")]
struct PrintPage {
    page: Page,
    heading: String,
    status: String,
    draft: bool,
    body: Body,
    back_href: String,
}

pub async fn print(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let v = lettres::view(&state.db, &s.ctx, id, lid).await?;
    let tr = s.shell.tr;
    let body = body_of(tr, &v, None);
    let heading = tr.t_args("pilotage-print-heading", &[("year", body.year.clone())]);
    Ok(render(&PrintPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        status: status_label(tr, v.status),
        draft: !rules::amendable(v.status),
        body,
        back_href: u::letter(id, lid),
    }))
}
