use sea_orm::entity::prelude::*;

/// One occurrence of a booking, on one day, school-local minutes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub resource_id: Uuid,
    /// Shared by the occurrences of a recurring booking.
    pub series_id: Option<Uuid>,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    /// `refnum_domain::booking::BookingStatus` code.
    pub status: String,
    pub booked_for: Uuid,
    pub booked_by: Uuid,
    /// The class or group (annuaire structure) it is for.
    pub structure_id: Option<Uuid>,
    /// That structure's code, kept for display.
    pub group_label: Option<String>,
    pub note: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<Uuid>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
