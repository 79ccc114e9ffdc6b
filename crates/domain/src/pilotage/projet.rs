//! The digital part of the school project (*volet numérique du projet
//! d'établissement*): a plan over one to five school years, adopted by the
//! school's board, cut into axes, each axis into objectives, each objective
//! carried out by actions and followed by indicators.
//!
//! - An action runs between two dates within the plan, has an owner, a
//!   status that moves as the comité's actions do
//!   ([`ActionStatus::next`](super::comite::ActionStatus::next)) and a
//!   progress from 0 to 100 %.
//! - An indicator is of the same kinds as the mission letter's
//!   ([`IndicatorSource`]): typed by hand in a unit and a direction, or
//!   bound to a figure RefNum computes. It has a baseline, a target for
//!   each school year of the plan and, when typed, a value recorded per
//!   year.
//! - An objective's progress is the mean of its actions' progress, dropped
//!   actions left out ([`objective_progress`]).

use super::SchoolYear;
use super::comite::ActionStatus;
use super::indicateurs::on_target;
use super::lettre::IndicatorSource;
use chrono::NaiveDate;

pub use super::comite::{MAX_LABEL, MAX_TEXT};

/// The longest plan, in school years.
pub const MAX_YEARS: i32 = 5;

/// The school years a plan covers, the first and the last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    first: SchoolYear,
    last: SchoolYear,
}

impl Period {
    /// A period of one to [`MAX_YEARS`] school years; the error is the
    /// catalogue key of the refusal (the last year's field).
    pub fn new(first: SchoolYear, last: SchoolYear) -> Result<Self, &'static str> {
        if last < first {
            return Err("pilotage-error-projet-period-order");
        }
        if last.0 - first.0 + 1 > MAX_YEARS {
            return Err("pilotage-error-projet-period-length");
        }
        Ok(Period { first, last })
    }

    pub fn first(self) -> SchoolYear {
        self.first
    }

    pub fn last(self) -> SchoolYear {
        self.last
    }

    /// The plan's school years in order.
    pub fn years(self) -> Vec<SchoolYear> {
        (self.first.0..=self.last.0).map(SchoolYear).collect()
    }

    pub fn contains_year(self, y: SchoolYear) -> bool {
        self.first <= y && y <= self.last
    }

    /// Whether a day falls within the plan (1 September of its first year
    /// to 31 August after its last).
    pub fn contains(self, day: NaiveDate) -> bool {
        self.first.first_day() <= day && day <= self.last.last_day()
    }

    /// "2025-2026 – 2028-2029" (one label when the plan lasts one year).
    pub fn label(self) -> String {
        if self.first == self.last {
            self.first.label()
        } else {
            format!("{} – {}", self.first.label(), self.last.label())
        }
    }
}

/// An action's dates: both within the plan, the end not before the start.
/// The error names the field (`start_on` or `end_on`) and its key.
pub fn check_action_dates(
    period: Period,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<(), (&'static str, &'static str)> {
    if !period.contains(start) {
        return Err(("start_on", "pilotage-error-projet-action-outside-plan"));
    }
    if !period.contains(end) {
        return Err(("end_on", "pilotage-error-projet-action-outside-plan"));
    }
    if end < start {
        return Err(("end_on", "pilotage-error-projet-action-end-before-start"));
    }
    Ok(())
}

/// Reads a progress typed in a form: a whole number from 0 to 100, with
/// or without "%".
pub fn parse_progress(input: &str) -> Result<i32, &'static str> {
    let s = input.trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim();
    match s.parse::<i32>() {
        Ok(p) if (0..=100).contains(&p) => Ok(p),
        _ => Err("pilotage-error-projet-progress"),
    }
}

/// The progress an action keeps once it reaches `status`: a done action
/// is complete (100 %); any other keeps what it had.
pub fn progress_at(status: ActionStatus, progress: i32) -> i32 {
    if status == ActionStatus::Done {
        100
    } else {
        progress.clamp(0, 100)
    }
}

/// An objective's progress: the mean of its actions' progress, dropped
/// actions left out, rounded half up to a whole percent. None when no
/// action counts (no action, or all dropped).
pub fn objective_progress(actions: &[(ActionStatus, i32)]) -> Option<i32> {
    let counted: Vec<i64> = actions
        .iter()
        .filter(|(s, _)| *s != ActionStatus::Dropped)
        .map(|(_, p)| i64::from((*p).clamp(0, 100)))
        .collect();
    if counted.is_empty() {
        return None;
    }
    let n = counted.len() as i64;
    let sum: i64 = counted.iter().sum();
    // floor((2 × sum + n) ÷ 2n): the mean rounded half up.
    i32::try_from((2 * sum + n) / (2 * n)).ok()
}

/// Where an indicator stands for a year: its target and its value beside
/// it, and whether the value misses the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No target for that year.
    NoTarget,
    /// A target, but no value yet (not recorded, or not computable).
    NoValue,
    OnTarget,
    OffTarget,
}

