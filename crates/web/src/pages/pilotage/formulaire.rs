//! The mission letter's form, for a new letter and for a draft: the school
//! year, the referents and their pay, the missions picked per axis from the
//! catalogue (with the letter's own precision) or written freely, the
//! indicators (typed by hand or bound to a figure RefNum computes) with
//! their baseline and target, and the letter's free text. Rows are added
//! one at a time ("Ajouter …"): with JavaScript without leaving the page,
//! without it the form comes back with one more row and nothing saved.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::urls::pilotage as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::imp::{IMP_RATES_CENTS, euros};
use refnum_domain::pilotage::indicateurs::{Direction, Unit, format_value};
use refnum_domain::pilotage::{Axis, SchoolYear};
use refnum_services::pilotage::lettres::{
    self, IndicatorInput, LetterForm, LetterInput, MissionInput, ReferentInput,
};
use refnum_services::prets::today;
use uuid::Uuid;

use super::{axis_label, field, letter_id, metric_label, unit_label};

mod saisie;
use saisie::*;

// ------------------------------------------------------------------ the page

pub struct ReferentRow {
    pub index: usize,
    pub accounts: Vec<Opt>,
    pub imp: bool,
    pub rates: Vec<Opt>,
    pub share: String,
    pub hours: String,
    pub hidden: bool,
}

pub struct CatalogueEntry {
    pub id: String,
    pub label: String,
    pub checked: bool,
    pub detail: String,
}

pub struct AxisBox {
    pub code: &'static str,
    pub label: String,
    pub entries: Vec<CatalogueEntry>,
}

pub struct FreeRow {
    pub index: usize,
    pub axes: Vec<Opt>,
    pub label: String,
    pub detail: String,
    pub hidden: bool,
}

pub struct IndicatorRow {
    pub index: usize,
    pub label: String,
    pub sources: Vec<Opt>,
    pub units: Vec<Opt>,
    pub directions: Vec<Opt>,
    pub baseline: String,
    pub target: String,
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "pilotage/letter_form.html")]
struct FormPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    /// A new letter chooses its year; a draft keeps it.
    years: Option<Vec<Opt>>,
    year_label: String,
    text: String,
    referents: Vec<ReferentRow>,
    referent_rows: usize,
    no_referent: bool,
    axes: Vec<AxisBox>,
    free: Vec<FreeRow>,
    free_rows: usize,
    indicators: Vec<IndicatorRow>,
    indicator_rows: usize,
    errors: FormErrors,
}

/// Rows to show: those asked for, every row holding something or an
/// error, at least one.
fn rows_shown(
    used: impl Iterator<Item = bool>,
    errors: &FormErrors,
    prefix: &str,
    asked: usize,
    max: usize,
) -> usize {
    let used = used
        .enumerate()
        .filter(|(i, u)| {
            *u || errors
                .items
                .iter()
                .any(|e| e.field.starts_with(&format!("{prefix}-{i}-")))
        })
        .map(|(i, _)| i + 1)
        .max()
        .unwrap_or(0);
    asked.max(used).clamp(1, max)
}

struct Asked {
    referents: usize,
    free: usize,
    indicators: usize,
}

/// Where the form is sent, where "Annuler" goes, and the draft's year (a
/// new letter chooses its year).
struct Target {
    action: String,
    cancel_href: String,
    fixed_year: Option<i32>,
}

