//! The demo bookings of `refnum demo`: in each demo school, its timetable
//! (M1–M5, S1–S4) and zone, two laptop carts with their laptops, the
//! computer room and the CDI made bookable, and a few bookings.

use super::resources::{Rules, add_as};
use super::timetable;
use crate::audit::Who;
use crate::error::Result;
use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use refnum_db::bookings as q;
use refnum_db::entities::parc::{parc_asset as asset, parc_room as room};
use refnum_db::entities::reservations::booking;
use refnum_db::{Db, parc};
use refnum_domain::booking::Zone;
use refnum_domain::role::Role;
use uuid::Uuid;

fn new_room(etab: Uuid, name: &str, kind: &str, capacity: i32) -> room::Model {
    let now = Utc::now();
    let mut r = room::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        building_id: None,
        name: name.into(),
        kind: kind.into(),
        capacity: Some(capacity),
        floor: None,
        notes: String::new(),
        search_text: String::new(),
        created_at: now,
        updated_at: now,
    };
    r.search_text = crate::parc::room_search_text(&r);
    r
}

fn new_asset(
    etab: Uuid,
    number: &str,
    category: &str,
    model: &str,
    parent: Option<Uuid>,
) -> asset::Model {
    let now = Utc::now();
    let mut a = asset::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        inventory_number: number.into(),
        category: category.into(),
        manufacturer: "Lenovo".into(),
        model: model.into(),
        serial: String::new(),
        owner: "collectivite".into(),
        owner_label: Some("Région Normandie".into()),
        funding: None,
        purchase_date: NaiveDate::from_ymd_opt(2024, 9, 1),
        warranty_end: NaiveDate::from_ymd_opt(2028, 8, 31),
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
    a
}

/// The next `weekday` after today.
fn next(weekday: Weekday) -> NaiveDate {
    let mut d = super::today() + Duration::days(1);
    while d.weekday() != weekday {
        d += Duration::days(1);
    }
    d
}

/// Seeds one school (tag: a short prefix for inventory numbers). Returns
/// false when the school already has a timetable.
pub async fn seed(db: &Db, etab: Uuid, tag: &str, zone: Zone) -> Result<bool> {
    if !timetable::seed_demo(db, etab, zone).await? {
        return Ok(false);
    }
    let who = Who::system("demo");
    let computer_room = new_room(etab, "Salle informatique 101", "computer_room", 30);
    let cdi = new_room(etab, "CDI", "cdi", 40);
    let mut carts = vec![];
    let mut laptops = vec![];
    for c in 1..=2 {
        let cart = new_asset(
            etab,
            &format!("{tag}-CHAR-{c:02}"),
            "mobile_cart",
            "Chariot 16 places",
            None,
        );
        for l in 1..=8 {
            laptops.push(new_asset(
                etab,
                &format!("{tag}-PC-{c}{l:02}"),
                "laptop",
                "ThinkPad 14",
                Some(cart.id),
            ));
        }
        carts.push(cart);
    }
    {
        let txn = db.write().await?;
        parc::insert_rooms(&*txn, vec![computer_room.clone(), cdi.clone()]).await?;
        parc::insert_assets(&*txn, carts.clone()).await?;
        parc::insert_assets(&*txn, laptops).await?;
        txn.commit().await?;
    }
    let teachers = Rules {
        roles: vec![Role::Enseignant, Role::Referent, Role::Direction],
        ..Rules::default()
    };
    for c in &carts {
        add_as(db, &who, etab, &format!("asset:{}", c.id), teachers.clone()).await?;
    }
    add_as(
        db,
        &who,
        etab,
        &format!("room:{}", computer_room.id),
        Rules {
            weekly_quota: Some(4),
            ..teachers.clone()
        },
    )
    .await?;
    add_as(
        db,
        &who,
        etab,
        &format!("room:{}", cdi.id),
        Rules {
            approval_role: Some(Role::Direction),
            max_minutes: Some(240),
            ..Rules::default()
        },
    )
    .await?;
    Ok(true)
}

/// A few demo bookings for the school's referent, in the coming week: a
/// cart on Monday M3, the computer room on Thursday S1.
pub async fn seed_bookings(db: &Db, etab: Uuid) -> Result<u64> {
    let resources = q::resources_of(&db.conn, etab).await?;
    let cart = resources.iter().find(|r| r.asset_id.is_some()).cloned();
    let room = resources.iter().find(|r| r.room_id.is_some()).cloned();
    let (Some(cart), Some(room)) = (cart, room) else {
        return Ok(0);
    };
    let ids = [cart];
    let referent = refnum_db::assistance::accounts_with_roles_on(&db.conn, etab, &["referent"])
        .await?
        .into_iter()
        .next();
    if let (Some(referent), Some(cart)) = (referent, ids.first()) {
        let slots = q::slots_of(&db.conn, etab).await?;
        let at = |code: &str| {
            slots
                .iter()
                .find(|s| s.code == code)
                .map(|s| (s.start_min, s.end_min))
        };
        let mut rows = vec![];
        for (resource, day, code) in [
            (cart.id, next(Weekday::Mon), "M3"),
            (room.id, next(Weekday::Thu), "S1"),
        ] {
            if let Some((start, end)) = at(code) {
                rows.push(booking::Model {
                    id: Uuid::now_v7(),
                    etablissement_id: etab,
                    resource_id: resource,
                    series_id: None,
                    day,
                    start_min: start,
                    end_min: end,
                    status: "approved".into(),
                    booked_for: referent,
                    booked_by: referent,
                    structure_id: None,
                    group_label: None,
                    note: String::new(),
                    decided_by: None,
                    decided_at: None,
                    cancelled_by: None,
                    cancelled_at: None,
                    created_at: Utc::now(),
                });
            }
        }
        let n = rows.len() as u64;
        let txn = db.write().await?;
        q::insert_bookings(&*txn, rows).await?;
        txn.commit().await?;
        return Ok(n);
    }
    Ok(0)
}
