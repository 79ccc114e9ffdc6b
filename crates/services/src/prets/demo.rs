//! Demo loans (`refnum demo`): in the vocational lycée of the demo (the
//! other demo schools stay as the parc's tests know them), a loan charter,
//! two pupils with their guardians in the directory (as a SIECLE import
//! would bring them), tablets and a laptop with a charger in the parc, and
//! three loans: one out, one overdue, one returned (a tablet stays
//! available for the next one).

use super::By;
use super::charter::{CharterInput, add_as};
use super::convention::{SignInput, sign_as};
use super::give_back::{ItemReturn, ReturnInput, give_back_as};
use super::lend::{ItemInput, LendInput, lend_as};
use crate::error::Result;
use chrono::{Days, Utc};
use refnum_db::Db;
use refnum_db::entities::annuaire_guardianship as guardianship;
use refnum_db::entities::annuaire_person as person;
use refnum_db::entities::parc::parc_asset;
use refnum_db::prets as q;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// The demo charter's text.
const CHARTER: &str = "Le matériel prêté reste la propriété de son propriétaire, nommé dans la convention.\n\
L'emprunteur en prend soin, ne le prête pas et ne le modifie pas.\n\
Toute panne, perte ou casse est signalée sans délai au référent numérique.\n\
Le matériel et ses accessoires sont rendus à la date prévue, ou plus tôt si l'établissement le demande.\n\
L'usage du matériel respecte la charte informatique de l'établissement.";

/// A pupil and its guardians of the directory, created once (keyed by
/// `source_key`). Returns the pupil's id.
pub async fn pupil_with_guardians(
    db: &Db,
    etab: Uuid,
    key: &str,
    pupil: (&str, &str, &str),
    guardians: &[(&str, &str, &str)],
) -> Result<Uuid> {
    let c = &db.conn;
    let find = |k: String| {
        person::Entity::find()
            .filter(person::Column::EtablissementId.eq(etab))
            .filter(person::Column::SourceKey.eq(k))
            .one(c)
    };
    if let Some(p) = find(format!("{key}-pupil")).await? {
        return Ok(p.id);
    }
    let now = Utc::now();
    let row = |kind: &str, k: String, civility: &str, last: &str, first: &str| person::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        kind: kind.into(),
        source: "siecle".into(),
        source_key: k,
        ine: None,
        civility: (!civility.is_empty()).then(|| civility.to_string()),
        last_name: last.into(),
        first_name: first.into(),
        birth_date: None,
        email: None,
        functions: "[]".into(),
        disciplines: "[]".into(),
        missions: "[]".into(),
        structures: "[]".into(),
        class_code: (kind == "pupil").then(|| "2NDE3".to_string()),
        groups: "[]".into(),
        mef_code: None,
        status: "active".into(),
        left_at: None,
        account_id: None,
        search_text: refnum_domain::search::text_of(&[last, first]),
        content_hash: String::new(),
        source_file: "demo".into(),
        imported_at: now,
        created_at: now,
        updated_at: now,
    };
    let p = row("pupil", format!("{key}-pupil"), pupil.0, pupil.1, pupil.2);
    let mut rows = vec![p.clone()];
    let mut links = vec![];
    for (i, (civ, last, first)) in guardians.iter().enumerate() {
        let g = row("guardian", format!("{key}-guardian-{i}"), civ, last, first);
        links.push(guardianship::Model {
            pupil_id: p.id,
            guardian_id: g.id,
            relation: Some(if *civ == "M." { "pere" } else { "mere" }.to_string()),
            legal: true,
        });
        rows.push(g);
    }
    let txn = db.write().await?;
    refnum_db::annuaire::insert_people(&*txn, rows.into_iter().map(Into::into).collect()).await?;
    refnum_db::annuaire::replace_guardianships(&*txn, &[p.id], links).await?;
    txn.commit().await?;
    Ok(p.id)
}

async fn asset(
    db: &Db,
    etab: Uuid,
    number: &str,
    category: &str,
    model: &str,
    parent: Option<Uuid>,
) -> Result<parc_asset::Model> {
    if let Some(a) = refnum_db::parc::asset_by_inventory_number(&db.conn, etab, number).await? {
        return Ok(a);
    }
    let now = Utc::now();
    let mut a = parc_asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        inventory_number: number.into(),
        category: category.into(),
        manufacturer: "Lenovo".into(),
        model: model.into(),
        serial: String::new(),
        owner: "collectivite".into(),
        owner_label: None,
        funding: None,
        purchase_date: None,
        warranty_end: None,
        room_id: None,
        holder_name: None,
        holder_account_id: None,
        status: "in_service".into(),
        parent_id: parent,
        notes: String::new(),
        qr_token: crate::parc::new_qr_token(),
        search_text: String::new(),
        created_at: now,
        updated_at: now,
        retired_at: None,
    };
    a.search_text = crate::parc::asset_search_text(&a);
    refnum_db::parc::insert_asset(&db.conn, a.clone()).await?;
    Ok(a)
}

