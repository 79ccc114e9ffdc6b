//! Assistance API: tickets and their comments, with the same services (and
//! so the same policy and scoping) as the pages.

use super::{ApiCtx, ApiResult};
use crate::AppState;
use crate::errors::ApiError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use refnum_db::entities::assistance::{ticket, ticket_comment};
use refnum_domain::ticket::TicketSource;
use refnum_services::assistance::comments::{self, CommentInput, FileStore};
use refnum_services::assistance::create::{self, TicketInput};
use refnum_services::assistance::list::{self, ListInput, TicketSort};
use refnum_services::assistance::{attachments, view, workflow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tickets))
        .routes(routes!(create_ticket))
        .routes(routes!(get_ticket, patch_ticket))
        .routes(routes!(list_comments, add_comment))
}

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
    ApiError {
        status: StatusCode::BAD_REQUEST,
        code: "bad_request",
        message: format!("Malformed JSON body: {}", e.body_text()),
        field: None,
    }
}

fn id_of(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| ApiError::not_found())
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
    let id = id_of(&id)?;
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
    let id = id_of(&ticket_id)?;
    let v = view::show(&state.db, &ctx, id).await?;
    Ok(Json(v.ticket.into()))
}

/// Changes to a ticket, applied in this order: escalation
/// (`organisation_id`, with `external_ref`), assignment, external reference,
/// urgency/impact/unusable, status. Each change asks the policy; the first
/// refused one stops there (the earlier ones stay).
#[derive(Deserialize, ToSchema)]
pub struct TicketPatch {
    /// Escalate to this support organisation (it must serve the school).
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// The provider's reference.
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

/// Works on a ticket: escalation, assignment, reference, priority, status.
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
        (status = 403, description = "The caller may see the ticket but not do this"),
        (status = 404, description = "No such ticket in the caller's scope"),
        (status = 409, description = "The transition is not allowed from the current status"),
        (status = 422, description = "Invalid field (named in the error)")
    )
)]
pub async fn patch_ticket(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(ticket_id): Path<String>,
    body: Result<Json<TicketPatch>, JsonRejection>,
) -> ApiResult<TicketOut> {
    let id = id_of(&ticket_id)?;
    let Json(p) = body.map_err(json_error)?;
    let db = &state.db;
    // Outside scope, 404 before anything else.
    let mut t = view::show(db, &ctx, id).await?.ticket;
    let conflict = |e: refnum_services::ServiceError| -> ApiError {
        let is_conflict = matches!(&e, refnum_services::ServiceError::Invalid(errs)
            if errs.iter().any(|f| f.key == "ticket-error-transition" || f.key == "ticket-error-changed"));
        let mut err = ApiError::from(e);
        if is_conflict {
            err.status = StatusCode::CONFLICT;
            err.code = "conflict";
        }
        err
    };
    if let Some(org) = p.organisation_id {
        t = workflow::escalate(
            db,
            &ctx,
            id,
            &org.to_string(),
            p.external_ref.as_deref().unwrap_or(""),
        )
        .await
        .map_err(conflict)?;
    } else if let Some(r) = &p.external_ref {
        t = workflow::set_external_ref(db, &ctx, id, r)
            .await
            .map_err(conflict)?;
    }
    if let Some(a) = &p.assignee_id {
        t = workflow::assign(db, &ctx, id, a).await.map_err(conflict)?;
    }
    if p.urgency.is_some() || p.impact.is_some() || p.unusable.is_some() {
        t = workflow::set_priority(
            db,
            &ctx,
            id,
            p.urgency.as_deref().unwrap_or(&t.urgency),
            p.impact.as_deref().unwrap_or(&t.impact),
            p.unusable.unwrap_or(t.unusable),
        )
        .await
        .map_err(conflict)?;
    }
    if let Some(s) = &p.status {
        t = workflow::change_status(db, &ctx, id, s)
            .await
            .map_err(conflict)?;
    }
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
    let id = id_of(&ticket_id)?;
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
    let id = id_of(&ticket_id)?;
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
