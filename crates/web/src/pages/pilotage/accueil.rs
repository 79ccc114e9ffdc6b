//! The school's pilotage home, for the head and the referents: what is due
//! (this year's letter, the comité's meeting of the term, its overdue
//! actions, the letter's indicators off target now), each line a link to
//! where it is done.

use crate::AppState;
use crate::errors::PageError;
use crate::page::Page;
use crate::pages::{SignedIn, When, fmt_time, render};
use crate::urls::pilotage as u;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::lettre::LetterStatus;
use refnum_services::pilotage::accueil::{self, LetterDue};
use refnum_services::prets::today;
use uuid::Uuid;

use super::{metric_label, status_label, status_tag, value_text};

/// One line of what is due.
pub struct Due {
    pub id: &'static str,
    pub text: String,
    pub href: String,
    pub link: String,
}

pub struct CurrentLetter {
    pub href: String,
    pub year: String,
    pub version: i32,
    pub status: String,
    pub status_code: &'static str,
    pub updated: When,
}

#[derive(Template)]
#[template(path = "pilotage/home.html")]
struct HomePage {
    page: Page,
    heading: String,
    year: String,
    dues: Vec<Due>,
    current: Option<CurrentLetter>,
    letters_href: String,
    comite_href: String,
}

pub async fn home(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let h = accueil::read(&state.db, &s.ctx, id, today(), chrono::Utc::now()).await?;
    let tr = s.shell.tr;
    let year = h.year.label();
    let mut dues = vec![];
    let letter_href = h
        .letter
        .as_ref()
        .map(|l| u::letter(id, l.id))
        .unwrap_or_else(|| u::new_letter(id));
    if let Some(d) = h.letter_due {
        let (key, link) = match d {
            LetterDue::Write => ("pilotage-due-no-letter", "pilotage-letter-new"),
            LetterDue::Complete => ("pilotage-due-draft", "pilotage-letter-open"),
            LetterDue::Sign => ("pilotage-due-sign", "pilotage-letter-open"),
            LetterDue::Acknowledge => ("pilotage-due-acknowledge", "pilotage-letter-open"),
        };
        dues.push(Due {
            id: "due-letter",
            text: tr.t_args(key, &[("year", year.clone())]),
            href: letter_href,
            link: tr.t(link),
        });
    }
    if let Some(term) = h.meeting_due {
        dues.push(Due {
            id: "due-meeting",
            text: tr.t_args(
                "pilotage-due-meeting",
                &[(
                    "term",
                    tr.t(&format!("pilotage-comite-term-{}", term.as_str())),
                )],
            ),
            href: u::new_meeting(id),
            link: tr.t("pilotage-due-meeting-link"),
        });
    }
    for a in &h.overdue {
        dues.push(Due {
            id: "due-action",
            text: tr.t_args(
                "pilotage-due-action",
                &[
                    ("title", a.action.title.clone()),
                    ("date", a.action.due_on.format("%d/%m/%Y").to_string()),
                    ("owner", a.action.owner_name.clone()),
                ],
            ),
            href: u::action(id, a.action.id),
            link: tr.t("pilotage-due-action-link"),
        });
    }
    if h.overdue_count > h.overdue.len() as u64 {
        dues.push(Due {
            id: "due-actions-more",
            text: tr.t_args(
                "pilotage-due-actions-more",
                &[(
                    "count",
                    (h.overdue_count - h.overdue.len() as u64).to_string(),
                )],
            ),
            href: u::comite(id),
            link: tr.t("pilotage-due-comite-link"),
        });
    }
    for o in &h.off_target {
        let unit = o.metric.unit();
        dues.push(Due {
            id: "due-indicator",
            text: tr.t_args(
                "pilotage-due-indicator",
                &[
                    ("label", o.label.clone()),
                    ("metric", metric_label(tr, o.metric)),
                    ("value", value_text(tr, unit, o.value)),
                    ("target", value_text(tr, unit, o.target)),
                ],
            ),
            href: h
                .letter
                .as_ref()
                .map(|l| u::letter(id, l.id))
                .unwrap_or_else(|| u::letters(id)),
            link: tr.t("pilotage-letter-open"),
        });
    }
    for o in &h.project_off_target {
        dues.push(Due {
            id: "due-project-indicator",
            text: tr.t_args(
                "pilotage-due-project-indicator",
                &[
                    ("label", o.label.clone()),
                    ("objective", o.objective_title.clone()),
                    ("value", value_text(tr, o.unit, o.value)),
                    ("target", value_text(tr, o.unit, o.target)),
                ],
            ),
            href: u::projet_indicator(id, o.indicator_id),
            link: tr.t("pilotage-due-project-link"),
        });
    }
    let heading = tr.t_args("pilotage-home-title", &[("school", h.etab.name.clone())]);
    let current = h.letter.as_ref().map(|x| {
        let st = LetterStatus::parse(&x.status).unwrap_or(LetterStatus::Draft);
        CurrentLetter {
            href: u::letter(id, x.id),
            year: SchoolYear(x.school_year).label(),
            version: x.version,
            status: status_label(tr, st),
            status_code: status_tag(st),
            updated: fmt_time(tr, &x.updated_at),
        }
    });
    Ok(render(&HomePage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        year,
        dues,
        current,
        letters_href: u::letters(id),
        comite_href: u::comite(id),
    }))
}
