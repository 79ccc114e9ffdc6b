use sea_orm::entity::prelude::*;

/// A meeting of a school's comité numérique.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_comite_reunions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The year the school year starts in; `date` falls within it.
    pub school_year: i32,
    pub date: Date,
    /// Minutes after midnight, when a start time is given.
    pub start_minute: Option<i32>,
    pub place: String,
    pub agenda: String,
    pub minutes: String,
    /// Whether every reader of the comité sees the minutes, or only those
    /// who run it.
    pub minutes_public: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
