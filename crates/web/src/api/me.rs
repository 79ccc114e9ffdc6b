use super::{ApiCtx, ApiResult, ErrorBody};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    /// Role: enseignant, personnel, referent, direction, gestionnaire,
    /// prestataire, collectivite, dane, dpd or admin.
    pub role: String,
    /// Scope kind: etablissement, organisation, collectivite, academie or instance.
    pub scope: String,
    /// Id of the scope (absent for the instance).
    pub scope_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub memberships: Vec<MembershipOut>,
}

/// The account of the token and its memberships.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "socle",
    responses(
        (status = 200, description = "The caller's account", body = MeOut),
        (status = 401, description = "Missing or invalid token", body = ErrorBody)
    )
)]
pub async fn me(ApiCtx(ctx): ApiCtx) -> ApiResult<MeOut> {
    use refnum_domain::role::ScopeRef;
    Ok(Json(MeOut {
        id: ctx.account.id,
        email: ctx.account.email.clone(),
        display_name: ctx.account.display_name.clone(),
        locale: ctx.account.locale.clone(),
        memberships: ctx
            .actor
            .memberships
            .iter()
            .map(|m| {
                let (scope, id) = match m.scope {
                    ScopeRef::Etablissement(id) => ("etablissement", Some(id)),
                    ScopeRef::Organisation(id) => ("organisation", Some(id)),
                    ScopeRef::Collectivite(id) => ("collectivite", Some(id)),
                    ScopeRef::Academie(id) => ("academie", Some(id)),
                    ScopeRef::Instance => ("instance", None),
                };
                MembershipOut {
                    role: m.role.as_str().into(),
                    scope: scope.into(),
                    scope_id: id,
                }
            })
            .collect(),
    }))
}
