//! The comité numérique's pages: the year's comité (members, meetings,
//! actions, terms without a meeting), the new meeting, one meeting
//! (attendance, minutes, decisions, its actions) and one action. The
//! forms are shown to those who run the comité; the services decide.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status, role_label};
use crate::urls::pilotage as u;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::{
    ActionStatus, MemberKind, OutsideQuality, format_start_time,
};
use refnum_services::pilotage::comite::{
    self as svc, ActionInput, ActionLine, MeetingInput, MeetingView, MemberInput, MinutesInput,
    StaffChoice,
};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/pilotage/comite", get(year_page))
        .route(
            "/etablissements/{id}/pilotage/comite/membres",
            post(member_add),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/membres/{mid}/retirer",
            post(member_remove),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/nouvelle",
            get(meeting_new).post(meeting_create),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}",
            get(meeting_page).post(meeting_update),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}/compte-rendu",
            post(minutes_record),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}/decisions",
            post(decision_add),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/reunions/{rid}/actions",
            post(action_create),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/actions",
            post(action_create_standalone),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/actions/{aid}",
            get(action_page).post(action_update),
        )
        .route(
            "/etablissements/{id}/pilotage/comite/actions/{aid}/etat",
            post(action_status),
        )
}

/// An id from the path: anything else is not found.
fn path_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("pilotage-comite-{prefix}-{code}"))
}

/// A field of a form sent as pairs (the last one of that name).
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub struct ActionRow {
    pub href: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

fn action_row(tr: Tr, etab: Uuid, l: &ActionLine) -> ActionRow {
    ActionRow {
        href: u::action(etab, l.action.id),
        title: l.action.title.clone(),
        owner: l.action.owner_name.clone(),
        due: date(l.action.due_on),
        status: label(tr, "status", l.status.as_str()),
        overdue: l.overdue,
    }
}

/// The staff choices of a form: "Name — role" for the members, "Name" for
/// the owners.
fn staff_member_options(tr: Tr, staff: &[StaffChoice], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t("pilotage-comite-choose"), current)];
    for s in staff {
        for r in &s.roles {
            v.push(Opt::new(
                format!("{}:{}", s.account_id, r.as_str()),
                format!("{} — {}", s.name, role_label(tr, r.as_str())),
                current,
            ));
        }
    }
    v
}

fn owner_options(tr: Tr, staff: &[StaffChoice], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t("pilotage-comite-owner-named"), current)];
    v.extend(
        staff
            .iter()
            .map(|s| Opt::new(s.account_id.to_string(), s.name.clone(), current)),
    );
    v
}

// --------------------------------------------------------------- the year

pub struct YearLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct MemberRow {
    pub name: String,
    pub what: String,
    pub remove_href: String,
}

