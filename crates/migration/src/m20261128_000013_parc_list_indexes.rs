//! Parc: indexes in the order of the asset list's sorts.
//!
//! The list orders a school's assets by a column (or manufacturer then
//! model) and then by inventory number. With an index on
//! `(etablissement_id, key…, inventory_number)` the database reads the
//! school's assets in that order and stops at the page, instead of sorting
//! every asset that matches the filters. The indexes of the category,
//! status, warranty end and last change gain the inventory number (they
//! replace the indexes without it, whose queries they also serve); the
//! purchase date and the model get theirs. The category's index also ends
//! with the status, so that the count of a category's assets that are not
//! retired (the list's count) reads the index alone.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ParcAssets {
    Table,
    EtablissementId,
    InventoryNumber,
    Category,
    Manufacturer,
    Model,
    Status,
    PurchaseDate,
    WarrantyEnd,
    UpdatedAt,
}

/// (new index, its columns after the school, the index it replaces).
const INDEXES: [(&str, &[ParcAssets], Option<&str>); 6] = [
    (
        "ix_parc_assets_category_number",
        &[
            ParcAssets::Category,
            ParcAssets::InventoryNumber,
            ParcAssets::Status,
        ],
        Some("ix_parc_assets_category"),
    ),
    (
        "ix_parc_assets_status_number",
        &[ParcAssets::Status, ParcAssets::InventoryNumber],
        Some("ix_parc_assets_status"),
    ),
    (
        "ix_parc_assets_warranty_number",
        &[ParcAssets::WarrantyEnd, ParcAssets::InventoryNumber],
        Some("ix_parc_assets_warranty"),
    ),
    (
        "ix_parc_assets_updated_number",
        &[ParcAssets::UpdatedAt, ParcAssets::InventoryNumber],
        Some("ix_parc_assets_updated"),
    ),
    (
        "ix_parc_assets_purchase_number",
        &[ParcAssets::PurchaseDate, ParcAssets::InventoryNumber],
        None,
    ),
    (
        "ix_parc_assets_model_number",
        &[
            ParcAssets::Manufacturer,
            ParcAssets::Model,
            ParcAssets::InventoryNumber,
        ],
        None,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, cols, replaces) in INDEXES {
            let mut index = Index::create();
            index
                .name(name)
                .table(ParcAssets::Table)
                .col(ParcAssets::EtablissementId);
            for col in cols {
                index.col(*col);
            }
            manager.create_index(index.to_owned()).await?;
            if let Some(old) = replaces {
                manager
                    .drop_index(Index::drop().name(old).table(ParcAssets::Table).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
