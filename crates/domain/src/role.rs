use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every role of a membership (DESIGN.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Enseignant,
    Personnel,
    Referent,
    Direction,
    Gestionnaire,
    Prestataire,
    Collectivite,
    Dane,
    Dpd,
    Admin,
}

/// What kind of scope a role is granted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Etablissement,
    Organisation,
    Collectivite,
    Academie,
    Instance,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Enseignant,
        Role::Personnel,
        Role::Referent,
        Role::Direction,
        Role::Gestionnaire,
        Role::Prestataire,
        Role::Collectivite,
        Role::Dane,
        Role::Dpd,
        Role::Admin,
    ];

    /// Roles a school's direction or referent may grant inside the school.
    pub const SCHOOL_ROLES: [Role; 5] = [
        Role::Enseignant,
        Role::Personnel,
        Role::Referent,
        Role::Direction,
        Role::Gestionnaire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Enseignant => "enseignant",
            Role::Personnel => "personnel",
            Role::Referent => "referent",
            Role::Direction => "direction",
            Role::Gestionnaire => "gestionnaire",
            Role::Prestataire => "prestataire",
            Role::Collectivite => "collectivite",
            Role::Dane => "dane",
            Role::Dpd => "dpd",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::Enseignant
            | Role::Personnel
            | Role::Referent
            | Role::Direction
            | Role::Gestionnaire => ScopeKind::Etablissement,
            Role::Prestataire => ScopeKind::Organisation,
            Role::Collectivite => ScopeKind::Collectivite,
            Role::Dane | Role::Dpd => ScopeKind::Academie,
            Role::Admin => ScopeKind::Instance,
        }
    }
}

/// The scope a membership is granted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ScopeRef {
    Etablissement(Uuid),
    Organisation(Uuid),
    Collectivite(Uuid),
    Academie(Uuid),
    Instance,
}

impl ScopeRef {
    pub fn kind(&self) -> ScopeKind {
        match self {
            ScopeRef::Etablissement(_) => ScopeKind::Etablissement,
            ScopeRef::Organisation(_) => ScopeKind::Organisation,
            ScopeRef::Collectivite(_) => ScopeKind::Collectivite,
            ScopeRef::Academie(_) => ScopeKind::Academie,
            ScopeRef::Instance => ScopeKind::Instance,
        }
    }

    /// A stable text key, unique per scope, stored with the membership.
    pub fn key(&self) -> String {
        match self {
            ScopeRef::Etablissement(id) => format!("etablissement:{id}"),
            ScopeRef::Organisation(id) => format!("organisation:{id}"),
            ScopeRef::Collectivite(id) => format!("collectivite:{id}"),
            ScopeRef::Academie(id) => format!("academie:{id}"),
            ScopeRef::Instance => "instance".to_string(),
        }
    }

    pub fn parse_key(key: &str) -> Option<ScopeRef> {
        if key == "instance" {
            return Some(ScopeRef::Instance);
        }
        let (kind, id) = key.split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        Some(match kind {
            "etablissement" => ScopeRef::Etablissement(id),
            "organisation" => ScopeRef::Organisation(id),
            "collectivite" => ScopeRef::Collectivite(id),
            "academie" => ScopeRef::Academie(id),
            _ => return None,
        })
    }
}

/// A role granted on a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub role: Role,
    pub scope: ScopeRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("error-role-scope-mismatch")]
pub struct RoleScopeMismatch;

impl Membership {
    pub fn new(role: Role, scope: ScopeRef) -> Result<Self, RoleScopeMismatch> {
        if role.scope_kind() != scope.kind() {
            return Err(RoleScopeMismatch);
        }
        Ok(Membership { role, scope })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn scope_keys_round_trip() {
        let id = Uuid::now_v7();
        for s in [
            ScopeRef::Etablissement(id),
            ScopeRef::Organisation(id),
            ScopeRef::Collectivite(id),
            ScopeRef::Academie(id),
            ScopeRef::Instance,
        ] {
            assert_eq!(ScopeRef::parse_key(&s.key()), Some(s));
        }
    }

    #[test]
    fn a_role_needs_the_right_scope() {
        let id = Uuid::now_v7();
        assert!(Membership::new(Role::Enseignant, ScopeRef::Etablissement(id)).is_ok());
        assert!(Membership::new(Role::Enseignant, ScopeRef::Academie(id)).is_err());
        assert!(Membership::new(Role::Admin, ScopeRef::Instance).is_ok());
        assert!(Membership::new(Role::Dane, ScopeRef::Etablissement(id)).is_err());
    }
}
