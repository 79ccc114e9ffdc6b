//! The parc integration tests: places, assets, their history, bulk edits,
//! the pages and the API, and who may see what, route by route.

use chrono::{NaiveDate, Utc};
use refnum_db::entities::audit_event;
use refnum_db::entities::parc::{parc_asset, parc_asset_event, parc_room};
use refnum_db::parc::{self as q, AssetFilter, AssetSort, WarrantyFilter};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

fn asset_row(etab: Uuid, n: usize, room: Option<Uuid>) -> parc_asset::Model {
    let now = Utc::now();
    parc_asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        inventory_number: format!("INV-{n:04}"),
        category: if n.is_multiple_of(3) {
            "laptop"
        } else {
            "desktop"
        }
        .into(),
        manufacturer: "Dell".into(),
        model: format!("Latitude {}", 5000 + n % 7),
        serial: format!("SN{n:06}"),
        owner: "collectivite".into(),
        owner_label: Some("Région Normandie".into()),
        funding: None,
        purchase_date: NaiveDate::from_ymd_opt(2020, 1, 1 + (n % 28) as u32),
        warranty_end: NaiveDate::from_ymd_opt(2020 + (n % 10) as i32, 6, 30),
        room_id: room,
        holder_name: None,
        holder_account_id: None,
        status: if n.is_multiple_of(10) {
            "broken"
        } else {
            "in_service"
        }
        .into(),
        parent_id: None,
        notes: String::new(),
        qr_token: Uuid::new_v4().simple().to_string()[..22].to_string(),
        search_text: refnum_domain::search::text_of(&[
            &format!("INV-{n:04}"),
            "Dell",
            &format!("SN{n:06}"),
        ]),
        created_at: now,
        updated_at: now,
        retired_at: None,
    }
}

fn room_row(etab: Uuid, name: &str) -> parc_room::Model {
    let now = Utc::now();
    parc_room::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        building_id: None,
        name: name.into(),
        kind: "classroom".into(),
        capacity: Some(30),
        floor: None,
        notes: String::new(),
        search_text: refnum_domain::search::fold(name),
        created_at: now,
        updated_at: now,
    }
}

