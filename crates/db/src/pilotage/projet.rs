//! The digital part of the school project: plans, their school years,
//! axes, objectives, actions, indicators and targets per year. Every query
//! takes the school, so that a plan or one of its parts is never read nor
//! written through another school's id. Plans do not overlap: each claims
//! its school years in `pilotage_projet_annees`, unique per school and
//! year, in the transaction that creates it.

use crate::entities::pilotage::{
    comite_action, projet, projet_action as action, projet_annee as annee, projet_axe as axe,
    projet_cible as cible, projet_indicateur as indicateur, projet_objectif as objectif,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

// -------------------------------------------------------------------- plans

/// A school's plans, the latest first.
pub async fn plans_of<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Vec<projet::Model>, DbErr> {
    projet::Entity::find()
        .filter(projet::Column::EtablissementId.eq(etab))
        .order_by_desc(projet::Column::FirstYear)
        .order_by_desc(projet::Column::Id)
        .all(c)
        .await
}

/// The school's plan that covers a school year, if any.
pub async fn plan_covering<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    school_year: i32,
) -> Result<Option<projet::Model>, DbErr> {
    projet::Entity::find()
        .filter(projet::Column::EtablissementId.eq(etab))
        .filter(projet::Column::FirstYear.lte(school_year))
        .filter(projet::Column::LastYear.gte(school_year))
        .one(c)
        .await
}

