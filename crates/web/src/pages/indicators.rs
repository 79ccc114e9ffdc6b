//! Pages: indicators. The equipment and helpdesk dashboard of a school,
//! over a period, with its charts drawn on the server as accessible SVG and
//! the data table of each chart.

use super::{SignedIn, render};
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::{Lang, Tr};
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use refnum_services::indicators::{self, Dashboard, Period, Share};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/etablissements/{id}/indicateurs/parc", get(parc))
}

/// `?periode=30|90|365|annee`
#[derive(serde::Deserialize, Default)]
pub struct PeriodQuery {
    periode: Option<String>,
}

/// Width of a chart's drawing, in SVG units.
const CHART_W: u32 = 720;
/// Width of the label column.
const LABEL_W: u32 = 300;
/// Longest label drawn whole in the label column (at the chart's 15 px);
/// a longer one is cut with "…" in the drawing, and stays whole in the
/// table below it and in the drawing's description.
const LABEL_CHARS: usize = 34;
/// Longest bar.
const BAR_MAX: u32 = 320;
/// Height of one row.
const ROW_H: u32 = 34;

/// One bar of a chart, its geometry computed here.
pub struct Bar {
    pub label: String,
    /// The label as drawn (cut when too long for its column).
    pub short: String,
    pub value: String,
    pub y: u32,
    pub text_y: u32,
    pub width: u32,
    pub value_x: u32,
}

/// A horizontal bar chart with its data table.
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub label_head: String,
    pub value_head: String,
    pub width: u32,
    pub height: u32,
    pub label_x: u32,
    pub bar_x: u32,
    pub bar_h: u32,
    pub bars: Vec<Bar>,
}

impl Chart {
    pub(crate) fn new(
        id: &str,
        title: String,
        label_head: String,
        value_head: String,
        rows: Vec<(String, f64, String)>,
    ) -> Chart {
        let max = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max);
        let bars: Vec<Bar> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (label, v, value))| {
                let width = if max > 0.0 {
                    ((v / max) * f64::from(BAR_MAX))
                        .round()
                        .clamp(0.0, f64::from(BAR_MAX)) as u32
                } else {
                    0
                };
                let y = u32::try_from(i).unwrap_or(0) * ROW_H + 4;
                let short = if label.chars().count() > LABEL_CHARS {
                    let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
                    s.push('…');
                    s
                } else {
                    label.clone()
                };
                Bar {
                    short,
                    label,
                    value,
                    y,
                    text_y: y + ROW_H / 2 + 1,
                    width,
                    value_x: LABEL_W + width + 8,
                }
            })
            .collect();
        let desc = bars
            .iter()
            .map(|b| format!("{} : {}", b.label, b.value))
            .collect::<Vec<_>>()
            .join(" ; ");
        Chart {
            id: id.to_string(),
            title,
            desc,
            label_head,
            value_head,
            width: CHART_W,
            height: u32::try_from(bars.len()).unwrap_or(0) * ROW_H + 8,
            label_x: LABEL_W - 8,
            bar_x: LABEL_W,
            bar_h: ROW_H - 12,
            bars,
        }
    }
}

