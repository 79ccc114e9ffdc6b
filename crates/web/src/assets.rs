//! Our own CSS and JS, and the fonts embedded at build time.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/fonts.rs"));

const CSS: &str = include_str!("../../../assets/refnum.css");
const JS: &str = include_str!("../../../assets/refnum.js");
const KB_JS: &str = include_str!("../../../assets/kb.js");

/// A short hash of the assets, for cache-busting URLs and ETags.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(CSS.as_bytes());
        h.update(JS.as_bytes());
        h.update(KB_JS.as_bytes());
        hex::encode(h.finalize())[..12].to_string()
    })
}

pub fn has_dyslexia_font() -> bool {
    !FONTS.is_empty()
}

fn serve(headers: &HeaderMap, content_type: &'static str, body: &'static [u8]) -> Response {
    let etag = format!("\"{}\"", version());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

async fn css(headers: HeaderMap) -> Response {
    serve(&headers, "text/css; charset=utf-8", CSS.as_bytes())
}

async fn js(headers: HeaderMap) -> Response {
    serve(&headers, "text/javascript; charset=utf-8", JS.as_bytes())
}

async fn kb_js(headers: HeaderMap) -> Response {
    serve(&headers, "text/javascript; charset=utf-8", KB_JS.as_bytes())
}

async fn font(headers: HeaderMap, Path(name): Path<String>) -> Response {
    match FONTS.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => serve(&headers, "font/woff2", bytes),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/refnum.css", get(css))
        .route("/assets/refnum.js", get(js))
        .route("/assets/kb.js", get(kb_js))
        .route("/assets/fonts/{name}", get(font))
}
