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

use super::{Opt, SignedIn, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors};
use crate::i18n::{Lang, Tr};
use crate::page::Page;
use crate::session::DeferredCsrf;
use crate::urls;
use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use refnum_db::parc::{AssetFilter, AssetSort, WarrantyFilter};
use refnum_domain::policy::EtabAction;
use refnum_io::parc::export::{self as ods_csv, AssetLine};
use refnum_io::parc::import::Issue;
use refnum_io::parc::labels::{self, SheetLayout};
use refnum_io::parc::vocabulary::{CATEGORY_CODES, Kind, OWNER_CODES, STATUS_CODES, Vocabulary};
use refnum_services::orgs;
use refnum_services::parc::files::{self, AssetView, ImportPlan};
use std::path::PathBuf;
use uuid::Uuid;

/// Previews not applied within this delay are removed.
pub const PREVIEW_TTL_HOURS: u64 = 24;

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
fn preview_path(etab: Uuid, iid: Uuid) -> String {
    format!("/etablissements/{etab}/parc/import/{iid}")
}
fn export_csv_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/export.csv")
}
fn export_ods_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/export.ods")
}
fn labels_path(etab: Uuid) -> String {
    format!("/etablissements/{etab}/parc/etiquettes")
}
const LABELS_CSS_PATH: &str = "/assets/labels.css";

// --------------------------------------------------------------- vocabulary

/// Words an import understands: built-in ones and the labels of both
/// catalogues, so that an export re-imports whatever its language.
fn vocabulary() -> Vocabulary {
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
fn code_label(tr: Tr, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}{code}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        code.to_string()
    }
}

// ------------------------------------------------------------------- import

#[derive(Template)]
#[template(path = "parc_files/import_form.html")]
struct ImportForm {
    page: Page,
    action: String,
    back: String,
    school: String,
    columns: Vec<&'static str>,
    errors: FormErrors,
    file_hint: String,
    export_csv: String,
    export_ods: String,
}

fn file_hint(tr: Tr) -> String {
    tr.t_args(
        "parcfiles-field-file-hint",
        &[("mb", (files::MAX_UPLOAD_BYTES / (1024 * 1024)).to_string())],
    )
}

async fn import_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let etab = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageParc).await?;
    Ok(render(&ImportForm {
        action: import_path(id),
        back: urls::parc::assets(id),
        school: etab.name,
        columns: refnum_io::parc::COLUMNS.to_vec(),
        errors: FormErrors::default(),
        file_hint: file_hint(s.shell.tr),
        export_csv: export_csv_path(id),
        export_ods: export_ods_path(id),
        page: s.shell.page("parcfiles-import-title"),
    }))
}

fn uploads_dir(state: &AppState, etab: Uuid) -> PathBuf {
    state
        .config
        .files_dir
        .join("parc-imports")
        .join(etab.to_string())
}

fn upload_file(state: &AppState, etab: Uuid, iid: Uuid) -> PathBuf {
    uploads_dir(state, etab).join(format!("{iid}.csv"))
}

/// Removes previews older than [`PREVIEW_TTL_HOURS`] (all schools).
async fn sweep_stale(state: &AppState) {
    let root = state.config.files_dir.join("parc-imports");
    let Ok(mut schools) = tokio::fs::read_dir(&root).await else {
        return;
    };
    let ttl = std::time::Duration::from_secs(PREVIEW_TTL_HOURS * 3600);
    while let Ok(Some(dir)) = schools.next_entry().await {
        let Ok(mut entries) = tokio::fs::read_dir(dir.path()).await else {
            continue;
        };
        while let Ok(Some(f)) = entries.next_entry().await {
            let old = f
                .metadata()
                .await
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ttl);
            if old {
                let _ = tokio::fs::remove_file(f.path()).await;
            }
        }
    }
}

/// Reads a little of a refused body so that the answer reaches the client.
async fn drain(mp: &mut Multipart) {
    let mut budget: usize = 2 * 1024 * 1024;
    while let Ok(Some(mut f)) = mp.next_field().await {
        while let Ok(Some(chunk)) = f.chunk().await {
            budget = budget.saturating_sub(chunk.len());
            if budget == 0 {
                return;
            }
        }
    }
}

