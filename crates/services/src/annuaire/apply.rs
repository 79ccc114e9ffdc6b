//! Applying a prepared import: one transaction with its audit event. The
//! people and their guardian links are written with multi-row statements,
//! built in a blocking thread while the database runs the previous ones.

use super::diff::Summary;
use super::snapshot::{
    Entry, Op, PersonFields, PersonKey, Refusal, Snapshot, nomenclature_kind_str, person_kind_str,
    structure_kind_str,
};
use super::{FileInfo, Prepared, json_list};
use crate::audit::{self, Event, Who};
use crate::error::{Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::Db;
use refnum_db::annuaire as q;
use refnum_db::entities::{
    annuaire_guardianship, annuaire_import, annuaire_nomenclature, annuaire_person,
    annuaire_structure, etablissement,
};
use refnum_domain::Uai;
use refnum_domain::etablissement::EtabKind;
use refnum_io::annuaire::PersonKind;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbBackend, DbErr, EntityTrait, IntoActiveModel, Statement,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tokio::sync::mpsc::Sender;
use uuid::Uuid;

/// How to create a school that the files describe.
pub struct CreateSchool {
    pub academie_id: Uuid,
}

fn etab_kind_of(kind: Option<&str>, name: &str) -> EtabKind {
    let k = kind.unwrap_or("").to_uppercase();
    let n = name.to_uppercase();
    if k.contains("LPO") || n.starts_with("LPO") {
        EtabKind::Lpo
    } else if k == "LP" || k.contains("LYC PRO") || n.starts_with("LP ") {
        EtabKind::Lp
    } else if k.contains("LYC") || n.starts_with("LYCEE") || n.starts_with("LYCÉE") {
        EtabKind::Lycee
    } else if k.contains("EREA") {
        EtabKind::Erea
    } else if k.contains("ECOLE") || k.contains("ÉCOLE") || n.starts_with("ECOLE") {
        EtabKind::Ecole
    } else {
        EtabKind::College
    }
}

/// Where an import's files came from, for the import record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredFile {
    #[serde(flatten)]
    pub info: FileInfo,
    /// Path of the uploaded copy, for uploads.
    pub stored: Option<String>,
}

