//! `/assistance`: the tickets the caller may see, filtered, sorted and
//! paged on the server.

use super::{flag, label};
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::etabs::SortHeader;
use crate::pages::filtres::{ChipBar, Filters, rows_options, rows_per_page};
use crate::pages::{Opt, Pager, SignedIn, When, fmt_recent, fmt_time, render};
use crate::urls;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use refnum_domain::ticket::{Priority, TicketCategory, TicketStatus};
use refnum_services::assistance::list::{self, ListInput, TicketSort};
use uuid::Uuid;

/// `?page=&q=&tri=&ordre=&etablissement=&statut=&priorite=&categorie=&organisation=&moi=&retard=&inutilisable=`
#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    page: Option<u64>,
    q: Option<String>,
    tri: Option<String>,
    ordre: Option<String>,
    etablissement: Option<String>,
    statut: Option<String>,
    priorite: Option<String>,
    categorie: Option<String>,
    organisation: Option<String>,
    moi: Option<String>,
    retard: Option<String>,
    inutilisable: Option<String>,
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

const SORTS: [(&str, TicketSort, &str); 5] = [
    ("numero", TicketSort::Number, "ticket-col-number"),
    ("cree", TicketSort::Created, "ticket-col-created"),
    ("priorite", TicketSort::Priority, "ticket-col-priority"),
    ("echeance", TicketSort::Due, "ticket-col-due"),
    ("maj", TicketSort::Updated, "ticket-col-updated"),
];

pub struct Row {
    pub href: String,
    pub number: String,
    pub title: String,
    pub school: String,
    pub status: String,
    pub priority: String,
    pub category: String,
    pub handler: String,
    pub created: When,
    pub updated: When,
    pub due: When,
    pub overdue: bool,
    pub unusable: bool,
}

#[derive(Template)]
#[template(path = "assistance/list.html")]
struct ListPage {
    page: Page,
    heading: String,
    action: String,
    q: String,
    schools: Vec<Opt>,
    statuses: Vec<Opt>,
    priorities: Vec<Opt>,
    categories: Vec<Opt>,
    organisations: Vec<Opt>,
    mine: bool,
    overdue: bool,
    unusable: bool,
    headers: Vec<SortHeader>,
    rows: Vec<Row>,
    /// The school column, only when the rows (or the person) span several
    /// schools.
    show_school: bool,
    rows_per_page: Vec<Opt>,
    chip_bar: ChipBar,
    /// The less used filters are open: one of them is set.
    more_open: bool,
    summary: String,
    pager: Pager,
    new_href: Option<String>,
}

