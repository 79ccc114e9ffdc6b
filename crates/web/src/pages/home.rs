use super::{SignedIn, Stat, render, role_label};
use crate::AppState;
use crate::errors::PageError;
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use refnum_db::entities::etablissement;
use refnum_services::home::{self, Todo, TodoKind};

/// One line of "À faire aujourd'hui": a sentence with its count, and the
/// filtered list it opens.
pub struct TodoLine {
    pub text: String,
    pub href: String,
    pub count: u64,
    /// Urgent things stand out (urgent or overdue tickets, overdue loans).
    pub urgent: bool,
}

fn todo_line(tr: crate::i18n::Tr, t: &Todo) -> Option<TodoLine> {
    use TodoKind as K;
    let etab = t.etab;
    let (key, href, urgent) = match (t.kind, etab) {
        (K::TicketsP1, Some(e)) => (
            "home-todo-tickets-p1",
            format!(
                "{}?etablissement={e}&priorite=p1",
                urls::assistance::TICKETS
            ),
            true,
        ),
        (K::TicketsP2, Some(e)) => (
            "home-todo-tickets-p2",
            format!(
                "{}?etablissement={e}&priorite=p2",
                urls::assistance::TICKETS
            ),
            false,
        ),
        (K::TicketsOverdue, Some(e)) => (
            "home-todo-tickets-overdue",
            format!(
                "{}?etablissement={e}&retard=1&tri=echeance&ordre=asc",
                urls::assistance::TICKETS
            ),
            true,
        ),
        (K::BookingsToApprove, Some(e)) => (
            "home-todo-bookings-to-approve",
            urls::reservations::mine(e),
            false,
        ),
        (K::LoansOverdue, Some(e)) => (
            "home-todo-loans-overdue",
            format!("{}?vue=en-retard", urls::prets::loans(e)),
            true,
        ),
        (K::WarrantiesEnding, Some(e)) => (
            "home-todo-warranties",
            format!("{}?garantie=bientot&tri=garantie", urls::parc::assets(e)),
            false,
        ),
        (K::DirectoryStale, Some(e)) => (
            "home-todo-directory-stale",
            urls::annuaire_overview(e),
            false,
        ),
        (K::HandledOpen, _) => (
            "home-todo-handled-open",
            format!("{}?tri=echeance&ordre=asc", urls::assistance::TICKETS),
            false,
        ),
        (K::HandledOverdue, _) => (
            "home-todo-handled-overdue",
            format!(
                "{}?retard=1&tri=echeance&ordre=asc",
                urls::assistance::TICKETS
            ),
            true,
        ),
        (K::SchoolsWithoutReferent, _) => (
            "home-todo-schools-without-referent",
            format!("{}?sans=referent", urls::ETABS),
            false,
        ),
        (K::MyTickets, _) => (
            "home-todo-my-tickets",
            format!("{}?moi=1", urls::assistance::TICKETS),
            false,
        ),
        (K::MyBookingsThisWeek, Some(e)) => {
            ("home-todo-my-bookings", urls::reservations::mine(e), false)
        }
        (K::MyLoans, Some(e)) => ("home-todo-my-loans", urls::prets::mine(e), false),
        (K::LetterToSign, Some(e)) => ("home-todo-letter-to-sign", urls::pilotage::home(e), true),
        (K::LetterToAcknowledge, Some(e)) => (
            "home-todo-letter-to-acknowledge",
            urls::pilotage::home(e),
            false,
        ),
        (K::ComiteActionsOverdue, Some(e)) => {
            ("home-todo-comite-overdue", urls::pilotage::home(e), true)
        }
        (K::Notifications, _) => (
            "home-todo-notifications",
            urls::support::NOTIFICATIONS.to_string(),
            false,
        ),
        _ => return None,
    };
    Some(TodoLine {
        text: tr.t_args(key, &[("count", t.count.to_string())]),
        href,
        count: t.count,
        urgent: urgent && t.count > 0,
    })
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    page: Page,
    greeting: String,
    roles: String,
    stats: Vec<Stat>,
    todos: Vec<TodoLine>,
    current: Option<etablissement::Model>,
    schools_empty: bool,
}

pub async fn index(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let home::Home { figures: f, todos } = home::read(&state.db, &s.ctx, s.shell.unread).await?;
    let todos = todos.iter().filter_map(|t| todo_line(tr, t)).collect();
    let mut stats = vec![Stat {
        value: f.etablissements.to_string(),
        label: tr.t("stat-etablissements"),
        href: Some(urls::ETABS.to_string()),
        link: tr.t("see-list"),
    }];
    stats.push(Stat {
        value: f.pupils.to_string(),
        label: tr.t("stat-pupils"),
        href: None,
        link: String::new(),
    });
    let cur_id = s.ctx.current.as_ref().map(|c| c.id);
    if let (Some(n), Some(id)) = (f.staff, cur_id) {
        stats.push(Stat {
            value: n.to_string(),
            label: tr.t("stat-staff"),
            href: Some(urls::etab_staff(id)),
            link: tr.t("see-list"),
        });
    }
    if let Some(n) = f.teachers {
        stats.push(Stat {
            value: n.to_string(),
            label: tr.t("stat-teachers"),
            href: None,
            link: String::new(),
        });
    }
    if let (Some(n), Some(id)) = (f.audit_events, cur_id) {
        stats.push(Stat {
            value: n.to_string(),
            label: tr.t("stat-audit-events"),
            href: Some(urls::etab_audit(id)),
            link: tr.t("see-log"),
        });
    }
    if let Some(n) = f.accounts {
        stats.push(Stat {
            value: n.to_string(),
            label: tr.t("stat-accounts"),
            href: Some(urls::ADMIN_ACCOUNTS.to_string()),
            link: tr.t("see-list"),
        });
    }
    let mut roles: Vec<String> = s
        .ctx
        .actor
        .memberships
        .iter()
        .map(|m| role_label(tr, m.role.as_str()))
        .collect();
    roles.sort();
    roles.dedup();
    let page = s.shell.page("home-title");
    Ok(render(&HomePage {
        greeting: tr.t_args(
            "home-greeting",
            &[("name", s.ctx.account.display_name.clone())],
        ),
        roles: roles.join(", "),
        stats,
        todos,
        schools_empty: s.ctx.scope().is_empty(),
        current: s.ctx.current.clone(),
        page,
    }))
}
