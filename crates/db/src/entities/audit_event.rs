use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_account_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub etablissement_id: Option<Uuid>,
    pub outcome: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
