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

/// Reserves one attempt under a throttling key, atomically: counts it when
/// the key has fewer than `max` failures in its window (or its window began
/// at `window_cutoff` or earlier: a new window starts with this attempt).
/// Returns `false`, counting nothing, when the limit is reached. One
/// statement (an upsert whose update is conditional), so parallel requests
/// cannot all pass a check made before any of them is counted.
pub async fn throttle_reserve<C: ConnectionTrait>(
    c: &C,
    key: &str,
    max: i32,
    window_cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use login_throttle::Column as Col;
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
    let expired = || Expr::col((login_throttle::Entity, Col::WindowStartedAt)).lte(window_cutoff);
    let q = Query::insert()
        .into_table(login_throttle::Entity)
        .columns([Col::Key, Col::Failures, Col::WindowStartedAt])
        .values_panic([key.into(), 1i32.into(), now.into()])
        .on_conflict(
            OnConflict::column(Col::Key)
                .value(
                    Col::Failures,
                    Expr::case(expired(), 1i32)
                        .finally(Expr::col((login_throttle::Entity, Col::Failures)).add(1i32)),
                )
                .value(
                    Col::WindowStartedAt,
                    Expr::case(expired(), now)
                        .finally(Expr::col((login_throttle::Entity, Col::WindowStartedAt))),
                )
                .action_and_where(
                    expired().or(Expr::col((login_throttle::Entity, Col::Failures)).lt(max)),
                )
                .to_owned(),
        )
        .to_owned();
    Ok(c.execute(&q).await?.rows_affected() == 1)
}

/// Gives back an attempt reserved by [`throttle_reserve`] that did not fail
/// (a sign-in that succeeded does not count against the address).
pub async fn throttle_release<C: ConnectionTrait>(c: &C, key: &str) -> Result<(), DbErr> {
    use sea_orm::sea_query::ExprTrait;
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            sea_orm::sea_query::Expr::col(login_throttle::Column::Failures).sub(1i32),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .filter(login_throttle::Column::Failures.gt(0))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn throttle_clear<C: ConnectionTrait>(c: &C, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(c)
        .await
        .map(|_| ())
}
