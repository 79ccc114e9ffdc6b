//! Parc files in the browser: asset list import (upload → preview → apply
//! or discard), CSV and ODS exports, printable QR label sheets.
//!
//! - The uploaded file is kept only between the preview and the apply or
//!   discard, under `<files_dir>/parc-imports/<school>/<random id>.csv`;
//!   apply re-reads it (and the school's current state) in its
//!   transaction. Previews left over are removed after
//!   [`PREVIEW_TTL_HOURS`] by the next upload.
//! - Uploads are streamed past the global body limit (see
//!   `urls::is_streamed_upload`) and cut at
//!   [`files::MAX_UPLOAD_BYTES`]; the CSRF token is the first multipart
//!   field.
//! - The QR code encodes `<origin>/q/<token>`: the origin is the
//!   `public_url` setting when set, else the request's `Host` with `https`
//!   (or `http` when cookies are not marked secure, i.e. plain-http local
//!   installs).
//! - Exports and labels take the asset list's filters (same GET names).

use crate::AppState;
use crate::i18n::{Lang, Tr};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use refnum_io::parc::vocabulary::{CATEGORY_CODES, Kind, OWNER_CODES, STATUS_CODES, Vocabulary};
use uuid::Uuid;

/// Previews not applied within this delay are removed.
pub const PREVIEW_TTL_HOURS: u64 = 24;

mod etiquettes;
mod exports;
mod import;

pub(crate) use etiquettes::origin;
use etiquettes::{labels_css, labels_page};
use exports::{export_csv, export_ods};
use import::{apply, discard, import_form, preview, upload};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/etablissements/{id}/parc/import",
            get(import_form)
                .post(upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/etablissements/{id}/parc/import/{iid}", get(preview))
        .route(
            "/etablissements/{id}/parc/import/{iid}/appliquer",
            post(apply),
        )
        .route(
            "/etablissements/{id}/parc/import/{iid}/abandonner",
            post(discard),
        )
        .route("/etablissements/{id}/parc/export.csv", get(export_csv))
        .route("/etablissements/{id}/parc/export.ods", get(export_ods))
        .route("/etablissements/{id}/parc/etiquettes", get(labels_page))
        .route(LABELS_CSS_PATH, get(labels_css))
}

// -------------------------------------------------------------------- paths

pub fn import_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/import")
}
pub(super) fn preview_path(etab: Uuid, iid: Uuid) -> String {
    format!("/etablissements/{etab}/parc/import/{iid}")
}
pub(super) fn export_csv_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/export.csv")
}
pub(super) fn export_ods_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/export.ods")
}
pub(super) fn labels_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/etiquettes")
}
pub(super) const LABELS_CSS_PATH: &str = "/assets/labels.css";

// --------------------------------------------------------------- vocabulary

/// Words an import understands: built-in ones and the labels of both
/// catalogues, so that an export re-imports whatever its language.
pub(super) fn vocabulary() -> Vocabulary {
    let mut v = Vocabulary::default();
    for lang in [Lang::Fr, Lang::En] {
        let tr = Tr(lang);
        for (kind, prefix, codes) in [
            (Kind::Category, "parc-category-", &CATEGORY_CODES[..]),
            (Kind::Status, "parc-status-", &STATUS_CODES[..]),
            (Kind::Owner, "parc-owner-", &OWNER_CODES[..]),
        ] {
            for code in codes {
                let key = format!("{prefix}{code}");
                if tr.has(&key) {
                    v.add(kind, &tr.t(&key), code);
                }
            }
        }
    }
    v
}

/// The label of a code (`parc-category-laptop`), or the code itself.
pub(super) fn code_label(tr: Tr, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}{code}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        code.to_string()
    }
}
