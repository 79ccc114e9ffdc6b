//! A budget of SQL statements for each list page: one GET of a page may run
//! at most its fixed number of statements, and that number must not depend
//! on how many rows the page shows (the same with a short page and a long
//! one), which is what an N+1 (a look-up per row) breaks.
//!
//! The statements are counted by the database handle of the test's own
//! server (`Db::statements`, see `refnum_db::conn`): each test spawns its
//! own server over its own database, so the tests running beside it add
//! nothing to its count, and the test sends one request at a time.

use refnum_db::entities::etablissement;
use refnum_db::entities::reservations::booking;
use refnum_services::demo_scale;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The statements one `GET path` runs, the page answering 200, and the
/// page's length.
async fn statements(app: &TestApp, c: &reqwest::Client, path: &str) -> (u64, usize) {
    let before = app.db.statements();
    let r = c.get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    let body = r.text().await.expect("body");
    let after = app.db.statements();
    assert_eq!(status, 200, "GET {path}: {body}");
    (after - before, body.len())
}

/// The page at `short` and at `long` (the same page with more rows: the
/// longer page must be longer) each run exactly `budget` statements.
async fn holds(
    app: &TestApp,
    c: &reqwest::Client,
    name: &str,
    short: &str,
    long: &str,
    budget: u64,
) {
    // A first visit fills what the server caches (the session's last-seen
    // time is written at most once a minute, for instance), so that both
    // measured visits find the same state.
    statements(app, c, short).await;
    let (s, short_len) = statements(app, c, short).await;
    let (l, long_len) = statements(app, c, long).await;
    eprintln!("{name}: {s} statements with few rows, {l} with many");
    assert!(
        long_len > short_len,
        "{name}: {long} ({long_len} bytes) should show more rows than {short} ({short_len} bytes)"
    );
    assert_eq!(
        s, l,
        "{name}: {s} statements for {short} but {l} for {long}: a statement per row?"
    );
    assert!(
        l <= budget,
        "{name}: {l} statements, over its budget of {budget}"
    );
    assert!(l > 0, "{name}: the counter counts nothing");
}

/// The days of `etab` that hold bookings, with their number, busiest last.
async fn booked_days(app: &TestApp, etab: Uuid) -> Vec<(chrono::NaiveDate, Uuid, usize)> {
    let rows = booking::Entity::find()
        .filter(booking::Column::EtablissementId.eq(etab))
        .all(&app.db.conn)
        .await
        .expect("bookings");
    let mut by_day: BTreeMap<(chrono::NaiveDate, Uuid), usize> = BTreeMap::new();
    for b in rows {
        *by_day.entry((b.day, b.resource_id)).or_default() += 1;
    }
    let mut v: Vec<_> = by_day.into_iter().map(|((d, r), n)| (d, r, n)).collect();
    v.sort_by_key(|&(d, _, n)| (n, d));
    v
}

