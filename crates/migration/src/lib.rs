//! Forward-only migrations shared by SQLite and PostgreSQL.
//! A landed migration is never edited: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_socle;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261128_000001_socle::Migration)]
    }
}
