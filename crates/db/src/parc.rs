//! Parc queries: places, assets, their history. Every query of a school's
//! data takes the school.

use crate::entities::parc::{
    parc_asset as asset, parc_asset_event as event, parc_building as building, parc_room as room,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    JoinType, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
    Statement,
};
use std::collections::HashMap;
use uuid::Uuid;

mod lieux;
pub use lieux::*;

/// Rows per statement for bulk writes (well under both backends' limits on
/// bound parameters: an asset row has 24 columns).
const CHUNK: usize = 40;

async fn insert_in_chunks<C, A>(c: &C, rows: Vec<A>) -> Result<(), DbErr>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

// ------------------------------------------------------------------- assets

pub async fn get_asset<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<asset::Model>, DbErr> {
    asset::Entity::find_by_id(id)
        .filter(asset::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// The asset a QR label points to (any school: the caller decides).
pub async fn asset_by_qr_token<C: ConnectionTrait>(
    c: &C,
    token: &str,
) -> Result<Option<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::QrToken.eq(token))
        .one(c)
        .await
}

pub async fn asset_by_inventory_number<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    number: &str,
) -> Result<Option<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::InventoryNumber.eq(number))
        .one(c)
        .await
}

/// The given assets of a school (ids of other schools are ignored).
pub async fn assets_by_ids<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    ids: &[Uuid],
) -> Result<Vec<asset::Model>, DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        out.extend(
            asset::Entity::find()
                .filter(asset::Column::EtablissementId.eq(etab))
                .filter(asset::Column::Id.is_in(chunk.to_vec()))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// The assets in another one (a cart's tablets), by inventory number.
pub async fn children_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    parent: Uuid,
) -> Result<Vec<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::ParentId.eq(parent))
        .order_by_asc(asset::Column::InventoryNumber)
        .all(c)
        .await
}

pub async fn insert_asset<C: ConnectionTrait>(c: &C, row: asset::Model) -> Result<(), DbErr> {
    asset::Entity::insert(asset::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Inserts assets a chunk at a time (imports, demo data), within the
/// caller's transaction.
pub async fn insert_assets<C: ConnectionTrait>(
    c: &C,
    rows: Vec<asset::Model>,
) -> Result<(), DbErr> {
    insert_in_chunks(c, rows.into_iter().map(asset::ActiveModel::from).collect()).await
}

/// Writes every column of an asset.
pub async fn update_asset<C: ConnectionTrait>(c: &C, row: asset::Model) -> Result<(), DbErr> {
    let am: asset::ActiveModel = sea_orm::IntoActiveModel::into_active_model(row);
    asset::Entity::update(reset_all(am))
        .exec(c)
        .await
        .map(|_| ())
}

/// Marks every column as changed so that `update` writes the whole row.
fn reset_all<A: sea_orm::ActiveModelTrait>(mut am: A) -> A {
    use sea_orm::Iterable;
    for col in <A::Entity as EntityTrait>::Column::iter() {
        am.reset(col);
    }
    am
}

/// Which warranty an asset has, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarrantyFilter {
    /// Ended before the day.
    Expired,
    /// Still covered, ending within 90 days.
    EndsSoon,
    /// Covered on the day.
    Covered,
    /// No known warranty end.
    Unknown,
}

/// Sort keys of the asset list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssetSort {
    #[default]
    InventoryNumber,
    Category,
    Model,
    Room,
    Status,
    PurchaseDate,
    WarrantyEnd,
    Updated,
}

/// Filters, sort and page of the asset list.
#[derive(Debug, Clone, Default)]
pub struct AssetFilter {
    /// Folded words, all of which must appear in the search text.
    pub q: Option<String>,
    pub category: Option<String>,
    /// A status code; `None` lists every status but `retired`.
    pub status: Option<String>,
    /// With `status: None`, also list retired assets.
    pub include_retired: bool,
    pub owner: Option<String>,
    pub room: Option<Uuid>,
    pub building: Option<Uuid>,
    pub warranty: Option<WarrantyFilter>,
    pub parent: Option<Uuid>,
    /// Only assets in no room and held by nobody.
    pub unplaced: bool,
    /// The day warranty filters are computed on.
    pub today: Option<NaiveDate>,
    pub sort: AssetSort,
    pub desc: bool,
    pub page: u64,
    pub per_page: u64,
}

