//! Reading an asset list: our own layout or a GLPI computer export.
//!
//! **Encoding**: a UTF-8 BOM → UTF-8; bytes that are valid UTF-8 → UTF-8;
//! anything else → Windows-1252 (a superset of Latin-1, what GLPI and
//! spreadsheets write on Windows).
//!
//! **Separator**: `;` or `,`, whichever appears more often outside quotes
//! on the header line (`;` on a tie).
//!
//! **Own layout** (header names of [`super::COLUMNS`], in any order, case
//! and accents ignored): `numero_inventaire` and `categorie` are required
//! columns and values; the others may be missing or empty.
//! - `categorie`, `statut`, `proprietaire`: our code (`laptop`), the label
//!   of either catalogue or a usual word (see [`super::vocabulary`]);
//!   unknown → line error. Empty `statut` → `in_service`; empty
//!   `proprietaire` → left to the caller's default. A `proprietaire` such
//!   as `Région Normandie` → `collectivite` with that label.
//! - dates: `AAAA-MM-JJ`, `JJ/MM/AAAA`, `JJ-MM-AAAA` or `JJ.MM.AAAA`, a
//!   time after a space is ignored; years 1970–2100; else line error.
//! - `salle` / `batiment`: names; the caller finds or creates them.
//! - `parent`: the inventory number of the container (a cart), in the file
//!   or already in the school.
//!
//! **GLPI computer export** (recognised by a `Nom` column with GLPI columns
//! such as `Numéro de série`, `Fabricant`, `Lieu`, `Entité`): the header
//! names may carry GLPI's group prefix (`Informations financières et
//! administratives - Date d'achat`). `Numéro d'inventaire` gives the
//! inventory number, `Nom` when it is empty (with a warning). `Type` and
//! `Statut` follow the tables of [`super::vocabulary`]: unknown values are
//! **warnings** (the row is kept as `other` / `in_service`) since every
//! GLPI instance names its own; an unreadable date or an over-long value
//! is still an error. `Lieu` (`Bâtiment A > Salle 101`): the last level is
//! the room, the one before it the building. `Usager` (else `Utilisateur`)
//! gives the holder, `Commentaires` the notes; other columns are ignored
//! (one warning lists each of them).
//!
//! A value that an export neutralised (`'=…`, `'+…`, `'-…`, `'@…`) is read
//! without its quote: an export imports back unchanged.
//!
//! Every problem names the line as counted in the file (header = line 1,
//! CRLF or LF, a quoted value over several lines counts them all) and the
//! column as written in the header. The whole file is read: all errors are
//! returned (up to [`MAX_ERRORS`]); any error means no row may be applied.

use super::fold;
use super::vocabulary::{Kind, Vocabulary};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// Most rows in one file.
pub const MAX_ROWS: usize = 20_000;
/// Most errors (and, separately, warnings) reported.
pub const MAX_ERRORS: usize = 200;
/// Longest value of a column, in characters (notes: [`MAX_NOTES_LEN`]).
pub const MAX_VALUE_LEN: usize = 200;
pub const MAX_NOTES_LEN: usize = 4_000;
/// Longest inventory number (as `refnum_domain::asset::parse_inventory_number`).
pub const MAX_INVENTORY_LEN: usize = 40;

/// Every catalogue key an [`Issue`] of this module may carry (the web
/// crate checks they all exist in both catalogues).
pub const ISSUE_KEYS: [&str; 22] = [
    "parcfiles-error-empty",
    "parcfiles-error-header",
    "parcfiles-error-missing-column",
    "parcfiles-error-duplicate-column",
    "parcfiles-error-no-rows",
    "parcfiles-error-too-many-rows",
    "parcfiles-error-csv",
    "parcfiles-error-extra-cells",
    "parcfiles-error-required",
    "parcfiles-error-inventory-number",
    "parcfiles-error-duplicate",
    "parcfiles-error-category",
    "parcfiles-error-status",
    "parcfiles-error-owner",
    "parcfiles-error-date",
    "parcfiles-error-too-long",
    "parcfiles-error-control",
    "parcfiles-error-building-without-room",
    "parcfiles-error-warranty-before-purchase",
    "parcfiles-error-parent-self",
    "parcfiles-warning-ignored-column",
    "parcfiles-warning-name-as-inventory",
];

/// Warning keys of GLPI value mapping (kept apart: same check).
pub const GLPI_WARNING_KEYS: [&str; 2] = [
    "parcfiles-warning-glpi-type",
    "parcfiles-warning-glpi-status",
];

/// A problem met in the file: the catalogue key of its reason, where it is,
/// and the value at fault (shortened) when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Line in the file, header = 1; `None` for the file as a whole.
    pub line: Option<u64>,
    /// The column's name as written in the header.
    pub column: Option<String>,
    /// Catalogue key (`parcfiles-error-…` / `parcfiles-warning-…`).
    pub key: &'static str,
    pub value: Option<String>,
}

