//! The caller's in-app notifications: list (unread first), unread count,
//! mark read. Only one's own: anyone else's is 404.

use crate::Ctx;
use crate::error::{Result, ServiceError};
use chrono::Utc;
use refnum_db::Db;
use refnum_db::entities::assistance::notification;
use refnum_db::support as q;
use uuid::Uuid;

/// One page of the caller's notifications, unread first, and their total.
pub async fn list(
    db: &Db,
    ctx: &Ctx,
    offset: u64,
    limit: u64,
) -> Result<(Vec<notification::Model>, u64)> {
    Ok(q::notifications_of(&db.conn, ctx.account.id, offset, limit).await?)
}

/// How many notifications an account has not read (for the header).
pub async fn unread_count(db: &Db, account_id: Uuid) -> Result<u64> {
    Ok(q::unread_count(&db.conn, account_id).await?)
}

/// Unread notifications the header counts at most: beyond, it says "more
/// than" ([`HEADER_CAP`] − 1).
pub const HEADER_CAP: u64 = 100;

/// How many notifications an account has not read, up to [`HEADER_CAP`]
/// (one cheap query, for the header of every page).
pub async fn unread_for_header(db: &Db, account_id: Uuid) -> Result<u64> {
    Ok(q::unread_count_up_to(&db.conn, account_id, HEADER_CAP).await?)
}

/// Marks one of the caller's notifications read; returns it.
pub async fn mark_read(db: &Db, ctx: &Ctx, id: Uuid) -> Result<notification::Model> {
    let txn = db.write().await?;
    let Some(n) = q::mark_read(&*txn, ctx.account.id, id, Utc::now()).await? else {
        return Err(ServiceError::NotFound);
    };
    txn.commit().await?;
    Ok(n)
}

/// Marks every notification of the caller read.
pub async fn mark_all_read(db: &Db, ctx: &Ctx) -> Result<u64> {
    let txn = db.write().await?;
    let n = q::mark_all_read(&*txn, ctx.account.id, Utc::now()).await?;
    txn.commit().await?;
    Ok(n)
}
