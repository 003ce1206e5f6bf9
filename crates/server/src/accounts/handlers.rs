use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use shuzhuan_core::Phone;
use utoipa::{IntoParams, ToSchema};

use super::entity::{password_history, phone_login};
use crate::directory::user;
use super::sms_codes::{self, SmsPurpose};
use super::captcha;
use super::guard;
use crate::auth::{session, CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::{ApiJson, ClientIp};
use crate::directory::OrgSummary;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// 手机号或用户名
    pub username: String,
    pub password: String,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organization: OrgSummary,
    pub roles: Vec<Role>,
    pub permissions: Vec<String>,
    /// "138****1234"
    pub phone_masked: Option<String>,
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
            permissions: u.permissions,
            phone_masked: u.phone_masked,
            must_change_password: u.must_change_password,
        }
    }
}

const BAD_CREDENTIALS: &str = "用户名或密码错误";

pub(super) fn entry<'a>(action: &'a str, actor: Option<&'a CurrentUser>, username: Option<&'a str>, ip: Option<String>, outcome: Outcome, reason: Option<&str>) -> Entry<'a> {
    Entry {
        action,
        actor,
        username,
        ip,
        object_type: Some("user"),
        object_id: actor.map(|a| a.user_id.as_str()),
        outcome,
        detail: reason.map(|r| serde_json::json!({ "reason": r })),
    }
}

/// Per-address limit on sign-in attempts, shared by every instance through the database.
pub(super) async fn limit_login_attempts(state: &AppState, ip: &Option<String>) -> ApiResult<()> {
    let key = format!("login:{}", ip.as_deref().unwrap_or("unknown"));
    if !crate::ratelimit::hit(&state.db, &key, Duration::minutes(1), state.config.security.login_per_minute_per_ip).await? {
        return Err(ApiError::TooManyRequests("登录尝试过于频繁，请稍后再试".into()));
    }
    Ok(())
}

/// Counts one more failed sign-in on the account unless it is locked, atomically (`UPDATE … RETURNING`):
/// `Some(n)` when this attempt is the n-th failure in a row so far (a successful sign-in resets the count),
/// `None` when the account is locked.
async fn claim_attempt(db: &impl sea_orm::ConnectionTrait, user_id: &str) -> Result<Option<i32>, sea_orm::DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, Condition, QueryFilter};
    let claimed = user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::col(user::Column::FailedLogins).add(1))
        .filter(user::Column::Id.eq(user_id))
        .filter(Condition::any().add(user::Column::LockedUntil.is_null()).add(user::Column::LockedUntil.lte(Utc::now())))
        .exec_with_returning(db)
        .await?;
    Ok(claimed.first().map(|u| u.failed_logins))
}

/// Gives back an attempt counted by [`claim_attempt`] whose password was never checked.
async fn release_attempt(db: &impl sea_orm::ConnectionTrait, user_id: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, QueryFilter};
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::col(user::Column::FailedLogins).sub(1))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::FailedLogins.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// A right password ends the run of failures.
async fn reset_failures(db: &impl sea_orm::ConnectionTrait, user_id: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    user::Entity::update_many().col_expr(user::Column::FailedLogins, Expr::value(0)).filter(user::Column::Id.eq(user_id)).exec(db).await?;
    Ok(())
}

/// Locks the account for `minutes` from now and starts its count again; returns when the lock ends.
async fn lock(db: &impl sea_orm::ConnectionTrait, user_id: &str, minutes: i64) -> Result<chrono::DateTime<Utc>, sea_orm::DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    let until = Utc::now() + Duration::minutes(minutes);
    user::Entity::update_many()
        .col_expr(user::Column::LockedUntil, Expr::value(Some(until)))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(until)
}

/// How an attempt was counted: on the account (from a known source) or on the address (anywhere else).
enum Counted {
    Account(i32),
    Source { key: String, failures: i32 },
}

fn delay_message(until: chrono::DateTime<Utc>) -> String {
    let minutes = ((until - Utc::now()).num_seconds() + 59) / 60;
    format!("密码错误次数过多，请{}分钟后再试", minutes.max(1))
}

fn lock_message(until: chrono::DateTime<Utc>) -> String {
    let minutes = ((until - Utc::now()).num_seconds() + 59) / 60;
    format!("密码错误次数过多，账号已锁定，请{}分钟后再试", minutes.max(1))
}

