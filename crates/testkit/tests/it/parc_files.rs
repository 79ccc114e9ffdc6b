//! Parc files: asset list import (preview, per-line errors, apply,
//! re-import), CSV and ODS exports, QR label sheets; the school's scope
//! route by route.

use refnum_db::entities::parc::{parc_asset, parc_asset_event, parc_building, parc_room};
use refnum_services::parc::files::read_ods_text;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

const REFERENT: &str = "referent.malherbe@ac-normandie.test";
const OTHER_REFERENT: &str = "referent.monod@ac-normandie.test";
const TEACHER: &str = "enseignant.malherbe@ac-normandie.test";
const MALHERBE: &str = "0140013N";
const MONOD: &str = "0141816Y";

const HEADER: &str = "numero_inventaire;categorie;fabricant;modele;numero_serie;proprietaire;financement;date_achat;fin_garantie;salle;batiment;statut;parent;detenteur;notes";

fn own_file() -> String {
    format!(
        "{HEADER}\r\n\
         CHA-01;Chariot mobile;;;;Région Normandie;;2022-09-01;;CDI;Bâtiment A;en service;;;Chariot de 16 tablettes\r\n\
         TAB-01;tablette;Apple;iPad 9;SN-T1;Région Normandie;;2022-09-01;2025-09-01;CDI;Bâtiment A;en service;CHA-01;;\r\n\
         VP-B12;vidéoprojecteur;Epson;EB-W51;SN-VP;établissement;Crédits pédagogiques;01/03/2021;01/03/2024;B12;;en panne;;;\r\n"
    )
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    bytes: Vec<u8>,
    csrf: Option<String>,
) -> reqwest::Response {
    let path = format!("/etablissements/{etab}/parc/import");
    let token = match csrf {
        Some(t) => t,
        // Any page of the session carries its token.
        None => app.csrf(c, "/").await,
    };
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("parc.csv"),
        );
    c.post(app.url(&path))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

/// Uploads and follows to the preview: (preview path, page).
async fn preview_of(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    bytes: Vec<u8>,
) -> (String, String) {
    let r = upload(app, c, etab, bytes, None).await;
    assert_eq!(r.status(), 303, "upload refused");
    let to = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string();
    assert!(to.starts_with(&format!("/etablissements/{etab}/parc/import/")));
    let r = c.get(app.url(&to)).send().await.expect("preview");
    assert_eq!(r.status(), 200);
    (to, r.text().await.expect("body"))
}

async fn count_assets(app: &TestApp, etab: Uuid) -> u64 {
    parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(etab))
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn asset(app: &TestApp, etab: Uuid, number: &str) -> parc_asset::Model {
    parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(etab))
        .filter(parc_asset::Column::InventoryNumber.eq(number))
        .one(&app.db.conn)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("asset {number}"))
}

/// `<dt>label</dt><dd>value</dd>` of the preview's counts.
fn count_on(html: &str, label: &str) -> String {
    let marker = format!("<dt>{label}</dt><dd>");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {label} on the page"))
        + marker.len();
    html[start..]
        .split("</dd>")
        .next()
        .unwrap_or("")
        .to_string()
}

async fn apply(app: &TestApp, c: &reqwest::Client, preview: &str) -> reqwest::Response {
    app.post_form(c, preview, &format!("{preview}/appliquer"), &[])
        .await
}

