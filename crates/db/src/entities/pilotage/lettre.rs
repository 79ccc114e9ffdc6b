use sea_orm::entity::prelude::*;

/// One version of a school's mission letter for a school year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_lettres")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The year the school year starts in (2026 for 2026-2027).
    pub school_year: i32,
    /// 1, 2, 3… per school and year; an amendment is the next version.
    pub version: i32,
    /// `refnum_domain::pilotage::lettre::LetterStatus` code.
    pub status: String,
    /// The signed version this one amends.
    pub supersedes_id: Option<Uuid>,
    pub text: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub proposed_at: Option<DateTimeUtc>,
    pub signed_by: Option<Uuid>,
    pub signed_at: Option<DateTimeUtc>,
    /// SHA-256 of the content signed, in hexadecimal.
    pub signed_hash: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
