//! Support organisations' contracts and calendars, the schools' in-house
//! targets, job leases.

use crate::entities::support::{
    etab_support_calendar, etab_support_target, job_lease, support_organisation, support_target,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

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
