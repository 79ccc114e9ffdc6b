//! The AAF feed (`ficAlimMENESR`, the ENT feed): one file per kind
//! (EtabEducNat, PersEducNat, Eleve, PersRelEleve, MatiereEducNat,
//! MefEducNat), each a list of `addRequest` / `modifyRequest` /
//! `deleteRequest`.
//!
//! - `addRequest`: `operationalAttributes/attr[@name=categorie…]/value`,
//!   `identifier/id`, `attributes/attr[@name]/value*`;
//! - `modifyRequest`: the same with `modifications/modification[@name]/value*`
//!   instead of `attributes`; complete feeds carry the whole record, so it is
//!   emitted like an addition;
//! - `deleteRequest`: `operationalAttributes` and `identifier` only →
//!   [`Record::Delete`].
//!
//! The files start with `<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">`:
//! the DTD is neither fetched nor read.
//!
//! One request is held at a time (its values are capped); classes and
//! groups only appear inside persons, so each distinct one is emitted once
//! as a [`Record::Structure`] (a set of codes, bounded by the number of
//! structures).

use std::collections::HashSet;
use std::io::BufRead;

use super::xml::{XEvent, XmlStream};
use super::{
    Emitter, FileKind, FileMeta, GuardianLink, GuardianRec, Limits, NomenclatureKind,
    NomenclatureRec, ParseError, PersonKind, PupilLink, PupilRec, Record, SchoolRec, StaffRec,
    StructureKind, StructureRec, non_empty, parse_date, push_unique,
};

/// Most values one request may carry (a real one has well under a hundred).
const MAX_VALUES_PER_REQUEST: usize = 10_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Modify,
    Delete,
}

/// One request being read. Its strings are kept from one request to the
/// next and overwritten (no allocation per value once warmed up): only
/// `attrs[..n_attrs]`, and of each the `values[..n]`, belong to the
/// current request.
struct Req {
    op: Op,
    line: u64,
    category: Option<String>,
    id: Option<String>,
    attrs: Vec<Attr>,
    n_attrs: usize,
    values: usize,
}

/// An attribute of a request and its values. An operational attribute's
/// name starts with `@`.
#[derive(Default)]
struct Attr {
    name: String,
    values: Vec<String>,
    n: usize,
}

impl Attr {
    fn push(&mut self, value: &str) {
        match self.values.get_mut(self.n) {
            Some(v) => {
                v.clear();
                v.push_str(value);
            }
            None => self.values.push(value.to_string()),
        }
        self.n += 1;
    }
}

impl Req {
    fn new() -> Self {
        Req {
            op: Op::Add,
            line: 0,
            category: None,
            id: None,
            attrs: Vec::new(),
            n_attrs: 0,
            values: 0,
        }
    }
    /// Starts a new request, keeping the strings for reuse.
    fn reset(&mut self, op: Op, line: u64) {
        self.op = op;
        self.line = line;
        self.category = None;
        self.id = None;
        self.n_attrs = 0;
        self.values = 0;
    }
    fn live(&self) -> &[Attr] {
        &self.attrs[..self.n_attrs]
    }
    /// Index of a new attribute named `prefix` + `name`, with no value.
    fn add_attr(&mut self, prefix: &str, name: &str) -> usize {
        let i = self.n_attrs;
        if i == self.attrs.len() {
            self.attrs.push(Attr::default());
        }
        let a = &mut self.attrs[i];
        a.name.clear();
        a.name.push_str(prefix);
        a.name.push_str(name);
        a.n = 0;
        self.n_attrs += 1;
        i
    }
    fn all(&self, name: &str) -> &[String] {
        self.live()
            .iter()
            .find(|a| a.name == name)
            .map(|a| &a.values[..a.n])
            .unwrap_or(&[])
    }
    fn one(&self, name: &str) -> Option<String> {
        self.all(name).first().cloned()
    }
}

