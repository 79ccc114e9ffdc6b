//! The mission letter's use cases: draft it (the head and the referents),
//! propose it, sign it (the head, after typing their password again),
//! acknowledge it (each referent named). Who may do what is the policy's
//! (`DraftMissionLetter`, `SignMissionLetter`, `ViewMissionLetters`,
//! `ViewSignedMissionLetters`); the letter's own rules are the domain's
//! (`refnum_domain::pilotage::lettre`). Every step writes its audit event in
//! the same transaction; a signature records the SHA-256 of the content.

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::auth::{AuthSettings, confirm_password};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::{lettre, lettre_indicateur, lettre_mission, lettre_referent};
use refnum_db::pilotage::{self as q, LetterParts};
use refnum_db::{Db, accounts, is_unique_violation};
use refnum_domain::pilotage::imp::{Remuneration, Share};
use refnum_domain::pilotage::indicateurs::{Direction, Metric, Unit, parse_value};
use refnum_domain::pilotage::lettre::{
    self as rules, IndicatorLine, IndicatorSource, LetterContent, LetterStatus, LetterStep,
    MissionLine, ReferentPart,
};
use refnum_domain::pilotage::{Axis, SchoolYear};
use refnum_domain::policy::{self, EtabAction};
use refnum_domain::role::Role;
use uuid::Uuid;

/// One referent of the letter as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct ReferentInput {
    pub account_id: String,
    /// `imp` or `hours`.
    pub remuneration: String,
    /// One of the legal rates, in cents ("62500").
    pub rate_cents: String,
    /// "1", "1/2"…
    pub share: String,
    pub hours: String,
}

