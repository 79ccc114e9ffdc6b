//! Registrations, attendance and feedback. A staff member registers
//! themself to a planned session until its day, once, while a seat is
//! left: the seats are counted under the session's row lock in the write
//! transaction that inserts, so concurrent registrations never exceed the
//! capacity. Those who run the plan record who attended, which makes the
//! session held; an attendee then rates it and says a word.

use super::{event, invalid_if_any, open, status_of, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{NaiveDate, Utc};
use refnum_db::entities::pilotage::formation_inscription as inscription;
use refnum_db::pilotage::formations as q;
use refnum_db::{Db, is_unique_violation};
use refnum_domain::pilotage::formations::{self as rules, MAX_COMMENT, SessionStatus};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// The caller registers to a session (`ViewTrainingPlan`), on `today`.
pub async fn register(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid, today: NaiveDate) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    let who = Who::of(ctx);
    let me = ctx.account.id;
    let txn = db.write().await?;
    let s = q::lock_session(&*txn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let registered = q::registered_count(&*txn, id).await?;
    let already = q::registration(&*txn, id, me).await?.is_some();
    rules::may_register(
        status_of(&s),
        s.date,
        today,
        s.capacity,
        registered,
        already,
    )
    .map_err(|r| ServiceError::field("session", r.key()))?;
    if let Err(e) = q::insert_registration(
        &*txn,
        inscription::Model {
            id: Uuid::now_v7(),
            session_id: id,
            account_id: me,
            registered_at: Utc::now(),
            attended: None,
            rating: None,
            feedback: String::new(),
            feedback_at: None,
        },
    )
    .await
    {
        return Err(if is_unique_violation(&e) {
            ServiceError::field("session", "pilotage-error-formation-registered-twice")
        } else {
            e.into()
        });
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_registered",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            serde_json::json!({ "seats_left": rules::seats_left(s.capacity, registered + 1) }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The caller withdraws their registration (`ViewTrainingPlan`) while the
/// session is planned and its day has not passed.
pub async fn unregister(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    today: NaiveDate,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    let s = q::get_session(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !rules::registration_open(status_of(&s), s.date, today) {
        return Err(ServiceError::field(
            "session",
            "pilotage-error-formation-closed",
        ));
    }
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::delete_registration(&*txn, id, ctx.account.id).await? {
        return Err(ServiceError::field(
            "session",
            "pilotage-error-formation-not-registered",
        ));
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_unregistered",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records who attended a session (`ManageTrainingPlan`): `attended` are
/// account ids of registered people; the others registered did not come.
/// The session is then held (a held session's attendance is corrected the
/// same way). Not before the session's day, not for a cancelled one.
pub async fn record_attendance(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    attended: &[String],
    today: NaiveDate,
) -> Result<u64> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    let s = q::get_session(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors: Vec<FieldError> = vec![];
    if !status_of(&s).may_record_attendance() {
        errors.push(FieldError {
            field: "attended",
            key: "pilotage-error-formation-cancelled",
        });
    } else if let Err(key) = rules::check_attendance_day(s.date, today) {
        errors.push(FieldError {
            field: "attended",
            key,
        });
    }
    let regs = q::registrations_of(&db.conn, &[id]).await?;
    let mut came: Vec<Uuid> = vec![];
    for a in attended {
        match Uuid::parse_str(a.trim())
            .ok()
            .filter(|a| regs.iter().any(|r| r.account_id == *a))
        {
            Some(a) => came.push(a),
            None => errors.push(FieldError {
                field: "attended",
                key: "pilotage-error-formation-not-registered",
            }),
        }
    }
    invalid_if_any(errors)?;
    came.sort();
    came.dedup();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::move_session_status(
        &*txn,
        etab.id,
        id,
        &[
            SessionStatus::Planned.as_str(),
            SessionStatus::Held.as_str(),
        ],
        SessionStatus::Held.as_str(),
        Utc::now(),
    )
    .await?
    {
        return Err(ServiceError::field(
            "attended",
            "pilotage-error-formation-cancelled",
        ));
    }
    q::set_attendance(&*txn, id, &came).await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_attendance_recorded",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            serde_json::json!({ "attended": came.len(), "registered": regs.len() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(came.len() as u64)
}

/// A feedback as its form gives it.
#[derive(Debug, Clone, Default)]
pub struct FeedbackInput {
    pub rating: String,
    pub comment: String,
}

/// An attendee of a held session rates it, 1 to 5, with a comment
/// (`ViewTrainingPlan`); giving it again replaces it.
pub async fn give_feedback(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &FeedbackInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    let s = q::get_session(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mine = q::registration(&db.conn, id, ctx.account.id).await?;
    let mut errors: Vec<FieldError> = vec![];
    if !rules::may_give_feedback(status_of(&s), mine.as_ref().and_then(|m| m.attended)) {
        errors.push(FieldError {
            field: "rating",
            key: "pilotage-error-formation-feedback-attendees",
        });
    }
    let rating = rules::parse_rating(&input.rating)
        .map_err(|key| {
            errors.push(FieldError {
                field: "rating",
                key,
            })
        })
        .ok();
    let comment = text_field(&input.comment, MAX_COMMENT, false, "comment", &mut errors);
    invalid_if_any(errors)?;
    let rating = rating.ok_or(ServiceError::NotFound)?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::set_feedback(&*txn, id, ctx.account.id, rating, &comment, Utc::now()).await? {
        return Err(ServiceError::field(
            "rating",
            "pilotage-error-formation-feedback-attendees",
        ));
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_feedback_given",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            serde_json::json!({ "rating": rating }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
