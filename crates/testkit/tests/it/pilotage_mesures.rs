//! The live values of the mission letter's bound indicators: on a school
//! with known assets, unusable periods, tickets, bookings, loans and
//! directory imports, each value equals the figure the test recomputes from
//! every row of the school with its own arithmetic, and equals what the
//! parc indicators and occupancy pages show; a change of the data moves it;
//! another school's values do not move; a school without data has no
//! percentage and no freshness; the whole reading takes at most two
//! statements.

use super::reservations::{resource_of, setup, slot_of};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};
use refnum_db::entities::annuaire_import as import;
use refnum_db::entities::assistance::{asset_unavailability as unavailability, ticket};
use refnum_db::entities::etablissement;
use refnum_db::entities::loans::loan;
use refnum_db::entities::parc::parc_asset as asset;
use refnum_db::entities::reservations::{
    booking, booking_day_off as day_off, booking_resource as resource, booking_slot as slot,
};
use refnum_domain::pilotage::indicateurs::Metric;
use refnum_services::Ctx;
use refnum_services::indicators::{self, Period};
use refnum_services::pilotage::mesures::{self, Covers, Mesures};
use refnum_services::reservations::occupancy;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn at(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, 0, 0)
        .single()
        .expect("time")
}

/// Friday 29 January 2027, 15:00 UTC (16:00 in Paris).
fn now() -> DateTime<Utc> {
    at(2027, 1, 29, 15)
}
/// The start of the school year 2026-2027.
fn year_start() -> DateTime<Utc> {
    at(2026, 9, 1, 0)
}
/// Computers bought before this day are older than five years on `now`.
const OLD_BEFORE: (i32, u32, u32) = (2022, 1, 29);
/// The school's day of `now` in Paris.
fn today() -> NaiveDate {
    d(2027, 1, 29)
}

async fn ctx_of(app: &TestApp, email: &str) -> Ctx {
    let acc = refnum_db::accounts::get_by_email(&app.db.conn, email)
        .await
        .expect("account")
        .expect("exists");
    Ctx::load(&app.db, acc, None).await.expect("ctx")
}

async fn school(app: &TestApp, id: Uuid) -> etablissement::Model {
    etablissement::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("school")
        .expect("school row")
}

// ------------------------------------------------------------------ rows

fn an_asset(
    etab: Uuid,
    n: &str,
    category: &str,
    status: &str,
    bought: Option<NaiveDate>,
) -> asset::Model {
    let t = at(2024, 1, 1, 8);
    asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        inventory_number: n.into(),
        category: category.into(),
        manufacturer: "Dell".into(),
        model: "Latitude".into(),
        serial: format!("SER-{n}"),
        owner: "collectivite".into(),
        owner_label: None,
        funding: None,
        purchase_date: bought,
        warranty_end: None,
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

fn a_ticket(
    etab: Uuid,
    number: i64,
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
        category: "desktop".into(),
        asset_id: None,
        room_id: None,
        urgency: "medium".into(),
        impact: "medium".into(),
        priority: "p3".into(),
        unusable: false,
        status: if resolved.is_some() {
            "resolved"
        } else {
            "new"
        }
        .into(),
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

fn unusable(
    etab: Uuid,
    asset: Uuid,
    ticket: Uuid,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) -> unavailability::Model {
    unavailability::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        asset_id: asset,
        ticket_id: ticket,
        started_at: start,
        ended_at: end,
    }
}

fn a_booking(
    etab: Uuid,
    resource: Uuid,
    who: Uuid,
    day: NaiveDate,
    (start, end): (i32, i32),
    status: &str,
) -> booking::Model {
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
        created_at: at(2026, 9, 1, 8),
    }
}

