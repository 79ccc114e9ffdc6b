//! Réservations: the timetable, the bookable resources and the bookings.
//! Every query takes the school.

use crate::entities::parc::{parc_asset as asset, parc_room as room};
use crate::entities::reservations::{
    booking, booking_calendar as calendar, booking_day_off as day_off,
    booking_resource as resource, booking_slot as slot,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

// ----------------------------------------------------------------- resources

pub async fn resources_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<resource::Model>, DbErr> {
    resource::Entity::find()
        .filter(resource::Column::EtablissementId.eq(etab))
        .order_by_asc(resource::Column::CreatedAt)
        .all(c)
        .await
}

pub async fn get_resource<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<resource::Model>, DbErr> {
    resource::Entity::find_by_id(id)
        .filter(resource::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_resource<C: ConnectionTrait>(c: &C, row: resource::Model) -> Result<(), DbErr> {
    resource::Entity::insert(resource::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn update_resource<C: ConnectionTrait>(c: &C, row: resource::Model) -> Result<(), DbErr> {
    let am = ActiveModelTrait::reset_all(resource::ActiveModel::from(row));
    resource::Entity::update(am).exec(c).await.map(|_| ())
}

/// The first statement of every booking write: bumps the resource's
/// `lock_version`, which holds its row lock until the transaction ends on
/// PostgreSQL (SQLite writers are already serialised). Returns false when
/// the resource is not in the school.
pub async fn lock_resource<C: ConnectionTrait>(c: &C, etab: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let r = resource::Entity::update_many()
        .col_expr(
            resource::Column::LockVersion,
            Expr::col(resource::Column::LockVersion).add(1),
        )
        .filter(resource::Column::Id.eq(id))
        .filter(resource::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The school's rooms, by name.
/// The school's assets in service that hold no parent (carts, devices), by
/// inventory number.
pub async fn top_assets_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::ParentId.is_null())
        .filter(asset::Column::RetiredAt.is_null())
        .order_by_asc(asset::Column::InventoryNumber)
        .all(c)
        .await
}

pub async fn rooms_by_ids<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    ids: &[Uuid],
) -> Result<Vec<room::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    room::Entity::find()
        .filter(room::Column::EtablissementId.eq(etab))
        .filter(room::Column::Id.is_in(ids.to_vec()))
        .all(c)
        .await
}

/// What an asset holds (the laptops of a cart), by inventory number.
pub async fn children_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    parent: Uuid,
) -> Result<Vec<asset::Model>, DbErr> {
    asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::ParentId.eq(parent))
        .filter(asset::Column::RetiredAt.is_null())
        .order_by_asc(asset::Column::InventoryNumber)
        .all(c)
        .await
}

// ------------------------------------------------------------------ bookings

/// The bookings of a resource from `from` to `to` (both included) that hold
/// their time, by day and start.
pub async fn holding_between<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    resource_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<booking::Model>, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::ResourceId.eq(resource_id))
        .filter(booking::Column::Day.gte(from))
        .filter(booking::Column::Day.lte(to))
        .filter(booking::Column::Status.is_in(refnum_domain::booking::HOLDING))
        .order_by_asc(booking::Column::Day)
        .order_by_asc(booking::Column::StartMin)
        .all(c)
        .await
}

/// The bookings of a school on one day that hold their time.
pub async fn holding_on_day<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    day: NaiveDate,
) -> Result<Vec<booking::Model>, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::Day.eq(day))
        .filter(booking::Column::Status.is_in(refnum_domain::booking::HOLDING))
        .order_by_asc(booking::Column::StartMin)
        .all(c)
        .await
}

/// How many bookings holding their time a person has on a resource from
/// `from` to `to`.
pub async fn count_for_person<C: ConnectionTrait>(
    c: &C,
    resource_id: Uuid,
    person: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u64, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::ResourceId.eq(resource_id))
        .filter(booking::Column::BookedFor.eq(person))
        .filter(booking::Column::Day.gte(from))
        .filter(booking::Column::Day.lte(to))
        .filter(booking::Column::Status.is_in(refnum_domain::booking::HOLDING))
        .count(c)
        .await
}

/// A person's bookings in a school from a day on (every status), by day.
pub async fn of_person<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    person: Uuid,
    from: NaiveDate,
    limit: u64,
) -> Result<Vec<booking::Model>, DbErr> {
    use sea_orm::QuerySelect;
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::BookedFor.eq(person))
        .filter(booking::Column::Day.gte(from))
        .order_by_asc(booking::Column::Day)
        .order_by_asc(booking::Column::StartMin)
        .limit(limit)
        .all(c)
        .await
}

