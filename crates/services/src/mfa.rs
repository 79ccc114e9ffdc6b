//! The second factor (TOTP) of privileged accounts: enrolment, codes used
//! once only, single-use recovery codes, throttling, resets.
//!
//! Who needs it is decided by the policy (`policy::needs_second_factor`);
//! a session records that it passed through `auth::mark_second_factor`.

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::auth::{AuthSettings, LoadedSession, mark_second_factor, sha256_hex};
use crate::error::{Result, ServiceError};
use chrono::{DateTime, Utc};
use rand::Rng;
use rand::RngCore;
use refnum_db::{Db, accounts, mfa};
use refnum_domain::policy;
use refnum_domain::totp::{self, Secret};
use uuid::Uuid;

/// Failures allowed per account within the throttle window.
pub const MAX_FAILURES: i32 = 5;
/// Recovery codes given at enrolment and at each regeneration.
pub const RECOVERY_CODES: usize = 10;
/// Characters of a recovery code (no 0/o, 1/l/i to misread).
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const RECOVERY_LEN: usize = 10;

/// Where a signed-in session stands with its second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The account needs no second factor and has none.
    NotRequired,
    /// The account needs one and has not enrolled yet.
    Enrol,
    /// The account has a TOTP credential: ask for a code.
    Code,
    /// This session passed its second factor.
    Done,
}

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Wrong code (or not six digits / not a recovery code).
    Wrong,
    /// The code was right but already used.
    Used,
    /// Too many failures: try again after this many seconds.
    Throttled { retry_after_secs: i64 },
}

/// The account's second factor, for its settings page.
#[derive(Debug, Clone)]
pub struct Status {
    pub required: bool,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub recovery_codes_left: u64,
}

/// An enrolment in progress: the secret to show (QR code and text).
pub struct Enrolment {
    pub secret: Secret,
    pub uri: String,
}

/// True when this caller must pass a second factor.
pub fn required(ctx: &Ctx) -> bool {
    policy::needs_second_factor(&ctx.actor.memberships)
}

/// True when the session passed its second factor.
pub fn passed(session: &LoadedSession) -> bool {
    session.row.second_factor_at.is_some()
}

/// True when a request of this session must be sent to the second factor.
pub fn pending(ctx: &Ctx, session: &LoadedSession) -> bool {
    required(ctx) && !passed(session)
}

pub async fn stage(db: &Db, ctx: &Ctx, session: &LoadedSession) -> Result<Stage> {
    if passed(session) {
        return Ok(Stage::Done);
    }
    let cred = mfa::credential(&db.conn, ctx.account.id).await?;
    Ok(match cred {
        Some(c) if c.confirmed_at.is_some() => Stage::Code,
        _ if required(ctx) => Stage::Enrol,
        _ => Stage::NotRequired,
    })
}

pub async fn status(db: &Db, ctx: &Ctx) -> Result<Status> {
    let cred = mfa::credential(&db.conn, ctx.account.id).await?;
    Ok(Status {
        required: required(ctx),
        enrolled_at: cred.and_then(|c| c.confirmed_at),
        recovery_codes_left: mfa::unused_recovery_codes(&db.conn, ctx.account.id).await?,
    })
}

fn who(ctx: &Ctx) -> Who {
    Who::of(ctx)
}

fn target(account_id: Uuid) -> String {
    format!("account:{account_id}")
}

/// The enrolment to show: the pending secret if there is one (a reload
/// shows the same QR code), a new one otherwise. Refused once enrolled.
pub async fn enrolment(db: &Db, ctx: &Ctx) -> Result<Enrolment> {
    let secret = match mfa::credential(&db.conn, ctx.account.id).await? {
        Some(c) if c.confirmed_at.is_some() => return Err(ServiceError::Forbidden),
        Some(c) => match Secret::from_base32(&c.secret) {
            Ok(s) => s,
            Err(_) => new_pending(db, ctx.account.id).await?,
        },
        None => new_pending(db, ctx.account.id).await?,
    };
    Ok(Enrolment {
        uri: secret.otpauth_uri(&ctx.account.email),
        secret,
    })
}

