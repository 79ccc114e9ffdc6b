//! Support organisations: who sees them, who edits them, their contact,
//! the schools they serve, their contract's targets and their calendar; the
//! schools' in-house targets and calendar.
//!
//! Who may do what (decided here, through the policy):
//! - the instance admin sees and edits every organisation;
//! - a school's managers (`EtabAction::ManageSupport`: referent, direction)
//!   create organisations serving their own schools, and edit an
//!   organisation only when **every** school it serves is one they manage
//!   (an académie-wide assistance is read-only for them: 403);
//! - whoever handles the tickets of a served school (`ViewTickets`), the
//!   organisation's own technicians and the collectivité it belongs to see it;
//! - anyone else gets 404.

use super::{PRIORITIES, calendar, priority_code};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use crate::orgs::etab_for;
use chrono::Utc;
use refnum_db::entities::organisation_etablissement;
use refnum_db::entities::support::{
    etab_support_calendar, etab_support_target, support_organisation, support_target,
};
use refnum_db::support::{self as q, OrgVisibility};
use refnum_db::{ConnectionTrait, Db, is_unique_violation, orgs};
use refnum_domain::Email;
use refnum_domain::calendar::WorkCalendar;
use refnum_domain::etablissement::parse_name;
use refnum_domain::policy::{self, Decision, EtabAction};
use refnum_domain::role::{Role, ScopeRef};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

/// What an organisation is to the schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgKind {
    PrivateProvider,
    AcademieAssistance,
    Collectivite,
    Publisher,
    InHouse,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::PrivateProvider,
        OrgKind::AcademieAssistance,
        OrgKind::Collectivite,
        OrgKind::Publisher,
        OrgKind::InHouse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::PrivateProvider => "private_provider",
            OrgKind::AcademieAssistance => "academie_assistance",
            OrgKind::Collectivite => "collectivite",
            OrgKind::Publisher => "publisher",
            OrgKind::InHouse => "in_house",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The catalogue key of its label.
    pub fn key(self) -> &'static str {
        match self {
            OrgKind::PrivateProvider => "support-kind-private-provider",
            OrgKind::AcademieAssistance => "support-kind-academie-assistance",
            OrgKind::Collectivite => "support-kind-collectivite",
            OrgKind::Publisher => "support-kind-publisher",
            OrgKind::InHouse => "support-kind-in-house",
        }
    }
}

/// The catalogue key of a stored kind (unknown codes read as private providers).
pub fn kind_key(code: &str) -> &'static str {
    OrgKind::parse(code)
        .unwrap_or(OrgKind::PrivateProvider)
        .key()
}

/// Schools of the caller (school-level roles) where the policy allows `action`.
async fn schools_allowing(db: &Db, ctx: &Ctx, action: EtabAction) -> Result<Vec<Uuid>> {
    let mut out = vec![];
    for e in &ctx.schools {
        let facts = orgs::etab_facts(&db.conn, e).await?;
        if policy::decide(&ctx.actor, action, &facts) == Decision::Allow {
            out.push(e.id);
        }
    }
    Ok(out)
}

/// Schools whose support the caller manages (all of them for the admin: `None`).
pub async fn managed_schools(db: &Db, ctx: &Ctx) -> Result<Option<Vec<Uuid>>> {
    if ctx.actor.is_admin() {
        return Ok(None);
    }
    Ok(Some(
        schools_allowing(db, ctx, EtabAction::ManageSupport).await?,
    ))
}

/// Which organisations the caller sees.
pub async fn visibility(db: &Db, ctx: &Ctx) -> Result<OrgVisibility> {
    if ctx.actor.is_admin() {
        return Ok(OrgVisibility {
            all: true,
            ..Default::default()
        });
    }
    let mut serving = schools_allowing(db, ctx, EtabAction::ViewTickets).await?;
    serving.extend(schools_allowing(db, ctx, EtabAction::ManageSupport).await?);
    serving.sort();
    serving.dedup();
    let mut v = OrgVisibility {
        serving,
        ..Default::default()
    };
    for m in &ctx.actor.memberships {
        match (m.role, m.scope) {
            (Role::Prestataire, ScopeRef::Organisation(id)) => v.ids.push(id),
            (Role::Collectivite, ScopeRef::Collectivite(id)) => v.collectivites.push(id),
            _ => {}
        }
    }
    Ok(v)
}

