//! Printable QR label sheets and their stylesheet.

use super::exports::{FilterQuery, non_empty};
use super::{LABELS_CSS_PATH, code_label, labels_path};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors};
use crate::page::Page;
use crate::pages::{Opt, SignedIn, render_status};
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use refnum_io::parc::labels::{self, SheetLayout};
use refnum_io::parc::vocabulary::{CATEGORY_CODES, STATUS_CODES};
use refnum_services::parc::files::{self};
use uuid::Uuid;

// ------------------------------------------------------------------- labels

pub(super) struct LabelView {
    pub(super) qr: String,
    pub(super) inventory_number: String,
    pub(super) what: String,
    pub(super) school: String,
}

pub(super) struct SheetView {
    pub(super) title: String,
    pub(super) slots: Vec<Option<LabelView>>,
}

#[derive(Template)]
#[template(path = "parc/fichiers/labels.html")]
pub(super) struct LabelsPage {
    pub(super) page: Page,
    pub(super) action: String,
    pub(super) back: String,
    pub(super) css: String,
    pub(super) layouts: Vec<Opt>,
    pub(super) categories: Vec<Opt>,
    pub(super) statuses: Vec<Opt>,
    pub(super) q: String,
    pub(super) offset: String,
    pub(super) equipement: String,
    /// "3 équipements choisis" when the sheet is for chosen assets.
    pub(super) selection_text: Option<String>,
    pub(super) errors: FormErrors,
    /// The sheets, once the form is sent.
    pub(super) sheets: Vec<SheetView>,
    pub(super) sheet_class: String,
    pub(super) summary: String,
    pub(super) submitted: bool,
    pub(super) truncated: bool,
}

/// The CSS class of a layout (`3x8-70x37` → `sheet--3x8-70x37`; dots
/// become underscores).
pub(super) fn sheet_class(l: &SheetLayout) -> String {
    format!("sheet--{}", l.id.replace('.', "_"))
}

/// The origin for the QR codes (see the module's documentation).
pub(crate) fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(o) = &state.config.public_origin {
        return o.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() < 256
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub(super) async fn labels_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Query(fq): Query<FilterQuery>,
) -> Result<Response, PageError> {
    let scope = files::export_scope(&state.db, &s.ctx, id).await?;
    let tr = s.shell.tr;
    let layout_id = fq.format.clone().unwrap_or_default();
    let layout = SheetLayout::by_id(&layout_id);
    let submitted = fq.format.is_some();
    let offset_raw = fq.decalage.clone().unwrap_or_default();
    let mut errors = FormErrors::default();
    let offset = match offset_raw.trim() {
        "" => Some(0),
        v => v
            .parse::<u32>()
            .ok()
            .filter(|o| layout.is_none_or(|l| *o < l.per_sheet())),
    };
    if submitted && layout.is_none() {
        errors.items.push(FieldMsg {
            field: "format".into(),
            message: tr.t("parcfiles-error-layout"),
        });
    }
    if offset.is_none() {
        errors.items.push(FieldMsg {
            field: "decalage".into(),
            message: tr.t("parcfiles-error-offset"),
        });
    }
    let filter = fq.filter();
    let selection = fq.selection();
    let mut sheets = vec![];
    let mut summary = String::new();
    let mut truncated = false;
    if let (true, Some(layout), Some(offset)) = (submitted, layout, offset)
        && errors.is_empty()
    {
        let assets = match selection.as_slice() {
            [] if non_empty(&fq.equipement).is_some() => return Err(PageError::NotFound),
            [aid] => files::label_asset(&state.db, &scope, *aid).await?,
            [_, _, ..] => files::label_selection(&state.db, &scope, &selection).await?,
            [] => {
                let (a, more) = files::label_assets(&state.db, &scope, &filter).await?;
                truncated = more;
                a
            }
        };
        let origin = origin(&state, &headers);
        let mut views = Vec::with_capacity(assets.len());
        for v in &assets {
            let url = format!("{origin}{}", urls::parc::qr(&v.asset.qr_token));
            let qr = labels::qr_svg(&url).map_err(|e| {
                tracing::error!(error = %e, "QR code failed");
                PageError::Internal
            })?;
            let cat = code_label(tr, "parc-category-", &v.asset.category);
            let model = [v.asset.manufacturer.as_str(), v.asset.model.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            views.push(Some(LabelView {
                qr,
                inventory_number: v.asset.inventory_number.clone(),
                what: if model.is_empty() {
                    cat
                } else {
                    format!("{cat} — {model}")
                },
                school: scope.etab.name.clone(),
            }));
        }
        let placed = labels::place(&layout, offset, views.len());
        let n_sheets = placed.len();
        for (i, slots) in placed.into_iter().enumerate() {
            sheets.push(SheetView {
                title: tr.t_args(
                    "parcfiles-sheet-label",
                    &[("n", (i + 1).to_string()), ("total", n_sheets.to_string())],
                ),
                slots: slots
                    .into_iter()
                    .map(|slot| {
                        slot.item
                            .and_then(|k| views.get_mut(k))
                            .and_then(Option::take)
                    })
                    .collect(),
            });
        }
        summary = tr.t_args(
            "parcfiles-labels-count",
            &[
                ("count", assets.len().to_string()),
                ("sheets", n_sheets.to_string()),
            ],
        );
    }
    let current_layout = layout.map(|l| l.id).unwrap_or(labels::LAYOUTS[0].id);
    let any = tr.t("parcfiles-any");
    let mut categories = vec![Opt::new(
        "",
        any.clone(),
        fq.categorie.as_deref().unwrap_or(""),
    )];
    categories.extend(CATEGORY_CODES.iter().map(|c| {
        Opt::new(
            *c,
            code_label(tr, "parc-category-", c),
            fq.categorie.as_deref().unwrap_or(""),
        )
    }));
    let mut statuses = vec![Opt::new("", any, fq.etat.as_deref().unwrap_or(""))];
    statuses.extend(STATUS_CODES.iter().map(|c| {
        Opt::new(
            *c,
            code_label(tr, "parc-status-", c),
            fq.etat.as_deref().unwrap_or(""),
        )
    }));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &LabelsPage {
            action: labels_path(id),
            back: urls::parc::assets(id),
            css: format!("{LABELS_CSS_PATH}?v={}", labels_css_version()),
            layouts: labels::LAYOUTS
                .iter()
                .map(|l| {
                    Opt::new(
                        l.id,
                        tr.t(&format!("parcfiles-layout-{}", l.id.replace('.', "_"))),
                        current_layout,
                    )
                })
                .collect(),
            categories,
            statuses,
            q: non_empty(&fq.q).unwrap_or_default(),
            offset: offset_raw,
            equipement: selection
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(","),
            selection_text: (!selection.is_empty()).then(|| {
                tr.t_args(
                    "parcfiles-labels-selection",
                    &[("count", selection.len().to_string())],
                )
            }),
            errors,
            sheets,
            sheet_class: layout.map(|l| sheet_class(&l)).unwrap_or_default(),
            summary,
            submitted,
            truncated,
            page: s.shell.page("parcfiles-labels-title"),
        },
    ))
}

