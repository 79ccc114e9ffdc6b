//! The school's training plan (*plan de formation*): teachers state their
//! needs by theme, the referent plans sessions, the staff register, the
//! referent records who attended and the attendees give a short feedback.
//!
//! A session is an in-school workshop led by someone of the school, or an
//! outside offer (the académie's training plan, a Magistère course, another
//! offer) with its link and code; it is held on site, at a place, or
//! remotely. The comité numérique organises the training plan and the
//! support of the teams (the DANE's description of the referent's first
//! axis); the rules below are RefNum's.

use super::SchoolYear;
use crate::codes::code_enum;
use chrono::NaiveDate;

/// The longest title, place, leader's name, code or theme label.
pub const MAX_LABEL: usize = 200;
/// The longest comment of a need or a feedback, or a session's detail.
pub const MAX_COMMENT: usize = 2_000;
/// The longest link.
pub const MAX_LINK: usize = 500;
/// A session's seats: at least one, at most this.
pub const MAX_CAPACITY: i32 = 500;
/// A session lasts at most a day (in minutes).
pub const MAX_DURATION: i32 = 12 * 60;

/// The themes a school starts with (it edits them afterwards).
pub const SEED_THEMES: [&str; 5] = [
    "L'ENT",
    "Les écrans interactifs",
    "Compétences numériques des élèves et Pix",
    "L'IA en classe",
    "Le RGPD",
];

code_enum!(
    /// What a session is: an in-school workshop (`atelier`) led by someone
    /// of the school, or an outside offer: the académie's training plan
    /// (`plan_academique`), a Magistère course (`magistere`), another
    /// offer (`autre`).
    SessionKind {
        Atelier => "atelier",
        PlanAcademique => "plan_academique",
        Magistere => "magistere",
        Autre => "autre",
    }
);

impl SessionKind {
    /// An offer from outside the school, known by its link and code.
    pub fn outside(self) -> bool {
        self != SessionKind::Atelier
    }
}

code_enum!(
    /// Where a session is held: on site, at a place (`presentiel`), or
    /// remotely (`distanciel`).
    Modality {
        Presentiel => "presentiel",
        Distanciel => "distanciel",
    }
);

code_enum!(
    /// A session's life: planned, then held (once the attendance is
    /// recorded) or cancelled.
    SessionStatus {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
    }
);

impl SessionStatus {
    /// Whether the session's details may still change.
    pub fn editable(self) -> bool {
        self == SessionStatus::Planned
    }

    /// Whether its attendance may be recorded (a held session's is
    /// corrected).
    pub fn may_record_attendance(self) -> bool {
        self != SessionStatus::Cancelled
    }
}

/// A session is dated within the school year it is filed under.
pub fn check_session_date(year: SchoolYear, date: NaiveDate) -> Result<(), &'static str> {
    if year.contains(date) {
        Ok(())
    } else {
        Err("pilotage-error-formation-date-outside-year")
    }
}

/// Reads a capacity: a whole number of seats, 1 to [`MAX_CAPACITY`].
pub fn parse_capacity(s: &str) -> Result<i32, &'static str> {
    match s.trim().parse::<i32>() {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(n),
        _ => Err("pilotage-error-formation-capacity"),
    }
}

/// Reads a duration in minutes, 1 to [`MAX_DURATION`].
pub fn parse_duration(s: &str) -> Result<i32, &'static str> {
    match s.trim().parse::<i32>() {
        Ok(n) if (1..=MAX_DURATION).contains(&n) => Ok(n),
        _ => Err("pilotage-error-formation-duration"),
    }
}

/// A link of an outside offer: an `http://` or `https://` address with a
/// host, without spaces, at most [`MAX_LINK`] characters.
pub fn check_link(s: &str) -> Result<(), &'static str> {
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h)
            if !h.is_empty()
                && !s.chars().any(char::is_whitespace)
                && s.chars().count() <= MAX_LINK =>
        {
            Ok(())
        }
        _ => Err("pilotage-error-formation-link"),
    }
}

