//! Every path of the interface, in one place.

use uuid::Uuid;

pub mod assistance;
pub mod indicators;
pub mod kb;
pub mod parc;
pub mod pilotage;
pub mod prets;
pub mod reservations;
pub mod support;

pub const HOME: &str = "/";
pub const LOGIN: &str = "/connexion";
pub const LOGOUT: &str = "/deconnexion";
pub const DISPLAY: &str = "/affichage";
pub const LANG: &str = "/langue";
pub const CURRENT_SCHOOL: &str = "/etablissement-courant";
pub const ACCOUNT: &str = "/compte";
/// The header's search box.
pub const SEARCH: &str = "/recherche";
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

/// The longest return path kept after signing in.
const RETURN_PATH_MAX: usize = 300;

/// Where to go after signing in (or after the second factor), from the
/// `suite` parameter: an absolute path of this site, or the home page.
/// Refused: anything not starting with one `/` (`//host`, `/\host`), any
/// backslash, and any character outside visible ASCII. Browsers drop tabs
/// and line breaks from a URL, so `/<tab>/evil.example` would become
/// `//evil.example`, another site; a line break would not even fit in a
/// `Location` header. A browser sends non-ASCII path characters
/// percent-encoded, so a real path loses nothing.
pub fn safe_return_path(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n[1..].starts_with(['/', '\\'])
                && n.len() <= RETURN_PATH_MAX
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => HOME.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_this_site() {
        let hostile = [
            "//evil.example",
            "///evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\\/evil.example",
            "/x\\..\\..\\evil",
            "https://evil.example/",
            "http:/evil.example",
            "//evil.example/%2F..",
            "evil.example",
            " /home",
            "/ /evil.example",
            "/\u{0b}/evil.example",
            "/\u{0c}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/evil.example",
            "/\u{3000}/evil.example",
            "/ｅｖｉｌ",
            "javascript:alert(1)",
            "/\0/evil.example",
            "",
        ];
        for h in hostile {
            assert_eq!(safe_return_path(Some(h)), HOME, "{h:?} must lead home");
        }
        let too_long = format!("/{}", "a".repeat(RETURN_PATH_MAX));
        assert_eq!(safe_return_path(Some(&too_long)), HOME);
        assert_eq!(safe_return_path(None), HOME);
        for ok in [
            "/",
            "/parc",
            "/etablissements/0190c1a2-0000-7000-8000-000000000000/parc?statut=panne&page=2",
            "/assistance/tickets#commentaires",
            "/annuaire/%C3%A9l%C3%A8ves",
            "/%2F%2Fevil.example",
        ] {
            assert_eq!(
                safe_return_path(Some(ok)),
                ok,
                "{ok:?} is a path of this site"
            );
        }
    }
}
