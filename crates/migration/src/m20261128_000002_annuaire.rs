//! Annuaire: the school directory fed by STS-web, SIECLE, AAF and ONDE files.
//!
//! Every directory row carries its provenance (source, file, import time).
//! Multi-valued fields are JSON arrays in text columns (same on both backends).

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
enum AnnuaireImports {
    Table,
    Id,
    EtablissementId,
    Uai,
    Source,
    Status,
    Files,
    SchoolYear,
    ExportedOn,
    Summary,
    Warnings,
    CreatedBy,
    CreatedAt,
    AppliedBy,
    AppliedAt,
}

#[derive(DeriveIden)]
enum AnnuaireSourceIds {
    Table,
    Source,
    SourceId,
    EtablissementId,
}

#[derive(DeriveIden)]
enum AnnuaireStructures {
    Table,
    Id,
    EtablissementId,
    SchoolYear,
    Kind,
    Code,
    Label,
    Mefs,
    Divisions,
    ContentHash,
    Source,
    SourceFile,
    ImportedAt,
    ArchivedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AnnuaireNomenclatures {
    Table,
    Id,
    EtablissementId,
    Kind,
    Code,
    ShortLabel,
    Label,
    ContentHash,
    Source,
    SourceFile,
    ImportedAt,
}

#[derive(DeriveIden)]
enum AnnuairePeople {
    Table,
    Id,
    EtablissementId,
    Kind,
    Source,
    SourceKey,
    Ine,
    Civility,
    LastName,
    FirstName,
    BirthDate,
    Email,
    Functions,
    Disciplines,
    Missions,
    Structures,
    ClassCode,
    Groups,
    MefCode,
    Status,
    LeftAt,
    AccountId,
    SearchText,
    ContentHash,
    SourceFile,
    ImportedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AnnuaireGuardianships {
    Table,
    PupilId,
    GuardianId,
    Relation,
    Legal,
}

fn uuid_pk<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().primary_key().to_owned()
}

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn s<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn s_null<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
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
        // One row per import: its files, its preview summary, its fate.
        manager
            .create_table(
                Table::create()
                    .table(AnnuaireImports::Table)
                    .col(uuid_pk(AnnuaireImports::Id))
                    .col(
                        ColumnDef::new(AnnuaireImports::EtablissementId)
                            .uuid()
                            .null(),
                    )
                    .col(s(AnnuaireImports::Uai, 16))
                    .col(s(AnnuaireImports::Source, 16))
                    .col(s(AnnuaireImports::Status, 16))
                    .col(text(AnnuaireImports::Files))
                    .col(ColumnDef::new(AnnuaireImports::SchoolYear).integer().null())
                    .col(ColumnDef::new(AnnuaireImports::ExportedOn).date().null())
                    .col(text(AnnuaireImports::Summary))
                    .col(text(AnnuaireImports::Warnings))
                    .col(ColumnDef::new(AnnuaireImports::CreatedBy).uuid().null())
                    .col(ts(AnnuaireImports::CreatedAt))
                    .col(ColumnDef::new(AnnuaireImports::AppliedBy).uuid().null())
                    .col(ts_null(AnnuaireImports::AppliedAt))
                    .foreign_key(&mut etab_fk(
                        AnnuaireImports::Table,
                        AnnuaireImports::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_imports_etab_source")
                    .table(AnnuaireImports::Table)
                    .col(AnnuaireImports::EtablissementId)
                    .col(AnnuaireImports::Source)
                    .col(AnnuaireImports::Status)
                    .to_owned(),
            )
            .await?;

        // A source's own id of a school (AAF ENTStructureJointure → school).
        manager
            .create_table(
                Table::create()
                    .table(AnnuaireSourceIds::Table)
                    .col(s(AnnuaireSourceIds::Source, 16))
                    .col(s(AnnuaireSourceIds::SourceId, 64))
                    .col(
                        ColumnDef::new(AnnuaireSourceIds::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AnnuaireSourceIds::Source)
                            .col(AnnuaireSourceIds::SourceId),
                    )
                    .foreign_key(&mut etab_fk(
                        AnnuaireSourceIds::Table,
                        AnnuaireSourceIds::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnnuaireStructures::Table)
                    .col(uuid_pk(AnnuaireStructures::Id))
                    .col(
                        ColumnDef::new(AnnuaireStructures::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnnuaireStructures::SchoolYear)
                            .integer()
                            .not_null(),
                    )
                    .col(s(AnnuaireStructures::Kind, 16))
                    .col(s(AnnuaireStructures::Code, 64))
                    .col(s_null(AnnuaireStructures::Label, 200))
                    .col(text(AnnuaireStructures::Mefs))
                    .col(text(AnnuaireStructures::Divisions))
                    .col(s(AnnuaireStructures::ContentHash, 64))
                    .col(s(AnnuaireStructures::Source, 16))
                    .col(s(AnnuaireStructures::SourceFile, 255))
                    .col(ts(AnnuaireStructures::ImportedAt))
                    .col(ts_null(AnnuaireStructures::ArchivedAt))
                    .col(ts(AnnuaireStructures::CreatedAt))
                    .foreign_key(&mut etab_fk(
                        AnnuaireStructures::Table,
                        AnnuaireStructures::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_annuaire_structures_key")
                    .table(AnnuaireStructures::Table)
                    .col(AnnuaireStructures::EtablissementId)
                    .col(AnnuaireStructures::SchoolYear)
                    .col(AnnuaireStructures::Kind)
                    .col(AnnuaireStructures::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnnuaireNomenclatures::Table)
                    .col(uuid_pk(AnnuaireNomenclatures::Id))
                    .col(
                        ColumnDef::new(AnnuaireNomenclatures::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(s(AnnuaireNomenclatures::Kind, 16))
                    .col(s(AnnuaireNomenclatures::Code, 64))
                    .col(s_null(AnnuaireNomenclatures::ShortLabel, 120))
                    .col(s(AnnuaireNomenclatures::Label, 255))
                    .col(s(AnnuaireNomenclatures::ContentHash, 64))
                    .col(s(AnnuaireNomenclatures::Source, 16))
                    .col(s(AnnuaireNomenclatures::SourceFile, 255))
                    .col(ts(AnnuaireNomenclatures::ImportedAt))
                    .foreign_key(&mut etab_fk(
                        AnnuaireNomenclatures::Table,
                        AnnuaireNomenclatures::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_annuaire_nomenclatures_key")
                    .table(AnnuaireNomenclatures::Table)
                    .col(AnnuaireNomenclatures::EtablissementId)
                    .col(AnnuaireNomenclatures::Kind)
                    .col(AnnuaireNomenclatures::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnnuairePeople::Table)
                    .col(uuid_pk(AnnuairePeople::Id))
                    .col(
                        ColumnDef::new(AnnuairePeople::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(s(AnnuairePeople::Kind, 16))
                    .col(s(AnnuairePeople::Source, 16))
                    .col(s(AnnuairePeople::SourceKey, 200))
                    .col(s_null(AnnuairePeople::Ine, 16))
                    .col(s_null(AnnuairePeople::Civility, 16))
                    .col(s(AnnuairePeople::LastName, 200))
                    .col(s(AnnuairePeople::FirstName, 200))
                    .col(ColumnDef::new(AnnuairePeople::BirthDate).date().null())
                    .col(s_null(AnnuairePeople::Email, 254))
                    .col(text(AnnuairePeople::Functions))
                    .col(text(AnnuairePeople::Disciplines))
                    .col(text(AnnuairePeople::Missions))
                    .col(text(AnnuairePeople::Structures))
                    .col(s_null(AnnuairePeople::ClassCode, 64))
                    .col(text(AnnuairePeople::Groups))
                    .col(s_null(AnnuairePeople::MefCode, 32))
                    .col(s(AnnuairePeople::Status, 16))
                    .col(ts_null(AnnuairePeople::LeftAt))
                    .col(ColumnDef::new(AnnuairePeople::AccountId).uuid().null())
                    .col(s(AnnuairePeople::SearchText, 600))
                    .col(s(AnnuairePeople::ContentHash, 64))
                    .col(s(AnnuairePeople::SourceFile, 255))
                    .col(ts(AnnuairePeople::ImportedAt))
                    .col(ts(AnnuairePeople::CreatedAt))
                    .col(ts(AnnuairePeople::UpdatedAt))
                    .foreign_key(&mut etab_fk(
                        AnnuairePeople::Table,
                        AnnuairePeople::EtablissementId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnnuairePeople::Table, AnnuairePeople::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_annuaire_people_key")
                    .table(AnnuairePeople::Table)
                    .col(AnnuairePeople::EtablissementId)
                    .col(AnnuairePeople::Kind)
                    .col(AnnuairePeople::Source)
                    .col(AnnuairePeople::SourceKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_people_list")
                    .table(AnnuairePeople::Table)
                    .col(AnnuairePeople::EtablissementId)
                    .col(AnnuairePeople::Kind)
                    .col(AnnuairePeople::Status)
                    .col(AnnuairePeople::LastName)
                    .to_owned(),
            )
            .await?;
        // The import reads a school's rows of one source page by page, by id.
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_people_etab_source_id")
                    .table(AnnuairePeople::Table)
                    .col(AnnuairePeople::EtablissementId)
                    .col(AnnuairePeople::Source)
                    .col(AnnuairePeople::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_people_source_key")
                    .table(AnnuairePeople::Table)
                    .col(AnnuairePeople::SourceKey)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_people_left")
                    .table(AnnuairePeople::Table)
                    .col(AnnuairePeople::Status)
                    .col(AnnuairePeople::LeftAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnnuaireGuardianships::Table)
                    .col(
                        ColumnDef::new(AnnuaireGuardianships::PupilId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AnnuaireGuardianships::GuardianId)
                            .uuid()
                            .not_null(),
                    )
                    .col(s_null(AnnuaireGuardianships::Relation, 64))
                    .col(
                        ColumnDef::new(AnnuaireGuardianships::Legal)
                            .boolean()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AnnuaireGuardianships::PupilId)
                            .col(AnnuaireGuardianships::GuardianId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnnuaireGuardianships::Table, AnnuaireGuardianships::PupilId)
                            .to(AnnuairePeople::Table, AnnuairePeople::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AnnuaireGuardianships::Table,
                                AnnuaireGuardianships::GuardianId,
                            )
                            .to(AnnuairePeople::Table, AnnuairePeople::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_annuaire_guardianships_guardian")
                    .table(AnnuaireGuardianships::Table)
                    .col(AnnuaireGuardianships::GuardianId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
