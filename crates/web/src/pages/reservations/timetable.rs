//! The timetable page: slots, zone, holidays and closed days, the
//! iCalendar import; and the slot edit page.

use super::{hours, path_id};
use crate::AppState;
use crate::errors::PageError;
use crate::forms::{FieldMsg, FormErrors, field_errors};
use crate::page::Page;
use crate::pages::{Opt, SignedIn, done, render, render_status};
use crate::session::DeferredCsrf;
use crate::urls::reservations as urls;
use askama::Template;
use axum::Form;
use axum::extract::{Extension, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use refnum_domain::booking::{Zone, fmt_hhmm};
use refnum_services::reservations::timetable::{self as tt, DayOffInput, SlotInput};
use uuid::Uuid;

/// The largest iCalendar file accepted.
pub const MAX_ICS_BYTES: usize = 512 * 1024;

pub struct SlotLine {
    pub code: String,
    pub label: String,
    pub hours: String,
    pub edit_href: String,
    pub delete_action: String,
}

pub struct DayOffLine {
    pub kind: String,
    pub label: String,
    pub dates: String,
    pub source: String,
    pub delete_action: String,
}

#[derive(Template)]
#[template(path = "reservations/timetable.html")]
struct TimetablePage {
    page: Page,
    heading: String,
    /// A warning naming the school years without holidays, or empty.
    missing_years: String,
    home_href: String,
    can_manage: bool,
    zone_label: String,
    zones: Vec<Opt>,
    zone_action: String,
    slots: Vec<SlotLine>,
    slot_action: String,
    slot: SlotInput,
    days_off: Vec<DayOffLine>,
    off_action: String,
    off: DayOffInput,
    kinds: Vec<Opt>,
    import_action: String,
    errors: FormErrors,
}

fn dates(start: chrono::NaiveDate, end: chrono::NaiveDate) -> String {
    if start == end {
        start.format("%d/%m/%Y").to_string()
    } else {
        format!("{} → {}", start.format("%d/%m/%Y"), end.format("%d/%m/%Y"))
    }
}

async fn build(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    slot: SlotInput,
    off: DayOffInput,
    errors: FormErrors,
) -> Result<TimetablePage, PageError> {
    let tr = s.shell.tr;
    let t = tt::timetable(&state.db, &s.ctx, id).await?;
    let heading = tr.t_args("resa-timetable-title", &[("name", t.etab.name.clone())]);
    let current_zone = t.zone.map(|z| z.as_str()).unwrap_or("");
    let mut zones = vec![Opt::new("", tr.t("resa-zone-none"), current_zone)];
    zones.extend(Zone::ALL.iter().map(|z| {
        Opt::new(
            z.as_str(),
            tr.t_args("resa-zone-n", &[("zone", z.as_str().into())]),
            current_zone,
        )
    }));
    let kind_now = if off.kind.is_empty() {
        "closed"
    } else {
        off.kind.as_str()
    };
    Ok(TimetablePage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        missing_years: if t.missing_years.is_empty() {
            String::new()
        } else {
            tr.t_args(
                "resa-missing-years",
                &[("years", t.missing_years.join(", "))],
            )
        },
        home_href: urls::home(id),
        can_manage: t.rights.manage,
        zone_label: match t.zone {
            Some(z) => tr.t_args("resa-zone-n", &[("zone", z.as_str().into())]),
            None => tr.t("resa-zone-none"),
        },
        zones,
        zone_action: urls::zone(id),
        slots: t
            .slots
            .iter()
            .map(|sl| SlotLine {
                code: sl.code.clone(),
                label: sl.label.clone(),
                hours: hours(sl.start_min, sl.end_min),
                edit_href: urls::slot(id, sl.id),
                delete_action: urls::slot_delete(id, sl.id),
            })
            .collect(),
        slot_action: urls::slots(id),
        slot,
        days_off: t
            .days_off
            .iter()
            .map(|d| DayOffLine {
                kind: tr.t(&format!("resa-day-off-{}", d.kind)),
                label: d.label.clone(),
                dates: dates(d.start_date, d.end_date),
                source: tr.t(&format!("resa-source-{}", d.source)),
                delete_action: urls::day_off_delete(id, d.id),
            })
            .collect(),
        off_action: urls::days_off(id),
        kinds: ["holiday", "closed"]
            .iter()
            .map(|k| Opt::new(*k, tr.t(&format!("resa-day-off-{k}")), kind_now))
            .collect(),
        off,
        import_action: urls::ics_import(id),
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let p = build(
        &state,
        &s,
        id,
        SlotInput::default(),
        DayOffInput::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&p))
}

#[derive(serde::Deserialize, Default)]
pub struct SlotForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

impl From<SlotForm> for SlotInput {
    fn from(f: SlotForm) -> Self {
        SlotInput {
            code: f.code,
            label: f.label,
            start: f.start,
            end: f.end,
        }
    }
}

pub async fn slot_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<SlotForm>,
) -> Result<Response, PageError> {
    let input: SlotInput = f.into();
    match tt::add_slot(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&urls::timetable(id), "resa-creneau-ajoute")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = build(&state, &s, id, input, DayOffInput::default(), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(Template)]
#[template(path = "reservations/slot_form.html")]
struct SlotPage {
    page: Page,
    heading: String,
    action: String,
    cancel_href: String,
    slot: SlotInput,
    errors: FormErrors,
}

async fn slot_page(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    sid: Uuid,
    input: Option<SlotInput>,
    errors: FormErrors,
) -> Result<SlotPage, PageError> {
    let t = tt::timetable(&state.db, &s.ctx, id).await?;
    if !t.rights.manage {
        return Err(PageError::Forbidden);
    }
    let Some(sl) = t.slots.iter().find(|x| x.id == sid) else {
        return Err(PageError::NotFound);
    };
    let heading = s
        .shell
        .tr
        .t_args("resa-slot-edit-title", &[("code", sl.code.clone())]);
    Ok(SlotPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        action: urls::slot(id, sid),
        cancel_href: urls::timetable(id),
        slot: input.unwrap_or(SlotInput {
            code: sl.code.clone(),
            label: sl.label.clone(),
            start: fmt_hhmm(sl.start_min),
            end: fmt_hhmm(sl.end_min),
        }),
        errors,
    })
}

