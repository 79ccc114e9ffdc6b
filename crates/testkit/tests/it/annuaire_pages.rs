//! The directory pages on data imported from the real export files of
//! `shared/fixtures`: what each page shows (accents intact), search with
//! folded accents, paging, the rollover, and who may see what, route by
//! route.

use refnum_db::entities::{annuaire_person, annuaire_structure, audit_event, etablissement};
use refnum_services::annuaire::{self, snapshot::InputFile};
use refnum_services::audit::Who;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, extract_csrf};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::path::PathBuf;
use uuid::Uuid;

const UAI_STS: &str = "0770935Y";
/// The AAF feed's school whose jointure is 52007 (63 pupils, two named Léa).
const UAI_AAF: &str = "0059952R";

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures"
    ))
    .join(rel)
}

fn input(path: PathBuf) -> InputFile {
    InputFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path,
    }
}

fn aaf_files() -> Vec<InputFile> {
    let mut v: Vec<InputFile> = std::fs::read_dir(fixture("aaf"))
        .expect("aaf fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(input)
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

async fn set_uai(app: &TestApp, id: Uuid, uai: &str) {
    etablissement::Entity::update_many()
        .col_expr(etablissement::Column::Uai, Expr::value(uai))
        .filter(etablissement::Column::Id.eq(id))
        .exec(&app.db.conn)
        .await
        .expect("set uai");
}

async fn import(app: &TestApp, files: Vec<InputFile>, uai: &str) {
    let etab = annuaire::etab_by_uai(&app.db, uai)
        .await
        .expect("lookup")
        .expect("school");
    let prepared = annuaire::prepare(&app.db, files, uai, Some(&etab))
        .await
        .expect("prepare")
        .unwrap_or_else(|r| panic!("refused: {}", r.0));
    annuaire::apply(
        &app.db,
        &Who::system("test"),
        prepared,
        Some(etab),
        None,
        None,
    )
    .await
    .expect("apply")
    .unwrap_or_else(|r| panic!("refused: {}", r.0));
}

/// The demo data, and the Lycée Malherbe's directory filled from the real
/// files: the ONDE extraction (pupils with guardians), the STS-web export
/// (staff, classes, missions) and the AAF feed (pupils, staff). The files name other schools, so the
/// school wears each file's UAI while it is imported.
pub(crate) async fn load(app: &TestApp) -> Uuid {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    // ONDE first: its files carry no school code, and they bring guardians.
    let onde = ["eleves", "enseignants", "responsables"]
        .iter()
        .map(|k| input(fixture(&format!("be1d/CSVExtraction-{k}.csv"))))
        .collect();
    import(app, onde, UAI_A).await;
    set_uai(app, a, UAI_STS).await;
    import(
        app,
        vec![input(fixture("sts/sts_emp_0770935Y_2017.xml"))],
        UAI_STS,
    )
    .await;
    set_uai(app, a, UAI_AAF).await;
    import(app, aaf_files(), UAI_AAF).await;
    set_uai(app, a, UAI_A).await;
    a
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let (status, body) = get(app, c, path).await;
    assert_eq!(status, 200, "GET {path}");
    body
}

async fn person_of(app: &TestApp, etab: Uuid, kind: &str, first: &str) -> annuaire_person::Model {
    annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(etab))
        .filter(annuaire_person::Column::Kind.eq(kind))
        .filter(annuaire_person::Column::FirstName.eq(first))
        .one(&app.db.conn)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("a {kind} named {first}"))
}

/// A pupil who has at least one guardian, and that guardian.
async fn pupil_with_guardian(
    app: &TestApp,
    etab: Uuid,
) -> (annuaire_person::Model, annuaire_person::Model) {
    let pupils = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(etab))
        .filter(annuaire_person::Column::Kind.eq("pupil"))
        .all(&app.db.conn)
        .await
        .expect("pupils");
    for p in pupils {
        let links = refnum_db::annuaire::guardianships_of(&app.db.conn, p.id, true)
            .await
            .expect("links");
        if let Some((_, g)) = links.into_iter().next() {
            return (p, g);
        }
    }
    panic!("no pupil with a guardian in the fixture");
}

