//! Parc pages: the asset list with its filters and bulk edits, one asset
//! (details, history), the asset form, rooms and buildings. The services ask
//! the policy; these handlers extract, call and render.

mod assets;
pub(crate) mod fichiers;
mod list;
mod places;

use crate::AppState;
use crate::i18n::Tr;
use crate::urls;
use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/parc", get(list::list))
        .route("/etablissements/{id}/parc/groupe", post(list::bulk))
        .route(
            "/etablissements/{id}/parc/nouveau",
            get(assets::new_form).post(assets::create),
        )
        .route(
            "/etablissements/{id}/parc/equipements/{aid}",
            get(assets::show),
        )
        .route(
            "/etablissements/{id}/parc/equipements/{aid}/modifier",
            get(assets::edit_form).post(assets::edit),
        )
        .route(
            "/etablissements/{id}/parc/equipements/{aid}/etat",
            post(assets::status),
        )
        .route(
            "/etablissements/{id}/parc/salles",
            get(places::rooms).post(places::room_create),
        )
        .route("/etablissements/{id}/parc/salles/{rid}", get(places::room))
        .route(
            "/etablissements/{id}/parc/salles/{rid}/modifier",
            get(places::room_edit_form).post(places::room_edit),
        )
        .route(
            "/etablissements/{id}/parc/salles/{rid}/supprimer",
            post(places::room_delete),
        )
        .route(
            "/etablissements/{id}/parc/batiments",
            get(places::buildings).post(places::building_create),
        )
        .route(
            "/etablissements/{id}/parc/batiments/{bid}/modifier",
            get(places::building_edit_form).post(places::building_edit),
        )
        .route(
            "/etablissements/{id}/parc/batiments/{bid}/supprimer",
            post(places::building_delete),
        )
}

/// One link of the parc's own navigation.
pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The parc's tabs; the import and labels only for those who manage it.
fn tabs(tr: Tr, etab: Uuid, current: &str, manage: bool) -> Vec<Tab> {
    let mut items = vec![
        ("assets", urls::parc::assets(etab), "parc-tab-assets"),
        ("places", urls::parc::rooms(etab), "parc-tab-places"),
    ];
    if manage {
        items.push(("import", urls::parc::import(etab), "parc-tab-import"));
        items.push(("labels", urls::parc::labels(etab), "parc-tab-labels"));
    }
    items
        .into_iter()
        .map(|(key, href, label)| Tab {
            href,
            label: tr.t(label),
            current: key == current,
        })
        .collect()
}

fn category_label(tr: Tr, code: &str) -> String {
    tr.t(&format!("parc-category-{code}"))
}

fn status_label(tr: Tr, code: &str) -> String {
    tr.t(&format!("parc-status-{code}"))
}

fn owner_label(tr: Tr, code: &str) -> String {
    tr.t(&format!("parc-owner-{code}"))
}

fn room_kind_label(tr: Tr, code: &str) -> String {
    tr.t(&format!("parc-room-kind-{code}"))
}

/// A day as the French write it.
fn fmt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}
