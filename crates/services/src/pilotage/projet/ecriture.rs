//! The plan and its levels: a plan over one to five school years that do
//! not overlap another plan of the school, its axes and objectives.

use super::{event, invalid_if_any, open, parse_day, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{NaiveDate, Utc};
use refnum_db::entities::pilotage::{projet, projet_axe, projet_objectif};
use refnum_db::pilotage::projet as q;
use refnum_db::{Db, is_unique_violation};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::projet::{MAX_LABEL, MAX_TEXT, Period};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// A plan as its form gives it: school years "2025-2026" (or "2025"), the
/// day the board adopted it (optional).
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub title: String,
    pub first_year: String,
    pub last_year: String,
    pub adopted_on: String,
}

fn adopted_on(input: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    if input.trim().is_empty() {
        return None;
    }
    let d = parse_day(input);
    if d.is_none() {
        errors.push(FieldError {
            field: "adopted_on",
            key: "pilotage-error-projet-adopted-on",
        });
    }
    d
}

/// Creates a school's plan (`ManageSchoolProject`). A plan of more than
/// five years, or whose years another plan of the school covers, is
/// refused naming the field.
pub async fn create_plan(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &PlanInput) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let mut errors = vec![];
    let title = text_field(&input.title, MAX_LABEL, true, "title", &mut errors);
    let first = SchoolYear::parse(&input.first_year);
    if first.is_none() {
        errors.push(FieldError {
            field: "first_year",
            key: "pilotage-error-school-year",
        });
    }
    let last = SchoolYear::parse(&input.last_year);
    if last.is_none() {
        errors.push(FieldError {
            field: "last_year",
            key: "pilotage-error-school-year",
        });
    }
    let period = match (first, last) {
        (Some(f), Some(l)) => match Period::new(f, l) {
            Ok(p) => Some(p),
            Err(key) => {
                errors.push(FieldError {
                    field: "last_year",
                    key,
                });
                None
            }
        },
        _ => None,
    };
    let adopted = adopted_on(&input.adopted_on, &mut errors);
    invalid_if_any(errors)?;
    let period = period.ok_or(ServiceError::field(
        "last_year",
        "pilotage-error-school-year",
    ))?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    let row = projet::Model {
        id,
        etablissement_id: etab.id,
        title,
        first_year: period.first().0,
        last_year: period.last().0,
        adopted_on: adopted,
        created_by: Some(ctx.account.id),
        created_at: now,
        updated_at: now,
    };
    if let Err(e) = q::insert_plan(&*txn, row).await {
        if is_unique_violation(&e) {
            return Err(ServiceError::field(
                "first_year",
                "pilotage-error-projet-overlap",
            ));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_created",
            format!("pilotage_projet:{id}"),
            etab.id,
            serde_json::json!({
                "first_year": period.first().0,
                "last_year": period.last().0,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes a plan's title and adoption day (`ManageSchoolProject`); its
/// years stay.
pub async fn update_plan(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &PlanInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let p = q::get_plan(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors = vec![];
    let title = text_field(&input.title, MAX_LABEL, true, "title", &mut errors);
    let adopted = adopted_on(&input.adopted_on, &mut errors);
    invalid_if_any(errors)?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::update_plan(&*txn, etab.id, p.id, &title, adopted, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_updated",
            format!("pilotage_projet:{}", p.id),
            etab.id,
            serde_json::json!({ "adopted_on": adopted.map(|d| d.to_string()) }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds an axis at the end of a plan (`ManageSchoolProject`).
pub async fn add_axis(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    plan_id: Uuid,
    title: &str,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let p = q::get_plan(&db.conn, etab.id, plan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors = vec![];
    let title = text_field(title, MAX_LABEL, true, "axis_title", &mut errors);
    invalid_if_any(errors)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    let position = q::next_axis_position(&*txn, p.id).await?;
    q::insert_axis(
        &*txn,
        projet_axe::Model {
            id,
            etablissement_id: etab.id,
            projet_id: p.id,
            title,
            position,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_axis_added",
            format!("pilotage_projet_axe:{id}"),
            etab.id,
            serde_json::json!({ "projet": p.id, "position": position }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Renames an axis (`ManageSchoolProject`).
pub async fn update_axis(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid, title: &str) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let a = q::get_axis(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors = vec![];
    let title = text_field(title, MAX_LABEL, true, "axis_title", &mut errors);
    invalid_if_any(errors)?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::update_axis(&*txn, etab.id, a.id, &title, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_axis_updated",
            format!("pilotage_projet_axe:{}", a.id),
            etab.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An objective as its form gives it; `axis_id` names an axis of the
/// school's plan (when adding).
#[derive(Debug, Clone, Default)]
pub struct ObjectiveInput {
    pub axis_id: String,
    pub title: String,
    pub description: String,
}

/// Adds an objective to an axis (`ManageSchoolProject`). An axis of
/// another school is not found.
pub async fn add_objective(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &ObjectiveInput,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let mut errors = vec![];
    let axis = match Uuid::parse_str(input.axis_id.trim()) {
        Ok(a) => q::get_axis(&db.conn, etab.id, a).await?,
        Err(_) => None,
    };
    if axis.is_none() {
        errors.push(FieldError {
            field: "axis_id",
            key: "pilotage-error-projet-axis",
        });
    }
    let title = text_field(
        &input.title,
        MAX_LABEL,
        true,
        "objective_title",
        &mut errors,
    );
    let description = text_field(
        &input.description,
        MAX_TEXT,
        false,
        "description",
        &mut errors,
    );
    invalid_if_any(errors)?;
    let axis = axis.ok_or(ServiceError::NotFound)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    q::insert_objective(
        &*txn,
        projet_objectif::Model {
            id,
            etablissement_id: etab.id,
            projet_id: axis.projet_id,
            axe_id: axis.id,
            title,
            description,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_objective_added",
            format!("pilotage_projet_objectif:{id}"),
            etab.id,
            serde_json::json!({ "axe": axis.id }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes an objective's title and description (`ManageSchoolProject`);
/// its axis stays.
pub async fn update_objective(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &ObjectiveInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let o = q::get_objective(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors = vec![];
    let title = text_field(
        &input.title,
        MAX_LABEL,
        true,
        "objective_title",
        &mut errors,
    );
    let description = text_field(
        &input.description,
        MAX_TEXT,
        false,
        "description",
        &mut errors,
    );
    invalid_if_any(errors)?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::update_objective(&*txn, etab.id, o.id, &title, &description, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_objective_updated",
            format!("pilotage_projet_objectif:{}", o.id),
            etab.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
