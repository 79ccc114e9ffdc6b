//! Equipment of the parc: categories, statuses, owners and inventory
//! numbers, validated here.

use crate::codes::code_enum;

code_enum!(
    /// What a piece of equipment is.
    AssetCategory {
        Desktop => "desktop",
        Laptop => "laptop",
        Tablet => "tablet",
        InteractiveDisplay => "interactive_display",
        Projector => "projector",
        Visualiser => "visualiser",
        Printer => "printer",
        WifiAccessPoint => "wifi_access_point",
        Switch => "switch",
        Server => "server",
        MobileCart => "mobile_cart",
        Other => "other",
    }
);

code_enum!(
    /// Where a piece of equipment stands in its life.
    AssetStatus {
        InService => "in_service",
        Broken => "broken",
        InRepair => "in_repair",
        InStock => "in_stock",
        Lent => "lent",
        Retired => "retired",
    }
);

code_enum!(
    /// Who owns it: usually the collectivité (Région for lycées, Département
    /// for collèges), sometimes the school or the State.
    AssetOwner {
        Collectivite => "collectivite",
        Etablissement => "etablissement",
        Etat => "etat",
        Other => "other",
    }
);

impl AssetCategory {
    /// Terminals counted in "terminals per 100 pupils".
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            AssetCategory::Desktop | AssetCategory::Laptop | AssetCategory::Tablet
        )
    }
    /// Computers counted in "share of computers older than 5 years".
    pub fn is_computer(self) -> bool {
        matches!(self, AssetCategory::Desktop | AssetCategory::Laptop)
    }
}

/// An inventory number: 1 to 40 visible characters, trimmed, upper-cased
/// (unique in its school; the database enforces it).
pub fn parse_inventory_number(input: &str) -> Result<String, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    if s.chars().count() > 40 || s.chars().any(char::is_control) {
        return Err("error-inventory-number");
    }
    Ok(s.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_and_unknown_ones_are_refused() {
        for c in AssetCategory::ALL {
            assert_eq!(AssetCategory::parse(c.as_str()), Some(*c));
        }
        for s in AssetStatus::ALL {
            assert_eq!(AssetStatus::parse(s.as_str()), Some(*s));
        }
        for o in AssetOwner::ALL {
            assert_eq!(AssetOwner::parse(o.as_str()), Some(*o));
        }
        assert_eq!(AssetCategory::parse("toaster"), None);
        assert_eq!(AssetCategory::ALL.len(), 12);
        assert!(AssetCategory::Tablet.is_terminal());
        assert!(!AssetCategory::Projector.is_terminal());
        assert!(!AssetCategory::Tablet.is_computer());
    }

    #[test]
    fn inventory_numbers_are_trimmed_upper_cased_and_bounded() {
        assert_eq!(parse_inventory_number("  pc-0142 "), Ok("PC-0142".into()));
        assert_eq!(parse_inventory_number("   "), Err("error-required"));
        assert_eq!(
            parse_inventory_number(&"X".repeat(41)),
            Err("error-inventory-number")
        );
        assert_eq!(
            parse_inventory_number("PC\u{7}1"),
            Err("error-inventory-number")
        );
    }
}
