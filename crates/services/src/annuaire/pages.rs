//! What the directory pages show: the overview with the freshness of each
//! source, the classes, the staff, the pupils and one person. Every read
//! asks the policy first (`ViewDirectory`, and `ViewPupils` for pupils and
//! their guardians); the rollover needs `ManageDirectory`.

use super::{DEFAULT_PURGE_DAYS, Freshness, PURGE_DAYS_KEY, STALE_DAYS, diff::Summary, parse_list};
use crate::Ctx;
use crate::audit::Who;
use crate::error::{Result, ServiceError};
use chrono::{DateTime, NaiveDate, Utc};
use refnum_db::Db;
use refnum_db::annuaire::{self as q, PeopleFilter, PeopleListing};
use refnum_db::entities::{
    annuaire_nomenclature, annuaire_person, annuaire_structure, etablissement,
};
use refnum_domain::policy::{self, Decision, EtabAction};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub use refnum_db::annuaire::PeopleSort;

/// What the caller may do besides reading the directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    /// Pupils' personal data and their guardians.
    pub pupils: bool,
    /// Imports and the school-year rollover.
    pub manage: bool,
}

async fn open(db: &Db, ctx: &Ctx, id: Uuid) -> Result<(etablissement::Model, Rights)> {
    let (etab, facts) =
        crate::orgs::etab_with_facts(db, ctx, id, EtabAction::ViewDirectory).await?;
    let may = |a| policy::decide(&ctx.actor, a, &facts) == Decision::Allow;
    let rights = Rights {
        pupils: may(EtabAction::ViewPupils),
        manage: may(EtabAction::ManageDirectory),
    };
    Ok((etab, rights))
}

/// Asks the policy for pupils' data (audits a refusal, answers 403).
async fn require_pupils(db: &Db, ctx: &Ctx, id: Uuid) -> Result<()> {
    crate::orgs::etab_for(db, ctx, id, EtabAction::ViewPupils)
        .await
        .map(|_| ())
}

/// The labels of a school's nomenclatures (subjects, MEF, missions, functions).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    by_kind: HashMap<(String, String), (Option<String>, String)>,
}

impl Labels {
    pub fn from_rows(rows: Vec<annuaire_nomenclature::Model>) -> Labels {
        Labels {
            by_kind: rows
                .into_iter()
                .map(|n| ((n.kind, n.code), (n.short_label, n.label)))
                .collect(),
        }
    }

    /// "REF.NUM — RÉFÉRENT …" for a mission, the label alone when there is
    /// no short one, the code itself when the nomenclature does not know it.
    pub fn of(&self, kind: &str, code: &str) -> String {
        match self.by_kind.get(&(kind.to_string(), code.to_string())) {
            Some((Some(short), label)) if !short.trim().is_empty() && short != label => {
                format!("{short} — {label}")
            }
            Some((_, label)) if !label.trim().is_empty() => label.clone(),
            _ => code.to_string(),
        }
    }

    fn all(&self, kind: &str, codes: &[String]) -> Vec<String> {
        codes.iter().map(|c| self.of(kind, c)).collect()
    }
}

async fn labels(db: &Db, etab: Uuid) -> Result<Labels> {
    Ok(Labels::from_rows(
        q::nomenclatures_of(&db.conn, etab).await?,
    ))
}

async fn account_names(db: &Db, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>> {
    let mut ids = ids;
    ids.sort();
    ids.dedup();
    Ok(q::account_names(&db.conn, &ids)
        .await?
        .into_iter()
        .collect())
}

// ---------------------------------------------------------------- overview

/// Head counts of the directory.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub staff: u64,
    pub pupils: u64,
    pub guardians: u64,
    pub divisions: u64,
    pub groups: u64,
}

/// One import, as the overview lists it.
#[derive(Debug, Clone)]
pub struct ImportLine {
    pub at: DateTime<Utc>,
    pub source: String,
    /// `preview`, `applied`, `discarded`.
    pub status: String,
    pub files: Vec<String>,
    pub school_year: Option<i32>,
    pub changes: Option<u64>,
    pub who: Option<String>,
}

pub struct Overview {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub counts: Counts,
    pub freshness: Vec<Freshness>,
    pub stale_days: i64,
    pub imports: Vec<ImportLine>,
    /// Days after which the data of people who left is deleted.
    pub purge_days: i64,
    /// The caller may change that delay (instance administrators).
    pub may_set_purge: bool,
    /// The school year a rollover would most likely move to.
    pub next_year: i32,
}

#[derive(serde::Deserialize)]
struct FileName {
    name: String,
}

