use refnum_testkit::demo_accounts::*;
use refnum_testkit::{
    PASSWORD, TestApp, both_backends, both_backends_with, extract_csrf, test_config,
};

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("refnum_session=") && !v.starts_with("refnum_session=;"))
        .map(str::to_string)
}

async fn login_rotates_the_session_and_logout_ends_it(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    let page = c.get(app.url("/connexion")).send().await.expect("get");
    assert_eq!(page.status(), 200);
    let anon = session_cookie(&page).expect("anonymous session cookie");
    assert!(
        anon.contains("HttpOnly") && anon.contains("SameSite=Lax"),
        "{anon}"
    );
    assert!(
        !anon.contains("Secure"),
        "plain http on loopback: no Secure flag"
    );
    let html = page.text().await.expect("body");
    for needle in ["name=\"email\"", "name=\"password\"", "name=\"csrf_token\""] {
        assert!(html.contains(needle), "login form lacks {needle}");
    }
    let token = extract_csrf(&html).expect("csrf");
    let r = c
        .post(app.url("/connexion"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", REFERENT_A),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let signed = session_cookie(&r).expect("new session cookie");
    let value = |c: &str| c.split(';').next().unwrap_or("").to_string();
    assert_ne!(
        value(&anon),
        value(&signed),
        "the session id must change at login"
    );

    let home = c.get(app.url("/")).send().await.expect("home");
    assert_eq!(home.status(), 200);
    let body = home.text().await.expect("body");
    assert!(
        body.contains("Julien Roussel"),
        "home shows the user's name"
    );
    assert!(
        body.contains("Lycée Malherbe"),
        "home shows the current school"
    );

    // The old anonymous session id gives nothing.
    let stale = app.client();
    let r = stale
        .get(app.url("/"))
        .header("cookie", value(&anon))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 303, "old session id is not signed in");

    let token = app.csrf(&c, "/").await;
    let r = c
        .post(app.url("/deconnexion"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(r.status(), 303);
    let r = c.get(app.url("/")).send().await.expect("home");
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .expect("loc")
            .starts_with("/connexion")
    );
    // Replaying the signed-in cookie after logout fails too.
    let r = app
        .client()
        .get(app.url("/"))
        .header("cookie", value(&signed))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 303);
}

async fn same_answer_whether_the_email_exists_or_not(app: &TestApp) {
    app.demo().await;
    let a = app
        .login(&app.client(), REFERENT_A, "mauvais-mot-de-passe")
        .await;
    let b = app
        .login(
            &app.client(),
            "personne@nulle-part.test",
            "mauvais-mot-de-passe",
        )
        .await;
    assert_eq!(a.status(), 401);
    assert_eq!(b.status(), 401);
    let strip = |s: String| {
        // The forms differ only by their CSRF token and the echoed e-mail.
        let s = s
            .replace(REFERENT_A, "E")
            .replace("personne@nulle-part.test", "E");
        match extract_csrf(&s) {
            Some(t) => s.replace(&t, "T"),
            None => s,
        }
    };
    let ta = strip(a.text().await.expect("body"));
    let tb = strip(b.text().await.expect("body"));
    assert!(ta.contains("Adresse électronique ou mot de passe incorrect"));
    assert_eq!(ta, tb);
}

fn fast_throttle() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.auth.throttle_window = chrono::Duration::seconds(3);
    c.auth.account_max_failures = 10;
    c
}

