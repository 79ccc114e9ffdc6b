//! Demo data: a realistic académie with two collectivités, three schools
//! with real, valid UAIs, a support organisation and an account for every
//! role. Running it again adds what is missing and resets the demo passwords.

use crate::audit::Who;
use crate::auth::hash_password;
use crate::error::{Result, ServiceError};
use crate::orgs::{self, AcademieInput, CollectiviteInput, EtabInput};
use crate::people::{self, AccountInput};
use chrono::Utc;
use refnum_db::entities::{academie, collectivite, organisation, organisation_etablissement};
use refnum_db::{Db, accounts, orgs as q};
use refnum_domain::role::{Membership, Role, ScopeRef};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::Serialize;
use uuid::Uuid;

pub const DEFAULT_PASSWORD: &str = "refnum-demo-2026";

#[derive(Debug, Clone, Serialize)]
pub struct DemoAccount {
    pub email: String,
    pub role: String,
    pub uai: Option<String>,
}

struct School {
    uai: &'static str,
    name: &'static str,
    kind: &'static str,
    city: &'static str,
    pupils: i32,
    owner_region: bool,
    short: &'static str,
}

const SCHOOLS: [School; 3] = [
    School {
        uai: "0140013N",
        name: "Lycée Malherbe",
        kind: "lycee",
        city: "Caen",
        pupils: 1850,
        owner_region: true,
        short: "malherbe",
    },
    School {
        uai: "0141816Y",
        name: "Collège Jacques Monod",
        kind: "college",
        city: "Caen",
        pupils: 620,
        owner_region: false,
        short: "monod",
    },
    School {
        uai: "0140018U",
        name: "Lycée professionnel Victor Lépine",
        kind: "lp",
        city: "Caen",
        pupils: 480,
        owner_region: true,
        short: "lepine",
    },
];

async fn academie(db: &Db, who: &Who) -> Result<academie::Model> {
    if let Some(a) = academie::Entity::find()
        .filter(academie::Column::Code.eq("normandie"))
        .one(&db.conn)
        .await?
    {
        return Ok(a);
    }
    orgs::create_academie(
        db,
        who,
        &AcademieInput {
            code: "normandie".into(),
            name: "Académie de Normandie".into(),
        },
    )
    .await
}

async fn collectivite(
    db: &Db,
    who: &Who,
    kind: &str,
    name: &str,
    ac: Uuid,
) -> Result<collectivite::Model> {
    if let Some(c) = collectivite::Entity::find()
        .filter(collectivite::Column::Kind.eq(kind))
        .filter(collectivite::Column::Name.eq(name))
        .one(&db.conn)
        .await?
    {
        return Ok(c);
    }
    orgs::create_collectivite(
        db,
        who,
        &CollectiviteInput {
            kind: kind.into(),
            name: name.into(),
            academie_id: ac.to_string(),
        },
    )
    .await
}

async fn organisation(db: &Db, name: &str, serves: &[Uuid]) -> Result<organisation::Model> {
    let org = match organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(&db.conn)
        .await?
    {
        Some(o) => o,
        None => {
            let o = organisation::Model {
                id: Uuid::now_v7(),
                name: name.into(),
                created_at: Utc::now(),
            };
            organisation::Entity::insert(o.clone().into_active_model())
                .exec_without_returning(&db.conn)
                .await?;
            o
        }
    };
    for e in serves {
        let exists = organisation_etablissement::Entity::find_by_id((org.id, *e))
            .one(&db.conn)
            .await?;
        if exists.is_none() {
            organisation_etablissement::Entity::insert(organisation_etablissement::ActiveModel {
                organisation_id: Set(org.id),
                etablissement_id: Set(*e),
            })
            .exec_without_returning(&db.conn)
            .await?;
        }
    }
    Ok(org)
}

