//! Single sign-on against an in-process OpenID Connect provider and an
//! in-process CAS validation endpoint (axum on loopback ports, keys
//! generated here): ID token checks, state and code single use, the linking
//! rules, CAS ticket replay, foreign service and single logout.

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use refnum_db::entities::{session, sso_identity};
use refnum_testkit::demo_accounts::*;
use refnum_testkit::{TestApp, test_config};
use refnum_web::WebConfig;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

const CLIENT_ID: &str = "refnum-test";
const CLIENT_SECRET: &str = "secret-de-test";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

// ---------------------------------------------------------------- keys

struct RsaKey {
    der: Vec<u8>,
    n: String,
    e: String,
}

/// One RSA key for the whole binary (generation is slow in debug builds).
fn rsa_key() -> &'static RsaKey {
    static K: OnceLock<RsaKey> = OnceLock::new();
    K.get_or_init(|| {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::traits::PublicKeyParts;
        let mut rng = rand_core_compat::Rng;
        let key = rsa::RsaPrivateKey::new(&mut rng, 2048).expect("rsa key");
        RsaKey {
            der: key.to_pkcs1_der().expect("der").as_bytes().to_vec(),
            n: b64(&key.n().to_bytes_be()),
            e: b64(&key.e().to_bytes_be()),
        }
    })
}

/// rsa 0.9 wants a rand_core 0.6 RNG: ring's system RNG behind it.
mod rand_core_compat {
    pub struct Rng;
    impl rsa::rand_core::RngCore for Rng {
        fn next_u32(&mut self) -> u32 {
            let mut b = [0u8; 4];
            self.fill_bytes(&mut b);
            u32::from_le_bytes(b)
        }
        fn next_u64(&mut self) -> u64 {
            let mut b = [0u8; 8];
            self.fill_bytes(&mut b);
            u64::from_le_bytes(b)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            use ring::rand::SecureRandom;
            ring::rand::SystemRandom::new()
                .fill(dest)
                .expect("system random");
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl rsa::rand_core::CryptoRng for Rng {}
}

struct EcKey {
    pkcs8: Vec<u8>,
    x: String,
    y: String,
}

fn ec_key() -> EcKey {
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .expect("ec key")
        .as_ref()
        .to_vec();
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng).expect("ec pair");
    let public = pair.public_key().as_ref(); // 0x04 || x || y
    EcKey {
        x: b64(&public[1..33]),
        y: b64(&public[33..65]),
        pkcs8,
    }
}

// ---------------------------------------------------------------- fake OIDC provider

/// How the next ID token is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mint {
    Rs256,
    Es256,
    WrongIssuer,
    WrongAudience,
    Expired,
    BadSignature,
    AlgNone,
    WrongNonce,
    Hs256WithPublicKey,
}

struct Pending {
    nonce: String,
    challenge: String,
    user: Value,
}

struct IdpState {
    issuer: String,
    ec: EcKey,
    other_ec: EcKey,
    mint: Mint,
    /// Claims of the person who "signs in" at the next /authorize.
    user: Value,
    codes: HashMap<String, Pending>,
    used_codes: Vec<String>,
}

#[derive(Clone)]
struct Idp(Arc<Mutex<IdpState>>);

impl Idp {
    async fn start() -> Idp {
        // The RSA key is made before serving (slow in debug builds, and
        // RefNum's HTTP client would time out waiting for the JWKS).
        tokio::task::spawn_blocking(|| {
            rsa_key();
        })
        .await
        .expect("rsa key");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind idp");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let idp = Idp(Arc::new(Mutex::new(IdpState {
            issuer: base,
            ec: ec_key(),
            other_ec: ec_key(),
            mint: Mint::Rs256,
            user: json!({}),
            codes: HashMap::new(),
            used_codes: vec![],
        })));
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(idp.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        idp
    }

    fn issuer(&self) -> String {
        self.0.lock().expect("idp").issuer.clone()
    }

    fn set(&self, mint: Mint, user: Value) {
        let mut s = self.0.lock().expect("idp");
        s.mint = mint;
        s.user = user;
    }
}