/// One asset of a list with its room.
#[derive(Debug, Clone)]
pub struct AssetListRow {
    pub asset: asset::Model,
    pub room: Option<room::Model>,
}

/// One asset as the list page shows it: only the columns of its table, with
/// the name of its room.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct AssetLine {
    pub id: Uuid,
    pub inventory_number: String,
    pub category: String,
    pub manufacturer: String,
    pub model: String,
    pub holder_name: Option<String>,
    pub status: String,
    pub purchase_date: Option<NaiveDate>,
    pub warranty_end: Option<NaiveDate>,
    pub room_id: Option<Uuid>,
    pub room_name: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct IdRow {
    id: Uuid,
}

/// A page of a school's assets, whole, with their rooms (the API and the
/// exports), and the number of assets that match.
pub async fn list_assets<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    f: &AssetFilter,
) -> Result<(Vec<AssetListRow>, u64), DbErr> {
    let total = count_assets(c, etab, f).await?;
    // The page's ids in order first, then their rows.
    let ids: Vec<Uuid> = ordered_page::<_, IdRow>(c, etab, f, false, |q| {
        q.select_only().column(asset::Column::Id)
    })
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    if ids.is_empty() {
        return Ok((vec![], total));
    }
    let mut found: HashMap<Uuid, AssetListRow> = asset::Entity::find()
        .join(JoinType::LeftJoin, asset::Relation::Room.def())
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::Id.is_in(ids.clone()))
        .select_also(room::Entity)
        .all(c)
        .await?
        .into_iter()
        .map(|(asset, room)| (asset.id, AssetListRow { asset, room }))
        .collect();
    Ok((
        ids.iter().filter_map(|id| found.remove(id)).collect(),
        total,
    ))
}

/// A page of a school's assets as the list page shows them, in one query
/// (two when the page reaches the assets without the sort's key), and the
/// number of assets that match.
pub async fn list_asset_lines<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    f: &AssetFilter,
) -> Result<(Vec<AssetLine>, u64), DbErr> {
    let total = count_assets(c, etab, f).await?;
    if total == 0 {
        return Ok((vec![], 0));
    }
    let rows = ordered_page(c, etab, f, true, |q| {
        q.select_only()
            .columns([
                asset::Column::Id,
                asset::Column::InventoryNumber,
                asset::Column::Category,
                asset::Column::Manufacturer,
                asset::Column::Model,
                asset::Column::HolderName,
                asset::Column::Status,
                asset::Column::PurchaseDate,
                asset::Column::WarrantyEnd,
                asset::Column::RoomId,
            ])
            .column_as(room::Column::Name, "room_name")
    })
    .await?;
    Ok((rows, total))
}

/// The number of a school's assets that pass the filter. The room is joined
/// only when the filter needs it: the count of one school's thousand laptops
/// then reads one index and the assets.
pub async fn count_assets<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    f: &AssetFilter,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, assets_where(etab, f)).await
}

/// The assets of a school that a filter keeps, to count.
pub fn assets_where(etab: Uuid, f: &AssetFilter) -> SelectStatement {
    let mut q = sea_orm::QueryTrait::into_query(filtered_assets(etab, f, f.building.is_some()));
    q.clear_selects();
    q
}

/// The sort's key when some assets may lack it (they are listed last, by
/// inventory number, in both directions and on both backends).
fn optional_key(sort: AssetSort) -> Option<asset::Column> {
    match sort {
        AssetSort::PurchaseDate => Some(asset::Column::PurchaseDate),
        AssetSort::WarrantyEnd => Some(asset::Column::WarrantyEnd),
        AssetSort::Room => Some(asset::Column::RoomId),
        _ => None,
    }
}

