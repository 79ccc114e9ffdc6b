//! Loans: the school's list (out, overdue, returned; a borrower's history),
//! one's own loans, the departure form, one loan with its signatures and
//! its return form, the printable convention, the loan charter's versions.

use super::etabs::SortHeader;
use super::{Opt, PAGE_SIZE, Pager, SignedIn, done, enc, fmt_time, render, render_status};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::urls;
use crate::urls::loans as u;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use refnum_domain::loan::{DepartureState, LoanEnd, ReturnState, SignatureMethod};
use refnum_services::loans::charter::{self, CharterInput};
use refnum_services::loans::convention::{self, SignInput};
use refnum_services::loans::give_back::{self, ItemReturn, ReturnInput};
use refnum_services::loans::lend::{self, ITEM_ROWS, ItemInput, LendInput};
use refnum_services::loans::{self, ListInput, LoanPage, LoanRow, LoanSort, LoanView};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/etablissements/{id}/prets", get(list))
        .route(
            "/etablissements/{id}/prets/nouveau",
            get(new_form).post(create),
        )
        .route("/etablissements/{id}/prets/mes-prets", get(mine))
        .route(
            "/etablissements/{id}/prets/charte",
            get(charters).post(charter_add),
        )
        .route("/etablissements/{id}/prets/{lid}", get(show))
        .route(
            "/etablissements/{id}/prets/{lid}/convention",
            get(convention_page),
        )
        .route("/etablissements/{id}/prets/{lid}/signature", post(sign))
        .route(
            "/etablissements/{id}/prets/{lid}/retour",
            get(return_form).post(give_back_submit),
        )
}

/// A loan id from the path: anything else is not found.
fn loan_id(s: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(s).map_err(|_| PageError::NotFound)
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn code_label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

// --------------------------------------------------------------------- list

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
}

fn cut(s: &Option<String>, n: usize) -> String {
    s.as_deref().unwrap_or("").trim().chars().take(n).collect()
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
fn line(tr: Tr, etab: Uuid, r: &LoanRow, today: NaiveDate, links: bool) -> LoanLine {
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
#[template(path = "loans/list.html")]
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
    borrower: String,
    q: String,
    summary: String,
    headers: Vec<SortHeader>,
    rows: Vec<LoanLine>,
    pager: Pager,
}

struct Parsed {
    input: ListInput,
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
            per_page: PAGE_SIZE,
        },
        vue,
        tri,
        reverse,
    }
}

fn list_page(s: &SignedIn, etab: Uuid, p: &Parsed, l: loans::Listing, mine: bool) -> ListPage {
    let tr = s.shell.tr;
    let base = if mine { u::mine(etab) } else { u::loans(etab) };
    let filters = format!(
        "&vue={}&type={}&emprunteur={}&q={}",
        p.vue,
        enc(&p.input.kind),
        enc(&p.input.borrower),
        enc(&p.input.q)
    );
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
    let extra = format!(
        "&tri={}{}{filters}",
        p.tri,
        if p.reverse { "&ordre=desc" } else { "" }
    );
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
        views: VIEWS
            .iter()
            .map(|(k, _)| Opt::new(*k, tr.t(&format!("loan-view-{k}")), p.vue))
            .collect(),
        kinds: vec![
            Opt::new("", tr.t("loan-kind-all"), &p.input.kind),
            Opt::new("pupil", tr.t("loan-kind-pupil"), &p.input.kind),
            Opt::new("staff", tr.t("loan-kind-staff"), &p.input.kind),
        ],
        borrower: p.input.borrower.clone(),
        q: p.input.q.clone(),
        summary: count_label(tr, l.total),
        headers,
        rows: l
            .rows
            .iter()
            .map(|r| line(tr, etab, r, l.today, !mine))
            .collect(),
        pager: Pager::new(tr, &base, &extra, p.input.page, l.total),
    }
}

