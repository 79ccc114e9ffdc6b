//! Parc files: the queries of imports, exports and label sheets (the rest
//! is in [`crate::parc`]).

use crate::entities::parc::{parc_asset as asset, parc_building as building};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

/// Every asset of a school (an import compares the file with them; a
/// school has a few thousand).
pub async fn assets_of_school<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .order_by_asc(asset::Column::InventoryNumber)
        .all(c)
        .await
}

/// Building names of a school by id.
pub async fn building_names<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<HashMap<Uuid, String>, DbErr> {
    Ok(building::Entity::find()
        .filter(building::Column::EtablissementId.eq(etab))
        .all(c)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect())
}

/// Inserts buildings (an import creates the ones its file names).
pub async fn insert_buildings<C: ConnectionTrait>(
    c: &C,
    rows: Vec<building::Model>,
) -> Result<(), DbErr> {
    for chunk in rows.chunks(100) {
        building::Entity::insert_many(chunk.iter().cloned().map(building::ActiveModel::from))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}
