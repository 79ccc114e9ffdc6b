//! The comité numérique's use cases, through the services: the head files
//! a meeting with its attendance, minutes, a decision and two actions; an
//! action past its due date is listed overdue and reminded once to its
//! owner and the school's heads; a meeting dated outside its school year
//! writes nothing; each school's comité is its own, teachers read it
//! (public minutes only) and do not write it; the DANE reads it.

use chrono::{NaiveDate, TimeZone, Utc};
use refnum_db::entities::assistance::notification;
use refnum_db::entities::{audit_event, membership};
use refnum_db::pilotage::comite as q;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::{ActionStatus, Term};
use refnum_services::Ctx;
use refnum_services::error::ServiceError;
use refnum_services::pilotage::comite::{
    self, ActionInput, MeetingInput, MemberInput, MinutesInput,
};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

async fn ctx_of(app: &TestApp, email: &str) -> Ctx {
    let acc = refnum_db::accounts::get_by_email(&app.db.conn, email)
        .await
        .expect("account")
        .expect("exists");
    Ctx::load(&app.db, acc, None).await.expect("ctx")
}

fn field_errors(
    r: &Result<impl std::fmt::Debug, ServiceError>,
) -> Vec<(&'static str, &'static str)> {
    match r {
        Err(ServiceError::Invalid(v)) => v.iter().map(|e| (e.field, e.key)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn is_not_found<T: std::fmt::Debug>(r: &Result<T, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::NotFound))
}

fn is_forbidden<T: std::fmt::Debug>(r: &Result<T, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Forbidden))
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn events(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&app.db.conn)
        .await
        .expect("events")
}

/// The policy's refusals of `ManageComite` recorded so far.
async fn refused_manage(app: &TestApp) -> usize {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("policy.refused"))
        .all(&app.db.conn)
        .await
        .expect("events")
        .iter()
        .filter(|e| e.target.ends_with(":ManageComite"))
        .count()
}

async fn reminders(app: &TestApp) -> Vec<notification::Model> {
    notification::Entity::find()
        .filter(notification::Column::Kind.eq(comite::KIND_OVERDUE))
        .all(&app.db.conn)
        .await
        .expect("notifications")
}

fn meeting_input(date: &str) -> MeetingInput {
    MeetingInput {
        school_year: "2026-2027".into(),
        date: date.into(),
        start_time: "17:30".into(),
        place: "Salle B12".into(),
        agenda: "Place du numérique dans le projet d'établissement".into(),
    }
}

