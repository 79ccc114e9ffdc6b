//! Paths of the support pages.

use uuid::Uuid;

/// In-app notifications of the caller.
pub const NOTIFICATIONS: &str = "/notifications";
/// Marks every notification of the caller read (POST).
pub const NOTIFICATIONS_READ_ALL: &str = "/notifications/tout-lire";
/// The support organisations the caller sees.
pub const ORGS: &str = "/support/organisations";
/// A new support organisation.
pub const ORG_NEW: &str = "/support/organisations/nouvelle";

pub fn notification_read(id: Uuid) -> String {
    format!("/notifications/{id}/lue")
}

pub fn org(id: Uuid) -> String {
    format!("/support/organisations/{id}")
}

pub fn org_edit(id: Uuid) -> String {
    format!("/support/organisations/{id}/modifier")
}

pub fn org_targets(id: Uuid) -> String {
    format!("/support/organisations/{id}/objectifs")
}

pub fn org_calendar(id: Uuid) -> String {
    format!("/support/organisations/{id}/calendrier")
}

/// A school's in-house support: its targets and calendar.
pub fn in_house(etab: Uuid) -> String {
    format!("/etablissements/{etab}/support")
}

pub fn in_house_targets(etab: Uuid) -> String {
    format!("/etablissements/{etab}/support/objectifs")
}

pub fn in_house_calendar(etab: Uuid) -> String {
    format!("/etablissements/{etab}/support/calendrier")
}
