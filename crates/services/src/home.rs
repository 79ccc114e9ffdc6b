//! The home page: what the caller has to do today (each line a count and
//! the filtered list it leads to), then a few figures of their scope.

use crate::Ctx;
use crate::error::Result;
use refnum_db::{Db, accounts, orgs};
use refnum_domain::policy::EtabAction;
use refnum_domain::role::Role;
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct HomeFigures {
    /// Schools the caller can see.
    pub etablissements: u64,
    /// Pupils of those schools (the recorded pupil counts).
    pub pupils: i64,
    /// People with a role in the current school.
    pub staff: Option<u64>,
    pub teachers: Option<u64>,
    /// Accounts of the instance (admin only).
    pub accounts: Option<u64>,
    /// Audit events of the current school (direction, referent).
    pub audit_events: Option<u64>,
}

pub async fn figures(db: &Db, ctx: &Ctx) -> Result<HomeFigures> {
    let scope = ctx.scope();
    let mut f = HomeFigures {
        etablissements: orgs::count_etablissements(&db.conn, &scope).await?,
        pupils: orgs::sum_pupils(&db.conn, &scope).await?,
        ..Default::default()
    };
    if let Some(cur) = &ctx.current {
        if ctx.may_on_current(EtabAction::ViewPeople) {
            f.staff = Some(accounts::count_members(&db.conn, cur.id, None).await?);
            f.teachers = Some(accounts::count_members(&db.conn, cur.id, Some("enseignant")).await?);
        }
        if ctx.may_on_current(EtabAction::ReadAudit) {
            f.audit_events = Some(refnum_db::audit::count(&db.conn, Some(cur.id)).await?);
        }
    }
    if ctx.actor.is_admin() {
        f.accounts = Some(accounts::count_all(&db.conn).await?);
    }
    Ok(f)
}

/// One thing to do today: what, how many, for which school. The page turns
/// the kind into its sentence and its link (a filtered list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    pub kind: TodoKind,
    pub count: u64,
    pub etab: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodoKind {
    /// Open tickets of the school, priority P1 (urgent) and P2.
    TicketsP1,
    TicketsP2,
    /// Open tickets of the school past their resolution due time.
    TicketsOverdue,
    /// Bookings waiting for the caller's approval.
    BookingsToApprove,
    /// Loans of the school past their return date.
    LoansOverdue,
    /// Equipment whose warranty ends within 90 days.
    WarrantiesEnding,
    /// Directory sources not refreshed for 45 days.
    DirectoryStale,
    /// Tickets the caller's organisation or collectivité handles, open,
    /// and those overdue.
    HandledOpen,
    HandledOverdue,
    /// Schools of the DANE's académie with no digital referent.
    SchoolsWithoutReferent,
    /// The caller's own open tickets, bookings this week, loans out.
    MyTickets,
    MyBookingsThisWeek,
    MyLoans,
    /// Unread notifications.
    Notifications,
}

