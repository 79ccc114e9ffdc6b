//! Directory: the index of the people who left holds only them.
//!
//! `ix_annuaire_people_left` on `(status, left_at)` serves one query, the
//! purge of the people who left before a date (`status = 'left' AND left_at
//! < …`), yet every row written, active or not, went into it: a first
//! import of 300,000 people inserted 300,000 entries that nothing reads. A
//! partial index on `left_at` of the rows whose status is `left` serves the
//! same query and costs nothing for the active people.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AnnuairePeople {
    Table,
    Status,
    LeftAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_annuaire_people_left")
                    .table(AnnuairePeople::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_people_left_at")
                    .table(AnnuairePeople::Table)
                    .col(AnnuairePeople::LeftAt)
                    .and_where(Expr::col(AnnuairePeople::Status).eq("left"))
                    .to_owned(),
            )
            .await
    }
}
