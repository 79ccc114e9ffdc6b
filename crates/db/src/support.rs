//! Support organisations' contracts and calendars, the schools' in-house
//! targets, job leases.

use crate::entities::organisation_etablissement;
use crate::entities::support::{
    etab_support_calendar, etab_support_target, job_lease, support_organisation, support_target,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// Which organisations a list shows: all (instance admin), or those serving
/// some schools, those given by id (a provider's own), those of some
/// collectivités. Built by the services from the policy.
#[derive(Debug, Clone, Default)]
pub struct OrgVisibility {
    pub all: bool,
    pub serving: Vec<Uuid>,
    pub ids: Vec<Uuid>,
    pub collectivites: Vec<Uuid>,
}

fn visibility_condition(v: &OrgVisibility) -> Condition {
    if v.all {
        return Condition::all();
    }
    let mut cond = Condition::any();
    if !v.serving.is_empty() {
        cond = cond.add(
            support_organisation::Column::Id.in_subquery(
                Query::select()
                    .column(organisation_etablissement::Column::OrganisationId)
                    .from(organisation_etablissement::Entity)
                    .and_where(
                        Expr::col(organisation_etablissement::Column::EtablissementId)
                            .is_in(v.serving.clone()),
                    )
                    .to_owned(),
            ),
        );
    }
    if !v.ids.is_empty() {
        cond = cond.add(support_organisation::Column::Id.is_in(v.ids.clone()));
    }
    if !v.collectivites.is_empty() {
        cond =
            cond.add(support_organisation::Column::CollectiviteId.is_in(v.collectivites.clone()));
    }
    if v.serving.is_empty() && v.ids.is_empty() && v.collectivites.is_empty() {
        return Condition::all().add(Expr::val(1).eq(0));
    }
    cond
}

/// Visible organisations, by name, one page at a time; `q` searches the
/// name (case-insensitive).
pub async fn list_organisations<C: ConnectionTrait>(
    c: &C,
    v: &OrgVisibility,
    q: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<support_organisation::Model>, u64), DbErr> {
    let mut query = support_organisation::Entity::find().filter(visibility_condition(v));
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase().replace(['\\', '%', '_'], ""));
        query = query.filter(
            Expr::expr(Func::lower(Expr::col((
                support_organisation::Entity,
                support_organisation::Column::Name,
            ))))
            .like(pattern),
        );
    }
    let total = query.clone().count(c).await?;
    let rows = query
        .order_by_asc(support_organisation::Column::Name)
        .order_by_asc(support_organisation::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// Whether one organisation is visible.
pub async fn organisation_visible<C: ConnectionTrait>(
    c: &C,
    v: &OrgVisibility,
    id: Uuid,
) -> Result<bool, DbErr> {
    Ok(support_organisation::Entity::find_by_id(id)
        .filter(visibility_condition(v))
        .count(c)
        .await?
        > 0)
}

/// The organisations serving a school, by name.
pub async fn organisations_serving<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<support_organisation::Model>, DbErr> {
    support_organisation::Entity::find()
        .filter(
            support_organisation::Column::Id.in_subquery(
                Query::select()
                    .column(organisation_etablissement::Column::OrganisationId)
                    .from(organisation_etablissement::Entity)
                    .and_where(
                        Expr::col(organisation_etablissement::Column::EtablissementId).eq(etab),
                    )
                    .to_owned(),
            ),
        )
        .order_by_asc(support_organisation::Column::Name)
        .all(c)
        .await
}

/// One organisation with its support columns.
pub async fn get_organisation<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<support_organisation::Model>, DbErr> {
    support_organisation::Entity::find_by_id(id).one(c).await
}

/// An organisation's target for one priority (`p1`…`p4`).
pub async fn org_target<C: ConnectionTrait>(
    c: &C,
    org: Uuid,
    priority: &str,
) -> Result<Option<support_target::Model>, DbErr> {
    support_target::Entity::find_by_id((org, priority.to_string()))
        .one(c)
        .await
}

/// An organisation's targets, by priority.
pub async fn org_targets<C: ConnectionTrait>(
    c: &C,
    org: Uuid,
) -> Result<Vec<support_target::Model>, DbErr> {
    support_target::Entity::find()
        .filter(support_target::Column::OrganisationId.eq(org))
        .order_by_asc(support_target::Column::Priority)
        .all(c)
        .await
}

/// A school's in-house target for one priority.
pub async fn etab_target<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    priority: &str,
) -> Result<Option<etab_support_target::Model>, DbErr> {
    etab_support_target::Entity::find_by_id((etab, priority.to_string()))
        .one(c)
        .await
}

/// A school's in-house targets, by priority.
pub async fn etab_targets<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<etab_support_target::Model>, DbErr> {
    etab_support_target::Entity::find()
        .filter(etab_support_target::Column::EtablissementId.eq(etab))
        .order_by_asc(etab_support_target::Column::Priority)
        .all(c)
        .await
}

/// A school's in-house calendar (JSON), when it set one.
pub async fn etab_calendar<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<Option<String>, DbErr> {
    Ok(etab_support_calendar::Entity::find_by_id(etab)
        .one(c)
        .await?
        .map(|m| m.calendar))
}

/// A job's current lease.
pub async fn get_lease<C: ConnectionTrait>(
    c: &C,
    name: &str,
) -> Result<Option<job_lease::Model>, DbErr> {
    job_lease::Entity::find_by_id(name.to_string()).one(c).await
}
