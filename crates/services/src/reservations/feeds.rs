//! iCalendar feeds: a secret URL per resource (for those who may see the
//! resource's bookings) and per person (their own bookings), for calendar
//! clients that cannot sign in. The token is random (256 bits), shown once;
//! only its SHA-256 is stored. Creating a feed revokes the live one of the
//! same creator and target (so "regenerate" is "create" again); creation
//! and revocation are audited.
//!
//! Reading a feed looks the token up by its hash, then checks its creator
//! again: a disabled account, or one that may no longer see the school's
//! bookings (left the school), makes the feed answer "not found", like an
//! unknown or revoked token. A resource's feed names who holds a booking
//! only when its creator may see the school's people (or the booking is
//! theirs), as the week view does.

use super::resources::{self, Target};
use super::{Rights, open, today};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::auth::{random_token, sha256_hex};
use crate::error::{Result, ServiceError};
use crate::support::paris;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use refnum_db::entities::reservations::{booking, booking_feed as feed};
use refnum_db::reservations as q;
use refnum_db::{Db, accounts, orgs};
use refnum_domain::policy::{self, Decision, EtabAction};
use refnum_io::ical_feed::FeedEvent;
use uuid::Uuid;

/// How far back and ahead a feed reaches, in days.
pub const DAYS_BACK: i64 = 30;
pub const DAYS_AHEAD: i64 = 365;

/// What a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedTarget {
    /// A resource's bookings.
    Resource(Uuid),
    /// The creator's own bookings (booked by them or for them).
    Mine,
}

impl FeedTarget {
    fn resource_id(self) -> Option<Uuid> {
        match self {
            FeedTarget::Resource(r) => Some(r),
            FeedTarget::Mine => None,
        }
    }
}

/// The caller's live feed of a target: when it was created.
pub async fn live(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    target: FeedTarget,
) -> Result<Option<DateTime<Utc>>> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    if let FeedTarget::Resource(r) = target {
        resources::view(&db.conn, etab.id, r).await?;
    }
    Ok(
        q::live_feeds_of(&db.conn, etab.id, ctx.account.id, target.resource_id())
            .await?
            .last()
            .map(|f| f.created_at),
    )
}

/// The same as [`live`] for a resource's week that the caller has already
/// been shown (the week proves the school was opened and the resource read
/// with the same action): the feed alone, one statement instead of five.
pub async fn live_of_week(
    db: &Db,
    ctx: &Ctx,
    week: &super::views::Week,
) -> Result<Option<DateTime<Utc>>> {
    Ok(q::live_feeds_of(
        &db.conn,
        week.etab.id,
        ctx.account.id,
        Some(week.resource.model.id),
    )
    .await?
    .last()
    .map(|f| f.created_at))
}

/// Creates a feed (revoking the caller's live one of the same target) and
/// returns its secret token, to be shown once.
pub async fn create(db: &Db, ctx: &Ctx, etab_id: Uuid, target: FeedTarget) -> Result<String> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    if let FeedTarget::Resource(r) = target {
        // Another school's resource, or none: not found.
        resources::view(&db.conn, etab.id, r).await?;
    }
    let secret = random_token(32);
    let now = Utc::now();
    let row = feed::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab.id,
        resource_id: target.resource_id(),
        created_by: ctx.account.id,
        token_hash: sha256_hex(&secret),
        created_at: now,
        revoked_at: None,
    };
    let txn = db.write().await?;
    let old: Vec<Uuid> = q::live_feeds_of(&*txn, etab.id, ctx.account.id, row.resource_id)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    q::revoke_feeds(&*txn, etab.id, &old, now).await?;
    q::insert_feed(&*txn, row.clone()).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking-feed.created",
            target: format!("booking-feed:{}", row.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "resource": row.resource_id,
                "replaces": old,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(secret)
}

/// Revokes the caller's live feed of a target (not found when there is none).
pub async fn revoke(db: &Db, ctx: &Ctx, etab_id: Uuid, target: FeedTarget) -> Result<()> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let txn = db.write().await?;
    let ids: Vec<Uuid> = q::live_feeds_of(&*txn, etab.id, ctx.account.id, target.resource_id())
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    if ids.is_empty() {
        return Err(ServiceError::NotFound);
    }
    q::revoke_feeds(&*txn, etab.id, &ids, Utc::now()).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking-feed.revoked",
            target: ids
                .iter()
                .map(|i| format!("booking-feed:{i}"))
                .collect::<Vec<_>>()
                .join(","),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "resource": target.resource_id() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whose or what a calendar is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarOf {
    Resource { name: String },
    Person { name: String },
}

/// A feed's content, before it is written as iCalendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub of: CalendarOf,
    pub events: Vec<FeedEvent>,
}

