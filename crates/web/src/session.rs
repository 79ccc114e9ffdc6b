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

/// An origin as compared for CSRF: scheme, host (lower case), port (the
/// scheme's default when not written).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// `host[:port]` (an IPv6 address in brackets); no user, no path.
fn parse_authority(authority: &str, scheme: &str) -> Option<Origin> {
    if authority.is_empty() || authority.contains(['@', '/', '\\', '?', '#', ' ']) {
        return None;
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{inside}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return None;
    }
    let port = match port {
        Some(p) => p.parse::<u16>().ok()?,
        None => default_port(scheme)?,
    };
    Some(Origin {
        scheme: scheme.to_string(),
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// `scheme://host[:port]`, as browsers send in `Origin` (a trailing `/`,
/// as in a configured `public_url`, is accepted).
fn parse_origin(s: &str) -> Option<Origin> {
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    default_port(&scheme)?;
    parse_authority(rest.strip_suffix('/').unwrap_or(rest), &scheme)
}

/// The origin this request was sent to: its `Host`, with the scheme `http`
/// (RefNum itself serves plain http) unless a trusted proxy says
/// `X-Forwarded-Proto: https`.
fn request_origin(state: &AppState, req: &Request) -> Option<Origin> {
    let from_proxy = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|c| state.config.trusted_proxies.contains(&c.0.ip()));
    let scheme = if from_proxy {
        // The value the nearest proxy (ours) wrote last.
        req.headers()
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_ascii_lowercase())
            .next_back()
            .filter(|v| v == "http" || v == "https")
            .unwrap_or_else(|| "http".to_string())
    } else {
        "http".to_string()
    };
    let host = req.headers().get(header::HOST)?.to_str().ok()?;
    parse_authority(host.trim(), &scheme)
}

/// An unsafe request's `Origin`, when the browser sends one, must be ours:
/// the configured `public_url`, or else the request's own scheme, host and
/// port.
fn origin_ok(state: &AppState, req: &Request) -> bool {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let Some(origin) = origin else {
        // Browsers send Origin on every cross-site POST; a request without
        // one is a same-origin form of an old browser or a non-browser
        // client, which still needs the token.
        return true;
    };
    let Some(given) = parse_origin(origin.trim()) else {
        // `null` (sandboxed frames, some redirects) or garbage.
        return false;
    };
    let expected = match &state.config.public_origin {
        Some(public) => parse_origin(public),
        None => request_origin(state, req),
    };
    expected.is_some_and(|e| e == given)
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
    let loaded = match token {
        Some(t) => match auth::load_session_with_context(&state.db, &t, &state.config.auth).await {
            Ok(s) => s,
            Err(e) => {
                // PageError::from logs the cause (session load failed).
                return crate::errors::PageError::from(e).into_response();
            }
        },
        None => None,
    };
    let (session, ctx) = match loaded {
        Some(l) => {
            if l.ctx.is_some() {
                // The header's count, read with the session (see `Shell`).
                req.extensions_mut().insert(crate::page::Unread(l.unread));
            }
            (Some(l.session), l.ctx)
        }
        None => (None, None),
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
        if !origin_ok(&state, &req) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn o(scheme: &str, host: &str, port: u16) -> Option<Origin> {
        Some(Origin {
            scheme: scheme.into(),
            host: host.into(),
            port,
        })
    }

    #[test]
    fn origins_are_read_as_scheme_host_and_port() {
        let cases: &[(&str, Option<Origin>)] = &[
            ("http://refnum.test", o("http", "refnum.test", 80)),
            ("https://refnum.test", o("https", "refnum.test", 443)),
            ("https://refnum.test/", o("https", "refnum.test", 443)),
            ("HTTPS://RefNum.Test:443", o("https", "refnum.test", 443)),
            ("http://127.0.0.1:8080", o("http", "127.0.0.1", 8080)),
            ("http://[::1]:8080", o("http", "[::1]", 8080)),
            ("http://[::1]", o("http", "[::1]", 80)),
            ("null", None),
            ("", None),
            ("refnum.test", None),
            ("ftp://refnum.test", None),
            ("http://", None),
            ("http://:8080", None),
            ("http://refnum.test:99999", None),
            ("http://refnum.test:abc", None),
            ("http://user@refnum.test", None),
            ("http://refnum.test/path", None),
            ("http://[::1", None),
            ("http://[::1]x", None),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse_origin(text), expected, "{text}");
        }
    }

    #[test]
    fn an_origin_matches_only_the_same_scheme_host_and_port() {
        // (Origin sent, the request's Host, the request's scheme, accepted)
        let cases = [
            ("http://refnum.test", "refnum.test", "http", true),
            ("http://refnum.test:80", "refnum.test", "http", true),
            ("http://refnum.test", "refnum.test:80", "http", true),
            ("http://REFNUM.test", "refnum.TEST", "http", true),
            ("http://127.0.0.1:8080", "127.0.0.1:8080", "http", true),
            ("https://refnum.test", "refnum.test", "https", true),
            // Same host, another scheme: refused either way.
            ("https://refnum.test", "refnum.test", "http", false),
            ("https://127.0.0.1:8080", "127.0.0.1:8080", "http", false),
            ("http://refnum.test", "refnum.test", "https", false),
            // Same host, another port.
            ("http://refnum.test:8081", "refnum.test:8080", "http", false),
            ("http://refnum.test", "refnum.test:8080", "http", false),
            ("https://refnum.test:8443", "refnum.test", "https", false),
            // Another host.
            ("http://evil.test", "refnum.test", "http", false),
            ("http://refnum.test.evil.test", "refnum.test", "http", false),
            ("http://evil.test", "evil.test@refnum.test", "http", false),
        ];
        for (origin, host, scheme, ok) in cases {
            let given = parse_origin(origin);
            let expected = parse_authority(host, scheme);
            assert_eq!(
                given.is_some() && given == expected,
                ok,
                "{origin} to {scheme}://{host}"
            );
        }
    }
}
