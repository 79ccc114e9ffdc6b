//! The second factor (TOTP) of privileged accounts: enrolment, codes used
//! once, recovery codes, throttling, resets, and the gate, route by route.

use refnum_db::entities::{audit_event, recovery_code, totp_credential};
use refnum_domain::totp::{self, Secret};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{
    PASSWORD, SecondFactorState, TestApp, both_backends, element_text, extract_csrf,
    recovery_codes_on,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const SECOND_FACTOR: &str = "/connexion/second-facteur";
const DPD_A: &str = "dpd@ac-normandie.test";

/// Signs in with the password only (the helpers would also pass the second
/// factor); returns the session cookie (`name=value`).
async fn password_only(app: &TestApp, c: &reqwest::Client, email: &str) -> String {
    let page = c.get(app.url("/connexion")).send().await.expect("get");
    let token = extract_csrf(&page.text().await.expect("body")).expect("csrf");
    let r = c
        .post(app.url("/connexion"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
            ("suite", "/"),
        ])
        .send()
        .await
        .expect("post login");
    assert_eq!(r.status(), 303, "password of {email}");
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("refnum_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .expect("session cookie")
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> reqwest::Response {
    c.get(app.url(path)).send().await.expect("get")
}

async fn post_code(
    app: &TestApp,
    c: &reqwest::Client,
    field: &str,
    code: &str,
) -> reqwest::Response {
    let html = get(app, c, SECOND_FACTOR).await.text().await.expect("body");
    let csrf = extract_csrf(&html).expect("csrf");
    c.post(app.url(SECOND_FACTOR))
        .form(&[("csrf_token", csrf.as_str()), (field, code)])
        .send()
        .await
        .expect("post code")
}

async fn count_events(app: &TestApp, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&app.db.conn)
        .await
        .expect("count")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Enrols `email` through the pages, as a person does; returns the secret,
/// the step used and the recovery codes shown.
async fn enrol(app: &TestApp, c: &reqwest::Client, email: &str) -> (Secret, i64, Vec<String>) {
    let page = get(app, c, SECOND_FACTOR).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    let text = element_text(&html, "totp-secret").expect("the key is shown as text");
    let secret = Secret::from_base32(&text).expect("base32 key");
    let t = now();
    let code = totp::code_at(&secret, t);
    let r = post_code(app, c, "code", &code).await;
    assert_eq!(r.status(), 200, "enrolment confirmed");
    let codes = recovery_codes_on(&r.text().await.expect("body"));
    assert_eq!(codes.len(), 10, "ten recovery codes shown");
    let step = totp::step_at(t);
    app.remember_second_factor(
        email,
        SecondFactorState {
            secret: secret.to_base32(),
            last_step: Some(step),
            recovery_codes: codes.clone(),
        },
    );
    (secret, step, codes)
}

async fn direction_enrols_at_first_sign_in_then_types_codes(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, DIRECTION_A).await;
    let home = get(app, &c, "/").await;
    assert_eq!(home.status(), 303);
    assert_eq!(location(&home), SECOND_FACTOR);

    let page = get(app, &c, SECOND_FACTOR).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("<svg class=\"qr-code\""), "inline QR code");
    assert!(
        html.contains("<title id=\"qr-title\">"),
        "QR text alternative"
    );
    assert!(!html.contains("id=\"navigation\""), "no navigation yet");
    let text = element_text(&html, "totp-secret").expect("key as text");
    let secret = Secret::from_base32(&text).expect("base32");
    // A reload shows the same key (the QR code already scanned stays valid).
    let again = get(app, &c, SECOND_FACTOR)
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        element_text(&again, "totp-secret").as_deref(),
        Some(text.as_str())
    );

    // A wrong code: refused, nothing confirmed.
    let wrong = totp::code_at_step(&secret, totp::step_at(now()) + 5);
    let r = post_code(app, &c, "code", &wrong).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("id=\"error-code\""));
    let account_id = app.account_id(DIRECTION_A).await;
    let cred = totp_credential::Entity::find_by_id(account_id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("pending credential");
    assert!(cred.confirmed_at.is_none());
    assert_eq!(get(app, &c, "/").await.status(), 303, "still held");

    // The right code: enrolled, ten recovery codes stored hashed, home reachable.
    let t = now();
    let r = post_code(app, &c, "code", &totp::code_at(&secret, t)).await;
    assert_eq!(r.status(), 200);
    let codes = recovery_codes_on(&r.text().await.expect("body"));
    assert_eq!(codes.len(), 10);
    let stored = recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .all(&app.db.conn)
        .await
        .expect("query");
    assert_eq!(stored.len(), 10);
    for code in &codes {
        assert!(stored.iter().all(|s| !s.code_hash.contains(code.as_str())));
    }
    let cred = totp_credential::Entity::find_by_id(account_id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("credential");
    assert!(cred.confirmed_at.is_some());
    let first_step = totp::step_at(t);
    assert_eq!(cred.last_step, Some(first_step));
    app.remember_second_factor(
        DIRECTION_A,
        SecondFactorState {
            secret: secret.to_base32(),
            last_step: Some(first_step),
            recovery_codes: codes.clone(),
        },
    );
    let home = get(app, &c, "/").await;
    assert_eq!(home.status(), 200);
    assert_eq!(count_events(app, "auth.second_factor_enrolled").await, 1);
    assert_eq!(count_events(app, "auth.second_factor_failed").await, 1);

    // Next sign-in: a code is asked (no key shown any more).
    let c2 = app.client();
    password_only(app, &c2, DIRECTION_A).await;
    let html = get(app, &c2, SECOND_FACTOR)
        .await
        .text()
        .await
        .expect("body");
    assert!(
        element_text(&html, "totp-secret").is_none(),
        "key never shown again"
    );
    assert!(html.contains("name=\"recovery_code\""));
    // The code already used is refused, even within its window.
    let r = post_code(app, &c2, "code", &totp::code_at_step(&secret, first_step)).await;
    assert_eq!(r.status(), 422);
    if totp::step_at(now()) - first_step <= 1 {
        let body = r.text().await.expect("body");
        assert!(body.contains("déjà servi"), "the replay is named: {body}");
    }
    assert_eq!(get(app, &c2, "/").await.status(), 303);
    // A fresh code works; the first session is still open.
    let fresh = app.next_totp_code(DIRECTION_A).await;
    let r = post_code(app, &c2, "code", &fresh).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    assert_eq!(get(app, &c2, "/").await.status(), 200);
    assert_eq!(get(app, &c, "/").await.status(), 200);
}

async fn a_code_is_accepted_once_only_even_across_sessions(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, DANE).await;
    let (secret, step, _) = enrol(app, &c, DANE).await;
    // Two sessions wait for their second factor; one code of a later step.
    let a = app.client();
    let b = app.client();
    password_only(app, &a, DANE).await;
    password_only(app, &b, DANE).await;
    let code = totp::code_at_step(&secret, step + 1);
    let ra = post_code(app, &a, "code", &code).await;
    let rb = post_code(app, &b, "code", &code).await;
    let statuses = [ra.status().as_u16(), rb.status().as_u16()];
    assert!(
        statuses.contains(&303) && statuses.contains(&422),
        "one wins, the replay is refused: {statuses:?}"
    );
}