/// The calendar behind a secret token; not found when the token is unknown
/// or revoked, or its creator disabled or no longer allowed.
pub async fn calendar(db: &Db, secret: &str) -> Result<Calendar> {
    if secret.is_empty() || secret.len() > 100 {
        return Err(ServiceError::NotFound);
    }
    let Some(f) = q::live_feed_by_hash(&db.conn, &sha256_hex(secret)).await? else {
        return Err(ServiceError::NotFound);
    };
    let Some(account) = accounts::get(&db.conn, f.created_by).await? else {
        return Err(ServiceError::NotFound);
    };
    if account.disabled {
        return Err(ServiceError::NotFound);
    }
    let person_name = account.display_name.clone();
    let ctx = Ctx::load(db, account, None).await?;
    // The creator's rights now, decided without recording a refusal (a
    // calendar client asks again every few minutes).
    let Some(etab) = orgs::get_etablissement(&db.conn, f.etablissement_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let facts = orgs::etab_facts(&db.conn, &etab).await?;
    let allowed = |a| policy::decide(&ctx.actor, a, &facts) == Decision::Allow;
    if !allowed(EtabAction::ViewBookings) {
        return Err(ServiceError::NotFound);
    }
    let rights = Rights {
        see_people: allowed(EtabAction::ViewPeople),
        ..Rights::default()
    };
    let from = today() - Duration::days(DAYS_BACK);
    let to = today() + Duration::days(DAYS_AHEAD);
    let all =
        resources::views_of(&db.conn, etab.id, q::resources_of(&db.conn, etab.id).await?).await?;
    let (of, rows) = match f.resource_id {
        Some(r) => {
            let Some(view) = all.iter().find(|v| v.model.id == r) else {
                return Err(ServiceError::NotFound);
            };
            (
                CalendarOf::Resource {
                    name: view.name.clone(),
                },
                super::views::list_occurrences(&db.conn, etab.id, r, from, to).await?,
            )
        }
        None => (
            CalendarOf::Person { name: person_name },
            q::holding_of_person_between(&db.conn, etab.id, ctx.account.id, from, to).await?,
        ),
    };
    // Where each resource is: a room, or the room an asset is kept in.
    let room_ids: Vec<Uuid> = all
        .iter()
        .filter_map(|v| match &v.target {
            Target::Room(r) => Some(r.id),
            Target::Asset(a) => a.room_id,
        })
        .collect();
    let rooms = q::rooms_by_ids(&db.conn, etab.id, &room_ids).await?;
    let mut people: Vec<Uuid> = rows.iter().map(|b| b.booked_for).collect();
    people.sort();
    people.dedup();
    let names = refnum_db::assistance::account_names(&db.conn, &people).await?;
    let me = ctx.account.id;
    let is_person_feed = f.resource_id.is_none();
    let events = rows
        .into_iter()
        .filter_map(|b| {
            let view = all.iter().find(|v| v.model.id == b.resource_id)?;
            let room_id = match &view.target {
                Target::Room(r) => Some(r.id),
                Target::Asset(a) => a.room_id,
            };
            let location = room_id
                .and_then(|id| rooms.iter().find(|r| r.id == id))
                .map(|r| r.name.clone());
            // Who holds it: on a resource's feed, when the creator may see
            // it; on a person's feed, when it was booked for someone else.
            let holder = if is_person_feed {
                b.booked_for != me
            } else {
                rights.see_people || b.booked_for == me || b.booked_by == me
            };
            let holder = holder
                .then(|| names.iter().find(|(id, _)| *id == b.booked_for))
                .flatten()
                .map(|(_, n)| n.clone());
            Some(event(&b, &view.name, location, holder))
        })
        .collect();
    Ok(Calendar { of, events })
}

fn local(day: NaiveDate, minutes: i32) -> DateTime<Utc> {
    paris::to_utc(day.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(minutes)))
}

fn event(
    b: &booking::Model,
    resource: &str,
    location: Option<String>,
    holder: Option<String>,
) -> FeedEvent {
    let mut summary = resource.to_string();
    if let Some(g) = b.group_label.as_deref().filter(|g| !g.is_empty()) {
        summary = format!("{summary} — {g}");
    }
    if let Some(h) = holder.filter(|h| !h.is_empty()) {
        summary = format!("{summary} — {h}");
    }
    let stamp = b
        .decided_at
        .filter(|d| *d > b.created_at)
        .unwrap_or(b.created_at);
    FeedEvent {
        uid: format!("{}@refnum", b.id),
        stamp,
        start: local(b.day, b.start_min),
        end: local(b.day, b.end_min),
        summary,
        location,
        tentative: b.status == "pending",
    }
}
