//! The school's loans (out, overdue, returned; a borrower's history) and
//! one's own loans: filtered, sorted and paged on the server.

use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::etabs::SortHeader;
use crate::pages::filtres::{ChipBar, Filters, rows_options, rows_per_page};
use crate::pages::{Opt, Pager, SignedIn, render};
use crate::urls::prets as u;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use refnum_services::prets::{self, ListInput, LoanRow, LoanSort, LoanView};
use uuid::Uuid;

use super::{code_label, cut, date};

/// `?vue=&type=&emprunteur=&q=&tri=&ordre=&page=`
#[derive(serde::Deserialize, Default)]
pub struct LoanQuery {
    page: Option<u64>,
    vue: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    emprunteur: Option<String>,
    q: Option<String>,
    tri: Option<String>,
    ordre: Option<String>,
    /// Rows per page: 25, 50 (default) or 100.
    lignes: Option<String>,
}

const VIEWS: [(&str, LoanView); 4] = [
    ("en-cours", LoanView::Out),
    ("en-retard", LoanView::Overdue),
    ("rendus", LoanView::Returned),
    ("tous", LoanView::All),
];

const SORTS: [(&str, LoanSort, &str); 4] = [
    ("echeance", LoanSort::Due, "loan-col-due"),
    ("depart", LoanSort::Start, "loan-col-start"),
    ("emprunteur", LoanSort::Borrower, "loan-col-borrower"),
    ("materiel", LoanSort::Asset, "loan-col-asset"),
];