fn forbidden_csrf(tr: Tr) -> Response {
    (StatusCode::FORBIDDEN, tr.t("parcfiles-error-csrf")).into_response()
}

async fn upload(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    csrf: Option<Extension<DeferredCsrf>>,
    mut mp: Multipart,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let Some(Extension(csrf)) = csrf else {
        return Ok(forbidden_csrf(tr));
    };
    let token = match mp.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf_token") => f.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    if !csrf.matches(&token) {
        drain(&mut mp).await;
        return Ok(forbidden_csrf(tr));
    }
    let etab = match orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageParc).await {
        Ok(e) => e,
        Err(e) => {
            drain(&mut mp).await;
            return Err(e.into());
        }
    };
    let refuse = |s: SignedIn, status: StatusCode, key: &str| {
        render_status(
            status,
            &ImportForm {
                errors: FormErrors::one(tr, "file", key),
                page: s.shell.page("parcfiles-import-title"),
                action: import_path(id),
                back: urls::parc::assets(id),
                school: etab.name.clone(),
                columns: refnum_io::parc::COLUMNS.to_vec(),
                file_hint: file_hint(tr),
                export_csv: export_csv_path(id),
                export_ods: export_ods_path(id),
            },
        )
    };
    let mut data: Option<Vec<u8>> = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Ok(refuse(s, StatusCode::BAD_REQUEST, "parcfiles-error-upload"));
            }
        };
        if field.name() != Some("file") || field.file_name().is_none_or(str::is_empty) {
            continue;
        }
        let mut buf = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(bytes)) => {
                    if buf.len() + bytes.len() > files::MAX_UPLOAD_BYTES {
                        drop(field);
                        drain(&mut mp).await;
                        return Ok(refuse(
                            s,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "parcfiles-error-too-big",
                        ));
                    }
                    buf.extend_from_slice(&bytes);
                }
                Ok(None) => break,
                Err(_) => {
                    return Ok(refuse(s, StatusCode::BAD_REQUEST, "parcfiles-error-upload"));
                }
            }
        }
        data = Some(buf);
        break;
    }
    let Some(data) = data else {
        return Ok(refuse(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "parcfiles-error-no-file",
        ));
    };
    sweep_stale(&state).await;
    let iid = Uuid::new_v4();
    let dir = uploads_dir(&state, id);
    let path = upload_file(&state, id, iid);
    let stored = async {
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::write(&path, &data).await
    }
    .await;
    if let Err(e) = stored {
        tracing::error!(error = %e, "could not keep an uploaded asset list");
        return Err(PageError::Internal);
    }
    Ok(Redirect::to(&preview_path(id, iid)).into_response())
}

async fn read_upload(state: &AppState, id: Uuid, iid: Uuid) -> Result<Vec<u8>, PageError> {
    match tokio::fs::read(upload_file(state, id, iid)).await {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(PageError::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "could not read an uploaded asset list");
            Err(PageError::Internal)
        }
    }
}

/// One problem as the preview shows it.
struct IssueView {
    line: String,
    column: String,
    message: String,
    value: String,
}

fn issue_view(tr: Tr, i: &Issue) -> IssueView {
    IssueView {
        line: i.line.map(|l| l.to_string()).unwrap_or_default(),
        column: i.column.clone().unwrap_or_default(),
        message: tr.t(i.key),
        value: i.value.clone().unwrap_or_default(),
    }
}

struct LineView {
    line: u64,
    inventory_number: String,
    action: String,
    changes: String,
}

struct Count {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "parc_files/preview.html")]
struct PreviewPage {
    page: Page,
    school: String,
    counts: Vec<Count>,
    new_buildings: Vec<String>,
    new_rooms: Vec<String>,
    issues: Vec<IssueView>,
    issues_truncated: bool,
    warnings: Vec<IssueView>,
    lines: Vec<LineView>,
    can_apply: bool,
    nothing_to_do: bool,
    apply_action: String,
    discard_action: String,
    back: String,
    errors: FormErrors,
}

