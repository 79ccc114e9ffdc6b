//! French (default) and English catalogues, in Fluent.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

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

/// The translator of one request.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(self.0.id(), key)
            .unwrap_or_else(|| key.to_string())
    }

    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_string()), FluentValue::from(v.clone())))
            .collect();
        LOCALES
            .try_lookup_with_args(self.0.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    pub fn has(&self, key: &str) -> bool {
        LOCALES.try_lookup(self.0.id(), key).is_some()
    }
}