/// How many bookings of these resources wait for approval.
pub async fn count_pending_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    resources: &[Uuid],
) -> Result<u64, DbErr> {
    if resources.is_empty() {
        return Ok(0);
    }
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::Status.eq("pending"))
        .filter(booking::Column::ResourceId.is_in(resources.to_vec()))
        .count(c)
        .await
}

/// How many bookings a person holds (or waits for) in a school between two
/// days.
pub async fn count_of_person_between<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    person: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, of_person_between(etab, person, from, to)).await
}

/// The bookings a person holds (or waits for) in a school between two
/// days, to count.
pub fn of_person_between(
    etab: Uuid,
    person: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> SelectStatement {
    Query::select()
        .from(booking::Entity)
        .and_where(Expr::col(booking::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(booking::Column::BookedFor).eq(person))
        .and_where(Expr::col(booking::Column::Day).gte(from))
        .and_where(Expr::col(booking::Column::Day).lte(to))
        .and_where(Expr::col(booking::Column::Status).is_in(refnum_domain::booking::HOLDING))
        .to_owned()
}

/// The pending bookings of a school's resources whose approval belongs to
/// one of `roles`, to count.
pub fn pending_for(etab: Uuid, roles: &[&str]) -> SelectStatement {
    Query::select()
        .from(booking::Entity)
        .and_where(Expr::col(booking::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(booking::Column::Status).eq("pending"))
        .and_where(
            Expr::col(booking::Column::ResourceId).in_subquery(
                Query::select()
                    .column(resource::Column::Id)
                    .from(resource::Entity)
                    .and_where(Expr::col(resource::Column::EtablissementId).eq(etab))
                    .and_where(
                        Expr::col(resource::Column::ApprovalRole).is_in(roles.iter().copied()),
                    )
                    .to_owned(),
            ),
        )
        .to_owned()
}

/// The pending bookings of a school, by day.
pub async fn pending_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    limit: u64,
) -> Result<Vec<booking::Model>, DbErr> {
    use sea_orm::QuerySelect;
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::Status.eq("pending"))
        .order_by_asc(booking::Column::Day)
        .order_by_asc(booking::Column::StartMin)
        .limit(limit)
        .all(c)
        .await
}

pub async fn get_booking<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<booking::Model>, DbErr> {
    booking::Entity::find_by_id(id)
        .filter(booking::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// The occurrences of a series from a day on that hold their time.
pub async fn series_from<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    series: Uuid,
    from: NaiveDate,
) -> Result<Vec<booking::Model>, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::SeriesId.eq(series))
        .filter(booking::Column::Day.gte(from))
        .filter(booking::Column::Status.is_in(refnum_domain::booking::HOLDING))
        .order_by_asc(booking::Column::Day)
        .all(c)
        .await
}

pub async fn insert_bookings<C: ConnectionTrait>(
    c: &C,
    rows: Vec<booking::Model>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    for chunk in rows.chunks(200) {
        booking::Entity::insert_many(chunk.iter().cloned().map(booking::ActiveModel::from))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn update_booking<C: ConnectionTrait>(c: &C, row: booking::Model) -> Result<(), DbErr> {
    let am = ActiveModelTrait::reset_all(booking::ActiveModel::from(row));
    booking::Entity::update(am).exec(c).await.map(|_| ())
}

/// How many bookings a resource has (every status).
pub async fn count_of_resource<C: ConnectionTrait>(c: &C, resource_id: Uuid) -> Result<u64, DbErr> {
    booking::Entity::find()
        .filter(booking::Column::ResourceId.eq(resource_id))
        .count(c)
        .await
}

/// The school of a resource, whoever asks (the API's routes name a resource
/// without its school; the use cases then check the caller's scope).
pub async fn resource_school<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(resource::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(|r| r.etablissement_id))
}

/// The school of a booking, whoever asks (see [`resource_school`]).
pub async fn booking_school<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(booking::Entity::find_by_id(id)
        .one(c)
        .await?
        .map(|b| b.etablissement_id))
}

// ------------------------------------------------------------------ feeds

use crate::entities::reservations::booking_feed as feed;

mod calendrier;
pub use calendrier::*;