pub async fn slot_form(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    let p = slot_page(&state, &s, id, sid, None, FormErrors::default()).await?;
    Ok(render(&p))
}

pub async fn slot_update(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
    Form(f): Form<SlotForm>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    let input: SlotInput = f.into();
    match tt::update_slot(&state.db, &s.ctx, id, sid, &input).await {
        Ok(_) => Ok(done(&urls::timetable(id), "enregistre")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = slot_page(&state, &s, id, sid, Some(input), errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn slot_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, sid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let sid = path_id(&sid)?;
    tt::delete_slot(&state.db, &s.ctx, id, sid).await?;
    Ok(done(&urls::timetable(id), "resa-creneau-supprime"))
}

#[derive(serde::Deserialize, Default)]
pub struct ZoneForm {
    #[serde(default)]
    zone: String,
}

pub async fn zone(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<ZoneForm>,
) -> Result<Response, PageError> {
    match tt::set_zone(&state.db, &s.ctx, id, &f.zone).await {
        Ok(_) => Ok(done(&urls::timetable(id), "resa-zone-enregistree")),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            let p = build(
                &state,
                &s,
                id,
                SlotInput::default(),
                DayOffInput::default(),
                errors,
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DayOffForm {
    #[serde(default)]
    off_kind: String,
    #[serde(default)]
    off_label: String,
    #[serde(default)]
    off_start: String,
    #[serde(default)]
    off_end: String,
}

pub async fn day_off_add(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Form(f): Form<DayOffForm>,
) -> Result<Response, PageError> {
    let input = DayOffInput {
        kind: f.off_kind,
        label: f.off_label,
        start: f.off_start,
        end: f.off_end,
    };
    match tt::add_day_off(&state.db, &s.ctx, id, &input).await {
        Ok(_) => Ok(done(&urls::timetable(id), "resa-conge-ajoute")),
        Err(e) => {
            let mut errors = field_errors(s.shell.tr, e)?;
            for i in &mut errors.items {
                i.field = format!("off_{}", i.field);
            }
            let p = build(&state, &s, id, SlotInput::default(), input, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn day_off_delete(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, did)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let did = path_id(&did)?;
    tt::delete_day_off(&state.db, &s.ctx, id, did).await?;
    Ok(done(&urls::timetable(id), "resa-conge-supprime"))
}

fn file_error(message: String) -> FormErrors {
    FormErrors {
        items: vec![FieldMsg {
            field: "file".into(),
            message,
        }],
    }
}

/// The iCalendar import: the CSRF token is the first multipart field.
pub async fn import(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    csrf: Option<Extension<DeferredCsrf>>,
    mut mp: Multipart,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let Some(Extension(csrf)) = csrf else {
        return Err(PageError::Forbidden);
    };
    let token = match mp.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf_token") => f.text().await.unwrap_or_default(),
        _ => String::new(),
    };
    if !csrf.matches(&token) {
        return Err(PageError::Forbidden);
    }
    let mut data: Option<Vec<u8>> = None;
    let mut too_big = false;
    while let Ok(Some(mut field)) = mp.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let mut buf = Vec::new();
        while let Ok(Some(chunk)) = field.chunk().await {
            if buf.len() + chunk.len() > MAX_ICS_BYTES {
                too_big = true;
                break;
            }
            buf.extend_from_slice(&chunk);
        }
        data = Some(buf);
        break;
    }
    if too_big {
        // Read (a bounded part of) the rest, so that the answer reaches the browser.
        let mut budget: usize = 2 * 1024 * 1024;
        'rest: while let Ok(Some(mut f)) = mp.next_field().await {
            while let Ok(Some(chunk)) = f.chunk().await {
                budget = budget.saturating_sub(chunk.len());
                if budget == 0 {
                    break 'rest;
                }
            }
        }
        return refuse(
            &state,
            &s,
            id,
            tr.t("resa-ics-too-big"),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    let Some(data) = data.filter(|d| !d.is_empty()) else {
        return refuse(
            &state,
            &s,
            id,
            tr.t("resa-ics-no-file"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match tt::import_ical(&state.db, &s.ctx, id, &data).await? {
        Ok(n) => Ok(crate::pages::done(
            &format!("{}?importes={n}", urls::timetable(id)),
            "resa-conges-importes",
        )
        .into_response()),
        Err(r) => {
            let what = tr.t(r.key);
            let message = if r.line == 0 {
                what
            } else {
                tr.t_args(
                    "resa-ics-line",
                    &[("line", r.line.to_string()), ("message", what)],
                )
            };
            refuse(&state, &s, id, message, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

async fn refuse(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    message: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let p = build(
        state,
        s,
        id,
        SlotInput::default(),
        DayOffInput::default(),
        file_error(message),
    )
    .await?;
    Ok(render_status(status, &p))
}
