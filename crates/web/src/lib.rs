//! HTTP: the router, pages (askama), the JSON API (utoipa), sessions,
//! CSRF, security headers and metrics. No SQL and no business rule here:
//! handlers extract, call a service, render.

pub mod api;
mod assets;
pub mod config;
mod errors;
mod forms;
pub mod i18n;
mod mail;
mod metrics;
mod page;
mod pages;
mod security;
mod server;
mod session;
pub mod time;
pub mod urls;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use refnum_db::Db;
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use assets::has_dyslexia_font;
pub use config::WebConfig;
pub use mail::{MailCatalogue, send_pending_mail, spawn_mail};
pub use server::{
    ConnectionLimits, ConnectionStats, DEFAULT_HEADER_TIMEOUT, default_max_connections,
    open_files_limit, serve_bounded,
};

pub struct App {
    pub db: Db,
    pub config: WebConfig,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
}

#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// Builds the whole router.
pub fn router(db: Db, config: WebConfig) -> Router {
    let max_body = config.max_body_bytes;
    time::set_zone(config.time_zone);
    let state = AppState(Arc::new(App {
        db,
        config,
        metrics: metrics::handle(),
    }));
    let (api_router, _openapi) = api::router(state.clone());
    Router::new()
        .merge(pages::router())
        .merge(api_router)
        .merge(assets::router())
        .merge(metrics::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::error_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::session_and_csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_limit,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // A feed's secret token never reaches the logs.
                let path = urls::reservations::redact_path(req.uri().path());
                tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Caps every request body: `max_body_bytes`, or `max_upload_bytes` on the
/// upload routes (whose handlers stream the body to disk). A larger body is
/// refused with 413, before it is read when it declares its length, as soon
/// as it passes the limit otherwise (chunked); on the API, in the API's
/// JSON error format.
async fn body_limit(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let is_api = req.uri().path().starts_with("/api/");
    let too_large = || {
        if is_api {
            errors::ApiError::body_too_large().into_response()
        } else {
            errors::PageError::TooLarge.into_response()
        }
    };
    let limit = if urls::is_streamed_upload(req.uri().path()) {
        state.config.max_upload_bytes
    } else {
        state.config.max_body_bytes as u64
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large();
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
    let res = next.run(req).await;
    // axum's own extractors answer a body past the limit with a plain-text
    // 413: the API answers in its own format.
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_api && res.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return too_large();
    }
    res
}

/// The OpenAPI document, generated from the routes.
pub fn openapi_json() -> String {
    api::openapi_document()
}

/// Serves until `shutdown` resolves, with the default connection limits;
/// in-flight requests finish first. See [`serve_bounded`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_bounded(
        listener,
        app,
        ConnectionLimits::default(),
        ConnectionStats::default(),
        shutdown,
    )
    .await
}

/// Background upkeep: expired sessions and the audit retention, every few minutes.
pub fn spawn_upkeep(db: Db, config: WebConfig) {
    // E-mail of the notifications, on its own shorter interval.
    spawn_mail(db.clone(), &config);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            if let Err(e) = refnum_services::auth::purge_sessions(&db, &config.auth).await {
                tracing::warn!(error = %e, "session purge failed");
            }
            let who = refnum_services::audit::Who::system("retention");
            if let Err(e) = refnum_services::audit::purge(&db, &who).await {
                tracing::warn!(error = %e, "audit retention purge failed");
            }
            // Directory: personal data of people who left, unapplied previews.
            match refnum_services::annuaire::purge_departed(&db).await {
                Ok(n) if n > 0 => tracing::info!(deleted = n, "departed people purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "directory purge failed"),
            }
            // Helpdesk: reminders of overdue tickets (each claimed by one
            // server only, through a conditional update of the ticket).
            match refnum_services::support::reminders::run(&db, chrono::Utc::now()).await {
                Ok(r) if r.response + r.resolution > 0 => tracing::info!(
                    response = r.response,
                    resolution = r.resolution,
                    "ticket reminders sent"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "ticket reminders failed"),
            }
            // Loans: one reminder per overdue loan, claimed by one server.
            match refnum_services::prets::reminders::run(&db, chrono::Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(loans = n, "overdue loan reminders sent"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "overdue loan reminders failed"),
            }
            // Comité numérique: one reminder per overdue action, claimed by
            // one server.
            match refnum_services::pilotage::comite::remind_overdue(&db, chrono::Utc::now()).await {
                Ok(n) if n > 0 => {
                    tracing::info!(actions = n, "overdue comité action reminders sent")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "overdue comité action reminders failed"),
            }
            if let Err(e) =
                pages::annuaire_import::discard_stale_previews(&db, &config.files_dir).await
            {
                tracing::warn!(error = %e, "stale import previews cleanup failed");
            }
        }
    });
}
