//! Bounded resources: metrics that no request can grow, slow and idle
//! connections closed, a cap on connections, oversized bodies and directory
//! uploads refused with 413, an unreachable database answered with 503, and
//! the Origin of forms compared by scheme, host and port.

use refnum_testkit::demo_accounts::*;
use refnum_testkit::{Backend, TestApp, both_backends, both_backends_with, test_config};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer read off the wire.
#[derive(Debug)]
struct Raw {
    status: u16,
    head: String,
    body: String,
}

fn parse_raw(bytes: &[u8]) -> Raw {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Raw {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// `GET path` on a new connection (`Connection: close`), with an optional
/// cookie: the answer and how long it took.
async fn raw_get(app: &TestApp, path: &str, cookie: Option<&str>) -> (Raw, Duration) {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr(app)).await.expect("connect");
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\n{cookie}Connection: close\r\n\r\n",
        addr(app)
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut out = vec![];
    tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut out))
        .await
        .expect("an answer within 30 s")
        .ok();
    (parse_raw(&out), start.elapsed())
}

impl Raw {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// How a test body goes on the wire.
enum Body<'a> {
    /// Chunked: these bytes, then this many bytes of `x`, 64 KiB a chunk.
    Chunked(&'a [u8], usize),
    /// With `Content-Length`.
    Sized(&'a [u8]),
}

/// Sends `head` (request line and headers, without the blank line) and
/// `body` on a new connection; stops sending when the server answers or
/// closes, and returns its answer.
async fn send_raw(app: &TestApp, head: &str, body: Body<'_>) -> Raw {
    let stream = TcpStream::connect(addr(app)).await.expect("connect");
    let (mut rd, mut wr) = stream.into_split();
    let (framing, first, filler) = match body {
        Body::Chunked(first, filler) => ("Transfer-Encoding: chunked".to_string(), first, filler),
        Body::Sized(bytes) => (format!("Content-Length: {}", bytes.len()), bytes, 0),
    };
    let chunked = filler > 0 || framing.starts_with("Transfer");
    let head = format!("{head}\r\n{framing}\r\nConnection: close\r\n\r\n");
    let first = first.to_vec();
    let writer = tokio::spawn(async move {
        let chunk = |data: &[u8]| {
            let mut v = format!("{:x}\r\n", data.len()).into_bytes();
            v.extend_from_slice(data);
            v.extend_from_slice(b"\r\n");
            v
        };
        wr.write_all(head.as_bytes()).await?;
        if !chunked {
            for part in first.chunks(64 * 1024) {
                wr.write_all(part).await?;
            }
            return Ok::<_, std::io::Error>(wr);
        }
        for part in first.chunks(64 * 1024) {
            wr.write_all(&chunk(part)).await?;
        }
        let block = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < filler {
            let n = block.len().min(filler - sent);
            wr.write_all(&chunk(&block[..n])).await?;
            sent += n;
        }
        wr.write_all(b"0\r\n\r\n").await?;
        Ok(wr)
    });
    let mut out = vec![];
    let mut buf = vec![0u8; 64 * 1024];
    let read = async {
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("an answer within 60 s");
    writer.abort();
    parse_raw(&out)
}

async fn metrics_text(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut rb = app.client().get(app.url("/metrics"));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    rb.send().await.expect("metrics")
}

/// A word of capital letters no one has used before.
fn odd_word() -> String {
    uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .bytes()
        .map(|b| (b'A' + b % 26) as char)
        .collect()
}

// ---------------------------------------------------------------- metrics

async fn metrics_label_only_known_methods_and_route_templates(app: &TestApp) {
    let before = metrics_text(app, None).await.text().await.expect("body");
    let client = app.client();
    let mut sent = vec![];
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..3000 {
        let method = odd_word();
        let path = if i % 2 == 0 {
            "/healthz".to_string()
        } else {
            format!("/nulle-part/{}", odd_word().to_lowercase())
        };
        sent.push((method.clone(), path.clone()));
        let c = client.clone();
        let url = app.url(&path);
        tasks.spawn(async move {
            let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            c.request(m, url).send().await.map(|r| r.status().as_u16())
        });
        if tasks.len() >= 32 {
            let s = tasks.join_next().await.expect("task").expect("join");
            // 403 on pages (an unknown method is unsafe: no CSRF token).
            assert!(matches!(s, Ok(403..=405)), "{s:?}");
        }
    }
    while let Some(s) = tasks.join_next().await {
        assert!(matches!(s.expect("join"), Ok(403..=405)));
    }
    let after = metrics_text(app, None).await.text().await.expect("body");
    eprintln!(
        "/metrics: {} bytes before, {} bytes after 3,000 requests with made-up methods",
        before.len(),
        after.len()
    );
    for (method, path) in &sent {
        assert!(!after.contains(method.as_str()), "{method} became a label");
        assert!(
            path == "/healthz" || !after.contains(path.as_str()),
            "{path} became a label"
        );
    }
    let methods: std::collections::BTreeSet<&str> = after
        .split("method=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    for m in &methods {
        assert!(
            [
                "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"
            ]
            .contains(m),
            "method label {m}"
        );
    }
    assert!(methods.contains("other"), "{methods:?}");
    assert!(after.contains("route=\"unmatched\""));
    // Other tests of this process add their own routes meanwhile; 3,000
    // made-up methods used to add about 4 MB.
    assert!(
        after.len() < before.len() + 512 * 1024,
        "{} -> {}",
        before.len(),
        after.len()
    );
}

fn with_metrics_token() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.metrics_token = Some(refnum_web::config::Secret("jeton-des-metriques-42".into()));
    c
}

async fn metrics_need_the_configured_bearer_token(app: &TestApp) {
    let r = metrics_text(app, None).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let body = r.text().await.expect("body");
    assert!(!body.contains("http_requests_total"));
    assert!(!body.contains("jeton-des"));
    for wrong in [
        "jeton",
        "jeton-des-metriques-4",
        "jeton-des-metriques-42 ",
        "x",
    ] {
        let r = app
            .client()
            .get(app.url("/metrics"))
            .header("authorization", format!("Bearer {wrong}x"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 401, "{wrong}");
    }
    let r = app
        .client()
        .get(app.url("/metrics"))
        .header("authorization", "Basic amV0b24=")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
    let r = metrics_text(app, Some("jeton-des-metriques-42")).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("http_requests_total")
    );
    // The health check stays open to the load balancer.
    let r = app
        .client()
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
}

both_backends!(metrics_label_only_known_methods_and_route_templates);
both_backends_with!(
    with_metrics_token(),
    metrics_need_the_configured_bearer_token
);

// ---------------------------------------------------------- slow clients

/// A client that sends one byte of a request's headers every `every` and
/// never finishes them: how long until the server closed the connection
/// (`None`: still open after `give_up`), and whether it got an answer.
async fn trickle(addr: String, every: Duration, give_up: Duration) -> (Option<Duration>, bool) {
    let start = Instant::now();
    let Ok(mut s) = TcpStream::connect(&addr).await else {
        return (Some(Duration::ZERO), false);
    };
    let text = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nX-Lent: ");
    let mut bytes = text.into_bytes().into_iter().chain(std::iter::repeat(b'a'));
    let mut buf = [0u8; 512];
    while start.elapsed() < give_up {
        let b = bytes.next().unwrap_or(b'a');
        if s.write_all(&[b]).await.is_err() {
            return (Some(start.elapsed()), false);
        }
        match tokio::time::timeout(every, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (Some(start.elapsed()), false),
            Ok(Ok(_)) => return (Some(start.elapsed()), true),
            Err(_) => {}
        }
    }
    (None, false)
}

fn short_header_timeout() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.connections.header_timeout = Duration::from_secs(2);
    c
}

async fn slow_clients_are_cut_and_others_are_served_meanwhile(app: &TestApp) {
    app.demo().await;
    let (cookie, _) = app.raw_session(REFERENT_A).await;
    const SLOW: usize = 300;
    let mut slow = tokio::task::JoinSet::new();
    for _ in 0..SLOW {
        slow.spawn(trickle(
            addr(app),
            Duration::from_millis(500),
            Duration::from_secs(12),
        ));
    }
    // While they trickle, the health check and a signed-in page answer.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut worst = Duration::ZERO;
    for _ in 0..3 {
        let (r, took) = raw_get(app, "/healthz", None).await;
        assert_eq!(r.status, 200, "{r:?}");
        worst = worst.max(took);
        let (r, took) = raw_get(app, "/", Some(&cookie)).await;
        assert_eq!(r.status, 200, "{}", r.head);
        assert!(r.body.contains("Déconnexion") || r.body.contains("deconnexion"));
        worst = worst.max(took);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    eprintln!(
        "with {SLOW} slow clients: slowest /healthz or signed-in page {} ms",
        worst.as_millis()
    );
    assert!(worst < Duration::from_secs(2), "{worst:?}");
    // Each slow client is cut by the 2 s header timeout.
    let mut closed = vec![];
    while let Some(r) = slow.join_next().await {
        let (after, answered) = r.expect("join");
        assert!(!answered, "a request with unfinished headers got an answer");
        closed.push(after.expect("a slow client still connected after 12 s"));
    }
    let latest = closed.iter().max().copied().unwrap_or_default();
    eprintln!(
        "slowest close of a slow client: {} ms after it connected",
        latest.as_millis()
    );
    assert!(
        closed
            .iter()
            .all(|d| *d >= Duration::from_millis(1500) && *d < Duration::from_secs(6)),
        "{closed:?}"
    );
}

async fn idle_kept_alive_connections_are_closed(app: &TestApp) {
    let mut s = TcpStream::connect(addr(app)).await.expect("connect");
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", addr(app));
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).await.expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Kept alive: a second request on the same connection is served.
    s.write_all(req.as_bytes()).await.expect("write");
    let n = s.read(&mut buf).await.expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Then, idle, it is closed after the header timeout (2 s).
    let start = Instant::now();
    let n = tokio::time::timeout(Duration::from_secs(8), s.read(&mut buf))
        .await
        .expect("closed by the server within 8 s")
        .unwrap_or(0);
    assert_eq!(n, 0, "closed, without an answer");
    let idle = start.elapsed();
    assert!(
        idle >= Duration::from_millis(1500) && idle < Duration::from_secs(5),
        "{idle:?}"
    );
}

fn twenty_connections() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.connections.max_connections = 20;
    c.connections.header_timeout = Duration::from_secs(10);
    c
}

