use sea_orm::entity::prelude::*;

/// A party to a loan's convention and, once signed, its signature.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub loan_id: Uuid,
    /// Unique per loan (see `refnum_domain::loan::party_key`).
    pub party_key: String,
    /// `refnum_domain::loan::PartyRole` code.
    pub role: String,
    /// The directory record (pupil, guardian), if any.
    pub person_id: Option<Uuid>,
    /// The party's name as the convention prints it.
    pub name: String,
    pub position: i32,
    pub signed_at: Option<DateTimeUtc>,
    /// Who signed, as typed (the school's representative, a guardian…).
    pub signer_name: Option<String>,
    /// `refnum_domain::loan::SignatureMethod` code.
    pub method: Option<String>,
    /// The charter version accepted by this signature.
    pub charter_id: Option<Uuid>,
    /// The account that recorded the signature.
    pub recorded_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
