//! Re-imports that change known people, for every source: the real export
//! file, then the same file with names, a birth date, a class or groups, a
//! departure or guardians changed, then the original again. Each change is
//! read back from the database and from the person's page; a dry run
//! afterwards has nothing left to apply; a person who comes back is active
//! again and survives the deletion of the leavers' data.

use refnum_db::entities::{annuaire_person, etablissement};
use refnum_services::annuaire::{self, snapshot::InputFile};
use refnum_services::audit::Who;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::path::PathBuf;
use uuid::Uuid;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures"
    ))
    .join(rel)
}

/// A file's bytes as text, one char per byte: edits of ASCII text keep
/// every other byte as it was, whatever the file's encoding.
fn read_bytes_as_text(path: &PathBuf) -> String {
    std::fs::read(path)
        .expect("fixture")
        .iter()
        .map(|&b| b as char)
        .collect()
}

/// Writes `text` (one char per byte) as file `name` in a folder of its own.
fn write_variant(app: &TestApp, folder: &str, name: &str, text: &str) -> InputFile {
    let dir = app.dir.join("variants").join(folder);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(&path, bytes).expect("write");
    InputFile {
        name: name.into(),
        path,
    }
}

/// Replaces the first `from` after `anchor` (which must be there, as must
/// `from` after it).
fn replace_after(text: &str, anchor: &str, from: &str, to: &str) -> String {
    let start = text
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor:?} not in the file"));
    let at = start
        + text[start..]
            .find(from)
            .unwrap_or_else(|| panic!("{from:?} not after {anchor:?}"));
    format!("{}{}{}", &text[..at], to, &text[at + from.len()..])
}

/// Removes the text from `start` (included) to the first `end` after it
/// (included).
fn cut_between(text: &str, start: &str, end: &str) -> String {
    let a = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in the file"));
    let b = a
        + text[a..]
            .find(end)
            .unwrap_or_else(|| panic!("{end:?} not after {start:?}"))
        + end.len();
    format!("{}{}", &text[..a], &text[b..])
}

async fn set_uai(app: &TestApp, id: Uuid, uai: &str) {
    etablissement::Entity::update_many()
        .col_expr(etablissement::Column::Uai, Expr::value(uai))
        .filter(etablissement::Column::Id.eq(id))
        .exec(&app.db.conn)
        .await
        .expect("set uai");
}

/// Imports with the service as the CLI does, and returns the number of
/// changes the preview announced.
async fn import(app: &TestApp, files: Vec<InputFile>, uai: &str) -> u64 {
    let etab = annuaire::etab_by_uai(&app.db, uai)
        .await
        .expect("lookup")
        .expect("school");
    let prepared = annuaire::prepare(&app.db, files, uai, Some(&etab))
        .await
        .expect("prepare")
        .unwrap_or_else(|r| panic!("refused: {}", r.0));
    let announced = prepared.summary.total_changes();
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
    announced
}

/// What a dry run of these files would change now.
async fn pending(app: &TestApp, files: Vec<InputFile>, uai: &str) -> u64 {
    let etab = annuaire::etab_by_uai(&app.db, uai)
        .await
        .expect("lookup")
        .expect("school");
    annuaire::prepare(&app.db, files, uai, Some(&etab))
        .await
        .expect("prepare")
        .unwrap_or_else(|r| panic!("refused: {}", r.0))
        .summary
        .total_changes()
}

async fn person(app: &TestApp, etab: Uuid, source: &str, key: &str) -> annuaire_person::Model {
    annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(etab))
        .filter(annuaire_person::Column::Source.eq(source))
        .filter(annuaire_person::Column::SourceKey.eq(key))
        .one(&app.db.conn)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("person {source}:{key}"))
}

async fn person_by_name(
    app: &TestApp,
    etab: Uuid,
    kind: &str,
    last: &str,
    first: &str,
) -> annuaire_person::Model {
    annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(etab))
        .filter(annuaire_person::Column::Kind.eq(kind))
        .filter(annuaire_person::Column::LastName.eq(last))
        .filter(annuaire_person::Column::FirstName.eq(first))
        .one(&app.db.conn)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("{kind} {last} {first}"))
}

