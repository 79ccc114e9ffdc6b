use sea_orm::entity::prelude::*;

/// Holidays or a closed period of a school, both ends included.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_days_off")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// `holiday` or `closed` (`refnum_domain::booking::DayOffKind`).
    pub kind: String,
    pub label: String,
    pub start_date: Date,
    pub end_date: Date,
    /// `builtin`, `manual` or `import`.
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
