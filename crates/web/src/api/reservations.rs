//! Bookings API: the bookable resources of a school, a resource's bookings
//! over a range, booking (one-off or weekly, with a dry run), the caller's
//! bookings and cancelling, through the pages' use cases (same policy, same
//! per-resource lock, same rules).

use super::{
    ApiCtx, ApiQuery, ApiResult, ErrorBody, json_body, path_id, rename_fields, with_conflicts,
};
use crate::AppState;
use crate::errors::ApiError;
use crate::i18n::{Lang, Tr};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use refnum_domain::booking::{fmt_hhmm, parse_date};
use refnum_services::reservations::api::{self as api, ApiBooking, OccState, Outcome, Refusal};
use refnum_services::reservations::book;
use refnum_services::reservations::resources::{self, ResourceView, Target};
use refnum_services::reservations::views::Occurrence;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_resources))
        .routes(routes!(list_bookings, create_booking))
        .routes(routes!(my_bookings))
        .routes(routes!(cancel_booking))
        .routes(routes!(approve_booking))
        .routes(routes!(refuse_booking))
}

#[derive(Serialize, ToSchema)]
pub struct ResourceOut {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The room's name, or the asset's inventory number and model.
    pub name: String,
    /// `room` or `asset`.
    pub kind: String,
    pub room_id: Option<Uuid>,
    pub asset_id: Option<Uuid>,
    /// What a cart holds (inventory number — model).
    pub children: Vec<String>,
    /// False: withdrawn, not bookable now.
    pub active: bool,
    /// The roles that may book it.
    pub roles: Vec<String>,
    /// The role that approves its bookings, if they need approval.
    pub approval_role: Option<String>,
    /// Longest booking, in minutes.
    pub max_minutes: Option<i32>,
    /// How many days ahead it may be booked.
    pub horizon_days: Option<i32>,
    /// Bookings per person per week.
    pub weekly_quota: Option<i32>,
    /// Minimum gap between two bookings, in minutes.
    pub gap_minutes: i32,
}