pub async fn list(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(kq): Query<LoanQuery>,
) -> Result<Response, PageError> {
    let p = parse_query(&kq);
    let l = loans::list(&state.db, &s.ctx, id, &p.input).await?;
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
    let l = loans::mine(&state.db, &s.ctx, id, &p.input).await?;
    Ok(render(&list_page(&s, id, &p, l, true)))
}

// ----------------------------------------------------------------- departure

/// One row of the departure checklist as the form shows it.
pub struct ItemRow {
    pub index: usize,
    pub what: String,
    pub present: bool,
    pub remarks: String,
    pub error: Option<String>,
    pub what_label: String,
    pub present_label: String,
    pub remarks_label: String,
}

#[derive(Template)]
#[template(path = "loans/form.html")]
struct FormPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    input: LendInput,
    pupils: Vec<Opt>,
    staff: Vec<Opt>,
    ends: Vec<Opt>,
    states: Vec<Opt>,
    items: Vec<ItemRow>,
    charter: String,
    /// Where to write the charter when there is none yet (the lend form is
    /// for the loan managers, who also write the charter).
    charter_href: Option<String>,
    errors: FormErrors,
}

fn form_page(
    s: &SignedIn,
    etab: Uuid,
    f: lend::LendForm,
    input: LendInput,
    errors: FormErrors,
) -> FormPage {
    let tr = s.shell.tr;
    let heading = tr.t("loan-new-title");
    let items = (0..ITEM_ROWS)
        .map(|i| {
            let it = input.items.get(i).cloned().unwrap_or(ItemInput {
                present: true,
                ..Default::default()
            });
            let n = [("n", (i + 1).to_string())];
            ItemRow {
                what_label: tr.t_args("loan-item-what", &n),
                present_label: tr.t_args("loan-item-present", &n),
                remarks_label: tr.t_args("loan-item-remarks", &n),
                index: i,
                error: errors.get(lend::item_field(i)).map(str::to_string),
                what: it.what,
                present: it.present,
                remarks: it.remarks,
            }
        })
        .collect();
    FormPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: u::new_loan(etab),
        cancel_href: u::loans(etab),
        pupils: f
            .pupils
            .iter()
            .map(|p| {
                let label = match &p.class_code {
                    Some(c) => format!("{} {} ({c})", p.last_name, p.first_name),
                    None => format!("{} {}", p.last_name, p.first_name),
                };
                Opt::new(format!("pupil:{}", p.id), label, &input.borrower)
            })
            .collect(),
        staff: f
            .staff
            .iter()
            .map(|(id, n)| Opt::new(format!("staff:{id}"), n.clone(), &input.borrower))
            .collect(),
        ends: LoanEnd::ALL
            .iter()
            .map(|e| {
                Opt::new(
                    e.as_str(),
                    code_label(tr, "loan-end", e.as_str()),
                    &input.end_kind,
                )
            })
            .collect(),
        states: DepartureState::ALL
            .iter()
            .map(|e| {
                Opt::new(
                    e.as_str(),
                    code_label(tr, "loan-departure", e.as_str()),
                    &input.departure_state,
                )
            })
            .collect(),
        items,
        charter_href: f.charter.is_none().then(|| urls::loans::charter(etab)),
        charter: match &f.charter {
            Some(c) => tr.t_args(
                "loan-charter-in-force",
                &[
                    ("version", c.version.to_string()),
                    ("title", c.title.clone()),
                ],
            ),
            None => tr.t("loan-charter-none"),
        },
        input,
        errors,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    materiel: Option<String>,
    emprunteur: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(nq): Query<NewQuery>,
) -> Result<Response, PageError> {
    let f = lend::form(&state.db, &s.ctx, id).await?;
    let today = f.today;
    let input = LendInput {
        asset: cut(&nq.materiel, 60),
        borrower: cut(&nq.emprunteur, 60),
        start_on: today.to_string(),
        due_on: String::new(),
        end_kind: "return".into(),
        departure_state: "good".into(),
        ..Default::default()
    };
    Ok(render(&form_page(&s, id, f, input, FormErrors::default())))
}

