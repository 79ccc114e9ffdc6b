//! Booking: one-off or weekly over school weeks, for oneself or for a staff
//! member, checked against the resource's rules and the other bookings; the
//! approval workflow; cancelling an occurrence or a series.
//!
//! Every write: `lock_resource` first (the row lock that serialises the
//! writers of one resource on PostgreSQL; `Db::write` already serialises
//! SQLite), then the checks against what is committed, then the inserts,
//! the audit event and the notifications, in one transaction.

use super::resources::{self, ResourceView};
use super::{Rights, open, today};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use refnum_db::assistance::{self as notif, NewNotification};
use refnum_db::entities::etablissement;
use refnum_db::entities::reservations::{booking, booking_slot as slot};
use refnum_db::reservations as q;
use refnum_db::{ConnectionTrait, Db};
use refnum_domain::booking::{
    BookingEvent, BookingStatus, class_year_of, day_off_on, fmt_hhmm, monday_of, parse_date,
    parse_hhmm, too_close, weekly,
};
use refnum_domain::policy::{self, Decision, EtabAction, EtabFacts};
use uuid::Uuid;

/// A recurring booking spans at most this many days.
pub const SERIES_MAX_DAYS: i64 = 366;
pub const NOTE_MAX: usize = 300;

/// What the booking form sends.
#[derive(Debug, Clone, Default)]
pub struct BookingInput {
    /// Empty: the caller.
    pub for_account: String,
    pub day: String,
    /// `slots` or `time`.
    pub mode: String,
    /// Slot ids (first and last of a run of consecutive slots).
    pub slot_from: String,
    pub slot_to: String,
    /// `HH:MM`, for a time range.
    pub start: String,
    pub end: String,
    /// Weekly, on the day's weekday, until `until`.
    pub repeat: bool,
    pub until: String,
    /// An annuaire structure (class or group) id, or empty.
    pub structure: String,
    pub note: String,
}

/// Why a booking (or one of its occurrences) cannot be made: the field it
/// concerns, the catalogue key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Refusal {
    fn new(field: &'static str, key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Refusal { field, key, args }
    }
}

/// What would happen to one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccState {
    Free,
    /// A holiday or closed day (its label).
    Skipped(String),
    /// Held by another booking (the message says by whom, when visible).
    Conflict(Refusal),
    /// A rule of the resource refuses it.
    Refused(Refusal),
}

#[derive(Debug, Clone)]
pub struct Planned {
    pub day: NaiveDate,
    pub state: OccState,
}

/// A checked booking request, before it is written.
pub struct Plan {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub resource: ResourceView,
    pub for_account: Uuid,
    pub for_name: String,
    pub start_min: i32,
    pub end_min: i32,
    /// `M2`, `M2–M3` or `08:00–09:30`.
    pub span: String,
    pub structure: Option<(Uuid, String)>,
    pub note: String,
    pub recurring: bool,
    /// The bookings will wait for the approver.
    pub needs_approval: bool,
    pub occurrences: Vec<Planned>,
    /// The school years (`2027-2028`) a weekly series reaches in which the
    /// school has no holiday period recorded: its dates there are not
    /// checked against holidays.
    pub unknown_years: Vec<String>,
}

impl Plan {
    pub fn free(&self) -> usize {
        self.occurrences
            .iter()
            .filter(|o| o.state == OccState::Free)
            .count()
    }
}

/// `M2`, `M2–M3` when `[start, end)` is exactly a run of slots, else the hours.
pub fn span_label(slots: &[slot::Model], start: i32, end: i32) -> String {
    let first = slots.iter().find(|s| s.start_min == start);
    let last = slots.iter().find(|s| s.end_min == end);
    match (first, last) {
        (Some(f), Some(l)) if f.id == l.id => f.code.clone(),
        (Some(f), Some(l)) if f.start_min < l.start_min => format!("{}–{}", f.code, l.code),
        _ => format!("{}–{}", fmt_hhmm(start), fmt_hhmm(end)),
    }
}

pub fn fmt_day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

