//! The mission letter's form: what it gives (`LetterInput`), checked and
//! turned into the letter's parts, field error by field error; and the
//! domain's content of a stored letter (what is shown, hashed and signed).

use crate::error::{FieldError, Result, ServiceError};
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::{lettre, lettre_indicateur, lettre_mission, lettre_referent};
use refnum_db::pilotage::{self as q, LetterParts};
use refnum_db::{Db, accounts};
use refnum_domain::pilotage::Axis;
use refnum_domain::pilotage::imp::{Remuneration, Share};
use refnum_domain::pilotage::indicateurs::{Direction, Metric, Unit, parse_value};
use refnum_domain::pilotage::lettre::{
    self as rules, IndicatorLine, IndicatorSource, LetterContent, MissionLine, ReferentPart,
};
use refnum_domain::role::Role;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
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

/// The domain's content of a stored letter.
pub(super) fn content_of(
    etab: &etablissement::Model,
    l: &lettre::Model,
    p: &LetterParts,
) -> LetterContent {
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

/// How many rows of each part a letter holds at most.
pub const REFERENT_ROWS: usize = 6;
pub const MISSION_ROWS: usize = 40;
pub const INDICATOR_ROWS: usize = 12;

/// The name of a field of a row of the form (`indicator-2-target`), so
/// that an error points at that row's field. The names are made once and
/// kept (rows are bounded by the `*_ROWS` limits).
pub fn row_field(part: &str, i: usize, what: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let name = format!("{part}-{i}-{what}");
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(&name) {
        return n;
    }
    let made: &'static str = Box::leak(name.clone().into_boxed_str());
    names.insert(name, made);
    made
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

fn trimmed_text(s: &str, field: &'static str, errors: &mut Vec<FieldError>) -> String {
    let t = s.trim().replace("\r\n", "\n");
    if t.chars().count() > rules::MAX_DETAIL {
        errors.push(FieldError {
            field,
            key: "pilotage-error-detail-too-long",
        });
    }
    t
}

/// Checks a letter's input and turns it into its parts (for `lettre_id`),
/// or every field error found.
pub(super) async fn parts_from(
    db: &Db,
    etab: &etablissement::Model,
    lettre_id: Uuid,
    input: &LetterInput,
) -> Result<(String, LetterParts)> {
    let mut errors: Vec<FieldError> = vec![];
    for (n, max, field) in [
        (input.referents.len(), REFERENT_ROWS, "referents"),
        (input.missions.len(), MISSION_ROWS, "missions"),
        (input.indicators.len(), INDICATOR_ROWS, "indicators"),
    ] {
        if n > max {
            return Err(ServiceError::field(field, "pilotage-error-too-many-rows"));
        }
    }
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
                field: row_field("referent", i, "account"),
                key: "pilotage-error-referent-unknown",
            });
            continue;
        };
        if referents
            .iter()
            .any(|x: &lettre_referent::Model| x.account_id == Some(account.id))
        {
            errors.push(FieldError {
                field: row_field("referent", i, "account"),
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
                        field: row_field("referent", i, "hours"),
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
                            field: row_field("referent", i, "share"),
                            key: "pilotage-error-share",
                        });
                        continue;
                    }
                    _ => {
                        errors.push(FieldError {
                            field: row_field("referent", i, "rate"),
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
                    trimmed(
                        &m.label,
                        rules::MAX_LABEL,
                        row_field("mission", i, "label"),
                        &mut errors,
                    )
                },
            ),
            None => (
                Axis::parse(m.axis.trim()),
                trimmed(
                    &m.label,
                    rules::MAX_LABEL,
                    row_field("mission", i, "label"),
                    &mut errors,
                ),
            ),
        };
        let Some(axis) = axis else {
            errors.push(FieldError {
                field: row_field("mission", i, "axis"),
                key: "pilotage-error-axis",
            });
            continue;
        };
        if label.is_empty() {
            errors.push(FieldError {
                field: row_field("mission", i, "label"),
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
            detail: trimmed_text(&m.detail, row_field("mission", i, "detail"), &mut errors),
        });
    }
    let mut indicators = vec![];
    for (i, ind) in input.indicators.iter().enumerate() {
        let label = trimmed(
            &ind.label,
            rules::MAX_LABEL,
            row_field("indicator", i, "label"),
            &mut errors,
        );
        if label.is_empty() {
            errors.push(FieldError {
                field: row_field("indicator", i, "label"),
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
                        field: row_field("indicator", i, "source"),
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
                    field: row_field("indicator", i, "target"),
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
                        field: row_field("indicator", i, "baseline"),
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
