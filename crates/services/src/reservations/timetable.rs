//! The timetable of a school: its slots, its holiday zone, its holidays and
//! closed days (built in for the zone, edited, imported from iCalendar).

use super::{Rights, open};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{NaiveDate, Utc};
use refnum_db::entities::etablissement;
use refnum_db::entities::reservations::{booking_day_off as day_off, booking_slot as slot};
use refnum_db::reservations as q;
use refnum_db::{Db, is_unique_violation};
use refnum_domain::booking::{
    DayOff, DayOffKind, Zone, builtin_holidays, parse_date, parse_hhmm, parse_slot_code,
};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

pub const LABEL_MAX: usize = 60;
pub const DAY_OFF_LABEL_MAX: usize = 120;
/// A day-off period spans at most this many days.
pub const DAY_OFF_MAX_DAYS: i64 = 100;

pub struct Timetable {
    pub etab: etablissement::Model,
    pub rights: Rights,
    pub zone: Option<Zone>,
    pub slots: Vec<slot::Model>,
    pub days_off: Vec<day_off::Model>,
    /// This school year and the next (`2027-2028`) when no holiday period
    /// is recorded for them: weekly bookings there skip no holidays.
    pub missing_years: Vec<String>,
}

/// The school years among this one and the next that have no holiday
/// period in `days_off`.
pub fn years_without_holidays(days_off: &[day_off::Model], today: NaiveDate) -> Vec<String> {
    let this = refnum_domain::booking::class_year_of(today).unwrap_or(
        // July and August: the coming year is the one to prepare.
        chrono::Datelike::year(&today),
    );
    [this, this + 1]
        .into_iter()
        .filter(|y| {
            let (Some(from), Some(to)) = (
                NaiveDate::from_ymd_opt(*y, 9, 1),
                NaiveDate::from_ymd_opt(y + 1, 6, 30),
            ) else {
                return false;
            };
            !days_off.iter().any(|d| {
                d.kind == DayOffKind::Holiday.as_str() && d.start_date <= to && d.end_date >= from
            })
        })
        .map(|y| format!("{y}-{}", y + 1))
        .collect()
}

