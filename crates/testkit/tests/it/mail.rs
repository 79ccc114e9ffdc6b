//! The notifications' e-mails, sent to an SMTP server written here (enough
//! of the protocol to receive a message) that records what it is given.

use base64::Engine;
use chrono::Utc;
use refnum_db::entities::account;
use refnum_db::entities::assistance::notification;
use refnum_services::support::mail::MailRun;
use refnum_services::support::mail_config::SmtpConfig;
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, both_backends, test_config};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use uuid::Uuid;

const PUBLIC_URL: &str = "https://refnum.ac-test.fr";

/// One message as the server received it.
#[derive(Debug, Clone, Default)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

/// A small SMTP server on a loopback port.
struct Smtp {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    /// Answers 421 (service unavailable) to every connection.
    refuse: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Smtp {
    async fn start() -> Smtp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("address").port();
        let received = Arc::new(Mutex::new(vec![]));
        let refuse = Arc::new(AtomicBool::new(false));
        let (r, f) = (received.clone(), refuse.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (r, f) = (r.clone(), f.clone());
                tokio::spawn(async move {
                    let _ = session(stream, r, f).await;
                });
            }
        });
        Smtp {
            port,
            received,
            refuse,
            task,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn address_of(arg: &str) -> String {
    arg.split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(a, _)| a.to_string())
        .unwrap_or_default()
}

async fn session(
    stream: tokio::net::TcpStream,
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicBool>,
) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut lines = BufReader::new(r).lines();
    if refuse.load(Ordering::SeqCst) {
        w.write_all(b"421 4.3.2 Service not available\r\n").await?;
        return Ok(());
    }
    w.write_all(b"220 smtp.test ESMTP\r\n").await?;
    let mut current = Received::default();
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 smtp.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            current = Received {
                from: address_of(&line),
                ..Received::default()
            };
            b"250 2.1.0 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            current.to.push(address_of(&line));
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push_str("\r\n");
            }
            current.data = data;
            received
                .lock()
                .expect("lock")
                .push(std::mem::take(&mut current));
            b"250 2.0.0 Queued\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 2.0.0 Bye\r\n").await?;
            return Ok(());
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else {
            b"502 5.5.2 Command not implemented\r\n"
        };
        w.write_all(reply).await?;
    }
    Ok(())
}

/// A header's value, unfolded.
fn header(data: &str, name: &str) -> Option<String> {
    let head = data.split("\r\n\r\n").next()?;
    let mut value: Option<String> = None;
    for line in head.split("\r\n") {
        match &mut value {
            Some(v) if line.starts_with([' ', '\t']) => v.push_str(line),
            Some(_) => break,
            None => {
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case(name)
                {
                    value = Some(v.trim().to_string());
                }
            }
        }
    }
    value
}

