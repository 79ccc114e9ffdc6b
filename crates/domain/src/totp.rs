//! Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA-1,
//! 6 digits, 30-second steps, one step of drift either way. A code is
//! accepted once only: the caller keeps the last accepted step and passes it
//! back, and the same or an earlier step is refused.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Length of a secret, in bytes (160 bits, as RFC 4226 recommends).
pub const SECRET_LEN: usize = 20;
/// Seconds per time step.
pub const STEP_SECS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps of drift accepted on either side of the current one.
pub const DRIFT_STEPS: i64 = 1;
/// Issuer shown by authenticator apps.
pub const ISSUER: &str = "RefNum";

/// A TOTP secret (never printed by `Debug`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid TOTP secret")]
pub struct InvalidSecret;

impl Secret {
    /// A secret from raw bytes (at least 16 bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, InvalidSecret> {
        if bytes.len() < 16 {
            return Err(InvalidSecret);
        }
        Ok(Secret(bytes.to_vec()))
    }

    /// Parses the base32 form (upper or lower case, spaces and padding ignored).
    pub fn from_base32(s: &str) -> Result<Self, InvalidSecret> {
        let clean: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = BASE32_NOPAD
            .decode(clean.as_bytes())
            .map_err(|_| InvalidSecret)?;
        Secret::from_bytes(&bytes)
    }

    /// Base32 without padding, as authenticator apps expect it.
    pub fn to_base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// The base32 form in groups of four, easier to type by hand.
    pub fn to_base32_grouped(&self) -> String {
        let b = self.to_base32();
        b.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://` URI to put in the QR code.
    pub fn otpauth_uri(&self, account_email: &str) -> String {
        format!(
            "otpauth://totp/{ISSUER}:{}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
            percent_encode(account_email),
            self.to_base32()
        )
    }
}

/// Percent-encodes everything but unreserved characters and `@`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The time step of a Unix time (seconds).
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// HOTP (RFC 4226) value of a counter, with `digits` digits.
pub fn hotp(secret: &Secret, counter: u64, digits: u32) -> u32 {
    // HMAC accepts keys of any length: this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&secret.0) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 10u32.pow(digits)
}

/// The 6-digit code of a time step, zero-padded.
pub fn code_at_step(secret: &Secret, step: i64) -> String {
    let counter = u64::try_from(step).unwrap_or(0);
    format!("{:06}", hotp(secret, counter, DIGITS))
}

/// The 6-digit code at a Unix time.
pub fn code_at(secret: &Secret, unix_secs: i64) -> String {
    code_at_step(secret, step_at(unix_secs))
}

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not six digits.
    Malformed,
    /// No step in the drift window gives this code.
    Wrong,
    /// The code matches a step already used (or an earlier one).
    Replayed,
}

/// Checks `code` at `unix_secs` with one step of drift either way. Returns the
/// matched step, to be stored as the new `last_step`. A step at or before
/// `last_step` is refused as a replay.
pub fn verify(
    secret: &Secret,
    code: &str,
    unix_secs: i64,
    last_step: Option<i64>,
) -> Result<i64, Refusal> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::Malformed);
    }
    let now = step_at(unix_secs);
    let mut replayed = false;
    for step in (now - DRIFT_STEPS)..=(now + DRIFT_STEPS) {
        if step < 0 {
            continue;
        }
        if constant_time_eq(code_at_step(secret, step).as_bytes(), code.as_bytes()) {
            if last_step.is_some_and(|last| step <= last) {
                replayed = true;
                continue;
            }
            return Ok(step);
        }
    }
    Err(if replayed {
        Refusal::Replayed
    } else {
        Refusal::Wrong
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_secret() -> Secret {
        // RFC 6238 appendix B: the SHA-1 seed "12345678901234567890".
        Secret::from_bytes(b"12345678901234567890").expect("20 bytes")
    }

    #[test]
    fn rfc6238_sha1_vectors() {
        // (time, 8-digit TOTP) from RFC 6238 appendix B, SHA-1 rows.
        let vectors: [(i64, u32); 6] = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        let s = rfc_secret();
        for (t, expected) in vectors {
            let counter = u64::try_from(step_at(t)).expect("positive");
            assert_eq!(hotp(&s, counter, 8), expected, "t = {t}");
            // Six digits are the last six of the eight.
            assert_eq!(code_at(&s, t), format!("{:06}", expected % 1_000_000));
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        let s = rfc_secret();
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(hotp(&s, counter as u64, 6), *want);
        }
    }

    #[test]
    fn base32_round_trip_and_uri() {
        let s = rfc_secret();
        assert_eq!(s.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            Secret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").expect("parses"),
            s
        );
        assert_eq!(
            s.to_base32_grouped(),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        let uri = s.otpauth_uri("direction.x@ac-normandie.test");
        assert!(uri.starts_with(
            "otpauth://totp/RefNum:direction.x@ac-normandie.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=RefNum"
        ));
        assert!(Secret::from_base32("not base32!").is_err());
        assert!(Secret::from_base32("GEZDGNBV").is_err(), "too short");
        assert_eq!(format!("{s:?}"), "Secret(…)");
    }

    #[test]
    fn drift_window_is_one_step() {
        let s = rfc_secret();
        let t = 1_234_567_890;
        let now = step_at(t);
        for (delta, ok) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = code_at_step(&s, now + delta);
            let r = verify(&s, &code, t, None);
            if ok {
                assert_eq!(r, Ok(now + delta), "delta {delta}");
            } else {
                assert_eq!(r, Err(Refusal::Wrong), "delta {delta}");
            }
        }
    }

    #[test]
    fn replay_of_same_or_earlier_step_refused() {
        let s = rfc_secret();
        let t = 1_234_567_890;
        let now = step_at(t);
        let code = code_at_step(&s, now);
        let step = verify(&s, &code, t, None).expect("first use");
        assert_eq!(verify(&s, &code, t, Some(step)), Err(Refusal::Replayed));
        // Thirty seconds later the same code is within the drift but still used.
        assert_eq!(
            verify(&s, &code, t + 30, Some(step)),
            Err(Refusal::Replayed)
        );
        // An earlier step is refused too.
        let earlier = code_at_step(&s, now - 1);
        assert_eq!(verify(&s, &earlier, t, Some(step)), Err(Refusal::Replayed));
        // The next step's code is accepted.
        let next = code_at_step(&s, now + 1);
        assert_eq!(verify(&s, &next, t + 30, Some(step)), Ok(now + 1));
    }

    #[test]
    fn malformed_codes() {
        let s = rfc_secret();
        for c in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(verify(&s, c, 59, None), Err(Refusal::Malformed), "{c}");
        }
        // Spaces are ignored ("123 456" as some apps display it).
        let code = code_at(&s, 59);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(verify(&s, &spaced, 59, None).is_ok());
    }
}
