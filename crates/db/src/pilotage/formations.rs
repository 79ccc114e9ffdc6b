//! The school's training plan: themes, needs, sessions and registrations.
//! Every query of a theme, a need or a session takes the school, so that
//! another school's row is never read nor written through another school's
//! id; a registration is reached through its session. A session's status
//! changes are conditional updates from the status they leave; a
//! registration counts the seats under the session's row lock.

use crate::entities::annuaire_person as person;
use crate::entities::pilotage::{
    formation_besoin as besoin, formation_inscription as inscription, formation_session as session,
    formation_theme as theme,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use uuid::Uuid;

// ------------------------------------------------------------------- themes

/// A school's themes by position; inactive ones only when `with_inactive`.
pub async fn themes_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    with_inactive: bool,
) -> Result<Vec<theme::Model>, DbErr> {
    let mut q = theme::Entity::find().filter(theme::Column::EtablissementId.eq(etab));
    if !with_inactive {
        q = q.filter(theme::Column::Active.eq(true));
    }
    q.order_by_asc(theme::Column::Position)
        .order_by_asc(theme::Column::Id)
        .all(c)
        .await
}

pub async fn get_theme<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<theme::Model>, DbErr> {
    theme::Entity::find_by_id(id)
        .filter(theme::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// How many themes a school has, inactive ones included.
pub async fn theme_count<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<u64, DbErr> {
    theme::Entity::find()
        .filter(theme::Column::EtablissementId.eq(etab))
        .count(c)
        .await
}

/// Adds themes, skipping those whose label the school already has (two
/// first uses at once seed once). Returns how many were added.
pub async fn insert_themes_if_absent<C: ConnectionTrait>(
    c: &C,
    rows: Vec<theme::Model>,
) -> Result<u64, DbErr> {
    let mut n = 0;
    for row in rows {
        let r = theme::Entity::insert(theme::ActiveModel::from(row))
            .on_conflict(
                OnConflict::columns([theme::Column::EtablissementId, theme::Column::Label])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
        n += r;
    }
    Ok(n)
}

/// Adds a theme; a unique violation means the school has that label.
pub async fn insert_theme<C: ConnectionTrait>(c: &C, row: theme::Model) -> Result<(), DbErr> {
    theme::Entity::insert(theme::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// The position the next theme of a school takes.
pub async fn next_theme_position<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<i32, DbErr> {
    let last: Option<i32> = theme::Entity::find()
        .select_only()
        .column(theme::Column::Position)
        .filter(theme::Column::EtablissementId.eq(etab))
        .order_by_desc(theme::Column::Position)
        .into_tuple()
        .one(c)
        .await?;
    Ok(last.map_or(0, |p| p + 1))
}

/// Offers a theme again or no longer; false when it already was so (or is
/// another school's).
pub async fn set_theme_active<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    active: bool,
) -> Result<bool, DbErr> {
    let r = theme::Entity::update_many()
        .col_expr(theme::Column::Active, Expr::value(active))
        .filter(theme::Column::Id.eq(id))
        .filter(theme::Column::EtablissementId.eq(etab))
        .filter(theme::Column::Active.eq(!active))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// -------------------------------------------------------------------- needs

/// A school's needs of a school year, oldest first.
pub async fn needs_of_year<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<Vec<besoin::Model>, DbErr> {
    besoin::Entity::find()
        .filter(besoin::Column::EtablissementId.eq(etab))
        .filter(besoin::Column::SchoolYear.eq(school_year))
        .order_by_asc(besoin::Column::CreatedAt)
        .order_by_asc(besoin::Column::Id)
        .all(c)
        .await
}

/// Records a need; a unique violation means the person stated that theme
/// already this year.
pub async fn insert_need<C: ConnectionTrait>(c: &C, row: besoin::Model) -> Result<(), DbErr> {
    besoin::Entity::insert(besoin::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

// ----------------------------------------------------------------- sessions

/// A school's sessions of a school year, by date and time.
pub async fn sessions_of_year<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<Vec<session::Model>, DbErr> {
    session::Entity::find()
        .filter(session::Column::EtablissementId.eq(etab))
        .filter(session::Column::SchoolYear.eq(school_year))
        .order_by_asc(session::Column::Date)
        .order_by_asc(session::Column::StartMinute)
        .order_by_asc(session::Column::Id)
        .all(c)
        .await
}

/// The school years a school has sessions or needs in, the latest first.
pub async fn years_of<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<i32>, DbErr> {
    let mut years: Vec<i32> = session::Entity::find()
        .select_only()
        .column(session::Column::SchoolYear)
        .distinct()
        .filter(session::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await?;
    let of_needs: Vec<i32> = besoin::Entity::find()
        .select_only()
        .column(besoin::Column::SchoolYear)
        .distinct()
        .filter(besoin::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await?;
    years.extend(of_needs);
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years)
}

pub async fn get_session<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id)
        .filter(session::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// Reads a session and holds its row until the caller's transaction ends
/// (`FOR UPDATE` on PostgreSQL; a SQLite write transaction holds the whole
/// database already), so that registrations to it are counted one at a
/// time.
pub async fn lock_session<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id)
        .filter(session::Column::EtablissementId.eq(etab))
        .lock_exclusive()
        .one(c)
        .await
}

pub async fn insert_session<C: ConnectionTrait>(c: &C, row: session::Model) -> Result<(), DbErr> {
    session::Entity::insert(session::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// What a session's form changes.
#[derive(Debug, Clone)]
pub struct SessionFields {
    pub school_year: i32,
    pub theme_id: Uuid,
    pub title: String,
    pub kind: String,
    pub leader_account_id: Option<Uuid>,
    pub leader_name: String,
    pub link: String,
    pub code: String,
    pub date: NaiveDate,
    pub start_minute: Option<i32>,
    pub duration_minutes: i32,
    pub modality: String,
    pub place: String,
    pub capacity: i32,
}

/// Writes a planned session's fields; false when it is not one of the
/// school's or no longer planned.
pub async fn update_session<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    f: SessionFields,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = session::Entity::update_many()
        .col_expr(session::Column::SchoolYear, Expr::value(f.school_year))
        .col_expr(session::Column::ThemeId, Expr::value(f.theme_id))
        .col_expr(session::Column::Title, Expr::value(f.title))
        .col_expr(session::Column::Kind, Expr::value(f.kind))
        .col_expr(
            session::Column::LeaderAccountId,
            Expr::value(f.leader_account_id),
        )
        .col_expr(session::Column::LeaderName, Expr::value(f.leader_name))
        .col_expr(session::Column::Link, Expr::value(f.link))
        .col_expr(session::Column::Code, Expr::value(f.code))
        .col_expr(session::Column::Date, Expr::value(f.date))
        .col_expr(session::Column::StartMinute, Expr::value(f.start_minute))
        .col_expr(
            session::Column::DurationMinutes,
            Expr::value(f.duration_minutes),
        )
        .col_expr(session::Column::Modality, Expr::value(f.modality))
        .col_expr(session::Column::Place, Expr::value(f.place))
        .col_expr(session::Column::Capacity, Expr::value(f.capacity))
        .col_expr(session::Column::UpdatedAt, Expr::value(at))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::EtablissementId.eq(etab))
        .filter(session::Column::Status.eq("planned"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves a session to `to` if its status is one of `from`; false when
/// another change came first.
pub async fn move_session_status<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    from: &[&str],
    to: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = session::Entity::update_many()
        .col_expr(session::Column::Status, Expr::value(to))
        .col_expr(session::Column::UpdatedAt, Expr::value(at))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::EtablissementId.eq(etab))
        .filter(session::Column::Status.is_in(from.iter().copied()))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ------------------------------------------------------------ registrations

/// The registrations of these sessions, oldest first.
pub async fn registrations_of<C: ConnectionTrait>(
    c: &C,
    session_ids: &[Uuid],
) -> Result<Vec<inscription::Model>, DbErr> {
    if session_ids.is_empty() {
        return Ok(vec![]);
    }
    inscription::Entity::find()
        .filter(inscription::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(inscription::Column::RegisteredAt)
        .order_by_asc(inscription::Column::Id)
        .all(c)
        .await
}

/// How many are registered to a session.
pub async fn registered_count<C: ConnectionTrait>(c: &C, session_id: Uuid) -> Result<u64, DbErr> {
    inscription::Entity::find()
        .filter(inscription::Column::SessionId.eq(session_id))
        .count(c)
        .await
}

/// One person's registration to a session.
pub async fn registration<C: ConnectionTrait>(
    c: &C,
    session_id: Uuid,
    account_id: Uuid,
) -> Result<Option<inscription::Model>, DbErr> {
    inscription::Entity::find()
        .filter(inscription::Column::SessionId.eq(session_id))
        .filter(inscription::Column::AccountId.eq(account_id))
        .one(c)
        .await
}

/// Registers someone; a unique violation means they already were.
pub async fn insert_registration<C: ConnectionTrait>(
    c: &C,
    row: inscription::Model,
) -> Result<(), DbErr> {
    inscription::Entity::insert(inscription::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Removes someone's registration; false when they were not registered.
pub async fn delete_registration<C: ConnectionTrait>(
    c: &C,
    session_id: Uuid,
    account_id: Uuid,
) -> Result<bool, DbErr> {
    let r = inscription::Entity::delete_many()
        .filter(inscription::Column::SessionId.eq(session_id))
        .filter(inscription::Column::AccountId.eq(account_id))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records a session's attendance: those in `attended` were there, the
/// other registered people were not (in the caller's transaction).
pub async fn set_attendance<C: ConnectionTrait>(
    c: &C,
    session_id: Uuid,
    attended: &[Uuid],
) -> Result<(), DbErr> {
    inscription::Entity::update_many()
        .col_expr(inscription::Column::Attended, Expr::value(true))
        .filter(inscription::Column::SessionId.eq(session_id))
        .filter(inscription::Column::AccountId.is_in(attended.iter().copied()))
        .exec(c)
        .await?;
    inscription::Entity::update_many()
        .col_expr(inscription::Column::Attended, Expr::value(false))
        .filter(inscription::Column::SessionId.eq(session_id))
        .filter(inscription::Column::AccountId.is_not_in(attended.iter().copied()))
        .exec(c)
        .await?;
    Ok(())
}

/// Writes an attendee's rating and feedback; false when they did not
/// attend the session.
pub async fn set_feedback<C: ConnectionTrait>(
    c: &C,
    session_id: Uuid,
    account_id: Uuid,
    rating: i32,
    feedback: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = inscription::Entity::update_many()
        .col_expr(inscription::Column::Rating, Expr::value(rating))
        .col_expr(inscription::Column::Feedback, Expr::value(feedback))
        .col_expr(inscription::Column::FeedbackAt, Expr::value(at))
        .filter(inscription::Column::SessionId.eq(session_id))
        .filter(inscription::Column::AccountId.eq(account_id))
        .filter(inscription::Column::Attended.eq(true))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ------------------------------------------------------------------ figures

/// The sessions held in a school year, and the distinct accounts that
/// attended one of them: two statements.
pub async fn figures<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<(u64, u64), DbErr> {
    let held = session::Entity::find()
        .filter(session::Column::EtablissementId.eq(etab))
        .filter(session::Column::SchoolYear.eq(school_year))
        .filter(session::Column::Status.eq("held"));
    let sessions = held.clone().count(c).await?;
    let ids = held.select_only().column(session::Column::Id).into_query();
    let trained = inscription::Entity::find()
        .select_only()
        .column(inscription::Column::AccountId)
        .distinct()
        .filter(inscription::Column::SessionId.in_subquery(ids))
        .filter(inscription::Column::Attended.eq(true))
        .count(c)
        .await?;
    Ok((sessions, trained))
}

// -------------------------------------------------------------- disciplines

/// The disciplines (JSON lists of codes) of the school's directory records
/// linked to these accounts, one pair per record.
pub async fn disciplines_of_accounts<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    accounts: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<(Option<Uuid>, String)> = person::Entity::find()
        .select_only()
        .column(person::Column::AccountId)
        .column(person::Column::Disciplines)
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq("staff"))
        .filter(person::Column::AccountId.is_in(accounts.iter().copied()))
        .into_tuple()
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, d)| a.map(|a| (a, d)))
        .collect())
}
