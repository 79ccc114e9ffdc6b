//! The pilotage home: a comité meeting with minutes creates two actions;
//! one becomes overdue and shows on the home and in the head's
//! notifications; the term's meeting to hold, this year's letter to write
//! and the letter's indicators off target are listed too. The demo's
//! school shows a living comité.

use chrono::Duration;
use refnum_services::Ctx;
use refnum_services::pilotage::comite::{self, ActionInput, MeetingInput, MinutesInput};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};
use uuid::Uuid;

async fn ctx_of(app: &TestApp, email: &str) -> Ctx {
    let acc = refnum_db::accounts::get_by_email(&app.db.conn, email)
        .await
        .expect("account")
        .expect("exists");
    Ctx::load(&app.db, acc, None).await.expect("ctx")
}

fn home(etab: Uuid) -> String {
    format!("/etablissements/{etab}/pilotage")
}

async fn an_overdue_action_shows_on_the_home_and_in_the_notifications(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let head = ctx_of(app, DIRECTION_A).await;
    let referent = app.account_id(REFERENT_A).await;
    let today = comite::today();
    let year = refnum_domain::pilotage::SchoolYear::of(today);
    let c = app.signed_in(DIRECTION_A).await;

    // Nothing yet: the letter to write and the term's meeting to hold.
    let html = app.page(&c, &home(a)).await;
    assert!(html.contains("class=\"due-letter\""), "{html}");
    assert!(html.contains("class=\"due-meeting\""));
    assert!(!html.contains("class=\"due-action\""));

    // A meeting today with its minutes, a decision, two actions: one due
    // yesterday (if the year allows), one next month.
    let rid = comite::create_meeting(
        &app.db,
        &head,
        a,
        &MeetingInput {
            school_year: year.label(),
            date: today.to_string(),
            place: "Salle du conseil".into(),
            agenda: "Écrans".into(),
            ..Default::default()
        },
    )
    .await
    .expect("meeting");
    comite::record_minutes(
        &app.db,
        &head,
        a,
        rid,
        &MinutesInput {
            minutes: "Les écrans seront demandés.".into(),
            public: true,
            ..Default::default()
        },
    )
    .await
    .expect("minutes");
    let late = (today - Duration::days(1)).max(year.first_day());
    let mut ids = vec![];
    for (title, due) in [
        ("Rédiger la demande d'écrans", late),
        ("Présenter la demande au CA", today + Duration::days(30)),
    ] {
        ids.push(
            comite::create_action(
                &app.db,
                &head,
                a,
                &ActionInput {
                    reunion_id: Some(rid),
                    school_year: year.label(),
                    title: title.into(),
                    owner_account_id: referent.to_string(),
                    due_on: due.to_string(),
                    ..Default::default()
                },
            )
            .await
            .expect("action"),
        );
    }
    let html = app.page(&c, &home(a)).await;
    assert!(
        !html.contains("class=\"due-meeting\""),
        "the term has its meeting"
    );
    if late < today {
        assert!(html.contains("class=\"due-action\""));
        assert!(html.contains("Rédiger la demande d&#39;écrans"), "{html}");
        assert!(html.contains(&format!("/pilotage/comite/actions/{}", ids[0])));
        assert!(!html.contains("Présenter la demande au CA"), "not overdue");
        // The signed-in home says it too, with its link.
        let start = app.page(&c, "/").await;
        assert!(
            start.contains("action du comité numérique en retard"),
            "{start}"
        );
        assert!(start.contains(&format!("href=\"{}\"", home(a))));
        // The reminder reaches the head's notifications, once.
        let sent = comite::remind_overdue(&app.db, chrono::Utc::now())
            .await
            .expect("remind");
        assert!(sent >= 1);
        let notes = app.page(&c, "/notifications").await;
        assert!(notes.contains("Rédiger la demande d&#39;écrans"), "{notes}");
        assert_eq!(
            comite::remind_overdue(&app.db, chrono::Utc::now())
                .await
                .expect("again"),
            0
        );
        // Done, it leaves the home.
        comite::set_action_status(&app.db, &head, a, ids[0], "done")
            .await
            .expect("done");
        let html = app.page(&c, &home(a)).await;
        assert!(!html.contains("class=\"due-action\""));
        assert!(
            !app.page(&c, "/")
                .await
                .contains("action du comité numérique en retard")
        );
    }

    // A teacher has no pilotage home; another school's referent neither.
    let t = app.signed_in(TEACHER_A).await;
    assert_eq!(app.get_text(&t, &home(a)).await.0, 403);
    let b = app.signed_in(REFERENT_B).await;
    assert_eq!(app.get_text(&b, &home(a)).await.0, 404);
}

/// `refnum demo`: the signed letter of the year, a comité with a meeting of
/// this year and an overdue action on the home; an indicator off target
/// when the figures miss it.
async fn the_demo_school_shows_its_comite_on_the_home(app: &TestApp) {
    app.demo().await;
    let today = comite::today();
    refnum_services::pilotage::demo::seed_demo_schools(&app.db, PASSWORD, today)
        .await
        .expect("demo");
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(DIRECTION_A).await;
    let html = app.page(&c, &home(a)).await;
    assert!(
        !html.contains("class=\"due-letter\""),
        "signed and acknowledged"
    );
    assert!(html.contains("id=\"pilotage-current-letter\""));
    let head = ctx_of(app, DIRECTION_A).await;
    let y = comite::year(
        &app.db,
        &head,
        a,
        refnum_domain::pilotage::SchoolYear::of(today),
        today,
    )
    .await
    .expect("comité");
    assert_eq!(y.members.len(), 4, "head, referent, Région, parents");
    assert_eq!(y.meetings.len(), 1);
    assert_eq!(y.actions.len(), 3);
    let overdue = y.actions.iter().filter(|l| l.overdue).count();
    if today - Duration::days(7) > y.meetings[0].meeting.date {
        assert_eq!(overdue, 1);
        assert!(html.contains("class=\"due-action\""));
    }
    // Off target: the demo letter's booking occupancy target (40 %) against
    // the figure now, as the home states it.
    let etab = refnum_db::orgs::get_etablissement(&app.db.conn, a)
        .await
        .expect("q")
        .expect("school");
    let m = refnum_services::pilotage::mesures::current(&app.db, &etab, chrono::Utc::now())
        .await
        .expect("figures");
    let occ = m.value(refnum_domain::pilotage::indicateurs::Metric::BookingOccupancy);
    assert_eq!(
        html.contains("Occupation des chariots et salles réservables"),
        occ.is_some_and(|v| v < 40_000),
        "listed exactly when below its target ({occ:?})"
    );
}

both_backends!(
    an_overdue_action_shows_on_the_home_and_in_the_notifications,
    the_demo_school_shows_its_comite_on_the_home,
);
