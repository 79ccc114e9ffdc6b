//! The project's indicators: typed by hand in a unit and a direction, or
//! bound to a figure RefNum computes; a baseline, a target per school year
//! of the plan, and for typed ones a value recorded per year.

use super::{event, invalid_if_any, open, period_of, source_of, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use crate::pilotage::saisie::row_field;
use chrono::Utc;
use refnum_db::Db;
use refnum_db::entities::pilotage::projet_indicateur;
use refnum_db::pilotage::projet::{self as q, IndicatorFields};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::indicateurs::{Direction, Metric, Unit, parse_value};
use refnum_domain::pilotage::lettre::IndicatorSource;
use refnum_domain::pilotage::projet::{MAX_LABEL, Period};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// An indicator as its form gives it. `source` is `manual` or the code of
/// a metric RefNum computes; `unit` and `direction` are a typed one's.
/// `targets` holds one entry per school year of the plan, in order (empty:
/// no target that year).
#[derive(Debug, Clone, Default)]
pub struct IndicatorInput {
    pub label: String,
    pub source: String,
    pub unit: String,
    pub direction: String,
    pub baseline: String,
    pub targets: Vec<String>,
}

/// The field of the target of the plan's `i`-th school year.
pub fn target_field(i: usize) -> &'static str {
    row_field("year", i, "target")
}

struct Checked {
    fields: IndicatorFields,
    targets: Vec<(i32, Option<i64>)>,
}

fn check(period: Period, input: &IndicatorInput) -> Result<Checked> {
    let mut errors: Vec<FieldError> = vec![];
    let label = text_field(&input.label, MAX_LABEL, true, "label", &mut errors);
    let source = match input.source.trim() {
        "manual" | "" => {
            let unit = Unit::parse(input.unit.trim());
            if unit.is_none() {
                errors.push(FieldError {
                    field: "unit",
                    key: "pilotage-error-projet-unit",
                });
            }
            let direction = Direction::parse(input.direction.trim());
            if direction.is_none() {
                errors.push(FieldError {
                    field: "direction",
                    key: "pilotage-error-projet-direction",
                });
            }
            match (unit, direction) {
                (Some(unit), Some(direction)) => Some(IndicatorSource::Manual { unit, direction }),
                _ => None,
            }
        }
        code => match Metric::parse(code).filter(|m| m.computed_today()) {
            Some(metric) => Some(IndicatorSource::Bound { metric }),
            None => {
                errors.push(FieldError {
                    field: "source",
                    key: "pilotage-error-metric",
                });
                None
            }
        },
    };
    let mut targets = vec![];
    let mut baseline = None;
    if let Some(source) = source {
        let unit = source.unit();
        if !input.baseline.trim().is_empty() {
            match parse_value(unit, &input.baseline) {
                Ok(v) => baseline = Some(v),
                Err(key) => errors.push(FieldError {
                    field: "baseline",
                    key,
                }),
            }
        }
        for (i, y) in period.years().into_iter().enumerate() {
            let typed = input.targets.get(i).map(|s| s.trim()).unwrap_or("");
            if typed.is_empty() {
                targets.push((y.0, None));
                continue;
            }
            match parse_value(unit, typed) {
                Ok(v) => targets.push((y.0, Some(v))),
                Err(key) => errors.push(FieldError {
                    field: target_field(i),
                    key,
                }),
            }
        }
    }
    invalid_if_any(errors)?;
    let source = source.ok_or(ServiceError::field("source", "pilotage-error-metric"))?;
    let (kind, metric) = match source {
        IndicatorSource::Bound { metric } => ("bound", Some(metric.as_str().to_string())),
        IndicatorSource::Manual { .. } => ("manual", None),
    };
    Ok(Checked {
        fields: IndicatorFields {
            label,
            source_kind: kind.into(),
            metric,
            unit: source.unit().as_str().into(),
            direction: source.direction().as_str().into(),
            baseline,
        },
        targets,
    })
}

/// Adds an indicator to an objective (`ManageSchoolProject`), with its
/// targets. A target that is not a number is refused naming its year's
/// field, and nothing is written.
pub async fn add_indicator(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    objective_id: Uuid,
    input: &IndicatorInput,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let o = q::get_objective(&db.conn, etab.id, objective_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, o.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let c = check(period_of(&plan)?, input)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let details = serde_json::json!({
        "objectif": o.id,
        "source": c.fields.metric.clone().unwrap_or_else(|| "manual".into()),
        "targets": c.targets,
    });
    let txn = db.write().await?;
    let f = c.fields;
    q::insert_indicator(
        &*txn,
        projet_indicateur::Model {
            id,
            etablissement_id: etab.id,
            projet_id: plan.id,
            objectif_id: o.id,
            label: f.label,
            source_kind: f.source_kind,
            metric: f.metric,
            unit: f.unit,
            direction: f.direction,
            baseline: f.baseline,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    q::set_targets(&*txn, id, &c.targets).await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_indicator_added",
            format!("pilotage_projet_indicateur:{id}"),
            etab.id,
            details,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes an indicator and its targets (`ManageSchoolProject`); the
/// values recorded stay.
pub async fn update_indicator(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &IndicatorInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let i = q::get_indicator(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, i.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let c = check(period_of(&plan)?, input)?;
    let who = Who::of(ctx);
    let details = serde_json::json!({ "targets": c.targets });
    let txn = db.write().await?;
    if !q::update_indicator(&*txn, etab.id, i.id, c.fields, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    q::set_targets(&*txn, i.id, &c.targets).await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_indicator_updated",
            format!("pilotage_projet_indicateur:{}", i.id),
            etab.id,
            details,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records a typed indicator's value for a school year of the plan
/// (`ManageSchoolProject`). A bound indicator's value is computed, not
/// typed; a year outside the plan is refused.
pub async fn record_value(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    school_year: &str,
    value: &str,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let i = q::get_indicator(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, i.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let source = source_of(&i);
    if matches!(source, IndicatorSource::Bound { .. }) {
        return Err(ServiceError::field(
            "value",
            "pilotage-error-projet-value-bound",
        ));
    }
    let mut errors = vec![];
    let year = SchoolYear::parse(school_year).filter(|y| {
        period_of(&plan)
            .map(|p| p.contains_year(*y))
            .unwrap_or(false)
    });
    if year.is_none() {
        errors.push(FieldError {
            field: "school_year",
            key: "pilotage-error-projet-year-outside-plan",
        });
    }
    let v = match parse_value(source.unit(), value) {
        Ok(v) => Some(v),
        Err(key) => {
            errors.push(FieldError {
                field: "value",
                key,
            });
            None
        }
    };
    invalid_if_any(errors)?;
    let (Some(year), Some(v)) = (year, v) else {
        return Err(ServiceError::field(
            "value",
            "pilotage-error-value-not-a-number",
        ));
    };
    let who = Who::of(ctx);
    let txn = db.write().await?;
    q::record_value(&*txn, i.id, year.0, Some(v), Utc::now()).await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_value_recorded",
            format!("pilotage_projet_indicateur:{}", i.id),
            etab.id,
            serde_json::json!({ "school_year": year.0, "value": v }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
