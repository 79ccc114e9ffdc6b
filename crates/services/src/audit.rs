//! Audit events: recorded in the same transaction as the write they
//! describe; verified by walking the hash chain.

use crate::Ctx;
use crate::error::Result;
use chrono::{Duration, Utc};
use refnum_db::audit::{self as q, NewEvent};
use refnum_db::entities::audit_event;
use refnum_db::{ConnectionTrait, Db, settings};
use refnum_domain::audit::GENESIS;
use uuid::Uuid;

pub const RETENTION_KEY: &str = "audit_retention_days";
const PURGED_THROUGH_KEY: &str = "audit_purged_through_seq";
const ANCHOR_KEY: &str = "audit_anchor_hash";

/// Who did it, for the log.
#[derive(Debug, Clone)]
pub struct Who {
    pub account_id: Option<Uuid>,
    pub label: String,
}

impl Who {
    pub fn of(ctx: &Ctx) -> Self {
        Who {
            account_id: Some(ctx.account.id),
            label: ctx.account.email.clone(),
        }
    }
    pub fn system(label: &str) -> Self {
        Who {
            account_id: None,
            label: label.to_string(),
        }
    }
}

pub struct Event<'a> {
    pub who: &'a Who,
    pub action: &'a str,
    pub target: String,
    pub etablissement_id: Option<Uuid>,
    pub outcome: &'a str,
    pub details: serde_json::Value,
}

pub async fn record<C: ConnectionTrait>(c: &C, ev: Event<'_>) -> Result<()> {
    q::append(
        c,
        NewEvent {
            actor_account_id: ev.who.account_id,
            actor_label: ev.who.label.clone(),
            action: ev.action.to_string(),
            target: ev.target,
            etablissement_id: ev.etablissement_id,
            outcome: ev.outcome.to_string(),
            details: ev.details.to_string(),
        },
    )
    .await?;
    Ok(())
}

/// Records an event in a transaction of its own (sign-ins, refusals).
pub async fn record_alone(db: &Db, ev: Event<'_>) -> Result<()> {
    let txn = db.write().await?;
    record(&*txn, ev).await?;
    txn.commit().await?;
    Ok(())
}