impl Issue {
    pub fn new(line: Option<u64>, column: Option<&str>, key: &'static str) -> Self {
        Issue {
            line,
            column: column.map(str::to_string),
            key,
            value: None,
        }
    }
    pub fn with_value(mut self, value: &str) -> Self {
        let mut v: String = value.chars().take(60).collect();
        if value.chars().count() > 60 {
            v.push('…');
        }
        self.value = Some(v);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Own,
    Glpi,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Own => "own",
            Format::Glpi => "glpi",
        }
    }
}

/// One asset as the file gives it, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssetRow {
    /// Line in the file (where the row starts).
    pub line: u64,
    /// Trimmed, upper-cased.
    pub inventory_number: String,
    /// A category code; `None` when the file says nothing (a GLPI row
    /// without `Type`): a new asset is then a `desktop`, an existing one
    /// keeps its category.
    pub category: Option<&'static str>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    /// An owner code; `None` when the file says nothing.
    pub owner: Option<&'static str>,
    pub owner_label: Option<String>,
    pub funding: Option<String>,
    pub purchase_date: Option<NaiveDate>,
    pub warranty_end: Option<NaiveDate>,
    pub room: Option<String>,
    pub building: Option<String>,
    /// A status code; `None` when the cell is empty or (GLPI) unknown: a
    /// new asset is then `in_service`, an existing one keeps its status.
    pub status: Option<&'static str>,
    /// Inventory number of the container, upper-cased.
    pub parent: Option<String>,
    pub holder: Option<String>,
    pub notes: Option<String>,
}

/// What a file gave: rows, warnings and errors. Apply only when `errors`
/// is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub format: Option<Format>,
    /// `UTF-8` or `windows-1252`.
    pub encoding: &'static str,
    pub separator: char,
    /// The columns of our layout ([`super::COLUMNS`] names) that the file
    /// gives: an update sets these (an empty cell empties the value) and
    /// leaves the others as they are.
    pub columns: Vec<&'static str>,
    pub rows: Vec<AssetRow>,
    pub warnings: Vec<Issue>,
    pub errors: Vec<Issue>,
    /// More errors than [`MAX_ERRORS`] were found.
    pub errors_truncated: bool,
}

impl Parsed {
    fn push_error(&mut self, e: Issue) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        } else {
            self.errors_truncated = true;
        }
    }
    fn push_warning(&mut self, w: Issue) {
        if self.warnings.len() < MAX_ERRORS {
            self.warnings.push(w);
        }
    }
}

/// Decodes the bytes: BOM → UTF-8, valid UTF-8 → UTF-8, else Windows-1252.
pub fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest), "UTF-8");
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), "UTF-8"),
        Err(_) => {
            let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (t, "windows-1252")
        }
    }
}

/// `;` or `,`: the one seen more often outside quotes on the first line.
fn detect_separator(text: &str) -> char {
    let (mut semi, mut comma, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => semi += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    if comma > semi { ',' } else { ';' }
}

/// A field of our model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Inventory,
    Category,
    Manufacturer,
    Model,
    Serial,
    Owner,
    Funding,
    Purchase,
    Warranty,
    Room,
    Building,
    Status,
    Parent,
    Holder,
    Notes,
    /// GLPI: `Nom`.
    GlpiName,
    /// GLPI: `Lieu` (`A > B > C`).
    GlpiLocation,
    /// GLPI: `Utilisateur` (used when `Usager` is empty).
    GlpiUser,
}

const OWN_FIELDS: [Field; 15] = [
    Field::Inventory,
    Field::Category,
    Field::Manufacturer,
    Field::Model,
    Field::Serial,
    Field::Owner,
    Field::Funding,
    Field::Purchase,
    Field::Warranty,
    Field::Room,
    Field::Building,
    Field::Status,
    Field::Parent,
    Field::Holder,
    Field::Notes,
];

/// GLPI header names (folded) → fields.
const GLPI_HEADERS: &[(&str, Field)] = &[
    ("nom", Field::GlpiName),
    ("name", Field::GlpiName),
    ("numero d inventaire", Field::Inventory),
    ("numero d inventaire immobilisation", Field::Inventory),
    ("inventory number", Field::Inventory),
    ("type", Field::Category),
    ("type d ordinateur", Field::Category),
    ("computer type", Field::Category),
    ("statut", Field::Status),
    ("status", Field::Status),
    ("fabricant", Field::Manufacturer),
    ("manufacturer", Field::Manufacturer),
    ("modele", Field::Model),
    ("modele d ordinateur", Field::Model),
    ("model", Field::Model),
    ("computer model", Field::Model),
    ("numero de serie", Field::Serial),
    ("serial number", Field::Serial),
    ("lieu", Field::GlpiLocation),
    ("location", Field::GlpiLocation),
    ("date d achat", Field::Purchase),
    ("purchase date", Field::Purchase),
    ("date de fin de garantie", Field::Warranty),
    ("fin de garantie", Field::Warranty),
    ("date d expiration de la garantie", Field::Warranty),
    ("warranty expiration date", Field::Warranty),
    ("usager", Field::Holder),
    ("utilisateur", Field::GlpiUser),
    ("user", Field::GlpiUser),
    ("commentaires", Field::Notes),
    ("comments", Field::Notes),
    ("financement", Field::Funding),
    ("budget", Field::Funding),
];

