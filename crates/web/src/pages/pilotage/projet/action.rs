//! One action of the project: its objective, dates, owner, status and
//! progress, the comité's action that feeds it; the forms that change its
//! status and its fields.

use super::*;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_services::pilotage::projet as svc;

#[derive(Template)]
#[template(path = "pilotage/projet/action.html")]
struct ActionPage {
    page: Page,
    heading: String,
    back_href: String,
    objective: String,
    row: ActionRow,
    comite: Option<(String, String)>,
    may_manage: bool,
    status_action: String,
    status_options: Vec<Opt>,
    edit_action: String,
    action_input: ActionForm,
    comite_options: Vec<Opt>,
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
    let v = svc::action(&state.db, &s.ctx, id, aid).await?;
    let choices = if v.may_manage {
        svc::comite_choices(&state.db, &s.ctx, id).await?
    } else {
        vec![]
    };
    let a = &v.line.action;
    let action_input = sent.unwrap_or_else(|| ActionForm {
        title: a.title.clone(),
        owner: a.owner_name.clone(),
        start_on: a.start_on.to_string(),
        end_on: a.end_on.to_string(),
        progress: a.progress.to_string(),
        comite_action_id: a
            .comite_action_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
    });
    let heading = a.title.clone();
    Ok(ActionPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::projet_objective(id, v.objective.id),
        objective: v.objective.title.clone(),
        row: action_row(tr, id, &v.line),
        comite: v
            .comite_action
            .as_ref()
            .map(|c| (u::action(id, c.id), c.title.clone())),
        may_manage: v.may_manage,
        status_action: u::projet_action_status(id, aid),
        status_options: v
            .next_statuses
            .iter()
            .map(|st| Opt::new(st.as_str(), status_label(tr, *st), ""))
            .collect(),
        edit_action: u::projet_action(id, aid),
        comite_options: comite_options(tr, &choices, &action_input.comite_action_id),
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
    match svc::update_action(&state.db, &s.ctx, id, aid, &f.input()).await {
        Ok(()) => Ok(done(&u::projet_action(id, aid), "projet-action-modifiee")),
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
        Ok(_) => Ok(done(&u::projet_action(id, aid), "projet-action-etat")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = action_view(&state, &s, id, aid, None, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
