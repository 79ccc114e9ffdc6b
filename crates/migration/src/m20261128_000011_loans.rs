//! Loans: equipment of the parc lent to a pupil or a staff member, the
//! things that go with it (accessories of the parc or named in text), the
//! parties to its convention and their signatures, and the school's
//! versioned loan charter.
//!
//! A charter version is never edited: a new one is added. A party row is
//! written when the loan is made (who has to sign) and signed once (a
//! conditional update), so the convention shows who has signed and who has
//! not. `reminded_at` is claimed by a conditional update so that one app
//! server only sends the overdue reminder.

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
enum ParcAssets {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AnnuairePeople {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LoanCharters {
    Table,
    Id,
    EtablissementId,
    Version,
    Title,
    Body,
    EffectiveOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Loans {
    Table,
    Id,
    EtablissementId,
    AssetId,
    BorrowerKind,
    BorrowerPersonId,
    BorrowerAccountId,
    BorrowerName,
    BorrowerDetail,
    StartOn,
    DueOn,
    EndKind,
    Status,
    DepartureState,
    DepartureRemarks,
    CharterId,
    ReturnedOn,
    ReturnState,
    ReturnRemarks,
    RemindedAt,
    SearchText,
    CreatedBy,
    ReturnedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LoanItems {
    Table,
    Id,
    LoanId,
    Position,
    AssetId,
    Label,
    PresentAtDeparture,
    DepartureRemarks,
    ReturnState,
    ReturnRemarks,
}

#[derive(DeriveIden)]
enum LoanParties {
    Table,
    Id,
    LoanId,
    PartyKey,
    Role,
    PersonId,
    Name,
    Position,
    SignedAt,
    SignerName,
    Method,
    CharterId,
    RecordedBy,
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
                    .table(LoanCharters::Table)
                    .col(uuid_pk(LoanCharters::Id))
                    .col(uuid(LoanCharters::EtablissementId))
                    .col(ColumnDef::new(LoanCharters::Version).integer().not_null())
                    .col(s(LoanCharters::Title, 200))
                    .col(text(LoanCharters::Body))
                    .col(ColumnDef::new(LoanCharters::EffectiveOn).date().not_null())
                    .col(uuid_null(LoanCharters::CreatedBy))
                    .col(ts(LoanCharters::CreatedAt))
                    .foreign_key(&mut fk(
                        (LoanCharters::Table, LoanCharters::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (LoanCharters::Table, LoanCharters::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // Two managers adding a version at once: one gets the number, the
        // other a field error.
        index(
            manager,
            "ux_loan_charters_version",
            LoanCharters::Table,
            vec![
                LoanCharters::EtablissementId.into_iden(),
                LoanCharters::Version.into_iden(),
            ],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Loans::Table)
                    .col(uuid_pk(Loans::Id))
                    .col(uuid(Loans::EtablissementId))
                    .col(uuid(Loans::AssetId))
                    .col(s(Loans::BorrowerKind, 16))
                    .col(uuid_null(Loans::BorrowerPersonId))
                    .col(uuid_null(Loans::BorrowerAccountId))
                    .col(s(Loans::BorrowerName, 200))
                    .col(s(Loans::BorrowerDetail, 100))
                    .col(ColumnDef::new(Loans::StartOn).date().not_null())
                    .col(ColumnDef::new(Loans::DueOn).date().not_null())
                    .col(s(Loans::EndKind, 16))
                    .col(s(Loans::Status, 16))
                    .col(s(Loans::DepartureState, 16))
                    .col(text(Loans::DepartureRemarks))
                    .col(uuid_null(Loans::CharterId))
                    .col(ColumnDef::new(Loans::ReturnedOn).date().null())
                    .col(s_null(Loans::ReturnState, 16))
                    .col(text(Loans::ReturnRemarks))
                    .col(ts_null(Loans::RemindedAt))
                    .col(text(Loans::SearchText))
                    .col(uuid_null(Loans::CreatedBy))
                    .col(uuid_null(Loans::ReturnedBy))
                    .col(ts(Loans::CreatedAt))
                    .col(ts(Loans::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::EtablissementId),
                        (Etablissements::Table, Etablissements::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::AssetId),
                        (ParcAssets::Table, ParcAssets::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::BorrowerPersonId),
                        (AnnuairePeople::Table, AnnuairePeople::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::BorrowerAccountId),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::CharterId),
                        (LoanCharters::Table, LoanCharters::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::CreatedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (Loans::Table, Loans::ReturnedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_loans_etab_status_due",
                vec![
                    Loans::EtablissementId.into_iden(),
                    Loans::Status.into_iden(),
                    Loans::DueOn.into_iden(),
                ],
            ),
            (
                "ix_loans_etab_start",
                vec![
                    Loans::EtablissementId.into_iden(),
                    Loans::StartOn.into_iden(),
                ],
            ),
            ("ix_loans_asset", vec![Loans::AssetId.into_iden()]),
            ("ix_loans_person", vec![Loans::BorrowerPersonId.into_iden()]),
            (
                "ix_loans_account",
                vec![Loans::BorrowerAccountId.into_iden()],
            ),
            (
                "ix_loans_status_due_reminded",
                vec![
                    Loans::Status.into_iden(),
                    Loans::DueOn.into_iden(),
                    Loans::RemindedAt.into_iden(),
                ],
            ),
        ] {
            index(manager, name, Loans::Table, cols, false).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(LoanItems::Table)
                    .col(uuid_pk(LoanItems::Id))
                    .col(uuid(LoanItems::LoanId))
                    .col(ColumnDef::new(LoanItems::Position).integer().not_null())
                    .col(uuid_null(LoanItems::AssetId))
                    .col(s(LoanItems::Label, 200))
                    .col(
                        ColumnDef::new(LoanItems::PresentAtDeparture)
                            .boolean()
                            .not_null(),
                    )
                    .col(text(LoanItems::DepartureRemarks))
                    .col(s_null(LoanItems::ReturnState, 16))
                    .col(text(LoanItems::ReturnRemarks))
                    .foreign_key(&mut fk(
                        (LoanItems::Table, LoanItems::LoanId),
                        (Loans::Table, Loans::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (LoanItems::Table, LoanItems::AssetId),
                        (ParcAssets::Table, ParcAssets::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_loan_items_loan",
            LoanItems::Table,
            vec![
                LoanItems::LoanId.into_iden(),
                LoanItems::Position.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_loan_items_asset",
            LoanItems::Table,
            vec![LoanItems::AssetId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoanParties::Table)
                    .col(uuid_pk(LoanParties::Id))
                    .col(uuid(LoanParties::LoanId))
                    .col(s(LoanParties::PartyKey, 64))
                    .col(s(LoanParties::Role, 16))
                    .col(uuid_null(LoanParties::PersonId))
                    .col(s(LoanParties::Name, 200))
                    .col(ColumnDef::new(LoanParties::Position).integer().not_null())
                    .col(ts_null(LoanParties::SignedAt))
                    .col(s_null(LoanParties::SignerName, 200))
                    .col(s_null(LoanParties::Method, 16))
                    .col(uuid_null(LoanParties::CharterId))
                    .col(uuid_null(LoanParties::RecordedBy))
                    .foreign_key(&mut fk(
                        (LoanParties::Table, LoanParties::LoanId),
                        (Loans::Table, Loans::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        (LoanParties::Table, LoanParties::CharterId),
                        (LoanCharters::Table, LoanCharters::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        (LoanParties::Table, LoanParties::RecordedBy),
                        (Accounts::Table, Accounts::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_loan_parties_key",
            LoanParties::Table,
            vec![
                LoanParties::LoanId.into_iden(),
                LoanParties::PartyKey.into_iden(),
            ],
            true,
        )
        .await?;
        Ok(())
    }
}
