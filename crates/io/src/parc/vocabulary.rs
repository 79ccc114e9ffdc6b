//! The words an import file may use for a category, a status or an owner,
//! mapped to our codes (the `refnum_domain::asset` codes, repeated here as
//! strings: `io` stays free of the domain; a services test checks that every
//! code parses there).
//!
//! Values are compared folded ([`super::fold`]): case, accents and
//! punctuation do not matter. Each table accepts our code, the usual French
//! and English words, and what GLPI writes. The caller adds the labels of
//! its catalogues ([`Vocabulary::add`]) so that an export re-imports
//! whatever the language it was written in.
//!
//! GLPI mapping (computer export, column `Type`, and `Statut`):
//!
//! | GLPI `Type` | category |
//! |---|---|
//! | Desktop, Ordinateur de bureau, Tour, Mini Tower, Low Profile Desktop, All in One, Tout-en-un, Mini PC, Station de travail, Space-saving, Pizza box, Lunch box, Sealed-case PC, Stick PC | `desktop` |
//! | Laptop, Portable, Notebook, Netbook, Sub Notebook, Convertible, Ultraportable | `laptop` |
//! | Tablet, Tablette, Detachable, Hand Held | `tablet` |
//! | Server, Serveur, Rack Mount Chassis, Main System Chassis | `server` |
//! | (empty) | `desktop` (a computer export) |
//! | anything else | `other`, with a warning naming the line and the value |
//!
//! | GLPI `Statut` | status |
//! |---|---|
//! | En service, En production, Actif, Opérationnel | `in_service` |
//! | En panne, Hors service, HS, Défectueux | `broken` |
//! | En réparation, En maintenance, SAV | `in_repair` |
//! | En stock, Stock, Disponible, En réserve | `in_stock` |
//! | Prêté, En prêt | `lent` |
//! | Réformé, Rebut, Au rebut, Retiré, Déclassé, Hors inventaire | `retired` |
//! | (empty) | `in_service` |
//! | anything else | `in_service`, with a warning naming the line and the value |

use super::fold;
use std::collections::HashMap;

pub const CATEGORY_CODES: [&str; 12] = [
    "desktop",
    "laptop",
    "tablet",
    "interactive_display",
    "projector",
    "visualiser",
    "printer",
    "wifi_access_point",
    "switch",
    "server",
    "mobile_cart",
    "other",
];

pub const STATUS_CODES: [&str; 6] = [
    "in_service",
    "broken",
    "in_repair",
    "in_stock",
    "lent",
    "retired",
];

pub const OWNER_CODES: [&str; 4] = ["collectivite", "etablissement", "etat", "other"];

const CATEGORY_WORDS: &[(&str, &[&str])] = &[
    (
        "desktop",
        &[
            "ordinateur fixe",
            "ordinateur de bureau",
            "poste fixe",
            "poste de travail",
            "pc fixe",
            "pc de bureau",
            "unite centrale",
            "tour",
            "mini tower",
            "tower",
            "low profile desktop",
            "all in one",
            "tout en un",
            "mini pc",
            "station de travail",
            "workstation",
            "space saving",
            "pizza box",
            "lunch box",
            "sealed case pc",
            "stick pc",
            "desktop computer",
        ],
    ),
    (
        "laptop",
        &[
            "ordinateur portable",
            "portable",
            "pc portable",
            "notebook",
            "netbook",
            "sub notebook",
            "convertible",
            "ultraportable",
            "laptop computer",
        ],
    ),
    (
        "tablet",
        &["tablette", "tablette tactile", "detachable", "hand held"],
    ),
    (
        "interactive_display",
        &[
            "ecran numerique interactif",
            "ecran interactif",
            "eni",
            "tni",
            "tbi",
            "tableau blanc interactif",
            "tableau numerique interactif",
            "interactive board",
            "interactive whiteboard",
            "interactive display board",
        ],
    ),
    (
        "projector",
        &[
            "videoprojecteur",
            "video projecteur",
            "projecteur",
            "vpi",
            "videoprojecteur interactif",
        ],
    ),
    (
        "visualiser",
        &[
            "visualiseur",
            "visionneuse",
            "camera de document",
            "camera document",
            "document camera",
            "visualizer",
        ],
    ),
    (
        "printer",
        &[
            "imprimante",
            "copieur",
            "photocopieur",
            "multifonction",
            "imprimante multifonction",
        ],
    ),
    (
        "wifi_access_point",
        &[
            "borne wifi",
            "borne wi fi",
            "point d acces",
            "point d acces wifi",
            "point d acces wi fi",
            "access point",
            "wi fi access point",
        ],
    ),
    ("switch", &["commutateur", "switch reseau"]),
    (
        "server",
        &[
            "serveur",
            "nas",
            "rack mount chassis",
            "main system chassis",
        ],
    ),
    (
        "mobile_cart",
        &[
            "chariot",
            "chariot mobile",
            "classe mobile",
            "valise",
            "cart",
            "armoire de recharge",
        ],
    ),
    ("other", &["autre", "divers"]),
];

const STATUS_WORDS: &[(&str, &[&str])] = &[
    (
        "in_service",
        &[
            "en service",
            "en production",
            "production",
            "service",
            "actif",
            "operationnel",
            "en fonctionnement",
        ],
    ),
    (
        "broken",
        &[
            "en panne",
            "panne",
            "hors service",
            "hs",
            "defectueux",
            "casse",
        ],
    ),
    (
        "in_repair",
        &[
            "en reparation",
            "reparation",
            "en maintenance",
            "maintenance",
            "sav",
            "en sav",
        ],
    ),
    (
        "in_stock",
        &["en stock", "stock", "disponible", "en reserve", "reserve"],
    ),
    ("lent", &["prete", "en pret", "pret", "on loan"]),
    (
        "retired",
        &[
            "reforme",
            "retire",
            "rebut",
            "au rebut",
            "mis au rebut",
            "declasse",
            "hors inventaire",
        ],
    ),
];

