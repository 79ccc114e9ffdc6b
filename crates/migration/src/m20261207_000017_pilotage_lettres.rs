//! Pilotage: the catalogue of missions and the mission letters.
//!
//! - `pilotage_missions`: the catalogue a letter picks its missions from;
//!   the instance's entries (`academie_id` NULL) and each académie's own.
//!   `code` names a seeded entry, so that seeding twice adds nothing.
//! - `pilotage_lettres`: one row per version of a school's letter for a
//!   school year (unique per school, year and version). A signature fills
//!   `signed_by`, `signed_at` and `signed_hash` (the SHA-256 of the content)
//!   by a conditional update from `proposed`, so two signatures of the same
//!   version cannot both succeed. An amendment is a new version whose
//!   `supersedes_id` names the signed one.
//! - `pilotage_lettre_referents`: the referents named by a version, their
//!   pay (a share of a legal IMP rate, or hours) and their acknowledgement;
//!   the name is kept should the account go.
//! - `pilotage_lettre_missions` and `pilotage_lettre_indicateurs`: the
//!   letter's lines, in order. Values are in thousandths of their unit.
//! - `pilotage_lettre_commentaires`: the discussion while drafting;
//!   `pilotage_lettre_revues`: the year-end comment per axis.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Academies {
    Table,
    Id,
}

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
enum PilotageMissions {
    Table,
    Id,
    AcademieId,
    Code,
    Axis,
    Label,
    Position,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PilotageLettres {
    Table,
    Id,
    EtablissementId,
    SchoolYear,
    Version,
    Status,
    SupersedesId,
    Text,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ProposedAt,
    SignedBy,
    SignedAt,
    SignedHash,
    ReviewedBy,
    ReviewedAt,
}

#[derive(DeriveIden)]
enum PilotageLettreReferents {
    Table,
    Id,
    LettreId,
    AccountId,
    Name,
    Position,
    RemunerationKind,
    RateCents,
    ShareNumerator,
    ShareDenominator,
    Hours,
    AcknowledgedAt,
    AcknowledgedHash,
}

#[derive(DeriveIden)]
enum PilotageLettreMissions {
    Table,
    Id,
    LettreId,
    CatalogueId,
    Position,
    Axis,
    Label,
    Detail,
}

#[derive(DeriveIden)]
enum PilotageLettreIndicateurs {
    Table,
    Id,
    LettreId,
    Position,
    Label,
    SourceKind,
    Metric,
    Unit,
    Direction,
    Baseline,
    Target,
    FinalValue,
    FinalComment,
}

#[derive(DeriveIden)]
enum PilotageLettreCommentaires {
    Table,
    Id,
    LettreId,
    AuthorId,
    AuthorName,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PilotageLettreRevues {
    Table,
    Id,
    LettreId,
    Axis,
    Comment,
    UpdatedBy,
    UpdatedAt,
}

fn uuid_pk<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().primary_key().to_owned()
}

fn uuid<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().not_null().to_owned()
}

fn uuid_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().null().to_owned()
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

fn int<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).integer().not_null().to_owned()
}

fn int_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).integer().null().to_owned()
}

