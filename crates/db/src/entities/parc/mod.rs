//! Parc entities: places, assets and their history.

pub mod parc_asset;
pub mod parc_asset_event;
pub mod parc_building;
pub mod parc_room;
