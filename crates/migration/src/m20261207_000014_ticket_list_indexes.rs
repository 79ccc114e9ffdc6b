//! Helpdesk: indexes in the order of the ticket lists of every status.
//!
//! The lists sort by creation (newest first by default), then by number and
//! id (the tie-break). A technician's list is the tickets assigned to their
//! organisation: the index on `(assigned_org_id, status)` found them but not
//! in that order, so a list of every status read and sorted the whole scope
//! (thousands of tickets for an organisation serving many schools) to show
//! 50 rows. A school's list of every status had `(etablissement_id,
//! created_at)`, but SQLite 3.51 preferred the unique `(etablissement_id,
//! number)` and sorted the school's every ticket. With
//! `(assigned_org_id | etablissement_id, created_at, number, id)` the
//! database reads the tickets in the list's order and stops at the page. The
//! school's index replaces `(etablissement_id, created_at)`, whose queries
//! (the indicators' periods) it serves too.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Tickets {
    Table,
    Id,
    AssignedOrgId,
    EtablissementId,
    CreatedAt,
    Number,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, scope) in [
            ("ix_tickets_org_created_number_id", Tickets::AssignedOrgId),
            (
                "ix_tickets_etab_created_number_id",
                Tickets::EtablissementId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Tickets::Table)
                        .col(scope)
                        .col(Tickets::CreatedAt)
                        .col(Tickets::Number)
                        .col(Tickets::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("ix_tickets_etab_created")
                    .table(Tickets::Table)
                    .to_owned(),
            )
            .await
    }
}
