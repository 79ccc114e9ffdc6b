//! Knowledge base: short articles the referent writes (known fixes,
//! how-tos), read by the school's staff and the providers serving it, and
//! suggested while a ticket's title is typed.
//!
//! Reading asks the policy for `ReadKnowledge` (unpublished articles are
//! for those who may write); writing for `ManageKnowledge`. Every write goes
//! with its audit event in the same transaction.

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{DateTime, Utc};
use refnum_db::Db;
use refnum_db::entities::{etablissement, kb_article};
use refnum_db::kb::{self as q, ArticleFilter};
use refnum_domain::policy::{self, Decision, EtabAction};
use refnum_domain::search::fold;
use uuid::Uuid;

pub use refnum_db::kb::{ArticleRow, ArticleSort};

/// The categories an article may carry: the ticket categories, so that an
/// article and the tickets it answers speak the same language.
pub const CATEGORIES: [&str; 16] = [
    "desktop",
    "laptop",
    "tablet",
    "interactive_display",
    "projector",
    "visualiser",
    "printer",
    "wifi_access_point",
    "switch",
    "server",
    "mobile_cart",
    "network",
    "ent",
    "account",
    "software",
    "other",
];

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 300;
pub const BODY_MAX: usize = 20_000;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 10;
/// How many articles a suggestion list shows.
pub const SUGGESTIONS: usize = 5;
/// Words of a query shorter than this are ignored by the suggestions.
pub const MIN_WORD: usize = 3;
/// How many articles the suggestions rank at most (the most recent ones
/// matching any word).
const CANDIDATES: u64 = 200;
/// Words of a query taken into account.
const MAX_WORDS: usize = 8;

/// Frequent words that say nothing about a fault (folded).
const STOP_WORDS: [&str; 34] = [
    "les", "des", "une", "est", "pas", "plus", "sur", "par", "pour", "dans", "avec", "que", "qui",
    "quoi", "mon", "mes", "ton", "tes", "son", "ses", "nos", "vos", "leur", "aux", "elle", "ils",
    "nous", "vous", "ont", "tout", "the", "and", "not", "does",
];

/// What the caller may do besides reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rights {
    /// Write, publish, unpublish and delete articles; see the drafts.
    pub manage: bool,
}

async fn open(db: &Db, ctx: &Ctx, id: Uuid) -> Result<(etablissement::Model, Rights)> {
    let (etab, facts) =
        crate::orgs::etab_with_facts(db, ctx, id, EtabAction::ReadKnowledge).await?;
    let manage = policy::decide(&ctx.actor, EtabAction::ManageKnowledge, &facts) == Decision::Allow;
    Ok((etab, Rights { manage }))
}

async fn open_manage(db: &Db, ctx: &Ctx, id: Uuid) -> Result<etablissement::Model> {
    crate::orgs::etab_for(db, ctx, id, EtabAction::ManageKnowledge).await
}