#[derive(Debug, Clone, Default)]
pub struct MissionInput {
    pub catalogue_id: String,
    pub axis: String,
    pub label: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorInput {
    pub label: String,
    /// `manual`, or the code of a metric RefNum computes.
    pub source: String,
    /// For a manual indicator: its unit and which way is better.
    pub unit: String,
    pub direction: String,
    pub baseline: String,
    pub target: String,
}

/// A letter as its form gives it.
#[derive(Debug, Clone, Default)]
pub struct LetterInput {
    pub school_year: String,
    pub text: String,
    pub referents: Vec<ReferentInput>,
    pub missions: Vec<MissionInput>,
    pub indicators: Vec<IndicatorInput>,
}

/// A letter with what it says and the hash of that.
#[derive(Debug, Clone)]
pub struct LetterView {
    pub letter: lettre::Model,
    pub parts: LetterParts,
    pub content: LetterContent,
    pub hash: String,
    pub status: LetterStatus,
}

async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<etablissement::Model> {
    Ok(crate::orgs::etab_with_facts(db, ctx, etab_id, action)
        .await?
        .0)
}

fn status_of(l: &lettre::Model) -> LetterStatus {
    LetterStatus::parse(&l.status).unwrap_or(LetterStatus::Draft)
}

/// The domain's content of a stored letter.
fn content_of(etab: &etablissement::Model, l: &lettre::Model, p: &LetterParts) -> LetterContent {
    LetterContent {
        school_uai: etab.uai.clone(),
        school_year: l.school_year,
        version: u32::try_from(l.version).unwrap_or(0),
        referents: p
            .referents
            .iter()
            .map(|r| ReferentPart {
                account_id: r.account_id.unwrap_or_default(),
                name: r.name.clone(),
                remuneration: match (r.rate_cents, r.share_numerator, r.share_denominator) {
                    (Some(rate), Some(n), Some(d)) if r.remuneration_kind == "imp" => {
                        Remuneration::Imp {
                            rate_cents: u32::try_from(rate).unwrap_or(0),
                            share: Share {
                                numerator: u8::try_from(n).unwrap_or(1),
                                denominator: u8::try_from(d).unwrap_or(1),
                            },
                        }
                    }
                    _ => Remuneration::Hours {
                        hours: u16::try_from(r.hours.unwrap_or(0)).unwrap_or(0),
                    },
                },
            })
            .collect(),
        missions: p
            .missions
            .iter()
            .map(|m| MissionLine {
                axis: Axis::parse(&m.axis).unwrap_or(Axis::Pilotage),
                label: m.label.clone(),
                detail: m.detail.clone(),
            })
            .collect(),
        indicators: p
            .indicators
            .iter()
            .map(|i| IndicatorLine {
                label: i.label.clone(),
                source: match i.metric.as_deref().and_then(Metric::parse) {
                    Some(metric) if i.source_kind == "bound" => IndicatorSource::Bound { metric },
                    _ => IndicatorSource::Manual {
                        unit: Unit::parse(&i.unit).unwrap_or(Unit::Count),
                        direction: Direction::parse(&i.direction).unwrap_or(Direction::Higher),
                    },
                },
                baseline: i.baseline,
                target: i.target,
            })
            .collect(),
        text: l.text.clone(),
    }
}

fn trimmed(s: &str, max: usize, field: &'static str, errors: &mut Vec<FieldError>) -> String {
    let t = s.trim().to_string();
    if t.chars().count() > max {
        errors.push(FieldError {
            field,
            key: "pilotage-error-label-too-long",
        });
    }
    t
}

/// Checks a letter's input and turns it into its parts (for `lettre_id`),
/// or every field error found.
async fn parts_from(
    db: &Db,
    etab: &etablissement::Model,
    lettre_id: Uuid,
    input: &LetterInput,
) -> Result<(String, LetterParts)> {
    let mut errors: Vec<FieldError> = vec![];
    let text = input.text.replace("\r\n", "\n");
    if text.chars().count() > rules::MAX_TEXT {
        errors.push(FieldError {
            field: "text",
            key: "pilotage-error-text-too-long",
        });
    }
    // The referents: accounts holding the referent role in the school.
    let members = accounts::members_of_etablissement(&db.conn, etab.id).await?;
    let mut referents = vec![];
    for (i, r) in input.referents.iter().enumerate() {
        let Some((account, _)) = Uuid::parse_str(r.account_id.trim()).ok().and_then(|id| {
            members
                .iter()
                .find(|(a, roles)| a.id == id && roles.iter().any(|x| x == Role::Referent.as_str()))
        }) else {
            errors.push(FieldError {
                field: "referent",
                key: "pilotage-error-referent-unknown",
            });
            continue;
        };
        if referents
            .iter()
            .any(|x: &lettre_referent::Model| x.account_id == Some(account.id))
        {
            errors.push(FieldError {
                field: "referent",
                key: "pilotage-error-referent-twice",
            });
            continue;
        }
        let (kind, rate, share, hours) = match r.remuneration.as_str() {
            "hours" => match r
                .hours
                .trim()
                .parse::<u16>()
                .ok()
                .and_then(Remuneration::hours)
            {
                Some(Remuneration::Hours { hours }) => {
                    ("hours", None, None, Some(i32::from(hours)))
                }
                _ => {
                    errors.push(FieldError {
                        field: "hours",
                        key: "pilotage-error-hours",
                    });
                    continue;
                }
            },
            _ => {
                let rate = r.rate_cents.trim().parse::<u32>().ok();
                let share = Share::parse(if r.share.trim().is_empty() {
                    "1"
                } else {
                    &r.share
                });
                match (
                    rate.zip(share).and_then(|(r, s)| Remuneration::imp(r, s)),
                    share,
                ) {
                    (Some(Remuneration::Imp { rate_cents, share }), _) => {
                        ("imp", i32::try_from(rate_cents).ok(), Some(share), None)
                    }
                    (_, None) => {
                        errors.push(FieldError {
                            field: "share",
                            key: "pilotage-error-share",
                        });
                        continue;
                    }
                    _ => {
                        errors.push(FieldError {
                            field: "rate_cents",
                            key: "pilotage-error-imp-rate",
                        });
                        continue;
                    }
                }
            }
        };
        referents.push(lettre_referent::Model {
            id: Uuid::now_v7(),
            lettre_id,
            account_id: Some(account.id),
            name: account.display_name.clone(),
            position: i32::try_from(i).unwrap_or(0),
            remuneration_kind: kind.into(),
            rate_cents: rate,
            share_numerator: share.map(|s| i32::from(s.numerator)),
            share_denominator: share.map(|s| i32::from(s.denominator)),
            hours,
            acknowledged_at: None,
            acknowledged_hash: None,
        });
    }
    let catalogue = q::catalogue(&db.conn, Some(etab.academie_id), false).await?;
    let mut missions = vec![];
    for (i, m) in input.missions.iter().enumerate() {
        let picked = Uuid::parse_str(m.catalogue_id.trim())
            .ok()
            .and_then(|id| catalogue.iter().find(|c| c.id == id));
        let (axis, label) = match picked {
            Some(c) => (
                Axis::parse(&c.axis),
                if m.label.trim().is_empty() {
                    c.label.clone()
                } else {
                    trimmed(&m.label, rules::MAX_LABEL, "mission_label", &mut errors)
                },
            ),
            None => (
                Axis::parse(m.axis.trim()),
                trimmed(&m.label, rules::MAX_LABEL, "mission_label", &mut errors),
            ),
        };
        let Some(axis) = axis else {
            errors.push(FieldError {
                field: "mission_axis",
                key: "pilotage-error-axis",
            });
            continue;
        };
        if label.is_empty() {
            errors.push(FieldError {
                field: "mission_label",
                key: "pilotage-error-label-empty",
            });
            continue;
        }
        missions.push(lettre_mission::Model {
            id: Uuid::now_v7(),
            lettre_id,
            catalogue_id: picked.map(|c| c.id),
            position: i32::try_from(i).unwrap_or(0),
            axis: axis.as_str().into(),
            label,
            detail: m.detail.trim().replace("\r\n", "\n"),
        });
    }
    let mut indicators = vec![];
    for (i, ind) in input.indicators.iter().enumerate() {
        let label = trimmed(&ind.label, rules::MAX_LABEL, "indicator_label", &mut errors);
        if label.is_empty() {
            errors.push(FieldError {
                field: "indicator_label",
                key: "pilotage-error-label-empty",
            });
        }
        let source = match ind.source.trim() {
            "manual" | "" => IndicatorSource::Manual {
                unit: Unit::parse(ind.unit.trim()).unwrap_or(Unit::Count),
                direction: Direction::parse(ind.direction.trim()).unwrap_or(Direction::Higher),
            },
            code => match Metric::parse(code).filter(|m| m.computed_today()) {
                Some(metric) => IndicatorSource::Bound { metric },
                None => {
                    errors.push(FieldError {
                        field: "indicator_source",
                        key: "pilotage-error-metric",
                    });
                    continue;
                }
            },
        };
        let unit = source.unit();
        let target = match parse_value(unit, &ind.target) {
            Ok(v) => v,
            Err(key) => {
                errors.push(FieldError {
                    field: "indicator_target",
                    key,
                });
                continue;
            }
        };
        let baseline = if ind.baseline.trim().is_empty() {
            None
        } else {
            match parse_value(unit, &ind.baseline) {
                Ok(v) => Some(v),
                Err(key) => {
                    errors.push(FieldError {
                        field: "indicator_baseline",
                        key,
                    });
                    continue;
                }
            }
        };
        let (kind, metric) = match source {
            IndicatorSource::Bound { metric } => ("bound", Some(metric.as_str().to_string())),
            IndicatorSource::Manual { .. } => ("manual", None),
        };
        indicators.push(lettre_indicateur::Model {
            id: Uuid::now_v7(),
            lettre_id,
            position: i32::try_from(i).unwrap_or(0),
            label,
            source_kind: kind.into(),
            metric,
            unit: unit.as_str().into(),
            direction: source.direction().as_str().into(),
            baseline,
            target,
            final_value: None,
            final_comment: String::new(),
        });
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok((
        text,
        LetterParts {
            referents,
            missions,
            indicators,
        },
    ))
}

fn event<'a>(who: &'a Who, action: &'static str, l: &lettre::Model) -> Event<'a> {
    Event {
        who,
        action,
        target: format!("pilotage_lettre:{}", l.id),
        etablissement_id: Some(l.etablissement_id),
        outcome: "ok",
        details: serde_json::json!({
            "school_year": l.school_year,
            "version": l.version,
        }),
    }
}

/// Starts a letter for a school year (`DraftMissionLetter`): the next
/// version of that year, a draft.
pub async fn create(db: &Db, ctx: &Ctx, etab_id: Uuid, input: &LetterInput) -> Result<Uuid> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let Some(year) = SchoolYear::parse(&input.school_year) else {
        return Err(ServiceError::field(
            "school_year",
            "pilotage-error-school-year",
        ));
    };
    // One letter per school and year: a later version is an amendment of
    // the signed one, never a second draft beside the first.
    if q::letters_of(&db.conn, etab.id)
        .await?
        .iter()
        .any(|l| l.school_year == year.0)
    {
        return Err(ServiceError::field(
            "school_year",
            "pilotage-error-letter-exists",
        ));
    }
    let id = Uuid::now_v7();
    let (text, parts) = parts_from(db, &etab, id, input).await?;
    let who = Who::of(ctx);
    let now = Utc::now();
    let txn = db.write().await?;
    let version = q::next_version(&*txn, etab.id, year.0).await?;
    let row = lettre::Model {
        id,
        etablissement_id: etab.id,
        school_year: year.0,
        version,
        status: LetterStatus::Draft.as_str().into(),
        supersedes_id: None,
        text,
        created_by: Some(ctx.account.id),
        created_at: now,
        updated_at: now,
        proposed_at: None,
        signed_by: None,
        signed_at: None,
        signed_hash: None,
        reviewed_by: None,
        reviewed_at: None,
    };
    if let Err(e) = q::insert_letter(&*txn, row.clone()).await {
        if is_unique_violation(&e) {
            return Err(ServiceError::field(
                "school_year",
                "pilotage-error-letter-conflict",
            ));
        }
        return Err(e.into());
    }
    q::replace_parts(&*txn, id, parts).await?;
    audit::record(&*txn, event(&who, "pilotage.letter_created", &row)).await?;
    txn.commit().await?;
    Ok(id)
}

/// Edits a draft (`DraftMissionLetter`): its text and every part.
pub async fn update(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &LetterInput,
) -> Result<()> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !rules::editable(status_of(&l)) {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-signed",
        ));
    }
    let (text, parts) = parts_from(db, &etab, id, input).await?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    // Still a draft when written (a concurrent proposal wins).
    if !q::set_draft_text(&*txn, id, &text, Utc::now()).await? {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-signed",
        ));
    }
    q::replace_parts(&*txn, id, parts).await?;
    audit::record(&*txn, event(&who, "pilotage.letter_updated", &l)).await?;
    txn.commit().await?;
    Ok(())
}

