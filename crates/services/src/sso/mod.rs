//! Single sign-on by CAS (2.0/3.0) and OpenID Connect (authorization code
//! with PKCE). Several providers per instance; an identity is keyed by
//! `(provider, subject)` and linked to an account by the rules of [`link`].
//!
//! The HTTP client follows no redirect and has timeouts; nothing of a
//! ticket, code, token or secret is ever logged.

pub mod cas;
pub mod config;
pub mod link;
pub mod oidc;

use crate::Ctx;
use crate::audit::{self, Event, Who};
use crate::auth::{self, LoadedSession, random_token, sha256_hex};
use crate::error::{Result, ServiceError};
use chrono::{Duration, Utc};
use config::{Provider, ProviderKind};
use jsonwebtoken::jwk::JwkSet;
use refnum_db::entities::{account, sso_auth_request, sso_session};
use refnum_db::{Db, is_unique_violation, sso as q};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

pub use config::ProviderConfig;

/// How long an OIDC authorisation may take (state, nonce, verifier).
const AUTH_REQUEST_TTL_MINUTES: i64 = 10;
/// A used CAS ticket is remembered this long (CAS tickets live seconds).
const USED_TICKET_TTL_HOURS: i64 = 24;
/// Discovery and JWKS are fetched again after this.
const CACHE_TTL_MINUTES: i64 = 60;
/// Largest answer read from a provider.
const MAX_RESPONSE: usize = 256 * 1024;

#[derive(Clone)]
struct OidcCache {
    discovery: oidc::Discovery,
    jwks: JwkSet,
    fetched_at: chrono::DateTime<Utc>,
}

struct Inner {
    providers: Vec<Provider>,
    http: Option<reqwest::Client>,
    cache: Mutex<HashMap<String, OidcCache>>,
}

/// The configured providers and what they share (HTTP client, caches).
#[derive(Clone)]
pub struct Registry(Arc<Inner>);

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("providers", &self.0.providers)
            .finish()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry(Arc::new(Inner {
            providers: vec![],
            http: None,
            cache: Mutex::new(HashMap::new()),
        }))
    }
}

impl Registry {
    /// Validates the configuration (French errors naming the field).
    pub fn new(list: &[ProviderConfig]) -> std::result::Result<Registry, String> {
        let providers = config::validate(list)?;
        if providers.is_empty() {
            return Ok(Registry::default());
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(10))
            .user_agent(concat!("RefNum/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("sso : client HTTP : {e}"))?;
        Ok(Registry(Arc::new(Inner {
            providers,
            http: Some(http),
            cache: Mutex::new(HashMap::new()),
        })))
    }

    pub fn providers(&self) -> &[Provider] {
        &self.0.providers
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.0.providers.iter().find(|p| p.id == id)
    }

    fn http(&self) -> Result<&reqwest::Client> {
        self.0
            .http
            .as_ref()
            .ok_or_else(|| ServiceError::Internal("no SSO HTTP client".into()))
    }
}

/// Why a single sign-on was refused. Each has its own page and audit event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// OIDC: state missing, unknown, expired, used, or of another browser.
    BadState,
    /// The provider answered with an error (user cancelled, …).
    ProviderError,
    /// CAS: the ticket was not validated (unknown, expired, other service…).
    TicketInvalid {
        code: String,
    },
    /// CAS: the ticket was already presented once.
    Replayed,
    /// OIDC: the code exchange failed or the ID token failed a check.
    TokenInvalid {
        reason: &'static str,
    },
    /// The provider could not be reached or answered nonsense.
    Unavailable,
    /// OIDC: `email_verified` is false.
    EmailUnverified,
    /// No account matches this identity.
    NoAccount,
    /// The account is already linked to an identity at another provider.
    Takeover {
        account_id: Uuid,
        linked_provider: String,
    },
    Disabled {
        account_id: Uuid,
    },
}

impl Refusal {
    /// Suffix of the catalogue keys `sso-refused-<key>-title` / `-text`.
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::BadState => "state",
            Refusal::ProviderError => "provider",
            Refusal::TicketInvalid { .. } => "ticket",
            Refusal::Replayed => "replayed",
            Refusal::TokenInvalid { .. } => "token",
            Refusal::Unavailable => "unavailable",
            Refusal::EmailUnverified => "unverified",
            Refusal::NoAccount => "no-account",
            Refusal::Takeover { .. } => "takeover",
            Refusal::Disabled { .. } => "disabled",
        }
    }

    /// HTTP status of the refusal page.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::BadState
            | Refusal::ProviderError
            | Refusal::TicketInvalid { .. }
            | Refusal::Replayed
            | Refusal::TokenInvalid { .. } => 400,
            Refusal::Unavailable => 502,
            Refusal::EmailUnverified
            | Refusal::NoAccount
            | Refusal::Takeover { .. }
            | Refusal::Disabled { .. } => 403,
        }
    }
}

