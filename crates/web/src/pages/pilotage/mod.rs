//! Pilotage: the school's mission letters (list, one letter with its life
//! cycle, its form, its printable A4 page, its year-end review) and the
//! comité numérique (`comite`); the training plan (`formations`); the digital
//! part of the school project (`projet`).

mod accueil;
mod comite;
mod etapes;
mod formations;
mod formulaire;
mod lettres;
mod projet;
mod revue;

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use axum::Router;
use axum::routing::{get, post};
use refnum_domain::pilotage::Axis;
use refnum_domain::pilotage::imp::{Remuneration, euros};
use refnum_domain::pilotage::indicateurs::{Metric, Unit, format_value};
use refnum_domain::pilotage::lettre::LetterStatus;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(comite::router())
        .merge(formations::router())
        .merge(projet::router())
        .route("/etablissements/{id}/pilotage", get(accueil::home))
        .route("/etablissements/{id}/pilotage/lettres", get(lettres::list))
        .route(
            "/etablissements/{id}/pilotage/lettres/nouvelle",
            get(formulaire::new_form).post(formulaire::create),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}",
            get(lettres::show),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/modifier",
            get(formulaire::edit_form).post(formulaire::update),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/imprimer",
            get(lettres::print),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/etape",
            post(etapes::step),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/signature",
            post(etapes::sign),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/prise-de-connaissance",
            post(etapes::acknowledge),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/avenant",
            post(etapes::amend),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/copie",
            post(etapes::copy),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/revue",
            get(revue::form).post(revue::submit),
        )
        .route(
            "/etablissements/{id}/pilotage/lettres/{lid}/commentaires",
            post(etapes::comment),
        )
}

/// The value of a form field (the last one sent): the loans' forms' helper.
use super::prets::field;

/// A letter id from the path: anything else is not found.
fn letter_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

fn code_key(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('_', "-"))
}

pub(crate) fn axis_label(tr: Tr, a: Axis) -> String {
    tr.t(&code_key("pilotage-axis", a.as_str()))
}

pub(crate) fn status_label(tr: Tr, s: LetterStatus) -> String {
    tr.t(&code_key("pilotage-status", s.as_str()))
}

/// The tag a status wears: a draft muted, a proposed letter waiting, a
/// signed or reviewed one done.
pub(crate) fn status_tag(s: LetterStatus) -> &'static str {
    match s {
        LetterStatus::Draft => "muted",
        LetterStatus::Proposed => "warn",
        LetterStatus::Signed | LetterStatus::Reviewed => "ok",
    }
}

pub(crate) fn metric_label(tr: Tr, m: Metric) -> String {
    tr.t(&code_key("pilotage-metric", m.as_str()))
}

pub(crate) fn unit_label(tr: Tr, u: Unit) -> String {
    tr.t(&code_key("pilotage-unit", u.as_str()))
}

/// A value with its unit: "92,5 %", "3 jours", "12", "25 pour 100 élèves".
pub(crate) fn value_text(tr: Tr, unit: Unit, thousandths: i64) -> String {
    tr.t_args(
        &code_key("pilotage-value", unit.as_str()),
        &[("value", format_value(thousandths))],
    )
}

/// The referent's pay: "IMP 1 250,00 € × 1/2, soit 625,00 € par an", or
/// "36 heures sur l'année".
pub(crate) fn remuneration_text(tr: Tr, r: &Remuneration) -> String {
    match *r {
        Remuneration::Imp { rate_cents, share } => tr.t_args(
            "pilotage-pay-imp",
            &[
                ("rate", euros(rate_cents)),
                ("share", share.label()),
                ("yearly", euros(r.yearly_cents().unwrap_or(0))),
            ],
        ),
        Remuneration::Hours { hours } => {
            tr.t_args("pilotage-pay-hours", &[("hours", hours.to_string())])
        }
    }
}

/// A date and time written in full, in the instance's zone, for what is
/// signed and printed: "le 7 décembre 2026 à 18 h 45".
pub(crate) fn long_date(tr: Tr, at: &chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let local = at.with_timezone(&crate::time::zone());
    let month = tr.t(&format!("pilotage-month-{}", local.month()));
    tr.t_args(
        "pilotage-long-date",
        &[
            ("day", local.day().to_string()),
            ("month", month),
            ("year", local.year().to_string()),
            ("hour", local.hour().to_string()),
            ("minute", format!("{:02}", local.minute())),
        ],
    )
}
