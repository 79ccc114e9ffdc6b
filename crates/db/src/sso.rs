//! Single sign-on: identities, pending authorisation requests, used CAS
//! tickets, sessions opened by SSO, and the directory lookups of linking.

use crate::entities::{sso_auth_request, sso_identity, sso_session, sso_used_ticket};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

pub async fn identity_by_subject<C: ConnectionTrait>(
    c: &C,
    provider: &str,
    subject: &str,
) -> Result<Option<sso_identity::Model>, DbErr> {
    sso_identity::Entity::find()
        .filter(sso_identity::Column::Provider.eq(provider))
        .filter(sso_identity::Column::Subject.eq(subject))
        .one(c)
        .await
}

pub async fn identities_of_account<C: ConnectionTrait>(
    c: &C,
    account_id: Uuid,
) -> Result<Vec<sso_identity::Model>, DbErr> {
    sso_identity::Entity::find()
        .filter(sso_identity::Column::AccountId.eq(account_id))
        .order_by_asc(sso_identity::Column::Provider)
        .order_by_asc(sso_identity::Column::CreatedAt)
        .all(c)
        .await
}

pub async fn insert_identity<C: ConnectionTrait>(
    c: &C,
    m: &sso_identity::Model,
) -> Result<(), DbErr> {
    sso_identity::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

pub async fn touch_identity<C: ConnectionTrait>(
    c: &C,
    m: &sso_identity::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut am = m.clone().into_active_model();
    am.last_login_at = Set(now);
    am.update(c).await.map(|_| ())
}

/// Deletes one identity of this account; `false` when there is none.
pub async fn delete_identity_of_account<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    account_id: Uuid,
) -> Result<bool, DbErr> {
    sso_identity::Entity::delete_many()
        .filter(sso_identity::Column::Id.eq(id))
        .filter(sso_identity::Column::AccountId.eq(account_id))
        .exec(c)
        .await
        .map(|r| r.rows_affected == 1)
}

pub async fn count_identities<C: ConnectionTrait>(c: &C, provider: &str) -> Result<u64, DbErr> {
    sso_identity::Entity::find()
        .filter(sso_identity::Column::Provider.eq(provider))
        .count(c)
        .await
}

pub async fn insert_auth_request<C: ConnectionTrait>(
    c: &C,
    m: &sso_auth_request::Model,
) -> Result<(), DbErr> {
    sso_auth_request::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Takes a pending request out (single use): it is deleted, and returned
/// only to the caller whose DELETE removed it.
pub async fn take_auth_request<C: ConnectionTrait>(
    c: &C,
    state_hash: &str,
) -> Result<Option<sso_auth_request::Model>, DbErr> {
    let Some(m) = sso_auth_request::Entity::find_by_id(state_hash.to_owned())
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    let gone = sso_auth_request::Entity::delete_by_id(state_hash.to_owned())
        .exec(c)
        .await?;
    Ok((gone.rows_affected == 1).then_some(m))
}

pub async fn purge_auth_requests<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    sso_auth_request::Entity::delete_many()
        .filter(sso_auth_request::Column::ExpiresAt.lt(now))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// Records a CAS ticket as used. A second use of the same ticket is a
/// unique violation (see [`crate::is_unique_violation`]).
pub async fn insert_used_ticket<C: ConnectionTrait>(
    c: &C,
    ticket_hash: &str,
    provider: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    sso_used_ticket::Entity::insert(sso_used_ticket::ActiveModel {
        ticket_hash: Set(ticket_hash.to_owned()),
        provider: Set(provider.to_owned()),
        expires_at: Set(expires_at),
    })
    .exec_without_returning(c)
    .await
    .map(|_| ())
}

pub async fn purge_used_tickets<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    sso_used_ticket::Entity::delete_many()
        .filter(sso_used_ticket::Column::ExpiresAt.lt(now))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

pub async fn insert_session_link<C: ConnectionTrait>(
    c: &C,
    m: &sso_session::Model,
) -> Result<(), DbErr> {
    sso_session::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Sessions opened with this CAS ticket at this provider.
pub async fn sessions_by_ticket<C: ConnectionTrait>(
    c: &C,
    provider: &str,
    ticket_hash: &str,
) -> Result<Vec<sso_session::Model>, DbErr> {
    sso_session::Entity::find()
        .filter(sso_session::Column::Provider.eq(provider))
        .filter(sso_session::Column::TicketHash.eq(ticket_hash))
        .all(c)
        .await
}

pub async fn session_link<C: ConnectionTrait>(
    c: &C,
    session_hash: &str,
) -> Result<Option<sso_session::Model>, DbErr> {
    sso_session::Entity::find_by_id(session_hash.to_owned())
        .one(c)
        .await
}

/// A staff member of the directory (`annuaire_people`), as linking needs it.
#[derive(Debug, Clone)]
pub struct DirectoryStaff {
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub email: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub account_id: Option<Uuid>,
    /// JSON array of function codes.
    pub functions: String,
}

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// Active staff records of the directory whose join key is `source_key`
/// (pupils and guardians never match).
pub async fn directory_staff_by_key<C: ConnectionTrait>(
    c: &C,
    source_key: &str,
) -> Result<Vec<DirectoryStaff>, DbErr> {
    let q = Query::select()
        .columns([
            col("id"),
            col("etablissement_id"),
            col("email"),
            col("last_name"),
            col("first_name"),
            col("account_id"),
            col("functions"),
        ])
        .from(col("annuaire_people"))
        .and_where(Expr::col(col("kind")).eq("staff"))
        .and_where(Expr::col(col("status")).eq("active"))
        .and_where(Expr::col(col("source_key")).eq(source_key))
        .order_by(col("id"), sea_orm::Order::Asc)
        .to_owned();
    let rows = c.query_all(&q).await?;
    rows.into_iter()
        .map(|r| {
            Ok(DirectoryStaff {
                id: r.try_get("", "id")?,
                etablissement_id: r.try_get("", "etablissement_id")?,
                email: r.try_get("", "email")?,
                last_name: r.try_get("", "last_name")?,
                first_name: r.try_get("", "first_name")?,
                account_id: r.try_get("", "account_id")?,
                functions: r
                    .try_get::<Option<String>>("", "functions")?
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Records the account of directory people (they had none).
pub async fn set_directory_account<C: ConnectionTrait>(
    c: &C,
    person_ids: &[Uuid],
    account_id: Uuid,
) -> Result<(), DbErr> {
    if person_ids.is_empty() {
        return Ok(());
    }
    let q = Query::update()
        .table(col("annuaire_people"))
        .value(col("account_id"), account_id)
        .and_where(Expr::col(col("id")).is_in(person_ids.iter().copied()))
        .and_where(Expr::col(col("account_id")).is_null())
        .to_owned();
    c.execute(&q).await.map(|_| ())
}
