//! An iCalendar (RFC 5545) writer for the booking feeds: one `VCALENDAR`
//! with its `PRODID`, `VERSION`, `CALSCALE` and `X-WR-CALNAME`, and one
//! `VEVENT` per booked occurrence, times in UTC. Text values are escaped
//! (backslash, semicolon, comma, newline) and every line is folded at 75
//! octets without splitting a UTF-8 character; lines end with CRLF.

use chrono::{DateTime, Utc};

/// The product identifier written in every feed.
pub const PRODID: &str = "-//RefNum//Reservations//FR";

/// One occurrence of a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Stable per occurrence (the same on every fetch).
    pub uid: String,
    /// When the occurrence was last written.
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub location: Option<String>,
    /// Waiting for approval: `STATUS:TENTATIVE` (else `CONFIRMED`).
    pub tentative: bool,
}

/// Escapes a TEXT value: `\` `;` `,` and line breaks.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line at 75 octets (a continuation line starts with a
/// space, which counts), never inside a UTF-8 character; ends with CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0usize;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn utc(t: &DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The whole calendar.
pub fn write_calendar(name: &str, events: &[FeedEvent]) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold_line(&s));
    line("BEGIN:VCALENDAR".into());
    line(format!("PRODID:{PRODID}"));
    line("VERSION:2.0".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&e.uid)));
        line(format!("DTSTAMP:{}", utc(&e.stamp)));
        line(format!("DTSTART:{}", utc(&e.start)));
        line(format!("DTEND:{}", utc(&e.end)));
        line(format!("SUMMARY:{}", escape_text(&e.summary)));
        if let Some(l) = &e.location {
            line(format!("LOCATION:{}", escape_text(l)));
        }
        line(format!(
            "STATUS:{}",
            if e.tentative {
                "TENTATIVE"
            } else {
                "CONFIRMED"
            }
        ));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 12, h, m, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf"),
            "a\\\\b\\;c\\,d\\ne\\nf".to_string()
        );
        assert_eq!(escape_text("Salle 101 — 4e B"), "Salle 101 — 4e B");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let long = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold_line(&long);
        assert!(folded.ends_with("\r\n"));
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 2, "{lines:?}");
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            if i > 0 {
                assert!(l.starts_with(' '));
            }
        }
        // Unfolding gives the line back.
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, long);
        // A short line is left whole.
        assert_eq!(fold_line("VERSION:2.0"), "VERSION:2.0\r\n");
        // Exactly 75 octets: not folded.
        let exact = "X".repeat(75);
        assert_eq!(fold_line(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn a_calendar_has_its_header_and_one_event_per_occurrence() {
        let events = vec![
            FeedEvent {
                uid: "b1@refnum".into(),
                stamp: at(8, 0),
                start: at(8, 55),
                end: at(9, 50),
                summary: "Chariot 1, 4e B; sciences".into(),
                location: Some("Salle 101".into()),
                tentative: false,
            },
            FeedEvent {
                uid: "b2@refnum".into(),
                stamp: at(8, 0),
                start: at(13, 0),
                end: at(14, 0),
                summary: "CDI".into(),
                location: None,
                tentative: true,
            },
        ];
        let cal = write_calendar("Réservations, CDI", &events);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nPRODID:-//RefNum//Reservations//FR\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\n"));
        assert!(cal.contains("X-WR-CALNAME:Réservations\\, CDI\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(cal.matches("BEGIN:VEVENT\r\n").count(), 2);
        assert_eq!(cal.matches("END:VEVENT\r\n").count(), 2);
        assert!(cal.contains("UID:b1@refnum\r\nDTSTAMP:20270112T080000Z\r\nDTSTART:20270112T085500Z\r\nDTEND:20270112T095000Z\r\n"));
        assert!(cal.contains(
            "SUMMARY:Chariot 1\\, 4e B\\; sciences\r\nLOCATION:Salle 101\r\nSTATUS:CONFIRMED\r\n"
        ));
        assert!(cal.contains("SUMMARY:CDI\r\nSTATUS:TENTATIVE\r\n"));
        // Every line ends with CRLF: no bare LF.
        assert_eq!(cal.matches('\n').count(), cal.matches("\r\n").count());
    }
}
