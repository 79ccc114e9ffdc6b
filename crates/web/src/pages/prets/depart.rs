//! The departure form: a loan of equipment to a pupil or a staff member,
//! with its checklist of accessories.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::urls;
use crate::urls::prets as u;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};
use refnum_domain::loan::{DepartureState, LoanEnd};
use refnum_services::prets::lend::{self, ITEM_ROWS, ItemInput, LendInput};
use uuid::Uuid;

use super::{code_label, cut, field};

/// One row of the departure checklist as the form shows it.
pub struct ItemRow {
    pub index: usize,
    pub what: String,
    pub present: bool,
    pub remarks: String,
    pub error: Option<String>,
    pub what_label: String,
    pub present_label: String,
    pub remarks_label: String,
    /// Beyond the rows asked for: in the page, hidden until "Ajouter un
    /// accessoire" shows it.
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "prets/form.html")]
struct FormPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    input: LendInput,
    pupils: Vec<Opt>,
    staff: Vec<Opt>,
    ends: Vec<Opt>,
    states: Vec<Opt>,
    items: Vec<ItemRow>,
    /// Accessory rows shown; the add button while some are hidden.
    rows: usize,
    can_add: bool,
    /// The inventory numbers offered as one types.
    suggest_href: String,
    charter: String,
    /// Where to write the charter when there is none yet (the lend form is
    /// for the loan managers, who also write the charter).
    charter_href: Option<String>,
    errors: FormErrors,
}

/// The accessory rows to show: those asked for, every row that holds
/// something or an error, at least one.
fn rows_shown(input: &LendInput, errors: &FormErrors, asked: usize) -> usize {
    let used = (0..ITEM_ROWS)
        .filter(|&i| {
            errors.get(lend::item_field(i)).is_some()
                || input
                    .items
                    .get(i)
                    .is_some_and(|it| !it.what.trim().is_empty() || !it.remarks.trim().is_empty())
        })
        .map(|i| i + 1)
        .max()
        .unwrap_or(0);
    asked.max(used).clamp(1, ITEM_ROWS)
}

fn form_page(
    s: &SignedIn,
    etab: Uuid,
    f: lend::LendForm,
    input: LendInput,
    errors: FormErrors,
    asked_rows: usize,
) -> FormPage {
    let tr = s.shell.tr;
    let heading = tr.t("loan-new-title");
    let rows = rows_shown(&input, &errors, asked_rows);
    let items = (0..ITEM_ROWS)
        .map(|i| {
            let it = input.items.get(i).cloned().unwrap_or(ItemInput {
                present: true,
                ..Default::default()
            });
            let n = [("n", (i + 1).to_string())];
            ItemRow {
                what_label: tr.t_args("loan-item-what", &n),
                present_label: tr.t_args("loan-item-present", &n),
                remarks_label: tr.t_args("loan-item-remarks", &n),
                index: i,
                error: errors.get(lend::item_field(i)).map(str::to_string),
                what: it.what,
                present: it.present,
                remarks: it.remarks,
                hidden: i >= rows,
            }
        })
        .collect();
    FormPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: u::new_loan(etab),
        cancel_href: u::loans(etab),
        pupils: f
            .pupils
            .iter()
            .map(|p| {
                let label = match &p.class_code {
                    Some(c) => format!("{} {} ({c})", p.last_name, p.first_name),
                    None => format!("{} {}", p.last_name, p.first_name),
                };
                Opt::new(format!("pupil:{}", p.id), label, &input.borrower)
            })
            .collect(),
        staff: f
            .staff
            .iter()
            .map(|(id, n)| Opt::new(format!("staff:{id}"), n.clone(), &input.borrower))
            .collect(),
        ends: LoanEnd::ALL
            .iter()
            .map(|e| {
                Opt::new(
                    e.as_str(),
                    code_label(tr, "loan-end", e.as_str()),
                    &input.end_kind,
                )
            })
            .collect(),
        states: DepartureState::ALL
            .iter()
            .map(|e| {
                Opt::new(
                    e.as_str(),
                    code_label(tr, "loan-departure", e.as_str()),
                    &input.departure_state,
                )
            })
            .collect(),
        items,
        rows,
        can_add: rows < ITEM_ROWS,
        suggest_href: u::asset_suggestions(etab),
        charter_href: f.charter.is_none().then(|| urls::prets::charter(etab)),
        charter: match &f.charter {
            Some(c) => tr.t_args(
                "loan-charter-in-force",
                &[
                    ("version", c.version.to_string()),
                    ("title", c.title.clone()),
                ],
            ),
            None => tr.t("loan-charter-none"),
        },
        input,
        errors,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    materiel: Option<String>,
    emprunteur: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(nq): Query<NewQuery>,
) -> Result<Response, PageError> {
    let f = lend::form(&state.db, &s.ctx, id).await?;
    let today = f.today;
    let input = LendInput {
        asset: cut(&nq.materiel, 60),
        borrower: cut(&nq.emprunteur, 60),
        start_on: today.to_string(),
        due_on: String::new(),
        end_kind: "return".into(),
        departure_state: "good".into(),
        ..Default::default()
    };
    Ok(render(&form_page(
        &s,
        id,
        f,
        input,
        FormErrors::default(),
        1,
    )))
}

