//! The demo's pilotage (`refnum demo`): in each demo school that has a head
//! and a referent, last year's letter signed, acknowledged and reviewed,
//! and this year's signed and acknowledged; a comité numérique with its
//! members, a meeting of this term with public minutes, decisions and
//! actions (one done, one overdue, one to come). Everything is written
//! through the same use cases as the pages (the head signs with the demo
//! password).

use super::lettres::{self, IndicatorInput, LetterInput, MissionInput, ReferentInput};
use super::revue::{self, FinalInput, ReviewInput};
use crate::Ctx;
use crate::auth::AuthSettings;
use crate::error::Result;
use refnum_db::Db;
use refnum_db::pilotage as q;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::lettre::LetterStep;
use uuid::Uuid;

/// The demo schools (as in `services::demo`).
const UAIS: [&str; 3] = ["0140013N", "0141816Y", "0140018U"];

async fn ctx_of(db: &Db, id: Uuid) -> Result<Option<Ctx>> {
    Ok(match refnum_db::accounts::get(&db.conn, id).await? {
        Some(a) => Some(Ctx::load(db, a, None).await?),
        None => None,
    })
}

fn input(
    db_catalogue: &[refnum_db::entities::pilotage::mission::Model],
    year: SchoolYear,
    referents: &[Uuid],
) -> LetterInput {
    let pick = |code: &str, detail: &str| {
        db_catalogue
            .iter()
            .find(|c| c.code.as_deref() == Some(code))
            .map(|c| MissionInput {
                catalogue_id: c.id.to_string(),
                detail: detail.into(),
                ..Default::default()
            })
    };
    let share = if referents.len() > 1 { "1/2" } else { "1" };
    LetterInput {
        school_year: year.label(),
        text: "Le référent numérique conseille la direction sur la place du numérique dans le \
               projet d'établissement, accompagne les équipes et fait le lien avec la \
               collectivité et les services de l'académie.\n\
               Priorités de l'année : les écrans interactifs des salles de sciences, \
               l'usage de l'ENT par les familles, les compétences numériques des élèves (Pix)."
            .into(),
        referents: referents
            .iter()
            .map(|r| ReferentInput {
                account_id: r.to_string(),
                remuneration: "imp".into(),
                rate_cents: "125000".into(),
                share: share.into(),
                hours: String::new(),
            })
            .collect(),
        missions: [
            pick("comite", "Trois réunions dans l'année, une par trimestre."),
            pick("indicateurs", ""),
            pick("plan-formation", "Ateliers du mercredi après-midi."),
            pick("accompagner", ""),
            pick(
                "disponibilite",
                "Relais des tickets vers le support de la Région.",
            ),
            pick(
                "donnees",
                "Mise à jour des comptes de l'ENT à chaque rentrée.",
            ),
        ]
        .into_iter()
        .flatten()
        .chain([MissionInput {
            axis: "accompagnement".into(),
            label: "Animer un café numérique mensuel en salle des professeurs".into(),
            ..Default::default()
        }])
        .collect(),
        indicators: vec![
            IndicatorInput {
                label: "Disponibilité du parc informatique".into(),
                source: "equipment_availability".into(),
                baseline: "92".into(),
                target: "95".into(),
                ..Default::default()
            },
            IndicatorInput {
                label: "Tickets résolus dans les délais".into(),
                source: "sla_compliance".into(),
                baseline: "80".into(),
                target: "90".into(),
                ..Default::default()
            },
            IndicatorInput {
                label: "Occupation des chariots et salles réservables".into(),
                source: "booking_occupancy".into(),
                target: "40".into(),
                ..Default::default()
            },
            IndicatorInput {
                label: "Enseignants formés à l'ENT".into(),
                source: "manual".into(),
                unit: "count".into(),
                direction: "higher".into(),
                baseline: "6".into(),
                target: "15".into(),
            },
        ],
    }
}

/// Writes a letter for `year` and takes it through its steps: proposed,
/// signed by the head, acknowledged by each referent; reviewed when
/// `review` gives the final values.
async fn letter(
    db: &Db,
    head: &Ctx,
    referents: &[Ctx],
    etab: Uuid,
    li: &LetterInput,
    password: &str,
    review: Option<&[&str]>,
) -> Result<()> {
    let id = lettres::create(db, head, etab, li).await?;
    lettres::step(db, head, etab, id, LetterStep::Propose).await?;
    lettres::sign(db, head, etab, id, password, &AuthSettings::default()).await?;
    for r in referents {
        lettres::acknowledge(db, r, etab, id).await?;
    }
    if let Some(values) = review {
        let parts = q::parts_of(&db.conn, id).await?;
        let input = ReviewInput {
            finals: parts
                .indicators
                .iter()
                .zip(values)
                .map(|(i, v)| FinalInput {
                    indicator_id: i.id.to_string(),
                    value: (*v).into(),
                    comment: String::new(),
                })
                .collect(),
            axes: vec![
                (
                    "pilotage".into(),
                    "Trois comités numériques tenus ; le volet numérique du projet est adopté."
                        .into(),
                ),
                (
                    "equipements".into(),
                    "Renouvellement des vidéoprojecteurs reporté à l'an prochain.".into(),
                ),
            ],
        };
        revue::review(db, head, etab, id, &input).await?;
    }
    Ok(())
}

