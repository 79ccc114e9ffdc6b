//! The asset list's CSV and ODS exports, with the list's filters.

use super::code_label;
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::pages::SignedIn;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use refnum_db::parc::{AssetFilter, AssetSort, WarrantyFilter};
use refnum_io::parc::export::{self as ods_csv, AssetLine};
use refnum_io::parc::vocabulary::{CATEGORY_CODES, OWNER_CODES, STATUS_CODES};
use refnum_services::parc::files::{self, AssetView};
use uuid::Uuid;

// ------------------------------------------------------------------ filters

/// The asset list's filters, as GET parameters: the same names and values
/// as the list page (`pages::parc::list::ListParams`), plus the label
/// sheet's own.
#[derive(serde::Deserialize, Default, Clone)]
pub struct FilterQuery {
    pub(super) q: Option<String>,
    pub(super) categorie: Option<String>,
    /// A status code, `tous` (retired included) or empty.
    pub(super) etat: Option<String>,
    pub(super) proprietaire: Option<String>,
    /// A room id, `aucune` (unplaced) or empty.
    pub(super) salle: Option<String>,
    pub(super) batiment: Option<String>,
    /// `expiree`, `bientot`, `en-cours`, `inconnue`.
    pub(super) garantie: Option<String>,
    pub(super) parent: Option<String>,
    pub(super) tri: Option<String>,
    pub(super) ordre: Option<String>,
    // Labels only.
    pub(super) format: Option<String>,
    pub(super) decalage: Option<String>,
    pub(super) equipement: Option<String>,
}

pub(super) fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(100).collect())
}

impl FilterQuery {
    /// The assets chosen one by one: `equipement=<id>` or, from the list's
    /// selection, `equipement=<id>,<id>…`; each once, in order. Empty when
    /// none is given or one is not an id.
    pub(super) fn selection(&self) -> Vec<Uuid> {
        let Some(raw) = self
            .equipement
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return vec![];
        };
        let mut out: Vec<Uuid> = vec![];
        for part in raw.split(',').take(files::MAX_LABELS) {
            match part.trim().parse::<Uuid>() {
                Ok(id) if !out.contains(&id) => out.push(id),
                Ok(_) => {}
                Err(_) => return vec![],
            }
        }
        out
    }

    pub(super) fn filter(&self) -> AssetFilter {
        let code = |v: &Option<String>, codes: &[&str]| {
            non_empty(v).filter(|c| codes.contains(&c.as_str()))
        };
        let uuid = |v: &Option<String>| non_empty(v).and_then(|s| s.parse::<Uuid>().ok());
        let etat = non_empty(&self.etat).unwrap_or_default();
        AssetFilter {
            q: non_empty(&self.q),
            category: code(&self.categorie, &CATEGORY_CODES),
            status: code(&self.etat, &STATUS_CODES),
            include_retired: etat == "tous",
            owner: code(&self.proprietaire, &OWNER_CODES),
            room: uuid(&self.salle),
            building: uuid(&self.batiment),
            warranty: match non_empty(&self.garantie).as_deref() {
                Some("expiree") => Some(WarrantyFilter::Expired),
                Some("bientot") => Some(WarrantyFilter::EndsSoon),
                Some("en-cours") => Some(WarrantyFilter::Covered),
                Some("inconnue") => Some(WarrantyFilter::Unknown),
                _ => None,
            },
            parent: uuid(&self.parent),
            unplaced: non_empty(&self.salle).as_deref() == Some("aucune"),
            today: None,
            sort: match non_empty(&self.tri).as_deref() {
                Some("categorie") => AssetSort::Category,
                Some("modele") => AssetSort::Model,
                Some("salle") => AssetSort::Room,
                Some("etat") => AssetSort::Status,
                Some("achat") => AssetSort::PurchaseDate,
                Some("garantie") => AssetSort::WarrantyEnd,
                Some("modifie") => AssetSort::Updated,
                _ => AssetSort::InventoryNumber,
            },
            desc: self.ordre.as_deref() == Some("desc"),
            page: 0,
            per_page: files::EXPORT_PAGE,
        }
    }
}

// ------------------------------------------------------------------ exports

