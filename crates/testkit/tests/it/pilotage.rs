//! Pilotage storage: the catalogue seeded from the domain's list, a mission
//! letter written and read back with its parts, and the steps that must
//! not happen twice (a signature, an acknowledgement, a version number)
//! under concurrent requests.

use chrono::Utc;
use refnum_db::entities::pilotage::{
    lettre, lettre_indicateur, lettre_mission, lettre_referent, mission,
};
use refnum_db::pilotage as q;
use refnum_domain::pilotage::catalogue::SEED;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::EntityTrait;
use uuid::Uuid;

fn letter_row(etab: Uuid, year: i32, version: i32, by: Uuid) -> lettre::Model {
    let now = Utc::now();
    lettre::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        school_year: year,
        version,
        status: "draft".into(),
        supersedes_id: None,
        text: "Lettre co-rédigée avec la direction.".into(),
        created_by: Some(by),
        created_at: now,
        updated_at: now,
        proposed_at: None,
        signed_by: None,
        signed_at: None,
        signed_hash: None,
        reviewed_by: None,
        reviewed_at: None,
    }
}

async fn the_catalogue_and_a_letter_are_stored_and_read_back(app: &TestApp) {
    app.demo().await;
    // The server seeded the catalogue; this test stores it itself.
    mission::Entity::delete_many()
        .exec(&app.db.conn)
        .await
        .expect("empty catalogue");
    let now = Utc::now();
    let rows: Vec<mission::Model> = SEED
        .iter()
        .enumerate()
        .map(|(i, s)| mission::Model {
            id: Uuid::now_v7(),
            academie_id: None,
            code: Some(s.code.into()),
            axis: s.axis.as_str().into(),
            label: s.label.into(),
            position: i32::try_from(i).expect("position"),
            active: true,
            created_at: now,
            updated_at: now,
        })
        .collect();
    q::insert_missions(&app.db.conn, rows).await.expect("seed");
    let catalogue = q::catalogue(&app.db.conn, None, false).await.expect("read");
    let labels: Vec<&str> = catalogue.iter().map(|m| m.label.as_str()).collect();
    let seed: Vec<&str> = SEED.iter().map(|s| s.label).collect();
    assert_eq!(labels, seed, "the seed, in its order");
    let mut codes = q::seeded_codes(&app.db.conn).await.expect("codes");
    codes.sort();
    assert_eq!(codes.len(), SEED.len());

    let etab = app.etab_id(UAI_A).await;
    let head = app.account_id(DIRECTION_A).await;
    let referent = app.account_id(REFERENT_A).await;
    assert_eq!(
        q::next_version(&app.db.conn, etab, 2026).await.expect("v"),
        1
    );
    let row = letter_row(etab, 2026, 1, head);
    let id = row.id;
    let txn = app.db.write().await.expect("txn");
    q::insert_letter(&*txn, row).await.expect("letter");
    q::replace_parts(
        &*txn,
        id,
        q::LetterParts {
            referents: vec![lettre_referent::Model {
                id: Uuid::now_v7(),
                lettre_id: id,
                account_id: Some(referent),
                name: "Julien Roussel".into(),
                position: 0,
                remuneration_kind: "imp".into(),
                rate_cents: Some(125_000),
                share_numerator: Some(1),
                share_denominator: Some(2),
                hours: None,
                acknowledged_at: None,
                acknowledged_hash: None,
            }],
            missions: vec![lettre_mission::Model {
                id: Uuid::now_v7(),
                lettre_id: id,
                catalogue_id: Some(catalogue[0].id),
                position: 0,
                axis: "pilotage".into(),
                label: catalogue[0].label.clone(),
                detail: "Trois réunions dans l'année.".into(),
            }],
            indicators: vec![lettre_indicateur::Model {
                id: Uuid::now_v7(),
                lettre_id: id,
                position: 0,
                label: "Disponibilité du parc".into(),
                source_kind: "bound".into(),
                metric: Some("equipment_availability".into()),
                unit: "percent".into(),
                direction: "higher".into(),
                baseline: Some(91_000),
                target: 95_500,
                final_value: None,
                final_comment: String::new(),
            }],
        },
    )
    .await
    .expect("parts");
    txn.commit().await.expect("commit");

    let back = q::get_letter(&app.db.conn, etab, id)
        .await
        .expect("read")
        .expect("the letter");
    assert_eq!(back.status, "draft");
    assert_eq!(back.version, 1);
    let other = app.etab_id(UAI_B).await;
    assert!(
        q::get_letter(&app.db.conn, other, id)
            .await
            .expect("read")
            .is_none(),
        "another school's letter is not found"
    );
    let parts = q::parts_of(&app.db.conn, id).await.expect("parts");
    assert_eq!(parts.referents.len(), 1);
    assert_eq!(parts.referents[0].rate_cents, Some(125_000));
    assert_eq!(parts.referents[0].share_denominator, Some(2));
    assert_eq!(parts.missions[0].catalogue_id, Some(catalogue[0].id));
    assert_eq!(parts.indicators[0].target, 95_500);
    assert_eq!(parts.indicators[0].baseline, Some(91_000));
    assert_eq!(
        q::next_version(&app.db.conn, etab, 2026).await.expect("v"),
        2
    );
    assert_eq!(
        q::next_version(&app.db.conn, etab, 2027).await.expect("v"),
        1
    );

    // The same version twice: the second is refused by the database.
    let twice = q::insert_letter(&app.db.conn, letter_row(etab, 2026, 1, head)).await;
    assert!(
        twice.as_ref().is_err_and(refnum_db::is_unique_violation),
        "{twice:?}"
    );
}

