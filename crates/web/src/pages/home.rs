use super::{SignedIn, Stat, render, role_label};
use crate::AppState;
use crate::errors::PageError;
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use refnum_db::entities::etablissement;
use refnum_services::home;

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    page: Page,
    greeting: String,
    roles: String,
    stats: Vec<Stat>,
    current: Option<etablissement::Model>,
    schools_empty: bool,
}

pub async fn index(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let f = home::figures(&state.db, &s.ctx).await?;
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
        schools_empty: s.ctx.scope().is_empty(),
        current: s.ctx.current.clone(),
        page,
    }))
}