pub async fn overview(db: &Db, ctx: &Ctx, id: Uuid) -> Result<Overview> {
    let (etab, rights) = open(db, ctx, id).await?;
    let c = &db.conn;
    let structures = q::list_structures(c, etab.id, false).await?;
    let counts = Counts {
        staff: q::count_people(c, etab.id, "staff", true).await?,
        pupils: q::count_people(c, etab.id, "pupil", true).await?,
        guardians: q::count_people(c, etab.id, "guardian", true).await?,
        divisions: structures.iter().filter(|s| s.kind == "division").count() as u64,
        groups: structures.iter().filter(|s| s.kind == "group").count() as u64,
    };
    let freshness = super::freshness(db, etab.id).await?;
    let rows = q::imports_of(c, etab.id, 10).await?;
    let names = account_names(
        db,
        rows.iter()
            .filter_map(|r| r.applied_by.or(r.created_by))
            .collect(),
    )
    .await?;
    let imports = rows
        .into_iter()
        .map(|r| {
            let files: Vec<FileName> = serde_json::from_str(&r.files).unwrap_or_default();
            let summary: Option<Summary> = serde_json::from_str(&r.summary).ok();
            ImportLine {
                at: r.applied_at.unwrap_or(r.created_at),
                source: r.source,
                status: r.status,
                files: files.into_iter().map(|f| f.name).collect(),
                school_year: r.school_year,
                changes: summary.map(|s| s.total_changes()),
                who: r
                    .applied_by
                    .or(r.created_by)
                    .and_then(|a| names.get(&a).cloned()),
            }
        })
        .collect();
    let purge_days = purge_days(db).await?;
    let latest = structures.iter().map(|s| s.school_year).max();
    let this_year = super::school_year_of(Utc::now().date_naive());
    Ok(Overview {
        etab,
        rights,
        counts,
        freshness,
        stale_days: STALE_DAYS,
        imports,
        purge_days,
        may_set_purge: policy::decide_instance(&ctx.actor, policy::InstanceAction::Administer)
            == Decision::Allow,
        next_year: latest.map_or(this_year, |y| y.max(this_year)),
    })
}

/// The delay before the data of people who left is deleted, in days.
pub async fn purge_days(db: &Db) -> Result<i64> {
    Ok(refnum_db::settings::get(&db.conn, PURGE_DAYS_KEY)
        .await?
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|d| *d > 0)
        .unwrap_or(DEFAULT_PURGE_DAYS))
}

/// Longest delay accepted for keeping the data of people who left.
pub const MAX_PURGE_DAYS: i64 = 3650;

/// Sets the delay before the data of people who left is deleted (an
/// instance-wide setting: administrators only), from the directory of the
/// school `id`. Audited.
pub async fn set_purge_days(db: &Db, ctx: &Ctx, id: Uuid, days: &str) -> Result<i64> {
    open(db, ctx, id).await?;
    crate::orgs::require_admin(db, ctx, "setting:annuaire_purge_after_days").await?;
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=MAX_PURGE_DAYS).contains(&d) => d,
        _ => return Err(ServiceError::field("purge_days", "dir-purge-days-invalid")),
    };
    let before = purge_days(db).await?;
    let txn = db.write().await?;
    refnum_db::settings::put(&*txn, PURGE_DAYS_KEY, &days.to_string()).await?;
    crate::audit::record(
        &*txn,
        crate::audit::Event {
            who: &Who::of(ctx),
            action: "annuaire.purge_delay_changed",
            target: format!("setting:{PURGE_DAYS_KEY}"),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "from": before, "to": days }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(days)
}

/// Rolls the school over to the school year starting in `year` (the form's
/// text): archives the classes and groups of earlier years. Needs
/// `ManageDirectory`; audited by the import service.
pub async fn rollover(db: &Db, ctx: &Ctx, id: Uuid, year: &str) -> Result<u64> {
    let etab = crate::orgs::etab_for(db, ctx, id, EtabAction::ManageDirectory).await?;
    let now = super::school_year_of(Utc::now().date_naive());
    let year = match year.trim().parse::<i32>() {
        Ok(y) if (2000..=now + 1).contains(&y) => y,
        _ => {
            return Err(ServiceError::field("year", "dir-rollover-year-invalid"));
        }
    };
    super::rollover(db, &Who::of(ctx), &etab, year).await
}

// ----------------------------------------------------------------- classes

#[derive(Debug, Clone)]
pub struct ClassRow {
    pub id: Uuid,
    pub code: String,
    pub label: Option<String>,
    /// `division` or `group`.
    pub kind: String,
    pub school_year: i32,
    pub mefs: Vec<String>,
    pub divisions: Vec<String>,
    /// Active pupils (current structures only).
    pub pupils: Option<u64>,
    pub archived: bool,
}