async fn the_connection_cap_holds_and_idle_connections_make_room(app: &TestApp) {
    app.demo().await;
    let (cookie, _) = app.raw_session(REFERENT_A).await;
    // 60 connections that never send anything.
    let mut silent = vec![];
    for _ in 0..60 {
        silent.push(TcpStream::connect(addr(app)).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Well before the 10 s header timeout, a new client is served: the
    // oldest idle connections were closed to make room.
    let (r, took) = raw_get(app, "/healthz", None).await;
    assert_eq!(r.status, 200);
    assert!(took < Duration::from_secs(3), "{took:?}");
    let (r, took) = raw_get(app, "/", Some(&cookie)).await;
    assert_eq!(r.status, 200);
    assert!(took < Duration::from_secs(3), "{took:?}");
    let stats = &app.connections;
    assert!(stats.peak() <= 20, "peak {}", stats.peak());
    assert!(stats.evicted() >= 40, "evicted {}", stats.evicted());
    // The silent connections that made room were closed by the server.
    let mut closed = 0;
    for s in &mut silent {
        let mut b = [0u8; 16];
        if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(50), s.read(&mut b)).await {
            closed += 1;
        }
    }
    assert!(closed >= 40, "{closed} closed");
}

both_backends_with!(
    short_header_timeout(),
    slow_clients_are_cut_and_others_are_served_meanwhile,
    idle_kept_alive_connections_are_closed,
);
both_backends_with!(
    twenty_connections(),
    the_connection_cap_holds_and_idle_connections_make_room
);

// ------------------------------------------------------ oversized bodies

async fn tickets(app: &TestApp) -> u64 {
    refnum_db::entities::assistance::ticket::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn a_chunked_body_past_the_limit_is_413_on_json_and_form_routes(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(UAI_A).await;
    let token = app.token_for(REFERENT_A).await;
    let before = tickets(app).await;
    let over = 1024 * 1024 + 64 * 1024;
    let host = addr(app);
    // JSON routes: one read through `Json`, one through raw bytes.
    for path in [
        format!("/api/v1/etablissements/{etab}/tickets"),
        format!("/api/v1/etablissements/{etab}/assets"),
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json"
        );
        let r = send_raw(app, &head, Body::Chunked(b"{\"title\": \"", over)).await;
        assert_eq!(r.status, 413, "{path}: {}", r.head);
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{}",
            r.head
        );
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON error");
        assert_eq!(v["error"]["code"], "too_large", "{path}");
        // Announced with its length: refused before it is read.
        let body = vec![b' '; over];
        let r = send_raw(app, &head, Body::Sized(&body)).await;
        assert_eq!(r.status, 413, "{path}: {}", r.head);
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON error");
        assert_eq!(v["error"]["code"], "too_large", "{path}");
    }
    // A form page.
    let (cookie, csrf) = app.raw_session(REFERENT_A).await;
    let path = format!("/etablissements/{etab}/assistance/nouveau");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded"
    );
    let first = format!("csrf_token={csrf}&kind=incident&title=");
    let r = send_raw(app, &head, Body::Chunked(first.as_bytes(), over)).await;
    assert_eq!(r.status, 413, "{}", r.head);
    assert!(r.body.contains("Envoi trop volumineux"), "{}", r.body);
    assert_eq!(tickets(app).await, before, "nothing was created");
    // Just under the limit, the same JSON route still reads the body.
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/etablissements/{etab}/tickets")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "title": "Imprimante", "category": "printer" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
}

