//! A ticket's page and its forms: status, assignment, escalation, external
//! reference, priority, comments with an attachment; attachment downloads.

use super::{flag, label};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, When, done, fmt_recent, fmt_time, render_status};
use crate::session::DeferredCsrf;
use crate::urls;
use askama::Template;
use axum::extract::{Extension, Form, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use refnum_domain::ticket::Level;
use refnum_services::ServiceError;
use refnum_services::assistance::attachments::{self, DEFAULT_MAX_BYTES, Upload};
use refnum_services::assistance::comments::{self, CommentInput, FileStore};
use refnum_services::assistance::view::{self, TicketView};
use refnum_services::assistance::workflow;
use uuid::Uuid;

pub struct Field {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

pub struct StatusButton {
    pub value: String,
    pub label: String,
}

pub struct CommentView {
    pub author: String,
    pub when: When,
    pub body: String,
    pub internal: bool,
    pub files: Vec<FileView>,
}

pub struct FileView {
    pub href: String,
    pub name: String,
    pub size: String,
    pub kind: String,
}

pub struct EventView {
    pub when: When,
    pub who: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "assistance/show.html")]
struct ShowPage {
    page: Page,
    heading: String,
    list_href: String,
    fields: Vec<Field>,
    description: String,
    status_label: String,
    priority_label: String,
    unusable: bool,
    created: When,
    updated: When,
    response_due: When,
    resolution_due: When,
    response_overdue: bool,
    resolution_overdue: bool,
    status_action: String,
    next: Vec<StatusButton>,
    work: bool,
    handle: bool,
    internal: bool,
    can_comment: bool,
    assign_action: String,
    people: Vec<Opt>,
    escalate_action: String,
    organisations: Vec<Opt>,
    external_ref: String,
    ref_action: String,
    priority_action: String,
    urgencies: Vec<Opt>,
    impacts: Vec<Opt>,
    has_asset: bool,
    comment_action: String,
    comments: Vec<CommentView>,
    loose_files: Vec<FileView>,
    events: Vec<EventView>,
    max_file: String,
    errors: FormErrors,
}

fn size_label(tr: Tr, n: i64) -> String {
    if n >= 1024 * 1024 {
        tr.t_args(
            "ticket-size-mib",
            &[("n", format!("{:.1}", n as f64 / (1024.0 * 1024.0)))],
        )
    } else {
        tr.t_args(
            "ticket-size-kib",
            &[("n", ((n + 1023) / 1024).max(1).to_string())],
        )
    }
}

fn event_text(tr: Tr, e: &refnum_db::entities::assistance::ticket_event::Model) -> String {
    let lbl = |prefix: &str, v: &Option<String>| {
        v.as_deref()
            .map(|c| label(tr, prefix, c))
            .unwrap_or_else(|| tr.t("ticket-nobody"))
    };
    let (from, to) = match e.kind.as_str() {
        "created" | "status" | "reopened" => (
            lbl("ticket-status", &e.from_value),
            lbl("ticket-status", &e.to_value),
        ),
        "priority" => (
            lbl("ticket-priority", &e.from_value),
            lbl("ticket-priority", &e.to_value),
        ),
        "unusable" => (
            lbl("ticket-unusable", &e.from_value),
            lbl("ticket-unusable", &e.to_value),
        ),
        _ => (
            e.from_value
                .clone()
                .unwrap_or_else(|| tr.t("ticket-nobody")),
            e.to_value.clone().unwrap_or_else(|| tr.t("ticket-nobody")),
        ),
    };
    tr.t_args(
        &format!("ticket-event-{}", e.kind.replace('_', "-")),
        &[
            ("from", from),
            ("to", to),
            ("detail", e.detail.clone().unwrap_or_default()),
        ],
    )
}

fn show_page(tr: Tr, page: Page, v: TicketView, errors: FormErrors) -> ShowPage {
    let t = &v.ticket;
    let opt_time = |d: Option<chrono::DateTime<chrono::Utc>>| {
        crate::time::When::or(tr, d.as_ref(), tr.t("ticket-no-due"))
    };
    let mut fields = vec![
        Field {
            label: tr.t("ticket-field-school"),
            value: format!("{} ({})", v.etab.name, v.etab.uai),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-kind"),
            value: label(tr, "ticket-kind", &t.kind),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-category"),
            value: label(tr, "ticket-category", &t.category),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-urgency"),
            value: label(tr, "ticket-level", &t.urgency),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-impact"),
            value: label(tr, "ticket-level", &t.impact),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-requester"),
            value: match &t.requester_contact {
                Some(c) if v.rights.internal => format!("{} — {c}", t.requester_name),
                _ => t.requester_name.clone(),
            },
            href: None,
        },
        Field {
            label: tr.t("ticket-field-source"),
            value: if t.source == "qr" {
                tr.t_args(
                    "ticket-source-qr-receipt",
                    &[("receipt", refnum_domain::ticket::receipt_code(t.id))],
                )
            } else {
                label(tr, "ticket-source", &t.source)
            },
            href: None,
        },
        Field {
            label: tr.t("ticket-field-assignee"),
            value: v
                .assignee_name
                .clone()
                .unwrap_or_else(|| tr.t("ticket-nobody")),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-organisation"),
            value: v.org_name.clone().unwrap_or_else(|| tr.t("ticket-nobody")),
            href: None,
        },
        Field {
            label: tr.t("ticket-field-external-ref"),
            value: t.external_ref.clone().unwrap_or_default(),
            href: None,
        },
    ];
    if let Some(a) = &v.asset {
        fields.insert(
            1,
            Field {
                label: tr.t("ticket-field-asset"),
                value: a.label.clone(),
                href: v
                    .rights
                    .view_asset
                    .then(|| super::asset_page(a.etablissement_id, a.id)),
            },
        );
    }
    if let Some(r) = &v.room {
        fields.insert(
            1,
            Field {
                label: tr.t("ticket-field-room"),
                value: r.name.clone(),
                href: None,
            },
        );
    }
    let file_view = |a: &refnum_db::entities::assistance::ticket_attachment::Model| FileView {
        href: urls::assistance::attachment(a.id),
        name: a.original_name.clone(),
        size: size_label(tr, a.size),
        kind: a.content_type.clone(),
    };
    let comments = v
        .comments
        .iter()
        .map(|c| CommentView {
            author: c.author_name.clone(),
            when: fmt_time(tr, &c.created_at),
            body: c.body.clone(),
            internal: c.internal,
            files: v
                .attachments
                .iter()
                .filter(|a| a.comment_id == Some(c.id))
                .map(file_view)
                .collect(),
        })
        .collect();
    let loose_files = v
        .attachments
        .iter()
        .filter(|a| a.comment_id.is_none())
        .map(file_view)
        .collect();
    let mut people = vec![Opt::new(
        "",
        tr.t("ticket-nobody"),
        &t.assignee_id.map(|a| a.to_string()).unwrap_or_default(),
    )];
    people.extend(v.people.iter().map(|(id, n)| {
        Opt::new(
            id.to_string(),
            n.clone(),
            &t.assignee_id.map(|a| a.to_string()).unwrap_or_default(),
        )
    }));
    let current_org = t.assigned_org_id.map(|a| a.to_string()).unwrap_or_default();
    let organisations = v
        .organisations
        .iter()
        .map(|(id, n)| Opt::new(id.to_string(), n.clone(), &current_org))
        .collect();
    let levels = |current: &str| {
        Level::ALL
            .iter()
            .map(|l| Opt::new(l.as_str(), label(tr, "ticket-level", l.as_str()), current))
            .collect::<Vec<_>>()
    };
    ShowPage {
        heading: tr.t_args(
            "ticket-heading",
            &[("number", t.number.to_string()), ("title", t.title.clone())],
        ),
        page,
        list_href: urls::assistance::TICKETS.to_string(),
        fields,
        description: t.description.clone(),
        status_label: label(tr, "ticket-status", &t.status),
        priority_label: label(tr, "ticket-priority", &t.priority),
        unusable: t.unusable,
        created: fmt_time(tr, &t.created_at),
        updated: fmt_recent(tr, &t.updated_at),
        response_due: opt_time(t.response_due_at),
        resolution_due: opt_time(t.resolution_due_at),
        response_overdue: v.response_overdue,
        resolution_overdue: v.resolution_overdue,
        status_action: urls::assistance::ticket_status(t.id),
        next: v
            .next
            .iter()
            .map(|s| StatusButton {
                value: s.as_str().to_string(),
                label: label(tr, "ticket-to", s.as_str()),
            })
            .collect(),
        work: v.rights.work,
        handle: v.rights.handle,
        internal: v.rights.internal,
        can_comment: v.rights.comment,
        assign_action: urls::assistance::ticket_assign(t.id),
        people,
        escalate_action: urls::assistance::ticket_escalate(t.id),
        organisations,
        external_ref: t.external_ref.clone().unwrap_or_default(),
        ref_action: urls::assistance::ticket_external_ref(t.id),
        priority_action: urls::assistance::ticket_priority(t.id),
        urgencies: levels(&t.urgency),
        impacts: levels(&t.impact),
        has_asset: t.asset_id.is_some(),
        comment_action: urls::assistance::ticket_comments(t.id),
        comments,
        loose_files,
        events: v
            .events
            .iter()
            .map(|e| EventView {
                when: fmt_time(tr, &e.occurred_at),
                who: e.actor_name.clone(),
                what: event_text(tr, e),
            })
            .collect(),
        max_file: size_label(tr, DEFAULT_MAX_BYTES as i64),
        errors,
    }
}

async fn render_ticket(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let v = view::show(&state.db, &s.ctx, id).await?;
    let tr = s.shell.tr;
    let title = tr.t_args(
        "ticket-heading",
        &[
            ("number", v.ticket.number.to_string()),
            ("title", v.ticket.title.clone()),
        ],
    );
    let p = show_page(tr, s.shell.page_titled(title), v, errors);
    Ok(render_status(status, &p))
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    render_ticket(&state, &s, id, FormErrors::default(), StatusCode::OK).await
}

/// Field errors that mean the ticket is not in a state for this change.
pub(crate) const CONFLICTS: [&str; 2] = ["ticket-error-transition", "ticket-error-changed"];

/// After a form: back to the ticket, or the ticket with the errors.
async fn after<T>(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    res: Result<T, ServiceError>,
    what: &str,
) -> Result<Response, PageError> {
    match res {
        Ok(_) => Ok(done(&urls::assistance::ticket(id), what)),
        Err(e) => {
            // An illegal or stale transition is a conflict.
            let conflict = matches!(&e, ServiceError::Invalid(errs)
                if errs.iter().any(|f| CONFLICTS.contains(&f.key)));
            let errors = field_errors(s.shell.tr, e)?;
            let status = if conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_ticket(state, s, id, errors, status).await
        }
    }
}

#[derive(serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn status(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let res = workflow::change_status(&state.db, &s.ctx, id, &f.status).await;
    after(&state, &s, id, res, "ticket-updated").await
}

