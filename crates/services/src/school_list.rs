//! Importing a list of schools (`UAI;name;kind;sector;postcode;city`) into an
//! académie: creates the schools RefNum does not know, updates the names,
//! kinds and cities of those it knows, in one transaction.

use crate::audit::{self, Event, Who};
use crate::error::Result;
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::{Db, orgs};
use refnum_domain::Uai;
use refnum_domain::etablissement::EtabKind;
use refnum_io::school_list::SchoolRow;
use sea_orm::{ActiveValue::Set, EntityTrait, IntoActiveModel};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub warnings: Vec<String>,
}

fn kind_of(s: &str) -> Option<EtabKind> {
    match s.trim().to_lowercase().as_str() {
        "college" | "collège" | "clg" => Some(EtabKind::College),
        "lycee" | "lycée" | "lyc" | "lgt" => Some(EtabKind::Lycee),
        "lprof" | "lp" => Some(EtabKind::Lp),
        "lpo" => Some(EtabKind::Lpo),
        "erea" => Some(EtabKind::Erea),
        "ecole" | "école" => Some(EtabKind::Ecole),
        _ => None,
    }
}

struct Valid {
    uai: String,
    name: String,
    kind: EtabKind,
    city: String,
}

/// Checks every row; the first bad one refuses the whole list.
fn validate(rows: &[SchoolRow]) -> std::result::Result<(Vec<Valid>, Vec<String>), String> {
    let mut out = vec![];
    let mut warnings = vec![];
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        let (uai, check_ok) = Uai::parse_lenient(&r.uai).map_err(|_| {
            format!(
                "ligne {} : « {} » n'est pas un code UAI (7 chiffres et une lettre)",
                r.line, r.uai
            )
        })?;
        if !check_ok {
            warnings.push(format!(
                "ligne {} : la lettre de contrôle de l'UAI {} ne correspond pas à ses chiffres",
                r.line,
                uai.as_str()
            ));
        }
        if !seen.insert(uai.as_str().to_string()) {
            return Err(format!(
                "ligne {} : l'UAI {} figure deux fois dans la liste",
                r.line,
                uai.as_str()
            ));
        }
        let kind = kind_of(&r.kind).ok_or_else(|| {
            format!(
                "ligne {} : type d'établissement inconnu « {} » (college, lycee, lprof, lpo, erea, ecole)",
                r.line, r.kind
            )
        })?;
        let name = match r.name.trim() {
            "" | "-" => {
                warnings.push(format!(
                    "ligne {} : établissement {} sans nom, nommé d'après sa commune",
                    r.line,
                    uai.as_str()
                ));
                format!("Établissement de {}", r.city.trim())
            }
            n => n.to_string(),
        };
        if name.chars().count() > 200 || r.city.chars().count() > 120 {
            return Err(format!("ligne {} : nom ou commune trop long", r.line));
        }
        out.push(Valid {
            uai: uai.as_str().to_string(),
            name,
            kind,
            city: r.city.trim().to_string(),
        });
    }
    Ok((out, warnings))
}

/// Imports the list into the académie. `apply = false` computes the summary
/// only. A refusal (a bad line) changes nothing.
pub async fn import(
    db: &Db,
    who: &Who,
    academie_id: Uuid,
    rows: &[SchoolRow],
    apply: bool,
) -> Result<std::result::Result<ListSummary, String>> {
    let (valid, warnings) = match validate(rows) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let now = Utc::now();
    let mut summary = ListSummary {
        warnings,
        ..Default::default()
    };
    let txn = db.write().await?;
    for v in &valid {
        match orgs::get_etablissement_by_uai(&*txn, &v.uai).await? {
            Some(e) if e.academie_id != academie_id => {
                summary.warnings.push(format!(
                    "{} existe déjà dans une autre académie : laissé tel quel",
                    v.uai
                ));
                summary.unchanged += 1;
            }
            Some(e) => {
                if e.name == v.name && e.city == v.city && e.kind == v.kind.as_str() {
                    summary.unchanged += 1;
                    continue;
                }
                summary.updated += 1;
                let mut am = e.into_active_model();
                am.name = Set(v.name.clone());
                am.city = Set(v.city.clone());
                am.kind = Set(v.kind.as_str().to_string());
                am.search_text = Set(refnum_domain::search::text_of(&[&v.name, &v.uai, &v.city]));
                am.updated_at = Set(now);
                etablissement::Entity::update(am).exec(&*txn).await?;
            }
            None => {
                summary.created += 1;
                etablissement::Entity::insert(
                    etablissement::Model {
                        id: Uuid::now_v7(),
                        uai: v.uai.clone(),
                        name: v.name.clone(),
                        kind: v.kind.as_str().to_string(),
                        city: v.city.clone(),
                        academie_id,
                        collectivite_id: None,
                        pupil_count: 0,
                        search_text: refnum_domain::search::text_of(&[&v.name, &v.uai, &v.city]),
                        created_at: now,
                        updated_at: now,
                    }
                    .into_active_model(),
                )
                .exec_without_returning(&*txn)
                .await?;
            }
        }
    }
    if !apply {
        // Dropped without commit: rolled back.
        drop(txn);
        return Ok(Ok(summary));
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "etablissement.list_imported",
            target: format!("academie:{academie_id}"),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(summary))
}
