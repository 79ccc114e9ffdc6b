//! The support organisations' API: what each caller sees (as on the pages),
//! changes with the page form's validation (422 naming the field, nothing
//! changed), the contract's targets and calendar, audit, 403 and 404.

use refnum_db::entities::audit_event;
use refnum_db::entities::support::support_organisation;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const ACADEMIC: &str = "Assistance académique de Normandie";
/// Serves school B only.
const PROVIDER_B: &str = "Calvados Informatique Services";

async fn org_by_name(app: &TestApp, name: &str) -> support_organisation::Model {
    support_organisation::Entity::find()
        .filter(support_organisation::Column::Name.eq(name))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("organisation exists")
}

async fn audit_count(app: &TestApp, action: &str, target: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .filter(audit_event::Column::Target.eq(target))
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut rb = app
        .client()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.expect("request");
    let status = r.status().as_u16();
    let text = r.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["name"].as_str().map(str::to_string))
        .collect()
}

async fn organisations_are_listed_and_read_as_on_the_pages(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let academic = org_by_name(app, ACADEMIC).await;
    let provider_b = org_by_name(app, PROVIDER_B).await;
    let ra = app.token_for(REFERENT_A).await;
    let ta = app.token_for(TEACHER_A).await;
    let admin = app.token_for(ADMIN).await;
    let get = reqwest::Method::GET;

    // Referent A: the académie's assistance, not school B's provider.
    let (s, page) = call(app, get.clone(), "/api/v1/support-organisations", &ra, None).await;
    assert_eq!(s, 200);
    let seen = names(&page);
    assert!(seen.iter().any(|n| n == ACADEMIC), "{seen:?}");
    assert!(!seen.iter().any(|n| n == PROVIDER_B), "{seen:?}");
    assert_eq!(page["total"].as_u64(), Some(seen.len() as u64));
    // A teacher handles no ticket of the school: no organisation.
    let (s, page) = call(app, get.clone(), "/api/v1/support-organisations", &ta, None).await;
    assert_eq!(s, 200);
    assert_eq!(page["total"], 0);
    // The admin sees every one, paged and searched.
    let all = support_organisation::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count");
    let (_, page) = call(
        app,
        get.clone(),
        "/api/v1/support-organisations?per_page=1&page=2",
        &admin,
        None,
    )
    .await;
    assert_eq!(page["total"].as_u64(), Some(all));
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["page"], 2);
    let (_, page) = call(
        app,
        get.clone(),
        "/api/v1/support-organisations?q=calvados",
        &admin,
        None,
    )
    .await;
    assert_eq!(names(&page), [PROVIDER_B]);

    // One organisation: kind, contact, served schools known to the caller,
    // targets, calendar; read-only for referent A (it serves other schools).
    let (s, org) = call(
        app,
        get.clone(),
        &format!("/api/v1/support-organisations/{}", academic.id),
        &ra,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(org["name"], ACADEMIC);
    assert_eq!(org["kind"], academic.kind);
    let served: Vec<&str> = org["serves"]
        .as_array()
        .expect("serves")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(served, [a.to_string().as_str()]);
    assert!(org["serves_others"].as_u64().expect("count") >= 1);
    assert_eq!(org["calendar"]["days"].as_array().map(Vec::len), Some(7));
    assert!(org["targets"].is_array());
    assert_eq!(org["can_edit"], false);

    // Another scope's organisation: 404, as for one that does not exist.
    for (token, id) in [
        (&ra, provider_b.id),
        (&ta, academic.id),
        (&ra, Uuid::now_v7()),
    ] {
        let (s, e) = call(
            app,
            get.clone(),
            &format!("/api/v1/support-organisations/{id}"),
            token,
            None,
        )
        .await;
        assert_eq!(s, 404, "{id}");
        assert_eq!(e["error"]["code"], "not_found");
    }
    let (s, _) = call(
        app,
        get,
        "/api/v1/support-organisations/not-an-id",
        &ra,
        None,
    )
    .await;
    assert_eq!(s, 404);
}

