//! The plan's themes: the list, offering one no longer (or again), adding
//! one (those who run the plan).

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
use refnum_services::pilotage::formations as svc;

pub struct ThemeLine {
    pub label: String,
    pub active: bool,
    pub state_href: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ThemeForm {
    #[serde(default)]
    label: String,
}

#[derive(Template)]
#[template(path = "pilotage/formations/themes.html")]
struct ThemesPage {
    page: Page,
    heading: String,
    back_href: String,
    themes: Vec<ThemeLine>,
    action: String,
    input: ThemeForm,
    errors: FormErrors,
}

async fn themes_view(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    input: ThemeForm,
    errors: FormErrors,
) -> Result<ThemesPage, PageError> {
    // Only those who run the plan see this page.
    svc::leaders(&state.db, &s.ctx, id).await?;
    let themes = svc::themes(&state.db, &s.ctx, id).await?;
    let heading = s.shell.tr.t("pilotage-formation-themes");
    Ok(ThemesPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        back_href: u::formations(id),
        themes: themes
            .iter()
            .map(|t| ThemeLine {
                label: t.label.clone(),
                active: t.active,
                state_href: u::formation_theme_state(id, t.id),
            })
            .collect(),
        action: u::formation_themes(id),
        input,
        errors,
    })
}

pub(super) async fn themes_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(
        &themes_view(&state, &s, id, ThemeForm::default(), FormErrors::default()).await?,
    ))
}

pub(super) async fn theme_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<ThemeForm>,
) -> Result<Response, PageError> {
    match svc::add_theme(&state.db, &s.ctx, id, &f.label).await {
        Ok(_) => Ok(done(&u::formation_themes(id), "formation-theme-ajoute")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = themes_view(&state, &s, id, f, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct StateForm {
    #[serde(default)]
    active: String,
}

pub(super) async fn theme_state(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, tid)): Path<(Uuid, String)>,
    Form(f): Form<StateForm>,
) -> Result<Response, PageError> {
    let tid = path_id(&tid)?;
    svc::set_theme_active(&state.db, &s.ctx, id, tid, f.active == "1").await?;
    Ok(done(&u::formation_themes(id), "formation-theme-etat"))
}
