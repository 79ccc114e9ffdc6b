//! Equipment and helpdesk indicators: aggregates of one school's data.
//!
//! Counts are SQL `COUNT`s on indexed columns of one school. The same
//! SeaORM code runs on SQLite and PostgreSQL.

use crate::entities::assistance::{asset_unavailability as unavailability, ticket};
use crate::entities::parc::parc_asset as asset;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// Categories counted as computers (desktops and laptops).
pub const COMPUTERS: [&str; 2] = ["desktop", "laptop"];
/// Categories counted as terminals (desktops, laptops and tablets).
pub const TERMINALS: [&str; 3] = ["desktop", "laptop", "tablet"];
/// Statuses of equipment that is not deployed (counted out of the fleet).
pub const NOT_DEPLOYED: [&str; 2] = ["retired", "in_stock"];

/// Figures on a school's equipment, as of a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssetFigures {
    /// Assets not retired.
    pub active: u64,
    /// Active assets whose warranty ended before the day.
    pub out_of_warranty: u64,
    /// Active assets with a known warranty end.
    pub with_warranty_end: u64,
    /// Active desktops and laptops.
    pub computers: u64,
    /// Active desktops and laptops bought before the cut-off day.
    pub old_computers: u64,
    /// Active desktops and laptops with a known purchase date.
    pub computers_dated: u64,
    /// Active desktops, laptops and tablets.
    pub terminals: u64,
    /// Assets neither retired nor in stock (the fleet the availability
    /// rate is computed on).
    pub deployed: u64,
}

fn of(etab: Uuid) -> sea_orm::Select<asset::Entity> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::Status.ne("retired"))
}

/// The equipment figures of a school on `today`; computers bought before
/// `old_before` count as old.
pub async fn asset_figures<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    today: NaiveDate,
    old_before: NaiveDate,
) -> Result<AssetFigures, DbErr> {
    Ok(AssetFigures {
        active: of(etab).count(c).await?,
        out_of_warranty: of(etab)
            .filter(asset::Column::WarrantyEnd.lt(today))
            .count(c)
            .await?,
        with_warranty_end: of(etab)
            .filter(asset::Column::WarrantyEnd.is_not_null())
            .count(c)
            .await?,
        computers: of(etab)
            .filter(asset::Column::Category.is_in(COMPUTERS))
            .count(c)
            .await?,
        old_computers: of(etab)
            .filter(asset::Column::Category.is_in(COMPUTERS))
            .filter(asset::Column::PurchaseDate.lt(old_before))
            .count(c)
            .await?,
        computers_dated: of(etab)
            .filter(asset::Column::Category.is_in(COMPUTERS))
            .filter(asset::Column::PurchaseDate.is_not_null())
            .count(c)
            .await?,
        terminals: of(etab)
            .filter(asset::Column::Category.is_in(TERMINALS))
            .count(c)
            .await?,
        deployed: asset::Entity::find()
            .filter(asset::Column::EtablissementId.eq(etab))
            .filter(asset::Column::Status.is_not_in(NOT_DEPLOYED))
            .count(c)
            .await?,
    })
}

// ------------------------------------------------------------------ tickets

/// Statuses of tickets that are no longer open.
pub const DONE: [&str; 2] = ["resolved", "closed"];

/// Open tickets of a school created in `[from, to)` (either bound open).
pub async fn open_tickets_created<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<u64, DbErr> {
    let mut q = ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(etab))
        .filter(ticket::Column::Status.is_not_in(DONE));
    if let Some(f) = from {
        q = q.filter(ticket::Column::CreatedAt.gte(f));
    }
    if let Some(t) = to {
        q = q.filter(ticket::Column::CreatedAt.lt(t));
    }
    q.count(c).await
}

