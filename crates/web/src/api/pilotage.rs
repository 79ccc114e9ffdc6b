//! Pilotage API: the school's mission letters (read; written while a
//! draft), through the pages' use cases — same policy, same validation,
//! same transaction. A letter's values are numbers in their unit (92.5 is
//! 92.5 %); a bound indicator also gives its value now.

use super::{ApiCtx, ApiResult, ErrorBody, json_body, path_id, schema, with_conflicts};
use crate::AppState;
use crate::errors::ApiError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::imp::IMP_RATES_CENTS;
use refnum_domain::pilotage::indicateurs::{Direction, Metric, Unit};
use refnum_services::pilotage::lettres::{
    self, IndicatorInput, LetterInput, LetterView, MissionInput, ReferentInput,
};
use refnum_services::pilotage::mesures;
use refnum_services::{FieldError, ServiceError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_letters, create_letter))
        .routes(routes!(get_letter, update_letter))
}

fn value(thousandths: i64) -> f64 {
    thousandths as f64 / 1000.0
}

/// A letter as the list shows it.
#[derive(Serialize, ToSchema)]
pub struct LetterSummaryOut {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// "2026-2027".
    pub school_year: String,
    pub version: i32,
    /// `draft`, `proposed`, `signed` or `reviewed`.
    pub status: String,
    /// The signed version this one amends.
    pub supersedes_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    pub signed_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct LetterReferentOut {
    pub account_id: Option<Uuid>,
    pub name: String,
    /// `imp` or `hours`.
    pub remuneration: String,
    /// The legal IMP rate, in cents (an IMP).
    pub rate_cents: Option<i32>,
    /// "1", "1/2"… (an IMP).
    pub share: Option<String>,
    /// Hours over the year.
    pub hours: Option<i32>,
    /// The yearly amount, in cents (an IMP).
    pub yearly_cents: Option<u32>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct LetterMissionOut {
    /// The catalogue entry it was picked from.
    pub catalogue_id: Option<Uuid>,
    /// `pilotage`, `accompagnement`, `equipements` or `services_en_ligne`.
    pub axis: String,
    pub label: String,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct LetterIndicatorOut {
    pub id: Uuid,
    pub label: String,
    /// `manual`, or the code of the figure RefNum computes.
    pub source: String,
    /// `percent`, `count`, `days` or `per_100_pupils`.
    pub unit: String,
    /// `higher` or `lower`: which way is better.
    pub direction: String,
    pub baseline: Option<f64>,
    pub target: f64,
    /// A bound indicator's value now (null when it cannot be computed, or
    /// for a typed one).
    pub current_value: Option<f64>,
    /// Recorded at the year-end review.
    pub final_value: Option<f64>,
    pub final_comment: String,
}

/// One letter: what it says, its state, its signature.
#[derive(Serialize, ToSchema)]
pub struct LetterOut {
    #[serde(flatten)]
    pub summary: LetterSummaryOut,
    pub text: String,
    pub referents: Vec<LetterReferentOut>,
    pub missions: Vec<LetterMissionOut>,
    pub indicators: Vec<LetterIndicatorOut>,
    /// SHA-256 of the content as it is now.
    pub content_hash: String,
    /// SHA-256 of the content that was signed.
    pub signed_hash: Option<String>,
    pub signed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

fn summary(l: &refnum_db::entities::pilotage::lettre::Model) -> LetterSummaryOut {
    LetterSummaryOut {
        id: l.id,
        etablissement_id: l.etablissement_id,
        school_year: SchoolYear(l.school_year).label(),
        version: l.version,
        status: l.status.clone(),
        supersedes_id: l.supersedes_id,
        updated_at: l.updated_at,
        signed_at: l.signed_at,
    }
}

fn letter_out(v: LetterView, now: Option<&mesures::Mesures>) -> LetterOut {
    let l = &v.letter;
    LetterOut {
        summary: summary(l),
        text: l.text.clone(),
        referents: v
            .parts
            .referents
            .iter()
            .zip(&v.content.referents)
            .map(|(r, c)| LetterReferentOut {
                account_id: r.account_id,
                name: r.name.clone(),
                remuneration: r.remuneration_kind.clone(),
                rate_cents: r.rate_cents,
                share: match (r.share_numerator, r.share_denominator) {
                    (Some(n), Some(d)) if n == d => Some("1".into()),
                    (Some(n), Some(d)) => Some(format!("{n}/{d}")),
                    _ => None,
                },
                hours: r.hours,
                yearly_cents: c.remuneration.yearly_cents(),
                acknowledged_at: r.acknowledged_at,
            })
            .collect(),
        missions: v
            .parts
            .missions
            .iter()
            .map(|m| LetterMissionOut {
                catalogue_id: m.catalogue_id,
                axis: m.axis.clone(),
                label: m.label.clone(),
                detail: m.detail.clone(),
            })
            .collect(),
        indicators: v
            .parts
            .indicators
            .iter()
            .map(|i| {
                let metric = i.metric.as_deref().and_then(Metric::parse);
                LetterIndicatorOut {
                    id: i.id,
                    label: i.label.clone(),
                    source: metric
                        .filter(|_| i.source_kind == "bound")
                        .map_or_else(|| "manual".to_string(), |m| m.as_str().to_string()),
                    unit: i.unit.clone(),
                    direction: i.direction.clone(),
                    baseline: i.baseline.map(value),
                    target: value(i.target),
                    current_value: match (metric, now) {
                        (Some(m), Some(n)) if i.source_kind == "bound" => n.value(m).map(value),
                        _ => None,
                    },
                    final_value: i.final_value.map(value),
                    final_comment: i.final_comment.clone(),
                }
            })
            .collect(),
        content_hash: v.hash.clone(),
        signed_hash: l.signed_hash.clone(),
        signed_by: l.signed_by,
        reviewed_at: l.reviewed_at,
    }
}

/// The mission letters of a school the caller may read: every version for
/// the head and the referents; the signed ones for the collectivité and
/// the DANE. The newest year and version first.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/mission-letters",
    tag = "pilotage",
    params(("id" = Uuid, Path, description = "School id")),
    responses(
        (status = 200, description = "The school's letters", body = Vec<LetterSummaryOut>),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not read the school's letters", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody)
    )
)]
pub async fn list_letters(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Vec<LetterSummaryOut>> {
    let id = path_id(&id)?;
    let l = lettres::list(&state.db, &ctx, id).await?;
    Ok(Json(l.letters.iter().map(summary).collect()))
}

async fn read(
    state: &AppState,
    ctx: &refnum_services::Ctx,
    etab: Uuid,
    id: Uuid,
) -> ApiResult<LetterOut> {
    let v = lettres::view(&state.db, ctx, etab, id).await?;
    let bound = v.parts.indicators.iter().any(|i| i.source_kind == "bound");
    let now = if bound {
        Some(mesures::current(&state.db, &v.etab, Utc::now()).await?)
    } else {
        None
    };
    Ok(Json(letter_out(v, now.as_ref())))
}

/// One letter: its referents and their pay, its missions, its indicators
/// (a bound one with its value now), its state and signature.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/mission-letters/{letter_id}",
    tag = "pilotage",
    params(("id" = Uuid, Path, description = "School id"), ("letter_id" = Uuid, Path, description = "Letter id")),
    responses(
        (status = 200, description = "The letter", body = LetterOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not read the school's letters", body = ErrorBody),
        (status = 404, description = "No such letter of the school for the caller (a draft is shown only to those who draft)", body = ErrorBody)
    )
)]
pub async fn get_letter(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, letter_id)): Path<(String, String)>,
) -> ApiResult<LetterOut> {
    let (id, letter_id) = (path_id(&id)?, path_id(&letter_id)?);
    read(&state, &ctx, id, letter_id).await
}

