//! The digital part of the school project: the head writes a plan with an
//! axis, an objective, actions and indicators (read back from the
//! database); progress moves the objective's; a typed value is recorded; a
//! comité action is linked to an objective; off-target indicators are
//! listed; bad input is refused naming the field and writes nothing; each
//! school's plan is its own, teachers read it and do not write it (through
//! the services and through HTTP); the demo seeds it once.

use chrono::Utc;
use refnum_db::entities::audit_event;
use refnum_db::entities::pilotage::{
    projet, projet_action, projet_cible, projet_indicateur, projet_objectif,
};
use refnum_db::pilotage::comite as comite_q;
use refnum_db::pilotage::projet as q;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::indicateurs::Metric;
use refnum_services::Ctx;
use refnum_services::error::ServiceError;
use refnum_services::pilotage::comite::{self, ActionInput as ComiteActionInput};
use refnum_services::pilotage::mesures;
use refnum_services::pilotage::projet::{
    self as svc, ActionInput, IndicatorInput, ObjectiveInput, PlanInput,
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

async fn events(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&app.db.conn)
        .await
        .expect("events")
}

async fn count<E>(app: &TestApp) -> u64
where
    E: EntityTrait,
    E::Model: Sync,
{
    E::find().count(&app.db.conn).await.expect("count")
}

/// This school year, so that the plan covers today whatever the day.
fn this_year() -> SchoolYear {
    SchoolYear::of(comite::today())
}

fn plan_input(first: SchoolYear, last: SchoolYear) -> PlanInput {
    PlanInput {
        title: "Volet numérique".into(),
        first_year: first.label(),
        last_year: last.label(),
        adopted_on: format!("{}-11-20", first.0),
    }
}

fn action_input(title: &str, start: String, end: String, progress: &str) -> ActionInput {
    ActionInput {
        title: title.into(),
        owner: "Référent numérique".into(),
        start_on: start,
        end_on: end,
        progress: progress.into(),
        comite_action_id: String::new(),
    }
}

async fn objective_progress(app: &TestApp, ctx: &Ctx, etab: Uuid, oid: Uuid) -> Option<i32> {
    svc::objective(&app.db, ctx, etab, oid, comite::today())
        .await
        .expect("objective")
        .view
        .progress
}

