//! What tickets need of the parc: an asset or a room of a school, and the
//! asset behind a QR label.

use refnum_db::{ConnectionTrait, DbErr};
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

/// A room as a ticket shows it.
#[derive(Debug, Clone)]
pub struct RoomRef {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub name: String,
}

/// An asset of a school.
pub async fn asset<C: ConnectionTrait>(
    _c: &C,
    _etab: Uuid,
    _id: Uuid,
) -> Result<Option<AssetRef>, DbErr> {
    Ok(None)
}

/// The asset a QR label points to, in any school.
pub async fn asset_by_qr<C: ConnectionTrait>(
    _c: &C,
    _token: &str,
) -> Result<Option<AssetRef>, DbErr> {
    Ok(None)
}

/// A room of a school.
pub async fn room<C: ConnectionTrait>(
    _c: &C,
    _etab: Uuid,
    _id: Uuid,
) -> Result<Option<RoomRef>, DbErr> {
    Ok(None)
}

/// The rooms of a school, by name.
pub async fn rooms<C: ConnectionTrait>(_c: &C, _etab: Uuid) -> Result<Vec<RoomRef>, DbErr> {
    Ok(vec![])
}
