//! The lists of tickets: what the caller may see (`ticket_scope`), filtered,
//! sorted and paged on the server.

use crate::Ctx;
use crate::error::Result;
use chrono::Utc;
use refnum_db::assistance::{self as q, TicketFilter};
use refnum_db::entities::assistance::ticket;
use refnum_db::{Db, orgs};
use refnum_domain::policy::ticket_scope;
use refnum_domain::role::{Role, ScopeRef};
use refnum_domain::search;
use refnum_domain::ticket::{Priority, TicketCategory, TicketStatus};
use std::collections::HashMap;
use uuid::Uuid;

pub use refnum_db::assistance::TicketSort;

/// `status`: empty for the open ones, `all`, or one status code.
#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub etablissement_id: Option<Uuid>,
    pub status: String,
    pub priority: String,
    pub category: String,
    pub organisation_id: Option<Uuid>,
    pub mine: bool,
    pub overdue: bool,
    pub unusable: bool,
    pub q: String,
    pub sort: TicketSort,
    pub desc: bool,
    pub page: u64,
    pub per_page: u64,
}

/// A row of a list: the ticket (whole for the API, [`q::TicketLine`] for
/// the page) and the names it shows.
pub struct Row<T = ticket::Model> {
    pub ticket: T,
    pub school: String,
    pub organisation: Option<String>,
    pub assignee: Option<String>,
    pub overdue: bool,
}

pub struct Listing<T = ticket::Model> {
    pub rows: Vec<Row<T>>,
    pub has_next: bool,
    /// Schools the caller may filter on.
    pub schools: Vec<(Uuid, String)>,
    /// Organisations the caller may filter on.
    pub organisations: Vec<(Uuid, String)>,
}

/// Turns the filter input into the query's filter (unknown codes are
/// ignored, the default is the open tickets).
pub fn filter_of(ctx: &Ctx, input: &ListInput) -> TicketFilter {
    let statuses = match input.status.as_str() {
        "all" => vec![],
        s => match TicketStatus::parse(s) {
            Some(st) => vec![st.as_str().to_string()],
            None => TicketStatus::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .map(|s| s.as_str().to_string())
                .collect(),
        },
    };
    let now = Utc::now();
    TicketFilter {
        etablissement_id: input.etablissement_id,
        statuses,
        priority: Priority::parse(&input.priority).map(|p| p.as_str().to_string()),
        category: TicketCategory::parse(&input.category).map(|c| c.as_str().to_string()),
        assigned_org_id: input.organisation_id,
        mine_of: input.mine.then_some(ctx.account.id),
        overdue_at: input.overdue.then_some(now),
        unusable: input.unusable,
        asset_id: None,
        words: search::fold(&input.q)
            .split_whitespace()
            .take(5)
            .map(str::to_string)
            .collect(),
    }
}

/// The condition that limits a list to the caller's scope, for this
/// filter. A list of the caller's own tickets needs none: the scope always
/// holds the tickets one requested or is assigned, and the filter keeps
/// only those.
async fn scope_of(db: &Db, ctx: &Ctx, filter: &TicketFilter) -> Result<sea_orm::Condition> {
    if filter.mine_of == Some(ctx.account.id) {
        return Ok(sea_orm::Condition::all());
    }
    let scope = ticket_scope(&ctx.actor);
    let c = &db.conn;
    let (coll_orgs, coll_schools) = q::collectivite_reach(c, scope.collectivites()).await?;
    Ok(q::list_scope_condition(
        c,
        &scope,
        &coll_orgs,
        &coll_schools,
        filter.etablissement_id,
    )
    .await?)
}

/// The tickets each list would hold with these inputs, as queries to count
/// (the same scope and filter as [`list`]). Inputs on the same school (or
/// on every school) share their scope's look-ups.
pub async fn to_count(
    db: &Db,
    ctx: &Ctx,
    inputs: &[ListInput],
) -> Result<Vec<sea_orm::sea_query::SelectStatement>> {
    let mut conds: Vec<((Option<Uuid>, bool), sea_orm::Condition)> = vec![];
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        let filter = filter_of(ctx, input);
        let key = (filter.etablissement_id, input.mine);
        let cond = match conds.iter().find(|(k, _)| *k == key) {
            Some((_, c)) => c.clone(),
            None => {
                let c = scope_of(db, ctx, &filter).await?;
                conds.push((key, c.clone()));
                c
            }
        };
        out.push(q::tickets_where(cond, &filter));
    }
    Ok(out)
}

/// What a list needs of a ticket, whole or as a line.
pub trait Listed: Sized {
    fn fetch(
        c: &refnum_db::Conn<sea_orm::DatabaseConnection>,
        cond: sea_orm::Condition,
        filter: &TicketFilter,
        sort: TicketSort,
        desc: bool,
        offset: u64,
        limit: u64,
    ) -> impl std::future::Future<Output = std::result::Result<Vec<Self>, sea_orm::DbErr>> + Send;
    fn etablissement_id(&self) -> Uuid;
    fn assigned_org_id(&self) -> Option<Uuid>;
    fn assignee_id(&self) -> Option<Uuid>;
    fn status(&self) -> &str;
    fn resolution_due_at(&self) -> Option<chrono::DateTime<Utc>>;
}

