//! Parc API: rooms and assets of a school, with the pages' scoping (404
//! outside the caller's schools, 403 where the policy refuses a write) and
//! the pages' validation (422 with the field).

use super::{ApiCtx, ApiResult};
use super::{invalid, json_body, path_id};
use crate::AppState;
use crate::errors::ApiError;
use crate::urls;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use refnum_db::entities::parc::{parc_asset, parc_room};
use refnum_db::parc::AssetFilter;
use refnum_domain::asset::{AssetCategory, AssetOwner, AssetStatus};
use refnum_services::ServiceError;
use refnum_services::parc::assets::{self, AssetInput, AssetSort, WarrantyFilter};
use refnum_services::parc::places::{self, RoomInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assets, create_asset))
        .routes(routes!(get_asset, patch_asset))
        .routes(routes!(list_rooms, create_room))
        .routes(routes!(get_room, patch_room))
}

// ------------------------------------------------------------------- assets

/// A piece of equipment.
#[derive(Serialize, ToSchema)]
pub struct AssetOut {
    pub id: Uuid,
    /// Unique in its school.
    pub inventory_number: String,
    /// desktop, laptop, tablet, interactive_display, projector, visualiser,
    /// printer, wifi_access_point, switch, server, mobile_cart or other.
    pub category: String,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    /// collectivite, etablissement, etat or other.
    pub owner: String,
    pub owner_label: Option<String>,
    pub funding: Option<String>,
    /// `yyyy-mm-dd`.
    pub purchase_date: Option<chrono::NaiveDate>,
    pub warranty_end: Option<chrono::NaiveDate>,
    pub room_id: Option<Uuid>,
    pub room_name: Option<String>,
    pub holder_name: Option<String>,
    /// in_service, broken, in_repair, in_stock, lent or retired.
    pub status: String,
    pub parent_id: Option<Uuid>,
    pub notes: String,
    /// The address its QR label encodes.
    pub qr_url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl AssetOut {
    fn of(a: parc_asset::Model, room: Option<&parc_room::Model>) -> AssetOut {
        AssetOut {
            qr_url: urls::parc::qr(&a.qr_token),
            room_name: room.map(|r| r.name.clone()),
            id: a.id,
            inventory_number: a.inventory_number,
            category: a.category,
            manufacturer: a.manufacturer,
            model: a.model,
            serial: a.serial,
            owner: a.owner,
            owner_label: a.owner_label,
            funding: a.funding,
            purchase_date: a.purchase_date,
            warranty_end: a.warranty_end,
            room_id: a.room_id,
            holder_name: a.holder_name,
            status: a.status,
            parent_id: a.parent_id,
            notes: a.notes,
            created_at: a.created_at,
            updated_at: a.updated_at,
            retired_at: a.retired_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssetPage {
    pub items: Vec<AssetOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// One change of a field.
#[derive(Serialize, ToSchema)]
pub struct ChangeOut {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// One row of an asset's history.
#[derive(Serialize, ToSchema)]
pub struct AssetEventOut {
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub actor_name: String,
    /// created, updated, moved, status, imported or bulk.
    pub kind: String,
    pub changes: Vec<ChangeOut>,
    pub note: Option<String>,
}

/// An asset with its children and its history (latest first).
#[derive(Serialize, ToSchema)]
pub struct AssetDetail {
    pub asset: AssetOut,
    pub children: Vec<Uuid>,
    pub history: Vec<AssetEventOut>,
}

#[derive(Deserialize, IntoParams)]
pub struct AssetListParams {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page (1 to 200, default 50).
    pub per_page: Option<u64>,
    /// Words searched in inventory number, make, model, serial, holder, notes.
    pub q: Option<String>,
    /// A category code.
    pub category: Option<String>,
    /// A status code, or `all` (retired ones are left out otherwise).
    pub status: Option<String>,
    /// An owner code.
    pub owner: Option<String>,
    /// A room id, or `none` for assets in no room and held by nobody.
    pub room_id: Option<String>,
    pub building_id: Option<Uuid>,
    /// expired, ends_soon (within 90 days), covered or unknown.
    pub warranty: Option<String>,
    pub parent_id: Option<Uuid>,
    /// inventory_number (default), category, model, room, status,
    /// purchase_date, warranty_end or updated_at.
    pub sort: Option<String>,
    /// asc (default) or desc.
    pub order: Option<String>,
}

fn asset_filter(p: AssetListParams) -> Result<AssetFilter, ApiError> {
    let page = p.page.unwrap_or(1).clamp(1, 1_000_000);
    let per_page = p.per_page.unwrap_or(50).clamp(1, 200);
    let code = |v: Option<String>, field: &'static str, ok: fn(&str) -> bool| match v {
        None => Ok(None),
        Some(s) if ok(&s) => Ok(Some(s)),
        Some(_) => Err(invalid(field, "unknown code")),
    };
    let include_retired = p.status.as_deref() == Some("all");
    let status = p.status.filter(|s| s != "all");
    let (room, unplaced) = match p.room_id.as_deref() {
        None => (None, false),
        Some("none") => (None, true),
        Some(s) => (
            Some(Uuid::parse_str(s).map_err(|_| invalid("room_id", "not a room id"))?),
            false,
        ),
    };
    Ok(AssetFilter {
        q: p.q,
        category: code(p.category, "category", |s| {
            AssetCategory::parse(s).is_some()
        })?,
        status: code(status, "status", |s| AssetStatus::parse(s).is_some())?,
        include_retired,
        owner: code(p.owner, "owner", |s| AssetOwner::parse(s).is_some())?,
        room,
        building: p.building_id,
        warranty: match p.warranty.as_deref() {
            None => None,
            Some("expired") => Some(WarrantyFilter::Expired),
            Some("ends_soon") => Some(WarrantyFilter::EndsSoon),
            Some("covered") => Some(WarrantyFilter::Covered),
            Some("unknown") => Some(WarrantyFilter::Unknown),
            Some(_) => return Err(invalid("warranty", "unknown value")),
        },
        parent: p.parent_id,
        unplaced,
        today: None,
        sort: match p.sort.as_deref() {
            None | Some("inventory_number") => AssetSort::InventoryNumber,
            Some("category") => AssetSort::Category,
            Some("model") => AssetSort::Model,
            Some("room") => AssetSort::Room,
            Some("status") => AssetSort::Status,
            Some("purchase_date") => AssetSort::PurchaseDate,
            Some("warranty_end") => AssetSort::WarrantyEnd,
            Some("updated_at") => AssetSort::Updated,
            Some(_) => return Err(invalid("sort", "unknown sort key")),
        },
        desc: match p.order.as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(invalid("order", "asc or desc")),
        },
        page: page - 1,
        per_page,
    })
}

/// The assets of a school, filtered, sorted and paged.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/assets",
    tag = "parc",
    params(("id" = Uuid, Path, description = "School id"), AssetListParams),
    responses(
        (status = 200, description = "One page of assets", body = AssetPage),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The policy refuses the parc to the caller"),
        (status = 404, description = "No such school in the caller's scope"),
        (status = 422, description = "Unknown filter value")
    )
)]
pub async fn list_assets(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    Query(p): Query<AssetListParams>,
) -> ApiResult<AssetPage> {
    let id = path_id(&id)?;
    let filter = asset_filter(p)?;
    let l = assets::list(&state.db, &ctx, id, &filter).await?;
    Ok(Json(AssetPage {
        items: l
            .rows
            .into_iter()
            .map(|r| AssetOut::of(r.asset, r.room.as_ref()))
            .collect(),
        total: l.total,
        page: filter.page + 1,
        per_page: filter.per_page,
    }))
}

/// The fields of an asset to create or change. On creation, missing fields
/// are empty (owner `collectivite` and status `in_service` by default); on
/// a change, missing fields are left as they are and an empty string clears
/// an optional one.
#[derive(Deserialize, ToSchema, Default)]
pub struct AssetIn {
    pub inventory_number: Option<String>,
    pub category: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub owner: Option<String>,
    pub owner_label: Option<String>,
    pub funding: Option<String>,
    /// `yyyy-mm-dd` or `dd/mm/yyyy`.
    pub purchase_date: Option<String>,
    pub warranty_end: Option<String>,
    /// A room id or name of the school.
    pub room_id: Option<String>,
    pub holder_name: Option<String>,
    pub status: Option<String>,
    /// The id or inventory number of the asset holding it.
    pub parent_id: Option<String>,
    pub notes: Option<String>,
    /// A comment for the history (changes only).
    pub note: Option<String>,
}

impl AssetIn {
    fn over(self, mut i: AssetInput) -> (AssetInput, Option<String>) {
        let set = |dst: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *dst = v;
            }
        };
        set(&mut i.inventory_number, self.inventory_number);
        set(&mut i.category, self.category);
        set(&mut i.manufacturer, self.manufacturer);
        set(&mut i.model, self.model);
        set(&mut i.serial, self.serial);
        set(&mut i.owner, self.owner);
        set(&mut i.owner_label, self.owner_label);
        set(&mut i.funding, self.funding);
        set(&mut i.purchase_date, self.purchase_date);
        set(&mut i.warranty_end, self.warranty_end);
        set(&mut i.room, self.room_id);
        set(&mut i.holder_name, self.holder_name);
        set(&mut i.status, self.status);
        set(&mut i.parent, self.parent_id);
        set(&mut i.notes, self.notes);
        (i, self.note)
    }
}