async fn a_recovery_code_works_once(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, DIRECTION_A).await;
    let (_, _, codes) = enrol(app, &c, DIRECTION_A).await;
    let c2 = app.client();
    password_only(app, &c2, DIRECTION_A).await;
    // Typed in capitals with a space instead of the dash: accepted.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let r = post_code(app, &c2, "recovery_code", &typed).await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, &c2, "/").await.status(), 200);
    assert_eq!(count_events(app, "auth.recovery_code_used").await, 1);
    // The same code again: refused.
    let c3 = app.client();
    password_only(app, &c3, DIRECTION_A).await;
    let r = post_code(app, &c3, "recovery_code", &codes[3]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("id=\"error-recovery_code\"")
    );
    assert_eq!(get(app, &c3, "/").await.status(), 303);
    // Another one works; the settings page counts what is left.
    let r = post_code(app, &c3, "recovery_code", &codes[4]).await;
    assert_eq!(r.status(), 303);
    let html = get(app, &c3, "/compte/second-facteur")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("<dd>8</dd>"), "8 codes left: {html}");
}

async fn failures_are_throttled_and_audited(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, ADMIN).await;
    let (secret, step, codes) = enrol(app, &c, ADMIN).await;
    let c2 = app.client();
    password_only(app, &c2, ADMIN).await;
    for i in 0..5 {
        let wrong = totp::code_at_step(&secret, step + 10 + i);
        let r = post_code(app, &c2, "code", &wrong).await;
        assert_eq!(r.status(), 422, "failure {i}");
    }
    // Past the limit: even a right code and a recovery code are refused.
    let right = app.next_totp_code(ADMIN).await;
    let r = post_code(app, &c2, "code", &right).await;
    assert_eq!(r.status(), 429);
    let retry: i64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    assert!(r.text().await.expect("body").contains("Trop d"));
    let r = post_code(app, &c2, "recovery_code", &codes[0]).await;
    assert_eq!(r.status(), 429);
    assert_eq!(get(app, &c2, "/").await.status(), 303, "still held");
    assert_eq!(count_events(app, "auth.second_factor_failed").await, 5);
    assert!(count_events(app, "auth.second_factor_throttled").await >= 2);
    // The recovery code was not spent by the throttled attempt.
    let account_id = app.account_id(ADMIN).await;
    let unused = recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(unused, 10);
}

