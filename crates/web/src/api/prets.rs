//! Loans API: a school's loans (filtered, sorted, paged), one loan with its
//! checklist and its convention's parties, lending, recording a signature,
//! the return, and the caller's own loans — through the pages' use cases
//! (same policy, same validation, same transaction).

use super::{
    ApiCtx, ApiQuery, ApiResult, ErrorBody, invalid, json_body, paging, path_id, schema,
    with_conflicts,
};
use crate::AppState;
use crate::errors::ApiError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use refnum_services::prets::convention::{self, SignInput};
use refnum_services::prets::give_back::{self, ItemReturn, ReturnInput};
use refnum_services::prets::lend::{self, ItemInput, LendInput};
use refnum_services::prets::{self, ListInput, LoanPage, LoanRow, LoanSort, LoanView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_loans, create_loan))
        .routes(routes!(get_loan))
        .routes(routes!(sign_loan))
        .routes(routes!(return_loan))
        .routes(routes!(my_loans))
}

/// A loan as lists show it.
#[derive(Serialize, ToSchema)]
pub struct LoanSummaryOut {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The main asset lent.
    pub asset_id: Uuid,
    pub inventory_number: String,
    /// `pupil` or `staff`.
    pub borrower_kind: String,
    /// Empty for a pupil when the caller may not see pupils.
    pub borrower_name: String,
    /// The pupil's class, or empty.
    pub borrower_detail: String,
    /// The pupil's directory record (only to whoever may see pupils).
    pub borrower_person_id: Option<Uuid>,
    /// The staff member's account.
    pub borrower_account_id: Option<Uuid>,
    pub start_on: NaiveDate,
    pub due_on: NaiveDate,
    /// `out` or `returned`.
    pub status: String,
    /// Out and past its due date.
    pub overdue: bool,
    pub returned_on: Option<NaiveDate>,
    /// `good`, `damaged`, `broken` or `missing`: the main asset at its return.
    pub return_state: Option<String>,
}

