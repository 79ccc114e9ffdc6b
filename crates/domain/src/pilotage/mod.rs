//! Pilotage: the referent's first axis, advising the head of school. The
//! mission letter (its missions, pay, indicators and life cycle), the
//! comité numérique, the digital part of the school project and the
//! school's training plan build on the types here.
//!
//! Where a rule comes from a text, its module says which (see
//! `docs/pilotage.md` for the sources).

pub mod catalogue;
pub mod comite;
pub mod formations;
pub mod imp;
pub mod indicateurs;
pub mod lettre;
pub mod projet;

use crate::codes::code_enum;
use chrono::{Datelike, NaiveDate};

code_enum!(
    /// The referent's four axes, in the order the menu and the letter show
    /// them.
    Axis {
        Pilotage => "pilotage",
        Accompagnement => "accompagnement",
        Equipements => "equipements",
        ServicesEnLigne => "services_en_ligne",
    }
);

/// A school year, named by the calendar year it starts in: 2026 is
/// 2026-2027, from 1 September to 31 August.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchoolYear(pub i32);

impl SchoolYear {
    /// The school year a day belongs to.
    pub fn of(day: NaiveDate) -> Self {
        if day.month() >= 9 {
            SchoolYear(day.year())
        } else {
            SchoolYear(day.year() - 1)
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 9, 1).expect("1 September exists")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 8, 31).expect("31 August exists")
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        SchoolYear::of(day) == self
    }

    /// "2026-2027".
    pub fn label(self) -> String {
        format!("{}-{}", self.0, self.0 + 1)
    }

    /// Reads "2026" or "2026-2027" (the second year must follow the
    /// first); years outside 2000–2100 are refused.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (first, second) = match s.split_once('-') {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (s, None),
        };
        let y: i32 = first.parse().ok()?;
        if !(2000..=2100).contains(&y) {
            return None;
        }
        if let Some(b) = second
            && b.parse::<i32>().ok()? != y + 1
        {
            return None;
        }
        Some(SchoolYear(y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_school_year_runs_from_september_to_august() {
        assert_eq!(SchoolYear::of(d(2026, 9, 1)), SchoolYear(2026));
        assert_eq!(SchoolYear::of(d(2026, 8, 31)), SchoolYear(2025));
        assert_eq!(SchoolYear::of(d(2027, 8, 31)), SchoolYear(2026));
        let y = SchoolYear(2026);
        assert_eq!(y.first_day(), d(2026, 9, 1));
        assert_eq!(y.last_day(), d(2027, 8, 31));
        assert!(y.contains(d(2027, 6, 30)));
        assert!(!y.contains(d(2027, 9, 1)));
        assert_eq!(y.label(), "2026-2027");
    }

    #[test]
    fn school_years_are_read_in_both_forms() {
        assert_eq!(SchoolYear::parse("2026"), Some(SchoolYear(2026)));
        assert_eq!(SchoolYear::parse(" 2026-2027 "), Some(SchoolYear(2026)));
        assert_eq!(SchoolYear::parse("2026-2028"), None);
        assert_eq!(SchoolYear::parse("1999"), None);
        assert_eq!(SchoolYear::parse("deux mille"), None);
    }

    #[test]
    fn the_axes_read_back_from_their_codes() {
        assert_eq!(Axis::ALL.len(), 4);
        for a in Axis::ALL {
            assert_eq!(Axis::parse(a.as_str()), Some(*a));
        }
    }
}