async fn person_name<C: ConnectionTrait>(c: &C, id: Uuid) -> Result<String> {
    Ok(refnum_db::accounts::get(c, id)
        .await?
        .map(|a| a.display_name)
        .unwrap_or_default())
}

/// Checks the request and lists its occurrences against what is stored
/// (`c`: the connection, or the write transaction after the lock).
async fn plan_on<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    etab: etablissement::Model,
    facts: &EtabFacts,
    rights: Rights,
    resource_id: Uuid,
    input: &BookingInput,
) -> Result<Plan> {
    let resource = resources::view(c, etab.id, resource_id).await?;
    match policy::decide_booking(&ctx.actor, facts, &resource.roles()) {
        Decision::Allow => {}
        Decision::Forbidden => return Err(ServiceError::Forbidden),
        Decision::NotFound => return Err(ServiceError::NotFound),
    }
    let mut errors: Vec<FieldError> = vec![];
    let mut err = |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
    // Who it is for.
    let for_account = match input.for_account.trim() {
        "" => ctx.account.id,
        s => match Uuid::parse_str(s) {
            Ok(id) if id == ctx.account.id => id,
            Ok(id) => {
                if !rights.on_behalf {
                    return Err(ServiceError::Forbidden);
                }
                let people = notif::people_of_school(c, etab.id).await?;
                if people.iter().any(|(p, _)| *p == id) {
                    id
                } else {
                    err("for_account", "resa-error-for");
                    ctx.account.id
                }
            }
            Err(_) => {
                err("for_account", "resa-error-for");
                ctx.account.id
            }
        },
    };
    // The class or group.
    let structure = match input.structure.trim() {
        "" => None,
        s => match Uuid::parse_str(s) {
            Ok(id) => match refnum_db::annuaire::get_structure(c, etab.id, id).await? {
                Some(st) => Some((st.id, st.code)),
                None => {
                    err("structure", "resa-error-structure");
                    None
                }
            },
            Err(_) => {
                err("structure", "resa-error-structure");
                None
            }
        },
    };
    // When.
    let day = parse_date(&input.day);
    if day.is_none() {
        err("day", "resa-error-date");
    }
    let slots = q::slots_of(c, etab.id).await?;
    let times = if input.mode == "time" {
        let s = parse_hhmm(&input.start);
        let e = parse_hhmm(&input.end);
        if s.is_none() {
            err("start", "resa-error-time");
        }
        if e.is_none() {
            err("end", "resa-error-time");
        }
        match (s, e) {
            (Some(s), Some(e)) if e > s => Some((s, e)),
            (Some(_), Some(_)) => {
                err("end", "resa-error-end-before-start");
                None
            }
            _ => None,
        }
    } else {
        let find = |s: &str| {
            Uuid::parse_str(s.trim())
                .ok()
                .and_then(|id| slots.iter().find(|x| x.id == id))
        };
        let from = find(&input.slot_from);
        let to = if input.slot_to.trim().is_empty() {
            from
        } else {
            find(&input.slot_to)
        };
        match (from, to) {
            (None, _) => {
                err("slot_from", "resa-error-slot");
                None
            }
            (Some(_), None) => {
                err("slot_to", "resa-error-slot");
                None
            }
            (Some(f), Some(t)) if t.start_min < f.start_min => {
                err("slot_to", "resa-error-slot-order");
                None
            }
            (Some(f), Some(t)) => Some((f.start_min, t.end_min)),
        }
    };
    let until = if input.repeat {
        let u = parse_date(&input.until);
        match (day, u) {
            (_, None) => {
                err("until", "resa-error-date");
                None
            }
            (Some(d), Some(u)) if u < d => {
                err("until", "resa-error-until-before");
                None
            }
            (Some(d), Some(u)) if (u - d).num_days() > SERIES_MAX_DAYS => {
                err("until", "resa-error-until-too-far");
                None
            }
            (_, u) => u,
        }
    } else {
        day
    };
    let note: String = input.note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.chars().count() > NOTE_MAX {
        err("note", "resa-error-note");
    }
    let (Some(day), Some((start_min, end_min)), Some(until)) = (day, times, until) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let span = span_label(&slots, start_min, end_min);
    let for_name = person_name(c, for_account).await?;
    let approver = resource.approval_role();
    let needs_approval = approver.is_some_and(|r| !policy::may_approve(&ctx.actor, facts, r));
    let mut plan = Plan {
        etab,
        rights,
        for_account,
        for_name,
        start_min,
        end_min,
        span,
        structure,
        note,
        recurring: input.repeat,
        needs_approval,
        occurrences: vec![],
        unknown_years: vec![],
        resource,
    };
    // Every rule is checked below: if the resource is withdrawn, nothing.
    if !plan.resource.model.active {
        return Err(ServiceError::field("resource", "resa-rule-inactive"));
    }
    let days_off = super::timetable::days_off_between(c, plan.etab.id, day, until).await?;
    let dates: Vec<(NaiveDate, Option<String>)> = if input.repeat {
        weekly(day.weekday(), day, until, &days_off, 60)
            .into_iter()
            .map(|o| (o.day, o.skipped))
            .collect()
    } else {
        vec![(day, day_off_on(&days_off, day).map(|o| o.label.clone()))]
    };
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return Err(ServiceError::field("until", "resa-error-no-date"));
    };
    if input.repeat {
        let mut years: Vec<i32> = dates
            .iter()
            .filter_map(|(d, _)| class_year_of(*d))
            .collect();
        years.dedup();
        for y in years {
            let (Some(from), Some(to)) = (
                NaiveDate::from_ymd_opt(y, 9, 1),
                NaiveDate::from_ymd_opt(y + 1, 6, 30),
            ) else {
                continue;
            };
            if !q::has_holidays_between(c, plan.etab.id, from, to).await? {
                plan.unknown_years.push(format!("{y}-{}", y + 1));
            }
        }
    }
    // Quota weeks reach the Monday before the first date and the Sunday after the last.
    let existing = q::holding_between(
        c,
        plan.etab.id,
        plan.resource.model.id,
        monday_of(first.0),
        monday_of(last.0) + Duration::days(6),
    )
    .await?;
    let rules = &plan.resource.model;
    let today = today();
    let mut names: Vec<(Uuid, String)> = vec![];
    let mut planned_weeks: Vec<NaiveDate> = vec![];
    for (d, skipped) in dates {
        let state = if let Some(label) = skipped {
            OccState::Skipped(label)
        } else if d < today {
            OccState::Refused(Refusal::new("day", "resa-rule-past", vec![]))
        } else if let Some(max) = rules.max_minutes.filter(|m| end_min - start_min > *m) {
            OccState::Refused(Refusal::new(
                "end",
                "resa-rule-max-duration",
                vec![("minutes", max.to_string())],
            ))
        } else if let Some(h) = rules
            .horizon_days
            .filter(|h| d > today + Duration::days(i64::from(*h)))
        {
            OccState::Refused(Refusal::new(
                "day",
                "resa-rule-horizon",
                vec![("days", h.to_string())],
            ))
        } else if let Some(other) = existing
            .iter()
            .find(|b| b.day == d && too_close(b.start_min, b.end_min, start_min, end_min, 0))
        {
            let holder = if plan.rights.see_people || other.booked_for == ctx.account.id {
                let name = match names.iter().find(|(id, _)| *id == other.booked_for) {
                    Some((_, n)) => n.clone(),
                    None => {
                        let n = person_name(c, other.booked_for).await?;
                        names.push((other.booked_for, n.clone()));
                        n
                    }
                };
                Some(name)
            } else {
                None
            };
            let what = span_label(&slots, other.start_min, other.end_min);
            let mut args = vec![("slot", what), ("date", fmt_day(d))];
            let key = match holder {
                Some(h) => {
                    args.push(("holder", h));
                    "resa-conflict"
                }
                None => "resa-conflict-anonymous",
            };
            OccState::Conflict(Refusal::new("slot_from", key, args))
        } else if rules.gap_minutes > 0
            && existing.iter().any(|b| {
                b.day == d
                    && too_close(
                        b.start_min,
                        b.end_min,
                        start_min,
                        end_min,
                        rules.gap_minutes,
                    )
            })
        {
            OccState::Refused(Refusal::new(
                "slot_from",
                "resa-rule-gap",
                vec![("minutes", rules.gap_minutes.to_string())],
            ))
        } else if let Some(quota) = rules.weekly_quota.filter(|quota| {
            let week = monday_of(d);
            let stored = existing
                .iter()
                .filter(|b| b.booked_for == for_account && monday_of(b.day) == week)
                .count();
            let planned = planned_weeks.iter().filter(|w| **w == week).count();
            stored + planned >= usize::try_from(*quota).unwrap_or(0)
        }) {
            OccState::Refused(Refusal::new(
                "day",
                "resa-rule-quota",
                vec![("quota", quota.to_string())],
            ))
        } else {
            planned_weeks.push(monday_of(d));
            OccState::Free
        };
        plan.occurrences.push(Planned { day: d, state });
    }
    Ok(plan)
}

