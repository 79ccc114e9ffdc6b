use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// RefNum — the digital referent's tool of a French secondary school.
#[derive(Parser, Debug)]
#[command(name = "refnum", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options of every command that touches the data.
#[derive(Args, Debug, Clone, Default)]
pub struct DataOpts {
    /// Data directory: the SQLite file `refnum.db` and the attachments `files/`.
    #[arg(long, env = "REFNUM_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `postgres://user@host/db`, or `sqlite://path?mode=rwc`.
    /// Default: the SQLite file in the data directory.
    #[arg(long, env = "REFNUM_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Configuration file (TOML). Values there are overridden by REFNUM_*
    /// variables and by options.
    #[arg(long, env = "REFNUM_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web application (migrations are applied first).
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate(DataOnly),
    /// Fill the database with a demo académie and an account for every role.
    Demo(DemoArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Audit log tasks.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Consistent online backup of the SQLite database and the files into one archive.
    Backup(BackupArgs),
    /// Restore a backup archive into the data directory.
    Restore(RestoreArgs),
    /// Import directory files (STS-web, SIECLE, AAF, ONDE) into a school:
    /// prints what changes, then applies it in one transaction.
    Import(ImportArgs),
    /// Directory tasks: school-year rollover, deletion of departed people.
    #[command(subcommand)]
    Annuaire(AnnuaireCmd),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The source: sts, siecle, aaf or onde (directory files of a school), or
    /// etablissements (a list of schools `UAI;name;kind;sector;postcode;city`
    /// for an académie, with --academie).
    #[arg(value_parser = ["sts", "siecle", "aaf", "onde", "etablissements"])]
    pub source: String,
    /// The files of one export (e.g. every AAF file of a feed).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The school (UAI) the files are for (directory sources).
    #[arg(long, value_name = "UAI")]
    pub etablissement: Option<String>,
    /// Show what would change, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Create the school from the file's own description (STS UAJ, AAF
    /// EtabEducNat) when it is not known yet.
    #[arg(long)]
    pub create_etablissement: bool,
    /// Académie code of a school created by --create-etablissement, or of the
    /// schools of a list (default: the only académie of the instance).
    #[arg(long)]
    pub academie: Option<String>,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Subcommand, Debug)]
pub enum AnnuaireCmd {
    /// Delete the personal data of people who left the school longer ago
    /// than the configured delay (92 days by default).
    Purge(DataOnly),
    /// Archive the classes and groups of school years before YEAR.
    Rollover(RolloverArgs),
}

#[derive(Args, Debug)]
pub struct RolloverArgs {
    #[arg(long, value_name = "UAI")]
    pub etablissement: String,
    /// First year of the new school year (2026 for 2026-2027).
    #[arg(long)]
    pub year: i32,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REFNUM_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,
    /// Public URL of the instance (e.g. https://refnum.ac-exemple.fr). Forms
    /// must come from this origin; https turns on secure cookies.
    #[arg(long, env = "REFNUM_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Address of a reverse proxy whose X-Forwarded-For is trusted (repeatable).
    #[arg(
        long = "trusted-proxy",
        env = "REFNUM_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP"
    )]
    pub trusted_proxies: Vec<String>,
    /// Log format: text or json.
    #[arg(long, env = "REFNUM_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<String>,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct DataOnly {
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Password of every demo account (default: refnum-demo-2026).
    #[arg(long)]
    pub password: Option<String>,
    /// Print the demo accounts as JSON (email, role, uai).
    #[arg(long)]
    pub json: bool,
    /// Also make N extra schools with 2,000 assets and their tickets each
    /// (benchmarks); schools that exist are skipped.
    #[arg(long, value_name = "N")]
    pub scale: Option<u32>,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create an account.
    Create(UserCreate),
    /// Disable an account; its sessions end at once.
    Disable(UserEmail),
    /// Reset the second factor (TOTP) of an account: its app and recovery
    /// codes are removed and its sessions closed; it enrols again at its
    /// next sign-in.
    ResetSecondFactor(UserResetSecondFactor),
    /// Grant a role on a scope.
    AddRole(UserAddRole),
}

#[derive(Args, Debug)]
pub struct UserCreate {
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Password (at least 12 characters). Without it, the account signs in by SSO only.
    #[arg(long, env = "REFNUM_USER_PASSWORD")]
    pub password: Option<String>,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct UserEmail {
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct UserResetSecondFactor {
    /// The account's e-mail.
    #[arg(value_name = "EMAIL")]
    pub email: String,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct UserAddRole {
    #[arg(long)]
    pub email: String,
    /// enseignant, personnel, referent, direction, gestionnaire, prestataire,
    /// collectivite, dane, dpd or admin.
    #[arg(long)]
    pub role: String,
    /// School (for school roles).
    #[arg(long)]
    pub uai: Option<String>,
    /// Académie code (for dane, dpd).
    #[arg(long)]
    pub academie: Option<String>,
    /// Collectivité name (for collectivite).
    #[arg(long)]
    pub collectivite: Option<String>,
    /// Support organisation name (for prestataire).
    #[arg(long)]
    pub organisation: Option<String>,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create an API token for an account and print it (shown once).
    Create(TokenCreate),
}

#[derive(Args, Debug)]
pub struct TokenCreate {
    #[arg(long)]
    pub email: String,
    /// A name to recognise the token by.
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the hash chain; names the first broken row.
    Verify(DataOnly),
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The archive to write (tar).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub data: DataOpts,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The archive written by `refnum backup`.
    #[arg(value_name = "FILE")]
    pub from: PathBuf,
    /// Replace an existing database in the data directory.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: DataOpts,
}

impl Command {
    pub fn data(&self) -> DataOpts {
        match self {
            Command::Serve(a) => a.data.clone(),
            Command::Migrate(a) => a.data.clone(),
            Command::Demo(a) => a.data.clone(),
            Command::User(UserCmd::Create(a)) => a.data.clone(),
            Command::User(UserCmd::Disable(a)) => a.data.clone(),
            Command::User(UserCmd::ResetSecondFactor(a)) => a.data.clone(),
            Command::User(UserCmd::AddRole(a)) => a.data.clone(),
            Command::Token(TokenCmd::Create(a)) => a.data.clone(),
            Command::Audit(AuditCmd::Verify(a)) => a.data.clone(),
            Command::Backup(a) => a.data.clone(),
            Command::Restore(a) => a.data.clone(),
            Command::Import(a) => a.data.clone(),
            Command::Annuaire(AnnuaireCmd::Purge(a)) => a.data.clone(),
            Command::Annuaire(AnnuaireCmd::Rollover(a)) => a.data.clone(),
        }
    }
}
