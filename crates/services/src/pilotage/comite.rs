//! The comité numérique's use cases. The head and the referents run it
//! (`ManageComite`): its members (`membres`), meetings with their
//! attendance, minutes and decisions (`reunions`), and the actions that come
//! out of them (`actions`). Every staff member of the school reads it, and
//! so do the collectivité and the DANE of the school (`ViewComite`); minutes
//! that are not public are read only by those who run it. Overdue actions
//! are reminded once to their owner and the school's heads (`rappels`).
//!
//! The rules are the domain's (`refnum_domain::pilotage::comite`); each
//! write asks the policy, checks its fields, then writes in one transaction
//! with its audit event (`pilotage.comite_*`).

mod actions;
mod membres;
mod rappels;
mod reunions;

pub use actions::{ActionInput, create_action, set_action_status, update_action};
pub use membres::{MemberInput, add_member, remove_member};
pub use rappels::{KIND_OVERDUE, action_link, remind_overdue};
pub use reunions::{
    MeetingInput, MinutesInput, add_decision, create_meeting, record_minutes, update_meeting,
};

use crate::Ctx;
use crate::audit::{Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::NaiveDate;
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::{
    comite_action as action, comite_decision as decision, comite_membre as membre,
    comite_reunion as reunion,
};
use refnum_db::pilotage::comite as q;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::{
    self as rules, ActionStatus, MemberKind, OutsideQuality, Term,
};
use refnum_domain::policy::{self, EtabAction, EtabFacts};
use refnum_domain::role::Role;
use uuid::Uuid;

/// How many overdue actions the pilotage home lists (the count is of all).
pub const OVERDUE_LISTED: u64 = 20;

/// A member as the pages show them.
#[derive(Debug, Clone)]
pub struct MemberView {
    pub member: membre::Model,
    pub kind: MemberKind,
    /// The role a person of the school sits by.
    pub role: Option<Role>,
    /// An outside member's quality.
    pub quality: Option<OutsideQuality>,
}

/// An action with where it stands today.
#[derive(Debug, Clone)]
pub struct ActionLine {
    pub action: action::Model,
    pub status: ActionStatus,
    pub overdue: bool,
}

/// One meeting as the caller may read it.
#[derive(Debug, Clone)]
pub struct MeetingView {
    /// The meeting; its `minutes` are empty when the caller may not read
    /// them.
    pub meeting: reunion::Model,
    /// Minutes exist but are not public, and the caller does not run the
    /// comité.
    pub minutes_hidden: bool,
    pub decisions: Vec<decision::Model>,
    /// Each member recorded for the meeting, and whether they were there.
    pub attendance: Vec<(membre::Model, bool)>,
    pub actions: Vec<ActionLine>,
    /// Whether the caller runs the comité (the forms are theirs).
    pub may_manage: bool,
}

/// A school's comité for one school year.
#[derive(Debug, Clone)]
pub struct ComiteYear {
    pub etablissement: etablissement::Model,
    pub year: SchoolYear,
    /// The years with meetings or actions, and this one, the latest first.
    pub years: Vec<SchoolYear>,
    /// The current members.
    pub members: Vec<MemberView>,
    /// The year's meetings by date, with their decisions and attendance
    /// (each meeting's `actions` is empty: they are in `actions`).
    pub meetings: Vec<MeetingView>,
    pub actions: Vec<ActionLine>,
    /// The terms begun by today without a meeting.
    pub terms_without_meeting: Vec<Term>,
    /// Whether the caller runs the comité (the forms are theirs).
    pub may_manage: bool,
}

/// One action with where it comes from.
#[derive(Debug, Clone)]
pub struct ActionView {
    pub etablissement: etablissement::Model,
    pub line: ActionLine,
    pub meeting: Option<reunion::Model>,
    pub decision: Option<decision::Model>,
    /// The statuses the caller may move it to (none when they do not run
    /// the comité).
    pub next_statuses: Vec<ActionStatus>,
    pub may_manage: bool,
}

/// A school's overdue actions: how many, and the oldest due first.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub count: u64,
    pub actions: Vec<ActionLine>,
}

// ------------------------------------------------------------------ helpers

