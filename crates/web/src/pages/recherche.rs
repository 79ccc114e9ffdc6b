//! `/recherche?q=`: the header's search box. One match leads straight to
//! it (303); several, or none, are shown on a page.

use super::{SignedIn, render};
use crate::AppState;
use crate::errors::PageError;
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use refnum_services::recherche::{self, Found};

#[derive(serde::Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

pub struct Hit {
    pub kind: String,
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "recherche/results.html")]
struct ResultsPage {
    page: Page,
    q: String,
    summary: String,
    hits: Vec<Hit>,
}

fn hit(tr: crate::i18n::Tr, f: &Found) -> Hit {
    match f {
        Found::Ticket { id, number, title } => Hit {
            kind: tr.t("search-kind-ticket"),
            label: format!("#{number} — {title}"),
            href: urls::assistance::ticket(*id),
        },
        Found::Asset {
            etab,
            id,
            number,
            model,
        } => Hit {
            kind: tr.t("search-kind-asset"),
            label: if model.is_empty() {
                number.clone()
            } else {
                format!("{number} — {model}")
            },
            href: urls::parc::asset(*etab, *id),
        },
        Found::Room { etab, id, name } => Hit {
            kind: tr.t("search-kind-room"),
            label: name.clone(),
            href: urls::parc::room(*etab, *id),
        },
        Found::Person {
            etab,
            id,
            name,
            pupil,
        } => Hit {
            kind: tr.t(if *pupil {
                "search-kind-pupil"
            } else {
                "search-kind-staff"
            }),
            label: name.clone(),
            href: urls::annuaire_person(*etab, *id),
        },
    }
}

pub async fn search(
    State(state): State<AppState>,
    s: SignedIn,
    Query(sq): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let q: String = sq.q.unwrap_or_default().trim().chars().take(100).collect();
    let found = recherche::find(&state.db, &s.ctx, &q).await?;
    let hits: Vec<Hit> = found.iter().map(|f| hit(tr, f)).collect();
    if hits.len() == 1 {
        return Ok(Redirect::to(&hits[0].href).into_response());
    }
    let summary = if q.is_empty() {
        tr.t("search-empty")
    } else {
        tr.t_args("search-count", &[("count", hits.len().to_string())])
    };
    Ok(render(&ResultsPage {
        page: s.shell.page("search-title"),
        q,
        summary,
        hits,
    }))
}
