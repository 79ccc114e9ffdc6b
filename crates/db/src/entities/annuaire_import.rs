use sea_orm::entity::prelude::*;

/// One directory import: its files, its preview, its fate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annuaire_imports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Option<Uuid>,
    pub uai: String,
    pub source: String,
    /// `preview`, `applied`, `discarded`.
    pub status: String,
    /// JSON: `[{name, kind, sha256, size, stored}]`.
    pub files: String,
    pub school_year: Option<i32>,
    pub exported_on: Option<Date>,
    /// JSON summary of the diff (counts).
    pub summary: String,
    /// JSON array of warnings.
    pub warnings: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub applied_by: Option<Uuid>,
    pub applied_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
