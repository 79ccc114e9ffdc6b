//! The plan's page (axes → objectives with their progress → actions and
//! indicators year by year), its forms (title and adoption, a new axis, a
//! new objective) and the new plan's form.

use super::*;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::SchoolYear;
use refnum_services::pilotage::projet::{self as svc, ObjectiveInput, PlanInput};

pub(super) struct AxisBlock {
    pub title: String,
    pub objectives: Vec<ObjectiveBlock>,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    first_year: String,
    #[serde(default)]
    last_year: String,
    #[serde(default)]
    adopted_on: String,
}

impl PlanForm {
    fn input(&self) -> PlanInput {
        PlanInput {
            title: self.title.clone(),
            first_year: self.first_year.clone(),
            last_year: self.last_year.clone(),
            adopted_on: self.adopted_on.clone(),
        }
    }
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct AxisForm {
    #[serde(default)]
    axis_title: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ObjectiveForm {
    #[serde(default)]
    axis_id: String,
    #[serde(default)]
    objective_title: String,
    #[serde(default)]
    description: String,
}

#[derive(Template)]
#[template(path = "pilotage/projet/plan.html")]
struct PlanPage {
    page: Page,
    heading: String,
    has_plan: bool,
    may_manage: bool,
    new_href: String,
    period: String,
    adopted: String,
    year_labels: Vec<String>,
    axes: Vec<AxisBlock>,
    others: Vec<String>,
    plan_action: String,
    plan_input: PlanForm,
    axis_action: String,
    axis_input: AxisForm,
    objective_action: String,
    objective_input: ObjectiveForm,
    axis_options: Vec<Opt>,
    errors: FormErrors,
}

/// What the forms of the plan's page hold when it comes back with errors.
#[derive(Default)]
struct Sent {
    plan: Option<PlanForm>,
    axis: AxisForm,
    objective: ObjectiveForm,
}

async fn plan_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    sent: Sent,
    errors: FormErrors,
) -> Result<PlanPage, PageError> {
    let tr = s.shell.tr;
    let home = svc::current(&state.db, &s.ctx, id, svc_today()).await?;
    let heading = tr.t_args(
        "pilotage-projet-title",
        &[("school", home.etablissement.name.clone())],
    );
    let mut page = PlanPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        has_plan: home.plan.is_some(),
        may_manage: home.may_manage,
        new_href: u::projet_new(id),
        period: String::new(),
        adopted: String::new(),
        year_labels: vec![],
        axes: vec![],
        others: vec![],
        plan_action: String::new(),
        plan_input: PlanForm::default(),
        axis_action: String::new(),
        axis_input: sent.axis,
        objective_action: u::projet_objectives(id),
        objective_input: sent.objective,
        axis_options: vec![],
        errors,
    };
    if let Some(p) = home.plan {
        page.period = p.period.label();
        page.adopted = match p.plan.adopted_on {
            Some(d) => tr.t_args("pilotage-projet-adopted-on", &[("date", date(d))]),
            None => tr.t("pilotage-projet-not-adopted"),
        };
        page.year_labels = p.period.years().iter().map(|y| y.label()).collect();
        page.plan_action = u::projet_plan(id, p.plan.id);
        page.plan_input = sent.plan.unwrap_or_else(|| PlanForm {
            title: p.plan.title.clone(),
            adopted_on: p.plan.adopted_on.map(|d| d.to_string()).unwrap_or_default(),
            ..Default::default()
        });
        page.axis_action = u::projet_axes(id, p.plan.id);
        page.axis_options = std::iter::once(Opt::new(
            "",
            tr.t("pilotage-projet-choose-axis"),
            &page.objective_input.axis_id,
        ))
        .chain(p.axes.iter().map(|a| {
            Opt::new(
                a.axis.id.to_string(),
                a.axis.title.clone(),
                &page.objective_input.axis_id,
            )
        }))
        .collect();
        page.axes = p
            .axes
            .iter()
            .map(|a| AxisBlock {
                title: a.axis.title.clone(),
                objectives: a
                    .objectives
                    .iter()
                    .map(|o| objective_block(tr, id, o))
                    .collect(),
            })
            .collect();
        page.others = p
            .others
            .iter()
            .map(|o| {
                let label = refnum_domain::pilotage::projet::Period::new(
                    SchoolYear(o.first_year),
                    SchoolYear(o.last_year),
                )
                .map(|p| p.label())
                .unwrap_or_default();
                format!("{} ({label})", o.title)
            })
            .collect();
        page.page = s
            .shell
            .page_titled(format!("{} — {}", p.plan.title, page.heading));
        page.heading = p.plan.title.clone();
    }
    Ok(page)
}

