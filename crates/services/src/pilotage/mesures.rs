//! The live values of the indicators a mission letter binds to a figure
//! RefNum computes (`Metric::computed_today`), in thousandths of their
//! unit, each with the period it covers and the catalogue keys of its name
//! and definition.
//!
//! The figures are the ones the other pages show, read for one school in
//! two statements (`refnum_db::pilotage::mesures`):
//! - equipment availability and SLA compliance as the parc indicators page
//!   computes them over the school year (`crate::indicators`);
//! - terminals per 100 pupils and computers older than five years as that
//!   page counts them today;
//! - booking occupancy as the occupancy page counts it (school days ×
//!   slots × resources bookable now, `crate::reservations::occupancy`);
//! - loans out and overdue as the loans pages count them today;
//! - the directory's freshness as the directory page reckons each source's
//!   age (`crate::annuaire::freshness`).
//!
//! Nothing here asks the policy: the caller (the letter's page) has already
//! checked that the reader may see the letter, and passes the school.

use crate::error::Result;
use crate::indicators::Period;
use crate::support::paris;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::pilotage::mesures::{self as q, f};
use refnum_domain::booking::{DayOff, day_off_on};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::indicateurs::{Metric, per_hundred};
use refnum_io::annuaire::Source;

/// What a value covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// From 1 September of the current school year (00:00 UTC, as the parc
    /// indicators page starts its "since the start of the year" period) to
    /// the moment read.
    SchoolYearSoFar {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// The school days (Monday to Friday, days off excluded) from `first`
    /// to `last` (Paris dates, both included), `days` of them.
    SchoolDays {
        first: NaiveDate,
        last: NaiveDate,
        days: u32,
    },
    /// The state at that moment.
    At(DateTime<Utc>),
    /// Whole days from `imported`, the oldest of the sources' last applied
    /// imports (none yet: no value), to `at`.
    SinceImport {
        imported: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    },
}

/// The value of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mesure {
    pub metric: Metric,
    /// In thousandths of the metric's unit; none when undefined (nothing
    /// to divide by, no import yet).
    pub value: Option<i64>,
    pub covers: Covers,
}

/// The values of every metric RefNum computes today for a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mesures {
    pub etablissement_id: uuid::Uuid,
    /// The school year of the moment read.
    pub year: SchoolYear,
    /// The moment read.
    pub at: DateTime<Utc>,
    /// In `Metric::ALL` order, the metrics computed today only.
    pub values: Vec<Mesure>,
}

impl Mesures {
    /// The value of `metric`, if RefNum computes it today.
    pub fn get(&self, metric: Metric) -> Option<&Mesure> {
        self.values.iter().find(|m| m.metric == metric)
    }

    /// The value of `metric` in thousandths, none when undefined or not
    /// computed.
    pub fn value(&self, metric: Metric) -> Option<i64> {
        self.get(metric).and_then(|m| m.value)
    }
}

/// The catalogue keys of a metric.
struct Keys {
    label_key: &'static str,
    definition_key: &'static str,
}

fn keys(metric: Metric) -> Keys {
    match metric {
        Metric::EquipmentAvailability => Keys {
            label_key: "pilotage-metric-equipment-availability",
            definition_key: "pilotage-metric-equipment-availability-definition",
        },
        Metric::SlaCompliance => Keys {
            label_key: "pilotage-metric-sla-compliance",
            definition_key: "pilotage-metric-sla-compliance-definition",
        },
        Metric::TerminalsPer100Pupils => Keys {
            label_key: "pilotage-metric-terminals-per-100-pupils",
            definition_key: "pilotage-metric-terminals-per-100-pupils-definition",
        },
        Metric::ComputersOlderThan5Years => Keys {
            label_key: "pilotage-metric-computers-older-than-5-years",
            definition_key: "pilotage-metric-computers-older-than-5-years-definition",
        },
        Metric::BookingOccupancy => Keys {
            label_key: "pilotage-metric-booking-occupancy",
            definition_key: "pilotage-metric-booking-occupancy-definition",
        },
        Metric::LoansOut => Keys {
            label_key: "pilotage-metric-loans-out",
            definition_key: "pilotage-metric-loans-out-definition",
        },
        Metric::LoansOverdue => Keys {
            label_key: "pilotage-metric-loans-overdue",
            definition_key: "pilotage-metric-loans-overdue-definition",
        },
        Metric::DirectoryFreshness => Keys {
            label_key: "pilotage-metric-directory-freshness",
            definition_key: "pilotage-metric-directory-freshness-definition",
        },
        Metric::ComiteMeetings => Keys {
            label_key: "pilotage-metric-comite-meetings",
            definition_key: "pilotage-metric-not-computed-definition",
        },
        Metric::TrainingsHeld => Keys {
            label_key: "pilotage-metric-trainings-held",
            definition_key: "pilotage-metric-not-computed-definition",
        },
        Metric::TeachersTrained => Keys {
            label_key: "pilotage-metric-teachers-trained",
            definition_key: "pilotage-metric-not-computed-definition",
        },
        Metric::AccompanimentHandled => Keys {
            label_key: "pilotage-metric-accompaniment-handled",
            definition_key: "pilotage-metric-not-computed-definition",
        },
        Metric::RegisterEntries => Keys {
            label_key: "pilotage-metric-register-entries",
            definition_key: "pilotage-metric-not-computed-definition",
        },
    }
}

