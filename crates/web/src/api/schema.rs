//! Schemas of the document that the Rust types alone do not give: the codes
//! a field accepts, and the length and characters of a text, as the services
//! check them (a text refuses control characters; a required one needs a
//! character other than a space).

use refnum_domain::asset::{AssetCategory, AssetOwner, AssetStatus};
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// One line: no control character.
const LINE: &str = "^[^\\x00-\\x1f\\x7f-\\x9f]*$";
/// One line with a character other than a space.
const FILLED_LINE: &str =
    "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$";
/// Several lines: no control character but tabs and line breaks.
const LINES: &str = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$";
/// Several lines with a character other than a space.
const FILLED_LINES: &str = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$";

fn ty(nullable: bool) -> SchemaType {
    if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    }
}

/// A string among `values` (or null when `nullable`).
pub fn codes<'a>(values: impl IntoIterator<Item = &'a str>, nullable: bool) -> Object {
    let mut v: Vec<serde_json::Value> = values.into_iter().map(Into::into).collect();
    if nullable {
        v.push(serde_json::Value::Null);
    }
    ObjectBuilder::new()
        .schema_type(ty(nullable))
        .enum_values(Some(v))
        .build()
}

/// A text of at most `max` characters; `filled` when it must not be blank,
/// `lines` when line breaks are allowed.
pub fn text(max: usize, filled: bool, lines: bool, nullable: bool) -> Object {
    let pattern = match (filled, lines) {
        (false, false) => LINE,
        (true, false) => FILLED_LINE,
        (false, true) => LINES,
        (true, true) => FILLED_LINES,
    };
    ObjectBuilder::new()
        .schema_type(ty(nullable))
        .min_length(filled.then_some(1))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .build()
}

pub fn asset_category() -> Object {
    codes(AssetCategory::ALL.iter().map(|c| c.as_str()), false)
}
pub fn asset_category_or_null() -> Object {
    codes(AssetCategory::ALL.iter().map(|c| c.as_str()), true)
}
pub fn asset_owner() -> Object {
    codes(AssetOwner::ALL.iter().map(|c| c.as_str()), false)
}
pub fn asset_owner_or_null() -> Object {
    codes(AssetOwner::ALL.iter().map(|c| c.as_str()), true)
}
pub fn asset_status_or_null() -> Object {
    codes(AssetStatus::ALL.iter().map(|c| c.as_str()), true)
}
/// A status, or `all` to include the retired assets.
pub fn asset_status_filter() -> Object {
    codes(
        AssetStatus::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(std::iter::once("all")),
        false,
    )
}
pub fn order() -> Object {
    codes(["asc", "desc"], false)
}

/// A date `yyyy-mm-dd`, an empty string (none) or null (unchanged).
pub fn date_or_empty() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::OneOfBuilder;
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String).format(Some(
            utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Date),
        )))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}
