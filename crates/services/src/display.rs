//! Display settings: theme, dyslexia font, line spacing, text size.
//! Stored per account, and in a cookie before login, as `key=value` pairs
//! joined by `.` (a cookie-safe text).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayPrefs {
    pub theme: &'static str,
    pub font: &'static str,
    pub spacing: &'static str,
    pub size: &'static str,
}

pub const THEMES: [&str; 4] = ["auto", "light", "dark", "contrast"];
pub const FONTS: [&str; 2] = ["default", "dyslexia"];
pub const SPACINGS: [&str; 3] = ["normal", "large", "xlarge"];
pub const SIZES: [&str; 4] = ["100", "112", "125", "150"];

impl Default for DisplayPrefs {
    fn default() -> Self {
        DisplayPrefs {
            theme: "auto",
            font: "default",
            spacing: "normal",
            size: "100",
        }
    }
}

fn pick(allowed: &[&'static str], v: &str) -> Option<&'static str> {
    allowed.iter().copied().find(|a| *a == v)
}

impl DisplayPrefs {
    /// Builds from form values; any unknown value is refused.
    pub fn from_values(theme: &str, font: &str, spacing: &str, size: &str) -> Option<Self> {
        Some(DisplayPrefs {
            theme: pick(&THEMES, theme)?,
            font: pick(&FONTS, font)?,
            spacing: pick(&SPACINGS, spacing)?,
            size: pick(&SIZES, size)?,
        })
    }

    /// Parses the stored text; unknown parts fall back to the defaults.
    pub fn decode(s: &str) -> Self {
        let mut p = DisplayPrefs::default();
        for part in s.split('.') {
            let Some((k, v)) = part.split_once('-') else {
                continue;
            };
            match k {
                "t" => p.theme = pick(&THEMES, v).unwrap_or(p.theme),
                "f" => p.font = pick(&FONTS, v).unwrap_or(p.font),
                "s" => p.spacing = pick(&SPACINGS, v).unwrap_or(p.spacing),
                "z" => p.size = pick(&SIZES, v).unwrap_or(p.size),
                _ => {}
            }
        }
        p
    }

    pub fn encode(&self) -> String {
        format!(
            "t-{}.f-{}.s-{}.z-{}",
            self.theme, self.font, self.spacing, self.size
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let p = DisplayPrefs::from_values("contrast", "dyslexia", "xlarge", "150").expect("valid");
        assert_eq!(DisplayPrefs::decode(&p.encode()), p);
    }

    #[test]
    fn unknown_values_are_refused_or_ignored() {
        assert!(DisplayPrefs::from_values("pink", "default", "normal", "100").is_none());
        let p = DisplayPrefs::decode("t-pink.f-dyslexia.junk");
        assert_eq!(p.theme, "auto");
        assert_eq!(p.font, "dyslexia");
    }
}
