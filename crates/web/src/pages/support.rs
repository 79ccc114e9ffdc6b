//! Pages: support organisations (list, detail, create/edit, contract
//! targets, calendar), a school's in-house support, notifications.

use super::{ListQuery, Opt, PAGE_SIZE, Pager, SignedIn, done, enc, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::urls::support as u;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use refnum_db::entities::support::support_organisation;
use refnum_services::ServiceError;
use refnum_services::support::calendar::day_text;
use refnum_services::support::orgs::{
    self, CalendarInput, Contract, DAY_FIELDS, OrgInput, OrgKind, Owner, TARGET_FIELDS,
    TargetInput, kind_key,
};
use refnum_services::support::{PRIORITIES, priority_code};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(notification_routes())
        .route(u::ORGS, get(org_list))
        .route(u::ORG_NEW, get(org_new).post(org_create))
        .route("/support/organisations/{id}", get(org_show))
        .route(
            "/support/organisations/{id}/modifier",
            get(org_edit).post(org_update),
        )
        .route(
            "/support/organisations/{id}/objectifs",
            get(org_targets).post(org_targets_save),
        )
        .route(
            "/support/organisations/{id}/calendrier",
            get(org_calendar).post(org_calendar_save),
        )
        .route("/etablissements/{id}/support", get(in_house))
        .route(
            "/etablissements/{id}/support/objectifs",
            get(etab_targets).post(etab_targets_save),
        )
        .route(
            "/etablissements/{id}/support/calendrier",
            get(etab_calendar).post(etab_calendar_save),
        )
}

/// `4 h 30` from working minutes.
pub fn duration(tr: Tr, minutes: i32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => tr.t_args("support-duration-minutes", &[("m", m.to_string())]),
        (h, 0) => tr.t_args("support-duration-hours", &[("h", h.to_string())]),
        (h, m) => tr.t_args(
            "support-duration-hours-minutes",
            &[("h", h.to_string()), ("m", format!("{m:02}"))],
        ),
    }
}

/// One line of the targets table.
pub struct TargetRow {
    pub label: String,
    pub response: String,
    pub resolution: String,
}

/// One line of the calendar table.
pub struct DayRow {
    pub label: String,
    pub hours: String,
}

fn weekday_keys() -> [&'static str; 7] {
    [
        "support-day-mon",
        "support-day-tue",
        "support-day-wed",
        "support-day-thu",
        "support-day-fri",
        "support-day-sat",
        "support-day-sun",
    ]
}

fn contract_rows(tr: Tr, c: &Contract) -> (Vec<TargetRow>, Vec<DayRow>, Vec<String>) {
    let targets = PRIORITIES
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (response, resolution) = match c.targets[i] {
                Some((a, b)) => (duration(tr, a), duration(tr, b)),
                None => (tr.t("support-no-target"), tr.t("support-no-target")),
            };
            TargetRow {
                label: tr.t(&format!("support-priority-{}", priority_code(*p))),
                response,
                resolution,
            }
        })
        .collect();
    let days = weekday_keys()
        .iter()
        .enumerate()
        .map(|(i, k)| DayRow {
            label: tr.t(k),
            hours: if c.calendar.days[i].is_empty() {
                tr.t("support-closed")
            } else {
                day_text(&c.calendar.days[i])
            },
        })
        .collect();
    let closed = c.calendar.closed.iter().map(|d| d.to_string()).collect();
    (targets, days, closed)
}

fn kind_options(tr: Tr, current: &str) -> Vec<Opt> {
    OrgKind::ALL
        .iter()
        .map(|k| Opt::new(k.as_str(), tr.t(k.key()), current))
        .collect()
}

// ---------------------------------------------------------------- list

pub struct OrgRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub contact: String,
}

#[derive(Template)]
#[template(path = "support/orgs.html")]
struct OrgListPage {
    page: Page,
    q: String,
    summary: String,
    rows: Vec<OrgRow>,
    pager: Pager,
    can_create: bool,
}

async fn org_list(
    State(state): State<AppState>,
    s: SignedIn,
    Query(lq): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let q = lq.q();
    let (rows, total) = orgs::list(&state.db, &s.ctx, Some(&q), lq.offset(), PAGE_SIZE).await?;
    let can_create = orgs::can_create(&state.db, &s.ctx).await?;
    let extra = if q.is_empty() {
        String::new()
    } else {
        format!("&q={}", enc(&q))
    };
    Ok(render(&OrgListPage {
        page: s.shell.page("support-orgs-title"),
        summary: tr.t_args("support-orgs-count", &[("count", total.to_string())]),
        rows: rows
            .into_iter()
            .map(|o| OrgRow {
                id: o.id,
                kind: tr.t(kind_key(&o.kind)),
                contact: [o.contact_name, o.contact_email, o.contact_phone]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                name: o.name,
            })
            .collect(),
        pager: Pager::new(tr, u::ORGS, &extra, lq.page(), total),
        q,
        can_create,
    }))
}

