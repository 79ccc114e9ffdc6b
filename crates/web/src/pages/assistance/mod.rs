//! Assistance pages: tickets, support organisations, knowledge base.

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