async fn asset_out(state: &AppState, a: parc_asset::Model) -> Result<AssetOut, ApiError> {
    let room = match a.room_id {
        Some(r) => refnum_db::parc::get_room(&state.db.conn, a.etablissement_id, r)
            .await
            .map_err(ServiceError::from)?,
        None => None,
    };
    Ok(AssetOut::of(a, room.as_ref()))
}

/// Creates an asset (with its QR token and a first history row).
#[utoipa::path(
    post,
    path = "/api/v1/etablissements/{id}/assets",
    tag = "parc",
    params(("id" = Uuid, Path, description = "School id")),
    request_body = AssetIn,
    responses(
        (status = 201, description = "The asset created", body = AssetOut),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not manage the parc"),
        (status = 404, description = "No such school in the caller's scope"),
        (status = 422, description = "Invalid field (the `field` says which)")
    )
)]
pub async fn create_asset(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<AssetOut>), ApiError> {
    let id = path_id(&id)?;
    let input: AssetIn = json_body(&body)?;
    let (input, _) = input.over(AssetInput {
        owner: AssetOwner::Collectivite.as_str().into(),
        status: AssetStatus::InService.as_str().into(),
        ..Default::default()
    });
    let a = assets::create(&state.db, &ctx, id, &input).await?;
    Ok((StatusCode::CREATED, Json(asset_out(&state, a).await?)))
}