/// Which assets of the filter an ordered query reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Every one (a sort whose key every asset has).
    All,
    /// Those with the sort's key.
    WithKey,
    /// Those without it.
    WithoutKey,
}

/// The filtered assets of one part, in the list's order. Each order is a
/// column or two then the inventory number, unique in the school, with no
/// expression: an index `(etablissement_id, key…, inventory_number)` serves
/// it and the query stops at the page instead of sorting every match. The
/// assets without the key come last as a query of their own, because the
/// backends disagree on where NULL sorts and `NULLS LAST` or `IS NULL` in
/// the order would keep the index from serving it.
fn ordered(
    etab: Uuid,
    f: &AssetFilter,
    with_room: bool,
    part: Part,
) -> sea_orm::Select<asset::Entity> {
    let with_room = with_room || f.building.is_some() || f.sort == AssetSort::Room;
    let mut q = filtered_assets(etab, f, with_room);
    let order = if f.desc { Order::Desc } else { Order::Asc };
    if let Some(key) = optional_key(f.sort) {
        match part {
            Part::WithKey => q = q.filter(key.is_not_null()),
            Part::WithoutKey => {
                return q
                    .filter(key.is_null())
                    .order_by_asc(asset::Column::InventoryNumber);
            }
            Part::All => {}
        }
    }
    q = match f.sort {
        AssetSort::InventoryNumber => return q.order_by(asset::Column::InventoryNumber, order),
        AssetSort::Category => q.order_by(asset::Column::Category, order),
        AssetSort::Model => q
            .order_by(asset::Column::Manufacturer, order.clone())
            .order_by(asset::Column::Model, order),
        AssetSort::Room => q.order_by(room::Column::Name, order),
        AssetSort::Status => q.order_by(asset::Column::Status, order),
        AssetSort::PurchaseDate => q.order_by(asset::Column::PurchaseDate, order),
        AssetSort::WarrantyEnd => q.order_by(asset::Column::WarrantyEnd, order),
        AssetSort::Updated => q.order_by(asset::Column::UpdatedAt, order),
    };
    q.order_by_asc(asset::Column::InventoryNumber)
}

/// One page of the filtered assets in the list's order, each row selected by
/// `select`. With a sort whose key may be missing, the assets with the key
/// are read first; the page goes on with those without it only when it
/// reaches past them.
async fn ordered_page<C, T>(
    c: &C,
    etab: Uuid,
    f: &AssetFilter,
    with_room: bool,
    select: impl Fn(sea_orm::Select<asset::Entity>) -> sea_orm::Select<asset::Entity>,
) -> Result<Vec<T>, DbErr>
where
    C: ConnectionTrait,
    T: FromQueryResult + Send + Sync,
{
    let per_page = f.per_page.max(1);
    let offset = f.page.saturating_mul(per_page);
    if optional_key(f.sort).is_none() {
        return select(ordered(etab, f, with_room, Part::All))
            .offset(offset)
            .limit(per_page)
            .into_model::<T>()
            .all(c)
            .await;
    }
    let mut rows: Vec<T> = select(ordered(etab, f, with_room, Part::WithKey))
        .offset(offset)
        .limit(per_page)
        .into_model::<T>()
        .all(c)
        .await?;
    let missing = per_page.saturating_sub(rows.len() as u64);
    if missing == 0 {
        return Ok(rows);
    }
    // Where the page starts among the assets without the key: at their
    // first when the page has some with it, else after those with it.
    let skip = if rows.is_empty() && offset > 0 {
        let with_key = ordered(etab, f, false, Part::WithKey).count(c).await?;
        offset.saturating_sub(with_key)
    } else {
        0
    };
    let rest: Vec<T> = select(ordered(etab, f, with_room, Part::WithoutKey))
        .offset(skip)
        .limit(per_page)
        .into_model::<T>()
        .all(c)
        .await?;
    rows.extend(
        rest.into_iter()
            .take(usize::try_from(missing).unwrap_or(usize::MAX)),
    );
    Ok(rows)
}

