//! The new session's form and one session: its details, registering and
//! withdrawing, the feedback of an attendee; for those who run the plan,
//! the registered people with their attendance and feedback, the changes
//! and the cancellation.

use super::*;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use crate::urls::pilotage as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::format_start_time;
use refnum_domain::pilotage::formations::{Modality, SessionStatus};
use refnum_services::pilotage::formations::{self as svc, FeedbackInput, SessionView};

#[derive(Template)]
#[template(path = "pilotage/formations/nouvelle.html")]
struct NewSessionPage {
    page: Page,
    heading: String,
    back_href: String,
    action: String,
    edit: SessionForm,
    choices: SessionChoices,
    errors: FormErrors,
}

async fn new_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    edit: SessionForm,
    errors: FormErrors,
) -> Result<NewSessionPage, PageError> {
    let tr = s.shell.tr;
    // Only those who run the plan see the form.
    let leaders = svc::leaders(&state.db, &s.ctx, id).await?;
    let themes = svc::themes(&state.db, &s.ctx, id).await?;
    let heading = tr.t("pilotage-formation-new-session");
    Ok(NewSessionPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::formations(id),
        action: u::formation_new_session(id),
        choices: session_choices(tr, &themes, &leaders, &edit),
        edit,
        errors,
    })
}

pub(super) async fn session_new(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let edit = SessionForm {
        school_year: SchoolYear::of(svc::today()).label(),
        kind: "atelier".into(),
        modality: Modality::Presentiel.as_str().into(),
        duration_minutes: "90".into(),
        capacity: "12".into(),
        ..Default::default()
    };
    Ok(render(
        &new_view(&state, &s, id, edit, FormErrors::default()).await?,
    ))
}

