//! ONDE / BE1D CSV extractions of a primary school:
//! `CSVExtraction-eleves.csv`, `CSVExtraction-enseignants.csv`,
//! `CSVExtraction-responsables.csv`. `;`-separated, quoted or not, in
//! ISO-8859-1 / windows-1252 as ONDE writes them (UTF-8 when the file starts
//! with a BOM). Columns are found by their header, compared without accents,
//! case or punctuation.
//!
//! ONDE gives no identifiers, so keys are built from names:
//! - pupil: `NOM|PRÉNOM|AAAA-MM-JJ` (name in use, first name, birth date),
//!   names normalised by [`normalise_name`];
//! - teacher: `NOM|PRÉNOM`;
//! - guardian: `NOM|PRÉNOM|enfant=NOM|PRÉNOM` with the first child listed
//!   on the row (two different guardians with the same name exist in real
//!   files; their first child tells them apart);
//! - the responsables file names each child by name and class, not birth
//!   date, so a guardian's links cannot carry the pupil key. They carry a
//!   *link key* `NOM|PRÉNOM|classe=CLASSE` ([`guardian_link_key`]); the pupil
//!   they designate is the pupil of the school whose
//!   [`link_key_of_pupil`] is equal (two pupils with the same names in the
//!   same class cannot be told apart: the importer should then warn).

use std::collections::HashSet;
use std::io::{BufRead, Read};

use super::model::io_error_fr;
use super::xml::Counting;
use super::{
    Emitter, FileKind, FileMeta, GuardianRec, Limits, ParseError, PupilLink, PupilRec, Record,
    StaffRec, StructureKind, StructureRec, non_empty, parse_date, perr,
};

/// Upper case, accents removed (`é` → `E`, `œ` → `OE`), anything but
/// letters and digits turned into single spaces.
pub fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let folded: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                "A"
            }
            'ç' | 'Ç' => "C",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "E",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "I",
            'ñ' | 'Ñ' => "N",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                "O"
            }
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "Y",
            'œ' | 'Œ' => "OE",
            'æ' | 'Æ' => "AE",
            'ß' => "SS",
            _ => "",
        };
        if !folded.is_empty() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(folded);
        } else if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_uppercase());
        } else {
            space = true;
        }
    }
    out
}

fn pupil_key(last: &str, first: &str, birth: Option<chrono::NaiveDate>) -> String {
    format!(
        "{}|{}|{}",
        normalise_name(last),
        normalise_name(first),
        birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    )
}

/// The key by which an ONDE guardian designates a child:
/// `NOM|PRÉNOM|classe=CLASSE`.
pub fn guardian_link_key(last: &str, first: &str, class: &str) -> String {
    format!(
        "{}|{}|classe={}",
        normalise_name(last),
        normalise_name(first),
        class.trim()
    )
}