async fn the_head_writes_the_project_that_the_comite_feeds(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let head = ctx_of(app, DIRECTION_A).await;
    let teacher = ctx_of(app, TEACHER_A).await;
    let referent_b = ctx_of(app, REFERENT_B).await;
    let y = this_year();
    let today = comite::today();

    // A plan of six years: refused naming the last year, nothing written.
    let r = svc::create_plan(&app.db, &head, a, &plan_input(y, SchoolYear(y.0 + 5))).await;
    assert_eq!(
        field_errors(&r),
        vec![("last_year", "pilotage-error-projet-period-length")]
    );
    assert_eq!(count::<projet::Entity>(app).await, 0);
    assert_eq!(events(app, "pilotage.projet_created").await, 0);

    // A teacher does not write it.
    let r = svc::create_plan(&app.db, &teacher, a, &plan_input(y, SchoolYear(y.0 + 2))).await;
    assert!(matches!(r, Err(ServiceError::Forbidden)), "{r:?}");
    assert_eq!(count::<projet::Entity>(app).await, 0);

    // The head's plan over this year and the two next, read back.
    let pid = svc::create_plan(&app.db, &head, a, &plan_input(y, SchoolYear(y.0 + 2)))
        .await
        .expect("plan");
    let stored = q::get_plan(&app.db.conn, a, pid)
        .await
        .expect("read")
        .expect("plan");
    assert_eq!((stored.first_year, stored.last_year), (y.0, y.0 + 2));
    assert_eq!(stored.title, "Volet numérique");
    assert_eq!(
        stored.adopted_on.map(|d| d.to_string()),
        Some(format!("{}-11-20", y.0))
    );
    assert!(
        q::get_plan(&app.db.conn, b, pid)
            .await
            .expect("read")
            .is_none()
    );

    // A second plan over one of its years overlaps: refused.
    let r = svc::create_plan(
        &app.db,
        &head,
        a,
        &plan_input(SchoolYear(y.0 + 2), SchoolYear(y.0 + 3)),
    )
    .await;
    assert_eq!(
        field_errors(&r),
        vec![("first_year", "pilotage-error-projet-overlap")]
    );
    assert_eq!(count::<projet::Entity>(app).await, 1);

    // An axis, an objective.
    let axis = svc::add_axis(&app.db, &head, a, pid, "Usages pédagogiques")
        .await
        .expect("axis");
    let oid = svc::add_objective(
        &app.db,
        &head,
        a,
        &ObjectiveInput {
            axis_id: axis.to_string(),
            title: "Compétences numériques des élèves".into(),
            description: "Pix en fin de 3e".into(),
        },
    )
    .await
    .expect("objective");
    let o = q::get_objective(&app.db.conn, a, oid)
        .await
        .expect("read")
        .expect("objective");
    assert_eq!((o.axe_id, o.projet_id), (axis, pid));
    assert_eq!(o.description, "Pix en fin de 3e");

    // An action ending after the plan: refused naming the end, nothing
    // written.
    let start = format!("{}-10-01", y.0);
    let r = svc::add_action(
        &app.db,
        &head,
        a,
        oid,
        &action_input(
            "Trop longue",
            start.clone(),
            format!("{}-09-01", y.0 + 3),
            "0",
        ),
    )
    .await;
    assert_eq!(
        field_errors(&r),
        vec![("end_on", "pilotage-error-projet-action-outside-plan")]
    );
    assert_eq!(count::<projet_action::Entity>(app).await, 0);

    let a1 = svc::add_action(
        &app.db,
        &head,
        a,
        oid,
        &action_input(
            "Séances Pix",
            start.clone(),
            format!("{}-06-30", y.0 + 1),
            "",
        ),
    )
    .await
    .expect("action");
    let a2 = svc::add_action(
        &app.db,
        &head,
        a,
        oid,
        &action_input(
            "Formation Pix Orga",
            start.clone(),
            format!("{}-12-18", y.0),
            "0",
        ),
    )
    .await
    .expect("action");
    let stored = q::get_action(&app.db.conn, a, a1)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(stored.status, "todo");
    assert_eq!(stored.progress, 0);
    assert_eq!(stored.start_on.to_string(), start);
    assert_eq!(objective_progress(app, &head, a, oid).await, Some(0));

    // Progress: read back, the objective's moves.
    svc::update_action(
        &app.db,
        &head,
        a,
        a1,
        &action_input(
            "Séances Pix",
            start.clone(),
            format!("{}-06-30", y.0 + 1),
            "40",
        ),
    )
    .await
    .expect("progress");
    let stored = q::get_action(&app.db.conn, a, a1)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(stored.progress, 40);
    assert_eq!(objective_progress(app, &head, a, oid).await, Some(20));
    svc::set_action_status(&app.db, &head, a, a2, "done")
        .await
        .expect("done");
    let stored = q::get_action(&app.db.conn, a, a2)
        .await
        .expect("read")
        .expect("action");
    assert_eq!((stored.status.as_str(), stored.progress), ("done", 100));
    assert_eq!(objective_progress(app, &head, a, oid).await, Some(70));
    assert_eq!(
        field_errors(&svc::set_action_status(&app.db, &head, a, a2, "dropped").await),
        vec![("status", "pilotage-error-comite-action-status")]
    );
    // A dropped action no longer counts.
    svc::set_action_status(&app.db, &head, a, a1, "dropped")
        .await
        .expect("dropped");
    assert_eq!(objective_progress(app, &head, a, oid).await, Some(100));
    svc::set_action_status(&app.db, &head, a, a1, "todo")
        .await
        .expect("taken back");
    assert_eq!(objective_progress(app, &head, a, oid).await, Some(70));
    let r = svc::update_action(
        &app.db,
        &head,
        a,
        a1,
        &action_input("Séances Pix", start.clone(), start.clone(), "150"),
    )
    .await;
    assert_eq!(
        field_errors(&r),
        vec![("progress", "pilotage-error-projet-progress")]
    );

    // Indicators: a target that is not a number, refused naming its year,
    // nothing written.
    let r = svc::add_indicator(
        &app.db,
        &head,
        a,
        oid,
        &IndicatorInput {
            label: "Élèves certifiés Pix".into(),
            source: "manual".into(),
            unit: "percent".into(),
            direction: "higher".into(),
            baseline: "40".into(),
            targets: vec!["50".into(), "beaucoup".into(), "70".into()],
        },
    )
    .await;
    assert_eq!(
        field_errors(&r),
        vec![("year-1-target", "pilotage-error-value-not-a-number")]
    );
    assert_eq!(count::<projet_indicateur::Entity>(app).await, 0);
    assert_eq!(count::<projet_cible::Entity>(app).await, 0);

    let typed = svc::add_indicator(
        &app.db,
        &head,
        a,
        oid,
        &IndicatorInput {
            label: "Élèves certifiés Pix".into(),
            source: "manual".into(),
            unit: "percent".into(),
            direction: "higher".into(),
            baseline: "40".into(),
            targets: vec!["50".into(), "60,5".into(), "70".into()],
        },
    )
    .await
    .expect("typed indicator");
    let stored = q::get_indicator(&app.db.conn, a, typed)
        .await
        .expect("read")
        .expect("indicator");
    assert_eq!(
        (
            stored.source_kind.as_str(),
            stored.unit.as_str(),
            stored.baseline
        ),
        ("manual", "percent", Some(40_000))
    );
    let targets: Vec<(i32, Option<i64>)> = q::targets_of(&app.db.conn, &[typed])
        .await
        .expect("targets")
        .into_iter()
        .map(|t| (t.school_year, t.target))
        .collect();
    assert_eq!(
        targets,
        vec![
            (y.0, Some(50_000)),
            (y.0 + 1, Some(60_500)),
            (y.0 + 2, Some(70_000))
        ]
    );

    // Two bound indicators, their targets set around today's values: loans
    // out (higher is better) one above, loans overdue (lower is better)
    // one above too.
    let etab = refnum_db::orgs::get_etablissement(&app.db.conn, a)
        .await
        .expect("read")
        .expect("school");
    let now = mesures::current(&app.db, &etab, Utc::now())
        .await
        .expect("values");
    let out = now.value(Metric::LoansOut).expect("always defined");
    let overdue = now.value(Metric::LoansOverdue).expect("always defined");
    let above = |v: i64| refnum_domain::pilotage::indicateurs::format_value(v + 1_000);
    let bound_out = svc::add_indicator(
        &app.db,
        &head,
        a,
        oid,
        &IndicatorInput {
            label: "Prêts en cours".into(),
            source: "loans_out".into(),
            targets: vec![above(out)],
            ..Default::default()
        },
    )
    .await
    .expect("bound indicator");
    let bound_overdue = svc::add_indicator(
        &app.db,
        &head,
        a,
        oid,
        &IndicatorInput {
            label: "Prêts en retard".into(),
            source: "loans_overdue".into(),
            targets: vec![above(overdue)],
            ..Default::default()
        },
    )
    .await
    .expect("bound indicator");
    let stored = q::get_indicator(&app.db.conn, a, bound_out)
        .await
        .expect("read")
        .expect("indicator");
    assert_eq!(
        (stored.source_kind.as_str(), stored.metric.as_deref()),
        ("bound", Some("loans_out"))
    );

    // A typed value for this year, read back; a bound one is not typed.
    svc::record_value(&app.db, &head, a, typed, &y.label(), "46")
        .await
        .expect("value");
    let row = q::targets_of(&app.db.conn, &[typed])
        .await
        .expect("targets")
        .into_iter()
        .find(|t| t.school_year == y.0)
        .expect("this year");
    assert_eq!((row.target, row.value), (Some(50_000), Some(46_000)));
    assert!(row.recorded_at.is_some());
    assert_eq!(
        field_errors(&svc::record_value(&app.db, &head, a, bound_out, &y.label(), "3").await),
        vec![("value", "pilotage-error-projet-value-bound")]
    );
    assert_eq!(
        field_errors(
            &svc::record_value(&app.db, &head, a, typed, &SchoolYear(y.0 + 3).label(), "3").await
        ),
        vec![("school_year", "pilotage-error-projet-year-outside-plan")]
    );

    // Off target this year: the typed one (46 for 50) and loans out (one
    // under its target); loans overdue are under theirs, on target.
    let mut off: Vec<(Uuid, i64, i64)> = svc::off_target(&app.db, &head, a, today)
        .await
        .expect("off target")
        .into_iter()
        .map(|o| (o.indicator_id, o.target, o.value))
        .collect();
    off.sort();
    let mut expected = vec![(typed, 50_000, 46_000), (bound_out, out + 1_000, out)];
    expected.sort();
    assert_eq!(off, expected);
    assert!(!off.iter().any(|(id, _, _)| *id == bound_overdue));
    // The teacher reads them too; another school's head reads nothing of it.
    assert_eq!(
        svc::off_target(&app.db, &teacher, a, today)
            .await
            .expect("read")
            .len(),
        2
    );
    assert!(
        svc::off_target(&app.db, &referent_b, b, today)
            .await
            .expect("own school")
            .is_empty()
    );

    // The comité's action linked to the objective.
    let cid = comite::create_action(
        &app.db,
        &head,
        a,
        &ComiteActionInput {
            title: "Généraliser Pix en 4e".into(),
            owner_name: "Mme Leroy".into(),
            due_on: format!("{}-03-31", y.0 + 1),
            ..Default::default()
        },
    )
    .await
    .expect("comité action");
    svc::link_comite_action(&app.db, &head, a, cid, Some(oid))
        .await
        .expect("linked");
    let c = comite_q::get_action(&app.db.conn, a, cid)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(c.objective_id, Some(oid));
    let v = svc::objective(&app.db, &teacher, a, oid, today)
        .await
        .expect("objective");
    assert_eq!(
        v.view
            .comite_actions
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![cid]
    );
    // A project action fed by it.
    let mut fed = action_input(
        "Pix en 4e",
        start.clone(),
        format!("{}-06-30", y.0 + 1),
        "10",
    );
    fed.comite_action_id = cid.to_string();
    let a3 = svc::add_action(&app.db, &head, a, oid, &fed)
        .await
        .expect("fed action");
    assert_eq!(
        q::get_action(&app.db.conn, a, a3)
            .await
            .expect("read")
            .expect("action")
            .comite_action_id,
        Some(cid)
    );

    // The plan read whole.
    let home = svc::current(&app.db, &teacher, a, today)
        .await
        .expect("plan");
    assert!(!home.may_manage);
    let plan = home.plan.expect("current plan");
    assert_eq!(plan.plan.id, pid);
    assert_eq!(plan.current_year, Some(y));
    assert_eq!(plan.axes.len(), 1);
    let ov = &plan.axes[0].objectives[0];
    assert_eq!(ov.actions.len(), 3);
    assert_eq!(ov.indicators.len(), 3);
    // (40 → todo keeps 40) + 100 + 10 → 50.
    assert_eq!(ov.progress, Some(50));
    let typed_view = ov
        .indicators
        .iter()
        .find(|i| i.indicator.id == typed)
        .expect("typed");
    assert_eq!(
        typed_view.current.map(|f| (f.target, f.value)),
        Some((Some(50_000), Some(46_000)))
    );

    // Another school: not found through either id; a teacher: forbidden.
    for etab in [a, b] {
        assert!(matches!(
            svc::objective(&app.db, &referent_b, etab, oid, today).await,
            Err(ServiceError::NotFound)
        ));
        assert!(matches!(
            svc::action(&app.db, &referent_b, etab, a1).await,
            Err(ServiceError::NotFound)
        ));
    }
    let other = comite::create_action(
        &app.db,
        &referent_b,
        b,
        &ComiteActionInput {
            title: "Autre".into(),
            owner_name: "X".into(),
            due_on: format!("{}-03-31", y.0 + 1),
            ..Default::default()
        },
    )
    .await
    .expect("other school's action");
    assert!(matches!(
        svc::link_comite_action(&app.db, &head, a, other, Some(oid)).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        svc::link_comite_action(&app.db, &referent_b, b, other, Some(oid)).await,
        Err(ServiceError::NotFound)
    ));
    assert_eq!(
        comite_q::get_action(&app.db.conn, b, other)
            .await
            .expect("read")
            .expect("action")
            .objective_id,
        None
    );
    assert!(matches!(
        svc::record_value(&app.db, &teacher, a, typed, &y.label(), "99").await,
        Err(ServiceError::Forbidden)
    ));
    assert!(matches!(
        svc::update_action(&app.db, &teacher, a, a1, &fed).await,
        Err(ServiceError::Forbidden)
    ));
    assert_eq!(
        q::get_action(&app.db.conn, a, a1)
            .await
            .expect("read")
            .expect("action")
            .title,
        "Séances Pix"
    );
    assert_eq!(events(app, "pilotage.projet_created").await, 1);
    assert_eq!(events(app, "pilotage.projet_value_recorded").await, 1);
    assert_eq!(events(app, "pilotage.projet_comite_action_linked").await, 1);
    assert_eq!(count::<projet_objectif::Entity>(app).await, 1);
}

