//! Réservations: the school's timetable, its bookable resources and their
//! rules, booking (one-off or weekly, with its preview), the week of a
//! resource, the school's day and one's own bookings. Every page works
//! without JavaScript.

mod booking;
mod feeds;
mod occupancy;
mod resources;
mod timetable;
mod views;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use refnum_domain::booking::fmt_hhmm;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/reservations", get(resources::home))
        .route(
            "/etablissements/{id}/reservations/ressources",
            post(resources::add),
        )
        .route(
            "/etablissements/{id}/reservations/ressources/{rid}",
            get(views::week),
        )
        .route(
            "/etablissements/{id}/reservations/ressources/{rid}/regles",
            get(resources::rules_form).post(resources::rules_submit),
        )
        .route(
            "/etablissements/{id}/reservations/ressources/{rid}/reserver",
            get(booking::form).post(booking::submit),
        )
        .route(
            "/etablissements/{id}/reservations/horaires",
            get(timetable::page),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/creneaux",
            post(timetable::slot_add),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/creneaux/{sid}",
            get(timetable::slot_form).post(timetable::slot_update),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/creneaux/{sid}/supprimer",
            post(timetable::slot_delete),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/zone",
            post(timetable::zone),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/conges",
            post(timetable::day_off_add),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/conges/import",
            post(timetable::import).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/etablissements/{id}/reservations/horaires/conges/{did}/supprimer",
            post(timetable::day_off_delete),
        )
        .route(
            "/etablissements/{id}/reservations/mes-reservations",
            get(views::mine),
        )
        .route("/etablissements/{id}/reservations/jour", get(views::day))
        .route(
            "/etablissements/{id}/reservations/{bid}/annuler",
            post(booking::cancel),
        )
        .route(
            "/etablissements/{id}/reservations/{bid}/decision",
            post(booking::decide),
        )
        .route(
            "/etablissements/{id}/reservations/ressources/{rid}/agenda",
            post(feeds::resource_create),
        )
        .route(
            "/etablissements/{id}/reservations/ressources/{rid}/agenda/revoquer",
            post(feeds::resource_revoke),
        )
        .route(
            "/etablissements/{id}/reservations/mes-reservations/agenda",
            post(feeds::mine_create),
        )
        .route(
            "/etablissements/{id}/reservations/mes-reservations/agenda/revoquer",
            post(feeds::mine_revoke),
        )
        .route(crate::urls::reservations::FEED_ROUTE, get(feeds::serve))
        .route(
            "/etablissements/{id}/reservations/occupation",
            get(occupancy::page),
        )
}

/// An id from the path: anything else is not found.
fn path_id(s: &str) -> Result<uuid::Uuid, crate::errors::PageError> {
    uuid::Uuid::parse_str(s).map_err(|_| crate::errors::PageError::NotFound)
}

/// `lundi 5 janvier` style labels come from the catalogue: `resa-weekday-N`.
fn weekday_label(tr: crate::i18n::Tr, d: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {}",
        tr.t(&format!(
            "resa-weekday-{}",
            d.weekday().number_from_monday()
        )),
        d.format("%d/%m/%Y")
    )
}

fn hours(start: i32, end: i32) -> String {
    format!("{}–{}", fmt_hhmm(start), fmt_hhmm(end))
}

fn status_label(tr: crate::i18n::Tr, status: &str) -> String {
    tr.t(&format!("resa-status-{status}"))
}

fn role_label(tr: crate::i18n::Tr, role: &str) -> String {
    super::role_label(tr, role)
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, Tr};

    #[test]
    fn every_status_and_weekday_has_a_label() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for s in ["pending", "approved", "refused", "cancelled"] {
                assert!(tr.has(&format!("resa-status-{s}")), "{s}");
            }
            for d in 1..=7 {
                assert!(tr.has(&format!("resa-weekday-{d}")), "{d}");
            }
            for k in [
                "booking-pending",
                "booking-approved",
                "booking-refused",
                "booking-cancelled",
                "booking-made-for-you",
            ] {
                assert!(tr.has(&format!("ticket-notif-{k}")), "{k}");
            }
        }
    }
}
