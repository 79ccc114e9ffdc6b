//! The comité numérique: members, meetings with their attendance and
//! decisions, and actions. Every query takes the school, so that a meeting
//! or an action of another school is never read nor written through
//! another school's id. Status changes and the reminders' claims are
//! conditional updates from the state they leave.

use crate::entities::pilotage::{
    comite_action as action, comite_decision as decision, comite_membre as membre,
    comite_presence as presence, comite_reunion as reunion,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// The statuses of an action still to be carried out.
const OPEN: [&str; 2] = ["todo", "in_progress"];

// ------------------------------------------------------------------ members

/// A school's members in the order they joined; those who left only when
/// `with_removed`.
pub async fn members_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    with_removed: bool,
) -> Result<Vec<membre::Model>, DbErr> {
    let mut q = membre::Entity::find().filter(membre::Column::EtablissementId.eq(etab));
    if !with_removed {
        q = q.filter(membre::Column::RemovedAt.is_null());
    }
    q.order_by_asc(membre::Column::CreatedAt)
        .order_by_asc(membre::Column::Id)
        .all(c)
        .await
}

pub async fn get_member<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<membre::Model>, DbErr> {
    membre::Entity::find_by_id(id)
        .filter(membre::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// Adds a member; a unique violation means the person is already one (or
/// was: see [`rejoin`]).
pub async fn insert_member<C: ConnectionTrait>(c: &C, row: membre::Model) -> Result<(), DbErr> {
    membre::Entity::insert(membre::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// Brings back a person of the school who had left the comité, with the
/// role they sit by now; false when they are a member already.
pub async fn rejoin<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    account_id: Uuid,
    role: &str,
    name: &str,
) -> Result<Option<Uuid>, DbErr> {
    let Some(row) = membre::Entity::find()
        .filter(membre::Column::EtablissementId.eq(etab))
        .filter(membre::Column::AccountId.eq(account_id))
        .filter(membre::Column::RemovedAt.is_not_null())
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    let r = membre::Entity::update_many()
        .col_expr(
            membre::Column::RemovedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(membre::Column::Role, Expr::value(role))
        .col_expr(membre::Column::Name, Expr::value(name))
        .filter(membre::Column::Id.eq(row.id))
        .filter(membre::Column::RemovedAt.is_not_null())
        .exec(c)
        .await?;
    Ok((r.rows_affected == 1).then_some(row.id))
}

/// Marks a member as having left; false when they already had (or are of
/// another school).
pub async fn remove_member<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = membre::Entity::update_many()
        .col_expr(membre::Column::RemovedAt, Expr::value(at))
        .filter(membre::Column::Id.eq(id))
        .filter(membre::Column::EtablissementId.eq(etab))
        .filter(membre::Column::RemovedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ----------------------------------------------------------------- meetings

/// A school's meetings of a school year, by date.
pub async fn meetings_of_year<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<Vec<reunion::Model>, DbErr> {
    reunion::Entity::find()
        .filter(reunion::Column::EtablissementId.eq(etab))
        .filter(reunion::Column::SchoolYear.eq(school_year))
        .order_by_asc(reunion::Column::Date)
        .order_by_asc(reunion::Column::StartMinute)
        .order_by_asc(reunion::Column::Id)
        .all(c)
        .await
}

/// The school years a school has meetings or actions in, the latest first.
pub async fn years_of<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<i32>, DbErr> {
    let mut years: Vec<i32> = reunion::Entity::find()
        .select_only()
        .column(reunion::Column::SchoolYear)
        .distinct()
        .filter(reunion::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await?;
    let of_actions: Vec<i32> = action::Entity::find()
        .select_only()
        .column(action::Column::SchoolYear)
        .distinct()
        .filter(action::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await?;
    years.extend(of_actions);
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years)
}

pub async fn get_meeting<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<reunion::Model>, DbErr> {
    reunion::Entity::find_by_id(id)
        .filter(reunion::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_meeting<C: ConnectionTrait>(c: &C, row: reunion::Model) -> Result<(), DbErr> {
    reunion::Entity::insert(reunion::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// What a meeting's form changes.
#[derive(Debug, Clone)]
pub struct MeetingFields {
    pub school_year: i32,
    pub date: NaiveDate,
    pub start_minute: Option<i32>,
    pub place: String,
    pub agenda: String,
}

/// Writes a meeting's date, time, place and agenda; false when it is not
/// one of the school's.
pub async fn update_meeting<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    f: MeetingFields,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = reunion::Entity::update_many()
        .col_expr(reunion::Column::SchoolYear, Expr::value(f.school_year))
        .col_expr(reunion::Column::Date, Expr::value(f.date))
        .col_expr(reunion::Column::StartMinute, Expr::value(f.start_minute))
        .col_expr(reunion::Column::Place, Expr::value(f.place))
        .col_expr(reunion::Column::Agenda, Expr::value(f.agenda))
        .col_expr(reunion::Column::UpdatedAt, Expr::value(at))
        .filter(reunion::Column::Id.eq(id))
        .filter(reunion::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Writes a meeting's minutes and whether they are public.
pub async fn set_minutes<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    minutes: &str,
    public: bool,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = reunion::Entity::update_many()
        .col_expr(reunion::Column::Minutes, Expr::value(minutes))
        .col_expr(reunion::Column::MinutesPublic, Expr::value(public))
        .col_expr(reunion::Column::UpdatedAt, Expr::value(at))
        .filter(reunion::Column::Id.eq(id))
        .filter(reunion::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Replaces a meeting's attendance (in the caller's transaction).
pub async fn replace_attendance<C: ConnectionTrait>(
    c: &C,
    reunion_id: Uuid,
    rows: Vec<presence::Model>,
) -> Result<(), DbErr> {
    presence::Entity::delete_many()
        .filter(presence::Column::ReunionId.eq(reunion_id))
        .exec(c)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    presence::Entity::insert_many(rows.into_iter().map(presence::ActiveModel::from))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// The attendance of these meetings.
pub async fn attendance_of<C: ConnectionTrait>(
    c: &C,
    reunion_ids: &[Uuid],
) -> Result<Vec<presence::Model>, DbErr> {
    if reunion_ids.is_empty() {
        return Ok(vec![]);
    }
    presence::Entity::find()
        .filter(presence::Column::ReunionId.is_in(reunion_ids.iter().copied()))
        .all(c)
        .await
}

// ---------------------------------------------------------------- decisions

/// The decisions of these meetings, each meeting's in order.
pub async fn decisions_of<C: ConnectionTrait>(
    c: &C,
    reunion_ids: &[Uuid],
) -> Result<Vec<decision::Model>, DbErr> {
    if reunion_ids.is_empty() {
        return Ok(vec![]);
    }
    decision::Entity::find()
        .filter(decision::Column::ReunionId.is_in(reunion_ids.iter().copied()))
        .order_by_asc(decision::Column::Position)
        .order_by_asc(decision::Column::Id)
        .all(c)
        .await
}

/// One decision of a meeting.
pub async fn get_decision<C: ConnectionTrait>(
    c: &C,
    reunion_id: Uuid,
    id: Uuid,
) -> Result<Option<decision::Model>, DbErr> {
    decision::Entity::find_by_id(id)
        .filter(decision::Column::ReunionId.eq(reunion_id))
        .one(c)
        .await
}

/// The position the next decision of a meeting takes.
pub async fn next_decision_position<C: ConnectionTrait>(
    c: &C,
    reunion_id: Uuid,
) -> Result<i32, DbErr> {
    let last: Option<i32> = decision::Entity::find()
        .select_only()
        .column(decision::Column::Position)
        .filter(decision::Column::ReunionId.eq(reunion_id))
        .order_by_desc(decision::Column::Position)
        .into_tuple()
        .one(c)
        .await?;
    Ok(last.map_or(0, |p| p + 1))
}

pub async fn insert_decision<C: ConnectionTrait>(c: &C, row: decision::Model) -> Result<(), DbErr> {
    decision::Entity::insert(decision::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

// ------------------------------------------------------------------ actions

/// A school's actions of a school year, by due date.
pub async fn actions_of_year<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<Vec<action::Model>, DbErr> {
    action::Entity::find()
        .filter(action::Column::EtablissementId.eq(etab))
        .filter(action::Column::SchoolYear.eq(school_year))
        .order_by_asc(action::Column::DueOn)
        .order_by_asc(action::Column::Id)
        .all(c)
        .await
}

/// The actions that came out of one meeting (or its decisions).
pub async fn actions_of_meeting<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    reunion_id: Uuid,
) -> Result<Vec<action::Model>, DbErr> {
    action::Entity::find()
        .filter(action::Column::EtablissementId.eq(etab))
        .filter(action::Column::ReunionId.eq(reunion_id))
        .order_by_asc(action::Column::DueOn)
        .order_by_asc(action::Column::Id)
        .all(c)
        .await
}

pub async fn get_action<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<action::Model>, DbErr> {
    action::Entity::find_by_id(id)
        .filter(action::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_action<C: ConnectionTrait>(c: &C, row: action::Model) -> Result<(), DbErr> {
    action::Entity::insert(action::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// What an action's form changes.
#[derive(Debug, Clone)]
pub struct ActionFields {
    pub title: String,
    pub detail: String,
    pub owner_account_id: Option<Uuid>,
    pub owner_name: String,
    pub due_on: NaiveDate,
}

/// Writes an action's title, detail, owner and due date; with
/// `remind_again`, its reminder is cleared (a new due date is reminded
/// once it passes). False when it is not one of the school's.
pub async fn update_action<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    f: ActionFields,
    remind_again: bool,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut u = action::Entity::update_many()
        .col_expr(action::Column::Title, Expr::value(f.title))
        .col_expr(action::Column::Detail, Expr::value(f.detail))
        .col_expr(
            action::Column::OwnerAccountId,
            Expr::value(f.owner_account_id),
        )
        .col_expr(action::Column::OwnerName, Expr::value(f.owner_name))
        .col_expr(action::Column::DueOn, Expr::value(f.due_on))
        .col_expr(action::Column::UpdatedAt, Expr::value(at));
    if remind_again {
        u = u.col_expr(
            action::Column::RemindedAt,
            Expr::value(None::<DateTime<Utc>>),
        );
    }
    let r = u
        .filter(action::Column::Id.eq(id))
        .filter(action::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves an action from `from` to `to` if it still is `from`; false when
/// another change came first.
pub async fn move_action_status<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    from: &str,
    to: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = action::Entity::update_many()
        .col_expr(action::Column::Status, Expr::value(to))
        .col_expr(action::Column::UpdatedAt, Expr::value(at))
        .filter(action::Column::Id.eq(id))
        .filter(action::Column::EtablissementId.eq(etab))
        .filter(action::Column::Status.eq(from))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// A school's open actions due before `today`, the oldest due first: at
/// most `limit` of them, and how many there are in all.
pub async fn overdue_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    today: NaiveDate,
    limit: u64,
) -> Result<(Vec<action::Model>, u64), DbErr> {
    let q = action::Entity::find()
        .filter(action::Column::EtablissementId.eq(etab))
        .filter(action::Column::Status.is_in(OPEN))
        .filter(action::Column::DueOn.lt(today));
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(action::Column::DueOn)
        .order_by_asc(action::Column::Id)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// Open actions of every school due before `today` and not reminded yet.
pub async fn overdue_unreminded<C: ConnectionTrait>(
    c: &C,
    today: NaiveDate,
    limit: u64,
) -> Result<Vec<action::Model>, DbErr> {
    action::Entity::find()
        .filter(action::Column::Status.is_in(OPEN))
        .filter(action::Column::DueOn.lt(today))
        .filter(action::Column::RemindedAt.is_null())
        .order_by_asc(action::Column::DueOn)
        .order_by_asc(action::Column::Id)
        .limit(limit)
        .all(c)
        .await
}

/// Claims an action's reminder; false when another run had it (or the
/// action was closed meanwhile).
pub async fn claim_reminder<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = action::Entity::update_many()
        .col_expr(action::Column::RemindedAt, Expr::value(now))
        .filter(action::Column::Id.eq(id))
        .filter(action::Column::Status.is_in(OPEN))
        .filter(action::Column::DueOn.lt(today))
        .filter(action::Column::RemindedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// A school's open actions due before `today`, to count (the home).
pub fn overdue_count_of(etab: Uuid, today: NaiveDate) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::ExprTrait;
    sea_orm::sea_query::Query::select()
        .from(action::Entity)
        .and_where(Expr::col(action::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(action::Column::Status).is_in(OPEN))
        .and_where(Expr::col(action::Column::DueOn).lt(today))
        .to_owned()
}
