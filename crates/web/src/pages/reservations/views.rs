//! A resource's week, the school's day and one's own bookings.

use super::{hours, path_id, status_label, weekday_label};
use crate::AppState;
use crate::errors::PageError;
use crate::i18n::Tr;
use crate::page::Page;
use crate::pages::{SignedIn, render};
use crate::urls::reservations as urls;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use refnum_domain::booking::parse_date;
use refnum_services::reservations::feeds::FeedTarget;
use refnum_services::reservations::views::{self as v, Cell, Occurrence, check_view_date};
use refnum_services::reservations::{resources::Target, today};
use uuid::Uuid;

/// A cell of a grid as the template shows it.
pub struct CellView {
    /// `free`, `off`, `held`.
    pub class: &'static str,
    pub text: String,
    /// A "book" link for a free cell the caller may book.
    pub book_href: Option<String>,
    /// Read by screen readers after the link text.
    pub context: String,
}

pub struct RowView {
    pub header: String,
    pub sub: String,
    pub cells: Vec<CellView>,
}

/// A booking in a list.
pub struct BookingLine {
    pub date: String,
    pub span: String,
    pub hours: String,
    pub resource: String,
    pub holder: String,
    pub group: String,
    pub status: String,
    pub cancel_action: Option<String>,
    pub series: bool,
    pub decide_action: String,
}

fn line(tr: Tr, id: Uuid, o: &Occurrence) -> BookingLine {
    let b = &o.booking;
    BookingLine {
        date: weekday_label(tr, b.day),
        span: o.span.clone(),
        hours: hours(b.start_min, b.end_min),
        resource: o.resource_name.clone(),
        holder: o
            .holder
            .clone()
            .unwrap_or_else(|| tr.t("resa-holder-hidden")),
        group: b.group_label.clone().unwrap_or_default(),
        status: status_label(tr, &b.status),
        cancel_action: o.cancellable.then(|| urls::cancel(id, b.id)),
        series: b.series_id.is_some(),
        decide_action: urls::decide(id, b.id),
    }
}

fn held_text(tr: Tr, bookings: &[Occurrence], idx: &[usize]) -> String {
    idx.iter()
        .filter_map(|i| bookings.get(*i))
        .map(|o| {
            let who = o
                .holder
                .clone()
                .unwrap_or_else(|| tr.t("resa-holder-hidden"));
            let mut t = who;
            if let Some(g) = &o.booking.group_label {
                t = format!("{t} ({g})");
            }
            if o.booking.status == "pending" {
                t = format!("{t} — {}", status_label(tr, "pending"));
            }
            t
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[derive(serde::Deserialize, Default)]
pub struct WeekQuery {
    semaine: Option<String>,
}

#[derive(Template)]
#[template(path = "reservations/week.html")]
struct WeekPage {
    page: Page,
    heading: String,
    home_href: String,
    kind: String,
    children: Vec<String>,
    can_manage: bool,
    rules_href: String,
    book_href: String,
    can_book: bool,
    caption: String,
    prev_href: String,
    next_href: String,
    this_week_href: String,
    days: Vec<String>,
    rows: Vec<RowView>,
    bookings: Vec<BookingLine>,
    back: String,
    no_slots: bool,
    feed: super::feeds::FeedBox,
}

pub async fn week(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, rid)): Path<(Uuid, String)>,
    Query(q): Query<WeekQuery>,
) -> Result<Response, PageError> {
    let rid = path_id(&rid)?;
    let tr = s.shell.tr;
    let day = match q.semaine.as_deref() {
        Some(d) => check_view_date(parse_date(d).ok_or(PageError::NotFound)?)?,
        None => today(),
    };
    let w = v::week(&state.db, &s.ctx, id, rid, day).await?;
    let created = refnum_services::reservations::feeds::live_of_week(&state.db, &s.ctx, &w).await?;
    let feed = super::feeds::feed_box_of(&s, id, FeedTarget::Resource(rid), created);
    let can_book = w.may_book;
    let rows = w
        .slots
        .iter()
        .zip(w.cells.iter())
        .map(|(sl, cells)| RowView {
            header: sl.code.clone(),
            sub: hours(sl.start_min, sl.end_min),
            cells: cells
                .iter()
                .zip(w.days.iter())
                .map(|(c, d)| {
                    let context = format!("{} {}", sl.code, weekday_label(tr, *d));
                    match c {
                        Cell::Free { bookable } => CellView {
                            class: "free",
                            text: tr.t("resa-cell-free"),
                            book_href: (*bookable && can_book).then(|| {
                                format!("{}?jour={d}&creneau={}", urls::book(id, rid), sl.id)
                            }),
                            context,
                        },
                        Cell::Off(label) => CellView {
                            class: "off",
                            text: label.clone(),
                            book_href: None,
                            context,
                        },
                        Cell::Held(idx) => CellView {
                            class: "held",
                            text: held_text(tr, &w.bookings, idx),
                            book_href: None,
                            context,
                        },
                    }
                })
                .collect(),
        })
        .collect();
    let heading = w.resource.name.clone();
    let last = w.days.last().copied().unwrap_or(w.monday);
    let p = WeekPage {
        page: s.shell.page_titled(heading.clone()),
        caption: tr.t_args(
            "resa-week-caption",
            &[
                ("name", heading.clone()),
                ("from", w.monday.format("%d/%m/%Y").to_string()),
                ("to", last.format("%d/%m/%Y").to_string()),
            ],
        ),
        heading,
        home_href: urls::home(id),
        kind: match &w.resource.target {
            Target::Room(_) => tr.t("resa-kind-room"),
            Target::Asset(_) => tr.t("resa-kind-asset"),
        },
        children: w.resource.children.clone(),
        can_manage: w.rights.manage,
        rules_href: urls::rules(id, rid),
        book_href: urls::book(id, rid),
        can_book,
        prev_href: urls::week(id, rid, w.monday - Duration::days(7)),
        next_href: urls::week(id, rid, w.monday + Duration::days(7)),
        this_week_href: urls::resource(id, rid),
        days: w.days.iter().map(|d| weekday_label(tr, *d)).collect(),
        rows,
        bookings: w.bookings.iter().map(|o| line(tr, id, o)).collect(),
        back: urls::week(id, rid, w.monday),
        no_slots: w.slots.is_empty(),
        feed,
    };
    Ok(render(&p))
}

#[derive(Template)]
#[template(path = "reservations/mine.html")]
struct MinePage {
    page: Page,
    heading: String,
    home_href: String,
    to_approve: Vec<BookingLine>,
    bookings: Vec<BookingLine>,
    back: String,
    feed: super::feeds::FeedBox,
}

pub async fn mine(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let m = v::mine(&state.db, &s.ctx, id).await?;
    let feed = super::feeds::feed_box(&state, &s, id, FeedTarget::Mine).await?;
    let heading = tr.t("resa-mine-title");
    Ok(render(&MinePage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        home_href: urls::home(id),
        to_approve: m.to_approve.iter().map(|o| line(tr, id, o)).collect(),
        bookings: m.bookings.iter().map(|o| line(tr, id, o)).collect(),
        back: urls::mine(id),
        feed,
    }))
}

