//! Accounts and memberships.

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::auth::hash_password;
use crate::error::{FieldError, Result, ServiceError};
use crate::orgs::{etab_for, require_admin};
use chrono::Utc;
use refnum_db::entities::{account, membership};
use refnum_db::{Db, accounts, is_unique_violation, sessions};
use refnum_domain::etablissement::parse_name;
use refnum_domain::policy::EtabAction;
use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_domain::{Email, password};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub email: String,
    pub display_name: String,
    /// Optional: an account without a password signs in by SSO only.
    pub password: String,
}

struct ValidAccount {
    email: Email,
    display_name: String,
    password: Option<String>,
}

fn validate_account(input: &AccountInput) -> Result<ValidAccount> {
    let mut errors = vec![];
    let email = Email::parse(&input.email)
        .map_err(|_| {
            errors.push(FieldError {
                field: "email",
                key: "error-email-invalid",
            })
        })
        .ok();
    let display_name = parse_name(&input.display_name, 200)
        .map_err(|k| {
            errors.push(FieldError {
                field: "display_name",
                key: k,
            })
        })
        .ok();
    let pw = input.password.as_str();
    let password = if pw.is_empty() {
        None
    } else {
        match password::check(pw, &[&input.email, &input.display_name]) {
            Ok(()) => Some(pw.to_string()),
            Err(e) => {
                errors.push(FieldError {
                    field: "password",
                    key: e.key(),
                });
                None
            }
        }
    };
    match (email, display_name) {
        (Some(email), Some(display_name)) if errors.is_empty() => Ok(ValidAccount {
            email,
            display_name,
            password,
        }),
        _ => Err(ServiceError::Invalid(errors)),
    }
}

async fn insert_account<C: ConnectionTrait>(
    c: &C,
    v: &ValidAccount,
    hash: Option<String>,
) -> Result<account::Model> {
    let now = Utc::now();
    let m = account::Model {
        id: Uuid::now_v7(),
        email: v.email.as_str().to_string(),
        display_name: v.display_name.clone(),
        password_hash: hash,
        disabled: false,
        locale: "fr".into(),
        display_prefs: String::new(),
        search_text: refnum_domain::search::text_of(&[v.email.as_str(), &v.display_name]),
        created_at: now,
        updated_at: now,
    };
    match account::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(c)
        .await
    {
        Ok(_) => Ok(m),
        Err(e) if is_unique_violation(&e) => Err(ServiceError::field("email", "error-email-taken")),
        Err(e) => Err(e.into()),
    }
}

