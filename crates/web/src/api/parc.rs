//! Parc API: rooms and assets of a school, with the pages' scoping (404
//! outside the caller's schools, 403 where the policy refuses a write) and
//! the pages' validation (422 with the field).

use super::{ApiCtx, ApiQuery, ApiResult, ErrorBody, schema};
use super::{
    integral, invalid, json_body, paging, path_id, rename_fields, strict_uuid, with_conflicts,
};
use crate::AppState;
use crate::errors::ApiError;
use crate::urls;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
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
#[into_params(parameter_in = Query)]
pub struct AssetListParams {
    /// Page number, from 1 (default 1).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// Items per page (1 to 200, default 50).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// Words searched in inventory number, make, model, serial, holder, notes.
    #[param(required = false, value_type = String)]
    pub q: Option<String>,
    /// A category code.
    #[param(required = false, schema_with = schema::asset_category)]
    pub category: Option<String>,
    /// A status code, or `all` (retired ones are left out otherwise).
    #[param(required = false, schema_with = schema::asset_status_filter)]
    pub status: Option<String>,
    /// An owner code.
    #[param(required = false, schema_with = schema::asset_owner)]
    pub owner: Option<String>,
    /// A room id, or `none` for assets in no room and held by nobody.
    #[param(required = false, value_type = String, pattern = "^(none|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")]
    pub room_id: Option<String>,
    #[param(required = false, value_type = Uuid)]
    pub building_id: Option<Uuid>,
    /// expired, ends_soon (within 90 days), covered or unknown.
    #[param(required = false, schema_with = warranty_schema)]
    pub warranty: Option<String>,
    #[param(required = false, value_type = Uuid)]
    pub parent_id: Option<Uuid>,
    /// inventory_number (default), category, model, room, status,
    /// purchase_date, warranty_end or updated_at.
    #[param(required = false, schema_with = asset_sort_schema)]
    pub sort: Option<String>,
    /// asc (default) or desc.
    #[param(required = false, schema_with = schema::order)]
    pub order: Option<String>,
}

fn warranty_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["expired", "ends_soon", "covered", "unknown"], false)
}

fn asset_sort_schema() -> utoipa::openapi::schema::Object {
    schema::codes(
        [
            "inventory_number",
            "category",
            "model",
            "room",
            "status",
            "purchase_date",
            "warranty_end",
            "updated_at",
        ],
        false,
    )
}

fn asset_filter(p: AssetListParams) -> Result<AssetFilter, ApiError> {
    let pg = paging(p.page, p.per_page)?;
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
            Some(strict_uuid(s).ok_or_else(|| invalid("room_id", "a room id or none"))?),
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
        page: pg.page - 1,
        per_page: pg.per_page,
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
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The policy refuses the parc to the caller", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 422, description = "Unknown filter value, a parameter out of range or of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn list_assets(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<AssetListParams>,
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

/// An asset's request body: the given fields, then the optional ones
/// every asset body has.
macro_rules! asset_body {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Deserialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
            #[schema(schema_with = line100)]
            pub manufacturer: Option<String>,
            #[schema(schema_with = line100)]
            pub model: Option<String>,
            #[schema(schema_with = line100)]
            pub serial: Option<String>,
            #[schema(schema_with = schema::asset_owner_or_null)]
            pub owner: Option<String>,
            #[schema(schema_with = line200)]
            pub owner_label: Option<String>,
            #[schema(schema_with = line200)]
            pub funding: Option<String>,
            /// `yyyy-mm-dd` (`dd/mm/yyyy` is read too); empty for none.
            #[schema(schema_with = schema::date_or_empty)]
            pub purchase_date: Option<String>,
            /// Not before the purchase date; empty for none.
            #[schema(schema_with = schema::date_or_empty)]
            pub warranty_end: Option<String>,
            /// A room id or name of the school; empty for none.
            #[schema(schema_with = line200)]
            pub room_id: Option<String>,
            #[schema(schema_with = line200)]
            pub holder_name: Option<String>,
            #[schema(schema_with = schema::asset_status_or_null)]
            pub status: Option<String>,
            /// The id or inventory number of the asset holding it; empty for
            /// none.
            #[schema(schema_with = line200)]
            pub parent_id: Option<String>,
            #[schema(schema_with = notes_schema)]
            pub notes: Option<String>,
        }
    };
}

