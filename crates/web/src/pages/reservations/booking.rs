//! The booking form, the recurring booking's preview, cancel and decide.

use super::{path_id, weekday_label};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::urls::reservations as urls;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::booking::{fmt_hhmm, parse_date};
use refnum_services::reservations::book::{self, BookingInput, OccState, Outcome, Refusal};
use uuid::Uuid;

/// The booking form's fields (also carried, hidden, by the preview).
#[derive(serde::Deserialize, Default, Clone)]
pub struct BookForm {
    #[serde(default)]
    for_account: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    slot_from: String,
    #[serde(default)]
    slot_to: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    repeat: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    structure: String,
    #[serde(default)]
    note: String,
    /// `confirm` books; `edit` goes back to the form; else a recurring
    /// booking is previewed first.
    #[serde(default)]
    step: String,
}

impl BookForm {
    fn input(&self) -> BookingInput {
        BookingInput {
            for_account: self.for_account.clone(),
            day: self.day.clone(),
            mode: if self.mode == "time" {
                "time".into()
            } else {
                "slots".into()
            },
            slot_from: self.slot_from.clone(),
            slot_to: self.slot_to.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
            repeat: !self.repeat.is_empty() && self.repeat != "0",
            until: self.until.clone(),
            structure: self.structure.clone(),
            note: self.note.clone(),
        }
    }
}

/// `?jour=AAAA-MM-JJ&creneau=<slot id>` from a free cell of the week.
#[derive(serde::Deserialize, Default)]
pub struct BookQuery {
    jour: Option<String>,
    creneau: Option<String>,
}

#[derive(Template)]
#[template(path = "reservations/book.html")]
struct BookPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    children: Vec<String>,
    needs_approval: bool,
    f: BookForm,
    slots_from: Vec<Opt>,
    slots_to: Vec<Opt>,
    people: Vec<Opt>,
    structures: Vec<Opt>,
    errors: FormErrors,
}

async fn book_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    rid: Uuid,
    f: BookForm,
    errors: FormErrors,
) -> Result<BookPage, PageError> {
    let tr = s.shell.tr;
    let d = book::form_data(&state.db, &s.ctx, id, rid).await?;
    let heading = tr.t_args("resa-book-title", &[("name", d.resource.name.clone())]);
    let slot_opt = |first: &str, current: &str| {
        let mut v = vec![Opt::new("", tr.t(first), current)];
        v.extend(d.slots.iter().map(|sl| {
            Opt::new(
                sl.id.to_string(),
                format!(
                    "{} ({}–{})",
                    sl.code,
                    fmt_hhmm(sl.start_min),
                    fmt_hhmm(sl.end_min)
                ),
                current,
            )
        }));
        v
    };
    let mut people = vec![];
    if d.rights.on_behalf {
        people.push(Opt::new("", tr.t("resa-for-me"), &f.for_account));
        people.extend(
            d.people
                .iter()
                .filter(|(p, _)| *p != s.ctx.account.id)
                .map(|(p, n)| Opt::new(p.to_string(), n.clone(), &f.for_account)),
        );
    }
    let mut structures = vec![Opt::new("", tr.t("resa-structure-none"), &f.structure)];
    structures.extend(
        d.structures
            .iter()
            .map(|(sid, code)| Opt::new(sid.to_string(), code.clone(), &f.structure)),
    );
    Ok(BookPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: urls::book(id, rid),
        cancel_href: urls::resource(id, rid),
        children: d.resource.children.clone(),
        needs_approval: d.resource.approval_role().is_some(),
        slots_from: slot_opt("resa-slot-choose", &f.slot_from),
        slots_to: slot_opt("resa-slot-same", &f.slot_to),
        people,
        structures,
        f,
        errors,
    })
}

pub async fn form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Query(q): Query<BookQuery>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let f = BookForm {
        day: q
            .jour
            .as_deref()
            .and_then(parse_date)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        slot_from: q.creneau.unwrap_or_default().chars().take(40).collect(),
        mode: "slots".into(),
        ..Default::default()
    };
    Ok(render(
        &book_page(&state, &s, id, rid, f, FormErrors::default()).await?,
    ))
}

fn refusal_errors(tr: Tr, r: &Refusal) -> FormErrors {
    let args: Vec<(&str, String)> = r.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    FormErrors {
        items: vec![FieldMsg {
            field: r.field.to_string(),
            message: tr.t_args(r.key, &args),
        }],
    }
}

