//! Réservations: the timetable's values (slot codes, hours, zones, days
//! off), a booking's life cycle, the weekly recurrence over school weeks and
//! the overlap rule. Times are school-local: a date and minutes after
//! midnight.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A school holiday zone of metropolitan France.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    A,
    B,
    C,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::A, Zone::B, Zone::C];
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::A => "A",
            Zone::B => "B",
            Zone::C => "C",
        }
    }
    pub fn parse(s: &str) -> Option<Zone> {
        match s.trim() {
            "A" | "a" => Some(Zone::A),
            "B" | "b" => Some(Zone::B),
            "C" | "c" => Some(Zone::C),
            _ => None,
        }
    }
}

/// A slot code: 1 to 8 letters and digits, upper case (`M1`, `S5`, `REPAS`).
pub fn parse_slot_code(s: &str) -> Option<String> {
    let s = s.trim().to_uppercase();
    (!s.is_empty() && s.chars().count() <= 8 && s.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(s)
}

/// `HH:MM` (or `HHhMM`, `H:MM`) → minutes after midnight, within the day.
pub fn parse_hhmm(s: &str) -> Option<i32> {
    let s = s.trim().to_lowercase();
    let (h, m) = s.split_once(':').or_else(|| s.split_once('h'))?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Minutes after midnight → `HH:MM`.
pub fn fmt_hhmm(min: i32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// A date typed in a form: `AAAA-MM-JJ` (the date input) or `JJ/MM/AAAA`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// What a day off is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOffKind {
    /// School holidays (vacances scolaires).
    Holiday,
    /// A day the school is closed (bridge day, exams, event).
    Closed,
}

impl DayOffKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayOffKind::Holiday => "holiday",
            DayOffKind::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<DayOffKind> {
        match s {
            "holiday" => Some(DayOffKind::Holiday),
            "closed" => Some(DayOffKind::Closed),
            _ => None,
        }
    }
}

/// A period without school, both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DayOff {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

/// The period a day falls in, if any.
pub fn day_off_on(days_off: &[DayOff], d: NaiveDate) -> Option<&DayOff> {
    days_off.iter().find(|o| o.contains(d))
}

/// The built-in school holidays of a zone: `(label, first day off, last day
/// off)`, both included (holidays start after class on the first Saturday
/// and classes resume on the Monday after the last day).
///
/// Source: the national school calendar of 2026-2027 fixed by the ministry
/// of Education (arrêté fixing the school calendars of 2024-2025 to
/// 2026-2027, published on the ministry's « calendrier scolaire » page). The
/// 2027-2028 calendar is not built in (see docs/architecture.md): schools
/// import it from the ministry's iCalendar file when it is published.
pub fn builtin_holidays(zone: Zone) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN);
    let mut v = vec![
        ("Vacances de la Toussaint", d(2026, 10, 17), d(2026, 11, 1)),
        ("Vacances de Noël", d(2026, 12, 19), d(2027, 1, 3)),
    ];
    let (winter, spring) = match zone {
        Zone::A => (
            (d(2027, 2, 13), d(2027, 2, 28)),
            (d(2027, 4, 10), d(2027, 4, 25)),
        ),
        Zone::B => (
            (d(2027, 2, 20), d(2027, 3, 7)),
            (d(2027, 4, 17), d(2027, 5, 2)),
        ),
        Zone::C => (
            (d(2027, 2, 6), d(2027, 2, 21)),
            (d(2027, 4, 3), d(2027, 4, 18)),
        ),
    };
    v.push(("Vacances d'hiver", winter.0, winter.1));
    v.push(("Vacances de printemps", spring.0, spring.1));
    v.push(("Pont de l'Ascension", d(2027, 5, 6), d(2027, 5, 9)));
    v.push(("Vacances d'été", d(2027, 7, 3), d(2027, 8, 31)));
    v
}

/// The school year (its first calendar year) of a day of classes, from
/// September to June; `None` in July and August.
pub fn class_year_of(d: NaiveDate) -> Option<i32> {
    match d.month() {
        9..=12 => Some(d.year()),
        1..=6 => Some(d.year() - 1),
        _ => None,
    }
}

/// A booking's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingStatus {
    /// Waiting for the approver.
    Pending,
    Approved,
    Refused,
    Cancelled,
}

/// What may happen to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingEvent {
    Approve,
    Refuse,
    Cancel,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "pending",
            BookingStatus::Approved => "approved",
            BookingStatus::Refused => "refused",
            BookingStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<BookingStatus> {
        match s {
            "pending" => Some(BookingStatus::Pending),
            "approved" => Some(BookingStatus::Approved),
            "refused" => Some(BookingStatus::Refused),
            "cancelled" => Some(BookingStatus::Cancelled),
            _ => None,
        }
    }
    /// Holds its time (blocks others).
    pub fn holds(self) -> bool {
        matches!(self, BookingStatus::Pending | BookingStatus::Approved)
    }
    /// The status after `event`, or `None` when the life cycle forbids it.
    pub fn transition(self, event: BookingEvent) -> Option<BookingStatus> {
        match (self, event) {
            (BookingStatus::Pending, BookingEvent::Approve) => Some(BookingStatus::Approved),
            (BookingStatus::Pending, BookingEvent::Refuse) => Some(BookingStatus::Refused),
            (BookingStatus::Pending | BookingStatus::Approved, BookingEvent::Cancel) => {
                Some(BookingStatus::Cancelled)
            }
            _ => None,
        }
    }
}