pub(super) async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, EtabFacts)> {
    crate::orgs::etab_with_facts(db, ctx, etab_id, action).await
}

fn may_manage(ctx: &Ctx, facts: &EtabFacts) -> bool {
    policy::decide(&ctx.actor, EtabAction::ManageComite, facts) == policy::Decision::Allow
}

/// An audit event of the comité on one of its objects.
fn event<'a>(
    who: &'a Who,
    action: &'static str,
    target: String,
    etab: Uuid,
    details: serde_json::Value,
) -> Event<'a> {
    Event {
        who,
        action,
        target,
        etablissement_id: Some(etab),
        outcome: "ok",
        details,
    }
}

/// Trimmed text of at most `max` characters; `required` adds the error
/// of an empty field.
fn text_field(
    input: &str,
    max: usize,
    required: bool,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> String {
    let t = input.replace("\r\n", "\n").trim().to_string();
    if required && t.is_empty() {
        errors.push(FieldError {
            field,
            key: "pilotage-error-label-empty",
        });
    } else if t.chars().count() > max {
        errors.push(FieldError {
            field,
            key: if max == rules::MAX_LABEL {
                "pilotage-error-label-too-long"
            } else {
                "pilotage-error-text-too-long"
            },
        });
    }
    t
}

fn invalid_if_any(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// A date of a form (`AAAA-MM-JJ` or `JJ/MM/AAAA`), within 2000–2100.
fn parse_day(s: &str) -> Option<NaiveDate> {
    refnum_domain::booking::parse_date(s)
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
}

fn status_of(a: &action::Model) -> ActionStatus {
    ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Todo)
}

fn line(a: action::Model, today: NaiveDate) -> ActionLine {
    let status = status_of(&a);
    ActionLine {
        overdue: rules::overdue(status, a.due_on, today),
        status,
        action: a,
    }
}

fn member_view(m: membre::Model) -> MemberView {
    MemberView {
        kind: MemberKind::parse(&m.kind).unwrap_or(MemberKind::Outside),
        role: m.role.as_deref().and_then(Role::parse),
        quality: m.quality.as_deref().and_then(OutsideQuality::parse),
        member: m,
    }
}

/// The minutes as the caller may read them.
fn shown(mut m: reunion::Model, manager: bool) -> (reunion::Model, bool) {
    if m.minutes_public || manager || m.minutes.is_empty() {
        (m, false)
    } else {
        m.minutes.clear();
        (m, true)
    }
}

/// Today in the instance's zone.
pub fn today() -> NaiveDate {
    crate::support::paris::to_local(chrono::Utc::now()).date()
}

// -------------------------------------------------------------------- reads

/// Builds the views of meetings: decisions and attendance read for all of
/// them at once.
async fn meeting_views(
    db: &Db,
    etab: Uuid,
    meetings: Vec<reunion::Model>,
    manager: bool,
) -> Result<Vec<MeetingView>> {
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let decisions = q::decisions_of(&db.conn, &ids).await?;
    let attendance = q::attendance_of(&db.conn, &ids).await?;
    let members = q::members_of(&db.conn, etab, true).await?;
    Ok(meetings
        .into_iter()
        .map(|m| {
            let (meeting, minutes_hidden) = shown(m, manager);
            MeetingView {
                decisions: decisions
                    .iter()
                    .filter(|d| d.reunion_id == meeting.id)
                    .cloned()
                    .collect(),
                attendance: members
                    .iter()
                    .filter_map(|mb| {
                        attendance
                            .iter()
                            .find(|p| p.reunion_id == meeting.id && p.membre_id == mb.id)
                            .map(|p| (mb.clone(), p.present))
                    })
                    .collect(),
                actions: vec![],
                may_manage: manager,
                minutes_hidden,
                meeting,
            }
        })
        .collect())
}

/// The comité of a school for a school year (`ViewComite`): members,
/// meetings with their decisions, actions, and the terms begun by `today`
/// without a meeting.
pub async fn year(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    year: SchoolYear,
    today: NaiveDate,
) -> Result<ComiteYear> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewComite).await?;
    let manager = may_manage(ctx, &facts);
    let meetings = q::meetings_of_year(&db.conn, etab.id, year.0).await?;
    let dates: Vec<NaiveDate> = meetings.iter().map(|m| m.date).collect();
    let meetings = meeting_views(db, etab.id, meetings, manager).await?;
    let actions = q::actions_of_year(&db.conn, etab.id, year.0)
        .await?
        .into_iter()
        .map(|a| line(a, today))
        .collect();
    let members = q::members_of(&db.conn, etab.id, false)
        .await?
        .into_iter()
        .map(member_view)
        .collect();
    let mut years: Vec<SchoolYear> = q::years_of(&db.conn, etab.id)
        .await?
        .into_iter()
        .map(SchoolYear)
        .collect();
    for y in [year, SchoolYear::of(today)] {
        if !years.contains(&y) {
            years.push(y);
        }
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok(ComiteYear {
        etablissement: etab,
        year,
        years,
        members,
        meetings,
        actions,
        terms_without_meeting: rules::terms_without_meeting(year, &dates, today),
        may_manage: manager,
    })
}