async fn new_pending(db: &Db, account_id: Uuid) -> Result<Secret> {
    let mut bytes = [0u8; totp::SECRET_LEN];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = Secret::from_bytes(&bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let txn = db.write().await?;
    mfa::put_pending(&*txn, account_id, &secret.to_base32(), Utc::now()).await?;
    txn.commit().await?;
    Ok(secret)
}

fn throttle_key(account_id: Uuid) -> String {
    format!("2fa:{account_id}")
}

/// Reserves one attempt before a code is checked (see
/// [`crate::auth::reserve_attempt`]): `Some(wait)` when the limit is reached.
async fn throttled(db: &Db, ctx: &Ctx, settings: &AuthSettings) -> Result<Option<i64>> {
    let key = throttle_key(ctx.account.id);
    let wait = crate::auth::reserve_attempt(db, &key, MAX_FAILURES, settings).await?;
    if wait.is_some() {
        audit::record_alone(
            db,
            Event {
                who: &who(ctx),
                action: "auth.second_factor_throttled",
                target: target(ctx.account.id),
                etablissement_id: None,
                outcome: "refused",
                details: serde_json::json!({}),
            },
        )
        .await?;
    }
    Ok(wait)
}

/// Records a failure (the attempt was counted when it was reserved).
async fn failed(db: &Db, ctx: &Ctx, method: &str, reason: &str) -> Result<()> {
    audit::record_alone(
        db,
        Event {
            who: &who(ctx),
            action: "auth.second_factor_failed",
            target: target(ctx.account.id),
            etablissement_id: None,
            outcome: "refused",
            details: serde_json::json!({ "method": method, "reason": reason }),
        },
    )
    .await
}

fn now_secs() -> i64 {
    Utc::now().timestamp()
}

/// Confirms the enrolment with a first code: stores the credential, gives
/// the recovery codes (to show once) and marks the session.
pub async fn confirm_enrolment(
    db: &Db,
    ctx: &Ctx,
    session: &LoadedSession,
    code: &str,
    settings: &AuthSettings,
) -> Result<std::result::Result<Vec<String>, Refused>> {
    if let Some(wait) = throttled(db, ctx, settings).await? {
        return Ok(Err(Refused::Throttled {
            retry_after_secs: wait,
        }));
    }
    let Some(cred) = mfa::credential(&db.conn, ctx.account.id).await? else {
        return Err(ServiceError::NotFound);
    };
    if cred.confirmed_at.is_some() {
        return Err(ServiceError::Forbidden);
    }
    let secret =
        Secret::from_base32(&cred.secret).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let step = match totp::verify(&secret, code, now_secs(), None) {
        Ok(step) => step,
        Err(_) => {
            failed(db, ctx, "totp_enrolment", "wrong").await?;
            return Ok(Err(Refused::Wrong));
        }
    };
    let (codes, hashes) = new_recovery_codes(ctx.account.id);
    let now = Utc::now();
    let txn = db.write().await?;
    if !mfa::confirm(&*txn, ctx.account.id, step, now).await? {
        return Err(ServiceError::Forbidden);
    }
    mfa::replace_recovery_codes(&*txn, ctx.account.id, &hashes, now).await?;
    audit::record(
        &*txn,
        Event {
            who: &who(ctx),
            action: "auth.second_factor_enrolled",
            target: target(ctx.account.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "method": "totp" }),
        },
    )
    .await?;
    txn.commit().await?;
    crate::auth::clear_attempts(db, &throttle_key(ctx.account.id)).await?;
    mark_second_factor(db, &session.token_hash, "totp").await?;
    Ok(Ok(codes))
}

/// Checks a 6-digit code; on success the session passed its second factor.
pub async fn check_code(
    db: &Db,
    ctx: &Ctx,
    session: &LoadedSession,
    code: &str,
    settings: &AuthSettings,
) -> Result<std::result::Result<(), Refused>> {
    if let Some(wait) = throttled(db, ctx, settings).await? {
        return Ok(Err(Refused::Throttled {
            retry_after_secs: wait,
        }));
    }
    let Some(cred) = mfa::credential(&db.conn, ctx.account.id)
        .await?
        .filter(|c| c.confirmed_at.is_some())
    else {
        return Err(ServiceError::NotFound);
    };
    let secret =
        Secret::from_base32(&cred.secret).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let refusal = match totp::verify(&secret, code, now_secs(), cred.last_step) {
        Ok(step) => {
            let txn = db.write().await?;
            let won = mfa::advance_step(&*txn, ctx.account.id, step).await?;
            txn.commit().await?;
            if won {
                crate::auth::clear_attempts(db, &throttle_key(ctx.account.id)).await?;
                mark_second_factor(db, &session.token_hash, "totp").await?;
                return Ok(Ok(()));
            }
            // Another request used this step first.
            Refused::Used
        }
        Err(totp::Refusal::Replayed) => Refused::Used,
        Err(_) => Refused::Wrong,
    };
    let reason = if refusal == Refused::Used {
        "replayed"
    } else {
        "wrong"
    };
    failed(db, ctx, "totp", reason).await?;
    Ok(Err(refusal))
}

/// Normalises a recovery code as typed: case, spaces and dashes ignored.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn recovery_hash(account_id: Uuid, normalised: &str) -> String {
    sha256_hex(&format!("{account_id}:{normalised}"))
}

/// Ten random codes, grouped for reading (`abcde-fghjk`), and their hashes.
fn new_recovery_codes(account_id: Uuid) -> (Vec<String>, Vec<String>) {
    let mut rng = rand::thread_rng();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    let mut hashes = Vec::with_capacity(RECOVERY_CODES);
    while codes.len() < RECOVERY_CODES {
        let raw: String = (0..RECOVERY_LEN)
            .map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())]))
            .collect();
        let h = recovery_hash(account_id, &raw);
        if hashes.contains(&h) {
            continue;
        }
        codes.push(format!("{}-{}", &raw[..5], &raw[5..]));
        hashes.push(h);
    }
    (codes, hashes)
}