/// A successful single sign-on.
pub struct SignedIn {
    /// The new session's cookie value.
    pub token: String,
    pub account: account::Model,
    /// Where to go next (a local path).
    pub return_to: String,
}

pub type Outcome = std::result::Result<SignedIn, Refusal>;

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn provider<'a>(reg: &'a Registry, id: &str) -> Result<&'a Provider> {
    reg.get(id).ok_or(ServiceError::NotFound)
}

async fn refuse(db: &Db, p: &Provider, r: Refusal, client_addr: &str) -> Result<Outcome> {
    let (target, details) = match &r {
        Refusal::Takeover {
            account_id,
            linked_provider,
        } => (
            format!("account:{account_id}"),
            serde_json::json!({ "provider": p.id, "reason": r.key(), "linked_provider": linked_provider, "address": client_addr }),
        ),
        Refusal::Disabled { account_id } => (
            format!("account:{account_id}"),
            serde_json::json!({ "provider": p.id, "reason": r.key(), "address": client_addr }),
        ),
        Refusal::TicketInvalid { code } => (
            format!("sso:{}", p.id),
            serde_json::json!({ "provider": p.id, "reason": r.key(), "code": code, "address": client_addr }),
        ),
        Refusal::TokenInvalid { reason } => (
            format!("sso:{}", p.id),
            serde_json::json!({ "provider": p.id, "reason": r.key(), "check": reason, "address": client_addr }),
        ),
        _ => (
            format!("sso:{}", p.id),
            serde_json::json!({ "provider": p.id, "reason": r.key(), "address": client_addr }),
        ),
    };
    let who = Who::system("anonyme");
    audit::record_alone(
        db,
        Event {
            who: &who,
            action: "auth.sso_refused",
            target,
            etablissement_id: None,
            outcome: "refused",
            details,
        },
    )
    .await?;
    Ok(Err(r))
}

/// Where the browser goes to sign in at the provider.
///
/// `callback_url` is our absolute `/connexion/sso/{id}/retour` URL; for
/// OIDC the request is bound to the browser's `session`.
pub async fn begin(
    db: &Db,
    reg: &Registry,
    provider_id: &str,
    session: Option<&LoadedSession>,
    callback_url: &str,
    return_to: &str,
) -> Result<std::result::Result<String, Refusal>> {
    let p = provider(reg, provider_id)?;
    match &p.kind {
        ProviderKind::Cas { base, .. } => {
            Ok(Ok(format!("{base}/login?service={}", enc(callback_url))))
        }
        ProviderKind::Oidc {
            client_id, scopes, ..
        } => {
            let Some(session) = session else {
                return Ok(Err(Refusal::BadState));
            };
            let cache = match oidc_cache(reg, p, false).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(provider = %p.id, error = %e, "OIDC discovery failed");
                    refuse(db, p, Refusal::Unavailable, "").await?.ok();
                    return Ok(Err(Refusal::Unavailable));
                }
            };
            let state = random_token(32);
            let nonce = random_token(32);
            let verifier = random_token(48);
            let now = Utc::now();
            q::purge_auth_requests(&db.conn, now).await?;
            q::insert_auth_request(
                &db.conn,
                &sso_auth_request::Model {
                    state_hash: sha256_hex(&state),
                    provider: p.id.clone(),
                    session_hash: session.token_hash.clone(),
                    nonce_hash: sha256_hex(&nonce),
                    pkce_verifier: verifier.clone(),
                    return_to: return_to.chars().take(255).collect(),
                    created_at: now,
                    expires_at: now + Duration::minutes(AUTH_REQUEST_TTL_MINUTES),
                },
            )
            .await?;
            let ep = &cache.discovery.authorization_endpoint;
            let sep = if ep.contains('?') { '&' } else { '?' };
            Ok(Ok(format!(
                "{ep}{sep}response_type=code&client_id={}&redirect_uri={}&scope={}&state={}&nonce={}&code_challenge={}&code_challenge_method=S256",
                enc(client_id),
                enc(callback_url),
                enc(&scopes.join(" ")),
                enc(&state),
                enc(&nonce),
                enc(&oidc::pkce_challenge(&verifier)),
            )))
        }
    }
}

