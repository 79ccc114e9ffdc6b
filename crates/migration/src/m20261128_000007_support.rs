//! Support: organisations' kinds, contacts, contracts and calendars; the
//! schools' in-house targets; job leases.
//!
//! `organisations` (socle) gains nullable or defaulted columns, one ALTER per
//! column so that SQLite accepts them. `collectivite_id` carries no foreign
//! key: SQLite cannot add a constraint to an existing table; the services
//! check that the collectivité exists.
//!
//! In-house targets (tickets the referent handles itself, no organisation
//! assigned) live in `etab_support_targets`, one row per school and priority,
//! with the school's own working calendar in `etab_support_calendars`. We did
//! not create one "in-house" organisation per school: it would show in every
//! list of providers and blur `assigned_org_id` (null = in the school).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Kind,
    ContactName,
    ContactEmail,
    ContactPhone,
    Website,
    CollectiviteId,
    Notes,
    Calendar,
}

#[derive(DeriveIden)]
enum Etablissements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SupportTargets {
    Table,
    OrganisationId,
    Priority,
    ResponseMinutes,
    ResolutionMinutes,
}

#[derive(DeriveIden)]
enum EtabSupportTargets {
    Table,
    EtablissementId,
    Priority,
    ResponseMinutes,
    ResolutionMinutes,
}

#[derive(DeriveIden)]
enum EtabSupportCalendars {
    Table,
    EtablissementId,
    Calendar,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

async fn add_column(manager: &SchemaManager<'_>, col: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(Organisations::Table)
                .add_column(col)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            ColumnDef::new(Organisations::Kind)
                .string_len(32)
                .not_null()
                .default("private_provider")
                .to_owned(),
        )
        .await?;
        add_column(
            manager,
            ColumnDef::new(Organisations::ContactName)
                .string_len(200)
                .null()
                .to_owned(),
        )
        .await?;
        add_column(
            manager,
            ColumnDef::new(Organisations::ContactEmail)
                .string_len(254)
                .null()
                .to_owned(),
        )
        .await?;
        add_column(
            manager,
            ColumnDef::new(Organisations::ContactPhone)
                .string_len(40)
                .null()
                .to_owned(),
        )
        .await?;
        add_column(
            manager,
            ColumnDef::new(Organisations::Website)
                .string_len(300)
                .null()
                .to_owned(),
        )
        .await?;
        add_column(
            manager,
            ColumnDef::new(Organisations::CollectiviteId)
                .uuid()
                .null()
                .to_owned(),
        )
        .await?;
        add_column(
            manager,
            ColumnDef::new(Organisations::Notes)
                .text()
                .null()
                .to_owned(),
        )
        .await?;
        // JSON (see `refnum_services::support::calendar`); null = the default
        // calendar, Monday to Friday 8:00–12:00 and 13:30–17:30.
        add_column(
            manager,
            ColumnDef::new(Organisations::Calendar)
                .text()
                .null()
                .to_owned(),
        )
        .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_organisations_collectivite")
                    .table(Organisations::Table)
                    .col(Organisations::CollectiviteId)
                    .to_owned(),
            )
            .await?;

        // A contract's targets, in working minutes of the organisation's calendar.
        manager
            .create_table(
                Table::create()
                    .table(SupportTargets::Table)
                    .col(
                        ColumnDef::new(SupportTargets::OrganisationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SupportTargets::Priority)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SupportTargets::ResponseMinutes)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SupportTargets::ResolutionMinutes)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(SupportTargets::OrganisationId)
                            .col(SupportTargets::Priority),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SupportTargets::Table, SupportTargets::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EtabSupportTargets::Table)
                    .col(
                        ColumnDef::new(EtabSupportTargets::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EtabSupportTargets::Priority)
                            .string_len(4)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EtabSupportTargets::ResponseMinutes)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EtabSupportTargets::ResolutionMinutes)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(EtabSupportTargets::EtablissementId)
                            .col(EtabSupportTargets::Priority),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                EtabSupportTargets::Table,
                                EtabSupportTargets::EtablissementId,
                            )
                            .to(Etablissements::Table, Etablissements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EtabSupportCalendars::Table)
                    .col(
                        ColumnDef::new(EtabSupportCalendars::EtablissementId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EtabSupportCalendars::Calendar)
                            .text()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                EtabSupportCalendars::Table,
                                EtabSupportCalendars::EtablissementId,
                            )
                            .to(Etablissements::Table, Etablissements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // One row per background job: whoever holds an unexpired lease runs it.
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(
                        ColumnDef::new(JobLeases::Name)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(JobLeases::Holder).string_len(64).not_null())
                    .col(
                        ColumnDef::new(JobLeases::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
