use super::render;
use crate::AppState;
use crate::errors::PageError;
use crate::page::{DISPLAY_COOKIE, LANG_COOKIE, Page, Shell, set_cookie};
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use refnum_services::display::{DisplayPrefs, FONTS, SIZES, SPACINGS, THEMES};
use refnum_services::people;

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct Group {
    pub name: &'static str,
    pub legend: String,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "settings/display.html")]
struct DisplayPage {
    page: Page,
    groups: Vec<Group>,
}

#[derive(Template)]
#[template(path = "settings/accessibility.html")]
struct AccessibilityPage {
    page: Page,
}

const ONE_YEAR: i64 = 365 * 24 * 3600;

pub async fn form(shell: Shell) -> Response {
    let tr = shell.tr;
    let p = &shell.display;
    let group = |name: &'static str, values: &[&'static str], current: &str| Group {
        name,
        legend: tr.t(&format!("display-{name}")),
        choices: values
            .iter()
            .map(|v| Choice {
                value: v,
                label: tr.t(&format!("display-{name}-{v}")),
                selected: *v == current,
            })
            .collect(),
    };
    let groups = vec![
        group("theme", &THEMES, p.theme),
        group("font", &FONTS, p.font),
        group("spacing", &SPACINGS, p.spacing),
        group("size", &SIZES, p.size),
    ];
    render(&DisplayPage {
        page: shell.page("display-title"),
        groups,
    })
}

#[derive(serde::Deserialize)]
pub struct DisplayForm {
    #[serde(default)]
    theme: String,
    #[serde(default)]
    font: String,
    #[serde(default)]
    spacing: String,
    #[serde(default)]
    size: String,
}

pub async fn submit(
    State(state): State<AppState>,
    shell: Shell,
    Form(f): Form<DisplayForm>,
) -> Result<Response, PageError> {
    let Some(prefs) = DisplayPrefs::from_values(&f.theme, &f.font, &f.spacing, &f.size) else {
        return Err(PageError::BadRequest);
    };
    let encoded = prefs.encode();
    if let Some(ctx) = &shell.ctx {
        people::save_display_prefs(&state.db, &ctx.account, &encoded).await?;
    }
    let mut r = Redirect::to(&format!("{}?fait=affichage", urls::DISPLAY)).into_response();
    let cookie = set_cookie(
        DISPLAY_COOKIE,
        &encoded,
        Some(ONE_YEAR),
        state.config.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn lang(
    State(state): State<AppState>,
    shell: Shell,
    Form(f): Form<LangForm>,
) -> Result<Response, PageError> {
    if !["fr", "en"].contains(&f.lang.as_str()) {
        return Err(PageError::BadRequest);
    }
    if let Some(ctx) = &shell.ctx {
        people::save_locale(&state.db, &ctx.account, &f.lang).await?;
    }
    let back = urls::safe_return_path(Some(&f.back));
    let mut r = Redirect::to(&back).into_response();
    let cookie = set_cookie(
        LANG_COOKIE,
        &f.lang,
        Some(ONE_YEAR),
        state.config.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

pub async fn accessibility(shell: Shell) -> Response {
    render(&AccessibilityPage {
        page: shell.page("a11y-title"),
    })
}
