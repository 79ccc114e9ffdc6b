//! The second factor: the gate that holds a privileged session until it
//! passes, enrolment (QR code, secret as text, first code), the code and
//! recovery-code forms, one's own settings, and the administrator's reset.

use super::{SignedIn, done, fmt_time, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::FormErrors;
use crate::page::{Page, Shell};
use crate::session::SessionState;
use crate::urls;
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use refnum_db::accounts;
use refnum_services::ServiceError;
use refnum_services::mfa::{self, Refused, Stage};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(urls::SECOND_FACTOR, get(form).post(submit))
        .route(urls::ACCOUNT_SECOND_FACTOR, get(settings))
        .route(urls::ACCOUNT_RECOVERY_CODES, post(regenerate))
        .route("/admin/comptes/{id}/second-facteur", get(admin_page))
        .route(
            "/admin/comptes/{id}/second-facteur/reinitialiser",
            post(admin_reset),
        )
}

/// Paths a session waiting for its second factor may still reach.
pub fn exempt(path: &str) -> bool {
    path == urls::SECOND_FACTOR
        || path.starts_with(&format!("{}/", urls::SECOND_FACTOR))
        || path == urls::LOGOUT
        || path == urls::DISPLAY
        || path == urls::LANG
        || path.starts_with("/assets/")
        || path == "/healthz"
        || path == "/metrics"
}

/// The gate, run by the session middleware once the session and the
/// context are loaded: a session whose account needs a second factor and
/// has not passed it is sent to the second-factor page (GET, HEAD) or
/// refused (other methods), except on the [`exempt`] paths.
pub async fn gate(state: &AppState, req: Request) -> Result<Request, Response> {
    let pending = req
        .extensions()
        .get::<SessionState>()
        .and_then(|st| Some(mfa::pending(st.ctx.as_ref()?, st.session.as_ref()?)))
        .unwrap_or(false);
    if !pending || exempt(req.uri().path()) {
        return Ok(req);
    }
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        let wanted = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = if wanted == urls::HOME {
            urls::SECOND_FACTOR.to_string()
        } else {
            format!("{}?suite={}", urls::SECOND_FACTOR, super::enc(wanted))
        };
        return Err(Redirect::to(&target).into_response());
    }
    let (mut parts, _body) = req.into_parts();
    let shell = match Shell::from_request_parts(&mut parts, state).await {
        Ok(s) => s,
        Err(never) => match never {},
    };
    Err(render_status(
        StatusCode::FORBIDDEN,
        &RequiredPage {
            page: pending_page(&shell, "mfa-required-title"),
        },
    ))
}

#[derive(Template)]
#[template(path = "mfa/required.html")]
struct RequiredPage {
    page: Page,
}

/// A page without the navigation: nothing in it is reachable yet.
fn pending_page(shell: &Shell, title_key: &str) -> Page {
    let mut p = shell.page(title_key);
    p.nav.clear();
    p.schools.clear();
    p
}