impl LoanSummaryOut {
    fn of(etab: Uuid, r: LoanRow, today: NaiveDate) -> Self {
        LoanSummaryOut {
            overdue: r.status == "out" && r.due_on < today,
            id: r.id,
            etablissement_id: etab,
            asset_id: r.asset_id,
            inventory_number: r.inventory_number,
            borrower_kind: r.borrower_kind,
            borrower_name: r.borrower_name,
            borrower_detail: r.borrower_detail,
            borrower_person_id: r.borrower_person_id,
            borrower_account_id: r.borrower_account_id,
            start_on: r.start_on,
            due_on: r.due_on,
            status: r.status,
            returned_on: r.returned_on,
            return_state: r.return_state,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LoanPageOut {
    pub items: Vec<LoanSummaryOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// One thing of a loan's checklist (an accessory, inventoried or named).
#[derive(Serialize, ToSchema)]
pub struct LoanItemOut {
    pub id: Uuid,
    /// The accessory's asset, when it is one of the parc.
    pub asset_id: Option<Uuid>,
    /// Its inventory number, or its name ("chargeur").
    pub label: String,
    /// It left with the loan (an item not present is only noted).
    pub present_at_departure: bool,
    pub departure_remarks: String,
    /// `good`, `damaged`, `broken` or `missing`, once returned.
    pub return_state: Option<String>,
    pub return_remarks: String,
}

/// A party to the loan's convention and its signature.
#[derive(Serialize, ToSchema)]
pub struct PartyOut {
    pub id: Uuid,
    /// `pupil`, `guardian`, `borrower` or `school`.
    pub role: String,
    /// As the convention prints it (empty for a pupil's side when the caller
    /// may not see pupils).
    pub name: String,
    pub signed: bool,
    pub signed_at: Option<DateTime<Utc>>,
    pub signer_name: Option<String>,
    /// `paper` or `tablet`.
    pub method: Option<String>,
    /// The charter version this signature accepts.
    pub charter_version: Option<i32>,
}

/// The loan charter version the convention names.
#[derive(Serialize, ToSchema)]
pub struct CharterOut {
    pub id: Uuid,
    pub version: i32,
    pub title: String,
    pub effective_on: NaiveDate,
}

/// One loan with its checklist, its convention's parties and signatures.
#[derive(Serialize, ToSchema)]
pub struct LoanOut {
    #[serde(flatten)]
    pub summary: LoanSummaryOut,
    /// `return` or `transfer` (the equipment becomes the borrower's).
    pub end_kind: String,
    /// `good`, `worn` or `damaged`.
    pub departure_state: String,
    pub departure_remarks: String,
    pub return_remarks: String,
    /// The asset's model, as the convention names it.
    pub asset_model: String,
    /// The asset's owner, as the convention names it.
    pub owner: String,
    pub items: Vec<LoanItemOut>,
    pub parties: Vec<PartyOut>,
    pub charter: Option<CharterOut>,
    /// Every party has signed.
    pub fully_signed: bool,
    pub created_at: DateTime<Utc>,
}

impl From<LoanPage> for LoanOut {
    fn from(v: LoanPage) -> Self {
        let overdue = v.is_overdue();
        let l = v.loan;
        let charter_version = |id: Option<Uuid>| {
            v.charter
                .as_ref()
                .filter(|c| Some(c.id) == id)
                .map(|c| c.version)
        };
        let parties: Vec<PartyOut> = v
            .parties
            .into_iter()
            .map(|p| PartyOut {
                charter_version: charter_version(p.charter_id),
                signed: p.signed_at.is_some(),
                id: p.id,
                role: p.role,
                name: p.name,
                signed_at: p.signed_at,
                signer_name: p.signer_name,
                method: p.method,
            })
            .collect();
        let pupil_hidden = l.borrower_kind == "pupil" && !v.rights.pupils;
        LoanOut {
            fully_signed: !parties.is_empty() && parties.iter().all(|p| p.signed),
            summary: LoanSummaryOut {
                id: l.id,
                etablissement_id: l.etablissement_id,
                asset_id: l.asset_id,
                inventory_number: v.asset.inventory_number.clone(),
                borrower_kind: l.borrower_kind,
                borrower_name: l.borrower_name,
                borrower_detail: l.borrower_detail,
                borrower_person_id: if pupil_hidden {
                    None
                } else {
                    l.borrower_person_id
                },
                borrower_account_id: l.borrower_account_id,
                start_on: l.start_on,
                due_on: l.due_on,
                status: l.status,
                overdue,
                returned_on: l.returned_on,
                return_state: l.return_state,
            },
            end_kind: l.end_kind,
            departure_state: l.departure_state,
            departure_remarks: l.departure_remarks,
            return_remarks: l.return_remarks,
            asset_model: format!("{} {}", v.asset.manufacturer, v.asset.model)
                .trim()
                .to_string(),
            owner: v.owner,
            items: v
                .items
                .into_iter()
                .map(|i| LoanItemOut {
                    id: i.id,
                    asset_id: i.asset_id,
                    label: i.label,
                    present_at_departure: i.present_at_departure,
                    departure_remarks: i.departure_remarks,
                    return_state: i.return_state,
                    return_remarks: i.return_remarks,
                })
                .collect(),
            parties,
            charter: v.charter.map(|c| CharterOut {
                id: c.id,
                version: c.version,
                title: c.title,
                effective_on: c.effective_on,
            }),
            created_at: l.created_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoanListParams {
    /// `out` (default: still out, overdue ones included), `overdue`,
    /// `returned` or `all`.
    #[param(required = false, schema_with = view_schema)]
    pub view: Option<String>,
    /// `pupil` or `staff`.
    #[param(required = false, schema_with = kind_schema)]
    pub kind: Option<String>,
    /// One borrower's history: `pupil:<person id>` or `staff:<account id>`.
    #[param(required = false, value_type = String, pattern = "^(pupil|staff):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub borrower: Option<String>,
    /// Words searched in the borrower's name, class and the inventory
    /// number (the first 200 characters).
    #[param(required = false, value_type = String)]
    pub q: Option<String>,
    /// `due` (default), `start`, `borrower` or `asset`.
    #[param(required = false, schema_with = sort_schema)]
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    #[param(required = false, schema_with = schema::order)]
    pub order: Option<String>,
    /// Page number, from 1 (default 1).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// Items per page (1 to 200, default 50).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}

fn view_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["out", "overdue", "returned", "all"], false)
}
fn kind_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["pupil", "staff"], false)
}
fn sort_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["due", "start", "borrower", "asset"], false)
}

fn list_input(p: LoanListParams) -> Result<ListInput, ApiError> {
    let pg = paging(p.page, p.per_page)?;
    let cut = |s: Option<String>, n: usize| -> String {
        s.unwrap_or_default().trim().chars().take(n).collect()
    };
    let view = match p.view.as_deref() {
        None | Some("out") => LoanView::Out,
        Some("overdue") => LoanView::Overdue,
        Some("returned") => LoanView::Returned,
        Some("all") => LoanView::All,
        Some(_) => return Err(invalid("view", "out, overdue, returned or all")),
    };
    let kind = match p.kind.as_deref() {
        None => String::new(),
        Some(k @ ("pupil" | "staff")) => k.to_string(),
        Some(_) => return Err(invalid("kind", "pupil or staff")),
    };
    let borrower = cut(p.borrower.clone(), 80);
    if p.borrower.is_some() && prets::parse_borrower(&borrower).is_none() {
        return Err(invalid(
            "borrower",
            "pupil:<person id> or staff:<account id>",
        ));
    }
    Ok(ListInput {
        view,
        kind,
        borrower,
        q: cut(p.q, 200),
        sort: match p.sort.as_deref() {
            None | Some("due") => LoanSort::Due,
            Some("start") => LoanSort::Start,
            Some("borrower") => LoanSort::Borrower,
            Some("asset") => LoanSort::Asset,
            Some(_) => return Err(invalid("sort", "due, start, borrower or asset")),
        },
        reverse: match p.order.as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(invalid("order", "asc or desc")),
        },
        page: pg.page,
        per_page: pg.per_page,
    })
}

/// The loans of a school (its loan managers: referent, head, bursar),
/// filtered, sorted and paged.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}/loans",
    tag = "prets",
    params(("id" = Uuid, Path, description = "School id"), LoanListParams),
    responses(
        (status = 200, description = "One page of loans", body = LoanPageOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not see the school's loans", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 422, description = "Unknown filter value, a parameter out of range or of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn list_loans(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<LoanListParams>,
) -> ApiResult<LoanPageOut> {
    let id = path_id(&id)?;
    let input = list_input(p)?;
    let l = prets::list(&state.db, &ctx, id, &input).await?;
    let etab = l.etab.id;
    Ok(Json(LoanPageOut {
        items: l
            .rows
            .into_iter()
            .map(|r| LoanSummaryOut::of(etab, r, l.today))
            .collect(),
        total: l.total,
        page: input.page,
        per_page: input.per_page,
    }))
}

/// One thing of the departure checklist.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanItemIn {
    /// An inventory number of the school (that accessory of the parc, lent
    /// with the loan) or the name of a thing outside the parc ("chargeur").
    #[schema(schema_with = label_schema)]
    pub what: String,
    /// It leaves with the loan (default true).
    #[serde(default = "yes")]
    pub present: bool,
    #[serde(default)]
    #[schema(schema_with = item_remarks_schema)]
    pub remarks: String,
}

fn label_schema() -> utoipa::openapi::schema::Object {
    schema::text(lend::LABEL_MAX, true, false, false)
}
fn item_remarks_schema() -> utoipa::openapi::schema::Object {
    schema::text(500, false, true, false)
}
fn remarks_schema() -> utoipa::openapi::schema::Object {
    schema::text(lend::REMARKS_MAX, false, true, false)
}
fn asset_ref_schema() -> utoipa::openapi::schema::Object {
    schema::text(100, true, false, false)
}
fn borrower_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(BORROWER))
        .build()
}
const BORROWER: &str =
    "^(pupil|staff):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