/// The assets of a school that pass the filter, with their room joined
/// when `with_room`.
fn filtered_assets(etab: Uuid, f: &AssetFilter, with_room: bool) -> sea_orm::Select<asset::Entity> {
    let mut q = asset::Entity::find();
    if with_room {
        q = q.join(JoinType::LeftJoin, asset::Relation::Room.def());
    }
    q = q.filter(asset::Column::EtablissementId.eq(etab));
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        for word in text.split_whitespace().take(5) {
            q = q.filter(asset::Column::SearchText.like(format!("%{word}%")));
        }
    }
    if let Some(cat) = &f.category {
        q = q.filter(asset::Column::Category.eq(cat.as_str()));
    }
    match &f.status {
        Some(s) => q = q.filter(asset::Column::Status.eq(s.as_str())),
        None if !f.include_retired => q = q.filter(asset::Column::Status.ne("retired")),
        None => {}
    }
    if let Some(o) = &f.owner {
        q = q.filter(asset::Column::Owner.eq(o.as_str()));
    }
    if let Some(r) = f.room {
        q = q.filter(asset::Column::RoomId.eq(r));
    }
    if let Some(b) = f.building {
        q = q.filter(room::Column::BuildingId.eq(b));
    }
    if let Some(p) = f.parent {
        q = q.filter(asset::Column::ParentId.eq(p));
    }
    if f.unplaced {
        q = q
            .filter(asset::Column::RoomId.is_null())
            .filter(asset::Column::HolderName.is_null());
    }
    if let Some(w) = f.warranty {
        let today = f.today.unwrap_or_else(|| Utc::now().date_naive());
        let soon = today + chrono::Duration::days(90);
        q = q.filter(match w {
            WarrantyFilter::Expired => Condition::all().add(asset::Column::WarrantyEnd.lt(today)),
            WarrantyFilter::EndsSoon => Condition::all()
                .add(asset::Column::WarrantyEnd.gte(today))
                .add(asset::Column::WarrantyEnd.lte(soon)),
            WarrantyFilter::Covered => Condition::all().add(asset::Column::WarrantyEnd.gte(today)),
            WarrantyFilter::Unknown => Condition::all().add(asset::Column::WarrantyEnd.is_null()),
        });
    }
    q
}

/// Moves, sets the status or the holder of several assets of a school at
/// once (the caller writes their events).
pub async fn set_assets_room<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    ids: &[Uuid],
    room: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut n = 0;
    for chunk in ids.chunks(200) {
        n += asset::Entity::update_many()
            .col_expr(asset::Column::RoomId, Expr::value(room))
            .col_expr(asset::Column::UpdatedAt, Expr::value(at))
            .filter(asset::Column::EtablissementId.eq(etab))
            .filter(asset::Column::Id.is_in(chunk.to_vec()))
            .exec(c)
            .await?
            .rows_affected;
    }
    Ok(n)
}

// ------------------------------------------------------------------- events

/// Inserts history rows a chunk at a time.
pub async fn insert_asset_events<C: ConnectionTrait>(
    c: &C,
    rows: Vec<event::Model>,
) -> Result<(), DbErr> {
    insert_in_chunks(c, rows.into_iter().map(event::ActiveModel::from).collect()).await
}

/// The history of an asset, the latest first.
pub async fn events_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    asset_id: Uuid,
    limit: u64,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::AssetId.eq(asset_id))
        .filter(event::Column::EtablissementId.eq(etab))
        .order_by_desc(event::Column::OccurredAt)
        .order_by_desc(event::Column::Id)
        .limit(limit)
        .all(c)
        .await
}

/// Every inventory number of a school (imports check duplicates at once).
pub async fn inventory_numbers_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    asset::Entity::find()
        .select_only()
        .columns([asset::Column::Id, asset::Column::InventoryNumber])
        .filter(asset::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await
}
