//! The demo's training plan (`refnum demo`): in each demo school, the
//! usual themes, three sessions of this school year (a workshop held, with
//! its attendance and feedback, and two outside offers planned, with
//! registrations) and two needs, written through the same use cases as
//! the pages.

use super::formations::{self as svc, FeedbackInput, NeedInput, SessionInput};
use crate::Ctx;
use crate::error::Result;
use chrono::{Duration, NaiveDate};
use refnum_db::Db;
use refnum_db::assistance::accounts_with_roles_on;
use refnum_db::pilotage::formations as q;
use refnum_domain::pilotage::SchoolYear;
use uuid::Uuid;

/// The demo schools (as in `services::demo`).
const UAIS: [&str; 3] = ["0140013N", "0141816Y", "0140018U"];

async fn ctx_of(db: &Db, id: Uuid) -> Result<Option<Ctx>> {
    Ok(match refnum_db::accounts::get(&db.conn, id).await? {
        Some(a) => Some(Ctx::load(db, a, None).await?),
        None => None,
    })
}

/// The first account holding `role` on the school, as a context.
async fn first_with(db: &Db, etab: Uuid, role: &str) -> Result<Option<Ctx>> {
    match accounts_with_roles_on(&db.conn, etab, &[role])
        .await?
        .first()
    {
        Some(id) => ctx_of(db, *id).await,
        None => Ok(None),
    }
}

fn theme_id(themes: &[refnum_db::entities::pilotage::formation_theme::Model], i: usize) -> String {
    themes.get(i).map(|t| t.id.to_string()).unwrap_or_default()
}

/// Seeds each demo school whose plan has no session yet; returns how many
/// sessions were written (0 when run again).
pub async fn seed_demo_schools(db: &Db, today: NaiveDate) -> Result<u64> {
    let year = SchoolYear::of(today);
    let mut n = 0;
    for uai in UAIS {
        let Some(etab) = refnum_db::orgs::get_etablissement_by_uai(&db.conn, uai).await? else {
            continue;
        };
        if !q::years_of(&db.conn, etab.id).await?.is_empty() {
            continue;
        }
        let (Some(referent), Some(teacher), Some(staff), Some(bursar), Some(head)) = (
            first_with(db, etab.id, "referent").await?,
            first_with(db, etab.id, "enseignant").await?,
            first_with(db, etab.id, "personnel").await?,
            first_with(db, etab.id, "gestionnaire").await?,
            first_with(db, etab.id, "direction").await?,
        ) else {
            continue;
        };
        svc::ensure_themes(db, etab.id).await?;
        let themes = q::themes_of(&db.conn, etab.id, false).await?;
        let clamp = |d: NaiveDate| d.clamp(year.first_day(), year.last_day());
        let held_on = clamp(today - Duration::days(21));
        let soon = clamp(today + Duration::days(14));
        let later = clamp(today + Duration::days(45));
        let base = SessionInput {
            school_year: year.label(),
            start_time: "13:30".into(),
            ..Default::default()
        };

        // A workshop led by the referent, held three weeks ago.
        let held = svc::create_session(
            db,
            &referent,
            etab.id,
            &SessionInput {
                theme_id: theme_id(&themes, 0),
                title: "Prendre en main l'ENT : cahier de textes et messagerie".into(),
                kind: "atelier".into(),
                leader_account_id: referent.account.id.to_string(),
                date: held_on.to_string(),
                duration_minutes: "90".into(),
                modality: "presentiel".into(),
                place: "Salle informatique B12".into(),
                capacity: "12".into(),
                ..base.clone()
            },
        )
        .await?;
        for who in [&teacher, &staff, &bursar] {
            svc::register(db, who, etab.id, held, held_on).await?;
        }
        svc::record_attendance(
            db,
            &referent,
            etab.id,
            held,
            &[teacher.account.id.to_string(), staff.account.id.to_string()],
            today.max(held_on),
        )
        .await?;
        svc::give_feedback(
            db,
            &teacher,
            etab.id,
            held,
            &FeedbackInput {
                rating: "5".into(),
                comment: "Très concret, j'ai publié mes séances dès le lendemain.".into(),
            },
        )
        .await?;
        svc::give_feedback(
            db,
            &staff,
            etab.id,
            held,
            &FeedbackInput {
                rating: "4".into(),
                comment: "Utile ; un peu rapide sur la messagerie.".into(),
            },
        )
        .await?;

        // A Magistère course, remote, and a session of the académie's plan.
        let course = svc::create_session(
            db,
            &referent,
            etab.id,
            &SessionInput {
                theme_id: theme_id(&themes, 3),
                title: "Enseigner avec l'IA : repères et usages".into(),
                kind: "magistere".into(),
                leader_name: "Formateurs de la DRANE".into(),
                link: "https://magistere.education.fr/ac-normandie/".into(),
                code: "IA-CLASSE".into(),
                date: soon.to_string(),
                start_time: "14:00".into(),
                duration_minutes: "180".into(),
                modality: "distanciel".into(),
                capacity: "30".into(),
                ..base.clone()
            },
        )
        .await?;
        for who in [&teacher, &head] {
            svc::register(db, who, etab.id, course, today).await?;
        }
        let paf = svc::create_session(
            db,
            &referent,
            etab.id,
            &SessionInput {
                theme_id: theme_id(&themes, 1),
                title: "Écrans interactifs : scénarios pédagogiques".into(),
                kind: "plan_academique".into(),
                code: "26A0140123".into(),
                date: later.to_string(),
                duration_minutes: "360".into(),
                modality: "presentiel".into(),
                place: "Atelier Canopé de Caen".into(),
                capacity: "15".into(),
                ..base
            },
        )
        .await?;
        svc::register(db, &staff, etab.id, paf, today).await?;

        // Two needs.
        svc::state_need(
            db,
            &teacher,
            etab.id,
            &NeedInput {
                theme_id: theme_id(&themes, 2),
                comment: "Préparer les élèves de 3e à la certification Pix.".into(),
            },
            today,
        )
        .await?;
        svc::state_need(
            db,
            &staff,
            etab.id,
            &NeedInput {
                theme_id: theme_id(&themes, 4),
                comment: "Savoir quoi vérifier avant d'utiliser une application en ligne.".into(),
            },
            today,
        )
        .await?;
        n += 3;
    }
    Ok(n)
}