async fn twenty_wrong_passwords_slow_the_account_down_then_it_recovers(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    let mut statuses = vec![];
    for _ in 0..20 {
        statuses.push(
            app.login(&c, TEACHER_B, "pas-le-bon-mot-de-passe")
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(statuses[..10].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    // Even the right password waits for the window to end...
    let r = app.login(&c, TEACHER_B, PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.expect("body").contains("Trop de tentatives"));
    // ...another account is not affected...
    assert_eq!(
        app.login(&app.client(), REFERENT_B, PASSWORD)
            .await
            .status(),
        303
    );
    // ...and after the window the right password works again.
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    assert_eq!(app.login(&c, TEACHER_B, PASSWORD).await.status(), 303);
}

fn short_idle() -> refnum_web::WebConfig {
    let mut c = test_config();
    c.auth.idle_timeout = chrono::Duration::seconds(1);
    c
}

async fn an_idle_session_expires(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_B).await;
    assert_eq!(c.get(app.url("/")).send().await.expect("get").status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(c.get(app.url("/")).send().await.expect("get").status(), 303);
}

async fn a_disabled_account_loses_its_sessions_at_once(app: &TestApp) {
    app.demo().await;
    let teacher = app.signed_in(TEACHER_B).await;
    assert_eq!(
        teacher
            .get(app.url("/"))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    let admin = app.signed_in(ADMIN).await;
    let id = app.account_id(TEACHER_B).await;
    let page = format!("/admin/comptes/{id}");
    let r = app
        .post_form(&admin, &page, &format!("{page}/desactiver"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        teacher
            .get(app.url("/"))
            .send()
            .await
            .expect("get")
            .status(),
        303
    );
    assert_eq!(
        app.login(&app.client(), TEACHER_B, PASSWORD).await.status(),
        401
    );
}

async fn password_change_checks_the_current_one_and_the_rules(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_B).await;
    let other = app.signed_in(TEACHER_B).await;
    let p = "/compte/mot-de-passe";
    let r = app
        .post_form(
            &c,
            p,
            p,
            &[
                ("current_password", "faux-mot-de-passe"),
                ("new_password", "une phrase bien longue"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Le mot de passe actuel est incorrect")
    );
    let r = app
        .post_form(
            &c,
            p,
            p,
            &[("current_password", PASSWORD), ("new_password", "court")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("au moins 12 caractères")
    );
    let r = app
        .post_form(
            &c,
            p,
            p,
            &[
                ("current_password", PASSWORD),
                ("new_password", "azertyuiop123"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("trop courant"));
    let r = app
        .post_form(
            &c,
            p,
            p,
            &[
                ("current_password", PASSWORD),
                ("new_password", "une phrase bien longue"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        c.get(app.url("/")).send().await.expect("get").status(),
        200,
        "this session stays"
    );
    assert_eq!(
        other.get(app.url("/")).send().await.expect("get").status(),
        303,
        "other sessions end"
    );
    assert_eq!(
        app.login(&app.client(), TEACHER_B, "une phrase bien longue")
            .await
            .status(),
        303
    );
}

async fn the_switcher_changes_school_only_among_ones_own(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_A).await;
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        home.contains("school-switcher-select"),
        "two schools: the switcher shows"
    );
    let lepine = app.etab_id(UAI_C).await;
    let r = app
        .post_form(
            &c,
            "/",
            "/etablissement-courant",
            &[("etablissement_id", &lepine.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let home = c
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(home.contains("<h2 id=\"school-title\">Lycée professionnel Victor Lépine</h2>"));
    let monod = app.etab_id(UAI_B).await;
    let r = app
        .post_form(
            &c,
            "/",
            "/etablissement-courant",
            &[("etablissement_id", &monod.to_string())],
        )
        .await;
    assert_eq!(r.status(), 404);
}

both_backends!(
    login_rotates_the_session_and_logout_ends_it,
    same_answer_whether_the_email_exists_or_not,
    a_disabled_account_loses_its_sessions_at_once,
    password_change_checks_the_current_one_and_the_rules,
    the_switcher_changes_school_only_among_ones_own,
);
both_backends_with!(
    fast_throttle(),
    twenty_wrong_passwords_slow_the_account_down_then_it_recovers
);
both_backends_with!(short_idle(), an_idle_session_expires);

/// A hostile `suite` lands on the home page after a valid sign-in and after
/// the second factor, never on another site, and never as a server error.
async fn hostile_return_paths_lead_home(app: &TestApp) {
    app.demo().await;
    for (email, hostile) in [
        (TEACHER_B, "/\t/evil.example"),
        (TEACHER_B, "/\n/evil.example"),
        (TEACHER_B, "/\r\nSet-Cookie: x=y"),
        (TEACHER_B, "/\\evil.example"),
        (TEACHER_B, "//evil.example"),
        (ADMIN, "/\t/evil.example"),
        (ADMIN, "/\n/evil.example"),
    ] {
        let c = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let login = format!("/connexion?suite={}", url_escape(hostile));
        let page = c.get(app.url(&login)).send().await.expect("get");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("body");
        assert!(
            !html.contains("evil.example"),
            "the form keeps no hostile path"
        );
        let token = extract_csrf(&html).expect("csrf");
        let r = c
            .post(app.url("/connexion"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", PASSWORD),
                ("suite", hostile),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303, "{hostile:?}");
        let to = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert_eq!(to, "/", "{hostile:?}");
        if email == ADMIN {
            // The second factor, with the hostile path as its `suite`.
            let html = c
                .get(app.url(&format!(
                    "/connexion/second-facteur?suite={}",
                    url_escape(hostile)
                )))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("body");
            let csrf = extract_csrf(&html).expect("csrf");
            if let Some(secret) = refnum_testkit::element_text(&html, "totp-secret") {
                app.remember_second_factor(
                    ADMIN,
                    refnum_testkit::SecondFactorState {
                        secret: secret.replace(' ', ""),
                        last_step: None,
                        recovery_codes: vec![],
                    },
                );
            }
            let code = app.next_totp_code(ADMIN).await;
            let r = c
                .post(app.url("/connexion/second-facteur"))
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("code", code.as_str()),
                    ("suite", hostile),
                ])
                .send()
                .await
                .expect("post code");
            let status = r.status().as_u16();
            let location = r
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let body = r.text().await.expect("body");
            if status == 200 {
                // First enrolment: the recovery codes, then a link home.
                assert!(body.contains("id=\"recovery-codes\""));
                assert!(!body.contains("evil.example"), "{body}");
            } else {
                assert_eq!(status, 303, "{hostile:?}");
                assert_eq!(location, "/", "{hostile:?}");
            }
        }
    }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

both_backends!(hostile_return_paths_lead_home);