async fn read_limited(mut r: reqwest::Response) -> std::result::Result<Vec<u8>, String> {
    let mut out = vec![];
    while let Some(chunk) = r.chunk().await.map_err(|e| e.to_string())? {
        out.extend_from_slice(&chunk);
        if out.len() > MAX_RESPONSE {
            return Err("response too large".into());
        }
    }
    Ok(out)
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
) -> std::result::Result<T, String> {
    let r = http
        .get(url)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| format!("GET failed: {}", e.without_url()))?;
    if !r.status().is_success() {
        return Err(format!("GET answered {}", r.status()));
    }
    let body = read_limited(r).await?;
    serde_json::from_slice(&body).map_err(|e| format!("invalid JSON: {e}"))
}

async fn oidc_cache(
    reg: &Registry,
    p: &Provider,
    refresh_keys: bool,
) -> std::result::Result<OidcCache, String> {
    let ProviderKind::Oidc { issuer, .. } = &p.kind else {
        return Err("not an OIDC provider".into());
    };
    let cached = reg
        .0
        .cache
        .lock()
        .map_err(|_| "cache lock poisoned".to_string())?
        .get(&p.id)
        .cloned();
    let now = Utc::now();
    if let Some(c) = &cached {
        let fresh = now - c.fetched_at < Duration::minutes(CACHE_TTL_MINUTES);
        // A key rotation: fetch the JWKS again, at most once a minute.
        let may_refresh = now - c.fetched_at > Duration::seconds(60);
        if fresh && !(refresh_keys && may_refresh) {
            return Ok(c.clone());
        }
    }
    let http = reg.http().map_err(|e| e.to_string())?;
    let discovery: oidc::Discovery =
        get_json(http, &format!("{issuer}/.well-known/openid-configuration")).await?;
    if discovery.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
        return Err("discovery document of another issuer".into());
    }
    let jwks: JwkSet = get_json(http, &discovery.jwks_uri).await?;
    let c = OidcCache {
        discovery,
        jwks,
        fetched_at: now,
    };
    reg.0
        .cache
        .lock()
        .map_err(|_| "cache lock poisoned".to_string())?
        .insert(p.id.clone(), c.clone());
    Ok(c)
}

/// The end of every successful sign-in: session, link row, second factor.
#[allow(clippy::too_many_arguments)]
async fn finish(
    db: &Db,
    p: &Provider,
    asserted: &link::Asserted,
    mfa: bool,
    old: Option<&LoadedSession>,
    client_addr: &str,
    ticket_hash: Option<String>,
    return_to: String,
) -> Result<Outcome> {
    let (acc, idn) = match link::resolve(db, p, asserted).await? {
        Ok(x) => x,
        Err(r) => return refuse(db, p, r, client_addr).await,
    };
    let method = p.method();
    let token = auth::start_session(db, &acc, old, &method, client_addr).await?;
    let session_hash = sha256_hex(&token);
    q::insert_session_link(
        &db.conn,
        &sso_session::Model {
            session_hash: session_hash.clone(),
            identity_id: idn.id,
            provider: p.id.clone(),
            ticket_hash,
            created_at: Utc::now(),
        },
    )
    .await?;
    if mfa {
        record_provider_mfa(db, &session_hash, &method).await?;
    }
    Ok(Ok(SignedIn {
        token,
        account: acc,
        return_to,
    }))
}

/// The provider asserted multi-factor authentication: the session's second
/// factor is satisfied (see `auth::mark_second_factor`).
async fn record_provider_mfa(db: &Db, session_hash: &str, method: &str) -> Result<()> {
    auth::mark_second_factor(db, session_hash, method).await
}

