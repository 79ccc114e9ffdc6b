//! The departure form's daily use: accessory rows added on demand (by the
//! server without JavaScript), and the inventory numbers offered as one
//! types, within the school and for the loan managers only.

use refnum_db::entities::loans::loan;
use refnum_db::entities::parc::parc_asset;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

fn new_loan(etab: Uuid) -> String {
    format!("/etablissements/{etab}/prets/nouveau")
}

/// The accessory rows of the form: (index, shown).
fn item_rows(html: &str) -> Vec<(usize, bool)> {
    html.split("<div class=\"form-field\" id=\"field-item-")
        .skip(1)
        .map(|s| {
            let index = s.split('"').next().expect("index").parse().expect("n");
            let tag = s.split('>').next().unwrap_or("");
            (index, !tag.contains(" hidden"))
        })
        .collect()
}

fn shown(html: &str) -> usize {
    item_rows(html).iter().filter(|(_, v)| *v).count()
}

async fn loans_count(app: &TestApp, etab: Uuid) -> u64 {
    loan::Entity::find()
        .filter(loan::Column::EtablissementId.eq(etab))
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn accessory_rows_are_added_on_demand(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let form = app.page(&c, &new_loan(a)).await;
    assert_eq!(item_rows(&form).len(), 6, "every row is in the page");
    assert_eq!(shown(&form), 1, "one accessory row shows at first");
    assert!(form.contains("name=\"ajouter\" value=\"accessoire\""));

    // Without JavaScript the button sends the form: the same form comes
    // back with one more row, what was typed kept, and nothing lent.
    let before = loans_count(app, a).await;
    let r = app
        .post_form(
            &c,
            &new_loan(a),
            &new_loan(a),
            &[
                ("rows", "1"),
                ("asset", "INV-TAPE"),
                ("item-0-what", "chargeur"),
                ("item-0-present", "1"),
                ("item-0-remarks", "câble abîmé"),
                ("ajouter", "accessoire"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    assert_eq!(shown(&html), 2);
    assert!(
        html.contains("value=\"INV-TAPE\""),
        "the asset typed is kept"
    );
    assert!(
        html.contains("value=\"câble abîmé\""),
        "the remarks are kept"
    );
    assert!(html.contains("name=\"rows\" value=\"2\""));
    assert!(!html.contains("field-error"), "no error for a row added");
    assert_eq!(loans_count(app, a).await, before, "nothing lent");

    // Up to six rows; then the button is gone.
    let r = app
        .post_form(
            &c,
            &new_loan(a),
            &new_loan(a),
            &[("rows", "5"), ("ajouter", "accessoire")],
        )
        .await;
    let html = r.text().await.expect("body");
    assert_eq!(shown(&html), 6);
    assert!(!html.contains("name=\"ajouter\""));
    // A row typed beyond those asked for still shows after an error.
    let r = app
        .post_form(
            &c,
            &new_loan(a),
            &new_loan(a),
            &[
                ("rows", "1"),
                ("asset", ""),
                ("item-3-what", "housse"),
                ("item-3-present", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.expect("body");
    assert_eq!(shown(&html), 4, "rows up to the one filled");
    assert!(html.contains("value=\"housse\""));
    assert_eq!(loans_count(app, a).await, before);
}

#[derive(serde::Deserialize, Debug)]
struct Suggestion {
    value: String,
    label: String,
}

async fn suggestions(app: &TestApp, c: &reqwest::Client, etab: Uuid, q: &str) -> (u16, String) {
    app.get_text(
        c,
        &format!(
            "/etablissements/{etab}/prets/materiels?q={}",
            q.replace(' ', "%20")
        ),
    )
    .await
}

/// Creates an asset through the parc form.
async fn create_asset(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    number: &str,
    model: &str,
    status: &str,
) -> parc_asset::Model {
    let new = format!("/etablissements/{etab}/parc/nouveau");
    let r = app
        .post_form(
            c,
            &new,
            &new,
            &[
                ("inventory_number", number),
                ("category", "laptop"),
                ("manufacturer", "Lenovo"),
                ("model", model),
                ("serial", ""),
                ("owner", "collectivite"),
                ("owner_label", "Région"),
                ("funding", ""),
                ("purchase_date", ""),
                ("warranty_end", ""),
                ("room", ""),
                ("holder_name", ""),
                ("status", status),
                ("parent", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "asset {number}");
    parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(etab))
        .filter(parc_asset::Column::InventoryNumber.eq(number))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("asset")
}

async fn inventory_numbers_are_offered_as_one_types(app: &TestApp) {
    app.demo().await;
    let (a, b) = (app.etab_id(UAI_A).await, app.etab_id(UAI_B).await);
    let c = app.signed_in(REFERENT_A).await;
    let other = app.signed_in(REFERENT_B).await;
    let in_a = create_asset(app, &c, a, "PC-A-0042", "Latitude 5440", "in_service").await;
    create_asset(app, &c, a, "PC-A-0043", "Latitude 5440", "retired").await;
    // An asset of school B whose number no asset of A has.
    create_asset(app, &other, b, "ZZB-0001", "Tab M10", "in_stock").await;
    // The start of the number, in lower case, finds the asset.
    let typed = "pc-a";
    let (status, body) = suggestions(app, &c, a, typed).await;
    assert_eq!(status, 200, "{body}");
    let found: Vec<Suggestion> = serde_json::from_str(&body).expect("json");
    assert!(!found.is_empty() && found.len() <= 12, "{found:?}");
    let hit = found
        .iter()
        .find(|s| s.value == in_a.inventory_number)
        .expect("the asset is offered");
    assert_eq!(hit.label, "Lenovo Latitude 5440 — En service");
    assert!(
        !found.iter().any(|s| s.value == "PC-A-0043"),
        "retired equipment is not offered"
    );
    let numbers_of_a: Vec<String> = parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(a))
        .all(&app.db.conn)
        .await
        .expect("assets")
        .into_iter()
        .map(|x| x.inventory_number)
        .collect();
    assert!(
        found.iter().all(|s| numbers_of_a.contains(&s.value)),
        "only the school's equipment"
    );
    // Another school's asset is not offered here, but is in its school.
    let (_, body) = suggestions(app, &c, a, "zzb").await;
    assert_eq!(body, "[]");
    let (_, body) = suggestions(app, &other, b, "zzb").await;
    let found: Vec<Suggestion> = serde_json::from_str(&body).expect("json");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].value, "ZZB-0001");
    assert_eq!(found[0].label, "Lenovo Tab M10 — En stock");
    // Wildcards are text, not patterns; empty text, nothing.
    for q in ["%", "_", "", "%25"] {
        let (status, body) = suggestions(app, &c, a, q).await;
        assert_eq!(status, 200);
        assert_eq!(body, "[]", "{q:?}");
    }
    // A teacher, who does not lend, and another school's referent get no
    // list.
    let teacher = app.signed_in(TEACHER_A).await;
    let (status, _) = suggestions(app, &teacher, a, typed).await;
    assert!(status == 403 || status == 404, "teacher: {status}");
    let (status, _) = suggestions(app, &other, a, typed).await;
    assert!(status == 403 || status == 404, "other school: {status}");
}

both_backends!(
    accessory_rows_are_added_on_demand,
    inventory_numbers_are_offered_as_one_types,
);
