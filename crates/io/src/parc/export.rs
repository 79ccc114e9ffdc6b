//! Asset list exports: CSV (UTF-8 with BOM, `;`, written line by line so
//! that the response streams) and ODS (built in memory: one school's parc,
//! ~2,000 assets, is a few hundred KiB; refused above [`ODS_MAX_ROWS`]).
//!
//! Both have the columns of our import layout ([`super::COLUMNS`]), so an
//! export edited in a spreadsheet imports back. Every text cell goes
//! through [`crate::csv_export::neutralise`]: a cell starting with `=`, `+`,
//! `-`, `@`, tab or CR gets a leading `'`. In ODS every text is a *string*
//! cell (never a formula) and its visible text is neutralised the same way,
//! so that copying it into another sheet cannot run it either. Dates are
//! ISO (`AAAA-MM-JJ`): text in CSV, date cells in ODS.

use crate::csv_export::{BOM, line, neutralise};
use chrono::NaiveDate;
use spreadsheet_ods::{CellStyle, Sheet, WorkBook};

/// Most rows in one ODS file.
pub const ODS_MAX_ROWS: usize = 20_000;

/// One asset, its values already as the reader should see them (labels
/// from the catalogue, room and building names…).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetLine {
    pub inventory_number: String,
    pub category: String,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    pub owner: String,
    pub funding: String,
    pub purchase_date: Option<NaiveDate>,
    pub warranty_end: Option<NaiveDate>,
    pub room: String,
    pub building: String,
    pub status: String,
    pub parent: String,
    pub holder: String,
    pub notes: String,
}

enum Cell<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
}

impl AssetLine {
    /// In the order of [`super::COLUMNS`].
    fn cells(&self) -> [Cell<'_>; 15] {
        [
            Cell::Text(&self.inventory_number),
            Cell::Text(&self.category),
            Cell::Text(&self.manufacturer),
            Cell::Text(&self.model),
            Cell::Text(&self.serial),
            Cell::Text(&self.owner),
            Cell::Text(&self.funding),
            Cell::Date(self.purchase_date),
            Cell::Date(self.warranty_end),
            Cell::Text(&self.room),
            Cell::Text(&self.building),
            Cell::Text(&self.status),
            Cell::Text(&self.parent),
            Cell::Text(&self.holder),
            Cell::Text(&self.notes),
        ]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("ods: {0}")]
    Ods(#[from] spreadsheet_ods::OdsError),
    #[error("too many rows for an ODS export")]
    TooManyRows,
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The BOM and the header line.
pub fn csv_head() -> Result<Vec<u8>, ExportError> {
    let mut out = BOM.as_bytes().to_vec();
    out.extend(line(&super::COLUMNS)?);
    Ok(out)
}

/// One asset's line (CRLF-terminated, neutralised).
pub fn csv_line(asset: &AssetLine) -> Result<Vec<u8>, ExportError> {
    let cells: Vec<String> = asset
        .cells()
        .iter()
        .map(|c| match c {
            Cell::Text(t) => t.to_string(),
            Cell::Date(d) => iso(*d),
        })
        .collect();
    Ok(line(&cells)?)
}

/// A whole ODS document: one sheet named `sheet_name`, header row first.
pub fn ods(sheet_name: &str, assets: &[AssetLine]) -> Result<Vec<u8>, ExportError> {
    let mut wb = ods_book(sheet_name, assets)?;
    Ok(spreadsheet_ods::write_ods_buf(&mut wb, Vec::new())?)
}

fn ods_book(sheet_name: &str, assets: &[AssetLine]) -> Result<WorkBook, ExportError> {
    if assets.len() > ODS_MAX_ROWS {
        return Err(ExportError::TooManyRows);
    }
    let mut wb = WorkBook::new_empty();
    let iso_format = wb.add_datetime_format(spreadsheet_ods::format::create_date_iso_format(
        "refnum-iso-date",
    ));
    let date_style = wb.add_cellstyle(CellStyle::new("refnum-date", &iso_format));
    let mut sheet = Sheet::new(neutralise(sheet_name).as_ref());
    for (c, name) in super::COLUMNS.iter().enumerate() {
        sheet.set_value(0, c as u32, *name);
    }
    for (r, asset) in assets.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, cell) in asset.cells().iter().enumerate() {
            match cell {
                Cell::Text(t) if !t.is_empty() => {
                    sheet.set_value(row, c as u32, neutralise(t).into_owned())
                }
                Cell::Date(Some(d)) => sheet.set_styled_value(row, c as u32, *d, &date_style),
                _ => {}
            }
        }
    }
    wb.push_sheet(sheet);
    Ok(wb)
}

