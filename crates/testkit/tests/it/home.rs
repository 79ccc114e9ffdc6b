//! The home page says what to do today: each line a count and a link to
//! the filtered list; the counts are recomputed here from the database,
//! and each link leads to a list that holds that many rows.

use chrono::Utc;
use refnum_db::entities::assistance::ticket;
use refnum_db::entities::reservations::{booking, booking_resource};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{PASSWORD, TestApp, both_backends};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// The lines of "À faire aujourd'hui": (href, count, text).
fn todo_lines(html: &str) -> Vec<(String, u64, String)> {
    let Some(list) = html
        .split("<ul class=\"todo-list\" id=\"todo-list\">")
        .nth(1)
        .and_then(|r| r.split("</ul>").next())
    else {
        return vec![];
    };
    list.split("<li class=\"todo-item")
        .skip(1)
        .filter_map(|li| {
            let href = li.split("href=\"").nth(1)?.split('"').next()?;
            let count = li
                .split("<span class=\"todo-count\">")
                .nth(1)?
                .split('<')
                .next()?
                .parse()
                .ok()?;
            let text = li
                .split("<span class=\"todo-text\">")
                .nth(1)?
                .split('<')
                .next()?;
            Some((href.replace("&amp;", "&"), count, text.to_string()))
        })
        .collect()
}

fn line_with<'a>(
    lines: &'a [(String, u64, String)],
    part: &str,
) -> Option<&'a (String, u64, String)> {
    lines.iter().find(|(h, _, _)| h.contains(part))
}

const OPEN: [&str; 4] = ["new", "taken", "escalated", "waiting"];

/// The scale demo's referent: overdue tickets and bookings to approve, as
/// the database counts them.
async fn the_referents_home_lists_what_is_overdue_and_to_approve(app: &TestApp) {
    app.demo().await;
    refnum_services::demo_scale::run(&app.db, 1, PASSWORD)
        .await
        .expect("scale demo");
    let uai = refnum_services::demo_scale::scale_uai(1);
    let etab = app.etab_id(&uai).await;
    let email = refnum_services::demo_scale::scale_referent(1);
    // Three bookings of a resource the referent approves wait for approval.
    let resource = booking_resource::Entity::find()
        .filter(booking_resource::Column::EtablissementId.eq(etab))
        .order_by_asc(booking_resource::Column::Id)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("a bookable resource");
    booking_resource::Entity::update_many()
        .col_expr(
            booking_resource::Column::ApprovalRole,
            Expr::value("referent"),
        )
        .filter(booking_resource::Column::Id.eq(resource.id))
        .exec(&app.db.conn)
        .await
        .expect("approval by the referent");
    let three: Vec<uuid::Uuid> = booking::Entity::find()
        .select_only()
        .column(booking::Column::Id)
        .filter(booking::Column::ResourceId.eq(resource.id))
        .filter(booking::Column::Day.gte(Utc::now().date_naive()))
        .order_by_asc(booking::Column::Day)
        .limit(3)
        .into_tuple()
        .all(&app.db.conn)
        .await
        .expect("bookings");
    booking::Entity::update_many()
        .col_expr(booking::Column::Status, Expr::value("pending"))
        .filter(booking::Column::Id.is_in(three.clone()))
        .exec(&app.db.conn)
        .await
        .expect("pending");

    let c = app.signed_in(&email).await;
    let html = c
        .get(app.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("body");
    assert!(html.contains("À faire aujourd&#39;hui") || html.contains("À faire aujourd'hui"));
    let lines = todo_lines(&html);
    assert!(!lines.is_empty(), "{html}");

    // Overdue tickets, recomputed.
    let overdue = ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(etab))
        .filter(ticket::Column::Status.is_in(OPEN))
        .filter(ticket::Column::ResolutionDueAt.lt(Utc::now()))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert!(overdue > 0, "the scale demo has overdue tickets");
    let (href, count, text) = line_with(&lines, "retard=1").expect("an overdue line");
    assert_eq!(*count, overdue, "{text}");
    assert!(href.contains(&format!("etablissement={etab}")), "{href}");
    // Urgent open tickets, recomputed.
    let p1 = ticket::Entity::find()
        .filter(ticket::Column::EtablissementId.eq(etab))
        .filter(ticket::Column::Status.is_in(OPEN))
        .filter(ticket::Column::Priority.eq("p1"))
        .count(&app.db.conn)
        .await
        .expect("count");
    match line_with(&lines, "priorite=p1") {
        Some((_, n, _)) => assert_eq!(*n, p1),
        None => assert_eq!(p1, 0),
    }
    // Bookings to approve, recomputed: the three pending ones.
    let pending = booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .filter(booking::Column::Status.eq("pending"))
        .filter(booking::Column::ResourceId.eq(resource.id))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(pending, 3);
    let (href, count, text) = line_with(&lines, "/reservations/").expect("a bookings line");
    assert_eq!(*count, 3, "{text}");
    assert!(text.contains("réservations à approuver"), "{text}");
    // The link leads to a page that lists them.
    let mine = c
        .get(app.url(href))
        .send()
        .await
        .expect("mine")
        .text()
        .await
        .expect("body");
    for id in &three {
        assert!(
            mine.contains(&id.to_string()),
            "booking {id} to approve on {href}"
        );
    }
    // Every line's link answers.
    for (href, _, _) in &lines {
        let r = c.get(app.url(href)).send().await.expect("get");
        assert_eq!(r.status(), 200, "{href}");
    }
}

