//! HTML pages. Each handler: extract → call a service → render.

mod account;
mod admin;
mod annuaire;
pub(crate) mod annuaire_import;
pub(crate) mod assistance;
mod auth;
mod display;
mod etabs;
pub(crate) mod filtres;
mod home;
mod indicators;
mod journal;
mod kb;
pub(crate) mod mfa;
pub(crate) mod parc;
mod pilotage;

pub(crate) mod prets;
mod recherche;
mod reservations;
mod sso;
pub(crate) mod support;

use crate::AppState;
use crate::errors::PageError;
use crate::page::Shell;
use crate::urls;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use refnum_services::Ctx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(urls::HOME, get(home::index))
        .merge(sso::router())
        .merge(mfa::router())
        .merge(annuaire::router())
        .merge(parc::router())
        .merge(assistance::router())
        .merge(parc::fichiers::router())
        .merge(support::router())
        .merge(kb::router())
        .merge(indicators::router())
        .merge(reservations::router())
        .merge(prets::router())
        .merge(pilotage::router())
        .route(urls::LOGIN, get(auth::form).post(auth::submit))
        .route(urls::LOGOUT, post(auth::logout))
        .route(urls::DISPLAY, get(display::form).post(display::submit))
        .route(urls::LANG, post(display::lang))
        .route(urls::ACCESSIBILITY, get(display::accessibility))
        .route(urls::CURRENT_SCHOOL, post(account::switch_school))
        .route(urls::ACCOUNT, get(account::index))
        .route(
            urls::PASSWORD,
            get(account::password_form).post(account::password_submit),
        )
        .route(
            urls::TOKENS,
            get(account::tokens).post(account::token_create),
        )
        .route("/compte/jetons/{id}/revoquer", post(account::token_revoke))
        .route(urls::SEARCH, get(recherche::search))
        .route(urls::ETABS, get(etabs::list))
        .route("/etablissements/{id}", get(etabs::show))
        .route(
            "/etablissements/{id}/modifier",
            get(etabs::edit_form).post(etabs::edit_submit),
        )
        .route(
            "/etablissements/{id}/personnels",
            get(etabs::staff).post(etabs::staff_add),
        )
        .route(
            "/etablissements/{id}/personnels/{account_id}/retirer",
            post(etabs::staff_revoke),
        )
        .route("/etablissements/{id}/journal", get(journal::audit))
        .route("/etablissements/{id}/journal.csv", get(etabs::audit_export))
        .route(urls::ADMIN, get(admin::index))
        .route(
            urls::ADMIN_ACADEMIES,
            get(admin::academies).post(admin::academie_create),
        )
        .route(
            urls::ADMIN_COLLECTIVITES,
            get(admin::collectivites).post(admin::collectivite_create),
        )
        .route("/admin/etablissements/nouveau", get(admin::etab_new))
        .route(urls::ADMIN_ETABS, post(admin::etab_create))
        .route(
            urls::ADMIN_ACCOUNTS,
            get(admin::accounts).post(admin::account_create),
        )
        .route("/admin/comptes/{id}", get(admin::account))
        .route("/admin/comptes/{id}/roles", post(admin::account_grant))
        .route(
            "/admin/comptes/{id}/roles/retirer",
            post(admin::account_revoke),
        )
        .route(
            "/admin/comptes/{id}/desactiver",
            post(admin::account_disable),
        )
        .route("/admin/comptes/{id}/activer", post(admin::account_enable))
        .route(
            "/admin/organisations",
            get(admin::organisations).post(admin::organisation_create),
        )
        .route(
            "/admin/organisations/{id}",
            get(admin::organisation).post(admin::organisation_update),
        )
        .route(urls::ADMIN_AUDIT, get(journal::admin_audit))
        .route("/admin/journal.csv", get(admin::audit_export))
        // Directory imports: uploads are streamed, past the default body limit.
        .route(
            "/etablissements/{id}/annuaire/import",
            get(annuaire_import::form)
                .post(annuaire_import::upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            urls::ADMIN_ANNUAIRE_IMPORT,
            get(annuaire_import::admin_form)
                .post(annuaire_import::admin_upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/annuaire/imports/{iid}", get(annuaire_import::preview))
        .route(
            "/annuaire/imports/{iid}/appliquer",
            post(annuaire_import::apply),
        )
        .route(
            "/annuaire/imports/{iid}/abandonner",
            post(annuaire_import::discard),
        )
        .fallback(not_found)
}

async fn not_found() -> PageError {
    PageError::NotFound
}

/// A signed-in caller: the shell and its context. Anonymous callers are
/// sent to the sign-in page.
pub struct SignedIn {
    pub shell: Shell,
    pub ctx: Ctx,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let shell = match Shell::from_request_parts(parts, state).await {
            Ok(s) => s,
            Err(never) => match never {},
        };
        match shell.ctx.clone() {
            Some(ctx) => Ok(SignedIn { shell, ctx }),
            None => {
                let path = parts.uri.path();
                let target = if path == "/" || !path.starts_with('/') || path.starts_with("//") {
                    urls::LOGIN.to_string()
                } else {
                    format!("{}?suite={}", urls::LOGIN, path)
                };
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Renders a template, or a 500 page if rendering fails.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            PageError::Internal.into_response()
        }
    }
}

pub fn render_status<T: Template>(status: axum::http::StatusCode, t: &T) -> Response {
    let mut r = render(t);
    if r.status().is_success() {
        *r.status_mut() = status;
    }
    r
}

/// One `<option>` of a select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Opt {
        let value = value.into();
        Opt {
            selected: value == current,
            value,
            label: label.into(),
        }
    }
}

/// A figure on a home or dashboard page.
pub struct Stat {
    pub value: String,
    pub label: String,
    pub href: Option<String>,
    pub link: String,
}

/// Previous/next links of a paged list.
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub label: String,
}

pub const PAGE_SIZE: u64 = 50;

impl Pager {
    pub fn new(tr: crate::i18n::Tr, base: &str, extra: &str, page: u64, total: u64) -> Pager {
        Pager::sized(tr, base, extra, page, total, PAGE_SIZE)
    }

    /// The pager of a list of `per_page` rows a page.
    pub fn sized(
        tr: crate::i18n::Tr,
        base: &str,
        extra: &str,
        page: u64,
        total: u64,
        per_page: u64,
    ) -> Pager {
        let pages = total.div_ceil(per_page.max(1)).max(1);
        let link = |p: u64| format!("{base}?page={p}{extra}");
        Pager {
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            label: tr.t_args(
                "page-of",
                &[("page", page.to_string()), ("pages", pages.to_string())],
            ),
        }
    }
}

/// `?page=N&q=…` of list pages.
#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub page: Option<u64>,
    pub q: Option<String>,
}

impl ListQuery {
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, 100_000)
    }
    pub fn offset(&self) -> u64 {
        (self.page() - 1) * PAGE_SIZE
    }
    pub fn q(&self) -> String {
        self.q
            .clone()
            .unwrap_or_default()
            .chars()
            .take(100)
            .collect()
    }
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `Content-Disposition` of a downloaded file: always an attachment,
/// never shown inline; an ASCII name plus the UTF-8 one.
pub fn attachment_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        enc(name)
    )
}

/// Redirect after a successful POST, with a message key for the next page.
pub fn done(to: &str, what: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}fait={what}")).into_response()
}

pub fn role_label(tr: crate::i18n::Tr, role: &str) -> String {
    tr.t(&format!("role-{role}"))
}

pub use crate::time::{When, fmt_recent, fmt_time};
