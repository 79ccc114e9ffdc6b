//! The knowledge base: the referent writes, edits, withdraws and deletes
//! articles (field errors, escaping, audit); staff search them on the
//! server; suggestions are ranked, published only, and scoped to the school,
//! route by route.

use refnum_db::entities::{audit_event, kb_article};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, element_text};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

fn kb(etab: Uuid) -> String {
    format!("/etablissements/{etab}/base-de-connaissances")
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

async fn anonymous_get(app: &TestApp, path: &str) -> (u16, String) {
    get(app, &app.client(), path).await
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let (status, body) = get(app, c, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The count above a list.
fn count(html: &str) -> String {
    element_text(html, "kb-count").unwrap_or_default()
}

async fn articles_of(app: &TestApp, etab: Uuid) -> Vec<kb_article::Model> {
    kb_article::Entity::find()
        .filter(kb_article::Column::EtablissementId.eq(etab))
        .order_by_asc(kb_article::Column::CreatedAt)
        .all(&app.db.conn)
        .await
        .expect("articles")
}

async fn by_title(app: &TestApp, etab: Uuid, title: &str) -> kb_article::Model {
    articles_of(app, etab)
        .await
        .into_iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("article {title}"))
}

/// Writes an article through the form; returns the redirect's location.
async fn write(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let new = format!("{}/nouveau", kb(etab));
    app.post_form(c, &new, &new, fields).await
}

async fn seed(app: &TestApp, etab: Uuid) {
    let n = refnum_services::kb::seed_demo(&app.db, etab)
        .await
        .expect("demo articles");
    assert_eq!(n, 5);
}

/// The titles of the suggestions (JSON), best first.
async fn suggested(app: &TestApp, c: &reqwest::Client, etab: Uuid, q: &str) -> Vec<String> {
    let r = c
        .get(app.url(&format!("{}/suggestions", kb(etab))))
        .query(&[("q", q)])
        .header("Accept", "application/json")
        .send()
        .await
        .expect("suggestions");
    assert_eq!(r.status(), 200, "suggestions for {q}");
    assert!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"))
    );
    let v: serde_json::Value = r.json().await.expect("json");
    v["suggestions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn audit_actions(app: &TestApp, target: &str) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Target.eq(target))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.db.conn)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn the_referent_writes_edits_withdraws_and_deletes_an_article(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let teacher = app.signed_in(TEACHER_A).await;

    // The list offers the form to the referent only.
    let list = page(app, &referent, &kb(a)).await;
    assert!(
        list.contains("Base de connaissances — Lycée Malherbe"),
        "{list}"
    );
    assert!(list.contains(&format!("href=\"{}/nouveau\"", kb(a))));
    assert_eq!(count(&list), "Aucun article");
    let list = page(app, &teacher, &kb(a)).await;
    assert!(!list.contains("/nouveau\""), "no form for a teacher");

    // Field errors: nothing stored, each error next to its field and summarised.
    let form = page(app, &referent, &format!("{}/nouveau", kb(a))).await;
    assert!(form.contains("id=\"field-title\"") && form.contains("<textarea id=\"field-body\""));
    let r = write(
        app,
        &referent,
        a,
        &[
            ("title", "   "),
            ("body", " \r\n "),
            ("category", "grille-pain"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("Indiquez un titre."), "{body}");
    assert!(
        body.contains("Écrivez le contenu de l&#39;article.")
            || body.contains("Écrivez le contenu de l'article.")
    );
    assert!(body.contains("Choisissez une catégorie de la liste."));
    assert!(
        body.contains("href=\"#field-title\""),
        "summary links to the field"
    );
    assert!(body.contains("aria-invalid=\"true\""));
    let long = "é".repeat(201);
    let r = write(
        app,
        &referent,
        a,
        &[("title", long.as_str()), ("body", "Du texte")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("Le titre ne doit pas dépasser 200 caractères."));
    assert!(body.contains("Du texte"), "what was typed is kept");
    assert!(articles_of(app, a).await.is_empty(), "nothing stored");

    // A valid article: stored, shown, its body escaped.
    let r = write(
        app,
        &referent,
        a,
        &[
            ("title", "Vidéoprojecteur de la salle 12 : pas de signal"),
            ("summary", "Quand l'écran reste bleu."),
            ("category", "projector"),
            ("tags", "HDMI, salle 12, hdmi"),
            (
                "body",
                "Vérifiez le câble.\r\n\r\n- Touche Source\r\n- Windows + P\r\n\r\n<script>alert(1)</script>",
            ),
            ("published", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string();
    let stored = by_title(app, a, "Vidéoprojecteur de la salle 12 : pas de signal").await;
    assert!(location.starts_with(&format!("{}/{}", kb(a), stored.id)));
    assert_eq!(stored.tags, "HDMI, salle 12");
    assert_eq!(stored.category.as_deref(), Some("projector"));
    assert!(stored.published);
    assert!(stored.search_text.contains("videoprojecteur"));
    let shown = page(app, &teacher, &location).await;
    assert!(
        shown.contains("L&#39;article a été enregistré.")
            || shown.contains("L'article a été enregistré.")
    );
    assert!(
        shown.contains("<li>Touche Source</li><li>Windows + P</li>"),
        "{shown}"
    );
    assert!(
        shown.contains("&#60;script&#62;alert(1)") || shown.contains("&lt;script&gt;alert(1)"),
        "{shown}"
    );
    assert!(!shown.contains("<script>alert(1)"));
    assert!(shown.contains("Vidéoprojecteur</span>"), "category label");
    assert!(shown.contains("Julien Roussel"), "who wrote it");
    assert!(!shown.contains("/modifier\""), "no edit link for a teacher");

    // Edit: a field error keeps the rest; then a valid change.
    let article = format!("{}/{}", kb(a), stored.id);
    let edit = format!("{article}/modifier");
    let form = page(app, &referent, &edit).await;
    assert!(form.contains("value=\"HDMI, salle 12\""));
    let r = app
        .post_form(
            &referent,
            &edit,
            &edit,
            &[("title", "Vidéoprojecteur"), ("body", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_form(
            &referent,
            &edit,
            &edit,
            &[
                ("title", "Vidéoprojecteur : pas de signal"),
                ("body", "Appuyez sur Source."),
                ("category", "projector"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let after = by_title(app, a, "Vidéoprojecteur : pas de signal").await;
    assert_eq!(after.id, stored.id);
    assert_eq!(after.body, "Appuyez sur Source.");
    assert_eq!(after.tags, "");

    // Withdrawn: gone for the teacher (list, page, suggestions), kept for the referent.
    let r = app
        .post_form(
            &referent,
            &article,
            &format!("{article}/publication"),
            &[("published", "0")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, &teacher, &article).await.0, 404);
    let list = page(app, &teacher, &kb(a)).await;
    assert!(!list.contains("pas de signal"));
    assert!(
        suggested(app, &teacher, a, "vidéoprojecteur")
            .await
            .is_empty()
    );
    let list = page(app, &referent, &kb(a)).await;
    assert!(list.contains("pas de signal") && list.contains("Non publié"));
    let r = app
        .post_form(
            &referent,
            &article,
            &format!("{article}/publication"),
            &[("published", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, &teacher, &article).await.0, 200);

    // Delete.
    let r = app
        .post_form(&referent, &article, &format!("{article}/supprimer"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(articles_of(app, a).await.is_empty());
    assert_eq!(get(app, &referent, &article).await.0, 404);

    assert_eq!(
        audit_actions(app, &format!("kb_article:{}", stored.id)).await,
        vec![
            "kb.article_created",
            "kb.article_updated",
            "kb.article_unpublished",
            "kb.article_published",
            "kb.article_deleted",
        ]
    );
}

async fn staff_search_the_articles_on_the_server(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    seed(app, a).await;
    assert_eq!(
        refnum_services::kb::seed_demo(&app.db, a)
            .await
            .expect("again"),
        0,
        "the demo articles are written once"
    );
    let teacher = app.signed_in(TEACHER_A).await;
    let list = page(app, &teacher, &kb(a)).await;
    assert_eq!(count(&list), "5 articles");

    let found = page(app, &teacher, &format!("{}?q=IMPRIMANTE+bloquee", kb(a))).await;
    assert_eq!(count(&found), "1 article");
    assert!(found.contains("Imprimante bloquée"));
    assert!(!found.contains("Wi-Fi élèves"));
    // Accents and case folded; words found in the body too.
    let found = page(app, &teacher, &format!("{}?q=r%C3%A9seau", kb(a))).await;
    assert!(found.contains("Wi-Fi élèves"), "{found}");
    let found = page(app, &teacher, &format!("{}?categorie=ent", kb(a))).await;
    assert_eq!(count(&found), "1 article");
    assert!(found.contains("Mot de passe ENT oublié"));
    let found = page(app, &teacher, &format!("{}?q=zzz", kb(a))).await;
    assert_eq!(count(&found), "Aucun article");
    // An unknown category is no filter, never an error.
    let found = page(app, &teacher, &format!("{}?categorie=%27%3B--", kb(a))).await;
    assert_eq!(count(&found), "5 articles");

    // Paging and sorting on the server: 55 more articles.
    let referent = refnum_db::accounts::get_by_email(&app.db.conn, REFERENT_A)
        .await
        .expect("query")
        .expect("referent");
    let now = chrono::Utc::now();
    for i in 0..55 {
        refnum_db::kb::insert(
            &app.db.conn,
            kb_article::Model {
                id: Uuid::now_v7(),
                etablissement_id: a,
                title: format!("Fiche {i:02}"),
                summary: String::new(),
                body: "Texte".into(),
                category: Some("software".into()),
                tags: String::new(),
                published: true,
                search_text: format!("fiche {i:02} texte"),
                created_by: Some(referent.id),
                updated_by: Some(referent.id),
                created_at: now,
                updated_at: now - chrono::Duration::minutes(i),
            },
        )
        .await
        .expect("insert");
    }
    let first = page(app, &teacher, &kb(a)).await;
    assert_eq!(count(&first), "60 articles");
    assert_eq!(first.matches("<th scope=\"row\">").count(), 50);
    assert!(first.contains("rel=\"next\""));
    let second = page(app, &teacher, &format!("{}?page=2", kb(a))).await;
    assert_eq!(second.matches("<th scope=\"row\">").count(), 10);
    let by_title = page(
        app,
        &teacher,
        &format!("{}?tri=titre&categorie=software", kb(a)),
    )
    .await;
    let f00 = by_title.find("Fiche 00").expect("Fiche 00");
    let f01 = by_title.find("Fiche 01").expect("Fiche 01");
    assert!(f00 < f01, "titles A to Z");
    assert!(by_title.contains("aria-sort=\"ascending\""));
    let reversed = page(
        app,
        &teacher,
        &format!("{}?tri=titre&ordre=desc&categorie=software", kb(a)),
    )
    .await;
    assert!(reversed.find("Fiche 54").expect("54") < reversed.find("Fiche 53").expect("53"));
}

async fn suggestions_are_ranked_published_and_scoped(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    seed(app, a).await;
    let referent_a = app.signed_in(REFERENT_A).await;
    let referent_b = app.signed_in(REFERENT_B).await;
    let teacher = app.signed_in(TEACHER_A).await;
    for (title, body) in [
        ("Toner de l'imprimante", "Changer la cartouche."),
        ("Photocopieur", "Il sert aussi d'imprimante réseau."),
    ] {
        let r = write(
            app,
            &referent_a,
            a,
            &[("title", title), ("body", body), ("published", "1")],
        )
        .await;
        assert_eq!(r.status(), 303);
    }
    let r = write(
        app,
        &referent_b,
        b,
        &[
            ("title", "Projecteur du CDI de Monod"),
            ("body", "Vidéoprojecteur du CDI : imprimante à côté."),
            ("published", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);

    // The more words found, the higher; then title matches first.
    assert_eq!(
        suggested(app, &teacher, a, "imprimante bourrage").await,
        vec![
            "Imprimante bloquée : bourrage ou file d'attente",
            "Toner de l'imprimante",
            "Photocopieur",
        ]
    );
    // "projecteur" is found in "vidéoprojecteur"; school B's article never comes.
    let p = suggested(app, &teacher, a, "Le projecteur ne s'allume pas").await;
    assert_eq!(
        p.first().map(String::as_str),
        Some("Vidéoprojecteur : « Pas de signal »")
    );
    assert!(p.iter().all(|t| !t.contains("Monod")), "{p:?}");
    // Words under three letters are ignored.
    assert!(
        suggested(app, &teacher, a, "le la de un wi")
            .await
            .is_empty()
    );
    assert_eq!(
        suggested(app, &teacher, a, "tni").await,
        vec!["TNI : recalibrer le tableau numérique"]
    );
    // At most five.
    for i in 0..7 {
        let t = format!("Tablette {i}");
        let r = write(
            app,
            &referent_a,
            a,
            &[("title", t.as_str()), ("body", "x"), ("published", "1")],
        )
        .await;
        assert_eq!(r.status(), 303);
    }
    assert_eq!(suggested(app, &teacher, a, "tablette").await.len(), 5);
    // A draft is never suggested.
    let r = write(
        app,
        &referent_a,
        a,
        &[("title", "Visualiseur en brouillon"), ("body", "x")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(suggested(app, &teacher, a, "visualiseur").await.is_empty());

    // The HTML fragment for the ticket form.
    let r = teacher
        .get(app.url(&format!("{}/suggestions?q=projecteur", kb(a))))
        .send()
        .await
        .expect("fragment");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    );
    let html = r.text().await.expect("body");
    assert!(!html.contains("<html"), "a fragment, not a page");
    // The vidéoprojecteur's article, and the TNI's that speaks of it.
    assert!(
        html.contains("2 articles de la base de connaissances peuvent vous aider :"),
        "{html}"
    );
    let projector = by_title(app, a, "Vidéoprojecteur : « Pas de signal »").await;
    assert!(html.contains(&format!("href=\"{}/{}\"", kb(a), projector.id)));
    let one = page(app, &teacher, &format!("{}/suggestions?q=calibrer", kb(a))).await;
    assert!(
        one.contains("Un article de la base de connaissances peut vous aider :"),
        "{one}"
    );
    let (status, empty) = get(app, &teacher, &format!("{}/suggestions?q=zz", kb(a))).await;
    assert_eq!(status, 200);
    assert!(empty.trim().is_empty(), "nothing to announce: {empty}");

    // Another school's routes: 404, whatever the article.
    let b_article = by_title(app, b, "Projecteur du CDI de Monod").await;
    for path in [
        kb(b),
        format!("{}/suggestions?q=projecteur", kb(b)),
        format!("{}/{}", kb(b), b_article.id),
        format!("{}/nouveau", kb(b)),
        format!("{}/{}/modifier", kb(b), b_article.id),
        // B's article through A's routes.
        format!("{}/{}", kb(a), b_article.id),
        format!("{}/pas-un-identifiant", kb(a)),
    ] {
        assert_eq!(get(app, &teacher, &path).await.0, 404, "GET {path}");
        assert_eq!(
            get(app, &referent_a, &path).await.0,
            404,
            "GET {path} (referent)"
        );
    }
    let edit_b_through_a = format!("{}/{}/modifier", kb(a), b_article.id);
    assert_eq!(get(app, &referent_a, &edit_b_through_a).await.0, 404);
    for action in [
        edit_b_through_a.clone(),
        format!("{}/nouveau", kb(b)),
        format!("{}/{}/modifier", kb(b), b_article.id),
        format!("{}/{}/publication", kb(b), b_article.id),
        format!("{}/{}/supprimer", kb(b), b_article.id),
        format!("{}/{}/supprimer", kb(a), b_article.id),
    ] {
        let r = app
            .post_form(
                &referent_a,
                "/",
                &action,
                &[("title", "Piraté"), ("body", "x"), ("published", "0")],
            )
            .await;
        assert_eq!(r.status(), 404, "POST {action}");
    }
    let b_after = by_title(app, b, "Projecteur du CDI de Monod").await;
    assert_eq!(b_after, b_article, "nothing changed in school B");

    // A teacher reads but does not write: 403 on the school's own forms.
    let article = format!("{}/{}", kb(a), projector.id);
    assert_eq!(
        get(app, &teacher, &format!("{}/nouveau", kb(a))).await.0,
        403
    );
    assert_eq!(
        get(app, &teacher, &format!("{article}/modifier")).await.0,
        403
    );
    for action in [
        format!("{}/nouveau", kb(a)),
        format!("{article}/modifier"),
        format!("{article}/publication"),
        format!("{article}/supprimer"),
    ] {
        let r = app
            .post_form(
                &teacher,
                "/",
                &action,
                &[("title", "Piraté"), ("body", "x"), ("published", "0")],
            )
            .await;
        assert_eq!(r.status(), 403, "POST {action}");
    }
    assert_eq!(
        by_title(app, a, "Vidéoprojecteur : « Pas de signal »").await,
        projector,
        "nothing changed"
    );
    let refused = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("policy.refused"))
        .filter(audit_event::Column::Target.contains("ManageKnowledge"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert!(refused >= 4, "refusals audited ({refused})");

    // The provider serving the school reads it too, and may not write.
    let tech = app.signed_in(TECH).await;
    assert_eq!(
        suggested(app, &tech, a, "projecteur")
            .await
            .first()
            .map(String::as_str),
        Some("Vidéoprojecteur : « Pas de signal »")
    );
    assert_eq!(get(app, &tech, &format!("{}/nouveau", kb(a))).await.0, 403);

    // The script that fetches them is served, and loaded by the pages.
    let r = anonymous_get(app, "/assets/kb.js").await;
    assert_eq!(r.0, 200);
    assert!(r.1.contains("data-kb-url") && r.1.contains("kb-suggestions"));
    assert!(
        page(app, &teacher, &kb(a))
            .await
            .contains("<script src=\"/assets/kb.js?v=")
    );

    // Signed out: to the sign-in page.
    let anonymous = app.client();
    let r = anonymous
        .get(app.url(&format!("{}/suggestions?q=projecteur", kb(a))))
        .send()
        .await
        .expect("get");
    assert!(r.status().is_redirection());
}

/// `refnum demo` writes the demo articles in each demo school, once.
async fn the_demo_content_writes_the_articles_once(app: &TestApp) {
    app.demo().await;
    assert_eq!(
        refnum_services::demo::content(&app.db)
            .await
            .expect("content"),
        15,
        "five articles in each of the three schools"
    );
    assert_eq!(
        refnum_services::demo::content(&app.db)
            .await
            .expect("again"),
        0,
        "written once"
    );
    for (uai, teacher) in [(UAI_A, TEACHER_A), (UAI_B, TEACHER_B)] {
        let etab = app.etab_id(uai).await;
        let c = app.signed_in(teacher).await;
        let list = page(app, &c, &kb(etab)).await;
        assert_eq!(count(&list), "5 articles", "{uai}");
        assert!(list.contains("Imprimante bloquée"));
    }
}

both_backends!(
    the_referent_writes_edits_withdraws_and_deletes_an_article,
    staff_search_the_articles_on_the_server,
    suggestions_are_ranked_published_and_scoped,
    the_demo_content_writes_the_articles_once,
);