async fn the_head_runs_a_meeting_whose_overdue_action_is_reminded_once(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let head = ctx_of(app, DIRECTION_A).await;
    let referent = ctx_of(app, REFERENT_A).await;
    let teacher = ctx_of(app, TEACHER_A).await;
    let referent_b = ctx_of(app, REFERENT_B).await;
    let dane = ctx_of(app, DANE).await;
    let region = ctx_of(app, REGION).await;
    let teacher_id = app.account_id(TEACHER_A).await;
    let referent_id = app.account_id(REFERENT_A).await;

    // Members: the referent by their role, a parents' delegate by name.
    let wrong_role = comite::add_member(
        &app.db,
        &head,
        a,
        &MemberInput {
            kind: "staff".into(),
            account_id: teacher_id.to_string(),
            role: "direction".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        field_errors(&wrong_role),
        vec![("role", "pilotage-error-comite-member-role")]
    );
    let staff = MemberInput {
        kind: "staff".into(),
        account_id: referent_id.to_string(),
        role: "referent".into(),
        ..Default::default()
    };
    let m_referent = comite::add_member(&app.db, &head, a, &staff)
        .await
        .expect("referent member");
    assert_eq!(
        field_errors(&comite::add_member(&app.db, &head, a, &staff).await),
        vec![("account_id", "pilotage-error-comite-member-twice")]
    );
    let m_parent = comite::add_member(
        &app.db,
        &referent,
        a,
        &MemberInput {
            kind: "outside".into(),
            name: "  Mme Durand ".into(),
            quality: "parents".into(),
            ..Default::default()
        },
    )
    .await
    .expect("outside member");
    let members = q::members_of(&app.db.conn, a, false)
        .await
        .expect("members");
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].account_id, Some(referent_id));
    assert_eq!(members[0].role.as_deref(), Some("referent"));
    assert_eq!(members[1].name, "Mme Durand");
    assert_eq!(members[1].quality.as_deref(), Some("parents"));

    // A date outside the school year: refused naming the field, nothing
    // written.
    let r = comite::create_meeting(&app.db, &head, a, &meeting_input("2027-09-15")).await;
    assert_eq!(
        field_errors(&r),
        vec![("date", "pilotage-error-comite-date-outside-year")]
    );
    for y in [2026, 2027] {
        assert!(
            q::meetings_of_year(&app.db.conn, a, y)
                .await
                .expect("meetings")
                .is_empty()
        );
    }
    assert_eq!(events(app, "pilotage.comite_meeting_created").await, 0);

    // The meeting, its attendance, private minutes and a decision.
    let rid = comite::create_meeting(&app.db, &head, a, &meeting_input("12/11/2026"))
        .await
        .expect("meeting");
    comite::record_minutes(
        &app.db,
        &head,
        a,
        rid,
        &MinutesInput {
            present: vec![m_referent.to_string()],
            minutes: "Le comité retient l'équipement de deux salles.".into(),
            public: false,
        },
    )
    .await
    .expect("minutes");
    let decision = comite::add_decision(
        &app.db,
        &head,
        a,
        rid,
        "Équiper deux salles d'écrans interactifs",
    )
    .await
    .expect("decision");
    let stored = q::get_meeting(&app.db.conn, a, rid)
        .await
        .expect("read")
        .expect("meeting");
    assert_eq!(stored.date, d(2026, 11, 12));
    assert_eq!(stored.school_year, 2026);
    assert_eq!(stored.start_minute, Some(17 * 60 + 30));
    assert_eq!(stored.place, "Salle B12");
    assert_eq!(
        stored.minutes,
        "Le comité retient l'équipement de deux salles."
    );
    assert!(!stored.minutes_public);
    let mut attendance: Vec<(Uuid, bool)> = q::attendance_of(&app.db.conn, &[rid])
        .await
        .expect("attendance")
        .into_iter()
        .map(|p| (p.membre_id, p.present))
        .collect();
    attendance.sort();
    let mut expected = vec![(m_referent, true), (m_parent, false)];
    expected.sort();
    assert_eq!(attendance, expected);

    // The meeting moves within its year; not outside it.
    let mut moved = meeting_input("2026-11-19");
    moved.place = "CDI".into();
    moved.start_time = String::new();
    comite::update_meeting(&app.db, &referent, a, rid, &moved)
        .await
        .expect("moved");
    let stored = q::get_meeting(&app.db.conn, a, rid)
        .await
        .expect("read")
        .expect("meeting");
    assert_eq!(
        (stored.date, stored.place.as_str(), stored.start_minute),
        (d(2026, 11, 19), "CDI", None)
    );
    assert_eq!(
        field_errors(
            &comite::update_meeting(&app.db, &referent, a, rid, &meeting_input("2026-08-31")).await
        ),
        vec![("date", "pilotage-error-comite-date-outside-year")]
    );
    assert_eq!(
        q::get_meeting(&app.db.conn, a, rid)
            .await
            .expect("read")
            .expect("meeting")
            .date,
        d(2026, 11, 19)
    );

    // Two actions: one from the decision, owned by a teacher; one from the
    // meeting, owned by a named person.
    let first = comite::create_action(
        &app.db,
        &head,
        a,
        &ActionInput {
            reunion_id: Some(rid),
            decision_id: Some(decision),
            title: "Recenser les besoins des salles".into(),
            owner_account_id: teacher_id.to_string(),
            due_on: "2027-01-15".into(),
            ..Default::default()
        },
    )
    .await
    .expect("first action");
    let second = comite::create_action(
        &app.db,
        &head,
        a,
        &ActionInput {
            reunion_id: Some(rid),
            title: "Demander un devis à la collectivité".into(),
            detail: "Deux écrans et leurs supports".into(),
            owner_name: "M. Martin".into(),
            due_on: "31/03/2027".into(),
            ..Default::default()
        },
    )
    .await
    .expect("second action");
    let stored = q::actions_of_meeting(&app.db.conn, a, rid)
        .await
        .expect("actions");
    assert_eq!(
        stored.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    assert_eq!(stored[0].decision_id, Some(decision));
    assert_eq!(stored[0].owner_account_id, Some(teacher_id));
    assert_eq!(stored[0].due_on, d(2027, 1, 15));
    assert_eq!(stored[0].status, "todo");
    assert_eq!(stored[0].school_year, 2026);
    assert_eq!(stored[1].owner_account_id, None);
    assert_eq!(stored[1].owner_name, "M. Martin");
    assert_eq!(stored[1].detail, "Deux écrans et leurs supports");
    assert_eq!(stored[1].due_on, d(2027, 3, 31));
    assert_eq!(events(app, "pilotage.comite_action_created").await, 2);

    // The year as the head reads it, in December then in April.
    let y = comite::year(&app.db, &head, a, SchoolYear(2026), d(2026, 12, 1))
        .await
        .expect("year");
    assert_eq!(y.meetings.len(), 1);
    assert_eq!(y.meetings[0].decisions.len(), 1);
    assert_eq!(y.actions.len(), 2);
    assert_eq!(y.members.len(), 2);
    assert!(y.terms_without_meeting.is_empty());
    assert!(y.may_manage);
    let y = comite::year(&app.db, &head, a, SchoolYear(2026), d(2027, 4, 10))
        .await
        .expect("year");
    assert_eq!(y.terms_without_meeting, vec![Term::Second, Term::Third]);

    // The first action's due date passes: it is overdue, the second not.
    let o = comite::overdue(&app.db, &head, a, d(2027, 1, 15))
        .await
        .expect("overdue");
    assert_eq!(o.count, 0, "due today is not overdue");
    let o = comite::overdue(&app.db, &referent, a, d(2027, 1, 16))
        .await
        .expect("overdue");
    assert_eq!(o.count, 1);
    assert_eq!(o.actions[0].action.id, first);
    assert!(o.actions[0].overdue);

    // The reminder goes once to the owner and to the school's heads.
    assert_eq!(
        comite::remind_overdue(&app.db, Utc.with_ymd_and_hms(2027, 1, 15, 9, 0, 0).unwrap())
            .await
            .expect("not yet"),
        0
    );
    assert!(reminders(app).await.is_empty());
    let now = Utc.with_ymd_and_hms(2027, 1, 16, 9, 0, 0).unwrap();
    assert_eq!(
        comite::remind_overdue(&app.db, now).await.expect("remind"),
        1
    );
    let sent = reminders(app).await;
    let mut to: Vec<Uuid> = sent.iter().map(|n| n.account_id).collect();
    to.sort();
    let mut heads: Vec<Uuid> = membership::Entity::find()
        .filter(membership::Column::EtablissementId.eq(a))
        .filter(membership::Column::Role.eq("direction"))
        .all(&app.db.conn)
        .await
        .expect("heads")
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    assert!(heads.contains(&app.account_id(DIRECTION_A).await));
    heads.push(teacher_id);
    heads.sort();
    heads.dedup();
    assert_eq!(to, heads);
    for n in &sent {
        assert_eq!(n.title, "Recenser les besoins des salles · 15/01/2027");
        assert_eq!(
            n.link,
            format!("/etablissements/{a}/pilotage/comite/actions/{first}")
        );
        assert_eq!(n.etablissement_id, Some(a));
    }
    assert_eq!(
        comite::remind_overdue(&app.db, now + chrono::Duration::days(1))
            .await
            .expect("again"),
        0
    );
    assert_eq!(reminders(app).await.len(), sent.len(), "sent once");
    assert!(
        q::get_action(&app.db.conn, a, first)
            .await
            .expect("read")
            .expect("action")
            .reminded_at
            .is_some()
    );
    assert_eq!(events(app, "pilotage.comite_action_reminded").await, 1);

    // A new due date is reminded once it passes, not before.
    comite::update_action(
        &app.db,
        &referent,
        a,
        first,
        &ActionInput {
            title: "Recenser les besoins des deux salles".into(),
            owner_account_id: teacher_id.to_string(),
            due_on: "2027-01-20".into(),
            ..Default::default()
        },
    )
    .await
    .expect("new due date");
    let updated = q::get_action(&app.db.conn, a, first)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(updated.title, "Recenser les besoins des deux salles");
    assert_eq!(updated.due_on, d(2027, 1, 20));
    assert_eq!(updated.reminded_at, None);
    assert_eq!(updated.decision_id, Some(decision), "its origin stays");
    assert_eq!(
        comite::remind_overdue(&app.db, now + chrono::Duration::days(2))
            .await
            .expect("not due yet"),
        0
    );
    assert_eq!(
        comite::remind_overdue(&app.db, now + chrono::Duration::days(5))
            .await
            .expect("due again"),
        1
    );
    assert_eq!(reminders(app).await.len(), 2 * sent.len());
    assert!(
        reminders(app)
            .await
            .iter()
            .any(|n| n.title == "Recenser les besoins des deux salles · 20/01/2027")
    );
    assert_eq!(
        field_errors(
            &comite::update_action(
                &app.db,
                &referent,
                a,
                first,
                &ActionInput {
                    title: " ".into(),
                    owner_account_id: app.account_id(REFERENT_B).await.to_string(),
                    due_on: "demain".into(),
                    ..Default::default()
                },
            )
            .await
        ),
        vec![
            ("title", "pilotage-error-label-empty"),
            ("due_on", "pilotage-error-comite-due-date"),
            ("owner", "pilotage-error-comite-owner-unknown"),
        ]
    );
    assert_eq!(
        q::get_action(&app.db.conn, a, first)
            .await
            .expect("read")
            .expect("action")
            .title,
        "Recenser les besoins des deux salles",
        "nothing written"
    );

    // Done, it is no longer overdue; a done action is not dropped.
    assert_eq!(
        comite::set_action_status(&app.db, &referent, a, first, "done")
            .await
            .expect("done"),
        ActionStatus::Done
    );
    assert_eq!(
        q::get_action(&app.db.conn, a, first)
            .await
            .expect("read")
            .expect("action")
            .status,
        "done"
    );
    assert_eq!(
        comite::overdue(&app.db, &head, a, d(2027, 1, 16))
            .await
            .expect("overdue")
            .count,
        0
    );
    assert_eq!(
        field_errors(&comite::set_action_status(&app.db, &head, a, first, "dropped").await),
        vec![("status", "pilotage-error-comite-action-status")]
    );

    // Another school's meeting and action do not exist for REFERENT_B,
    // through either school's id.
    for etab in [a, b] {
        assert!(is_not_found(
            &comite::meeting(&app.db, &referent_b, etab, rid, d(2027, 1, 16)).await
        ));
        assert!(is_not_found(
            &comite::action(&app.db, &referent_b, etab, first, d(2027, 1, 16)).await
        ));
        assert!(is_not_found(
            &comite::set_action_status(&app.db, &referent_b, etab, second, "done").await
        ));
        assert!(is_not_found(
            &comite::record_minutes(&app.db, &referent_b, etab, rid, &MinutesInput::default())
                .await
        ));
    }
    assert!(is_not_found(
        &comite::create_action(
            &app.db,
            &referent_b,
            b,
            &ActionInput {
                reunion_id: Some(rid),
                title: "Action".into(),
                owner_name: "X".into(),
                due_on: "2027-02-01".into(),
                ..Default::default()
            },
        )
        .await
    ));
    assert_eq!(
        q::get_action(&app.db.conn, a, second)
            .await
            .expect("read")
            .expect("action")
            .status,
        "todo"
    );

    // A teacher reads the comité but writes nothing; private minutes are
    // not theirs to read.
    assert!(is_forbidden(
        &comite::create_meeting(&app.db, &teacher, a, &meeting_input("2026-12-01")).await
    ));
    assert!(is_forbidden(
        &comite::set_action_status(&app.db, &teacher, a, second, "done").await
    ));
    assert!(is_forbidden(
        &comite::add_member(&app.db, &teacher, a, &staff).await
    ));
    let seen = comite::meeting(&app.db, &teacher, a, rid, d(2027, 1, 16))
        .await
        .expect("teacher reads");
    assert!(seen.minutes_hidden);
    assert!(seen.meeting.minutes.is_empty());
    assert_eq!(seen.decisions.len(), 1);
    assert_eq!(seen.actions.len(), 2);
    let seen = comite::meeting(&app.db, &head, a, rid, d(2027, 1, 16))
        .await
        .expect("head reads");
    assert!(!seen.minutes_hidden);
    assert!(seen.meeting.minutes.contains("deux salles"));
    comite::record_minutes(
        &app.db,
        &referent,
        a,
        rid,
        &MinutesInput {
            present: vec![m_referent.to_string(), m_parent.to_string()],
            minutes: "Compte rendu public.".into(),
            public: true,
        },
    )
    .await
    .expect("public minutes");
    let seen = comite::meeting(&app.db, &teacher, a, rid, d(2027, 1, 16))
        .await
        .expect("teacher reads");
    assert!(!seen.minutes_hidden);
    assert_eq!(seen.meeting.minutes, "Compte rendu public.");
    assert!(seen.attendance.iter().all(|(_, present)| *present));

    // A member who leaves keeps their past attendance.
    comite::remove_member(&app.db, &head, a, m_parent)
        .await
        .expect("remove");
    assert_eq!(
        field_errors(&comite::remove_member(&app.db, &head, a, m_parent).await),
        vec![("member", "pilotage-error-comite-member-gone")]
    );
    let members = q::members_of(&app.db.conn, a, false)
        .await
        .expect("members");
    assert_eq!(
        members.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![m_referent]
    );
    let seen = comite::meeting(&app.db, &head, a, rid, d(2027, 1, 16))
        .await
        .expect("meeting");
    assert!(seen.attendance.iter().any(|(m, _)| m.id == m_parent));

    // The DANE and the collectivité read; they do not write.
    for who in [&dane, &region] {
        let y = comite::year(&app.db, who, a, SchoolYear(2026), d(2027, 1, 16))
            .await
            .expect("reads the year");
        assert_eq!(y.meetings.len(), 1);
        assert!(!y.may_manage);
        assert!(is_forbidden(
            &comite::create_meeting(&app.db, who, a, &meeting_input("2026-12-01")).await
        ));
    }
    assert!(is_not_found(
        &comite::year(&app.db, &referent_b, a, SchoolYear(2026), d(2027, 1, 16)).await
    ));
}

