//! Assets of a school: list, show with history, create, edit (a diff in the
//! history), change status, retire, bulk edits. Every write adds a history
//! row per asset and one audit event, in one transaction.

use super::{
    Change, Rights, asset_search_text, clean_text, invalid_if_any, new_qr_token, non_empty, open,
    parse_date,
};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::entities::etablissement;
use refnum_db::entities::parc::{
    parc_asset as asset, parc_asset_event as event, parc_building as building, parc_room as room,
};
use refnum_db::parc::{self as q, AssetFilter, AssetLine, AssetListRow};
use refnum_db::{ConnectionTrait, Db, is_unique_violation};
use refnum_domain::asset::{AssetCategory, AssetOwner, AssetStatus, parse_inventory_number};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

pub use refnum_db::parc::{AssetSort, WarrantyFilter};

/// Most assets one bulk edit may touch.
pub const BULK_MAX: usize = 500;
/// History rows shown on an asset's page.
pub const HISTORY_LIMIT: u64 = 200;

// --------------------------------------------------------------------- list

/// A page of a school's assets: whole rows with their rooms
/// ([`AssetListRow`], the API and the room page) or the list page's
/// [`AssetLine`]s.
#[derive(Debug, Clone)]
pub struct Listing<R = AssetListRow> {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub rows: Vec<R>,
    pub total: u64,
}

/// The rooms and buildings of a school as (id, name), for a list's menus.
#[derive(Debug, Clone, Default)]
pub struct PlaceMenus {
    pub rooms: Vec<(Uuid, String)>,
    pub buildings: Vec<(Uuid, String)>,
}

/// The filter as a list reads it: `per_page` bounded, the search folded.
fn bounded(filter: &AssetFilter) -> AssetFilter {
    let mut f = filter.clone();
    f.per_page = f.per_page.clamp(1, 200);
    f.q =
        f.q.as_deref()
            .map(|s| refnum_domain::search::fold(&s.chars().take(100).collect::<String>()));
    f
}

/// Lists a school's assets (`ViewParc`). The filter's `per_page` is bounded.
pub async fn list(db: &Db, ctx: &Ctx, etab_id: Uuid, filter: &AssetFilter) -> Result<Listing> {
    let (etab, rights) = open(db, ctx, etab_id, EtabAction::ViewParc).await?;
    let (rows, total) = q::list_assets(&db.conn, etab.id, &bounded(filter)).await?;
    Ok(Listing {
        etab,
        rights,
        rows,
        total,
    })
}

/// The list page of a school's assets: the columns it shows, with the room
/// and building menus of its filters.
pub async fn list_with_menus(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    filter: &AssetFilter,
) -> Result<(Listing<AssetLine>, PlaceMenus)> {
    let (etab, rights) = open(db, ctx, etab_id, EtabAction::ViewParc).await?;
    let c = &db.conn;
    let (rows, total) = q::list_asset_lines(c, etab.id, &bounded(filter)).await?;
    let (rooms, buildings) = q::place_names(c, etab.id).await?;
    let menus = PlaceMenus { rooms, buildings };
    Ok((
        Listing {
            etab,
            rights,
            rows,
            total,
        },
        menus,
    ))
}

// --------------------------------------------------------------------- show

/// One asset with its places, its parent, its children and its history.
#[derive(Debug, Clone)]
pub struct AssetView {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub asset: asset::Model,
    pub room: Option<room::Model>,
    pub building: Option<building::Model>,
    pub parent: Option<asset::Model>,
    pub children: Vec<asset::Model>,
    pub history: Vec<HistoryLine>,
}

/// One history row with its changes read back.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub event: event::Model,
    pub changes: Vec<Change>,
}