/// The value of a form field (the last one sent).
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn lend_input(pairs: &[(String, String)]) -> LendInput {
    LendInput {
        asset: field(pairs, "asset").into(),
        borrower: field(pairs, "borrower").into(),
        start_on: field(pairs, "start_on").into(),
        due_on: field(pairs, "due_on").into(),
        end_kind: field(pairs, "end_kind").into(),
        departure_state: field(pairs, "departure_state").into(),
        departure_remarks: field(pairs, "departure_remarks").into(),
        items: (0..ITEM_ROWS)
            .map(|i| ItemInput {
                what: field(pairs, &format!("item-{i}-what")).into(),
                present: !field(pairs, &format!("item-{i}-present")).is_empty(),
                remarks: field(pairs, &format!("item-{i}-remarks")).into(),
            })
            .collect(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = lend_input(&pairs);
    match lend::lend(&state.db, &s.ctx, id, &input).await {
        Ok(l) => Ok(done(&u::loan(id, l.id), "pret-cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let f = lend::form(&state.db, &s.ctx, id).await?;
            let p = form_page(&s, id, f, input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ------------------------------------------------------------------ one loan

pub struct ItemView {
    pub label: String,
    pub href: Option<String>,
    pub present: String,
    pub departure_remarks: String,
    pub returned: String,
    pub return_remarks: String,
    pub missing: bool,
}

pub struct PartyView {
    pub id: Uuid,
    pub guardian: bool,
    pub role: String,
    pub name: String,
    pub signed: bool,
    pub signature: String,
}

/// What the loan page and the convention share.
struct Common {
    heading: String,
    borrower: String,
    borrower_href: Option<String>,
    detail: String,
    kind_pupil: bool,
    asset: String,
    asset_href: String,
    asset_model: String,
    owner: String,
    school: String,
    start: String,
    due: String,
    end: String,
    departure_state: String,
    departure_remarks: String,
    status: String,
    overdue: bool,
    out: bool,
    returned: String,
    return_remarks: String,
    items: Vec<ItemView>,
    parties: Vec<PartyView>,
    charter: String,
    charter_body: Vec<String>,
}

fn common(tr: Tr, v: &LoanPage) -> Common {
    let id = v.etab.id;
    let l = &v.loan;
    let yes_no = |b: bool| tr.t(if b { "loan-yes" } else { "loan-no" });
    let parties: Vec<PartyView> = v
        .parties
        .iter()
        .map(|p| PartyView {
            id: p.id,
            guardian: p.role == "guardian",
            role: code_label(tr, "loan-party", &p.role),
            name: if p.name.is_empty() {
                tr.t("loan-pupil-hidden")
            } else {
                p.name.clone()
            },
            signed: p.signed_at.is_some(),
            signature: match (&p.signed_at, &p.method) {
                (Some(at), Some(m)) => tr.t_args(
                    "loan-signed-by",
                    &[
                        ("name", p.signer_name.clone().unwrap_or_default()),
                        ("date", at.format("%d/%m/%Y").to_string()),
                        ("method", code_label(tr, "loan-method", m)),
                    ],
                ),
                _ => tr.t("loan-not-signed"),
            },
        })
        .collect();
    let status = if v.is_overdue() {
        tr.t("loan-status-overdue")
    } else if v.is_out() {
        tr.t("loan-status-out")
    } else {
        tr.t("loan-status-returned")
    };
    Common {
        heading: tr.t_args(
            "loan-heading",
            &[("number", v.asset.inventory_number.clone())],
        ),
        borrower: if l.borrower_name.is_empty() {
            tr.t("loan-pupil-hidden")
        } else {
            l.borrower_name.clone()
        },
        borrower_href: match (
            l.borrower_kind.as_str(),
            l.borrower_person_id,
            l.borrower_account_id,
        ) {
            _ if !v.rights.view => None,
            ("pupil", Some(p), _) if v.rights.pupils => {
                Some(u::borrower(id, &format!("pupil:{p}")))
            }
            ("staff", _, Some(a)) => Some(u::borrower(id, &format!("staff:{a}"))),
            _ => None,
        },
        detail: l.borrower_detail.clone(),
        kind_pupil: l.borrower_kind == "pupil",
        asset: v.asset.inventory_number.clone(),
        asset_href: urls::parc::asset(id, v.asset.id),
        asset_model: format!("{} {}", v.asset.manufacturer, v.asset.model)
            .trim()
            .to_string(),
        owner: if v.owner.is_empty() {
            tr.t(&format!("parc-owner-{}", v.asset.owner))
        } else {
            v.owner.clone()
        },
        school: format!("{} ({})", v.etab.name, v.etab.uai),
        start: date(l.start_on),
        due: date(l.due_on),
        end: code_label(tr, "loan-end", &l.end_kind),
        departure_state: code_label(tr, "loan-departure", &l.departure_state),
        departure_remarks: l.departure_remarks.clone(),
        status,
        overdue: v.is_overdue(),
        out: v.is_out(),
        returned: match (&l.returned_on, &l.return_state) {
            (Some(d), Some(s)) => tr.t_args(
                "loan-status-returned-on",
                &[
                    ("date", date(*d)),
                    ("state", code_label(tr, "loan-return", s)),
                ],
            ),
            _ => String::new(),
        },
        return_remarks: l.return_remarks.clone(),
        items: v
            .items
            .iter()
            .map(|i| ItemView {
                label: i.label.clone(),
                href: i.asset_id.map(|a| urls::parc::asset(id, a)),
                present: yes_no(i.present_at_departure),
                departure_remarks: i.departure_remarks.clone(),
                returned: i
                    .return_state
                    .as_deref()
                    .map(|s| code_label(tr, "loan-return", s))
                    .unwrap_or_default(),
                return_remarks: i.return_remarks.clone(),
                missing: i.return_state.as_deref() == Some("missing"),
            })
            .collect(),
        parties,
        charter: match &v.charter {
            Some(c) => tr.t_args(
                "loan-charter-version",
                &[
                    ("version", c.version.to_string()),
                    ("title", c.title.clone()),
                    ("date", date(c.effective_on)),
                ],
            ),
            None => tr.t("loan-charter-none"),
        },
        charter_body: v
            .charter
            .as_ref()
            .map(|c| {
                c.body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "loans/loan.html")]
struct LoanPageT {
    page: Page,
    c: Common,
    list_href: String,
    convention_href: String,
    return_href: String,
    sign_action: String,
    can_manage: bool,
    unsigned_parties: Vec<Opt>,
    methods: Vec<Opt>,
    sign: SignInput,
    errors: FormErrors,
    created: crate::time::When,
}

fn loan_page(s: &SignedIn, v: &LoanPage, sign: SignInput, errors: FormErrors) -> LoanPageT {
    let tr = s.shell.tr;
    let c = common(tr, v);
    let id = v.etab.id;
    LoanPageT {
        page: s.shell.page_titled(c.heading.clone()),
        list_href: if v.rights.view {
            u::loans(id)
        } else {
            u::mine(id)
        },
        convention_href: u::convention(id, v.loan.id),
        return_href: u::give_back(id, v.loan.id),
        sign_action: u::signature(id, v.loan.id),
        can_manage: v.rights.manage,
        unsigned_parties: c
            .parties
            .iter()
            .filter(|p| !p.signed)
            .map(|p| {
                Opt::new(
                    p.id.to_string(),
                    format!("{} — {}", p.role, p.name),
                    &sign.party,
                )
            })
            .collect(),
        methods: SignatureMethod::ALL
            .iter()
            .map(|m| {
                Opt::new(
                    m.as_str(),
                    code_label(tr, "loan-method", m.as_str()),
                    &sign.method,
                )
            })
            .collect(),
        sign,
        errors,
        created: fmt_time(s.shell.tr, &v.loan.created_at),
        c,
    }
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let v = loans::show(&state.db, &s.ctx, id, lid).await?;
    let sign = SignInput {
        method: "paper".into(),
        ..Default::default()
    };
    Ok(render(&loan_page(&s, &v, sign, FormErrors::default())))
}

#[derive(serde::Deserialize, Default)]
pub struct SignForm {
    #[serde(default)]
    party: String,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    signed_on: String,
}

pub async fn sign(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(f): Form<SignForm>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let input = SignInput {
        party: f.party,
        signer_name: f.signer_name,
        method: f.method,
        signed_on: f.signed_on,
    };
    match convention::sign(&state.db, &s.ctx, id, lid, &input).await {
        Ok(()) => Ok(done(&u::loan(id, lid), "pret-signe")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let v = loans::show(&state.db, &s.ctx, id, lid).await?;
            let p = loan_page(&s, &v, input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "loans/convention.html")]
struct ConventionPage {
    page: Page,
    c: Common,
    back_href: String,
    title: String,
}

pub async fn convention_page(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let v = loans::show(&state.db, &s.ctx, id, lid).await?;
    if !v.rights.view {
        return Err(PageError::NotFound);
    }
    let tr = s.shell.tr;
    let c = common(tr, &v);
    let title = tr.t_args("loan-convention-title", &[("number", c.asset.clone())]);
    Ok(render(&ConventionPage {
        page: s.shell.page_titled(title.clone()),
        back_href: u::loan(id, lid),
        title,
        c,
    }))
}

// -------------------------------------------------------------------- return

pub struct ReturnRow {
    pub id: Uuid,
    pub label: String,
    pub states: Vec<Opt>,
    pub remarks: String,
}

#[derive(Template)]
#[template(path = "loans/return.html")]
struct ReturnPage {
    page: Page,
    c: Common,
    action: String,
    cancel_href: String,
    returned_on: String,
    states: Vec<Opt>,
    remarks: String,
    rows: Vec<ReturnRow>,
    errors: FormErrors,
}

fn return_states(tr: Tr, current: &str, with_empty: bool) -> Vec<Opt> {
    let mut v = vec![];
    if with_empty {
        v.push(Opt::new("", tr.t("loan-return-choose"), current));
    }
    v.extend(ReturnState::ALL.iter().map(|r| {
        Opt::new(
            r.as_str(),
            code_label(tr, "loan-return", r.as_str()),
            current,
        )
    }));
    v
}

fn return_page(s: &SignedIn, v: &LoanPage, input: &ReturnInput, errors: FormErrors) -> ReturnPage {
    let tr = s.shell.tr;
    let c = common(tr, v);
    let id = v.etab.id;
    ReturnPage {
        page: s
            .shell
            .page_titled(tr.t_args("loan-return-title", &[("number", c.asset.clone())])),
        action: u::give_back(id, v.loan.id),
        cancel_href: u::loan(id, v.loan.id),
        returned_on: input.returned_on.clone(),
        states: return_states(tr, &input.state, false),
        remarks: input.remarks.clone(),
        rows: v
            .items
            .iter()
            .filter(|i| i.present_at_departure)
            .map(|i| {
                let given = input.items.iter().find(|r| r.item_id == i.id.to_string());
                ReturnRow {
                    id: i.id,
                    label: i.label.clone(),
                    states: return_states(tr, given.map(|g| g.state.as_str()).unwrap_or(""), true),
                    remarks: given.map(|g| g.remarks.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        errors,
        c,
    }
}

pub async fn return_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let v = loans::show(&state.db, &s.ctx, id, lid).await?;
    if !v.rights.manage {
        return Err(PageError::Forbidden);
    }
    if !v.is_out() {
        return Ok(done(&u::loan(id, lid), "pret-deja-rendu"));
    }
    let input = ReturnInput {
        returned_on: v.today.to_string(),
        state: "good".into(),
        ..Default::default()
    };
    Ok(render(&return_page(&s, &v, &input, FormErrors::default())))
}

pub async fn give_back_submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let lid = loan_id(&lid)?;
    let items = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("state-").map(|item| ItemReturn {
                item_id: item.to_string(),
                state: v.clone(),
                remarks: field(&pairs, &format!("remarks-{item}")).to_string(),
            })
        })
        .collect();
    let input = ReturnInput {
        returned_on: field(&pairs, "returned_on").into(),
        state: field(&pairs, "state").into(),
        remarks: field(&pairs, "remarks").into(),
        items,
    };
    match give_back::give_back(&state.db, &s.ctx, id, lid, &input).await {
        Ok(()) => Ok(done(&u::loan(id, lid), "pret-rendu")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let v = loans::show(&state.db, &s.ctx, id, lid).await?;
            let p = return_page(&s, &v, &input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ------------------------------------------------------------------ charter

pub struct CharterView {
    pub version: i32,
    pub title: String,
    pub effective: String,
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "loans/charter.html")]
struct CharterPage {
    page: Page,
    heading: String,
    list_href: String,
    can_manage: bool,
    action: String,
    input: CharterInput,
    versions: Vec<CharterView>,
    errors: FormErrors,
}

fn charter_page(
    s: &SignedIn,
    id: Uuid,
    l: charter::Charters,
    input: CharterInput,
    errors: FormErrors,
) -> CharterPage {
    let tr = s.shell.tr;
    let heading = tr.t("loan-charter-title");
    CharterPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        list_href: u::loans(id),
        can_manage: l.rights.manage,
        action: u::charter(id),
        versions: l
            .versions
            .iter()
            .map(|c| CharterView {
                version: c.version,
                title: c.title.clone(),
                effective: date(c.effective_on),
                lines: c
                    .body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
            .collect(),
        input,
        errors,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CharterForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    effective_on: String,
}

pub async fn charters(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let l = charter::list(&state.db, &s.ctx, id).await?;
    let input = CharterInput {
        title: l
            .versions
            .first()
            .map(|c| c.title.clone())
            .unwrap_or_default(),
        body: l
            .versions
            .first()
            .map(|c| c.body.clone())
            .unwrap_or_default(),
        effective_on: loans::today().to_string(),
    };
    Ok(render(&charter_page(
        &s,
        id,
        l,
        input,
        FormErrors::default(),
    )))
}

pub async fn charter_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<CharterForm>,
) -> Result<Response, PageError> {
    let input = CharterInput {
        title: f.title,
        body: f.body,
        effective_on: f.effective_on,
    };
    match charter::add(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&u::charter(id), "charte-ajoutee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let l = charter::list(&state.db, &s.ctx, id).await?;
            let p = charter_page(&s, id, l, input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ---------------------------------------------------------- the asset's page

/// A loan of an asset, for the asset's page.
pub struct AssetLoan {
    pub href: String,
    pub borrower: String,
    pub start: String,
    pub due: String,
    pub status: String,
}

/// The loans shown on an asset's page (none for whoever may not see them),
/// and whether the caller may lend it.
pub async fn for_asset(
    state: &AppState,
    s: &SignedIn,
    etab: Uuid,
    asset: Uuid,
) -> Result<(bool, Vec<AssetLoan>), PageError> {
    let tr = s.shell.tr;
    let (rights, rows) = loans::of_asset(&state.db, &s.ctx, etab, asset).await?;
    let today = loans::today();
    Ok((
        rights.manage,
        rows.iter()
            .map(|r| {
                let l = line(tr, etab, r, today, false);
                AssetLoan {
                    href: l.href,
                    borrower: l.borrower,
                    start: l.start,
                    due: l.due,
                    status: l.status,
                }
            })
            .collect(),
    ))
}