async fn import_preview_apply_and_reimport(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(MALHERBE).await;
    let c = app.signed_in(REFERENT).await;
    let form = c
        .get(app.url(&format!("/etablissements/{etab}/parc/import")))
        .send()
        .await
        .expect("form");
    assert_eq!(form.status(), 200);
    assert!(
        form.text()
            .await
            .expect("body")
            .contains("enctype=\"multipart/form-data\"")
    );

    let (preview, html) = preview_of(app, &c, etab, own_file().into_bytes()).await;
    assert_eq!(count_on(&html, "Équipements lus"), "3");
    assert_eq!(count_on(&html, "À ajouter"), "3");
    assert_eq!(count_on(&html, "À mettre à jour"), "0");
    assert!(html.contains("Bâtiment A"), "new building announced");
    assert!(
        html.contains("CDI (Bâtiment A)") && html.contains("B12"),
        "new rooms announced"
    );
    assert!(html.contains("/appliquer\""), "apply button");
    // Nothing is written by the preview.
    assert_eq!(count_assets(app, etab).await, 0);

    let r = apply(app, &c, &preview).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/etablissements/{etab}/parc?fait=parcfiles-imported").as_str())
    );
    assert_eq!(count_assets(app, etab).await, 3);
    let tab = asset(app, etab, "TAB-01").await;
    let cart = asset(app, etab, "CHA-01").await;
    let vp = asset(app, etab, "VP-B12").await;
    assert_eq!(tab.category, "tablet");
    assert_eq!(tab.parent_id, Some(cart.id));
    assert_eq!(tab.owner, "collectivite");
    assert_eq!(tab.owner_label.as_deref(), Some("Région Normandie"));
    assert_eq!(
        tab.warranty_end,
        chrono::NaiveDate::from_ymd_opt(2025, 9, 1)
    );
    assert_eq!(
        (vp.category.as_str(), vp.status.as_str()),
        ("projector", "broken")
    );
    assert_eq!(vp.owner, "etablissement");
    assert_eq!(vp.funding.as_deref(), Some("Crédits pédagogiques"));
    assert_eq!(
        vp.purchase_date,
        chrono::NaiveDate::from_ymd_opt(2021, 3, 1)
    );
    assert_eq!(tab.qr_token.len(), 22);
    // Places created once, the room in its building.
    let buildings = parc_building::Entity::find()
        .filter(parc_building::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("buildings");
    assert_eq!(buildings.len(), 1);
    let rooms = parc_room::Entity::find()
        .filter(parc_room::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("rooms");
    assert_eq!(rooms.len(), 2);
    let cdi = rooms.iter().find(|r| r.name == "CDI").expect("CDI");
    assert_eq!(cdi.building_id, Some(buildings[0].id));
    assert_eq!(tab.room_id, Some(cdi.id));
    // One history event per asset, one audit event.
    let events = parc_asset_event::Entity::find()
        .filter(parc_asset_event::Column::EtablissementId.eq(etab))
        .filter(parc_asset_event::Column::Kind.eq("imported"))
        .count(&app.db.conn)
        .await
        .expect("events");
    assert_eq!(events, 3);
    let audits = refnum_db::entities::audit_event::Entity::find()
        .filter(refnum_db::entities::audit_event::Column::Action.eq("parc.import"))
        .all(&app.db.conn)
        .await
        .expect("audit");
    assert_eq!(audits.len(), 1);
    assert!(audits[0].details.contains("\"added\":3"));
    // The preview's file is gone: applying twice finds nothing.
    let again = apply(app, &c, &preview).await;
    assert_eq!(again.status(), 404);

    // The same file again: nothing to add, nothing to change.
    let (_, html) = preview_of(app, &c, etab, own_file().into_bytes()).await;
    assert_eq!(count_on(&html, "À ajouter"), "0");
    assert_eq!(count_on(&html, "À mettre à jour"), "0");
    assert_eq!(count_on(&html, "Inchangés"), "3");
    assert!(html.contains("Rien à changer"));

    // One value changed: one update, with its change in the history.
    let changed = own_file().replace("EB-W51;SN-VP;établissement", "EB-W52;SN-VP;établissement");
    let (preview, html) = preview_of(app, &c, etab, changed.into_bytes()).await;
    assert_eq!(count_on(&html, "À ajouter"), "0");
    assert_eq!(count_on(&html, "À mettre à jour"), "1");
    assert!(html.contains("EB-W51 → EB-W52"), "the change is shown");
    let r = apply(app, &c, &preview).await;
    assert_eq!(r.status(), 303);
    assert_eq!(count_assets(app, etab).await, 3);
    let vp2 = asset(app, etab, "VP-B12").await;
    assert_eq!(vp2.model, "EB-W52");
    assert_eq!(vp2.id, vp.id);
    assert_eq!(vp2.qr_token, vp.qr_token, "the label stays valid");
    let last = parc_asset_event::Entity::find()
        .filter(parc_asset_event::Column::AssetId.eq(vp.id))
        .all(&app.db.conn)
        .await
        .expect("events");
    assert_eq!(last.len(), 2);
    assert!(
        last.iter()
            .any(|e| e.changes.contains("\"field\":\"model\"") && e.changes.contains("EB-W52"))
    );
}

async fn a_bad_line_changes_nothing_and_is_named(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(MALHERBE).await;
    let c = app.signed_in(REFERENT).await;
    // Something already there, to see that it is not touched.
    let (preview, _) = preview_of(
        app,
        &c,
        etab,
        format!("{HEADER}\nPC-1;ordinateur fixe;Dell\n").into_bytes(),
    )
    .await;
    assert_eq!(apply(app, &c, &preview).await.status(), 303);
    assert_eq!(count_assets(app, etab).await, 1);

    let file = format!(
        "{HEADER}\r\n\
         PC-1;ordinateur fixe;HP\r\n\
         PC-2;portable;Lenovo\r\n\
         PC-3;portable;Lenovo;;;;;31/02/2022\r\n\
         PC-4;portable;Lenovo\r\n"
    );
    let (preview, html) = preview_of(app, &c, etab, file.into_bytes()).await;
    assert_eq!(count_on(&html, "Erreurs"), "1");
    assert!(html.contains("id=\"import-errors\""));
    let table = html
        .split("id=\"import-errors\"")
        .nth(1)
        .expect("errors table");
    assert!(
        table.contains("<td>4</td><td>date_achat</td><td>Date illisible"),
        "line 4 and its column are named"
    );
    assert!(table.contains("31/02/2022"));
    assert!(!html.contains("/appliquer\""), "no apply button");
    // Applying anyway changes nothing.
    let r = apply(app, &c, &preview).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.expect("body").contains("pas été appliqué"));
    assert_eq!(count_assets(app, etab).await, 1);
    assert_eq!(asset(app, etab, "PC-1").await.manufacturer, "Dell");
    // Discarding removes the preview.
    let r = app
        .post_form(&c, &preview, &format!("{preview}/abandonner"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let gone = c.get(app.url(&preview)).send().await.expect("get");
    assert_eq!(gone.status(), 404);

    // Empty file, unknown header: said on the preview, nothing to apply.
    let (_, html) = preview_of(app, &c, etab, vec![]).await;
    assert!(html.contains("Le fichier est vide."));
    let (_, html) = preview_of(app, &c, etab, b"nom;prenom\nA;B\n".to_vec()).await;
    assert!(html.contains("En-tête non reconnu"));
    assert!(!html.contains("/appliquer\""));
}

async fn glpi_export_in_latin1(app: &TestApp) {
    app.demo().await;
    let etab = app.etab_id(MALHERBE).await;
    let c = app.signed_in(REFERENT).await;
    let text = "Nom;Entité;Statut;Fabricant;Numéro de série;Type;Modèle;Lieu;Numéro d'inventaire;Usager;Date d'achat\r\n\
                CDI-PC01;Lycée Malherbe;En service;Hewlett-Packard;CZC1;Ordinateur de bureau;ProDesk 400;Bâtiment C > CDI;INV-044;;2021-03-15\r\n\
                SDP-PORT03;Lycée Malherbe;Réformé;Lenovo;PF2A;Portable;ThinkPad L14;Salle des professeurs;;François Garçon;15-09-2019\r\n";
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    assert!(std::str::from_utf8(&latin1).is_err());
    let (preview, html) = preview_of(app, &c, etab, latin1).await;
    assert!(html.contains("Export GLPI"));
    assert!(html.contains("windows-1252"));
    assert_eq!(count_on(&html, "À ajouter"), "2");
    assert_eq!(apply(app, &c, &preview).await.status(), 303);
    let port = asset(app, etab, "SDP-PORT03").await;
    assert_eq!(port.holder_name.as_deref(), Some("François Garçon"));
    assert_eq!(
        (port.category.as_str(), port.status.as_str()),
        ("laptop", "retired")
    );
    assert!(port.retired_at.is_some());
    let pc = asset(app, etab, "INV-044").await;
    assert_eq!(pc.category, "desktop");
    let room = parc_room::Entity::find_by_id(pc.room_id.expect("room"))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("room");
    assert_eq!(room.name, "CDI");
    let rooms: Vec<String> = parc_room::Entity::find()
        .filter(parc_room::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("rooms")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert!(rooms.contains(&"Salle des professeurs".to_string()));
}

async fn seed_two_schools(app: &TestApp) -> (Uuid, Uuid, reqwest::Client) {
    app.demo().await;
    let a = app.etab_id(MALHERBE).await;
    let b = app.etab_id(MONOD).await;
    let c = app.signed_in(REFERENT).await;
    let file = format!(
        "{HEADER}\n\
         PC-A1;portable;Lenovo;\"=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\")\";;;;2022-01-10;;B12\n\
         VP-A2;vidéoprojecteur;Epson;EB-W51;;;;;;B12\n"
    );
    let (preview, _) = preview_of(app, &c, a, file.into_bytes()).await;
    assert_eq!(apply(app, &c, &preview).await.status(), 303);
    let cb = app.signed_in(OTHER_REFERENT).await;
    let (preview, _) = preview_of(
        app,
        &cb,
        b,
        format!("{HEADER}\nMONOD-ONLY;portable;Dell\n").into_bytes(),
    )
    .await;
    assert_eq!(apply(app, &cb, &preview).await.status(), 303);
    (a, b, c)
}

async fn exports_are_scoped_and_neutralised(app: &TestApp) {
    let (a, _, c) = seed_two_schools(app).await;
    let r = c
        .get(app.url(&format!("/etablissements/{a}/parc/export.csv")))
        .send()
        .await
        .expect("csv");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let disposition = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(disposition.starts_with("attachment; filename=\"parc-0140013N-"));
    let bytes = r.bytes().await.expect("body");
    let csv = String::from_utf8(bytes.to_vec()).expect("utf-8");
    assert!(csv.starts_with("\u{feff}numero_inventaire;categorie;"));
    assert!(csv.contains("PC-A1") && csv.contains("VP-A2"));
    assert!(!csv.contains("MONOD-ONLY"));
    assert!(csv.contains("\"'=HYPERLINK("), "formula neutralised in CSV");
    assert!(!csv.contains(";=HYPERLINK") && !csv.contains(";\"=HYPERLINK"));
    assert!(csv.contains("Ordinateur portable") || csv.contains("laptop"));
    // The list's filters apply.
    let only = c
        .get(app.url(&format!(
            "/etablissements/{a}/parc/export.csv?categorie=projector"
        )))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("body");
    assert!(only.contains("VP-A2") && !only.contains("PC-A1"));
    let found = c
        .get(app.url(&format!("/etablissements/{a}/parc/export.csv?q=%C3%A9pson")))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("body");
    assert!(
        found.contains("VP-A2") && !found.contains("PC-A1"),
        "search folded"
    );
    // The export imports back unchanged.
    let (_, html) = preview_of(app, &c, a, bytes.to_vec()).await;
    assert_eq!(count_on(&html, "Erreurs"), "0");
    assert_eq!(count_on(&html, "Inchangés"), "2");

    let r = c
        .get(app.url(&format!("/etablissements/{a}/parc/export.ods")))
        .send()
        .await
        .expect("ods");
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/vnd.oasis.opendocument.spreadsheet")
    );
    assert!(
        r.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|d| d.starts_with("attachment;") && d.ends_with(".ods\""))
    );
    let cells = read_ods_text(&r.bytes().await.expect("body")).expect("ods");
    assert_eq!(cells[0][0], "numero_inventaire");
    assert_eq!(cells.len(), 3);
    let flat: Vec<&String> = cells.iter().flatten().collect();
    assert!(flat.iter().any(|c| c.as_str() == "PC-A1"));
    assert!(!flat.iter().any(|c| c.contains("MONOD-ONLY")));
    assert!(
        flat.iter()
            .any(|c| c.as_str() == "'=HYPERLINK(\"http://evil.example\",\"clic\")"),
        "formula neutralised in ODS"
    );
    assert!(!flat.iter().any(|c| c.starts_with('=')));
    assert!(flat.iter().any(|c| c.as_str() == "2022-01-10"));
}

async fn label_sheets(app: &TestApp) {
    let (a, _, c) = seed_two_schools(app).await;
    let path = format!("/etablissements/{a}/parc/etiquettes");
    let form = c.get(app.url(&path)).send().await.expect("form");
    assert_eq!(form.status(), 200);
    let html = form.text().await.expect("body");
    assert!(html.contains("24 étiquettes de 70 × 37 mm"));
    assert!(!html.contains("class=\"sheet "));

    let r = c
        .get(app.url(&format!("{path}?format=3x8-70x37&decalage=2")))
        .send()
        .await
        .expect("sheet");
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    assert!(html.contains("/assets/labels.css?v="));
    assert!(html.contains("class=\"sheet sheet--3x8-70x37\""));
    assert_eq!(html.matches("qr-label--empty").count(), 2, "offset of 2");
    assert_eq!(html.matches("<svg xmlns").count(), 2);
    assert!(html.contains("PC-A1") && html.contains("VP-A2"));
    assert!(!html.contains("MONOD-ONLY"));
    assert!(html.contains("Lycée Malherbe") || html.contains("Malherbe"));
    assert!(html.contains("2 étiquette(s) sur 1 planche(s)"));
    // Filters, and a bad offset.
    let r = c
        .get(app.url(&format!("{path}?format=2x7-99.1x38.1&categorie=projector")))
        .send()
        .await
        .expect("sheet");
    let html = r.text().await.expect("body");
    assert!(html.contains("VP-A2") && !html.contains("PC-A1"));
    let r = c
        .get(app.url(&format!("{path}?format=3x8-70x37&decalage=24")))
        .send()
        .await
        .expect("sheet");
    assert_eq!(r.status(), 422);
    // One asset's label; an asset of another school is not found.
    let vp = asset(app, a, "VP-A2").await;
    let r = c
        .get(app.url(&format!("{path}?format=3x8-70x37&equipement={}", vp.id)))
        .send()
        .await
        .expect("one");
    let html = r.text().await.expect("body");
    assert!(html.contains("VP-A2") && !html.contains("PC-A1"));
    let b = app.etab_id(MONOD).await;
    let other = asset(app, b, "MONOD-ONLY").await;
    let r = c
        .get(app.url(&format!("{path}?format=3x8-70x37&equipement={}", other.id)))
        .send()
        .await
        .expect("other");
    assert_eq!(r.status(), 404);
    // The stylesheet is served.
    let css = c
        .get(app.url("/assets/labels.css"))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), 200);
    assert!(css.text().await.expect("css").contains("size: A4"));
}