/// Only local paths: never an open redirect.
/// The return path after the second factor: a safe path of this site,
/// never the second-factor page itself.
fn safe_next(next: Option<&str>) -> String {
    let n = urls::safe_return_path(next);
    if n.starts_with(urls::SECOND_FACTOR) {
        urls::HOME.to_string()
    } else {
        n
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    suite: Option<String>,
}

#[derive(Template)]
#[template(path = "mfa/enrol.html")]
struct EnrolPage {
    page: Page,
    errors: FormErrors,
    notice: Option<String>,
    next: String,
    secret: String,
    qr_svg: String,
    email: String,
}

#[derive(Template)]
#[template(path = "mfa/code.html")]
struct CodePage {
    page: Page,
    errors: FormErrors,
    notice: Option<String>,
    next: String,
}

#[derive(Template)]
#[template(path = "mfa/recovery_codes.html")]
struct RecoveryCodesPage {
    page: Page,
    codes: Vec<String>,
    next: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The QR code of `data` as inline SVG (dark modules on a white ground with
/// a quiet zone), described by `label` for assistive technologies.
fn qr_svg(data: &str, label: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut d = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            d.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        "<svg class=\"qr-code\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\" aria-labelledby=\"qr-title\">\
         <title id=\"qr-title\">{}</title>\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/>\
         <path fill=\"#000000\" d=\"{d}\"/></svg>",
        escape(label)
    ))
}

async fn enrol_page(
    state: &AppState,
    s: &SignedIn,
    errors: FormErrors,
    notice: Option<String>,
    next: String,
) -> Result<EnrolPage, PageError> {
    let tr = s.shell.tr;
    let e = mfa::enrolment(&state.db, &s.ctx).await?;
    let qr = qr_svg(&e.uri, &tr.t("mfa-qr-alt")).ok_or(PageError::Internal)?;
    Ok(EnrolPage {
        page: pending_page(&s.shell, "mfa-enrol-title"),
        errors,
        notice,
        next,
        secret: e.secret.to_base32_grouped(),
        qr_svg: qr,
        email: s.ctx.account.email.clone(),
    })
}

fn code_page(s: &SignedIn, errors: FormErrors, notice: Option<String>, next: String) -> CodePage {
    CodePage {
        page: pending_page(&s.shell, "mfa-code-title"),
        errors,
        notice,
        next,
    }
}

fn session_of(st: &SessionState) -> Result<&refnum_services::auth::LoadedSession, PageError> {
    st.session.as_ref().ok_or(PageError::NotFound)
}

pub async fn form(
    State(state): State<AppState>,
    s: SignedIn,
    Extension(st): Extension<SessionState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(q.suite.as_deref());
    let session = session_of(&st)?;
    match mfa::stage(&state.db, &s.ctx, session).await? {
        Stage::Done | Stage::NotRequired => Ok(Redirect::to(&next).into_response()),
        Stage::Enrol => Ok(render(
            &enrol_page(&state, &s, FormErrors::default(), None, next).await?,
        )),
        Stage::Code => Ok(render(&code_page(&s, FormErrors::default(), None, next))),
    }
}

#[derive(serde::Deserialize)]
pub struct SecondFactorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    recovery_code: String,
    #[serde(default)]
    suite: String,
}

