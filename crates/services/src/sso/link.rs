//! Which account an identity signs in to.
//!
//! - an identity already known (`provider`, `subject`) → its account;
//! - `link_by = "email"`: the account with that e-mail, unless the provider
//!   says it is not verified, and only if the account has no identity at
//!   another provider yet (a second provider cannot take over an account by
//!   sending the same e-mail) nor another identity at this one;
//! - `link_by = "annuaire"`: the active staff member of the directory whose
//!   join key is the attribute: their account, or a new one (no password,
//!   `enseignant` or `personnel` in each of their schools: never a
//!   privileged role);
//! - otherwise nothing is created.

use super::Refusal;
use super::config::{LinkBy, Provider};
use crate::audit::{self, Event, Who};
use crate::error::Result;
use chrono::Utc;
use refnum_db::entities::{account, sso_identity};
use refnum_db::{Db, accounts, is_unique_violation, sso as q};
use refnum_domain::Email;
use refnum_domain::role::{Membership, Role, ScopeRef};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel};
use uuid::Uuid;

/// What the provider said about the person.
#[derive(Debug, Clone, Default)]
pub struct Asserted {
    pub subject: String,
    /// The value of the configured link attribute.
    pub link_value: Option<String>,
    /// An e-mail, if the provider gave one (for a new directory account).
    pub email: Option<String>,
    /// OIDC `email_verified`; `None` when not said.
    pub email_verified: Option<bool>,
}

/// True when one of the function codes is a teaching one (STS/AAF `ENS`).
pub fn is_teaching(functions_json: &str) -> bool {
    let list: Vec<String> = serde_json::from_str(functions_json).unwrap_or_default();
    list.iter().any(|f| {
        f.split(['$', ' ', '-', '/']).any(|part| {
            part.eq_ignore_ascii_case("ENS") || part.eq_ignore_ascii_case("ENSEIGNEMENT")
        })
    })
}

async fn new_identity<C: ConnectionTrait>(
    c: &C,
    provider: &Provider,
    subject: &str,
    account: &account::Model,
) -> Result<sso_identity::Model> {
    let now = Utc::now();
    let m = sso_identity::Model {
        id: Uuid::now_v7(),
        provider: provider.id.clone(),
        subject: subject.to_string(),
        account_id: account.id,
        created_at: now,
        last_login_at: now,
    };
    q::insert_identity(c, &m).await?;
    let who = Who {
        account_id: Some(account.id),
        label: account.email.clone(),
    };
    audit::record(
        c,
        Event {
            who: &who,
            action: "sso.identity_linked",
            target: format!("account:{}", account.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "provider": provider.id, "link_by": provider.link_by.as_str() }),
        },
    )
    .await?;
    Ok(m)
}

/// Finds (or, from the directory, creates) the account of an identity.
pub async fn resolve(
    db: &Db,
    provider: &Provider,
    a: &Asserted,
) -> Result<std::result::Result<(account::Model, sso_identity::Model), Refusal>> {
    for _attempt in 0..2 {
        if let Some(idn) = q::identity_by_subject(&db.conn, &provider.id, &a.subject).await? {
            let Some(acc) = accounts::get(&db.conn, idn.account_id).await? else {
                return Ok(Err(Refusal::NoAccount));
            };
            if acc.disabled {
                return Ok(Err(Refusal::Disabled { account_id: acc.id }));
            }
            q::touch_identity(&db.conn, &idn, Utc::now()).await?;
            return Ok(Ok((acc, idn)));
        }
        let r = match provider.link_by {
            LinkBy::Email => by_email(db, provider, a).await,
            LinkBy::Annuaire => by_directory(db, provider, a).await,
        };
        match r {
            // Two first sign-ins at once: the other one linked it; take it.
            Err(crate::ServiceError::Db(e)) if is_unique_violation(&e) => continue,
            other => return other,
        }
    }
    Ok(Err(Refusal::NoAccount))
}

/// The account may receive this identity: enabled, and no identity yet at
/// another provider (nor another identity at this one).
async fn may_link(
    db: &Db,
    provider: &Provider,
    acc: &account::Model,
) -> Result<std::result::Result<(), Refusal>> {
    if acc.disabled {
        return Ok(Err(Refusal::Disabled { account_id: acc.id }));
    }
    let existing = q::identities_of_account(&db.conn, acc.id).await?;
    if let Some(other) = existing.first() {
        return Ok(Err(Refusal::Takeover {
            account_id: acc.id,
            linked_provider: other.provider.clone(),
        }));
    }
    let _ = provider;
    Ok(Ok(()))
}

