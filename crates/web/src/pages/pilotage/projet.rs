//! The digital part of the school project's pages: the plan (axes,
//! objectives with their progress, actions, indicators year by year), the
//! new plan, one objective, one action and one indicator. The forms are
//! shown to those who write the project; the services decide. One file per
//! page family: `plan`, `objectif`, `action`, `indicateur`.

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::pages::Opt;
use crate::urls::pilotage as u;
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use refnum_db::entities::pilotage::comite_action;
use refnum_domain::pilotage::comite::ActionStatus;
use refnum_domain::pilotage::indicateurs::{Direction, Metric, Unit};
use refnum_domain::pilotage::lettre::IndicatorSource;
use refnum_domain::pilotage::projet::Standing;
use refnum_services::pilotage::projet::{ActionLine, IndicatorView, ObjectiveView};
use uuid::Uuid;

mod action;
mod indicateur;
mod objectif;
mod plan;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/pilotage/projet", get(plan::plan_page))
        .route(
            "/etablissements/{id}/pilotage/projet/nouveau",
            get(plan::new_page).post(plan::create),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/plans/{pid}",
            post(plan::plan_update),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/plans/{pid}/axes",
            post(plan::axis_add),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/objectifs",
            post(plan::objective_add),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/objectifs/{oid}",
            get(objectif::objective_page).post(objectif::objective_update),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/objectifs/{oid}/actions",
            post(objectif::action_add),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/objectifs/{oid}/indicateurs",
            post(objectif::indicator_add),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/objectifs/{oid}/comite",
            post(objectif::comite_link),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/actions/{aid}",
            get(action::action_page).post(action::action_update),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/actions/{aid}/etat",
            post(action::action_status),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/indicateurs/{iid}",
            get(indicateur::indicator_page).post(indicateur::indicator_update),
        )
        .route(
            "/etablissements/{id}/pilotage/projet/indicateurs/{iid}/valeur",
            post(indicateur::value_record),
        )
}

/// An id from the path: anything else is not found.
fn path_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A field of a form sent as pairs (the last one of that name).
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn status_label(tr: Tr, s: ActionStatus) -> String {
    tr.t(&format!("pilotage-comite-status-{}", s.as_str()))
}

/// "45 %", or that no action counts yet.
fn progress_text(tr: Tr, p: Option<i32>) -> String {
    match p {
        Some(p) => tr.t_args(
            "pilotage-projet-progress-value",
            &[("value", p.to_string())],
        ),
        None => tr.t("pilotage-projet-progress-none"),
    }
}

/// A row of an actions table.
pub(super) struct ActionRow {
    pub href: String,
    pub title: String,
    pub owner: String,
    pub dates: String,
    pub status: String,
    pub progress: i32,
    pub progress_text: String,
}

fn action_row(tr: Tr, etab: Uuid, l: &ActionLine) -> ActionRow {
    ActionRow {
        href: u::projet_action(etab, l.action.id),
        title: l.action.title.clone(),
        owner: l.action.owner_name.clone(),
        dates: tr.t_args(
            "pilotage-projet-dates",
            &[
                ("start", date(l.action.start_on)),
                ("end", date(l.action.end_on)),
            ],
        ),
        status: status_label(tr, l.status),
        progress: l.action.progress,
        progress_text: progress_text(tr, Some(l.action.progress)),
    }
}

/// One school year's cell of an indicator: its target and value as text,
/// where it stands (in words, not only a colour).
pub(super) struct YearCell {
    pub target: String,
    pub value: String,
    pub standing: String,
    pub off: bool,
    pub current: bool,
}

pub(super) struct IndicatorRow {
    pub href: String,
    pub label: String,
    pub source: String,
    pub baseline: String,
    pub cells: Vec<YearCell>,
}

fn value_or_dash(tr: Tr, unit: Unit, v: Option<i64>) -> String {
    v.map(|v| super::value_text(tr, unit, v))
        .unwrap_or_else(|| "—".into())
}

