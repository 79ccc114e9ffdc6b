//! One action: where it comes from, its status and the forms that change
//! them.

use super::*;
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::comite::ActionStatus;

#[derive(Template)]
#[template(path = "pilotage/comite/action.html")]
struct ActionPage {
    page: Page,
    heading: String,
    back_href: String,
    row: ActionRow,
    detail: String,
    meeting: Option<(String, String)>,
    decision: String,
    may_manage: bool,
    status_action: String,
    status_options: Vec<Opt>,
    edit_action: String,
    action_input: ActionForm,
    owner_options: Vec<Opt>,
    errors: FormErrors,
}

async fn action_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    aid: Uuid,
    sent: Option<ActionForm>,
    errors: FormErrors,
) -> Result<ActionPage, PageError> {
    let tr = s.shell.tr;
    let v = svc::action(&state.db, &s.ctx, id, aid, svc::today()).await?;
    let staff = if v.may_manage {
        svc::staff(&state.db, &s.ctx, id).await?
    } else {
        vec![]
    };
    let a = &v.line.action;
    let action_input = sent.unwrap_or_else(|| ActionForm {
        title: a.title.clone(),
        detail: a.detail.clone(),
        owner: a
            .owner_account_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        owner_name: if a.owner_account_id.is_some() {
            String::new()
        } else {
            a.owner_name.clone()
        },
        due_on: a.due_on.to_string(),
        ..Default::default()
    });
    let heading = v.line.action.title.clone();
    Ok(ActionPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::comite_year(id, v.line.action.school_year),
        row: action_row(tr, id, &v.line),
        detail: v.line.action.detail.clone(),
        meeting: v
            .meeting
            .as_ref()
            .map(|m| (u::meeting(id, m.id), date(m.date))),
        decision: v.decision.map(|d| d.text).unwrap_or_default(),
        may_manage: v.may_manage,
        status_action: u::action_status(id, aid),
        status_options: v
            .next_statuses
            .iter()
            .map(|st: &ActionStatus| Opt::new(st.as_str(), label(tr, "status", st.as_str()), ""))
            .collect(),
        edit_action: u::action(id, aid),
        owner_options: owner_options(tr, &staff, &action_input.owner),
        action_input,
        errors,
    })
}

pub(super) async fn action_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let aid = path_id(&aid)?;
    Ok(render(
        &action_view(&state, &s, id, aid, None, FormErrors::default()).await?,
    ))
}

pub(super) async fn action_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let aid = path_id(&aid)?;
    match svc::update_action(&state.db, &s.ctx, id, aid, &f.input(None, None)).await {
        Ok(()) => Ok(done(&u::action(id, aid), "comite-action-modifiee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = action_view(&state, &s, id, aid, Some(f), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub(super) async fn action_status(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let aid = path_id(&aid)?;
    match svc::set_action_status(&state.db, &s.ctx, id, aid, &f.status).await {
        Ok(_) => Ok(done(&u::action(id, aid), "comite-action-etat")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = action_view(&state, &s, id, aid, None, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
