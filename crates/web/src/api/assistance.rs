//! Assistance API: tickets and their comments, with the same services (and
//! so the same policy and scoping) as the pages.

use super::{ApiCtx, ApiResult, path_id};
use crate::AppState;
use crate::errors::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use refnum_db::entities::assistance::{ticket, ticket_attachment, ticket_comment};
use refnum_domain::ticket::TicketSource;
use refnum_services::assistance::attachments::Upload;
use refnum_services::assistance::comments::{self, CommentInput, FileStore};
use refnum_services::assistance::create::{self, TicketInput};
use refnum_services::assistance::list::{self, ListInput, TicketSort};
use refnum_services::assistance::workflow::{self, TicketChanges};
use refnum_services::assistance::{attachments, view};
use refnum_services::{FieldError, ServiceError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tickets))
        .routes(routes!(create_ticket))
        .routes(routes!(get_ticket, patch_ticket))
        .routes(routes!(list_comments, add_comment))
        .routes(
            routes!(list_attachments, upload_attachment).layer(DefaultBodyLimit::max(
                attachments::DEFAULT_MAX_BYTES + MULTIPART_OVERHEAD,
            )),
        )
        .routes(routes!(download_attachment))
}

/// Room for the multipart framing and small fields around a largest file.
const MULTIPART_OVERHEAD: usize = 256 * 1024;

#[derive(Serialize, ToSchema)]
pub struct TicketOut {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// Human number, unique in its school.
    pub number: i64,
    /// `incident` or `request`.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Asset categories, plus `network`, `ent`, `account`, `software`, `other`.
    pub category: String,
    pub asset_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    /// `low`, `medium` or `high`.
    pub urgency: String,
    pub impact: String,
    /// `p1` (most pressing) to `p4`.
    pub priority: String,
    pub unusable: bool,
    /// `new`, `taken`, `escalated`, `waiting`, `resolved` or `closed`.
    pub status: String,
    pub requester_id: Option<Uuid>,
    pub requester_name: String,
    /// `web`, `qr` or `api`.
    pub source: String,
    pub assignee_id: Option<Uuid>,
    pub assigned_org_id: Option<Uuid>,
    pub external_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub taken_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
}