/// A policy refusal, recorded for the security review.
pub async fn record_refusal(db: &Db, ctx: &Ctx, what: &str, etablissement_id: Option<Uuid>) {
    let who = Who::of(ctx);
    let res = record_alone(
        db,
        Event {
            who: &who,
            action: "policy.refused",
            target: what.chars().take(128).collect(),
            etablissement_id,
            outcome: "refused",
            details: serde_json::json!({}),
        },
    )
    .await;
    if let Err(e) = res {
        tracing::error!(error = %e, "could not record a refusal in the audit log");
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    /// The chain holds; the number of events checked.
    Intact { events: u64 },
    /// The first row whose hash does not follow.
    Broken { seq: i64, reason: &'static str },
}

/// Walks the whole chain, a batch at a time.
pub async fn verify(db: &Db) -> Result<VerifyOutcome> {
    let c = &db.conn;
    let mut prev = settings::get(c, ANCHOR_KEY)
        .await?
        .unwrap_or_else(|| GENESIS.to_string());
    let mut last_seq: i64 = settings::get(c, PURGED_THROUGH_KEY)
        .await?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut count = 0u64;
    loop {
        let batch = q::batch_after(c, last_seq, 1000).await?;
        if batch.is_empty() {
            break;
        }
        for ev in batch {
            if let Some(reason) = check_link(&ev, last_seq, &prev) {
                return Ok(VerifyOutcome::Broken {
                    seq: ev.seq,
                    reason,
                });
            }
            prev = ev.hash.clone();
            last_seq = ev.seq;
            count += 1;
        }
    }
    let head = q::head(c).await?;
    if head.seq != last_seq || head.hash != prev {
        // Rows were removed at the end of the chain.
        return Ok(VerifyOutcome::Broken {
            seq: last_seq + 1,
            reason: "missing-tail",
        });
    }
    Ok(VerifyOutcome::Intact { events: count })
}

fn check_link(ev: &audit_event::Model, last_seq: i64, prev: &str) -> Option<&'static str> {
    if ev.seq != last_seq + 1 {
        return Some("missing-row");
    }
    if ev.prev_hash != prev {
        return Some("previous-hash");
    }
    if refnum_db::audit::hash_of(ev) != ev.hash {
        return Some("content-hash");
    }
    None
}

pub async fn retention_days(db: &Db) -> Result<i64> {
    Ok(settings::get(&db.conn, RETENTION_KEY)
        .await?
        .and_then(|s| s.parse().ok())
        .unwrap_or(365))
}

/// Deletes events older than the retention period, keeping the chain
/// verifiable from the last deleted row's hash.
pub async fn purge(db: &Db, who: &Who) -> Result<u64> {
    let days = retention_days(db).await?;
    let cutoff = Utc::now() - Duration::days(days);
    let txn = db.write().await?;
    let Some(last) = q::last_before(&*txn, cutoff).await? else {
        return Ok(0);
    };
    settings::put(&*txn, PURGED_THROUGH_KEY, &last.seq.to_string()).await?;
    settings::put(&*txn, ANCHOR_KEY, &last.hash).await?;
    let n = q::delete_through(&*txn, last.seq).await?;
    record(
        &*txn,
        Event {
            who,
            action: "audit.purged",
            target: format!("seq:{}", last.seq),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "deleted": n, "retention_days": days }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

// ------------------------------------------------------------ the journal

/// What an event's object links to, when the reader may open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetLink {
    Ticket(Uuid),
    Asset { etab: Uuid, asset: Uuid },
    Loan { etab: Uuid, loan: Uuid },
    Resource { etab: Uuid, resource: Uuid },
    Article { etab: Uuid, article: Uuid },
    Room { etab: Uuid, room: Uuid },
    Etablissement(Uuid),
}

/// An event's object, named: "Ticket n° 12 — Imprimante", "Julien
/// Roussel"; the raw reference when it cannot be named (deleted since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetName {
    /// The object's kind as the journal records it (`ticket`, `account`…).
    pub kind: String,
    pub label: String,
    pub link: Option<TargetLink>,
}

pub struct Journal {
    pub rows: Vec<(audit_event::Model, TargetName)>,
    pub total: u64,
    /// The people who acted, for the person filter.
    pub actors: Vec<(Uuid, String)>,
}

/// A page of the journal of a school (`ReadAudit`) or of the instance
/// (administrators), filtered, each event's object named.
pub async fn journal(
    db: &Db,
    ctx: &Ctx,
    etab: Option<Uuid>,
    filter: &q::AuditFilter,
    offset: u64,
    limit: u64,
) -> Result<Journal> {
    match etab {
        Some(id) => {
            crate::orgs::etab_for(db, ctx, id, refnum_domain::policy::EtabAction::ReadAudit)
                .await?;
        }
        None => crate::orgs::require_admin(db, ctx, "audit.read").await?,
    }
    let c = &db.conn;
    let (rows, total) = q::list_filtered(c, etab, filter, offset, limit).await?;
    let actors = q::actors_of(c, etab, 300).await?;
    let parsed: Vec<Option<(String, Uuid)>> = rows
        .iter()
        .map(|r| {
            let (kind, id) = r.target.split_once(':')?;
            Some((kind.to_string(), Uuid::parse_str(id).ok()?))
        })
        .collect();
    let ids_of = |k: &str| -> Vec<Uuid> {
        let mut v: Vec<Uuid> = parsed
            .iter()
            .flatten()
            .filter(|(kind, _)| kind == k)
            .map(|(_, id)| *id)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let mut names: std::collections::HashMap<(String, Uuid), String> =
        std::collections::HashMap::new();
    for (id, name) in refnum_db::assistance::account_names(c, &ids_of("account")).await? {
        names.insert(("account".into(), id), name);
    }
    for e in refnum_db::orgs::get_etablissements_by_ids(c, &ids_of("etablissement")).await? {
        names.insert(
            ("etablissement".into(), e.id),
            format!("{} ({})", e.name, e.uai),
        );
    }
    if let Some(school) = etab {
        let objects = q::school_object_names(
            c,
            school,
            &ids_of("ticket"),
            &ids_of("parc_asset"),
            &ids_of("loan"),
            &ids_of("booking"),
        )
        .await?;
        let resource_ids = ids_of("booking_resource");
        let needs_resources = !resource_ids.is_empty() || objects.iter().any(|o| o.0 == "booking");
        let resources = if needs_resources {
            crate::reservations::resources::views_of(
                c,
                school,
                refnum_db::reservations::resources_of(c, school).await?,
            )
            .await?
        } else {
            vec![]
        };
        let resource_name = |id: Uuid| {
            resources
                .iter()
                .find(|r| r.model.id == id)
                .map(|r| r.name.clone())
        };
        for (kind, id, label) in objects {
            let label = if kind == "booking" {
                // `<resource id>|<day>`
                let (res, day) = label.split_once('|').unwrap_or(("", ""));
                match Uuid::parse_str(res).ok().and_then(resource_name) {
                    Some(name) => format!("{name} — {day}"),
                    None => day.to_string(),
                }
            } else {
                label
            };
            names.insert((kind, id), label);
        }
        for id in resource_ids {
            if let Some(n) = resource_name(id) {
                names.insert(("booking_resource".into(), id), n);
            }
        }
        for (kind, id, label) in q::school_more_names(
            c,
            school,
            &ids_of("kb_article"),
            &ids_of("parc_room"),
            &ids_of("parc_building"),
            &ids_of("loan_charter"),
        )
        .await?
        {
            names.insert((kind, id), label);
        }
    }
    let rows = rows
        .into_iter()
        .zip(parsed)
        .map(|(r, p)| {
            let name = match p {
                Some((kind, id)) => {
                    let found = names.get(&(kind.clone(), id)).cloned();
                    let link = match (kind.as_str(), etab, found.is_some()) {
                        (_, _, false) => None,
                        ("ticket", Some(_), _) => Some(TargetLink::Ticket(id)),
                        ("parc_asset", Some(e), _) => {
                            Some(TargetLink::Asset { etab: e, asset: id })
                        }
                        ("loan", Some(e), _) => Some(TargetLink::Loan { etab: e, loan: id }),
                        ("booking_resource", Some(e), _) => Some(TargetLink::Resource {
                            etab: e,
                            resource: id,
                        }),
                        ("etablissement", _, _) => Some(TargetLink::Etablissement(id)),
                        ("kb_article", Some(e), _) => Some(TargetLink::Article {
                            etab: e,
                            article: id,
                        }),
                        ("parc_room", Some(e), _) => Some(TargetLink::Room { etab: e, room: id }),
                        _ => None,
                    };
                    TargetName {
                        label: found.unwrap_or_else(|| r.target.clone()),
                        kind,
                        link,
                    }
                }
                None => TargetName {
                    kind: String::new(),
                    label: r.target.clone(),
                    link: None,
                },
            };
            (r, name)
        })
        .collect();
    Ok(Journal {
        rows,
        total,
        actors,
    })
}
