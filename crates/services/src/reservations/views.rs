//! What the booking pages show: a resource's week, the school's day, a
//! person's bookings and the bookings waiting for approval. The week view
//! reads its bookings through [`list_occurrences`], the query a feed or an
//! API of a resource's bookings also uses.

use super::book::{fmt_day, span_label};
use super::resources::{self, ResourceView};
use super::{Rights, open, today};
use crate::Ctx;
use crate::error::{Result, ServiceError};
use chrono::{Datelike, Duration, NaiveDate};
use refnum_db::entities::etablissement;
use refnum_db::entities::reservations::{booking, booking_slot as slot};
use refnum_db::reservations as q;
use refnum_db::{ConnectionTrait, Db};
use refnum_domain::booking::{DayOff, day_off_on, monday_of, too_close};
use refnum_domain::policy::{self, Decision, EtabAction};
use uuid::Uuid;

/// A booking as the views show it.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub booking: booking::Model,
    /// `M2`, `M2–M3` or the hours.
    pub span: String,
    /// Who it is for, when the caller may see it (or it is theirs).
    pub holder: Option<String>,
    /// The caller may cancel it.
    pub cancellable: bool,
    pub resource_name: String,
}

/// The bookings of a resource that hold their time from `from` to `to`
/// (both included), by day and hour. No permission check: the caller has
/// decided (pages, feeds, API).
pub async fn list_occurrences<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    resource: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<booking::Model>> {
    Ok(q::holding_between(c, etab, resource, from, to).await?)
}

pub(crate) async fn decorate(
    db: &Db,
    ctx: &Ctx,
    rights: Rights,
    slots: &[slot::Model],
    rows: Vec<booking::Model>,
    names_of_resources: &[ResourceView],
) -> Result<Vec<Occurrence>> {
    let mut ids: Vec<Uuid> = rows.iter().map(|b| b.booked_for).collect();
    ids.sort();
    ids.dedup();
    let names = refnum_db::assistance::account_names(&db.conn, &ids).await?;
    let me = ctx.account.id;
    Ok(rows
        .into_iter()
        .map(|b| {
            let mine = b.booked_for == me || b.booked_by == me;
            let holder = (rights.see_people || mine).then(|| {
                names
                    .iter()
                    .find(|(id, _)| *id == b.booked_for)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default()
            });
            let resource_name = names_of_resources
                .iter()
                .find(|r| r.model.id == b.resource_id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            Occurrence {
                span: span_label(slots, b.start_min, b.end_min),
                cancellable: (mine || rights.on_behalf || rights.manage)
                    && b.day >= today()
                    && matches!(b.status.as_str(), "pending" | "approved"),
                holder,
                resource_name,
                booking: b,
            }
        })
        .collect())
}

/// One cell of a grid.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Free: may be booked (false when the day is past).
    Free { bookable: bool },
    /// A holiday or closed day.
    Off(String),
    /// Held by these bookings (indices into the view's list).
    Held(Vec<usize>),
}

pub struct Week {
    pub etab: etablissement::Model,
    pub rights: Rights,
    /// The caller may book this resource (its rules name one of their
    /// roles, or they manage the bookings): only then are slots offered.
    pub may_book: bool,
    pub resource: ResourceView,
    pub monday: NaiveDate,
    /// Monday to Friday.
    pub days: Vec<NaiveDate>,
    pub slots: Vec<slot::Model>,
    /// `cells[slot][day]`.
    pub cells: Vec<Vec<Cell>>,
    pub bookings: Vec<Occurrence>,
}

fn cell_of(
    d: NaiveDate,
    s: &slot::Model,
    days_off: &[DayOff],
    bookings: &[Occurrence],
    resource_filter: Option<Uuid>,
    today: NaiveDate,
) -> Cell {
    if let Some(o) = day_off_on(days_off, d) {
        return Cell::Off(o.label.clone());
    }
    let held: Vec<usize> = bookings
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.booking.day == d
                && resource_filter.is_none_or(|r| o.booking.resource_id == r)
                && too_close(
                    o.booking.start_min,
                    o.booking.end_min,
                    s.start_min,
                    s.end_min,
                    0,
                )
        })
        .map(|(i, _)| i)
        .collect();
    if held.is_empty() {
        Cell::Free {
            bookable: d >= today,
        }
    } else {
        Cell::Held(held)
    }
}

