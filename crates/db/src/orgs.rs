//! Académies, collectivités, support organisations and schools.

use crate::entities::{
    academie, collectivite, etablissement, membership, organisation, organisation_etablissement,
};
use refnum_domain::policy::{EtabFacts, EtabScope};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub async fn list_academies<C: ConnectionTrait>(c: &C) -> Result<Vec<academie::Model>, DbErr> {
    academie::Entity::find()
        .order_by_asc(academie::Column::Name)
        .all(c)
        .await
}

pub async fn get_academie<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<academie::Model>, DbErr> {
    academie::Entity::find_by_id(id).one(c).await
}

pub async fn list_collectivites<C: ConnectionTrait>(
    c: &C,
) -> Result<Vec<collectivite::Model>, DbErr> {
    collectivite::Entity::find()
        .order_by_asc(collectivite::Column::Name)
        .all(c)
        .await
}

pub async fn get_collectivite<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<collectivite::Model>, DbErr> {
    collectivite::Entity::find_by_id(id).one(c).await
}

pub async fn list_organisations<C: ConnectionTrait>(
    c: &C,
) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(c)
        .await
}

/// The condition that limits schools to a policy scope.
fn scope_condition(scope: &EtabScope) -> Condition {
    if scope.all() {
        return Condition::all();
    }
    let mut cond = Condition::any();
    if !scope.etablissements().is_empty() {
        cond = cond.add(etablissement::Column::Id.is_in(scope.etablissements().to_vec()));
    }
    if !scope.academies().is_empty() {
        cond = cond.add(etablissement::Column::AcademieId.is_in(scope.academies().to_vec()));
    }
    if !scope.collectivites().is_empty() {
        cond =
            cond.add(etablissement::Column::CollectiviteId.is_in(scope.collectivites().to_vec()));
    }
    if !scope.organisations().is_empty() {
        cond = cond.add(
            etablissement::Column::Id.in_subquery(
                Query::select()
                    .column(organisation_etablissement::Column::EtablissementId)
                    .from(organisation_etablissement::Entity)
                    .and_where(
                        Expr::col(organisation_etablissement::Column::OrganisationId)
                            .is_in(scope.organisations().to_vec()),
                    )
                    .to_owned(),
            ),
        );
    }
    if scope.is_empty() {
        // Nothing visible: a condition that is always false.
        return Condition::all().add(Expr::val(1).eq(0));
    }
    cond
}

/// How a list of schools is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EtabSort {
    #[default]
    Name,
    Uai,
    City,
    Pupils,
}

/// Schools visible in a scope, sorted by name, one page at a time.
pub async fn list_etablissements<C: ConnectionTrait>(
    c: &C,
    scope: &EtabScope,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<etablissement::Model>, u64), DbErr> {
    list_etablissements_sorted(
        c,
        scope,
        &EtabListFilter {
            search: search.map(str::to_string),
            ..Default::default()
        },
        EtabSort::Name,
        false,
        offset,
        limit,
    )
    .await
}

/// What a list of schools keeps.
#[derive(Debug, Clone, Default)]
pub struct EtabListFilter {
    /// Words of the name, UAI or city (folded).
    pub search: Option<String>,
    /// Only the schools where no account holds this school-level role.
    pub without_role: Option<String>,
}

/// Schools with no account holding `role` on them.
fn without_role(role: &str) -> sea_orm::sea_query::SimpleExpr {
    etablissement::Column::Id.not_in_subquery(
        Query::select()
            .column(membership::Column::EtablissementId)
            .from(membership::Entity)
            .and_where(Expr::col(membership::Column::Role).eq(role))
            .and_where(Expr::col(membership::Column::EtablissementId).is_not_null())
            .to_owned(),
    )
}

/// Schools of a scope where no account holds `role` (e.g. no referent).
pub async fn count_without_role<C: ConnectionTrait>(
    c: &C,
    scope: &EtabScope,
    role: &str,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, without_role_in(scope, role)).await
}

/// The schools of a scope where no account holds `role`, to count.
pub fn without_role_in(scope: &EtabScope, role: &str) -> SelectStatement {
    etablissements_in(scope)
        .and_where(without_role(role))
        .to_owned()
}