/// The storage layer: chunked inserts, the scoped list with its filters,
/// sorts and pages, history rows.
async fn storage_lists_filter_sort_and_page(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let c = &app.db.conn;
    let r1 = room_row(a, "B12");
    let r2 = room_row(a, "A01");
    q::insert_rooms(c, vec![r1.clone(), r2.clone()])
        .await
        .expect("query");
    let rows: Vec<_> = (0..120)
        .map(|n| {
            asset_row(
                a,
                n,
                if n < 30 {
                    Some(r1.id)
                } else if n < 40 {
                    Some(r2.id)
                } else {
                    None
                },
            )
        })
        .collect();
    q::insert_assets(c, rows.clone()).await.expect("query");
    q::insert_assets(c, vec![asset_row(b, 1, None)])
        .await
        .expect("query");

    let base = AssetFilter {
        per_page: 50,
        ..Default::default()
    };
    let (page, total) = q::list_assets(c, a, &base).await.expect("query");
    assert_eq!(total, 120);
    assert_eq!(page.len(), 50);
    assert_eq!(page[0].asset.inventory_number, "INV-0000");
    let (page3, _) = q::list_assets(
        c,
        a,
        &AssetFilter {
            page: 2,
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(page3.len(), 20);
    assert_eq!(page3[19].asset.inventory_number, "INV-0119");

    let (_, n) = q::list_assets(
        c,
        a,
        &AssetFilter {
            category: Some("laptop".into()),
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(n, 40);
    let (_, n) = q::list_assets(
        c,
        a,
        &AssetFilter {
            status: Some("broken".into()),
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(n, 12);
    let (_, n) = q::list_assets(
        c,
        a,
        &AssetFilter {
            room: Some(r1.id),
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(n, 30);
    let (_, n) = q::list_assets(
        c,
        a,
        &AssetFilter {
            unplaced: true,
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(n, 80);
    let (hit, n) = q::list_assets(
        c,
        a,
        &AssetFilter {
            q: Some("sn000042".into()),
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(n, 1);
    assert_eq!(hit[0].asset.inventory_number, "INV-0042");
    let today = NaiveDate::from_ymd_opt(2025, 1, 1);
    let (_, n) = q::list_assets(
        c,
        a,
        &AssetFilter {
            warranty: Some(WarrantyFilter::Expired),
            today,
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(n, 60);
    let (page, _) = q::list_assets(
        c,
        a,
        &AssetFilter {
            sort: AssetSort::Room,
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(page[0].room.as_ref().map(|r| r.name.as_str()), Some("A01"));
    let (page, _) = q::list_assets(
        c,
        a,
        &AssetFilter {
            sort: AssetSort::Room,
            desc: true,
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(page[0].room.as_ref().map(|r| r.name.as_str()), Some("B12"));
    let (page, _) = q::list_assets(
        c,
        a,
        &AssetFilter {
            sort: AssetSort::InventoryNumber,
            desc: true,
            ..base.clone()
        },
    )
    .await
    .expect("query");
    assert_eq!(page[0].asset.inventory_number, "INV-0119");

    // Scoped: another school's asset is not found.
    assert!(
        q::get_asset(c, b, rows[0].id)
            .await
            .expect("query")
            .is_none()
    );
    assert_eq!(
        q::assets_by_ids(c, b, &[rows[0].id, rows[1].id])
            .await
            .expect("query")
            .len(),
        0
    );
    assert!(
        q::asset_by_qr_token(c, &rows[3].qr_token)
            .await
            .expect("query")
            .is_some()
    );
    let counts = q::asset_counts_by_room(c, a).await.expect("query");
    assert_eq!(counts.get(&r1.id), Some(&30));

    let ev = parc_asset_event::Model {
        id: Uuid::now_v7(),
        asset_id: rows[0].id,
        etablissement_id: a,
        occurred_at: Utc::now(),
        actor_id: None,
        actor_name: "test".into(),
        kind: "created".into(),
        changes: "[]".into(),
        note: None,
    };
    q::insert_asset_events(c, vec![ev]).await.expect("query");
    assert_eq!(
        q::events_of(c, a, rows[0].id, 10)
            .await
            .expect("query")
            .len(),
        1
    );
    assert_eq!(
        q::events_of(c, b, rows[0].id, 10)
            .await
            .expect("query")
            .len(),
        0
    );
}

both_backends!(storage_lists_filter_sort_and_page);

/// The list's order against one computed here, for every sort, both
/// directions, several filters and page sizes: the assets without the
/// sort's key (purchase date, warranty end, room) come last, by inventory
/// number, whatever the direction; ties go by inventory number; the pages
/// follow one another without a gap or a repeat, also across the assets
/// without the key. Both the whole rows and the list page's lines.
async fn list_order_matches_a_reference(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let c = &app.db.conn;
    // Names whose byte order and linguistic order agree (PostgreSQL may
    // compare with a locale's collation).
    let r1 = room_row(a, "Bxx");
    let r2 = room_row(a, "Axx");
    q::insert_rooms(c, vec![r1.clone(), r2.clone()])
        .await
        .expect("query");
    let base_time = chrono::DateTime::from_timestamp(1_767_225_600, 0).expect("time");
    let rows: Vec<parc_asset::Model> = (0..90usize)
        .map(|n| {
            let mut r = asset_row(
                a,
                n,
                match n % 5 {
                    0 => None,
                    1 | 2 => Some(r1.id),
                    _ => Some(r2.id),
                },
            );
            // Inventory numbers in another order than the insertion.
            r.inventory_number = format!("INV-{:04}", (n * 37) % 90);
            r.category = ["laptop", "desktop", "tablet"][n % 3].into();
            r.manufacturer = ["Acer", "Dell", "Lenovo"][(n / 7) % 3].into();
            r.model = format!("M{}", n % 4);
            r.purchase_date = (n % 6 != 0)
                .then(|| NaiveDate::from_ymd_opt(2020, 1 + (n % 5) as u32, 1))
                .flatten();
            r.warranty_end = (n % 4 != 1)
                .then(|| NaiveDate::from_ymd_opt(2022 + (n % 3) as i32, 6, 30))
                .flatten();
            r.status = if n % 10 == 0 {
                "retired"
            } else if n % 7 == 0 {
                "broken"
            } else {
                "in_service"
            }
            .into();
            r.updated_at = base_time + chrono::Duration::seconds((n % 9) as i64);
            r
        })
        .collect();
    q::insert_assets(c, rows.clone()).await.expect("query");
    q::insert_assets(c, vec![asset_row(b, 1, None)])
        .await
        .expect("query");
    let room_name = |r: &parc_asset::Model| {
        r.room_id
            .map(|id| if id == r1.id { "Bxx" } else { "Axx" }.to_string())
    };

    let sorts = [
        AssetSort::InventoryNumber,
        AssetSort::Category,
        AssetSort::Model,
        AssetSort::Room,
        AssetSort::Status,
        AssetSort::PurchaseDate,
        AssetSort::WarrantyEnd,
        AssetSort::Updated,
    ];
    type Keep = fn(&parc_asset::Model) -> bool;
    let filters: Vec<(AssetFilter, Keep)> = vec![
        (AssetFilter::default(), |r| r.status != "retired"),
        (
            AssetFilter {
                include_retired: true,
                ..Default::default()
            },
            |_| true,
        ),
        (
            AssetFilter {
                category: Some("laptop".into()),
                ..Default::default()
            },
            |r| r.category == "laptop" && r.status != "retired",
        ),
        (
            AssetFilter {
                status: Some("in_service".into()),
                ..Default::default()
            },
            |r| r.status == "in_service",
        ),
        (
            AssetFilter {
                warranty: Some(WarrantyFilter::Unknown),
                ..Default::default()
            },
            |r| r.warranty_end.is_none() && r.status != "retired",
        ),
    ];
    for (filter, keep) in &filters {
        for sort in sorts {
            for desc in [false, true] {
                let mut want: Vec<&parc_asset::Model> = rows.iter().filter(|r| keep(r)).collect();
                want.sort_by(|x, y| {
                    use std::cmp::Ordering;
                    // Some(key) or None (listed last whatever the direction).
                    fn opt<T: Ord>(x: Option<T>, y: Option<T>, desc: bool) -> Ordering {
                        match (x, y) {
                            (Some(x), Some(y)) if desc => y.cmp(&x),
                            (Some(x), Some(y)) => x.cmp(&y),
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        }
                    }
                    let by_key = match sort {
                        AssetSort::InventoryNumber => {
                            opt(Some(&x.inventory_number), Some(&y.inventory_number), desc)
                        }
                        AssetSort::Category => opt(Some(&x.category), Some(&y.category), desc),
                        AssetSort::Model => opt(
                            Some((&x.manufacturer, &x.model)),
                            Some((&y.manufacturer, &y.model)),
                            desc,
                        ),
                        AssetSort::Room => opt(room_name(x), room_name(y), desc),
                        AssetSort::Status => opt(Some(&x.status), Some(&y.status), desc),
                        AssetSort::PurchaseDate => opt(x.purchase_date, y.purchase_date, desc),
                        AssetSort::WarrantyEnd => opt(x.warranty_end, y.warranty_end, desc),
                        AssetSort::Updated => opt(Some(x.updated_at), Some(y.updated_at), desc),
                    };
                    by_key.then_with(|| x.inventory_number.cmp(&y.inventory_number))
                });
                let want: Vec<&str> = want.iter().map(|r| r.inventory_number.as_str()).collect();
                for per_page in [7u64, 50] {
                    let what = format!("{sort:?} desc={desc} per_page={per_page} {filter:?}");
                    let mut got: Vec<String> = vec![];
                    let mut lines: Vec<String> = vec![];
                    for page in 0.. {
                        let f = AssetFilter {
                            sort,
                            desc,
                            page,
                            per_page,
                            ..filter.clone()
                        };
                        let (rows, total) = q::list_assets(c, a, &f).await.expect("query");
                        let (line_rows, line_total) =
                            q::list_asset_lines(c, a, &f).await.expect("query");
                        assert_eq!(total, want.len() as u64, "{what}");
                        assert_eq!(line_total, total, "{what}");
                        assert!(rows.len() as u64 <= per_page, "{what}");
                        for l in &line_rows {
                            let whole =
                                rows.iter().find(|r| r.asset.id == l.id).expect("same rows");
                            assert_eq!(
                                l.room_name,
                                whole.room.as_ref().map(|r| r.name.clone()),
                                "{what}"
                            );
                            assert_eq!(l.purchase_date, whole.asset.purchase_date, "{what}");
                        }
                        lines.extend(line_rows.into_iter().map(|l| l.inventory_number));
                        if rows.is_empty() {
                            break;
                        }
                        got.extend(rows.into_iter().map(|r| r.asset.inventory_number));
                    }
                    assert_eq!(got, want, "{what}");
                    assert_eq!(lines, want, "{what}");
                }
            }
        }
    }
}

both_backends!(list_order_matches_a_reference);

// ------------------------------------------------------------------ helpers

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn assets_of(app: &TestApp, etab: Uuid) -> Vec<parc_asset::Model> {
    parc_asset::Entity::find()
        .filter(parc_asset::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("assets")
}

async fn events_for(app: &TestApp, asset: Uuid) -> Vec<parc_asset_event::Model> {
    parc_asset_event::Entity::find()
        .filter(parc_asset_event::Column::AssetId.eq(asset))
        .order_by_asc(parc_asset_event::Column::OccurredAt)
        .order_by_asc(parc_asset_event::Column::Id)
        .all(&app.db.conn)
        .await
        .expect("events")
}

/// Creates a room through its form; returns its id.
async fn create_room(app: &TestApp, c: &reqwest::Client, etab: Uuid, name: &str) -> Uuid {
    let page = format!("/etablissements/{etab}/parc/salles");
    let r = app
        .post_form(
            c,
            &page,
            &page,
            &[
                ("name", name),
                ("kind", "computer_room"),
                ("capacity", "24"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "room {name} created");
    parc_room::Entity::find()
        .filter(parc_room::Column::EtablissementId.eq(etab))
        .filter(parc_room::Column::Name.eq(name))
        .one(&app.db.conn)
        .await
        .expect("room")
        .expect("room stored")
        .id
}

fn asset_form<'a>(number: &'a str, room: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("inventory_number", number),
        ("category", "laptop"),
        ("manufacturer", "Lenovo"),
        ("model", "ThinkPad L14"),
        ("serial", "PF3ABC12"),
        ("owner", "collectivite"),
        ("owner_label", "Région Normandie"),
        ("funding", "Plan numérique 2023"),
        ("purchase_date", "02/09/2023"),
        ("warranty_end", "2026-09-01"),
        ("room", room),
        ("holder_name", ""),
        ("status", "in_service"),
        ("parent", ""),
        ("notes", "Poste du professeur"),
    ]
}

// -------------------------------------------------------------------- pages

/// A referent creates rooms and an asset through the forms, edits it, and
/// its page shows every field and the history with the changes.
async fn create_edit_and_history_through_the_pages(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let c = app.signed_in(REFERENT_A).await;
    let r1 = create_room(app, &c, a, "Salle 104").await;
    let r2 = create_room(app, &c, a, "CDI").await;
    let new = format!("/etablissements/{a}/parc/nouveau");
    let r1s = r1.to_string();
    let r = app
        .post_form(&c, &new, &new, &asset_form(" pc-0042 ", &r1s))
        .await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    let stored = assets_of(app, a).await;
    assert_eq!(stored.len(), 1);
    let asset = &stored[0];
    assert_eq!(asset.inventory_number, "PC-0042", "trimmed and upper-cased");
    assert_eq!(asset.room_id, Some(r1));
    assert_eq!(asset.purchase_date, NaiveDate::from_ymd_opt(2023, 9, 2));
    assert_eq!(asset.qr_token.len(), 22, "128 bits in base64url");
    assert!(to.starts_with(&format!(
        "/etablissements/{a}/parc/equipements/{}",
        asset.id
    )));
    let (status, body) = get(app, &c, &to).await;
    assert_eq!(status, 200);
    for text in [
        "PC-0042",
        "ThinkPad L14",
        "Région Normandie",
        "Salle 104",
        "02/09/2023",
        "Création",
    ] {
        assert!(body.contains(text), "asset page shows {text}");
    }
    assert!(body.contains(&format!("/q/{}", asset.qr_token)));
    assert!(body.contains(&format!(
        "/etablissements/{a}/assistance/nouveau?equipement={}",
        asset.id
    )));

    // Edit: moved to the CDI and broken, with a note.
    let edit = format!("/etablissements/{a}/parc/equipements/{}/modifier", asset.id);
    let (status, form) = get(app, &c, &edit).await;
    assert_eq!(status, 200);
    assert!(
        form.contains("value=\"02/09/2023\""),
        "dates shown the French way"
    );
    let r2s = r2.to_string();
    let mut fields = asset_form("PC-0042", &r2s);
    fields.retain(|(k, _)| *k != "status");
    fields.push(("status", "broken"));
    fields.push(("note", "Écran fissuré"));
    let r = app.post_form(&c, &edit, &edit, &fields).await;
    assert_eq!(r.status(), 303);
    let events = events_for(app, asset.id).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind, "created");
    assert_eq!(events[1].kind, "updated");
    let changes: serde_json::Value = serde_json::from_str(&events[1].changes).expect("json");
    let fields_changed: Vec<&str> = changes
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(fields_changed, ["room", "status"]);
    assert_eq!(changes[0]["from"], "Salle 104");
    assert_eq!(changes[0]["to"], "CDI");
    assert_eq!(events[1].note.as_deref(), Some("Écran fissuré"));
    assert_eq!(events[1].actor_id, Some(app.account_id(REFERENT_A).await));

    // The status form alone: a `status` row.
    let show = format!("/etablissements/{a}/parc/equipements/{}", asset.id);
    let r = app
        .post_form(
            &c,
            &show,
            &format!("{show}/etat"),
            &[("status", "in_repair"), ("note", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let events = events_for(app, asset.id).await;
    assert_eq!(events.last().map(|e| e.kind.as_str()), Some("status"));
    let (_, body) = get(app, &c, &show).await;
    assert!(
        body.contains("« Salle 104 » → « CDI »"),
        "history shows the move"
    );
    assert!(
        body.contains("« En panne » → « En réparation »"),
        "history shows the status"
    );
    assert!(body.contains("Écran fissuré"));

    // Retired: out of the default list, in the "every status" one.
    let r = app
        .post_form(&c, &show, &format!("{show}/etat"), &[("status", "retired")])
        .await;
    assert_eq!(r.status(), 303);
    let retired = assets_of(app, a).await;
    assert!(retired[0].retired_at.is_some());
    let (_, list) = get(app, &c, &format!("/etablissements/{a}/parc")).await;
    assert!(!list.contains("PC-0042"));
    let (_, list) = get(app, &c, &format!("/etablissements/{a}/parc?etat=tous")).await;
    assert!(list.contains("PC-0042"));

    // Audited.
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("parc.asset.updated"))
        .count(&app.db.conn)
        .await
        .expect("audit");
    assert_eq!(audited, 3);
}

/// Bad input: a clear field error, nothing stored.
async fn bad_input_is_refused_field_by_field(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let c = app.signed_in(REFERENT_A).await;
    let new = format!("/etablissements/{a}/parc/nouveau");
    let r = app.post_form(&c, &new, &new, &asset_form("PC-1", "")).await;
    assert_eq!(r.status(), 303);
    let before = assets_of(app, a).await;

    // The same number (case aside) → field error, nothing stored.
    let r = app.post_form(&c, &new, &new, &asset_form("pc-1", "")).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("est déjà utilisé dans l"));
    assert!(body.contains("id=\"error-inventory_number\""));
    assert_eq!(assets_of(app, a).await.len(), before.len());

    // The same number in another school is fine.
    let cb = app.signed_in(REFERENT_B).await;
    let new_b = format!("/etablissements/{b}/parc/nouveau");
    let r = app
        .post_form(&cb, &new_b, &new_b, &asset_form("PC-1", ""))
        .await;
    assert_eq!(r.status(), 303);

    for (field, value, message) in [
        ("purchase_date", "31/02/2024", "Date invalide"),
        ("warranty_end", "demain", "Date invalide"),
        (
            "warranty_end",
            "01/01/2020",
            "La fin de garantie ne peut précéder",
        ),
        ("inventory_number", "", "Ce champ est obligatoire"),
        ("category", "grille-pain", "Choisissez une valeur"),
        ("room", &Uuid::now_v7().to_string(), "Cette salle n"),
        ("parent", "INCONNU-9", "Aucun équipement de l"),
    ] {
        let mut fields = asset_form("PC-2", "");
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        let r = app.post_form(&c, &new, &new, &fields).await;
        assert_eq!(r.status(), 422, "{field}={value}");
        let body = r.text().await.expect("body");
        assert!(body.contains(message), "{field}={value}: {message}");
        assert!(
            body.contains(&format!("id=\"error-{field}\"")),
            "{field} error next to it"
        );
    }
    assert_eq!(assets_of(app, a).await.len(), 1, "nothing stored");

    // Parents: not itself, not its own child, not another school's.
    let fields = {
        let mut f = asset_form("CHARIOT-1", "");
        f.retain(|(k, _)| *k != "category");
        f.push(("category", "mobile_cart"));
        f
    };
    assert_eq!(app.post_form(&c, &new, &new, &fields).await.status(), 303);
    let mut f = asset_form("TAB-1", "");
    f.retain(|(k, _)| *k != "parent");
    f.push(("parent", "chariot-1"));
    assert_eq!(app.post_form(&c, &new, &new, &f).await.status(), 303);
    let all = assets_of(app, a).await;
    let cart = all
        .iter()
        .find(|x| x.inventory_number == "CHARIOT-1")
        .expect("cart");
    let tablet = all
        .iter()
        .find(|x| x.inventory_number == "TAB-1")
        .expect("tablet");
    assert_eq!(tablet.parent_id, Some(cart.id));
    let (_, cart_page) = get(
        app,
        &c,
        &format!("/etablissements/{a}/parc/equipements/{}", cart.id),
    )
    .await;
    assert!(cart_page.contains("TAB-1"), "children listed");

    let edit = format!("/etablissements/{a}/parc/equipements/{}/modifier", cart.id);
    for (parent, message) in [
        ("CHARIOT-1", "son propre parent"),
        ("TAB-1", "déjà rattaché"),
    ] {
        let mut f = asset_form("CHARIOT-1", "");
        f.retain(|(k, _)| *k != "parent" && *k != "category");
        f.push(("category", "mobile_cart"));
        f.push(("parent", parent));
        let r = app.post_form(&c, &edit, &edit, &f).await;
        assert_eq!(r.status(), 422, "parent {parent}");
        assert!(r.text().await.expect("body").contains(message));
    }
    let b_asset = assets_of(app, b).await;
    let mut f = asset_form("CHARIOT-1", "");
    f.retain(|(k, _)| *k != "parent");
    let other = b_asset[0].id.to_string();
    f.push(("parent", &other));
    let r = app.post_form(&c, &edit, &edit, &f).await;
    assert_eq!(r.status(), 422, "another school's asset is no parent");
    assert_eq!(events_for(app, cart.id).await.len(), 1, "only its creation");
}

/// Ten laptops moved to a room at once: one `bulk` row each, one audit event.
async fn bulk_move_of_ten_assets(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let c = app.signed_in(REFERENT_A).await;
    let room = create_room(app, &c, a, "Salle 210").await;
    let rows: Vec<_> = (0..12).map(|n| asset_row(a, n, None)).collect();
    q::insert_assets(&app.db.conn, rows.clone())
        .await
        .expect("insert");
    let foreign = asset_row(b, 99, None);
    q::insert_assets(&app.db.conn, vec![foreign.clone()])
        .await
        .expect("insert");
    let list = format!("/etablissements/{a}/parc");
    let (_, body) = get(app, &c, &list).await;
    assert!(body.contains("name=\"ids\""), "checkboxes for a manager");
    let bulk = format!("/etablissements/{a}/parc/groupe");
    let room_s = room.to_string();
    let ids: Vec<String> = rows[..10].iter().map(|r| r.id.to_string()).collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("ids", i.as_str())).collect();
    fields.extend([
        ("action", "move"),
        ("room", room_s.as_str()),
        ("retour", "tri=salle&categorie=desktop"),
    ]);
    let r = app.post_form(&c, &list, &bulk, &fields).await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(
        to.starts_with(&format!("{list}?page=1&categorie=desktop&tri=salle")),
        "{to}"
    );
    let stored = assets_of(app, a).await;
    assert_eq!(
        stored.iter().filter(|x| x.room_id == Some(room)).count(),
        10
    );
    for r in &rows[..10] {
        let ev = events_for(app, r.id).await;
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, "bulk");
        assert!(ev[0].changes.contains("Salle 210"));
    }
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("parc.asset.bulk"))
        .count(&app.db.conn)
        .await
        .expect("audit");
    assert_eq!(audited, 1);
    let (_, room_page) = get(app, &c, &format!("/etablissements/{a}/parc/salles/{room}")).await;
    assert!(room_page.contains("Équipements correspondants : 10"));

    // A room holding equipment is not deleted.
    let rooms = format!("/etablissements/{a}/parc/salles");
    let r = app
        .post_form(&c, &rooms, &format!("{rooms}/{room}/supprimer"), &[])
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("contient encore des équipements")
    );

    // With an asset of another school among them: 404, nothing changes.
    let mut fields: Vec<(&str, &str)> = vec![("ids", ids[0].as_str())];
    let f = foreign.id.to_string();
    fields.extend([
        ("ids", f.as_str()),
        ("action", "status"),
        ("status", "broken"),
    ]);
    let r = app.post_form(&c, &list, &bulk, &fields).await;
    assert_eq!(r.status(), 404);
    assert!(
        assets_of(app, a)
            .await
            .iter()
            .all(|x| x.status != "broken"
                || rows.iter().any(|r| r.id == x.id && r.status == "broken"))
    );
    assert_eq!(events_for(app, rows[0].id).await.len(), 1);

    // Holder for two, then nothing checked → a field error.
    let fields = vec![
        ("ids", ids[0].as_str()),
        ("ids", ids[1].as_str()),
        ("action", "holder"),
        ("holder", "Mme Durand"),
    ];
    assert_eq!(app.post_form(&c, &list, &bulk, &fields).await.status(), 303);
    let held = assets_of(app, a)
        .await
        .into_iter()
        .filter(|x| x.holder_name.as_deref() == Some("Mme Durand"))
        .count();
    assert_eq!(held, 2);
    let r = app
        .post_form(&c, &list, &bulk, &[("action", "move"), ("room", "")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Cochez au moins un équipement")
    );
}

/// The list over HTTP: 50 rows a page, filters and sorts in the query.
async fn list_pages_filters_and_sorts(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let rows: Vec<_> = (0..60).map(|n| asset_row(a, n, None)).collect();
    q::insert_assets(&app.db.conn, rows).await.expect("insert");
    let c = app.signed_in(TEACHER_A).await;
    let base = format!("/etablissements/{a}/parc");
    let count = |body: &str| body.matches("/parc/equipements/").count();
    let (status, body) = get(app, &c, &base).await;
    assert_eq!(status, 200);
    assert_eq!(count(&body), 50);
    assert!(body.contains("Équipements correspondants : 60"));
    assert!(!body.contains("name=\"ids\""), "no bulk form for a teacher");
    assert!(body.contains("rel=\"next\""));
    let (_, body) = get(app, &c, &format!("{base}?page=2")).await;
    assert_eq!(count(&body), 10);
    let (_, body) = get(app, &c, &format!("{base}?categorie=laptop")).await;
    assert!(body.contains("Équipements correspondants : 20"));
    let (_, body) = get(app, &c, &format!("{base}?q=sn000042")).await;
    assert!(body.contains("INV-0042"), "{body}");
    assert!(
        body.contains("Équipements correspondants : 1</p>"),
        "{body}"
    );
    let (_, body) = get(app, &c, &format!("{base}?tri=numero&ordre=desc")).await;
    let first = body.find("INV-0059").expect("last number shown");
    assert!(
        body.find("INV-0058").is_some_and(|p| p > first),
        "descending"
    );
    assert!(body.contains("aria-sort=\"descending\""));
    let (_, body) = get(app, &c, &format!("{base}?etat=broken")).await;
    assert!(body.contains("Équipements correspondants : 6"));
}

/// Every route of the parc, for another school's asset and room: 404; a
/// teacher's writes: 403; the provider: 403 in the schools it serves; the
/// collectivité reads but does not write.
async fn other_schools_and_roles_are_refused_route_by_route(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let ra = app.signed_in(REFERENT_A).await;
    let room = create_room(app, &ra, a, "Salle 1").await;
    let rows: Vec<_> = (0..2).map(|n| asset_row(a, n, Some(room))).collect();
    q::insert_assets(&app.db.conn, rows.clone())
        .await
        .expect("insert");
    let buildings = format!("/etablissements/{a}/parc/batiments");
    let r = app
        .post_form(&ra, &buildings, &buildings, &[("name", "Bâtiment A")])
        .await;
    assert_eq!(r.status(), 303);
    let building = q::list_buildings(&app.db.conn, a).await.expect("b")[0].id;
    let aid = rows[0].id;
    let base = format!("/etablissements/{a}/parc");
    let gets = [
        base.clone(),
        format!("{base}/nouveau"),
        format!("{base}/equipements/{aid}"),
        format!("{base}/equipements/{aid}/modifier"),
        format!("{base}/salles"),
        format!("{base}/salles/{room}"),
        format!("{base}/salles/{room}/modifier"),
        format!("{base}/batiments"),
        format!("{base}/batiments/{building}/modifier"),
    ];
    let aid_s = aid.to_string();
    let room_s = room.to_string();
    let form = asset_form("X-1", "");
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("{base}/nouveau"), form.clone()),
        (format!("{base}/equipements/{aid}/modifier"), form.clone()),
        (
            format!("{base}/equipements/{aid}/etat"),
            vec![("status", "broken")],
        ),
        (
            format!("{base}/groupe"),
            vec![
                ("ids", aid_s.as_str()),
                ("action", "move"),
                ("room", room_s.as_str()),
            ],
        ),
        (
            format!("{base}/salles"),
            vec![("name", "Salle 2"), ("kind", "lab")],
        ),
        (
            format!("{base}/salles/{room}/modifier"),
            vec![("name", "Salle 3"), ("kind", "lab")],
        ),
        (format!("{base}/salles/{room}/supprimer"), vec![]),
        (format!("{base}/batiments"), vec![("name", "Bâtiment B")]),
        (
            format!("{base}/batiments/{building}/modifier"),
            vec![("name", "Bâtiment C")],
        ),
        (format!("{base}/batiments/{building}/supprimer"), vec![]),
    ];
    // Another school's referent and teacher: 404 everywhere.
    for who in [REFERENT_B, TEACHER_B] {
        let c = app.signed_in(who).await;
        for path in &gets {
            let (status, body) = get(app, &c, path).await;
            assert_eq!(status, 404, "{who}: GET {path}");
            assert!(!body.contains("INV-0000"), "{who}: {path} leaks");
        }
        for (path, fields) in &posts {
            let r = app.post_form(&c, "/", path, fields).await;
            assert_eq!(r.status(), 404, "{who}: POST {path}");
        }
    }
    // The provider serving the school: refused (403) by the policy.
    let c = app.signed_in(TECH).await;
    for path in &gets {
        let (status, _) = get(app, &c, path).await;
        assert!(
            status == 403 || status == 404,
            "technician: GET {path} gave {status}"
        );
    }
    for (path, fields) in &posts {
        let r = app.post_form(&c, "/", path, fields).await;
        assert!(
            matches!(r.status().as_u16(), 403 | 404),
            "technician: POST {path}"
        );
    }
    // A teacher of the school and the Région read; their writes are 403.
    for who in [TEACHER_A, REGION] {
        let c = app.signed_in(who).await;
        for path in [&gets[0], &gets[2], &gets[4], &gets[5], &gets[7]] {
            let (status, _) = get(app, &c, path).await;
            assert_eq!(status, 200, "{who}: GET {path}");
        }
        for path in [&gets[1], &gets[3], &gets[6], &gets[8]] {
            let (status, _) = get(app, &c, path).await;
            assert_eq!(status, 403, "{who}: GET {path}");
        }
        for (path, fields) in &posts {
            let r = app.post_form(&c, "/", path, fields).await;
            assert_eq!(r.status(), 403, "{who}: POST {path}");
        }
    }
    // Nothing changed.
    let after = assets_of(app, a).await;
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|x| {
        x.status
            == rows
                .iter()
                .find(|r| r.id == x.id)
                .map(|r| r.status.clone())
                .unwrap_or_default()
    }));
    assert_eq!(
        q::list_rooms(&app.db.conn, a).await.expect("rooms").len(),
        1
    );
}

// ---------------------------------------------------------------------- API

async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut req = app
        .client()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("api call");
    let status = r.status().as_u16();
    let v = r.json().await.unwrap_or(serde_json::Value::Null);
    (status, v)
}

/// The API creates, reads, lists, filters and changes rooms and assets,
/// with the pages' validation and history.
async fn api_rooms_and_assets(app: &TestApp) {
    use reqwest::Method;
    use serde_json::json;
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let t = app.token_for(REFERENT_A).await;
    let base = format!("/api/v1/etablissements/{a}");
    let (s, room) = api(
        app,
        &t,
        Method::POST,
        &format!("{base}/rooms"),
        Some(json!({"name": "Labo 2", "kind": "lab", "capacity": 18})),
    )
    .await;
    assert_eq!(s, 201, "{room}");
    let room_id = room["id"].as_str().expect("room id").to_string();
    let (s, err) = api(
        app,
        &t,
        Method::POST,
        &format!("{base}/rooms"),
        Some(json!({"name": "Labo 2", "kind": "lab"})),
    )
    .await;
    assert_eq!(s, 409, "a name already used");
    assert_eq!(err["error"]["field"], "name");
    let (s, asset) = api(app, &t, Method::POST, &format!("{base}/assets"), Some(json!({
        "inventory_number": "vp-01", "category": "projector", "manufacturer": "Epson",
        "model": "EB-W49", "room_id": room_id, "purchase_date": "2022-09-01", "warranty_end": "2025-09-01"
    }))).await;
    assert_eq!(s, 201, "{asset}");
    assert_eq!(asset["inventory_number"], "VP-01");
    assert_eq!(asset["room_name"], "Labo 2");
    assert_eq!(asset["owner"], "collectivite");
    assert!(
        asset["qr_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("/q/"))
    );
    let aid = asset["id"].as_str().expect("id").to_string();

    // Errors: the API's format, with the field; nothing stored.
    for (body, field) in [
        (
            json!({"inventory_number": "VP-01", "category": "projector"}),
            "inventory_number",
        ),
        (
            json!({"inventory_number": "VP-02", "category": "toaster"}),
            "category",
        ),
        (
            json!({"inventory_number": "VP-02", "category": "projector", "purchase_date": "2024-13-01"}),
            "purchase_date",
        ),
        (
            json!({"inventory_number": "VP-02", "category": "projector", "purchase_date": "2024-01-02", "warranty_end": "2023-01-01"}),
            "warranty_end",
        ),
    ] {
        let (s, err) = api(app, &t, Method::POST, &format!("{base}/assets"), Some(body)).await;
        // A number already used is a conflict with what is stored.
        let (status, code) = if field == "inventory_number" {
            (409, "conflict")
        } else {
            (422, "invalid")
        };
        assert_eq!(s, status);
        assert_eq!(err["error"]["code"], code);
        assert_eq!(err["error"]["field"], field);
    }
    let r = app
        .client()
        .post(app.url(&format!("{base}/assets")))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 422);
    let err: serde_json::Value = r.json().await.expect("json");
    assert_eq!(err["error"]["code"], "invalid");
    assert_eq!(assets_of(app, a).await.len(), 1);

    // PATCH changes only what is given; the history says so.
    let (s, patched) = api(
        app,
        &t,
        Method::PATCH,
        &format!("{base}/assets/{aid}"),
        Some(json!({"status": "broken", "note": "Lampe grillée"})),
    )
    .await;
    assert_eq!(s, 200, "{patched}");
    assert_eq!(patched["status"], "broken");
    assert_eq!(patched["model"], "EB-W49");
    let (s, detail) = api(app, &t, Method::GET, &format!("{base}/assets/{aid}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(detail["history"][0]["kind"], "status");
    assert_eq!(detail["history"][0]["changes"][0]["to"], "broken");
    assert_eq!(detail["history"][0]["note"], "Lampe grillée");
    assert_eq!(detail["history"][1]["kind"], "created");

    // Lists and filters.
    let (s, page) = api(
        app,
        &t,
        Method::GET,
        &format!("{base}/assets?status=broken&category=projector"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(page["total"], 1);
    let (_, page) = api(
        app,
        &t,
        Method::GET,
        &format!("{base}/assets?status=in_service"),
        None,
    )
    .await;
    assert_eq!(page["total"], 0);
    let (s, err) = api(
        app,
        &t,
        Method::GET,
        &format!("{base}/assets?sort=colour"),
        None,
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["field"], "sort");
    let (_, rooms) = api(app, &t, Method::GET, &format!("{base}/rooms"), None).await;
    assert_eq!(rooms["total"], 1);
    assert_eq!(rooms["items"][0]["asset_count"], 1);
    let (s, r) = api(
        app,
        &t,
        Method::PATCH,
        &format!("{base}/rooms/{room_id}"),
        Some(json!({"capacity": 20})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(r["capacity"], 20);
    assert_eq!(r["name"], "Labo 2");
    let (s, r) = api(
        app,
        &t,
        Method::GET,
        &format!("{base}/rooms/{room_id}"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(r["kind"], "lab");
}

/// Every API route for another school's data: 404; writes of readers: 403;
/// the provider: 403/404; without a token: 401.
async fn api_refuses_other_schools_and_readers(app: &TestApp) {
    use reqwest::Method;
    use serde_json::json;
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let ta = app.token_for(REFERENT_A).await;
    let base = format!("/api/v1/etablissements/{a}");
    let (_, room) = api(
        app,
        &ta,
        Method::POST,
        &format!("{base}/rooms"),
        Some(json!({"name": "S1", "kind": "classroom"})),
    )
    .await;
    let rid = room["id"].as_str().expect("room").to_string();
    let (_, asset) = api(
        app,
        &ta,
        Method::POST,
        &format!("{base}/assets"),
        Some(json!({"inventory_number": "A-1", "category": "laptop"})),
    )
    .await;
    let aid = asset["id"].as_str().expect("asset").to_string();
    let calls: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::GET, format!("{base}/assets"), None),
        (
            Method::POST,
            format!("{base}/assets"),
            Some(json!({"inventory_number": "A-2", "category": "laptop"})),
        ),
        (Method::GET, format!("{base}/assets/{aid}"), None),
        (
            Method::PATCH,
            format!("{base}/assets/{aid}"),
            Some(json!({"status": "broken"})),
        ),
        (Method::GET, format!("{base}/rooms"), None),
        (
            Method::POST,
            format!("{base}/rooms"),
            Some(json!({"name": "S2", "kind": "lab"})),
        ),
        (Method::GET, format!("{base}/rooms/{rid}"), None),
        (
            Method::PATCH,
            format!("{base}/rooms/{rid}"),
            Some(json!({"name": "S3"})),
        ),
    ];
    for who in [REFERENT_B, TEACHER_B] {
        let t = app.token_for(who).await;
        for (m, path, body) in &calls {
            let (s, v) = api(app, &t, m.clone(), path, body.clone()).await;
            assert_eq!(s, 404, "{who}: {m} {path}");
            assert_eq!(v["error"]["code"], "not_found");
        }
    }
    let t = app.token_for(TECH).await;
    for (m, path, body) in &calls {
        let (s, _) = api(app, &t, m.clone(), path, body.clone()).await;
        assert!(s == 403 || s == 404, "technician: {m} {path} gave {s}");
    }
    for who in [TEACHER_A, REGION] {
        let t = app.token_for(who).await;
        for (m, path, body) in &calls {
            let (s, _) = api(app, &t, m.clone(), path, body.clone()).await;
            let expected = if *m == Method::GET { 200 } else { 403 };
            assert_eq!(s, expected, "{who}: {m} {path}");
        }
    }
    for (m, path, body) in &calls {
        let (s, _) = api(app, "rfn_faux", m.clone(), path, body.clone()).await;
        assert_eq!(s, 401, "{m} {path}");
    }
    // Nothing changed.
    let after = assets_of(app, a).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].status, "in_service");
    let rooms = q::list_rooms(&app.db.conn, a).await.expect("rooms");
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].name, "S1");
}

both_backends!(
    create_edit_and_history_through_the_pages,
    bad_input_is_refused_field_by_field,
    bulk_move_of_ten_assets,
    list_pages_filters_and_sorts,
    other_schools_and_roles_are_refused_route_by_route,
    api_rooms_and_assets,
    api_refuses_other_schools_and_readers,
);
