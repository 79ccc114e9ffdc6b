//! The support integration tests: SLA due times, support organisations,
//! leases, reminders, notifications and e-mail.

use chrono::{DateTime, TimeZone, Utc};
use refnum_db::entities::support::{etab_support_target, support_organisation, support_target};
use refnum_domain::ticket::Priority;
use refnum_services::support::sla::{SlaDue, due_times};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, element_text};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use uuid::Uuid;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid")
}

/// An organisation with a calendar and targets, straight in the database.
async fn org_with_contract(
    app: &TestApp,
    name: &str,
    calendar: Option<&str>,
    targets: &[(&str, i32, i32)],
) -> Uuid {
    let id = Uuid::now_v7();
    support_organisation::Entity::insert(support_organisation::ActiveModel {
        id: Set(id),
        name: Set(name.into()),
        created_at: Set(Utc::now()),
        kind: Set("private_provider".into()),
        contact_name: Set(None),
        contact_email: Set(None),
        contact_phone: Set(None),
        website: Set(None),
        collectivite_id: Set(None),
        notes: Set(None),
        calendar: Set(calendar.map(str::to_string)),
    })
    .exec_without_returning(&app.db.conn)
    .await
    .expect("organisation");
    for (p, resp, res) in targets {
        support_target::Model {
            organisation_id: id,
            priority: (*p).into(),
            response_minutes: *resp,
            resolution_minutes: *res,
        }
        .into_active_model()
        .insert(&app.db.conn)
        .await
        .expect("target");
    }
    id
}

async fn due_times_follow_the_contract_calendar_weekends_closed_days_and_summer_time(
    app: &TestApp,
) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let cal = r#"{"days":[["08:00-12:00","13:30-17:30"],["08:00-12:00","13:30-17:30"],["08:00-12:00","13:30-17:30"],["08:00-12:00","13:30-17:30"],["08:00-12:00","13:30-17:30"],[],[]],"closed":["2026-11-30"]}"#;
    let org = org_with_contract(app, "Prestataire SLA", Some(cal), &[("p2", 60, 600)]).await;
    // Friday 27 November 2026, 16:30 in Paris (15:30 UTC): the response is
    // due at 17:30 the same day; the resolution (10 working hours) skips the
    // weekend and the closed Monday: 1 h on Friday, 8 h on Tuesday, 1 h on
    // Wednesday → Wednesday 2 December 9:00 in Paris (8:00 UTC).
    let due = due_times(
        &app.db.conn,
        a,
        Some(org),
        Priority::P2,
        utc(2026, 11, 27, 15, 30),
    )
    .await
    .expect("due");
    assert_eq!(
        due,
        SlaDue {
            response: Some(utc(2026, 11, 27, 16, 30)),
            resolution: Some(utc(2026, 12, 2, 8, 0)),
        }
    );
    // No target for that priority in the contract: no due time.
    let none = due_times(
        &app.db.conn,
        a,
        Some(org),
        Priority::P4,
        utc(2026, 11, 27, 15, 30),
    )
    .await
    .expect("due");
    assert_eq!(none, SlaDue::default());

    // In the school, default in-house targets (P1: 1 h / 8 h), across the
    // autumn change of time: Friday 23 October 2026 17:00 in Paris (15:00
    // UTC, summer time) → response Monday 26 October 8:30 in Paris (7:30
    // UTC, winter time), resolution Monday 17:00 in Paris (16:00 UTC).
    let due = due_times(
        &app.db.conn,
        a,
        None,
        Priority::P1,
        utc(2026, 10, 23, 15, 0),
    )
    .await
    .expect("due");
    assert_eq!(
        due,
        SlaDue {
            response: Some(utc(2026, 10, 26, 7, 30)),
            resolution: Some(utc(2026, 10, 26, 16, 0)),
        }
    );
    // Spring: Friday 27 March 2026 17:00 in Paris (16:00 UTC, winter time)
    // + 1 h → Monday 30 March 8:30 in Paris (6:30 UTC, summer time).
    let due = due_times(&app.db.conn, a, None, Priority::P1, utc(2026, 3, 27, 16, 0))
        .await
        .expect("due");
    assert_eq!(due.response, Some(utc(2026, 3, 30, 6, 30)));

    // The school's own targets replace the defaults.
    etab_support_target::Model {
        etablissement_id: a,
        priority: "p1".into(),
        response_minutes: 30,
        resolution_minutes: 120,
    }
    .into_active_model()
    .insert(&app.db.conn)
    .await
    .expect("in-house target");
    // Monday 30 November 2026 11:00 Paris (10:00 UTC): +30 min, +2 h across lunch.
    let due = due_times(
        &app.db.conn,
        a,
        None,
        Priority::P1,
        utc(2026, 11, 30, 10, 0),
    )
    .await
    .expect("due");
    assert_eq!(
        due,
        SlaDue {
            response: Some(utc(2026, 11, 30, 10, 30)),
            resolution: Some(utc(2026, 11, 30, 13, 30)),
        }
    );
}