async fn list_pages_hold_their_statement_budget(app: &TestApp) {
    demo_scale::run(&app.db, 1, refnum_testkit::PASSWORD)
        .await
        .expect("scale demo");
    let uai = demo_scale::scale_uai(1);
    let etab = app.etab_id(&uai).await;
    let referent = app.signed_in(&demo_scale::scale_referent(1)).await;

    holds(
        app,
        &referent,
        "tickets, referent",
        "/assistance?lignes=25",
        "/assistance?lignes=100",
        BUDGET_TICKETS,
    )
    .await;
    holds(
        app,
        &referent,
        "tickets, referent, all statuses",
        "/assistance?statut=all&lignes=25",
        "/assistance?statut=all&lignes=100",
        BUDGET_TICKETS,
    )
    .await;
    let tech = app.signed_in(TECH).await;
    holds(
        app,
        &tech,
        "tickets, technician, all statuses",
        "/assistance?statut=all&lignes=25",
        "/assistance?statut=all&lignes=100",
        BUDGET_TICKETS_ORGANISATION,
    )
    .await;

    let parc = format!("/etablissements/{etab}/parc");
    holds(
        app,
        &referent,
        "parc assets",
        &format!("{parc}?lignes=25"),
        &format!("{parc}?lignes=100"),
        BUDGET_PARC,
    )
    .await;

    let days = booked_days(app, etab).await;
    let (quiet, quiet_res, few) = *days.first().expect("a booked day");
    let (busy, busy_res, many) = *days.last().expect("a booked day");
    assert!(many > few, "a busier day than another: {few} and {many}");
    let day = format!("/etablissements/{etab}/reservations/jour");
    holds(
        app,
        &referent,
        "bookings, the school's day",
        &format!("{day}?date={quiet}"),
        &format!("{day}?date={busy}"),
        BUDGET_DAY,
    )
    .await;
    let res = format!("/etablissements/{etab}/reservations/ressources");
    holds(
        app,
        &referent,
        "bookings, a resource's week",
        &format!("{res}/{quiet_res}?semaine={quiet}"),
        &format!("{res}/{busy_res}?semaine={busy}"),
        BUDGET_WEEK,
    )
    .await;

    // The scale school lends nothing yet and its journal is short: both
    // are measured, then again after the demo's loans (and their events).
    let loans = format!("/etablissements/{etab}/prets");
    let journal = format!("/etablissements/{etab}/journal?lignes=100");
    statements(app, &referent, &loans).await;
    statements(app, &referent, &journal).await;
    let (no_loan, _) = statements(app, &referent, &loans).await;
    let (short_journal, short_len) = statements(app, &referent, &journal).await;
    let lent = refnum_services::prets::demo::seed(&app.db, etab)
        .await
        .expect("demo loans");
    assert!(lent >= 2, "some loans: {lent}");
    let (l, _) = statements(app, &referent, &loans).await;
    eprintln!("loans: {no_loan} statements with no loan, {l} with {lent}");
    assert_eq!(no_loan, l, "loans: a statement per loan?");
    assert!(l <= BUDGET_LOANS, "loans: {l} statements, over its budget");
    let (j, long_len) = statements(app, &referent, &journal).await;
    eprintln!("journal: {short_journal} statements with few events, {j} with more");
    assert!(long_len > short_len, "the journal shows the loans' events");
    // The journal names the objects of its events with one look-up per
    // kind of object on the page (not per event): its count moves with the
    // kinds shown, up to its budget, the count with every kind.
    assert!(
        short_journal.max(j) <= BUDGET_JOURNAL,
        "journal: {short_journal} and {j} statements, over its budget"
    );

    // The DANE's list of schools, with the demo's few schools and then
    // with 60 more.
    let dane = app.signed_in(DANE).await;
    let schools = "/etablissements?lignes=100";
    statements(app, &dane, schools).await;
    let (few, few_len) = statements(app, &dane, schools).await;
    let model = etablissement::Entity::find_by_id(etab)
        .one(&app.db.conn)
        .await
        .expect("school")
        .expect("the scale school");
    let more = (100..160).map(|n| {
        let mut e = model.clone().into_active_model();
        e.id = Set(Uuid::now_v7());
        e.uai = Set(demo_scale::scale_uai(n));
        e.name = Set(format!("Collège numéro {n}"));
        e
    });
    etablissement::Entity::insert_many(more)
        .exec_without_returning(&app.db.conn)
        .await
        .expect("more schools");
    let (many, many_len) = statements(app, &dane, schools).await;
    eprintln!("schools: {few} statements with few schools, {many} with 60 more");
    assert!(many_len > few_len, "the list shows the new schools");
    assert_eq!(few, many, "schools: a statement per school?");
    assert!(
        many <= BUDGET_SCHOOLS,
        "schools: {many} statements, over its budget"
    );
}

