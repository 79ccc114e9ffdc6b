use sea_orm::entity::prelude::*;

/// A nomenclature entry: subject, MEF, mission, function.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annuaire_nomenclatures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub kind: String,
    pub code: String,
    pub short_label: Option<String>,
    pub label: String,
    pub content_hash: String,
    pub source: String,
    pub source_file: String,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
