use crate::conn::{Conn, StatementCount};
use refnum_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle shared by the whole app.
///
/// SQLite allows one writer at a time; a deferred transaction that reads and
/// then writes can fail at once when another writer got in between. So on
/// SQLite every write transaction first takes an in-process lock (one school,
/// one process: writers queue in order instead of polling the file lock),
/// then begins with `BEGIN IMMEDIATE`, which waits for the file's write lock
/// (the busy timeout) when a single-statement write outside a transaction
/// holds it. PostgreSQL needs neither.
#[derive(Clone)]
pub struct Db {
    pub conn: Conn<DatabaseConnection>,
    backend: Backend,
    write_lock: Option<Arc<Mutex<()>>>,
}

pub struct WriteTxn {
    pub txn: Conn<DatabaseTransaction>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.0.commit().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = Conn<DatabaseTransaction>;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// SQLite: bytes of the database file each connection reads through a
    /// memory map (0: none, every page is read into the page cache). The
    /// mapped pages are the system's file cache, but they count in the
    /// process's resident memory once read.
    pub sqlite_mmap_bytes: u64,
    /// SQLite: KiB of page cache per connection (private memory, filled as
    /// pages are read).
    pub sqlite_cache_kib: u64,
}

/// A pooled connection idle for this long is checked before it is used.
pub const IDLE_CHECK_AFTER: Duration = Duration::from_secs(30);

/// Default memory map of a SQLite connection (256 MiB).
pub const DEFAULT_SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;
/// Default page cache of a SQLite connection (16 MiB).
pub const DEFAULT_SQLITE_CACHE_KIB: u64 = 16 * 1024;

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 16,
            sqlite_mmap_bytes: DEFAULT_SQLITE_MMAP_BYTES,
            sqlite_cache_kib: DEFAULT_SQLITE_CACHE_KIB,
        }
    }
}

impl Db {
    pub async fn connect(url: &str, pool: &PoolSettings) -> Result<Db, DbErr> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(DbErr::Custom(
                "unsupported database URL: use sqlite://… or postgres://…".into(),
            ));
        };
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.max_connections(pool.max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            // A connection is checked (a round trip) before it is handed
            // out only when it sat idle for a while, as after a night or a
            // restart of the server: checking it before every statement
            // doubled the round trips of every page.
            .test_before_acquire_if_idle_for(IDLE_CHECK_AFTER)
            .sqlx_logging(false);
        if backend == Backend::Sqlite {
            let mmap = pool.sqlite_mmap_bytes.to_string();
            // A negative cache_size is in KiB.
            let cache = format!("-{}", pool.sqlite_cache_kib.max(1));
            opts.map_sqlx_sqlite_opts(move |o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // Reads through a memory map and a larger page cache
                    // per connection: fewer system calls per query.
                    .pragma("mmap_size", mmap.clone())
                    .pragma("cache_size", cache.clone())
                    .pragma("temp_store", "memory")
            });
        }
        let conn = Conn(Database::connect(opts).await?, StatementCount::default());
        Ok(Db {
            conn,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
        })
    }

    /// Statements sent so far through this handle, its clones and its
    /// transactions (see [`crate::conn`]).
    pub fn statements(&self) -> u64 {
        self.conn.1.get()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.conn.0, None).await
    }

    /// Pending migrations, for `refnum migrate --status`.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, DbErr> {
        Ok(Migrator::get_pending_migrations(&self.conn.0)
            .await?
            .iter()
            .map(|m| m.name().to_string())
            .collect())
    }

    /// Starts a write transaction (serialised on SQLite).
    pub async fn write(&self) -> Result<WriteTxn, DbErr> {
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let txn = match self.backend {
            // `BEGIN IMMEDIATE` takes SQLite's write lock at once, waiting
            // (busy timeout) while another connection writes. A deferred
            // transaction would read first and could then be refused with
            // "database is locked" when another write landed in between.
            Backend::Sqlite => {
                self.conn
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..TransactionOptions::default()
                    })
                    .await?
            }
            Backend::Postgres => self.conn.begin().await?,
        };
        Ok(WriteTxn {
            txn: Conn(txn, self.conn.1.clone()),
            _guard: guard,
        })
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.execute_unprepared("SELECT 1").await.map(|_| ())
    }

    /// Connections in the pool: (size, idle).
    pub fn pool_status(&self) -> (u32, u32) {
        match self.backend {
            Backend::Sqlite => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle() as u32)
            }
            Backend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle() as u32)
            }
        }
    }

    /// A consistent online copy of a SQLite database (`VACUUM INTO`).
    pub async fn sqlite_backup_into(&self, path: &str) -> Result<(), DbErr> {
        if self.backend != Backend::Sqlite {
            return Err(DbErr::Custom("backup copy is for SQLite only".into()));
        }
        let escaped = path.replace('\'', "''");
        self.conn
            .execute_unprepared(&format!("VACUUM INTO '{escaped}'"))
            .await
            .map(|_| ())
    }
}