/// The letter with its content and hash: drafts for those who draft, the
/// signed and reviewed ones also for the collectivité and the DANE.
pub async fn view(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<LetterView> {
    let (etab, facts) =
        crate::orgs::etab_with_facts(db, ctx, etab_id, EtabAction::ViewSignedMissionLetters)
            .await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let status = status_of(&l);
    let sees_drafts = policy::decide(&ctx.actor, EtabAction::ViewMissionLetters, &facts)
        == policy::Decision::Allow;
    if !sees_drafts && !matches!(status, LetterStatus::Signed | LetterStatus::Reviewed) {
        return Err(ServiceError::NotFound);
    }
    let parts = q::parts_of(&db.conn, l.id).await?;
    let content = content_of(&etab, &l, &parts);
    let hash = rules::content_hash(&content);
    Ok(LetterView {
        letter: l,
        parts,
        content,
        hash,
        status,
    })
}

/// Proposes a complete draft for signature, or takes a proposed letter
/// back to draft (`DraftMissionLetter`).
pub async fn step(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    step: LetterStep,
) -> Result<LetterStatus> {
    if !matches!(step, LetterStep::Propose | LetterStep::Withdraw) {
        return Err(ServiceError::field("step", "pilotage-error-letter-step"));
    }
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let from = status_of(&l);
    let to = rules::next(from, step).map_err(|key| ServiceError::field("status", key))?;
    if step == LetterStep::Propose {
        let parts = q::parts_of(&db.conn, l.id).await?;
        let missing = rules::missing(&content_of(&etab, &l, &parts));
        if !missing.is_empty() {
            return Err(ServiceError::Invalid(
                missing
                    .into_iter()
                    .map(|(field, key)| FieldError { field, key })
                    .collect(),
            ));
        }
    }
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::move_status(&*txn, l.id, from.as_str(), to.as_str(), Utc::now()).await? {
        return Err(ServiceError::field("status", "pilotage-error-letter-step"));
    }
    let action = match step {
        LetterStep::Propose => "pilotage.letter_proposed",
        _ => "pilotage.letter_withdrawn",
    };
    audit::record(&*txn, event(&who, action, &l)).await?;
    txn.commit().await?;
    Ok(to)
}

/// The head signs a proposed letter (`SignMissionLetter`) after typing
/// their password again: the signature records who, when and the SHA-256
/// of the content, in the audit chain too. Returns the hash.
pub async fn sign(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    password: &str,
    settings: &AuthSettings,
) -> Result<String> {
    let etab = open(db, ctx, etab_id, EtabAction::SignMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    rules::next(status_of(&l), LetterStep::Sign)
        .map_err(|key| ServiceError::field("status", key))?;
    confirm_password(db, &ctx.account, password, "password", settings).await?;
    let parts = q::parts_of(&db.conn, l.id).await?;
    let hash = rules::content_hash(&content_of(&etab, &l, &parts));
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::sign(&*txn, l.id, ctx.account.id, Utc::now(), &hash).await? {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-already-signed",
        ));
    }
    let mut e = event(&who, "pilotage.letter_signed", &l);
    e.details["sha256"] = serde_json::json!(hash);
    audit::record(&*txn, e).await?;
    txn.commit().await?;
    Ok(hash)
}

/// A referent named by a signed letter acknowledges it (once).
pub async fn acknowledge(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid) -> Result<()> {
    let v = view(db, ctx, etab_id, id).await?;
    let Some(me) = v
        .parts
        .referents
        .iter()
        .find(|r| r.account_id == Some(ctx.account.id))
    else {
        return Err(ServiceError::Forbidden);
    };
    rules::may_acknowledge(v.status, me.acknowledged_at.is_some())
        .map_err(|key| ServiceError::field("status", key))?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::acknowledge(&*txn, v.letter.id, ctx.account.id, Utc::now(), &v.hash).await? {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-already-acknowledged",
        ));
    }
    let mut e = event(&who, "pilotage.letter_acknowledged", &v.letter);
    e.details["sha256"] = serde_json::json!(v.hash);
    audit::record(&*txn, e).await?;
    txn.commit().await?;
    Ok(())
}
