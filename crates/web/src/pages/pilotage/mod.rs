//! Pilotage: the referent's first axis. The comité numérique (`comite`).

mod comite;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(comite::router())
}