async fn organisations_change_with_the_form_checks_or_not_at_all(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let academic = org_by_name(app, ACADEMIC).await;
    let provider_b = org_by_name(app, PROVIDER_B).await;
    let ra = app.token_for(REFERENT_A).await;
    let rb = app.token_for(REFERENT_B).await;
    let patch = reqwest::Method::PATCH;
    let path_b = format!("/api/v1/support-organisations/{}", provider_b.id);
    let target_b = format!("support_organisation:{}", provider_b.id);

    // Out of scope: 404, nothing changed; seen but not theirs: 403.
    let (s, _) = call(
        app,
        patch.clone(),
        &path_b,
        &ra,
        Some(json!({ "name": "Piraté" })),
    )
    .await;
    assert_eq!(s, 404);
    let (s, e) = call(
        app,
        patch.clone(),
        &format!("/api/v1/support-organisations/{}", academic.id),
        &ra,
        Some(json!({ "name": "Piraté" })),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(e["error"]["code"], "forbidden");
    assert_eq!(org_by_name(app, PROVIDER_B).await, provider_b);
    assert_eq!(org_by_name(app, ACADEMIC).await, academic);

    // Bad fields, together with good ones: 422 naming a field, nothing
    // changed (neither the organisation, nor its targets, nor its audit).
    for (body, field) in [
        (
            json!({ "contact_name": "Nouveau nom", "contact_email": "pas-une-adresse" }),
            "contact_email",
        ),
        (json!({ "website": "javascript:alert(1)" }), "website"),
        (json!({ "contact_phone": "appelez-moi" }), "contact_phone"),
        (json!({ "kind": "magicien" }), "kind"),
        (json!({ "name": "" }), "name"),
        (
            json!({ "kind": "collectivite", "collectivite_id": "" }),
            "collectivite_id",
        ),
        // School B's referent does not manage school A.
        (
            json!({ "serves": [b.to_string(), a.to_string()] }),
            "serves",
        ),
        (
            json!({
                "contact_name": "Nouveau nom",
                "targets": [{ "priority": "p1", "response_minutes": 120, "resolution_minutes": 60 }]
            }),
            "resolution_p1",
        ),
        (
            json!({ "targets": [{ "priority": "p9", "response_minutes": 1, "resolution_minutes": 2 }] }),
            "targets",
        ),
        (
            json!({ "targets": [{ "priority": "p2", "response_minutes": 0, "resolution_minutes": 60 }] }),
            "response_p2",
        ),
        (
            json!({ "calendar": { "days": [["12:00-08:00"], [], [], [], [], [], []] } }),
            "day_0",
        ),
        (
            json!({ "calendar": { "days": [[], [], [], [], [], [], []], "closed": ["2026-02-30"] } }),
            "closed",
        ),
        (
            json!({ "calendar": { "days": [["08:00-12:00"]] } }),
            "calendar",
        ),
    ] {
        let (s, e) = call(app, patch.clone(), &path_b, &rb, Some(body.clone())).await;
        assert_eq!(s, 422, "{body}");
        assert_eq!(e["error"]["field"], field, "{body}: {e}");
    }
    let (s, e) = call(
        app,
        patch.clone(),
        &path_b,
        &rb,
        Some(json!({ "nom": "x" })),
    )
    .await;
    assert_eq!(s, 422, "unknown field: {e}");
    assert_eq!(
        org_by_name(app, PROVIDER_B).await,
        provider_b,
        "nothing changed"
    );
    assert!(
        refnum_db::support::org_targets(&app.db.conn, provider_b.id)
            .await
            .expect("targets")
            .is_empty()
    );
    assert_eq!(
        audit_count(app, "support_organisation.updated", &target_b).await,
        0
    );

    // A good change: the fields, the targets and the calendar at once,
    // audited like the pages' forms.
    let (s, org) = call(
        app,
        patch.clone(),
        &path_b,
        &rb,
        Some(json!({
            "contact_name": "Camille Martin",
            "contact_email": "Support@Calvados-Info.example",
            "website": "https://calvados-info.example",
            "targets": [
                { "priority": "p1", "response_minutes": 60, "resolution_minutes": 480 },
                { "priority": "p3", "response_minutes": 240, "resolution_minutes": 2400 }
            ],
            "calendar": {
                "days": [["08:00-12:00", "13:30-17:30"], ["8h-12h"], [], [], ["09:00-12:00"], [], []],
                "closed": ["2026-12-25"]
            }
        })),
    )
    .await;
    assert_eq!(s, 200, "{org}");
    assert_eq!(org["contact_email"], "support@calvados-info.example");
    assert_eq!(org["contact_name"], "Camille Martin");
    assert_eq!(org["name"], PROVIDER_B, "missing fields are kept");
    assert_eq!(
        org["targets"],
        json!([
            { "priority": "p1", "response_minutes": 60, "resolution_minutes": 480 },
            { "priority": "p3", "response_minutes": 240, "resolution_minutes": 2400 }
        ])
    );
    assert_eq!(
        org["calendar"]["days"][0],
        json!(["08:00-12:00", "13:30-17:30"])
    );
    assert_eq!(org["calendar"]["days"][1], json!(["08:00-12:00"]));
    assert_eq!(org["calendar"]["closed"], json!(["2026-12-25"]));
    assert_eq!(org["can_edit"], true);
    let stored = org_by_name(app, PROVIDER_B).await;
    assert_eq!(
        stored.website.as_deref(),
        Some("https://calvados-info.example")
    );
    assert!(stored.calendar.is_some());
    assert_eq!(
        refnum_db::orgs::served_by(&app.db.conn, provider_b.id)
            .await
            .expect("served"),
        vec![b]
    );
    for action in [
        "support_organisation.updated",
        "support.targets_updated",
        "support.calendar_updated",
    ] {
        assert_eq!(audit_count(app, action, &target_b).await, 1, "{action}");
    }
    // An empty string clears an optional field; the targets stay.
    let (s, org) = call(app, patch, &path_b, &rb, Some(json!({ "website": "" }))).await;
    assert_eq!(s, 200);
    assert!(org["website"].is_null());
    assert_eq!(org["targets"].as_array().map(Vec::len), Some(2));
}

async fn organisations_are_created_by_the_schools_managers(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let ra = app.token_for(REFERENT_A).await;
    let ta = app.token_for(TEACHER_A).await;
    let post = reqwest::Method::POST;
    let count = || async {
        support_organisation::Entity::find()
            .count(&app.db.conn)
            .await
            .expect("count")
    };
    let before = count().await;
    // A teacher may not; a referent not for another school; nothing stored.
    let (s, _) = call(
        app,
        post.clone(),
        "/api/v1/support-organisations",
        &ta,
        Some(json!({ "name": "Réparations Express", "kind": "private_provider", "serves": [a] })),
    )
    .await;
    assert_eq!(s, 403);
    let (s, e) = call(
        app,
        post.clone(),
        "/api/v1/support-organisations",
        &ra,
        Some(json!({ "name": "Réparations Express", "kind": "private_provider", "serves": [b] })),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "serves");
    let (s, e) = call(
        app,
        post.clone(),
        "/api/v1/support-organisations",
        &ra,
        Some(json!({ "kind": "private_provider", "serves": [a] })),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "name");
    assert_eq!(count().await, before);
    // Created with its contract; the same name again is a field error.
    let (s, org) = call(
        app,
        post.clone(),
        "/api/v1/support-organisations",
        &ra,
        Some(json!({
            "name": "Réparations Express",
            "kind": "private_provider",
            "contact_phone": "02 31 00 00 00",
            "serves": [a],
            "targets": [{ "priority": "p2", "response_minutes": 60, "resolution_minutes": 600 }]
        })),
    )
    .await;
    assert_eq!(s, 201, "{org}");
    assert_eq!(org["serves"][0]["id"], a.to_string());
    assert_eq!(org["targets"][0]["priority"], "p2");
    let id = org["id"].as_str().expect("id");
    assert_eq!(
        audit_count(
            app,
            "support_organisation.created",
            &format!("support_organisation:{id}")
        )
        .await,
        1
    );
    let (s, e) = call(
        app,
        post,
        "/api/v1/support-organisations",
        &ra,
        Some(json!({ "name": "Réparations Express", "kind": "publisher", "serves": [a] })),
    )
    .await;
    assert_eq!(s, 409, "a name already used");
    assert_eq!(e["error"]["field"], "name");
    assert_eq!(count().await, before + 1);
    // School B's referent does not see it.
    let rb = app.token_for(REFERENT_B).await;
    let (s, _) = call(
        app,
        reqwest::Method::GET,
        &format!("/api/v1/support-organisations/{id}"),
        &rb,
        None,
    )
    .await;
    assert_eq!(s, 404);
}

both_backends!(
    organisations_are_listed_and_read_as_on_the_pages,
    organisations_change_with_the_form_checks_or_not_at_all,
    organisations_are_created_by_the_schools_managers,
);
