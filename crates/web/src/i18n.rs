//! French (default) and English catalogues, in Fluent.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fr",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// From an Accept-Language header: English only when asked before French.
    pub fn from_accept(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("fr") {
                return Lang::Fr;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Fr
    }

    fn id(self) -> &'static LanguageIdentifier {
        static FR: OnceLock<LanguageIdentifier> = OnceLock::new();
        static EN: OnceLock<LanguageIdentifier> = OnceLock::new();
        match self {
            Lang::Fr => FR.get_or_init(|| "fr".parse().unwrap_or_default()),
            Lang::En => EN.get_or_init(|| "en".parse().unwrap_or_default()),
        }
    }
}

/// A canonical integer goes to Fluent as a number, so that plural variants
/// (`[0]`, `[one]`, `[other]`) are chosen; anything else (codes with leading
/// zeros, names) stays text.
fn value(v: &str) -> FluentValue<'static> {
    match v.parse::<i64>() {
        Ok(n) if n.to_string() == v => FluentValue::from(n),
        _ => FluentValue::from(v.to_string()),
    }
}

/// Messages without arguments, looked up once per language: a list page
/// asks for the same labels (statuses, priorities…) on every row, and each
/// catalogue lookup negotiates the language again. Keys can come from
/// request data (`?fait=…`), so the cache stops growing at `CACHE_MAX`.
const CACHE_MAX: usize = 4096;

fn lookup(lang: Lang, key: &str) -> Option<String> {
    type Cache = RwLock<HashMap<String, Option<String>>>;
    static CACHES: OnceLock<[Cache; 2]> = OnceLock::new();
    let cache = &CACHES.get_or_init(Default::default)[match lang {
        Lang::Fr => 0,
        Lang::En => 1,
    }];
    if let Some(hit) = cache.read().ok().and_then(|m| m.get(key).cloned()) {
        return hit;
    }
    let found = LOCALES.try_lookup(lang.id(), key);
    if let Ok(mut m) = cache.write()
        && m.len() < CACHE_MAX
    {
        m.insert(key.to_string(), found.clone());
    }
    found
}

