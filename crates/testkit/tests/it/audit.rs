use refnum_services::audit::{self, VerifyOutcome, Who};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{Backend, TestApp, both_backends};
use sea_orm::ConnectionTrait;

async fn the_chain_verifies_and_names_the_first_tampered_row(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(REFERENT_A).await;
    let _ = app
        .login(&app.client(), REFERENT_A, "mauvais-mot-de-passe")
        .await;
    let _ = c.get(app.url("/admin")).send().await.expect("get");
    let n = match audit::verify(&app.db).await.expect("verify") {
        VerifyOutcome::Intact { events } => events,
        other => panic!("fresh demo must verify: {other:?}"),
    };
    assert!(n > 50, "demo, sign-ins and refusals are logged ({n})");

    // The database itself refuses to change or remove a row.
    let upd = app
        .db
        .conn
        .execute_unprepared("UPDATE audit_events SET action = 'x' WHERE seq = 5")
        .await;
    assert!(upd.is_err(), "UPDATE must be refused by the database");
    let del = app
        .db
        .conn
        .execute_unprepared("DELETE FROM audit_events WHERE seq = 5")
        .await;
    assert!(del.is_err(), "DELETE must be refused by the database");

    // Someone with the database owner's rights switches the guard off and edits row 7.
    match app.backend {
        Backend::Sqlite => {
            app.db
                .conn
                .execute_unprepared("DROP TRIGGER audit_events_no_update")
                .await
                .expect("drop");
        }
        Backend::Postgres => {
            app.db
                .conn
                .execute_unprepared(
                    "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
                )
                .await
                .expect("disable");
        }
    }
    app.db
        .conn
        .execute_unprepared(
            "UPDATE audit_events SET actor_label = 'quelqu''un d''autre' WHERE seq = 7",
        )
        .await
        .expect("tamper");
    assert_eq!(
        audit::verify(&app.db).await.expect("verify"),
        VerifyOutcome::Broken {
            seq: 7,
            reason: "content-hash"
        }
    );
}

async fn retention_purges_old_events_and_the_chain_still_verifies(app: &TestApp) {
    app.demo().await;
    let before = refnum_db::audit::list(&app.db.conn, None, 0, 1)
        .await
        .expect("list")
        .1;
    // A retention of zero days makes every existing event old.
    refnum_db::settings::put(&app.db.conn, audit::RETENTION_KEY, "0")
        .await
        .expect("put");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let deleted = audit::purge(&app.db, &Who::system("test"))
        .await
        .expect("purge");
    assert_eq!(deleted, before);
    let after = refnum_db::audit::list(&app.db.conn, None, 0, 10)
        .await
        .expect("list");
    assert_eq!(after.1, 1, "only the purge's own event remains");
    assert_eq!(after.0[0].action, "audit.purged");
    assert_eq!(
        audit::verify(&app.db).await.expect("verify"),
        VerifyOutcome::Intact { events: 1 }
    );
    // Rows after the purge horizon stay protected.
    let c = app.signed_in(REFERENT_A).await;
    drop(c);
    let last = refnum_db::audit::list(&app.db.conn, None, 0, 1)
        .await
        .expect("list")
        .0[0]
        .seq;
    let del = app
        .db
        .conn
        .execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {last}"))
        .await;
    assert!(del.is_err());
    assert!(matches!(
        audit::verify(&app.db).await.expect("verify"),
        VerifyOutcome::Intact { .. }
    ));
}

both_backends!(
    the_chain_verifies_and_names_the_first_tampered_row,
    retention_purges_old_events_and_the_chain_still_verifies,
);
