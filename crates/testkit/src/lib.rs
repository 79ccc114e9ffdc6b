//! Test harness: a real server on a loopback port over a fresh database,
//! on SQLite or on PostgreSQL (`REFNUM_TEST_POSTGRES_URL`).

use refnum_db::Db;
use refnum_db::connect::PoolSettings;
use refnum_web::WebConfig;
use sea_orm::{ConnectionTrait, Database};
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "mot-de-passe-de-test-solide";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body on one backend. On PostgreSQL without
/// `REFNUM_TEST_POSTGRES_URL`, says so loudly and returns; with `CI=true`, fails.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await.expect("sqlite app");
                    super::$name(&app).await;
                    app.finish().await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            }
        )*
    };
}

/// Same, with a custom web configuration.
#[macro_export]
macro_rules! both_backends_with {
    ($config:expr, $($name:ident),* $(,)?) => {
        $(
            mod $name {
                    #[allow(unused_imports)]
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::TestApp::spawn_with($crate::Backend::Sqlite, $config).await.expect("sqlite app");
                    super::$name(&app).await;
                    app.finish().await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn_with($crate::Backend::Postgres, $config).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            }
        )*
    };
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub backend: Backend,
    pub dir: PathBuf,
    pg: Option<(String, String)>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// Second factors enrolled through the helpers, by e-mail.
    second_factor: std::sync::Mutex<std::collections::HashMap<String, SecondFactorState>>,
    /// The server's connection counters.
    pub connections: refnum_web::ConnectionStats,
}

pub fn test_config() -> WebConfig {
    WebConfig {
        secure_cookies: false,
        ..WebConfig::default()
    }
}

