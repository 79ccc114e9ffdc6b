use sea_orm::entity::prelude::*;

/// An action that carries out an objective.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_projet_actions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub projet_id: Uuid,
    pub objectif_id: Uuid,
    pub title: String,
    pub owner_name: String,
    pub start_on: Date,
    pub end_on: Date,
    /// `refnum_domain::pilotage::comite::ActionStatus` code.
    pub status: String,
    /// 0 to 100 (%).
    pub progress: i32,
    /// The comité's action that feeds it.
    pub comite_action_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
