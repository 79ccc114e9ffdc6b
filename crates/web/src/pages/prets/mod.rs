//! Loans: the school's list (out, overdue, returned; a borrower's history),
//! one's own loans, the departure form, one loan with its signatures and
//! its return form, the printable convention, the loan charter's versions.

mod charte;
mod depart;
mod liste;
mod materiel;
mod pret;
mod retour;

pub use materiel::{AssetLoan, for_asset};

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/prets", get(liste::list))
        .route(
            "/etablissements/{id}/prets/nouveau",
            get(depart::new_form).post(depart::create),
        )
        .route("/etablissements/{id}/prets/mes-prets", get(liste::mine))
        .route(
            "/etablissements/{id}/prets/materiels",
            get(depart::asset_suggestions),
        )
        .route(
            "/etablissements/{id}/prets/charte",
            get(charte::charters).post(charte::charter_add),
        )
        .route("/etablissements/{id}/prets/{lid}", get(pret::show))
        .route(
            "/etablissements/{id}/prets/{lid}/convention",
            get(pret::convention_page),
        )
        .route(
            "/etablissements/{id}/prets/{lid}/signature",
            post(pret::sign),
        )
        .route(
            "/etablissements/{id}/prets/{lid}/retour",
            get(retour::return_form).post(retour::give_back_submit),
        )
}

/// A loan id from the path: anything else is not found.
pub(super) fn loan_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

pub(super) fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub(super) fn code_label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

pub(super) fn cut(s: &Option<String>, n: usize) -> String {
    s.as_deref().unwrap_or("").trim().chars().take(n).collect()
}

/// The value of a form field (the last one sent).
pub(super) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}
