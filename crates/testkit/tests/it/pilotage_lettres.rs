//! The mission letter's use cases, through the services: drafted by the
//! head and the referent, proposed, signed by the head with their password,
//! acknowledged by the referent; bad input changes nothing; each school's
//! letters are its own.

use refnum_db::pilotage as q;
use refnum_domain::pilotage::catalogue::SEED;
use refnum_domain::pilotage::lettre::{self as rules, LetterStatus, LetterStep};
use refnum_services::Ctx;
use refnum_services::auth::AuthSettings;
use refnum_services::error::ServiceError;
use refnum_services::pilotage::{catalogue, lettres};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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

async fn input(app: &TestApp) -> lettres::LetterInput {
    let cat = q::catalogue(&app.db.conn, None, false)
        .await
        .expect("catalogue");
    lettres::LetterInput {
        school_year: "2026-2027".into(),
        text: "Lettre co-rédigée avec le référent.".into(),
        referents: vec![lettres::ReferentInput {
            account_id: app.account_id(REFERENT_A).await.to_string(),
            remuneration: "imp".into(),
            rate_cents: "125000".into(),
            share: "1/2".into(),
            hours: String::new(),
        }],
        missions: vec![
            lettres::MissionInput {
                catalogue_id: cat[0].id.to_string(),
                ..Default::default()
            },
            lettres::MissionInput {
                axis: "equipements".into(),
                label: "Suivre le déploiement des écrans interactifs".into(),
                ..Default::default()
            },
        ],
        indicators: vec![
            lettres::IndicatorInput {
                label: "Disponibilité du parc".into(),
                source: "equipment_availability".into(),
                baseline: "91".into(),
                target: "95,5".into(),
                ..Default::default()
            },
            lettres::IndicatorInput {
                label: "Tickets traités dans les délais".into(),
                source: "sla_compliance".into(),
                target: "90".into(),
                ..Default::default()
            },
            lettres::IndicatorInput {
                label: "Réunions du comité numérique".into(),
                source: "manual".into(),
                unit: "count".into(),
                direction: "higher".into(),
                target: "3".into(),
                ..Default::default()
            },
        ],
    }
}

