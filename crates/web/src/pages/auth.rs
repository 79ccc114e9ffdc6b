use super::{render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::FormErrors;
use crate::page::{Page, Shell, set_cookie};
use crate::session::{ClientAddr, SessionState};
use crate::urls;
use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use refnum_services::auth::{self, LoginError};

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    errors: FormErrors,
    notice: Option<String>,
    email: String,
    next: String,
    /// "Se connecter avec …" buttons of the configured SSO providers.
    sso: Vec<super::sso::SsoButton>,
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    suite: Option<String>,
}

/// Only local paths: never an open redirect.
pub async fn form(
    State(state): State<AppState>,
    shell: Shell,
    Query(q): Query<NextQuery>,
) -> Response {
    if shell.ctx.is_some() {
        return Redirect::to(urls::HOME).into_response();
    }
    render(&LoginPage {
        page: shell.page("login-title"),
        errors: FormErrors::default(),
        notice: None,
        email: String::new(),
        next: urls::safe_return_path(q.suite.as_deref()),
        sso: super::sso::buttons(
            &state.config.sso,
            &urls::safe_return_path(q.suite.as_deref()),
        ),
    })
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    suite: String,
}

pub async fn submit(
    State(state): State<AppState>,
    shell: Shell,
    Extension(addr): Extension<ClientAddr>,
    Extension(st): Extension<SessionState>,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let tr = shell.tr;
    let next = urls::safe_return_path(Some(&f.suite));
    if f.email.trim().is_empty() || f.password.is_empty() {
        let mut errors = FormErrors::default();
        if f.email.trim().is_empty() {
            errors
                .items
                .extend(FormErrors::one(tr, "email", "error-required").items);
        }
        if f.password.is_empty() {
            errors
                .items
                .extend(FormErrors::one(tr, "password", "error-required").items);
        }
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &LoginPage {
                page: shell.page("login-title"),
                errors,
                notice: None,
                email: f.email,
                sso: super::sso::buttons(&state.config.sso, &next),
                next,
            },
        ));
    }
    let res = auth::login(
        &state.db,
        &f.email,
        &f.password,
        &addr.0,
        st.session.as_ref(),
        &state.config.auth,
    )
    .await?;
    match res {
        Ok(ok) => {
            let cookie = set_cookie(
                state.config.session_cookie(),
                &ok.token,
                None,
                state.config.secure_cookies,
            );
            let mut r = Redirect::to(&next).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(LoginError::Invalid) => Ok(render_status(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                page: shell.page("login-title"),
                errors: FormErrors::default(),
                notice: Some(tr.t("login-invalid")),
                email: f.email,
                sso: super::sso::buttons(&state.config.sso, &next),
                next,
            },
        )),
        Err(LoginError::Throttled { retry_after_secs }) => {
            let minutes = (retry_after_secs + 59) / 60;
            let mut r = render_status(
                StatusCode::TOO_MANY_REQUESTS,
                &LoginPage {
                    page: shell.page("login-title"),
                    errors: FormErrors::default(),
                    notice: Some(tr.t_args("login-throttled", &[("minutes", minutes.to_string())])),
                    email: f.email,
                    sso: super::sso::buttons(&state.config.sso, &next),
                    next,
                },
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(r)
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(st): Extension<SessionState>,
) -> Result<Response, PageError> {
    if let Some(s) = &st.session {
        auth::logout(&state.db, s).await?;
    }
    let mut r = Redirect::to(&format!("{}?fait=deconnexion", urls::LOGIN)).into_response();
    let clear = set_cookie(
        state.config.session_cookie(),
        "",
        Some(0),
        state.config.secure_cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&clear) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}
