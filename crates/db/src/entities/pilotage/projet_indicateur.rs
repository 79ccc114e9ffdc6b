use sea_orm::entity::prelude::*;

/// An indicator that follows an objective; values in thousandths of its
/// unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_projet_indicateurs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub projet_id: Uuid,
    pub objectif_id: Uuid,
    pub label: String,
    /// `manual` or `bound`.
    pub source_kind: String,
    /// `refnum_domain::pilotage::indicateurs::Metric` code (bound).
    pub metric: Option<String>,
    pub unit: String,
    pub direction: String,
    pub baseline: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
