//! Bounded resources: metrics that no request can grow.

use refnum_testkit::{TestApp, both_backends, both_backends_with, test_config};

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
