//! The pilotage home of a school (`ViewMissionLetters`: the head and the
//! referents): what is due — this year's letter to write, complete, sign
//! or acknowledge; the comité's meeting to hold this term; its overdue
//! actions; the letter's bound indicators and the school project's
//! indicators off target now.

use super::comite::{self, ActionLine};
use super::lettres::{self, LetterRights, status_of};
use super::mesures;
use crate::Ctx;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use refnum_db::Db;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::lettre;
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::comite::Term;
use refnum_domain::pilotage::indicateurs::{Metric, on_target};
use refnum_domain::pilotage::lettre::{IndicatorSource, LetterStatus};
use refnum_domain::policy::{self, EtabAction};
use uuid::Uuid;

/// What the caller has to do about this year's letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterDue {
    /// No letter this year (for those who draft).
    Write,
    /// A draft to complete and propose.
    Complete,
    /// Proposed: the head signs.
    Sign,
    /// Signed: a referent named in it acknowledges.
    Acknowledge,
}

/// A bound indicator of this year's letter whose value now misses its
/// target.
#[derive(Debug, Clone)]
pub struct OffTarget {
    pub label: String,
    pub metric: Metric,
    pub value: i64,
    pub target: i64,
}

pub struct PilotageHome {
    pub etab: etablissement::Model,
    pub year: SchoolYear,
    pub today: NaiveDate,
    /// This year's latest letter.
    pub letter: Option<lettre::Model>,
    pub letter_due: Option<LetterDue>,
    pub rights: LetterRights,
    /// The current term has no comité meeting yet.
    pub meeting_due: Option<Term>,
    /// The comité's overdue actions (count and the first listed).
    pub overdue_count: u64,
    pub overdue: Vec<ActionLine>,
    pub off_target: Vec<OffTarget>,
    /// The school project's indicators off their target this year.
    pub project_off_target: Vec<super::projet::OffTarget>,
}

pub async fn read(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<PilotageHome> {
    let (etab, facts) =
        crate::orgs::etab_with_facts(db, ctx, etab_id, EtabAction::ViewMissionLetters).await?;
    let l = lettres::list(db, ctx, etab.id).await?;
    let year = SchoolYear::of(today);
    let letter = l.letters.iter().find(|x| x.school_year == year.0).cloned();
    let mut letter_due = None;
    let mut off_target = vec![];
    match &letter {
        None if l.rights.draft => letter_due = Some(LetterDue::Write),
        None => {}
        Some(x) => {
            let st = status_of(x);
            match st {
                LetterStatus::Draft if l.rights.draft => letter_due = Some(LetterDue::Complete),
                LetterStatus::Proposed if l.rights.sign => letter_due = Some(LetterDue::Sign),
                _ => {}
            }
            if matches!(st, LetterStatus::Signed | LetterStatus::Reviewed) {
                let v = lettres::view(db, ctx, etab.id, x.id).await?;
                if v.parts
                    .referents
                    .iter()
                    .any(|r| r.account_id == Some(ctx.account.id) && r.acknowledged_at.is_none())
                {
                    letter_due = Some(LetterDue::Acknowledge);
                }
                let bound = v
                    .content
                    .indicators
                    .iter()
                    .any(|i| matches!(i.source, IndicatorSource::Bound { .. }));
                if bound {
                    let m = mesures::current(db, &etab, now).await?;
                    for i in &v.content.indicators {
                        if let IndicatorSource::Bound { metric } = i.source
                            && let Some(value) = m.value(metric)
                            && !on_target(metric.direction(), value, i.target)
                        {
                            off_target.push(OffTarget {
                                label: i.label.clone(),
                                metric,
                                value,
                                target: i.target,
                            });
                        }
                    }
                }
            }
        }
    }
    let sees_comite =
        policy::decide(&ctx.actor, EtabAction::ViewComite, &facts) == policy::Decision::Allow;
    let (meeting_due, overdue_count, overdue) = if sees_comite {
        let meetings =
            refnum_db::pilotage::comite::meetings_of_year(&db.conn, etab.id, year.0).await?;
        let term = Term::of(today);
        let held = meetings
            .iter()
            .any(|m| m.date >= term.first_day(year) && m.date <= term.last_day(year));
        let o = comite::overdue(db, ctx, etab.id, today).await?;
        ((!held).then_some(term), o.count, o.actions)
    } else {
        (None, 0, vec![])
    };
    let sees_project = policy::decide(&ctx.actor, EtabAction::ViewSchoolProject, &facts)
        == policy::Decision::Allow;
    let project_off_target = if sees_project {
        super::projet::off_target(db, ctx, etab.id, today).await?
    } else {
        vec![]
    };
    Ok(PilotageHome {
        etab,
        year,
        today,
        letter,
        letter_due,
        rights: l.rights,
        meeting_due,
        overdue_count,
        overdue,
        off_target,
        project_off_target,
    })
}
