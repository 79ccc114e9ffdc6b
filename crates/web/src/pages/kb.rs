//! Knowledge base: short articles the referent writes, suggested while a ticket is typed.
//! Pages: the list (search, category, paged), one article, the forms that
//! write, publish, withdraw and delete, and the suggestions fragment (or
//! JSON) that `assets/kb.js` fetches while a ticket's title is typed.

use super::etabs::SortHeader;
use super::{Opt, PAGE_SIZE, Pager, SignedIn, done, enc, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::urls::kb as urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use refnum_services::kb::{self, ArticleInput, ArticleSort, Block, ListInput};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/base-de-connaissances", get(list))
        .route(
            "/etablissements/{id}/base-de-connaissances/nouveau",
            get(new_form).post(create),
        )
        .route(
            "/etablissements/{id}/base-de-connaissances/suggestions",
            get(suggestions),
        )
        .route(
            "/etablissements/{id}/base-de-connaissances/{aid}",
            get(article),
        )
        .route(
            "/etablissements/{id}/base-de-connaissances/{aid}/modifier",
            get(edit_form).post(update),
        )
        .route(
            "/etablissements/{id}/base-de-connaissances/{aid}/publication",
            post(publication),
        )
        .route(
            "/etablissements/{id}/base-de-connaissances/{aid}/supprimer",
            post(delete),
        )
}

/// An article id from the path: anything else is not found.
fn article_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

/// The label of a category code.
pub fn category_label(tr: Tr, code: &str) -> String {
    tr.t(&format!("kb-category-{}", code.replace('_', "-")))
}

fn date(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%d/%m/%Y").to_string()
}

// --------------------------------------------------------------------- list

/// "No article", "1 article", "N articles". The key is chosen here: the
/// catalogues receive numbers as text, which Fluent's plural selectors do
/// not match.
fn count_label(tr: Tr, n: u64) -> String {
    match n {
        0 => tr.t("kb-count-none"),
        1 => tr.t("kb-count-one"),
        n => tr.t_args("kb-count-many", &[("count", n.to_string())]),
    }
}

/// `?q=&categorie=&tri=&ordre=&page=`
#[derive(serde::Deserialize, Default)]
pub struct KbQuery {
    page: Option<u64>,
    q: Option<String>,
    categorie: Option<String>,
    tri: Option<String>,
    ordre: Option<String>,
}

fn cut(s: &Option<String>, n: usize) -> String {
    s.as_deref().unwrap_or("").trim().chars().take(n).collect()
}

pub struct ArticleLine {
    pub href: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub updated: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "kb/list.html")]
struct ListPage {
    page: Page,
    heading: String,
    can_manage: bool,
    new_href: String,
    action: String,
    q: String,
    categories: Vec<Opt>,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<ArticleLine>,
    pager: Pager,
}

fn category_options(tr: Tr, all_key: &str, current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t(all_key), current)];
    v.extend(
        kb::CATEGORIES
            .iter()
            .map(|c| Opt::new(*c, category_label(tr, c), current)),
    );
    v
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(kq): Query<KbQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let title_sort = kq.tri.as_deref() == Some("titre");
    let tri = if title_sort { "titre" } else { "maj" };
    // The natural order: titles A→Z, the most recently updated first.
    let reverse = matches!(
        (title_sort, kq.ordre.as_deref()),
        (true, Some("desc")) | (false, Some("asc"))
    );
    let page = kq.page.unwrap_or(1).clamp(1, 100_000);
    let input = ListInput {
        q: cut(&kq.q, 100),
        category: cut(&kq.categorie, 40),
        sort: if title_sort {
            ArticleSort::Title
        } else {
            ArticleSort::Updated
        },
        reverse,
        page,
        per_page: PAGE_SIZE,
    };
    let l = kb::list(&state.db, &s.ctx, id, &input).await?;
    let base = urls::articles(id);
    let filters = format!("&q={}&categorie={}", enc(&input.q), enc(&input.category));
    let headers = [
        ("titre", "kb-col-title", "ascending", "descending", "desc"),
        ("maj", "kb-col-updated", "descending", "ascending", "asc"),
    ]
    .iter()
    .map(|(key, label, natural, reversed, flip)| {
        let active = *key == tri;
        SortHeader {
            label: tr.t(label),
            href: format!(
                "{base}?tri={key}{}{filters}",
                if active && !reverse {
                    format!("&ordre={flip}")
                } else {
                    String::new()
                }
            ),
            aria: match (active, reverse) {
                (false, _) => "none",
                (true, false) => natural,
                (true, true) => reversed,
            },
        }
    })
    .collect();
    let extra = format!(
        "&tri={tri}{}{filters}",
        match (reverse, title_sort) {
            (false, _) => "",
            (true, true) => "&ordre=desc",
            (true, false) => "&ordre=asc",
        }
    );
    let heading = tr.t_args("kb-title", &[("name", l.etab.name.clone())]);
    Ok(render(&ListPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        can_manage: l.rights.manage,
        new_href: urls::new_article(id),
        action: base.clone(),
        categories: category_options(tr, "kb-filter-all", &input.category),
        summary: count_label(tr, l.total),
        headers,
        rows: l
            .rows
            .into_iter()
            .map(|r| ArticleLine {
                href: urls::article(id, r.id),
                category: r
                    .category
                    .as_deref()
                    .map(|c| category_label(tr, c))
                    .unwrap_or_default(),
                updated: date(&r.updated_at),
                published: r.published,
                title: r.title,
                summary: r.summary,
            })
            .collect(),
        pager: Pager::new(tr, &base, &extra, input.page, l.total),
        q: input.q,
    }))
}

