//! Sessions and the login throttle, both kept in the database so that app
//! servers stay stateless.

use crate::entities::{account, login_throttle, session};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

pub async fn get<C: ConnectionTrait>(
    c: &C,
    id_hash: &str,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id_hash.to_owned()).one(c).await
}

/// A session with its account (if signed in), in one query: every page
/// reads both.
pub async fn get_with_account<C: ConnectionTrait>(
    c: &C,
    id_hash: &str,
) -> Result<Option<(session::Model, Option<account::Model>)>, DbErr> {
    session::Entity::find_by_id(id_hash.to_owned())
        .find_also_related(account::Entity)
        .one(c)
        .await
}

pub async fn delete<C: ConnectionTrait>(c: &C, id_hash: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id_hash.to_owned())
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn delete_for_account<C: ConnectionTrait>(c: &C, account_id: Uuid) -> Result<u64, DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// Removes sessions idle since `idle_before` or started before `started_before`.
pub async fn delete_expired<C: ConnectionTrait>(
    c: &C,
    idle_before: DateTime<Utc>,
    started_before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::LastSeenAt.lt(idle_before))
                .add(session::Column::CreatedAt.lt(started_before)),
        )
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

pub async fn throttle_get<C: ConnectionTrait>(
    c: &C,
    key: &str,
) -> Result<Option<login_throttle::Model>, DbErr> {
    login_throttle::Entity::find_by_id(key.to_owned())
        .one(c)
        .await
}

pub async fn throttle_clear<C: ConnectionTrait>(c: &C, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(c)
        .await
        .map(|_| ())
}
