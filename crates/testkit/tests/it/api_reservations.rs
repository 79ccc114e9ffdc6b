//! The bookings API: resources with their rules, a resource's bookings over
//! a range, one-off and weekly booking (dry run, holidays skipped, taken
//! dates), 409 on a taken slot, rules as 422, cancel, the caller's
//! bookings, cross-school 404 route by route, and 20 concurrent attempts.

use refnum_db::entities::parc::parc_asset;
use refnum_db::entities::reservations::{booking, booking_resource as resource};
use refnum_domain::booking::Zone;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

/// School A with its demo timetable (zone B) and resources, and its cart.
async fn setup(app: &TestApp) -> (Uuid, Uuid) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    assert!(
        refnum_services::reservations::demo::seed(&app.db, a, "T", Zone::B)
            .await
            .expect("demo bookings")
    );
    let asset = parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(a))
        .filter(parc_asset::Column::InventoryNumber.eq("T-CHAR-01"))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("the cart");
    let cart = resource::Entity::find()
        .filter(resource::Column::AssetId.eq(asset.id))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("bookable cart");
    (a, cart.id)
}

async fn bookings_of(app: &TestApp, r: Uuid) -> Vec<booking::Model> {
    booking::Entity::find()
        .filter(booking::Column::ResourceId.eq(r))
        .order_by_asc(booking::Column::Day)
        .all(&app.db.conn)
        .await
        .expect("bookings")
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    app.api_get(token, path).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.api_post(token, path, body).await
}

fn book_path(r: Uuid) -> String {
    format!("/api/v1/booking-resources/{r}/bookings")
}

