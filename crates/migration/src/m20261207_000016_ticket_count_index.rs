//! Helpdesk: an index for the home's counts of a school's open tickets.
//!
//! The home counts a school's open tickets past their resolution due time,
//! and those of priority P1 and P2. With `(etablissement_id,
//! resolution_due_at)` the overdue count read every ticket of the school
//! due in the past, closed ones included (thousands in a school with years
//! of tickets), and looked each up in the table for its status. With
//! `(etablissement_id, status, resolution_due_at, priority)` both counts
//! read only the open tickets' index entries and never the table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Tickets {
    Table,
    EtablissementId,
    Status,
    ResolutionDueAt,
    Priority,
}

const NAME: &str = "ix_tickets_etab_status_due_priority";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Tickets::Table)
                    .col(Tickets::EtablissementId)
                    .col(Tickets::Status)
                    .col(Tickets::ResolutionDueAt)
                    .col(Tickets::Priority)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Tickets::Table).to_owned())
            .await
    }
}