/// Why a registration is refused, each with its catalogue key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationRefusal {
    /// The session is held or cancelled.
    NotPlanned,
    /// The session's date has passed.
    Closed,
    /// Every seat is taken.
    Full,
    /// The teacher is already registered.
    AlreadyRegistered,
}

impl RegistrationRefusal {
    pub fn key(self) -> &'static str {
        match self {
            RegistrationRefusal::NotPlanned => "pilotage-error-formation-not-planned",
            RegistrationRefusal::Closed => "pilotage-error-formation-closed",
            RegistrationRefusal::Full => "pilotage-error-formation-full",
            RegistrationRefusal::AlreadyRegistered => "pilotage-error-formation-registered-twice",
        }
    }
}

/// Registration is open on a planned session until its date (included).
pub fn registration_open(status: SessionStatus, date: NaiveDate, today: NaiveDate) -> bool {
    status == SessionStatus::Planned && today <= date
}

/// Whether one more teacher may register: open, a seat left, not
/// registered yet. `registered` counts the session's registrations.
pub fn may_register(
    status: SessionStatus,
    date: NaiveDate,
    today: NaiveDate,
    capacity: i32,
    registered: u64,
    already: bool,
) -> Result<(), RegistrationRefusal> {
    if status != SessionStatus::Planned {
        return Err(RegistrationRefusal::NotPlanned);
    }
    if today > date {
        return Err(RegistrationRefusal::Closed);
    }
    if already {
        return Err(RegistrationRefusal::AlreadyRegistered);
    }
    if registered >= u64::try_from(capacity).unwrap_or(0) {
        return Err(RegistrationRefusal::Full);
    }
    Ok(())
}

/// The seats left (never below 0).
pub fn seats_left(capacity: i32, registered: u64) -> u64 {
    u64::try_from(capacity)
        .unwrap_or(0)
        .saturating_sub(registered)
}

/// Attendance is recorded once the session's day has come.
pub fn check_attendance_day(date: NaiveDate, today: NaiveDate) -> Result<(), &'static str> {
    if date <= today {
        Ok(())
    } else {
        Err("pilotage-error-formation-not-yet")
    }
}

/// A feedback's rating: 1 to 5.
pub fn parse_rating(s: &str) -> Result<i32, &'static str> {
    match s.trim().parse::<i32>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        _ => Err("pilotage-error-formation-rating"),
    }
}