/// The bookings of a school that a person holds (booked for them or by
/// them) from `from` to `to` (both included), holding their time, by day.
pub async fn holding_of_person_between<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    person: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<booking::Model>, DbErr> {
    use sea_orm::Condition;
    booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(
            Condition::any()
                .add(booking::Column::BookedFor.eq(person))
                .add(booking::Column::BookedBy.eq(person)),
        )
        .filter(booking::Column::Day.gte(from))
        .filter(booking::Column::Day.lte(to))
        .filter(booking::Column::Status.is_in(refnum_domain::booking::HOLDING))
        .order_by_asc(booking::Column::Day)
        .order_by_asc(booking::Column::StartMin)
        .all(c)
        .await
}

pub async fn insert_feed<C: ConnectionTrait>(c: &C, row: feed::Model) -> Result<(), DbErr> {
    feed::Entity::insert(feed::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// A feed that is not revoked, by the SHA-256 of its token.
pub async fn live_feed_by_hash<C: ConnectionTrait>(
    c: &C,
    hash: &str,
) -> Result<Option<feed::Model>, DbErr> {
    feed::Entity::find()
        .filter(feed::Column::TokenHash.eq(hash))
        .filter(feed::Column::RevokedAt.is_null())
        .one(c)
        .await
}

/// The live feeds a person made in a school of one resource (`Some`) or of
/// their own bookings (`None`).
pub async fn live_feeds_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    creator: Uuid,
    resource_id: Option<Uuid>,
) -> Result<Vec<feed::Model>, DbErr> {
    let q = feed::Entity::find()
        .filter(feed::Column::EtablissementId.eq(etab))
        .filter(feed::Column::CreatedBy.eq(creator))
        .filter(feed::Column::RevokedAt.is_null());
    let q = match resource_id {
        Some(r) => q.filter(feed::Column::ResourceId.eq(r)),
        None => q.filter(feed::Column::ResourceId.is_null()),
    };
    q.order_by_asc(feed::Column::CreatedAt).all(c).await
}

/// Revokes feeds by id (those already revoked are left as they are).
pub async fn revoke_feeds<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    feed::Entity::update_many()
        .col_expr(feed::Column::RevokedAt, Expr::value(at))
        .filter(feed::Column::EtablissementId.eq(etab))
        .filter(feed::Column::Id.is_in(ids.iter().copied()))
        .filter(feed::Column::RevokedAt.is_null())
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

// ------------------------------------------------------------------ occupancy

/// Booked slot-occurrences of a school, per resource and slot: how many of
/// the given school days each (resource, slot) pair is held by an approved
/// booking that overlaps the slot (`COUNT(DISTINCT day)`, so two bookings
/// in one slot on one day count once).
pub async fn occupied_cells<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_days: &[NaiveDate],
) -> Result<Vec<(Uuid, Uuid, i64)>, DbErr> {
    use sea_orm::sea_query::{Alias, Cond, Func, JoinType, Query};
    if school_days.is_empty() {
        return Ok(vec![]);
    }
    let b = |col: booking::Column| Expr::col((booking::Entity, col));
    let s = |col: slot::Column| Expr::col((slot::Entity, col));
    let mut out = vec![];
    // A year's school days stay well under the bind limits; chunked anyway.
    let mut totals: std::collections::BTreeMap<(Uuid, Uuid), i64> = Default::default();
    for days in school_days.chunks(400) {
        let q = Query::select()
            .expr_as(b(booking::Column::ResourceId), Alias::new("resource_id"))
            .expr_as(s(slot::Column::Id), Alias::new("slot_id"))
            .expr_as(
                Func::count_distinct(b(booking::Column::Day)),
                Alias::new("n"),
            )
            .from(booking::Entity)
            .join(
                JoinType::InnerJoin,
                slot::Entity,
                Cond::all()
                    .add(
                        s(slot::Column::EtablissementId)
                            .equals((booking::Entity, booking::Column::EtablissementId)),
                    )
                    .add(b(booking::Column::StartMin).lt(s(slot::Column::EndMin)))
                    .add(b(booking::Column::EndMin).gt(s(slot::Column::StartMin))),
            )
            .and_where(b(booking::Column::EtablissementId).eq(etab))
            .and_where(b(booking::Column::Status).eq("approved"))
            .and_where(b(booking::Column::Day).is_in(days.iter().copied()))
            .group_by_col((booking::Entity, booking::Column::ResourceId))
            .group_by_col((slot::Entity, slot::Column::Id))
            .to_owned();
        for r in c.query_all(&q).await? {
            let key = (r.try_get("", "resource_id")?, r.try_get("", "slot_id")?);
            *totals.entry(key).or_default() += r.try_get::<i64>("", "n")?;
        }
    }
    for ((r, s), n) in totals {
        out.push((r, s, n));
    }
    Ok(out)
}
