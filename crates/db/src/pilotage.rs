//! Pilotage: the catalogue of missions and the mission letters. The
//! letter's rules (life cycle, content hash, diff) are the domain's
//! (`refnum_domain::pilotage`); here they are stored. Every step of a
//! letter is a conditional update from the status it leaves, so that two
//! concurrent steps (two signatures of one version, say) cannot both win.

pub mod comite;
pub mod formations;
pub mod mesures;
pub mod projet;

use crate::entities::pilotage::{
    lettre, lettre_commentaire, lettre_indicateur, lettre_mission, lettre_referent, lettre_revue,
    mission,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

// ----------------------------------------------------------------- catalogue

/// The entries of the catalogue an académie's schools pick from: the
/// instance's, then the académie's, each in axis and position order;
/// inactive ones only when `with_inactive`.
pub async fn catalogue<C: ConnectionTrait>(
    c: &C,
    academie_id: Option<Uuid>,
    with_inactive: bool,
) -> Result<Vec<mission::Model>, DbErr> {
    let mut q = mission::Entity::find();
    q = match academie_id {
        Some(a) => q.filter(
            sea_orm::Condition::any()
                .add(mission::Column::AcademieId.is_null())
                .add(mission::Column::AcademieId.eq(a)),
        ),
        None => q.filter(mission::Column::AcademieId.is_null()),
    };
    if !with_inactive {
        q = q.filter(mission::Column::Active.eq(true));
    }
    let mut rows = q
        .order_by_asc(mission::Column::Position)
        .order_by_asc(mission::Column::Id)
        .all(c)
        .await?;
    // The instance's entries first (NULL sorts differently on the two
    // databases, so the order is made here).
    rows.sort_by_key(|m| (m.academie_id.is_some(), m.position));
    Ok(rows)
}

/// The codes of the instance's catalogue entries already there.
pub async fn seeded_codes<C: ConnectionTrait>(c: &C) -> Result<Vec<String>, DbErr> {
    let codes: Vec<Option<String>> = mission::Entity::find()
        .select_only()
        .column(mission::Column::Code)
        .filter(mission::Column::AcademieId.is_null())
        .filter(mission::Column::Code.is_not_null())
        .into_tuple()
        .all(c)
        .await?;
    Ok(codes.into_iter().flatten().collect())
}

pub async fn insert_missions<C: ConnectionTrait>(
    c: &C,
    rows: Vec<mission::Model>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    mission::Entity::insert_many(rows.into_iter().map(mission::ActiveModel::from))
        .exec(c)
        .await
        .map(|_| ())
}

// ------------------------------------------------------------------- letters

/// What a letter holds besides its row, each part in its order.
#[derive(Debug, Clone, Default)]
pub struct LetterParts {
    pub referents: Vec<lettre_referent::Model>,
    pub missions: Vec<lettre_mission::Model>,
    pub indicators: Vec<lettre_indicateur::Model>,
}

/// A school's letters, the newest year and version first.
pub async fn letters_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<lettre::Model>, DbErr> {
    lettre::Entity::find()
        .filter(lettre::Column::EtablissementId.eq(etab))
        .order_by_desc(lettre::Column::SchoolYear)
        .order_by_desc(lettre::Column::Version)
        .all(c)
        .await
}

/// One letter of a school (none when it belongs to another school).
pub async fn get_letter<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<lettre::Model>, DbErr> {
    lettre::Entity::find_by_id(id)
        .filter(lettre::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// The version number the next letter of a school and year takes.
pub async fn next_version<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<i32, DbErr> {
    let last: Option<i32> = lettre::Entity::find()
        .select_only()
        .column(lettre::Column::Version)
        .filter(lettre::Column::EtablissementId.eq(etab))
        .filter(lettre::Column::SchoolYear.eq(school_year))
        .order_by_desc(lettre::Column::Version)
        .into_tuple()
        .one(c)
        .await?;
    Ok(last.unwrap_or(0) + 1)
}

pub async fn parts_of<C: ConnectionTrait>(c: &C, lettre_id: Uuid) -> Result<LetterParts, DbErr> {
    Ok(LetterParts {
        referents: lettre_referent::Entity::find()
            .filter(lettre_referent::Column::LettreId.eq(lettre_id))
            .order_by_asc(lettre_referent::Column::Position)
            .all(c)
            .await?,
        missions: lettre_mission::Entity::find()
            .filter(lettre_mission::Column::LettreId.eq(lettre_id))
            .order_by_asc(lettre_mission::Column::Position)
            .all(c)
            .await?,
        indicators: lettre_indicateur::Entity::find()
            .filter(lettre_indicateur::Column::LettreId.eq(lettre_id))
            .order_by_asc(lettre_indicateur::Column::Position)
            .all(c)
            .await?,
    })
}

pub async fn insert_letter<C: ConnectionTrait>(c: &C, row: lettre::Model) -> Result<(), DbErr> {
    lettre::Entity::insert(lettre::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// Writes a draft's parts in place of the ones it had (in the caller's
/// transaction).
pub async fn replace_parts<C: ConnectionTrait>(
    c: &C,
    lettre_id: Uuid,
    parts: LetterParts,
) -> Result<(), DbErr> {
    lettre_referent::Entity::delete_many()
        .filter(lettre_referent::Column::LettreId.eq(lettre_id))
        .exec(c)
        .await?;
    lettre_mission::Entity::delete_many()
        .filter(lettre_mission::Column::LettreId.eq(lettre_id))
        .exec(c)
        .await?;
    lettre_indicateur::Entity::delete_many()
        .filter(lettre_indicateur::Column::LettreId.eq(lettre_id))
        .exec(c)
        .await?;
    if !parts.referents.is_empty() {
        lettre_referent::Entity::insert_many(
            parts
                .referents
                .into_iter()
                .map(lettre_referent::ActiveModel::from),
        )
        .exec(c)
        .await?;
    }
    if !parts.missions.is_empty() {
        lettre_mission::Entity::insert_many(
            parts
                .missions
                .into_iter()
                .map(lettre_mission::ActiveModel::from),
        )
        .exec(c)
        .await?;
    }
    if !parts.indicators.is_empty() {
        lettre_indicateur::Entity::insert_many(
            parts
                .indicators
                .into_iter()
                .map(lettre_indicateur::ActiveModel::from),
        )
        .exec(c)
        .await?;
    }
    Ok(())
}

/// Writes a draft's text if it is still a draft; false otherwise.
pub async fn set_draft_text<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    text: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = lettre::Entity::update_many()
        .col_expr(lettre::Column::Text, Expr::value(text))
        .col_expr(lettre::Column::UpdatedAt, Expr::value(at))
        .filter(lettre::Column::Id.eq(id))
        .filter(lettre::Column::Status.eq("draft"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves a letter from `from` to `to` (propose, withdraw) if it still is
/// `from`; false when another step came first.
pub async fn move_status<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    from: &str,
    to: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut q = lettre::Entity::update_many()
        .col_expr(lettre::Column::Status, Expr::value(to))
        .col_expr(lettre::Column::UpdatedAt, Expr::value(at));
    if to == "proposed" {
        q = q.col_expr(lettre::Column::ProposedAt, Expr::value(at));
    }
    let r = q
        .filter(lettre::Column::Id.eq(id))
        .filter(lettre::Column::Status.eq(from))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Signs a proposed letter: its signer, time and content hash. False when
/// it is no longer proposed (signed by a concurrent request, withdrawn…).
pub async fn sign<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
    hash: &str,
) -> Result<bool, DbErr> {
    let r = lettre::Entity::update_many()
        .col_expr(lettre::Column::Status, Expr::value("signed"))
        .col_expr(lettre::Column::SignedBy, Expr::value(by))
        .col_expr(lettre::Column::SignedAt, Expr::value(at))
        .col_expr(lettre::Column::SignedHash, Expr::value(hash))
        .col_expr(lettre::Column::UpdatedAt, Expr::value(at))
        .filter(lettre::Column::Id.eq(id))
        .filter(lettre::Column::Status.eq("proposed"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records that a referent named by a letter acknowledged it (the hash of
/// what they read); false when they already had.
pub async fn acknowledge<C: ConnectionTrait>(
    c: &C,
    lettre_id: Uuid,
    account_id: Uuid,
    at: DateTime<Utc>,
    hash: &str,
) -> Result<bool, DbErr> {
    let r = lettre_referent::Entity::update_many()
        .col_expr(lettre_referent::Column::AcknowledgedAt, Expr::value(at))
        .col_expr(lettre_referent::Column::AcknowledgedHash, Expr::value(hash))
        .filter(lettre_referent::Column::LettreId.eq(lettre_id))
        .filter(lettre_referent::Column::AccountId.eq(account_id))
        .filter(lettre_referent::Column::AcknowledgedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ------------------------------------------------------------------ comments

/// A letter's drafting comments, oldest first.
pub async fn comments_of<C: ConnectionTrait>(
    c: &C,
    lettre_id: Uuid,
) -> Result<Vec<lettre_commentaire::Model>, DbErr> {
    lettre_commentaire::Entity::find()
        .filter(lettre_commentaire::Column::LettreId.eq(lettre_id))
        .order_by_asc(lettre_commentaire::Column::CreatedAt)
        .order_by_asc(lettre_commentaire::Column::Id)
        .all(c)
        .await
}

pub async fn insert_comment<C: ConnectionTrait>(
    c: &C,
    row: lettre_commentaire::Model,
) -> Result<(), DbErr> {
    lettre_commentaire::Entity::insert(lettre_commentaire::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

// -------------------------------------------------------------------- review

/// A letter's year-end comments, one per axis.
pub async fn reviews_of<C: ConnectionTrait>(
    c: &C,
    lettre_id: Uuid,
) -> Result<Vec<lettre_revue::Model>, DbErr> {
    lettre_revue::Entity::find()
        .filter(lettre_revue::Column::LettreId.eq(lettre_id))
        .all(c)
        .await
}

/// One indicator's year-end value and comment.
pub struct FinalValue {
    pub indicator_id: Uuid,
    pub value: Option<i64>,
    pub comment: String,
}

/// Records the year-end review of a signed (or already reviewed) letter:
/// its status, who and when, each indicator's final value, the comment of
/// each axis (in place of the previous ones). False when the letter is
/// not signed (in the caller's transaction).
pub async fn record_review<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
    finals: &[FinalValue],
    comments: Vec<lettre_revue::Model>,
) -> Result<bool, DbErr> {
    let r = lettre::Entity::update_many()
        .col_expr(lettre::Column::Status, Expr::value("reviewed"))
        .col_expr(lettre::Column::ReviewedBy, Expr::value(by))
        .col_expr(lettre::Column::ReviewedAt, Expr::value(at))
        .col_expr(lettre::Column::UpdatedAt, Expr::value(at))
        .filter(lettre::Column::Id.eq(id))
        .filter(lettre::Column::Status.is_in(["signed", "reviewed"]))
        .exec(c)
        .await?;
    if r.rows_affected != 1 {
        return Ok(false);
    }
    for f in finals {
        lettre_indicateur::Entity::update_many()
            .col_expr(lettre_indicateur::Column::FinalValue, Expr::value(f.value))
            .col_expr(
                lettre_indicateur::Column::FinalComment,
                Expr::value(f.comment.clone()),
            )
            .filter(lettre_indicateur::Column::Id.eq(f.indicator_id))
            .filter(lettre_indicateur::Column::LettreId.eq(id))
            .exec(c)
            .await?;
    }
    lettre_revue::Entity::delete_many()
        .filter(lettre_revue::Column::LettreId.eq(id))
        .exec(c)
        .await?;
    if !comments.is_empty() {
        lettre_revue::Entity::insert_many(
            comments.into_iter().map(lettre_revue::ActiveModel::from),
        )
        .exec(c)
        .await?;
    }
    Ok(true)
}

// ------------------------------------------------------------ home's counts

/// A school's letters proposed for signature, to count (the head's home).
pub fn proposed_of(etab: Uuid) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::ExprTrait;
    sea_orm::sea_query::Query::select()
        .from(lettre::Entity)
        .and_where(Expr::col(lettre::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(lettre::Column::Status).eq("proposed"))
        .to_owned()
}

/// A school's signed letters naming `account` who has not acknowledged
/// them yet, to count (the referent's home).
pub fn to_acknowledge(etab: Uuid, account: Uuid) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::ExprTrait;
    sea_orm::sea_query::Query::select()
        .from(lettre_referent::Entity)
        .inner_join(
            lettre::Entity,
            Expr::col((lettre::Entity, lettre::Column::Id))
                .equals((lettre_referent::Entity, lettre_referent::Column::LettreId)),
        )
        .and_where(Expr::col((lettre::Entity, lettre::Column::EtablissementId)).eq(etab))
        .and_where(
            Expr::col((lettre::Entity, lettre::Column::Status)).is_in(["signed", "reviewed"]),
        )
        .and_where(
            Expr::col((lettre_referent::Entity, lettre_referent::Column::AccountId)).eq(account),
        )
        .and_where(
            Expr::col((
                lettre_referent::Entity,
                lettre_referent::Column::AcknowledgedAt,
            ))
            .is_null(),
        )
        .to_owned()
}
