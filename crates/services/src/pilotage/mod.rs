//! Pilotage: the mission letter (`lettres`). The comité numérique, the
//! school project, the training plan and the yearly report come next (see
//! `docs/pilotage.md`).

pub mod catalogue;
pub mod comite;
pub mod lettres;
mod saisie;
