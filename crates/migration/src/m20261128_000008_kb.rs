//! Knowledge base: short articles of a school.
//!
//! An article belongs to one school (deleted with it). `search_text` holds
//! the folded title, summary, tags and body, searched with `LIKE` on both
//! backends; the index serves the lists (a school's published articles,
//! most recent first).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Etablissements {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum KbArticles {
    Table,
    Id,
    EtablissementId,
    Title,
    Summary,
    Body,
    Category,
    Tags,
    Published,
    SearchText,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(KbArticles::Table)
                    .col(
                        ColumnDef::new(KbArticles::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(KbArticles::EtablissementId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(KbArticles::Title).string_len(200).not_null())
                    .col(
                        ColumnDef::new(KbArticles::Summary)
                            .string_len(300)
                            .not_null(),
                    )
                    .col(ColumnDef::new(KbArticles::Body).text().not_null())
                    .col(ColumnDef::new(KbArticles::Category).string_len(32).null())
                    .col(ColumnDef::new(KbArticles::Tags).string_len(400).not_null())
                    .col(ColumnDef::new(KbArticles::Published).boolean().not_null())
                    .col(ColumnDef::new(KbArticles::SearchText).text().not_null())
                    .col(ColumnDef::new(KbArticles::CreatedBy).uuid().null())
                    .col(ColumnDef::new(KbArticles::UpdatedBy).uuid().null())
                    .col(
                        ColumnDef::new(KbArticles::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KbArticles::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(KbArticles::Table, KbArticles::EtablissementId)
                            .to(Etablissements::Table, Etablissements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(KbArticles::Table, KbArticles::CreatedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(KbArticles::Table, KbArticles::UpdatedBy)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_kb_articles_etab_published_updated")
                    .table(KbArticles::Table)
                    .col(KbArticles::EtablissementId)
                    .col(KbArticles::Published)
                    .col(KbArticles::UpdatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
