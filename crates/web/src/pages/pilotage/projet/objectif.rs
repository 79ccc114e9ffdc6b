//! One objective: its progress, actions, indicators year by year and the
//! comité's actions linked to it; the forms that change it, add an action
//! or an indicator, and link an action of the comité.

use super::*;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_services::pilotage::projet::{self as svc, ObjectiveInput};

#[derive(serde::Deserialize, Default, Clone)]
pub struct ObjectiveEditForm {
    #[serde(default)]
    objective_title: String,
    #[serde(default)]
    description: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct LinkForm {
    #[serde(default)]
    link_comite_action_id: String,
}

#[derive(Template)]
#[template(path = "pilotage/projet/objectif.html")]
struct ObjectivePage {
    page: Page,
    heading: String,
    back_href: String,
    axis: String,
    period: String,
    block: ObjectiveBlock,
    year_labels: Vec<String>,
    may_manage: bool,
    edit_action: String,
    edit: ObjectiveEditForm,
    action_action: String,
    action_input: ActionForm,
    comite_options: Vec<Opt>,
    indicator_action: String,
    indicator_input: IndicatorForm,
    source_options: Vec<Opt>,
    unit_options: Vec<Opt>,
    direction_options: Vec<Opt>,
    targets: Vec<TargetField>,
    link_action: String,
    link_options: Vec<Opt>,
    errors: FormErrors,
}

#[derive(Default)]
struct Sent {
    edit: Option<ObjectiveEditForm>,
    action: ActionForm,
    indicator: Option<IndicatorForm>,
}

async fn objective_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    oid: Uuid,
    sent: Sent,
    errors: FormErrors,
) -> Result<ObjectivePage, PageError> {
    let tr = s.shell.tr;
    let v = svc::objective(
        &state.db,
        &s.ctx,
        id,
        oid,
        refnum_services::pilotage::comite::today(),
    )
    .await?;
    let choices = if v.may_manage {
        svc::comite_choices(&state.db, &s.ctx, id).await?
    } else {
        vec![]
    };
    let year_labels: Vec<String> = v.period.years().iter().map(|y| y.label()).collect();
    let indicator_input = sent.indicator.unwrap_or_else(|| IndicatorForm {
        source: "manual".into(),
        unit: "percent".into(),
        direction: "higher".into(),
        targets: vec![String::new(); year_labels.len()],
        ..Default::default()
    });
    let edit = sent.edit.unwrap_or_else(|| ObjectiveEditForm {
        objective_title: v.view.objective.title.clone(),
        description: v.view.objective.description.clone(),
    });
    let heading = v.view.objective.title.clone();
    Ok(ObjectivePage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::projet(id),
        axis: v.axis.title.clone(),
        period: v.period.label(),
        block: objective_block(tr, id, &v.view),
        may_manage: v.may_manage,
        edit_action: u::projet_objective(id, oid),
        edit,
        action_action: u::projet_objective_actions(id, oid),
        comite_options: comite_options(tr, &choices, &sent.action.comite_action_id),
        action_input: sent.action,
        indicator_action: u::projet_objective_indicators(id, oid),
        source_options: source_options(tr, &indicator_input.source),
        unit_options: unit_options(tr, &indicator_input.unit),
        direction_options: direction_options(tr, &indicator_input.direction),
        targets: target_fields(tr, &year_labels, &indicator_input.targets),
        indicator_input,
        link_action: u::projet_objective_comite(id, oid),
        link_options: comite_options(tr, &choices, ""),
        year_labels,
        errors,
    })
}

pub(super) async fn objective_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, oid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let oid = path_id(&oid)?;
    Ok(render(
        &objective_view(&state, &s, id, oid, Sent::default(), FormErrors::default()).await?,
    ))
}

async fn back_with_errors(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    oid: Uuid,
    sent: Sent,
    e: refnum_services::error::ServiceError,
) -> Result<Response, PageError> {
    let errors = field_errors(s.shell.tr, e)?;
    let p = objective_view(state, s, id, oid, sent, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

pub(super) async fn objective_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, oid)): Path<(Uuid, String)>,
    Form(f): Form<ObjectiveEditForm>,
) -> Result<Response, PageError> {
    let oid = path_id(&oid)?;
    let input = ObjectiveInput {
        axis_id: String::new(),
        title: f.objective_title.clone(),
        description: f.description.clone(),
    };
    match svc::update_objective(&state.db, &s.ctx, id, oid, &input).await {
        Ok(()) => Ok(done(
            &u::projet_objective(id, oid),
            "projet-objectif-modifie",
        )),
        Err(e) => {
            let sent = Sent {
                edit: Some(f),
                ..Default::default()
            };
            back_with_errors(&state, &s, id, oid, sent, e).await
        }
    }
}

pub(super) async fn action_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, oid)): Path<(Uuid, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let oid = path_id(&oid)?;
    match svc::add_action(&state.db, &s.ctx, id, oid, &f.input()).await {
        Ok(_) => Ok(done(&u::projet_objective(id, oid), "projet-action-ajoutee")),
        Err(e) => {
            let sent = Sent {
                action: f,
                ..Default::default()
            };
            back_with_errors(&state, &s, id, oid, sent, e).await
        }
    }
}

pub(super) async fn indicator_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, oid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let oid = path_id(&oid)?;
    let f = IndicatorForm::from_pairs(&pairs, refnum_domain::pilotage::projet::MAX_YEARS as usize);
    match svc::add_indicator(&state.db, &s.ctx, id, oid, &f.input()).await {
        Ok(_) => Ok(done(
            &u::projet_objective(id, oid),
            "projet-indicateur-ajoute",
        )),
        Err(e) => {
            let sent = Sent {
                indicator: Some(f),
                ..Default::default()
            };
            back_with_errors(&state, &s, id, oid, sent, e).await
        }
    }
}

pub(super) async fn comite_link(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, oid)): Path<(Uuid, String)>,
    Form(f): Form<LinkForm>,
) -> Result<Response, PageError> {
    let oid = path_id(&oid)?;
    let Ok(cid) = Uuid::parse_str(f.link_comite_action_id.trim()) else {
        // The policy first: whoever may not write the project is refused
        // before the choice is judged.
        svc::comite_choices(&state.db, &s.ctx, id).await?;
        let errors = FormErrors::one(
            s.shell.tr,
            "link_comite_action_id",
            "pilotage-error-projet-comite-action",
        );
        let p = objective_view(&state, &s, id, oid, Sent::default(), errors).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
    };
    svc::link_comite_action(&state.db, &s.ctx, id, cid, Some(oid)).await?;
    Ok(done(
        &u::projet_objective(id, oid),
        "projet-comite-rattachee",
    ))
}