/// The statuses that hold their time, as stored.
pub const HOLDING: [&str; 2] = ["pending", "approved"];

/// True when `[a_start, a_end)` and `[b_start, b_end)` are closer than
/// `gap` minutes (overlapping when `gap` is 0).
pub fn too_close(a_start: i32, a_end: i32, b_start: i32, b_end: i32, gap: i32) -> bool {
    a_start < b_end + gap && b_start < a_end + gap
}

/// One date of a weekly recurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub day: NaiveDate,
    /// The holiday or closed period that skips it.
    pub skipped: Option<String>,
}

/// The dates of `weekday` from `from` to `to` (both included), each with the
/// day off that skips it, if any. At most `max` dates.
pub fn weekly(
    weekday: Weekday,
    from: NaiveDate,
    to: NaiveDate,
    days_off: &[DayOff],
    max: usize,
) -> Vec<Occurrence> {
    let mut out = vec![];
    let shift = (7 + weekday.num_days_from_monday() as i64
        - from.weekday().num_days_from_monday() as i64)
        % 7;
    let mut d = from + Duration::days(shift);
    while d <= to && out.len() < max {
        out.push(Occurrence {
            day: d,
            skipped: day_off_on(days_off, d).map(|o| o.label.clone()),
        });
        d += Duration::days(7);
    }
    out
}

/// The Monday of the ISO week of `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// A weekday from its ISO number (1 = Monday … 7 = Sunday).
pub fn weekday_of(n: u32) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn hours_and_codes_parse_or_refuse() {
        assert_eq!(parse_hhmm("08:05"), Some(485));
        assert_eq!(parse_hhmm("8h30"), Some(510));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("8:5"), None);
        assert_eq!(parse_hhmm("midi"), None);
        assert_eq!(fmt_hhmm(485), "08:05");
        assert_eq!(parse_slot_code(" m1 "), Some("M1".into()));
        assert_eq!(parse_slot_code("M 1"), None);
        assert_eq!(parse_slot_code(""), None);
        assert_eq!(Zone::parse("b"), Some(Zone::B));
        assert_eq!(Zone::parse("D"), None);
    }

    #[test]
    fn a_booking_life_cycle() {
        use BookingEvent::*;
        use BookingStatus::*;
        assert_eq!(Pending.transition(Approve), Some(Approved));
        assert_eq!(Pending.transition(Refuse), Some(Refused));
        assert_eq!(Approved.transition(Cancel), Some(Cancelled));
        assert_eq!(Approved.transition(Refuse), None);
        assert_eq!(Refused.transition(Cancel), None);
        assert_eq!(Cancelled.transition(Approve), None);
        assert!(Pending.holds() && Approved.holds() && !Cancelled.holds());
    }

    #[test]
    fn the_school_year_of_a_day_of_classes() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        assert_eq!(class_year_of(d(2026, 9, 1)), Some(2026));
        assert_eq!(class_year_of(d(2027, 6, 30)), Some(2026));
        assert_eq!(class_year_of(d(2027, 7, 1)), None);
        assert_eq!(class_year_of(d(2027, 8, 31)), None);
        assert_eq!(class_year_of(d(2027, 12, 1)), Some(2027));
    }

    #[test]
    fn overlap_and_gap() {
        assert!(too_close(480, 540, 500, 560, 0));
        assert!(!too_close(480, 540, 540, 600, 0));
        assert!(too_close(480, 540, 550, 600, 15));
        assert!(!too_close(480, 540, 555, 600, 15));
    }

    #[test]
    fn the_weekly_recurrence_skips_the_holidays_of_the_zone() {
        let off: Vec<DayOff> = builtin_holidays(Zone::B)
            .into_iter()
            .map(|(l, s, e)| DayOff {
                label: l.into(),
                start: s,
                end: e,
            })
            .collect();
        // Tuesdays of the second term in zone B.
        let occ = weekly(Weekday::Tue, d(2027, 1, 4), d(2027, 3, 31), &off, 100);
        assert_eq!(occ[0].day, d(2027, 1, 5));
        assert_eq!(occ.len(), 13);
        let skipped: Vec<NaiveDate> = occ
            .iter()
            .filter(|o| o.skipped.is_some())
            .map(|o| o.day)
            .collect();
        assert_eq!(skipped, vec![d(2027, 2, 23), d(2027, 3, 2)]);
        assert_eq!(monday_of(d(2027, 3, 4)), d(2027, 3, 1));
    }
}
