//! Parc: places and equipment of a school.

pub mod files;

use base64::Engine;
use rand::RngCore;
use refnum_db::entities::parc::{parc_asset, parc_room};
use serde::{Deserialize, Serialize};

/// A new QR token: 128 random bits, base64url without padding (22 characters).
pub fn new_qr_token() -> String {
    let mut buf = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// The search text of an asset (folded inventory number, manufacturer,
/// model, serial, holder, owner label and notes). Set it on every write.
pub fn asset_search_text(a: &parc_asset::Model) -> String {
    refnum_domain::search::text_of(&[
        &a.inventory_number,
        &a.manufacturer,
        &a.model,
        &a.serial,
        a.holder_name.as_deref().unwrap_or(""),
        a.owner_label.as_deref().unwrap_or(""),
        &a.notes,
    ])
}

/// The search text of a room (its name, floor and notes).
pub fn room_search_text(r: &parc_room::Model) -> String {
    refnum_domain::search::text_of(&[&r.name, r.floor.as_deref().unwrap_or(""), &r.notes])
}

/// One changed field in an asset's history (`parc_asset_events.changes` is
/// a JSON array of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub from: String,
    pub to: String,
}
