use sea_orm::entity::prelude::*;

/// An indicator's target for a school year of the plan, and the value
/// recorded for that year (typed indicators).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_projet_cibles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub indicateur_id: Uuid,
    pub school_year: i32,
    pub target: Option<i64>,
    pub value: Option<i64>,
    pub recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
