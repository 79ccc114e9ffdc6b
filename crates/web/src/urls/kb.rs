//! Paths of the kb pages.

use uuid::Uuid;

/// The knowledge base of a school.
pub fn articles(etab: Uuid) -> String {
    format!("/etablissements/{etab}/base-de-connaissances")
}

/// The form that writes a new article.
pub fn new_article(etab: Uuid) -> String {
    format!("{}/nouveau", articles(etab))
}

/// The suggestions for a ticket title being typed (`?q=…`): an HTML
/// fragment, or JSON with `Accept: application/json`.
pub fn suggestions(etab: Uuid) -> String {
    format!("{}/suggestions", articles(etab))
}

pub fn article(etab: Uuid, id: Uuid) -> String {
    format!("{}/{id}", articles(etab))
}

pub fn edit(etab: Uuid, id: Uuid) -> String {
    format!("{}/modifier", article(etab, id))
}

/// Publishes or withdraws (POST `published=1|0`).
pub fn publication(etab: Uuid, id: Uuid) -> String {
    format!("{}/publication", article(etab, id))
}

pub fn delete(etab: Uuid, id: Uuid) -> String {
    format!("{}/supprimer", article(etab, id))
}
