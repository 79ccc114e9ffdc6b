//! Settings: defaults, then the config file, then REFNUM_* variables, then options.

use crate::cli::{Cli, Command};
use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use refnum_services::sso::config::Secret;
use refnum_web::WebConfig;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub trusted_proxies: Vec<String>,
    pub log_format: String,
    pub db_max_connections: u32,
    /// SQLite: MiB of the database file each connection reads through a
    /// memory map. None: 256 MiB, except for `refnum import`, which reads a
    /// school's whole directory once and maps nothing (mapped pages would
    /// count in its resident memory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlite_mmap_mb: Option<u64>,
    /// SQLite: MiB of page cache per connection.
    pub sqlite_cache_mb: u64,
    pub max_body_bytes: usize,
    /// Largest directory import upload (all its files), in MiB.
    pub max_upload_mb: u64,
    /// Largest file of a directory import, in MiB.
    pub max_import_file_mb: u64,
    /// Open HTTP connections at most; none: three quarters of the open-file
    /// limit, at most 4,096.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<usize>,
    /// A client must send a request's headers within this many seconds (also
    /// the longest idle keep-alive).
    pub header_timeout_seconds: u64,
    pub idle_timeout_minutes: i64,
    pub absolute_timeout_hours: i64,
    pub throttle_window_seconds: i64,
    pub throttle_account_max_failures: i32,
    pub throttle_address_max_failures: i32,
    pub audit_retention_days: Option<i64>,
    /// The time zone of the pages' dates and times (IANA name): Europe/Paris
    /// unless an overseas académie says otherwise (America/Cayenne…).
    pub time_zone: String,
    /// Single sign-on providers: `[[sso]]` tables of refnum.toml.
    #[serde(default)]
    pub sso: Vec<refnum_services::sso::ProviderConfig>,
    /// E-mail of the notifications: the `[smtp]` table (or `REFNUM_SMTP__*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<refnum_services::support::mail_config::SmtpConfig>,
    /// Bearer token that `/metrics` requires (`REFNUM_METRICS_TOKEN`, read
    /// verbatim); none: `/metrics` is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_token: Option<Secret>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            public_url: None,
            trusted_proxies: vec![],
            log_format: "text".into(),
            db_max_connections: 16,
            sqlite_mmap_mb: None,
            sqlite_cache_mb: refnum_db::connect::DEFAULT_SQLITE_CACHE_KIB / 1024,
            max_body_bytes: 1024 * 1024,
            max_upload_mb: refnum_web::config::DEFAULT_MAX_UPLOAD_MB,
            max_import_file_mb: refnum_web::config::DEFAULT_MAX_IMPORT_FILE_MB,
            max_connections: None,
            header_timeout_seconds: refnum_web::DEFAULT_HEADER_TIMEOUT.as_secs(),
            idle_timeout_minutes: 30,
            absolute_timeout_hours: 12,
            throttle_window_seconds: 15 * 60,
            throttle_account_max_failures: 10,
            throttle_address_max_failures: 50,
            audit_retention_days: None,
            time_zone: "Europe/Paris".into(),
            sso: vec![],
            smtp: None,
            metrics_token: None,
        }
    }
}

/// Only the values given on the command line (or their REFNUM_* variables, via clap).
#[derive(Serialize, Default)]
struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trusted_proxies: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_format: Option<String>,
}

