//! Assistance queries: tickets and their numbers, history, comments,
//! attachments; equipment unavailability; notifications; the QR throttle.

use crate::entities::assistance::{
    asset_unavailability as unavail, notification, qr_report_throttle as throttle, ticket,
    ticket_attachment as attachment, ticket_comment as comment, ticket_counter as counter,
    ticket_event as event,
};
use crate::entities::support::support_organisation;
use crate::entities::{
    account, etablissement, membership, organisation, organisation_etablissement,
};
use chrono::{DateTime, Utc};
use refnum_domain::policy::TicketScope;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    Order, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// The next ticket number of a school. Run it inside the write transaction
/// that inserts the ticket: the counter row is locked by the UPDATE until
/// the commit, so two creations never get the same number (PostgreSQL), and
/// SQLite writes one transaction at a time.
pub async fn next_number<C: ConnectionTrait>(c: &C, etab: Uuid) -> Result<i64, DbErr> {
    counter::Entity::insert(counter::ActiveModel {
        etablissement_id: Set(etab),
        last_number: Set(0),
    })
    .on_conflict_do_nothing_on([counter::Column::EtablissementId])
    .exec_without_returning(c)
    .await?;
    counter::Entity::update_many()
        .col_expr(
            counter::Column::LastNumber,
            Expr::col(counter::Column::LastNumber).add(1),
        )
        .filter(counter::Column::EtablissementId.eq(etab))
        .exec(c)
        .await?;
    let row = counter::Entity::find_by_id(etab)
        .one(c)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("ticket counter".into()))?;
    Ok(row.last_number)
}

pub async fn get_ticket<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<ticket::Model>, DbErr> {
    ticket::Entity::find_by_id(id).one(c).await
}

pub async fn events_of<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::TicketId.eq(ticket_id))
        .order_by_asc(event::Column::OccurredAt)
        .order_by_asc(event::Column::Id)
        .all(c)
        .await
}

/// A ticket's comments, oldest first; internal ones only when asked.
pub async fn comments_of<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
    with_internal: bool,
) -> Result<Vec<comment::Model>, DbErr> {
    let mut q = comment::Entity::find().filter(comment::Column::TicketId.eq(ticket_id));
    if !with_internal {
        q = q.filter(comment::Column::Internal.eq(false));
    }
    q.order_by_asc(comment::Column::CreatedAt)
        .order_by_asc(comment::Column::Id)
        .all(c)
        .await
}

pub async fn get_comment<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<comment::Model>, DbErr> {
    comment::Entity::find_by_id(id).one(c).await
}

pub async fn attachments_of<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::TicketId.eq(ticket_id))
        .order_by_asc(attachment::Column::CreatedAt)
        .order_by_asc(attachment::Column::Id)
        .all(c)
        .await
}

pub async fn get_attachment<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id).one(c).await
}

/// The open unavailability period a ticket holds on its asset, if any.
pub async fn open_unavailability<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Option<unavail::Model>, DbErr> {
    unavail::Entity::find()
        .filter(unavail::Column::TicketId.eq(ticket_id))
        .filter(unavail::Column::EndedAt.is_null())
        .one(c)
        .await
}

/// Closes the open unavailability periods of a ticket.
pub async fn close_unavailability<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    unavail::Entity::update_many()
        .col_expr(unavail::Column::EndedAt, Expr::value(at))
        .filter(unavail::Column::TicketId.eq(ticket_id))
        .filter(unavail::Column::EndedAt.is_null())
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn unavailability_of_ticket<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<unavail::Model>, DbErr> {
    unavail::Entity::find()
        .filter(unavail::Column::TicketId.eq(ticket_id))
        .order_by_asc(unavail::Column::StartedAt)
        .all(c)
        .await
}

/// The accounts holding one of `roles` directly on a school.
pub async fn accounts_with_roles_on<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    roles: &[&str],
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("etablissement:{etab}")))
        .filter(membership::Column::Role.is_in(roles.iter().copied()))
        .into_tuple()
        .all(c)
        .await?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The technicians (`prestataire`) of a support organisation.
