//! The digital part of the school project (*volet numérique du projet
//! d'établissement*): a plan over one to five school years, its axes,
//! objectives, actions and indicators with a target per year. The head and
//! the referents write it (`ManageSchoolProject`): the plan and its levels
//! (`ecriture`), the actions' status and progress and the link of the
//! comité's actions to its objectives (`actions`), the indicators, their
//! targets and typed values (`indicateurs`). Every staff member of the
//! school reads it, and so do the collectivité and the DANE of the school
//! (`ViewSchoolProject`): the plan, an objective, an action, an indicator,
//! and the indicators off target this year (`lecture`).
//!
//! The rules are the domain's (`refnum_domain::pilotage::projet`); each
//! write asks the policy, checks its fields (each error names its field),
//! then writes in one transaction with its audit event (`pilotage.projet_*`).

mod actions;
mod ecriture;
mod indicateurs;
mod lecture;

pub use actions::{ActionInput, add_action, link_comite_action, set_action_status, update_action};
pub use ecriture::{
    ObjectiveInput, PlanInput, add_axis, add_objective, create_plan, update_axis, update_objective,
    update_plan,
};
pub use indicateurs::{
    IndicatorInput, add_indicator, record_value, target_field, update_indicator,
};
pub use lecture::{action, comite_choices, current, indicator, objective, off_target, plan};

use crate::Ctx;
use crate::audit::{Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{NaiveDate, Utc};
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::{
    comite_action, projet, projet_action, projet_axe, projet_cible, projet_indicateur,
    projet_objectif,
};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::ActionStatus;
use refnum_domain::pilotage::indicateurs::{Direction, Metric, Unit};
use refnum_domain::pilotage::lettre::IndicatorSource;
use refnum_domain::pilotage::projet::{self as rules, Period, Standing};
use refnum_domain::policy::{self, EtabAction, EtabFacts};
use uuid::Uuid;

/// How many of the comité's actions the choices offer (the latest due).
pub const COMITE_CHOICES: u64 = 200;

/// A project action with its status read.
#[derive(Debug, Clone)]
pub struct ActionLine {
    pub action: projet_action::Model,
    pub status: ActionStatus,
}

/// An indicator's target and value for one school year of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearFigure {
    pub year: SchoolYear,
    pub target: Option<i64>,
    /// Typed: the value recorded for that year. Bound: the value computed
    /// now, for the current school year only.
    pub value: Option<i64>,
    pub standing: Standing,
}

/// An indicator with its figures year by year.
#[derive(Debug, Clone)]
pub struct IndicatorView {
    pub indicator: projet_indicateur::Model,
    pub source: IndicatorSource,
    /// One per school year of the plan, in order.
    pub years: Vec<YearFigure>,
    /// This school year's, when the plan covers it.
    pub current: Option<YearFigure>,
}

/// An objective with its progress, actions, indicators and the comité's
/// actions linked to it.
#[derive(Debug, Clone)]
pub struct ObjectiveView {
    pub objective: projet_objectif::Model,
    /// The mean of its actions' progress (dropped ones left out); none
    /// without an action that counts.
    pub progress: Option<i32>,
    pub actions: Vec<ActionLine>,
    pub indicators: Vec<IndicatorView>,
    pub comite_actions: Vec<comite_action::Model>,
}

#[derive(Debug, Clone)]
pub struct AxisView {
    pub axis: projet_axe::Model,
    pub objectives: Vec<ObjectiveView>,
}

/// A plan with every level.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub etablissement: etablissement::Model,
    pub plan: projet::Model,
    pub period: Period,
    /// The school year of `today`, when the plan covers it.
    pub current_year: Option<SchoolYear>,
    pub axes: Vec<AxisView>,
    /// The school's other plans, the latest first.
    pub others: Vec<projet::Model>,
    /// Whether the caller writes the project (the forms are theirs).
    pub may_manage: bool,
}

impl PlanView {
    pub fn objectives(&self) -> impl Iterator<Item = &ObjectiveView> {
        self.axes.iter().flat_map(|a| a.objectives.iter())
    }
}

/// A school's project page: its current plan, if any.
#[derive(Debug, Clone)]
pub struct ProjectHome {
    pub etablissement: etablissement::Model,
    pub plan: Option<PlanView>,
    pub may_manage: bool,
}

