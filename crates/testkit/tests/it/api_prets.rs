//! The loans API: lending a tablet and its charger to a pupil, the
//! convention's signatures, the return with the charger missing (asset
//! statuses and histories), the lists and their filters, bad input as 422
//! with nothing written, and the scoping of every route (404 outside the school, 403 for a teacher, a staff
//! member's own loans).

use chrono::{Days, Utc};
use refnum_db::entities::loans::loan;
use refnum_db::entities::parc::parc_asset;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    app.api_get(token, path).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.api_post(token, path, body).await
}

fn day(offset: u64) -> String {
    Utc::now()
        .date_naive()
        .checked_add_days(Days::new(offset))
        .expect("date")
        .to_string()
}

async fn new_asset(app: &TestApp, token: &str, etab: Uuid, number: &str, status: &str) -> Uuid {
    let (s, a) = post(
        app,
        token,
        &format!("/api/v1/etablissements/{etab}/assets"),
        json!({ "inventory_number": number, "category": "tablet", "status": status,
                "manufacturer": "Lenovo", "model": "Tab M10" }),
    )
    .await;
    assert_eq!(s, 201, "{a}");
    Uuid::parse_str(a["id"].as_str().expect("id")).expect("uuid")
}

async fn status_of(app: &TestApp, id: Uuid) -> String {
    parc_asset::Entity::find_by_id(id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("asset")
        .status
}

async fn loans_count(app: &TestApp, etab: Uuid) -> u64 {
    loan::Entity::find()
        .filter(loan::Column::EtablissementId.eq(etab))
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn pupil(app: &TestApp, etab: Uuid) -> Uuid {
    refnum_services::prets::demo::pupil_with_guardians(
        &app.db,
        etab,
        "api-pupil",
        ("", "DURAND", "Zoé"),
        &[("Mme", "DURAND", "Anne"), ("M.", "LEROY", "Paul")],
    )
    .await
    .expect("pupil")
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The case through the API: a pupil's loan, signed by every
/// party, returned with its charger missing.
async fn a_pupil_loan_through_the_api(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let referent = app.token_for(REFERENT_A).await;
    let tablet = new_asset(app, &referent, a, "TAB-0201", "in_service").await;
    let charger = new_asset(app, &referent, a, "CHG-0201", "in_stock").await;
    let zoe = pupil(app, a).await;
    let loans = format!("/api/v1/etablissements/{a}/loans");
    let before = loans_count(app, a).await;
    let good = json!({
        "asset": "tab-0201",
        "borrower": format!("pupil:{zoe}"),
        "start_on": day(0),
        "due_on": day(30),
        "items": [
            { "what": "chg-0201" },
            { "what": "Housse", "remarks": "Fermeture usée" }
        ]
    });

    // Bad input: 422 naming the field, nothing written.
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    let seven: Vec<Value> = (0..7)
        .map(|i| json!({ "what": format!("Câble {i}") }))
        .collect();
    for (body, field) in [
        (with("due_on", json!("2026-13-40")), "due_on"),
        (with("due_on", json!("2020-01-01")), "due_on"),
        (with("asset", json!("NOPE-1")), "asset"),
        (
            with("borrower", json!(format!("pupil:{}", Uuid::nil()))),
            "borrower",
        ),
        (with("departure_state", json!("shiny")), "departure_state"),
        (with("items", json!(seven)), "items"),
    ] {
        let (s, e) = post(app, &referent, &loans, body).await;
        assert_eq!(s, 422, "{field}: {e}");
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    let (s, e) = post(app, &referent, &loans, with("colour", json!("red"))).await;
    assert_eq!(s, 422, "unknown field: {e}");
    assert_eq!(loans_count(app, a).await, before);
    assert_eq!(status_of(app, tablet).await, "in_service");
    assert_eq!(status_of(app, charger).await, "in_stock");

    // The loan.
    let (s, l) = post(app, &referent, &loans, good.clone()).await;
    assert_eq!(s, 201, "{l}");
    assert_eq!(l["status"], "out");
    assert_eq!(l["inventory_number"], "TAB-0201");
    assert_eq!(l["borrower_name"], "Zoé DURAND");
    assert_eq!(l["borrower_person_id"], zoe.to_string());
    assert_eq!(l["asset_model"], "Lenovo Tab M10");
    assert_eq!(l["overdue"], false);
    assert_eq!(strs(&l["items"], "label"), ["CHG-0201", "Housse"]);
    assert_eq!(l["items"][0]["asset_id"], charger.to_string());
    assert_eq!(l["items"][1]["departure_remarks"], "Fermeture usée");
    assert_eq!(
        strs(&l["parties"], "role"),
        ["pupil", "guardian", "guardian", "school"]
    );
    assert_eq!(l["fully_signed"], false);
    let id = l["id"].as_str().expect("id").to_string();
    assert_eq!(status_of(app, tablet).await, "lent");
    assert_eq!(status_of(app, charger).await, "lent");

    // The same tablet again: refused, the field named.
    let (s, e) = post(app, &referent, &loans, good.clone()).await;
    assert_eq!(s, 409, "lent already: a conflict with its state: {e}");
    assert_eq!(e["error"]["field"], "asset");

    // Lists and filters.
    let (s, out) = get(app, &referent, &loans).await;
    assert_eq!(s, 200, "{out}");
    assert!(strs(&out["items"], "id").contains(&id), "{out}");
    let (_, found) = get(app, &referent, &format!("{loans}?q=durand&view=all")).await;
    assert_eq!(strs(&found["items"], "id"), [id.as_str()], "{found}");
    let (_, hist) = get(app, &referent, &format!("{loans}?borrower=pupil:{zoe}")).await;
    assert_eq!(hist["total"], 1, "{hist}");
    let (_, overdue) = get(app, &referent, &format!("{loans}?view=overdue")).await;
    assert!(!strs(&overdue["items"], "id").contains(&id));
    for (q, field) in [
        ("view=late", "view"),
        ("sort=colour", "sort"),
        ("order=up", "order"),
        ("kind=robot", "kind"),
        ("borrower=someone", "borrower"),
    ] {
        let (s, e) = get(app, &referent, &format!("{loans}?{q}")).await;
        assert_eq!(s, 422, "{q}: {e}");
        assert_eq!(e["error"]["field"], field);
    }

    // Each party signs; a party signs once.
    let sign = format!("/api/v1/loans/{id}/signatures");
    let parties = l["parties"].as_array().expect("parties").clone();
    for (p, (name, method)) in parties.iter().zip([
        ("Zoé Durand", "tablet"),
        ("Anne Durand", "paper"),
        ("Paul Leroy", "paper"),
        ("Hélène Marchand, proviseure", "paper"),
    ]) {
        let (s, r) = post(
            app,
            &referent,
            &sign,
            json!({ "party_id": p["id"], "signer_name": name, "method": method }),
        )
        .await;
        assert_eq!(s, 200, "{r}");
    }
    let (s, e) = post(
        app,
        &referent,
        &sign,
        json!({ "party_id": parties[0]["id"], "signer_name": "Zoé", "method": "paper" }),
    )
    .await;
    assert_eq!(s, 409, "signed already: {e}");
    let (s, signed) = get(app, &referent, &format!("/api/v1/loans/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(signed["fully_signed"], true, "{signed}");
    assert_eq!(signed["parties"][0]["method"], "tablet");
    assert_eq!(
        signed["parties"][3]["signer_name"],
        "Hélène Marchand, proviseure"
    );

    // The return: every item must be accounted for; nothing written until.
    let items = signed["items"].as_array().expect("items").clone();
    let back = format!("/api/v1/loans/{id}/return");
    let (s, e) = post(
        app,
        &referent,
        &back,
        json!({ "returned_on": day(2), "state": "good",
                "items": [{ "item_id": items[1]["id"], "state": "good" }] }),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["field"], "items");
    assert_eq!(status_of(app, tablet).await, "lent");
    let (s, r) = post(
        app,
        &referent,
        &back,
        json!({ "returned_on": day(2), "state": "good", "remarks": "Sans chargeur",
                "items": [
                    { "item_id": items[0]["id"], "state": "missing" },
                    { "item_id": items[1]["id"], "state": "good" }
                ] }),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["status"], "returned");
    assert_eq!(r["return_state"], "good");
    assert_eq!(r["items"][0]["return_state"], "missing");
    assert_eq!(status_of(app, tablet).await, "in_service");
    assert_eq!(status_of(app, charger).await, "retired");
    let (s, e) = post(
        app,
        &referent,
        &back,
        json!({ "returned_on": day(2), "state": "good" }),
    )
    .await;
    assert_eq!(s, 409, "returned twice: a conflict with its state: {e}");

    // The histories, through the parc API.
    let (_, t) = get(
        app,
        &referent,
        &format!("/api/v1/etablissements/{a}/assets/{tablet}"),
    )
    .await;
    let kinds = strs(&t["history"], "kind");
    assert!(kinds.contains(&"loan_out".to_string()), "{t}");
    assert!(kinds.contains(&"loan_return".to_string()), "{t}");
    let (_, ch) = get(
        app,
        &referent,
        &format!("/api/v1/etablissements/{a}/assets/{charger}"),
    )
    .await;
    assert!(
        strs(&ch["history"], "kind").contains(&"loan_missing".to_string()),
        "{ch}"
    );
    let (_, returned) = get(app, &referent, &format!("{loans}?view=returned")).await;
    assert!(strs(&returned["items"], "id").contains(&id));
}

/// Every route outside the school is a 404; a teacher may not see the
/// school's loans (403) but sees their own; the bursar sees loans without
/// pupils' names.
async fn the_loans_api_is_scoped_route_by_route(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let referent = app.token_for(REFERENT_A).await;
    new_asset(app, &referent, a, "TAB-0301", "in_service").await;
    new_asset(app, &referent, a, "TAB-0302", "in_service").await;
    let zoe = pupil(app, a).await;
    let teacher_id = refnum_db::accounts::get_by_email(&app.db.conn, TEACHER_A)
        .await
        .expect("q")
        .expect("teacher")
        .id;
    let loans = format!("/api/v1/etablissements/{a}/loans");
    let lend = |asset: &str, borrower: String| json!({ "asset": asset, "borrower": borrower, "start_on": day(0), "due_on": day(20) });
    let (s, pl) = post(
        app,
        &referent,
        &loans,
        lend("TAB-0301", format!("pupil:{zoe}")),
    )
    .await;
    assert_eq!(s, 201, "{pl}");
    let (s, sl) = post(
        app,
        &referent,
        &loans,
        lend("TAB-0302", format!("staff:{teacher_id}")),
    )
    .await;
    assert_eq!(s, 201, "{sl}");
    let pupil_loan = pl["id"].as_str().expect("id").to_string();
    let staff_loan = sl["id"].as_str().expect("id").to_string();
    let party = pl["parties"][0]["id"].clone();
    let count = loans_count(app, a).await;

    for who in [REFERENT_B, TEACHER_B, TECH, REGION, DANE] {
        let t = app.token_for(who).await;
        let (s, b) = get(app, &t, &loans).await;
        assert_eq!(s, 404, "{who} list: {b}");
        let (s, _) = post(app, &t, &loans, lend("TAB-0301", format!("pupil:{zoe}"))).await;
        assert_eq!(s, 404, "{who} lend");
        for l in [&pupil_loan, &staff_loan] {
            let (s, b) = get(app, &t, &format!("/api/v1/loans/{l}")).await;
            assert_eq!(s, 404, "{who} get");
            assert!(!b.to_string().contains("DURAND"));
            let (s, _) = post(
                app,
                &t,
                &format!("/api/v1/loans/{l}/signatures"),
                json!({ "party_id": party, "signer_name": "X", "method": "paper" }),
            )
            .await;
            assert_eq!(s, 404, "{who} sign");
            let (s, _) = post(
                app,
                &t,
                &format!("/api/v1/loans/{l}/return"),
                json!({ "returned_on": day(1), "state": "good" }),
            )
            .await;
            assert_eq!(s, 404, "{who} return");
        }
        let (s, _) = get(app, &t, &format!("/api/v1/me/loans?etablissement_id={a}")).await;
        assert_eq!(s, 404, "{who} own loans in A");
    }

    // A teacher of the school: not the school's loans, but their own.
    let teacher = app.token_for(TEACHER_A).await;
    let (s, _) = get(app, &teacher, &loans).await;
    assert_eq!(s, 403);
    let (s, _) = post(
        app,
        &teacher,
        &loans,
        lend("TAB-0301", format!("pupil:{zoe}")),
    )
    .await;
    assert_eq!(s, 403);
    let (s, own) = get(app, &teacher, &format!("/api/v1/loans/{staff_loan}")).await;
    assert_eq!(s, 200, "{own}");
    assert_eq!(own["inventory_number"], "TAB-0302");
    let (s, _) = get(app, &teacher, &format!("/api/v1/loans/{pupil_loan}")).await;
    assert_eq!(s, 404);
    let (s, mine) = get(app, &teacher, "/api/v1/me/loans").await;
    assert_eq!(s, 200, "{mine}");
    assert_eq!(strs(&mine, "id"), [staff_loan.as_str()]);
    let (s, _) = post(
        app,
        &teacher,
        &format!("/api/v1/loans/{staff_loan}/return"),
        json!({ "returned_on": day(1), "state": "good" }),
    )
    .await;
    assert_eq!(s, 403, "a borrower does not record their own return");
    let (s, _) = post(
        app,
        &teacher,
        &format!("/api/v1/loans/{staff_loan}/signatures"),
        json!({ "party_id": own["parties"][0]["id"], "signer_name": "X", "method": "paper" }),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(loans_count(app, a).await, count);

    // Unknown and malformed ids, malformed bodies.
    for path in [
        format!("/api/v1/loans/{}", Uuid::now_v7()),
        "/api/v1/loans/not-an-id".to_string(),
    ] {
        let (s, _) = get(app, &referent, &path).await;
        assert_eq!(s, 404, "{path}");
    }
    let r = app
        .client()
        .post(app.url(&loans))
        .bearer_auth(&referent)
        .header("content-type", "application/json")
        .body("{\"asset\": ")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 422);
    let r = app.client().get(app.url(&loans)).send().await.expect("get");
    assert_eq!(r.status().as_u16(), 401, "no token");
    assert_eq!(loans_count(app, a).await, count);
}

both_backends!(
    a_pupil_loan_through_the_api,
    the_loans_api_is_scoped_route_by_route,
);
