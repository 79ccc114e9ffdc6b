//! Accounts, memberships and API tokens.

use crate::entities::{account, api_token, etablissement, membership};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

pub async fn get<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find_by_id(id).one(c).await
}

pub async fn get_by_email<C: ConnectionTrait>(
    c: &C,
    email: &str,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(c)
        .await
}

pub async fn memberships_of<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
) -> Result<Vec<membership::Model>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .order_by_asc(membership::Column::CreatedAt)
        .all(c)
        .await
}

/// The memberships of an account, each with its school when it is a
/// school-level one, in one query (every page reads them).
pub async fn memberships_with_schools<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
) -> Result<Vec<(membership::Model, Option<etablissement::Model>)>, DbErr> {
    membership::Entity::find()
        .find_also_related(etablissement::Entity)
        .filter(membership::Column::AccountId.eq(account_id))
        .order_by_asc(membership::Column::CreatedAt)
        .order_by_asc(membership::Column::Id)
        .all(c)
        .await
}

/// All accounts, one page at a time (instance administration).
pub async fn list<C: ConnectionTrait>(
    c: &C,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<account::Model>, u64), DbErr> {
    let mut q = account::Entity::find();
    if let Some(s) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{}%", refnum_domain::search::fold(s).trim());
        q = q.filter(account::Column::SearchText.like(like));
    }
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_asc(account::Column::Email)
        .offset(offset)
        .limit(limit)
        .all(c)
        .await?;
    Ok((rows, total))
}

/// The people of one school with their roles there.
pub async fn members_of_etablissement<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Uuid,
) -> Result<Vec<(account::Model, Vec<String>)>, DbErr> {
    let ms = membership::Entity::find()
        .filter(membership::Column::EtablissementId.eq(etablissement_id))
        .all(c)
        .await?;
    let ids: Vec<Uuid> = ms.iter().map(|m| m.account_id).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .order_by_asc(account::Column::DisplayName)
        .all(c)
        .await?;
    Ok(accounts
        .into_iter()
        .map(|a| {
            let mut roles: Vec<String> = ms
                .iter()
                .filter(|m| m.account_id == a.id)
                .map(|m| m.role.clone())
                .collect();
            roles.sort();
            (a, roles)
        })
        .collect())
}

pub async fn count_members<C: ConnectionTrait>(
    c: &C,
    etablissement_id: Uuid,
    role: Option<&str>,
) -> Result<u64, DbErr> {
    crate::scalars::count_of(
        c,
        Query::select()
            .from_subquery(members_of(etablissement_id, role), Alias::new("members"))
            .to_owned(),
    )
    .await
}

/// The accounts with a role (or with `role`) in a school, each once.
pub fn members_of(etablissement_id: Uuid, role: Option<&str>) -> SelectStatement {
    let mut q = Query::select();
    q.distinct()
        .column(membership::Column::AccountId)
        .from(membership::Entity)
        .and_where(Expr::col(membership::Column::EtablissementId).eq(etablissement_id));
    if let Some(r) = role {
        q.and_where(Expr::col(membership::Column::Role).eq(r));
    }
    q
}

pub async fn count_all<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    crate::scalars::count_of(c, every_account()).await
}

/// Every account of the instance, to count.
pub fn every_account() -> SelectStatement {
    Query::select().from(account::Entity).to_owned()
}

pub async fn tokens_of<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::AccountId.eq(account_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(c)
        .await
}

pub async fn token_by_hash<C: ConnectionTrait>(
    c: &C,
    hash: &str,
) -> Result<Option<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(c)
        .await
}