/// GLPI columns that say a file is a GLPI export (with `Nom`).
const GLPI_MARKERS: [&str; 6] = [
    "numero de serie",
    "fabricant",
    "lieu",
    "entite",
    "numero d inventaire",
    "serial number",
];

fn glpi_field(folded: &str) -> Option<Field> {
    GLPI_HEADERS
        .iter()
        .find(|(h, _)| *h == folded)
        .map(|(_, f)| *f)
}

/// The folded names under which a header is looked up: itself, and what
/// follows GLPI's group prefix (`Groupe - Nom`).
fn header_keys(raw: &str) -> Vec<String> {
    let mut keys = vec![fold(raw)];
    if let Some((_, tail)) = raw.rsplit_once(" - ") {
        keys.push(fold(tail));
    }
    keys
}

/// Fields GLPI may write behind a group prefix (its financial
/// information); `Système d'exploitation - Nom` is no asset's name.
fn prefixable(f: Field) -> bool {
    matches!(
        f,
        Field::Purchase | Field::Warranty | Field::Funding | Field::Inventory
    )
}

/// Column positions of the fields, or the problems of the header.
struct Layout {
    format: Format,
    cols: HashMap<Field, usize>,
}

fn read_header(header: &[String], parsed: &mut Parsed) -> Option<Layout> {
    let keys: Vec<Vec<String>> = header.iter().map(|h| header_keys(h)).collect();
    let has = |k: &str| keys.iter().any(|ks| ks.iter().any(|x| x == k));
    let own_names: Vec<String> = super::COLUMNS.iter().map(|c| fold(c)).collect();
    let format = if has(&own_names[0]) {
        Format::Own
    } else if (has("nom") || has("name")) && GLPI_MARKERS.iter().any(|m| has(m)) {
        Format::Glpi
    } else {
        let first = super::COLUMNS[0];
        parsed.push_error(Issue::new(Some(1), Some(first), "parcfiles-error-header"));
        return None;
    };
    let mut cols = HashMap::new();
    let mut ok = true;
    for (i, ks) in keys.iter().enumerate() {
        let field = match format {
            Format::Own => own_names
                .iter()
                .position(|n| ks.first() == Some(n))
                .map(|p| OWN_FIELDS[p]),
            Format::Glpi => ks.first().and_then(|k| glpi_field(k)).or_else(|| {
                ks.get(1)
                    .and_then(|k| glpi_field(k))
                    .filter(|f| prefixable(*f))
            }),
        };
        match field {
            Some(f) => {
                if cols.insert(f, i).is_some() {
                    parsed.push_error(Issue::new(
                        Some(1),
                        Some(header[i].trim()),
                        "parcfiles-error-duplicate-column",
                    ));
                    ok = false;
                }
            }
            None if header[i].trim().is_empty() => {}
            None => parsed.push_warning(Issue::new(
                Some(1),
                Some(header[i].trim()),
                "parcfiles-warning-ignored-column",
            )),
        }
    }
    if format == Format::Own {
        for (name, field) in [
            (super::COLUMNS[0], Field::Inventory),
            (super::COLUMNS[1], Field::Category),
        ] {
            if !cols.contains_key(&field) {
                parsed.push_error(Issue::new(
                    Some(1),
                    Some(name),
                    "parcfiles-error-missing-column",
                ));
                ok = false;
            }
        }
    }
    ok.then_some(Layout { format, cols })
}

/// Our column names for the fields a layout gives.
fn given_columns(l: &Layout) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = vec![];
    for (field, col) in OWN_FIELDS.iter().zip(super::COLUMNS) {
        let given = l.cols.contains_key(field)
            || match field {
                Field::Inventory => l.cols.contains_key(&Field::GlpiName),
                Field::Room | Field::Building => l.cols.contains_key(&Field::GlpiLocation),
                Field::Holder => l.cols.contains_key(&Field::GlpiUser),
                _ => false,
            };
        if given {
            out.push(col);
        }
    }
    out
}

/// Undoes the exports' formula neutralisation: `'=x` → `=x` (only before
/// `=`, `+`, `-`, `@`, tab or CR), so that an export imports back unchanged.
fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// Reads a date in one of the accepted forms.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let d = s.trim().split([' ', 'T']).next().unwrap_or("");
    let date = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(d, f).ok())?;
    (1970..=2100).contains(&date.year()).then_some(date)
}

/// Upper-cased, trimmed inventory number, or the error key.
pub fn inventory_number(s: &str) -> Result<String, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Err("parcfiles-error-required");
    }
    if t.chars().count() > MAX_INVENTORY_LEN || t.chars().any(char::is_control) {
        return Err("parcfiles-error-inventory-number");
    }
    Ok(t.to_uppercase())
}

