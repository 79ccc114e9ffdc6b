//! The asset list import: upload, preview, apply or discard.

use super::{
    PREVIEW_TTL_HOURS, export_csv_path, export_ods_path, import_path, preview_path, vocabulary,
};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{SignedIn, render, render_status};
use crate::session::DeferredCsrf;
use crate::urls;
use askama::Template;
use axum::extract::{Extension, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use refnum_domain::policy::EtabAction;
use refnum_io::parc::import::Issue;
use refnum_services::orgs;
use refnum_services::parc::files::{self, ImportPlan};
use std::path::PathBuf;
use uuid::Uuid;

// ------------------------------------------------------------------- import

#[derive(Template)]
#[template(path = "parc/fichiers/import_form.html")]
pub(super) struct ImportForm {
    pub(super) page: Page,
    pub(super) action: String,
    pub(super) back: String,
    pub(super) school: String,
    pub(super) columns: Vec<&'static str>,
    pub(super) errors: FormErrors,
    pub(super) file_hint: String,
    pub(super) export_csv: String,
    pub(super) export_ods: String,
}

pub(super) fn file_hint(tr: Tr) -> String {
    tr.t_args(
        "parcfiles-field-file-hint",
        &[("mb", (files::MAX_UPLOAD_BYTES / (1024 * 1024)).to_string())],
    )
}

pub(super) async fn import_form(
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

pub(super) fn uploads_dir(state: &AppState, etab: Uuid) -> PathBuf {
    state
        .config
        .files_dir
        .join("parc-imports")
        .join(etab.to_string())
}

pub(super) fn upload_file(state: &AppState, etab: Uuid, iid: Uuid) -> PathBuf {
    uploads_dir(state, etab).join(format!("{iid}.csv"))
}

/// Removes previews older than [`PREVIEW_TTL_HOURS`] (all schools).
pub(super) async fn sweep_stale(state: &AppState) {
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
pub(super) async fn drain(mp: &mut Multipart) {
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

pub(super) fn forbidden_csrf(tr: Tr) -> Response {
    (StatusCode::FORBIDDEN, tr.t("parcfiles-error-csrf")).into_response()
}

pub(super) async fn upload(
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

pub(super) async fn read_upload(
    state: &AppState,
    id: Uuid,
    iid: Uuid,
) -> Result<Vec<u8>, PageError> {
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
pub(super) struct IssueView {
    pub(super) line: String,
    pub(super) column: String,
    pub(super) message: String,
    pub(super) value: String,
}

pub(super) fn issue_view(tr: Tr, i: &Issue) -> IssueView {
    IssueView {
        line: i.line.map(|l| l.to_string()).unwrap_or_default(),
        column: i.column.clone().unwrap_or_default(),
        message: tr.t(i.key),
        value: i.value.clone().unwrap_or_default(),
    }
}

pub(super) struct LineView {
    pub(super) line: u64,
    pub(super) inventory_number: String,
    pub(super) action: String,
    pub(super) changes: String,
}

pub(super) struct Count {
    pub(super) label: String,
    pub(super) value: String,
}

#[derive(Template)]
#[template(path = "parc/fichiers/preview.html")]
pub(super) struct PreviewPage {
    pub(super) page: Page,
    pub(super) school: String,
    pub(super) counts: Vec<Count>,
    pub(super) new_buildings: Vec<String>,
    pub(super) new_rooms: Vec<String>,
    pub(super) issues: Vec<IssueView>,
    pub(super) issues_truncated: bool,
    pub(super) warnings: Vec<IssueView>,
    pub(super) lines: Vec<LineView>,
    pub(super) can_apply: bool,
    pub(super) nothing_to_do: bool,
    pub(super) apply_action: String,
    pub(super) discard_action: String,
    pub(super) back: String,
    pub(super) errors: FormErrors,
}

pub(super) fn preview_page(
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

pub(super) async fn preview(
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

pub(super) async fn apply(
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

pub(super) async fn discard(
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