/// The record kinds of the feed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cat {
    Pupil,
    Staff,
    Guardian,
    School,
    Subject,
    Mef,
}

fn cat_of_kind(kind: FileKind) -> Option<Cat> {
    match kind {
        FileKind::AafEleve => Some(Cat::Pupil),
        FileKind::AafPersEducNat => Some(Cat::Staff),
        FileKind::AafPersRelEleve => Some(Cat::Guardian),
        FileKind::AafEtabEducNat => Some(Cat::School),
        FileKind::AafMatiereEducNat => Some(Cat::Subject),
        FileKind::AafMefEducNat => Some(Cat::Mef),
        _ => None,
    }
}

/// `categoriePersonne` values: `Eleve`, `PersRelEleve`, `PersEducNat`
/// (older feeds), `Enseignant` / `Non enseignant` (newer ones);
/// `categorieStructure`: `EtabEducNat`; `categorieMatiere`: `MatEducNat`;
/// `categorieMef`: `MefEducNat`.
fn cat_of_label(label: &str) -> Option<Cat> {
    let l = label.trim().to_lowercase();
    match l.as_str() {
        "eleve" | "élève" => Some(Cat::Pupil),
        "persreleleve" => Some(Cat::Guardian),
        "perseducnat" | "enseignant" | "non enseignant" | "nonenseignant" => Some(Cat::Staff),
        "etabeducnat" => Some(Cat::School),
        "mateducnat" | "matiereeducnat" => Some(Cat::Subject),
        "mefeducnat" => Some(Cat::Mef),
        _ if l.contains("enseignant") || l.starts_with("pers") => Some(Cat::Staff),
        _ => None,
    }
}

/// `struct$code` → (struct id, code).
fn split_struct(v: &str) -> Option<(String, String)> {
    let mut parts = v.splitn(2, '$');
    let s = parts.next()?.trim();
    let code = parts.next()?.split('$').next()?.trim();
    if code.is_empty() {
        None
    } else {
        Some((s.to_string(), code.to_string()))
    }
}

/// The parental link code of `ENTElevePersRelEleve`: older feeds write
/// `1` (father) / `2` (mother), newer ones the SIECLE codes `10` (père),
/// `20` (mère), `50` (tuteur)…; other codes are kept as written.
fn relation_label(code: &str) -> Option<String> {
    let c = code.trim();
    match c {
        "" => None,
        "1" | "10" => Some("père".into()),
        "2" | "20" => Some("mère".into()),
        "50" => Some("tuteur".into()),
        other => Some(other.to_string()),
    }
}

struct Ctx<'a, 'b> {
    out: &'a mut Emitter<'b>,
    seen: HashSet<(StructureKind, String, String)>,
    meta: FileMeta,
    first_uai: Option<String>,
    unknown_categories: u64,
    ignored_deletes: u64,
}

impl Ctx<'_, '_> {
    /// Emits each class/group once.
    fn structure(
        &mut self,
        kind: StructureKind,
        school: &str,
        code: &str,
    ) -> Result<(), ParseError> {
        if self
            .seen
            .insert((kind, school.to_string(), code.to_string()))
        {
            self.out.emit(Record::Structure(StructureRec {
                kind,
                code: code.to_string(),
                label: None,
                mefs: Vec::new(),
                divisions: Vec::new(),
                school_source_id: non_empty(school),
            }))?;
        }
        Ok(())
    }
}

fn perr_at(req: &Req, element: &str, message: String) -> ParseError {
    ParseError {
        line: Some(req.line),
        element: Some(element.to_string()),
        message,
    }
}

fn birth_date(req: &Req) -> Result<Option<chrono::NaiveDate>, ParseError> {
    match req.one("ENTPersonDateNaissance") {
        None => Ok(None),
        Some(d) => parse_date(&d).map(Some).ok_or_else(|| {
            perr_at(
                req,
                "ENTPersonDateNaissance",
                format!("date de naissance illisible : « {d} » (jj/mm/aaaa attendu)"),
            )
        }),
    }
}

