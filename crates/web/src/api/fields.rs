//! The names of the API's request fields (query parameters and body
//! properties), so that an error about one names it in `field`.

const FIELDS: &[&str] = &[
    "account_id",
    "asset",
    "asset_id",
    "assignee_id",
    "axis",
    "baseline",
    "body",
    "borrower",
    "building_id",
    "calendar",
    "capacity",
    "catalogue_id",
    "category",
    "closed",
    "collectivite_id",
    "comment",
    "contact_email",
    "contact_name",
    "contact_phone",
    "day",
    "days",
    "departure_remarks",
    "departure_state",
    "description",
    "detail",
    "direction",
    "dry_run",
    "due_on",
    "end",
    "end_kind",
    "etablissement_id",
    "external_ref",
    "file",
    "floor",
    "for_account_id",
    "from",
    "funding",
    "holder_name",
    "hours",
    "impact",
    "indicators",
    "internal",
    "inventory_number",
    "item_id",
    "items",
    "kind",
    "label",
    "manufacturer",
    "method",
    "mine",
    "missions",
    "model",
    "name",
    "note",
    "notes",
    "order",
    "organisation_id",
    "overdue",
    "owner",
    "owner_label",
    "page",
    "parent_id",
    "party_id",
    "per_page",
    "present",
    "priority",
    "purchase_date",
    "q",
    "rate_cents",
    "referents",
    "remarks",
    "remuneration",
    "resolution_minutes",
    "response_minutes",
    "returned_on",
    "room_id",
    "school_year",
    "serial",
    "series",
    "serves",
    "share",
    "signed_on",
    "signer_name",
    "slot_from",
    "slot_to",
    "sort",
    "source",
    "start",
    "start_on",
    "state",
    "status",
    "structure_id",
    "target",
    "targets",
    "text",
    "title",
    "to",
    "unit",
    "unusable",
    "urgency",
    "view",
    "warranty",
    "warranty_end",
    "website",
    "weekday",
    "weekly",
    "what",
];

/// The documented name `s`, if it is one.
pub(super) fn known(s: &str) -> Option<&'static str> {
    FIELDS.iter().copied().find(|f| *f == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every query parameter and body property of the document is known, so
    /// that no field error loses its `field`.
    #[test]
    fn every_documented_request_field_is_known() {
        let doc: serde_json::Value =
            serde_json::from_str(&super::super::openapi_document()).expect("document");
        let schemas = &doc["components"]["schemas"];
        let mut names = vec![];
        fn walk(s: &serde_json::Value, schemas: &serde_json::Value, names: &mut Vec<String>) {
            if let Some(r) = s["$ref"].as_str() {
                let name = r.rsplit('/').next().unwrap_or_default();
                walk(&schemas[name], schemas, names);
            }
            if let Some(props) = s["properties"].as_object() {
                for (k, v) in props {
                    names.push(k.clone());
                    walk(v, schemas, names);
                }
            }
            walk_all(&s["items"], schemas, names);
            for key in ["anyOf", "oneOf", "allOf"] {
                for v in s[key].as_array().into_iter().flatten() {
                    walk(v, schemas, names);
                }
            }
        }
        fn walk_all(s: &serde_json::Value, schemas: &serde_json::Value, names: &mut Vec<String>) {
            if s.is_object() {
                walk(s, schemas, names);
            }
        }
        for ops in doc["paths"].as_object().expect("paths").values() {
            for op in ops.as_object().expect("operations").values() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    if p["in"] != "path" {
                        names.push(p["name"].as_str().unwrap_or_default().to_string());
                    }
                }
                for c in op["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.values())
                {
                    walk(&c["schema"], schemas, &mut names);
                }
            }
        }
        let unknown: Vec<&String> = names.iter().filter(|n| known(n).is_none()).collect();
        assert!(unknown.is_empty(), "not in api/fields.rs: {unknown:?}");
    }
}
