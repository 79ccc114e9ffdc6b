//! Working hours, for service-level targets counted in working time ("a
//! response within 4 working hours"). Pure arithmetic on local wall-clock
//! time: the caller converts from and to UTC with the school's time zone.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::collections::BTreeSet;

/// Opening hours per weekday (Monday first), in minutes since midnight,
/// and the closed days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    pub days: [Vec<(u16, u16)>; 7],
    pub closed: BTreeSet<NaiveDate>,
}

/// Longest span searched for working time (ten years), so that a calendar
/// with (almost) no opening hours ends.
const MAX_DAYS: i64 = 3660;

impl Default for WorkCalendar {
    /// Monday to Friday, 8:00–12:00 and 13:30–17:30.
    fn default() -> Self {
        let day = vec![(8 * 60, 12 * 60), (13 * 60 + 30, 17 * 60 + 30)];
        WorkCalendar {
            days: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day,
                vec![],
                vec![],
            ],
            closed: BTreeSet::new(),
        }
    }
}

fn minute_of(t: NaiveDateTime) -> u16 {
    (t.hour() * 60 + t.minute()) as u16
}

fn at(date: NaiveDate, minute: u16) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute))
}

impl WorkCalendar {
    /// The opening spans of a date (none when closed).
    fn spans(&self, date: NaiveDate) -> &[(u16, u16)] {
        if self.closed.contains(&date) {
            return &[];
        }
        &self.days[date.weekday().num_days_from_monday() as usize]
    }

    /// The moment `minutes` working minutes after `start`; `None` when the
    /// calendar has no working time in the next ten years.
    pub fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> Option<NaiveDateTime> {
        let mut left = minutes.max(0);
        let mut date = start.date();
        let mut from = minute_of(start);
        for _ in 0..MAX_DAYS {
            for &(open, close) in self.spans(date) {
                let begin = open.max(from);
                if begin >= close {
                    continue;
                }
                let available = i64::from(close - begin);
                if left <= available {
                    return Some(at(date, begin) + Duration::minutes(left));
                }
                left -= available;
            }
            date = date.succ_opt()?;
            from = 0;
        }
        None
    }

    /// Working minutes between two moments (0 when `end` is before `start`).
    pub fn working_minutes_between(&self, start: NaiveDateTime, end: NaiveDateTime) -> i64 {
        if end <= start {
            return 0;
        }
        let mut total = 0i64;
        let mut date = start.date();
        while date <= end.date() {
            for &(open, close) in self.spans(date) {
                let lo = if date == start.date() {
                    open.max(minute_of(start))
                } else {
                    open
                };
                let hi = if date == end.date() {
                    close.min(minute_of(end))
                } else {
                    close
                };
                if hi > lo {
                    total += i64::from(hi - lo);
                }
            }
            match date.succ_opt() {
                Some(d) => date = d,
                None => break,
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid date")
    }

    #[test]
    fn working_time_skips_nights_lunch_weekends_and_closed_days() {
        let mut cal = WorkCalendar::default();
        // Friday 2026-11-27, 16:30 + 4 working hours: 1 h on Friday, then
        // Monday 8:00 + 3 h → 11:00.
        assert_eq!(
            cal.add_working_minutes(t(2026, 11, 27, 16, 30), 240),
            Some(t(2026, 11, 30, 11, 0))
        );
        // Across lunch: 11:00 + 2 h → 14:30.
        assert_eq!(
            cal.add_working_minutes(t(2026, 11, 30, 11, 0), 120),
            Some(t(2026, 11, 30, 14, 30))
        );
        // Reported on Saturday: the clock starts on Monday at 8:00.
        assert_eq!(
            cal.add_working_minutes(t(2026, 11, 28, 10, 0), 30),
            Some(t(2026, 11, 30, 8, 30))
        );
        // Monday closed: Tuesday.
        cal.closed
            .insert(NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"));
        assert_eq!(
            cal.add_working_minutes(t(2026, 11, 28, 10, 0), 30),
            Some(t(2026, 12, 1, 8, 30))
        );
        assert_eq!(
            cal.working_minutes_between(t(2026, 11, 27, 16, 30), t(2026, 12, 1, 9, 0)),
            60 + 60
        );
        assert_eq!(
            cal.working_minutes_between(t(2026, 12, 1, 9, 0), t(2026, 11, 27, 16, 30)),
            0
        );
    }

    #[test]
    fn a_calendar_without_opening_hours_ends() {
        let cal = WorkCalendar {
            days: Default::default(),
            closed: BTreeSet::new(),
        };
        assert_eq!(cal.add_working_minutes(t(2026, 11, 27, 9, 0), 1), None);
        assert_eq!(
            cal.working_minutes_between(t(2026, 11, 27, 9, 0), t(2026, 12, 27, 9, 0)),
            0
        );
    }
}