async fn discovery(State(idp): State<Idp>) -> Response {
    let iss = idp.issuer();
    axum::Json(json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "jwks_uri": format!("{iss}/jwks"),
        "userinfo_endpoint": format!("{iss}/userinfo"),
    }))
    .into_response()
}

async fn jwks(State(idp): State<Idp>) -> Response {
    let s = idp.0.lock().expect("idp");
    let rsa = rsa_key();
    axum::Json(json!({ "keys": [
        { "kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256", "n": rsa.n, "e": rsa.e },
        { "kty": "EC", "kid": "ec-1", "use": "sig", "alg": "ES256", "crv": "P-256", "x": s.ec.x, "y": s.ec.y },
    ]}))
    .into_response()
}

async fn authorize(State(idp): State<Idp>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut s = idp.0.lock().expect("idp");
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert_eq!(
        q.get("code_challenge_method").map(String::as_str),
        Some("S256"),
        "PKCE S256"
    );
    assert!(
        q.get("scope")
            .is_some_and(|s| s.split(' ').any(|x| x == "openid"))
    );
    let code = format!("code-{}", uuid::Uuid::now_v7().simple());
    let user = s.user.clone();
    s.codes.insert(
        code.clone(),
        Pending {
            nonce: q.get("nonce").cloned().expect("nonce sent"),
            challenge: q.get("code_challenge").cloned().expect("challenge sent"),
            user,
        },
    );
    let redirect = q.get("redirect_uri").cloned().expect("redirect_uri");
    let state = q.get("state").cloned().expect("state sent");
    Redirect::to(&format!("{redirect}?code={code}&state={state}")).into_response()
}

fn token_error() -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({ "error": "invalid_grant" })),
    )
        .into_response()
}

async fn token(
    State(idp): State<Idp>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return (StatusCode::UNAUTHORIZED, "client authentication").into_response();
    }
    let mut s = idp.0.lock().expect("idp");
    let code = f.get("code").cloned().unwrap_or_default();
    if s.used_codes.contains(&code) {
        return token_error();
    }
    let Some(p) = s.codes.remove(&code) else {
        return token_error();
    };
    s.used_codes.push(code);
    use sha2::Digest;
    let verifier = f.get("code_verifier").cloned().unwrap_or_default();
    if b64(&sha2::Sha256::digest(verifier.as_bytes())) != p.challenge {
        return token_error();
    }
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": s.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": p.nonce,
    });
    if let (Some(c), Some(u)) = (claims.as_object_mut(), p.user.as_object()) {
        for (k, v) in u {
            c.insert(k.clone(), v.clone());
        }
    }
    let mint = s.mint;
    match mint {
        Mint::WrongIssuer => claims["iss"] = json!("http://127.0.0.1:1/autre"),
        Mint::WrongAudience => claims["aud"] = json!("another-client"),
        Mint::Expired => {
            claims["iat"] = json!(now - 3600);
            claims["exp"] = json!(now - 1800);
        }
        Mint::WrongNonce => claims["nonce"] = json!("not-the-nonce"),
        _ => {}
    }
    let id_token = match mint {
        Mint::AlgNone => format!(
            "{}.{}.",
            b64(br#"{"alg":"none","typ":"JWT"}"#),
            b64(claims.to_string().as_bytes())
        ),
        Mint::Hs256WithPublicKey => {
            let mut h = Header::new(Algorithm::HS256);
            h.kid = Some("rsa-1".into());
            jsonwebtoken::encode(
                &h,
                &claims,
                &EncodingKey::from_secret(rsa_key().n.as_bytes()),
            )
            .expect("hs256")
        }
        Mint::Es256 | Mint::BadSignature => {
            let mut h = Header::new(Algorithm::ES256);
            h.kid = Some("ec-1".into());
            let key = if mint == Mint::BadSignature {
                &s.other_ec.pkcs8
            } else {
                &s.ec.pkcs8
            };
            jsonwebtoken::encode(&h, &claims, &EncodingKey::from_ec_der(key)).expect("es256")
        }
        _ => {
            let mut h = Header::new(Algorithm::RS256);
            h.kid = Some("rsa-1".into());
            jsonwebtoken::encode(&h, &claims, &EncodingKey::from_rsa_der(&rsa_key().der))
                .expect("rs256")
        }
    };
    axum::Json(json!({
        "access_token": format!("at-{}", p.user["sub"].as_str().unwrap_or("")),
        "token_type": "Bearer",
        "id_token": id_token,
    }))
    .into_response()
}

