//! The school directory: imports, structures, nomenclatures, people.

use crate::entities::{
    annuaire_guardianship as guardianship, annuaire_import as import,
    annuaire_nomenclature as nomenclature, annuaire_person as person,
    annuaire_source_id as source_id, annuaire_structure as structure,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

mod pages;
pub use pages::*;

pub mod writes;

/// Rows per statement for bulk writes (well under both backends' limits on
/// bound parameters).
const CHUNK: usize = 200;

#[derive(Debug, Clone, FromQueryResult)]
pub struct PersonIndexRow {
    pub id: Uuid,
    pub kind: String,
    pub source_key: String,
    pub content_hash: String,
    pub status: String,
}

/// What the diff needs of the people a source already put in a school, a
/// page at a time (by id, after `after`), so that a large school is read
/// without holding every row at once.
pub async fn person_index_page<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    source: &str,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<PersonIndexRow>, DbErr> {
    let mut q = person::Entity::find()
        .select_only()
        .columns([
            person::Column::Id,
            person::Column::Kind,
            person::Column::SourceKey,
            person::Column::ContentHash,
            person::Column::Status,
        ])
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Source.eq(source));
    if let Some(a) = after {
        q = q.filter(person::Column::Id.gt(a));
    }
    q.order_by_asc(person::Column::Id)
        .limit(limit)
        .into_model::<PersonIndexRow>()
        .all(c)
        .await
}

/// Names of a few people (for the samples of a preview).
pub async fn names_of<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String, String)>, DbErr> {
    person::Entity::find()
        .select_only()
        .columns([
            person::Column::Id,
            person::Column::LastName,
            person::Column::FirstName,
        ])
        .filter(person::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(c)
        .await
}

pub async fn structures_of_year<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    year: i32,
) -> Result<Vec<structure::Model>, DbErr> {
    structure::Entity::find()
        .filter(structure::Column::EtablissementId.eq(etab))
        .filter(structure::Column::SchoolYear.eq(year))
        .all(c)
        .await
}

pub async fn nomenclatures_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<nomenclature::Model>, DbErr> {
    nomenclature::Entity::find()
        .filter(nomenclature::Column::EtablissementId.eq(etab))
        .order_by_asc(nomenclature::Column::Kind)
        .order_by_asc(nomenclature::Column::Code)
        .all(c)
        .await
}

/// Inserts rows a chunk at a time (within the caller's transaction).
async fn insert_in_chunks<C, A>(c: &C, rows: Vec<A>) -> Result<(), DbErr>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK / 2).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn insert_people<C: ConnectionTrait>(
    c: &C,
    rows: Vec<person::ActiveModel>,
) -> Result<(), DbErr> {
    insert_in_chunks(c, rows).await
}

/// Marks people as gone from the school.
pub async fn set_left<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    for chunk in ids.chunks(CHUNK) {
        person::Entity::update_many()
            .col_expr(person::Column::Status, Expr::value("left"))
            .col_expr(person::Column::LeftAt, Expr::value(at))
            .col_expr(person::Column::UpdatedAt, Expr::value(at))
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .exec(c)
            .await?;
    }
    Ok(())
}

