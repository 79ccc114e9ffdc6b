//! Working on a ticket: status transitions (enforced by
//! `refnum_domain::ticket::transition`), assignment to a person of the
//! school, escalation to a support organisation serving it, the external
//! reference, the priority and the "unusable" flag.
//!
//! Every update is conditional on the status read before it: a concurrent
//! change makes it fail with a field error, nothing changed.

use super::{Actor, Loaded, Step, load, notify, open_unavailability, record_step};
use crate::Ctx;
use crate::error::{Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::assistance as q;
use refnum_db::entities::assistance::ticket;
use refnum_db::{ConnectionTrait, Db};
use refnum_domain::policy::TicketAction;
use refnum_domain::ticket::{Level, TicketStatus, priority, transition};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub const EXTERNAL_REF_MAX: usize = 100;

fn status_of(t: &ticket::Model) -> Result<TicketStatus> {
    TicketStatus::parse(&t.status)
        .ok_or_else(|| ServiceError::Internal(format!("unknown ticket status {}", t.status)))
}

/// The action the policy must allow for a status change.
pub fn action_for(from: TicketStatus, to: TicketStatus) -> TicketAction {
    use TicketStatus::*;
    match (from, to) {
        (Resolved | Closed, Taken) => TicketAction::Reopen,
        // The requester confirms the fix.
        (Resolved, Closed) => TicketAction::Reopen,
        (_, Closed | Escalated) => TicketAction::Handle,
        _ => TicketAction::Work,
    }
}

/// The statuses the caller may move this ticket to, in life-cycle order.
pub fn allowed_next(l: &Loaded, ctx: &Ctx) -> Vec<TicketStatus> {
    let Ok(from) = status_of(&l.ticket) else {
        return vec![];
    };
    from.next()
        .into_iter()
        // Escalating needs an organisation: the escalation form does it.
        .filter(|to| *to != TicketStatus::Escalated || l.ticket.assigned_org_id.is_some())
        .filter(|to| l.may(ctx, action_for(from, *to)))
        .collect()
}

/// Writes the changed columns if the status is still `expected`.
async fn update_if<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    expected: &str,
    am: ticket::ActiveModel,
) -> Result<()> {
    let res = ticket::Entity::update_many()
        .set(am)
        .filter(ticket::Column::Id.eq(id))
        .filter(ticket::Column::Status.eq(expected))
        .exec(c)
        .await?;
    if res.rows_affected == 0 {
        return Err(ServiceError::field("status", "ticket-error-changed"));
    }
    Ok(())
}

async fn reread<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<ticket::Model> {
    q::get_ticket(c, id).await?.ok_or(ServiceError::NotFound)
}

/// Moves a ticket to another status.
pub async fn change_status(db: &Db, ctx: &Ctx, id: Uuid, to: &str) -> Result<ticket::Model> {
    let Some(to) = TicketStatus::parse(to.trim()) else {
        // Still ask the policy first: outside scope is a 404.
        load(db, ctx, id, TicketAction::View).await?;
        return Err(ServiceError::field("status", "error-choice"));
    };
    let l = load(db, ctx, id, TicketAction::View).await?;
    let from = status_of(&l.ticket)?;
    if !l.may(ctx, action_for(from, to)) {
        crate::audit::record_refusal(
            db,
            ctx,
            &format!("ticket:{id}:status:{}", to.as_str()),
            Some(l.etab.id),
        )
        .await;
        return Err(ServiceError::Forbidden);
    }
    if transition(from, to).is_err()
        || (to == TicketStatus::Escalated && l.ticket.assigned_org_id.is_none())
    {
        return Err(ServiceError::field("status", "ticket-error-transition"));
    }
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    apply_status(&*txn, &actor, &l.ticket, from, to, now).await?;
    let t = reread(&*txn, id).await?;
    txn.commit().await?;
    Ok(t)
}

