//! The comité's meetings: filed under a school year and dated within it,
//! with their place, agenda, attendance, minutes and decisions.

use super::{event, invalid_if_any, open, parse_day, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::Db;
use refnum_db::entities::pilotage::{
    comite_decision as decision, comite_presence as presence, comite_reunion as reunion,
};
use refnum_db::pilotage::comite::{self as q, MeetingFields};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::{self as rules, MAX_LABEL, MAX_TEXT};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// A meeting as its form gives it. An empty `school_year` is the date's.
#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub school_year: String,
    pub date: String,
    /// "14:30", or empty.
    pub start_time: String,
    pub place: String,
    pub agenda: String,
}

/// What a meeting's record gives: who was there (member ids), the minutes
/// and whether every reader of the comité sees them.
#[derive(Debug, Clone, Default)]
pub struct MinutesInput {
    pub present: Vec<String>,
    pub minutes: String,
    pub public: bool,
}

/// Checks a meeting's form, or every field error found.
fn fields(input: &MeetingInput) -> Result<MeetingFields> {
    let mut errors: Vec<FieldError> = vec![];
    let date = parse_day(&input.date);
    if date.is_none() {
        errors.push(FieldError {
            field: "date",
            key: "pilotage-error-comite-date",
        });
    }
    let year = if input.school_year.trim().is_empty() {
        date.map(SchoolYear::of)
    } else {
        let y = SchoolYear::parse(&input.school_year);
        if y.is_none() {
            errors.push(FieldError {
                field: "school_year",
                key: "pilotage-error-school-year",
            });
        }
        y
    };
    if let (Some(y), Some(d)) = (year, date)
        && let Err(key) = rules::check_meeting_date(y, d)
    {
        errors.push(FieldError { field: "date", key });
    }
    let start = if input.start_time.trim().is_empty() {
        None
    } else {
        let m = rules::parse_start_time(&input.start_time);
        if m.is_none() {
            errors.push(FieldError {
                field: "start_time",
                key: "pilotage-error-comite-start-time",
            });
        }
        m
    };
    let place = text_field(&input.place, MAX_LABEL, false, "place", &mut errors);
    let agenda = text_field(&input.agenda, MAX_TEXT, false, "agenda", &mut errors);
    invalid_if_any(errors)?;
    match (year, date) {
        (Some(y), Some(d)) => Ok(MeetingFields {
            school_year: y.0,
            date: d,
            start_minute: start.map(i32::from),
            place,
            agenda,
        }),
        _ => Err(ServiceError::field("date", "pilotage-error-comite-date")),
    }
}

fn details(f: &MeetingFields) -> serde_json::Value {
    serde_json::json!({ "school_year": f.school_year, "date": f.date.to_string() })
}

/// Files a meeting (`ManageComite`); its minutes come with
/// [`record_minutes`].
pub async fn create_meeting(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &MeetingInput,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let f = fields(input)?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    let d = details(&f);
    q::insert_meeting(
        &*txn,
        reunion::Model {
            id,
            etablissement_id: etab.id,
            school_year: f.school_year,
            date: f.date,
            start_minute: f.start_minute,
            place: f.place,
            agenda: f.agenda,
            minutes: String::new(),
            minutes_public: false,
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
            "pilotage.comite_meeting_created",
            format!("pilotage_comite_reunion:{id}"),
            etab.id,
            d,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Changes a meeting's year, date, time, place and agenda (`ManageComite`).
pub async fn update_meeting(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &MeetingInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let m = q::get_meeting(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let f = fields(input)?;
    let who = Who::of(ctx);
    let d = details(&f);
    let txn = db.write().await?;
    if !q::update_meeting(&*txn, etab.id, m.id, f, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_meeting_updated",
            format!("pilotage_comite_reunion:{}", m.id),
            etab.id,
            d,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records who attended a meeting, its minutes and whether they are
/// public (`ManageComite`). Every current member gets a row, present or
/// not; a member who has left since keeps theirs.
pub async fn record_minutes(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &MinutesInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let m = q::get_meeting(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors: Vec<FieldError> = vec![];
    let minutes = text_field(&input.minutes, MAX_TEXT, false, "minutes", &mut errors);
    let members = q::members_of(&db.conn, etab.id, true).await?;
    let mut present: Vec<Uuid> = vec![];
    for p in &input.present {
        match Uuid::parse_str(p.trim())
            .ok()
            .filter(|id| members.iter().any(|mb| mb.id == *id))
        {
            Some(id) => present.push(id),
            None => errors.push(FieldError {
                field: "present",
                key: "pilotage-error-comite-member-unknown",
            }),
        }
    }
    invalid_if_any(errors)?;
    let before = q::attendance_of(&db.conn, &[m.id]).await?;
    let rows: Vec<presence::Model> = members
        .iter()
        .filter(|mb| {
            mb.removed_at.is_none()
                || present.contains(&mb.id)
                || before.iter().any(|p| p.membre_id == mb.id)
        })
        .map(|mb| presence::Model {
            id: Uuid::now_v7(),
            reunion_id: m.id,
            membre_id: mb.id,
            present: present.contains(&mb.id),
        })
        .collect();
    let count = rows.iter().filter(|r| r.present).count();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::set_minutes(&*txn, etab.id, m.id, &minutes, input.public, Utc::now()).await? {
        return Err(ServiceError::NotFound);
    }
    q::replace_attendance(&*txn, m.id, rows).await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_minutes_recorded",
            format!("pilotage_comite_reunion:{}", m.id),
            etab.id,
            serde_json::json!({ "present": count, "public": input.public }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds a decision to a meeting (`ManageComite`), after the others.
pub async fn add_decision(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    reunion_id: Uuid,
    text: &str,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let m = q::get_meeting(&db.conn, etab.id, reunion_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut errors: Vec<FieldError> = vec![];
    let text = text_field(text, MAX_TEXT, true, "text", &mut errors);
    invalid_if_any(errors)?;
    let id = Uuid::now_v7();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    let position = q::next_decision_position(&*txn, m.id).await?;
    q::insert_decision(
        &*txn,
        decision::Model {
            id,
            reunion_id: m.id,
            text,
            position,
            created_at: Utc::now(),
        },
    )
    .await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_decision_added",
            format!("pilotage_comite_reunion:{}", m.id),
            etab.id,
            serde_json::json!({ "decision": id, "position": position }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}
