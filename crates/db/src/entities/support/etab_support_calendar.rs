use sea_orm::entity::prelude::*;

/// A school's working calendar for its in-house targets (JSON).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "etab_support_calendars")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub etablissement_id: Uuid,
    pub calendar: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
