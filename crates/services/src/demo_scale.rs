//! Scale demo: N schools with realistic assets and tickets, for benchmarks.
//!
//! On top of the normal demo (`demo::run`), school `NN` gets the UAI
//! `0149NNN` + its check letter, a referent `referent.scaleNN@ac-normandie.test`
//! (the demo password), four buildings, 60 rooms, 2,000 assets and 6,000
//! tickets over two years with their history, due times and the periods
//! their equipment was unusable. Every
//! school is written in one transaction with multi-row inserts; the data come
//! from a random generator seeded by the school's number, so two runs on the
//! same day write the same data. A school that exists is skipped.

use crate::audit::{self, Event, Who};
use crate::auth::hash_password;
use crate::demo;
use crate::error::{Result, ServiceError};
use crate::parc::{asset_search_text, room_search_text};
use crate::people::{self, AccountInput};
use base64::Engine;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use refnum_db::entities::assistance::{
    asset_unavailability as unavailability, ticket, ticket_counter, ticket_event,
};
use refnum_db::entities::parc::{
    parc_asset as asset, parc_asset_event as asset_event, parc_building as building,
    parc_room as room,
};
use refnum_db::entities::{collectivite, etablissement, organisation, organisation_etablissement};
use refnum_db::{ConnectionTrait, Db, DbErr, accounts, orgs as q};
use refnum_domain::calendar::WorkCalendar;
use refnum_domain::role::{Membership, Role, ScopeRef};
use refnum_domain::ticket::{Level, Priority};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::Serialize;
use std::time::Instant;
use uuid::Uuid;

/// Assets per school.
pub const ASSETS_PER_SCHOOL: usize = 2_000;
/// Tickets per school, over the last two years.
pub const TICKETS_PER_SCHOOL: usize = 6_000;
/// Rooms per school.
pub const ROOMS_PER_SCHOOL: usize = 60;
/// The most schools a run makes (the UAI stems `0149001`…`0149999`).
pub const MAX_SCHOOLS: u32 = 999;

/// Rows per insert statement (the widest row has 24 columns: well under
/// SQLite's 32,766 and PostgreSQL's 65,535 bound parameters).
const CHUNK: usize = 500;

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScaleSummary {
    pub schools_created: u32,
    pub schools_skipped: u32,
    pub buildings: u64,
    pub rooms: u64,
    pub assets: u64,
    pub asset_events: u64,
    pub tickets: u64,
    pub ticket_events: u64,
    pub unavailabilities: u64,
    /// A school year of bookings on one cart and one room of each school.
    pub bookings: u64,
    pub seconds: f64,
}

/// The UAI of scale school `n` (1-based), with its check letter.
pub fn scale_uai(n: u32) -> String {
    let stem = format!("0149{n:03}");
    let letter = refnum_domain::uai::check_letter(&stem).unwrap_or('A');
    format!("{stem}{letter}")
}

/// The referent of scale school `n`.
pub fn scale_referent(n: u32) -> String {
    format!("referent.scale{n:02}@ac-normandie.test")
}

const TOWNS: [&str; 20] = [
    "Caen",
    "Bayeux",
    "Lisieux",
    "Vire",
    "Falaise",
    "Honfleur",
    "Saint-Lô",
    "Coutances",
    "Cherbourg-en-Cotentin",
    "Avranches",
    "Granville",
    "Alençon",
    "Argentan",
    "Flers",
    "L'Aigle",
    "Évreux",
    "Vernon",
    "Bernay",
    "Rouen",
    "Dieppe",
];

const PATRONS: [&str; 20] = [
    "Jean Moulin",
    "Marie Curie",
    "Victor Hugo",
    "Jules Verne",
    "Simone Veil",
    "Albert Camus",
    "Louise Michel",
    "Jean Jaurès",
    "Guillaume le Conquérant",
    "Alexis de Tocqueville",
    "Gustave Flaubert",
    "Guy de Maupassant",
    "Marcel Proust",
    "Pierre Corneille",
    "Jacques Prévert",
    "Olympe de Gouges",
    "Arthur Rimbaud",
    "Rosa Parks",
    "Paul Éluard",
    "Camille Claudel",
];