async fn by_email(
    db: &Db,
    provider: &Provider,
    a: &Asserted,
) -> Result<std::result::Result<(account::Model, sso_identity::Model), Refusal>> {
    let Some(email) = a.link_value.as_deref().and_then(|v| Email::parse(v).ok()) else {
        return Ok(Err(Refusal::NoAccount));
    };
    if a.email_verified == Some(false) {
        return Ok(Err(Refusal::EmailUnverified));
    }
    let Some(acc) = accounts::get_by_email(&db.conn, email.as_str()).await? else {
        return Ok(Err(Refusal::NoAccount));
    };
    if let Err(r) = may_link(db, provider, &acc).await? {
        return Ok(Err(r));
    }
    let txn = db.write().await?;
    let idn = new_identity(&*txn, provider, &a.subject, &acc).await?;
    txn.commit().await?;
    Ok(Ok((acc, idn)))
}

async fn by_directory(
    db: &Db,
    provider: &Provider,
    a: &Asserted,
) -> Result<std::result::Result<(account::Model, sso_identity::Model), Refusal>> {
    let Some(key) = a
        .link_value
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    else {
        return Ok(Err(Refusal::NoAccount));
    };
    let people = q::directory_staff_by_key(&db.conn, key).await?;
    let Some(first) = people.first() else {
        return Ok(Err(Refusal::NoAccount));
    };
    let unlinked: Vec<Uuid> = people
        .iter()
        .filter(|p| p.account_id.is_none())
        .map(|p| p.id)
        .collect();
    // Already an account: the directory says whose.
    if let Some(account_id) = people.iter().find_map(|p| p.account_id) {
        let Some(acc) = accounts::get(&db.conn, account_id).await? else {
            return Ok(Err(Refusal::NoAccount));
        };
        if acc.disabled {
            return Ok(Err(Refusal::Disabled { account_id: acc.id }));
        }
        let txn = db.write().await?;
        q::set_directory_account(&*txn, &unlinked, acc.id).await?;
        let idn = new_identity(&*txn, provider, &a.subject, &acc).await?;
        txn.commit().await?;
        return Ok(Ok((acc, idn)));
    }
    let Some(email) = people
        .iter()
        .find_map(|p| p.email.as_deref().and_then(|e| Email::parse(e).ok()))
        .or_else(|| a.email.as_deref().and_then(|e| Email::parse(e).ok()))
    else {
        return Ok(Err(Refusal::NoAccount));
    };
    // An account with this e-mail already exists: the e-mail rule applies.
    if let Some(acc) = accounts::get_by_email(&db.conn, email.as_str()).await? {
        if let Err(r) = may_link(db, provider, &acc).await? {
            return Ok(Err(r));
        }
        let txn = db.write().await?;
        q::set_directory_account(&*txn, &unlinked, acc.id).await?;
        let idn = new_identity(&*txn, provider, &a.subject, &acc).await?;
        txn.commit().await?;
        return Ok(Ok((acc, idn)));
    }
    let now = Utc::now();
    let display_name = format!("{} {}", first.first_name.trim(), first.last_name.trim())
        .trim()
        .chars()
        .take(200)
        .collect::<String>();
    let display_name = if display_name.is_empty() {
        email.as_str().to_string()
    } else {
        display_name
    };
    let acc = account::Model {
        id: Uuid::now_v7(),
        email: email.as_str().to_string(),
        display_name: display_name.clone(),
        password_hash: None,
        disabled: false,
        locale: "fr".into(),
        display_prefs: String::new(),
        search_text: refnum_domain::search::text_of(&[email.as_str(), &display_name]),
        created_at: now,
        updated_at: now,
    };
    let who = Who::system(&format!("sso:{}", provider.id));
    let txn = db.write().await?;
    account::Entity::insert(acc.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await?;
    audit::record(
        &*txn,
        Event {
            who: &who,
            action: "account.created",
            target: format!("account:{}", acc.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "email": acc.email, "source": "annuaire", "provider": provider.id }),
        },
    )
    .await?;
    for p in &people {
        // Only these two roles, ever: privileged roles are granted by people.
        let role = if is_teaching(&p.functions) {
            Role::Enseignant
        } else {
            Role::Personnel
        };
        crate::people::grant(
            &*txn,
            &who,
            acc.id,
            Membership {
                role,
                scope: ScopeRef::Etablissement(p.etablissement_id),
            },
        )
        .await?;
    }
    q::set_directory_account(&*txn, &unlinked, acc.id).await?;
    let idn = new_identity(&*txn, provider, &a.subject, &acc).await?;
    txn.commit().await?;
    Ok(Ok((acc, idn)))
}

#[cfg(test)]
mod tests {
    use super::is_teaching;

    #[test]
    fn teaching_functions() {
        assert!(is_teaching(r#"["ENS"]"#));
        assert!(is_teaching(
            r#"["0140013N$ENS$ENSEIGNEMENT$L0201$ANGLAIS"]"#
        ));
        assert!(!is_teaching(r#"["DIR", "EDU"]"#));
        assert!(!is_teaching("not json"));
    }
}
