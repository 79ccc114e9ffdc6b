//! The figures behind the mission letter's bound indicators, read for one
//! school in two statements: the dated rows first (the days off of the
//! period, the periods an asset was flagged unusable, the last applied
//! import of each directory source), then every count at once
//! ([`Scalars`]), the booked slots counted on the school days the first
//! statement gave.
//!
//! Each count is the one another page shows, so that the letter and that
//! page agree: the parc indicators (`crate::indicators`: deployed,
//! terminals, old computers, the SLA), the bookings' occupancy (the cells of
//! `crate::reservations::occupied_cells`), the loans (`crate::prets`) and
//! the directory's freshness (`crate::annuaire::last_applied`). The
//! arithmetic is the services' (`refnum_services::pilotage::mesures`).

use crate::entities::annuaire_import as import;
use crate::entities::assistance::{asset_unavailability as unavailability, ticket};
use crate::entities::etablissement;
use crate::entities::loans::loan;
use crate::entities::parc::parc_asset as asset;
use crate::entities::reservations::{
    booking, booking_day_off as day_off, booking_resource as resource, booking_slot as slot,
};
use crate::indicators::{COMPUTERS, NOT_DEPLOYED, TERMINALS};
use crate::scalars::{Figures, Scalars};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Cond, Expr, ExprTrait, JoinType, Query, SelectStatement, UnionType,
};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

/// The names of the counts [`counts`] asks for.
pub mod f {
    /// Assets not retired.
    pub const ACTIVE: &str = "active";
    /// Assets neither retired nor in stock.
    pub const DEPLOYED: &str = "deployed";
    /// Desktops, laptops and tablets not retired.
    pub const TERMINALS: &str = "terminals";
    /// The school's recorded pupil count.
    pub const PUPILS: &str = "pupils";
    /// Desktops and laptops not retired with a known purchase date.
    pub const COMPUTERS_DATED: &str = "computers_dated";
    /// The same, bought before the cut-off day.
    pub const COMPUTERS_OLD: &str = "computers_old";
    /// Tickets with a resolution due time that fell, or that were
    /// resolved, in the period.
    pub const SLA_DUE: &str = "sla_due";
    /// Those resolved by their due time.
    pub const SLA_MET: &str = "sla_met";
    /// The timetable's slots.
    pub const SLOTS: &str = "slots";
    /// The resources bookable now.
    pub const RESOURCES: &str = "resources";
    /// (resource, slot, school day) held by an approved booking.
    pub const BOOKED: &str = "booked";
    /// Loans out.
    pub const LOANS_OUT: &str = "loans_out";
    /// Loans out past their return date.
    pub const LOANS_OVERDUE: &str = "loans_overdue";
}

/// What the counts are taken over.
#[derive(Debug, Clone)]
pub struct Period<'a> {
    /// The start of the school year (1 September) and the moment read:
    /// `[from, to)` for the SLA.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Computers bought before this day are old.
    pub old_before: NaiveDate,
    /// The school's day today (Paris): loans due before it are overdue.
    pub today: NaiveDate,
    /// The school days of the period, for the booked slots.
    pub school_days: &'a [NaiveDate],
}

