//! The fault form behind an asset's QR label: staff who may see the parc
//! go to the asset's page; anyone else (no account needed) gets a short
//! form. Reports are limited per client address and per asset, counted in
//! the database (several app servers share the counts).

use super::create::{Checked, Requester, insert};
use super::parc_link::{self, AssetRef};
use super::{Actor, clean};
use crate::Ctx;
use crate::audit::Who;
use crate::error::{FieldError, Result, ServiceError};
use chrono::{Duration, Utc};
use refnum_db::assistance as q;
use refnum_db::{Db, orgs};
use refnum_domain::asset::AssetCategory;
use refnum_domain::policy::{self, Decision, EtabAction};
use refnum_domain::ticket::{Level, TicketCategory, TicketKind, TicketSource};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How many reports the form takes.
#[derive(Debug, Clone, Copy)]
pub struct QrLimits {
    pub per_address: i32,
    pub per_asset: i32,
    pub window: Duration,
}

impl Default for QrLimits {
    fn default() -> Self {
        QrLimits {
            per_address: 5,
            per_asset: 10,
            window: Duration::hours(1),
        }
    }
}

pub enum QrTarget {
    /// The caller may see the parc of the asset's school.
    AssetPage { etab_id: Uuid, asset_id: Uuid },
    /// The anonymous form.
    Form,
}

async fn asset_of(db: &Db, token: &str) -> Result<AssetRef> {
    let token = token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(ServiceError::NotFound);
    }
    parc_link::asset_by_qr(&db.conn, token)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Where a QR label leads; unknown token → `NotFound`.
pub async fn open(db: &Db, ctx: Option<&Ctx>, token: &str) -> Result<QrTarget> {
    let asset = asset_of(db, token).await?;
    if let Some(ctx) = ctx
        && let Some(etab) = orgs::get_etablissement(&db.conn, asset.etablissement_id).await?
    {
        let facts = orgs::etab_facts(&db.conn, &etab).await?;
        if policy::decide(&ctx.actor, EtabAction::ViewParc, &facts) == Decision::Allow {
            return Ok(QrTarget::AssetPage {
                etab_id: etab.id,
                asset_id: asset.id,
            });
        }
    }
    Ok(QrTarget::Form)
}

#[derive(Debug, Clone, Default)]
pub struct QrInput {
    pub name: String,
    pub what: String,
    pub unusable: bool,
    pub contact: String,
}

pub enum QrOutcome {
    /// The ticket's receipt code: all the reporter learns (not the
    /// school's running number, which would tell how many tickets it has).
    Created {
        receipt: String,
    },
    Throttled,
}

/// A throttle key that keeps no client address in clear.
fn key(kind: &str, value: &str) -> String {
    format!(
        "qr:{kind}:{}",
        hex::encode(&Sha256::digest(value.as_bytes())[..16])
    )
}

/// Files the anonymous report as a ticket (source `qr`, no requester account).
pub async fn report(
    db: &Db,
    token: &str,
    input: &QrInput,
    client_addr: &str,
    limits: QrLimits,
) -> Result<QrOutcome> {
    let asset = asset_of(db, token).await?;
    let mut errors = vec![];
    let name = match clean(&input.name, 200) {
        Ok(Some(n)) => Some(n),
        Ok(None) => {
            errors.push(FieldError {
                field: "name",
                key: "error-required",
            });
            None
        }
        Err(()) => {
            errors.push(FieldError {
                field: "name",
                key: "error-too-long",
            });
            None
        }
    };
    let what = match clean(&input.what, super::create::DESCRIPTION_MAX) {
        Ok(Some(w)) => Some(w),
        Ok(None) => {
            errors.push(FieldError {
                field: "what",
                key: "error-required",
            });
            None
        }
        Err(()) => {
            errors.push(FieldError {
                field: "what",
                key: "error-too-long",
            });
            None
        }
    };
    let contact = match clean(&input.contact, 200) {
        Ok(c) => c,
        Err(()) => {
            errors.push(FieldError {
                field: "contact",
                key: "error-too-long",
            });
            None
        }
    };
    let (Some(name), Some(what)) = (name, what) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let first_line = what.lines().next().unwrap_or("").trim();
    let mut title: String = first_line.chars().take(120).collect();
    if title.chars().count() < first_line.chars().count() {
        title.push('…');
    }
    let checked = Checked {
        kind: TicketKind::Incident,
        title,
        description: what,
        category: AssetCategory::parse(&asset.category)
            .map_or(TicketCategory::Other, TicketCategory::of_asset),
        room_id: asset.room_id,
        asset: Some(asset.clone()),
        urgency: Level::Medium,
        impact: Level::Medium,
        unusable: input.unusable,
    };
    let actor = Actor {
        id: None,
        name: name.clone(),
        who: Who::system("qr"),
    };
    let now = Utc::now();
    let txn = db.write().await?;
    let by_address = q::throttle_hit(
        &*txn,
        &key("address", client_addr),
        limits.per_address,
        limits.window,
        now,
    )
    .await?;
    let by_asset = by_address
        && q::throttle_hit(
            &*txn,
            &key("asset", &asset.id.to_string()),
            limits.per_asset,
            limits.window,
            now,
        )
        .await?;
    if !by_asset {
        txn.commit().await?;
        return Ok(QrOutcome::Throttled);
    }
    let t = insert(
        &*txn,
        &actor,
        asset.etablissement_id,
        checked,
        Requester {
            id: None,
            name,
            contact,
        },
        TicketSource::Qr,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(QrOutcome::Created {
        receipt: refnum_domain::ticket::receipt_code(t.id),
    })
}
