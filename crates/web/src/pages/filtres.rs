//! A list's filters as its links carry them: the query string of the sort
//! and page links, the chips that show each active filter with a link that
//! removes it, and the rows-per-page choice. Every list page builds one
//! `Filters` from its query and hands `Filters::chip_bar` to the template
//! (`partials/chips.html`).

use super::{Opt, PAGE_SIZE, enc};
use crate::i18n::Tr;

/// The choices of rows per page.
pub(crate) const ROWS_PER_PAGE: [u64; 3] = [25, 50, 100];

/// Rows per page from `?lignes=`: one of the choices, 50 otherwise.
pub(crate) fn rows_per_page(v: &Option<String>) -> u64 {
    v.as_deref()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|n| ROWS_PER_PAGE.contains(n))
        .unwrap_or(PAGE_SIZE)
}

/// The `<select>` options of the rows-per-page choice.
pub(crate) fn rows_options(v: &Option<String>) -> Vec<Opt> {
    let per = rows_per_page(v).to_string();
    ROWS_PER_PAGE
        .iter()
        .map(|n| Opt::new(n.to_string(), n.to_string(), &per))
        .collect()
}

/// One active filter, shown as a chip.
pub struct Chip {
    /// What the filter keeps, e.g. "Statut : Résolu".
    pub label: String,
    /// The same list without this filter (sort and other filters kept).
    pub href: String,
}

/// The chips of a list and the link that clears them all.
pub struct ChipBar {
    pub chips: Vec<Chip>,
    pub reset: String,
    /// The summary of the folded filter bar on a phone: "Filtres", or
    /// "Filtres (2 actifs)".
    pub fold: String,
}

struct Param {
    key: &'static str,
    value: String,
    chip: Option<String>,
}

/// The parameters of a list's query, in the order its links write them.
#[derive(Default)]
pub struct Filters {
    params: Vec<Param>,
}

impl Filters {
    pub fn new() -> Self {
        Self::default()
    }

    /// A filter: kept in the links when `value` is not empty, and shown as
    /// a chip reading `chip` when one is given.
    pub fn add(&mut self, key: &'static str, value: impl Into<String>, chip: Option<String>) {
        self.params.push(Param {
            key,
            value: value.into(),
            chip,
        });
    }

    /// A filter whose chip reads "Name: option", the option being the
    /// selected one of `opts` (no chip when the selected option is the
    /// default, whose value is empty).
    pub fn add_select(&mut self, tr: Tr, key: &'static str, name_key: &str, opts: &[Opt]) {
        let selected = opts.iter().find(|o| o.selected && !o.value.is_empty());
        let value = selected.map(|o| o.value.clone()).unwrap_or_default();
        let chip = selected.map(|o| {
            tr.t_args(
                "filter-chip",
                &[("name", tr.t(name_key)), ("value", o.label.clone())],
            )
        });
        self.add(key, value, chip);
    }

    /// The search words of a list, whose chip reads "Recherche : « … »".
    pub fn add_search(&mut self, tr: Tr, key: &'static str, q: &str) {
        self.add(
            key,
            q,
            (!q.is_empty()).then(|| tr.t_args("filter-chip-search", &[("value", q.to_string())])),
        );
    }

    /// A check box filter (`key=1`), whose chip reads `label_key`.
    pub fn add_flag(&mut self, tr: Tr, key: &'static str, on: bool, label_key: &str) {
        self.add(key, if on { "1" } else { "" }, on.then(|| tr.t(label_key)));
    }

    /// The rows-per-page choice: kept in the links, never a chip.
    pub fn add_rows(&mut self, v: &Option<String>) {
        let value = match rows_per_page(v) {
            PAGE_SIZE => String::new(),
            n => n.to_string(),
        };
        self.add("lignes", value, None);
    }

    fn query_without(&self, skip: Option<usize>) -> String {
        let mut out = String::new();
        for (i, p) in self.params.iter().enumerate() {
            if Some(i) != skip && !p.value.is_empty() {
                out.push_str(&format!("&{}={}", p.key, enc(&p.value)));
            }
        }
        out
    }

    /// `&k=v` for every active parameter, for the sort and page links.
    pub fn query(&self) -> String {
        self.query_without(None)
    }

    /// The chips of the active filters. `base` is the list's path, `keep`
    /// the `&tri=…&ordre=…` that removing a filter keeps.
    pub fn chip_bar(&self, tr: Tr, base: &str, keep: &str) -> ChipBar {
        let link = |rest: String| {
            let q = format!("{keep}{rest}");
            match q.strip_prefix('&') {
                Some(q) => format!("{base}?{q}"),
                None if q.is_empty() => base.to_string(),
                None => format!("{base}?{q}"),
            }
        };
        let chips: Vec<Chip> = self
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.value.is_empty())
            .filter_map(|(i, p)| {
                p.chip.as_ref().map(|label| Chip {
                    label: label.clone(),
                    href: link(self.query_without(Some(i))),
                })
            })
            .collect();
        // Clearing every filter keeps the sort and the rows per page.
        let rows: String = self
            .params
            .iter()
            .filter(|p| p.chip.is_none() && !p.value.is_empty())
            .map(|p| format!("&{}={}", p.key, enc(&p.value)))
            .collect();
        let fold = match chips.len() {
            0 => tr.t("filters-fold"),
            n => tr.t_args("filters-fold-active", &[("count", n.to_string())]),
        };
        ChipBar {
            chips,
            reset: link(rows),
            fold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_chip_removes_its_filter_and_keeps_the_others_and_the_sort() {
        let mut f = Filters::new();
        f.add("q", "écran", Some("Recherche : écran".into()));
        f.add("statut", "", None);
        f.add("lignes", "100", None);
        f.add("moi", "1", Some("Mes tickets".into()));
        assert_eq!(f.query(), "&q=%C3%A9cran&lignes=100&moi=1");
        let bar = f.chip_bar(Tr(Lang::Fr), "/assistance", "&tri=cree&ordre=desc");
        assert_eq!(bar.fold, "Filtres (2 actifs)");
        assert_eq!(bar.chips.len(), 2);
        assert_eq!(bar.chips[0].label, "Recherche : écran");
        assert_eq!(
            bar.chips[0].href,
            "/assistance?tri=cree&ordre=desc&lignes=100&moi=1"
        );
        assert_eq!(
            bar.chips[1].href,
            "/assistance?tri=cree&ordre=desc&q=%C3%A9cran&lignes=100"
        );
        assert_eq!(bar.reset, "/assistance?tri=cree&ordre=desc&lignes=100");
    }

    #[test]
    fn no_active_filter_gives_no_chip_and_a_bare_reset() {
        let mut f = Filters::new();
        f.add("q", "", Some("x".into()));
        let bar = f.chip_bar(Tr(Lang::Fr), "/parc", "");
        assert_eq!(bar.fold, "Filtres");
        assert!(bar.chips.is_empty());
        assert_eq!(bar.reset, "/parc");
        assert_eq!(f.query(), "");
    }

    #[test]
    fn rows_per_page_accepts_only_the_choices() {
        assert_eq!(rows_per_page(&Some("25".into())), 25);
        assert_eq!(rows_per_page(&Some(" 100 ".into())), 100);
        assert_eq!(rows_per_page(&Some("1000".into())), PAGE_SIZE);
        assert_eq!(rows_per_page(&None), PAGE_SIZE);
    }
}
