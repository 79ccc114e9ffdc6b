//! Buildings and rooms of a school: list with asset counts, create, edit,
//! delete when empty. Reading asks `ViewParc`, writing `ManageParc`.

use super::{Rights, RoomKind, clean_text, invalid_if_any, non_empty, open, room_search_text};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::entities::parc::{parc_building as building, parc_room as room};
use refnum_db::{Db, is_unique_violation, parc as q};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// A room as the places page lists it.
#[derive(Debug, Clone)]
pub struct RoomLine {
    pub room: room::Model,
    pub building: Option<String>,
    pub assets: u64,
}

/// A building with its number of rooms.
#[derive(Debug, Clone)]
pub struct BuildingLine {
    pub building: building::Model,
    pub rooms: u64,
}

/// The places of a school.
#[derive(Debug, Clone)]
pub struct Places {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub buildings: Vec<BuildingLine>,
    pub rooms: Vec<RoomLine>,
}

pub async fn places(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Places> {
    let (etab, rights) = open(db, ctx, etab_id, EtabAction::ViewParc).await?;
    let c = &db.conn;
    let buildings = q::list_buildings(c, etab.id).await?;
    let room_counts = q::room_counts_by_building(c, etab.id).await?;
    let asset_counts = q::asset_counts_by_room(c, etab.id).await?;
    let rooms = q::list_rooms(c, etab.id)
        .await?
        .into_iter()
        .map(|r| RoomLine {
            building: r
                .building_id
                .and_then(|b| buildings.iter().find(|x| x.id == b).map(|x| x.name.clone())),
            assets: asset_counts.get(&r.id).copied().unwrap_or(0),
            room: r,
        })
        .collect();
    Ok(Places {
        buildings: buildings
            .into_iter()
            .map(|b| BuildingLine {
                rooms: room_counts.get(&b.id).copied().unwrap_or(0),
                building: b,
            })
            .collect(),
        rooms,
        etab,
        rights,
    })
}

/// The rooms of a school, for selects (needs `ViewParc`).
pub async fn rooms(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Vec<room::Model>> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewParc).await?;
    Ok(q::list_rooms(&db.conn, etab.id).await?)
}

/// One room with its building.
#[derive(Debug, Clone)]
pub struct RoomView {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub room: room::Model,
    pub building: Option<building::Model>,
    pub assets: u64,
}

