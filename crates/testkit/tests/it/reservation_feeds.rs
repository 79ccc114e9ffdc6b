//! iCalendar feeds of the bookings: created from a resource's week and from
//! "my bookings", served without a session with the right headers and
//! content (UTC times, tentative when pending), revoked and regenerated
//! (the old URL answers 404), refused for another school's resource, 404
//! for a disabled creator; the token never shows in the metrics.

use super::reservations::{home, page, post_booking, res, resource_of, setup, slot_of};
use refnum_db::entities::audit_event;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

fn mine(etab: Uuid) -> String {
    format!("{}/mes-reservations", home(etab))
}

/// Creates a feed from `from` by posting to `action`; returns the feed's
/// path (from the URL shown once).
async fn create_feed(app: &TestApp, c: &reqwest::Client, from: &str, action: &str) -> String {
    let r = app.post_form(c, from, action, &[]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    let at = html.find("id=\"feed-url\"").expect("the feed URL field");
    let v = html[at..].find("value=\"").expect("value") + at + 7;
    let end = html[v..].find('"').expect("end") + v;
    let url = html[v..end].replace("&#x2f;", "/").replace("&#47;", "/");
    assert!(url.starts_with("http"), "absolute: {url}");
    let path = &url[url.find("/agenda/").expect("feed path")..];
    assert!(path.ends_with("/reservations.ics"));
    let token = path
        .trim_start_matches("/agenda/")
        .trim_end_matches("/reservations.ics");
    assert!(token.len() >= 22, "at least 128 bits: {token}");
    path.to_string()
}

/// Fetches a feed without any session.
async fn fetch(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let r = app.client().get(app.url(path)).send().await.expect("feed");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.expect("body"))
}

fn utc_of(day: &str, minutes: i32) -> String {
    // January: Paris is UTC+1.
    let m = minutes - 60;
    format!("{day}T{:02}{:02}00Z", m / 60, m % 60)
}

