use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::entity::user;
use super::{password, session, CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::{ApiJson, ClientIp};
use crate::orgs::OrgSummary;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// 手机号或用户名
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organization: OrgSummary,
    pub roles: Vec<Role>,
    /// The first administrator (and reset accounts) must set a new password before anything else.
    pub must_change_password: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserEnvelope {
    pub user: UserView,
}

impl From<CurrentUser> for UserView {
    fn from(u: CurrentUser) -> Self {
        Self {
            id: u.user_id,
            username: u.username,
            display_name: u.display_name,
            organization: u.organization,
            roles: u.roles,
            must_change_password: u.must_change_password,
        }
    }
}

const BAD_CREDENTIALS: &str = "用户名或密码错误";

/// Password sign-in. Sets the HttpOnly session cookie. Every attempt is audited.
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = UserEnvelope), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let username = req.username.trim();
    if username.is_empty() {
        return Err(ApiError::validation("username", "请输入手机号或用户名"));
    }
    if req.password.is_empty() {
        return Err(ApiError::validation("password", "请输入密码"));
    }
    let found = super::find_by_username(&state.db, username).await?;
    // Always run one hash verification so that timing does not reveal whether the user exists.
    let hash = found.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| password::dummy_hash().to_string());
    let pw = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let failure = |reason: &'static str| Entry {
        action: "login",
        actor: None,
        username: Some(username),
        ip: ip.clone(),
        object_type: Some("user"),
        object_id: None,
        outcome: Outcome::Failure,
        detail: Some(serde_json::json!({ "reason": reason })),
    };
    let Some(user) = found.filter(|_| ok) else {
        audit::record(&state.db, failure("bad_credentials")).await?;
        return Err(ApiError::InvalidCredentials(BAD_CREDENTIALS.into()));
    };
    if user.status != "active" {
        audit::record(&state.db, failure("disabled")).await?;
        return Err(ApiError::Forbidden("账号已停用，请联系管理员".into()));
    }
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    let token = session::create(&state.db, &user.id, &state.config.session, ip.clone(), user_agent).await?;
    user::Entity::update(user::ActiveModel { id: Set(user.id.clone()), last_login_at: Set(Some(Utc::now())), ..Default::default() })
        .exec(&state.db)
        .await?;
    let current = session::resolve(&state, &token).await?.ok_or(ApiError::Unauthenticated)?;
    audit::record(
        &state.db,
        Entry {
            action: "login",
            actor: Some(&current),
            username: None,
            ip,
            object_type: Some("user"),
            object_id: Some(&current.user_id),
            outcome: Outcome::Success,
            detail: None,
        },
    )
    .await?;
    let cookie = session::set_cookie(&token, &state.config.session);
    Ok(([(header::SET_COOKIE, cookie)], Json(UserEnvelope { user: current.into() })).into_response())
}

/// Ends the current session (idempotent: signing out twice is not an error).
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, ClientIp(ip): ClientIp, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = session::token_from_headers(&headers) {
        if let Some(user) = session::resolve(&state, &token).await? {
            audit::record(
                &state.db,
                Entry {
                    action: "logout",
                    actor: Some(&user),
                    username: None,
                    ip,
                    object_type: Some("user"),
                    object_id: Some(&user.user_id),
                    outcome: Outcome::Success,
                    detail: None,
                },
            )
            .await?;
        }
        session::destroy(&state.db, &token).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session::clear_cookie(&state.config.session))]).into_response())
}

/// The signed-in user, or 401.
#[utoipa::path(get, path = "/api/auth/me", tag = "accounts",
    responses((status = 200, body = UserEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn get_me(user: CurrentUser) -> Json<UserEnvelope> {
    Json(UserEnvelope { user: user.into() })
}
