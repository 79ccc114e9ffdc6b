use sea_orm::entity::prelude::*;

/// A mission of a letter: from the catalogue or written freely.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_lettre_missions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lettre_id: Uuid,
    pub catalogue_id: Option<Uuid>,
    pub position: i32,
    pub axis: String,
    pub label: String,
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
