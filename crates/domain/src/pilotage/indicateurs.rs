//! The indicators that follow the mission letter and the school project:
//! typed by hand, or bound to a figure RefNum computes from its own data
//! (then shown live, with its definition beside it).
//!
//! Values are kept in thousandths of their unit (92.5 % is 92 500), so that
//! a target typed "92,5" is stored and compared exactly on both databases.

use crate::codes::code_enum;

code_enum!(
    /// A figure RefNum computes for a school.
    Metric {
        EquipmentAvailability => "equipment_availability",
        SlaCompliance => "sla_compliance",
        TerminalsPer100Pupils => "terminals_per_100_pupils",
        ComputersOlderThan5Years => "computers_older_than_5_years",
        BookingOccupancy => "booking_occupancy",
        LoansOut => "loans_out",
        LoansOverdue => "loans_overdue",
        DirectoryFreshness => "directory_freshness",
        ComiteMeetings => "comite_meetings",
        TrainingsHeld => "trainings_held",
        TeachersTrained => "teachers_trained",
        AccompanimentHandled => "accompaniment_handled",
        RegisterEntries => "register_entries",
    }
);

code_enum!(
    /// What a value counts.
    Unit {
        Percent => "percent",
        Count => "count",
        Days => "days",
        Per100Pupils => "per_100_pupils",
    }
);

code_enum!(
    /// Whether the indicator improves upwards or downwards.
    Direction {
        Higher => "higher",
        Lower => "lower",
    }
);

impl Metric {
    pub fn unit(self) -> Unit {
        use Metric::*;
        match self {
            EquipmentAvailability | SlaCompliance | ComputersOlderThan5Years | BookingOccupancy => {
                Unit::Percent
            }
            TerminalsPer100Pupils => Unit::Per100Pupils,
            DirectoryFreshness => Unit::Days,
            LoansOut | LoansOverdue | ComiteMeetings | TrainingsHeld | TeachersTrained
            | AccompanimentHandled | RegisterEntries => Unit::Count,
        }
    }

    /// Which way is better: fewer old computers, fewer overdue loans and a
    /// fresher directory (its age in days) are better; more of the rest.
    pub fn direction(self) -> Direction {
        use Metric::*;
        match self {
            ComputersOlderThan5Years | LoansOverdue | DirectoryFreshness => Direction::Lower,
            _ => Direction::Higher,
        }
    }

    /// The figures RefNum can compute today. The others come with their
    /// modules (the comité and the training plan of the pilotage, the
    /// accompaniment requests, the GDPR register) and are offered once
    /// those exist.
    pub fn computed_today(self) -> bool {
        use Metric::*;
        matches!(
            self,
            EquipmentAvailability
                | SlaCompliance
                | TerminalsPer100Pupils
                | ComputersOlderThan5Years
                | BookingOccupancy
                | LoansOut
                | LoansOverdue
                | DirectoryFreshness
        )
    }
}

/// Reads a value typed in a form: "92", "92,5", "92.5", "1 250" (spaces
/// between thousands), at most three decimals, within the unit's range (a
/// percentage 0 to 100, the others 0 to 1,000,000). Returns thousandths, or
/// the catalogue key of the error.
pub fn parse_value(unit: Unit, input: &str) -> Result<i64, &'static str> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let s = s.strip_suffix('%').unwrap_or(&s);
    if s.is_empty() {
        return Err("pilotage-error-value-empty");
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if !digits(int) || (!frac.is_empty() && !digits(frac)) || s.ends_with('.') {
        return Err("pilotage-error-value-not-a-number");
    }
    if frac.len() > 3 || int.len() > 9 {
        return Err("pilotage-error-value-not-a-number");
    }
    let whole: i64 = int
        .parse()
        .map_err(|_| "pilotage-error-value-not-a-number")?;
    let mut thousandths: i64 = 0;
    for (i, c) in frac.chars().enumerate() {
        thousandths += i64::from(c.to_digit(10).unwrap_or(0)) * [100, 10, 1][i];
    }
    let v = whole * 1000 + thousandths;
    let max = match unit {
        Unit::Percent => 100_000,
        _ => 1_000_000_000,
    };
    if v > max {
        return Err("pilotage-error-value-out-of-range");
    }
    Ok(v)
}

/// A value in thousandths written the French way, with at most the
/// decimals it has: 92 500 → "92,5", 3 000 → "3".
pub fn format_value(thousandths: i64) -> String {
    let sign = if thousandths < 0 { "-" } else { "" };
    let a = thousandths.unsigned_abs();
    let (whole, frac) = (a / 1000, a % 1000);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let f = format!("{frac:03}");
    format!("{sign}{whole},{}", f.trim_end_matches('0'))
}

