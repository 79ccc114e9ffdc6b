//! The comité's actions: from a meeting, one of its decisions, or
//! standalone; an owner of the school's staff or a named person, a due
//! date, a status that moves by the domain's transitions.

use super::{event, invalid_if_any, open, parse_day, status_of, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::comite_action as action;
use refnum_db::pilotage::comite::{self as q, ActionFields};
use refnum_db::{Db, accounts};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::{ActionStatus, MAX_LABEL, MAX_TEXT};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// An action as its form gives it. `reunion_id` (and `decision_id`, one
/// of that meeting's) when it comes out of a meeting; otherwise
/// `school_year` files it (empty: the current year). The owner is an
/// account of the school's staff (`owner_account_id`) or a named person
/// (`owner_name`).
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub reunion_id: Option<Uuid>,
    pub decision_id: Option<Uuid>,
    pub school_year: String,
    pub title: String,
    pub detail: String,
    pub owner_account_id: String,
    pub owner_name: String,
    pub due_on: String,
}

/// Checks the fields an action's creation and edition share.
async fn check(db: &Db, etab: &etablissement::Model, input: &ActionInput) -> Result<ActionFields> {
    let mut errors: Vec<FieldError> = vec![];
    let title = text_field(&input.title, MAX_LABEL, true, "title", &mut errors);
    let detail = text_field(&input.detail, MAX_TEXT, false, "detail", &mut errors);
    let due_on = parse_day(&input.due_on);
    if due_on.is_none() {
        errors.push(FieldError {
            field: "due_on",
            key: "pilotage-error-comite-due-date",
        });
    }
    let (owner_account_id, owner_name) = if input.owner_account_id.trim().is_empty() {
        let name = text_field(&input.owner_name, MAX_LABEL, false, "owner", &mut errors);
        if name.is_empty() {
            errors.push(FieldError {
                field: "owner",
                key: "pilotage-error-comite-owner-empty",
            });
        }
        (None, name)
    } else {
        let staff = accounts::members_of_etablissement(&db.conn, etab.id).await?;
        match Uuid::parse_str(input.owner_account_id.trim())
            .ok()
            .and_then(|id| staff.into_iter().find(|(a, _)| a.id == id))
        {
            Some((a, _)) => (Some(a.id), a.display_name),
            None => {
                errors.push(FieldError {
                    field: "owner",
                    key: "pilotage-error-comite-owner-unknown",
                });
                (None, String::new())
            }
        }
    };
    invalid_if_any(errors)?;
    let due_on = due_on.ok_or(ServiceError::field(
        "due_on",
        "pilotage-error-comite-due-date",
    ))?;
    Ok(ActionFields {
        title,
        detail,
        owner_account_id,
        owner_name,
        due_on,
    })
}

/// Creates an action of a school's comité (`ManageComite`), to do. A
/// meeting or decision of another school is not found.
pub async fn create_action(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &ActionInput) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let meeting = match input.reunion_id {
        Some(r) => Some(
            q::get_meeting(&db.conn, etab.id, r)
                .await?
                .ok_or(ServiceError::NotFound)?,
        ),
        None => None,
    };
    let decision_id = match (input.decision_id, &meeting) {
        (Some(d), Some(m)) => Some(
            q::get_decision(&db.conn, m.id, d)
                .await?
                .ok_or(ServiceError::NotFound)?
                .id,
        ),
        (Some(_), None) => return Err(ServiceError::NotFound),
        (None, _) => None,
    };
    let year = match &meeting {
        Some(m) => SchoolYear(m.school_year),
        None if input.school_year.trim().is_empty() => SchoolYear::of(super::today()),
        None => SchoolYear::parse(&input.school_year).ok_or(ServiceError::field(
            "school_year",
            "pilotage-error-school-year",
        ))?,
    };
    let c = check(db, &etab, input).await?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let details = serde_json::json!({
        "school_year": year.0,
        "reunion": meeting.as_ref().map(|m| m.id),
        "decision": decision_id,
        "due_on": c.due_on.to_string(),
    });
    let txn = db.write().await?;
    q::insert_action(
        &*txn,
        action::Model {
            id,
            etablissement_id: etab.id,
            school_year: year.0,
            reunion_id: meeting.map(|m| m.id),
            decision_id,
            title: c.title,
            detail: c.detail,
            owner_account_id: c.owner_account_id,
            owner_name: c.owner_name,
            due_on: c.due_on,
            status: ActionStatus::Todo.as_str().into(),
            objective_id: None,
            reminded_at: None,
            created_by: Some(ctx.account.id),
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_action_created",
            format!("pilotage_comite_action:{id}"),
            etab.id,
            details,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes an action's title, detail, owner and due date (`ManageComite`).
/// A new due date is reminded again once it passes.
pub async fn update_action(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &ActionInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let a = q::get_action(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let c = check(db, &etab, input).await?;
    let who = Who::of(ctx);
    let new_due = c.due_on != a.due_on;
    let due_on = c.due_on;
    let txn = db.write().await?;
    if !q::update_action(&*txn, etab.id, a.id, c, new_due, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_action_updated",
            format!("pilotage_comite_action:{}", a.id),
            etab.id,
            serde_json::json!({ "due_on": due_on.to_string() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves an action to another status (`ManageComite`), as the domain's
/// transitions allow; a concurrent change that came first wins.
pub async fn set_action_status(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    status: &str,
) -> Result<ActionStatus> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
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
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::move_action_status(&*txn, etab.id, a.id, from.as_str(), to.as_str(), Utc::now()).await? {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-comite-action-changed",
        ));
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_action_status_changed",
            format!("pilotage_comite_action:{}", a.id),
            etab.id,
            serde_json::json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(to)
}
