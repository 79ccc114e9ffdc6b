//! Sessions and the login throttle, both kept in the database so that app
//! servers stay stateless.

use crate::entities::assistance::notification;
use crate::entities::{account, etablissement, login_throttle, membership, session};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityName, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, QueryFilter, QueryResult, Statement,
};
use std::sync::Mutex;
use uuid::Uuid;

pub async fn get<C: ConnectionTrait>(
    c: &C,
    id_hash: &str,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id_hash.to_owned()).one(c).await
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

/// A session with everything a page needs to know about its caller, read in
/// one statement: the account, its memberships with their schools (oldest
/// first), and how many of its notifications are unread, counted up to a cap.
#[derive(Debug, Clone)]
pub struct SessionWithContext {
    pub session: session::Model,
    pub account: Option<account::Model>,
    pub memberships: Vec<(membership::Model, Option<etablissement::Model>)>,
    pub unread: u64,
}

/// Every column of `E`, each named `{prefix}{column}`.
fn select_all_as<E: EntityTrait>(q: &mut SelectStatement, prefix: &str) {
    for col in E::Column::iter() {
        q.expr_as(
            col.select_as(Expr::col((E::default(), col))),
            Alias::new(format!("{prefix}{}", col.as_str())),
        );
    }
}

/// The session `id_hash` with its account, memberships and unread count
/// (see [`SessionWithContext`]): one row per membership, or one row without
/// membership. Every signed-in page runs this one statement instead of
/// three.
pub async fn get_with_context<C: ConnectionTrait>(
    c: &C,
    id_hash: &str,
    unread_cap: u64,
) -> Result<Option<SessionWithContext>, DbErr> {
    let backend = c.get_database_backend();
    let sql = context_sql(backend, unread_cap);
    let rows = c
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [id_hash.into()],
        ))
        .await?;
    from_context_rows(&rows)
}

/// The text of [`get_with_context`]'s statement, built once per backend
/// and cap (every signed-in request runs it: building it each time cost as
/// much as running it). Its one bound value is the session's hash.
fn context_sql(backend: DbBackend, unread_cap: u64) -> String {
    static BUILT: Mutex<Vec<(DbBackend, u64, String)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, sql)) = built
        .iter()
        .find(|(b, cap, _)| *b == backend && *cap == unread_cap)
    {
        return sql.clone();
    }
    let stmt = backend.build(&context_statement("", unread_cap));
    built.push((backend, unread_cap, stmt.sql.clone()));
    stmt.sql
}

fn context_statement(id_hash: &str, unread_cap: u64) -> SelectStatement {
    // The cap is written into the statement, not bound: SQLite re-prepares a
    // statement on every run when a subquery's LIMIT is a bound value.
    let unread = Expr::cust(format!(
        r#"(SELECT COUNT(*) FROM (SELECT 1 FROM "{n}" WHERE "{n}"."account_id" = "{s}"."account_id" AND "{n}"."read_at" IS NULL LIMIT {cap}) AS "unread_rows")"#,
        n = notification::Entity.table_name(),
        s = session::Entity.table_name(),
        cap = unread_cap,
    ));
    let mut q = Query::select();
    select_all_as::<session::Entity>(&mut q, "s_");
    select_all_as::<account::Entity>(&mut q, "a_");
    select_all_as::<membership::Entity>(&mut q, "m_");
    select_all_as::<etablissement::Entity>(&mut q, "e_");
    q.expr_as(unread, Alias::new("unread"))
        .from(session::Entity)
        .left_join(
            account::Entity,
            Expr::col((account::Entity, account::Column::Id))
                .equals((session::Entity, session::Column::AccountId)),
        )
        .left_join(
            membership::Entity,
            Expr::col((membership::Entity, membership::Column::AccountId))
                .equals((account::Entity, account::Column::Id)),
        )
        .left_join(
            etablissement::Entity,
            Expr::col((etablissement::Entity, etablissement::Column::Id))
                .equals((membership::Entity, membership::Column::EtablissementId)),
        )
        .and_where(Expr::col((session::Entity, session::Column::IdHash)).eq(id_hash))
        .order_by(
            (membership::Entity, membership::Column::CreatedAt),
            Order::Asc,
        )
        .order_by((membership::Entity, membership::Column::Id), Order::Asc);
    q
}

fn from_context_rows(rows: &[QueryResult]) -> Result<Option<SessionWithContext>, DbErr> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let session = session::Model::from_query_result(first, "s_")?;
    let account = match session.account_id {
        Some(_) => account::Model::from_query_result_optional(first, "a_")?,
        None => None,
    };
    let unread = u64::try_from(first.try_get::<i64>("", "unread")?).unwrap_or(0);
    let mut memberships = Vec::with_capacity(rows.len());
    if account.is_some() {
        for r in rows {
            if r.try_get::<Option<Uuid>>("m_", "id")?.is_none() {
                continue;
            }
            let m = membership::Model::from_query_result(r, "m_")?;
            let e = match m.etablissement_id {
                Some(_) => etablissement::Model::from_query_result_optional(r, "e_")?,
                None => None,
            };
            memberships.push((m, e));
        }
    }
    Ok(Some(SessionWithContext {
        session,
        account,
        memberships,
        unread,
    }))
}
