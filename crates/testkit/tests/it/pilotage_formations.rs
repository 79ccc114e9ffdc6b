//! The school's training plan: the referent plans a session, teachers
//! register (once, while seats are left, until its day), the attendance
//! makes it held and moves the figures, attendees give their feedback;
//! counts per theme, per discipline and per teacher; a session dated
//! outside its year writes nothing; cancelling notifies the registered;
//! each school's plan is its own and teachers do not run it; concurrent
//! registrations never exceed the capacity; the demo seeds once.

use chrono::{Duration, NaiveDate, Utc};
use refnum_db::entities::annuaire_person as person;
use refnum_db::entities::assistance::notification;
use refnum_db::entities::audit_event;
use refnum_db::entities::pilotage::{
    formation_besoin as besoin, formation_inscription as inscription, formation_session as fsession,
};
use refnum_db::pilotage::formations as q;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::formations::SEED_THEMES;
use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_services::Ctx;
use refnum_services::audit::Who;
use refnum_services::error::ServiceError;
use refnum_services::pilotage::formations::{self as svc, FeedbackInput, NeedInput, SessionInput};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

const STAFF_A: &str = "personnel.malherbe@ac-normandie.test";
const BURSAR_A: &str = "gestionnaire.malherbe@ac-normandie.test";

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

async fn sessions_of(app: &TestApp, etab: Uuid) -> Vec<fsession::Model> {
    fsession::Entity::find()
        .filter(fsession::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("sessions")
}

async fn registrations(app: &TestApp, sid: Uuid) -> Vec<inscription::Model> {
    inscription::Entity::find()
        .filter(inscription::Column::SessionId.eq(sid))
        .all(&app.db.conn)
        .await
        .expect("registrations")
}

/// A workshop of the 2026-2027 year, led by a named colleague.
fn workshop(theme: Uuid, date: &str, capacity: &str) -> SessionInput {
    SessionInput {
        school_year: "2026-2027".into(),
        theme_id: theme.to_string(),
        title: "Prendre en main l'ENT".into(),
        kind: "atelier".into(),
        leader_name: "M. Roussel".into(),
        date: date.into(),
        start_time: "13:30".into(),
        duration_minutes: "90".into(),
        modality: "presentiel".into(),
        place: "Salle B12".into(),
        capacity: capacity.into(),
        ..Default::default()
    }
}

/// `n` more teachers of a school who can sign in: their e-mails.
async fn more_teachers(app: &TestApp, etab: Uuid, n: usize) -> Vec<String> {
    let who = Who::system("test");
    let mut out = vec![];
    for i in 0..n {
        let email = format!("enseignant{i}.formation@ac-normandie.test");
        let acc = refnum_services::people::create_account(
            &app.db,
            &who,
            &refnum_services::people::AccountInput {
                email: email.clone(),
                display_name: format!("Enseignant {i}"),
                password: PASSWORD.into(),
            },
        )
        .await
        .expect("account");
        refnum_services::people::grant_alone(
            &app.db,
            &who,
            acc.id,
            Membership::new(Role::Enseignant, ScopeRef::Etablissement(etab)).expect("membership"),
        )
        .await
        .expect("grant");
        out.push(email);
    }
    out
}

/// The teacher's directory record, teaching one discipline.
async fn teaches(app: &TestApp, etab: Uuid, account: Uuid, discipline: &str) {
    let now = Utc::now();
    person::Entity::insert(person::ActiveModel::from(person::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        kind: "staff".into(),
        source: "sts".into(),
        source_key: format!("test-{account}"),
        ine: None,
        civility: None,
        last_name: "Caron".into(),
        first_name: "Élodie".into(),
        birth_date: None,
        email: None,
        functions: "[\"ENS\"]".into(),
        disciplines: format!("[\"{discipline}\"]"),
        missions: "[]".into(),
        structures: "[]".into(),
        class_code: None,
        groups: "[]".into(),
        mef_code: None,
        status: "active".into(),
        left_at: None,
        account_id: Some(account),
        search_text: "caron elodie".into(),
        content_hash: String::new(),
        source_file: "test".into(),
        imported_at: now,
        created_at: now,
        updated_at: now,
    }))
    .exec_without_returning(&app.db.conn)
    .await
    .expect("person");
}