pub struct Classes {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub rows: Vec<ClassRow>,
    pub archived_shown: bool,
}

fn class_row(
    s: annuaire_structure::Model,
    labels: &Labels,
    per_class: &HashMap<String, u64>,
    per_group: &HashMap<String, u64>,
) -> ClassRow {
    let archived = s.archived_at.is_some();
    let pupils = (!archived).then(|| {
        let counts = if s.kind == "group" {
            per_group
        } else {
            per_class
        };
        counts.get(&s.code).copied().unwrap_or(0)
    });
    ClassRow {
        id: s.id,
        mefs: labels.all("mef", &parse_list(&s.mefs)),
        divisions: parse_list(&s.divisions),
        code: s.code,
        label: s.label.filter(|l| !l.trim().is_empty()),
        kind: s.kind,
        school_year: s.school_year,
        pupils,
        archived,
    }
}

async fn pupil_counts(db: &Db, etab: Uuid) -> Result<(HashMap<String, u64>, HashMap<String, u64>)> {
    let per_class = q::pupils_per_class(&db.conn, etab)
        .await?
        .into_iter()
        .filter_map(|r| r.class_code.map(|c| (c, r.n.max(0) as u64)))
        .collect();
    let mut per_group: HashMap<String, u64> = HashMap::new();
    for g in q::pupil_groups(&db.conn, etab).await? {
        for code in parse_list(&g) {
            *per_group.entry(code).or_default() += 1;
        }
    }
    Ok((per_class, per_group))
}

pub async fn classes(db: &Db, ctx: &Ctx, id: Uuid, include_archived: bool) -> Result<Classes> {
    let (etab, rights) = open(db, ctx, id).await?;
    let labels = labels(db, etab.id).await?;
    let (per_class, per_group) = pupil_counts(db, etab.id).await?;
    let rows = q::list_structures(&db.conn, etab.id, include_archived)
        .await?
        .into_iter()
        .map(|s| class_row(s, &labels, &per_class, &per_group))
        .collect();
    Ok(Classes {
        etab,
        rights,
        rows,
        archived_shown: include_archived,
    })
}

// ------------------------------------------------------------------ people

#[derive(Debug, Clone)]
pub struct StaffRow {
    pub id: Uuid,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub functions: Vec<String>,
    pub disciplines: Vec<String>,
    pub missions: Vec<String>,
    pub source: String,
    pub left: bool,
    pub account: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PupilRow {
    pub id: Uuid,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
    pub class_code: Option<String>,
    pub groups: Vec<String>,
    pub ine: Option<String>,
    pub left: bool,
}

fn staff_row(
    p: annuaire_person::Model,
    labels: &Labels,
    accounts: &HashMap<Uuid, String>,
) -> StaffRow {
    StaffRow {
        id: p.id,
        functions: labels.all("function", &parse_list(&p.functions)),
        disciplines: labels.all("subject", &parse_list(&p.disciplines)),
        missions: labels.all("mission", &parse_list(&p.missions)),
        left: p.status == "left",
        account: p.account_id.and_then(|a| accounts.get(&a).cloned()),
        civility: p.civility,
        last_name: p.last_name,
        first_name: p.first_name,
        source: p.source,
    }
}

fn pupil_row(p: annuaire_person::Model) -> PupilRow {
    PupilRow {
        id: p.id,
        groups: parse_list(&p.groups),
        left: p.status == "left",
        last_name: p.last_name,
        first_name: p.first_name,
        birth_date: p.birth_date,
        class_code: p.class_code,
        ine: p.ine,
    }
}

/// The search box's text as stored: folded, at most a few words.
fn folded_query(q: &str) -> Option<String> {
    let f: String = refnum_domain::search::fold(q.trim())
        .chars()
        .take(100)
        .collect();
    let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
    (!f.is_empty()).then_some(f)
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.chars().take(64).collect())
}

/// The filters of a people list, as the page's query string gives them.
#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub q: String,
    /// Staff: a function code; pupils: unused.
    pub function: String,
    /// Staff: a discipline code.
    pub discipline: String,
    /// Pupils: a class code.
    pub class: String,
    pub include_left: bool,
    pub sort: PeopleSort,
    pub desc: bool,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

impl ListInput {
    fn listing(&self, kind: &str) -> PeopleListing {
        PeopleListing {
            filter: PeopleFilter {
                kind: kind.into(),
                include_left: self.include_left,
                class_code: non_empty(&self.class),
                structure: None,
                q: folded_query(&self.q),
                page: self.page.max(1) - 1,
                per_page: self.per_page.clamp(1, 500),
            },
            function: non_empty(&self.function),
            discipline: non_empty(&self.discipline),
            sort: self.sort,
            desc: self.desc,
        }
    }
}

