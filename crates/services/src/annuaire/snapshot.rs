//! Reading a batch of directory files into one snapshot, in a blocking
//! thread, streaming: the parsers hold nothing, the snapshot holds one small
//! row per person kept.

use chrono::{Datelike, NaiveDate, Utc};
use refnum_io::annuaire::{
    self as io, FileKind, GuardianLink, NomenclatureKind, PersonKind, Record, Source, StructureKind,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufReader, Read};
use std::path::PathBuf;
use uuid::Uuid;

/// One file given to an import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputFile {
    /// The name the user gave it (shown, never used as a path).
    pub name: String,
    /// Where it is on disk.
    pub path: PathBuf,
}

/// What we keep of a file once read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub name: String,
    pub kind: FileKind,
    pub sha256: String,
    pub size: u64,
    pub records: u64,
    pub encoding: String,
}

/// The fields of a person that a source manages; their hash says whether a
/// record changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonFields {
    pub kind: PersonKind,
    pub key: String,
    pub ine: Option<String>,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
    pub email: Option<String>,
    pub functions: Vec<String>,
    pub disciplines: Vec<String>,
    pub missions: Vec<String>,
    pub structures: Vec<String>,
    pub class_code: Option<String>,
    pub groups: Vec<String>,
    pub mef_code: Option<String>,
    pub left_on: Option<NaiveDate>,
    /// Guardians (pupils only): key, relation, legal.
    pub guardians: Vec<(String, Option<String>, bool)>,
}

