//! The mission letter's use cases: draft it (the head and the referents),
//! propose it, sign it (the head, after typing their password again),
//! acknowledge it (each referent named). Who may do what is the policy's
//! (`DraftMissionLetter`, `SignMissionLetter`, `ViewMissionLetters`,
//! `ViewSignedMissionLetters`); the letter's own rules are the domain's
//! (`refnum_domain::pilotage::lettre`). Every step writes its audit event in
//! the same transaction; a signature records the SHA-256 of the content.

use super::saisie::{content_of, parts_from};
use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::auth::{AuthSettings, confirm_password};
use crate::error::{FieldError, Result, ServiceError};
use chrono::Utc;
use refnum_db::entities::etablissement;
use refnum_db::entities::pilotage::{lettre, lettre_commentaire, lettre_revue, mission};
use refnum_db::pilotage::{self as q, LetterParts};
use refnum_db::{Db, accounts, is_unique_violation};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::indicateurs::Metric;
use refnum_domain::pilotage::lettre::{self as rules, LetterContent, LetterStatus, LetterStep};
use refnum_domain::policy::{self, EtabAction};
use refnum_domain::role::Role;
use uuid::Uuid;

pub use super::saisie::{IndicatorInput, LetterInput, MissionInput, ReferentInput};

/// A letter with what it says and the hash of that.
#[derive(Debug, Clone)]
pub struct LetterView {
    pub letter: lettre::Model,
    pub parts: LetterParts,
    pub content: LetterContent,
    pub hash: String,
    pub status: LetterStatus,
    pub etab: etablissement::Model,
    /// What the version it amends said (an amendment shows the differences).
    pub previous: Option<(i32, LetterContent)>,
    /// The drafting comments (for those who draft).
    pub comments: Vec<lettre_commentaire::Model>,
    /// The year-end comments, one per axis.
    pub reviews: Vec<lettre_revue::Model>,
    /// Who signed it, by name.
    pub signed_by_name: Option<String>,
    pub rights: LetterRights,
}

/// What the caller may do with the school's letters.
#[derive(Debug, Clone, Copy, Default)]
pub struct LetterRights {
    pub draft: bool,
    pub sign: bool,
    /// Sees drafts and proposed letters, not only signed ones.
    pub see_drafts: bool,
}

fn rights_of(ctx: &Ctx, facts: &policy::EtabFacts) -> LetterRights {
    let may = |a| policy::decide(&ctx.actor, a, facts) == policy::Decision::Allow;
    LetterRights {
        draft: may(EtabAction::DraftMissionLetter),
        sign: may(EtabAction::SignMissionLetter),
        see_drafts: may(EtabAction::ViewMissionLetters),
    }
}

/// The school's letters the caller may read (drafts only for those who
/// draft), the newest year and version first.
pub struct Letters {
    pub etab: etablissement::Model,
    pub letters: Vec<lettre::Model>,
    pub rights: LetterRights,
}

pub async fn list(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<Letters> {
    let (etab, facts) =
        crate::orgs::etab_with_facts(db, ctx, etab_id, EtabAction::ViewSignedMissionLetters)
            .await?;
    let rights = rights_of(ctx, &facts);
    let letters = q::letters_of(&db.conn, etab.id)
        .await?
        .into_iter()
        .filter(|l| {
            rights.see_drafts
                || matches!(status_of(l), LetterStatus::Signed | LetterStatus::Reviewed)
        })
        .collect();
    Ok(Letters {
        etab,
        letters,
        rights,
    })
}

/// What the letter's form offers: the catalogue of missions, the school's
/// referents, the figures an indicator may be bound to.
pub struct LetterForm {
    pub etab: etablissement::Model,
    pub catalogue: Vec<mission::Model>,
    /// (account id, name) of the school's referents.
    pub referents: Vec<(Uuid, String)>,
    pub metrics: Vec<Metric>,
}

pub async fn form(db: &Db, ctx: &Ctx, etab_id: Uuid) -> Result<LetterForm> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let catalogue = q::catalogue(&db.conn, Some(etab.academie_id), false).await?;
    let mut referents: Vec<(Uuid, String)> = accounts::members_of_etablissement(&db.conn, etab.id)
        .await?
        .into_iter()
        .filter(|(_, roles)| roles.iter().any(|r| r == Role::Referent.as_str()))
        .map(|(a, _)| (a.id, a.display_name))
        .collect();
    referents.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(LetterForm {
        etab,
        catalogue,
        referents,
        metrics: Metric::ALL
            .iter()
            .copied()
            .filter(|m| m.computed_today())
            .collect(),
    })
}