/// One row being read: its cells and the header, to name columns.
struct RowCtx<'a> {
    line: u64,
    cells: &'a [String],
    header: &'a [String],
    cols: &'a HashMap<Field, usize>,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl RowCtx<'_> {
    fn column_name(&self, f: Field) -> Option<&str> {
        self.cols.get(&f).map(|i| self.header[*i].trim())
    }
    fn raw(&self, f: Field) -> &str {
        self.cols
            .get(&f)
            .and_then(|i| self.cells.get(*i))
            .map(|s| unneutralise(s.trim()))
            .unwrap_or("")
    }
    fn error(&mut self, f: Field, key: &'static str, value: &str) {
        let mut e = Issue::new(Some(self.line), self.column_name(f), key);
        if !value.is_empty() {
            e = e.with_value(value);
        }
        self.errors.push(e);
    }
    fn warning(&mut self, f: Field, key: &'static str, value: &str) {
        let mut w = Issue::new(Some(self.line), self.column_name(f), key);
        if !value.is_empty() {
            w = w.with_value(value);
        }
        self.warnings.push(w);
    }
    /// A free-text value: `None` when blank; an error when too long or
    /// holding control characters (a tab or line break inside notes is
    /// kept).
    fn text(&mut self, f: Field) -> Option<String> {
        let v = self.raw(f).to_string();
        if v.is_empty() {
            return None;
        }
        let (max, multiline) = if f == Field::Notes {
            (MAX_NOTES_LEN, true)
        } else {
            (MAX_VALUE_LEN, false)
        };
        if v.chars().count() > max {
            self.error(f, "parcfiles-error-too-long", &v);
            return None;
        }
        if v.chars()
            .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        {
            self.error(f, "parcfiles-error-control", &v);
            return None;
        }
        Some(v)
    }
    fn date(&mut self, f: Field) -> Option<NaiveDate> {
        let v = self.raw(f).to_string();
        if v.is_empty() {
            return None;
        }
        let d = parse_date(&v);
        if d.is_none() {
            self.error(f, "parcfiles-error-date", &v);
        }
        d
    }
}

