//! The mission letter (*lettre de mission*): written and signed by the head
//! of school for one or several referents and a school year, ideally drafted
//! together, notably to choose the indicators that evaluate the actions
//! (décret n° 2015-475 of 27 April 2015).
//!
//! Its life: a **draft** that the head and the referents edit; **proposed**
//! for signature (and back to draft if someone asks for a change);
//! **signed** by the head, after which each referent acknowledges it; then
//! **reviewed** at the end of the year, each indicator's final value beside
//! its target. A signed letter never changes: an amendment is a new version,
//! a draft again, whose differences with the signed one are shown
//! ([`diff`]). A signature records a SHA-256 of the letter's content
//! ([`content_hash`]), so that what was signed can be checked later.

use super::Axis;
use super::imp::Remuneration;
use super::indicateurs::{Direction, Metric, Unit};
use crate::codes::code_enum;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

code_enum!(
    /// Where a letter stands.
    LetterStatus {
        Draft => "draft",
        Proposed => "proposed",
        Signed => "signed",
        Reviewed => "reviewed",
    }
);

code_enum!(
    /// A step of the letter's life (acknowledging is each referent's own
    /// act and does not move the letter: see [`may_acknowledge`]).
    LetterStep {
        Propose => "propose",
        Withdraw => "withdraw",
        Sign => "sign",
        Review => "review",
    }
);

/// The status a step leads to, or the catalogue key of the refusal.
pub fn next(status: LetterStatus, step: LetterStep) -> Result<LetterStatus, &'static str> {
    use LetterStatus as S;
    use LetterStep as T;
    match (status, step) {
        (S::Draft, T::Propose) => Ok(S::Proposed),
        (S::Proposed, T::Withdraw) => Ok(S::Draft),
        (S::Proposed, T::Sign) => Ok(S::Signed),
        (S::Signed, T::Review) => Ok(S::Reviewed),
        (S::Signed | S::Reviewed, T::Sign) => Err("pilotage-error-letter-already-signed"),
        (S::Signed | S::Reviewed, _) => Err("pilotage-error-letter-signed"),
        _ => Err("pilotage-error-letter-step"),
    }
}

/// Only a draft is edited; a signed letter is amended by a new version.
pub fn editable(status: LetterStatus) -> bool {
    status == LetterStatus::Draft
}

/// A new version may be drafted from a signed or reviewed letter.
pub fn amendable(status: LetterStatus) -> bool {
    matches!(status, LetterStatus::Signed | LetterStatus::Reviewed)
}

/// A referent acknowledges a signed letter once.
pub fn may_acknowledge(status: LetterStatus, already: bool) -> Result<(), &'static str> {
    match (status, already) {
        (LetterStatus::Signed | LetterStatus::Reviewed, true) => {
            Err("pilotage-error-letter-already-acknowledged")
        }
        (LetterStatus::Signed | LetterStatus::Reviewed, false) => Ok(()),
        _ => Err("pilotage-error-letter-not-signed"),
    }
}

/// One referent named by the letter, with their pay for the mission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferentPart {
    pub account_id: Uuid,
    pub name: String,
    pub remuneration: Remuneration,
}

/// One mission of the letter: picked from the catalogue (its label) or
/// written freely, with the letter's own precision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissionLine {
    pub axis: Axis,
    pub label: String,
    pub detail: String,
}

/// Where an indicator's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorSource {
    /// Typed by hand, in this unit, improving this way.
    Manual { unit: Unit, direction: Direction },
    /// Computed by RefNum.
    Bound { metric: Metric },
}

impl IndicatorSource {
    pub fn unit(self) -> Unit {
        match self {
            IndicatorSource::Manual { unit, .. } => unit,
            IndicatorSource::Bound { metric } => metric.unit(),
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            IndicatorSource::Manual { direction, .. } => direction,
            IndicatorSource::Bound { metric } => metric.direction(),
        }
    }
}

/// One indicator of the letter: its baseline (the value when the letter is
/// written, if known) and its target, in thousandths of its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorLine {
    pub label: String,
    pub source: IndicatorSource,
    pub baseline: Option<i64>,
    pub target: i64,
}

/// What a letter says: what is signed and hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterContent {
    pub school_uai: String,
    pub school_year: i32,
    pub version: u32,
    pub referents: Vec<ReferentPart>,
    pub missions: Vec<MissionLine>,
    pub indicators: Vec<IndicatorLine>,
    pub text: String,
}