/// The person's page as the school's referent sees it.
async fn person_page(app: &TestApp, c: &reqwest::Client, etab: Uuid, id: Uuid) -> String {
    let path = format!("/etablissements/{etab}/annuaire/personnes/{id}");
    let r = c.get(app.url(&path)).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 200, "GET {path}");
    r.text().await.expect("body")
}

/// The value shown next to a label of the person's page.
fn fact(html: &str, label: &str) -> String {
    let dt = format!("<dt>{label}</dt><dd>");
    html.split(&dt)
        .nth(1)
        .and_then(|rest| rest.split("</dd>").next())
        .map(str::to_string)
        .unwrap_or_default()
}

/// Lets the next step delete the data of anyone marked as gone, at once.
async fn purge_everyone_gone(app: &TestApp) -> u64 {
    refnum_db::settings::put(&app.db.conn, annuaire::PURGE_DAYS_KEY, "0")
        .await
        .expect("setting");
    // A departure recorded in this very second counts as older than "now".
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    annuaire::purge_departed(&app.db).await.expect("purge")
}

async fn guardians_of(app: &TestApp, pupil: Uuid) -> Vec<String> {
    let mut v: Vec<String> = refnum_db::annuaire::guardianships_of(&app.db.conn, pupil, true)
        .await
        .expect("links")
        .into_iter()
        .map(|(_, g)| format!("{} {}", g.last_name, g.first_name))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- SIECLE

const SIECLE: &str = "siecle/siecle-two-valid-students-and-school-year.xml";

/// The SIECLE sample, addressed to the school (its UAJ is deliberately not
/// a valid code), with `edit` applied.
fn siecle_variant(app: &TestApp, folder: &str, edit: impl Fn(String) -> String) -> InputFile {
    let text =
        read_bytes_as_text(&fixture(SIECLE)).replace("<UAJ>123ABC</UAJ>", "<UAJ>0140013N</UAJ>");
    write_variant(app, folder, "ElevesSansAdresses.xml", &edit(text))
}

async fn siecle_reimport_saves_changed_and_returning_pupils(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let original = || siecle_variant(app, "original", |t| t);
    assert!(import(app, vec![original()], UAI_A).await > 0);
    let first = person(app, a, "siecle", "0001").await;
    assert_eq!(first.last_name, "HANDMADE");
    let second = person(app, a, "siecle", "0002").await;
    assert_eq!(second.class_code.as_deref(), Some("4A"));

    // A new name, a corrected birth date, another class.
    let changed = || {
        siecle_variant(app, "changed", |t| {
            let t = t.replace("<NOM_DE_FAMILLE>HANDMADE<", "<NOM_DE_FAMILLE>HANDMODIFIED<");
            let t = t.replace("<DATE_NAISS>31/12/1994<", "<DATE_NAISS>30/11/1994<");
            replace_after(
                &t,
                "<STRUCTURES_ELEVE ELEVE_ID=\"0002\">",
                "<CODE_STRUCTURE>4A<",
                "<CODE_STRUCTURE>3B<",
            )
        })
    };
    assert!(import(app, vec![changed()], UAI_A).await >= 2);
    let first = person(app, a, "siecle", "0001").await;
    assert_eq!(first.last_name, "HANDMODIFIED", "the new name is saved");
    assert_eq!(
        first.birth_date,
        chrono::NaiveDate::from_ymd_opt(1994, 11, 30),
        "the new birth date is saved"
    );
    let second = person(app, a, "siecle", "0002").await;
    assert_eq!(second.class_code.as_deref(), Some("3B"), "the new class");
    let html = person_page(app, &c, a, first.id).await;
    assert_eq!(fact(&html, "Nom"), "HANDMODIFIED", "{html}");
    assert_eq!(fact(&html, "Date de naissance"), "30/11/1994");
    let html = person_page(app, &c, a, second.id).await;
    assert_eq!(fact(&html, "Classe"), "3B");
    assert_eq!(
        pending(app, vec![changed()], UAI_A).await,
        0,
        "nothing left to apply after the import"
    );

    // Pupil 0002 leaves (absent from the next file), then comes back.
    let without = siecle_variant(app, "left", |t| {
        let t = cut_between(&t, "<ELEVE ELEVE_ID=\"0002\">", "</ELEVE>");
        cut_between(
            &t,
            "<STRUCTURES_ELEVE ELEVE_ID=\"0002\">",
            "</STRUCTURES_ELEVE>",
        )
    });
    import(app, vec![without], UAI_A).await;
    assert_eq!(person(app, a, "siecle", "0002").await.status, "left");
    assert!(import(app, vec![original()], UAI_A).await >= 1);
    let back = person(app, a, "siecle", "0002").await;
    assert_eq!(back.status, "active", "a returning pupil is enrolled again");
    assert_eq!(back.left_at, None);
    assert_eq!(back.class_code.as_deref(), Some("4A"));
    let html = person_page(app, &c, a, back.id).await;
    assert_eq!(fact(&html, "Situation"), "Présent", "{html}");
    let first = person(app, a, "siecle", "0001").await;
    assert_eq!(first.last_name, "HANDMADE", "the original name is back");
    assert_eq!(pending(app, vec![original()], UAI_A).await, 0);
    // The deletion of leavers' data spares the pupil who came back.
    purge_everyone_gone(app).await;
    assert_eq!(person(app, a, "siecle", "0002").await.status, "active");
}

// ---------------------------------------------------------------- STS-web

const STS: &str = "sts/sts_emp_0770935Y_2017.xml";
const UAI_STS: &str = "0770935Y";

async fn sts_reimport_saves_changed_and_returning_staff(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let original_text = read_bytes_as_text(&fixture(STS));
    let name = "sts_emp_0770935Y_2017.xml";
    let original = || write_variant(app, "original", name, &original_text);
    set_uai(app, a, UAI_STS).await;
    import(app, vec![original()], UAI_STS).await;
    let durant = person(app, a, "sts", "6717").await;
    assert_eq!(durant.last_name, "DURANT");

    let changed_text = {
        let t = replace_after(
            &original_text,
            "<INDIVIDU ID=\"6717\"",
            "<NOM_USAGE>DURANT<",
            "<NOM_USAGE>DURAND-LEBLANC<",
        );
        replace_after(
            &t,
            "<INDIVIDU ID=\"6717\"",
            "<DATE_NAISSANCE>1955-04-16<",
            "<DATE_NAISSANCE>1955-05-16<",
        )
    };
    let changed = || write_variant(app, "changed", name, &changed_text);
    assert!(import(app, vec![changed()], UAI_STS).await >= 1);
    let durant = person(app, a, "sts", "6717").await;
    assert_eq!(durant.last_name, "DURAND-LEBLANC", "the new name is saved");
    assert_eq!(
        durant.birth_date,
        chrono::NaiveDate::from_ymd_opt(1955, 5, 16)
    );
    set_uai(app, a, UAI_A).await;
    let html = person_page(app, &c, a, durant.id).await;
    assert_eq!(fact(&html, "Nom"), "DURAND-LEBLANC", "{html}");
    assert_eq!(fact(&html, "Date de naissance"), "16/05/1955");
    set_uai(app, a, UAI_STS).await;
    assert_eq!(pending(app, vec![changed()], UAI_STS).await, 0);

    // A teacher leaves, then comes back with the original file.
    let without = cut_between(&original_text, "<INDIVIDU ID=\"7723\"", "</INDIVIDU>");
    import(
        app,
        vec![write_variant(app, "left", name, &without)],
        UAI_STS,
    )
    .await;
    assert_eq!(person(app, a, "sts", "7723").await.status, "left");
    import(app, vec![original()], UAI_STS).await;
    let back = person(app, a, "sts", "7723").await;
    assert_eq!(back.status, "active", "a returning teacher is active again");
    assert_eq!(person(app, a, "sts", "6717").await.last_name, "DURANT");
    assert_eq!(pending(app, vec![original()], UAI_STS).await, 0);
    purge_everyone_gone(app).await;
    assert_eq!(person(app, a, "sts", "7723").await.status, "active");
    set_uai(app, a, UAI_A).await;
    let html = person_page(app, &c, a, back.id).await;
    assert_eq!(fact(&html, "Situation"), "Présent");
}

// ---------------------------------------------------------------- AAF

/// The AAF feed's school whose jointure is 52007.
const UAI_AAF: &str = "0059952R";
const AAF_PUPILS: &str = "aaf/FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml";

fn aaf_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixture("aaf"))
        .expect("aaf fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    v.sort();
    v
}