#[derive(serde::Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

pub async fn assign(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<AssignForm>,
) -> Result<Response, PageError> {
    let res = workflow::assign(&state.db, &s.ctx, id, &f.assignee).await;
    after(&state, &s, id, res, "ticket-updated").await
}

#[derive(serde::Deserialize)]
pub struct EscalateForm {
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    external_ref: String,
}

pub async fn escalate(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<EscalateForm>,
) -> Result<Response, PageError> {
    let res = workflow::escalate(&state.db, &s.ctx, id, &f.organisation, &f.external_ref).await;
    after(&state, &s, id, res, "ticket-escalated").await
}

#[derive(serde::Deserialize)]
pub struct RefForm {
    #[serde(default)]
    external_ref: String,
}

pub async fn external_ref(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<RefForm>,
) -> Result<Response, PageError> {
    let res = workflow::set_external_ref(&state.db, &s.ctx, id, &f.external_ref).await;
    after(&state, &s, id, res, "ticket-updated").await
}

#[derive(serde::Deserialize)]
pub struct PriorityForm {
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    impact: String,
    unusable: Option<String>,
}

pub async fn priority(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<PriorityForm>,
) -> Result<Response, PageError> {
    let res = workflow::set_priority(
        &state.db,
        &s.ctx,
        id,
        &f.urgency,
        &f.impact,
        flag(&f.unusable),
    )
    .await;
    after(&state, &s, id, res, "ticket-updated").await
}

