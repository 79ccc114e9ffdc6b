//! Service-level due times, counted in working minutes.
//!
//! A ticket escalated to an organisation is held to that organisation's
//! contract (its targets per priority, its calendar); a ticket handled in the
//! school is held to the school's in-house targets and calendar, or to
//! [`default_in_house`] when the school set none. An organisation without a
//! target for the priority gives no due time (no contract, no promise).
//! Working time is counted on Paris wall-clock time (see [`super::paris`]),
//! so 8:00 stays 8:00 across a change of summer time.

use super::{calendar, paris, priority_code};
use crate::error::Result;
use chrono::{DateTime, Duration, Utc};
use refnum_db::support as q;
use refnum_domain::calendar::WorkCalendar;
use refnum_domain::ticket::Priority;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

/// Response and resolution targets in working minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub response_minutes: i64,
    pub resolution_minutes: i64,
}

/// In-house targets of a school that set none: P1 1 h / 1 day, P2 2 h / 2
/// days, P3 1 day / 5 days, P4 2 days / 10 days (a working day = 8 h).
pub fn default_in_house(p: Priority) -> Targets {
    let (response_minutes, resolution_minutes) = match p {
        Priority::P1 => (60, 480),
        Priority::P2 => (120, 960),
        Priority::P3 => (480, 2400),
        Priority::P4 => (960, 4800),
    };
    Targets {
        response_minutes,
        resolution_minutes,
    }
}

/// When a ticket must be answered and resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaDue {
    pub response: Option<DateTime<Utc>>,
    pub resolution: Option<DateTime<Utc>>,
}

/// `minutes` working minutes after `from`, on a calendar read in Paris time.
pub fn add_working(cal: &WorkCalendar, from: DateTime<Utc>, minutes: i64) -> Option<DateTime<Utc>> {
    cal.add_working_minutes(paris::to_local(from), minutes)
        .map(paris::to_utc)
}

/// Working minutes between two instants, on a calendar read in Paris time.
pub fn working_between(cal: &WorkCalendar, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    cal.working_minutes_between(paris::to_local(from), paris::to_local(to))
}

/// The targets and calendar that apply to a ticket of `etab_id` assigned to
/// `org_id` (or handled in the school).
pub async fn contract<C: ConnectionTrait>(
    c: &C,
    etab_id: Uuid,
    org_id: Option<Uuid>,
    priority: Priority,
) -> Result<Option<(Targets, WorkCalendar)>> {
    let code = priority_code(priority);
    if let Some(org_id) = org_id {
        let Some(org) = q::get_organisation(c, org_id).await? else {
            return Ok(None);
        };
        let Some(t) = q::org_target(c, org_id, code).await? else {
            return Ok(None);
        };
        return Ok(Some((
            Targets {
                response_minutes: i64::from(t.response_minutes),
                resolution_minutes: i64::from(t.resolution_minutes),
            },
            calendar::from_json(org.calendar.as_deref()),
        )));
    }
    let targets = match q::etab_target(c, etab_id, code).await? {
        Some(t) => Targets {
            response_minutes: i64::from(t.response_minutes),
            resolution_minutes: i64::from(t.resolution_minutes),
        },
        None => default_in_house(priority),
    };
    let cal = calendar::from_json(q::etab_calendar(c, etab_id).await?.as_deref());
    Ok(Some((targets, cal)))
}

/// The due times of a ticket of school `etab_id`, assigned to `org_id` (or
/// handled in the school when `None`), of `priority`, counted from `from`
/// (its creation, escalation or change of priority).
pub async fn due_times<C: ConnectionTrait>(
    c: &C,
    etab_id: Uuid,
    org_id: Option<Uuid>,
    priority: Priority,
    from: DateTime<Utc>,
) -> Result<SlaDue> {
    let Some((targets, cal)) = contract(c, etab_id, org_id, priority).await? else {
        return Ok(SlaDue::default());
    };
    Ok(SlaDue {
        response: add_working(&cal, from, targets.response_minutes),
        resolution: add_working(&cal, from, targets.resolution_minutes),
    })
}

/// Where a ticket stands against one due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaState {
    /// Not done, due later than [`DUE_SOON`] from now.
    OnTime,
    /// Not done, due within [`DUE_SOON`].
    DueSoon,
    /// Not done, past due.
    Overdue,
    /// Done in time.
    Met,
    /// Done late.
    Missed,
}

/// How close a due time must be to show "due soon" (wall-clock time).
pub const DUE_SOON: Duration = Duration::hours(2);

