//! Provider settings, as written in `refnum.toml` (`[[sso]]` tables), and
//! their validation into [`Provider`]s.

use serde::{Deserialize, Serialize};

/// A secret (OIDC client secret): never printed.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// One `[[sso]]` table of the configuration file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// In URLs: `/connexion/sso/{id}`.
    pub id: String,
    /// `cas` or `oidc`.
    pub kind: String,
    /// The button's text ("ENT de l'académie").
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cas_url: Option<String>,
    /// 2 or 3 (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cas_version: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Also `REFNUM_SSO_<ID>_CLIENT_SECRET` in the environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    /// OIDC scopes (default `openid email profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// `email` (default) or `annuaire`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_by: Option<String>,
    /// The CAS attribute or OIDC claim that carries the link value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_attribute: Option<String>,
    /// Values meaning multi-factor: in OIDC `amr` / `acr`, in the CAS attribute `mfa_attribute`.
    #[serde(default)]
    pub mfa_values: Vec<String>,
    /// The CAS attribute that tells the authentication context (default `authnContextClass`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_attribute: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkBy {
    /// The account with the e-mail the provider gives.
    Email,
    /// The directory person whose join key (`source_key`) the provider gives.
    Annuaire,
}

impl LinkBy {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkBy::Email => "email",
            LinkBy::Annuaire => "annuaire",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderKind {
    Cas {
        /// Without trailing slash: `https://cas.example/cas`.
        base: String,
        version: u8,
        mfa_attribute: String,
    },
    Oidc {
        issuer: String,
        client_id: String,
        client_secret: Option<Secret>,
        scopes: Vec<String>,
    },
}

/// A validated provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub id: String,
    pub label: String,
    pub kind: ProviderKind,
    pub link_by: LinkBy,
    pub link_attribute: String,
    pub mfa_values: Vec<String>,
}

impl Provider {
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            ProviderKind::Cas { .. } => "cas",
            ProviderKind::Oidc { .. } => "oidc",
        }
    }

    /// `cas:<id>` or `oidc:<id>`: the sign-in method in the audit log.
    pub fn method(&self) -> String {
        format!("{}:{}", self.kind_str(), self.id)
    }
}

/// http(s) URL check: https, or plain http to a loopback address only.
fn check_url(u: &str) -> Result<String, &'static str> {
    let u = u.trim().trim_end_matches('/');
    if u.contains(['?', '#', ' ']) {
        return Err("doit être une adresse sans « ? » ni « # »");
    }
    if let Some(rest) = u.strip_prefix("https://") {
        if rest.is_empty() {
            return Err("adresse incomplète");
        }
        return Ok(u.to_string());
    }
    if let Some(rest) = u.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if host == "localhost" || host.starts_with("127.") || rest.starts_with("[::1]") {
            return Ok(u.to_string());
        }
        return Err("doit commencer par https:// (http seulement pour une adresse locale)");
    }
    Err("doit commencer par https://")
}

