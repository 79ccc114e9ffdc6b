use sea_orm::entity::prelude::*;

/// An in-app notification; e-mailed by the support job when SMTP is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub ticket_id: Option<Uuid>,
    pub etablissement_id: Option<Uuid>,
    /// `ticket-created`, `ticket-assigned`, `ticket-escalated`,
    /// `ticket-comment`, `ticket-status`… (catalogue key `notif-<kind>`).
    pub kind: String,
    /// Data, not interface text: the ticket's number and title.
    pub title: String,
    /// Path inside the application.
    pub link: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    pub emailed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
