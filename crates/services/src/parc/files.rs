//! Parc files: asset list import (preview, then apply in one transaction),
//! exports and QR label sheets of a school's assets.
//!
//! Import decisions:
//! - An asset is matched by its inventory number in the school: present →
//!   update, absent → add. Assets missing from the file are left alone (an
//!   import never deletes).
//! - A column present in the file sets its value for every row (an empty
//!   cell empties it); a column absent leaves existing values as they are.
//!   Exceptions: an empty category, status or owner never empties (these
//!   always have a value): a new asset gets `desktop` (GLPI), `in_service`,
//!   `collectivite`.
//! - Rooms and buildings are found by name (case and accents ignored);
//!   missing ones are created (room kind `other`) and the preview lists
//!   them. A room that exists in another building than the file says stays
//!   where it is, with a warning.
//! - `parent` names an inventory number of the file or of the school.
//! - Any error → nothing is applied. Apply re-reads the file and the
//!   school's current state inside its write transaction, so what it
//!   writes is what it checked.
//! - One history event (`imported`) per added or changed asset, one audit
//!   event for the import.

use super::{Change, asset_search_text, new_qr_token, room_search_text};
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use crate::{Ctx, orgs};
use chrono::{DateTime, Utc};
use refnum_db::entities::etablissement;
use refnum_db::entities::parc::{
    parc_asset as asset, parc_asset_event as event, parc_building as building, parc_room as room,
};
use refnum_db::{ConnectionTrait, Db, parc as pq, parc_files as q};
use refnum_domain::policy::EtabAction;
use refnum_domain::search::fold;
use refnum_io::parc::import::{AssetRow, Issue, Parsed, parse_assets};
use refnum_io::parc::vocabulary::Vocabulary;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub use refnum_io::parc::export::read_ods_text;
pub use refnum_io::parc::import::Format;
pub use refnum_io::parc::labels::{LAYOUTS, MAX_LABELS, SheetLayout};

/// Largest file accepted for an import.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Rows of the preview's table of lines.
pub const PREVIEW_LINES: usize = 100;

/// What an import does to one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Update,
    Unchanged,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Update => "update",
            Op::Unchanged => "unchanged",
        }
    }
}

/// One row of the file and what it does.
#[derive(Debug, Clone)]
pub struct PlanLine {
    pub line: u64,
    pub inventory_number: String,
    pub op: Op,
    pub changes: Vec<Change>,
}

/// What an import would do (preview) or did (apply).
#[derive(Debug, Clone)]
pub struct ImportPlan {
    pub format: Option<Format>,
    pub encoding: &'static str,
    pub separator: char,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Names of the buildings the import creates.
    pub new_buildings: Vec<String>,
    /// Names of the rooms the import creates, with their building.
    pub new_rooms: Vec<(String, Option<String>)>,
    pub errors: Vec<Issue>,
    pub errors_truncated: bool,
    pub warnings: Vec<Issue>,
    /// The first [`PREVIEW_LINES`] rows (adds and updates first).
    pub lines: Vec<PlanLine>,
}

/// The writes an import plan makes.
struct Writes {
    buildings: Vec<building::Model>,
    rooms: Vec<room::Model>,
    /// New assets, parents before their children.
    inserts: Vec<asset::Model>,
    updates: Vec<(asset::Model, Vec<Change>)>,
}

/// The vocabulary of imports: built-in words and the caller's catalogue
/// labels.
pub fn vocabulary(labels: &[(refnum_io::parc::vocabulary::Kind, String, &str)]) -> Vocabulary {
    let mut v = Vocabulary::default();
    for (kind, word, code) in labels {
        v.add(*kind, word, code);
    }
    v
}

