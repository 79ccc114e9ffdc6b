//! The home page: what the caller has to do today (each line a count and
//! the filtered list it leads to), then a few figures of their scope.

use crate::Ctx;
use crate::error::Result;
use refnum_db::scalars::Scalars;
use refnum_db::{Db, accounts, orgs, parc};
use refnum_domain::policy::{self, EtabAction, EtabFacts};
use refnum_domain::role::{Role, ScopeRef};
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
    /// The school's mission letter awaiting the head's signature.
    LetterToSign,
    /// A signed letter naming the caller, not acknowledged yet.
    LetterToAcknowledge,
    /// The comité's actions past their due date.
    ComiteActionsOverdue,
    /// Unread notifications.
    Notifications,
}

/// What the home shows: the figures and what to do today.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub figures: HomeFigures,
    pub todos: Vec<Todo>,
}

/// The names of the figures the home reads in its one statement.
mod f {
    pub const ETABS: &str = "etablissements";
    pub const PUPILS: &str = "pupils";
    pub const STAFF: &str = "staff";
    pub const TEACHERS: &str = "teachers";
    pub const AUDIT: &str = "audit_events";
    pub const ACCOUNTS: &str = "accounts";
    pub const P1: &str = "tickets_p1";
    pub const P2: &str = "tickets_p2";
    pub const OVERDUE: &str = "tickets_overdue";
    pub const TO_APPROVE: &str = "bookings_to_approve";
    pub const LOANS_OVERDUE: &str = "loans_overdue";
    pub const WARRANTIES: &str = "warranties_ending";
    pub const STALE: &str = "directory_stale";
    pub const HANDLED_OPEN: &str = "handled_open";
    pub const HANDLED_OVERDUE: &str = "handled_overdue";
    pub const NO_REFERENT: &str = "schools_without_referent";
    pub const MY_TICKETS: &str = "my_tickets";
    pub const MY_BOOKINGS: &str = "my_bookings";
    pub const MY_LOANS: &str = "my_loans";
    pub const TO_SIGN: &str = "letters_to_sign";
    pub const TO_ACKNOWLEDGE: &str = "letters_to_acknowledge";
    pub const COMITE_OVERDUE: &str = "comite_actions_overdue";
}