/// Applies a checked transition with its dates, history, unavailability and
/// notifications.
pub(crate) async fn apply_status<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &ticket::Model,
    from: TicketStatus,
    to: TicketStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    use TicketStatus::*;
    let mut am = ticket::ActiveModel {
        status: Set(to.as_str().to_string()),
        updated_at: Set(now),
        ..Default::default()
    };
    let reopening = matches!(from, Resolved | Closed) && to == Taken;
    if t.taken_at.is_none() && (actor.id.is_none() || actor.id != t.requester_id) {
        am.taken_at = Set(Some(now));
    }
    match to {
        Resolved => am.resolved_at = Set(Some(now)),
        Closed => am.closed_at = Set(Some(now)),
        Escalated => am.escalated_at = Set(Some(now)),
        _ => {}
    }
    if reopening {
        am.resolved_at = Set(None);
        am.closed_at = Set(None);
    }
    update_if(c, t.id, from.as_str(), am).await?;
    record_step(
        c,
        actor,
        t,
        Step {
            kind: if reopening { "reopened" } else { "status" },
            from: Some(from.as_str().to_string()),
            to: Some(to.as_str().to_string()),
            detail: None,
        },
        now,
    )
    .await?;
    if !to.is_open() {
        q::close_unavailability(c, t.id, now).await?;
    } else if reopening && t.unusable {
        open_unavailability(c, t, now).await?;
    }
    let mut who: Vec<Uuid> = t.requester_id.into_iter().chain(t.assignee_id).collect();
    if let (Escalated, Some(org)) = (to, t.assigned_org_id) {
        who.extend(q::technicians_of(c, org).await?);
    }
    notify(c, actor, t, "ticket-status", who, now).await?;
    Ok(())
}

/// Assigns the ticket to a person of the school, or to nobody (empty).
pub async fn assign(db: &Db, ctx: &Ctx, id: Uuid, assignee: &str) -> Result<ticket::Model> {
    let l = load(db, ctx, id, TicketAction::Handle).await?;
    let people = q::people_of_school(&db.conn, l.etab.id).await?;
    let new = match assignee.trim() {
        "" => None,
        s => {
            let found = Uuid::parse_str(s)
                .ok()
                .and_then(|a| people.iter().find(|(pid, _)| *pid == a).cloned());
            match found {
                Some(p) => Some(p),
                None => return Err(ServiceError::field("assignee", "ticket-error-assignee")),
            }
        }
    };
    if new.as_ref().map(|p| p.0) == l.ticket.assignee_id {
        return Ok(l.ticket);
    }
    let old_name = match l.ticket.assignee_id {
        Some(a) => q::account_names(&db.conn, &[a])
            .await?
            .into_iter()
            .next()
            .map(|(_, n)| n),
        None => None,
    };
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let mut am = ticket::ActiveModel {
        assignee_id: Set(new.as_ref().map(|p| p.0)),
        updated_at: Set(now),
        ..Default::default()
    };
    if l.ticket.taken_at.is_none() {
        am.taken_at = Set(Some(now));
    }
    update_if(&*txn, id, &l.ticket.status, am).await?;
    record_step(
        &*txn,
        &actor,
        &l.ticket,
        Step {
            kind: "assigned",
            from: old_name,
            to: new.as_ref().map(|p| p.1.clone()),
            detail: None,
        },
        now,
    )
    .await?;
    if let Some((a, _)) = &new {
        notify(&*txn, &actor, &l.ticket, "ticket-assigned", vec![*a], now).await?;
    }
    let t = reread(&*txn, id).await?;
    txn.commit().await?;
    Ok(t)
}

fn clean_ref(s: &str) -> Result<Option<String>> {
    super::clean(s, EXTERNAL_REF_MAX)
        .map_err(|()| ServiceError::field("external_ref", "ticket-error-external-ref"))
}

/// Escalates the ticket to a support organisation serving its school, with
/// that organisation's own reference (optional).
pub async fn escalate(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    org: &str,
    external_ref: &str,
) -> Result<ticket::Model> {
    let l = load(db, ctx, id, TicketAction::Handle).await?;
    let serving = q::organisations_serving(&db.conn, l.etab.id).await?;
    let Some((org_id, org_name)) = Uuid::parse_str(org.trim())
        .ok()
        .and_then(|o| serving.iter().find(|(sid, _)| *sid == o).cloned())
    else {
        return Err(ServiceError::field(
            "organisation",
            "ticket-error-organisation",
        ));
    };
    let ext = clean_ref(external_ref)?;
    let from = status_of(&l.ticket)?;
    if from != TicketStatus::Escalated && transition(from, TicketStatus::Escalated).is_err() {
        return Err(ServiceError::field(
            "organisation",
            "ticket-error-transition",
        ));
    }
    let old_org = match l.ticket.assigned_org_id {
        Some(o) => q::organisation_names(&db.conn, &[o])
            .await?
            .into_iter()
            .next()
            .map(|(_, n)| n),
        None => None,
    };
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    // The organisation's contract applies from now on.
    let due = super::due_times(&*txn, l.etab.id, Some(org_id), &l.ticket.priority, now).await?;
    let mut am = ticket::ActiveModel {
        status: Set(TicketStatus::Escalated.as_str().to_string()),
        assigned_org_id: Set(Some(org_id)),
        escalated_at: Set(Some(now)),
        updated_at: Set(now),
        response_due_at: Set(due.response),
        resolution_due_at: Set(due.resolution),
        response_reminded_at: Set(None),
        resolution_reminded_at: Set(None),
        ..Default::default()
    };
    if ext.is_some() {
        am.external_ref = Set(ext.clone());
    }
    if l.ticket.taken_at.is_none() {
        am.taken_at = Set(Some(now));
    }
    update_if(&*txn, id, from.as_str(), am).await?;
    record_step(
        &*txn,
        &actor,
        &l.ticket,
        Step {
            kind: "escalated",
            from: old_org,
            to: Some(org_name),
            detail: ext,
        },
        now,
    )
    .await?;
    let techs = q::technicians_of(&*txn, org_id).await?;
    notify(&*txn, &actor, &l.ticket, "ticket-escalated", techs, now).await?;
    let t = reread(&*txn, id).await?;
    txn.commit().await?;
    Ok(t)
}