fn preview_page(
    s: SignedIn,
    school: String,
    id: Uuid,
    iid: Uuid,
    plan: &ImportPlan,
    errors: FormErrors,
) -> PreviewPage {
    let tr = s.shell.tr;
    let format = match plan.format {
        Some(f) => tr.t(&format!("parcfiles-format-{}", f.as_str())),
        None => "—".into(),
    };
    let counts = vec![
        Count {
            label: tr.t("parcfiles-preview-format"),
            value: format,
        },
        Count {
            label: tr.t("parcfiles-preview-encoding"),
            value: format!("{} ({})", plan.encoding, plan.separator),
        },
        Count {
            label: tr.t("parcfiles-preview-rows"),
            value: plan.rows.to_string(),
        },
        Count {
            label: tr.t("parcfiles-preview-added"),
            value: plan.added.to_string(),
        },
        Count {
            label: tr.t("parcfiles-preview-updated"),
            value: plan.updated.to_string(),
        },
        Count {
            label: tr.t("parcfiles-preview-unchanged"),
            value: plan.unchanged.to_string(),
        },
        Count {
            label: tr.t("parcfiles-preview-errors-count"),
            value: plan.errors.len().to_string(),
        },
    ];
    let field_label = |f: &str| {
        let key = format!("parcfiles-field-{}", f.replace('_', "-"));
        if tr.has(&key) {
            tr.t(&key)
        } else {
            f.to_string()
        }
    };
    let lines = plan
        .lines
        .iter()
        .map(|l| LineView {
            line: l.line,
            inventory_number: l.inventory_number.clone(),
            action: tr.t(&format!("parcfiles-action-{}", l.op.as_str())),
            changes: l
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{} : {} → {}",
                        field_label(&c.field),
                        if c.from.is_empty() { "∅" } else { &c.from },
                        if c.to.is_empty() { "∅" } else { &c.to }
                    )
                })
                .collect::<Vec<_>>()
                .join(" ; "),
        })
        .collect();
    PreviewPage {
        school,
        counts,
        new_buildings: plan.new_buildings.clone(),
        new_rooms: plan
            .new_rooms
            .iter()
            .map(|(r, b)| match b {
                Some(b) => format!("{r} ({b})"),
                None => r.clone(),
            })
            .collect(),
        issues: plan.errors.iter().map(|i| issue_view(tr, i)).collect(),
        issues_truncated: plan.errors_truncated,
        warnings: plan.warnings.iter().map(|i| issue_view(tr, i)).collect(),
        lines,
        can_apply: plan.errors.is_empty() && plan.rows > 0,
        nothing_to_do: plan.errors.is_empty() && plan.added == 0 && plan.updated == 0,
        apply_action: format!("{}/appliquer", preview_path(id, iid)),
        discard_action: format!("{}/abandonner", preview_path(id, iid)),
        back: import_path(id),
        errors,
        page: s.shell.page("parcfiles-preview-title"),
    }
}

async fn preview(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, iid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let etab = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageParc).await?;
    let bytes = read_upload(&state, id, iid).await?;
    let plan = files::preview(&state.db, &s.ctx, id, &bytes, &vocabulary()).await?;
    Ok(render(&preview_page(
        s,
        etab.name,
        id,
        iid,
        &plan,
        FormErrors::default(),
    )))
}

