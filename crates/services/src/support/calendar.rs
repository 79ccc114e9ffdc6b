//! Working calendars as stored (JSON text) and as typed in forms.
//!
//! Stored shape: `{"days": [["08:00-12:00", "13:30-17:30"], …7 days, Monday
//! first], "closed": ["2026-12-25", …]}`. A form types one weekday as
//! `08:00-12:00, 13:30-17:30` (empty = closed that day) and the closed days
//! one per line as `2026-12-25`.

use chrono::NaiveDate;
use refnum_domain::calendar::WorkCalendar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    days: Vec<Vec<String>>,
    #[serde(default)]
    closed: Vec<NaiveDate>,
}

fn hm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `08:00-12:00` as text.
pub fn span_text(span: (u16, u16)) -> String {
    format!("{}-{}", hm(span.0), hm(span.1))
}

/// One weekday's spans as typed in a form.
pub fn day_text(spans: &[(u16, u16)]) -> String {
    spans
        .iter()
        .map(|s| span_text(*s))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_hm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once([':', 'h', 'H'])?;
    let h: u16 = h.trim().parse().ok()?;
    let m: u16 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Parses `08:00-12:00, 13:30-17:30` (also `8h-12h`); spans must be in
/// order and not overlap. Empty text = closed. The error is a catalogue key.
pub fn parse_day(text: &str) -> Result<Vec<(u16, u16)>, &'static str> {
    let mut spans: Vec<(u16, u16)> = vec![];
    for part in text.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (a, b) = part.split_once(['-', '–']).ok_or("support-error-hours")?;
        let (a, b) = (
            parse_hm(a).ok_or("support-error-hours")?,
            parse_hm(b).ok_or("support-error-hours")?,
        );
        if a >= b {
            return Err("support-error-hours-order");
        }
        if spans.last().is_some_and(|l| l.1 > a) {
            return Err("support-error-hours-order");
        }
        spans.push((a, b));
    }
    Ok(spans)
}

/// Parses closed days, one `YYYY-MM-DD` per line (or separated by commas).
pub fn parse_closed(text: &str) -> Result<BTreeSet<NaiveDate>, &'static str> {
    text.split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "support-error-closed-day"))
        .collect()
}

/// The calendar of stored JSON; the default calendar when absent or unreadable.
pub fn from_json(text: Option<&str>) -> WorkCalendar {
    let Some(text) = text else {
        return WorkCalendar::default();
    };
    let Ok(stored) = serde_json::from_str::<Stored>(text) else {
        tracing::warn!("unreadable working calendar, using the default one");
        return WorkCalendar::default();
    };
    let mut cal = WorkCalendar {
        days: Default::default(),
        closed: stored.closed.into_iter().collect(),
    };
    for (i, day) in stored.days.iter().take(7).enumerate() {
        cal.days[i] = parse_day(&day.join(",")).unwrap_or_default();
    }
    cal
}

/// The JSON stored for a calendar.
pub fn to_json(cal: &WorkCalendar) -> String {
    let stored = Stored {
        days: cal
            .days
            .iter()
            .map(|d| d.iter().map(|s| span_text(*s)).collect())
            .collect(),
        closed: cal.closed.iter().copied().collect(),
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_print() {
        assert_eq!(
            parse_day("08:00-12:00, 13:30-17:30"),
            Ok(vec![(480, 720), (810, 1050)])
        );
        assert_eq!(parse_day("8h-12h"), Ok(vec![(480, 720)]));
        assert_eq!(parse_day(""), Ok(vec![]));
        assert_eq!(parse_day("12:00-08:00"), Err("support-error-hours-order"));
        assert_eq!(
            parse_day("08:00-12:00, 11:00-14:00"),
            Err("support-error-hours-order")
        );
        assert_eq!(parse_day("8-12"), Err("support-error-hours"));
        assert_eq!(parse_day("25:00-26:00"), Err("support-error-hours"));
        assert_eq!(
            day_text(&[(480, 720), (810, 1050)]),
            "08:00-12:00, 13:30-17:30"
        );
    }

    #[test]
    fn json_round_trips_and_defaults() {
        let mut cal = WorkCalendar::default();
        cal.days[2] = vec![(480, 720)];
        cal.closed = parse_closed("2026-12-25\n2027-01-01").expect("dates");
        assert_eq!(from_json(Some(&to_json(&cal))), cal);
        assert_eq!(from_json(None), WorkCalendar::default());
        assert_eq!(from_json(Some("nonsense")), WorkCalendar::default());
        assert_eq!(parse_closed("2026-13-01"), Err("support-error-closed-day"));
    }
}
