//! The ticket list's scope: a school's managers see its tickets, and
//! everyone sees their own tickets wherever they are, with or without the
//! school filter (the list narrows its condition only where that is exact).

use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_services::audit::Who;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};

async fn create(app: &TestApp, c: &reqwest::Client, etab: uuid::Uuid, title: &str) {
    let path = format!("/etablissements/{etab}/assistance/nouveau");
    let r = app
        .post_form(
            c,
            &path,
            &path,
            &[
                ("kind", "incident"),
                ("title", title),
                ("urgency", "medium"),
                ("impact", "medium"),
                ("description", "Constaté ce matin."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "creation of {title} refused");
}

async fn list(app: &TestApp, c: &reqwest::Client, query: &str) -> String {
    let r = c
        .get(app.url(&format!("/assistance?statut=all{query}")))
        .send()
        .await
        .expect("list");
    assert_eq!(r.status(), 200, "list {query}");
    r.text().await.expect("body")
}

async fn a_managers_list_holds_the_school_and_their_own_tickets_elsewhere(app: &TestApp) {
    app.demo().await;
    let (a, b) = (app.etab_id(UAI_A).await, app.etab_id(UAI_B).await);
    let teacher_a = app.signed_in(TEACHER_A).await;
    let teacher_b = app.signed_in(TEACHER_B).await;
    create(app, &teacher_a, a, "Tableau A muet").await;
    create(app, &teacher_b, b, "Imprimante B bloquée").await;

    let referent = app.signed_in(REFERENT_A).await;
    let html = list(app, &referent, "").await;
    assert!(
        html.contains("Tableau A muet"),
        "the school's ticket is listed"
    );
    assert!(
        !html.contains("Imprimante B bloquée"),
        "another school's ticket is not"
    );

    // The referent also teaches in school B and reports a fault there: the
    // list now holds that one ticket of B, and still not the others.
    let who = Who::system("test");
    let me = app.account_id(REFERENT_A).await;
    refnum_services::people::grant_alone(
        &app.db,
        &who,
        me,
        Membership::new(Role::Enseignant, ScopeRef::Etablissement(b)).expect("membership"),
    )
    .await
    .expect("grant");
    create(app, &referent, b, "Vidéoprojecteur B du référent").await;
    for (query, mine_in_b, a_listed) in [
        (String::new(), true, true),
        (format!("&etablissement={a}"), false, true),
        (format!("&etablissement={b}"), true, false),
    ] {
        let html = list(app, &referent, &query).await;
        assert_eq!(
            html.contains("Vidéoprojecteur B du référent"),
            mine_in_b,
            "own ticket in B, filter {query:?}"
        );
        assert_eq!(
            html.contains("Tableau A muet"),
            a_listed,
            "school A's ticket, filter {query:?}"
        );
        assert!(
            !html.contains("Imprimante B bloquée"),
            "another's ticket in B never listed, filter {query:?}"
        );
    }

    // The API list applies the same scope.
    let token = app.token_for(REFERENT_A).await;
    let body: serde_json::Value = app
        .client()
        .get(app.url("/api/v1/tickets?status=all"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api list")
        .json()
        .await
        .expect("json");
    let text = body.to_string();
    assert!(text.contains("Vidéoprojecteur B du référent"), "{text}");
    assert!(text.contains("Tableau A muet"), "{text}");
    assert!(!text.contains("Imprimante B bloquée"), "{text}");
}

both_backends!(a_managers_list_holds_the_school_and_their_own_tickets_elsewhere);