fn end_kind_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["return", "transfer"], true)
}
fn departure_state_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["good", "worn", "damaged"], true)
}
fn return_state_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["good", "damaged", "broken", "missing"], false)
}
fn method_schema() -> utoipa::openapi::schema::Object {
    schema::codes(["paper", "tablet"], false)
}
fn signer_schema() -> utoipa::openapi::schema::Object {
    schema::text(200, true, false, false)
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanIn {
    /// The main asset: its inventory number or its id. It must be in
    /// service or in stock (else a 409).
    #[schema(schema_with = asset_ref_schema)]
    pub asset: String,
    /// `pupil:<person id>` (an active pupil of the school's directory) or
    /// `staff:<account id>` (a staff member of the school).
    #[schema(schema_with = borrower_schema)]
    pub borrower: String,
    /// `YYYY-MM-DD`.
    #[schema(value_type = NaiveDate)]
    pub start_on: String,
    /// `YYYY-MM-DD`, not before `start_on`.
    #[schema(value_type = NaiveDate)]
    pub due_on: String,
    /// `return` (default) or `transfer`.
    #[serde(default)]
    #[schema(schema_with = end_kind_schema)]
    pub end_kind: Option<String>,
    /// `good` (default), `worn` or `damaged`.
    #[serde(default)]
    #[schema(schema_with = departure_state_schema)]
    pub departure_state: Option<String>,
    #[serde(default)]
    #[schema(schema_with = remarks_schema)]
    pub departure_remarks: String,
    /// At most 6 accessories; errors name them `item-0` to `item-5`.
    #[serde(default)]
    #[schema(max_items = 6)]
    pub items: Vec<LoanItemIn>,
}

/// Lends an asset (with its accessories) to a pupil or a staff member: the
/// asset becomes `lent`, its history and the audit log record it, and the
/// convention's parties are set (the pupil, each legal guardian and the
/// school; or the staff member and the school).
#[utoipa::path(
    post,
    path = "/api/v1/etablissements/{id}/loans",
    tag = "prets",
    params(("id" = Uuid, Path, description = "School id")),
    request_body = LoanIn,
    responses(
        (status = 201, description = "The loan", body = LoanOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not lend", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 409, description = "The asset or an accessory is not available (lent, broken, retired…); nothing is written", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, unknown asset or borrower (the `field` says which); nothing is written", body = ErrorBody)
    )
)]
pub async fn create_loan(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<LoanOut>), ApiError> {
    let id = path_id(&id)?;
    let b: LoanIn = json_body(&headers, &body)?;
    let cut = |s: String, n: usize| -> String { s.chars().take(n).collect() };
    let input = LendInput {
        asset: cut(b.asset, 100),
        borrower: cut(b.borrower, 100),
        start_on: cut(b.start_on, 40),
        due_on: cut(b.due_on, 40),
        end_kind: cut(b.end_kind.unwrap_or_else(|| "return".into()), 40),
        departure_state: cut(b.departure_state.unwrap_or_else(|| "good".into()), 40),
        departure_remarks: cut(b.departure_remarks, lend::REMARKS_MAX + 1),
        // One more than allowed, so that too many is refused, not cut.
        items: b
            .items
            .into_iter()
            .take(lend::ITEM_ROWS + 1)
            .map(|i| ItemInput {
                what: cut(i.what, lend::LABEL_MAX + 1),
                present: i.present,
                remarks: cut(i.remarks, 501),
            })
            .collect(),
    };
    let made = lend::lend(&state.db, &ctx, id, &input).await.map_err(|e| {
        with_conflicts(
            e,
            &[
                "loan-error-asset-unavailable",
                "loan-error-item-unavailable",
            ],
        )
    })?;
    let page = prets::show(&state.db, &ctx, made.etablissement_id, made.id).await?;
    Ok((StatusCode::CREATED, Json(page.into())))
}

