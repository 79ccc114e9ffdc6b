//! The tickets' API beyond the basics: a PATCH is all or nothing (one
//! transaction, or nothing changed), and attachments with the page's checks
//! and visibility.

use refnum_db::entities::assistance::{notification, ticket, ticket_attachment, ticket_event};
use refnum_db::entities::audit_event;
use refnum_domain::ticket::{Level, priority};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const ASSISTANCE_ORG: &str = "Assistance académique de Normandie";

async fn org_named(app: &TestApp, name: &str) -> Uuid {
    refnum_db::orgs::list_organisations(&app.db.conn)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.name == name)
        .expect("organisation")
        .id
}

async fn get_ticket(app: &TestApp, id: Uuid) -> ticket::Model {
    ticket::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("ticket")
}

/// Ticket events, notifications and audit events of a ticket.
async fn traces(app: &TestApp, id: Uuid) -> (u64, u64, u64) {
    let c = &app.db.conn;
    let events = ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(id))
        .count(c)
        .await
        .expect("count");
    let notes = notification::Entity::find()
        .filter(notification::Column::TicketId.eq(id))
        .count(c)
        .await
        .expect("count");
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Target.eq(format!("ticket:{id}")))
        .filter(audit_event::Column::Outcome.eq("ok"))
        .count(c)
        .await
        .expect("count");
    (events, notes, audit)
}

