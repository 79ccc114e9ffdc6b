//! Pilotage entities: the catalogue of missions and the mission letters
//! with their referents, missions, indicators, comments and year-end review;
//! the comité numérique (`comite_*`); the training plan (`formation_*`); the
//! digital part of the school project (`projet*`).

pub mod comite_action;
pub mod comite_decision;
pub mod comite_membre;
pub mod comite_presence;
pub mod comite_reunion;
pub mod formation_besoin;
pub mod formation_inscription;
pub mod formation_session;
pub mod formation_theme;
pub mod lettre;
pub mod lettre_commentaire;
pub mod lettre_indicateur;
pub mod lettre_mission;
pub mod lettre_referent;
pub mod lettre_revue;
pub mod mission;
pub mod projet;
pub mod projet_action;
pub mod projet_annee;
pub mod projet_axe;
pub mod projet_cible;
pub mod projet_indicateur;
pub mod projet_objectif;