pub async fn show(db: &Db, ctx: &Ctx, etab_id: Uuid, asset_id: Uuid) -> Result<AssetView> {
    let (etab, rights) = open(db, ctx, etab_id, EtabAction::ViewParc).await?;
    let c = &db.conn;
    let asset = q::get_asset(c, etab.id, asset_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let room = match asset.room_id {
        Some(r) => q::get_room(c, etab.id, r).await?,
        None => None,
    };
    let building = match room.as_ref().and_then(|r| r.building_id) {
        Some(b) => q::get_building(c, etab.id, b).await?,
        None => None,
    };
    let parent = match asset.parent_id {
        Some(p) => q::get_asset(c, etab.id, p).await?,
        None => None,
    };
    let children = q::children_of(c, etab.id, asset.id).await?;
    let history = q::events_of(c, etab.id, asset.id, HISTORY_LIMIT)
        .await?
        .into_iter()
        .map(|e| HistoryLine {
            changes: serde_json::from_str(&e.changes).unwrap_or_default(),
            event: e,
        })
        .collect();
    Ok(AssetView {
        etab,
        rights,
        asset,
        room,
        building,
        parent,
        children,
        history,
    })
}

// ------------------------------------------------------------------- inputs

/// An asset as typed: every field as text (forms, API and imports alike).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetInput {
    pub inventory_number: String,
    /// An `AssetCategory` code.
    pub category: String,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    /// An `AssetOwner` code.
    pub owner: String,
    pub owner_label: String,
    pub funding: String,
    /// `dd/mm/yyyy` or `yyyy-mm-dd`.
    pub purchase_date: String,
    pub warranty_end: String,
    /// A room id or a room name of the school, or empty.
    pub room: String,
    pub holder_name: String,
    /// An `AssetStatus` code.
    pub status: String,
    /// The parent asset's id or inventory number, or empty.
    pub parent: String,
    pub notes: String,
}

impl AssetInput {
    /// The input that would leave an asset as it is (room and parent by id).
    pub fn of(a: &asset::Model) -> AssetInput {
        AssetInput {
            inventory_number: a.inventory_number.clone(),
            category: a.category.clone(),
            manufacturer: a.manufacturer.clone(),
            model: a.model.clone(),
            serial: a.serial.clone(),
            owner: a.owner.clone(),
            owner_label: a.owner_label.clone().unwrap_or_default(),
            funding: a.funding.clone().unwrap_or_default(),
            purchase_date: a.purchase_date.map(|d| d.to_string()).unwrap_or_default(),
            warranty_end: a.warranty_end.map(|d| d.to_string()).unwrap_or_default(),
            room: a.room_id.map(|r| r.to_string()).unwrap_or_default(),
            holder_name: a.holder_name.clone().unwrap_or_default(),
            status: a.status.clone(),
            parent: a.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            notes: a.notes.clone(),
        }
    }
}

/// The validated fields of an asset.
struct Valid {
    inventory_number: String,
    category: AssetCategory,
    manufacturer: String,
    model: String,
    serial: String,
    owner: AssetOwner,
    owner_label: Option<String>,
    funding: Option<String>,
    purchase_date: Option<chrono::NaiveDate>,
    warranty_end: Option<chrono::NaiveDate>,
    room: Option<room::Model>,
    holder_name: Option<String>,
    status: AssetStatus,
    parent: Option<asset::Model>,
    notes: String,
}

fn push(errors: &mut Vec<FieldError>, field: &'static str, key: &'static str) {
    errors.push(FieldError { field, key });
}

/// Resolves a room typed as an id or a name, in the school.
async fn find_room<C: ConnectionTrait>(c: &C, etab: Uuid, s: &str) -> Result<Option<room::Model>> {
    if let Ok(id) = Uuid::parse_str(s)
        && let Some(r) = q::get_room(c, etab, id).await?
    {
        return Ok(Some(r));
    }
    Ok(q::room_by_name(c, etab, s).await?)
}

/// Resolves an asset typed as an id or an inventory number, in the school.
async fn find_asset<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    s: &str,
) -> Result<Option<asset::Model>> {
    if let Ok(id) = Uuid::parse_str(s)
        && let Some(a) = q::get_asset(c, etab, id).await?
    {
        return Ok(Some(a));
    }
    match parse_inventory_number(s) {
        Ok(n) => Ok(q::asset_by_inventory_number(c, etab, &n).await?),
        Err(_) => Ok(None),
    }
}

