//! Comments, public or internal, with an optional attachment.

use super::attachments::{self, Upload};
use super::{Actor, MANAGER_ROLES, Step, load, notify, record_step};
use crate::Ctx;
use crate::error::{Result, ServiceError};
use chrono::Utc;
use refnum_db::Db;
use refnum_db::assistance as q;
use refnum_db::entities::assistance::{ticket, ticket_attachment, ticket_comment};
use refnum_domain::policy::TicketAction;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use std::path::Path;
use uuid::Uuid;

pub const BODY_MAX: usize = 10_000;

pub struct CommentInput {
    pub body: String,
    pub internal: bool,
    pub file: Option<Upload>,
}

/// Where attachments go and how big they may be.
#[derive(Debug, Clone)]
pub struct FileStore<'a> {
    pub dir: &'a Path,
    pub max_bytes: usize,
}

/// Adds a comment (and its attachment). Internal comments need `Internal`.
pub async fn add(
    db: &Db,
    ctx: &Ctx,
    store: FileStore<'_>,
    id: Uuid,
    input: CommentInput,
) -> Result<ticket_comment::Model> {
    add_with_attachment(db, ctx, store, id, input)
        .await
        .map(|(c, _)| c)
}

/// Adds a comment and its attachment, and returns both.
pub async fn add_with_attachment(
    db: &Db,
    ctx: &Ctx,
    store: FileStore<'_>,
    id: Uuid,
    input: CommentInput,
) -> Result<(ticket_comment::Model, Option<ticket_attachment::Model>)> {
    let action = if input.internal {
        TicketAction::Internal
    } else {
        TicketAction::Comment
    };
    let l = load(db, ctx, id, action).await?;
    let body = super::clean(&input.body, BODY_MAX)
        .map_err(|()| ServiceError::field("body", "ticket-error-comment"))?
        .unwrap_or_default();
    let file = input
        .file
        .filter(|f| !f.bytes.is_empty() || !f.file_name.is_empty());
    if body.is_empty() && file.is_none() {
        return Err(ServiceError::field("body", "error-required"));
    }
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let comment = ticket_comment::Model {
        id: Uuid::now_v7(),
        ticket_id: id,
        author_id: actor.id,
        author_name: actor.name.clone(),
        internal: input.internal,
        body,
        created_at: now,
    };
    let stored = match &file {
        Some(f) => Some(
            attachments::store(
                store.dir,
                store.max_bytes,
                id,
                Some(comment.id),
                &actor,
                f,
                now,
            )
            .await?,
        ),
        None => None,
    };
    let res = write(
        db,
        &actor,
        &l.ticket,
        &comment,
        stored.as_ref().map(|s| &s.row),
        now,
    )
    .await;
    if res.is_err()
        && let Some(s) = &stored
    {
        let _ = tokio::fs::remove_file(&s.path).await;
    }
    res?;
    Ok((comment, stored.map(|s| s.row)))
}

async fn write(
    db: &Db,
    actor: &Actor,
    t: &ticket::Model,
    comment: &ticket_comment::Model,
    attachment: Option<&ticket_attachment::Model>,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    let txn = db.write().await?;
    ticket_comment::Entity::insert(comment.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await?;
    let visibility = if comment.internal {
        "internal"
    } else {
        "public"
    };
    if !comment.body.is_empty() {
        record_step(
            &*txn,
            actor,
            t,
            Step {
                kind: "comment",
                from: None,
                to: None,
                detail: Some(visibility.to_string()),
            },
            now,
        )
        .await?;
    }
    if let Some(a) = attachment {
        ticket_attachment::Entity::insert(a.clone().into_active_model())
            .exec_without_returning(&*txn)
            .await?;
        record_step(
            &*txn,
            actor,
            t,
            Step {
                kind: "attachment",
                from: None,
                to: Some(a.original_name.clone()),
                detail: Some(visibility.to_string()),
            },
            now,
        )
        .await?;
    }
    let mut am = ticket::ActiveModel {
        updated_at: Set(now),
        ..Default::default()
    };
    let responder = actor.id.is_some() && actor.id != t.requester_id;
    if t.taken_at.is_none() && responder && !comment.internal {
        am.taken_at = Set(Some(now));
    }
    ticket::Entity::update_many()
        .set(am)
        .filter(ticket::Column::Id.eq(t.id))
        .exec(&*txn)
        .await?;
    let mut who: Vec<Uuid> = t.assignee_id.into_iter().collect();
    if let Some(org) = t.assigned_org_id {
        who.extend(q::technicians_of(&*txn, org).await?);
    }
    if !comment.internal {
        who.extend(t.requester_id);
        if !responder {
            who.extend(q::accounts_with_roles_on(&*txn, t.etablissement_id, &MANAGER_ROLES).await?);
        }
    }
    notify(&*txn, actor, t, "ticket-comment", who, now).await?;
    txn.commit().await?;
    Ok(())
}