/// One meeting of a school (`ViewComite`), with its attendance, decisions
/// and actions; its minutes only if public or the caller runs the comité.
pub async fn meeting(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    today: NaiveDate,
) -> Result<MeetingView> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewComite).await?;
    let m = q::get_meeting(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut v = meeting_views(db, etab.id, vec![m], may_manage(ctx, &facts))
        .await?
        .pop()
        .ok_or(ServiceError::NotFound)?;
    v.actions = q::actions_of_meeting(&db.conn, etab.id, id)
        .await?
        .into_iter()
        .map(|a| line(a, today))
        .collect();
    Ok(v)
}

/// The current members of a school's comité (`ViewComite`).
pub async fn members(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Vec<MemberView>> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewComite).await?;
    Ok(q::members_of(&db.conn, etab.id, false)
        .await?
        .into_iter()
        .map(member_view)
        .collect())
}

/// A person of the school's staff, with the school roles they hold, for
/// the members' and owners' choices.
#[derive(Debug, Clone)]
pub struct StaffChoice {
    pub account_id: Uuid,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The school's staff that may sit in the comité or own an action
/// (`ManageComite`).
pub async fn staff(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Vec<StaffChoice>> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageComite).await?;
    Ok(
        refnum_db::accounts::members_of_etablissement(&db.conn, etab.id)
            .await?
            .into_iter()
            .map(|(a, roles)| StaffChoice {
                account_id: a.id,
                name: a.display_name,
                roles: roles
                    .iter()
                    .filter_map(|r| Role::parse(r))
                    .filter(|r| Role::SCHOOL_ROLES.contains(r))
                    .collect(),
            })
            .filter(|s| !s.roles.is_empty())
            .collect(),
    )
}

/// One action of a school (`ViewComite`), with its meeting and decision.
pub async fn action(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    today: NaiveDate,
) -> Result<ActionView> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewComite).await?;
    let manager = may_manage(ctx, &facts);
    let a = q::get_action(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let meeting = match a.reunion_id {
        Some(r) => q::get_meeting(&db.conn, etab.id, r)
            .await?
            .map(|m| shown(m, manager).0),
        None => None,
    };
    let decision = match (a.reunion_id, a.decision_id) {
        (Some(r), Some(d)) => q::get_decision(&db.conn, r, d).await?,
        _ => None,
    };
    let l = line(a, today);
    let next_statuses = if manager {
        ActionStatus::ALL
            .iter()
            .copied()
            .filter(|s| l.status.next(*s).is_ok())
            .collect()
    } else {
        vec![]
    };
    Ok(ActionView {
        etablissement: etab,
        line: l,
        meeting,
        decision,
        next_statuses,
        may_manage: manager,
    })
}

/// A school's overdue actions (`ViewComite`): the count of all, and the
/// [`OVERDUE_LISTED`] oldest due.
pub async fn overdue(db: &Db, ctx: &Ctx, etab_id: Uuid, today: NaiveDate) -> Result<Overdue> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewComite).await?;
    let (rows, count) = q::overdue_of(&db.conn, etab.id, today, OVERDUE_LISTED).await?;
    Ok(Overdue {
        count,
        actions: rows.into_iter().map(|a| line(a, today)).collect(),
    })
}
