//! Réservations: the school's timetable (slots, zone, holidays and closed
//! days), its bookable rooms and assets with their rules, and the bookings.
//!
//! Reading asks the policy for `ViewBookings`; the timetable and the
//! resources are written with `ManageBookings`; booking asks `Book` (and the
//! resource's roles, `policy::decide_booking`), booking for someone else
//! `BookOnBehalf`. Every booking write first bumps the resource's
//! `lock_version` (`refnum_db::reservations::lock_resource`), then checks, then
//! writes, with its audit event and notifications, in one transaction.

pub mod api;
pub mod book;
pub mod demo;
pub mod feeds;
pub mod occupancy;
pub mod resources;
pub mod timetable;
pub mod views;

use crate::Ctx;
use crate::error::Result;
use chrono::{NaiveDate, Utc};
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_domain::policy::{self, Decision, EtabAction, EtabFacts};

/// What the caller may do in the school's booking pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    /// Edit the timetable and the resources.
    pub manage: bool,
    /// Book for someone else, cancel anyone's booking.
    pub on_behalf: bool,
    /// Book at all.
    pub book: bool,
    /// See who holds a booking.
    pub see_people: bool,
}

/// The school, its facts and the caller's rights, after `action` was allowed.
pub(crate) async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: uuid::Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, EtabFacts, Rights)> {
    let (etab, facts) = crate::orgs::etab_with_facts(db, ctx, etab_id, action).await?;
    let allowed = |a| policy::decide(&ctx.actor, a, &facts) == Decision::Allow;
    let rights = Rights {
        manage: allowed(EtabAction::ManageBookings),
        on_behalf: allowed(EtabAction::BookOnBehalf),
        book: allowed(EtabAction::Book),
        see_people: allowed(EtabAction::ViewPeople),
    };
    Ok((etab, facts, rights))
}

/// Today in the schools' time (Europe/Paris).
pub fn today() -> NaiveDate {
    crate::support::paris::to_local(Utc::now()).date()
}
