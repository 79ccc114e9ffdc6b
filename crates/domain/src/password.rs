//! Password rules: at least 12 characters, not in the blocklist of common
//! passwords, no composition rules.

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("error-password-short")]
    TooShort,
    #[error("error-password-long")]
    TooLong,
    #[error("error-password-common")]
    Common,
}

impl PasswordError {
    pub fn key(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "error-password-short",
            PasswordError::TooLong => "error-password-long",
            PasswordError::Common => "error-password-common",
        }
    }
}

const BLOCKLIST: &str = include_str!("password_blocklist.txt");

pub fn check(password: &str, context: &[&str]) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    if BLOCKLIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == lower)
    {
        return Err(PasswordError::Common);
    }
    // One character repeated, or the user's own e-mail/name, is as weak as a common word.
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) {
        return Err(PasswordError::Common);
    }
    if context
        .iter()
        .map(|c| c.trim().to_lowercase())
        .any(|c| !c.is_empty() && c == lower)
    {
        return Err(PasswordError::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rule() {
        assert_eq!(check("court", &[]), Err(PasswordError::TooShort));
        assert_eq!(check("douze-caract", &[]), Ok(()));
        assert_eq!(check(&"é".repeat(12), &[]), Err(PasswordError::Common));
    }

    #[test]
    fn common_passwords_are_refused_whatever_the_case() {
        assert_eq!(check("Motdepasse123", &[]), Err(PasswordError::Common));
        assert_eq!(check("azertyuiop123", &[]), Err(PasswordError::Common));
        assert_eq!(check("123456789012", &[]), Err(PasswordError::Common));
    }

    #[test]
    fn own_email_is_refused() {
        assert_eq!(
            check("jeanne@ac-exemple.fr", &["jeanne@ac-exemple.fr"]),
            Err(PasswordError::Common)
        );
    }

    #[test]
    fn no_composition_rule() {
        assert_eq!(check("une phrase toute simple", &[]), Ok(()));
    }
}
