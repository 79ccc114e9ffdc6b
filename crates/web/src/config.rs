use refnum_services::auth::AuthSettings;
pub use refnum_services::sso::config::Secret;
use std::net::IpAddr;

/// What the web layer needs to know of its deployment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The public origin (`https://refnum.example.fr`); forms must come from it.
    /// When unset, the request's own Host is taken as the origin.
    pub public_origin: Option<String>,
    /// Cookies with `Secure` and the `__Host-` prefix. Off only for plain
    /// http on a loopback address.
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub auth: AuthSettings,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest directory import upload (all files of one import), in bytes.
    pub max_upload_bytes: u64,
    /// Where uploaded files are kept (`<data>/files`).
    pub files_dir: std::path::PathBuf,
    /// Single sign-on providers (CAS, OpenID Connect), validated.
    pub sso: refnum_services::sso::Registry,
    /// SMTP for the notifications' e-mails (`[smtp]`); `None`: nothing is mailed.
    pub mail: Option<refnum_services::support::mail_config::SmtpSettings>,
    /// When set, `/metrics` answers only requests with
    /// `Authorization: Bearer <token>`. Never printed.
    pub metrics_token: Option<Secret>,
    /// Open connections at most, and the header timeout.
    pub connections: crate::ConnectionLimits,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_origin: None,
            secure_cookies: true,
            trusted_proxies: vec![],
            auth: AuthSettings::default(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 1024 * 1024 * 1024,
            files_dir: std::path::PathBuf::from("./data/files"),
            sso: refnum_services::sso::Registry::default(),
            mail: None,
            metrics_token: None,
            connections: crate::ConnectionLimits::default(),
        }
    }
}

impl WebConfig {
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-refnum_session"
        } else {
            "refnum_session"
        }
    }
}