impl From<ticket::Model> for TicketOut {
    fn from(t: ticket::Model) -> Self {
        TicketOut {
            id: t.id,
            etablissement_id: t.etablissement_id,
            number: t.number,
            kind: t.kind,
            title: t.title,
            description: t.description,
            category: t.category,
            asset_id: t.asset_id,
            room_id: t.room_id,
            urgency: t.urgency,
            impact: t.impact,
            priority: t.priority,
            unusable: t.unusable,
            status: t.status,
            requester_id: t.requester_id,
            requester_name: t.requester_name,
            source: t.source,
            assignee_id: t.assignee_id,
            assigned_org_id: t.assigned_org_id,
            external_ref: t.external_ref,
            created_at: t.created_at,
            updated_at: t.updated_at,
            taken_at: t.taken_at,
            escalated_at: t.escalated_at,
            resolved_at: t.resolved_at,
            closed_at: t.closed_at,
            response_due_at: t.response_due_at,
            resolution_due_at: t.resolution_due_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TicketPage {
    pub items: Vec<TicketOut>,
    pub page: u64,
    pub per_page: u64,
    /// True when a next page exists.
    pub has_next: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct TicketListParams {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page (1 to 200, default 50).
    pub per_page: Option<u64>,
    pub etablissement_id: Option<Uuid>,
    /// A status code, `all`, or nothing for the open tickets.
    pub status: Option<String>,
    pub priority: Option<String>,
    pub category: Option<String>,
    pub organisation_id: Option<Uuid>,
    /// Only the tickets the caller opened or is assigned to.
    pub mine: Option<bool>,
    /// Only the open tickets past their resolution due time.
    pub overdue: Option<bool>,
    /// Only the tickets flagging their equipment unusable.
    pub unusable: Option<bool>,
    /// Words searched in number, title and description.
    pub q: Option<String>,
    /// `number`, `created` (default), `priority`, `due` or `updated`.
    pub sort: Option<String>,
    /// `asc` or `desc` (default: newest first).
    pub order: Option<String>,
}

fn json_error(e: JsonRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::body_too_large();
    }
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "bad_request",
        message: format!("Malformed JSON body: {}", e.body_text()),
        field: None,
    }
}

/// The tickets the caller may see, filtered, sorted and paged.
#[utoipa::path(
    get,
    path = "/api/v1/tickets",
    tag = "assistance",
    params(TicketListParams),
    responses(
        (status = 200, description = "One page of tickets", body = TicketPage),
        (status = 401, description = "Missing or invalid token")
    )
)]
pub async fn list_tickets(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Query(p): Query<TicketListParams>,
) -> ApiResult<TicketPage> {
    let page = p.page.unwrap_or(1).clamp(1, 1_000_000);
    let per_page = p.per_page.unwrap_or(50).clamp(1, 200);
    let sort = match p.sort.as_deref() {
        Some("number") => TicketSort::Number,
        Some("priority") => TicketSort::Priority,
        Some("due") => TicketSort::Due,
        Some("updated") => TicketSort::Updated,
        _ => TicketSort::Created,
    };
    let desc = match p.order.as_deref() {
        Some("asc") => false,
        Some("desc") => true,
        _ => matches!(sort, TicketSort::Created | TicketSort::Updated),
    };
    let cut = |s: Option<String>| s.unwrap_or_default().chars().take(100).collect::<String>();
    let input = ListInput {
        etablissement_id: p.etablissement_id,
        status: cut(p.status),
        priority: cut(p.priority),
        category: cut(p.category),
        organisation_id: p.organisation_id,
        mine: p.mine.unwrap_or(false),
        overdue: p.overdue.unwrap_or(false),
        unusable: p.unusable.unwrap_or(false),
        q: cut(p.q),
        sort,
        desc,
        page,
        per_page,
    };
    let l = list::list(&state.db, &ctx, &input).await?;
    Ok(Json(TicketPage {
        items: l.rows.into_iter().map(|r| r.ticket.into()).collect(),
        page,
        per_page,
        has_next: l.has_next,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct TicketIn {
    /// `incident` (default) or `request`.
    #[serde(default)]
    pub kind: Option<String>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A category code; the asset's category when empty.
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub asset_id: Option<Uuid>,
    #[serde(default)]
    pub room_id: Option<Uuid>,
    /// `low`, `medium` (default) or `high`.
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub unusable: bool,
}

/// Opens a ticket in a school (staff of the school).
#[utoipa::path(
    post,
    path = "/api/v1/etablissements/{id}/tickets",
    tag = "assistance",
    params(("id" = Uuid, Path, description = "School id")),
    request_body = TicketIn,
    responses(
        (status = 201, description = "The new ticket", body = TicketOut),
        (status = 400, description = "Malformed body"),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not report faults in this school"),
        (status = 404, description = "No such school in the caller's scope"),
        (status = 422, description = "Invalid field (named in the error)")
    )
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    body: Result<Json<TicketIn>, JsonRejection>,
) -> Result<(StatusCode, Json<TicketOut>), ApiError> {
    let id = path_id(&id)?;
    let Json(b) = body.map_err(json_error)?;
    let input = TicketInput {
        kind: b.kind.unwrap_or_else(|| "incident".into()),
        title: b.title,
        description: b.description,
        category: b.category.unwrap_or_default(),
        asset_id: b.asset_id.map(|a| a.to_string()).unwrap_or_default(),
        room_id: b.room_id.map(|r| r.to_string()).unwrap_or_default(),
        urgency: b.urgency.unwrap_or_else(|| "medium".into()),
        impact: b.impact.unwrap_or_else(|| "medium".into()),
        unusable: b.unusable,
    };
    let t = create::create(&state.db, &ctx, id, &input, TicketSource::Api).await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// One ticket, if the caller may see it (404 otherwise).
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{ticket_id}",
    tag = "assistance",
    params(("ticket_id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket", body = TicketOut),
        (status = 401, description = "Missing or invalid token"),
        (status = 404, description = "No such ticket in the caller's scope")
    )
)]
pub async fn get_ticket(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
) -> ApiResult<TicketOut> {
    let id = path_id(&ticket_id)?;
    let v = view::show(&state.db, &ctx, id).await?;
    Ok(Json(v.ticket.into()))
}

/// Changes to a ticket: every field is optional, those given are checked
/// together and applied in one transaction, in this order: escalation
/// (`organisation_id`, with `external_ref`), assignment, external reference,
/// urgency/impact/unusable, status (checked from the status the escalation
/// leaves). If any is refused, nothing changes.
#[derive(Deserialize, ToSchema)]
pub struct TicketPatch {
    /// Escalate to this support organisation (it must serve the school).
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// The provider's reference (with `organisation_id`: empty keeps the
    /// current one; alone: empty clears it).
    #[serde(default)]
    pub external_ref: Option<String>,
    /// Assign to this person of the school; an empty string unassigns.
    #[serde(default)]
    pub assignee_id: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub unusable: Option<bool>,
    /// The new status (the transition must be allowed).
    #[serde(default)]
    pub status: Option<String>,
}

/// The API's name of a field the services name after the page forms.
fn api_field(field: &'static str) -> &'static str {
    match field {
        "organisation" => "organisation_id",
        "assignee" => "assignee_id",
        f => f,
    }
}

/// A service error as the ticket routes answer it: an illegal or stale
/// transition is a 409 conflict.
fn ticket_error(e: ServiceError) -> ApiError {
    let e = match e {
        ServiceError::Invalid(errs) => ServiceError::Invalid(
            errs.into_iter()
                .map(|f| FieldError {
                    field: api_field(f.field),
                    key: f.key,
                })
                .collect(),
        ),
        other => other,
    };
    let is_conflict = matches!(&e, ServiceError::Invalid(errs)
        if errs.iter().any(|f| f.key == "ticket-error-transition" || f.key == "ticket-error-changed"));
    let mut err = ApiError::from(e);
    if is_conflict {
        err.status = StatusCode::CONFLICT;
        err.code = "conflict";
    }
    err
}

/// Works on a ticket: escalation, assignment, reference, priority, status,
/// all or nothing.
#[utoipa::path(
    patch,
    path = "/api/v1/tickets/{ticket_id}",
    tag = "assistance",
    params(("ticket_id" = Uuid, Path, description = "Ticket id")),
    request_body = TicketPatch,
    responses(
        (status = 200, description = "The ticket after the changes", body = TicketOut),
        (status = 400, description = "Malformed body"),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may see the ticket but not make one of these changes (nothing changed)"),
        (status = 404, description = "No such ticket in the caller's scope"),
        (status = 409, description = "A transition is not allowed from the current status, or the ticket changed meanwhile (nothing changed)"),
        (status = 422, description = "Invalid field, named in the error (nothing changed)")
    )
)]
pub async fn patch_ticket(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
    body: Result<Json<TicketPatch>, JsonRejection>,
) -> ApiResult<TicketOut> {
    let id = path_id(&ticket_id)?;
    let Json(p) = body.map_err(json_error)?;
    let changes = TicketChanges {
        organisation: p.organisation_id.map(|o| o.to_string()),
        external_ref: p.external_ref,
        assignee: p.assignee_id,
        urgency: p.urgency,
        impact: p.impact,
        unusable: p.unusable,
        status: p.status,
    };
    let t = workflow::update(&state.db, &ctx, id, &changes)
        .await
        .map_err(ticket_error)?;
    Ok(Json(t.into()))
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    /// Internal comments are shown only to those who handle the ticket.
    pub internal: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl From<ticket_comment::Model> for CommentOut {
    fn from(c: ticket_comment::Model) -> Self {
        CommentOut {
            id: c.id,
            author_id: c.author_id,
            author_name: c.author_name,
            internal: c.internal,
            body: c.body,
            created_at: c.created_at,
        }
    }
}

/// The comments of a ticket the caller may read (internal ones only for
/// those who handle it).
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{ticket_id}/comments",
    tag = "assistance",
    params(("ticket_id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The comments, oldest first", body = Vec<CommentOut>),
        (status = 401, description = "Missing or invalid token"),
        (status = 404, description = "No such ticket in the caller's scope")
    )
)]
pub async fn list_comments(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
) -> ApiResult<Vec<CommentOut>> {
    let id = path_id(&ticket_id)?;
    let v = view::show(&state.db, &ctx, id).await?;
    Ok(Json(v.comments.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct CommentIn {
    pub body: String,
    /// Hidden from the requester (needs the right to handle the ticket).
    #[serde(default)]
    pub internal: bool,
}

/// Adds a comment to a ticket.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{ticket_id}/comments",
    tag = "assistance",
    params(("ticket_id" = Uuid, Path, description = "Ticket id")),
    request_body = CommentIn,
    responses(
        (status = 201, description = "The new comment", body = CommentOut),
        (status = 400, description = "Malformed body"),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not write internal comments"),
        (status = 404, description = "No such ticket in the caller's scope"),
        (status = 422, description = "Invalid field (named in the error)")
    )
)]
pub async fn add_comment(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
    body: Result<Json<CommentIn>, JsonRejection>,
) -> Result<(StatusCode, Json<CommentOut>), ApiError> {
    let id = path_id(&ticket_id)?;
    let Json(b) = body.map_err(json_error)?;
    let c = comments::add(
        &state.db,
        &ctx,
        FileStore {
            dir: &state.config.files_dir,
            max_bytes: attachments::DEFAULT_MAX_BYTES,
        },
        id,
        CommentInput {
            body: b.body,
            internal: b.internal,
            file: None,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// A file attached to a ticket.
#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: Uuid,
    pub ticket_id: Uuid,
    /// The comment it came with (internal ones are shown only to those who
    /// handle the ticket).
    pub comment_id: Option<Uuid>,
    /// The name it was sent with (without any path).
    pub file_name: String,
    /// Detected from the content: `image/png`, `image/jpeg`, `image/gif`,
    /// `image/webp`, `application/pdf` or `text/plain`.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the content, in hexadecimal.
    pub sha256: String,
    pub uploaded_by_name: String,
    pub created_at: DateTime<Utc>,
}

impl From<ticket_attachment::Model> for AttachmentOut {
    fn from(a: ticket_attachment::Model) -> Self {
        AttachmentOut {
            id: a.id,
            ticket_id: a.ticket_id,
            comment_id: a.comment_id,
            file_name: a.original_name,
            content_type: a.content_type,
            size: a.size,
            sha256: a.sha256,
            uploaded_by_name: a.uploaded_by_name,
            created_at: a.created_at,
        }
    }
}

/// The attachments of a ticket the caller may read (those of internal
/// comments only for those who handle it).
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{ticket_id}/attachments",
    tag = "assistance",
    params(("ticket_id" = Uuid, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The attachments, oldest first", body = Vec<AttachmentOut>),
        (status = 401, description = "Missing or invalid token"),
        (status = 404, description = "No such ticket in the caller's scope")
    )
)]
pub async fn list_attachments(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
) -> ApiResult<Vec<AttachmentOut>> {
    let id = path_id(&ticket_id)?;
    let v = view::show(&state.db, &ctx, id).await?;
    Ok(Json(v.attachments.into_iter().map(Into::into).collect()))
}

/// The multipart form of an upload, as documented.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// The file (10 MiB at most; its type is detected from its content).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// A comment to go with it (optional).
    pub comment: Option<String>,
    /// `true` to hide it from the requester (needs the right to handle the ticket).
    pub internal: Option<bool>,
}

fn too_big() -> ApiError {
    ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "too_large",
        message: "file: the file is larger than 10 MiB.".into(),
        field: Some("file"),
    }
}

