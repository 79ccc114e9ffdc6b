//! Directory imports in the browser: upload (streamed to disk, CSRF token in
//! the first multipart field), preview of the diff, apply or discard.

use super::{Opt, SignedIn, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::session::DeferredCsrf;
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Extension, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use refnum_db::annuaire as q;
use refnum_db::entities::{annuaire_import, etablissement};
use refnum_domain::policy::{self, EtabAction, InstanceAction};
use refnum_services::annuaire::diff::{Counts, Summary};
use refnum_services::annuaire::snapshot::InputFile;
use refnum_services::annuaire::{self, CreateSchool, StoredFile};
use refnum_services::audit::Who;
use refnum_services::{ServiceError, orgs};
use std::path::{Path as FsPath, PathBuf};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

/// At most this many files in one import.
const MAX_FILES: usize = 32;
/// Previews not applied within this delay are discarded (their files hold
/// personal data).
pub const PREVIEW_TTL_HOURS: i64 = 24;

#[derive(Template)]
#[template(path = "annuaire/import_form.html")]
struct FormPage {
    page: Page,
    action: String,
    /// The admin's form asks for the UAI.
    ask_uai: bool,
    uai: String,
    school: String,
    errors: FormErrors,
    max_mb: u64,
    max_file_mb: u64,
}

fn one_error(field: &str, message: String) -> FormErrors {
    FormErrors {
        items: vec![FieldMsg {
            field: field.to_string(),
            message,
        }],
    }
}

pub async fn form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let etab = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageDirectory).await?;
    Ok(render(&FormPage {
        page: s.shell.page("import-title"),
        action: urls::annuaire_import(id),
        ask_uai: false,
        uai: etab.uai.clone(),
        school: format!("{} ({})", etab.name, etab.uai),
        errors: FormErrors::default(),
        max_mb: state.config.max_upload_bytes / (1024 * 1024),
        max_file_mb: state.config.max_import_file_bytes / (1024 * 1024),
    }))
}

pub async fn admin_form(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    orgs::require_admin(&state.db, &s.ctx, "annuaire.import").await?;
    Ok(render(&FormPage {
        page: s.shell.page("import-title"),
        action: urls::ADMIN_ANNUAIRE_IMPORT.to_string(),
        ask_uai: true,
        uai: String::new(),
        school: String::new(),
        errors: FormErrors::default(),
        max_mb: state.config.max_upload_bytes / (1024 * 1024),
        max_file_mb: state.config.max_import_file_bytes / (1024 * 1024),
    }))
}

/// The uploaded files of one request, on disk.
struct Upload {
    dir: PathBuf,
    files: Vec<InputFile>,
    uai: Option<String>,
}

async fn remove_dir(dir: &FsPath) {
    if let Err(e) = tokio::fs::remove_dir_all(dir).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "could not remove an import directory");
    }
}

/// Reads and drops a little of a refused body, so that a small honest
/// request gets its answer on a clean connection; a big one is cut.
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

/// Why an upload is refused: the status and the message shown on the form.
struct Refused {
    status: StatusCode,
    message: String,
}

impl Refused {
    fn invalid(message: String) -> Refused {
        Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message,
        }
    }
}

/// What a body that stopped can mean: over a size limit (413), or cut short.
fn body_error(tr: Tr, status: StatusCode, max_upload_bytes: u64) -> Refused {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Refused {
            status,
            message: tr.t_args(
                "import-error-upload-too-large",
                &[("mb", (max_upload_bytes / (1024 * 1024)).to_string())],
            ),
        }
    } else {
        Refused::invalid(tr.t("import-error-interrupted"))
    }
}