#[derive(serde::Deserialize, Default)]
pub struct DayQuery {
    date: Option<String>,
}

#[derive(Template)]
#[template(path = "reservations/day.html")]
struct DayPage {
    page: Page,
    heading: String,
    home_href: String,
    action: String,
    date_value: String,
    off: String,
    caption: String,
    slots: Vec<(String, String)>,
    rows: Vec<RowView>,
    prev_href: String,
    next_href: String,
}

pub async fn day(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<Uuid>,
    Query(q): Query<DayQuery>,
) -> Result<Response, PageError> {
    let tr = s.shell.tr;
    let date: NaiveDate = match q.date.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => check_view_date(parse_date(d).ok_or(PageError::NotFound)?)?,
        None => today(),
    };
    let d = v::day(&state.db, &s.ctx, id, date).await?;
    let label = weekday_label(tr, date);
    let heading = tr.t_args("resa-day-title", &[("date", label.clone())]);
    let rows = d
        .resources
        .iter()
        .zip(d.cells.iter())
        .zip(d.may_book.iter())
        .map(|((r, cells), may_book)| RowView {
            header: r.name.clone(),
            sub: String::new(),
            cells: cells
                .iter()
                .zip(d.slots.iter())
                .map(|(c, sl)| {
                    let context = format!("{} {}", r.name, sl.code);
                    match c {
                        Cell::Free { bookable } => CellView {
                            class: "free",
                            text: tr.t("resa-cell-free"),
                            book_href: (*bookable && *may_book).then(|| {
                                format!(
                                    "{}?jour={date}&creneau={}",
                                    urls::book(id, r.model.id),
                                    sl.id
                                )
                            }),
                            context,
                        },
                        Cell::Off(l) => CellView {
                            class: "off",
                            text: l.clone(),
                            book_href: None,
                            context,
                        },
                        Cell::Held(idx) => CellView {
                            class: "held",
                            text: held_text(tr, &d.bookings, idx),
                            book_href: None,
                            context,
                        },
                    }
                })
                .collect(),
        })
        .collect();
    Ok(render(&DayPage {
        page: s.shell.page_titled(heading.clone()),
        heading,
        home_href: urls::home(id),
        action: urls::day(id),
        date_value: date.to_string(),
        off: d.off.clone().unwrap_or_default(),
        caption: tr.t_args("resa-day-caption", &[("date", label)]),
        slots: d
            .slots
            .iter()
            .map(|sl| (sl.code.clone(), hours(sl.start_min, sl.end_min)))
            .collect(),
        rows,
        prev_href: format!("{}?date={}", urls::day(id), date - Duration::days(1)),
        next_href: format!("{}?date={}", urls::day(id), date + Duration::days(1)),
    }))
}
