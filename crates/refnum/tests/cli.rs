//! The `refnum` command line, run as a user would run it.

use sea_orm::{ConnectionTrait, Database};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PW: &str = "mot-de-passe-cli-solide";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_refnum"));
    c.env_remove("REFNUM_DATABASE_URL")
        .env_remove("REFNUM_DATA_DIR")
        .env("REFNUM_LOG", "warn");
    c
}

fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("refnum-cli-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run refnum")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "refnum {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn demo_prints_its_accounts_as_json_and_is_repeatable() {
    let dir = temp_dir();
    let json = ok(&dir, &["demo", "--password", PW, "--json"]);
    let accounts: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    let roles: std::collections::BTreeSet<&str> =
        accounts.iter().filter_map(|a| a["role"].as_str()).collect();
    for r in [
        "admin",
        "dane",
        "dpd",
        "collectivite",
        "prestataire",
        "direction",
        "referent",
        "enseignant",
        "personnel",
        "gestionnaire",
    ] {
        assert!(roles.contains(r), "a demo account for {r}");
    }
    let uais: std::collections::BTreeSet<&str> =
        accounts.iter().filter_map(|a| a["uai"].as_str()).collect();
    assert_eq!(uais.len(), 3, "three schools");
    assert!(
        dir.join("data/refnum.db").exists(),
        "default data directory ./data"
    );
    // Running it again adds nothing and still works.
    let again: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&dir, &["demo", "--password", PW, "--json"])).expect("json");
    assert_eq!(again.len(), accounts.len());
    assert!(ok(&dir, &["audit", "verify"]).contains("intact"));
    // A weak demo password is refused.
    assert!(!run(&dir, &["demo", "--password", "court"]).status.success());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn audit_verify_names_the_tampered_row() {
    let dir = temp_dir();
    ok(&dir, &["demo", "--password", PW, "--data-dir", "d"]);
    assert!(ok(&dir, &["audit", "verify", "--data-dir", "d"]).contains("intact"));
    let url = format!("sqlite://{}?mode=rw", dir.join("d/refnum.db").display());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let db = Database::connect(url.as_str()).await.expect("open");
        assert!(
            db.execute_unprepared("UPDATE audit_events SET action = 'x' WHERE seq = 12")
                .await
                .is_err()
        );
        db.execute_unprepared("DROP TRIGGER audit_events_no_update")
            .await
            .expect("drop");
        db.execute_unprepared("UPDATE audit_events SET details = '{}' WHERE seq = 12")
            .await
            .expect("tamper");
        db.close().await.ok();
    });
    let out = run(&dir, &["audit", "verify", "--data-dir", "d"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BROKEN at event #12"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn users_roles_and_tokens_from_the_command_line() {
    let dir = temp_dir();
    ok(&dir, &["demo", "--password", PW]);
    let out = ok(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "Nouveau.Referent@ac-normandie.test",
            "--name",
            "Nouveau Référent",
            "--password",
            "une phrase de passe solide",
        ],
    );
    assert!(out.contains("nouveau.referent@ac-normandie.test"));
    // The same e-mail twice is refused with the field named.
    let dup = run(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "nouveau.referent@ac-normandie.test",
            "--name",
            "X",
        ],
    );
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("email"));
    assert!(
        ok(
            &dir,
            &[
                "user",
                "add-role",
                "--email",
                "nouveau.referent@ac-normandie.test",
                "--role",
                "referent",
                "--uai",
                "0141816Y"
            ]
        )
        .contains("granted")
    );
    // A school role without a school is refused.
    assert!(
        !run(
            &dir,
            &[
                "user",
                "add-role",
                "--email",
                "nouveau.referent@ac-normandie.test",
                "--role",
                "referent"
            ]
        )
        .status
        .success()
    );
    let token = ok(
        &dir,
        &[
            "token",
            "create",
            "--email",
            "nouveau.referent@ac-normandie.test",
            "--name",
            "script",
        ],
    );
    assert!(token.trim().starts_with("rfn_") && token.trim().len() > 40);
    assert!(
        ok(
            &dir,
            &[
                "user",
                "disable",
                "--email",
                "nouveau.referent@ac-normandie.test"
            ]
        )
        .contains("disabled")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn backup_and_restore_round_trip() {
    let dir = temp_dir();
    ok(&dir, &["demo", "--password", PW, "--data-dir", "a"]);
    std::fs::write(dir.join("a/files/piece-jointe.txt"), "contenu").expect("file");
    ok(
        &dir,
        &["backup", "--data-dir", "a", "--out", "sauvegarde.tar"],
    );
    let restored = ok(&dir, &["restore", "--data-dir", "b", "sauvegarde.tar"]);
    assert!(restored.contains("audit events verified"), "{restored}");
    assert_eq!(
        std::fs::read_to_string(dir.join("b/files/piece-jointe.txt")).expect("file"),
        "contenu"
    );
    let json = ok(
        &dir,
        &["demo", "--password", PW, "--json", "--data-dir", "b"],
    );
    assert!(json.contains("referent.malherbe@ac-normandie.test"));
    // Restoring over an existing database needs --force.
    let again = run(&dir, &["restore", "--data-dir", "b", "sauvegarde.tar"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(
        &dir,
        &["restore", "--data-dir", "b", "--force", "sauvegarde.tar"],
    );
    // A truncated archive: refused, the data left as it was, and no
    // staging folder left behind.
    let whole = std::fs::read(dir.join("sauvegarde.tar")).expect("archive");
    for cut in [whole.len() / 2, 1000, whole.len() - 700] {
        std::fs::write(dir.join("coupee.tar"), &whole[..cut]).expect("write");
        let before = std::fs::read(dir.join("b/refnum.db")).expect("db");
        let out = run(
            &dir,
            &["restore", "--data-dir", "b", "--force", "coupee.tar"],
        );
        assert!(!out.status.success(), "cut at {cut}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("nothing was changed"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let left: Vec<String> = std::fs::read_dir(dir.join("b"))
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".restore-"))
            .collect();
        assert!(
            left.is_empty(),
            "left behind after a cut at {cut}: {left:?}"
        );
        assert_eq!(std::fs::read(dir.join("b/refnum.db")).expect("db"), before);
    }
    // PostgreSQL: the tool says to use pg_dump.
    let pg = run(
        &dir,
        &[
            "backup",
            "--database-url",
            "postgres://postgres@127.0.0.1:1/x",
            "--out",
            "x.tar",
        ],
    );
    assert!(!pg.status.success());
    assert!(String::from_utf8_lossy(&pg.stderr).contains("pg_dump"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn serve_help_documents_every_option() {
    let help = ok(&temp_dir(), &["serve", "--help"]);
    for opt in [
        "--listen",
        "--data-dir",
        "--database-url",
        "--config",
        "--public-url",
        "--trusted-proxy",
        "--log-format",
        "REFNUM_LISTEN",
        "REFNUM_DATABASE_URL",
        "REFNUM_DATA_DIR",
    ] {
        assert!(help.contains(opt), "serve --help mentions {opt}");
    }
}

#[test]
fn migrate_and_demo_on_postgresql() {
    let Some(admin) = std::env::var("REFNUM_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but REFNUM_TEST_POSTGRES_URL is not set");
        }
        eprintln!("!!! SKIPPED on PostgreSQL: REFNUM_TEST_POSTGRES_URL is not set !!!");
        return;
    };
    let name = format!("refnum_cli_{}", uuid::Uuid::now_v7().simple());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let c = Database::connect(admin.as_str()).await.expect("connect");
        c.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create");
        c.close().await.ok();
    });
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .expect("url with a database");
    let url = format!("{base}/{name}");
    let dir = temp_dir();
    ok(&dir, &["migrate", "--database-url", &url]);
    let json = bin()
        .current_dir(&dir)
        .env("REFNUM_DATABASE_URL", &url)
        .args(["demo", "--password", PW, "--json"])
        .output()
        .expect("run");
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    assert!(ok(&dir, &["audit", "verify", "--database-url", &url]).contains("intact"));
    assert!(
        !dir.join("data/refnum.db").exists(),
        "nothing written to SQLite"
    );
    rt.block_on(async {
        let c = Database::connect(admin.as_str()).await.expect("connect");
        c.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok();
        c.close().await.ok();
    });
}

fn fixture(rel: &str) -> String {
    format!(
        "{}/../../../shared/fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn import_prints_the_diff_dry_runs_refuses_and_applies() {
    let dir = temp_dir();
    ok(&dir, &["demo", "--password", PW]);
    let sts = fixture("sts/sts_emp_0770935Y_2017.xml");

    // Unknown school: a clear message, exit code not zero.
    let out = run(
        &dir,
        &["import", "sts", &sts, "--etablissement", "0770935Y"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("aucun établissement d'UAI 0770935Y")
            && err.contains("--create-etablissement"),
        "{err}"
    );

    // Dry run: the summary, nothing written.
    let dry = ok(
        &dir,
        &[
            "import",
            "sts",
            &sts,
            "--etablissement",
            "0770935Y",
            "--create-etablissement",
            "--dry-run",
        ],
    );
    assert!(dry.contains("personnels     +139"), "{dry}");
    assert!(dry.contains("Simulation : rien n'a changé."), "{dry}");
    let again = ok(
        &dir,
        &[
            "import",
            "sts",
            &sts,
            "--etablissement",
            "0770935Y",
            "--create-etablissement",
            "--dry-run",
        ],
    );
    assert!(
        again.contains("l'établissement sera créé d'après le fichier"),
        "{again}"
    );

    // The wrong source named: refused.
    let out = run(
        &dir,
        &[
            "import",
            "aaf",
            &sts,
            "--etablissement",
            "0770935Y",
            "--create-etablissement",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ce sont des fichiers sts, pas aaf"));

    // Applied, then a second time with 0 changes.
    let applied = ok(
        &dir,
        &[
            "import",
            "sts",
            &sts,
            "--etablissement",
            "0770935Y",
            "--create-etablissement",
        ],
    );
    assert!(
        applied.contains("Appliqué : 586 modifications."),
        "{applied}"
    );
    let second = ok(
        &dir,
        &["import", "sts", &sts, "--etablissement", "0770935Y"],
    );
    assert!(second.contains("Appliqué : 0 modifications."), "{second}");

    // Another school's file: refused with both codes named.
    let out = run(
        &dir,
        &["import", "sts", &sts, "--etablissement", "0140013N"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("0770935Y") && err.contains("0140013N"),
        "{err}"
    );

    // Housekeeping commands run.
    let purge = ok(&dir, &["annuaire", "purge"]);
    assert!(
        purge.contains("0 fiches de personnes parties supprimées"),
        "{purge}"
    );
    let roll = ok(
        &dir,
        &[
            "annuaire",
            "rollover",
            "--etablissement",
            "0770935Y",
            "--year",
            "2018",
        ],
    );
    assert!(
        roll.contains("classes et groupes des années précédentes archivés"),
        "{roll}"
    );
}

#[test]
fn import_of_school_lists_creates_then_changes_nothing_and_refuses_bad_lines() {
    let dir = temp_dir();
    ok(&dir, &["demo", "--password", PW]);
    let caen = fixture("uai/ac05_Caen.csv");
    let out = ok(
        &dir,
        &["import", "etablissements", &caen, "--academie", "normandie"],
    );
    // 367 lines (wc -l; CRLF, the last one ended); the three demo schools of
    // the Calvados are already there, with other names: updated.
    assert!(out.contains("367 établissements"), "{out}");
    assert!(out.contains("créés") && out.contains("modifiés"), "{out}");
    let again = ok(
        &dir,
        &["import", "etablissements", &caen, "--academie", "normandie"],
    );
    assert!(
        again.contains("0 créés, 0 modifiés, 367 inchangés"),
        "{again}"
    );
    // A line with a column too few: refused, its line named.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "0450003J;Jean Moulin;college;public;45410;Artenay\n0450004K;Soulas;college;public\n",
    )
    .expect("write");
    let out = run(
        &dir,
        &[
            "import",
            "etablissements",
            bad.to_str().expect("path"),
            "--academie",
            "normandie",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ligne 2") && err.contains("rien n'a changé"),
        "{err}"
    );
    // The other lists of the fixtures read too (dry run).
    for list in ["uai/ac18_Orleans_Tours.csv", "uai/d045_Loiret.csv"] {
        let out = ok(
            &dir,
            &[
                "import",
                "etablissements",
                &fixture(list),
                "--academie",
                "normandie",
                "--dry-run",
            ],
        );
        assert!(out.contains("Simulation : rien n'a changé."), "{out}");
    }
}

#[test]
fn scale_demo_makes_its_schools_once() {
    let dir = temp_dir();
    let first = run(&dir, &["demo", "--password", PW, "--scale", "2"]);
    assert!(first.status.success(), "{first:?}");
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(err.contains("2 schools created, 0 skipped"), "{err}");
    assert!(err.contains("4000 assets"), "{err}");
    assert!(err.contains("12000 tickets"), "{err}");
    // A school year of bookings on a cart and a room of each scale school.
    let bookings_of = |err: &str| -> i64 {
        err.split(" bookings in ")
            .next()
            .and_then(|head| head.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1)
    };
    let booked = bookings_of(&err);
    assert!(booked > 2 * 2 * 150 * 5, "{err}");
    let again = run(&dir, &["demo", "--password", PW, "--scale", "2"]);
    assert!(again.status.success(), "{again:?}");
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("0 schools created, 2 skipped"), "{err}");
    assert_eq!(bookings_of(&err), 0, "{err}");
    let url = format!("sqlite://{}?mode=ro", dir.join("data/refnum.db").display());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let db = Database::connect(url.as_str()).await.expect("open");
        let count = |sql: &'static str| {
            let db = &db;
            async move {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(
                        sea_orm::DatabaseBackend::Sqlite,
                        sql,
                    ))
                    .await
                    .expect("query")
                    .expect("row");
                row.try_get_by_index::<i64>(0).expect("count")
            }
        };
        // The three demo schools and the two scale schools, with valid UAIs.
        assert_eq!(count("SELECT COUNT(*) FROM etablissements").await, 5);
        assert_eq!(
            count("SELECT COUNT(*) FROM etablissements WHERE uai IN ('0149001H', '0149002J')")
                .await,
            2
        );
        // The demo bookings give each of the three demo schools and each
        // scale school two carts of eight laptops; the demo schools also get
        // a computer room and a CDI (the scale schools have theirs). The demo
        // loans lend three tablets, a laptop and its charger in the
        // vocational lycée.
        let demo_assets = (3 + 2) * (2 + 2 * 8) + 5;
        assert_eq!(
            count("SELECT COUNT(*) FROM parc_assets").await,
            4000 + demo_assets
        );
        assert_eq!(count("SELECT COUNT(*) FROM parc_rooms").await, 120 + 3 * 2);
        // The scale schools' year of bookings, plus two for each demo school.
        assert_eq!(count("SELECT COUNT(*) FROM bookings").await, booked + 3 * 2);
        assert_eq!(
            count(
                "SELECT COUNT(*) FROM bookings WHERE day BETWEEN '2027-02-20' AND '2027-03-07' \
                 AND etablissement_id IN (SELECT id FROM etablissements WHERE uai LIKE '0149%')"
            )
            .await,
            0,
            "the winter holidays of zone B have no booking"
        );
        assert_eq!(count("SELECT COUNT(*) FROM tickets").await, 12000);
        // Every ticket has its creation in its history; the counters follow.
        assert_eq!(
            count("SELECT COUNT(*) FROM ticket_events WHERE kind = 'created'").await,
            12000
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM ticket_counters WHERE last_number = 6000").await,
            2
        );
        assert!(count("SELECT COUNT(*) FROM asset_unavailability").await > 0);
        assert!(count("SELECT COUNT(*) FROM tickets WHERE assigned_org_id IS NOT NULL").await > 0);
        assert_eq!(
            count("SELECT COUNT(*) FROM parc_assets WHERE parent_id IS NOT NULL").await,
            2 * (24 * 30 + 12 * 32) + 5 * 2 * 8 + 1
        );
        assert_eq!(
            count(
                "SELECT COUNT(*) FROM accounts WHERE email IN \
                 ('referent.scale01@ac-normandie.test', 'referent.scale02@ac-normandie.test')"
            )
            .await,
            2
        );
        db.close().await.ok();
    });
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_smtp_configuration_stops_serve_naming_the_key() {
    let dir = temp_dir();
    std::fs::write(
        dir.join("refnum.toml"),
        "public_url = \"https://refnum.ac-exemple.fr\"\n\n[smtp]\nhost = \"smtp.ac-exemple.fr\"\nfrom = \"refnum\"\n",
    )
    .expect("config file");
    let out = run(&dir, &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("smtp.from"), "{err}");
    assert!(
        !dir.join("data").join("refnum.db").exists(),
        "refused before the database is opened"
    );

    // The same keys from the environment; the password is never printed.
    let dir = temp_dir();
    let out = bin()
        .current_dir(&dir)
        .env("REFNUM_SMTP__HOST", "smtp.ac-exemple.fr")
        .env("REFNUM_SMTP__FROM", "refnum@ac-exemple.fr")
        .env("REFNUM_SMTP__USERNAME", "refnum")
        .env("REFNUM_SMTP__PASSWORD", "[42]")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .expect("run refnum");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("public_url"), "{err}");
    assert!(!err.contains("[42]"), "{err}");

    let out = bin()
        .current_dir(&dir)
        .env("REFNUM_SMTP__HOST", "smtp.ac-exemple.fr")
        .env("REFNUM_SMTP__FROM", "refnum@ac-exemple.fr")
        .env("REFNUM_SMTP__SECURITY", "ssl")
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "https://refnum.ac-exemple.fr",
        ])
        .output()
        .expect("run refnum");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("smtp.security"), "{err}");
}