/// Reads the multipart body: the CSRF token first, then the files, each
/// streamed to its own generated name. Reading stops at the first file past
/// `max_import_file_bytes` or the total past `max_upload_bytes`; then every
/// file of the upload is deleted.
async fn receive(
    state: &AppState,
    tr: Tr,
    csrf: Option<Extension<DeferredCsrf>>,
    mut mp: Multipart,
    import_id: Uuid,
) -> Result<Result<Upload, Refused>, Response> {
    let forbidden = || {
        (
            StatusCode::FORBIDDEN,
            "Requête refusée : jeton de sécurité (CSRF) absent ou invalide.",
        )
            .into_response()
    };
    let Some(Extension(csrf)) = csrf else {
        return Err(forbidden());
    };
    let token = match mp.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf_token") => f.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    if !csrf.matches(&token) {
        drain(&mut mp).await;
        return Err(forbidden());
    }
    let dir = state
        .config
        .files_dir
        .join("imports")
        .join(import_id.to_string());
    if let Err(e) = tokio::fs::create_dir_all(&dir).await {
        tracing::error!(error = %e, "could not create the import directory");
        return Err(PageError::Internal.into_response());
    }
    let max_total = state.config.max_upload_bytes;
    let max_file = state.config.max_import_file_bytes;
    let mut files = vec![];
    let mut uai = None;
    let mut total: u64 = 0;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                remove_dir(&dir).await;
                return Ok(Err(body_error(tr, e.status(), max_total)));
            }
        };
        match field.name() {
            Some("uai") => {
                let v = field.text().await.unwrap_or_default();
                uai = Some(v.trim().to_uppercase().chars().take(16).collect());
            }
            Some("files") => {
                let name: String = field
                    .file_name()
                    .unwrap_or("")
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect();
                if name.is_empty() {
                    continue;
                }
                if files.len() >= MAX_FILES {
                    remove_dir(&dir).await;
                    return Ok(Err(Refused::invalid(format!(
                        "au plus {MAX_FILES} fichiers par import"
                    ))));
                }
                let path = dir.join(format!("{}.bin", files.len()));
                let mut out = match tokio::fs::File::create(&path).await {
                    Ok(f) => f,
                    Err(e) => {
                        tracing::error!(error = %e, "could not store an uploaded file");
                        remove_dir(&dir).await;
                        return Err(PageError::Internal.into_response());
                    }
                };
                let mut field = field;
                let mut size: u64 = 0;
                loop {
                    match field.chunk().await {
                        Ok(Some(bytes)) => {
                            size += bytes.len() as u64;
                            total += bytes.len() as u64;
                            let refused = if size > max_file {
                                Some(tr.t_args(
                                    "import-error-file-too-large",
                                    &[
                                        ("name", name.clone()),
                                        ("mb", (max_file / (1024 * 1024)).to_string()),
                                    ],
                                ))
                            } else if total > max_total {
                                Some(tr.t_args(
                                    "import-error-upload-too-large",
                                    &[("mb", (max_total / (1024 * 1024)).to_string())],
                                ))
                            } else {
                                None
                            };
                            if let Some(message) = refused {
                                // Nothing more is read; what was written goes.
                                drop(out);
                                remove_dir(&dir).await;
                                return Ok(Err(Refused {
                                    status: StatusCode::PAYLOAD_TOO_LARGE,
                                    message,
                                }));
                            }
                            if let Err(e) = out.write_all(&bytes).await {
                                tracing::error!(error = %e, "could not write an uploaded file");
                                remove_dir(&dir).await;
                                return Err(PageError::Internal.into_response());
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            drop(out);
                            remove_dir(&dir).await;
                            return Ok(Err(body_error(tr, e.status(), max_total)));
                        }
                    }
                }
                if let Err(e) = out.flush().await {
                    tracing::error!(error = %e, "could not write an uploaded file");
                    remove_dir(&dir).await;
                    return Err(PageError::Internal.into_response());
                }
                files.push(InputFile { name, path });
            }
            _ => {}
        }
    }
    if files.is_empty() {
        remove_dir(&dir).await;
        return Ok(Err(Refused::invalid(
            "choisissez au moins un fichier".into(),
        )));
    }
    Ok(Ok(Upload { dir, files, uai }))
}