fn day(offset: i64) -> String {
    let today = super::today();
    let d = if offset >= 0 {
        today.checked_add_days(Days::new(offset as u64))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.unwrap_or(today).to_string()
}

/// Writes the demo loans of a school once; returns how many loans.
pub async fn seed(db: &Db, etab_id: Uuid) -> Result<u64> {
    let Some(etab) = refnum_db::orgs::get_etablissement(&db.conn, etab_id).await? else {
        return Ok(0);
    };
    let any = refnum_db::entities::loans::loan::Entity::find()
        .filter(refnum_db::entities::loans::loan::Column::EtablissementId.eq(etab.id))
        .count(&db.conn)
        .await?;
    if any > 0 {
        return Ok(0);
    }
    let by = By::system("demo");
    if q::latest_charter(&db.conn, etab.id).await?.is_none() {
        add_as(
            db,
            &by.audit,
            etab.id,
            &CharterInput {
                title: "Charte du prêt de matériel numérique".into(),
                body: CHARTER.into(),
                effective_on: day(-90),
            },
        )
        .await?;
    }
    let lea = pupil_with_guardians(
        db,
        etab.id,
        "demo-pret-1",
        ("", "MARTIN", "Léa"),
        &[("Mme", "MARTIN", "Claire"), ("M.", "MARTIN", "Olivier")],
    )
    .await?;
    let noah = pupil_with_guardians(
        db,
        etab.id,
        "demo-pret-2",
        ("", "BERNARD", "Noah"),
        &[("Mme", "PETIT", "Sandrine")],
    )
    .await?;
    let tab1 = asset(db, etab.id, "PRET-TAB-01", "tablet", "Tab M10", None).await?;
    let tab2 = asset(db, etab.id, "PRET-TAB-02", "tablet", "Tab M10", None).await?;
    let pc = asset(db, etab.id, "PRET-PC-01", "laptop", "ThinkPad E14", None).await?;
    // Available, for the next loan.
    asset(db, etab.id, "PRET-TAB-03", "tablet", "Tab M10", None).await?;
    let charger = asset(
        db,
        etab.id,
        "PRET-CHG-01",
        "other",
        "Chargeur USB-C 65 W",
        Some(pc.id),
    )
    .await?;
    let teacher = refnum_db::assistance::accounts_with_roles_on(&db.conn, etab.id, &["enseignant"])
        .await?
        .into_iter()
        .next();

    let item = |what: &str| ItemInput {
        what: what.into(),
        present: true,
        remarks: String::new(),
    };
    // Out, signed by everyone, for the school year.
    let out = lend_as(
        db,
        &by,
        &etab,
        &LendInput {
            asset: tab1.inventory_number.clone(),
            borrower: format!("pupil:{lea}"),
            start_on: day(-20),
            due_on: day(200),
            end_kind: "return".into(),
            departure_state: "good".into(),
            departure_remarks: String::new(),
            items: vec![item("Chargeur"), item("Housse")],
        },
    )
    .await?;
    for p in q::parties_of(&db.conn, out.id).await? {
        let signer = if p.role == "school" {
            "Sophie Girard, proviseure".to_string()
        } else {
            p.name.clone()
        };
        sign_as(
            db,
            &by,
            etab.id,
            out.id,
            &SignInput {
                party: p.id.to_string(),
                signer_name: signer,
                method: "paper".into(),
                signed_on: String::new(),
            },
        )
        .await?;
    }
    // Overdue: due a week ago.
    lend_as(
        db,
        &by,
        &etab,
        &LendInput {
            asset: tab2.inventory_number.clone(),
            borrower: format!("pupil:{noah}"),
            start_on: day(-60),
            due_on: day(-7),
            end_kind: "return".into(),
            departure_state: "worn".into(),
            departure_remarks: "Rayure au dos.".into(),
            items: vec![item("Chargeur")],
        },
    )
    .await?;
    let mut n = 2;
    // Returned, its charger missing.
    if let Some(t) = teacher {
        let l = lend_as(
            db,
            &by,
            &etab,
            &LendInput {
                asset: pc.inventory_number.clone(),
                borrower: format!("staff:{t}"),
                start_on: day(-40),
                due_on: day(-10),
                end_kind: "return".into(),
                departure_state: "good".into(),
                departure_remarks: String::new(),
                items: vec![item(&charger.inventory_number)],
            },
        )
        .await?;
        let items = q::items_of(&db.conn, l.id).await?;
        give_back_as(
            db,
            &by,
            etab.id,
            l.id,
            &ReturnInput {
                returned_on: day(-12),
                state: "good".into(),
                remarks: "Chargeur oublié, racheté par l'établissement.".into(),
                items: items
                    .iter()
                    .map(|i| ItemReturn {
                        item_id: i.id.to_string(),
                        state: "missing".into(),
                        remarks: String::new(),
                    })
                    .collect(),
            },
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

/// The demo loans of the Lycée professionnel Victor Lépine (`refnum demo`).
pub async fn seed_demo_schools(db: &Db) -> Result<u64> {
    match refnum_db::orgs::get_etablissement_by_uai(&db.conn, "0140018U").await? {
        Some(e) => seed(db, e.id).await,
        None => Ok(0),
    }
}
