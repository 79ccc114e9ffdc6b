//! Directory imports on the real export files of `shared/fixtures`: preview,
//! apply, idempotence, refusals that change nothing, and the web flow.

use refnum_db::entities::{
    annuaire_import, annuaire_nomenclature, annuaire_person, annuaire_structure, audit_event,
    etablissement,
};
use refnum_services::annuaire::{self, CreateSchool, snapshot::InputFile};
use refnum_services::audit::Who;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::path::PathBuf;

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

fn onde_files() -> Vec<InputFile> {
    ["eleves", "enseignants", "responsables"]
        .iter()
        .map(|k| input(fixture(&format!("be1d/CSVExtraction-{k}.csv"))))
        .collect()
}

/// Everything an import may touch, counted.
async fn state(app: &TestApp) -> [u64; 6] {
    let c = &app.db.conn;
    [
        annuaire_person::Entity::find()
            .count(c)
            .await
            .expect("count"),
        annuaire_structure::Entity::find()
            .count(c)
            .await
            .expect("count"),
        annuaire_nomenclature::Entity::find()
            .count(c)
            .await
            .expect("count"),
        annuaire_import::Entity::find()
            .count(c)
            .await
            .expect("count"),
        etablissement::Entity::find().count(c).await.expect("count"),
        audit_event::Entity::find().count(c).await.expect("count"),
    ]
}

async fn academie(app: &TestApp) -> uuid::Uuid {
    refnum_db::orgs::list_academies(&app.db.conn)
        .await
        .expect("academies")[0]
        .id
}

async fn people(app: &TestApp, etab: uuid::Uuid, kind: &str) -> Vec<annuaire_person::Model> {
    annuaire_person::Entity::find()
        .filter(annuaire_person::Column::EtablissementId.eq(etab))
        .filter(annuaire_person::Column::Kind.eq(kind))
        .all(&app.db.conn)
        .await
        .expect("people")
}

fn no_mojibake(people: &[annuaire_person::Model]) {
    for p in people {
        for s in [&p.last_name, &p.first_name] {
            assert!(
                !s.contains('Ã') && !s.contains('\u{FFFD}') && !s.contains("Â"),
                "badly decoded name: {s}"
            );
        }
    }
}

/// Imports a batch with the service, as the CLI does.
async fn import(
    app: &TestApp,
    files: Vec<InputFile>,
    uai: &str,
    create: bool,
) -> Result<annuaire::diff::Summary, String> {
    let etab = annuaire::etab_by_uai(&app.db, uai).await.expect("lookup");
    let prepared = annuaire::prepare(&app.db, files, uai, etab.as_ref())
        .await
        .expect("prepare")
        .map_err(|r| r.0)?;
    let create = if create && etab.is_none() {
        Some(CreateSchool {
            academie_id: academie(app).await,
        })
    } else {
        None
    };
    annuaire::apply(&app.db, &Who::system("test"), prepared, etab, create, None)
        .await
        .expect("apply")
        .map(|(_, s)| s)
        .map_err(|r| r.0)
}

