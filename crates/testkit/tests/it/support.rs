//! The support integration tests: SLA due times, support organisations,
//! leases, reminders, notifications and e-mail.

use chrono::{DateTime, TimeZone, Utc};
use refnum_db::entities::support::{etab_support_target, support_organisation, support_target};
use refnum_domain::ticket::Priority;
use refnum_services::support::sla::{SlaDue, due_times};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
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