// ---------------------------------------------------------------- detail

#[derive(Template)]
#[template(path = "support/org.html")]
struct OrgPage {
    page: Page,
    org: support_organisation::Model,
    kind: String,
    collectivite: Option<String>,
    schools: Vec<String>,
    others: usize,
    others_label: String,
    targets: Vec<TargetRow>,
    days: Vec<DayRow>,
    closed: Vec<String>,
    can_edit: bool,
    edit_href: String,
    targets_href: String,
    calendar_href: String,
}

async fn org_show(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let view = orgs::get(&state.db, &s.ctx, id).await?;
    let contract = orgs::contract_of(&state.db, Owner::Org(id)).await?;
    let (targets, days, closed) = contract_rows(tr, &contract);
    // Served schools the caller may know of; the others are only counted.
    let (known, others) = orgs::known_schools(&state.db, &s.ctx, &view).await?;
    let schools = known
        .into_iter()
        .map(|e| format!("{} ({})", e.name, e.uai))
        .collect();
    let collectivite = match view.org.collectivite_id {
        Some(cid) => refnum_db::orgs::get_collectivite(&state.db.conn, cid)
            .await
            .map_err(ServiceError::from)?
            .map(|c| c.name),
        None => None,
    };
    Ok(render(&OrgPage {
        page: s.shell.page_titled(view.org.name.clone()),
        kind: tr.t(kind_key(&view.org.kind)),
        collectivite,
        schools,
        others,
        others_label: tr.t_args("support-serves-others", &[("count", others.to_string())]),
        targets,
        days,
        closed,
        can_edit: view.can_edit,
        edit_href: u::org_edit(id),
        targets_href: u::org_targets(id),
        calendar_href: u::org_calendar(id),
        org: view.org,
    }))
}

// ---------------------------------------------------------------- create / edit

#[derive(Template)]
#[template(path = "support/org_form.html")]
struct OrgFormPage {
    page: Page,
    heading: String,
    action: String,
    cancel: String,
    errors: FormErrors,
    input: OrgInput,
    kinds: Vec<Opt>,
    collectivites: Vec<Opt>,
    schools: Vec<Opt>,
}

async fn org_form_page(
    state: &AppState,
    s: &SignedIn,
    id: Option<Uuid>,
    input: OrgInput,
    errors: FormErrors,
) -> Result<OrgFormPage, PageError> {
    let tr = s.shell.tr;
    let mut collectivites = vec![Opt::new(
        "",
        tr.t("support-no-collectivite"),
        &input.collectivite_id,
    )];
    for c in refnum_db::orgs::list_collectivites(&state.db.conn)
        .await
        .map_err(ServiceError::from)?
    {
        collectivites.push(Opt::new(c.id.to_string(), c.name, &input.collectivite_id));
    }
    let schools = orgs::school_choices(&state.db, &s.ctx)
        .await?
        .into_iter()
        .map(|(id, label)| Opt {
            selected: input.serves.contains(&id.to_string()),
            value: id.to_string(),
            label,
        })
        .collect();
    let (heading, action, cancel) = match id {
        Some(id) => (tr.t("support-org-edit"), u::org_edit(id), u::org(id)),
        None => (
            tr.t("support-org-new"),
            u::ORG_NEW.to_string(),
            u::ORGS.to_string(),
        ),
    };
    Ok(OrgFormPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action,
        cancel,
        errors,
        kinds: kind_options(tr, &input.kind),
        collectivites,
        schools,
        input,
    })
}

async fn org_new(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    if !orgs::can_create(&state.db, &s.ctx).await? {
        return Err(PageError::Forbidden);
    }
    let input = OrgInput {
        kind: OrgKind::PrivateProvider.as_str().into(),
        serves: s
            .ctx
            .current
            .as_ref()
            .map(|c| vec![c.id.to_string()])
            .unwrap_or_default(),
        ..Default::default()
    };
    let p = org_form_page(&state, &s, None, input, FormErrors::default()).await?;
    Ok(render(&p))
}

async fn org_edit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let view = orgs::get_for_edit(&state.db, &s.ctx, id).await?;
    let input = OrgInput::of(&view);
    let p = org_form_page(&state, &s, Some(id), input, FormErrors::default()).await?;
    Ok(render(&p))
}