/// Previews an import: nothing is written.
pub async fn preview(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    bytes: &[u8],
    vocab: &Vocabulary,
) -> Result<ImportPlan> {
    orgs::etab_for(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let parsed = parse_assets(bytes, vocab);
    let (plan, _) = plan(&db.conn, etab_id, parsed, Utc::now(), ctx).await?;
    Ok(plan)
}

/// Applies an import in one transaction; any error in the file (or that
/// appeared since the preview) → `Invalid` and nothing written.
pub async fn apply(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    bytes: &[u8],
    vocab: &Vocabulary,
) -> Result<ImportPlan> {
    let etab = orgs::etab_for(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let parsed = parse_assets(bytes, vocab);
    let now = Utc::now();
    let txn = db.write().await?;
    let (plan, writes) = plan(&*txn, etab_id, parsed, now, ctx).await?;
    if !plan.errors.is_empty() {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "file",
            key: "parcfiles-error-apply",
        }]));
    }
    let who = Who::of(ctx);
    let mut events = Vec::with_capacity(writes.inserts.len() + writes.updates.len());
    let event = |asset_id: Uuid, changes: &[Change]| event::Model {
        id: Uuid::now_v7(),
        asset_id,
        etablissement_id: etab_id,
        occurred_at: now,
        actor_id: Some(ctx.account.id),
        actor_name: ctx.account.display_name.clone(),
        kind: "imported".into(),
        changes: serde_json::to_string(changes).unwrap_or_else(|_| "[]".into()),
        note: None,
    };
    for a in &writes.inserts {
        events.push(event(a.id, &[]));
    }
    for (a, changes) in &writes.updates {
        events.push(event(a.id, changes));
    }
    let conflict = |e: refnum_db::DbErr| {
        if refnum_db::is_unique_violation(&e) {
            ServiceError::Invalid(vec![FieldError {
                field: "file",
                key: "parcfiles-error-concurrent",
            }])
        } else {
            ServiceError::from(e)
        }
    };
    q::insert_buildings(&*txn, writes.buildings)
        .await
        .map_err(conflict)?;
    pq::insert_rooms(&*txn, writes.rooms)
        .await
        .map_err(conflict)?;
    pq::insert_assets(&*txn, writes.inserts)
        .await
        .map_err(conflict)?;
    for (a, _) in writes.updates {
        pq::update_asset(&*txn, a).await.map_err(conflict)?;
    }
    pq::insert_asset_events(&*txn, events).await?;
    audit::record(
        &*txn,
        Event {
            who: &who,
            action: "parc.import",
            target: format!("etablissement:{etab_id}"),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "format": plan.format.map(Format::as_str),
                "encoding": plan.encoding,
                "rows": plan.rows,
                "added": plan.added,
                "updated": plan.updated,
                "unchanged": plan.unchanged,
                "buildings_created": plan.new_buildings.len(),
                "rooms_created": plan.new_rooms.len(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(plan)
}

/// Reads the school's state and works out what the file does.
async fn plan<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    parsed: Parsed,
    now: DateTime<Utc>,
    _ctx: &Ctx,
) -> Result<(ImportPlan, Writes)> {
    let Parsed {
        format,
        encoding,
        separator,
        columns,
        rows,
        warnings,
        mut errors,
        mut errors_truncated,
    } = parsed;
    let mut warnings = warnings;
    let given = |col: &str| columns.contains(&col);
    let existing = q::assets_of_school(c, etab).await?;
    let rooms = pq::list_rooms(c, etab).await?;
    let buildings = pq::list_buildings(c, etab).await?;

    // Places by folded name; new ones are planned as met.
    let mut building_by_name: HashMap<String, (Uuid, String)> = buildings
        .iter()
        .map(|b| (fold(b.name.trim()), (b.id, b.name.clone())))
        .collect();
    let building_names: HashMap<Uuid, String> =
        buildings.iter().map(|b| (b.id, b.name.clone())).collect();
    let mut room_by_name: HashMap<String, (Uuid, Option<Uuid>, String)> = rooms
        .iter()
        .map(|r| (fold(r.name.trim()), (r.id, r.building_id, r.name.clone())))
        .collect();
    let room_names: HashMap<Uuid, String> = rooms.iter().map(|r| (r.id, r.name.clone())).collect();
    let mut new_buildings: Vec<building::Model> = vec![];
    let mut new_rooms: Vec<room::Model> = vec![];

    // Inventory numbers → ids: the school's, then the file's new ones.
    let by_number: HashMap<String, &asset::Model> = existing
        .iter()
        .map(|a| (a.inventory_number.clone(), a))
        .collect();
    let number_of: HashMap<Uuid, String> = existing
        .iter()
        .map(|a| (a.id, a.inventory_number.clone()))
        .collect();
    let mut id_of: HashMap<String, Uuid> = existing
        .iter()
        .map(|a| (a.inventory_number.clone(), a.id))
        .collect();
    for r in &rows {
        id_of
            .entry(r.inventory_number.clone())
            .or_insert_with(Uuid::now_v7);
    }

    let mut lines = vec![];
    let mut inserts = vec![];
    let mut updates = vec![];
    let (mut added, mut updated, mut unchanged) = (0, 0, 0);
    let mut push_error = |errors: &mut Vec<Issue>, e: Issue| {
        if errors.len() < refnum_io::parc::import::MAX_ERRORS {
            errors.push(e);
        } else {
            errors_truncated = true;
        }
    };
    for row in &rows {
        // Places.
        let building_id = row.building.as_deref().map(|name| {
            building_by_name
                .entry(fold(name.trim()))
                .or_insert_with(|| {
                    let b = building::Model {
                        id: Uuid::now_v7(),
                        etablissement_id: etab,
                        name: name.trim().to_string(),
                        notes: String::new(),
                        created_at: now,
                        updated_at: now,
                    };
                    let out = (b.id, b.name.clone());
                    new_buildings.push(b);
                    out
                })
                .0
        });
        let room_id = match row.room.as_deref() {
            Some(name) => {
                let key = fold(name.trim());
                match room_by_name.get(&key) {
                    Some((id, in_building, _)) => {
                        if building_id.is_some() && *in_building != building_id {
                            warnings.push(
                                Issue::new(Some(row.line), None, "parcfiles-warning-room-building")
                                    .with_value(name),
                            );
                        }
                        Some(*id)
                    }
                    None => {
                        let mut r = room::Model {
                            id: Uuid::now_v7(),
                            etablissement_id: etab,
                            building_id,
                            name: name.trim().to_string(),
                            kind: "other".into(),
                            capacity: None,
                            floor: None,
                            notes: String::new(),
                            search_text: String::new(),
                            created_at: now,
                            updated_at: now,
                        };
                        r.search_text = room_search_text(&r);
                        room_by_name.insert(key, (r.id, building_id, r.name.clone()));
                        let id = r.id;
                        new_rooms.push(r);
                        Some(id)
                    }
                }
            }
            None => None,
        };
        // Parent.
        let parent_id = match row.parent.as_deref() {
            Some(p) => match id_of.get(p) {
                Some(id) => Some(*id),
                None => {
                    push_error(
                        &mut errors,
                        Issue::new(Some(row.line), Some("parent"), "parcfiles-error-parent")
                            .with_value(p),
                    );
                    None
                }
            },
            None => None,
        };
        let Some(id) = id_of.get(&row.inventory_number).copied() else {
            continue;
        };
        match by_number.get(&row.inventory_number) {
            None => {
                let a = new_asset(id, etab, row, room_id, parent_id, now);
                added += 1;
                lines.push(PlanLine {
                    line: row.line,
                    inventory_number: row.inventory_number.clone(),
                    op: Op::Add,
                    changes: vec![],
                });
                inserts.push(a);
            }
            Some(old) => {
                let mut a = (*old).clone();
                apply_row(&mut a, row, &given, room_id, parent_id);
                let changes = diff(old, &a, &room_names, &number_of, &new_rooms, &id_of);
                if changes.is_empty() {
                    unchanged += 1;
                    lines.push(PlanLine {
                        line: row.line,
                        inventory_number: row.inventory_number.clone(),
                        op: Op::Unchanged,
                        changes,
                    });
                } else {
                    if a.status == "retired" && old.status != "retired" {
                        a.retired_at = Some(now);
                    } else if a.status != "retired" {
                        a.retired_at = None;
                    }
                    a.updated_at = now;
                    a.search_text = asset_search_text(&a);
                    updated += 1;
                    lines.push(PlanLine {
                        line: row.line,
                        inventory_number: row.inventory_number.clone(),
                        op: Op::Update,
                        changes: changes.clone(),
                    });
                    updates.push((a, changes));
                }
            }
        }
    }
    // Parent cycles (A in B, B in A) among the file's assets.
    let parent_of: HashMap<Uuid, Uuid> = existing
        .iter()
        .filter_map(|a| a.parent_id.map(|p| (a.id, p)))
        .chain(
            inserts
                .iter()
                .chain(updates.iter().map(|(a, _)| a))
                .map(|a| (a.id, a.parent_id))
                .filter_map(|(id, p)| p.map(|p| (id, p))),
        )
        .collect();
    for row in &rows {
        let Some(start) = id_of.get(&row.inventory_number).copied() else {
            continue;
        };
        let mut seen = HashSet::from([start]);
        let mut cur = start;
        while let Some(p) = parent_of.get(&cur).copied() {
            if !seen.insert(p) {
                push_error(
                    &mut errors,
                    Issue::new(
                        Some(row.line),
                        Some("parent"),
                        "parcfiles-error-parent-cycle",
                    )
                    .with_value(row.parent.as_deref().unwrap_or("")),
                );
                break;
            }
            cur = p;
        }
    }
    errors.sort_by_key(|e| e.line);
    let inserts = parents_first(inserts);
    lines.sort_by_key(|l| (l.op == Op::Unchanged, l.line));
    lines.truncate(PREVIEW_LINES);
    let plan = ImportPlan {
        format,
        encoding,
        separator,
        rows: rows.len(),
        added,
        updated,
        unchanged,
        new_buildings: new_buildings.iter().map(|b| b.name.clone()).collect(),
        new_rooms: new_rooms
            .iter()
            .map(|r| {
                let b = r.building_id.and_then(|b| {
                    building_names.get(&b).cloned().or_else(|| {
                        new_buildings
                            .iter()
                            .find(|x| x.id == b)
                            .map(|x| x.name.clone())
                    })
                });
                (r.name.clone(), b)
            })
            .collect(),
        errors,
        errors_truncated,
        warnings,
        lines,
    };
    Ok((
        plan,
        Writes {
            buildings: new_buildings,
            rooms: new_rooms,
            inserts,
            updates,
        },
    ))
}

fn opt(s: &Option<String>) -> Option<String> {
    s.clone()
}

fn new_asset(
    id: Uuid,
    etab: Uuid,
    row: &AssetRow,
    room_id: Option<Uuid>,
    parent_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> asset::Model {
    let status = row.status.unwrap_or("in_service");
    let mut a = asset::Model {
        id,
        etablissement_id: etab,
        inventory_number: row.inventory_number.clone(),
        category: row.category.unwrap_or("desktop").to_string(),
        manufacturer: row.manufacturer.clone().unwrap_or_default(),
        model: row.model.clone().unwrap_or_default(),
        serial: row.serial.clone().unwrap_or_default(),
        owner: row.owner.unwrap_or("collectivite").to_string(),
        owner_label: opt(&row.owner_label),
        funding: opt(&row.funding),
        purchase_date: row.purchase_date,
        warranty_end: row.warranty_end,
        room_id,
        holder_name: opt(&row.holder),
        holder_account_id: None,
        status: status.to_string(),
        parent_id,
        notes: row.notes.clone().unwrap_or_default(),
        qr_token: new_qr_token(),
        search_text: String::new(),
        created_at: now,
        updated_at: now,
        retired_at: (status == "retired").then_some(now),
    };
    a.search_text = asset_search_text(&a);
    a
}

/// Sets on an existing asset what the file gives.
fn apply_row(
    a: &mut asset::Model,
    row: &AssetRow,
    given: &dyn Fn(&str) -> bool,
    room_id: Option<Uuid>,
    parent_id: Option<Uuid>,
) {
    if let Some(c) = row.category {
        a.category = c.to_string();
    }
    if let Some(s) = row.status {
        a.status = s.to_string();
    }
    if let Some(o) = row.owner {
        a.owner = o.to_string();
        a.owner_label = row.owner_label.clone();
    }
    if given("fabricant") {
        a.manufacturer = row.manufacturer.clone().unwrap_or_default();
    }
    if given("modele") {
        a.model = row.model.clone().unwrap_or_default();
    }
    if given("numero_serie") {
        a.serial = row.serial.clone().unwrap_or_default();
    }
    if given("financement") {
        a.funding = row.funding.clone();
    }
    if given("date_achat") {
        a.purchase_date = row.purchase_date;
    }
    if given("fin_garantie") {
        a.warranty_end = row.warranty_end;
    }
    if given("salle") {
        a.room_id = room_id;
    }
    if given("detenteur") {
        a.holder_name = row.holder.clone();
    }
    if given("parent") {
        a.parent_id = parent_id;
    }
    if given("notes") {
        a.notes = row.notes.clone().unwrap_or_default();
    }
}

/// The fields an import changed, as the history shows them (names for
/// rooms and parents, not ids).
fn diff(
    old: &asset::Model,
    new: &asset::Model,
    room_names: &HashMap<Uuid, String>,
    number_of: &HashMap<Uuid, String>,
    new_rooms: &[room::Model],
    id_of: &HashMap<String, Uuid>,
) -> Vec<Change> {
    let room_name = |id: Option<Uuid>| -> String {
        id.and_then(|id| {
            room_names.get(&id).cloned().or_else(|| {
                new_rooms
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.name.clone())
            })
        })
        .unwrap_or_default()
    };
    let parent_name = |id: Option<Uuid>| -> String {
        id.and_then(|id| {
            number_of.get(&id).cloned().or_else(|| {
                id_of
                    .iter()
                    .find(|(_, v)| **v == id)
                    .map(|(k, _)| k.clone())
            })
        })
        .unwrap_or_default()
    };
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let pairs: [(&str, String, String); 15] = [
        ("category", old.category.clone(), new.category.clone()),
        ("status", old.status.clone(), new.status.clone()),
        ("owner", old.owner.clone(), new.owner.clone()),
        ("owner_label", s(&old.owner_label), s(&new.owner_label)),
        (
            "manufacturer",
            old.manufacturer.clone(),
            new.manufacturer.clone(),
        ),
        ("model", old.model.clone(), new.model.clone()),
        ("serial", old.serial.clone(), new.serial.clone()),
        ("funding", s(&old.funding), s(&new.funding)),
        (
            "purchase_date",
            date(old.purchase_date),
            date(new.purchase_date),
        ),
        (
            "warranty_end",
            date(old.warranty_end),
            date(new.warranty_end),
        ),
        ("room", room_name(old.room_id), room_name(new.room_id)),
        ("holder_name", s(&old.holder_name), s(&new.holder_name)),
        (
            "parent",
            parent_name(old.parent_id),
            parent_name(new.parent_id),
        ),
        ("notes", old.notes.clone(), new.notes.clone()),
        (
            "room_id",
            old.room_id.map(|u| u.to_string()).unwrap_or_default(),
            new.room_id.map(|u| u.to_string()).unwrap_or_default(),
        ),
    ];
    pairs
        .into_iter()
        // `room_id` only decides when two rooms share a name (never: names
        // are unique); the history shows `room`.
        .filter(|(f, _, _)| *f != "room_id")
        .filter(|(_, a, b)| a != b)
        .map(|(field, from, to)| Change {
            field: field.to_string(),
            from,
            to,
        })
        .collect()
}

/// Orders new assets so that a parent among them is inserted before its
/// children (the parent key is checked row by row).
fn parents_first(mut inserts: Vec<asset::Model>) -> Vec<asset::Model> {
    let new_ids: HashSet<Uuid> = inserts.iter().map(|a| a.id).collect();
    let parent: HashMap<Uuid, Uuid> = inserts
        .iter()
        .filter_map(|a| {
            a.parent_id
                .filter(|p| new_ids.contains(p))
                .map(|p| (a.id, p))
        })
        .collect();
    let depth = |id: Uuid| {
        let mut d = 0u32;
        let mut cur = id;
        while let Some(p) = parent.get(&cur) {
            d += 1;
            cur = *p;
            if d > 64 {
                break;
            }
        }
        d
    };
    inserts.sort_by_cached_key(|a| depth(a.id));
    inserts
}

// ------------------------------------------------------------------ exports

/// One asset as exports and labels show it: its room, building and parent
/// by name.
#[derive(Debug, Clone)]
pub struct AssetView {
    pub asset: asset::Model,
    pub room: Option<String>,
    pub building: Option<String>,
    pub parent: Option<String>,
}

/// What an export of a school needs once: the school and its places.
pub struct ExportScope {
    pub etab: etablissement::Model,
    buildings: HashMap<Uuid, String>,
    numbers: HashMap<Uuid, String>,
}

/// Rows fetched per query while exporting.
pub const EXPORT_PAGE: u64 = 500;

/// Opens an export of a school's assets (`ViewParc`).
pub async fn export_scope(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<ExportScope> {
    let etab = orgs::etab_for(db, ctx, etab_id, EtabAction::ViewParc).await?;
    let buildings = q::building_names(&db.conn, etab_id).await?;
    let numbers = pq::inventory_numbers_of(&db.conn, etab_id)
        .await?
        .into_iter()
        .collect();
    Ok(ExportScope {
        etab,
        buildings,
        numbers,
    })
}

/// One page ([`EXPORT_PAGE`] rows, from 0) of the assets a filter selects,
/// in the list's order.
pub async fn export_page(
    db: &Db,
    scope: &ExportScope,
    filter: &pq::AssetFilter,
    page: u64,
) -> Result<Vec<AssetView>> {
    let mut f = filter.clone();
    f.q = f.q.map(|q| fold(q.trim()));
    f.page = page;
    f.per_page = EXPORT_PAGE;
    let (rows, _) = pq::list_assets(&db.conn, scope.etab.id, &f).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let building = r
                .room
                .as_ref()
                .and_then(|room| room.building_id)
                .and_then(|b| scope.buildings.get(&b).cloned());
            let parent = r
                .asset
                .parent_id
                .and_then(|p| scope.numbers.get(&p).cloned());
            AssetView {
                room: r.room.map(|room| room.name),
                building,
                parent,
                asset: r.asset,
            }
        })
        .collect())
}

