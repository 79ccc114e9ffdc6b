//! The return of a loan: the same checklist as at departure, each thing
//! returned (good, damaged, broken) or missing, with remarks.
//!
//! In one transaction: the loan is closed by a conditional update (a
//! second return of the same loan is refused), each asset of the parc goes
//! back in service, or broken when it comes back broken, or retired when
//! it is missing (the parc has no "lost" status); each asset's history
//! gets a row (`loan_return`, or `loan_missing` for a missing accessory),
//! the main asset's row naming the missing things; one audit event.

use super::lend::{clean, date};
use super::{By, open};
use crate::Ctx;
use crate::audit::{self, Event};
use crate::error::{FieldError, Result, ServiceError};
use crate::parc::Change;
use crate::parc::assets::history_row;
use chrono::Utc;
use refnum_db::Db;
use refnum_db::prets::{self as q, ReturnRecord};
use refnum_domain::asset::AssetStatus;
use refnum_domain::loan::ReturnState;
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// What comes back of one item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemReturn {
    pub item_id: String,
    /// A `ReturnState` code.
    pub state: String,
    pub remarks: String,
}

/// The return form, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnInput {
    pub returned_on: String,
    /// The main asset's `ReturnState` code.
    pub state: String,
    pub remarks: String,
    pub items: Vec<ItemReturn>,
}

/// The field name of an item's state (`return-<item id>`).
pub fn item_field(id: Uuid) -> String {
    format!("return-{id}")
}

/// Records the return of a loan (`ManageLoans`).
pub async fn give_back(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    loan_id: Uuid,
    input: &ReturnInput,
) -> Result<()> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ManageLoans).await?;
    give_back_as(db, &By::of(ctx), etab.id, loan_id, input).await
}

/// Records a return for `by`, the policy asked already (or a system task).
pub(crate) async fn give_back_as(
    db: &Db,
    by: &By,
    etab: Uuid,
    loan_id: Uuid,
    input: &ReturnInput,
) -> Result<()> {
    let txn = db.write().await?;
    let loan = q::get(&*txn, etab, loan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if loan.status != "out" {
        return Err(ServiceError::field("state", "loan-error-already-returned"));
    }
    let items = q::items_of(&*txn, loan.id).await?;
    let mut errors: Vec<FieldError> = vec![];
    let returned_on = date(&input.returned_on, "returned_on", &mut errors);
    if returned_on.is_some_and(|d| d < loan.start_on) {
        errors.push(FieldError {
            field: "returned_on",
            key: "loan-error-return-before-start",
        });
    }
    let state = ReturnState::parse(input.state.trim());
    if state.is_none() {
        errors.push(FieldError {
            field: "state",
            key: "loan-error-choice",
        });
    }
    let remarks = clean(&input.remarks, 2000, true, "remarks", &mut errors);
    // Every item that left must be accounted for; items typed for another
    // loan are ignored.
    let mut item_states = vec![];
    for it in items.iter().filter(|i| i.present_at_departure) {
        let given = input
            .items
            .iter()
            .find(|r| r.item_id.trim() == it.id.to_string());
        let st = given.and_then(|g| ReturnState::parse(g.state.trim()));
        let rem = given
            .map(|g| g.remarks.trim().chars().take(500).collect::<String>())
            .unwrap_or_default();
        match st {
            Some(s) => item_states.push((it.clone(), s, rem)),
            None => errors.push(FieldError {
                field: "items",
                key: "loan-error-item-state",
            }),
        }
    }
    let (Some(returned_on), Some(state), true) = (returned_on, state, errors.is_empty()) else {
        errors.dedup();
        return Err(ServiceError::Invalid(errors));
    };
    let now = Utc::now();
    let record = ReturnRecord {
        returned_on,
        return_state: state.as_str().to_string(),
        return_remarks: remarks,
        returned_by: by.audit.account_id,
    };
    if !q::close(&*txn, etab, loan.id, &record, now).await? {
        return Err(ServiceError::field("state", "loan-error-already-returned"));
    }
    for (it, s, rem) in &item_states {
        q::set_item_return(&*txn, it.id, s.as_str(), rem).await?;
    }

    let who = by.history.clone();
    let lent = AssetStatus::Lent.as_str();
    let mut events = vec![];
    let missing: Vec<String> = item_states
        .iter()
        .filter(|(_, s, _)| *s == ReturnState::Missing)
        .map(|(i, _, _)| i.label.clone())
        .collect();
    let broken: Vec<String> = item_states
        .iter()
        .filter(|(_, s, _)| *s == ReturnState::Broken)
        .map(|(i, _, _)| i.label.clone())
        .collect();
    // The assets: (asset id, state, kind of history row, extra changes).
    let mut moves: Vec<(Uuid, ReturnState, &str, Vec<Change>)> = vec![];
    let mut main_changes = vec![];
    if !missing.is_empty() {
        main_changes.push(Change {
            field: "loan_missing".into(),
            from: String::new(),
            to: missing.join(", "),
        });
    }
    if !broken.is_empty() {
        main_changes.push(Change {
            field: "loan_broken".into(),
            from: String::new(),
            to: broken.join(", "),
        });
    }
    moves.push((loan.asset_id, state, "loan_return", main_changes));
    for (it, s, _) in &item_states {
        if let Some(a) = it.asset_id {
            let kind = if *s == ReturnState::Missing {
                "loan_missing"
            } else {
                "loan_return"
            };
            moves.push((a, *s, kind, vec![]));
        }
    }
    for (asset_id, s, kind, extra) in moves {
        let Some(before) = refnum_db::parc::get_asset(&*txn, etab, asset_id).await? else {
            continue;
        };
        let to = s.asset_status();
        let retired_at = (to == AssetStatus::Retired).then_some(now);
        // An asset whose status someone changed during the loan keeps it.
        let moved =
            q::move_asset_status(&*txn, etab, asset_id, &[lent], to.as_str(), retired_at, now)
                .await?;
        let mut changes = vec![];
        if moved {
            changes.push(Change {
                field: "status".into(),
                from: before.status.clone(),
                to: to.as_str().into(),
            });
        }
        changes.extend(extra);
        let mut after = before.clone();
        if moved {
            after.status = to.as_str().to_string();
        }
        events.push(history_row(&after, &who, kind, &changes, None, now));
    }
    refnum_db::parc::insert_asset_events(&*txn, events).await?;
    audit::record(
        &*txn,
        Event {
            who: &by.audit,
            action: "loan.returned",
            target: format!("loan:{}", loan.id),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({
                "state": state.as_str(),
                "missing": missing.len(),
                "broken": broken.len(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
