//! The one error type at the HTTP boundary and its JSON envelope.
//!
//! Every failure a handler returns becomes
//! `{"error":{"code":"…","message":"中文","fields":[…],"request_id":"…"}}` with a deliberate status:
//! validation 422, not found 404, conflict 409, database unavailable 503, heavy work queued too long 503 with
//! `Retry-After`, anything unexpected a logged 500 whose body says nothing about the cause.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The request field, as the client named it.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, snake_case (e.g. `validation_failed`).
    pub code: String,
    /// A Chinese message for the user.
    pub message: String,
    pub fields: Vec<FieldError>,
    /// The request id, to quote when reporting a problem (also in the `x-request-id` header).
    pub request_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    Validation { message: String, fields: Vec<FieldError> },
    #[error("{0}")]
    BadRequest(String),
    #[error("请先登录")]
    Unauthenticated,
    #[error("{0}")]
    InvalidCredentials(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("请先修改初始密码")]
    PasswordChangeRequired,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A conflict caused by one field (a username or phone already taken), shown beside that field.
    #[error("{message}")]
    ConflictField { field: String, message: String },
    #[error("{message}")]
    PayloadTooLarge { message: String },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("服务暂时不可用，请稍后重试")]
    Unavailable(String),
    /// Heavy work of this kind (password hashing, PDF rendering) already fills every slot and the request
    /// waited its turn in vain (`gate.rs`): 503 with `Retry-After: retry_after` (seconds).
    #[error("系统繁忙，请稍后重试")]
    Busy { retry_after: u64 },
    /// A refusal that carries its own stable code from the layer that decided it (the review core's
    /// `review_version_conflict`, `review_opinion_required`, …), so that clients branch on codes, never on
    /// message text.
    #[error("{message}")]
    Refused { status: StatusCode, code: &'static str, message: String, fields: Vec<FieldError> },
    #[error("系统繁忙，请稍后重试")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::Validation {
            message: message.clone(),
            fields: vec![FieldError { field: field.to_string(), message }],
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated | ApiError::InvalidCredentials(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::ConflictField { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Locked(_) => StatusCode::LOCKED,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Refused { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "validation_failed",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidCredentials(_) => "invalid_credentials",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) | ApiError::ConflictField { .. } => "conflict",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Locked(_) => "account_locked",
            ApiError::TooManyRequests(_) => "rate_limited",
            ApiError::Unavailable(_) => "service_unavailable",
            ApiError::Busy { .. } => "server_busy",
            ApiError::Refused { code, .. } => code,
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// Seconds after which the client may try again, sent as the `Retry-After` header.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Busy { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

/// The unique constraints a client can run into, by the name each database gives them: PostgreSQL names the
/// constraint or index (`… violates unique constraint "idx_products_code"`), SQLite the columns
/// (`UNIQUE constraint failed: products.code`). Each names the request field it is about and says so in
/// Chinese. The application checks these conditions first for a friendly answer; the constraint is what
/// makes the check hold when two requests race past it (as in realworld-axum-sqlx's `on_constraint`).
const UNIQUE_CONSTRAINTS: &[(&str, &str, &str, &str)] = &[
    // (PostgreSQL name, SQLite columns, field, message)
    ("users_username_key", "users.username", "username", "用户名已存在"),
    ("phone_logins_pkey", "phone_logins.phone_hash", "phone", "该手机号已注册"),
    ("uq_orgs_uscc_kind", "organizations.uscc, organizations.kind", "uscc", "该统一社会信用代码已注册"),
    ("idx_products_code", "products.code", "code", "产品编号已存在，请重试"),
    ("result_notices_program", "result_notices.program_id", "program_id", "该专题的结果已公示"),
];

/// A unique-constraint violation as a 409 naming its field (an unknown constraint still answers 409: the
/// thing exists already, whatever it is); `None` for any other database error.
pub fn unique_violation(err: &sea_orm::DbErr) -> Option<ApiError> {
    let sea_orm::SqlErr::UniqueConstraintViolation(detail) = err.sql_err()? else { return None };
    let known = UNIQUE_CONSTRAINTS.iter().find(|(pg, sqlite, _, _)| detail.contains(&format!("\"{pg}\"")) || detail.contains(sqlite));
    Some(match known {
        Some((_, _, field, message)) => ApiError::ConflictField { field: (*field).into(), message: (*message).into() },
        None => {
            tracing::warn!(%detail, "unique constraint without a field mapping");
            ApiError::Conflict("该记录已存在，请刷新后重试".into())
        }
    })
}

/// A database error is a 409 when it is a unique-constraint violation (a race the constraint settled),
/// "unavailable" when the database cannot be reached, and a bug otherwise.
impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::DbErr;
        if let Some(conflict) = unique_violation(&err) {
            return conflict;
        }
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => ApiError::Unavailable(err.to_string()),
            _ => ApiError::Internal(anyhow::Error::new(err)),
        }
    }
}

tokio::task_local! {
    /// The current request's id, set by the request-id middleware so that every error envelope carries it
    /// without threading it through each handler.
    pub static REQUEST_ID: String;
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(e) => tracing::error!(error = ?e, "unexpected error"),
            ApiError::Unavailable(detail) => tracing::warn!(%detail, "dependency unavailable"),
            _ => {}
        }
        let fields = match &self {
            ApiError::Validation { fields, .. } => fields.clone(),
            ApiError::ConflictField { field, message } => vec![FieldError { field: field.clone(), message: message.clone() }],
            ApiError::Refused { fields, .. } => fields.clone(),
            _ => vec![],
        };
        let body = ErrorEnvelope {
            error: ErrorBody { code: self.code().to_string(), message: self.to_string(), fields, request_id: REQUEST_ID.try_with(|id| id.clone()).ok() },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