async fn the_head_and_the_referent_draft_sign_and_acknowledge_a_letter(app: &TestApp) {
    app.demo().await;
    // The server seeds the catalogue when it opens its database; seeding
    // again adds nothing.
    assert_eq!(catalogue::seed(&app.db).await.expect("again"), 0);
    assert_eq!(
        q::catalogue(&app.db.conn, None, false)
            .await
            .expect("catalogue")
            .len(),
        SEED.len()
    );
    let a = app.etab_id(UAI_A).await;
    let head = ctx_of(app, DIRECTION_A).await;
    let referent = ctx_of(app, REFERENT_A).await;
    let teacher = ctx_of(app, TEACHER_A).await;
    let settings = AuthSettings::default();

    // Bad input: nothing written, each error names its field.
    let mut bad = input(app).await;
    bad.indicators[2].target = "beaucoup".into();
    bad.referents[0].rate_cents = "100000".into();
    let r = lettres::create(&app.db, &head, a, &bad).await;
    let errors = field_errors(&r);
    assert!(errors.contains(&("indicator-2-target", "pilotage-error-value-not-a-number")));
    assert!(errors.contains(&("referent-0-rate", "pilotage-error-imp-rate")));
    let mut bad = input(app).await;
    bad.school_year = "2026-2028".into();
    assert_eq!(
        field_errors(&lettres::create(&app.db, &head, a, &bad).await),
        vec![("school_year", "pilotage-error-school-year")]
    );
    assert!(
        q::letters_of(&app.db.conn, a)
            .await
            .expect("letters")
            .is_empty()
    );

    // A teacher may not write it; another school's head does not see it.
    assert!(matches!(
        lettres::create(&app.db, &teacher, a, &input(app).await).await,
        Err(ServiceError::Forbidden)
    ));
    let b = app.etab_id(UAI_B).await;
    let referent_b = ctx_of(app, REFERENT_B).await;

    // The head drafts it, the referent edits it.
    let id = lettres::create(&app.db, &head, a, &input(app).await)
        .await
        .expect("draft");
    assert!(matches!(
        lettres::view(&app.db, &referent_b, a, id).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        lettres::view(&app.db, &referent_b, b, id).await,
        Err(ServiceError::NotFound)
    ));
    let mut edited = input(app).await;
    edited.text = "Lettre relue par le référent.".into();
    lettres::update(&app.db, &referent, a, id, &edited)
        .await
        .expect("edit");
    let v = lettres::view(&app.db, &referent, a, id)
        .await
        .expect("view");
    assert_eq!(v.letter.text, "Lettre relue par le référent.");
    assert_eq!(v.parts.missions.len(), 2);
    assert_eq!(v.parts.indicators[0].target, 95_500);
    assert_eq!(v.parts.indicators[0].baseline, Some(91_000));
    assert_eq!(v.parts.referents[0].rate_cents, Some(125_000));
    assert_eq!(v.status, LetterStatus::Draft);

    // Proposed: no more edits; the referent may not sign.
    assert_eq!(
        lettres::step(&app.db, &referent, a, id, LetterStep::Propose)
            .await
            .expect("propose"),
        LetterStatus::Proposed
    );
    assert_eq!(
        field_errors(&lettres::update(&app.db, &referent, a, id, &edited).await),
        vec![("status", "pilotage-error-letter-signed")]
    );
    assert!(matches!(
        lettres::sign(&app.db, &referent, a, id, PASSWORD, &settings).await,
        Err(ServiceError::Forbidden)
    ));
    // A wrong password signs nothing.
    assert_eq!(
        field_errors(&lettres::sign(&app.db, &head, a, id, "pas-le-bon", &settings).await),
        vec![("password", "error-password-wrong")]
    );
    let still = q::get_letter(&app.db.conn, a, id)
        .await
        .expect("read")
        .expect("letter");
    assert_eq!(still.status, "proposed");
    assert!(still.signed_hash.is_none());

    let hash = lettres::sign(&app.db, &head, a, id, PASSWORD, &settings)
        .await
        .expect("sign");
    let v = lettres::view(&app.db, &head, a, id).await.expect("view");
    assert_eq!(v.status, LetterStatus::Signed);
    assert_eq!(v.letter.signed_hash.as_deref(), Some(hash.as_str()));
    assert_eq!(
        rules::content_hash(&v.content),
        hash,
        "the hash of what is shown"
    );
    assert_eq!(v.letter.signed_by, Some(head.account.id));
    assert_eq!(
        field_errors(&lettres::sign(&app.db, &head, a, id, PASSWORD, &settings).await),
        vec![("status", "pilotage-error-letter-already-signed")]
    );

    // The referent acknowledges it, once; the head is not a party to that.
    lettres::acknowledge(&app.db, &referent, a, id)
        .await
        .expect("acknowledge");
    assert_eq!(
        field_errors(&lettres::acknowledge(&app.db, &referent, a, id).await),
        vec![("status", "pilotage-error-letter-already-acknowledged")]
    );
    assert!(matches!(
        lettres::acknowledge(&app.db, &head, a, id).await,
        Err(ServiceError::Forbidden)
    ));
    let parts = q::parts_of(&app.db.conn, id).await.expect("parts");
    assert_eq!(
        parts.referents[0].acknowledged_hash.as_deref(),
        Some(hash.as_str())
    );

    // The audit chain holds the signature with its hash.
    let events = refnum_db::entities::audit_event::Entity::find()
        .filter(refnum_db::entities::audit_event::Column::Action.eq("pilotage.letter_signed"))
        .all(&app.db.conn)
        .await
        .expect("events");
    assert_eq!(events.len(), 1);
    assert!(events[0].details.contains(&hash), "{}", events[0].details);

    // One letter per school and year: another one for 2026-2027 is refused.
    assert_eq!(
        field_errors(&lettres::create(&app.db, &head, a, &input(app).await).await),
        vec![("school_year", "pilotage-error-letter-exists")]
    );
    assert_eq!(
        q::letters_of(&app.db.conn, a).await.expect("letters").len(),
        1
    );

    // The DANE reads the signed letter, not a draft.
    let dane = ctx_of(app, DANE).await;
    assert!(lettres::view(&app.db, &dane, a, id).await.is_ok());
    let mut next_year = input(app).await;
    next_year.school_year = "2027".into();
    let draft = lettres::create(&app.db, &head, a, &next_year)
        .await
        .expect("draft");
    assert!(matches!(
        lettres::view(&app.db, &dane, a, draft).await,
        Err(ServiceError::NotFound)
    ));
    assert!(matches!(
        lettres::view(&app.db, &teacher, a, id).await,
        Err(ServiceError::Forbidden)
    ));
}

both_backends!(the_head_and_the_referent_draft_sign_and_acknowledge_a_letter);