/// CAS: the browser came back with `ticket`; validate it at the CAS server.
pub async fn cas_callback(
    db: &Db,
    reg: &Registry,
    provider_id: &str,
    ticket: Option<&str>,
    service_url: &str,
    old: Option<&LoadedSession>,
    client_addr: &str,
) -> Result<Outcome> {
    let p = provider(reg, provider_id)?;
    let ProviderKind::Cas {
        base,
        version,
        mfa_attribute,
    } = &p.kind
    else {
        return Err(ServiceError::NotFound);
    };
    let Some(ticket) = ticket.filter(|t| cas::ticket_looks_valid(t)) else {
        return refuse(
            db,
            p,
            Refusal::TicketInvalid {
                code: "MALFORMED".into(),
            },
            client_addr,
        )
        .await;
    };
    // One use only, whatever the CAS server says: several app servers may
    // run, so the database decides.
    let now = Utc::now();
    let ticket_hash = sha256_hex(ticket);
    q::purge_used_tickets(&db.conn, now).await?;
    if let Err(e) = q::insert_used_ticket(
        &db.conn,
        &ticket_hash,
        &p.id,
        now + Duration::hours(USED_TICKET_TTL_HOURS),
    )
    .await
    {
        if is_unique_violation(&e) {
            return refuse(db, p, Refusal::Replayed, client_addr).await;
        }
        return Err(e.into());
    }
    let path = if *version == 3 {
        "p3/serviceValidate"
    } else {
        "serviceValidate"
    };
    let url = format!(
        "{base}/{path}?service={}&ticket={}",
        enc(service_url),
        enc(ticket)
    );
    let http = reg.http()?;
    let body = match http.get(&url).send().await {
        Ok(r) if r.status().is_success() => read_limited(r).await,
        Ok(r) => Err(format!("validation answered {}", r.status())),
        Err(e) => Err(format!("validation failed: {}", e.without_url())),
    };
    let parsed = body.and_then(|b| {
        let text = String::from_utf8(b).map_err(|_| "response is not UTF-8".to_string())?;
        cas::parse_service_response(&text)
    });
    let (user, attributes) = match parsed {
        Ok(cas::CasResponse::Success { user, attributes }) => (user, attributes),
        Ok(cas::CasResponse::Failure { code }) => {
            let code: String = code
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect();
            return refuse(db, p, Refusal::TicketInvalid { code }, client_addr).await;
        }
        Err(e) => {
            tracing::warn!(provider = %p.id, error = %e, "CAS validation failed");
            return refuse(db, p, Refusal::Unavailable, client_addr).await;
        }
    };
    let attr = |name: &str| {
        attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mfa = !p.mfa_values.is_empty()
        && attributes
            .iter()
            .any(|(k, v)| k == mfa_attribute && p.mfa_values.contains(v));
    let asserted = link::Asserted {
        subject: user.chars().take(255).collect(),
        link_value: attr(&p.link_attribute),
        email: attr("mail").or_else(|| attr("email")),
        email_verified: None,
    };
    finish(
        db,
        p,
        &asserted,
        mfa,
        old,
        client_addr,
        Some(ticket_hash),
        "/".into(),
    )
    .await
}

/// CAS single logout: the CAS server posts a `LogoutRequest` whose
/// `SessionIndex` is the service ticket; the sessions opened with it end.
pub async fn cas_single_logout(
    db: &Db,
    reg: &Registry,
    provider_id: &str,
    logout_request: &str,
) -> Result<u64> {
    let p = provider(reg, provider_id)?;
    if !matches!(p.kind, ProviderKind::Cas { .. }) {
        return Err(ServiceError::NotFound);
    }
    let ticket = match cas::parse_logout_request(logout_request) {
        Ok(t) => t,
        Err(e) => {
            tracing::info!(provider = %p.id, error = %e, "CAS logout request ignored");
            return Ok(0);
        }
    };
    let links = q::sessions_by_ticket(&db.conn, &p.id, &sha256_hex(&ticket)).await?;
    let mut closed = 0;
    for l in links {
        let account_id = refnum_db::sessions::get(&db.conn, &l.session_hash)
            .await?
            .and_then(|s| s.account_id);
        refnum_db::sessions::delete(&db.conn, &l.session_hash).await?;
        closed += 1;
        let who = Who {
            account_id,
            label: format!("sso:{}", p.id),
        };
        audit::record_alone(
            db,
            Event {
                who: &who,
                action: "auth.sso_single_logout",
                target: account_id
                    .map(|a| format!("account:{a}"))
                    .unwrap_or_else(|| "account".into()),
                etablissement_id: None,
                outcome: "ok",
                details: serde_json::json!({ "provider": p.id }),
            },
        )
        .await?;
    }
    Ok(closed)
}

/// What the provider sent back to our OIDC callback.
#[derive(Debug, Clone, Default)]
pub struct OidcReturn {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// OIDC: checks the state (single use, this browser's), exchanges the code
/// with the PKCE verifier, verifies the ID token, then signs in.
pub async fn oidc_callback(
    db: &Db,
    reg: &Registry,
    provider_id: &str,
    ret: &OidcReturn,
    session: Option<&LoadedSession>,
    callback_url: &str,
    client_addr: &str,
) -> Result<Outcome> {
    let p = provider(reg, provider_id)?;
    let ProviderKind::Oidc {
        issuer,
        client_id,
        client_secret,
        ..
    } = &p.kind
    else {
        return Err(ServiceError::NotFound);
    };
    let Some(state) = ret.state.as_deref().filter(|s| s.len() <= 256) else {
        return refuse(db, p, Refusal::BadState, client_addr).await;
    };
    let Some(req) = q::take_auth_request(&db.conn, &sha256_hex(state)).await? else {
        return refuse(db, p, Refusal::BadState, client_addr).await;
    };
    let now = Utc::now();
    if req.provider != p.id
        || req.expires_at < now
        || session.is_none_or(|s| s.token_hash != req.session_hash)
    {
        return refuse(db, p, Refusal::BadState, client_addr).await;
    }
    if ret.error.is_some() {
        return refuse(db, p, Refusal::ProviderError, client_addr).await;
    }
    let Some(code) = ret
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2048)
    else {
        return refuse(db, p, Refusal::ProviderError, client_addr).await;
    };
    let cache = match oidc_cache(reg, p, false).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(provider = %p.id, error = %e, "OIDC discovery failed");
            return refuse(db, p, Refusal::Unavailable, client_addr).await;
        }
    };
    let http = reg.http()?;
    let mut form = vec![
        ("grant_type", "authorization_code".to_string()),
        ("code", code.to_string()),
        ("redirect_uri", callback_url.to_string()),
        ("code_verifier", req.pkce_verifier.clone()),
    ];
    let mut token_req = http
        .post(&cache.discovery.token_endpoint)
        .header("accept", "application/json");
    match client_secret {
        Some(secret) => {
            token_req = token_req.basic_auth(enc(client_id), Some(enc(&secret.0)));
        }
        None => form.push(("client_id", client_id.clone())),
    }
    let token_resp = match token_req.form(&form).send().await {
        Ok(r) if r.status().is_success() => read_limited(r).await.and_then(|b| {
            serde_json::from_slice::<oidc::TokenResponse>(&b).map_err(|e| e.to_string())
        }),
        Ok(r) => {
            tracing::info!(provider = %p.id, status = %r.status(), "OIDC code exchange refused");
            return refuse(db, p, Refusal::TokenInvalid { reason: "code" }, client_addr).await;
        }
        Err(e) => Err(format!("token request failed: {}", e.without_url())),
    };
    let tokens = match token_resp {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(provider = %p.id, error = %e, "OIDC token endpoint failed");
            return refuse(db, p, Refusal::Unavailable, client_addr).await;
        }
    };
    let Some(id_token) = tokens.id_token else {
        return refuse(
            db,
            p,
            Refusal::TokenInvalid {
                reason: "no-id-token",
            },
            client_addr,
        )
        .await;
    };
    let ts = now.timestamp();
    let mut verified = oidc::verify_id_token(
        &id_token,
        &cache.jwks,
        issuer,
        client_id,
        &req.nonce_hash,
        ts,
    );
    if verified == Err(oidc::TokenError::UnknownKey)
        && let Ok(fresh) = oidc_cache(reg, p, true).await
    {
        verified = oidc::verify_id_token(
            &id_token,
            &fresh.jwks,
            issuer,
            client_id,
            &req.nonce_hash,
            ts,
        );
    }
    let mut claims = match verified {
        Ok(c) => c,
        Err(e) => {
            return refuse(
                db,
                p,
                Refusal::TokenInvalid { reason: e.as_str() },
                client_addr,
            )
            .await;
        }
    };
    let subject = claims
        .get("sub")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string();
    // Claims not in the ID token come from the userinfo endpoint (same `sub`).
    if !claims.contains_key(&p.link_attribute)
        && let (Some(ep), Some(at)) = (&cache.discovery.userinfo_endpoint, &tokens.access_token)
    {
        let info: std::result::Result<serde_json::Map<String, serde_json::Value>, String> =
            match http
                .get(ep)
                .bearer_auth(at)
                .header("accept", "application/json")
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => read_limited(r)
                    .await
                    .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string())),
                Ok(r) => Err(format!("userinfo answered {}", r.status())),
                Err(e) => Err(format!("userinfo failed: {}", e.without_url())),
            };
        match info {
            Ok(info) if info.get("sub").and_then(serde_json::Value::as_str) == Some(&subject) => {
                for (k, v) in info {
                    claims.entry(k).or_insert(v);
                }
            }
            Ok(_) => {
                return refuse(
                    db,
                    p,
                    Refusal::TokenInvalid {
                        reason: "userinfo-sub",
                    },
                    client_addr,
                )
                .await;
            }
            Err(e) => tracing::warn!(provider = %p.id, error = %e, "OIDC userinfo failed"),
        }
    }
    let claim = |name: &str| {
        claims
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    let asserted = link::Asserted {
        subject,
        link_value: claim(&p.link_attribute),
        email: claim("email"),
        email_verified: oidc::email_verified(&claims),
    };
    let mfa = oidc::asserts_mfa(&claims, &p.mfa_values);
    finish(
        db,
        p,
        &asserted,
        mfa,
        session,
        client_addr,
        None,
        req.return_to,
    )
    .await
}

