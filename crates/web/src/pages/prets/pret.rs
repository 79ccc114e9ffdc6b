//! One loan with its signatures, and its printable convention.

use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, fmt_time, render, render_status};
use crate::urls;
use crate::urls::prets as u;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::loan::SignatureMethod;
use refnum_services::prets::convention::{self, SignInput};
use refnum_services::prets::{self, LoanPage};
use uuid::Uuid;

use super::{code_label, date, loan_id};

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
pub(super) struct Common {
    pub(super) heading: String,
    pub(super) borrower: String,
    pub(super) borrower_href: Option<String>,
    pub(super) detail: String,
    pub(super) kind_pupil: bool,
    pub(super) asset: String,
    pub(super) asset_href: String,
    pub(super) asset_model: String,
    pub(super) owner: String,
    pub(super) school: String,
    pub(super) start: String,
    pub(super) due: String,
    pub(super) end: String,
    pub(super) departure_state: String,
    pub(super) departure_remarks: String,
    pub(super) status: String,
    pub(super) overdue: bool,
    pub(super) out: bool,
    pub(super) returned: String,
    pub(super) return_remarks: String,
    pub(super) items: Vec<ItemView>,
    pub(super) parties: Vec<PartyView>,
    pub(super) charter: String,
    pub(super) charter_body: Vec<String>,
}

pub(super) fn common(tr: Tr, v: &LoanPage) -> Common {
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
#[template(path = "prets/loan.html")]
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
    let v = prets::show(&state.db, &s.ctx, id, lid).await?;
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
            let v = prets::show(&state.db, &s.ctx, id, lid).await?;
            let p = loan_page(&s, &v, input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "prets/convention.html")]
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
    let v = prets::show(&state.db, &s.ctx, id, lid).await?;
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
