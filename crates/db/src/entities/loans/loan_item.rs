use sea_orm::entity::prelude::*;

/// One thing lent with the main asset: an accessory of the parc or a
/// named item ("chargeur", "housse").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub loan_id: Uuid,
    pub position: i32,
    /// The accessory's asset, when it is one of the parc.
    pub asset_id: Option<Uuid>,
    /// The accessory's inventory number, or the item's name.
    pub label: String,
    pub present_at_departure: bool,
    pub departure_remarks: String,
    /// `refnum_domain::loan::ReturnState` code, once returned.
    pub return_state: Option<String>,
    pub return_remarks: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
