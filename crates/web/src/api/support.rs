//! Support API: support organisations and their contracts (targets per
//! priority, working calendar), with the pages' services, hence the pages'
//! policy (404 outside the caller's view, 403 where the caller sees but may
//! not edit) and validation (422 naming the field, nothing changed).

use super::{ApiCtx, ApiQuery, ApiResult, ErrorBody};
use super::{invalid, json_body, paging, path_id};
use crate::AppState;
use crate::errors::ApiError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use refnum_db::entities::support::support_organisation;
use refnum_services::support::calendar::span_text;
use refnum_services::support::orgs::{
    self, CalendarInput, OrgChanges, OrgInput, OrgView, Owner, TargetInput,
};
use refnum_services::support::{PRIORITIES, priority_code};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(get_organisation, patch_organisation))
}

// --------------------------------------------------------------- output

/// A support organisation in a list.
#[derive(Serialize, ToSchema)]
pub struct OrganisationSummary {
    pub id: Uuid,
    pub name: String,
    /// `private_provider`, `academie_assistance`, `collectivite`,
    /// `publisher` or `in_house`.
    pub kind: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

impl From<support_organisation::Model> for OrganisationSummary {
    fn from(o: support_organisation::Model) -> Self {
        OrganisationSummary {
            id: o.id,
            name: o.name,
            kind: o.kind,
            contact_name: o.contact_name,
            contact_email: o.contact_email,
            contact_phone: o.contact_phone,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A school served by an organisation.
#[derive(Serialize, ToSchema)]
pub struct ServedSchool {
    pub id: Uuid,
    pub uai: String,
    pub name: String,
}

/// The contract's targets for one priority, in working minutes (counted in
/// the organisation's calendar).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Target {
    /// `p1` (most pressing) to `p4`.
    #[schema(schema_with = priority_schema)]
    pub priority: String,
    #[serde(deserialize_with = "super::integral::int")]
    pub response_minutes: i32,
    #[serde(deserialize_with = "super::integral::int")]
    pub resolution_minutes: i32,
}

/// Working hours: per weekday, Monday first, spans such as `08:00-12:00`
/// (none: closed that day); and the closed days.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Calendar {
    /// Seven lists of spans, Monday first.
    #[schema(min_items = 7, max_items = 7)]
    pub days: Vec<Vec<String>>,
    /// Closed days, `yyyy-mm-dd`.
    #[serde(default)]
    pub closed: Vec<String>,
}

/// A support organisation with its contract.
#[derive(Serialize, ToSchema)]
pub struct OrganisationOut {
    pub id: Uuid,
    pub name: String,
    /// `private_provider`, `academie_assistance`, `collectivite`,
    /// `publisher` or `in_house`.
    pub kind: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    /// For kind `collectivite`: the collectivité it belongs to.
    pub collectivite_id: Option<Uuid>,
    pub notes: Option<String>,
    /// The served schools the caller may know of.
    pub serves: Vec<ServedSchool>,
    /// How many other schools it serves.
    pub serves_others: usize,
    /// Targets per priority; a priority without targets is left out.
    pub targets: Vec<Target>,
    pub calendar: Calendar,
    /// Whether the caller may change it.
    pub can_edit: bool,
    pub created_at: DateTime<Utc>,
}

async fn organisation_out(
    state: &AppState,
    ctx: &refnum_services::Ctx,
    view: OrgView,
) -> Result<OrganisationOut, ApiError> {
    let contract = orgs::contract_of(&state.db, Owner::Org(view.org.id)).await?;
    let (known, others) = orgs::known_schools(&state.db, ctx, &view).await?;
    let targets = PRIORITIES
        .iter()
        .zip(contract.targets)
        .filter_map(|(p, t)| {
            t.map(|(a, b)| Target {
                priority: priority_code(*p).to_string(),
                response_minutes: a,
                resolution_minutes: b,
            })
        })
        .collect();
    let calendar = Calendar {
        days: contract
            .calendar
            .days
            .iter()
            .map(|d| d.iter().map(|s| span_text(*s)).collect())
            .collect(),
        closed: contract
            .calendar
            .closed
            .iter()
            .map(NaiveDate::to_string)
            .collect(),
    };
    let o = view.org;
    Ok(OrganisationOut {
        id: o.id,
        name: o.name,
        kind: o.kind,
        contact_name: o.contact_name,
        contact_email: o.contact_email,
        contact_phone: o.contact_phone,
        website: o.website,
        collectivite_id: o.collectivite_id,
        notes: o.notes,
        serves: known
            .into_iter()
            .map(|e| ServedSchool {
                id: e.id,
                uai: e.uai,
                name: e.name,
            })
            .collect(),
        serves_others: others,
        targets,
        calendar,
        can_edit: view.can_edit,
        created_at: o.created_at,
    })
}

// --------------------------------------------------------------- list

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationListParams {
    /// Page number, from 1 (default 1).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// Items per page (1 to 200, default 50).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// Words searched in the name (the first 100 characters).
    #[param(required = false, value_type = String)]
    pub q: Option<String>,
}

/// The support organisations the caller sees: all for the admin; those
/// serving the schools whose tickets the caller handles or whose support
/// they manage; a technician's own; a collectivité's own.
#[utoipa::path(
    get,
    path = "/api/v1/support-organisations",
    tag = "support",
    params(OrganisationListParams),
    responses(
        (status = 200, description = "One page of organisations, by name", body = OrganisationPage),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 422, description = "A parameter out of range or of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn list_organisations(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(p): ApiQuery<OrganisationListParams>,
) -> ApiResult<OrganisationPage> {
    let pg = paging(p.page, p.per_page)?;
    let (page, per_page) = (pg.page, pg.per_page);
    let q: String = p.q.unwrap_or_default().chars().take(100).collect();
    let (rows, total) =
        orgs::list(&state.db, &ctx, Some(&q), (page - 1) * per_page, per_page).await?;
    Ok(Json(OrganisationPage {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page,
        per_page,
    }))
}

// --------------------------------------------------------------- one

/// One organisation with its kind, contact, served schools, targets and
/// calendar, if the caller sees it (404 otherwise).
#[utoipa::path(
    get,
    path = "/api/v1/support-organisations/{id}",
    tag = "support",
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 404, description = "No such organisation in the caller's view", body = ErrorBody)
    )
)]
pub async fn get_organisation(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<OrganisationOut> {
    let id = path_id(&id)?;
    let view = orgs::get(&state.db, &ctx, id).await?;
    Ok(Json(organisation_out(&state, &ctx, view).await?))
}

// --------------------------------------------------------------- write

/// The fields of an organisation to create or change. On creation, missing
/// fields are empty (`name`, `kind` and, for a school's manager, `serves`
/// are required); on a change, missing fields are left as they are and an
/// empty string clears an optional one. `targets` and `calendar`, when
/// given, replace the contract's as a whole.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct OrganisationIn {
    /// Required on creation; unique (a taken one is a 409).
    #[schema(schema_with = name_schema)]
    pub name: Option<String>,
    /// `private_provider`, `academie_assistance`, `collectivite`,
    /// `publisher` or `in_house` (required on creation).
    #[schema(schema_with = kind_schema)]
    pub kind: Option<String>,
    #[schema(schema_with = contact_name_schema)]
    pub contact_name: Option<String>,
    /// An e-mail address.
    pub contact_email: Option<String>,
    /// A phone number.
    pub contact_phone: Option<String>,
    /// `https://…`
    pub website: Option<String>,
    /// Required for kind `collectivite`.
    pub collectivite_id: Option<String>,
    #[schema(max_length = 4000)]
    pub notes: Option<String>,
    /// The ids of the schools it serves (a school's manager: only schools
    /// they manage).
    #[schema(value_type = Option<Vec<Uuid>>)]
    pub serves: Option<Vec<String>>,
    /// The targets per priority (a priority left out has none). Field
    /// errors name `response_p1`, `resolution_p1`… as the page form does.
    pub targets: Option<Vec<Target>>,
    /// The working calendar. Field errors name `day_0` (Monday) to `day_6`
    /// and `closed`.
    pub calendar: Option<Calendar>,
}

