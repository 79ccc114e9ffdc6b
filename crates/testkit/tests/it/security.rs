use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends, both_backends_with, test_config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Posts a form body of `size` bytes over a raw connection; returns the status code.
async fn raw_post(base: &str, path: &str, cookie: &str, token: &str, size: usize) -> u16 {
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {size}\r\n\r\ncsrf_token={token}&name="
    );
    s.write_all(head.as_bytes()).await.expect("head");
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < size {
        if s.write_all(&chunk).await.is_err() {
            break;
        }
        sent += chunk.len();
        if sent > 1024 * 1024 {
            break;
        }
    }
    let mut buf = vec![0u8; 1024];
    let n = s.read(&mut buf).await.expect("read");
    let text = String::from_utf8_lossy(&buf[..n]);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

async fn forms_need_the_csrf_token_and_our_origin(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(ADMIN).await;
    let count = || async {
        refnum_db::orgs::list_academies(&app.db.conn)
            .await
            .expect("list")
            .len()
    };
    let before = count().await;
    let fields = [("code", "bretagne"), ("name", "Académie de Rennes")];
    // No token.
    let r = c
        .post(app.url("/admin/academies"))
        .form(&fields)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    // A wrong token.
    let mut wrong = vec![("csrf_token", "pas-le-bon-jeton")];
    wrong.extend_from_slice(&fields);
    let r = c
        .post(app.url("/admin/academies"))
        .form(&wrong)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    // The right token from another origin.
    let token = app.csrf(&c, "/admin/academies").await;
    let mut right = vec![("csrf_token", token.as_str())];
    right.extend_from_slice(&fields);
    let r = c
        .post(app.url("/admin/academies"))
        .header("origin", "https://evil.example")
        .form(&right)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    assert_eq!(count().await, before, "refused requests change nothing");
    // The right token from our origin.
    let r = c
        .post(app.url("/admin/academies"))
        .header("origin", app.base.clone())
        .form(&right)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    assert_eq!(count().await, before + 1);
    // The login form is protected too.
    let r = app
        .client()
        .post(app.url("/connexion"))
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
}

async fn a_ten_megabyte_body_gets_413_and_changes_nothing(app: &TestApp) {
    app.demo().await;
    // A client that announces 10 MB and starts sending: the server answers
    // 413 at once, without reading (nor storing) the body.
    let (session, token) = app.raw_session(ADMIN).await;
    let status = raw_post(
        &app.base,
        "/admin/academies",
        &session,
        &token,
        10 * 1024 * 1024,
    )
    .await;
    assert_eq!(status, 413);
    let list = refnum_db::orgs::list_academies(&app.db.conn)
        .await
        .expect("list");
    assert!(list.iter().all(|a| a.code != "grand"));
}

async fn every_response_carries_the_security_headers(app: &TestApp) {
    for path in [
        "/connexion",
        "/healthz",
        "/assets/refnum.css",
        "/api/v1/me",
        "/nulle-part",
    ] {
        let r = app.client().get(app.url(path)).send().await.expect("get");
        let h = r.headers();
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("CSP on {path}"))
            .to_str()
            .expect("csp");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(h.contains_key("x-request-id"), "request id on {path}");
    }
    // No inline script in the pages.
    let html = app
        .client()
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains(" onclick="), "no inline handler");
}

async fn output_is_escaped(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(ADMIN).await;
    let name = "<script>alert(1)</script> Académie";
    let r = app
        .post_form(
            &c,
            "/admin/academies",
            "/admin/academies",
            &[("code", "xss"), ("name", name)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = c
        .get(app.url("/admin/academies"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62; Académie"),
        "the name is shown, escaped"
    );
}

fn behind_proxy() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    c.auth.address_max_failures = 3;
    c.auth.account_max_failures = 100;
    c
}

async fn forwarded_addresses_count_only_from_trusted_proxies(app: &TestApp) {
    app.demo().await;
    let try_from = |ip: &'static str| async move {
        let c = app.client();
        let token = app.csrf(&c, "/connexion").await;
        c.post(app.url("/connexion"))
            .header("x-forwarded-for", ip)
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", TEACHER_B),
                ("password", "mauvais-mot-de-passe"),
            ])
            .send()
            .await
            .expect("post")
            .status()
            .as_u16()
    };
    for _ in 0..3 {
        assert_eq!(try_from("203.0.113.7").await, 401);
    }
    assert_eq!(
        try_from("203.0.113.7").await,
        429,
        "that client is throttled"
    );
    assert_eq!(
        try_from("198.51.100.9").await,
        401,
        "another client behind the same proxy is not"
    );
}

fn no_proxy() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.auth.address_max_failures = 3;
    c.auth.account_max_failures = 100;
    c
}

async fn forwarded_addresses_are_ignored_without_a_trusted_proxy(app: &TestApp) {
    app.demo().await;
    for (i, ip) in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]
        .iter()
        .enumerate()
    {
        let c = app.client();
        let token = app.csrf(&c, "/connexion").await;
        let s = c
            .post(app.url("/connexion"))
            .header("x-forwarded-for", *ip)
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", TEACHER_B),
                ("password", "mauvais-mot-de-passe"),
            ])
            .send()
            .await
            .expect("post")
            .status();
        assert_eq!(
            s,
            if i < 3 { 401 } else { 429 },
            "a spoofed header does not escape the throttle"
        );
    }
}

both_backends!(
    forms_need_the_csrf_token_and_our_origin,
    a_ten_megabyte_body_gets_413_and_changes_nothing,
    every_response_carries_the_security_headers,
    output_is_escaped,
);
both_backends_with!(
    behind_proxy(),
    forwarded_addresses_count_only_from_trusted_proxies
);
both_backends_with!(
    no_proxy(),
    forwarded_addresses_are_ignored_without_a_trusted_proxy
);
