//! Pilotage: the digital part of the school project.
//!
//! - `pilotage_projets`: a school's plan over `first_year` to `last_year`
//!   (school years named by the year they start in, one to five of them),
//!   with its title and the day the board adopted it (`adopted_on`).
//! - `pilotage_projet_annees`: one row per school year a plan covers,
//!   unique per school and year, so that two plans of a school never
//!   overlap (the insert of an overlapping plan fails, on either database,
//!   even when two are created at once).
//! - `pilotage_projet_axes`, `…_objectifs`, `…_actions`, `…_indicateurs`:
//!   the plan's levels. Each row carries its school and its plan, so that
//!   every read is scoped by school and a whole plan is read level by
//!   level. An action may name the comité's action that feeds it
//!   (`comite_action_id`).
//! - `pilotage_projet_cibles`: an indicator's target for a school year of
//!   the plan, and the value recorded for that year when it is typed by
//!   hand (unique per indicator and year). Values in thousandths.
//!
//! `pilotage_comite_actions.objective_id` names an objective of this
//! plan. SQLite adds no foreign key to an existing table, so that link is
//! kept by the services (an objective of the same school, checked in the
//! write's transaction) and indexed here for the objective's list.

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
enum PilotageComiteActions {
    Table,
    Id,
    ObjectiveId,
}