/// Notes the support organisation's reference (whoever works on it).
pub async fn set_external_ref(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    external_ref: &str,
) -> Result<ticket::Model> {
    let l = load(db, ctx, id, TicketAction::Work).await?;
    let ext = clean_ref(external_ref)?;
    if ext == l.ticket.external_ref {
        return Ok(l.ticket);
    }
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let am = ticket::ActiveModel {
        external_ref: Set(ext.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    update_if(&*txn, id, &l.ticket.status, am).await?;
    record_step(
        &*txn,
        &actor,
        &l.ticket,
        Step {
            kind: "external_ref",
            from: l.ticket.external_ref.clone(),
            to: ext,
            detail: None,
        },
        now,
    )
    .await?;
    let t = reread(&*txn, id).await?;
    txn.commit().await?;
    Ok(t)
}

/// Changes urgency, impact and the "unusable" flag; the priority follows.
pub async fn set_priority(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    urgency: &str,
    impact: &str,
    unusable: bool,
) -> Result<ticket::Model> {
    let l = load(db, ctx, id, TicketAction::Handle).await?;
    let mut errors = vec![];
    let u = Level::parse(urgency.trim());
    if u.is_none() {
        errors.push(crate::FieldError {
            field: "urgency",
            key: "error-choice",
        });
    }
    let i = Level::parse(impact.trim());
    if i.is_none() {
        errors.push(crate::FieldError {
            field: "impact",
            key: "error-choice",
        });
    }
    if unusable && l.ticket.asset_id.is_none() {
        errors.push(crate::FieldError {
            field: "unusable",
            key: "ticket-error-unusable-needs-asset",
        });
    }
    let (Some(u), Some(i)) = (u, i) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let p = priority(u, i, unusable).as_str().to_string();
    let t0 = &l.ticket;
    if t0.urgency == u.as_str() && t0.impact == i.as_str() && t0.unusable == unusable {
        return Ok(l.ticket);
    }
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let mut am = ticket::ActiveModel {
        urgency: Set(u.as_str().to_string()),
        impact: Set(i.as_str().to_string()),
        priority: Set(p.clone()),
        unusable: Set(unusable),
        updated_at: Set(now),
        ..Default::default()
    };
    if p != t0.priority {
        // New priority, new targets, counted from now.
        let due = super::due_times(&*txn, t0.etablissement_id, t0.assigned_org_id, &p, now).await?;
        am.response_due_at = Set(if t0.taken_at.is_some() {
            t0.response_due_at
        } else {
            due.response
        });
        am.resolution_due_at = Set(due.resolution);
        am.response_reminded_at = Set(None);
        am.resolution_reminded_at = Set(None);
    }
    update_if(&*txn, id, &t0.status, am).await?;
    if p != t0.priority {
        record_step(
            &*txn,
            &actor,
            t0,
            Step {
                kind: "priority",
                from: Some(t0.priority.clone()),
                to: Some(p),
                detail: None,
            },
            now,
        )
        .await?;
    }
    if unusable != t0.unusable {
        record_step(
            &*txn,
            &actor,
            t0,
            Step {
                kind: "unusable",
                from: Some(t0.unusable.to_string()),
                to: Some(unusable.to_string()),
                detail: None,
            },
            now,
        )
        .await?;
        let open = TicketStatus::parse(&t0.status).is_some_and(TicketStatus::is_open);
        if unusable && open {
            let mut t = t0.clone();
            t.unusable = true;
            open_unavailability(&*txn, &t, now).await?;
        } else if !unusable {
            q::close_unavailability(&*txn, id, now).await?;
        }
    }
    let t = reread(&*txn, id).await?;
    txn.commit().await?;
    Ok(t)
}
