//! Equipment and helpdesk indicators: aggregates of one school's data.
//!
//! Counts are SQL `COUNT`s on indexed columns of one school. The same
//! SeaORM code runs on SQLite and PostgreSQL.

use crate::entities::parc::parc_asset as asset;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// Categories counted as computers (desktops and laptops).
pub const COMPUTERS: [&str; 2] = ["desktop", "laptop"];
/// Categories counted as terminals (desktops, laptops and tablets).
pub const TERMINALS: [&str; 3] = ["desktop", "laptop", "tablet"];
/// Statuses of equipment that is not deployed (counted out of the fleet).
pub const NOT_DEPLOYED: [&str; 2] = ["retired", "in_stock"];

/// Figures on a school's equipment, as of a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssetFigures {
    /// Assets not retired.
    pub active: u64,
    /// Active assets whose warranty ended before the day.
    pub out_of_warranty: u64,
    /// Active assets with a known warranty end.
    pub with_warranty_end: u64,
    /// Active desktops and laptops.
    pub computers: u64,
    /// Active desktops and laptops bought before the cut-off day.
    pub old_computers: u64,
    /// Active desktops and laptops with a known purchase date.
    pub computers_dated: u64,
    /// Active desktops, laptops and tablets.
    pub terminals: u64,
    /// Assets neither retired nor in stock (the fleet the availability
    /// rate is computed on).
    pub deployed: u64,
}

fn of(etab: Uuid) -> sea_orm::Select<asset::Entity> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::Status.ne("retired"))
}

/// The equipment figures of a school on `today`; computers bought before
/// `old_before` count as old.
pub async fn asset_figures<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    today: NaiveDate,
    old_before: NaiveDate,
) -> Result<AssetFigures, DbErr> {
    Ok(AssetFigures {
        active: of(etab).count(c).await?,
        out_of_warranty: of(etab)
            .filter(asset::Column::WarrantyEnd.lt(today))
            .count(c)
            .await?,
        with_warranty_end: of(etab)
            .filter(asset::Column::WarrantyEnd.is_not_null())
            .count(c)
            .await?,
        computers: of(etab)
            .filter(asset::Column::Category.is_in(COMPUTERS))
            .count(c)
            .await?,
        old_computers: of(etab)
            .filter(asset::Column::Category.is_in(COMPUTERS))
            .filter(asset::Column::PurchaseDate.lt(old_before))
            .count(c)
            .await?,
        computers_dated: of(etab)
            .filter(asset::Column::Category.is_in(COMPUTERS))
            .filter(asset::Column::PurchaseDate.is_not_null())
            .count(c)
            .await?,
        terminals: of(etab)
            .filter(asset::Column::Category.is_in(TERMINALS))
            .count(c)
            .await?,
        deployed: asset::Entity::find()
            .filter(asset::Column::EtablissementId.eq(etab))
            .filter(asset::Column::Status.is_not_in(NOT_DEPLOYED))
            .count(c)
            .await?,
    })
}