fn pg_admin_url() -> Option<String> {
    std::env::var("REFNUM_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Replaces the database name of a PostgreSQL URL.
fn with_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| scheme_end + i);
    let mut out = match path_start {
        Some(p) => format!("{}/{}", &base[..p], name),
        None => format!("{base}/{name}"),
    };
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, test_config()).await
    }

    pub async fn spawn_with(backend: Backend, config: WebConfig) -> Option<TestApp> {
        let dir = std::env::temp_dir().join(format!("refnum-test-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut config = config;
        config.files_dir = dir.join("files");
        let (url, pg) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}/refnum.db?mode=rwc", dir.display()),
                None,
            ),
            Backend::Postgres => {
                let Some(admin) = pg_admin_url() else {
                    if std::env::var("CI").is_ok_and(|v| v == "true") {
                        panic!(
                            "CI=true but REFNUM_TEST_POSTGRES_URL is not set: the PostgreSQL tests cannot be skipped in CI"
                        );
                    }
                    eprintln!("!!! SKIPPED on PostgreSQL: REFNUM_TEST_POSTGRES_URL is not set !!!");
                    return None;
                };
                let name = format!("refnum_t_{}", uuid::Uuid::now_v7().simple());
                let conn = Database::connect(admin.as_str())
                    .await
                    .expect("connect to the PostgreSQL admin database");
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                (with_db_name(&admin, &name), Some((admin, name)))
            }
        };
        let db = Db::connect(
            &url,
            &PoolSettings {
                max_connections: 8,
                ..PoolSettings::default()
            },
        )
        .await
        .expect("connect");
        db.migrate().await.expect("migrate");
        // As `refnum serve` opens its database: the catalogue of missions.
        refnum_services::pilotage::catalogue::seed(&db)
            .await
            .expect("catalogue of missions");
        let limits = config.connections.clone();
        let router = refnum_web::router(db.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let (tx, rx) = oneshot::channel::<()>();
        let connections = refnum_web::ConnectionStats::default();
        let stats = connections.clone();
        let task = tokio::spawn(async move {
            let _ = refnum_web::serve_bounded(listener, router, limits, stats, async {
                let _ = rx.await;
            })
            .await;
        });
        Some(TestApp {
            base: format!("http://{addr}"),
            db,
            backend,
            dir,
            pg,
            stop: Some(tx),
            task: Some(task),
            second_factor: Default::default(),
            connections,
        })
    }

    pub async fn finish(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), t).await;
        }
        self.db.conn.0.clone().close().await.ok();
        if let Some((admin, name)) = self.pg.take()
            && let Ok(conn) = Database::connect(admin.as_str()).await
        {
            {
                let _ = conn
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                conn.close().await.ok();
            }
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// On PostgreSQL: the admin URL and the name of this test's database.
    pub fn postgres_database(&self) -> Option<(String, String)> {
        self.pg.clone()
    }

    /// On PostgreSQL: the URL of this test's database.
    pub fn postgres_url(&self) -> Option<String> {
        self.pg
            .as_ref()
            .map(|(admin, name)| with_db_name(admin, name))
    }

    /// A browser-like client: cookie jar, no automatic redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Loads the demo académie with [`PASSWORD`].
    pub async fn demo(&self) -> Vec<refnum_services::demo::DemoAccount> {
        refnum_services::demo::run(&self.db, PASSWORD)
            .await
            .expect("demo data")
    }

    /// The CSRF token of the page at `path` (the client keeps the session cookie).
    pub async fn csrf(&self, c: &reqwest::Client, path: &str) -> String {
        let body = c
            .get(self.url(path))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        extract_csrf(&body).unwrap_or_else(|| panic!("no csrf token on {path}"))
    }

    /// Signs in through the login form; returns the login response.
    pub async fn login(
        &self,
        c: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let token = self.csrf(c, "/connexion").await;
        let r = c
            .post(self.url("/connexion"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", password),
                ("suite", "/"),
            ])
            .send()
            .await
            .expect("post login");
        if r.status() == 303 {
            self.second_factor(c, None, email).await;
        }
        r
    }

    /// A signed-in client for a demo account.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let c = self.client();
        let r = self.login(&c, email, PASSWORD).await;
        assert_eq!(r.status(), 303, "login of {email} failed");
        c
    }

    /// `GET path` with this client: the status and the body.
    pub async fn get_text(&self, c: &reqwest::Client, path: &str) -> (u16, String) {
        let r = c.get(self.url(path)).send().await.expect("get");
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    /// The page at `path`, which must answer 200.
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let (status, body) = self.get_text(c, path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Posts a form from `page` (for its CSRF token) to `action`.
    pub async fn post_form(
        &self,
        c: &reqwest::Client,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(c, page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        c.post(self.url(action))
            .form(&all)
            .send()
            .await
            .expect("post")
    }

    /// Signs in without a cookie jar; returns the session cookie (`name=value`)
    /// and the CSRF token of the session.
    pub async fn raw_session(&self, email: &str) -> (String, String) {
        let c = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let cookie_of = |r: &reqwest::Response| {
            r.headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.contains("refnum_session="))
                .and_then(|v| v.split(';').next())
                .map(str::to_string)
                .expect("session cookie")
        };
        let r = c.get(self.url("/connexion")).send().await.expect("get");
        let anon = cookie_of(&r);
        let token = extract_csrf(&r.text().await.expect("body")).expect("csrf");
        let r = c
            .post(self.url("/connexion"))
            .header("cookie", &anon)
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .expect("post");
        let cookie = cookie_of(&r);
        self.second_factor(&c, Some(&cookie), email).await;
        let html = c
            .get(self.url("/"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("body");
        (cookie, extract_csrf(&html).expect("csrf"))
    }

    pub async fn etab_id(&self, uai: &str) -> uuid::Uuid {
        refnum_db::orgs::get_etablissement_by_uai(&self.db.conn, uai)
            .await
            .expect("query")
            .expect("school exists")
            .id
    }

    pub async fn account_id(&self, email: &str) -> uuid::Uuid {
        refnum_db::accounts::get_by_email(&self.db.conn, email)
            .await
            .expect("query")
            .expect("account exists")
            .id
    }

    /// `GET` an API path with a bearer token: the status and the JSON body
    /// (`null` when the body is not JSON).
    pub async fn api_get(&self, token: &str, path: &str) -> (u16, serde_json::Value) {
        let r = self
            .client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get");
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// `POST` a JSON body to an API path with a bearer token: the status and
    /// the JSON body (`null` when the body is not JSON).
    pub async fn api_post(
        &self,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let r = self
            .client()
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("post");
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// An API token for a demo account.
    pub async fn token_for(&self, email: &str) -> String {
        let acc = refnum_db::accounts::get_by_email(&self.db.conn, email)
            .await
            .expect("query")
            .expect("account");
        refnum_services::tokens::create(&self.db, &acc, "test")
            .await
            .expect("token")
            .0
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

pub mod demo_accounts {
    pub const ADMIN: &str = "admin@refnum.test";
    pub const DANE: &str = "dane@ac-normandie.test";
    pub const REGION: &str = "numerique@normandie.test";
    pub const TECH: &str = "technicien@assistance.test";
    pub const DIRECTION_A: &str = "direction.malherbe@ac-normandie.test";
    pub const REFERENT_A: &str = "referent.malherbe@ac-normandie.test";
    pub const TEACHER_A: &str = "enseignant.malherbe@ac-normandie.test";
    pub const TEACHER_B: &str = "enseignant.monod@ac-normandie.test";
    pub const REFERENT_B: &str = "referent.monod@ac-normandie.test";
    pub const UAI_A: &str = "0140013N";
    pub const UAI_B: &str = "0141816Y";
    pub const UAI_C: &str = "0140018U";
}

/// The second factor of an account as the test helpers know it: its secret
/// (read from the enrolment page, as a person would from the screen), the
/// last time step used and its unused recovery codes.
#[derive(Debug, Clone, Default)]
pub struct SecondFactorState {
    pub secret: String,
    pub last_step: Option<i64>,
    pub recovery_codes: Vec<String>,
}

/// The text of the element with this `id` (first text node, trimmed).
pub fn element_text(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker)?;
    let open_end = html[start..].find('>')? + start + 1;
    let close = html[open_end..].find('<')? + open_end;
    Some(html[open_end..close].trim().to_string())
}

/// The recovery codes listed on a page (`<ul id="recovery-codes">`).
pub fn recovery_codes_on(html: &str) -> Vec<String> {
    let Some(start) = html.find("id=\"recovery-codes\"") else {
        return vec![];
    };
    let end = html[start..]
        .find("</ul>")
        .map_or(html.len(), |e| e + start);
    html[start..end]
        .split("<code>")
        .skip(1)
        .filter_map(|p| p.split_once("</code>").map(|(c, _)| c.trim().to_string()))
        .collect()
}

impl TestApp {
    /// The second factor known for `email`, if the helpers enrolled it.
    pub fn second_factor_state(&self, email: &str) -> Option<SecondFactorState> {
        self.second_factor
            .lock()
            .expect("second factor state")
            .get(email)
            .cloned()
    }

    /// Records a second factor enrolled by a test itself, so that the
    /// sign-in helpers can use it afterwards.
    pub fn remember_second_factor(&self, email: &str, state: SecondFactorState) {
        self.second_factor
            .lock()
            .expect("second factor state")
            .insert(email.to_string(), state);
    }

    /// A fresh TOTP code for `email`: a time step later than the last one
    /// used (a code is accepted once only), within the server's window of
    /// one step either way; waits for the next step when all are used.
    pub async fn next_totp_code(&self, email: &str) -> String {
        loop {
            let state = self
                .second_factor_state(email)
                .unwrap_or_else(|| panic!("no second factor known for {email}"));
            let secret = refnum_domain::totp::Secret::from_base32(&state.secret).expect("secret");
            let now = chrono::Utc::now().timestamp();
            if now.rem_euclid(refnum_domain::totp::STEP_SECS) >= refnum_domain::totp::STEP_SECS - 2
            {
                // Too close to the next step: the server might already be there.
                tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
                continue;
            }
            let current = refnum_domain::totp::step_at(now);
            if let Some(step) =
                (current - 1..=current + 1).find(|s| state.last_step.is_none_or(|last| *s > last))
            {
                let mut all = self.second_factor.lock().expect("second factor state");
                if let Some(st) = all.get_mut(email) {
                    st.last_step = Some(step);
                }
                return refnum_domain::totp::code_at_step(&secret, step);
            }
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    }

    /// Completes the second factor of a freshly signed-in session, through
    /// the pages: enrols (reading the key shown on the enrolment page) or
    /// types a code. Does nothing when the account needs no second factor.
    /// `cookie`: the session cookie, for a client without a cookie jar.
    pub async fn second_factor(&self, c: &reqwest::Client, cookie: Option<&str>, email: &str) {
        let with_cookie = |rb: reqwest::RequestBuilder| match cookie {
            Some(ck) => rb.header("cookie", ck),
            None => rb,
        };
        let r = with_cookie(c.get(self.url("/connexion/second-facteur")))
            .send()
            .await
            .expect("get second factor");
        if r.status() == 303 {
            return;
        }
        assert_eq!(r.status(), 200, "second-factor page of {email}");
        let html = r.text().await.expect("body");
        let csrf = extract_csrf(&html).expect("csrf on the second-factor page");
        if let Some(secret) = element_text(&html, "totp-secret") {
            let secret = secret.replace(' ', "");
            self.remember_second_factor(
                email,
                SecondFactorState {
                    secret,
                    last_step: None,
                    recovery_codes: vec![],
                },
            );
        }
        let code = self.next_totp_code(email).await;
        let r = with_cookie(c.post(self.url("/connexion/second-facteur")))
            .form(&[("csrf_token", csrf.as_str()), ("code", code.as_str())])
            .send()
            .await
            .expect("post second factor");
        let status = r.status();
        let body = r.text().await.expect("body");
        let codes = recovery_codes_on(&body);
        if !codes.is_empty() {
            let mut all = self.second_factor.lock().expect("second factor state");
            if let Some(st) = all.get_mut(email) {
                st.recovery_codes = codes;
            }
        }
        assert!(
            status == 303 || (status == 200 && body.contains("id=\"recovery-codes\"")),
            "second factor of {email} refused: {status}"
        );
    }
}