// ------------------------------------------------------------------ article

/// A paragraph (lines) or a list (items) of an article's body.
pub struct BlockView {
    pub list: bool,
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "kb/article.html")]
struct ArticlePage {
    page: Page,
    heading: String,
    list_href: String,
    summary: String,
    category: String,
    tags: Vec<String>,
    published: bool,
    blocks: Vec<BlockView>,
    updated: String,
    can_manage: bool,
    edit_href: String,
    publication_action: String,
    delete_action: String,
}

pub async fn article(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let aid = article_id(&aid)?;
    let tr = s.shell.tr;
    let a = kb::article(&state.db, &s.ctx, id, aid).await?;
    let art = a.article;
    let updated = match a.updated_by {
        Some(who) => tr.t_args(
            "kb-updated-by",
            &[("date", date(&art.updated_at)), ("name", who)],
        ),
        None => tr.t_args("kb-updated-on", &[("date", date(&art.updated_at))]),
    };
    Ok(render(&ArticlePage {
        page: s.shell.page_titled(art.title.clone()),
        heading: art.title.clone(),
        list_href: urls::articles(id),
        summary: art.summary.clone(),
        category: art
            .category
            .as_deref()
            .map(|c| category_label(tr, c))
            .unwrap_or_default(),
        tags: art
            .tags
            .split(", ")
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        published: art.published,
        blocks: a
            .blocks
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(lines) => BlockView { list: false, lines },
                Block::List(lines) => BlockView { list: true, lines },
            })
            .collect(),
        updated,
        can_manage: a.rights.manage,
        edit_href: urls::edit(id, aid),
        publication_action: urls::publication(id, aid),
        delete_action: urls::delete(id, aid),
    }))
}

// -------------------------------------------------------------------- forms

#[derive(serde::Deserialize, Default)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    published: Option<String>,
}

impl From<ArticleForm> for ArticleInput {
    fn from(f: ArticleForm) -> Self {
        ArticleInput {
            title: f.title,
            summary: f.summary,
            body: f.body,
            category: f.category,
            tags: f.tags,
            published: f.published.is_some_and(|v| !v.is_empty() && v != "0"),
        }
    }
}

#[derive(Template)]
#[template(path = "kb/form.html")]
struct FormPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    input: ArticleInput,
    categories: Vec<Opt>,
    errors: FormErrors,
}