/// The assets of a school not retired (the parc page's active assets), to
/// count.
pub fn active_assets(etab: Uuid) -> SelectStatement {
    Query::select()
        .from(asset::Entity)
        .and_where(Expr::col(asset::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(asset::Column::Status).ne("retired"))
        .to_owned()
}

/// The assets of a school neither retired nor in stock, to count.
pub fn deployed(etab: Uuid) -> SelectStatement {
    Query::select()
        .from(asset::Entity)
        .and_where(Expr::col(asset::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(asset::Column::Status).is_not_in(NOT_DEPLOYED))
        .to_owned()
}

/// Desktops, laptops and tablets of a school not retired, to count.
pub fn terminals(etab: Uuid) -> SelectStatement {
    active_assets(etab)
        .and_where(Expr::col(asset::Column::Category).is_in(TERMINALS))
        .to_owned()
}

/// Desktops and laptops of a school not retired with a known purchase
/// date; bought before `before` when given. To count.
pub fn computers_dated(etab: Uuid, before: Option<NaiveDate>) -> SelectStatement {
    let mut q = active_assets(etab)
        .and_where(Expr::col(asset::Column::Category).is_in(COMPUTERS))
        .and_where(Expr::col(asset::Column::PurchaseDate).is_not_null())
        .to_owned();
    if let Some(b) = before {
        q.and_where(Expr::col(asset::Column::PurchaseDate).lt(b));
    }
    q
}

/// The recorded pupil count of a school (the column `orgs::pupils_in`
/// sums over a scope).
pub fn pupils(etab: Uuid) -> SelectStatement {
    Query::select()
        .expr(Expr::col(etablissement::Column::PupilCount).sum())
        .from(etablissement::Entity)
        .and_where(Expr::col(etablissement::Column::Id).eq(etab))
        .to_owned()
}

/// Tickets of a school with a resolution due time that fell in `[from,
/// to)` or that were resolved in it; only those resolved by their due time
/// when `met`. To count (the parc page's `indicators::sla_compliance`).
pub fn sla(etab: Uuid, from: DateTime<Utc>, to: DateTime<Utc>, met: bool) -> SelectStatement {
    let t = |c: ticket::Column| Expr::col((ticket::Entity, c));
    let mut q = Query::select()
        .from(ticket::Entity)
        .and_where(t(ticket::Column::EtablissementId).eq(etab))
        .and_where(t(ticket::Column::ResolutionDueAt).is_not_null())
        .cond_where(
            Cond::any()
                .add(
                    Cond::all()
                        .add(t(ticket::Column::ResolutionDueAt).gte(from))
                        .add(t(ticket::Column::ResolutionDueAt).lt(to)),
                )
                .add(
                    Cond::all()
                        .add(t(ticket::Column::ResolvedAt).gte(from))
                        .add(t(ticket::Column::ResolvedAt).lt(to)),
                ),
        )
        .to_owned();
    if met {
        q.and_where(t(ticket::Column::ResolvedAt).is_not_null())
            .and_where(t(ticket::Column::ResolvedAt).lte(t(ticket::Column::ResolutionDueAt)));
    }
    q
}

/// The slots of a school's timetable, to count.
pub fn slots(etab: Uuid) -> SelectStatement {
    Query::select()
        .from(slot::Entity)
        .and_where(Expr::col(slot::Column::EtablissementId).eq(etab))
        .to_owned()
}

/// The resources of a school bookable now, to count.
pub fn active_resources(etab: Uuid) -> SelectStatement {
    Query::select()
        .from(resource::Entity)
        .and_where(Expr::col(resource::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(resource::Column::Active).eq(true))
        .to_owned()
}

/// The (resource, slot, day) triples of a school where an approved booking
/// of a resource bookable now overlaps a slot of the timetable on one of
/// `days`: one row each, to count with [`Scalars::rows`] (two bookings in
/// one slot on one day are one row; a booking over two slots, two).
pub fn booked_cells(etab: Uuid, days: &[NaiveDate]) -> SelectStatement {
    let b = |c: booking::Column| Expr::col((booking::Entity, c));
    let s = |c: slot::Column| Expr::col((slot::Entity, c));
    let r = |c: resource::Column| Expr::col((resource::Entity, c));
    let mut q = Query::select()
        .distinct()
        .expr_as(b(booking::Column::ResourceId), Alias::new("resource_id"))
        .expr_as(s(slot::Column::Id), Alias::new("slot_id"))
        .expr_as(b(booking::Column::Day), Alias::new("day"))
        .from(booking::Entity)
        .join(
            JoinType::InnerJoin,
            slot::Entity,
            Cond::all()
                .add(
                    s(slot::Column::EtablissementId)
                        .equals((booking::Entity, booking::Column::EtablissementId)),
                )
                .add(b(booking::Column::StartMin).lt(s(slot::Column::EndMin)))
                .add(b(booking::Column::EndMin).gt(s(slot::Column::StartMin))),
        )
        .join(
            JoinType::InnerJoin,
            resource::Entity,
            Cond::all()
                .add(r(resource::Column::Id).equals((booking::Entity, booking::Column::ResourceId)))
                .add(r(resource::Column::Active).eq(true)),
        )
        .and_where(b(booking::Column::EtablissementId).eq(etab))
        .and_where(b(booking::Column::Status).eq("approved"))
        .to_owned();
    if days.is_empty() {
        q.and_where(Expr::val(1).eq(0));
    } else {
        q.and_where(b(booking::Column::Day).is_in(days.iter().copied()));
    }
    q
}

/// The loans of a school out now, overdue or not, to count.
pub fn loans_out(etab: Uuid) -> SelectStatement {
    Query::select()
        .from(loan::Entity)
        .and_where(Expr::col(loan::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(loan::Column::Status).eq("out"))
        .to_owned()
}

/// Every count of the bound indicators of a school, in one statement.
pub fn counts(etab: Uuid, p: &Period<'_>) -> Scalars {
    let mut s = Scalars::new();
    s.count(f::ACTIVE, active_assets(etab))
        .count(f::DEPLOYED, deployed(etab))
        .count(f::TERMINALS, terminals(etab))
        .value(f::PUPILS, pupils(etab))
        .count(f::COMPUTERS_DATED, computers_dated(etab, None))
        .count(f::COMPUTERS_OLD, computers_dated(etab, Some(p.old_before)))
        .count(f::SLA_DUE, sla(etab, p.from, p.to, false))
        .count(f::SLA_MET, sla(etab, p.from, p.to, true))
        .count(f::SLOTS, slots(etab))
        .count(f::RESOURCES, active_resources(etab))
        .rows(f::BOOKED, booked_cells(etab, p.school_days))
        .count(f::LOANS_OUT, loans_out(etab))
        .count(f::LOANS_OVERDUE, crate::prets::overdue_of(etab, p.today));
    s
}

/// Reads [`counts`].
pub async fn read_counts<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    p: &Period<'_>,
) -> Result<Figures, DbErr> {
    counts(etab, p).run(c).await
}

// ------------------------------------------------------------ dated rows

/// The dated facts of a school over a period, read in one statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dated {
    /// Days off meeting the period: first and last day, both included.
    pub days_off: Vec<(NaiveDate, NaiveDate)>,
    /// Periods an asset was flagged unusable meeting the period: start,
    /// and end (none while it still is).
    pub unusable: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// The time of the last applied import of each source that has one.
    pub last_imports: Vec<DateTime<Utc>>,
}

const KIND_OFF: &str = "off";
const KIND_UNUSABLE: &str = "unusable";
const KIND_IMPORT: &str = "import";

/// One statement of rows `(kind, d1, d2, t1, t2)`: the school's days off
/// meeting `[first_day, last_day]` (`d1`, `d2`), its unusable periods
/// meeting `[from, to)` (`t1`, `t2`) and, per source among `sources`, the
/// time of its last applied import (`t1`). The columns a kind does not use
/// are typed NULLs, so that both databases agree on the union's types.
pub fn dated(
    etab: Uuid,
    first_day: NaiveDate,
    last_day: NaiveDate,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    sources: &[&str],
) -> SelectStatement {
    let no_day = || Expr::val(Option::<NaiveDate>::None);
    let no_time = || Expr::val(Option::<DateTime<Utc>>::None);
    let mut off = Query::select()
        .expr_as(Expr::val(KIND_OFF), Alias::new("kind"))
        .expr_as(Expr::col(day_off::Column::StartDate), Alias::new("d1"))
        .expr_as(Expr::col(day_off::Column::EndDate), Alias::new("d2"))
        .expr_as(no_time(), Alias::new("t1"))
        .expr_as(no_time(), Alias::new("t2"))
        .from(day_off::Entity)
        .and_where(Expr::col(day_off::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(day_off::Column::StartDate).lte(last_day))
        .and_where(Expr::col(day_off::Column::EndDate).gte(first_day))
        .to_owned();
    let unusable = Query::select()
        .expr(Expr::val(KIND_UNUSABLE))
        .expr(no_day())
        .expr(no_day())
        .expr(Expr::col(unavailability::Column::StartedAt))
        .expr(Expr::col(unavailability::Column::EndedAt))
        .from(unavailability::Entity)
        .and_where(Expr::col(unavailability::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(unavailability::Column::StartedAt).lt(to))
        .cond_where(
            Cond::any()
                .add(Expr::col(unavailability::Column::EndedAt).is_null())
                .add(Expr::col(unavailability::Column::EndedAt).gt(from)),
        )
        .to_owned();
    let imports = Query::select()
        .expr(Expr::val(KIND_IMPORT))
        .expr(no_day())
        .expr(no_day())
        .expr(Expr::col(import::Column::AppliedAt).max())
        .expr(no_time())
        .from(import::Entity)
        .and_where(Expr::col(import::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(import::Column::Status).eq("applied"))
        .and_where(Expr::col(import::Column::AppliedAt).is_not_null())
        .and_where(Expr::col(import::Column::Source).is_in(sources.iter().copied()))
        .group_by_col(import::Column::Source)
        .to_owned();
    off.union(UnionType::All, unusable)
        .union(UnionType::All, imports)
        .to_owned()
}

/// Reads [`dated`].
pub async fn read_dated<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    first_day: NaiveDate,
    last_day: NaiveDate,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    sources: &[&str],
) -> Result<Dated, DbErr> {
    let q = dated(etab, first_day, last_day, from, to, sources);
    let mut out = Dated::default();
    for row in c.query_all(&q).await? {
        let kind: String = row.try_get("", "kind")?;
        let d1: Option<NaiveDate> = row.try_get("", "d1")?;
        let d2: Option<NaiveDate> = row.try_get("", "d2")?;
        let t1: Option<DateTime<Utc>> = row.try_get("", "t1")?;
        let t2: Option<DateTime<Utc>> = row.try_get("", "t2")?;
        match (kind.as_str(), d1, d2, t1) {
            (KIND_OFF, Some(a), Some(b), _) => out.days_off.push((a, b)),
            (KIND_UNUSABLE, _, _, Some(s)) => out.unusable.push((s, t2)),
            (KIND_IMPORT, _, _, Some(t)) => out.last_imports.push(t),
            _ => {}
        }
    }
    Ok(out)
}
