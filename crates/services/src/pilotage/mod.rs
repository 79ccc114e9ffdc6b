//! Pilotage: the mission letter (`lettres`), its amendments and its copy
//! to the next year (`avenants`). The comité numérique, the
//! school project, the training plan and the yearly report come next (see
//! `docs/pilotage.md`).

pub mod avenants;
pub mod catalogue;
pub mod lettres;
mod saisie;
