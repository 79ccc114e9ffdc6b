//! Loans: the departure (checklist, asset status, refusals, concurrent
//! lends), the convention and its signatures with the charter version, the
//! return (a missing charger in the asset's history and the indicators),
//! the lists and a borrower's history, the overdue reminders, and the
//! scoping of every route.

use chrono::{Days, Utc};
use refnum_db::entities::assistance::notification;
use refnum_db::entities::audit_event;
use refnum_db::entities::loans::{loan, loan_item, loan_party};
use refnum_db::entities::parc::{parc_asset, parc_asset_event};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, element_text};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

const GESTIONNAIRE_A: &str = "gestionnaire.malherbe@ac-normandie.test";
const PRESTATAIRE: &str = TECH;

fn loans(etab: Uuid) -> String {
    format!("/etablissements/{etab}/prets")
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let (status, body) = get(app, c, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_string()
}

fn day(offset: i64) -> String {
    let today = Utc::now().date_naive();
    let d = if offset >= 0 {
        today.checked_add_days(Days::new(offset as u64))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.expect("date").to_string()
}

/// Creates an asset through the parc form; returns it.
async fn asset(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    number: &str,
    category: &str,
    status: &str,
    owner_label: &str,
) -> parc_asset::Model {
    let new = format!("/etablissements/{etab}/parc/nouveau");
    let r = app
        .post_form(
            c,
            &new,
            &new,
            &[
                ("inventory_number", number),
                ("category", category),
                ("manufacturer", "Lenovo"),
                ("model", "Tab M10"),
                ("serial", ""),
                ("owner", "collectivite"),
                ("owner_label", owner_label),
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
    asset_row(app, etab, number).await
}

async fn asset_row(app: &TestApp, etab: Uuid, number: &str) -> parc_asset::Model {
    parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(etab))
        .filter(parc_asset::Column::InventoryNumber.eq(number))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("asset")
}

async fn pupil(app: &TestApp, etab: Uuid) -> Uuid {
    refnum_services::prets::demo::pupil_with_guardians(
        &app.db,
        etab,
        "t-pupil",
        ("", "DURAND", "Zoé"),
        &[("Mme", "DURAND", "Anne"), ("M.", "LEROY", "Paul")],
    )
    .await
    .expect("pupil")
}

async fn loans_of(app: &TestApp, etab: Uuid) -> Vec<loan::Model> {
    loan::Entity::find()
        .filter(loan::Column::EtablissementId.eq(etab))
        .order_by_asc(loan::Column::CreatedAt)
        .all(&app.db.conn)
        .await
        .expect("loans")
}

/// Posts the departure form with these fields on top of sensible ones.
async fn lend(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let new = format!("{}/nouveau", loans(etab));
    let start = day(0);
    let due = day(30);
    let mut all: Vec<(&str, &str)> = vec![
        ("start_on", start.as_str()),
        ("due_on", due.as_str()),
        ("end_kind", "return"),
        ("departure_state", "good"),
        ("departure_remarks", ""),
    ];
    for (k, v) in fields {
        all.retain(|(x, _)| x != k);
        all.push((k, v));
    }
    app.post_form(c, &new, &new, &all).await
}

async fn history(app: &TestApp, asset: Uuid) -> Vec<parc_asset_event::Model> {
    parc_asset_event::Entity::find()
        .filter(parc_asset_event::Column::AssetId.eq(asset))
        .order_by_asc(parc_asset_event::Column::OccurredAt)
        .all(&app.db.conn)
        .await
        .expect("history")
}

/// The case: a loan to a pupil with a signed convention, returned
/// with its charger missing, shows as such in the asset's history and in
/// the indicators.
async fn a_pupil_loan_signed_and_returned_without_its_charger(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let tablet = asset(app, &c, a, "TAB-0101", "tablet", "in_service", "").await;
    let charger = asset(app, &c, a, "CHG-0101", "other", "in_stock", "").await;
    let zoe = pupil(app, a).await;

    // The charter in force when lending.
    let charter = format!("{}/charte", loans(a));
    let r = app
        .post_form(
            &c,
            &charter,
            &charter,
            &[
                ("title", "Charte du prêt"),
                (
                    "body",
                    "Prendre soin du matériel.\r\nLe rendre à la date prévue.",
                ),
                ("effective_on", &day(-1)),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);

    let borrower = format!("pupil:{zoe}");
    let r = lend(
        app,
        &c,
        a,
        &[
            ("asset", "tab-0101"),
            ("borrower", &borrower),
            ("item-0-what", "chg-0101"),
            ("item-0-present", "1"),
            ("item-1-what", "Housse"),
            ("item-1-present", "1"),
            ("item-1-remarks", "Fermeture usée"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let redirect = location(&r);
    let to = redirect.split('?').next().unwrap_or_default().to_string();
    let l = loans_of(app, a).await.pop().expect("a loan");
    assert!(to.starts_with(&format!("{}/{}", loans(a), l.id)));
    assert_eq!(l.status, "out");
    assert_eq!(l.borrower_name, "Zoé DURAND");
    assert!(l.charter_id.is_some());
    assert_eq!(asset_row(app, a, "TAB-0101").await.status, "lent");
    assert_eq!(asset_row(app, a, "CHG-0101").await.status, "lent");
    let events = history(app, tablet.id).await;
    assert_eq!(events.last().map(|e| e.kind.as_str()), Some("loan_out"));
    assert!(
        !events.iter().any(|e| e.changes.contains("DURAND")),
        "no pupil's name in the parc history"
    );

    // The loan page: the checklist, the parties (pupil, two guardians, school).
    let shown = page(app, &c, &redirect).await;
    assert!(shown.contains("Le prêt a été enregistré."), "{shown}");
    assert!(shown.contains("Zoé DURAND") && shown.contains("Housse"));
    assert!(shown.contains("Fermeture usée"));
    let parties = loan_party::Entity::find()
        .filter(loan_party::Column::LoanId.eq(l.id))
        .order_by_asc(loan_party::Column::Position)
        .all(&app.db.conn)
        .await
        .expect("parties");
    let roles: Vec<&str> = parties.iter().map(|p| p.role.as_str()).collect();
    assert_eq!(roles, ["pupil", "guardian", "guardian", "school"]);
    assert_eq!(shown.matches("Pas encore signé").count(), 4);

    // Each party signs; a second signature of the same party is refused.
    let sign = format!("{to}/signature");
    for (p, name, method) in [
        (&parties[0], "Zoé Durand", "tablet"),
        (&parties[1], "Anne Durand", "paper"),
        (&parties[2], "Paul Leroy", "paper"),
        (&parties[3], "Hélène Marchand, proviseure", "paper"),
    ] {
        let r = app
            .post_form(
                &c,
                &to,
                &sign,
                &[
                    ("party", &p.id.to_string()),
                    ("signer_name", name),
                    ("method", method),
                    ("signed_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{name}");
    }
    let r = app
        .post_form(
            &c,
            &to,
            &sign,
            &[
                ("party", &parties[1].id.to_string()),
                ("signer_name", "Quelqu'un"),
                ("method", "paper"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Cette partie a déjà signé.")
    );
    let signed = loan_party::Entity::find()
        .filter(loan_party::Column::LoanId.eq(l.id))
        .all(&app.db.conn)
        .await
        .expect("parties");
    assert!(
        signed
            .iter()
            .all(|p| p.signed_at.is_some() && p.charter_id == l.charter_id),
        "each signature records the charter version accepted"
    );
    assert_eq!(
        signed
            .iter()
            .find(|p| p.role == "guardian" && p.signer_name.as_deref() == Some("Anne Durand"))
            .and_then(|p| p.method.as_deref()),
        Some("paper")
    );

    // The printable convention names everyone and everything.
    let conv = page(app, &c, &format!("{to}/convention")).await;
    for text in [
        "Convention de prêt de matériel — TAB-0101",
        "Zoé DURAND",
        "Anne DURAND",
        "Paul LEROY",
        "Lycée Malherbe (0140013N)",
        "Région Normandie",
        "TAB-0101",
        "CHG-0101, Housse",
        "Version 1 « Charte du prêt »",
        "Prendre soin du matériel.",
        "Signé par Anne Durand le",
        "(en personne sur tablette)",
        "Restitution à la date prévue",
    ] {
        assert!(conv.contains(text), "convention shows {text}: {conv}");
    }
    assert!(!conv.contains("Pas encore signé"));

    // The return: the charger is missing, the tablet comes back fine.
    let items = loan_item::Entity::find()
        .filter(loan_item::Column::LoanId.eq(l.id))
        .order_by_asc(loan_item::Column::Position)
        .all(&app.db.conn)
        .await
        .expect("items");
    let back = format!("{to}/retour");
    let form = page(app, &c, &back).await;
    assert!(form.contains(&format!("name=\"state-{}\"", items[0].id)));
    // Every item must be accounted for.
    let r = app
        .post_form(
            &c,
            &back,
            &back,
            &[("returned_on", &day(0)), ("state", "good")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Indiquez l&#39;état au retour de chaque accessoire.")
    );
    assert_eq!(
        asset_row(app, a, "TAB-0101").await.status,
        "lent",
        "nothing changed"
    );
    let s0 = format!("state-{}", items[0].id);
    let s1 = format!("state-{}", items[1].id);
    let r = app
        .post_form(
            &c,
            &back,
            &back,
            &[
                ("returned_on", &day(0)),
                ("state", "good"),
                (&s0, "missing"),
                (&s1, "damaged"),
                ("remarks", "Chargeur perdu."),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let l = loans_of(app, a).await.pop().expect("loan");
    assert_eq!(l.status, "returned");
    assert_eq!(l.return_state.as_deref(), Some("good"));
    assert_eq!(asset_row(app, a, "TAB-0101").await.status, "in_service");
    let lost = asset_row(app, a, "CHG-0101").await;
    assert_eq!(
        lost.status, "retired",
        "a missing accessory leaves the parc"
    );
    assert!(lost.retired_at.is_some());
    // A second return is refused.
    let r = app
        .post_form(
            &c,
            &to,
            &back,
            &[("returned_on", &day(0)), ("state", "good")],
        )
        .await;
    assert_eq!(r.status(), 422);

    // The asset's page: its loan and its history with the missing charger.
    let asset_page = page(
        app,
        &c,
        &format!("/etablissements/{a}/parc/equipements/{}", tablet.id),
    )
    .await;
    assert!(
        asset_page.contains("id=\"parc-loans-table\""),
        "{asset_page}"
    );
    assert!(asset_page.contains(&format!("{}/{}", loans(a), l.id)));
    for text in [
        "Départ en prêt",
        "Retour de prêt",
        "Éléments manquants au retour",
        "CHG-0101",
        "« Prêté » → « En service »",
    ] {
        assert!(asset_page.contains(text), "asset history shows {text}");
    }
    let charger_page = page(
        app,
        &c,
        &format!("/etablissements/{a}/parc/equipements/{}", charger.id),
    )
    .await;
    assert!(
        charger_page.contains("Manquant au retour d&#39;un prêt")
            || charger_page.contains("Manquant au retour d'un prêt")
    );
    assert!(
        charger_page.contains("« Prêté » → « Réformé »"),
        "{charger_page}"
    );

    // The indicators: one return with an item missing, none out.
    let ind = page(app, &c, &format!("/etablissements/{a}/indicateurs/parc")).await;
    assert_eq!(
        element_text(&ind, "ind-loans-lost").as_deref(),
        Some("1"),
        "{ind}"
    );
    assert_eq!(
        element_text(&ind, "ind-loans-returned").as_deref(),
        Some("1")
    );
    assert_eq!(element_text(&ind, "ind-loans-out").as_deref(), Some("0"));
    assert_eq!(element_text(&ind, "ind-loans-broken").as_deref(), Some("0"));

    // Audit: every write, no pupil's name.
    let actions: Vec<(String, String)> = audit_event::Entity::find()
        .filter(audit_event::Column::Target.eq(format!("loan:{}", l.id)))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.db.conn)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| (e.action, e.details))
        .collect();
    assert_eq!(
        actions.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        [
            "loan.created",
            "loan.signed",
            "loan.signed",
            "loan.signed",
            "loan.signed",
            "loan.returned"
        ]
    );
    assert!(actions.iter().all(|(_, d)| !d.contains("DURAND")));
}

/// The departure refuses what cannot be lent and bad input, changing
/// nothing; two lends of one asset at once make one loan.
async fn lending_refuses_unavailable_assets_and_bad_input(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let c = app.signed_in(GESTIONNAIRE_A).await;
    let referent_b = app.signed_in(REFERENT_B).await;
    asset(app, &c, a, "TAB-1", "tablet", "in_service", "").await;
    asset(app, &c, a, "TAB-BROKEN", "tablet", "broken", "").await;
    asset(app, &referent_b, b, "TAB-B", "tablet", "in_service", "").await;
    let zoe = pupil(app, a).await;
    let borrower = format!("pupil:{zoe}");
    let teacher = app.account_id(TEACHER_A).await;
    let staff = format!("staff:{teacher}");

    // Field errors, each next to its field and summarised; nothing stored.
    let r = lend(
        app,
        &c,
        a,
        &[
            ("asset", "NOPE-1"),
            ("borrower", "pupil:not-an-id"),
            ("due_on", &day(-3)),
            ("end_kind", "vente"),
            ("item-2-remarks", "sans nom"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    for text in [
        "Aucun matériel de l&#39;établissement ne porte ce numéro d&#39;inventaire.",
        "Choisissez un élève ou un personnel de l&#39;établissement.",
        "La date de retour prévue doit suivre la date de départ.",
        "Choisissez une valeur de la liste.",
        "Indiquez l&#39;élément avant sa remarque.",
        "href=\"#field-asset\"",
        "aria-invalid=\"true\"",
    ] {
        assert!(body.contains(text), "{text}: {body}");
    }
    // A broken asset, an asset of another school, a pupil of another school.
    for (asset_no, who, text) in [
        (
            "TAB-BROKEN",
            borrower.as_str(),
            "n&#39;est pas disponible au prêt",
        ),
        ("TAB-B", borrower.as_str(), "ne porte ce numéro"),
    ] {
        let r = lend(app, &c, a, &[("asset", asset_no), ("borrower", who)]).await;
        assert_eq!(r.status(), 422, "{asset_no}");
        assert!(r.text().await.expect("body").contains(text), "{asset_no}");
    }
    let zoe_b = pupil(app, b).await;
    let r = lend(
        app,
        &c,
        a,
        &[("asset", "TAB-1"), ("borrower", &format!("pupil:{zoe_b}"))],
    )
    .await;
    assert_eq!(r.status(), 422, "a pupil of another school");
    assert!(loans_of(app, a).await.is_empty(), "nothing stored");
    assert_eq!(asset_row(app, a, "TAB-1").await.status, "in_service");

    // Two lends of the same tablet at once: exactly one wins.
    let new = format!("{}/nouveau", loans(a));
    let token = app.csrf(&c, &new).await;
    let (start, due) = (day(0), day(10));
    let mut tasks = vec![];
    for i in 0..6 {
        let c = c.clone();
        let url = app.url(&new);
        let token = token.clone();
        let who = if i % 2 == 0 {
            borrower.clone()
        } else {
            staff.clone()
        };
        let (start, due) = (start.clone(), due.clone());
        tasks.push(tokio::spawn(async move {
            c.post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("asset", "TAB-1"),
                    ("borrower", who.as_str()),
                    ("start_on", start.as_str()),
                    ("due_on", due.as_str()),
                    ("end_kind", "return"),
                    ("departure_state", "good"),
                ])
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        }));
    }
    let mut statuses = vec![];
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    statuses.sort();
    assert_eq!(statuses, [303, 422, 422, 422, 422, 422]);
    assert_eq!(loans_of(app, a).await.len(), 1);
    assert_eq!(asset_row(app, a, "TAB-1").await.status, "lent");
    // A lent asset is refused afterwards too.
    let r = lend(app, &c, a, &[("asset", "TAB-1"), ("borrower", &staff)]).await;
    assert_eq!(r.status(), 422);
}

/// Lists: out, overdue, returned, filtered and sorted on the server; a
/// borrower's history; a teacher's own loans.
async fn lists_histories_and_own_loans(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let zoe = pupil(app, a).await;
    let teacher = app.account_id(TEACHER_A).await;
    for n in ["TAB-A", "TAB-B", "TAB-C"] {
        asset(app, &c, a, n, "tablet", "in_service", "").await;
    }
    let (start_old, due_past, due_b, due_c) = (day(-30), day(-2), day(20), day(40));
    let pupil_key = format!("pupil:{zoe}");
    let staff_key = format!("staff:{teacher}");
    for (n, who, start, due) in [
        (
            "TAB-A",
            pupil_key.as_str(),
            start_old.as_str(),
            due_past.as_str(),
        ),
        (
            "TAB-B",
            staff_key.as_str(),
            start_old.as_str(),
            due_b.as_str(),
        ),
        (
            "TAB-C",
            pupil_key.as_str(),
            start_old.as_str(),
            due_c.as_str(),
        ),
    ] {
        let r = lend(
            app,
            &c,
            a,
            &[
                ("asset", n),
                ("borrower", who),
                ("start_on", start),
                ("due_on", due),
            ],
        )
        .await;
        assert_eq!(r.status(), 303, "{n}");
    }
    let ls = loans_of(app, a).await;
    let c_loan = ls
        .iter()
        .find(|l| l.due_on.to_string() == due_c)
        .expect("C");
    let r = app
        .post_form(
            &c,
            &format!("{}/{}/retour", loans(a), c_loan.id),
            &format!("{}/{}/retour", loans(a), c_loan.id),
            &[("returned_on", &day(0)), ("state", "broken")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(asset_row(app, a, "TAB-C").await.status, "broken");

    let count = |html: &str| element_text(html, "loan-count").unwrap_or_default();
    let out = page(app, &c, &loans(a)).await;
    assert_eq!(count(&out), "2 prêts");
    // Soonest due first: TAB-A (overdue) before TAB-B.
    let (ia, ib) = (
        out.find(">TAB-A<").expect("A"),
        out.find(">TAB-B<").expect("B"),
    );
    assert!(ia < ib);
    assert!(out.contains("En retard"));
    let desc = page(app, &c, &format!("{}?tri=echeance&ordre=desc", loans(a))).await;
    assert!(desc.find(">TAB-B<").expect("B") < desc.find(">TAB-A<").expect("A"));
    let overdue = page(app, &c, &format!("{}?vue=en-retard", loans(a))).await;
    assert_eq!(count(&overdue), "1 prêt");
    assert!(overdue.contains(">TAB-A<") && !overdue.contains(">TAB-B<"));
    let returned = page(app, &c, &format!("{}?vue=rendus", loans(a))).await;
    assert_eq!(count(&returned), "1 prêt");
    assert!(returned.contains("Hors service"));
    let staff_only = page(app, &c, &format!("{}?vue=tous&type=staff", loans(a))).await;
    assert_eq!(count(&staff_only), "1 prêt");
    let search = page(app, &c, &format!("{}?vue=tous&q=durand", loans(a))).await;
    assert_eq!(count(&search), "2 prêts");
    // A pupil's history, linked from the list.
    assert!(out.contains(&format!("emprunteur=pupil:{zoe}")));
    let hist = page(
        app,
        &c,
        &format!("{}?vue=tous&emprunteur=pupil:{zoe}", loans(a)),
    )
    .await;
    assert!(hist.contains("Prêts de Zoé DURAND"), "{hist}");
    let record = page(
        app,
        &c,
        &format!("/etablissements/{a}/annuaire/personnes/{zoe}"),
    )
    .await;
    assert!(
        record.contains(&format!("emprunteur=pupil:{zoe}\" id=\"person-loans\"")),
        "{record}"
    );
    assert_eq!(count(&hist), "2 prêts");

    // The teacher: their own loans only.
    let t = app.signed_in(TEACHER_A).await;
    let (status, _) = get(app, &t, &loans(a)).await;
    assert_eq!(status, 403);
    let mine = page(app, &t, &format!("{}/mes-prets", loans(a))).await;
    assert_eq!(count(&mine), "1 prêt");
    assert!(mine.contains(">TAB-B<") && !mine.contains("DURAND"));
    let own = ls
        .iter()
        .find(|l| l.borrower_account_id == Some(teacher))
        .expect("own");
    // A staff member's loan: the borrower and the school sign.
    let roles: Vec<String> = loan_party::Entity::find()
        .filter(loan_party::Column::LoanId.eq(own.id))
        .order_by_asc(loan_party::Column::Position)
        .all(&app.db.conn)
        .await
        .expect("parties")
        .into_iter()
        .map(|p| p.role)
        .collect();
    assert_eq!(roles, ["borrower", "school"]);
    assert_eq!(own.borrower_name, "Élodie Caron");
    page(app, &t, &format!("{}/{}", loans(a), own.id)).await;
    let (status, _) = get(app, &t, &format!("{}/{}", loans(a), ls[0].id)).await;
    assert_eq!(status, 404, "another's loan does not exist for a teacher");
    let (status, _) = get(app, &t, &format!("{}/{}/convention", loans(a), own.id)).await;
    assert_eq!(status, 404);
    let home = page(app, &t, "/").await;
    assert!(home.contains(&format!("href=\"{}/mes-prets\"", loans(a))));
}

/// Outside the school's staff loans do not exist; inside without the role,
/// 403. Route by route.
async fn loans_are_scoped_route_by_route(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    asset(app, &c, a, "TAB-S", "tablet", "in_service", "").await;
    let zoe = pupil(app, a).await;
    let r = lend(
        app,
        &c,
        a,
        &[("asset", "TAB-S"), ("borrower", &format!("pupil:{zoe}"))],
    )
    .await;
    assert_eq!(r.status(), 303);
    let l = loans_of(app, a).await.pop().expect("loan");
    let party = loan_party::Entity::find()
        .filter(loan_party::Column::LoanId.eq(l.id))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("party");
    let base = loans(a);
    let one = format!("{base}/{}", l.id);
    let gets = [
        base.clone(),
        format!("{base}/nouveau"),
        format!("{base}/charte"),
        format!("{base}/mes-prets"),
        one.clone(),
        format!("{one}/convention"),
        format!("{one}/retour"),
    ];
    for (who, expected) in [
        (REGION, 404),
        (PRESTATAIRE, 404),
        (DANE, 404),
        (REFERENT_B, 404),
        (TEACHER_B, 404),
    ] {
        let x = app.signed_in(who).await;
        for path in &gets {
            let (status, body) = get(app, &x, path).await;
            assert_eq!(status, expected, "{who} GET {path}");
            assert!(!body.contains("DURAND"), "{who} {path}");
        }
        // Writes: the CSRF token of a page the caller may open.
        for (action, fields) in [
            (format!("{base}/nouveau"), vec![("asset", "TAB-S")]),
            (format!("{base}/charte"), vec![("title", "x")]),
            (format!("{one}/signature"), vec![("party", "x")]),
            (format!("{one}/retour"), vec![("state", "good")]),
        ] {
            let r = app.post_form(&x, "/compte", &action, &fields).await;
            assert_eq!(r.status().as_u16(), expected, "{who} POST {action}");
        }
        // The asset's page shows no loan to the collectivité.
        let (_, asset_page) = get(
            app,
            &x,
            &format!("/etablissements/{a}/parc/equipements/{}", l.asset_id),
        )
        .await;
        assert!(!asset_page.contains("parc-loans-table"), "{who}");
    }
    // A teacher of the school: 403 on the school's loans and forms, 404 on
    // a loan that is not theirs.
    let t = app.signed_in(TEACHER_A).await;
    for path in [
        base.clone(),
        format!("{base}/nouveau"),
        format!("{base}/charte"),
    ] {
        let (status, _) = get(app, &t, &path).await;
        assert_eq!(status, 403, "teacher GET {path}");
    }
    for path in [
        one.clone(),
        format!("{one}/convention"),
        format!("{one}/retour"),
    ] {
        let (status, _) = get(app, &t, &path).await;
        assert_eq!(status, 404, "teacher GET {path}");
    }
    let r = app
        .post_form(
            &t,
            "/compte",
            &format!("{one}/signature"),
            &[
                ("party", &party.id.to_string()),
                ("signer_name", "X"),
                ("method", "paper"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert!(
        loan_party::Entity::find_by_id(party.id)
            .one(&app.db.conn)
            .await
            .expect("q")
            .expect("party")
            .signed_at
            .is_none()
    );
    // The collectivité's indicators page has no loans card.
    let region = app.signed_in(REGION).await;
    let ind = page(
        app,
        &region,
        &format!("/etablissements/{a}/indicateurs/parc"),
    )
    .await;
    assert!(!ind.contains("id=\"ind-loans\""));
}

/// The upkeep task reminds the managers once per overdue loan, even when
/// several servers run it at once.
async fn overdue_reminders_are_sent_once(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    asset(app, &c, a, "TAB-R1", "tablet", "in_service", "").await;
    asset(app, &c, a, "TAB-R2", "tablet", "in_service", "").await;
    let zoe = pupil(app, a).await;
    let who = format!("pupil:{zoe}");
    for (n, due) in [("TAB-R1", day(-1)), ("TAB-R2", day(5))] {
        let r = lend(
            app,
            &c,
            a,
            &[
                ("asset", n),
                ("borrower", &who),
                ("start_on", &day(-10)),
                ("due_on", &due),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
    }
    let now = Utc::now();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move { refnum_services::prets::reminders::run(&db, now).await })
        })
        .collect();
    let mut sent = 0;
    for r in runs {
        sent += r.await.expect("task").expect("run");
    }
    assert_eq!(sent, 1, "one overdue loan, reminded once");
    let notes = notification::Entity::find()
        .filter(notification::Column::Kind.eq("loan-overdue"))
        .all(&app.db.conn)
        .await
        .expect("notifications");
    // The referent, the head and the bursar of the school.
    let mut to: Vec<Uuid> = notes.iter().map(|n| n.account_id).collect();
    to.sort();
    let mut expected = vec![
        app.account_id(REFERENT_A).await,
        app.account_id(DIRECTION_A).await,
        app.account_id(GESTIONNAIRE_A).await,
    ];
    expected.sort();
    assert_eq!(to, expected);
    assert!(
        notes
            .iter()
            .all(|n| n.title.starts_with("TAB-R1 · ") && !n.title.contains("DURAND"))
    );
    assert_eq!(
        refnum_services::prets::reminders::run(&app.db, now)
            .await
            .expect("again"),
        0
    );
    let list = page(app, &c, "/notifications").await;
    assert!(list.contains("Prêt en retard"), "{list}");
}

/// The charter is versioned: a new version never edits an old one; a loan
/// names the version in force when it was made.
async fn the_charter_is_versioned(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(DIRECTION_A).await;
    let path = format!("{}/charte", loans(a));
    let empty = page(app, &c, &path).await;
    assert!(empty.contains("id=\"charter-none\""));
    let r = app
        .post_form(
            &c,
            &path,
            &path,
            &[("title", ""), ("body", " "), ("effective_on", "31/02/2026")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("Ce champ est obligatoire.") && body.contains("Indiquez une date valide")
    );
    for (title, text) in [
        ("Charte", "Article un."),
        ("Charte révisée", "Article un, révisé."),
    ] {
        let r = app
            .post_form(
                &c,
                &path,
                &path,
                &[("title", title), ("body", text), ("effective_on", &day(0))],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let shown = page(app, &c, &path).await;
    assert!(shown.contains("Charte — version 1") && shown.contains("Article un."));
    assert!(shown.contains("Charte révisée — version 2") && shown.contains("Article un, révisé."));
    asset(app, &c, a, "TAB-V", "tablet", "in_service", "").await;
    let zoe = pupil(app, a).await;
    let r = lend(
        app,
        &c,
        a,
        &[("asset", "TAB-V"), ("borrower", &format!("pupil:{zoe}"))],
    )
    .await;
    assert_eq!(r.status(), 303);
    let conv = page(
        app,
        &c,
        &format!(
            "{}/convention",
            location(&r).split('?').next().unwrap_or("")
        ),
    )
    .await;
    assert!(conv.contains("Version 2 « Charte révisée »"), "{conv}");
}

/// `refnum demo` lends in the vocational lycée once: one loan overdue, one
/// returned with its charger missing.
async fn the_demo_loans(app: &TestApp) {
    app.demo().await;
    assert_eq!(
        refnum_services::prets::demo::seed_demo_schools(&app.db)
            .await
            .expect("demo"),
        3
    );
    assert_eq!(
        refnum_services::prets::demo::seed_demo_schools(&app.db)
            .await
            .expect("again"),
        0
    );
    let a = app.etab_id(UAI_C).await;
    let c = app.signed_in("referent.lepine@ac-normandie.test").await;
    let overdue = page(app, &c, &format!("{}?vue=en-retard", loans(a))).await;
    assert!(overdue.contains("PRET-TAB-02"));
    let returned = page(app, &c, &format!("{}?vue=rendus", loans(a))).await;
    assert!(returned.contains("PRET-PC-01"));
    assert_eq!(asset_row(app, a, "PRET-CHG-01").await.status, "retired");
    assert_eq!(asset_row(app, a, "PRET-TAB-03").await.status, "in_service");
    let n = loan::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(n, 3);
}

both_backends!(
    a_pupil_loan_signed_and_returned_without_its_charger,
    lending_refuses_unavailable_assets_and_bad_input,
    lists_histories_and_own_loans,
    loans_are_scoped_route_by_route,
    overdue_reminders_are_sent_once,
    the_charter_is_versioned,
    the_demo_loans,
);