/// One's own linked identity, for the account page.
pub struct IdentityView {
    pub id: Uuid,
    pub provider_id: String,
    pub provider_label: String,
    pub created_at: chrono::DateTime<Utc>,
    pub last_login_at: chrono::DateTime<Utc>,
}

pub async fn my_identities(
    db: &Db,
    reg: &Registry,
    account: &account::Model,
) -> Result<Vec<IdentityView>> {
    Ok(q::identities_of_account(&db.conn, account.id)
        .await?
        .into_iter()
        .map(|i| IdentityView {
            provider_label: reg
                .get(&i.provider)
                .map(|p| p.label.clone())
                .unwrap_or_else(|| i.provider.clone()),
            id: i.id,
            provider_id: i.provider,
            created_at: i.created_at,
            last_login_at: i.last_login_at,
        })
        .collect())
}

/// Unlinks one of one's own identities (404 for anyone else's).
pub async fn unlink(db: &Db, account: &account::Model, identity_id: Uuid) -> Result<()> {
    let txn = db.write().await?;
    let mine = q::identities_of_account(&*txn, account.id)
        .await?
        .into_iter()
        .find(|i| i.id == identity_id);
    let Some(idn) = mine else {
        return Err(ServiceError::NotFound);
    };
    if !q::delete_identity_of_account(&*txn, identity_id, account.id).await? {
        return Err(ServiceError::NotFound);
    }
    let who = Who {
        account_id: Some(account.id),
        label: account.email.clone(),
    };
    audit::record(
        &*txn,
        Event {
            who: &who,
            action: "sso.identity_unlinked",
            target: format!("account:{}", account.id),
            etablissement_id: None,
            outcome: "ok",
            details: serde_json::json!({ "provider": idn.provider }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A configured provider, for the administration page.
pub struct ProviderView {
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    pub endpoint: String,
    pub link_by: &'static str,
    pub link_attribute: String,
    pub mfa_values: Vec<String>,
    pub identities: u64,
}

/// The providers and how many identities each has (instance admin only).
pub async fn overview(db: &Db, ctx: &Ctx, reg: &Registry) -> Result<Vec<ProviderView>> {
    crate::orgs::require_admin(db, ctx, "sso.view").await?;
    let mut out = vec![];
    for p in reg.providers() {
        out.push(ProviderView {
            id: p.id.clone(),
            label: p.label.clone(),
            kind: p.kind_str(),
            endpoint: match &p.kind {
                ProviderKind::Cas { base, version, .. } => format!("{base} (CAS {version})"),
                ProviderKind::Oidc { issuer, .. } => issuer.clone(),
            },
            link_by: p.link_by.as_str(),
            link_attribute: p.link_attribute.clone(),
            mfa_values: p.mfa_values.clone(),
            identities: q::count_identities(&db.conn, &p.id).await?,
        });
    }
    Ok(out)
}