/// One asset with its history.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/assets/{asset_id}",
    tag = "parc",
    params(
        ("id" = Uuid, Path, description = "School id"),
        ("asset_id" = Uuid, Path, description = "Asset id")
    ),
    responses(
        (status = 200, description = "The asset", body = AssetDetail),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The policy refuses the parc to the caller"),
        (status = 404, description = "No such asset in the caller's scope")
    )
)]
pub async fn get_asset(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, asset_id)): Path<(String, String)>,
) -> ApiResult<AssetDetail> {
    let (id, asset_id) = (path_id(&id)?, path_id(&asset_id)?);
    let v = assets::show(&state.db, &ctx, id, asset_id).await?;
    Ok(Json(AssetDetail {
        children: v.children.iter().map(|c| c.id).collect(),
        history: v
            .history
            .into_iter()
            .map(|h| AssetEventOut {
                occurred_at: h.event.occurred_at,
                actor_name: h.event.actor_name,
                kind: h.event.kind,
                changes: h
                    .changes
                    .into_iter()
                    .map(|c| ChangeOut {
                        field: c.field,
                        from: c.from,
                        to: c.to,
                    })
                    .collect(),
                note: h.event.note,
            })
            .collect(),
        asset: AssetOut::of(v.asset, v.room.as_ref()),
    }))
}

