//! The parc integration tests: places, assets, their history, bulk edits,
//! the pages and the API, and who may see what, route by route.

use chrono::{NaiveDate, Utc};
use refnum_db::entities::parc::{parc_asset, parc_asset_event, parc_room};
use refnum_db::parc::{self as q, AssetFilter, AssetSort, WarrantyFilter};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
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