async fn other_schools_get_404_and_teachers_403(app: &TestApp) {
    let (a, _, c) = seed_two_schools(app).await;
    // A preview of school A, for the routes that take one.
    let (preview, _) = preview_of(
        app,
        &c,
        a,
        format!("{HEADER}\nNEW-1;portable\n").into_bytes(),
    )
    .await;
    let iid = preview.rsplit('/').next().expect("iid").to_string();

    let other = app.signed_in(OTHER_REFERENT).await;
    for path in [
        format!("/etablissements/{a}/parc/import"),
        preview.clone(),
        format!("/etablissements/{a}/parc/export.csv"),
        format!("/etablissements/{a}/parc/export.ods"),
        format!("/etablissements/{a}/parc/etiquettes"),
        format!("/etablissements/{a}/parc/etiquettes?format=3x8-70x37"),
    ] {
        let r = other.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), 404, "GET {path}");
    }
    let token = app.csrf(&other, "/").await;
    let r = upload(
        app,
        &other,
        a,
        format!("{HEADER}\nX-1;portable\n").into_bytes(),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.status(), 404, "POST import");
    for action in ["appliquer", "abandonner"] {
        let r = other
            .post(app.url(&format!("{preview}/{action}")))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 404, "POST {action}");
    }
    // School B's path with school A's preview: not found either.
    let b = app.etab_id(MONOD).await;
    let r = other
        .post(app.url(&format!("/etablissements/{b}/parc/import/{iid}/appliquer")))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 404);
    assert_eq!(count_assets(app, a).await, 2);

    // A teacher of the school reads (exports, labels) but does not import.
    let t = app.signed_in(TEACHER).await;
    let r = t
        .get(app.url(&format!("/etablissements/{a}/parc/import")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 403);
    let r = upload(
        app,
        &t,
        a,
        format!("{HEADER}\nX-2;portable\n").into_bytes(),
        None,
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = t.get(app.url(&preview)).send().await.expect("get");
    assert_eq!(r.status(), 403);
    let r = t
        .get(app.url(&format!("/etablissements/{a}/parc/export.csv")))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(count_assets(app, a).await, 2);

    // Without the CSRF token the upload is refused before anything is read.
    let r = upload(
        app,
        &c,
        a,
        format!("{HEADER}\nX-3;portable\n").into_bytes(),
        Some("faux".into()),
    )
    .await;
    assert_eq!(r.status(), 403);
}

/// The inventory numbers of the asset list's rows, in order.
fn listed_numbers(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest[start..].find('<')? + start;
            Some(rest[start..end].to_string())
        })
        .collect()
}

