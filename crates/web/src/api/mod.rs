//! JSON API under `/api/v1/`, bearer tokens, documented by construction:
//! every route is registered through utoipa-axum.

mod assistance;
mod etablissements;
mod fields;
mod me;
mod parc;
mod pilotage;
mod prets;
mod reservations;
mod schema;
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
        .merge(reservations::routes())
        .merge(prets::routes())
        .merge(pilotage::routes())
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

/// The body of every error answer (documentation of [`ApiError`]).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// `unauthorized`, `forbidden`, `not_found`, `invalid`, `conflict`,
    /// `too_large`, `unsupported_media_type`, `bad_request` or `internal`.
    pub code: String,
    /// In English; a field error begins with the field's name.
    pub message: String,
    /// The field concerned, when there is one.
    #[schema(value_type = String, required = false)]
    pub field: Option<String>,
}

/// JSON numbers read as JSON Schema reads them: `340.0` is the integer 340.
pub(super) mod integral {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    fn whole<E: Error, T: TryFrom<i64>>(n: &serde_json::Number) -> Result<T, E> {
        n.as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
            .and_then(|i| T::try_from(i).ok())
            .ok_or_else(|| E::custom(format!("{n} is not an integer in range")))
    }

    pub fn int<'de, D: Deserializer<'de>, T: TryFrom<i64>>(d: D) -> Result<T, D::Error> {
        whole(&serde_json::Number::deserialize(d)?)
    }

    pub fn opt_int<'de, D: Deserializer<'de>, T: TryFrom<i64>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<serde_json::Number>::deserialize(d)?
            .map(|n| whole(&n))
            .transpose()
    }
}

/// A UUID in its hyphenated form (the form the document promises), for
/// parameters that are a UUID or a word.
pub(super) fn strict_uuid(s: &str) -> Option<uuid::Uuid> {
    (s.len() == 36)
        .then(|| uuid::Uuid::try_parse(s).ok())
        .flatten()
}

/// A 422 naming the field.
pub(super) fn invalid(field: &'static str, message: &str) -> ApiError {
    ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message: format!("{field}: {message}"),
        field: Some(field),
    }
}

/// A refusal because of the record's current state (a booking no longer
/// pending, a loan already returned…): the same field error, as a 409.
pub(super) fn conflict(mut e: ApiError) -> ApiError {
    if e.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY {
        e.status = axum::http::StatusCode::CONFLICT;
        e.code = "conflict";
    }
    e
}

/// A service error where the given catalogue keys are state conflicts (409).
pub(super) fn with_conflicts(e: refnum_services::ServiceError, keys: &[&str]) -> ApiError {
    let is_conflict = matches!(&e, refnum_services::ServiceError::Invalid(errs)
        if errs.iter().any(|f| keys.contains(&f.key)));
    let err = ApiError::from(e);
    if is_conflict { conflict(err) } else { err }
}

/// A service error whose form field names (`room`) become the API's
/// (`room_id`).
pub(super) fn rename_fields(
    e: refnum_services::ServiceError,
    names: &[(&str, &'static str)],
) -> refnum_services::ServiceError {
    use refnum_services::{FieldError, ServiceError};
    match e {
        ServiceError::Invalid(errs) => ServiceError::Invalid(
            errs.into_iter()
                .map(|f| FieldError {
                    field: names
                        .iter()
                        .find(|(from, _)| *from == f.field)
                        .map_or(f.field, |(_, to)| *to),
                    key: f.key,
                })
                .collect(),
        ),
        other => other,
    }
}

/// A deserialisation error as a 422: the message names the field (its path
/// in the body, `items[0].what`), and `field` does when it is a documented
/// name.
fn unreadable<E: std::fmt::Display>(what: &str, e: serde_path_to_error::Error<E>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.inner().to_string();
    let named = if path == "." || path.is_empty() {
        // "duplicate field `page`", "missing field `title`", "unknown field `x`…"
        inner.split('`').nth(1).unwrap_or("").to_string()
    } else {
        path
    };
    let top = named.split(['.', '[']).next().unwrap_or_default();
    let field = fields::known(top);
    let message = if named.is_empty() {
        format!("{what}: {inner}")
    } else {
        format!("{named}: {inner}")
    };
    ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message,
        field,
    }
}

/// Reads a JSON body: a malformed one, or a field of the wrong type, is a
/// 422 in the API's error format naming the field; a body sent with
/// another media type than JSON is a 415.
pub(super) fn json_body<T: serde::de::DeserializeOwned>(
    headers: &axum::http::HeaderMap,
    body: &axum::body::Bytes,
) -> Result<T, ApiError> {
    if !is_json(headers) {
        return Err(ApiError {
            status: axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            message: "The body must be JSON (Content-Type: application/json).".into(),
            field: None,
        });
    }
    // Serde would read a struct from an array: no body of the API is one.
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: "body: a JSON object is expected.".into(),
            field: None,
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| unreadable("body", e))?;
    de.end().map_err(|e| ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message: format!("body: {e}"),
        field: None,
    })?;
    Ok(value)
}

/// `application/json`, with or without parameters (`; charset=utf-8`).
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Query parameters: a value of the wrong type (or given twice) is a 422
/// naming the parameter, in the API's error format.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| unreadable("query", e))
    }
}

/// A page of a list, as the query asks for it.
pub(super) fn paging(
    page: Option<u64>,
    per_page: Option<u64>,
) -> Result<refnum_domain::paging::Paging, ApiError> {
    use refnum_domain::paging::{Paging, PagingError};
    Paging::parse(page, per_page).map_err(|e| match e {
        PagingError::Page => invalid("page", "a page number from 1 to 1000000"),
        PagingError::PerPage => invalid("per_page", "from 1 to 200 items per page"),
    })
}

/// A path id that is not a UUID is a 404, like an unknown one.
pub(super) fn path_id(s: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| ApiError::not_found())
}
