use sea_orm::entity::prelude::*;

/// One step of a ticket's history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub etablissement_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<Uuid>,
    pub actor_name: String,
    /// `created`, `status`, `assigned`, `escalated`, `priority`, `comment`,
    /// `attachment`, `reopened`, `unusable`, `external_ref`.
    pub kind: String,
    #[sea_orm(column_name = "from")]
    pub from_value: Option<String>,
    #[sea_orm(column_name = "to")]
    pub to_value: Option<String>,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
