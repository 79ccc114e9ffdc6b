use sea_orm::entity::prelude::*;

/// A school's in-house targets (tickets handled in the school) for one
/// priority, in working minutes of the school's calendar.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "etab_support_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub etablissement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub priority: String,
    pub response_minutes: i32,
    pub resolution_minutes: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
