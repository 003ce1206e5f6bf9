//! 统一身份认证: sign-in through an external identity service (for a province, its government-service
//! unified identity), behind the `UnifiedIdentity` interface. The one implementation is OpenID Connect
//! (authorization code flow with PKCE, ID token checked against the provider's published keys), configured
//! under `[unified_identity]`; it is tested in the browser against a real OIDC provider (npm
//! `oidc-provider`, e2e/tests/unified-identity.test.mjs).
//!
//! Matching: the provider vouches for a verified mobile number (`phone_number` with
//! `phone_number_verified`), and the account registered with that number signs in. Enterprises and
//! providers register with their mobile number, so this needs no separate binding step; an identity
//! without a verified number, or with one nobody registered, is refused and sent back to the login page.
//!
//! Between the redirect out and the callback nothing is stored on the server: a short-lived cookie holds
//! the random `state`, and the nonce and PKCE verifier are derived from it with the secret key, so any app
//! instance can finish the sign-in.

use async_trait::async_trait;
use axum::http::header;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use serde::Deserialize;
use tokio::sync::OnceCell;

use crate::config::UnifiedIdentityConfig;

/// Who the identity service says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's stable id for the person (`sub`).
    pub subject: String,
    /// A mobile number the provider has verified, if it shares one.
    pub verified_phone: Option<String>,
}

/// An external identity service the login page can send users to.
#[async_trait]
pub trait UnifiedIdentity: Send + Sync {
    /// Where to send the browser; `state`, `nonce` and the PKCE `code_challenge` (S256) come back checked.
    async fn authorization_url(&self, state: &str, nonce: &str, code_challenge: &str) -> anyhow::Result<String>;
    /// Trades the code from the callback for the person's identity, checking everything the protocol
    /// asks (signature, issuer, audience, expiry, nonce).
    async fn exchange(&self, code: &str, code_verifier: &str, nonce: &str) -> anyhow::Result<Identity>;
}

/// OpenID Connect Core 1.0, authorization code flow, confidential client (`client_secret_basic`).
pub struct OpenIdConnect {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_url: String,
    http: reqwest::Client,
    discovery: OnceCell<Discovery>,
}

#[derive(Debug, Clone, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: Option<String>,
    jwks_uri: String,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    access_token: String,
    id_token: String,
}

#[derive(Debug, Deserialize)]
struct JwtHeader {
    alg: String,
    kid: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Debug, Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

#[derive(Debug, Deserialize)]
struct IdClaims {
    iss: String,
    sub: String,
    aud: Audience,
    exp: i64,
    nonce: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct UserInfo {
    sub: String,
    phone_number: Option<String>,
    phone_number_verified: Option<bool>,
}

/// Clock difference tolerated between us and the provider when checking `exp`.
const LEEWAY_SECS: i64 = 60;

impl OpenIdConnect {
    pub fn from_config(c: &UnifiedIdentityConfig) -> anyhow::Result<Self> {
        let get = |v: &Option<String>, name: &str| v.clone().filter(|v| !v.trim().is_empty()).ok_or_else(|| anyhow::anyhow!("unified_identity.{name} is not set"));
        Ok(Self {
            issuer: get(&c.issuer, "issuer")?,
            client_id: get(&c.client_id, "client_id")?,
            client_secret: get(&c.client_secret, "client_secret")?,
            redirect_url: get(&c.redirect_url, "redirect_url")?,
            http: reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?,
            discovery: OnceCell::new(),
        })
    }