pub(super) async fn session_create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<SessionForm>,
) -> Result<Response, PageError> {
    match svc::create_session(&state.db, &s.ctx, id, &f.input()).await {
        Ok(sid) => Ok(done(
            &u::formation_session(id, sid),
            "formation-session-creee",
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = new_view(&state, &s, id, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub struct RegistrantRow {
    pub account_id: Uuid,
    pub name: String,
    pub attended: bool,
    pub attendance: String,
    pub rating: String,
    pub feedback: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct FeedbackForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

/// What was sent when a form comes back with its errors.
#[derive(Default)]
struct Sent {
    edit: Option<SessionForm>,
    feedback: Option<FeedbackForm>,
    attended: Option<Vec<Uuid>>,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "pilotage/formations/session.html")]
struct SessionPage {
    page: Page,
    heading: String,
    back_href: String,
    theme: String,
    kind: String,
    leader: String,
    link: String,
    code: String,
    when: String,
    duration: String,
    place: String,
    seats: String,
    status: String,
    rating: String,
    mine: String,
    may_register: bool,
    may_unregister: bool,
    register_action: String,
    unregister_action: String,
    may_feedback: bool,
    feedback_action: String,
    rating_options: Vec<Opt>,
    feedback: FeedbackForm,
    may_manage: bool,
    may_record: bool,
    editable: bool,
    registrants: Vec<RegistrantRow>,
    attendance_action: String,
    edit_action: String,
    cancel_action: String,
    edit: SessionForm,
    choices: SessionChoices,
    errors: FormErrors,
}

async fn session_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    sid: Uuid,
    sent: Sent,
) -> Result<SessionPage, PageError> {
    let tr = s.shell.tr;
    let v: SessionView = svc::session(&state.db, &s.ctx, id, sid, svc::today()).await?;
    let l = &v.line;
    let m = &l.session;
    let (leaders, themes) = if v.may_manage {
        (
            svc::leaders(&state.db, &s.ctx, id).await?,
            svc::themes(&state.db, &s.ctx, id).await?,
        )
    } else {
        (vec![], vec![])
    };
    let time = m
        .start_minute
        .and_then(|x| u16::try_from(x).ok())
        .map(format_start_time)
        .unwrap_or_default();
    let edit = sent.edit.unwrap_or_else(|| SessionForm {
        school_year: SchoolYear(m.school_year).label(),
        theme_id: m.theme_id.to_string(),
        title: m.title.clone(),
        kind: m.kind.clone(),
        leader_account_id: m
            .leader_account_id
            .map(|a| a.to_string())
            .unwrap_or_default(),
        leader_name: if m.leader_account_id.is_some() {
            String::new()
        } else {
            m.leader_name.clone()
        },
        link: m.link.clone(),
        code: m.code.clone(),
        date: m.date.to_string(),
        start_time: time.clone(),
        duration_minutes: m.duration_minutes.to_string(),
        modality: m.modality.clone(),
        place: m.place.clone(),
        capacity: m.capacity.to_string(),
    });
    let feedback = sent.feedback.unwrap_or_else(|| FeedbackForm {
        rating: l
            .mine
            .as_ref()
            .and_then(|r| r.rating)
            .map(|r| r.to_string())
            .unwrap_or_default(),
        comment: l
            .mine
            .as_ref()
            .map(|r| r.feedback.clone())
            .unwrap_or_default(),
    });
    let mut rating_options = vec![Opt::new(
        "",
        tr.t("pilotage-formation-choose"),
        &feedback.rating,
    )];
    rating_options.extend((1..=5).map(|n| {
        Opt::new(
            n.to_string(),
            tr.t_args("pilotage-formation-rating-n", &[("n", n.to_string())]),
            &feedback.rating,
        )
    }));
    let registrants = v
        .registrants
        .iter()
        .map(|r| {
            let reg = &r.registration;
            RegistrantRow {
                account_id: reg.account_id,
                name: r.name.clone(),
                attended: match &sent.attended {
                    Some(list) => list.contains(&reg.account_id),
                    None => reg.attended == Some(true),
                },
                attendance: match reg.attended {
                    Some(true) => tr.t("pilotage-formation-present"),
                    Some(false) => tr.t("pilotage-formation-absent"),
                    None => String::new(),
                },
                rating: reg.rating.map(|n| format!("{n}/5")).unwrap_or_default(),
                feedback: reg.feedback.clone(),
            }
        })
        .collect();
    let heading = m.title.clone();
    Ok(SessionPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::formations_year(id, m.school_year),
        theme: l.theme.clone(),
        kind: label(tr, "kind", l.kind.as_str()),
        leader: m.leader_name.clone(),
        link: m.link.clone(),
        code: m.code.clone(),
        when: if time.is_empty() {
            date(m.date)
        } else {
            format!("{} {time}", date(m.date))
        },
        duration: tr.t_args(
            "pilotage-formation-duration-value",
            &[("minutes", m.duration_minutes.to_string())],
        ),
        place: match l.modality {
            Modality::Presentiel => format!(
                "{} — {}",
                label(tr, "modality", l.modality.as_str()),
                m.place
            ),
            Modality::Distanciel => label(tr, "modality", l.modality.as_str()),
        },
        seats: tr.t_args(
            "pilotage-formation-seats",
            &[
                ("left", l.seats_left.to_string()),
                ("capacity", m.capacity.to_string()),
            ],
        ),
        status: label(tr, "status", l.status.as_str()),
        rating: v
            .rating
            .map(|(tenths, n)| {
                tr.t_args(
                    "pilotage-formation-rating-average",
                    &[
                        ("value", format!("{},{}", tenths / 10, tenths % 10)),
                        ("count", n.to_string()),
                    ],
                )
            })
            .unwrap_or_default(),
        mine: match (&l.mine, l.status) {
            (None, _) => String::new(),
            (Some(r), SessionStatus::Held) if r.attended == Some(true) => {
                tr.t("pilotage-formation-mine-attended")
            }
            (Some(_), SessionStatus::Held) => tr.t("pilotage-formation-mine-absent"),
            (Some(_), _) => tr.t("pilotage-formation-mine-registered"),
        },
        may_register: l.open && l.mine.is_none() && l.seats_left > 0,
        may_unregister: l.open && l.mine.is_some(),
        register_action: u::formation_register(id, sid),
        unregister_action: u::formation_unregister(id, sid),
        may_feedback: v.may_feedback,
        feedback_action: u::formation_feedback(id, sid),
        rating_options,
        feedback,
        may_manage: v.may_manage,
        may_record: v.may_manage && l.status.may_record_attendance(),
        editable: v.may_manage && l.status.editable(),
        registrants,
        attendance_action: u::formation_attendance(id, sid),
        edit_action: u::formation_session(id, sid),
        cancel_action: u::formation_cancel(id, sid),
        choices: session_choices(tr, &themes, &leaders, &edit),
        edit,
        errors: sent.errors,
    })
}

/// The page again with a form's errors (422).
async fn again(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    sid: Uuid,
    sent: Sent,
) -> Result<Response, PageError> {
    let p = session_view(state, s, id, sid, sent).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
}

pub(super) async fn session_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    Ok(render(
        &session_view(&state, &s, id, sid, Sent::default()).await?,
    ))
}

pub(super) async fn session_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
    Form(f): Form<SessionForm>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    match svc::update_session(&state.db, &s.ctx, id, sid, &f.input()).await {
        Ok(()) => Ok(done(
            &u::formation_session(id, sid),
            "formation-session-modifiee",
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                edit: Some(f),
                errors,
                ..Default::default()
            };
            again(&state, &s, id, sid, sent).await
        }
    }
}

pub(super) async fn register(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    match svc::register(&state.db, &s.ctx, id, sid, svc::today()).await {
        Ok(()) => Ok(done(&u::formation_session(id, sid), "formation-inscrit")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                errors,
                ..Default::default()
            };
            again(&state, &s, id, sid, sent).await
        }
    }
}

pub(super) async fn unregister(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    match svc::unregister(&state.db, &s.ctx, id, sid, svc::today()).await {
        Ok(()) => Ok(done(&u::formation_session(id, sid), "formation-desinscrit")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                errors,
                ..Default::default()
            };
            again(&state, &s, id, sid, sent).await
        }
    }
}

pub(super) async fn attendance(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    let attended: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "attended")
        .map(|(_, v)| v.clone())
        .collect();
    match svc::record_attendance(&state.db, &s.ctx, id, sid, &attended, svc::today()).await {
        Ok(_) => Ok(done(&u::formation_session(id, sid), "formation-presences")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                attended: Some(
                    attended
                        .iter()
                        .filter_map(|a| Uuid::parse_str(a).ok())
                        .collect(),
                ),
                errors,
                ..Default::default()
            };
            again(&state, &s, id, sid, sent).await
        }
    }
}

pub(super) async fn feedback(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
    Form(f): Form<FeedbackForm>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    let input = FeedbackInput {
        rating: f.rating.clone(),
        comment: f.comment.clone(),
    };
    match svc::give_feedback(&state.db, &s.ctx, id, sid, &input).await {
        Ok(()) => Ok(done(&u::formation_session(id, sid), "formation-avis")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                feedback: Some(f),
                errors,
                ..Default::default()
            };
            again(&state, &s, id, sid, sent).await
        }
    }
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    match svc::cancel_session(&state.db, &s.ctx, id, sid).await {
        Ok(()) => Ok(done(&u::formation_session(id, sid), "formation-annulee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let sent = Sent {
                errors,
                ..Default::default()
            };
            again(&state, &s, id, sid, sent).await
        }
    }
}
