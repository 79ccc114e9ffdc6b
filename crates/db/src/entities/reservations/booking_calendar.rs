use sea_orm::entity::prelude::*;

/// A school's booking calendar settings: its holiday zone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_calendars")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub etablissement_id: Uuid,
    /// `A`, `B` or `C`.
    pub zone: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