/// One organisation as the caller sees it.
pub struct OrgView {
    pub org: support_organisation::Model,
    pub serves: Vec<Uuid>,
    pub can_edit: bool,
}

/// Loads an organisation the caller may see (404 otherwise, recorded).
pub async fn get(db: &Db, ctx: &Ctx, id: Uuid) -> Result<OrgView> {
    let v = visibility(db, ctx).await?;
    let org = match q::get_organisation(&db.conn, id).await? {
        Some(o) if q::organisation_visible(&db.conn, &v, id).await? => o,
        _ => {
            audit::record_refusal(db, ctx, &format!("support_organisation:{id}"), None).await;
            return Err(ServiceError::NotFound);
        }
    };
    let serves = orgs::served_by(&db.conn, id).await?;
    let can_edit = match managed_schools(db, ctx).await? {
        None => true,
        Some(managed) => !serves.is_empty() && serves.iter().all(|s| managed.contains(s)),
    };
    Ok(OrgView {
        org,
        serves,
        can_edit,
    })
}

/// The served schools the caller may know of (all of them for the admin),
/// and how many others it serves.
pub async fn known_schools(
    db: &Db,
    ctx: &Ctx,
    view: &OrgView,
) -> Result<(Vec<refnum_db::entities::etablissement::Model>, usize)> {
    let all_visible = ctx.actor.is_admin();
    let known: Vec<Uuid> = view
        .serves
        .iter()
        .copied()
        .filter(|e| all_visible || ctx.schools.iter().any(|k| k.id == *e))
        .collect();
    let others = view.serves.len() - known.len();
    Ok((
        orgs::get_etablissements_by_ids(&db.conn, &known).await?,
        others,
    ))
}

/// Loads an organisation the caller may edit: 404 when unseen, 403 when
/// seen but not theirs to edit.
pub async fn get_for_edit(db: &Db, ctx: &Ctx, id: Uuid) -> Result<OrgView> {
    let view = get(db, ctx, id).await?;
    if !view.can_edit {
        audit::record_refusal(db, ctx, &format!("support_organisation:{id}:edit"), None).await;
        return Err(ServiceError::Forbidden);
    }
    Ok(view)
}

/// The page of organisations the caller sees.
pub async fn list(
    db: &Db,
    ctx: &Ctx,
    search: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<support_organisation::Model>, u64)> {
    let v = visibility(db, ctx).await?;
    Ok(q::list_organisations(&db.conn, &v, search, offset, limit).await?)
}

/// Whether the caller may create organisations (admin, or a school's support manager).
pub async fn can_create(db: &Db, ctx: &Ctx) -> Result<bool> {
    Ok(match managed_schools(db, ctx).await? {
        None => true,
        Some(m) => !m.is_empty(),
    })
}

/// An organisation as typed in the form or the API.
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name: String,
    pub kind: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub website: String,
    pub collectivite_id: String,
    pub notes: String,
    pub serves: Vec<String>,
}

impl OrgInput {
    /// The form's values of an organisation as it is.
    pub fn of(view: &OrgView) -> OrgInput {
        let o = &view.org;
        OrgInput {
            name: o.name.clone(),
            kind: o.kind.clone(),
            contact_name: o.contact_name.clone().unwrap_or_default(),
            contact_email: o.contact_email.clone().unwrap_or_default(),
            contact_phone: o.contact_phone.clone().unwrap_or_default(),
            website: o.website.clone().unwrap_or_default(),
            collectivite_id: o.collectivite_id.map(|c| c.to_string()).unwrap_or_default(),
            notes: o.notes.clone().unwrap_or_default(),
            serves: view.serves.iter().map(Uuid::to_string).collect(),
        }
    }
}

