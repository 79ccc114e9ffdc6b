//! The return form of a loan.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::urls::prets as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::loan::ReturnState;
use refnum_services::prets::give_back::{self, ItemReturn, ReturnInput};
use refnum_services::prets::{self, LoanPage};
use uuid::Uuid;

use super::pret::{Common, common};
use super::{code_label, field, loan_id};

pub struct ReturnRow {
    pub id: Uuid,
    pub label: String,
    pub states: Vec<Opt>,
    pub remarks: String,
}

#[derive(Template)]
#[template(path = "prets/return.html")]
struct ReturnPage {
    page: Page,
    c: Common,
    action: String,
    cancel_href: String,
    returned_on: String,
    states: Vec<Opt>,
    remarks: String,
    rows: Vec<ReturnRow>,
    errors: FormErrors,
}

fn return_states(tr: Tr, current: &str, with_empty: bool) -> Vec<Opt> {
    let mut v = vec![];
    if with_empty {
        v.push(Opt::new("", tr.t("loan-return-choose"), current));
    }
    v.extend(ReturnState::ALL.iter().map(|r| {
        Opt::new(
            r.as_str(),
            code_label(tr, "loan-return", r.as_str()),
            current,
        )
    }));
    v
}

fn return_page(s: &SignedIn, v: &LoanPage, input: &ReturnInput, errors: FormErrors) -> ReturnPage {
    let tr = s.shell.tr;
    let c = common(tr, v);
    let id = v.etab.id;
    ReturnPage {
        page: s
            .shell
            .page_titled(tr.t_args("loan-return-title", &[("number", c.asset.clone())])),
        action: u::give_back(id, v.loan.id),
        cancel_href: u::loan(id, v.loan.id),
        returned_on: input.returned_on.clone(),
        states: return_states(tr, &input.state, false),
        remarks: input.remarks.clone(),
        rows: v
            .items
            .iter()
            .filter(|i| i.present_at_departure)
            .map(|i| {
                let given = input.items.iter().find(|r| r.item_id == i.id.to_string());
                ReturnRow {
                    id: i.id,
                    label: i.label.clone(),
                    states: return_states(tr, given.map(|g| g.state.as_str()).unwrap_or(""), true),
                    remarks: given.map(|g| g.remarks.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        errors,
        c,
    }
}

pub async fn return_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let v = prets::show(&state.db, &s.ctx, id, lid).await?;
    if !v.rights.manage {
        return Err(PageError::Forbidden);
    }
    if !v.is_out() {
        return Ok(done(&u::loan(id, lid), "pret-deja-rendu"));
    }
    let input = ReturnInput {
        returned_on: v.today.to_string(),
        state: "good".into(),
        ..Default::default()
    };
    Ok(render(&return_page(&s, &v, &input, FormErrors::default())))
}

pub async fn give_back_submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let items = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("state-").map(|item| ItemReturn {
                item_id: item.to_string(),
                state: v.clone(),
                remarks: field(&pairs, &format!("remarks-{item}")).to_string(),
            })
        })
        .collect();
    let input = ReturnInput {
        returned_on: field(&pairs, "returned_on").into(),
        state: field(&pairs, "state").into(),
        remarks: field(&pairs, "remarks").into(),
        items,
    };
    match give_back::give_back(&state.db, &s.ctx, id, lid, &input).await {
        Ok(()) => Ok(done(&u::loan(id, lid), "pret-rendu")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let v = prets::show(&state.db, &s.ctx, id, lid).await?;
            let p = return_page(&s, &v, &input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
