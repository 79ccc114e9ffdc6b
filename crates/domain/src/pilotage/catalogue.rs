//! The usual missions of a digital referent, by axis: the catalogue an
//! instance starts with. The instance's administrator and each académie
//! edit their own catalogue (the académie's entries come after the
//! instance's); a letter picks from it or adds its own lines.
//!
//! The axes and what they cover follow the DANE's description of the role
//! (see `docs/pilotage.md`); the wording here is RefNum's.

use super::Axis;

/// A mission of the seed catalogue: a stable code (so that seeding twice
/// adds nothing), its axis and its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedMission {
    pub code: &'static str,
    pub axis: Axis,
    pub label: &'static str,
}

const fn m(code: &'static str, axis: Axis, label: &'static str) -> SeedMission {
    SeedMission { code, axis, label }
}

/// The seed catalogue, in the order of the axes.
pub const SEED: &[SeedMission] = &[
    m(
        "comite",
        Axis::Pilotage,
        "Préparer et animer le comité numérique avec la direction",
    ),
    m(
        "projet",
        Axis::Pilotage,
        "Contribuer au volet numérique du projet d'établissement",
    ),
    m(
        "plan-formation",
        Axis::Pilotage,
        "Organiser le plan de formation au numérique de l'établissement",
    ),
    m(
        "indicateurs",
        Axis::Pilotage,
        "Proposer et suivre les indicateurs du projet numérique",
    ),
    m(
        "accompagner",
        Axis::Accompagnement,
        "Être l'interlocuteur des enseignants pour leurs usages du numérique",
    ),
    m(
        "pratiques",
        Axis::Accompagnement,
        "Faire connaître des exemples de pratiques pédagogiques",
    ),
    m(
        "projets",
        Axis::Accompagnement,
        "Aider les projets pédagogiques qui s'appuient sur le numérique",
    ),
    m(
        "ressources",
        Axis::Accompagnement,
        "Conseiller dans le choix des ressources et des outils",
    ),
    m(
        "formations",
        Axis::Accompagnement,
        "Orienter les collègues vers les formations adaptées",
    ),
    m(
        "rgpd-conseil",
        Axis::Accompagnement,
        "Analyser certains usages au regard du RGPD, conseiller les enseignants et informer la direction",
    ),
    m(
        "disponibilite",
        Axis::Equipements,
        "Veiller à la disponibilité des équipements avec les services de maintenance",
    ),
    m(
        "interface",
        Axis::Equipements,
        "Faire le lien entre les utilisateurs et la maintenance",
    ),
    m(
        "renouvellement",
        Axis::Equipements,
        "Préparer avec la direction le dialogue avec la collectivité sur les renouvellements et les investissements",
    ),
    m(
        "services",
        Axis::ServicesEnLigne,
        "Administrer les services en ligne de l'établissement, dont l'ENT",
    ),
    m(
        "admins-delegues",
        Axis::ServicesEnLigne,
        "Coordonner les administrateurs délégués désignés par la direction",
    ),
    m(
        "donnees",
        Axis::ServicesEnLigne,
        "Tenir à jour les données des services (imports de l'annuaire) tout au long de l'année",
    ),
    m(
        "securite",
        Axis::ServicesEnLigne,
        "Veiller aux règles de sécurité et de protection des données",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_axis_has_missions_and_every_code_is_unique() {
        for a in Axis::ALL {
            assert!(SEED.iter().any(|s| s.axis == *a), "{a:?}");
        }
        let mut codes: Vec<&str> = SEED.iter().map(|s| s.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SEED.len());
        // In the order of the axes.
        let axes: Vec<Axis> = SEED.iter().map(|s| s.axis).collect();
        let mut sorted = axes.clone();
        sorted.sort();
        assert_eq!(axes, sorted);
    }
}