async fn the_referent_plans_a_session_that_teachers_attend(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let referent = ctx_of(app, REFERENT_A).await;
    let teacher = ctx_of(app, TEACHER_A).await;
    let staff = ctx_of(app, STAFF_A).await;
    let bursar = ctx_of(app, BURSAR_A).await;
    let referent_b = ctx_of(app, REFERENT_B).await;
    let teacher_id = teacher.account.id;
    let staff_id = staff.account.id;
    let year = SchoolYear(2026);

    // The first reading seeds the usual themes, once.
    let plan = svc::plan(&app.db, &teacher, a, year, d(2027, 1, 10))
        .await
        .expect("plan");
    let labels: Vec<&str> = plan.themes.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, SEED_THEMES.to_vec());
    assert!(!plan.may_manage);
    assert_eq!(svc::ensure_themes(&app.db, a).await.expect("seed"), 0);
    assert_eq!(
        q::themes_of(&app.db.conn, a, true)
            .await
            .expect("themes")
            .len(),
        5
    );
    let ent = plan.themes[0].id;
    let ia = plan.themes[3].id;

    // Outside the school year: the date is named, nothing is written.
    let r = svc::create_session(&app.db, &referent, a, &workshop(ent, "2027-09-02", "2")).await;
    assert_eq!(
        field_errors(&r),
        vec![("date", "pilotage-error-formation-date-outside-year")]
    );
    // Bad capacity, an outside offer without link nor code, a bad link.
    let mut bad = workshop(ent, "2027-01-20", "0");
    bad.kind = "magistere".into();
    assert_eq!(
        field_errors(&svc::create_session(&app.db, &referent, a, &bad).await),
        vec![
            ("link", "pilotage-error-formation-link-or-code"),
            ("capacity", "pilotage-error-formation-capacity"),
        ]
    );
    bad.capacity = "20".into();
    bad.link = "magistere.education.fr".into();
    assert_eq!(
        field_errors(&svc::create_session(&app.db, &referent, a, &bad).await),
        vec![("link", "pilotage-error-formation-link")]
    );
    assert!(sessions_of(app, a).await.is_empty());
    assert_eq!(events(app, "pilotage.formation_session_created").await, 0);

    // A teacher does not plan; another school's referent does not see it.
    assert!(matches!(
        svc::create_session(&app.db, &teacher, a, &workshop(ent, "2027-01-20", "2")).await,
        Err(ServiceError::Forbidden)
    ));

    let sid = svc::create_session(&app.db, &referent, a, &workshop(ent, "2027-01-20", "2"))
        .await
        .expect("session");
    let stored = q::get_session(&app.db.conn, a, sid)
        .await
        .expect("read")
        .expect("session");
    assert_eq!(
        (
            stored.school_year,
            stored.date,
            stored.start_minute,
            stored.capacity,
            stored.status.as_str(),
            stored.place.as_str(),
            stored.leader_name.as_str(),
        ),
        (
            2026,
            d(2027, 1, 20),
            Some(810),
            2,
            "planned",
            "Salle B12",
            "M. Roussel"
        )
    );
    assert!(matches!(
        svc::session(&app.db, &referent_b, a, sid, d(2027, 1, 10)).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        svc::session(&app.db, &referent_b, b, sid, d(2027, 1, 10)).await,
        Err(ServiceError::NotFound)
    ));

    // Registrations: once each, while seats are left, until the day.
    let before_day = d(2027, 1, 10);
    svc::register(&app.db, &teacher, a, sid, before_day)
        .await
        .expect("teacher registers");
    assert_eq!(
        field_errors(&svc::register(&app.db, &teacher, a, sid, before_day).await),
        vec![("session", "pilotage-error-formation-registered-twice")]
    );
    assert_eq!(
        field_errors(&svc::register(&app.db, &staff, a, sid, d(2027, 1, 21)).await),
        vec![("session", "pilotage-error-formation-closed")]
    );
    svc::register(&app.db, &staff, a, sid, before_day)
        .await
        .expect("staff registers");
    assert_eq!(
        field_errors(&svc::register(&app.db, &bursar, a, sid, before_day).await),
        vec![("session", "pilotage-error-formation-full")]
    );
    let mut regs: Vec<Uuid> = registrations(app, sid)
        .await
        .iter()
        .map(|r| r.account_id)
        .collect();
    regs.sort();
    let mut expected = vec![teacher_id, staff_id];
    expected.sort();
    assert_eq!(regs, expected);
    // The bursar takes the seat the staff member leaves.
    svc::unregister(&app.db, &staff, a, sid, before_day)
        .await
        .expect("unregister");
    svc::register(&app.db, &bursar, a, sid, before_day)
        .await
        .expect("bursar registers");
    svc::register(&app.db, &staff, a, sid, before_day)
        .await
        .expect_err("full again");
    svc::unregister(&app.db, &bursar, a, sid, before_day)
        .await
        .expect("unregister");
    svc::register(&app.db, &staff, a, sid, before_day)
        .await
        .expect("staff registers again");

    // A teacher's view has no names; the referent's has both.
    let v = svc::session(&app.db, &teacher, a, sid, before_day)
        .await
        .expect("view");
    assert!(v.registrants.is_empty());
    assert_eq!((v.line.registered, v.line.seats_left), (2, 0));
    assert!(v.line.mine.is_some());
    let v = svc::session(&app.db, &referent, a, sid, before_day)
        .await
        .expect("view");
    assert_eq!(v.registrants.len(), 2);

    // Needs: once per theme and year.
    svc::state_need(
        &app.db,
        &teacher,
        a,
        &NeedInput {
            theme_id: ia.to_string(),
            comment: "Évaluer avec l'IA".into(),
        },
        before_day,
    )
    .await
    .expect("need");
    assert_eq!(
        field_errors(
            &svc::state_need(
                &app.db,
                &teacher,
                a,
                &NeedInput {
                    theme_id: ia.to_string(),
                    comment: String::new(),
                },
                before_day,
            )
            .await
        ),
        vec![("theme_id", "pilotage-error-formation-need-twice")]
    );
    let needs = besoin::Entity::find()
        .filter(besoin::Column::EtablissementId.eq(a))
        .all(&app.db.conn)
        .await
        .expect("needs");
    assert_eq!(needs.len(), 1);
    assert_eq!(
        (needs[0].account_id, needs[0].theme_id, needs[0].school_year),
        (teacher_id, ia, 2026)
    );

    // Attendance: not before the day; then the session is held.
    assert_eq!(
        svc::figures(&app.db, a, year).await.expect("figures"),
        (0, 0)
    );
    assert_eq!(
        field_errors(
            &svc::record_attendance(
                &app.db,
                &referent,
                a,
                sid,
                &[teacher_id.to_string()],
                d(2027, 1, 19)
            )
            .await
        ),
        vec![("attended", "pilotage-error-formation-not-yet")]
    );
    assert!(matches!(
        svc::record_attendance(&app.db, &teacher, a, sid, &[], d(2027, 1, 20)).await,
        Err(ServiceError::Forbidden)
    ));
    svc::record_attendance(
        &app.db,
        &referent,
        a,
        sid,
        &[teacher_id.to_string()],
        d(2027, 1, 20),
    )
    .await
    .expect("attendance");
    let stored = q::get_session(&app.db.conn, a, sid)
        .await
        .expect("read")
        .expect("session");
    assert_eq!(stored.status, "held");
    let attended: Vec<(Uuid, Option<bool>)> = registrations(app, sid)
        .await
        .iter()
        .map(|r| (r.account_id, r.attended))
        .collect();
    assert!(attended.contains(&(teacher_id, Some(true))));
    assert!(attended.contains(&(staff_id, Some(false))));
    assert_eq!(
        svc::figures(&app.db, a, year).await.expect("figures"),
        (1, 1)
    );
    assert_eq!(
        svc::figures(&app.db, b, year).await.expect("figures"),
        (0, 0),
        "another school's figures do not move"
    );

    // Feedback: the attendee only, 1 to 5.
    assert_eq!(
        field_errors(
            &svc::give_feedback(
                &app.db,
                &staff,
                a,
                sid,
                &FeedbackInput {
                    rating: "4".into(),
                    comment: String::new()
                }
            )
            .await
        ),
        vec![("rating", "pilotage-error-formation-feedback-attendees")]
    );
    assert_eq!(
        field_errors(
            &svc::give_feedback(
                &app.db,
                &teacher,
                a,
                sid,
                &FeedbackInput {
                    rating: "6".into(),
                    comment: String::new()
                }
            )
            .await
        ),
        vec![("rating", "pilotage-error-formation-rating")]
    );
    svc::give_feedback(
        &app.db,
        &teacher,
        a,
        sid,
        &FeedbackInput {
            rating: "5".into(),
            comment: "Très utile".into(),
        },
    )
    .await
    .expect("feedback");
    let mine = q::registration(&app.db.conn, sid, teacher_id)
        .await
        .expect("read")
        .expect("registration");
    assert_eq!(
        (mine.rating, mine.feedback.as_str()),
        (Some(5), "Très utile")
    );
    let v = svc::session(&app.db, &staff, a, sid, d(2027, 1, 21))
        .await
        .expect("view");
    assert_eq!(v.rating, Some((50, 1)));

    // The counts, per theme, per discipline and per teacher.
    teaches(app, a, teacher_id, "L0422").await;
    let plan = svc::plan(&app.db, &referent, a, year, d(2027, 1, 21))
        .await
        .expect("plan");
    assert!(plan.may_manage);
    assert_eq!(plan.figures, (1, 1));
    let of_ent = plan
        .per_theme
        .iter()
        .find(|c| c.theme_id == ent)
        .expect("ENT");
    assert_eq!(
        (
            of_ent.needs,
            of_ent.sessions,
            of_ent.held,
            of_ent.registrations,
            of_ent.trained
        ),
        (0, 1, 1, 2, 1)
    );
    let of_ia = plan
        .per_theme
        .iter()
        .find(|c| c.theme_id == ia)
        .expect("IA");
    assert_eq!((of_ia.needs, of_ia.sessions), (1, 0));
    let l0422 = plan
        .per_discipline
        .iter()
        .find(|c| c.label.as_deref() == Some("L0422"))
        .expect("the teacher's discipline");
    assert_eq!((l0422.needs, l0422.trained), (1, 1));
    assert!(
        plan.per_discipline.iter().all(|c| c.trained + c.needs > 0),
        "{:?}",
        plan.per_discipline
    );
    let line = plan
        .per_teacher
        .iter()
        .find(|t| t.account_id == teacher_id)
        .expect("teacher");
    assert_eq!(line.needs, vec!["L'IA en classe".to_string()]);
    assert_eq!(
        line.attended,
        vec!["Prendre en main l'ENT (20/01/2027)".to_string()]
    );
    // A teacher's plan has none of that.
    let plan = svc::plan(&app.db, &teacher, a, year, d(2027, 1, 21))
        .await
        .expect("plan");
    assert!(plan.needs.is_empty() && plan.per_theme.is_empty() && plan.per_teacher.is_empty());
    assert_eq!(plan.my_needs.len(), 1);

    // Cancelling notifies the registered; a cancelled session takes no one.
    let sid2 = svc::create_session(&app.db, &referent, a, &workshop(ent, "2027-03-10", "10"))
        .await
        .expect("session");
    svc::register(&app.db, &teacher, a, sid2, before_day)
        .await
        .expect("register");
    // A change of day notifies the registered; the capacity stays above
    // the registrations; a held session no longer changes.
    let mut changed = workshop(ent, "2027-03-17", "10");
    changed.place = "CDI".into();
    changed.title = "Prendre en main l'ENT (2)".into();
    svc::update_session(&app.db, &referent, a, sid2, &changed)
        .await
        .expect("update");
    let stored = q::get_session(&app.db.conn, a, sid2)
        .await
        .expect("read")
        .expect("session");
    assert_eq!(
        (stored.date, stored.place.as_str(), stored.title.as_str()),
        (d(2027, 3, 17), "CDI", "Prendre en main l'ENT (2)")
    );
    let changes = notification::Entity::find()
        .filter(notification::Column::Kind.eq(svc::KIND_CHANGED))
        .all(&app.db.conn)
        .await
        .expect("notifications");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].account_id, teacher_id);
    svc::register(&app.db, &staff, a, sid2, before_day)
        .await
        .expect("register");
    changed.capacity = "1".into();
    assert_eq!(
        field_errors(&svc::update_session(&app.db, &referent, a, sid2, &changed).await),
        vec![("capacity", "pilotage-error-formation-capacity-below")]
    );
    assert_eq!(
        q::get_session(&app.db.conn, a, sid2)
            .await
            .expect("read")
            .expect("session")
            .capacity,
        10
    );
    assert_eq!(
        field_errors(
            &svc::update_session(
                &app.db,
                &referent,
                a,
                sid,
                &workshop(ent, "2027-01-20", "9")
            )
            .await
        ),
        vec![("status", "pilotage-error-formation-not-planned")]
    );
    svc::unregister(&app.db, &staff, a, sid2, before_day)
        .await
        .expect("unregister");

    // Themes: one added (not twice), one withdrawn from the offer.
    let tid = svc::add_theme(&app.db, &referent, a, "  La classe inversée ")
        .await
        .expect("theme");
    assert_eq!(
        field_errors(&svc::add_theme(&app.db, &referent, a, "La classe inversée").await),
        vec![("label", "pilotage-error-formation-theme-twice")]
    );
    assert!(matches!(
        svc::add_theme(&app.db, &teacher, a, "Autre").await,
        Err(ServiceError::Forbidden)
    ));
    svc::set_theme_active(&app.db, &referent, a, tid, false)
        .await
        .expect("withdraw");
    let stored = q::get_theme(&app.db.conn, a, tid)
        .await
        .expect("read")
        .expect("theme");
    assert_eq!(
        (stored.label.as_str(), stored.active, stored.position),
        ("La classe inversée", false, 5)
    );
    let offered = svc::plan(&app.db, &teacher, a, year, before_day)
        .await
        .expect("plan")
        .themes;
    assert_eq!(offered.len(), 5, "a withdrawn theme is not offered");

    svc::cancel_session(&app.db, &referent, a, sid2)
        .await
        .expect("cancel");
    let stored = q::get_session(&app.db.conn, a, sid2)
        .await
        .expect("read")
        .expect("session");
    assert_eq!(stored.status, "cancelled");
    let notes = notification::Entity::find()
        .filter(notification::Column::Kind.eq(svc::KIND_CANCELLED))
        .all(&app.db.conn)
        .await
        .expect("notifications");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].account_id, teacher_id);
    assert_eq!(notes[0].link, svc::session_link(a, sid2));
    assert_eq!(
        field_errors(&svc::register(&app.db, &staff, a, sid2, before_day).await),
        vec![("session", "pilotage-error-formation-not-planned")]
    );
    assert_eq!(events(app, "pilotage.formation_session_cancelled").await, 1);
    assert_eq!(
        events(app, "pilotage.formation_attendance_recorded").await,
        1
    );
}