/// Fills the database with the normal demo then `n` scale schools.
pub async fn run(db: &Db, n: u32, password: &str) -> Result<ScaleSummary> {
    if n > MAX_SCHOOLS {
        return Err(ServiceError::Internal(format!(
            "the scale demo makes at most {MAX_SCHOOLS} schools"
        )));
    }
    let started = Instant::now();
    demo::run(db, password).await?;
    let who = Who::system("demo");
    let ac = refnum_db::entities::academie::Entity::find()
        .filter(refnum_db::entities::academie::Column::Code.eq("normandie"))
        .one(&db.conn)
        .await?
        .ok_or_else(|| ServiceError::Internal("demo académie".into()))?;
    let region = collectivite::Entity::find()
        .filter(collectivite::Column::Kind.eq("region"))
        .filter(collectivite::Column::Name.eq("Région Normandie"))
        .one(&db.conn)
        .await?
        .ok_or_else(|| ServiceError::Internal("demo région".into()))?;
    let dept = collectivite::Entity::find()
        .filter(collectivite::Column::Kind.eq("departement"))
        .filter(collectivite::Column::Name.eq("Département du Calvados"))
        .one(&db.conn)
        .await?
        .ok_or_else(|| ServiceError::Internal("demo département".into()))?;
    let assistance = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Assistance académique de Normandie"))
        .one(&db.conn)
        .await?
        .ok_or_else(|| ServiceError::Internal("demo assistance".into()))?;
    let today = Utc::now().date_naive();
    let hash = hash_password(password).await?;
    let contracts = Contracts::load(db, assistance.id).await?;
    let mut sum = ScaleSummary::default();
    for i in 1..=n {
        let uai = scale_uai(i);
        let etab = match q::get_etablissement_by_uai(&db.conn, &uai).await? {
            Some(e) => {
                sum.schools_skipped += 1;
                e
            }
            None => {
                let lycee = i % 2 == 1;
                let owner = if lycee { &region } else { &dept };
                let (e, counts) = school(
                    db,
                    &who,
                    i,
                    &uai,
                    lycee,
                    ac.id,
                    owner,
                    assistance.id,
                    today,
                    &contracts,
                )
                .await?;
                sum.schools_created += 1;
                sum.buildings += counts.buildings;
                sum.rooms += counts.rooms;
                sum.assets += counts.assets;
                sum.asset_events += counts.asset_events;
                sum.tickets += counts.tickets;
                sum.ticket_events += counts.ticket_events;
                sum.unavailabilities += counts.unavailabilities;
                e
            }
        };
        referent(db, &who, i, &etab, &hash).await?;
        sum.bookings +=
            crate::reservations::demo::seed_year(db, etab.id, &format!("S{i:03}")).await?;
    }
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

/// The school's referent, with the demo password (created or reset).
async fn referent(
    db: &Db,
    who: &Who,
    i: u32,
    etab: &etablissement::Model,
    hash: &str,
) -> Result<()> {
    let email = scale_referent(i);
    let acc = match accounts::get_by_email(&db.conn, &email).await? {
        Some(a) => a,
        None => {
            people::create_account(
                db,
                who,
                &AccountInput {
                    email: email.clone(),
                    display_name: format!("Référent {}", etab.name),
                    password: String::new(),
                },
            )
            .await?
        }
    };
    let mut am = acc.clone().into_active_model();
    am.password_hash = Set(Some(hash.to_string()));
    am.disabled = Set(false);
    am.update(&db.conn).await?;
    let m = Membership::new(Role::Referent, ScopeRef::Etablissement(etab.id))
        .map_err(|_| ServiceError::Internal("scale demo referent".into()))?;
    people::grant_alone(db, who, acc.id, m).await?;
    Ok(())
}

#[derive(Default)]
struct Counts {
    buildings: u64,
    rooms: u64,
    assets: u64,
    asset_events: u64,
    tickets: u64,
    ticket_events: u64,
    unavailabilities: u64,
}

/// Multi-row inserts, `CHUNK` rows a statement.
async fn insert_chunked<C, A>(c: &C, rows: Vec<A>) -> std::result::Result<(), DbErr>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// A time-ordered id drawn from the generator (deterministic).
fn id_at(rng: &mut StdRng, at: DateTime<Utc>) -> Uuid {
    let bytes: [u8; 10] = rng.r#gen();
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
}

fn qr_token(rng: &mut StdRng) -> String {
    let bytes: [u8; 16] = rng.r#gen();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// The models of a category: (manufacturer, model, warranty years).
fn models(category: &str) -> &'static [(&'static str, &'static str, i32)] {
    match category {
        "desktop" => &[
            ("Dell", "OptiPlex 3080", 5),
            ("Dell", "OptiPlex 7010", 5),
            ("HP", "ProDesk 400 G7", 3),
            ("Lenovo", "ThinkCentre M70q", 3),
        ],
        "laptop" => &[
            ("Lenovo", "ThinkPad E14", 3),
            ("HP", "ProBook 450 G8", 3),
            ("Dell", "Latitude 3420", 4),
        ],
        "tablet" => &[
            ("Apple", "iPad 9e génération", 3),
            ("Samsung", "Galaxy Tab A8", 3),
            ("Lenovo", "Tab M10", 3),
        ],
        "interactive_display" => &[
            ("Promethean", "ActivPanel 9", 5),
            ("Speechi", "SpeechiTouch 75", 5),
        ],
        "projector" => &[
            ("Epson", "EB-680", 3),
            ("Epson", "EB-W49", 3),
            ("BenQ", "MW560", 3),
        ],
        "visualiser" => &[("IPEVO", "V4K", 3), ("Lumens", "DC125", 3)],
        "printer" => &[
            ("Brother", "HL-L6400DW", 3),
            ("Kyocera", "ECOSYS P3145dn", 4),
        ],
        "wifi_access_point" => &[("Aruba", "AP-505", 5), ("Ubiquiti", "U6 Pro", 4)],
        "switch" => &[("HPE", "Aruba 2930F", 5), ("Cisco", "Catalyst 1000", 5)],
        "server" => &[("Dell", "PowerEdge T150", 5)],
        "mobile_cart" => &[
            ("Bretford", "Cube Cart 32", 5),
            ("LocknCharge", "Carrier 30", 5),
        ],
        _ => &[("Divers", "Équipement", 3)],
    }
}

const ROOM_PLAN: [(&str, &str, usize, i32); 10] = [
    // (kind, name prefix, count, capacity)
    ("classroom", "Salle", 38, 35),
    ("computer_room", "Salle informatique", 4, 18),
    ("cdi", "CDI", 1, 60),
    ("lab", "Laboratoire", 4, 24),
    ("workshop", "Atelier", 2, 16),
    ("office", "Bureau", 6, 3),
    ("meeting", "Salle de réunion", 2, 20),
    ("gym", "Gymnase", 1, 60),
    ("storage", "Réserve", 2, 0),
    ("other", "Local technique", 0, 0),
];

struct Gen<'a> {
    rng: StdRng,
    etab: Uuid,
    owner_label: &'a str,
    today: NaiveDate,
    now: DateTime<Utc>,
    assets: Vec<asset::Model>,
    seq: u32,
}