async fn an_admin_resets_another_accounts_second_factor(app: &TestApp) {
    app.demo().await;
    let d = app.signed_in(DIRECTION_A).await;
    assert_eq!(get(app, &d, "/").await.status(), 200);
    let direction_id = app.account_id(DIRECTION_A).await;
    let page = format!("/admin/comptes/{direction_id}/second-facteur");
    let action = format!("{page}/reinitialiser");

    // Not an administrator: refused, nothing changed.
    let referent = app.signed_in(REFERENT_A).await;
    let r = app.post_form(&referent, "/", &action, &[]).await;
    assert_eq!(r.status(), 403);
    assert!(
        totp_credential::Entity::find_by_id(direction_id)
            .one(&app.db.conn)
            .await
            .expect("query")
            .is_some()
    );

    let admin = app.signed_in(ADMIN).await;
    let html = get(app, &admin, &page).await.text().await.expect("body");
    assert!(
        html.contains("<time datetime=\""),
        "the enrolment date is shown: {html}"
    );
    let r = app.post_form(&admin, &page, &action, &[]).await;
    assert_eq!(r.status(), 303);
    assert!(
        totp_credential::Entity::find_by_id(direction_id)
            .one(&app.db.conn)
            .await
            .expect("query")
            .is_none()
    );
    assert_eq!(count_events(app, "auth.second_factor_reset").await, 1);
    // The direction's session is closed; at the next sign-in it enrols again.
    let r = get(app, &d, "/").await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/connexion"));
    let c = app.client();
    password_only(app, &c, DIRECTION_A).await;
    let html = get(app, &c, SECOND_FACTOR)
        .await
        .text()
        .await
        .expect("body");
    assert!(
        element_text(&html, "totp-secret").is_some(),
        "enrolment again"
    );
}