async fn a_teacher_books_lists_and_cancels_through_the_api(app: &TestApp) {
    let (a, cart) = setup(app).await;
    let teacher = app.token_for(TEACHER_A).await;
    let referent = app.token_for(REFERENT_A).await;

    let (s, list) = get(
        app,
        &teacher,
        &format!("/api/v1/etablissements/{a}/booking-resources"),
    )
    .await;
    assert_eq!(s, 200, "{list}");
    let mine = list
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["id"] == cart.to_string())
        .expect("the cart listed");
    assert_eq!(mine["kind"], "asset");
    assert!(mine["name"].as_str().expect("name").contains("T-CHAR-01"));
    assert!(!mine["roles"].as_array().expect("roles").is_empty());

    // One-off, by slot code.
    let (s, made) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "day": "2027-01-12", "slot_from": "M2", "note": "Sortie 4e" }),
    )
    .await;
    assert_eq!(s, 201, "{made}");
    let booked = &made["booked"][0];
    assert_eq!(booked["span"], "M2");
    assert_eq!(booked["day"], "2027-01-12");
    assert_eq!(booked["status"], "approved");
    let id = booked["id"].as_str().expect("id").to_string();

    // The same slot for someone else: 409 naming the slot, nothing written.
    let (s, e) = post(
        app,
        &referent,
        &book_path(cart),
        json!({ "day": "2027-01-12", "slot_from": "M1", "slot_to": "M2" }),
    )
    .await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(e["error"]["code"], "conflict");
    assert!(
        e["error"]["message"]
            .as_str()
            .expect("message")
            .contains("M2 on 12/01/2027"),
        "{e}"
    );
    assert_eq!(bookings_of(app, cart).await.len(), 1);

    // Rules and bad input: 422 with the field.
    for (body, field) in [
        (json!({ "day": "2026-01-06", "slot_from": "M3" }), "day"),
        (
            json!({ "day": "2027-01-12", "slot_from": "Z9" }),
            "slot_from",
        ),
        (
            json!({ "day": "2027-01-12", "start": "10:00", "end": "09:00" }),
            "end",
        ),
        (json!({ "day": "2027-02-30", "slot_from": "M3" }), "day"),
    ] {
        let (s, e) = post(app, &teacher, &book_path(cart), body.clone()).await;
        assert_eq!(s, 422, "{body}: {e}");
        assert_eq!(e["error"]["field"], field, "{body}: {e}");
    }
    // On someone's behalf: not for a teacher.
    let referent_id = app.account_id(REFERENT_A).await;
    let (s, _) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "day": "2027-01-13", "slot_from": "M3", "for_account_id": referent_id }),
    )
    .await;
    assert_eq!(s, 403);
    // The referent books for the teacher, by hours.
    let teacher_id = app.account_id(TEACHER_A).await;
    let (s, made) = post(
        app,
        &referent,
        &book_path(cart),
        json!({ "day": "2027-01-13", "start": "14:00", "end": "15:00", "for_account_id": teacher_id }),
    )
    .await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["booked"][0]["booked_for_id"], teacher_id.to_string());
    assert_eq!(bookings_of(app, cart).await.len(), 2);

    // The range, as the week shows it.
    let (s, week) = get(
        app,
        &teacher,
        &format!("{}?from=2027-01-11&to=2027-01-15", book_path(cart)),
    )
    .await;
    assert_eq!(s, 200, "{week}");
    let days: Vec<&str> = week
        .as_array()
        .expect("array")
        .iter()
        .map(|b| b["day"].as_str().expect("day"))
        .collect();
    assert_eq!(days, ["2027-01-12", "2027-01-13"]);
    assert!(week[0]["holder"].is_string());
    for q in [
        "?from=2027-01-01&to=2028-01-02",
        "?from=2027-01-15&to=2027-01-11",
        "?from=2027-01-01",
        "?from=x&to=2027-01-11",
    ] {
        let (s, e) = get(app, &teacher, &format!("{}{q}", book_path(cart))).await;
        assert_eq!(s, 422, "{q}: {e}");
    }

    // The teacher's bookings, then cancel one.
    let (s, mine) = get(app, &teacher, "/api/v1/me/bookings").await;
    assert_eq!(s, 200);
    assert_eq!(mine.as_array().expect("array").len(), 2, "{mine}");
    // The optional body may be `null` (the document allows it; it was a 422).
    let (s, c) = post(
        app,
        &teacher,
        &format!("/api/v1/bookings/{id}/cancel"),
        Value::Null,
    )
    .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["cancelled"], 1);
    let rows = bookings_of(app, cart).await;
    assert_eq!(rows[0].status, "cancelled");
    let (s, _) = post(
        app,
        &teacher,
        &format!("/api/v1/bookings/{id}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(s, 409, "already cancelled: a conflict with its state");
    let (s, mine) = get(app, &teacher, "/api/v1/me/bookings").await;
    assert_eq!(s, 200);
    assert!(
        mine.as_array()
            .expect("array")
            .iter()
            .any(|b| b["id"] == id.as_str() && b["status"] == "cancelled")
    );
}

async fn a_weekly_booking_previews_then_books_its_free_dates(app: &TestApp) {
    let (_, cart) = setup(app).await;
    let teacher = app.token_for(TEACHER_A).await;
    let referent = app.token_for(REFERENT_A).await;
    let (s, _) = post(
        app,
        &referent,
        &book_path(cart),
        json!({ "day": "2027-01-26", "slot_from": "M2" }),
    )
    .await;
    assert_eq!(s, 201);
    // Tuesdays (2) from Monday 4 January to 30 March.
    let weekly = json!({ "weekday": 2, "from": "2027-01-04", "to": "2027-03-30" });
    let (s, preview) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "slot_from": "M2", "weekly": weekly, "dry_run": true }),
    )
    .await;
    assert_eq!(s, 200, "{preview}");
    let dates = preview["dates"].as_array().expect("dates");
    let count = |state: &str| dates.iter().filter(|d| d["state"] == state).count();
    assert_eq!(dates[0]["day"], "2027-01-05");
    assert_eq!(count("skipped"), 2, "two weeks of winter holidays");
    assert_eq!(count("taken"), 1);
    assert_eq!(count("free"), 10);
    let taken = dates.iter().find(|d| d["state"] == "taken").expect("taken");
    assert_eq!(taken["day"], "2027-01-26");
    assert!(
        taken["message"]
            .as_str()
            .expect("msg")
            .contains("M2 on 26/01/2027")
    );
    assert_eq!(bookings_of(app, cart).await.len(), 1, "nothing written");

    let (s, made) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "slot_from": "M2", "weekly": weekly }),
    )
    .await;
    assert_eq!(s, 201, "{made}");
    let booked = made["booked"].as_array().expect("booked");
    assert_eq!(booked.len(), 10);
    assert!(made["series_id"].is_string());
    assert!(booked.iter().all(|b| b["series_id"] == made["series_id"]));
    assert_eq!(
        made["dates"]
            .as_array()
            .expect("dates")
            .iter()
            .filter(|d| d["state"] != "free")
            .count(),
        3
    );
    assert_eq!(bookings_of(app, cart).await.len(), 11);
    // Nothing free any more: 409.
    let (s, e) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "slot_from": "M2", "weekly": weekly }),
    )
    .await;
    assert_eq!(s, 409, "{e}");
    // Cancel the rest of the series from its third date.
    let third = booked[2]["id"].as_str().expect("id");
    let (s, c) = post(
        app,
        &teacher,
        &format!("/api/v1/bookings/{third}/cancel"),
        json!({ "series": true }),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["cancelled"], 8);
    // A bad weekday: 422.
    let (s, e) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "slot_from": "M2", "weekly": { "weekday": 9, "from": "2027-01-04", "to": "2027-03-30" } }),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(e["error"]["field"], "weekday");
}