fn form_page(
    s: &SignedIn,
    heading: String,
    action: String,
    cancel_href: String,
    input: ArticleInput,
    errors: FormErrors,
) -> FormPage {
    let tr = s.shell.tr;
    FormPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action,
        cancel_href,
        categories: category_options(tr, "kb-category-none", &input.category),
        input,
        errors,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    kb::for_create(&state.db, &s.ctx, id).await?;
    let p = form_page(
        &s,
        s.shell.tr.t("kb-new-title"),
        urls::new_article(id),
        urls::articles(id),
        ArticleInput {
            published: true,
            ..Default::default()
        },
        FormErrors::default(),
    );
    Ok(render(&p))
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<ArticleForm>,
) -> Result<Response, PageError> {
    let input: ArticleInput = f.into();
    match kb::create(&state.db, &s.ctx, id, &input).await {
        Ok(a) => Ok(done(&urls::article(id, a.id), "kb-cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = form_page(
                &s,
                s.shell.tr.t("kb-new-title"),
                urls::new_article(id),
                urls::articles(id),
                input,
                errors,
            );
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let aid = article_id(&aid)?;
    let (_, a) = kb::for_edit(&state.db, &s.ctx, id, aid).await?;
    let heading = s
        .shell
        .tr
        .t_args("kb-edit-title", &[("title", a.title.clone())]);
    let p = form_page(
        &s,
        heading,
        urls::edit(id, aid),
        urls::article(id, aid),
        ArticleInput::of(&a),
        FormErrors::default(),
    );
    Ok(render(&p))
}

pub async fn update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
    Form(f): Form<ArticleForm>,
) -> Result<Response, PageError> {
    let aid = article_id(&aid)?;
    let input: ArticleInput = f.into();
    match kb::update(&state.db, &s.ctx, id, aid, &input).await {
        Ok(_) => Ok(done(&urls::article(id, aid), "enregistre")),
        Err(e) => {
            let tr = s.shell.tr;
            let errors = field_errors(tr, e)?;
            let (_, a) = kb::for_edit(&state.db, &s.ctx, id, aid).await?;
            let heading = tr.t_args("kb-edit-title", &[("title", a.title)]);
            let p = form_page(
                &s,
                heading,
                urls::edit(id, aid),
                urls::article(id, aid),
                input,
                errors,
            );
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PublicationForm {
    #[serde(default)]
    published: String,
}

pub async fn publication(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
    Form(f): Form<PublicationForm>,
) -> Result<Response, PageError> {
    let aid = article_id(&aid)?;
    let published = match f.published.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(PageError::BadRequest),
    };
    kb::set_published(&state.db, &s.ctx, id, aid, published).await?;
    Ok(done(
        &urls::article(id, aid),
        if published { "kb-publie" } else { "kb-retire" },
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let aid = article_id(&aid)?;
    kb::delete(&state.db, &s.ctx, id, aid).await?;
    Ok(done(&urls::articles(id), "kb-supprime"))
}

// -------------------------------------------------------------- suggestions

#[derive(serde::Deserialize, Default)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

pub struct SuggestionLine {
    pub href: String,
    pub title: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "kb/suggestions.html")]
struct SuggestionsFragment {
    heading: String,
    items: Vec<SuggestionLine>,
}

#[derive(serde::Serialize)]
struct SuggestionJson {
    id: Uuid,
    title: String,
    summary: String,
    category: Option<String>,
    url: String,
    /// Words of the query found in the article, and how many in its title.
    matched: usize,
    in_title: usize,
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// The suggestions for `q`: a short list of published articles, as an
/// HTML fragment for `#kb-suggestions` or as JSON.
pub async fn suggestions(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Query(sq): Query<SuggestQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let found = kb::suggest(&state.db, &s.ctx, id, &sq.q).await?;
    let vary = [
        (header::VARY, "Accept"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    if wants_json(&headers) {
        let items: Vec<SuggestionJson> = found
            .into_iter()
            .map(|a| SuggestionJson {
                url: urls::article(id, a.id),
                id: a.id,
                title: a.title,
                summary: a.summary,
                category: a.category,
                matched: a.matched,
                in_title: a.in_title,
            })
            .collect();
        return Ok((vary, Json(serde_json::json!({ "suggestions": items }))).into_response());
    }
    let fragment = SuggestionsFragment {
        heading: match found.len() {
            1 => tr.t("kb-suggestions-one"),
            n => tr.t_args("kb-suggestions-many", &[("count", n.to_string())]),
        },
        items: found
            .into_iter()
            .map(|a| SuggestionLine {
                href: urls::article(id, a.id),
                title: a.title,
                summary: a.summary,
            })
            .collect(),
    };
    match fragment.render() {
        Ok(html) => Ok((vary, Html(html)).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "suggestions fragment rendering failed");
            Err(PageError::Internal)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_category_has_a_label() {
        for lang in [Lang::Fr, Lang::En] {
            let tr = Tr(lang);
            for c in kb::CATEGORIES {
                let key = format!("kb-category-{}", c.replace('_', "-"));
                assert!(tr.has(&key), "{key}");
            }
        }
    }
}
