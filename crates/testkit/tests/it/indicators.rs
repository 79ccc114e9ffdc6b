//! The indicators integration tests: the figures of the equipment and
//! helpdesk dashboard on hand-made data (exact values), and who may see it.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use refnum_db::entities::assistance::{asset_unavailability, ticket};
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
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("time")
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
        qr_token: Uuid::new_v4().simple().to_string()[..30].to_string(),
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
            an_asset(
                etab,
                "D1",
                "desktop",
                "in_service",
                Some(day(2020, 1, 1)),
                Some(day(2023, 1, 1)),
            ),
            an_asset(
                etab,
                "D2",
                "desktop",
                "in_service",
                Some(day(2024, 1, 1)),
                Some(day(2029, 1, 1)),
            ),
            an_asset(
                etab,
                "L1",
                "laptop",
                "lent",
                Some(day(2019, 5, 1)),
                Some(day(2022, 5, 1)),
            ),
            an_asset(
                etab,
                "L2",
                "laptop",
                "in_stock",
                Some(day(2025, 1, 1)),
                Some(day(2028, 1, 1)),
            ),
            an_asset(
                etab,
                "T1",
                "tablet",
                "broken",
                Some(day(2018, 1, 1)),
                Some(day(2021, 1, 1)),
            ),
            an_asset(etab, "P1", "projector", "in_service", None, None),
            an_asset(
                etab,
                "R1",
                "desktop",
                "retired",
                Some(day(2010, 1, 1)),
                Some(day(2013, 1, 1)),
            ),
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
        .get(app.url(&format!(
            "/etablissements/{}/indicateurs/parc",
            Uuid::now_v7()
        )))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
}

#[allow(clippy::too_many_arguments)]
fn a_ticket(
    etab: Uuid,
    number: i64,
    category: &str,
    status: &str,
    created: DateTime<Utc>,
    resolved: Option<DateTime<Utc>>,
    due: Option<DateTime<Utc>>,
) -> ticket::Model {
    ticket::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        number,
        kind: "incident".into(),
        title: format!("Panne {number}"),
        description: String::new(),
        category: category.into(),
        asset_id: None,
        room_id: None,
        urgency: "medium".into(),
        impact: "medium".into(),
        priority: "p3".into(),
        unusable: false,
        status: status.into(),
        requester_id: None,
        requester_name: "Test".into(),
        requester_contact: None,
        source: "web".into(),
        assignee_id: None,
        assigned_org_id: None,
        external_ref: None,
        created_at: created,
        updated_at: created,
        taken_at: None,
        escalated_at: None,
        resolved_at: resolved,
        closed_at: None,
        response_due_at: None,
        resolution_due_at: due,
        response_reminded_at: None,
        resolution_reminded_at: None,
        search_text: format!("{number}"),
    }
}