/// Checks a recovery code (single use); on success the session passed its
/// second factor. Gives the number of codes left.
pub async fn check_recovery_code(
    db: &Db,
    ctx: &Ctx,
    session: &LoadedSession,
    code: &str,
    settings: &AuthSettings,
) -> Result<std::result::Result<u64, Refused>> {
    if let Some(wait) = throttled(db, ctx, settings).await? {
        return Ok(Err(Refused::Throttled {
            retry_after_secs: wait,
        }));
    }
    let normalised = normalise_recovery(code);
    let used = normalised.len() == RECOVERY_LEN && {
        let txn = db.write().await?;
        let ok = mfa::use_recovery_code(
            &*txn,
            ctx.account.id,
            &recovery_hash(ctx.account.id, &normalised),
            Utc::now(),
        )
        .await?;
        if ok {
            let left = mfa::unused_recovery_codes(&*txn, ctx.account.id).await?;
            audit::record(
                &*txn,
                Event {
                    who: &who(ctx),
                    action: "auth.recovery_code_used",
                    target: target(ctx.account.id),
                    etablissement_id: None,
                    outcome: "ok",
                    details: serde_json::json!({ "left": left }),
                },
            )
            .await?;
        }
        txn.commit().await?;
        ok
    };
    if !used {
        failed(db, ctx, "recovery_code", "wrong").await?;
        return Ok(Err(Refused::Wrong));
    }
    crate::auth::clear_attempts(db, &throttle_key(ctx.account.id)).await?;
    mark_second_factor(db, &session.token_hash, "recovery_code").await?;
    Ok(Ok(
        mfa::unused_recovery_codes(&db.conn, ctx.account.id).await?
    ))
}

/// New recovery codes for one's own account (the old ones stop working).
pub async fn regenerate_recovery_codes(db: &Db, ctx: &Ctx) -> Result<Vec<String>> {
    let enrolled = mfa::credential(&db.conn, ctx.account.id)
        .await?
        .is_some_and(|c| c.confirmed_at.is_some());
    if !enrolled {
        return Err(ServiceError::NotFound);
    }
    let (codes, hashes) = new_recovery_codes(ctx.account.id);
    let txn = db.write().await?;
    mfa::replace_recovery_codes(&*txn, ctx.account.id, &hashes, Utc::now()).await?;
    audit::record(
        &*txn,
        Event {
            who: &who(ctx),
            action: "auth.recovery_codes_regenerated",
            target: target(ctx.account.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// Whether another account has a second factor (for the administration page).
pub async fn enrolled_at(db: &Db, ctx: &Ctx, account_id: Uuid) -> Result<Option<DateTime<Utc>>> {
    crate::orgs::require_admin(db, ctx, &format!("account:{account_id}:second_factor")).await?;
    Ok(mfa::credential(&db.conn, account_id)
        .await?
        .and_then(|c| c.confirmed_at))
}

async fn reset_as(db: &Db, who: &Who, account_id: Uuid) -> Result<bool> {
    let txn = db.write().await?;
    let had = mfa::reset(&*txn, account_id).await?;
    audit::record(
        &*txn,
        Event {
            who,
            action: "auth.second_factor_reset",
            target: target(account_id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "had_credential": had }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(had)
}

/// An administrator resets another account's second factor: its credential
/// and recovery codes are removed and its sessions closed; it enrols again
/// at its next sign-in.
pub async fn admin_reset(db: &Db, ctx: &Ctx, account_id: Uuid) -> Result<bool> {
    crate::orgs::require_admin(db, ctx, &format!("account:{account_id}:second_factor")).await?;
    if accounts::get(&db.conn, account_id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    reset_as(db, &who(ctx), account_id).await
}

/// The same from the command line (`refnum user reset-second-factor EMAIL`).
pub async fn operator_reset(db: &Db, email: &str) -> Result<bool> {
    let email = refnum_domain::Email::parse(email)
        .map_err(|_| ServiceError::field("email", "error-email-invalid"))?;
    let Some(account) = accounts::get_by_email(&db.conn, email.as_str()).await? else {
        return Err(ServiceError::NotFound);
    };
    reset_as(db, &Who::system("cli"), account.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_distinct_grouped_and_normalise_back() {
        let id = Uuid::now_v7();
        let (codes, hashes) = new_recovery_codes(id);
        assert_eq!(codes.len(), RECOVERY_CODES);
        for (c, h) in codes.iter().zip(&hashes) {
            assert_eq!(c.len(), 11);
            assert_eq!(&c[5..6], "-");
            let typed = c.to_uppercase().replace('-', " ");
            assert_eq!(&recovery_hash(id, &normalise_recovery(&typed)), h);
        }
        let mut sorted = hashes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), RECOVERY_CODES);
        // The same code for another account hashes differently.
        assert_ne!(
            recovery_hash(Uuid::now_v7(), &normalise_recovery(&codes[0])),
            hashes[0]
        );
    }
}