async fn sts_creates_the_school_and_a_second_import_changes_nothing(app: &TestApp) {
    app.demo().await;
    let file = fixture("sts/sts_emp_0770935Y_2017.xml");
    // Counted independently: every staff member is an <INDIVIDU …> element,
    // plus the substitutes (<SUPPLEANT …>) the file lists with their services.
    let raw = std::fs::read(&file).expect("fixture");
    let text: String = raw.iter().map(|&b| b as char).collect();
    let individus = text.matches("<INDIVIDU ").count() as u64;
    assert_eq!(individus, 136);

    // Unknown school, no creation asked: refused, nothing changes.
    let before = state(app).await;
    let e = import(app, vec![input(file.clone())], "0770935Y", false)
        .await
        .expect_err("unknown school");
    assert!(
        e.contains("0770935Y") && e.contains("n'est pas connu"),
        "{e}"
    );
    assert_eq!(state(app).await, before);

    let s = import(app, vec![input(file.clone())], "0770935Y", true)
        .await
        .expect("import");
    assert!(s.creates_school);
    assert_eq!(s.school_year, 2017);
    assert!(s.staff.add >= individus, "{:?}", s.staff);
    let etab = annuaire::etab_by_uai(&app.db, "0770935Y")
        .await
        .expect("lookup")
        .expect("school created from the file");
    assert!(etab.name.contains("JULES VERNES"), "{}", etab.name);
    let staff = people(app, etab.id, "staff").await;
    assert_eq!(staff.len() as u64, s.staff.add);
    no_mojibake(&staff);
    assert!(
        staff.iter().any(|p| p.first_name == "LÉONARD"),
        "accents of the ISO-8859-15 file kept"
    );
    for p in &staff {
        assert_eq!(p.source, "sts");
        assert_eq!(p.source_file, "sts_emp_0770935Y_2017.xml");
    }
    let mission = annuaire_nomenclature::Entity::find()
        .filter(annuaire_nomenclature::Column::EtablissementId.eq(etab.id))
        .filter(annuaire_nomenclature::Column::Kind.eq("mission"))
        .filter(annuaire_nomenclature::Column::Code.eq("9162"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("mission 9162 imported");
    assert!(
        mission.short_label.as_deref() == Some("REF.NUM") || mission.label.contains("NUM"),
        "{mission:?}"
    );
    let divisions = annuaire_structure::Entity::find()
        .filter(annuaire_structure::Column::EtablissementId.eq(etab.id))
        .filter(annuaire_structure::Column::Kind.eq("division"))
        .count(&app.db.conn)
        .await
        .expect("count");
    assert!(divisions > 0);

    // The same file again: nothing to change, and said so.
    let again = annuaire::prepare(&app.db, vec![input(file)], "0770935Y", Some(&etab))
        .await
        .expect("prepare")
        .expect("accepted");
    assert_eq!(again.summary.total_changes(), 0, "{:?}", again.summary);
    assert!(
        again.warnings.iter().any(|w| w.contains("identiques")),
        "{:?}",
        again.warnings
    );
}

async fn aaf_feed_imports_one_schools_people_and_is_idempotent(app: &TestApp) {
    app.demo().await;
    // In the feed, struct 52006 is UAI 0059951P (EtabEducNat); its pupils
    // and staff carry ENTPersonStructRattach = 52006: counted with
    // `grep -c 'ENTPersonStructRattach"><value>52006'` on the files.
    let s = import(app, aaf_files(), "0059951P", true)
        .await
        .expect("import");
    assert_eq!(s.pupils.add, 56, "{:?}", s.pupils);
    assert_eq!(s.staff.add, 61, "{:?}", s.staff);
    assert_eq!(s.school_year, 2012, "the feed is dated 2013-01-17");
    let etab = annuaire::etab_by_uai(&app.db, "0059951P")
        .await
        .expect("lookup")
        .expect("created");
    let pupils = people(app, etab.id, "pupil").await;
    no_mojibake(&pupils);
    // ENTPersonJointure 2605692 is "Kù Long" (several pupils of the feed are
    // named Kù).
    let ku = pupils
        .iter()
        .find(|p| p.source_key == "2605692")
        .expect("pupil 2605692");
    assert_eq!(ku.first_name, "Kù", "the UTF-8 name is intact");
    assert_eq!(ku.last_name, "Long");
    assert_eq!(ku.class_code.as_deref(), Some("RUS1TERM"));
    assert_eq!(
        ku.birth_date,
        chrono::NaiveDate::from_ymd_opt(1995, 9, 14),
        "dd/mm/yyyy read"
    );
    let again = import(app, aaf_files(), "0059951P", false)
        .await
        .expect("again");
    assert_eq!(again.total_changes(), 0, "{again:?}");

    // The same feed dated a year later, then the 2013 one again: the older
    // delivery is flagged in the preview.
    let later: Vec<InputFile> = aaf_files()
        .into_iter()
        .map(|f| {
            let name = f.name.replace("_20130117_", "_20140117_");
            let bytes = std::fs::read(&f.path).expect("fixture");
            temp_file(app, &name, &bytes)
        })
        .collect();
    import(app, later, "0059951P", false).await.expect("later");
    let older = annuaire::prepare(&app.db, aaf_files(), "0059951P", Some(&etab))
        .await
        .expect("prepare")
        .expect("accepted");
    assert!(
        older.warnings.iter().any(|w| w.contains("plus anciens")),
        "{:?}",
        older.warnings
    );

    // Guardians alone (no Eleve file): a warning, and no guardian of the
    // school is marked as gone for being absent.
    let alone: Vec<InputFile> = aaf_files()
        .into_iter()
        .filter(|f| f.name.contains("EtabEducNat") || f.name.contains("PersRelEleve"))
        .collect();
    let guardians_alone = annuaire::prepare(&app.db, alone, "0059951P", Some(&etab))
        .await
        .expect("prepare")
        .expect("accepted");
    assert!(
        guardians_alone
            .warnings
            .iter()
            .any(|w| w.contains("importez ensemble")),
        "{:?}",
        guardians_alone.warnings
    );
    assert_eq!(guardians_alone.summary.guardians.deactivate, 0);

    // The same feed for a school it does not describe: refused, unchanged.
    let before = state(app).await;
    let e = import(app, aaf_files(), UAI_A, false)
        .await
        .expect_err("another school's feed");
    assert!(e.contains(UAI_A) && e.contains("n'y figure pas"), "{e}");
    assert_eq!(state(app).await, before);
}

async fn the_newer_aaf_sample_creates_its_school_with_a_warning_on_its_code(app: &TestApp) {
    app.demo().await;
    let files: Vec<InputFile> = ["EtabEducNat", "Eleve"]
        .iter()
        .map(|k| {
            input(fixture(&format!(
                "aaf/small/ENT_Complet_20200101_{k}_0000.xml"
            )))
        })
        .collect();
    let etab = None;
    let prepared = annuaire::prepare(&app.db, files.clone(), "0000000V", etab)
        .await
        .expect("prepare")
        .expect("accepted");
    // 0000000V fails the check letter: a warning, not a refusal.
    assert!(
        prepared
            .warnings
            .iter()
            .any(|w| w.contains("0000000V") && w.contains("n'est pas valide")),
        "{:?}",
        prepared.warnings
    );
    // In this feed the pupil names its school by ENTEleveStructRattachId.
    assert_eq!(prepared.summary.pupils.add, 1, "{:?}", prepared.summary);
    let s = import(app, files.clone(), "0000000V", true)
        .await
        .expect("import");
    assert_eq!(s.pupils.add, 1);
    assert_eq!(
        s.school_year, 2019,
        "dated 2020-01-01: school year 2019-2020"
    );
    let again = import(app, files, "0000000V", false).await.expect("again");
    assert_eq!(again.total_changes(), 0, "{again:?}");
}

async fn onde_csv_imports_pupils_teachers_and_guardians(app: &TestApp) {
    app.demo().await;
    let s = import(app, onde_files(), UAI_B, false)
        .await
        .expect("import");
    // The pupils file has a header and 247 rows (`wc -l` says 247: the last
    // row has no line end); the teachers file a header and 14 rows.
    assert_eq!(s.pupils.add, 247, "{:?}", s.pupils);
    assert_eq!(s.staff.add, 14, "{:?}", s.staff);
    assert!(s.guardians.add > 0, "{:?}", s.guardians);
    let etab = annuaire::etab_by_uai(&app.db, UAI_B)
        .await
        .expect("lookup")
        .expect("demo school");
    let pupils = people(app, etab.id, "pupil").await;
    no_mojibake(&pupils);
    assert!(pupils.iter().any(|p| p.first_name == "Maëlle"));
    assert!(pupils.iter().any(|p| p.first_name == "Eléa"));
    // ADJIBEL Corinne is the guardian of three children of the school.
    let g = people(app, etab.id, "guardian")
        .await
        .into_iter()
        .find(|g| g.last_name == "ADJIBEL")
        .expect("guardian");
    let links = refnum_db::annuaire::guardianships_of(&app.db.conn, g.id, false)
        .await
        .expect("links");
    assert_eq!(links.len(), 3, "{links:?}");
    let again = import(app, onde_files(), UAI_B, false)
        .await
        .expect("again");
    assert_eq!(again.total_changes(), 0, "{again:?}");
}

async fn the_siecle_sample_is_refused_for_its_invalid_school_code(app: &TestApp) {
    app.demo().await;
    let before = state(app).await;
    let e = import(
        app,
        vec![input(fixture(
            "siecle/siecle-two-valid-students-and-school-year.xml",
        ))],
        UAI_A,
        false,
    )
    .await
    .expect_err("the sample's UAJ is 123ABC");
    assert!(e.contains("123ABC") && e.contains("invalide"), "{e}");
    assert_eq!(state(app).await, before);
}

fn temp_file(app: &TestApp, name: &str, bytes: &[u8]) -> InputFile {
    let dir = app.dir.join("bad");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    InputFile {
        name: name.into(),
        path,
    }
}

async fn broken_and_hostile_files_change_nothing(app: &TestApp) {
    app.demo().await;
    // A first import, so that there is something to keep intact.
    import(app, onde_files(), UAI_B, false)
        .await
        .expect("import");
    let sts = std::fs::read(fixture("sts/sts_emp_0770935Y_2017.xml")).expect("fixture");
    let eleve = std::fs::read(fixture(
        "aaf/FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml",
    ))
    .expect("fixture");
    let bomb = br#"<?xml version="1.0"?>
<!DOCTYPE ficAlimMENESR [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<ficAlimMENESR><addRequest><attributes><attr name="sn"><value>&c;</value></attr></attributes></addRequest></ficAlimMENESR>"#;
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE ficAlimMENESR [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<ficAlimMENESR><addRequest><attributes><attr name="sn"><value>&x;</value></attr></attributes></addRequest></ficAlimMENESR>"#;
    let mut bad_csv = std::fs::read(fixture("be1d/CSVExtraction-eleves.csv")).expect("fixture");
    if bad_csv.last() != Some(&b'\n') {
        bad_csv.extend_from_slice(b"\r\n");
    }
    bad_csv.extend_from_slice(b"\"DUPONT\";\"seulement trois\";\"colonnes\"\r\n");
    let cases: Vec<(Vec<InputFile>, &str, &str)> = vec![
        (
            vec![temp_file(
                app,
                "sts_emp_0141816Y_2017.xml",
                &sts[..sts.len() / 2],
            )],
            UAI_B,
            "ligne",
        ),
        (
            vec![temp_file(
                app,
                "ENT_Complet_20200101_Eleve_0000.xml",
                &eleve[..eleve.len() * 2 / 3],
            )],
            UAI_B,
            "ligne",
        ),
        (
            vec![temp_file(app, "ENT_Complet_20200101_Eleve_0009.xml", bomb)],
            UAI_B,
            "ENTITY",
        ),
        (
            vec![temp_file(app, "ENT_Complet_20200101_Eleve_0010.xml", xxe)],
            UAI_B,
            "ENTITY",
        ),
        (
            vec![input(fixture("sts/sts_emp_0770935Y_2017.xml"))],
            UAI_B,
            "0770935Y",
        ),
        (
            vec![
                input(fixture("be1d/CSVExtraction-enseignants.csv")),
                temp_file(app, "CSVExtraction-eleves.csv", &bad_csv),
            ],
            UAI_B,
            "ligne 249",
        ),
    ];
    for (files, uai, needle) in cases {
        let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
        let before = state(app).await;
        let e = import(app, files, uai, false).await.expect_err("refused");
        assert!(e.contains(needle), "{names:?}: {e}");
        assert_eq!(state(app).await, before, "{names:?} changed the database");
    }
}

/// Posts files as the import form does: the CSRF token first.
async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    form_page: &str,
    action: &str,
    token: Option<&str>,
    uai: Option<&str>,
    files: &[(&str, Vec<u8>)],
) -> reqwest::Response {
    let csrf = app.csrf(c, form_page).await;
    let mut form = reqwest::multipart::Form::new();
    if let Some(t) = token {
        form = form.text(
            "csrf_token",
            if t.is_empty() { csrf } else { t.to_string() },
        );
    }
    if let Some(u) = uai {
        form = form.text("uai", u.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    c.post(app.url(action))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

fn onde_bytes() -> Vec<(&'static str, Vec<u8>)> {
    ["eleves", "enseignants", "responsables"]
        .iter()
        .map(|k| {
            let name: &'static str = match *k {
                "eleves" => "CSVExtraction-eleves.csv",
                "enseignants" => "CSVExtraction-enseignants.csv",
                _ => "CSVExtraction-responsables.csv",
            };
            (
                name,
                std::fs::read(fixture(&format!("be1d/{name}"))).expect("fixture"),
            )
        })
        .collect()
}

async fn a_referent_uploads_previews_and_applies_in_the_browser(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(UAI_A).await;
    let form_page = format!("/etablissements/{etab}/annuaire/import");
    let c = app.signed_in(REFERENT_A).await;
    let page = c.get(app.url(&form_page)).send().await.expect("form");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("enctype=\"multipart/form-data\""));

    // Without the token first, or with a wrong one: 403, nothing stored.
    let fresh: Vec<reqwest::Client> = vec![
        app.signed_in(REFERENT_A).await,
        app.signed_in(REFERENT_A).await,
    ];
    let before = state(app).await;
    for (token, c) in [None, Some("forged")].into_iter().zip(&fresh) {
        let r = upload(app, c, &form_page, &form_page, token, None, &onde_bytes()).await;
        assert_eq!(r.status(), 403);
    }
    assert_eq!(state(app).await, before);

    // A broken file: the form again with the message, nothing stored.
    let sts = std::fs::read(fixture("sts/sts_emp_0770935Y_2017.xml")).expect("fixture");
    let r = upload(
        app,
        &c,
        &form_page,
        &form_page,
        Some(""),
        None,
        &[("sts_emp_0140013N_2017.xml", sts[..sts.len() / 3].to_vec())],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("ligne"), "the line is named");
    assert_eq!(state(app).await, before);

    // The real files: a preview, then apply.
    let r = upload(
        app,
        &c,
        &form_page,
        &form_page,
        Some(""),
        None,
        &onde_bytes(),
    )
    .await;
    assert_eq!(r.status(), 303);
    let preview = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string();
    assert!(preview.starts_with("/annuaire/imports/"), "{preview}");
    let after_preview = state(app).await;
    assert_eq!(after_preview[0], before[0], "a preview changes no person");
    let html = c
        .get(app.url(&preview))
        .send()
        .await
        .expect("preview")
        .text()
        .await
        .expect("body");
    assert!(html.contains("247"), "pupils to add are counted");
    assert!(html.contains("CSVExtraction-eleves.csv"));
    // Another school's referent does not see it; a teacher cannot apply it.
    let other = app.signed_in(REFERENT_B).await;
    let r = other.get(app.url(&preview)).send().await.expect("get");
    assert_eq!(r.status(), 404);
    let teacher = app.signed_in(TEACHER_A).await;
    let r = app
        .post_form(&teacher, "/", &format!("{preview}/appliquer"), &[])
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(state(app).await[0], before[0]);

    let r = app
        .post_form(&c, &preview, &format!("{preview}/appliquer"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let pupils = people(app, etab, "pupil").await;
    assert_eq!(pupils.len(), 247);
    no_mojibake(&pupils);
    let html = c
        .get(app.url(&preview))
        .send()
        .await
        .expect("preview")
        .text()
        .await
        .expect("body");
    assert!(html.contains("Import appliqué"));
    // Applying twice does nothing more.
    let r = app
        .post_form(&c, &preview, &format!("{preview}/appliquer"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(people(app, etab, "pupil").await.len(), 247);
    // The uploaded copies are gone once applied.
    let dir = app.dir.join("files").join("imports");
    let left = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "uploaded files deleted after apply");
    let (events, _) = refnum_db::audit::list(&app.db.conn, Some(etab), 0, 50)
        .await
        .expect("audit");
    assert!(
        events.iter().any(|e| e.action == "annuaire.import_applied"),
        "audited"
    );
}

async fn the_admin_creates_a_school_from_its_own_file_after_confirming(app: &TestApp) {
    app.demo().await;
    let c = app.signed_in(ADMIN).await;
    let form_page = "/admin/annuaire/import";
    let sts = std::fs::read(fixture("sts/sts_emp_0770935Y_2017.xml")).expect("fixture");
    let r = upload(
        app,
        &c,
        form_page,
        form_page,
        Some(""),
        Some("0770935Y"),
        &[("sts_emp_0770935Y_2017.xml", sts)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let preview = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string();
    let html = c
        .get(app.url(&preview))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("JULES VERNES"),
        "the school to create is shown"
    );
    // A referent of a school cannot see a preview of a school to create.
    let referent = app.signed_in(REFERENT_A).await;
    let r = referent.get(app.url(&preview)).send().await.expect("get");
    assert_eq!(r.status(), 404);
    let ac = academie(app).await.to_string();
    // Without the confirmation: refused, nothing created.
    let r = app
        .post_form(
            &c,
            &preview,
            &format!("{preview}/appliquer"),
            &[("academie_id", ac.as_str())],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        annuaire::etab_by_uai(&app.db, "0770935Y")
            .await
            .expect("lookup")
            .is_none()
    );
    let r = app
        .post_form(
            &c,
            &preview,
            &format!("{preview}/appliquer"),
            &[("academie_id", ac.as_str()), ("confirm", "oui")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let etab = annuaire::etab_by_uai(&app.db, "0770935Y")
        .await
        .expect("lookup")
        .expect("created");
    assert!(!people(app, etab.id, "staff").await.is_empty());
}

both_backends!(
    a_referent_uploads_previews_and_applies_in_the_browser,
    the_admin_creates_a_school_from_its_own_file_after_confirming,
);

both_backends!(
    sts_creates_the_school_and_a_second_import_changes_nothing,
    aaf_feed_imports_one_schools_people_and_is_idempotent,
    onde_csv_imports_pupils_teachers_and_guardians,
    the_newer_aaf_sample_creates_its_school_with_a_warning_on_its_code,
    the_siecle_sample_is_refused_for_its_invalid_school_code,
    broken_and_hostile_files_change_nothing,
);
