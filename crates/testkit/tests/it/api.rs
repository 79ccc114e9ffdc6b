use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};

async fn me_shows_the_account_and_its_memberships(app: &TestApp) {
    app.demo().await;
    let token = app.token_for(TEACHER_A).await;
    let r = app
        .client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let me: serde_json::Value = r.json().await.expect("json");
    assert_eq!(me["email"], TEACHER_A);
    let ms = me["memberships"].as_array().expect("array");
    assert_eq!(ms.len(), 2, "teaches in two schools");
    assert!(
        ms.iter()
            .all(|m| m["role"] == "enseignant" && m["scope"] == "etablissement")
    );
    let r = app
        .client()
        .get(app.url("/api/v1/etablissements"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    let list: serde_json::Value = r.json().await.expect("json");
    assert_eq!(list["total"], 2);
}

async fn bad_tokens_get_a_json_401(app: &TestApp) {
    app.demo().await;
    for auth in [
        None,
        Some("Bearer rfn_nimportequoi"),
        Some("Basic YWRtaW46YWRtaW4="),
    ] {
        let mut req = app.client().get(app.url("/api/v1/me"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let r = req.send().await.expect("get");
        assert_eq!(r.status(), 401);
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let r = app
        .client()
        .get(app.url("/api/v1/nothing"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");
}

async fn a_revoked_token_and_a_disabled_account_lose_access(app: &TestApp) {
    app.demo().await;
    // Created and revoked through the pages.
    let c = app.signed_in(REFERENT_B).await;
    let r = app
        .post_form(
            &c,
            "/compte/jetons",
            "/compte/jetons",
            &[("name", "inventaire")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    let start = html.find("id=\"new-token\">").expect("token shown") + "id=\"new-token\">".len();
    let token = html[start..].split('<').next().expect("token").to_string();
    assert!(token.starts_with("rfn_"));
    let ok = app
        .client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(ok.status(), 200);
    // The list no longer shows the secret.
    let list = c
        .get(app.url("/compte/jetons"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(!list.contains(&token));
    let id = refnum_db::accounts::tokens_of(&app.db.conn, app.account_id(REFERENT_B).await)
        .await
        .expect("list")[0]
        .id;
    let r = app
        .post_form(
            &c,
            "/compte/jetons",
            &format!("/compte/jetons/{id}/revoquer"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);

    let token = app.token_for(TEACHER_B).await;
    refnum_services::people::set_disabled(
        &app.db,
        &refnum_services::audit::Who::system("test"),
        app.account_id(TEACHER_B).await,
        true,
    )
    .await
    .expect("disable");
    let r = app
        .client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
}

both_backends!(
    me_shows_the_account_and_its_memberships,
    bad_tokens_get_a_json_401,
    a_revoked_token_and_a_disabled_account_lose_access,
);

/// The OpenAPI document is generated from the routes; this snapshot makes
/// every change to the API visible in review. Update with
/// `REFNUM_UPDATE_SNAPSHOTS=1 cargo test -p refnum-testkit openapi`.
#[test]
fn openapi_document_matches_the_snapshot() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let current = refnum_web::openapi_json();
    if std::env::var("REFNUM_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &current).expect("write snapshot");
    }
    let saved = std::fs::read_to_string(path).expect("docs/openapi.json exists");
    assert_eq!(
        saved, current,
        "the API changed: review it and update docs/openapi.json"
    );
    let doc: serde_json::Value = serde_json::from_str(&current).expect("json");
    for p in [
        "/api/v1/me",
        "/api/v1/etablissements",
        "/api/v1/etablissements/{id}",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_served_document_is_the_snapshot() {
    let app = refnum_testkit::TestApp::spawn(refnum_testkit::Backend::Sqlite)
        .await
        .expect("app");
    let served = app
        .client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert_eq!(served, refnum_web::openapi_json());
    app.finish().await;
}