/// The longest label of a mission or an indicator, and the longest free
/// text of a letter, in characters.
pub const MAX_LABEL: usize = 200;
pub const MAX_TEXT: usize = 20_000;
/// A mission's detail, at most.
pub const MAX_DETAIL: usize = 2_000;

/// The SHA-256 of a letter's content, in hexadecimal: its JSON form, whose
/// fields come in the order of the types above (the referents sorted by
/// account), so that the same content always gives the same hash.
pub fn content_hash(c: &LetterContent) -> String {
    let mut c = c.clone();
    c.referents.sort_by_key(|r| r.account_id);
    let json = serde_json::to_vec(&c).expect("a letter's content is always JSON");
    hex::encode(Sha256::digest(&json))
}

/// What a letter lacks before it may be proposed or signed: (field,
/// catalogue key of the message) for each problem, empty when complete.
pub fn missing(c: &LetterContent) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![];
    if c.referents.is_empty() {
        out.push(("referents", "pilotage-error-letter-no-referent"));
    }
    if c.missions.is_empty() {
        out.push(("missions", "pilotage-error-letter-no-mission"));
    }
    if c.missions.iter().any(|m| m.label.trim().is_empty()) {
        out.push(("missions", "pilotage-error-label-empty"));
    }
    if c.indicators.iter().any(|i| i.label.trim().is_empty()) {
        out.push(("indicators", "pilotage-error-label-empty"));
    }
    let too_long = |s: &str| s.chars().count() > MAX_LABEL;
    if c.missions.iter().any(|m| too_long(&m.label))
        || c.indicators.iter().any(|i| too_long(&i.label))
    {
        out.push(("label", "pilotage-error-label-too-long"));
    }
    if c.text.chars().count() > MAX_TEXT {
        out.push(("text", "pilotage-error-text-too-long"));
    }
    out
}

/// One difference between two versions of a part of the letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    Added(T),
    Removed(T),
    Changed { before: T, after: T },
}

/// What an amendment changes, part by part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterDiff {
    pub referents: Vec<Change<ReferentPart>>,
    pub missions: Vec<Change<MissionLine>>,
    pub indicators: Vec<Change<IndicatorLine>>,
    /// The free text before and after, when it changed.
    pub text: Option<(String, String)>,
}

impl LetterDiff {
    pub fn is_empty(&self) -> bool {
        self.referents.is_empty()
            && self.missions.is_empty()
            && self.indicators.is_empty()
            && self.text.is_none()
    }
}

/// Pairs the items of two lists by a key: what is only in `new` was added,
/// only in `old` removed, in both but different changed.
fn compare<T: Clone + PartialEq, K: PartialEq>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<Change<T>> {
    let mut out = vec![];
    for o in old {
        match new.iter().find(|n| key(n) == key(o)) {
            None => out.push(Change::Removed(o.clone())),
            Some(n) if n != o => out.push(Change::Changed {
                before: o.clone(),
                after: n.clone(),
            }),
            Some(_) => {}
        }
    }
    for n in new {
        if !old.iter().any(|o| key(o) == key(n)) {
            out.push(Change::Added(n.clone()));
        }
    }
    out
}