async fn current_structures(app: &TestApp, etab: Uuid) -> Vec<annuaire_structure::Model> {
    annuaire_structure::Entity::find()
        .filter(annuaire_structure::Column::EtablissementId.eq(etab))
        .filter(annuaire_structure::Column::ArchivedAt.is_null())
        .all(&app.db.conn)
        .await
        .expect("structures")
}

fn count_rows(html: &str) -> usize {
    html.split("<tbody>")
        .nth(1)
        .map(|b| {
            b.split("</tbody>")
                .next()
                .unwrap_or("")
                .matches("<tr>")
                .count()
        })
        .unwrap_or(0)
}

async fn every_page_shows_the_imported_names_with_their_accents(app: &TestApp) {
    let a = load(app).await;
    let c = app.signed_in(REFERENT_A).await;
    let base = format!("/etablissements/{a}/annuaire");

    // Overview: figures, freshness of each source, last imports.
    let home = page(app, &c, &base).await;
    assert!(home.contains("Annuaire — Lycée Malherbe"), "{home}");
    for source in ["STS-web", "SIECLE", "AAF (ENT)", "ONDE"] {
        assert!(home.contains(source), "freshness of {source}");
    }
    assert!(
        home.contains("Jamais importé"),
        "SIECLE and ONDE never imported"
    );
    // The AAF feed is from 2013: its export is far older, but the import is
    // today's: the freshness counts from the last import.
    assert!(
        home.contains("sts_emp_0770935Y_2017.xml"),
        "files of the imports"
    );
    assert!(home.contains("href=\"/etablissements/") && home.contains("/annuaire/import\""));
    assert!(home.contains(&format!("action=\"{base}/rentree\"")));
    assert!(home.contains("Annuaire</a>"), "navigation entry");

    // Staff with accents (STS-web is ISO-8859-15).
    let staff = page(app, &c, &format!("{base}/personnels")).await;
    let rows = staff.split("<tbody>").nth(1).unwrap_or("");
    assert!(rows.contains('É') || rows.contains('é'), "{staff}");
    let staff = page(app, &c, &format!("{base}/personnels?q=marty")).await;
    assert!(staff.contains("MARTY FÉLIX"), "{staff}");
    let staff = page(app, &c, &format!("{base}/personnels?q=granier")).await;
    assert!(staff.contains("GRANIER TIMOTHÉE"), "{staff}");
    assert!(!staff.contains("Ã"), "no mojibake");
    assert!(staff.contains("<caption>") && staff.contains("scope=\"col\""));

    // Pupils (AAF, UTF-8).
    let pupils = page(app, &c, &format!("{base}/eleves?q=lea")).await;
    assert!(pupils.contains("Léa"), "{pupils}");

    // Classes, then one class with its pupils.
    let léa = person_of(app, a, "pupil", "Léa").await;
    let code = léa.class_code.clone().expect("Léa has a class");
    let classes = page(app, &c, &format!("{base}/classes")).await;
    assert!(
        classes.contains(&format!(">{code}</a>")),
        "class {code} listed"
    );
    let structure = current_structures(app, a)
        .await
        .into_iter()
        .find(|s| s.code == code)
        .expect("Léa's class is a structure");
    let class = page(app, &c, &format!("{base}/classes/{}", structure.id)).await;
    assert!(
        class.contains(&léa.last_name) && class.contains("Léa"),
        "{class}"
    );

    // A class of STS-web lists its teachers.
    let sts_class = current_structures(app, a)
        .await
        .into_iter()
        .find(|s| s.source == "sts" && s.kind == "division")
        .expect("an STS division");
    let teachers: Vec<annuaire_person::Model> = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::Kind.eq("staff"))
        .filter(annuaire_person::Column::Structures.like(format!("%\"{}\"%", sts_class.code)))
        .all(&app.db.conn)
        .await
        .expect("teachers");
    let class = page(app, &c, &format!("{base}/classes/{}", sts_class.id)).await;
    if let Some(t) = teachers.first() {
        assert!(
            class.contains(&t.last_name),
            "teacher {} in {class}",
            t.last_name
        );
    }

    // A pupil's record: provenance and guardians.
    let (pupil, guardian) = pupil_with_guardian(app, a).await;
    let record = page(app, &c, &format!("{base}/personnes/{}", pupil.id)).await;
    assert!(record.contains(&pupil.last_name));
    assert!(record.contains(&guardian.last_name), "guardian shown");
    assert!(record.contains("Provenance") && record.contains("ONDE"));
    assert!(
        record.contains(
            &pupil
                .source_file
                .split(", ")
                .next()
                .unwrap_or("")
                .to_string()
        )
    );
    // A staff record.
    // Two teachers are named FÉLIX in the file: take MARTY's record.
    let félix = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::Kind.eq("staff"))
        .filter(annuaire_person::Column::FirstName.eq("FÉLIX"))
        .filter(annuaire_person::Column::LastName.eq("MARTY"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("MARTY FÉLIX");
    let record = page(app, &c, &format!("{base}/personnes/{}", félix.id)).await;
    assert!(record.contains("MARTY FÉLIX") && record.contains("STS-web"));
}

async fn search_ignores_accents_and_lists_are_paged(app: &TestApp) {
    let a = load(app).await;
    let c = app.signed_in(TEACHER_A).await;
    let base = format!("/etablissements/{a}/annuaire");
    // "lea" finds "Léa" (and "LÉA", "léa" too), not the other pupils.
    for q in ["lea", "LÉA", "léa", "  Lea  "] {
        let body = page(app, &c, &format!("{base}/eleves?q={}", urlencode(q))).await;
        assert!(body.contains("Léa"), "{q}");
        assert!(!body.contains("Kelley"), "{q}: only matching pupils");
    }
    // Two words narrow the search.
    let léa = person_of(app, a, "pupil", "Léa").await;
    let body = page(
        app,
        &c,
        &format!(
            "{base}/eleves?q={}",
            urlencode(&format!("lea {}", léa.last_name.to_lowercase()))
        ),
    )
    .await;
    assert_eq!(count_rows(&body), 1, "{body}");
    // Staff: "felix" finds "FÉLIX".
    let body = page(app, &c, &format!("{base}/personnels?q=felix")).await;
    assert!(body.contains("MARTY FÉLIX"));
    // A LIKE wildcard is just text: "%" alone is no filter at all.
    let all = page(app, &c, &format!("{base}/personnels")).await;
    let pct = page(app, &c, &format!("{base}/personnels?q=%25")).await;
    let summary = |h: &str| {
        h.split("<p role=\"status\">")
            .nth(1)
            .and_then(|x| x.split('<').next())
            .map(str::to_string)
    };
    assert_eq!(summary(&pct), summary(&all));

    // Paging: 50 per page, the rest on page 2, no one twice.
    let total = refnum_db::annuaire::count_people(&app.db.conn, a, "pupil", true)
        .await
        .expect("count");
    assert!(total > 50, "the fixture has more than one page of pupils");
    let p1 = page(app, &c, &format!("{base}/eleves")).await;
    assert_eq!(count_rows(&p1), 50);
    assert!(p1.contains(&format!("{total} personnes")), "count shown");
    assert!(p1.contains("rel=\"next\""));
    let p2 = page(app, &c, &format!("{base}/eleves?page=2&tri=nom")).await;
    assert_eq!(count_rows(&p2) as u64, (total - 50).min(50));
    let pages = total.div_ceil(50);
    let last = page(app, &c, &format!("{base}/eleves?page={pages}")).await;
    assert_eq!(count_rows(&last) as u64, total - 50 * (pages - 1));
    assert!(!last.contains("rel=\"next\""));
    assert!(p2.contains("rel=\"prev\""));
    let names = |html: &str| -> Vec<String> {
        html.split("<th scope=\"row\"><a href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next().map(str::to_string))
            .collect()
    };
    let (n1, n2) = (names(&p1), names(&p2));
    assert!(n1.iter().all(|id| !n2.contains(id)), "pages do not overlap");

    // Sorting on the server: by birth date, newest first.
    let desc = page(app, &c, &format!("{base}/eleves?tri=naissance&ordre=desc")).await;
    assert!(desc.contains("aria-sort=\"descending\""));
    let youngest = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::Kind.eq("pupil"))
        .filter(annuaire_person::Column::Status.eq("active"))
        .all(&app.db.conn)
        .await
        .expect("pupils")
        .into_iter()
        .filter_map(|p| p.birth_date.map(|d| (d, p.id)))
        .max()
        .expect("birth dates");
    assert_eq!(
        names(&desc).first().map(String::as_str),
        Some(format!("{base}/personnes/{}", youngest.1).as_str())
    );
    // Filter by class.
    let code = léa.class_code.clone().expect("class");
    let body = page(
        app,
        &c,
        &format!("{base}/eleves?classe={}", urlencode(&code)),
    )
    .await;
    let in_class = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::ClassCode.eq(code.as_str()))
        .filter(annuaire_person::Column::Status.eq("active"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(count_rows(&body) as u64, in_class.min(50));
}

/// The chips of the active filters, as (label, href) pairs.
fn chips(html: &str) -> Vec<(String, String)> {
    html.split("<a class=\"chip\" href=\"")
        .skip(1)
        .filter_map(|s| {
            let (href, rest) = s.split_once("\">")?;
            let label = rest.split('<').next()?;
            Some((
                label.to_string(),
                href.replace("&#38;", "&").replace("&amp;", "&"),
            ))
        })
        .collect()
}

/// 25, 50 or 100 rows a page, kept by the page and sort links; each active
/// filter is a chip whose link removes that filter only.
async fn lists_offer_25_50_or_100_rows_and_chips_remove_one_filter(app: &TestApp) {
    let a = load(app).await;
    let c = app.signed_in(TEACHER_A).await;
    let base = format!("/etablissements/{a}/annuaire/eleves");
    let total = refnum_db::annuaire::count_people(&app.db.conn, a, "pupil", true)
        .await
        .expect("count");
    assert!(total > 100, "the fixture has more than 100 pupils: {total}");
    for (lignes, rows) in [("25", 25), ("100", 100), ("50", 50), ("37", 50), ("", 50)] {
        let html = page(app, &c, &format!("{base}?lignes={lignes}")).await;
        assert_eq!(count_rows(&html), rows, "lignes={lignes}");
        let next = html
            .split("rel=\"next\"")
            .next()
            .and_then(|h| h.rsplit("href=\"").next())
            .expect("a next link")
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        assert_eq!(
            next.contains(&format!("lignes={rows}")),
            rows != 50,
            "the next link keeps a chosen size only: {next}"
        );
        // The choice is the selected option of its menu.
        assert!(html.contains(&format!("<option value=\"{rows}\" selected>")));
        assert!(chips(&html).is_empty(), "the size is not a filter");
    }
    let html = page(app, &c, &format!("{base}?lignes=25&page=2&tri=nom")).await;
    assert_eq!(count_rows(&html), 25);

    // Two filters, two chips; removing the search keeps the other filter,
    // the sort and the size.
    // The first class of the list's class menu.
    let class = html
        .split("<select id=\"field-classe\"")
        .nth(1)
        .and_then(|m| m.split("<option value=\"").nth(2))
        .and_then(|o| o.split('"').next())
        .map(|v| v.replace("&#38;", "&").replace("&amp;", "&"))
        .expect("a class");
    let html = page(
        app,
        &c,
        &format!(
            "{base}?q=lea&classe={}&partis=1&lignes=25&tri=naissance&ordre=desc",
            urlencode(&class)
        ),
    )
    .await;
    let found = chips(&html);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "Recherche : « lea »");
    assert_eq!(found[1].0, format!("Classe : {class}"));
    assert_eq!(found[2].0, "Inclure les personnes parties");
    let without_q = &found[0].1;
    assert!(!without_q.contains("q=lea"), "{without_q}");
    for kept in [
        "tri=naissance",
        "ordre=desc",
        "lignes=25",
        "partis=1",
        &format!("classe={}", urlencode(&class)),
    ] {
        assert!(without_q.contains(kept), "{kept} kept in {without_q}");
    }
    // Following the chip lists the class without the search.
    let in_class = page(app, &c, without_q).await;
    assert_eq!(chips(&in_class).len(), 2);
    assert!(
        count_rows(&in_class) > count_rows(&html),
        "the class without the search lists more pupils"
    );
    // "Retirer tous les filtres" keeps the sort and the size only.
    let reset = html
        .split("Retirer tous les filtres")
        .next()
        .and_then(|h| h.rsplit("href=\"").next())
        .and_then(|h| h.split('"').next())
        .expect("a reset link")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert_eq!(reset, format!("{base}?tri=naissance&ordre=desc&lignes=25"));
    let all = page(app, &c, &reset).await;
    assert_eq!(count_rows(&all), 25);
    assert!(chips(&all).is_empty());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every directory route of school A, with real record ids.
async fn routes_of(app: &TestApp, a: Uuid) -> Vec<String> {
    let (pupil, guardian) = pupil_with_guardian(app, a).await;
    // Two teachers are named FÉLIX in the file: take MARTY's record.
    let félix = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::Kind.eq("staff"))
        .filter(annuaire_person::Column::FirstName.eq("FÉLIX"))
        .filter(annuaire_person::Column::LastName.eq("MARTY"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("MARTY FÉLIX");
    let class = current_structures(app, a).await[0].id;
    let base = format!("/etablissements/{a}/annuaire");
    vec![
        base.clone(),
        format!("{base}/classes"),
        format!("{base}/classes?archives=1"),
        format!("{base}/classes/{class}"),
        format!("{base}/personnels"),
        format!("{base}/eleves"),
        format!("{base}/personnes/{}", pupil.id),
        format!("{base}/personnes/{}", guardian.id),
        format!("{base}/personnes/{}", félix.id),
    ]
}

async fn a_teacher_of_another_school_gets_404_on_every_directory_route(app: &TestApp) {
    let a = load(app).await;
    let c = app.signed_in(TEACHER_B).await;
    for path in routes_of(app, a).await {
        let (status, body) = get(app, &c, &path).await;
        assert_eq!(status, 404, "GET {path}");
        assert!(!body.contains("FÉLIX") && !body.contains("Léa"), "{path}");
    }
    let before = current_structures(app, a).await.len();
    let r = app
        .post_form(
            &c,
            "/",
            &format!("/etablissements/{a}/annuaire/rentree"),
            &[("year", "2030")],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(current_structures(app, a).await.len(), before);
    let r = app
        .post_form(
            &c,
            "/",
            &format!("/etablissements/{a}/annuaire/conservation"),
            &[("purge_days", "1")],
        )
        .await;
    assert_eq!(r.status(), 404);
    // A person of school A looked up under school B's directory: 404 too.
    let b = app.etab_id(UAI_B).await;
    // Two teachers are named FÉLIX in the file: take MARTY's record.
    let félix = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::Kind.eq("staff"))
        .filter(annuaire_person::Column::FirstName.eq("FÉLIX"))
        .filter(annuaire_person::Column::LastName.eq("MARTY"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("MARTY FÉLIX");
    let (status, _) = get(
        app,
        &c,
        &format!("/etablissements/{b}/annuaire/personnes/{}", félix.id),
    )
    .await;
    assert_eq!(status, 404);
    let class = current_structures(app, a).await[0].id;
    let (status, _) = get(
        app,
        &c,
        &format!("/etablissements/{b}/annuaire/classes/{class}"),
    )
    .await;
    assert_eq!(status, 404);
}

async fn the_collectivite_and_providers_never_see_pupils(app: &TestApp) {
    let a = load(app).await;
    let (pupil, guardian) = pupil_with_guardian(app, a).await;
    let base = format!("/etablissements/{a}/annuaire");
    for who in [REGION, TECH, DANE] {
        let c = app.signed_in(who).await;
        for path in [
            format!("{base}/eleves"),
            format!("{base}/eleves?q=lea"),
            format!("{base}/personnes/{}", pupil.id),
            format!("{base}/personnes/{}", guardian.id),
            format!("{base}/classes"),
            base.clone(),
        ] {
            let (status, body) = get(app, &c, &path).await;
            assert!(
                status == 403 || status == 404,
                "{who}: GET {path} gave {status}"
            );
            assert!(
                !body.contains(&pupil.last_name) && !body.contains("Léa"),
                "{who}: {path} leaks a pupil"
            );
        }
    }
    // Inside its scope the collectivité is refused (403), and it is logged.
    let c = app.signed_in(REGION).await;
    let (status, _) = get(app, &c, &format!("{base}/personnes/{}", pupil.id)).await;
    assert_eq!(status, 403, "the Région owns the Lycée Malherbe");
    let refusals = audit_event::Entity::find()
        .filter(audit_event::Column::Outcome.eq("refused"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert!(refusals > 0, "refusals are audited");
}

async fn the_rollover_archives_earlier_classes_and_is_audited(app: &TestApp) {
    let a = load(app).await;
    let c = app.signed_in(REFERENT_A).await;
    let base = format!("/etablissements/{a}/annuaire");
    let all = current_structures(app, a).await;
    let latest = all.iter().map(|s| s.school_year).max().expect("structures");
    let older: Vec<&annuaire_structure::Model> =
        all.iter().filter(|s| s.school_year < latest).collect();
    assert!(
        !older.is_empty(),
        "the AAF feed's classes are older than STS-web's"
    );
    let old_code = older[0].code.clone();

    // A wrong year: a field error, nothing archived, nothing logged.
    let audit_before = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("annuaire.rollover"))
        .count(&app.db.conn)
        .await
        .expect("count");
    let r = app
        .post_form(
            &c,
            &base,
            &format!("{base}/rentree"),
            &[("year", "deux mille")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("Indiquez une année"), "{body}");
    assert!(body.contains("aria-invalid=\"true\""));
    assert_eq!(current_structures(app, a).await.len(), all.len());

    // The real thing.
    let r = app
        .post_form(
            &c,
            &base,
            &format!("{base}/rentree"),
            &[("year", &latest.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(to.starts_with(&base), "{to}");
    let after = current_structures(app, a).await;
    assert_eq!(after.len(), all.len() - older.len());
    assert!(after.iter().all(|s| s.school_year >= latest));
    let done = page(app, &c, &to).await;
    assert!(done.contains("sont archivés"), "flash message");
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("annuaire.rollover"))
        .all(&app.db.conn)
        .await
        .expect("audit");
    assert_eq!(audit.len() as u64, audit_before + 1);
    assert_eq!(audit[0].etablissement_id, Some(a));

    // The classes page hides archived classes unless asked.
    let classes = page(app, &c, &format!("{base}/classes")).await;
    let archived_only = !after.iter().any(|s| s.code == old_code);
    if archived_only {
        assert!(!classes.contains(&format!(">{old_code}</a>")));
    }
    let with = page(app, &c, &format!("{base}/classes?archives=1")).await;
    assert!(with.contains(&format!(">{old_code}</a>")));
    assert!(with.contains("Archivée"));
}

async fn only_directory_managers_see_the_import_link_and_may_roll_over(app: &TestApp) {
    let a = load(app).await;
    let base = format!("/etablissements/{a}/annuaire");
    let before = current_structures(app, a).await.len();
    let latest = current_structures(app, a)
        .await
        .iter()
        .map(|s| s.school_year)
        .max()
        .expect("structures");

    // A teacher reads the directory but neither imports nor rolls over.
    let t = app.signed_in(TEACHER_A).await;
    let home = page(app, &t, &base).await;
    assert!(!home.contains("/annuaire/import\""), "no import link");
    assert!(!home.contains("/rentree\""), "no rollover form");
    let r = app
        .post_form(
            &t,
            &base,
            &format!("{base}/rentree"),
            &[("year", &latest.to_string())],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(current_structures(app, a).await.len(), before);

    // The referent sees both…
    let c = app.signed_in(REFERENT_A).await;
    let home = page(app, &c, &base).await;
    assert!(home.contains(&format!("href=\"{base}/import\"")));
    assert!(home.contains("Importer des fichiers"));
    // …but a POST without the session's CSRF token is refused.
    let r = c
        .post(app.url(&format!("{base}/rentree")))
        .form(&[("year", latest.to_string())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    let r = c
        .post(app.url(&format!("{base}/rentree")))
        .form(&[
            ("year", latest.to_string()),
            ("csrf_token", "pas-le-bon-jeton".to_string()),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    assert_eq!(current_structures(app, a).await.len(), before);
    // With it, it works.
    let token = extract_csrf(&home).expect("csrf");
    let r = c
        .post(app.url(&format!("{base}/rentree")))
        .form(&[("year", latest.to_string()), ("csrf_token", token)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    assert!(current_structures(app, a).await.len() < before);
}

async fn only_an_administrator_changes_the_deletion_delay_of_departed_people(app: &TestApp) {
    let a = load(app).await;
    let base = format!("/etablissements/{a}/annuaire");
    let action = format!("{base}/conservation");
    let setting = || async {
        refnum_db::settings::get(&app.db.conn, annuaire::PURGE_DAYS_KEY)
            .await
            .expect("setting")
    };
    // The default is shown to whoever reads the directory.
    let t = app.signed_in(TEACHER_A).await;
    let home = page(app, &t, &base).await;
    assert!(home.contains("92 jours après leur départ"), "{home}");
    assert!(!home.contains(&format!("action=\"{action}\"")));
    // The school's referent may not change an instance-wide setting.
    let c = app.signed_in(REFERENT_A).await;
    let r = app
        .post_form(&c, &base, &action, &[("purge_days", "30")])
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(setting().await, None);
    // The administrator may; a wrong value is a field error.
    let admin = app.signed_in(ADMIN).await;
    let home = page(app, &admin, &base).await;
    assert!(home.contains(&format!("action=\"{action}\"")));
    let r = app
        .post_form(&admin, &base, &action, &[("purge_days", "-3")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("entre 1 et 3650"));
    assert_eq!(setting().await, None);
    let r = app
        .post_form(&admin, &base, &action, &[("purge_days", "30")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(setting().await.as_deref(), Some("30"));
    let home = page(app, &t, &base).await;
    assert!(home.contains("30 jours après leur départ"));
    let logged = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("annuaire.purge_delay_changed"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(logged, 1);
}

both_backends!(
    every_page_shows_the_imported_names_with_their_accents,
    search_ignores_accents_and_lists_are_paged,
    lists_offer_25_50_or_100_rows_and_chips_remove_one_filter,
    a_teacher_of_another_school_gets_404_on_every_directory_route,
    the_collectivite_and_providers_never_see_pupils,
    the_rollover_archives_earlier_classes_and_is_audited,
    only_directory_managers_see_the_import_link_and_may_roll_over,
    only_an_administrator_changes_the_deletion_delay_of_departed_people,
);