/// `count` per hundred of `total`, in thousandths: `count × 100 000 ÷
/// total`, rounded half up (a remainder of half the divisor or more rounds
/// up, towards the greater value). This is both a percentage (2 of 3 is
/// 66 667, i.e. 66,667 %) and a rate per 100 (45 terminals for 600 pupils
/// is 7 500, i.e. 7,5 per 100 pupils). None when `total` is 0 or less:
/// the figure is undefined, not zero.
pub fn per_hundred(count: i64, total: i64) -> Option<i64> {
    if total <= 0 {
        return None;
    }
    let (n, d) = (i128::from(count), i128::from(total));
    // floor((2n × 100 000 + d) ÷ 2d) = n × 100 000 ÷ d rounded half up.
    let v = (2 * n * 100_000 + d).div_euclid(2 * d);
    i64::try_from(v).ok()
}

/// Whether a value reaches its target, the way the indicator improves.
pub fn on_target(direction: Direction, value: i64, target: i64) -> bool {
    match direction {
        Direction::Higher => value >= target,
        Direction::Lower => value <= target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_in_thousandths() {
        assert_eq!(parse_value(Unit::Percent, "92"), Ok(92_000));
        assert_eq!(parse_value(Unit::Percent, " 92,5 "), Ok(92_500));
        assert_eq!(parse_value(Unit::Percent, "92.25 %"), Ok(92_250));
        assert_eq!(parse_value(Unit::Count, "1 250"), Ok(1_250_000));
        assert_eq!(parse_value(Unit::Days, "0,125"), Ok(125));
    }

    #[test]
    fn a_target_that_is_not_a_number_is_refused_with_its_reason() {
        for bad in ["beaucoup", "12a", "1,2,3", "-5", "5.", ".5", "1,2345", "∞"] {
            assert_eq!(
                parse_value(Unit::Count, bad),
                Err("pilotage-error-value-not-a-number"),
                "{bad}"
            );
        }
        assert_eq!(
            parse_value(Unit::Count, "  "),
            Err("pilotage-error-value-empty")
        );
        assert_eq!(
            parse_value(Unit::Percent, "100,5"),
            Err("pilotage-error-value-out-of-range")
        );
        assert_eq!(parse_value(Unit::Percent, "100"), Ok(100_000));
    }

    #[test]
    fn values_are_written_back_as_typed() {
        for (v, s) in [
            (92_500, "92,5"),
            (3_000, "3"),
            (125, "0,125"),
            (1_250_000, "1250"),
        ] {
            assert_eq!(format_value(v), s);
            assert_eq!(
                parse_value(Unit::Count, s).map(format_value).as_deref(),
                Ok(s)
            );
        }
    }

    #[test]
    fn shares_are_rounded_half_up_to_thousandths() {
        assert_eq!(per_hundred(2, 3), Some(66_667));
        assert_eq!(per_hundred(1, 3), Some(33_333));
        assert_eq!(per_hundred(45, 600), Some(7_500));
        assert_eq!(per_hundred(3, 4), Some(75_000));
        assert_eq!(per_hundred(0, 7), Some(0));
        assert_eq!(per_hundred(7, 7), Some(100_000));
        // 1 ÷ 16 per hundred is 6,25 exactly; 1 ÷ 200 000 per hundred is
        // 0,0005: exactly half a thousandth, rounded up to 0,001.
        assert_eq!(per_hundred(1, 16), Some(6_250));
        assert_eq!(per_hundred(1, 200_000), Some(1));
        assert_eq!(per_hundred(1, 200_001), Some(0));
        // More than the whole (more terminals than pupils) is kept.
        assert_eq!(per_hundred(1_500, 1_000), Some(150_000));
        assert_eq!(per_hundred(5, 0), None);
        assert_eq!(per_hundred(0, 0), None);
        assert_eq!(per_hundred(5, -1), None);
    }

    #[test]
    fn the_direction_decides_what_is_on_target() {
        assert!(on_target(Direction::Higher, 95_000, 90_000));
        assert!(!on_target(Direction::Higher, 85_000, 90_000));
        assert!(on_target(Direction::Lower, 10_000, 15_000));
        assert!(!on_target(
            Metric::ComputersOlderThan5Years.direction(),
            40_000,
            30_000
        ));
        assert_eq!(Metric::EquipmentAvailability.unit(), Unit::Percent);
        assert!(Metric::SlaCompliance.computed_today());
        assert!(!Metric::TeachersTrained.computed_today());
    }
}
