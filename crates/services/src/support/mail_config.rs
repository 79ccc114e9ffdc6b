//! The `[smtp]` table of `refnum.toml` (also `REFNUM_SMTP__HOST`…) and its
//! validation into [`SmtpSettings`]. Without the table, nothing is mailed.

use crate::sso::config::Secret;
use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

impl Security {
    pub fn parse(s: &str) -> Option<Security> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(Security::StartTls),
            "tls" => Some(Security::Tls),
            "none" => Some(Security::None),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// The `[smtp]` table as written; every field optional so that a missing
/// one is named by [`SmtpConfig::validate`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    /// `false` keeps the table but sends nothing (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Default: 587 (`starttls`), 465 (`tls`), 25 (`none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// `starttls` (default), `tls` or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Also `REFNUM_SMTP__PASSWORD`, read verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    /// The sender: `refnum@ac-exemple.fr` or `RefNum <refnum@ac-exemple.fr>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// A configuration error, naming the field (`smtp.host: …`, `public_url: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field,
        message: message.into(),
    }
}

/// Validated SMTP settings with the public address the links start with.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// User name and password, together or not at all.
    pub credentials: Option<(String, Secret)>,
    pub from: Mailbox,
    /// `https://refnum.ac-exemple.fr` (no trailing slash).
    pub public_url: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|(u, _)| (u, "…")),
            )
            .field("from", &self.from.to_string())
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl SmtpConfig {
    /// The settings, `None` when `enabled = false`. `public_url` is the
    /// instance's `public_url`: the mails' links need it.
    pub fn validate(&self, public_url: Option<&str>) -> Result<Option<SmtpSettings>, ConfigError> {
        if self.enabled == Some(false) {
            return Ok(None);
        }
        let host = self
            .host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .ok_or_else(|| err("smtp.host", "missing (the SMTP server's name)"))?;
        if host.contains("://")
            || host.contains(['/', '@', ' '])
            || host.chars().any(char::is_control)
        {
            return Err(err(
                "smtp.host",
                format!("a host name only, as smtp.ac-exemple.fr, not « {host} »"),
            ));
        }
        let security = match self.security.as_deref() {
            None => Security::StartTls,
            Some(s) => Security::parse(s)
                .ok_or_else(|| err("smtp.security", format!("« {s} »: starttls, tls or none")))?,
        };
        let port = match self.port {
            Some(0) => return Err(err("smtp.port", "0 is not a port")),
            Some(p) => p,
            None => security.default_port(),
        };
        let username = self
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let password = self.password.clone().filter(|p| !p.0.is_empty());
        let credentials = match (username, password) {
            (None, None) => None,
            (Some(u), Some(p)) => Some((u.to_string(), p)),
            (Some(_), None) => {
                return Err(err(
                    "smtp.password",
                    "missing while username is set (or REFNUM_SMTP__PASSWORD)",
                ));
            }
            (None, Some(_)) => return Err(err("smtp.username", "missing while password is set")),
        };
        if credentials.is_some() && security == Security::None {
            return Err(err(
                "smtp.security",
                "none sends the password in clear: use starttls or tls with a username",
            ));
        }
        let from = self
            .from
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or_else(|| err("smtp.from", "missing (the sender's address)"))?;
        let from: Mailbox = from.parse().map_err(|_| {
            err(
                "smtp.from",
                format!(
                    "« {from} » is not an address (refnum@ac-exemple.fr or RefNum <refnum@ac-exemple.fr>)"
                ),
            )
        })?;
        if refnum_domain::email::Email::parse(from.email.as_ref()).is_err() {
            return Err(err(
                "smtp.from",
                format!("« {} » is not a complete address", from.email),
            ));
        }
        let public_url = public_url
            .map(|u| u.trim().trim_end_matches('/'))
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .ok_or_else(|| {
                err(
                    "public_url",
                    "needed with [smtp]: the e-mails link to the application (https://…)",
                )
            })?;
        let settings = SmtpSettings {
            host: host.to_string(),
            port,
            security,
            credentials,
            from,
            public_url: public_url.to_string(),
        };
        // The TLS parameters are checked now rather than at the first send.
        super::mail::Mailer::new(&settings)?;
        Ok(Some(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SmtpConfig {
        SmtpConfig {
            host: Some("smtp.ac-exemple.fr".into()),
            from: Some("RefNum <refnum@ac-exemple.fr>".into()),
            ..Default::default()
        }
    }

    const URL: Option<&str> = Some("https://refnum.ac-exemple.fr/");

    #[test]
    fn defaults_to_starttls_on_587() {
        let s = base().validate(URL).expect("valid").expect("enabled");
        assert_eq!(s.security, Security::StartTls);
        assert_eq!(s.port, 587);
        assert_eq!(s.public_url, "https://refnum.ac-exemple.fr");
        assert_eq!(s.from.email.to_string(), "refnum@ac-exemple.fr");
        let tls = SmtpConfig {
            security: Some("TLS".into()),
            ..base()
        };
        assert_eq!(tls.validate(URL).expect("valid").expect("on").port, 465);
    }

    #[test]
    fn disabled_is_none() {
        let off = SmtpConfig {
            enabled: Some(false),
            host: None,
            ..base()
        };
        assert!(off.validate(None).expect("valid").is_none());
    }

    #[test]
    fn each_mistake_names_its_field() {
        let cases: Vec<(SmtpConfig, Option<&str>, &str)> = vec![
            (
                SmtpConfig {
                    host: None,
                    ..base()
                },
                URL,
                "smtp.host",
            ),
            (
                SmtpConfig {
                    host: Some("smtp://smtp.ac-exemple.fr".into()),
                    ..base()
                },
                URL,
                "smtp.host",
            ),
            (
                SmtpConfig {
                    security: Some("ssl".into()),
                    ..base()
                },
                URL,
                "smtp.security",
            ),
            (
                SmtpConfig {
                    port: Some(0),
                    ..base()
                },
                URL,
                "smtp.port",
            ),
            (
                SmtpConfig {
                    from: None,
                    ..base()
                },
                URL,
                "smtp.from",
            ),
            (
                SmtpConfig {
                    from: Some("refnum".into()),
                    ..base()
                },
                URL,
                "smtp.from",
            ),
            (
                SmtpConfig {
                    username: Some("refnum".into()),
                    ..base()
                },
                URL,
                "smtp.password",
            ),
            (
                SmtpConfig {
                    password: Some(Secret("s3cret".into())),
                    ..base()
                },
                URL,
                "smtp.username",
            ),
            (
                SmtpConfig {
                    username: Some("refnum".into()),
                    password: Some(Secret("s3cret".into())),
                    security: Some("none".into()),
                    ..base()
                },
                URL,
                "smtp.security",
            ),
            (base(), None, "public_url"),
        ];
        for (cfg, url, field) in cases {
            let e = cfg.validate(url).expect_err("refused");
            assert_eq!(e.field, field, "{e}");
            assert!(e.to_string().starts_with(&format!("{field}: ")), "{e}");
        }
    }

    #[test]
    fn the_password_is_never_printed() {
        let s = SmtpConfig {
            username: Some("refnum".into()),
            password: Some(Secret("tres-secret-42".into())),
            ..base()
        };
        assert!(!format!("{s:?}").contains("tres-secret-42"));
        let v = s.validate(URL).expect("valid").expect("on");
        assert!(!format!("{v:?}").contains("tres-secret-42"));
        assert!(format!("{v:?}").contains("refnum"));
    }
}
