use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};

async fn an_invalid_uai_is_a_field_error_and_creates_nothing(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(ADMIN).await;
    let ac = refnum_db::orgs::list_academies(&app.db.conn)
        .await
        .expect("list")[0]
        .id
        .to_string();
    let count = || async {
        refnum_db::orgs::count_etablissements(&app.db.conn, &refnum_domain::policy::system_scope())
            .await
            .expect("count")
    };
    let before = count().await;
    let form = |uai: &'static str| {
        vec![
            ("uai", uai),
            ("name", "Lycée Voltaire"),
            ("kind", "lycee"),
            ("city", "Orléans"),
            ("pupil_count", "1200"),
        ]
    };
    for (uai, message) in [
        (
            "0450782A",
            "La lettre de contrôle de l&#39;UAI ne correspond pas",
        ),
        ("04507", "L&#39;UAI compte 8 caractères"),
        ("ABCDEFGH", "7 chiffres suivis d&#39;une lettre"),
    ] {
        let mut f = form(uai);
        f.push(("academie_id", &ac));
        let r = app
            .post_form(
                &c,
                "/admin/etablissements/nouveau",
                "/admin/etablissements",
                &f,
            )
            .await;
        assert_eq!(r.status(), 422, "{uai}");
        let html = r.text().await.expect("body");
        assert!(html.contains(message), "{uai}: message names the problem");
        assert!(
            html.contains("id=\"field-uai\"") && html.contains("aria-invalid=\"true\""),
            "the field is marked"
        );
        assert!(
            html.contains("href=\"#field-uai\""),
            "the summary links to the field"
        );
    }
    assert_eq!(count().await, before);
    // The real code of the Lycée Voltaire (Orléans) is accepted.
    let mut f = form("0450782F");
    f.push(("academie_id", &ac));
    let r = app
        .post_form(
            &c,
            "/admin/etablissements/nouveau",
            "/admin/etablissements",
            &f,
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(count().await, before + 1);
    // The same UAI again is a field error from the unique constraint.
    let r = app
        .post_form(
            &c,
            "/admin/etablissements/nouveau",
            "/admin/etablissements",
            &f,
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Un établissement existe déjà avec cet UAI")
    );
    assert_eq!(count().await, before + 1);
}

