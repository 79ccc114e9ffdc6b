use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};

async fn health_and_metrics(app: &TestApp) {
    let r = app
        .client()
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    let _ = app
        .client()
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("get");
    let m = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(m.contains("http_requests_total{"), "{m}");
    assert!(m.contains("route=\"/connexion\""));
    assert!(m.contains("http_request_duration_seconds_bucket"));
    assert!(m.contains("db_pool_connections{state=\"idle\"}"));
}

async fn health_says_503_when_the_database_is_gone(app: &TestApp) {
    app.db.conn.0.clone().close().await.expect("close");
    let r = app
        .client()
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 503);
}

async fn the_home_page_shows_real_counts_per_role(app: &TestApp) {
    app.demo().await;
    let admin = app.signed_in(ADMIN).await;
    let html = admin
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let accounts = refnum_db::accounts::count_all(&app.db.conn)
        .await
        .expect("count");
    assert!(
        html.contains(&format!("<span class=\"stat__value\">{accounts}</span>")),
        "admin sees the account count"
    );
    assert!(
        html.contains("<span class=\"stat__value\">2950</span>"),
        "pupils of the three schools"
    );
    let teacher = app.signed_in(TEACHER_B).await;
    let html = teacher
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("<span class=\"stat__value\">620</span>"),
        "the collège's pupils"
    );
    assert!(
        !html.contains(&format!("<span class=\"stat__value\">{accounts}</span>"))
            || accounts == 620
    );
    assert!(
        !html.contains("/admin\""),
        "no administration link for a teacher"
    );
}

async fn unknown_pages_are_404_pages(app: &TestApp) {
    let r = app
        .client()
        .get(app.url("/nulle-part"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
    assert!(r.text().await.expect("body").contains("Page introuvable"));
}

both_backends!(
    health_and_metrics,
    health_says_503_when_the_database_is_gone,
    the_home_page_shows_real_counts_per_role,
    unknown_pages_are_404_pages,
);
