//! Réservations: a school's timetable (slots, zone, days off) and the
//! bookings of its rooms and assets.
//!
//! - `booking_calendars`: one row per school, its holiday zone (A, B, C).
//! - `booking_slots`: the timetable's slots (M1…S5), hours as minutes after
//!   midnight, school-local time; the code is unique in the school.
//! - `booking_days_off`: holidays (built in for the zone, edited, imported)
//!   and closed days, as inclusive date ranges.
//! - `booking_resources`: a room or an asset marked bookable, with its rules;
//!   `lock_version` is bumped first in every booking write so that writers
//!   of one resource are serialised (a row lock on PostgreSQL).
//! - `bookings`: one row per occurrence (a recurring booking is a series of
//!   occurrences sharing `series_id`), on one day, school-local minutes.

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
enum ParcRooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ParcAssets {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookingCalendars {
    Table,
    EtablissementId,
    Zone,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BookingSlots {
    Table,
    Id,
    EtablissementId,
    Code,
    Label,
    StartMin,
    EndMin,
}

#[derive(DeriveIden)]
enum BookingDaysOff {
    Table,
    Id,
    EtablissementId,
    Kind,
    Label,
    StartDate,
    EndDate,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BookingResources {
    Table,
    Id,
    EtablissementId,
    RoomId,
    AssetId,
    Active,
    Roles,
    ApprovalRole,
    MaxMinutes,
    HorizonDays,
    WeeklyQuota,
    GapMinutes,
    LockVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
    EtablissementId,
    ResourceId,
    SeriesId,
    Day,
    StartMin,
    EndMin,
    Status,
    BookedFor,
    BookedBy,
    StructureId,
    GroupLabel,
    Note,
    DecidedBy,
    DecidedAt,
    CancelledBy,
    CancelledAt,
    CreatedAt,
}

fn etab_fk<T: IntoIden + 'static>(table: T, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Etablissements::Table, Etablissements::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BookingCalendars::Table)
                    .col(
                        ColumnDef::new(BookingCalendars::EtablissementId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(BookingCalendars::Zone).string_len(1).null())
                    .col(
                        ColumnDef::new(BookingCalendars::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut etab_fk(
                        BookingCalendars::Table,
                        BookingCalendars::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookingSlots::Table)
                    .col(
                        ColumnDef::new(BookingSlots::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(BookingSlots::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(BookingSlots::Code).string_len(8).not_null())
                    .col(
                        ColumnDef::new(BookingSlots::Label)
                            .string_len(60)
                            .not_null(),
                    )
                    .col(ColumnDef::new(BookingSlots::StartMin).integer().not_null())
                    .col(ColumnDef::new(BookingSlots::EndMin).integer().not_null())
                    .foreign_key(&mut etab_fk(
                        BookingSlots::Table,
                        BookingSlots::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_booking_slots_etab_code")
                    .table(BookingSlots::Table)
                    .col(BookingSlots::EtablissementId)
                    .col(BookingSlots::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookingDaysOff::Table)
                    .col(
                        ColumnDef::new(BookingDaysOff::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(BookingDaysOff::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingDaysOff::Kind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingDaysOff::Label)
                            .string_len(120)
                            .not_null(),
                    )
                    .col(ColumnDef::new(BookingDaysOff::StartDate).date().not_null())
                    .col(ColumnDef::new(BookingDaysOff::EndDate).date().not_null())
                    .col(
                        ColumnDef::new(BookingDaysOff::Source)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingDaysOff::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut etab_fk(
                        BookingDaysOff::Table,
                        BookingDaysOff::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_booking_days_off_etab_start")
                    .table(BookingDaysOff::Table)
                    .col(BookingDaysOff::EtablissementId)
                    .col(BookingDaysOff::StartDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookingResources::Table)
                    .col(
                        ColumnDef::new(BookingResources::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(BookingResources::RoomId).uuid().null())
                    .col(ColumnDef::new(BookingResources::AssetId).uuid().null())
                    .col(
                        ColumnDef::new(BookingResources::Active)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::Roles)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::ApprovalRole)
                            .string_len(32)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::MaxMinutes)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::HorizonDays)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::WeeklyQuota)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::GapMinutes)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::LockVersion)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BookingResources::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut etab_fk(
                        BookingResources::Table,
                        BookingResources::EtablissementId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingResources::Table, BookingResources::RoomId)
                            .to(ParcRooms::Table, ParcRooms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookingResources::Table, BookingResources::AssetId)
                            .to(ParcAssets::Table, ParcAssets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ux_booking_resources_room", BookingResources::RoomId),
            ("ux_booking_resources_asset", BookingResources::AssetId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(BookingResources::Table)
                        .col(col)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Bookings::Table)
                    .col(ColumnDef::new(Bookings::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Bookings::EtablissementId).uuid().not_null())
                    .col(ColumnDef::new(Bookings::ResourceId).uuid().not_null())
                    .col(ColumnDef::new(Bookings::SeriesId).uuid().null())
                    .col(ColumnDef::new(Bookings::Day).date().not_null())
                    .col(ColumnDef::new(Bookings::StartMin).integer().not_null())
                    .col(ColumnDef::new(Bookings::EndMin).integer().not_null())
                    .col(ColumnDef::new(Bookings::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Bookings::BookedFor).uuid().not_null())
                    .col(ColumnDef::new(Bookings::BookedBy).uuid().not_null())
                    .col(ColumnDef::new(Bookings::StructureId).uuid().null())
                    .col(ColumnDef::new(Bookings::GroupLabel).string_len(120).null())
                    .col(ColumnDef::new(Bookings::Note).string_len(300).not_null())
                    .col(ColumnDef::new(Bookings::DecidedBy).uuid().null())
                    .col(
                        ColumnDef::new(Bookings::DecidedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Bookings::CancelledBy).uuid().null())
                    .col(
                        ColumnDef::new(Bookings::CancelledAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Bookings::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut etab_fk(Bookings::Table, Bookings::EtablissementId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::ResourceId)
                            .to(BookingResources::Table, BookingResources::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::BookedFor)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bookings::Table, Bookings::BookedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_bookings_resource_day",
                vec![Bookings::ResourceId, Bookings::Day, Bookings::StartMin],
            ),
            (
                "ix_bookings_for_day",
                vec![Bookings::BookedFor, Bookings::Day],
            ),
            (
                "ix_bookings_etab_day",
                vec![Bookings::EtablissementId, Bookings::Day],
            ),
            ("ix_bookings_series", vec![Bookings::SeriesId]),
        ] {
            let mut i = Index::create();
            i.name(name).table(Bookings::Table);
            for c in cols {
                i.col(c);
            }
            manager.create_index(i.to_owned()).await?;
        }
        Ok(())
    }
}
