//! Occupancy indicators of the bookings: known approved bookings give known
//! rates per resource and per slot (pending and cancelled ones, bookings on
//! a closed day and outside the period are not counted; a booking over two
//! slots holds both; two bookings in one slot count once); the page draws
//! its charts with their tables; another school's page is not found.

use super::reservations::{home, page, resource_of, setup, slot_of};
use chrono::{NaiveDate, TimeZone, Utc};
use refnum_db::entities::reservations::{
    booking, booking_day_off as day_off, booking_resource as resource,
};
use refnum_services::indicators::Period;
use refnum_services::reservations::occupancy;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

#[allow(clippy::too_many_arguments)]
fn a_booking(
    etab: Uuid,
    resource: Uuid,
    who: Uuid,
    day: NaiveDate,
    start: i32,
    end: i32,
    status: &str,
) -> booking::ActiveModel {
    booking::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        resource_id: resource,
        series_id: None,
        day,
        start_min: start,
        end_min: end,
        status: status.into(),
        booked_for: who,
        booked_by: who,
        structure_id: None,
        group_label: None,
        note: String::new(),
        decided_by: None,
        decided_at: None,
        cancelled_by: None,
        cancelled_at: None,
        created_at: Utc::now(),
    }
    .into()
}

async fn known_bookings_give_known_rates(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.account_id(TEACHER_A).await;
    let room = resource_of(app, a, "Salle informatique 101").await.id;
    let cart = resource_of(app, a, "T-CHAR-01").await.id;
    let m1 = slot_of(app, a, "M1").await;
    let m2 = slot_of(app, a, "M2").await;
    let m3 = slot_of(app, a, "M3").await;
    // A closed day inside the period.
    day_off::Entity::insert(day_off::ActiveModel::from(day_off::Model {
        id: Uuid::now_v7(),
        etablissement_id: a,
        kind: "closed".into(),
        label: "Journée pédagogique".into(),
        start_date: d(2027, 1, 15),
        end_date: d(2027, 1, 15),
        source: "manual".into(),
        created_at: Utc::now(),
    }))
    .exec_without_returning(&app.db.conn)
    .await
    .expect("closed day");
    let rows = vec![
        // The room, M2 on four Tuesdays (one over M2 and M3).
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 5),
            m2.start_min,
            m2.end_min,
            "approved",
        ),
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 12),
            m2.start_min,
            m2.end_min,
            "approved",
        ),
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 19),
            m2.start_min,
            m2.end_min,
            "approved",
        ),
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 26),
            m2.start_min,
            m3.end_min,
            "approved",
        ),
        // A second booking inside the same slot the same day: once.
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 5),
            m2.start_min + 10,
            m2.start_min + 20,
            "approved",
        ),
        // Not counted: pending, cancelled, a closed day, before the period.
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 6),
            m2.start_min,
            m2.end_min,
            "pending",
        ),
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 7),
            m2.start_min,
            m2.end_min,
            "cancelled",
        ),
        a_booking(
            a,
            room,
            teacher,
            d(2027, 1, 15),
            m2.start_min,
            m2.end_min,
            "approved",
        ),
        a_booking(
            a,
            room,
            teacher,
            d(2026, 12, 10),
            m2.start_min,
            m2.end_min,
            "approved",
        ),
        // The cart, M1 once.
        a_booking(
            a,
            cart,
            teacher,
            d(2027, 1, 4),
            m1.start_min,
            m1.end_min,
            "approved",
        ),
    ];
    booking::Entity::insert_many(rows)
        .exec_without_returning(&app.db.conn)
        .await
        .expect("bookings");

    let account = refnum_db::accounts::get(&app.db.conn, teacher)
        .await
        .expect("account")
        .expect("teacher");
    let ctx = refnum_services::Ctx::load(&app.db, account, None)
        .await
        .expect("ctx");
    // 30 days to Friday 29 January 2027: 30 December to 29 January; the
    // Christmas holidays end on 3 January; 20 weekdays, less the closed day.
    let now = Utc
        .with_ymd_and_hms(2027, 1, 29, 12, 0, 0)
        .single()
        .expect("now");
    let o = occupancy::report_at(&app.db, &ctx, a, Period::Days30, now)
        .await
        .expect("report");
    assert_eq!((o.from, o.to), (d(2026, 12, 30), d(2027, 1, 29)));
    assert_eq!(o.school_days, 19);
    let slots = 9; // M1–M5, S1–S4
    let active = resource::Entity::find()
        .filter(resource::Column::EtablissementId.eq(a))
        .filter(resource::Column::Active.eq(true))
        .count(&app.db.conn)
        .await
        .expect("count") as i64;
    let rate = |label: &str, rates: &[occupancy::Rate]| {
        rates
            .iter()
            .find(|r| r.label == label)
            .cloned()
            .unwrap_or_else(|| panic!("{label}"))
    };
    let r = rate("Salle informatique 101", &o.per_resource);
    assert_eq!((r.booked, r.bookable), (5, 19 * slots));
    assert!((r.percent.expect("rate") - 500.0 / 171.0).abs() < 1e-9);
    let c = rate("T-CHAR-01 — Lenovo Chariot 16 places", &o.per_resource);
    assert_eq!((c.booked, c.bookable), (1, 19 * slots));
    let s2 = rate("M2", &o.per_slot);
    assert_eq!((s2.booked, s2.bookable), (4, 19 * active));
    assert_eq!(rate("M3", &o.per_slot).booked, 1);
    assert_eq!(rate("M1", &o.per_slot).booked, 1);
    assert_eq!(rate("S1", &o.per_slot).booked, 0);

    // The page: two charts with their tables, linked from the bookings home.
    let c = app.signed_in(TEACHER_A).await;
    let home_page = page(app, &c, &home(a)).await;
    let href = format!("{}/occupation", home(a));
    assert!(home_page.contains(&href));
    let html = page(app, &c, &format!("{href}?periode=90")).await;
    assert_eq!(html.matches("<svg class=\"chart\" role=\"img\"").count(), 2);
    assert!(html.contains("id=\"resa-occupancy-resources-svg-title\""));
    assert!(html.contains("<th scope=\"row\">Salle informatique 101</th>"));
    assert!(html.contains("<option value=\"90\" selected>"));
    // Another school's staff: not found.
    let other = app.signed_in(TEACHER_B).await;
    let r = other.get(app.url(&href)).send().await.expect("get");
    assert_eq!(r.status(), 404);
}

both_backends!(known_bookings_give_known_rates);