fn fk(
    from: (impl IntoIden + 'static, impl IntoIden),
    to: (impl IntoIden + 'static, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(PilotageMissions::Table)
                    .col(uuid_pk(PilotageMissions::Id))
                    .col(uuid_null(PilotageMissions::AcademieId))
                    .col(s_null(PilotageMissions::Code, 40))
                    .col(s(PilotageMissions::Axis, 24))
                    .col(s(PilotageMissions::Label, 300))
                    .col(int(PilotageMissions::Position))
                    .col(
                        ColumnDef::new(PilotageMissions::Active)
                            .boolean()
                            .not_null(),
                    )
                    .col(ts(PilotageMissions::CreatedAt))
                    .col(ts(PilotageMissions::UpdatedAt))
                    .foreign_key(&mut fk(
                        (PilotageMissions::Table, PilotageMissions::AcademieId),
                        (Academies::Table, Academies::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_pilotage_missions_academie_axis",
            PilotageMissions::Table,
            vec![
                PilotageMissions::AcademieId.into_iden(),
                PilotageMissions::Axis.into_iden(),
                PilotageMissions::Position.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PilotageLettres::Table)
                    .col(uuid_pk(PilotageLettres::Id))
                    .col(uuid(PilotageLettres::EtablissementId))
                    .col(int(PilotageLettres::SchoolYear))
                    .col(int(PilotageLettres::Version))
                    .col(s(PilotageLettres::Status, 16))
                    .col(uuid_null(PilotageLettres::SupersedesId))
                    .col(text(PilotageLettres::Text))
                    .col(uuid_null(PilotageLettres::CreatedBy))
                    .col(ts(PilotageLettres::CreatedAt))
                    .col(ts(PilotageLettres::UpdatedAt))
                    .col(ts_null(PilotageLettres::ProposedAt))
                    .col(uuid_null(PilotageLettres::SignedBy))
                    .col(ts_null(PilotageLettres::SignedAt))
                    .col(s_null(PilotageLettres::SignedHash, 64))
                    .col(uuid_null(PilotageLettres::ReviewedBy))
                    .col(ts_null(PilotageLettres::ReviewedAt))
                    .foreign_key(&mut fk(
                        (PilotageLettres::Table, PilotageLettres::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PilotageLettres::Table, PilotageLettres::SupersedesId),
                        (PilotageLettres::Table, PilotageLettres::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (PilotageLettres::Table, PilotageLettres::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (PilotageLettres::Table, PilotageLettres::SignedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (PilotageLettres::Table, PilotageLettres::ReviewedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // Two people starting a version at once: one gets the number, the
        // other a field error.
        index(
            manager,
            "ux_pilotage_lettres_version",
            PilotageLettres::Table,
            vec![
                PilotageLettres::EtablissementId.into_iden(),
                PilotageLettres::SchoolYear.into_iden(),
                PilotageLettres::Version.into_iden(),
            ],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PilotageLettreReferents::Table)
                    .col(uuid_pk(PilotageLettreReferents::Id))
                    .col(uuid(PilotageLettreReferents::LettreId))
                    .col(uuid_null(PilotageLettreReferents::AccountId))
                    .col(s(PilotageLettreReferents::Name, 200))
                    .col(int(PilotageLettreReferents::Position))
                    .col(s(PilotageLettreReferents::RemunerationKind, 8))
                    .col(int_null(PilotageLettreReferents::RateCents))
                    .col(int_null(PilotageLettreReferents::ShareNumerator))
                    .col(int_null(PilotageLettreReferents::ShareDenominator))
                    .col(int_null(PilotageLettreReferents::Hours))
                    .col(ts_null(PilotageLettreReferents::AcknowledgedAt))
                    .col(s_null(PilotageLettreReferents::AcknowledgedHash, 64))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreReferents::Table,
                            PilotageLettreReferents::LettreId,
                        ),
                        (PilotageLettres::Table, PilotageLettres::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreReferents::Table,
                            PilotageLettreReferents::AccountId,
                        ),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_pilotage_lettre_referents_account",
            PilotageLettreReferents::Table,
            vec![
                PilotageLettreReferents::LettreId.into_iden(),
                PilotageLettreReferents::AccountId.into_iden(),
            ],
            true,
        )
        .await?;
        // "The letters that name me": a referent's own letters.
        index(
            manager,
            "ix_pilotage_lettre_referents_of_account",
            PilotageLettreReferents::Table,
            vec![PilotageLettreReferents::AccountId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PilotageLettreMissions::Table)
                    .col(uuid_pk(PilotageLettreMissions::Id))
                    .col(uuid(PilotageLettreMissions::LettreId))
                    .col(uuid_null(PilotageLettreMissions::CatalogueId))
                    .col(int(PilotageLettreMissions::Position))
                    .col(s(PilotageLettreMissions::Axis, 24))
                    .col(s(PilotageLettreMissions::Label, 300))
                    .col(text(PilotageLettreMissions::Detail))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreMissions::Table,
                            PilotageLettreMissions::LettreId,
                        ),
                        (PilotageLettres::Table, PilotageLettres::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreMissions::Table,
                            PilotageLettreMissions::CatalogueId,
                        ),
                        (PilotageMissions::Table, PilotageMissions::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_pilotage_lettre_missions_lettre",
            PilotageLettreMissions::Table,
            vec![
                PilotageLettreMissions::LettreId.into_iden(),
                PilotageLettreMissions::Position.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PilotageLettreIndicateurs::Table)
                    .col(uuid_pk(PilotageLettreIndicateurs::Id))
                    .col(uuid(PilotageLettreIndicateurs::LettreId))
                    .col(int(PilotageLettreIndicateurs::Position))
                    .col(s(PilotageLettreIndicateurs::Label, 300))
                    .col(s(PilotageLettreIndicateurs::SourceKind, 8))
                    .col(s_null(PilotageLettreIndicateurs::Metric, 48))
                    .col(s(PilotageLettreIndicateurs::Unit, 24))
                    .col(s(PilotageLettreIndicateurs::Direction, 8))
                    .col(
                        ColumnDef::new(PilotageLettreIndicateurs::Baseline)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(PilotageLettreIndicateurs::Target)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PilotageLettreIndicateurs::FinalValue)
                            .big_integer()
                            .null(),
                    )
                    .col(text(PilotageLettreIndicateurs::FinalComment))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreIndicateurs::Table,
                            PilotageLettreIndicateurs::LettreId,
                        ),
                        (PilotageLettres::Table, PilotageLettres::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_pilotage_lettre_indicateurs_lettre",
            PilotageLettreIndicateurs::Table,
            vec![
                PilotageLettreIndicateurs::LettreId.into_iden(),
                PilotageLettreIndicateurs::Position.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PilotageLettreCommentaires::Table)
                    .col(uuid_pk(PilotageLettreCommentaires::Id))
                    .col(uuid(PilotageLettreCommentaires::LettreId))
                    .col(uuid_null(PilotageLettreCommentaires::AuthorId))
                    .col(s(PilotageLettreCommentaires::AuthorName, 200))
                    .col(text(PilotageLettreCommentaires::Body))
                    .col(ts(PilotageLettreCommentaires::CreatedAt))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreCommentaires::Table,
                            PilotageLettreCommentaires::LettreId,
                        ),
                        (PilotageLettres::Table, PilotageLettres::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (
                            PilotageLettreCommentaires::Table,
                            PilotageLettreCommentaires::AuthorId,
                        ),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_pilotage_lettre_commentaires_lettre",
            PilotageLettreCommentaires::Table,
            vec![
                PilotageLettreCommentaires::LettreId.into_iden(),
                PilotageLettreCommentaires::CreatedAt.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PilotageLettreRevues::Table)
                    .col(uuid_pk(PilotageLettreRevues::Id))
                    .col(uuid(PilotageLettreRevues::LettreId))
                    .col(s(PilotageLettreRevues::Axis, 24))
                    .col(text(PilotageLettreRevues::Comment))
                    .col(uuid_null(PilotageLettreRevues::UpdatedBy))
                    .col(ts(PilotageLettreRevues::UpdatedAt))
                    .foreign_key(&mut fk(
                        (PilotageLettreRevues::Table, PilotageLettreRevues::LettreId),
                        (PilotageLettres::Table, PilotageLettres::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (PilotageLettreRevues::Table, PilotageLettreRevues::UpdatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_pilotage_lettre_revues_axis",
            PilotageLettreRevues::Table,
            vec![
                PilotageLettreRevues::LettreId.into_iden(),
                PilotageLettreRevues::Axis.into_iden(),
            ],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PilotageLettreRevues::Table.into_iden(),
            PilotageLettreCommentaires::Table.into_iden(),
            PilotageLettreIndicateurs::Table.into_iden(),
            PilotageLettreMissions::Table.into_iden(),
            PilotageLettreReferents::Table.into_iden(),
            PilotageLettres::Table.into_iden(),
            PilotageMissions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
