//! `refnum`: the one binary. Serves the web application and runs every
//! operator task (migrations, demo data, accounts, tokens, audit, backups).

mod backup;
mod cli;
mod config;
mod import;

use anyhow::{Context, Result, bail};
use clap::Parser;
use cli::{AuditCmd, Cli, Command, TokenCmd, UserCmd};
use config::Settings;
use refnum_db::Db;

use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_services::audit::{self, VerifyOutcome, Who};
use refnum_services::people::{self, AccountInput};
use refnum_services::{demo, tokens};

/// A page builds many small strings on several threads (the runtime's and
/// each SQLite connection's); this allocator spends less time there than
/// the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(&cli)?;
    init_tracing(&settings);
    match cli.command {
        Command::Serve(_) => serve(settings).await,
        Command::Migrate(_) => {
            let db = open(&settings).await?;
            println!("Migrations applied; the database schema is up to date.");
            drop(db);
            Ok(())
        }
        Command::Demo(ref args) => {
            let db = open(&settings).await?;
            let password = args
                .password
                .clone()
                .unwrap_or_else(|| demo::DEFAULT_PASSWORD.to_string());
            if let Some(n) = args.scale {
                let s = refnum_services::demo_scale::run(&db, n, &password)
                    .await
                    .map_err(|e| anyhow::anyhow!("scale demo: {e:?}"))?;
                eprintln!(
                    "Scale demo: {} schools created, {} skipped; {} buildings, {} rooms, {} assets ({} history rows), {} tickets ({} events, {} unavailability periods), {} bookings in {:.1} s.",
                    s.schools_created,
                    s.schools_skipped,
                    s.buildings,
                    s.rooms,
                    s.assets,
                    s.asset_events,
                    s.tickets,
                    s.ticket_events,
                    s.unavailabilities,
                    s.bookings,
                    s.seconds
                );
            }
            let accounts = demo::run(&db, &password)
                .await
                .map_err(|e| anyhow::anyhow!("demo data: {e:?}"))?;
            demo::content(&db)
                .await
                .map_err(|e| anyhow::anyhow!("demo content: {e:?}"))?;
            refnum_services::prets::demo::seed_demo_schools(&db)
                .await
                .map_err(|e| anyhow::anyhow!("demo loans: {e:?}"))?;
            refnum_services::pilotage::demo::seed_demo_schools(
                &db,
                &password,
                refnum_services::prets::today(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo mission letters: {e:?}"))?;
            refnum_services::pilotage::demo_formations::seed_demo_schools(
                &db,
                refnum_services::prets::today(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo training plan: {e:?}"))?;
            refnum_services::pilotage::demo_projet::seed_demo_schools(
                &db,
                refnum_services::prets::today(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo school project: {e:?}"))?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&accounts)?);
            } else {
                println!(
                    "Demo académie ready: {} accounts (password: {}).",
                    accounts.len(),
                    if args.password.is_some() {
                        "as given"
                    } else {
                        demo::DEFAULT_PASSWORD
                    }
                );
                for a in &accounts {
                    println!(
                        "  {:<14} {:<9} {}",
                        a.role,
                        a.uai.as_deref().unwrap_or("-"),
                        a.email
                    );
                }
                // The populated schools of `--scale`, same password.
                for n in 1..=args.scale.unwrap_or(0) {
                    println!(
                        "  {:<14} {:<9} {}   (école peuplée : parc, tickets, réservations)",
                        "referent",
                        refnum_services::demo_scale::scale_uai(n),
                        refnum_services::demo_scale::scale_referent(n)
                    );
                }
            }
            Ok(())
        }
        Command::User(ref u) => user(&settings, u).await,
        Command::Token(TokenCmd::Create(ref t)) => {
            let db = open(&settings).await?;
            let email = refnum_domain::Email::parse(&t.email)
                .map_err(|_| anyhow::anyhow!("invalid e-mail: {}", t.email))?;
            let acc = refnum_db::accounts::get_by_email(&db.conn, email.as_str())
                .await?
                .with_context(|| format!("no account with e-mail {email}"))?;
            let (secret, _) = tokens::create(&db, &acc, &t.name)
                .await
                .map_err(|e| anyhow::anyhow!("token: {e:?}"))?;
            println!("{secret}");
            Ok(())
        }
        Command::Audit(AuditCmd::Verify(_)) => {
            let db = open(&settings).await?;
            match audit::verify(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                VerifyOutcome::Intact { events } => {
                    println!("Audit log intact: {events} events, hash chain verified.");
                    Ok(())
                }
                VerifyOutcome::Broken { seq, reason } => {
                    eprintln!(
                        "Audit log BROKEN at event #{seq} ({reason}): this row or one before it was changed or removed."
                    );
                    std::process::exit(2);
                }
            }
        }
        Command::Backup(ref b) => backup::backup(&settings, &b.out).await,
        Command::Restore(ref r) => backup::restore(&settings, &r.from, r.force).await,
        Command::Import(ref a) => import::import(&settings, a).await,
        Command::Annuaire(ref c) => import::annuaire_cmd(&settings, c).await,
    }
}

fn init_tracing(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("REFNUM_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if settings.log_format == "json" {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .json()
            .with_writer(std::io::stderr)
            .init();
    } else {
        // Colours only on a terminal: a log written to a file or a journal
        // must not carry escape codes.
        use std::io::IsTerminal;
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .init();
    }
}

/// Connects and applies pending migrations.
pub async fn open(settings: &Settings) -> Result<Db> {
    let url = settings.database_url()?;
    let db = Db::connect(&url, &settings.pool()).await.with_context(|| {
        format!(
            "cannot open the database ({})",
            settings.redacted_database_url()
        )
    })?;
    db.migrate().await.context("migrations failed")?;
    // The catalogue of missions starts with the usual ones (added once: an
    // entry the administrator deactivated stays so).
    let added = refnum_services::pilotage::catalogue::seed(&db)
        .await
        .map_err(|e| anyhow::anyhow!("catalogue of missions: {e:?}"))?;
    if added > 0 {
        tracing::info!(added, "catalogue of missions seeded");
    }
    if let Some(days) = settings.audit_retention_days {
        if days < 30 {
            bail!("audit_retention_days must be at least 30");
        }
        refnum_db::settings::put(&db.conn, audit::RETENTION_KEY, &days.to_string()).await?;
    }
    Ok(db)
}

async fn serve(settings: Settings) -> Result<()> {
    let started = std::time::Instant::now();
    // The configuration is checked before the database is touched.
    let web = settings.web_config()?;
    let db = open(&settings).await?;
    if !refnum_web::has_dyslexia_font() {
        tracing::warn!(
            "the OpenDyslexic font was not embedded at build time (run `npm ci --prefix assets` before building)"
        );
    }
    refnum_web::spawn_upkeep(db.clone(), web.clone());
    let app = refnum_web::router(db, web.clone());
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(
        listen = %addr,
        secure_cookies = web.secure_cookies,
        max_connections = web.connections.max_connections,
        header_timeout_s = web.connections.header_timeout.as_secs(),
        startup_ms = started.elapsed().as_millis() as u64,
        "RefNum ready"
    );
    println!("RefNum listening on http://{addr}/");
    refnum_web::serve_bounded(
        listener,
        app,
        web.connections.clone(),
        refnum_web::ConnectionStats::default(),
        shutdown_signal(),
    )
    .await?;
    tracing::info!("RefNum stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

async fn user(settings: &Settings, cmd: &UserCmd) -> Result<()> {
    let db = open(settings).await?;
    let who = Who::system("cli");
    match cmd {
        UserCmd::Create(a) => {
            let acc = people::create_account(
                &db,
                &who,
                &AccountInput {
                    email: a.email.clone(),
                    display_name: a.name.clone(),
                    password: a.password.clone().unwrap_or_default(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            println!("Account created: {} ({})", acc.email, acc.id);
        }
        UserCmd::Disable(a) => {
            let acc = find_account(&db, &a.email).await?;
            people::set_disabled(&db, &who, acc.id, true)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            println!("Account disabled and its sessions closed: {}", acc.email);
        }
        UserCmd::ResetSecondFactor(a) => {
            let acc = find_account(&db, &a.email).await?;
            let had = refnum_services::mfa::operator_reset(&db, &acc.email)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            println!(
                "{} {}",
                if had {
                    "Second factor reset; sessions closed:"
                } else {
                    "No second factor was enrolled; sessions closed:"
                },
                acc.email
            );
        }
        UserCmd::AddRole(a) => {
            let acc = find_account(&db, &a.email).await?;
            let role = Role::parse(&a.role).with_context(|| format!("unknown role {}", a.role))?;
            let scope = if let Some(uai) = &a.uai {
                let e = refnum_db::orgs::get_etablissement_by_uai(&db.conn, &uai.to_uppercase())
                    .await?
                    .with_context(|| format!("no school with UAI {uai}"))?;
                ScopeRef::Etablissement(e.id)
            } else if let Some(code) = &a.academie {
                let ac = refnum_db::orgs::list_academies(&db.conn)
                    .await?
                    .into_iter()
                    .find(|x| &x.code == code)
                    .with_context(|| format!("no académie with code {code}"))?;
                ScopeRef::Academie(ac.id)
            } else if let Some(name) = &a.collectivite {
                let c = refnum_db::orgs::list_collectivites(&db.conn)
                    .await?
                    .into_iter()
                    .find(|x| &x.name == name)
                    .with_context(|| format!("no collectivité named {name}"))?;
                ScopeRef::Collectivite(c.id)
            } else if let Some(name) = &a.organisation {
                let o = refnum_db::orgs::list_organisations(&db.conn)
                    .await?
                    .into_iter()
                    .find(|x| &x.name == name)
                    .with_context(|| format!("no support organisation named {name}"))?;
                ScopeRef::Organisation(o.id)
            } else {
                ScopeRef::Instance
            };
            let m = Membership::new(role, scope)
                .map_err(|_| anyhow::anyhow!("role {} needs a scope of another kind (--uai, --academie, --collectivite, --organisation or none for admin)", role.as_str()))?;
            let added = people::grant_alone(&db, &who, acc.id, m)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
            println!(
                "{}",
                if added {
                    "Role granted."
                } else {
                    "The account already had this role."
                }
            );
        }
    }
    Ok(())
}

async fn find_account(db: &Db, email: &str) -> Result<refnum_db::entities::account::Model> {
    let e = refnum_domain::Email::parse(email)
        .map_err(|_| anyhow::anyhow!("invalid e-mail: {email}"))?;
    refnum_db::accounts::get_by_email(&db.conn, e.as_str())
        .await?
        .with_context(|| format!("no account with e-mail {e}"))
}

fn describe(e: refnum_services::ServiceError) -> String {
    use refnum_services::ServiceError as E;
    let tr = refnum_web::i18n::Tr(refnum_web::i18n::Lang::En);
    match e {
        E::Invalid(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, tr.t(f.key)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