/// The text of every cell of an ODS document's first sheet, row by row
/// (dates as `AAAA-MM-JJ`): what a spreadsheet would show, to check an
/// export.
pub fn read_ods_text(buf: &[u8]) -> Result<Vec<Vec<String>>, ExportError> {
    use spreadsheet_ods::Value;
    let wb = spreadsheet_ods::read_ods_buf(buf)?;
    if wb.num_sheets() == 0 {
        return Ok(vec![]);
    }
    let sheet = wb.sheet(0);
    let (rows, cols) = sheet.used_grid_size();
    Ok((0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| match sheet.value(r, c) {
                    Value::Text(t) => t.clone(),
                    Value::DateTime(d) => d.date().format("%Y-%m-%d").to_string(),
                    Value::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use spreadsheet_ods::Value;

    fn hostile() -> AssetLine {
        AssetLine {
            inventory_number: "PC-001".into(),
            category: "Ordinateur portable".into(),
            model: "=HYPERLINK(\"http://evil.example\",\"clic\")".into(),
            serial: "+33 6".into(),
            owner: "-1".into(),
            funding: "@SUM(A1)".into(),
            notes: "\tcach\u{e9}".into(),
            room: "\rB12".into(),
            purchase_date: NaiveDate::from_ymd_opt(2021, 9, 1),
            ..AssetLine::default()
        }
    }

    #[test]
    fn csv_has_bom_header_and_neutralised_cells() {
        let mut out = csv_head().expect("head");
        out.extend(csv_line(&hostile()).expect("line"));
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("\u{feff}numero_inventaire;categorie;fabricant;"));
        let second = text.split("\r\n").nth(1).expect("line 2");
        assert!(second.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\")\""));
        assert!(second.contains(";'+33 6;'-1;'@SUM(A1);2021-09-01;;"));
        assert!(!second.contains(";=") && !second.contains(";+"));
    }

    #[test]
    fn ods_cells_are_neutralised_text_never_formulas() {
        let buf = ods("=Parc", &[hostile()]).expect("ods");
        let wb = spreadsheet_ods::read_ods_buf(&buf).expect("read back");
        let sheet = wb.sheet(0);
        assert_eq!(sheet.value(0, 0), &Value::Text("numero_inventaire".into()));
        assert_eq!(
            sheet.value(1, 3),
            &Value::Text("'=HYPERLINK(\"http://evil.example\",\"clic\")".into())
        );
        assert_eq!(sheet.value(1, 4), &Value::Text("'+33 6".into()));
        assert_eq!(sheet.value(1, 6), &Value::Text("'@SUM(A1)".into()));
        assert_eq!(sheet.value(1, 14), &Value::Text("'\tcach\u{e9}".into()));
        assert!(matches!(sheet.value(1, 7), Value::DateTime(_)));
        let text = read_ods_text(&buf).expect("text");
        assert_eq!(text[1][7], "2021-09-01");
        assert_eq!(text[1][3], "'=HYPERLINK(\"http://evil.example\",\"clic\")");
        for r in 0..2 {
            for c in 0..15 {
                assert!(sheet.formula(r, c).is_none(), "formula at {r},{c}");
            }
        }
        // The same document stored uncompressed: its content.xml holds
        // string cells and no formula attribute at all.
        let mut wb = ods_book("=Parc", &[hostile()]).expect("book");
        let raw = spreadsheet_ods::write_ods_buf_uncompressed(&mut wb, Vec::new()).expect("write");
        let content = String::from_utf8_lossy(&raw);
        assert!(!content.contains("table:formula"));
        assert!(content.contains("office:value-type=\"string\""));
        assert!(content.contains("&apos;=HYPERLINK") || content.contains("'=HYPERLINK"));
    }

    #[test]
    fn ods_refuses_too_many_rows() {
        let many = vec![AssetLine::default(); ODS_MAX_ROWS + 1];
        assert!(matches!(ods("Parc", &many), Err(ExportError::TooManyRows)));
    }
}
