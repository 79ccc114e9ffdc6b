//! The year-end review of a signed letter (`DraftMissionLetter`: the head
//! and the referents write it together): each indicator's final value
//! beside its target, with a comment, and a comment per axis. The letter
//! becomes "reviewed"; the review may be corrected afterwards. The
//! signature's hash covers the letter's content, not its review.

use super::lettres::{event, open, status_of};
use super::saisie::row_field;
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::Db;
use refnum_db::entities::pilotage::lettre_revue;
use refnum_db::pilotage::{self as q, FinalValue};
use refnum_domain::pilotage::Axis;
use refnum_domain::pilotage::indicateurs::{Unit, parse_value};
use refnum_domain::pilotage::lettre::{self as rules, LetterStatus};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// One indicator's year-end value as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct FinalInput {
    pub indicator_id: String,
    pub value: String,
    pub comment: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    pub finals: Vec<FinalInput>,
    /// (axis code, comment).
    pub axes: Vec<(String, String)>,
}

fn text(s: &str, field: &'static str, errors: &mut Vec<FieldError>) -> String {
    let t = s.trim().replace("\r\n", "\n");
    if t.chars().count() > rules::MAX_DETAIL {
        errors.push(FieldError {
            field,
            key: "pilotage-error-detail-too-long",
        });
    }
    t
}

pub async fn review(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    input: &ReviewInput,
) -> Result<()> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !matches!(status_of(&l), LetterStatus::Signed | LetterStatus::Reviewed) {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-not-signed",
        ));
    }
    // The review is the year's last signed version's.
    if q::letters_of(&db.conn, etab.id).await?.iter().any(|x| {
        x.school_year == l.school_year
            && x.version > l.version
            && matches!(status_of(x), LetterStatus::Signed | LetterStatus::Reviewed)
    }) {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-review-superseded",
        ));
    }
    let parts = q::parts_of(&db.conn, l.id).await?;
    let mut errors = vec![];
    let mut finals = vec![];
    for (i, ind) in parts.indicators.iter().enumerate() {
        let given = input
            .finals
            .iter()
            .find(|f| f.indicator_id.trim() == ind.id.to_string());
        let unit = Unit::parse(&ind.unit).unwrap_or(Unit::Count);
        let value = match given.map(|g| g.value.trim()).unwrap_or("") {
            "" => {
                errors.push(FieldError {
                    field: row_field("final", i, "value"),
                    key: "pilotage-error-value-empty",
                });
                None
            }
            v => match parse_value(unit, v) {
                Ok(x) => Some(x),
                Err(key) => {
                    errors.push(FieldError {
                        field: row_field("final", i, "value"),
                        key,
                    });
                    None
                }
            },
        };
        let comment = text(
            given.map(|g| g.comment.as_str()).unwrap_or(""),
            row_field("final", i, "comment"),
            &mut errors,
        );
        finals.push(FinalValue {
            indicator_id: ind.id,
            value,
            comment,
        });
    }
    let now = Utc::now();
    let mut comments = vec![];
    for (code, comment) in &input.axes {
        let Some(axis) = Axis::parse(code.trim()) else {
            errors.push(FieldError {
                field: "axes",
                key: "pilotage-error-axis",
            });
            continue;
        };
        let field = row_field(
            "axis",
            Axis::ALL.iter().position(|a| *a == axis).unwrap_or(0),
            "comment",
        );
        let c = text(comment, field, &mut errors);
        if !c.is_empty() {
            comments.push(lettre_revue::Model {
                id: Uuid::now_v7(),
                lettre_id: l.id,
                axis: axis.as_str().into(),
                comment: c,
                updated_by: Some(ctx.account.id),
                updated_at: now,
            });
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::record_review(&*txn, l.id, ctx.account.id, now, &finals, comments).await? {
        return Err(ServiceError::field(
            "status",
            "pilotage-error-letter-not-signed",
        ));
    }
    audit::record(&*txn, event(&who, "pilotage.letter_reviewed", &l)).await?;
    txn.commit().await?;
    Ok(())
}
