//! RefNum domain: validated types, roles and the one policy module.
//! Pure code: no HTTP, no SQL.

pub mod asset;
pub mod audit;
pub mod booking;
pub mod calendar;
mod codes;
pub mod email;
pub mod etablissement;
pub mod loan;
pub mod paging;
pub mod password;
pub mod pilotage;
pub mod policy;
pub mod role;
pub mod search;
pub mod ticket;
pub mod totp;
pub mod uai;

pub use email::Email;
pub use role::{Role, ScopeRef};
pub use uai::Uai;