/// Changes some fields of an asset (its history records what changed).
#[utoipa::path(
    patch,
    path = "/api/v1/etablissements/{id}/assets/{asset_id}",
    tag = "parc",
    params(
        ("id" = Uuid, Path, description = "School id"),
        ("asset_id" = Uuid, Path, description = "Asset id")
    ),
    request_body = AssetIn,
    responses(
        (status = 200, description = "The asset as changed", body = AssetOut),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not manage the parc"),
        (status = 404, description = "No such asset in the caller's scope"),
        (status = 422, description = "Invalid field (the `field` says which)")
    )
)]
pub async fn patch_asset(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, asset_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<AssetOut> {
    let (id, asset_id) = (path_id(&id)?, path_id(&asset_id)?);
    let patch: AssetIn = json_body(&body)?;
    let current = assets::show(&state.db, &ctx, id, asset_id).await?;
    let (input, note) = patch.over(AssetInput::of(&current.asset));
    let a = assets::update(&state.db, &ctx, id, asset_id, &input, note).await?;
    Ok(Json(asset_out(&state, a).await?))
}

// -------------------------------------------------------------------- rooms

/// A room of a school.
#[derive(Serialize, ToSchema)]
pub struct RoomOut {
    pub id: Uuid,
    pub name: String,
    pub building_id: Option<Uuid>,
    /// classroom, computer_room, cdi, lab, workshop, office, meeting, gym,
    /// storage or other.
    pub kind: String,
    pub capacity: Option<i32>,
    pub floor: Option<String>,
    pub notes: String,
    /// Assets in the room, retired ones included.
    pub asset_count: u64,
}

impl RoomOut {
    fn of(r: parc_room::Model, asset_count: u64) -> RoomOut {
        RoomOut {
            id: r.id,
            name: r.name,
            building_id: r.building_id,
            kind: r.kind,
            capacity: r.capacity,
            floor: r.floor,
            notes: r.notes,
            asset_count,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoomList {
    pub items: Vec<RoomOut>,
    pub total: u64,
}

/// The rooms of a school, by name.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/rooms",
    tag = "parc",
    params(("id" = Uuid, Path, description = "School id")),
    responses(
        (status = 200, description = "Every room of the school", body = RoomList),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The policy refuses the parc to the caller"),
        (status = 404, description = "No such school in the caller's scope")
    )
)]
pub async fn list_rooms(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<RoomList> {
    let id = path_id(&id)?;
    let p = places::places(&state.db, &ctx, id).await?;
    let items: Vec<RoomOut> = p
        .rooms
        .into_iter()
        .map(|l| RoomOut::of(l.room, l.assets))
        .collect();
    Ok(Json(RoomList {
        total: items.len() as u64,
        items,
    }))
}

/// The fields of a room to create or change (missing fields: empty on
/// creation, unchanged on a change).
#[derive(Deserialize, ToSchema, Default)]
pub struct RoomIn {
    pub name: Option<String>,
    /// A building id of the school, or an empty string for none.
    pub building_id: Option<String>,
    pub kind: Option<String>,
    /// Seats; null or absent for unknown.
    pub capacity: Option<i32>,
    pub floor: Option<String>,
    pub notes: Option<String>,
}

impl RoomIn {
    fn over(self, mut i: RoomInput) -> RoomInput {
        if let Some(v) = self.name {
            i.name = v;
        }
        if let Some(v) = self.building_id {
            i.building = v;
        }
        if let Some(v) = self.kind {
            i.kind = v;
        }
        if let Some(v) = self.capacity {
            i.capacity = v.to_string();
        }
        if let Some(v) = self.floor {
            i.floor = v;
        }
        if let Some(v) = self.notes {
            i.notes = v;
        }
        i
    }
}

/// Creates a room.
#[utoipa::path(
    post,
    path = "/api/v1/etablissements/{id}/rooms",
    tag = "parc",
    params(("id" = Uuid, Path, description = "School id")),
    request_body = RoomIn,
    responses(
        (status = 201, description = "The room created", body = RoomOut),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not manage the parc"),
        (status = 404, description = "No such school in the caller's scope"),
        (status = 422, description = "Invalid field (the `field` says which)")
    )
)]
pub async fn create_room(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<RoomOut>), ApiError> {
    let id = path_id(&id)?;
    let input: RoomIn = json_body(&body)?;
    let input = input.over(RoomInput {
        kind: refnum_services::parc::RoomKind::Other.as_str().into(),
        ..Default::default()
    });
    let r = places::create_room(&state.db, &ctx, id, &input).await?;
    Ok((StatusCode::CREATED, Json(RoomOut::of(r, 0))))
}

/// One room.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/rooms/{room_id}",
    tag = "parc",
    params(
        ("id" = Uuid, Path, description = "School id"),
        ("room_id" = Uuid, Path, description = "Room id")
    ),
    responses(
        (status = 200, description = "The room", body = RoomOut),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The policy refuses the parc to the caller"),
        (status = 404, description = "No such room in the caller's scope")
    )
)]
pub async fn get_room(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, room_id)): Path<(String, String)>,
) -> ApiResult<RoomOut> {
    let (id, room_id) = (path_id(&id)?, path_id(&room_id)?);
    let v = places::room(&state.db, &ctx, id, room_id).await?;
    Ok(Json(RoomOut::of(v.room, v.assets)))
}

/// Changes some fields of a room.
#[utoipa::path(
    patch,
    path = "/api/v1/etablissements/{id}/rooms/{room_id}",
    tag = "parc",
    params(
        ("id" = Uuid, Path, description = "School id"),
        ("room_id" = Uuid, Path, description = "Room id")
    ),
    request_body = RoomIn,
    responses(
        (status = 200, description = "The room as changed", body = RoomOut),
        (status = 401, description = "Missing or invalid token"),
        (status = 403, description = "The caller may not manage the parc"),
        (status = 404, description = "No such room in the caller's scope"),
        (status = 422, description = "Invalid field (the `field` says which)")
    )
)]
pub async fn patch_room(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, room_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<RoomOut> {
    let (id, room_id) = (path_id(&id)?, path_id(&room_id)?);
    let patch: RoomIn = json_body(&body)?;
    let current = places::room(&state.db, &ctx, id, room_id).await?;
    let input = patch.over(RoomInput::of(&current.room));
    let r = places::update_room(&state.db, &ctx, id, room_id, &input).await?;
    Ok(Json(RoomOut::of(r, current.assets)))
}