/// A choice of a filter: code and label.
#[derive(Debug, Clone)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

pub struct StaffList {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub rows: Vec<StaffRow>,
    pub total: u64,
    pub functions: Vec<Choice>,
    pub disciplines: Vec<Choice>,
}

pub async fn staff(db: &Db, ctx: &Ctx, id: Uuid, input: &ListInput) -> Result<StaffList> {
    let (etab, rights) = open(db, ctx, id).await?;
    let labels = labels(db, etab.id).await?;
    let (people, total) = q::list_people_sorted(&db.conn, etab.id, &input.listing("staff")).await?;
    let accounts = account_names(db, people.iter().filter_map(|p| p.account_id).collect()).await?;
    let mut functions = BTreeMap::new();
    let mut disciplines = BTreeMap::new();
    for (f, d) in q::staff_codes(&db.conn, etab.id).await? {
        for code in parse_list(&f) {
            functions
                .entry(code.clone())
                .or_insert_with(|| labels.of("function", &code));
        }
        for code in parse_list(&d) {
            disciplines
                .entry(code.clone())
                .or_insert_with(|| labels.of("subject", &code));
        }
    }
    let choices = |m: BTreeMap<String, String>| {
        let mut v: Vec<Choice> = m
            .into_iter()
            .map(|(code, label)| Choice { code, label })
            .collect();
        v.sort_by(|a, b| a.label.cmp(&b.label));
        v
    };
    Ok(StaffList {
        rows: people
            .into_iter()
            .map(|p| staff_row(p, &labels, &accounts))
            .collect(),
        etab,
        rights,
        total,
        functions: choices(functions),
        disciplines: choices(disciplines),
    })
}

pub struct PupilList {
    pub etab: etablissement::Model,
    pub rows: Vec<PupilRow>,
    pub total: u64,
    /// Codes of the current divisions, for the class filter.
    pub classes: Vec<String>,
}

pub async fn pupils(db: &Db, ctx: &Ctx, id: Uuid, input: &ListInput) -> Result<PupilList> {
    let (etab, _) = open(db, ctx, id).await?;
    require_pupils(db, ctx, id).await?;
    let (people, total) = q::list_people_sorted(&db.conn, etab.id, &input.listing("pupil")).await?;
    let mut classes: Vec<String> = q::list_structures(&db.conn, etab.id, false)
        .await?
        .into_iter()
        .filter(|s| s.kind == "division")
        .map(|s| s.code)
        .collect();
    classes.sort();
    classes.dedup();
    Ok(PupilList {
        etab,
        rows: people.into_iter().map(pupil_row).collect(),
        total,
        classes,
    })
}

// ------------------------------------------------------------- one class

pub struct ClassPage {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub class: ClassRow,
    pub staff: Vec<StaffRow>,
    /// One page of pupils, only with `ViewPupils`.
    pub pupils: Option<Vec<PupilRow>>,
    pub pupil_total: u64,
}

