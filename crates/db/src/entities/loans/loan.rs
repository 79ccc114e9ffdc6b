use sea_orm::entity::prelude::*;

/// A loan of a parc asset (with its accessories) to a pupil or a staff member.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "loans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// The main asset lent.
    pub asset_id: Uuid,
    /// `refnum_domain::loan::BorrowerKind` code.
    pub borrower_kind: String,
    /// The pupil (directory record), for a pupil's loan.
    pub borrower_person_id: Option<Uuid>,
    /// The staff member's account, for a staff loan.
    pub borrower_account_id: Option<Uuid>,
    /// The borrower's name when lent (kept if the record goes).
    pub borrower_name: String,
    /// The pupil's class, or empty.
    pub borrower_detail: String,
    pub start_on: Date,
    pub due_on: Date,
    /// `refnum_domain::loan::LoanEnd` code.
    pub end_kind: String,
    /// `refnum_domain::loan::LoanStatus` code.
    pub status: String,
    /// `refnum_domain::loan::DepartureState` code.
    pub departure_state: String,
    pub departure_remarks: String,
    /// The charter version the convention names.
    pub charter_id: Option<Uuid>,
    pub returned_on: Option<Date>,
    /// `refnum_domain::loan::ReturnState` code of the main asset.
    pub return_state: Option<String>,
    pub return_remarks: String,
    /// When the overdue reminder was sent (claimed by one server).
    pub reminded_at: Option<DateTimeUtc>,
    /// Folded borrower name, class and inventory number.
    pub search_text: String,
    pub created_by: Option<Uuid>,
    pub returned_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "crate::entities::parc::parc_asset::Entity",
        from = "Column::AssetId",
        to = "crate::entities::parc::parc_asset::Column::Id"
    )]
    Asset,
}

impl ActiveModelBehavior for ActiveModel {}
