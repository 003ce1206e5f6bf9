//! Accounts: users, roles, sign-in and server-side sessions.
//!
//! The foundation holds password sign-in for users created by `create-admin` and `seed-demo`; the
//! accounts issue adds registration, captcha, SMS codes and lockouts on top of the same session store.

pub mod entity;
mod handlers;
pub mod password;
pub mod session;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::orgs::OrgSummary;
use crate::state::AppState;

pub use handlers::{LoginRequest, UserView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::login))
        .routes(routes!(handlers::logout))
        .routes(routes!(handlers::get_me))
}

/// Roles grant capabilities; the organization (and its region) scopes the data they apply to.
/// System, security and audit administration are separate roles (separation of duties, GB/T 22239 level 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform configuration, flows, organizations.
    SystemAdmin,
    /// Accounts, roles, unlocking.
    SecurityAdmin,
    /// Reads the audit log; changes nothing.
    AuditAdmin,
    /// Administers its own organization (departments, sub-accounts).
    OrgAdmin,
    /// An ordinary member of its organization.
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin, Role::OrgAdmin, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::OrgAdmin => "org_admin",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The signed-in user of a request, resolved from the session cookie. Taking it as a handler argument is
/// what makes an endpoint require sign-in.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
    pub organization: OrgSummary,
    pub ip: Option<String>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token = session::token_from_headers(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let mut user = session::resolve(state, &token).await?.ok_or(ApiError::Unauthenticated)?;
        user.ip = client_ip(parts);
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The peer address. Behind a reverse proxy this is the proxy; trusting forwarded headers needs a
/// configured proxy list and comes with the deployment docs.
pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
}

pub struct NewUser<'a> {
    pub organization_id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub roles: &'a [Role],
    pub must_change_password: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("用户名「{0}」已存在")]
    UsernameTaken(String),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<entity::user::Model>, DbErr> {
    entity::user::Entity::find().filter(entity::user::Column::Username.eq(username)).one(db).await
}

pub async fn create_user(db: &impl ConnectionTrait, new: NewUser<'_>) -> Result<entity::user::Model, CreateUserError> {
    if find_by_username(db, new.username).await?.is_some() {
        return Err(CreateUserError::UsernameTaken(new.username.to_string()));
    }
    let now = Utc::now();
    let user = entity::user::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(new.organization_id.to_string()),
        username: Set(new.username.to_string()),
        display_name: Set(new.display_name.to_string()),
        password_hash: Set(password::hash(new.password)?),
        status: Set("active".into()),
        must_change_password: Set(new.must_change_password),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
    };
    let user = entity::user::Entity::insert(user).exec_with_returning(db).await?;
    for role in new.roles {
        entity::user_role::Entity::insert(entity::user_role::ActiveModel {
            user_id: Set(user.id.clone()),
            role: Set(role.as_str().to_string()),
        })
        .exec(db)
        .await?;
    }
    Ok(user)
}
