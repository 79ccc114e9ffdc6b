//! Pilotage: the comité numérique.
//!
//! - `pilotage_comite_membres`: a school's members. A person of the school
//!   (`kind` `staff`: `account_id` and the `role` they sit by) or a named
//!   outside member (`kind` `outside`: `quality`). `name` is kept should
//!   the account go. A member who leaves gets `removed_at`, so that past
//!   attendance still names them; adding the same person again clears it
//!   (unique per school and account; outside members have no account, and
//!   NULLs never collide on either database).
//! - `pilotage_comite_reunions`: meetings, filed under a school year and
//!   dated within it; `start_minute` (minutes after midnight) is optional;
//!   `minutes_public` says whether every reader sees the minutes or only
//!   those who run the comité.
//! - `pilotage_comite_presences`: one row per member and meeting, present
//!   or not (unique per meeting and member).
//! - `pilotage_comite_decisions`: a meeting's decisions, in order.
//! - `pilotage_comite_actions`: what the comité decided to do, from a
//!   meeting, one of its decisions, or standalone; filed under a school
//!   year. The owner is an account of the school or a named person
//!   (`owner_name` is always written). `objective_id` will name an
//!   objective of the school project's digital part: that table does not
//!   exist yet, so there is no foreign key; the migration that creates it
//!   adds the link. `reminded_at` is set once per overdue action by the
//!   reminder that claims it.

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
enum PilotageComiteMembres {
    Table,
    Id,
    EtablissementId,
    Kind,
    AccountId,
    Role,
    Name,
    Quality,
    CreatedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum PilotageComiteReunions {
    Table,
    Id,
    EtablissementId,
    SchoolYear,
    Date,
    StartMinute,
    Place,
    Agenda,
    Minutes,
    MinutesPublic,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PilotageComitePresences {
    Table,
    Id,
    ReunionId,
    MembreId,
    Present,
}

#[derive(DeriveIden)]
enum PilotageComiteDecisions {
    Table,
    Id,
    ReunionId,
    Text,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PilotageComiteActions {
    Table,
    Id,
    EtablissementId,
    SchoolYear,
    ReunionId,
    DecisionId,
    Title,
    Detail,
    OwnerAccountId,
    OwnerName,
    DueOn,
    Status,
    ObjectiveId,
    RemindedAt,
    CreatedBy,
    CreatedAt,
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

fn boolean<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).boolean().not_null().to_owned()
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
        use PilotageComiteActions as A;
        use PilotageComiteDecisions as D;
        use PilotageComiteMembres as M;
        use PilotageComitePresences as P;
        use PilotageComiteReunions as R;

        manager
            .create_table(
                Table::create()
                    .table(M::Table)
                    .col(uuid_pk(M::Id))
                    .col(uuid(M::EtablissementId))
                    .col(s(M::Kind, 16))
                    .col(uuid_null(M::AccountId))
                    .col(s_null(M::Role, 24))
                    .col(s(M::Name, 200))
                    .col(s_null(M::Quality, 24))
                    .col(ts(M::CreatedAt))
                    .col(ts_null(M::RemovedAt))
                    .foreign_key(&mut fk(
                        (M::Table, M::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (M::Table, M::AccountId),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // One row per person of the school: adding them twice at once
        // gives one member and a field error.
        index(
            manager,
            "ux_pilotage_comite_membres_account",
            M::Table,
            vec![M::EtablissementId.into_iden(), M::AccountId.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(uuid_pk(R::Id))
                    .col(uuid(R::EtablissementId))
                    .col(int(R::SchoolYear))
                    .col(ColumnDef::new(R::Date).date().not_null())
                    .col(ColumnDef::new(R::StartMinute).integer().null())
                    .col(s(R::Place, 200))
                    .col(text(R::Agenda))
                    .col(text(R::Minutes))
                    .col(boolean(R::MinutesPublic))
                    .col(uuid_null(R::CreatedBy))
                    .col(ts(R::CreatedAt))
                    .col(ts(R::UpdatedAt))
                    .foreign_key(&mut fk(
                        (R::Table, R::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (R::Table, R::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // The year's meetings of a school, by date.
        index(
            manager,
            "ix_pilotage_comite_reunions_year",
            R::Table,
            vec![
                R::EtablissementId.into_iden(),
                R::SchoolYear.into_iden(),
                R::Date.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(uuid_pk(P::Id))
                    .col(uuid(P::ReunionId))
                    .col(uuid(P::MembreId))
                    .col(boolean(P::Present))
                    .foreign_key(&mut fk(
                        (P::Table, P::ReunionId),
                        (R::Table, R::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk((P::Table, P::MembreId), (M::Table, M::Id), Cascade))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_pilotage_comite_presences_member",
            P::Table,
            vec![P::ReunionId.into_iden(), P::MembreId.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(uuid_pk(D::Id))
                    .col(uuid(D::ReunionId))
                    .col(text(D::Text))
                    .col(int(D::Position))
                    .col(ts(D::CreatedAt))
                    .foreign_key(&mut fk(
                        (D::Table, D::ReunionId),
                        (R::Table, R::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_pilotage_comite_decisions_reunion",
            D::Table,
            vec![D::ReunionId.into_iden(), D::Position.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(uuid_pk(A::Id))
                    .col(uuid(A::EtablissementId))
                    .col(int(A::SchoolYear))
                    .col(uuid_null(A::ReunionId))
                    .col(uuid_null(A::DecisionId))
                    .col(s(A::Title, 200))
                    .col(text(A::Detail))
                    .col(uuid_null(A::OwnerAccountId))
                    .col(s(A::OwnerName, 200))
                    .col(ColumnDef::new(A::DueOn).date().not_null())
                    .col(s(A::Status, 16))
                    .col(uuid_null(A::ObjectiveId))
                    .col(ts_null(A::RemindedAt))
                    .col(uuid_null(A::CreatedBy))
                    .col(ts(A::CreatedAt))
                    .col(ts(A::UpdatedAt))
                    .foreign_key(&mut fk(
                        (A::Table, A::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (A::Table, A::ReunionId),
                        (R::Table, R::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (A::Table, A::DecisionId),
                        (D::Table, D::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (A::Table, A::OwnerAccountId),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (A::Table, A::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // The year's actions of a school.
        index(
            manager,
            "ix_pilotage_comite_actions_year",
            A::Table,
            vec![
                A::EtablissementId.into_iden(),
                A::SchoolYear.into_iden(),
                A::DueOn.into_iden(),
            ],
            false,
        )
        .await?;
        // A school's open actions by due date (the overdue list), and the
        // reminders' walk over every school.
        index(
            manager,
            "ix_pilotage_comite_actions_status_due",
            A::Table,
            vec![
                A::EtablissementId.into_iden(),
                A::Status.into_iden(),
                A::DueOn.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_pilotage_comite_actions_reminders",
            A::Table,
            vec![A::Status.into_iden(), A::DueOn.into_iden()],
            false,
        )
        .await?;
        // A meeting's actions.
        index(
            manager,
            "ix_pilotage_comite_actions_reunion",
            A::Table,
            vec![A::ReunionId.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PilotageComiteActions::Table.into_iden(),
            PilotageComiteDecisions::Table.into_iden(),
            PilotageComitePresences::Table.into_iden(),
            PilotageComiteReunions::Table.into_iden(),
            PilotageComiteMembres::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