async fn recovery_codes_can_be_regenerated(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, DIRECTION_A).await;
    let (_, _, old) = enrol(app, &c, DIRECTION_A).await;
    let html = get(app, &c, "/compte/second-facteur")
        .await
        .text()
        .await
        .expect("body");
    assert!(html.contains("<time datetime=\""), "enrolment date shown");
    let r = app
        .post_form(
            &c,
            "/compte/second-facteur",
            "/compte/second-facteur/codes-de-secours",
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    let new = recovery_codes_on(&r.text().await.expect("body"));
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|n| !old.contains(n)));
    assert_eq!(
        count_events(app, "auth.recovery_codes_regenerated").await,
        1
    );
    // An old code no longer works; a new one does.
    let c2 = app.client();
    password_only(app, &c2, DIRECTION_A).await;
    assert_eq!(
        post_code(app, &c2, "recovery_code", &old[0]).await.status(),
        422
    );
    assert_eq!(
        post_code(app, &c2, "recovery_code", &new[0]).await.status(),
        303
    );
}

async fn a_teacher_is_not_asked(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, TEACHER_A).await;
    assert_eq!(get(app, &c, "/").await.status(), 200);
    let r = get(app, &c, SECOND_FACTOR).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    assert_eq!(get(app, &c, "/compte/jetons").await.status(), 200);
}

async fn mfa_asserted_elsewhere_satisfies_the_gate(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    let cookie = password_only(app, &c, DPD_A).await;
    assert_eq!(get(app, &c, "/").await.status(), 303);
    let value = cookie.split_once('=').map(|(_, v)| v).expect("value");
    refnum_services::auth::mark_second_factor(
        &app.db,
        &refnum_services::auth::sha256_hex(value),
        "oidc:academie",
    )
    .await
    .expect("mark");
    assert_eq!(get(app, &c, "/").await.status(), 200);
    let ev = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("auth.second_factor_ok"))
        .all(&app.db.conn)
        .await
        .expect("events");
    assert_eq!(ev.len(), 1);
    assert!(ev[0].details.contains("oidc:academie"));
}

