//! Paths of the booking pages.

use chrono::NaiveDate;
use uuid::Uuid;

/// The school's bookable resources (the booking pages' home).
pub fn home(etab: Uuid) -> String {
    format!("/etablissements/{etab}/reservations")
}
pub fn timetable(etab: Uuid) -> String {
    format!("{}/horaires", home(etab))
}
pub fn slots(etab: Uuid) -> String {
    format!("{}/creneaux", timetable(etab))
}
pub fn slot(etab: Uuid, id: Uuid) -> String {
    format!("{}/{id}", slots(etab))
}
pub fn slot_delete(etab: Uuid, id: Uuid) -> String {
    format!("{}/supprimer", slot(etab, id))
}
pub fn zone(etab: Uuid) -> String {
    format!("{}/zone", timetable(etab))
}
pub fn days_off(etab: Uuid) -> String {
    format!("{}/conges", timetable(etab))
}
pub fn day_off_delete(etab: Uuid, id: Uuid) -> String {
    format!("{}/{id}/supprimer", days_off(etab))
}
/// The iCalendar import (multipart, the CSRF token first).
pub fn ics_import(etab: Uuid) -> String {
    format!("{}/import", days_off(etab))
}
pub fn is_ics_import(path: &str) -> bool {
    path.strip_prefix("/etablissements/")
        .and_then(|rest| rest.strip_suffix("/reservations/horaires/conges/import"))
        .is_some_and(|id| id.parse::<Uuid>().is_ok())
}
pub fn resources(etab: Uuid) -> String {
    format!("{}/ressources", home(etab))
}
/// A resource's week (`?semaine=AAAA-MM-JJ`).
pub fn resource(etab: Uuid, id: Uuid) -> String {
    format!("{}/{id}", resources(etab))
}
pub fn week(etab: Uuid, id: Uuid, day: NaiveDate) -> String {
    format!("{}?semaine={day}", resource(etab, id))
}
pub fn rules(etab: Uuid, id: Uuid) -> String {
    format!("{}/regles", resource(etab, id))
}
pub fn book(etab: Uuid, id: Uuid) -> String {
    format!("{}/reserver", resource(etab, id))
}
pub fn mine(etab: Uuid) -> String {
    format!("{}/mes-reservations", home(etab))
}
/// The school's day (`?date=AAAA-MM-JJ`).
pub fn day(etab: Uuid) -> String {
    format!("{}/jour", home(etab))
}
pub fn cancel(etab: Uuid, booking: Uuid) -> String {
    format!("{}/{booking}/annuler", home(etab))
}
pub fn decide(etab: Uuid, booking: Uuid) -> String {
    format!("{}/{booking}/decision", home(etab))
}
