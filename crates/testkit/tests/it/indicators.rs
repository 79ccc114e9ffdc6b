//! The indicators integration tests: the figures of the equipment and
//! helpdesk dashboard on hand-made data (exact values), and who may see it.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use refnum_db::entities::parc::parc_asset as asset;
use refnum_services::Ctx;
use refnum_services::indicators::{self, Period};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{EntityTrait, IntoActiveModel};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("time")
}

fn an_asset(
    etab: Uuid,
    n: &str,
    category: &str,
    status: &str,
    bought: Option<NaiveDate>,
    warranty: Option<NaiveDate>,
) -> asset::Model {
    let t = at(2024, 1, 1, 8);
    asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        inventory_number: n.into(),
        category: category.into(),
        manufacturer: "Dell".into(),
        model: "OptiPlex".into(),
        serial: format!("S{n}"),
        owner: "collectivite".into(),
        owner_label: None,
        funding: None,
        purchase_date: bought,
        warranty_end: warranty,
        room_id: None,
        holder_name: None,
        holder_account_id: None,
        status: status.into(),
        parent_id: None,
        notes: String::new(),
        qr_token: format!("qr-{n}-{}", Uuid::now_v7().simple()),
        search_text: n.to_lowercase(),
        created_at: t,
        updated_at: t,
        retired_at: None,
    }
}

async fn insert_assets(app: &TestApp, rows: Vec<asset::Model>) -> Vec<Uuid> {
    let ids = rows.iter().map(|a| a.id).collect();
    asset::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("insert assets");
    ids
}

async fn ctx_of(app: &TestApp, email: &str) -> Ctx {
    let acc = refnum_db::accounts::get_by_email(&app.db.conn, email)
        .await
        .expect("account")
        .expect("exists");
    Ctx::load(&app.db, acc, None).await.expect("ctx")
}

/// Six active assets of Malherbe (1,850 pupils), one retired.
async fn equipment(app: &TestApp, etab: Uuid) -> Vec<Uuid> {
    insert_assets(
        app,
        vec![
            an_asset(etab, "D1", "desktop", "in_service", Some(day(2020, 1, 1)), Some(day(2023, 1, 1))),
            an_asset(etab, "D2", "desktop", "in_service", Some(day(2024, 1, 1)), Some(day(2029, 1, 1))),
            an_asset(etab, "L1", "laptop", "lent", Some(day(2019, 5, 1)), Some(day(2022, 5, 1))),
            an_asset(etab, "L2", "laptop", "in_stock", Some(day(2025, 1, 1)), Some(day(2028, 1, 1))),
            an_asset(etab, "T1", "tablet", "broken", Some(day(2018, 1, 1)), Some(day(2021, 1, 1))),
            an_asset(etab, "P1", "projector", "in_service", None, None),
            an_asset(etab, "R1", "desktop", "retired", Some(day(2010, 1, 1)), Some(day(2013, 1, 1))),
        ],
    )
    .await
}

async fn equipment_figures_are_exact(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    equipment(app, a).await;
    let ctx = ctx_of(app, REFERENT_A).await;
    let d = indicators::dashboard_at(&app.db, &ctx, a, Period::Days30, at(2026, 6, 15, 12))
        .await
        .expect("dashboard");
    assert_eq!(d.assets.active, 6);
    assert_eq!(d.assets.deployed, 5, "neither retired nor in stock");
    // Out of warranty: D1, L1, T1 among the five with a known end.
    assert_eq!((d.out_of_warranty.count, d.out_of_warranty.of), (3, 5));
    assert_eq!(d.out_of_warranty.percent, Some(60.0));
    // Computers older than five years: D1 and L1 among D1, D2, L1, L2.
    assert_eq!((d.old_computers.count, d.old_computers.of), (2, 4));
    assert_eq!(d.old_computers.percent, Some(50.0));
    // Five terminals for 1,850 pupils.
    assert_eq!(d.assets.terminals, 5);
    let per_100 = d.terminals_per_100.expect("pupils");
    assert!((per_100 - 500.0 / 1850.0).abs() < 1e-9, "{per_100}");
    // The school year starts on 1 September.
    assert_eq!(
        Period::SchoolYear.start(at(2026, 6, 15, 12)),
        at(2025, 9, 1, 0)
    );
    assert_eq!(
        Period::SchoolYear.start(at(2026, 10, 2, 12)),
        at(2026, 9, 1, 0)
    );

    // The page shows them, with an SVG chart and its data table.
    let referent = app.signed_in(REFERENT_A).await;
    let r = referent
        .get(app.url(&format!("/etablissements/{a}/indicateurs/parc?periode=90")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert!(html.contains("60,0 %"), "out of warranty");
    assert!(html.contains("50,0 %"), "old computers");
    assert!(html.contains("3 sur 5"));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<title id=\"ind-chart-parc-svg-title\">"));
    assert!(html.contains("<caption>"));
    assert!(html.contains("value=\"90\" selected"));
    // An unknown period falls back to 30 days.
    let r = referent
        .get(app.url(&format!("/etablissements/{a}/indicateurs/parc?periode=x")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
}

async fn the_dashboard_is_scoped(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let path = format!("/etablissements/{a}/indicateurs/parc");
    for (who, status) in [
        (REFERENT_A, 200),
        (DIRECTION_A, 200),
        (REGION, 200),
        (DANE, 200),
        (REFERENT_B, 404),
        (TEACHER_B, 404),
        (TECH, 403),
        (TEACHER_A, 403),
    ] {
        let c = app.signed_in(who).await;
        let r = c.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), status, "{who}");
    }
    // An unknown school is 404 too.
    let c = app.signed_in(REFERENT_A).await;
    let r = c
        .get(app.url(&format!("/etablissements/{}/indicateurs/parc", Uuid::now_v7())))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
}

both_backends!(equipment_figures_are_exact, the_dashboard_is_scoped);
