//! The comité's members: a person of the school, by one of the roles they
//! hold there, or a named outside member with their quality.

use super::{event, invalid_if_any, open};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::pilotage::comite_membre as membre;
use refnum_db::pilotage::comite as q;
use refnum_db::{Db, accounts, is_unique_violation};
use refnum_domain::pilotage::comite::{Member, MemberKind, OutsideQuality};
use refnum_domain::policy::EtabAction;
use refnum_domain::role::Role;
use uuid::Uuid;

/// A member as the form gives them: `kind` `staff` with `account_id` and
/// `role`, or `outside` with `name` and `quality`.
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub kind: String,
    pub account_id: String,
    pub role: String,
    pub name: String,
    pub quality: String,
}

/// Adds a member to a school's comité (`ManageComite`). A person of the
/// school who had left comes back (with the role given now); one who is a
/// member already is refused.
pub async fn add_member(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &MemberInput) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let mut errors: Vec<FieldError> = vec![];
    let err = |field, key| FieldError { field, key };
    let (member, name) = match MemberKind::parse(input.kind.trim()) {
        Some(MemberKind::Staff) => {
            let staff = accounts::members_of_etablissement(&db.conn, etab.id).await?;
            let found = Uuid::parse_str(input.account_id.trim())
                .ok()
                .and_then(|id| staff.iter().find(|(a, _)| a.id == id));
            match found {
                None => {
                    errors.push(err("account_id", "pilotage-error-comite-person-unknown"));
                    (None, String::new())
                }
                Some((account, roles)) => {
                    let held: Vec<Role> = roles.iter().filter_map(|r| Role::parse(r)).collect();
                    match Role::parse(input.role.trim())
                        .ok_or("pilotage-error-comite-member-role")
                        .and_then(|role| Member::staff(account.id, role, &held))
                    {
                        Ok(m) => (Some(m), account.display_name.clone()),
                        Err(key) => {
                            errors.push(err("role", key));
                            (None, String::new())
                        }
                    }
                }
            }
        }
        Some(MemberKind::Outside) => {
            let quality = OutsideQuality::parse(input.quality.trim());
            if quality.is_none() {
                errors.push(err("quality", "pilotage-error-comite-member-quality"));
            }
            match Member::outside(&input.name, quality.unwrap_or(OutsideQuality::Autre)) {
                Ok(m) => {
                    let name = match &m {
                        Member::Outside { name, .. } => name.clone(),
                        Member::Staff { .. } => String::new(),
                    };
                    (Some(m), name)
                }
                Err(key) => {
                    errors.push(err("name", key));
                    (None, String::new())
                }
            }
        }
        None => {
            errors.push(err("kind", "pilotage-error-comite-member-kind"));
            (None, String::new())
        }
    };
    invalid_if_any(errors)?;
    let Some(member) = member else {
        return Err(ServiceError::field(
            "kind",
            "pilotage-error-comite-member-kind",
        ));
    };
    let who = Who::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let (id, details) = match &member {
        Member::Staff { account_id, role } => {
            // One who had left comes back: a conditional update of their
            // row, then an insert that the unique index guards.
            match q::rejoin(&*txn, etab.id, *account_id, role.as_str(), &name).await? {
                Some(id) => (
                    id,
                    serde_json::json!({ "kind": "staff", "role": role.as_str(), "rejoined": true }),
                ),
                None => {
                    let id = Uuid::now_v7();
                    let row = membre::Model {
                        id,
                        etablissement_id: etab.id,
                        kind: MemberKind::Staff.as_str().into(),
                        account_id: Some(*account_id),
                        role: Some(role.as_str().into()),
                        name: name.clone(),
                        quality: None,
                        created_at: now,
                        removed_at: None,
                    };
                    if let Err(e) = q::insert_member(&*txn, row).await {
                        if is_unique_violation(&e) {
                            return Err(ServiceError::field(
                                "account_id",
                                "pilotage-error-comite-member-twice",
                            ));
                        }
                        return Err(e.into());
                    }
                    (
                        id,
                        serde_json::json!({ "kind": "staff", "role": role.as_str() }),
                    )
                }
            }
        }
        Member::Outside { name, quality } => {
            let id = Uuid::now_v7();
            q::insert_member(
                &*txn,
                membre::Model {
                    id,
                    etablissement_id: etab.id,
                    kind: MemberKind::Outside.as_str().into(),
                    account_id: None,
                    role: None,
                    name: name.clone(),
                    quality: Some(quality.as_str().into()),
                    created_at: now,
                    removed_at: None,
                },
            )
            .await?;
            (
                id,
                serde_json::json!({ "kind": "outside", "quality": quality.as_str() }),
            )
        }
    };
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_member_added",
            format!("pilotage_comite_membre:{id}"),
            etab.id,
            details,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// A member leaves the comité (`ManageComite`); their past attendance
/// stays.
pub async fn remove_member(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    let m = q::get_member(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::remove_member(&*txn, etab.id, m.id, Utc::now()).await? {
        return Err(ServiceError::field(
            "member",
            "pilotage-error-comite-member-gone",
        ));
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.comite_member_removed",
            format!("pilotage_comite_membre:{}", m.id),
            etab.id,
            serde_json::json!({ "kind": m.kind }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