/// Seeds each demo school that has no letter yet; returns how many
/// letters were written (0 when run again).
pub async fn seed_demo_schools(db: &Db, password: &str, today: chrono::NaiveDate) -> Result<u64> {
    let mut n = 0;
    for uai in UAIS {
        let Some(etab) = refnum_db::orgs::get_etablissement_by_uai(&db.conn, uai).await? else {
            continue;
        };
        if !q::letters_of(&db.conn, etab.id).await?.is_empty() {
            continue;
        }
        let heads =
            refnum_db::assistance::accounts_with_roles_on(&db.conn, etab.id, &["direction"])
                .await?;
        let refs =
            refnum_db::assistance::accounts_with_roles_on(&db.conn, etab.id, &["referent"]).await?;
        let Some(head) = heads.first() else { continue };
        if refs.is_empty() {
            continue;
        }
        let Some(head) = ctx_of(db, *head).await? else {
            continue;
        };
        let mut referents = vec![];
        for r in &refs {
            if let Some(c) = ctx_of(db, *r).await? {
                referents.push(c);
            }
        }
        let catalogue = q::catalogue(&db.conn, Some(etab.academie_id), false).await?;
        let this = SchoolYear::of(today);
        let last = SchoolYear(this.0 - 1);
        let li = input(&catalogue, last, &refs);
        letter(
            db,
            &head,
            &referents,
            etab.id,
            &li,
            password,
            Some(&["96,2", "84", "31", "11"]),
        )
        .await?;
        let mut li = input(&catalogue, this, &refs);
        li.indicators[3].baseline = "11".into();
        letter(db, &head, &referents, etab.id, &li, password, None).await?;
        n += 2;
        comite_of(db, &head, etab.id, &refs, today).await?;
    }
    Ok(n)
}

/// The school's comité: the head and the referents, the Région's and the
/// parents' representatives; a meeting this year with its minutes, two
/// decisions and three actions.
async fn comite_of(
    db: &Db,
    head: &Ctx,
    etab: Uuid,
    referents: &[Uuid],
    today: chrono::NaiveDate,
) -> Result<()> {
    use super::comite::{self, ActionInput, MeetingInput, MemberInput, MinutesInput};
    let mut members = vec![
        comite::add_member(
            db,
            head,
            etab,
            &MemberInput {
                kind: "staff".into(),
                account_id: head.account.id.to_string(),
                role: "direction".into(),
                ..Default::default()
            },
        )
        .await?,
    ];
    for r in referents {
        members.push(
            comite::add_member(
                db,
                head,
                etab,
                &MemberInput {
                    kind: "staff".into(),
                    account_id: r.to_string(),
                    role: "referent".into(),
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    for (name, quality) in [
        ("Service numérique éducatif de la Région", "collectivite"),
        ("Représentante des parents d'élèves", "parents"),
    ] {
        members.push(
            comite::add_member(
                db,
                head,
                etab,
                &MemberInput {
                    kind: "outside".into(),
                    name: name.into(),
                    quality: quality.into(),
                    ..Default::default()
                },
            )
            .await?,
        );
    }
    let year = SchoolYear::of(today);
    let day = |d: i64| today + chrono::Duration::days(d);
    // A meeting about forty days into the year, and before today.
    let date = (year.first_day() + chrono::Duration::days(40))
        .min(day(-1))
        .max(year.first_day());
    let rid = comite::create_meeting(
        db,
        head,
        etab,
        &MeetingInput {
            school_year: year.label(),
            date: date.to_string(),
            start_time: "17:30".into(),
            place: "Salle du conseil".into(),
            agenda: "Bilan de la rentrée numérique\nÉcrans interactifs des salles de sciences\nPlan de formation".into(),
        },
    )
    .await?;
    comite::record_minutes(
        db,
        head,
        etab,
        rid,
        &MinutesInput {
            present: members.iter().take(3).map(|m| m.to_string()).collect(),
            minutes: "La rentrée numérique s'est bien passée : comptes ENT distribués, \
                      deux chariots de tablettes en service.\n\
                      Les écrans des salles de sciences seront demandés à la Région."
                .into(),
            public: true,
        },
    )
    .await?;
    let screens = comite::add_decision(
        db,
        head,
        etab,
        rid,
        "Demander à la Région quatre écrans interactifs pour les salles de sciences.",
    )
    .await?;
    let training = comite::add_decision(
        db,
        head,
        etab,
        rid,
        "Proposer un atelier sur l'ENT aux enseignants arrivés cette année.",
    )
    .await?;
    let owner = referents.first().copied().unwrap_or(head.account.id);
    for (decision, title, due, status) in [
        (
            training,
            "Organiser l'atelier ENT des nouveaux enseignants",
            day(-20),
            Some("done"),
        ),
        (
            screens,
            "Rédiger la demande d'écrans interactifs",
            day(-7),
            None,
        ),
        (
            screens,
            "Présenter la demande au conseil d'administration",
            day(45),
            None,
        ),
    ] {
        let aid = comite::create_action(
            db,
            head,
            etab,
            &ActionInput {
                reunion_id: Some(rid),
                decision_id: Some(decision),
                school_year: year.label(),
                title: title.into(),
                owner_account_id: owner.to_string(),
                due_on: due.max(date).to_string(),
                ..Default::default()
            },
        )
        .await?;
        if let Some(st) = status {
            comite::set_action_status(db, head, etab, aid, st).await?;
        }
    }
    Ok(())
}
