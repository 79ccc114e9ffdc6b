use sea_orm::entity::prelude::*;

/// A mission of the catalogue: the instance's (`academie_id` none) or an
/// académie's; `code` names a seeded one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_missions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub academie_id: Option<Uuid>,
    pub code: Option<String>,
    /// `refnum_domain::pilotage::Axis` code.
    pub axis: String,
    pub label: String,
    pub position: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
