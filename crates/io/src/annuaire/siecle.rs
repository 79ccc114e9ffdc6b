//! SIECLE / BEE exports: `ElevesSansAdresses.xml` (`BEE_ELEVES`),
//! `Nomenclature.xml` (`BEE_NOMENCLATURES`) and `Structures.xml`
//! (`BEE_STRUCTURES`).
//!
//! `BEE_ELEVES` puts `DONNEES/STRUCTURES` (each pupil's divisions and
//! groups, by `ELEVE_ID`) after `DONNEES/ELEVES`. To emit each pupil with
//! its class without reading the file twice, a pupil is held (one
//! `PupilRec`, a few hundred bytes) until its `STRUCTURES_ELEVE` arrives,
//! then emitted at once; pupils without structures are emitted at the end.
//! If a file gives the structures first, they wait for the pupil instead.
//! For 100,000 pupils this stays in the tens of megabytes.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use super::xml::{XEvent, XmlStream};
use super::{
    Emitter, FileMeta, Limits, NomenclatureKind, NomenclatureRec, ParseError, PupilRec, Record,
    StructureKind, StructureRec, non_empty, parse_date, push_unique,
};

fn parent<R: BufRead>(xs: &XmlStream<R>) -> &str {
    let p = xs.path();
    if p.len() >= 2 { &p[p.len() - 2] } else { "" }
}

fn check_root<R: BufRead>(xs: &XmlStream<R>, expected: &str) -> Result<(), ParseError> {
    if xs.path().len() == 1 && xs.name() != expected {
        return Err(xs.error(format!(
            "ce n'est pas un fichier {expected} (élément racine <{}>)",
            xs.name()
        )));
    }
    Ok(())
}

/// `PARAMETRES` children common to the BEE files; true when handled.
fn parametres<R: BufRead>(xs: &XmlStream<R>, meta: &mut FileMeta) -> Result<bool, ParseError> {
    if parent(xs) != "PARAMETRES" {
        return Ok(false);
    }
    let text = xs.text();
    match xs.name() {
        "UAJ" => meta.uai = non_empty(text),
        "ANNEE_SCOLAIRE" if !text.is_empty() => {
            meta.school_year = Some(
                text.parse()
                    .map_err(|_| xs.error(format!("année scolaire illisible : « {text} »")))?,
            )
        }
        "HORODATAGE" | "DATE_EXPORT" if meta.exported_on.is_none() => {
            meta.exported_on = parse_date(text);
        }
        _ => {}
    }
    Ok(true)
}

fn finish<R: BufRead>(xs: &mut XmlStream<R>, meta: &mut FileMeta) {
    meta.encoding = xs.encoding.clone();
    meta.warnings.append(&mut xs.warnings);
}

#[derive(Default)]
struct PupilStructs {
    class: Option<String>,
    groups: Vec<String>,
}

struct Pending {
    order: Vec<Option<PupilRec>>,
    index: HashMap<String, usize>,
}

fn new_pupil(key: String) -> PupilRec {
    PupilRec {
        key,
        ine: None,
        last_name: String::new(),
        first_name: String::new(),
        birth_date: None,
        class: None,
        groups: Vec::new(),
        mef: None,
        left_on: None,
        school_source_id: None,
        school_source_ids: Vec::new(),
        guardians: Vec::new(),
    }
}

fn emit_structure(
    out: &mut Emitter<'_>,
    seen: &mut HashSet<(StructureKind, String)>,
    kind: StructureKind,
    code: &str,
) -> Result<(), ParseError> {
    if seen.insert((kind, code.to_string())) {
        out.emit(Record::Structure(StructureRec {
            kind,
            code: code.to_string(),
            label: None,
            mefs: Vec::new(),
            divisions: Vec::new(),
            school_source_id: None,
        }))?;
    }
    Ok(())
}

