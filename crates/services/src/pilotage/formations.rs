//! The school's training plan. Every staff member of the school reads the
//! year's offer, states their needs and registers themself
//! (`ViewTrainingPlan`); the head and the referents run it
//! (`ManageTrainingPlan`): the themes (`themes`), the sessions
//! (`sessions`), the attendance; they read the needs, the registrations and
//! the feedback. Registrations, attendance and feedback are in
//! `inscriptions`; the reads below.
//!
//! The rules are the domain's (`refnum_domain::pilotage::formations`); each
//! write asks the policy, checks its fields, then writes in one transaction
//! with its audit event (`pilotage.formation_*`).

mod inscriptions;
mod sessions;
mod themes;

pub use inscriptions::{FeedbackInput, give_feedback, record_attendance, register, unregister};
pub use sessions::{
    KIND_CANCELLED, KIND_CHANGED, SessionInput, cancel_session, create_session, session_link,
    update_session,
};
pub use themes::{NeedInput, add_theme, ensure_themes, set_theme_active, state_need};

use crate::Ctx;
use crate::audit::{Event, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::NaiveDate;
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::{
    formation_besoin as besoin, formation_inscription as inscription, formation_session as session,
    formation_theme as theme,
};
use refnum_db::pilotage::formations as q;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::formations::{self as rules, Modality, SessionKind, SessionStatus};
use refnum_domain::policy::{self, EtabAction, EtabFacts};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// A session with what the lists show of it.
#[derive(Debug, Clone)]
pub struct SessionLine {
    pub session: session::Model,
    pub kind: SessionKind,
    pub modality: Modality,
    pub status: SessionStatus,
    pub theme: String,
    pub registered: u64,
    pub seats_left: u64,
    /// Registration is open (planned, its date not passed).
    pub open: bool,
    /// The caller's registration, if any.
    pub mine: Option<inscription::Model>,
}

/// A need with its theme and who stated it.
#[derive(Debug, Clone)]
pub struct NeedLine {
    pub need: besoin::Model,
    pub theme: String,
    pub name: String,
}

/// The counts of one theme for a school year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeCount {
    pub theme_id: Uuid,
    pub label: String,
    pub needs: u64,
    pub sessions: u64,
    pub held: u64,
    pub registrations: u64,
    /// Distinct people who attended a held session of the theme.
    pub trained: u64,
}

/// The counts of one discipline (as the school's directory records it)
/// for a school year; `label` is `None` for the people whose directory
/// record is missing or names no discipline. A person teaching two
/// disciplines counts in both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisciplineCount {
    pub label: Option<String>,
    /// Needs stated by people of the discipline.
    pub needs: u64,
    /// Distinct people of the discipline who attended a held session.
    pub trained: u64,
}

/// What one person asked and attended in a school year.
#[derive(Debug, Clone)]
pub struct TeacherLine {
    pub account_id: Uuid,
    pub name: String,
    /// The themes of their needs.
    pub needs: Vec<String>,
    /// The sessions they registered to and not (yet) attended.
    pub registered: Vec<String>,
    /// The held sessions they attended.
    pub attended: Vec<String>,
}

/// A school's training plan for one school year, as the caller may read it.
#[derive(Debug, Clone)]
pub struct Plan {
    pub etablissement: etablissement::Model,
    pub year: SchoolYear,
    /// The years with sessions or needs, and this one, the latest first.
    pub years: Vec<SchoolYear>,
    /// The themes offered (active), for the needs' form.
    pub themes: Vec<theme::Model>,
    pub sessions: Vec<SessionLine>,
    /// The caller's own needs of the year.
    pub my_needs: Vec<NeedLine>,
    /// Whether the caller runs the plan; the fields below are empty when
    /// not.
    pub may_manage: bool,
    pub needs: Vec<NeedLine>,
    pub per_theme: Vec<ThemeCount>,
    pub per_discipline: Vec<DisciplineCount>,
    pub per_teacher: Vec<TeacherLine>,
    /// Sessions held and distinct people trained (see [`figures`]).
    pub figures: (u64, u64),
}

/// One registered person as those who run the plan see them.
#[derive(Debug, Clone)]
pub struct Registrant {
    pub registration: inscription::Model,
    pub name: String,
}