pub async fn timetable(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Timetable> {
    let (etab, _, rights) = open(db, ctx, etab_id, EtabAction::ViewBookings).await?;
    let zone = q::calendar_of(&db.conn, etab.id)
        .await?
        .and_then(|c| c.zone)
        .and_then(|z| Zone::parse(&z));
    let slots = q::slots_of(&db.conn, etab.id).await?;
    let days_off = q::days_off_of(&db.conn, etab.id).await?;
    let missing_years = years_without_holidays(&days_off, super::today());
    Ok(Timetable {
        missing_years,
        etab,
        rights,
        zone,
        slots,
        days_off,
    })
}

/// The days off of a school as the recurrence sees them.
pub async fn days_off_between<C: refnum_db::ConnectionTrait>(
    c: &C,
    etab: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DayOff>> {
    Ok(q::days_off_between(c, etab, from, to)
        .await?
        .into_iter()
        .map(|d| DayOff {
            label: d.label,
            start: d.start_date,
            end: d.end_date,
        })
        .collect())
}

async fn open_manage(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<etablissement::Model> {
    crate::orgs::etab_for(db, ctx, etab_id, EtabAction::ManageBookings).await
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// --------------------------------------------------------------------- slots

#[derive(Debug, Clone, Default)]
pub struct SlotInput {
    pub code: String,
    pub label: String,
    pub start: String,
    pub end: String,
}

struct ValidSlot {
    code: String,
    label: String,
    start: i32,
    end: i32,
}

fn validate_slot(input: &SlotInput) -> Result<ValidSlot> {
    let mut errors = vec![];
    let mut err = |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
    let code = parse_slot_code(&input.code);
    if code.is_none() {
        err("code", "resa-error-slot-code");
    }
    let label = one_line(&input.label);
    if label.chars().count() > LABEL_MAX {
        err("label", "resa-error-slot-label");
    }
    let start = parse_hhmm(&input.start);
    if start.is_none() {
        err("start", "resa-error-time");
    }
    let end = parse_hhmm(&input.end);
    if end.is_none() {
        err("end", "resa-error-time");
    }
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        err("end", "resa-error-end-before-start");
    }
    match (code, start, end) {
        (Some(code), Some(start), Some(end)) if errors.is_empty() => Ok(ValidSlot {
            label: if label.is_empty() {
                code.clone()
            } else {
                label
            },
            code,
            start,
            end,
        }),
        _ => Err(ServiceError::Invalid(errors)),
    }
}

fn slot_target(id: Uuid) -> String {
    format!("booking_slot:{id}")
}

/// Adds a slot (its code is unique in the school).
pub async fn add_slot(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &SlotInput) -> Result<slot::Model> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let v = validate_slot(input)?;
    let m = slot::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab.id,
        code: v.code,
        label: v.label,
        start_min: v.start,
        end_min: v.end,
    };
    write_slot(db, ctx, etab.id, m, true).await
}

/// Changes a slot.
pub async fn update_slot(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &SlotInput,
) -> Result<slot::Model> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let v = validate_slot(input)?;
    let Some(before) = q::get_slot(&db.conn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    let m = slot::Model {
        code: v.code,
        label: v.label,
        start_min: v.start,
        end_min: v.end,
        ..before
    };
    write_slot(db, ctx, etab.id, m, false).await
}

async fn write_slot(
    db: &Db,
    ctx: &Ctx,
    etab: Uuid,
    m: slot::Model,
    new: bool,
) -> Result<slot::Model> {
    let txn = db.write().await?;
    let r = if new {
        q::insert_slot(&*txn, m.clone()).await
    } else {
        q::update_slot(&*txn, m.clone()).await
    };
    if let Err(e) = r {
        if is_unique_violation(&e) {
            return Err(ServiceError::field("code", "resa-error-slot-code-taken"));
        }
        return Err(e.into());
    }
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: if new {
                "booking.slot_created"
            } else {
                "booking.slot_updated"
            },
            target: slot_target(m.id),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({
                "code": m.code, "label": m.label, "start": m.start_min, "end": m.end_min,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// Removes a slot (bookings keep their hours).
pub async fn delete_slot(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<()> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let txn = db.write().await?;
    let Some(before) = q::get_slot(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    q::delete_slot(&*txn, etab.id, id).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.slot_deleted",
            target: slot_target(id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "code": before.code }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------- zone

/// Sets the school's zone and replaces its built-in holidays by the zone's
/// (the periods the school added or imported are kept).
pub async fn set_zone(db: &Db, ctx: &Ctx, etab_id: Uuid, zone: &str) -> Result<Zone> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let Some(zone) = Zone::parse(zone) else {
        return Err(ServiceError::field("zone", "resa-error-zone"));
    };
    let txn = db.write().await?;
    write_zone(&*txn, etab.id, zone).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.zone_set",
            target: format!("etablissement:{}", etab.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "zone": zone.as_str() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(zone)
}

async fn write_zone<C: refnum_db::ConnectionTrait>(c: &C, etab: Uuid, zone: Zone) -> Result<()> {
    let now = Utc::now();
    q::set_zone(c, etab, zone.as_str(), now).await?;
    q::delete_builtin_days_off(c, etab).await?;
    let rows = builtin_holidays(zone)
        .into_iter()
        .map(|(label, start, end)| day_off::Model {
            id: Uuid::now_v7(),
            etablissement_id: etab,
            kind: DayOffKind::Holiday.as_str().into(),
            label: label.into(),
            start_date: start,
            end_date: end,
            source: "builtin".into(),
            created_at: now,
        })
        .collect();
    q::insert_days_off(c, rows).await?;
    Ok(())
}

// ------------------------------------------------------------------ days off

#[derive(Debug, Clone, Default)]
pub struct DayOffInput {
    /// `holiday` or `closed`.
    pub kind: String,
    pub label: String,
    pub start: String,
    /// Empty: the start day only.
    pub end: String,
}

/// Adds holidays or a closed period.
pub async fn add_day_off(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &DayOffInput,
) -> Result<day_off::Model> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let mut errors = vec![];
    let mut err = |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
    let kind = DayOffKind::parse(input.kind.trim());
    if kind.is_none() {
        err("kind", "resa-error-day-off-kind");
    }
    let label = one_line(&input.label);
    if label.is_empty() {
        err("label", "resa-error-day-off-label");
    } else if label.chars().count() > DAY_OFF_LABEL_MAX {
        err("label", "resa-error-day-off-label-long");
    }
    let start = parse_date(&input.start);
    if start.is_none() {
        err("start", "resa-error-date");
    }
    let end = if input.end.trim().is_empty() {
        start
    } else {
        let e = parse_date(&input.end);
        if e.is_none() {
            err("end", "resa-error-date");
        }
        e
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            err("end", "resa-error-end-before-start-date");
        } else if (e - s).num_days() > DAY_OFF_MAX_DAYS {
            err("end", "resa-error-day-off-too-long");
        }
    }
    let (Some(kind), Some(start), Some(end)) = (kind, start, end) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let m = day_off::Model {
        id: Uuid::now_v7(),
        etablissement_id: etab.id,
        kind: kind.as_str().into(),
        label,
        start_date: start,
        end_date: end,
        source: "manual".into(),
        created_at: Utc::now(),
    };
    let txn = db.write().await?;
    q::insert_days_off(&*txn, vec![m.clone()]).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.day_off_added",
            target: format!("booking_day_off:{}", m.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "kind": m.kind, "label": m.label,
                "start": m.start_date.to_string(), "end": m.end_date.to_string(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn delete_day_off(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<()> {
    let etab = open_manage(db, ctx, etab_id).await?;
    let txn = db.write().await?;
    let Some(before) = q::get_day_off(&*txn, etab.id, id).await? else {
        return Err(ServiceError::NotFound);
    };
    q::delete_day_off(&*txn, etab.id, id).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.day_off_removed",
            target: format!("booking_day_off:{id}"),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({
                "label": before.label,
                "start": before.start_date.to_string(), "end": before.end_date.to_string(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Why an iCalendar file was refused: the line (0: the whole file) and the
/// catalogue key of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRefusal {
    pub line: usize,
    pub key: &'static str,
}

/// Imports the events of an iCalendar file as holidays; the whole file or
/// nothing. Returns how many periods were added, or why it was refused.
pub async fn import_ical(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    bytes: &[u8],
) -> Result<std::result::Result<usize, ImportRefusal>> {
    use refnum_io::ical::{IcalErrorKind as K, parse};
    let etab = open_manage(db, ctx, etab_id).await?;
    let events = match parse(bytes) {
        Ok(ev) => ev,
        Err(e) => {
            return Ok(Err(ImportRefusal {
                line: e.line,
                key: match e.kind {
                    K::Encoding => "resa-ics-encoding",
                    K::NotACalendar => "resa-ics-not-calendar",
                    K::Unbalanced => "resa-ics-unbalanced",
                    K::MissingStart => "resa-ics-missing-start",
                    K::BadDate => "resa-ics-bad-date",
                    K::EndBeforeStart => "resa-ics-end-before-start",
                    K::TooMany => "resa-ics-too-many",
                },
            }));
        }
    };
    if events.is_empty() {
        return Ok(Err(ImportRefusal {
            line: 0,
            key: "resa-ics-empty",
        }));
    }
    let now = Utc::now();
    let mut rows = vec![];
    for ev in &events {
        let label = one_line(&ev.summary);
        if label.is_empty() {
            return Ok(Err(ImportRefusal {
                line: ev.line,
                key: "resa-ics-missing-summary",
            }));
        }
        if (ev.end - ev.start).num_days() > DAY_OFF_MAX_DAYS {
            return Ok(Err(ImportRefusal {
                line: ev.line,
                key: "resa-ics-too-long",
            }));
        }
        rows.push(day_off::Model {
            id: Uuid::now_v7(),
            etablissement_id: etab.id,
            kind: DayOffKind::Holiday.as_str().into(),
            label: label.chars().take(DAY_OFF_LABEL_MAX).collect(),
            start_date: ev.start,
            end_date: ev.end,
            source: "import".into(),
            created_at: now,
        });
    }
    let n = rows.len();
    let txn = db.write().await?;
    q::insert_days_off(&*txn, rows).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::of(ctx),
            action: "booking.days_off_imported",
            target: format!("etablissement:{}", etab.id),
            etablissement_id: Some(etab.id),
            outcome: "ok",
            details: serde_json::json!({ "periods": n }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(n))
}

// ---------------------------------------------------------------------- demo

/// The demo timetable: M1–M5, S1–S4, the zone's holidays. Returns false when
/// the school already has slots.
pub async fn seed_demo(db: &Db, etab: Uuid, zone: Zone) -> Result<bool> {
    if !q::slots_of(&db.conn, etab).await?.is_empty() {
        return Ok(false);
    }
    let slots = [
        ("M1", "08:00", "08:55"),
        ("M2", "08:55", "09:50"),
        ("M3", "10:05", "11:00"),
        ("M4", "11:00", "11:55"),
        ("M5", "11:55", "12:50"),
        ("S1", "13:30", "14:25"),
        ("S2", "14:25", "15:20"),
        ("S3", "15:35", "16:30"),
        ("S4", "16:30", "17:25"),
    ];
    let txn = db.write().await?;
    for (code, start, end) in slots {
        let v = validate_slot(&SlotInput {
            code: code.into(),
            label: String::new(),
            start: start.into(),
            end: end.into(),
        })?;
        q::insert_slot(
            &*txn,
            slot::Model {
                id: Uuid::now_v7(),
                etablissement_id: etab,
                code: v.code,
                label: v.label,
                start_min: v.start,
                end_min: v.end,
            },
        )
        .await?;
    }
    write_zone(&*txn, etab, zone).await?;
    audit::record(
        &*txn,
        Event {
            who: &Who::system("demo"),
            action: "booking.timetable_seeded",
            target: format!("etablissement:{etab}"),
            etablissement_id: Some(etab),
            outcome: "ok",
            details: serde_json::json!({ "zone": zone.as_str() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn off(kind: DayOffKind, start: (i32, u32, u32), end: (i32, u32, u32)) -> day_off::Model {
        let d = |(y, m, dd)| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        day_off::Model {
            id: Uuid::nil(),
            etablissement_id: Uuid::nil(),
            kind: kind.as_str().into(),
            label: "x".into(),
            start_date: d(start),
            end_date: d(end),
            source: "manual".into(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn years_without_holidays_are_named() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        // Nothing recorded: this year and the next.
        assert_eq!(
            years_without_holidays(&[], today),
            ["2026-2027", "2027-2028"]
        );
        // A closed day is not a holiday; a holiday period of 2026-2027 is.
        let days = vec![
            off(DayOffKind::Closed, (2027, 9, 10), (2027, 9, 10)),
            off(DayOffKind::Holiday, (2026, 12, 19), (2027, 1, 3)),
        ];
        assert_eq!(years_without_holidays(&days, today), ["2027-2028"]);
        // The summer holidays alone do not cover the next year's classes.
        let mut days = days;
        days.push(off(DayOffKind::Holiday, (2027, 7, 3), (2027, 8, 31)));
        assert_eq!(years_without_holidays(&days, today), ["2027-2028"]);
        days.push(off(DayOffKind::Holiday, (2027, 10, 23), (2027, 11, 7)));
        assert!(years_without_holidays(&days, today).is_empty());
        // In July, the coming year is the one to prepare.
        let july = NaiveDate::from_ymd_opt(2027, 7, 10).expect("date");
        assert_eq!(years_without_holidays(&days, july), ["2028-2029"]);
    }

    #[test]
    fn a_slot_names_each_wrong_field() {
        let e = validate_slot(&SlotInput {
            code: "M 1".into(),
            label: "x".repeat(LABEL_MAX + 1),
            start: "9h".into(),
            end: "08:00".into(),
        })
        .err();
        let Some(ServiceError::Invalid(errs)) = e else {
            panic!("invalid expected")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["code", "label", "start"]);
        let e = validate_slot(&SlotInput {
            code: "m2".into(),
            label: String::new(),
            start: "09:00".into(),
            end: "08:00".into(),
        })
        .err();
        assert!(matches!(e, Some(ServiceError::Invalid(v)) if v[0].field == "end"));
        let ok = validate_slot(&SlotInput {
            code: "m2".into(),
            label: String::new(),
            start: "08:55".into(),
            end: "09:50".into(),
        });
        let Ok(v) = ok else { panic!("valid") };
        assert_eq!((v.code.as_str(), v.label.as_str()), ("M2", "M2"));
    }
}
