//! Dates and times as the school reads them: in its time zone
//! (`Europe/Paris` unless the instance says otherwise, e.g.
//! `America/Cayenne` for an overseas académie), in the reader's language
//! ("lun. 7 déc. 14:05"), inside `<time datetime="…">` so that the exact
//! instant stays in the page. Timestamps are stored in UTC; only their
//! display changes.

use crate::i18n::{Lang, Tr};
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use std::sync::OnceLock;

/// The instance's time zone when none was set.
pub const DEFAULT_ZONE: Tz = chrono_tz::Europe::Paris;

static ZONE: OnceLock<Tz> = OnceLock::new();

/// Sets the instance's time zone, once, when the router is built (the
/// first router of a process wins: one process serves one instance).
pub fn set_zone(tz: Tz) {
    let _ = ZONE.set(tz);
}

/// The instance's time zone.
pub fn zone() -> Tz {
    *ZONE.get().unwrap_or(&DEFAULT_ZONE)
}

/// Parses a time zone name of the IANA database (`Europe/Paris`).
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// How an instant is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// "lun. 7 déc. 14:05" (this year), "7 déc. 2025 14:05" (another one).
    DateTime,
    /// "il y a 2 h" within the day before, then as [`Style::DateTime`];
    /// the full date is in the element's `title`.
    Relative,
}

/// An instant to show (or, with none, a placeholder text such as
/// "jamais"): its `Display` is the HTML `<time>` element, safe as it is
/// (digits and the day and month names of this file; a placeholder is
/// escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    at: Option<DateTime<Utc>>,
    lang: Lang,
    style: Style,
    placeholder: String,
}

impl Default for When {
    fn default() -> When {
        When {
            at: None,
            lang: Lang::Fr,
            style: Style::DateTime,
            placeholder: String::new(),
        }
    }
}

impl When {
    pub fn new(tr: Tr, at: DateTime<Utc>, style: Style) -> When {
        When {
            at: Some(at),
            lang: tr.0,
            style,
            placeholder: String::new(),
        }
    }

    /// An instant, or `placeholder` when there is none.
    pub fn or(tr: Tr, at: Option<&DateTime<Utc>>, placeholder: String) -> When {
        When {
            at: at.copied(),
            lang: tr.0,
            style: Style::DateTime,
            placeholder,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_none() && self.placeholder.is_empty()
    }

    /// The text alone (for exports, messages and attributes).
    pub fn text(&self) -> String {
        let Some(at) = self.at else {
            return self.placeholder.clone();
        };
        let now = Utc::now();
        match self.style {
            Style::DateTime => date_time(self.lang, at, now),
            Style::Relative => {
                relative(self.lang, at, now).unwrap_or_else(|| date_time(self.lang, at, now))
            }
        }
    }

    /// The instant in the instance's zone, as RFC 3339 (`datetime`).
    pub fn machine(&self) -> Option<String> {
        self.at.map(|at| {
            let mut out = String::with_capacity(25);
            let _ = write_machine(&mut out, &at.with_timezone(&zone()));
            out
        })
    }
}

impl std::fmt::Display for When {
    /// Written straight into the page: one conversion to the zone, no
    /// intermediate strings (lists show three instants a row).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(at) = self.at else {
            return f.write_str(&escape(&self.placeholder));
        };
        let tz = zone();
        let local = at.with_timezone(&tz);
        let now = Utc::now();
        let this_year = now.with_timezone(&tz).year();
        f.write_str("<time datetime=\"")?;
        write_machine(f, &local)?;
        match self.style {
            Style::Relative => match relative(self.lang, at, now) {
                Some(rel) => {
                    f.write_str("\" title=\"")?;
                    write_date_time(f, self.lang, &local, this_year)?;
                    f.write_str("\">")?;
                    f.write_str(&rel)?;
                }
                None => {
                    f.write_str("\">")?;
                    write_date_time(f, self.lang, &local, this_year)?;
                }
            },
            Style::DateTime => {
                f.write_str("\">")?;
                write_date_time(f, self.lang, &local, this_year)?;
            }
        }
        f.write_str("</time>")
    }
}

/// RFC 3339 to the second with the zone's offset, as `machine()` gives it.
fn write_machine<W: std::fmt::Write>(w: &mut W, local: &DateTime<Tz>) -> std::fmt::Result {
    use chrono::Offset;
    let off = local.offset().fix().local_minus_utc();
    let (sign, off) = if off < 0 { ('-', -off) } else { ('+', off) };
    write!(
        w,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        off / 3600,
        off % 3600 / 60
    )
}

/// [`date_time`] written into `w`, `local` being the instant in the zone.
fn write_date_time<W: std::fmt::Write>(
    w: &mut W,
    lang: Lang,
    local: &DateTime<Tz>,
    this_year: i32,
) -> std::fmt::Result {
    let wd = local.weekday().num_days_from_monday() as usize;
    let m = local.month0() as usize;
    let (days, months) = match lang {
        Lang::Fr => (DAYS_FR, MONTHS_FR),
        Lang::En => (DAYS_EN, MONTHS_EN),
    };
    if local.year() == this_year {
        write!(w, "{} {} {} ", days[wd], local.day(), months[m])?;
    } else {
        write!(w, "{} {} {} ", local.day(), months[m], local.year())?;
    }
    write!(w, "{:02}:{:02}", local.hour(), local.minute())
}

