//! Reminders of the comité's overdue actions: an action still open past
//! its due date (in the instance's zone) notifies its owner, when they have
//! an account, and the school's heads, once (in-app, hence by e-mail when
//! it is on).
//!
//! Safe with several app servers: a conditional UPDATE of the action's
//! `reminded_at` (set only while null) decides who sends, in the same
//! transaction as the notifications.

use crate::audit::{self, Event, Who};
use crate::error::Result;
use chrono::{DateTime, Utc};
use refnum_db::Db;
use refnum_db::assistance::{self as tq, NewNotification};
use refnum_db::pilotage::comite as q;
use refnum_domain::role::Role;
use uuid::Uuid;

/// The notification kind of an overdue action.
pub const KIND_OVERDUE: &str = "comite-action-overdue";
/// Actions handled per run (the next run takes the rest).
const BATCH: u64 = 200;

/// The page of an action.
pub fn action_link(etab: Uuid, id: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage/comite/actions/{id}")
}

/// Sends the reminders due at `now`; returns how many actions were
/// reminded.
pub async fn remind_overdue(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let today = crate::support::paris::to_local(now).date();
    let mut n = 0;
    for a in q::overdue_unreminded(&db.conn, today, BATCH).await? {
        let txn = db.write().await?;
        if !q::claim_reminder(&*txn, a.id, today, now).await? {
            continue;
        }
        let mut to: Vec<Uuid> =
            tq::accounts_with_roles_on(&*txn, a.etablissement_id, &[Role::Direction.as_str()])
                .await?;
        to.extend(a.owner_account_id);
        to.sort();
        to.dedup();
        let title = format!("{} · {}", a.title, a.due_on.format("%d/%m/%Y"));
        let items = to
            .iter()
            .map(|account| NewNotification {
                account_id: *account,
                ticket_id: None,
                etablissement_id: Some(a.etablissement_id),
                kind: KIND_OVERDUE.to_string(),
                title: title.clone(),
                link: action_link(a.etablissement_id, a.id),
            })
            .collect();
        tq::notify(&*txn, items, now).await?;
        audit::record(
            &*txn,
            Event {
                who: &Who::system("reminders"),
                action: "pilotage.comite_action_reminded",
                target: format!("pilotage_comite_action:{}", a.id),
                etablissement_id: Some(a.etablissement_id),
                outcome: "ok",
                details: serde_json::json!({
                    "due_on": a.due_on.to_string(),
                    "recipients": to.len(),
                }),
            },
        )
        .await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n)
}