fn org_input(body: &[u8]) -> OrgInput {
    let pairs = crate::session::form_urlencoded_pairs(body);
    let one = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    OrgInput {
        name: one("name"),
        kind: one("kind"),
        contact_name: one("contact_name"),
        contact_email: one("contact_email"),
        contact_phone: one("contact_phone"),
        website: one("website"),
        collectivite_id: one("collectivite_id"),
        notes: one("notes"),
        serves: pairs
            .iter()
            .filter(|(k, _)| k == "serves")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

async fn org_save(
    state: AppState,
    s: SignedIn,
    id: Option<Uuid>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let input = org_input(&body);
    match orgs::save(&state.db, &s.ctx, id, &input).await {
        Ok(o) => Ok(done(
            &u::org(o.id),
            if id.is_some() { "enregistre" } else { "cree" },
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = org_form_page(&state, &s, id, input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn org_create(
    State(state): State<AppState>,
    s: SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    org_save(state, s, None, body).await
}

async fn org_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    org_save(state, s, Some(id), body).await
}

// ---------------------------------------------------------------- targets

pub struct TargetField {
    pub label: String,
    pub response_name: &'static str,
    pub response: String,
    pub resolution_name: &'static str,
    pub resolution: String,
}

#[derive(Template)]
#[template(path = "support/targets_form.html")]
struct TargetsPage {
    page: Page,
    heading: String,
    action: String,
    cancel: String,
    errors: FormErrors,
    rows: Vec<TargetField>,
}

fn targets_page(
    s: &SignedIn,
    heading: String,
    action: String,
    cancel: String,
    input: &TargetInput,
    errors: FormErrors,
) -> TargetsPage {
    let tr = s.shell.tr;
    TargetsPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action,
        cancel,
        errors,
        rows: PRIORITIES
            .iter()
            .enumerate()
            .map(|(i, p)| TargetField {
                label: tr.t(&format!("support-priority-{}", priority_code(*p))),
                response_name: TARGET_FIELDS[i].0,
                response: input[i].0.clone(),
                resolution_name: TARGET_FIELDS[i].1,
                resolution: input[i].1.clone(),
            })
            .collect(),
    }
}

fn targets_input(c: &Contract) -> TargetInput {
    std::array::from_fn(|i| match c.targets[i] {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (String::new(), String::new()),
    })
}

#[derive(serde::Deserialize, Default)]
struct TargetsForm {
    #[serde(default)]
    response_p1: String,
    #[serde(default)]
    resolution_p1: String,
    #[serde(default)]
    response_p2: String,
    #[serde(default)]
    resolution_p2: String,
    #[serde(default)]
    response_p3: String,
    #[serde(default)]
    resolution_p3: String,
    #[serde(default)]
    response_p4: String,
    #[serde(default)]
    resolution_p4: String,
}

impl TargetsForm {
    fn input(self) -> TargetInput {
        [
            (self.response_p1, self.resolution_p1),
            (self.response_p2, self.resolution_p2),
            (self.response_p3, self.resolution_p3),
            (self.response_p4, self.resolution_p4),
        ]
    }
}

/// Where a targets or calendar form goes back to, and its heading.
async fn owner_labels(
    state: &AppState,
    s: &SignedIn,
    owner: Owner,
    what: &str,
) -> Result<(String, String, String), PageError> {
    let tr = s.shell.tr;
    Ok(match owner {
        Owner::Org(id) => {
            let view = orgs::get_for_edit(&state.db, &s.ctx, id).await?;
            let heading = tr.t_args(what, &[("name", view.org.name)]);
            let action = if what == "support-targets-heading" {
                u::org_targets(id)
            } else {
                u::org_calendar(id)
            };
            (heading, action, u::org(id))
        }
        Owner::Etab(id) => {
            let etab = refnum_services::orgs::etab_for(
                &state.db,
                &s.ctx,
                id,
                refnum_domain::policy::EtabAction::ManageSupport,
            )
            .await?;
            let heading = tr.t_args(
                what,
                &[("name", tr.t("support-in-house-of") + " " + &etab.name)],
            );
            let action = if what == "support-targets-heading" {
                u::in_house_targets(id)
            } else {
                u::in_house_calendar(id)
            };
            (heading, action, u::in_house(id))
        }
    })
}

async fn targets_get(state: AppState, s: SignedIn, owner: Owner) -> Result<Response, PageError> {
    let (heading, action, cancel) =
        owner_labels(&state, &s, owner, "support-targets-heading").await?;
    let contract = orgs::contract_of(&state.db, owner).await?;
    let p = targets_page(
        &s,
        heading,
        action,
        cancel,
        &targets_input(&contract),
        FormErrors::default(),
    );
    Ok(render(&p))
}

async fn targets_post(
    state: AppState,
    s: SignedIn,
    owner: Owner,
    form: TargetsForm,
) -> Result<Response, PageError> {
    let (heading, action, cancel) =
        owner_labels(&state, &s, owner, "support-targets-heading").await?;
    let input = form.input();
    match orgs::save_targets(&state.db, &s.ctx, owner, &input).await {
        Ok(()) => Ok(done(&cancel, "enregistre")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = targets_page(&s, heading, action, cancel, &input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn org_targets(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    targets_get(state, s, Owner::Org(id)).await
}

async fn org_targets_save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<TargetsForm>,
) -> Result<Response, PageError> {
    targets_post(state, s, Owner::Org(id), f).await
}

async fn etab_targets(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    targets_get(state, s, Owner::Etab(id)).await
}

async fn etab_targets_save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<TargetsForm>,
) -> Result<Response, PageError> {
    targets_post(state, s, Owner::Etab(id), f).await
}

// ---------------------------------------------------------------- calendar

pub struct DayField {
    pub label: String,
    pub name: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "support/calendar_form.html")]
struct CalendarPage {
    page: Page,
    heading: String,
    action: String,
    cancel: String,
    errors: FormErrors,
    days: Vec<DayField>,
    closed: String,
}

fn calendar_page(
    s: &SignedIn,
    heading: String,
    action: String,
    cancel: String,
    input: CalendarInput,
    errors: FormErrors,
) -> CalendarPage {
    let tr = s.shell.tr;
    CalendarPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action,
        cancel,
        errors,
        days: weekday_keys()
            .iter()
            .enumerate()
            .map(|(i, k)| DayField {
                label: tr.t(k),
                name: DAY_FIELDS[i],
                value: input.days[i].clone(),
            })
            .collect(),
        closed: input.closed,
    }
}

#[derive(serde::Deserialize, Default)]
struct CalendarForm {
    #[serde(default)]
    day_0: String,
    #[serde(default)]
    day_1: String,
    #[serde(default)]
    day_2: String,
    #[serde(default)]
    day_3: String,
    #[serde(default)]
    day_4: String,
    #[serde(default)]
    day_5: String,
    #[serde(default)]
    day_6: String,
    #[serde(default)]
    closed: String,
}

impl CalendarForm {
    fn input(self) -> CalendarInput {
        CalendarInput {
            days: [
                self.day_0, self.day_1, self.day_2, self.day_3, self.day_4, self.day_5, self.day_6,
            ],
            closed: self.closed,
        }
    }
}

async fn calendar_get(state: AppState, s: SignedIn, owner: Owner) -> Result<Response, PageError> {
    let (heading, action, cancel) =
        owner_labels(&state, &s, owner, "support-calendar-heading").await?;
    let c = orgs::contract_of(&state.db, owner).await?;
    let input = CalendarInput {
        days: std::array::from_fn(|i| day_text(&c.calendar.days[i])),
        closed: c
            .calendar
            .closed
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let p = calendar_page(&s, heading, action, cancel, input, FormErrors::default());
    Ok(render(&p))
}

async fn calendar_post(
    state: AppState,
    s: SignedIn,
    owner: Owner,
    form: CalendarForm,
) -> Result<Response, PageError> {
    let (heading, action, cancel) =
        owner_labels(&state, &s, owner, "support-calendar-heading").await?;
    let input = form.input();
    match orgs::save_calendar(&state.db, &s.ctx, owner, &input).await {
        Ok(()) => Ok(done(&cancel, "enregistre")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = calendar_page(&s, heading, action, cancel, input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn org_calendar(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    calendar_get(state, s, Owner::Org(id)).await
}

async fn org_calendar_save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<CalendarForm>,
) -> Result<Response, PageError> {
    calendar_post(state, s, Owner::Org(id), f).await
}

async fn etab_calendar(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    calendar_get(state, s, Owner::Etab(id)).await
}

async fn etab_calendar_save(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<CalendarForm>,
) -> Result<Response, PageError> {
    calendar_post(state, s, Owner::Etab(id), f).await
}

// ---------------------------------------------------------------- in-house

#[derive(Template)]
#[template(path = "support/in_house.html")]
struct InHousePage {
    page: Page,
    heading: String,
    defaults: bool,
    targets: Vec<TargetRow>,
    days: Vec<DayRow>,
    closed: Vec<String>,
    can_edit: bool,
    targets_href: String,
    calendar_href: String,
    organisations: Vec<OrgRow>,
}

async fn in_house(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let v = orgs::in_house(&state.db, &s.ctx, id).await?;
    let (targets, days, closed) = contract_rows(tr, &v.contract);
    let heading = tr.t_args("support-in-house-title", &[("name", v.etab.name.clone())]);
    Ok(render(&InHousePage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        defaults: v.contract.defaults,
        targets,
        days,
        closed,
        can_edit: v.can_edit,
        targets_href: u::in_house_targets(id),
        calendar_href: u::in_house_calendar(id),
        organisations: v
            .organisations
            .into_iter()
            .map(|o| OrgRow {
                id: o.id,
                kind: tr.t(kind_key(&o.kind)),
                contact: [o.contact_name, o.contact_email, o.contact_phone]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                name: o.name,
            })
            .collect(),
    }))
}

// ---------------------------------------------------------------- notifications

/// The label of a notification kind (`ticket-created` → `ticket-notif-created`).
pub(crate) fn notification_kind(tr: Tr, kind: &str) -> String {
    let key = match kind {
        refnum_services::support::reminders::KIND_RESPONSE => "notif-kind-response-overdue",
        refnum_services::support::reminders::KIND_RESOLUTION => "notif-kind-resolution-overdue",
        refnum_services::prets::reminders::KIND_OVERDUE => "notif-kind-loan-overdue",
        refnum_services::pilotage::comite::KIND_OVERDUE => "notif-kind-comite-action-overdue",
        refnum_services::pilotage::formations::KIND_CANCELLED => {
            "notif-kind-formation-session-cancelled"
        }
        refnum_services::pilotage::formations::KIND_CHANGED => {
            "notif-kind-formation-session-changed"
        }
        other => {
            let key = format!("ticket-notif-{}", other.trim_start_matches("ticket-"));
            if tr.has(&key) {
                return tr.t(&key);
            }
            "notif-kind-other"
        }
    };
    tr.t(key)
}

pub struct NotificationRow {
    id: Uuid,
    kind: String,
    title: String,
    link: String,
    at: crate::time::When,
    unread: bool,
}

#[derive(Template)]
#[template(path = "support/notifications.html")]
struct NotificationsPage {
    page: Page,
    summary: String,
    rows: Vec<NotificationRow>,
    pager: Pager,
    any_unread: bool,
}

async fn notifications(
    State(state): State<AppState>,
    s: SignedIn,
    Query(lq): Query<ListQuery>,
) -> Result<Response, PageError> {
    use refnum_services::support::notifications as n;
    let tr = s.shell.tr;
    let (rows, total) = n::list(&state.db, &s.ctx, lq.offset(), PAGE_SIZE).await?;
    let unread = n::unread_count(&state.db, s.ctx.account.id).await?;
    Ok(render(&NotificationsPage {
        page: s.shell.page("notif-title"),
        summary: tr.t_args("notif-unread-count", &[("count", unread.to_string())]),
        any_unread: unread > 0,
        rows: rows
            .into_iter()
            .map(|r| NotificationRow {
                id: r.id,
                kind: notification_kind(tr, &r.kind),
                title: r.title,
                // Links are written by the server (paths of this site only).
                link: if r.link.starts_with('/') && !r.link.starts_with("//") {
                    r.link
                } else {
                    String::new()
                },
                at: super::fmt_recent(tr, &r.created_at),
                unread: r.read_at.is_none(),
            })
            .collect(),
        pager: Pager::new(tr, u::NOTIFICATIONS, "", lq.page(), total),
    }))
}

async fn notification_read(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let n = refnum_services::support::notifications::mark_read(&state.db, &s.ctx, id).await?;
    if !n.link.is_empty() {
        let to = crate::urls::safe_return_path(Some(&n.link));
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    Ok(done(u::NOTIFICATIONS, "notif-read"))
}

async fn notifications_all_read(
    State(state): State<AppState>,
    s: SignedIn,
) -> Result<Response, PageError> {
    refnum_services::support::notifications::mark_all_read(&state.db, &s.ctx).await?;
    Ok(done(u::NOTIFICATIONS, "notif-all-read"))
}

/// The notification routes.
pub fn notification_routes() -> Router<AppState> {
    Router::new()
        .route(u::NOTIFICATIONS, get(notifications))
        .route(
            "/notifications/{id}/lire",
            axum::routing::post(notification_read),
        )
        .route(
            "/notifications/tout-lu",
            axum::routing::post(notifications_all_read),
        )
}
