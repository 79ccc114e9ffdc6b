//! The difference between a snapshot and what the database holds.

use super::snapshot::{Op, PersonKey, Snapshot, person_kind_parse, person_kind_str};
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

/// The comparison of the snapshot's people with the school's rows of that
/// source, fed a page of rows at a time (nothing of the database is held
/// but the ids the links need and the rows to deactivate).
pub struct PeopleAcc {
    staff: Counts,
    pupils: Counts,
    guardians: Counts,
    pub deactivate: Vec<Uuid>,
    pub deactivate_samples: Vec<(PersonKind, Uuid)>,
    deleted: HashSet<PersonKey>,
    full: bool,
    covered: HashSet<PersonKind>,
    keep_guardians: bool,
    keep_pupils: bool,
    pub guardian_ids: HashMap<String, Uuid>,
    pub pupil_ids: HashMap<String, Uuid>,
}

impl PeopleAcc {
    pub fn new(snap: &Snapshot) -> Self {
        PeopleAcc {
            staff: Counts::default(),
            pupils: Counts::default(),
            guardians: Counts::default(),
            deactivate: vec![],
            deactivate_samples: vec![],
            deleted: snap.deletes.iter().cloned().collect(),
            full: snap.full,
            covered: snap.kinds_covered.clone(),
            // Pupils of this batch may name guardians only the database has.
            keep_guardians: !snap.kinds_covered.contains(&PersonKind::Guardian),
            // Guardians of this batch may name pupils only the database has.
            keep_pupils: !snap.extra_links.is_empty(),
            guardian_ids: HashMap::new(),
            pupil_ids: HashMap::new(),
        }
    }

    fn counts(&mut self, k: PersonKind) -> &mut Counts {
        match k {
            PersonKind::Staff => &mut self.staff,
            PersonKind::Pupil => &mut self.pupils,
            PersonKind::Guardian => &mut self.guardians,
        }
    }

    /// Compares one page of rows with the snapshot; sets the op and id of
    /// the snapshot entries it meets.
    pub fn visit(&mut self, snap: &mut Snapshot, rows: Vec<PersonIndexRow>) {
        for row in rows {
            let Some(kind) = person_kind_parse(&row.kind) else {
                continue;
            };
            let mut hash = [0u8; 32];
            if hex::decode_to_slice(&row.content_hash, &mut hash).is_err() {
                // An unreadable hash never matches: the person is rewritten.
                hash = [0u8; 32];
            }
            let active = row.status == "active";
            let key = (kind, row.source_key);
            match snap.people.entry_mut(&key) {
                Some(e) => {
                    let reactivated = !active && e.fields().is_some_and(|p| p.left_on.is_none());
                    e.id = Some(row.id);
                    if hash != e.hash() || reactivated {
                        e.op = Op::Change;
                        self.counts(kind).change += 1;
                    } else {
                        e.op = Op::Unchanged;
                        self.counts(kind).unchanged += 1;
                    }
                }
                None => {
                    if kind == PersonKind::Guardian && self.keep_guardians {
                        self.guardian_ids.insert(key.1.clone(), row.id);
                    }
                    if kind == PersonKind::Pupil && self.keep_pupils {
                        self.pupil_ids.insert(key.1.clone(), row.id);
                    }
                    let absent = self.full && self.covered.contains(&kind);
                    if active && (absent || self.deleted.contains(&key)) {
                        self.counts(kind).deactivate += 1;
                        let sampled = self
                            .deactivate_samples
                            .iter()
                            .filter(|(k, _)| *k == kind)
                            .count();
                        if sampled < SAMPLES_PER_OP {
                            self.deactivate_samples.push((kind, row.id));
                        }
                        self.deactivate.push(row.id);
                    }
                }
            }
        }
    }
}

pub struct Diff {
    pub summary: Summary,
    /// Rows to mark as gone.
    pub deactivate: Vec<Uuid>,
    /// A few of them, to name in the preview.
    pub deactivate_samples: Vec<(PersonKind, Uuid)>,
    pub structures_add: Vec<super::snapshot::StructureFields>,
    pub structures_change: Vec<(annuaire_structure::Model, super::snapshot::StructureFields)>,
    pub structures_archive: Vec<Uuid>,
    pub nomenclatures_add: Vec<super::snapshot::NomenclatureFields>,
    pub nomenclatures_change: Vec<(
        annuaire_nomenclature::Model,
        super::snapshot::NomenclatureFields,
    )>,
    /// Guardians only the database has, by key (links of this batch's pupils).
    pub guardian_ids: HashMap<String, Uuid>,
    /// Pupils only the database has, by key (links of this batch's guardians).
    pub pupil_ids: HashMap<String, Uuid>,
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
    snap: &mut Snapshot,
    acc: PeopleAcc,
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

    // People: the op of each snapshot entry is set in place; the samples are
    // the smallest keys of each (op, kind), named afterwards.
    let mut picked: HashMap<(&'static str, PersonKind), Vec<PersonKey>> = HashMap::new();
    let mut pick = |op: &'static str, key: &PersonKey| {
        let v = picked.entry((op, key.0)).or_default();
        if v.len() < SAMPLES_PER_OP || v.last().is_some_and(|m| key.1 < m.1) {
            let at = v.partition_point(|k| k.1 < key.1);
            v.insert(at, key.clone());
            v.truncate(SAMPLES_PER_OP);
        }
    };
    summary.staff = acc.staff.clone();
    summary.pupils = acc.pupils.clone();
    summary.guardians = acc.guardians.clone();
    for (key, entry) in snap.people.entries_mut() {
        if entry.id.is_none() {
            // Met by no row of the database: new.
            counts_for(&mut summary, key.0).add += 1;
            pick("add", key);
            entry.op = Op::Add;
        } else if entry.op == Op::Change {
            pick("change", key);
        }
    }
    let mut picked: Vec<((&'static str, PersonKind), Vec<PersonKey>)> =
        picked.into_iter().collect();
    picked.sort_by_key(|((op, kind), _)| (*kind as u8, *op));
    for ((op, kind), keys) in picked {
        for key in keys {
            let label = snap
                .people
                .get(&key)
                .map(|p| p.display_name())
                .unwrap_or_default();
            sample(
                &mut summary,
                op,
                person_kind_str(kind),
                &|| label.clone(),
                vec![],
            );
        }
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
        deactivate: acc.deactivate,
        deactivate_samples: acc.deactivate_samples,
        structures_add,
        structures_change,
        structures_archive,
        nomenclatures_add,
        nomenclatures_change,
        guardian_ids: acc.guardian_ids,
        pupil_ids: acc.pupil_ids,
    }
}