/// The differences between a signed letter and its amendment: referents by
/// account, missions by axis and label, indicators by label.
pub fn diff(old: &LetterContent, new: &LetterContent) -> LetterDiff {
    LetterDiff {
        referents: compare(&old.referents, &new.referents, |r| r.account_id),
        missions: compare(&old.missions, &new.missions, |m| (m.axis, m.label.clone())),
        indicators: compare(&old.indicators, &new.indicators, |i| i.label.clone()),
        text: (old.text != new.text).then(|| (old.text.clone(), new.text.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pilotage::imp::Share;

    fn letter() -> LetterContent {
        LetterContent {
            school_uai: "0140013N".into(),
            school_year: 2026,
            version: 1,
            referents: vec![
                ReferentPart {
                    account_id: Uuid::from_u128(2),
                    name: "Julien Roussel".into(),
                    remuneration: Remuneration::imp(125_000, Share::parse("1/2").expect("share"))
                        .expect("rate"),
                },
                ReferentPart {
                    account_id: Uuid::from_u128(1),
                    name: "Claire Martin".into(),
                    remuneration: Remuneration::hours(36).expect("hours"),
                },
            ],
            missions: vec![MissionLine {
                axis: Axis::Pilotage,
                label: "Animer le comité numérique".into(),
                detail: "Trois réunions dans l'année.".into(),
            }],
            indicators: vec![IndicatorLine {
                label: "Disponibilité du parc".into(),
                source: IndicatorSource::Bound {
                    metric: Metric::EquipmentAvailability,
                },
                baseline: Some(91_000),
                target: 95_000,
            }],
            text: "Lettre co-rédigée.".into(),
        }
    }

    #[test]
    fn a_letter_goes_from_draft_to_reviewed() {
        use LetterStatus as S;
        use LetterStep as T;
        assert_eq!(next(S::Draft, T::Propose), Ok(S::Proposed));
        assert_eq!(next(S::Proposed, T::Withdraw), Ok(S::Draft));
        assert_eq!(next(S::Proposed, T::Sign), Ok(S::Signed));
        assert_eq!(next(S::Signed, T::Review), Ok(S::Reviewed));
        assert_eq!(
            next(S::Draft, T::Sign),
            Err("pilotage-error-letter-step"),
            "a draft is proposed before it is signed"
        );
        assert_eq!(
            next(S::Signed, T::Sign),
            Err("pilotage-error-letter-already-signed"),
            "a second signature of the same version"
        );
        assert_eq!(
            next(S::Reviewed, T::Withdraw),
            Err("pilotage-error-letter-signed")
        );
        assert!(editable(S::Draft));
        for s in [S::Proposed, S::Signed, S::Reviewed] {
            assert!(!editable(s), "{s:?}");
        }
        assert!(amendable(S::Signed) && amendable(S::Reviewed) && !amendable(S::Proposed));
    }

    #[test]
    fn each_referent_acknowledges_a_signed_letter_once() {
        assert_eq!(may_acknowledge(LetterStatus::Signed, false), Ok(()));
        assert_eq!(
            may_acknowledge(LetterStatus::Signed, true),
            Err("pilotage-error-letter-already-acknowledged")
        );
        assert_eq!(
            may_acknowledge(LetterStatus::Proposed, false),
            Err("pilotage-error-letter-not-signed")
        );
    }

    #[test]
    fn the_hash_follows_the_content_not_the_order_of_the_referents() {
        let a = letter();
        let mut b = a.clone();
        b.referents.reverse();
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_eq!(content_hash(&a).len(), 64);
        let mut c = a.clone();
        c.indicators[0].target = 96_000;
        assert_ne!(content_hash(&a), content_hash(&c));
        let mut d = a.clone();
        d.text.push('.');
        assert_ne!(content_hash(&a), content_hash(&d));
    }

    #[test]
    fn an_incomplete_letter_says_what_it_lacks() {
        assert!(missing(&letter()).is_empty());
        let mut l = letter();
        l.referents.clear();
        l.missions.clear();
        let m = missing(&l);
        assert!(m.contains(&("referents", "pilotage-error-letter-no-referent")));
        assert!(m.contains(&("missions", "pilotage-error-letter-no-mission")));
        let mut l = letter();
        l.indicators[0].label = "x".repeat(MAX_LABEL + 1);
        assert_eq!(
            missing(&l),
            vec![("label", "pilotage-error-label-too-long")]
        );
    }

    #[test]
    fn an_amendment_shows_what_it_changes() {
        let old = letter();
        assert!(diff(&old, &old).is_empty());
        let mut new = old.clone();
        new.version = 2;
        new.indicators[0].target = 97_000;
        new.missions.push(MissionLine {
            axis: Axis::ServicesEnLigne,
            label: "Administrer l'ENT".into(),
            detail: String::new(),
        });
        new.referents.retain(|r| r.account_id != Uuid::from_u128(1));
        let d = diff(&old, &new);
        assert_eq!(d.indicators.len(), 1);
        assert!(matches!(
            &d.indicators[0],
            Change::Changed { before, after } if before.target == 95_000 && after.target == 97_000
        ));
        assert_eq!(d.missions.len(), 1);
        assert!(matches!(&d.missions[0], Change::Added(m) if m.label == "Administrer l'ENT"));
        assert_eq!(d.referents.len(), 1);
        assert!(matches!(&d.referents[0], Change::Removed(r) if r.name == "Claire Martin"));
        assert_eq!(d.text, None);
        assert!(!d.is_empty());
    }
}
