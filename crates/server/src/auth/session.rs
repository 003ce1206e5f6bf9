//! Server-side sessions: the cookie carries a random token; the database keeps only its SHA-256 with
//! idle and absolute expiry, so logout or disabling a user ends the session on every app instance.

use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::entity::session;
use crate::directory::{user, user_role};
use super::{CurrentUser, Role};
use crate::config::SessionConfig;
use crate::error::ApiError;
use crate::directory::{org, OrgSummary};
use crate::state::AppState;

pub const COOKIE_NAME: &str = "sz_session";

/// Writing `last_seen_at` on every request would turn every read into a write; a minute's slack in the
/// idle timeout is harmless.
const TOUCH_INTERVAL_SECS: i64 = 60;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE_NAME).filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The value of the cookie `name` in the request, if the browser sent it.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

pub fn set_cookie(token: &str, config: &SessionConfig) -> String {
    let max_age = config.absolute_timeout_hours * 3600;
    let secure = if config.cookie_secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn clear_cookie(config: &SessionConfig) -> String {
    let secure = if config.cookie_secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Creates a session and returns the token for the cookie.
pub async fn create(
    db: &impl ConnectionTrait,
    user_id: &str,
    config: &SessionConfig,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<String, sea_orm::DbErr> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id.to_string()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(config.absolute_timeout_hours)),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(255).collect())),
    })
    .exec(db)
    .await?;
    Ok(token)
}

pub async fn destroy(db: &impl ConnectionTrait, token: &str) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_by_id(token_hash(token)).exec(db).await?;
    Ok(())
}

/// Ends every session of a user (password change, disable).
pub async fn destroy_all_for_user(db: &impl ConnectionTrait, user_id: &str) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// The signed-in user for a token, or `None` when the session is unknown, expired, idle too long, or its
/// user is no longer active.
pub async fn resolve(state: &AppState, token: &str) -> Result<Option<CurrentUser>, ApiError> {
    let db = &state.db;
    let hash = token_hash(token);
    let Some(s) = session::Entity::find_by_id(hash.clone()).one(db).await? else { return Ok(None) };
    let now = Utc::now();
    let idle_limit = s.last_seen_at + Duration::minutes(state.config.session.idle_timeout_minutes);
    if now >= s.expires_at || now >= idle_limit {
        session::Entity::delete_by_id(hash).exec(db).await?;
        return Ok(None);
    }
    let Some(user) = current_user(state, &s.user_id).await? else { return Ok(None) };
    if (now - s.last_seen_at).num_seconds() >= TOUCH_INTERVAL_SECS {
        session::Entity::update(session::ActiveModel { token_hash: Set(s.token_hash), last_seen_at: Set(now), ..Default::default() })
            .exec(db)
            .await?;
    }
    Ok(Some(user))
}

/// The user `user_id` as a request sees it (roles, organization, permissions), or `None` when it is unknown
/// or no longer active: for a session, and for the demo seed acting as its accounts through the same engine.
pub async fn current_user(state: &AppState, user_id: &str) -> Result<Option<CurrentUser>, ApiError> {
    let db = &state.db;
    let Some(u) = user::Entity::find_by_id(user_id.to_owned()).one(db).await? else { return Ok(None) };
    if u.status != "active" {
        return Ok(None);
    }
    let Some(o) = org::Entity::find_by_id(u.organization_id.clone()).one(db).await? else { return Ok(None) };
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(u.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect();
    let phone_masked = u.phone_cipher.as_deref().and_then(|c| state.crypto.decrypt(c)).map(|p| crate::crypto::mask_phone(&p));
    let permissions = u.permissions.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
    Ok(Some(CurrentUser {
        user_id: u.id,
        username: u.username,
        display_name: u.display_name,
        roles,
        must_change_password: u.must_change_password,
        organization: OrgSummary::from(o),
        phone_masked,
        permissions,
        department_id: u.department_id,
        user_type: u.user_type,
        ip: None,
    }))
}
