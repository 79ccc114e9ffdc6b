//! Parc files: asset CSV import (own layout and GLPI exports), CSV and ODS
//! exports, QR label sheets. Pure: no database, no web; values that the
//! interface shows are catalogue keys (`parcfiles-…`), never text.

pub mod export;
pub mod import;
pub mod labels;
pub mod vocabulary;

/// The columns of our own layout, in this order: the header of every export
/// and of the import template (a file may give them in any order).
pub const COLUMNS: [&str; 15] = [
    "numero_inventaire",
    "categorie",
    "fabricant",
    "modele",
    "numero_serie",
    "proprietaire",
    "financement",
    "date_achat",
    "fin_garantie",
    "salle",
    "batiment",
    "statut",
    "parent",
    "detenteur",
    "notes",
];

/// Folds a value for comparison: lower case, accents removed, anything but
/// letters and digits turned into single spaces (`"Numéro d'inventaire"` →
/// `"numero d inventaire"`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let folded: Option<&str> = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                Some("a")
            }
            'ç' | 'Ç' => Some("c"),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => Some("e"),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => Some("i"),
            'ñ' | 'Ñ' => Some("n"),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                Some("o")
            }
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => Some("u"),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => Some("y"),
            'œ' | 'Œ' => Some("oe"),
            'æ' | 'Æ' => Some("ae"),
            'ß' => Some("ss"),
            _ => None,
        };
        let alnum = folded.is_some() || c.is_alphanumeric();
        if !alnum {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match folded {
            Some(f) => out.push_str(f),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fold_removes_case_accents_and_punctuation() {
        assert_eq!(super::fold("Numéro d'inventaire"), "numero d inventaire");
        assert_eq!(super::fold("  date_achat "), "date achat");
        assert_eq!(super::fold("Vidéoprojecteur"), "videoprojecteur");
        assert_eq!(super::fold("ŒUVRE"), "oeuvre");
        assert_eq!(super::fold("--"), "");
    }
}
