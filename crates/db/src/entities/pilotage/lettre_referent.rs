use sea_orm::entity::prelude::*;

/// A referent named by a letter, their pay and their acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_lettre_referents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lettre_id: Uuid,
    pub account_id: Option<Uuid>,
    /// The name when named (kept should the account go).
    pub name: String,
    pub position: i32,
    /// `imp` or `hours`.
    pub remuneration_kind: String,
    /// One of the legal IMP rates, in cents (an IMP).
    pub rate_cents: Option<i32>,
    pub share_numerator: Option<i32>,
    pub share_denominator: Option<i32>,
    /// Hours over the school year.
    pub hours: Option<i32>,
    pub acknowledged_at: Option<DateTimeUtc>,
    /// The content hash the referent acknowledged.
    pub acknowledged_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
