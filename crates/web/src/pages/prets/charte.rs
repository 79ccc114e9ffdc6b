//! The loan charter's versions.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{SignedIn, done, render, render_status};
use crate::urls::prets as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_services::prets::charter::{self, CharterInput};
use refnum_services::prets::{self};
use uuid::Uuid;

use super::date;

pub struct CharterView {
    pub version: i32,
    pub title: String,
    pub effective: String,
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "prets/charter.html")]
struct CharterPage {
    page: Page,
    heading: String,
    list_href: String,
    can_manage: bool,
    action: String,
    input: CharterInput,
    versions: Vec<CharterView>,
    errors: FormErrors,
}

fn charter_page(
    s: &SignedIn,
    id: Uuid,
    l: charter::Charters,
    input: CharterInput,
    errors: FormErrors,
) -> CharterPage {
    let tr = s.shell.tr;
    let heading = tr.t("loan-charter-title");
    CharterPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        list_href: u::loans(id),
        can_manage: l.rights.manage,
        action: u::charter(id),
        versions: l
            .versions
            .iter()
            .map(|c| CharterView {
                version: c.version,
                title: c.title.clone(),
                effective: date(c.effective_on),
                lines: c
                    .body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
            .collect(),
        input,
        errors,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CharterForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    effective_on: String,
}

pub async fn charters(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let l = charter::list(&state.db, &s.ctx, id).await?;
    let input = CharterInput {
        title: l
            .versions
            .first()
            .map(|c| c.title.clone())
            .unwrap_or_default(),
        body: l
            .versions
            .first()
            .map(|c| c.body.clone())
            .unwrap_or_default(),
        effective_on: prets::today().to_string(),
    };
    Ok(render(&charter_page(
        &s,
        id,
        l,
        input,
        FormErrors::default(),
    )))
}

pub async fn charter_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<CharterForm>,
) -> Result<Response, PageError> {
    let input = CharterInput {
        title: f.title,
        body: f.body,
        effective_on: f.effective_on,
    };
    match charter::add(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&u::charter(id), "charte-ajoutee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let l = charter::list(&state.db, &s.ctx, id).await?;
            let p = charter_page(&s, id, l, input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