fn form_page(
    s: &SignedIn,
    f: &LetterForm,
    t: Target,
    shown: Shown,
    errors: FormErrors,
    asked: Asked,
) -> FormPage {
    let Target {
        action,
        cancel_href,
        fixed_year,
    } = t;
    let tr: Tr = s.shell.tr;
    let this = SchoolYear::of(today());
    let heading = match fixed_year {
        Some(y) => tr.t_args("pilotage-edit-title", &[("year", SchoolYear(y).label())]),
        None => tr.t("pilotage-new-title"),
    };
    let current_year = if shown.school_year.is_empty() {
        this.label()
    } else {
        shown.school_year.clone()
    };
    let referent_rows = rows_shown(
        shown.referents.iter().map(|r| !r.account_id.is_empty()),
        &errors,
        "referent",
        asked.referents,
        REFERENT_ROWS,
    );
    let free_rows = rows_shown(
        shown
            .free
            .iter()
            .map(|m| !m.label.is_empty() || !m.detail.is_empty()),
        &errors,
        "free",
        asked.free,
        FREE_MISSION_ROWS,
    );
    let indicator_rows = rows_shown(
        shown
            .indicators
            .iter()
            .map(|i| !i.label.is_empty() || !i.target.is_empty()),
        &errors,
        "indicator",
        asked.indicators,
        INDICATOR_ROWS,
    );
    let referents = (0..REFERENT_ROWS)
        .map(|i| {
            let r = shown.referents.get(i).cloned().unwrap_or_default();
            let mut accounts = vec![Opt::new("", tr.t("pilotage-choose"), &r.account_id)];
            accounts.extend(
                f.referents
                    .iter()
                    .map(|(id, name)| Opt::new(id.to_string(), name.clone(), &r.account_id)),
            );
            let rate = if r.rate_cents.is_empty() {
                "125000".to_string()
            } else {
                r.rate_cents.clone()
            };
            ReferentRow {
                index: i,
                accounts,
                imp: r.remuneration != "hours",
                rates: IMP_RATES_CENTS
                    .iter()
                    .map(|c| Opt::new(c.to_string(), euros(*c), &rate))
                    .collect(),
                share: if r.share.is_empty() {
                    "1".into()
                } else {
                    r.share.clone()
                },
                hours: r.hours.clone(),
                hidden: i >= referent_rows,
            }
        })
        .collect();
    let axes = Axis::ALL
        .iter()
        .map(|a| AxisBox {
            code: a.as_str(),
            label: axis_label(tr, *a),
            entries: f
                .catalogue
                .iter()
                .filter(|c| c.axis == a.as_str())
                .map(|c| {
                    let picked = shown.picked.iter().find(|(p, _)| *p == c.id);
                    CatalogueEntry {
                        id: c.id.to_string(),
                        label: c.label.clone(),
                        checked: picked.is_some(),
                        detail: picked.map(|(_, d)| d.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect();
    let free = (0..FREE_MISSION_ROWS)
        .map(|i| {
            let m = shown.free.get(i).cloned().unwrap_or_default();
            let mut axes = vec![Opt::new("", tr.t("pilotage-choose"), &m.axis)];
            axes.extend(
                Axis::ALL
                    .iter()
                    .map(|a| Opt::new(a.as_str(), axis_label(tr, *a), &m.axis)),
            );
            FreeRow {
                index: i,
                axes,
                label: m.label,
                detail: m.detail,
                hidden: i >= free_rows,
            }
        })
        .collect();
    let indicators = (0..INDICATOR_ROWS)
        .map(|i| {
            let x = shown.indicators.get(i).cloned().unwrap_or_default();
            let source = if x.source.is_empty() {
                "manual".to_string()
            } else {
                x.source.clone()
            };
            let mut sources = vec![Opt::new("manual", tr.t("pilotage-source-manual"), &source)];
            sources.extend(f.metrics.iter().map(|m| {
                Opt::new(
                    m.as_str(),
                    tr.t_args("pilotage-source-bound", &[("metric", metric_label(tr, *m))]),
                    &source,
                )
            }));
            let unit = if x.unit.is_empty() {
                "count".to_string()
            } else {
                x.unit.clone()
            };
            let direction = if x.direction.is_empty() {
                "higher".to_string()
            } else {
                x.direction.clone()
            };
            IndicatorRow {
                index: i,
                label: x.label,
                sources,
                units: Unit::ALL
                    .iter()
                    .map(|u| Opt::new(u.as_str(), unit_label(tr, *u), &unit))
                    .collect(),
                directions: Direction::ALL
                    .iter()
                    .map(|d| {
                        Opt::new(
                            d.as_str(),
                            tr.t(&format!("pilotage-direction-{}", d.as_str())),
                            &direction,
                        )
                    })
                    .collect(),
                baseline: x.baseline,
                target: x.target,
                hidden: i >= indicator_rows,
            }
        })
        .collect();
    FormPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action,
        cancel_href,
        years: fixed_year.is_none().then(|| {
            [this, SchoolYear(this.0 + 1)]
                .iter()
                .map(|y| Opt::new(y.label(), y.label(), &current_year))
                .collect()
        }),
        year_label: fixed_year
            .map(|y| SchoolYear(y).label())
            .unwrap_or_default(),
        text: shown.text,
        referents,
        referent_rows,
        no_referent: f.referents.is_empty(),
        axes,
        free,
        free_rows,
        indicators,
        indicator_rows,
        errors,
    }
}

fn catalogue_ids(f: &LetterForm) -> Vec<Uuid> {
    f.catalogue.iter().map(|c| c.id).collect()
}

/// Which "add a row" button was pressed, if one was: the same form comes
/// back with one more row of that part.
fn asked_rows(pairs: &[(String, String)]) -> (Asked, bool) {
    let n = |k: &str| field(pairs, k).trim().parse::<usize>().unwrap_or(1);
    let mut a = Asked {
        referents: n("referent_rows"),
        free: n("free_rows"),
        indicators: n("indicator_rows"),
    };
    let add = field(pairs, "ajouter");
    match add {
        "referent" => a.referents += 1,
        "mission" => a.free += 1,
        "indicateur" => a.indicators += 1,
        _ => return (a, false),
    }
    (a, true)
}

pub async fn new_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let f = lettres::form(&state.db, &s.ctx, id).await?;
    let shown = Shown {
        school_year: SchoolYear::of(today()).label(),
        referents: f
            .referents
            .iter()
            .take(1)
            .map(|(a, _)| ReferentInput {
                account_id: a.to_string(),
                remuneration: "imp".into(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let asked = Asked {
        referents: 1,
        free: 1,
        indicators: 1,
    };
    let p = form_page(
        &s,
        &f,
        Target {
            action: u::new_letter(id),
            cancel_href: u::letters(id),
            fixed_year: None,
        },
        shown,
        FormErrors::default(),
        asked,
    );
    Ok(render(&p))
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = lettres::form(&state.db, &s.ctx, id).await?;
    let cat = catalogue_ids(&f);
    let shown = shown_from(&pairs, &cat);
    let (asked, adding) = asked_rows(&pairs);
    if adding {
        let p = form_page(
            &s,
            &f,
            Target {
                action: u::new_letter(id),
                cancel_href: u::letters(id),
                fixed_year: None,
            },
            shown,
            FormErrors::default(),
            asked,
        );
        return Ok(render(&p));
    }
    match lettres::create(&state.db, &s.ctx, id, &shown.input(&cat)).await {
        Ok(lid) => Ok(done(&u::letter(id, lid), "lettre-creee")),
        Err(e) => {
            let mut errors = field_errors(s.shell.tr, e)?;
            rename_mission_errors(&mut errors, &shown, &cat);
            let p = form_page(
                &s,
                &f,
                Target {
                    action: u::new_letter(id),
                    cancel_href: u::letters(id),
                    fixed_year: None,
                },
                shown,
                errors,
                asked,
            );
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let f = lettres::form(&state.db, &s.ctx, id).await?;
    let v = lettres::view(&state.db, &s.ctx, id, lid).await?;
    if !refnum_domain::pilotage::lettre::editable(v.status) {
        return Ok(done(&u::letter(id, lid), "lettre-non-modifiable"));
    }
    let shown = shown_of(&v);
    let asked = Asked {
        referents: shown.referents.len(),
        free: shown.free.len(),
        indicators: shown.indicators.len(),
    };
    let p = form_page(
        &s,
        &f,
        Target {
            action: u::edit(id, lid),
            cancel_href: u::letter(id, lid),
            fixed_year: Some(v.letter.school_year),
        },
        shown,
        FormErrors::default(),
        asked,
    );
    Ok(render(&p))
}

pub async fn update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let f = lettres::form(&state.db, &s.ctx, id).await?;
    let v = lettres::view(&state.db, &s.ctx, id, lid).await?;
    let cat = catalogue_ids(&f);
    let mut shown = shown_from(&pairs, &cat);
    shown.school_year = SchoolYear(v.letter.school_year).label();
    let (asked, adding) = asked_rows(&pairs);
    let year = Some(v.letter.school_year);
    if adding {
        let p = form_page(
            &s,
            &f,
            Target {
                action: u::edit(id, lid),
                cancel_href: u::letter(id, lid),
                fixed_year: year,
            },
            shown,
            FormErrors::default(),
            asked,
        );
        return Ok(render(&p));
    }
    match lettres::update(&state.db, &s.ctx, id, lid, &shown.input(&cat)).await {
        Ok(()) => Ok(done(&u::letter(id, lid), "enregistre")),
        Err(e) => {
            let mut errors = field_errors(s.shell.tr, e)?;
            rename_mission_errors(&mut errors, &shown, &cat);
            let p = form_page(
                &s,
                &f,
                Target {
                    action: u::edit(id, lid),
                    cancel_href: u::letter(id, lid),
                    fixed_year: year,
                },
                shown,
                errors,
                asked,
            );
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
