//! Pilotage: the school's training plan.
//!
//! - `pilotage_formation_themes`: a school's themes (label, position,
//!   active); a theme no longer offered is deactivated, not deleted, so
//!   that past needs and sessions keep it. Unique per school and label.
//! - `pilotage_formation_besoins`: a staff member's stated need: a theme,
//!   a comment, the school year. Unique per school, year, account and
//!   theme.
//! - `pilotage_formation_sessions`: the sessions of a school year: theme,
//!   title, `kind` (an in-school workshop, or an outside offer with its
//!   `link` and `code`), the leader (an account of the school or a name),
//!   date, optional `start_minute`, `duration_minutes`, `modality` and
//!   `place`, `capacity`, `status` (`planned`, `held`, `cancelled`).
//! - `pilotage_formation_inscriptions`: one row per session and account
//!   (unique): when they registered, whether they attended (null until
//!   the attendance is recorded), their rating (1–5) and feedback.

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
enum PilotageFormationThemes {
    Table,
    Id,
    EtablissementId,
    Label,
    Position,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PilotageFormationBesoins {
    Table,
    Id,
    EtablissementId,
    SchoolYear,
    ThemeId,
    AccountId,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PilotageFormationSessions {
    Table,
    Id,
    EtablissementId,
    SchoolYear,
    ThemeId,
    Title,
    Kind,
    LeaderAccountId,
    LeaderName,
    Link,
    Code,
    Date,
    StartMinute,
    DurationMinutes,
    Modality,
    Place,
    Capacity,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PilotageFormationInscriptions {
    Table,
    Id,
    SessionId,
    AccountId,
    RegisteredAt,
    Attended,
    Rating,
    Feedback,
    FeedbackAt,
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
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        use PilotageFormationBesoins as B;
        use PilotageFormationInscriptions as I;
        use PilotageFormationSessions as S;
        use PilotageFormationThemes as T;

        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(uuid_pk(T::Id))
                    .col(uuid(T::EtablissementId))
                    .col(s(T::Label, 200))
                    .col(int(T::Position))
                    .col(boolean(T::Active))
                    .col(ts(T::CreatedAt))
                    .foreign_key(&mut fk(
                        (T::Table, T::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One theme of a label per school: seeding twice at once adds
        // nothing, adding a theme twice is a field error.
        index(
            manager,
            "ux_pilotage_formation_themes_label",
            T::Table,
            vec![T::EtablissementId.into_iden(), T::Label.into_iden()],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(B::Table)
                    .col(uuid_pk(B::Id))
                    .col(uuid(B::EtablissementId))
                    .col(int(B::SchoolYear))
                    .col(uuid(B::ThemeId))
                    .col(uuid(B::AccountId))
                    .col(text(B::Comment))
                    .col(ts(B::CreatedAt))
                    .foreign_key(&mut fk(
                        (B::Table, B::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk((B::Table, B::ThemeId), (T::Table, T::Id), Restrict))
                    .foreign_key(&mut fk(
                        (B::Table, B::AccountId),
                        (Accounts::Table, Accounts::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A need is stated once per theme and year; the year's needs of a
        // school come from the same index.
        index(
            manager,
            "ux_pilotage_formation_besoins_theme",
            B::Table,
            vec![
                B::EtablissementId.into_iden(),
                B::SchoolYear.into_iden(),
                B::AccountId.into_iden(),
                B::ThemeId.into_iden(),
            ],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(uuid_pk(S::Id))
                    .col(uuid(S::EtablissementId))
                    .col(int(S::SchoolYear))
                    .col(uuid(S::ThemeId))
                    .col(s(S::Title, 200))
                    .col(s(S::Kind, 24))
                    .col(uuid_null(S::LeaderAccountId))
                    .col(s(S::LeaderName, 200))
                    .col(s(S::Link, 500))
                    .col(s(S::Code, 200))
                    .col(ColumnDef::new(S::Date).date().not_null())
                    .col(ColumnDef::new(S::StartMinute).integer().null())
                    .col(int(S::DurationMinutes))
                    .col(s(S::Modality, 16))
                    .col(s(S::Place, 200))
                    .col(int(S::Capacity))
                    .col(s(S::Status, 16))
                    .col(uuid_null(S::CreatedBy))
                    .col(ts(S::CreatedAt))
                    .col(ts(S::UpdatedAt))
                    .foreign_key(&mut fk(
                        (S::Table, S::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk((S::Table, S::ThemeId), (T::Table, T::Id), Restrict))
                    .foreign_key(&mut fk(
                        (S::Table, S::LeaderAccountId),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (S::Table, S::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // The year's offer of a school, by date; the figures count the
        // held ones through the same index.
        index(
            manager,
            "ix_pilotage_formation_sessions_year",
            S::Table,
            vec![
                S::EtablissementId.into_iden(),
                S::SchoolYear.into_iden(),
                S::Date.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(uuid_pk(I::Id))
                    .col(uuid(I::SessionId))
                    .col(uuid(I::AccountId))
                    .col(ts(I::RegisteredAt))
                    .col(ColumnDef::new(I::Attended).boolean().null())
                    .col(ColumnDef::new(I::Rating).integer().null())
                    .col(text(I::Feedback))
                    .col(ts_null(I::FeedbackAt))
                    .foreign_key(&mut fk(
                        (I::Table, I::SessionId),
                        (S::Table, S::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (I::Table, I::AccountId),
                        (Accounts::Table, Accounts::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Once per teacher and session; a session's registrations.
        index(
            manager,
            "ux_pilotage_formation_inscriptions_account",
            I::Table,
            vec![I::SessionId.into_iden(), I::AccountId.into_iden()],
            true,
        )
        .await?;
        // A teacher's registrations (what they attended).
        index(
            manager,
            "ix_pilotage_formation_inscriptions_account",
            I::Table,
            vec![I::AccountId.into_iden()],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PilotageFormationInscriptions::Table.into_iden(),
            PilotageFormationSessions::Table.into_iden(),
            PilotageFormationBesoins::Table.into_iden(),
            PilotageFormationThemes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