/// The link key of an ONDE pupil (see [`guardian_link_key`]); `None`
/// without a class.
pub fn link_key_of_pupil(p: &PupilRec) -> Option<String> {
    p.class
        .as_deref()
        .map(|c| guardian_link_key(&p.last_name, &p.first_name, c))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dec {
    /// Only ASCII met so far.
    Undecided,
    Utf8,
    Latin,
}

struct Csv<R: Read> {
    rdr: csv::Reader<Counting<R>>,
    header: Vec<String>,
    raw_header: Vec<String>,
    dec: Dec,
    bom: bool,
    warnings: Vec<String>,
    limits: Limits,
    line: u64,
    record: csv::ByteRecord,
}

impl<R: Read> Csv<R> {
    fn decode(&mut self, bytes: &[u8], col: &str) -> Result<String, ParseError> {
        if bytes.len() > self.limits.max_value_len {
            return Err(perr(
                Some(self.line),
                Some(col.to_string()),
                format!(
                    "valeur trop longue (plus de {} octets)",
                    self.limits.max_value_len
                ),
            ));
        }
        if bytes.is_ascii() {
            return Ok(String::from_utf8_lossy(bytes).into_owned());
        }
        if self.dec == Dec::Undecided {
            self.dec = if std::str::from_utf8(bytes).is_ok() {
                self.warnings.push(format!(
                    "fichier sans BOM mais en UTF-8 (ligne {}) : lu en UTF-8 et non en ISO-8859-1 comme ONDE l'écrit d'habitude",
                    self.line
                ));
                Dec::Utf8
            } else {
                Dec::Latin
            };
        }
        match self.dec {
            Dec::Utf8 => std::str::from_utf8(bytes).map(str::to_string).map_err(|_| {
                perr(
                    Some(self.line),
                    Some(col.to_string()),
                    "octets invalides en UTF-8 (encodage mélangé dans le fichier)",
                )
            }),
            _ => Ok(encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned()),
        }
    }

    fn encoding(&self) -> String {
        match self.dec {
            Dec::Utf8 => "UTF-8".into(),
            _ if self.bom => "UTF-8".into(),
            _ => "windows-1252".into(),
        }
    }

    fn csv_error(&self, e: &csv::Error) -> ParseError {
        let over = self.rdr.get_ref().tripped();
        let line = Some(self.line);
        match over {
            Some(_) => perr(
                line,
                None,
                format!(
                    "fichier trop volumineux ou ligne trop longue (limites : {} octets, {} octets par valeur)",
                    self.limits.max_bytes, self.limits.max_value_len
                ),
            ),
            None => {
                let why = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "texte illisible dans l'encodage du fichier",
                    csv::ErrorKind::UnequalLengths { .. } => {
                        "nombre de colonnes différent de celui de l'en-tête"
                    }
                    csv::ErrorKind::Io(_) => "lecture du fichier interrompue",
                    _ => "ligne mal formée (guillemets ou séparateurs)",
                };
                perr(
                    line,
                    None,
                    format!(
                        "CSV illisible : {why}. Exportez le fichier à nouveau depuis ONDE \
                         sans l'ouvrir dans un tableur"
                    ),
                )
            }
        }
    }

    /// Next row, checked against the header; `None` at the end.
    fn next_row(&mut self) -> Result<Option<Vec<String>>, ParseError> {
        self.rdr.get_mut().mark();
        let mut record = std::mem::take(&mut self.record);
        let more = self
            .rdr
            .read_byte_record(&mut record)
            .map_err(|e| self.csv_error(&e));
        let more = match more {
            Ok(m) => m,
            Err(e) => {
                self.record = record;
                return Err(e);
            }
        };
        if !more {
            self.record = record;
            return Ok(None);
        }
        // The line is counted from the bytes themselves: the csv reader's own
        // count is off with CRLF line ends.
        if let Some(p) = record.position() {
            let offset = p.byte() + if self.bom { 3 } else { 0 };
            self.line = self.rdr.get_mut().line_at(offset);
        }
        let expected = self.header.len();
        if record.len() != expected {
            let col = if record.len() < expected {
                format!("colonne « {} » absente", self.raw_header[record.len()])
            } else {
                format!("colonne {} en trop", expected + 1)
            };
            let message = format!(
                "{} colonnes au lieu de {} comme l'en-tête",
                record.len(),
                expected
            );
            self.record = record;
            return Err(perr(Some(self.line), Some(col), message));
        }
        let mut row = Vec::with_capacity(expected);
        for (i, field) in record.iter().enumerate() {
            let col = self.raw_header[i].clone();
            row.push(self.decode(field, &col)?.trim().to_string());
        }
        self.record = record;
        Ok(Some(row))
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn required(&self, names: &[(&str, &str)]) -> Result<Vec<usize>, ParseError> {
        names
            .iter()
            .map(|(norm, shown)| {
                self.col(norm).ok_or_else(|| {
                    perr(
                        Some(1),
                        Some((*shown).to_string()),
                        format!("colonne « {shown} » absente de l'en-tête"),
                    )
                })
            })
            .collect()
    }
}

fn open<R: BufRead>(reader: R, limits: &Limits) -> Result<Csv<R>, ParseError> {
    let max_chunk = (limits.max_value_len as u64)
        .saturating_mul(64)
        .saturating_add(64 * 1024);
    let mut counting = Counting::new(reader, limits.max_bytes, max_chunk);
    let bom = {
        let head = counting.fill_buf().map_err(|e| {
            perr(
                Some(1),
                None,
                format!("lecture impossible : {}", io_error_fr(&e)),
            )
        })?;
        head.starts_with(&[0xEF, 0xBB, 0xBF])
    };
    if bom {
        counting.consume(3);
    }
    counting.log_newlines();
    let rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(counting);
    let mut csv = Csv {
        rdr,
        header: Vec::new(),
        raw_header: Vec::new(),
        dec: if bom { Dec::Utf8 } else { Dec::Undecided },
        bom,
        warnings: Vec::new(),
        limits: limits.clone(),
        line: 1,
        record: csv::ByteRecord::new(),
    };
    let mut record = csv::ByteRecord::new();
    let more = csv
        .rdr
        .read_byte_record(&mut record)
        .map_err(|e| csv.csv_error(&e))?;
    if !more {
        return Err(perr(Some(1), None, "fichier vide : pas de ligne d'en-tête"));
    }
    for field in record.iter() {
        let h = csv.decode(field, "en-tête")?.trim().to_string();
        csv.header.push(normalise_name(&h));
        csv.raw_header.push(h);
    }
    Ok(csv)
}

fn meta_of<R: Read>(csv: &mut Csv<R>) -> FileMeta {
    FileMeta {
        encoding: csv.encoding(),
        warnings: std::mem::take(&mut csv.warnings),
        ..FileMeta::default()
    }
}

fn division(
    out: &mut Emitter<'_>,
    seen: &mut HashSet<String>,
    code: &str,
) -> Result<(), ParseError> {
    if !code.is_empty() && seen.insert(code.to_string()) {
        out.emit(Record::Structure(StructureRec {
            kind: StructureKind::Division,
            code: code.to_string(),
            label: None,
            mefs: Vec::new(),
            divisions: Vec::new(),
            school_source_id: None,
        }))?;
    }
    Ok(())
}

pub(crate) fn parse<R: BufRead>(
    kind: FileKind,
    reader: R,
    limits: &Limits,
    out: &mut Emitter<'_>,
) -> Result<FileMeta, ParseError> {
    let mut csv = open(reader, limits)?;
    let mut seen = HashSet::new();
    match kind {
        FileKind::OndeEleves => {
            let cols = csv.required(&[
                ("NOM ELEVE", "Nom Elève"),
                ("PRENOM ELEVE", "Prénom Elève"),
                ("DATE NAISSANCE", "Date naissance"),
                ("CLASSE", "Classe"),
            ])?;
            let usage = csv.col("NOM D USAGE ELEVE");
            while let Some(row) = csv.next_row()? {
                let family = &row[cols[0]];
                let last = usage
                    .map(|i| row[i].as_str())
                    .filter(|u| !u.is_empty())
                    .unwrap_or(family);
                if last.is_empty() {
                    return Err(perr(
                        Some(csv.line),
                        Some("Nom Elève".into()),
                        "nom de l'élève vide",
                    ));
                }
                let first = &row[cols[1]];
                let birth = if row[cols[2]].is_empty() {
                    None
                } else {
                    Some(parse_date(&row[cols[2]]).ok_or_else(|| {
                        perr(
                            Some(csv.line),
                            Some("Date naissance".into()),
                            format!("date de naissance illisible : « {} »", row[cols[2]]),
                        )
                    })?)
                };
                let class = non_empty(&row[cols[3]]);
                if let Some(c) = &class {
                    division(out, &mut seen, c)?;
                }
                out.emit(Record::Pupil(PupilRec {
                    key: pupil_key(last, first, birth),
                    ine: None,
                    last_name: last.to_string(),
                    first_name: first.to_string(),
                    birth_date: birth,
                    class,
                    groups: Vec::new(),
                    mef: None,
                    left_on: None,
                    school_source_id: None,
                    school_source_ids: Vec::new(),
                    guardians: Vec::new(),
                }))?;
            }
        }
        FileKind::OndeEnseignants => {
            let cols = csv.required(&[
                ("NOM", "Nom"),
                ("PRENOM", "Prénom"),
                ("DIRECTEUR", "Directeur"),
                ("CLASSE", "Classe"),
            ])?;
            let usage = csv.col("NOM USAGE");
            let civility = csv.col("CIVILITE");
            let mail = csv.col("COURRIEL");
            while let Some(row) = csv.next_row()? {
                let last = usage
                    .map(|i| row[i].as_str())
                    .filter(|u| !u.is_empty())
                    .unwrap_or(&row[cols[0]]);
                if last.is_empty() {
                    return Err(perr(Some(csv.line), Some("Nom".into()), "nom vide"));
                }
                let first = &row[cols[1]];
                // Every row is a teacher ("ENS"); "Directeur" = oui adds "DIR".
                let mut functions = vec!["ENS".to_string()];
                if normalise_name(&row[cols[2]]) == "OUI" {
                    functions.push("DIR".into());
                }
                let mut structures = Vec::new();
                if let Some(c) = non_empty(&row[cols[3]]) {
                    division(out, &mut seen, &c)?;
                    structures.push(c);
                }
                out.emit(Record::Staff(StaffRec {
                    key: format!("{}|{}", normalise_name(last), normalise_name(first)),
                    civility: civility.and_then(|i| non_empty(&row[i])),
                    last_name: last.to_string(),
                    first_name: first.to_string(),
                    birth_date: None,
                    email: mail.and_then(|i| non_empty(&row[i])),
                    functions,
                    disciplines: Vec::new(),
                    missions: Vec::new(),
                    structures,
                    school_source_ids: Vec::new(),
                }))?;
            }
        }
        FileKind::OndeResponsables => {
            let cols = csv.required(&[
                ("NOM RESPONSABLE", "Nom responsable"),
                ("PRENOM RESPONSABLE", "Prénom responsable"),
            ])?;
            let usage = csv.col("NOM USAGE RESPONSABLE");
            let civility = csv.col("CIVILITE RESPONSABLE");
            // Children come in groups of four columns: "Nom d'usage enfant",
            // "Nom de famille enfant", "Prénom enfant", "Classes enfants".
            let mut children: Vec<(Option<usize>, usize, usize, usize)> = Vec::new();
            for (i, h) in csv.header.iter().enumerate() {
                if h == "NOM DE FAMILLE ENFANT" {
                    let ok = csv.header.get(i + 1).map(String::as_str) == Some("PRENOM ENFANT")
                        && matches!(
                            csv.header.get(i + 2).map(String::as_str),
                            Some("CLASSES ENFANTS" | "CLASSE ENFANT" | "CLASSE ENFANTS")
                        );
                    if !ok {
                        return Err(perr(
                            Some(1),
                            Some(csv.raw_header[i].clone()),
                            "colonnes d'enfant incomplètes : « Prénom enfant » et « Classes enfants » doivent suivre « Nom de famille enfant »",
                        ));
                    }
                    let usage_col =
                        (i > 0 && csv.header[i - 1] == "NOM D USAGE ENFANT").then(|| i - 1);
                    children.push((usage_col, i, i + 1, i + 2));
                }
            }
            if children.is_empty() {
                return Err(perr(
                    Some(1),
                    Some("Nom de famille enfant".into()),
                    "colonne « Nom de famille enfant » absente de l'en-tête",
                ));
            }
            while let Some(row) = csv.next_row()? {
                let last = usage
                    .map(|i| row[i].as_str())
                    .filter(|u| !u.is_empty())
                    .unwrap_or(&row[cols[0]]);
                if last.is_empty() {
                    return Err(perr(
                        Some(csv.line),
                        Some("Nom responsable".into()),
                        "nom du responsable vide",
                    ));
                }
                let first = &row[cols[1]];
                let mut pupils: Vec<PupilLink> = Vec::new();
                let mut first_child: Option<String> = None;
                for &(u, f, p, c) in &children {
                    let child_last = u
                        .map(|i| row[i].as_str())
                        .filter(|s| !s.is_empty())
                        .unwrap_or(&row[f]);
                    let child_first = &row[p];
                    if child_last.is_empty() && child_first.is_empty() {
                        continue;
                    }
                    let class = &row[c];
                    if !class.is_empty() {
                        division(out, &mut seen, class)?;
                    }
                    if first_child.is_none() {
                        first_child = Some(format!(
                            "{}|{}",
                            normalise_name(child_last),
                            normalise_name(child_first)
                        ));
                    }
                    let key = guardian_link_key(child_last, child_first, class);
                    if !pupils.iter().any(|l| l.pupil_key == key) {
                        // ONDE's "responsables" are the legal representatives.
                        pupils.push(PupilLink {
                            pupil_key: key,
                            relation: None,
                            legal: true,
                        });
                    }
                }
                let mut key = format!("{}|{}", normalise_name(last), normalise_name(first));
                if let Some(c) = first_child {
                    key.push_str("|enfant=");
                    key.push_str(&c);
                }
                out.emit(Record::Guardian(GuardianRec {
                    key,
                    civility: civility.and_then(|i| non_empty(&row[i])),
                    last_name: last.to_string(),
                    first_name: first.to_string(),
                    pupils,
                }))?;
            }
        }
        _ => {
            return Err(perr(None, None, "type de fichier ONDE inattendu"));
        }
    }
    Ok(meta_of(&mut csv))
}
