//! Directory importers: STS-web, SIECLE/BEE, AAF and ONDE/BE1D, streaming.
//!
//! [`detect`] recognises a file, [`parse`] reads it once, streaming, and
//! hands each [`Record`] to a sink. Memory stays bounded whatever the file
//! size, except where a format puts related data far apart (documented in
//! each parser: STS staff wait for the services, SIECLE pupils for their
//! structures).

pub mod model;

mod aaf;
mod onde;
mod siecle;
mod sts;
mod xml;

pub use model::*;
pub use onde::{guardian_link_key, link_key_of_pupil, normalise_name};

use chrono::NaiveDate;
use std::io::BufRead;

/// Limits against hostile files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting accepted (64).
    pub max_depth: usize,
    /// Most bytes read from one file (4 GiB).
    pub max_bytes: u64,
    /// Longest value (text, attribute, CSV field) in bytes (64 KiB).
    pub max_value_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_bytes: 4 * 1024 * 1024 * 1024,
            max_value_len: 64 * 1024,
        }
    }
}

pub(crate) fn perr(
    line: Option<u64>,
    element: Option<String>,
    message: impl Into<String>,
) -> ParseError {
    ParseError {
        line,
        element,
        message: message.into(),
    }
}

/// Recognises a file from its name and its first bytes (≥ 4 KiB or the
/// whole file if shorter).
pub fn detect(file_name: &str, head: &[u8]) -> Result<FileKind, ParseError> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    let body = head.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(head);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(perr(
            None,
            None,
            format!(
                "« {file_name} » est vide : l'export a sans doute échoué ou le fichier a été \
                 tronqué pendant sa copie ; exportez-le à nouveau"
            ),
        ));
    }
    if let Some(root) = xml_root(body) {
        return match root.as_str() {
            "STS_EDT" => Ok(FileKind::StsEmp),
            "BEE_ELEVES" => Ok(FileKind::SiecleEleves),
            "BEE_NOMENCLATURES" | "BEE_NOMENCLATURE" => Ok(FileKind::SiecleNomenclature),
            "BEE_STRUCTURES" => Ok(FileKind::SiecleStructures),
            "ficAlimMENESR" => aaf_kind(&base, body).ok_or_else(|| {
                perr(
                    None,
                    None,
                    "fichier AAF dont le type (Eleve, PersEducNat, PersRelEleve, EtabEducNat, MatiereEducNat, MefEducNat) n'est ni dans le nom ni dans le contenu",
                )
            }),
            other => Err(perr(
                None,
                Some(other.to_string()),
                format!("format XML non reconnu (élément racine <{other}>)"),
            )),
        };
    }
    // CSV: look at the header line, decoded leniently (only to recognise it).
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or(body);
    let header: String = match std::str::from_utf8(first_line) {
        Ok(s) => s.to_string(),
        Err(_) => first_line.iter().map(|&b| b as char).collect(),
    };
    let h = normalise_name(&header);
    if h.contains("PRENOM ELEVE") || (base.contains("eleves") && base.ends_with(".csv")) {
        return Ok(FileKind::OndeEleves);
    }
    if h.contains("RESPONSABLE") || (base.contains("responsables") && base.ends_with(".csv")) {
        return Ok(FileKind::OndeResponsables);
    }
    if h.contains("DIRECTEUR") || (base.contains("enseignants") && base.ends_with(".csv")) {
        return Ok(FileKind::OndeEnseignants);
    }
    Err(perr(
        None,
        None,
        format!(
            "« {file_name} » n'est pas un export d'annuaire reconnu : attendu un fichier STS-web \
             (sts_emp_UAI_année.xml), SIECLE/BEE (ElevesSansAdresses.xml, Nomenclature.xml, \
             Structures.xml), AAF (ficAlimMENESR) ou une extraction CSV ONDE (élèves, enseignants, \
             responsables)"
        ),
    ))
}

/// The first element name of an XML document, skipping the prolog,
/// comments and the DOCTYPE.
fn xml_root(body: &[u8]) -> Option<String> {
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'<' => {
                let rest = &body[i..];
                if rest.starts_with(b"<?") {
                    i += rest.windows(2).position(|w| w == b"?>")? + 2;
                } else if rest.starts_with(b"<!--") {
                    i += rest.windows(3).position(|w| w == b"-->")? + 3;
                } else if rest.starts_with(b"<!") {
                    // DOCTYPE, possibly with an internal subset.
                    let mut depth = 0i32;
                    let mut j = 0;
                    loop {
                        match *rest.get(j)? {
                            b'[' => depth += 1,
                            b']' => depth -= 1,
                            b'>' if depth <= 0 => break,
                            _ => {}
                        }
                        j += 1;
                    }
                    i += j + 1;
                } else {
                    let name: String = rest[1..]
                        .iter()
                        .take_while(|&&b| {
                            b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b':'
                        })
                        .map(|&b| b as char)
                        .collect();
                    return if name.is_empty() { None } else { Some(name) };
                }
            }
            _ => return None,
        }
    }
    None
}

