//! Accounts: users, roles, sign-in and server-side sessions.
//!
//! The foundation holds password sign-in for users created by `create-admin` and `seed-demo`; the
//! accounts issue adds registration, captcha, SMS codes and lockouts on top of the same session store.

pub mod captcha;
pub mod entity;
mod handlers;
pub mod password;
mod register;
pub mod session;
pub mod sms_codes;
pub mod unified_identity;
mod users;
pub use register::SERVICE_SCOPES;
pub use users::generate_password;

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
        .routes(routes!(handlers::login_sms))
        .routes(routes!(unified_identity::start))
        .routes(routes!(unified_identity::callback))
        .routes(routes!(handlers::logout))
        .routes(routes!(handlers::get_me))
        .routes(routes!(handlers::get_captcha))
        .routes(routes!(handlers::get_password_policy))
        .routes(routes!(handlers::send_sms))
        .routes(routes!(handlers::reset_password))
        .routes(routes!(handlers::change_password))
        .routes(routes!(handlers::change_phone))
        .routes(routes!(handlers::list_sms_outbox))
        .routes(routes!(register::register))
        .routes(routes!(register::list_service_scopes))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::update_user, users::delete_user))
        .routes(routes!(users::reset_user_password))
        .routes(routes!(users::unlock_user))
        .routes(routes!(users::get_user_phone))
        .routes(routes!(users::set_user_roles))
        .routes(routes!(users::list_permissions))
}

/// Roles grant capabilities; the organization (and its region) scopes the data they apply to.
/// System, security and audit administration are separate roles (separation of duties, GB/T 22239 level 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ToSchema)]
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
    /// An ordinary member of its organization; what it may do is set by its menu permissions.
    Member,
    /// A reviewing expert (product and acceptance reviews), usually in an agency or the expert pool.
    Expert,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin, Role::OrgAdmin, Role::Member, Role::Expert];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::OrgAdmin => "org_admin",
            Role::Member => "member",
            Role::Expert => "expert",
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
    pub phone_masked: Option<String>,
    /// Menu permission keys granted to a member (admins hold every permission of their organization).
    pub permissions: Vec<String>,
    pub ip: Option<String>,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses unless the user holds one of `roles`. The denial is the caller's to audit.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|r| self.has_role(*r)) { Ok(()) } else { Err(ApiError::Forbidden("无权进行此操作".into())) }
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
        // A one-time or initial password must be replaced before the account does anything else.
        if user.must_change_password && !MAY_USE_BEFORE_PASSWORD_CHANGE.contains(&parts.uri.path()) {
            return Err(ApiError::PasswordChangeRequired);
        }
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

const MAY_USE_BEFORE_PASSWORD_CHANGE: &[&str] = &["/api/auth/me", "/api/auth/password", "/api/auth/logout"];

/// `Option<CurrentUser>`: the user when signed in, `None` otherwise (for endpoints open to both).
impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(u) => Ok(Some(u)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
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
    /// Hashed before the transaction that creates the user begins (`state.passwords.hash`), so no
    /// transaction waits for a hashing slot.
    pub password: &'a password::Hashed,
    pub roles: &'a [Role],
    pub must_change_password: bool,
    /// Stored encrypted; with `phone_login` the number also signs in (one account per number).
    pub phone: Option<&'a str>,
    pub phone_login: bool,
}

/// The `users.username` column's length.
pub const MAX_USERNAME_CHARS: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("用户名「{0}」已存在")]
    UsernameTaken(String),
    #[error("该手机号已注册")]
    PhoneTaken,
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// The account that signs in with this phone number, if any.
pub async fn find_by_phone(
    db: &impl ConnectionTrait,
    crypto: &crate::crypto::FieldCrypto,
    phone: &str,
) -> Result<Option<entity::user::Model>, DbErr> {
    let Some(link) = entity::phone_login::Entity::find_by_id(crypto.lookup_hash(phone)).one(db).await? else { return Ok(None) };
    entity::user::Entity::find_by_id(link.user_id).one(db).await
}

pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<entity::user::Model>, DbErr> {
    entity::user::Entity::find().filter(entity::user::Column::Username.eq(username)).one(db).await
}

pub async fn create_user(
    db: &impl ConnectionTrait,
    crypto: &crate::crypto::FieldCrypto,
    new: NewUser<'_>,
) -> Result<entity::user::Model, CreateUserError> {
    if find_by_username(db, new.username).await?.is_some() {
        return Err(CreateUserError::UsernameTaken(new.username.to_string()));
    }
    let phone_hash = new.phone.map(|p| crypto.lookup_hash(p));
    if new.phone_login
        && let Some(h) = &phone_hash
        && entity::phone_login::Entity::find_by_id(h.clone()).one(db).await?.is_some()
    {
        return Err(CreateUserError::PhoneTaken);
    }
    let now = Utc::now();
    let password_hash = new.password.as_str().to_string();
    let user = entity::user::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(new.organization_id.to_string()),
        username: Set(new.username.to_string()),
        display_name: Set(new.display_name.to_string()),
        password_hash: Set(password_hash.clone()),
        status: Set("active".into()),
        must_change_password: Set(new.must_change_password),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        phone_cipher: Set(new.phone.map(|p| crypto.encrypt(p))),
        phone_hash: Set(phone_hash.clone()),
        email: Set(None),
        user_type: Set(None),
        department_id: Set(None),
        identity_type: Set(None),
        identity_cipher: Set(None),
        remarks: Set(None),
        permissions: Set(None),
        failed_logins: Set(0),
        locked_until: Set(None),
    };
    let user = entity::user::Entity::insert(user).exec_with_returning(db).await?;
    entity::password_history::Entity::insert(entity::password_history::ActiveModel {
        id: Default::default(),
        user_id: Set(user.id.clone()),
        password_hash: Set(password_hash),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    if new.phone_login
        && let Some(h) = phone_hash
    {
        entity::phone_login::Entity::insert(entity::phone_login::ActiveModel { phone_hash: Set(h), user_id: Set(user.id.clone()) })
            .exec(db)
            .await?;
    }
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
