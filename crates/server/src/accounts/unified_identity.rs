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
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shuzhuan_core::Phone;
use tokio::sync::OnceCell;
use utoipa::IntoParams;

use super::handlers::{entry, limit_login_attempts, open_session};
use crate::audit::{self, Outcome};
use crate::config::UnifiedIdentityConfig;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ClientIp;
use crate::state::AppState;

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

const PENDING_COOKIE: &str = "sz_unified";
/// The cookie lives only for the round trip to the provider.
const PENDING_MAX_AGE_SECS: i64 = 600;
const COOKIE_PATH: &str = "/api/auth/unified";

/// The nonce and PKCE verifier of one sign-in, derived from its `state` so that nothing is stored.
fn derived(secret: &str, state: &str, purpose: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(state.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn pending_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    // SameSite=Lax: the provider sends the browser back with a top-level GET, which Lax allows.
    format!("{PENDING_COOKIE}={value}; Path={COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

fn pending_state(headers: &HeaderMap) -> Option<String> {
    super::session::cookie_value(headers, PENDING_COOKIE)
}

fn redirect(to: &str, cookies: Vec<String>) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c.parse().expect("cookie values are ASCII"));
    }
    res
}

fn provider(state: &AppState) -> ApiResult<&dyn UnifiedIdentity> {
    state.unified_identity.as_deref().ok_or_else(|| ApiError::NotFound("本平台未启用统一身份认证登录".into()))
}

/// 统一身份认证登录: sends the browser to the identity service.
#[utoipa::path(get, path = "/api/auth/unified/start", tag = "accounts",
    responses((status = 303, description = "to the identity service, or to /login?unified=unavailable when it cannot be reached"),
        (status = 404, body = ErrorEnvelope)))]
pub async fn start(State(state): State<AppState>) -> ApiResult<Response> {
    let p = provider(&state)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let st = hex::encode(bytes);
    let secret = &state.config.secret_key;
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(derived(secret, &st, "pkce").as_bytes()));
    let url = match p.authorization_url(&st, &derived(secret, &st, "nonce"), &challenge).await {
        Ok(url) => url,
        Err(e) => {
            // The button is a plain link, so the answer is a page: back to the login page, which says why.
            tracing::warn!(error = %e, "unified identity: cannot reach the provider");
            return Ok(redirect("/login?unified=unavailable", vec![]));
        }
    };
    Ok(redirect(&url, vec![pending_cookie(&st, PENDING_MAX_AGE_SECS, state.config.session.cookie_secure)]))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// Set by the provider when the person cancelled or the request was refused.
    pub error: Option<String>,
}

/// Where the identity service sends the browser back. Signs in and goes to the workbench, or back to the
/// login page with `?unified=<reason>` (the page words each reason).
#[utoipa::path(get, path = "/api/auth/unified/callback", tag = "accounts", params(CallbackQuery),
    responses((status = 303, description = "to /workbench signed in, or to /login?unified=<reason>"), (status = 404, body = ErrorEnvelope)))]
pub async fn callback(State(state): State<AppState>, ClientIp(ip): ClientIp, headers: HeaderMap, Query(q): Query<CallbackQuery>) -> ApiResult<Response> {
    let p = provider(&state)?;
    let secure = state.config.session.cookie_secure;
    let clear = pending_cookie("", 0, secure);
    let back = |reason: &str| redirect(&format!("/login?unified={reason}"), vec![clear.clone()]);
    if limit_login_attempts(&state, &ip).await.is_err() {
        return Ok(back("too_many"));
    }
    let fail = |reason: &'static str| entry("login", None, Some("统一身份认证"), ip.clone(), Outcome::Failure, Some(reason));
    if q.error.is_some() {
        return Ok(back("cancelled"));
    }
    // The state must be the one this browser was given at the start (CSRF on the callback, RFC 6749 §10.12).
    let st = match (pending_state(&headers), q.state.as_deref(), q.code.as_deref()) {
        (Some(cookie), Some(given), Some(_)) if !cookie.is_empty() && subtle_eq(cookie.as_bytes(), given.as_bytes()) => cookie,
        _ => {
            audit::record(&state.db, fail("state_mismatch")).await?;
            return Ok(back("expired"));
        }
    };
    let secret = &state.config.secret_key;
    let identity = match p.exchange(q.code.as_deref().unwrap_or_default(), &derived(secret, &st, "pkce"), &derived(secret, &st, "nonce")).await {
        Ok(i) => i,
        Err(e) => {
            tracing::warn!(error = %e, "unified identity: sign-in refused");
            audit::record(&state.db, fail("identity_rejected")).await?;
            return Ok(back("failed"));
        }
    };
    let phone = identity.verified_phone.as_deref().and_then(|p| Phone::parse(p).ok());
    let user = match &phone {
        Some(phone) => super::find_by_phone(&state.db, &state.crypto, phone.as_str()).await?,
        None => None,
    };
    let Some(u) = user.filter(|u| u.status != "deleted") else {
        let reason = if phone.is_some() { "unknown_phone" } else { "no_verified_phone" };
        let mut e = fail(reason);
        // The provider's subject lets the security admin tell who tried.
        e.detail = Some(serde_json::json!({ "reason": reason, "subject": identity.subject }));
        audit::record(&state.db, e).await?;
        return Ok(back("unbound"));
    };
    if u.locked_until.is_some_and(|t| t > Utc::now()) {
        return Ok(back("locked"));
    }
    if u.status != "active" {
        audit::record(&state.db, fail("disabled")).await?;
        return Ok(back("disabled"));
    }
    let (session_cookie, _) = open_session(&state, &u, ip, &headers, "unified_identity").await?;
    Ok(redirect("/workbench", vec![session_cookie, clear]))
}

/// Equality that takes the same time wherever the first difference is.
fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_and_verifier_differ_and_depend_on_state_and_secret() {
        let a = derived("k1", "s1", "pkce");
        assert_eq!(a, derived("k1", "s1", "pkce"));
        assert_ne!(a, derived("k1", "s1", "nonce"));
        assert_ne!(a, derived("k1", "s2", "pkce"));
        assert_ne!(a, derived("k2", "s1", "pkce"));
        // RFC 7636 §4.1: a verifier is 43-128 characters of the unreserved set.
        assert!((43..=128).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn pending_state_is_read_from_its_own_cookie_only() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "sz_session=abc; sz_unified=xyz".parse().unwrap());
        assert_eq!(pending_state(&h).as_deref(), Some("xyz"));
        assert!(subtle_eq(b"xyz", b"xyz"));
        assert!(!subtle_eq(b"xyz", b"xyw"));
        assert!(!subtle_eq(b"xyz", b"xy"));
    }

    #[test]
    fn off_unless_an_issuer_is_configured() {
        assert!(from_config(&UnifiedIdentityConfig::default()).unwrap().is_none());
    }
}