impl Settings {
    pub fn load(cli: &Cli) -> Result<Settings> {
        let data = cli.command.data();
        let mut o = Overrides {
            data_dir: data.data_dir.clone(),
            database_url: data.database_url.clone().filter(|s| !s.is_empty()),
            ..Default::default()
        };
        if let Command::Serve(s) = &cli.command {
            o.listen = s.listen.clone();
            o.public_url = s.public_url.clone();
            o.trusted_proxies = (!s.trusted_proxies.is_empty()).then(|| s.trusted_proxies.clone());
            o.log_format = s.log_format.clone();
        }
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        let file = data.config.clone().or_else(|| {
            let p = PathBuf::from("refnum.toml");
            p.exists().then_some(p)
        });
        if let Some(f) = &file {
            if !f.exists() {
                bail!("config file {} not found", f.display());
            }
            fig = fig.merge(Toml::file(f));
        }
        fig = fig
            .merge(
                Env::prefixed("REFNUM_")
                    .ignore(&[
                        "config",
                        "log",
                        "test_postgres_url",
                        "user_password",
                        "trusted_proxies",
                        "smtp__password",
                        "metrics_token",
                    ])
                    .split("__"),
            )
            .merge(Serialized::globals(o));
        let mut s: Settings = fig.extract().context("invalid configuration")?;
        // Read verbatim: parsed like the other variables, a password such as
        // `123456` or `[x]` would become a number or a list.
        if let Ok(v) = std::env::var("REFNUM_SMTP__PASSWORD")
            && !v.is_empty()
        {
            s.smtp.get_or_insert_default().password = Some(refnum_services::sso::config::Secret(v));
        }
        if let Ok(v) = std::env::var("REFNUM_METRICS_TOKEN")
            && !v.is_empty()
        {
            s.metrics_token = Some(Secret(v));
        }
        if s.metrics_token
            .as_ref()
            .is_some_and(|t| t.0.trim().is_empty())
        {
            s.metrics_token = None;
        }
        // Sent in an HTTP header: visible ASCII only (the token itself is
        // never printed).
        if s.metrics_token
            .as_ref()
            .is_some_and(|t| !t.0.bytes().all(|b| b.is_ascii_graphic()))
        {
            bail!("metrics_token: use visible ASCII characters only (no spaces, no accents)");
        }
        if !["text", "json"].contains(&s.log_format.as_str()) {
            bail!("log_format must be text or json");
        }
        if s.sqlite_mmap_mb.is_none() && matches!(cli.command, Command::Import(_)) {
            s.sqlite_mmap_mb = Some(0);
        }
        Ok(s)
    }