fn opts(tr: Tr, all_key: &str, items: Vec<(String, String)>, current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t(all_key), current)];
    v.extend(items.into_iter().map(|(k, l)| Opt::new(k, l, current)));
    v
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Query(qs): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let tri = cut(&qs.tri);
    let (tri, sort) = SORTS
        .iter()
        .find(|(k, _, _)| *k == tri)
        .map(|(k, s, _)| (*k, *s))
        .unwrap_or(("cree", TicketSort::Created));
    // Newest first unless asked otherwise.
    let desc = match qs.ordre.as_deref() {
        Some("asc") => false,
        Some("desc") => true,
        _ => matches!(sort, TicketSort::Created | TicketSort::Updated),
    };
    let page_no = qs.page.unwrap_or(1).clamp(1, 100_000);
    let etab = Uuid::parse_str(cut(&qs.etablissement).as_str()).ok();
    let org = Uuid::parse_str(cut(&qs.organisation).as_str()).ok();
    let statut = cut(&qs.statut);
    let priorite = cut(&qs.priorite);
    let categorie = cut(&qs.categorie);
    let q = cut(&qs.q);
    let input = ListInput {
        etablissement_id: etab,
        status: statut.clone(),
        priority: priorite.clone(),
        category: categorie.clone(),
        organisation_id: org,
        mine: flag(&qs.moi),
        overdue: flag(&qs.retard),
        unusable: flag(&qs.inutilisable),
        q: q.clone(),
        sort,
        desc,
        page: page_no,
        per_page: rows_per_page(&qs.lignes),
    };
    let listing = list::list_lines(&state.db, &s.ctx, &input).await?;
    let etab_key = etab.map(|e| e.to_string()).unwrap_or_default();
    let org_key = org.map(|o| o.to_string()).unwrap_or_default();
    let mut statuses = vec![
        Opt::new("", tr.t("ticket-filter-open"), &statut),
        Opt::new("all", tr.t("ticket-filter-all-statuses"), &statut),
    ];
    statuses.extend(TicketStatus::ALL.iter().map(|st| {
        Opt::new(
            st.as_str(),
            label(tr, "ticket-status", st.as_str()),
            &statut,
        )
    }));
    let schools = opts(
        tr,
        "ticket-filter-all-schools",
        listing
            .schools
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect(),
        &etab_key,
    );
    let priorities = opts(
        tr,
        "ticket-filter-all-priorities",
        Priority::ALL
            .iter()
            .map(|p| {
                (
                    p.as_str().to_string(),
                    label(tr, "ticket-priority", p.as_str()),
                )
            })
            .collect(),
        &priorite,
    );
    let categories = opts(
        tr,
        "ticket-filter-all-categories",
        TicketCategory::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_string(),
                    label(tr, "ticket-category", c.as_str()),
                )
            })
            .collect(),
        &categorie,
    );
    let organisations = opts(
        tr,
        "ticket-filter-all-organisations",
        listing
            .organisations
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect(),
        &org_key,
    );
    let mut filters = Filters::new();
    filters.add_search(tr, "q", &q);
    filters.add_select(tr, "etablissement", "ticket-field-school", &schools);
    filters.add_select(tr, "statut", "ticket-field-status", &statuses);
    filters.add_rows(&qs.lignes);
    filters.add_select(tr, "priorite", "ticket-field-priority", &priorities);
    filters.add_select(tr, "categorie", "ticket-field-category", &categories);
    filters.add_select(
        tr,
        "organisation",
        "ticket-field-organisation",
        &organisations,
    );
    filters.add_flag(tr, "moi", input.mine, "ticket-filter-mine");
    filters.add_flag(tr, "retard", input.overdue, "ticket-filter-overdue");
    filters.add_flag(tr, "inutilisable", input.unusable, "ticket-filter-unusable");
    let filters_qs = filters.query();
    let base = urls::assistance::TICKETS;
    let headers = SORTS
        .iter()
        .map(|(key, _, label_key)| {
            let active = *key == tri;
            SortHeader {
                label: tr.t(label_key),
                href: format!(
                    "{base}?tri={key}&ordre={}{filters_qs}",
                    if active && !desc { "desc" } else { "asc" }
                ),
                aria: match (active, desc) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect();
    let sort_qs = format!("&tri={tri}&ordre={}", if desc { "desc" } else { "asc" });
    let pager = Pager {
        prev: (page_no > 1).then(|| format!("{base}?page={}{sort_qs}{filters_qs}", page_no - 1)),
        next: listing
            .has_next
            .then(|| format!("{base}?page={}{sort_qs}{filters_qs}", page_no + 1)),
        label: tr.t_args("ticket-page", &[("page", page_no.to_string())]),
    };
    let rows: Vec<Row> = listing
        .rows
        .iter()
        .map(|r| {
            let t = &r.ticket;
            Row {
                href: urls::assistance::ticket(t.id),
                number: format!("#{}", t.number),
                title: t.title.clone(),
                school: r.school.clone(),
                status: label(tr, "ticket-status", &t.status),
                priority: label(tr, "ticket-priority", &t.priority),
                category: label(tr, "ticket-category", &t.category),
                handler: r
                    .organisation
                    .clone()
                    .or_else(|| r.assignee.clone())
                    .unwrap_or_default(),
                created: fmt_time(tr, &t.created_at),
                updated: fmt_recent(tr, &t.updated_at),
                due: t
                    .resolution_due_at
                    .map(|d| fmt_time(tr, &d))
                    .unwrap_or_default(),
                overdue: r.overdue,
                unusable: t.unusable,
            }
        })
        .collect();
    let summary = if rows.is_empty() {
        tr.t("ticket-list-empty")
    } else {
        tr.t_args("ticket-list-count", &[("count", rows.len().to_string())])
    };
    let new_href = s
        .ctx
        .current
        .as_ref()
        .filter(|_| {
            s.ctx
                .may_on_current(refnum_domain::policy::EtabAction::ReportFault)
        })
        .map(|c| urls::assistance::new_ticket(c.id));
    let show_school = s.ctx.schools.len() > 1 || {
        let mut seen: Vec<&String> = rows.iter().map(|r: &Row| &r.school).collect();
        seen.sort();
        seen.dedup();
        seen.len() > 1
    };
    let p = ListPage {
        chip_bar: filters.chip_bar(tr, base, &sort_qs),
        more_open: etab.is_some()
            || org.is_some()
            || !categorie.is_empty()
            || input.mine
            || input.overdue
            || input.unusable
            || rows_per_page(&qs.lignes) != crate::pages::PAGE_SIZE,
        rows_per_page: rows_options(&qs.lignes),
        show_school,
        page: s.shell.page("ticket-list-title"),
        heading: tr.t("ticket-list-title"),
        action: base.to_string(),
        q,
        schools,
        statuses,
        priorities,
        categories,
        organisations,
        mine: input.mine,
        overdue: input.overdue,
        unusable: input.unusable,
        headers,
        rows,
        summary,
        pager,
        new_href,
    };
    Ok(render(&p))
}