asset_body!(
    /// A new asset: `inventory_number` and `category` are required; missing
    /// fields are empty (owner `collectivite` and status `in_service` by
    /// default).
    AssetNew {
        /// Unique in the school (a taken one is a 409).
        #[schema(schema_with = inventory_number_schema)]
        inventory_number: String,
        #[schema(schema_with = schema::asset_category)]
        category: String,
    }
);

asset_body!(
    /// Changes to an asset: missing fields are left as they are and an
    /// empty string clears an optional one.
    AssetIn {
        #[schema(schema_with = inventory_number_or_null)]
        inventory_number: Option<String>,
        #[schema(schema_with = schema::asset_category_or_null)]
        category: Option<String>,
        /// A comment for the history.
        #[schema(schema_with = note_schema)]
        note: Option<String>,
    }
);

fn inventory_number_schema() -> utoipa::openapi::schema::Object {
    schema::text(40, true, false, false)
}
fn inventory_number_or_null() -> utoipa::openapi::schema::Object {
    schema::text(40, true, false, true)
}
fn line100() -> utoipa::openapi::schema::Object {
    schema::text(100, false, false, true)
}
fn line200() -> utoipa::openapi::schema::Object {
    schema::text(200, false, false, true)
}
fn notes_schema() -> utoipa::openapi::schema::Object {
    schema::text(4000, false, true, true)
}
fn note_schema() -> utoipa::openapi::schema::Object {
    schema::text(1000, false, true, true)
}

/// The service's names of the parc form fields, as the API names them.
const ASSET_FIELDS: &[(&str, &str)] = &[("room", "room_id"), ("parent", "parent_id")];
const ROOM_FIELDS: &[(&str, &str)] = &[("building", "building_id")];