/// One session as the caller may read it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub etablissement: etablissement::Model,
    pub line: SessionLine,
    /// The registered people, names and feedback: only for those who run
    /// the plan (empty otherwise).
    pub registrants: Vec<Registrant>,
    /// The average rating (in tenths) and how many rated, for everyone.
    pub rating: Option<(u64, u64)>,
    /// The caller attended and may give (or change) their feedback.
    pub may_feedback: bool,
    pub may_manage: bool,
}

// ------------------------------------------------------------------ helpers

async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<(etablissement::Model, EtabFacts)> {
    crate::orgs::etab_with_facts(db, ctx, etab_id, action).await
}

fn may_manage(ctx: &Ctx, facts: &EtabFacts) -> bool {
    policy::decide(&ctx.actor, EtabAction::ManageTrainingPlan, facts) == policy::Decision::Allow
}

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

/// Trimmed text of at most `max` characters; `required` adds the error of
/// an empty field.
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

fn status_of(s: &session::Model) -> SessionStatus {
    SessionStatus::parse(&s.status).unwrap_or(SessionStatus::Planned)
}

fn line(
    s: session::Model,
    themes: &[theme::Model],
    regs: &[inscription::Model],
    me: Uuid,
    today: NaiveDate,
) -> SessionLine {
    let status = status_of(&s);
    let registered = regs.iter().filter(|r| r.session_id == s.id).count() as u64;
    SessionLine {
        kind: SessionKind::parse(&s.kind).unwrap_or(SessionKind::Atelier),
        modality: Modality::parse(&s.modality).unwrap_or(Modality::Presentiel),
        theme: theme_label(themes, s.theme_id),
        registered,
        seats_left: rules::seats_left(s.capacity, registered),
        open: rules::registration_open(status, s.date, today),
        mine: regs
            .iter()
            .find(|r| r.session_id == s.id && r.account_id == me)
            .cloned(),
        status,
        session: s,
    }
}

fn theme_label(themes: &[theme::Model], id: Uuid) -> String {
    themes
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.label.clone())
        .unwrap_or_default()
}

async fn names(db: &Db, ids: impl IntoIterator<Item = Uuid>) -> Result<HashMap<Uuid, String>> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    Ok(refnum_db::annuaire::account_names(&db.conn, &ids)
        .await?
        .into_iter()
        .collect())
}

/// Today in the instance's zone.
pub fn today() -> NaiveDate {
    crate::support::paris::to_local(chrono::Utc::now()).date()
}

// -------------------------------------------------------------------- reads

/// The figures the mission letter's bound indicators show: the sessions
/// of `year` held so far (a session is held once its attendance is
/// recorded, on or after its day), and the distinct people who attended
/// one of them. It does not ask the policy: the page that shows them has.
pub async fn figures(db: &Db, etab_id: Uuid, year: SchoolYear) -> Result<(u64, u64)> {
    Ok(q::figures(&db.conn, etab_id, year.0).await?)
}

/// The themes of a school (`ViewTrainingPlan`), seeded on first use; the
/// inactive ones too for those who run the plan.
pub async fn themes(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Vec<theme::Model>> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    ensure_themes(db, etab.id).await?;
    Ok(q::themes_of(&db.conn, etab.id, may_manage(ctx, &facts)).await?)
}

/// The people of the school's staff who may lead a workshop
/// (`ManageTrainingPlan`): account and name.
pub async fn leaders(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Vec<(Uuid, String)>> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    Ok(
        refnum_db::accounts::members_of_etablissement(&db.conn, etab.id)
            .await?
            .into_iter()
            .map(|(a, _)| (a.id, a.display_name))
            .collect(),
    )
}