/// Starts a session for an authenticated user and audits it; returns the `Set-Cookie` value and the user.
pub(super) async fn open_session(state: &AppState, u: &user::Model, ip: Option<String>, headers: &HeaderMap, method: &str) -> ApiResult<(String, CurrentUser)> {
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    // A session cookie the browser still sent ends here: a sign-in never leaves an older session of that browser
    // (someone else's, on a shared computer) valid beside the new one.
    if let Some(previous) = session::token_from_headers(headers) {
        session::destroy(&state.db, &previous).await?;
    }
    let token = session::create(&state.db, &u.id, &state.config.session, ip.clone(), user_agent).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(u.id.clone()),
        last_login_at: Set(Some(Utc::now())),
        failed_logins: Set(0),
        locked_until: Set(None),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    // The address becomes (or stays) a known source of the account: wrong passwords from it lock the account,
    // those from elsewhere only delay their own address (accounts/guard.rs).
    guard::remember(&state.db, &u.id, ip.as_deref(), Utc::now()).await?;
    let current = session::resolve(state, &token).await?.ok_or(ApiError::Unauthenticated)?;
    let mut e = entry("login", Some(&current), None, ip, Outcome::Success, None);
    e.detail = Some(serde_json::json!({ "method": method }));
    audit::record(&state.db, e).await?;
    Ok((session::set_cookie(&token, &state.config.session), current))
}

/// Signs in and answers with the user and the session cookie.
async fn sign_in(state: &AppState, u: &user::Model, ip: Option<String>, headers: &HeaderMap, method: &str) -> ApiResult<Response> {
    let (cookie, current) = open_session(state, u, ip, headers, method).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(UserEnvelope { user: current.into() })).into_response())
}

