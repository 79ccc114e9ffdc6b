use sea_orm::entity::prelude::*;

/// A person of a school's directory: staff, pupil or guardian. A record,
/// not an account (staff may be linked to one through `account_id`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annuaire_people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// `staff`, `pupil` or `guardian`.
    pub kind: String,
    pub source: String,
    pub source_key: String,
    pub ine: Option<String>,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<Date>,
    pub email: Option<String>,
    /// JSON arrays of strings.
    pub functions: String,
    pub disciplines: String,
    pub missions: String,
    pub structures: String,
    pub class_code: Option<String>,
    pub groups: String,
    pub mef_code: Option<String>,
    /// `active` or `left`.
    pub status: String,
    pub left_at: Option<DateTimeUtc>,
    pub account_id: Option<Uuid>,
    pub search_text: String,
    pub content_hash: String,
    pub source_file: String,
    pub imported_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