#[derive(DeriveIden)]
enum PilotageProjets {
    Table,
    Id,
    EtablissementId,
    Title,
    FirstYear,
    LastYear,
    AdoptedOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PilotageProjetAnnees {
    Table,
    Id,
    EtablissementId,
    ProjetId,
    SchoolYear,
}

#[derive(DeriveIden, Clone, Copy)]
enum PilotageProjetAxes {
    Table,
    Id,
    ProjetId,
    Title,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PilotageProjetObjectifs {
    Table,
    Id,
    ProjetId,
    AxeId,
    Title,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PilotageProjetActions {
    Table,
    Id,
    ProjetId,
    ObjectifId,
    Title,
    OwnerName,
    StartOn,
    EndOn,
    Status,
    Progress,
    ComiteActionId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PilotageProjetIndicateurs {
    Table,
    Id,
    ProjetId,
    ObjectifId,
    Label,
    SourceKind,
    Metric,
    Unit,
    Direction,
    Baseline,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PilotageProjetCibles {
    Table,
    Id,
    IndicateurId,
    SchoolYear,
    Target,
    Value,
    RecordedAt,
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

fn s<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn int<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).integer().not_null().to_owned()
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

/// The school and plan columns every level carries, with their keys.
fn scoped(t: &mut TableCreateStatement, table: impl IntoIden + Copy + 'static) {
    t.col(uuid(Alias::new("etablissement_id")))
        .col(uuid(Alias::new("projet_id")))
        .foreign_key(&mut fk(
            (table, Alias::new("etablissement_id")),
            (Etablissements::Table, Etablissements::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            (table, Alias::new("projet_id")),
            (PilotageProjets::Table, PilotageProjets::Id),
            ForeignKeyAction::Cascade,
        ));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        use PilotageProjetActions as A;
        use PilotageProjetAnnees as Y;
        use PilotageProjetAxes as X;
        use PilotageProjetCibles as C;
        use PilotageProjetIndicateurs as I;
        use PilotageProjetObjectifs as O;
        use PilotageProjets as P;

        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(uuid_pk(P::Id))
                    .col(uuid(P::EtablissementId))
                    .col(s(P::Title, 200))
                    .col(int(P::FirstYear))
                    .col(int(P::LastYear))
                    .col(ColumnDef::new(P::AdoptedOn).date().null())
                    .col(uuid_null(P::CreatedBy))
                    .col(ts(P::CreatedAt))
                    .col(ts(P::UpdatedAt))
                    .foreign_key(&mut fk(
                        (P::Table, P::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (P::Table, P::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_pilotage_projets_school",
            P::Table,
            vec![P::EtablissementId.into_iden(), P::FirstYear.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Y::Table)
                    .col(uuid_pk(Y::Id))
                    .col(uuid(Y::EtablissementId))
                    .col(uuid(Y::ProjetId))
                    .col(int(Y::SchoolYear))
                    .foreign_key(&mut fk(
                        (Y::Table, Y::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk((Y::Table, Y::ProjetId), (P::Table, P::Id), Cascade))
                    .to_owned(),
            )
            .await?;
        // A school year belongs to one plan of a school at most.
        index(
            manager,
            "ux_pilotage_projet_annees_year",
            Y::Table,
            vec![Y::EtablissementId.into_iden(), Y::SchoolYear.into_iden()],
            true,
        )
        .await?;

        let mut t = Table::create();
        t.table(X::Table)
            .col(uuid_pk(X::Id))
            .col(s(X::Title, 200))
            .col(int(X::Position))
            .col(ts(X::CreatedAt))
            .col(ts(X::UpdatedAt));
        scoped(&mut t, X::Table);
        manager.create_table(t.to_owned()).await?;
        index(
            manager,
            "ix_pilotage_projet_axes_plan",
            X::Table,
            vec![X::ProjetId.into_iden(), X::Position.into_iden()],
            false,
        )
        .await?;

        let mut t = Table::create();
        t.table(O::Table)
            .col(uuid_pk(O::Id))
            .col(uuid(O::AxeId))
            .col(s(O::Title, 200))
            .col(ColumnDef::new(O::Description).text().not_null())
            .col(ts(O::CreatedAt))
            .col(ts(O::UpdatedAt))
            .foreign_key(&mut fk((O::Table, O::AxeId), (X::Table, X::Id), Cascade));
        scoped(&mut t, O::Table);
        manager.create_table(t.to_owned()).await?;
        index(
            manager,
            "ix_pilotage_projet_objectifs_plan",
            O::Table,
            vec![O::ProjetId.into_iden(), O::AxeId.into_iden()],
            false,
        )
        .await?;

        let mut t = Table::create();
        t.table(A::Table)
            .col(uuid_pk(A::Id))
            .col(uuid(A::ObjectifId))
            .col(s(A::Title, 200))
            .col(s(A::OwnerName, 200))
            .col(ColumnDef::new(A::StartOn).date().not_null())
            .col(ColumnDef::new(A::EndOn).date().not_null())
            .col(s(A::Status, 16))
            .col(int(A::Progress))
            .col(uuid_null(A::ComiteActionId))
            .col(ts(A::CreatedAt))
            .col(ts(A::UpdatedAt))
            .foreign_key(&mut fk(
                (A::Table, A::ObjectifId),
                (O::Table, O::Id),
                Cascade,
            ))
            .foreign_key(&mut fk(
                (A::Table, A::ComiteActionId),
                (PilotageComiteActions::Table, PilotageComiteActions::Id),
                SetNull,
            ));
        scoped(&mut t, A::Table);
        manager.create_table(t.to_owned()).await?;
        index(
            manager,
            "ix_pilotage_projet_actions_plan",
            A::Table,
            vec![A::ProjetId.into_iden(), A::ObjectifId.into_iden()],
            false,
        )
        .await?;

        let mut t = Table::create();
        t.table(I::Table)
            .col(uuid_pk(I::Id))
            .col(uuid(I::ObjectifId))
            .col(s(I::Label, 200))
            .col(s(I::SourceKind, 16))
            .col(ColumnDef::new(I::Metric).string_len(48).null())
            .col(s(I::Unit, 24))
            .col(s(I::Direction, 16))
            .col(ColumnDef::new(I::Baseline).big_integer().null())
            .col(ts(I::CreatedAt))
            .col(ts(I::UpdatedAt))
            .foreign_key(&mut fk(
                (I::Table, I::ObjectifId),
                (O::Table, O::Id),
                Cascade,
            ));
        scoped(&mut t, I::Table);
        manager.create_table(t.to_owned()).await?;
        index(
            manager,
            "ix_pilotage_projet_indicateurs_plan",
            I::Table,
            vec![I::ProjetId.into_iden(), I::ObjectifId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(uuid_pk(C::Id))
                    .col(uuid(C::IndicateurId))
                    .col(int(C::SchoolYear))
                    .col(ColumnDef::new(C::Target).big_integer().null())
                    .col(ColumnDef::new(C::Value).big_integer().null())
                    .col(
                        ColumnDef::new(C::RecordedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk(
                        (C::Table, C::IndicateurId),
                        (I::Table, I::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_pilotage_projet_cibles_year",
            C::Table,
            vec![C::IndicateurId.into_iden(), C::SchoolYear.into_iden()],
            true,
        )
        .await?;

        // The comité's actions linked to an objective.
        index(
            manager,
            "ix_pilotage_comite_actions_objective",
            PilotageComiteActions::Table,
            vec![PilotageComiteActions::ObjectiveId.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_pilotage_comite_actions_objective")
                    .table(PilotageComiteActions::Table)
                    .to_owned(),
            )
            .await?;
        for t in [
            PilotageProjetCibles::Table.into_iden(),
            PilotageProjetIndicateurs::Table.into_iden(),
            PilotageProjetActions::Table.into_iden(),
            PilotageProjetObjectifs::Table.into_iden(),
            PilotageProjetAxes::Table.into_iden(),
            PilotageProjetAnnees::Table.into_iden(),
            PilotageProjets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