async fn a_letter_is_signed_and_acknowledged_once_under_concurrent_requests(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(UAI_A).await;
    let head = app.account_id(DIRECTION_A).await;
    let referent = app.account_id(REFERENT_A).await;
    let row = letter_row(etab, 2026, 1, head);
    let id = row.id;
    q::insert_letter(&app.db.conn, row).await.expect("letter");
    q::replace_parts(
        &app.db.conn,
        id,
        q::LetterParts {
            referents: vec![lettre_referent::Model {
                id: Uuid::now_v7(),
                lettre_id: id,
                account_id: Some(referent),
                name: "Julien Roussel".into(),
                position: 0,
                remuneration_kind: "hours".into(),
                rate_cents: None,
                share_numerator: None,
                share_denominator: None,
                hours: Some(36),
                acknowledged_at: None,
                acknowledged_hash: None,
            }],
            ..Default::default()
        },
    )
    .await
    .expect("parts");

    // A draft cannot be signed.
    assert!(
        !q::sign(&app.db.conn, id, head, Utc::now(), "h")
            .await
            .expect("sign")
    );
    assert!(
        q::move_status(&app.db.conn, id, "draft", "proposed", Utc::now())
            .await
            .expect("propose")
    );
    let proposed = q::get_letter(&app.db.conn, etab, id)
        .await
        .expect("read")
        .expect("letter");
    assert_eq!(proposed.status, "proposed");
    assert!(proposed.proposed_at.is_some());

    let hash = "a".repeat(64);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let db = app.db.clone();
            let hash = hash.clone();
            tokio::spawn(async move { q::sign(&db.conn, id, head, Utc::now(), &hash).await })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        if t.await.expect("task").expect("sign") {
            won += 1;
        }
    }
    assert_eq!(won, 1, "one signature of the version");
    let signed = q::get_letter(&app.db.conn, etab, id)
        .await
        .expect("read")
        .expect("letter");
    assert_eq!(signed.status, "signed");
    assert_eq!(signed.signed_by, Some(head));
    assert_eq!(signed.signed_hash.as_deref(), Some(hash.as_str()));
    // Nor can it go back to draft.
    assert!(
        !q::move_status(&app.db.conn, id, "proposed", "draft", Utc::now())
            .await
            .expect("withdraw")
    );

    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let db = app.db.clone();
            let hash = hash.clone();
            tokio::spawn(
                async move { q::acknowledge(&db.conn, id, referent, Utc::now(), &hash).await },
            )
        })
        .collect();
    let mut acks = 0;
    for t in tasks {
        if t.await.expect("task").expect("ack") {
            acks += 1;
        }
    }
    assert_eq!(acks, 1, "one acknowledgement per referent");
    let parts = q::parts_of(&app.db.conn, id).await.expect("parts");
    assert!(parts.referents[0].acknowledged_at.is_some());
    assert_eq!(
        parts.referents[0].acknowledged_hash.as_deref(),
        Some(hash.as_str())
    );
    // Someone the letter does not name acknowledges nothing.
    assert!(
        !q::acknowledge(&app.db.conn, id, head, Utc::now(), &hash)
            .await
            .expect("ack")
    );
}

both_backends!(
    the_catalogue_and_a_letter_are_stored_and_read_back,
    a_letter_is_signed_and_acknowledged_once_under_concurrent_requests,
);
