//! OpenID Connect: discovery, the JWKS, and the ID token checks.
//!
//! Signatures are checked with `jsonwebtoken` (ring underneath): RS256/384/512,
//! PS256/384/512, ES256/384. `alg=none` and the HMAC algorithms are refused
//! before any key is looked at (a public key must never serve as an HMAC secret).

use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The parts of `/.well-known/openid-configuration` we use.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub id_token: Option<String>,
    pub access_token: Option<String>,
}

/// Leeway on `exp`, `iat` and `nbf`, in seconds.
pub const LEEWAY: u64 = 60;

const ALLOWED: [Algorithm; 8] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// Why an ID token was refused (in the audit log; never shown raw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    /// `none`, HS*, or an algorithm we do not accept.
    Algorithm,
    /// No key of the JWKS fits (kid, type, algorithm).
    UnknownKey,
    Signature,
    Issuer,
    Audience,
    AuthorizedParty,
    Expired,
    IssuedAt,
    Nonce,
}

impl TokenError {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenError::Malformed => "malformed",
            TokenError::Algorithm => "algorithm",
            TokenError::UnknownKey => "unknown-key",
            TokenError::Signature => "signature",
            TokenError::Issuer => "issuer",
            TokenError::Audience => "audience",
            TokenError::AuthorizedParty => "azp",
            TokenError::Expired => "expired",
            TokenError::IssuedAt => "iat",
            TokenError::Nonce => "nonce",
        }
    }
}

/// The `alg` and `kid` of a JWT header, read without trusting anything.
fn header_of(token: &str) -> Result<(String, Option<String>), TokenError> {
    let head = token.split('.').next().ok_or(TokenError::Malformed)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(head.trim_end_matches('='))
        .map_err(|_| TokenError::Malformed)?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)?;
    let alg = v
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(TokenError::Malformed)?
        .to_string();
    let kid = v.get("kid").and_then(Value::as_str).map(str::to_string);
    Ok((alg, kid))
}

/// Verifies an ID token and returns its claims.
///
/// `nonce_hash` is the SHA-256 (hex) of the nonce sent in the request.
pub fn verify_id_token(
    token: &str,
    jwks: &JwkSet,
    issuer: &str,
    client_id: &str,
    nonce_hash: &str,
    now: i64,
) -> Result<Map<String, Value>, TokenError> {
    if token.split('.').count() != 3 {
        return Err(TokenError::Malformed);
    }
    let (alg_name, kid) = header_of(token)?;
    let alg = match alg_name.parse::<Algorithm>() {
        Ok(a) if ALLOWED.contains(&a) => a,
        _ => return Err(TokenError::Algorithm),
    };
    let candidates: Vec<&jsonwebtoken::jwk::Jwk> = jwks
        .keys
        .iter()
        .filter(|k| match (&kid, &k.common.key_id) {
            (Some(want), Some(have)) => want == have,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .filter(|k| {
            !matches!(
                k.common.public_key_use,
                Some(jsonwebtoken::jwk::PublicKeyUse::Encryption)
            )
        })
        .filter(|k| match k.common.key_algorithm {
            Some(ka) => ka.to_string() == alg_name,
            None => true,
        })
        .filter(|k| {
            matches!(
                (&k.algorithm, alg),
                (
                    jsonwebtoken::jwk::AlgorithmParameters::RSA(_),
                    Algorithm::RS256
                        | Algorithm::RS384
                        | Algorithm::RS512
                        | Algorithm::PS256
                        | Algorithm::PS384
                        | Algorithm::PS512
                ) | (
                    jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_),
                    Algorithm::ES256 | Algorithm::ES384
                )
            )
        })
        .collect();
    if candidates.is_empty() {
        return Err(TokenError::UnknownKey);
    }
    let mut validation = Validation::new(alg);
    validation.leeway = LEEWAY;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    let mut last = TokenError::Signature;
    let mut claims = None;
    for k in candidates {
        let Ok(key) = DecodingKey::from_jwk(k) else {
            continue;
        };
        match jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation) {
            Ok(d) => {
                claims = Some(d.claims);
                break;
            }
            Err(e) => {
                use jsonwebtoken::errors::ErrorKind as K;
                last = match e.kind() {
                    K::InvalidSignature => TokenError::Signature,
                    K::ExpiredSignature | K::ImmatureSignature => TokenError::Expired,
                    K::InvalidIssuer => TokenError::Issuer,
                    K::InvalidAudience => TokenError::Audience,
                    K::InvalidAlgorithm => TokenError::Algorithm,
                    K::MissingRequiredClaim(_) => TokenError::Malformed,
                    _ => TokenError::Malformed,
                };
                // Only a bad signature may be another key's: try the next one.
                if last != TokenError::Signature {
                    return Err(last);
                }
            }
        }
    }
    let claims = claims.ok_or(last)?;
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or(TokenError::IssuedAt)?;
    if iat > now + LEEWAY as i64 {
        return Err(TokenError::IssuedAt);
    }
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => return Err(TokenError::Audience),
    };
    let azp = claims.get("azp").and_then(Value::as_str);
    if (auds.len() > 1 && azp.is_none()) || azp.is_some_and(|a| a != client_id) {
        return Err(TokenError::AuthorizedParty);
    }
    let nonce = claims.get("nonce").and_then(Value::as_str);
    if nonce.is_none_or(|n| crate::auth::sha256_hex(n) != nonce_hash) {
        return Err(TokenError::Nonce);
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) if !s.is_empty() && s.len() <= 255 => {}
        _ => return Err(TokenError::Malformed),
    }
    Ok(claims)
}

/// PKCE S256 challenge of a verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    use sha2::{Digest, Sha256};
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `email_verified`: a boolean, or the string "true"/"false" some providers send.
pub fn email_verified(claims: &Map<String, Value>) -> Option<bool> {
    match claims.get("email_verified") {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => Some(s == "true"),
        _ => None,
    }
}

/// True when `amr` contains, or `acr` equals, one of `values`.
pub fn asserts_mfa(claims: &Map<String, Value>, values: &[String]) -> bool {
    if values.is_empty() {
        return false;
    }
    let amr = claims
        .get("amr")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
        .unwrap_or_default();
    let acr = claims.get("acr").and_then(Value::as_str);
    values
        .iter()
        .any(|v| amr.contains(&v.as_str()) || acr == Some(v.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_none_and_hmac_before_any_key() {
        let jwks = JwkSet { keys: vec![] };
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let body = enc(r#"{"sub":"x"}"#);
        for alg in ["none", "HS256", "HS512"] {
            let t = format!("{}.{body}.", enc(&format!(r#"{{"alg":"{alg}"}}"#)));
            assert_eq!(
                verify_id_token(&t, &jwks, "i", "c", "n", 0),
                Err(TokenError::Algorithm),
                "{alg}"
            );
        }
        assert_eq!(
            verify_id_token("a.b", &jwks, "i", "c", "n", 0),
            Err(TokenError::Malformed)
        );
    }

    #[test]
    fn pkce_example_of_rfc_7636() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
