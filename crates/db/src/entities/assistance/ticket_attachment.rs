use sea_orm::entity::prelude::*;

/// A file attached to a ticket, stored under a generated name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub ticket_id: Uuid,
    /// The comment it came with; internal comments' files are internal.
    pub comment_id: Option<Uuid>,
    /// Generated file name under `files_dir/tickets/`.
    pub stored_name: String,
    pub original_name: String,
    /// Detected from the content.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
