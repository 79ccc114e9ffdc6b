//! Helpdesk indexes for the indicators, the reminders and the header's
//! unread count, and the ticket lists' order.
//!
//! The indicators of one school read its tickets by creation, resolution and
//! due time over a period; the reminder job reads the open tickets past
//! their response due time; every page counts the caller's unread
//! notifications. The lists sort a school's tickets of one status by
//! creation then id: with the id in the index, the first page is read in
//! order and the sort stops at the page (it replaces the index without it).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    EtablissementId,
    Status,
    CreatedAt,
    ResolvedAt,
    ResponseDueAt,
    ResolutionDueAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    AccountId,
    ReadAt,
}

const INDEXES: [(&str, Tickets, Tickets); 4] = [
    (
        "ix_tickets_etab_created",
        Tickets::EtablissementId,
        Tickets::CreatedAt,
    ),
    (
        "ix_tickets_etab_resolved",
        Tickets::EtablissementId,
        Tickets::ResolvedAt,
    ),
    (
        "ix_tickets_etab_resolution_due",
        Tickets::EtablissementId,
        Tickets::ResolutionDueAt,
    ),
    (
        "ix_tickets_status_response_due",
        Tickets::Status,
        Tickets::ResponseDueAt,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_tickets_etab_status_created_id")
                    .table(Tickets::Table)
                    .col(Tickets::EtablissementId)
                    .col(Tickets::Status)
                    .col(Tickets::CreatedAt)
                    .col(Tickets::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_tickets_etab_status_created")
                    .table(Tickets::Table)
                    .to_owned(),
            )
            .await?;
        for (name, a, b) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Tickets::Table)
                        .col(a)
                        .col(b)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_notifications_account_read")
                    .table(Notifications::Table)
                    .col(Notifications::AccountId)
                    .col(Notifications::ReadAt)
                    .to_owned(),
            )
            .await
    }
}
