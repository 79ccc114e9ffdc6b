//! Annuaire: importing directory files (preview, then apply in one
//! transaction), the directory lists, the school-year rollover, the
//! freshness of each source and the deletion of people who left.

pub mod diff;
pub mod pages;
pub mod snapshot;

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{Result, ServiceError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diff::{Diff, Summary};
use refnum_db::annuaire as q;
use refnum_db::entities::{
    annuaire_guardianship, annuaire_import, annuaire_nomenclature, annuaire_person,
    annuaire_structure, etablissement,
};
use refnum_db::{Db, orgs};
use refnum_domain::Uai;
use refnum_domain::etablissement::EtabKind;
use refnum_io::annuaire::{PersonKind, SchoolRec, Source};
use sea_orm::{ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use snapshot::{
    InputFile, Op, PersonFields, Refusal, Snapshot, nomenclature_kind_str, person_kind_str,
    structure_kind_str,
};
use std::collections::HashSet;
use uuid::Uuid;

pub use snapshot::{FileInfo, school_year_of};

/// Default delay before the personal data of people who left is deleted.
pub const DEFAULT_PURGE_DAYS: i64 = 92;
pub const PURGE_DAYS_KEY: &str = "annuaire_purge_after_days";
/// A source not refreshed for this long is shown as stale.
pub const STALE_DAYS: i64 = 45;

/// A batch read and compared with the database, ready to be shown or applied.
pub struct Prepared {
    snap: Snapshot,
    diff: Diff,
    pub source: Source,
    pub uai: String,
    pub summary: Summary,
    pub warnings: Vec<String>,
    /// The school described by the files, when they describe it.
    pub school: Option<SchoolRec>,
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub fn parse_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Reads the files and compares them with the school's directory. Writes
/// nothing. `etab` is `None` for a school that does not exist yet.
pub async fn prepare(
    db: &Db,
    files: Vec<InputFile>,
    uai: &str,
    etab: Option<&etablissement::Model>,
) -> Result<std::result::Result<Prepared, Refusal>> {
    let uai = uai.trim().to_uppercase();
    // The pupils the database already has are read beforehand only when a
    // batch of AAF guardians comes without its pupils (the guardians are
    // kept if they name one).
    let kinds = {
        let files = files.clone();
        tokio::task::spawn_blocking(move || snapshot::kinds_of(&files))
            .await
            .map_err(|e| ServiceError::Internal(format!("import thread: {e}")))?
    };
    let mut known_ids = vec![];
    let mut known_pupils: HashSet<String> = HashSet::new();
    if let Some(e) = etab {
        known_ids = q::source_ids_of(&db.conn, "aaf", e.id).await?;
        let guardians_alone = kinds.contains(&refnum_io::annuaire::FileKind::AafPersRelEleve)
            && !kinds.contains(&refnum_io::annuaire::FileKind::AafEleve);
        if guardians_alone {
            let mut after = None;
            loop {
                let page = q::person_index_page(&db.conn, e.id, "aaf", after, 5000).await?;
                let Some(last) = page.last() else {
                    break;
                };
                after = Some(last.id);
                known_pupils.extend(
                    page.into_iter()
                        .filter(|r| r.kind == "pupil")
                        .map(|r| r.source_key),
                );
            }
        }
    }
    let target = uai.clone();
    let snap = tokio::task::spawn_blocking(move || {
        let known_pupil = |key: &str| known_pupils.contains(key);
        snapshot::read_batch(&files, &target, &known_ids, &known_pupil)
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("import thread: {e}")))?;
    let mut snap = match snap {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    let Some(source) = snap.source else {
        return Ok(Err(Refusal("aucun fichier à importer".into())));
    };
    let mut warnings = snap.warnings.clone();
    // The school's rows of that source, compared a page at a time.
    let mut acc = diff::PeopleAcc::new(&snap);
    if let Some(e) = etab {
        let mut after = None;
        loop {
            let page = q::person_index_page(&db.conn, e.id, source.as_str(), after, 5000).await?;
            let Some(last) = page.last() else {
                break;
            };
            after = Some(last.id);
            acc.visit(&mut snap, page);
        }
    }
    let (structures, nomenclatures, previous) = match etab {
        Some(e) => {
            let structures = q::structures_of_year(&db.conn, e.id, snap.school_year).await?;
            let noms = q::nomenclatures_of(&db.conn, e.id).await?;
            let previous = if snap.structures.is_empty() {
                0
            } else {
                q::count_structures_before(&db.conn, e.id, snap.school_year).await?
            };
            if let Some(last) = q::last_applied(&db.conn, e.id, source.as_str()).await? {
                if let (Some(before), Some(now)) = (last.exported_on, snap.exported_on)
                    && now < before
                {
                    warnings.push(format!(
                        "ces fichiers datent du {} alors que le dernier import de cette source date du {} : ils sont plus anciens",
                        now.format("%d/%m/%Y"),
                        before.format("%d/%m/%Y")
                    ));
                }
                if last.school_year.is_some_and(|y| y > snap.school_year) {
                    warnings.push(format!(
                        "ces fichiers sont de l'année scolaire {}-{} alors que le dernier import était de {}-{}",
                        snap.school_year,
                        snap.school_year + 1,
                        last.school_year.unwrap_or_default(),
                        last.school_year.unwrap_or_default() + 1
                    ));
                }
                let last_files: Vec<FileInfo> =
                    serde_json::from_str(&last.files).unwrap_or_default();
                let same = !last_files.is_empty()
                    && last_files.len() == snap.files.len()
                    && snap
                        .files
                        .iter()
                        .all(|f| last_files.iter().any(|l| l.sha256 == f.sha256));
                if same {
                    warnings.push("ces fichiers sont identiques au dernier import appliqué".into());
                }
            }
            (structures, noms, previous)
        }
        None => (vec![], vec![], 0),
    };
    let mut diff = diff::compute(
        &mut snap,
        acc,
        structures,
        nomenclatures,
        previous,
        source.as_str(),
    );
    diff.summary.creates_school = etab.is_none();
    // Name a few of the people who will be marked as gone.
    let sample_ids: Vec<Uuid> = diff.deactivate_samples.iter().map(|(_, id)| *id).collect();
    if !sample_ids.is_empty() {
        let names = q::names_of(&db.conn, &sample_ids).await?;
        for (kind, id) in &diff.deactivate_samples {
            if let Some((_, last, first)) = names.iter().find(|(i, _, _)| i == id) {
                diff.summary.samples.push(diff::Sample {
                    op: "deactivate".into(),
                    kind: person_kind_str(*kind).into(),
                    label: format!("{last} {first}"),
                    fields: vec![],
                });
            }
        }
    }
    Ok(Ok(Prepared {
        source,
        uai,
        summary: diff.summary.clone(),
        warnings,
        school: snap.school.clone(),
        snap,
        diff,
    }))
}

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

    // People, in chunks: the fields are read back from the snapshot one
    // chunk at a time, so memory does not grow with the whole import.
    let mut snap = snap;
    for (_, e) in snap.people.entries_mut() {
        if e.op == Op::Add {
            e.id = Some(Uuid::now_v7());
        }
    }
    let mut batch = Vec::with_capacity(200);
    for (_, e) in snap.people.entries() {
        if e.op != Op::Add {
            continue;
        }
        if let (Some(id), Some(p)) = (e.id, e.fields()) {
            batch.push(person_model(id, etab_id, src, &p, &file_label, now, None));
        }
        if batch.len() == 200 {
            q::insert_people(&*txn, std::mem::take(&mut batch)).await?;
        }
    }
    q::insert_people(&*txn, batch).await?;
    for (_, e) in snap.people.entries() {
        if e.op != Op::Change {
            continue;
        }
        if let (Some(id), Some(p)) = (e.id, e.fields()) {
            let mut am = person_model(id, etab_id, src, &p, &file_label, now, None);
            // Keep what the import does not manage.
            am.created_at = sea_orm::ActiveValue::NotSet;
            am.account_id = sea_orm::ActiveValue::NotSet;
            q::update_person(&*txn, am).await?;
        }
    }
    q::set_left(&*txn, &diff.deactivate, now).await?;

    // Guardians of the pupils this batch describes.
    let guardian_id = |key: &str| {
        snap.people
            .entry(&(PersonKind::Guardian, key.to_string()))
            .and_then(|e| e.id)
            .or_else(|| diff.guardian_ids.get(key).copied())
    };
    let mut unresolved = 0u64;
    let mut links = vec![];
    let mut pupils = vec![];
    for (key, e) in snap.people.entries() {
        if key.0 != PersonKind::Pupil || e.op == Op::Unchanged {
            continue;
        }
        let (Some(pupil_id), Some(p)) = (e.id, e.fields()) else {
            continue;
        };
        for (gkey, relation, legal) in &p.guardians {
            match guardian_id(gkey) {
                Some(gid) => links.push(annuaire_guardianship::Model {
                    pupil_id,
                    guardian_id: gid,
                    relation: relation.clone().map(|r| r.chars().take(64).collect()),
                    legal: *legal,
                }),
                None => unresolved += 1,
            }
        }
        pupils.push(pupil_id);
        if pupils.len() >= 200 {
            q::replace_guardianships(&*txn, &pupils, std::mem::take(&mut links)).await?;
            pupils.clear();
        }
    }
    q::replace_guardianships(&*txn, &pupils, links).await?;
    let mut extra = vec![];
    for (pkey, gkey, relation, legal) in &snap.extra_links {
        let pid = snap
            .people
            .entry(&(PersonKind::Pupil, pkey.clone()))
            .and_then(|e| e.id)
            .or_else(|| diff.pupil_ids.get(pkey).copied());
        if let (Some(pid), Some(gid)) = (pid, guardian_id(gkey)) {
            extra.push(annuaire_guardianship::Model {
                pupil_id: pid,
                guardian_id: gid,
                relation: relation.clone().map(|r| r.chars().take(64).collect()),
                legal: *legal,
            });
        }
    }
    q::replace_guardianships(&*txn, &[], extra).await?;
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
    account: Option<Uuid>,
) -> annuaire_person::ActiveModel {
    let left = p.left_on.filter(|d| *d <= now.date_naive());
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
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
        account_id: account,
        search_text: cut(
            &refnum_domain::search::text_of(&[
                &p.last_name,
                &p.first_name,
                p.ine.as_deref().unwrap_or(""),
                p.class_code.as_deref().unwrap_or(""),
            ]),
            600,
        ),
        content_hash: p.hash(),
        source_file: cut(file, 255),
        imported_at: now,
        created_at: now,
        updated_at: now,
    }
    .into_active_model()
}

/// Deletes the personal data of people who left more than the configured
/// delay ago. Safe to run from several servers at once.
pub async fn purge_departed(db: &Db) -> Result<u64> {
    let days = refnum_db::settings::get(&db.conn, PURGE_DAYS_KEY)
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(DEFAULT_PURGE_DAYS);
    let before = Utc::now() - Duration::days(days);
    let txn = db.write().await?;
    let n = q::purge_left(&*txn, before).await?;
    if n > 0 {
        audit::record(
            &*txn,
            Event {
                who: &Who::system("refnum"),
                action: "annuaire.departed_purged",
                target: "annuaire".into(),
                etablissement_id: None,
                outcome: "ok",
                details: serde_json::json!({ "deleted": n, "after_days": days }),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// The freshness of one source for one school.
#[derive(Debug, Clone)]
pub struct Freshness {
    pub source: Source,
    pub last_applied_at: Option<DateTime<Utc>>,
    pub exported_on: Option<NaiveDate>,
    pub school_year: Option<i32>,
    pub age_days: Option<i64>,
    pub stale: bool,
}

pub async fn freshness(db: &Db, etab: Uuid) -> Result<Vec<Freshness>> {
    let now = Utc::now();
    let mut out = vec![];
    for source in [Source::Sts, Source::Siecle, Source::Aaf, Source::Onde] {
        let last = q::last_applied(&db.conn, etab, source.as_str()).await?;
        let applied = last.as_ref().and_then(|l| l.applied_at);
        let age = applied.map(|a| (now - a).num_days());
        out.push(Freshness {
            source,
            last_applied_at: applied,
            exported_on: last.as_ref().and_then(|l| l.exported_on),
            school_year: last.as_ref().and_then(|l| l.school_year),
            age_days: age,
            stale: age.is_some_and(|d| d > STALE_DAYS),
        });
    }
    Ok(out)
}

/// Rolls a school over to a new school year: archives the classes and groups
/// of earlier years, marks as gone the pupils whose class was archived and
/// who are not in any current class.
pub async fn rollover(db: &Db, who: &Who, etab: &etablissement::Model, year: i32) -> Result<u64> {
    let now = Utc::now();
    let txn = db.write().await?;
    let archived = q::archive_years_before(&*txn, etab.id, year, now).await?;
    audit::record(
        &*txn,
        Event {
            who,
            action: "annuaire.rollover",
            target: format!("etablissement:{}", etab.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "year": year, "archived_structures": archived }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(archived)
}

/// Loads a school for a directory action, asking the policy.
pub async fn etab_for(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    action: refnum_domain::policy::EtabAction,
) -> Result<etablissement::Model> {
    crate::orgs::etab_for(db, ctx, id, action).await
}

/// Finds a school by UAI (CLI).
pub async fn etab_by_uai(db: &Db, uai: &str) -> Result<Option<etablissement::Model>> {
    Ok(orgs::get_etablissement_by_uai(&db.conn, &uai.trim().to_uppercase()).await?)
}

/// Previews older than `ttl`, to discard.
pub async fn stale_previews(db: &Db, ttl: Duration) -> Result<Vec<annuaire_import::Model>> {
    Ok(q::previews_before(&db.conn, Utc::now() - ttl).await?)
}

/// Marks a preview as discarded (its files are deleted by the caller).
pub async fn discard_preview(db: &Db, who: &Who, row: annuaire_import::Model) -> Result<()> {
    let etab = row.etablissement_id;
    let id = row.id;
    let txn = db.write().await?;
    let mut am = row.into_active_model();
    am.status = Set("discarded".into());
    am.files = Set("[]".into());
    q::update_import(&*txn, am).await?;
    audit::record(
        &*txn,
        Event {
            who,
            action: "annuaire.import_discarded",
            target: format!("import:{id}"),
            etablissement_id: etab,
            outcome: "ok",
            details: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