both_backends!(the_head_writes_the_project_that_the_comite_feeds);

async fn the_demo_seeds_a_plan_once(app: &TestApp) {
    app.demo().await;
    let today = comite::today();
    let n = refnum_services::pilotage::demo_projet::seed_demo_schools(&app.db, today)
        .await
        .expect("seed");
    assert_eq!(n, 3);
    for uai in [UAI_A, UAI_B, UAI_C] {
        let etab = app.etab_id(uai).await;
        let plans = q::plans_of(&app.db.conn, etab).await.expect("plans");
        assert_eq!(plans.len(), 1, "{uai}");
        let y = SchoolYear::of(today);
        assert_eq!((plans[0].first_year, plans[0].last_year), (y.0, y.0 + 2));
        let p = plans[0].id;
        assert_eq!(
            q::axes_of(&app.db.conn, etab, p).await.expect("axes").len(),
            2
        );
        assert_eq!(
            q::objectives_of(&app.db.conn, etab, p)
                .await
                .expect("objectives")
                .len(),
            3
        );
        let actions = q::actions_of(&app.db.conn, etab, p, None)
            .await
            .expect("actions");
        assert_eq!(actions.len(), 5);
        assert!(
            actions
                .iter()
                .any(|a| a.status == "done" && a.progress == 100)
        );
        let indicators = q::indicators_of(&app.db.conn, etab, p, None)
            .await
            .expect("indicators");
        assert_eq!(
            indicators
                .iter()
                .filter(|i| i.source_kind == "bound")
                .count(),
            2
        );
        let typed: Vec<Uuid> = indicators
            .iter()
            .filter(|i| i.source_kind == "manual")
            .map(|i| i.id)
            .collect();
        assert_eq!(typed.len(), 1);
        let recorded = q::targets_of(&app.db.conn, &typed)
            .await
            .expect("targets")
            .into_iter()
            .filter(|t| t.value.is_some())
            .count();
        assert_eq!(recorded, 1);
    }
    let again = refnum_services::pilotage::demo_projet::seed_demo_schools(&app.db, today)
        .await
        .expect("seed again");
    assert_eq!(again, 0);
    assert_eq!(count::<projet::Entity>(app).await, 3);
}