pub async fn technicians_of<C: ConnectionTrait>(c: &C, org: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("organisation:{org}")))
        .filter(membership::Column::Role.eq("prestataire"))
        .into_tuple()
        .all(c)
        .await?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The people holding a role directly on a school: who a ticket can be
/// assigned to. Id and display name, sorted by name.
pub async fn people_of_school<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let ids: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::AccountId)
        .filter(membership::Column::ScopeKey.eq(format!("etablissement:{etab}")))
        .into_tuple()
        .all(c)
        .await?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::DisplayName])
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Disabled.eq(false))
        .order_by_asc(account::Column::DisplayName)
        .into_tuple()
        .all(c)
        .await
}

/// The support organisations serving a school, sorted by name.
pub async fn organisations_serving<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    let ids: Vec<Uuid> = organisation_etablissement::Entity::find()
        .select_only()
        .column(organisation_etablissement::Column::OrganisationId)
        .filter(organisation_etablissement::Column::EtablissementId.eq(etab))
        .into_tuple()
        .all(c)
        .await?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(ids))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .all(c)
        .await
}

/// The support organisations a ticket list offers as a filter: those
/// serving any of `schools`, and `own` (the caller's), once each, by name
/// then id (the caller sorts them again: byte order on both databases).
/// One statement, whatever the number of schools.
pub async fn organisations_for_filter<C: ConnectionTrait>(
    c: &C,
    schools: &[Uuid],
    own: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if schools.is_empty() && own.is_empty() {
        return Ok(vec![]);
    }
    let mut cond = Condition::any();
    if !schools.is_empty() {
        cond = cond.add(
            organisation::Column::Id.in_subquery(
                Query::select()
                    .column(organisation_etablissement::Column::OrganisationId)
                    .from(organisation_etablissement::Entity)
                    .and_where(
                        Expr::col(organisation_etablissement::Column::EtablissementId)
                            .is_in(schools.iter().copied()),
                    )
                    .to_owned(),
            ),
        );
    }
    if !own.is_empty() {
        cond = cond.add(organisation::Column::Id.is_in(own.iter().copied()));
    }
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(cond)
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .into_tuple()
        .all(c)
        .await
}

/// Names of accounts.
pub async fn account_names<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::DisplayName])
        .filter(account::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(c)
        .await
}

/// Names of organisations.
pub async fn organisation_names<C: ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(ids.to_vec()))
        .into_tuple()
        .all(c)
        .await
}

/// The collectivité a support organisation belongs to, when it is one
/// (kind `collectivite`).
pub async fn collectivite_of_organisation<C: ConnectionTrait>(
    c: &C,
    org: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(support_organisation::Entity::find_by_id(org)
        .one(c)
        .await?
        .filter(|o| o.kind == "collectivite")
        .and_then(|o| o.collectivite_id))
}

/// The organisations of kind `collectivite` belonging to these
/// collectivités, and the schools these collectivités own.
pub async fn collectivite_reach<C: ConnectionTrait>(
    c: &C,
    collectivites: &[Uuid],
) -> Result<(Vec<Uuid>, Vec<Uuid>), DbErr> {
    if collectivites.is_empty() {
        return Ok((vec![], vec![]));
    }
    let orgs: Vec<Uuid> = support_organisation::Entity::find()
        .select_only()
        .column(support_organisation::Column::Id)
        .filter(support_organisation::Column::Kind.eq("collectivite"))
        .filter(support_organisation::Column::CollectiviteId.is_in(collectivites.to_vec()))
        .into_tuple()
        .all(c)
        .await?;
    let schools: Vec<Uuid> = etablissement::Entity::find()
        .select_only()
        .column(etablissement::Column::Id)
        .filter(etablissement::Column::CollectiviteId.is_in(collectivites.to_vec()))
        .into_tuple()
        .all(c)
        .await?;
    Ok((orgs, schools))
}

// ------------------------------------------------------------------ lists

/// How a list of tickets is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TicketSort {
    Number,
    #[default]
    Created,
    Priority,
    Due,
    Updated,
}