/// Checks a booking request and lists what would happen to each date,
/// without writing (the recurring booking's preview).
pub async fn preview(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    resource_id: Uuid,
    input: &BookingInput,
) -> Result<Plan> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::Book).await?;
    plan_on(&db.conn, ctx, etab, &facts, rights, resource_id, input).await
}

/// What a booking request produced.
#[derive(Debug, Clone)]
pub enum Outcome {
    Booked {
        ids: Vec<Uuid>,
        series: Option<Uuid>,
        pending: bool,
    },
    Refused(Refusal),
}

fn notification_title(r: &ResourceView, day: NaiveDate, span: &str) -> String {
    format!("{} — {} {}", r.name, fmt_day(day), span)
        .chars()
        .take(300)
        .collect()
}

pub fn mine_link(etab: Uuid) -> String {
    format!("/etablissements/{etab}/reservations/mes-reservations")
}

fn approvals_link(etab: Uuid) -> String {
    format!("/etablissements/{etab}/reservations")
}

/// Books: a one-off booking must be free; a recurring one books its free
/// dates (the preview showed the others) and fails if none is left.
pub async fn create(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    resource_id: Uuid,
    input: &BookingInput,
) -> Result<Outcome> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::Book).await?;
    let txn = db.write().await?;
    // First: the resource's row lock, so that the checks below see every
    // booking committed before ours and none can slip in until we commit.
    if !q::lock_resource(&*txn, etab.id, resource_id).await? {
        return Err(ServiceError::NotFound);
    }
    let plan = plan_on(&*txn, ctx, etab, &facts, rights, resource_id, input).await?;
    if !plan.recurring {
        match plan.occurrences.first().map(|o| &o.state) {
            Some(OccState::Free) => {}
            Some(OccState::Conflict(r)) | Some(OccState::Refused(r)) => {
                return Ok(Outcome::Refused(r.clone()));
            }
            Some(OccState::Skipped(label)) => {
                return Ok(Outcome::Refused(Refusal::new(
                    "day",
                    "resa-rule-day-off",
                    vec![("label", label.clone())],
                )));
            }
            None => return Err(ServiceError::field("day", "resa-error-no-date")),
        }
    }
    let free: Vec<NaiveDate> = plan
        .occurrences
        .iter()
        .filter(|o| o.state == OccState::Free)
        .map(|o| o.day)
        .collect();
    if free.is_empty() {
        return Ok(Outcome::Refused(Refusal::new(
            "until",
            "resa-nothing-free",
            vec![],
        )));
    }
    let now = Utc::now();
    let series = plan.recurring.then(Uuid::now_v7);
    let status = if plan.needs_approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Approved
    };
    let rows: Vec<booking::Model> = free
        .iter()
        .map(|d| booking::Model {
            id: Uuid::now_v7(),
            etablissement_id: plan.etab.id,
            resource_id,
            series_id: series,
            day: *d,
            start_min: plan.start_min,
            end_min: plan.end_min,
            status: status.as_str().into(),
            booked_for: plan.for_account,
            booked_by: ctx.account.id,
            structure_id: plan.structure.as_ref().map(|s| s.0),
            group_label: plan.structure.as_ref().map(|s| s.1.clone()),
            note: plan.note.clone(),
            decided_by: None,
            decided_at: None,
            cancelled_by: None,
            cancelled_at: None,
            created_at: now,
        })
        .collect();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    q::insert_bookings(&*txn, rows).await?;
    let mut notes = vec![];
    let title = notification_title(&plan.resource, free[0], &plan.span);
    if plan.for_account != ctx.account.id {
        notes.push(NewNotification {
            account_id: plan.for_account,
            ticket_id: None,
            etablissement_id: Some(plan.etab.id),
            kind: "booking-made-for-you".into(),
            title: title.clone(),
            link: mine_link(plan.etab.id),
        });
    }
    if let Some(role) = plan
        .resource
        .approval_role()
        .filter(|_| plan.needs_approval)
    {
        {
            for a in notif::accounts_with_roles_on(&*txn, plan.etab.id, &[role.as_str()]).await? {
                if a != ctx.account.id {
                    notes.push(NewNotification {
                        account_id: a,
                        ticket_id: None,
                        etablissement_id: Some(plan.etab.id),
                        kind: "booking-pending".into(),
                        title: title.clone(),
                        link: approvals_link(plan.etab.id),
                    });
                }
            }
        }
    }
    notif::notify(&*txn, notes, now).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.created",
            target: format!("booking_resource:{resource_id}"),
            etablissement_id: Some(plan.etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "for": plan.for_account,
                "series": series,
                "dates": free.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                "start": plan.start_min,
                "end": plan.end_min,
                "status": status.as_str(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Booked {
        ids,
        series,
        pending: plan.needs_approval,
    })
}

