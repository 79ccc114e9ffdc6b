//! The loans of one asset, for the asset's page.

use crate::AppState;
use crate::errors::PageError;
use crate::pages::SignedIn;
use refnum_services::prets::{self};
use uuid::Uuid;

use super::liste::line;

/// A loan of an asset, for the asset's page.
pub struct AssetLoan {
    pub href: String,
    pub borrower: String,
    pub start: String,
    pub due: String,
    pub status: String,
}

/// The loans shown on an asset's page (none for whoever may not see them),
/// and whether the caller may lend it.
pub async fn for_asset(
    state: &AppState,
    s: &SignedIn,
    etab: Uuid,
    asset: Uuid,
) -> Result<(bool, Vec<AssetLoan>), PageError> {
    let tr = s.shell.tr;
    let (rights, rows) = prets::of_asset(&state.db, &s.ctx, etab, asset).await?;
    let today = prets::today();
    Ok((
        rights.manage,
        rows.iter()
            .map(|r| {
                let l = line(tr, etab, r, today, false);
                AssetLoan {
                    href: l.href,
                    borrower: l.borrower,
                    start: l.start,
                    due: l.due,
                    status: l.status,
                }
            })
            .collect(),
    ))
}
