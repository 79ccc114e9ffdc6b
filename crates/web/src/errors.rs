//! Two error types: one for pages (HTML), one for the API (JSON).

use crate::i18n::{Lang, Tr};
use crate::page::Page;
use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use refnum_services::ServiceError;

#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden,
    BadRequest,
    Internal,
}

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

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let tr = Tr(Lang::Fr);
        let (status, key) = match self {
            PageError::NotFound => (StatusCode::NOT_FOUND, "error-404"),
            PageError::Forbidden => (StatusCode::FORBIDDEN, "error-403"),
            PageError::BadRequest => (StatusCode::BAD_REQUEST, "error-400"),
            PageError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "error-500"),
        };
        let error_id = (status == StatusCode::INTERNAL_SERVER_ERROR).then(|| {
            let id = uuid::Uuid::now_v7().to_string();
            tracing::error!(error_id = %id, "internal error shown to the user");
            id
        });
        let page = Page::bare(tr, &tr.t(&format!("{key}-title")));
        let body = ErrorPage {
            heading: tr.t(&format!("{key}-title")),
            message: tr.t(&format!("{key}-text")),
            page,
            error_id,
        }
        .render()
        .unwrap_or_else(|_| "Erreur".to_string());
        (status, Html(body)).into_response()
    }
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
        (self.status, Json(serde_json::json!({ "error": err }))).into_response()
    }
}
