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
