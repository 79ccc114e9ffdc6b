//! The ticket lists: who sees which tickets (the scope as a condition),
//! the filters and sorts, a page of tickets or of ticket lines, the counts
//! by priority.

use crate::entities::assistance::ticket;
use crate::scalars::Scalars;
use chrono::{DateTime, Utc};
use refnum_domain::policy::TicketScope;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Order,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

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
        // One `EXISTS` per column, both in one statement: each reads its
        // own index (an `OR` of the two may read the whole table).
        let me = scope.account_id();
        let mut s = Scalars::new();
        for (name, col) in [
            ("own_requested", ticket::Column::RequesterId),
            ("own_assigned", ticket::Column::AssigneeId),
        ] {
            s.exists(
                name,
                Query::select()
                    .column(ticket::Column::Id)
                    .from(ticket::Entity)
                    .cond_where(Condition::all().add(col.eq(me)).add(outside.clone()))
                    .to_owned(),
            );
        }
        let own = s.run(c).await?;
        if own.count("own_requested") + own.count("own_assigned") == 0 {
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

/// The tickets of a scope that a filter keeps, to count.
pub fn tickets_where(scope: Condition, filter: &TicketFilter) -> SelectStatement {
    Query::select()
        .from(ticket::Entity)
        .cond_where(Condition::all().add(scope).add(filter_condition(filter)))
        .to_owned()
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