fn parc_error(e: ServiceError, names: &[(&str, &'static str)]) -> ApiError {
    with_conflicts(
        rename_fields(e, names),
        &["parc-error-inventory-taken", "parc-error-name-taken"],
    )
}

impl From<AssetNew> for AssetIn {
    fn from(n: AssetNew) -> Self {
        AssetIn {
            inventory_number: Some(n.inventory_number),
            category: Some(n.category),
            note: None,
            manufacturer: n.manufacturer,
            model: n.model,
            serial: n.serial,
            owner: n.owner,
            owner_label: n.owner_label,
            funding: n.funding,
            purchase_date: n.purchase_date,
            warranty_end: n.warranty_end,
            room_id: n.room_id,
            holder_name: n.holder_name,
            status: n.status,
            parent_id: n.parent_id,
            notes: n.notes,
        }
    }
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
    request_body = AssetNew,
    responses(
        (status = 201, description = "The asset created", body = AssetOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage the parc", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 409, description = "The inventory number (asset) or the name (room) is already used in the school", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn create_asset(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<AssetOut>), ApiError> {
    let id = path_id(&id)?;
    let input: AssetNew = json_body(&headers, &body)?;
    let (input, _) = AssetIn::from(input).over(AssetInput {
        owner: AssetOwner::Collectivite.as_str().into(),
        status: AssetStatus::InService.as_str().into(),
        ..Default::default()
    });
    let a = assets::create(&state.db, &ctx, id, &input)
        .await
        .map_err(|e| parc_error(e, ASSET_FIELDS))?;
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
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The policy refuses the parc to the caller", body = ErrorBody),
        (status = 404, description = "No such asset in the caller's scope", body = ErrorBody)
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
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage the parc", body = ErrorBody),
        (status = 404, description = "No such asset in the caller's scope", body = ErrorBody),
        (status = 409, description = "The inventory number (asset) or the name (room) is already used in the school", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn patch_asset(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, asset_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<AssetOut> {
    let (id, asset_id) = (path_id(&id)?, path_id(&asset_id)?);
    let patch: AssetIn = json_body(&headers, &body)?;
    let current = assets::show(&state.db, &ctx, id, asset_id).await?;
    let (input, note) = patch.over(AssetInput::of(&current.asset));
    let a = assets::update(&state.db, &ctx, id, asset_id, &input, note)
        .await
        .map_err(|e| parc_error(e, ASSET_FIELDS))?;
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
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The policy refuses the parc to the caller", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody)
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
/// creation, unchanged on a change; `name` is required on creation).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RoomIn {
    /// Unique in the school (a taken one is a 409).
    #[schema(schema_with = room_name)]
    pub name: Option<String>,
    /// A building id of the school, or an empty string for none.
    #[schema(schema_with = line200)]
    pub building_id: Option<String>,
    #[schema(schema_with = room_kind)]
    pub kind: Option<String>,
    /// Seats; absent or null for unchanged (unknown on creation).
    #[serde(default, deserialize_with = "integral::opt_int")]
    #[schema(minimum = 0, maximum = 10000)]
    pub capacity: Option<i32>,
    #[schema(schema_with = floor_schema)]
    pub floor: Option<String>,
    #[schema(schema_with = room_notes)]
    pub notes: Option<String>,
}

/// A new room: its name is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomNew {
    /// Unique in the school (a taken one is a 409).
    #[schema(schema_with = room_name_required)]
    pub name: String,
    /// A building id of the school, or an empty string for none.
    #[schema(schema_with = line200)]
    pub building_id: Option<String>,
    /// `other` when absent.
    #[schema(schema_with = room_kind)]
    pub kind: Option<String>,
    /// Seats; absent or null for unknown.
    #[serde(default, deserialize_with = "integral::opt_int")]
    #[schema(minimum = 0, maximum = 10000)]
    pub capacity: Option<i32>,
    #[schema(schema_with = floor_schema)]
    pub floor: Option<String>,
    #[schema(schema_with = room_notes)]
    pub notes: Option<String>,
}

fn room_name() -> utoipa::openapi::schema::Object {
    schema::text(100, true, false, true)
}
fn room_name_required() -> utoipa::openapi::schema::Object {
    schema::text(100, true, false, false)
}
fn room_kind() -> utoipa::openapi::schema::Object {
    schema::codes(
        refnum_services::parc::RoomKind::ALL
            .iter()
            .map(|k| k.as_str()),
        true,
    )
}
fn floor_schema() -> utoipa::openapi::schema::Object {
    schema::text(32, false, false, true)
}
fn room_notes() -> utoipa::openapi::schema::Object {
    schema::text(2000, false, true, true)
}

impl From<RoomNew> for RoomIn {
    fn from(n: RoomNew) -> Self {
        RoomIn {
            name: Some(n.name),
            building_id: n.building_id,
            kind: n.kind,
            capacity: n.capacity,
            floor: n.floor,
            notes: n.notes,
        }
    }
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
    request_body = RoomNew,
    responses(
        (status = 201, description = "The room created", body = RoomOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage the parc", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 409, description = "The inventory number (asset) or the name (room) is already used in the school", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn create_room(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<RoomOut>), ApiError> {
    let id = path_id(&id)?;
    let input: RoomNew = json_body(&headers, &body)?;
    let input = RoomIn::from(input).over(RoomInput {
        kind: refnum_services::parc::RoomKind::Other.as_str().into(),
        ..Default::default()
    });
    let r = places::create_room(&state.db, &ctx, id, &input)
        .await
        .map_err(|e| parc_error(e, ROOM_FIELDS))?;
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
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The policy refuses the parc to the caller", body = ErrorBody),
        (status = 404, description = "No such room in the caller's scope", body = ErrorBody)
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
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage the parc", body = ErrorBody),
        (status = 404, description = "No such room in the caller's scope", body = ErrorBody),
        (status = 409, description = "The inventory number (asset) or the name (room) is already used in the school", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn patch_room(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, room_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<RoomOut> {
    let (id, room_id) = (path_id(&id)?, path_id(&room_id)?);
    let patch: RoomIn = json_body(&headers, &body)?;
    let current = places::room(&state.db, &ctx, id, room_id).await?;
    let input = patch.over(RoomInput::of(&current.room));
    let r = places::update_room(&state.db, &ctx, id, room_id, &input)
        .await
        .map_err(|e| parc_error(e, ROOM_FIELDS))?;
    Ok(Json(RoomOut::of(r, current.assets)))
}
