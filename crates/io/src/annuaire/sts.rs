//! STS-web `STS_EDT` export (`sts_emp_<UAI>_<year>.xml`).
//!
//! Layout (see the fixture): `PARAMETRES` (the school `UAJ/@CODE` and its
//! names, `ANNEE_SCOLAIRE/@ANNEE`), `NOMENCLATURES` (`TYPES_AHE` missions,
//! `CIVILITES`, `MATIERES`, `MEFS`, `FONCTIONS` when present…), then
//! `DONNEES`: `INDIVIDUS/INDIVIDU` (staff), `STRUCTURE/DIVISIONS` and
//! `STRUCTURE/GROUPES` — each structure lists its `SERVICES/SERVICE`, each
//! service its `ENSEIGNANTS/ENSEIGNANT/@ID` — and `SUPPLEANTS/SUPPLEANT`
//! (substitutes, read as staff too).
//!
//! Services come after the people, so staff records are held until the end
//! of the file and emitted with the structures they teach. This is bounded
//! by the school's staff (a few hundred), not by the file size; everything
//! else is emitted as it is read.

use std::collections::HashMap;
use std::io::BufRead;

use super::xml::{XEvent, XmlStream};
use super::{
    Emitter, FileMeta, Limits, NomenclatureKind, NomenclatureRec, ParseError, Record, SchoolRec,
    StaffRec, StructureKind, StructureRec, non_empty, parse_date, push_unique,
};

struct NomB {
    kind: NomenclatureKind,
    elem: &'static str,
    code: String,
    short: Option<String>,
    long: Option<String>,
    edition: Option<String>,
}

#[derive(Default)]
struct SchoolB {
    uai: String,
    princ: Option<String>,
    compl: Option<String>,
    city: Option<String>,
    kind: Option<String>,
}

fn parent<R: BufRead>(xs: &XmlStream<R>) -> &str {
    let p = xs.path();
    if p.len() >= 2 { &p[p.len() - 2] } else { "" }
}

fn set_first(slot: &mut Option<String>, text: &str) {
    if slot.is_none() {
        *slot = non_empty(text);
    }
}

/// Elements of an `INDIVIDU` that may carry the mission codes of the
/// person's hours. The sample has none; real exports put the
/// `TYPE_AHE` code either as an attribute (`<AHE CODE="9162">`,
/// `<HEURES_AHE TYPE_AHE="9162">`) or as a child (`<CODE_TYPE_AHE>9162`).
/// Any element whose name contains `AHE` is read that way.
fn mission_attr<R: BufRead>(xs: &XmlStream<R>) -> Option<String> {
    if !xs.name().contains("AHE") {
        return None;
    }
    ["CODE", "TYPE_AHE", "CODE_TYPE_AHE", "CODE_AHE"]
        .iter()
        .find_map(|a| xs.attr(a))
        .and_then(non_empty)
}