/// Replaces the guardians of the given pupils.
pub async fn replace_guardianships<C: ConnectionTrait>(
    c: &C,
    pupil_ids: &[Uuid],
    rows: Vec<guardianship::Model>,
) -> Result<(), DbErr> {
    for chunk in pupil_ids.chunks(CHUNK) {
        guardianship::Entity::delete_many()
            .filter(guardianship::Column::PupilId.is_in(chunk.to_vec()))
            .exec(c)
            .await?;
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<guardianship::ActiveModel> =
            rows.by_ref().take(CHUNK).map(Into::into).collect();
        guardianship::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([
                    guardianship::Column::PupilId,
                    guardianship::Column::GuardianId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn insert_structures<C: ConnectionTrait>(
    c: &C,
    rows: Vec<structure::ActiveModel>,
) -> Result<(), DbErr> {
    insert_in_chunks(c, rows).await
}

pub async fn update_structure<C: ConnectionTrait>(
    c: &C,
    row: structure::ActiveModel,
) -> Result<(), DbErr> {
    structure::Entity::update(row).exec(c).await.map(|_| ())
}

/// Archives the given structures.
pub async fn archive_structures<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    for chunk in ids.chunks(CHUNK) {
        structure::Entity::update_many()
            .col_expr(structure::Column::ArchivedAt, Expr::value(at))
            .filter(structure::Column::Id.is_in(chunk.to_vec()))
            .exec(c)
            .await?;
    }
    Ok(())
}

/// Archives every structure of a school year before `year` (the rollover).
pub async fn archive_years_before<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    year: i32,
    at: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let r = structure::Entity::update_many()
        .col_expr(structure::Column::ArchivedAt, Expr::value(at))
        .filter(structure::Column::EtablissementId.eq(etab))
        .filter(structure::Column::SchoolYear.lt(year))
        .filter(structure::Column::ArchivedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected)
}

pub async fn count_structures_before<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    year: i32,
) -> Result<u64, DbErr> {
    structure::Entity::find()
        .filter(structure::Column::EtablissementId.eq(etab))
        .filter(structure::Column::SchoolYear.lt(year))
        .filter(structure::Column::ArchivedAt.is_null())
        .count(c)
        .await
}

pub async fn upsert_nomenclatures<C: ConnectionTrait>(
    c: &C,
    inserts: Vec<nomenclature::ActiveModel>,
    updates: Vec<nomenclature::ActiveModel>,
) -> Result<(), DbErr> {
    insert_in_chunks(c, inserts).await?;
    for u in updates {
        nomenclature::Entity::update(u).exec(c).await?;
    }
    Ok(())
}

/// The source ids a school is known by (AAF `ENTStructureJointure`).
pub async fn source_ids_of<C: ConnectionTrait>(
    c: &C,
    source: &str,
    etab: Uuid,
) -> Result<Vec<String>, DbErr> {
    Ok(source_id::Entity::find()
        .filter(source_id::Column::Source.eq(source))
        .filter(source_id::Column::EtablissementId.eq(etab))
        .all(c)
        .await?
        .into_iter()
        .map(|r| r.source_id)
        .collect())
}

pub async fn set_source_id<C: ConnectionTrait>(
    c: &C,
    source: &str,
    id: &str,
    etab: Uuid,
) -> Result<(), DbErr> {
    source_id::Entity::insert(source_id::ActiveModel {
        source: sea_orm::Set(source.to_owned()),
        source_id: sea_orm::Set(id.to_owned()),
        etablissement_id: sea_orm::Set(etab),
    })
    .on_conflict(
        OnConflict::columns([source_id::Column::Source, source_id::Column::SourceId])
            .update_column(source_id::Column::EtablissementId)
            .to_owned(),
    )
    .exec_without_returning(c)
    .await
    .map(|_| ())
}

pub async fn insert_import<C: ConnectionTrait>(c: &C, row: import::Model) -> Result<(), DbErr> {
    import::Entity::insert(import::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn update_import<C: ConnectionTrait>(
    c: &C,
    row: import::ActiveModel,
) -> Result<(), DbErr> {
    import::Entity::update(row).exec(c).await.map(|_| ())
}

pub async fn get_import<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<import::Model>, DbErr> {
    import::Entity::find_by_id(id).one(c).await
}

/// The last applied import of a source into a school.
pub async fn last_applied<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    source: &str,
) -> Result<Option<import::Model>, DbErr> {
    import::Entity::find()
        .filter(import::Column::EtablissementId.eq(etab))
        .filter(import::Column::Source.eq(source))
        .filter(import::Column::Status.eq("applied"))
        .order_by_desc(import::Column::AppliedAt)
        .one(c)
        .await
}

/// The sources among `sources` whose last applied import of a school was
/// applied at or before `cutoff`, one row each, to count.
pub fn stale_sources(etab: Uuid, sources: &[&str], cutoff: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .column(import::Column::Source)
        .from(import::Entity)
        .and_where(Expr::col(import::Column::EtablissementId).eq(etab))
        .and_where(Expr::col(import::Column::Source).is_in(sources.iter().copied()))
        .and_where(Expr::col(import::Column::Status).eq("applied"))
        .group_by_col(import::Column::Source)
        .and_having(Expr::col(import::Column::AppliedAt).max().lte(cutoff))
        .to_owned()
}

pub async fn imports_of<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    limit: u64,
) -> Result<Vec<import::Model>, DbErr> {
    import::Entity::find()
        .filter(import::Column::EtablissementId.eq(etab))
        .order_by_desc(import::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await
}

/// Previews of schools that do not exist yet (admin only).
pub async fn orphan_previews<C: ConnectionTrait>(c: &C) -> Result<Vec<import::Model>, DbErr> {
    import::Entity::find()
        .filter(import::Column::EtablissementId.is_null())
        .filter(import::Column::Status.eq("preview"))
        .order_by_desc(import::Column::CreatedAt)
        .all(c)
        .await
}

/// Filters of the people lists.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub kind: String,
    /// Include people who left.
    pub include_left: bool,
    pub class_code: Option<String>,
    /// A structure code the person teaches (staff) or belongs to as a group (pupils).
    pub structure: Option<String>,
    /// Folded search text.
    pub q: Option<String>,
    pub page: u64,
    pub per_page: u64,
}

fn like_escape(s: &str) -> String {
    s.replace(['%', '_', '\\', '"'], " ")
}

pub async fn list_people<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    f: &PeopleFilter,
) -> Result<(Vec<person::Model>, u64), DbErr> {
    let mut q = person::Entity::find()
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq(f.kind.as_str()));
    if !f.include_left {
        q = q.filter(person::Column::Status.eq("active"));
    }
    if let Some(cc) = &f.class_code {
        q = q.filter(person::Column::ClassCode.eq(cc.as_str()));
    }
    if let Some(s) = &f.structure {
        let needle = format!("%\"{}\"%", like_escape(s));
        q = q.filter(
            Condition::any()
                .add(person::Column::Structures.like(needle.clone()))
                .add(person::Column::Groups.like(needle))
                .add(person::Column::ClassCode.eq(s.as_str())),
        );
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        for word in text.split_whitespace().take(5) {
            q = q.filter(person::Column::SearchText.like(format!("%{word}%")));
        }
    }
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(person::Column::LastName)
        .order_by_asc(person::Column::FirstName)
        .order_by_asc(person::Column::Id)
        .offset(f.page.saturating_mul(f.per_page))
        .limit(f.per_page)
        .all(c)
        .await?;
    Ok((rows, total))
}

