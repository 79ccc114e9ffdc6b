//! Working on a ticket: status transitions (enforced by
//! `refnum_domain::ticket::transition`), assignment to a person of the
//! school, escalation to a support organisation serving it, the external
//! reference, the priority and the "unusable" flag.
//!
//! One use case, [`update`], takes every change asked at once (the API's
//! PATCH), checks them all and writes them in one transaction; the pages'
//! single-change functions are thin wrappers over it. Every write is
//! conditional on the status read before it: a concurrent change makes it
//! fail with a field error, nothing changed.

use super::{Actor, Loaded, Step, load, notify, open_unavailability, record_step};
use crate::Ctx;
use crate::error::{FieldError, Result, ServiceError};
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

/// The changes asked of a ticket at once; `None` leaves a field as it is.
/// Checked all together (policy, then fields, then transitions) and applied
/// in one write transaction, in this order: escalation, assignment,
/// external reference, priority, status; or nothing is changed.
#[derive(Debug, Clone, Default)]
pub struct TicketChanges {
    /// Escalate to this support organisation (it must serve the school).
    pub organisation: Option<String>,
    /// The support organisation's reference: with `organisation`, part of
    /// the escalation (empty keeps the current one); alone, replaces it
    /// (empty clears it).
    pub external_ref: Option<String>,
    /// Assign to this person of the school; empty unassigns.
    pub assignee: Option<String>,
    pub urgency: Option<String>,
    pub impact: Option<String>,
    pub unusable: Option<bool>,
    /// The new status; the transition is checked from the status the
    /// escalation (if any) leaves.
    pub status: Option<String>,
}

impl TicketChanges {
    fn priority_asked(&self) -> bool {
        self.urgency.is_some() || self.impact.is_some() || self.unusable.is_some()
    }
}

struct Escalation {
    org_id: Uuid,
    org_name: String,
    ext: Option<String>,
}

struct PriorityChange {
    urgency: Level,
    impact: Level,
    unusable: bool,
}

/// Everything the checks accepted, ready to be written.
#[derive(Default)]
struct Plan {
    escalation: Option<Escalation>,
    /// `Some(None)`: unassign.
    assignee: Option<Option<(Uuid, String)>>,
    external_ref: Option<Option<String>>,
    priority: Option<PriorityChange>,
    status: Option<TicketStatus>,
}

/// Applies the changes asked of a ticket in one transaction (with its
/// history, audit events and notifications), or changes nothing: 404
/// outside the caller's scope, 403 when the policy refuses one of the
/// changes, field errors for bad values, `ticket-error-transition` (a
/// conflict) for a transition the life cycle refuses and
/// `ticket-error-changed` when someone changed the ticket meanwhile.
pub async fn update(db: &Db, ctx: &Ctx, id: Uuid, ch: &TicketChanges) -> Result<ticket::Model> {
    let l = load(db, ctx, id, TicketAction::View).await?;
    let plan = check(db, ctx, &l, ch).await?;
    apply(db, ctx, &l, plan).await
}