both_backends!(the_demo_seeds_a_plan_once);

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string()
}

/// The pages, through HTTP: the head writes a plan, an axis, an objective,
/// an action and an indicator (bad input comes back 422 naming the field,
/// nothing written); another school's objective, action and indicator are
/// 404 through either school's id; a teacher reads (200) and posting is
/// 403, changing nothing.
async fn the_project_pages_are_scoped(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let y = this_year();
    let home = format!("/etablissements/{a}/pilotage/projet");
    let new_path = format!("{home}/nouveau");
    let head = app.signed_in(DIRECTION_A).await;
    let html = app.page(&head, &home).await;
    assert!(html.contains("id=\"projet-none\""));
    assert!(html.contains(&new_path), "the head may create one");
    assert!(
        html.contains(&format!("href=\"{home}\"")) && html.contains("Projet numérique"),
        "the menu links the page"
    );

    // Six years: 422 naming the field, nothing written.
    let first = y.label();
    let too_far = SchoolYear(y.0 + 5).label();
    let r = app
        .post_form(
            &head,
            &new_path,
            &new_path,
            &[
                ("title", "Volet numérique"),
                ("first_year", &first),
                ("last_year", &too_far),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-last_year\""), "{body}");
    assert!(body.contains("de une à cinq années scolaires"));
    assert_eq!(count::<projet::Entity>(app).await, 0);

    let last = SchoolYear(y.0 + 2).label();
    let r = app
        .post_form(
            &head,
            &new_path,
            &new_path,
            &[
                ("title", "Volet numérique"),
                ("first_year", &first),
                ("last_year", &last),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{home}?fait=projet-cree"));
    let plans = q::plans_of(&app.db.conn, a).await.expect("plans");
    assert_eq!(plans.len(), 1);
    let pid = plans[0].id;

    let r = app
        .post_form(
            &head,
            &home,
            &format!("{home}/plans/{pid}/axes"),
            &[("axis_title", "Usages")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let axis = q::axes_of(&app.db.conn, a, pid).await.expect("axes")[0].id;
    let r = app
        .post_form(
            &head,
            &home,
            &format!("{home}/objectifs"),
            &[
                ("axis_id", &axis.to_string()),
                ("objective_title", "Pix en fin de 3e"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let oid = q::objectives_of(&app.db.conn, a, pid)
        .await
        .expect("objectives")[0]
        .id;
    let objective_path = format!("{home}/objectifs/{oid}");
    assert_eq!(
        location(&r),
        format!("{objective_path}?fait=projet-objectif-ajoute")
    );

    // An action ending after the plan, then a good one.
    let start = format!("{}-10-01", y.0);
    let late = format!("{}-09-01", y.0 + 3);
    let end = format!("{}-06-30", y.0 + 1);
    let r = app
        .post_form(
            &head,
            &objective_path,
            &format!("{objective_path}/actions"),
            &[
                ("title", "Séances Pix"),
                ("owner", "Équipe de technologie"),
                ("start_on", &start),
                ("end_on", &late),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-end_on\""), "{body}");
    assert_eq!(count::<projet_action::Entity>(app).await, 0);
    let r = app
        .post_form(
            &head,
            &objective_path,
            &format!("{objective_path}/actions"),
            &[
                ("title", "Séances Pix"),
                ("owner", "Équipe de technologie"),
                ("start_on", &start),
                ("end_on", &end),
                ("progress", "30"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let aid = q::actions_of(&app.db.conn, a, pid, None)
        .await
        .expect("actions")[0]
        .id;
    let action_path = format!("{home}/actions/{aid}");

    // An indicator whose target is not a number, then a good one.
    let r = app
        .post_form(
            &head,
            &objective_path,
            &format!("{objective_path}/indicateurs"),
            &[
                ("label", "Élèves certifiés Pix"),
                ("source", "manual"),
                ("unit", "percent"),
                ("direction", "higher"),
                ("year-0-target", "la moitié"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-year-0-target\""), "{body}");
    assert_eq!(count::<projet_indicateur::Entity>(app).await, 0);
    let r = app
        .post_form(
            &head,
            &objective_path,
            &format!("{objective_path}/indicateurs"),
            &[
                ("label", "Élèves certifiés Pix"),
                ("source", "manual"),
                ("unit", "percent"),
                ("direction", "higher"),
                ("year-0-target", "50"),
                ("year-1-target", "60"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let iid = q::indicators_of(&app.db.conn, a, pid, None)
        .await
        .expect("indicators")[0]
        .id;
    let indicator_path = format!("{home}/indicateurs/{iid}");
    let r = app
        .post_form(
            &head,
            &indicator_path,
            &format!("{indicator_path}/valeur"),
            &[("school_year", &first), ("value", "46")],
        )
        .await;
    assert_eq!(r.status(), 303);

    // The plan shows the objective's progress as text, the action and the
    // indicator's year columns.
    let html = app.page(&head, &home).await;
    assert!(html.contains("Pix en fin de 3e"));
    assert!(html.contains("<strong>30 %</strong>"), "{html}");
    assert!(html.contains(&format!("<th scope=\"col\">{first}</th>")));
    assert!(html.contains("Cible non atteinte"));
    let html = app.page(&head, &indicator_path).await;
    assert!(html.contains("46 %"));

    // Another school's objective, action and indicator: 404 through either
    // id; a post through its own id too.
    let other = app.signed_in(REFERENT_B).await;
    for etab in [a, b] {
        for path in [
            format!("/etablissements/{etab}/pilotage/projet/objectifs/{oid}"),
            format!("/etablissements/{etab}/pilotage/projet/actions/{aid}"),
            format!("/etablissements/{etab}/pilotage/projet/indicateurs/{iid}"),
        ] {
            assert_eq!(app.get_text(&other, &path).await.0, 404, "{path}");
        }
    }
    let own = format!("/etablissements/{b}/pilotage/projet");
    let r = app
        .post_form(
            &other,
            &own,
            &format!("{own}/actions/{aid}/etat"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), 404);

    // A teacher reads without the forms; posting is 403 and changes
    // nothing.
    let teacher = app.signed_in(TEACHER_A).await;
    let html = app.page(&teacher, &home).await;
    assert!(html.contains("Pix en fin de 3e"));
    assert!(!html.contains("projet-objective-form"));
    assert_eq!(app.get_text(&teacher, &objective_path).await.0, 200);
    assert_eq!(app.get_text(&teacher, &action_path).await.0, 200);
    for (action, fields) in [
        (format!("{action_path}/etat"), vec![("status", "done")]),
        (
            action_path.clone(),
            vec![
                ("title", "Réécrit"),
                ("owner", "X"),
                ("start_on", start.as_str()),
                ("end_on", end.as_str()),
            ],
        ),
        (
            format!("{indicator_path}/valeur"),
            vec![("school_year", first.as_str()), ("value", "99")],
        ),
        (
            format!("{objective_path}/comite"),
            vec![("link_comite_action_id", "")],
        ),
        (
            new_path.clone(),
            vec![
                ("title", "Autre"),
                ("first_year", first.as_str()),
                ("last_year", first.as_str()),
            ],
        ),
    ] {
        let r = app.post_form(&teacher, &home, &action, &fields).await;
        assert_eq!(r.status(), 403, "{action}");
    }
    assert_eq!(app.get_text(&teacher, &new_path).await.0, 403);
    let stored = q::get_action(&app.db.conn, a, aid)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(
        (
            stored.title.as_str(),
            stored.status.as_str(),
            stored.progress
        ),
        ("Séances Pix", "todo", 30)
    );
    let value = q::targets_of(&app.db.conn, &[iid])
        .await
        .expect("targets")
        .into_iter()
        .find(|t| t.school_year == y.0)
        .and_then(|t| t.value);
    assert_eq!(value, Some(46_000));
    assert_eq!(count::<projet::Entity>(app).await, 1);
}

both_backends!(the_project_pages_are_scoped);
