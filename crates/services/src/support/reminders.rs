//! Reminders of overdue tickets: a ticket past its response due time and
//! not taken, or past its resolution due time and not resolved, notifies
//! its assignee, its support organisation's technicians and the school's
//! referents, once per due time.
//!
//! Safe with several app servers: a conditional UPDATE of the ticket's
//! `*_reminded_at` (set only when null or older than the due time) decides
//! who sends, in the same transaction as the notifications.

use crate::audit::{self, Event, Who};
use crate::error::Result;
use chrono::{DateTime, Utc};
use refnum_db::Db;
use refnum_db::assistance::{self as tq, NewNotification};
use refnum_db::support::{self as q, Due};
use refnum_domain::ticket::TicketStatus;
use uuid::Uuid;

/// Notification kinds of the reminders.
pub const KIND_RESPONSE: &str = "ticket-response-overdue";
pub const KIND_RESOLUTION: &str = "ticket-resolution-overdue";

/// Tickets handled per run and per due kind (the next run takes the rest).
const BATCH: u64 = 200;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReminderRun {
    pub response: usize,
    pub resolution: usize,
}

fn open_statuses() -> Vec<&'static str> {
    TicketStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(TicketStatus::as_str)
        .collect()
}

/// Sends the reminders due at `now`.
pub async fn run(db: &Db, now: DateTime<Utc>) -> Result<ReminderRun> {
    let open = open_statuses();
    let mut done = ReminderRun::default();
    for due in [Due::Response, Due::Resolution] {
        for t in q::overdue_unreminded(&db.conn, due, &open, now, BATCH).await? {
            if remind(db, &t, due, now).await? {
                match due {
                    Due::Response => done.response += 1,
                    Due::Resolution => done.resolution += 1,
                }
            }
        }
    }
    Ok(done)
}

/// Claims and sends one reminder; false when another run had it.
async fn remind(
    db: &Db,
    t: &refnum_db::entities::assistance::ticket::Model,
    due: Due,
    now: DateTime<Utc>,
) -> Result<bool> {
    let txn = db.write().await?;
    if !q::claim_reminder(&*txn, t.id, due, now).await? {
        return Ok(false);
    }
    let mut to: Vec<Uuid> = t.assignee_id.into_iter().collect();
    if let Some(org) = t.assigned_org_id {
        to.extend(tq::technicians_of(&*txn, org).await?);
    }
    to.extend(tq::accounts_with_roles_on(&*txn, t.etablissement_id, &["referent"]).await?);
    to.sort();
    to.dedup();
    let kind = match due {
        Due::Response => KIND_RESPONSE,
        Due::Resolution => KIND_RESOLUTION,
    };
    let items = to
        .iter()
        .map(|a| NewNotification {
            account_id: *a,
            ticket_id: Some(t.id),
            etablissement_id: Some(t.etablissement_id),
            kind: kind.to_string(),
            title: format!("#{} {}", t.number, t.title)
                .chars()
                .take(300)
                .collect(),
            link: crate::assistance::ticket_link(t.id),
        })
        .collect();
    tq::notify(&*txn, items, now).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::system("reminders"),
            action: "ticket.reminded",
            target: format!("ticket:{}", t.id),
            etablissement_id: Some(t.etablissement_id),
            outcome: "ok",
            details: serde_json::json!({ "number": t.number, "due": kind, "recipients": to.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