/// Validates an input for the school; `this` is the asset being edited.
async fn validate<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    this: Option<Uuid>,
    input: &AssetInput,
) -> Result<Valid> {
    let mut errors = vec![];
    let inventory_number = parse_inventory_number(&input.inventory_number).unwrap_or_else(|k| {
        push(&mut errors, "inventory_number", k);
        String::new()
    });
    let category = AssetCategory::parse(input.category.trim()).unwrap_or_else(|| {
        push(&mut errors, "category", "parc-error-choice");
        AssetCategory::Other
    });
    let owner = AssetOwner::parse(input.owner.trim()).unwrap_or_else(|| {
        push(&mut errors, "owner", "parc-error-choice");
        AssetOwner::Other
    });
    let status = AssetStatus::parse(input.status.trim()).unwrap_or_else(|| {
        push(&mut errors, "status", "parc-error-choice");
        AssetStatus::InService
    });
    let manufacturer = clean_text(&input.manufacturer, 100, false, "manufacturer", &mut errors);
    let model = clean_text(&input.model, 100, false, "model", &mut errors);
    let serial = clean_text(&input.serial, 100, false, "serial", &mut errors);
    let owner_label = non_empty(clean_text(
        &input.owner_label,
        200,
        false,
        "owner_label",
        &mut errors,
    ));
    let funding = non_empty(clean_text(
        &input.funding,
        200,
        false,
        "funding",
        &mut errors,
    ));
    let holder_name = non_empty(clean_text(
        &input.holder_name,
        200,
        false,
        "holder_name",
        &mut errors,
    ));
    let notes = clean_text(&input.notes, 4000, true, "notes", &mut errors);
    let purchase_date = parse_date(&input.purchase_date).unwrap_or_else(|_| {
        push(&mut errors, "purchase_date", "parc-error-date");
        None
    });
    let warranty_end = parse_date(&input.warranty_end).unwrap_or_else(|_| {
        push(&mut errors, "warranty_end", "parc-error-date");
        None
    });
    if let (Some(p), Some(w)) = (purchase_date, warranty_end)
        && w < p
    {
        push(
            &mut errors,
            "warranty_end",
            "parc-error-warranty-before-purchase",
        );
    }
    let room = match input.room.trim() {
        "" => None,
        s => {
            let r = find_room(c, etab, s).await?;
            if r.is_none() {
                push(&mut errors, "room", "parc-error-room-unknown");
            }
            r
        }
    };
    let parent = match input.parent.trim() {
        "" => None,
        s => match find_asset(c, etab, s).await? {
            None => {
                push(&mut errors, "parent", "parc-error-parent-unknown");
                None
            }
            Some(p) if Some(p.id) == this => {
                push(&mut errors, "parent", "parc-error-parent-self");
                None
            }
            Some(p) => {
                if let Some(me) = this
                    && is_descendant(c, etab, p.clone(), me).await?
                {
                    push(&mut errors, "parent", "parc-error-parent-cycle");
                }
                Some(p)
            }
        },
    };
    invalid_if_any(errors)?;
    Ok(Valid {
        inventory_number,
        category,
        manufacturer,
        model,
        serial,
        owner,
        owner_label,
        funding,
        purchase_date,
        warranty_end,
        room,
        holder_name,
        status,
        parent,
        notes,
    })
}

/// True when `candidate` is `ancestor` or below it (walking up its parents).
async fn is_descendant<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    candidate: asset::Model,
    ancestor: Uuid,
) -> Result<bool> {
    let mut cur = Some(candidate);
    for _ in 0..32 {
        let Some(a) = cur else { return Ok(false) };
        if a.id == ancestor {
            return Ok(true);
        }
        cur = match a.parent_id {
            Some(p) => q::get_asset(c, etab, p).await?,
            None => None,
        };
    }
    // A chain this deep is refused as if it looped.
    Ok(true)
}

/// Applies validated fields to a row.
fn apply(row: &mut asset::Model, v: Valid, now: DateTime<Utc>) {
    let retired = v.status == AssetStatus::Retired;
    row.inventory_number = v.inventory_number;
    row.category = v.category.as_str().to_string();
    row.manufacturer = v.manufacturer;
    row.model = v.model;
    row.serial = v.serial;
    row.owner = v.owner.as_str().to_string();
    row.owner_label = v.owner_label;
    row.funding = v.funding;
    row.purchase_date = v.purchase_date;
    row.warranty_end = v.warranty_end;
    row.room_id = v.room.map(|r| r.id);
    row.holder_name = v.holder_name;
    row.status = v.status.as_str().to_string();
    row.parent_id = v.parent.map(|p| p.id);
    row.notes = v.notes;
    row.retired_at = match (retired, row.retired_at) {
        (true, Some(t)) => Some(t),
        (true, None) => Some(now),
        (false, _) => None,
    };
    row.updated_at = now;
    row.search_text = asset_search_text(row);
}

