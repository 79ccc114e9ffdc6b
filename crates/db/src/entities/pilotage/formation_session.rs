use sea_orm::entity::prelude::*;

/// A session of a school's training plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_formation_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The school year it is filed under; its date falls within it.
    pub school_year: i32,
    pub theme_id: Uuid,
    pub title: String,
    /// `refnum_domain::pilotage::formations::SessionKind` code.
    pub kind: String,
    /// The leader, when a person of the school.
    pub leader_account_id: Option<Uuid>,
    /// The leader's name (written for an account too; may be empty for an
    /// outside offer).
    pub leader_name: String,
    /// An outside offer's link (empty otherwise).
    pub link: String,
    /// An outside offer's code (empty otherwise).
    pub code: String,
    pub date: Date,
    /// Minutes after midnight.
    pub start_minute: Option<i32>,
    pub duration_minutes: i32,
    /// `refnum_domain::pilotage::formations::Modality` code.
    pub modality: String,
    pub place: String,
    pub capacity: i32,
    /// `refnum_domain::pilotage::formations::SessionStatus` code.
    pub status: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
