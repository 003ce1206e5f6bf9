//! Accounts: sign-in (password, SMS code, unified identity) with its limits, registration, captcha, SMS codes
//! and the administration of users. The session and the signed-in user are `crate::auth`'s.
//!
//! The foundation holds password sign-in for users created by `create-admin` and `seed-demo`; the
//! accounts issue adds registration, captcha, SMS codes and lockouts on top of the same session store.

pub mod captcha;
pub mod entity;
mod guard;
mod handlers;
mod register;
pub mod sms_codes;
mod unified_sign_in;
mod users;
pub use users::generate_password;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Role;
use crate::directory::user;
use crate::state::AppState;

pub use handlers::{LoginRequest, UserView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::login))
        .routes(routes!(handlers::login_sms))
        .routes(routes!(unified_sign_in::start))
        .routes(routes!(unified_sign_in::callback))
        .routes(routes!(handlers::logout))
        .routes(routes!(handlers::get_me))
        .routes(routes!(handlers::get_session))
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

pub struct NewUser<'a> {
    pub organization_id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    /// Hashed before the transaction that creates the user begins (`state.passwords.hash`), so no
    /// transaction waits for a hashing slot.
    pub password: &'a crate::password::Hashed,
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
) -> Result<Option<user::Model>, DbErr> {
    let Some(link) = entity::phone_login::Entity::find_by_id(crypto.lookup_hash(phone)).one(db).await? else { return Ok(None) };
    user::Entity::find_by_id(link.user_id).one(db).await
}

pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await
}

pub async fn create_user(
    db: &impl ConnectionTrait,
    crypto: &crate::crypto::FieldCrypto,
    new: NewUser<'_>,
) -> Result<user::Model, CreateUserError> {
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
    let user = user::ActiveModel {
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
    let user = user::Entity::insert(user).exec_with_returning(db).await?;
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
        crate::directory::user_role::Entity::insert(crate::directory::user_role::ActiveModel {
            user_id: Set(user.id.clone()),
            role: Set(role.as_str().to_string()),
        })
        .exec(db)
        .await?;
    }
    Ok(user)
}

/// `shuzhuan reset-admin-password`: the only way to reset the password of a system, security or audit
/// administrator without the security administrator (and the only way at all for the audit administrator,
/// whom the API never changes). Sets a one-time password that must be changed at the next sign-in, ends the
/// account's sessions and records who ran the command, from which operating-system account.
pub async fn reset_admin_password(state: &crate::state::AppState, username: &str) -> Result<String, crate::error::ApiError> {
    use crate::error::ApiError;
    let u = find_by_username(&state.db, username)
        .await?
        .filter(|u| u.status != "deleted")
        .ok_or_else(|| ApiError::NotFound(format!("用户「{username}」不存在")))?;
    let roles: Vec<Role> = crate::directory::user_role::Entity::find()
        .filter(crate::directory::user_role::Column::UserId.eq(u.id.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect();
    if !roles.iter().any(|r| matches!(r, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)) {
        return Err(ApiError::Forbidden("该命令只用于系统、安全、审计管理员；其他账号由单位管理员或安全管理员在用户管理中重置".into()));
    }
    let password = generate_password(16);
    handlers::store_password(state, &u.id, &password, true).await?;
    let os_user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_default();
    crate::audit::record(
        &state.db,
        crate::audit::Entry {
            action: "admin_password_reset",
            actor: None,
            username: Some("命令行"),
            ip: None,
            object_type: Some("user"),
            object_id: Some(&u.id),
            outcome: crate::audit::Outcome::Success,
            detail: Some(serde_json::json!({ "via": "command_line", "os_user": os_user, "username": u.username })),
        },
    )
    .await?;
    Ok(password)
}