/// A referent named by the letter.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferentIn {
    /// An account holding the referent role in the school.
    pub account_id: Uuid,
    /// `imp` (a share of a legal IMP rate) or `hours`.
    #[schema(schema_with = remuneration_schema)]
    pub remuneration: String,
    /// For an IMP: one of the legal yearly rates, in cents.
    #[serde(default, deserialize_with = "super::integral::opt_int")]
    #[schema(schema_with = rate_schema)]
    pub rate_cents: Option<u32>,
    /// For an IMP: the share of the rate, "1", "1/2", "2/3"…
    #[serde(default)]
    #[schema(schema_with = share_schema)]
    pub share: Option<String>,
    /// For hours: the hours over the year.
    #[serde(default, deserialize_with = "super::integral::opt_int")]
    #[schema(minimum = 1, maximum = 400)]
    pub hours: Option<u16>,
}

/// A mission: a catalogue entry (its label), or written freely (axis and
/// label), with the letter's own precision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MissionIn {
    #[serde(default)]
    pub catalogue_id: Option<Uuid>,
    #[serde(default)]
    #[schema(schema_with = axis_schema)]
    pub axis: Option<String>,
    #[serde(default)]
    #[schema(schema_with = label_schema)]
    pub label: Option<String>,
    #[serde(default)]
    #[schema(schema_with = detail_schema)]
    pub detail: String,
}

