//! The schools' local time (Europe/Paris), computed without a time-zone
//! database: France follows the EU rule since 1996 — summer time (UTC+2)
//! from the last Sunday of March at 01:00 UTC to the last Sunday of October
//! at 01:00 UTC, UTC+1 otherwise. (Overseas académies would need their own
//! zone; RefNum serves metropolitan schools today.)

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    // The last day of the month, then back to a Sunday.
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut d = next.pred_opt()?;
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt()?;
    }
    Some(d)
}

/// The UTC instants summer time starts and ends in a year.
fn summer(year: i32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    Some((
        last_sunday(year, 3)?.and_hms_opt(1, 0, 0)?,
        last_sunday(year, 10)?.and_hms_opt(1, 0, 0)?,
    ))
}

/// The offset from UTC, in hours, at a UTC instant.
pub fn offset_hours(at: DateTime<Utc>) -> i64 {
    let n = at.naive_utc();
    match summer(n.year()) {
        Some((start, end)) if n >= start && n < end => 2,
        _ => 1,
    }
}

/// Paris wall-clock time of a UTC instant.
pub fn to_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::hours(offset_hours(at))
}

/// The UTC instant of a Paris wall-clock time. In the autumn's repeated
/// hour, the first (summer) one; a time in the spring's skipped hour is read
/// as winter time (02:30 → 01:30 UTC, that is 03:30 summer time).
pub fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    for h in [2, 1] {
        let candidate = Utc.from_utc_datetime(&(local - Duration::hours(h)));
        if offset_hours(candidate) == h {
            return candidate;
        }
    }
    Utc.from_utc_datetime(&(local - Duration::hours(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid")
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid")
    }

    #[test]
    fn summer_time_follows_the_eu_rule() {
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(offset_hours(utc(2026, 3, 29, 0, 59)), 1);
        assert_eq!(offset_hours(utc(2026, 3, 29, 1, 0)), 2);
        assert_eq!(offset_hours(utc(2026, 10, 25, 0, 59)), 2);
        assert_eq!(offset_hours(utc(2026, 10, 25, 1, 0)), 1);
        assert_eq!(offset_hours(utc(2026, 1, 15, 12, 0)), 1);
        assert_eq!(offset_hours(utc(2026, 7, 14, 12, 0)), 2);
        // 2027: 28 March, 31 October.
        assert_eq!(offset_hours(utc(2027, 3, 28, 1, 0)), 2);
        assert_eq!(offset_hours(utc(2027, 10, 31, 0, 30)), 2);
        assert_eq!(offset_hours(utc(2027, 10, 31, 1, 30)), 1);
    }

    #[test]
    fn local_and_utc_round_trip() {
        assert_eq!(to_local(utc(2026, 7, 14, 6, 0)), local(2026, 7, 14, 8, 0));
        assert_eq!(to_utc(local(2026, 7, 14, 8, 0)), utc(2026, 7, 14, 6, 0));
        assert_eq!(to_utc(local(2026, 12, 1, 8, 0)), utc(2026, 12, 1, 7, 0));
        // The skipped hour of spring.
        assert_eq!(to_utc(local(2026, 3, 29, 2, 30)), utc(2026, 3, 29, 1, 30));
        // The repeated hour of autumn: the first one.
        assert_eq!(to_utc(local(2026, 10, 25, 2, 30)), utc(2026, 10, 25, 0, 30));
    }
}