async fn new_ticket(app: &TestApp, token: &str, etab: Uuid, title: &str) -> Uuid {
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/etablissements/{etab}/tickets")))
        .bearer_auth(token)
        .json(&json!({ "title": title, "category": "printer" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.expect("json");
    Uuid::parse_str(t["id"].as_str().expect("id")).expect("uuid")
}

async fn patch(app: &TestApp, token: &str, id: Uuid, body: Value) -> (u16, Value) {
    let r = app
        .client()
        .patch(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("patch");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn a_refused_patch_changes_nothing(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.token_for(TEACHER_A).await;
    let referent = app.token_for(REFERENT_A).await;
    let outsider = app.token_for(REFERENT_B).await;
    let org = org_named(app, ASSISTANCE_ORG).await;
    let me = app.account_id(REFERENT_A).await;
    let stranger = app.account_id(TEACHER_B).await;
    let id = new_ticket(app, &teacher, a, "Imprimante bloquée").await;
    let before = get_ticket(app, id).await;
    let traces_before = traces(app, id).await;

    // Escalation, assignment, priority and an illegal status (escalated →
    // closed): 409, and none of the earlier changes stays.
    let (s, e) = patch(
        app,
        &referent,
        id,
        json!({
            "organisation_id": org,
            "external_ref": "GLPI-1",
            "assignee_id": me.to_string(),
            "urgency": "high",
            "impact": "high",
            "status": "closed"
        }),
    )
    .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "conflict");
    assert_eq!(e["error"]["field"], "status");
    // Bad values with good ones: 422 naming the field.
    for (body, field) in [
        (
            json!({ "organisation_id": org, "urgency": "énorme" }),
            "urgency",
        ),
        (
            json!({ "organisation_id": org, "assignee_id": stranger.to_string() }),
            "assignee_id",
        ),
        (
            json!({ "assignee_id": me.to_string(), "organisation_id": Uuid::now_v7() }),
            "organisation_id",
        ),
        (
            json!({ "assignee_id": me.to_string(), "status": "en cours" }),
            "status",
        ),
        (json!({ "urgency": "high", "unusable": true }), "unusable"),
        (
            json!({ "assignee_id": me.to_string(), "external_ref": "x".repeat(101) }),
            "external_ref",
        ),
    ] {
        let (s, e) = patch(app, &referent, id, body.clone()).await;
        assert_eq!(s, 422, "{body}: {e}");
        assert_eq!(e["error"]["field"], field, "{body}");
    }
    // A change the requester may not make, with one they may: 403.
    let (s, _) = patch(
        app,
        &teacher,
        id,
        json!({ "external_ref": "REF", "assignee_id": "" }),
    )
    .await;
    assert_eq!(s, 403);
    // Another school: 404.
    let (s, _) = patch(
        app,
        &outsider,
        id,
        json!({ "organisation_id": org, "status": "waiting" }),
    )
    .await;
    assert_eq!(s, 404);

    let after = get_ticket(app, id).await;
    assert_eq!(after, before, "the ticket is unchanged");
    assert_eq!(after.assignee_id, None);
    assert_eq!(after.assigned_org_id, None);
    assert_eq!(after.priority, before.priority);
    assert_eq!(
        traces(app, id).await,
        traces_before,
        "no event, notification nor audit"
    );
}

async fn a_combined_patch_applies_everything_at_once(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.token_for(TEACHER_A).await;
    let referent = app.token_for(REFERENT_A).await;
    let tech = app.token_for(TECH).await;
    let org = org_named(app, ASSISTANCE_ORG).await;
    let me = app.account_id(REFERENT_A).await;
    let id = new_ticket(app, &teacher, a, "Imprimante bloquée").await;
    let (events0, notes0, audit0) = traces(app, id).await;

    let (s, t) = patch(
        app,
        &referent,
        id,
        json!({
            "organisation_id": org,
            "external_ref": "GLPI-2",
            "assignee_id": me.to_string(),
            "urgency": "high",
            "impact": "high",
            "status": "waiting"
        }),
    )
    .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["status"], "waiting");
    assert_eq!(t["assigned_org_id"], org.to_string());
    assert_eq!(t["external_ref"], "GLPI-2");
    assert_eq!(t["assignee_id"], me.to_string());
    let expected = priority(Level::High, Level::High, false)
        .as_str()
        .to_string();
    assert_eq!(t["priority"], expected);
    let stored = get_ticket(app, id).await;
    assert_eq!(stored.status, "waiting");
    assert!(stored.escalated_at.is_some() && stored.taken_at.is_some());
    // One history row and one audit event per step: escalated, assigned,
    // priority, status.
    let mut kinds: Vec<String> = ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(id))
        .filter(ticket_event::Column::Kind.ne("created"))
        .all(&app.db.conn)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.kind)
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["assigned", "escalated", "priority", "status"]);
    let (events1, notes1, audit1) = traces(app, id).await;
    assert_eq!(events1, events0 + 4);
    assert_eq!(audit1, audit0 + 4);
    assert!(notes1 > notes0, "the provider and the requester are told");
    // The provider's technician now has it, and works on it.
    let (s, t) = patch(app, &tech, id, json!({ "status": "resolved" })).await;
    assert_eq!(s, 200);
    assert_eq!(t["status"], "resolved");
    // Escalating also sets the status: asking for `escalated` with it is no
    // second step.
    let other = new_ticket(app, &teacher, a, "Vidéoprojecteur").await;
    let (s, t) = patch(
        app,
        &referent,
        other,
        json!({ "organisation_id": org, "status": "escalated" }),
    )
    .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["status"], "escalated");

    // Two identical changes at the same time: one applies, the other is a
    // conflict (from the transition, or from the ticket changed meanwhile).
    let third = new_ticket(app, &teacher, a, "Souris").await;
    let (r1, r2) = tokio::join!(
        patch(app, &referent, third, json!({ "status": "taken" })),
        patch(app, &referent, third, json!({ "status": "taken" })),
    );
    let mut statuses = [r1.0, r2.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let status_steps = ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(third))
        .filter(ticket_event::Column::Kind.eq("status"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(status_steps, 1);
}

fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend_from_slice(&[0, 0, 0, 13, b'I', b'H', b'D', b'R']);
    v.extend(std::iter::repeat_n(7u8, 200));
    v
}

async fn upload(
    app: &TestApp,
    token: &str,
    id: Uuid,
    name: &str,
    bytes: Vec<u8>,
    internal: bool,
) -> (u16, Value) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    if internal {
        form = form
            .text("internal", "true")
            .text("comment", "Pour l'équipe");
    }
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/tickets/{id}/attachments")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("post");
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("get")
}

