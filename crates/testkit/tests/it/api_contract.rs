//! The API does what its document says (issue 13, item 6): the requests
//! schemathesis found accepted although the document forbids them are now
//! refused with a 422 naming the field, and the valid ones it found refused
//! are now accepted.

use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use serde_json::{Value, json};

async fn send(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, Value) {
    let r = app
        .client()
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .expect("send");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn assert_names(s: u16, e: &Value, field: &str, what: &str) {
    assert_eq!(s, 422, "{what}: {e}");
    assert_eq!(e["error"]["code"], "invalid", "{what}: {e}");
    assert_eq!(e["error"]["field"], field, "{what}: {e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(field)),
        "{what}: the message names the field: {e}"
    );
}

/// Query parameters: out of range, of the wrong type or unknown codes were
/// clamped, ignored or refused in plain text; now a 422 naming them.
async fn query_parameters_are_checked_and_named(app: &TestApp) {
    app.demo().await;
    let t = app.token_for(REFERENT_A).await;
    let a = app.etab_id(UAI_A).await;
    for (path, field) in [
        (
            "/api/v1/etablissements?per_page=500".to_string(),
            "per_page",
        ),
        ("/api/v1/etablissements?per_page=0".to_string(), "per_page"),
        ("/api/v1/support-organisations?page=0".to_string(), "page"),
        ("/api/v1/tickets?page=abc".to_string(), "page"),
        ("/api/v1/tickets?unusable=maybe".to_string(), "unusable"),
        ("/api/v1/tickets?status=lost".to_string(), "status"),
        ("/api/v1/tickets?sort=colour".to_string(), "sort"),
        (
            "/api/v1/me/bookings?etablissement_id=nope".to_string(),
            "etablissement_id",
        ),
        (
            "/api/v1/me/loans?etablissement_id=nope".to_string(),
            "etablissement_id",
        ),
        (
            format!("/api/v1/etablissements/{a}/assets?parent_id=nope"),
            "parent_id",
        ),
        (
            format!("/api/v1/etablissements/{a}/assets?per_page=201"),
            "per_page",
        ),
        (
            format!("/api/v1/etablissements/{a}/loans?borrower="),
            "borrower",
        ),
        ("/api/v1/tickets?page=1&page=2".to_string(), "page"),
    ] {
        let (s, e) = app.api_get(&t, &path).await;
        assert_names(s, &e, field, &path);
    }
    // The same parameters within the document's bounds are answered.
    for path in [
        "/api/v1/etablissements?per_page=200&page=1".to_string(),
        "/api/v1/tickets?status=all&unusable=false&sort=priority&order=asc".to_string(),
        format!("/api/v1/me/bookings?etablissement_id={a}"),
        format!("/api/v1/etablissements/{a}/assets?room_id=none&status=all&per_page=1"),
        format!("/api/v1/etablissements/{a}/loans?view=all&per_page=200"),
    ] {
        let (s, e) = app.api_get(&t, &path).await;
        assert_eq!(s, 200, "{path}: {e}");
    }
    let (_, page) = app.api_get(&t, "/api/v1/etablissements?per_page=200").await;
    assert_eq!(page["per_page"], 200);
}

/// Bodies: an array was read as an object, an unknown field ignored, a body
/// sent as text accepted; `12.0` seats refused.
async fn bodies_are_json_objects_with_documented_fields(app: &TestApp) {
    app.demo().await;
    let t = app.token_for(REFERENT_A).await;
    let a = app.etab_id(UAI_A).await;
    let json = "application/json";
    let post = reqwest::Method::POST;

    let (s, ticket) = app
        .api_post(
            &t,
            &format!("/api/v1/etablissements/{a}/tickets"),
            json!({ "title": "Imprimante en panne" }),
        )
        .await;
    assert_eq!(s, 201, "{ticket}");
    let tid = ticket["id"].as_str().expect("id");

    // An array is not a patch (it was applied as one and answered 200).
    let (s, e) = send(
        app,
        &t,
        reqwest::Method::PATCH,
        &format!("/api/v1/tickets/{tid}"),
        json,
        "[null, null]",
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["code"], "invalid");

    // A field the document does not have is refused, and named.
    let (s, e) = send(
        app,
        &t,
        post.clone(),
        &format!("/api/v1/etablissements/{a}/tickets"),
        json,
        r#"{"title": "Wifi", "colour": "red"}"#,
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("colour")),
        "{e}"
    );

    // A value of the wrong type names its field (it was a 400 without one).
    let (s, e) = send(
        app,
        &t,
        post.clone(),
        &format!("/api/v1/etablissements/{a}/tickets"),
        json,
        r#"{"title": "Wifi", "asset_id": ""}"#,
    )
    .await;
    assert_names(s, &e, "asset_id", "asset_id not a UUID");

    // A JSON body sent as text is not JSON.
    let (s, e) = send(
        app,
        &t,
        post.clone(),
        &format!("/api/v1/etablissements/{a}/rooms"),
        "text/plain",
        r#"{"name": "Salle 12"}"#,
    )
    .await;
    assert_eq!(s, 415, "{e}");
    assert_eq!(e["error"]["code"], "unsupported_media_type");
    let rooms_before = app
        .api_get(&t, &format!("/api/v1/etablissements/{a}/rooms"))
        .await
        .1["total"]
        .clone();

    // `12.0` is the integer 12 for JSON Schema: accepted (it was a 422).
    let (s, room) = send(
        app,
        &t,
        post.clone(),
        &format!("/api/v1/etablissements/{a}/rooms"),
        json,
        r#"{"name": "Salle 12", "capacity": 12.0}"#,
    )
    .await;
    assert_eq!(s, 201, "{room}");
    assert_eq!(room["capacity"], 12);
    let (_, rooms) = app
        .api_get(&t, &format!("/api/v1/etablissements/{a}/rooms"))
        .await;
    assert_eq!(
        rooms["total"].as_u64(),
        rooms_before.as_u64().map(|n| n + 1)
    );
    // But not 12.5, nor more seats than the document allows.
    for body in [
        r#"{"name": "Salle 13", "capacity": 12.5}"#,
        r#"{"name": "Salle 13", "capacity": 10001}"#,
    ] {
        let (s, e) = send(
            app,
            &t,
            post.clone(),
            &format!("/api/v1/etablissements/{a}/rooms"),
            json,
            body,
        )
        .await;
        assert_names(s, &e, "capacity", body);
    }
}