/// The directory's pupils and staff, filled from the real export files.
async fn directory_pages_hold_their_statement_budget(app: &TestApp) {
    let a = crate::annuaire_pages::load(app).await;
    let c = app.signed_in(REFERENT_A).await;
    for (name, list) in [("pupils", "eleves"), ("staff", "personnels")] {
        let base = format!("/etablissements/{a}/annuaire/{list}");
        holds(
            app,
            &c,
            name,
            &format!("{base}?lignes=25"),
            &format!("{base}?lignes=100"),
            BUDGET_DIRECTORY,
        )
        .await;
    }
}

/// The home of each role runs its fixed number of statements, whatever
/// it counts: the session, then every figure and line in one statement; a
/// technician's or a collectivité's scope adds its own look-ups.
async fn the_home_reads_its_counts_in_one_statement(app: &TestApp) {
    app.demo().await;
    refnum_services::prets::demo::seed_demo_schools(&app.db)
        .await
        .expect("demo loans");
    for (who, budget) in [
        (REFERENT_A, BUDGET_HOME),
        (DIRECTION_A, BUDGET_HOME),
        (TEACHER_A, BUDGET_HOME),
        ("referent.lepine@ac-normandie.test", BUDGET_HOME),
        (DANE, BUDGET_HOME),
        (ADMIN, BUDGET_HOME),
        (TECH, BUDGET_HOME_HANDLING),
        (REGION, BUDGET_HOME_HANDLING),
    ] {
        let c = app.signed_in(who).await;
        statements(app, &c, "/").await;
        let (n, len) = statements(app, &c, "/").await;
        eprintln!("home of {who}: {n} statements");
        assert!(len > 0);
        assert!(n > 0, "{who}: the counter counts nothing");
        assert!(
            n <= budget,
            "home of {who}: {n} statements, over its budget of {budget}"
        );
    }
}

// The budgets: every page reads the session with its account, the
// memberships with their schools and the unread notifications in one
// statement, then what it shows. Lower a budget when a page needs fewer statements; raise it
// only for a statement the page cannot do without, never for one per row.

/// Pupils or staff: their page and its count, the classes of the filter.
const BUDGET_DIRECTORY: u64 = 6;
/// A school's tickets: the look-up of the caller's own tickets outside the
/// scope (one statement for both columns), the page, the organisations'
/// names, the filter's organisations.
const BUDGET_TICKETS: u64 = 5;
/// An organisation's tickets: the same, and the schools of the rows (the
/// technician has none of their own).
const BUDGET_TICKETS_ORGANISATION: u64 = 6;
/// The assets: the page and its count, the rooms and buildings of the filter.
const BUDGET_PARC: u64 = 5;
/// The journal: the school's check (2), the page and its count, the people
/// of the filter, then one look-up per kind of object its events name, each
/// once: accounts, schools, tickets, assets, loans, bookings, bookable
/// resources (3: with their rooms and assets), articles, rooms, buildings,
/// charters; and a setting.
const BUDGET_JOURNAL: u64 = 20;
/// The school's day: slots, resources with their rooms and assets, days
/// off, the bookings and their people's names.
const BUDGET_DAY: u64 = 9;
/// A resource's week: the school's check, the resource with its room and
/// asset, slots, days off, the bookings and their people's names, the
/// caller's feed of the resource.
const BUDGET_WEEK: u64 = 10;
/// The loans: the page and its count.
const BUDGET_LOANS: u64 = 4;
/// The home: its figures and lines to do, in one statement.
const BUDGET_HOME: u64 = 2;
/// A technician's or a collectivité's home: the look-ups of what it
/// handles (its collectivité's organisations and schools, or, in one
/// statement, its own tickets outside its organisations), then the one
/// statement.
const BUDGET_HOME_HANDLING: u64 = 4;
/// The schools: the page and its count.
const BUDGET_SCHOOLS: u64 = 3;

both_backends!(
    the_home_reads_its_counts_in_one_statement,
    list_pages_hold_their_statement_budget,
    directory_pages_hold_their_statement_budget
);
