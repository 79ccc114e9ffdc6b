//! Second factor: TOTP credentials and recovery codes.

use crate::entities::{recovery_code, session, totp_credential};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

pub async fn credential<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
) -> Result<Option<totp_credential::Model>, DbErr> {
    totp_credential::Entity::find_by_id(account_id).one(c).await
}

/// Stores a new, unconfirmed credential (replacing an unconfirmed one).
pub async fn put_pending<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    totp_credential::Entity::delete_many()
        .filter(totp_credential::Column::AccountId.eq(account_id))
        .filter(totp_credential::Column::ConfirmedAt.is_null())
        .exec(c)
        .await?;
    totp_credential::Entity::insert(totp_credential::ActiveModel {
        account_id: Set(account_id),
        secret: Set(secret.to_owned()),
        created_at: Set(now),
        confirmed_at: Set(None),
        last_step: Set(None),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Marks a pending credential confirmed with its first accepted step.
/// False when it was not pending any more (a concurrent confirmation).
pub async fn confirm<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    step: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = totp_credential::Entity::update_many()
        .col_expr(totp_credential::Column::ConfirmedAt, Expr::value(now))
        .col_expr(totp_credential::Column::LastStep, Expr::value(step))
        .filter(totp_credential::Column::AccountId.eq(account_id))
        .filter(totp_credential::Column::ConfirmedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records `step` as the last accepted one, only if it is later than the
/// stored one: of two requests with the same code, one wins.
pub async fn advance_step<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    step: i64,
) -> Result<bool, DbErr> {
    let r = totp_credential::Entity::update_many()
        .col_expr(totp_credential::Column::LastStep, Expr::value(step))
        .filter(totp_credential::Column::AccountId.eq(account_id))
        .filter(totp_credential::Column::ConfirmedAt.is_not_null())
        .filter(
            Condition::any()
                .add(totp_credential::Column::LastStep.is_null())
                .add(totp_credential::Column::LastStep.lt(step)),
        )
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Replaces the account's recovery codes by these hashes.
pub async fn replace_recovery_codes<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    hashes: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .exec(c)
        .await?;
    if hashes.is_empty() {
        return Ok(());
    }
    recovery_code::Entity::insert_many(hashes.iter().map(|h| recovery_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id),
        code_hash: Set(h.clone()),
        created_at: Set(now),
        used_at: Set(None),
    }))
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Marks an unused recovery code used; false when there is none with this hash.
pub async fn use_recovery_code<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn unused_recovery_codes<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
) -> Result<u64, DbErr> {
    recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(c)
        .await
}

/// Removes the account's credential and recovery codes and closes its
/// sessions. True when there was a credential.
pub async fn reset<C: ConnectionTrait>(c: &C, account_id: Uuid) -> Result<bool, DbErr> {
    let r = totp_credential::Entity::delete_many()
        .filter(totp_credential::Column::AccountId.eq(account_id))
        .exec(c)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .exec(c)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}