/// An indicator with its target (and baseline), in its unit.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorIn {
    #[schema(schema_with = filled_label_schema)]
    pub label: String,
    /// `manual`, or a figure RefNum computes.
    #[schema(schema_with = source_schema)]
    pub source: String,
    /// A typed indicator's unit (default `count`).
    #[serde(default)]
    #[schema(schema_with = unit_schema)]
    pub unit: Option<String>,
    /// A typed indicator's direction (default `higher`).
    #[serde(default)]
    #[schema(schema_with = direction_schema)]
    pub direction: Option<String>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000000)]
    pub baseline: Option<f64>,
    #[schema(minimum = 0, maximum = 1000000)]
    pub target: f64,
}

/// A new letter (a draft).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterIn {
    /// "2026-2027".
    #[schema(pattern = "^20[0-9]{2}-20[0-9]{2}$")]
    pub school_year: String,
    #[serde(default)]
    #[schema(schema_with = letter_text_schema)]
    pub text: String,
    #[serde(default)]
    #[schema(max_items = 6)]
    pub referents: Vec<ReferentIn>,
    #[serde(default)]
    #[schema(max_items = 40)]
    pub missions: Vec<MissionIn>,
    #[serde(default)]
    #[schema(max_items = 12)]
    pub indicators: Vec<IndicatorIn>,
}

/// A draft's new content (every part is replaced).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterUpdateIn {
    #[serde(default)]
    #[schema(schema_with = letter_text_schema)]
    pub text: String,
    #[serde(default)]
    #[schema(max_items = 6)]
    pub referents: Vec<ReferentIn>,
    #[serde(default)]
    #[schema(max_items = 40)]
    pub missions: Vec<MissionIn>,
    #[serde(default)]
    #[schema(max_items = 12)]
    pub indicators: Vec<IndicatorIn>,
}

fn remuneration_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["imp", "hours"], false)
}
fn rate_schema() -> utoipa::openapi::schema::Object {
    let v: Vec<serde_json::Value> = IMP_RATES_CENTS
        .iter()
        .map(|c| serde_json::Value::from(*c))
        .chain([serde_json::Value::Null])
        .collect();
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::Integer,
            utoipa::openapi::schema::Type::Null,
        ]))
        .enum_values(Some(v))
        .build()
}
fn share_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::String,
            utoipa::openapi::schema::Type::Null,
        ]))
        .pattern(Some("^(1|([1-9]|1[0-2])/([1-9]|1[0-2]))$"))
        .build()
}
fn axis_schema() -> utoipa::openapi::schema::Object {
    schema::codes(
        [
            "pilotage",
            "accompagnement",
            "equipements",
            "services_en_ligne",
        ],
        true,
    )
}
fn label_schema() -> utoipa::openapi::schema::Object {
    schema::text(200, false, false, true)
}
fn filled_label_schema() -> utoipa::openapi::schema::Object {
    schema::text(200, true, false, false)
}
fn detail_schema() -> utoipa::openapi::schema::Object {
    schema::text(2000, false, true, false)
}
fn letter_text_schema() -> utoipa::openapi::schema::Object {
    schema::text(20_000, false, true, false)
}
fn source_schema() -> utoipa::openapi::schema::Object {
    schema::codes(
        std::iter::once("manual").chain(
            Metric::ALL
                .iter()
                .filter(|m| m.computed_today())
                .map(|m| m.as_str()),
        ),
        false,
    )
}
fn unit_schema() -> utoipa::openapi::schema::Object {
    schema::codes(Unit::ALL.iter().map(|u| u.as_str()), true)
}
fn direction_schema() -> utoipa::openapi::schema::Object {
    schema::codes(Direction::ALL.iter().map(|d| d.as_str()), true)
}