/// Applies a prepared batch in one transaction, with its audit event.
/// `preview_id` is the import previewed in the UI (it becomes applied).
pub async fn apply(
    db: &Db,
    who: &Who,
    prepared: Prepared,
    etab: Option<etablissement::Model>,
    create: Option<CreateSchool>,
    preview_id: Option<Uuid>,
) -> Result<std::result::Result<(Uuid, Summary), Refusal>> {
    let now = Utc::now();
    let Prepared {
        snap,
        diff,
        source,
        uai,
        summary,
        warnings,
        school,
    } = prepared;
    let started = std::time::Instant::now();
    let txn = db.write().await?;
    let etab = match etab {
        Some(e) => e,
        None => {
            let Some(create) = create else {
                return Ok(Err(Refusal(format!(
                    "l'établissement {uai} n'est pas connu de RefNum ; créez-le d'abord, ou demandez sa création à partir du fichier"
                ))));
            };
            let Some(s) = school else {
                return Ok(Err(Refusal(format!(
                    "l'établissement {uai} n'est pas connu et les fichiers ne le décrivent pas (STS : UAJ, AAF : EtabEducNat) ; créez-le d'abord"
                ))));
            };
            // A failed check letter is a warning (already given), not a refusal.
            let Ok((valid, _check_ok)) = Uai::parse_lenient(&uai) else {
                return Ok(Err(Refusal(format!(
                    "le code UAI « {uai} » n'est pas valide : impossible de créer l'établissement"
                ))));
            };
            let name: String = s.name.trim().chars().take(200).collect();
            let city: String = s
                .city
                .clone()
                .unwrap_or_default()
                .trim()
                .chars()
                .take(120)
                .collect();
            let m = etablissement::Model {
                id: Uuid::now_v7(),
                uai: valid.as_str().to_string(),
                name: if name.is_empty() {
                    uai.clone()
                } else {
                    name.clone()
                },
                kind: etab_kind_of(s.kind.as_deref(), &name).as_str().to_string(),
                city: city.clone(),
                academie_id: create.academie_id,
                collectivite_id: None,
                pupil_count: 0,
                search_text: refnum_domain::search::text_of(&[&name, valid.as_str(), &city]),
                created_at: now,
                updated_at: now,
            };
            etablissement::Entity::insert(m.clone().into_active_model())
                .exec_without_returning(&*txn)
                .await?;
            audit::record(
                &*txn,
                Event {
                    who,
                    action: "etablissement.created",
                    target: format!("etablissement:{}", m.id),
                    etablissement_id: Some(m.id),
                    outcome: "ok",
                    details: serde_json::json!({ "uai": m.uai, "name": m.name, "from": source.as_str() }),
                },
            )
            .await?;
            m
        }
    };
    let etab_id = etab.id;
    let src = source.as_str();
    for id in &snap.school_source_ids {
        q::set_source_id(&*txn, src, id, etab_id).await?;
    }
    let file_label: String = snap
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
        .chars()
        .take(255)
        .collect();

    // Rollover: a file of a new school year archives the previous years.
    if summary.archived_previous_years > 0 {
        q::archive_years_before(&*txn, etab_id, snap.school_year, now).await?;
    }
    // Structures.
    let adds: Vec<annuaire_structure::ActiveModel> = diff
        .structures_add
        .iter()
        .map(|s| {
            annuaire_structure::Model {
                id: Uuid::now_v7(),
                etablissement_id: etab_id,
                school_year: snap.school_year,
                kind: structure_kind_str(s.kind).into(),
                code: s.code.clone(),
                label: s.label.clone(),
                mefs: json_list(&s.mefs),
                divisions: json_list(&s.divisions),
                content_hash: s.hash(),
                source: src.into(),
                source_file: file_label.clone(),
                imported_at: now,
                archived_at: None,
                created_at: now,
            }
            .into_active_model()
        })
        .collect();
    q::insert_structures(&*txn, adds).await?;
    for (row, s) in &diff.structures_change {
        let mut am = row.clone().into_active_model();
        am.label = Set(s.label.clone());
        am.mefs = Set(json_list(&s.mefs));
        am.divisions = Set(json_list(&s.divisions));
        am.content_hash = Set(s.hash());
        am.source = Set(src.into());
        am.source_file = Set(file_label.clone());
        am.imported_at = Set(now);
        am.archived_at = Set(None);
        q::update_structure(&*txn, am).await?;
    }
    q::archive_structures(&*txn, &diff.structures_archive, now).await?;

    // Nomenclatures.
    let n_adds = diff
        .nomenclatures_add
        .iter()
        .map(|n| {
            annuaire_nomenclature::Model {
                id: Uuid::now_v7(),
                etablissement_id: etab_id,
                kind: nomenclature_kind_str(n.kind).into(),
                code: n.code.chars().take(64).collect(),
                short_label: n.short_label.clone().map(|s| s.chars().take(120).collect()),
                label: n.label.chars().take(255).collect(),
                content_hash: n.hash(),
                source: src.into(),
                source_file: file_label.clone(),
                imported_at: now,
            }
            .into_active_model()
        })
        .collect();
    let n_changes = diff
        .nomenclatures_change
        .iter()
        .map(|(row, n)| {
            let mut am = row.clone().into_active_model();
            am.short_label = Set(n.short_label.clone().map(|s| s.chars().take(120).collect()));
            am.label = Set(n.label.chars().take(255).collect());
            am.content_hash = Set(n.hash());
            am.source = Set(src.into());
            am.source_file = Set(file_label.clone());
            am.imported_at = Set(now);
            am
        })
        .collect();
    q::upsert_nomenclatures(&*txn, n_adds, n_changes).await?;

    // People, then the pupils' guardians: the statements are built in a
    // blocking thread while the database runs the previous ones.
    q::set_left(&*txn, &diff.deactivate, now).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Statement>(1);
    let plan = PeopleWrites {
        backend: txn.get_database_backend(),
        etab_id,
        source: src.to_string(),
        file_label: file_label.clone(),
        now,
        guardian_ids: diff.guardian_ids,
        pupil_ids: diff.pupil_ids,
    };
    let builder = tokio::task::spawn_blocking(move || plan.build(snap, &tx));
    let mut statements = 0u64;
    while let Some(stmt) = rx.recv().await {
        q::writes::run(&*txn, stmt).await?;
        statements += 1;
    }
    let (snap, unresolved) = builder
        .await
        .map_err(|e| ServiceError::Internal(format!("import thread: {e}")))??;
    tracing::debug!(
        people_statements = statements,
        write_ms = started.elapsed().as_millis() as u64,
        "annuaire import: people written"
    );
    let mut warnings = warnings;
    if unresolved > 0 {
        warnings.push(format!(
            "{unresolved} responsable(s) cité(s) par des élèves ne figurent dans aucun fichier importé (joignez le fichier des responsables)"
        ));
    }

    // The import record.
    let files: Vec<StoredFile> = snap
        .files
        .iter()
        .map(|f| StoredFile {
            info: f.clone(),
            stored: None,
        })
        .collect();
    let summary_json = serde_json::to_string(&summary).unwrap_or_else(|_| "{}".into());
    let warnings_json = serde_json::to_string(&warnings).unwrap_or_else(|_| "[]".into());
    match preview_id {
        Some(id) => {
            let Some(row) = q::get_import(&*txn, id).await? else {
                return Ok(Err(Refusal("cet import n'existe plus".into())));
            };
            if row.status != "preview" {
                return Ok(Err(Refusal(
                    "cet import a déjà été appliqué ou abandonné".into(),
                )));
            }
            let mut am = row.into_active_model();
            am.status = Set("applied".into());
            am.etablissement_id = Set(Some(etab_id));
            am.summary = Set(summary_json);
            am.warnings = Set(warnings_json);
            am.school_year = Set(Some(snap.school_year));
            am.exported_on = Set(snap.exported_on);
            am.applied_by = Set(who.account_id);
            am.applied_at = Set(Some(now));
            q::update_import(&*txn, am).await?;
        }
        None => {
            q::insert_import(
                &*txn,
                annuaire_import::Model {
                    id: Uuid::now_v7(),
                    etablissement_id: Some(etab_id),
                    uai: uai.clone(),
                    source: src.into(),
                    status: "applied".into(),
                    files: serde_json::to_string(&files).unwrap_or_else(|_| "[]".into()),
                    school_year: Some(snap.school_year),
                    exported_on: snap.exported_on,
                    summary: summary_json,
                    warnings: warnings_json,
                    created_by: who.account_id,
                    created_at: now,
                    applied_by: who.account_id,
                    applied_at: Some(now),
                },
            )
            .await?;
        }
    }
    audit::record(
        &*txn,
        Event {
            who,
            action: "annuaire.import_applied",
            target: format!("etablissement:{etab_id}"),
            etablissement_id: Some(etab_id),
            outcome: "ok",
            details: serde_json::json!({
                "source": src,
                "files": snap.files.iter().map(|f| &f.name).collect::<Vec<_>>(),
                "school_year": snap.school_year,
                "changes": summary.total_changes(),
                "staff": summary.staff, "pupils": summary.pupils, "guardians": summary.guardians,
                "structures": summary.structures,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Ok((etab_id, summary)))
}

fn person_model(
    id: Uuid,
    etab: Uuid,
    source: &str,
    p: &PersonFields,
    file: &str,
    now: DateTime<Utc>,
    content_hash: String,
) -> annuaire_person::ActiveModel {
    let left = p.left_on.filter(|d| *d <= now.date_naive());
    // At most `n` characters (a string of at most `n` bytes is copied as is).
    let cut = |s: &str, n: usize| {
        if s.len() <= n {
            return s.to_string();
        }
        match s.char_indices().nth(n) {
            Some((end, _)) => s[..end].to_string(),
            None => s.to_string(),
        }
    };
    annuaire_person::Model {
        id,
        etablissement_id: etab,
        kind: person_kind_str(p.kind).into(),
        source: source.into(),
        source_key: cut(&p.key, 200),
        ine: p.ine.as_deref().map(|s| cut(s, 16)),
        civility: p.civility.as_deref().map(|s| cut(s, 16)),
        last_name: cut(&p.last_name, 200),
        first_name: cut(&p.first_name, 200),
        birth_date: p.birth_date,
        email: p.email.as_deref().map(|s| cut(s, 254)),
        functions: json_list(&p.functions),
        disciplines: json_list(&p.disciplines),
        missions: json_list(&p.missions),
        structures: json_list(&p.structures),
        class_code: p.class_code.as_deref().map(|s| cut(s, 64)),
        groups: json_list(&p.groups),
        mef_code: p.mef_code.as_deref().map(|s| cut(s, 32)),
        status: if left.is_some() { "left" } else { "active" }.into(),
        left_at: left
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc()),
        account_id: None,
        search_text: cut(
            &refnum_domain::search::text_of(&[
                &p.last_name,
                &p.first_name,
                p.ine.as_deref().unwrap_or(""),
                p.class_code.as_deref().unwrap_or(""),
            ]),
            600,
        ),
        // The hash of the serialised fields: the snapshot's bytes, the
        // same as `p.hash()` without serialising again.
        content_hash,
        source_file: cut(file, 255),
        imported_at: now,
        created_at: now,
        updated_at: now,
    }
    .into_active_model()
}

/// Everything the people's statements need besides the snapshot.
struct PeopleWrites {
    backend: DbBackend,
    etab_id: Uuid,
    source: String,
    file_label: String,
    now: DateTime<Utc>,
    /// Guardians only the database has, by key.
    guardian_ids: HashMap<String, Uuid>,
    /// Pupils only the database has, by key.
    pupil_ids: HashMap<String, Uuid>,
}

/// The order of the table's unique key (kind, then source key): rows
/// written in this order reach the indexes in order.
fn key_order(a: &PersonKey, b: &PersonKey) -> std::cmp::Ordering {
    (person_kind_str(a.0), &a.1).cmp(&(person_kind_str(b.0), &b.1))
}

impl PeopleWrites {
    /// Builds, in order, the statements that add the new people, rewrite the
    /// changed ones and replace the guardians of the pupils of the batch,
    /// and sends each one as soon as it is built. Blocking: run it in a
    /// blocking thread. Stops early when the receiver is gone (a statement
    /// failed: the transaction is rolled back). Gives the snapshot back with
    /// the number of guardians that pupils name but no file lists.
    fn build(
        self,
        mut snap: Snapshot,
        tx: &Sender<Statement>,
    ) -> std::result::Result<(Snapshot, u64), DbErr> {
        let send = |stmt: Option<Statement>| stmt.is_none_or(|s| tx.blocking_send(s).is_ok());
        let per_stmt = q::writes::people_per_statement();
        // New people get their ids in key order, so that the ids too grow
        // with the rows.
        let mut adds: Vec<(&PersonKey, &mut Entry)> = snap
            .people
            .entries_mut()
            .filter(|(_, e)| e.op == Op::Add)
            .collect();
        adds.sort_unstable_by(|a, b| key_order(a.0, b.0));
        for (_, e) in adds.iter_mut() {
            e.id = Some(Uuid::now_v7());
        }
        for chunk in adds.chunks(per_stmt) {
            let rows = self.rows(chunk.iter().map(|(_, e)| &**e));
            if !send(q::writes::insert_people(self.backend, rows)?) {
                return Ok((snap, 0));
            }
        }
        drop(adds);
        let mut written: Vec<(&PersonKey, &Entry)> = snap
            .people
            .entries()
            .filter(|(_, e)| e.op != Op::Unchanged)
            .collect();
        written.sort_unstable_by(|a, b| key_order(a.0, b.0));
        let changes = written.iter().filter(|(_, e)| e.op == Op::Change);
        let changes: Vec<&Entry> = changes.map(|(_, e)| *e).collect();
        for chunk in changes.chunks(per_stmt) {
            let rows = self.rows(chunk.iter().copied());
            if !send(q::writes::update_people(self.backend, rows)?) {
                return Ok((snap, 0));
            }
        }
        drop(changes);

        // The guardians of the pupils this batch adds or changes. A new
        // pupil has no link yet; a changed one loses its links first.
        let guardian_id = |snap: &Snapshot, key: &str| {
            snap.people
                .entry(&(PersonKind::Guardian, key.to_string()))
                .and_then(|e| e.id)
                .or_else(|| self.guardian_ids.get(key).copied())
        };
        let links_per_stmt = q::writes::guardianships_per_statement();
        let mut unresolved = 0u64;
        let mut links = vec![];
        let mut clear = vec![];
        for (key, e) in &written {
            if key.0 != PersonKind::Pupil {
                continue;
            }
            let (Some(pupil_id), Some(p)) = (e.id, e.fields()) else {
                continue;
            };
            if e.op == Op::Change {
                clear.push(pupil_id);
            }
            for (gkey, relation, legal) in &p.guardians {
                match guardian_id(&snap, gkey) {
                    Some(gid) => links.push(annuaire_guardianship::Model {
                        pupil_id,
                        guardian_id: gid,
                        relation: relation.clone().map(|r| r.chars().take(64).collect()),
                        legal: *legal,
                    }),
                    None => unresolved += 1,
                }
            }
            // A pupil's old links go before its new ones are written.
            let flush_links = links.len() >= links_per_stmt;
            if (flush_links || clear.len() >= links_per_stmt)
                && !send(q::writes::delete_guardianships_of(
                    self.backend,
                    &std::mem::take(&mut clear),
                ))
            {
                return Ok((snap, unresolved));
            }
            if flush_links
                && !send(q::writes::insert_guardianships(
                    self.backend,
                    std::mem::take(&mut links),
                )?)
            {
                return Ok((snap, unresolved));
            }
        }
        if !send(q::writes::delete_guardianships_of(self.backend, &clear))
            || !send(q::writes::insert_guardianships(self.backend, links)?)
        {
            return Ok((snap, unresolved));
        }

        // Links of this batch's guardians to pupils only the database has.
        let mut extra = vec![];
        for (pkey, gkey, relation, legal) in &snap.extra_links {
            let pid = snap
                .people
                .entry(&(PersonKind::Pupil, pkey.clone()))
                .and_then(|e| e.id)
                .or_else(|| self.pupil_ids.get(pkey).copied());
            if let (Some(pid), Some(gid)) = (pid, guardian_id(&snap, gkey)) {
                extra.push(annuaire_guardianship::Model {
                    pupil_id: pid,
                    guardian_id: gid,
                    relation: relation.clone().map(|r| r.chars().take(64).collect()),
                    legal: *legal,
                });
            }
            if extra.len() >= links_per_stmt
                && !send(q::writes::insert_guardianships(
                    self.backend,
                    std::mem::take(&mut extra),
                )?)
            {
                return Ok((snap, unresolved));
            }
        }
        send(q::writes::insert_guardianships(self.backend, extra)?);
        Ok((snap, unresolved))
    }

    /// The rows of some people of the snapshot.
    fn rows<'a>(
        &self,
        entries: impl Iterator<Item = &'a Entry>,
    ) -> Vec<annuaire_person::ActiveModel> {
        entries
            .filter_map(|e| Some((e.id?, e.hash(), e.fields()?)))
            .map(|(id, hash, p)| self.person_row(id, hash, &p))
            .collect()
    }

    /// A person's row. For a change, every column is written but the
    /// creation time and the linked account, which the statement keeps.
    fn person_row(
        &self,
        id: Uuid,
        hash: [u8; 32],
        p: &PersonFields,
    ) -> annuaire_person::ActiveModel {
        person_model(
            id,
            self.etab_id,
            &self.source,
            p,
            &self.file_label,
            self.now,
            hex::encode(hash),
        )
    }
}
