//! Opening a ticket: from a staff member's form, from the API, or (see
//! `qr`) from the anonymous form behind an asset's label.

use super::parc_link::{self, AssetRef, RoomRef};
use super::{Actor, MANAGER_ROLES, Step, clean, notify, open_unavailability, record_step};
use crate::Ctx;
use crate::error::{FieldError, Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::assistance as q;
use refnum_db::entities::assistance::ticket;
use refnum_db::entities::etablissement;
use refnum_db::{ConnectionTrait, Db};
use refnum_domain::policy::EtabAction;
use refnum_domain::search;
use refnum_domain::ticket::{
    Level, TicketCategory, TicketKind, TicketSource, TicketStatus, priority,
};
use sea_orm::{EntityTrait, IntoActiveModel};
use uuid::Uuid;

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 10_000;

/// What the form or the API gives.
#[derive(Debug, Clone, Default)]
pub struct TicketInput {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Asset id, or empty.
    pub asset_id: String,
    /// Room id, or empty.
    pub room_id: String,
    pub urgency: String,
    pub impact: String,
    pub unusable: bool,
}

/// What the creation form shows.
pub struct NewForm {
    pub etab: etablissement::Model,
    /// The asset the form was opened for (`?equipement=`).
    pub asset: Option<AssetRef>,
    pub rooms: Vec<RoomRef>,
}

pub async fn new_form(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    asset_id: Option<Uuid>,
) -> Result<NewForm> {
    let etab = crate::orgs::etab_for(db, ctx, etab_id, EtabAction::ReportFault).await?;
    let asset = match asset_id {
        Some(a) => parc_link::asset(&db.conn, etab.id, a).await?,
        None => None,
    };
    let rooms = parc_link::rooms(&db.conn, etab.id).await?;
    Ok(NewForm { etab, asset, rooms })
}

/// A checked ticket, ready to insert.
pub(crate) struct Checked {
    pub kind: TicketKind,
    pub title: String,
    pub description: String,
    pub category: TicketCategory,
    pub asset: Option<AssetRef>,
    pub room_id: Option<Uuid>,
    pub urgency: Level,
    pub impact: Level,
    pub unusable: bool,
}

fn parse_id(s: &str) -> std::result::Result<Option<Uuid>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(s).map(Some).map_err(|_| ())
}

