//! Session loading and CSRF checking, in one middleware for every page.
//!
//! The session cookie holds a random token; the database keeps its SHA-256
//! only. Unsafe requests (POST…) to pages must carry the session's CSRF
//! token in the `csrf_token` field and, when the browser sends one, an
//! Origin equal to ours.

use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use refnum_services::Ctx;
use refnum_services::auth::{self, LoadedSession};
use std::net::{IpAddr, SocketAddr};

/// The session of the request, if any, and the caller's context when signed in.
#[derive(Clone)]
pub struct SessionState {
    pub session: Option<LoadedSession>,
    pub ctx: Option<Ctx>,
}

/// The CSRF token a streamed upload must carry in its first multipart field
/// (`csrf_token`); the handler checks it before reading any file.
#[derive(Clone)]
pub struct DeferredCsrf(pub String);

impl DeferredCsrf {
    pub fn matches(&self, given: &str) -> bool {
        constant_time_eq(given, &self.0)
    }
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// The client's address, as trusted from the connection and the configured proxies.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn client_addr(state: &AppState, req: &Request) -> String {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let Some(peer) = peer else {
        return "unknown".into();
    };
    if !state.config.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    // From a trusted proxy: the right-most address that is not one of ours.
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !state.config.trusted_proxies.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

fn skips_session(path: &str) -> bool {
    path.starts_with("/assets/")
        || path.starts_with("/api/")
        || path == "/healthz"
        || path == "/metrics"
        || crate::urls::reservations::is_feed(path)
}

fn origin_ok(state: &AppState, headers: &HeaderMap) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let Some(origin) = origin else {
        // Browsers send Origin on every cross-site POST; a request without
        // one is a same-origin form of an old browser or a non-browser
        // client, which still needs the token.
        return true;
    };
    if origin == "null" {
        return false;
    }
    if let Some(public) = &state.config.public_origin {
        return origin.trim_end_matches('/') == public.trim_end_matches('/');
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match host {
        Some(h) => origin == format!("http://{h}") || origin == format!("https://{h}"),
        None => false,
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Decodes `application/x-www-form-urlencoded` pairs.
pub fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                    match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// True when a body error comes from a length limit (ours or axum's),
/// rather than from a client that went away.
fn is_length_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

fn forbidden_csrf() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Requête refusée : jeton de sécurité (CSRF) absent ou invalide. Rechargez la page et recommencez.\n\
         Request refused: missing or invalid security (CSRF) token. Reload the page and try again.",
    )
        .into_response()
}

pub async fn session_and_csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let addr = client_addr(&state, &req);
    let path = req.uri().path().to_string();
    let mut req = req;
    req.extensions_mut().insert(ClientAddr(addr));
    if skips_session(&path) {
        return next.run(req).await;
    }
    // CAS single logout: posted by the CAS server, without session or token.
    if req.method() == Method::POST && crate::urls::is_sso_return(&path) {
        return next.run(req).await;
    }
    let token = cookie_value(req.headers(), state.config.session_cookie());
    let session = match token {
        Some(t) => match auth::load_session(&state.db, &t, &state.config.auth).await {
            Ok(s) => s,
            Err(e) => {
                // PageError::from logs the cause (session load failed).
                return crate::errors::PageError::from(e).into_response();
            }
        },
        None => None,
    };
    let ctx = match session
        .as_ref()
        .and_then(|s| s.account.clone().map(|a| (a, s.row.etablissement_id)))
    {
        Some((account, wanted)) => match Ctx::load(&state.db, account, wanted).await {
            Ok(c) => Some(c),
            Err(e) => {
                // PageError::from logs the cause (context load failed).
                return crate::errors::PageError::from(e).into_response();
            }
        },
        None => None,
    };
    // Every page visit gets a session, so that its forms (display settings,
    // language, sign-in) carry a CSRF token.
    let mut new_cookie = None;
    let session = match session {
        None if req.method() == Method::GET => match auth::create_anonymous(&state.db).await {
            Ok((token, s)) => {
                new_cookie = Some(token);
                Some(s)
            }
            Err(e) => {
                // PageError::from logs the cause (session creation failed).
                return crate::errors::PageError::from(e).into_response();
            }
        },
        other => other,
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        if !origin_ok(&state, req.headers()) {
            return forbidden_csrf();
        }
        let Some(expected) = session.as_ref().map(|s| s.row.csrf_token.clone()) else {
            return forbidden_csrf();
        };
        // Large file uploads are streamed to disk by their handler, which
        // checks the token in the first multipart field (see `DeferredCsrf`).
        if crate::urls::is_streamed_upload(&path) && is_multipart(req.headers()) {
            req.extensions_mut().insert(DeferredCsrf(expected));
            req.extensions_mut().insert(SessionState { session, ctx });
            let req = match crate::pages::mfa::gate(&state, req).await {
                Ok(req) => req,
                Err(refused) => return refused,
            };
            return next.run(req).await;
        }
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, state.config.max_body_bytes).await {
            Ok(b) => b,
            Err(e) if is_length_limit(&e) => {
                return crate::errors::PageError::TooLarge.into_response();
            }
            Err(_) => return crate::errors::PageError::BadRequest.into_response(),
        };
        let from_header = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let given = from_header.or_else(|| form_field(&bytes, "csrf_token"));
        if !given.is_some_and(|g| constant_time_eq(&g, &expected)) {
            return forbidden_csrf();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(SessionState { session, ctx });
    // Second factor: a privileged session that has not passed it reaches
    // only the second-factor pages, sign-out, display settings and language.
    let req = match crate::pages::mfa::gate(&state, req).await {
        Ok(req) => req,
        Err(refused) => return refused,
    };
    let mut res = next.run(req).await;
    // A handler that signed in on this very request (SSO return) set the
    // session cookie itself: the anonymous one must not replace it.
    let handler_set_session = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with(&format!("{}=", state.config.session_cookie())));
    if let Some(token) = new_cookie.filter(|_| !handler_set_session) {
        let cookie = crate::page::set_cookie(
            state.config.session_cookie(),
            &token,
            None,
            state.config.secure_cookies,
        );
        if let Ok(v) = header::HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}
