//! Réservations: the timetable (zone and its built-in holidays, slots,
//! closed days, iCalendar import), each rule of a resource, the weekly
//! recurrence with its holidays skipped and its preview, approval, cancel
//! with notifications, cross-school access route by route, and 50
//! concurrent attempts at one slot.

use refnum_db::entities::annuaire_structure as structure;
use refnum_db::entities::assistance::notification;
use refnum_db::entities::parc::{parc_asset, parc_room};
use refnum_db::entities::reservations::{
    booking, booking_day_off as day_off, booking_resource as resource, booking_slot as slot,
};
use refnum_domain::booking::Zone;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, element_text};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

pub(crate) fn home(etab: Uuid) -> String {
    format!("/etablissements/{etab}/reservations")
}
fn timetable(etab: Uuid) -> String {
    format!("{}/horaires", home(etab))
}
pub(crate) fn res(etab: Uuid, r: Uuid) -> String {
    format!("{}/ressources/{r}", home(etab))
}
pub(crate) fn book(etab: Uuid, r: Uuid) -> String {
    format!("{}/reserver", res(etab, r))
}

pub(crate) async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.text().await.expect("body"))
}

pub(crate) async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let (status, body) = get(app, c, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The demo school A with its demo timetable (zone B), carts and rooms.
pub(crate) async fn setup(app: &TestApp) -> Uuid {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    assert!(
        refnum_services::reservations::demo::seed(&app.db, a, "T", Zone::B)
            .await
            .expect("demo bookings")
    );
    a
}

/// A resource by the name of its room or the inventory number of its asset.
pub(crate) async fn resource_of(app: &TestApp, etab: Uuid, name: &str) -> resource::Model {
    let rows = resource::Entity::find()
        .filter(resource::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("resources");
    for r in rows {
        if let Some(room) = r.room_id {
            let room = parc_room::Entity::find_by_id(room)
                .one(&app.db.conn)
                .await
                .expect("room")
                .expect("room row");
            if room.name == name {
                return r;
            }
        }
        if let Some(asset) = r.asset_id {
            let a = parc_asset::Entity::find_by_id(asset)
                .one(&app.db.conn)
                .await
                .expect("asset")
                .expect("asset row");
            if a.inventory_number == name {
                return r;
            }
        }
    }
    panic!("resource {name}")
}

pub(crate) async fn slot_of(app: &TestApp, etab: Uuid, code: &str) -> slot::Model {
    slot::Entity::find()
        .filter(slot::Column::EtablissementId.eq(etab))
        .filter(slot::Column::Code.eq(code))
        .one(&app.db.conn)
        .await
        .expect("slot")
        .unwrap_or_else(|| panic!("slot {code}"))
}

async fn bookings_of(app: &TestApp, r: Uuid) -> Vec<booking::Model> {
    booking::Entity::find()
        .filter(booking::Column::ResourceId.eq(r))
        .order_by_asc(booking::Column::Day)
        .all(&app.db.conn)
        .await
        .expect("bookings")
}

async fn notifications_of(app: &TestApp, account: Uuid) -> Vec<String> {
    notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account))
        .order_by_asc(notification::Column::CreatedAt)
        .all(&app.db.conn)
        .await
        .expect("notifications")
        .into_iter()
        .map(|n| n.kind)
        .collect()
}

/// Posts the booking form (first slot `from`).
pub(crate) async fn post_booking(
    app: &TestApp,
    c: &reqwest::Client,
    etab: Uuid,
    r: Uuid,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_form(c, &book(etab, r), &book(etab, r), fields)
        .await
}

/// Uploads an iCalendar file to the timetable's import.
async fn import(app: &TestApp, c: &reqwest::Client, tt: &str, bytes: &str) -> reqwest::Response {
    let token = app.csrf(c, tt).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.as_bytes().to_vec()).file_name("vacances.ics"),
        );
    c.post(app.url(&format!("{tt}/conges/import")))
        .multipart(form)
        .send()
        .await
        .expect("import")
}

/// The text of the error summary's first item.
fn first_error(html: &str) -> String {
    let start = html.find("error-summary").expect("error summary");
    let link = html[start..].find("<li><a").expect("item") + start;
    let open = html[link + 5..].find('>').expect(">") + link + 6;
    let close = html[open..].find('<').expect("<") + open;
    html[open..close]
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
}