/// One asset's label (an id of another school finds nothing).
pub async fn label_asset(db: &Db, scope: &ExportScope, asset_id: Uuid) -> Result<Vec<AssetView>> {
    let Some(asset) = pq::get_asset(&db.conn, scope.etab.id, asset_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let room = match asset.room_id {
        Some(r) => pq::get_room(&db.conn, scope.etab.id, r).await?,
        None => None,
    };
    Ok(vec![AssetView {
        building: room
            .as_ref()
            .and_then(|r| r.building_id)
            .and_then(|b| scope.buildings.get(&b).cloned()),
        room: room.map(|r| r.name),
        parent: asset.parent_id.and_then(|p| scope.numbers.get(&p).cloned()),
        asset,
    }])
}

/// The assets of a label sheet chosen one by one (the list's selection), in
/// the given order, each once; an id that is not an asset of the school
/// makes the whole sheet not found.
pub async fn label_selection(db: &Db, scope: &ExportScope, ids: &[Uuid]) -> Result<Vec<AssetView>> {
    let mut out: Vec<AssetView> = Vec::with_capacity(ids.len());
    for id in ids.iter().take(MAX_LABELS) {
        if out.iter().any(|v| v.asset.id == *id) {
            continue;
        }
        out.extend(label_asset(db, scope, *id).await?);
    }
    Ok(out)
}

/// The assets of a label sheet: those a filter selects (at most
/// [`MAX_LABELS`]; the second value says whether more matched).
pub async fn label_assets(
    db: &Db,
    scope: &ExportScope,
    filter: &pq::AssetFilter,
) -> Result<(Vec<AssetView>, bool)> {
    let mut out = vec![];
    let mut page = 0;
    loop {
        let rows = export_page(db, scope, filter, page).await?;
        let last = (rows.len() as u64) < EXPORT_PAGE;
        out.extend(rows);
        if out.len() > MAX_LABELS {
            out.truncate(MAX_LABELS);
            return Ok((out, true));
        }
        if last {
            return Ok((out, false));
        }
        page += 1;
    }
}

#[cfg(test)]
mod tests {
    use refnum_domain::asset::{AssetCategory, AssetOwner, AssetStatus};
    use refnum_io::parc::vocabulary::{CATEGORY_CODES, OWNER_CODES, STATUS_CODES};

    /// The import's codes are the domain's.
    #[test]
    fn io_codes_are_domain_codes() {
        for c in CATEGORY_CODES {
            assert!(AssetCategory::parse(c).is_some(), "{c}");
        }
        for s in STATUS_CODES {
            assert!(AssetStatus::parse(s).is_some(), "{s}");
        }
        for o in OWNER_CODES {
            assert!(AssetOwner::parse(o).is_some(), "{o}");
        }
        assert_eq!(CATEGORY_CODES.len(), AssetCategory::ALL.len());
        assert_eq!(STATUS_CODES.len(), AssetStatus::ALL.len());
        assert_eq!(OWNER_CODES.len(), AssetOwner::ALL.len());
    }
}