fn number(x: f64) -> String {
    // The domain reads at most three decimals.
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn input(
    school_year: String,
    text: String,
    referents: Vec<ReferentIn>,
    missions: Vec<MissionIn>,
    indicators: Vec<IndicatorIn>,
) -> LetterInput {
    LetterInput {
        school_year,
        text,
        referents: referents
            .into_iter()
            .map(|r| ReferentInput {
                account_id: r.account_id.to_string(),
                remuneration: r.remuneration,
                rate_cents: r.rate_cents.map(|c| c.to_string()).unwrap_or_default(),
                share: r.share.unwrap_or_default(),
                hours: r.hours.map(|h| h.to_string()).unwrap_or_default(),
            })
            .collect(),
        missions: missions
            .into_iter()
            .map(|m| MissionInput {
                catalogue_id: m.catalogue_id.map(|c| c.to_string()).unwrap_or_default(),
                axis: m.axis.unwrap_or_default(),
                label: m.label.unwrap_or_default(),
                detail: m.detail,
            })
            .collect(),
        indicators: indicators
            .into_iter()
            .map(|i| IndicatorInput {
                label: i.label,
                source: i.source,
                unit: i.unit.unwrap_or_default(),
                direction: i.direction.unwrap_or_default(),
                baseline: i.baseline.map(number).unwrap_or_default(),
                target: number(i.target),
            })
            .collect(),
    }
}

/// The form's row fields (`indicator-2-target`) are the API's parts
/// (`indicators`); the message still names the row.
fn api_fields(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Invalid(errs) => ServiceError::Invalid(
            errs.into_iter()
                .map(|f| FieldError {
                    field: match f.field.split('-').next() {
                        Some("referent") => "referents",
                        Some("mission") => "missions",
                        Some("indicator") => "indicators",
                        _ => f.field,
                    },
                    key: f.key,
                })
                .collect(),
        ),
        other => other,
    }
}

/// Starts the letter of a school year, as a draft (the head and the
/// referents). One letter per school and year: a signed letter changes by
/// an amendment.
#[utoipa::path(
    post,
    path = "/api/v1/etablissements/{id}/mission-letters",
    tag = "pilotage",
    params(("id" = Uuid, Path, description = "School id")),
    request_body = LetterIn,
    responses(
        (status = 201, description = "The draft", body = LetterOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not draft the letter", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field: a school year that is not one or already has its letter, a referent without the role in the school, an unknown catalogue entry, a value out of its unit's range (the `field` says which part); nothing is written", body = ErrorBody)
    )
)]
pub async fn create_letter(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<LetterOut>), ApiError> {
    let id = path_id(&id)?;
    let b: LetterIn = json_body(&headers, &body)?;
    let li = input(b.school_year, b.text, b.referents, b.missions, b.indicators);
    let made = lettres::create(&state.db, &ctx, id, &li)
        .await
        .map_err(api_fields)?;
    let Json(out) = read(&state, &ctx, id, made).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Replaces a draft's content (the head and the referents). A proposed,
/// signed or reviewed letter no longer changes: 409.
#[utoipa::path(
    put,
    path = "/api/v1/etablissements/{id}/mission-letters/{letter_id}",
    tag = "pilotage",
    params(("id" = Uuid, Path, description = "School id"), ("letter_id" = Uuid, Path, description = "Letter id")),
    request_body = LetterUpdateIn,
    responses(
        (status = 200, description = "The draft", body = LetterOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not draft the letter", body = ErrorBody),
        (status = 404, description = "No such letter of the school", body = ErrorBody),
        (status = 409, description = "The letter is not a draft any more; nothing is written", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (the `field` says which part); nothing is written", body = ErrorBody)
    )
)]
pub async fn update_letter(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, letter_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<LetterOut> {
    let (id, letter_id) = (path_id(&id)?, path_id(&letter_id)?);
    let b: LetterUpdateIn = json_body(&headers, &body)?;
    let li = input(String::new(), b.text, b.referents, b.missions, b.indicators);
    lettres::update(&state.db, &ctx, id, letter_id, &li)
        .await
        .map_err(|e| with_conflicts(api_fields(e), &["pilotage-error-letter-signed"]))?;
    read(&state, &ctx, id, letter_id).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_keep_three_decimals_at_most() {
        assert_eq!(super::number(92.5), "92.5");
        assert_eq!(super::number(95.0), "95");
        assert_eq!(super::number(0.0), "0");
        assert_eq!(super::number(1.23456), "1.235");
    }
}
