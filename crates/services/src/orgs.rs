//! Académies, collectivités and schools.

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::{academie, collectivite, etablissement};
use refnum_db::{Db, is_unique_violation, orgs};
use refnum_domain::Uai;
use refnum_domain::etablissement::{CollectiviteKind, EtabKind, parse_name, parse_pupil_count};
use refnum_domain::policy::{self, Decision, EtabAction, EtabFacts, InstanceAction};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use uuid::Uuid;

/// Refuses unless the actor administers the instance.
pub async fn require_admin(db: &Db, ctx: &Ctx, what: &str) -> Result<()> {
    match policy::decide_instance(&ctx.actor, InstanceAction::Administer) {
        Decision::Allow => Ok(()),
        _ => {
            audit::record_refusal(db, ctx, what, None).await;
            Err(ServiceError::Forbidden)
        }
    }
}

/// Loads a school and asks the policy; refusals are recorded.
pub async fn etab_for(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    action: EtabAction,
) -> Result<etablissement::Model> {
    Ok(etab_with_facts(db, ctx, id, action).await?.0)
}

/// [`etab_for`], with the facts the policy decided on, for the caller to
/// decide other actions on the same school without reading them again.
/// The school is taken from the caller's context when it is one of theirs
/// (read in the same request).
pub async fn etab_with_facts(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, EtabFacts)> {
    let etab = match ctx.schools.iter().find(|e| e.id == id) {
        Some(e) => e.clone(),
        None => match orgs::get_etablissement(&db.conn, id).await? {
            Some(e) => e,
            None => return Err(ServiceError::NotFound),
        },
    };
    let facts = orgs::etab_facts(&db.conn, &etab).await?;
    match policy::decide(&ctx.actor, action, &facts) {
        Decision::Allow => Ok((etab, facts)),
        Decision::Forbidden => {
            audit::record_refusal(db, ctx, &format!("etablissement:{id}:{action:?}"), Some(id))
                .await;
            Err(ServiceError::Forbidden)
        }
        Decision::NotFound => {
            audit::record_refusal(db, ctx, &format!("etablissement:{id}:{action:?}"), None).await;
            Err(ServiceError::NotFound)
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AcademieInput {
    pub code: String,
    pub name: String,
}

pub async fn create_academie(db: &Db, who: &Who, input: &AcademieInput) -> Result<academie::Model> {
    let mut errors = vec![];
    let code = input.code.trim().to_lowercase();
    if code.is_empty()
        || code.len() > 32
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        errors.push(FieldError {
            field: "code",
            key: "error-academie-code",
        });
    }
    let name = parse_name(&input.name, 200).map_err(|k| FieldError {
        field: "name",
        key: k,
    });
    if let Err(e) = &name {
        errors.push(e.clone());
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let m = academie::Model {
        id: Uuid::now_v7(),
        code,
        name: name.map_err(|e| ServiceError::Invalid(vec![e]))?,
        created_at: Utc::now(),
    };
    let txn = db.write().await?;
    if let Err(e) = academie::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await
    {
        if is_unique_violation(&e) {
            return Err(ServiceError::field("code", "error-academie-code-taken"));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "academie.created",
            target: format!("academie:{}", m.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "code": m.code, "name": m.name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

#[derive(Debug, Clone, Default)]
pub struct CollectiviteInput {
    pub kind: String,
    pub name: String,
    pub academie_id: String,
}

pub async fn create_collectivite(
    db: &Db,
    who: &Who,
    input: &CollectiviteInput,
) -> Result<collectivite::Model> {
    let mut errors = vec![];
    let kind = CollectiviteKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError {
            field: "kind",
            key: "error-choice",
        });
    }
    let name = parse_name(&input.name, 200);
    if let Err(k) = name {
        errors.push(FieldError {
            field: "name",
            key: k,
        });
    }
    let academie_id = if input.academie_id.trim().is_empty() {
        None
    } else {
        match Uuid::parse_str(input.academie_id.trim()) {
            Ok(id) if orgs::get_academie(&db.conn, id).await?.is_some() => Some(id),
            _ => {
                errors.push(FieldError {
                    field: "academie_id",
                    key: "error-choice",
                });
                None
            }
        }
    };
    let (Some(kind), Ok(name), true) = (kind, name, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let m = collectivite::Model {
        id: Uuid::now_v7(),
        kind: kind.as_str().to_string(),
        name,
        academie_id,
        created_at: Utc::now(),
    };
    let txn = db.write().await?;
    if let Err(e) = collectivite::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await
    {
        if is_unique_violation(&e) {
            return Err(ServiceError::field("name", "error-collectivite-taken"));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "collectivite.created",
            target: format!("collectivite:{}", m.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "kind": m.kind, "name": m.name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

#[derive(Debug, Clone, Default)]
pub struct EtabInput {
    pub uai: String,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub academie_id: String,
    pub collectivite_id: String,
    pub pupil_count: String,
}

struct ValidEtab {
    uai: String,
    name: String,
    kind: EtabKind,
    city: String,
    academie_id: Uuid,
    collectivite_id: Option<Uuid>,
    pupil_count: i32,
}

async fn validate_etab(db: &Db, input: &EtabInput) -> Result<ValidEtab> {
    let mut errors = vec![];
    let uai = match Uai::parse(&input.uai) {
        Ok(u) => Some(u.as_str().to_string()),
        Err(e) => {
            errors.push(FieldError {
                field: "uai",
                key: e.key(),
            });
            None
        }
    };
    let name = parse_name(&input.name, 200)
        .map_err(|k| {
            errors.push(FieldError {
                field: "name",
                key: k,
            })
        })
        .ok();
    let kind = EtabKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError {
            field: "kind",
            key: "error-choice",
        });
    }
    let city = parse_name(&input.city, 120)
        .map_err(|k| {
            errors.push(FieldError {
                field: "city",
                key: k,
            })
        })
        .ok();
    let academie_id = match Uuid::parse_str(input.academie_id.trim()) {
        Ok(id) if orgs::get_academie(&db.conn, id).await?.is_some() => Some(id),
        _ => {
            errors.push(FieldError {
                field: "academie_id",
                key: "error-choice",
            });
            None
        }
    };
    let collectivite_id = if input.collectivite_id.trim().is_empty() {
        None
    } else {
        match Uuid::parse_str(input.collectivite_id.trim()) {
            Ok(id) if orgs::get_collectivite(&db.conn, id).await?.is_some() => Some(id),
            _ => {
                errors.push(FieldError {
                    field: "collectivite_id",
                    key: "error-choice",
                });
                None
            }
        }
    };
    let pupil_count = parse_pupil_count(&input.pupil_count)
        .map_err(|k| {
            errors.push(FieldError {
                field: "pupil_count",
                key: k,
            })
        })
        .ok();
    match (uai, name, kind, city, academie_id, pupil_count) {
        (Some(uai), Some(name), Some(kind), Some(city), Some(academie_id), Some(pupil_count))
            if errors.is_empty() =>
        {
            Ok(ValidEtab {
                uai,
                name,
                kind,
                city,
                academie_id,
                collectivite_id,
                pupil_count,
            })
        }
        _ => Err(ServiceError::Invalid(errors)),
    }
}

pub async fn create_etablissement(
    db: &Db,
    who: &Who,
    input: &EtabInput,
) -> Result<etablissement::Model> {
    let v = validate_etab(db, input).await?;
    let now = Utc::now();
    let search_text = refnum_domain::search::text_of(&[&v.name, &v.uai, &v.city]);
    let m = etablissement::Model {
        id: Uuid::now_v7(),
        uai: v.uai,
        name: v.name,
        kind: v.kind.as_str().to_string(),
        city: v.city,
        academie_id: v.academie_id,
        collectivite_id: v.collectivite_id,
        pupil_count: v.pupil_count,
        search_text,
        created_at: now,
        updated_at: now,
    };
    let txn = db.write().await?;
    if let Err(e) = etablissement::Entity::insert(m.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await
    {
        if is_unique_violation(&e) {
            return Err(ServiceError::field("uai", "error-uai-taken"));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "etablissement.created",
            target: format!("etablissement:{}", m.id),
            etablissement_id: Some(m.id),
            outcome: "ok",
            details: serde_json::json!({ "uai": m.uai, "name": m.name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Updates a school's record; the policy decides who may.
pub async fn update_etablissement(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    input: &EtabInput,
) -> Result<etablissement::Model> {
    let etab = etab_for(db, ctx, id, EtabAction::Edit).await?;
    let v = validate_etab(db, input).await?;
    let txn = db.write().await?;
    let mut am = etab.clone().into_active_model();
    am.uai = Set(v.uai.clone());
    am.name = Set(v.name.clone());
    am.kind = Set(v.kind.as_str().to_string());
    am.city = Set(v.city.clone());
    am.academie_id = Set(v.academie_id);
    am.collectivite_id = Set(v.collectivite_id);
    am.pupil_count = Set(v.pupil_count);
    am.search_text = Set(refnum_domain::search::text_of(&[&v.name, &v.uai, &v.city]));
    am.updated_at = Set(Utc::now());
    let updated = match am.update(&*txn).await {
        Ok(m) => m,
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::field("uai", "error-uai-taken"));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "etablissement.updated",
            target: format!("etablissement:{id}"),
            etablissement_id: Some(id),
            outcome: "ok",
            details: serde_json::json!({
                "uai": [etab.uai, updated.uai],
                "name": [etab.name, updated.name],
                "pupil_count": [etab.pupil_count, updated.pupil_count],
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Creates a support organisation (or updates the schools it serves when
/// `id` is given). Instance administration.
pub async fn save_organisation(
    db: &Db,
    ctx: &Ctx,
    id: Option<Uuid>,
    name: &str,
    serves: &[String],
) -> Result<refnum_db::entities::organisation::Model> {
    use refnum_db::entities::{organisation, organisation_etablissement};
    use sea_orm::{ColumnTrait, QueryFilter};
    require_admin(db, ctx, "admin.organisations").await?;
    let name = parse_name(name, 200).map_err(|k| ServiceError::field("name", k))?;
    let mut etabs = vec![];
    for s in serves {
        let eid =
            Uuid::parse_str(s.trim()).map_err(|_| ServiceError::field("serves", "error-choice"))?;
        if orgs::get_etablissement(&db.conn, eid).await?.is_none() {
            return Err(ServiceError::field("serves", "error-choice"));
        }
        etabs.push(eid);
    }
    etabs.sort();
    etabs.dedup();
    let txn = db.write().await?;
    let org = match id {
        Some(id) => {
            let Some(o) = organisation::Entity::find_by_id(id).one(&*txn).await? else {
                return Err(ServiceError::NotFound);
            };
            let mut am = o.into_active_model();
            am.name = Set(name.clone());
            match am.update(&*txn).await {
                Ok(m) => m,
                Err(e) if is_unique_violation(&e) => {
                    return Err(ServiceError::field("name", "error-organisation-taken"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        None => {
            let m = organisation::Model {
                id: Uuid::now_v7(),
                name: name.clone(),
                created_at: Utc::now(),
            };
            if let Err(e) = organisation::Entity::insert(m.clone().into_active_model())
                .exec_without_returning(&*txn)
                .await
            {
                if is_unique_violation(&e) {
                    return Err(ServiceError::field("name", "error-organisation-taken"));
                }
                return Err(e.into());
            }
            m
        }
    };
    organisation_etablissement::Entity::delete_many()
        .filter(organisation_etablissement::Column::OrganisationId.eq(org.id))
        .exec(&*txn)
        .await?;
    for e in &etabs {
        organisation_etablissement::Entity::insert(organisation_etablissement::ActiveModel {
            organisation_id: Set(org.id),
            etablissement_id: Set(*e),
        })
        .exec_without_returning(&*txn)
        .await?;
    }
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: if id.is_some() {
                "organisation.updated"
            } else {
                "organisation.created"
            },
            target: format!("organisation:{}", org.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "name": org.name, "serves": etabs }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(org)
}