/// Password sign-in with a graphical captcha. Every attempt is audited; repeated failures lock the
/// account for a while (settings `lock_after_failures`, `lock_minutes`).
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = UserEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 423, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    limit_login_attempts(&state, &ip).await?;
    let username = req.username.trim();
    if username.is_empty() {
        return Err(ApiError::validation("username", "请输入手机号或用户名"));
    }
    if req.password.is_empty() {
        return Err(ApiError::validation("password", "请输入密码"));
    }
    captcha::verify(&state.db, req.captcha_id.as_deref(), req.captcha_answer.as_deref()).await?;
    let found = match Phone::parse(username) {
        Ok(phone) => super::find_by_phone(&state.db, &state.crypto, phone.as_str()).await?,
        // No username is longer than the column's 64 characters; looking one up would make PostgreSQL refuse
        // the parameter (500). Such a name is simply unknown, and fails like any wrong one (audited below).
        Err(_) if username.chars().count() > super::MAX_USERNAME_CHARS => None,
        Err(_) => super::find_by_username(&state.db, username).await?,
    };
    let sec = &state.config.security;
    let now = Utc::now();
    // From an address the account signed in from before, wrong passwords lock the account; from anywhere
    // else (and for names nobody holds) they only delay that address (accounts/guard.rs).
    let known = match &found {
        Some(u) => guard::is_known(&state.db, &u.id, ip.as_deref(), now).await?,
        None => false,
    };
    // Per account as well as per address: behind many addresses (or one proxy) an account still gets only
    // so many attempts an hour — except from its known addresses, so strangers cannot use up the owner's.
    if !known {
        let account_key = format!("login-account:{}", username.to_lowercase().chars().take(64).collect::<String>());
        if !crate::ratelimit::hit(&state.db, &account_key, Duration::hours(1), sec.login_per_hour_per_account).await? {
            return Err(ApiError::TooManyRequests("该账号登录尝试过于频繁，请稍后再试".into()));
        }
    }
    // Each attempt is counted before its password is checked, in one conditional statement: concurrent
    // guesses each take their own number, only the first `lock_after_failures` of them are checked, and a
    // locked account or a delayed address is refused before any hashing. (Reading the count and writing it
    // back let 86 concurrent guesses through without a lock.)
    let counted = match &found {
        Some(u) if known => match claim_attempt(&state.db, &u.id).await? {
            Some(n) if n <= sec.lock_after_failures => Counted::Account(n),
            Some(_) => {
                // As many attempts as the account may still fail are being checked right now: this one is not
                // checked, and answered like a full queue (retry in a second). Its count is given back, so
                // that only real failures lock the account.
                release_attempt(&state.db, &u.id).await?;
                return Err(ApiError::Busy { retry_after: 1 });
            }
            None => {
                let until = user::Entity::find_by_id(u.id.clone()).one(&state.db).await?.and_then(|u| u.locked_until).unwrap_or_else(Utc::now);
                audit::record(&state.db, entry("login", None, Some(username), ip, Outcome::Failure, Some("locked"))).await?;
                return Err(ApiError::Locked(lock_message(until)));
            }
        },
        _ => {
            if let Some(until) = found.as_ref().and_then(|u| u.locked_until).filter(|t| *t > now) {
                audit::record(&state.db, entry("login", None, Some(username), ip, Outcome::Failure, Some("locked"))).await?;
                return Err(ApiError::Locked(lock_message(until)));
            }
            let key = guard::key(found.as_ref().map(|u| u.id.as_str()).unwrap_or(username), ip.as_deref());
            match guard::claim(&state.db, &key, sec.lock_after_failures, now).await? {
                guard::Claim::Checked(n) => Counted::Source { key, failures: n },
                guard::Claim::Busy => return Err(ApiError::Busy { retry_after: 1 }),
                guard::Claim::Delayed(until) => {
                    audit::record(&state.db, entry("login", None, Some(username), ip, Outcome::Failure, Some("delayed"))).await?;
                    return Err(ApiError::Locked(delay_message(until)));
                }
            }
        }
    };
    // Always one hash verification, so timing does not reveal whether the user exists.
    let ok = match state.passwords.verify(&req.password, found.as_ref().map(|u| u.password_hash.clone())).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked (the password gate was full): the attempt does not count.
            match (&counted, &found) {
                (Counted::Account(_), Some(u)) => release_attempt(&state.db, &u.id).await?,
                (Counted::Source { key, .. }, _) => guard::release(&state.db, key).await?,
                _ => {}
            }
            return Err(e);
        }
    };
    let u = match (found, counted) {
        (Some(u), counted) if ok => {
            if let Counted::Source { key, .. } = counted {
                guard::clear(&state.db, &key).await?;
            }
            u
        }
        (Some(u), Counted::Account(failures)) => {
            if failures >= sec.lock_after_failures {
                let until = lock(&state.db, &u.id, sec.lock_minutes).await?;
                audit::record(&state.db, entry("lockout", None, Some(username), ip, Outcome::Success, Some("too_many_failures"))).await?;
                return Err(ApiError::Locked(lock_message(until)));
            }
            audit::record(&state.db, entry("login", None, Some(username), ip, Outcome::Failure, Some("bad_credentials"))).await?;
            return Err(ApiError::InvalidCredentials(format!("{BAD_CREDENTIALS}（再错{}次将锁定账号）", sec.lock_after_failures - failures)));
        }
        (_, Counted::Source { key, failures }) => {
            guard::failed(&state.db, &key).await?;
            audit::record(&state.db, entry("login", None, Some(username), ip, Outcome::Failure, Some("bad_credentials"))).await?;
            if failures >= sec.lock_after_failures {
                return Err(ApiError::Locked(delay_message(now + Duration::minutes(guard::delay_minutes(failures - sec.lock_after_failures)))));
            }
            return Err(ApiError::InvalidCredentials(format!("{BAD_CREDENTIALS}（再错{}次将暂停登录）", sec.lock_after_failures - failures)));
        }
        // Attempts are counted on the account only when it exists.
        (None, Counted::Account(_)) => return Err(ApiError::InvalidCredentials(BAD_CREDENTIALS.into())),
    };
    if u.status != "active" {
        audit::record(&state.db, entry("login", None, Some(username), ip, Outcome::Failure, Some("disabled"))).await?;
        return Err(ApiError::Forbidden("账号已停用，请联系管理员".into()));
    }
    sign_in(&state, &u, ip, &headers, "password").await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SmsLoginRequest {
    pub phone: String,
    pub sms_code: String,
}

fn parse_phone(field: &str, raw: &str) -> ApiResult<Phone> {
    Phone::parse(raw).map_err(|e| ApiError::validation(field, e.to_string()))
}

