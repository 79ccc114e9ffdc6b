//! CSV written for spreadsheets: `;`-separated (the French default), UTF-8
//! with a BOM so that spreadsheet software reads the accents right, and
//! every cell that a spreadsheet would run as a formula neutralised.

/// Characters that make a spreadsheet read a cell as a formula (or a
/// command) when they start it.
const DANGEROUS_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Prefixes a quote to a cell that would start a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if DANGEROUS_STARTS.contains(&c) => std::borrow::Cow::Owned(format!("'{cell}")),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

pub const BOM: &str = "\u{feff}";

/// One CSV line (with its line break) of neutralised, quoted cells.
pub fn line<S: AsRef<str>>(cells: &[S]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![]);
    w.write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for bad in [
            "=1+1",
            "+33",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"http://x\")",
        ] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Lycée Malherbe"), "Lycée Malherbe");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn lines_are_quoted_and_separated() {
        let l = line(&["a;b", "=cmd", "Élodie \"la prof\""]).expect("line");
        assert_eq!(
            String::from_utf8(l).expect("utf-8"),
            "\"a;b\";'=cmd;\"Élodie \"\"la prof\"\"\"\r\n"
        );
    }
}
