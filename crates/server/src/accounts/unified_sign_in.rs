//! Sign-in through 统一身份认证 (the adapter is `crate::unified_identity`): the redirect out and the callback
//! that opens a session for the account registered with the identity's verified mobile number.

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
use utoipa::IntoParams;

use super::handlers::{entry, limit_login_attempts, open_session};
use crate::audit::{self, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ClientIp;
use crate::state::AppState;
use crate::unified_identity::UnifiedIdentity;

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
    crate::auth::session::cookie_value(headers, PENDING_COOKIE)
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
}
