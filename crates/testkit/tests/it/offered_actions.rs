//! Only possible actions are offered: a slot of a resource whose rules do
//! not name the viewer's role offers no "Réserver" link (each answered 403),
//! on the resource's week and on the school's day.

use refnum_db::entities::reservations::booking_resource;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PERSONNEL_A: &str = "personnel.malherbe@ac-normandie.test";

async fn body(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let r = c.get(app.url(path)).send().await.expect("get");
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.expect("body")
}

/// The booking links of a page, each followed: none may answer 403.
async fn booking_links(app: &TestApp, c: &reqwest::Client, html: &str) -> usize {
    let links: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .filter(|h| h.contains("/reserver"))
        .map(|h| h.replace("&amp;", "&"))
        .collect();
    for l in &links {
        let r = c.get(app.url(l)).send().await.expect("get");
        assert_eq!(r.status(), 200, "offered link {l}");
    }
    links.len()
}

async fn slots_are_offered_only_to_who_may_book(app: &TestApp) {
    app.demo().await;
    // The demo's bookable rooms and carts, with their rules.
    refnum_services::demo::content(&app.db)
        .await
        .expect("demo content");
    let a = app.etab_id(UAI_A).await;
    let resources = booking_resource::Entity::find()
        .filter(booking_resource::Column::EtablissementId.eq(a))
        .all(&app.db.conn)
        .await
        .expect("resources");
    let closed: Vec<_> = resources
        .iter()
        .filter(|r| !r.roles.split(',').any(|x| x.trim() == "personnel"))
        .collect();
    assert!(
        !closed.is_empty(),
        "the demo has a resource closed to the staff"
    );
    let personnel = app.signed_in(PERSONNEL_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let monday = chrono::Utc::now().date_naive();
    for r in &closed {
        let week = format!(
            "/etablissements/{a}/reservations/ressources/{}?semaine={monday}",
            r.id
        );
        let html = body(app, &personnel, &week).await;
        assert_eq!(
            booking_links(app, &personnel, &html).await,
            0,
            "no booking link for the staff on {week}"
        );
        if r.roles.split(',').any(|x| x.trim() == "enseignant") && r.active {
            let html = body(app, &teacher, &week).await;
            assert!(
                booking_links(app, &teacher, &html).await > 0,
                "a teacher may book {week}"
            );
        }
    }
    // The school's day: every link offered answers.
    let day = format!("/etablissements/{a}/reservations/jour");
    let html = body(app, &personnel, &day).await;
    booking_links(app, &personnel, &html).await;
}

both_backends!(slots_are_offered_only_to_who_may_book);

/// The lend form says when the school has no loan charter, with a link to
/// write one; once there is one, it names it and the link is gone.
async fn the_lend_form_leads_to_the_charter_when_there_is_none(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let form = format!("/etablissements/{a}/prets/nouveau");
    let charter = format!("/etablissements/{a}/prets/charte");
    let html = body(app, &c, &form).await;
    assert!(html.contains("Aucune charte de prêt"), "{html}");
    assert!(
        html.contains(&format!("href=\"{charter}\"")),
        "a link to write it"
    );
    assert_eq!(
        c.get(app.url(&charter)).send().await.expect("get").status(),
        200
    );
    refnum_services::prets::demo::seed(&app.db, a)
        .await
        .expect("demo loans and charter");
    let html = body(app, &c, &form).await;
    assert!(!html.contains("Aucune charte de prêt"));
    assert!(!html.contains(&format!("href=\"{charter}\"")));
}

both_backends!(the_lend_form_leads_to_the_charter_when_there_is_none);