async fn helpdesk_figures_are_exact(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let ids = equipment(app, a).await;
    // Five more in service: ten deployed assets.
    let more = (1..=5)
        .map(|k| an_asset(a, &format!("V{k}"), "projector", "in_service", None, None))
        .collect();
    insert_assets(app, more).await;
    let tickets = vec![
        // Resolved in 24 h, by its due time.
        a_ticket(
            a,
            1,
            "desktop",
            "closed",
            at(2026, 6, 1, 12),
            Some(at(2026, 6, 2, 12)),
            Some(at(2026, 6, 3, 12)),
        ),
        // Resolved in 36 h, after its due time.
        a_ticket(
            a,
            2,
            "projector",
            "resolved",
            at(2026, 6, 5, 12),
            Some(at(2026, 6, 7, 0)),
            Some(at(2026, 6, 6, 12)),
        ),
        // Open for 18 h, already overdue.
        a_ticket(
            a,
            3,
            "desktop",
            "new",
            at(2026, 6, 14, 18),
            None,
            Some(at(2026, 6, 15, 0)),
        ),
        // Open for 5 days, no due time.
        a_ticket(a, 4, "network", "taken", at(2026, 6, 10, 12), None, None),
        // Open since January, due before the period.
        a_ticket(
            a,
            5,
            "printer",
            "waiting",
            at(2026, 1, 1, 12),
            None,
            Some(at(2026, 1, 5, 12)),
        ),
        // Resolved before the period.
        a_ticket(
            a,
            6,
            "desktop",
            "closed",
            at(2026, 5, 1, 12),
            Some(at(2026, 5, 10, 12)),
            Some(at(2026, 5, 12, 12)),
        ),
    ];
    let (t1, t6) = (tickets[0].id, tickets[5].id);
    ticket::Entity::insert_many(tickets.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("tickets");
    // One asset unusable for 3 days within the period, one before it.
    let unusable = |ticket_id: Uuid, from: DateTime<Utc>, to: Option<DateTime<Utc>>| {
        asset_unavailability::Model {
            id: Uuid::now_v7(),
            etablissement_id: a,
            asset_id: ids[1],
            ticket_id,
            started_at: from,
            ended_at: to,
        }
        .into_active_model()
    };
    asset_unavailability::Entity::insert_many([
        unusable(t1, at(2026, 6, 1, 12), Some(at(2026, 6, 4, 12))),
        unusable(t6, at(2026, 5, 1, 12), Some(at(2026, 5, 10, 12))),
    ])
    .exec_without_returning(&app.db.conn)
    .await
    .expect("unavailability");

    let ctx = ctx_of(app, REFERENT_A).await;
    let d = indicators::dashboard_at(&app.db, &ctx, a, Period::Days30, at(2026, 6, 15, 12))
        .await
        .expect("dashboard");
    assert_eq!(d.assets.deployed, 10);
    let t = d.tickets.expect("helpdesk figures");
    // 72 h unusable over 10 assets × 720 h: 99.0 %.
    assert_eq!(t.unusable_hours, 72.0);
    assert_eq!(t.unusable_seconds, 72 * 3600);
    assert_eq!(t.period_seconds, 30 * 24 * 3600);
    let avail = t.availability.expect("availability");
    assert!((avail - 99.0).abs() < 1e-9, "{avail}");
    assert_eq!(t.resolved, 2);
    assert_eq!(t.mean_resolution_hours, Some(30.0));
    assert_eq!((t.sla.count, t.sla.of), (1, 3));
    assert_eq!(t.open_by_age, [1, 0, 1, 0, 1]);
    assert_eq!(
        t.per_category,
        vec![
            ("desktop".to_string(), 2),
            ("network".to_string(), 1),
            ("projector".to_string(), 1)
        ]
    );
    // Over 90 days the earlier unavailability counts too (9 days more).
    let d = indicators::dashboard_at(&app.db, &ctx, a, Period::Days90, at(2026, 6, 15, 12))
        .await
        .expect("dashboard");
    let t = d.tickets.expect("helpdesk figures");
    assert_eq!(t.unusable_hours, 72.0 + 216.0);
    assert_eq!(t.resolved, 3);

    // The page draws the age and category charts with their tables.
    let referent = app.signed_in(REFERENT_A).await;
    let html = referent
        .get(app.url(&format!(
            "/etablissements/{a}/indicateurs/parc?periode=annee"
        )))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("ind-chart-age-svg-title"));
    // A chart with nothing to draw says so instead of a bare axis.
    assert!(
        html.contains("ind-chart-category-svg-title")
            || (html.contains("id=\"ind-chart-category-empty\"")
                && html.contains("Aucune donnée sur cette période")),
        "the category chart, or its empty state"
    );
    assert!(html.contains("Calcul du taux de disponibilité"));
    // The availability card carries its exact inputs.
    let card = html
        .split("id=\"ind-availability\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .expect("the availability card");
    let attr = |name: &str| -> String {
        card.split(&format!("data-{name}=\""))
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or_else(|| panic!("data-{name} in {card}"))
            .to_string()
    };
    let deployed: f64 = attr("deployed").parse().expect("deployed");
    let unusable: f64 = attr("unusable-seconds").parse().expect("unusable");
    let period: f64 = attr("period-seconds").parse().expect("period");
    let percent: f64 = attr("percent").parse().expect("percent");
    assert_eq!(deployed, 10.0);
    assert!(period > 0.0);
    assert!((percent - 100.0 * (1.0 - unusable / (deployed * period))).abs() < 1e-9);
}

both_backends!(
    equipment_figures_are_exact,
    helpdesk_figures_are_exact,
    the_dashboard_is_scoped
);
