//! The header's search: one match leads straight to it, several are
//! listed, and nobody finds what they may not see.

use refnum_db::entities::assistance::ticket;
use refnum_db::entities::parc::parc_asset;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn go(app: &TestApp, c: &reqwest::Client, q: &str) -> (u16, String, String) {
    let r = c
        .get(app.url("/recherche"))
        .query(&[("q", q)])
        .send()
        .await
        .expect("get");
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, location, r.text().await.expect("body"))
}

async fn the_header_search_goes_straight_to_what_it_finds(app: &TestApp) {
    app.demo().await;
    refnum_services::demo::content(&app.db)
        .await
        .expect("demo content");
    let a = app.etab_id(UAI_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    // A ticket of the school, by its number, with or without '#'.
    let teacher = app.signed_in(TEACHER_A).await;
    let path = format!("/etablissements/{a}/assistance/nouveau");
    let r = app
        .post_form(
            &teacher,
            &path,
            &path,
            &[
                ("kind", "incident"),
                ("title", "Clavier sans touche Entrée"),
                ("urgency", "low"),
                ("impact", "low"),
                ("description", "Salle 12."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let t = ticket::Entity::find()
        .filter(ticket::Column::Title.eq("Clavier sans touche Entrée"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("ticket");
    for q in [format!("#{}", t.number), t.number.to_string()] {
        let (status, location, _) = go(app, &referent, &q).await;
        assert_eq!(status, 303, "{q}");
        assert_eq!(location, format!("/assistance/tickets/{}", t.id));
    }
    // Equipment by its inventory number, case ignored.
    let asset = parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(a))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("an asset");
    let (status, location, _) = go(app, &referent, &asset.inventory_number.to_lowercase()).await;
    assert_eq!(status, 303);
    assert_eq!(
        location,
        format!("/etablissements/{a}/parc/equipements/{}", asset.id)
    );
    // Nothing: a page that says so.
    let (status, _, html) = go(app, &referent, "zzzz-introuvable").await;
    assert_eq!(status, 200);
    assert!(html.contains("Aucun résultat"), "{html}");
    // Another school's referent does not find this school's ticket.
    let other = app.signed_in(REFERENT_B).await;
    let (status, location, html) = go(app, &other, &format!("#{}", t.number)).await;
    assert!(
        !location.contains(&t.id.to_string()) && !html.contains("Clavier sans touche"),
        "{status} {location}"
    );
    // A teacher does not find another person's ticket by its number.
    let staff = app.signed_in("personnel.malherbe@ac-normandie.test").await;
    let (_, location, html) = go(app, &staff, &format!("#{}", t.number)).await;
    assert!(!location.contains(&t.id.to_string()) && !html.contains("Clavier sans touche"));
    // The box is in the header of every signed-in page.
    let home = referent
        .get(app.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("body");
    assert!(home.contains("id=\"header-search-q\""));
}

both_backends!(the_header_search_goes_straight_to_what_it_finds);
