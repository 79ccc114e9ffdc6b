use sea_orm::entity::prelude::*;

/// A room or an asset marked bookable, with its rules.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_resources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub room_id: Option<Uuid>,
    pub asset_id: Option<Uuid>,
    /// Bookable now (a withdrawn resource keeps its bookings).
    pub active: bool,
    /// Comma-separated role codes that may book it.
    pub roles: String,
    /// The role that approves its bookings; none: no approval.
    pub approval_role: Option<String>,
    pub max_minutes: Option<i32>,
    pub horizon_days: Option<i32>,
    pub weekly_quota: Option<i32>,
    pub gap_minutes: i32,
    /// Bumped first by every booking write of this resource.
    pub lock_version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
