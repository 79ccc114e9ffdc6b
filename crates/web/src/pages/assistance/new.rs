//! The creation form of a ticket, for the school's staff.

use super::{flag, label};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_domain::ticket::{Level, TicketCategory, TicketKind, TicketSource};
use refnum_services::assistance::create::{self, NewForm, TicketInput};
use uuid::Uuid;

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    equipement: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct TicketForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    asset_id: String,
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    impact: String,
    unusable: Option<String>,
}

impl TicketForm {
    fn input(&self) -> TicketInput {
        TicketInput {
            kind: self.kind.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            asset_id: self.asset_id.clone(),
            room_id: self.room_id.clone(),
            urgency: self.urgency.clone(),
            impact: self.impact.clone(),
            unusable: flag(&self.unusable),
        }
    }
}

#[derive(Template)]
#[template(path = "assistance/new.html")]
struct NewPage {
    page: Page,
    heading: String,
    action: String,
    kb_url: String,
    title: String,
    description: String,
    asset_id: String,
    asset_label: Option<String>,
    kinds: Vec<Opt>,
    categories: Vec<Opt>,
    rooms: Vec<Opt>,
    urgencies: Vec<Opt>,
    impacts: Vec<Opt>,
    unusable: bool,
    errors: FormErrors,
}

fn levels(tr: Tr, current: &str) -> Vec<Opt> {
    Level::ALL
        .iter()
        .map(|l| Opt::new(l.as_str(), label(tr, "ticket-level", l.as_str()), current))
        .collect()
}

fn page(tr: Tr, page: Page, f: &NewForm, input: &TicketInput, errors: FormErrors) -> NewPage {
    let etab = f.etab.id;
    let category = if input.category.is_empty() {
        f.asset
            .as_ref()
            .map(|a| a.category.clone())
            .unwrap_or_default()
    } else {
        input.category.clone()
    };
    let mut rooms = vec![Opt::new("", tr.t("ticket-no-room"), &input.room_id)];
    rooms.extend(
        f.rooms
            .iter()
            .map(|r| Opt::new(r.id.to_string(), r.name.clone(), &input.room_id)),
    );
    NewPage {
        page,
        heading: tr.t("ticket-new-title"),
        action: urls::assistance::new_ticket(etab),
        kb_url: urls::assistance::kb_suggestions(etab),
        title: input.title.clone(),
        description: input.description.clone(),
        asset_id: f
            .asset
            .as_ref()
            .map(|a| a.id.to_string())
            .unwrap_or_default(),
        asset_label: f.asset.as_ref().map(|a| a.label.clone()),
        kinds: TicketKind::ALL
            .iter()
            .map(|k| {
                Opt::new(
                    k.as_str(),
                    label(tr, "ticket-kind", k.as_str()),
                    &input.kind,
                )
            })
            .collect(),
        categories: TicketCategory::ALL
            .iter()
            .map(|c| {
                Opt::new(
                    c.as_str(),
                    label(tr, "ticket-category", c.as_str()),
                    &category,
                )
            })
            .collect(),
        rooms,
        urgencies: levels(tr, &input.urgency),
        impacts: levels(tr, &input.impact),
        unusable: input.unusable,
        errors,
    }
}

pub async fn form(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let asset = q
        .equipement
        .as_deref()
        .and_then(|a| Uuid::parse_str(a.trim()).ok());
    let f = create::new_form(&state.db, &s.ctx, id, asset).await?;
    let tr = s.shell.tr;
    let input = TicketInput {
        kind: "incident".into(),
        urgency: "medium".into(),
        impact: "medium".into(),
        room_id: f
            .asset
            .as_ref()
            .and_then(|a| a.room_id)
            .map(|r| r.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    let p = page(
        tr,
        s.shell.page("ticket-new-title"),
        &f,
        &input,
        FormErrors::default(),
    );
    Ok(render(&p))
}

pub async fn submit(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<TicketForm>,
) -> Result<Response, PageError> {
    let input = form.input();
    match create::create(&state.db, &s.ctx, id, &input, TicketSource::Web).await {
        Ok(t) => Ok(done(&urls::assistance::ticket(t.id), "ticket-created")),
        Err(e) => {
            let tr = s.shell.tr;
            let errors = field_errors(tr, e)?;
            let asset = Uuid::parse_str(input.asset_id.trim()).ok();
            let f = create::new_form(&state.db, &s.ctx, id, asset).await?;
            let p = page(tr, s.shell.page("ticket-new-title"), &f, &input, errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
