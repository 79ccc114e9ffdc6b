//! One indicator of the project: its source, baseline, target and value
//! for each school year of the plan; the forms that change it and its
//! targets, and record a typed value for a year.

use super::*;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::indicateurs::format_value;
use refnum_services::pilotage::projet as svc;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ValueForm {
    #[serde(default)]
    school_year: String,
    #[serde(default)]
    value: String,
}

#[derive(Template)]
#[template(path = "pilotage/projet/indicateur.html")]
struct IndicatorPage {
    page: Page,
    heading: String,
    back_href: String,
    objective: String,
    row: IndicatorRow,
    year_labels: Vec<String>,
    typed: bool,
    may_manage: bool,
    edit_action: String,
    indicator_input: IndicatorForm,
    source_options: Vec<Opt>,
    unit_options: Vec<Opt>,
    direction_options: Vec<Opt>,
    targets: Vec<TargetField>,
    value_action: String,
    value_input: ValueForm,
    year_options: Vec<Opt>,
    errors: FormErrors,
}

async fn indicator_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    iid: Uuid,
    sent: (Option<IndicatorForm>, Option<ValueForm>),
    errors: FormErrors,
) -> Result<IndicatorPage, PageError> {
    let tr = s.shell.tr;
    let today = refnum_services::pilotage::comite::today();
    let v = svc::indicator(&state.db, &s.ctx, id, iid, today).await?;
    let i = &v.view.indicator;
    let year_labels: Vec<String> = v.period.years().iter().map(|y| y.label()).collect();
    let indicator_input = sent.0.unwrap_or_else(|| IndicatorForm {
        label: i.label.clone(),
        source: i
            .metric
            .clone()
            .filter(|_| i.source_kind == "bound")
            .unwrap_or_else(|| "manual".into()),
        unit: i.unit.clone(),
        direction: i.direction.clone(),
        baseline: i.baseline.map(format_value).unwrap_or_default(),
        targets: v
            .view
            .years
            .iter()
            .map(|f| f.target.map(format_value).unwrap_or_default())
            .collect(),
    });
    let this_year = v
        .view
        .current
        .map(|c| c.year)
        .unwrap_or(v.period.first())
        .label();
    let value_input = sent.1.unwrap_or(ValueForm {
        school_year: this_year,
        value: String::new(),
    });
    let heading = i.label.clone();
    Ok(IndicatorPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::projet_objective(id, v.objective.id),
        objective: v.objective.title.clone(),
        row: indicator_row(tr, id, &v.view),
        typed: matches!(v.view.source, IndicatorSource::Manual { .. }),
        may_manage: v.may_manage,
        edit_action: u::projet_indicator(id, iid),
        source_options: source_options(tr, &indicator_input.source),
        unit_options: unit_options(tr, &indicator_input.unit),
        direction_options: direction_options(tr, &indicator_input.direction),
        targets: target_fields(tr, &year_labels, &indicator_input.targets),
        indicator_input,
        value_action: u::projet_indicator_value(id, iid),
        year_options: year_labels
            .iter()
            .map(|y| Opt::new(y.clone(), y.clone(), &value_input.school_year))
            .collect(),
        value_input,
        year_labels,
        errors,
    })
}

pub(super) async fn indicator_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, iid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let iid = path_id(&iid)?;
    Ok(render(
        &indicator_view(&state, &s, id, iid, (None, None), FormErrors::default()).await?,
    ))
}

pub(super) async fn indicator_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, iid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let iid = path_id(&iid)?;
    let f = IndicatorForm::from_pairs(&pairs, refnum_domain::pilotage::projet::MAX_YEARS as usize);
    match svc::update_indicator(&state.db, &s.ctx, id, iid, &f.input()).await {
        Ok(()) => Ok(done(
            &u::projet_indicator(id, iid),
            "projet-indicateur-modifie",
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = indicator_view(&state, &s, id, iid, (Some(f), None), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub(super) async fn value_record(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, iid)): Path<(Uuid, String)>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    let iid = path_id(&iid)?;
    match svc::record_value(&state.db, &s.ctx, id, iid, &f.school_year, &f.value).await {
        Ok(()) => Ok(done(&u::projet_indicator(id, iid), "projet-valeur-relevee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = indicator_view(&state, &s, id, iid, (None, Some(f)), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