both_backends!(the_head_runs_a_meeting_whose_overdue_action_is_reminded_once);

/// The pages, through HTTP: the head files a meeting (a date outside the
/// year comes back with its message and writes nothing); another school's
/// meeting and action are 404; a teacher reads but posting is 403.
async fn the_comite_pages_are_scoped(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let year_path = format!("/etablissements/{a}/pilotage/comite");
    let new_path = format!("{year_path}/reunions/nouvelle");
    let head = app.signed_in(DIRECTION_A).await;
    let html = app.page(&head, &year_path).await;
    assert!(html.contains("comite-member-form"), "the head's forms");

    // Outside the school year: 422 naming the field, nothing written.
    let r = app
        .post_form(
            &head,
            &new_path,
            &new_path,
            &[
                ("school_year", "2026-2027"),
                ("date", "2027-09-15"),
                ("place", "CDI"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-date\""), "{body}");
    assert!(body.contains("doit tomber dans son année scolaire"));
    assert!(
        q::meetings_of_year(&app.db.conn, a, 2026)
            .await
            .expect("meetings")
            .is_empty()
    );

    let r = app
        .post_form(
            &head,
            &new_path,
            &new_path,
            &[
                ("school_year", "2026-2027"),
                ("date", "2026-11-12"),
                ("start_time", "17:30"),
                ("place", "CDI"),
                ("agenda", "Plan de formation"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let meetings = q::meetings_of_year(&app.db.conn, a, 2026)
        .await
        .expect("meetings");
    assert_eq!(meetings.len(), 1);
    let rid = meetings[0].id;
    assert_eq!(meetings[0].place, "CDI");
    assert_eq!(meetings[0].agenda, "Plan de formation");
    let meeting_path = format!("{year_path}/reunions/{rid}");
    assert_eq!(
        r.headers()["location"].to_str().expect("location"),
        format!("{meeting_path}?fait=comite-reunion-creee")
    );

    // Minutes (private), an action from the meeting.
    let r = app
        .post_form(
            &head,
            &meeting_path,
            &format!("{meeting_path}/compte-rendu"),
            &[("minutes", "Compte rendu réservé")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &head,
            &meeting_path,
            &format!("{meeting_path}/actions"),
            &[
                ("title", "Former les nouveaux collègues"),
                ("owner_name", "Mme Leroy"),
                ("due_on", "2027-02-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let actions = q::actions_of_meeting(&app.db.conn, a, rid)
        .await
        .expect("actions");
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].owner_name, "Mme Leroy");
    let aid = actions[0].id;
    let action_path = format!("{year_path}/actions/{aid}");
    let html = app.page(&head, &meeting_path).await;
    assert!(html.contains("Compte rendu réservé"));
    assert!(html.contains("Former les nouveaux collègues"));
    let html = app.page(&head, &action_path).await;
    assert!(html.contains("action-status-form"));

    // An action outside any meeting, from the year's page; then edited.
    let year_2026 = format!("{year_path}?annee=2026-2027");
    let r = app
        .post_form(
            &head,
            &year_2026,
            &format!("{year_path}/actions"),
            &[
                ("school_year", "2026-2027"),
                ("title", "Mettre à jour la charte"),
                ("owner_name", "M. Petit"),
                ("due_on", "bientôt"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("id=\"error-due_on\"")
    );
    assert_eq!(
        q::actions_of_year(&app.db.conn, a, 2026)
            .await
            .expect("actions")
            .len(),
        1,
        "nothing written"
    );
    let r = app
        .post_form(
            &head,
            &year_2026,
            &format!("{year_path}/actions"),
            &[
                ("school_year", "2026-2027"),
                ("title", "Mettre à jour la charte"),
                ("owner_name", "M. Petit"),
                ("due_on", "2027-05-31"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let standalone = q::actions_of_year(&app.db.conn, a, 2026)
        .await
        .expect("actions")
        .into_iter()
        .find(|x| x.title == "Mettre à jour la charte")
        .expect("standalone action");
    assert_eq!(standalone.reunion_id, None);
    assert_eq!(standalone.owner_name, "M. Petit");
    let standalone_path = format!("{year_path}/actions/{}", standalone.id);
    let r = app
        .post_form(
            &head,
            &standalone_path,
            &standalone_path,
            &[
                ("title", "Mettre à jour la charte d'usage"),
                ("owner_name", "M. Petit"),
                ("due_on", "15/06/2027"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let edited = q::get_action(&app.db.conn, a, standalone.id)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(edited.title, "Mettre à jour la charte d'usage");
    assert_eq!(
        edited.due_on,
        NaiveDate::from_ymd_opt(2027, 6, 15).expect("date")
    );

    // Another school's meeting and action: 404, through either id.
    let other = app.signed_in(REFERENT_B).await;
    for etab in [a, b] {
        for path in [
            format!("/etablissements/{etab}/pilotage/comite/reunions/{rid}"),
            format!("/etablissements/{etab}/pilotage/comite/actions/{aid}"),
        ] {
            assert_eq!(app.get_text(&other, &path).await.0, 404, "{path}");
        }
    }
    let own = format!("/etablissements/{b}/pilotage/comite");
    let r = app
        .post_form(
            &other,
            &own,
            &format!("/etablissements/{b}/pilotage/comite/actions/{aid}/etat"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), 404);

    // A teacher reads the meeting without its private minutes; posting is
    // 403 and changes nothing.
    let teacher = app.signed_in(TEACHER_A).await;
    let html = app.page(&teacher, &meeting_path).await;
    assert!(!html.contains("Compte rendu réservé"));
    assert!(html.contains("meeting-minutes-hidden"));
    assert!(!html.contains("meeting-minutes-form"));
    for (action, fields) in [
        (
            format!("{meeting_path}/compte-rendu"),
            vec![("minutes", "Réécrit")],
        ),
        (format!("{action_path}/etat"), vec![("status", "done")]),
        (
            action_path.clone(),
            vec![
                ("title", "Réécrit"),
                ("owner_name", "X"),
                ("due_on", "2027-02-01"),
            ],
        ),
        (
            new_path.clone(),
            vec![("school_year", "2026-2027"), ("date", "2026-12-01")],
        ),
    ] {
        let before = refused_manage(app).await;
        let r = app.post_form(&teacher, &year_path, &action, &fields).await;
        assert_eq!(r.status(), 403, "{action}");
        // The policy refused it (not the form's token).
        assert_eq!(refused_manage(app).await, before + 1, "{action}");
    }
    assert_eq!(app.get_text(&teacher, &new_path).await.0, 403);
    let stored = q::get_meeting(&app.db.conn, a, rid)
        .await
        .expect("read")
        .expect("meeting");
    assert_eq!(stored.minutes, "Compte rendu réservé");
    assert_eq!(
        q::get_action(&app.db.conn, a, aid)
            .await
            .expect("read")
            .expect("action")
            .status,
        "todo"
    );

    // The DANE reads the year.
    let dane = app.signed_in(DANE).await;
    let html = app
        .page(&dane, &format!("{year_path}?annee=2026-2027"))
        .await;
    assert!(html.contains(&format!("/pilotage/comite/reunions/{rid}")));
    assert!(!html.contains("comite-member-form"));
}

both_backends!(the_comite_pages_are_scoped);