impl From<ResourceView> for ResourceOut {
    fn from(r: ResourceView) -> Self {
        let roles = r.roles().iter().map(|x| x.as_str().to_string()).collect();
        let approval_role = r.approval_role().map(|x| x.as_str().to_string());
        let m = r.model;
        ResourceOut {
            id: m.id,
            etablissement_id: m.etablissement_id,
            name: r.name,
            kind: match r.target {
                Target::Room(_) => "room",
                Target::Asset(_) => "asset",
            }
            .into(),
            room_id: m.room_id,
            asset_id: m.asset_id,
            children: r.children,
            active: m.active,
            roles,
            approval_role,
            max_minutes: m.max_minutes,
            horizon_days: m.horizon_days,
            weekly_quota: m.weekly_quota,
            gap_minutes: m.gap_minutes,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BookingOut {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub resource_id: Uuid,
    pub resource_name: String,
    /// The weekly series it belongs to.
    pub series_id: Option<Uuid>,
    pub day: NaiveDate,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    /// `M2`, `M2–M3` or the hours.
    pub span: String,
    /// `pending`, `approved`, `refused` or `cancelled`.
    pub status: String,
    /// Who it is for: only when the caller may see it (or it is theirs).
    pub booked_for_id: Option<Uuid>,
    pub holder: Option<String>,
    /// The class or group it is for.
    pub structure_id: Option<Uuid>,
    pub group_label: Option<String>,
    /// Only with the holder.
    pub note: Option<String>,
    /// The caller may cancel it.
    pub cancellable: bool,
    pub created_at: DateTime<Utc>,
}

impl From<Occurrence> for BookingOut {
    fn from(o: Occurrence) -> Self {
        let b = o.booking;
        let seen = o.holder.is_some();
        BookingOut {
            id: b.id,
            etablissement_id: b.etablissement_id,
            resource_id: b.resource_id,
            resource_name: o.resource_name,
            series_id: b.series_id,
            day: b.day,
            start: fmt_hhmm(b.start_min),
            end: fmt_hhmm(b.end_min),
            span: o.span,
            status: b.status,
            booked_for_id: seen.then_some(b.booked_for),
            holder: o.holder,
            structure_id: b.structure_id,
            group_label: b.group_label,
            note: seen.then_some(b.note),
            cancellable: o.cancellable,
            created_at: b.created_at,
        }
    }
}

/// The bookable rooms and assets of a school, with their rules.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/booking-resources",
    tag = "reservations",
    params(("id" = Uuid, Path, description = "School id")),
    responses(
        (status = 200, description = "The school's bookable resources", body = [ResourceOut]),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not see the bookings", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody)
    )
)]
pub async fn list_resources(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Vec<ResourceOut>> {
    let id = path_id(&id)?;
    let listing = resources::list(&state.db, &ctx, id).await?;
    Ok(Json(
        listing.resources.into_iter().map(Into::into).collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    /// First day, `YYYY-MM-DD`.
    #[param(value_type = NaiveDate, required = true)]
    pub from: Option<String>,
    /// Last day (included), at most 365 days after `from`.
    #[param(value_type = NaiveDate, required = true)]
    pub to: Option<String>,
}

fn date_param(v: Option<&str>, field: &'static str) -> Result<NaiveDate, ApiError> {
    v.and_then(parse_date)
        .ok_or_else(|| super::invalid(field, "a date YYYY-MM-DD is required."))
}

/// The bookings of a resource that hold their time in a range (at most 366
/// days), as its week view shows them.
#[utoipa::path(
    get,
    path = "/api/v1/booking-resources/{id}/bookings",
    tag = "reservations",
    params(("id" = Uuid, Path, description = "Resource id"), RangeParams),
    responses(
        (status = 200, description = "The occurrences, by day and hour", body = [BookingOut]),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not see the bookings", body = ErrorBody),
        (status = 404, description = "No such resource in the caller's scope", body = ErrorBody),
        (status = 422, description = "Invalid range (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn list_bookings(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<RangeParams>,
) -> ApiResult<Vec<BookingOut>> {
    let id = path_id(&id)?;
    let etab = api::school_of_resource(&state.db, id).await?;
    // The scope first: outside it, a 404 whatever the parameters.
    api::rights(&state.db, &ctx, etab).await?;
    let from = date_param(p.from.as_deref(), "from")?;
    let to = date_param(p.to.as_deref(), "to")?;
    let (_, occ) = api::range(&state.db, &ctx, etab, id, from, to).await?;
    Ok(Json(occ.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyIn {
    /// ISO weekday: 1 (Monday) to 7 (Sunday).
    #[serde(deserialize_with = "super::integral::int")]
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u32,
    /// First date of the series (the first matching weekday on or after it).
    #[schema(value_type = NaiveDate)]
    pub from: String,
    /// Last date (at most 366 days after the first).
    #[schema(value_type = NaiveDate)]
    pub to: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingIn {
    /// One-off: the date, `YYYY-MM-DD`.
    pub day: Option<String>,
    /// Slot codes: the first (and last) of a run of consecutive slots.
    pub slot_from: Option<String>,
    pub slot_to: Option<String>,
    /// Or a time range, `HH:MM`.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Weekly over the school weeks (holidays and closed days skipped).
    pub weekly: Option<WeeklyIn>,
    /// On behalf of this staff member of the school.
    pub for_account_id: Option<Uuid>,
    /// The class or group it is for (an annuaire structure of the school).
    pub structure_id: Option<Uuid>,
    pub note: Option<String>,
    /// Only check: the preview of each date, nothing written.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DateOut {
    pub day: NaiveDate,
    /// `free`, `skipped` (holiday or closed day), `taken` or `refused`.
    pub state: String,
    /// Why, when not free.
    pub message: Option<String>,
    pub field: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BookingResult {
    /// What was booked (empty in a dry run).
    pub booked: Vec<BookingOut>,
    /// Every date requested with what happens (happened) to it.
    pub dates: Vec<DateOut>,
    pub series_id: Option<Uuid>,
    /// The bookings wait for the resource's approver.
    pub pending: bool,
    pub dry_run: bool,
    /// School years (`2027-2028`) the series reaches where the school has
    /// no holiday period recorded: those dates were not checked against
    /// holidays.
    pub years_without_holidays: Vec<String>,
}

fn message(r: &Refusal) -> String {
    let args: Vec<(&str, String)> = r.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    Tr(Lang::En).t_args(r.key, &args)
}

fn date_out(day: NaiveDate, s: &OccState) -> DateOut {
    let (state, msg, field) = match s {
        OccState::Free => ("free", None, None),
        OccState::Skipped(label) => ("skipped", Some(label.clone()), None),
        OccState::Conflict(r) => ("taken", Some(message(r)), Some(r.field)),
        OccState::Refused(r) => ("refused", Some(message(r)), Some(r.field)),
    };
    DateOut {
        day,
        state: state.into(),
        message: msg,
        field: field.map(str::to_string),
    }
}

fn refused(r: &Refusal) -> ApiError {
    let conflict = r.key.starts_with("resa-conflict") || r.key == "resa-nothing-free";
    ApiError {
        status: if conflict {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        code: if conflict { "conflict" } else { "invalid" },
        message: format!("{}: {}", r.field, message(r)),
        field: Some(r.field),
    }
}

/// Books a resource: one-off (a date and slot codes or hours) or weekly
/// (`weekly`); `dry_run` answers the preview of each date without writing.
/// A weekly booking books its free dates and says what became of the others.
#[utoipa::path(
    post,
    path = "/api/v1/booking-resources/{id}/bookings",
    tag = "reservations",
    params(("id" = Uuid, Path, description = "Resource id")),
    request_body = BookingIn,
    responses(
        (status = 200, description = "The preview (dry run)", body = BookingResult),
        (status = 201, description = "What was booked", body = BookingResult),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not book this resource (or for someone else)", body = ErrorBody),
        (status = 404, description = "No such resource in the caller's scope", body = ErrorBody),
        (status = 409, description = "The slot is taken (the message names it), or no date is free", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field or a rule refuses it (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn create_booking(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<BookingResult>), ApiError> {
    let id = path_id(&id)?;
    let etab = api::school_of_resource(&state.db, id).await?;
    api::rights(&state.db, &ctx, etab).await?;
    let b: BookingIn = json_body(&headers, &body)?;
    let cut = |s: Option<String>, n: usize| s.unwrap_or_default().chars().take(n).collect();
    let req = ApiBooking {
        for_account: b.for_account_id,
        structure: b.structure_id,
        day: cut(b.day, 40),
        slot_from: cut(b.slot_from, 40),
        slot_to: cut(b.slot_to, 40),
        start: cut(b.start, 10),
        end: cut(b.end, 10),
        weekly: b
            .weekly
            .map(|w| (w.weekday, cut(Some(w.from), 40), cut(Some(w.to), 40))),
        note: cut(b.note, 2000),
    };
    // The form's `until` is the body's `weekly.to`.
    let named = |e| {
        ApiError::from(rename_fields(
            e,
            &[
                ("until", "to"),
                ("for_account", "for_account_id"),
                ("structure", "structure_id"),
            ],
        ))
    };
    let input = api::input_of(&state.db, etab, &req).await.map_err(named)?;
    let plan = book::preview(&state.db, &ctx, etab, id, &input)
        .await
        .map_err(named)?;
    if b.dry_run {
        return Ok((
            StatusCode::OK,
            Json(BookingResult {
                booked: vec![],
                dates: plan
                    .occurrences
                    .iter()
                    .map(|o| date_out(o.day, &o.state))
                    .collect(),
                series_id: None,
                pending: plan.needs_approval,
                dry_run: true,
                years_without_holidays: plan.unknown_years.clone(),
            }),
        ));
    }
    match book::create(&state.db, &ctx, etab, id, &input)
        .await
        .map_err(named)?
    {
        Outcome::Refused(r) => Err(refused(&r)),
        Outcome::Booked {
            ids,
            series,
            pending,
        } => {
            let booked: Vec<BookingOut> = api::occurrences_by_id(&state.db, &ctx, etab, &ids)
                .await?
                .into_iter()
                .map(BookingOut::from)
                .collect();
            let dates = plan
                .occurrences
                .iter()
                .map(|o| {
                    if booked.iter().any(|b| b.day == o.day) {
                        date_out(o.day, &OccState::Free)
                    } else if o.state == OccState::Free {
                        // Free at the preview, taken since by someone else.
                        DateOut {
                            day: o.day,
                            state: "taken".into(),
                            message: None,
                            field: Some("slot_from".into()),
                        }
                    } else {
                        date_out(o.day, &o.state)
                    }
                })
                .collect();
            Ok((
                StatusCode::CREATED,
                Json(BookingResult {
                    booked,
                    dates,
                    series_id: series,
                    pending,
                    dry_run: false,
                    years_without_holidays: plan.unknown_years.clone(),
                }),
            ))
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineParams {
    /// Only in this school.
    #[param(required = false, value_type = Uuid)]
    pub etablissement_id: Option<Uuid>,
}

/// The caller's bookings from today on, in each of their schools.
#[utoipa::path(
    get,
    path = "/api/v1/me/bookings",
    tag = "reservations",
    params(MineParams),
    responses(
        (status = 200, description = "The caller's bookings", body = [BookingOut]),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 422, description = "A parameter of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn my_bookings(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(p): ApiQuery<MineParams>,
) -> ApiResult<Vec<BookingOut>> {
    let occ = api::mine(&state.db, &ctx, p.etablissement_id).await?;
    Ok(Json(occ.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CancelIn {
    /// Also the occurrences of its series from its day on.
    #[serde(default)]
    pub series: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CancelOut {
    /// How many occurrences were cancelled.
    pub cancelled: usize,
}

/// Cancels a booking (or the rest of its series); whoever it was for, and
/// its booker, are notified.
#[utoipa::path(
    post,
    path = "/api/v1/bookings/{id}/cancel",
    tag = "reservations",
    params(("id" = Uuid, Path, description = "Booking id")),
    request_body(content = Option<CancelIn>, description = "Optional; empty means this occurrence only"),
    responses(
        (status = 200, description = "Cancelled", body = CancelOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "Neither the caller's booking nor theirs to cancel", body = ErrorBody),
        (status = 404, description = "No such booking in the caller's scope", body = ErrorBody),
        (status = 409, description = "Nothing left to cancel (the booking is past, cancelled or refused)", body = ErrorBody),
        (status = 415, description = "A body that is not JSON", body = ErrorBody),
        (status = 422, description = "A body field of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn cancel_booking(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<CancelOut> {
    let id = path_id(&id)?;
    let etab = api::school_of_booking(&state.db, id).await?;
    api::rights(&state.db, &ctx, etab).await?;
    let input: CancelIn = if body.iter().all(u8::is_ascii_whitespace) {
        CancelIn::default()
    } else {
        json_body::<Option<CancelIn>>(&headers, &body)?.unwrap_or_default()
    };
    let cancelled = book::cancel(&state.db, &ctx, etab, id, input.series)
        .await
        .map_err(|e| with_conflicts(e, &["resa-error-not-cancellable"]))?;
    Ok(Json(CancelOut { cancelled }))
}

#[derive(Serialize, ToSchema)]
pub struct DecisionOut {
    /// How many pending occurrences (this one and the pending rest of its
    /// series) were decided.
    pub decided: usize,
}

async fn decide(
    state: AppState,
    ctx: refnum_services::Ctx,
    id: &str,
    approve: bool,
) -> ApiResult<DecisionOut> {
    let id = path_id(id)?;
    let etab = api::school_of_booking(&state.db, id).await?;
    api::rights(&state.db, &ctx, etab).await?;
    let decided = book::decide(&state.db, &ctx, etab, id, approve)
        .await
        .map_err(|e| with_conflicts(e, &["resa-error-not-pending"]))?;
    Ok(Json(DecisionOut { decided }))
}

/// Approves a pending booking (with the pending occurrences of its
/// series): the resource's approver only; the person it is for is notified.
#[utoipa::path(
    post,
    path = "/api/v1/bookings/{id}/approve",
    tag = "reservations",
    params(("id" = Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "Approved", body = DecisionOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller is not the resource's approver", body = ErrorBody),
        (status = 404, description = "No such booking in the caller's scope", body = ErrorBody),
        (status = 409, description = "The booking is not pending", body = ErrorBody)
    )
)]
pub async fn approve_booking(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<DecisionOut> {
    decide(state, ctx, &id, true).await
}

/// Refuses a pending booking (with the pending occurrences of its series):
/// the resource's approver only; the person it is for is notified.
#[utoipa::path(
    post,
    path = "/api/v1/bookings/{id}/refuse",
    tag = "reservations",
    params(("id" = Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "Refused", body = DecisionOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller is not the resource's approver", body = ErrorBody),
        (status = 404, description = "No such booking in the caller's scope", body = ErrorBody),
        (status = 409, description = "The booking is not pending", body = ErrorBody)
    )
)]
pub async fn refuse_booking(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<DecisionOut> {
    decide(state, ctx, &id, false).await
}