/// Only an attendee of a held session gives a feedback.
pub fn may_give_feedback(status: SessionStatus, attended: Option<bool>) -> bool {
    status == SessionStatus::Held && attended == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_session_is_dated_within_its_school_year() {
        let y = SchoolYear(2026);
        assert_eq!(check_session_date(y, d(2026, 9, 1)), Ok(()));
        assert_eq!(check_session_date(y, d(2027, 8, 31)), Ok(()));
        assert_eq!(
            check_session_date(y, d(2027, 9, 1)),
            Err("pilotage-error-formation-date-outside-year")
        );
        assert_eq!(
            check_session_date(y, d(2026, 8, 31)),
            Err("pilotage-error-formation-date-outside-year")
        );
    }

    #[test]
    fn capacity_and_duration_have_bounds() {
        assert_eq!(parse_capacity("1"), Ok(1));
        assert_eq!(parse_capacity(" 500 "), Ok(500));
        for bad in ["0", "501", "-3", "douze", "", "2.5"] {
            assert_eq!(
                parse_capacity(bad),
                Err("pilotage-error-formation-capacity"),
                "{bad}"
            );
        }
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("720"), Ok(720));
        assert_eq!(
            parse_duration("721"),
            Err("pilotage-error-formation-duration")
        );
        assert_eq!(
            parse_duration("0"),
            Err("pilotage-error-formation-duration")
        );
    }

    #[test]
    fn a_link_is_an_http_address() {
        assert_eq!(
            check_link("https://magistere.education.fr/ac-normandie/course/view.php?id=42"),
            Ok(())
        );
        assert_eq!(check_link("HTTP://example.org"), Ok(()));
        for bad in [
            "magistere.education.fr",
            "ftp://example.org",
            "javascript:alert(1)",
            "https://",
            "https:///chemin",
            "https://exa mple.org",
        ] {
            assert_eq!(
                check_link(bad),
                Err("pilotage-error-formation-link"),
                "{bad}"
            );
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_LINK));
        assert_eq!(check_link(&long), Err("pilotage-error-formation-link"));
    }

    #[test]
    fn registration_follows_its_rules() {
        use RegistrationRefusal as R;
        use SessionStatus as S;
        let day = d(2027, 1, 20);
        assert_eq!(
            may_register(S::Planned, day, d(2027, 1, 19), 5, 4, false),
            Ok(())
        );
        assert_eq!(
            may_register(S::Planned, day, day, 5, 0, false),
            Ok(()),
            "open on the day itself"
        );
        assert_eq!(
            may_register(S::Planned, day, d(2027, 1, 21), 5, 0, false),
            Err(R::Closed)
        );
        assert_eq!(
            may_register(S::Planned, day, d(2027, 1, 1), 5, 5, false),
            Err(R::Full)
        );
        assert_eq!(
            may_register(S::Planned, day, d(2027, 1, 1), 5, 2, true),
            Err(R::AlreadyRegistered)
        );
        assert_eq!(
            may_register(S::Cancelled, day, d(2027, 1, 1), 5, 0, false),
            Err(R::NotPlanned)
        );
        assert_eq!(
            may_register(S::Held, day, d(2027, 1, 1), 5, 0, false),
            Err(R::NotPlanned)
        );
        assert!(registration_open(S::Planned, day, day));
        assert!(!registration_open(S::Planned, day, d(2027, 1, 21)));
        assert!(!registration_open(S::Cancelled, day, d(2027, 1, 1)));
        assert_eq!(seats_left(5, 3), 2);
        assert_eq!(seats_left(5, 7), 0);
        for r in [R::NotPlanned, R::Closed, R::Full, R::AlreadyRegistered] {
            assert!(r.key().starts_with("pilotage-error-formation-"));
        }
    }

    #[test]
    fn attendance_and_feedback_come_after_the_session() {
        let day = d(2026, 11, 18);
        assert_eq!(check_attendance_day(day, day), Ok(()));
        assert_eq!(check_attendance_day(day, d(2026, 12, 1)), Ok(()));
        assert_eq!(
            check_attendance_day(day, d(2026, 11, 17)),
            Err("pilotage-error-formation-not-yet")
        );
        assert!(SessionStatus::Planned.may_record_attendance());
        assert!(SessionStatus::Held.may_record_attendance());
        assert!(!SessionStatus::Cancelled.may_record_attendance());
        assert!(SessionStatus::Planned.editable());
        assert!(!SessionStatus::Held.editable());
        assert!(may_give_feedback(SessionStatus::Held, Some(true)));
        assert!(!may_give_feedback(SessionStatus::Held, Some(false)));
        assert!(!may_give_feedback(SessionStatus::Held, None));
        assert!(!may_give_feedback(SessionStatus::Planned, Some(true)));
        assert_eq!(parse_rating("5"), Ok(5));
        assert_eq!(parse_rating("1"), Ok(1));
        for bad in ["0", "6", "", "bien"] {
            assert_eq!(parse_rating(bad), Err("pilotage-error-formation-rating"));
        }
    }

    #[test]
    fn the_codes_read_back() {
        for k in SessionKind::ALL {
            assert_eq!(SessionKind::parse(k.as_str()), Some(*k));
        }
        assert!(!SessionKind::Atelier.outside());
        assert!(SessionKind::Magistere.outside());
        for m in Modality::ALL {
            assert_eq!(Modality::parse(m.as_str()), Some(*m));
        }
        for s in SessionStatus::ALL {
            assert_eq!(SessionStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(SEED_THEMES.len(), 5);
    }
}
