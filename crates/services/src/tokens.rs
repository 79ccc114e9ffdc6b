//! API tokens: shown once, stored as a hash.

use crate::audit::{self, Event, Who};
use crate::auth::{random_token, sha256_hex};
use crate::error::{Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::{account, api_token};
use refnum_db::{Db, accounts};
use refnum_domain::etablissement::parse_name;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use uuid::Uuid;

pub const PREFIX: &str = "rfn_";

/// Creates a token for the account; returns the secret (shown once) and its row.
pub async fn create(
    db: &Db,
    account: &account::Model,
    name: &str,
) -> Result<(String, api_token::Model)> {
    let name = parse_name(name, 100).map_err(|k| ServiceError::field("name", k))?;
    let secret = format!("{PREFIX}{}", random_token(32));
    let m = api_token::Model {
        id: Uuid::now_v7(),
        account_id: account.id,
        name,
        token_hash: sha256_hex(&secret),
        prefix: secret.chars().take(10).collect(),
        created_at: Utc::now(),
        last_used_at: None,
        revoked_at: None,
    };
    let txn = db.write().await?;
    api_token::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await?;
    audit::record(
        &*txn,
        Event {
            who: &Who {
                account_id: Some(account.id),
                label: account.email.clone(),
            },
            action: "token.created",
            target: format!("token:{}", m.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "name": m.name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((secret, m))
}

/// Revokes one of the account's own tokens.
pub async fn revoke(db: &Db, account: &account::Model, id: Uuid) -> Result<()> {
    let tokens = accounts::tokens_of(&db.conn, account.id).await?;
    let Some(t) = tokens
        .into_iter()
        .find(|t| t.id == id && t.revoked_at.is_none())
    else {
        return Err(ServiceError::NotFound);
    };
    let txn = db.write().await?;
    let mut am = t.into_active_model();
    am.revoked_at = Set(Some(Utc::now()));
    am.update(&*txn).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who {
                account_id: Some(account.id),
                label: account.email.clone(),
            },
            action: "token.revoked",
            target: format!("token:{id}"),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The account a bearer token belongs to, if the token is valid and the account enabled.
pub async fn authenticate(db: &Db, secret: &str) -> Result<Option<account::Model>> {
    if !secret.starts_with(PREFIX) || secret.len() > 100 {
        return Ok(None);
    }
    let Some(t) = accounts::token_by_hash(&db.conn, &sha256_hex(secret)).await? else {
        return Ok(None);
    };
    let Some(acc) = accounts::get(&db.conn, t.account_id).await? else {
        return Ok(None);
    };
    if acc.disabled {
        return Ok(None);
    }
    let stale = t
        .last_used_at
        .is_none_or(|at| Utc::now() - at > chrono::Duration::seconds(60));
    if stale {
        let mut am = t.into_active_model();
        am.last_used_at = Set(Some(Utc::now()));
        am.update(&db.conn).await?;
    }
    Ok(Some(acc))
}