const OWNER_WORDS: &[(&str, &[&str])] = &[
    (
        "collectivite",
        &[
            "collectivite",
            "collectivite territoriale",
            "region",
            "departement",
            "commune",
            "mairie",
            "conseil regional",
            "conseil departemental",
            "metropole",
            "local authority",
        ],
    ),
    (
        "etablissement",
        &["etablissement", "eple", "lycee", "college", "school"],
    ),
    (
        "etat",
        &[
            "etat",
            "education nationale",
            "ministere",
            "rectorat",
            "academie",
            "state",
        ],
    ),
    ("other", &["autre"]),
];

/// A folded value that names a collectivité by its kind followed by its name
/// (`Région Normandie`, `Département du Calvados`): owner `collectivite`,
/// the value kept as the owner's label.
const COLLECTIVITE_PREFIXES: [&str; 9] = [
    "region ",
    "departement ",
    "conseil ",
    "commune ",
    "mairie ",
    "ville ",
    "metropole ",
    "communaute ",
    "collectivite ",
];

/// Which table a word is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Category,
    Status,
    Owner,
}

/// Folded words → codes, for the three kinds.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    words: HashMap<(Kind, String), &'static str>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        let mut v = Vocabulary {
            words: HashMap::new(),
        };
        for (kind, codes, table) in [
            (Kind::Category, &CATEGORY_CODES[..], CATEGORY_WORDS),
            (Kind::Status, &STATUS_CODES[..], STATUS_WORDS),
            (Kind::Owner, &OWNER_CODES[..], OWNER_WORDS),
        ] {
            for code in codes {
                v.words.insert((kind, fold(code)), code);
            }
            for (code, words) in table {
                for w in *words {
                    v.words.insert((kind, fold(w)), code);
                }
            }
        }
        v
    }
}

fn static_code(kind: Kind, code: &str) -> Option<&'static str> {
    let codes: &[&'static str] = match kind {
        Kind::Category => &CATEGORY_CODES,
        Kind::Status => &STATUS_CODES,
        Kind::Owner => &OWNER_CODES,
    };
    codes.iter().copied().find(|c| *c == code)
}

impl Vocabulary {
    /// Adds a word (e.g. a catalogue label) for a code; an unknown code or
    /// a blank word is ignored.
    pub fn add(&mut self, kind: Kind, word: &str, code: &str) {
        let w = fold(word);
        if let (Some(code), false) = (static_code(kind, code), w.is_empty()) {
            self.words.insert((kind, w), code);
        }
    }

    /// The code a value names, if any.
    pub fn lookup(&self, kind: Kind, value: &str) -> Option<&'static str> {
        self.words.get(&(kind, fold(value))).copied()
    }

    /// An owner: `(code, label)`. A collectivité named by kind and name
    /// keeps the name as its label.
    pub fn owner(&self, value: &str) -> Option<(&'static str, Option<String>)> {
        if let Some(code) = self.lookup(Kind::Owner, value) {
            return Some((code, None));
        }
        let f = fold(value);
        COLLECTIVITE_PREFIXES
            .iter()
            .any(|p| f.starts_with(p))
            .then(|| ("collectivite", Some(value.trim().to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_words_and_catalogue_labels_are_found() {
        let mut v = Vocabulary::default();
        assert_eq!(v.lookup(Kind::Category, "laptop"), Some("laptop"));
        assert_eq!(
            v.lookup(Kind::Category, "Vidéoprojecteur"),
            Some("projector")
        );
        assert_eq!(
            v.lookup(Kind::Category, "wifi_access_point"),
            Some("wifi_access_point")
        );
        assert_eq!(v.lookup(Kind::Category, "grille-pain"), None);
        assert_eq!(v.lookup(Kind::Status, "Réformé"), Some("retired"));
        assert_eq!(v.lookup(Kind::Status, "EN PANNE"), Some("broken"));
        v.add(
            Kind::Category,
            "Écran numérique (ENI)",
            "interactive_display",
        );
        assert_eq!(
            v.lookup(Kind::Category, "ecran numerique eni"),
            Some("interactive_display")
        );
        v.add(Kind::Category, "Machin", "no_such_code");
        assert_eq!(v.lookup(Kind::Category, "machin"), None);
    }

    #[test]
    fn a_named_collectivite_keeps_its_name() {
        let v = Vocabulary::default();
        assert_eq!(v.owner("Région"), Some(("collectivite", None)));
        assert_eq!(
            v.owner(" Région Normandie "),
            Some(("collectivite", Some("Région Normandie".into())))
        );
        assert_eq!(v.owner("État"), Some(("etat", None)));
        assert_eq!(v.owner("mon voisin"), None);
    }

    #[test]
    fn every_word_maps_to_a_known_code() {
        for (kind, codes, table) in [
            (Kind::Category, &CATEGORY_CODES[..], CATEGORY_WORDS),
            (Kind::Status, &STATUS_CODES[..], STATUS_WORDS),
            (Kind::Owner, &OWNER_CODES[..], OWNER_WORDS),
        ] {
            for (code, _) in table {
                assert!(codes.contains(code), "{kind:?} {code}");
            }
        }
    }
}
