//! A small iCalendar reader for holiday calendars: the `VEVENT`s of a file
//! with their `SUMMARY`, `DTSTART` and `DTEND` as dates (RFC 5545 all-day
//! events; a date-time keeps its date). Lines are unfolded first; errors name
//! the (physical) line. Nothing else of the format is interpreted.

use chrono::{Duration, NaiveDate};

/// At most this many events per file.
pub const MAX_EVENTS: usize = 2_000;

/// One event: its summary and its days, both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEvent {
    pub summary: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The line of its `BEGIN:VEVENT`.
    pub line: usize,
}

/// What is wrong with a file, and on which line (from 1; 0 for the whole file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind:?}")]
pub struct IcalError {
    pub line: usize,
    pub kind: IcalErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcalErrorKind {
    /// Not UTF-8 text.
    Encoding,
    /// No `BEGIN:VCALENDAR`.
    NotACalendar,
    /// A `BEGIN:VEVENT` without its `END:VEVENT`, or the reverse.
    Unbalanced,
    /// An event without `DTSTART`.
    MissingStart,
    /// A date that cannot be read.
    BadDate,
    /// An end before the start.
    EndBeforeStart,
    /// Too many events.
    TooMany,
}

fn parse_value_date(params: &str, value: &str) -> Option<(NaiveDate, bool)> {
    let v = value.trim();
    let is_date = params.to_ascii_uppercase().contains("VALUE=DATE")
        && !params.to_ascii_uppercase().contains("VALUE=DATE-TIME");
    if v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .ok()
            .map(|d| (d, true));
    }
    if is_date {
        return None;
    }
    // A date-time: 20261017T000000 or …Z.
    let (date, time) = v.split_once('T')?;
    if date.len() != 8 || time.trim_end_matches('Z').len() != 6 {
        return None;
    }
    let d = NaiveDate::parse_from_str(date, "%Y%m%d").ok()?;
    let midnight = time.trim_end_matches('Z') == "000000";
    Some((d, midnight))
}

/// Reads the events of an iCalendar file.
pub fn parse(bytes: &[u8]) -> Result<Vec<DayEvent>, IcalError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        IcalError {
            line,
            kind: IcalErrorKind::Encoding,
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Unfold: a line starting with a space or a tab continues the one above.
    let mut lines: Vec<(usize, String)> = vec![];
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let (Some(rest), Some((_, last))) = (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            last.push_str(rest);
            continue;
        }
        if !raw.trim().is_empty() {
            lines.push((i + 1, raw.to_string()));
        }
    }
    if !lines
        .iter()
        .any(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err(IcalError {
            line: 0,
            kind: IcalErrorKind::NotACalendar,
        });
    }
    let mut out = vec![];
    struct Open {
        line: usize,
        summary: String,
        start: Option<(NaiveDate, bool)>,
        end: Option<(NaiveDate, bool)>,
    }
    let mut cur: Option<Open> = None;
    for (n, l) in &lines {
        let (name_params, value) = match l.split_once(':') {
            Some(x) => x,
            None => continue,
        };
        let (name, params) = match name_params.split_once(';') {
            Some((n, p)) => (n, p),
            None => (name_params, ""),
        };
        let name = name.trim().to_ascii_uppercase();
        let err = |kind| IcalError { line: *n, kind };
        match name.as_str() {
            "BEGIN" if value.trim().eq_ignore_ascii_case("VEVENT") => {
                if cur.is_some() {
                    return Err(err(IcalErrorKind::Unbalanced));
                }
                cur = Some(Open {
                    line: *n,
                    summary: String::new(),
                    start: None,
                    end: None,
                });
            }
            "END" if value.trim().eq_ignore_ascii_case("VEVENT") => {
                let Some(ev) = cur.take() else {
                    return Err(err(IcalErrorKind::Unbalanced));
                };
                let Some((start, _)) = ev.start else {
                    return Err(IcalError {
                        line: ev.line,
                        kind: IcalErrorKind::MissingStart,
                    });
                };
                // An all-day DTEND is exclusive; so is a date-time at midnight.
                let end = match ev.end {
                    None => start,
                    Some((e, exclusive)) => {
                        if exclusive && e > start {
                            e - Duration::days(1)
                        } else {
                            e
                        }
                    }
                };
                if end < start {
                    return Err(IcalError {
                        line: ev.line,
                        kind: IcalErrorKind::EndBeforeStart,
                    });
                }
                if out.len() == MAX_EVENTS {
                    return Err(err(IcalErrorKind::TooMany));
                }
                out.push(DayEvent {
                    summary: unescape(&ev.summary),
                    start,
                    end,
                    line: ev.line,
                });
            }
            "SUMMARY" => {
                if let Some(ev) = cur.as_mut() {
                    ev.summary = value.trim().to_string();
                }
            }
            "DTSTART" | "DTEND" => {
                if let Some(ev) = cur.as_mut() {
                    let d = parse_value_date(params, value).ok_or(err(IcalErrorKind::BadDate))?;
                    if name == "DTSTART" {
                        ev.start = Some(d);
                    } else {
                        ev.end = Some(d);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(ev) = cur {
        return Err(IcalError {
            line: ev.line,
            kind: IcalErrorKind::Unbalanced,
        });
    }
    Ok(out)
}

/// Text values escape `\,`, `\;`, `\\` and `\n`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push(' '),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn all_day_events_with_an_exclusive_end() {
        let f = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Vacances d'hiver\\, zone B\r\nDTSTART;VALUE=DATE:20270220\r\nDTEND;VALUE=DATE:20270308\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Pont\r\n  de mai\r\nDTSTART;VALUE=DATE:20270507\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let ev = parse(f.as_bytes()).expect("parsed");
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].summary, "Vacances d'hiver, zone B");
        assert_eq!((ev[0].start, ev[0].end), (d(2027, 2, 20), d(2027, 3, 7)));
        assert_eq!(ev[1].summary, "Pont de mai");
        assert_eq!((ev[1].start, ev[1].end), (d(2027, 5, 7), d(2027, 5, 7)));
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:2027-02-20\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(
            parse(bad.as_bytes()),
            Err(IcalError {
                line: 4,
                kind: IcalErrorKind::BadDate
            })
        );
        let open = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270220\n";
        assert_eq!(
            parse(open.as_bytes()).map_err(|e| e.kind),
            Err(IcalErrorKind::Unbalanced)
        );
        assert_eq!(
            parse(b"hello").map_err(|e| e.kind),
            Err(IcalErrorKind::NotACalendar)
        );
        assert_eq!(
            parse(b"BEGIN:VCALENDAR\n\xff\n").map_err(|e| (e.line, e.kind)),
            Err((2, IcalErrorKind::Encoding))
        );
        let back = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270220\nDTEND;VALUE=DATE:20270210\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(
            parse(back.as_bytes()).map_err(|e| (e.line, e.kind)),
            Err((2, IcalErrorKind::EndBeforeStart))
        );
    }
}