fn source_text(tr: Tr, s: IndicatorSource) -> String {
    match s {
        IndicatorSource::Manual { .. } => tr.t("pilotage-source-manual"),
        IndicatorSource::Bound { metric } => tr.t_args(
            "pilotage-source-bound",
            &[("metric", super::metric_label(tr, metric))],
        ),
    }
}

fn indicator_row(tr: Tr, etab: Uuid, v: &IndicatorView) -> IndicatorRow {
    let unit = v.source.unit();
    IndicatorRow {
        href: u::projet_indicator(etab, v.indicator.id),
        label: v.indicator.label.clone(),
        source: source_text(tr, v.source),
        baseline: value_or_dash(tr, unit, v.indicator.baseline),
        cells: v
            .years
            .iter()
            .map(|f| YearCell {
                target: value_or_dash(tr, unit, f.target),
                value: value_or_dash(tr, unit, f.value),
                standing: match f.standing {
                    Standing::NoTarget | Standing::NoValue => String::new(),
                    Standing::OnTarget => tr.t("pilotage-projet-on-target"),
                    Standing::OffTarget => tr.t("pilotage-projet-off-target"),
                },
                off: f.standing == Standing::OffTarget,
                current: v.current.map(|c| c.year) == Some(f.year),
            })
            .collect(),
    }
}

/// A comité action linked to an objective.
pub(super) struct ComiteRow {
    pub href: String,
    pub title: String,
    pub status: String,
}

fn comite_row(tr: Tr, etab: Uuid, c: &comite_action::Model) -> ComiteRow {
    ComiteRow {
        href: u::action(etab, c.id),
        title: c.title.clone(),
        status: ActionStatus::parse(&c.status)
            .map(|s| status_label(tr, s))
            .unwrap_or_default(),
    }
}

/// An objective as the plan and its own page show it.
pub(super) struct ObjectiveBlock {
    pub href: String,
    /// The ids of its progress, actions table and indicators table.
    pub progress_id: String,
    pub actions_id: String,
    pub indicators_id: String,
    pub title: String,
    pub description: String,
    pub progress: i32,
    pub has_progress: bool,
    pub progress_text: String,
    pub actions: Vec<ActionRow>,
    pub indicators: Vec<IndicatorRow>,
    pub comite: Vec<ComiteRow>,
}

fn objective_block(tr: Tr, etab: Uuid, o: &ObjectiveView) -> ObjectiveBlock {
    let key = o.objective.id.simple();
    ObjectiveBlock {
        href: u::projet_objective(etab, o.objective.id),
        progress_id: format!("progress-{key}"),
        actions_id: format!("actions-{key}"),
        indicators_id: format!("indicators-{key}"),
        title: o.objective.title.clone(),
        description: o.objective.description.clone(),
        progress: o.progress.unwrap_or(0),
        has_progress: o.progress.is_some(),
        progress_text: progress_text(tr, o.progress),
        actions: o.actions.iter().map(|a| action_row(tr, etab, a)).collect(),
        indicators: o
            .indicators
            .iter()
            .map(|i| indicator_row(tr, etab, i))
            .collect(),
        comite: o
            .comite_actions
            .iter()
            .map(|c| comite_row(tr, etab, c))
            .collect(),
    }
}

/// The choices of a comité action ("none" first).
fn comite_options(tr: Tr, choices: &[comite_action::Model], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t("pilotage-projet-comite-none"), current)];
    v.extend(choices.iter().map(|c| {
        Opt::new(
            c.id.to_string(),
            format!("{} ({})", c.title, date(c.due_on)),
            current,
        )
    }));
    v
}

/// The indicator's source choices: typed by hand, or one of the figures
/// RefNum computes today.
fn source_options(tr: Tr, current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("manual", tr.t("pilotage-source-manual"), current)];
    v.extend(
        Metric::ALL
            .iter()
            .filter(|m| m.computed_today())
            .map(|m| Opt::new(m.as_str(), super::metric_label(tr, *m), current)),
    );
    v
}

fn unit_options(tr: Tr, current: &str) -> Vec<Opt> {
    Unit::ALL
        .iter()
        .map(|x| Opt::new(x.as_str(), super::unit_label(tr, *x), current))
        .collect()
}