both_backends!(a_chunked_body_past_the_limit_is_413_on_json_and_form_routes);

// ------------------------------------------------- directory upload size

fn small_directory_limits() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.max_import_file_bytes = 1024 * 1024;
    c.max_upload_bytes = 3 * 1024 * 1024;
    c
}

/// Regular files under the data directory's `files` folder.
fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = vec![];
    walk(&app.dir.join("files"), &mut out);
    out
}

async fn imports(app: &TestApp) -> u64 {
    refnum_db::entities::annuaire_import::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count")
}

/// A multipart body: the CSRF token, an optional UAI, then files named
/// `name` of `size` bytes each.
fn multipart_parts(csrf: &str, uai: Option<&str>, files: &[(&str, usize)]) -> (Vec<u8>, String) {
    let boundary = "----refnum-bornes-7f3a";
    let mut b = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
    )
    .into_bytes();
    if let Some(u) = uai {
        b.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"uai\"\r\n\r\n{u}\r\n")
                .bytes(),
        );
    }
    for (name, size) in files {
        b.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/xml\r\n\r\n"
            )
            .bytes(),
        );
        b.extend(std::iter::repeat_n(b'x', *size));
        b.extend(b"\r\n");
    }
    b.extend(format!("--{boundary}--\r\n").bytes());
    (b, format!("multipart/form-data; boundary={boundary}"))
}