/// Sign-in with an SMS code (the code was sent after a captcha).
#[utoipa::path(post, path = "/api/auth/login/sms", tag = "accounts", request_body = SmsLoginRequest,
    responses((status = 200, body = UserEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 423, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn login_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SmsLoginRequest>,
) -> ApiResult<Response> {
    limit_login_attempts(&state, &ip).await?;
    let phone = parse_phone("phone", &req.phone)?;
    sms_codes::verify(&state.db, &state.crypto, state.config.sms.code_max_attempts, phone.as_str(), SmsPurpose::Login, &req.sms_code).await?;
    let masked = phone.masked();
    let Some(u) = super::find_by_phone(&state.db, &state.crypto, phone.as_str()).await? else {
        audit::record(&state.db, entry("login", None, Some(&masked), ip, Outcome::Failure, Some("unknown_phone"))).await?;
        return Err(ApiError::validation("phone", "该手机号未注册"));
    };
    // A lock after wrong passwords does not stop sign-in by SMS code: the code proves the phone is in hand
    // (its own attempts are limited per number), so wrong guesses by a stranger cannot lock the owner out
    // (issue 13: malicious lockout). Signing in this way ends the lock.
    if u.status != "active" {
        audit::record(&state.db, entry("login", None, Some(&masked), ip, Outcome::Failure, Some("disabled"))).await?;
        return Err(ApiError::Forbidden("账号已停用，请联系管理员".into()));
    }
    sign_in(&state, &u, ip, &headers, "sms").await
}

/// Ends the current session (idempotent: signing out twice is not an error).
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, ClientIp(ip): ClientIp, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = session::token_from_headers(&headers) {
        if let Some(user) = session::resolve(&state, &token).await? {
            audit::record(&state.db, entry("logout", Some(&user), None, ip, Outcome::Success, None)).await?;
        }
        session::destroy(&state.db, &token).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session::clear_cookie(&state.config.session))]).into_response())
}

/// The signed-in user or `null`: what every page asks when it loads, so an anonymous visit is an answer,
/// not an error in the browser's console. `/api/auth/me` (401 when signed out) stays for clients that want it.
#[utoipa::path(get, path = "/api/auth/session", tag = "accounts", responses((status = 200, body = SessionView)))]
pub async fn get_session(user: Option<CurrentUser>) -> Json<SessionView> {
    Json(SessionView { user: user.map(Into::into) })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub user: Option<UserView>,
}

