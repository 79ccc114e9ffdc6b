//! The project's actions: dates within the plan, an owner, a progress and
//! a status that moves by the domain's transitions; and the link of the
//! comité's actions to the project's objectives (the comité's decisions
//! feed the project).

use super::{event, invalid_if_any, open, parse_day, period_of, status_of, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::projet_action;
use refnum_db::pilotage::comite as comite_q;
use refnum_db::pilotage::projet::{self as q, ActionFields};
use refnum_domain::pilotage::comite::ActionStatus;
use refnum_domain::pilotage::projet::{
    MAX_LABEL, Period, check_action_dates, parse_progress, progress_at,
};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// An action as its form gives it. `progress` empty is 0 %;
/// `comite_action_id` empty when no action of the comité feeds it.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub title: String,
    pub owner: String,
    pub start_on: String,
    pub end_on: String,
    pub progress: String,
    pub comite_action_id: String,
}

/// Checks an action's fields against its plan.
async fn check(
    db: &Db,
    etab: &etablissement::Model,
    period: Period,
    status: ActionStatus,
    input: &ActionInput,
) -> Result<ActionFields> {
    let mut errors: Vec<FieldError> = vec![];
    let title = text_field(&input.title, MAX_LABEL, true, "title", &mut errors);
    let owner_name = text_field(&input.owner, MAX_LABEL, true, "owner", &mut errors);
    let start = parse_day(&input.start_on);
    if start.is_none() {
        errors.push(FieldError {
            field: "start_on",
            key: "pilotage-error-projet-date",
        });
    }
    let end = parse_day(&input.end_on);
    if end.is_none() {
        errors.push(FieldError {
            field: "end_on",
            key: "pilotage-error-projet-date",
        });
    }
    if let (Some(s), Some(e)) = (start, end)
        && let Err((field, key)) = check_action_dates(period, s, e)
    {
        errors.push(FieldError { field, key });
    }
    let progress = if input.progress.trim().is_empty() {
        0
    } else {
        match parse_progress(&input.progress) {
            Ok(p) => p,
            Err(key) => {
                errors.push(FieldError {
                    field: "progress",
                    key,
                });
                0
            }
        }
    };
    let comite_action_id = if input.comite_action_id.trim().is_empty() {
        None
    } else {
        let found = match Uuid::parse_str(input.comite_action_id.trim()) {
            Ok(c) => comite_q::get_action(&db.conn, etab.id, c).await?,
            Err(_) => None,
        };
        if found.is_none() {
            errors.push(FieldError {
                field: "comite_action_id",
                key: "pilotage-error-projet-comite-action",
            });
        }
        found.map(|c| c.id)
    };
    invalid_if_any(errors)?;
    match (start, end) {
        (Some(start_on), Some(end_on)) => Ok(ActionFields {
            title,
            owner_name,
            start_on,
            end_on,
            progress: progress_at(status, progress),
            comite_action_id,
        }),
        _ => Err(ServiceError::field(
            "start_on",
            "pilotage-error-projet-date",
        )),
    }
}

/// Adds an action to an objective (`ManageSchoolProject`), to do. An
/// objective of another school is not found; dates outside the plan are
/// refused naming the field.
pub async fn add_action(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    objective_id: Uuid,
    input: &ActionInput,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let o = q::get_objective(&db.conn, etab.id, objective_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, o.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let f = check(db, &etab, period_of(&plan)?, ActionStatus::Todo, input).await?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let details = serde_json::json!({
        "objectif": o.id,
        "start_on": f.start_on.to_string(),
        "end_on": f.end_on.to_string(),
        "progress": f.progress,
        "comite_action": f.comite_action_id,
    });
    let txn = db.write().await?;
    q::insert_action(
        &*txn,
        projet_action::Model {
            id,
            etablissement_id: etab.id,
            projet_id: plan.id,
            objectif_id: o.id,
            title: f.title,
            owner_name: f.owner_name,
            start_on: f.start_on,
            end_on: f.end_on,
            status: ActionStatus::Todo.as_str().into(),
            progress: f.progress,
            comite_action_id: f.comite_action_id,
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_action_added",
            format!("pilotage_projet_action:{id}"),
            etab.id,
            details,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes an action's title, owner, dates, progress and the comité's
/// action that feeds it (`ManageSchoolProject`). A done action stays at
/// 100 %.
pub async fn update_action(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &ActionInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let a = q::get_action(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let plan = q::get_plan(&db.conn, etab.id, a.projet_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let f = check(db, &etab, period_of(&plan)?, status_of(&a), input).await?;
    let who = Who::of(ctx);
    let details = serde_json::json!({
        "progress": { "from": a.progress, "to": f.progress },
        "start_on": f.start_on.to_string(),
        "end_on": f.end_on.to_string(),
    });
    let txn = db.write().await?;
    if !q::update_action(&*txn, etab.id, a.id, f, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_action_updated",
            format!("pilotage_projet_action:{}", a.id),
            etab.id,
            details,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves an action to another status (`ManageSchoolProject`), as the
/// domain's transitions allow; done brings its progress to 100 %. A
/// concurrent change that came first wins.
pub async fn set_action_status(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    status: &str,
) -> Result<ActionStatus> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let a = q::get_action(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let to = ActionStatus::parse(status.trim()).ok_or(ServiceError::field(
        "status",
        "pilotage-error-comite-action-status",
    ))?;
    let from = status_of(&a);
    let to = from
        .next(to)
        .map_err(|key| ServiceError::field("status", key))?;
    let progress = progress_at(to, a.progress);
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::move_action_status(
        &*txn,
        etab.id,
        a.id,
        from.as_str(),
        to.as_str(),
        progress,
        Utc::now(),
    )
    .await?
    {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-comite-action-changed",
        ));
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_action_status_changed",
            format!("pilotage_projet_action:{}", a.id),
            etab.id,
            serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "progress": progress }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(to)
}

/// Links an action of the school's comité to an objective of the school's
/// project, or unlinks it (`objective` none) (`ManageSchoolProject`). An
/// action or objective of another school is not found.
pub async fn link_comite_action(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    comite_action_id: Uuid,
    objective: Option<Uuid>,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageSchoolProject).await?;
    let c = comite_q::get_action(&db.conn, etab.id, comite_action_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let objective = match objective {
        Some(o) => Some(
            q::get_objective(&db.conn, etab.id, o)
                .await?
                .ok_or(ServiceError::NotFound)?
                .id,
        ),
        None => None,
    };
    let who = Who::of(ctx);
    let txn = db.write().await?;
    // The objective is read again in the transaction: the link has no
    // foreign key (see the migration).
    if let Some(o) = objective
        && q::get_objective(&*txn, etab.id, o).await?.is_none()
    {
        return Err(ServiceError::NotFound);
    }
    if !q::link_comite_action(&*txn, etab.id, c.id, objective, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.projet_comite_action_linked",
            format!("pilotage_comite_action:{}", c.id),
            etab.id,
            serde_json::json!({ "from": c.objective_id, "to": objective }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