fn aaf_kind(base: &str, body: &[u8]) -> Option<FileKind> {
    // The file name names the kind: ..._Complet_20130117_Eleve_0001.xml
    let parts: Vec<&str> = base.split(['_', '.']).collect();
    for p in &parts {
        let k = match *p {
            "etabeducnat" => Some(FileKind::AafEtabEducNat),
            "perseducnat" => Some(FileKind::AafPersEducNat),
            "eleve" => Some(FileKind::AafEleve),
            "persreleleve" => Some(FileKind::AafPersRelEleve),
            "matiereeducnat" => Some(FileKind::AafMatiereEducNat),
            "mefeducnat" => Some(FileKind::AafMefEducNat),
            _ => None,
        };
        if k.is_some() {
            return k;
        }
    }
    // Otherwise the first category in the content.
    let text = String::from_utf8_lossy(body);
    for (needle, kind) in [
        ("<value>EtabEducNat<", FileKind::AafEtabEducNat),
        ("<value>PersEducNat<", FileKind::AafPersEducNat),
        ("<value>Enseignant<", FileKind::AafPersEducNat),
        ("<value>Non enseignant<", FileKind::AafPersEducNat),
        ("<value>PersRelEleve<", FileKind::AafPersRelEleve),
        ("<value>Eleve<", FileKind::AafEleve),
        ("categorieMatiere", FileKind::AafMatiereEducNat),
        ("categorieMef", FileKind::AafMefEducNat),
    ] {
        if text.contains(needle) {
            return Some(kind);
        }
    }
    None
}

/// Reads one file, streaming, constant memory; hands each record to `sink`;
/// returns what the file says about itself. A sink error stops the parse
/// and is returned as is.
///
/// AAF files do not carry their date inside: the caller sets
/// `exported_on` from [`date_from_file_name`].
pub fn parse<R: BufRead>(
    kind: FileKind,
    reader: R,
    limits: &Limits,
    sink: &mut dyn FnMut(Record) -> Result<(), ParseError>,
) -> Result<FileMeta, ParseError> {
    let mut out = Emitter { sink, count: 0 };
    let mut meta = match kind {
        FileKind::StsEmp => sts::parse(reader, limits, &mut out)?,
        FileKind::SiecleEleves => siecle::parse_eleves(reader, limits, &mut out)?,
        FileKind::SiecleNomenclature => siecle::parse_nomenclature(reader, limits, &mut out)?,
        FileKind::SiecleStructures => siecle::parse_structures(reader, limits, &mut out)?,
        FileKind::AafEtabEducNat
        | FileKind::AafPersEducNat
        | FileKind::AafEleve
        | FileKind::AafPersRelEleve
        | FileKind::AafMatiereEducNat
        | FileKind::AafMefEducNat => aaf::parse(kind, reader, limits, &mut out)?,
        FileKind::OndeEleves | FileKind::OndeEnseignants | FileKind::OndeResponsables => {
            onde::parse(kind, reader, limits, &mut out)?
        }
    };
    meta.records = out.count;
    Ok(meta)
}

/// AAF file names carry their export date:
/// `..._Complet_20130117_Eleve_0001.xml` → 2013-01-17.
pub fn date_from_file_name(file_name: &str) -> Option<NaiveDate> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.split(['_', '.', '-'])
        .filter(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()))
        .find_map(|p| NaiveDate::parse_from_str(p, "%Y%m%d").ok())
}

/// Hands records to the sink and counts them.
pub(crate) struct Emitter<'a> {
    sink: &'a mut dyn FnMut(Record) -> Result<(), ParseError>,
    count: u64,
}

impl Emitter<'_> {
    pub(crate) fn emit(&mut self, record: Record) -> Result<(), ParseError> {
        self.count += 1;
        (self.sink)(record)
    }
}

/// Dates as the exports write them: `31/12/1994`, `1955-04-16`, optionally
/// followed by a time (`17/01/2013 10:12:00`, `2013-01-17T10:12:00`).
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let d = s.trim().split([' ', 'T']).next().unwrap_or("");
    NaiveDate::parse_from_str(d, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
        .ok()
}

/// `Some(s)` unless blank.
pub(crate) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}

/// Pushes unless already there (keeps the file's order).
pub(crate) fn push_unique(v: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}