fn a_loan(
    etab: Uuid,
    asset: Uuid,
    borrower: Uuid,
    due: NaiveDate,
    returned: Option<NaiveDate>,
) -> loan::Model {
    let t = at(2026, 11, 2, 9);
    loan::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        asset_id: asset,
        borrower_kind: "staff".into(),
        borrower_person_id: None,
        borrower_account_id: Some(borrower),
        borrower_name: "Enseignant".into(),
        borrower_detail: String::new(),
        start_on: d(2026, 11, 2),
        due_on: due,
        end_kind: "return".into(),
        status: if returned.is_some() {
            "returned"
        } else {
            "out"
        }
        .into(),
        departure_state: "good".into(),
        departure_remarks: String::new(),
        charter_id: None,
        returned_on: returned,
        return_state: returned.map(|_| "good".into()),
        return_remarks: String::new(),
        reminded_at: None,
        search_text: String::new(),
        created_by: None,
        returned_by: None,
        created_at: t,
        updated_at: t,
    }
}

fn an_import(
    etab: Uuid,
    uai: &str,
    source: &str,
    status: &str,
    applied: DateTime<Utc>,
) -> import::Model {
    import::Model {
        id: Uuid::now_v7(),
        etablissement_id: Some(etab),
        uai: uai.into(),
        source: source.into(),
        status: status.into(),
        files: "[]".into(),
        school_year: Some(2026),
        exported_on: None,
        summary: "{}".into(),
        warnings: "[]".into(),
        created_by: None,
        created_at: applied,
        applied_by: None,
        applied_at: (status == "applied").then_some(applied),
    }
}

async fn insert<E, M>(app: &TestApp, rows: Vec<M>)
where
    E: EntityTrait,
    M: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: Send,
{
    E::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("insert");
}

// ------------------------------------------------- the test's own figures

/// `n` per hundred of `total` in thousandths, half up, the test's way.
fn per_hundred(n: i64, total: i64) -> Option<i64> {
    if total == 0 {
        return None;
    }
    let scaled = n * 100_000;
    let (q, r) = (scaled / total, scaled % total);
    Some(if 2 * r >= total { q + 1 } else { q })
}