fn person_key(req: &Req) -> Result<String, ParseError> {
    req.one("ENTPersonJointure")
        .or_else(|| req.id.clone())
        .ok_or_else(|| {
            perr_at(
                req,
                "ENTPersonJointure",
                "identifiant de la personne absent (ENTPersonJointure et identifier/id vides)"
                    .into(),
            )
        })
}

/// `sn` is the name in use; `ENTPersonNomPatro` the birth name.
fn names(req: &Req) -> Result<(String, String), ParseError> {
    let last = req
        .one("sn")
        .or_else(|| req.one("ENTPersonNomPatro"))
        .ok_or_else(|| {
            perr_at(
                req,
                "sn",
                "nom absent (sn et ENTPersonNomPatro vides)".into(),
            )
        })?;
    Ok((last, req.one("givenName").unwrap_or_default()))
}

fn build(req: &Req, cat: Cat, cx: &mut Ctx<'_, '_>) -> Result<(), ParseError> {
    match cat {
        Cat::School => {
            let uai = req
                .one("ENTStructureUAI")
                .or_else(|| req.one("ENTEtablissementUAI"))
                .ok_or_else(|| perr_at(req, "ENTStructureUAI", "UAI absent".into()))?;
            let source_id = req.one("ENTStructureJointure").or_else(|| req.id.clone());
            // One school in the file: it is the file's school; several: none.
            match cx.first_uai.as_deref() {
                None => {
                    cx.first_uai = Some(uai.clone());
                    cx.meta.uai = Some(uai.clone());
                }
                Some(u) if u != uai => cx.meta.uai = None,
                Some(_) => {}
            }
            cx.out.emit(Record::School(SchoolRec {
                uai,
                name: req.one("ENTStructureNomCourant").unwrap_or_default(),
                source_id: source_id.clone(),
                city: req.one("l"),
                kind: req.one("ENTStructureTypeStruct"),
            }))?;
            // `ENTStructureClasses` / `ENTStructureGroupes`: `code$label`
            // (empty in the samples; newer feeds fill them).
            let school = source_id.unwrap_or_default();
            for (attr, kind) in [
                ("ENTStructureClasses", StructureKind::Division),
                ("ENTStructureGroupes", StructureKind::Group),
            ] {
                for v in req.all(attr) {
                    let mut parts = v.split('$');
                    let code = parts.next().unwrap_or("").trim();
                    if code.is_empty() {
                        continue;
                    }
                    if cx.seen.insert((kind, school.clone(), code.to_string())) {
                        cx.out.emit(Record::Structure(StructureRec {
                            kind,
                            code: code.to_string(),
                            label: parts.next().and_then(non_empty),
                            mefs: Vec::new(),
                            divisions: Vec::new(),
                            school_source_id: non_empty(&school),
                        }))?;
                    }
                }
            }
        }
        Cat::Subject | Cat::Mef => {
            let (code_attr, label_attr, kind) = if cat == Cat::Subject {
                (
                    "ENTMatJointure",
                    "ENTLibelleMatiere",
                    NomenclatureKind::Subject,
                )
            } else {
                ("ENTMefJointure", "ENTLibelleMef", NomenclatureKind::Mef)
            };
            let code = req
                .one(code_attr)
                .or_else(|| req.id.clone())
                .ok_or_else(|| perr_at(req, code_attr, "code absent".into()))?;
            out_nom(cx, kind, code.clone(), req.one(label_attr).unwrap_or(code))?;
        }
        Cat::Pupil => {
            let key = person_key(req)?;
            let (last_name, first_name) = names(req)?;
            let birth_date = birth_date(req)?;
            // ENTEleveClasses / ENTEleveGroupes: `struct$code`, struct being
            // the ENTStructureJointure of the school.
            let mut class = None;
            let mut groups = Vec::new();
            for v in req.all("ENTEleveClasses") {
                if let Some((s, c)) = split_struct(v) {
                    cx.structure(StructureKind::Division, &s, &c)?;
                    if class.is_none() {
                        class = Some(c);
                    } else {
                        push_unique(&mut groups, &c);
                    }
                }
            }
            for v in req.all("ENTEleveGroupes") {
                if let Some((s, c)) = split_struct(v) {
                    cx.structure(StructureKind::Group, &s, &c)?;
                    push_unique(&mut groups, &c);
                }
            }
            // ENTElevePersRelEleve: `id$lien$resp_financier$resp_legal$contact$paiement`:
            // id = the guardian's ENTPersonJointure; lien = parental link code
            // (see `relation_label`); resp_legal 1 or 2 = legal guardian
            // (1st or 2nd), 0 = not; the other flags are not kept.
            let mut guardians: Vec<GuardianLink> = Vec::new();
            for v in req.all("ENTElevePersRelEleve") {
                let parts: Vec<&str> = v.split('$').collect();
                let id = parts[0].trim();
                if id.is_empty() || guardians.iter().any(|g| g.guardian_key == id) {
                    continue;
                }
                guardians.push(GuardianLink {
                    guardian_key: id.to_string(),
                    relation: parts.get(1).and_then(|c| relation_label(c)),
                    legal: matches!(parts.get(3).map(|s| s.trim()), Some("1" | "2")),
                });
            }
            if guardians.is_empty() {
                // Older fields: ENTEleveAutoriteParentale (legal guardians),
                // ENTElevePere / ENTEleveMere, ENTElevePersRelEleve1/2 (other contacts).
                let father = req.one("ENTElevePere");
                let mother = req.one("ENTEleveMere");
                let legal: Vec<String> = req.all("ENTEleveAutoriteParentale").to_vec();
                let mut ids: Vec<String> = legal.clone();
                for a in [
                    "ENTEleveParents",
                    "ENTElevePersRelEleve1",
                    "ENTElevePersRelEleve2",
                ] {
                    for v in req.all(a) {
                        push_unique(&mut ids, v);
                    }
                }
                for id in ids {
                    let relation = if father.as_deref() == Some(id.as_str()) {
                        Some("père".to_string())
                    } else if mother.as_deref() == Some(id.as_str()) {
                        Some("mère".to_string())
                    } else {
                        None
                    };
                    guardians.push(GuardianLink {
                        legal: legal.contains(&id),
                        guardian_key: id,
                        relation,
                    });
                }
            }
            cx.out.emit(Record::Pupil(PupilRec {
                key,
                ine: req.one("ENTEleveINE"),
                last_name,
                first_name,
                birth_date,
                class,
                groups,
                mef: req.one("ENTEleveMEF"),
                left_on: None,
                // The school: feeds differ in which attribute carries the
                // jointure of the EtabEducNat record (`ENTPersonStructRattach`
                // in some, `ENTEleveStructRattachId` in others): both are
                // kept, the importer takes the one that names the school.
                school_source_id: req
                    .one("ENTPersonStructRattach")
                    .or_else(|| req.one("ENTEleveStructRattachId")),
                school_source_ids: ["ENTPersonStructRattach", "ENTEleveStructRattachId"]
                    .iter()
                    .filter_map(|a| req.one(a))
                    .collect(),
                guardians,
            }))?;
        }
        Cat::Staff => {
            let key = person_key(req)?;
            let (last_name, first_name) = names(req)?;
            let birth_date = birth_date(req)?;
            // ENTPersonFonctions: `struct$function code$function label$discipline code$discipline label`
            // (e.g. `50220$ENS$ENSEIGNEMENT$L6510$ARCHITECTURE…`): the function
            // code goes to `functions`, the discipline code (same nomenclature
            // as STS `DISCIPLINE/@CODE`) to `disciplines`.
            let mut functions = Vec::new();
            let mut disciplines = Vec::new();
            for v in req.all("ENTPersonFonctions") {
                let parts: Vec<&str> = v.split('$').collect();
                if let Some(f) = parts.get(1) {
                    push_unique(&mut functions, f);
                }
                if let Some(d) = parts.get(3) {
                    push_unique(&mut disciplines, d);
                }
            }
            // ENTAuxEnsClasses / ENTAuxEnsGroupes: `struct$code` taught.
            let mut structures = Vec::new();
            for (attr, kind) in [
                ("ENTAuxEnsClasses", StructureKind::Division),
                ("ENTAuxEnsGroupes", StructureKind::Group),
            ] {
                for v in req.all(attr) {
                    if let Some((s, c)) = split_struct(v) {
                        cx.structure(kind, &s, &c)?;
                        push_unique(&mut structures, &c);
                    }
                }
            }
            let mut school_source_ids = Vec::new();
            for v in req.all("ENTPersonStructRattach") {
                push_unique(&mut school_source_ids, v);
            }
            cx.out.emit(Record::Staff(StaffRec {
                key,
                civility: req.one("personalTitle"),
                last_name,
                first_name,
                birth_date,
                email: req.one("mail"),
                functions,
                disciplines,
                missions: Vec::new(),
                structures,
                school_source_ids,
            }))?;
        }
        Cat::Guardian => {
            let key = person_key(req)?;
            let (last_name, first_name) = names(req)?;
            // ENTAuxPersRelEleveEleve (when the feed gives it): the pupils'
            // ENTPersonJointure, possibly followed by `$…` parts.
            let mut pupils: Vec<PupilLink> = Vec::new();
            for v in req.all("ENTAuxPersRelEleveEleve") {
                let id = v.split('$').next().unwrap_or("").trim();
                if !id.is_empty() && !pupils.iter().any(|p| p.pupil_key == id) {
                    pupils.push(PupilLink {
                        pupil_key: id.to_string(),
                        relation: None,
                        legal: false,
                    });
                }
            }
            cx.out.emit(Record::Guardian(GuardianRec {
                key,
                civility: req.one("personalTitle"),
                last_name,
                first_name,
                pupils,
            }))?;
        }
    }
    Ok(())
}