pub struct MeetingRow {
    pub href: String,
    pub date: String,
    pub time: String,
    pub place: String,
    pub decisions: usize,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct MemberForm {
    #[serde(default)]
    kind: String,
    /// `<account id>:<role>` for a person of the school.
    #[serde(default)]
    person: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    quality: String,
}

#[derive(Template)]
#[template(path = "pilotage/comite/annee.html")]
struct YearPage {
    page: Page,
    heading: String,
    years: Vec<YearLink>,
    terms_missing: Vec<String>,
    members: Vec<MemberRow>,
    meetings: Vec<MeetingRow>,
    actions: Vec<ActionRow>,
    may_manage: bool,
    new_meeting_href: String,
    member_action: String,
    kind_options: Vec<Opt>,
    person_options: Vec<Opt>,
    quality_options: Vec<Opt>,
    input: MemberForm,
    new_action: String,
    school_year: String,
    action_input: ActionForm,
    owner_options: Vec<Opt>,
    errors: FormErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    annee: String,
}

async fn year_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    year: SchoolYear,
    input: MemberForm,
    action_input: ActionForm,
    errors: FormErrors,
) -> Result<YearPage, PageError> {
    let tr = s.shell.tr;
    let y = svc::year(&state.db, &s.ctx, id, year, svc::today()).await?;
    let staff = if y.may_manage {
        svc::staff(&state.db, &s.ctx, id).await?
    } else {
        vec![]
    };
    let heading = tr.t_args(
        "pilotage-comite-title",
        &[
            ("year", y.year.label()),
            ("school", y.etablissement.name.clone()),
        ],
    );
    Ok(YearPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        years: y
            .years
            .iter()
            .map(|yy| YearLink {
                href: u::comite_year(id, yy.0),
                label: yy.label(),
                current: *yy == y.year,
            })
            .collect(),
        terms_missing: y
            .terms_without_meeting
            .iter()
            .map(|t| label(tr, "term", t.as_str()))
            .collect(),
        members: y
            .members
            .iter()
            .map(|m| MemberRow {
                name: m.member.name.clone(),
                what: match (m.kind, m.role, m.quality) {
                    (MemberKind::Staff, Some(r), _) => role_label(tr, r.as_str()),
                    (_, _, Some(q)) => label(tr, "quality", q.as_str()),
                    _ => label(tr, "kind", m.kind.as_str()),
                },
                remove_href: u::member_remove(id, m.member.id),
            })
            .collect(),
        meetings: y
            .meetings
            .iter()
            .map(|m| MeetingRow {
                href: u::meeting(id, m.meeting.id),
                date: date(m.meeting.date),
                time: m
                    .meeting
                    .start_minute
                    .and_then(|x| u16::try_from(x).ok())
                    .map(format_start_time)
                    .unwrap_or_default(),
                place: m.meeting.place.clone(),
                decisions: m.decisions.len(),
            })
            .collect(),
        actions: y.actions.iter().map(|l| action_row(tr, id, l)).collect(),
        may_manage: y.may_manage,
        new_meeting_href: u::new_meeting(id),
        member_action: u::members(id),
        kind_options: MemberKind::ALL
            .iter()
            .map(|k| Opt::new(k.as_str(), label(tr, "kind", k.as_str()), &input.kind))
            .collect(),
        person_options: staff_member_options(tr, &staff, &input.person),
        quality_options: OutsideQuality::ALL
            .iter()
            .map(|q| Opt::new(q.as_str(), label(tr, "quality", q.as_str()), &input.quality))
            .collect(),
        input,
        new_action: u::actions(id),
        school_year: y.year.label(),
        owner_options: owner_options(tr, &staff, &action_input.owner),
        action_input,
        errors,
    })
}