/// The first words of a search that `keep` keeps, folded (accents, case),
/// split on anything that is not a letter or a digit, without repeats.
fn words_where(q: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let q: String = q.chars().take(200).collect();
    let mut out: Vec<String> = vec![];
    for w in fold(&q).split(|c: char| !c.is_alphanumeric()) {
        if out.len() == MAX_WORDS {
            break;
        }
        if !w.is_empty() && keep(w) && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// The words of a list search (every one must be found).
pub fn words_of(q: &str) -> Vec<String> {
    words_where(q, |_| true)
}

/// The words the suggestions look for: at least three letters, not one of
/// the frequent words.
pub fn suggestion_words(q: &str) -> Vec<String> {
    words_where(q, |w| {
        w.chars().count() >= MIN_WORD && !STOP_WORDS.contains(&w)
    })
}

// --------------------------------------------------------------------- list

#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub q: String,
    /// A category code, or empty for all.
    pub category: String,
    pub sort: ArticleSort,
    pub reverse: bool,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

pub struct Listing {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub rows: Vec<ArticleRow>,
    pub total: u64,
}

pub async fn list(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &ListInput) -> Result<Listing> {
    let (etab, rights) = open(db, ctx, etab_id).await?;
    let category = CATEGORIES
        .iter()
        .find(|c| **c == input.category)
        .map(|c| (*c).to_string());
    let filter = ArticleFilter {
        words: words_of(&input.q),
        category,
        published_only: !rights.manage,
        sort: input.sort,
        reverse: input.reverse,
        page: input.page.saturating_sub(1),
        per_page: input.per_page.clamp(1, 200),
    };
    let (rows, total) = q::list(&db.conn, etab.id, &filter).await?;
    Ok(Listing {
        etab,
        rights,
        rows,
        total,
    })
}

// ------------------------------------------------------------------ article

/// A part of an article's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The lines of a paragraph.
    Paragraph(Vec<String>),
    /// The items of a `- ` list.
    List(Vec<String>),
}

/// Splits a plain-text body into paragraphs (separated by blank lines) and
/// lists (lines starting with `- ` or `* `; an indented line continues the
/// item above). Text only: the page escapes it.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut out = vec![];
    let mut para: Vec<String> = vec![];
    let mut items: Vec<String> = vec![];
    fn flush(out: &mut Vec<Block>, para: &mut Vec<String>, items: &mut Vec<String>) {
        if !para.is_empty() {
            out.push(Block::Paragraph(std::mem::take(para)));
        }
        if !items.is_empty() {
            out.push(Block::List(std::mem::take(items)));
        }
    }
    for raw in body.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            flush(&mut out, &mut para, &mut items);
            continue;
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| (trimmed == "-" || trimmed == "*").then_some(""));
        if let Some(item) = item {
            if !para.is_empty() {
                out.push(Block::Paragraph(std::mem::take(&mut para)));
            }
            items.push(item.trim().to_string());
        } else if !items.is_empty() && line.starts_with([' ', '\t']) {
            if let Some(last) = items.last_mut() {
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(trimmed);
            }
        } else {
            if !items.is_empty() {
                out.push(Block::List(std::mem::take(&mut items)));
            }
            para.push(trimmed.to_string());
        }
    }
    flush(&mut out, &mut para, &mut items);
    out
}

pub struct ArticlePage {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub article: kb_article::Model,
    pub blocks: Vec<Block>,
    /// Who last changed it, if the account still exists.
    pub updated_by: Option<String>,
}

