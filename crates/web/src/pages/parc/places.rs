//! Rooms and buildings: the lists with their creation forms, one room with
//! its equipment, the edit forms, deletion of empty places.

use super::{Tab, category_label, room_kind_label, status_label, tabs};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FormErrors, field_errors};
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{Opt, PAGE_SIZE, Pager, SignedIn, done, render, render_status};
use crate::urls;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use refnum_db::parc::AssetFilter;
use refnum_services::parc::places::{self, BuildingInput, RoomInput};
use refnum_services::parc::{Rights, RoomKind, assets};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize)]
pub struct RoomForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub floor: String,
    #[serde(default)]
    pub notes: String,
}

impl From<RoomForm> for RoomInput {
    fn from(f: RoomForm) -> Self {
        RoomInput {
            name: f.name,
            building: f.building,
            kind: f.kind,
            capacity: f.capacity,
            floor: f.floor,
            notes: f.notes,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct BuildingForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub notes: String,
}

impl From<BuildingForm> for BuildingInput {
    fn from(f: BuildingForm) -> Self {
        BuildingInput {
            name: f.name,
            notes: f.notes,
        }
    }
}

fn kind_opts(tr: Tr, current: &str) -> Vec<Opt> {
    RoomKind::ALL
        .iter()
        .map(|k| Opt::new(k.as_str(), room_kind_label(tr, k.as_str()), current))
        .collect()
}

fn building_opts(tr: Tr, buildings: &[(Uuid, String)], current: &str) -> Vec<Opt> {
    let mut v = vec![Opt::new("", tr.t("parc-none"), current)];
    v.extend(
        buildings
            .iter()
            .map(|(id, name)| Opt::new(id.to_string(), name.clone(), current)),
    );
    v
}

// -------------------------------------------------------------------- rooms

pub struct RoomRow {
    pub href: String,
    pub name: String,
    pub building: String,
    pub kind: String,
    pub capacity: String,
    pub floor: String,
    pub assets: u64,
    pub edit_href: String,
    pub delete_action: String,
    pub delete_label: String,
}

#[derive(Template)]
#[template(path = "parc/rooms.html")]
struct RoomsPage {
    page: Page,
    tabs: Vec<Tab>,
    rows: Vec<RoomRow>,
    rights: Rights,
    action: String,
    input: RoomInput,
    kinds: Vec<Opt>,
    buildings: Vec<Opt>,
    buildings_href: String,
    errors: FormErrors,
}

async fn rooms_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    input: RoomInput,
    errors: FormErrors,
) -> Result<RoomsPage, PageError> {
    let tr = s.shell.tr;
    let p = places::places(&state.db, &s.ctx, id).await?;
    let bl: Vec<(Uuid, String)> = p
        .buildings
        .iter()
        .map(|b| (b.building.id, b.building.name.clone()))
        .collect();
    Ok(RoomsPage {
        page: s
            .shell
            .page_titled(format!("{} — {}", tr.t("parc-places-title"), p.etab.name)),
        tabs: tabs(tr, id, "places", p.rights.manage),
        rows: p
            .rooms
            .iter()
            .map(|r| RoomRow {
                href: urls::parc::room(id, r.room.id),
                name: r.room.name.clone(),
                building: r.building.clone().unwrap_or_default(),
                kind: room_kind_label(tr, &r.room.kind),
                capacity: r.room.capacity.map(|c| c.to_string()).unwrap_or_default(),
                floor: r.room.floor.clone().unwrap_or_default(),
                assets: r.assets,
                edit_href: urls::parc::room_edit(id, r.room.id),
                delete_action: urls::parc::room_delete(id, r.room.id),
                delete_label: tr.t_args("parc-delete-room", &[("name", r.room.name.clone())]),
            })
            .collect(),
        rights: p.rights,
        action: urls::parc::rooms(id),
        kinds: kind_opts(tr, &input.kind),
        buildings: building_opts(tr, &bl, &input.building),
        input,
        buildings_href: urls::parc::buildings(id),
        errors,
    })
}

pub async fn rooms(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let input = RoomInput {
        kind: RoomKind::Classroom.as_str().into(),
        ..Default::default()
    };
    let p = rooms_page(&state, &s, id, input, FormErrors::default()).await?;
    Ok(render(&p))
}

pub async fn room_create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<RoomForm>,
) -> Result<Response, PageError> {
    let input: RoomInput = f.into();
    match places::create_room(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&urls::parc::rooms(id), "parc-salle")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = rooms_page(&state, &s, id, input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn room_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    match places::delete_room(&state.db, &s.ctx, id, rid).await {
        Ok(()) => Ok(done(&urls::parc::rooms(id), "parc-salle-supprimee")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let input = RoomInput {
                kind: RoomKind::Classroom.as_str().into(),
                ..Default::default()
            };
            let p = rooms_page(&state, &s, id, input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub struct AssetRow {
    pub href: String,
    pub number: String,
    pub category: String,
    pub model: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "parc/room.html")]
struct RoomPage {
    page: Page,
    tabs: Vec<Tab>,
    heading: String,
    building: String,
    kind: String,
    capacity: String,
    floor: String,
    notes: String,
    summary: String,
    rows: Vec<AssetRow>,
    pager: Pager,
    rights: Rights,
    edit_href: String,
    list_href: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub page: Option<u64>,
}

pub async fn room(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, Uuid)>,
    Query(pq): Query<PageQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let v = places::room(&state.db, &s.ctx, id, rid).await?;
    let page_no = pq.page.unwrap_or(1).clamp(1, 100_000);
    let l = assets::list(
        &state.db,
        &s.ctx,
        id,
        &AssetFilter {
            room: Some(rid),
            include_retired: true,
            page: page_no - 1,
            per_page: PAGE_SIZE,
            ..Default::default()
        },
    )
    .await?;
    let heading = tr.t_args("parc-room-title", &[("name", v.room.name.clone())]);
    let base = urls::parc::room(id, rid);
    Ok(render(&RoomPage {
        page: s.shell.page_titled(heading.clone()),
        tabs: tabs(tr, id, "places", v.rights.manage),
        heading,
        building: v.building.map(|b| b.name).unwrap_or_default(),
        kind: room_kind_label(tr, &v.room.kind),
        capacity: v.room.capacity.map(|c| c.to_string()).unwrap_or_default(),
        floor: v.room.floor.clone().unwrap_or_default(),
        notes: v.room.notes.clone(),
        summary: tr.t_args("parc-count", &[("count", l.total.to_string())]),
        rows: l
            .rows
            .into_iter()
            .map(|r| AssetRow {
                href: urls::parc::asset(id, r.asset.id),
                number: r.asset.inventory_number,
                category: category_label(tr, &r.asset.category),
                model: format!("{} {}", r.asset.manufacturer, r.asset.model)
                    .trim()
                    .to_string(),
                status: status_label(tr, &r.asset.status),
            })
            .collect(),
        pager: Pager::new(tr, &base, "", page_no, l.total),
        rights: v.rights,
        edit_href: urls::parc::room_edit(id, rid),
        list_href: format!("{}?salle={rid}", urls::parc::assets(id)),
    }))
}

#[derive(Template)]
#[template(path = "parc/room_form.html")]
struct RoomFormPage {
    page: Page,
    tabs: Vec<Tab>,
    heading: String,
    action: String,
    input: RoomInput,
    kinds: Vec<Opt>,
    buildings: Vec<Opt>,
    errors: FormErrors,
}

async fn room_form_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    rid: Uuid,
    input: Option<RoomInput>,
    errors: FormErrors,
) -> Result<RoomFormPage, PageError> {
    let tr = s.shell.tr;
    let p = places::places(&state.db, &s.ctx, id).await?;
    let Some(line) = p.rooms.iter().find(|r| r.room.id == rid) else {
        return Err(PageError::NotFound);
    };
    if !p.rights.manage {
        refnum_services::orgs::etab_for(
            &state.db,
            &s.ctx,
            id,
            refnum_domain::policy::EtabAction::ManageParc,
        )
        .await?;
        return Err(PageError::Forbidden);
    }
    let input = input.unwrap_or_else(|| RoomInput::of(&line.room));
    let bl: Vec<(Uuid, String)> = p
        .buildings
        .iter()
        .map(|b| (b.building.id, b.building.name.clone()))
        .collect();
    let heading = tr.t_args("parc-room-edit-title", &[("name", line.room.name.clone())]);
    Ok(RoomFormPage {
        page: s.shell.page_titled(heading.clone()),
        tabs: tabs(tr, id, "places", true),
        heading,
        action: urls::parc::room_edit(id, rid),
        kinds: kind_opts(tr, &input.kind),
        buildings: building_opts(tr, &bl, &input.building),
        input,
        errors,
    })
}

pub async fn room_edit_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let p = room_form_page(&state, &s, id, rid, None, FormErrors::default()).await?;
    Ok(render(&p))
}

pub async fn room_edit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, Uuid)>,
    Form(f): Form<RoomForm>,
) -> Result<Response, PageError> {
    let input: RoomInput = f.into();
    match places::update_room(&state.db, &s.ctx, id, rid, &input).await {
        Ok(_) => Ok(done(&urls::parc::room(id, rid), "parc-salle")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = room_form_page(&state, &s, id, rid, Some(input), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

// ---------------------------------------------------------------- buildings

pub struct BuildingRow {
    pub name: String,
    pub rooms: u64,
    pub notes: String,
    pub edit_href: String,
    pub edit_label: String,
    pub delete_action: String,
    pub delete_label: String,
}

#[derive(Template)]
#[template(path = "parc/buildings.html")]
struct BuildingsPage {
    page: Page,
    tabs: Vec<Tab>,
    rows: Vec<BuildingRow>,
    rights: Rights,
    action: String,
    input: BuildingInput,
    errors: FormErrors,
}

async fn buildings_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    input: BuildingInput,
    errors: FormErrors,
) -> Result<BuildingsPage, PageError> {
    let tr = s.shell.tr;
    let p = places::places(&state.db, &s.ctx, id).await?;
    Ok(BuildingsPage {
        page: s
            .shell
            .page_titled(format!("{} — {}", tr.t("parc-buildings"), p.etab.name)),
        tabs: tabs(tr, id, "places", p.rights.manage),
        rows: p
            .buildings
            .iter()
            .map(|b| BuildingRow {
                name: b.building.name.clone(),
                rooms: b.rooms,
                notes: b.building.notes.clone(),
                edit_href: urls::parc::building_edit(id, b.building.id),
                edit_label: tr.t_args("parc-edit-building", &[("name", b.building.name.clone())]),
                delete_action: urls::parc::building_delete(id, b.building.id),
                delete_label: tr
                    .t_args("parc-delete-building", &[("name", b.building.name.clone())]),
            })
            .collect(),
        rights: p.rights,
        action: urls::parc::buildings(id),
        input,
        errors,
    })
}

pub async fn buildings(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let p = buildings_page(
        &state,
        &s,
        id,
        BuildingInput::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn building_create(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<BuildingForm>,
) -> Result<Response, PageError> {
    let input: BuildingInput = f.into();
    match places::create_building(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&urls::parc::buildings(id), "parc-batiment")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = buildings_page(&state, &s, id, input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn building_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, bid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    match places::delete_building(&state.db, &s.ctx, id, bid).await {
        Ok(()) => Ok(done(&urls::parc::buildings(id), "parc-batiment-supprime")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = buildings_page(&state, &s, id, BuildingInput::default(), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "parc/building_form.html")]
struct BuildingFormPage {
    page: Page,
    tabs: Vec<Tab>,
    heading: String,
    action: String,
    input: BuildingInput,
    errors: FormErrors,
}

async fn building_form_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    bid: Uuid,
    input: Option<BuildingInput>,
    errors: FormErrors,
) -> Result<BuildingFormPage, PageError> {
    let tr = s.shell.tr;
    let p = places::places(&state.db, &s.ctx, id).await?;
    let Some(line) = p.buildings.iter().find(|b| b.building.id == bid) else {
        return Err(PageError::NotFound);
    };
    if !p.rights.manage {
        refnum_services::orgs::etab_for(
            &state.db,
            &s.ctx,
            id,
            refnum_domain::policy::EtabAction::ManageParc,
        )
        .await?;
        return Err(PageError::Forbidden);
    }
    let heading = tr.t_args(
        "parc-building-edit-title",
        &[("name", line.building.name.clone())],
    );
    Ok(BuildingFormPage {
        page: s.shell.page_titled(heading.clone()),
        tabs: tabs(tr, id, "places", true),
        heading,
        action: urls::parc::building_edit(id, bid),
        input: input.unwrap_or_else(|| BuildingInput {
            name: line.building.name.clone(),
            notes: line.building.notes.clone(),
        }),
        errors,
    })
}

pub async fn building_edit_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, bid)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let p = building_form_page(&state, &s, id, bid, None, FormErrors::default()).await?;
    Ok(render(&p))
}

pub async fn building_edit(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, bid)): Path<(Uuid, Uuid)>,
    Form(f): Form<BuildingForm>,
) -> Result<Response, PageError> {
    let input: BuildingInput = f.into();
    match places::update_building(&state.db, &s.ctx, id, bid, &input).await {
        Ok(_) => Ok(done(&urls::parc::buildings(id), "parc-batiment")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = building_form_page(&state, &s, id, bid, Some(input), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