/// A school's training plan for a school year (`ViewTrainingPlan`): the
/// offer with its seats left, the caller's needs and registrations; for
/// those who run it, every need, the counts per theme and per discipline,
/// and what each person asked and attended.
pub async fn plan(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    year: SchoolYear,
    today: NaiveDate,
) -> Result<Plan> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    let manager = may_manage(ctx, &facts);
    ensure_themes(db, etab.id).await?;
    let all_themes = q::themes_of(&db.conn, etab.id, true).await?;
    let sessions = q::sessions_of_year(&db.conn, etab.id, year.0).await?;
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let regs = q::registrations_of(&db.conn, &ids).await?;
    let needs = q::needs_of_year(&db.conn, etab.id, year.0).await?;
    let me = ctx.account.id;
    let lines: Vec<SessionLine> = sessions
        .into_iter()
        .map(|s| line(s, &all_themes, &regs, me, today))
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
    let named = names(
        db,
        needs
            .iter()
            .map(|n| n.account_id)
            .chain(regs.iter().map(|r| r.account_id)),
    )
    .await?;
    let need_line = |n: &besoin::Model| NeedLine {
        theme: theme_label(&all_themes, n.theme_id),
        name: named.get(&n.account_id).cloned().unwrap_or_default(),
        need: n.clone(),
    };
    let my_needs = needs
        .iter()
        .filter(|n| n.account_id == me)
        .map(need_line)
        .collect();
    let mut plan = Plan {
        themes: all_themes.iter().filter(|t| t.active).cloned().collect(),
        year,
        years,
        my_needs,
        may_manage: manager,
        needs: vec![],
        per_theme: vec![],
        per_discipline: vec![],
        per_teacher: vec![],
        figures: (0, 0),
        sessions: vec![],
        etablissement: etab,
    };
    if manager {
        plan.needs = needs.iter().map(need_line).collect();
        plan.per_theme = per_theme(&all_themes, &lines, &regs, &needs);
        plan.per_discipline =
            per_discipline(db, plan.etablissement.id, &lines, &regs, &needs).await?;
        plan.per_teacher = per_teacher(&all_themes, &lines, &regs, &needs, &named);
        plan.figures = q::figures(&db.conn, plan.etablissement.id, year.0).await?;
    }
    plan.sessions = lines;
    Ok(plan)
}

/// Who attended a held session, by session.
fn attendees(lines: &[SessionLine], regs: &[inscription::Model]) -> Vec<(Uuid, Uuid)> {
    regs.iter()
        .filter(|r| r.attended == Some(true))
        .filter(|r| {
            lines
                .iter()
                .any(|l| l.session.id == r.session_id && l.status == SessionStatus::Held)
        })
        .map(|r| (r.session_id, r.account_id))
        .collect()
}

fn per_theme(
    themes: &[theme::Model],
    lines: &[SessionLine],
    regs: &[inscription::Model],
    needs: &[besoin::Model],
) -> Vec<ThemeCount> {
    let came = attendees(lines, regs);
    themes
        .iter()
        .filter_map(|t| {
            let of_theme: Vec<&SessionLine> = lines
                .iter()
                .filter(|l| l.session.theme_id == t.id && l.status != SessionStatus::Cancelled)
                .collect();
            let trained: BTreeSet<Uuid> = came
                .iter()
                .filter(|(s, _)| of_theme.iter().any(|l| l.session.id == *s))
                .map(|(_, a)| *a)
                .collect();
            let c = ThemeCount {
                theme_id: t.id,
                label: t.label.clone(),
                needs: needs.iter().filter(|n| n.theme_id == t.id).count() as u64,
                sessions: of_theme.len() as u64,
                held: of_theme
                    .iter()
                    .filter(|l| l.status == SessionStatus::Held)
                    .count() as u64,
                registrations: of_theme.iter().map(|l| l.registered).sum(),
                trained: trained.len() as u64,
            };
            // A theme no longer offered shows only where it counts.
            (t.active || c.needs + c.sessions > 0).then_some(c)
        })
        .collect()
}

