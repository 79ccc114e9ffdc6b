//! Loan entities: loans, the things lent with them, the parties to their
//! convention, the school's loan charter versions.

pub mod loan;
pub mod loan_charter;
pub mod loan_item;
pub mod loan_party;