/// One article; a draft is not found by whoever may not write.
pub async fn article(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<ArticlePage> {
    let (etab, rights) = open(db, ctx, etab_id).await?;
    let Some(article) = q::get(&db.conn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    if !article.published && !rights.manage {
        return Err(ServiceError::NotFound);
    }
    let updated_by = match article.updated_by.or(article.created_by) {
        Some(a) => refnum_db::accounts::get(&db.conn, a)
            .await?
            .map(|a| a.display_name),
        None => None,
    };
    Ok(ArticlePage {
        blocks: blocks(&article.body),
        etab,
        rights,
        article,
        updated_by,
    })
}

/// An article to edit (writers only).
pub async fn for_edit(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
) -> Result<(etablissement::Model, kb_article::Model)> {
    let etab = open_manage(db, ctx, etab_id).await?;
    match q::get(&db.conn, etab.id, id).await? {
        Some(a) => Ok((etab, a)),
        None => Err(ServiceError::NotFound),
    }
}

/// The school of the form that creates an article (writers only).
pub async fn for_create(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<etablissement::Model> {
    open_manage(db, ctx, etab_id).await
}

// ------------------------------------------------------------------- writes

/// What the article form sends.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    pub published: bool,
}

impl ArticleInput {
    pub fn of(a: &kb_article::Model) -> ArticleInput {
        ArticleInput {
            title: a.title.clone(),
            summary: a.summary.clone(),
            body: a.body.clone(),
            category: a.category.clone().unwrap_or_default(),
            tags: a.tags.clone(),
            published: a.published,
        }
    }
}

struct Valid {
    title: String,
    summary: String,
    body: String,
    category: Option<String>,
    tags: String,
    published: bool,
}

/// One line: runs of white space (new lines included) become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn validate(input: &ArticleInput) -> Result<Valid> {
    let mut errors = vec![];
    let mut err = |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
    let title = one_line(&input.title);
    if title.is_empty() {
        err("title", "kb-error-title-required");
    } else if title.chars().count() > TITLE_MAX {
        err("title", "kb-error-title-too-long");
    }
    let summary = one_line(&input.summary);
    if summary.chars().count() > SUMMARY_MAX {
        err("summary", "kb-error-summary-too-long");
    }
    let body = input.body.replace("\r\n", "\n").replace('\r', "\n");
    let body = body.trim_end().trim_start_matches('\n').to_string();
    if body.trim().is_empty() {
        err("body", "kb-error-body-required");
    } else if body.chars().count() > BODY_MAX {
        err("body", "kb-error-body-too-long");
    }
    let category = match input.category.trim() {
        "" => None,
        c => match CATEGORIES.iter().find(|k| **k == c) {
            Some(k) => Some((*k).to_string()),
            None => {
                err("category", "kb-error-category");
                None
            }
        },
    };
    let mut tags: Vec<String> = vec![];
    for t in input.tags.split([',', ';', '\n']) {
        let t = one_line(t);
        if t.is_empty() || tags.iter().any(|o| fold(o) == fold(&t)) {
            continue;
        }
        tags.push(t);
    }
    if tags.len() > TAGS_MAX || tags.iter().any(|t| t.chars().count() > TAG_MAX) {
        err("tags", "kb-error-tags");
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(Valid {
        title,
        summary,
        body,
        category,
        tags: tags.join(", "),
        published: input.published,
    })
}

fn search_text(v: &Valid) -> String {
    refnum_domain::search::text_of(&[&v.title, &v.summary, &v.tags, &v.body])
}

fn target(id: Uuid) -> String {
    format!("kb_article:{id}")
}

/// Creates an article; returns it.
pub async fn create(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &ArticleInput,
) -> Result<kb_article::Model> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let v = validate(input)?;
    insert_article(db, &Who::of(ctx), etab.id, v).await
}

async fn insert_article(db: &Db, who: &Who, etab: Uuid, v: Valid) -> Result<kb_article::Model> {
    let now = Utc::now();
    let m = kb_article::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab,
        search_text: search_text(&v),
        title: v.title,
        summary: v.summary,
        body: v.body,
        category: v.category,
        tags: v.tags,
        published: v.published,
        created_by: who.account_id,
        updated_by: who.account_id,
        created_at: now,
        updated_at: now,
    };
    let txn = db.write().await?;
    q::insert(&*txn, m.clone()).await?;
    audit::record(
        &*txn,
        Event {
            who,
            action: "kb.article_created",
            target: target(m.id),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({
                "title": m.title,
                "category": m.category,
                "published": m.published,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Saves an article's new content.
pub async fn update(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &ArticleInput,
) -> Result<kb_article::Model> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let v = validate(input)?;
    let txn = db.write().await?;
    let Some(before) = q::get(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let m = kb_article::Model {
        search_text: search_text(&v),
        title: v.title,
        summary: v.summary,
        body: v.body,
        category: v.category,
        tags: v.tags,
        published: v.published,
        updated_by: Some(ctx.account.id),
        updated_at: Utc::now(),
        ..before.clone()
    };
    q::update(&*txn, m.clone()).await?;
    let mut changed = vec![];
    for (name, differs) in [
        ("title", before.title != m.title),
        ("summary", before.summary != m.summary),
        ("body", before.body != m.body),
        ("category", before.category != m.category),
        ("tags", before.tags != m.tags),
        ("published", before.published != m.published),
    ] {
        if differs {
            changed.push(name);
        }
    }
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "kb.article_updated",
            target: target(id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "title": m.title, "changed": changed }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Publishes or withdraws an article (a withdrawn article is kept, seen by
/// writers only, and never suggested).
pub async fn set_published(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    published: bool,
) -> Result<kb_article::Model> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let txn = db.write().await?;
    let Some(before) = q::get(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    if before.published == published {
        return Ok(before);
    }
    let m = kb_article::Model {
        published,
        updated_by: Some(ctx.account.id),
        updated_at: Utc::now(),
        ..before
    };
    q::update(&*txn, m.clone()).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: if published {
                "kb.article_published"
            } else {
                "kb.article_unpublished"
            },
            target: target(id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "title": m.title }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Deletes an article for good.
pub async fn delete(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<()> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let txn = db.write().await?;
    let Some(before) = q::get(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    q::delete(&*txn, etab.id, id).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "kb.article_deleted",
            target: target(id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "title": before.title }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// -------------------------------------------------------------- suggestions

/// A suggested article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub category: Option<String>,
    /// Words of the query found in the article.
    pub matched: usize,
    /// Of which, in its title.
    pub in_title: usize,
}

/// Ranks articles by how many words of the query they hold, then by how
/// many of them are in the title, then the most recent first; keeps the
/// first [`SUGGESTIONS`].
pub fn rank(candidates: Vec<q::Candidate>, words: &[String]) -> Vec<Suggestion> {
    let mut scored: Vec<(Suggestion, DateTime<Utc>)> = candidates
        .into_iter()
        .filter_map(|c| {
            let title = fold(&c.title);
            let matched = words
                .iter()
                .filter(|w| c.search_text.contains(w.as_str()))
                .count();
            let in_title = words.iter().filter(|w| title.contains(w.as_str())).count();
            (matched > 0).then_some((
                Suggestion {
                    id: c.id,
                    title: c.title,
                    summary: c.summary,
                    category: c.category,
                    matched,
                    in_title,
                },
                c.updated_at,
            ))
        })
        .collect();
    scored.sort_by(|(a, at), (b, bt)| {
        b.matched
            .cmp(&a.matched)
            .then(b.in_title.cmp(&a.in_title))
            .then(bt.cmp(at))
            .then(a.id.cmp(&b.id))
    });
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(s, _)| s)
        .collect()
}

/// The published articles of a school that may answer what is being typed.
pub async fn suggest(db: &Db, ctx: &Ctx, etab_id: Uuid, query: &str) -> Result<Vec<Suggestion>> {
    let etab = crate::orgs::etab_for(db, ctx, etab_id, EtabAction::ReadKnowledge).await?;
    let words = suggestion_words(query);
    if words.is_empty() {
        return Ok(vec![]);
    }
    let candidates = q::suggestion_candidates(&db.conn, etab.id, &words, CANDIDATES).await?;
    Ok(rank(candidates, &words))
}

// --------------------------------------------------------------------- demo

/// The demo articles: (title, summary, category, tags, body).
const DEMO: [(&str, &str, &str, &str, &str); 5] = [
    (
        "Vidéoprojecteur : « Pas de signal »",
        "Le vidéoprojecteur s'allume mais affiche « Pas de signal » ou un écran bleu.",
        "projector",
        "vidéoprojecteur, HDMI, affichage",
        "Dans la plupart des cas, le vidéoprojecteur ne reçoit rien de l'ordinateur : \
         ce n'est pas une panne.\n\n\
         - Vérifiez que le câble HDMI (ou VGA) est bien branché des deux côtés, et sur la \
         bonne prise murale.\n\
         - Appuyez sur le bouton « Source » (ou « Input ») de la télécommande jusqu'à voir \
         l'image.\n\
         - Sur l'ordinateur, appuyez sur Windows + P et choisissez « Dupliquer ».\n\
         - Éteignez puis rallumez le vidéoprojecteur en attendant la fin du refroidissement \
         (le voyant cesse de clignoter).\n\n\
         Si l'image n'apparaît toujours pas, signalez la panne en précisant la salle et le \
         message affiché.",
    ),
    (
        "Imprimante bloquée : bourrage ou file d'attente",
        "L'imprimante n'imprime plus : bourrage papier ou documents coincés dans la file.",
        "printer",
        "imprimante, bourrage, papier, file d'impression",
        "Regardez d'abord l'écran de l'imprimante : il indique souvent où se trouve le \
         papier coincé.\n\n\
         - Ouvrez les trappes indiquées et retirez doucement la feuille, dans le sens du \
         papier, sans la déchirer.\n\
         - Vérifiez que le bac n'est pas trop rempli et que le papier n'est pas humide.\n\
         - Si rien ne sort sans message d'erreur, ouvrez la file d'attente sur votre poste \
         et annulez vos documents en erreur, puis relancez une seule impression.\n\n\
         Ne forcez jamais sur une pièce : en cas de doute, signalez la panne avec le numéro \
         d'inventaire collé sur l'imprimante.",
    ),
    (
        "Mot de passe ENT oublié",
        "Retrouver l'accès à l'ENT quand le mot de passe est oublié ou le compte bloqué.",
        "ent",
        "ENT, mot de passe, compte, connexion",
        "Sur la page de connexion de l'ENT, choisissez « Mot de passe oublié » : un lien \
         est envoyé à l'adresse de messagerie enregistrée dans votre compte.\n\n\
         - Le lien n'est valable que peu de temps : utilisez-le tout de suite.\n\
         - Après plusieurs essais manqués, le compte est bloqué quelques minutes : \
         patientez avant de réessayer.\n\
         - Pour un élève, le professeur principal ou le référent numérique peut \
         réinitialiser le mot de passe depuis la console d'administration.\n\n\
         Ne communiquez jamais votre mot de passe, même au référent : il n'en a pas besoin \
         pour vous aider.",
    ),
    (
        "Wi-Fi élèves : se connecter au réseau pédagogique",
        "Connecter une tablette ou un ordinateur portable au Wi-Fi réservé aux élèves.",
        "network",
        "wifi, réseau, tablette, élèves",
        "Le réseau des élèves est distinct de celui des personnels ; il n'est ouvert \
         qu'aux appareils de l'établissement.\n\n\
         - Choisissez le réseau affiché sur l'étiquette du chariot mobile.\n\
         - Saisissez l'identifiant et le mot de passe de l'ENT de l'élève.\n\
         - Si l'appareil se connecte sans accès à Internet, désactivez puis réactivez le \
         Wi-Fi, ou redémarrez l'appareil.\n\n\
         Si toute une salle n'a plus de réseau, il s'agit sans doute de la borne : \
         signalez-le en indiquant la salle et l'heure.",
    ),
    (
        "TNI : recalibrer le tableau numérique",
        "Le stylet écrit à côté du point touché sur le tableau numérique interactif.",
        "interactive_display",
        "TNI, TBI, calibrage, stylet",
        "Un décalage entre le stylet et le trait vient presque toujours d'un \
         vidéoprojecteur déplacé ou d'une résolution d'écran changée.\n\n\
         - Vérifiez que l'ordinateur est bien en résolution recommandée (souvent \
         1280 × 800 ou 1920 × 1080).\n\
         - Ouvrez le logiciel du tableau, menu « Calibrer » (ou « Orienter »), et touchez \
         chaque cible au centre avec le stylet.\n\
         - Remplacez les piles du stylet s'il ne répond plus qu'à moitié.\n\n\
         Si le décalage revient chaque jour, le vidéoprojecteur bouge : signalez-le pour \
         qu'il soit refixé.",
    ),
];

/// Writes the demo articles in a school that has none yet; returns how many
/// were written.
pub async fn seed_demo(db: &Db, etab_id: Uuid) -> Result<u64> {
    if q::count(&db.conn, etab_id, false).await? > 0 {
        return Ok(0);
    }
    let who = Who::system("demo");
    let mut n = 0;
    for (title, summary, category, tags, body) in DEMO {
        let v = validate(&ArticleInput {
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            category: category.into(),
            tags: tags.into(),
            published: true,
        })?;
        insert_article(db, &who, etab_id, v).await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_paragraphs_and_lists() {
        let b = blocks(
            "Premier paragraphe\nsur deux lignes.\n\n- un\n- deux\n  suite de deux\n* trois\nAprès la liste.\n\n\n",
        );
        assert_eq!(
            b,
            vec![
                Block::Paragraph(vec!["Premier paragraphe".into(), "sur deux lignes.".into()]),
                Block::List(vec![
                    "un".into(),
                    "deux suite de deux".into(),
                    "trois".into()
                ]),
                Block::Paragraph(vec!["Après la liste.".into()]),
            ]
        );
        assert!(blocks(" \n\n").is_empty());
    }

    #[test]
    fn suggestion_words_are_folded_long_and_meaningful() {
        assert_eq!(
            suggestion_words("Le VIDÉOPROJECTEUR ne marche pas, l'écran est noir"),
            vec!["videoprojecteur", "marche", "ecran", "noir"]
        );
        assert!(suggestion_words("le la un").is_empty());
        assert_eq!(suggestion_words("wifi wifi WIFI"), vec!["wifi"]);
    }

    fn cand(title: &str, text: &str, age: i64) -> q::Candidate {
        q::Candidate {
            id: Uuid::now_v7(),
            title: title.into(),
            summary: String::new(),
            category: None,
            search_text: fold(&format!("{title} {text}")),
            updated_at: Utc::now() - chrono::Duration::days(age),
        }
    }

    #[test]
    fn more_words_first_then_title_matches_then_recent() {
        let words = suggestion_words("imprimante bourrage");
        let ranked = rank(
            vec![
                cand("Toner", "changer le toner de l'imprimante", 0),
                cand("Imprimante lente", "file d'attente", 1),
                cand("Imprimante bloquée", "bourrage papier", 5),
                cand("Papier coincé", "bourrage dans l'imprimante", 0),
                cand("Wi-Fi", "borne", 0),
            ],
            &words,
        );
        let titles: Vec<&str> = ranked.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Imprimante bloquée",
                "Papier coincé",
                "Imprimante lente",
                "Toner"
            ]
        );
        assert_eq!(ranked[0].matched, 2);
        assert_eq!(ranked[0].in_title, 1);
    }

    #[test]
    fn validation_names_each_field() {
        let e = validate(&ArticleInput {
            title: "  ".into(),
            summary: "x".repeat(SUMMARY_MAX + 1),
            body: "\n \n".into(),
            category: "toaster".into(),
            tags: (0..11)
                .map(|i| format!("t{i}"))
                .collect::<Vec<_>>()
                .join(","),
            published: true,
        })
        .err();
        let Some(ServiceError::Invalid(errs)) = e else {
            panic!("invalid expected");
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "summary", "body", "category", "tags"]);
        let long = validate(&ArticleInput {
            title: "é".repeat(TITLE_MAX + 1),
            body: "ok".into(),
            ..Default::default()
        })
        .err();
        assert!(
            matches!(long, Some(ServiceError::Invalid(e)) if e[0].key == "kb-error-title-too-long")
        );
        let ok = validate(&ArticleInput {
            title: " Titre\n sur une ligne ".into(),
            body: "Corps".into(),
            tags: "Wi-Fi, wifi, WI-FI ; réseau".into(),
            ..Default::default()
        });
        let Ok(v) = ok else { panic!("valid") };
        assert_eq!(v.title, "Titre sur une ligne");
        assert_eq!(v.tags, "Wi-Fi, wifi, réseau");
    }

    #[test]
    fn demo_articles_are_valid() {
        for (title, summary, category, tags, body) in DEMO {
            assert!(
                validate(&ArticleInput {
                    title: title.into(),
                    summary: summary.into(),
                    body: body.into(),
                    category: category.into(),
                    tags: tags.into(),
                    published: true,
                })
                .is_ok(),
                "{title}"
            );
        }
    }
}
