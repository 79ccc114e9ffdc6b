//! Paths of the kb pages.

use uuid::Uuid;

/// The knowledge base of a school.
pub fn articles(etab: Uuid) -> String {
    format!("/etablissements/{etab}/base-de-connaissances")
}