pub(super) async fn open(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    action: EtabAction,
) -> Result<etablissement::Model> {
    Ok(crate::orgs::etab_with_facts(db, ctx, etab_id, action)
        .await?
        .0)
}

pub(super) fn status_of(l: &lettre::Model) -> LetterStatus {
    LetterStatus::parse(&l.status).unwrap_or(LetterStatus::Draft)
}

pub(super) fn event<'a>(who: &'a Who, action: &'static str, l: &lettre::Model) -> Event<'a> {
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
    let rights = rights_of(ctx, &facts);
    if !rights.see_drafts && !matches!(status, LetterStatus::Signed | LetterStatus::Reviewed) {
        return Err(ServiceError::NotFound);
    }
    let parts = q::parts_of(&db.conn, l.id).await?;
    let content = content_of(&etab, &l, &parts);
    let hash = rules::content_hash(&content);
    let previous = match l.supersedes_id {
        Some(prev) => match q::get_letter(&db.conn, etab.id, prev).await? {
            Some(p) => {
                let pp = q::parts_of(&db.conn, p.id).await?;
                Some((p.version, content_of(&etab, &p, &pp)))
            }
            None => None,
        },
        None => None,
    };
    let comments = if rights.see_drafts {
        q::comments_of(&db.conn, l.id).await?
    } else {
        vec![]
    };
    let reviews = q::reviews_of(&db.conn, l.id).await?;
    let signed_by_name = match l.signed_by {
        Some(a) => accounts::get(&db.conn, a).await?.map(|a| a.display_name),
        None => None,
    };
    Ok(LetterView {
        letter: l,
        parts,
        content,
        hash,
        status,
        etab,
        previous,
        comments,
        reviews,
        signed_by_name,
        rights,
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

/// Adds a drafting comment to a letter that is not signed yet
/// (`DraftMissionLetter`): the head and the referents discuss the draft.
pub async fn comment(db: &Db, ctx: &Ctx, etab_id: Uuid, id: Uuid, body: &str) -> Result<()> {
    let etab = open(db, ctx, etab_id, EtabAction::DraftMissionLetter).await?;
    let l = q::get_letter(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !matches!(status_of(&l), LetterStatus::Draft | LetterStatus::Proposed) {
        return Err(ServiceError::field(
            "comment",
            "pilotage-error-comment-signed",
        ));
    }
    let body = body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(ServiceError::field(
            "comment",
            "pilotage-error-comment-empty",
        ));
    }
    if body.chars().count() > rules::MAX_DETAIL {
        return Err(ServiceError::field(
            "comment",
            "pilotage-error-detail-too-long",
        ));
    }
    let who = Who::of(ctx);
    let txn = db.write().await?;
    q::insert_comment(
        &*txn,
        lettre_commentaire::Model {
            id: Uuid::now_v7(),
            lettre_id: l.id,
            author_id: Some(ctx.account.id),
            author_name: ctx.account.display_name.clone(),
            body,
            created_at: Utc::now(),
        },
    )
    .await?;
    audit::record(&*txn, event(&who, "pilotage.letter_commented", &l)).await?;
    txn.commit().await?;
    Ok(())
}
