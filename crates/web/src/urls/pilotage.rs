//! Paths of the pilotage pages: the comité numérique.

use uuid::Uuid;

/// The comité of the current school year (`?annee=2026-2027` for another).
pub fn comite(etab: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage/comite")
}

/// The comité of a school year.
pub fn comite_year(etab: Uuid, year: i32) -> String {
    format!("{}?annee={}-{}", comite(etab), year, year + 1)
}

/// Adds a member (POST).
pub fn members(etab: Uuid) -> String {
    format!("{}/membres", comite(etab))
}

/// A member leaves the comité (POST).
pub fn member_remove(etab: Uuid, member: Uuid) -> String {
    format!("{}/{member}/retirer", members(etab))
}

/// The new meeting's form.
pub fn new_meeting(etab: Uuid) -> String {
    format!("{}/reunions/nouvelle", comite(etab))
}

/// A meeting (its page; a POST changes its date, place and agenda).
pub fn meeting(etab: Uuid, id: Uuid) -> String {
    format!("{}/reunions/{id}", comite(etab))
}

/// Records a meeting's attendance and minutes (POST).
pub fn meeting_minutes(etab: Uuid, id: Uuid) -> String {
    format!("{}/compte-rendu", meeting(etab, id))
}

/// Adds a decision to a meeting (POST).
pub fn meeting_decision(etab: Uuid, id: Uuid) -> String {
    format!("{}/decisions", meeting(etab, id))
}

/// Creates an action from a meeting (POST).
pub fn meeting_action(etab: Uuid, id: Uuid) -> String {
    format!("{}/actions", meeting(etab, id))
}

/// Creates an action outside any meeting (POST).
pub fn actions(etab: Uuid) -> String {
    format!("{}/actions", comite(etab))
}

/// An action (its page; a POST changes its title, owner and due date).
pub fn action(etab: Uuid, id: Uuid) -> String {
    format!("{}/actions/{id}", comite(etab))
}

/// Changes an action's status (POST).
pub fn action_status(etab: Uuid, id: Uuid) -> String {
    format!("{}/etat", action(etab, id))
}