fn lend_input(pairs: &[(String, String)]) -> LendInput {
    LendInput {
        asset: field(pairs, "asset").into(),
        borrower: field(pairs, "borrower").into(),
        start_on: field(pairs, "start_on").into(),
        due_on: field(pairs, "due_on").into(),
        end_kind: field(pairs, "end_kind").into(),
        departure_state: field(pairs, "departure_state").into(),
        departure_remarks: field(pairs, "departure_remarks").into(),
        items: (0..ITEM_ROWS)
            .map(|i| ItemInput {
                what: field(pairs, &format!("item-{i}-what")).into(),
                present: !field(pairs, &format!("item-{i}-present")).is_empty(),
                remarks: field(pairs, &format!("item-{i}-remarks")).into(),
            })
            .collect(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = lend_input(&pairs);
    let asked: usize = field(&pairs, "rows").trim().parse().unwrap_or(1);
    // "Ajouter un accessoire" without JavaScript: the same form, one more
    // row, nothing lent.
    if field(&pairs, "ajouter") == "accessoire" {
        let f = lend::form(&state.db, &s.ctx, id).await?;
        let p = form_page(&s, id, f, input, FormErrors::default(), asked + 1);
        return Ok(render(&p));
    }
    match lend::lend(&state.db, &s.ctx, id, &input).await {
        Ok(l) => Ok(done(&u::loan(id, l.id), "pret-cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let f = lend::form(&state.db, &s.ctx, id).await?;
            let p = form_page(&s, id, f, input, errors, asked);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

/// `?q=`: the school's equipment whose inventory or serial number starts
/// with `q`, for the departure form's lookup (JSON: value and label).
#[derive(serde::Deserialize, Default)]
pub struct SuggestQuery {
    q: Option<String>,
}

#[derive(serde::Serialize)]
pub struct Suggestion {
    value: String,
    label: String,
}

pub async fn asset_suggestions(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(sq): Query<SuggestQuery>,
) -> Result<Json<Vec<Suggestion>>, PageError> {
    let tr = s.shell.tr;
    let found = lend::suggest_assets(&state.db, &s.ctx, id, &cut(&sq.q, 200)).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|a| {
                let what = format!("{} {}", a.manufacturer, a.model).trim().to_string();
                let status = tr.t(&format!("parc-status-{}", a.status));
                Suggestion {
                    label: if what.is_empty() {
                        status
                    } else {
                        format!("{what} — {status}")
                    },
                    value: a.inventory_number,
                }
            })
            .collect(),
    ))
}