macro_rules! listed {
    ($t:ty, $fetch:path) => {
        impl Listed for $t {
            async fn fetch(
                c: &refnum_db::Conn<sea_orm::DatabaseConnection>,
                cond: sea_orm::Condition,
                filter: &TicketFilter,
                sort: TicketSort,
                desc: bool,
                offset: u64,
                limit: u64,
            ) -> std::result::Result<Vec<Self>, sea_orm::DbErr> {
                $fetch(c, cond, filter, sort, desc, offset, limit).await
            }
            fn etablissement_id(&self) -> Uuid {
                self.etablissement_id
            }
            fn assigned_org_id(&self) -> Option<Uuid> {
                self.assigned_org_id
            }
            fn assignee_id(&self) -> Option<Uuid> {
                self.assignee_id
            }
            fn status(&self) -> &str {
                &self.status
            }
            fn resolution_due_at(&self) -> Option<chrono::DateTime<Utc>> {
                self.resolution_due_at
            }
        }
    };
}
listed!(ticket::Model, q::list_tickets);
listed!(q::TicketLine, q::list_ticket_lines);

/// A page of whole tickets (the API).
pub async fn list(db: &Db, ctx: &Ctx, input: &ListInput) -> Result<Listing> {
    list_of(db, ctx, input).await
}

/// A page of ticket lines (the list page): the same rows, fewer columns.
pub async fn list_lines(db: &Db, ctx: &Ctx, input: &ListInput) -> Result<Listing<q::TicketLine>> {
    list_of(db, ctx, input).await
}

async fn list_of<T: Listed>(db: &Db, ctx: &Ctx, input: &ListInput) -> Result<Listing<T>> {
    let c = &db.conn;
    let filter = filter_of(ctx, input);
    let cond = scope_of(db, ctx, &filter).await?;
    let per_page = input.per_page.clamp(1, 200);
    let offset = input.page.saturating_sub(1) * per_page;
    let mut tickets = T::fetch(
        c,
        cond,
        &filter,
        input.sort,
        input.desc,
        offset,
        per_page + 1,
    )
    .await?;
    let has_next = tickets.len() as u64 > per_page;
    tickets.truncate(per_page as usize);
    let mut etab_ids: Vec<Uuid> = tickets.iter().map(|t| t.etablissement_id()).collect();
    etab_ids.sort();
    etab_ids.dedup();
    // The caller's own schools are in the context already; others are read.
    let mut schools_of_rows: HashMap<Uuid, String> = ctx
        .schools
        .iter()
        .filter(|e| etab_ids.binary_search(&e.id).is_ok())
        .map(|e| (e.id, format!("{} ({})", e.name, e.uai)))
        .collect();
    etab_ids.retain(|id| !schools_of_rows.contains_key(id));
    schools_of_rows.extend(
        orgs::get_etablissements_by_ids(c, &etab_ids)
            .await?
            .into_iter()
            .map(|e| (e.id, format!("{} ({})", e.name, e.uai))),
    );
    // Each name once: a page of one organisation's tickets names it once.
    let mut org_ids: Vec<Uuid> = tickets.iter().filter_map(|t| t.assigned_org_id()).collect();
    org_ids.sort();
    org_ids.dedup();
    let org_names: HashMap<Uuid, String> = q::organisation_names(c, &org_ids)
        .await?
        .into_iter()
        .collect();
    let mut people: Vec<Uuid> = tickets.iter().filter_map(|t| t.assignee_id()).collect();
    people.sort();
    people.dedup();
    let people: HashMap<Uuid, String> = q::account_names(c, &people).await?.into_iter().collect();
    let now = Utc::now();
    let rows = tickets
        .into_iter()
        .map(|t| Row {
            school: schools_of_rows
                .get(&t.etablissement_id())
                .cloned()
                .unwrap_or_default(),
            organisation: t.assigned_org_id().and_then(|o| org_names.get(&o).cloned()),
            assignee: t.assignee_id().and_then(|a| people.get(&a).cloned()),
            overdue: TicketStatus::parse(t.status()).is_some_and(TicketStatus::is_open)
                && t.resolution_due_at().is_some_and(|d| d < now),
            ticket: t,
        })
        .collect();
    let schools: Vec<(Uuid, String)> = ctx
        .schools
        .iter()
        .map(|e| (e.id, format!("{} ({})", e.name, e.uai)))
        .collect();
    let school_ids: Vec<Uuid> = schools.iter().map(|(id, _)| *id).collect();
    let own_orgs: Vec<Uuid> = ctx
        .actor
        .memberships
        .iter()
        .filter_map(|m| match (m.role, m.scope) {
            (Role::Prestataire, ScopeRef::Organisation(o)) => Some(o),
            _ => None,
        })
        .collect();
    // Sorted here, as before, so that both databases give the same order
    // whatever their collation.
    let mut organisations = q::organisations_for_filter(c, &school_ids, &own_orgs).await?;
    organisations.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(Listing {
        rows,
        has_next,
        schools,
        organisations,
    })
}
