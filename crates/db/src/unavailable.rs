//! Which database errors mean "the database cannot be reached for now"
//! (answered 503 with `Retry-After`), as opposed to a bad query or a
//! constraint (a bug or a field error).

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr};

/// True when the error comes from losing or not getting a connection: pool
/// timeout or closed, connection refused or reset, server shutting down or
/// terminating the session, too many connections, a standby that refuses
/// writes; on SQLite, the file locked by another process past the busy
/// timeout, or unreadable. Constraint violations and query errors are not.
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            sqlx_unavailable(e)
        }
        _ => false,
    }
}

fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                sqlite_code_unavailable(&code)
            } else {
                sqlstate_unavailable(&code)
            }
        }
        _ => false,
    }
}

/// PostgreSQL SQLSTATE codes of an unreachable or unusable server.
fn sqlstate_unavailable(code: &str) -> bool {
    // 08…: connection exception; 57P01 admin_shutdown (pg_terminate_backend,
    // fast shutdown), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
    // up or in recovery); 53300 too_many_connections; 25006
    // read_only_sql_transaction (a standby after a failover).
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300" | "25006")
}

/// SQLite result codes (extended; the primary code is the low byte).
fn sqlite_code_unavailable(code: &str) -> bool {
    const BUSY: i64 = 5;
    const LOCKED: i64 = 6;
    const IOERR: i64 = 10;
    const CANTOPEN: i64 = 14;
    code.parse::<i64>()
        .is_ok_and(|c| matches!(c & 0xff, BUSY | LOCKED | IOERR | CANTOPEN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn exec(e: sqlx::Error) -> DbErr {
        DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e)))
    }

    #[test]
    fn connection_errors_are_unavailable_and_others_are_not() {
        let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert!(is_unavailable(&exec(sqlx::Error::Io(reset))));
        assert!(is_unavailable(&exec(sqlx::Error::PoolTimedOut)));
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout
        )));
        assert!(!is_unavailable(&exec(sqlx::Error::RowNotFound)));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
        assert!(!is_unavailable(&DbErr::Custom("x".into())));
    }

    #[test]
    fn codes() {
        for c in ["08006", "08001", "57P01", "57P03", "53300", "25006"] {
            assert!(sqlstate_unavailable(c), "{c}");
        }
        for c in ["23505", "23503", "40001", "42P01", ""] {
            assert!(!sqlstate_unavailable(c), "{c}");
        }
        // SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT (517), SQLITE_IOERR_READ (266), SQLITE_CANTOPEN.
        for c in ["5", "517", "266", "14", "6"] {
            assert!(sqlite_code_unavailable(c), "{c}");
        }
        // SQLITE_CONSTRAINT_UNIQUE (2067), SQLITE_ERROR.
        for c in ["2067", "1", "19", "x"] {
            assert!(!sqlite_code_unavailable(c), "{c}");
        }
    }
}