impl askama::filters::HtmlSafe for When {}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `fmt_time(tr, t)`: an instant of a page, in the instance's zone.
pub fn fmt_time(tr: Tr, t: &DateTime<Utc>) -> When {
    When::new(tr, *t, Style::DateTime)
}

/// Like [`fmt_time`], "il y a 2 h" when recent.
pub fn fmt_recent(tr: Tr, t: &DateTime<Utc>) -> When {
    When::new(tr, *t, Style::Relative)
}

const DAYS_FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const DAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "lun. 7 déc. 14:05" in the current year, "7 déc. 2025 14:05" otherwise.
pub fn date_time(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let tz = zone();
    let mut out = String::with_capacity(24);
    let _ = write_date_time(
        &mut out,
        lang,
        &at.with_timezone(&tz),
        now.with_timezone(&tz).year(),
    );
    out
}

/// "à l'instant", "il y a 5 min", "il y a 2 h" within the last 24 hours;
/// `None` for anything older or in the future.
pub fn relative(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    let secs = (now - at).num_seconds();
    if !(0..24 * 3600).contains(&secs) {
        return None;
    }
    let (min, h) = (secs / 60, secs / 3600);
    Some(match (lang, secs) {
        (Lang::Fr, 0..60) => "à l'instant".to_string(),
        (Lang::En, 0..60) => "just now".to_string(),
        (Lang::Fr, 60..3600) => format!("il y a {min} min"),
        (Lang::En, 60..3600) => format!("{min} min ago"),
        (Lang::Fr, _) => format!("il y a {h} h"),
        (Lang::En, _) => format!("{h} h ago"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_element_carries_the_same_instant_and_text_as_its_parts() {
        let tr = Tr(Lang::Fr);
        // Winter (+01:00), summer (+02:00), another year, and a recent one.
        let now = Utc::now();
        for at in [
            utc(2026, 12, 7, 22, 30),
            utc(2026, 7, 14, 9, 5),
            utc(2019, 3, 1, 0, 0),
            now - chrono::Duration::minutes(5),
        ] {
            for style in [Style::DateTime, Style::Relative] {
                let w = When::new(tr, at, style);
                let html = w.to_string();
                let machine = w.machine().expect("machine");
                assert_eq!(
                    machine,
                    at.with_timezone(&zone())
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                );
                let full = date_time(Lang::Fr, at, Utc::now());
                let expected = match relative(Lang::Fr, at, Utc::now()) {
                    Some(rel) if style == Style::Relative => {
                        format!("<time datetime=\"{machine}\" title=\"{full}\">{rel}</time>")
                    }
                    _ => format!("<time datetime=\"{machine}\">{full}</time>"),
                };
                assert_eq!(html, expected);
            }
        }
        assert_eq!(
            When::new(tr, utc(2026, 12, 7, 22, 30), Style::DateTime)
                .machine()
                .as_deref(),
            Some("2026-12-07T23:30:00+01:00")
        );
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn paris_time_in_winter_and_summer_with_french_names() {
        let now = utc(2026, 12, 7, 12, 0);
        // 22:30 UTC is 23:30 in Paris in winter (UTC+1), the same day.
        assert_eq!(
            date_time(Lang::Fr, utc(2026, 12, 7, 22, 30), now),
            "lun. 7 déc. 23:30"
        );
        // 23:30 UTC is already Tuesday 00:30 in Paris.
        assert_eq!(
            date_time(Lang::Fr, utc(2026, 12, 7, 23, 30), now),
            "mar. 8 déc. 00:30"
        );
        // Summer time: UTC+2.
        assert_eq!(
            date_time(Lang::Fr, utc(2026, 7, 14, 8, 0), now),
            "mar. 14 juil. 10:00"
        );
        assert_eq!(
            date_time(Lang::Fr, utc(2025, 2, 3, 9, 5), now),
            "3 févr. 2025 10:05"
        );
        assert_eq!(
            date_time(Lang::En, utc(2026, 12, 7, 22, 30), now),
            "Mon 7 Dec 23:30"
        );
    }

    #[test]
    fn recent_instants_are_relative() {
        let now = utc(2026, 12, 7, 12, 0);
        assert_eq!(
            relative(Lang::Fr, utc(2026, 12, 7, 10, 0), now).as_deref(),
            Some("il y a 2 h")
        );
        assert_eq!(
            relative(Lang::Fr, utc(2026, 12, 7, 11, 55), now).as_deref(),
            Some("il y a 5 min")
        );
        assert_eq!(relative(Lang::En, now, now).as_deref(), Some("just now"));
        assert_eq!(relative(Lang::Fr, utc(2026, 12, 6, 11, 0), now), None);
        assert_eq!(relative(Lang::Fr, utc(2026, 12, 7, 13, 0), now), None);
    }

    #[test]
    fn the_element_carries_the_exact_instant() {
        let w = When::new(Tr(Lang::Fr), utc(2025, 12, 7, 22, 30), Style::DateTime);
        assert_eq!(
            w.to_string(),
            "<time datetime=\"2025-12-07T23:30:00+01:00\">7 déc. 2025 23:30</time>"
        );
        assert_eq!(
            When::or(Tr(Lang::Fr), None, "<jamais>".into()).to_string(),
            "&lt;jamais&gt;"
        );
        assert!(parse_zone("America/Cayenne").is_some());
        assert!(parse_zone("Europe/Nulle-Part").is_none());
    }
}