// ------------------------------------------------------------- label sheet CSS

pub(super) const LABELS_CSS: &str = include_str!("../../../../../../assets/labels.css");

pub(super) fn labels_css_version() -> &'static str {
    use sha2::{Digest, Sha256};
    use std::sync::OnceLock;
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| hex::encode(Sha256::digest(LABELS_CSS.as_bytes()))[..12].to_string())
}

pub(super) async fn labels_css(headers: HeaderMap) -> Response {
    let etag = format!("\"{}\"", labels_css_version());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8".to_string()),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
            (header::ETAG, etag),
        ],
        LABELS_CSS,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::super::vocabulary;
    use super::*;
    use crate::i18n::{Lang, Tr};
    use refnum_io::parc::vocabulary::{CATEGORY_CODES, Kind, OWNER_CODES, STATUS_CODES};
    use refnum_services::parc::files::Op;

    /// Every key the importer may report exists in the catalogues, and
    /// every layout has its label and its CSS rule with the right sizes.
    #[test]
    fn importer_keys_layout_labels_and_css_agree() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for k in refnum_io::parc::import::ISSUE_KEYS
                .iter()
                .chain(refnum_io::parc::import::GLPI_WARNING_KEYS.iter())
            {
                assert!(tr.has(k), "{k}");
            }
            for l in labels::LAYOUTS {
                let key = format!("parcfiles-layout-{}", l.id.replace('.', "_"));
                assert!(tr.has(&key), "{key}");
            }
            for f in ["own", "glpi"] {
                assert!(tr.has(&format!("parcfiles-format-{f}")));
            }
            for op in [Op::Add, Op::Update, Op::Unchanged] {
                assert!(tr.has(&format!("parcfiles-action-{}", op.as_str())));
            }
        }
        for l in labels::LAYOUTS {
            let class = format!(".{}", sheet_class(&l));
            let rule = LABELS_CSS
                .split(&format!("{class} {{"))
                .nth(1)
                .and_then(|r| r.split('}').next())
                .unwrap_or_else(|| panic!("no rule for {class}"));
            let fmt = |v: f32| format!("{}mm", (v * 100.0).round() / 100.0);
            assert!(
                rule.contains(&format!(
                    "grid-template-columns: repeat({}, {})",
                    l.columns,
                    fmt(l.label_width)
                )),
                "{class}"
            );
            assert!(
                rule.contains(&format!("grid-auto-rows: {}", fmt(l.label_height))),
                "{class}"
            );
            assert!(
                rule.contains(&format!(
                    "padding: {} 0 0 {}",
                    fmt(l.margin_top),
                    fmt(l.margin_left)
                )),
                "{class}"
            );
            assert!(
                rule.contains(&format!("column-gap: {}", fmt(l.pitch_x - l.label_width))),
                "{class}"
            );
        }
    }

    /// The labels an export writes (the parc catalogue's) import back.
    #[test]
    pub(super) fn catalogue_labels_re_import() {
        let v = vocabulary();
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for (kind, prefix, codes) in [
                (Kind::Category, "parc-category-", &CATEGORY_CODES[..]),
                (Kind::Status, "parc-status-", &STATUS_CODES[..]),
                (Kind::Owner, "parc-owner-", &OWNER_CODES[..]),
            ] {
                for code in codes {
                    let label = code_label(tr, prefix, code);
                    assert_eq!(v.lookup(kind, &label), Some(*code), "{label}");
                }
            }
        }
    }
}
