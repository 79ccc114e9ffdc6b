use sea_orm::entity::prelude::*;

/// A slot of a school's timetable (M1…S5), school-local minutes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_slots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// Unique in the school.
    pub code: String,
    pub label: String,
    pub start_min: i32,
    pub end_min: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