async fn the_referent_sets_the_timetable_and_imports_holidays(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let tt = timetable(a);

    // The zone loads its built-in holidays.
    let r = app
        .post_form(&referent, &tt, &format!("{tt}/zone"), &[("zone", "B")])
        .await;
    assert_eq!(r.status(), 303);
    let body = page(app, &referent, &tt).await;
    assert_eq!(element_text(&body, "resa-zone").as_deref(), Some("Zone B"));
    assert!(
        body.contains("Vacances d&#39;hiver") || body.contains("Vacances d'hiver"),
        "{body}"
    );
    assert!(body.contains("20/02/2027 → 07/03/2027"), "winter of zone B");
    // Another zone replaces the built-in periods only.
    let r = app
        .post_form(
            &referent,
            &tt,
            &format!("{tt}/conges"),
            &[
                ("off_kind", "closed"),
                ("off_label", "Pont du 11 novembre"),
                ("off_start", "2027-11-12"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post_form(&referent, &tt, &format!("{tt}/zone"), &[("zone", "A")])
        .await;
    assert_eq!(r.status(), 303);
    let body = page(app, &referent, &tt).await;
    assert!(body.contains("13/02/2027 → 28/02/2027"), "winter of zone A");
    assert!(!body.contains("20/02/2027 → 07/03/2027"));
    assert!(body.contains("Pont du 11 novembre"));
    let r = app
        .post_form(&referent, &tt, &format!("{tt}/zone"), &[("zone", "D")])
        .await;
    assert_eq!(r.status(), 422);

    // Slots: field errors, a unique code, edit, delete.
    let r = app
        .post_form(
            &referent,
            &tt,
            &format!("{tt}/creneaux"),
            &[("code", "M 1"), ("start", "9h"), ("end", "08:00")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-code\"") && body.contains("id=\"error-start\""));
    for (code, start, end) in [("M1", "08:00", "08:55"), ("M2", "08:55", "09:50")] {
        let r = app
            .post_form(
                &referent,
                &tt,
                &format!("{tt}/creneaux"),
                &[("code", code), ("start", start), ("end", end)],
            )
            .await;
        assert_eq!(r.status(), 303, "{code}");
    }
    let r = app
        .post_form(
            &referent,
            &tt,
            &format!("{tt}/creneaux"),
            &[("code", "m1"), ("start", "10:00"), ("end", "11:00")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Ce code de créneau existe déjà.")
    );
    let m2 = slot_of(app, a, "M2").await;
    let edit = format!("{tt}/creneaux/{}", m2.id);
    let r = app
        .post_form(
            &referent,
            &edit,
            &edit,
            &[
                ("code", "M2"),
                ("label", "Deuxième heure"),
                ("start", "09:00"),
                ("end", "09:55"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let m2 = slot_of(app, a, "M2").await;
    assert_eq!(
        (m2.label.as_str(), m2.start_min, m2.end_min),
        ("Deuxième heure", 540, 595)
    );
    let r = app
        .post_form(&referent, &tt, &format!("{edit}/supprimer"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        slot::Entity::find_by_id(m2.id)
            .one(&app.db.conn)
            .await
            .expect("q")
            .is_none()
    );

    // iCalendar import: a bad line changes nothing; a good file adds its periods.
    let count = || async {
        day_off::Entity::find()
            .filter(day_off::Column::EtablissementId.eq(a))
            .all(&app.db.conn)
            .await
            .expect("days off")
            .len()
    };
    let before = count().await;
    let r = import(app, &referent, &tt, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Vacances d'hiver\r\nDTSTART;VALUE=DATE:20280219\r\nDTEND;VALUE=DATE:20280306\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Printemps\r\nDTSTART;VALUE=DATE:2028-04-15\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("Ligne 9 : date illisible"), "{body}");
    assert_eq!(count().await, before, "nothing imported");
    let r = import(app, &referent, &tt, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Vacances d'hiver 2028\r\nDTSTART;VALUE=DATE:20280219\r\nDTEND;VALUE=DATE:20280306\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").await;
    assert_eq!(r.status(), 303);
    assert_eq!(count().await, before + 1);
    let body = page(app, &referent, &tt).await;
    let big = format!(
        "BEGIN:VCALENDAR\r\n{}",
        "X-PAD:0123456789\r\n".repeat(40_000)
    );
    let r = import(app, &referent, &tt, &big).await;
    assert_eq!(r.status(), 413);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Le fichier est trop volumineux")
    );
    assert_eq!(count().await, before + 1);
    assert!(
        body.contains("19/02/2028 → 05/03/2028"),
        "the exclusive end is the day after"
    );

    // Teachers read the timetable, and may not change it.
    let body = page(app, &teacher, &tt).await;
    assert!(!body.contains("/creneaux\""), "no form for a teacher");
    let r = app
        .post_form(&teacher, &tt, &format!("{tt}/zone"), &[("zone", "C")])
        .await;
    assert_eq!(r.status(), 403);
}

async fn the_rules_of_a_resource_are_enforced(app: &TestApp) {
    let a = setup(app).await;
    let referent = app.signed_in(REFERENT_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let room = resource_of(app, a, "Salle informatique 101").await;
    let m1 = slot_of(app, a, "M1").await.id.to_string();
    let m3 = slot_of(app, a, "M3").await.id.to_string();
    let m4 = slot_of(app, a, "M4").await.id.to_string();
    let s1 = slot_of(app, a, "S1").await.id.to_string();
    let s2 = slot_of(app, a, "S2").await.id.to_string();
    let rules = format!("{}/regles", res(a, room.id));

    // Bad rules are refused field by field.
    let r = app
        .post_form(
            &referent,
            &rules,
            &rules,
            &[
                ("active", "1"),
                ("roles", "dane"),
                ("max_minutes", "0"),
                ("gap_minutes", "999"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    for f in ["roles", "max_minutes", "gap_minutes"] {
        assert!(body.contains(&format!("id=\"error-{f}\"")), "{f}");
    }
    // Who may book: personnel only → a teacher is refused.
    let r = app
        .post_form(
            &referent,
            &rules,
            &rules,
            &[
                ("active", "1"),
                ("roles", "personnel"),
                ("gap_minutes", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (status, _) = get(app, &teacher, &book(a, room.id)).await;
    assert_eq!(status, 403);
    let r = post_booking(
        app,
        &teacher,
        a,
        room.id,
        &[("day", "2027-01-12"), ("slot_from", &m1)],
    )
    .await;
    assert_eq!(r.status(), 403);
    assert!(bookings_of(app, room.id).await.is_empty());

    // Max 60 minutes, 120 days ahead, 2 per week, 15 minutes apart.
    let r = app
        .post_form(
            &referent,
            &rules,
            &rules,
            &[
                ("active", "1"),
                ("roles", "enseignant"),
                ("max_minutes", "60"),
                ("horizon_days", "120"),
                ("weekly_quota", "2"),
                ("gap_minutes", "15"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Each rule in turn: (why, day, first and last slot, expected status and error).
    let steps: [(&str, &str, &str, &str, u16, &str); 9] = [
        (
            "two slots are longer than an hour",
            "2027-01-12",
            &m3,
            &m4,
            409,
            "La durée dépasse le maximum de 60 minutes pour cette ressource.",
        ),
        (
            "too far ahead",
            "2027-06-08",
            &m1,
            "",
            409,
            "Cette ressource se réserve au plus 120 jours à l'avance.",
        ),
        (
            "in the past",
            "2020-01-07",
            &m1,
            "",
            409,
            "Cette date est passée.",
        ),
        (
            "on a holiday",
            "2026-12-22",
            &m1,
            "",
            409,
            "Pas de cours ce jour-là : Vacances de Noël.",
        ),
        ("M3 on Tuesday", "2027-01-12", &m3, "", 303, ""),
        (
            "M4 right after is closer than 15 minutes",
            "2027-01-12",
            &m4,
            "",
            409,
            "Il faut laisser 15 minutes entre deux réservations de cette ressource.",
        ),
        ("a second booking that week", "2027-01-13", &s1, "", 303, ""),
        (
            "a third is over the quota",
            "2027-01-14",
            &s2,
            "",
            409,
            "Quota atteint : 2 réservation(s) par semaine pour cette ressource.",
        ),
        (
            "the next week is another week",
            "2027-01-19",
            &s2,
            "",
            303,
            "",
        ),
    ];
    for (why, day, from, to, status, error) in steps {
        let mut fields = vec![("day", day), ("slot_from", from)];
        if !to.is_empty() {
            fields.push(("slot_to", to));
        }
        let r = post_booking(app, &teacher, a, room.id, &fields).await;
        assert_eq!(r.status().as_u16(), status, "{why}");
        if !error.is_empty() {
            assert_eq!(first_error(&r.text().await.expect("body")), error, "{why}");
        }
    }
    assert_eq!(bookings_of(app, room.id).await.len(), 3);
    // Bad input names its field and stores nothing.
    let r = post_booking(
        app,
        &teacher,
        a,
        room.id,
        &[("day", "demain"), ("slot_from", "x")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"error-day\"") && body.contains("id=\"error-slot_from\""));
    assert_eq!(bookings_of(app, room.id).await.len(), 3);
}

async fn a_recurring_booking_skips_the_holidays_and_previews_its_conflicts(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let cart = resource_of(app, a, "T-CHAR-01").await;
    let m2 = slot_of(app, a, "M2").await.id.to_string();

    // The referent holds Tuesday 26 January, M2.
    let r = post_booking(
        app,
        &referent,
        a,
        cart.id,
        &[("day", "2027-01-26"), ("slot_from", &m2)],
    )
    .await;
    assert_eq!(r.status(), 303);

    // Every Tuesday, M2, from 5 January to 30 March: the preview first.
    let fields = [
        ("day", "2027-01-05"),
        ("slot_from", m2.as_str()),
        ("repeat", "1"),
        ("until", "2027-03-30"),
    ];
    let r = post_booking(app, &teacher, a, cart.id, &fields).await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.expect("body");
    assert!(body.contains("id=\"resa-preview\""), "{body}");
    assert_eq!(
        body.matches("resa-occ--skipped").count(),
        2,
        "two weeks of winter holidays"
    );
    assert!(
        body.contains("mardi 23/02/2027") && body.contains("Pas de cours : Vacances d&#39;hiver")
            || body.contains("Pas de cours : Vacances d'hiver")
    );
    assert_eq!(body.matches("resa-occ--conflict").count(), 1);
    assert!(
        body.contains("Le créneau M2 du 26/01/2027 est déjà réservé par"),
        "{body}"
    );
    assert_eq!(body.matches("resa-occ--free").count(), 10);
    assert!(body.contains("Réserver les 10 date(s) libre(s)"));
    assert!(
        bookings_of(app, cart.id).await.len() == 1,
        "nothing written by the preview"
    );

    // Going back keeps the request.
    let mut back = fields.to_vec();
    back.push(("step", "edit"));
    let r = post_booking(app, &teacher, a, cart.id, &back).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("value=\"2027-03-30\"")
    );

    // Confirming books the free dates, as one series.
    let mut confirm = fields.to_vec();
    confirm.push(("step", "confirm"));
    let r = post_booking(app, &teacher, a, cart.id, &confirm).await;
    assert_eq!(r.status(), 303);
    let teacher_id = app.account_id(TEACHER_A).await;
    let mine: Vec<booking::Model> = bookings_of(app, cart.id)
        .await
        .into_iter()
        .filter(|b| b.booked_for == teacher_id)
        .collect();
    assert_eq!(mine.len(), 10);
    assert!(
        mine.iter()
            .all(|b| b.series_id == mine[0].series_id && b.series_id.is_some())
    );
    let days: Vec<String> = mine.iter().map(|b| b.day.to_string()).collect();
    assert!(!days.contains(&"2027-02-23".to_string()) && !days.contains(&"2027-03-02".to_string()));
    assert!(!days.contains(&"2027-01-26".to_string()));

    // The week view shows the holiday, not a booking, in the winter week.
    let week = page(
        app,
        &teacher,
        &format!("{}?semaine=2027-02-23", res(a, cart.id)),
    )
    .await;
    assert!(week.contains("<table class=\"data-table resa-grid\" id=\"resa-week\">"));
    assert!(week.contains("resa-cell--off"));
    assert!(!week.contains("resa-cell--held"));
    let week = page(
        app,
        &teacher,
        &format!("{}?semaine=2027-01-12", res(a, cart.id)),
    )
    .await;
    assert_eq!(week.matches("resa-cell--held").count(), 1);
    assert!(week.contains("Élodie Caron"), "the holder is named");

    // Another teacher's booking of the same slot is refused, naming the holder.
    let r = post_booking(
        app,
        &referent,
        a,
        cart.id,
        &[("day", "2027-01-12"), ("slot_from", &m2)],
    )
    .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        first_error(&r.text().await.expect("body")),
        "Le créneau M2 du 12/01/2027 est déjà réservé par Élodie Caron."
    );
}

async fn cancel_and_approval_notify_who_is_affected(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let teacher_id = app.account_id(TEACHER_A).await;
    let referent_id = app.account_id(REFERENT_A).await;
    let cart = resource_of(app, a, "T-CHAR-02").await;
    let m1 = slot_of(app, a, "M1").await.id.to_string();

    // The referent books for the teacher: the teacher is told.
    let form = page(app, &referent, &book(a, cart.id)).await;
    assert!(form.contains("id=\"field-for_account\""), "on behalf");
    let form = page(app, &teacher, &book(a, cart.id)).await;
    assert!(!form.contains("id=\"field-for_account\""));
    let tid = teacher_id.to_string();
    let r = post_booking(
        app,
        &referent,
        a,
        cart.id,
        &[
            ("for_account", &tid),
            ("day", "2027-01-11"),
            ("slot_from", &m1),
            ("repeat", "1"),
            ("until", "2027-02-01"),
            ("step", "confirm"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let rows = bookings_of(app, cart.id).await;
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|b| b.booked_for == teacher_id)
        .collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|b| b.booked_by == referent_id));
    assert_eq!(
        notifications_of(app, teacher_id).await,
        vec!["booking-made-for-you"]
    );
    // A teacher may not book for someone else.
    let rid = referent_id.to_string();
    let r = post_booking(
        app,
        &teacher,
        a,
        cart.id,
        &[
            ("for_account", &rid),
            ("day", "2027-01-12"),
            ("slot_from", &m1),
        ],
    )
    .await;
    assert_eq!(r.status(), 403);

    // The referent cancels one occurrence: the teacher is told.
    let cancel = format!("{}/{}/annuler", home(a), rows[0].id);
    let r = app.post_form(&referent, &home(a), &cancel, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        notifications_of(app, teacher_id).await,
        vec!["booking-made-for-you", "booking-cancelled"]
    );
    // The teacher cancels the rest of the series (from the second one on).
    let cancel = format!("{}/{}/annuler", home(a), rows[1].id);
    let r = app
        .post_form(&teacher, &home(a), &cancel, &[("series", "1")])
        .await;
    assert_eq!(r.status(), 303);
    let after = bookings_of(app, cart.id).await;
    assert!(
        after
            .iter()
            .filter(|b| b.booked_for == teacher_id)
            .all(|b| b.status == "cancelled")
    );
    assert_eq!(
        notifications_of(app, referent_id).await,
        vec!["booking-cancelled"],
        "the booker is told"
    );
    let r = app.post_form(&teacher, &home(a), &cancel, &[]).await;
    assert_eq!(r.status(), 400, "already cancelled");

    // Approval by the referent: pending, then approved, the teacher told.
    let cdi = resource_of(app, a, "CDI").await;
    let rules = format!("{}/regles", res(a, cdi.id));
    let r = app
        .post_form(
            &referent,
            &rules,
            &rules,
            &[
                ("active", "1"),
                ("roles", "enseignant"),
                ("approval_role", "referent"),
                ("gap_minutes", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = post_booking(
        app,
        &teacher,
        a,
        cdi.id,
        &[("day", "2027-01-14"), ("slot_from", &m1)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .expect("location")
            .contains("fait=resa-en-attente")
    );
    let b = bookings_of(app, cdi.id).await.pop().expect("booking");
    assert_eq!(b.status, "pending");
    assert!(
        notifications_of(app, referent_id)
            .await
            .contains(&"booking-pending".to_string())
    );
    let mine = page(app, &referent, &format!("{}/mes-reservations", home(a))).await;
    assert!(mine.contains("À valider"));
    let decide = format!("{}/{}/decision", home(a), b.id);
    let r = app
        .post_form(&teacher, &home(a), &decide, &[("decision", "approve")])
        .await;
    assert_eq!(r.status(), 403, "not the approver");
    let r = app
        .post_form(&referent, &home(a), &decide, &[("decision", "approve")])
        .await;
    assert_eq!(r.status(), 303);
    let b = booking::Entity::find_by_id(b.id)
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("row");
    assert_eq!(b.status, "approved");
    assert_eq!(
        notifications_of(app, teacher_id)
            .await
            .last()
            .map(String::as_str),
        Some("booking-approved")
    );
}

async fn another_school_gets_not_found_route_by_route(app: &TestApp) {
    let a = setup(app).await;
    let other = app.signed_in(TEACHER_B).await;
    let cart = resource_of(app, a, "T-CHAR-01").await;
    let m1 = slot_of(app, a, "M1").await;
    let day_off = day_off::Entity::find()
        .filter(day_off::Column::EtablissementId.eq(a))
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("a day off");
    let referent = app.signed_in(REFERENT_A).await;
    let r = post_booking(
        app,
        &referent,
        a,
        cart.id,
        &[("day", "2027-01-12"), ("slot_from", &m1.id.to_string())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let b = bookings_of(app, cart.id).await.pop().expect("booking");
    for path in [
        home(a),
        timetable(a),
        format!("{}/creneaux/{}", timetable(a), m1.id),
        res(a, cart.id),
        format!("{}/regles", res(a, cart.id)),
        book(a, cart.id),
        format!("{}/mes-reservations", home(a)),
        format!("{}/jour?date=2027-01-12", home(a)),
    ] {
        let (status, _) = get(app, &other, &path).await;
        assert_eq!(status, 404, "GET {path}");
    }
    // The other teacher's own school is fine.
    let b_etab = app.etab_id(UAI_B).await;
    let (status, _) = get(app, &other, &home(b_etab)).await;
    assert_eq!(status, 200);
    let own = home(b_etab);
    for (path, fields) in [
        (
            format!("{}/creneaux", timetable(a)),
            vec![("code", "X1"), ("start", "08:00"), ("end", "09:00")],
        ),
        (
            format!("{}/creneaux/{}", timetable(a), m1.id),
            vec![("code", "X1"), ("start", "08:00"), ("end", "09:00")],
        ),
        (
            format!("{}/creneaux/{}/supprimer", timetable(a), m1.id),
            vec![],
        ),
        (format!("{}/zone", timetable(a)), vec![("zone", "C")]),
        (
            format!("{}/conges", timetable(a)),
            vec![
                ("off_kind", "closed"),
                ("off_label", "x"),
                ("off_start", "2027-01-01"),
            ],
        ),
        (
            format!("{}/conges/{}/supprimer", timetable(a), day_off.id),
            vec![],
        ),
        (format!("{}/ressources", home(a)), vec![("target", "x")]),
        (
            format!("{}/regles", res(a, cart.id)),
            vec![("roles", "enseignant")],
        ),
        (
            book(a, cart.id),
            vec![("day", "2027-01-13"), ("slot_from", "")],
        ),
        (format!("{}/{}/annuler", home(a), b.id), vec![]),
        (
            format!("{}/{}/decision", home(a), b.id),
            vec![("decision", "approve")],
        ),
    ] {
        let r = app.post_form(&other, &own, &path, &fields).await;
        assert_eq!(r.status(), 404, "POST {path}");
    }
    assert_eq!(bookings_of(app, cart.id).await[0].status, "approved");
    assert!(
        slot::Entity::find_by_id(m1.id)
            .one(&app.db.conn)
            .await
            .expect("q")
            .is_some()
    );
}

async fn fifty_concurrent_attempts_at_one_slot_make_one_booking(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let referent = app.signed_in(REFERENT_A).await;
    let cart = resource_of(app, a, "T-CHAR-01").await;
    let m2 = slot_of(app, a, "M2").await.id.to_string();
    let path = book(a, cart.id);
    let t_token = app.csrf(&teacher, &path).await;
    let r_token = app.csrf(&referent, &path).await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..50 {
        let (c, token) = if i % 2 == 0 {
            (teacher.clone(), t_token.clone())
        } else {
            (referent.clone(), r_token.clone())
        };
        let url = app.url(&path);
        let m2 = m2.clone();
        set.spawn(async move {
            c.post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("day", "2027-01-12"),
                    ("slot_from", m2.as_str()),
                ])
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        });
    }
    let mut statuses = vec![];
    while let Some(s) = set.join_next().await {
        statuses.push(s.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let rows = bookings_of(app, cart.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, "approved");
}

async fn the_views_show_the_school_day_and_my_bookings(app: &TestApp) {
    let a = setup(app).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let cart = resource_of(app, a, "T-CHAR-01").await;
    let m2 = slot_of(app, a, "M2").await.id.to_string();
    let r = post_booking(
        app,
        &teacher,
        a,
        cart.id,
        &[
            ("day", "2027-01-12"),
            ("slot_from", &m2),
            ("note", "Sciences"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let day = page(app, &teacher, &format!("{}/jour?date=2027-01-12", home(a))).await;
    assert!(day.contains("id=\"resa-day\""));
    assert!(
        day.contains("<th scope=\"row\">T-CHAR-01 — Lenovo Chariot 16 places</th>"),
        "{day}"
    );
    assert_eq!(day.matches("resa-cell--held").count(), 1);
    let mine = page(app, &teacher, &format!("{}/mes-reservations", home(a))).await;
    assert!(mine.contains("mardi 12/01/2027") && mine.contains("M2"));
    let home_page = page(app, &teacher, &home(a)).await;
    assert!(home_page.contains("Salle informatique 101") && home_page.contains("CDI"));
    assert!(
        !home_page.contains("resa-add-title"),
        "no add form for a teacher"
    );
    let week = page(app, &teacher, &res(a, cart.id)).await;
    assert!(week.contains("T-PC-101"), "the cart shows its laptops");
}

async fn a_structure(app: &TestApp, etab: Uuid, code: &str) -> Uuid {
    let now = chrono::Utc::now();
    let row = structure::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        school_year: 2026,
        kind: "division".into(),
        code: code.into(),
        label: None,
        mefs: String::new(),
        divisions: String::new(),
        content_hash: String::new(),
        source: "sts".into(),
        source_file: String::new(),
        imported_at: now,
        archived_at: None,
        created_at: now,
    };
    structure::Entity::insert(structure::ActiveModel::from(row.clone()))
        .exec_without_returning(&app.db.conn)
        .await
        .expect("structure");
    row.id
}

async fn a_booking_names_the_class_it_is_for(app: &TestApp) {
    let a = setup(app).await;
    let b = app.etab_id(UAI_B).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let cart = resource_of(app, a, "T-CHAR-01").await;
    let m2 = slot_of(app, a, "M2").await.id.to_string();
    let own = a_structure(app, a, "2NDE3").await.to_string();
    let theirs = a_structure(app, b, "1ERE1").await.to_string();
    let form = page(app, &teacher, &book(a, cart.id)).await;
    assert!(form.contains(">2NDE3</option>") && !form.contains("1ERE1"));
    let r = post_booking(
        app,
        &teacher,
        a,
        cart.id,
        &[
            ("day", "2027-01-12"),
            ("slot_from", &m2),
            ("structure", &theirs),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("id=\"error-structure\"")
    );
    assert!(bookings_of(app, cart.id).await.is_empty());
    let r = post_booking(
        app,
        &teacher,
        a,
        cart.id,
        &[
            ("day", "2027-01-12"),
            ("slot_from", &m2),
            ("structure", &own),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let rows = bookings_of(app, cart.id).await;
    assert_eq!(rows[0].group_label.as_deref(), Some("2NDE3"));
    let week = page(
        app,
        &teacher,
        &format!("{}?semaine=2027-01-12", res(a, cart.id)),
    )
    .await;
    assert!(week.contains("Élodie Caron (2NDE3)"));
}

both_backends!(
    a_booking_names_the_class_it_is_for,
    the_referent_sets_the_timetable_and_imports_holidays,
    the_rules_of_a_resource_are_enforced,
    a_recurring_booking_skips_the_holidays_and_previews_its_conflicts,
    cancel_and_approval_notify_who_is_affected,
    another_school_gets_not_found_route_by_route,
    fifty_concurrent_attempts_at_one_slot_make_one_booking,
    the_views_show_the_school_day_and_my_bookings,
);
