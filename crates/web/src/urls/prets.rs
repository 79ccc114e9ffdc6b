//! Paths of the loan pages.

use uuid::Uuid;

/// The school's loans (`?vue=en-cours|en-retard|rendus|tous`).
pub fn loans(etab: Uuid) -> String {
    format!("/etablissements/{etab}/prets")
}

/// The departure form.
pub fn new_loan(etab: Uuid) -> String {
    format!("{}/nouveau", loans(etab))
}

/// The caller's own loans.
/// The inventory numbers offered while the departure form is filled.
pub fn asset_suggestions(etab: Uuid) -> String {
    format!("/etablissements/{etab}/prets/materiels")
}

pub fn mine(etab: Uuid) -> String {
    format!("{}/mes-prets", loans(etab))
}

/// The loan charter's versions.
pub fn charter(etab: Uuid) -> String {
    format!("{}/charte", loans(etab))
}

/// A borrower's history (`pupil:<id>` or `staff:<account id>`).
pub fn borrower(etab: Uuid, key: &str) -> String {
    format!("{}?vue=tous&emprunteur={key}", loans(etab))
}

pub fn loan(etab: Uuid, id: Uuid) -> String {
    format!("{}/{id}", loans(etab))
}

/// The printable convention.
pub fn convention(etab: Uuid, id: Uuid) -> String {
    format!("{}/convention", loan(etab, id))
}

/// Records a signature (POST).
pub fn signature(etab: Uuid, id: Uuid) -> String {
    format!("{}/signature", loan(etab, id))
}

/// The return form.
pub fn give_back(etab: Uuid, id: Uuid) -> String {
    format!("{}/retour", loan(etab, id))
}
