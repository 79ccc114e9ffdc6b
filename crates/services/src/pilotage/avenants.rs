//! A signed letter changes only by an amendment: a new version of the same
//! school year, a draft that starts as a copy of the signed one and shows
//! its differences with it (`refnum_domain::pilotage::lettre::diff`). A
//! letter is also copied to the next school year as that year's draft.

use super::lettres::{event, open, status_of};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::pilotage::{lettre, lettre_indicateur, lettre_mission, lettre_referent};
use refnum_db::pilotage::{self as q, LetterParts};
use refnum_db::{Db, is_unique_violation};
use refnum_domain::pilotage::lettre::{self as rules, LetterStatus};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// The parts of a letter copied for a new letter `to`: new ids, no
/// acknowledgement, no year-end value.
fn copied(p: LetterParts, to: Uuid) -> LetterParts {
    LetterParts {
        referents: p
            .referents
            .into_iter()
            .map(|r| lettre_referent::Model {
                id: Uuid::now_v7(),
                lettre_id: to,
                acknowledged_at: None,
                acknowledged_hash: None,
                ..r
            })
            .collect(),
        missions: p
            .missions
            .into_iter()
            .map(|m| lettre_mission::Model {
                id: Uuid::now_v7(),
                lettre_id: to,
                ..m
            })
            .collect(),
        indicators: p
            .indicators
            .into_iter()
            .map(|i| lettre_indicateur::Model {
                id: Uuid::now_v7(),
                lettre_id: to,
                final_value: None,
                final_comment: String::new(),
                ..i
            })
            .collect(),
    }
}

async fn write_copy(
    db: &Db,
    ctx: &Ctx,
    from: &lettre::Model,
    school_year: i32,
    supersedes: Option<Uuid>,
    action: &'static str,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let parts = copied(q::parts_of(&db.conn, from.id).await?, id);
    let who = Who::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let version = q::next_version(&*txn, from.etablissement_id, school_year).await?;
    let row = lettre::Model {
        id,
        etablissement_id: from.etablissement_id,
        school_year,
        version,
        status: LetterStatus::Draft.as_str().into(),
        supersedes_id: supersedes,
        text: from.text.clone(),
        created_by: Some(ctx.account.id),
        created_at: now,
        updated_at: now,
        proposed_at: None,
        signed_by: None,
        signed_at: None,
        signed_hash: None,
        reviewed_by: None,
        reviewed_at: None,
    };
    if let Err(e) = q::insert_letter(&*txn, row.clone()).await {
        if is_unique_violation(&e) {
            return Err(ServiceError::field(
                "school_year",
                "pilotage-error-letter-conflict",
            ));
        }
        return Err(e.into());
    }
    q::replace_parts(&*txn, id, parts).await?;
    let mut e = event(&who, action, &row);
    e.details["from"] = serde_json::json!(from.id);
    audit::record(&*txn, e).await?;
    txn.commit().await?;
    Ok(id)
}

/// Starts an amendment of a signed (or reviewed) letter
/// (`DraftMissionLetter`): the next version of its year, a draft copied
/// from it. Only the latest version is amended, and only once at a time.
pub async fn amend(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<Uuid> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !rules::amendable(status_of(&l)) {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-not-signed",
        ));
    }
    let latest = q::letters_of(&db.conn, etab.id)
        .await?
        .into_iter()
        .filter(|x| x.school_year == l.school_year)
        .map(|x| x.version)
        .max()
        .unwrap_or(l.version);
    if latest != l.version {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-amendment-exists",
        ));
    }
    write_copy(
        db,
        ctx,
        &l,
        l.school_year,
        Some(l.id),
        "pilotage.letter_amended",
    )
    .await
}

/// Copies a letter to the next school year as its draft
/// (`DraftMissionLetter`), when that year has no letter yet.
pub async fn copy_to_next_year(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<Uuid> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let year = l.school_year + 1;
    if q::letters_of(&db.conn, etab.id)
        .await?
        .iter()
        .any(|x| x.school_year == year)
    {
        return Err(ServiceError::field(
            "school_year",
            "pilotage-error-letter-exists",
        ));
    }
    write_copy(db, ctx, &l, year, None, "pilotage.letter_copied").await
}
