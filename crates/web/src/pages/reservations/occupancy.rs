//! The occupancy indicators of the bookable resources: rates per resource
//! and per slot over a period, as accessible SVG charts with their data
//! tables (the same charts as the equipment indicators).

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::indicators::{Chart, PeriodChoice, number, percent};
use crate::pages::{SignedIn, render};
use crate::urls::reservations as urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use refnum_services::indicators::Period;
use refnum_services::reservations::occupancy::{self, Rate};
use uuid::Uuid;

#[derive(serde::Deserialize, Default)]
pub struct PeriodQuery {
    periode: Option<String>,
}

#[derive(Template)]
#[template(path = "reservations/occupancy.html")]
struct OccupancyPage {
    page: Page,
    heading: String,
    home_href: String,
    action: String,
    periods: Vec<PeriodChoice>,
    period_text: String,
    charts: Vec<Chart>,
    empty: bool,
}

fn rows(tr: Tr, rates: &[Rate]) -> Vec<(String, f64, String)> {
    rates
        .iter()
        .map(|r| {
            let value = match r.percent {
                Some(p) => tr.t_args(
                    "resa-occupancy-value",
                    &[
                        ("rate", percent(tr, Some(p))),
                        ("booked", r.booked.to_string()),
                        ("bookable", r.bookable.to_string()),
                    ],
                ),
                None => percent(tr, None),
            };
            (r.label.clone(), r.percent.unwrap_or(0.0), value)
        })
        .collect()
}

pub async fn page(
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
    let o = occupancy::report(&state.db, &s.ctx, id, period).await?;
    let heading = tr.t_args("resa-occupancy-title", &[("name", o.etab.name.clone())]);
    let charts = vec![
        Chart::new(
            "resa-occupancy-resources",
            tr.t("resa-occupancy-per-resource"),
            tr.t("resa-col-resource"),
            tr.t("resa-occupancy-col-rate"),
            rows(tr, &o.per_resource),
        ),
        Chart::new(
            "resa-occupancy-slots",
            tr.t("resa-occupancy-per-slot"),
            tr.t("resa-occupancy-col-slot"),
            tr.t("resa-occupancy-col-rate"),
            rows(tr, &o.per_slot),
        ),
    ];
    let p = OccupancyPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        home_href: urls::home(id),
        action: urls::occupancy(id),
        periods: Period::ALL
            .iter()
            .map(|p| PeriodChoice {
                value: p.as_str(),
                label: tr.t(&format!("ind-period-{}", p.as_str())),
                selected: *p == period,
            })
            .collect(),
        period_text: tr.t_args(
            "resa-occupancy-period",
            &[
                ("start", o.from.format("%d/%m/%Y").to_string()),
                ("end", o.to.format("%d/%m/%Y").to_string()),
                ("days", number(tr, o.school_days as f64, 0)),
            ],
        ),
        empty: o.per_resource.is_empty(),
        charts,
    };
    Ok(render(&p))
}
