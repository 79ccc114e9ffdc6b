//! The comité numérique: where the head of school and the referent, with
//! members of the school and from outside, decide the place of digital in
//! the school project, the training plan, the support of the teams and the
//! indicators that follow the digital project (the DANE's description of
//! the referent's first axis).
//!
//! Its members are people of the school (an account, sitting by one of its
//! roles there) or named outside members with their quality. Its meetings
//! are filed under a school year and dated within it. Its decisions lead to
//! actions, each with an owner, a due date and a status whose changes are
//! [`ActionStatus::next`]'s. The school year is cut into three terms
//! ([`Term`]) so that a term without a meeting can be shown.

use super::SchoolYear;
use crate::codes::code_enum;
use crate::role::Role;
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

/// The longest name, place or title.
pub const MAX_LABEL: usize = 200;
/// The longest agenda, minutes, decision or detail.
pub const MAX_TEXT: usize = 20_000;

code_enum!(
    /// How a member sits in the comité: a person of the school with an
    /// account, by one of their roles (`staff`), or a person from outside,
    /// named, with their quality (`outside`).
    MemberKind {
        Staff => "staff",
        Outside => "outside",
    }
);

code_enum!(
    /// Why an outside member sits in the comité: the representative of the
    /// collectivité that equips the school, the académie's (the DANE's, an
    /// inspector…), a parents' delegate, a pupils' delegate, or another
    /// quality.
    OutsideQuality {
        Collectivite => "collectivite",
        Academie => "academie",
        Parents => "parents",
        Eleves => "eleves",
        Autre => "autre",
    }
);

/// One member of the comité, as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Staff {
        account_id: Uuid,
        role: Role,
    },
    Outside {
        name: String,
        quality: OutsideQuality,
    },
}

impl Member {
    pub fn kind(&self) -> MemberKind {
        match self {
            Member::Staff { .. } => MemberKind::Staff,
            Member::Outside { .. } => MemberKind::Outside,
        }
    }

    /// A person of the school, sitting by a role they hold there (`held`):
    /// only a role of the school itself, never a wider one.
    pub fn staff(account_id: Uuid, role: Role, held: &[Role]) -> Result<Self, &'static str> {
        if !Role::SCHOOL_ROLES.contains(&role) || !held.contains(&role) {
            return Err("pilotage-error-comite-member-role");
        }
        Ok(Member::Staff { account_id, role })
    }

    /// A named outside member (the name trimmed, 1 to [`MAX_LABEL`]
    /// characters).
    pub fn outside(name: &str, quality: OutsideQuality) -> Result<Self, &'static str> {
        let name = name.trim();
        if name.is_empty() {
            return Err("pilotage-error-comite-member-name");
        }
        if name.chars().count() > MAX_LABEL {
            return Err("pilotage-error-label-too-long");
        }
        Ok(Member::Outside {
            name: name.to_string(),
            quality,
        })
    }
}

/// A meeting is dated within the school year it is filed under (1
/// September to 31 August); the error key names the rule, the field is the
/// date's.
pub fn check_meeting_date(year: SchoolYear, date: NaiveDate) -> Result<(), &'static str> {
    if year.contains(date) {
        Ok(())
    } else {
        Err("pilotage-error-comite-date-outside-year")
    }
}

