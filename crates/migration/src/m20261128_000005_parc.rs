//! Parc: places (buildings, rooms) and equipment (assets) with their history.
//!
//! Room names are unique per school (not per building) so that an import can
//! name a room without its building. Codes (room kind, asset category,
//! status, owner) are the `as_str` values of their domain enums.

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
enum ParcBuildings {
    Table,
    Id,
    EtablissementId,
    Name,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ParcRooms {
    Table,
    Id,
    EtablissementId,
    BuildingId,
    Name,
    Kind,
    Capacity,
    Floor,
    Notes,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ParcAssets {
    Table,
    Id,
    EtablissementId,
    InventoryNumber,
    Category,
    Manufacturer,
    Model,
    Serial,
    Owner,
    OwnerLabel,
    Funding,
    PurchaseDate,
    WarrantyEnd,
    RoomId,
    HolderName,
    HolderAccountId,
    Status,
    ParentId,
    Notes,
    QrToken,
    SearchText,
    CreatedAt,
    UpdatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum ParcAssetEvents {
    Table,
    Id,
    AssetId,
    EtablissementId,
    OccurredAt,
    ActorId,
    ActorName,
    Kind,
    Changes,
    Note,
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

fn text_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().null().to_owned()
}

fn etab_fk<T: IntoIden + 'static>(table: T, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Etablissements::Table, Etablissements::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index<T: IntoIden + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: Vec<ParcAssetsCol>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        match c {
            ParcAssetsCol::A(c) => i.col(c),
            ParcAssetsCol::R(c) => i.col(c),
            ParcAssetsCol::E(c) => i.col(c),
            ParcAssetsCol::B(c) => i.col(c),
        };
    }
    if unique {
        i.unique();
    }
    manager.create_index(i.to_owned()).await
}

enum ParcAssetsCol {
    A(ParcAssets),
    R(ParcRooms),
    E(ParcAssetEvents),
    B(ParcBuildings),
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ParcAssetsCol::{A, B, E, R};