/// A teacher's home: their own tickets and bookings, no school-wide lines.
async fn a_teachers_home_shows_their_own_things(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(TEACHER_A).await;
    let a = app.etab_id(UAI_A).await;
    let path = format!("/etablissements/{a}/assistance/nouveau");
    let r = app
        .post_form(
            &c,
            &path,
            &path,
            &[
                ("kind", "incident"),
                ("title", "Imprimante en salle 12"),
                ("urgency", "high"),
                ("impact", "high"),
                ("description", "Bourrage."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let html = c
        .get(app.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("body");
    let lines = todo_lines(&html);
    let (href, count, text) = line_with(&lines, "moi=1").expect("my tickets");
    assert_eq!(*count, 1, "{text}");
    assert!(text.contains("à votre nom"), "{text}");
    let list = c
        .get(app.url(href))
        .send()
        .await
        .expect("list")
        .text()
        .await
        .expect("body");
    assert!(list.contains("Imprimante en salle 12"));
    assert!(
        line_with(&lines, "retard=1").is_none() && line_with(&lines, "priorite=").is_none(),
        "no school-wide ticket line for a teacher: {lines:?}"
    );
}

/// The DANE's home: the schools of its académie without a referent, as the
/// database counts them; the line leads to exactly those schools, and
/// naming a referent takes the school off the list.
async fn the_danes_home_lists_the_schools_without_a_referent(app: &TestApp) {
    use refnum_db::entities::{etablissement, membership};
    app.demo().await;
    let schools_without = |with: Vec<uuid::Uuid>, all: Vec<etablissement::Model>| {
        let mut names: Vec<String> = all
            .into_iter()
            .filter(|e| !with.contains(&e.id))
            .map(|e| e.name)
            .collect();
        names.sort();
        names
    };
    let count_now = || async {
        let with: Vec<uuid::Uuid> = membership::Entity::find()
            .filter(membership::Column::Role.eq("referent"))
            .all(&app.db.conn)
            .await
            .expect("memberships")
            .into_iter()
            .filter_map(|m| m.etablissement_id)
            .collect();
        let all = etablissement::Entity::find()
            .all(&app.db.conn)
            .await
            .expect("schools");
        schools_without(with, all)
    };
    // Two new schools of the académie, nobody named in them yet.
    let a = etablissement::Entity::find_by_id(app.etab_id(UAI_A).await)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("school A");
    for (uai, name) in [
        ("0770935Y", "Collège Sans Référent"),
        ("0059952R", "Lycée Nouveau"),
    ] {
        refnum_services::orgs::create_etablissement(
            &app.db,
            &refnum_services::audit::Who::system("test"),
            &refnum_services::orgs::EtabInput {
                uai: uai.into(),
                name: name.into(),
                kind: a.kind.clone(),
                city: "Caen".into(),
                academie_id: a.academie_id.to_string(),
                collectivite_id: a.collectivite_id.map(|c| c.to_string()).unwrap_or_default(),
                pupil_count: "300".into(),
            },
        )
        .await
        .expect("school");
    }
    let expected = count_now().await;
    assert!(expected.len() >= 2, "{expected:?}");
    let c = app.signed_in(DANE).await;
    let html = app.page(&c, "/").await;
    let lines = todo_lines(&html);
    let (href, count, text) = line_with(&lines, "sans=referent").expect("the DANE's line");
    assert_eq!(*count as usize, expected.len(), "{text}");
    assert!(text.contains("référent numérique"), "{text}");
    let list = app.page(&c, href).await;
    assert!(list.contains(&format!(">{} établissement", expected.len())));
    for name in &expected {
        assert!(list.contains(name.as_str()), "{name} listed");
    }
    assert!(
        list.contains("Sans référent numérique"),
        "the filter's chip"
    );
    // A referent is named in the first of them: one school fewer.
    let first = etablissement::Entity::find()
        .filter(etablissement::Column::Name.eq(expected[0].clone()))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("school");
    refnum_services::people::grant_alone(
        &app.db,
        &refnum_services::audit::Who::system("test"),
        app.account_id(TEACHER_A).await,
        refnum_domain::role::Membership::new(
            refnum_domain::role::Role::Referent,
            refnum_domain::role::ScopeRef::Etablissement(first.id),
        )
        .expect("membership"),
    )
    .await
    .expect("grant");
    let lines = todo_lines(&app.page(&c, "/").await);
    let after = line_with(&lines, "sans=referent").map(|l| l.1).unwrap_or(0);
    assert_eq!(after as usize, expected.len() - 1);
    let list = app.page(&c, href).await;
    assert!(
        !list.contains(&format!(">{}</a>", first.name)),
        "named: off the list"
    );
    // Other roles have no such line.
    let referent = app.signed_in(REFERENT_A).await;
    let lines = todo_lines(&app.page(&referent, "/").await);
    assert!(line_with(&lines, "sans=referent").is_none());
}

both_backends!(
    the_referents_home_lists_what_is_overdue_and_to_approve,
    a_teachers_home_shows_their_own_things,
    the_danes_home_lists_the_schools_without_a_referent,
);
