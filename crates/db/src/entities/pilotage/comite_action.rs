use sea_orm::entity::prelude::*;

/// An action of the comité: from a meeting, one of its decisions, or
/// standalone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_comite_actions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The school year it is filed under (its meeting's, for an action of
    /// a meeting).
    pub school_year: i32,
    pub reunion_id: Option<Uuid>,
    pub decision_id: Option<Uuid>,
    pub title: String,
    pub detail: String,
    /// The owner's account, when they are a person of the school.
    pub owner_account_id: Option<Uuid>,
    /// The owner's name (always written; kept should the account go).
    pub owner_name: String,
    pub due_on: Date,
    /// `refnum_domain::pilotage::comite::ActionStatus` code.
    pub status: String,
    /// The school project's objective it serves (no foreign key until that
    /// table exists).
    pub objective_id: Option<Uuid>,
    /// When the overdue reminder was sent (claimed by one server).
    pub reminded_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