fn read_row(
    format: Format,
    ctx: &mut RowCtx<'_>,
    vocab: &Vocabulary,
    seen: &mut HashMap<String, u64>,
) -> Option<AssetRow> {
    let line = ctx.line;
    // Extra non-empty cells past the header: a shifted line.
    if ctx.cells.len() > ctx.header.len()
        && ctx.cells[ctx.header.len()..]
            .iter()
            .any(|c| !c.trim().is_empty())
    {
        ctx.errors
            .push(Issue::new(Some(line), None, "parcfiles-error-extra-cells"));
        return None;
    }
    let mut row = AssetRow {
        line,
        ..AssetRow::default()
    };
    // Inventory number (GLPI: the name when the number is empty).
    let mut inv_field = Field::Inventory;
    let mut inv_raw = ctx.raw(Field::Inventory).to_string();
    if format == Format::Glpi && inv_raw.is_empty() {
        inv_field = Field::GlpiName;
        inv_raw = ctx.raw(Field::GlpiName).to_string();
        if !inv_raw.is_empty() {
            ctx.warning(
                Field::GlpiName,
                "parcfiles-warning-name-as-inventory",
                &inv_raw,
            );
        }
    }
    match inventory_number(&inv_raw) {
        Ok(n) => {
            if seen.contains_key(&n) {
                ctx.error(inv_field, "parcfiles-error-duplicate", &n);
            } else {
                seen.insert(n.clone(), line);
            }
            row.inventory_number = n;
        }
        Err(key) => {
            let f = if ctx.cols.contains_key(&inv_field) {
                inv_field
            } else {
                Field::Inventory
            };
            ctx.error(f, key, &inv_raw);
        }
    }
    // Category.
    let cat = ctx.raw(Field::Category).to_string();
    row.category = match (format, cat.is_empty(), vocab.lookup(Kind::Category, &cat)) {
        (_, false, Some(code)) => Some(code),
        (Format::Own, true, _) => {
            ctx.error(Field::Category, "parcfiles-error-required", "");
            None
        }
        (Format::Own, false, None) => {
            ctx.error(Field::Category, "parcfiles-error-category", &cat);
            None
        }
        (Format::Glpi, true, _) => None,
        (Format::Glpi, false, None) => {
            ctx.warning(Field::Category, "parcfiles-warning-glpi-type", &cat);
            Some("other")
        }
    };
    // Status.
    let st = ctx.raw(Field::Status).to_string();
    row.status = match (format, st.is_empty(), vocab.lookup(Kind::Status, &st)) {
        (_, true, _) => None,
        (_, false, Some(code)) => Some(code),
        (Format::Own, false, None) => {
            ctx.error(Field::Status, "parcfiles-error-status", &st);
            None
        }
        (Format::Glpi, false, None) => {
            ctx.warning(Field::Status, "parcfiles-warning-glpi-status", &st);
            None
        }
    };
    // Owner.
    let ow = ctx.raw(Field::Owner).to_string();
    if !ow.is_empty() {
        match vocab.owner(&ow) {
            Some((code, label)) => {
                if label
                    .as_ref()
                    .is_some_and(|l| l.chars().count() > MAX_VALUE_LEN)
                {
                    ctx.error(Field::Owner, "parcfiles-error-too-long", &ow);
                } else {
                    row.owner = Some(code);
                    row.owner_label = label;
                }
            }
            None => ctx.error(Field::Owner, "parcfiles-error-owner", &ow),
        }
    }
    row.manufacturer = ctx.text(Field::Manufacturer);
    row.model = ctx.text(Field::Model);
    row.serial = ctx.text(Field::Serial);
    row.funding = ctx.text(Field::Funding);
    row.purchase_date = ctx.date(Field::Purchase);
    row.warranty_end = ctx.date(Field::Warranty);
    row.notes = ctx.text(Field::Notes);
    row.holder = ctx.text(Field::Holder);
    if format == Format::Glpi && row.holder.is_none() {
        row.holder = ctx.text(Field::GlpiUser);
    }
    match format {
        Format::Own => {
            row.room = ctx.text(Field::Room);
            row.building = ctx.text(Field::Building);
            let parent = ctx.raw(Field::Parent).to_string();
            if !parent.is_empty() {
                match inventory_number(&parent) {
                    Ok(p) => row.parent = Some(p),
                    Err(key) => ctx.error(Field::Parent, key, &parent),
                }
            }
        }
        Format::Glpi => {
            if let Some(loc) = ctx.text(Field::GlpiLocation) {
                let parts: Vec<&str> = loc
                    .split('>')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .collect();
                row.room = parts.last().map(|s| s.to_string());
                row.building = (parts.len() >= 2).then(|| parts[parts.len() - 2].to_string());
            }
        }
    }
    if row.building.is_some() && row.room.is_none() {
        ctx.error(Field::Room, "parcfiles-error-building-without-room", "");
    }
    if let (Some(p), Some(w)) = (row.purchase_date, row.warranty_end)
        && w < p
    {
        let v = ctx.raw(Field::Warranty).to_string();
        ctx.error(
            Field::Warranty,
            "parcfiles-error-warranty-before-purchase",
            &v,
        );
    }
    if row.parent.is_some() && row.parent.as_deref() == Some(row.inventory_number.as_str()) {
        let v = ctx.raw(Field::Parent).to_string();
        ctx.error(Field::Parent, "parcfiles-error-parent-self", &v);
    }
    Some(row)
}

/// Line numbers (1-based) of byte offsets, asked in increasing order.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            pos: 0,
            line: 1,
        }
    }
    /// The line of the first byte at or after `at` that is not a line
    /// break (a record may start on the end of the previous line).
    fn line_at(&mut self, at: usize) -> u64 {
        let mut at = at.min(self.bytes.len());
        while at < self.bytes.len() && matches!(self.bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > self.pos {
            self.line += self.bytes[self.pos..at]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            self.pos = at;
        }
        self.line
    }
}