/// What the multipart comment form carried.
struct Received {
    body: String,
    internal: bool,
    file: Option<Upload>,
    too_big: bool,
}

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

async fn receive(mp: &mut Multipart, max: usize) -> Result<Received, PageError> {
    let mut r = Received {
        body: String::new(),
        internal: false,
        file: None,
        too_big: false,
    };
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                // Past the route's body limit, or a broken body.
                r.too_big = true;
                r.file = None;
                break;
            }
        };
        match field.name() {
            Some("body") => {
                r.body = field.text().await.map_err(|_| PageError::BadRequest)?;
            }
            Some("internal") => {
                let v = field.text().await.unwrap_or_default();
                r.internal = !v.is_empty() && v != "0";
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let mut bytes = vec![];
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > max {
                                r.too_big = true;
                                break;
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(_) => {
                            r.too_big = true;
                            break;
                        }
                    }
                }
                if r.too_big {
                    drain(mp).await;
                    break;
                }
                if !name.is_empty() || !bytes.is_empty() {
                    r.file = Some(Upload {
                        file_name: name,
                        bytes,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(r)
}

/// The comment form, multipart: the CSRF token comes first, then the
/// comment, its visibility and an optional file.
pub async fn comment(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    csrf: Option<Extension<DeferredCsrf>>,
    mut mp: Multipart,
) -> Result<Response, PageError> {
    let forbidden = || PageError::Forbidden.into_response();
    let Some(Extension(csrf)) = csrf else {
        return Ok(forbidden());
    };
    let token = match mp.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf_token") => f.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    if !csrf.matches(&token) {
        drain(&mut mp).await;
        return Ok(forbidden());
    }
    let r = receive(&mut mp, DEFAULT_MAX_BYTES).await?;
    if r.too_big {
        // Still a 404 outside the caller's scope.
        view::show(&state.db, &s.ctx, id).await?;
        let errors = FormErrors::one(s.shell.tr, "file", "ticket-error-file-too-big");
        return render_ticket(&state, &s, id, errors, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    let res = comments::add(
        &state.db,
        &s.ctx,
        FileStore {
            dir: &state.config.files_dir,
            max_bytes: DEFAULT_MAX_BYTES,
        },
        id,
        CommentInput {
            body: r.body,
            internal: r.internal,
            file: r.file,
        },
    )
    .await;
    after(&state, &s, id, res, "ticket-commented").await
}

/// Downloads an attachment, after the policy allowed it; always as an
/// attachment, never rendered inline.
pub async fn download(
    State(state): State<AppState>,
    s: SignedIn,
    Path(aid): Path<Uuid>,
) -> Result<Response, PageError> {
    let d = attachments::download(&state.db, &s.ctx, &state.config.files_dir, aid).await?;
    let bytes = match tokio::fs::read(&d.path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PageError::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "could not read an attachment");
            return Err(PageError::Internal);
        }
    };
    let disposition = crate::pages::attachment_disposition(&d.row.original_name);
    Ok((
        [
            (header::CONTENT_TYPE, d.row.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