fn direction_options(tr: Tr, current: &str) -> Vec<Opt> {
    Direction::ALL
        .iter()
        .map(|d| {
            Opt::new(
                d.as_str(),
                tr.t(&format!("pilotage-direction-{}", d.as_str())),
                current,
            )
        })
        .collect()
}

/// One target field per school year of the plan.
pub(super) struct TargetField {
    pub name: &'static str,
    pub label: String,
    pub value: String,
}

fn target_fields(tr: Tr, years: &[String], values: &[String]) -> Vec<TargetField> {
    years
        .iter()
        .enumerate()
        .map(|(i, y)| TargetField {
            name: refnum_services::pilotage::projet::target_field(i),
            label: tr.t_args("pilotage-projet-field-target", &[("year", y.clone())]),
            value: values.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

/// An indicator's form, its targets read from the pairs sent.
#[derive(Default, Clone)]
pub(super) struct IndicatorForm {
    pub label: String,
    pub source: String,
    pub unit: String,
    pub direction: String,
    pub baseline: String,
    pub targets: Vec<String>,
}

impl IndicatorForm {
    fn from_pairs(pairs: &[(String, String)], years: usize) -> Self {
        IndicatorForm {
            label: field(pairs, "label").into(),
            source: field(pairs, "source").into(),
            unit: field(pairs, "unit").into(),
            direction: field(pairs, "direction").into(),
            baseline: field(pairs, "baseline").into(),
            targets: (0..years)
                .map(|i| {
                    field(pairs, refnum_services::pilotage::projet::target_field(i)).to_string()
                })
                .collect(),
        }
    }

    fn input(&self) -> refnum_services::pilotage::projet::IndicatorInput {
        refnum_services::pilotage::projet::IndicatorInput {
            label: self.label.clone(),
            source: self.source.clone(),
            unit: self.unit.clone(),
            direction: self.direction.clone(),
            baseline: self.baseline.clone(),
            targets: self.targets.clone(),
        }
    }
}

/// An action's form (the objective's page adds one, the action's page
/// changes it).
#[derive(serde::Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    start_on: String,
    #[serde(default)]
    end_on: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    comite_action_id: String,
}

impl ActionForm {
    fn input(&self) -> refnum_services::pilotage::projet::ActionInput {
        refnum_services::pilotage::projet::ActionInput {
            title: self.title.clone(),
            owner: self.owner.clone(),
            start_on: self.start_on.clone(),
            end_on: self.end_on.clone(),
            progress: self.progress.clone(),
            comite_action_id: self.comite_action_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Every text the project's pages ask of the catalogues exists in
    /// French and in English.
    #[test]
    fn every_projet_label_exists() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for s in ActionStatus::ALL {
                assert!(tr.has(&format!("pilotage-comite-status-{}", s.as_str())));
            }
            for d in Direction::ALL {
                assert!(tr.has(&format!("pilotage-direction-{}", d.as_str())));
            }
            for key in [
                "pilotage-projet-progress-none",
                "pilotage-projet-on-target",
                "pilotage-projet-off-target",
                "pilotage-projet-comite-none",
                "nav-projet",
            ] {
                assert!(tr.has(key), "{lang:?}: {key}");
            }
            // Messages with arguments are looked up with them.
            let x = || "x".to_string();
            for (key, args) in [
                ("pilotage-projet-progress-value", vec![("value", x())]),
                ("pilotage-projet-dates", vec![("start", x()), ("end", x())]),
                ("pilotage-projet-field-target", vec![("year", x())]),
                ("pilotage-projet-title", vec![("school", x())]),
                ("pilotage-projet-adopted-on", vec![("date", x())]),
            ] {
                assert_ne!(tr.t_args(key, &args), key, "{lang:?}");
            }
        }
    }

    #[test]
    fn progress_reads_as_text_too() {
        let tr = Tr(Lang::Fr);
        assert_eq!(progress_text(tr, Some(45)), "45 %");
        assert_ne!(progress_text(tr, None), "0 %");
    }
}
