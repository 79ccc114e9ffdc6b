//! The directory pages of a school: overview (counts, freshness of each
//! source, last imports, rollover), classes, one class, staff, pupils and
//! one person. The service asks the policy; these handlers only render.

use super::etabs::SortHeader;
use super::{PAGE_SIZE, Pager, SignedIn, Stat, When, done, enc, fmt_time, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use refnum_services::annuaire::pages::{self, ListInput, PeopleSort};
use uuid::Uuid;

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
            per_page: PAGE_SIZE,
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
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

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

// ------------------------------------------------------------------ classes

pub struct ClassView {
    pub href: String,
    pub code: String,
    pub label: String,
    pub kind: String,
    pub year: String,
    pub mefs: String,
    pub divisions: String,
    pub pupils: String,
    pub archived: bool,
}

fn class_view(tr: Tr, id: Uuid, c: pages::ClassRow) -> ClassView {
    ClassView {
        href: urls::annuaire_class(id, c.id),
        kind: tr.t(&format!("dir-structure-{}", c.kind)),
        year: pages::year_label(c.school_year),
        mefs: c.mefs.join(", "),
        divisions: c.divisions.join(", "),
        pupils: c
            .pupils
            .map(|n| n.to_string())
            .unwrap_or_else(|| "—".into()),
        label: c.label.unwrap_or_default(),
        code: c.code,
        archived: c.archived,
    }
}

#[derive(Template)]
#[template(path = "annuaire/classes.html")]
struct ClassesPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    rows: Vec<ClassView>,
    archived_shown: bool,
    toggle_href: String,
    summary: String,
}

pub async fn classes(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let archived = DirQuery::flag(&dq.archives);
    let c = pages::classes(&state.db, &s.ctx, id, archived).await?;
    let heading = tr.t_args("dir-classes-title", &[("name", c.etab.name.clone())]);
    let base = urls::annuaire_classes(id);
    Ok(render(&ClassesPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "classes", c.rights.pupils),
        summary: tr.t_args("dir-classes-count", &[("count", c.rows.len().to_string())]),
        rows: c.rows.into_iter().map(|r| class_view(tr, id, r)).collect(),
        archived_shown: c.archived_shown,
        toggle_href: if archived {
            base
        } else {
            format!("{base}?archives=1")
        },
    }))
}

// -------------------------------------------------------------------- people

pub struct StaffView {
    pub href: String,
    pub name: String,
    pub functions: String,
    pub disciplines: String,
    pub missions: String,
    pub source: String,
    pub account: String,
    pub left: bool,
}

fn staff_view(tr: Tr, id: Uuid, r: pages::StaffRow) -> StaffView {
    StaffView {
        href: urls::annuaire_person(id, r.id),
        name: format!("{} {}", r.last_name, r.first_name),
        functions: r.functions.join(", "),
        disciplines: r.disciplines.join(", "),
        missions: r.missions.join(", "),
        source: source_label(tr, &r.source),
        account: r.account.unwrap_or_default(),
        left: r.left,
    }
}

pub struct PupilView {
    pub href: String,
    pub name: String,
    pub birth: String,
    pub class: String,
    pub groups: String,
    pub ine: String,
    pub left: bool,
}

fn pupil_view(id: Uuid, r: pages::PupilRow) -> PupilView {
    PupilView {
        href: urls::annuaire_person(id, r.id),
        name: format!("{} {}", r.last_name, r.first_name),
        birth: r.birth_date.as_ref().map(date).unwrap_or_default(),
        class: r.class_code.unwrap_or_default(),
        groups: r.groups.join(", "),
        ine: r.ine.unwrap_or_default(),
        left: r.left,
    }
}

#[derive(Template)]
#[template(path = "annuaire/staff.html")]
struct StaffPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    action: String,
    q: String,
    functions: Vec<Choice>,
    disciplines: Vec<Choice>,
    include_left: bool,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<StaffView>,
    pager: Pager,
}

