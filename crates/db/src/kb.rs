//! Knowledge base articles: every query takes the school.

use crate::entities::kb_article as article;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// Sort orders of the article list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArticleSort {
    /// Most recently updated first (the default).
    #[default]
    Updated,
    Title,
}

/// Filters of the article list. `words` are folded, without LIKE wildcards.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Every word must appear in the search text.
    pub words: Vec<String>,
    pub category: Option<String>,
    /// Readers see published articles only.
    pub published_only: bool,
    pub sort: ArticleSort,
    /// Reverse the natural order of the sort.
    pub reverse: bool,
    pub page: u64,
    pub per_page: u64,
}

/// An article as the lists show it (without its body).
#[derive(Debug, Clone, FromQueryResult)]
pub struct ArticleRow {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub category: Option<String>,
    pub tags: String,
    pub published: bool,
    pub updated_at: DateTime<Utc>,
}

const ROW_COLUMNS: [article::Column; 7] = [
    article::Column::Id,
    article::Column::Title,
    article::Column::Summary,
    article::Column::Category,
    article::Column::Tags,
    article::Column::Published,
    article::Column::UpdatedAt,
];

/// One page of a school's articles, filtered and sorted, with the total.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    f: &ArticleFilter,
) -> Result<(Vec<ArticleRow>, u64), DbErr> {
    let mut q = article::Entity::find().filter(article::Column::EtablissementId.eq(etab));
    if f.published_only {
        q = q.filter(article::Column::Published.eq(true));
    }
    if let Some(cat) = &f.category {
        q = q.filter(article::Column::Category.eq(cat.as_str()));
    }
    for word in &f.words {
        q = q.filter(article::Column::SearchText.like(format!("%{word}%")));
    }
    let total = q.clone().count(c).await?;
    let q = match (f.sort, f.reverse) {
        (ArticleSort::Updated, false) => q.order_by_desc(article::Column::UpdatedAt),
        (ArticleSort::Updated, true) => q.order_by_asc(article::Column::UpdatedAt),
        (ArticleSort::Title, false) => q.order_by_asc(article::Column::Title),
        (ArticleSort::Title, true) => q.order_by_desc(article::Column::Title),
    };
    let rows = q
        .order_by_asc(article::Column::Id)
        .select_only()
        .columns(ROW_COLUMNS)
        .offset(f.page.saturating_mul(f.per_page))
        .limit(f.per_page)
        .into_model::<ArticleRow>()
        .all(c)
        .await?;
    Ok((rows, total))
}

/// What the suggestions rank: the published articles of a school whose
/// search text holds any of the (folded) words, the most recent first.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Candidate {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub category: Option<String>,
    pub search_text: String,
    pub updated_at: DateTime<Utc>,
}

pub async fn suggestion_candidates<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    words: &[String],
    limit: u64,
) -> Result<Vec<Candidate>, DbErr> {
    if words.is_empty() {
        return Ok(vec![]);
    }
    let mut any = Condition::any();
    for word in words {
        any = any.add(article::Column::SearchText.like(format!("%{word}%")));
    }
    article::Entity::find()
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::Title,
            article::Column::Summary,
            article::Column::Category,
            article::Column::SearchText,
            article::Column::UpdatedAt,
        ])
        .filter(article::Column::EtablissementId.eq(etab))
        .filter(article::Column::Published.eq(true))
        .filter(any)
        .order_by_desc(article::Column::UpdatedAt)
        .order_by_asc(article::Column::Id)
        .limit(limit)
        .into_model::<Candidate>()
        .all(c)
        .await
}

pub async fn get<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    id: Uuid,
) -> Result<Option<article::Model>, DbErr> {
    article::Entity::find_by_id(id)
        .filter(article::Column::EtablissementId.eq(etab))
        .one(c)
        .await
}

pub async fn insert<C: ConnectionTrait>(c: &C, row: article::Model) -> Result<(), DbErr> {
    article::Entity::insert(article::ActiveModel::from(row))
        .exec_without_returning(c)
        .await
        .map(|_| ())
}

/// Replaces an article's row (read first with [`get`], within its school).
pub async fn update<C: ConnectionTrait>(c: &C, row: article::Model) -> Result<(), DbErr> {
    let am = sea_orm::ActiveModelTrait::reset_all(article::ActiveModel::from(row));
    article::Entity::update(am).exec(c).await.map(|_| ())
}

pub async fn delete<C: ConnectionTrait>(c: &C, etab: Uuid, id: Uuid) -> Result<u64, DbErr> {
    article::Entity::delete_many()
        .filter(article::Column::EtablissementId.eq(etab))
        .filter(article::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// How many articles a school has (published only, or all).
pub async fn count<C: ConnectionTrait>(
    c: &C,
    etab: Uuid,
    published_only: bool,
) -> Result<u64, DbErr> {
    let mut q = article::Entity::find().filter(article::Column::EtablissementId.eq(etab));
    if published_only {
        q = q.filter(article::Column::Published.eq(true));
    }
    q.count(c).await
}
