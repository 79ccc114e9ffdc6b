//! What the letter's form holds: the rows as typed (`Shown`), read from
//! the posted fields or from a stored draft, turned into the service's
//! input, and the service's error names turned into the form's.

use super::*;

/// Rows of each part the form can hold (the service's limits are higher).
pub(super) const REFERENT_ROWS: usize = 4;
pub(super) const FREE_MISSION_ROWS: usize = 6;
pub(super) const INDICATOR_ROWS: usize = 8;

/// What the form shows: the input as typed, split the way the form is.
#[derive(Default, Clone)]
pub(super) struct Shown {
    pub(super) school_year: String,
    pub(super) text: String,
    pub(super) referents: Vec<ReferentInput>,
    /// Catalogue entries picked, with their precision.
    pub(super) picked: Vec<(Uuid, String)>,
    pub(super) free: Vec<MissionInput>,
    pub(super) indicators: Vec<IndicatorInput>,
}

impl Shown {
    /// The service's input: the catalogue's missions first, then the free
    /// ones; only rows holding something.
    pub(super) fn input(&self, catalogue: &[Uuid]) -> LetterInput {
        let mut missions: Vec<MissionInput> = catalogue
            .iter()
            .filter_map(|c| {
                self.picked
                    .iter()
                    .find(|(p, _)| p == c)
                    .map(|(p, d)| MissionInput {
                        catalogue_id: p.to_string(),
                        detail: d.clone(),
                        ..Default::default()
                    })
            })
            .collect();
        missions.extend(
            self.free
                .iter()
                .filter(|m| !m.label.trim().is_empty() || !m.detail.trim().is_empty())
                .cloned(),
        );
        LetterInput {
            school_year: self.school_year.clone(),
            text: self.text.clone(),
            referents: self
                .referents
                .iter()
                .filter(|r| !r.account_id.trim().is_empty())
                .cloned()
                .collect(),
            missions,
            indicators: self
                .indicators
                .iter()
                .filter(|i| {
                    !i.label.trim().is_empty()
                        || !i.target.trim().is_empty()
                        || !i.baseline.trim().is_empty()
                })
                .cloned()
                .collect(),
        }
    }
}

pub(super) fn shown_from(pairs: &[(String, String)], catalogue: &[Uuid]) -> Shown {
    Shown {
        school_year: field(pairs, "school_year").into(),
        text: field(pairs, "text").into(),
        referents: (0..REFERENT_ROWS)
            .map(|i| ReferentInput {
                account_id: field(pairs, &format!("referent-{i}-account")).into(),
                remuneration: field(pairs, &format!("referent-{i}-pay")).into(),
                rate_cents: field(pairs, &format!("referent-{i}-rate")).into(),
                share: field(pairs, &format!("referent-{i}-share")).into(),
                hours: field(pairs, &format!("referent-{i}-hours")).into(),
            })
            .collect(),
        picked: catalogue
            .iter()
            .filter(|c| !field(pairs, &format!("cat-{c}")).is_empty())
            .map(|c| (*c, field(pairs, &format!("cat-{c}-detail")).to_string()))
            .collect(),
        free: (0..FREE_MISSION_ROWS)
            .map(|i| MissionInput {
                axis: field(pairs, &format!("free-{i}-axis")).into(),
                label: field(pairs, &format!("free-{i}-label")).into(),
                detail: field(pairs, &format!("free-{i}-detail")).into(),
                ..Default::default()
            })
            .collect(),
        indicators: (0..INDICATOR_ROWS)
            .map(|i| IndicatorInput {
                label: field(pairs, &format!("indicator-{i}-label")).into(),
                source: field(pairs, &format!("indicator-{i}-source")).into(),
                unit: field(pairs, &format!("indicator-{i}-unit")).into(),
                direction: field(pairs, &format!("indicator-{i}-direction")).into(),
                baseline: field(pairs, &format!("indicator-{i}-baseline")).into(),
                target: field(pairs, &format!("indicator-{i}-target")).into(),
            })
            .collect(),
    }
}

/// The service names a mission's errors by its place in the input
/// (`mission-3-detail`); the form names them by where they are typed.
pub(super) fn rename_mission_errors(errors: &mut FormErrors, shown: &Shown, catalogue: &[Uuid]) {
    let picked: Vec<Uuid> = catalogue
        .iter()
        .filter(|c| shown.picked.iter().any(|(p, _)| p == *c))
        .copied()
        .collect();
    let free_rows: Vec<usize> = shown
        .free
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.label.trim().is_empty() || !m.detail.trim().is_empty())
        .map(|(i, _)| i)
        .collect();
    let referent_rows: Vec<usize> = shown
        .referents
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.account_id.trim().is_empty())
        .map(|(i, _)| i)
        .collect();
    let indicator_rows: Vec<usize> = shown
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, x)| {
            !x.label.trim().is_empty()
                || !x.target.trim().is_empty()
                || !x.baseline.trim().is_empty()
        })
        .map(|(i, _)| i)
        .collect();
    for e in &mut errors.items {
        let mut parts = e.field.splitn(3, '-');
        let (Some(part), Some(n), Some(what)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<usize>() else { continue };
        e.field = match part {
            "mission" if n < picked.len() => format!("cat-{}-detail", picked[n]),
            "mission" => match free_rows.get(n - picked.len()) {
                Some(row) => format!("free-{row}-{what}"),
                None => continue,
            },
            "referent" => match referent_rows.get(n) {
                Some(row) => format!("referent-{row}-{what}"),
                None => continue,
            },
            "indicator" => match indicator_rows.get(n) {
                Some(row) => format!("indicator-{row}-{what}"),
                None => continue,
            },
            _ => continue,
        };
    }
}

/// A stored draft as the form shows it.
pub(super) fn shown_of(v: &lettres::LetterView) -> Shown {
    let unit = |x: &str| x.to_string();
    Shown {
        school_year: SchoolYear(v.letter.school_year).label(),
        text: v.letter.text.clone(),
        referents: v
            .parts
            .referents
            .iter()
            .map(|r| ReferentInput {
                account_id: r.account_id.map(|a| a.to_string()).unwrap_or_default(),
                remuneration: r.remuneration_kind.clone(),
                rate_cents: r.rate_cents.map(|c| c.to_string()).unwrap_or_default(),
                share: match (r.share_numerator, r.share_denominator) {
                    (Some(n), Some(d)) if n == d => "1".into(),
                    (Some(n), Some(d)) => format!("{n}/{d}"),
                    _ => String::new(),
                },
                hours: r.hours.map(|h| h.to_string()).unwrap_or_default(),
            })
            .collect(),
        picked: v
            .parts
            .missions
            .iter()
            .filter_map(|m| m.catalogue_id.map(|c| (c, m.detail.clone())))
            .collect(),
        free: v
            .parts
            .missions
            .iter()
            .filter(|m| m.catalogue_id.is_none())
            .map(|m| MissionInput {
                axis: m.axis.clone(),
                label: m.label.clone(),
                detail: m.detail.clone(),
                ..Default::default()
            })
            .collect(),
        indicators: v
            .parts
            .indicators
            .iter()
            .map(|i| IndicatorInput {
                label: i.label.clone(),
                source: i
                    .metric
                    .clone()
                    .filter(|_| i.source_kind == "bound")
                    .unwrap_or_else(|| "manual".into()),
                unit: unit(&i.unit),
                direction: unit(&i.direction),
                baseline: i.baseline.map(format_value).unwrap_or_default(),
                target: format_value(i.target),
            })
            .collect(),
    }
}