/// One loan: its checklist, its convention's parties and signatures, the
/// charter version. For the school's loan managers and for its borrower.
#[utoipa::path(
    get,
    path = "/api/v1/loans/{id}",
    tag = "prets",
    params(("id" = Uuid, Path, description = "Loan id")),
    responses(
        (status = 200, description = "The loan", body = LoanOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 404, description = "No such loan in the caller's scope", body = ErrorBody)
    )
)]
pub async fn get_loan(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<LoanOut> {
    let id = path_id(&id)?;
    let etab = prets::school_of(&state.db, id).await?;
    Ok(Json(prets::show(&state.db, &ctx, etab, id).await?.into()))
}

/// The school and id of a loan the caller may see, before any write: a
/// 404 outside the caller's scope, whatever the body.
async fn loan_in_scope(
    state: &AppState,
    ctx: &refnum_services::Ctx,
    id: &str,
) -> Result<(Uuid, Uuid), ApiError> {
    let id = path_id(id)?;
    let etab = prets::school_of(&state.db, id).await?;
    prets::show(&state.db, ctx, etab, id).await?;
    Ok((etab, id))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureIn {
    /// The party's id (see the loan's `parties`).
    pub party_id: Uuid,
    /// Who signed, as they wrote their name.
    #[schema(schema_with = signer_schema)]
    pub signer_name: String,
    /// `paper` or `tablet`.
    #[schema(schema_with = method_schema)]
    pub method: String,
    /// The day it was signed, `YYYY-MM-DD` (today when absent).
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    pub signed_on: Option<String>,
}

/// Records one party's signature of the loan's convention, with the charter
/// version it names; a party signs once.
#[utoipa::path(
    post,
    path = "/api/v1/loans/{id}/signatures",
    tag = "prets",
    params(("id" = Uuid, Path, description = "Loan id")),
    request_body = SignatureIn,
    responses(
        (status = 200, description = "The loan with the signature", body = LoanOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage loans", body = ErrorBody),
        (status = 404, description = "No such loan in the caller's scope", body = ErrorBody),
        (status = 409, description = "That party signed already", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn sign_loan(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<LoanOut> {
    let (etab, id) = loan_in_scope(&state, &ctx, &id).await?;
    let b: SignatureIn = json_body(&headers, &body)?;
    let input = SignInput {
        party: b.party_id.to_string(),
        signer_name: b.signer_name.chars().take(201).collect(),
        method: b.method.chars().take(40).collect(),
        signed_on: b.signed_on.unwrap_or_default().chars().take(40).collect(),
    };
    convention::sign(&state.db, &ctx, etab, id, &input)
        .await
        .map_err(|e| with_conflicts(e, &["loan-error-already-signed"]))?;
    Ok(Json(prets::show(&state.db, &ctx, etab, id).await?.into()))
}

/// What comes back of one item of the checklist.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemReturnIn {
    /// The item's id (see the loan's `items`).
    pub item_id: Uuid,
    /// `good`, `damaged`, `broken` or `missing`.
    #[schema(schema_with = return_state_schema)]
    pub state: String,
    #[serde(default)]
    #[schema(schema_with = item_remarks_schema)]
    pub remarks: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnIn {
    /// `YYYY-MM-DD`, not before the start.
    #[schema(value_type = NaiveDate)]
    pub returned_on: String,
    /// The main asset: `good`, `damaged`, `broken` or `missing`.
    #[schema(schema_with = return_state_schema)]
    pub state: String,
    #[serde(default)]
    #[schema(schema_with = remarks_schema)]
    pub remarks: String,
    /// Every item that left must be accounted for.
    #[serde(default)]
    pub items: Vec<ItemReturnIn>,
}

/// Records the return: the loan is closed, each asset goes back in service,
/// broken, or retired when missing, and its history says so.
#[utoipa::path(
    post,
    path = "/api/v1/loans/{id}/return",
    tag = "prets",
    params(("id" = Uuid, Path, description = "Loan id")),
    request_body = ReturnIn,
    responses(
        (status = 200, description = "The returned loan", body = LoanOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 403, description = "The caller may not manage loans", body = ErrorBody),
        (status = 404, description = "No such loan in the caller's scope", body = ErrorBody),
        (status = 409, description = "The loan is returned already; nothing is written", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field or an item not accounted for (the `field` says which); nothing is written", body = ErrorBody)
    )
)]
pub async fn return_loan(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<LoanOut> {
    let (etab, id) = loan_in_scope(&state, &ctx, &id).await?;
    let b: ReturnIn = json_body(&headers, &body)?;
    let input = ReturnInput {
        returned_on: b.returned_on.chars().take(40).collect(),
        state: b.state.chars().take(40).collect(),
        remarks: b.remarks.chars().take(2001).collect(),
        items: b
            .items
            .into_iter()
            .take(64)
            .map(|i| ItemReturn {
                item_id: i.item_id.to_string(),
                state: i.state.chars().take(40).collect(),
                remarks: i.remarks.chars().take(501).collect(),
            })
            .collect(),
    };
    give_back::give_back(&state.db, &ctx, etab, id, &input)
        .await
        .map_err(|e| with_conflicts(e, &["loan-error-already-returned"]))?;
    Ok(Json(prets::show(&state.db, &ctx, etab, id).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyLoansParams {
    /// Only in this school.
    #[param(required = false, value_type = Uuid)]
    pub etablissement_id: Option<Uuid>,
    /// `out` (default), `overdue`, `returned` or `all`.
    #[param(required = false, schema_with = view_schema)]
    pub view: Option<String>,
}

/// The caller's own loans (as a staff member), in each of their schools.
#[utoipa::path(
    get,
    path = "/api/v1/me/loans",
    tag = "prets",
    params(MyLoansParams),
    responses(
        (status = 200, description = "The caller's loans, the soonest due first", body = [LoanSummaryOut]),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody),
        (status = 422, description = "Unknown view, or a parameter of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn my_loans(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(p): ApiQuery<MyLoansParams>,
) -> ApiResult<Vec<LoanSummaryOut>> {
    let input = list_input(LoanListParams {
        view: p.view,
        kind: None,
        borrower: None,
        q: None,
        sort: None,
        order: None,
        page: None,
        per_page: Some(200),
    })?;
    let today = prets::today();
    let rows = prets::mine_everywhere(&state.db, &ctx, p.etablissement_id, &input).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(etab, r)| LoanSummaryOut::of(etab, r, today))
            .collect(),
    ))
}
