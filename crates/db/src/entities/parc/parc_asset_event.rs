use sea_orm::entity::prelude::*;

/// One change in an asset's history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parc_asset_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub asset_id: Uuid,
    pub etablissement_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    /// The actor's display name at the time.
    pub actor_name: String,
    /// `created`, `updated`, `moved`, `status`, `imported` or `bulk`.
    pub kind: String,
    /// JSON array `[{"field": "...", "from": "...", "to": "..."}]`.
    pub changes: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