/// Reads the upload, prepares the diff, and keeps it as a preview.
async fn preview_upload(
    state: &AppState,
    s: &SignedIn,
    etab: Option<etablissement::Model>,
    uai: &str,
    upload: Upload,
    import_id: Uuid,
) -> Result<Result<Uuid, String>, PageError> {
    let files = upload.files.clone();
    let prepared = match annuaire::prepare(&state.db, files, uai, etab.as_ref()).await {
        Ok(Ok(p)) => p,
        Ok(Err(refusal)) => {
            remove_dir(&upload.dir).await;
            return Ok(Err(refusal.0));
        }
        Err(e) => {
            remove_dir(&upload.dir).await;
            return Err(e.into());
        }
    };
    if etab.is_none() && prepared.school.is_none() {
        remove_dir(&upload.dir).await;
        return Ok(Err(format!(
            "l'établissement {uai} n'est pas connu de RefNum et ces fichiers ne le décrivent pas (STS : UAJ ; AAF : EtabEducNat) : créez-le d'abord"
        )));
    }
    let rel = |p: &FsPath| {
        p.strip_prefix(&state.config.files_dir)
            .map(|r| r.to_string_lossy().into_owned())
            .ok()
    };
    let stored: Vec<StoredFile> = prepared
        .summary
        .files
        .iter()
        .filter_map(|info| {
            upload
                .files
                .iter()
                .find(|f| f.name == info.name)
                .map(|f| StoredFile {
                    info: info.clone(),
                    stored: rel(&f.path),
                })
        })
        .collect();
    let mut summary = prepared.summary.clone();
    if let Some(school) = &prepared.school
        && etab.is_none()
    {
        summary.samples.insert(
            0,
            annuaire::diff::Sample {
                op: "add".into(),
                kind: "school".into(),
                label: format!(
                    "{} — {}",
                    school.name,
                    school.city.clone().unwrap_or_default()
                ),
                fields: vec![],
            },
        );
    }
    let row = annuaire_import::Model {
        id: import_id,
        etablissement_id: etab.as_ref().map(|e| e.id),
        uai: uai.to_string(),
        source: prepared.source.as_str().to_string(),
        status: "preview".into(),
        files: serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into()),
        school_year: Some(summary.school_year),
        exported_on: None,
        summary: serde_json::to_string(&summary).unwrap_or_else(|_| "{}".into()),
        warnings: serde_json::to_string(&prepared.warnings).unwrap_or_else(|_| "[]".into()),
        created_by: Some(s.ctx.account.id),
        created_at: chrono::Utc::now(),
        applied_by: None,
        applied_at: None,
    };
    let txn = state.db.write().await.map_err(ServiceError::from)?;
    q::insert_import(&*txn, row)
        .await
        .map_err(ServiceError::from)?;
    txn.commit().await.map_err(ServiceError::from)?;
    Ok(Ok(import_id))
}

pub async fn upload(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    csrf: Option<Extension<DeferredCsrf>>,
    mp: Multipart,
) -> Result<Response, PageError> {
    let etab = orgs::etab_for(&state.db, &s.ctx, id, EtabAction::ManageDirectory).await?;
    let import_id = Uuid::now_v7();
    let refused = |r: Refused, s: &SignedIn| {
        render_status(
            r.status,
            &FormPage {
                page: s.shell.page("import-title"),
                action: urls::annuaire_import(id),
                ask_uai: false,
                uai: etab.uai.clone(),
                school: format!("{} ({})", etab.name, etab.uai),
                errors: one_error("files", r.message),
                max_mb: state.config.max_upload_bytes / (1024 * 1024),
                max_file_mb: state.config.max_import_file_bytes / (1024 * 1024),
            },
        )
    };
    let upload = match receive(&state, s.shell.tr, csrf, mp, import_id).await {
        Err(resp) => return Ok(resp),
        Ok(Err(r)) => return Ok(refused(r, &s)),
        Ok(Ok(u)) => u,
    };
    match preview_upload(&state, &s, Some(etab.clone()), &etab.uai, upload, import_id).await? {
        Ok(iid) => Ok(Redirect::to(&urls::annuaire_import_preview(iid)).into_response()),
        Err(msg) => Ok(refused(Refused::invalid(msg), &s)),
    }
}

pub async fn admin_upload(
    State(state): State<AppState>,
    s: SignedIn,
    csrf: Option<Extension<DeferredCsrf>>,
    mp: Multipart,
) -> Result<Response, PageError> {
    orgs::require_admin(&state.db, &s.ctx, "annuaire.import").await?;
    let import_id = Uuid::now_v7();
    let refused = |r: Refused, field: &str, uai: &str, s: &SignedIn| {
        render_status(
            r.status,
            &FormPage {
                page: s.shell.page("import-title"),
                action: urls::ADMIN_ANNUAIRE_IMPORT.to_string(),
                ask_uai: true,
                uai: uai.to_string(),
                school: String::new(),
                errors: one_error(field, r.message),
                max_mb: state.config.max_upload_bytes / (1024 * 1024),
                max_file_mb: state.config.max_import_file_bytes / (1024 * 1024),
            },
        )
    };
    let upload = match receive(&state, s.shell.tr, csrf, mp, import_id).await {
        Err(resp) => return Ok(resp),
        Ok(Err(r)) => return Ok(refused(r, "files", "", &s)),
        Ok(Ok(u)) => u,
    };
    let uai = upload.uai.clone().unwrap_or_default();
    if refnum_domain::Uai::parse_lenient(&uai).is_err() {
        remove_dir(&upload.dir).await;
        let r = Refused::invalid(s.shell.tr.t("error-uai-format"));
        return Ok(refused(r, "uai", &uai, &s));
    }
    let etab = annuaire::etab_by_uai(&state.db, &uai).await?;
    match preview_upload(&state, &s, etab, &uai, upload, import_id).await? {
        Ok(iid) => Ok(Redirect::to(&urls::annuaire_import_preview(iid)).into_response()),
        Err(msg) => Ok(refused(Refused::invalid(msg), "files", &uai, &s)),
    }
}

