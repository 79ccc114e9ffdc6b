//! The year's training plan: the offer, the caller's needs and sessions,
//! the need's form; for those who run it, every need and the counts per
//! theme, discipline and teacher.

use super::*;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use crate::urls::pilotage as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::format_start_time;
use refnum_domain::pilotage::formations::{Modality, SessionStatus};
use refnum_services::pilotage::formations::{self as svc, NeedInput, NeedLine, SessionLine};

pub struct YearLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct SessionRow {
    pub href: String,
    pub date: String,
    pub time: String,
    pub title: String,
    pub theme: String,
    pub kind: String,
    pub place: String,
    pub seats: String,
    pub status: String,
    pub cancelled: bool,
    /// The caller's registration, said in words ("inscrit", "présent"…).
    pub mine: String,
}

pub struct NeedRow {
    pub name: String,
    pub theme: String,
    pub comment: String,
}

pub struct ThemeRow {
    pub label: String,
    pub needs: u64,
    pub sessions: u64,
    pub held: u64,
    pub registrations: u64,
    pub trained: u64,
}

pub struct DisciplineRow {
    pub label: String,
    pub needs: u64,
    pub trained: u64,
}

pub struct TeacherRow {
    pub name: String,
    pub needs: String,
    pub registered: String,
    pub attended: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct NeedForm {
    #[serde(default)]
    theme_id: String,
    #[serde(default)]
    comment: String,
}

#[derive(Template)]
#[template(path = "pilotage/formations/annee.html")]
struct YearPage {
    page: Page,
    heading: String,
    years: Vec<YearLink>,
    may_manage: bool,
    new_session_href: String,
    themes_href: String,
    sessions: Vec<SessionRow>,
    mine: Vec<SessionRow>,
    my_needs: Vec<NeedRow>,
    need_action: String,
    theme_options: Vec<Opt>,
    input: NeedForm,
    needs: Vec<NeedRow>,
    per_theme: Vec<ThemeRow>,
    per_discipline: Vec<DisciplineRow>,
    per_teacher: Vec<TeacherRow>,
    held: u64,
    trained: u64,
    errors: FormErrors,
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    annee: String,
}

/// The caller's registration in words.
fn mine_text(tr: Tr, l: &SessionLine) -> String {
    match (&l.mine, l.status) {
        (None, _) => String::new(),
        (Some(m), SessionStatus::Held) => match m.attended {
            Some(true) => tr.t("pilotage-formation-mine-attended"),
            _ => tr.t("pilotage-formation-mine-absent"),
        },
        (Some(_), _) => tr.t("pilotage-formation-mine-registered"),
    }
}

pub(super) fn session_row(tr: Tr, etab: Uuid, l: &SessionLine) -> SessionRow {
    let s = &l.session;
    SessionRow {
        href: u::formation_session(etab, s.id),
        date: date(s.date),
        time: s
            .start_minute
            .and_then(|x| u16::try_from(x).ok())
            .map(format_start_time)
            .unwrap_or_default(),
        title: s.title.clone(),
        theme: l.theme.clone(),
        kind: label(tr, "kind", l.kind.as_str()),
        place: match l.modality {
            Modality::Presentiel => s.place.clone(),
            Modality::Distanciel => label(tr, "modality", l.modality.as_str()),
        },
        seats: tr.t_args(
            "pilotage-formation-seats",
            &[
                ("left", l.seats_left.to_string()),
                ("capacity", s.capacity.to_string()),
            ],
        ),
        status: label(tr, "status", l.status.as_str()),
        cancelled: l.status == SessionStatus::Cancelled,
        mine: mine_text(tr, l),
    }
}

fn need_row(n: &NeedLine) -> NeedRow {
    NeedRow {
        name: n.name.clone(),
        theme: n.theme.clone(),
        comment: n.need.comment.clone(),
    }
}

async fn year_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    year: SchoolYear,
    input: NeedForm,
    errors: FormErrors,
) -> Result<YearPage, PageError> {
    let tr = s.shell.tr;
    let p = svc::plan(&state.db, &s.ctx, id, year, svc::today()).await?;
    let heading = tr.t_args(
        "pilotage-formation-title",
        &[
            ("year", p.year.label()),
            ("school", p.etablissement.name.clone()),
        ],
    );
    let mut theme_options = vec![Opt::new(
        "",
        tr.t("pilotage-formation-choose"),
        &input.theme_id,
    )];
    theme_options.extend(
        p.themes
            .iter()
            .map(|t| Opt::new(t.id.to_string(), t.label.clone(), &input.theme_id)),
    );
    let sessions: Vec<SessionRow> = p.sessions.iter().map(|l| session_row(tr, id, l)).collect();
    let mine = p
        .sessions
        .iter()
        .filter(|l| l.mine.is_some())
        .map(|l| session_row(tr, id, l))
        .collect();
    let unknown = tr.t("pilotage-formation-discipline-unknown");
    Ok(YearPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        years: p
            .years
            .iter()
            .map(|y| YearLink {
                href: u::formations_year(id, y.0),
                label: y.label(),
                current: *y == p.year,
            })
            .collect(),
        may_manage: p.may_manage,
        new_session_href: u::formation_new_session(id),
        themes_href: u::formation_themes(id),
        sessions,
        mine,
        my_needs: p.my_needs.iter().map(need_row).collect(),
        need_action: u::formation_needs(id),
        theme_options,
        input,
        needs: p.needs.iter().map(need_row).collect(),
        per_theme: p
            .per_theme
            .iter()
            .map(|c| ThemeRow {
                label: c.label.clone(),
                needs: c.needs,
                sessions: c.sessions,
                held: c.held,
                registrations: c.registrations,
                trained: c.trained,
            })
            .collect(),
        per_discipline: p
            .per_discipline
            .iter()
            .map(|c| DisciplineRow {
                label: c.label.clone().unwrap_or_else(|| unknown.clone()),
                needs: c.needs,
                trained: c.trained,
            })
            .collect(),
        per_teacher: p
            .per_teacher
            .iter()
            .map(|t| TeacherRow {
                name: t.name.clone(),
                needs: t.needs.join(", "),
                registered: t.registered.join(", "),
                attended: t.attended.join(", "),
            })
            .collect(),
        held: p.figures.0,
        trained: p.figures.1,
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
        NeedForm::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub(super) async fn need_state(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<NeedForm>,
) -> Result<Response, PageError> {
    let input = NeedInput {
        theme_id: f.theme_id.clone(),
        comment: f.comment.clone(),
    };
    let today = svc::today();
    match svc::state_need(&state.db, &s.ctx, id, &input, today).await {
        Ok(_) => Ok(done(&u::formations(id), "formation-besoin")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = year_view(&state, &s, id, SchoolYear::of(today), f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