async fn audit_actions(app: &TestApp, etab: Uuid) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::EtablissementId.eq(etab))
        .filter(audit_event::Column::Action.starts_with("booking-feed."))
        .all(&app.db.conn)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn a_resource_feed_lists_its_bookings_until_it_is_revoked(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let room = resource_of(app, a, "Salle informatique 101").await;
    let cdi = resource_of(app, a, "CDI").await;
    let m2 = slot_of(app, a, "M2").await;
    let m3 = slot_of(app, a, "M3").await;
    let (m2_id, m3_id) = (m2.id.to_string(), m3.id.to_string());
    for (r, day, slot) in [
        (room.id, "2027-01-12", &m2_id),
        (cdi.id, "2027-01-13", &m3_id),
    ] {
        let resp = post_booking(
            app,
            &teacher,
            a,
            r,
            &[("day", day), ("slot_from", slot), ("note", "Sciences")],
        )
        .await;
        assert_eq!(resp.status(), 303);
    }

    // No feed yet: the week offers to create one.
    let week = page(app, &referent, &res(a, room.id)).await;
    assert!(week.contains("resa-feed-title"));
    assert!(week.contains("Aucun abonnement actif."));
    let feed_action = format!("{}/agenda", res(a, room.id));
    let path = create_feed(app, &referent, &res(a, room.id), &feed_action).await;
    let week = page(app, &referent, &res(a, room.id)).await;
    assert!(week.contains("Abonnement actif, créé le"));
    assert!(
        !week.contains(path.trim_end_matches("/reservations.ics")),
        "shown once only"
    );

    let (status, headers, body) = fetch(app, &path).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers.get("set-cookie").is_none(), "no session for a feed");
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(body.contains("X-WR-CALNAME:Réservations — Salle informatique 101\r\n"));
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 1, "{body}");
    assert!(body.contains(&format!("DTSTART:{}\r\n", utc_of("20270112", m2.start_min))));
    assert!(body.contains(&format!("DTEND:{}\r\n", utc_of("20270112", m2.end_min))));
    assert!(body.contains("LOCATION:Salle informatique 101\r\n"));
    assert!(body.contains("STATUS:CONFIRMED\r\n"));
    // The referent may see the school's people: the teacher is named.
    let teacher_name = refnum_db::accounts::get(&app.db.conn, app.account_id(TEACHER_A).await)
        .await
        .expect("account")
        .expect("teacher")
        .display_name;
    let unfolded = body.replace("\r\n ", "");
    assert!(
        unfolded.contains(&format!("SUMMARY:Salle informatique 101 — {teacher_name}")),
        "{unfolded}"
    );
    // The same UID on every fetch.
    let uid = unfolded
        .lines()
        .find(|l| l.starts_with("UID:"))
        .expect("uid")
        .to_string();
    let (_, _, again) = fetch(app, &path).await;
    assert!(again.replace("\r\n ", "").contains(&uid));

    // The CDI's booking waits for approval: tentative.
    let cdi_path = create_feed(
        app,
        &teacher,
        &res(a, cdi.id),
        &format!("{}/agenda", res(a, cdi.id)),
    )
    .await;
    let (status, _, body) = fetch(app, &cdi_path).await;
    assert_eq!(status, 200);
    assert!(body.contains("STATUS:TENTATIVE\r\n"), "{body}");

    // Regenerated: the old URL is gone, the new one works.
    let new_path = create_feed(app, &referent, &res(a, room.id), &feed_action).await;
    assert_ne!(new_path, path);
    assert_eq!(fetch(app, &path).await.0, 404);
    assert_eq!(fetch(app, &new_path).await.0, 200);
    // Revoked: 404, the same answer as an unknown token.
    let r = app
        .post_form(
            &referent,
            &res(a, room.id),
            &format!("{feed_action}/revoquer"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (status, headers, _) = fetch(app, &new_path).await;
    assert_eq!(status, 404);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(fetch(app, "/agenda/inconnu/reservations.ics").await.0, 404);
    // Nothing left to revoke.
    let r = app
        .post_form(
            &referent,
            &res(a, room.id),
            &format!("{feed_action}/revoquer"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);
    let actions = audit_actions(app, a).await;
    assert_eq!(
        actions
            .iter()
            .filter(|x| *x == "booking-feed.created")
            .count(),
        3
    );
    assert_eq!(
        actions
            .iter()
            .filter(|x| *x == "booking-feed.revoked")
            .count(),
        1
    );

    // The metrics name the route, never the token.
    let m = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(
        m.contains("route=\"/agenda/{token}/reservations.ics\""),
        "{m}"
    );
    for p in [&path, &new_path, &cdi_path] {
        let token = p
            .trim_start_matches("/agenda/")
            .trim_end_matches("/reservations.ics");
        assert!(!m.contains(token));
    }
}

async fn my_feed_lists_what_i_booked_or_what_was_booked_for_me(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let teacher_id = app.account_id(TEACHER_A).await.to_string();
    let cart = resource_of(app, a, "T-CHAR-01").await;
    let room = resource_of(app, a, "Salle informatique 101").await;
    let m1 = slot_of(app, a, "M1").await.id.to_string();
    // One booked by the teacher, one booked for the teacher by the referent,
    // one of the referent's own.
    let r = post_booking(
        app,
        &teacher,
        a,
        cart.id,
        &[("day", "2027-01-12"), ("slot_from", &m1)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = post_booking(
        app,
        &referent,
        a,
        room.id,
        &[
            ("for_account", &teacher_id),
            ("day", "2027-01-14"),
            ("slot_from", &m1),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = post_booking(
        app,
        &referent,
        a,
        room.id,
        &[("day", "2027-01-15"), ("slot_from", &m1)],
    )
    .await;
    assert_eq!(r.status(), 303);

    let path = create_feed(app, &teacher, &mine(a), &format!("{}/agenda", mine(a))).await;
    let (status, _, body) = fetch(app, &path).await;
    assert_eq!(status, 200);
    assert!(body.contains("X-WR-CALNAME:Mes réservations — "));
    let unfolded = body.replace("\r\n ", "");
    assert!(unfolded.contains("DTSTART:20270112T"), "{unfolded}");
    assert!(unfolded.contains("DTSTART:20270114T"));
    assert!(
        !unfolded.contains("DTSTART:20270115T"),
        "not the referent's own"
    );
    let mine_page = page(app, &teacher, &mine(a)).await;
    assert!(mine_page.contains("Abonnement actif, créé le"));

    // A disabled creator's feed answers 404.
    refnum_services::people::set_disabled(
        &app.db,
        &refnum_services::audit::Who::system("test"),
        app.account_id(TEACHER_A).await,
        true,
    )
    .await
    .expect("disable");
    assert_eq!(fetch(app, &path).await.0, 404);
}

async fn another_schools_resource_has_no_feed(app: &TestApp) {
    let a = setup(app).await;
    let room = resource_of(app, a, "Salle informatique 101").await;
    let other = app.signed_in(TEACHER_B).await;
    let b = app.etab_id(UAI_B).await;
    // Through school B's own path, or school A's: not found, nothing made.
    for action in [
        format!("{}/ressources/{}/agenda", home(b), room.id),
        format!("{}/agenda", res(a, room.id)),
    ] {
        let r = app.post_form(&other, &mine(b), &action, &[]).await;
        assert_eq!(r.status(), 404, "{action}");
    }
    assert!(audit_actions(app, a).await.is_empty());
    assert!(audit_actions(app, b).await.is_empty());
}

both_backends!(
    a_resource_feed_lists_its_bookings_until_it_is_revoked,
    my_feed_lists_what_i_booked_or_what_was_booked_for_me,
    another_schools_resource_has_no_feed,
);