    pub fn database_url(&self) -> Result<String> {
        if let Some(u) = &self.database_url {
            return Ok(u.clone());
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                self.data_dir.display()
            )
        })?;
        std::fs::create_dir_all(self.data_dir.join("files"))?;
        let path = self.data_dir.join("refnum.db");
        Ok(format!("sqlite://{}?mode=rwc", path.display()))
    }

    /// The database pool's settings.
    pub fn pool(&self) -> refnum_db::connect::PoolSettings {
        use refnum_db::connect::DEFAULT_SQLITE_MMAP_BYTES;
        refnum_db::connect::PoolSettings {
            max_connections: self.db_max_connections,
            sqlite_mmap_bytes: self.sqlite_mmap_mb.map_or(DEFAULT_SQLITE_MMAP_BYTES, |mb| {
                mb.saturating_mul(1024 * 1024)
            }),
            sqlite_cache_kib: self.sqlite_cache_mb.saturating_mul(1024),
        }
    }

    /// The database URL without its password, for messages.
    pub fn redacted_database_url(&self) -> String {
        match &self.database_url {
            Some(u) => match (u.find("://"), u.rfind('@')) {
                (Some(a), Some(b)) if b > a => format!("{}://…@{}", &u[..a], &u[b + 1..]),
                _ => u.clone(),
            },
            None => format!("sqlite {}", self.data_dir.join("refnum.db").display()),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url
            .as_deref()
            .is_none_or(|u| u.starts_with("sqlite:"))
    }

    /// The SSO providers, validated; a missing OIDC client secret is read
    /// from `REFNUM_SSO_<ID>_CLIENT_SECRET` (id in capitals, `-` as `_`).
    pub fn sso_registry(&self) -> Result<refnum_services::sso::Registry> {
        let mut list = self.sso.clone();
        for p in &mut list {
            if p.client_secret.is_none() {
                let var = format!(
                    "REFNUM_SSO_{}_CLIENT_SECRET",
                    p.id.to_uppercase().replace('-', "_")
                );
                if let Ok(v) = std::env::var(&var)
                    && !v.is_empty()
                {
                    p.client_secret = Some(refnum_services::sso::config::Secret(v));
                }
            }
        }
        refnum_services::sso::Registry::new(&list).map_err(|e| anyhow::anyhow!(e))
    }

    pub fn web_config(&self) -> Result<WebConfig> {
        let listen: SocketAddr = self
            .listen
            .parse()
            .with_context(|| format!("listen: not an address: {}", self.listen))?;
        // Cookies go without `Secure` only on plain http to a loopback address.
        let secure_cookies = match &self.public_url {
            Some(u) if u.starts_with("https://") => true,
            Some(u) if u.starts_with("http://") => {
                let host = u["http://".len()..].split(['/', ':']).next().unwrap_or("");
                if !(host == "localhost" || host.starts_with("127.") || host == "[") {
                    bail!(
                        "public_url must be https:// (plain http is accepted only for localhost): {u}"
                    );
                }
                false
            }
            Some(u) => bail!("public_url must start with https:// : {u}"),
            None => !listen.ip().is_loopback(),
        };
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|p| {
                p.trim()
                    .parse::<IpAddr>()
                    .with_context(|| format!("trusted proxy: not an IP address: {p}"))
            })
            .collect::<Result<Vec<_>>>()?;
        let auth = refnum_services::auth::AuthSettings {
            idle_timeout: chrono::Duration::minutes(self.idle_timeout_minutes),
            absolute_timeout: chrono::Duration::hours(self.absolute_timeout_hours),
            throttle_window: chrono::Duration::seconds(self.throttle_window_seconds),
            account_max_failures: self.throttle_account_max_failures,
            address_max_failures: self.throttle_address_max_failures,
        };
        let open_files = refnum_web::open_files_limit();
        let max_connections = match self.max_connections {
            Some(0) => bail!("max_connections must be at least 1"),
            Some(n) => {
                if let Some(limit) = open_files
                    && n as u64 >= limit
                {
                    tracing::warn!(
                        max_connections = n,
                        open_files = limit,
                        "max_connections is not below the open-file limit: under load the server may run out of file descriptors"
                    );
                }
                n
            }
            None => refnum_web::default_max_connections(open_files),
        };
        if self.header_timeout_seconds == 0 {
            bail!("header_timeout_seconds must be at least 1");
        }
        Ok(WebConfig {
            public_origin: self.public_url.as_ref().map(|u| {
                let u = u.trim_end_matches('/');
                match u
                    .find("://")
                    .and_then(|i| u[i + 3..].find('/').map(|j| i + 3 + j))
                {
                    Some(end) => u[..end].to_string(),
                    None => u.to_string(),
                }
            }),
            secure_cookies,
            trusted_proxies,
            auth,
            max_body_bytes: self.max_body_bytes,
            max_upload_bytes: self.max_upload_mb.saturating_mul(1024 * 1024),
            max_import_file_bytes: self.max_import_file_mb.saturating_mul(1024 * 1024),
            files_dir: self.data_dir.join("files"),
            time_zone: refnum_web::time::parse_zone(&self.time_zone).with_context(|| {
                format!(
                    "time_zone: unknown time zone « {} » (a name of the IANA database, \
                     e.g. Europe/Paris, America/Cayenne, Indian/Reunion)",
                    self.time_zone
                )
            })?,
            sso: self.sso_registry()?,
            mail: match &self.smtp {
                Some(smtp) => smtp.validate(self.public_url.as_deref())?,
                None => None,
            },
            metrics_token: self.metrics_token.clone(),
            connections: refnum_web::ConnectionLimits {
                max_connections,
                header_timeout: std::time::Duration::from_secs(self.header_timeout_seconds),
            },
        })
    }
}