/// Loads an import and checks who may see or act on it.
async fn import_for(
    state: &AppState,
    s: &SignedIn,
    iid: Uuid,
) -> Result<(annuaire_import::Model, Option<etablissement::Model>), PageError> {
    let row = q::get_import(&state.db.conn, iid)
        .await
        .map_err(ServiceError::from)?
        .ok_or(PageError::NotFound)?;
    match row.etablissement_id {
        Some(eid) => {
            let etab = orgs::etab_for(&state.db, &s.ctx, eid, EtabAction::ManageDirectory).await?;
            Ok((row, Some(etab)))
        }
        None => {
            let admin = policy::decide_instance(&s.ctx.actor, InstanceAction::Administer);
            if !admin.is_allowed() {
                return Err(PageError::NotFound);
            }
            Ok((row, None))
        }
    }
}

pub struct CountRow {
    pub label: String,
    pub add: u64,
    pub change: u64,
    pub deactivate: u64,
    pub unchanged: u64,
}

pub struct SampleRow {
    pub op: String,
    pub kind: String,
    pub label: String,
}

pub struct FileRow {
    pub name: String,
    pub kind: String,
    pub encoding: String,
    pub records: u64,
    pub size: String,
}

#[derive(Template)]
#[template(path = "annuaire/import_preview.html")]
struct PreviewPage {
    page: Page,
    status: String,
    school: String,
    source: String,
    year: String,
    total: u64,
    counts: Vec<CountRow>,
    rollover: u64,
    samples: Vec<SampleRow>,
    warnings: Vec<String>,
    files: Vec<FileRow>,
    creates_school: bool,
    academies: Vec<Opt>,
    apply_action: String,
    discard_action: String,
    back: String,
    errors: FormErrors,
    applied_at: super::When,
}

fn size_label(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mo", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} ko", bytes as f64 / 1024.0)
    }
}

async fn preview_page(
    state: &AppState,
    s: &SignedIn,
    row: &annuaire_import::Model,
    etab: Option<&etablissement::Model>,
    errors: FormErrors,
) -> Result<PreviewPage, PageError> {
    let tr = s.shell.tr;
    let summary: Summary = serde_json::from_str(&row.summary).unwrap_or_default();
    let warnings: Vec<String> = serde_json::from_str(&row.warnings).unwrap_or_default();
    let c = |key: &str, v: &Counts| CountRow {
        label: tr.t(key),
        add: v.add,
        change: v.change,
        deactivate: v.deactivate,
        unchanged: v.unchanged,
    };
    let academies = if row.etablissement_id.is_none() {
        refnum_db::orgs::list_academies(&state.db.conn)
            .await
            .map_err(ServiceError::from)?
            .into_iter()
            .map(|a| Opt::new(a.id.to_string(), a.name, ""))
            .collect()
    } else {
        vec![]
    };
    Ok(PreviewPage {
        page: s.shell.page("import-preview-title"),
        status: row.status.clone(),
        school: match etab {
            Some(e) => format!("{} ({})", e.name, e.uai),
            None => row.uai.clone(),
        },
        source: row.source.to_uppercase(),
        year: format!("{}-{}", summary.school_year, summary.school_year + 1),
        total: summary.total_changes(),
        counts: vec![
            c("import-kind-staff", &summary.staff),
            c("import-kind-pupils", &summary.pupils),
            c("import-kind-guardians", &summary.guardians),
            c("import-kind-structures", &summary.structures),
            c("import-kind-nomenclatures", &summary.nomenclatures),
        ],
        rollover: summary.archived_previous_years,
        samples: summary
            .samples
            .iter()
            .map(|x| SampleRow {
                op: tr.t(&format!("import-op-{}", x.op)),
                kind: tr.t(&format!("import-sample-{}", x.kind)),
                label: x.label.clone(),
            })
            .collect(),
        warnings,
        files: summary
            .files
            .iter()
            .map(|f| FileRow {
                name: f.name.clone(),
                kind: format!("{:?}", f.kind),
                encoding: f.encoding.clone(),
                records: f.records,
                size: size_label(f.size),
            })
            .collect(),
        creates_school: row.etablissement_id.is_none(),
        academies,
        apply_action: urls::annuaire_import_apply(row.id),
        discard_action: urls::annuaire_import_discard(row.id),
        back: match etab {
            Some(e) => urls::annuaire_overview(e.id),
            None => urls::ADMIN.to_string(),
        },
        errors,
        applied_at: row
            .applied_at
            .map(|t| super::fmt_time(tr, &t))
            .unwrap_or_default(),
    })
}