/// The filters of a ticket list. Empty fields filter nothing.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub etablissement_id: Option<Uuid>,
    /// Status codes; empty: every status.
    pub statuses: Vec<String>,
    pub priority: Option<String>,
    pub category: Option<String>,
    pub assigned_org_id: Option<Uuid>,
    /// Tickets the caller opened or is assigned to.
    pub mine_of: Option<Uuid>,
    /// Open tickets whose resolution due time is before this instant.
    pub overdue_at: Option<DateTime<Utc>>,
    pub unusable: bool,
    pub asset_id: Option<Uuid>,
    /// Folded search words, all of which must appear.
    pub words: Vec<String>,
}

/// The condition that limits tickets to what a policy scope shows. The
/// collectivité's part needs the organisations' collectivité: `org_of_coll`
/// lists the organisations belonging to the scope's collectivités, and
/// `schools_of_coll` their schools.
pub fn scope_condition(
    scope: &TicketScope,
    org_of_coll: &[Uuid],
    schools_of_coll: &[Uuid],
) -> Condition {
    if scope.all() {
        return Condition::all();
    }
    let mut cond = Condition::any()
        .add(ticket::Column::RequesterId.eq(scope.account_id()))
        .add(ticket::Column::AssigneeId.eq(scope.account_id()));
    if !scope.etablissements().is_empty() {
        cond = cond.add(ticket::Column::EtablissementId.is_in(scope.etablissements().to_vec()));
    }
    if !scope.organisations().is_empty() {
        cond = cond.add(ticket::Column::AssignedOrgId.is_in(scope.organisations().to_vec()));
    }
    if !org_of_coll.is_empty() && !schools_of_coll.is_empty() {
        cond = cond.add(
            Condition::all()
                .add(ticket::Column::AssignedOrgId.is_in(org_of_coll.to_vec()))
                .add(ticket::Column::EtablissementId.is_in(schools_of_coll.to_vec())),
        );
    }
    cond
}

/// The scope as a list condition, narrowed where that is exact, so that the
/// database can read one school's (or one organisation's) tickets through
/// its index instead of testing a disjunction on every ticket:
/// - a list limited to one school the caller sees entirely needs no scope;
/// - without collectivités, the scope is the caller's schools and
///   organisations plus the caller's own tickets (requested or assigned);
///   when none of those own tickets lies outside the schools and
///   organisations (one indexed look-up), the own part adds nothing.
pub async fn list_scope_condition<C: ConnectionTrait>(
    c: &C,
    scope: &TicketScope,
    org_of_coll: &[Uuid],
    schools_of_coll: &[Uuid],
    school_filter: Option<Uuid>,
) -> Result<Condition, DbErr> {
    if scope.all() {
        return Ok(Condition::all());
    }
    if school_filter.is_some_and(|e| scope.etablissements().contains(&e)) {
        return Ok(Condition::all());
    }
    let (schools, orgs) = (scope.etablissements(), scope.organisations());
    if org_of_coll.is_empty() && (!schools.is_empty() || !orgs.is_empty()) {
        let mut primary = Condition::any();
        let mut outside = Condition::all();
        if !schools.is_empty() {
            primary = primary.add(ticket::Column::EtablissementId.is_in(schools.to_vec()));
            outside = outside.add(ticket::Column::EtablissementId.is_not_in(schools.to_vec()));
        }
        if !orgs.is_empty() {
            primary = primary.add(ticket::Column::AssignedOrgId.is_in(orgs.to_vec()));
            outside = outside.add(
                Condition::any()
                    .add(ticket::Column::AssignedOrgId.is_null())
                    .add(ticket::Column::AssignedOrgId.is_not_in(orgs.to_vec())),
            );
        }
        // One look-up per column: each reads its own index (an `OR` of the
        // two may read the whole table).
        let me = scope.account_id();
        let mut own_outside = None;
        for col in [ticket::Column::RequesterId, ticket::Column::AssigneeId] {
            own_outside = ticket::Entity::find()
                .select_only()
                .column(ticket::Column::Id)
                .filter(col.eq(me))
                .filter(outside.clone())
                .limit(1)
                .into_tuple::<Uuid>()
                .one(c)
                .await?;
            if own_outside.is_some() {
                break;
            }
        }
        if own_outside.is_none() {
            return Ok(primary);
        }
    }
    Ok(scope_condition(scope, org_of_coll, schools_of_coll))
}