/// The policy's checks, then the fields', then the life cycle's.
async fn check(db: &Db, ctx: &Ctx, l: &Loaded, ch: &TicketChanges) -> Result<Plan> {
    let t = &l.ticket;
    let from = status_of(t)?;
    let escalating = ch.organisation.is_some();
    let after_escalation = if escalating {
        TicketStatus::Escalated
    } else {
        from
    };
    let to = ch.status.as_deref().map(|s| TicketStatus::parse(s.trim()));
    // Escalating also brings the status there: no second step for it.
    let to = to.filter(|s| !(escalating && *s == Some(TicketStatus::Escalated)));

    // 1. The policy, for every change asked.
    let mut asked: Vec<(TicketAction, String)> = vec![];
    if escalating {
        asked.push((TicketAction::Handle, "escalate".into()));
    } else if ch.external_ref.is_some() {
        asked.push((TicketAction::Work, "external_ref".into()));
    }
    if ch.assignee.is_some() {
        asked.push((TicketAction::Handle, "assign".into()));
    }
    if ch.priority_asked() {
        asked.push((TicketAction::Handle, "priority".into()));
    }
    if let Some(Some(to)) = to {
        asked.push((
            action_for(after_escalation, to),
            format!("status:{}", to.as_str()),
        ));
    }
    for (action, what) in &asked {
        if !l.may(ctx, *action) {
            crate::audit::record_refusal(
                db,
                ctx,
                &format!("ticket:{id}:{what}", id = t.id),
                Some(l.etab.id),
            )
            .await;
            return Err(ServiceError::Forbidden);
        }
    }

    // 2. The values, all of them.
    let mut errors: Vec<FieldError> = vec![];
    let mut err = |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
    let mut plan = Plan::default();
    let ext = match &ch.external_ref {
        Some(r) => match clean_ref(r) {
            Ok(e) => Some(e),
            Err(()) => {
                err("external_ref", "ticket-error-external-ref");
                None
            }
        },
        None => None,
    };
    if let Some(org) = &ch.organisation {
        let serving = q::organisations_serving(&db.conn, l.etab.id).await?;
        match Uuid::parse_str(org.trim())
            .ok()
            .and_then(|o| serving.into_iter().find(|(sid, _)| *sid == o))
        {
            Some((org_id, org_name)) => {
                plan.escalation = Some(Escalation {
                    org_id,
                    org_name,
                    ext: ext.clone().flatten(),
                })
            }
            None => err("organisation", "ticket-error-organisation"),
        }
    } else if let Some(e) = ext
        && e != t.external_ref
    {
        plan.external_ref = Some(e);
    }
    if let Some(a) = &ch.assignee {
        let new = match a.trim() {
            "" => Some(None),
            s => {
                let people = q::people_of_school(&db.conn, l.etab.id).await?;
                match Uuid::parse_str(s)
                    .ok()
                    .and_then(|a| people.into_iter().find(|(pid, _)| *pid == a))
                {
                    Some(p) => Some(Some(p)),
                    None => {
                        err("assignee", "ticket-error-assignee");
                        None
                    }
                }
            }
        };
        plan.assignee = new.filter(|n| n.as_ref().map(|p| p.0) != t.assignee_id);
    }
    if ch.priority_asked() {
        let u = Level::parse(ch.urgency.as_deref().unwrap_or(&t.urgency).trim());
        if u.is_none() {
            err("urgency", "error-choice");
        }
        let i = Level::parse(ch.impact.as_deref().unwrap_or(&t.impact).trim());
        if i.is_none() {
            err("impact", "error-choice");
        }
        let unusable = ch.unusable.unwrap_or(t.unusable);
        if unusable && t.asset_id.is_none() {
            err("unusable", "ticket-error-unusable-needs-asset");
        }
        if let (Some(u), Some(i)) = (u, i)
            && (t.urgency != u.as_str() || t.impact != i.as_str() || t.unusable != unusable)
        {
            plan.priority = Some(PriorityChange {
                urgency: u,
                impact: i,
                unusable,
            });
        }
    }
    if let Some(None) = to {
        err("status", "error-choice");
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }

    // 3. The life cycle.
    if escalating
        && from != TicketStatus::Escalated
        && transition(from, TicketStatus::Escalated).is_err()
    {
        return Err(ServiceError::field(
            "organisation",
            "ticket-error-transition",
        ));
    }
    if let Some(Some(to)) = to {
        let org_after = t.assigned_org_id.is_some() || escalating;
        if transition(after_escalation, to).is_err()
            || (to == TicketStatus::Escalated && !org_after)
        {
            return Err(ServiceError::field("status", "ticket-error-transition"));
        }
        plan.status = Some(to);
    }
    Ok(plan)
}

/// Writes a checked plan in one transaction.
async fn apply(db: &Db, ctx: &Ctx, l: &Loaded, plan: Plan) -> Result<ticket::Model> {
    let id = l.ticket.id;
    if plan.escalation.is_none()
        && plan.assignee.is_none()
        && plan.external_ref.is_none()
        && plan.priority.is_none()
        && plan.status.is_none()
    {
        return Ok(l.ticket.clone());
    }
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let c = &*txn;
    // Each step writes on the ticket as the previous one left it, and only
    // if its status is still the one read (a concurrent change fails it).
    let mut cur = l.ticket.clone();
    if let Some(e) = plan.escalation {
        apply_escalation(c, &actor, &cur, e, now).await?;
        cur = reread(c, id).await?;
    }
    if let Some(a) = plan.assignee {
        apply_assignment(c, &actor, &cur, a, now).await?;
        cur = reread(c, id).await?;
    }
    if let Some(ext) = plan.external_ref {
        apply_external_ref(c, &actor, &cur, ext, now).await?;
        cur = reread(c, id).await?;
    }
    if let Some(p) = plan.priority {
        apply_priority(c, &actor, &cur, p, now).await?;
        cur = reread(c, id).await?;
    }
    if let Some(to) = plan.status {
        let from = status_of(&cur)?;
        apply_status(c, &actor, &cur, from, to, now).await?;
        cur = reread(c, id).await?;
    }
    txn.commit().await?;
    Ok(cur)
}

/// Moves a ticket to another status.
pub async fn change_status(db: &Db, ctx: &Ctx, id: Uuid, to: &str) -> Result<ticket::Model> {
    let ch = TicketChanges {
        status: Some(to.to_string()),
        ..Default::default()
    };
    update(db, ctx, id, &ch).await
}

/// Assigns the ticket to a person of the school, or to nobody (empty).
pub async fn assign(db: &Db, ctx: &Ctx, id: Uuid, assignee: &str) -> Result<ticket::Model> {
    let ch = TicketChanges {
        assignee: Some(assignee.to_string()),
        ..Default::default()
    };
    update(db, ctx, id, &ch).await
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
    let ch = TicketChanges {
        organisation: Some(org.to_string()),
        external_ref: Some(external_ref.to_string()),
        ..Default::default()
    };
    update(db, ctx, id, &ch).await
}

