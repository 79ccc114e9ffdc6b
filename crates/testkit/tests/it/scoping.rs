//! Cross-school access, route by route: outside one's scope everything is
//! 404; inside it, a missing role is 403.

use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};

async fn a_teacher_of_school_a_gets_404_for_everything_of_school_b(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_B).await; // Collège Jacques Monod only
    let a = app.etab_id(UAI_A).await;
    let someone_in_a = app.account_id(REFERENT_A).await;
    for path in [
        format!("/etablissements/{a}"),
        format!("/etablissements/{a}/personnels"),
        format!("/etablissements/{a}/journal"),
        format!("/etablissements/{a}/modifier"),
    ] {
        let r = c.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), 404, "GET {path}");
    }
    let staff_before = refnum_db::accounts::members_of_etablissement(&app.db.conn, a)
        .await
        .expect("list")
        .len();
    for (action, fields) in [
        (
            format!("/etablissements/{a}/modifier"),
            vec![
                ("uai", UAI_A),
                ("name", "Piraté"),
                ("kind", "lycee"),
                ("city", "Caen"),
            ],
        ),
        (
            format!("/etablissements/{a}/personnels"),
            vec![
                ("email", "intrus@exemple.test"),
                ("display_name", "Intrus"),
                ("role", "enseignant"),
            ],
        ),
        (
            format!("/etablissements/{a}/personnels/{someone_in_a}/retirer"),
            vec![("role", "referent")],
        ),
    ] {
        let r = app.post_form(&c, "/", &action, &fields).await;
        assert_eq!(r.status(), 404, "POST {action}");
    }
    let staff_after = refnum_db::accounts::members_of_etablissement(&app.db.conn, a)
        .await
        .expect("list")
        .len();
    assert_eq!(staff_before, staff_after, "nothing changed in school A");
    let e = refnum_db::orgs::get_etablissement(&app.db.conn, a)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(e.name, "Lycée Malherbe");

    // The list shows only one's own school.
    let list = c
        .get(app.url("/etablissements"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(list.contains("Collège Jacques Monod"));
    assert!(!list.contains("Lycée Malherbe"));
    // The same through the API.
    let token = app.token_for(TEACHER_B).await;
    let api = app.client();
    let r = api
        .get(app.url(&format!("/api/v1/etablissements/{a}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");
    let r = api
        .get(app.url("/api/v1/etablissements"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["uai"], UAI_B);
    // An unknown id is the same 404 as a foreign one.
    let r = c
        .get(app.url(&format!("/etablissements/{}", uuid::Uuid::now_v7())))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 404);
}

async fn a_teacher_gets_403_on_every_administration_page(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_B).await;
    let b = app.etab_id(UAI_B).await;
    let acc = app.account_id(TEACHER_B).await;
    for path in [
        "/admin".to_string(),
        "/admin/academies".into(),
        "/admin/collectivites".into(),
        "/admin/etablissements/nouveau".into(),
        "/admin/comptes".into(),
        format!("/admin/comptes/{acc}"),
        "/admin/journal".into(),
        format!("/etablissements/{b}/journal"),
        format!("/etablissements/{b}/modifier"),
    ] {
        let r = c.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), 403, "GET {path}");
        assert!(r.text().await.expect("body").contains("Accès refusé"));
    }
    let before = refnum_db::accounts::count_all(&app.db.conn)
        .await
        .expect("count");
    for (action, fields) in [
        (
            "/admin/academies".to_string(),
            vec![("code", "x"), ("name", "X")],
        ),
        (
            "/admin/collectivites".into(),
            vec![("kind", "region"), ("name", "X")],
        ),
        (
            "/admin/etablissements".into(),
            vec![("uai", "0450822X"), ("name", "X")],
        ),
        (
            "/admin/comptes".into(),
            vec![("email", "x@exemple.test"), ("display_name", "X")],
        ),
        (
            format!("/admin/comptes/{acc}/roles"),
            vec![("role", "admin"), ("scope", "instance")],
        ),
        (format!("/admin/comptes/{acc}/desactiver"), vec![]),
        (
            format!("/etablissements/{b}/personnels"),
            vec![
                ("email", "x@exemple.test"),
                ("display_name", "X"),
                ("role", "direction"),
            ],
        ),
    ] {
        let r = app.post_form(&c, "/", &action, &fields).await;
        assert_eq!(r.status(), 403, "POST {action}");
    }
    assert_eq!(
        refnum_db::accounts::count_all(&app.db.conn)
            .await
            .expect("count"),
        before
    );
    let me = refnum_db::accounts::memberships_of(&app.db.conn, acc)
        .await
        .expect("list");
    assert!(me.iter().all(|m| m.role != "admin"), "no escalation");
    // Refusals are in the audit log.
    let (events, _) = refnum_db::audit::list(&app.db.conn, None, 0, 200)
        .await
        .expect("list");
    assert!(
        events
            .iter()
            .any(|e| e.action == "policy.refused" && e.actor_account_id == Some(acc))
    );
}

