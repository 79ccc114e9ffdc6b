//! The demo's school project (`refnum demo`): in each demo school that has
//! a head, a plan over this school year and the two next with two axes,
//! three objectives, five actions under way and three indicators (two
//! computed by RefNum, one typed with this year's value recorded), written
//! through the same use cases as the pages.

use super::projet::{
    ActionInput, IndicatorInput, ObjectiveInput, PlanInput, add_action, add_axis, add_indicator,
    add_objective, create_plan, record_value, set_action_status,
};
use crate::Ctx;
use crate::error::Result;
use chrono::NaiveDate;
use refnum_db::Db;
use refnum_db::pilotage::projet as q;
use refnum_domain::pilotage::SchoolYear;
use uuid::Uuid;

/// The demo schools (as in `services::demo`).
const UAIS: [&str; 3] = ["0140013N", "0141816Y", "0140018U"];

fn day(y: i32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, d)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// One action: its title, owner, first and last day, progress and the
/// status it is moved to (none: to do).
struct DemoAction {
    title: &'static str,
    owner: &'static str,
    start: String,
    end: String,
    progress: &'static str,
    status: Option<&'static str>,
}

async fn plan(db: &Db, head: &Ctx, etab: Uuid, this: SchoolYear) -> Result<()> {
    let y = this.0;
    let id = create_plan(
        db,
        head,
        etab,
        &PlanInput {
            title: "Volet numérique du projet d'établissement".into(),
            first_year: this.label(),
            last_year: SchoolYear(y + 2).label(),
            adopted_on: day(y, 11, 20),
        },
    )
    .await?;
    let usages = add_axis(db, head, etab, id, "Des usages pédagogiques partagés").await?;
    let parc = add_axis(db, head, etab, id, "Un équipement disponible et suivi").await?;
    let o_pix = add_objective(
        db,
        head,
        etab,
        &ObjectiveInput {
            axis_id: usages.to_string(),
            title: "Développer les compétences numériques des élèves".into(),
            description: "Préparer chaque élève à la certification Pix en fin de cycle 4.".into(),
        },
    )
    .await?;
    let o_ent = add_objective(
        db,
        head,
        etab,
        &ObjectiveInput {
            axis_id: usages.to_string(),
            title: "Faire de l'ENT l'outil de liaison avec les familles".into(),
            description: String::new(),
        },
    )
    .await?;
    let o_dispo = add_objective(
        db,
        head,
        etab,
        &ObjectiveInput {
            axis_id: parc.to_string(),
            title: "Garder le parc disponible".into(),
            description: "Signaler, suivre et renouveler avec la collectivité.".into(),
        },
    )
    .await?;
    let actions = [
        (
            o_pix,
            DemoAction {
                title: "Séances Pix en demi-groupes en 4e et 3e",
                owner: "Équipe de technologie",
                start: day(y, 9, 15),
                end: day(y + 1, 6, 30),
                progress: "60",
                status: Some("in_progress"),
            },
        ),
        (
            o_pix,
            DemoAction {
                title: "Formation des professeurs principaux à Pix Orga",
                owner: "Référent numérique",
                start: day(y, 10, 1),
                end: day(y, 12, 18),
                progress: "100",
                status: Some("done"),
            },
        ),
        (
            o_ent,
            DemoAction {
                title: "Réunion de présentation de l'ENT aux parents de 6e",
                owner: "Direction",
                start: day(y, 9, 20),
                end: day(y, 10, 10),
                progress: "100",
                status: Some("done"),
            },
        ),
        (
            o_ent,
            DemoAction {
                title: "Cahier de textes dans l'ENT pour toutes les classes",
                owner: "Équipes disciplinaires",
                start: day(y + 1, 1, 5),
                end: day(y + 2, 6, 30),
                progress: "0",
                status: None,
            },
        ),
        (
            o_dispo,
            DemoAction {
                title: "Plan de renouvellement des ordinateurs de plus de cinq ans",
                owner: "Gestionnaire",
                start: day(y, 11, 1),
                end: day(y + 2, 8, 31),
                progress: "25",
                status: Some("in_progress"),
            },
        ),
    ];
    for (objective, a) in actions {
        let aid = add_action(
            db,
            head,
            etab,
            objective,
            &ActionInput {
                title: a.title.into(),
                owner: a.owner.into(),
                start_on: a.start,
                end_on: a.end,
                progress: a.progress.into(),
                comite_action_id: String::new(),
            },
        )
        .await?;
        if let Some(s) = a.status {
            set_action_status(db, head, etab, aid, s).await?;
        }
    }
    add_indicator(
        db,
        head,
        etab,
        o_dispo,
        &IndicatorInput {
            label: "Disponibilité des équipements".into(),
            source: "equipment_availability".into(),
            baseline: "94".into(),
            targets: vec!["95".into(), "96".into(), "97".into()],
            ..Default::default()
        },
    )
    .await?;
    add_indicator(
        db,
        head,
        etab,
        o_dispo,
        &IndicatorInput {
            label: "Tickets résolus dans les délais".into(),
            source: "sla_compliance".into(),
            targets: vec!["85".into(), "88".into(), "90".into()],
            ..Default::default()
        },
    )
    .await?;
    let pix = add_indicator(
        db,
        head,
        etab,
        o_pix,
        &IndicatorInput {
            label: "Élèves de 3e certifiés Pix".into(),
            source: "manual".into(),
            unit: "percent".into(),
            direction: "higher".into(),
            baseline: "40".into(),
            targets: vec!["50".into(), "60".into(), "70".into()],
        },
    )
    .await?;
    record_value(db, head, etab, pix, &this.label(), "46").await?;
    Ok(())
}

/// Seeds each demo school that has no plan yet; returns how many plans
/// were written (0 when run again).
pub async fn seed_demo_schools(db: &Db, today: NaiveDate) -> Result<u64> {
    let mut n = 0;
    for uai in UAIS {
        let Some(etab) = refnum_db::orgs::get_etablissement_by_uai(&db.conn, uai).await? else {
            continue;
        };
        if !q::plans_of(&db.conn, etab.id).await?.is_empty() {
            continue;
        }
        let heads =
            refnum_db::assistance::accounts_with_roles_on(&db.conn, etab.id, &["direction"])
                .await?;
        let Some(head) = heads.first() else { continue };
        let Some(account) = refnum_db::accounts::get(&db.conn, *head).await? else {
            continue;
        };
        let head = Ctx::load(db, account, None).await?;
        plan(db, &head, etab.id, SchoolYear::of(today)).await?;
        n += 1;
    }
    Ok(n)
}