/// The readable value of each field (rooms and parents by name).
async fn described<C: ConnectionTrait>(
    c: &C,
    a: &asset::Model,
) -> Result<Vec<(&'static str, String)>> {
    let room = match a.room_id {
        Some(r) => q::get_room(c, a.etablissement_id, r)
            .await?
            .map(|r| r.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let parent = match a.parent_id {
        Some(p) => q::get_asset(c, a.etablissement_id, p)
            .await?
            .map(|p| p.inventory_number)
            .unwrap_or_default(),
        None => String::new(),
    };
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    Ok(vec![
        ("inventory_number", a.inventory_number.clone()),
        ("category", a.category.clone()),
        ("manufacturer", a.manufacturer.clone()),
        ("model", a.model.clone()),
        ("serial", a.serial.clone()),
        ("owner", a.owner.clone()),
        ("owner_label", o(&a.owner_label)),
        ("funding", o(&a.funding)),
        ("purchase_date", d(a.purchase_date)),
        ("warranty_end", d(a.warranty_end)),
        ("room", room),
        ("holder_name", o(&a.holder_name)),
        ("status", a.status.clone()),
        ("parent", parent),
        ("notes", a.notes.clone()),
    ])
}

/// What changed between two versions of an asset.
async fn diff<C: ConnectionTrait>(
    c: &C,
    old: &asset::Model,
    new: &asset::Model,
) -> Result<Vec<Change>> {
    let before = described(c, old).await?;
    let after = described(c, new).await?;
    Ok(before
        .into_iter()
        .zip(after)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, from), (_, to))| Change {
            field: field.to_string(),
            from,
            to,
        })
        .collect())
}

/// The kind of a history row for these changes.
fn kind_of(changes: &[Change]) -> &'static str {
    let only = |f: &str| changes.iter().all(|c| c.field == f);
    if !changes.is_empty() && only("room") {
        "moved"
    } else if !changes.is_empty() && only("status") {
        "status"
    } else {
        "updated"
    }
}

/// A history row of an asset.
pub fn history_row(
    a: &asset::Model,
    who: &Who,
    kind: &str,
    changes: &[Change],
    note: Option<String>,
    at: DateTime<Utc>,
) -> event::Model {
    event::Model {
        id: Uuid::now_v7(),
        asset_id: a.id,
        etablissement_id: a.etablissement_id,
        occurred_at: at,
        actor_id: who.account_id,
        actor_name: who.label.clone(),
        kind: kind.to_string(),
        changes: serde_json::to_string(changes).unwrap_or_else(|_| "[]".into()),
        note,
    }
}

fn who_of(ctx: &Ctx) -> Who {
    Who {
        account_id: Some(ctx.account.id),
        label: ctx.account.display_name.clone(),
    }
}

fn inventory_taken(e: &refnum_db::DbErr) -> Option<ServiceError> {
    is_unique_violation(e)
        .then(|| ServiceError::field("inventory_number", "parc-error-inventory-taken"))
}

// ------------------------------------------------------------------- writes

/// Creates an asset (`ManageParc`) with its QR token and a `created` row.
pub async fn create(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &AssetInput) -> Result<asset::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let txn = db.write().await?;
    let v = validate(&*txn, etab.id, None, input).await?;
    let now = Utc::now();
    let mut row = asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab.id,
        inventory_number: String::new(),
        category: String::new(),
        manufacturer: String::new(),
        model: String::new(),
        serial: String::new(),
        owner: String::new(),
        owner_label: None,
        funding: None,
        purchase_date: None,
        warranty_end: None,
        room_id: None,
        holder_name: None,
        holder_account_id: None,
        status: String::new(),
        parent_id: None,
        notes: String::new(),
        qr_token: new_qr_token(),
        search_text: String::new(),
        created_at: now,
        updated_at: now,
        retired_at: None,
    };
    apply(&mut row, v, now);
    if let Err(e) = q::insert_asset(&*txn, row.clone()).await {
        return Err(inventory_taken(&e).unwrap_or(e.into()));
    }
    let changes: Vec<Change> = described(&*txn, &row)
        .await?
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(f, v)| Change {
            field: f.to_string(),
            from: String::new(),
            to: v,
        })
        .collect();
    let who = who_of(ctx);
    q::insert_asset_events(
        &*txn,
        vec![history_row(&row, &who, "created", &changes, None, now)],
    )
    .await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "parc.asset.created",
            target: format!("parc_asset:{}", row.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "inventory_number": row.inventory_number }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Edits an asset (`ManageParc`): the changed fields go to its history.