/// Tickets of a school created in the period, per category (most first).
pub async fn tickets_per_category<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(String, u64)>, DbErr> {
    let rows: Vec<(String, i64)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Category)
        .column_as(ticket::Column::Id.count(), "n")
        .filter(ticket::Column::EtablissementId.eq(etab))
        .filter(ticket::Column::CreatedAt.gte(from))
        .filter(ticket::Column::CreatedAt.lt(to))
        .group_by(ticket::Column::Category)
        .order_by_desc(ticket::Column::Id.count())
        .order_by_asc(ticket::Column::Category)
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(cat, n)| (cat, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Tickets of a school with a resolution due time that fell in the period
/// or that were resolved in it, and how many of them were resolved by
/// their due time: `(compliant, total)`.
pub async fn sla_compliance<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(u64, u64), DbErr> {
    use sea_orm::Condition;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let base = ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(etab))
        .filter(ticket::Column::ResolutionDueAt.is_not_null())
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(ticket::Column::ResolutionDueAt.gte(from))
                        .add(ticket::Column::ResolutionDueAt.lt(to)),
                )
                .add(
                    Condition::all()
                        .add(ticket::Column::ResolvedAt.gte(from))
                        .add(ticket::Column::ResolvedAt.lt(to)),
                ),
        );
    let total = base.clone().count(c).await?;
    let ok = base
        .filter(ticket::Column::ResolvedAt.is_not_null())
        .filter(
            Expr::col((ticket::Entity, ticket::Column::ResolvedAt))
                .lte(Expr::col((ticket::Entity, ticket::Column::ResolutionDueAt))),
        )
        .count(c)
        .await?;
    Ok((ok, total))
}

/// Rows read per page by the streamed sums below.
const PAGE: u64 = 1_000;

/// Tickets of a school resolved in the period and the sum of their times to
/// resolution, in seconds: `(count, seconds)`. Only the two timestamps of
/// those tickets are read, a page at a time (date arithmetic differs
/// between SQLite and PostgreSQL).
pub async fn resolution_times<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(u64, i64), DbErr> {
    let (mut n, mut secs) = (0u64, 0i64);
    let mut after: Option<Uuid> = None;
    loop {
        let mut q = ticket::Entity::find()
            .select_only()
            .columns([
                ticket::Column::Id,
                ticket::Column::CreatedAt,
                ticket::Column::ResolvedAt,
            ])
            .filter(ticket::Column::EtablissementId.eq(etab))
            .filter(ticket::Column::ResolvedAt.gte(from))
            .filter(ticket::Column::ResolvedAt.lt(to));
        if let Some(a) = after {
            q = q.filter(ticket::Column::Id.gt(a));
        }
        let rows: Vec<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> = q
            .order_by_asc(ticket::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(c)
            .await?;
        for (_, created, resolved) in &rows {
            if let Some(r) = resolved {
                n += 1;
                secs += (*r - *created).num_seconds().max(0);
            }
        }
        match rows.last() {
            Some((id, _, _)) if rows.len() as u64 == PAGE => after = Some(*id),
            _ => break,
        }
    }
    Ok((n, secs))
}

/// Seconds the assets of a school were flagged unusable within
/// `[from, to)`, each period clipped to it (a period still open ends at
/// `to`). Read a page at a time.
pub async fn unusable_seconds<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64, DbErr> {
    use sea_orm::Condition;
    let mut secs = 0i64;
    let mut after: Option<Uuid> = None;
    loop {
        let mut q = unavailability::Entity::find()
            .select_only()
            .columns([
                unavailability::Column::Id,
                unavailability::Column::StartedAt,
                unavailability::Column::EndedAt,
            ])
            .filter(unavailability::Column::EtablissementId.eq(etab))
            .filter(unavailability::Column::StartedAt.lt(to))
            .filter(
                Condition::any()
                    .add(unavailability::Column::EndedAt.is_null())
                    .add(unavailability::Column::EndedAt.gt(from)),
            );
        if let Some(a) = after {
            q = q.filter(unavailability::Column::Id.gt(a));
        }
        let rows: Vec<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> = q
            .order_by_asc(unavailability::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(c)
            .await?;
        for (_, start, end) in &rows {
            let s = (*start).max(from);
            let e = end.unwrap_or(to).min(to);
            if e > s {
                secs += (e - s).num_seconds();
            }
        }
        match rows.last() {
            Some((id, _, _)) if rows.len() as u64 == PAGE => after = Some(*id),
            _ => break,
        }
    }
    Ok(secs)
}