fn filter_condition(f: &TicketFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(e) = f.etablissement_id {
        cond = cond.add(ticket::Column::EtablissementId.eq(e));
    }
    if !f.statuses.is_empty() {
        cond = cond.add(ticket::Column::Status.is_in(f.statuses.clone()));
    }
    if let Some(p) = &f.priority {
        cond = cond.add(ticket::Column::Priority.eq(p.clone()));
    }
    if let Some(cat) = &f.category {
        cond = cond.add(ticket::Column::Category.eq(cat.clone()));
    }
    if let Some(o) = f.assigned_org_id {
        cond = cond.add(ticket::Column::AssignedOrgId.eq(o));
    }
    if let Some(me) = f.mine_of {
        cond = cond.add(
            Condition::any()
                .add(ticket::Column::RequesterId.eq(me))
                .add(ticket::Column::AssigneeId.eq(me)),
        );
    }
    if let Some(now) = f.overdue_at {
        cond = cond
            .add(ticket::Column::ResolutionDueAt.lt(now))
            .add(ticket::Column::Status.is_not_in(["resolved", "closed"]));
    }
    if f.unusable {
        cond = cond.add(ticket::Column::Unusable.eq(true));
    }
    if let Some(a) = f.asset_id {
        cond = cond.add(ticket::Column::AssetId.eq(a));
    }
    for w in &f.words {
        cond = cond.add(ticket::Column::SearchText.contains(w.as_str()));
    }
    cond
}

/// One page of tickets (`limit` rows from `offset`), in a scope.
#[allow(clippy::too_many_arguments)]
pub async fn list_tickets<C: ConnectionTrait>(
    c: &C,
    scope: Condition,
    filter: &TicketFilter,
    sort: TicketSort,
    desc: bool,
    offset: u64,
    limit: u64,
) -> Result<Vec<ticket::Model>, DbErr> {
    list_query(scope, filter, sort, desc, offset, limit)
        .all(c)
        .await
}

/// A ticket as the list page shows it: only the columns it reads (a whole
/// ticket row is three times as many, its description among them).
#[derive(Debug, Clone, FromQueryResult)]
pub struct TicketLine {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub number: i64,
    pub title: String,
    pub category: String,
    pub priority: String,
    pub unusable: bool,
    pub status: String,
    pub assignee_id: Option<Uuid>,
    pub assigned_org_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolution_due_at: Option<DateTime<Utc>>,
}

/// [`list_tickets`] reading only the columns of a [`TicketLine`].
pub async fn list_ticket_lines<C: ConnectionTrait>(
    c: &C,
    scope: Condition,
    filter: &TicketFilter,
    sort: TicketSort,
    desc: bool,
    offset: u64,
    limit: u64,
) -> Result<Vec<TicketLine>, DbErr> {
    use ticket::Column as T;
    list_query(scope, filter, sort, desc, offset, limit)
        .select_only()
        .columns([
            T::Id,
            T::EtablissementId,
            T::Number,
            T::Title,
            T::Category,
            T::Priority,
            T::Unusable,
            T::Status,
            T::AssigneeId,
            T::AssignedOrgId,
            T::CreatedAt,
            T::UpdatedAt,
            T::ResolutionDueAt,
        ])
        .into_model::<TicketLine>()
        .all(c)
        .await
}

