//! Helpdesk: the index of a support organisation's ticket list.
//!
//! A technician's list is the tickets assigned to their organisation,
//! newest first, then by number and id (the list's tie-break). The index on
//! `(assigned_org_id, status)` found the organisation's tickets but not in
//! that order, so a list of every status read and sorted the whole scope
//! (tens of thousands of tickets for an organisation serving many schools)
//! to show 50 rows. With `(assigned_org_id, created_at, number, id)` the
//! database reads the organisation's tickets in the list's order and stops
//! at the page; a status filter is checked on the rows read.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    AssignedOrgId,
    CreatedAt,
    Number,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_tickets_org_created_number_id")
                    .table(Tickets::Table)
                    .col(Tickets::AssignedOrgId)
                    .col(Tickets::CreatedAt)
                    .col(Tickets::Number)
                    .col(Tickets::Id)
                    .to_owned(),
            )
            .await
    }
}