pub async fn get_person<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<person::Model>, DbErr> {
    person::Entity::find_by_id(id)
        .filter(person::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

/// A pupil's guardians (or a guardian's pupils) with the link.
pub async fn guardianships_of<C: ConnectionTrait>(
    c: &C,
    person_id: Uuid,
    as_pupil: bool,
) -> Result<Vec<(guardianship::Model, person::Model)>, DbErr> {
    let links = guardianship::Entity::find()
        .filter(if as_pupil {
            guardianship::Column::PupilId.eq(person_id)
        } else {
            guardianship::Column::GuardianId.eq(person_id)
        })
        .all(c)
        .await?;
    let ids: Vec<Uuid> = links
        .iter()
        .map(|l| if as_pupil { l.guardian_id } else { l.pupil_id })
        .collect();
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(c)
        .await?;
    Ok(links
        .into_iter()
        .filter_map(|l| {
            let other = if as_pupil { l.guardian_id } else { l.pupil_id };
            people
                .iter()
                .find(|p| p.id == other)
                .cloned()
                .map(|p| (l, p))
        })
        .collect())
}

/// Structures of a school, the current ones first.
pub async fn list_structures<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    include_archived: bool,
) -> Result<Vec<structure::Model>, DbErr> {
    let mut q = structure::Entity::find().filter(structure::Column::EtablissementId.eq(etab));
    if !include_archived {
        q = q.filter(structure::Column::ArchivedAt.is_null());
    }
    q.order_by_desc(structure::Column::SchoolYear)
        .order_by_asc(structure::Column::Kind)
        .order_by_asc(structure::Column::Code)
        .all(c)
        .await
}

pub async fn get_structure<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<structure::Model>, DbErr> {
    structure::Entity::find_by_id(id)
        .filter(structure::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct ClassCount {
    pub class_code: Option<String>,
    pub n: i64,
}

/// Active pupils per class code.
pub async fn pupils_per_class<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<ClassCount>, DbErr> {
    person::Entity::find()
        .select_only()
        .column(person::Column::ClassCode)
        .column_as(person::Column::Id.count(), "n")
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq("pupil"))
        .filter(person::Column::Status.eq("active"))
        .group_by(person::Column::ClassCode)
        .into_model::<ClassCount>()
        .all(c)
        .await
}

pub async fn count_people<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    kind: &str,
    active_only: bool,
) -> Result<u64, DbErr> {
    let mut q = person::Entity::find()
        .filter(person::Column::EtablissementId.eq(etab))
        .filter(person::Column::Kind.eq(kind));
    if active_only {
        q = q.filter(person::Column::Status.eq("active"));
    }
    q.count(c).await
}

/// Deletes the people who left before `before` (and their links), then the
/// guardians left without any pupil. Returns how many rows were deleted.
pub async fn purge_left<C: ConnectionTrait>(c: &C, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let gone: Vec<Uuid> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        // A literal, not a bound value: it is the predicate of the partial
        // index `ix_annuaire_people_left_at`, which the planners use only
        // when the query states it as written.
        .filter(Expr::cust("\"status\" = 'left'"))
        .filter(person::Column::LeftAt.lt(before))
        .into_tuple()
        .all(c)
        .await?;
    let mut n = 0;
    for chunk in gone.chunks(CHUNK) {
        guardianship::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(guardianship::Column::PupilId.is_in(chunk.to_vec()))
                    .add(guardianship::Column::GuardianId.is_in(chunk.to_vec())),
            )
            .exec(c)
            .await?;
        n += person::Entity::delete_many()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .exec(c)
            .await?
            .rows_affected;
    }
    let orphans = person::Entity::delete_many()
        .filter(person::Column::Kind.eq("guardian"))
        .filter(
            person::Column::Id.not_in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(guardianship::Column::GuardianId)
                    .from(guardianship::Entity)
                    .to_owned(),
            ),
        )
        .exec(c)
        .await?;
    Ok(n + orphans.rows_affected)
}
