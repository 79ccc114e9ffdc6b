//! What a referent is paid for the mission: an *indemnité pour mission
//! particulière* (IMP) at one of the legal annual rates, possibly a share of
//! it when the school splits the mission, or a number of hours.
//!
//! Source: décret n° 2015-475 of 27 April 2015 (the IMP) and the arrêté of
//! the same day, which sets the five annual rates below. The school's IMP
//! envelope is voted by its board; a letter records only the rate and share
//! chosen.

use serde::{Deserialize, Serialize};

/// The legal annual IMP rates, in euro cents: 312.50 €, 625 €, 1,250 €,
/// 2,500 € and 3,750 €.
pub const IMP_RATES_CENTS: [u32; 5] = [31_250, 62_500, 125_000, 250_000, 375_000];

/// The largest denominator of a share (a mission split in twelfths at most).
pub const MAX_SHARE_DENOMINATOR: u8 = 12;

/// The most hours a letter may record for a year.
pub const MAX_HOURS: u16 = 400;

/// A part of an IMP rate: `numerator / denominator`, at most the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub numerator: u8,
    pub denominator: u8,
}

impl Share {
    pub const WHOLE: Share = Share {
        numerator: 1,
        denominator: 1,
    };

    /// Reads "1", "1/2", "2/3"…: a fraction above 0 and at most 1, with a
    /// denominator of at most [`MAX_SHARE_DENOMINATOR`].
    pub fn parse(s: &str) -> Option<Share> {
        let s = s.trim();
        let (n, d) = match s.split_once('/') {
            Some((n, d)) => (n.trim().parse().ok()?, d.trim().parse().ok()?),
            None => (s.parse().ok()?, 1),
        };
        (n >= 1 && (1..=MAX_SHARE_DENOMINATOR).contains(&d) && n <= d).then_some(Share {
            numerator: n,
            denominator: d,
        })
    }

    /// "1/2", or "1" for the whole.
    pub fn label(self) -> String {
        if self.numerator == self.denominator {
            "1".into()
        } else {
            format!("{}/{}", self.numerator, self.denominator)
        }
    }
}

/// What one referent is paid for the mission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Remuneration {
    /// A share of one legal IMP rate (in cents, one of [`IMP_RATES_CENTS`]).
    Imp { rate_cents: u32, share: Share },
    /// Hours over the school year.
    Hours { hours: u16 },
}

impl Remuneration {
    /// A share of a legal rate; `None` when the rate is not one of the
    /// arrêté's.
    pub fn imp(rate_cents: u32, share: Share) -> Option<Remuneration> {
        IMP_RATES_CENTS
            .contains(&rate_cents)
            .then_some(Remuneration::Imp { rate_cents, share })
    }

    /// Hours over the year, 1 to [`MAX_HOURS`].
    pub fn hours(hours: u16) -> Option<Remuneration> {
        (1..=MAX_HOURS)
            .contains(&hours)
            .then_some(Remuneration::Hours { hours })
    }

    /// The yearly amount in cents, rounded to the nearest cent (an IMP only).
    pub fn yearly_cents(self) -> Option<u32> {
        match self {
            Remuneration::Imp { rate_cents, share } => {
                let n = u64::from(rate_cents) * u64::from(share.numerator);
                let d = u64::from(share.denominator);
                u32::try_from((n + d / 2) / d).ok()
            }
            Remuneration::Hours { .. } => None,
        }
    }
}

/// An amount in cents written the French way: "1 250,00 €" (a narrow
/// no-break space between thousands).
pub fn euros(cents: u32) -> String {
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}\u{a0}€", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_legal_rates_are_taken() {
        for r in IMP_RATES_CENTS {
            assert!(Remuneration::imp(r, Share::WHOLE).is_some());
        }
        assert_eq!(Remuneration::imp(100_000, Share::WHOLE), None);
        assert_eq!(Remuneration::imp(0, Share::WHOLE), None);
    }

    #[test]
    fn a_share_is_a_fraction_of_at_most_one() {
        assert_eq!(Share::parse("1"), Some(Share::WHOLE));
        assert_eq!(
            Share::parse(" 2 / 3 "),
            Some(Share {
                numerator: 2,
                denominator: 3
            })
        );
        for bad in ["0", "0/2", "3/2", "1/0", "1/13", "-1/2", "½", ""] {
            assert_eq!(Share::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Share::parse("1/2").map(Share::label).as_deref(),
            Some("1/2")
        );
        assert_eq!(Share::parse("4/4").map(Share::label).as_deref(), Some("1"));
    }

    #[test]
    fn a_split_mission_pays_each_its_share() {
        let half = Share::parse("1/2").expect("share");
        let third = Share::parse("1/3").expect("share");
        let imp = |rate, s| Remuneration::imp(rate, s).and_then(Remuneration::yearly_cents);
        assert_eq!(imp(125_000, half), Some(62_500));
        assert_eq!(imp(31_250, third), Some(10_417), "rounded to the cent");
        assert_eq!(imp(375_000, Share::WHOLE), Some(375_000));
        assert_eq!(
            Remuneration::hours(36).and_then(Remuneration::yearly_cents),
            None
        );
        assert_eq!(Remuneration::hours(0), None);
        assert_eq!(Remuneration::hours(MAX_HOURS + 1), None);
    }

    #[test]
    fn amounts_are_written_the_french_way() {
        assert_eq!(euros(31_250), "312,50\u{a0}€");
        assert_eq!(euros(125_000), "1\u{202f}250,00\u{a0}€");
        assert_eq!(euros(10_417), "104,17\u{a0}€");
    }
}
