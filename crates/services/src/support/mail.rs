//! E-mail of the in-app notifications, when SMTP is configured: every
//! pending notification of an account goes in one message (a digest) with
//! absolute links to its tickets, in the account's language.
//!
//! Safe with several app servers: a job lease lets one server run at a
//! time, and each notification is claimed by a conditional UPDATE of its
//! `emailed_at` (set only when null) before its message is sent, so it is
//! mailed at most once. A failed send gives the claimed rows back; the
//! caller waits longer before the next run. Notifications older than
//! [`MAX_AGE_DAYS`] are marked as needing no e-mail, so that configuring
//! SMTP late does not flood anyone. Accounts disabled or without a usable
//! address get nothing (their rows are marked too).
//!
//! The texts come from the interface's catalogues through [`Catalogue`]
//! (keys `mail-*`), which the web layer implements.

use super::mail_config::{ConfigError, Security, SmtpSettings};
use crate::error::Result;
use chrono::{DateTime, Duration, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use refnum_db::Db;
use refnum_db::entities::assistance::notification;
use refnum_db::support::{self as q, PendingMail};
use std::collections::HashMap;
use uuid::Uuid;

/// The job lease of the sender.
pub const LEASE: &str = "mail.notifications";
/// Notifications older than this are not mailed any more.
pub const MAX_AGE_DAYS: i64 = 7;
/// Notifications read per run (the next run takes the rest).
const BATCH: u64 = 500;
/// How long a run may hold the lease before another server takes over.
const LEASE_MINUTES: i64 = 5;
/// Longest wait for the SMTP server, per command.
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// Longest subject line, in characters.
const SUBJECT_MAX: usize = 150;

/// The mail texts, from the catalogues of the interface.
pub trait Catalogue: Send + Sync {
    /// The text of `key` in `lang` (`fr`, `en`) with its arguments.
    fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String;
    /// The label of a notification kind (`ticket-created`…) in `lang`.
    fn kind_label(&self, lang: &str, kind: &str) -> String;
    /// The path of the notifications page (`/notifications`).
    fn notifications_path(&self) -> &str;
}

/// One language's view of the catalogue.
struct Texts<'a> {
    cat: &'a dyn Catalogue,
    lang: &'a str,
}

impl Texts<'_> {
    fn t(&self, key: &str) -> String {
        self.cat.text(self.lang, key, &[])
    }

    fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.cat.text(self.lang, key, args)
    }
}

/// The SMTP transport with the sender's address and the links' base.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    /// This process's name in the job lease.
    holder: String,
}

fn tls_parameters(host: &str) -> std::result::Result<TlsParameters, ConfigError> {
    TlsParameters::new(host.to_string()).map_err(|_| ConfigError {
        field: "smtp.host",
        message: format!("« {host} » cannot be used for a TLS connection"),
    })
}

impl Mailer {
    pub fn new(s: &SmtpSettings) -> std::result::Result<Mailer, ConfigError> {
        let tls = match s.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(tls_parameters(&s.host)?),
            Security::Tls => Tls::Wrapper(tls_parameters(&s.host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.as_str())
            .port(s.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some((user, password)) = &s.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: s.from.clone(),
            public_url: s.public_url.clone(),
            holder: format!("mail-{}", Uuid::now_v7()),
        })
    }
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRun {
    /// Another server holds the lease: this run did nothing.
    pub busy: bool,
    /// Messages sent.
    pub messages: usize,
    /// Notifications they carried.
    pub notifications: usize,
    /// Notifications marked as needing no e-mail (too old, account disabled
    /// or without an address).
    pub skipped: usize,
    /// Notifications whose recipient the server refused for good.
    pub refused: usize,
    /// The server could not be reached or refused to work: what was left
    /// stays pending, and the caller waits longer.
    pub failed: bool,
}

/// Why a message did not leave.
enum Failure {
    /// The server refused this recipient for good (550…553): not retried.
    Recipient(String),
    /// The server is down, slow, or refuses us (authentication…): retried later.
    Server(String),
}

/// A description of an SMTP error for the logs: its class and status code,
/// never the server's text (it may quote the recipient's address).
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let class = if e.is_timeout() {
        "timeout"
    } else if e.is_tls() {
        "tls"
    } else if e.is_permanent() {
        "permanent"
    } else if e.is_transient() {
        "transient"
    } else if e.is_response() {
        "response"
    } else if e.is_client() {
        "client"
    } else {
        "connection"
    };
    match e.status() {
        Some(code) => format!("{class} {code}"),
        None => class.to_string(),
    }
}