/// Fills the database with the demo académie; returns the demo accounts.
pub async fn run(db: &Db, password: &str) -> Result<Vec<DemoAccount>> {
    refnum_domain::password::check(password, &[])
        .map_err(|e| ServiceError::field("password", e.key()))?;
    let who = Who::system("demo");
    let ac = academie(db, &who).await?;
    let region = collectivite(db, &who, "region", "Région Normandie", ac.id).await?;
    let dept = collectivite(db, &who, "departement", "Département du Calvados", ac.id).await?;
    let mut etabs = vec![];
    for s in &SCHOOLS {
        let e = match q::get_etablissement_by_uai(&db.conn, s.uai).await? {
            Some(e) => e,
            None => {
                orgs::create_etablissement(
                    db,
                    &who,
                    &EtabInput {
                        uai: s.uai.into(),
                        name: s.name.into(),
                        kind: s.kind.into(),
                        city: s.city.into(),
                        academie_id: ac.id.to_string(),
                        collectivite_id: if s.owner_region { region.id } else { dept.id }
                            .to_string(),
                        pupil_count: s.pupils.to_string(),
                    },
                )
                .await?
            }
        };
        etabs.push(e);
    }
    let all_ids: Vec<Uuid> = etabs.iter().map(|e| e.id).collect();
    let assistance = organisation(db, "Assistance académique de Normandie", &all_ids).await?;
    let _provider = organisation(db, "Calvados Informatique Services", &[etabs[1].id]).await?;

    let mut plan: Vec<(String, String, Role, ScopeRef, Option<String>)> = vec![
        (
            "admin@refnum.test".into(),
            "Administratrice RefNum".into(),
            Role::Admin,
            ScopeRef::Instance,
            None,
        ),
        (
            "dane@ac-normandie.test".into(),
            "Delphine Aubert (DANE)".into(),
            Role::Dane,
            ScopeRef::Academie(ac.id),
            None,
        ),
        (
            "dpd@ac-normandie.test".into(),
            "Damien Perrot (DPD)".into(),
            Role::Dpd,
            ScopeRef::Academie(ac.id),
            None,
        ),
        (
            "numerique@normandie.test".into(),
            "Corinne Lemoine (Région)".into(),
            Role::Collectivite,
            ScopeRef::Collectivite(region.id),
            None,
        ),
        (
            "colleges@calvados.test".into(),
            "Marc Vasseur (Département)".into(),
            Role::Collectivite,
            ScopeRef::Collectivite(dept.id),
            None,
        ),
        (
            "technicien@assistance.test".into(),
            "Théo Renard (assistance)".into(),
            Role::Prestataire,
            ScopeRef::Organisation(assistance.id),
            None,
        ),
    ];
    let people = [
        (
            Role::Direction,
            "direction",
            "Hélène Marchand",
            "Pierre Lefèvre",
            "Sophie Girard",
        ),
        (
            Role::Referent,
            "referent",
            "Julien Roussel",
            "Amélie Fournier",
            "Karim Benali",
        ),
        (
            Role::Enseignant,
            "enseignant",
            "Élodie Caron",
            "Thomas Morel",
            "Nadia Haddad",
        ),
        (
            Role::Personnel,
            "personnel",
            "Louise Perrin",
            "Hugo Lambert",
            "Inès Carpentier",
        ),
        (
            Role::Gestionnaire,
            "gestionnaire",
            "François Dubois",
            "Claire Rivière",
            "Yann Le Goff",
        ),
    ];
    for (i, e) in etabs.iter().enumerate() {
        let short = SCHOOLS[i].short;
        for (role, slug, n0, n1, n2) in &people {
            let name = [n0, n1, n2][i];
            plan.push((
                format!("{slug}.{short}@ac-normandie.test"),
                (*name).to_string(),
                *role,
                ScopeRef::Etablissement(e.id),
                Some(e.uai.clone()),
            ));
        }
    }
    // One teacher who also teaches at the LP: two schools, the header switcher.
    plan.push((
        "enseignant.malherbe@ac-normandie.test".into(),
        "Élodie Caron".into(),
        Role::Enseignant,
        ScopeRef::Etablissement(etabs[2].id),
        Some(etabs[2].uai.clone()),
    ));

    let hash = hash_password(password).await?;
    let mut out = vec![];
    for (email, name, role, scope, uai) in plan {
        let acc = match accounts::get_by_email(&db.conn, &email).await? {
            Some(a) => a,
            None => {
                people::create_account(
                    db,
                    &who,
                    &AccountInput {
                        email: email.clone(),
                        display_name: name,
                        password: String::new(),
                    },
                )
                .await?
            }
        };
        let mut am = acc.clone().into_active_model();
        am.password_hash = Set(Some(hash.clone()));
        am.disabled = Set(false);
        am.update(&db.conn).await?;
        let m =
            Membership::new(role, scope).map_err(|_| ServiceError::Internal("demo plan".into()))?;
        people::grant_alone(db, &who, acc.id, m).await?;
        out.push(DemoAccount {
            email,
            role: role.as_str().into(),
            uai,
        });
    }
    Ok(out)
}

/// The demo content that comes with `refnum demo` on top of [`run`]: the
/// knowledge base's demo articles in each demo school that has none yet.
/// Returns how many articles were written (0 when run again).
pub async fn content(db: &Db) -> Result<u64> {
    let mut n = 0;
    for s in &SCHOOLS {
        if let Some(e) = q::get_etablissement_by_uai(&db.conn, s.uai).await? {
            n += crate::kb::seed_demo(db, e.id).await?;
            let tag = format!("D{}", &s.uai[..4]);
            if crate::reservations::demo::seed(db, e.id, &tag, refnum_domain::booking::Zone::B)
                .await?
            {
                crate::reservations::demo::seed_bookings(db, e.id).await?;
            }
        }
    }
    Ok(n)
}
