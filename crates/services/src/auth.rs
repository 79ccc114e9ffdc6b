//! Local sign-in: argon2id passwords, database sessions, login throttling.

use crate::audit::{self, Event, Who};
use crate::error::{Result, ServiceError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{Duration, Utc};
use rand::RngCore;
use refnum_db::entities::{account, session};
use refnum_db::{Db, accounts, sessions};
use refnum_domain::{Email, password};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use uuid::Uuid;

/// Session and throttling settings.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
    pub throttle_window: Duration,
    pub account_max_failures: i32,
    pub address_max_failures: i32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
            throttle_window: Duration::minutes(15),
            account_max_failures: 10,
            address_max_failures: 50,
        }
    }
}

pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub async fn hash_password(pw: &str) -> Result<String> {
    let pw = pw.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("password hashing: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
}

async fn verify_password(pw: &str, hash: &str) -> bool {
    let pw = pw.to_owned();
    let hash = hash.to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the e-mail is unknown, so that the answer
/// takes the same time whether the account exists or not.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        let salt = SaltString::encode_b64(b"refnum-dummy-salt")
            .unwrap_or_else(|_| SaltString::generate(&mut argon2::password_hash::rand_core::OsRng));
        Argon2::default()
            .hash_password(b"not a real password at all", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// A loaded, valid session.
#[derive(Debug, Clone)]
pub struct LoadedSession {
    pub token_hash: String,
    pub row: session::Model,
    pub account: Option<account::Model>,
}

/// Creates an anonymous session (it carries the CSRF token of the login form).
pub async fn create_anonymous(db: &Db) -> Result<(String, LoadedSession)> {
    let token = random_token(32);
    let now = Utc::now();
    let row = session::Model {
        id_hash: sha256_hex(&token),
        account_id: None,
        csrf_token: random_token(32),
        etablissement_id: None,
        created_at: now,
        last_seen_at: now,
        authenticated_at: None,
        second_factor_at: None,
    };
    session::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(&db.conn)
        .await?;
    Ok((
        token,
        LoadedSession {
            token_hash: row.id_hash.clone(),
            row,
            account: None,
        },
    ))
}

/// A session, its caller's context and the caller's unread notification
/// count (`None` when signed out), as every page needs them.
pub struct SessionAndContext {
    pub session: LoadedSession,
    pub ctx: Option<crate::Ctx>,
    pub unread: Option<u64>,
}

/// Loads a session by its cookie value with the caller's context
/// ([`crate::Ctx`]) and the header's unread count, in one statement
/// (`sessions::get_with_context`). Expired sessions and sessions of disabled
/// accounts are deleted and give `None`.
pub async fn load_session_with_context(
    db: &Db,
    token: &str,
    settings: &AuthSettings,
) -> Result<Option<SessionAndContext>> {
    if token.len() > 128 {
        return Ok(None);
    }
    let hash = sha256_hex(token);
    let cap = crate::support::notifications::HEADER_CAP;
    let Some(found) = sessions::get_with_context(&db.conn, &hash, cap).await? else {
        return Ok(None);
    };
    let Some(session) = still_valid(db, hash, found.session, found.account, settings).await? else {
        return Ok(None);
    };
    let ctx = session
        .account
        .clone()
        .map(|a| crate::Ctx::from_rows(a, found.memberships, session.row.etablissement_id));
    let unread = ctx.as_ref().map(|_| found.unread);
    Ok(Some(SessionAndContext {
        session,
        ctx,
        unread,
    }))
}

/// The session found by its hash if it is still valid: expired sessions and
/// sessions of disabled accounts are deleted and give `None`; the last-seen
/// time is written at most once a minute.
async fn still_valid(
    db: &Db,
    hash: String,
    row: session::Model,
    account: Option<account::Model>,
    settings: &AuthSettings,
) -> Result<Option<LoadedSession>> {
    let now = Utc::now();
    if now - row.last_seen_at > settings.idle_timeout
        || now - row.created_at > settings.absolute_timeout
    {
        sessions::delete(&db.conn, &hash).await?;
        return Ok(None);
    }
    let account = match (row.account_id, account) {
        (Some(_), Some(a)) if !a.disabled => Some(a),
        (Some(_), _) => {
            sessions::delete(&db.conn, &hash).await?;
            return Ok(None);
        }
        (None, _) => None,
    };
    // Touch at most once a minute: one write per active minute, not per request.
    let row = if now - row.last_seen_at > Duration::seconds(60) {
        let mut am = row.into_active_model();
        am.last_seen_at = Set(now);
        am.update(&db.conn).await?
    } else {
        row
    };
    Ok(Some(LoadedSession {
        token_hash: hash,
        row,
        account,
    }))
}

/// Chooses the school shown in the header: one of the caller's own schools,
/// as the policy sees it (404 otherwise).
pub async fn switch_school(db: &Db, ctx: &crate::Ctx, s: &LoadedSession, id: Uuid) -> Result<()> {
    crate::orgs::etab_for(db, ctx, id, refnum_domain::policy::EtabAction::View).await?;
    if !ctx.actor.school_ids().contains(&id) {
        return Err(ServiceError::NotFound);
    }
    set_current_school(db, s, Some(id)).await
}

pub async fn set_current_school(db: &Db, s: &LoadedSession, id: Option<Uuid>) -> Result<()> {
    let mut am = s.row.clone().into_active_model();
    am.etablissement_id = Set(id);
    am.update(&db.conn).await?;
    Ok(())
}

pub async fn logout(db: &Db, s: &LoadedSession) -> Result<()> {
    sessions::delete(&db.conn, &s.token_hash).await?;
    if let Some(a) = &s.account {
        let who = Who {
            account_id: Some(a.id),
            label: a.email.clone(),
        };
        audit::record_alone(
            db,
            Event {
                who: &who,
                action: "auth.logout",
                target: format!("account:{}", a.id),
                etablissement_id: s.row.etablissement_id,
                outcome: "ok",
                details: serde_json::json!({}),
            },
        )
        .await?;
    }
    Ok(())
}

#[derive(Debug)]
pub enum LoginError {
    /// Wrong e-mail or password (the same answer either way).
    Invalid,
    /// Too many failures: try again after this many seconds.
    Throttled { retry_after_secs: i64 },
}

pub struct LoginOk {
    pub token: String,
    pub account: account::Model,
}

fn account_key(email: &str) -> String {
    format!("a:{}", &sha256_hex(email)[..40])
}

fn address_key(addr: &str) -> String {
    format!("ip:{addr}")
}

/// Reserves one attempt under a throttling key before the secret is
/// checked: `Ok(None)` to go on (the attempt is already counted as a
/// failure), `Ok(Some(seconds))` when the limit is reached (nothing counted).
/// A success gives the attempt back ([`release_attempt`]) or clears the key.
/// Counting first is what holds under parallel requests: a check made before
/// and a count made after let every request of a burst through.
pub(crate) async fn reserve_attempt(
    db: &Db,
    key: &str,
    max: i32,
    settings: &AuthSettings,
) -> Result<Option<i64>> {
    let now = Utc::now();
    let txn = db.write().await?;
    let reserved =
        sessions::throttle_reserve(&*txn, key, max, now - settings.throttle_window, now).await?;
    let wait = if reserved {
        None
    } else {
        let ends = sessions::throttle_get(&*txn, key)
            .await?
            .map(|t| t.window_started_at + settings.throttle_window)
            .unwrap_or(now);
        Some((ends - now).num_seconds().max(1))
    };
    txn.commit().await?;
    Ok(wait)
}

/// Gives back an attempt that succeeded.
pub(crate) async fn release_attempt(db: &Db, key: &str) -> Result<()> {
    let txn = db.write().await?;
    sessions::throttle_release(&*txn, key).await?;
    txn.commit().await?;
    Ok(())
}

/// Forgets the failures under a key (after a success).
pub(crate) async fn clear_attempts(db: &Db, key: &str) -> Result<()> {
    let txn = db.write().await?;
    sessions::throttle_clear(&*txn, key).await?;
    txn.commit().await?;
    Ok(())
}

/// Signs in with e-mail and password. On success the old session (if any)
/// is replaced by a new one: the session id changes at login.
pub async fn login(
    db: &Db,
    email: &str,
    pw: &str,
    client_addr: &str,
    old: Option<&LoadedSession>,
    settings: &AuthSettings,
) -> Result<std::result::Result<LoginOk, LoginError>> {
    let email_norm = Email::parse(email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| email.trim().to_lowercase());
    let akey = account_key(&email_norm);
    let ikey = address_key(client_addr);
    // Both limits are reserved before the password is checked; an attempt
    // refused by one limit gives back what the other reserved.
    let wait_a = reserve_attempt(db, &akey, settings.account_max_failures, settings).await?;
    let wait_i = match wait_a {
        Some(_) => None,
        None => reserve_attempt(db, &ikey, settings.address_max_failures, settings).await?,
    };
    if wait_i.is_some() {
        release_attempt(db, &akey).await?;
    }
    if let Some(wait) = wait_a.into_iter().chain(wait_i).max() {
        let who = Who::system("anonyme");
        audit::record_alone(
            db,
            Event {
                who: &who,
                action: "auth.login_throttled",
                target: "account".into(),
                etablissement_id: None,
                outcome: "refused",
                details: serde_json::json!({ "address": client_addr }),
            },
        )
        .await?;
        return Ok(Err(LoginError::Throttled {
            retry_after_secs: wait,
        }));
    }
    let found = accounts::get_by_email(&db.conn, &email_norm).await?;
    let ok = match &found {
        Some(a) => match &a.password_hash {
            Some(h) => verify_password(pw, h).await && !a.disabled,
            None => {
                verify_password(pw, dummy_hash()).await;
                false
            }
        },
        None => {
            verify_password(pw, dummy_hash()).await;
            false
        }
    };
    let Some(account) = found.filter(|_| ok) else {
        // Both attempts stay counted as failures.
        let who = Who::system("anonyme");
        audit::record_alone(
            db,
            Event {
                who: &who,
                action: "auth.login_failed",
                target: "account".into(),
                etablissement_id: None,
                outcome: "refused",
                details: serde_json::json!({ "address": client_addr }),
            },
        )
        .await?;
        return Ok(Err(LoginError::Invalid));
    };
    clear_attempts(db, &akey).await?;
    release_attempt(db, &ikey).await?;
    let token = start_session(db, &account, old, "password", client_addr).await?;
    Ok(Ok(LoginOk { token, account }))
}

/// Opens a signed-in session for `account` (the old session, if any, is
/// deleted: the session id changes at sign-in) and records `auth.login`
/// with the sign-in `method` ("password", "cas:<id>", "oidc:<id>").
/// Returns the new session's cookie value.
pub async fn start_session(
    db: &Db,
    account: &account::Model,
    old: Option<&LoadedSession>,
    method: &str,
    client_addr: &str,
) -> Result<String> {
    let now = Utc::now();
    if let Some(o) = old {
        sessions::delete(&db.conn, &o.token_hash).await?;
    }
    let token = random_token(32);
    let rows = accounts::memberships_of(&db.conn, account.id).await?;
    let first_school = rows.iter().find_map(|m| m.etablissement_id);
    let txn = db.write().await?;
    session::Entity::insert(
        session::Model {
            id_hash: sha256_hex(&token),
            account_id: Some(account.id),
            csrf_token: random_token(32),
            etablissement_id: first_school,
            created_at: now,
            last_seen_at: now,
            authenticated_at: Some(now),
            second_factor_at: None,
        }
        .into_active_model(),
    )
    .exec_without_returning(&*txn)
    .await?;
    let who = Who {
        account_id: Some(account.id),
        label: account.email.clone(),
    };
    audit::record(
        &*txn,
        Event {
            who: &who,
            action: "auth.login",
            target: format!("account:{}", account.id),
            etablissement_id: first_school,
            outcome: "ok",
            details: serde_json::json!({ "address": client_addr, "method": method }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// Checks the signed-in account's password again before an act that must be
/// its owner's (changing the password, signing a mission letter). The
/// password is a secret checked like at sign-in: an attempt is counted
/// before the check, under the account's own key, so that guesses are
/// throttled; a wrong one is a field error on `field`.
pub async fn confirm_password(
    db: &Db,
    account: &account::Model,
    password: &str,
    field: &'static str,
    settings: &AuthSettings,
) -> Result<()> {
    let key = format!("pw:{}", account.id);
    if reserve_attempt(db, &key, settings.account_max_failures, settings)
        .await?
        .is_some()
    {
        return Err(ServiceError::field(field, "error-password-throttled"));
    }
    let ok = match &account.password_hash {
        Some(h) => verify_password(password, h).await,
        None => false,
    };
    if !ok {
        return Err(ServiceError::field(field, "error-password-wrong"));
    }
    clear_attempts(db, &key).await?;
    Ok(())
}

/// Changes one's own password after checking the current one; every other
/// session of the account is closed.
pub async fn change_password(
    db: &Db,
    account: &account::Model,
    current: &str,
    new: &str,
    keep_session: &str,
    settings: &AuthSettings,
) -> Result<()> {
    confirm_password(db, account, current, "current_password", settings).await?;
    password::check(new, &[&account.email, &account.display_name])
        .map_err(|e| ServiceError::field("new_password", e.key()))?;
    let hash = hash_password(new).await?;
    let txn = db.write().await?;
    let mut am = account.clone().into_active_model();
    am.password_hash = Set(Some(hash));
    am.updated_at = Set(Utc::now());
    am.update(&*txn).await?;
    // Close the other sessions of this account.
    use sea_orm::{ColumnTrait, QueryFilter};
    refnum_db::entities::session::Entity::delete_many()
        .filter(refnum_db::entities::session::Column::AccountId.eq(account.id))
        .filter(refnum_db::entities::session::Column::IdHash.ne(keep_session))
        .exec(&*txn)
        .await?;
    let who = Who {
        account_id: Some(account.id),
        label: account.email.clone(),
    };
    audit::record(
        &*txn,
        Event {
            who: &who,
            action: "auth.password_changed",
            target: format!("account:{}", account.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes sessions past their idle or absolute limit.
pub async fn purge_sessions(db: &Db, settings: &AuthSettings) -> Result<u64> {
    let now = Utc::now();
    Ok(sessions::delete_expired(
        &db.conn,
        now - settings.idle_timeout,
        now - settings.absolute_timeout,
    )
    .await?)
}

/// Records that the session passed its second factor (`method`: "totp",
/// "recovery_code", or "cas:<id>" / "oidc:<id>" when an identity provider
/// asserted multi-factor authentication), with its audit event.
pub async fn mark_second_factor(db: &Db, session_token_hash: &str, method: &str) -> Result<()> {
    let txn = db.write().await?;
    let Some(row) = sessions::get(&*txn, session_token_hash).await? else {
        return Err(ServiceError::NotFound);
    };
    let Some(account_id) = row.account_id else {
        return Err(ServiceError::NotFound);
    };
    let etablissement_id = row.etablissement_id;
    let mut am = row.into_active_model();
    am.second_factor_at = Set(Some(Utc::now()));
    am.update(&*txn).await?;
    let label = accounts::get(&*txn, account_id)
        .await?
        .map(|a| a.email)
        .unwrap_or_default();
    let who = Who {
        account_id: Some(account_id),
        label,
    };
    audit::record(
        &*txn,
        Event {
            who: &who,
            action: "auth.second_factor_ok",
            target: format!("account:{account_id}"),
            etablissement_id,
            outcome: "ok",
            details: serde_json::json!({ "method": method }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
