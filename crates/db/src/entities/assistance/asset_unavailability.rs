use sea_orm::entity::prelude::*;

/// A period during which an asset was flagged unusable by a ticket.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "asset_unavailability")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub asset_id: Uuid,
    pub ticket_id: Uuid,
    pub started_at: DateTimeUtc,
    /// None while the asset is still unusable.
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
