//! Figures of the home page: real counts of what exists in the caller's scope.

use crate::Ctx;
use crate::error::Result;
use refnum_db::{Db, accounts, orgs};
use refnum_domain::policy::EtabAction;

#[derive(Debug, Clone, Default)]
pub struct HomeFigures {
    /// Schools the caller can see.
    pub etablissements: u64,
    /// Pupils of those schools (the recorded pupil counts).
    pub pupils: i64,
    /// People with a role in the current school.
    pub staff: Option<u64>,
    pub teachers: Option<u64>,
    /// Accounts of the instance (admin only).
    pub accounts: Option<u64>,
    /// Audit events of the current school (direction, referent).
    pub audit_events: Option<u64>,
}

pub async fn figures(db: &Db, ctx: &Ctx) -> Result<HomeFigures> {
    let scope = ctx.scope();
    let mut f = HomeFigures {
        etablissements: orgs::count_etablissements(&db.conn, &scope).await?,
        pupils: orgs::sum_pupils(&db.conn, &scope).await?,
        ..Default::default()
    };
    if let Some(cur) = &ctx.current {
        if ctx.may_on_current(EtabAction::ViewPeople) {
            f.staff = Some(accounts::count_members(&db.conn, cur.id, None).await?);
            f.teachers = Some(accounts::count_members(&db.conn, cur.id, Some("enseignant")).await?);
        }
        if ctx.may_on_current(EtabAction::ReadAudit) {
            f.audit_events = Some(
                refnum_db::audit::list(&db.conn, Some(cur.id), 0, 1)
                    .await?
                    .1,
            );
        }
    }
    if ctx.actor.is_admin() {
        f.accounts = Some(accounts::count_all(&db.conn).await?);
    }
    Ok(f)
}
