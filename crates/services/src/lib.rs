//! Services: each use case of RefNum, run in one transaction with its audit
//! event, after asking the policy. The web layer and the CLI call these.

pub mod annuaire;
pub mod assistance;
pub mod audit;
pub mod auth;
pub mod context;
pub mod demo;
pub mod demo_scale;
pub mod display;
pub mod error;
pub mod home;
pub mod indicators;
pub mod kb;
pub mod mfa;
pub mod orgs;
pub mod parc;
pub mod people;
pub mod pilotage;
pub mod prets;
pub mod recherche;
pub mod reservations;
pub mod school_list;
pub mod sso;
pub mod support;
pub mod tokens;

pub use context::Ctx;
pub use error::{FieldError, ServiceError};
pub use refnum_db::Db;
