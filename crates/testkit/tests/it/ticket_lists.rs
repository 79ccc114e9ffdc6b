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

/// A ticket created at 23:30 in Paris (22:30 UTC in winter) shows that
/// time and that date, in the list and on its page, inside `<time>`.
async fn times_are_shown_in_the_schools_time_zone(app: &TestApp) {
    use refnum_db::entities::assistance::ticket;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    create(app, &c, a, "Vidéoprojecteur du soir").await;
    let late = chrono::DateTime::parse_from_rfc3339("2026-12-07T22:30:00Z")
        .expect("instant")
        .with_timezone(&chrono::Utc);
    ticket::Entity::update_many()
        .col_expr(ticket::Column::CreatedAt, Expr::value(late))
        .filter(ticket::Column::Title.eq("Vidéoprojecteur du soir"))
        .exec(&app.db.conn)
        .await
        .expect("backdate");
    let t = ticket::Entity::find()
        .filter(ticket::Column::Title.eq("Vidéoprojecteur du soir"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("ticket");
    let html = list(app, &c, "&q=soir").await;
    let page = c
        .get(app.url(&format!("/assistance/tickets/{}", t.id)))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    for (what, body) in [("list", &html), ("page", &page)] {
        let shown = body
            .split("<time datetime=\"2026-12-07T23:30:00+01:00\">")
            .nth(1)
            .and_then(|rest| rest.split("</time>").next())
            .unwrap_or_else(|| panic!("the Paris time in the {what}: {body}"));
        assert!(
            shown.contains("7 déc.") && shown.contains("23:30"),
            "{what}: {shown}"
        );
        assert!(!body.contains(" UTC"), "no UTC time in the {what}");
    }
}

both_backends!(times_are_shown_in_the_schools_time_zone);

/// 25, 50 or 100 rows a page, kept from page to page; anything else is 50.
async fn the_ticket_list_shows_25_50_or_100_rows(app: &TestApp) {
    app.demo().await;
    refnum_services::demo_scale::run(&app.db, 1, refnum_testkit::PASSWORD)
        .await
        .expect("scale demo");
    let c = app
        .signed_in(&refnum_services::demo_scale::scale_referent(1))
        .await;
    let rows = |html: &str| {
        html.split("<tbody>")
            .nth(1)
            .and_then(|b| b.split("</tbody>").next())
            .map(|b| b.matches("<tr>").count())
            .unwrap_or(0)
    };
    for (asked, shown) in [("25", 25), ("100", 100), ("7", 50), ("", 50)] {
        let html = list(app, &c, &format!("&lignes={asked}")).await;
        assert_eq!(rows(&html), shown, "lignes={asked}");
        if asked == "25" || asked == "100" {
            assert!(
                html.contains(&format!("lignes={asked}")) && html.contains("rel=\"next\""),
                "the next page keeps {asked} rows"
            );
        }
    }
}

both_backends!(the_ticket_list_shows_25_50_or_100_rows);