/// The `href` of the first link whose address contains `needle`, unescaped.
fn link_containing(html: &str, needle: &str) -> Option<String> {
    html.split("href=\"").skip(1).find_map(|rest| {
        let href = &rest[..rest.find('"')?];
        href.contains(needle)
            .then(|| href.replace("&#38;", "&").replace("&amp;", "&"))
    })
}

/// The list's export links carry its filters and sort, and both files hold
/// exactly the rows the list shows, in its order.
async fn list_export_links_keep_the_filters(app: &TestApp) {
    let (a, _, c) = seed_two_schools(app).await;
    let extra = format!("{HEADER}\nPC-A3;portable;Dell;Latitude;;;;2024-02-01;;B12;;en stock\n");
    let (preview, _) = preview_of(app, &c, a, extra.into_bytes()).await;
    assert_eq!(apply(app, &c, &preview).await.status(), 303);
    for (query, expected) in [
        ("", vec!["PC-A1", "PC-A3", "VP-A2"]),
        ("categorie=laptop", vec!["PC-A1", "PC-A3"]),
        (
            "categorie=laptop&tri=numero&ordre=desc",
            vec!["PC-A3", "PC-A1"],
        ),
        ("q=epson", vec!["VP-A2"]),
        ("etat=in_stock", vec!["PC-A3"]),
        ("categorie=projector&etat=in_stock", vec![]),
    ] {
        let list = c
            .get(app.url(&format!("/etablissements/{a}/parc?{query}")))
            .send()
            .await
            .expect("list")
            .text()
            .await
            .expect("body");
        assert_eq!(listed_numbers(&list), expected, "list ?{query}");
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            for ext in ["export.csv", "export.ods"] {
                let href = link_containing(&list, ext).expect("export link");
                assert!(href.contains(pair), "{href} keeps {pair}");
            }
        }
        let csv_href = link_containing(&list, "export.csv").expect("csv link");
        let csv = c
            .get(app.url(&csv_href))
            .send()
            .await
            .expect("csv")
            .text()
            .await
            .expect("body");
        let exported: Vec<&str> = csv
            .lines()
            .skip(1)
            .filter_map(|l| l.split(';').next())
            .collect();
        assert_eq!(exported, expected, "CSV of ?{query}");
        let ods_href = link_containing(&list, "export.ods").expect("ods link");
        let bytes = c
            .get(app.url(&ods_href))
            .send()
            .await
            .expect("ods")
            .bytes()
            .await
            .expect("body");
        let cells = read_ods_text(&bytes).expect("ods");
        let exported: Vec<&str> = cells
            .iter()
            .skip(1)
            .filter_map(|r| r.first().map(String::as_str))
            .collect();
        assert_eq!(exported, expected, "ODS of ?{query}");
    }
}

