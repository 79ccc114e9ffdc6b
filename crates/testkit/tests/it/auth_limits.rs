//! Sign-in limits under parallel requests: an attempt is counted before the
//! secret is checked, so a burst cannot get more guesses than the limit,
//! for the password, the second factor's codes, the recovery codes and the
//! current password of the password change; and concurrent sign-ins never
//! fail with a server error on SQLite.

use refnum_db::entities::{account, audit_event};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends, both_backends_with, test_config};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// A client that does not follow redirects, with the login form's CSRF
/// token.
async fn login_client(app: &TestApp) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let token = app.csrf(&c, "/connexion").await;
    (c, token)
}

async fn post_login(
    app: &TestApp,
    c: &reqwest::Client,
    token: &str,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> u16 {
    let mut req = c.post(app.url("/connexion")).form(&[
        ("csrf_token", token),
        ("email", email),
        ("password", password),
        ("suite", "/"),
    ]);
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.expect("post login").status().as_u16()
}

async fn count_events(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&app.db.conn)
        .await
        .expect("count")
}

/// 39 wrong passwords and the right one last, all at once: at most the
/// limit (10) are checked, and the right one cannot sign in past it.
async fn forty_parallel_sign_ins_get_at_most_the_limit(app: &TestApp) {
    app.demo().await;
    let mut tasks = vec![];
    for i in 0..40 {
        let (c, token) = login_client(app).await;
        let password = if i == 39 {
            PASSWORD.to_string()
        } else {
            format!("mauvais-mot-de-passe-{i}")
        };
        let app_url = app.url("/connexion");
        tasks.push(tokio::spawn(async move {
            // The right password leaves last.
            if i == 39 {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            c.post(app_url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("email", TEACHER_B),
                    ("password", password.as_str()),
                    ("suite", "/"),
                ])
                .send()
                .await
                .expect("post login")
                .status()
                .as_u16()
        }));
    }
    let mut statuses = vec![];
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    let wrong = &statuses[..39];
    let right = statuses[39];
    assert!(
        statuses.iter().all(|s| [303, 401, 429].contains(s)),
        "only a sign-in, a refusal or a wait, never a server error: {statuses:?}"
    );
    let evaluated_wrong = wrong.iter().filter(|s| **s == 401).count();
    let evaluated = evaluated_wrong + usize::from(right == 303);
    assert!(
        evaluated <= 10,
        "{evaluated} passwords checked for a limit of 10: {statuses:?}"
    );
    if evaluated_wrong == 10 {
        assert_eq!(right, 429, "the right password comes after the limit");
    }
    assert_eq!(
        count_events(app, "auth.login_failed").await,
        evaluated_wrong as u64,
        "each checked wrong password is in the audit log"
    );
    // The account is locked for its window, whatever the password.
    let (c, token) = login_client(app).await;
    if evaluated_wrong == 10 {
        assert_eq!(
            post_login(app, &c, &token, TEACHER_B, PASSWORD, None).await,
            429
        );
    }
}

fn behind_a_proxy() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    c
}

/// 200 people sign in at the same moment, each from their own address:
/// every one gets in, none meets "database is locked".
async fn two_hundred_concurrent_sign_ins_all_succeed(app: &TestApp) {
    app.demo().await;
    let model = account::Entity::find()
        .filter(account::Column::Email.eq(TEACHER_B))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("teacher");
    let now = chrono::Utc::now();
    let people: Vec<String> = (0..200)
        .map(|i| format!("enseignant{i:03}@charge.test"))
        .collect();
    let rows: Vec<account::ActiveModel> = people
        .iter()
        .map(|email| {
            sea_orm::IntoActiveModel::into_active_model(account::Model {
                id: uuid::Uuid::now_v7(),
                email: email.clone(),
                display_name: email.clone(),
                password_hash: model.password_hash.clone(),
                disabled: false,
                locale: "fr".into(),
                display_prefs: model.display_prefs.clone(),
                search_text: email.clone(),
                created_at: now,
                updated_at: now,
            })
        })
        .collect();
    account::Entity::insert_many(rows)
        .exec_without_returning(&app.db.conn)
        .await
        .expect("accounts");
    let mut clients = vec![];
    for (i, email) in people.iter().enumerate() {
        let (c, token) = login_client(app).await;
        clients.push((
            c,
            token,
            email.clone(),
            format!("10.1.{}.{}", i / 250, i % 250 + 1),
        ));
    }
    let mut tasks = vec![];
    for (c, token, email, ip) in clients {
        let url = app.url("/connexion");
        tasks.push(tokio::spawn(async move {
            c.post(url)
                .header("x-forwarded-for", ip)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("suite", "/"),
                ])
                .send()
                .await
                .expect("post login")
                .status()
                .as_u16()
        }));
    }
    let mut statuses = vec![];
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    let server_errors = statuses.iter().filter(|s| **s >= 500).count();
    assert_eq!(server_errors, 0, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(count_events(app, "auth.login").await, 200);
}