fn list_query(
    scope: Condition,
    filter: &TicketFilter,
    sort: TicketSort,
    desc: bool,
    offset: u64,
    limit: u64,
) -> sea_orm::Select<ticket::Entity> {
    let order = if desc { Order::Desc } else { Order::Asc };
    let q = ticket::Entity::find()
        .filter(scope)
        .filter(filter_condition(filter));
    let q = match sort {
        TicketSort::Number => q
            .order_by(ticket::Column::Number, order.clone())
            .order_by(ticket::Column::EtablissementId, order.clone()),
        TicketSort::Created => q.order_by(ticket::Column::CreatedAt, order.clone()),
        TicketSort::Priority => q
            .order_by(ticket::Column::Priority, order.clone())
            .order_by(ticket::Column::CreatedAt, Order::Asc),
        TicketSort::Due => q
            .order_by(ticket::Column::ResolutionDueAt, order.clone())
            .order_by(ticket::Column::CreatedAt, Order::Asc),
        TicketSort::Updated => q.order_by(ticket::Column::UpdatedAt, order.clone()),
    };
    // Ties keep one order from page to page: by number (the order people
    // read), then by id (numbers repeat across schools).
    q.order_by(ticket::Column::Number, order.clone())
        .order_by(ticket::Column::Id, order)
        .offset(offset)
        .limit(limit)
}

/// How many tickets match, by priority (`p1`…`p4`), within the scope.
pub async fn count_by_priority<C: ConnectionTrait>(
    c: &C,
    scope: Condition,
    filter: &TicketFilter,
) -> Result<Vec<(String, i64)>, DbErr> {
    ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Priority)
        .column_as(ticket::Column::Id.count(), "n")
        .filter(scope)
        .filter(filter_condition(filter))
        .group_by(ticket::Column::Priority)
        .into_tuple()
        .all(c)
        .await
}

// ---------------------------------------------------------- notifications

pub struct NewNotification {
    pub account_id: Uuid,
    pub ticket_id: Option<Uuid>,
    pub etablissement_id: Option<Uuid>,
    pub kind: String,
    pub title: String,
    pub link: String,
}

/// Inserts notifications, in the caller's transaction.
pub async fn notify<C: ConnectionTrait>(
    c: &C,
    items: Vec<NewNotification>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if items.is_empty() {
        return Ok(());
    }
    let rows = items.into_iter().map(|n| notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(n.account_id),
        ticket_id: Set(n.ticket_id),
        etablissement_id: Set(n.etablissement_id),
        kind: Set(n.kind),
        title: Set(n.title),
        link: Set(n.link),
        created_at: Set(now),
        read_at: Set(None),
        emailed_at: Set(None),
    });
    notification::Entity::insert_many(rows)
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn notifications_of_ticket<C: ConnectionTrait>(
    c: &C,
    ticket_id: Uuid,
) -> Result<Vec<notification::Model>, DbErr> {
    notification::Entity::find()
        .filter(notification::Column::TicketId.eq(ticket_id))
        .order_by_asc(notification::Column::CreatedAt)
        .all(c)
        .await
}

// ------------------------------------------------------------ QR throttle

/// Counts one report under a throttle key and tells whether it is still
/// within `max` reports per window. Run in the write transaction.
pub async fn throttle_hit<C: ConnectionTrait>(
    c: &C,
    key: &str,
    max: i32,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let current = throttle::Entity::find_by_id(key.to_owned()).one(c).await?;
    let hits = match current {
        Some(t) if t.window_started_at + window > now => {
            if t.hits >= max {
                return Ok(false);
            }
            throttle::Entity::update_many()
                .col_expr(
                    throttle::Column::Hits,
                    Expr::col(throttle::Column::Hits).add(1),
                )
                .filter(throttle::Column::Key.eq(key))
                .exec(c)
                .await?;
            t.hits + 1
        }
        Some(_) => {
            throttle::Entity::update_many()
                .col_expr(throttle::Column::Hits, Expr::value(1))
                .col_expr(throttle::Column::WindowStartedAt, Expr::value(now))
                .filter(throttle::Column::Key.eq(key))
                .exec(c)
                .await?;
            1
        }
        None => {
            throttle::Entity::insert(throttle::ActiveModel {
                key: Set(key.to_owned()),
                hits: Set(1),
                window_started_at: Set(now),
            })
            .on_conflict_do_nothing_on([throttle::Column::Key])
            .exec_without_returning(c)
            .await?;
            1
        }
    };
    Ok(hits <= max)
}
