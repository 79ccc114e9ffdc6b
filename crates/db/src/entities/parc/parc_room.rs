use sea_orm::entity::prelude::*;

/// A room of a school (its name is unique in the school).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parc_rooms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub building_id: Option<Uuid>,
    pub name: String,
    /// A room kind code: `classroom`, `computer_room`, `cdi`, `lab`,
    /// `workshop`, `office`, `meeting`, `gym`, `storage`, `other`.
    pub kind: String,
    pub capacity: Option<i32>,
    pub floor: Option<String>,
    pub notes: String,
    /// Folded name, building and notes.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::parc_building::Entity",
        from = "Column::BuildingId",
        to = "super::parc_building::Column::Id"
    )]
    Building,
}

impl Related<super::parc_building::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Building.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
