use super::{ApiCtx, ApiQuery, ApiResult, ErrorBody, paging};
use crate::AppState;
use crate::errors::ApiError;
use axum::Json;
use axum::extract::{Path, State};
use refnum_db::entities::etablissement;
use refnum_domain::policy::EtabAction;
use refnum_services::{ServiceError, orgs};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct EtablissementOut {
    pub id: Uuid,
    /// UAI with its check letter.
    pub uai: String,
    pub name: String,
    /// college, lycee, lp, lpo, erea or ecole.
    pub kind: String,
    pub city: String,
    pub academie_id: Uuid,
    pub collectivite_id: Option<Uuid>,
    pub pupil_count: i32,
}

impl From<etablissement::Model> for EtablissementOut {
    fn from(e: etablissement::Model) -> Self {
        EtablissementOut {
            id: e.id,
            uai: e.uai,
            name: e.name,
            kind: e.kind,
            city: e.city,
            academie_id: e.academie_id,
            collectivite_id: e.collectivite_id,
            pupil_count: e.pupil_count,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EtablissementPage {
    pub items: Vec<EtablissementOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1 (default 1).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// Items per page (1 to 200, default 50).
    #[param(required = false, value_type = u64, minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
    /// Search in name, UAI and city (the first 100 characters).
    #[param(required = false, value_type = String)]
    pub q: Option<String>,
}

/// The schools the caller may see.
#[utoipa::path(
    get,
    path = "/api/v1/etablissements",
    tag = "socle",
    params(ListParams),
    responses(
        (status = 200, description = "One page of schools", body = EtablissementPage),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 422, description = "A parameter out of range or of the wrong type (the `field` says which)", body = ErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<EtablissementPage> {
    let pg = paging(p.page, p.per_page)?;
    let q: Option<String> = p.q.map(|s| s.chars().take(100).collect());
    let (rows, total) = refnum_db::orgs::list_etablissements(
        &state.db.conn,
        &ctx.scope(),
        q.as_deref(),
        pg.offset(),
        pg.per_page,
    )
    .await
    .map_err(ServiceError::from)?;
    Ok(Json(EtablissementPage {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page: pg.page,
        per_page: pg.per_page,
    }))
}

/// One school, if the caller may see it (404 otherwise).
#[utoipa::path(
    get,
    path = "/api/v1/etablissements/{id}",
    tag = "socle",
    params(("id" = Uuid, Path, description = "School id")),
    responses(
        (status = 200, description = "The school", body = EtablissementOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody),
        (status = 404, description = "No such school in the caller's scope", body = ErrorBody)
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<EtablissementOut> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    let e = orgs::etab_for(&state.db, &ctx, id, EtabAction::View).await?;
    Ok(Json(e.into()))
}