both_backends!(due_times_follow_the_contract_calendar_weekends_closed_days_and_summer_time);

async fn org_by_name(app: &TestApp, name: &str) -> support_organisation::Model {
    use sea_orm::{ColumnTrait, QueryFilter};
    support_organisation::Entity::find()
        .filter(support_organisation::Column::Name.eq(name))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("organisation exists")
}

async fn count_orgs(app: &TestApp) -> u64 {
    use sea_orm::PaginatorTrait;
    support_organisation::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn organisations_are_seen_and_edited_only_within_the_schools_they_serve(app: &TestApp) {
    app.demo().await;
    let academic = org_by_name(app, "Assistance académique de Normandie").await;
    let provider_b = org_by_name(app, "Calvados Informatique Services").await; // serves school B only
    let ra = app.signed_in(REFERENT_A).await;
    let list = ra
        .get(app.url("/support/organisations"))
        .send()
        .await
        .expect("get");
    assert_eq!(list.status(), 200);
    let html = list.text().await.expect("body");
    assert!(html.contains("Assistance académique de Normandie"));
    assert!(!html.contains("Calvados Informatique Services"));
    // School B's provider: 404 on every route, GET and POST, nothing changed.
    let b = provider_b.id;
    for path in [
        format!("/support/organisations/{b}"),
        format!("/support/organisations/{b}/modifier"),
        format!("/support/organisations/{b}/objectifs"),
        format!("/support/organisations/{b}/calendrier"),
    ] {
        let r = ra.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), 404, "GET {path}");
    }
    for (path, fields) in [
        (
            format!("/support/organisations/{b}/modifier"),
            vec![("name", "Piraté"), ("kind", "publisher")],
        ),
        (
            format!("/support/organisations/{b}/objectifs"),
            vec![("response_p1", "10"), ("resolution_p1", "20")],
        ),
        (
            format!("/support/organisations/{b}/calendrier"),
            vec![("day_0", "08:00-09:00")],
        ),
    ] {
        let r = app
            .post_form(&ra, "/support/organisations", &path, &fields)
            .await;
        assert_eq!(r.status(), 404, "POST {path}");
    }
    let after = org_by_name(app, "Calvados Informatique Services").await;
    assert_eq!(after, provider_b, "nothing changed");
    assert!(
        refnum_db::support::org_targets(&app.db.conn, b)
            .await
            .expect("targets")
            .is_empty()
    );
    // The académie's assistance serves every school: referent A sees it but
    // may not edit it (403).
    let a = academic.id;
    let r = ra
        .get(app.url(&format!("/support/organisations/{a}")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let r = ra
        .get(app.url(&format!("/support/organisations/{a}/modifier")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 403);
    // A teacher of school A sees no organisation.
    let ta = app.signed_in(TEACHER_A).await;
    let r = ta
        .get(app.url(&format!("/support/organisations/{a}")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
    // School B's referent edits its provider; the admin sees everything.
    let rb = app.signed_in(REFERENT_B).await;
    let r = app
        .post_form(
            &rb,
            "/support/organisations",
            &format!("/support/organisations/{b}/objectifs"),
            &[("response_p1", "60"), ("resolution_p1", "480")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let t = refnum_db::support::org_target(&app.db.conn, b, "p1")
        .await
        .expect("target")
        .expect("stored");
    assert_eq!((t.response_minutes, t.resolution_minutes), (60, 480));
    let admin = app.signed_in(ADMIN).await;
    for path in [
        format!("/support/organisations/{b}"),
        format!("/support/organisations/{a}/modifier"),
    ] {
        let r = admin.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), 200, "admin GET {path}");
    }
    let html = admin
        .get(app.url(&format!("/support/organisations/{b}")))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(html.contains("Collège Jacques Monod") && html.contains("1 h"));
}

async fn organisation_forms_refuse_bad_input_and_change_nothing(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let ra = app.signed_in(REFERENT_A).await;
    let before = count_orgs(app).await;
    let (a_s, b_s) = (a.to_string(), b.to_string());
    let r = app
        .post_form(
            &ra,
            "/support/organisations/nouvelle",
            "/support/organisations/nouvelle",
            &[
                ("name", "Réparations Express"),
                ("kind", "collectivite"),
                ("collectivite_id", ""),
                ("contact_email", "pas-une-adresse"),
                ("contact_phone", "appelez-moi"),
                ("website", "javascript:alert(1)"),
                ("serves", b_s.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    for msg in [
        "Choisissez la collectivité de cet organisme.",
        "Saisissez une adresse web complète commençant par https://",
        "Saisissez un numéro de téléphone",
        "Choisissez une valeur dans la liste.",
    ] {
        assert!(html.contains(msg), "{msg}");
    }
    assert!(html.contains("id=\"error-contact_email\""));
    assert_eq!(count_orgs(app).await, before, "nothing stored");

    let r = app
        .post_form(
            &ra,
            "/support/organisations/nouvelle",
            "/support/organisations/nouvelle",
            &[
                ("name", "Réparations Express"),
                ("kind", "private_provider"),
                ("contact_name", "Camille Martin"),
                ("contact_email", "Contact@Reparations.example"),
                ("contact_phone", "02 31 00 00 00"),
                ("website", "https://reparations.example"),
                ("serves", a_s.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let org = org_by_name(app, "Réparations Express").await;
    assert_eq!(
        r.headers()["location"].to_str().expect("location"),
        format!("/support/organisations/{}?fait=cree", org.id)
    );
    assert_eq!(
        org.contact_email.as_deref(),
        Some("contact@reparations.example")
    );
    assert_eq!(
        refnum_db::orgs::served_by(&app.db.conn, org.id)
            .await
            .expect("served"),
        vec![a]
    );
    // The same name again is a field error.
    let r = app
        .post_form(
            &ra,
            "/support/organisations/nouvelle",
            "/support/organisations/nouvelle",
            &[
                ("name", "Réparations Express"),
                ("kind", "publisher"),
                ("serves", a_s.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("id=\"error-name\""));

    // Targets: zero, text, resolution shorter than response, half a pair.
    let targets = format!("/support/organisations/{}/objectifs", org.id);
    let r = app
        .post_form(
            &ra,
            &targets,
            &targets,
            &[
                ("response_p1", "0"),
                ("resolution_p1", "60"),
                ("response_p2", "120"),
                ("resolution_p2", "60"),
                ("response_p3", "deux heures"),
                ("resolution_p3", "600"),
                ("response_p4", "60"),
                ("resolution_p4", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    for id in [
        "error-response_p1",
        "error-resolution_p2",
        "error-response_p3",
        "error-resolution_p4",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("Le délai de résolution ne peut pas être plus court"));
    assert!(
        refnum_db::support::org_targets(&app.db.conn, org.id)
            .await
            .expect("targets")
            .is_empty()
    );
    let r = app
        .post_form(
            &ra,
            &targets,
            &targets,
            &[("response_p2", "60"), ("resolution_p2", "600")],
        )
        .await;
    assert_eq!(r.status(), 303);

    // Calendar: reversed hours and a bad date are refused; good ones are
    // used by the due times.
    let cal = format!("/support/organisations/{}/calendrier", org.id);
    let r = app
        .post_form(
            &ra,
            &cal,
            &cal,
            &[("day_0", "12:00-08:00"), ("closed", "2026-02-30")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("id=\"error-day_0\"") && html.contains("id=\"error-closed\""));
    assert_eq!(org_by_name(app, "Réparations Express").await.calendar, None);
    let r = app
        .post_form(
            &ra,
            &cal,
            &cal,
            &[
                ("day_0", "09:00-12:00"),
                ("day_1", "09:00-12:00"),
                ("day_2", ""),
                ("day_3", "9h-12h"),
                ("day_4", "09:00-12:00"),
                ("closed", "2026-12-01\n"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Monday 30 November 2026 11:00 Paris + 1 h: Monday 11:00–12:00 → due at noon.
    // + 10 h: Monday 1 h, Tuesday closed, Wednesday off, Thursday 3 h,
    // Friday 3 h, next Monday 3 h → Monday 7 December 12:00 Paris (11:00 UTC).
    let due = due_times(
        &app.db.conn,
        a,
        Some(org.id),
        Priority::P2,
        utc(2026, 11, 30, 10, 0),
    )
    .await
    .expect("due");
    assert_eq!(due.response, Some(utc(2026, 11, 30, 11, 0)));
    assert_eq!(due.resolution, Some(utc(2026, 12, 7, 11, 0)));
    let page = ra
        .get(app.url(&format!("/support/organisations/{}", org.id)))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("2026-12-01") && page.contains("09:00-12:00"));
}

both_backends!(
    organisations_are_seen_and_edited_only_within_the_schools_they_serve,
    organisation_forms_refuse_bad_input_and_change_nothing
);

async fn a_job_lease_has_one_holder_at_a_time(app: &TestApp) {
    use refnum_db::support::take_lease;
    let now = Utc::now();
    let until = now + chrono::Duration::minutes(5);
    let (a, b) = tokio::join!(
        take_lease(&app.db.conn, "test.job", "server-a", now, until),
        take_lease(&app.db.conn, "test.job", "server-b", now, until),
    );
    let (a, b) = (a.expect("lease a"), b.expect("lease b"));
    assert!(a ^ b, "exactly one holder: {a} {b}");
    let (winner, loser) = if a {
        ("server-a", "server-b")
    } else {
        ("server-b", "server-a")
    };
    // The holder renews; the other waits for the expiry, then takes over.
    let later = now + chrono::Duration::minutes(1);
    assert!(
        take_lease(&app.db.conn, "test.job", winner, later, until)
            .await
            .expect("renew")
    );
    assert!(
        !take_lease(&app.db.conn, "test.job", loser, later, until)
            .await
            .expect("refused")
    );
    let expired = until + chrono::Duration::seconds(1);
    assert!(
        take_lease(
            &app.db.conn,
            "test.job",
            loser,
            expired,
            expired + chrono::Duration::minutes(5)
        )
        .await
        .expect("take over")
    );
}

/// A ticket of school A, straight in the database.
async fn overdue_ticket(app: &TestApp, number: i64, due: DateTime<Utc>) -> Uuid {
    use refnum_db::entities::assistance::ticket;
    let a = app.etab_id(UAI_A).await;
    let id = Uuid::now_v7();
    let now = Utc::now();
    ticket::Model {
        id,
        etablissement_id: a,
        number,
        kind: "incident".into(),
        title: format!("Vidéoprojecteur {number} en panne"),
        description: "Plus d'image".into(),
        category: "projector".into(),
        asset_id: None,
        room_id: None,
        urgency: "high".into(),
        impact: "high".into(),
        priority: "p1".into(),
        unusable: false,
        status: "new".into(),
        requester_id: None,
        requester_name: "Test".into(),
        requester_contact: None,
        source: "web".into(),
        assignee_id: None,
        assigned_org_id: None,
        external_ref: None,
        created_at: now,
        updated_at: now,
        taken_at: None,
        escalated_at: None,
        resolved_at: None,
        closed_at: None,
        response_due_at: Some(due),
        resolution_due_at: Some(due + chrono::Duration::hours(8)),
        response_reminded_at: None,
        resolution_reminded_at: None,
        search_text: "videoprojecteur".into(),
    }
    .into_active_model()
    .insert(&app.db.conn)
    .await
    .expect("ticket");
    id
}

async fn overdue_tickets_are_reminded_once_even_by_concurrent_runs(app: &TestApp) {
    use refnum_services::support::{notifications, reminders};
    app.demo().await;
    let now = Utc::now();
    let late = overdue_ticket(app, 9001, now - chrono::Duration::hours(1)).await;
    let very_late = overdue_ticket(app, 9002, now - chrono::Duration::hours(10)).await;
    let _not_yet = overdue_ticket(app, 9003, now + chrono::Duration::hours(1)).await;
    let (r1, r2) = tokio::join!(reminders::run(&app.db, now), reminders::run(&app.db, now));
    let (r1, r2) = (r1.expect("run 1"), r2.expect("run 2"));
    // Two responses overdue (9001, 9002), one resolution overdue (9002).
    assert_eq!(r1.response + r2.response, 2, "{r1:?} {r2:?}");
    assert_eq!(r1.resolution + r2.resolution, 1, "{r1:?} {r2:?}");
    let again = reminders::run(&app.db, now + chrono::Duration::minutes(1))
        .await
        .expect("run 3");
    assert_eq!(
        again,
        reminders::ReminderRun::default(),
        "once per due time"
    );
    // The referent of school A got one notification per overdue due time.
    let referent = app.account_id(REFERENT_A).await;
    let of = |t: Uuid| async move {
        refnum_db::assistance::notifications_of_ticket(&app.db.conn, t)
            .await
            .expect("notifications")
            .into_iter()
            .filter(|n| n.account_id == referent)
            .map(|n| n.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(of(late).await, vec![reminders::KIND_RESPONSE.to_string()]);
    let mut kinds = of(very_late).await;
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            reminders::KIND_RESOLUTION.to_string(),
            reminders::KIND_RESPONSE.to_string()
        ]
    );
    assert_eq!(
        notifications::unread_count(&app.db, referent)
            .await
            .expect("count"),
        3
    );

    // The referent reads them on the notifications page and marks them read.
    let c = app.signed_in(REFERENT_A).await;
    let page = c
        .get(app.url("/notifications"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("3 notifications non lues"), "{page}");
    assert!(page.contains("Délai de prise en charge dépassé"), "{page}");
    assert!(page.contains("Délai de résolution dépassé"), "{page}");
    // Every page's header says it next to the link, in words.
    let header_count = |c: reqwest::Client| async move {
        let home = c
            .get(app.url("/"))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("body");
        element_text(&home, "nav-unread")
    };
    assert_eq!(
        header_count(c.clone()).await.as_deref(),
        Some("(3 notifications non lues)")
    );
    assert!(page.contains("<span class=\"nav-badge\" aria-hidden=\"true\">3</span>"));
    // Nobody else may mark them: another account's POST is 404.
    let mine = refnum_db::assistance::notifications_of_ticket(&app.db.conn, late)
        .await
        .expect("notifications")
        .into_iter()
        .find(|n| n.account_id == referent)
        .expect("the referent's notification");
    let other = app.signed_in(TEACHER_A).await;
    assert_eq!(
        header_count(other.clone()).await,
        None,
        "the teacher has none"
    );
    let r = app
        .post_form(
            &other,
            "/notifications",
            &format!("/notifications/{}/lire", mine.id),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        notifications::unread_count(&app.db, referent)
            .await
            .expect("count"),
        3
    );
    let r = app
        .post_form(&c, "/notifications", "/notifications/tout-lu", &[])
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    assert_eq!(
        notifications::unread_count(&app.db, referent)
            .await
            .expect("count"),
        0
    );
    assert_eq!(header_count(c).await, None, "all read: no count");
}

/// The header counts unread notifications up to a cap, then says "more
/// than 99"; each account sees its own count only.
async fn the_header_count_stops_at_its_cap(app: &TestApp) {
    use refnum_db::entities::assistance::notification;
    app.demo().await;
    let teacher = app.account_id(TEACHER_A).await;
    let rows = |n: usize, read: bool| {
        (0..n)
            .map(|i| notification::ActiveModel {
                id: Set(Uuid::now_v7()),
                account_id: Set(teacher),
                ticket_id: Set(None),
                etablissement_id: Set(None),
                kind: Set("ticket-status".into()),
                title: Set(format!("#{i}")),
                link: Set("/assistance".into()),
                created_at: Set(Utc::now()),
                read_at: Set(read.then(Utc::now)),
                emailed_at: Set(None),
            })
            .collect::<Vec<_>>()
    };
    let home = |c: reqwest::Client| async move {
        c.get(app.url("/"))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("body")
    };
    let c = app.signed_in(TEACHER_A).await;
    notification::Entity::insert_many(rows(1, false))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("one");
    notification::Entity::insert_many(rows(30, true))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("read ones");
    let html = home(c.clone()).await;
    assert_eq!(
        element_text(&html, "nav-unread").as_deref(),
        Some("(1 notification non lue)")
    );
    notification::Entity::insert_many(rows(150, false))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("many");
    let html = home(c).await;
    assert_eq!(
        element_text(&html, "nav-unread").as_deref(),
        Some("(plus de 99 notifications non lues)")
    );
    assert!(html.contains("<span class=\"nav-badge\" aria-hidden=\"true\">99+</span>"));
    // The exact figure stays on the notifications page.
    assert_eq!(
        refnum_services::support::notifications::unread_count(&app.db, teacher)
            .await
            .expect("count"),
        151
    );
    let other = app.signed_in(REFERENT_A).await;
    assert_eq!(element_text(&home(other).await, "nav-unread"), None);
}

both_backends!(
    a_job_lease_has_one_holder_at_a_time,
    overdue_tickets_are_reminded_once_even_by_concurrent_runs,
    the_header_count_stops_at_its_cap
);