async fn wider_scopes_see_their_schools_only(app: &TestApp) {
    app.demo().await;
    let (a, b, lp) = (
        app.etab_id(UAI_A).await,
        app.etab_id(UAI_B).await,
        app.etab_id(UAI_C).await,
    );
    // The Région owns the two lycées, not the collège; it never sees staff.
    let region = app.signed_in(REGION).await;
    assert_eq!(
        region
            .get(app.url(&format!("/etablissements/{a}")))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    assert_eq!(
        region
            .get(app.url(&format!("/etablissements/{lp}")))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    assert_eq!(
        region
            .get(app.url(&format!("/etablissements/{b}")))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    assert_eq!(
        region
            .get(app.url(&format!("/etablissements/{a}/personnels")))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    // The technician's organisation serves the three schools; no staff, no log.
    let tech = app.signed_in(TECH).await;
    assert_eq!(
        tech.get(app.url(&format!("/etablissements/{b}")))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    assert_eq!(
        tech.get(app.url(&format!("/etablissements/{b}/personnels")))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    assert_eq!(
        tech.get(app.url(&format!("/etablissements/{b}/journal")))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    // The DANE sees every school of its académie.
    let dane = app.signed_in(DANE).await;
    let list = dane
        .get(app.url("/etablissements"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        list.contains("3 établissement(s)"),
        "DANE sees its académie's three schools"
    );
    assert_eq!(
        dane.get(app.url(&format!("/etablissements/{b}/modifier")))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
}

async fn direction_and_referent_read_their_school_log_only(app: &TestApp) {
    app.demo().await;
    let (a, b) = (app.etab_id(UAI_A).await, app.etab_id(UAI_B).await);
    let dir = app.signed_in(DIRECTION_A).await;
    let r = dir
        .get(app.url(&format!("/etablissements/{a}/journal")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    assert!(html.contains("Connexion"), "the log shows sign-ins");
    assert!(html.contains("Rôle attribué"));
    assert_eq!(
        dir.get(app.url(&format!("/etablissements/{b}/journal")))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    let refa = app.signed_in(REFERENT_A).await;
    assert_eq!(
        refa.get(app.url(&format!("/etablissements/{a}/journal")))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
}

both_backends!(
    a_teacher_of_school_a_gets_404_for_everything_of_school_b,
    a_teacher_gets_403_on_every_administration_page,
    wider_scopes_see_their_schools_only,
    direction_and_referent_read_their_school_log_only,
);

async fn the_log_exports_as_csv_to_those_who_read_it(app: &TestApp) {
    app.demo().await;
    let (a, b) = (app.etab_id(UAI_A).await, app.etab_id(UAI_B).await);
    // Someone whose e-mail would be a formula in a spreadsheet signs in.
    refnum_services::people::create_account(
        &app.db,
        &refnum_services::audit::Who::system("test"),
        &refnum_services::people::AccountInput {
            email: "=cmd@exemple.test".into(),
            display_name: "Formule".into(),
            password: refnum_testkit::PASSWORD.into(),
        },
    )
    .await
    .expect("account");
    assert_eq!(
        app.login(&app.client(), "=cmd@exemple.test", refnum_testkit::PASSWORD)
            .await
            .status(),
        303
    );

    let dir = app.signed_in(DIRECTION_A).await;
    let r = dir
        .get(app.url(&format!("/etablissements/{a}/journal.csv")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("ct")
            .starts_with("text/csv")
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .expect("cd")
            .contains("journal-0140013N.csv")
    );
    let body = r.text().await.expect("body");
    assert!(body.starts_with('\u{feff}'), "BOM for spreadsheets");
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].contains("Auteur") && lines[0].contains("Empreinte"));
    let (_, total) = refnum_db::audit::list(&app.db.conn, Some(a), 0, 1)
        .await
        .expect("count");
    assert_eq!(
        lines.len() as u64,
        total + 1,
        "one line per event of the school"
    );
    assert!(
        lines.iter().all(|l| !l.contains("0141816Y")),
        "nothing of another school"
    );

    let admin = app.signed_in(ADMIN).await;
    let all = admin
        .get(app.url("/admin/journal.csv"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        all.contains("'=cmd@exemple.test"),
        "a formula is neutralised"
    );
    assert!(!all.contains(";=cmd@exemple.test"));

    let teacher_b = app.signed_in(TEACHER_B).await;
    assert_eq!(
        teacher_b
            .get(app.url(&format!("/etablissements/{a}/journal.csv")))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    assert_eq!(
        teacher_b
            .get(app.url(&format!("/etablissements/{b}/journal.csv")))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    assert_eq!(
        teacher_b
            .get(app.url("/admin/journal.csv"))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
}

both_backends!(the_log_exports_as_csv_to_those_who_read_it);

async fn the_school_list_sorts_and_searches_on_the_server(app: &TestApp) {
    app.demo().await;
    let dane = app.signed_in(DANE).await;
    let get = |q: &'static str| {
        let dane = dane.clone();
        async move {
            dane.get(app.url(&format!("/etablissements{q}")))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("body")
        }
    };
    let order = |html: &str| -> Vec<usize> {
        [
            "Lycée Malherbe",
            "Collège Jacques Monod",
            "Lycée professionnel Victor Lépine",
        ]
        .iter()
        .map(|n| html.find(&format!(">{n}</a>")).expect("listed"))
        .collect()
    };
    let desc = order(&get("?tri=eleves&ordre=desc").await);
    assert!(
        desc[0] < desc[1] && desc[1] < desc[2],
        "1850, 620, 480 pupils"
    );
    let asc = order(&get("?tri=eleves").await);
    assert!(asc[2] < asc[1] && asc[1] < asc[0]);
    assert!(get("?tri=eleves").await.contains("aria-sort=\"ascending\""));
    let found = get("?q=monod").await;
    assert!(found.contains("1 établissement(s)") && found.contains("Collège Jacques Monod"));
    for q in ["?q=LEPINE", "?q=l%C3%A9pine", "?q=L%C3%89PINE"] {
        let r = get(q).await;
        assert!(
            r.contains("1 établissement(s)") && r.contains("Victor Lépine"),
            "{q}: case and accents ignored"
        );
    }
    let by_uai = get("?q=0140018").await;
    assert!(by_uai.contains("1 établissement(s)"));
    // Unknown sort keys fall back to the name; odd input is harmless.
    let odd = get("?tri=%27%3B--&ordre=x&q=%25").await;
    assert!(odd.contains("établissement(s)"));
}

both_backends!(the_school_list_sorts_and_searches_on_the_server);
