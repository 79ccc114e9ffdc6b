//! Paths of the indicators pages.

use uuid::Uuid;

/// The equipment and helpdesk dashboard of a school.
pub fn parc_dashboard(etab: Uuid) -> String {
    format!("/etablissements/{etab}/indicateurs/parc")
}