async fn year_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let year = SchoolYear::parse(&q.annee).unwrap_or_else(|| SchoolYear::of(svc::today()));
    let p = year_view(
        &state,
        &s,
        id,
        year,
        MemberForm {
            kind: MemberKind::Staff.as_str().into(),
            ..Default::default()
        },
        ActionForm::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

async fn member_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<MemberForm>,
) -> Result<Response, PageError> {
    let (account_id, role) = f.person.split_once(':').unwrap_or((f.person.as_str(), ""));
    let input = MemberInput {
        kind: f.kind.clone(),
        account_id: account_id.into(),
        role: role.into(),
        name: f.name.clone(),
        quality: f.quality.clone(),
    };
    match svc::add_member(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&u::comite(id), "comite-membre-ajoute")),
        Err(e) => {
            let mut errors = field_errors(s.shell.tr, e)?;
            // The person's account and role are one choice on the page.
            for item in &mut errors.items {
                if item.field == "account_id" || item.field == "role" {
                    item.field = "person".into();
                }
            }
            let p = year_view(
                &state,
                &s,
                id,
                SchoolYear::of(svc::today()),
                f,
                ActionForm::default(),
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn member_remove(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, mid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let mid = path_id(&mid)?;
    match svc::remove_member(&state.db, &s.ctx, id, mid).await {
        Ok(()) => Ok(done(&u::comite(id), "comite-membre-retire")),
        // Already gone (a second click): the list says so.
        Err(refnum_services::ServiceError::Invalid(_)) => {
            Ok(done(&u::comite(id), "comite-membre-retire"))
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ new meeting

#[derive(serde::Deserialize, Default, Clone)]
pub struct MeetingForm {
    #[serde(default)]
    school_year: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    start_time: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    agenda: String,
}

impl ActionForm {
    fn input(&self, reunion_id: Option<Uuid>, decision_id: Option<Uuid>) -> ActionInput {
        ActionInput {
            reunion_id,
            decision_id,
            school_year: self.school_year.clone(),
            title: self.title.clone(),
            detail: self.detail.clone(),
            owner_account_id: self.owner.clone(),
            owner_name: self.owner_name.clone(),
            due_on: self.due_on.clone(),
        }
    }
}

impl MeetingForm {
    fn input(&self) -> MeetingInput {
        MeetingInput {
            school_year: self.school_year.clone(),
            date: self.date.clone(),
            start_time: self.start_time.clone(),
            place: self.place.clone(),
            agenda: self.agenda.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "pilotage/comite/nouvelle.html")]
struct NewMeetingPage {
    page: Page,
    heading: String,
    back_href: String,
    action: String,
    edit: MeetingForm,
    errors: FormErrors,
}

async fn new_meeting_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    input: MeetingForm,
    errors: FormErrors,
) -> Result<NewMeetingPage, PageError> {
    // Only those who run the comité see the form.
    svc::staff(&state.db, &s.ctx, id).await?;
    let heading = s.shell.tr.t("pilotage-comite-new-meeting");
    Ok(NewMeetingPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::comite(id),
        action: u::new_meeting(id),
        edit: input,
        errors,
    })
}

async fn meeting_new(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let input = MeetingForm {
        school_year: SchoolYear::of(svc::today()).label(),
        ..Default::default()
    };
    let p = new_meeting_view(&state, &s, id, input, FormErrors::default()).await?;
    Ok(render(&p))
}

async fn meeting_create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, PageError> {
    match svc::create_meeting(&state.db, &s.ctx, id, &f.input()).await {
        Ok(rid) => Ok(done(&u::meeting(id, rid), "comite-reunion-creee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = new_meeting_view(&state, &s, id, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ------------------------------------------------------------ one meeting

pub struct AttendanceRow {
    pub member_id: Uuid,
    pub name: String,
    pub present: bool,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    school_year: String,
    #[serde(default)]
    decision_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    due_on: String,
}

/// What a meeting page shows in its forms: what was sent when a form is
/// shown again with its errors.
#[derive(Default)]
struct Sent {
    meeting: Option<MeetingForm>,
    minutes: Option<(Vec<Uuid>, String, bool)>,
    decision: Option<String>,
    action: Option<ActionForm>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "pilotage/comite/reunion.html")]
struct MeetingPage {
    page: Page,
    heading: String,
    back_href: String,
    place: String,
    time: String,
    agenda: String,
    minutes: String,
    minutes_hidden: bool,
    minutes_public: bool,
    attendance: Vec<AttendanceRow>,
    decisions: Vec<String>,
    actions: Vec<ActionRow>,
    may_manage: bool,
    edit_action: String,
    minutes_action: String,
    decision_action: String,
    new_action: String,
    edit: MeetingForm,
    minutes_input: String,
    minutes_public_input: bool,
    decision_input: String,
    action_input: ActionForm,
    decision_options: Vec<Opt>,
    owner_options: Vec<Opt>,
    errors: FormErrors,
}

async fn meeting_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    rid: Uuid,
    sent: Sent,
) -> Result<MeetingPage, PageError> {
    let tr = s.shell.tr;
    let v: MeetingView = svc::meeting(&state.db, &s.ctx, id, rid, svc::today()).await?;
    let members = svc::members(&state.db, &s.ctx, id).await?;
    let may_manage = v.may_manage;
    let staff = if may_manage {
        svc::staff(&state.db, &s.ctx, id).await?
    } else {
        vec![]
    };
    let m = &v.meeting;
    let time = m
        .start_minute
        .and_then(|x| u16::try_from(x).ok())
        .map(format_start_time)
        .unwrap_or_default();
    // Those recorded, then the current members not recorded yet.
    let mut attendance: Vec<AttendanceRow> = v
        .attendance
        .iter()
        .map(|(mb, present)| AttendanceRow {
            member_id: mb.id,
            name: mb.name.clone(),
            present: *present,
        })
        .collect();
    if may_manage {
        for mb in &members {
            if !attendance.iter().any(|a| a.member_id == mb.member.id) {
                attendance.push(AttendanceRow {
                    member_id: mb.member.id,
                    name: mb.member.name.clone(),
                    present: false,
                });
            }
        }
    }
    if let Some((present, _, _)) = &sent.minutes {
        for a in &mut attendance {
            a.present = present.contains(&a.member_id);
        }
    }
    let heading = tr.t_args("pilotage-comite-meeting-title", &[("date", date(m.date))]);
    let action_input = sent.action.unwrap_or_default();
    let mut decision_options = vec![Opt::new(
        "",
        tr.t("pilotage-comite-no-decision"),
        &action_input.decision_id,
    )];
    decision_options.extend(v.decisions.iter().enumerate().map(|(i, d)| {
        Opt::new(
            d.id.to_string(),
            format!("{}. {}", i + 1, d.text.chars().take(80).collect::<String>()),
            &action_input.decision_id,
        )
    }));
    let (minutes_input, minutes_public_input) = match &sent.minutes {
        Some((_, text, public)) => (text.clone(), *public),
        None => (m.minutes.clone(), m.minutes_public),
    };
    Ok(MeetingPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::comite_year(id, m.school_year),
        place: m.place.clone(),
        time,
        agenda: m.agenda.clone(),
        minutes: m.minutes.clone(),
        minutes_hidden: v.minutes_hidden,
        minutes_public: m.minutes_public,
        attendance,
        decisions: v.decisions.iter().map(|d| d.text.clone()).collect(),
        actions: v.actions.iter().map(|l| action_row(tr, id, l)).collect(),
        may_manage,
        edit_action: u::meeting(id, rid),
        minutes_action: u::meeting_minutes(id, rid),
        decision_action: u::meeting_decision(id, rid),
        new_action: u::meeting_action(id, rid),
        edit: sent.meeting.unwrap_or_else(|| MeetingForm {
            school_year: SchoolYear(m.school_year).label(),
            date: m.date.to_string(),
            start_time: time_input(m.start_minute),
            place: m.place.clone(),
            agenda: m.agenda.clone(),
        }),
        minutes_input,
        minutes_public_input,
        decision_input: sent.decision.unwrap_or_default(),
        owner_options: owner_options(tr, &staff, &action_input.owner),
        action_input,
        decision_options,
        errors: sent.errors,
    })
}

fn time_input(m: Option<i32>) -> String {
    m.and_then(|x| u16::try_from(x).ok())
        .map(format_start_time)
        .unwrap_or_default()
}

async fn meeting_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    Ok(render(
        &meeting_view(&state, &s, id, rid, Sent::default()).await?,
    ))
}

async fn meeting_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    match svc::update_meeting(&state.db, &s.ctx, id, rid, &f.input()).await {
        Ok(()) => Ok(done(&u::meeting(id, rid), "comite-reunion-modifiee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                meeting: Some(f),
                errors,
                ..Default::default()
            };
            let p = meeting_view(&state, &s, id, rid, sent).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn minutes_record(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let input = MinutesInput {
        present: pairs
            .iter()
            .filter(|(k, _)| k == "present")
            .map(|(_, v)| v.clone())
            .collect(),
        minutes: field(&pairs, "minutes").to_string(),
        public: field(&pairs, "public") == "1",
    };
    match svc::record_minutes(&state.db, &s.ctx, id, rid, &input).await {
        Ok(()) => Ok(done(&u::meeting(id, rid), "comite-compte-rendu")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let present = input
                .present
                .iter()
                .filter_map(|p| Uuid::parse_str(p).ok())
                .collect();
            let sent = Sent {
                minutes: Some((present, input.minutes, input.public)),
                errors,
                ..Default::default()
            };
            let p = meeting_view(&state, &s, id, rid, sent).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    text: String,
}

async fn decision_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    match svc::add_decision(&state.db, &s.ctx, id, rid, &f.text).await {
        Ok(_) => Ok(done(&u::meeting(id, rid), "comite-decision")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                decision: Some(f.text),
                errors,
                ..Default::default()
            };
            let p = meeting_view(&state, &s, id, rid, sent).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn action_create(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let decision_id = if f.decision_id.trim().is_empty() {
        None
    } else {
        Some(path_id(f.decision_id.trim())?)
    };
    match svc::create_action(&state.db, &s.ctx, id, &f.input(Some(rid), decision_id)).await {
        Ok(aid) => Ok(done(&u::action(id, aid), "comite-action-creee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                action: Some(f),
                errors,
                ..Default::default()
            };
            let p = meeting_view(&state, &s, id, rid, sent).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

async fn action_create_standalone(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    match svc::create_action(&state.db, &s.ctx, id, &f.input(None, None)).await {
        Ok(aid) => Ok(done(&u::action(id, aid), "comite-action-creee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let year =
                SchoolYear::parse(&f.school_year).unwrap_or_else(|| SchoolYear::of(svc::today()));
            let member = MemberForm {
                kind: MemberKind::Staff.as_str().into(),
                ..Default::default()
            };
            let p = year_view(&state, &s, id, year, member, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ------------------------------------------------------------- one action

#[derive(Template)]
#[template(path = "pilotage/comite/action.html")]
struct ActionPage {
    page: Page,
    heading: String,
    back_href: String,
    row: ActionRow,
    detail: String,
    meeting: Option<(String, String)>,
    decision: String,
    may_manage: bool,
    status_action: String,
    status_options: Vec<Opt>,
    edit_action: String,
    action_input: ActionForm,
    owner_options: Vec<Opt>,
    errors: FormErrors,
}

async fn action_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    aid: Uuid,
    sent: Option<ActionForm>,
    errors: FormErrors,
) -> Result<ActionPage, PageError> {
    let tr = s.shell.tr;
    let v = svc::action(&state.db, &s.ctx, id, aid, svc::today()).await?;
    let staff = if v.may_manage {
        svc::staff(&state.db, &s.ctx, id).await?
    } else {
        vec![]
    };
    let a = &v.line.action;
    let action_input = sent.unwrap_or_else(|| ActionForm {
        title: a.title.clone(),
        detail: a.detail.clone(),
        owner: a
            .owner_account_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        owner_name: if a.owner_account_id.is_some() {
            String::new()
        } else {
            a.owner_name.clone()
        },
        due_on: a.due_on.to_string(),
        ..Default::default()
    });
    let heading = v.line.action.title.clone();
    Ok(ActionPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::comite_year(id, v.line.action.school_year),
        row: action_row(tr, id, &v.line),
        detail: v.line.action.detail.clone(),
        meeting: v
            .meeting
            .as_ref()
            .map(|m| (u::meeting(id, m.id), date(m.date))),
        decision: v.decision.map(|d| d.text).unwrap_or_default(),
        may_manage: v.may_manage,
        status_action: u::action_status(id, aid),
        status_options: v
            .next_statuses
            .iter()
            .map(|st: &ActionStatus| Opt::new(st.as_str(), label(tr, "status", st.as_str()), ""))
            .collect(),
        edit_action: u::action(id, aid),
        owner_options: owner_options(tr, &staff, &action_input.owner),
        action_input,
        errors,
    })
}

async fn action_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let aid = path_id(&aid)?;
    Ok(render(
        &action_view(&state, &s, id, aid, None, FormErrors::default()).await?,
    ))
}

async fn action_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let aid = path_id(&aid)?;
    match svc::update_action(&state.db, &s.ctx, id, aid, &f.input(None, None)).await {
        Ok(()) => Ok(done(&u::action(id, aid), "comite-action-modifiee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = action_view(&state, &s, id, aid, Some(f), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

async fn action_status(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let aid = path_id(&aid)?;
    match svc::set_action_status(&state.db, &s.ctx, id, aid, &f.status).await {
        Ok(_) => Ok(done(&u::action(id, aid), "comite-action-etat")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = action_view(&state, &s, id, aid, None, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Every kind, quality, status and term the pages show has its French
    /// and English label.
    #[test]
    fn every_comite_code_has_a_label() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            let mut keys = vec![];
            keys.extend(MemberKind::ALL.iter().map(|k| ("kind", k.as_str())));
            keys.extend(OutsideQuality::ALL.iter().map(|q| ("quality", q.as_str())));
            keys.extend(ActionStatus::ALL.iter().map(|s| ("status", s.as_str())));
            keys.extend(
                refnum_domain::pilotage::comite::Term::ALL
                    .iter()
                    .map(|t| ("term", t.as_str())),
            );
            for (prefix, code) in keys {
                let key = format!("pilotage-comite-{prefix}-{code}");
                assert!(tr.has(&key), "{lang:?}: {key}");
            }
        }
    }

    /// The reminders' link is the action page's path.
    #[test]
    fn the_reminder_links_to_the_action_page() {
        let (e, a) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(svc::action_link(e, a), u::action(e, a));
    }
}