pub struct PreviewLine {
    pub date: String,
    pub state: String,
    /// `free`, `skipped`, `conflict`, `refused`.
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "reservations/preview.html")]
struct PreviewPage {
    page: Page,
    heading: String,
    action: String,
    summary: String,
    /// A warning naming the school years without holidays, or empty.
    unknown_years: String,
    lines: Vec<PreviewLine>,
    free: usize,
    confirm_label: String,
    f: BookForm,
}

pub async fn submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Form(f): Form<BookForm>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let tr = s.shell.tr;
    let input = f.input();
    if f.step == "edit" {
        return Ok(render(
            &book_page(&state, &s, id, rid, f, FormErrors::default()).await?,
        ));
    }
    if input.repeat && f.step != "confirm" {
        let plan = match book::preview(&state.db, &s.ctx, id, rid, &input).await {
            Ok(p) => p,
            Err(e) => {
                let errors = field_errors(tr, e)?;
                let p = book_page(&state, &s, id, rid, f, errors).await?;
                return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
            }
        };
        let heading = tr.t_args(
            "resa-preview-title",
            &[("name", plan.resource.name.clone())],
        );
        let free = plan.free();
        let lines = plan
            .occurrences
            .iter()
            .map(|o| {
                let (state, class) = match &o.state {
                    OccState::Free => (tr.t("resa-occ-free"), "free"),
                    OccState::Skipped(label) => (
                        tr.t_args("resa-occ-skipped", &[("label", label.clone())]),
                        "skipped",
                    ),
                    OccState::Conflict(r) => {
                        let args: Vec<(&str, String)> =
                            r.args.iter().map(|(k, v)| (*k, v.clone())).collect();
                        (tr.t_args(r.key, &args), "conflict")
                    }
                    OccState::Refused(r) => {
                        let args: Vec<(&str, String)> =
                            r.args.iter().map(|(k, v)| (*k, v.clone())).collect();
                        (tr.t_args(r.key, &args), "refused")
                    }
                };
                PreviewLine {
                    date: weekday_label(tr, o.day),
                    state,
                    class,
                }
            })
            .collect();
        let summary = tr.t_args(
            "resa-preview-summary",
            &[
                ("span", plan.span.clone()),
                ("total", plan.occurrences.len().to_string()),
                ("free", free.to_string()),
                ("for", plan.for_name.clone()),
            ],
        );
        let p = PreviewPage {
            page: s.shell.page_titled(heading.clone()),
            heading,
            action: urls::book(id, rid),
            summary,
            unknown_years: if plan.unknown_years.is_empty() {
                String::new()
            } else {
                tr.t_args(
                    "resa-preview-unknown-years",
                    &[("years", plan.unknown_years.join(", "))],
                )
            },
            lines,
            confirm_label: tr.t_args("resa-preview-confirm", &[("count", free.to_string())]),
            free,
            f,
        };
        return Ok(render(&p));
    }
    match book::create(&state.db, &s.ctx, id, rid, &input).await {
        Ok(Outcome::Booked { pending, .. }) => {
            let day = parse_date(&input.day).unwrap_or_else(refnum_services::reservations::today);
            Ok(done(
                &urls::week(id, rid, day),
                if pending {
                    "resa-en-attente"
                } else {
                    "resa-reservee"
                },
            ))
        }
        Ok(Outcome::Refused(r)) => {
            let errors = refusal_errors(tr, &r);
            let p = book_page(&state, &s, id, rid, f, errors).await?;
            Ok(render_status(StatusCode::CONFLICT, &p))
        }
        Err(e) => {
            let errors = field_errors(tr, e)?;
            let p = book_page(&state, &s, id, rid, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CancelForm {
    #[serde(default)]
    series: String,
    /// Where to go back (a path of this school's booking pages).
    #[serde(default)]
    back: String,
}

fn back_to(id: Uuid, back: &str) -> String {
    if back.starts_with(&urls::home(id)) && !back.contains("//") {
        back.to_string()
    } else {
        urls::mine(id)
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, bid)): Path<(Uuid, String)>,
    Form(f): Form<CancelForm>,
) -> Result<Response, PageError> {
    let bid = path_id(&bid)?;
    match book::cancel(&state.db, &s.ctx, id, bid, f.series == "1").await {
        Ok(_) => Ok(done(&back_to(id, &f.back), "resa-annulee")),
        Err(refnum_services::ServiceError::Invalid(_)) => Err(PageError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
}

pub async fn decide(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, bid)): Path<(Uuid, String)>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    let bid = path_id(&bid)?;
    let approve = match f.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(PageError::BadRequest),
    };
    book::decide(&state.db, &s.ctx, id, bid, approve).await?;
    Ok(done(
        &urls::mine(id),
        if approve {
            "resa-approuvee"
        } else {
            "resa-refusee"
        },
    ))
}
