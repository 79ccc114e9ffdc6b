//! Paths of the pilotage pages: the mission letter, the comité numérique
//! and the training plan.

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

/// The training plan of the current school year (`?annee=2026-2027` for
/// another).
pub fn formations(etab: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage/formations")
}

/// The training plan of a school year.
pub fn formations_year(etab: Uuid, year: i32) -> String {
    format!("{}?annee={}-{}", formations(etab), year, year + 1)
}

/// States a need (POST).
pub fn formation_needs(etab: Uuid) -> String {
    format!("{}/besoins", formations(etab))
}

/// The plan's themes (a POST adds one).
pub fn formation_themes(etab: Uuid) -> String {
    format!("{}/themes", formations(etab))
}

/// Offers a theme no longer, or again (POST).
pub fn formation_theme_state(etab: Uuid, theme: Uuid) -> String {
    format!("{}/{theme}/etat", formation_themes(etab))
}

/// The new session's form.
pub fn formation_new_session(etab: Uuid) -> String {
    format!("{}/sessions/nouvelle", formations(etab))
}

/// A session (its page; a POST changes it).
pub fn formation_session(etab: Uuid, id: Uuid) -> String {
    format!("{}/sessions/{id}", formations(etab))
}

/// Registers oneself to a session (POST).
pub fn formation_register(etab: Uuid, id: Uuid) -> String {
    format!("{}/inscription", formation_session(etab, id))
}

/// Withdraws one's registration (POST).
pub fn formation_unregister(etab: Uuid, id: Uuid) -> String {
    format!("{}/desinscription", formation_session(etab, id))
}

/// Records a session's attendance (POST).
pub fn formation_attendance(etab: Uuid, id: Uuid) -> String {
    format!("{}/presences", formation_session(etab, id))
}

/// An attendee's feedback (POST).
pub fn formation_feedback(etab: Uuid, id: Uuid) -> String {
    format!("{}/avis", formation_session(etab, id))
}

/// Cancels a session (POST).
pub fn formation_cancel(etab: Uuid, id: Uuid) -> String {
    format!("{}/annulation", formation_session(etab, id))
}

/// The digital part of the school project: the current plan, its levels
/// and, for those who write it, its forms.
pub fn projet(etab: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage/projet")
}

/// The new plan's form.
pub fn projet_new(etab: Uuid) -> String {
    format!("{}/nouveau", projet(etab))
}

/// Changes the plan's title and adoption day (POST).
pub fn projet_plan(etab: Uuid, id: Uuid) -> String {
    format!("{}/plans/{id}", projet(etab))
}

/// Adds an axis to a plan (POST).
pub fn projet_axes(etab: Uuid, plan: Uuid) -> String {
    format!("{}/axes", projet_plan(etab, plan))
}

/// Adds an objective to an axis (POST).
pub fn projet_objectives(etab: Uuid) -> String {
    format!("{}/objectifs", projet(etab))
}

/// An objective (its page; a POST changes its title and description).
pub fn projet_objective(etab: Uuid, id: Uuid) -> String {
    format!("{}/objectifs/{id}", projet(etab))
}

/// Adds an action to an objective (POST).
pub fn projet_objective_actions(etab: Uuid, id: Uuid) -> String {
    format!("{}/actions", projet_objective(etab, id))
}

/// Adds an indicator to an objective (POST).
pub fn projet_objective_indicators(etab: Uuid, id: Uuid) -> String {
    format!("{}/indicateurs", projet_objective(etab, id))
}

/// Links a comité action to an objective (POST).
pub fn projet_objective_comite(etab: Uuid, id: Uuid) -> String {
    format!("{}/comite", projet_objective(etab, id))
}

/// A project action (its page; a POST changes it).
pub fn projet_action(etab: Uuid, id: Uuid) -> String {
    format!("{}/actions/{id}", projet(etab))
}

/// Changes a project action's status (POST).
pub fn projet_action_status(etab: Uuid, id: Uuid) -> String {
    format!("{}/etat", projet_action(etab, id))
}

/// A project indicator (its page; a POST changes it and its targets).
pub fn projet_indicator(etab: Uuid, id: Uuid) -> String {
    format!("{}/indicateurs/{id}", projet(etab))
}

/// Records a typed indicator's value for a year (POST).
pub fn projet_indicator_value(etab: Uuid, id: Uuid) -> String {
    format!("{}/valeur", projet_indicator(etab, id))
}
