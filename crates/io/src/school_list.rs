//! Lists of schools: `UAI;name;kind;sector;postcode;city`, one school per
//! line, no header (the lists of the académies' directories).

use crate::annuaire::ParseError;

/// One line of a school list, as written (validated by the service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRow {
    /// 1-based line in the file.
    pub line: u64,
    pub uai: String,
    pub name: String,
    pub kind: String,
    pub sector: String,
    pub postcode: String,
    pub city: String,
}

/// At most this many schools in one list.
pub const MAX_ROWS: usize = 20_000;

fn err(line: Option<u64>, element: Option<&str>, message: String) -> ParseError {
    ParseError {
        line,
        element: element.map(str::to_string),
        message,
    }
}

/// Reads a whole list. UTF-8 (with or without BOM) when the bytes are valid
/// UTF-8, windows-1252 otherwise; the encoding used is returned.
pub fn parse_school_list(bytes: &[u8]) -> Result<(Vec<SchoolRow>, &'static str), ParseError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), "UTF-8"),
        Err(_) => {
            let (t, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (t, "windows-1252")
        }
    };
    let mut rows = vec![];
    for (i, raw) in text.split('\n').enumerate() {
        let line = i as u64 + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        if raw.chars().any(|c| c.is_control() && c != '\t') {
            return Err(err(
                Some(line),
                None,
                "caractère de contrôle dans la ligne".into(),
            ));
        }
        let cols: Vec<&str> = raw.split(';').map(str::trim).collect();
        if cols.len() != 6 {
            return Err(err(
                Some(line),
                None,
                format!(
                    "{} colonnes au lieu de 6 (UAI;nom;type;secteur;code postal;commune)",
                    cols.len()
                ),
            ));
        }
        if rows.len() >= MAX_ROWS {
            return Err(err(
                Some(line),
                None,
                format!("plus de {MAX_ROWS} établissements dans la liste"),
            ));
        }
        rows.push(SchoolRow {
            line,
            uai: cols[0].to_string(),
            name: cols[1].to_string(),
            kind: cols[2].to_string(),
            sector: cols[3].to_string(),
            postcode: cols[4].to_string(),
            city: cols[5].to_string(),
        });
    }
    if rows.is_empty() {
        return Err(err(
            None,
            None,
            "la liste ne contient aucun établissement".into(),
        ));
    }
    Ok((rows, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_and_windows_1252_and_names_a_bad_line() {
        let (rows, enc) =
            parse_school_list("0450003J;Jean Moulin;college;public;45410;Artenay\r\n".as_bytes())
                .expect("list");
        assert_eq!(enc, "UTF-8");
        assert_eq!(rows[0].city, "Artenay");
        let latin: Vec<u8> = "0610799M;A;lprof;prive;61001;Alençon\n"
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        let (rows, enc) = parse_school_list(&latin).expect("list");
        assert_eq!(enc, "windows-1252");
        assert_eq!(rows[0].city, "Alençon");
        let e = parse_school_list(b"0450003J;a;college;public;45410;x\n0450004K;b;college\n")
            .expect_err("short line");
        assert_eq!(e.line, Some(2));
    }
}
