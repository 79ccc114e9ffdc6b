use sea_orm::entity::prelude::*;

/// A knowledge base article of a school: a known fix or a how-to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_articles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub etablissement_id: Uuid,
    pub title: String,
    /// One line.
    pub summary: String,
    /// Plain text: paragraphs separated by blank lines, `- ` list items.
    pub body: String,
    /// A ticket category (`printer`, `projector`…), if any.
    pub category: Option<String>,
    /// Comma-separated tags.
    pub tags: String,
    pub published: bool,
    /// Folded title, summary, tags and body.
    pub search_text: String,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