async fn another_school_gets_not_found_on_every_bookings_route(app: &TestApp) {
    let (a, cart) = setup(app).await;
    let teacher = app.token_for(TEACHER_A).await;
    let (s, made) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "day": "2027-01-12", "slot_from": "M2" }),
    )
    .await;
    assert_eq!(s, 201);
    let id = made["booked"][0]["id"].as_str().expect("id").to_string();
    for who in [TEACHER_B, REFERENT_B] {
        let other = app.token_for(who).await;
        for path in [
            format!("/api/v1/etablissements/{a}/booking-resources"),
            format!("{}?from=2027-01-11&to=2027-01-15", book_path(cart)),
            format!("/api/v1/me/bookings?etablissement_id={a}"),
        ] {
            let (s, e) = get(app, &other, &path).await;
            assert_eq!(s, 404, "GET {path} by {who}: {e}");
        }
        for (path, body) in [
            (
                book_path(cart),
                json!({ "day": "2027-01-13", "slot_from": "M2" }),
            ),
            (
                book_path(cart),
                json!({ "slot_from": "M2", "dry_run": true, "weekly": { "weekday": 2, "from": "2027-01-04", "to": "2027-02-01" } }),
            ),
            (format!("/api/v1/bookings/{id}/cancel"), json!({})),
            (
                format!("/api/v1/bookings/{id}/cancel"),
                json!({ "series": true }),
            ),
        ] {
            let (s, e) = post(app, &other, &path, body).await;
            assert_eq!(s, 404, "POST {path} by {who}: {e}");
        }
        let (s, mine) = get(app, &other, "/api/v1/me/bookings").await;
        assert_eq!(s, 200);
        assert!(!mine.to_string().contains(&id));
    }
    // Unknown ids: 404 too.
    let (s, _) = get(
        app,
        &teacher,
        &format!(
            "{}?from=2027-01-11&to=2027-01-15",
            book_path(Uuid::now_v7())
        ),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = post(app, &teacher, "/api/v1/bookings/nope/cancel", json!({})).await;
    assert_eq!(s, 404);
    let rows = bookings_of(app, cart).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "approved");
}