// ----------------------------------------------------------- cancel, decide

/// Cancels one occurrence, or the occurrences of its series from its day on.
/// The person it was for and its booker (when someone else cancels) are
/// notified. Returns how many were cancelled.
pub async fn cancel(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    booking_id: Uuid,
    whole_series: bool,
) -> Result<usize> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let Some(b) = q::get_booking(&db.conn, etab.id, booking_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let me = ctx.account.id;
    if b.booked_for != me && b.booked_by != me && !rights.on_behalf && !rights.manage {
        return Err(ServiceError::Forbidden);
    }
    let txn = db.write().await?;
    q::lock_resource(&*txn, etab.id, b.resource_id).await?;
    let targets = match (whole_series, b.series_id) {
        (true, Some(series)) => q::series_from(&*txn, etab.id, series, b.day).await?,
        _ => q::get_booking(&*txn, etab.id, booking_id)
            .await?
            .into_iter()
            .collect(),
    };
    let now = Utc::now();
    let mut done = vec![];
    for t in targets {
        let Some(next) =
            BookingStatus::parse(&t.status).and_then(|s| s.transition(BookingEvent::Cancel))
        else {
            continue;
        };
        done.push(t.day);
        q::update_booking(
            &*txn,
            booking::Model {
                status: next.as_str().into(),
                cancelled_by: Some(me),
                cancelled_at: Some(now),
                ..t
            },
        )
        .await?;
    }
    if done.is_empty() {
        return Err(ServiceError::field("booking", "resa-error-not-cancellable"));
    }
    let resource = resources::view(&*txn, etab.id, b.resource_id).await?;
    let slots = q::slots_of(&*txn, etab.id).await?;
    let title = notification_title(
        &resource,
        done[0],
        &span_label(&slots, b.start_min, b.end_min),
    );
    let mut to = vec![];
    if b.booked_for != me {
        to.push(b.booked_for);
    }
    if b.booked_by != me && b.booked_by != b.booked_for {
        to.push(b.booked_by);
    }
    notif::notify(
        &*txn,
        to.into_iter()
            .map(|a| NewNotification {
                account_id: a,
                ticket_id: None,
                etablissement_id: Some(etab.id),
                kind: "booking-cancelled".into(),
                title: title.clone(),
                link: mine_link(etab.id),
            })
            .collect(),
        now,
    )
    .await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.cancelled",
            target: format!("booking:{booking_id}"),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "series": whole_series,
                "dates": done.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(done.len())
}

