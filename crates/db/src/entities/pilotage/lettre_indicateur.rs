use sea_orm::entity::prelude::*;

/// An indicator of a letter; values in thousandths of its unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_lettre_indicateurs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lettre_id: Uuid,
    pub position: i32,
    pub label: String,
    /// `manual` or `bound`.
    pub source_kind: String,
    /// `refnum_domain::pilotage::indicateurs::Metric` code (bound).
    pub metric: Option<String>,
    pub unit: String,
    pub direction: String,
    pub baseline: Option<i64>,
    pub target: i64,
    /// Recorded at the year-end review.
    pub final_value: Option<i64>,
    pub final_comment: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