pub(crate) fn parse<R: BufRead>(
    reader: R,
    limits: &Limits,
    out: &mut Emitter<'_>,
) -> Result<FileMeta, ParseError> {
    let mut xs = XmlStream::new(reader, limits)?;
    let mut meta = FileMeta::default();
    let mut school: Option<SchoolB> = None;
    let mut nom: Option<NomB> = None;
    let mut civ_code: Option<String> = None;
    let mut civilities: HashMap<String, String> = HashMap::new();
    let mut person: Option<StaffRec> = None;
    let mut staff: Vec<StaffRec> = Vec::new();
    let mut structure: Option<StructureRec> = None;
    let mut taught: HashMap<String, Vec<String>> = HashMap::new();
    let mut root_checked = false;

    loop {
        match xs.next()? {
            XEvent::Eof => break,
            XEvent::Start => {
                if !root_checked {
                    root_checked = true;
                    if xs.name() != "STS_EDT" {
                        return Err(xs.error(format!(
                            "ce n'est pas un export STS-web (élément racine <{}> au lieu de <STS_EDT>)",
                            xs.name()
                        )));
                    }
                }
                let in_nom = xs.within("NOMENCLATURES");
                if xs.ends(&["PARAMETRES", "UAJ"]) {
                    let uai = xs.attr("CODE").and_then(non_empty).unwrap_or_default();
                    meta.uai = non_empty(&uai);
                    school = Some(SchoolB {
                        uai,
                        ..SchoolB::default()
                    });
                } else if xs.ends(&["PARAMETRES", "ANNEE_SCOLAIRE"]) {
                    if let Some(a) = xs.attr("ANNEE") {
                        meta.school_year = Some(a.trim().parse().map_err(|_| {
                            xs.error(format!("année scolaire illisible : « {a} »"))
                        })?);
                    }
                } else if in_nom && person.is_none() {
                    let entry = if xs.ends(&["TYPES_AHE", "TYPE_AHE"]) {
                        Some((NomenclatureKind::Mission, "TYPE_AHE"))
                    } else if xs.ends(&["MATIERES", "MATIERE"]) {
                        Some((NomenclatureKind::Subject, "MATIERE"))
                    } else if xs.ends(&["MEFS", "MEF"]) {
                        Some((NomenclatureKind::Mef, "MEF"))
                    } else if xs.ends(&["FONCTIONS", "FONCTION"]) {
                        Some((NomenclatureKind::Function, "FONCTION"))
                    } else {
                        None
                    };
                    if let Some((kind, elem)) = entry {
                        let code = xs
                            .attr("CODE")
                            .and_then(non_empty)
                            .ok_or_else(|| xs.error(format!("attribut CODE absent de <{elem}>")))?;
                        nom = Some(NomB {
                            kind,
                            elem,
                            code,
                            short: None,
                            long: None,
                            edition: None,
                        });
                    } else if xs.ends(&["CIVILITES", "CIVILITE"]) {
                        civ_code = xs.attr("CODE").and_then(non_empty);
                    }
                } else if xs.ends(&["INDIVIDUS", "INDIVIDU"])
                    || xs.ends(&["SUPPLEANTS", "SUPPLEANT"])
                {
                    let key = xs.attr("ID").and_then(non_empty).ok_or_else(|| {
                        xs.error(format!("attribut ID absent de <{}>", xs.name()))
                    })?;
                    person = Some(StaffRec {
                        key,
                        civility: None,
                        last_name: String::new(),
                        first_name: String::new(),
                        birth_date: None,
                        email: None,
                        functions: Vec::new(),
                        disciplines: Vec::new(),
                        missions: Vec::new(),
                        structures: Vec::new(),
                        school_source_ids: Vec::new(),
                    });
                } else if let Some(p) = person.as_mut() {
                    if xs.ends(&["DISCIPLINES", "DISCIPLINE"]) {
                        if let Some(c) = xs.attr("CODE") {
                            push_unique(&mut p.disciplines, c);
                        }
                    } else if let Some(m) = mission_attr(&xs) {
                        push_unique(&mut p.missions, &m);
                    }
                } else if xs.within("STRUCTURE") && xs.within("DONNEES") {
                    let kind = if xs.ends(&["DIVISIONS", "DIVISION"]) {
                        Some(StructureKind::Division)
                    } else if xs.ends(&["GROUPES", "GROUPE"]) {
                        Some(StructureKind::Group)
                    } else {
                        None
                    };
                    if let Some(kind) = kind {
                        let code = xs.attr("CODE").and_then(non_empty).ok_or_else(|| {
                            xs.error(format!("attribut CODE absent de <{}>", xs.name()))
                        })?;
                        structure = Some(StructureRec {
                            kind,
                            code,
                            label: None,
                            mefs: Vec::new(),
                            divisions: Vec::new(),
                            school_source_id: None,
                        });
                    } else if let Some(s) = structure.as_mut() {
                        if xs.ends(&["MEFS_APPARTENANCE", "MEF_APPARTENANCE"]) {
                            if let Some(c) = xs.attr("CODE") {
                                push_unique(&mut s.mefs, c);
                            }
                        } else if xs.ends(&["DIVISIONS_APPARTENANCE", "DIVISION_APPARTENANCE"]) {
                            if let Some(c) = xs.attr("CODE") {
                                push_unique(&mut s.divisions, c);
                            }
                        } else if xs.ends(&["ENSEIGNANTS", "ENSEIGNANT"])
                            && let Some(id) = xs.attr("ID").and_then(non_empty)
                        {
                            push_unique(taught.entry(id).or_default(), &s.code);
                        }
                    }
                }
            }
            XEvent::End => {
                let name = xs.name().to_string();
                if let Some(sb) = school.as_mut() {
                    if xs.ends(&["PARAMETRES", "UAJ"]) {
                        let sb = std::mem::take(sb);
                        school = None;
                        let name = match (sb.princ, sb.compl) {
                            (Some(p), Some(c)) => format!("{p} {c}"),
                            (Some(p), None) => p,
                            (None, Some(c)) => c,
                            (None, None) => String::new(),
                        };
                        out.emit(Record::School(SchoolRec {
                            uai: sb.uai,
                            name,
                            source_id: None,
                            city: sb.city,
                            kind: sb.kind,
                        }))?;
                        continue;
                    }
                    if parent(&xs) == "UAJ" {
                        match name.as_str() {
                            "DENOM_PRINC" => set_first(&mut sb.princ, xs.text()),
                            "DENOM_COMPL" => set_first(&mut sb.compl, xs.text()),
                            "COMMUNE" => set_first(&mut sb.city, xs.text()),
                            "CODE_CATEGORIE" => set_first(&mut sb.kind, xs.text()),
                            _ => {}
                        }
                    }
                    continue;
                }
                if xs.ends(&["PARAMETRES", "DATE_EXPORT"]) || xs.ends(&["PARAMETRES", "HORODATAGE"])
                {
                    meta.exported_on = parse_date(xs.text());
                    continue;
                }
                if let Some(nb) = nom.as_mut() {
                    if name == nb.elem {
                        if let Some(nb) = nom.take() {
                            let label = nb
                                .edition
                                .or(nb.long)
                                .or_else(|| nb.short.clone())
                                .unwrap_or_else(|| nb.code.clone());
                            out.emit(Record::Nomenclature(NomenclatureRec {
                                kind: nb.kind,
                                code: nb.code,
                                short_label: nb.short,
                                label,
                            }))?;
                        }
                        continue;
                    }
                    if parent(&xs) == nb.elem {
                        match name.as_str() {
                            "LIBELLE_COURT" => set_first(&mut nb.short, xs.text()),
                            "LIBELLE_LONG" => set_first(&mut nb.long, xs.text()),
                            "LIBELLE_EDITION" => set_first(&mut nb.edition, xs.text()),
                            "FORMATION" if nb.kind == NomenclatureKind::Mef => {
                                set_first(&mut nb.short, xs.text())
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
                if let Some(code) = civ_code.as_ref() {
                    if xs.ends(&["CIVILITE", "LIBELLE_LONG"]) {
                        civilities.insert(code.clone(), xs.text().to_string());
                    } else if xs.ends(&["CIVILITES", "CIVILITE"]) {
                        civ_code = None;
                    }
                    continue;
                }
                if let Some(p) = person.as_mut() {
                    if xs.ends(&["INDIVIDUS", "INDIVIDU"]) || xs.ends(&["SUPPLEANTS", "SUPPLEANT"])
                    {
                        if let Some(mut p) = person.take() {
                            if p.last_name.is_empty() {
                                return Err(xs.error(format!(
                                    "nom absent (NOM_USAGE et NOM_PATRONYMIQUE vides) pour la personne {}",
                                    p.key
                                )));
                            }
                            p.civility =
                                p.civility.map(|c| civilities.get(&c).cloned().unwrap_or(c));
                            staff.push(p);
                        }
                        continue;
                    }
                    let direct = matches!(parent(&xs), "INDIVIDU" | "SUPPLEANT");
                    let text = xs.text();
                    match name.as_str() {
                        "CIVILITE" if direct => p.civility = non_empty(text),
                        "NOM_USAGE" if direct && !text.is_empty() => p.last_name = text.to_string(),
                        "NOM_PATRONYMIQUE" if direct && p.last_name.is_empty() => {
                            p.last_name = text.to_string()
                        }
                        "PRENOM" if direct => p.first_name = text.to_string(),
                        "DATE_NAISSANCE" if direct && !text.is_empty() => {
                            p.birth_date = Some(parse_date(text).ok_or_else(|| {
                                xs.error(format!("date de naissance illisible : « {text} »"))
                            })?)
                        }
                        "FONCTION" if direct => push_unique(&mut p.functions, text),
                        "MEL" | "MAIL" | "COURRIEL" if direct => p.email = non_empty(text),
                        "CODE_TYPE_AHE" | "TYPE_AHE" | "CODE_AHE" => {
                            push_unique(&mut p.missions, text)
                        }
                        _ => {}
                    }
                    continue;
                }
                if let Some(s) = structure.as_mut() {
                    if xs.ends(&["DIVISIONS", "DIVISION"]) || xs.ends(&["GROUPES", "GROUPE"]) {
                        if let Some(s) = structure.take() {
                            out.emit(Record::Structure(s))?;
                        }
                    } else if name == "LIBELLE_LONG" && matches!(parent(&xs), "DIVISION" | "GROUPE")
                    {
                        s.label = non_empty(xs.text());
                    }
                }
            }
        }
    }
    // The services are all read: the staff now know what they teach.
    for mut p in staff {
        if let Some(codes) = taught.remove(&p.key) {
            p.structures = codes;
        }
        out.emit(Record::Staff(p))?;
    }
    meta.encoding = xs.encoding.clone();
    meta.warnings = std::mem::take(&mut xs.warnings);
    Ok(meta)
}