async fn directory_uploads_past_the_limits_are_refused_and_leave_nothing(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(UAI_A).await;
    let host = addr(app);
    let form = format!("/etablissements/{etab}/annuaire/import");
    let html = app
        .signed_in(REFERENT_A)
        .await
        .get(app.url(&form))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("3 Mo, 1 Mo par fichier"),
        "the form says the limits"
    );
    // (who, UAI field, form action, files and their sizes, message shown)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        Vec<(&'a str, usize)>,
        &'a str,
    );
    let cases: [Case; 4] = [
        // One file past the per-file limit.
        (
            REFERENT_A,
            None,
            form.as_str(),
            vec![("Eleve_0000.xml", 1024 * 1024 + 1)],
            "« Eleve_0000.xml » dépasse 1 Mo",
        ),
        // Files each under it, together past the total.
        (
            REFERENT_A,
            None,
            form.as_str(),
            vec![
                ("a.xml", 900 * 1024),
                ("b.xml", 900 * 1024),
                ("c.xml", 900 * 1024),
                ("d.xml", 900 * 1024),
            ],
            "Les fichiers dépassent 3 Mo",
        ),
        // The administrator's form, with a far bigger file.
        (
            ADMIN,
            Some(UAI_A),
            "/admin/annuaire/import",
            vec![("ENT_Complet_Eleve.xml", 2 * 1024 * 1024)],
            "« ENT_Complet_Eleve.xml » dépasse 1 Mo",
        ),
        (
            ADMIN,
            Some(UAI_A),
            "/admin/annuaire/import",
            vec![("x.xml", 20 * 1024 * 1024)],
            "dépasse",
        ),
    ];
    for (who, uai, action, files, message) in cases {
        let (cookie, csrf) = app.raw_session(who).await;
        let (body, content_type) = multipart_parts(&csrf, uai, &files);
        // Streamed without a length, as a browser may: the server reads
        // until the limit, then stops.
        let head = format!(
            "POST {action} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nContent-Type: {content_type}"
        );
        let r = send_raw(app, &head, Body::Chunked(&body, 0)).await;
        assert_eq!(r.status, 413, "{files:?}: {}", r.head);
        assert!(r.body.contains(message), "{files:?}: {}", r.body);
        assert!(r.body.contains("rien n&#39;a été importé"), "{}", r.body);
        assert!(stored_files(app).is_empty(), "{:?}", stored_files(app));
        assert_eq!(imports(app).await, 0);
        // Announced with its length: refused as soon as the file (or the
        // announced total) is past the limit.
        let r = send_raw(app, &head, Body::Sized(&body)).await;
        assert_eq!(r.status, 413, "{files:?}: {}", r.head);
        assert!(stored_files(app).is_empty());
        assert_eq!(imports(app).await, 0);
    }
}

