//! The notifications' e-mails: the catalogue texts for the sender of
//! `refnum_services::support::mail`, and its background task.

use crate::WebConfig;
use crate::i18n::{Lang, Tr};
use refnum_db::Db;
use refnum_services::ServiceError;
use refnum_services::support::mail::{self, MailRun, Mailer};
use std::time::Duration;

/// Between two runs when all goes well.
const INTERVAL: Duration = Duration::from_secs(30);
/// The longest wait after repeated failures.
const MAX_WAIT: Duration = Duration::from_secs(30 * 60);

/// The `mail-*` texts of the Fluent catalogues.
pub struct MailCatalogue;

impl mail::Catalogue for MailCatalogue {
    fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        Tr(Lang::parse(lang).unwrap_or(Lang::Fr)).t_args(key, args)
    }

    fn kind_label(&self, lang: &str, kind: &str) -> String {
        crate::pages::support::notification_kind(Tr(Lang::parse(lang).unwrap_or(Lang::Fr)), kind)
    }

    fn notifications_path(&self) -> &str {
        crate::urls::support::NOTIFICATIONS
    }
}

/// One run of the sender now; `None` without SMTP configuration.
pub async fn send_pending_mail(
    db: &Db,
    config: &WebConfig,
) -> Option<Result<MailRun, ServiceError>> {
    let settings = config.mail.as_ref()?;
    let mailer = match Mailer::new(settings) {
        Ok(m) => m,
        Err(e) => return Some(Err(ServiceError::Internal(e.to_string()))),
    };
    Some(mail::run(db, &mailer, &MailCatalogue, chrono::Utc::now()).await)
}

/// Sends the notifications' e-mails every 30 seconds when SMTP is
/// configured, waiting twice as long after each failed run (up to 30 minutes).
pub fn spawn_mail(db: Db, config: &WebConfig) {
    let Some(settings) = config.mail.clone() else {
        tracing::info!("no [smtp] configuration: notifications stay in the application");
        return;
    };
    let mailer = match Mailer::new(&settings) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "notification e-mails disabled");
            return;
        }
    };
    tracing::info!(
        host = %settings.host,
        port = settings.port,
        "notification e-mails on"
    );
    tokio::spawn(async move {
        let mut wait = INTERVAL;
        loop {
            tokio::time::sleep(wait).await;
            let ok = match mail::run(&db, &mailer, &MailCatalogue, chrono::Utc::now()).await {
                Ok(r) => {
                    if r.messages + r.skipped + r.refused > 0 {
                        tracing::info!(
                            messages = r.messages,
                            notifications = r.notifications,
                            skipped = r.skipped,
                            refused = r.refused,
                            "notification e-mails"
                        );
                    }
                    !r.failed
                }
                Err(e) => {
                    tracing::warn!(error = %e, "notification e-mails failed");
                    false
                }
            };
            wait = if ok {
                INTERVAL
            } else {
                (wait * 2).min(MAX_WAIT)
            };
        }
    });
}
