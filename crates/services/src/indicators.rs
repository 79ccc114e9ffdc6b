//! Equipment and helpdesk indicators of a school.

use crate::Ctx;
use crate::error::Result;
use crate::orgs;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use refnum_db::entities::etablissement;
use refnum_db::{Db, indicators as q};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// The period the dashboard covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    /// The last 30 days.
    #[default]
    Days30,
    Days90,
    Days365,
    /// Since 1 September of the current school year.
    SchoolYear,
}

impl Period {
    pub const ALL: [Period; 4] = [
        Period::Days30,
        Period::Days90,
        Period::Days365,
        Period::SchoolYear,
    ];

    /// From the `periode` query value (`30`, `90`, `365`, `annee`).
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "30" => Some(Period::Days30),
            "90" => Some(Period::Days90),
            "365" => Some(Period::Days365),
            "annee" => Some(Period::SchoolYear),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Days30 => "30",
            Period::Days90 => "90",
            Period::Days365 => "365",
            Period::SchoolYear => "annee",
        }
    }

    /// The period's start for a period ending at `now`.
    pub fn start(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Period::Days30 => now - Duration::days(30),
            Period::Days90 => now - Duration::days(90),
            Period::Days365 => now - Duration::days(365),
            Period::SchoolYear => {
                let today = now.date_naive();
                let year = if today.month() >= 9 {
                    today.year()
                } else {
                    today.year() - 1
                };
                NaiveDate::from_ymd_opt(year, 9, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| d.and_utc())
                    .unwrap_or(now - Duration::days(365))
            }
        }
    }
}

/// A count and its share of a whole, in per cent (None when the whole is 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub count: u64,
    pub of: u64,
    pub percent: Option<f64>,
}

impl Share {
    pub fn new(count: u64, of: u64) -> Share {
        Share {
            count,
            of,
            percent: (of > 0).then(|| count as f64 * 100.0 / of as f64),
        }
    }
}

/// Helpdesk figures of a school over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketFigures {
    /// Open tickets by age now: < 1 d, 1–3 d, 3–7 d, 7–30 d, > 30 d.
    pub open_by_age: [u64; 5],
    /// Tickets resolved in the period.
    pub resolved: u64,
    /// Mean hours from creation to resolution of those.
    pub mean_resolution_hours: Option<f64>,
    /// Tickets resolved by their resolution due time, among those with a
    /// due time that fell or were resolved in the period.
    pub sla: Share,
    /// Hours the deployed assets were flagged unusable in the period.
    pub unusable_hours: f64,
    /// The same in whole seconds (what the rate is computed from).
    pub unusable_seconds: i64,
    /// Length of the period in seconds.
    pub period_seconds: i64,
    /// 1 − unusable time ÷ (deployed assets × period length), per cent.
    pub availability: Option<f64>,
    /// Tickets opened in the period, per category (most first).
    pub per_category: Vec<(String, u64)>,
}

/// The dashboard of a school over a period.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub etab: etablissement::Model,
    pub period: Period,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub assets: q::AssetFigures,
    /// Active assets out of warranty, among those with a known end.
    pub out_of_warranty: Share,
    /// Computers bought more than five years ago, among dated computers.
    pub old_computers: Share,
    /// Terminals per 100 pupils (None without a pupil count).
    pub terminals_per_100: Option<f64>,
    /// Helpdesk figures.
    pub tickets: Option<TicketFigures>,
}

/// The dashboard of a school, as of `now`.
pub async fn dashboard_at(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Dashboard> {
    let etab = orgs::etab_for(db, ctx, etab_id, EtabAction::ViewParcIndicators).await?;
    let today = now.date_naive();
    let old_before = today
        .with_year(today.year() - 5)
        .unwrap_or(today - Duration::days(5 * 365));
    let assets = q::asset_figures(&db.conn, etab.id, today, old_before).await?;
    let start = period.start(now);
    let tickets = Some(tickets(db, etab.id, start, now, assets.deployed).await?);
    let terminals_per_100 = (etab.pupil_count > 0)
        .then(|| assets.terminals as f64 * 100.0 / f64::from(etab.pupil_count));
    Ok(Dashboard {
        period,
        start,
        end: now,
        out_of_warranty: Share::new(assets.out_of_warranty, assets.with_warranty_end),
        old_computers: Share::new(assets.old_computers, assets.computers_dated),
        terminals_per_100,
        tickets,
        assets,
        etab,
    })
}

/// The dashboard of a school now.
pub async fn dashboard(db: &Db, ctx: &Ctx, etab_id: Uuid, period: Period) -> Result<Dashboard> {
    dashboard_at(db, ctx, etab_id, period, Utc::now()).await
}

/// Ages bounding the open tickets' buckets, in days.
const AGE_BOUNDS: [i64; 4] = [1, 3, 7, 30];

async fn tickets(
    db: &Db,
    etab: Uuid,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    deployed: u64,
) -> Result<TicketFigures> {
    let c = &db.conn;
    // Bucket k holds tickets created between bound k and bound k-1 ago.
    let mut open_by_age = [0u64; 5];
    let mut newer: Option<DateTime<Utc>> = None;
    for (k, slot) in open_by_age.iter_mut().enumerate() {
        let older = AGE_BOUNDS.get(k).map(|d| now - Duration::days(*d));
        *slot = q::open_tickets_created(c, etab, older, newer).await?;
        newer = older;
    }
    let (resolved, secs) = q::resolution_times(c, etab, start, now).await?;
    let (ok, due) = q::sla_compliance(c, etab, start, now).await?;
    let unusable = q::unusable_seconds(c, etab, start, now).await?;
    let period_secs = (now - start).num_seconds().max(0);
    let fleet = deployed as f64 * period_secs as f64;
    Ok(TicketFigures {
        open_by_age,
        resolved,
        mean_resolution_hours: (resolved > 0).then(|| secs as f64 / resolved as f64 / 3600.0),
        sla: Share::new(ok, due),
        unusable_hours: unusable as f64 / 3600.0,
        unusable_seconds: unusable,
        period_seconds: period_secs,
        availability: (fleet > 0.0).then(|| (1.0 - unusable as f64 / fleet) * 100.0),
        per_category: q::tickets_per_category(c, etab, start, now).await?,
    })
}
