//! What the bookings API needs around the pages' use cases: the school of a
//! resource or a booking named alone in a route (the use cases then check
//! the caller's scope and role), the slot codes of a request, and a
//! resource's occurrences over a range with the week view's visibility of
//! names.

use crate::Ctx;
use crate::error::{FieldError, Result, ServiceError};
use crate::reservations::book::{self, BookingInput};
use crate::reservations::resources::{self, ResourceView};
use crate::reservations::views::{self, Occurrence};
use crate::reservations::{Rights, open};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use refnum_db::Db;
use refnum_db::entities::reservations::booking;
use refnum_db::reservations as q;
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// A range of a resource's bookings spans at most this many days.
pub const RANGE_MAX_DAYS: i64 = 366;

/// The school of a bookable resource (404 when there is none).
pub async fn school_of_resource(db: &Db, id: Uuid) -> Result<Uuid> {
    q::resource_school(&db.conn, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The school of a booking (404 when there is none).
pub async fn school_of_booking(db: &Db, id: Uuid) -> Result<Uuid> {
    q::booking_school(&db.conn, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A booking request of the API, before its slot codes are resolved.
#[derive(Debug, Clone, Default)]
pub struct ApiBooking {
    pub for_account: Option<Uuid>,
    pub structure: Option<Uuid>,
    /// One-off: the date.
    pub day: String,
    /// Slot codes (`M2`), first and last of a run.
    pub slot_from: String,
    pub slot_to: String,
    /// `HH:MM`, for a time range (instead of slots).
    pub start: String,
    pub end: String,
    /// Weekly: ISO weekday (1 = Monday … 7 = Sunday), first and last date.
    pub weekly: Option<(u32, String, String)>,
    pub note: String,
}

fn invalid(field: &'static str, key: &'static str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError { field, key }])
}

/// The form's input for an API request: slot codes become the school's
/// slot ids, a weekly request starts on its first matching date.
pub async fn input_of(db: &Db, etab_id: Uuid, r: &ApiBooking) -> Result<BookingInput> {
    let slots = q::slots_of(&db.conn, etab_id).await?;
    let id_of = |code: &str, field: &'static str| -> Result<String> {
        slots
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(code.trim()))
            .map(|s| s.id.to_string())
            .ok_or_else(|| invalid(field, "resa-error-slot"))
    };
    let timed = !r.start.trim().is_empty() || !r.end.trim().is_empty();
    let (slot_from, slot_to) = if timed {
        (String::new(), String::new())
    } else {
        let from = id_of(&r.slot_from, "slot_from")?;
        let to = if r.slot_to.trim().is_empty() {
            String::new()
        } else {
            id_of(&r.slot_to, "slot_to")?
        };
        (from, to)
    };
    let (day, repeat, until) = match &r.weekly {
        None => (r.day.clone(), false, String::new()),
        Some((wd, from, to)) => {
            let weekday = match wd {
                1..=7 => Weekday::try_from(u8::try_from(*wd - 1).unwrap_or(0))
                    .map_err(|_| invalid("weekday", "resa-error-date"))?,
                _ => return Err(invalid("weekday", "resa-error-date")),
            };
            let Some(first) = refnum_domain::booking::parse_date(from) else {
                return Err(invalid("from", "resa-error-date"));
            };
            let ahead =
                (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
            let day = first + Duration::days(i64::from(ahead));
            (day.to_string(), true, to.clone())
        }
    };
    Ok(BookingInput {
        for_account: r.for_account.map(|u| u.to_string()).unwrap_or_default(),
        day,
        mode: if timed { "time" } else { "slots" }.into(),
        slot_from,
        slot_to,
        start: r.start.clone(),
        end: r.end.clone(),
        repeat,
        until,
        structure: r.structure.map(|u| u.to_string()).unwrap_or_default(),
        note: r.note.clone(),
    })
}

/// A resource's occurrences from `from` to `to` (both included), as its
/// week view shows them (names only to those who may see them).
pub async fn range(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    resource_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(ResourceView, Vec<Occurrence>)> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let resource = resources::view(&db.conn, etab.id, resource_id).await?;
    if to < from {
        return Err(invalid("to", "resa-error-until-before"));
    }
    if (to - from).num_days() >= RANGE_MAX_DAYS {
        return Err(invalid("to", "resa-error-until-too-far"));
    }
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let rows = views::list_occurrences(&db.conn, etab.id, resource_id, from, to).await?;
    let occ = views::decorate(
        db,
        ctx,
        rights,
        &slots,
        rows,
        std::slice::from_ref(&resource),
    )
    .await?;
    Ok((resource, occ))
}

/// Bookings by id as their views show them (after a booking was made).
pub async fn occurrences_by_id(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Occurrence>> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let mut rows: Vec<booking::Model> = vec![];
    for id in ids {
        if let Some(b) = q::get_booking(&db.conn, etab.id, *id).await? {
            rows.push(b);
        }
    }
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let resources =
        resources::views_of(&db.conn, etab.id, q::resources_of(&db.conn, etab.id).await?).await?;
    views::decorate(db, ctx, rights, &slots, rows, &resources).await
}

/// The caller's bookings from today on in each of their schools (or one).
pub async fn mine(db: &Db, ctx: &Ctx, only: Option<Uuid>) -> Result<Vec<Occurrence>> {
    let schools: Vec<Uuid> = match only {
        Some(id) => vec![id],
        None => ctx.schools.iter().map(|s| s.id).collect(),
    };
    let mut out = vec![];
    for id in schools {
        match views::mine(db, ctx, id).await {
            Ok(m) => out.extend(m.bookings),
            Err(ServiceError::NotFound | ServiceError::Forbidden) if only.is_none() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The rights of the caller on a school's bookings (after `ViewBookings`).
pub async fn rights(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Rights> {
    Ok(open(db, ctx, etab_id, EtabAction::ViewBookings).await?.2)
}

pub use book::{OccState, Outcome, Plan, Refusal};