async fn twenty_concurrent_api_posts_on_one_slot_make_one_booking(app: &TestApp) {
    let (_, cart) = setup(app).await;
    let tokens = [
        app.token_for(TEACHER_A).await,
        app.token_for(REFERENT_A).await,
    ];
    let mut set = tokio::task::JoinSet::new();
    for i in 0..20 {
        let token = tokens[i % 2].clone();
        let url = app.url(&book_path(cart));
        let c = app.client();
        set.spawn(async move {
            c.post(url)
                .bearer_auth(token)
                .json(&json!({ "day": "2027-01-12", "slot_from": "M2" }))
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        });
    }
    let mut statuses = vec![];
    while let Some(s) = set.join_next().await {
        statuses.push(s.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
    let rows = bookings_of(app, cart).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "approved");
}

/// A resource that needs the head's approval: the head approves or
/// refuses through the API; nobody else may.
async fn bookings_wait_for_their_approver_through_the_api(app: &TestApp) {
    use sea_orm::{ActiveModelTrait, Set};
    let (a, _) = setup(app).await;
    // The first resource of the school needs the head's approval.
    let r = resource::Entity::find()
        .filter(resource::Column::EtablissementId.eq(a))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("a resource");
    let rid = r.id;
    let mut m: resource::ActiveModel = r.into();
    m.approval_role = Set(Some("direction".into()));
    m.update(&app.db.conn).await.expect("rule");

    let teacher = app.token_for(TEACHER_A).await;
    let head = app.token_for(DIRECTION_A).await;
    let referent_b = app.token_for(REFERENT_B).await;
    let book = format!("/api/v1/booking-resources/{rid}/bookings");
    let mut ids = vec![];
    for d in ["2027-01-12", "2027-01-14"] {
        let (s, made) = post(app, &teacher, &book, json!({ "day": d, "slot_from": "M3" })).await;
        assert_eq!(s, 201, "{made}");
        assert_eq!(made["pending"], true);
        assert_eq!(made["booked"][0]["status"], "pending");
        ids.push(made["booked"][0]["id"].as_str().expect("id").to_string());
    }
    let decide = |who: &str, verb: &str, i: usize| {
        let (who, path) = (
            who.to_string(),
            format!("/api/v1/bookings/{}/{verb}", ids[i]),
        );
        async move { post(app, &who, &path, json!({})).await }
    };
    // The teacher may not approve; another school's referent does not see it.
    assert_eq!(decide(&teacher, "approve", 0).await.0, 403);
    assert_eq!(decide(&referent_b, "approve", 0).await.0, 404);
    // The head approves one and refuses the other.
    let (s, d) = decide(&head, "approve", 0).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["decided"], 1);
    let (s, d) = decide(&head, "refuse", 1).await;
    assert_eq!(s, 200, "{d}");
    let (s, e) = decide(&head, "refuse", 0).await;
    assert_eq!(s, 409, "approved already: {e}");
    let (_, mine) = get(
        app,
        &teacher,
        &format!("/api/v1/me/bookings?etablissement_id={a}"),
    )
    .await;
    let status: Vec<(String, String)> = mine
        .as_array()
        .expect("array")
        .iter()
        .filter(|b| ids.iter().any(|i| b["id"] == i.as_str()))
        .map(|b| {
            (
                b["day"].as_str().unwrap_or_default().to_string(),
                b["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        status.contains(&("2027-01-12".into(), "approved".into())),
        "{mine}"
    );
}

/// A weekly series reaching a school year without holidays recorded says
/// so (the built-in calendar is 2026-2027's); one within 2026-2027 does not.
async fn a_series_into_a_year_without_holidays_says_so(app: &TestApp) {
    let (_, cart) = setup(app).await;
    let teacher = app.token_for(TEACHER_A).await;
    let (s, p) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "slot_from": "M2", "dry_run": true,
                "weekly": { "weekday": 2, "from": "2027-05-01", "to": "2027-10-31" } }),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["years_without_holidays"], json!(["2027-2028"]), "{p}");
    // The Toussaint 2027 week is not skipped: nothing says it is a holiday.
    assert!(
        p["dates"]
            .as_array()
            .expect("dates")
            .iter()
            .any(|d| d["day"] == "2027-10-26" && d["state"] == "free"),
        "{p}"
    );
    let (s, p) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "slot_from": "M2", "dry_run": true,
                "weekly": { "weekday": 2, "from": "2027-01-04", "to": "2027-03-31" } }),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["years_without_holidays"], json!([]), "{p}");
}

