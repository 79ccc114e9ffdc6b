//! Text for searching: lower case, French accents folded, so that "lepine",
//! "Lépine" and "LÉPINE" find the same thing on every database.

pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            '%' | '_' | '\\' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The search text of several fields.
pub fn text_of(fields: &[&str]) -> String {
    fold(&fields.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(
            fold("Lycée professionnel Victor LÉPINE"),
            "lycee professionnel victor lepine"
        );
        assert_eq!(fold("Cœur Ÿ Ça"), "coeur y ca");
    }

    #[test]
    fn like_wildcards_become_spaces() {
        assert_eq!(fold("50%_x"), "50  x");
    }
}