pub async fn room(db: &Db, ctx: &Ctx, etab_id: Uuid, room_id: Uuid) -> Result<RoomView> {
    let (etab, rights) = open(db, ctx, etab_id, EtabAction::ViewParc).await?;
    let c = &db.conn;
    let room = q::get_room(c, etab.id, room_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let building = match room.building_id {
        Some(b) => q::get_building(c, etab.id, b).await?,
        None => None,
    };
    let assets = q::asset_counts_by_room(c, etab.id)
        .await?
        .get(&room.id)
        .copied()
        .unwrap_or(0);
    Ok(RoomView {
        etab,
        rights,
        room,
        building,
        assets,
    })
}

// ---------------------------------------------------------------- buildings

#[derive(Debug, Clone, Default)]
pub struct BuildingInput {
    pub name: String,
    pub notes: String,
}

fn validate_building(input: &BuildingInput) -> Result<(String, String)> {
    let mut errors = vec![];
    let name = clean_text(&input.name, 100, false, "name", &mut errors);
    if name.is_empty() {
        errors.push(FieldError {
            field: "name",
            key: "error-required",
        });
    }
    let notes = clean_text(&input.notes, 2000, true, "notes", &mut errors);
    invalid_if_any(errors)?;
    Ok((name, notes))
}

async fn record(
    txn: &refnum_db::WriteTxn,
    ctx: &Ctx,
    action: &str,
    target: String,
    etab: Uuid,
    details: serde_json::Value,
) -> Result<()> {
    audit::record(
        &**txn,
        Event {
            who: &Who::of(ctx),
            action,
            target,
            etablissement_id: Some(etab),
            outcome: "ok",
            details,
        },
    )
    .await
}

pub async fn create_building(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &BuildingInput,
) -> Result<building::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let (name, notes) = validate_building(input)?;
    let now = Utc::now();
    let row = building::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab.id,
        name,
        notes,
        created_at: now,
        updated_at: now,
    };
    let txn = db.write().await?;
    match q::insert_building(&*txn, row.clone()).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::field("name", "parc-error-name-taken"));
        }
        r => r?,
    }
    record(
        &txn,
        ctx,
        "parc.building.created",
        format!("parc_building:{}", row.id),
        etab.id,
        serde_json::json!({ "name": row.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update_building(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    building_id: Uuid,
    input: &BuildingInput,
) -> Result<building::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let old = q::get_building(&db.conn, etab.id, building_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (name, notes) = validate_building(input)?;
    let row = building::Model {
        name,
        notes,
        updated_at: Utc::now(),
        ..old.clone()
    };
    let txn = db.write().await?;
    match q::update_building(&*txn, row.clone()).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::field("name", "parc-error-name-taken"));
        }
        r => r?,
    }
    record(
        &txn,
        ctx,
        "parc.building.updated",
        format!("parc_building:{}", row.id),
        etab.id,
        serde_json::json!({ "name": [old.name, row.name] }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes a building without rooms (a field error otherwise).
pub async fn delete_building(db: &Db, ctx: &Ctx, etab_id: Uuid, building_id: Uuid) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let old = q::get_building(&db.conn, etab.id, building_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let txn = db.write().await?;
    let rooms = q::room_counts_by_building(&*txn, etab.id).await?;
    if rooms.get(&old.id).copied().unwrap_or(0) > 0 {
        return Err(ServiceError::field(
            "building",
            "parc-error-building-not-empty",
        ));
    }
    q::delete_building(&*txn, etab.id, old.id).await?;
    record(
        &txn,
        ctx,
        "parc.building.deleted",
        format!("parc_building:{}", old.id),
        etab.id,
        serde_json::json!({ "name": old.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// -------------------------------------------------------------------- rooms

/// A room as typed: every field as text (forms and API alike).
#[derive(Debug, Clone, Default)]
pub struct RoomInput {
    pub name: String,
    /// A building id, or empty.
    pub building: String,
    /// A `RoomKind` code.
    pub kind: String,
    pub capacity: String,
    pub floor: String,
    pub notes: String,
}

impl RoomInput {
    pub fn of(r: &room::Model) -> RoomInput {
        RoomInput {
            name: r.name.clone(),
            building: r.building_id.map(|b| b.to_string()).unwrap_or_default(),
            kind: r.kind.clone(),
            capacity: r.capacity.map(|c| c.to_string()).unwrap_or_default(),
            floor: r.floor.clone().unwrap_or_default(),
            notes: r.notes.clone(),
        }
    }
}

struct ValidRoom {
    name: String,
    building_id: Option<Uuid>,
    kind: RoomKind,
    capacity: Option<i32>,
    floor: Option<String>,
    notes: String,
}

async fn validate_room(db: &Db, etab: Uuid, input: &RoomInput) -> Result<ValidRoom> {
    let mut errors = vec![];
    let name = clean_text(&input.name, 100, false, "name", &mut errors);
    if name.is_empty() {
        errors.push(FieldError {
            field: "name",
            key: "error-required",
        });
    }
    let kind = RoomKind::parse(input.kind.trim()).unwrap_or_else(|| {
        errors.push(FieldError {
            field: "kind",
            key: "parc-error-choice",
        });
        RoomKind::Other
    });
    let capacity = match input.capacity.trim() {
        "" => None,
        s => match s.parse::<i32>() {
            Ok(n) if (0..=10_000).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError {
                    field: "capacity",
                    key: "parc-error-capacity",
                });
                None
            }
        },
    };
    let floor = non_empty(clean_text(&input.floor, 32, false, "floor", &mut errors));
    let notes = clean_text(&input.notes, 2000, true, "notes", &mut errors);
    let building_id = match input.building.trim() {
        "" => None,
        s => match Uuid::parse_str(s) {
            Ok(id) if q::get_building(&db.conn, etab, id).await?.is_some() => Some(id),
            _ => {
                errors.push(FieldError {
                    field: "building",
                    key: "parc-error-building-unknown",
                });
                None
            }
        },
    };
    invalid_if_any(errors)?;
    Ok(ValidRoom {
        name,
        building_id,
        kind,
        capacity,
        floor,
        notes,
    })
}

pub async fn create_room(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &RoomInput,
) -> Result<room::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let v = validate_room(db, etab.id, input).await?;
    let now = Utc::now();
    let mut row = room::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab.id,
        building_id: v.building_id,
        name: v.name,
        kind: v.kind.as_str().to_string(),
        capacity: v.capacity,
        floor: v.floor,
        notes: v.notes,
        search_text: String::new(),
        created_at: now,
        updated_at: now,
    };
    row.search_text = room_search_text(&row);
    let txn = db.write().await?;
    match q::insert_room(&*txn, row.clone()).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::field("name", "parc-error-name-taken"));
        }
        r => r?,
    }
    record(
        &txn,
        ctx,
        "parc.room.created",
        format!("parc_room:{}", row.id),
        etab.id,
        serde_json::json!({ "name": row.name, "kind": row.kind }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update_room(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    room_id: Uuid,
    input: &RoomInput,
) -> Result<room::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let old = q::get_room(&db.conn, etab.id, room_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let v = validate_room(db, etab.id, input).await?;
    let mut row = room::Model {
        building_id: v.building_id,
        name: v.name,
        kind: v.kind.as_str().to_string(),
        capacity: v.capacity,
        floor: v.floor,
        notes: v.notes,
        updated_at: Utc::now(),
        ..old.clone()
    };
    row.search_text = room_search_text(&row);
    let txn = db.write().await?;
    match q::update_room(&*txn, row.clone()).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::field("name", "parc-error-name-taken"));
        }
        r => r?,
    }
    record(
        &txn,
        ctx,
        "parc.room.updated",
        format!("parc_room:{}", row.id),
        etab.id,
        serde_json::json!({ "name": [old.name, row.name], "kind": [old.kind, row.kind] }),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes a room holding no asset (a field error otherwise).
pub async fn delete_room(db: &Db, ctx: &Ctx, etab_id: Uuid, room_id: Uuid) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let old = q::get_room(&db.conn, etab.id, room_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let txn = db.write().await?;
    let assets = q::asset_counts_by_room(&*txn, etab.id).await?;
    if assets.get(&old.id).copied().unwrap_or(0) > 0 {
        return Err(ServiceError::field("room", "parc-error-room-not-empty"));
    }
    q::delete_room(&*txn, etab.id, old.id).await?;
    record(
        &txn,
        ctx,
        "parc.room.deleted",
        format!("parc_room:{}", old.id),
        etab.id,
        serde_json::json!({ "name": old.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