fn svc_today() -> NaiveDate {
    refnum_services::pilotage::comite::today()
}

pub(super) async fn plan_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(
        &plan_view(&state, &s, id, Sent::default(), FormErrors::default()).await?,
    ))
}

async fn back_with_errors(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    sent: Sent,
    e: refnum_services::error::ServiceError,
) -> Result<Response, PageError> {
    let errors = field_errors(s.shell.tr, e)?;
    let p = plan_view(state, s, id, sent, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

pub(super) async fn plan_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, pid)): Path<(Uuid, String)>,
    Form(f): Form<PlanForm>,
) -> Result<Response, PageError> {
    let pid = path_id(&pid)?;
    match svc::update_plan(&state.db, &s.ctx, id, pid, &f.input()).await {
        Ok(()) => Ok(done(&u::projet(id), "projet-modifie")),
        Err(e) => {
            let sent = Sent {
                plan: Some(f),
                ..Default::default()
            };
            back_with_errors(&state, &s, id, sent, e).await
        }
    }
}

pub(super) async fn axis_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, pid)): Path<(Uuid, String)>,
    Form(f): Form<AxisForm>,
) -> Result<Response, PageError> {
    let pid = path_id(&pid)?;
    match svc::add_axis(&state.db, &s.ctx, id, pid, &f.axis_title).await {
        Ok(_) => Ok(done(&u::projet(id), "projet-axe-ajoute")),
        Err(e) => {
            let sent = Sent {
                axis: f,
                ..Default::default()
            };
            back_with_errors(&state, &s, id, sent, e).await
        }
    }
}

pub(super) async fn objective_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<ObjectiveForm>,
) -> Result<Response, PageError> {
    let input = ObjectiveInput {
        axis_id: f.axis_id.clone(),
        title: f.objective_title.clone(),
        description: f.description.clone(),
    };
    match svc::add_objective(&state.db, &s.ctx, id, &input).await {
        Ok(oid) => Ok(done(
            &u::projet_objective(id, oid),
            "projet-objectif-ajoute",
        )),
        Err(e) => {
            let sent = Sent {
                objective: f,
                ..Default::default()
            };
            back_with_errors(&state, &s, id, sent, e).await
        }
    }
}

#[derive(Template)]
#[template(path = "pilotage/projet/nouveau.html")]
struct NewPlanPage {
    page: Page,
    heading: String,
    back_href: String,
    action: String,
    plan_input: PlanForm,
    errors: FormErrors,
}

async fn new_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    input: PlanForm,
    errors: FormErrors,
) -> Result<NewPlanPage, PageError> {
    // Only those who write the project see the form.
    svc::comite_choices(&state.db, &s.ctx, id).await?;
    let heading = s.shell.tr.t("pilotage-projet-new");
    Ok(NewPlanPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::projet(id),
        action: u::projet_new(id),
        plan_input: input,
        errors,
    })
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let y = SchoolYear::of(svc_today());
    let input = PlanForm {
        first_year: y.label(),
        last_year: SchoolYear(y.0 + 2).label(),
        ..Default::default()
    };
    Ok(render(
        &new_view(&state, &s, id, input, FormErrors::default()).await?,
    ))
}

pub(super) async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<PlanForm>,
) -> Result<Response, PageError> {
    match svc::create_plan(&state.db, &s.ctx, id, &f.input()).await {
        Ok(_) => Ok(done(&u::projet(id), "projet-cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = new_view(&state, &s, id, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
