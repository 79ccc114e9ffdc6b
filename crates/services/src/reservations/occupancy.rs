//! Occupancy of the bookable resources over a period (the indicators'
//! periods: 30, 90, 365 days or since the start of the school year, up to
//! today): booked slot-occurrences ÷ bookable slot-occurrences, per resource
//! and per slot. Bookable: each school day (Monday to Friday, holidays and
//! closed days excluded) × each slot of the timetable × each active
//! resource. Booked: a slot of a school day held by an approved booking of
//! the resource (pending ones are not counted; a booking over two slots
//! holds both; two bookings in one slot count once). The booked counts are
//! one SQL aggregate (`refnum_db::reservations::occupied_cells`).

use super::open;
use super::resources;
use crate::Ctx;
use crate::error::Result;
use crate::indicators::Period;
use crate::support::paris;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::reservations as q;
use refnum_domain::booking::day_off_on;
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// One line of a rate table.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub label: String,
    pub booked: i64,
    pub bookable: i64,
    /// Per cent; none when nothing was bookable.
    pub percent: Option<f64>,
}

impl Rate {
    fn new(label: String, booked: i64, bookable: i64) -> Rate {
        Rate {
            label,
            booked,
            bookable,
            percent: (bookable > 0).then(|| booked as f64 * 100.0 / bookable as f64),
        }
    }
}

pub struct Occupancy {
    pub etab: etablissement::Model,
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub school_days: usize,
    pub per_resource: Vec<Rate>,
    pub per_slot: Vec<Rate>,
}

/// The school days from `from` to `to` (both included).
pub async fn school_days<C: refnum_db::ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<NaiveDate>> {
    let off = super::timetable::days_off_between(c, etab, from, to).await?;
    let mut days = vec![];
    let mut d = from;
    while d <= to {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && day_off_on(&off, d).is_none() {
            days.push(d);
        }
        d += Duration::days(1);
    }
    Ok(days)
}

/// The occupancy of a school's resources over a period ending today.
pub async fn report(db: &Db, ctx: &Ctx, etab_id: Uuid, period: Period) -> Result<Occupancy> {
    report_at(db, ctx, etab_id, period, Utc::now()).await
}

/// The same, for a period ending at `now` (its school-local day included).
pub async fn report_at(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Occupancy> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let to = paris::to_local(now).date();
    let from = paris::to_local(period.start(now)).date().min(to);
    let days = school_days(&db.conn, etab.id, from, to).await?;
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let res: Vec<_> =
        resources::views_of(&db.conn, etab.id, q::resources_of(&db.conn, etab.id).await?)
            .await?
            .into_iter()
            .filter(|r| r.model.active)
            .collect();
    let cells = q::occupied_cells(&db.conn, etab.id, &days).await?;
    let n_days = i64::try_from(days.len()).unwrap_or(i64::MAX);
    let n_slots = i64::try_from(slots.len()).unwrap_or(i64::MAX);
    let n_res = i64::try_from(res.len()).unwrap_or(i64::MAX);
    let booked_where = |f: &dyn Fn(&(Uuid, Uuid, i64)) -> bool| -> i64 {
        cells.iter().filter(|c| f(c)).map(|c| c.2).sum()
    };
    let per_resource = res
        .iter()
        .map(|r| {
            let id = r.model.id;
            let booked = booked_where(&|c| c.0 == id && slots.iter().any(|s| s.id == c.1));
            Rate::new(r.name.clone(), booked, n_days * n_slots)
        })
        .collect();
    let per_slot = slots
        .iter()
        .map(|s| {
            let id = s.id;
            let booked = booked_where(&|c| c.1 == id && res.iter().any(|r| r.model.id == c.0));
            Rate::new(s.code.clone(), booked, n_days * n_res)
        })
        .collect();
    Ok(Occupancy {
        etab,
        period,
        from,
        to,
        school_days: days.len(),
        per_resource,
        per_slot,
    })
}