fn throttled(mut r: Response, retry_after_secs: i64) -> Response {
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

pub async fn submit(
    State(state): State<AppState>,
    s: SignedIn,
    Extension(st): Extension<SessionState>,
    Form(f): Form<SecondFactorForm>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let next = safe_next(Some(&f.suite));
    let session = session_of(&st)?;
    let settings = &state.config.auth;
    let refusal_notice = |r: Refused| match r {
        Refused::Wrong => None,
        Refused::Used => Some(tr.t("mfa-code-used")),
        Refused::Throttled { retry_after_secs } => Some(tr.t_args(
            "mfa-throttled",
            &[("minutes", ((retry_after_secs + 59) / 60).to_string())],
        )),
    };
    let wrong_field = |field: &str, r: Refused| match r {
        Refused::Wrong => FormErrors::one(tr, field, "mfa-code-wrong"),
        _ => FormErrors::default(),
    };
    match mfa::stage(&state.db, &s.ctx, session).await? {
        Stage::Done | Stage::NotRequired => Ok(Redirect::to(&next).into_response()),
        Stage::Enrol => {
            if f.code.trim().is_empty() {
                let p = enrol_page(
                    &state,
                    &s,
                    FormErrors::one(tr, "code", "error-required"),
                    None,
                    next,
                )
                .await?;
                return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
            }
            match mfa::confirm_enrolment(&state.db, &s.ctx, session, &f.code, settings).await? {
                Ok(codes) => Ok(render(&RecoveryCodesPage {
                    page: pending_page(&s.shell, "mfa-recovery-title"),
                    codes,
                    next,
                })),
                Err(r) => {
                    let p = enrol_page(&state, &s, wrong_field("code", r), refusal_notice(r), next)
                        .await?;
                    Ok(refused_response(&p, r))
                }
            }
        }
        Stage::Code => {
            let use_recovery = !f.recovery_code.trim().is_empty();
            if !use_recovery && f.code.trim().is_empty() {
                let p = code_page(
                    &s,
                    FormErrors::one(tr, "code", "error-required"),
                    None,
                    next,
                );
                return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
            }
            let res = if use_recovery {
                mfa::check_recovery_code(&state.db, &s.ctx, session, &f.recovery_code, settings)
                    .await?
                    .map(|_| ())
            } else {
                mfa::check_code(&state.db, &s.ctx, session, &f.code, settings).await?
            };
            match res {
                Ok(()) => Ok(Redirect::to(&next).into_response()),
                Err(r) => {
                    let field = if use_recovery {
                        "recovery_code"
                    } else {
                        "code"
                    };
                    let p = code_page(&s, wrong_field(field, r), refusal_notice(r), next);
                    Ok(refused_response(&p, r))
                }
            }
        }
    }
}

fn refused_response<T: Template>(p: &T, r: Refused) -> Response {
    match r {
        Refused::Throttled { retry_after_secs } => throttled(render(p), retry_after_secs),
        _ => render_status(StatusCode::UNPROCESSABLE_ENTITY, p),
    }
}

#[derive(Template)]
#[template(path = "mfa/settings.html")]
struct SettingsPage {
    page: Page,
    required: bool,
    enrolled_at: Option<crate::time::When>,
    recovery_codes_left: u64,
    new_codes: Vec<String>,
}

async fn settings_page(
    state: &AppState,
    s: &SignedIn,
    new_codes: Vec<String>,
) -> Result<SettingsPage, PageError> {
    let st = mfa::status(&state.db, &s.ctx).await?;
    Ok(SettingsPage {
        page: s.shell.page("mfa-settings-title"),
        required: st.required,
        enrolled_at: st.enrolled_at.as_ref().map(|t| fmt_time(s.shell.tr, t)),
        recovery_codes_left: st.recovery_codes_left,
        new_codes,
    })
}

pub async fn settings(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    Ok(render(&settings_page(&state, &s, vec![]).await?))
}

pub async fn regenerate(State(state): State<AppState>, s: SignedIn) -> Result<Response, PageError> {
    // The new codes are shown once, in this response; never in a URL.
    let codes = mfa::regenerate_recovery_codes(&state.db, &s.ctx).await?;
    Ok(render(&settings_page(&state, &s, codes).await?))
}

#[derive(Template)]
#[template(path = "mfa/admin.html")]
struct AdminPage {
    page: Page,
    account_id: Uuid,
    email: String,
    display_name: String,
    enrolled_at: Option<crate::time::When>,
}

pub async fn admin_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let enrolled_at = mfa::enrolled_at(&state.db, &s.ctx, id).await?;
    let account = accounts::get(&state.db.conn, id)
        .await
        .map_err(ServiceError::from)?
        .ok_or(PageError::NotFound)?;
    Ok(render(&AdminPage {
        page: s.shell.page("mfa-admin-title"),
        account_id: account.id,
        email: account.email,
        display_name: account.display_name,
        enrolled_at: enrolled_at.as_ref().map(|t| fmt_time(s.shell.tr, t)),
    }))
}

pub async fn admin_reset(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    mfa::admin_reset(&state.db, &s.ctx, id).await?;
    Ok(done(
        &urls::admin_account_second_factor(id),
        "second-facteur-reinitialise",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exempt_paths_are_the_second_factor_logout_display_and_language() {
        for p in [
            "/connexion/second-facteur",
            "/deconnexion",
            "/affichage",
            "/langue",
            "/assets/refnum.css",
            "/healthz",
            "/metrics",
        ] {
            assert!(exempt(p), "{p}");
        }
        for p in [
            "/",
            "/connexion",
            "/connexion/second-facteurs",
            "/compte",
            "/compte/jetons",
            "/compte/second-facteur",
            "/affichage/x",
            "/admin",
        ] {
            assert!(!exempt(p), "{p}");
        }
    }

    #[test]
    fn next_is_local_and_never_the_second_factor_itself() {
        assert_eq!(safe_next(Some("/compte")), "/compte");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/connexion/second-facteur")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn qr_code_is_inline_svg_with_a_text_alternative() {
        let svg = qr_svg("otpauth://totp/RefNum:a@b.test?secret=ABC", "Code <QR>").expect("qr");
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"qr-title\">Code &lt;QR&gt;</title>"));
        assert!(
            svg.contains("M4 4h1v1h-1z"),
            "finder pattern at the quiet zone's corner"
        );
        assert!(!svg.contains("<script"));
    }
}
