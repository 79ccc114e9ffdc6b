//! The new meeting's form and one meeting: attendance, minutes,
//! decisions, its actions, and the forms of those who run the comité.

use super::*;
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::format_start_time;
use refnum_services::pilotage::comite::{MeetingInput, MeetingView, MinutesInput};

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

pub(super) async fn meeting_new(
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

pub(super) async fn meeting_create(
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

pub struct AttendanceRow {
    pub member_id: Uuid,
    pub name: String,
    pub present: bool,
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

pub(super) async fn meeting_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    Ok(render(
        &meeting_view(&state, &s, id, rid, Sent::default()).await?,
    ))
}

pub(super) async fn meeting_update(
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

pub(super) async fn minutes_record(
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

pub(super) async fn decision_add(
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

pub(super) async fn action_create(
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
