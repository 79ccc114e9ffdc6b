//! Storage: SeaORM entities and every query of RefNum. The one place SQL lives.

pub mod accounts;
pub mod annuaire;
pub mod assistance;
pub mod audit;
pub mod conn;
pub mod connect;
pub mod entities;
pub mod indicators;
pub mod kb;
pub mod mfa;
pub mod orgs;
pub mod parc;
pub mod parc_files;
pub mod pilotage;
pub mod prets;
pub mod recherche;
pub mod reservations;
pub mod scalars;
pub mod sessions;
pub mod settings;
pub mod sso;
pub mod support;
mod unavailable;

pub use conn::Conn;
pub use connect::{Backend, Db, WriteTxn};
pub use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
pub use unavailable::is_unavailable;

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
