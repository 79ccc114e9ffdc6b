//! Two error types: one for pages (HTML), one for the API (JSON).

use crate::i18n::{Lang, Tr};
use crate::page::Page;
use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use refnum_services::ServiceError;

#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden,
    BadRequest,
    /// The request's body is larger than the limit (413).
    TooLarge,
    /// The database cannot be reached for now (503 with `Retry-After`).
    Unavailable,
    Internal,
}

/// `Retry-After` of a 503 answered while the database is unreachable, in
/// seconds: long enough for a pool to reconnect or a primary to come back.
pub const RETRY_AFTER_SECONDS: u32 = 10;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    page: Page,
    heading: String,
    message: String,
    error_id: Option<String>,
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => PageError::NotFound,
            ServiceError::Forbidden => PageError::Forbidden,
            ServiceError::Invalid(_) => PageError::BadRequest,
            ServiceError::Unavailable(err) => {
                tracing::warn!(error = %err, "database unreachable");
                PageError::Unavailable
            }
            ServiceError::Db(err) => {
                tracing::error!(error = %err, "database error");
                PageError::Internal
            }
            ServiceError::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                PageError::Internal
            }
        }
    }
}

/// Marks an error response so that [`error_pages`] renders it within the
/// caller's own page shell (language, display settings, header).
#[derive(Clone, Debug)]
pub struct ErrorMarker {
    key: &'static str,
    error_id: Option<String>,
}

impl PageError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            PageError::NotFound => (StatusCode::NOT_FOUND, "error-404"),
            PageError::Forbidden => (StatusCode::FORBIDDEN, "error-403"),
            PageError::BadRequest => (StatusCode::BAD_REQUEST, "error-400"),
            PageError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error-413"),
            PageError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "error-503"),
            PageError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "error-500"),
        }
    }
}

fn render_error(page: Page, tr: Tr, key: &str, error_id: Option<String>) -> String {
    ErrorPage {
        heading: tr.t(&format!("{key}-title")),
        message: tr.t(&format!("{key}-text")),
        page,
        error_id,
    }
    .render()
    .unwrap_or_else(|_| "Erreur".to_string())
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, key) = self.parts();
        let error_id = (status == StatusCode::INTERNAL_SERVER_ERROR).then(|| {
            let id = uuid::Uuid::now_v7().to_string();
            tracing::error!(error_id = %id, "internal error shown to the user");
            id
        });
        // A bare page, used as is only when no shell can be built.
        let tr = Tr(Lang::Fr);
        let body = render_error(
            Page::bare(tr, &tr.t(&format!("{key}-title"))),
            tr,
            key,
            error_id.clone(),
        );
        let mut res = (status, Html(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        res.extensions_mut().insert(ErrorMarker { key, error_id });
        res
    }
}

/// Renders error pages in the caller's shell.
pub async fn error_pages(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::extract::FromRequestParts;
    let (mut parts, body) = req.into_parts();
    let shell = match crate::page::Shell::from_request_parts(&mut parts, &state).await {
        Ok(s) => s,
        Err(never) => match never {},
    };
    let res = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    let Some(marker) = res.extensions().get::<ErrorMarker>().cloned() else {
        return res;
    };
    let tr = shell.tr;
    let page = shell.page(&format!("{}-title", marker.key));
    let body = render_error(page, tr, marker.key, marker.error_id);
    let (mut head, _) = res.into_parts();
    head.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(head, axum::body::Body::from(body))
}

/// API errors: `{"error": {"code": …, "message": …}}` with the right status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
}

impl ApiError {
    pub fn unauthorized() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "A valid bearer token is required.".into(),
            field: None,
        }
    }
    pub fn not_found() -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: "No such resource.".into(),
            field: None,
        }
    }
    /// 413: the request's body is larger than the server accepts.
    pub fn body_too_large() -> Self {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "too_large",
            message: "The request body is larger than the server accepts.".into(),
            field: None,
        }
    }
    /// 503 (with `Retry-After`): the database cannot be reached for now.
    pub fn unavailable() -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: "The service cannot reach its database; try again shortly.".into(),
            field: None,
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Forbidden => ApiError {
                status: StatusCode::FORBIDDEN,
                code: "forbidden",
                message: "You may not do this.".into(),
                field: None,
            },
            ServiceError::Invalid(errs) => {
                let tr = Tr(Lang::En);
                let first = errs.first().cloned();
                ApiError {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    code: "invalid",
                    message: first
                        .as_ref()
                        .map(|f| format!("{}: {}", f.field, tr.t(f.key)))
                        .unwrap_or_else(|| "Invalid input.".into()),
                    field: first.map(|f| f.field),
                }
            }
            ServiceError::Unavailable(err) => {
                tracing::warn!(error = %err, "database unreachable");
                ApiError::unavailable()
            }
            other => {
                let id = uuid::Uuid::now_v7();
                tracing::error!(error = %other, error_id = %id, "API internal error");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "internal",
                    message: format!("Internal error (reference {id})."),
                    field: None,
                }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut err = serde_json::json!({ "code": self.code, "message": self.message });
        if let Some(f) = self.field {
            err["field"] = serde_json::Value::from(f);
        }
        let mut res = (self.status, Json(serde_json::json!({ "error": err }))).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        res
    }
}