fn bad_multipart() -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "bad_request",
        message: "Malformed multipart body.".into(),
        field: None,
    }
}

/// Adds a file to a ticket (multipart: `file`, optional `comment` and
/// `internal`), with the checks of the ticket page: type detected from the
/// content, 10 MiB at most.
#[utoipa::path(
    post,
    path = "/api/v1/tickets/{ticket_id}/attachments",
    tag = "assistance",
    params(("ticket_id" = Uuid, Path, description = "Ticket id")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The stored attachment", body = AttachmentOut),
        (status = 400, description = "Malformed multipart body"),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not comment, or not internally"),
        (status = 404, description = "No such ticket in the caller's scope"),
        (status = 413, description = "The file is larger than 10 MiB"),
        (status = 422, description = "No file, or a type that is not accepted (named in the error)")
    )
)]
pub async fn upload_attachment(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<AttachmentOut>), ApiError> {
    let id = path_id(&ticket_id)?;
    let mut mp = mp.map_err(|_| bad_multipart())?;
    let max = attachments::DEFAULT_MAX_BYTES;
    let mut file: Option<Upload> = None;
    let mut comment = String::new();
    let mut internal = false;
    let mut oversized = false;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                // Past the route's body limit, or a broken body.
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    oversized = true;
                    break;
                }
                return Err(bad_multipart());
            }
        };
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let mut bytes = vec![];
                while let Some(chunk) = field.chunk().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_big()
                    } else {
                        bad_multipart()
                    }
                })? {
                    if bytes.len() + chunk.len() > max {
                        oversized = true;
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if oversized {
                    break;
                }
                file = Some(Upload {
                    file_name: name,
                    bytes,
                });
            }
            Some("comment") => comment = field.text().await.map_err(|_| bad_multipart())?,
            Some("internal") => {
                let v = field.text().await.map_err(|_| bad_multipart())?;
                internal = matches!(v.trim(), "1" | "true" | "on");
            }
            _ => {}
        }
    }
    if oversized {
        // Still a 404 outside the caller's scope.
        view::show(&state.db, &ctx, id).await?;
        return Err(too_big());
    }
    let Some(file) = file else {
        view::show(&state.db, &ctx, id).await?;
        return Err(ApiError::from(ServiceError::field(
            "file",
            "error-required",
        )));
    };
    let a = attachments::upload(
        &state.db,
        &ctx,
        FileStore {
            dir: &state.config.files_dir,
            max_bytes: max,
        },
        id,
        file,
        comment,
        internal,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Downloads an attachment of a ticket, if the caller may read it (those of
/// internal comments only for those who handle the ticket); always as an
/// attachment, with its detected type.
#[utoipa::path(
    get,
    path = "/api/v1/tickets/{ticket_id}/attachments/{attachment_id}",
    tag = "assistance",
    params(
        ("ticket_id" = Uuid, Path, description = "Ticket id"),
        ("attachment_id" = Uuid, Path, description = "Attachment id")
    ),
    responses(
        (status = 200, description = "The file's content", content_type = "application/octet-stream"),
        (status = 401, description = "Missing or invalid token"),
        (status = 404, description = "No such attachment on a ticket in the caller's scope")
    )
)]
pub async fn download_attachment(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((ticket_id, attachment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let tid = path_id(&ticket_id)?;
    let aid = path_id(&attachment_id)?;
    let d =
        attachments::download_of_ticket(&state.db, &ctx, &state.config.files_dir, tid, aid).await?;
    let bytes = match tokio::fs::read(&d.path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ApiError::not_found()),
        Err(e) => {
            return Err(ApiError::from(ServiceError::Internal(format!(
                "could not read an attachment: {e}"
            ))));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, d.row.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                crate::pages::attachment_disposition(&d.row.original_name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
