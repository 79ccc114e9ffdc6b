//! The connection and transaction types every query runs on.
//!
//! They wrap SeaORM's and change one thing on SQLite: a `LIMIT ?` at the end
//! of a query becomes a literal `LIMIT n`. SQLite (3.47 and later) reads the
//! value of a bound `LIMIT` while planning and marks the statement to be
//! planned again whenever that parameter is bound, so a cached statement
//! with `LIMIT ?` is parsed and planned again on every execution: with
//! `.one()` (`LIMIT 1`) and every paged list, that was a tenth of the
//! server's CPU under load. The literal is an integer taken from the bound
//! value itself, never text; the `OFFSET` stays a parameter, so each list
//! keeps one cached statement per page size. PostgreSQL statements are left
//! as they are.
//!
//! They also count the statements they send (one relaxed atomic add each).
//! The counter belongs to one [`crate::connect::Db`] and is shared by its
//! clones and by the transactions it opens, so it counts that database
//! handle's statements and nobody else's. That is how the integration suite
//! holds each list page to a statement budget: every test spawns its own
//! server over its own `Db`, so tests running side by side in one process
//! never add to each other's count, which a process-wide counter (or a
//! captured `tracing` log of sqlx's statements) would do. A task-local
//! per-request counter was the other candidate; it needs a layer around
//! every request and loses statements run on another task, for nothing the
//! tests need, since a test sends one request at a time. What is not counted:
//! `BEGIN`/`COMMIT`/`ROLLBACK`, which SeaORM sends itself.

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, Statement, Value, Values,
};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The number of statements sent through one database handle.
#[derive(Debug, Clone, Default)]
pub struct StatementCount(Arc<AtomicU64>);

impl StatementCount {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// A SeaORM connection or transaction whose queries get a literal `LIMIT`
/// on SQLite, and are counted. Derefs to the wrapped value for everything
/// else (begin, commit, pools).
#[derive(Debug, Clone)]
pub struct Conn<C>(pub C, pub StatementCount);

impl<C> Deref for Conn<C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.0
    }
}

#[sea_orm::prelude::async_trait::async_trait]
impl<C: ConnectionTrait + Send> ConnectionTrait for Conn<C> {
    fn get_database_backend(&self) -> DbBackend {
        self.0.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.1.add();
        self.0.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.1.add();
        self.0.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.1.add();
        self.0.query_one_raw(inline_limit(stmt)).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.1.add();
        self.0.query_all_raw(inline_limit(stmt)).await
    }

    fn support_returning(&self) -> bool {
        self.0.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.0.is_mock_connection()
    }
}

/// Rewrites a trailing `LIMIT ?` (or `LIMIT ? OFFSET ?`) of a SQLite
/// statement into `LIMIT n`, removing the bound value. Anything else, or a
/// bound value that is not a non-negative integer, is left unchanged.
pub fn inline_limit(mut stmt: Statement) -> Statement {
    if stmt.db_backend != DbBackend::Sqlite {
        return stmt;
    }
    let (head, with_offset) = if let Some(h) = stmt.sql.strip_suffix(" LIMIT ?") {
        (h.len(), false)
    } else if let Some(h) = stmt.sql.strip_suffix(" LIMIT ? OFFSET ?") {
        (h.len(), true)
    } else {
        return stmt;
    };
    let Some(Values(values)) = stmt.values.as_mut() else {
        return stmt;
    };
    let Some(at) = values.len().checked_sub(if with_offset { 2 } else { 1 }) else {
        return stmt;
    };
    let n: u64 = match values[at] {
        Value::BigUnsigned(Some(n)) => n,
        Value::Unsigned(Some(n)) => u64::from(n),
        Value::BigInt(Some(n)) if n >= 0 => n.unsigned_abs(),
        Value::Int(Some(n)) if n >= 0 => u64::from(n.unsigned_abs()),
        _ => return stmt,
    };
    values.remove(at);
    stmt.sql.truncate(head);
    stmt.sql.push_str(" LIMIT ");
    stmt.sql.push_str(&n.to_string());
    if with_offset {
        stmt.sql.push_str(" OFFSET ?");
    }
    stmt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(backend, sql, values)
    }

    fn values(s: &Statement) -> Vec<Value> {
        s.values.clone().map(|v| v.0).unwrap_or_default()
    }

    #[test]
    fn a_trailing_limit_becomes_a_literal_on_sqlite() {
        let s = inline_limit(stmt(
            DbBackend::Sqlite,
            r#"SELECT "id" FROM "t" WHERE "a" = ? LIMIT ?"#,
            vec![Value::from("x"), Value::BigUnsigned(Some(51))],
        ));
        assert_eq!(s.sql, r#"SELECT "id" FROM "t" WHERE "a" = ? LIMIT 51"#);
        assert_eq!(values(&s), vec![Value::from("x")]);
    }

    #[test]
    fn the_offset_stays_a_parameter() {
        let s = inline_limit(stmt(
            DbBackend::Sqlite,
            r#"SELECT "id" FROM "t" WHERE "a" = ? LIMIT ? OFFSET ?"#,
            vec![
                Value::from("x"),
                Value::BigUnsigned(Some(50)),
                Value::BigUnsigned(Some(250)),
            ],
        ));
        assert_eq!(
            s.sql,
            r#"SELECT "id" FROM "t" WHERE "a" = ? LIMIT 50 OFFSET ?"#
        );
        assert_eq!(
            values(&s),
            vec![Value::from("x"), Value::BigUnsigned(Some(250))]
        );
    }

    #[test]
    fn other_statements_and_backends_are_unchanged() {
        let pg = stmt(
            DbBackend::Postgres,
            r#"SELECT "id" FROM "t" LIMIT $1"#,
            vec![Value::BigUnsigned(Some(1))],
        );
        assert_eq!(inline_limit(pg.clone()).sql, pg.sql);
        let inner = stmt(
            DbBackend::Sqlite,
            r#"SELECT COUNT(*) FROM (SELECT "id" FROM "t" LIMIT ?) AS "s""#,
            vec![Value::BigUnsigned(Some(5))],
        );
        assert_eq!(inline_limit(inner.clone()).sql, inner.sql);
        // A value that is not an integer is never written into the SQL.
        let text = stmt(
            DbBackend::Sqlite,
            r#"SELECT "id" FROM "t" LIMIT ?"#,
            vec![Value::from("1; DROP TABLE t")],
        );
        let out = inline_limit(text.clone());
        assert_eq!(out.sql, text.sql);
        assert_eq!(values(&out), values(&text));
    }
}