/// The whole feed, with the pupils' file replaced by `pupils`.
fn aaf_batch(app: &TestApp, folder: &str, pupils: &str) -> Vec<InputFile> {
    aaf_names()
        .into_iter()
        .map(|n| {
            let path = fixture(&format!("aaf/{n}"));
            if AAF_PUPILS.ends_with(&n) {
                write_variant(app, folder, &n, pupils)
            } else {
                InputFile { name: n, path }
            }
        })
        .collect()
}

/// The `<addRequest>` of one person, from its identifier to its end.
fn aaf_anchor(key: &str) -> String {
    format!("<identifier><id>{key}</id></identifier>")
}

async fn aaf_reimport_saves_changed_and_returning_pupils(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let original_text = read_bytes_as_text(&fixture(AAF_PUPILS));
    set_uai(app, a, UAI_AAF).await;
    import(app, aaf_batch(app, "original", &original_text), UAI_AAF).await;
    // Two pupils of the school, with a class.
    let mut pupils = annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(a))
        .filter(annuaire_person::Column::Source.eq("aaf"))
        .filter(annuaire_person::Column::Kind.eq("pupil"))
        .filter(annuaire_person::Column::ClassCode.is_not_null())
        .all(&app.db.conn)
        .await
        .expect("pupils");
    pupils.sort_by(|x, y| x.source_key.cmp(&y.source_key));
    assert!(pupils.len() >= 2, "the school has pupils with a class");
    let (one, two) = (pupils[0].clone(), pupils[1].clone());
    let class = one.class_code.clone().unwrap_or_default();
    let anchor = aaf_anchor(&one.source_key);
    let sn = format!("<attr name=\"sn\"><value>{}</value>", one.last_name);
    let birth = one
        .birth_date
        .expect("birth date")
        .format("%d/%m/%Y")
        .to_string();
    let changed_text = {
        let t = replace_after(
            &original_text,
            &anchor,
            &sn,
            "<attr name=\"sn\"><value>Nouveaunom</value>",
        );
        let t = replace_after(
            &t,
            &anchor,
            &format!("<attr name=\"ENTPersonDateNaissance\"><value>{birth}<"),
            "<attr name=\"ENTPersonDateNaissance\"><value>01/02/2003<",
        );
        replace_after(&t, &anchor, &format!("${class}<"), "$AUTRECLASSE<")
    };
    assert!(import(app, aaf_batch(app, "changed", &changed_text), UAI_AAF).await >= 1);
    let now = person(app, a, "aaf", &one.source_key).await;
    assert_eq!(now.last_name, "Nouveaunom", "the new name is saved");
    assert_eq!(now.birth_date, chrono::NaiveDate::from_ymd_opt(2003, 2, 1));
    assert_eq!(now.class_code.as_deref(), Some("AUTRECLASSE"));
    set_uai(app, a, UAI_A).await;
    let html = person_page(app, &c, a, now.id).await;
    assert_eq!(fact(&html, "Nom"), "Nouveaunom", "{html}");
    assert_eq!(fact(&html, "Classe"), "AUTRECLASSE");
    assert_eq!(fact(&html, "Date de naissance"), "01/02/2003");
    set_uai(app, a, UAI_AAF).await;
    assert_eq!(
        pending(app, aaf_batch(app, "changed", &changed_text), UAI_AAF).await,
        0
    );

    // The second pupil leaves, then comes back.
    let without = cut_between(
        &original_text,
        &format!(
            "<addRequest>\n<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n{}",
            aaf_anchor(&two.source_key)
        ),
        "</addRequest>",
    );
    import(app, aaf_batch(app, "left", &without), UAI_AAF).await;
    assert_eq!(person(app, a, "aaf", &two.source_key).await.status, "left");
    import(app, aaf_batch(app, "original", &original_text), UAI_AAF).await;
    let back = person(app, a, "aaf", &two.source_key).await;
    assert_eq!(back.status, "active", "a returning pupil is enrolled again");
    let one_again = person(app, a, "aaf", &one.source_key).await;
    assert_eq!(
        one_again.last_name, one.last_name,
        "the original name is back"
    );
    assert_eq!(one_again.class_code, one.class_code);
    assert_eq!(
        pending(app, aaf_batch(app, "original", &original_text), UAI_AAF).await,
        0
    );
    purge_everyone_gone(app).await;
    assert_eq!(
        person(app, a, "aaf", &two.source_key).await.status,
        "active"
    );
    set_uai(app, a, UAI_A).await;
}