pub struct LoanLine {
    pub href: String,
    pub asset: String,
    pub borrower: String,
    pub borrower_href: Option<String>,
    pub detail: String,
    pub kind: String,
    pub start: String,
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

/// A list row as the pages show it; `links`: borrower histories.
pub(super) fn line(tr: Tr, etab: Uuid, r: &LoanRow, today: NaiveDate, links: bool) -> LoanLine {
    let overdue = r.status == "out" && r.due_on < today;
    let status = if overdue {
        tr.t("loan-status-overdue")
    } else if r.status == "returned" {
        match (&r.returned_on, &r.return_state) {
            (Some(d), Some(s)) => tr.t_args(
                "loan-status-returned-on",
                &[
                    ("date", date(*d)),
                    ("state", code_label(tr, "loan-return", s)),
                ],
            ),
            _ => tr.t("loan-status-returned"),
        }
    } else {
        tr.t("loan-status-out")
    };
    // Pupils' rows come without their id to whoever may not see pupils.
    let key = match (
        r.borrower_kind.as_str(),
        r.borrower_person_id,
        r.borrower_account_id,
    ) {
        ("pupil", Some(p), _) => Some(format!("pupil:{p}")),
        ("staff", _, Some(a)) => Some(format!("staff:{a}")),
        _ => None,
    };
    LoanLine {
        href: u::loan(etab, r.id),
        asset: r.inventory_number.clone(),
        borrower: if r.borrower_name.is_empty() {
            tr.t("loan-pupil-hidden")
        } else {
            r.borrower_name.clone()
        },
        borrower_href: if links {
            key.map(|k| u::borrower(etab, &k))
        } else {
            None
        },
        detail: r.borrower_detail.clone(),
        kind: code_label(tr, "loan-kind", &r.borrower_kind),
        start: date(r.start_on),
        due: date(r.due_on),
        status,
        overdue,
    }
}

fn count_label(tr: Tr, n: u64) -> String {
    match n {
        0 => tr.t("loan-count-none"),
        1 => tr.t("loan-count-one"),
        n => tr.t_args("loan-count-many", &[("count", n.to_string())]),
    }
}

#[derive(Template)]
#[template(path = "prets/list.html")]
struct ListPage {
    page: Page,
    heading: String,
    mine: bool,
    can_manage: bool,
    new_href: String,
    charter_href: String,
    action: String,
    views: Vec<Opt>,
    kinds: Vec<Opt>,
    rows_per_page: Vec<Opt>,
    chip_bar: ChipBar,
    borrower: String,
    q: String,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<LoanLine>,
    pager: Pager,
}

struct Parsed {
    input: ListInput,
    lignes: Option<String>,
    vue: &'static str,
    tri: &'static str,
    reverse: bool,
}

fn parse_query(kq: &LoanQuery) -> Parsed {
    let (vue, view) = VIEWS
        .iter()
        .find(|(k, _)| Some(*k) == kq.vue.as_deref())
        .copied()
        .unwrap_or(VIEWS[0]);
    let (tri, sort, _) = SORTS
        .iter()
        .find(|(k, _, _)| Some(*k) == kq.tri.as_deref())
        .copied()
        .unwrap_or(SORTS[0]);
    let reverse = kq.ordre.as_deref() == Some("desc");
    Parsed {
        input: ListInput {
            view,
            kind: cut(&kq.kind, 10),
            borrower: cut(&kq.emprunteur, 60),
            q: cut(&kq.q, 100),
            sort,
            reverse,
            page: kq.page.unwrap_or(1).clamp(1, 100_000),
            per_page: rows_per_page(&kq.lignes),
        },
        lignes: kq.lignes.clone(),
        vue,
        tri,
        reverse,
    }
}

fn list_page(s: &SignedIn, etab: Uuid, p: &Parsed, l: prets::Listing, mine: bool) -> ListPage {
    let tr = s.shell.tr;
    let base = if mine { u::mine(etab) } else { u::loans(etab) };
    let views: Vec<Opt> = VIEWS
        .iter()
        .map(|(k, _)| Opt::new(*k, tr.t(&format!("loan-view-{k}")), p.vue))
        .collect();
    let kinds = vec![
        Opt::new("", tr.t("loan-kind-all"), &p.input.kind),
        Opt::new("pupil", tr.t("loan-kind-pupil"), &p.input.kind),
        Opt::new("staff", tr.t("loan-kind-staff"), &p.input.kind),
    ];
    // The view is always written (its default differs between the two
    // lists); it is a chip when it is not the list's default.
    let default_view = if mine { "tous" } else { "en-cours" };
    let mut chips = Filters::new();
    chips.add(
        "vue",
        p.vue,
        (p.vue != default_view).then(|| {
            tr.t_args(
                "filter-chip",
                &[
                    ("name", tr.t("loan-filter-view")),
                    ("value", tr.t(&format!("loan-view-{}", p.vue))),
                ],
            )
        }),
    );
    chips.add_select(tr, "type", "loan-filter-kind", &kinds);
    chips.add(
        "emprunteur",
        p.input.borrower.clone(),
        (!p.input.borrower.is_empty()).then(|| {
            tr.t_args(
                "filter-chip",
                &[
                    ("name", tr.t("loan-col-borrower")),
                    (
                        "value",
                        l.borrower_name
                            .clone()
                            .unwrap_or_else(|| p.input.borrower.clone()),
                    ),
                ],
            )
        }),
    );
    chips.add_search(tr, "q", &p.input.q);
    chips.add_rows(&p.lignes);
    let filters = chips.query();
    let headers = SORTS
        .iter()
        .map(|(key, _, label)| {
            let active = *key == p.tri;
            SortHeader {
                label: tr.t(label),
                href: format!(
                    "{base}?tri={key}{}{filters}",
                    if active && !p.reverse {
                        "&ordre=desc"
                    } else {
                        ""
                    }
                ),
                aria: match (active, p.reverse) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect();
    let keep = format!(
        "&tri={}{}",
        p.tri,
        if p.reverse { "&ordre=desc" } else { "" }
    );
    let extra = format!("{keep}{filters}");
    let heading = match (&l.borrower_name, mine) {
        (_, true) => tr.t("loan-mine-title"),
        (Some(n), false) => tr.t_args("loan-borrower-title", &[("name", n.clone())]),
        (None, false) => tr.t_args("loan-title", &[("name", l.etab.name.clone())]),
    };
    ListPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        mine,
        can_manage: l.rights.manage && !mine,
        new_href: u::new_loan(etab),
        charter_href: u::charter(etab),
        action: base.clone(),
        views,
        kinds,
        rows_per_page: rows_options(&p.lignes),
        chip_bar: chips.chip_bar(tr, &base, &keep),
        borrower: p.input.borrower.clone(),
        q: p.input.q.clone(),
        summary: count_label(tr, l.total),
        headers,
        rows: l
            .rows
            .iter()
            .map(|r| line(tr, etab, r, l.today, !mine))
            .collect(),
        pager: Pager::sized(tr, &base, &extra, p.input.page, l.total, p.input.per_page),
    }
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(kq): Query<LoanQuery>,
) -> Result<Response, PageError> {
    let p = parse_query(&kq);
    let l = prets::list(&state.db, &s.ctx, id, &p.input).await?;
    Ok(render(&list_page(&s, id, &p, l, false)))
}

pub async fn mine(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(kq): Query<LoanQuery>,
) -> Result<Response, PageError> {
    let mut p = parse_query(&kq);
    if kq.vue.is_none() {
        p.vue = "tous";
        p.input.view = LoanView::All;
    }
    let l = prets::mine(&state.db, &s.ctx, id, &p.input).await?;
    Ok(render(&list_page(&s, id, &p, l, true)))
}