impl Gen<'_> {
    /// One asset; its purchase date within the last ten years unless given.
    fn asset(
        &mut self,
        category: &str,
        room: Option<Uuid>,
        parent: Option<Uuid>,
        bought: Option<NaiveDate>,
    ) -> usize {
        self.seq += 1;
        let (manufacturer, model, years) = *pick(&mut self.rng, models(category));
        let bought =
            bought.unwrap_or_else(|| self.today - Duration::days(self.rng.gen_range(30..3_650)));
        let years = if self.rng.gen_bool(0.3) {
            years.max(4)
        } else {
            years
        };
        let warranty =
            NaiveDate::from_ymd_opt(bought.year() + years, bought.month(), bought.day().min(28));
        let roll: f64 = self.rng.r#gen();
        let (owner, label) = if roll < 0.9 {
            ("collectivite", Some(self.owner_label.to_string()))
        } else if roll < 0.96 {
            ("etablissement", None)
        } else if roll < 0.99 {
            (
                "etat",
                Some("Ministère de l'Éducation nationale".to_string()),
            )
        } else {
            ("other", Some("Don d'une entreprise".to_string()))
        };
        let roll: f64 = self.rng.r#gen();
        let status = if roll < 0.02 {
            "broken"
        } else if roll < 0.04 {
            "in_repair"
        } else if roll < 0.07 && parent.is_none() {
            "retired"
        } else {
            "in_service"
        };
        let created = bought
            .and_hms_opt(9, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or(self.now);
        let prefix = match category {
            "desktop" => "PC",
            "laptop" => "PP",
            "tablet" => "TAB",
            "interactive_display" => "ENI",
            "projector" => "VP",
            "visualiser" => "VIS",
            "printer" => "IMP",
            "wifi_access_point" => "WIFI",
            "switch" => "SW",
            "server" => "SRV",
            "mobile_cart" => "CHA",
            _ => "DIV",
        };
        let serial: String = (0..10)
            .map(|_| {
                let c = self.rng.gen_range(0..36u8);
                char::from(if c < 10 { b'0' + c } else { b'A' + c - 10 })
            })
            .collect();
        let mut row = asset::Model {
            id: id_at(&mut self.rng, created),
            etablissement_id: self.etab,
            inventory_number: format!("{prefix}-{:05}", self.seq),
            category: category.to_string(),
            manufacturer: manufacturer.to_string(),
            model: model.to_string(),
            serial,
            owner: owner.to_string(),
            owner_label: label,
            funding: None,
            purchase_date: Some(bought),
            warranty_end: warranty,
            room_id: room,
            holder_name: None,
            holder_account_id: None,
            status: status.to_string(),
            parent_id: parent,
            notes: String::new(),
            qr_token: qr_token(&mut self.rng),
            search_text: String::new(),
            created_at: created,
            updated_at: created,
            retired_at: (status == "retired").then_some(self.now),
        };
        row.search_text = asset_search_text(&row);
        self.assets.push(row);
        self.assets.len() - 1
    }
}

