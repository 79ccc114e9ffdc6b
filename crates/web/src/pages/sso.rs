//! Single sign-on pages: the provider buttons of the sign-in page, the
//! start and return of a sign-in at a provider, CAS single logout, one's
//! linked identities, and the administrator's list of providers.

use super::{SignedIn, done, enc, fmt_time, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::page::{Page, Shell, set_cookie};
use crate::session::{ClientAddr, SessionState};
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use refnum_services::sso::{self, Refusal, Registry};
use uuid::Uuid;

/// A "Se connecter avec …" button of the sign-in page.
pub struct SsoButton {
    pub href: String,
    pub label: String,
}

/// The buttons of the configured providers (`next`: where to go after).
pub fn buttons(reg: &Registry, next: &str) -> Vec<SsoButton> {
    reg.providers()
        .iter()
        .map(|p| SsoButton {
            href: if next == urls::HOME {
                urls::sso_start(&p.id)
            } else {
                format!("{}?suite={}", urls::sso_start(&p.id), enc(next))
            },
            label: p.label.clone(),
        })
        .collect()
}

/// Our absolute return URL for a provider (the CAS `service`, the OIDC
/// `redirect_uri`): from the public URL, else from the request's Host.
fn callback_url(state: &AppState, headers: &HeaderMap, id: &str) -> Result<String, PageError> {
    let origin = match &state.config.public_origin {
        Some(o) => o.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .filter(|h| {
                    !h.is_empty()
                        && h.bytes().all(|b| {
                            b.is_ascii_alphanumeric()
                                || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                        })
                })
                .ok_or(PageError::BadRequest)?;
            let scheme = if state.config.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}")
        }
    };
    Ok(format!("{origin}{}", urls::sso_return(id)))
}

#[derive(Template)]
#[template(path = "sso/refused.html")]
struct RefusedPage {
    page: Page,
    heading: String,
    message: String,
}

fn refused(shell: &Shell, r: &Refusal) -> Response {
    let key = r.key();
    let page = RefusedPage {
        page: shell.page(&format!("sso-refused-{key}-title")),
        heading: shell.tr.t(&format!("sso-refused-{key}-title")),
        message: shell.tr.t(&format!("sso-refused-{key}-text")),
    };
    render_status(
        StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST),
        &page,
    )
}

