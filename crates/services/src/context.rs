//! The caller's context: account, memberships (as the policy's actor) and
//! the school currently selected in the header.

use crate::error::Result;
use refnum_db::entities::{account, etablissement, membership};
use refnum_db::{Db, accounts};
use refnum_domain::policy::{self, Actor, Decision, EtabAction, EtabScope};
use refnum_domain::role::{Membership, Role, ScopeRef};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Ctx {
    pub account: account::Model,
    pub actor: Actor,
    /// Schools on which the account has a school-level role (the switcher).
    pub schools: Vec<etablissement::Model>,
    /// The school selected in the header, if any.
    pub current: Option<etablissement::Model>,
}

pub fn memberships_from_rows(rows: &[membership::Model]) -> Vec<Membership> {
    rows.iter()
        .filter_map(|m| {
            let role = Role::parse(&m.role)?;
            let scope = ScopeRef::parse_key(&m.scope_key)?;
            Membership::new(role, scope).ok()
        })
        .collect()
}

impl Ctx {
    /// Loads the context of an account; `wanted` is the school kept in the session.
    pub async fn load(db: &Db, account: account::Model, wanted: Option<Uuid>) -> Result<Ctx> {
        let rows = accounts::memberships_with_schools(&db.conn, account.id).await?;
        Ok(Ctx::from_rows(account, rows, wanted))
    }

    /// The context of an account from its memberships with their schools
    /// (oldest first); `wanted` is the school kept in the session.
    pub fn from_rows(
        account: account::Model,
        rows: Vec<(membership::Model, Option<etablissement::Model>)>,
        wanted: Option<Uuid>,
    ) -> Ctx {
        let (rows, schools): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
        let actor = Actor {
            account_id: account.id,
            memberships: memberships_from_rows(&rows),
        };
        // The schools of the school-level memberships, by name as before.
        let ids = actor.school_ids();
        let mut schools: Vec<etablissement::Model> = schools
            .into_iter()
            .flatten()
            .filter(|e| ids.binary_search(&e.id).is_ok())
            .collect();
        schools.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        schools.dedup_by_key(|e| e.id);
        let current = wanted
            .and_then(|w| schools.iter().find(|s| s.id == w).cloned())
            .or_else(|| schools.first().cloned());
        Ctx {
            account,
            actor,
            schools,
            current,
        }
    }

    pub fn scope(&self) -> EtabScope {
        policy::etab_scope(&self.actor)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.actor.has_role(role)
    }

    /// Roles on the current school.
    pub fn current_roles(&self) -> Vec<Role> {
        let Some(cur) = &self.current else {
            return vec![];
        };
        let mut roles: Vec<Role> = self
            .actor
            .memberships
            .iter()
            .filter(|m| m.scope == ScopeRef::Etablissement(cur.id))
            .map(|m| m.role)
            .collect();
        roles.sort();
        roles
    }

    /// True when the actor may do `action` on the current school.
    pub fn may_on_current(&self, action: EtabAction) -> bool {
        let Some(cur) = &self.current else {
            return false;
        };
        let facts = policy::EtabFacts {
            id: cur.id,
            academie_id: cur.academie_id,
            collectivite_id: cur.collectivite_id,
            organisation_ids: vec![],
        };
        policy::decide(&self.actor, action, &facts) == Decision::Allow
    }
}
