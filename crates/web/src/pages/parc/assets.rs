//! One asset: its page (details, place, parent and children, history), the
//! creation and edit form, the status change.

use super::{Tab, category_label, fmt_date, owner_label, status_label, tabs};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, fmt_time, render, render_status};
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::asset::{AssetCategory, AssetOwner, AssetStatus};
use refnum_services::parc::assets::{self, AssetInput, AssetView};
use refnum_services::parc::{Rights, places};
use serde::Deserialize;
use uuid::Uuid;

// --------------------------------------------------------------------- page

pub struct Detail {
    pub label: String,
    pub value: String,
}

pub struct ChildRow {
    pub href: String,
    pub number: String,
    pub category: String,
    pub model: String,
    pub status: String,
}

pub struct HistoryRow {
    pub when: crate::time::When,
    pub who: String,
    pub what: String,
    pub changes: Vec<String>,
    pub note: String,
}

#[derive(Template)]
#[template(path = "parc/asset.html")]
struct ShowPage {
    page: Page,
    tabs: Vec<Tab>,
    heading: String,
    details: Vec<Detail>,
    room: Option<(String, String)>,
    building: String,
    holder: String,
    parent: Option<(String, String)>,
    children: Vec<ChildRow>,
    history: Vec<HistoryRow>,
    rights: Rights,
    edit_href: String,
    status_action: String,
    statuses: Vec<Opt>,
    report_href: String,
    qr_href: String,
    /// The loans of this asset (empty for whoever may not see loans).
    loans: Vec<crate::pages::prets::AssetLoan>,
    show_loans: bool,
    lend_href: Option<String>,
}

