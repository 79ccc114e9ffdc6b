//! Paths of the parc pages.

use uuid::Uuid;

/// The asset list of a school (the parc's entry page).
pub fn assets(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc")
}

/// The address printed in an asset's QR label: staff land on the asset's
/// page, anyone else on the fault report form.
pub fn qr(token: &str) -> String {
    format!("/q/{token}")
}

pub fn asset_new(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/nouveau")
}

pub fn asset(etab: Uuid, asset: Uuid) -> String {
    format!("/etablissements/{etab}/parc/equipements/{asset}")
}

pub fn asset_edit(etab: Uuid, asset: Uuid) -> String {
    format!("/etablissements/{etab}/parc/equipements/{asset}/modifier")
}

pub fn asset_status(etab: Uuid, asset: Uuid) -> String {
    format!("/etablissements/{etab}/parc/equipements/{asset}/etat")
}

/// The bulk edit of checked assets.
pub fn bulk(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/groupe")
}

pub fn rooms(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/salles")
}

pub fn room(etab: Uuid, room: Uuid) -> String {
    format!("/etablissements/{etab}/parc/salles/{room}")
}

pub fn room_edit(etab: Uuid, room: Uuid) -> String {
    format!("/etablissements/{etab}/parc/salles/{room}/modifier")
}

pub fn room_delete(etab: Uuid, room: Uuid) -> String {
    format!("/etablissements/{etab}/parc/salles/{room}/supprimer")
}

pub fn buildings(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/batiments")
}

pub fn building_edit(etab: Uuid, building: Uuid) -> String {
    format!("/etablissements/{etab}/parc/batiments/{building}/modifier")
}

pub fn building_delete(etab: Uuid, building: Uuid) -> String {
    format!("/etablissements/{etab}/parc/batiments/{building}/supprimer")
}

/// The pages of the parc files (import, exports, labels).
pub fn import(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/import")
}

pub fn export_csv(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/export.csv")
}

pub fn export_ods(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/export.ods")
}

pub fn labels(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/etiquettes")
}

/// The fault report form for an asset (the helpdesk's).
pub fn report_fault(etab: Uuid, asset: Uuid) -> String {
    format!("/etablissements/{etab}/assistance/nouveau?equipement={asset}")
}
