//! The directory pages of a school: overview (counts, freshness of each
//! source, last imports, rollover), classes, one class, staff, pupils and
//! one person. The service asks the policy; these handlers only render.

use super::etabs::SortHeader;
use super::filtres::rows_per_page;
use super::{SignedIn, Stat, When, done, fmt_time, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use refnum_services::annuaire::pages::{self, ListInput, PeopleSort};
use uuid::Uuid;

mod classes;
mod personnes;

use classes::{class, classes};
use personnes::{person, pupils, staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/annuaire", get(overview))
        .route("/etablissements/{id}/annuaire/rentree", post(rollover))
        .route(
            "/etablissements/{id}/annuaire/conservation",
            post(purge_delay),
        )
        .route("/etablissements/{id}/annuaire/classes", get(classes))
        .route("/etablissements/{id}/annuaire/classes/{sid}", get(class))
        .route("/etablissements/{id}/annuaire/personnels", get(staff))
        .route("/etablissements/{id}/annuaire/eleves", get(pupils))
        .route("/etablissements/{id}/annuaire/personnes/{pid}", get(person))
}

/// One link of the directory's own navigation.
pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

fn tabs(tr: Tr, id: Uuid, current: &str, pupils: bool) -> Vec<Tab> {
    let mut items = vec![
        ("", urls::annuaire_overview(id), "dir-tab-overview"),
        ("classes", urls::annuaire_classes(id), "dir-tab-classes"),
        ("personnels", urls::annuaire_staff(id), "dir-tab-staff"),
    ];
    if pupils {
        items.push(("eleves", urls::annuaire_pupils(id), "dir-tab-pupils"));
    }
    items
        .into_iter()
        .map(|(key, href, label)| Tab {
            href,
            label: tr.t(label),
            current: key == current,
        })
        .collect()
}

fn date(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn source_label(tr: Tr, source: &str) -> String {
    let key = format!("dir-source-{source}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        source.to_string()
    }
}

/// `?page=&q=&tri=&ordre=&fonction=&discipline=&classe=&partis=&archives=`
#[derive(serde::Deserialize, Default)]
pub struct DirQuery {
    page: Option<u64>,
    q: Option<String>,
    tri: Option<String>,
    ordre: Option<String>,
    fonction: Option<String>,
    discipline: Option<String>,
    classe: Option<String>,
    partis: Option<String>,
    archives: Option<String>,
    /// Rows per page: 25, 50 (default) or 100.
    lignes: Option<String>,
}

fn cut(s: &Option<String>) -> String {
    s.as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(100)
        .collect()
}

impl DirQuery {
    fn page(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, 100_000)
    }
    fn flag(v: &Option<String>) -> bool {
        v.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
    }
    fn desc(&self) -> bool {
        self.ordre.as_deref() == Some("desc")
    }
    fn tri(&self, allowed: &[&str]) -> String {
        let t = cut(&self.tri);
        if allowed.contains(&t.as_str()) {
            t
        } else {
            "nom".into()
        }
    }
    fn input(&self, sort: PeopleSort) -> ListInput {
        ListInput {
            q: cut(&self.q),
            function: cut(&self.fonction),
            discipline: cut(&self.discipline),
            class: cut(&self.classe),
            include_left: Self::flag(&self.partis),
            sort,
            desc: self.desc(),
            page: self.page(),
            per_page: rows_per_page(&self.lignes),
        }
    }
}

fn sort_of(tri: &str) -> PeopleSort {
    match tri {
        "classe" => PeopleSort::Class,
        "naissance" => PeopleSort::BirthDate,
        "source" => PeopleSort::Source,
        _ => PeopleSort::Name,
    }
}

/// The sortable headers of a list; `filters` is the query string of the
/// current filters (without page and sort).
fn sort_headers(
    tr: Tr,
    base: &str,
    filters: &str,
    tri: &str,
    desc: bool,
    columns: &[(&str, &str)],
) -> Vec<SortHeader> {
    columns
        .iter()
        .map(|(key, label)| {
            let active = *key == tri;
            SortHeader {
                label: tr.t(label),
                href: format!(
                    "{base}?tri={key}{}{filters}",
                    if active && !desc { "&ordre=desc" } else { "" }
                ),
                aria: match (active, desc) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect()
}

/// A `<select>` option.
pub type Choice = super::Opt;

fn choices(tr: Tr, all_key: &str, items: Vec<(String, String)>, current: &str) -> Vec<Choice> {
    let mut v = vec![Choice {
        value: String::new(),
        label: tr.t(all_key),
        selected: current.is_empty(),
    }];
    v.extend(items.into_iter().map(|(value, label)| Choice {
        selected: value == current,
        value,
        label,
    }));
    v
}

// ----------------------------------------------------------------- overview

pub struct FreshRow {
    pub source: String,
    pub never: bool,
    pub last: When,
    pub exported: String,
    pub year: String,
    pub age: String,
    pub stale: bool,
}

pub struct ImportRow {
    pub when: When,
    pub source: String,
    pub status: String,
    pub files: String,
    pub year: String,
    pub changes: String,
    pub who: String,
}

#[derive(Template)]
#[template(path = "annuaire/index.html")]
struct OverviewPage {
    page: Page,
    heading: String,
    etab_id: Uuid,
    tabs: Vec<Tab>,
    stats: Vec<Stat>,
    fresh: Vec<FreshRow>,
    stale_note: String,
    imports: Vec<ImportRow>,
    can_manage: bool,
    can_pupils: bool,
    import_href: String,
    rollover_action: String,
    year: String,
    rollover_explain: String,
    purge_note: String,
    may_set_purge: bool,
    purge_action: String,
    purge_days: String,
    errors: FormErrors,
}

/// What a failed form gives back to the overview.
#[derive(Default)]
struct OverviewForms {
    year: Option<String>,
    purge_days: Option<String>,
    errors: FormErrors,
}

async fn overview_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    forms: OverviewForms,
) -> Result<OverviewPage, PageError> {
    let tr = s.shell.tr;
    let o = pages::overview(&state.db, &s.ctx, id).await?;
    let stat = |n: u64, label: &str, href: Option<String>| Stat {
        value: n.to_string(),
        label: tr.t(label),
        link: tr.t("see-list"),
        href,
    };
    let stats = vec![
        stat(
            o.counts.staff,
            "dir-count-staff",
            Some(urls::annuaire_staff(id)),
        ),
        stat(
            o.counts.pupils,
            "dir-count-pupils",
            o.rights.pupils.then(|| urls::annuaire_pupils(id)),
        ),
        stat(o.counts.guardians, "dir-count-guardians", None),
        stat(
            o.counts.divisions,
            "dir-count-divisions",
            Some(urls::annuaire_classes(id)),
        ),
        stat(
            o.counts.groups,
            "dir-count-groups",
            Some(urls::annuaire_classes(id)),
        ),
    ];
    let fresh = o
        .freshness
        .iter()
        .map(|f| FreshRow {
            source: source_label(tr, f.source.as_str()),
            never: f.last_applied_at.is_none(),
            last: f
                .last_applied_at
                .map(|t| fmt_time(tr, &t))
                .unwrap_or_default(),
            exported: f.exported_on.as_ref().map(date).unwrap_or_default(),
            year: f.school_year.map(pages::year_label).unwrap_or_default(),
            age: f
                .age_days
                .map(|d| tr.t_args("dir-age-days", &[("days", d.to_string())]))
                .unwrap_or_default(),
            stale: f.stale,
        })
        .collect();
    let imports = o
        .imports
        .into_iter()
        .map(|i| ImportRow {
            when: fmt_time(tr, &i.at),
            source: source_label(tr, &i.source),
            status: {
                let key = format!("dir-import-status-{}", i.status);
                if tr.has(&key) { tr.t(&key) } else { i.status }
            },
            files: i.files.join(", "),
            year: i.school_year.map(pages::year_label).unwrap_or_default(),
            changes: i.changes.map(|n| n.to_string()).unwrap_or_default(),
            who: i.who.unwrap_or_else(|| tr.t("dir-import-who-system")),
        })
        .collect();
    let heading = tr.t_args("dir-title", &[("name", o.etab.name.clone())]);
    Ok(OverviewPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        etab_id: id,
        tabs: tabs(tr, id, "", o.rights.pupils),
        stats,
        fresh,
        stale_note: tr.t_args("dir-stale-note", &[("days", o.stale_days.to_string())]),
        imports,
        can_manage: o.rights.manage,
        can_pupils: o.rights.pupils,
        import_href: urls::annuaire_import(id),
        rollover_action: urls::annuaire_rollover(id),
        year: forms.year.unwrap_or_else(|| o.next_year.to_string()),
        rollover_explain: tr.t("dir-rollover-explain"),
        purge_note: tr.t_args("dir-purge-note", &[("days", o.purge_days.to_string())]),
        may_set_purge: o.may_set_purge,
        purge_action: urls::annuaire_purge_delay(id),
        purge_days: forms.purge_days.unwrap_or_else(|| o.purge_days.to_string()),
        errors: forms.errors,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let p = overview_page(&state, &s, id, OverviewForms::default()).await?;
    Ok(render(&p))
}

#[derive(serde::Deserialize)]
pub struct RolloverForm {
    #[serde(default)]
    year: String,
}

pub async fn rollover(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<RolloverForm>,
) -> Result<Response, PageError> {
    match pages::rollover(&state.db, &s.ctx, id, &f.year).await {
        Ok(_) => Ok(done(&urls::annuaire_overview(id), "annee-basculee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let forms = OverviewForms {
                year: Some(f.year.chars().take(10).collect()),
                errors,
                ..Default::default()
            };
            let p = overview_page(&state, &s, id, forms).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize)]
pub struct PurgeForm {
    #[serde(default)]
    purge_days: String,
}

pub async fn purge_delay(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<PurgeForm>,
) -> Result<Response, PageError> {
    match pages::set_purge_days(&state.db, &s.ctx, id, &f.purge_days).await {
        Ok(_) => Ok(done(
            &urls::annuaire_overview(id),
            "conservation-enregistree",
        )),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let forms = OverviewForms {
                purge_days: Some(f.purge_days.chars().take(10).collect()),
                errors,
                ..Default::default()
            };
            let p = overview_page(&state, &s, id, forms).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
