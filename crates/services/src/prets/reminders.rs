//! Reminders of overdue loans: a loan still out past its due date notifies
//! the school's loan managers once (in-app, hence by e-mail when it is on).
//!
//! Safe with several app servers: a conditional UPDATE of the loan's
//! `reminded_at` (set only when null) decides who sends, in the same
//! transaction as the notifications.

use crate::audit::{self, Event, Who};
use crate::error::Result;
use chrono::{DateTime, Utc};
use refnum_db::Db;
use refnum_db::assistance::{self as tq, NewNotification};
use refnum_db::prets as q;
use uuid::Uuid;

/// The notification kind of an overdue loan.
pub const KIND_OVERDUE: &str = "loan-overdue";
/// Roles notified.
pub const MANAGER_ROLES: [&str; 3] = ["referent", "direction", "gestionnaire"];
/// Loans handled per run (the next run takes the rest).
const BATCH: u64 = 200;

/// The page of a loan.
pub fn loan_link(etab: Uuid, id: Uuid) -> String {
    format!("/etablissements/{etab}/prets/{id}")
}

/// Sends the reminders due at `now`; returns how many loans were reminded.
pub async fn run(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let today = crate::support::paris::to_local(now).date();
    let mut n = 0;
    for l in q::overdue_unreminded(&db.conn, today, BATCH).await? {
        let txn = db.write().await?;
        if !q::claim_reminder(&*txn, l.id, today, now).await? {
            continue;
        }
        let inventory = refnum_db::parc::get_asset(&*txn, l.etablissement_id, l.asset_id)
            .await?
            .map(|a| a.inventory_number)
            .unwrap_or_default();
        let to: Vec<Uuid> =
            tq::accounts_with_roles_on(&*txn, l.etablissement_id, &MANAGER_ROLES).await?;
        // No borrower's name: notifications may leave by e-mail.
        let items = to
            .iter()
            .map(|a| NewNotification {
                account_id: *a,
                ticket_id: None,
                etablissement_id: Some(l.etablissement_id),
                kind: KIND_OVERDUE.to_string(),
                title: format!("{inventory} · {}", l.due_on.format("%d/%m/%Y")),
                link: loan_link(l.etablissement_id, l.id),
            })
            .collect();
        tq::notify(&*txn, items, now).await?;
        audit::record(
            &*txn,
            Event {
                who: &Who::system("reminders"),
                action: "loan.reminded",
                target: format!("loan:{}", l.id),
                etablissement_id: Some(l.etablissement_id),
                outcome: "ok",
                details: serde_json::json!({ "due_on": l.due_on.to_string(), "recipients": to.len() }),
            },
        )
        .await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n)
}