/// Approves or refuses a pending booking (with the pending occurrences of
/// its series); the person it is for is notified.
pub async fn decide(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    booking_id: Uuid,
    approve: bool,
) -> Result<usize> {
    let (etab, facts, _) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let Some(b) = q::get_booking(&db.conn, etab.id, booking_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let resource = resources::view(&db.conn, etab.id, b.resource_id).await?;
    let Some(role) = resource.approval_role() else {
        return Err(ServiceError::field("booking", "resa-error-not-pending"));
    };
    if !policy::may_approve(&ctx.actor, &facts, role) {
        audit::record_refusal(
            db,
            ctx,
            &format!("booking:{booking_id}:decide"),
            Some(etab.id),
        )
        .await;
        return Err(ServiceError::Forbidden);
    }
    let event = if approve {
        BookingEvent::Approve
    } else {
        BookingEvent::Refuse
    };
    let txn = db.write().await?;
    q::lock_resource(&*txn, etab.id, b.resource_id).await?;
    let targets = match b.series_id {
        Some(series) => q::series_from(&*txn, etab.id, series, b.day).await?,
        None => q::get_booking(&*txn, etab.id, booking_id)
            .await?
            .into_iter()
            .collect(),
    };
    let now = Utc::now();
    let mut done = vec![];
    for t in targets {
        if t.status != BookingStatus::Pending.as_str() {
            continue;
        }
        let Some(next) = BookingStatus::Pending.transition(event) else {
            continue;
        };
        done.push(t.day);
        q::update_booking(
            &*txn,
            booking::Model {
                status: next.as_str().into(),
                decided_by: Some(ctx.account.id),
                decided_at: Some(now),
                ..t
            },
        )
        .await?;
    }
    if done.is_empty() {
        return Err(ServiceError::field("booking", "resa-error-not-pending"));
    }
    let slots = q::slots_of(&*txn, etab.id).await?;
    let title = notification_title(
        &resource,
        done[0],
        &span_label(&slots, b.start_min, b.end_min),
    );
    let mut to = vec![b.booked_for];
    if b.booked_by != b.booked_for {
        to.push(b.booked_by);
    }
    to.retain(|a| *a != ctx.account.id);
    notif::notify(
        &*txn,
        to.into_iter()
            .map(|a| NewNotification {
                account_id: a,
                ticket_id: None,
                etablissement_id: Some(etab.id),
                kind: if approve {
                    "booking-approved".into()
                } else {
                    "booking-refused".into()
                },
                title: title.clone(),
                link: mine_link(etab.id),
            })
            .collect(),
        now,
    )
    .await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: if approve {
                "booking.approved"
            } else {
                "booking.refused"
            },
            target: format!("booking:{booking_id}"),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "dates": done.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(done.len())
}

/// What the booking form offers.
pub struct FormData {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub resource: ResourceView,
    pub slots: Vec<slot::Model>,
    /// Whom the caller may book for (on behalf), by name; empty otherwise.
    pub people: Vec<(Uuid, String)>,
    /// The school's current classes and groups: (id, code).
    pub structures: Vec<(Uuid, String)>,
}

pub async fn form_data(db: &Db, ctx: &Ctx, etab_id: Uuid, resource_id: Uuid) -> Result<FormData> {
    let (etab, facts, rights) = open(db, ctx, etab_id, EtabAction::Book).await?;
    let resource = resources::view(&db.conn, etab.id, resource_id).await?;
    match policy::decide_booking(&ctx.actor, &facts, &resource.roles()) {
        Decision::Allow => {}
        Decision::Forbidden => return Err(ServiceError::Forbidden),
        Decision::NotFound => return Err(ServiceError::NotFound),
    }
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let people = if rights.on_behalf {
        notif::people_of_school(&db.conn, etab.id).await?
    } else {
        vec![]
    };
    let structures = refnum_db::annuaire::list_structures(&db.conn, etab.id, false)
        .await?
        .into_iter()
        .map(|s| (s.id, s.code))
        .collect();
    Ok(FormData {
        etab,
        rights,
        resource,
        slots,
        people,
        structures,
    })
}