async fn unsafe_requests_are_refused_while_held(app: &TestApp) {
    app.demo().await;
    let c = app.client();
    password_only(app, &c, DIRECTION_A).await;
    // The form's CSRF token comes from a page the session may reach.
    let r = app
        .post_form(&c, "/affichage", "/compte/jetons", &[("name", "script")])
        .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.expect("body").contains("second-facteur"));
    let tokens = refnum_db::accounts::tokens_of(&app.db.conn, app.account_id(DIRECTION_A).await)
        .await
        .expect("tokens");
    assert!(tokens.is_empty(), "no API token without the second factor");
    // Display settings, language and sign-out still work.
    let r = app
        .post_form(
            &c,
            "/affichage",
            "/langue",
            &[("lang", "en"), ("back", "/affichage")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app.post_form(&c, "/affichage", "/deconnexion", &[]).await;
    assert_eq!(r.status(), 303);
    let r = get(app, &c, "/compte").await;
    assert_eq!(r.status(), 303);
    assert!(
        location(&r).starts_with("/connexion?"),
        "signed out: sent to the sign-in page, {}",
        location(&r)
    );
}

// --- The gate, route by route -------------------------------------------

/// Every GET page route, read from the router's source (`.route(…)` calls of
/// `crates/web/src/pages`), with `urls::` constants resolved: a new page is
/// covered by the gate test without anyone having to list it.
fn get_page_routes() -> Vec<String> {
    let web = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src");
    // Every `pub const NAME: &str = "…"` of `urls.rs` and `urls/*.rs`, with
    // the module it is in (`""` for `urls.rs` itself).
    let mut consts: Vec<(String, String, String)> = vec![];
    let mut sources = vec![("".to_string(), format!("{web}/urls.rs"))];
    for e in std::fs::read_dir(format!("{web}/urls")).expect("urls dir") {
        let p = e.expect("entry").path();
        let module = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        sources.push((module, p.display().to_string()));
    }
    // Constants private to a page module (e.g. a stylesheet path).
    let mut page_dirs = vec![std::path::PathBuf::from(format!("{web}/pages"))];
    while let Some(p) = page_dirs.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).expect("dir") {
                page_dirs.push(e.expect("entry").path());
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            sources.push(("pages".to_string(), p.display().to_string()));
        }
    }
    for (module, path) in sources {
        let src = std::fs::read_to_string(&path).expect("urls source");
        for part in src.split("const ").skip(1) {
            let Some((name, rest)) = part.split_once(": &str = \"") else {
                continue;
            };
            let value = rest.split('"').next().expect("value");
            consts.push((module.clone(), name.to_string(), value.to_string()));
        }
    }
    // A constant named by a path such as `urls::X`, `urls::support::X`,
    // `crate::urls::assistance::X` or an alias `u::X`: the module when it is
    // one of the url modules, otherwise the only constant of that name.
    let constant = |path: &str| -> String {
        let segments: Vec<&str> = path.split("::").collect();
        let name = *segments.last().expect("name");
        let module = segments
            .len()
            .checked_sub(2)
            .map(|i| segments[i])
            .filter(|m| consts.iter().any(|(cm, _, _)| cm == m));
        let found: Vec<&(String, String, String)> = consts
            .iter()
            .filter(|(m, n, _)| n == name && module.is_none_or(|want| m == want))
            .collect();
        assert_eq!(found.len(), 1, "constant {path}: {found:?}");
        found[0].2.clone()
    };
    let mut files = vec![];
    let mut stack = vec![std::path::PathBuf::from(format!("{web}/pages"))];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).expect("dir") {
                stack.push(e.expect("entry").path());
            }
        } else if p.extension().is_some_and(|e| e == "rs") {
            files.push(std::fs::read_to_string(&p).expect("source"));
        }
    }
    let mut routes = vec![];
    for src in files {
        for part in src.split(".route(").skip(1) {
            let part = part.trim_start();
            let (path, rest) = if let Some(r) = part.strip_prefix('"') {
                let end = r.find('"').expect("end of path literal");
                (r[..end].to_string(), &r[end + 1..])
            } else if part.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
                let end = part
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == ':'))
                    .expect("end of constant");
                (constant(&part[..end]), &part[end..])
            } else {
                panic!(
                    "unrecognised route path in: {}",
                    &part[..part.len().min(80)]
                );
            };
            // The method router: up to the parenthesis closing `.route(`.
            let mut depth = 1;
            let mut end = rest.len();
            for (i, ch) in rest.char_indices() {
                match ch {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let methods = &rest[..end];
            let has_get = methods.match_indices("get(").any(|(i, _)| {
                i == 0
                    || !methods[..i]
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if has_get {
                routes.push(path);
            }
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

#[test]
fn the_route_list_is_read_from_the_router() {
    let routes = get_page_routes();
    for known in [
        "/",
        "/connexion",
        "/affichage",
        "/compte",
        "/compte/jetons",
        "/etablissements/{id}",
        "/admin/comptes/{id}",
        "/admin/journal.csv",
        SECOND_FACTOR,
        "/compte/second-facteur",
    ] {
        assert!(routes.iter().any(|r| r == known), "{known} in {routes:?}");
    }
    for post_only in ["/deconnexion", "/langue", "/etablissement-courant"] {
        assert!(!routes.iter().any(|r| r == post_only), "{post_only}");
    }
}

async fn a_direction_cannot_reach_any_page_without_its_second_factor(app: &TestApp) {
    app.demo().await;
    let school = app.etab_id(UAI_A).await;
    let me = app.account_id(DIRECTION_A).await;
    let fill = |route: &str| -> String {
        let mut out = String::new();
        let mut rest = route;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').expect("closing brace") + open;
            let name = &rest[open + 1..close];
            let value = if route.starts_with("/etablissements/") && name == "id" {
                school.to_string()
            } else if name == "account_id" || route.starts_with("/admin/comptes/") {
                me.to_string()
            } else {
                uuid::Uuid::now_v7().to_string()
            };
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    };
    let routes = get_page_routes();
    let exempt = [SECOND_FACTOR, "/affichage"];
    let c = app.client();
    password_only(app, &c, DIRECTION_A).await;
    let mut held = 0;
    for route in &routes {
        let path = fill(route);
        let r = get(app, &c, &path).await;
        // Static stylesheets and scripts are public, as the shared ones are.
        if exempt.contains(&route.as_str()) || route.starts_with("/assets/") {
            assert_eq!(r.status(), 200, "{route} stays reachable");
            continue;
        }
        // Calendar feeds are read by calendar applications without any
        // session: the secret URL is the credential, so an unknown token is
        // simply not found, signed in or not.
        if route.starts_with("/agenda/") {
            assert_eq!(
                r.status(),
                404,
                "{route} ({path}) answers without a session"
            );
            continue;
        }
        assert_eq!(r.status(), 303, "{route} ({path}) must be held");
        assert!(
            location(&r).starts_with(SECOND_FACTOR),
            "{route} must lead to the second factor, not {}",
            location(&r)
        );
        let head = c.head(app.url(&path)).send().await.expect("head");
        assert_eq!(head.status(), 303, "HEAD {route}");
        held += 1;
    }
    assert!(held >= 20, "{held} routes checked");
    // Unknown paths too: nothing leaks whether a page exists.
    let r = get(app, &c, "/nulle-part").await;
    assert_eq!(r.status(), 303);

    // After the second factor the same routes are reachable (none sends
    // back to the second factor, none fails).
    let (secret, step, _) = enrol(app, &c, DIRECTION_A).await;
    let _ = (secret, step);
    for route in &routes {
        let path = fill(route);
        let r = get(app, &c, &path).await;
        assert!(
            !location(&r).starts_with(SECOND_FACTOR),
            "{route} still held after the second factor"
        );
        assert!(r.status().as_u16() < 500, "{route}: {}", r.status());
    }
    // The suite parameter brings the person back where they were going.
    let c2 = app.client();
    password_only(app, &c2, DIRECTION_A).await;
    let r = get(app, &c2, "/compte/jetons").await;
    assert_eq!(
        location(&r),
        "/connexion/second-facteur?suite=%2Fcompte%2Fjetons"
    );
    let html = get(app, &c2, &location(&r))
        .await
        .text()
        .await
        .expect("body");
    let csrf = extract_csrf(&html).expect("csrf");
    let code = app.next_totp_code(DIRECTION_A).await;
    let r = c2
        .post(app.url(SECOND_FACTOR))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("code", code.as_str()),
            ("suite", "/compte/jetons"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/compte/jetons");
}

async fn the_helpers_pass_the_second_factor_for_real(app: &TestApp) {
    app.demo().await;
    // Several sign-ins of the same account in a row: each uses a new code.
    for _ in 0..4 {
        let c = app.signed_in(ADMIN).await;
        assert_eq!(get(app, &c, "/admin").await.status(), 200);
    }
    let (cookie, _) = app.raw_session(DANE).await;
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(count_events(app, "auth.second_factor_enrolled").await, 2);
}

both_backends!(
    direction_enrols_at_first_sign_in_then_types_codes,
    a_code_is_accepted_once_only_even_across_sessions,
    a_recovery_code_works_once,
    failures_are_throttled_and_audited,
    an_admin_resets_another_accounts_second_factor,
    recovery_codes_can_be_regenerated,
    a_teacher_is_not_asked,
    mfa_asserted_elsewhere_satisfies_the_gate,
    unsafe_requests_are_refused_while_held,
    a_direction_cannot_reach_any_page_without_its_second_factor,
    the_helpers_pass_the_second_factor_for_real,
);
