//! The booking home (the school's bookable resources, the form that makes a
//! room or an asset bookable) and a resource's rules.

use super::{path_id, role_label};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::urls::reservations as urls;
use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_services::reservations::resources::{
    self as res, BOOKING_ROLES, ResourceView, RulesInput, Target,
};
use uuid::Uuid;

pub struct ResourceLine {
    pub name: String,
    pub kind: String,
    pub href: String,
    pub rules: Vec<String>,
    pub active: bool,
    pub rules_href: String,
}

/// The rules of a resource in words.
fn rules_text(tr: Tr, r: &ResourceView) -> Vec<String> {
    let m = &r.model;
    let mut v = vec![
        tr.t_args(
            "resa-rules-roles",
            &[(
                "roles",
                r.roles()
                    .iter()
                    .map(|x| role_label(tr, x.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        ),
    ];
    if let Some(a) = r.approval_role() {
        v.push(tr.t_args(
            "resa-rules-approval",
            &[("role", role_label(tr, a.as_str()))],
        ));
    }
    if let Some(n) = m.max_minutes {
        v.push(tr.t_args("resa-rules-max", &[("minutes", n.to_string())]));
    }
    if let Some(n) = m.horizon_days {
        v.push(tr.t_args("resa-rules-horizon", &[("days", n.to_string())]));
    }
    if let Some(n) = m.weekly_quota {
        v.push(tr.t_args("resa-rules-quota", &[("quota", n.to_string())]));
    }
    if m.gap_minutes > 0 {
        v.push(tr.t_args("resa-rules-gap", &[("minutes", m.gap_minutes.to_string())]));
    }
    v
}

pub fn kind_label(tr: Tr, r: &ResourceView) -> String {
    match &r.target {
        Target::Room(_) => tr.t("resa-kind-room"),
        Target::Asset(_) => tr.t("resa-kind-asset"),
    }
}

#[derive(Template)]
#[template(path = "reservations/home.html")]
struct HomePage {
    page: Page,
    heading: String,
    timetable_href: String,
    occupancy_href: String,
    mine_href: String,
    day_href: String,
    can_manage: bool,
    resources: Vec<ResourceLine>,
    add_action: String,
    candidates: Vec<Opt>,
    errors: FormErrors,
}

async fn home_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    errors: FormErrors,
) -> Result<HomePage, PageError> {
    let tr = s.shell.tr;
    let l = res::list(&state.db, &s.ctx, id).await?;
    let heading = tr.t_args("resa-home-title", &[("name", l.etab.name.clone())]);
    let mut candidates = vec![Opt::new("", tr.t("resa-add-choose"), "")];
    candidates.extend(l.candidates.iter().map(|c| {
        Opt::new(
            c.key.clone(),
            format!(
                "{} — {}",
                if c.is_room {
                    tr.t("resa-kind-room")
                } else {
                    tr.t("resa-kind-asset")
                },
                c.name
            ),
            "",
        )
    }));
    Ok(HomePage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        timetable_href: urls::timetable(id),
        occupancy_href: urls::occupancy(id),
        mine_href: urls::mine(id),
        day_href: urls::day(id),
        can_manage: l.rights.manage,
        resources: l
            .resources
            .iter()
            .map(|r| ResourceLine {
                name: r.name.clone(),
                kind: kind_label(tr, r),
                href: urls::resource(id, r.model.id),
                rules: rules_text(tr, r),
                active: r.model.active,
                rules_href: urls::rules(id, r.model.id),
            })
            .collect(),
        add_action: urls::resources(id),
        candidates,
        errors,
    })
}

pub async fn home(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(
        &home_page(&state, &s, id, FormErrors::default()).await?,
    ))
}

#[derive(serde::Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    target: String,
}

pub async fn add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<AddForm>,
) -> Result<Response, PageError> {
    match res::add(&state.db, &s.ctx, id, &f.target).await {
        Ok(r) => Ok(done(&urls::rules(id, r.id), "resa-ressource-ajoutee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = home_page(&state, &s, id, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub struct RoleBox {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "reservations/rules.html")]
struct RulesPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    children: Vec<String>,
    roles: Vec<RoleBox>,
    approvers: Vec<Opt>,
    input: RulesInput,
    errors: FormErrors,
}

async fn rules_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    rid: Uuid,
    input: Option<RulesInput>,
    errors: FormErrors,
) -> Result<RulesPage, PageError> {
    let tr = s.shell.tr;
    let (_, rights, r) = res::get(&state.db, &s.ctx, id, rid).await?;
    if !rights.manage {
        return Err(PageError::Forbidden);
    }
    let input = input.unwrap_or_else(|| RulesInput::of(&r.model));
    let heading = tr.t_args("resa-rules-title", &[("name", r.name.clone())]);
    let mut approvers = vec![Opt::new(
        "",
        tr.t("resa-approval-none"),
        &input.approval_role,
    )];
    approvers.extend(
        BOOKING_ROLES
            .iter()
            .map(|x| Opt::new(x.as_str(), role_label(tr, x.as_str()), &input.approval_role)),
    );
    Ok(RulesPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: urls::rules(id, rid),
        cancel_href: urls::resource(id, rid),
        children: r.children.clone(),
        roles: BOOKING_ROLES
            .iter()
            .map(|x| RoleBox {
                value: x.as_str().into(),
                label: role_label(tr, x.as_str()),
                checked: input.roles.iter().any(|v| v == x.as_str()),
            })
            .collect(),
        approvers,
        input,
        errors,
    })
}

pub async fn rules_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    Ok(render(
        &rules_page(&state, &s, id, rid, None, FormErrors::default()).await?,
    ))
}

/// The rules form repeats `roles`: read as pairs.
pub async fn rules_submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    RawForm(body): RawForm,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| PageError::BadRequest)?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = RulesInput {
        active: !get("active").is_empty(),
        roles: pairs
            .iter()
            .filter(|(n, _)| n == "roles")
            .map(|(_, v)| v.clone())
            .collect(),
        approval_role: get("approval_role"),
        max_minutes: get("max_minutes"),
        horizon_days: get("horizon_days"),
        weekly_quota: get("weekly_quota"),
        gap_minutes: get("gap_minutes"),
    };
    match res::update_rules(&state.db, &s.ctx, id, rid, &input).await {
        Ok(_) => Ok(done(&urls::resource(id, rid), "enregistre")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = rules_page(&state, &s, id, rid, Some(input), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
