//! Every page reads the caller's session, account, memberships (with their
//! schools) and unread notifications in one statement
//! (`sessions::get_with_context`): it must give what the separate reads
//! give, and follow a change of each.

use chrono::Utc;
use refnum_db::entities::assistance::notification;
use refnum_db::entities::membership;
use refnum_db::{accounts, sessions, support};
use refnum_services::auth::sha256_hex;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, element_text};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use uuid::Uuid;

async fn notify(app: &TestApp, account: Uuid, read: bool) {
    notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account),
        ticket_id: Set(None),
        etablissement_id: Set(None),
        kind: Set("ticket-comment".into()),
        title: Set("n° 1 — Vidéoprojecteur".into()),
        link: Set("/".into()),
        created_at: Set(Utc::now()),
        read_at: Set(read.then(Utc::now)),
        emailed_at: Set(None),
    }
    .insert(&app.db.conn)
    .await
    .expect("notification");
}

async fn the_session_statement_gives_what_the_separate_reads_give(app: &TestApp) {
    app.demo().await;
    let (cookie, _) = app.raw_session(REFERENT_A).await;
    let token = cookie.trim_start_matches("refnum_session=");
    let hash = sha256_hex(token);
    let me = app.account_id(REFERENT_A).await;

    let read = |cap| {
        let hash = hash.clone();
        async move {
            sessions::get_with_context(&app.db.conn, &hash, cap)
                .await
                .expect("read")
                .expect("the session exists")
        }
    };
    let got = read(100).await;
    assert_eq!(got.account.as_ref().map(|a| a.id), Some(me));
    let separate = accounts::memberships_with_schools(&app.db.conn, me)
        .await
        .expect("memberships");
    assert!(!separate.is_empty());
    assert_eq!(got.memberships, separate);
    let unread_before = support::unread_count_up_to(&app.db.conn, me, 100)
        .await
        .expect("unread");
    assert_eq!(got.unread, unread_before);

    // Three unread notifications and a read one: three more, up to the cap.
    for read_one in [false, false, false, true] {
        notify(app, me, read_one).await;
    }
    let got = read(100).await;
    assert_eq!(got.unread, unread_before + 3);
    assert_eq!(read(2).await.unread, 2.min(unread_before + 3));
    // The header shows the new count.
    let c = reqwest::Client::new();
    let html = c
        .get(app.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let badge = element_text(&html, "nav-unread").expect("the header's unread count");
    assert!(
        badge.contains(&(unread_before + 3).to_string()),
        "header: {badge}"
    );

    // A role in a second school: one more membership, with its school.
    let other = app.etab_id(UAI_B).await;
    membership::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(me),
        role: Set("enseignant".into()),
        scope_key: Set(format!("etablissement:{other}")),
        etablissement_id: Set(Some(other)),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db.conn)
    .await
    .expect("membership");
    let got = read(100).await;
    let separate = accounts::memberships_with_schools(&app.db.conn, me)
        .await
        .expect("memberships");
    assert_eq!(got.memberships.len(), separate.len());
    assert_eq!(got.memberships, separate);
    assert!(
        got.memberships
            .iter()
            .any(|(m, e)| m.etablissement_id == Some(other)
                && e.as_ref().map(|e| e.id) == Some(other))
    );

    // A signed-out visitor's session: no account, no membership, nothing unread.
    let r = c.get(app.url("/connexion")).send().await.expect("get");
    let anon = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("refnum_session="))
        .and_then(|v| v.split(';').next())
        .expect("an anonymous session")
        .to_string();
    let got = sessions::get_with_context(&app.db.conn, &sha256_hex(&anon), 100)
        .await
        .expect("read")
        .expect("the anonymous session exists");
    assert!(got.account.is_none());
    assert!(got.memberships.is_empty());
    assert_eq!(got.unread, 0);
    // An unknown token: nothing.
    assert!(
        sessions::get_with_context(&app.db.conn, &sha256_hex("nope"), 100)
            .await
            .expect("read")
            .is_none()
    );
}

both_backends!(the_session_statement_gives_what_the_separate_reads_give);
