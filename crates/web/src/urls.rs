//! Every path of the interface, in one place.

use uuid::Uuid;

pub const HOME: &str = "/";
pub const LOGIN: &str = "/connexion";
pub const LOGOUT: &str = "/deconnexion";
pub const DISPLAY: &str = "/affichage";
pub const LANG: &str = "/langue";
pub const CURRENT_SCHOOL: &str = "/etablissement-courant";
pub const ACCOUNT: &str = "/compte";
pub const PASSWORD: &str = "/compte/mot-de-passe";
pub const TOKENS: &str = "/compte/jetons";
pub const ETABS: &str = "/etablissements";
pub const ADMIN: &str = "/admin";
pub const ADMIN_ACADEMIES: &str = "/admin/academies";
pub const ADMIN_COLLECTIVITES: &str = "/admin/collectivites";
pub const ADMIN_ETABS: &str = "/admin/etablissements";
pub const ADMIN_ACCOUNTS: &str = "/admin/comptes";
pub const ADMIN_AUDIT: &str = "/admin/journal";
pub const ACCESSIBILITY: &str = "/accessibilite";

pub fn etab(id: Uuid) -> String {
    format!("/etablissements/{id}")
}
pub fn etab_edit(id: Uuid) -> String {
    format!("/etablissements/{id}/modifier")
}
pub fn etab_staff(id: Uuid) -> String {
    format!("/etablissements/{id}/personnels")
}
pub fn etab_audit(id: Uuid) -> String {
    format!("/etablissements/{id}/journal")
}
pub fn admin_account(id: Uuid) -> String {
    format!("/admin/comptes/{id}")
}

// Second factor.
pub const SECOND_FACTOR: &str = "/connexion/second-facteur";
pub const ACCOUNT_SECOND_FACTOR: &str = "/compte/second-facteur";
pub const ACCOUNT_RECOVERY_CODES: &str = "/compte/second-facteur/codes-de-secours";
pub fn admin_account_second_factor(id: Uuid) -> String {
    format!("/admin/comptes/{id}/second-facteur")
}

// Single sign-on.
pub const SSO_IDENTITIES: &str = "/compte/identites";
pub const ADMIN_SSO: &str = "/admin/sso";
pub fn sso_start(id: &str) -> String {
    format!("/connexion/sso/{id}")
}
pub fn sso_return(id: &str) -> String {
    format!("/connexion/sso/{id}/retour")
}
/// The CAS single-logout POST comes from the CAS server to our return URL,
/// without session or CSRF token.
pub fn is_sso_return(path: &str) -> bool {
    path.strip_prefix("/connexion/sso/")
        .and_then(|rest| rest.strip_suffix("/retour"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}
