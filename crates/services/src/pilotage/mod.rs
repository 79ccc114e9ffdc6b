//! Pilotage: the mission letter (`lettres`), its amendments and its copy
//! to the next year (`avenants`), its year-end review (`revue`). The comité numérique, the
//! school project, the training plan and the yearly report come next (see
//! `docs/pilotage.md`).

pub mod accueil;
pub mod avenants;
pub mod catalogue;
pub mod comite;
pub mod demo;
pub mod demo_formations;
pub mod demo_projet;
pub mod formations;
pub mod lettres;
pub mod mesures;
pub mod projet;
pub mod revue;
mod saisie;