fn quoted_printable(s: &str) -> String {
    let bytes = s.replace("=\r\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(hex), 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// The subject, decoded from its encoded words.
fn subject(data: &str) -> String {
    let raw = header(data, "Subject").expect("subject");
    let mut out = String::new();
    for word in raw.split_whitespace() {
        let decoded = word
            .strip_prefix("=?utf-8?b?")
            .or_else(|| word.strip_prefix("=?UTF-8?B?"))
            .and_then(|w| w.strip_suffix("?="))
            .map(|b| {
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(b)
                        .expect("base64"),
                )
                .expect("utf-8")
            });
        match decoded {
            Some(d) => out.push_str(&d),
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
    }
    out
}

/// The text body, decoded from its transfer encoding.
fn body(data: &str) -> String {
    let (_, raw) = data.split_once("\r\n\r\n").expect("body");
    match header(data, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "base64" => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(raw.replace("\r\n", ""))
                .expect("base64"),
        )
        .expect("utf-8"),
        "quoted-printable" => quoted_printable(raw),
        _ => raw.to_string(),
    }
    .replace("\r\n", "\n")
}

fn config_for(port: u16) -> refnum_web::WebConfig {
    let mut c = test_config();
    c.mail = SmtpConfig {
        host: Some("127.0.0.1".into()),
        port: Some(port),
        security: Some("none".into()),
        from: Some("RefNum <refnum@college-malherbe.fr>".into()),
        ..SmtpConfig::default()
    }
    .validate(Some(PUBLIC_URL))
    .expect("valid SMTP configuration");
    c
}

async fn run(app: &TestApp, c: &refnum_web::WebConfig) -> MailRun {
    refnum_web::send_pending_mail(&app.db, c)
        .await
        .expect("configured")
        .expect("run")
}

/// A teacher of school A opens a ticket; its id.
async fn ticket(app: &TestApp, title: &str) -> Uuid {
    let a = app.etab_id(UAI_A).await;
    let teacher = app.signed_in(TEACHER_A).await;
    let path = format!("/etablissements/{a}/assistance/nouveau");
    let r = app
        .post_form(
            &teacher,
            &path,
            &path,
            &[
                ("kind", "incident"),
                ("urgency", "medium"),
                ("impact", "medium"),
                ("title", title),
                ("description", "Rien ne fonctionne depuis ce matin."),
                ("category", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "ticket refused");
    let loc = r.headers()["location"].to_str().expect("location");
    let id = loc
        .strip_prefix("/assistance/tickets/")
        .and_then(|s| s.split('?').next())
        .expect("ticket location");
    Uuid::parse_str(id).expect("ticket id")
}

async fn notifications(app: &TestApp) -> Vec<notification::Model> {
    notification::Entity::find()
        .all(&app.db.conn)
        .await
        .expect("notifications")
}

async fn set_account(app: &TestApp, email: &str, f: impl FnOnce(&mut account::ActiveModel)) {
    let a = account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(&app.db.conn)
        .await
        .expect("query")
        .expect("account");
    let mut a = a.into_active_model();
    f(&mut a);
    a.update(&app.db.conn).await.expect("update");
}

/// The addresses of the accounts these notifications would be mailed to.
async fn addresses(app: &TestApp, ns: &[notification::Model]) -> Vec<String> {
    let mut out = vec![];
    for n in ns {
        let a = account::Entity::find_by_id(n.account_id)
            .one(&app.db.conn)
            .await
            .expect("query")
            .expect("account");
        if !a.disabled && a.email.contains('@') && !out.contains(&a.email) {
            out.push(a.email);
        }
    }
    out.sort();
    out
}

async fn ticket_news_are_mailed_once_as_one_digest_per_account(app: &TestApp) {
    app.demo().await;
    let smtp = Smtp::start().await;
    // The head has no usable address: the notification stays in the app.
    set_account(app, DIRECTION_A, |a| a.email = Set(String::new())).await;
    let t1 = ticket(app, "Vidéoprojecteur de la salle 12 sans image").await;
    let t2 = ticket(app, "Imprimante du CDI bloquée").await;
    let pending = notifications(app).await;
    assert!(pending.iter().all(|n| n.emailed_at.is_none()));
    let expected = addresses(app, &pending).await;
    assert!(expected.contains(&REFERENT_A.to_string()), "{expected:?}");
    assert!(!expected.iter().any(|e| e.is_empty()));

    // Two servers run the sender at once: each account gets one message.
    let c = config_for(smtp.port);
    let (r1, r2) = tokio::join!(run(app, &c), run(app, &c));
    let got = smtp.received();
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, expected, "one message per account with an address");
    assert_eq!(r1.messages + r2.messages, expected.len(), "{r1:?} {r2:?}");
    assert!(got.iter().all(|m| m.from == "refnum@college-malherbe.fr"));
    let mail = got
        .iter()
        .find(|m| m.to == [REFERENT_A])
        .expect("the referent's message");
    assert_eq!(
        subject(&mail.data),
        "[RefNum] 2 notifications sur vos tickets"
    );
    assert!(
        header(&mail.data, "Content-Type")
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("text/plain")),
        "{}",
        mail.data
    );
    let text = body(&mail.data);
    assert!(text.starts_with("Bonjour "), "{text}");
    assert!(
        text.contains("#1 Vidéoprojecteur de la salle 12 sans image"),
        "{text}"
    );
    assert!(text.contains("#2 Imprimante du CDI bloquée"), "{text}");
    assert!(text.contains("Nouveau ticket"), "{text}");
    assert!(
        text.contains(&format!("{PUBLIC_URL}/assistance/tickets/{t1}\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{PUBLIC_URL}/assistance/tickets/{t2}\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{PUBLIC_URL}/notifications")),
        "{text}"
    );
    // Every notification is settled, the head's too (it needs no e-mail),
    // and still unread in the app.
    assert!(
        notifications(app)
            .await
            .iter()
            .all(|n| n.emailed_at.is_some() && n.read_at.is_none())
    );

    // Running again sends nothing more.
    let again = run(app, &c).await;
    assert_eq!(again.messages, 0, "{again:?}");
    assert_eq!(smtp.received().len(), got.len());

    // A new ticket: a message about it alone.
    let t3 = ticket(app, "Tableau blanc interactif muet").await;
    let r = run(app, &c).await;
    assert_eq!(r.messages, expected.len(), "{r:?}");
    let all = smtp.received();
    let last = all
        .iter()
        .rev()
        .find(|m| m.to == [REFERENT_A])
        .expect("second message");
    assert_eq!(
        subject(&last.data),
        "[RefNum] Nouveau ticket : #3 Tableau blanc interactif muet"
    );
    let text = body(&last.data);
    assert!(text.contains(&format!("{PUBLIC_URL}/assistance/tickets/{t3}")));
    assert!(!text.contains("#1 "), "{text}");
    assert_eq!(
        all.iter().filter(|m| m.to == [REFERENT_A]).count(),
        2,
        "two messages for three notifications"
    );
}

async fn without_smtp_nothing_is_mailed_and_the_app_still_notifies(app: &TestApp) {
    app.demo().await;
    ticket(app, "Vidéoprojecteur de la salle 12 sans image").await;
    assert!(
        refnum_web::send_pending_mail(&app.db, &test_config())
            .await
            .is_none(),
        "no sender without [smtp]"
    );
    let ns = notifications(app).await;
    assert!(!ns.is_empty());
    assert!(ns.iter().all(|n| n.emailed_at.is_none()));
    let referent = app.account_id(REFERENT_A).await;
    assert_eq!(
        refnum_services::support::notifications::unread_count(&app.db, referent)
            .await
            .expect("count"),
        1
    );
}

async fn a_server_down_leaves_the_mail_pending_for_a_later_run(app: &TestApp) {
    app.demo().await;
    ticket(app, "Vidéoprojecteur de la salle 12 sans image").await;
    // Nothing listens on this port.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("address").port()
    };
    let r = run(app, &config_for(closed)).await;
    assert!(r.failed, "{r:?}");
    assert_eq!(r.messages, 0);
    assert!(
        notifications(app)
            .await
            .iter()
            .all(|n| n.emailed_at.is_none()),
        "still pending"
    );
    // A server that answers 421 to everyone.
    let smtp = Smtp::start().await;
    smtp.refuse.store(true, Ordering::SeqCst);
    let c = config_for(smtp.port);
    let r = run(app, &c).await;
    assert!(r.failed && r.messages == 0, "{r:?}");
    assert!(smtp.received().is_empty());
    assert!(
        notifications(app)
            .await
            .iter()
            .all(|n| n.emailed_at.is_none())
    );
    // Back in service: the next run sends.
    smtp.refuse.store(false, Ordering::SeqCst);
    let r = run(app, &c).await;
    assert!(!r.failed && r.messages > 0, "{r:?}");
    assert!(smtp.received().iter().any(|m| m.to == [REFERENT_A]));
    assert!(
        notifications(app)
            .await
            .iter()
            .all(|n| n.emailed_at.is_some())
    );
}