/// The upload's `internal` is a boolean and its fields are the documented
/// ones: `internal=maybe` was stored as false, an unknown field ignored.
async fn uploads_take_only_their_documented_fields(app: &TestApp) {
    app.demo().await;
    let t = app.token_for(REFERENT_A).await;
    let a = app.etab_id(UAI_A).await;
    let (_, ticket) = app
        .api_post(
            &t,
            &format!("/api/v1/etablissements/{a}/tickets"),
            json!({ "title": "Tableau sans son" }),
        )
        .await;
    let tid = ticket["id"].as_str().expect("id");
    let upload = |extra: Vec<(&'static str, &'static str)>| {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"Le son revient apres redemarrage.\n".to_vec())
                .file_name("notes.txt"),
        );
        for (k, v) in extra {
            form = form.text(k, v);
        }
        app.client()
            .post(app.url(&format!("/api/v1/tickets/{tid}/attachments")))
            .bearer_auth(&t)
            .multipart(form)
            .send()
    };
    let r = upload(vec![("internal", "maybe")]).await.expect("post");
    let s = r.status().as_u16();
    let e: Value = r.json().await.expect("json");
    assert_names(s, &e, "internal", "internal=maybe");
    let r = upload(vec![("colour", "red")]).await.expect("post");
    assert_eq!(r.status().as_u16(), 422);
    let (_, listed) = app
        .api_get(&t, &format!("/api/v1/tickets/{tid}/attachments"))
        .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "nothing stored");
    let r = upload(vec![("internal", "true"), ("comment", "Fichier joint")])
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 201);
    let (_, listed) = app
        .api_get(&t, &format!("/api/v1/tickets/{tid}/attachments"))
        .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    // Its download carries the type the document lists for it.
    let aid = listed[0]["id"].as_str().expect("id");
    let r = app
        .client()
        .get(app.url(&format!("/api/v1/tickets/{tid}/attachments/{aid}")))
        .bearer_auth(&t)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status().as_u16(), 200);
    let doc: Value = serde_json::from_str(&refnum_web::openapi_json()).expect("document");
    let listed_types =
        doc["paths"]["/api/v1/tickets/{ticket_id}/attachments/{attachment_id}"]["get"]["responses"]
            ["200"]["content"]
            .as_object()
            .expect("content types")
            .keys()
            .cloned()
            .collect::<Vec<_>>();
    let got = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(listed_types.contains(&got), "{got} in {listed_types:?}");
}

both_backends!(
    query_parameters_are_checked_and_named,
    bodies_are_json_objects_with_documented_fields,
    uploads_take_only_their_documented_fields,
);