impl OrganisationIn {
    fn changes(self, base: OrgInput) -> Result<OrgChanges, ApiError> {
        let targets = match self.targets {
            Some(t) => Some(target_input(t)?),
            None => None,
        };
        let calendar = match self.calendar {
            Some(c) => Some(calendar_input(c)?),
            None => None,
        };
        let or = |v: Option<String>, old: String| v.unwrap_or(old);
        Ok(OrgChanges {
            org: OrgInput {
                name: or(self.name, base.name),
                kind: or(self.kind, base.kind),
                contact_name: or(self.contact_name, base.contact_name),
                contact_email: or(self.contact_email, base.contact_email),
                contact_phone: or(self.contact_phone, base.contact_phone),
                website: or(self.website, base.website),
                collectivite_id: or(self.collectivite_id, base.collectivite_id),
                notes: or(self.notes, base.notes),
                serves: self.serves.unwrap_or(base.serves),
            },
            targets,
            calendar,
        })
    }
}

fn contact_name_schema() -> utoipa::openapi::schema::Object {
    super::schema::text(200, false, false, true)
}
fn priority_schema() -> utoipa::openapi::schema::Object {
    super::schema::codes(PRIORITIES.iter().map(|p| priority_code(*p)), false)
}
fn name_schema() -> utoipa::openapi::schema::Object {
    super::schema::text(200, true, false, true)
}
fn kind_schema() -> utoipa::openapi::schema::Object {
    super::schema::codes(orgs::OrgKind::ALL.iter().map(|k| k.as_str()), true)
}

