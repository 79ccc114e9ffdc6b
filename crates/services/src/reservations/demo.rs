//! The demo bookings of `refnum demo`: in each demo school, its timetable
//! (M1–M5, S1–S4) and zone, two laptop carts with their laptops, the
//! computer room and the CDI made bookable, and a few bookings.

use super::resources::{Rules, add_as};
use super::timetable;
use crate::audit::Who;
use crate::error::Result;
use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use refnum_db::entities::parc::{parc_asset as asset, parc_room as room};
use refnum_db::entities::reservations::booking;
use refnum_db::reservations as q;
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
    seed_with_rooms(db, etab, tag, zone, false).await
}

/// [`seed`], where `existing_rooms` makes the school's own computer room
/// and CDI bookable (the scale schools have them) instead of adding two.
async fn seed_with_rooms(
    db: &Db,
    etab: Uuid,
    tag: &str,
    zone: Zone,
    existing_rooms: bool,
) -> Result<bool> {
    if !timetable::seed_demo(db, etab, zone).await? {
        return Ok(false);
    }
    let who = Who::system("demo");
    let own = if existing_rooms {
        refnum_db::parc::list_rooms(&db.conn, etab).await?
    } else {
        vec![]
    };
    let of_kind = |kind: &str| own.iter().find(|r| r.kind == kind).cloned();
    let (computer_room, cdi, new_rooms) = match (of_kind("computer_room"), of_kind("cdi")) {
        (Some(c), Some(d)) => (c, d, vec![]),
        _ => {
            let c = new_room(etab, "Salle informatique 101", "computer_room", 30);
            let d = new_room(etab, "CDI", "cdi", 40);
            (c.clone(), d.clone(), vec![c, d])
        }
    };
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
        if !new_rooms.is_empty() {
            parc::insert_rooms(&*txn, new_rooms).await?;
        }
        // Each asset's history starts with its creation, as through the form.
        let now = Utc::now();
        let created: Vec<_> = carts
            .iter()
            .chain(laptops.iter())
            .map(|a| {
                let changes = [
                    ("inventory_number", a.inventory_number.as_str()),
                    ("category", a.category.as_str()),
                    ("model", a.model.as_str()),
                ]
                .map(|(f, v)| crate::parc::Change {
                    field: f.into(),
                    from: String::new(),
                    to: v.into(),
                });
                crate::parc::assets::history_row(a, &who, "created", &changes, None, now)
            })
            .collect();
        parc::insert_assets(&*txn, carts.clone()).await?;
        parc::insert_assets(&*txn, laptops).await?;
        parc::insert_asset_events(&*txn, created).await?;
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

/// A school year of bookings for the scale demo (`refnum demo --scale N`):
/// the school gets the demo timetable and carts (zone B), its own computer
/// room and CDI made bookable, then each of these four resources is booked
/// on about seven slots in ten of every school day from 1 September 2026
/// to 2 July 2027 (holidays skipped), for the school's referent. Deterministic; a school
/// that already has a timetable is left as it is. Returns the bookings
/// written.
pub async fn seed_year(db: &Db, etab: Uuid, tag: &str) -> Result<u64> {
    if !seed_with_rooms(db, etab, tag, Zone::B, true).await? {
        return Ok(0);
    }
    let Some(referent) =
        refnum_db::assistance::accounts_with_roles_on(&db.conn, etab, &["referent"])
            .await?
            .into_iter()
            .next()
    else {
        return Ok(0);
    };
    // Every bookable resource of the school: the two carts, the computer
    // room and the CDI.
    let chosen: Vec<Uuid> = q::resources_of(&db.conn, etab)
        .await?
        .iter()
        .map(|r| r.id)
        .collect();
    let slots = q::slots_of(&db.conn, etab).await?;
    let (first, last) = match (
        NaiveDate::from_ymd_opt(2026, 9, 1),
        NaiveDate::from_ymd_opt(2027, 7, 2),
    ) {
        (Some(f), Some(l)) => (f, l),
        _ => return Ok(0),
    };
    let off = q::days_off_between(&db.conn, etab, first, last).await?;
    let is_off = |d: NaiveDate| off.iter().any(|o| o.start_date <= d && d <= o.end_date);
    let now = Utc::now();
    let mut rows = vec![];
    let mut day = first;
    while day <= last {
        let school_day = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_off(day);
        if school_day {
            for (ri, resource) in chosen.iter().enumerate() {
                for (si, s) in slots.iter().enumerate() {
                    // About 7 slots in 10, the same ones on every run.
                    let k = day.num_days_from_ce() as usize * 31 + si * 7 + ri * 13;
                    if k % 10 >= 7 {
                        continue;
                    }
                    rows.push(booking::Model {
                        id: Uuid::now_v7(),
                        etablissement_id: etab,
                        resource_id: *resource,
                        series_id: None,
                        day,
                        start_min: s.start_min,
                        end_min: s.end_min,
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
                        created_at: now,
                    });
                }
            }
        }
        day += Duration::days(1);
    }
    let n = rows.len() as u64;
    let txn = db.write().await?;
    q::insert_bookings(&*txn, rows).await?;
    txn.commit().await?;
    Ok(n)
}