/// Reads an asset list (see the module's documentation).
pub fn parse_assets(bytes: &[u8], vocab: &Vocabulary) -> Parsed {
    let (text, encoding) = decode(bytes);
    let separator = detect_separator(&text);
    let mut parsed = Parsed {
        format: None,
        encoding,
        separator,
        columns: vec![],
        rows: vec![],
        warnings: vec![],
        errors: vec![],
        errors_truncated: false,
    };
    if text.trim().is_empty() {
        parsed.push_error(Issue::new(None, None, "parcfiles-error-empty"));
        return parsed;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<(Vec<String>, Layout)> = None;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    // The csv crate's own line count stumbles on CRLF: lines are counted
    // here from the byte where each record starts.
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        let before = rdr.position().byte() as usize;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => {
                let line = lines.line_at(before);
                parsed.push_error(Issue::new(Some(line), None, "parcfiles-error-csv"));
                break;
            }
        }
        let line = lines.line_at(record.position().map_or(before, |p| p.byte() as usize));
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some((head, layout)) = &header else {
            match read_header(&cells, &mut parsed) {
                Some(l) => {
                    parsed.format = Some(l.format);
                    parsed.columns = given_columns(&l);
                    header = Some((cells, l));
                    continue;
                }
                None => return parsed,
            }
        };
        if parsed.rows.len() >= MAX_ROWS {
            parsed.push_error(Issue::new(
                Some(line),
                None,
                "parcfiles-error-too-many-rows",
            ));
            break;
        }
        let mut ctx = RowCtx {
            line,
            cells: &cells,
            header: head,
            cols: &layout.cols,
            errors: vec![],
            warnings: vec![],
        };
        let row = read_row(layout.format, &mut ctx, vocab, &mut seen);
        let (errors, warnings) = (ctx.errors, ctx.warnings);
        let failed = !errors.is_empty();
        for e in errors {
            parsed.push_error(e);
        }
        for w in warnings {
            parsed.push_warning(w);
        }
        if let (Some(row), false) = (row, failed) {
            parsed.rows.push(row);
        }
    }
    if header.is_some() && parsed.rows.is_empty() && parsed.errors.is_empty() {
        parsed.push_error(Issue::new(None, None, "parcfiles-error-no-rows"));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_written_here_is_listed() {
        let src = include_str!("import.rs");
        for part in src.split("\"parcfiles-").skip(1) {
            let key: String = part
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            if key.is_empty() {
                continue;
            }
            let key = format!("parcfiles-{key}");
            assert!(
                ISSUE_KEYS.contains(&key.as_str()) || GLPI_WARNING_KEYS.contains(&key.as_str()),
                "{key}"
            );
        }
    }

    fn parse(text: &str) -> Parsed {
        parse_assets(text.as_bytes(), &Vocabulary::default())
    }

    const OWN_HEADER: &str = "numero_inventaire;categorie;fabricant;modele;numero_serie;proprietaire;financement;date_achat;fin_garantie;salle;batiment;statut;parent;detenteur;notes";

    #[test]
    fn own_layout_is_read_with_its_values_normalised() {
        let text = format!(
            "{OWN_HEADER}\r\n\
             pc-0001;Ordinateur fixe;Dell;OptiPlex 7010;ABC123;Région Normandie;Plan lycée 4.0;01/09/2021;2026-08-31;B12;Bâtiment B;en service;;;\r\n\
             CHA-01;chariot;;;;etablissement;;;;CDI;;;;;\"Chariot de 16 tablettes\r\nclé sous le bureau\"\r\n\
             TAB-01;Tablette;Apple;iPad 9;;État;;2022-10-03;;;;prêté;cha-01;Mme Durand;\r\n"
        );
        let p = parse(&text);
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.format, Some(Format::Own));
        assert_eq!((p.encoding, p.separator), ("UTF-8", ';'));
        assert_eq!(p.rows.len(), 3);
        let pc = &p.rows[0];
        assert_eq!(pc.line, 2);
        assert_eq!(pc.inventory_number, "PC-0001");
        assert_eq!(pc.category, Some("desktop"));
        assert_eq!(pc.owner, Some("collectivite"));
        assert_eq!(pc.owner_label.as_deref(), Some("Région Normandie"));
        assert_eq!(pc.purchase_date, NaiveDate::from_ymd_opt(2021, 9, 1));
        assert_eq!(pc.warranty_end, NaiveDate::from_ymd_opt(2026, 8, 31));
        assert_eq!(pc.room.as_deref(), Some("B12"));
        assert_eq!(pc.building.as_deref(), Some("Bâtiment B"));
        assert_eq!(pc.status, Some("in_service"));
        assert_eq!(p.columns.len(), 15);
        let cart = &p.rows[1];
        assert_eq!(
            (cart.line, cart.category, cart.owner),
            (3, Some("mobile_cart"), Some("etablissement"))
        );
        assert_eq!(
            cart.notes.as_deref(),
            Some("Chariot de 16 tablettes\r\nclé sous le bureau")
        );
        // The quoted notes spanned two lines: the next row starts on line 5.
        let tab = &p.rows[2];
        assert_eq!(tab.line, 5);
        assert_eq!((tab.status, tab.owner), (Some("lent"), Some("etat")));
        assert_eq!(tab.parent.as_deref(), Some("CHA-01"));
        assert_eq!(tab.holder.as_deref(), Some("Mme Durand"));
    }

    #[test]
    fn commas_columns_in_any_order_and_missing_optional_columns() {
        let p = parse(
            "Catégorie,Numéro inventaire,Salle\nlaptop,L-1,\"Salle 3, étage\"\nprojector,VP-1,\n",
        );
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.separator, ',');
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].room.as_deref(), Some("Salle 3, étage"));
        assert_eq!(p.rows[1].category, Some("projector"));
        assert_eq!(p.columns, vec!["numero_inventaire", "categorie", "salle"]);
        assert_eq!(p.rows[1].owner, None);
    }

    #[test]
    fn a_bad_date_at_line_7_names_line_7_and_its_column() {
        let mut text = format!("{OWN_HEADER}\r\n");
        for i in 2..=6 {
            text.push_str(&format!("PC-{i};desktop;;;;;;2020-01-0{i};;;;;;;\r\n"));
        }
        text.push_str("PC-7;desktop;;;;;;31/02/2020;;;;;;;\r\n");
        text.push_str("PC-8;desktop;;;;;;;;;;;;;\r\n");
        let p = parse(&text);
        assert_eq!(
            p.errors,
            vec![Issue {
                line: Some(7),
                column: Some("date_achat".into()),
                key: "parcfiles-error-date",
                value: Some("31/02/2020".into()),
            }]
        );
        // The good rows are still read (for the preview); nothing is applied.
        assert_eq!(p.rows.len(), 6);
    }

    #[test]
    fn every_error_is_reported_with_its_line_and_column() {
        let text = format!(
            "{OWN_HEADER}\n\
             PC-1;toaster;;;;;;;;;;;;;\n\
             ;desktop;;;;;;;;;;;;;\n\
             PC-3;desktop;;;;voisin;;;;;;cassé net;;;\n\
             pc-1;desktop;;;;;;;;;;;;;\n\
             PC-5;desktop;;;;;;;;;;;;;;en trop\n\
             PC-6;;;;;;;;;;Bâtiment A;;;;\n\
             PC-8;desktop;;;;;;2024-01-02;2023-12-31;;;;pc-8;;\n"
        );
        let p = parse(&text);
        let got: Vec<(Option<u64>, Option<&str>, &str)> = p
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_deref(), e.key))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(2), Some("categorie"), "parcfiles-error-category"),
                (
                    Some(3),
                    Some("numero_inventaire"),
                    "parcfiles-error-required"
                ),
                (Some(4), Some("statut"), "parcfiles-error-status"),
                (Some(4), Some("proprietaire"), "parcfiles-error-owner"),
                (
                    Some(5),
                    Some("numero_inventaire"),
                    "parcfiles-error-duplicate"
                ),
                (Some(6), None, "parcfiles-error-extra-cells"),
                (Some(7), Some("categorie"), "parcfiles-error-required"),
                (
                    Some(7),
                    Some("salle"),
                    "parcfiles-error-building-without-room"
                ),
                (
                    Some(8),
                    Some("fin_garantie"),
                    "parcfiles-error-warranty-before-purchase"
                ),
                (Some(8), Some("parent"), "parcfiles-error-parent-self"),
            ]
        );
        assert_eq!(p.rows.len(), 0);
    }

    #[test]
    fn empty_files_and_bad_headers_are_refused() {
        assert_eq!(parse("").errors[0].key, "parcfiles-error-empty");
        assert_eq!(
            parse("\u{feff}\r\n \r\n").errors[0].key,
            "parcfiles-error-empty"
        );
        assert_eq!(
            parse(&format!("{OWN_HEADER}\r\n")).errors[0].key,
            "parcfiles-error-no-rows"
        );
        let p = parse("numero_inventaire;fabricant\nPC-1;Dell\n");
        assert_eq!(
            p.errors,
            vec![Issue::new(
                Some(1),
                Some("categorie"),
                "parcfiles-error-missing-column"
            )]
        );
        assert!(p.rows.is_empty());
        let p = parse("a;b;c\n1;2;3\n");
        assert_eq!(p.errors[0].key, "parcfiles-error-header");
        assert_eq!(p.errors[0].line, Some(1));
        let p = parse("numero_inventaire;categorie;Numéro inventaire\nA;desktop;B\n");
        assert_eq!(p.errors[0].key, "parcfiles-error-duplicate-column");
        assert_eq!(p.errors[0].column.as_deref(), Some("Numéro inventaire"));
        let p = parse("numero_inventaire;categorie;couleur\nA;desktop;rouge\n");
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.warnings[0].key, "parcfiles-warning-ignored-column");
        assert_eq!(p.warnings[0].column.as_deref(), Some("couleur"));
    }

    #[test]
    fn errors_are_capped() {
        let mut text = format!("{OWN_HEADER}\n");
        for i in 0..(MAX_ERRORS + 10) {
            text.push_str(&format!("PC-{i};toaster\n"));
        }
        let p = parse(&text);
        assert_eq!(p.errors.len(), MAX_ERRORS);
        assert!(p.errors_truncated);
    }

    const GLPI: &str = "\"Nom\";\"Entité\";\"Statut\";\"Fabricant\";\"Numéro de série\";\"Type\";\"Modèle\";\"Lieu\";\"Numéro d'inventaire\";\"Usager\";\"Informations financières et administratives - Date d'achat\";\"Date de fin de garantie\";\"Système d'exploitation - Nom\";\"Dernière modification\"\r\n\
\"CDI-PC01\";\"Entité racine > Lycée Jean Rostand\";\"En service\";\"Hewlett-Packard\";\"CZC1234XYZ\";\"Ordinateur de bureau\";\"ProDesk 400 G7\";\"Bâtiment C > CDI\";\"INV-2021-044\";\"\";\"2021-03-15\";\"2024-03-15\";\"Windows 10 Éducation\";\"2025-11-02 09:14\"\r\n\
\"SDP-PORT03\";\"Entité racine > Lycée Jean Rostand\";\"Réformé\";\"Lenovo\";\"PF2ABCDE\";\"Portable\";\"ThinkPad L14\";\"Salle des professeurs\";\"\";\"François Garçon\";\"15-09-2019\";\"\";\"Windows 11\";\"2025-10-20 16:00\"\r\n\
\"LABO-X\";\"Entité racine > Lycée Jean Rostand\";\"Emprunté par la SVT\";\"Apple\";\"\";\"Machine à café\";\"\";\"\";\"LAB-9\";\"\";\"\";\"\";\"\";\"\"\r\n";

    fn check_glpi(p: &Parsed) {
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.format, Some(Format::Glpi));
        assert_eq!(p.rows.len(), 3);
        let pc = &p.rows[0];
        assert_eq!(pc.inventory_number, "INV-2021-044");
        assert_eq!(
            (pc.category, pc.status),
            (Some("desktop"), Some("in_service"))
        );
        assert_eq!(pc.manufacturer.as_deref(), Some("Hewlett-Packard"));
        assert_eq!(pc.model.as_deref(), Some("ProDesk 400 G7"));
        assert_eq!(pc.serial.as_deref(), Some("CZC1234XYZ"));
        assert_eq!(pc.building.as_deref(), Some("Bâtiment C"));
        assert_eq!(pc.room.as_deref(), Some("CDI"));
        assert_eq!(pc.purchase_date, NaiveDate::from_ymd_opt(2021, 3, 15));
        assert_eq!(pc.warranty_end, NaiveDate::from_ymd_opt(2024, 3, 15));
        let port = &p.rows[1];
        assert_eq!(port.inventory_number, "SDP-PORT03");
        assert_eq!(
            (port.category, port.status),
            (Some("laptop"), Some("retired"))
        );
        assert_eq!(port.room.as_deref(), Some("Salle des professeurs"));
        assert_eq!(port.building, None);
        assert_eq!(port.holder.as_deref(), Some("François Garçon"));
        assert_eq!(port.purchase_date, NaiveDate::from_ymd_opt(2019, 9, 15));
        let lab = &p.rows[2];
        assert_eq!((lab.category, lab.status), (Some("other"), None));
        let warns: Vec<(Option<u64>, Option<&str>, &str)> = p
            .warnings
            .iter()
            .map(|w| (w.line, w.column.as_deref(), w.key))
            .collect();
        assert_eq!(
            warns,
            vec![
                (Some(1), Some("Entité"), "parcfiles-warning-ignored-column"),
                (
                    Some(1),
                    Some("Système d'exploitation - Nom"),
                    "parcfiles-warning-ignored-column"
                ),
                (
                    Some(1),
                    Some("Dernière modification"),
                    "parcfiles-warning-ignored-column"
                ),
                (Some(3), Some("Nom"), "parcfiles-warning-name-as-inventory"),
                (Some(4), Some("Type"), "parcfiles-warning-glpi-type"),
                (Some(4), Some("Statut"), "parcfiles-warning-glpi-status"),
            ]
        );
        assert_eq!(p.warnings[4].value.as_deref(), Some("Machine à café"));
        assert_eq!(
            p.columns,
            vec![
                "numero_inventaire",
                "categorie",
                "fabricant",
                "modele",
                "numero_serie",
                "date_achat",
                "fin_garantie",
                "salle",
                "batiment",
                "statut",
                "detenteur"
            ]
        );
    }

    #[test]
    fn glpi_export_in_utf8_with_bom() {
        let bytes = [&[0xEF, 0xBB, 0xBF][..], GLPI.as_bytes()].concat();
        let p = parse_assets(&bytes, &Vocabulary::default());
        assert_eq!(p.encoding, "UTF-8");
        check_glpi(&p);
    }

    #[test]
    fn glpi_export_in_latin1() {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(GLPI);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        let p = parse_assets(&bytes, &Vocabulary::default());
        assert_eq!(p.encoding, "windows-1252");
        check_glpi(&p);
    }

    #[test]
    fn lf_only_and_crlf_count_the_same_lines() {
        let crlf = format!("{OWN_HEADER}\r\nA;desktop\r\n\r\nB;toaster\r\n");
        let lf = crlf.replace("\r\n", "\n");
        for t in [crlf, lf] {
            let p = parse(&t);
            assert_eq!(p.errors.len(), 1);
            assert_eq!(p.errors[0].line, Some(4));
        }
    }

    #[test]
    fn neutralised_cells_read_back_as_they_were() {
        let p = parse(&format!(
            "{OWN_HEADER}\n'-12;desktop;;'=HYPERLINK(1);'quoted\n"
        ));
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.rows[0].inventory_number, "-12");
        assert_eq!(p.rows[0].model.as_deref(), Some("=HYPERLINK(1)"));
        assert_eq!(p.rows[0].serial.as_deref(), Some("'quoted"));
    }

    #[test]
    fn dates_in_the_accepted_forms() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 4);
        for s in [
            "2023-09-04",
            "04/09/2023",
            "04-09-2023",
            "04.09.2023",
            "2023-09-04 10:22",
            "2023/09/04",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        for s in ["09/04/23", "2023-13-01", "demain", "1900-01-01"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