/// The signed-in user, or 401.
#[utoipa::path(get, path = "/api/auth/me", tag = "accounts",
    responses((status = 200, body = UserEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn get_me(user: CurrentUser) -> Json<UserEnvelope> {
    Json(UserEnvelope { user: user.into() })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaptchaView {
    pub id: String,
    /// `data:image/png;base64,…`
    pub image: String,
    /// Only with the test-only setting `test_expose_captcha`; always null otherwise.
    pub answer: Option<String>,
}

/// A new graphical captcha (valid a few minutes, answers once).
#[utoipa::path(get, path = "/api/captcha", tag = "accounts",
    responses((status = 200, body = CaptchaView), (status = 429, body = ErrorEnvelope)))]
pub async fn get_captcha(State(state): State<AppState>, ClientIp(ip): ClientIp) -> ApiResult<Json<CaptchaView>> {
    let key = format!("captcha:{}", ip.as_deref().unwrap_or("unknown"));
    if !crate::ratelimit::hit(&state.db, &key, Duration::minutes(1), state.config.security.captcha_per_minute_per_ip).await? {
        return Err(ApiError::TooManyRequests("验证码请求过于频繁，请稍后再试".into()));
    }
    let issued = captcha::issue(&state.db, state.config.security.captcha_ttl_seconds).await?;
    Ok(Json(CaptchaView {
        id: issued.id,
        image: format!("data:image/png;base64,{}", issued.png_base64),
        answer: state.config.security.test_expose_captcha.then_some(issued.answer),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordPolicyView {
    pub min_len: usize,
    pub max_len: usize,
    pub min_classes: u8,
    pub description: String,
}

#[utoipa::path(get, path = "/api/auth/password-policy", tag = "accounts", responses((status = 200, body = PasswordPolicyView)))]
pub async fn get_password_policy(State(state): State<AppState>) -> Json<PasswordPolicyView> {
    let p = state.config.password_policy();
    Json(PasswordPolicyView { min_len: p.min_len, max_len: p.max_len, min_classes: p.min_classes, description: p.describe() })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SendSmsRequest {
    pub phone: String,
    pub purpose: SmsPurpose,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SmsSent {
    /// Seconds before another code may be requested.
    pub interval_seconds: i64,
    pub expires_in_seconds: i64,
}

/// Sends an SMS code after a captcha. Registering needs a free number; signing in and resetting a
/// password need a registered one; changing the bound phone needs a signed-in user and a free number.
#[utoipa::path(post, path = "/api/sms/send", tag = "accounts", request_body = SendSmsRequest,
    responses((status = 200, body = SmsSent), (status = 401, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
pub async fn send_sms(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: Option<CurrentUser>,
    ApiJson(req): ApiJson<SendSmsRequest>,
) -> ApiResult<Json<SmsSent>> {
    let phone = parse_phone("phone", &req.phone)?;
    let key = format!("sms:{}", ip.as_deref().unwrap_or("unknown"));
    if !crate::ratelimit::hit(&state.db, &key, Duration::hours(1), state.config.sms.per_ip_per_hour).await? {
        return Err(ApiError::TooManyRequests("获取验证码过于频繁，请稍后再试".into()));
    }
    captcha::verify(&state.db, req.captcha_id.as_deref(), req.captcha_answer.as_deref()).await?;
    let registered = super::find_by_phone(&state.db, &state.crypto, phone.as_str()).await?.is_some();
    match req.purpose {
        SmsPurpose::Register if registered => return Err(ApiError::Conflict("该手机号已注册，请直接登录".into())),
        SmsPurpose::Login | SmsPurpose::ResetPassword if !registered => {
            return Err(ApiError::validation("phone", "该手机号未注册"));
        }
        SmsPurpose::ChangePhone => {
            if user.is_none() {
                return Err(ApiError::Unauthenticated);
            }
            if registered {
                return Err(ApiError::Conflict("该手机号已被其他账号绑定".into()));
            }
        }
        _ => {}
    }
    sms_codes::issue(&state, phone.as_str(), req.purpose).await?;
    Ok(Json(SmsSent { interval_seconds: state.config.sms.interval_seconds, expires_in_seconds: state.config.sms.code_ttl_seconds }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    pub phone: String,
    pub sms_code: String,
    pub new_password: String,
    pub confirm_password: String,
}

fn forbidden_parts<'a>(username: &'a str, phone: Option<&'a str>) -> Vec<&'a str> {
    let mut v = vec![username];
    if let Some(p) = phone {
        v.push(p);
    }
    v
}

/// Checks a new password against the policy, the confirmation, and the recent ones.
async fn check_new_password(state: &AppState, u: &user::Model, new: &str, confirm: &str) -> ApiResult<()> {
    if new != confirm {
        return Err(ApiError::validation("confirm_password", "两次输入的密码不一致"));
    }
    let phone = u.phone_cipher.as_deref().and_then(|c| state.crypto.decrypt(c));
    state
        .config
        .password_policy()
        .check(new, &forbidden_parts(&u.username, phone.as_deref()))
        .map_err(|e| ApiError::validation("new_password", e.to_string()))?;
    let recent = password_history::Entity::find()
        .filter(password_history::Column::UserId.eq(u.id.clone()))
        .order_by_desc(password_history::Column::CreatedAt)
        .limit(state.config.security.password_history.max(1) as u64)
        .all(&state.db)
        .await?;
    let mut hashes: Vec<String> = recent.into_iter().map(|h| h.password_hash).collect();
    hashes.push(u.password_hash.clone());
    let reused = state.passwords.matches_any(new, hashes).await?;
    if reused {
        return Err(ApiError::validation(
            "new_password",
            format!("新密码不能与当前密码或最近{}次使用过的密码相同", state.config.security.password_history),
        ));
    }
    Ok(())
}

/// Stores a new password, records it in the history and ends every session of the user.
pub(super) async fn store_password(state: &AppState, user_id: &str, new: &str, must_change: bool) -> ApiResult<()> {
    let hash = state.passwords.hash(new).await?.as_str().to_string();
    let txn = crate::db::begin_write(&state.db).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(user_id.to_string()),
        password_hash: Set(hash.clone()),
        must_change_password: Set(must_change),
        failed_logins: Set(0),
        locked_until: Set(None),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    password_history::Entity::insert(password_history::ActiveModel {
        id: Default::default(),
        user_id: Set(user_id.to_string()),
        password_hash: Set(hash),
        created_at: Set(Utc::now()),
    })
    .exec(&txn)
    .await?;
    session::destroy_all_for_user(&txn, user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Forgot password: phone, SMS code, the new password twice.
#[utoipa::path(post, path = "/api/auth/password/reset", tag = "accounts", request_body = ResetPasswordRequest,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn reset_password(State(state): State<AppState>, ClientIp(ip): ClientIp, ApiJson(req): ApiJson<ResetPasswordRequest>) -> ApiResult<StatusCode> {
    limit_login_attempts(&state, &ip).await?;
    let phone = parse_phone("phone", &req.phone)?;
    let Some(u) = super::find_by_phone(&state.db, &state.crypto, phone.as_str()).await? else {
        return Err(ApiError::validation("phone", "该手机号未注册"));
    };
    check_new_password(&state, &u, &req.new_password, &req.confirm_password).await?;
    sms_codes::verify(&state.db, &state.crypto, state.config.sms.code_max_attempts, phone.as_str(), SmsPurpose::ResetPassword, &req.sms_code).await?;
    store_password(&state, &u.id, &req.new_password, false).await?;
    let masked = phone.masked();
    audit::record(&state.db, entry("password_reset", None, Some(&masked), ip, Outcome::Success, None)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub old_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

/// Change one's own password; every session of the user ends, so the client signs in again.
#[utoipa::path(post, path = "/api/auth/password", tag = "accounts", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn change_password(State(state): State<AppState>, current: CurrentUser, ApiJson(req): ApiJson<ChangePasswordRequest>) -> ApiResult<Response> {
    let u = user::Entity::find_by_id(current.user_id.clone()).one(&state.db).await?.ok_or(ApiError::Unauthenticated)?;
    let ok = state.passwords.verify(&req.old_password, Some(u.password_hash.clone())).await?;
    if !ok {
        audit::record(&state.db, entry("password_change", Some(&current), None, current.ip.clone(), Outcome::Failure, Some("bad_old_password"))).await?;
        return Err(ApiError::validation("old_password", "原密码错误"));
    }
    check_new_password(&state, &u, &req.new_password, &req.confirm_password).await?;
    store_password(&state, &u.id, &req.new_password, false).await?;
    audit::record(&state.db, entry("password_change", Some(&current), None, current.ip.clone(), Outcome::Success, None)).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session::clear_cookie(&state.config.session))]).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePhoneRequest {
    pub new_phone: String,
    pub sms_code: String,
    /// The account's current password: a session alone (a borrowed computer, a stolen cookie) must not rebind
    /// the number that resets the password.
    pub current_password: String,
}

/// Rebind one's phone number, proven by the current password and an SMS code sent to the new number. The old
/// number is told, and every other session of the account ends.
#[utoipa::path(post, path = "/api/auth/phone", tag = "accounts", request_body = ChangePhoneRequest,
    responses((status = 200, body = UserEnvelope), (status = 401, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 423, body = ErrorEnvelope)))]
pub async fn change_phone(State(state): State<AppState>, current: CurrentUser, headers: HeaderMap, ApiJson(req): ApiJson<ChangePhoneRequest>) -> ApiResult<Json<UserEnvelope>> {
    if req.current_password.is_empty() {
        return Err(ApiError::validation("current_password", "请输入当前登录密码"));
    }
    let phone = parse_phone("new_phone", &req.new_phone)?;
    let new_hash = state.crypto.lookup_hash(phone.as_str());
    if phone_login::Entity::find_by_id(new_hash.clone()).one(&state.db).await?.is_some() {
        return Err(ApiError::Conflict("该手机号已被其他账号绑定".into()));
    }
    let me = user::Entity::find_by_id(current.user_id.clone()).one(&state.db).await?.ok_or(ApiError::Unauthenticated)?;
    // A wrong password here counts like a wrong sign-in (the same lock), so a session cannot be used to guess it.
    let Some(failures) = claim_attempt(&state.db, &me.id).await? else {
        return Err(ApiError::Locked("密码错误次数过多，账号已锁定，请稍后再试".into()));
    };
    if !state.passwords.verify(&req.current_password, Some(me.password_hash.clone())).await? {
        audit::record(&state.db, entry("phone_change", Some(&current), None, current.ip.clone(), Outcome::Failure, Some("bad_password"))).await?;
        let sec = &state.config.security;
        if failures >= sec.lock_after_failures {
            let until = lock(&state.db, &me.id, sec.lock_minutes).await?;
            return Err(ApiError::Locked(lock_message(until)));
        }
        return Err(ApiError::validation("current_password", "当前登录密码不正确"));
    }
    reset_failures(&state.db, &me.id).await?;
    sms_codes::verify(&state.db, &state.crypto, state.config.sms.code_max_attempts, phone.as_str(), SmsPurpose::ChangePhone, &req.sms_code).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(current.user_id.clone()),
        phone_cipher: Set(Some(state.crypto.encrypt(phone.as_str()))),
        phone_hash: Set(Some(new_hash.clone())),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    // An account that signed in by phone keeps doing so with the new number.
    let had_phone_login = phone_login::Entity::delete_many().filter(phone_login::Column::UserId.eq(current.user_id.clone())).exec(&txn).await?;
    if had_phone_login.rows_affected > 0 {
        phone_login::Entity::insert(phone_login::ActiveModel { phone_hash: Set(new_hash), user_id: Set(current.user_id.clone()) }).exec(&txn).await?;
    }
    // Other browsers signed in to the account are signed out; this one stays.
    let this_session = session::token_from_headers(&headers).map(|t| session::token_hash(&t)).unwrap_or_default();
    crate::auth::entity::session::Entity::delete_many()
        .filter(crate::auth::entity::session::Column::UserId.eq(current.user_id.clone()))
        .filter(crate::auth::entity::session::Column::TokenHash.ne(this_session))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    audit::record(&state.db, entry("phone_change", Some(&current), None, current.ip.clone(), Outcome::Success, None)).await?;
    // The old number hears of it, so an owner whose session was used by someone else finds out.
    if let Some(old) = me.phone_cipher.as_deref().and_then(|c| state.crypto.decrypt(c)) {
        let text = format!(
            "【数转平台】您的账号绑定手机号已于{}更换为{}。如非本人操作，请立即联系平台运营中心。",
            crate::time::display(Utc::now()),
            phone.masked()
        );
        if let Err(e) = crate::sms::send(&state.db, &state.config.sms, &state.crypto, &old, &text).await {
            tracing::warn!(error = %e, "could not tell the old number of a phone change");
        }
    }
    let mut updated = current.clone();
    updated.phone_masked = Some(phone.masked());
    Ok(Json(UserEnvelope { user: updated.into() }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    pub phone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    pub phone: String,
    pub text: String,
    pub sent_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxList {
    pub items: Vec<OutboxItem>,
}

/// Development only: messages the log SMS gateway "sent" to a number, newest first. 404 in production
/// or with a real gateway.
#[utoipa::path(get, path = "/api/dev/sms-outbox", tag = "development", params(OutboxQuery),
    responses((status = 200, body = OutboxList), (status = 404, body = ErrorEnvelope)))]
pub async fn list_sms_outbox(State(state): State<AppState>, Query(q): Query<OutboxQuery>) -> ApiResult<Json<OutboxList>> {
    use crate::config::{Mode, SmsGateway};
    use crate::sms::outbox;
    if state.config.mode != Mode::Development || state.config.sms.gateway != SmsGateway::Log {
        return Err(ApiError::NotFound("接口不存在".into()));
    }
    let phone = parse_phone("phone", &q.phone)?;
    let rows = outbox::Entity::find()
        .filter(outbox::Column::PhoneHash.eq(state.crypto.lookup_hash(phone.as_str())))
        .order_by_desc(outbox::Column::Id)
        .limit(20)
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| OutboxItem { phone: phone.as_str().to_string(), text: r.text, sent_at: crate::time::api(r.sent_at) })
        .collect();
    Ok(Json(OutboxList { items }))
}