pub async fn staff(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let tri = dq.tri(&["nom", "source"]);
    let input = dq.input(sort_of(&tri));
    let l = pages::staff(&state.db, &s.ctx, id, &input).await?;
    let base = urls::annuaire_staff(id);
    let filters = format!(
        "&q={}&fonction={}&discipline={}{}",
        enc(&input.q),
        enc(&input.function),
        enc(&input.discipline),
        if input.include_left { "&partis=1" } else { "" }
    );
    let heading = tr.t_args("dir-staff-title", &[("name", l.etab.name.clone())]);
    let extra = format!(
        "&tri={tri}{}{filters}",
        if input.desc { "&ordre=desc" } else { "" }
    );
    Ok(render(&StaffPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "personnels", l.rights.pupils),
        action: base.clone(),
        functions: choices(
            tr,
            "dir-filter-all",
            l.functions.into_iter().map(|c| (c.code, c.label)).collect(),
            &input.function,
        ),
        disciplines: choices(
            tr,
            "dir-filter-all",
            l.disciplines
                .into_iter()
                .map(|c| (c.code, c.label))
                .collect(),
            &input.discipline,
        ),
        include_left: input.include_left,
        summary: tr.t_args("dir-people-count", &[("count", l.total.to_string())]),
        headers: sort_headers(
            tr,
            &base,
            &filters,
            &tri,
            input.desc,
            &[("nom", "dir-col-name"), ("source", "dir-col-source")],
        ),
        rows: l.rows.into_iter().map(|r| staff_view(tr, id, r)).collect(),
        pager: Pager::new(tr, &base, &extra, input.page, l.total),
        q: input.q,
    }))
}

#[derive(Template)]
#[template(path = "annuaire/pupils.html")]
struct PupilsPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    action: String,
    q: String,
    classes: Vec<Choice>,
    include_left: bool,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<PupilView>,
    pager: Pager,
}

pub async fn pupils(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let tri = dq.tri(&["nom", "naissance", "classe"]);
    let input = dq.input(sort_of(&tri));
    let l = pages::pupils(&state.db, &s.ctx, id, &input).await?;
    let base = urls::annuaire_pupils(id);
    let filters = format!(
        "&q={}&classe={}{}",
        enc(&input.q),
        enc(&input.class),
        if input.include_left { "&partis=1" } else { "" }
    );
    let extra = format!(
        "&tri={tri}{}{filters}",
        if input.desc { "&ordre=desc" } else { "" }
    );
    let heading = tr.t_args("dir-pupils-title", &[("name", l.etab.name.clone())]);
    Ok(render(&PupilsPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "eleves", true),
        action: base.clone(),
        classes: choices(
            tr,
            "dir-filter-all",
            l.classes.into_iter().map(|c| (c.clone(), c)).collect(),
            &input.class,
        ),
        include_left: input.include_left,
        summary: tr.t_args("dir-people-count", &[("count", l.total.to_string())]),
        headers: sort_headers(
            tr,
            &base,
            &filters,
            &tri,
            input.desc,
            &[
                ("nom", "dir-col-name"),
                ("naissance", "dir-col-birth"),
                ("classe", "dir-col-class"),
            ],
        ),
        rows: l.rows.into_iter().map(|r| pupil_view(id, r)).collect(),
        pager: Pager::new(tr, &base, &extra, input.page, l.total),
        q: input.q,
    }))
}

// ----------------------------------------------------------------- one class

#[derive(Template)]
#[template(path = "annuaire/class.html")]
struct ClassPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    class: ClassView,
    staff: Vec<StaffView>,
    pupils: Option<Vec<PupilView>>,
    pupil_summary: String,
    pager: Pager,
}

pub async fn class(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, Uuid)>,
    Query(dq): Query<DirQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let c = pages::class(&state.db, &s.ctx, id, sid, dq.page(), PAGE_SIZE).await?;
    let view = class_view(tr, id, c.class);
    let heading = tr.t_args(
        "dir-class-title",
        &[("kind", view.kind.clone()), ("code", view.code.clone())],
    );
    Ok(render(&ClassPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(tr, id, "classes", c.rights.pupils),
        pupil_summary: tr.t_args("dir-class-pupils", &[("count", c.pupil_total.to_string())]),
        pager: Pager::new(
            tr,
            &urls::annuaire_class(id, sid),
            "",
            dq.page(),
            if c.pupils.is_some() { c.pupil_total } else { 0 },
        ),
        class: view,
        staff: c.staff.into_iter().map(|r| staff_view(tr, id, r)).collect(),
        pupils: c
            .pupils
            .map(|rows| rows.into_iter().map(|r| pupil_view(id, r)).collect()),
    }))
}

// ---------------------------------------------------------------- one person