/// The catalogue key of a metric's name: `pilotage-metric-<code>`, the
/// code's `_` written `-`.
pub fn label_key(metric: Metric) -> &'static str {
    keys(metric).label_key
}

/// The catalogue key of what a metric counts over which period:
/// `pilotage-metric-<code>-definition` for the metrics RefNum computes
/// today, a shared "not computed yet" for the others.
pub fn definition_key(metric: Metric) -> &'static str {
    keys(metric).definition_key
}

/// The metrics [`current`] gives, in `Metric::ALL` order.
pub fn computed() -> impl Iterator<Item = Metric> {
    Metric::ALL.iter().copied().filter(|m| m.computed_today())
}

/// Computers bought before this day are older than five years on `today`:
/// the same day five years earlier, exactly as the parc indicators page
/// reckons it.
pub fn five_years_before(today: NaiveDate) -> NaiveDate {
    today
        .with_year(today.year() - 5)
        .unwrap_or(today - Duration::days(5 * 365))
}

/// The school days from `first` to `last` (both included): Monday to
/// Friday, but for the days off.
pub fn school_days(first: NaiveDate, last: NaiveDate, off: &[DayOff]) -> Vec<NaiveDate> {
    let mut days = vec![];
    let mut d = first;
    while d <= last {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && day_off_on(off, d).is_none() {
            days.push(d);
        }
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    days
}

/// Seconds of the periods `(start, end)` within `[from, to)`, each clipped
/// to it (a period without an end runs to `to`).
pub fn seconds_within(
    periods: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    periods
        .iter()
        .map(|(start, end)| {
            let s = (*start).max(from);
            let e = end.unwrap_or(to).min(to);
            if e > s { (e - s).num_seconds() } else { 0 }
        })
        .sum()
}

/// Equipment availability in thousandths of a per cent: 1 − unusable time
/// ÷ (deployed assets × length of the period), rounded half up
/// ([`per_hundred`]), never below 0. None without a deployed asset or
/// with an empty period.
pub fn availability(deployed: i64, period_seconds: i64, unusable_seconds: i64) -> Option<i64> {
    let fleet = deployed.checked_mul(period_seconds)?;
    per_hundred((fleet - unusable_seconds).max(0), fleet)
}

/// Whole days from `since` to `at` (the directory page's age of a source),
/// never below 0.
pub fn whole_days(since: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    (at - since).num_days().max(0)
}

/// The values of the school's bound indicators at `now`.
pub async fn current(db: &Db, etab: &etablissement::Model, now: DateTime<Utc>) -> Result<Mesures> {
    let c = &db.conn;
    let from = Period::SchoolYear.start(now);
    let last = paris::to_local(now).date();
    let first = paris::to_local(from).date().min(last);
    let sources = Source::ALL.map(|s| s.as_str());
    // Statement 1: the days off, the unusable periods, the last imports.
    let dated = q::read_dated(c, etab.id, first, last, from, now, &sources).await?;
    let off: Vec<DayOff> = dated
        .days_off
        .iter()
        .map(|(start, end)| DayOff {
            label: String::new(),
            start: *start,
            end: *end,
        })
        .collect();
    let days = school_days(first, last, &off);
    // Statement 2: every count.
    let counts = q::read_counts(
        c,
        etab.id,
        &q::Period {
            from,
            to: now,
            old_before: five_years_before(now.date_naive()),
            today: last,
            school_days: &days,
        },
    )
    .await?;
    let n = |name: &str| counts.get(name).unwrap_or(0);
    let period_seconds = (now - from).num_seconds().max(0);
    let unusable = seconds_within(&dated.unusable, from, now);
    let n_days = i64::try_from(days.len()).unwrap_or(i64::MAX);
    let bookable = n_days
        .saturating_mul(n(f::SLOTS))
        .saturating_mul(n(f::RESOURCES));
    let imported = dated.last_imports.iter().min().copied();
    let year_so_far = Covers::SchoolYearSoFar { from, to: now };
    let values = computed()
        .map(|metric| {
            let (value, covers) = match metric {
                Metric::EquipmentAvailability => (
                    availability(n(f::DEPLOYED), period_seconds, unusable),
                    year_so_far,
                ),
                Metric::SlaCompliance => (per_hundred(n(f::SLA_MET), n(f::SLA_DUE)), year_so_far),
                Metric::TerminalsPer100Pupils => (
                    (n(f::ACTIVE) > 0)
                        .then(|| per_hundred(n(f::TERMINALS), n(f::PUPILS)))
                        .flatten(),
                    Covers::At(now),
                ),
                Metric::ComputersOlderThan5Years => (
                    per_hundred(n(f::COMPUTERS_OLD), n(f::COMPUTERS_DATED)),
                    Covers::At(now),
                ),
                Metric::BookingOccupancy => (
                    per_hundred(n(f::BOOKED), bookable),
                    Covers::SchoolDays {
                        first,
                        last,
                        days: u32::try_from(days.len()).unwrap_or(u32::MAX),
                    },
                ),
                Metric::LoansOut => (Some(n(f::LOANS_OUT) * 1000), Covers::At(now)),
                Metric::LoansOverdue => (Some(n(f::LOANS_OVERDUE) * 1000), Covers::At(now)),
                Metric::DirectoryFreshness => (
                    imported.map(|t| whole_days(t, now) * 1000),
                    Covers::SinceImport { imported, at: now },
                ),
                // Not computed today: `computed()` leaves them out.
                _ => (None, Covers::At(now)),
            };
            Mesure {
                metric,
                value,
                covers,
            }
        })
        .collect();
    Ok(Mesures {
        etablissement_id: etab.id,
        year: SchoolYear::of(from.date_naive()),
        at: now,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, 0, 0)
            .single()
            .expect("time")
    }

    #[test]
    fn every_metric_has_its_keys_named_after_its_code() {
        for m in Metric::ALL.iter().copied() {
            let code = m.as_str().replace('_', "-");
            assert_eq!(label_key(m), format!("pilotage-metric-{code}"));
            if m.computed_today() {
                assert_eq!(
                    definition_key(m),
                    format!("pilotage-metric-{code}-definition")
                );
            } else {
                assert_eq!(definition_key(m), "pilotage-metric-not-computed-definition");
            }
        }
        assert_eq!(computed().count(), 8);
    }

    #[test]
    fn availability_is_the_share_of_the_fleet_time_not_lost() {
        // 4 assets over 10 days, 1 day lost: 97,5 %.
        let day = 86_400;
        assert_eq!(availability(4, 10 * day, day), Some(97_500));
        // 3 assets over 1 000 s, 333 s lost: 2 667 ÷ 3 000 = 88,9 %.
        assert_eq!(availability(3, 1_000, 333), Some(88_900));
        assert_eq!(availability(3, 900, 100), Some(96_296));
        assert_eq!(availability(0, 10 * day, 0), None);
        assert_eq!(availability(5, 0, 0), None);
        // More time lost than the fleet had (assets in stock flagged): 0.
        assert_eq!(availability(1, 100, 250), Some(0));
    }

    #[test]
    fn unusable_periods_are_clipped_to_the_period() {
        let (from, to) = (at(2026, 9, 1, 0), at(2026, 9, 11, 0));
        let periods = [
            // Before and into the period: 2 hours count.
            (at(2026, 8, 31, 12), Some(at(2026, 9, 1, 2))),
            // Inside: 3 hours.
            (at(2026, 9, 5, 8), Some(at(2026, 9, 5, 11))),
            // Still open: to the end, 4 hours.
            (at(2026, 9, 10, 20), None),
            // Wholly before: nothing.
            (at(2026, 8, 1, 0), Some(at(2026, 8, 2, 0))),
        ];
        assert_eq!(seconds_within(&periods, from, to), 9 * 3600);
        assert_eq!(seconds_within(&[], from, to), 0);
    }

    #[test]
    fn school_days_skip_weekends_and_days_off() {
        let off = [DayOff {
            label: String::new(),
            start: d(2026, 9, 9),
            end: d(2026, 9, 10),
        }];
        // Tuesday 1 to Monday 14 September 2026: 10 weekdays, 2 off.
        let days = school_days(d(2026, 9, 1), d(2026, 9, 14), &off);
        assert_eq!(days.len(), 8);
        assert!(!days.contains(&d(2026, 9, 5)));
        assert!(!days.contains(&d(2026, 9, 9)));
        assert!(days.contains(&d(2026, 9, 14)));
        assert!(school_days(d(2026, 9, 5), d(2026, 9, 6), &[]).is_empty());
        assert!(school_days(d(2026, 9, 7), d(2026, 9, 6), &[]).is_empty());
    }

    #[test]
    fn ages_are_whole_days_and_old_means_five_years_to_the_day() {
        assert_eq!(whole_days(at(2026, 9, 1, 10), at(2026, 9, 3, 9)), 1);
        assert_eq!(whole_days(at(2026, 9, 1, 10), at(2026, 9, 3, 10)), 2);
        assert_eq!(whole_days(at(2026, 9, 3, 10), at(2026, 9, 1, 10)), 0);
        assert_eq!(five_years_before(d(2026, 12, 7)), d(2021, 12, 7));
    }
}