pub async fn get_plan<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<projet::Model>, DbErr> {
    projet::Entity::find_by_id(id)
        .filter(projet::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// Inserts a plan and claims its school years; a unique violation means
/// one of them belongs to another plan of the school.
pub async fn insert_plan<C: ConnectionTrait>(c: &C, row: projet::Model) -> Result<(), DbErr> {
    let years: Vec<annee::ActiveModel> = (row.first_year..=row.last_year)
        .map(|y| {
            annee::ActiveModel::from(annee::Model {
                id: Uuid::now_v7(),
                etablissement_id: row.etablissement_id,
                projet_id: row.id,
                school_year: y,
            })
        })
        .collect();
    projet::Entity::insert(projet::ActiveModel::from(row))
        .exec(c)
        .await?;
    annee::Entity::insert_many(years)
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Writes a plan's title and adoption day; false when it is not one of
/// the school's.
pub async fn update_plan<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    title: &str,
    adopted_on: Option<NaiveDate>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = projet::Entity::update_many()
        .col_expr(projet::Column::Title, Expr::value(title))
        .col_expr(projet::Column::AdoptedOn, Expr::value(adopted_on))
        .col_expr(projet::Column::UpdatedAt, Expr::value(at))
        .filter(projet::Column::Id.eq(id))
        .filter(projet::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// --------------------------------------------------------------------- axes

/// A plan's axes in order.
pub async fn axes_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    plan: Uuid,
) -> Result<Vec<axe::Model>, DbErr> {
    axe::Entity::find()
        .filter(axe::Column::EtablissementId.eq(etab))
        .filter(axe::Column::ProjetId.eq(plan))
        .order_by_asc(axe::Column::Position)
        .order_by_asc(axe::Column::Id)
        .all(c)
        .await
}

pub async fn get_axis<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<axe::Model>, DbErr> {
    axe::Entity::find_by_id(id)
        .filter(axe::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// The position the next axis of a plan takes.
pub async fn next_axis_position<C: ConnectionTrait>(c: &C, plan: Uuid) -> Result<i32, DbErr> {
    let last: Option<i32> = axe::Entity::find()
        .select_only()
        .column(axe::Column::Position)
        .filter(axe::Column::ProjetId.eq(plan))
        .order_by_desc(axe::Column::Position)
        .into_tuple()
        .one(c)
        .await?;
    Ok(last.map_or(0, |p| p + 1))
}

pub async fn insert_axis<C: ConnectionTrait>(c: &C, row: axe::Model) -> Result<(), DbErr> {
    axe::Entity::insert(axe::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// Writes an axis's title; false when it is not one of the school's.
pub async fn update_axis<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    title: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = axe::Entity::update_many()
        .col_expr(axe::Column::Title, Expr::value(title))
        .col_expr(axe::Column::UpdatedAt, Expr::value(at))
        .filter(axe::Column::Id.eq(id))
        .filter(axe::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// --------------------------------------------------------------- objectives

/// A plan's objectives, in the order they were added.
pub async fn objectives_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    plan: Uuid,
) -> Result<Vec<objectif::Model>, DbErr> {
    objectif::Entity::find()
        .filter(objectif::Column::EtablissementId.eq(etab))
        .filter(objectif::Column::ProjetId.eq(plan))
        .order_by_asc(objectif::Column::CreatedAt)
        .order_by_asc(objectif::Column::Id)
        .all(c)
        .await
}

pub async fn get_objective<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<objectif::Model>, DbErr> {
    objectif::Entity::find_by_id(id)
        .filter(objectif::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_objective<C: ConnectionTrait>(
    c: &C,
    row: objectif::Model,
) -> Result<(), DbErr> {
    objectif::Entity::insert(objectif::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// Writes an objective's title and description; false when it is not one
/// of the school's.
pub async fn update_objective<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    title: &str,
    description: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = objectif::Entity::update_many()
        .col_expr(objectif::Column::Title, Expr::value(title))
        .col_expr(objectif::Column::Description, Expr::value(description))
        .col_expr(objectif::Column::UpdatedAt, Expr::value(at))
        .filter(objectif::Column::Id.eq(id))
        .filter(objectif::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ------------------------------------------------------------------ actions

/// A plan's actions (or one objective's, with `objective`), by start date.
pub async fn actions_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    plan: Uuid,
    objective: Option<Uuid>,
) -> Result<Vec<action::Model>, DbErr> {
    let mut q = action::Entity::find()
        .filter(action::Column::EtablissementId.eq(etab))
        .filter(action::Column::ProjetId.eq(plan));
    if let Some(o) = objective {
        q = q.filter(action::Column::ObjectifId.eq(o));
    }
    q.order_by_asc(action::Column::StartOn)
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
    pub owner_name: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub progress: i32,
    pub comite_action_id: Option<Uuid>,
}

/// Writes an action's fields; false when it is not one of the school's.
pub async fn update_action<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    f: ActionFields,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = action::Entity::update_many()
        .col_expr(action::Column::Title, Expr::value(f.title))
        .col_expr(action::Column::OwnerName, Expr::value(f.owner_name))
        .col_expr(action::Column::StartOn, Expr::value(f.start_on))
        .col_expr(action::Column::EndOn, Expr::value(f.end_on))
        .col_expr(action::Column::Progress, Expr::value(f.progress))
        .col_expr(
            action::Column::ComiteActionId,
            Expr::value(f.comite_action_id),
        )
        .col_expr(action::Column::UpdatedAt, Expr::value(at))
        .filter(action::Column::Id.eq(id))
        .filter(action::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves an action from `from` to `to` with its progress, if it still is
/// `from`; false when another change came first.
pub async fn move_action_status<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    from: &str,
    to: &str,
    progress: i32,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = action::Entity::update_many()
        .col_expr(action::Column::Status, Expr::value(to))
        .col_expr(action::Column::Progress, Expr::value(progress))
        .col_expr(action::Column::UpdatedAt, Expr::value(at))
        .filter(action::Column::Id.eq(id))
        .filter(action::Column::EtablissementId.eq(etab))
        .filter(action::Column::Status.eq(from))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// --------------------------------------------------------------- indicators

/// A plan's indicators (or one objective's), in the order they were added.
pub async fn indicators_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    plan: Uuid,
    objective: Option<Uuid>,
) -> Result<Vec<indicateur::Model>, DbErr> {
    let mut q = indicateur::Entity::find()
        .filter(indicateur::Column::EtablissementId.eq(etab))
        .filter(indicateur::Column::ProjetId.eq(plan));
    if let Some(o) = objective {
        q = q.filter(indicateur::Column::ObjectifId.eq(o));
    }
    q.order_by_asc(indicateur::Column::CreatedAt)
        .order_by_asc(indicateur::Column::Id)
        .all(c)
        .await
}

pub async fn get_indicator<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<indicateur::Model>, DbErr> {
    indicateur::Entity::find_by_id(id)
        .filter(indicateur::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert_indicator<C: ConnectionTrait>(
    c: &C,
    row: indicateur::Model,
) -> Result<(), DbErr> {
    indicateur::Entity::insert(indicateur::ActiveModel::from(row))
        .exec(c)
        .await
        .map(|_| ())
}

/// What an indicator's form changes.
#[derive(Debug, Clone)]
pub struct IndicatorFields {
    pub label: String,
    pub source_kind: String,
    pub metric: Option<String>,
    pub unit: String,
    pub direction: String,
    pub baseline: Option<i64>,
}

/// Writes an indicator's fields; false when it is not one of the school's.
pub async fn update_indicator<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
    f: IndicatorFields,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = indicateur::Entity::update_many()
        .col_expr(indicateur::Column::Label, Expr::value(f.label))
        .col_expr(indicateur::Column::SourceKind, Expr::value(f.source_kind))
        .col_expr(indicateur::Column::Metric, Expr::value(f.metric))
        .col_expr(indicateur::Column::Unit, Expr::value(f.unit))
        .col_expr(indicateur::Column::Direction, Expr::value(f.direction))
        .col_expr(indicateur::Column::Baseline, Expr::value(f.baseline))
        .col_expr(indicateur::Column::UpdatedAt, Expr::value(at))
        .filter(indicateur::Column::Id.eq(id))
        .filter(indicateur::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The targets and recorded values of these indicators.
pub async fn targets_of<C: ConnectionTrait>(
    c: &C,
    indicator_ids: &[Uuid],
) -> Result<Vec<cible::Model>, DbErr> {
    if indicator_ids.is_empty() {
        return Ok(vec![]);
    }
    cible::Entity::find()
        .filter(cible::Column::IndicateurId.is_in(indicator_ids.iter().copied()))
        .order_by_asc(cible::Column::SchoolYear)
        .all(c)
        .await
}

/// The row of an indicator's year: updated when there, inserted otherwise
/// (in the caller's transaction).
async fn upsert_year<C: ConnectionTrait>(
    c: &C,
    indicator: Uuid,
    school_year: i32,
    col: cible::Column,
    value: Option<i64>,
    recorded_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let mut u = cible::Entity::update_many().col_expr(col, Expr::value(value));
    if recorded_at.is_some() {
        u = u.col_expr(cible::Column::RecordedAt, Expr::value(recorded_at));
    }
    let r = u
        .filter(cible::Column::IndicateurId.eq(indicator))
        .filter(cible::Column::SchoolYear.eq(school_year))
        .exec(c)
        .await?;
    if r.rows_affected == 1 {
        return Ok(());
    }
    let (target, recorded) = if matches!(col, cible::Column::Target) {
        (value, None)
    } else {
        (None, value)
    };
    cible::Entity::insert(cible::ActiveModel::from(cible::Model {
        id: Uuid::now_v7(),
        indicateur_id: indicator,
        school_year,
        target,
        value: recorded,
        recorded_at,
    }))
    .exec(c)
    .await
    .map(|_| ())
}

/// Writes an indicator's target for each school year given (none clears
/// it); recorded values are kept.
pub async fn set_targets<C: ConnectionTrait>(
    c: &C,
    indicator: Uuid,
    targets: &[(i32, Option<i64>)],
) -> Result<(), DbErr> {
    for (year, target) in targets {
        upsert_year(c, indicator, *year, cible::Column::Target, *target, None).await?;
    }
    Ok(())
}

/// Records an indicator's value for a school year (none clears it).
pub async fn record_value<C: ConnectionTrait>(
    c: &C,
    indicator: Uuid,
    school_year: i32,
    value: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    upsert_year(
        c,
        indicator,
        school_year,
        cible::Column::Value,
        value,
        Some(at),
    )
    .await
}

// ---------------------------------------------------- the comité's actions

/// Links a comité action of the school to an objective (none unlinks it);
/// false when the action is not one of the school's.
pub async fn link_comite_action<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    comite_action_id: Uuid,
    objective: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = comite_action::Entity::update_many()
        .col_expr(comite_action::Column::ObjectiveId, Expr::value(objective))
        .col_expr(comite_action::Column::UpdatedAt, Expr::value(at))
        .filter(comite_action::Column::Id.eq(comite_action_id))
        .filter(comite_action::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The school's comité actions linked to these objectives, by due date.
pub async fn comite_actions_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    objectives: &[Uuid],
) -> Result<Vec<comite_action::Model>, DbErr> {
    if objectives.is_empty() {
        return Ok(vec![]);
    }
    comite_action::Entity::find()
        .filter(comite_action::Column::EtablissementId.eq(etab))
        .filter(comite_action::Column::ObjectiveId.is_in(objectives.iter().copied()))
        .order_by_asc(comite_action::Column::DueOn)
        .order_by_asc(comite_action::Column::Id)
        .all(c)
        .await
}

/// The school's comité actions, the latest due first, for the choice of
/// the one that feeds a project action or is linked to an objective.
pub async fn comite_actions_for_choice<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    limit: u64,
) -> Result<Vec<comite_action::Model>, DbErr> {
    comite_action::Entity::find()
        .filter(comite_action::Column::EtablissementId.eq(etab))
        .order_by_desc(comite_action::Column::DueOn)
        .order_by_desc(comite_action::Column::Id)
        .limit(limit)
        .all(c)
        .await
}