fn signed_in(state: &AppState, ok: sso::SignedIn) -> Response {
    let cookie = set_cookie(
        state.config.session_cookie(),
        &ok.token,
        None,
        state.config.secure_cookies,
    );
    let to = urls::safe_return_path(Some(&ok.return_to));
    let mut r = Redirect::to(&to).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Only local paths: never an open redirect.
#[derive(serde::Deserialize, Default)]
pub struct StartQuery {
    suite: Option<String>,
}

/// `GET /connexion/sso/{id}`: off to the provider.
pub async fn start(
    State(state): State<AppState>,
    shell: Shell,
    headers: HeaderMap,
    Extension(st): Extension<SessionState>,
    Path(id): Path<String>,
    Query(q): Query<StartQuery>,
) -> Result<Response, PageError> {
    if state.config.sso.get(&id).is_none() {
        return Err(PageError::NotFound);
    }
    let callback = callback_url(&state, &headers, &id)?;
    let next = urls::safe_return_path(q.suite.as_deref());
    match sso::begin(
        &state.db,
        &state.config.sso,
        &id,
        st.session.as_ref(),
        &callback,
        &next,
    )
    .await?
    {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(r) => Ok(refused(&shell, &r)),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ReturnQuery {
    ticket: Option<String>,
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /connexion/sso/{id}/retour`: back from the provider.
pub async fn finish(
    State(state): State<AppState>,
    shell: Shell,
    headers: HeaderMap,
    Extension(st): Extension<SessionState>,
    Extension(addr): Extension<ClientAddr>,
    Path(id): Path<String>,
    Query(q): Query<ReturnQuery>,
) -> Result<Response, PageError> {
    let Some(p) = state.config.sso.get(&id) else {
        return Err(PageError::NotFound);
    };
    let callback = callback_url(&state, &headers, &id)?;
    let outcome = match p.kind_str() {
        "cas" => {
            sso::cas_callback(
                &state.db,
                &state.config.sso,
                &id,
                q.ticket.as_deref(),
                &callback,
                st.session.as_ref(),
                &addr.0,
            )
            .await?
        }
        _ => {
            let ret = sso::OidcReturn {
                code: q.code,
                state: q.state,
                error: q.error,
            };
            sso::oidc_callback(
                &state.db,
                &state.config.sso,
                &id,
                &ret,
                st.session.as_ref(),
                &callback,
                &addr.0,
            )
            .await?
        }
    };
    Ok(match outcome {
        Ok(ok) => signed_in(&state, ok),
        Err(r) => refused(&shell, &r),
    })
}

#[derive(serde::Deserialize)]
pub struct LogoutForm {
    #[serde(default, rename = "logoutRequest")]
    logout_request: String,
}

/// `POST /connexion/sso/{id}/retour`: CAS single logout, sent by the CAS
/// server itself (no session, no CSRF token: the one route exempted).
pub async fn cas_logout(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<LogoutForm>,
) -> Result<Response, PageError> {
    match state.config.sso.get(&id) {
        Some(p) if p.kind_str() == "cas" => {}
        _ => return Err(PageError::NotFound),
    }
    sso::cas_single_logout(&state.db, &state.config.sso, &id, &f.logout_request).await?;
    Ok((StatusCode::OK, "").into_response())
}

pub struct IdentityRow {
    pub id: Uuid,
    pub provider: String,
    pub created: crate::time::When,
    pub last_login: crate::time::When,
}

#[derive(Template)]
#[template(path = "sso/identities.html")]
struct IdentitiesPage {
    page: Page,
    identities: Vec<IdentityRow>,
}

/// `GET /compte/identites`: one's identities at the providers.
pub async fn identities(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    let rows = sso::my_identities(&state.db, &state.config.sso, &s.ctx.account)
        .await?
        .into_iter()
        .map(|i| IdentityRow {
            id: i.id,
            provider: i.provider_label,
            created: fmt_time(s.shell.tr, &i.created_at),
            last_login: fmt_time(s.shell.tr, &i.last_login_at),
        })
        .collect();
    Ok(render(&IdentitiesPage {
        page: s.shell.page("sso-identities-title"),
        identities: rows,
    }))
}

/// `POST /compte/identites/{id}/delier`.
pub async fn unlink(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    sso::unlink(&state.db, &s.ctx.account, id).await?;
    Ok(done(urls::SSO_IDENTITIES, "identite-deliee"))
}

pub struct ProviderRow {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub endpoint: String,
    pub link: String,
    pub mfa: String,
    pub identities: u64,
}

#[derive(Template)]
#[template(path = "sso/admin.html")]
struct AdminPage {
    page: Page,
    providers: Vec<ProviderRow>,
}

/// `GET /admin/sso`: the configured providers (read-only).
pub async fn admin(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let providers = sso::overview(&state.db, &s.ctx, &state.config.sso)
        .await?
        .into_iter()
        .map(|p| ProviderRow {
            id: p.id,
            label: p.label,
            kind: tr.t(&format!("sso-kind-{}", p.kind)),
            endpoint: p.endpoint,
            link: format!(
                "{} ({})",
                tr.t(&format!("sso-link-{}", p.link_by)),
                p.link_attribute
            ),
            mfa: if p.mfa_values.is_empty() {
                tr.t("sso-mfa-none")
            } else {
                p.mfa_values.join(", ")
            },
            identities: p.identities,
        })
        .collect();
    Ok(render(&AdminPage {
        page: s.shell.page("sso-admin-title"),
        providers,
    }))
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/connexion/sso/{id}", get(start))
        .route("/connexion/sso/{id}/retour", get(finish).post(cas_logout))
        .route(urls::SSO_IDENTITIES, get(identities))
        .route("/compte/identites/{id}/delier", post(unlink))
        .route(urls::ADMIN_SSO, get(admin))
}
