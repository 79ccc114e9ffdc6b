//! QR label sheets: the QR code of an asset's absolute address as inline
//! SVG, and the geometry of common A4 label sheets (named by their grid and
//! label size, never by brand) with the place of every label on the page.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An A4 sheet of labels, all sizes in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SheetLayout {
    /// Stable identifier, e.g. `3x8-70x37`.
    pub id: &'static str,
    pub columns: u32,
    pub rows: u32,
    pub label_width: f32,
    pub label_height: f32,
    /// Top-left corner of the first label from the top-left of the page.
    pub margin_top: f32,
    pub margin_left: f32,
    /// Distance between the left edges of two neighbouring labels, and
    /// between the top edges of two labels one under the other.
    pub pitch_x: f32,
    pub pitch_y: f32,
}

pub const A4_WIDTH: f32 = 210.0;
pub const A4_HEIGHT: f32 = 297.0;

/// The layouts offered, most common first.
pub const LAYOUTS: [SheetLayout; 4] = [
    // 24 labels of 70 × 37 mm, edge to edge, 0.5 mm top margin.
    SheetLayout {
        id: "3x8-70x37",
        columns: 3,
        rows: 8,
        label_width: 70.0,
        label_height: 37.0,
        margin_top: 0.5,
        margin_left: 0.0,
        pitch_x: 70.0,
        pitch_y: 37.0,
    },
    // 14 labels of 99.1 × 38.1 mm, 2.5 mm gutter.
    SheetLayout {
        id: "2x7-99.1x38.1",
        columns: 2,
        rows: 7,
        label_width: 99.1,
        label_height: 38.1,
        margin_top: 15.15,
        margin_left: 4.65,
        pitch_x: 101.6,
        pitch_y: 38.1,
    },
    // 21 labels of 63.5 × 38.1 mm, 2.5 mm gutters.
    SheetLayout {
        id: "3x7-63.5x38.1",
        columns: 3,
        rows: 7,
        label_width: 63.5,
        label_height: 38.1,
        margin_top: 15.15,
        margin_left: 7.2,
        pitch_x: 66.0,
        pitch_y: 38.1,
    },
    // 40 labels of 48.5 × 25.4 mm, edge to edge.
    SheetLayout {
        id: "4x10-48.5x25.4",
        columns: 4,
        rows: 10,
        label_width: 48.5,
        label_height: 25.4,
        margin_top: 21.5,
        margin_left: 8.0,
        pitch_x: 48.5,
        pitch_y: 25.4,
    },
];

/// Most labels printed at once (≈ 100 sheets of the smallest labels).
pub const MAX_LABELS: usize = 4_000;

impl SheetLayout {
    pub fn by_id(id: &str) -> Option<SheetLayout> {
        LAYOUTS.iter().copied().find(|l| l.id == id)
    }
    pub fn per_sheet(&self) -> u32 {
        self.columns * self.rows
    }
    /// The label fits on the page.
    pub fn fits(&self) -> bool {
        let right = self.margin_left + self.pitch_x * (self.columns - 1) as f32 + self.label_width;
        let bottom = self.margin_top + self.pitch_y * (self.rows - 1) as f32 + self.label_height;
        right <= A4_WIDTH + 0.05 && bottom <= A4_HEIGHT + 0.05
    }
}

/// A label's place: on which sheet, where (mm from the page's top-left),
/// and which item it shows (`None` for a slot skipped by the offset).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub sheet: usize,
    pub index_on_sheet: u32,
    pub x: f32,
    pub y: f32,
    pub item: Option<usize>,
}

/// Places `count` items on sheets, starting after `offset` already used
/// labels of the first sheet (clamped to one sheet minus one). Skipped
/// slots come out with `item: None`, so that the page draws them empty.
pub fn place(layout: &SheetLayout, offset: u32, count: usize) -> Vec<Vec<Slot>> {
    let per = layout.per_sheet() as usize;
    let offset = (offset as usize).min(per.saturating_sub(1));
    let total = offset + count;
    let sheets = total.div_ceil(per).max(1);
    let mut out = Vec::with_capacity(sheets);
    for s in 0..sheets {
        let mut slots = Vec::with_capacity(per);
        for i in 0..per {
            let n = s * per + i;
            if n >= total {
                break;
            }
            let (r, c) = (
                (i / layout.columns as usize) as f32,
                (i % layout.columns as usize) as f32,
            );
            slots.push(Slot {
                sheet: s,
                index_on_sheet: i as u32,
                x: layout.margin_left + c * layout.pitch_x,
                y: layout.margin_top + r * layout.pitch_y,
                item: n.checked_sub(offset),
            });
        }
        out.push(slots);
    }
    out
}

#[derive(Debug, thiserror::Error)]
#[error("QR code: {0}")]
pub struct QrError(String);

/// The QR code of `url` as an inline `<svg>` element (no XML prolog),
/// sized by its container (`width`/`height` 100 %), hidden from screen
/// readers (the inventory number printed next to it says the same).
/// Error correction level M: survives a scratched label.
pub fn qr_svg(url: &str) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| QrError(e.to_string()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    let start = image.find("<svg").ok_or_else(|| QrError("no svg".into()))?;
    let svg = &image[start..];
    // `<svg … width="N" height="N" viewBox=…>`: size it by CSS instead.
    let svg = match (svg.find(" width=\""), svg.find(" viewBox=")) {
        (Some(w), Some(v)) if w < v => format!(
            "{} width=\"100%\" height=\"100%\" aria-hidden=\"true\" focusable=\"false\"{}",
            &svg[..w],
            &svg[v..]
        ),
        _ => return Err(QrError("unexpected svg".into())),
    };
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_fits_an_a4_page() {
        for l in LAYOUTS {
            assert!(l.fits(), "{}", l.id);
            assert!(l.pitch_x >= l.label_width && l.pitch_y >= l.label_height);
        }
        assert_eq!(
            SheetLayout::by_id("3x8-70x37").map(|l| l.per_sheet()),
            Some(24)
        );
        assert_eq!(
            SheetLayout::by_id("2x7-99.1x38.1").map(|l| l.per_sheet()),
            Some(14)
        );
        assert_eq!(
            SheetLayout::by_id("4x10-48.5x25.4").map(|l| l.per_sheet()),
            Some(40)
        );
        assert_eq!(SheetLayout::by_id("avery"), None);
    }

    #[test]
    fn an_offset_skips_used_labels_of_the_first_sheet() {
        let l = SheetLayout::by_id("3x8-70x37").expect("layout");
        let sheets = place(&l, 5, 19);
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].len(), 24);
        assert!(sheets[0][..5].iter().all(|s| s.item.is_none()));
        assert_eq!(sheets[0][5].item, Some(0));
        // Slot 5: second row, third column.
        assert_eq!((sheets[0][5].x, sheets[0][5].y), (140.0, 37.5));
        let sheets = place(&l, 5, 30);
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[1].len(), 11);
        assert_eq!(sheets[1][0].item, Some(19));
        assert_eq!(sheets[1][10].item, Some(29));
        // An offset beyond the sheet is clamped; nothing to print → one empty sheet.
        assert_eq!(place(&l, 99, 1)[0].len(), 24);
        assert_eq!(place(&l, 0, 0).len(), 1);
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = qr_svg("https://refnum.example.fr/q/AbCdEf0123456789_-xyzw").expect("qr");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("width=\"100%\"") && svg.contains("viewBox=\"0 0 "));
        assert!(svg.contains("aria-hidden=\"true\""));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
    }
}
