//! The plan's themes (seeded on a school's first use, then edited by those
//! who run the plan) and the needs the staff state against them.

use super::{event, invalid_if_any, open, text_field};
use crate::Ctx;
use crate::audit::{self, Who};
use crate::error::{FieldError, Result, ServiceError};
use chrono::{NaiveDate, Utc};
use refnum_db::entities::pilotage::{formation_besoin as besoin, formation_theme as theme};
use refnum_db::pilotage::formations as q;
use refnum_db::{Db, is_unique_violation};
use refnum_domain::pilotage::SchoolYear;
use refnum_domain::pilotage::formations::{MAX_COMMENT, MAX_LABEL, SEED_THEMES};
use refnum_domain::policy::EtabAction;
use uuid::Uuid;

/// Gives a school the usual themes the first time its plan is opened (a
/// school that has any theme, even inactive, gets none). Two first uses at
/// once add them once. Returns how many were added.
pub async fn ensure_themes(db: &Db, etab: Uuid) -> Result<u64> {
    if q::theme_count(&db.conn, etab).await? > 0 {
        return Ok(0);
    }
    let now = Utc::now();
    let rows = SEED_THEMES
        .iter()
        .zip(0..)
        .map(|(label, position)| theme::Model {
            id: Uuid::now_v7(),
            etablissement_id: etab,
            label: (*label).to_string(),
            position,
            active: true,
            created_at: now,
        })
        .collect();
    let who = Who::system("formations");
    let txn = db.write().await?;
    let n = q::insert_themes_if_absent(&*txn, rows).await?;
    if n > 0 {
        audit::record(
            &*txn,
            super::event(
                &who,
                "pilotage.formation_themes_seeded",
                format!("etablissement:{etab}"),
                etab,
                serde_json::json!({ "themes": n }),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// Adds a theme after the others (`ManageTrainingPlan`); a label the
/// school has already is refused.
pub async fn add_theme(db: &Db, ctx: &Ctx, etab_id: Uuid, label: &str) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    let mut errors: Vec<FieldError> = vec![];
    let label = text_field(label, MAX_LABEL, true, "label", &mut errors);
    invalid_if_any(errors)?;
    let id = Uuid::now_v7();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    let position = q::next_theme_position(&*txn, etab.id).await?;
    if let Err(e) = q::insert_theme(
        &*txn,
        theme::Model {
            id,
            etablissement_id: etab.id,
            label: label.clone(),
            position,
            active: true,
            created_at: Utc::now(),
        },
    )
    .await
    {
        return Err(if is_unique_violation(&e) {
            ServiceError::field("label", "pilotage-error-formation-theme-twice")
        } else {
            e.into()
        });
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_theme_added",
            format!("pilotage_formation_theme:{id}"),
            etab.id,
            serde_json::json!({ "label": label }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Offers a theme no longer (`active` false) or again
/// (`ManageTrainingPlan`). Its needs and sessions keep it.
pub async fn set_theme_active(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    id: Uuid,
    active: bool,
) -> Result<()> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ManageTrainingPlan).await?;
    q::get_theme(&db.conn, etab.id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if !q::set_theme_active(&*txn, etab.id, id, active).await? {
        // Already so: nothing to record.
        return Ok(());
    }
    audit::record(
        &*txn,
        event(
            &who,
            if active {
                "pilotage.formation_theme_reactivated"
            } else {
                "pilotage.formation_theme_deactivated"
            },
            format!("pilotage_formation_theme:{id}"),
            etab.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A need as its form gives it: one of the themes offered and a comment.
#[derive(Debug, Clone, Default)]
pub struct NeedInput {
    pub theme_id: String,
    pub comment: String,
}

/// A staff member states a need for the school year of `today`
/// (`ViewTrainingPlan`): once per theme and year.
pub async fn state_need(
    db: &Db,
    ctx: &Ctx,
    etab_id: Uuid,
    input: &NeedInput,
    today: NaiveDate,
) -> Result<Uuid> {
    let (etab, _) = open(db, ctx, etab_id, EtabAction::ViewTrainingPlan).await?;
    let mut errors: Vec<FieldError> = vec![];
    let themes = q::themes_of(&db.conn, etab.id, false).await?;
    let theme = Uuid::parse_str(input.theme_id.trim())
        .ok()
        .and_then(|id| themes.iter().find(|t| t.id == id));
    if theme.is_none() {
        errors.push(FieldError {
            field: "theme_id",
            key: "pilotage-error-formation-theme",
        });
    }
    let comment = text_field(&input.comment, MAX_COMMENT, false, "comment", &mut errors);
    invalid_if_any(errors)?;
    let theme = theme.ok_or(ServiceError::NotFound)?;
    let year = SchoolYear::of(today);
    let id = Uuid::now_v7();
    let who = Who::of(ctx);
    let txn = db.write().await?;
    if let Err(e) = q::insert_need(
        &*txn,
        besoin::Model {
            id,
            etablissement_id: etab.id,
            school_year: year.0,
            theme_id: theme.id,
            account_id: ctx.account.id,
            comment,
            created_at: Utc::now(),
        },
    )
    .await
    {
        return Err(if is_unique_violation(&e) {
            ServiceError::field("theme_id", "pilotage-error-formation-need-twice")
        } else {
            e.into()
        });
    }
    audit::record(
        &*txn,
        event(
            &who,
            "pilotage.formation_need_stated",
            format!("pilotage_formation_besoin:{id}"),
            etab.id,
            serde_json::json!({ "theme": theme.id, "school_year": year.0 }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}