/// Schools visible in a scope, sorted as asked, one page at a time.
pub async fn list_etablissements_sorted<C: ConnectionTrait>(
    c: &C,
    scope: &EtabScope,
    filter: &EtabListFilter,
    sort: EtabSort,
    descending: bool,
    offset: u64,
    limit: u64,
) -> Result<(Vec<etablissement::Model>, u64), DbErr> {
    let mut q = etablissement::Entity::find().filter(scope_condition(scope));
    if let Some(role) = &filter.without_role {
        q = q.filter(without_role(role));
    }
    if let Some(s) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let like = format!("%{}%", refnum_domain::search::fold(s).trim());
        q = q.filter(etablissement::Column::SearchText.like(like));
    }
    let total = q.clone().count(c).await?;
    let col = match sort {
        EtabSort::Name => etablissement::Column::Name,
        EtabSort::Uai => etablissement::Column::Uai,
        EtabSort::City => etablissement::Column::City,
        EtabSort::Pupils => etablissement::Column::PupilCount,
    };
    let order = if descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let rows = q
        .order_by(col, order)
        .order_by_asc(etablissement::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// One school if the scope covers it.
pub async fn get_etablissement_in_scope<C: ConnectionTrait>(
    c: &C,
    scope: &EtabScope,
    id: Uuid,
) -> Result<Option<etablissement::Model>, DbErr> {
    etablissement::Entity::find_by_id(id)
        .filter(scope_condition(scope))
        .one(c)
        .await
}

/// A school by id, for the policy to decide on.
pub async fn get_etablissement<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<etablissement::Model>, DbErr> {
    etablissement::Entity::find_by_id(id).one(c).await
}

pub async fn get_etablissement_by_uai<C: ConnectionTrait>(
    c: &C,
    uai: &str,
) -> Result<Option<etablissement::Model>, DbErr> {
    etablissement::Entity::find()
        .filter(etablissement::Column::Uai.eq(uai))
        .one(c)
        .await
}

pub async fn get_etablissements_by_ids<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<etablissement::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    etablissement::Entity::find()
        .filter(etablissement::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(etablissement::Column::Name)
        .all(c)
        .await
}

/// What the policy needs to know of a school.
pub async fn etab_facts<C: ConnectionTrait>(
    c: &C,
    etab: &etablissement::Model,
) -> Result<EtabFacts, DbErr> {
    let orgs: Vec<Uuid> = organisation_etablissement::Entity::find()
        .filter(organisation_etablissement::Column::EtablissementId.eq(etab.id))
        .all(c)
        .await?
        .into_iter()
        .map(|r| r.organisation_id)
        .collect();
    Ok(EtabFacts {
        id: etab.id,
        academie_id: etab.academie_id,
        collectivite_id: etab.collectivite_id,
        organisation_ids: orgs,
    })
}

pub async fn count_etablissements<C: ConnectionTrait>(
    c: &C,
    scope: &EtabScope,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, etablissements_in(scope)).await
}

/// The schools of a scope, to count.
pub fn etablissements_in(scope: &EtabScope) -> SelectStatement {
    Query::select()
        .from(etablissement::Entity)
        .cond_where(scope_condition(scope))
        .to_owned()
}

/// The sum of the recorded pupil counts of a scope's schools (NULL when
/// it has none).
pub fn pupils_in(scope: &EtabScope) -> SelectStatement {
    etablissements_in(scope)
        .expr(Expr::col(etablissement::Column::PupilCount).sum())
        .to_owned()
}

pub async fn sum_pupils<C: ConnectionTrait>(c: &C, scope: &EtabScope) -> Result<i64, DbErr> {
    let rows = etablissement::Entity::find()
        .filter(scope_condition(scope))
        .select_only()
        .column(etablissement::Column::PupilCount)
        .into_tuple::<i32>()
        .all(c)
        .await?;
    Ok(rows.into_iter().map(i64::from).sum())
}

/// The schools an organisation serves.
pub async fn served_by<C: ConnectionTrait>(
    c: &C,
    organisation_id: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(organisation_etablissement::Entity::find()
        .filter(organisation_etablissement::Column::OrganisationId.eq(organisation_id))
        .all(c)
        .await?
        .into_iter()
        .map(|r| r.etablissement_id)
        .collect())
}
