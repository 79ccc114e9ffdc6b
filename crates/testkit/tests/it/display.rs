use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};

fn html_attrs(html: &str) -> String {
    let start = html.find("<html").expect("html tag");
    let end = html[start..].find('>').expect("end") + start;
    html[start..end].to_string()
}

async fn display_settings_live_in_a_cookie_then_in_the_account(app: &TestApp) {
    app.demo().await;
    // Before sign-in: kept in a cookie.
    let c = app.client();
    let r = app
        .post_form(
            &c,
            "/affichage",
            "/affichage",
            &[
                ("theme", "contrast"),
                ("font", "dyslexia"),
                ("spacing", "xlarge"),
                ("size", "150"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = c
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let attrs = html_attrs(&page);
    for a in [
        "data-theme=\"contrast\"",
        "data-font=\"dyslexia\"",
        "data-spacing=\"xlarge\"",
        "data-size=\"150\"",
    ] {
        assert!(attrs.contains(a), "{a} in {attrs}");
    }
    // A value outside the list is refused and changes nothing.
    let r = app
        .post_form(
            &c,
            "/affichage",
            "/affichage",
            &[
                ("theme", "rose"),
                ("font", "default"),
                ("spacing", "normal"),
                ("size", "100"),
            ],
        )
        .await;
    assert_eq!(r.status(), 400);
    // Signed in: saved in the account, found again from another browser.
    assert_eq!(app.login(&c, REFERENT_A, PASSWORD).await.status(), 303);
    let r = app
        .post_form(
            &c,
            "/affichage",
            "/affichage",
            &[
                ("theme", "dark"),
                ("font", "default"),
                ("spacing", "large"),
                ("size", "125"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let other = app.signed_in(REFERENT_A).await;
    let home = other
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let attrs = html_attrs(&home);
    for a in [
        "data-theme=\"dark\"",
        "data-font=\"default\"",
        "data-spacing=\"large\"",
        "data-size=\"125\"",
    ] {
        assert!(attrs.contains(a), "{a} in {attrs}");
    }
}

async fn the_interface_speaks_french_by_default_and_english_on_request(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    let fr = c
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(fr.contains("<html lang=\"fr\"") && fr.contains("Connexion"));
    let r = app
        .post_form(
            &c,
            "/connexion",
            "/langue",
            &[("lang", "en"), ("back", "/connexion")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let en = c
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(en.contains("<html lang=\"en\"") && en.contains("Sign in"));
    // The browser's language is honoured when nothing was chosen.
    let en2 = app
        .client()
        .get(app.url("/connexion"))
        .header("accept-language", "en-GB,en;q=0.8")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(en2.contains("<html lang=\"en\""));
}

both_backends!(
    display_settings_live_in_a_cookie_then_in_the_account,
    the_interface_speaks_french_by_default_and_english_on_request,
);

async fn error_pages_keep_the_callers_language_settings_and_header(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_B).await;
    let r = app
        .post_form(&c, "/", "/langue", &[("lang", "en"), ("back", "/")])
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(
            &c,
            "/affichage",
            "/affichage",
            &[
                ("theme", "contrast"),
                ("font", "default"),
                ("spacing", "normal"),
                ("size", "100"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    for (path, status, heading) in [
        ("/admin", 403, "Access denied"),
        ("/nulle-part", 404, "Page not found"),
    ] {
        let r = c.get(app.url(path)).send().await.expect("get");
        assert_eq!(r.status(), status);
        let html = r.text().await.expect("body");
        assert!(html.contains("<html lang=\"en\""), "{path}");
        assert!(html.contains("data-theme=\"contrast\""), "{path}");
        assert!(html.contains(heading), "{path}");
        assert!(
            html.contains("Thomas Morel"),
            "{path}: the header shows who is signed in"
        );
        let token = refnum_testkit::extract_csrf(&html).expect("the header's forms carry a token");
        assert!(!token.is_empty());
    }
}

both_backends!(error_pages_keep_the_callers_language_settings_and_header);