/// Every value recomputed from every row of the school.
async fn expected(app: &TestApp, etab: Uuid) -> BTreeMap<Metric, Option<i64>> {
    let c = &app.db.conn;
    let (from, now) = (year_start(), now());
    let mut out = BTreeMap::new();

    let assets = asset::Entity::find()
        .filter(asset::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("assets");
    let active: Vec<_> = assets.iter().filter(|a| a.status != "retired").collect();
    let deployed = assets
        .iter()
        .filter(|a| a.status != "retired" && a.status != "in_stock")
        .count() as i64;
    let mut lost = 0i64;
    for u in unavailability::Entity::find()
        .filter(unavailability::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("unavailability")
    {
        let start = u.started_at.max(from);
        let end = u.ended_at.unwrap_or(now).min(now);
        if end > start {
            lost += (end - start).num_seconds();
        }
    }
    let fleet = deployed * (now - from).num_seconds();
    out.insert(
        Metric::EquipmentAvailability,
        per_hundred((fleet - lost).max(0), fleet),
    );

    let in_period = |t: Option<DateTime<Utc>>| t.is_some_and(|t| from <= t && t < now);
    let (mut due, mut met) = (0, 0);
    for t in ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("tickets")
    {
        let Some(deadline) = t.resolution_due_at else {
            continue;
        };
        if in_period(Some(deadline)) || in_period(t.resolved_at) {
            due += 1;
            if t.resolved_at.is_some_and(|r| r <= deadline) {
                met += 1;
            }
        }
    }
    out.insert(Metric::SlaCompliance, per_hundred(met, due));

    let pupils = i64::from(school(app, etab).await.pupil_count);
    let terminals = active
        .iter()
        .filter(|a| ["desktop", "laptop", "tablet"].contains(&a.category.as_str()))
        .count() as i64;
    out.insert(
        Metric::TerminalsPer100Pupils,
        if active.is_empty() {
            None
        } else {
            per_hundred(terminals, pupils)
        },
    );
    let dated: Vec<NaiveDate> = active
        .iter()
        .filter(|a| ["desktop", "laptop"].contains(&a.category.as_str()))
        .filter_map(|a| a.purchase_date)
        .collect();
    let (y, m, dd) = OLD_BEFORE;
    let old = dated.iter().filter(|p| **p < d(y, m, dd)).count() as i64;
    out.insert(
        Metric::ComputersOlderThan5Years,
        per_hundred(old, dated.len() as i64),
    );

    // Occupancy: the school days of the period, the slots, the resources
    // bookable now, and the (resource, slot, day) held.
    let off = day_off::Entity::find()
        .filter(day_off::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("days off");
    let mut days = BTreeSet::new();
    let mut day = d(2026, 9, 1);
    while day <= today() {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && !off.iter().any(|o| o.start_date <= day && day <= o.end_date) {
            days.insert(day);
        }
        day = day.succ_opt().expect("next day");
    }
    let slots = slot::Entity::find()
        .filter(slot::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("slots");
    let bookable: BTreeSet<Uuid> = resource::Entity::find()
        .filter(resource::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("resources")
        .into_iter()
        .filter(|r| r.active)
        .map(|r| r.id)
        .collect();
    let mut held = BTreeSet::new();
    for b in booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("bookings")
    {
        if b.status != "approved" || !days.contains(&b.day) || !bookable.contains(&b.resource_id) {
            continue;
        }
        for s in &slots {
            if b.start_min < s.end_min && b.end_min > s.start_min {
                held.insert((b.resource_id, s.id, b.day));
            }
        }
    }
    out.insert(
        Metric::BookingOccupancy,
        per_hundred(
            held.len() as i64,
            (days.len() * slots.len() * bookable.len()) as i64,
        ),
    );

    let loans = loan::Entity::find()
        .filter(loan::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("loans");
    let out_now: Vec<_> = loans.iter().filter(|l| l.status == "out").collect();
    out.insert(Metric::LoansOut, Some(out_now.len() as i64 * 1000));
    out.insert(
        Metric::LoansOverdue,
        Some(out_now.iter().filter(|l| l.due_on < today()).count() as i64 * 1000),
    );

    let mut last: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    for i in import::Entity::find()
        .filter(import::Column::EtablissementId.eq(etab))
        .all(c)
        .await
        .expect("imports")
    {
        if let (true, Some(t)) = (i.status == "applied", i.applied_at) {
            let e = last.entry(i.source).or_insert(t);
            *e = (*e).max(t);
        }
    }
    out.insert(
        Metric::DirectoryFreshness,
        last.values().min().map(|t| (now - *t).num_days() * 1000),
    );
    out
}

/// The values `current` gives, by metric, and how many statements it ran.
async fn read(app: &TestApp, etab: Uuid) -> (Mesures, BTreeMap<Metric, Option<i64>>, u64) {
    let e = school(app, etab).await;
    let before = app.db.statements();
    let m = mesures::current(&app.db, &e, now()).await.expect("mesures");
    let statements = app.db.statements() - before;
    let values = m.values.iter().map(|v| (v.metric, v.value)).collect();
    (m, values, statements)
}

/// `current` agrees with the test's own figures, in at most two statements.
async fn check(app: &TestApp, etab: Uuid, when: &str) -> BTreeMap<Metric, Option<i64>> {
    let (m, got, statements) = read(app, etab).await;
    assert!(
        (1..=2).contains(&statements),
        "{when}: {statements} statements"
    );
    assert_eq!(got, expected(app, etab).await, "{when}");
    assert_eq!(
        got.keys().copied().collect::<Vec<_>>(),
        Metric::ALL
            .iter()
            .copied()
            .filter(|m| m.computed_today())
            .collect::<Vec<_>>()
    );
    assert_eq!(m.year.0, 2026);
    assert_eq!(
        m.get(Metric::SlaCompliance).map(|v| v.covers),
        Some(Covers::SchoolYearSoFar {
            from: year_start(),
            to: now()
        })
    );
    assert_eq!(
        m.get(Metric::LoansOut).map(|v| v.covers),
        Some(Covers::At(now()))
    );
    got
}

/// The values agree with the parc indicators page and the occupancy page
/// over the same period.
async fn agrees_with_the_other_pages(
    app: &TestApp,
    etab: Uuid,
    got: &BTreeMap<Metric, Option<i64>>,
) {
    let ctx = ctx_of(app, REFERENT_A).await;
    let dash = indicators::dashboard_at(&app.db, &ctx, etab, Period::SchoolYear, now())
        .await
        .expect("dashboard");
    let near = |mine: Option<i64>, theirs: Option<f64>, what: &str| match (mine, theirs) {
        (Some(a), Some(b)) => assert!(
            (a as f64 / 1000.0 - b).abs() <= 0.0005 + 1e-9,
            "{what}: {a} against {b}"
        ),
        (None, None) => {}
        other => panic!("{what}: {other:?}"),
    };
    let t = dash.tickets.as_ref().expect("helpdesk figures");
    near(
        got[&Metric::EquipmentAvailability],
        t.availability,
        "availability",
    );
    near(got[&Metric::SlaCompliance], t.sla.percent, "sla");
    near(
        got[&Metric::TerminalsPer100Pupils],
        dash.terminals_per_100,
        "terminals",
    );
    near(
        got[&Metric::ComputersOlderThan5Years],
        dash.old_computers.percent,
        "old computers",
    );
    let teacher = ctx_of(app, TEACHER_A).await;
    let o = occupancy::report_at(&app.db, &teacher, etab, Period::SchoolYear, now())
        .await
        .expect("occupancy");
    let booked: i64 = o.per_resource.iter().map(|r| r.booked).sum();
    let bookable: i64 = o.per_resource.iter().map(|r| r.bookable).sum();
    near(
        got[&Metric::BookingOccupancy],
        (bookable > 0).then(|| booked as f64 * 100.0 / bookable as f64),
        "occupancy",
    );
}

async fn bound_indicators_follow_the_data(app: &TestApp) {
    let a = setup(app).await;
    let b = app.etab_id(UAI_B).await;
    let c = &app.db.conn;
    let uai_a = school(app, a).await.uai;
    let teacher = app.account_id(TEACHER_A).await;

    // The other school: a deployed desktop, a loan out, an import.
    let uai_b = school(app, b).await.uai;
    let b_desk = an_asset(b, "B-D1", "desktop", "in_service", Some(d(2018, 1, 1)));
    let b_loan = a_loan(
        b,
        b_desk.id,
        app.account_id(TEACHER_B).await,
        d(2027, 1, 4),
        None,
    );
    insert::<asset::Entity, _>(app, vec![b_desk]).await;
    insert::<loan::Entity, _>(app, vec![b_loan]).await;
    insert::<import::Entity, _>(
        app,
        vec![an_import(b, &uai_b, "sts", "applied", at(2026, 9, 20, 9))],
    )
    .await;

    // Before anything: the demo school, as the test counts it.
    check(app, a, "demo").await;
    let b_before = check(app, b, "school B").await;
    assert_eq!(b_before[&Metric::LoansOverdue], Some(1000));
    assert!(b_before[&Metric::DirectoryFreshness].is_some());

    // Assets: two old computers (one in stock), a recent laptop out on
    // loan, a broken tablet, a projector, a retired desktop.
    let old_desk = an_asset(a, "M-D1", "desktop", "in_service", Some(d(2020, 6, 1)));
    let stock = an_asset(a, "M-D2", "desktop", "in_stock", Some(d(2019, 3, 1)));
    let laptop = an_asset(a, "M-L1", "laptop", "lent", Some(d(2025, 1, 10)));
    let tablet = an_asset(a, "M-T1", "tablet", "broken", Some(d(2023, 9, 1)));
    let projector = an_asset(a, "M-P1", "projector", "in_service", None);
    let retired = an_asset(a, "M-R1", "desktop", "retired", Some(d(2012, 1, 1)));
    let lent = [
        an_asset(a, "M-L2", "laptop", "lent", Some(d(2024, 2, 1))),
        an_asset(a, "M-L3", "laptop", "lent", Some(d(2024, 2, 1))),
        an_asset(a, "M-L4", "laptop", "in_service", Some(d(2024, 2, 1))),
    ];
    let (old_id, tablet_id, projector_id) = (old_desk.id, tablet.id, projector.id);
    let lent_ids: Vec<Uuid> = lent.iter().map(|l| l.id).collect();
    let mut rows = vec![old_desk, stock, laptop, tablet, projector, retired];
    rows.extend(lent);
    insert::<asset::Entity, _>(app, rows).await;

    // Tickets: resolved in time in the period, resolved late in it, due in
    // it and still open, resolved before it, due after now.
    let tickets = vec![
        a_ticket(
            a,
            90_001,
            at(2026, 10, 1, 8),
            Some(at(2026, 10, 2, 8)),
            Some(at(2026, 10, 3, 8)),
        ),
        a_ticket(
            a,
            90_002,
            at(2026, 11, 2, 8),
            Some(at(2026, 11, 9, 8)),
            Some(at(2026, 11, 4, 8)),
        ),
        a_ticket(
            a,
            90_003,
            at(2027, 1, 20, 8),
            None,
            Some(at(2027, 1, 22, 8)),
        ),
        a_ticket(
            a,
            90_004,
            at(2026, 6, 1, 8),
            Some(at(2026, 6, 2, 8)),
            Some(at(2026, 6, 5, 8)),
        ),
        a_ticket(a, 90_005, at(2027, 1, 28, 8), None, Some(at(2027, 2, 3, 8))),
    ];
    let ticket_ids: Vec<Uuid> = tickets.iter().map(|t| t.id).collect();
    insert::<ticket::Entity, _>(app, tickets).await;

    // Unusable: two days in October; from August into September (clipped);
    // the tablet since yesterday, still.
    insert::<unavailability::Entity, _>(
        app,
        vec![
            unusable(
                a,
                old_id,
                ticket_ids[0],
                at(2026, 10, 1, 8),
                Some(at(2026, 10, 3, 8)),
            ),
            unusable(
                a,
                projector_id,
                ticket_ids[3],
                at(2026, 8, 30, 8),
                Some(at(2026, 9, 2, 8)),
            ),
            unusable(a, tablet_id, ticket_ids[2], at(2027, 1, 28, 15), None),
        ],
    )
    .await;

    // Bookings: approved ones on school days (one over two slots, two in
    // one slot), a pending one, one on a Saturday, one in the Christmas
    // holidays.
    let room = resource_of(app, a, "Salle informatique 101").await.id;
    let cart = resource_of(app, a, "T-CHAR-01").await.id;
    let m2 = slot_of(app, a, "M2").await;
    let m3 = slot_of(app, a, "M3").await;
    let (m2s, m2e, m3e) = (m2.start_min, m2.end_min, m3.end_min);
    insert::<booking::Entity, _>(
        app,
        vec![
            a_booking(a, room, teacher, d(2027, 1, 5), (m2s, m2e), "approved"),
            a_booking(
                a,
                room,
                teacher,
                d(2027, 1, 5),
                (m2s + 10, m2s + 20),
                "approved",
            ),
            a_booking(a, room, teacher, d(2027, 1, 12), (m2s, m3e), "approved"),
            a_booking(a, cart, teacher, d(2026, 11, 17), (m2s, m2e), "approved"),
            a_booking(a, room, teacher, d(2027, 1, 14), (m2s, m2e), "pending"),
            a_booking(a, room, teacher, d(2027, 1, 9), (m2s, m2e), "approved"),
            a_booking(a, room, teacher, d(2026, 12, 22), (m2s, m2e), "approved"),
        ],
    )
    .await;

    // A resource withdrawn from booking: its approved booking is not
    // counted, and it adds no bookable slot.
    let withdrawn = resource::Model {
        id: Uuid::now_v7(),
        room_id: None,
        asset_id: Some(projector_id),
        active: false,
        ..resource_of(app, a, "T-CHAR-01").await
    };
    let withdrawn_id = withdrawn.id;
    insert::<resource::Entity, _>(app, vec![withdrawn]).await;
    insert::<booking::Entity, _>(
        app,
        vec![a_booking(
            a,
            withdrawn_id,
            teacher,
            d(2027, 1, 7),
            (m2s, m2e),
            "approved",
        )],
    )
    .await;

    // Loans: two out (one overdue), one returned.
    let lent_loans = vec![
        a_loan(a, lent_ids[0], teacher, d(2027, 6, 30), None),
        a_loan(a, lent_ids[1], teacher, d(2027, 1, 20), None),
        a_loan(
            a,
            lent_ids[2],
            teacher,
            d(2026, 12, 18),
            Some(d(2026, 12, 17)),
        ),
    ];
    let overdue_loan = lent_loans[1].id;
    insert::<loan::Entity, _>(app, lent_loans).await;

    // The directory: STS-web applied on 10 January, SIECLE on 1 October
    // then 1 December, an AAF preview never applied.
    insert::<import::Entity, _>(
        app,
        vec![
            an_import(a, &uai_a, "sts", "applied", at(2027, 1, 10, 10)),
            an_import(a, &uai_a, "siecle", "applied", at(2026, 10, 1, 9)),
            an_import(a, &uai_a, "siecle", "applied", at(2026, 12, 1, 9)),
            an_import(a, &uai_a, "aaf", "preview", at(2026, 9, 15, 9)),
        ],
    )
    .await;

    let first = check(app, a, "known rows").await;
    agrees_with_the_other_pages(app, a, &first).await;
    // The rows written make every value defined.
    for (metric, v) in &first {
        assert!(v.is_some(), "{metric:?} undefined");
    }
    // SIECLE, the oldest source, was last applied on 1 December 09:00:
    // 59 whole days before Friday 29 January 15:00.
    assert_eq!(first[&Metric::DirectoryFreshness], Some(59_000));

    // Changes: the projector flagged unusable since 1 January; the old
    // desktop retired; the overdue loan returned; another approved
    // booking; a ticket resolved late; SIECLE imported again.
    insert::<unavailability::Entity, _>(
        app,
        vec![unusable(
            a,
            projector_id,
            ticket_ids[1],
            at(2027, 1, 1, 0),
            None,
        )],
    )
    .await;
    let mut desk = asset::Entity::find_by_id(old_id)
        .one(c)
        .await
        .expect("asset")
        .expect("row")
        .into_active_model();
    desk.status = Set("retired".into());
    desk.update(c).await.expect("retire");
    let mut back = loan::Entity::find_by_id(overdue_loan)
        .one(c)
        .await
        .expect("loan")
        .expect("row")
        .into_active_model();
    back.status = Set("returned".into());
    back.returned_on = Set(Some(d(2027, 1, 25)));
    back.update(c).await.expect("return");
    insert::<booking::Entity, _>(
        app,
        vec![a_booking(
            a,
            cart,
            teacher,
            d(2027, 1, 26),
            (m2s, m3e),
            "approved",
        )],
    )
    .await;
    insert::<ticket::Entity, _>(
        app,
        vec![a_ticket(
            a,
            90_006,
            at(2027, 1, 4, 8),
            Some(at(2027, 1, 25, 8)),
            Some(at(2027, 1, 6, 8)),
        )],
    )
    .await;
    insert::<import::Entity, _>(
        app,
        vec![an_import(
            a,
            &uai_a,
            "siecle",
            "applied",
            at(2027, 1, 26, 9),
        )],
    )
    .await;

    let second = check(app, a, "after the changes").await;
    agrees_with_the_other_pages(app, a, &second).await;
    let moved = |m: Metric| (first[&m].expect("before"), second[&m].expect("after"));
    let (x, y) = moved(Metric::EquipmentAvailability);
    assert!(y < x, "availability {x} → {y}");
    let (x, y) = moved(Metric::SlaCompliance);
    assert!(y < x, "sla {x} → {y}");
    let (x, y) = moved(Metric::TerminalsPer100Pupils);
    assert!(y < x, "terminals {x} → {y}");
    let (x, y) = moved(Metric::ComputersOlderThan5Years);
    assert!(y < x, "old computers {x} → {y}");
    let (x, y) = moved(Metric::BookingOccupancy);
    assert!(y > x, "occupancy {x} → {y}");
    assert_eq!(
        moved(Metric::LoansOut),
        (
            first[&Metric::LoansOut].expect("out"),
            first[&Metric::LoansOut].expect("out") - 1000
        )
    );
    assert_eq!(
        moved(Metric::LoansOverdue).1,
        first[&Metric::LoansOverdue].expect("overdue") - 1000
    );
    // Now STS-web is the oldest: 10 January 10:00 is 19 whole days before
    // 29 January 15:00.
    assert_eq!(second[&Metric::DirectoryFreshness], Some(19_000));

    // The other school did not move.
    assert_eq!(check(app, b, "school B after").await, b_before);
}

/// A school without assets, tickets, bookings, loans, pupils or imports:
/// no percentage, no rate, no freshness; zero loans.
async fn a_school_without_data_has_no_values(app: &TestApp) {
    app.demo().await;
    let a = school(app, app.etab_id(UAI_A).await).await;
    let empty = etablissement::Model {
        id: Uuid::now_v7(),
        uai: "0149999Z".into(),
        name: "Collège sans données".into(),
        pupil_count: 0,
        search_text: "college sans donnees".into(),
        ..a
    };
    let id = empty.id;
    insert::<etablissement::Entity, _>(app, vec![empty]).await;
    let (m, got, statements) = read(app, id).await;
    assert!(statements <= 2, "{statements} statements");
    assert_eq!(got, expected(app, id).await);
    for metric in [
        Metric::EquipmentAvailability,
        Metric::SlaCompliance,
        Metric::TerminalsPer100Pupils,
        Metric::ComputersOlderThan5Years,
        Metric::BookingOccupancy,
        Metric::DirectoryFreshness,
    ] {
        assert_eq!(m.value(metric), None, "{metric:?}");
    }
    assert_eq!(m.value(Metric::LoansOut), Some(0));
    assert_eq!(m.value(Metric::LoansOverdue), Some(0));
    assert_eq!(
        m.get(Metric::DirectoryFreshness).map(|v| v.covers),
        Some(Covers::SinceImport {
            imported: None,
            at: now()
        })
    );
    // Pupils but still no equipment: no rate per 100 pupils either.
    let mut e = school(app, id).await.into_active_model();
    e.pupil_count = Set(400);
    e.update(&app.db.conn).await.expect("pupils");
    let (m, _, _) = read(app, id).await;
    assert_eq!(m.value(Metric::TerminalsPer100Pupils), None);
    // One tablet: 1 per 400 pupils is 0,25 per 100.
    insert::<asset::Entity, _>(app, vec![an_asset(id, "E-T1", "tablet", "in_stock", None)]).await;
    let (m, got, _) = read(app, id).await;
    assert_eq!(got, expected(app, id).await);
    assert_eq!(m.value(Metric::TerminalsPer100Pupils), Some(250));
    // In stock only: nothing deployed, no availability.
    assert_eq!(m.value(Metric::EquipmentAvailability), None);
}

both_backends!(
    bound_indicators_follow_the_data,
    a_school_without_data_has_no_values
);
