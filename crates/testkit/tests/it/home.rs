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

/// The figure shown above `label` on the home (its card's value).
fn stat(html: &str, label: &str) -> Option<u64> {
    html.split("<li class=\"card stat\">")
        .skip(1)
        .find_map(|card| {
            let value = card
                .split("<span class=\"stat__value\">")
                .nth(1)?
                .split('<')
                .next()?;
            let shown = card
                .split("<span class=\"stat__label\">")
                .nth(1)?
                .split('<')
                .next()?;
            (shown.replace("&#39;", "'") == label).then(|| value.parse().ok())?
        })
}

/// An applied directory import of a school, applied `days` (and `hours`)
/// ago.
async fn applied_import(app: &TestApp, etab: uuid::Uuid, source: &str, days: i64, hours: i64) {
    use refnum_db::entities::annuaire_import as import;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let at = Utc::now() - chrono::Duration::days(days) - chrono::Duration::hours(hours);
    import::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        etablissement_id: Set(Some(etab)),
        uai: Set(UAI_C.into()),
        source: Set(source.into()),
        status: Set("applied".into()),
        files: Set("[]".into()),
        school_year: Set(Some(2026)),
        exported_on: Set(None),
        summary: Set("{}".into()),
        warnings: Set("[]".into()),
        created_by: Set(None),
        created_at: Set(at),
        applied_by: Set(None),
        applied_at: Set(Some(at)),
    }
    .insert(&app.db.conn)
    .await
    .expect("import");
}

/// The referent's counts of loans, warranties and directory sources, and
/// the school's figures, follow the database: each moves when a row
/// changes, and equals what the database counts.
async fn the_home_follows_loans_warranties_sources_and_people(app: &TestApp) {
    use refnum_db::entities::loans::loan;
    use refnum_db::entities::membership;
    use refnum_db::entities::parc::parc_asset as asset;
    use sea_orm::QuerySelect;
    app.demo().await;
    refnum_services::prets::demo::seed_demo_schools(&app.db)
        .await
        .expect("demo loans");
    let etab = app.etab_id(UAI_C).await;
    let c = app.signed_in("referent.lepine@ac-normandie.test").await;
    let today = Utc::now().date_naive();
    let overdue_now = || async {
        loan::Entity::find()
            .filter(loan::Column::EtablissementId.eq(etab))
            .filter(loan::Column::Status.eq("out"))
            .filter(loan::Column::DueOn.lt(Utc::now().date_naive()))
            .count(&app.db.conn)
            .await
            .expect("count")
    };
    let home = app.page(&c, "/").await;
    let lines = todo_lines(&home);
    let before = overdue_now().await;
    assert!(before > 0, "the demo lends a tablet past its date");
    let (_, n, text) = line_with(&lines, "vue=en-retard").expect("overdue loans");
    assert_eq!(*n, before, "{text}");
    // One more loan past its date.
    let out = loan::Entity::find()
        .filter(loan::Column::EtablissementId.eq(etab))
        .filter(loan::Column::Status.eq("out"))
        .filter(loan::Column::DueOn.gte(today))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("a loan out and not due yet");
    loan::Entity::update_many()
        .col_expr(
            loan::Column::DueOn,
            Expr::value(today - chrono::Duration::days(1)),
        )
        .filter(loan::Column::Id.eq(out.id))
        .exec(&app.db.conn)
        .await
        .expect("due yesterday");
    let lines = todo_lines(&app.page(&c, "/").await);
    let (_, n, _) = line_with(&lines, "vue=en-retard").expect("overdue loans");
    assert_eq!(*n, before + 1);
    assert_eq!(*n, overdue_now().await);

    // Warranties: two assets whose warranty ends in ten days, then one
    // whose warranty ends in a year (not counted).
    let ending = |lines: &[(String, u64, String)]| {
        line_with(lines, "garantie=bientot")
            .map(|l| l.1)
            .unwrap_or(0)
    };
    let w0 = ending(&lines);
    let ids: Vec<uuid::Uuid> = asset::Entity::find()
        .select_only()
        .column(asset::Column::Id)
        .filter(asset::Column::EtablissementId.eq(etab))
        .filter(asset::Column::WarrantyEnd.is_null())
        .filter(asset::Column::Status.ne("retired"))
        .limit(3)
        .into_tuple()
        .all(&app.db.conn)
        .await
        .expect("assets");
    assert_eq!(ids.len(), 3, "three assets in use without a warranty end");
    for (id, days) in [(ids[0], 10), (ids[1], 10), (ids[2], 365)] {
        asset::Entity::update_many()
            .col_expr(
                asset::Column::WarrantyEnd,
                Expr::value(today + chrono::Duration::days(days)),
            )
            .filter(asset::Column::Id.eq(id))
            .exec(&app.db.conn)
            .await
            .expect("warranty");
    }
    let lines = todo_lines(&app.page(&c, "/").await);
    assert_eq!(ending(&lines), w0 + 2, "{lines:?}");

    // Directory sources: STS applied 50 days ago (stale); the AAF feed
    // applied 60 days ago and again 5 days ago (fresh); SIECLE 45 days and
    // 23 hours ago (45 whole days: not yet stale).
    assert!(line_with(&lines, "/annuaire").is_none(), "{lines:?}");
    applied_import(app, etab, "sts", 50, 0).await;
    applied_import(app, etab, "aaf", 60, 0).await;
    applied_import(app, etab, "aaf", 5, 0).await;
    applied_import(app, etab, "siecle", 45, 23).await;
    let home = app.page(&c, "/").await;
    let lines = todo_lines(&home);
    let (_, n, text) = line_with(&lines, "/annuaire").expect("stale sources");
    assert_eq!(*n, 1, "{text}");
    let stale = refnum_services::annuaire::freshness(&app.db, etab)
        .await
        .expect("freshness")
        .iter()
        .filter(|f| f.stale)
        .count();
    assert_eq!(stale, 1, "the directory's page says the same");

    // The school's people, as the database counts them (each account
    // once, whatever its number of roles).
    let members = |role: Option<&'static str>| async move {
        let mut q = membership::Entity::find().filter(membership::Column::EtablissementId.eq(etab));
        if let Some(r) = role {
            q = q.filter(membership::Column::Role.eq(r));
        }
        let mut ids: Vec<uuid::Uuid> = q
            .all(&app.db.conn)
            .await
            .expect("memberships")
            .into_iter()
            .map(|m| m.account_id)
            .collect();
        ids.sort();
        ids.dedup();
        ids.len() as u64
    };
    let staff = members(None).await;
    let teachers = members(Some("enseignant")).await;
    assert!(staff > teachers && teachers > 0, "{staff} {teachers}");
    assert_eq!(
        stat(&home, "personne(s) dans l'établissement"),
        Some(staff),
        "staff"
    );
    assert_eq!(stat(&home, "enseignant(s)"), Some(teachers), "teachers");
    let pupils = refnum_db::entities::etablissement::Entity::find_by_id(etab)
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("school")
        .pupil_count;
    assert_eq!(
        stat(&home, "élève(s) dans ces établissements"),
        Some(u64::try_from(pupils).expect("a count")),
    );
}

both_backends!(
    the_home_follows_loans_warranties_sources_and_people,
    the_referents_home_lists_what_is_overdue_and_to_approve,
    a_teachers_home_shows_their_own_things,
    the_danes_home_lists_the_schools_without_a_referent,
);