/// How an indicator's value for a year compares with that year's target,
/// the way the indicator improves.
pub fn standing(source: IndicatorSource, target: Option<i64>, value: Option<i64>) -> Standing {
    match (target, value) {
        (None, _) => Standing::NoTarget,
        (Some(_), None) => Standing::NoValue,
        (Some(t), Some(v)) if on_target(source.direction(), v, t) => Standing::OnTarget,
        (Some(_), Some(_)) => Standing::OffTarget,
    }
}

#[cfg(test)]
mod tests {
    use super::super::indicateurs::{Direction, Metric, Unit};
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_plan_lasts_one_to_five_school_years() {
        let p = Period::new(SchoolYear(2025), SchoolYear(2028)).expect("four years");
        assert_eq!(
            p.years(),
            vec![
                SchoolYear(2025),
                SchoolYear(2026),
                SchoolYear(2027),
                SchoolYear(2028)
            ]
        );
        assert_eq!(p.label(), "2025-2026 – 2028-2029");
        assert!(Period::new(SchoolYear(2025), SchoolYear(2029)).is_ok());
        assert_eq!(
            Period::new(SchoolYear(2025), SchoolYear(2030)),
            Err("pilotage-error-projet-period-length")
        );
        assert_eq!(
            Period::new(SchoolYear(2026), SchoolYear(2025)),
            Err("pilotage-error-projet-period-order")
        );
        let one = Period::new(SchoolYear(2026), SchoolYear(2026)).expect("one year");
        assert_eq!(one.years().len(), 1);
        assert_eq!(one.label(), "2026-2027");
        assert!(p.contains_year(SchoolYear(2027)));
        assert!(!p.contains_year(SchoolYear(2029)));
    }

    #[test]
    fn an_action_runs_within_the_plan() {
        let p = Period::new(SchoolYear(2025), SchoolYear(2027)).expect("period");
        assert_eq!(check_action_dates(p, d(2025, 9, 1), d(2028, 8, 31)), Ok(()));
        assert_eq!(
            check_action_dates(p, d(2025, 8, 31), d(2026, 1, 1)),
            Err(("start_on", "pilotage-error-projet-action-outside-plan"))
        );
        assert_eq!(
            check_action_dates(p, d(2026, 1, 1), d(2028, 9, 1)),
            Err(("end_on", "pilotage-error-projet-action-outside-plan"))
        );
        assert_eq!(
            check_action_dates(p, d(2026, 3, 1), d(2026, 2, 1)),
            Err(("end_on", "pilotage-error-projet-action-end-before-start"))
        );
        assert_eq!(check_action_dates(p, d(2026, 3, 1), d(2026, 3, 1)), Ok(()));
    }

    #[test]
    fn progress_is_a_whole_percent() {
        assert_eq!(parse_progress("0"), Ok(0));
        assert_eq!(parse_progress(" 45 % "), Ok(45));
        assert_eq!(parse_progress("100"), Ok(100));
        for bad in ["101", "-1", "12,5", "beaucoup", ""] {
            assert_eq!(
                parse_progress(bad),
                Err("pilotage-error-projet-progress"),
                "{bad}"
            );
        }
        assert_eq!(progress_at(ActionStatus::Done, 40), 100);
        assert_eq!(progress_at(ActionStatus::InProgress, 40), 40);
        assert_eq!(progress_at(ActionStatus::Dropped, 40), 40);
    }

    #[test]
    fn an_objective_progresses_as_its_actions_dropped_ones_excepted() {
        use ActionStatus as S;
        assert_eq!(objective_progress(&[]), None);
        assert_eq!(objective_progress(&[(S::Dropped, 80)]), None);
        assert_eq!(
            objective_progress(&[(S::Done, 100), (S::InProgress, 50), (S::Todo, 0)]),
            Some(50)
        );
        // The dropped action's 90 % does not count.
        assert_eq!(
            objective_progress(&[(S::InProgress, 20), (S::Dropped, 90)]),
            Some(20)
        );
        // 33,5 rounds up to 34; 33,33 down to 33.
        assert_eq!(
            objective_progress(&[(S::InProgress, 33), (S::InProgress, 34)]),
            Some(34)
        );
        assert_eq!(
            objective_progress(&[(S::Todo, 0), (S::Todo, 0), (S::Done, 100)]),
            Some(33)
        );
    }

    #[test]
    fn an_indicator_stands_by_its_direction() {
        let typed_lower = IndicatorSource::Manual {
            unit: Unit::Count,
            direction: Direction::Lower,
        };
        let bound = IndicatorSource::Bound {
            metric: Metric::EquipmentAvailability,
        };
        assert_eq!(standing(bound, None, Some(1)), Standing::NoTarget);
        assert_eq!(standing(bound, Some(95_000), None), Standing::NoValue);
        assert_eq!(
            standing(bound, Some(95_000), Some(96_000)),
            Standing::OnTarget
        );
        assert_eq!(
            standing(bound, Some(95_000), Some(90_000)),
            Standing::OffTarget
        );
        assert_eq!(
            standing(typed_lower, Some(5_000), Some(8_000)),
            Standing::OffTarget
        );
        assert_eq!(
            standing(typed_lower, Some(5_000), Some(5_000)),
            Standing::OnTarget
        );
    }
}
