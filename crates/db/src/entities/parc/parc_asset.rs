use sea_orm::entity::prelude::*;

/// A piece of equipment of a school.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parc_assets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    /// Unique in its school (see `refnum_domain::asset::parse_inventory_number`).
    pub inventory_number: String,
    /// `refnum_domain::asset::AssetCategory` code.
    pub category: String,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    /// `refnum_domain::asset::AssetOwner` code.
    pub owner: String,
    /// The owner's name, e.g. "Région Normandie".
    pub owner_label: Option<String>,
    pub funding: Option<String>,
    pub purchase_date: Option<Date>,
    pub warranty_end: Option<Date>,
    pub room_id: Option<Uuid>,
    /// A person holding it (free text).
    pub holder_name: Option<String>,
    pub holder_account_id: Option<Uuid>,
    /// `refnum_domain::asset::AssetStatus` code.
    pub status: String,
    /// The asset it belongs to (a tablet in a cart).
    pub parent_id: Option<Uuid>,
    pub notes: String,
    /// 128-bit random, base64url: the QR label encodes `/q/{qr_token}`.
    pub qr_token: String,
    /// Folded inventory number, manufacturer, model, serial, holder, notes.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::parc_room::Entity",
        from = "Column::RoomId",
        to = "super::parc_room::Column::Id"
    )]
    Room,
}

impl Related<super::parc_room::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Room.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