async fn userinfo(State(idp): State<Idp>, headers: HeaderMap) -> Response {
    let s = idp.0.lock().expect("idp");
    let _ = headers;
    axum::Json(s.user.clone()).into_response()
}

// ---------------------------------------------------------------- fake CAS

/// An issued ticket: the service it is for, the user, the attributes.
type Issued = (String, String, Vec<(String, String)>);

#[derive(Clone, Default)]
struct Cas(Arc<Mutex<HashMap<String, Issued>>>);

impl Cas {
    async fn start() -> (Cas, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind cas");
        let base = format!("http://{}/cas", listener.local_addr().expect("addr"));
        let cas = Cas::default();
        let app = axum::Router::new()
            .route("/cas/p3/serviceValidate", get(cas_validate))
            .with_state(cas.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (cas, base)
    }

    /// A ticket the fake server will validate for `service` (and keeps
    /// validating: the replay refusal must be RefNum's own).
    fn issue(&self, ticket: &str, service: &str, user: &str, attrs: &[(&str, &str)]) {
        self.0.lock().expect("cas").insert(
            ticket.to_string(),
            (
                service.to_string(),
                user.to_string(),
                attrs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        );
    }
}

async fn cas_validate(
    State(cas): State<Cas>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let tickets = cas.0.lock().expect("cas");
    let ticket = q.get("ticket").cloned().unwrap_or_default();
    let service = q.get("service").cloned().unwrap_or_default();
    let body = match tickets.get(&ticket) {
        None => failure("INVALID_TICKET"),
        Some((s, _, _)) if *s != service => failure("INVALID_SERVICE"),
        Some((_, user, attrs)) => {
            let attrs: String = attrs
                .iter()
                .map(|(k, v)| format!("<cas:{k}>{v}</cas:{k}>"))
                .collect();
            format!(
                r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>{user}</cas:user><cas:attributes>{attrs}</cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"#
            )
        }
    };
    ([("content-type", "application/xml")], body).into_response()
}

fn failure(code: &str) -> String {
    format!(
        r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="{code}">refused</cas:authenticationFailure></cas:serviceResponse>"#
    )
}

// ---------------------------------------------------------------- harness

struct Env {
    idp: Idp,
    cas: Cas,
}

fn config(idp: &Idp, cas_base: &str) -> WebConfig {
    let toml_like = vec![
        refnum_services::sso::ProviderConfig {
            id: "aca".into(),
            kind: "oidc".into(),
            label: "Académie (test)".into(),
            issuer: Some(idp.issuer()),
            client_id: Some(CLIENT_ID.into()),
            client_secret: Some(refnum_services::sso::config::Secret(CLIENT_SECRET.into())),
            mfa_values: vec!["mfa".into()],
            ..Default::default()
        },
        refnum_services::sso::ProviderConfig {
            id: "ent".into(),
            kind: "cas".into(),
            label: "ENT (test)".into(),
            cas_url: Some(cas_base.into()),
            cas_version: Some(3),
            mfa_values: vec!["mfa".into()],
            ..Default::default()
        },
        refnum_services::sso::ProviderConfig {
            id: "ent-aaf".into(),
            kind: "cas".into(),
            label: "ENT annuaire (test)".into(),
            cas_url: Some(cas_base.into()),
            link_by: Some("annuaire".into()),
            link_attribute: Some("ENTPersonJointure".into()),
            ..Default::default()
        },
    ];
    WebConfig {
        sso: refnum_services::sso::Registry::new(&toml_like).expect("valid sso config"),
        ..test_config()
    }
}

macro_rules! sso_tests {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let idp = super::Idp::start().await;
                    let (cas, base) = super::Cas::start().await;
                    let app = refnum_testkit::TestApp::spawn_with(
                        refnum_testkit::Backend::Sqlite,
                        super::config(&idp, &base),
                    )
                    .await
                    .expect("sqlite app");
                    super::$name(&app, &super::Env { idp, cas }).await;
                    app.finish().await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let idp = super::Idp::start().await;
                    let (cas, base) = super::Cas::start().await;
                    if let Some(app) = refnum_testkit::TestApp::spawn_with(
                        refnum_testkit::Backend::Postgres,
                        super::config(&idp, &base),
                    )
                    .await
                    {
                        super::$name(&app, &super::Env { idp, cas }).await;
                        app.finish().await;
                    }
                }
            }
        )*
    };
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location on a {} answer", r.status()))
        .to_string()
}

