//! Annuaire: importing directory files (preview, then apply in one
//! transaction), the directory lists, the school-year rollover, the
//! freshness of each source and the deletion of people who left.

mod apply;
pub mod diff;
pub mod pages;
pub mod snapshot;

pub use apply::{CreateSchool, StoredFile, apply};

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{Result, ServiceError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diff::{Diff, Summary};
use refnum_db::annuaire as q;
use refnum_db::entities::{annuaire_import, etablissement};
use refnum_db::{Db, orgs};
use refnum_io::annuaire::{SchoolRec, Source};
use sea_orm::{ActiveValue::Set, IntoActiveModel, TransactionTrait};
use snapshot::{InputFile, Refusal, Snapshot, person_kind_str};
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

pub(crate) fn json_list(v: &[String]) -> String {
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
    let started = std::time::Instant::now();
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
            // One connection for every page (see below).
            let reader = refnum_db::Conn(db.conn.begin().await?, db.conn.1.clone());
            let mut after = None;
            loop {
                let page = q::person_index_page(&reader, e.id, "aaf", after, 5000).await?;
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
            reader.0.commit().await?;
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
    let read_ms = started.elapsed().as_millis() as u64;
    let mut warnings = snap.warnings.clone();
    // The school's rows of that source, compared a page at a time.
    let mut acc = diff::PeopleAcc::new(&snap);
    if let Some(e) = etab {
        // Every page is read on one connection: the pool would hand out
        // its connections in turn, and each would fill its own page cache
        // with the school's rows (on SQLite, 16 MiB each by default).
        let reader = refnum_db::Conn(db.conn.begin().await?, db.conn.1.clone());
        let mut after = None;
        loop {
            let page = q::person_index_page(&reader, e.id, source.as_str(), after, 5000).await?;
            let Some(last) = page.last() else {
                break;
            };
            after = Some(last.id);
            acc.visit(&mut snap, page);
        }
        reader.0.commit().await?;
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
    tracing::debug!(
        read_ms,
        compare_ms = started.elapsed().as_millis() as u64 - read_ms,
        people = snap.people.len(),
        "annuaire import: files read and compared"
    );
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
    for source in Source::ALL {
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