/// "Print the labels of the checked items": a POST of the list's form that
/// leads to the label form with those assets, and their sheet.
async fn labels_of_the_checked_assets(app: &TestApp) {
    let (a, b, c) = seed_two_schools(app).await;
    let list = format!("/etablissements/{a}/parc");
    let bulk = format!("{list}/groupe");
    let pc = asset(app, a, "PC-A1").await.id.to_string();
    let vp = asset(app, a, "VP-A2").await.id.to_string();
    let r = app
        .post_form(
            &c,
            &list,
            &bulk,
            &[
                ("action", "etiquettes"),
                ("ids", vp.as_str()),
                ("ids", pc.as_str()),
                ("ids", vp.as_str()),
                ("retour", "page=1&tri=numero"),
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
    assert_eq!(
        location,
        format!("/etablissements/{a}/parc/etiquettes?equipement={vp},{pc}")
    );
    let form = c
        .get(app.url(&location))
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("body");
    assert!(form.contains("Étiquettes des 2 équipements choisis."));
    assert!(form.contains(&format!("name=\"equipement\" value=\"{vp},{pc}\"")));
    let sheet = c
        .get(app.url(&format!("{location}&format=3x8-70x37")))
        .send()
        .await
        .expect("sheet");
    assert_eq!(sheet.status(), 200);
    let html = sheet.text().await.expect("body");
    assert_eq!(html.matches("<svg xmlns").count(), 2);
    let (at_vp, at_pc) = (html.find(">VP-A2<"), html.find(">PC-A1<"));
    assert!(
        at_vp.is_some() && at_pc.is_some() && at_vp < at_pc,
        "in the order given"
    );
    assert!(html.contains("2 étiquette(s) sur 1 planche(s)"));
    // An asset of another school in the selection: not found.
    let other = asset(app, b, "MONOD-ONLY").await.id;
    let r = c
        .get(app.url(&format!(
            "/etablissements/{a}/parc/etiquettes?format=3x8-70x37&equipement={vp},{other}"
        )))
        .send()
        .await
        .expect("other");
    assert_eq!(r.status(), 404);
    let r = c
        .get(app.url(&format!(
            "/etablissements/{a}/parc/etiquettes?format=3x8-70x37&equipement={vp},pas-un-id"
        )))
        .send()
        .await
        .expect("garbage");
    assert_eq!(r.status(), 404);
    // Nothing checked: the list again, the error on the selection.
    let r = app
        .post_form(
            &c,
            &list,
            &bulk,
            &[("action", "etiquettes"), ("retour", "page=1")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert!(html.contains("id=\"error-ids\">Cochez au moins un équipement."));
    assert!(html.contains("href=\"#field-ids\""));
    // Without the CSRF token: refused.
    let r = c
        .post(app.url(&bulk))
        .form(&[("action", "etiquettes"), ("ids", vp.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    // Another school's referent: not found.
    let cb = app.signed_in(OTHER_REFERENT).await;
    let r = app
        .post_form(
            &cb,
            "/",
            &bulk,
            &[("action", "etiquettes"), ("ids", vp.as_str())],
        )
        .await;
    assert_eq!(r.status(), 404);
}

both_backends!(
    import_preview_apply_and_reimport,
    a_bad_line_changes_nothing_and_is_named,
    glpi_export_in_latin1,
    exports_are_scoped_and_neutralised,
    label_sheets,
    other_schools_get_404_and_teachers_403,
    list_export_links_keep_the_filters,
    labels_of_the_checked_assets,
);