/// Runs an OIDC sign-in to the end; returns our callback's answer and the
/// callback URL the provider sent the browser to.
async fn oidc_round(app: &TestApp, c: &reqwest::Client) -> (reqwest::Response, String) {
    let r = c
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("login page");
    assert!(r.status() == 200 || r.status() == 303, "{}", r.status());
    let r = c
        .get(app.url("/connexion/sso/aca"))
        .send()
        .await
        .expect("start");
    assert_eq!(r.status(), 303, "start redirects to the provider");
    let to_idp = location(&r);
    assert!(to_idp.contains("code_challenge="), "{to_idp}");
    let r = c.get(&to_idp).send().await.expect("authorize");
    assert_eq!(r.status(), 303);
    let back = location(&r);
    assert!(
        back.starts_with(&app.url("/connexion/sso/aca/retour?")),
        "{back}"
    );
    (c.get(&back).send().await.expect("callback"), back)
}

async fn identities(app: &TestApp) -> u64 {
    sso_identity::Entity::find()
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn signed_in_sessions(app: &TestApp) -> u64 {
    session::Entity::find()
        .filter(session::Column::AccountId.is_not_null())
        .count(&app.db.conn)
        .await
        .expect("count")
}

async fn is_signed_in(app: &TestApp, c: &reqwest::Client) -> bool {
    c.get(app.url("/")).send().await.expect("home").status() == 200
}

fn teacher(sub: &str) -> Value {
    json!({ "sub": sub, "email": TEACHER_A, "email_verified": true, "name": "Élodie Caron" })
}

// ---------------------------------------------------------------- tests

async fn oidc_good_tokens_sign_in(app: &TestApp, env: &Env) {
    app.demo().await;
    // The sign-in page offers the providers.
    let html = app
        .client()
        .get(app.url("/connexion"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains("Se connecter avec Académie (test)"), "{html}");
    assert!(html.contains("href=\"/connexion/sso/ent\""));

    for (i, mint) in [Mint::Rs256, Mint::Es256].into_iter().enumerate() {
        let mut user = teacher("sub-eloise");
        if i == 1 {
            user["amr"] = json!(["pwd", "mfa"]);
        }
        env.idp.set(mint, user);
        let c = app.client();
        let (r, _) = oidc_round(app, &c).await;
        assert_eq!(
            r.status(),
            303,
            "{mint:?}: {}",
            r.text().await.unwrap_or_default()
        );
        assert_eq!(location(&r), "/");
        let home = c.get(app.url("/")).send().await.expect("home");
        assert_eq!(home.status(), 200, "{mint:?}: signed in");
        assert!(home.text().await.expect("body").contains("Élodie Caron"));
    }
    assert_eq!(identities(app).await, 1, "one identity, found again");
    // The second sign-in asserted MFA: its session passed the second factor.
    let with_mfa = session::Entity::find()
        .filter(session::Column::SecondFactorAt.is_not_null())
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(with_mfa, 1);
    let logins = refnum_db::entities::audit_event::Entity::find()
        .filter(refnum_db::entities::audit_event::Column::Action.eq("auth.login"))
        .all(&app.db.conn)
        .await
        .expect("audit");
    assert!(logins.iter().any(|e| e.details.contains("\"oidc:aca\"")));

    // The account page lists the identity and unlinks it (CSRF-protected POST).
    let c = app.client();
    env.idp.set(Mint::Rs256, teacher("sub-eloise"));
    let (r, _) = oidc_round(app, &c).await;
    assert_eq!(r.status(), 303);
    let page = c
        .get(app.url("/compte/identites"))
        .send()
        .await
        .expect("identities")
        .text()
        .await
        .expect("body");
    assert!(page.contains("Académie (test)"), "{page}");
    let id = sso_identity::Entity::find()
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("identity")
        .id;
    let action = format!("/compte/identites/{id}/delier");
    let r = c
        .post(app.url(&action))
        .form(&[("csrf_token", "wrong")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403, "CSRF token required");
    let r = app.post_form(&c, "/compte/identites", &action, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(identities(app).await, 0);
    // Someone else cannot unlink it: 404.
    env.idp.set(Mint::Rs256, teacher("sub-eloise"));
    let (r, _) = oidc_round(app, &c).await;
    assert_eq!(r.status(), 303);
    let id = sso_identity::Entity::find()
        .one(&app.db.conn)
        .await
        .expect("q")
        .expect("identity")
        .id;
    let other = app.signed_in(TEACHER_B).await;
    let r = app
        .post_form(
            &other,
            "/compte/identites",
            &format!("/compte/identites/{id}/delier"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(identities(app).await, 1);
}

async fn oidc_bad_tokens_are_refused(app: &TestApp, env: &Env) {
    app.demo().await;
    for mint in [
        Mint::WrongIssuer,
        Mint::WrongAudience,
        Mint::Expired,
        Mint::BadSignature,
        Mint::AlgNone,
        Mint::WrongNonce,
        Mint::Hs256WithPublicKey,
    ] {
        env.idp.set(mint, teacher("sub-bad"));
        let c = app.client();
        let (r, _) = oidc_round(app, &c).await;
        assert_eq!(r.status(), 400, "{mint:?} must be refused");
        let body = r.text().await.expect("body");
        assert!(
            body.contains("réponse du fournisseur non valide"),
            "{mint:?}: {body}"
        );
        assert!(!is_signed_in(app, &c).await, "{mint:?}: not signed in");
    }
    assert_eq!(identities(app).await, 0, "nothing created");
    assert_eq!(signed_in_sessions(app).await, 0);
    let refusals = refnum_db::entities::audit_event::Entity::find()
        .filter(refnum_db::entities::audit_event::Column::Action.eq("auth.sso_refused"))
        .count(&app.db.conn)
        .await
        .expect("audit");
    assert_eq!(refusals, 7);
}

async fn oidc_state_and_code_are_single_use(app: &TestApp, env: &Env) {
    app.demo().await;
    env.idp.set(Mint::Rs256, teacher("sub-state"));
    // Missing and wrong state: refused with a clear page, nothing created.
    let c = app.client();
    c.get(app.url("/connexion")).send().await.expect("page");
    for q in ["code=abc", "code=abc&state=not-a-state-we-sent"] {
        let r = c
            .get(app.url(&format!("/connexion/sso/aca/retour?{q}")))
            .send()
            .await
            .expect("callback");
        assert_eq!(r.status(), 400, "{q}");
        assert!(
            r.text()
                .await
                .expect("body")
                .contains("demande inconnue ou expirée")
        );
    }
    // A state of another browser is refused.
    let c1 = app.client();
    c1.get(app.url("/connexion")).send().await.expect("page");
    let r = c1
        .get(app.url("/connexion/sso/aca"))
        .send()
        .await
        .expect("start");
    let r = c1.get(location(&r)).send().await.expect("authorize");
    let back = location(&r);
    let c2 = app.client();
    c2.get(app.url("/connexion")).send().await.expect("page");
    let r = c2.get(&back).send().await.expect("callback");
    assert_eq!(r.status(), 400, "state bound to the first browser");
    assert_eq!(identities(app).await, 0);
    assert_eq!(signed_in_sessions(app).await, 0);

    // A good round, then the same callback again: the state was used.
    let c = app.client();
    let (r, back) = oidc_round(app, &c).await;
    assert_eq!(r.status(), 303);
    let again = app.client();
    again.get(app.url("/connexion")).send().await.expect("page");
    let r = c.get(&back).send().await.expect("replay");
    assert_eq!(r.status(), 400, "a used state is refused");

    // A fresh state with the old (used) code: the provider refuses the code.
    let old_code = back
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("code="))
        .expect("code")
        .to_string();
    let r = c
        .get(app.url("/connexion/sso/aca"))
        .send()
        .await
        .expect("start");
    let r = c.get(location(&r)).send().await.expect("authorize");
    let fresh = location(&r);
    let fresh_state = fresh
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("state="))
        .expect("state")
        .to_string();
    let r = c
        .get(app.url(&format!(
            "/connexion/sso/aca/retour?code={old_code}&state={fresh_state}"
        )))
        .send()
        .await
        .expect("replayed code");
    assert_eq!(r.status(), 400, "a replayed code is refused");
    assert!(r.text().await.expect("body").contains("non valide"));
}

async fn linking_rules(app: &TestApp, env: &Env) {
    app.demo().await;
    // Unknown e-mail: no account, nothing created.
    env.idp.set(
        Mint::Rs256,
        json!({ "sub": "sub-x", "email": "inconnu@ac-normandie.test", "email_verified": true }),
    );
    let accounts_before = refnum_db::accounts::count_all(&app.db.conn)
        .await
        .expect("count");
    let c = app.client();
    let (r, _) = oidc_round(app, &c).await;
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Aucun compte RefNum pour cette identité")
    );
    // An e-mail the provider says is not verified.
    env.idp.set(
        Mint::Rs256,
        json!({ "sub": "sub-y", "email": TEACHER_A, "email_verified": false }),
    );
    let (r, _) = oidc_round(app, &app.client()).await;
    assert_eq!(r.status(), 403);
    assert_eq!(identities(app).await, 0);

    // The teacher signs in through the ENT's CAS first: linked to the ENT.
    let c = app.client();
    let service = app.url("/connexion/sso/ent/retour");
    env.cas
        .issue("ST-1-link", &service, "ecaron", &[("mail", TEACHER_A)]);
    let r = c
        .get(format!("{service}?ticket=ST-1-link"))
        .send()
        .await
        .expect("cas");
    assert_eq!(r.status(), 303);
    assert!(is_signed_in(app, &c).await);

    // A second provider sending the same e-mail cannot take the account over.
    env.idp.set(Mint::Rs256, teacher("sub-intruder"));
    let c = app.client();
    let (r, _) = oidc_round(app, &c).await;
    assert_eq!(r.status(), 403);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("compte déjà lié à un autre fournisseur")
    );
    assert!(!is_signed_in(app, &c).await);
    let takeover = refnum_db::entities::audit_event::Entity::find()
        .filter(refnum_db::entities::audit_event::Column::Action.eq("auth.sso_refused"))
        .all(&app.db.conn)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.details.contains("\"takeover\""))
        .count();
    assert_eq!(takeover, 1, "the takeover attempt is in the audit log");
    assert_eq!(identities(app).await, 1, "only the ENT identity");

    // A disabled account cannot sign in by SSO either.
    let id = app.account_id(TEACHER_A).await;
    let admin = app.signed_in(ADMIN).await;
    let r = app
        .post_form(
            &admin,
            &format!("/admin/comptes/{id}"),
            &format!("/admin/comptes/{id}/desactiver"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    env.cas
        .issue("ST-2-disabled", &service, "ecaron", &[("mail", TEACHER_A)]);
    let c = app.client();
    let r = c
        .get(format!("{service}?ticket=ST-2-disabled"))
        .send()
        .await
        .expect("cas");
    assert_eq!(r.status(), 403);
    assert!(r.text().await.expect("body").contains("Compte désactivé"));
    assert!(!is_signed_in(app, &c).await);
    assert_eq!(
        refnum_db::accounts::count_all(&app.db.conn)
            .await
            .expect("count"),
        accounts_before,
        "no account was created"
    );

    // The administrator sees the providers and their identities.
    let page = admin
        .get(app.url("/admin/sso"))
        .send()
        .await
        .expect("admin sso");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("ENT (test)") && html.contains("Académie (test)"));
    let teacher = app.signed_in(TEACHER_B).await;
    let r = teacher
        .get(app.url("/admin/sso"))
        .send()
        .await
        .expect("admin sso");
    assert_eq!(r.status(), 403);
}

async fn cas_replay_foreign_service_and_single_logout(app: &TestApp, env: &Env) {
    app.demo().await;
    let c = app.client();
    c.get(app.url("/connexion")).send().await.expect("page");
    let r = c
        .get(app.url("/connexion/sso/ent"))
        .send()
        .await
        .expect("start");
    assert_eq!(r.status(), 303);
    let to_cas = location(&r);
    let service = app.url("/connexion/sso/ent/retour");
    let expected = format!(
        "/cas/login?service={}",
        service.replace(':', "%3A").replace('/', "%2F")
    );
    assert!(to_cas.ends_with(&expected), "{to_cas}");

    env.cas.issue(
        "ST-10-good",
        &service,
        "ecaron",
        &[("mail", TEACHER_A), ("authnContextClass", "mfa")],
    );
    let r = c
        .get(format!("{service}?ticket=ST-10-good"))
        .send()
        .await
        .expect("callback");
    assert_eq!(r.status(), 303);
    assert!(is_signed_in(app, &c).await);
    let mfa = session::Entity::find()
        .filter(session::Column::SecondFactorAt.is_not_null())
        .count(&app.db.conn)
        .await
        .expect("count");
    assert_eq!(mfa, 1, "the CAS attribute asserted multi-factor");

    // The same ticket again, from another browser: refused, nothing opened.
    let sessions_before = signed_in_sessions(app).await;
    let other = app.client();
    let r = other
        .get(format!("{service}?ticket=ST-10-good"))
        .send()
        .await
        .expect("replay");
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("ticket déjà utilisé")
    );
    assert!(!is_signed_in(app, &other).await);
    assert_eq!(signed_in_sessions(app).await, sessions_before);

    // A ticket issued for another service, and an unknown ticket.
    env.cas.issue(
        "ST-11-foreign",
        "https://autre-service.example/retour",
        "ecaron",
        &[("mail", TEACHER_A)],
    );
    for t in ["ST-11-foreign", "ST-12-unknown"] {
        let r = other
            .get(format!("{service}?ticket={t}"))
            .send()
            .await
            .expect("foreign");
        assert_eq!(r.status(), 400, "{t}");
        assert!(r.text().await.expect("body").contains("ticket non valide"));
    }
    assert_eq!(signed_in_sessions(app).await, sessions_before);

    // Single logout: the CAS server posts the ticket, no session, no token.
    let slo = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" IssueInstant="2026-11-28T10:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-10-good</samlp:SessionIndex></samlp:LogoutRequest>"#;
    let r = reqwest::Client::new()
        .post(&service)
        .form(&[("logoutRequest", slo)])
        .send()
        .await
        .expect("slo");
    assert_eq!(r.status(), 200);
    assert!(!is_signed_in(app, &c).await, "the session is closed");
    assert_eq!(signed_in_sessions(app).await, sessions_before - 1);
    // Any other POST still needs its CSRF token.
    let r = reqwest::Client::new()
        .post(app.url("/compte/identites/00000000-0000-0000-0000-000000000000/delier"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
}

async fn cas_links_through_the_directory(app: &TestApp, env: &Env) {
    app.demo().await;
    let etab = app.etab_id(UAI_A).await;
    let etab_b = app.etab_id(UAI_B).await;
    // Two directory records of one teacher (two schools), one of a pupil.
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Query};
    let now = chrono::Utc::now();
    for (kind, key, etab, functions, email) in [
        (
            "staff",
            "J-4242",
            etab,
            r#"["ENS"]"#,
            Some("paul.martin@ac-normandie.test"),
        ),
        ("staff", "J-4242", etab_b, r#"["DOC"]"#, None),
        (
            "pupil",
            "J-9999",
            etab,
            "[]",
            Some("eleve@ac-normandie.test"),
        ),
    ] {
        let q = Query::insert()
            .into_table(Alias::new("annuaire_people"))
            .columns(
                [
                    "id",
                    "etablissement_id",
                    "kind",
                    "source",
                    "source_key",
                    "last_name",
                    "first_name",
                    "email",
                    "functions",
                    "disciplines",
                    "missions",
                    "structures",
                    "groups",
                    "status",
                    "search_text",
                    "content_hash",
                    "source_file",
                    "imported_at",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                uuid::Uuid::now_v7().into(),
                etab.into(),
                kind.into(),
                "aaf".into(),
                key.into(),
                "Martin".into(),
                "Paul".into(),
                email.map(str::to_string).into(),
                functions.into(),
                "[]".into(),
                "[]".into(),
                "[]".into(),
                "[]".into(),
                "active".into(),
                "martin paul".into(),
                "h".into(),
                "f.xml".into(),
                now.into(),
                now.into(),
                now.into(),
            ])
            .to_owned();
        app.db.conn.execute(&q).await.expect("directory row");
    }
    let service = app.url("/connexion/sso/ent-aaf/retour");
    // A pupil never gets an account.
    env.cas.issue(
        "ST-20-pupil",
        &service,
        "eleve",
        &[("ENTPersonJointure", "J-9999")],
    );
    let c = app.client();
    let r = c
        .get(format!("{service}?ticket=ST-20-pupil"))
        .send()
        .await
        .expect("pupil");
    assert_eq!(r.status(), 403);
    assert!(
        refnum_db::accounts::get_by_email(&app.db.conn, "eleve@ac-normandie.test")
            .await
            .expect("q")
            .is_none()
    );
    // The teacher: an account is created with plain roles in both schools.
    env.cas.issue(
        "ST-21-staff",
        &service,
        "pmartin",
        &[("ENTPersonJointure", "J-4242")],
    );
    let r = c
        .get(format!("{service}?ticket=ST-21-staff"))
        .send()
        .await
        .expect("staff");
    assert_eq!(r.status(), 303);
    let home = c.get(app.url("/")).send().await.expect("home");
    assert_eq!(home.status(), 200);
    assert!(home.text().await.expect("body").contains("Paul Martin"));
    let acc = refnum_db::accounts::get_by_email(&app.db.conn, "paul.martin@ac-normandie.test")
        .await
        .expect("q")
        .expect("account created");
    assert!(acc.password_hash.is_none());
    let mut roles: Vec<(String, Option<uuid::Uuid>)> =
        refnum_db::accounts::memberships_of(&app.db.conn, acc.id)
            .await
            .expect("memberships")
            .into_iter()
            .map(|m| (m.role, m.etablissement_id))
            .collect();
    roles.sort();
    let mut expected = vec![
        ("enseignant".to_string(), Some(etab)),
        ("personnel".to_string(), Some(etab_b)),
    ];
    expected.sort();
    assert_eq!(roles, expected);
    let linked: Vec<Option<uuid::Uuid>> =
        refnum_db::sso::directory_staff_by_key(&app.db.conn, "J-4242")
            .await
            .expect("q")
            .into_iter()
            .map(|p| p.account_id)
            .collect();
    assert_eq!(linked, vec![Some(acc.id), Some(acc.id)]);
}

sso_tests!(
    oidc_good_tokens_sign_in,
    oidc_bad_tokens_are_refused,
    oidc_state_and_code_are_single_use,
    linking_rules,
    cas_replay_foreign_service_and_single_logout,
    cas_links_through_the_directory,
);
