//! What a ticket's page shows, filtered by what the caller may see.

use super::parc_link::{self, AssetRef, RoomRef};
use super::workflow::allowed_next;
use super::{Loaded, load};
use crate::Ctx;
use crate::error::Result;
use chrono::{DateTime, Utc};
use refnum_db::Db;
use refnum_db::assistance as q;
use refnum_db::entities::assistance::{ticket, ticket_attachment, ticket_comment, ticket_event};
use refnum_db::entities::etablissement;
use refnum_domain::policy::TicketAction;
use refnum_domain::ticket::TicketStatus;
use std::collections::HashSet;
use uuid::Uuid;

/// What the caller may do on the ticket.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rights {
    pub comment: bool,
    pub internal: bool,
    pub work: bool,
    pub handle: bool,
    /// The caller may open the school's equipment pages (a technician of a
    /// support organisation may not: the equipment is named, not linked).
    pub view_asset: bool,
}

pub struct TicketView {
    pub ticket: ticket::Model,
    pub etab: etablissement::Model,
    pub asset: Option<AssetRef>,
    pub room: Option<RoomRef>,
    pub assignee_name: Option<String>,
    pub org_name: Option<String>,
    pub rights: Rights,
    pub next: Vec<TicketStatus>,
    pub events: Vec<ticket_event::Model>,
    /// Internal ones only for who may read them.
    pub comments: Vec<ticket_comment::Model>,
    pub attachments: Vec<ticket_attachment::Model>,
    /// People of the school (handlers only).
    pub people: Vec<(Uuid, String)>,
    /// Organisations serving the school (handlers only).
    pub organisations: Vec<(Uuid, String)>,
    pub response_overdue: bool,
    pub resolution_overdue: bool,
}

pub fn is_overdue(
    due: Option<DateTime<Utc>>,
    done: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    match (due, done) {
        (Some(d), Some(at)) => at > d,
        (Some(d), None) => now > d,
        _ => false,
    }
}

pub async fn show(db: &Db, ctx: &Ctx, id: Uuid) -> Result<TicketView> {
    let l: Loaded = load(db, ctx, id, TicketAction::View).await?;
    let c = &db.conn;
    let rights = Rights {
        comment: l.may(ctx, TicketAction::Comment),
        internal: l.may(ctx, TicketAction::Internal),
        work: l.may(ctx, TicketAction::Work),
        handle: l.may(ctx, TicketAction::Handle),
        view_asset: refnum_domain::policy::decide(
            &ctx.actor,
            refnum_domain::policy::EtabAction::ViewParc,
            &l.facts.etab,
        ) == refnum_domain::policy::Decision::Allow,
    };
    let next = allowed_next(&l, ctx);
    let t = &l.ticket;
    let asset = match t.asset_id {
        Some(a) => parc_link::asset(c, t.etablissement_id, a).await?,
        None => None,
    };
    let room = match t.room_id {
        Some(r) => parc_link::room(c, t.etablissement_id, r).await?,
        None => None,
    };
    let assignee_name = match t.assignee_id {
        Some(a) => q::account_names(c, &[a])
            .await?
            .into_iter()
            .next()
            .map(|x| x.1),
        None => None,
    };
    let org_name = match t.assigned_org_id {
        Some(o) => q::organisation_names(c, &[o])
            .await?
            .into_iter()
            .next()
            .map(|x| x.1),
        None => None,
    };
    let all_comments = q::comments_of(c, t.id, true).await?;
    let hidden: HashSet<Uuid> = all_comments
        .iter()
        .filter(|c| c.internal && !rights.internal)
        .map(|c| c.id)
        .collect();
    let comments = all_comments
        .into_iter()
        .filter(|c| !hidden.contains(&c.id))
        .collect();
    let attachments = q::attachments_of(c, t.id)
        .await?
        .into_iter()
        .filter(|a| a.comment_id.is_none_or(|cid| !hidden.contains(&cid)))
        .collect();
    let events = q::events_of(c, t.id)
        .await?
        .into_iter()
        .filter(|e| rights.internal || e.detail.as_deref() != Some("internal"))
        .collect();
    let (people, organisations) = if rights.handle {
        (
            q::people_of_school(c, t.etablissement_id).await?,
            q::organisations_serving(c, t.etablissement_id).await?,
        )
    } else {
        (vec![], vec![])
    };
    let now = Utc::now();
    let response_overdue = is_overdue(t.response_due_at, t.taken_at, now);
    let resolution_overdue = is_overdue(t.resolution_due_at, t.resolved_at, now);
    Ok(TicketView {
        ticket: l.ticket.clone(),
        etab: l.etab,
        asset,
        room,
        assignee_name,
        org_name,
        rights,
        next,
        events,
        comments,
        attachments,
        people,
        organisations,
        response_overdue,
        resolution_overdue,
    })
}
