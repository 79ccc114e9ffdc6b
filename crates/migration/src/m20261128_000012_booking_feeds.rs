//! Réservations: iCalendar feeds of a resource's or a person's bookings.
//!
//! - `booking_feeds`: one secret URL each, kept as the SHA-256 of its token
//!   (`token_hash`, unique); `resource_id` set for a resource's feed, null
//!   for the feed of its creator's own bookings; `revoked_at` set when
//!   revoked (a regenerated feed is a revoked one and a new one).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Etablissements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookingResources {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookingFeeds {
    Table,
    Id,
    EtablissementId,
    ResourceId,
    CreatedBy,
    TokenHash,
    CreatedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BookingFeeds::Table)
                    .col(
                        ColumnDef::new(BookingFeeds::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(BookingFeeds::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(BookingFeeds::ResourceId).uuid().null())
                    .col(ColumnDef::new(BookingFeeds::CreatedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(BookingFeeds::TokenHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingFeeds::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingFeeds::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingFeeds::Table, BookingFeeds::EtablissementId)
                            .to(Etablissements::Table, Etablissements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingFeeds::Table, BookingFeeds::ResourceId)
                            .to(BookingResources::Table, BookingResources::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingFeeds::Table, BookingFeeds::CreatedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_booking_feeds_token_hash")
                    .table(BookingFeeds::Table)
                    .col(BookingFeeds::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_booking_feeds_creator")
                    .table(BookingFeeds::Table)
                    .col(BookingFeeds::CreatedBy)
                    .col(BookingFeeds::EtablissementId)
                    .to_owned(),
            )
            .await
    }
}
