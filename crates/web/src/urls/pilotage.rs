//! Paths of the pilotage pages: the mission letter.

use uuid::Uuid;

/// The school's pilotage.
pub fn home(etab: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage")
}

/// The school's mission letters, every year and version.
pub fn letters(etab: Uuid) -> String {
    format!("{}/lettres", home(etab))
}

/// The form of a new letter.
pub fn new_letter(etab: Uuid) -> String {
    format!("{}/nouvelle", letters(etab))
}

pub fn letter(etab: Uuid, id: Uuid) -> String {
    format!("{}/{id}", letters(etab))
}

/// The form of a draft.
pub fn edit(etab: Uuid, id: Uuid) -> String {
    format!("{}/modifier", letter(etab, id))
}

/// The letter on A4.
pub fn print(etab: Uuid, id: Uuid) -> String {
    format!("{}/imprimer", letter(etab, id))
}

/// Proposes a draft or takes it back (POST `etape=proposer|retirer`).
pub fn step(etab: Uuid, id: Uuid) -> String {
    format!("{}/etape", letter(etab, id))
}

/// The head's signature (POST, with the password).
pub fn sign(etab: Uuid, id: Uuid) -> String {
    format!("{}/signature", letter(etab, id))
}

/// A referent's acknowledgement (POST).
pub fn acknowledge(etab: Uuid, id: Uuid) -> String {
    format!("{}/prise-de-connaissance", letter(etab, id))
}

/// Starts an amendment of a signed letter (POST).
pub fn amend(etab: Uuid, id: Uuid) -> String {
    format!("{}/avenant", letter(etab, id))
}

/// Copies the letter to the next school year (POST).
pub fn copy(etab: Uuid, id: Uuid) -> String {
    format!("{}/copie", letter(etab, id))
}

/// A drafting comment (POST).
pub fn comments(etab: Uuid, id: Uuid) -> String {
    format!("{}/commentaires", letter(etab, id))
}

/// The year-end review of a signed letter.
pub fn review(etab: Uuid, id: Uuid) -> String {
    format!("{}/revue", letter(etab, id))
}