async fn apply(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, iid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let etab = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageParc).await?;
    let bytes = read_upload(&state, id, iid).await?;
    let vocab = vocabulary();
    match files::apply(&state.db, &s.ctx, id, &bytes, &vocab).await {
        Ok(_) => {
            let _ = tokio::fs::remove_file(upload_file(&state, id, iid)).await;
            Ok(Redirect::to(&format!(
                "{}?fait=parcfiles-imported",
                urls::parc::assets(id)
            ))
            .into_response())
        }
        Err(refnum_services::ServiceError::Invalid(errs)) => {
            let tr = s.shell.tr;
            let plan = files::preview(&state.db, &s.ctx, id, &bytes, &vocab).await?;
            let errors = FormErrors {
                items: errs
                    .iter()
                    .map(|e| FieldMsg {
                        field: "apply".into(),
                        message: tr.t(e.key),
                    })
                    .collect(),
            };
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &preview_page(s, etab.name, id, iid, &plan, errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn discard(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, iid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageParc).await?;
    match tokio::fs::remove_file(upload_file(&state, id, iid)).await {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PageError::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "could not remove an uploaded asset list");
            return Err(PageError::Internal);
        }
    }
    Ok(Redirect::to(&format!("{}?fait=parcfiles-discarded", import_path(id))).into_response())
}

// ------------------------------------------------------------------ filters

/// The asset list's filters, as GET parameters: the same names and values
/// as the list page (`pages::parc::list::ListParams`), plus the label
/// sheet's own.
#[derive(serde::Deserialize, Default, Clone)]
pub struct FilterQuery {
    q: Option<String>,
    categorie: Option<String>,
    /// A status code, `tous` (retired included) or empty.
    etat: Option<String>,
    proprietaire: Option<String>,
    /// A room id, `aucune` (unplaced) or empty.
    salle: Option<String>,
    batiment: Option<String>,
    /// `expiree`, `bientot`, `en-cours`, `inconnue`.
    garantie: Option<String>,
    parent: Option<String>,
    tri: Option<String>,
    ordre: Option<String>,
    // Labels only.
    format: Option<String>,
    decalage: Option<String>,
    equipement: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(100).collect())
}

