use sea_orm::entity::prelude::*;

/// A division (class) or group of one school year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annuaire_structures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub school_year: i32,
    /// `division` or `group`.
    pub kind: String,
    pub code: String,
    pub label: Option<String>,
    /// JSON array of MEF codes.
    pub mefs: String,
    /// JSON array of division codes (groups).
    pub divisions: String,
    pub content_hash: String,
    pub source: String,
    pub source_file: String,
    pub imported_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
