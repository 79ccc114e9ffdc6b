//! The year's comité: members, meetings, actions, the terms without a
//! meeting; adding and removing members, an action outside any meeting.

use super::*;
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status, role_label};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::{MemberKind, OutsideQuality, format_start_time};
use refnum_services::pilotage::comite::MemberInput;

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

pub(super) async fn year_page(
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

pub(super) async fn member_add(
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

pub(super) async fn member_remove(
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

pub(super) async fn action_create_standalone(
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
