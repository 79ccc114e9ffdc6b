//! Bookable resources: a room or an asset (a cart shows what it holds)
//! marked bookable, with its rules.

use super::{Rights, open};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::entities::parc::{parc_asset as asset, parc_room as room};
use refnum_db::entities::reservations::booking_resource as resource;
use refnum_db::reservations as q;
use refnum_db::{ConnectionTrait, Db, is_unique_violation};
use refnum_domain::policy::EtabAction;
use refnum_domain::role::Role;
use uuid::Uuid;

/// The roles a resource's rule may name: the school's staff roles.
pub const BOOKING_ROLES: [Role; 5] = [
    Role::Enseignant,
    Role::Personnel,
    Role::Referent,
    Role::Direction,
    Role::Gestionnaire,
];

pub const MAX_MINUTES_LIMIT: i32 = 24 * 60;
pub const HORIZON_LIMIT: i32 = 730;
pub const QUOTA_LIMIT: i32 = 100;
pub const GAP_LIMIT: i32 = 240;

/// What a resource is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Room(Box<room::Model>),
    Asset(Box<asset::Model>),
}

/// A resource with what names it.
#[derive(Debug, Clone)]
pub struct ResourceView {
    pub model: resource::Model,
    pub name: String,
    pub target: Target,
    /// What an asset holds (inventory number — model), for a cart.
    pub children: Vec<String>,
}

impl ResourceView {
    pub fn roles(&self) -> Vec<Role> {
        roles_of(&self.model)
    }
    pub fn approval_role(&self) -> Option<Role> {
        self.model.approval_role.as_deref().and_then(Role::parse)
    }
}

pub fn roles_of(m: &resource::Model) -> Vec<Role> {
    m.roles
        .split(',')
        .filter_map(|r| Role::parse(r.trim()))
        .collect()
}

pub fn asset_name(a: &asset::Model) -> String {
    let model = format!("{} {}", a.manufacturer, a.model);
    let model = model.trim();
    if model.is_empty() {
        a.inventory_number.clone()
    } else {
        format!("{} — {model}", a.inventory_number)
    }
}

