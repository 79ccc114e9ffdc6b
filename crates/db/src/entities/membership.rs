use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub role: String,
    pub scope_key: String,
    pub etablissement_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::etablissement::Entity",
        from = "Column::EtablissementId",
        to = "super::etablissement::Column::Id"
    )]
    Etablissement,
}

impl Related<super::etablissement::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Etablissement.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
