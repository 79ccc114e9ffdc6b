//! The convention of a loan: its parties (the pupil, each legal guardian
//! and the school's representative; for staff, the borrower and the
//! school) and their signatures: who signed (a name), when, how (on paper,
//! in person on a tablet). A signature is also the acceptance of the
//! charter version the convention names, recorded with it.

use super::lend::clean;
use super::{By, open};
use crate::Ctx;
use crate::audit::{self, Event};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::Db;
use refnum_db::prets::{self as q, Signature};
use refnum_domain::loan::SignatureMethod;
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// The signature form, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInput {
    /// The party's id.
    pub party: String,
    pub signer_name: String,
    /// A `SignatureMethod` code.
    pub method: String,
    /// The day it was signed (`yyyy-mm-dd`), today when empty.
    pub signed_on: String,
}

/// Records one party's signature (`ManageLoans`); a party signs once.
pub async fn sign(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    loan_id: Uuid,
    input: &SignInput,
) -> Result<()> {
    let (etab, _, _) = open(db, ctx, etab_id, EtabAction::ManageLoans).await?;
    sign_as(db, &By::of(ctx), etab.id, loan_id, input).await
}

/// Records a signature for `by`, the policy asked already (or a system task).
pub(crate) async fn sign_as(
    db: &Db,
    by: &By,
    etab: Uuid,
    loan_id: Uuid,
    input: &SignInput,
) -> Result<()> {
    let txn = db.write().await?;
    let loan = q::get(&*txn, etab, loan_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let parties = q::parties_of(&*txn, loan.id).await?;
    let mut errors: Vec<FieldError> = vec![];
    let party = Uuid::parse_str(input.party.trim())
        .ok()
        .and_then(|p| parties.iter().find(|x| x.id == p));
    if party.is_none() {
        errors.push(FieldError {
            field: "party",
            key: "loan-error-choice",
        });
    }
    let signer = clean(&input.signer_name, 200, false, "signer_name", &mut errors);
    if signer.is_empty() {
        errors.push(FieldError {
            field: "signer_name",
            key: "loan-error-required",
        });
    }
    let method = SignatureMethod::parse(input.method.trim());
    if method.is_none() {
        errors.push(FieldError {
            field: "method",
            key: "loan-error-choice",
        });
    }
    let today = super::today();
    let signed_at = match crate::parc::parse_date(&input.signed_on) {
        Ok(None) => Some(Utc::now()),
        Ok(Some(d)) if d == today => Some(Utc::now()),
        Ok(Some(d)) if d > today || d < loan.created_at.date_naive() - chrono::Days::new(31) => {
            errors.push(FieldError {
                field: "signed_on",
                key: "loan-error-signed-on",
            });
            None
        }
        Ok(Some(d)) => d.and_hms_opt(12, 0, 0).map(|t| t.and_utc()),
        Err(_) => {
            errors.push(FieldError {
                field: "signed_on",
                key: "loan-error-date",
            });
            None
        }
    };
    let (Some(party), Some(method), Some(signed_at), true) =
        (party, method, signed_at, errors.is_empty())
    else {
        return Err(ServiceError::Invalid(errors));
    };
    let s = Signature {
        signed_at,
        signer_name: signer,
        method: method.as_str().to_string(),
        charter_id: loan.charter_id,
        recorded_by: by.audit.account_id,
    };
    if !q::sign(&*txn, loan.id, party.id, &s).await? {
        return Err(ServiceError::field("party", "loan-error-already-signed"));
    }
    let version = match loan.charter_id {
        Some(c) => q::get_charter(&*txn, etab, c).await?.map(|c| c.version),
        None => None,
    };
    audit::record(
        &*txn,
        Event {
            who: &by.audit,
            action: "loan.signed",
            target: format!("loan:{}", loan.id),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({
                "party": party.role,
                "method": method.as_str(),
                "charter_version": version,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