/// Names the resources of a school (rooms and assets read in two queries).
pub async fn views_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    rows: Vec<resource::Model>,
) -> Result<Vec<ResourceView>> {
    let room_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.room_id).collect();
    let asset_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.asset_id).collect();
    let rooms = q::rooms_by_ids(c, etab, &room_ids).await?;
    let assets = refnum_db::parc::assets_by_ids(c, etab, &asset_ids).await?;
    let mut out = vec![];
    for r in rows {
        let target = if let Some(room) = r.room_id.and_then(|id| rooms.iter().find(|x| x.id == id))
        {
            Target::Room(Box::new(room.clone()))
        } else if let Some(a) = r.asset_id.and_then(|id| assets.iter().find(|x| x.id == id)) {
            Target::Asset(Box::new(a.clone()))
        } else {
            continue;
        };
        let name = match &target {
            Target::Room(room) => room.name.clone(),
            Target::Asset(a) => asset_name(a),
        };
        out.push(ResourceView {
            model: r,
            name,
            target,
            children: vec![],
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// One resource of a school, with what it holds.
pub async fn view<C: ConnectionTrait>(c: &C, etab: Uuid, id: Uuid) -> Result<ResourceView> {
    let Some(m) = q::get_resource(c, etab, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let mut v = views_of(c, etab, vec![m])
        .await?
        .pop()
        .ok_or(ServiceError::NotFound)?;
    if let Target::Asset(a) = &v.target {
        v.children = q::children_of(c, etab, a.id)
            .await?
            .iter()
            .map(asset_name)
            .collect();
    }
    Ok(v)
}

/// A room or an asset that could be made bookable.
pub struct Candidate {
    /// `room:<id>` or `asset:<id>`.
    pub key: String,
    pub name: String,
    pub is_room: bool,
}

pub struct Listing {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub resources: Vec<ResourceView>,
    /// For managers: what is not bookable yet.
    pub candidates: Vec<Candidate>,
}

pub async fn list(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Listing> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let rows = q::resources_of(&db.conn, etab.id).await?;
    let mut candidates = vec![];
    if rights.manage {
        for r in refnum_db::parc::list_rooms(&db.conn, etab.id).await? {
            if !rows.iter().any(|x| x.room_id == Some(r.id)) {
                candidates.push(Candidate {
                    key: format!("room:{}", r.id),
                    name: r.name,
                    is_room: true,
                });
            }
        }
        for a in q::top_assets_of(&db.conn, etab.id).await? {
            if !rows.iter().any(|x| x.asset_id == Some(a.id)) {
                candidates.push(Candidate {
                    key: format!("asset:{}", a.id),
                    name: asset_name(&a),
                    is_room: false,
                });
            }
        }
    }
    let resources = views_of(&db.conn, etab.id, rows).await?;
    Ok(Listing {
        etab,
        rights,
        resources,
        candidates,
    })
}

/// One resource (readers).
pub async fn get(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
) -> Result<(etablissement::Model, Rights, ResourceView)> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let v = view(&db.conn, etab.id, id).await?;
    Ok((etab, rights, v))
}

/// Makes a room or an asset of the school bookable (`room:<id>` or
/// `asset:<id>`), bookable by all staff, without approval nor limits.
pub async fn add(db: &Db, ctx: &Ctx, etab_id: Uuid, key: &str) -> Result<resource::Model> {
    let etab = crate::orgs::etab_for(db, ctx, etab_id, EtabAction::ManageBookings).await?;
    add_as(db, &Who::of(ctx), etab.id, key, Rules::default()).await
}

pub(crate) async fn add_as(
    db: &Db,
    who: &Who,
    etab: Uuid,
    key: &str,
    rules: Rules,
) -> Result<resource::Model> {
    let bad = || ServiceError::field("target", "resa-error-target");
    let (kind, id) = key.split_once(':').ok_or_else(bad)?;
    let id = Uuid::parse_str(id).map_err(|_| bad())?;
    let (room_id, asset_id) = match kind {
        "room" => {
            if q::rooms_by_ids(&db.conn, etab, &[id]).await?.is_empty() {
                return Err(bad());
            }
            (Some(id), None)
        }
        "asset" => {
            if refnum_db::parc::assets_by_ids(&db.conn, etab, &[id])
                .await?
                .is_empty()
            {
                return Err(bad());
            }
            (None, Some(id))
        }
        _ => return Err(bad()),
    };
    let now = Utc::now();
    let m = resource::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        room_id,
        asset_id,
        active: true,
        roles: rules
            .roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(","),
        approval_role: rules.approval_role.map(|r| r.as_str().to_string()),
        max_minutes: rules.max_minutes,
        horizon_days: rules.horizon_days,
        weekly_quota: rules.weekly_quota,
        gap_minutes: rules.gap_minutes,
        lock_version: 0,
        created_at: now,
        updated_at: now,
    };
    let txn = db.write().await?;
    if let Err(e) = q::insert_resource(&*txn, m.clone()).await {
        if is_unique_violation(&e) {
            return Err(ServiceError::field("target", "resa-error-target-taken"));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "booking.resource_added",
            target: format!("booking_resource:{}", m.id),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({ "target": key }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// A resource's rules.
#[derive(Debug, Clone)]
pub struct Rules {
    pub active: bool,
    pub roles: Vec<Role>,
    pub approval_role: Option<Role>,
    pub max_minutes: Option<i32>,
    pub horizon_days: Option<i32>,
    pub weekly_quota: Option<i32>,
    pub gap_minutes: i32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            active: true,
            roles: BOOKING_ROLES.to_vec(),
            approval_role: None,
            max_minutes: None,
            horizon_days: None,
            weekly_quota: None,
            gap_minutes: 0,
        }
    }
}

/// What the rules form sends (numbers as typed; empty: no limit).
#[derive(Debug, Clone, Default)]
pub struct RulesInput {
    pub active: bool,
    pub roles: Vec<String>,
    pub approval_role: String,
    pub max_minutes: String,
    pub horizon_days: String,
    pub weekly_quota: String,
    pub gap_minutes: String,
}

impl RulesInput {
    pub fn of(m: &resource::Model) -> RulesInput {
        let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        RulesInput {
            active: m.active,
            roles: roles_of(m).iter().map(|r| r.as_str().to_string()).collect(),
            approval_role: m.approval_role.clone().unwrap_or_default(),
            max_minutes: n(m.max_minutes),
            horizon_days: n(m.horizon_days),
            weekly_quota: n(m.weekly_quota),
            gap_minutes: m.gap_minutes.to_string(),
        }
    }
}

pub fn validate_rules(input: &RulesInput) -> Result<Rules> {
    let mut errors = vec![];
    let mut roles = vec![];
    for r in &input.roles {
        match Role::parse(r.trim()).filter(|r| BOOKING_ROLES.contains(r)) {
            Some(role) if !roles.contains(&role) => roles.push(role),
            Some(_) => {}
            None => errors.push(FieldError {
                field: "roles",
                key: "resa-error-roles",
            }),
        }
    }
    if roles.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: "roles",
            key: "resa-error-roles-empty",
        });
    }
    let approval_role = match input.approval_role.trim() {
        "" => None,
        r => match Role::parse(r).filter(|r| BOOKING_ROLES.contains(r)) {
            Some(role) => Some(role),
            None => {
                errors.push(FieldError {
                    field: "approval_role",
                    key: "resa-error-approval-role",
                });
                None
            }
        },
    };
    let mut number = |field: &'static str, s: &str, min: i32, max: i32| -> Option<i32> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        match s.parse::<i32>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError {
                    field,
                    key: match field {
                        "max_minutes" => "resa-error-max-minutes",
                        "horizon_days" => "resa-error-horizon",
                        "weekly_quota" => "resa-error-quota",
                        _ => "resa-error-gap",
                    },
                });
                None
            }
        }
    };
    let max_minutes = number("max_minutes", &input.max_minutes, 5, MAX_MINUTES_LIMIT);
    let horizon_days = number("horizon_days", &input.horizon_days, 0, HORIZON_LIMIT);
    let weekly_quota = number("weekly_quota", &input.weekly_quota, 1, QUOTA_LIMIT);
    let gap_minutes = number("gap_minutes", &input.gap_minutes, 0, GAP_LIMIT).unwrap_or(0);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(Rules {
        active: input.active,
        roles,
        approval_role,
        max_minutes,
        horizon_days,
        weekly_quota,
        gap_minutes,
    })
}