// ---------------------------------------------------------------- ONDE

fn onde_batch(
    app: &TestApp,
    folder: &str,
    edit: &dyn Fn(&str, String) -> String,
) -> Vec<InputFile> {
    ["eleves", "enseignants", "responsables"]
        .iter()
        .map(|k| {
            let name = format!("CSVExtraction-{k}.csv");
            let text = read_bytes_as_text(&fixture(&format!("be1d/{name}")));
            write_variant(app, folder, &name, &edit(k, text))
        })
        .collect()
}

async fn onde_reimport_saves_changed_classes_guardians_and_returns(app: &TestApp) {
    app.demo().await;
    let b = app.etab_id(UAI_B).await;
    let c = app.signed_in(REFERENT_B).await;
    let same = |_: &str, t: String| t;
    import(app, onde_batch(app, "original", &same), UAI_B).await;
    let mathilde = person_by_name(app, b, "pupil", "BELMAHDI", "Mathilde").await;
    assert_eq!(mathilde.class_code.as_deref(), Some("CE1"));
    let nawres = person_by_name(app, b, "pupil", "ALBERT", "Nawres").await;
    let nawres_guardians = guardians_of(app, nawres.id).await;
    assert!(nawres_guardians.contains(&"ALBERT Norbert".to_string()));
    assert!(
        !guardians_of(app, mathilde.id)
            .await
            .contains(&"ALBERT Norbert".to_string())
    );

    // Mathilde moves to CE2; Norbert ALBERT is now named as Mathilde's
    // guardian instead of Nawres's.
    let edit = |k: &str, t: String| match k {
        "eleves" => replace_after(
            &t,
            "\"BELMAHDI\";;\"Mathilde\"",
            "\"CE1\";\"CE1\"",
            "\"CE2\";\"CE2\"",
        ),
        "responsables" => replace_after(
            &t,
            "M.;;ALBERT;Norbert;",
            ";ALBERT;Nawres;TPS;",
            ";BELMAHDI;Mathilde;CE2;",
        ),
        _ => t,
    };
    import(app, onde_batch(app, "changed", &edit), UAI_B).await;
    let mathilde = person(app, b, "onde", &mathilde.source_key).await;
    assert_eq!(mathilde.class_code.as_deref(), Some("CE2"), "the new class");
    assert!(
        guardians_of(app, mathilde.id)
            .await
            .contains(&"ALBERT Norbert".to_string()),
        "the new guardian is linked"
    );
    assert!(
        !guardians_of(app, nawres.id)
            .await
            .contains(&"ALBERT Norbert".to_string()),
        "the old link is gone"
    );
    let html = person_page(app, &c, b, mathilde.id).await;
    assert_eq!(fact(&html, "Classe"), "CE2", "{html}");
    assert!(html.contains("ALBERT Norbert"), "the guardian on the page");
    assert_eq!(
        pending(app, onde_batch(app, "changed", &edit), UAI_B).await,
        0
    );

    // Mathilde leaves, then comes back.
    let gone = |k: &str, t: String| match k {
        "eleves" => cut_between(&t, "\"BELMAHDI\";;\"Mathilde\"", "\n"),
        _ => t,
    };
    import(app, onde_batch(app, "left", &gone), UAI_B).await;
    assert_eq!(
        person(app, b, "onde", &mathilde.source_key).await.status,
        "left"
    );
    import(app, onde_batch(app, "original", &same), UAI_B).await;
    let back = person(app, b, "onde", &mathilde.source_key).await;
    assert_eq!(back.status, "active", "a returning pupil is enrolled again");
    assert_eq!(back.class_code.as_deref(), Some("CE1"));
    assert_eq!(guardians_of(app, nawres.id).await, nawres_guardians);
    assert_eq!(
        pending(app, onde_batch(app, "original", &same), UAI_B).await,
        0
    );
    purge_everyone_gone(app).await;
    assert_eq!(
        person(app, b, "onde", &mathilde.source_key).await.status,
        "active"
    );
    let html = person_page(app, &c, b, back.id).await;
    assert_eq!(fact(&html, "Situation"), "Présent");
}

both_backends!(
    siecle_reimport_saves_changed_and_returning_pupils,
    sts_reimport_saves_changed_and_returning_staff,
    aaf_reimport_saves_changed_and_returning_pupils,
    onde_reimport_saves_changed_classes_guardians_and_returns,
);
