//! UAI (unité administrative immatriculée): 7 characters (digits, or
//! digits with a letter for Corsica's `2A`/`2B`) then a check letter.

use serde::{Deserialize, Serialize};
use std::fmt;

const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uai(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UaiError {
    #[error("uai.length")]
    Length,
    #[error("uai.format")]
    Format,
    #[error("uai.check-letter")]
    CheckLetter { expected: char },
}

impl UaiError {
    /// Message key in the catalogues.
    pub fn key(&self) -> &'static str {
        match self {
            UaiError::Length => "error-uai-length",
            UaiError::Format => "error-uai-format",
            UaiError::CheckLetter { .. } => "error-uai-check",
        }
    }
}

/// The check letter of the seven-character stem, if the stem is well formed.
pub fn check_letter(stem: &str) -> Option<char> {
    if stem.len() != 7 || !stem.is_ascii() {
        return None;
    }
    // Corsica: 2A/2B are read as 19/20 ... in practice national codes are digits;
    // we accept only digits here.
    let n: u64 = stem.parse().ok()?;
    Some(CHECK_LETTERS[(n % 23) as usize] as char)
}

impl Uai {
    /// Parses strictly: the check letter must be right.
    pub fn parse(input: &str) -> Result<Self, UaiError> {
        let s = Self::normalise(input)?;
        let expected = check_letter(&s[..7]).ok_or(UaiError::Format)?;
        if s.as_bytes()[7] as char != expected {
            return Err(UaiError::CheckLetter { expected });
        }
        Ok(Uai(s))
    }

    /// Parses the shape only and reports whether the check letter is right:
    /// imports keep a code with a wrong letter as a warning.
    pub fn parse_lenient(input: &str) -> Result<(Self, bool), UaiError> {
        let s = Self::normalise(input)?;
        let expected = check_letter(&s[..7]).ok_or(UaiError::Format)?;
        let ok = s.as_bytes()[7] as char == expected;
        Ok((Uai(s), ok))
    }

    fn normalise(input: &str) -> Result<String, UaiError> {
        let s = input.trim().to_ascii_uppercase();
        if s.chars().count() != 8 {
            return Err(UaiError::Length);
        }
        let b = s.as_bytes();
        if !b[..7].iter().all(u8::is_ascii_digit) || !b[7].is_ascii_uppercase() {
            return Err(UaiError::Format);
        }
        Ok(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Uai {
    type Error = UaiError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Uai::parse(&value)
    }
}

impl From<Uai> for String {
    fn from(value: Uai) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_codes() {
        // Real schools from the national lists.
        for code in ["0770935Y", "0140013N", "0141816Y", "0450782F"] {
            let lenient = Uai::parse_lenient(code).expect("shape");
            assert!(lenient.1, "{code} should have a valid check letter");
            assert_eq!(Uai::parse(code).expect("valid").as_str(), code);
        }
    }

    /// Every code of the national lists in the shared fixtures passes.
    #[test]
    fn every_code_of_the_real_lists_is_valid() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/uai");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("shared/fixtures/uai is beside the repository") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("utf-8 list");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let code = line.split(';').next().expect("first field");
                assert!(
                    Uai::parse(code).is_ok(),
                    "{code} of {} refused",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "only {checked} codes read");
    }

    #[test]
    fn lower_case_and_spaces_are_normalised() {
        assert_eq!(
            Uai::parse(" 0770935y ").expect("valid").as_str(),
            "0770935Y"
        );
    }

    #[test]
    fn wrong_check_letter_is_refused_with_the_expected_one() {
        assert_eq!(
            Uai::parse("0770935A"),
            Err(UaiError::CheckLetter { expected: 'Y' })
        );
        let (uai, ok) = Uai::parse_lenient("0770935A").expect("shape ok");
        assert!(!ok);
        assert_eq!(uai.as_str(), "0770935A");
    }

    #[test]
    fn bad_shapes() {
        assert_eq!(Uai::parse("077093Y"), Err(UaiError::Length));
        assert_eq!(Uai::parse("07709X5Y"), Err(UaiError::Format));
        assert_eq!(Uai::parse("07709355"), Err(UaiError::Format));
        assert_eq!(Uai::parse(""), Err(UaiError::Length));
    }
}
