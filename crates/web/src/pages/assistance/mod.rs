//! Assistance pages: the ticket lists, a ticket's page and its forms, the
//! creation form and the anonymous QR fault form. The services ask the
//! policy; these handlers only extract, call and render.

mod list;
mod new;
mod qr;
mod ticket;

use crate::AppState;
use crate::i18n::Tr;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(crate::urls::assistance::TICKETS, get(list::list))
        .route(
            "/etablissements/{id}/assistance/nouveau",
            get(new::form).post(new::submit),
        )
        .route("/assistance/tickets/{id}", get(ticket::show))
        .route("/assistance/tickets/{id}/statut", post(ticket::status))
        .route("/assistance/tickets/{id}/affectation", post(ticket::assign))
        .route("/assistance/tickets/{id}/escalade", post(ticket::escalate))
        .route(
            "/assistance/tickets/{id}/reference",
            post(ticket::external_ref),
        )
        .route("/assistance/tickets/{id}/priorite", post(ticket::priority))
        .route(
            "/assistance/tickets/{id}/commentaires",
            post(ticket::comment).layer(axum::extract::DefaultBodyLimit::max(
                refnum_services::assistance::attachments::DEFAULT_MAX_BYTES + 256 * 1024,
            )),
        )
        .route("/assistance/pieces-jointes/{aid}", get(ticket::download))
        .route("/q/{token}", get(qr::open).post(qr::submit))
}

/// The label of a code from the catalogue (`<prefix>-<code>`), the code
/// itself when the catalogue does not know it.
pub(crate) fn label(tr: Tr, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}-{}", code.replace('_', "-"));
    tr.get(&key).unwrap_or_else(|| code.to_string())
}

pub(crate) fn flag(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
}

/// The asset's page in the parc.
pub(crate) fn asset_page(etab: uuid::Uuid, asset: uuid::Uuid) -> String {
    format!("/etablissements/{etab}/parc/equipements/{asset}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use refnum_domain::ticket::{Level, Priority, TicketCategory, TicketKind, TicketStatus};

    /// Every code shown through `label` has its label in both languages.
    #[test]
    fn every_ticket_code_has_a_label() {
        for tr in [Tr(Lang::Fr), Tr(Lang::En)] {
            let has = |prefix: &str, code: &str| {
                let key = format!("{prefix}-{}", code.replace('_', "-"));
                assert!(tr.has(&key), "{key}");
            };
            for s in TicketStatus::ALL {
                has("ticket-status", s.as_str());
                has("ticket-to", s.as_str());
            }
            for p in Priority::ALL {
                has("ticket-priority", p.as_str());
            }
            for l in Level::ALL {
                has("ticket-level", l.as_str());
            }
            for c in TicketCategory::ALL {
                has("ticket-category", c.as_str());
            }
            for k in TicketKind::ALL {
                has("ticket-kind", k.as_str());
            }
            for s in ["web", "qr", "api"] {
                has("ticket-source", s);
            }
            for e in [
                "created",
                "status",
                "reopened",
                "priority",
                "unusable",
                "assigned",
                "escalated",
                "comment",
                "attachment",
                "external_ref",
            ] {
                let key = format!("ticket-event-{}", e.replace('_', "-"));
                let args = [
                    ("from", "a".to_string()),
                    ("to", "b".to_string()),
                    ("detail", String::new()),
                ];
                assert_ne!(tr.t_args(&key, &args), key);
            }
            for n in ["created", "assigned", "escalated", "status", "comment"] {
                has("ticket-notif", n);
            }
        }
    }
}