/// A booking on a Saturday shows in its week (a sixth column), which has
/// none otherwise; the Sunday stays hidden.
async fn a_saturday_booking_shows_in_its_week(app: &TestApp) {
    let (a, cart) = setup(app).await;
    let teacher = app.token_for(TEACHER_A).await;
    let c = app.signed_in(TEACHER_A).await;
    let week = format!("/etablissements/{a}/reservations/ressources/{cart}?semaine=2027-01-11");
    let before = c
        .get(app.url(&week))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let col = |d: &str| format!("<th scope=\"col\">{d}</th>");
    assert!(before.contains(&col("lundi 11/01/2027")), "{before}");
    assert!(before.contains(&col("vendredi 15/01/2027")));
    assert!(!before.contains(&col("samedi 16/01/2027")));
    let (s, made) = post(
        app,
        &teacher,
        &book_path(cart),
        json!({ "day": "2027-01-16", "start": "08:00", "end": "10:00", "note": "DS de maths" }),
    )
    .await;
    assert_eq!(s, 201, "{made}");
    let after = c
        .get(app.url(&week))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(after.contains(&col("samedi 16/01/2027")), "{after}");
    assert!(!after.contains(&col("dimanche 17/01/2027")));
    // Its cells (M1 and M2, within 08:00–10:00) are held in that column.
    let held = |h: &str| h.matches("resa-cell--held").count();
    assert_eq!(held(&after), held(&before) + 2, "{after}");
}

/// The demo's carts and laptops have their history from their creation,
/// as assets made through the form do.
async fn the_demo_carts_have_a_history(app: &TestApp) {
    use refnum_db::entities::parc::parc_asset_event;
    let (a, cart) = setup(app).await;
    let r = resource::Entity::find_by_id(cart)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("resource");
    let asset = r.asset_id.expect("a cart is an asset");
    let events = parc_asset_event::Entity::find()
        .filter(parc_asset_event::Column::AssetId.eq(asset))
        .all(&app.db.conn)
        .await
        .expect("history");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "created");
    assert!(
        events[0].changes.contains("T-CHAR-01"),
        "{}",
        events[0].changes
    );
    let laptops = parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(a))
        .filter(parc_asset::Column::ParentId.eq(asset))
        .all(&app.db.conn)
        .await
        .expect("laptops");
    assert_eq!(laptops.len(), 8);
    for l in laptops {
        let n = parc_asset_event::Entity::find()
            .filter(parc_asset_event::Column::AssetId.eq(l.id))
            .filter(parc_asset_event::Column::Kind.eq("created"))
            .all(&app.db.conn)
            .await
            .expect("history")
            .len();
        assert_eq!(n, 1, "{}", l.inventory_number);
    }
}

both_backends!(
    a_teacher_books_lists_and_cancels_through_the_api,
    a_weekly_booking_previews_then_books_its_free_dates,
    another_school_gets_not_found_on_every_bookings_route,
    twenty_concurrent_api_posts_on_one_slot_make_one_booking,
    bookings_wait_for_their_approver_through_the_api,
    a_series_into_a_year_without_holidays_says_so,
    a_saturday_booking_shows_in_its_week,
    the_demo_carts_have_a_history,
);
