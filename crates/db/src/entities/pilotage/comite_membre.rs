use sea_orm::entity::prelude::*;

/// A member of a school's comité numérique: a person of the school (an
/// account, by one of their roles) or a named outside member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pilotage_comite_membres")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// `refnum_domain::pilotage::comite::MemberKind` code.
    pub kind: String,
    /// The person's account, for a member of the school.
    pub account_id: Option<Uuid>,
    /// The role they sit by (`refnum_domain::role::Role` code), for a
    /// member of the school.
    pub role: Option<String>,
    /// The name, kept should the account go.
    pub name: String,
    /// `refnum_domain::pilotage::comite::OutsideQuality` code, for an
    /// outside member.
    pub quality: Option<String>,
    pub created_at: DateTimeUtc,
    /// When they left the comité (their past attendance stays).
    pub removed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