/// Saves a resource's rules.
pub async fn update_rules(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &RulesInput,
) -> Result<resource::Model> {
    let etab = crate::orgs::etab_for(db, ctx, etab_id, EtabAction::ManageBookings).await?;
    let rules = validate_rules(input)?;
    let txn = db.write().await?;
    let Some(before) = q::get_resource(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let m = resource::Model {
        active: rules.active,
        roles: rules
            .roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(","),
        approval_role: rules.approval_role.map(|r| r.as_str().to_string()),
        max_minutes: rules.max_minutes,
        horizon_days: rules.horizon_days,
        weekly_quota: rules.weekly_quota,
        gap_minutes: rules.gap_minutes,
        updated_at: Utc::now(),
        ..before
    };
    q::update_resource(&*txn, m.clone()).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.resource_rules_updated",
            target: format!("booking_resource:{id}"),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "active": m.active, "roles": m.roles, "approval_role": m.approval_role,
                "max_minutes": m.max_minutes, "horizon_days": m.horizon_days,
                "weekly_quota": m.weekly_quota, "gap_minutes": m.gap_minutes,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_name_each_wrong_field() {
        let e = validate_rules(&RulesInput {
            active: true,
            roles: vec!["dane".into()],
            approval_role: "pupil".into(),
            max_minutes: "0".into(),
            horizon_days: "-1".into(),
            weekly_quota: "x".into(),
            gap_minutes: "999".into(),
        })
        .err();
        let Some(ServiceError::Invalid(errs)) = e else {
            panic!("invalid expected")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "roles",
                "approval_role",
                "max_minutes",
                "horizon_days",
                "weekly_quota",
                "gap_minutes"
            ]
        );
        let ok = validate_rules(&RulesInput {
            active: true,
            roles: vec!["enseignant".into(), "enseignant".into()],
            approval_role: "gestionnaire".into(),
            max_minutes: "120".into(),
            ..Default::default()
        });
        let Ok(r) = ok else { panic!("valid") };
        assert_eq!(r.roles, vec![Role::Enseignant]);
        assert_eq!(r.approval_role, Some(Role::Gestionnaire));
        assert_eq!((r.max_minutes, r.gap_minutes), (Some(120), 0));
    }
}
