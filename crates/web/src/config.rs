use refnum_services::auth::AuthSettings;
pub use refnum_services::sso::config::Secret;
use std::net::IpAddr;

/// Default of `max_upload_mb`: all the files of one directory import, in
/// MiB. The AAF feed of a school of 100,000 pupils with two guardians each
/// (far beyond any real school) is 274 MB (261 MiB): 320 MiB leaves it a
/// fifth of headroom, and a refused upload never writes more to disk.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 320;
/// Default of `max_import_file_mb`: one directory file, in MiB. The largest
/// file of that feed (`Eleve`, 167 MB = 159 MiB) passes with a quarter of
/// headroom.
pub const DEFAULT_MAX_IMPORT_FILE_MB: u64 = 200;

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
    /// Largest upload on the streamed upload routes, in bytes: for a
    /// directory import, all its files together.
    pub max_upload_bytes: u64,
    /// Largest single file of a directory import, in bytes.
    pub max_import_file_bytes: u64,
    /// Where uploaded files are kept (`<data>/files`).
    pub files_dir: std::path::PathBuf,
    /// The time zone of the dates and times shown (`time_zone`).
    pub time_zone: chrono_tz::Tz,
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
            max_upload_bytes: DEFAULT_MAX_UPLOAD_MB * 1024 * 1024,
            max_import_file_bytes: DEFAULT_MAX_IMPORT_FILE_MB * 1024 * 1024,
            files_dir: std::path::PathBuf::from("./data/files"),
            time_zone: crate::time::DEFAULT_ZONE,
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