both_backends_with!(
    small_directory_limits(),
    directory_uploads_past_the_limits_are_refused_and_leave_nothing
);

// ------------------------------------------------- unreachable database

/// Starts one API write and one page write of a ticket, in the background.
fn start_writes(
    app: &TestApp,
    etab: uuid::Uuid,
    token: &str,
    cookie: &str,
    csrf: &str,
) -> (
    tokio::task::JoinHandle<reqwest::Response>,
    tokio::task::JoinHandle<reqwest::Response>,
) {
    let api = {
        let url = app.url(&format!("/api/v1/etablissements/{etab}/tickets"));
        let token = token.to_string();
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({ "title": "Wi-Fi coupé", "category": "network" }))
                .send()
                .await
                .expect("api post")
        })
    };
    let page = {
        let url = app.url(&format!("/etablissements/{etab}/assistance/nouveau"));
        let cookie = cookie.to_string();
        let csrf = csrf.to_string();
        tokio::spawn(async move {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client")
                .post(url)
                .header("cookie", cookie)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("kind", "incident"),
                    ("title", "Écran noir"),
                    ("urgency", "medium"),
                    ("impact", "medium"),
                    ("description", "Plus d'image."),
                ])
                .send()
                .await
                .expect("page post")
        })
    };
    (api, page)
}

async fn assert_503(api: reqwest::Response, page: reqwest::Response) {
    assert_eq!(api.status(), 503);
    assert!(api.headers().contains_key("retry-after"));
    let v: serde_json::Value = api.json().await.expect("json");
    assert_eq!(v["error"]["code"], "unavailable");
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));
    let html = page.text().await.expect("body");
    assert!(html.contains("momentanément indisponible"), "{html}");
}

async fn writes_cut_from_the_database_answer_503_with_retry_after(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(UAI_A).await;
    let token = app.token_for(REFERENT_A).await;
    let (cookie, csrf) = app.raw_session(REFERENT_A).await;
    let before = tickets(app).await;
    match app.backend {
        Backend::Postgres => {
            let (admin_url, name) = app.postgres_database().expect("postgres");
            let admin = sea_orm::Database::connect(admin_url.as_str())
                .await
                .expect("admin");
            // Another session holds the tickets table: the writes start, then wait.
            let mut opts = sea_orm::ConnectOptions::new(app.postgres_url().expect("url"));
            opts.max_connections(1).min_connections(1);
            let locker = sea_orm::Database::connect(opts).await.expect("locker");
            locker
                .execute_unprepared("BEGIN; LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE")
                .await
                .expect("lock");
            let pid: i32 = locker
                .query_one_raw(sea_orm::Statement::from_string(
                    locker.get_database_backend(),
                    "SELECT pg_backend_pid() AS pid",
                ))
                .await
                .expect("pid")
                .expect("row")
                .try_get("", "pid")
                .expect("pid");
            let (api, page) = start_writes(app, etab, &token, &cookie, &csrf);
            let waiting = format!(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = '{name}' AND wait_event_type = 'Lock'"
            );
            let start = Instant::now();
            loop {
                let n: i64 = admin
                    .query_one_raw(sea_orm::Statement::from_string(
                        admin.get_database_backend(),
                        waiting.clone(),
                    ))
                    .await
                    .expect("query")
                    .expect("row")
                    .try_get("", "n")
                    .expect("n");
                if n >= 2 {
                    break;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "writes never waited"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // Both writes are in flight: their connections are terminated.
            admin
                .execute_unprepared(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> {pid}"
                ))
                .await
                .expect("terminate");
            assert_503(api.await.expect("join"), page.await.expect("join")).await;
            locker.execute_unprepared("ROLLBACK").await.expect("unlock");
            locker.close().await.ok();

            // The database refuses every connection: pages and API say 503.
            admin
                .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
                .await
                .expect("alter");
            admin
                .execute_unprepared(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                ))
                .await
                .expect("terminate");
            let (api, page) = start_writes(app, etab, &token, &cookie, &csrf);
            assert_503(api.await.expect("join"), page.await.expect("join")).await;
            let (r, _) = raw_get(app, "/", Some(&cookie)).await;
            assert_eq!(r.status, 503);
            assert!(r.header("retry-after").is_some());
            admin
                .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
                .await
                .expect("alter");
            admin.close().await.ok();
        }
        Backend::Sqlite => {
            // No connection to lose: the equivalent is the file locked by
            // another process (an operator's `sqlite3` shell in a write
            // transaction) past the busy timeout.
            let url = format!("sqlite://{}/refnum.db", app.dir.display());
            let mut opts = sea_orm::ConnectOptions::new(url);
            opts.max_connections(1).min_connections(1);
            let holder = sea_orm::Database::connect(opts).await.expect("holder");
            holder
                .execute_unprepared("BEGIN IMMEDIATE")
                .await
                .expect("lock");
            let (api, page) = start_writes(app, etab, &token, &cookie, &csrf);
            let (api, page) = (api.await.expect("join"), page.await.expect("join"));
            holder.execute_unprepared("ROLLBACK").await.expect("unlock");
            holder.close().await.ok();
            assert_503(api, page).await;
        }
    }
    assert_eq!(tickets(app).await, before, "nothing was written");
    // Once the database is back, the same writes go through.
    let (api, page) = start_writes(app, etab, &token, &cookie, &csrf);
    assert_eq!(api.await.expect("join").status(), 201);
    assert_eq!(page.await.expect("join").status(), 303);
    assert_eq!(tickets(app).await, before + 2);
}

