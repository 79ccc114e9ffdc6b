//! The mission letters' API: a referent drafts a letter with a bound and a
//! typed indicator, reads it back with the bound one's value now, changes
//! the draft; bad values are refused naming the part, nothing written; a
//! signed letter answers 409 to a change; another school's letters are not
//! found, a teacher may not write them.

use refnum_db::pilotage as q;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use serde_json::{Value, json};

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app
        .client()
        .put(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("put");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn letters_are_drafted_read_and_scoped_through_the_api(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let referent = app.account_id(REFERENT_A).await;
    let t = app.token_for(REFERENT_A).await;
    let base = format!("/api/v1/etablissements/{a}/mission-letters");
    let body = json!({
        "school_year": "2026-2027",
        "text": "Priorités : l'ENT.",
        "referents": [{"account_id": referent, "remuneration": "imp", "rate_cents": 125000, "share": "1/2"}],
        "missions": [{"axis": "accompagnement", "label": "Café numérique"}],
        "indicators": [
            {"label": "Prêts en retard", "source": "loans_overdue", "target": 0},
            {"label": "Enseignants formés", "source": "manual", "unit": "count", "target": 20, "baseline": 6}
        ]
    });

    // A percentage over 100 is refused, naming the part; nothing written.
    let mut bad = body.clone();
    bad["indicators"][1]["unit"] = json!("percent");
    bad["indicators"][1]["target"] = json!(120);
    let (status, err) = app.api_post(&t, &base, bad).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "indicators");
    assert!(q::letters_of(&app.db.conn, a).await.expect("q").is_empty());

    let (status, made) = app.api_post(&t, &base, body.clone()).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["status"], "draft");
    assert_eq!(made["referents"][0]["yearly_cents"], 62500);
    assert_eq!(made["indicators"][0]["source"], "loans_overdue");
    assert!(
        made["indicators"][0]["current_value"].is_number(),
        "a count now"
    );
    assert!(made["indicators"][1]["current_value"].is_null());
    let id = made["id"].as_str().expect("id").to_string();

    // The same year twice: refused.
    let (status, _) = app.api_post(&t, &base, body.clone()).await;
    assert_eq!(status, 422);

    // The draft changes; read back from the database.
    let mut changed = body.clone();
    changed
        .as_object_mut()
        .expect("object")
        .remove("school_year");
    changed["indicators"][1]["target"] = json!(25.5);
    let (status, v) = put(app, &t, &format!("{base}/{id}"), changed.clone()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["indicators"][1]["target"], 25.5);
    let parts = q::parts_of(&app.db.conn, id.parse().expect("uuid"))
        .await
        .expect("parts");
    assert_eq!(parts.indicators[1].target, 25_500);
    let (status, listed) = app.api_get(&t, &base).await;
    assert_eq!(status, 200);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    // Proposed, it no longer changes: 409, nothing written.
    let head = refnum_services::Ctx::load(
        &app.db,
        refnum_db::accounts::get_by_email(&app.db.conn, DIRECTION_A)
            .await
            .expect("q")
            .expect("head"),
        None,
    )
    .await
    .expect("ctx");
    refnum_services::pilotage::lettres::step(
        &app.db,
        &head,
        a,
        id.parse().expect("uuid"),
        refnum_domain::pilotage::lettre::LetterStep::Propose,
    )
    .await
    .expect("proposed");
    changed["indicators"][1]["target"] = json!(30);
    let (status, _) = put(app, &t, &format!("{base}/{id}"), changed.clone()).await;
    assert_eq!(status, 409);
    let parts = q::parts_of(&app.db.conn, id.parse().expect("uuid"))
        .await
        .expect("parts");
    assert_eq!(parts.indicators[1].target, 25_500);

    // Another school's referent: not found; a teacher: may not write.
    let other = app.token_for(REFERENT_B).await;
    assert_eq!(app.api_get(&other, &base).await.0, 404);
    assert_eq!(app.api_get(&other, &format!("{base}/{id}")).await.0, 404);
    let teacher = app.token_for(TEACHER_A).await;
    let mut next = body.clone();
    next["school_year"] = json!("2027-2028");
    assert_eq!(app.api_post(&teacher, &base, next).await.0, 403);
    // The DANE reads no draft.
    let dane = app.token_for(DANE).await;
    assert_eq!(app.api_get(&dane, &format!("{base}/{id}")).await.0, 404);
}

both_backends!(letters_are_drafted_read_and_scoped_through_the_api);