    /// The provider's discovery document, fetched once per process (it names the endpoints and keys).
    async fn discovery(&self) -> anyhow::Result<&Discovery> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!("{}/.well-known/openid-configuration", self.issuer.trim_end_matches('/'));
                let d: Discovery = self.http.get(&url).send().await?.error_for_status()?.json().await?;
                // OIDC Discovery §4.3: the document must name the issuer we asked, or it is not that provider.
                anyhow::ensure!(d.issuer == self.issuer, "discovery issuer {} differs from the configured {}", d.issuer, self.issuer);
                Ok(d)
            })
            .await
    }

    async fn verify_id_token(&self, d: &Discovery, token: &str, nonce: &str) -> anyhow::Result<IdClaims> {
        let mut parts = token.split('.');
        let (Some(h), Some(p), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            anyhow::bail!("the ID token is not a signed JWT");
        };
        let header: JwtHeader = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h)?)?;
        // Only RS256 (the algorithm every provider must support); never `none` or an HMAC with a public key.
        anyhow::ensure!(header.alg == "RS256", "ID token algorithm {} is not accepted", header.alg);
        // Keys are read on every sign-in, so a provider's key rotation needs nothing from us.
        let jwks: Jwks = self.http.get(&d.jwks_uri).send().await?.error_for_status()?.json().await?;
        let key = jwks
            .keys
            .iter()
            .filter(|k| k.kty == "RSA" && k.usage.as_deref().is_none_or(|u| u == "sig"))
            .find(|k| header.kid.is_none() || k.kid == header.kid)
            .ok_or_else(|| anyhow::anyhow!("no RSA key {:?} in the provider's JWKS", header.kid))?;
        let (n, e) = (URL_SAFE_NO_PAD.decode(key.n.as_deref().unwrap_or(""))?, URL_SAFE_NO_PAD.decode(key.e.as_deref().unwrap_or(""))?);
        ring::signature::RsaPublicKeyComponents { n: &n, e: &e }
            .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, format!("{h}.{p}").as_bytes(), &URL_SAFE_NO_PAD.decode(sig)?)
            .map_err(|_| anyhow::anyhow!("the ID token's signature does not verify"))?;
        let claims: IdClaims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p)?)?;
        anyhow::ensure!(claims.iss == self.issuer, "ID token issuer {} is not {}", claims.iss, self.issuer);
        let for_us = match &claims.aud {
            Audience::One(a) => *a == self.client_id,
            Audience::Many(a) => a.contains(&self.client_id),
        };
        anyhow::ensure!(for_us, "the ID token was issued to another client");
        anyhow::ensure!(claims.exp + LEEWAY_SECS > Utc::now().timestamp(), "the ID token has expired");
        anyhow::ensure!(claims.nonce.as_deref() == Some(nonce), "the ID token's nonce does not match this sign-in");
        Ok(claims)
    }
}

#[async_trait]
impl UnifiedIdentity for OpenIdConnect {
    async fn authorization_url(&self, state: &str, nonce: &str, code_challenge: &str) -> anyhow::Result<String> {
        let d = self.discovery().await?;
        let mut url = url::Url::parse(&d.authorization_endpoint)?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_url)
            .append_pair("scope", "openid phone")
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", code_challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    async fn exchange(&self, code: &str, code_verifier: &str, nonce: &str) -> anyhow::Result<Identity> {
        let d = self.discovery().await?;
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", code)
            .append_pair("redirect_uri", &self.redirect_url)
            .append_pair("code_verifier", code_verifier)
            .finish();
        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
        let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", enc(&self.client_id), enc(&self.client_secret)));
        let res = self
            .http
            .post(&d.token_endpoint)
            .header(header::AUTHORIZATION, format!("Basic {basic}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?;
        let status = res.status();
        if !status.is_success() {
            anyhow::bail!("token endpoint answered {status}: {}", res.text().await.unwrap_or_default().chars().take(300).collect::<String>());
        }
        let tokens: TokenResponse = res.json().await?;
        let claims = self.verify_id_token(d, &tokens.id_token, nonce).await?;
        // Providers put the profile claims in the UserInfo response (OIDC Core §5.4), not always in the ID token.
        let info = match &d.userinfo_endpoint {
            Some(url) => {
                let info: UserInfo = self.http.get(url).bearer_auth(&tokens.access_token).send().await?.error_for_status()?.json().await?;
                // OIDC Core §5.3.2: a UserInfo answer for another subject must not be used.
                anyhow::ensure!(info.sub == claims.sub, "UserInfo is about another subject");
                Some(info)
            }
            None => None,
        };
        let verified_phone = info.as_ref().filter(|i| i.phone_number_verified == Some(true)).and_then(|i| i.phone_number.clone());
        Ok(Identity { subject: claims.sub, verified_phone })
    }
}

/// The interface the platform is configured with, if any.
pub fn from_config(c: &UnifiedIdentityConfig) -> anyhow::Result<Option<std::sync::Arc<dyn UnifiedIdentity>>> {
    if !c.enabled() {
        return Ok(None);
    }
    Ok(Some(std::sync::Arc::new(OpenIdConnect::from_config(c)?)))
}



#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_unless_an_issuer_is_configured() {
        assert!(from_config(&UnifiedIdentityConfig::default()).unwrap().is_none());
    }
}
