//! The journal a head reads: events named in French, objects by their name
//! with a link, filters by family, person and period that narrow what is
//! counted and shown.

use refnum_db::entities::audit_event;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let r = c.get(app.url(path)).send().await.expect("get");
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.expect("body")
}

fn summary_count(html: &str) -> u64 {
    html.split("<p id=\"audit-summary\">")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary: {html}"))
}

async fn the_journal_names_events_and_objects_and_filters(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    // A ticket, so that the journal names an object with a link.
    let teacher = app.signed_in(TEACHER_A).await;
    let path = format!("/etablissements/{a}/assistance/nouveau");
    let r = app
        .post_form(
            &teacher,
            &path,
            &path,
            &[
                ("kind", "incident"),
                ("title", "Tableau blanc interactif muet"),
                ("urgency", "medium"),
                ("impact", "medium"),
                ("description", "Plus de son."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let head = app.signed_in(DIRECTION_A).await;
    let base = format!("/etablissements/{a}/journal");
    let html = page(app, &head, &base).await;
    // No raw event key nor raw object reference on the page.
    for raw in [
        "ticket.created",
        "booking.resource_added",
        "kb.article_created",
        "account:",
        "kb_article:",
        "parc_room:",
        "parc_building:",
    ] {
        assert!(!html.contains(raw), "raw {raw:?} in the journal");
    }
    assert!(
        html.contains("Ticket créé") || html.contains("Ticket ouvert"),
        "{html}"
    );
    assert!(
        html.contains("Tableau blanc interactif muet</a>"),
        "the ticket by its title, as a link"
    );
    assert!(html.contains("href=\"/assistance/tickets/"));

    // Family filter: only tickets; the count is the database's.
    let all = summary_count(&html);
    let only = page(app, &head, &format!("{base}?type=ticket")).await;
    let n = summary_count(&only);
    let expected = audit_event::Entity::find()
        .filter(audit_event::Column::EtablissementId.eq(a))
        .filter(audit_event::Column::Action.starts_with("ticket."))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(n, expected);
    assert!(n >= 1 && n < all, "{n} of {all}");
    assert!(!only.contains("Connexion</td>"), "sign-ins filtered out");
    // The filter is a chip whose link is the whole journal again.
    assert!(
        only.contains(&format!("<a class=\"chip\" href=\"{base}\">")),
        "the family's chip"
    );

    // Person filter: the teacher's events only.
    let teacher_id = app.account_id(TEACHER_A).await;
    let theirs = page(app, &head, &format!("{base}?personne={teacher_id}")).await;
    let expected = audit_event::Entity::find()
        .filter(audit_event::Column::EtablissementId.eq(a))
        .filter(audit_event::Column::ActorAccountId.eq(teacher_id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(summary_count(&theirs), expected);
    assert!(expected >= 1);

    // Period: a day long ago holds nothing; today holds everything.
    let old = page(app, &head, &format!("{base}?du=2020-01-01&au=2020-01-31")).await;
    assert_eq!(summary_count(&old), 0);
    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().expect("day");
    let recent = page(app, &head, &format!("{base}?du={yesterday}&au={today}")).await;
    assert_eq!(summary_count(&recent), all);
    // Bad values are ignored, not an error.
    let odd = page(
        app,
        &head,
        &format!("{base}?type=%3Cscript%3E&personne=x&du=demain"),
    )
    .await;
    assert_eq!(summary_count(&odd), all);
    assert!(!odd.contains("<script>"));
    // 25 rows a page when asked, the chosen size kept by the pager: thirty
    // more tickets make more than one page.
    for i in 0..30 {
        let r = app
            .post_form(
                &teacher,
                &path,
                &path,
                &[
                    ("kind", "request"),
                    ("title", &format!("Demande n° {i}")),
                    ("urgency", "low"),
                    ("impact", "low"),
                    ("description", "Rien d'urgent."),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let total = summary_count(&page(app, &head, &base).await);
    assert!(total > 25, "{total}");
    let short = page(app, &head, &format!("{base}?lignes=25")).await;
    assert_eq!(short.matches("<tr><td>").count(), 25);
    assert!(
        short.contains(&format!("{base}?page=2&#38;lignes=25\" rel=\"next\"")),
        "the next page keeps the size"
    );
    let long = page(app, &head, &format!("{base}?lignes=100")).await;
    assert_eq!(long.matches("<tr><td>").count() as u64, total.min(100));
    // A teacher may not read it.
    let r = teacher.get(app.url(&base)).send().await.expect("get");
    assert_eq!(r.status(), 403);
}

both_backends!(the_journal_names_events_and_objects_and_filters);