/// The targets as the page form types them.
fn target_input(targets: Vec<Target>) -> Result<TargetInput, ApiError> {
    let mut input: TargetInput = Default::default();
    let mut seen = [false; 4];
    for t in targets {
        let Some(i) = PRIORITIES
            .iter()
            .position(|p| priority_code(*p) == t.priority)
        else {
            return Err(invalid("targets", "unknown priority (p1 to p4)"));
        };
        if seen[i] {
            return Err(invalid("targets", "a priority is given twice"));
        }
        seen[i] = true;
        input[i] = (
            t.response_minutes.to_string(),
            t.resolution_minutes.to_string(),
        );
    }
    Ok(input)
}

/// The calendar as the page form types it.
fn calendar_input(c: Calendar) -> Result<CalendarInput, ApiError> {
    if c.days.len() != 7 {
        return Err(invalid("calendar", "seven days are expected, Monday first"));
    }
    let mut input = CalendarInput {
        closed: c.closed.join("\n"),
        ..Default::default()
    };
    for (i, spans) in c.days.iter().enumerate() {
        if spans.iter().any(|s| s.contains([',', ';'])) {
            return Err(invalid(
                orgs::DAY_FIELDS[i],
                "one span per item, such as 08:00-12:00",
            ));
        }
        input.days[i] = spans.join(", ");
    }
    if c.closed.iter().any(|d| d.contains([',', ';', '\n'])) {
        return Err(invalid("closed", "one date per item, yyyy-mm-dd"));
    }
    Ok(input)
}

/// Creates a support organisation (the admin, or a school's support
/// manager for their own schools), with its contract if given.
#[utoipa::path(
    post,
    path = "/api/v1/support-organisations",
    tag = "support",
    request_body = OrganisationIn,
    responses(
        (status = 201, description = "The new organisation", body = OrganisationOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not create organisations", body = ErrorBody),
        (status = 409, description = "The name is already used", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, named in the error (nothing stored)", body = ErrorBody)
    )
)]
pub async fn create_organisation(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<OrganisationOut>), ApiError> {
    let input: OrganisationIn = json_body(&headers, &body)?;
    let changes = input.changes(OrgInput::default())?;
    let org = orgs::save_all(&state.db, &ctx, None, &changes)
        .await
        .map_err(|e| super::with_conflicts(e, &["error-organisation-taken"]))?;
    let view = orgs::get(&state.db, &ctx, org.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(organisation_out(&state, &ctx, view).await?),
    ))
}

/// Changes an organisation and, if given, its targets and calendar: all
/// checked together, saved in one transaction with their audit events, or
/// nothing changed.
#[utoipa::path(
    patch,
    path = "/api/v1/support-organisations/{id}",
    tag = "support",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = OrganisationIn,
    responses(
        (status = 200, description = "The organisation after the change", body = OrganisationOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller sees it but may not change it (it serves schools they do not manage)", body = ErrorBody),
        (status = 404, description = "No such organisation in the caller's view", body = ErrorBody),
        (status = 409, description = "The name is already used", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, named in the error (nothing changed)", body = ErrorBody)
    )
)]
pub async fn patch_organisation(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<OrganisationOut> {
    let id = path_id(&id)?;
    // Scope and right first: 404 / 403 before any field error.
    let view = orgs::get_for_edit(&state.db, &ctx, id).await?;
    let input: OrganisationIn = json_body(&headers, &body)?;
    let changes = input.changes(OrgInput::of(&view))?;
    orgs::save_all(&state.db, &ctx, Some(id), &changes)
        .await
        .map_err(|e| super::with_conflicts(e, &["error-organisation-taken"]))?;
    let view = orgs::get(&state.db, &ctx, id).await?;
    Ok(Json(organisation_out(&state, &ctx, view).await?))
}
