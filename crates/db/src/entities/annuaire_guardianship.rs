use sea_orm::entity::prelude::*;

/// A guardian of a pupil.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annuaire_guardianships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub pupil_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub guardian_id: Uuid,
    pub relation: Option<String>,
    pub legal: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