/// The current-password check of the password change is limited too, and
/// counted before the check: of 30 parallel wrong guesses at most 10 are
/// checked; the right one then waits.
async fn the_current_password_check_is_limited(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_B).await;
    let token = app.csrf(&c, "/compte/mot-de-passe").await;
    let mut tasks = vec![];
    for i in 0..30 {
        let c = c.clone();
        let token = token.clone();
        let url = app.url("/compte/mot-de-passe");
        tasks.push(tokio::spawn(async move {
            let r = c
                .post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("current_password", &format!("devine-{i}")),
                    ("new_password", "un-nouveau-mot-de-passe-solide-2026"),
                ])
                .send()
                .await
                .expect("post");
            let status = r.status().as_u16();
            (status, r.text().await.expect("body"))
        }));
    }
    let mut wrong = 0;
    let mut throttled = 0;
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 422, "{body}");
        if body.contains("Le mot de passe actuel est incorrect") {
            wrong += 1;
        } else if body.contains("Réessayez dans quelques minutes") {
            throttled += 1;
        }
    }
    assert!(
        wrong <= 10,
        "{wrong} current passwords checked for a limit of 10"
    );
    assert_eq!(wrong + throttled, 30);
    // Even the right current password waits now; the password is unchanged.
    let r = app
        .post_form(
            &c,
            "/compte/mot-de-passe",
            "/compte/mot-de-passe",
            &[
                ("current_password", PASSWORD),
                ("new_password", "un-nouveau-mot-de-passe-solide-2026"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Réessayez dans quelques minutes")
    );
    assert_eq!(
        app.login(&app.client(), TEACHER_B, PASSWORD).await.status(),
        303
    );
}

/// 120 wrong second-factor codes at once (and then recovery codes): at
/// most the limit (5) are checked; the right code then waits.
async fn parallel_second_factor_codes_get_at_most_the_limit(app: &TestApp) {
    app.demo().await;
    // Enrol the admin through the helpers, then sign in again with the
    // password only: the session waits for its second factor.
    app.signed_in(ADMIN).await;
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let token = app.csrf(&c, "/connexion").await;
    assert_eq!(
        post_login(app, &c, &token, ADMIN, PASSWORD, None).await,
        303
    );
    let html = c
        .get(app.url("/connexion/second-facteur"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let csrf = refnum_testkit::extract_csrf(&html).expect("csrf");
    let state = app.second_factor_state(ADMIN).expect("enrolled");
    let secret = refnum_domain::totp::Secret::from_base32(&state.secret).expect("secret");
    let far = refnum_domain::totp::step_at(chrono::Utc::now().timestamp()) + 100;
    let mut tasks = vec![];
    for i in 0..120 {
        let (field, code) = if i % 2 == 0 {
            ("code", refnum_domain::totp::code_at_step(&secret, far + i))
        } else {
            ("recovery_code", format!("zzzzz-{i:05}"))
        };
        let c = c.clone();
        let csrf = csrf.clone();
        let url = app.url("/connexion/second-facteur");
        tasks.push(tokio::spawn(async move {
            c.post(url)
                .form(&[("csrf_token", csrf.as_str()), (field, code.as_str())])
                .send()
                .await
                .expect("post code")
                .status()
                .as_u16()
        }));
    }
    let mut statuses = vec![];
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert!(
        statuses.iter().all(|s| [422, 429].contains(s)),
        "a refusal or a wait, never a server error: {statuses:?}"
    );
    let checked = statuses.iter().filter(|s| **s == 422).count();
    assert!(checked <= 5, "{checked} codes checked for a limit of 5");
    assert_eq!(
        count_events(app, "auth.second_factor_failed").await,
        checked as u64
    );
    let right = app.next_totp_code(ADMIN).await;
    let r = c
        .post(app.url("/connexion/second-facteur"))
        .form(&[("csrf_token", csrf.as_str()), ("code", right.as_str())])
        .send()
        .await
        .expect("post code");
    assert_eq!(r.status(), 429, "the right code waits too");
}

both_backends!(
    forty_parallel_sign_ins_get_at_most_the_limit,
    parallel_second_factor_codes_get_at_most_the_limit,
    the_current_password_check_is_limited,
);
both_backends_with!(
    behind_a_proxy(),
    two_hundred_concurrent_sign_ins_all_succeed
);