async fn attachment_count(app: &TestApp, id: Uuid) -> u64 {
    ticket_attachment::Entity::find()
        .filter(ticket_attachment::Column::TicketId.eq(id))
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn attachments_go_through_the_api_with_the_pages_checks(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let teacher = app.token_for(TEACHER_A).await;
    let referent = app.token_for(REFERENT_A).await;
    let id = new_ticket(app, &teacher, a, "Écran noir").await;
    let base = format!("/api/v1/tickets/{id}/attachments");

    // The requester sends a picture; the referent an internal note.
    let (s, photo) = upload(app, &teacher, id, "photo.png", png(), false).await;
    assert_eq!(s, 201, "{photo}");
    assert_eq!(photo["content_type"], "image/png");
    assert_eq!(photo["file_name"], "photo.png");
    assert_eq!(photo["size"], png().len());
    let (s, note) = upload(
        app,
        &referent,
        id,
        "C:\\notes\\note.txt",
        b"Chargeur sans doute vole".to_vec(),
        true,
    )
    .await;
    assert_eq!(s, 201, "{note}");
    assert_eq!(note["file_name"], "note.txt");
    assert_eq!(note["content_type"], "text/plain");
    // Larger than the default body limit, within the 10 MiB: accepted.
    let (s, big) = upload(
        app,
        &referent,
        id,
        "journal.txt",
        vec![b'a'; 3 * 1024 * 1024],
        false,
    )
    .await;
    assert_eq!(s, 201, "{big}");
    let (photo_id, note_id) = (
        photo["id"].as_str().expect("id").to_string(),
        note["id"].as_str().expect("id").to_string(),
    );

    // Lists: the requester does not see the internal note.
    let ids = |v: Value| -> Vec<String> {
        v.as_array()
            .expect("array")
            .iter()
            .filter_map(|x| x["id"].as_str().map(str::to_string))
            .collect()
    };
    let r = get(app, &teacher, &base).await;
    assert_eq!(r.status(), 200);
    let seen = ids(r.json().await.expect("json"));
    assert!(
        seen.contains(&photo_id) && !seen.contains(&note_id),
        "{seen:?}"
    );
    let seen = ids(get(app, &referent, &base).await.json().await.expect("json"));
    assert!(
        seen.contains(&photo_id) && seen.contains(&note_id),
        "{seen:?}"
    );

    // Downloads, through the policy.
    let r = get(app, &teacher, &format!("{base}/{photo_id}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment;")
    );
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), png());
    let r = get(app, &teacher, &format!("{base}/{note_id}")).await;
    assert_eq!(r.status(), 404, "internal note hidden from the requester");
    let r = get(app, &referent, &format!("{base}/{note_id}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.bytes().await.expect("bytes").to_vec(),
        b"Chargeur sans doute vole".to_vec()
    );
    // Through another ticket's path: 404.
    let other = new_ticket(app, &teacher, a, "Clavier").await;
    let r = get(
        app,
        &referent,
        &format!("/api/v1/tickets/{other}/attachments/{photo_id}"),
    )
    .await;
    assert_eq!(r.status(), 404);

    // Wrong types whatever their name, no file, too big, internal from the
    // requester: refused, nothing stored.
    let stored = attachment_count(app, id).await;
    for (name, bytes) in [
        (
            "photo.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        (
            "photo.png",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00".to_vec(),
        ),
        ("vide.txt", vec![]),
    ] {
        let (s, e) = upload(app, &teacher, id, name, bytes, false).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["field"], "file");
    }
    let form = reqwest::multipart::Form::new().text("comment", "sans fichier");
    let r = app
        .client()
        .post(app.url(&base))
        .bearer_auth(&teacher)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 422);
    let (s, e) = upload(
        app,
        &teacher,
        id,
        "gros.txt",
        vec![b'a'; 10 * 1024 * 1024 + 10],
        false,
    )
    .await;
    assert_eq!(s, 413, "{e}");
    let (s, _) = upload(app, &teacher, id, "n.txt", b"interne".to_vec(), true).await;
    assert_eq!(s, 403);
    assert_eq!(
        attachment_count(app, id).await,
        stored,
        "nothing more stored"
    );

    // Another school's people: 404 on every attachment route.
    for who in [TEACHER_B, REFERENT_B, TECH] {
        let t = app.token_for(who).await;
        let (s, _) = upload(app, &t, id, "p.png", png(), false).await;
        assert_eq!(s, 404, "{who} upload");
        for path in [base.clone(), format!("{base}/{photo_id}")] {
            let r = get(app, &t, &path).await;
            assert_eq!(r.status(), 404, "{who} {path}");
        }
    }
    assert_eq!(attachment_count(app, id).await, stored);
}

both_backends!(
    a_refused_patch_changes_nothing,
    a_combined_patch_applies_everything_at_once,
    attachments_go_through_the_api_with_the_pages_checks,
);