impl FilterQuery {
    /// The assets chosen one by one: `equipement=<id>` or, from the list's
    /// selection, `equipement=<id>,<id>…`; each once, in order. Empty when
    /// none is given or one is not an id.
    fn selection(&self) -> Vec<Uuid> {
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

    fn filter(&self) -> AssetFilter {
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

fn asset_line(tr: Tr, v: &AssetView) -> AssetLine {
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
fn file_name(uai: &str, ext: &str) -> String {
    let uai: String = uai.chars().filter(char::is_ascii_alphanumeric).collect();
    format!(
        "parc-{uai}-{}.{ext}",
        chrono::Utc::now().date_naive().format("%Y-%m-%d")
    )
}

fn attachment(content_type: &'static str, name: &str, body: Body) -> Response {
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

async fn export_csv(
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

async fn export_ods(
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

// ------------------------------------------------------------------- labels

struct LabelView {
    qr: String,
    inventory_number: String,
    what: String,
    school: String,
}

struct SheetView {
    title: String,
    slots: Vec<Option<LabelView>>,
}

#[derive(Template)]
#[template(path = "parc_files/labels.html")]
struct LabelsPage {
    page: Page,
    action: String,
    back: String,
    css: String,
    layouts: Vec<Opt>,
    categories: Vec<Opt>,
    statuses: Vec<Opt>,
    q: String,
    offset: String,
    equipement: String,
    /// "3 équipements choisis" when the sheet is for chosen assets.
    selection_text: Option<String>,
    errors: FormErrors,
    /// The sheets, once the form is sent.
    sheets: Vec<SheetView>,
    sheet_class: String,
    summary: String,
    submitted: bool,
    truncated: bool,
}

/// The CSS class of a layout (`3x8-70x37` → `sheet--3x8-70x37`; dots
/// become underscores).
fn sheet_class(l: &SheetLayout) -> String {
    format!("sheet--{}", l.id.replace('.', "_"))
}

/// The origin for the QR codes (see the module's documentation).
pub(crate) fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(o) = &state.config.public_origin {
        return o.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() < 256
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

async fn labels_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Query(fq): Query<FilterQuery>,
) -> Result<Response, PageError> {
    let scope = files::export_scope(&state.db, &s.ctx, id).await?;
    let tr = s.shell.tr;
    let layout_id = fq.format.clone().unwrap_or_default();
    let layout = SheetLayout::by_id(&layout_id);
    let submitted = fq.format.is_some();
    let offset_raw = fq.decalage.clone().unwrap_or_default();
    let mut errors = FormErrors::default();
    let offset = match offset_raw.trim() {
        "" => Some(0),
        v => v
            .parse::<u32>()
            .ok()
            .filter(|o| layout.is_none_or(|l| *o < l.per_sheet())),
    };
    if submitted && layout.is_none() {
        errors.items.push(FieldMsg {
            field: "format".into(),
            message: tr.t("parcfiles-error-layout"),
        });
    }
    if offset.is_none() {
        errors.items.push(FieldMsg {
            field: "decalage".into(),
            message: tr.t("parcfiles-error-offset"),
        });
    }
    let filter = fq.filter();
    let selection = fq.selection();
    let mut sheets = vec![];
    let mut summary = String::new();
    let mut truncated = false;
    if let (true, Some(layout), Some(offset)) = (submitted, layout, offset)
        && errors.is_empty()
    {
        let assets = match selection.as_slice() {
            [] if non_empty(&fq.equipement).is_some() => return Err(PageError::NotFound),
            [aid] => files::label_asset(&state.db, &scope, *aid).await?,
            [_, _, ..] => files::label_selection(&state.db, &scope, &selection).await?,
            [] => {
                let (a, more) = files::label_assets(&state.db, &scope, &filter).await?;
                truncated = more;
                a
            }
        };
        let origin = origin(&state, &headers);
        let mut views = Vec::with_capacity(assets.len());
        for v in &assets {
            let url = format!("{origin}{}", urls::parc::qr(&v.asset.qr_token));
            let qr = labels::qr_svg(&url).map_err(|e| {
                tracing::error!(error = %e, "QR code failed");
                PageError::Internal
            })?;
            let cat = code_label(tr, "parc-category-", &v.asset.category);
            let model = [v.asset.manufacturer.as_str(), v.asset.model.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            views.push(Some(LabelView {
                qr,
                inventory_number: v.asset.inventory_number.clone(),
                what: if model.is_empty() {
                    cat
                } else {
                    format!("{cat} — {model}")
                },
                school: scope.etab.name.clone(),
            }));
        }
        let placed = labels::place(&layout, offset, views.len());
        let n_sheets = placed.len();
        for (i, slots) in placed.into_iter().enumerate() {
            sheets.push(SheetView {
                title: tr.t_args(
                    "parcfiles-sheet-label",
                    &[("n", (i + 1).to_string()), ("total", n_sheets.to_string())],
                ),
                slots: slots
                    .into_iter()
                    .map(|slot| {
                        slot.item
                            .and_then(|k| views.get_mut(k))
                            .and_then(Option::take)
                    })
                    .collect(),
            });
        }
        summary = tr.t_args(
            "parcfiles-labels-count",
            &[
                ("count", assets.len().to_string()),
                ("sheets", n_sheets.to_string()),
            ],
        );
    }
    let current_layout = layout.map(|l| l.id).unwrap_or(labels::LAYOUTS[0].id);
    let any = tr.t("parcfiles-any");
    let mut categories = vec![Opt::new(
        "",
        any.clone(),
        fq.categorie.as_deref().unwrap_or(""),
    )];
    categories.extend(CATEGORY_CODES.iter().map(|c| {
        Opt::new(
            *c,
            code_label(tr, "parc-category-", c),
            fq.categorie.as_deref().unwrap_or(""),
        )
    }));
    let mut statuses = vec![Opt::new("", any, fq.etat.as_deref().unwrap_or(""))];
    statuses.extend(STATUS_CODES.iter().map(|c| {
        Opt::new(
            *c,
            code_label(tr, "parc-status-", c),
            fq.etat.as_deref().unwrap_or(""),
        )
    }));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LabelsPage {
            action: labels_path(id),
            back: urls::parc::assets(id),
            css: format!("{LABELS_CSS_PATH}?v={}", labels_css_version()),
            layouts: labels::LAYOUTS
                .iter()
                .map(|l| {
                    Opt::new(
                        l.id,
                        tr.t(&format!("parcfiles-layout-{}", l.id.replace('.', "_"))),
                        current_layout,
                    )
                })
                .collect(),
            categories,
            statuses,
            q: non_empty(&fq.q).unwrap_or_default(),
            offset: offset_raw,
            equipement: selection
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(","),
            selection_text: (!selection.is_empty()).then(|| {
                tr.t_args(
                    "parcfiles-labels-selection",
                    &[("count", selection.len().to_string())],
                )
            }),
            errors,
            sheets,
            sheet_class: layout.map(|l| sheet_class(&l)).unwrap_or_default(),
            summary,
            submitted,
            truncated,
            page: s.shell.page("parcfiles-labels-title"),
        },
    ))
}

// ------------------------------------------------------------- label sheet CSS

const LABELS_CSS: &str = include_str!("../../../../assets/labels.css");

fn labels_css_version() -> &'static str {
    use sha2::{Digest, Sha256};
    use std::sync::OnceLock;
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| hex::encode(Sha256::digest(LABELS_CSS.as_bytes()))[..12].to_string())
}

async fn labels_css(headers: HeaderMap) -> Response {
    let etag = format!("\"{}\"", labels_css_version());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8".to_string()),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
            (header::ETAG, etag),
        ],
        LABELS_CSS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use refnum_services::parc::files::Op;

    /// Every key the importer may report exists in the catalogues, and
    /// every layout has its label and its CSS rule with the right sizes.
    #[test]
    fn importer_keys_layout_labels_and_css_agree() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for k in refnum_io::parc::import::ISSUE_KEYS
                .iter()
                .chain(refnum_io::parc::import::GLPI_WARNING_KEYS.iter())
            {
                assert!(tr.has(k), "{k}");
            }
            for l in labels::LAYOUTS {
                let key = format!("parcfiles-layout-{}", l.id.replace('.', "_"));
                assert!(tr.has(&key), "{key}");
            }
            for f in ["own", "glpi"] {
                assert!(tr.has(&format!("parcfiles-format-{f}")));
            }
            for op in [Op::Add, Op::Update, Op::Unchanged] {
                assert!(tr.has(&format!("parcfiles-action-{}", op.as_str())));
            }
        }
        for l in labels::LAYOUTS {
            let class = format!(".{}", sheet_class(&l));
            let rule = LABELS_CSS
                .split(&format!("{class} {{"))
                .nth(1)
                .and_then(|r| r.split('}').next())
                .unwrap_or_else(|| panic!("no rule for {class}"));
            let fmt = |v: f32| format!("{}mm", (v * 100.0).round() / 100.0);
            assert!(
                rule.contains(&format!(
                    "grid-template-columns: repeat({}, {})",
                    l.columns,
                    fmt(l.label_width)
                )),
                "{class}"
            );
            assert!(
                rule.contains(&format!("grid-auto-rows: {}", fmt(l.label_height))),
                "{class}"
            );
            assert!(
                rule.contains(&format!(
                    "padding: {} 0 0 {}",
                    fmt(l.margin_top),
                    fmt(l.margin_left)
                )),
                "{class}"
            );
            assert!(
                rule.contains(&format!("column-gap: {}", fmt(l.pitch_x - l.label_width))),
                "{class}"
            );
        }
    }

    /// The labels an export writes (the parc catalogue's) import back.
    #[test]
    fn catalogue_labels_re_import() {
        let v = vocabulary();
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for (kind, prefix, codes) in [
                (Kind::Category, "parc-category-", &CATEGORY_CODES[..]),
                (Kind::Status, "parc-status-", &STATUS_CODES[..]),
                (Kind::Owner, "parc-owner-", &OWNER_CODES[..]),
            ] {
                for code in codes {
                    let label = code_label(tr, prefix, code);
                    assert_eq!(v.lookup(kind, &label), Some(*code), "{label}");
                }
            }
        }
    }
}
