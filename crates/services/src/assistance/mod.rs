//! Assistance: the helpdesk with the support services.
//!
//! Every read and write of a ticket asks `refnum_domain::policy::decide_ticket`
//! (lists use `ticket_scope`); outside scope the answer is `NotFound`. Every
//! write runs in one transaction with its ticket event, its audit event and
//! the in-app notifications it causes.

pub mod attachments;
pub mod comments;
pub mod create;
pub mod list;
pub mod parc_link;
pub mod qr;
pub mod view;
pub mod workflow;

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::assistance::{self as q, NewNotification};
use refnum_db::entities::assistance::{asset_unavailability as unavail, ticket, ticket_event};
use refnum_db::entities::etablissement;
use refnum_db::{ConnectionTrait, Db, orgs};
use refnum_domain::policy::{self, Decision, TicketAction, TicketFacts};
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;

/// The path of a ticket's page (notifications link to it).
pub fn ticket_link(id: Uuid) -> String {
    format!("/assistance/tickets/{id}")
}

/// Roles notified of a new ticket of their school.
pub const MANAGER_ROLES: [&str; 2] = ["referent", "direction"];

/// The facts the policy needs about a ticket.
pub async fn facts_of<C: ConnectionTrait>(
    c: &C,
    etab: &etablissement::Model,
    t: &ticket::Model,
) -> Result<TicketFacts> {
    Ok(TicketFacts {
        etab: orgs::etab_facts(c, etab).await?,
        requester_id: t.requester_id,
        assignee_id: t.assignee_id,
        assigned_org: t.assigned_org_id,
        assigned_org_collectivite: match t.assigned_org_id {
            Some(o) => q::collectivite_of_organisation(c, o).await?,
            None => None,
        },
    })
}

/// A ticket the caller may act on, with its school and the policy's facts.
pub struct Loaded {
    pub ticket: ticket::Model,
    pub etab: etablissement::Model,
    pub facts: TicketFacts,
}

impl Loaded {
    pub fn may(&self, ctx: &Ctx, action: TicketAction) -> bool {
        policy::decide_ticket(&ctx.actor, action, &self.facts) == Decision::Allow
    }
}

/// Loads a ticket and asks the policy; refusals are recorded and answer
/// `NotFound` outside the caller's scope, `Forbidden` inside it.
pub async fn load(db: &Db, ctx: &Ctx, id: Uuid, action: TicketAction) -> Result<Loaded> {
    let Some(t) = q::get_ticket(&db.conn, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let Some(etab) = orgs::get_etablissement(&db.conn, t.etablissement_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let facts = facts_of(&db.conn, &etab, &t).await?;
    match policy::decide_ticket(&ctx.actor, action, &facts) {
        Decision::Allow => Ok(Loaded {
            ticket: t,
            etab,
            facts,
        }),
        Decision::Forbidden => {
            audit::record_refusal(db, ctx, &format!("ticket:{id}:{action:?}"), Some(etab.id)).await;
            Err(ServiceError::Forbidden)
        }
        Decision::NotFound => {
            audit::record_refusal(db, ctx, &format!("ticket:{id}:{action:?}"), None).await;
            Err(ServiceError::NotFound)
        }
    }
}

/// Who acts: an account, or an anonymous reporter by the name they gave.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub name: String,
    pub who: Who,
}

impl Actor {
    pub fn of(ctx: &Ctx) -> Actor {
        Actor {
            id: Some(ctx.account.id),
            name: ctx.account.display_name.clone(),
            who: Who::of(ctx),
        }
    }
}

/// One step of the history.
pub struct Step<'a> {
    pub kind: &'a str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub detail: Option<String>,
}

/// Writes a ticket event and its audit event, in the caller's transaction.
pub async fn record_step<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &ticket::Model,
    step: Step<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    ticket_event::Entity::insert(ticket_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        ticket_id: Set(t.id),
        etablissement_id: Set(t.etablissement_id),
        occurred_at: Set(now),
        actor_id: Set(actor.id),
        actor_name: Set(actor.name.clone()),
        kind: Set(step.kind.to_string()),
        from_value: Set(step.from.clone()),
        to_value: Set(step.to.clone()),
        detail: Set(step.detail.clone()),
    })
    .exec_without_returning(c)
    .await?;
    audit::record(
        c,
        Event {
            who: &actor.who,
            action: &format!("ticket.{}", step.kind),
            target: format!("ticket:{}", t.id),
            etablissement_id: Some(t.etablissement_id),
            outcome: "ok",
            details: serde_json::json!({
                "number": t.number,
                "from": step.from,
                "to": step.to,
            }),
        },
    )
    .await?;
    Ok(())
}

/// Notifies accounts of a ticket event (never the actor themself).
pub async fn notify<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &ticket::Model,
    kind: &str,
    to: Vec<Uuid>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut to = to;
    to.sort();
    to.dedup();
    let items = to
        .into_iter()
        .filter(|a| Some(*a) != actor.id)
        .map(|account_id| NewNotification {
            account_id,
            ticket_id: Some(t.id),
            etablissement_id: Some(t.etablissement_id),
            kind: kind.to_string(),
            title: format!("#{} {}", t.number, t.title),
            link: ticket_link(t.id),
        })
        .collect();
    q::notify(c, items, now).await?;
    Ok(())
}

/// Opens an unavailability period for a ticket's asset, unless one is open.
pub async fn open_unavailability<C: ConnectionTrait>(
    c: &C,
    t: &ticket::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(asset_id) = t.asset_id else {
        return Ok(());
    };
    if q::open_unavailability(c, t.id).await?.is_some() {
        return Ok(());
    }
    unavail::Entity::insert(unavail::ActiveModel {
        id: Set(Uuid::now_v7()),
        etablissement_id: Set(t.etablissement_id),
        asset_id: Set(asset_id),
        ticket_id: Set(t.id),
        started_at: Set(now),
        ended_at: Set(None),
    })
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// The SLA due times of a ticket (from the support contract that applies),
/// counted from `from`; none when no contract promises any.
pub async fn due_times<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    org: Option<Uuid>,
    priority: &str,
    from: DateTime<Utc>,
) -> Result<crate::support::sla::SlaDue> {
    let Some(p) = refnum_domain::ticket::Priority::parse(priority) else {
        return Ok(crate::support::sla::SlaDue::default());
    };
    crate::support::sla::due_times(c, etab, org, p, from).await
}

/// Trims a text field and checks its length; `None` when empty.
pub(crate) fn clean(s: &str, max: usize) -> std::result::Result<Option<String>, ()> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max
        || t.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(());
    }
    Ok(Some(t.to_string()))
}