fn out_nom(
    cx: &mut Ctx<'_, '_>,
    kind: NomenclatureKind,
    code: String,
    label: String,
) -> Result<(), ParseError> {
    cx.out.emit(Record::Nomenclature(NomenclatureRec {
        kind,
        code,
        short_label: None,
        label,
    }))
}

pub(crate) fn parse<R: BufRead>(
    kind: FileKind,
    reader: R,
    limits: &Limits,
    out: &mut Emitter<'_>,
) -> Result<FileMeta, ParseError> {
    let mut xs = XmlStream::new(reader, limits)?;
    let file_cat = cat_of_kind(kind);
    let mut cx = Ctx {
        out,
        seen: HashSet::new(),
        meta: FileMeta::default(),
        first_uai: None,
        unknown_categories: 0,
        ignored_deletes: 0,
    };
    let mut req: Option<Req> = None;
    // The strings of the last request, reused by the next one.
    let mut spare = Req::new();
    let mut attr: Option<usize> = None;
    let mut in_operational = false;

    loop {
        match xs.next()? {
            XEvent::Eof => break,
            XEvent::Start => {
                let depth = xs.path().len();
                if depth == 1 {
                    if xs.name() != "ficAlimMENESR" {
                        return Err(xs.error(format!(
                            "ce n'est pas un fichier AAF (élément racine <{}> au lieu de <ficAlimMENESR>)",
                            xs.name()
                        )));
                    }
                    continue;
                }
                if depth == 2 {
                    let op = match xs.name() {
                        "addRequest" => Op::Add,
                        "modifyRequest" => Op::Modify,
                        "deleteRequest" => Op::Delete,
                        other => {
                            return Err(xs.error(format!(
                                "élément <{other}> inattendu (addRequest, modifyRequest ou deleteRequest attendu)"
                            )));
                        }
                    };
                    let mut r = std::mem::replace(&mut spare, Req::new());
                    r.reset(op, xs.line());
                    req = Some(r);
                    continue;
                }
                let Some(r) = req.as_mut() else { continue };
                match xs.name() {
                    "operationalAttributes" => in_operational = true,
                    "attr" | "modification" => {
                        r.values += 1;
                        if r.values > MAX_VALUES_PER_REQUEST {
                            return Err(xs.error(format!(
                                "trop d'attributs dans une seule requête (plus de {MAX_VALUES_PER_REQUEST})"
                            )));
                        }
                        let name = xs.attr("name").unwrap_or("");
                        if in_operational {
                            // categoriePersonne / categorieStructure / categorieMatiere / categorieMef
                            attr = Some(r.add_attr("@", name));
                        } else {
                            match r.live().iter().position(|a| a.name == name) {
                                Some(i) => attr = Some(i),
                                None => attr = Some(r.add_attr("", name)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            XEvent::End => {
                let depth = xs.path().len();
                if depth == 2 {
                    let Some(mut r) = req.take() else { continue };
                    attr = None;
                    in_operational = false;
                    // The category: the operational attribute, else the file kind.
                    // (Operational attributes start with `@`: no name asked
                    // for below does.)
                    let label = r
                        .live()
                        .iter()
                        .find(|a| a.name.starts_with('@'))
                        .and_then(|a| a.values[..a.n].first().cloned());
                    r.category = label;
                    let cat = match r.category.as_deref() {
                        Some(l) => cat_of_label(l),
                        None => file_cat,
                    };
                    let done = match cat {
                        None => {
                            cx.unknown_categories += 1;
                            Ok(())
                        }
                        Some(cat) if r.op == Op::Delete => {
                            let kind = match cat {
                                Cat::Pupil => Some(PersonKind::Pupil),
                                Cat::Staff => Some(PersonKind::Staff),
                                Cat::Guardian => Some(PersonKind::Guardian),
                                _ => None,
                            };
                            match kind {
                                Some(kind) => person_key(&r)
                                    .and_then(|key| cx.out.emit(Record::Delete { kind, key })),
                                None => {
                                    cx.ignored_deletes += 1;
                                    Ok(())
                                }
                            }
                        }
                        Some(cat) => build(&r, cat, &mut cx),
                    };
                    spare = r;
                    done?;
                    continue;
                }
                let Some(r) = req.as_mut() else { continue };
                match xs.name() {
                    "value" => {
                        if let Some(i) = attr {
                            let t = xs.text();
                            if !t.is_empty() {
                                r.values += 1;
                                if r.values > MAX_VALUES_PER_REQUEST {
                                    return Err(xs.error(format!(
                                        "trop de valeurs dans une seule requête (plus de {MAX_VALUES_PER_REQUEST})"
                                    )));
                                }
                                r.attrs[i].push(t);
                            }
                        }
                    }
                    "id" if xs.ends(&["identifier", "id"]) => r.id = non_empty(xs.text()),
                    "attr" | "modification" => attr = None,
                    "operationalAttributes" => in_operational = false,
                    _ => {}
                }
            }
        }
    }
    let mut meta = std::mem::take(&mut cx.meta);
    if cx.unknown_categories > 0 {
        meta.warnings.push(format!(
            "{} requête(s) d'une catégorie inconnue ignorée(s)",
            cx.unknown_categories
        ));
    }
    if cx.ignored_deletes > 0 {
        meta.warnings.push(format!(
            "{} suppression(s) d'établissement, de matière ou de MEF ignorée(s)",
            cx.ignored_deletes
        ));
    }
    meta.encoding = xs.encoding.clone();
    meta.warnings.append(&mut xs.warnings);
    Ok(meta)
}