/// A history value as a person reads it (codes translated, dates French).
fn readable(tr: Tr, field: &str, value: &str) -> String {
    if value.is_empty() {
        return tr.t("parc-none");
    }
    match field {
        "category" => category_label(tr, value),
        "status" => status_label(tr, value),
        "owner" => owner_label(tr, value),
        "purchase_date" | "warranty_end" => {
            fmt_date(chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        }
        _ => value.to_string(),
    }
}

fn show_page(tr: Tr, page: Page, v: AssetView) -> ShowPage {
    let id = v.etab.id;
    let a = &v.asset;
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    let details = vec![
        ("parc-field-inventory-number", a.inventory_number.clone()),
        ("parc-field-category", category_label(tr, &a.category)),
        ("parc-field-manufacturer", a.manufacturer.clone()),
        ("parc-field-model", a.model.clone()),
        ("parc-field-serial", a.serial.clone()),
        ("parc-field-status", status_label(tr, &a.status)),
        ("parc-field-owner", owner_label(tr, &a.owner)),
        ("parc-field-owner-label", o(&a.owner_label)),
        ("parc-field-funding", o(&a.funding)),
        ("parc-field-purchase-date", fmt_date(a.purchase_date)),
        ("parc-field-warranty-end", fmt_date(a.warranty_end)),
        ("parc-field-notes", a.notes.clone()),
    ]
    .into_iter()
    .map(|(k, value)| Detail {
        label: tr.t(k),
        value,
    })
    .collect();
    let history = v
        .history
        .iter()
        .map(|h| HistoryRow {
            when: fmt_time(tr, &h.event.occurred_at),
            who: h.event.actor_name.clone(),
            what: tr.t(&format!("parc-event-{}", h.event.kind)),
            changes: h
                .changes
                .iter()
                .map(|c| {
                    let field = tr.t(&format!("parc-field-{}", c.field.replace('_', "-")));
                    if c.from.is_empty() && h.event.kind == "created" {
                        tr.t_args(
                            "parc-change-set",
                            &[("field", field), ("to", readable(tr, &c.field, &c.to))],
                        )
                    } else {
                        tr.t_args(
                            "parc-change",
                            &[
                                ("field", field),
                                ("from", readable(tr, &c.field, &c.from)),
                                ("to", readable(tr, &c.field, &c.to)),
                            ],
                        )
                    }
                })
                .collect(),
            note: h.event.note.clone().unwrap_or_default(),
        })
        .collect();
    ShowPage {
        page,
        tabs: tabs(tr, id, "assets", v.rights.manage),
        heading: tr.t_args(
            "parc-asset-title",
            &[("number", a.inventory_number.clone())],
        ),
        details,
        room: v
            .room
            .as_ref()
            .map(|r| (urls::parc::room(id, r.id), r.name.clone())),
        building: v
            .building
            .as_ref()
            .map(|b| b.name.clone())
            .unwrap_or_default(),
        holder: o(&a.holder_name),
        parent: v.parent.as_ref().map(|p| {
            (
                urls::parc::asset(id, p.id),
                format!("{} — {} {}", p.inventory_number, p.manufacturer, p.model),
            )
        }),
        children: v
            .children
            .iter()
            .map(|c| ChildRow {
                href: urls::parc::asset(id, c.id),
                number: c.inventory_number.clone(),
                category: category_label(tr, &c.category),
                model: format!("{} {}", c.manufacturer, c.model).trim().to_string(),
                status: status_label(tr, &c.status),
            })
            .collect(),
        history,
        rights: v.rights,
        edit_href: urls::parc::asset_edit(id, a.id),
        status_action: urls::parc::asset_status(id, a.id),
        statuses: AssetStatus::ALL
            .iter()
            .map(|s| Opt::new(s.as_str(), status_label(tr, s.as_str()), &a.status))
            .collect(),
        report_href: urls::parc::report_fault(id, a.id),
        qr_href: urls::parc::qr(&a.qr_token),
        loans: vec![],
        show_loans: false,
        lend_href: None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let v = assets::show(&state.db, &s.ctx, id, aid).await?;
    let tr = s.shell.tr;
    let page = s.shell.page_titled(tr.t_args(
        "parc-asset-title",
        &[("number", v.asset.inventory_number.clone())],
    ));
    let lendable = refnum_domain::asset::AssetStatus::parse(&v.asset.status)
        .is_some_and(refnum_domain::loan::lendable);
    let number = v.asset.inventory_number.clone();
    let mut p = show_page(tr, page, v);
    let (may_lend, loans) = crate::pages::prets::for_asset(&state, &s, id, aid).await?;
    p.show_loans = may_lend || !loans.is_empty();
    p.loans = loans;
    p.lend_href = (may_lend && lendable).then(|| {
        format!(
            "{}?materiel={}",
            urls::prets::new_loan(id),
            crate::pages::enc(&number)
        )
    });
    Ok(render(&p))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

pub async fn status(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, Uuid)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    match assets::set_status(&state.db, &s.ctx, id, aid, &f.status, Some(f.note)).await {
        Ok(_) => Ok(done(&urls::parc::asset(id, aid), "parc-etat")),
        Err(e) => {
            // Only a bad status code can fail here: the form offers valid ones.
            field_errors(s.shell.tr, e)?;
            Err(PageError::BadRequest)
        }
    }
}

// --------------------------------------------------------------------- form

/// The asset form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct AssetForm {
    #[serde(default)]
    pub inventory_number: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub manufacturer: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub owner_label: String,
    #[serde(default)]
    pub funding: String,
    #[serde(default)]
    pub purchase_date: String,
    #[serde(default)]
    pub warranty_end: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub holder_name: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub note: String,
}

impl From<AssetForm> for AssetInput {
    fn from(f: AssetForm) -> Self {
        AssetInput {
            inventory_number: f.inventory_number,
            category: f.category,
            manufacturer: f.manufacturer,
            model: f.model,
            serial: f.serial,
            owner: f.owner,
            owner_label: f.owner_label,
            funding: f.funding,
            purchase_date: f.purchase_date,
            warranty_end: f.warranty_end,
            room: f.room,
            holder_name: f.holder_name,
            status: f.status,
            parent: f.parent,
            notes: f.notes,
        }
    }
}

#[derive(Template)]
#[template(path = "parc/form.html")]
struct FormPage {
    page: Page,
    tabs: Vec<Tab>,
    heading: String,
    action: String,
    input: AssetInput,
    categories: Vec<Opt>,
    owners: Vec<Opt>,
    statuses: Vec<Opt>,
    rooms: Vec<Opt>,
    editing: bool,
    note: String,
    errors: FormErrors,
}

/// Dates typed in ISO form are shown the French way.
fn french_date(s: &str) -> String {
    match chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => s.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    heading: String,
    action: String,
    mut input: AssetInput,
    editing: bool,
    note: String,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let tr = s.shell.tr;
    let rooms = places::rooms(&state.db, &s.ctx, id).await?;
    input.purchase_date = french_date(&input.purchase_date);
    input.warranty_end = french_date(&input.warranty_end);
    let mut room_opts = vec![Opt::new("", tr.t("parc-none-f"), &input.room)];
    room_opts.extend(
        rooms
            .iter()
            .map(|r| Opt::new(r.id.to_string(), r.name.clone(), &input.room)),
    );
    Ok(FormPage {
        page: s.shell.page_titled(heading.clone()),
        tabs: tabs(tr, id, "assets", true),
        heading,
        action,
        categories: AssetCategory::ALL
            .iter()
            .map(|c| Opt::new(c.as_str(), category_label(tr, c.as_str()), &input.category))
            .collect(),
        owners: AssetOwner::ALL
            .iter()
            .map(|o| Opt::new(o.as_str(), owner_label(tr, o.as_str()), &input.owner))
            .collect(),
        statuses: AssetStatus::ALL
            .iter()
            .map(|st| Opt::new(st.as_str(), status_label(tr, st.as_str()), &input.status))
            .collect(),
        rooms: room_opts,
        input,
        editing,
        note,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    // Asking the policy for the right to manage before showing the form.
    refnum_services::orgs::etab_for(
        &state.db,
        &s.ctx,
        id,
        refnum_domain::policy::EtabAction::ManageParc,
    )
    .await?;
    let input = AssetInput {
        category: AssetCategory::Desktop.as_str().into(),
        owner: AssetOwner::Collectivite.as_str().into(),
        status: AssetStatus::InService.as_str().into(),
        ..Default::default()
    };
    let heading = s.shell.tr.t("parc-new-title");
    let p = form_page(
        &state,
        &s,
        id,
        heading,
        urls::parc::asset_new(id),
        input,
        false,
        String::new(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<AssetForm>,
) -> Result<Response, PageError> {
    let input: AssetInput = f.into();
    match assets::create(&state.db, &s.ctx, id, &input).await {
        Ok(a) => Ok(done(&urls::parc::asset(id, a.id), "parc-cree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let heading = s.shell.tr.t("parc-new-title");
            let p = form_page(
                &state,
                &s,
                id,
                heading,
                urls::parc::asset_new(id),
                input,
                false,
                String::new(),
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let v = assets::show(&state.db, &s.ctx, id, aid).await?;
    if !v.rights.manage {
        // Asks again to record the refusal and answer as the policy says.
        refnum_services::orgs::etab_for(
            &state.db,
            &s.ctx,
            id,
            refnum_domain::policy::EtabAction::ManageParc,
        )
        .await?;
        return Err(PageError::Forbidden);
    }
    let mut input = AssetInput::of(&v.asset);
    input.parent = v
        .parent
        .as_ref()
        .map(|p| p.inventory_number.clone())
        .unwrap_or_default();
    let heading = s.shell.tr.t_args(
        "parc-edit-title",
        &[("number", v.asset.inventory_number.clone())],
    );
    let p = form_page(
        &state,
        &s,
        id,
        heading,
        urls::parc::asset_edit(id, aid),
        input,
        true,
        String::new(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn edit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, aid)): Path<(Uuid, Uuid)>,
    Form(f): Form<AssetForm>,
) -> Result<Response, PageError> {
    let note = f.note.clone();
    let input: AssetInput = f.into();
    match assets::update(&state.db, &s.ctx, id, aid, &input, Some(note.clone())).await {
        Ok(_) => Ok(done(&urls::parc::asset(id, aid), "parc-enregistre")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let heading = s.shell.tr.t_args(
                "parc-edit-title",
                &[("number", input.inventory_number.clone())],
            );
            let p = form_page(
                &state,
                &s,
                id,
                heading,
                urls::parc::asset_edit(id, aid),
                input,
                true,
                note,
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