/// A resource's week on the school's slots: Monday to Friday, and the
/// Saturday or Sunday too when one is asked for or holds a booking (a
/// booking is never out of sight).
pub async fn week(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    resource_id: Uuid,
    any_day: NaiveDate,
) -> Result<Week> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let resource = resources::view(&db.conn, etab.id, resource_id).await?;
    let may_book = rights.book
        && resource.model.active
        && policy::decide_booking(&ctx.actor, &facts, &resource.roles()) == Decision::Allow;
    let monday = monday_of(any_day);
    let sunday = monday + Duration::days(6);
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let days_off = super::timetable::days_off_between(&db.conn, etab.id, monday, sunday).await?;
    let rows = list_occurrences(&db.conn, etab.id, resource_id, monday, sunday).await?;
    let days: Vec<NaiveDate> = (0..7)
        .map(|i| monday + Duration::days(i))
        .filter(|d| {
            i64::from(d.weekday().num_days_from_monday()) < 5
                || *d == any_day
                || rows.iter().any(|b| b.day == *d)
        })
        .collect();
    let bookings = decorate(
        db,
        ctx,
        rights,
        &slots,
        rows,
        std::slice::from_ref(&resource),
    )
    .await?;
    let today = today();
    let cells = slots
        .iter()
        .map(|s| {
            days.iter()
                .map(|d| cell_of(*d, s, &days_off, &bookings, None, today))
                .collect()
        })
        .collect();
    Ok(Week {
        etab,
        rights,
        may_book,
        resource,
        monday,
        days,
        slots,
        cells,
        bookings,
    })
}

pub struct Day {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub day: NaiveDate,
    pub off: Option<String>,
    pub slots: Vec<slot::Model>,
    pub resources: Vec<ResourceView>,
    /// For each resource, whether the caller may book it.
    pub may_book: Vec<bool>,
    /// `cells[resource][slot]`.
    pub cells: Vec<Vec<Cell>>,
    pub bookings: Vec<Occurrence>,
}

/// Every bookable resource of the school on one day, by slot.
pub async fn day(db: &Db, ctx: &Ctx, etab_id: Uuid, day: NaiveDate) -> Result<Day> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let resources =
        resources::views_of(&db.conn, etab.id, q::resources_of(&db.conn, etab.id).await?).await?;
    let may_book: Vec<bool> = resources
        .iter()
        .map(|r| {
            rights.book
                && r.model.active
                && policy::decide_booking(&ctx.actor, &facts, &r.roles()) == Decision::Allow
        })
        .collect();
    let days_off = super::timetable::days_off_between(&db.conn, etab.id, day, day).await?;
    let rows = q::holding_on_day(&db.conn, etab.id, day).await?;
    let bookings = decorate(db, ctx, rights, &slots, rows, &resources).await?;
    let today = today();
    let cells = resources
        .iter()
        .map(|r| {
            slots
                .iter()
                .map(|s| cell_of(day, s, &days_off, &bookings, Some(r.model.id), today))
                .collect()
        })
        .collect();
    Ok(Day {
        off: day_off_on(&days_off, day).map(|o| o.label.clone()),
        etab,
        rights,
        day,
        slots,
        resources,
        may_book,
        cells,
        bookings,
    })
}

pub struct Mine {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub bookings: Vec<Occurrence>,
    /// Waiting for the caller's approval.
    pub to_approve: Vec<Occurrence>,
}

/// The caller's bookings from today on (every status), and those waiting
/// for their approval.
pub async fn mine(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Mine> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let resources =
        resources::views_of(&db.conn, etab.id, q::resources_of(&db.conn, etab.id).await?).await?;
    let rows = q::of_person(&db.conn, etab.id, ctx.account.id, today(), 500).await?;
    let bookings = decorate(db, ctx, rights, &slots, rows, &resources).await?;
    let approvable: Vec<Uuid> = resources
        .iter()
        .filter(|r| {
            r.approval_role()
                .is_some_and(|role| policy::may_approve(&ctx.actor, &facts, role))
        })
        .map(|r| r.model.id)
        .collect();
    let pending: Vec<booking::Model> = if approvable.is_empty() {
        vec![]
    } else {
        q::pending_of(&db.conn, etab.id, 500)
            .await?
            .into_iter()
            .filter(|b| approvable.contains(&b.resource_id))
            .collect()
    };
    let to_approve = decorate(db, ctx, rights, &slots, pending, &resources).await?;
    Ok(Mine {
        etab,
        rights,
        bookings,
        to_approve,
    })
}

/// How many bookings of the school wait for the caller's approval (the
/// "to approve" part of [`mine`], counted).
pub async fn to_approve_count(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<u64> {
    let (etab, facts, _) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let approvable: Vec<Uuid> = q::resources_of(&db.conn, etab.id)
        .await?
        .into_iter()
        .filter(|r| {
            r.approval_role
                .as_deref()
                .and_then(refnum_domain::role::Role::parse)
                .is_some_and(|role| policy::may_approve(&ctx.actor, &facts, role))
        })
        .map(|r| r.id)
        .collect();
    Ok(q::count_pending_of(&db.conn, etab.id, &approvable).await?)
}

/// A date for a message.
pub fn day_label(d: NaiveDate) -> String {
    fmt_day(d)
}

/// Refuses a date outside what the views page through (±5 years).
pub fn check_view_date(d: NaiveDate) -> Result<NaiveDate> {
    let t = today();
    if (d - t).num_days().abs() > 5 * 366 {
        return Err(ServiceError::NotFound);
    }
    Ok(d)
}