pub async fn update(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    asset_id: Uuid,
    input: &AssetInput,
    note: Option<String>,
) -> Result<asset::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let txn = db.write().await?;
    let old = q::get_asset(&*txn, etab.id, asset_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let v = validate(&*txn, etab.id, Some(old.id), input).await?;
    let note = note.map(|n| n.trim().chars().take(1000).collect::<String>());
    let now = Utc::now();
    let mut row = old.clone();
    apply(&mut row, v, now);
    let changes = diff(&*txn, &old, &row).await?;
    if changes.is_empty() {
        return Ok(old);
    }
    if let Err(e) = q::update_asset(&*txn, row.clone()).await {
        return Err(inventory_taken(&e).unwrap_or(e.into()));
    }
    let who = who_of(ctx);
    q::insert_asset_events(
        &*txn,
        vec![history_row(
            &row,
            &who,
            kind_of(&changes),
            &changes,
            note.and_then(non_empty),
            now,
        )],
    )
    .await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "parc.asset.updated",
            target: format!("parc_asset:{}", row.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "fields": changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>()
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes an asset's status (`retired` retires it), with an optional note.
pub async fn set_status(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    asset_id: Uuid,
    status: &str,
    note: Option<String>,
) -> Result<asset::Model> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let old = q::get_asset(&db.conn, etab.id, asset_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut input = AssetInput::of(&old);
    input.status = status.to_string();
    update(db, ctx, etab_id, asset_id, &input, note).await
}

/// A bulk edit of selected assets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// To a room (id or name), or out of any room when empty.
    Move(String),
    /// An `AssetStatus` code.
    Status(String),
    /// A holder's name, or nobody when empty.
    Holder(String),
}

/// Applies one change to many assets of a school in one transaction: a
/// `bulk` history row per asset, one audit event. Ids of another school
/// answer "not found" and change nothing. Returns how many changed.
pub async fn bulk(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    ids: &[Uuid],
    action: &BulkAction,
) -> Result<usize> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageParc).await?;
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(ServiceError::field("ids", "parc-error-bulk-none"));
    }
    if ids.len() > BULK_MAX {
        return Err(ServiceError::field("ids", "parc-error-bulk-too-many"));
    }
    let txn = db.write().await?;
    let assets = q::assets_by_ids(&*txn, etab.id, &ids).await?;
    if assets.len() != ids.len() {
        return Err(ServiceError::NotFound);
    }
    let (field, value, room) = match action {
        BulkAction::Move(r) => {
            let r = r.trim();
            let room = if r.is_empty() {
                None
            } else {
                Some(
                    find_room(&*txn, etab.id, r)
                        .await?
                        .ok_or_else(|| ServiceError::field("room", "parc-error-room-unknown"))?,
                )
            };
            (
                "room",
                room.as_ref().map(|r| r.name.clone()).unwrap_or_default(),
                room,
            )
        }
        BulkAction::Status(s) => {
            let s = AssetStatus::parse(s.trim())
                .ok_or_else(|| ServiceError::field("status", "parc-error-choice"))?;
            ("status", s.as_str().to_string(), None)
        }
        BulkAction::Holder(h) => {
            let mut errors = vec![];
            let h = clean_text(h, 200, false, "holder_name", &mut errors);
            invalid_if_any(errors)?;
            ("holder_name", h, None)
        }
    };
    let now = Utc::now();
    let who = who_of(ctx);
    let mut events = vec![];
    let room_names: std::collections::HashMap<Uuid, String> = q::list_rooms(&*txn, etab.id)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for old in assets {
        let mut row = old.clone();
        let from = match action {
            BulkAction::Move(_) => {
                row.room_id = room.as_ref().map(|r| r.id);
                old.room_id
                    .and_then(|r| room_names.get(&r).cloned())
                    .unwrap_or_default()
            }
            BulkAction::Status(_) => {
                row.status = value.clone();
                row.retired_at = if value == AssetStatus::Retired.as_str() {
                    old.retired_at.or(Some(now))
                } else {
                    None
                };
                old.status.clone()
            }
            BulkAction::Holder(_) => {
                row.holder_name = non_empty(value.clone());
                old.holder_name.clone().unwrap_or_default()
            }
        };
        if from == value {
            continue;
        }
        row.updated_at = now;
        row.search_text = asset_search_text(&row);
        q::update_asset(&*txn, row.clone()).await?;
        events.push(history_row(
            &row,
            &who,
            "bulk",
            &[Change {
                field: field.to_string(),
                from,
                to: value.clone(),
            }],
            None,
            now,
        ));
    }
    let n = events.len();
    q::insert_asset_events(&*txn, events).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "parc.asset.bulk",
            target: format!("etablissement:{}", etab.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            // A holder is a person: their name stays out of the log.
            details: serde_json::json!({
                "field": field,
                "to": if field == "holder_name" { String::new() } else { value.clone() },
                "selected": ids.len(),
                "changed": n,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}
