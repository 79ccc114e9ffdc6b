//! The steps of a mission letter, each a POST from its page: propose or
//! take back to draft, sign, acknowledge, amend, copy to the next year,
//! comment. Each goes back to the letter with its message, or shows the
//! letter again with the error beside the form that was sent.

use super::letter_id;
use super::lettres::render_show;
use crate::AppState;
use crate::errors::PageError;
use crate::forms::field_errors;
use crate::pages::{SignedIn, done};
use crate::urls::pilotage as u;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use refnum_domain::pilotage::lettre::LetterStep;
use refnum_services::pilotage::{avenants, lettres};
use uuid::Uuid;

// -------------------------------------------------------------------- steps

/// The result of a step: back to the letter with its message, or the
/// letter again with the error next to the form that was sent.
async fn after(
    state: &AppState,
    s: &SignedIn,
    id: Uuid,
    lid: Uuid,
    r: refnum_services::error::Result<()>,
    flash: &str,
    comment: String,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(done(&u::letter(id, lid), flash)),
        Err(e) => {
            let errors = field_errors(s.shell.tr, e)?;
            render_show(state, s, id, lid, errors, comment).await
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    etape: String,
}

pub async fn step(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let (step, flash) = match f.etape.as_str() {
        "proposer" => (LetterStep::Propose, "lettre-proposee"),
        "retirer" => (LetterStep::Withdraw, "lettre-retiree"),
        _ => return Err(PageError::BadRequest),
    };
    let r = lettres::step(&state.db, &s.ctx, id, lid, step)
        .await
        .map(|_| ());
    after(&state, &s, id, lid, r, flash, String::new()).await
}

#[derive(serde::Deserialize, Default)]
pub struct SignForm {
    #[serde(default)]
    password: String,
}

pub async fn sign(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(f): Form<SignForm>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let r = lettres::sign(&state.db, &s.ctx, id, lid, &f.password, &state.config.auth)
        .await
        .map(|_| ());
    after(&state, &s, id, lid, r, "lettre-signee", String::new()).await
}

pub async fn acknowledge(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let r = lettres::acknowledge(&state.db, &s.ctx, id, lid).await;
    after(&state, &s, id, lid, r, "lettre-lue", String::new()).await
}

pub async fn amend(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    match avenants::amend(&state.db, &s.ctx, id, lid).await {
        Ok(new) => Ok(done(&u::edit(id, new), "avenant-cree")),
        Err(e) => after(&state, &s, id, lid, Err(e), "", String::new()).await,
    }
}

pub async fn copy(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    match avenants::copy_to_next_year(&state.db, &s.ctx, id, lid).await {
        Ok(new) => Ok(done(&u::edit(id, new), "lettre-copiee")),
        Err(e) => after(&state, &s, id, lid, Err(e), "", String::new()).await,
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

pub async fn comment(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, lid)): Path<(Uuid, String)>,
    Form(f): Form<CommentForm>,
) -> Result<Response, PageError> {
    let lid = letter_id(&lid)?;
    let r = lettres::comment(&state.db, &s.ctx, id, lid, &f.comment).await;
    after(&state, &s, id, lid, r, "commentaire-ajoute", f.comment).await
}