/// Creates one scale school with its places and equipment in one
/// transaction.
#[allow(clippy::too_many_arguments)]
async fn school(
    db: &Db,
    who: &Who,
    i: u32,
    uai: &str,
    lycee: bool,
    academie: Uuid,
    owner: &collectivite::Model,
    assistance: Uuid,
    today: NaiveDate,
    contracts: &Contracts,
) -> Result<(etablissement::Model, Counts)> {
    let mut rng = StdRng::seed_from_u64(0x0005_ca1e_0000 + u64::from(i));
    let now = today
        .and_hms_opt(6, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_else(Utc::now);
    let town = TOWNS[(i as usize - 1) % TOWNS.len()];
    let patron = PATRONS[(i as usize * 7) % PATRONS.len()];
    let (kind, name) = if lycee {
        ("lycee", format!("Lycée {patron}"))
    } else {
        ("college", format!("Collège {patron}"))
    };
    let name = format!("{name} ({town})");
    let pupils: i32 = if lycee {
        rng.gen_range(900..2_000)
    } else {
        rng.gen_range(400..900)
    };
    let etab = etablissement::Model {
        id: id_at(&mut rng, now),
        uai: uai.to_string(),
        search_text: refnum_domain::search::text_of(&[&name, uai, town]),
        name,
        kind: kind.to_string(),
        city: town.to_string(),
        academie_id: academie,
        collectivite_id: Some(owner.id),
        pupil_count: pupils,
        created_at: now,
        updated_at: now,
    };

    // Places.
    let buildings: Vec<building::Model> = ["A", "B", "C", "D"]
        .iter()
        .map(|b| building::Model {
            id: id_at(&mut rng, now),
            etablissement_id: etab.id,
            name: format!("Bâtiment {b}"),
            notes: String::new(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    let mut rooms: Vec<room::Model> = vec![];
    for (kind, prefix, count, capacity) in ROOM_PLAN {
        for k in 0..count {
            let b = rooms.len() % buildings.len();
            let floor = (k / 10) % 3;
            let name = if count == 1 {
                prefix.to_string()
            } else if kind == "classroom" {
                format!(
                    "{prefix} {}{}{:02}",
                    ["A", "B", "C", "D"][b],
                    floor,
                    k % 10 + 1
                )
            } else {
                format!("{prefix} {}", k + 1)
            };
            let mut r = room::Model {
                id: id_at(&mut rng, now),
                etablissement_id: etab.id,
                building_id: Some(buildings[b].id),
                name,
                kind: kind.to_string(),
                capacity: (capacity > 0).then_some(capacity),
                floor: Some(floor.to_string()),
                notes: String::new(),
                search_text: String::new(),
                created_at: now,
                updated_at: now,
            };
            r.search_text = room_search_text(&r);
            rooms.push(r);
        }
    }
    debug_assert_eq!(rooms.len(), ROOMS_PER_SCHOOL);

    // Equipment.
    let mut g = Gen {
        rng,
        etab: etab.id,
        owner_label: &owner.name,
        today,
        now,
        assets: Vec::with_capacity(ASSETS_PER_SCHOOL),
        seq: 0,
    };
    let of_kind =
        |k: &str| -> Vec<Uuid> { rooms.iter().filter(|r| r.kind == k).map(|r| r.id).collect() };
    for r in of_kind("classroom") {
        let display = if g.rng.gen_bool(0.55) {
            "interactive_display"
        } else {
            "projector"
        };
        g.asset(display, Some(r), None, None);
        g.asset("desktop", Some(r), None, None);
        if g.rng.gen_bool(0.5) {
            g.asset("visualiser", Some(r), None, None);
        }
        g.asset("wifi_access_point", Some(r), None, None);
    }
    for r in of_kind("computer_room") {
        let bought = g.today - Duration::days(g.rng.gen_range(30..3_650));
        for _ in 0..17 {
            g.asset("desktop", Some(r), None, Some(bought));
        }
        g.asset("printer", Some(r), None, None);
        g.asset("projector", Some(r), None, None);
    }
    for r in of_kind("cdi") {
        for _ in 0..12 {
            g.asset("desktop", Some(r), None, None);
        }
        g.asset("printer", Some(r), None, None);
        g.asset("wifi_access_point", Some(r), None, None);
    }
    for r in of_kind("lab").into_iter().chain(of_kind("workshop")) {
        for _ in 0..8 {
            g.asset("desktop", Some(r), None, None);
        }
        g.asset("interactive_display", Some(r), None, None);
    }
    for r in of_kind("office") {
        g.asset("desktop", Some(r), None, None);
        g.asset("desktop", Some(r), None, None);
        g.asset("printer", Some(r), None, None);
    }
    let technical = of_kind("storage");
    for k in 0..12 {
        let r = technical[k % technical.len()];
        g.asset("switch", Some(r), None, None);
    }
    g.asset("server", Some(technical[0]), None, None);
    g.asset("server", Some(technical[0]), None, None);
    // Carts of laptops and of tablets, each with its devices (same purchase).
    for k in 0..36 {
        let r = technical[k % technical.len()];
        let bought = g.today - Duration::days(g.rng.gen_range(30..3_650));
        let cart = g.asset("mobile_cart", Some(r), None, Some(bought));
        let cart_id = g.assets[cart].id;
        let (what, count) = if k % 3 == 2 {
            ("tablet", 32)
        } else {
            ("laptop", 30)
        };
        for _ in 0..count {
            g.asset(what, Some(r), Some(cart_id), Some(bought));
        }
    }
    // Up to the round number: teachers' laptops lent to a person and stock.
    let mut k = 0;
    while g.assets.len() < ASSETS_PER_SCHOOL {
        k += 1;
        if k % 4 == 0 {
            let idx = g.asset("desktop", Some(technical[1]), None, None);
            g.assets[idx].status = "in_stock".into();
            g.assets[idx].retired_at = None;
        } else {
            let idx = g.asset("laptop", None, None, None);
            let a = &mut g.assets[idx];
            a.room_id = None;
            a.status = "lent".into();
            a.retired_at = None;
            a.holder_name = Some(format!("Enseignant·e {k:03}"));
            a.search_text = asset_search_text(a);
        }
    }
    let assets = std::mem::take(&mut g.assets);
    let events: Vec<asset_event::ActiveModel> = assets
        .iter()
        .map(|a| {
            asset_event::Model {
                id: id_at(&mut g.rng, a.created_at),
                asset_id: a.id,
                etablissement_id: etab.id,
                occurred_at: a.created_at,
                actor_id: None,
                actor_name: "Démonstration".into(),
                kind: "imported".into(),
                changes: "[]".into(),
                note: None,
            }
            .into_active_model()
        })
        .collect();

    let tk = tickets(&mut g.rng, etab.id, &assets, now, assistance, contracts);

    let counts = Counts {
        buildings: buildings.len() as u64,
        rooms: rooms.len() as u64,
        assets: assets.len() as u64,
        asset_events: events.len() as u64,
        tickets: tk.tickets.len() as u64,
        ticket_events: tk.events.len() as u64,
        unavailabilities: tk.unavailable.len() as u64,
    };

    let txn = db.write().await?;
    etablissement::Entity::insert(etab.clone().into_active_model())
        .exec_without_returning(&*txn)
        .await?;
    organisation_etablissement::Entity::insert(organisation_etablissement::ActiveModel {
        organisation_id: Set(assistance),
        etablissement_id: Set(etab.id),
    })
    .exec_without_returning(&*txn)
    .await?;
    insert_chunked(
        &*txn,
        buildings
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
    )
    .await?;
    insert_chunked(
        &*txn,
        rooms
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
    )
    .await?;
    // Parents before their children: carts come first in each chunk order.
    let (parents, children): (Vec<_>, Vec<_>) =
        assets.into_iter().partition(|a| a.parent_id.is_none());
    insert_chunked(
        &*txn,
        parents
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
    )
    .await?;
    insert_chunked(
        &*txn,
        children
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
    )
    .await?;
    insert_chunked(&*txn, events).await?;
    insert_chunked(&*txn, tk.tickets).await?;
    insert_chunked(&*txn, tk.events).await?;
    insert_chunked(&*txn, tk.unavailable).await?;
    ticket_counter::Entity::insert(ticket_counter::ActiveModel {
        etablissement_id: Set(etab.id),
        last_number: Set(i64::try_from(TICKETS_PER_SCHOOL).unwrap_or(i64::MAX)),
    })
    .exec_without_returning(&*txn)
    .await?;
    audit::record(
        &*txn,
        Event {
            who,
            action: "etablissement.created",
            target: format!("etablissement:{}", etab.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "uai": etab.uai,
                "name": etab.name,
                "scale_demo": { "assets": counts.assets, "tickets": counts.tickets },
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((etab, counts))
}

/// The service-level targets the tickets' due times come from: the
/// school's in-house defaults and the académie assistance's contract.
pub struct Contracts {
    in_house: Vec<(Priority, crate::support::sla::Targets, WorkCalendar)>,
    assistance: Vec<(Priority, crate::support::sla::Targets, WorkCalendar)>,
}

const PRIORITIES: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

impl Contracts {
    async fn load(db: &Db, assistance: Uuid) -> Result<Contracts> {
        let mut in_house = vec![];
        let mut org = vec![];
        for p in PRIORITIES {
            // A school without targets of its own uses the defaults.
            if let Some((t, cal)) =
                crate::support::sla::contract(&db.conn, Uuid::nil(), None, p).await?
            {
                in_house.push((p, t, cal));
            }
            if let Some((t, cal)) =
                crate::support::sla::contract(&db.conn, Uuid::nil(), Some(assistance), p).await?
            {
                org.push((p, t, cal));
            }
        }
        Ok(Contracts {
            in_house,
            assistance: org,
        })
    }

    fn due(
        &self,
        escalated: bool,
        p: Priority,
        from: DateTime<Utc>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let list = if escalated && !self.assistance.is_empty() {
            &self.assistance
        } else {
            &self.in_house
        };
        match list.iter().find(|(q, _, _)| *q == p) {
            Some((_, t, cal)) => (
                crate::support::sla::add_working(cal, from, t.response_minutes),
                crate::support::sla::add_working(cal, from, t.resolution_minutes),
            ),
            None => (None, None),
        }
    }
}

struct Tickets {
    tickets: Vec<ticket::ActiveModel>,
    events: Vec<ticket_event::ActiveModel>,
    unavailable: Vec<unavailability::ActiveModel>,
}

const TITLES: [(&str, &str); 10] = [
    (
        "ne démarre plus",
        "L'appareil reste éteint quand on appuie sur le bouton.",
    ),
    (
        "écran noir",
        "L'image ne s'affiche pas, le voyant clignote.",
    ),
    (
        "pas de réseau",
        "Aucune connexion au réseau pédagogique depuis ce matin.",
    ),
    ("très lent", "Plusieurs minutes pour ouvrir une session."),
    (
        "bourrage papier",
        "Le papier se coince à chaque impression.",
    ),
    ("son absent", "Aucun son, même avec le volume au maximum."),
    (
        "mise à jour bloquée",
        "La mise à jour reste à 0 % depuis deux jours.",
    ),
    (
        "écran tactile inopérant",
        "Le toucher ne répond plus sur la moitié de l'écran.",
    ),
    (
        "batterie défaillante",
        "La batterie ne tient plus que quelques minutes.",
    ),
    (
        "clavier hors d'usage",
        "Plusieurs touches ne répondent plus.",
    ),
];

const OTHER_CATEGORIES: [(&str, &str, &str); 5] = [
    (
        "network",
        "Wi-Fi du bâtiment B coupé",
        "Les élèves ne peuvent pas se connecter.",
    ),
    (
        "ent",
        "Accès à l'ENT impossible",
        "Message d'erreur à la connexion.",
    ),
    (
        "account",
        "Mot de passe à réinitialiser",
        "Compte bloqué après plusieurs essais.",
    ),
    (
        "software",
        "Logiciel à installer",
        "Besoin du logiciel pour la séance de la semaine prochaine.",
    ),
    (
        "other",
        "Demande de câble HDMI",
        "Le câble de la salle a disparu.",
    ),
];

fn level(rng: &mut StdRng) -> Level {
    let r: f64 = rng.r#gen();
    if r < 0.45 {
        Level::Low
    } else if r < 0.85 {
        Level::Medium
    } else {
        Level::High
    }
}

fn hours(h: f64) -> Duration {
    Duration::seconds((h * 3600.0) as i64)
}

/// `TICKETS_PER_SCHOOL` tickets over the two years before `now`, with
/// their history; unusable equipment gets its unavailability period.
fn tickets(
    rng: &mut StdRng,
    etab: Uuid,
    assets: &[asset::Model],
    now: DateTime<Utc>,
    assistance: Uuid,
    contracts: &Contracts,
) -> Tickets {
    let usable: Vec<&asset::Model> = assets.iter().filter(|a| a.status != "retired").collect();
    // Creation times, in order: the numbers follow them.
    let mut times: Vec<DateTime<Utc>> = (0..TICKETS_PER_SCHOOL)
        .map(|_| {
            let day = now - Duration::days(rng.gen_range(0..730));
            let d = day.date_naive();
            d.and_hms_opt(
                rng.gen_range(7..17),
                rng.gen_range(0..60),
                rng.gen_range(0..60),
            )
            .map(|t| t.and_utc())
            .unwrap_or(day)
            .min(now - Duration::minutes(5))
        })
        .collect();
    times.sort();
    let mut out = Tickets {
        tickets: Vec::with_capacity(times.len()),
        events: Vec::with_capacity(times.len() * 4),
        unavailable: vec![],
    };
    let event = |rng: &mut StdRng,
                 t: &ticket::Model,
                 at: DateTime<Utc>,
                 kind: &str,
                 from: Option<&str>,
                 to: Option<&str>| {
        ticket_event::Model {
            id: id_at(rng, at),
            ticket_id: t.id,
            etablissement_id: etab,
            occurred_at: at,
            actor_id: None,
            actor_name: "Démonstration".into(),
            kind: kind.into(),
            from_value: from.map(str::to_string),
            to_value: to.map(str::to_string),
            detail: None,
        }
        .into_active_model()
    };
    for (k, created) in times.into_iter().enumerate() {
        let number = i64::try_from(k + 1).unwrap_or(i64::MAX);
        let on_asset = rng.gen_bool(0.8) && !usable.is_empty();
        let (asset, category, title, description) = if on_asset {
            let a = *pick(rng, &usable);
            let (what, desc) = *pick(rng, &TITLES);
            (
                Some(a),
                a.category.clone(),
                format!("{} {} : {what}", a.model, a.inventory_number),
                desc.to_string(),
            )
        } else {
            let (c, t, d) = *pick(rng, &OTHER_CATEGORIES);
            (None, c.to_string(), t.to_string(), d.to_string())
        };
        let unusable = asset.is_some() && rng.gen_bool(0.25);
        let (urgency, impact) = (level(rng), level(rng));
        let priority = refnum_domain::ticket::priority(urgency, impact, unusable);
        let age_days = (now - created).num_days();
        let escalated = rng.gen_bool(0.15);
        // First response within hours; resolution within hours to weeks.
        let taken = created + hours(rng.gen_range(0.1..6.0));
        let escalated_at = escalated.then(|| taken + hours(rng.gen_range(0.5..4.0)));
        let resolved = taken
            + hours(if escalated {
                rng.gen_range(8.0..400.0)
            } else {
                rng.gen_range(0.5..120.0)
            });
        let closed = resolved + hours(rng.gen_range(24.0..96.0));
        let open_roll: f64 = rng.r#gen();
        // Old tickets are closed; recent ones are at every stage.
        let (status, taken_at, resolved_at, closed_at) =
            if closed < now && (age_days > 30 || open_roll < 0.7) {
                ("closed", Some(taken), Some(resolved), Some(closed))
            } else if resolved < now && open_roll < 0.85 {
                ("resolved", Some(taken), Some(resolved), None)
            } else if taken < now && open_roll < 0.95 {
                if escalated && escalated_at.is_some_and(|e| e < now) {
                    ("escalated", Some(taken), None, None)
                } else if open_roll < 0.9 {
                    ("taken", Some(taken), None, None)
                } else {
                    ("waiting", Some(taken), None, None)
                }
            } else {
                ("new", None, None, None)
            };
        let escalated_at = escalated_at.filter(|e| taken_at.is_some() && *e < now);
        let (response_due_at, resolution_due_at) =
            contracts.due(escalated_at.is_some(), priority, created);
        let last = closed_at
            .or(resolved_at)
            .or(escalated_at)
            .or(taken_at)
            .unwrap_or(created);
        let qr = rng.gen_bool(0.2);
        let t = ticket::Model {
            id: id_at(rng, created),
            etablissement_id: etab,
            number,
            kind: if asset.is_some() || rng.gen_bool(0.3) {
                "incident"
            } else {
                "request"
            }
            .into(),
            search_text: refnum_domain::search::text_of(&[
                &number.to_string(),
                &title,
                &description,
            ]),
            title,
            description,
            category,
            asset_id: asset.map(|a| a.id),
            room_id: asset.and_then(|a| a.room_id),
            urgency: urgency.as_str().into(),
            impact: impact.as_str().into(),
            priority: priority_str(priority).into(),
            unusable,
            status: status.into(),
            requester_id: None,
            requester_name: if qr {
                "Signalement QR".into()
            } else {
                format!("Enseignant·e {:03}", rng.gen_range(1..120))
            },
            requester_contact: None,
            source: if qr { "qr" } else { "web" }.into(),
            assignee_id: None,
            assigned_org_id: escalated_at.map(|_| assistance),
            external_ref: escalated_at.map(|_| format!("AC-{}-{number:05}", etab.simple())),
            created_at: created,
            updated_at: last,
            taken_at,
            escalated_at,
            resolved_at,
            closed_at,
            response_due_at,
            resolution_due_at,
            response_reminded_at: None,
            resolution_reminded_at: None,
        };
        out.events
            .push(event(rng, &t, created, "created", None, Some("new")));
        if let Some(at) = taken_at {
            out.events
                .push(event(rng, &t, at, "status", Some("new"), Some("taken")));
        }
        if let Some(at) = escalated_at {
            out.events.push(event(
                rng,
                &t,
                at,
                "escalated",
                Some("taken"),
                Some("escalated"),
            ));
        }
        if status == "waiting" {
            out.events.push(event(
                rng,
                &t,
                last,
                "status",
                Some("taken"),
                Some("waiting"),
            ));
        }
        if let Some(at) = resolved_at {
            let from = if escalated_at.is_some() {
                "escalated"
            } else {
                "taken"
            };
            out.events
                .push(event(rng, &t, at, "status", Some(from), Some("resolved")));
        }
        if let Some(at) = closed_at {
            out.events.push(event(
                rng,
                &t,
                at,
                "status",
                Some("resolved"),
                Some("closed"),
            ));
        }
        if unusable && let Some(a) = asset {
            out.unavailable.push(
                unavailability::Model {
                    id: id_at(rng, created),
                    etablissement_id: etab,
                    asset_id: a.id,
                    ticket_id: t.id,
                    started_at: created,
                    ended_at: resolved_at,
                }
                .into_active_model(),
            );
        }
        out.tickets.push(t.into_active_model());
    }
    out
}

fn priority_str(p: Priority) -> &'static str {
    match p {
        Priority::P1 => "p1",
        Priority::P2 => "p2",
        Priority::P3 => "p3",
        Priority::P4 => "p4",
    }
}
