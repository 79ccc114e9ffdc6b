//! Every path of the interface, in one place.

use uuid::Uuid;

pub mod assistance;
pub mod indicators;
pub mod kb;
pub mod loans;
pub mod parc;
pub mod reservations;
pub mod support;

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

// Directory imports.
pub const ADMIN_ANNUAIRE_IMPORT: &str = "/admin/annuaire/import";
pub fn annuaire_import(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/import")
}
pub fn annuaire_import_preview(import: Uuid) -> String {
    format!("/annuaire/imports/{import}")
}
pub fn annuaire_import_apply(import: Uuid) -> String {
    format!("/annuaire/imports/{import}/appliquer")
}
pub fn annuaire_import_discard(import: Uuid) -> String {
    format!("/annuaire/imports/{import}/abandonner")
}
/// The directory overview of a school (where an import leads back to).
pub fn annuaire_overview(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire")
}
/// Upload routes whose body is streamed to disk by the handler (for pages,
/// the CSRF token is then checked in the first multipart field; the API
/// has no session and no CSRF token).
pub fn is_streamed_upload(path: &str) -> bool {
    path == ADMIN_ANNUAIRE_IMPORT
        || assistance::is_attachment_upload(path)
        || assistance::is_api_attachment_upload(path)
        || path
            .strip_prefix("/etablissements/")
            .and_then(|rest| rest.strip_suffix("/annuaire/import"))
            .is_some_and(|id| id.parse::<Uuid>().is_ok())
        || path
            .strip_prefix("/etablissements/")
            .and_then(|rest| rest.strip_suffix("/parc/import"))
            .is_some_and(|id| id.parse::<Uuid>().is_ok())
        || reservations::is_ics_import(path)
}

// Directory pages.
pub fn annuaire_rollover(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/rentree")
}
pub fn annuaire_purge_delay(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/conservation")
}
pub fn annuaire_classes(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/classes")
}
pub fn annuaire_class(etab: Uuid, structure: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/classes/{structure}")
}
pub fn annuaire_staff(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/personnels")
}
pub fn annuaire_pupils(etab: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/eleves")
}
pub fn annuaire_person(etab: Uuid, person: Uuid) -> String {
    format!("/etablissements/{etab}/annuaire/personnes/{person}")
}
// End of directory pages.