        manager
            .create_table(
                Table::create()
                    .table(ParcBuildings::Table)
                    .col(uuid_pk(ParcBuildings::Id))
                    .col(uuid(ParcBuildings::EtablissementId))
                    .col(s(ParcBuildings::Name, 100))
                    .col(text(ParcBuildings::Notes))
                    .col(ts(ParcBuildings::CreatedAt))
                    .col(ts(ParcBuildings::UpdatedAt))
                    .foreign_key(&mut etab_fk(
                        ParcBuildings::Table,
                        ParcBuildings::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_parc_buildings_name",
            ParcBuildings::Table,
            vec![B(ParcBuildings::EtablissementId), B(ParcBuildings::Name)],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ParcRooms::Table)
                    .col(uuid_pk(ParcRooms::Id))
                    .col(uuid(ParcRooms::EtablissementId))
                    .col(uuid_null(ParcRooms::BuildingId))
                    .col(s(ParcRooms::Name, 100))
                    .col(s(ParcRooms::Kind, 32))
                    .col(ColumnDef::new(ParcRooms::Capacity).integer().null())
                    .col(s_null(ParcRooms::Floor, 32))
                    .col(text(ParcRooms::Notes))
                    .col(text(ParcRooms::SearchText))
                    .col(ts(ParcRooms::CreatedAt))
                    .col(ts(ParcRooms::UpdatedAt))
                    .foreign_key(&mut etab_fk(ParcRooms::Table, ParcRooms::EtablissementId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParcRooms::Table, ParcRooms::BuildingId)
                            .to(ParcBuildings::Table, ParcBuildings::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // Unique per school, not per building: imports name a room alone.
        index(
            manager,
            "ux_parc_rooms_name",
            ParcRooms::Table,
            vec![R(ParcRooms::EtablissementId), R(ParcRooms::Name)],
            true,
        )
        .await?;
        index(
            manager,
            "ix_parc_rooms_building",
            ParcRooms::Table,
            vec![R(ParcRooms::BuildingId)],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ParcAssets::Table)
                    .col(uuid_pk(ParcAssets::Id))
                    .col(uuid(ParcAssets::EtablissementId))
                    .col(s(ParcAssets::InventoryNumber, 64))
                    .col(s(ParcAssets::Category, 32))
                    .col(s(ParcAssets::Manufacturer, 100))
                    .col(s(ParcAssets::Model, 100))
                    .col(s(ParcAssets::Serial, 100))
                    .col(s(ParcAssets::Owner, 32))
                    .col(s_null(ParcAssets::OwnerLabel, 200))
                    .col(s_null(ParcAssets::Funding, 200))
                    .col(ColumnDef::new(ParcAssets::PurchaseDate).date().null())
                    .col(ColumnDef::new(ParcAssets::WarrantyEnd).date().null())
                    .col(uuid_null(ParcAssets::RoomId))
                    .col(s_null(ParcAssets::HolderName, 200))
                    .col(uuid_null(ParcAssets::HolderAccountId))
                    .col(s(ParcAssets::Status, 32))
                    .col(uuid_null(ParcAssets::ParentId))
                    .col(text(ParcAssets::Notes))
                    .col(s(ParcAssets::QrToken, 32))
                    .col(text(ParcAssets::SearchText))
                    .col(ts(ParcAssets::CreatedAt))
                    .col(ts(ParcAssets::UpdatedAt))
                    .col(ts_null(ParcAssets::RetiredAt))
                    .foreign_key(&mut etab_fk(ParcAssets::Table, ParcAssets::EtablissementId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParcAssets::Table, ParcAssets::RoomId)
                            .to(ParcRooms::Table, ParcRooms::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParcAssets::Table, ParcAssets::HolderAccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParcAssets::Table, ParcAssets::ParentId)
                            .to(ParcAssets::Table, ParcAssets::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "ux_parc_assets_inventory",
                vec![
                    A(ParcAssets::EtablissementId),
                    A(ParcAssets::InventoryNumber),
                ],
                true,
            ),
            ("ux_parc_assets_qr", vec![A(ParcAssets::QrToken)], true),
            (
                "ix_parc_assets_category",
                vec![A(ParcAssets::EtablissementId), A(ParcAssets::Category)],
                false,
            ),
            (
                "ix_parc_assets_status",
                vec![A(ParcAssets::EtablissementId), A(ParcAssets::Status)],
                false,
            ),
            (
                "ix_parc_assets_room",
                vec![A(ParcAssets::EtablissementId), A(ParcAssets::RoomId)],
                false,
            ),
            (
                "ix_parc_assets_parent",
                vec![A(ParcAssets::ParentId)],
                false,
            ),
            (
                "ix_parc_assets_updated",
                vec![A(ParcAssets::EtablissementId), A(ParcAssets::UpdatedAt)],
                false,
            ),
            (
                "ix_parc_assets_warranty",
                vec![A(ParcAssets::EtablissementId), A(ParcAssets::WarrantyEnd)],
                false,
            ),
        ] {
            index(manager, name, ParcAssets::Table, cols, unique).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ParcAssetEvents::Table)
                    .col(uuid_pk(ParcAssetEvents::Id))
                    .col(uuid(ParcAssetEvents::AssetId))
                    .col(uuid(ParcAssetEvents::EtablissementId))
                    .col(ts(ParcAssetEvents::OccurredAt))
                    .col(uuid_null(ParcAssetEvents::ActorId))
                    .col(s(ParcAssetEvents::ActorName, 200))
                    .col(s(ParcAssetEvents::Kind, 16))
                    .col(text(ParcAssetEvents::Changes))
                    .col(text_null(ParcAssetEvents::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParcAssetEvents::Table, ParcAssetEvents::AssetId)
                            .to(ParcAssets::Table, ParcAssets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut etab_fk(
                        ParcAssetEvents::Table,
                        ParcAssetEvents::EtablissementId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_parc_asset_events_asset",
            ParcAssetEvents::Table,
            vec![E(ParcAssetEvents::AssetId), E(ParcAssetEvents::OccurredAt)],
            false,
        )
        .await?;
        index(
            manager,
            "ix_parc_asset_events_etab",
            ParcAssetEvents::Table,
            vec![
                E(ParcAssetEvents::EtablissementId),
                E(ParcAssetEvents::OccurredAt),
            ],
            false,
        )
        .await?;
        Ok(())
    }
}