impl SlaState {
    /// The catalogue key of its label.
    pub fn key(self) -> &'static str {
        match self {
            SlaState::OnTime => "support-sla-on-time",
            SlaState::DueSoon => "support-sla-due-soon",
            SlaState::Overdue => "support-sla-overdue",
            SlaState::Met => "support-sla-met",
            SlaState::Missed => "support-sla-missed",
        }
    }

    /// A CSS class suffix (the label is always shown: no colour-only information).
    pub fn css(self) -> &'static str {
        match self {
            SlaState::OnTime => "on-time",
            SlaState::DueSoon => "due-soon",
            SlaState::Overdue => "overdue",
            SlaState::Met => "met",
            SlaState::Missed => "missed",
        }
    }
}

/// The state of one due time, given when it was done (first response or
/// resolution), if it was.
pub fn sla_state(
    due: DateTime<Utc>,
    done_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> SlaState {
    match done_at {
        Some(d) if d <= due => SlaState::Met,
        Some(_) => SlaState::Missed,
        None if now > due => SlaState::Overdue,
        None if due - now <= DUE_SOON => SlaState::DueSoon,
        None => SlaState::OnTime,
    }
}

/// SLA compliance over a set of tickets: how many due times were met and
/// missed. Open tickets already past due count as missed; open tickets not
/// yet due and tickets without a due time do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compliance {
    pub met: u64,
    pub missed: u64,
}

impl Compliance {
    /// Adds one due time.
    pub fn add(
        &mut self,
        due: Option<DateTime<Utc>>,
        done_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) {
        let Some(due) = due else { return };
        match sla_state(due, done_at, now) {
            SlaState::Met => self.met += 1,
            SlaState::Missed | SlaState::Overdue => self.missed += 1,
            SlaState::OnTime | SlaState::DueSoon => {}
        }
    }

    /// The share met, 0.0–1.0; `None` when nothing counts.
    pub fn rate(&self) -> Option<f64> {
        let total = self.met + self.missed;
        (total > 0).then(|| self.met as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn working_time_is_counted_in_paris_time() {
        let cal = WorkCalendar::default();
        // Friday 27 November 2026, 16:30 Paris (15:30 UTC) + 4 h → Monday
        // 11:00 Paris (10:00 UTC).
        assert_eq!(
            add_working(&cal, utc(2026, 11, 27, 15, 30), 240),
            Some(utc(2026, 11, 30, 10, 0))
        );
        // Across the autumn change: Friday 23 October 2026, 17:00 Paris
        // (15:00 UTC, summer) + 1 h → Monday 26 October 8:30 Paris (7:30 UTC, winter).
        assert_eq!(
            add_working(&cal, utc(2026, 10, 23, 15, 0), 60),
            Some(utc(2026, 10, 26, 7, 30))
        );
        assert_eq!(
            working_between(&cal, utc(2026, 10, 23, 15, 0), utc(2026, 10, 26, 7, 30)),
            60
        );
    }

    #[test]
    fn states_and_compliance() {
        let due = utc(2026, 11, 30, 10, 0);
        assert_eq!(
            sla_state(due, None, utc(2026, 11, 30, 7, 0)),
            SlaState::OnTime
        );
        assert_eq!(
            sla_state(due, None, utc(2026, 11, 30, 9, 0)),
            SlaState::DueSoon
        );
        assert_eq!(
            sla_state(due, None, utc(2026, 11, 30, 10, 1)),
            SlaState::Overdue
        );
        assert_eq!(
            sla_state(due, Some(utc(2026, 11, 30, 9, 59)), utc(2026, 12, 1, 0, 0)),
            SlaState::Met
        );
        assert_eq!(
            sla_state(due, Some(utc(2026, 11, 30, 10, 1)), utc(2026, 12, 1, 0, 0)),
            SlaState::Missed
        );
        let now = utc(2026, 12, 1, 0, 0);
        let mut c = Compliance::default();
        c.add(Some(due), Some(utc(2026, 11, 30, 9, 0)), now);
        c.add(Some(due), Some(utc(2026, 11, 30, 11, 0)), now);
        c.add(Some(due), None, now);
        c.add(Some(utc(2026, 12, 2, 0, 0)), None, now);
        c.add(None, None, now);
        assert_eq!(c, Compliance { met: 1, missed: 2 });
        assert_eq!(Compliance::default().rate(), None);
        assert!((c.rate().unwrap_or(0.0) - 1.0 / 3.0).abs() < 1e-9);
    }
}