/// A headline figure.
pub struct Figure {
    /// The card's id (empty: none).
    pub id: &'static str,
    pub label: String,
    pub value: String,
    pub note: String,
    /// The exact inputs of the figure, as `data-*` attributes of its card
    /// (for scripts and checks; the text shows the rounded value).
    pub data: Vec<(&'static str, String)>,
}

/// A choice of the period selector.
pub struct PeriodChoice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "indicators/parc.html")]
struct ParcPage {
    page: Page,
    heading: String,
    action: String,
    periods: Vec<PeriodChoice>,
    period_text: String,
    figures: Vec<Figure>,
    charts: Vec<Chart>,
    availability_note: String,
    has_tickets: bool,
    /// The loan figures, for those who see the school's loans: (id, label, value).
    loans: Vec<(&'static str, String, u64)>,
    occupancy_href: String,
}

pub(crate) fn number(tr: Tr, v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match tr.0 {
        Lang::Fr => s.replace('.', ","),
        Lang::En => s,
    }
}

pub(crate) fn percent(tr: Tr, v: Option<f64>) -> String {
    match v {
        Some(v) => tr.t_args("ind-percent", &[("value", number(tr, v, 1))]),
        None => tr.t("ind-none"),
    }
}

fn share_note(tr: Tr, s: &Share) -> String {
    tr.t_args(
        "ind-share-of",
        &[("count", s.count.to_string()), ("total", s.of.to_string())],
    )
}

fn category_label(tr: Tr, code: &str) -> String {
    for key in [
        format!("ticket-category-{code}"),
        format!("ind-category-{code}"),
    ] {
        if tr.has(&key) {
            return tr.t(&key);
        }
    }
    code.to_string()
}

fn build(tr: Tr, d: &Dashboard) -> (Vec<Figure>, Vec<Chart>) {
    let mut figures = vec![];
    let mut charts = vec![];
    if let Some(t) = &d.tickets {
        figures.push(Figure {
            id: "ind-availability",
            label: tr.t("ind-availability"),
            value: percent(tr, t.availability),
            note: tr.t_args(
                "ind-availability-note",
                &[
                    ("hours", number(tr, t.unusable_hours, 0)),
                    ("assets", d.assets.deployed.to_string()),
                ],
            ),
            data: vec![
                ("unusable-seconds", t.unusable_seconds.to_string()),
                ("deployed", d.assets.deployed.to_string()),
                ("period-seconds", t.period_seconds.to_string()),
                (
                    "percent",
                    t.availability.map(|a| a.to_string()).unwrap_or_default(),
                ),
            ],
        });
        figures.push(Figure {
            id: "",
            data: vec![],
            label: tr.t("ind-mttr"),
            value: match t.mean_resolution_hours {
                Some(h) => tr.t_args("ind-hours", &[("value", number(tr, h, 1))]),
                None => tr.t("ind-none"),
            },
            note: tr.t_args("ind-mttr-note", &[("count", t.resolved.to_string())]),
        });
        figures.push(Figure {
            id: "",
            data: vec![],
            label: tr.t("ind-sla"),
            value: percent(tr, t.sla.percent),
            note: tr.t_args(
                "ind-sla-note",
                &[
                    ("count", t.sla.count.to_string()),
                    ("total", t.sla.of.to_string()),
                ],
            ),
        });
    }
    figures.push(Figure {
        id: "",
        data: vec![],
        label: tr.t("ind-out-of-warranty"),
        value: percent(tr, d.out_of_warranty.percent),
        note: share_note(tr, &d.out_of_warranty),
    });
    figures.push(Figure {
        id: "",
        data: vec![],
        label: tr.t("ind-old-computers"),
        value: percent(tr, d.old_computers.percent),
        note: share_note(tr, &d.old_computers),
    });
    figures.push(Figure {
        id: "",
        data: vec![],
        label: tr.t("ind-terminals-per-100"),
        value: d
            .terminals_per_100
            .map(|v| number(tr, v, 1))
            .unwrap_or_else(|| tr.t("ind-none")),
        note: tr.t_args(
            "ind-terminals-note",
            &[
                ("terminals", d.assets.terminals.to_string()),
                ("pupils", d.etab.pupil_count.to_string()),
            ],
        ),
    });

    if let Some(t) = &d.tickets {
        let ages = ["lt1", "1to3", "3to7", "7to30", "gt30"];
        charts.push(Chart::new(
            "ind-chart-age",
            tr.t("ind-chart-age"),
            tr.t("ind-col-age"),
            tr.t("ind-col-tickets"),
            ages.iter()
                .zip(t.open_by_age.iter())
                .map(|(k, n)| (tr.t(&format!("ind-age-{k}")), *n as f64, n.to_string()))
                .collect(),
        ));
        charts.push(Chart::new(
            "ind-chart-category",
            tr.t("ind-chart-category"),
            tr.t("ind-col-category"),
            tr.t("ind-col-tickets"),
            t.per_category
                .iter()
                .map(|(c, n)| (category_label(tr, c), *n as f64, n.to_string()))
                .collect(),
        ));
    }
    let mut rows = vec![];
    if let Some(t) = &d.tickets
        && let Some(a) = t.availability
    {
        rows.push((tr.t("ind-availability"), a, percent(tr, Some(a))));
    }
    for (key, s) in [
        ("ind-out-of-warranty", &d.out_of_warranty),
        ("ind-old-computers", &d.old_computers),
    ] {
        rows.push((tr.t(key), s.percent.unwrap_or(0.0), percent(tr, s.percent)));
    }
    charts.push(Chart::new(
        "ind-chart-parc",
        tr.t("ind-chart-parc"),
        tr.t("ind-col-indicator"),
        tr.t("ind-col-share"),
        rows,
    ));
    (figures, charts)
}

pub async fn parc(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let period = q
        .periode
        .as_deref()
        .and_then(Period::parse)
        .unwrap_or_default();
    let d = indicators::dashboard(&state.db, &s.ctx, id, period).await?;
    let (figures, charts) = build(tr, &d);
    let loans = if refnum_services::prets::may_view(&state.db, &s.ctx, id).await? {
        let l = refnum_services::prets::indicators(&state.db, &s.ctx, id, d.start, d.end).await?;
        [
            ("ind-loans-out", l.out),
            ("ind-loans-overdue", l.overdue),
            ("ind-loans-lent", l.lent),
            ("ind-loans-returned", l.returned),
            ("ind-loans-lost", l.lost),
            ("ind-loans-broken", l.broken),
        ]
        .into_iter()
        .map(|(k, v)| (k, tr.t(k), v))
        .collect()
    } else {
        vec![]
    };
    let heading = tr.t_args("ind-title", &[("name", d.etab.name.clone())]);
    let p = ParcPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: urls::indicators::parc_dashboard(id),
        periods: Period::ALL
            .iter()
            .map(|p| PeriodChoice {
                value: p.as_str(),
                label: tr.t(&format!("ind-period-{}", p.as_str())),
                selected: *p == period,
            })
            .collect(),
        period_text: tr.t_args(
            "ind-period-text",
            &[
                ("start", crate::time::fmt_time(tr, &d.start).text()),
                ("end", crate::time::fmt_time(tr, &d.end).text()),
            ],
        ),
        figures,
        charts,
        availability_note: tr.t("ind-availability-how"),
        has_tickets: d.tickets.is_some(),
        loans,
        occupancy_href: urls::reservations::occupancy(id),
    };
    Ok(render(&p))
}

#[cfg(test)]
mod chart_tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_in_the_drawing_only_and_empty_charts_have_no_bar() {
        let long = "Taux de disponibilité des équipements de la salle informatique".to_string();
        let c = Chart::new(
            "ind-chart-x",
            "Titre".into(),
            "Quoi".into(),
            "Combien".into(),
            vec![
                (long.clone(), 3.0, "3".into()),
                ("Court".into(), 1.0, "1".into()),
            ],
        );
        assert_eq!(c.bars[0].label, long, "the table keeps the whole label");
        assert!(c.bars[0].short.ends_with('…'));
        assert_eq!(c.bars[0].short.chars().count(), LABEL_CHARS);
        assert_eq!(c.bars[1].short, "Court");
        assert!(c.desc.contains(&long), "the description keeps it whole");
        assert!(c.bars.iter().all(|b| b.value_x + 40 <= c.width));
        let empty = Chart::new("e", "T".into(), "Q".into(), "C".into(), vec![]);
        assert!(empty.bars.is_empty());
    }
}
