//! The school's loan charter: versioned text. A new version is added, an
//! old one is never edited; each loan names the version in force when it
//! was made, and each signature records the version accepted.

use super::lend::{clean, date};
use super::open;
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::entities::loans::loan_charter;
use refnum_db::prets as q;
use refnum_db::{Db, is_unique_violation};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

pub struct Charters {
    pub etab: etablissement::Model,
    pub rights: super::Rights,
    /// The latest first.
    pub versions: Vec<loan_charter::Model>,
}

/// The charter's versions (`ViewLoans`).
pub async fn list(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Charters> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewLoans).await?;
    Ok(Charters {
        versions: q::charters(&db.conn, etab.id).await?,
        etab,
        rights,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharterInput {
    pub title: String,
    pub body: String,
    pub effective_on: String,
}

/// Adds a version (`ManageLoans`): the next number of the school.
pub async fn add(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &CharterInput,
) -> Result<loan_charter::Model> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ManageLoans).await?;
    let who = Who::of(ctx);
    add_as(db, &who, etab.id, input).await
}

pub(crate) async fn add_as(
    db: &Db,
    who: &Who,
    etab: Uuid,
    input: &CharterInput,
) -> Result<loan_charter::Model> {
    let mut errors: Vec<FieldError> = vec![];
    let title = clean(&input.title, TITLE_MAX, false, "title", &mut errors);
    if title.is_empty() {
        errors.push(FieldError {
            field: "title",
            key: "loan-error-required",
        });
    }
    let body = input.body.replace("\r\n", "\n");
    let body = clean(&body, BODY_MAX, true, "body", &mut errors);
    if body.is_empty() {
        errors.push(FieldError {
            field: "body",
            key: "loan-error-required",
        });
    }
    let effective_on = date(&input.effective_on, "effective_on", &mut errors);
    let (Some(effective_on), true) = (effective_on, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let txn = db.write().await?;
    let version = q::latest_charter(&*txn, etab)
        .await?
        .map(|c| c.version + 1)
        .unwrap_or(1);
    let row = loan_charter::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        version,
        title,
        body,
        effective_on,
        created_by: who.account_id,
        created_at: Utc::now(),
    };
    if let Err(e) = q::insert_charter(&*txn, row.clone()).await {
        if is_unique_violation(&e) {
            return Err(ServiceError::field("body", "loan-error-charter-conflict"));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "loan.charter_added",
            target: format!("loan_charter:{}", row.id),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({ "version": version, "title": row.title }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}