async fn old_news_and_disabled_accounts_get_no_mail(app: &TestApp) {
    app.demo().await;
    let a = app.etab_id(UAI_A).await;
    let b = app.etab_id(UAI_B).await;
    let notify = |account_id: Uuid, etab: Uuid, title: &str, days_ago: i64| {
        let title = title.to_string();
        async move {
            refnum_db::assistance::notify(
                &app.db.conn,
                vec![refnum_db::assistance::NewNotification {
                    account_id,
                    ticket_id: None,
                    etablissement_id: Some(etab),
                    kind: "ticket-status".into(),
                    title,
                    link: "/notifications".into(),
                }],
                Utc::now() - chrono::Duration::days(days_ago),
            )
            .await
            .expect("notification");
        }
    };
    notify(
        app.account_id(REFERENT_A).await,
        a,
        "#40 Vieille nouvelle",
        8,
    )
    .await;
    notify(
        app.account_id(TEACHER_B).await,
        b,
        "#41 Compte désactivé",
        0,
    )
    .await;
    notify(app.account_id(REFERENT_B).await, b, "#42 Fraîche", 0).await;
    set_account(app, TEACHER_B, |a| a.disabled = Set(true)).await;
    let smtp = Smtp::start().await;
    let r = run(app, &config_for(smtp.port)).await;
    assert_eq!((r.messages, r.skipped), (1, 2), "{r:?}");
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, [REFERENT_B]);
    assert!(body(&got[0].data).contains("#42 Fraîche"));
    assert!(
        notifications(app)
            .await
            .iter()
            .all(|n| n.emailed_at.is_some()),
        "nothing left to flood anyone with later"
    );
}

both_backends!(
    ticket_news_are_mailed_once_as_one_digest_per_account,
    without_smtp_nothing_is_mailed_and_the_app_still_notifies,
    a_server_down_leaves_the_mail_pending_for_a_later_run,
    old_news_and_disabled_accounts_get_no_mail
);
