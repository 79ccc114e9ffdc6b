//! The plan's sessions: an in-school workshop led by someone of the school
//! or an outside offer with its link and code, on site or remote, dated
//! within the school year it is filed under. A change of a planned
//! session's day, time or place, and its cancellation, notify the people
//! registered.

use super::{event, invalid_if_any, open, status_of, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::assistance::{self as tq, NewNotification};
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::formation_session as session;
use refnum_db::pilotage::formations::{self as q, SessionFields};
use refnum_db::{ConnectionTrait, Db, DbErr, accounts};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::parse_start_time;
use refnum_domain::pilotage::formations::{
    self as rules, MAX_LABEL, Modality, SessionKind, SessionStatus,
};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// The notification kind of a cancelled session.
pub const KIND_CANCELLED: &str = "formation-session-cancelled";
/// The notification kind of a session whose day, time or place changed.
pub const KIND_CHANGED: &str = "formation-session-changed";

/// The page of a session.
pub fn session_link(etab: Uuid, id: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage/formations/sessions/{id}")
}

/// A session as its form gives it. An empty `school_year` is the date's.
/// A workshop's leader is an account of the school (`leader_account_id`)
/// or a name; an outside offer has a link or a code (or both).
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    pub school_year: String,
    pub theme_id: String,
    pub title: String,
    pub kind: String,
    pub leader_account_id: String,
    pub leader_name: String,
    pub link: String,
    pub code: String,
    pub date: String,
    /// "14:30", or empty.
    pub start_time: String,
    pub duration_minutes: String,
    pub modality: String,
    pub place: String,
    pub capacity: String,
}

/// Checks a session's form, or every field error found.
async fn check(
    db: &Db,
    etab: &etablissement::Model,
    input: &SessionInput,
) -> Result<SessionFields> {
    let mut errors: Vec<FieldError> = vec![];
    let err = |field, key| FieldError { field, key };
    let title = text_field(&input.title, MAX_LABEL, true, "title", &mut errors);
    let themes = q::themes_of(&db.conn, etab.id, true).await?;
    let theme = Uuid::parse_str(input.theme_id.trim())
        .ok()
        .and_then(|id| themes.iter().find(|t| t.id == id));
    if theme.is_none() {
        errors.push(err("theme_id", "pilotage-error-formation-theme"));
    }
    let kind = SessionKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push(err("kind", "pilotage-error-formation-kind"));
    }
    let mut leader_name = text_field(
        &input.leader_name,
        MAX_LABEL,
        false,
        "leader_name",
        &mut errors,
    );
    let leader_account_id = if input.leader_account_id.trim().is_empty() {
        None
    } else {
        let staff = accounts::members_of_etablissement(&db.conn, etab.id).await?;
        match Uuid::parse_str(input.leader_account_id.trim())
            .ok()
            .and_then(|id| staff.into_iter().find(|(a, _)| a.id == id))
        {
            Some((a, _)) => {
                leader_name = a.display_name;
                Some(a.id)
            }
            None => {
                errors.push(err(
                    "leader_account_id",
                    "pilotage-error-formation-leader-unknown",
                ));
                None
            }
        }
    };
    let link = input.link.trim().to_string();
    let code = text_field(&input.code, MAX_LABEL, false, "code", &mut errors);
    if !link.is_empty()
        && let Err(key) = rules::check_link(&link)
    {
        errors.push(err("link", key));
    }
    match kind {
        Some(SessionKind::Atelier) if leader_account_id.is_none() && leader_name.is_empty() => {
            errors.push(err("leader_name", "pilotage-error-formation-leader"));
        }
        Some(k) if k.outside() && link.is_empty() && code.is_empty() => {
            errors.push(err("link", "pilotage-error-formation-link-or-code"));
        }
        _ => {}
    }
    let date = super::parse_day(&input.date);
    if date.is_none() {
        errors.push(err("date", "pilotage-error-formation-date"));
    }
    let year = if input.school_year.trim().is_empty() {
        date.map(SchoolYear::of)
    } else {
        let y = SchoolYear::parse(&input.school_year);
        if y.is_none() {
            errors.push(err("school_year", "pilotage-error-school-year"));
        }
        y
    };
    if let (Some(y), Some(d)) = (year, date)
        && let Err(key) = rules::check_session_date(y, d)
    {
        errors.push(err("date", key));
    }
    let start = if input.start_time.trim().is_empty() {
        None
    } else {
        let m = parse_start_time(&input.start_time);
        if m.is_none() {
            errors.push(err("start_time", "pilotage-error-comite-start-time"));
        }
        m
    };
    let duration = rules::parse_duration(&input.duration_minutes)
        .map_err(|key| errors.push(err("duration_minutes", key)))
        .ok();
    let modality = Modality::parse(input.modality.trim());
    if modality.is_none() {
        errors.push(err("modality", "pilotage-error-formation-modality"));
    }
    let place = text_field(&input.place, MAX_LABEL, false, "place", &mut errors);
    if modality == Some(Modality::Presentiel) && place.is_empty() {
        errors.push(err("place", "pilotage-error-formation-place"));
    }
    let capacity = rules::parse_capacity(&input.capacity)
        .map_err(|key| errors.push(err("capacity", key)))
        .ok();
    invalid_if_any(errors)?;
    match (theme, kind, year, date, duration, modality, capacity) {
        (Some(t), Some(k), Some(y), Some(d), Some(duration), Some(m), Some(capacity)) => {
            Ok(SessionFields {
                school_year: y.0,
                theme_id: t.id,
                title,
                kind: k.as_str().into(),
                leader_account_id,
                leader_name,
                link: if k.outside() { link } else { String::new() },
                code: if k.outside() { code } else { String::new() },
                date: d,
                start_minute: start.map(i32::from),
                duration_minutes: duration,
                modality: m.as_str().into(),
                place,
                capacity,
            })
        }
        _ => Err(ServiceError::field("date", "pilotage-error-formation-date")),
    }
}