async fn per_discipline(
    db: &Db,
    etab: Uuid,
    lines: &[SessionLine],
    regs: &[inscription::Model],
    needs: &[besoin::Model],
) -> Result<Vec<DisciplineCount>> {
    let trained: BTreeSet<Uuid> = attendees(lines, regs).into_iter().map(|(_, a)| a).collect();
    let people: Vec<Uuid> = needs
        .iter()
        .map(|n| n.account_id)
        .chain(trained.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let labels = crate::annuaire::pages::Labels::from_rows(
        refnum_db::annuaire::nomenclatures_of(&db.conn, etab).await?,
    );
    let mut of_person: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
    for (account, list) in q::disciplines_of_accounts(&db.conn, etab, &people).await? {
        of_person
            .entry(account)
            .or_default()
            .extend(crate::annuaire::parse_list(&list));
    }
    // Keyed by the label (`None` for "not known"), counted per person.
    let mut counts: BTreeMap<Option<String>, DisciplineCount> = BTreeMap::new();
    let mut bump = |account: Uuid, need: bool| {
        let codes = of_person.get(&account).cloned().unwrap_or_default();
        let keys: Vec<Option<String>> = if codes.is_empty() {
            vec![None]
        } else {
            codes
                .iter()
                .map(|c| Some(labels.of("subject", c)))
                .collect()
        };
        for k in keys {
            let e = counts.entry(k.clone()).or_insert_with(|| DisciplineCount {
                label: k,
                ..Default::default()
            });
            if need {
                e.needs += 1;
            } else {
                e.trained += 1;
            }
        }
    };
    for n in needs {
        bump(n.account_id, true);
    }
    for a in &trained {
        bump(*a, false);
    }
    // The known disciplines by label, "not known" last.
    let mut v: Vec<DisciplineCount> = counts.into_values().collect();
    v.sort_by(|a, b| (a.label.is_none(), &a.label).cmp(&(b.label.is_none(), &b.label)));
    Ok(v)
}

fn per_teacher(
    themes: &[theme::Model],
    lines: &[SessionLine],
    regs: &[inscription::Model],
    needs: &[besoin::Model],
    named: &HashMap<Uuid, String>,
) -> Vec<TeacherLine> {
    fn entry<'a>(
        by: &'a mut BTreeMap<Uuid, TeacherLine>,
        named: &HashMap<Uuid, String>,
        a: Uuid,
    ) -> &'a mut TeacherLine {
        by.entry(a).or_insert_with(|| TeacherLine {
            account_id: a,
            name: named.get(&a).cloned().unwrap_or_default(),
            needs: vec![],
            registered: vec![],
            attended: vec![],
        })
    }
    let mut by: BTreeMap<Uuid, TeacherLine> = BTreeMap::new();
    for n in needs {
        entry(&mut by, named, n.account_id)
            .needs
            .push(theme_label(themes, n.theme_id));
    }
    for r in regs {
        let Some(l) = lines.iter().find(|l| l.session.id == r.session_id) else {
            continue;
        };
        let title = format!(
            "{} ({})",
            l.session.title,
            l.session.date.format("%d/%m/%Y")
        );
        match (l.status, r.attended) {
            (SessionStatus::Held, Some(true)) => {
                entry(&mut by, named, r.account_id).attended.push(title)
            }
            (SessionStatus::Planned, _) => {
                entry(&mut by, named, r.account_id).registered.push(title)
            }
            _ => {}
        }
    }
    let mut v: Vec<TeacherLine> = by.into_values().collect();
    v.sort_by(|a, b| a.name.cmp(&b.name).then(a.account_id.cmp(&b.account_id)));
    v
}

/// One session of a school (`ViewTrainingPlan`): its seats, the caller's
/// registration, the average rating; the registered people with their
/// attendance and feedback for those who run the plan.
pub async fn session(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    today: NaiveDate,
) -> Result<SessionView> {
    let (etab, facts) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    let manager = may_manage(ctx, &facts);
    let s = q::get_session(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let themes = q::themes_of(&db.conn, etab.id, true).await?;
    let regs = q::registrations_of(&db.conn, &[s.id]).await?;
    let rated: Vec<i32> = regs.iter().filter_map(|r| r.rating).collect();
    let rating = (!rated.is_empty()).then(|| {
        let sum: i64 = rated.iter().map(|r| i64::from(*r)).sum();
        let n = rated.len() as i64;
        // Tenths, rounded half up.
        (
            u64::try_from((sum * 20 + n) / (2 * n)).unwrap_or(0),
            n as u64,
        )
    });
    let l = line(s, &themes, &regs, ctx.account.id, today);
    let may_feedback = rules::may_give_feedback(l.status, l.mine.as_ref().and_then(|m| m.attended));
    let registrants = if manager {
        let named = names(db, regs.iter().map(|r| r.account_id)).await?;
        let mut v: Vec<Registrant> = regs
            .into_iter()
            .map(|r| Registrant {
                name: named.get(&r.account_id).cloned().unwrap_or_default(),
                registration: r,
            })
            .collect();
        v.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then(a.registration.id.cmp(&b.registration.id))
        });
        v
    } else {
        vec![]
    };
    Ok(SessionView {
        etablissement: etab,
        line: l,
        registrants,
        rating,
        may_feedback,
        may_manage: manager,
    })
}