/// Validates the `[[sso]]` tables. Errors are in French and name the
/// table and the field: `sso[2] (« ent ») : cas_url manquant`.
pub fn validate(list: &[ProviderConfig]) -> Result<Vec<Provider>, String> {
    let mut out: Vec<Provider> = vec![];
    for (i, c) in list.iter().enumerate() {
        let at = |field: &str, msg: &str| format!("sso[{}] (« {} ») : {field} {msg}", i + 1, c.id);
        let id = c.id.trim();
        if id.is_empty()
            || id.len() > 32
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(at(
                "id",
                ": 1 à 32 caractères parmi a-z, 0-9 et « - » (il figure dans les adresses)",
            ));
        }
        if out.iter().any(|p| p.id == id) {
            return Err(at("id", ": déjà utilisé par un autre fournisseur"));
        }
        let label = c.label.trim();
        if label.is_empty() || label.chars().count() > 100 {
            return Err(at("label", ": obligatoire (100 caractères au plus)"));
        }
        let link_by = match c.link_by.as_deref().unwrap_or("email") {
            "email" => LinkBy::Email,
            "annuaire" => LinkBy::Annuaire,
            other => {
                return Err(at(
                    "link_by",
                    &format!(": « {other} » inconnu (email ou annuaire)"),
                ));
            }
        };
        let kind = match c.kind.as_str() {
            "cas" => {
                let Some(url) = c.cas_url.as_deref() else {
                    return Err(at("cas_url", "manquant"));
                };
                let base = check_url(url).map_err(|m| at("cas_url", m))?;
                let version = c.cas_version.unwrap_or(3);
                if version != 2 && version != 3 {
                    return Err(at("cas_version", ": 2 ou 3"));
                }
                ProviderKind::Cas {
                    base,
                    version,
                    mfa_attribute: c
                        .mfa_attribute
                        .clone()
                        .unwrap_or_else(|| "authnContextClass".into()),
                }
            }
            "oidc" => {
                let Some(issuer) = c.issuer.as_deref() else {
                    return Err(at("issuer", "manquant"));
                };
                let issuer = check_url(issuer).map_err(|m| at("issuer", m))?;
                let client_id = c.client_id.clone().unwrap_or_default();
                if client_id.trim().is_empty() {
                    return Err(at("client_id", "manquant"));
                }
                let scopes = c
                    .scopes
                    .clone()
                    .unwrap_or_else(|| vec!["openid".into(), "email".into(), "profile".into()]);
                if !scopes.iter().any(|s| s == "openid") {
                    return Err(at("scopes", ": doit contenir « openid »"));
                }
                ProviderKind::Oidc {
                    issuer,
                    client_id,
                    client_secret: c.client_secret.clone().filter(|s| !s.0.is_empty()),
                    scopes,
                }
            }
            other => return Err(at("kind", &format!(": « {other} » inconnu (cas ou oidc)"))),
        };
        let link_attribute = match (&c.link_attribute, link_by, &kind) {
            (Some(a), _, _) if !a.trim().is_empty() => a.trim().to_string(),
            (_, LinkBy::Email, ProviderKind::Cas { .. }) => "mail".into(),
            (_, LinkBy::Email, ProviderKind::Oidc { .. }) => "email".into(),
            (_, LinkBy::Annuaire, _) => {
                return Err(at(
                    "link_attribute",
                    "manquant (l'attribut qui porte la clé de jointure de l'annuaire)",
                ));
            }
        };
        out.push(Provider {
            id: id.to_string(),
            label: label.to_string(),
            kind,
            link_by,
            link_attribute,
            mfa_values: c.mfa_values.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cas(id: &str) -> ProviderConfig {
        ProviderConfig {
            id: id.into(),
            kind: "cas".into(),
            label: "ENT".into(),
            cas_url: Some("https://cas.example/cas/".into()),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_and_errors() {
        let p = validate(&[cas("ent")]).expect("valid");
        assert_eq!(
            p[0].kind,
            ProviderKind::Cas {
                base: "https://cas.example/cas".into(),
                version: 3,
                mfa_attribute: "authnContextClass".into()
            }
        );
        assert_eq!(p[0].link_attribute, "mail");
        let e = validate(&[cas("ent"), cas("ent")]).expect_err("duplicate");
        assert!(e.contains("sso[2]") && e.contains("id"), "{e}");
        let mut bad = cas("ent");
        bad.cas_url = Some("http://cas.example/cas".into());
        assert!(validate(&[bad]).expect_err("http").contains("cas_url"));
        let mut local = cas("ent");
        local.cas_url = Some("http://127.0.0.1:9000/cas".into());
        assert!(validate(&[local]).is_ok());
        let oidc = ProviderConfig {
            id: "aca".into(),
            kind: "oidc".into(),
            label: "Académie".into(),
            issuer: Some("https://idp.example".into()),
            ..Default::default()
        };
        assert!(
            validate(&[oidc])
                .expect_err("client_id")
                .contains("client_id")
        );
        let mut ann = cas("ent");
        ann.link_by = Some("annuaire".into());
        assert!(
            validate(&[ann])
                .expect_err("attr")
                .contains("link_attribute")
        );
        let secret = Secret("s3cr3t".into());
        assert!(!format!("{secret:?}").contains("s3cr3t"));
    }
}
