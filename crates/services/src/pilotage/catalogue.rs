//! The catalogue of missions a letter picks from: the instance's seed
//! (`refnum_domain::pilotage::catalogue::SEED`), added once.

use crate::error::Result;
use chrono::Utc;
use refnum_db::Db;
use refnum_db::entities::pilotage::mission;
use refnum_db::pilotage as q;
use refnum_domain::pilotage::catalogue::SEED;
use uuid::Uuid;

/// Adds the seed missions the instance's catalogue lacks (by code);
/// returns how many were added. Running it again adds nothing.
pub async fn seed(db: &Db) -> Result<u64> {
    let txn = db.write().await?;
    let have = q::seeded_codes(&*txn).await?;
    let now = Utc::now();
    let rows: Vec<mission::Model> = SEED
        .iter()
        .enumerate()
        .filter(|(_, s)| !have.iter().any(|c| c == s.code))
        .map(|(i, s)| mission::Model {
            id: Uuid::now_v7(),
            academie_id: None,
            code: Some(s.code.into()),
            axis: s.axis.as_str().into(),
            label: s.label.into(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            active: true,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let added = rows.len() as u64;
    q::insert_missions(&*txn, rows).await?;
    txn.commit().await?;
    Ok(added)
}
