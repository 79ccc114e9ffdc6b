//! The difference between a snapshot and what the database holds.

use super::snapshot::{PersonKey, Snapshot, person_kind_parse, person_kind_str};
use refnum_db::annuaire::PersonIndexRow;
use refnum_db::entities::{annuaire_nomenclature, annuaire_structure};
use refnum_io::annuaire::PersonKind;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Counts of one kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub add: u64,
    pub change: u64,
    pub deactivate: u64,
    pub unchanged: u64,
}

impl Counts {
    pub fn changes(&self) -> u64 {
        self.add + self.change + self.deactivate
    }
}

/// What an import does, as shown in the preview and kept with the import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub staff: Counts,
    pub pupils: Counts,
    pub guardians: Counts,
    pub structures: Counts,
    pub nomenclatures: Counts,
    /// Structures of earlier school years archived by this import (rollover).
    pub archived_previous_years: u64,
    pub school_year: i32,
    /// A few names per category, for the preview.
    pub samples: Vec<Sample>,
    pub files: Vec<super::snapshot::FileInfo>,
    /// The school will be created from the file.
    pub creates_school: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// `add`, `change`, `deactivate`.
    pub op: String,
    /// `staff`, `pupil`, `guardian`, `structure`.
    pub kind: String,
    pub label: String,
    /// For a change: the fields that differ.
    pub fields: Vec<String>,
}

impl Summary {
    pub fn total_changes(&self) -> u64 {
        self.staff.changes()
            + self.pupils.changes()
            + self.guardians.changes()
            + self.structures.changes()
            + self.nomenclatures.changes()
            + self.archived_previous_years
            + u64::from(self.creates_school)
    }
}

/// What to do with one person of the snapshot (by key: the fields stay in
/// the snapshot, read again when applied).
pub enum PersonOp {
    Add(PersonKey),
    Change(Uuid, PersonKey),
}

pub struct Diff {
    pub summary: Summary,
    pub people: Vec<PersonOp>,
    pub deactivate: Vec<Uuid>,
    pub structures_add: Vec<super::snapshot::StructureFields>,
    pub structures_change: Vec<(annuaire_structure::Model, super::snapshot::StructureFields)>,
    pub structures_archive: Vec<Uuid>,
    pub nomenclatures_add: Vec<super::snapshot::NomenclatureFields>,
    pub nomenclatures_change: Vec<(
        annuaire_nomenclature::Model,
        super::snapshot::NomenclatureFields,
    )>,
    /// Existing (kind, key) → id, for guardian links.
    pub ids: HashMap<(PersonKind, String), Uuid>,
}

const SAMPLES_PER_OP: usize = 15;

fn counts_for(s: &mut Summary, k: PersonKind) -> &mut Counts {
    match k {
        PersonKind::Staff => &mut s.staff,
        PersonKind::Pupil => &mut s.pupils,
        PersonKind::Guardian => &mut s.guardians,
    }
}