both_backends!(writes_cut_from_the_database_answer_503_with_retry_after);

// ---------------------------------------------------------------- Origin

fn behind_a_proxy() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    c
}

/// Posts the language form with these extra headers: the status.
async fn post_lang(app: &TestApp, headers: &[(&str, String)]) -> u16 {
    let c = app.client();
    let token = app.csrf(&c, "/connexion").await;
    let mut rb = c.post(app.url("/langue")).form(&[
        ("csrf_token", token.as_str()),
        ("lang", "fr"),
        ("back", "/"),
    ]);
    for (k, v) in headers {
        rb = rb.header(*k, v);
    }
    rb.send().await.expect("post").status().as_u16()
}

/// (Origin, X-Forwarded-Proto, accepted) on a server reached at
/// `http://127.0.0.1:<port>`, whose peer (127.0.0.1) may be a trusted proxy.
fn origin_table(app: &TestApp, trusted_proxy: bool) -> Vec<(String, Option<&'static str>, bool)> {
    let host = addr(app);
    let port: u16 = host
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let other = port.wrapping_add(1).max(1);
    vec![
        (format!("http://{host}"), None, true),
        (format!("http://localhost:{port}"), None, false),
        (format!("https://{host}"), None, false),
        (format!("http://127.0.0.1:{other}"), None, false),
        ("http://127.0.0.1".to_string(), None, false),
        (format!("http://{host}/"), None, true),
        ("null".to_string(), None, false),
        (format!("ftp://{host}"), None, false),
        (format!("http://evil.example@{host}"), None, false),
        ("https://evil.example".to_string(), None, false),
        // A proxy that says https: believed only from a trusted proxy.
        (format!("https://{host}"), Some("https"), trusted_proxy),
        (format!("http://{host}"), Some("https"), !trusted_proxy),
        (format!("http://{host}"), Some("http"), true),
    ]
}

async fn the_origin_of_a_form_must_match_scheme_host_and_port(app: &TestApp) {
    for (origin, proto, ok) in origin_table(app, false) {
        let mut h = vec![("origin", origin.clone())];
        if let Some(p) = proto {
            h.push(("x-forwarded-proto", p.to_string()));
        }
        let status = post_lang(app, &h).await;
        assert_eq!(status == 303, ok, "{origin} {proto:?}: {status}");
        assert!(status == 303 || status == 403, "{origin}: {status}");
    }
    // No Origin (an old browser, a script): the token alone decides.
    assert_eq!(post_lang(app, &[]).await, 303);
}

async fn behind_a_trusted_proxy_its_scheme_counts(app: &TestApp) {
    for (origin, proto, ok) in origin_table(app, true) {
        let mut h = vec![("origin", origin.clone())];
        if let Some(p) = proto {
            h.push(("x-forwarded-proto", p.to_string()));
        }
        let status = post_lang(app, &h).await;
        assert_eq!(status == 303, ok, "{origin} {proto:?}: {status}");
    }
}

both_backends!(the_origin_of_a_form_must_match_scheme_host_and_port);
both_backends_with!(behind_a_proxy(), behind_a_trusted_proxy_its_scheme_counts);