pub(crate) fn parse_eleves<R: BufRead>(
    reader: R,
    limits: &Limits,
    out: &mut Emitter<'_>,
) -> Result<FileMeta, ParseError> {
    let mut xs = XmlStream::new(reader, limits)?;
    let mut meta = FileMeta::default();
    let mut pupil: Option<PupilRec> = None;
    let mut family_name = String::new();
    let mut usage_name = String::new();
    let mut held = Pending {
        order: Vec::new(),
        index: HashMap::new(),
    };
    let mut waiting: HashMap<String, PupilStructs> = HashMap::new();
    let mut seen: HashSet<(StructureKind, String)> = HashSet::new();
    let mut structs_of: Option<(String, PupilStructs)> = None;
    let mut one: (Option<String>, Option<String>) = (None, None);

    loop {
        match xs.next()? {
            XEvent::Eof => break,
            XEvent::Start => {
                check_root(&xs, "BEE_ELEVES")?;
                if xs.ends(&["ELEVES", "ELEVE"]) {
                    let key = xs
                        .attr("ELEVE_ID")
                        .and_then(non_empty)
                        .ok_or_else(|| xs.error("attribut ELEVE_ID absent de <ELEVE>"))?;
                    pupil = Some(new_pupil(key));
                    family_name.clear();
                    usage_name.clear();
                } else if xs.ends(&["STRUCTURES", "STRUCTURES_ELEVE"]) {
                    let key = xs.attr("ELEVE_ID").and_then(non_empty).ok_or_else(|| {
                        xs.error("attribut ELEVE_ID absent de <STRUCTURES_ELEVE>")
                    })?;
                    structs_of = Some((key, PupilStructs::default()));
                } else if xs.ends(&["STRUCTURES_ELEVE", "STRUCTURE"]) {
                    one = (None, None);
                }
            }
            XEvent::End => {
                if parametres(&xs, &mut meta)? {
                    continue;
                }
                if let Some(p) = pupil.as_mut() {
                    if xs.ends(&["ELEVES", "ELEVE"]) {
                        if let Some(mut p) = pupil.take() {
                            p.last_name = if usage_name.is_empty() {
                                family_name.clone()
                            } else {
                                usage_name.clone()
                            };
                            if p.last_name.is_empty() {
                                return Err(xs.error(format!(
                                    "nom absent (NOM_DE_FAMILLE vide) pour l'élève {}",
                                    p.key
                                )));
                            }
                            if held.index.contains_key(&p.key) {
                                return Err(xs.error(format!("ELEVE_ID {} en double", p.key)));
                            }
                            if let Some(s) = waiting.remove(&p.key) {
                                p.class = s.class;
                                p.groups = s.groups;
                                out.emit(Record::Pupil(p))?;
                            } else {
                                held.index.insert(p.key.clone(), held.order.len());
                                held.order.push(Some(p));
                            }
                        }
                        continue;
                    }
                    if parent(&xs) == "ELEVE" {
                        let text = xs.text();
                        match xs.name() {
                            "ID_NATIONAL" => p.ine = non_empty(text),
                            "NOM_DE_FAMILLE" => family_name = text.to_string(),
                            "NOM_USAGE" => usage_name = text.to_string(),
                            "PRENOM" => p.first_name = text.to_string(),
                            "DATE_NAISS" if !text.is_empty() => {
                                p.birth_date = Some(parse_date(text).ok_or_else(|| {
                                    xs.error(format!("date de naissance illisible : « {text} »"))
                                })?)
                            }
                            "CODE_MEF" => p.mef = non_empty(text),
                            "DATE_SORTIE" if !text.is_empty() => {
                                p.left_on = Some(parse_date(text).ok_or_else(|| {
                                    xs.error(format!("date de sortie illisible : « {text} »"))
                                })?)
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                if let Some((_, s)) = structs_of.as_mut() {
                    if xs.ends(&["STRUCTURES_ELEVE", "STRUCTURE"]) {
                        let (code, kind) = std::mem::take(&mut one);
                        let code = code.ok_or_else(|| xs.error("CODE_STRUCTURE absent"))?;
                        match kind.as_deref() {
                            Some("D") => {
                                emit_structure(out, &mut seen, StructureKind::Division, &code)?;
                                if s.class.is_none() {
                                    s.class = Some(code);
                                } else {
                                    push_unique(&mut s.groups, &code);
                                }
                            }
                            Some("G") => {
                                emit_structure(out, &mut seen, StructureKind::Group, &code)?;
                                push_unique(&mut s.groups, &code);
                            }
                            other => {
                                return Err(xs.error(format!(
                                    "TYPE_STRUCTURE inconnu : « {} » (D ou G attendu)",
                                    other.unwrap_or("")
                                )));
                            }
                        }
                    } else if parent(&xs) == "STRUCTURE" {
                        match xs.name() {
                            "CODE_STRUCTURE" => one.0 = non_empty(xs.text()),
                            "TYPE_STRUCTURE" => one.1 = non_empty(xs.text()),
                            _ => {}
                        }
                    } else if xs.ends(&["STRUCTURES", "STRUCTURES_ELEVE"])
                        && let Some((key, s)) = structs_of.take()
                    {
                        {
                            match held.index.remove(&key) {
                                Some(i) => {
                                    if let Some(mut p) = held.order[i].take() {
                                        p.class = s.class;
                                        p.groups = s.groups;
                                        out.emit(Record::Pupil(p))?;
                                    }
                                }
                                None => {
                                    waiting.insert(key, s);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    for p in held.order.into_iter().flatten() {
        out.emit(Record::Pupil(p))?;
    }
    if !waiting.is_empty() {
        meta.warnings.push(format!(
            "{} groupe(s) de structures désignent des élèves absents du fichier (ELEVE_ID inconnu)",
            waiting.len()
        ));
    }
    finish(&mut xs, &mut meta);
    Ok(meta)
}

struct NomB {
    kind: NomenclatureKind,
    code: Option<String>,
    short: Option<String>,
    long: Option<String>,
    edition: Option<String>,
}

fn set_first(slot: &mut Option<String>, text: &str) {
    if slot.is_none() {
        *slot = non_empty(text);
    }
}

/// `Nomenclature.xml`: `DONNEES/MEFS/MEF` (`@CODE_MEF`) and
/// `DONNEES/MATIERES/MATIERE` (`@CODE_MATIERE`); the code may also be a
/// child element of the same name, or a `CODE` attribute.
pub(crate) fn parse_nomenclature<R: BufRead>(
    reader: R,
    limits: &Limits,
    out: &mut Emitter<'_>,
) -> Result<FileMeta, ParseError> {
    let mut xs = XmlStream::new(reader, limits)?;
    let mut meta = FileMeta::default();
    let mut nom: Option<NomB> = None;
    loop {
        match xs.next()? {
            XEvent::Eof => break,
            XEvent::Start => {
                if xs.path().len() == 1
                    && !matches!(xs.name(), "BEE_NOMENCLATURES" | "BEE_NOMENCLATURE")
                {
                    return Err(xs.error(format!(
                        "ce n'est pas un fichier BEE_NOMENCLATURES (élément racine <{}>)",
                        xs.name()
                    )));
                }
                let kind = if xs.ends(&["MEFS", "MEF"]) {
                    Some((NomenclatureKind::Mef, "CODE_MEF"))
                } else if xs.ends(&["MATIERES", "MATIERE"]) {
                    Some((NomenclatureKind::Subject, "CODE_MATIERE"))
                } else {
                    None
                };
                if let Some((kind, attr)) = kind {
                    nom = Some(NomB {
                        kind,
                        code: xs
                            .attr(attr)
                            .or_else(|| xs.attr("CODE"))
                            .and_then(non_empty),
                        short: None,
                        long: None,
                        edition: None,
                    });
                }
            }
            XEvent::End => {
                if parametres(&xs, &mut meta)? {
                    continue;
                }
                let Some(nb) = nom.as_mut() else { continue };
                if xs.ends(&["MEFS", "MEF"]) || xs.ends(&["MATIERES", "MATIERE"]) {
                    if let Some(nb) = nom.take() {
                        let code = nb
                            .code
                            .ok_or_else(|| xs.error(format!("code absent de <{}>", xs.name())))?;
                        let label = nb
                            .edition
                            .or(nb.long)
                            .or_else(|| nb.short.clone())
                            .unwrap_or_else(|| code.clone());
                        out.emit(Record::Nomenclature(NomenclatureRec {
                            kind: nb.kind,
                            code,
                            short_label: nb.short,
                            label,
                        }))?;
                    }
                    continue;
                }
                if matches!(parent(&xs), "MEF" | "MATIERE") {
                    let text = xs.text();
                    match xs.name() {
                        "CODE_MEF" | "CODE_MATIERE" => set_first(&mut nb.code, text),
                        "LIBELLE_COURT" | "FORMATION" => set_first(&mut nb.short, text),
                        "LIBELLE_LONG" => set_first(&mut nb.long, text),
                        "LIBELLE_EDITION" => set_first(&mut nb.edition, text),
                        _ => {}
                    }
                }
            }
        }
    }
    finish(&mut xs, &mut meta);
    Ok(meta)
}

/// `Structures.xml`: `DONNEES/DIVISIONS/DIVISION` and
/// `DONNEES/GROUPES/GROUPE`, code in `@CODE_STRUCTURE` (or a
/// `CODE_STRUCTURE` child, or `@CODE`); a division's MEFs in
/// `MEFS_APPARTENANCE/MEF_APPARTENANCE` (`@CODE`/`@CODE_MEF` or a `CODE_MEF`
/// child); a group's divisions in
/// `DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE` (likewise).
pub(crate) fn parse_structures<R: BufRead>(
    reader: R,
    limits: &Limits,
    out: &mut Emitter<'_>,
) -> Result<FileMeta, ParseError> {
    let mut xs = XmlStream::new(reader, limits)?;
    let mut meta = FileMeta::default();
    let mut st: Option<(StructureKind, Option<String>, StructureRec)> = None;
    loop {
        match xs.next()? {
            XEvent::Eof => break,
            XEvent::Start => {
                check_root(&xs, "BEE_STRUCTURES")?;
                let kind = if xs.ends(&["DIVISIONS", "DIVISION"]) {
                    Some(StructureKind::Division)
                } else if xs.ends(&["GROUPES", "GROUPE"]) {
                    Some(StructureKind::Group)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    let code = xs
                        .attr("CODE_STRUCTURE")
                        .or_else(|| xs.attr("CODE"))
                        .and_then(non_empty);
                    st = Some((
                        kind,
                        code,
                        StructureRec {
                            kind,
                            code: String::new(),
                            label: None,
                            mefs: Vec::new(),
                            divisions: Vec::new(),
                            school_source_id: None,
                        },
                    ));
                } else if let Some((_, _, s)) = st.as_mut() {
                    let code = xs
                        .attr("CODE")
                        .or_else(|| xs.attr("CODE_MEF"))
                        .or_else(|| xs.attr("CODE_STRUCTURE"));
                    if let Some(c) = code {
                        if xs.ends(&["MEFS_APPARTENANCE", "MEF_APPARTENANCE"]) {
                            push_unique(&mut s.mefs, c);
                        } else if xs.ends(&["DIVISIONS_APPARTENANCE", "DIVISION_APPARTENANCE"]) {
                            push_unique(&mut s.divisions, c);
                        }
                    }
                }
            }
            XEvent::End => {
                if parametres(&xs, &mut meta)? {
                    continue;
                }
                let Some((_, code, s)) = st.as_mut() else {
                    continue;
                };
                if xs.ends(&["DIVISIONS", "DIVISION"]) || xs.ends(&["GROUPES", "GROUPE"]) {
                    if let Some((_, code, mut s)) = st.take() {
                        s.code = code.ok_or_else(|| {
                            xs.error(format!("CODE_STRUCTURE absent de <{}>", xs.name()))
                        })?;
                        out.emit(Record::Structure(s))?;
                    }
                    continue;
                }
                let text = xs.text();
                match (parent(&xs), xs.name()) {
                    ("DIVISION" | "GROUPE", "CODE_STRUCTURE") => set_first(code, text),
                    ("DIVISION" | "GROUPE", "LIBELLE_LONG") => set_first(&mut s.label, text),
                    ("MEF_APPARTENANCE", "CODE_MEF") => push_unique(&mut s.mefs, text),
                    ("DIVISION_APPARTENANCE", "CODE_STRUCTURE") => {
                        push_unique(&mut s.divisions, text)
                    }
                    _ => {}
                }
            }
        }
    }
    finish(&mut xs, &mut meta);
    Ok(meta)
}
