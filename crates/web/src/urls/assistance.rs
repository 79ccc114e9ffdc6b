//! Paths of the assistance pages.

use uuid::Uuid;

/// The tickets the caller may see, over every school of their scope.
pub const TICKETS: &str = "/assistance";

pub fn new_ticket(etab: Uuid) -> String {
    format!("/etablissements/{etab}/assistance/nouveau")
}
pub fn ticket(id: Uuid) -> String {
    refnum_services::assistance::ticket_link(id)
}
pub fn ticket_status(id: Uuid) -> String {
    format!("/assistance/tickets/{id}/statut")
}
pub fn ticket_assign(id: Uuid) -> String {
    format!("/assistance/tickets/{id}/affectation")
}
pub fn ticket_escalate(id: Uuid) -> String {
    format!("/assistance/tickets/{id}/escalade")
}
pub fn ticket_external_ref(id: Uuid) -> String {
    format!("/assistance/tickets/{id}/reference")
}
pub fn ticket_priority(id: Uuid) -> String {
    format!("/assistance/tickets/{id}/priorite")
}
pub fn ticket_comments(id: Uuid) -> String {
    format!("/assistance/tickets/{id}/commentaires")
}
pub fn attachment(id: Uuid) -> String {
    format!("/assistance/pieces-jointes/{id}")
}
/// The fault form behind an asset's QR label.
pub fn qr(token: &str) -> String {
    format!("/q/{token}")
}
/// Where the school's knowledge base suggests articles while a title is typed.
pub fn kb_suggestions(etab: Uuid) -> String {
    format!("/etablissements/{etab}/base-de-connaissances/suggestions")
}

/// The comment form (with its attachment) is streamed by its handler: the
/// CSRF token is then checked in the first multipart field.
pub fn is_attachment_upload(path: &str) -> bool {
    path.strip_prefix("/assistance/tickets/")
        .and_then(|rest| rest.strip_suffix("/commentaires"))
        .is_some_and(|id| id.parse::<Uuid>().is_ok())
}

/// The API's attachment upload (`POST /api/v1/tickets/{id}/attachments`):
/// its body may be larger than the default limit (the route sets its own).
pub fn is_api_attachment_upload(path: &str) -> bool {
    path.strip_prefix("/api/v1/tickets/")
        .and_then(|rest| rest.strip_suffix("/attachments"))
        .is_some_and(|id| id.parse::<Uuid>().is_ok())
}
