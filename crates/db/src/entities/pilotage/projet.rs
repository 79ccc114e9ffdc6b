use sea_orm::entity::prelude::*;

/// The digital part of a school's project: a plan over one to five
/// school years.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_projets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub title: String,
    /// The first school year, named by the year it starts in.
    pub first_year: i32,
    pub last_year: i32,
    /// The day the school's board adopted it.
    pub adopted_on: Option<Date>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