pub struct RelativeView {
    pub href: String,
    pub name: String,
    pub relation: String,
    pub legal: bool,
    pub left: bool,
}

/// One line of the person's card.
pub struct Fact {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "annuaire/person.html")]
struct PersonPage {
    page: Page,
    heading: String,
    tabs: Vec<Tab>,
    kind: String,
    facts: Vec<Fact>,
    provenance: Vec<Fact>,
    relatives_title: String,
    relatives: Vec<RelativeView>,
    show_relatives: bool,
    left: bool,
    /// This person's loans, for those who see the school's loans.
    loans_href: Option<String>,
}

pub async fn person(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, pid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let p = pages::person(&state.db, &s.ctx, id, pid).await?;
    let m = &p.person;
    let mut facts = vec![];
    let mut fact = |key: &str, value: String| {
        if !value.trim().is_empty() {
            facts.push(Fact {
                label: tr.t(key),
                value,
            });
        }
    };
    fact("dir-col-civility", m.civility.clone().unwrap_or_default());
    fact("dir-col-last-name", m.last_name.clone());
    fact("dir-col-first-name", m.first_name.clone());
    fact(
        "dir-col-birth",
        m.birth_date.as_ref().map(date).unwrap_or_default(),
    );
    fact("dir-col-ine", m.ine.clone().unwrap_or_default());
    fact("dir-col-email", m.email.clone().unwrap_or_default());
    fact("dir-col-functions", p.functions.join(", "));
    fact("dir-col-disciplines", p.disciplines.join(", "));
    fact("dir-col-missions", p.missions.join(", "));
    fact("dir-col-structures", p.structures.join(", "));
    fact("dir-col-class", m.class_code.clone().unwrap_or_default());
    fact("dir-col-groups", p.groups.join(", "));
    fact("dir-col-mef", p.mef.clone().unwrap_or_default());
    fact(
        "dir-col-status",
        if m.status == "left" {
            match &m.left_at {
                Some(t) => tr.t_args("dir-left-on", &[("date", date(&t.date_naive()))]),
                None => tr.t("dir-status-left"),
            }
        } else {
            tr.t("dir-status-active")
        },
    );
    fact("dir-col-account", p.account.clone().unwrap_or_default());
    let provenance = vec![
        Fact {
            label: tr.t("dir-col-source"),
            value: source_label(tr, &m.source),
        },
        Fact {
            label: tr.t("dir-col-file"),
            value: m.source_file.clone(),
        },
        Fact {
            label: tr.t("dir-col-imported"),
            value: fmt_time(tr, &m.imported_at).text(),
        },
    ];
    let relation = |r: &Option<String>| match r.as_deref().map(str::trim) {
        None | Some("") => String::new(),
        Some(code) => {
            let key = format!("dir-relation-{code}");
            if tr.has(&key) {
                tr.t(&key)
            } else {
                code.to_string()
            }
        }
    };
    let relatives = p
        .relatives
        .iter()
        .map(|r| RelativeView {
            href: urls::annuaire_person(id, r.id),
            name: r.name.clone(),
            relation: relation(&r.relation),
            legal: r.legal,
            left: r.left,
        })
        .collect();
    let borrower = match (m.kind.as_str(), m.account_id) {
        ("pupil", _) => Some(format!("pupil:{}", m.id)),
        ("staff", Some(a)) => Some(format!("staff:{a}")),
        _ => None,
    };
    let loans_href = match borrower {
        Some(b) if refnum_services::loans::may_view(&state.db, &s.ctx, id).await? => {
            Some(urls::loans::borrower(id, &b))
        }
        _ => None,
    };
    let heading = format!("{} {}", m.last_name, m.first_name);
    Ok(render(&PersonPage {
        loans_href,
        page: s.shell.page_titled(heading.clone()),
        heading,
        tabs: tabs(
            tr,
            id,
            if m.kind == "staff" {
                "personnels"
            } else {
                "eleves"
            },
            p.rights.pupils,
        ),
        kind: tr.t(&format!("dir-kind-{}", m.kind)),
        facts,
        provenance,
        relatives_title: tr.t(if m.kind == "pupil" {
            "dir-guardians"
        } else {
            "dir-guardian-pupils"
        }),
        show_relatives: m.kind != "staff",
        relatives,
        left: m.status == "left",
    }))
}
