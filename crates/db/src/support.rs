//! Support organisations' contracts and calendars, the schools' in-house
//! targets, job leases.

use crate::entities::assistance::{notification, ticket};
use crate::entities::support::{
    etab_support_calendar, etab_support_target, job_lease, support_organisation, support_target,
};
use crate::entities::{account, organisation_etablissement};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Order, Query};
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

/// Takes or renews a job's lease for `holder` until `until`, unless another
/// holder's lease is still running. One conditional UPDATE (or, the first
/// time, an INSERT that does nothing on conflict) decides: with several app
/// servers only one gets the row.
pub async fn take_lease<C: ConnectionTrait>(
    c: &C,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder.to_string()))
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(until))
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(job_lease::Column::ExpiresAt.lt(now))
                .add(job_lease::Column::Holder.eq(holder)),
        )
        .exec(c)
        .await?;
    if updated.rows_affected == 1 {
        return Ok(true);
    }
    let inserted = job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(name.to_string()),
        holder: Set(holder.to_string()),
        expires_at: Set(until),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(inserted == 1)
}

/// Gives a lease back (it expires now) if `holder` has it.
pub async fn release_lease<C: ConnectionTrait>(
    c: &C,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    job_lease::Entity::update_many()
        .col_expr(job_lease::Column::ExpiresAt, Expr::value(now))
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(c)
        .await?;
    Ok(())
}

// ------------------------------------------------------------ reminders

/// Which due time a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Response,
    Resolution,
}

/// Open tickets past a due time and not yet reminded of it (a reminder
/// older than the due time does not count: the due time moved).
pub async fn overdue_unreminded<C: ConnectionTrait>(
    c: &C,
    due: Due,
    open_statuses: &[&str],
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<ticket::Model>, DbErr> {
    let (due_col, reminded_col) = columns(due);
    let mut q = ticket::Entity::find()
        .filter(ticket::Column::Status.is_in(open_statuses.iter().copied()))
        .filter(due_col.lt(now))
        .filter(
            Condition::any()
                .add(reminded_col.is_null())
                .add(Expr::col(reminded_col).lt(Expr::col(due_col))),
        );
    if due == Due::Response {
        q = q.filter(ticket::Column::TakenAt.is_null());
    }
    q.order_by_asc(due_col).limit(limit).all(c).await
}

fn columns(due: Due) -> (ticket::Column, ticket::Column) {
    match due {
        Due::Response => (
            ticket::Column::ResponseDueAt,
            ticket::Column::ResponseRemindedAt,
        ),
        Due::Resolution => (
            ticket::Column::ResolutionDueAt,
            ticket::Column::ResolutionRemindedAt,
        ),
    }
}

/// Claims the reminder of one due time: true for the one caller whose
/// conditional UPDATE changed the row.
pub async fn claim_reminder<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
    due: Due,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (due_col, reminded_col) = columns(due);
    let r = ticket::Entity::update_many()
        .col_expr(reminded_col, Expr::value(now))
        .filter(ticket::Column::Id.eq(ticket_id))
        .filter(due_col.lt(now))
        .filter(
            Condition::any()
                .add(reminded_col.is_null())
                .add(Expr::col(reminded_col).lt(Expr::col(due_col))),
        )
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

// ------------------------------------------------------------ notifications

/// A caller's notifications, unread first, newest first; one page.
pub async fn notifications_of<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    offset: u64,
    limit: u64,
) -> Result<(Vec<notification::Model>, u64), DbErr> {
    let q = notification::Entity::find().filter(notification::Column::AccountId.eq(account_id));
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by(
            Expr::expr(Expr::case(notification::Column::ReadAt.is_null(), 0).finally(1)),
            Order::Asc,
        )
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// How many unread notifications an account has.
pub async fn unread_count<C: ConnectionTrait>(c: &C, account_id: Uuid) -> Result<u64, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(c)
        .await
}

/// How many notifications an account has not read, counting no further
/// than `cap`: the header's count reads at most `cap` index entries,
/// however many notifications pile up.
pub async fn unread_count_up_to<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    cap: u64,
) -> Result<u64, DbErr> {
    let ids: Vec<Uuid> = notification::Entity::find()
        .select_only()
        .column(notification::Column::Id)
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null())
        .limit(cap)
        .into_tuple()
        .all(c)
        .await?;
    Ok(ids.len() as u64)
}

/// Marks one of the account's notifications read; `None` when it is not theirs.
pub async fn mark_read<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<notification::Model>, DbErr> {
    let found = notification::Entity::find_by_id(id)
        .filter(notification::Column::AccountId.eq(account_id))
        .one(c)
        .await?;
    if found.is_some() {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now))
            .filter(notification::Column::Id.eq(id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(c)
            .await?;
    }
    Ok(found)
}

/// Marks every notification of the account read; how many were unread.
pub async fn mark_all_read<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(c)
        .await?
        .rows_affected)
}

/// A notification waiting for its e-mail, with its recipient.
#[derive(Debug, Clone)]
pub struct PendingMail {
    pub notification: notification::Model,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub disabled: bool,
}

/// Notifications not yet e-mailed, created after `since`, oldest first.
pub async fn pending_mail<C: ConnectionTrait>(
    c: &C,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<PendingMail>, DbErr> {
    let rows = notification::Entity::find()
        .filter(notification::Column::EmailedAt.is_null())
        .filter(notification::Column::CreatedAt.gt(since))
        .order_by_asc(notification::Column::CreatedAt)
        .order_by_asc(notification::Column::Id)
        .limit(limit)
        .all(c)
        .await?;
    let mut ids: Vec<Uuid> = rows.iter().map(|n| n.account_id).collect();
    ids.sort();
    ids.dedup();
    let accounts = if ids.is_empty() {
        vec![]
    } else {
        account::Entity::find()
            .filter(account::Column::Id.is_in(ids))
            .all(c)
            .await?
    };
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            let a = accounts.iter().find(|a| a.id == n.account_id)?;
            Some(PendingMail {
                email: a.email.clone(),
                display_name: a.display_name.clone(),
                locale: a.locale.clone(),
                disabled: a.disabled,
                notification: n,
            })
        })
        .collect())
}

/// Claims a notification for its e-mail (or marks it as needing none):
/// true for the one caller whose conditional UPDATE set `emailed_at`.
pub async fn claim_mail<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = notification::Entity::update_many()
        .col_expr(notification::Column::EmailedAt, Expr::value(now))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::EmailedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Gives back notifications claimed by [`claim_mail`] whose e-mail could not
/// be sent: they wait for the next run.
pub async fn unclaim_mail<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    notification::Entity::update_many()
        .col_expr(
            notification::Column::EmailedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(notification::Column::Id.is_in(ids.iter().copied()))
        .exec(c)
        .await?;
    Ok(())
}

/// Marks every notification not yet e-mailed and created at or before
/// `before` as needing no e-mail (too old to be news); how many.
pub async fn skip_old_mail<C: ConnectionTrait>(
    c: &C,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(notification::Entity::update_many()
        .col_expr(notification::Column::EmailedAt, Expr::value(now))
        .filter(notification::Column::EmailedAt.is_null())
        .filter(notification::Column::CreatedAt.lte(before))
        .exec(c)
        .await?
        .rows_affected)
}