/// Notes the support organisation's reference (whoever works on it).
pub async fn set_external_ref(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    external_ref: &str,
) -> Result<ticket::Model> {
    let ch = TicketChanges {
        external_ref: Some(external_ref.to_string()),
        ..Default::default()
    };
    update(db, ctx, id, &ch).await
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
    let ch = TicketChanges {
        urgency: Some(urgency.to_string()),
        impact: Some(impact.to_string()),
        unusable: Some(unusable),
        ..Default::default()
    };
    update(db, ctx, id, &ch).await
}

fn clean_ref(s: &str) -> std::result::Result<Option<String>, ()> {
    super::clean(s, EXTERNAL_REF_MAX)
}

async fn apply_escalation<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &ticket::Model,
    e: Escalation,
    now: DateTime<Utc>,
) -> Result<()> {
    let from = status_of(t)?;
    let old_org = match t.assigned_org_id {
        Some(o) => q::organisation_names(c, &[o])
            .await?
            .into_iter()
            .next()
            .map(|(_, n)| n),
        None => None,
    };
    // The organisation's contract applies from now on.
    let due = super::due_times(c, t.etablissement_id, Some(e.org_id), &t.priority, now).await?;
    let mut am = ticket::ActiveModel {
        status: Set(TicketStatus::Escalated.as_str().to_string()),
        assigned_org_id: Set(Some(e.org_id)),
        escalated_at: Set(Some(now)),
        updated_at: Set(now),
        response_due_at: Set(due.response),
        resolution_due_at: Set(due.resolution),
        response_reminded_at: Set(None),
        resolution_reminded_at: Set(None),
        ..Default::default()
    };
    if e.ext.is_some() {
        am.external_ref = Set(e.ext.clone());
    }
    if t.taken_at.is_none() {
        am.taken_at = Set(Some(now));
    }
    update_if(c, t.id, from.as_str(), am).await?;
    record_step(
        c,
        actor,
        t,
        Step {
            kind: "escalated",
            from: old_org,
            to: Some(e.org_name),
            detail: e.ext,
        },
        now,
    )
    .await?;
    let techs = q::technicians_of(c, e.org_id).await?;
    notify(c, actor, t, "ticket-escalated", techs, now).await?;
    Ok(())
}

async fn apply_assignment<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &ticket::Model,
    new: Option<(Uuid, String)>,
    now: DateTime<Utc>,
) -> Result<()> {
    let old_name = match t.assignee_id {
        Some(a) => q::account_names(c, &[a])
            .await?
            .into_iter()
            .next()
            .map(|(_, n)| n),
        None => None,
    };
    let mut am = ticket::ActiveModel {
        assignee_id: Set(new.as_ref().map(|p| p.0)),
        updated_at: Set(now),
        ..Default::default()
    };
    if t.taken_at.is_none() {
        am.taken_at = Set(Some(now));
    }
    update_if(c, t.id, &t.status, am).await?;
    record_step(
        c,
        actor,
        t,
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
        notify(c, actor, t, "ticket-assigned", vec![*a], now).await?;
    }
    Ok(())
}

async fn apply_external_ref<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t: &ticket::Model,
    ext: Option<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    let am = ticket::ActiveModel {
        external_ref: Set(ext.clone()),
        updated_at: Set(now),
        ..Default::default()
    };
    update_if(c, t.id, &t.status, am).await?;
    record_step(
        c,
        actor,
        t,
        Step {
            kind: "external_ref",
            from: t.external_ref.clone(),
            to: ext,
            detail: None,
        },
        now,
    )
    .await
}

async fn apply_priority<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    t0: &ticket::Model,
    ch: PriorityChange,
    now: DateTime<Utc>,
) -> Result<()> {
    let unusable = ch.unusable;
    let p = priority(ch.urgency, ch.impact, unusable)
        .as_str()
        .to_string();
    let mut am = ticket::ActiveModel {
        urgency: Set(ch.urgency.as_str().to_string()),
        impact: Set(ch.impact.as_str().to_string()),
        priority: Set(p.clone()),
        unusable: Set(unusable),
        updated_at: Set(now),
        ..Default::default()
    };
    if p != t0.priority {
        // New priority, new targets, counted from now.
        let due = super::due_times(c, t0.etablissement_id, t0.assigned_org_id, &p, now).await?;
        am.response_due_at = Set(if t0.taken_at.is_some() {
            t0.response_due_at
        } else {
            due.response
        });
        am.resolution_due_at = Set(due.resolution);
        am.response_reminded_at = Set(None);
        am.resolution_reminded_at = Set(None);
    }
    update_if(c, t0.id, &t0.status, am).await?;
    if p != t0.priority {
        record_step(
            c,
            actor,
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
            c,
            actor,
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
            open_unavailability(c, &t, now).await?;
        } else if !unusable {
            q::close_unavailability(c, t0.id, now).await?;
        }
    }
    Ok(())
}
