//! What tickets need of the parc: an asset or a room of a school, and the
//! asset behind a QR label.

use refnum_db::entities::parc::{parc_asset, parc_room};
use refnum_db::{ConnectionTrait, DbErr, parc};
use uuid::Uuid;

/// An asset as a ticket shows it.
#[derive(Debug, Clone)]
pub struct AssetRef {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub room_id: Option<Uuid>,
    /// `refnum_domain::asset::AssetCategory` code.
    pub category: String,
    /// Inventory number, manufacturer and model.
    pub label: String,
}

impl From<parc_asset::Model> for AssetRef {
    fn from(a: parc_asset::Model) -> Self {
        let label = [a.inventory_number.as_str(), &a.manufacturer, &a.model]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
        AssetRef {
            id: a.id,
            etablissement_id: a.etablissement_id,
            room_id: a.room_id,
            category: a.category,
            label,
        }
    }
}

/// A room as a ticket shows it.
#[derive(Debug, Clone)]
pub struct RoomRef {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub name: String,
}

impl From<parc_room::Model> for RoomRef {
    fn from(r: parc_room::Model) -> Self {
        RoomRef {
            id: r.id,
            etablissement_id: r.etablissement_id,
            name: r.name,
        }
    }
}

/// An asset of a school.
pub async fn asset<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<AssetRef>, DbErr> {
    Ok(parc::get_asset(c, etab, id).await?.map(AssetRef::from))
}

/// The asset a QR label points to, in any school.
pub async fn asset_by_qr<C: ConnectionTrait>(
    c: &C,
    token: &str,
) -> Result<Option<AssetRef>, DbErr> {
    Ok(parc::asset_by_qr_token(c, token).await?.map(AssetRef::from))
}

/// A room of a school.
pub async fn room<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<RoomRef>, DbErr> {
    Ok(parc::get_room(c, etab, id).await?.map(RoomRef::from))
}

/// The rooms of a school, by name.
pub async fn rooms<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<RoomRef>, DbErr> {
    Ok(parc::list_rooms(c, etab)
        .await?
        .into_iter()
        .map(RoomRef::from)
        .collect())
}
