//! Pilotage entities: the catalogue of missions and the mission letters
//! with their referents, missions, indicators, comments and year-end review.

pub mod lettre;
pub mod lettre_commentaire;
pub mod lettre_indicateur;
pub mod lettre_mission;
pub mod lettre_referent;
pub mod lettre_revue;
pub mod mission;
