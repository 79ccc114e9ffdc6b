//! JSON API under `/api/v1/`, bearer tokens, documented by construction:
//! every route is registered through utoipa-axum.

mod assistance;
mod bookings;
mod etablissements;
mod loans;
mod me;
mod parc;
mod support;

use crate::AppState;
use crate::errors::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use refnum_services::{Ctx, tokens};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "RefNum API", version = "1", description = "API of RefNum, the digital referent's tool of French secondary schools."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "socle", description = "Accounts and schools"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn open_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(etablissements::list))
        .routes(routes!(etablissements::get_one))
        .merge(parc::routes())
        .merge(assistance::routes())
        .merge(support::routes())
        .merge(bookings::routes())
        .merge(loans::routes())
}

pub fn openapi_document() -> String {
    let (_, api) = open_router().split_for_parts();
    api.to_pretty_json().unwrap_or_default()
}

pub fn router(_state: AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, api) = open_router().split_for_parts();
    let json = api.to_pretty_json().unwrap_or_default();
    let router = router
        .route(
            "/api/openapi.json",
            get(move || {
                let json = json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], json).into_response() }
            }),
        )
        .route("/api/{*rest}", get(api_not_found).post(api_not_found));
    (router, api)
}

async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

/// The caller of an API route, authenticated by its bearer token.
pub struct ApiCtx(pub Ctx);

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        let account = tokens::authenticate(&state.db, token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(ApiCtx(Ctx::load(&state.db, account, None).await?))
    }
}

pub type ApiResult<T> = Result<Json<T>, ApiError>;

/// A 422 naming the field.
pub(super) fn invalid(field: &'static str, message: &str) -> ApiError {
    ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message: format!("{field}: {message}"),
        field: Some(field),
    }
}

/// Reads a JSON body; a malformed one is a 422 in the API's error format.
pub(super) fn json_body<T: serde::de::DeserializeOwned>(
    body: &axum::body::Bytes,
) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message: format!("Malformed JSON body: {e}"),
        field: None,
    })
}

/// A path id that is not a UUID is a 404, like an unknown one.
pub(super) fn path_id(s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| ApiError::not_found())
}