pub(super) fn asset_line(tr: Tr, v: &AssetView) -> AssetLine {
    let a = &v.asset;
    AssetLine {
        inventory_number: a.inventory_number.clone(),
        category: code_label(tr, "parc-category-", &a.category),
        manufacturer: a.manufacturer.clone(),
        model: a.model.clone(),
        serial: a.serial.clone(),
        owner: a
            .owner_label
            .clone()
            .unwrap_or_else(|| code_label(tr, "parc-owner-", &a.owner)),
        funding: a.funding.clone().unwrap_or_default(),
        purchase_date: a.purchase_date,
        warranty_end: a.warranty_end,
        room: v.room.clone().unwrap_or_default(),
        building: v.building.clone().unwrap_or_default(),
        status: code_label(tr, "parc-status-", &a.status),
        parent: v.parent.clone().unwrap_or_default(),
        holder: a.holder_name.clone().unwrap_or_default(),
        notes: a.notes.clone(),
    }
}

/// `parc-<UAI>-<date>.<ext>`: nothing but ASCII letters, digits and dashes.
pub(super) fn file_name(uai: &str, ext: &str) -> String {
    let uai: String = uai.chars().filter(char::is_ascii_alphanumeric).collect();
    format!(
        "parc-{uai}-{}.{ext}",
        chrono::Utc::now().date_naive().format("%Y-%m-%d")
    )
}

pub(super) fn attachment(content_type: &'static str, name: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub(super) async fn export_csv(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(fq): Query<FilterQuery>,
) -> Result<Response, PageError> {
    let scope = files::export_scope(&state.db, &s.ctx, id).await?;
    let name = file_name(&scope.etab.uai, "csv");
    let filter = fq.filter();
    let tr = s.shell.tr;
    let head = ods_csv::csv_head().map_err(|_| PageError::Internal)?;
    let scope = std::sync::Arc::new(scope);
    // Written a page of rows at a time: the whole list is never held.
    let stream =
        futures_util::stream::unfold((Some(head), 0u64, false), move |(head, page, done)| {
            let state = state.clone();
            let scope = scope.clone();
            let filter = filter.clone();
            async move {
                if let Some(h) = head {
                    return Some((Ok(Bytes::from(h)), (None, page, done)));
                }
                if done {
                    return None;
                }
                let failed = || {
                    Some((
                        Err(std::io::Error::other("asset export failed")),
                        (None, page, true),
                    ))
                };
                let rows = match files::export_page(&state.db, &scope, &filter, page).await {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!(error = %e, "asset export failed");
                        return failed();
                    }
                };
                let last = (rows.len() as u64) < files::EXPORT_PAGE;
                let mut buf = Vec::new();
                for r in &rows {
                    match ods_csv::csv_line(&asset_line(tr, r)) {
                        Ok(l) => buf.extend(l),
                        Err(_) => return failed(),
                    }
                }
                Some((
                    Ok::<Bytes, std::io::Error>(Bytes::from(buf)),
                    (None, page + 1, last),
                ))
            }
        });
    Ok(attachment(
        "text/csv; charset=utf-8",
        &name,
        Body::from_stream(stream),
    ))
}

pub(super) async fn export_ods(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(fq): Query<FilterQuery>,
) -> Result<Response, PageError> {
    let scope = files::export_scope(&state.db, &s.ctx, id).await?;
    let filter = fq.filter();
    let tr = s.shell.tr;
    let mut lines = Vec::new();
    let mut page = 0;
    loop {
        let rows = files::export_page(&state.db, &scope, &filter, page).await?;
        let last = (rows.len() as u64) < files::EXPORT_PAGE;
        lines.extend(rows.iter().map(|r| asset_line(tr, r)));
        if last || lines.len() > ods_csv::ODS_MAX_ROWS {
            break;
        }
        page += 1;
    }
    if lines.len() > ods_csv::ODS_MAX_ROWS {
        return Err(PageError::BadRequest);
    }
    let sheet = tr.t("parcfiles-export-sheet");
    let bytes = tokio::task::spawn_blocking(move || ods_csv::ods(&sheet, &lines))
        .await
        .map_err(|_| PageError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "ODS export failed");
            PageError::Internal
        })?;
    Ok(attachment(
        "application/vnd.oasis.opendocument.spreadsheet",
        &file_name(&scope.etab.uai, "ods"),
        Body::from(bytes),
    ))
}