impl PersonFields {
    /// The hash of the managed fields, as stored with the row.
    pub fn hash(&self) -> String {
        let bytes = rmp_serde::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }
    fn blank(kind: PersonKind, key: String) -> Self {
        PersonFields {
            kind,
            key,
            ine: None,
            civility: None,
            last_name: String::new(),
            first_name: String::new(),
            birth_date: None,
            email: None,
            functions: vec![],
            disciplines: vec![],
            missions: vec![],
            structures: vec![],
            class_code: None,
            groups: vec![],
            mef_code: None,
            left_on: None,
            guardians: vec![],
        }
    }
    pub fn display_name(&self) -> String {
        format!("{} {}", self.last_name, self.first_name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructureFields {
    pub kind: StructureKind,
    pub code: String,
    pub label: Option<String>,
    pub mefs: Vec<String>,
    pub divisions: Vec<String>,
}

impl StructureFields {
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NomenclatureFields {
    pub kind: NomenclatureKind,
    pub code: String,
    pub short_label: Option<String>,
    pub label: String,
}

impl NomenclatureFields {
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }
}

pub type PersonKey = (PersonKind, String);

/// What an import does to one person of the snapshot (set by the diff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Unchanged,
    Add,
    Change,
}

/// One person of a snapshot: the serialised fields (the bytes that are
/// hashed), what the import does to it and its row id once known.
#[derive(Debug)]
pub struct Entry {
    bytes: Box<[u8]>,
    pub op: Op,
    pub id: Option<Uuid>,
}

impl Entry {
    pub fn fields(&self) -> Option<PersonFields> {
        rmp_serde::from_slice(&self.bytes).ok()
    }
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(&self.bytes).into()
    }
}

/// The people of a snapshot, each kept as its compact serialised fields
/// (MessagePack, a fifth of the memory of the structs), so that a feed of
/// 100,000 pupils and their guardians stays well under 200 MB.
#[derive(Debug, Default)]
pub struct People {
    map: HashMap<PersonKey, Entry>,
}

impl People {
    pub fn insert(&mut self, p: &PersonFields) {
        let bytes = rmp_serde::to_vec(p).unwrap_or_default();
        self.map.insert(
            (p.kind, p.key.clone()),
            Entry {
                bytes: bytes.into_boxed_slice(),
                op: Op::Unchanged,
                id: None,
            },
        );
    }
    pub fn get(&self, k: &PersonKey) -> Option<PersonFields> {
        self.map.get(k).and_then(Entry::fields)
    }
    pub fn entry(&self, k: &PersonKey) -> Option<&Entry> {
        self.map.get(k)
    }
    pub fn entry_mut(&mut self, k: &PersonKey) -> Option<&mut Entry> {
        self.map.get_mut(k)
    }
    pub fn entries(&self) -> impl Iterator<Item = (&PersonKey, &Entry)> {
        self.map.iter()
    }
    pub fn entries_mut(&mut self) -> impl Iterator<Item = (&PersonKey, &mut Entry)> {
        self.map.iter_mut()
    }
    pub fn contains_key(&self, k: &PersonKey) -> bool {
        self.map.contains_key(k)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    pub fn keys(&self) -> impl Iterator<Item = &PersonKey> {
        self.map.keys()
    }
}

/// A 64-bit digest of a key, for sets that only need membership.
pub fn key_digest(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Everything a batch of files says about one school.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub source: Option<Source>,
    pub files: Vec<FileInfo>,
    /// The school as the files describe it (to create it when asked).
    pub school: Option<io::SchoolRec>,
    /// AAF ids of the target school.
    pub school_source_ids: Vec<String>,
    pub school_year: i32,
    pub exported_on: Option<NaiveDate>,
    pub structures: BTreeMap<(String, String), StructureFields>,
    /// Whether the batch lists all the school's structures (STS, SIECLE Structures).
    pub structures_authoritative: bool,
    pub nomenclatures: BTreeMap<(String, String), NomenclatureFields>,
    pub people: People,
    pub deletes: Vec<(PersonKind, String)>,
    /// Person kinds the batch lists completely (absent ones have left).
    pub kinds_covered: HashSet<PersonKind>,
    /// A complete feed (absent people have left) rather than a delta.
    pub full: bool,
    pub warnings: Vec<String>,
    /// Guardian links whose pupil is not in this batch but already in the
    /// school's directory: (pupil key, guardian key, relation, legal).
    pub extra_links: Vec<(String, String, Option<String>, bool)>,
}

/// An import refused: the message says which file, where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The school year a date belongs to (a year starts in August: files for the
/// new year arrive before September).
pub fn school_year_of(d: NaiveDate) -> i32 {
    if d.month() >= 8 {
        d.year()
    } else {
        d.year() - 1
    }
}

fn kind_order(k: FileKind) -> u8 {
    use FileKind::*;
    match k {
        AafEtabEducNat => 0,
        AafMatiereEducNat | AafMefEducNat | SiecleNomenclature => 1,
        SiecleStructures => 2,
        StsEmp | AafPersEducNat | OndeEnseignants => 3,
        SiecleEleves | AafEleve | OndeEleves => 4,
        AafPersRelEleve | OndeResponsables => 5,
    }
}

fn covered(k: FileKind) -> Option<PersonKind> {
    use FileKind::*;
    match k {
        StsEmp | AafPersEducNat | OndeEnseignants => Some(PersonKind::Staff),
        SiecleEleves | AafEleve | OndeEleves => Some(PersonKind::Pupil),
        AafPersRelEleve | OndeResponsables => Some(PersonKind::Guardian),
        _ => None,
    }
}

fn clean(v: Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = v
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn opt(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub fn structure_kind_str(k: StructureKind) -> &'static str {
    match k {
        StructureKind::Division => "division",
        StructureKind::Group => "group",
    }
}

pub fn nomenclature_kind_str(k: NomenclatureKind) -> &'static str {
    match k {
        NomenclatureKind::Subject => "subject",
        NomenclatureKind::Mef => "mef",
        NomenclatureKind::Mission => "mission",
        NomenclatureKind::Function => "function",
    }
}

pub fn person_kind_str(k: PersonKind) -> &'static str {
    match k {
        PersonKind::Staff => "staff",
        PersonKind::Pupil => "pupil",
        PersonKind::Guardian => "guardian",
    }
}

pub fn person_kind_parse(s: &str) -> Option<PersonKind> {
    match s {
        "staff" => Some(PersonKind::Staff),
        "pupil" => Some(PersonKind::Pupil),
        "guardian" => Some(PersonKind::Guardian),
        _ => None,
    }
}

/// The kinds of the files of a batch that can be recognised.
pub fn kinds_of(files: &[InputFile]) -> Vec<FileKind> {
    files
        .iter()
        .filter_map(|f| {
            let mut head = vec![0u8; 8192];
            let n = std::fs::File::open(&f.path)
                .and_then(|mut h| read_up_to(&mut h, &mut head))
                .ok()?;
            head.truncate(n);
            io::detect(&f.name, &head).ok()
        })
        .collect()
}

/// Reads every file of a batch for the school `target_uai`. `known_ids` are
/// the AAF ids the school is already known by. Blocking: call it from a
/// blocking thread.
pub fn read_batch(
    files: &[InputFile],
    target_uai: &str,
    known_ids: &[String],
    known_pupil: &dyn Fn(&str) -> bool,
) -> Result<Snapshot, Refusal> {
    if files.is_empty() {
        return Err(Refusal("aucun fichier à importer".into()));
    }
    let limits = io::Limits::default();
    // Recognise every file first: a batch is of one source.
    let mut kinds = vec![];
    for f in files {
        let mut head = vec![0u8; 8192];
        let n = std::fs::File::open(&f.path)
            .and_then(|mut h| read_up_to(&mut h, &mut head))
            .map_err(|e| {
                Refusal(format!(
                    "fichier « {} » : lecture impossible ({})",
                    f.name,
                    refnum_io::annuaire::io_error_fr(&e)
                ))
            })?;
        head.truncate(n);
        let kind = io::detect(&f.name, &head)
            .map_err(|e| Refusal(format!("fichier « {} » : {e}", f.name)))?;
        kinds.push((kind, f));
    }
    let source = kinds[0].0.source();
    if let Some((k, f)) = kinds.iter().find(|(k, _)| k.source() != source) {
        return Err(Refusal(format!(
            "fichier « {} » : c'est un fichier {} alors que les autres sont des fichiers {} ; importez chaque source séparément",
            f.name,
            k.source().as_str().to_uppercase(),
            source.as_str().to_uppercase()
        )));
    }
    kinds.sort_by_key(|(k, _)| kind_order(*k));

    let target = target_uai.trim().to_uppercase();
    let mut snap = Snapshot {
        source: Some(source),
        full: true,
        ..Default::default()
    };
    let mut target_ids: HashSet<String> = known_ids.iter().cloned().collect();
    let mut other_schools = 0u64;
    // Without the pupils' file, an unlinked guardian says nothing of the school.
    let batch_has_pupils = kinds
        .iter()
        .any(|(k, _)| matches!(k, FileKind::AafEleve | FileKind::OndeEleves));
    let mut school_years = vec![];
    let mut exported = vec![];
    // Guardians are kept only if a kept pupil names them or they name one;
    // the files are read pupils first, so that this is known on arrival.
    let mut pupil_guardians: HashSet<u64> = HashSet::new();
    let mut unresolved = 0u64;
    let mut ines: HashMap<String, u32> = HashMap::new();
    let mut without_class: (u64, Vec<String>) = (0, vec![]);
    let mut seen_schools: Vec<String> = vec![];
    // ONDE guardians name a child by `NOM|PRÉNOM|classe=…`: the pupils' aliases.
    let mut link_aliases: HashMap<String, String> = HashMap::new();

    for (kind, f) in &kinds {
        if source == Source::Aaf && !f.name.contains("Complet") {
            snap.full = false;
        }
        if let Some(p) = covered(*kind) {
            snap.kinds_covered.insert(p);
        }
        if matches!(kind, FileKind::StsEmp | FileKind::SiecleStructures) {
            snap.structures_authoritative = true;
        }
        let file = std::fs::File::open(&f.path).map_err(|e| {
            Refusal(format!(
                "fichier « {} » : lecture impossible ({})",
                f.name,
                refnum_io::annuaire::io_error_fr(&e)
            ))
        })?;
        let mut hr = HashingReader {
            inner: file,
            hasher: Sha256::new(),
            bytes: 0,
        };
        let file_name = f.name.clone();
        let is_aaf = source == Source::Aaf;
        let mut sink = |rec: Record| -> Result<(), io::ParseError> {
            match rec {
                Record::School(s) => {
                    let uai = s.uai.trim().to_uppercase();
                    if refnum_domain::Uai::parse(&uai).is_err() {
                        snap.warnings.push(format!(
                            "fichier « {file_name} » : le code UAI « {uai} » ({}) n'est pas valide (lettre de contrôle ou format)",
                            s.name
                        ));
                    }
                    if uai == target {
                        if let Some(id) = &s.source_id {
                            target_ids.insert(id.clone());
                        }
                        snap.school = Some(s);
                    } else if seen_schools.len() < 20 {
                        seen_schools.push(uai);
                    }
                }
                Record::Structure(s) => {
                    if is_aaf
                        && s.school_source_id
                            .as_ref()
                            .is_some_and(|id| !target_ids.contains(id))
                    {
                        return Ok(());
                    }
                    let code = s.code.trim().to_string();
                    if code.is_empty() {
                        return Ok(());
                    }
                    let k = structure_kind_str(s.kind).to_string();
                    let e = snap
                        .structures
                        .entry((k, code.clone()))
                        .or_insert(StructureFields {
                            kind: s.kind,
                            code,
                            label: None,
                            mefs: vec![],
                            divisions: vec![],
                        });
                    if e.label.is_none() {
                        e.label = opt(s.label);
                    }
                    let mut mefs = std::mem::take(&mut e.mefs);
                    mefs.extend(s.mefs);
                    e.mefs = clean(mefs);
                    let mut divs = std::mem::take(&mut e.divisions);
                    divs.extend(s.divisions);
                    e.divisions = clean(divs);
                }
                Record::Nomenclature(n) => {
                    let k = nomenclature_kind_str(n.kind).to_string();
                    snap.nomenclatures.insert(
                        (k, n.code.trim().to_string()),
                        NomenclatureFields {
                            kind: n.kind,
                            code: n.code.trim().to_string(),
                            short_label: opt(n.short_label),
                            label: n.label.trim().to_string(),
                        },
                    );
                }
                Record::Staff(s) => {
                    if is_aaf && !s.school_source_ids.iter().any(|id| target_ids.contains(id)) {
                        other_schools += 1;
                        return Ok(());
                    }
                    let p = PersonFields {
                        kind: PersonKind::Staff,
                        key: s.key.trim().to_string(),
                        ine: None,
                        civility: opt(s.civility),
                        last_name: s.last_name.trim().to_string(),
                        first_name: s.first_name.trim().to_string(),
                        birth_date: s.birth_date,
                        email: opt(s.email).map(|e| e.to_lowercase()),
                        functions: clean(s.functions),
                        disciplines: clean(s.disciplines),
                        missions: clean(s.missions),
                        structures: clean(s.structures),
                        class_code: None,
                        groups: vec![],
                        mef_code: None,
                        left_on: None,
                        guardians: vec![],
                    };
                    snap.people.insert(&p);
                }
                Record::Pupil(s) => {
                    if is_aaf
                        && !s
                            .school_source_id
                            .iter()
                            .chain(s.school_source_ids.iter())
                            .any(|id| target_ids.contains(id))
                    {
                        other_schools += 1;
                        return Ok(());
                    }
                    if let Some(alias) = io::link_key_of_pupil(&s) {
                        link_aliases.insert(alias, s.key.trim().to_string());
                    }
                    let mut guardians: Vec<(String, Option<String>, bool)> = s
                        .guardians
                        .into_iter()
                        .map(|g: GuardianLink| (g.guardian_key, opt(g.relation), g.legal))
                        .collect();
                    guardians.sort();
                    guardians.dedup_by(|a, b| a.0 == b.0);
                    let p = PersonFields {
                        kind: PersonKind::Pupil,
                        key: s.key.trim().to_string(),
                        ine: opt(s.ine),
                        civility: None,
                        last_name: s.last_name.trim().to_string(),
                        first_name: s.first_name.trim().to_string(),
                        birth_date: s.birth_date,
                        email: None,
                        functions: vec![],
                        disciplines: vec![],
                        missions: vec![],
                        structures: vec![],
                        class_code: opt(s.class),
                        groups: clean(s.groups),
                        mef_code: opt(s.mef),
                        left_on: s.left_on,
                        guardians,
                    };
                    if let Some(ine) = &p.ine {
                        *ines.entry(ine.clone()).or_default() += 1;
                    }
                    if p.class_code.is_none() && p.left_on.is_none() {
                        without_class.0 += 1;
                        if without_class.1.len() < 10 {
                            without_class.1.push(p.display_name());
                        }
                    }
                    pupil_guardians.extend(p.guardians.iter().map(|g| key_digest(&g.0)));
                    snap.people.insert(&p);
                }
                Record::Guardian(g) => {
                    let gkey = g.key.trim().to_string();
                    let mut linked = pupil_guardians.contains(&key_digest(&gkey));
                    for l in &g.pupils {
                        let direct = (PersonKind::Pupil, l.pupil_key.clone());
                        let pkey = if snap.people.contains_key(&direct) {
                            Some(direct)
                        } else {
                            link_aliases
                                .get(&l.pupil_key)
                                .map(|k| (PersonKind::Pupil, k.clone()))
                                .filter(|k| snap.people.contains_key(k))
                        };
                        match pkey {
                            Some(pkey) => {
                                if let Some(mut p) = snap.people.get(&pkey)
                                    && !p.guardians.iter().any(|x| x.0 == gkey)
                                {
                                    p.guardians.push((
                                        gkey.clone(),
                                        opt(l.relation.clone()),
                                        l.legal,
                                    ));
                                    p.guardians.sort();
                                    snap.people.insert(&p);
                                }
                                linked = true;
                            }
                            None if known_pupil(&l.pupil_key) => {
                                snap.extra_links.push((
                                    l.pupil_key.clone(),
                                    gkey.clone(),
                                    opt(l.relation.clone()),
                                    l.legal,
                                ));
                                linked = true;
                            }
                            None => unresolved += 1,
                        }
                    }
                    if !linked {
                        if is_aaf && batch_has_pupils {
                            other_schools += 1;
                        }
                        return Ok(());
                    }
                    let mut p = PersonFields::blank(PersonKind::Guardian, gkey);
                    p.civility = opt(g.civility);
                    p.last_name = g.last_name.trim().to_string();
                    p.first_name = g.first_name.trim().to_string();
                    snap.people.insert(&p);
                }
                Record::Delete { kind, key } => snap.deletes.push((kind, key)),
            }
            Ok(())
        };
        let meta = io::parse(*kind, BufReader::new(&mut hr), &limits, &mut sink)
            .map_err(|e| Refusal(format!("fichier « {} » : {e}", f.name)))?;
        // Read to the end so that the hash covers the whole file.
        std::io::copy(&mut hr, &mut std::io::sink()).map_err(|e| {
            Refusal(format!(
                "fichier « {} » : lecture impossible ({})",
                f.name,
                refnum_io::annuaire::io_error_fr(&e)
            ))
        })?;
        if let Some(u) = &meta.uai {
            let u = u.trim().to_uppercase();
            if u != target {
                let validity = if refnum_domain::Uai::parse(&u).is_err() {
                    " (code UAI invalide)"
                } else {
                    ""
                };
                return Err(Refusal(format!(
                    "fichier « {} » : c'est le fichier de l'établissement {u}{validity}, pas celui de {target} ; rien n'a été importé",
                    f.name
                )));
            }
        }
        if let Some(y) = meta.school_year {
            school_years.push(y);
        }
        if let Some(d) = meta
            .exported_on
            .or_else(|| io::date_from_file_name(&f.name))
        {
            exported.push(d);
        }
        for w in &meta.warnings {
            snap.warnings.push(format!("fichier « {} » : {w}", f.name));
        }
        snap.files.push(FileInfo {
            name: f.name.clone(),
            kind: *kind,
            sha256: hex::encode(hr.hasher.finalize_reset()),
            size: hr.bytes,
            records: meta.records,
            encoding: meta.encoding.clone(),
        });
        if source == Source::Aaf && *kind == FileKind::AafEtabEducNat && target_ids.is_empty() {
            let listed = if seen_schools.is_empty() {
                String::new()
            } else {
                format!(" (il décrit : {})", seen_schools.join(", "))
            };
            return Err(Refusal(format!(
                "fichier « {} » : l'établissement {target} n'y figure pas{listed} ; ce flux est celui d'un autre établissement",
                f.name
            )));
        }
    }
    // Guardians are linked through their children: without the pupils'
    // file in the same batch, the guardians' list cannot be complete, and no
    // guardian is marked as gone.
    let has = |wanted: &[FileKind]| kinds.iter().any(|(k, _)| wanted.contains(k));
    if has(&[FileKind::AafPersRelEleve, FileKind::OndeResponsables])
        && !has(&[FileKind::AafEleve, FileKind::OndeEleves])
    {
        snap.kinds_covered.remove(&PersonKind::Guardian);
        snap.warnings.push(
            "les responsables ne sont rattachés à leurs enfants que par le fichier des élèves : \
             importez ensemble les fichiers des élèves et des responsables d'une même extraction \
             (AAF Eleve et PersRelEleve, ONDE élèves et responsables)"
                .into(),
        );
    }
    if source == Source::Aaf && target_ids.is_empty() {
        return Err(Refusal(format!(
            "flux AAF : l'établissement {target} n'est pas encore connu de ce flux ; joignez le fichier EtabEducNat qui le décrit"
        )));
    }
    if unresolved > 0 {
        snap.warnings.push(format!(
            "{unresolved} lien(s) entre un responsable et un élève n'ont pas pu être rattachés (élève absent des fichiers)"
        ));
    }
    if source == Source::Aaf {
        let kept = snap.people.len();
        if kept == 0 && other_schools > 0 {
            return Err(Refusal(format!(
                "aucune des {other_schools} personnes du flux n'est rattachée à l'établissement {target} : fichiers d'un autre établissement ; rien n'a été importé"
            )));
        }
        if other_schools > 0 {
            snap.warnings.push(format!(
                "{other_schools} personne(s) rattachée(s) à d'autres établissements ont été ignorées"
            ));
        }
    }
    snap.school_source_ids = {
        let mut v: Vec<String> = target_ids.into_iter().collect();
        v.sort();
        v
    };
    snap.exported_on = exported.into_iter().max();
    // The year the file says, else the year of its export date, else today's.
    snap.school_year = school_years.into_iter().max().unwrap_or_else(|| {
        school_year_of(snap.exported_on.unwrap_or_else(|| Utc::now().date_naive()))
    });
    // Checks across records.
    let mut dups: Vec<String> = ines
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(i, _)| i)
        .collect();
    dups.sort();
    if !dups.is_empty() {
        snap.warnings.push(format!(
            "INE en double ({}) : {}",
            dups.len(),
            dups.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if without_class.0 > 0 {
        without_class.1.sort();
        snap.warnings.push(format!(
            "{} élève(s) sans classe : {}{}",
            without_class.0,
            without_class.1.join(", "),
            if without_class.0 > 10 { "…" } else { "" }
        ));
    }
    Ok(snap)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