/// The figures of the caller's scope and what they have to do today, in
/// the current school and in what they handle: every count is asked of the
/// database in one statement (a technician's or a collectivité's scope
/// adds its look-ups first). Each line is asked of the policy for its
/// object kind once; lines with nothing to do are left out, but for the
/// caller's own items. `unread` is the unread count the page's header
/// already read (capped at the header's cap), if any: below the cap it is
/// the exact count.
pub async fn read(db: &Db, ctx: &Ctx, unread: Option<u64>) -> Result<Home> {
    use crate::assistance::list::{ListInput, to_count};
    let c = &db.conn;
    let mut s = Scalars::new();
    // The figures.
    let scope = ctx.scope();
    s.count(f::ETABS, orgs::etablissements_in(&scope));
    s.value(f::PUPILS, orgs::pupils_in(&scope));
    let cur = ctx.current.as_ref();
    if let Some(e) = cur {
        if ctx.may_on_current(EtabAction::ViewPeople) {
            s.rows(f::STAFF, accounts::members_of(e.id, None));
            s.rows(
                f::TEACHERS,
                accounts::members_of(e.id, Some(Role::Enseignant.as_str())),
            );
        }
        if ctx.may_on_current(EtabAction::ReadAudit) {
            s.count(f::AUDIT, refnum_db::audit::events_of(Some(e.id)));
        }
    }
    if ctx.actor.is_admin() {
        s.count(f::ACCOUNTS, accounts::every_account());
    }
    // What to do in the current school.
    if let Some(e) = cur {
        if ctx.may_on_current(EtabAction::ManageTickets) {
            let open = ListInput {
                etablissement_id: Some(e.id),
                ..ListInput::default()
            };
            let inputs = [
                ListInput {
                    priority: "p1".into(),
                    ..open.clone()
                },
                ListInput {
                    priority: "p2".into(),
                    ..open.clone()
                },
                ListInput {
                    overdue: true,
                    ..open
                },
            ];
            let counted = to_count(db, ctx, &inputs).await?;
            for (name, q) in [f::P1, f::P2, f::OVERDUE].into_iter().zip(counted) {
                s.count(name, q);
            }
        }
        if ctx.may_on_current(EtabAction::ViewBookings) {
            let roles = approver_roles(db, ctx, e).await?;
            if !roles.is_empty() {
                s.count(
                    f::TO_APPROVE,
                    refnum_db::reservations::pending_for(e.id, &roles),
                );
            }
        }
        if ctx.may_on_current(EtabAction::ManageLoans) {
            s.count(
                f::LOANS_OVERDUE,
                refnum_db::prets::overdue_of(e.id, crate::prets::today()),
            );
        }
        if ctx.may_on_current(EtabAction::ManageParc) {
            let w = parc::AssetFilter {
                warranty: Some(parc::WarrantyFilter::EndsSoon),
                ..Default::default()
            };
            s.count(f::WARRANTIES, parc::assets_where(e.id, &w));
        }
        if ctx.may_on_current(EtabAction::SignMissionLetter) {
            s.count(f::TO_SIGN, refnum_db::pilotage::proposed_of(e.id));
        }
        if ctx.has_role(Role::Referent) && ctx.may_on_current(EtabAction::ViewMissionLetters) {
            s.count(
                f::TO_ACKNOWLEDGE,
                refnum_db::pilotage::to_acknowledge(e.id, ctx.account.id),
            );
        }
        if ctx.may_on_current(EtabAction::ManageComite) {
            s.count(
                f::COMITE_OVERDUE,
                refnum_db::pilotage::comite::overdue_count_of(
                    e.id,
                    crate::pilotage::comite::today(),
                ),
            );
        }
        if ctx.may_on_current(EtabAction::ManageDirectory) {
            let sources = refnum_io::annuaire::Source::ALL.map(|s| s.as_str());
            // Stale: applied more than STALE_DAYS whole days ago.
            let cutoff =
                chrono::Utc::now() - chrono::Duration::days(crate::annuaire::STALE_DAYS + 1);
            s.rows(
                f::STALE,
                refnum_db::annuaire::stale_sources(e.id, &sources, cutoff),
            );
        }
    }
    // Support technicians and collectivités: what is assigned or escalated
    // to them, over every school they serve.
    let handles = ctx.has_role(Role::Prestataire) || ctx.has_role(Role::Collectivite);
    if handles {
        let inputs = [
            ListInput::default(),
            ListInput {
                overdue: true,
                ..ListInput::default()
            },
        ];
        let counted = to_count(db, ctx, &inputs).await?;
        for (name, q) in [f::HANDLED_OPEN, f::HANDLED_OVERDUE]
            .into_iter()
            .zip(counted)
        {
            s.count(name, q);
        }
    }
    // The DANE: the schools of its académie that have no referent yet.
    if ctx.has_role(Role::Dane) {
        s.count(
            f::NO_REFERENT,
            orgs::without_role_in(&scope, Role::Referent.as_str()),
        );
    }
    // One's own: tickets, this week's bookings, loans, in the current school.
    let (my_tickets, my_bookings, my_loans) = match cur {
        Some(_) => (
            ctx.may_on_current(EtabAction::ReportFault),
            ctx.may_on_current(EtabAction::Book),
            ctx.may_on_current(EtabAction::ViewOwnLoans),
        ),
        None => (false, false, false),
    };
    if let Some(e) = cur {
        if my_tickets {
            let mine = ListInput {
                mine: true,
                ..ListInput::default()
            };
            if let Some(q) = to_count(db, ctx, &[mine]).await?.pop() {
                s.count(f::MY_TICKETS, q);
            }
        }
        if my_bookings {
            let today = crate::reservations::today();
            let monday = today
                - chrono::Duration::days(i64::from(
                    chrono::Datelike::weekday(&today).num_days_from_monday(),
                ));
            let sunday = monday + chrono::Duration::days(6);
            s.count(
                f::MY_BOOKINGS,
                refnum_db::reservations::of_person_between(
                    e.id,
                    ctx.account.id,
                    today.max(monday),
                    sunday,
                ),
            );
        }
        if my_loans {
            s.count(
                f::MY_LOANS,
                refnum_db::prets::out_of_staff(e.id, ctx.account.id),
            );
        }
    }
    let v = s.run(c).await?;

    let present = |name: &str| v.get(name).map(|n| u64::try_from(n).unwrap_or(0));
    let figures = HomeFigures {
        etablissements: v.count(f::ETABS),
        pupils: v.get(f::PUPILS).unwrap_or(0),
        staff: present(f::STAFF),
        teachers: present(f::TEACHERS),
        accounts: present(f::ACCOUNTS),
        audit_events: present(f::AUDIT),
    };
    let mut todos = vec![];
    let mut push = |kind, name: &str, etab: Option<Uuid>, always: bool| {
        let count = v.count(name);
        if count > 0 || always {
            todos.push(Todo { kind, count, etab });
        }
    };
    let cur_id = cur.map(|e| e.id);
    let on_school = [
        (TodoKind::TicketsP1, f::P1),
        (TodoKind::TicketsP2, f::P2),
        (TodoKind::TicketsOverdue, f::OVERDUE),
        (TodoKind::BookingsToApprove, f::TO_APPROVE),
        (TodoKind::LoansOverdue, f::LOANS_OVERDUE),
        (TodoKind::WarrantiesEnding, f::WARRANTIES),
        (TodoKind::DirectoryStale, f::STALE),
        (TodoKind::LetterToSign, f::TO_SIGN),
        (TodoKind::LetterToAcknowledge, f::TO_ACKNOWLEDGE),
        (TodoKind::ComiteActionsOverdue, f::COMITE_OVERDUE),
    ];
    for (kind, name) in on_school {
        push(kind, name, cur_id, false);
    }
    if handles {
        push(TodoKind::HandledOpen, f::HANDLED_OPEN, None, true);
        push(TodoKind::HandledOverdue, f::HANDLED_OVERDUE, None, false);
    }
    push(
        TodoKind::SchoolsWithoutReferent,
        f::NO_REFERENT,
        None,
        false,
    );
    if my_tickets {
        push(TodoKind::MyTickets, f::MY_TICKETS, cur_id, true);
    }
    if my_bookings {
        push(TodoKind::MyBookingsThisWeek, f::MY_BOOKINGS, cur_id, true);
    }
    push(TodoKind::MyLoans, f::MY_LOANS, cur_id, false);
    let unread = match unread {
        Some(n) if n < crate::support::notifications::HEADER_CAP => n,
        _ => crate::support::notifications::unread_count(db, ctx.account.id).await?,
    };
    if unread > 0 {
        todos.push(Todo {
            kind: TodoKind::Notifications,
            count: unread,
            etab: None,
        });
    }
    Ok(Home { figures, todos })
}

/// The approval roles whose bookings the caller approves in a school (every
/// role when they manage the school's bookings).
async fn approver_roles(
    db: &Db,
    ctx: &Ctx,
    e: &refnum_db::entities::etablissement::Model,
) -> Result<Vec<&'static str>> {
    // A support organisation's roles cover a school through the
    // organisations that serve it: read them only for a caller who has one.
    let facts = if ctx
        .actor
        .memberships
        .iter()
        .any(|m| matches!(m.scope, ScopeRef::Organisation(_)))
    {
        orgs::etab_facts(&db.conn, e).await?
    } else {
        EtabFacts {
            id: e.id,
            academie_id: e.academie_id,
            collectivite_id: e.collectivite_id,
            organisation_ids: vec![],
        }
    };
    Ok(Role::ALL
        .into_iter()
        .filter(|r| policy::may_approve(&ctx.actor, &facts, *r))
        .map(Role::as_str)
        .collect())
}