fn classify(e: &lettre::transport::smtp::Error) -> Failure {
    let code = e.status().map(|c| c.to_string());
    if e.is_permanent() && matches!(code.as_deref(), Some("550" | "551" | "552" | "553")) {
        Failure::Recipient(describe(e))
    } else {
        Failure::Server(describe(e))
    }
}

/// Text on one line, without control characters, at most `max` characters.
fn one_line(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = flat.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= max {
        joined
    } else {
        let mut cut: String = joined.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The subject and plain-text body of one account's digest.
pub fn compose(
    cat: &dyn Catalogue,
    lang: &str,
    name: &str,
    items: &[&notification::Model],
    public_url: &str,
) -> (String, String) {
    let tx = Texts {
        cat,
        lang: if lang == "en" { "en" } else { "fr" },
    };
    let count = items.len().to_string();
    let subject = match items {
        [one] => tx.t_args(
            "mail-subject-one",
            &[
                ("kind", cat.kind_label(tx.lang, &one.kind)),
                ("title", one_line(&one.title, SUBJECT_MAX)),
            ],
        ),
        _ => tx.t_args("mail-subject-many", &[("count", count.clone())]),
    };
    let mut body = String::new();
    body.push_str(&tx.t_args("mail-greeting", &[("name", one_line(name, 200))]));
    body.push_str("\n\n");
    body.push_str(&tx.t_args("mail-intro", &[("count", count)]));
    body.push_str("\n\n");
    for n in items {
        let link = if n.link.starts_with('/') {
            format!("{public_url}{}", n.link)
        } else {
            format!("{public_url}{}", cat.notifications_path())
        };
        let item = tx.t_args(
            "mail-item",
            &[
                ("kind", cat.kind_label(tx.lang, &n.kind)),
                ("title", one_line(&n.title, 300)),
            ],
        );
        body.push_str(&format!("- {item}\n  {link}\n\n"));
    }
    body.push_str(&tx.t_args(
        "mail-all",
        &[("url", format!("{public_url}{}", cat.notifications_path()))],
    ));
    body.push_str("\n\n-- \n");
    body.push_str(&tx.t("mail-footer"));
    body.push('\n');
    (one_line(&subject, SUBJECT_MAX), body)
}

/// The recipient of a pending notification, if it may be mailed.
fn recipient(p: &PendingMail) -> Option<Mailbox> {
    if p.disabled || refnum_domain::email::Email::parse(&p.email).is_err() {
        return None;
    }
    let address: Address = p.email.trim().parse().ok()?;
    let name = one_line(&p.display_name, 100);
    Some(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// Sends the pending notifications' e-mails; see the module's comment.
pub async fn run(
    db: &Db,
    mailer: &Mailer,
    cat: &dyn Catalogue,
    now: DateTime<Utc>,
) -> Result<MailRun> {
    let txn = db.write().await?;
    let mine = q::take_lease(
        &*txn,
        LEASE,
        &mailer.holder,
        now,
        now + Duration::minutes(LEASE_MINUTES),
    )
    .await?;
    txn.commit().await?;
    if !mine {
        return Ok(MailRun {
            busy: true,
            ..MailRun::default()
        });
    }
    let out = leased(db, mailer, cat, now).await;
    let release = async {
        let txn = db.write().await?;
        q::release_lease(&*txn, LEASE, &mailer.holder, now).await?;
        txn.commit().await
    };
    if let Err(e) = release.await {
        tracing::warn!(error = %e, "the e-mail job could not give its lease back");
    }
    out
}

/// Claims notifications; the ids this caller got.
async fn claim(db: &Db, ids: &[Uuid], now: DateTime<Utc>) -> Result<Vec<Uuid>> {
    let txn = db.write().await?;
    let mut got = Vec::with_capacity(ids.len());
    for id in ids {
        if q::claim_mail(&*txn, *id, now).await? {
            got.push(*id);
        }
    }
    txn.commit().await?;
    Ok(got)
}

async fn leased(
    db: &Db,
    mailer: &Mailer,
    cat: &dyn Catalogue,
    now: DateTime<Utc>,
) -> Result<MailRun> {
    let mut done = MailRun::default();
    let since = now - Duration::days(MAX_AGE_DAYS);
    let txn = db.write().await?;
    let old = q::skip_old_mail(&*txn, since, now).await?;
    txn.commit().await?;
    done.skipped += usize::try_from(old).unwrap_or(usize::MAX);

    // One group per account, in the order of their oldest notification.
    let mut groups: Vec<Vec<PendingMail>> = vec![];
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    for p in q::pending_mail(&db.conn, since, BATCH).await? {
        match index.get(&p.notification.account_id) {
            Some(&i) => groups[i].push(p),
            None => {
                index.insert(p.notification.account_id, groups.len());
                groups.push(vec![p]);
            }
        }
    }

    for group in groups {
        let Some(first) = group.first() else {
            continue;
        };
        let account_id = first.notification.account_id;
        let to = recipient(first);
        let lang = first.locale.clone();
        let name = first.display_name.clone();
        let ids: Vec<Uuid> = group.iter().map(|p| p.notification.id).collect();
        let claimed = claim(db, &ids, now).await?;
        if claimed.is_empty() {
            continue;
        }
        let Some(to) = to else {
            done.skipped += claimed.len();
            continue;
        };
        let items: Vec<&notification::Model> = group
            .iter()
            .map(|p| &p.notification)
            .filter(|n| claimed.contains(&n.id))
            .collect();
        let (subject, body) = compose(cat, &lang, &name, &items, &mailer.public_url);
        let message = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body);
        let outcome = match message {
            Ok(m) => mailer
                .transport
                .send(m)
                .await
                .map(|_| ())
                .map_err(|e| classify(&e)),
            Err(_) => Err(Failure::Recipient("message".into())),
        };
        match outcome {
            Ok(()) => {
                done.messages += 1;
                done.notifications += claimed.len();
            }
            Err(Failure::Recipient(reason)) => {
                tracing::warn!(
                    %account_id,
                    reason = %reason,
                    notifications = claimed.len(),
                    "notification e-mail refused for this recipient; not retried"
                );
                done.refused += claimed.len();
            }
            Err(Failure::Server(reason)) => {
                let txn = db.write().await?;
                q::unclaim_mail(&*txn, &claimed).await?;
                txn.commit().await?;
                tracing::warn!(
                    reason = %reason,
                    "SMTP server unavailable: notification e-mails stay pending"
                );
                done.failed = true;
                break;
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Catalogue for Echo {
        fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
            let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{lang}:{key}({})", args.join(","))
        }
        fn kind_label(&self, _lang: &str, kind: &str) -> String {
            format!("<{kind}>")
        }
        fn notifications_path(&self) -> &str {
            "/notifications"
        }
    }

    fn n(title: &str, link: &str) -> notification::Model {
        notification::Model {
            id: Uuid::now_v7(),
            account_id: Uuid::now_v7(),
            ticket_id: None,
            etablissement_id: None,
            kind: "ticket-created".into(),
            title: title.into(),
            link: link.into(),
            created_at: Utc::now(),
            read_at: None,
            emailed_at: None,
        }
    }

    #[test]
    fn a_digest_links_each_ticket_from_the_public_url() {
        let a = n(
            "#12 Vidéoprojecteur\r\nBcc: x@y.fr",
            "/assistance/tickets/a",
        );
        let b = n("#13 Imprimante", "/assistance/tickets/b");
        let (subject, body) = compose(&Echo, "xx", "Jeanne", &[&a, &b], "https://r.fr");
        assert_eq!(subject, "fr:mail-subject-many(count=2)");
        assert!(
            body.contains("https://r.fr/assistance/tickets/a\n"),
            "{body}"
        );
        assert!(
            body.contains("https://r.fr/assistance/tickets/b\n"),
            "{body}"
        );
        assert!(
            body.contains("title=#12 Vidéoprojecteur Bcc: x@y.fr"),
            "{body}"
        );
        assert!(body.contains("fr:mail-all(url=https://r.fr/notifications)"));
        let (subject, _) = compose(&Echo, "en", "Jeanne", &[&a], "https://r.fr");
        assert!(!subject.contains(['\r', '\n']), "{subject}");
        assert!(subject.starts_with("en:mail-subject-one(kind=<ticket-created>,title=#12"));
    }
}
