//! The year-end review of a signed letter: each indicator's final value
//! beside its target (with a comment), and a comment per axis.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use crate::urls::pilotage as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::pilotage::indicateurs::{Unit, format_value};
use refnum_domain::pilotage::lettre::IndicatorSource;
use refnum_domain::pilotage::{Axis, SchoolYear};
use refnum_services::pilotage::lettres::{self, LetterView};
use refnum_services::pilotage::revue::{self, FinalInput, ReviewInput};
use uuid::Uuid;

use super::{axis_label, field, letter_id, metric_label, value_text};

pub struct FinalRow {
    pub index: usize,
    pub label: String,
    pub source: String,
    pub target: String,
    pub unit: String,
    pub value: String,
    pub comment: String,
}

pub struct AxisRow {
    pub index: usize,
    pub label: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "pilotage/review.html")]
struct ReviewPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    finals: Vec<FinalRow>,
    axes: Vec<AxisRow>,
    errors: FormErrors,
}

fn review_page(
    s: &SignedIn,
    id: Uuid,
    v: &LetterView,
    input: Option<&ReviewInput>,
    errors: FormErrors,
) -> ReviewPage {
    let tr = s.shell.tr;
    let lid = v.letter.id;
    let heading = tr.t_args(
        "pilotage-review-heading",
        &[("year", SchoolYear(v.letter.school_year).label())],
    );
    let finals = v
        .content
        .indicators
        .iter()
        .zip(&v.parts.indicators)
        .enumerate()
        .map(|(i, (c, stored))| {
            let given = input.and_then(|x| {
                x.finals
                    .iter()
                    .find(|f| f.indicator_id == stored.id.to_string())
            });
            let unit: Unit = c.source.unit();
            FinalRow {
                index: i,
                label: c.label.clone(),
                source: match c.source {
                    IndicatorSource::Bound { metric } => metric_label(tr, metric),
                    IndicatorSource::Manual { .. } => tr.t("pilotage-source-manual"),
                },
                target: value_text(tr, unit, c.target),
                unit: super::unit_label(tr, unit),
                value: match given {
                    Some(g) => g.value.clone(),
                    None => stored.final_value.map(format_value).unwrap_or_default(),
                },
                comment: match given {
                    Some(g) => g.comment.clone(),
                    None => stored.final_comment.clone(),
                },
            }
        })
        .collect();
    let axes = Axis::ALL
        .iter()
        .enumerate()
        .map(|(i, a)| AxisRow {
            index: i,
            label: axis_label(tr, *a),
            comment: match input {
                Some(x) => x
                    .axes
                    .iter()
                    .find(|(c, _)| c == a.as_str())
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default(),
                None => v
                    .reviews
                    .iter()
                    .find(|r| r.axis == a.as_str())
                    .map(|r| r.comment.clone())
                    .unwrap_or_default(),
            },
        })
        .collect();
    ReviewPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: u::review(id, lid),
        cancel_href: u::letter(id, lid),
        finals,
        axes,
        errors,
    }
}

pub async fn form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let v = lettres::view(&state.db, &s.ctx, id, lid).await?;
    if !v.rights.draft {
        return Err(PageError::Forbidden);
    }
    Ok(render(&review_page(
        &s,
        id,
        &v,
        None,
        FormErrors::default(),
    )))
}

pub async fn submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let v = lettres::view(&state.db, &s.ctx, id, lid).await?;
    let input = ReviewInput {
        finals: v
            .parts
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| FinalInput {
                indicator_id: ind.id.to_string(),
                value: field(&pairs, &format!("final-{i}-value")).into(),
                comment: field(&pairs, &format!("final-{i}-comment")).into(),
            })
            .collect(),
        axes: Axis::ALL
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    a.as_str().to_string(),
                    field(&pairs, &format!("axis-{i}-comment")).to_string(),
                )
            })
            .collect(),
    };
    match revue::review(&state.db, &s.ctx, id, lid, &input).await {
        Ok(()) => Ok(done(&u::letter(id, lid), "revue-enregistree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = review_page(&s, id, &v, Some(&input), errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