/// Creates an account (instance admin, CLI, demo).
pub async fn create_account(db: &Db, who: &Who, input: &AccountInput) -> Result<account::Model> {
    let v = validate_account(input)?;
    let hash = match &v.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let txn = db.write().await?;
    let m = insert_account(&*txn, &v, hash).await?;
    audit::record(
        &*txn,
        Event {
            who,
            action: "account.created",
            target: format!("account:{}", m.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "email": m.email }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Grants a role on a scope (instance admin, CLI, demo). Granting twice is a no-op.
pub async fn grant<C: ConnectionTrait>(
    c: &C,
    who: &Who,
    account_id: Uuid,
    m: Membership,
) -> Result<bool> {
    let etab = match m.scope {
        ScopeRef::Etablissement(id) => Some(id),
        _ => None,
    };
    let key = m.scope.key();
    let exists = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Role.eq(m.role.as_str()))
        .filter(membership::Column::ScopeKey.eq(key.clone()))
        .one(c)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    membership::Entity::insert(membership::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id),
        role: Set(m.role.as_str().to_string()),
        scope_key: Set(key.clone()),
        etablissement_id: Set(etab),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(c)
    .await?;
    audit::record(
        c,
        Event {
            who,
            action: "membership.granted",
            target: format!("account:{account_id}"),
            etablissement_id: etab,
            outcome: "ok",
            details: serde_json::json!({ "role": m.role.as_str(), "scope": key }),
        },
    )
    .await?;
    Ok(true)
}

pub async fn grant_alone(db: &Db, who: &Who, account_id: Uuid, m: Membership) -> Result<bool> {
    let txn = db.write().await?;
    let r = grant(&*txn, who, account_id, m).await?;
    txn.commit().await?;
    Ok(r)
}

/// Instance admin grants any role on any scope.
pub async fn admin_grant(db: &Db, ctx: &Ctx, account_id: Uuid, m: Membership) -> Result<bool> {
    require_admin(db, ctx, "membership.grant").await?;
    if accounts::get(&db.conn, account_id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    grant_alone(db, &Who::of(ctx), account_id, m).await
}

#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

/// A school's direction or referent adds a person to the school with a role.
/// An existing account (same e-mail) gets the role; otherwise one is created.
pub async fn add_staff(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &StaffInput,
) -> Result<account::Model> {
    etab_for(db, ctx, etab_id, EtabAction::ManageStaff).await?;
    let role = Role::parse(&input.role)
        .filter(|r| Role::SCHOOL_ROLES.contains(r))
        .ok_or_else(|| ServiceError::field("role", "error-choice"))?;
    etab_for(db, ctx, etab_id, EtabAction::GrantRole(role))
        .await
        .map_err(|e| match e {
            ServiceError::Forbidden => ServiceError::field("role", "error-role-not-yours"),
            other => other,
        })?;
    let who = Who::of(ctx);
    let existing = match Email::parse(&input.email) {
        Ok(e) => accounts::get_by_email(&db.conn, e.as_str()).await?,
        Err(_) => None,
    };
    let membership = Membership::new(role, ScopeRef::Etablissement(etab_id))
        .map_err(|_| ServiceError::field("role", "error-choice"))?;
    match existing {
        Some(acc) => {
            let txn = db.write().await?;
            grant(&*txn, &who, acc.id, membership).await?;
            txn.commit().await?;
            Ok(acc)
        }
        None => {
            let v = validate_account(&AccountInput {
                email: input.email.clone(),
                display_name: input.display_name.clone(),
                password: input.password.clone(),
            })?;
            let hash = match &v.password {
                Some(p) => Some(hash_password(p).await?),
                None => None,
            };
            let txn = db.write().await?;
            let acc = insert_account(&*txn, &v, hash).await?;
            audit::record(
                &*txn,
                Event {
                    who: &who,
                    action: "account.created",
                    target: format!("account:{}", acc.id),
                    etablissement_id: Some(etab_id),
                    outcome: "ok",
                    details: serde_json::json!({ "email": acc.email }),
                },
            )
            .await?;
            grant(&*txn, &who, acc.id, membership).await?;
            txn.commit().await?;
            Ok(acc)
        }
    }
}

/// Removes a school role from a person.
pub async fn revoke_staff_role(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    account_id: Uuid,
    role: &str,
) -> Result<()> {
    let role = Role::parse(role).ok_or(ServiceError::NotFound)?;
    etab_for(db, ctx, etab_id, EtabAction::GrantRole(role)).await?;
    let key = ScopeRef::Etablissement(etab_id).key();
    let txn = db.write().await?;
    let res = membership::Entity::delete_many()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Role.eq(role.as_str()))
        .filter(membership::Column::ScopeKey.eq(key.clone()))
        .exec(&*txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(ServiceError::NotFound);
    }
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "membership.revoked",
            target: format!("account:{account_id}"),
            etablissement_id: Some(etab_id),
            outcome: "ok",
            details: serde_json::json!({ "role": role.as_str(), "scope": key }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Instance admin removes one membership of an account.
pub async fn admin_revoke(db: &Db, ctx: &Ctx, account_id: Uuid, membership_id: Uuid) -> Result<()> {
    require_admin(db, ctx, "membership.revoke").await?;
    let Some(m) = membership::Entity::find_by_id(membership_id)
        .filter(membership::Column::AccountId.eq(account_id))
        .one(&db.conn)
        .await?
    else {
        return Err(ServiceError::NotFound);
    };
    if account_id == ctx.account.id && m.role == Role::Admin.as_str() {
        return Err(ServiceError::field(
            "membership",
            "error-cannot-revoke-own-admin",
        ));
    }
    let txn = db.write().await?;
    membership::Entity::delete_by_id(membership_id)
        .exec(&*txn)
        .await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "membership.revoked",
            target: format!("account:{account_id}"),
            etablissement_id: m.etablissement_id,
            outcome: "ok",
            details: serde_json::json!({ "role": m.role, "scope": m.scope_key }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Disables an account and ends its sessions at once.
pub async fn set_disabled(
    db: &Db,
    who: &Who,
    account_id: Uuid,
    disabled: bool,
) -> Result<account::Model> {
    let Some(acc) = accounts::get(&db.conn, account_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let txn = db.write().await?;
    let mut am = acc.into_active_model();
    am.disabled = Set(disabled);
    am.updated_at = Set(Utc::now());
    let acc = am.update(&*txn).await?;
    if disabled {
        sessions::delete_for_account(&*txn, account_id).await?;
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: if disabled {
                "account.disabled"
            } else {
                "account.enabled"
            },
            target: format!("account:{account_id}"),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(acc)
}

pub async fn admin_set_disabled(
    db: &Db,
    ctx: &Ctx,
    account_id: Uuid,
    disabled: bool,
) -> Result<account::Model> {
    require_admin(db, ctx, "account.disable").await?;
    if account_id == ctx.account.id && disabled {
        return Err(ServiceError::field("account", "error-cannot-disable-self"));
    }
    set_disabled(db, &Who::of(ctx), account_id, disabled).await
}

/// Saves one's display settings.
pub async fn save_display_prefs(db: &Db, account: &account::Model, encoded: &str) -> Result<()> {
    let mut am = account.clone().into_active_model();
    am.display_prefs = Set(encoded.to_string());
    am.update(&db.conn).await?;
    Ok(())
}

/// Saves one's interface language.
pub async fn save_locale(db: &Db, account: &account::Model, locale: &str) -> Result<()> {
    if !["fr", "en"].contains(&locale) {
        return Err(ServiceError::field("lang", "error-choice"));
    }
    let mut am = account.clone().into_active_model();
    am.locale = Set(locale.to_string());
    am.update(&db.conn).await?;
    Ok(())
}