pub async fn preview(
    State(state): State<AppState>,
    s: SignedIn,
    Path(iid): Path<Uuid>,
) -> Result<Response, PageError> {
    let (row, etab) = import_for(&state, &s, iid).await?;
    let p = preview_page(&state, &s, &row, etab.as_ref(), FormErrors::default()).await?;
    Ok(render(&p))
}

fn stored_inputs(state: &AppState, row: &annuaire_import::Model) -> Vec<InputFile> {
    let files: Vec<StoredFile> = serde_json::from_str(&row.files).unwrap_or_default();
    files
        .into_iter()
        .filter_map(|f| {
            f.stored.map(|rel| InputFile {
                name: f.info.name.clone(),
                path: state.config.files_dir.join(rel),
            })
        })
        .collect()
}

fn import_dir(state: &AppState, iid: Uuid) -> PathBuf {
    state.config.files_dir.join("imports").join(iid.to_string())
}

#[derive(serde::Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    academie_id: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn apply(
    State(state): State<AppState>,
    s: SignedIn,
    Path(iid): Path<Uuid>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, PageError> {
    let (row, etab) = import_for(&state, &s, iid).await?;
    if row.status != "preview" {
        return Ok(Redirect::to(&urls::annuaire_import_preview(iid)).into_response());
    }
    let fail = |msg: String| one_error("apply", msg);
    let create = if etab.is_none() {
        let academie = form.academie_id.parse::<Uuid>().ok();
        let academie = match academie {
            Some(a) => refnum_db::orgs::get_academie(&state.db.conn, a)
                .await
                .map_err(ServiceError::from)?,
            None => None,
        };
        let Some(academie) = academie else {
            let p = preview_page(
                &state,
                &s,
                &row,
                None,
                one_error("academie_id", s.shell.tr.t("import-choose-academie")),
            )
            .await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
        };
        if form.confirm.as_deref() != Some("oui") {
            let p = preview_page(
                &state,
                &s,
                &row,
                None,
                one_error("confirm", s.shell.tr.t("import-confirm-create")),
            )
            .await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
        Some(CreateSchool {
            academie_id: academie.id,
        })
    } else {
        None
    };
    let inputs = stored_inputs(&state, &row);
    let who = Who::of(&s.ctx);
    // The files are read again: the directory may have changed since the preview.
    let outcome = match annuaire::prepare(&state.db, inputs, &row.uai, etab.as_ref()).await? {
        Ok(prepared) => {
            annuaire::apply(&state.db, &who, prepared, etab.clone(), create, Some(iid)).await?
        }
        Err(r) => Err(r),
    };
    match outcome {
        Ok(_) => {
            remove_dir(&import_dir(&state, iid)).await;
            Ok(super::done(&urls::annuaire_import_preview(iid), "applied"))
        }
        Err(refusal) => {
            let p = preview_page(&state, &s, &row, etab.as_ref(), fail(refusal.0)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn discard(
    State(state): State<AppState>,
    s: SignedIn,
    Path(iid): Path<Uuid>,
) -> Result<Response, PageError> {
    let (row, etab) = import_for(&state, &s, iid).await?;
    if row.status == "preview" {
        annuaire::discard_preview(&state.db, &Who::of(&s.ctx), row).await?;
        remove_dir(&import_dir(&state, iid)).await;
    }
    let to = match etab {
        Some(e) => urls::annuaire_overview(e.id),
        None => urls::ADMIN.to_string(),
    };
    Ok(super::done(&to, "discarded"))
}

/// Discards previews left unapplied and deletes their files. Run by the
/// server's periodic task.
pub async fn discard_stale_previews(
    db: &refnum_db::Db,
    files_dir: &FsPath,
) -> Result<u64, ServiceError> {
    let stale = annuaire::stale_previews(db, chrono::Duration::hours(PREVIEW_TTL_HOURS)).await?;
    let n = stale.len() as u64;
    for row in stale {
        let id = row.id;
        annuaire::discard_preview(db, &Who::system("refnum"), row).await?;
        remove_dir(&files_dir.join("imports").join(id.to_string())).await;
    }
    Ok(n)
}