both_backends!(the_referent_plans_a_session_that_teachers_attend);

/// Twelve teachers register at once to a five-seat session, through the
/// services: five are registered, seven refused as full.
async fn concurrent_registrations_never_exceed_the_capacity(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let referent = ctx_of(app, REFERENT_A).await;
    let themes = svc::themes(&app.db, &referent, a).await.expect("themes");
    let sid = svc::create_session(
        &app.db,
        &referent,
        a,
        &workshop(themes[0].id, "2027-02-03", "5"),
    )
    .await
    .expect("session");
    let mut set = tokio::task::JoinSet::new();
    for email in more_teachers(app, a, 12).await {
        let ctx = ctx_of(app, &email).await;
        let db = app.db.clone();
        set.spawn(async move { svc::register(&db, &ctx, a, sid, d(2027, 1, 10)).await });
    }
    let (mut ok, mut full) = (0, 0);
    while let Some(r) = set.join_next().await {
        match r.expect("task") {
            Ok(()) => ok += 1,
            Err(ServiceError::Invalid(v)) if v[0].key == "pilotage-error-formation-full" => {
                full += 1
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!((ok, full), (5, 7));
    assert_eq!(registrations(app, sid).await.len(), 5);
}

both_backends!(concurrent_registrations_never_exceed_the_capacity);

/// The demo gives each demo school its themes, three sessions (one held
/// with attendance and feedback) and two needs; run again, it adds nothing.
async fn the_demo_seeds_a_training_plan_once(app: &TestApp) {
    app.demo().await;
    let today = d(2026, 12, 7);
    let n = refnum_services::pilotage::demo_formations::seed_demo_schools(&app.db, today)
        .await
        .expect("demo");
    assert_eq!(n, 9);
    for uai in [UAI_A, UAI_B, UAI_C] {
        let e = app.etab_id(uai).await;
        let sessions = sessions_of(app, e).await;
        assert_eq!(sessions.len(), 3, "{uai}");
        let held: Vec<&fsession::Model> = sessions.iter().filter(|s| s.status == "held").collect();
        assert_eq!(held.len(), 1);
        assert!(held[0].date <= today);
        let regs = registrations(app, held[0].id).await;
        assert_eq!(regs.iter().filter(|r| r.attended == Some(true)).count(), 2);
        assert_eq!(regs.iter().filter(|r| r.rating.is_some()).count(), 2);
        for s in sessions.iter().filter(|s| s.status == "planned") {
            assert!(s.date >= today);
            assert!(!registrations(app, s.id).await.is_empty());
        }
        let needs = besoin::Entity::find()
            .filter(besoin::Column::EtablissementId.eq(e))
            .count(&app.db.conn)
            .await
            .expect("needs");
        assert_eq!(needs, 2);
        assert_eq!(
            svc::figures(&app.db, e, SchoolYear(2026))
                .await
                .expect("figures"),
            (1, 2)
        );
    }
    let again = refnum_services::pilotage::demo_formations::seed_demo_schools(
        &app.db,
        today + Duration::days(1),
    )
    .await
    .expect("demo again");
    assert_eq!(again, 0);
    assert_eq!(sessions_of(app, app.etab_id(UAI_A).await).await.len(), 3);
}

both_backends!(the_demo_seeds_a_training_plan_once);

/// The pages, through HTTP: the referent plans a session (a date outside
/// the year comes back with its message and writes nothing); a teacher
/// posting a session is refused (403) and writes nothing; another school's
/// session is 404 through either school's id; twelve teachers posting at
/// once to a five-seat session leave five registrations; the attendance
/// makes a session held and moves the figures.
async fn the_training_pages_are_scoped(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let plan_path = format!("/etablissements/{a}/pilotage/formations");
    let new_path = format!("{plan_path}/sessions/nouvelle");
    let referent = app.signed_in(REFERENT_A).await;
    let html = app.page(&referent, &plan_path).await;
    assert!(
        html.contains("formation-per-theme"),
        "the referent's counts"
    );
    assert!(html.contains(&new_path));
    let teacher = app.signed_in(TEACHER_A).await;
    let html = app.page(&teacher, &plan_path).await;
    assert!(
        html.contains(&format!("href=\"{plan_path}\"")),
        "the menu's link"
    );
    assert!(html.contains("formation-need-form"));
    assert!(!html.contains("formation-per-theme"));
    let themes = q::themes_of(&app.db.conn, a, false).await.expect("themes");
    let theme = themes[0].id.to_string();

    // Outside the school year: 422 naming the field, nothing written.
    let r = app
        .post_form(
            &referent,
            &new_path,
            &new_path,
            &[
                ("school_year", "2026-2027"),
                ("theme_id", &theme),
                ("title", "Atelier ENT"),
                ("kind", "atelier"),
                ("leader_name", "M. Roussel"),
                ("date", "2027-09-15"),
                ("duration_minutes", "60"),
                ("modality", "presentiel"),
                ("place", "CDI"),
                ("capacity", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-date\""), "{body}");
    assert!(body.contains("doit tomber dans son année scolaire"));
    assert!(sessions_of(app, a).await.is_empty());

    // A session ten days ahead (or on the year's last day), five seats.
    let today = svc::today();
    let year = SchoolYear::of(today);
    let day = (today + Duration::days(10)).min(year.last_day());
    let day_s = day.to_string();
    let fields = [
        ("school_year", ""),
        ("theme_id", theme.as_str()),
        ("title", "Atelier ENT"),
        ("kind", "atelier"),
        ("leader_name", "M. Roussel"),
        ("date", day_s.as_str()),
        ("start_time", "13:30"),
        ("duration_minutes", "60"),
        ("modality", "presentiel"),
        ("place", "CDI"),
        ("capacity", "5"),
    ];
    // A teacher may not plan it.
    let r = app
        .post_form(&teacher, &plan_path, &new_path, &fields)
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(app.get_text(&teacher, &new_path).await.0, 403);
    assert!(sessions_of(app, a).await.is_empty());
    let r = app
        .post_form(&referent, &new_path, &new_path, &fields)
        .await;
    assert_eq!(r.status(), 303);
    let sessions = sessions_of(app, a).await;
    assert_eq!(sessions.len(), 1);
    let sid = sessions[0].id;
    assert_eq!(
        (
            sessions[0].date,
            sessions[0].capacity,
            sessions[0].school_year
        ),
        (day, 5, year.0)
    );
    let session_path = format!("{plan_path}/sessions/{sid}");
    assert_eq!(
        r.headers()["location"].to_str().expect("location"),
        format!("{session_path}?fait=formation-session-creee")
    );

    // Another school's session is not found, through either school's id.
    let referent_b = app.signed_in(REFERENT_B).await;
    assert_eq!(app.get_text(&referent_b, &session_path).await.0, 404);
    let through_b = format!("/etablissements/{b}/pilotage/formations/sessions/{sid}");
    assert_eq!(app.get_text(&referent_b, &through_b).await.0, 404);
    assert_eq!(app.get_text(&referent, &through_b).await.0, 404);
    let r = app
        .post_form(
            &referent_b,
            &format!("/etablissements/{b}/pilotage/formations"),
            &format!("{through_b}/inscription"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);

    // Twelve teachers post at once: five registrations.
    let mut clients = vec![];
    for email in more_teachers(app, a, 12).await {
        let c = app.signed_in(&email).await;
        let token = app.csrf(&c, &session_path).await;
        clients.push((c, token));
    }
    let mut set = tokio::task::JoinSet::new();
    for (c, token) in clients {
        let url = app.url(&format!("{session_path}/inscription"));
        set.spawn(async move {
            c.post(url)
                .form(&[("csrf_token", token.as_str())])
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
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [[303; 5].as_slice(), [422; 7].as_slice()].concat()
    );
    assert_eq!(registrations(app, sid).await.len(), 5);
    let html = app.page(&referent, &session_path).await;
    assert!(html.contains("0 sur 5 libres"), "{html}");
    assert!(!html.contains("session-register-form"));

    // A session of today: a teacher registers, the referent records the
    // attendance; the session is held and the figures move.
    let before = svc::figures(&app.db, a, year).await.expect("figures");
    let today_s = today.to_string();
    let mut today_fields = fields;
    today_fields[5] = ("date", today_s.as_str());
    let r = app
        .post_form(&referent, &new_path, &new_path, &today_fields)
        .await;
    assert_eq!(r.status(), 303);
    let sid2 = sessions_of(app, a)
        .await
        .into_iter()
        .find(|s| s.date == today)
        .expect("today's session")
        .id;
    let path2 = format!("{plan_path}/sessions/{sid2}");
    let r = app
        .post_form(&teacher, &path2, &format!("{path2}/inscription"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let teacher_id = app.account_id(TEACHER_A).await;
    let teacher_s = teacher_id.to_string();
    let r = app
        .post_form(
            &teacher,
            &path2,
            &format!("{path2}/presences"),
            &[("attended", teacher_s.as_str())],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        q::get_session(&app.db.conn, a, sid2)
            .await
            .expect("read")
            .expect("session")
            .status,
        "planned"
    );
    let r = app
        .post_form(
            &referent,
            &path2,
            &format!("{path2}/presences"),
            &[("attended", teacher_s.as_str())],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        q::get_session(&app.db.conn, a, sid2)
            .await
            .expect("read")
            .expect("session")
            .status,
        "held"
    );
    assert_eq!(
        q::registration(&app.db.conn, sid2, teacher_id)
            .await
            .expect("read")
            .expect("registration")
            .attended,
        Some(true)
    );
    assert_eq!(
        svc::figures(&app.db, a, year).await.expect("figures"),
        (before.0 + 1, before.1 + 1)
    );
    // The attendee rates it from the page.
    let r = app
        .post_form(
            &teacher,
            &path2,
            &format!("{path2}/avis"),
            &[("rating", "4"), ("comment", "Clair")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mine = q::registration(&app.db.conn, sid2, teacher_id)
        .await
        .expect("read")
        .expect("registration");
    assert_eq!((mine.rating, mine.feedback.as_str()), (Some(4), "Clair"));
}

both_backends!(the_training_pages_are_scoped);