/// The translator of one request.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        lookup(self.0, key).unwrap_or_else(|| key.to_string())
    }

    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_string()), value(v)))
            .collect();
        LOCALES
            .try_lookup_with_args(self.0.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    pub fn has(&self, key: &str) -> bool {
        lookup(self.0, key).is_some()
    }

    /// The message of `key`, `None` when the catalogue has none.
    pub fn get(&self, key: &str) -> Option<String> {
        lookup(self.0, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every key of a language, over all its catalogue files (one per
    /// module: `main.ftl`, `parc.ftl`…); a key defined twice fails.
    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut all = BTreeSet::new();
        for entry in std::fs::read_dir(dir).expect("catalogue directory") {
            let path = entry.expect("entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("catalogue");
            for k in text
                .lines()
                .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
                .filter(|k| !k.starts_with('#') && !k.is_empty() && !k.contains(' '))
            {
                let again = k.clone();
                assert!(all.insert(k), "{again} defined twice ({})", path.display());
            }
        }
        all
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let fr = keys("fr");
        let en = keys("en");
        assert!(fr.len() > 200);
        assert_eq!(
            fr.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in English"
        );
        assert_eq!(
            en.difference(&fr).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in French"
        );
    }

    /// Every key written literally in a template or in the code exists.
    #[test]
    fn every_key_used_exists() {
        let fr = keys("fr");
        let mut used = BTreeSet::new();
        let mut stack = vec![
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")),
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../services/src")),
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/src")),
        ];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                for e in std::fs::read_dir(&p).expect("dir") {
                    stack.push(e.expect("entry").path());
                }
                continue;
            }
            let text = std::fs::read_to_string(&p).expect("file");
            let is_rust = p.extension().is_some_and(|e| e == "rs");
            for marker in [".t(\"", "t_args(\"", "key: \"", "\"error-", "\"stat-"] {
                if !is_rust && marker.starts_with('"') {
                    continue;
                }
                for part in text.split(marker).skip(1) {
                    let key: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    let key = match marker.strip_prefix('"') {
                        Some(prefix) => format!("{prefix}{key}"),
                        None => key,
                    };
                    let numbered = key
                        .strip_prefix("error-")
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
                    if key.len() > 2 && !key.ends_with('-') && !numbered {
                        used.insert(key);
                    }
                }
            }
        }
        let missing: Vec<_> = used.iter().filter(|k| !fr.contains(*k)).collect();
        assert!(used.len() > 150, "{} keys found", used.len());
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogues: {missing:?}"
        );
    }

    #[test]
    fn every_role_kind_and_display_choice_has_a_label() {
        let tr = Tr(Lang::En);
        for r in refnum_domain::Role::ALL {
            assert!(tr.has(&format!("role-{}", r.as_str())));
        }
        for k in refnum_domain::etablissement::EtabKind::ALL {
            assert!(tr.has(&format!("kind-{}", k.as_str())));
        }
        use refnum_services::display::*;
        for (g, vals) in [
            ("theme", &THEMES[..]),
            ("font", &FONTS[..]),
            ("spacing", &SPACINGS[..]),
            ("size", &SIZES[..]),
        ] {
            for v in vals {
                assert!(tr.has(&format!("display-{g}-{v}")), "display-{g}-{v}");
            }
        }
    }

    /// Every event the services write to the journal has a name in both
    /// languages: the journal shows "Réservation approuvée", never
    /// `booking.approved`. The events are the dotted literals of the
    /// services' code (`"booking.approved"`), but for the names of refused
    /// administrative actions (`require_admin(…, "sso.view")`).
    #[test]
    fn every_journal_event_has_a_name() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).expect("services sources").flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(std::fs::read_to_string(&p).expect("source"));
                }
            }
        }
        const PREFIXES: [&str; 21] = [
            "auth",
            "policy",
            "academie",
            "collectivite",
            "etablissement",
            "account",
            "membership",
            "token",
            "audit",
            "organisation",
            "support_organisation",
            "sso",
            "annuaire",
            "parc",
            "ticket",
            "booking",
            "booking-feed",
            "kb",
            "loan",
            "support",
            "pilotage",
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../services/src");
        let mut sources = vec![];
        walk(&dir, &mut sources);
        let mut events = BTreeSet::new();
        for src in &sources {
            for line in src.lines() {
                if line.contains("require_admin(") {
                    continue;
                }
                for lit in line.split('"').skip(1).step_by(2) {
                    let Some((head, rest)) = lit.split_once('.') else {
                        continue;
                    };
                    let word = |w: &str| {
                        !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    };
                    if PREFIXES.contains(&head) && rest.split('.').all(word) {
                        events.insert(lit.to_string());
                    }
                }
            }
        }
        // A ticket's steps are recorded as `ticket.<step>`, the steps its
        // history names (`ticket-event-<step>`).
        for k in keys("fr") {
            if let Some(step) = k.strip_prefix("ticket-event-") {
                events.insert(format!("ticket.{}", step.replace('-', "_")));
            }
        }
        assert!(events.len() > 60, "{} events found", events.len());
        for lang in [Lang::Fr, Lang::En] {
            let missing: Vec<&String> = events
                .iter()
                .filter(|e| !Tr(lang).has(&format!("action-{}", e.replace(['.', '_'], "-"))))
                .collect();
            assert!(
                missing.is_empty(),
                "{lang:?}: events without a name: {missing:?}"
            );
        }
    }

    /// Every file of the catalogue directory is loaded, not only `main.ftl`.
    #[test]
    fn every_catalogue_file_is_loaded() {
        assert_eq!(Tr(Lang::Fr).t("nav-parc"), "Parc");
        assert_eq!(Tr(Lang::En).t("nav-parc"), "Equipment");
        assert_eq!(Tr(Lang::En).t("nav-assistance"), "Helpdesk");
    }

    #[test]
    fn numbers_choose_their_plural_variant_and_codes_stay_text() {
        let fr = Tr(Lang::Fr);
        let n = |c: &str| fr.t_args("dir-people-count", &[("count", c.to_string())]);
        assert_eq!(n("0"), "Aucune personne");
        assert_eq!(n("1"), "1 personne");
        assert_eq!(n("12"), "12 personnes");
        assert!(matches!(value("00042"), FluentValue::String(_)));
        assert!(matches!(value("42"), FluentValue::Number(_)));
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept("en-GB,en;q=0.9,fr;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::from_accept("de-DE"), Lang::Fr);
    }
}