/// Checks the input against the school (asset and room must be its own).
pub(crate) async fn check<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    input: &TicketInput,
) -> Result<Checked> {
    let mut errors = vec![];
    let mut err = |field, key| errors.push(FieldError { field, key });
    let kind = TicketKind::parse(input.kind.trim());
    if kind.is_none() {
        err("kind", "error-choice");
    }
    let title = match clean(&input.title, TITLE_MAX) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            err("title", "error-required");
            None
        }
        Err(()) => {
            err("title", "ticket-error-title");
            None
        }
    };
    let description = match clean(&input.description, DESCRIPTION_MAX) {
        Ok(d) => d.unwrap_or_default(),
        Err(()) => {
            err("description", "ticket-error-description");
            String::new()
        }
    };
    let urgency = Level::parse(input.urgency.trim());
    if urgency.is_none() {
        err("urgency", "error-choice");
    }
    let impact = Level::parse(input.impact.trim());
    if impact.is_none() {
        err("impact", "error-choice");
    }
    let mut asset = None;
    let mut bad_asset = false;
    match parse_id(&input.asset_id) {
        Ok(Some(a)) => match parc_link::asset(c, etab, a).await? {
            Some(found) => asset = Some(found),
            None => bad_asset = true,
        },
        Ok(None) => {}
        Err(()) => bad_asset = true,
    }
    if bad_asset {
        err("asset_id", "ticket-error-asset");
    }
    let mut room_id = None;
    match parse_id(&input.room_id) {
        Ok(Some(r)) => match parc_link::room(c, etab, r).await? {
            Some(found) => room_id = Some(found.id),
            None => err("room_id", "ticket-error-room"),
        },
        Ok(None) => room_id = asset.as_ref().and_then(|a| a.room_id),
        Err(()) => err("room_id", "ticket-error-room"),
    }
    let category = if input.category.trim().is_empty() {
        match &asset {
            Some(a) => Some(
                refnum_domain::asset::AssetCategory::parse(&a.category)
                    .map_or(TicketCategory::Other, TicketCategory::of_asset),
            ),
            None => Some(TicketCategory::Other),
        }
    } else {
        let c = TicketCategory::parse(input.category.trim());
        if c.is_none() {
            err("category", "error-choice");
        }
        c
    };
    if input.unusable && asset.is_none() && !bad_asset {
        err("unusable", "ticket-error-unusable-needs-asset");
    }
    match (kind, title, category, urgency, impact) {
        (Some(kind), Some(title), Some(category), Some(urgency), Some(impact))
            if errors.is_empty() =>
        {
            Ok(Checked {
                kind,
                title,
                description,
                category,
                asset,
                room_id,
                urgency,
                impact,
                unusable: input.unusable,
            })
        }
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Who asked and how to reach them.
pub(crate) struct Requester {
    pub id: Option<Uuid>,
    pub name: String,
    pub contact: Option<String>,
}

/// Inserts a checked ticket with its number, history, audit event,
/// unavailability period and notifications, in the caller's transaction.
pub(crate) async fn insert<C: ConnectionTrait>(
    c: &C,
    actor: &Actor,
    etab: Uuid,
    v: Checked,
    requester: Requester,
    source: TicketSource,
    now: DateTime<Utc>,
) -> Result<ticket::Model> {
    let number = q::next_number(c, etab).await?;
    let p = priority(v.urgency, v.impact, v.unusable);
    let due = super::due_times(c, etab, None, p.as_str(), now).await?;
    let id = Uuid::now_v7();
    // A report from a QR label is found by its receipt code too.
    let receipt = match source {
        TicketSource::Qr => refnum_domain::ticket::receipt_code(id),
        _ => String::new(),
    };
    let t = ticket::Model {
        id,
        etablissement_id: etab,
        number,
        kind: v.kind.as_str().to_string(),
        search_text: search::text_of(&[&number.to_string(), &receipt, &v.title, &v.description]),
        title: v.title,
        description: v.description,
        category: v.category.as_str().to_string(),
        asset_id: v.asset.as_ref().map(|a| a.id),
        room_id: v.room_id,
        urgency: v.urgency.as_str().to_string(),
        impact: v.impact.as_str().to_string(),
        priority: p.as_str().to_string(),
        unusable: v.unusable,
        status: TicketStatus::New.as_str().to_string(),
        requester_id: requester.id,
        requester_name: requester.name,
        requester_contact: requester.contact,
        source: source.as_str().to_string(),
        assignee_id: None,
        assigned_org_id: None,
        external_ref: None,
        created_at: now,
        updated_at: now,
        taken_at: None,
        escalated_at: None,
        resolved_at: None,
        closed_at: None,
        response_due_at: due.response,
        resolution_due_at: due.resolution,
        response_reminded_at: None,
        resolution_reminded_at: None,
    };
    ticket::Entity::insert(t.clone().into_active_model())
        .exec_without_returning(c)
        .await?;
    record_step(
        c,
        actor,
        &t,
        Step {
            kind: "created",
            from: None,
            to: Some(t.status.clone()),
            detail: Some(source.as_str().to_string()),
        },
        now,
    )
    .await?;
    if t.unusable {
        open_unavailability(c, &t, now).await?;
    }
    let managers = q::accounts_with_roles_on(c, etab, &MANAGER_ROLES).await?;
    notify(c, actor, &t, "ticket-created", managers, now).await?;
    Ok(t)
}

/// Opens a ticket as a staff member of the school (`ReportFault`).
pub async fn create(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &TicketInput,
    source: TicketSource,
) -> Result<ticket::Model> {
    let etab = crate::orgs::etab_for(db, ctx, etab_id, EtabAction::ReportFault).await?;
    let checked = check(&db.conn, etab.id, input).await?;
    let actor = Actor::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let t = insert(
        &*txn,
        &actor,
        etab.id,
        checked,
        Requester {
            id: Some(ctx.account.id),
            name: ctx.account.display_name.clone(),
            contact: None,
        },
        source,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(t)
}