/// What the caller has to do today, in the current school and in what
/// they handle. Each line is asked of the policy for its object kind once;
/// lines with nothing to do are left out, but for the caller's own items.
/// `unread` is the unread count the page's header already read (capped at
/// the header's cap), if any: below the cap it is the exact count.
pub async fn today(db: &Db, ctx: &Ctx, unread: Option<u64>) -> Result<Vec<Todo>> {
    use crate::assistance::list::{ListInput, count_by_priority};
    let c = &db.conn;
    let mut out = vec![];
    let mut push = |kind, count: u64, etab: Option<Uuid>, always: bool| {
        if count > 0 || always {
            out.push(Todo { kind, count, etab });
        }
    };
    let cur = ctx.current.as_ref().map(|e| e.id);
    if let Some(id) = cur {
        if ctx.may_on_current(EtabAction::ManageTickets) {
            let open = ListInput {
                etablissement_id: Some(id),
                ..ListInput::default()
            };
            let by = count_by_priority(db, ctx, &open).await?;
            let of = |p: &str| {
                by.iter()
                    .filter(|(k, _)| k == p)
                    .map(|(_, n)| *n as u64)
                    .sum::<u64>()
            };
            push(TodoKind::TicketsP1, of("p1"), cur, false);
            push(TodoKind::TicketsP2, of("p2"), cur, false);
            let late = ListInput {
                overdue: true,
                ..open
            };
            let n = count_by_priority(db, ctx, &late).await?;
            push(
                TodoKind::TicketsOverdue,
                n.iter().map(|(_, n)| *n as u64).sum(),
                cur,
                false,
            );
        }
        if ctx.may_on_current(EtabAction::ViewBookings) {
            let n = crate::reservations::views::to_approve_count(db, ctx, id).await?;
            push(TodoKind::BookingsToApprove, n, cur, false);
        }
        if ctx.may_on_current(EtabAction::ManageLoans) {
            let n = refnum_db::loans::count_overdue(c, id, crate::loans::today()).await?;
            push(TodoKind::LoansOverdue, n, cur, false);
        }
        if ctx.may_on_current(EtabAction::ManageParc) {
            let f = refnum_db::parc::AssetFilter {
                warranty: Some(refnum_db::parc::WarrantyFilter::EndsSoon),
                ..Default::default()
            };
            let n = refnum_db::parc::count_assets(c, id, &f).await?;
            push(TodoKind::WarrantiesEnding, n, cur, false);
        }
        if ctx.may_on_current(EtabAction::ManageDirectory) {
            let n = crate::annuaire::freshness(db, id)
                .await?
                .iter()
                .filter(|f| f.stale)
                .count() as u64;
            push(TodoKind::DirectoryStale, n, cur, false);
        }
    }
    // Support technicians and collectivités: what is assigned or escalated
    // to them, over every school they serve.
    if ctx.has_role(Role::Prestataire) || ctx.has_role(Role::Collectivite) {
        let all = ListInput::default();
        let open: u64 = count_by_priority(db, ctx, &all)
            .await?
            .iter()
            .map(|(_, n)| *n as u64)
            .sum();
        push(TodoKind::HandledOpen, open, None, true);
        let late = ListInput {
            overdue: true,
            ..ListInput::default()
        };
        let n: u64 = count_by_priority(db, ctx, &late)
            .await?
            .iter()
            .map(|(_, n)| *n as u64)
            .sum();
        push(TodoKind::HandledOverdue, n, None, false);
    }
    // The DANE: the schools of its académie that have no referent yet.
    if ctx.has_role(Role::Dane) {
        let n = orgs::count_without_role(c, &ctx.scope(), Role::Referent.as_str()).await?;
        push(TodoKind::SchoolsWithoutReferent, n, None, false);
    }
    // One's own: tickets, this week's bookings, loans, in the current school.
    if let Some(id) = cur {
        if ctx.may_on_current(EtabAction::ReportFault) {
            let mine = ListInput {
                mine: true,
                ..ListInput::default()
            };
            let n: u64 = count_by_priority(db, ctx, &mine)
                .await?
                .iter()
                .map(|(_, n)| *n as u64)
                .sum();
            push(TodoKind::MyTickets, n, cur, true);
        }
        if ctx.may_on_current(EtabAction::Book) {
            let today = crate::reservations::today();
            let monday = today
                - chrono::Duration::days(i64::from(
                    chrono::Datelike::weekday(&today).num_days_from_monday(),
                ));
            let sunday = monday + chrono::Duration::days(6);
            let n = refnum_db::bookings::count_of_person_between(
                c,
                id,
                ctx.account.id,
                today.max(monday),
                sunday,
            )
            .await?;
            push(TodoKind::MyBookingsThisWeek, n, cur, true);
        }
        if ctx.may_on_current(EtabAction::ViewOwnLoans) {
            let n = refnum_db::loans::count_out_of_staff(c, id, ctx.account.id).await?;
            push(TodoKind::MyLoans, n, cur, false);
        }
    }
    let unread = match unread {
        Some(n) if n < crate::support::notifications::HEADER_CAP => n,
        _ => crate::support::notifications::unread_count(db, ctx.account.id).await?,
    };
    push(TodoKind::Notifications, unread, None, false);
    Ok(out)
}