pub async fn class(
    db: &Db,
    ctx: &Ctx,
    id: Uuid,
    structure_id: Uuid,
    page: u64,
    per_page: u64,
) -> Result<ClassPage> {
    let (etab, rights) = open(db, ctx, id).await?;
    let Some(s) = q::get_structure(&db.conn, etab.id, structure_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let labels = labels(db, etab.id).await?;
    let (per_class, per_group) = pupil_counts(db, etab.id).await?;
    let code = s.code.clone();
    let group = s.kind == "group";
    let class = class_row(s, &labels, &per_class, &per_group);
    let staff_listing = PeopleListing {
        filter: PeopleFilter {
            kind: "staff".into(),
            structure: Some(code.clone()),
            page: 0,
            per_page: 500,
            ..Default::default()
        },
        ..Default::default()
    };
    let (staff, _) = q::list_people_sorted(&db.conn, etab.id, &staff_listing).await?;
    let accounts = account_names(db, staff.iter().filter_map(|p| p.account_id).collect()).await?;
    let pupil_filter = PeopleFilter {
        kind: "pupil".into(),
        class_code: (!group).then(|| code.clone()),
        structure: group.then(|| code.clone()),
        page: page.max(1) - 1,
        per_page: per_page.clamp(1, 500),
        ..Default::default()
    };
    let (pupils, pupil_total) = if rights.pupils {
        let (rows, total) = q::list_people_sorted(
            &db.conn,
            etab.id,
            &PeopleListing {
                filter: pupil_filter,
                ..Default::default()
            },
        )
        .await?;
        (Some(rows.into_iter().map(pupil_row).collect()), total)
    } else {
        (None, class.pupils.unwrap_or(0))
    };
    Ok(ClassPage {
        etab,
        rights,
        class,
        staff: staff
            .into_iter()
            .map(|p| staff_row(p, &labels, &accounts))
            .collect(),
        pupils,
        pupil_total,
    })
}

// ------------------------------------------------------------ one person

#[derive(Debug, Clone)]
pub struct Relative {
    pub id: Uuid,
    pub name: String,
    pub relation: Option<String>,
    pub legal: bool,
    pub left: bool,
}

pub struct PersonPage {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub person: annuaire_person::Model,
    pub functions: Vec<String>,
    pub disciplines: Vec<String>,
    pub missions: Vec<String>,
    pub structures: Vec<String>,
    pub groups: Vec<String>,
    pub mef: Option<String>,
    pub account: Option<String>,
    /// A pupil's guardians, or a guardian's pupils.
    pub relatives: Vec<Relative>,
}

pub async fn person(db: &Db, ctx: &Ctx, id: Uuid, person_id: Uuid) -> Result<PersonPage> {
    let (etab, rights) = open(db, ctx, id).await?;
    let Some(p) = q::get_person(&db.conn, etab.id, person_id).await? else {
        return Err(ServiceError::NotFound);
    };
    // Pupils and their guardians are minors' data.
    if p.kind != "staff" {
        require_pupils(db, ctx, id).await?;
    }
    let labels = labels(db, etab.id).await?;
    let relatives = if p.kind == "staff" {
        vec![]
    } else {
        q::guardianships_of(&db.conn, p.id, p.kind == "pupil")
            .await?
            .into_iter()
            .filter(|(_, other)| other.etablissement_id == etab.id)
            .map(|(link, other)| Relative {
                id: other.id,
                name: format!("{} {}", other.last_name, other.first_name),
                relation: link.relation,
                legal: link.legal,
                left: other.status == "left",
            })
            .collect()
    };
    let account = match p.account_id {
        Some(a) => account_names(db, vec![a]).await?.remove(&a),
        None => None,
    };
    Ok(PersonPage {
        functions: labels.all("function", &parse_list(&p.functions)),
        disciplines: labels.all("subject", &parse_list(&p.disciplines)),
        missions: labels.all("mission", &parse_list(&p.missions)),
        structures: parse_list(&p.structures),
        groups: parse_list(&p.groups),
        mef: p.mef_code.as_deref().map(|m| labels.of("mef", m)),
        account,
        relatives,
        etab,
        rights,
        person: p,
    })
}

/// The school year (its first calendar year) of a date, for display.
pub fn year_label(year: i32) -> String {
    format!("{year}-{}", year + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nom(
        kind: &str,
        code: &str,
        short: Option<&str>,
        label: &str,
    ) -> annuaire_nomenclature::Model {
        annuaire_nomenclature::Model {
            id: Uuid::now_v7(),
            etablissement_id: Uuid::nil(),
            kind: kind.into(),
            code: code.into(),
            short_label: short.map(Into::into),
            label: label.into(),
            content_hash: String::new(),
            source: "sts".into(),
            source_file: String::new(),
            imported_at: Utc::now(),
        }
    }

    #[test]
    fn labels_show_short_and_long_forms_and_fall_back_to_the_code() {
        let l = Labels::from_rows(vec![
            nom(
                "mission",
                "9162",
                Some("REF.NUM"),
                "RÉFÉRENT RESSOURCES PÉDAGO NUMÉRIQUES",
            ),
            nom("subject", "030201", None, "ANGLAIS LV1"),
            nom("mef", "1", Some("2NDE"), "2NDE"),
        ]);
        assert_eq!(
            l.of("mission", "9162"),
            "REF.NUM — RÉFÉRENT RESSOURCES PÉDAGO NUMÉRIQUES"
        );
        assert_eq!(l.of("subject", "030201"), "ANGLAIS LV1");
        assert_eq!(l.of("mef", "1"), "2NDE");
        // Same code, other kind: not confused.
        assert_eq!(l.of("subject", "9162"), "9162");
        assert_eq!(l.of("function", "ENS"), "ENS");
    }

    #[test]
    fn the_search_text_is_folded_like_the_stored_one() {
        assert_eq!(folded_query("  Léa  "), Some("lea".into()));
        assert_eq!(folded_query("LÉA   Howard"), Some("lea howard".into()));
        assert_eq!(folded_query("%_"), None);
        assert_eq!(folded_query(""), None);
    }
}