struct ValidOrg {
    name: String,
    kind: OrgKind,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    website: Option<String>,
    collectivite_id: Option<Uuid>,
    notes: Option<String>,
    serves: Vec<Uuid>,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn parse_phone(s: &str) -> std::result::Result<Option<String>, &'static str> {
    let Some(s) = optional(s) else {
        return Ok(None);
    };
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '.' | '-' | '(' | ')'));
    if !allowed || !(6..=20).contains(&digits) || s.chars().count() > 40 {
        return Err("support-error-phone");
    }
    Ok(Some(s))
}

fn parse_website(s: &str) -> std::result::Result<Option<String>, &'static str> {
    let Some(s) = optional(s) else {
        return Ok(None);
    };
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && host.contains('.')
                && s.chars().count() <= 300
                && !s
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"') =>
        {
            Ok(Some(s))
        }
        _ => Err("support-error-website"),
    }
}

async fn validate(db: &Db, input: &OrgInput, managed: &Option<Vec<Uuid>>) -> Result<ValidOrg> {
    let mut errors = vec![];
    let mut err = |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
    let name = parse_name(&input.name, 200)
        .map_err(|k| err("name", k))
        .ok();
    let kind = OrgKind::parse(&input.kind);
    if kind.is_none() {
        err("kind", "error-choice");
    }
    let contact_name = match optional(&input.contact_name) {
        Some(n) if n.chars().count() > 200 || n.chars().any(char::is_control) => {
            err("contact_name", "error-too-long");
            None
        }
        n => n,
    };
    let contact_email = match optional(&input.contact_email) {
        None => None,
        Some(e) => match Email::parse(&e) {
            Ok(e) => Some(e.as_str().to_string()),
            Err(_) => {
                err("contact_email", "error-email-invalid");
                None
            }
        },
    };
    let contact_phone = parse_phone(&input.contact_phone)
        .map_err(|k| err("contact_phone", k))
        .ok()
        .flatten();
    let website = parse_website(&input.website)
        .map_err(|k| err("website", k))
        .ok()
        .flatten();
    let notes = match optional(&input.notes) {
        Some(n) if n.chars().count() > 4000 => {
            err("notes", "error-too-long");
            None
        }
        n => n,
    };
    let collectivite_id = if kind == Some(OrgKind::Collectivite) {
        match Uuid::parse_str(input.collectivite_id.trim()) {
            Ok(id) if orgs::get_collectivite(&db.conn, id).await?.is_some() => Some(id),
            _ => {
                err("collectivite_id", "support-error-collectivite");
                None
            }
        }
    } else {
        None
    };
    let mut serves = vec![];
    let mut bad_serves = false;
    for s in &input.serves {
        match Uuid::parse_str(s.trim()) {
            Ok(id) if orgs::get_etablissement(&db.conn, id).await?.is_some() => {
                if managed.as_ref().is_some_and(|m| !m.contains(&id)) {
                    bad_serves = true;
                }
                serves.push(id);
            }
            _ => bad_serves = true,
        }
    }
    serves.sort();
    serves.dedup();
    if bad_serves {
        err("serves", "error-choice");
    } else if managed.is_some() && serves.is_empty() {
        // A school's manager declares organisations for their own schools.
        err("serves", "support-error-serves");
    }
    match (name, kind) {
        (Some(name), Some(kind)) if errors.is_empty() => Ok(ValidOrg {
            name,
            kind,
            contact_name,
            contact_email,
            contact_phone,
            website,
            collectivite_id,
            notes,
            serves,
        }),
        _ => Err(ServiceError::Invalid(errors)),
    }
}

/// Creates an organisation (`id` None) or updates one, with the schools it
/// serves. Field errors change nothing.
pub async fn save(
    db: &Db,
    ctx: &Ctx,
    id: Option<Uuid>,
    input: &OrgInput,
) -> Result<support_organisation::Model> {
    let changes = OrgChanges {
        org: input.clone(),
        targets: None,
        calendar: None,
    };
    save_all(db, ctx, id, &changes).await
}