async fn the_referent_adds_staff_and_the_head_names_a_deputy(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let page = format!("/etablissements/{a}/personnels");
    let referent = app.signed_in(REFERENT_A).await;
    let r = app
        .post_form(
            &referent,
            &page,
            &page,
            &[
                ("email", "Nouvelle.Prof@AC-Normandie.test"),
                ("display_name", "Nouvelle Prof"),
                ("role", "enseignant"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = referent
        .get(app.url(&page))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("nouvelle.prof@ac-normandie.test"),
        "e-mail normalised and listed"
    );
    // The referent may not name a head.
    let r = app
        .post_form(
            &referent,
            &page,
            &page,
            &[
                ("email", "adjoint@ac-normandie.test"),
                ("display_name", "Adjoint"),
                ("role", "direction"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Vous ne pouvez pas attribuer ce rôle")
    );
    assert!(
        refnum_db::accounts::get_by_email(&app.db.conn, "adjoint@ac-normandie.test")
            .await
            .expect("q")
            .is_none()
    );
    // The head may.
    let head = app.signed_in(DIRECTION_A).await;
    let r = app
        .post_form(
            &head,
            &page,
            &page,
            &[
                ("email", "adjoint@ac-normandie.test"),
                ("display_name", "Adjoint"),
                ("role", "direction"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A weak initial password is refused with its field.
    let r = app
        .post_form(
            &head,
            &page,
            &page,
            &[
                ("email", "autre@ac-normandie.test"),
                ("display_name", "Autre"),
                ("role", "personnel"),
                ("password", "motdepasse"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    // Removing a role.
    let id = app.account_id("nouvelle.prof@ac-normandie.test").await;
    let r = app
        .post_form(
            &head,
            &page,
            &format!("{page}/{id}/retirer"),
            &[("role", "enseignant")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let ms = refnum_db::accounts::memberships_of(&app.db.conn, id)
        .await
        .expect("list");
    assert!(ms.is_empty());
    // Every write went to the school's log.
    let (events, _) = refnum_db::audit::list(&app.db.conn, Some(a), 0, 100)
        .await
        .expect("list");
    for action in [
        "account.created",
        "membership.granted",
        "membership.revoked",
    ] {
        assert!(
            events.iter().any(|e| e.action == action),
            "{action} in the log"
        );
    }
}

async fn the_admin_grants_wider_roles(app: &TestApp) {
    app.demo().await;
    let admin = app.signed_in(ADMIN).await;
    let r = app
        .post_form(
            &admin,
            "/admin/comptes",
            "/admin/comptes",
            &[
                ("email", "conseiller@ac-normandie.test"),
                ("display_name", "Conseiller DANE"),
                ("password", "une phrase de passe solide"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id = app.account_id("conseiller@ac-normandie.test").await;
    let ac = refnum_db::orgs::list_academies(&app.db.conn)
        .await
        .expect("list")[0]
        .id;
    let page = format!("/admin/comptes/{id}");
    // A role on the wrong kind of scope is refused.
    let r = app
        .post_form(
            &admin,
            &page,
            &format!("{page}/roles"),
            &[("role", "dane"), ("scope", "instance")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &admin,
            &page,
            &format!("{page}/roles"),
            &[("role", "dane"), ("scope", &format!("academie:{ac}"))],
        )
        .await;
    assert_eq!(r.status(), 303);
    let c = app.client();
    assert_eq!(
        app.login(
            &c,
            "conseiller@ac-normandie.test",
            "une phrase de passe solide"
        )
        .await
        .status(),
        303
    );
    let list = c
        .get(app.url("/etablissements"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(list.contains("3 établissement(s)"));
}

both_backends!(
    an_invalid_uai_is_a_field_error_and_creates_nothing,
    the_referent_adds_staff_and_the_head_names_a_deputy,
    the_admin_grants_wider_roles,
);

async fn a_support_organisation_sees_the_schools_it_serves(app: &TestApp) {
    app.demo().await;
    let admin = app.signed_in(ADMIN).await;
    let (a, b) = (app.etab_id(UAI_A).await, app.etab_id(UAI_B).await);
    let token = app.csrf(&admin, "/admin/organisations").await;
    let body = format!("csrf_token={token}&name=Atelier+R%C3%A9seau&serves={b}");
    let r = admin
        .post(app.url("/admin/organisations"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    let org = refnum_db::orgs::list_organisations(&app.db.conn)
        .await
        .expect("list")
        .into_iter()
        .find(|o| o.name == "Atelier Réseau")
        .expect("created, accents intact");
    assert_eq!(
        refnum_db::orgs::served_by(&app.db.conn, org.id)
            .await
            .expect("served"),
        vec![b]
    );
    // An unknown school id is a field error and changes nothing.
    let token = app.csrf(&admin, "/admin/organisations").await;
    let body = format!(
        "csrf_token={token}&name=Autre&serves={}",
        uuid::Uuid::now_v7()
    );
    let r = admin
        .post(app.url("/admin/organisations"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 422);
    assert_eq!(
        refnum_db::orgs::list_organisations(&app.db.conn)
            .await
            .expect("list")
            .len(),
        3
    );

    refnum_services::people::create_account(
        &app.db,
        &refnum_services::audit::Who::system("test"),
        &refnum_services::people::AccountInput {
            email: "tech@atelier.test".into(),
            display_name: "Tech".into(),
            password: refnum_testkit::PASSWORD.into(),
        },
    )
    .await
    .expect("account");
    let tid = app.account_id("tech@atelier.test").await;
    let page = format!("/admin/comptes/{tid}");
    let r = app
        .post_form(
            &admin,
            &page,
            &format!("{page}/roles"),
            &[
                ("role", "prestataire"),
                ("scope", &format!("organisation:{}", org.id)),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let tech = app.signed_in("tech@atelier.test").await;
    assert_eq!(
        tech.get(app.url(&format!("/etablissements/{b}")))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    assert_eq!(
        tech.get(app.url(&format!("/etablissements/{a}")))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
}

both_backends!(a_support_organisation_sees_the_schools_it_serves);
