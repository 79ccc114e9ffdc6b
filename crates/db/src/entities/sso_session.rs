use sea_orm::entity::prelude::*;

/// A session opened through single sign-on: which identity, and for CAS the
/// SHA-256 of the service ticket (the `SessionIndex` of a single logout).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_hash: String,
    pub identity_id: Uuid,
    pub provider: String,
    pub ticket_hash: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