fn details(f: &SessionFields) -> serde_json::Value {
    serde_json::json!({
        "school_year": f.school_year,
        "date": f.date.to_string(),
        "kind": f.kind,
        "capacity": f.capacity,
    })
}

/// Plans a session (`ManageTrainingPlan`).
pub async fn create_session(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &SessionInput,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    let f = check(db, &etab, input).await?;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let who = Who::of(ctx);
    let d = details(&f);
    let txn = db.write().await?;
    q::insert_session(
        &*txn,
        session::Model {
            id,
            etablissement_id: etab.id,
            school_year: f.school_year,
            theme_id: f.theme_id,
            title: f.title,
            kind: f.kind,
            leader_account_id: f.leader_account_id,
            leader_name: f.leader_name,
            link: f.link,
            code: f.code,
            date: f.date,
            start_minute: f.start_minute,
            duration_minutes: f.duration_minutes,
            modality: f.modality,
            place: f.place,
            capacity: f.capacity,
            status: SessionStatus::Planned.as_str().into(),
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
            "pilotage.formation_session_created",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            d,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Notifies the people registered to a session (in the caller's
/// transaction); returns how many.
async fn notify_registered<C: ConnectionTrait>(
    c: &C,
    s: &session::Model,
    kind: &str,
    now: DateTime<Utc>,
) -> std::result::Result<usize, DbErr> {
    let to: Vec<Uuid> = q::registrations_of(c, &[s.id])
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect();
    let title = format!("{} · {}", s.title, s.date.format("%d/%m/%Y"));
    let n = to.len();
    let items = to
        .into_iter()
        .map(|account| NewNotification {
            account_id: account,
            ticket_id: None,
            etablissement_id: Some(s.etablissement_id),
            kind: kind.to_string(),
            title: title.clone(),
            link: session_link(s.etablissement_id, s.id),
        })
        .collect();
    tq::notify(c, items, now).await?;
    Ok(n)
}

/// Changes a planned session (`ManageTrainingPlan`). The capacity may not
/// fall below the registrations; a change of day, time, place or modality
/// notifies the registered people.
pub async fn update_session(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &SessionInput,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    let before = q::get_session(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !status_of(&before).editable() {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-formation-not-planned",
        ));
    }
    let f = check(db, &etab, input).await?;
    let who = Who::of(ctx);
    let d = details(&f);
    let now = Utc::now();
    let txn = db.write().await?;
    let Some(locked) = q::lock_session(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let registered = q::registered_count(&*txn, id).await?;
    if u64::try_from(f.capacity).unwrap_or(0) < registered {
        return Err(ServiceError::field(
            "capacity",
            "pilotage-error-formation-capacity-below",
        ));
    }
    let moved = locked.date != f.date
        || locked.start_minute != f.start_minute
        || locked.place != f.place
        || locked.modality != f.modality;
    if !q::update_session(&*txn, etab.id, id, f, now).await? {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-formation-not-planned",
        ));
    }
    let notified = if moved {
        let s = q::get_session(&*txn, etab.id, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        notify_registered(&*txn, &s, KIND_CHANGED, now).await?
    } else {
        0
    };
    let mut d = d;
    d["notified"] = serde_json::json!(notified);
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_session_updated",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            d,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancels a planned session (`ManageTrainingPlan`) and notifies the
/// registered people; their registrations stay, for the record.
pub async fn cancel_session(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    let s = q::get_session(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let who = Who::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    if !q::move_session_status(
        &*txn,
        etab.id,
        id,
        &[SessionStatus::Planned.as_str()],
        SessionStatus::Cancelled.as_str(),
        now,
    )
    .await?
    {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-formation-not-planned",
        ));
    }
    let notified = notify_registered(&*txn, &s, KIND_CANCELLED, now).await?;
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_session_cancelled",
            format!("pilotage_formation_session:{id}"),
            etab.id,
            serde_json::json!({ "notified": notified }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
