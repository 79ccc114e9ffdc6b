//! Support: organisations' contracts, working calendars and SLA due times; notifications and e-mail; reminders.

pub mod calendar;
pub mod mail;
pub mod mail_config;
pub mod notifications;
pub mod orgs;
pub mod paris;
pub mod reminders;
pub mod sla;

use refnum_domain::ticket::Priority;

/// The stored code of a priority (`p1`…`p4`).
pub fn priority_code(p: Priority) -> &'static str {
    match p {
        Priority::P1 => "p1",
        Priority::P2 => "p2",
        Priority::P3 => "p3",
        Priority::P4 => "p4",
    }
}

/// Every priority, the most pressing first.
pub const PRIORITIES: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];