/// One objective with its plan and axis.
#[derive(Debug, Clone)]
pub struct ObjectiveDetail {
    pub etablissement: etablissement::Model,
    pub plan: projet::Model,
    pub period: Period,
    pub current_year: Option<SchoolYear>,
    pub axis: projet_axe::Model,
    pub view: ObjectiveView,
    pub may_manage: bool,
}

/// One action with its plan and objective.
#[derive(Debug, Clone)]
pub struct ActionDetail {
    pub etablissement: etablissement::Model,
    pub plan: projet::Model,
    pub period: Period,
    pub objective: projet_objectif::Model,
    pub line: ActionLine,
    /// The comité's action that feeds it.
    pub comite_action: Option<comite_action::Model>,
    /// The statuses the caller may move it to (none when they do not
    /// write the project).
    pub next_statuses: Vec<ActionStatus>,
    pub may_manage: bool,
}

/// One indicator with its plan and objective.
#[derive(Debug, Clone)]
pub struct IndicatorDetail {
    pub etablissement: etablissement::Model,
    pub plan: projet::Model,
    pub period: Period,
    pub objective: projet_objectif::Model,
    pub view: IndicatorView,
    pub may_manage: bool,
}

/// An indicator whose value misses this year's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffTarget {
    pub indicator_id: Uuid,
    pub objective_id: Uuid,
    pub label: String,
    pub objective_title: String,
    pub unit: Unit,
    pub year: SchoolYear,
    pub target: i64,
    pub value: i64,
}

// ------------------------------------------------------------------ helpers

async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, EtabFacts)> {
    crate::orgs::etab_with_facts(db, ctx, etab_id, action).await
}

fn may_manage(ctx: &Ctx, facts: &EtabFacts) -> bool {
    policy::decide(&ctx.actor, EtabAction::ManageSchoolProject, facts) == policy::Decision::Allow
}

/// An audit event of the project on one of its objects.
fn event<'a>(
    who: &'a Who,
    action: &'static str,
    target: String,
    etab: Uuid,
    details: serde_json::Value,
) -> Event<'a> {
    Event {
        who,
        action,
        target,
        etablissement_id: Some(etab),
        outcome: "ok",
        details,
    }
}

/// Trimmed text of at most `max` characters; `required` adds the error
/// of an empty field.
fn text_field(
    input: &str,
    max: usize,
    required: bool,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> String {
    let t = input.replace("\r\n", "\n").trim().to_string();
    if required && t.is_empty() {
        errors.push(FieldError {
            field,
            key: "pilotage-error-label-empty",
        });
    } else if t.chars().count() > max {
        errors.push(FieldError {
            field,
            key: if max == rules::MAX_LABEL {
                "pilotage-error-label-too-long"
            } else {
                "pilotage-error-text-too-long"
            },
        });
    }
    t
}

fn invalid_if_any(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// A date of a form (`AAAA-MM-JJ` or `JJ/MM/AAAA`), within 2000–2100.
fn parse_day(s: &str) -> Option<NaiveDate> {
    refnum_domain::booking::parse_date(s)
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
}

/// A stored plan's period (rows are written through [`Period::new`]).
fn period_of(p: &projet::Model) -> Result<Period> {
    Period::new(SchoolYear(p.first_year), SchoolYear(p.last_year))
        .map_err(|k| ServiceError::Internal(format!("stored plan {}: {k}", p.id)))
}

fn status_of(a: &projet_action::Model) -> ActionStatus {
    ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Todo)
}

fn line(a: projet_action::Model) -> ActionLine {
    ActionLine {
        status: status_of(&a),
        action: a,
    }
}

/// The source a stored indicator names.
fn source_of(i: &projet_indicateur::Model) -> IndicatorSource {
    match i.metric.as_deref().and_then(Metric::parse) {
        Some(metric) if i.source_kind == "bound" => IndicatorSource::Bound { metric },
        _ => IndicatorSource::Manual {
            unit: Unit::parse(&i.unit).unwrap_or(Unit::Count),
            direction: Direction::parse(&i.direction).unwrap_or(Direction::Higher),
        },
    }
}

/// The current school year, when the plan covers it.
fn current_year(period: Period, today: NaiveDate) -> Option<SchoolYear> {
    let y = SchoolYear::of(today);
    period.contains_year(y).then_some(y)
}
