//! Bookings: the school's calendar, its timetable slots and its days off.

#[allow(unused_imports)]
use super::*;

// ------------------------------------------------------------------ calendar

pub async fn calendar_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Option<calendar::Model>, DbErr> {
    calendar::Entity::find_by_id(etab).one(c).await
}

/// Sets the school's zone (creates its row on first use).
pub async fn set_zone<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    zone: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = calendar::Model {
        etablissement_id: etab,
        zone: Some(zone.to_string()),
        updated_at: now,
    };
    if calendar_of(c, etab).await?.is_some() {
        let am = ActiveModelTrait::reset_all(calendar::ActiveModel::from(row));
        calendar::Entity::update(am).exec(c).await.map(|_| ())
    } else {
        calendar::Entity::insert(calendar::ActiveModel::from(row))
            .exec_without_returning(c)
            .await
            .map(|_| ())
    }
}

// --------------------------------------------------------------------- slots

/// A school's slots, in the order of the day.
pub async fn slots_of<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<slot::Model>, DbErr> {
    slot::Entity::find()
        .filter(slot::Column::EtablissementId.eq(etab))
        .order_by_asc(slot::Column::StartMin)
        .order_by_asc(slot::Column::Code)
        .all(c)
        .await
}

pub async fn get_slot<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<slot::Model>, DbErr> {
    slot::Entity::find_by_id(id)
        .filter(slot::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_slot<C: ConnectionTrait>(c: &C, row: slot::Model) -> Result<(), DbErr> {
    slot::Entity::insert(slot::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn update_slot<C: ConnectionTrait>(c: &C, row: slot::Model) -> Result<(), DbErr> {
    let am = ActiveModelTrait::reset_all(slot::ActiveModel::from(row));
    slot::Entity::update(am).exec(c).await.map(|_| ())
}

pub async fn delete_slot<C: ConnectionTrait>(c: &C, etab: Uuid, id: Uuid) -> Result<u64, DbErr> {
    slot::Entity::delete_many()
        .filter(slot::Column::EtablissementId.eq(etab))
        .filter(slot::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

// ------------------------------------------------------------------ days off

/// A school's days off, by start date.
pub async fn days_off_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<day_off::Model>, DbErr> {
    day_off::Entity::find()
        .filter(day_off::Column::EtablissementId.eq(etab))
        .order_by_asc(day_off::Column::StartDate)
        .order_by_asc(day_off::Column::Id)
        .all(c)
        .await
}

/// The days off that meet `[from, to]`.
pub async fn days_off_between<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<day_off::Model>, DbErr> {
    day_off::Entity::find()
        .filter(day_off::Column::EtablissementId.eq(etab))
        .filter(day_off::Column::StartDate.lte(to))
        .filter(day_off::Column::EndDate.gte(from))
        .order_by_asc(day_off::Column::StartDate)
        .all(c)
        .await
}

/// True when the school has at least one holiday period (not a closed
/// day) meeting `[from, to]`.
pub async fn has_holidays_between<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<bool, DbErr> {
    Ok(day_off::Entity::find()
        .filter(day_off::Column::EtablissementId.eq(etab))
        .filter(day_off::Column::Kind.eq("holiday"))
        .filter(day_off::Column::StartDate.lte(to))
        .filter(day_off::Column::EndDate.gte(from))
        .count(c)
        .await?
        > 0)
}

pub async fn insert_days_off<C: ConnectionTrait>(
    c: &C,
    rows: Vec<day_off::Model>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    day_off::Entity::insert_many(rows.into_iter().map(day_off::ActiveModel::from))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn get_day_off<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<day_off::Model>, DbErr> {
    day_off::Entity::find_by_id(id)
        .filter(day_off::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn delete_day_off<C: ConnectionTrait>(c: &C, etab: Uuid, id: Uuid) -> Result<u64, DbErr> {
    day_off::Entity::delete_many()
        .filter(day_off::Column::EtablissementId.eq(etab))
        .filter(day_off::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// Removes the built-in holidays of a school (before loading another zone's).
pub async fn delete_builtin_days_off<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<u64, DbErr> {
    day_off::Entity::delete_many()
        .filter(day_off::Column::EtablissementId.eq(etab))
        .filter(day_off::Column::Source.eq("builtin"))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}
