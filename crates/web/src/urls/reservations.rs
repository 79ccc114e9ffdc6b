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

/// A resource's iCalendar feed: create (POST) and revoke.
pub fn resource_feed(etab: Uuid, id: Uuid) -> String {
    format!("{}/agenda", resource(etab, id))
}
pub fn resource_feed_revoke(etab: Uuid, id: Uuid) -> String {
    format!("{}/revoquer", resource_feed(etab, id))
}
/// One's own bookings' iCalendar feed: create (POST) and revoke.
pub fn my_feed(etab: Uuid) -> String {
    format!("{}/agenda", mine(etab))
}
pub fn my_feed_revoke(etab: Uuid) -> String {
    format!("{}/revoquer", my_feed(etab))
}

/// Where the secret feeds are served (no session): `/agenda/<token>/…`.
pub const FEED_PREFIX: &str = "/agenda/";
/// The route of a feed (its template is what metrics record).
pub const FEED_ROUTE: &str = "/agenda/{token}/reservations.ics";
/// A feed's path, with its secret token.
pub fn feed(token: &str) -> String {
    format!("{FEED_PREFIX}{token}/reservations.ics")
}
pub fn is_feed(path: &str) -> bool {
    path.starts_with(FEED_PREFIX)
}

/// A path as it may be logged: a feed's secret token is replaced by
/// `[redacted]`; any other path is returned as it is.
pub fn redact_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix(FEED_PREFIX) {
        Some(rest) => {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            std::borrow::Cow::Owned(format!("{FEED_PREFIX}[redacted]{tail}"))
        }
        None => std::borrow::Cow::Borrowed(path),
    }
}

/// The occupancy indicators (`?periode=30|90|365|annee`).
pub fn occupancy(etab: Uuid) -> String {
    format!("{}/occupation", home(etab))
}

#[cfg(test)]
mod feed_tests {
    use super::*;

    #[test]
    fn the_feed_token_is_redacted_from_logged_paths() {
        let token = "s3cr3t-T0ken_abcdefghijklmnopqrstuvwxyz0123456";
        let p = feed(token);
        let r = redact_path(&p);
        assert!(!r.contains(token), "{r}");
        assert_eq!(r, "/agenda/[redacted]/reservations.ics");
        // Without the file name, or with anything after the token.
        assert_eq!(
            redact_path(&format!("/agenda/{token}")),
            "/agenda/[redacted]"
        );
        assert_eq!(
            redact_path(&format!("/agenda/{token}/x/y")),
            "/agenda/[redacted]/x/y"
        );
        // Other paths are kept.
        assert_eq!(
            redact_path("/etablissements/x/reservations"),
            "/etablissements/x/reservations"
        );
    }
}