/// An organisation with, optionally, its contract's targets and its calendar
/// (each replaced as a whole when given).
#[derive(Debug, Clone, Default)]
pub struct OrgChanges {
    pub org: OrgInput,
    pub targets: Option<TargetInput>,
    pub calendar: Option<CalendarInput>,
}

/// Adds the field errors of a check to `errors`; the value when it passed.
fn gather<T>(res: Result<T>, errors: &mut Vec<FieldError>) -> Result<Option<T>> {
    match res {
        Ok(v) => Ok(Some(v)),
        Err(ServiceError::Invalid(e)) => {
            errors.extend(e);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Creates an organisation (`id` None) or updates one, with the schools it
/// serves and, when given, its targets and calendar: every field checked
/// first (all the field errors at once), then everything saved in one
/// transaction with its audit events, or nothing.
pub async fn save_all(
    db: &Db,
    ctx: &Ctx,
    id: Option<Uuid>,
    changes: &OrgChanges,
) -> Result<support_organisation::Model> {
    let before = match id {
        Some(id) => Some(get_for_edit(db, ctx, id).await?),
        None => {
            if !can_create(db, ctx).await? {
                audit::record_refusal(db, ctx, "support_organisation:create", None).await;
                return Err(ServiceError::Forbidden);
            }
            None
        }
    };
    let managed = managed_schools(db, ctx).await?;
    let mut errors = vec![];
    let v = gather(validate(db, &changes.org, &managed).await, &mut errors)?;
    let targets = match &changes.targets {
        Some(t) => gather(validate_targets(t), &mut errors)?,
        None => None,
    };
    let cal = match &changes.calendar {
        Some(c) => gather(validate_calendar(c), &mut errors)?,
        None => None,
    };
    let Some(v) = v.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let txn = db.write().await?;
    let org = write_org(&*txn, ctx, before.as_ref(), &v).await?;
    if let Some(rows) = &targets {
        write_targets(&*txn, ctx, Owner::Org(org.id), rows).await?;
    }
    if let Some(cal) = &cal {
        write_calendar(&*txn, ctx, Owner::Org(org.id), cal).await?;
    }
    let org = q::get_organisation(&*txn, org.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    txn.commit().await?;
    Ok(org)
}

async fn write_org<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    before: Option<&OrgView>,
    v: &ValidOrg,
) -> Result<support_organisation::Model> {
    let org = match before {
        Some(b) => {
            let mut am = b.org.clone().into_active_model();
            am.name = Set(v.name.clone());
            am.kind = Set(v.kind.as_str().to_string());
            am.contact_name = Set(v.contact_name.clone());
            am.contact_email = Set(v.contact_email.clone());
            am.contact_phone = Set(v.contact_phone.clone());
            am.website = Set(v.website.clone());
            am.collectivite_id = Set(v.collectivite_id);
            am.notes = Set(v.notes.clone());
            match am.update(c).await {
                Ok(m) => m,
                Err(e) if is_unique_violation(&e) => {
                    return Err(ServiceError::field("name", "error-organisation-taken"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        None => {
            let m = support_organisation::Model {
                id: Uuid::now_v7(),
                name: v.name.clone(),
                created_at: Utc::now(),
                kind: v.kind.as_str().to_string(),
                contact_name: v.contact_name.clone(),
                contact_email: v.contact_email.clone(),
                contact_phone: v.contact_phone.clone(),
                website: v.website.clone(),
                collectivite_id: v.collectivite_id,
                notes: v.notes.clone(),
                calendar: None,
            };
            if let Err(e) = support_organisation::Entity::insert(m.clone().into_active_model())
                .exec_without_returning(c)
                .await
            {
                if is_unique_violation(&e) {
                    return Err(ServiceError::field("name", "error-organisation-taken"));
                }
                return Err(e.into());
            }
            m
        }
    };
    organisation_etablissement::Entity::delete_many()
        .filter(organisation_etablissement::Column::OrganisationId.eq(org.id))
        .exec(c)
        .await?;
    for e in &v.serves {
        organisation_etablissement::Entity::insert(organisation_etablissement::ActiveModel {
            organisation_id: Set(org.id),
            etablissement_id: Set(*e),
        })
        .exec_without_returning(c)
        .await?;
    }
    audit::record(
        c,
        Event {
            who: &Who::of(ctx),
            action: if before.is_some() {
                "support_organisation.updated"
            } else {
                "support_organisation.created"
            },
            target: format!("support_organisation:{}", org.id),
            etablissement_id: v.serves.first().copied().filter(|_| v.serves.len() == 1),
            outcome: "ok",
            details: serde_json::json!({
                "name": org.name,
                "kind": org.kind,
                "serves": v.serves,
            }),
        },
    )
    .await?;
    Ok(org)
}

/// Whose targets and calendar: a support organisation's contract, or a
/// school's in-house support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Org(Uuid),
    Etab(Uuid),
}

/// The form fields of the targets, per priority (`response_p1`, `resolution_p1`…).
pub const TARGET_FIELDS: [(&str, &str); 4] = [
    ("response_p1", "resolution_p1"),
    ("response_p2", "resolution_p2"),
    ("response_p3", "resolution_p3"),
    ("response_p4", "resolution_p4"),
];

/// The form fields of the weekdays, Monday first.
pub const DAY_FIELDS: [&str; 7] = [
    "day_0", "day_1", "day_2", "day_3", "day_4", "day_5", "day_6",
];

/// Longest target accepted: a year of minutes.
const MAX_MINUTES: i32 = 525_600;

fn parse_minutes(s: &str) -> std::result::Result<Option<i32>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if n > 0 && n <= MAX_MINUTES => Ok(Some(n)),
        _ => Err("support-error-minutes"),
    }
}

/// Targets per priority as typed: (response, resolution) in working minutes;
/// both empty = no target for that priority.
pub type TargetInput = [(String, String); 4];

/// Checks the targets; `Ok` holds the rows to keep, by priority code.
pub fn validate_targets(input: &TargetInput) -> Result<Vec<(&'static str, i32, i32)>> {
    let mut errors = vec![];
    let mut rows = vec![];
    for (i, (resp, res)) in input.iter().enumerate() {
        let (f_resp, f_res) = TARGET_FIELDS[i];
        let resp = parse_minutes(resp).map_err(|k| {
            errors.push(FieldError {
                field: f_resp,
                key: k,
            })
        });
        let res = parse_minutes(res).map_err(|k| {
            errors.push(FieldError {
                field: f_res,
                key: k,
            })
        });
        match (resp, res) {
            (Ok(Some(a)), Ok(Some(b))) => {
                if b < a {
                    errors.push(FieldError {
                        field: f_res,
                        key: "support-error-resolution-before-response",
                    });
                } else {
                    rows.push((priority_code(PRIORITIES[i]), a, b));
                }
            }
            (Ok(None), Ok(None)) => {}
            (Ok(None), Ok(Some(_))) => errors.push(FieldError {
                field: f_resp,
                key: "support-error-target-pair",
            }),
            (Ok(Some(_)), Ok(None)) => errors.push(FieldError {
                field: f_res,
                key: "support-error-target-pair",
            }),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// Checks that the caller may edit the owner's targets and calendar.
async fn require_owner_edit(db: &Db, ctx: &Ctx, owner: Owner) -> Result<()> {
    match owner {
        Owner::Org(id) => get_for_edit(db, ctx, id).await.map(|_| ()),
        Owner::Etab(id) => etab_for(db, ctx, id, EtabAction::ManageSupport)
            .await
            .map(|_| ()),
    }
}

fn owner_target(owner: Owner) -> String {
    match owner {
        Owner::Org(id) => format!("support_organisation:{id}"),
        Owner::Etab(id) => format!("etablissement:{id}"),
    }
}

/// Replaces the targets of an organisation's contract or a school's in-house support.
pub async fn save_targets(db: &Db, ctx: &Ctx, owner: Owner, input: &TargetInput) -> Result<()> {
    require_owner_edit(db, ctx, owner).await?;
    let rows = validate_targets(input)?;
    let txn = db.write().await?;
    write_targets(&*txn, ctx, owner, &rows).await?;
    txn.commit().await?;
    Ok(())
}

async fn write_targets<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    owner: Owner,
    rows: &[(&'static str, i32, i32)],
) -> Result<()> {
    match owner {
        Owner::Org(id) => {
            support_target::Entity::delete_many()
                .filter(support_target::Column::OrganisationId.eq(id))
                .exec(c)
                .await?;
            for (p, a, b) in rows {
                support_target::Entity::insert(support_target::ActiveModel {
                    organisation_id: Set(id),
                    priority: Set((*p).to_string()),
                    response_minutes: Set(*a),
                    resolution_minutes: Set(*b),
                })
                .exec_without_returning(c)
                .await?;
            }
        }
        Owner::Etab(id) => {
            etab_support_target::Entity::delete_many()
                .filter(etab_support_target::Column::EtablissementId.eq(id))
                .exec(c)
                .await?;
            for (p, a, b) in rows {
                etab_support_target::Entity::insert(etab_support_target::ActiveModel {
                    etablissement_id: Set(id),
                    priority: Set((*p).to_string()),
                    response_minutes: Set(*a),
                    resolution_minutes: Set(*b),
                })
                .exec_without_returning(c)
                .await?;
            }
        }
    }
    audit::record(
        c,
        Event {
            who: &Who::of(ctx),
            action: "support.targets_updated",
            target: owner_target(owner),
            etablissement_id: match owner {
                Owner::Etab(id) => Some(id),
                Owner::Org(_) => None,
            },
            outcome: "ok",
            details: serde_json::json!({ "targets": rows }),
        },
    )
    .await?;
    Ok(())
}

/// A calendar as typed: one text per weekday (Monday first), closed days.
#[derive(Debug, Clone, Default)]
pub struct CalendarInput {
    pub days: [String; 7],
    pub closed: String,
}

/// Checks a typed calendar.
pub fn validate_calendar(input: &CalendarInput) -> Result<WorkCalendar> {
    let mut errors = vec![];
    let mut cal = WorkCalendar {
        days: Default::default(),
        closed: Default::default(),
    };
    for (i, text) in input.days.iter().enumerate() {
        match calendar::parse_day(text) {
            Ok(spans) => cal.days[i] = spans,
            Err(k) => errors.push(FieldError {
                field: DAY_FIELDS[i],
                key: k,
            }),
        }
    }
    match calendar::parse_closed(&input.closed) {
        Ok(c) if c.len() <= 400 => cal.closed = c,
        Ok(_) => errors.push(FieldError {
            field: "closed",
            key: "error-too-long",
        }),
        Err(k) => errors.push(FieldError {
            field: "closed",
            key: k,
        }),
    }
    if errors.is_empty() {
        Ok(cal)
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

/// Replaces the working calendar of an organisation or of a school's in-house support.
pub async fn save_calendar(db: &Db, ctx: &Ctx, owner: Owner, input: &CalendarInput) -> Result<()> {
    require_owner_edit(db, ctx, owner).await?;
    let cal = validate_calendar(input)?;
    let txn = db.write().await?;
    write_calendar(&*txn, ctx, owner, &cal).await?;
    txn.commit().await?;
    Ok(())
}

async fn write_calendar<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    owner: Owner,
    cal: &WorkCalendar,
) -> Result<()> {
    let json = calendar::to_json(cal);
    match owner {
        Owner::Org(id) => {
            support_organisation::Entity::update_many()
                .col_expr(
                    support_organisation::Column::Calendar,
                    sea_orm::sea_query::Expr::value(json.clone()),
                )
                .filter(support_organisation::Column::Id.eq(id))
                .exec(c)
                .await?;
        }
        Owner::Etab(id) => {
            etab_support_calendar::Entity::insert(etab_support_calendar::ActiveModel {
                etablissement_id: Set(id),
                calendar: Set(json.clone()),
            })
            .on_conflict(
                OnConflict::column(etab_support_calendar::Column::EtablissementId)
                    .update_column(etab_support_calendar::Column::Calendar)
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
        }
    }
    audit::record(
        c,
        Event {
            who: &Who::of(ctx),
            action: "support.calendar_updated",
            target: owner_target(owner),
            etablissement_id: match owner {
                Owner::Etab(id) => Some(id),
                Owner::Org(_) => None,
            },
            outcome: "ok",
            details: serde_json::json!({ "calendar": serde_json::from_str::<serde_json::Value>(&json).unwrap_or_default() }),
        },
    )
    .await?;
    Ok(())
}

/// The targets and calendar of an owner, for display: per priority
/// (response, resolution) minutes if set, and the calendar.
pub struct Contract {
    pub targets: [Option<(i32, i32)>; 4],
    pub calendar: WorkCalendar,
    /// In-house only: the targets are the defaults (the school set none).
    pub defaults: bool,
}

pub async fn contract_of(db: &Db, owner: Owner) -> Result<Contract> {
    let mut targets = [None; 4];
    let idx = |code: &str| PRIORITIES.iter().position(|p| priority_code(*p) == code);
    match owner {
        Owner::Org(id) => {
            for t in q::org_targets(&db.conn, id).await? {
                if let Some(i) = idx(&t.priority) {
                    targets[i] = Some((t.response_minutes, t.resolution_minutes));
                }
            }
            let org = q::get_organisation(&db.conn, id).await?;
            Ok(Contract {
                targets,
                calendar: calendar::from_json(org.and_then(|o| o.calendar).as_deref()),
                defaults: false,
            })
        }
        Owner::Etab(id) => {
            let rows = q::etab_targets(&db.conn, id).await?;
            let defaults = rows.is_empty();
            if defaults {
                for (i, p) in PRIORITIES.iter().enumerate() {
                    let d = super::sla::default_in_house(*p);
                    targets[i] = Some((d.response_minutes as i32, d.resolution_minutes as i32));
                }
            }
            for t in rows {
                if let Some(i) = idx(&t.priority) {
                    targets[i] = Some((t.response_minutes, t.resolution_minutes));
                }
            }
            Ok(Contract {
                targets,
                calendar: calendar::from_json(q::etab_calendar(&db.conn, id).await?.as_deref()),
                defaults,
            })
        }
    }
}

/// A school's in-house support as the caller sees it.
pub struct InHouseView {
    pub etab: refnum_db::entities::etablissement::Model,
    pub contract: Contract,
    pub can_edit: bool,
    /// The organisations serving the school.
    pub organisations: Vec<support_organisation::Model>,
}

/// A school's in-house targets and calendar, with the organisations serving
/// it (those who handle the school's tickets see it).
pub async fn in_house(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<InHouseView> {
    let (etab, facts) =
        crate::orgs::etab_with_facts(db, ctx, etab_id, EtabAction::ViewTickets).await?;
    let can_edit = policy::decide(&ctx.actor, EtabAction::ManageSupport, &facts).is_allowed();
    let contract = contract_of(db, Owner::Etab(etab_id)).await?;
    let organisations = q::organisations_serving(&db.conn, etab_id).await?;
    Ok(InHouseView {
        etab,
        contract,
        can_edit,
        organisations,
    })
}

/// The schools (id, label) a caller may pick as served by an organisation.
pub async fn school_choices(db: &Db, ctx: &Ctx) -> Result<Vec<(Uuid, String)>> {
    let etabs = match managed_schools(db, ctx).await? {
        None => {
            orgs::list_etablissements(&db.conn, &ctx.scope(), None, 0, 10_000)
                .await?
                .0
        }
        Some(ids) => orgs::get_etablissements_by_ids(&db.conn, &ids).await?,
    };
    Ok(etabs
        .into_iter()
        .map(|e| (e.id, format!("{} ({})", e.name, e.uai)))
        .collect())
}