/// Reads a start time "14:30" (or "14h30", "9h") into minutes after
/// midnight; `None` when it is not a time of day.
pub fn parse_start_time(s: &str) -> Option<u16> {
    let s = s.trim().to_ascii_lowercase();
    let (h, m) = match s.split_once([':', 'h']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// "14:30" for 870 minutes after midnight.
pub fn format_start_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

code_enum!(
    /// Where an action of the comité stands.
    ActionStatus {
        Todo => "todo",
        InProgress => "in_progress",
        Done => "done",
        Dropped => "dropped",
    }
);

impl ActionStatus {
    /// Whether the action is still to be carried out.
    pub fn open(self) -> bool {
        matches!(self, ActionStatus::Todo | ActionStatus::InProgress)
    }

    /// The change from this status to `to`, or the catalogue key of the
    /// refusal. An open action moves freely between to do and in progress,
    /// and ends done or dropped; a done action is reopened (in progress),
    /// a dropped one taken back (to do). Staying put is not a change.
    pub fn next(self, to: ActionStatus) -> Result<ActionStatus, &'static str> {
        use ActionStatus as S;
        match (self, to) {
            (a, b) if a == b => Err("pilotage-error-comite-action-same-status"),
            (S::Todo | S::InProgress, _) => Ok(to),
            (S::Done, S::InProgress) | (S::Dropped, S::Todo) => Ok(to),
            _ => Err("pilotage-error-comite-action-status"),
        }
    }
}

/// An action is overdue when it is still open and its due date is before
/// today.
pub fn overdue(status: ActionStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status.open() && due_on < today
}

code_enum!(
    /// The three terms (*trimestres*) of a school year: September to
    /// December, January to March, April to August (the summer counted in
    /// the last term, so that every day of the year has its term).
    Term {
        First => "t1",
        Second => "t2",
        Third => "t3",
    }
);

impl Term {
    /// The term a day falls in.
    pub fn of(day: NaiveDate) -> Self {
        match day.month() {
            9..=12 => Term::First,
            1..=3 => Term::Second,
            _ => Term::Third,
        }
    }

    pub fn first_day(self, year: SchoolYear) -> NaiveDate {
        let (y, m) = match self {
            Term::First => (year.0, 9),
            Term::Second => (year.0 + 1, 1),
            Term::Third => (year.0 + 1, 4),
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("the first of a month exists")
    }

    pub fn last_day(self, year: SchoolYear) -> NaiveDate {
        let (y, m, d) = match self {
            Term::First => (year.0, 12, 31),
            Term::Second => (year.0 + 1, 3, 31),
            Term::Third => (year.0 + 1, 8, 31),
        };
        NaiveDate::from_ymd_opt(y, m, d).expect("the last day of these months exists")
    }

    pub fn contains(self, year: SchoolYear, day: NaiveDate) -> bool {
        self.first_day(year) <= day && day <= self.last_day(year)
    }
}

/// The terms of `year` begun by `today` (past or current) in which none of
/// `meetings` falls, in order. Meetings outside the year are ignored; a
/// year still to come has no such term.
pub fn terms_without_meeting(
    year: SchoolYear,
    meetings: &[NaiveDate],
    today: NaiveDate,
) -> Vec<Term> {
    Term::ALL
        .iter()
        .copied()
        .filter(|t| t.first_day(year) <= today)
        .filter(|t| !meetings.iter().any(|d| t.contains(year, *d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_meeting_is_dated_within_its_school_year() {
        let y = SchoolYear(2026);
        assert_eq!(check_meeting_date(y, d(2026, 9, 1)), Ok(()));
        assert_eq!(check_meeting_date(y, d(2027, 8, 31)), Ok(()));
        assert_eq!(
            check_meeting_date(y, d(2026, 8, 31)),
            Err("pilotage-error-comite-date-outside-year")
        );
        assert_eq!(
            check_meeting_date(y, d(2027, 9, 1)),
            Err("pilotage-error-comite-date-outside-year")
        );
    }

    #[test]
    fn start_times_are_read_in_the_usual_forms() {
        assert_eq!(parse_start_time("14:30"), Some(870));
        assert_eq!(parse_start_time(" 9h "), Some(540));
        assert_eq!(parse_start_time("9H05"), Some(545));
        assert_eq!(parse_start_time("24:00"), None);
        assert_eq!(parse_start_time("12:60"), None);
        assert_eq!(parse_start_time("midi"), None);
        assert_eq!(parse_start_time("1430"), None);
        assert_eq!(parse_start_time(":30"), None);
        assert_eq!(format_start_time(545), "09:05");
    }

    #[test]
    fn a_staff_member_sits_by_a_school_role_they_hold() {
        let id = Uuid::now_v7();
        assert_eq!(
            Member::staff(id, Role::Referent, &[Role::Enseignant, Role::Referent]),
            Ok(Member::Staff {
                account_id: id,
                role: Role::Referent
            })
        );
        assert_eq!(
            Member::staff(id, Role::Direction, &[Role::Enseignant]),
            Err("pilotage-error-comite-member-role")
        );
        assert_eq!(
            Member::staff(id, Role::Dane, &[Role::Dane]),
            Err("pilotage-error-comite-member-role"),
            "the DANE is an outside member, by the académie"
        );
    }

    #[test]
    fn an_outside_member_is_named() {
        let m = Member::outside("  Mme Durand ", OutsideQuality::Parents).expect("member");
        assert_eq!(m.kind(), MemberKind::Outside);
        assert_eq!(
            m,
            Member::Outside {
                name: "Mme Durand".into(),
                quality: OutsideQuality::Parents
            }
        );
        assert_eq!(
            Member::outside("  ", OutsideQuality::Autre),
            Err("pilotage-error-comite-member-name")
        );
        assert_eq!(
            Member::outside(&"x".repeat(201), OutsideQuality::Autre),
            Err("pilotage-error-label-too-long")
        );
        for q in OutsideQuality::ALL {
            assert_eq!(OutsideQuality::parse(q.as_str()), Some(*q));
        }
    }

    #[test]
    fn an_action_moves_by_its_transitions() {
        use ActionStatus as S;
        assert_eq!(S::Todo.next(S::InProgress), Ok(S::InProgress));
        assert_eq!(S::Todo.next(S::Done), Ok(S::Done));
        assert_eq!(S::InProgress.next(S::Todo), Ok(S::Todo));
        assert_eq!(S::InProgress.next(S::Dropped), Ok(S::Dropped));
        assert_eq!(S::Done.next(S::InProgress), Ok(S::InProgress));
        assert_eq!(S::Dropped.next(S::Todo), Ok(S::Todo));
        assert_eq!(
            S::Done.next(S::Dropped),
            Err("pilotage-error-comite-action-status")
        );
        assert_eq!(
            S::Dropped.next(S::Done),
            Err("pilotage-error-comite-action-status")
        );
        assert_eq!(
            S::Done.next(S::Todo),
            Err("pilotage-error-comite-action-status")
        );
        assert_eq!(
            S::Todo.next(S::Todo),
            Err("pilotage-error-comite-action-same-status")
        );
    }

    #[test]
    fn an_open_action_past_its_due_date_is_overdue() {
        let today = d(2027, 1, 15);
        assert!(overdue(ActionStatus::Todo, d(2027, 1, 14), today));
        assert!(overdue(ActionStatus::InProgress, d(2026, 12, 1), today));
        assert!(!overdue(ActionStatus::Todo, today, today), "due today");
        assert!(!overdue(ActionStatus::Done, d(2027, 1, 1), today));
        assert!(!overdue(ActionStatus::Dropped, d(2027, 1, 1), today));
    }

    #[test]
    fn the_three_terms_cover_the_year() {
        let y = SchoolYear(2026);
        assert_eq!(Term::of(d(2026, 9, 1)), Term::First);
        assert_eq!(Term::of(d(2026, 12, 31)), Term::First);
        assert_eq!(Term::of(d(2027, 1, 1)), Term::Second);
        assert_eq!(Term::of(d(2027, 3, 31)), Term::Second);
        assert_eq!(Term::of(d(2027, 4, 1)), Term::Third);
        assert_eq!(Term::of(d(2027, 8, 31)), Term::Third);
        assert_eq!(Term::First.first_day(y), y.first_day());
        assert_eq!(Term::Third.last_day(y), y.last_day());
        assert_eq!(
            Term::First.last_day(y).succ_opt(),
            Some(Term::Second.first_day(y))
        );
        assert_eq!(
            Term::Second.last_day(y).succ_opt(),
            Some(Term::Third.first_day(y))
        );
        assert!(Term::Second.contains(y, d(2027, 2, 28)));
        assert!(!Term::Second.contains(SchoolYear(2025), d(2027, 2, 28)));
    }

    #[test]
    fn terms_without_meeting_are_the_begun_ones_with_none() {
        let y = SchoolYear(2026);
        // In November, the first term has begun and has no meeting.
        assert_eq!(
            terms_without_meeting(y, &[], d(2026, 11, 10)),
            vec![Term::First]
        );
        // A meeting in October covers it; the later terms have not begun.
        assert!(terms_without_meeting(y, &[d(2026, 10, 5)], d(2026, 11, 10)).is_empty());
        // In May: one meeting in October, none from January to March, the
        // third term current and without a meeting.
        assert_eq!(
            terms_without_meeting(y, &[d(2026, 10, 5)], d(2027, 5, 2)),
            vec![Term::Second, Term::Third]
        );
        // A meeting of another year counts for nothing.
        assert_eq!(
            terms_without_meeting(y, &[d(2027, 10, 5), d(2026, 3, 1)], d(2026, 12, 1)),
            vec![Term::First]
        );
        // A year to come has none; a past year lists every empty term.
        assert!(terms_without_meeting(SchoolYear(2027), &[], d(2027, 8, 31)).is_empty());
        assert_eq!(
            terms_without_meeting(SchoolYear(2025), &[d(2026, 2, 2)], d(2026, 11, 1)),
            vec![Term::First, Term::Third]
        );
    }
}
