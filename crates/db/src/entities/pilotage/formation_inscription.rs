use sea_orm::entity::prelude::*;

/// A staff member registered to a session, whether they attended, and
/// their feedback.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_formation_inscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub account_id: Uuid,
    pub registered_at: DateTimeUtc,
    /// Null until the attendance is recorded.
    pub attended: Option<bool>,
    /// 1 to 5, given by an attendee.
    pub rating: Option<i32>,
    pub feedback: String,
    pub feedback_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