pub fn compute(
    snap: &Snapshot,
    people: Vec<PersonIndexRow>,
    structures_this_year: Vec<annuaire_structure::Model>,
    nomenclatures: Vec<annuaire_nomenclature::Model>,
    previous_years_open: u64,
    source: &str,
) -> Diff {
    let mut summary = Summary {
        school_year: snap.school_year,
        files: snap.files.clone(),
        ..Default::default()
    };
    let mut samples: HashMap<(String, String), usize> = HashMap::new();
    let mut sample = |summary: &mut Summary,
                      op: &str,
                      kind: &str,
                      label: &dyn Fn() -> String,
                      fields: Vec<String>| {
        let n = samples.entry((op.into(), kind.into())).or_default();
        if *n < SAMPLES_PER_OP {
            *n += 1;
            summary.samples.push(Sample {
                op: op.into(),
                kind: kind.into(),
                label: label(),
                fields,
            });
        }
    };

    // People.
    let mut ids = HashMap::new();
    let mut index: HashMap<(PersonKind, &str), &PersonIndexRow> = HashMap::new();
    for row in &people {
        if let Some(k) = person_kind_parse(&row.kind) {
            index.insert((k, row.source_key.as_str()), row);
            ids.insert((k, row.source_key.clone()), row.id);
        }
    }
    let mut ops = vec![];
    let mut keys: Vec<&PersonKey> = snap.people.keys().collect();
    // A stable order (kind, key) so that previews show the same samples.
    keys.sort_by(|a, b| (a.0 as u8, &a.1).cmp(&(b.0 as u8, &b.1)));
    let name_of = |key: &PersonKey| {
        snap.people
            .get(key)
            .map(|p| p.display_name())
            .unwrap_or_default()
    };
    for key in keys {
        let kind_s = person_kind_str(key.0);
        let hash = snap.people.hash_of(key).unwrap_or_default();
        match index.get(&(key.0, key.1.as_str())) {
            None => {
                counts_for(&mut summary, key.0).add += 1;
                sample(&mut summary, "add", kind_s, &|| name_of(key), vec![]);
                ops.push(PersonOp::Add(key.clone()));
            }
            Some(row) => {
                let reactivated = row.status != "active"
                    && snap.people.get(key).is_some_and(|p| p.left_on.is_none());
                if row.content_hash != hash || reactivated {
                    counts_for(&mut summary, key.0).change += 1;
                    let mut fields = vec![];
                    if reactivated {
                        fields.push("statut".into());
                    }
                    sample(&mut summary, "change", kind_s, &|| name_of(key), fields);
                    ops.push(PersonOp::Change(row.id, key.clone()));
                } else {
                    counts_for(&mut summary, key.0).unchanged += 1;
                }
            }
        }
    }
    // Who is gone: absent from a complete list, or deleted by the feed.
    let mut deactivate = vec![];
    let deleted: HashSet<(PersonKind, &str)> = snap
        .deletes
        .iter()
        .map(|(k, key)| (*k, key.as_str()))
        .collect();
    let mut gone: Vec<&PersonIndexRow> = people
        .iter()
        .filter(|row| row.status == "active")
        .filter(|row| {
            let Some(k) = person_kind_parse(&row.kind) else {
                return false;
            };
            let in_snapshot = snap.people.contains_key(&(k, row.source_key.clone()));
            (snap.full && snap.kinds_covered.contains(&k) && !in_snapshot)
                || (!in_snapshot && deleted.contains(&(k, row.source_key.as_str())))
        })
        .collect();
    gone.sort_by(|a, b| (&a.kind, &a.last_name).cmp(&(&b.kind, &b.last_name)));
    for row in gone {
        if let Some(k) = person_kind_parse(&row.kind) {
            counts_for(&mut summary, k).deactivate += 1;
            sample(
                &mut summary,
                "deactivate",
                person_kind_str(k),
                &|| format!("{} {}", row.last_name, row.first_name),
                vec![],
            );
        }
        deactivate.push(row.id);
    }

    // Structures of the file's school year.
    let mut structures_add = vec![];
    let mut structures_change = vec![];
    let mut structures_archive = vec![];
    let existing: HashMap<(String, String), &annuaire_structure::Model> = structures_this_year
        .iter()
        .map(|s| ((s.kind.clone(), s.code.clone()), s))
        .collect();
    for (key, s) in &snap.structures {
        match existing.get(key) {
            None => {
                summary.structures.add += 1;
                sample(&mut summary, "add", "structure", &|| s.code.clone(), vec![]);
                structures_add.push(s.clone());
            }
            Some(row) if row.content_hash != s.hash() || row.archived_at.is_some() => {
                summary.structures.change += 1;
                sample(
                    &mut summary,
                    "change",
                    "structure",
                    &|| s.code.clone(),
                    vec![],
                );
                structures_change.push(((*row).clone(), s.clone()));
            }
            Some(_) => summary.structures.unchanged += 1,
        }
    }
    if snap.structures_authoritative {
        for row in &structures_this_year {
            if row.source == source
                && row.archived_at.is_none()
                && !snap
                    .structures
                    .contains_key(&(row.kind.clone(), row.code.clone()))
            {
                summary.structures.deactivate += 1;
                sample(
                    &mut summary,
                    "deactivate",
                    "structure",
                    &|| row.code.clone(),
                    vec![],
                );
                structures_archive.push(row.id);
            }
        }
    }
    summary.archived_previous_years = previous_years_open;

    // Nomenclatures.
    let mut nomenclatures_add = vec![];
    let mut nomenclatures_change = vec![];
    let existing: HashMap<(String, String), &annuaire_nomenclature::Model> = nomenclatures
        .iter()
        .map(|n| ((n.kind.clone(), n.code.clone()), n))
        .collect();
    for (key, n) in &snap.nomenclatures {
        match existing.get(key) {
            None => {
                summary.nomenclatures.add += 1;
                nomenclatures_add.push(n.clone());
            }
            Some(row) if row.content_hash != n.hash() => {
                summary.nomenclatures.change += 1;
                nomenclatures_change.push(((*row).clone(), n.clone()));
            }
            Some(_) => summary.nomenclatures.unchanged += 1,
        }
    }

    Diff {
        summary,
        people: ops,
        deactivate,
        structures_add,
        structures_change,
        structures_archive,
        nomenclatures_add,
        nomenclatures_change,
        ids,
    }
}
