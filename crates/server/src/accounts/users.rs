//! Users inside an organization: sub-accounts (001 §1.4.9) and government users (003 §4.1.2).
//! Every operation is scoped to the caller's own organization; another organization's user answers 404.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use rand::Rng;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::directory::{user, user_role};
use super::NewUser;
use crate::auth::{CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::directory::OrgKind;
use crate::http::listing::Page;
use crate::state::AppState;

/// Menu permissions a member can be given, per organization kind (admins hold all of them).
pub fn permissions_for(kind: OrgKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        OrgKind::Enterprise => &[("org_profile", "企业信息"), ("projects", "项目管理"), ("assessment", "数字化诊断评估"), ("demands", "我的需求"), ("applications", "申报管理")],
        OrgKind::Provider | OrgKind::LeadUnit => &[("org_profile", "企业信息"), ("provider_applications", "服务商申报"), ("products", "我的产品"), ("orders", "订单管理"), ("vouchers", "服务券兑付")],
        OrgKind::Government => &[("reviews", "审核办理"), ("calls", "申报管理"), ("projects_center", "项目中心"), ("enterprises", "企业管理"), ("departments", "部门管理")],
        OrgKind::Agency => &[("org_profile", "单位信息"), ("reviews", "审核办理"), ("diagnoses", "诊断评估")],
        OrgKind::Operator => &[("org_profile", "单位信息"), ("reviews", "审核办理")],
    }
}

const USER_TYPES: &[(&str, &str)] = &[
    ("city_section_leader", "市科室领导"),
    ("city_section_member", "市科室经办"),
    ("district_admin", "区县管理员"),
    ("district_member", "区县经办"),
    ("town_admin", "镇街管理员"),
    ("other", "其他"),
];
const IDENTITY_TYPES: &[&str] = &["居民身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他"];

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionItem {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionList {
    pub items: Vec<PermissionItem>,
}

/// Menu permissions assignable in the caller's organization.
#[utoipa::path(get, path = "/api/permissions", tag = "accounts", responses((status = 200, body = PermissionList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_permissions(user: CurrentUser) -> Json<PermissionList> {
    Json(PermissionList {
        items: permissions_for(user.organization.kind).iter().map(|(k, l)| PermissionItem { key: (*k).into(), label: (*l).into() }).collect(),
    })
}

/// User management belongs to the organization's administrator and the security administrator; a
/// provider may add sub-accounts only once certified (001 §1.4.9).
async fn require_user_admin(state: &AppState, caller: &CurrentUser) -> ApiResult<()> {
    caller.require_any(&[Role::OrgAdmin, Role::SecurityAdmin])?;
    if caller.organization.kind == OrgKind::Provider {
        let p = crate::directory::profile::Entity::find_by_id(caller.organization.id.clone()).one(&state.db).await?;
        if p.is_none_or(|p| p.certification_status != crate::directory::profile::CertificationStatus::Certified) {
            return Err(ApiError::Forbidden("服务商认证通过后才能管理用户".into()));
        }
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub phone_masked: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<Role>,
    pub permissions: Vec<String>,
    /// `active` or `disabled`.
    pub status: String,
    pub locked: bool,
    pub department_id: Option<String>,
    pub user_type: Option<String>,
    pub identity_type: Option<String>,
    pub identity_number_masked: Option<String>,
    pub remarks: Option<String>,
    pub created_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedUserList {
    pub items: Vec<ManagedUser>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

async fn roles_of(state: &AppState, user_id: &str) -> ApiResult<Vec<Role>> {
    Ok(user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect())
}

async fn view(state: &AppState, u: user::Model) -> ApiResult<ManagedUser> {
    let roles = roles_of(state, &u.id).await?;
    let decrypt = |c: &Option<String>| c.as_deref().and_then(|c| state.crypto.decrypt(c));
    Ok(ManagedUser {
        phone_masked: decrypt(&u.phone_cipher).map(|p| crate::crypto::mask_phone(&p)),
        identity_number_masked: decrypt(&u.identity_cipher).map(|v| crate::crypto::mask_middle(&v)),
        permissions: u.permissions.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default(),
        locked: u.locked_until.is_some_and(|t| t > Utc::now()),
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        email: u.email,
        roles,
        status: u.status,
        department_id: u.department_id,
        user_type: u.user_type,
        identity_type: u.identity_type,
        remarks: u.remarks,
        created_at: crate::time::api(u.created_at),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub page: Option<u64>,
    pub page_size: Option<u64>,
    /// Part of the username or name.
    pub q: Option<String>,
}

/// The organization's users (deleted ones excluded), newest first.
#[utoipa::path(get, path = "/api/users", tag = "accounts", params(UserQuery),
    responses((status = 200, body = ManagedUserList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_users(State(state): State<AppState>, caller: CurrentUser, Query(q): Query<UserQuery>) -> ApiResult<Json<ManagedUserList>> {
    require_user_admin(&state, &caller).await?;
    let Page { page, page_size } = Page::parse(q.page, q.page_size)?;
    let mut query = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(caller.organization.id.clone()))
        .filter(user::Column::Status.ne("deleted"));
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        use sea_orm::sea_query::{Expr, ExprTrait};
        query = query.filter(
            Condition::any()
                .add(ExprTrait::like(Expr::col(user::Column::Username), crate::http::listing::contains(text)))
                .add(ExprTrait::like(Expr::col(user::Column::DisplayName), crate::http::listing::contains(text))),
        );
    }
    let paginator = query.order_by_desc(user::Column::CreatedAt).paginate(&state.db, page_size);
    let total = paginator.num_items().await?;
    let mut items = Vec::new();
    for u in paginator.fetch_page(page - 1).await? {
        items.push(view(&state, u).await?);
    }
    Ok(Json(ManagedUserList { items, total, page, page_size }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserInput {
    /// 6-30 letters, digits or underscores; cannot be changed later (ignored on update).
    pub username: Option<String>,
    pub display_name: String,
    pub phone: String,
    pub email: Option<String>,
    /// Only on create.
    pub password: Option<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
    pub department_id: Option<String>,
    pub user_type: Option<String>,
    pub identity_type: Option<String>,
    pub identity_number: Option<String>,
    pub remarks: Option<String>,
    /// On update: false disables the account (and ends its sessions).
    pub enabled: Option<bool>,
}

struct ValidUser {
    phone: shuzhuan_core::Phone,
    permissions: Vec<String>,
}

async fn validate_user(state: &AppState, caller: &CurrentUser, input: &UserInput, editing: Option<&str>) -> ApiResult<ValidUser> {
    let mut errors = Vec::new();
    let mut err = |f: &str, m: &str| errors.push(FieldError { field: f.into(), message: m.into() });
    if editing.is_none() {
        let name = input.username.as_deref().unwrap_or("").trim();
        if !(6..=30).contains(&name.len()) || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            err("username", "用户名须为6-30位英文字母、数字或下划线");
        }
    }
    let display = input.display_name.trim();
    if display.is_empty() || display.chars().count() > 50 {
        err("display_name", "请输入姓名（不超过50字）");
    }
    let phone = shuzhuan_core::Phone::parse(&input.phone);
    if let Err(e) = &phone {
        errors.push(FieldError { field: "phone".into(), message: e.to_string() });
    }
    let mut err = |f: &str, m: &str| errors.push(FieldError { field: f.into(), message: m.into() });
    if let Some(email) = input.email.as_deref().filter(|e| !e.is_empty())
        && (email.len() > 100 || !email.contains('@') || email.starts_with('@') || email.ends_with('@'))
    {
        err("email", "邮箱格式不正确");
    }
    let allowed = permissions_for(caller.organization.kind);
    if input.permissions.iter().any(|p| !allowed.iter().any(|(k, _)| k == p)) {
        err("permissions", "权限选项无效");
    }
    if let Some(t) = input.user_type.as_deref().filter(|t| !t.is_empty())
        && !USER_TYPES.iter().any(|(k, _)| *k == t)
    {
        err("user_type", "用户类型无效");
    }
    if let Some(t) = input.identity_type.as_deref().filter(|t| !t.is_empty())
        && !IDENTITY_TYPES.contains(&t)
    {
        err("identity_type", "证件类型无效");
    }
    if input.identity_number.as_deref().is_some_and(|n| n.len() > 30) {
        err("identity_number", "证件号码过长");
    }
    if input.remarks.as_deref().is_some_and(|r| r.chars().count() > 200) {
        err("remarks", "备注不能超过200字");
    }
    if editing.is_none() {
        match input.password.as_deref() {
            None | Some("") => err("password", "请输入密码"),
            Some(pw) => {
                let forbidden: Vec<&str> = [input.username.as_deref().unwrap_or(""), input.phone.trim()].into_iter().filter(|s| !s.is_empty()).collect();
                if let Err(e) = state.config.password_policy().check(pw, &forbidden) {
                    errors.push(FieldError { field: "password".into(), message: e.to_string() });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation { message: "请检查标红的填写项".into(), fields: errors });
    }
    if let Some(dep) = input.department_id.as_deref().filter(|d| !d.is_empty()) {
        let found = crate::directory::department::Entity::find_by_id(dep.to_string()).one(&state.db).await?;
        if found.is_none_or(|d| d.organization_id != caller.organization.id) {
            return Err(ApiError::validation("department_id", "所属部门不存在"));
        }
    }
    let phone = phone.expect("checked above");
    // A phone number is unique within the organization (001 §1.4.9).
    let mut same_phone = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(caller.organization.id.clone()))
        .filter(user::Column::PhoneHash.eq(state.crypto.lookup_hash(phone.as_str())))
        .filter(user::Column::Status.ne("deleted"));
    if let Some(id) = editing {
        same_phone = same_phone.filter(user::Column::Id.ne(id));
    }
    if same_phone.one(&state.db).await?.is_some() {
        return Err(ApiError::ConflictField { field: "phone".into(), message: "该手机号已被本单位其他用户使用".into() });
    }
    Ok(ValidUser { phone, permissions: input.permissions.clone() })
}

async fn audit_user(state: &AppState, caller: &CurrentUser, action: &str, id: &str) -> ApiResult<()> {
    audit::record(&state.db, Entry {
        action,
        actor: Some(caller),
        username: None,
        ip: caller.ip.clone(),
        object_type: Some("user"),
        object_id: Some(id),
        outcome: Outcome::Success,
        detail: None,
    })
    .await?;
    Ok(())
}

/// What an administrator does to another account, for the separation-of-duties rules below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Edit,
    Password,
    Roles,
    Unlock,
}

/// Separation of duties (GB/T 22239 level 3, spec 10-identity): the holders of the system, security and audit
/// administrator roles are managed by the security administrator only, and the audit administrator's
/// account — whose log records what every other administrator did — is not changed through the API at all
/// (its password and roles only through the command line, `shuzhuan reset-admin-password` / `create-admin`,
/// which records the change); the security administrator may still lift its lock. Without this an
/// organization administrator of the operator could reset the audit administrator's password and read the
/// log as them.
async fn may_change(state: &AppState, caller: &CurrentUser, target_id: &str, change: Change) -> ApiResult<()> {
    let held: Vec<Role> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(target_id))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect();
    if held.contains(&Role::AuditAdmin) && change != Change::Unlock {
        return Err(ApiError::Forbidden("审计管理员的账号、密码和角色只能通过命令行维护（shuzhuan reset-admin-password），并留有记录".into()));
    }
    let admin_roles = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];
    if held.iter().any(|r| admin_roles.contains(r)) && !caller.has_role(Role::SecurityAdmin) {
        return Err(ApiError::Forbidden("仅安全管理员可管理系统、安全、审计管理员的账号".into()));
    }
    Ok(())
}

async fn own_user(state: &AppState, caller: &CurrentUser, id: &str) -> ApiResult<user::Model> {
    user::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await?
        .filter(|u| u.organization_id == caller.organization.id && u.status != "deleted")
        .ok_or_else(|| ApiError::NotFound("用户不存在".into()))
}

fn opt(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Adds a user (sub-account, or government user) to the caller's organization, role `member`.
#[utoipa::path(post, path = "/api/users", tag = "accounts", request_body = UserInput,
    responses((status = 201, body = ManagedUser), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_user(State(state): State<AppState>, caller: CurrentUser, ApiJson(input): ApiJson<UserInput>) -> ApiResult<(StatusCode, Json<ManagedUser>)> {
    require_user_admin(&state, &caller).await?;
    let v = validate_user(&state, &caller, &input, None).await?;
    let username = input.username.as_deref().unwrap_or("").trim().to_string();
    let password = state.passwords.hash(input.password.as_deref().unwrap_or("")).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let created = super::create_user(
        &txn,
        &state.crypto,
        NewUser {
            organization_id: &caller.organization.id,
            username: &username,
            display_name: input.display_name.trim(),
            password: &password,
            roles: &[Role::Member],
            must_change_password: false,
            phone: Some(v.phone.as_str()),
            phone_login: false,
        },
    )
    .await
    .map_err(|e| match e {
        super::CreateUserError::UsernameTaken(_) => ApiError::ConflictField { field: "username".into(), message: "用户名已存在".into() },
        super::CreateUserError::PhoneTaken => ApiError::ConflictField { field: "phone".into(), message: "该手机号已被使用".into() },
        super::CreateUserError::Db(d) => d.into(),
        super::CreateUserError::Other(o) => ApiError::Internal(o),
    })?;
    let u = user::Entity::update(user::ActiveModel {
        id: Set(created.id.clone()),
        email: Set(opt(&input.email)),
        permissions: Set(Some(serde_json::to_string(&v.permissions).expect("serializes"))),
        department_id: Set(opt(&input.department_id)),
        user_type: Set(opt(&input.user_type)),
        identity_type: Set(opt(&input.identity_type)),
        identity_cipher: Set(opt(&input.identity_number).map(|n| state.crypto.encrypt(&n))),
        remarks: Set(opt(&input.remarks)),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    audit_user(&state, &caller, "user_create", &u.id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, u).await?)))
}

/// Edits a user (the username never changes). Disabling ends the user's sessions.
#[utoipa::path(put, path = "/api/users/{id}", tag = "accounts", request_body = UserInput, params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = ManagedUser), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_user(State(state): State<AppState>, caller: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<UserInput>) -> ApiResult<Json<ManagedUser>> {
    require_user_admin(&state, &caller).await?;
    let existing = own_user(&state, &caller, &id).await?;
    may_change(&state, &caller, &id, Change::Edit).await?;
    let v = validate_user(&state, &caller, &input, Some(&id)).await?;
    let status = match input.enabled {
        Some(false) if id == caller.user_id => return Err(ApiError::validation("enabled", "不能停用自己的账号")),
        Some(false) => "disabled".to_string(),
        Some(true) => "active".to_string(),
        None => existing.status.clone(),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let u = user::Entity::update(user::ActiveModel {
        id: Set(id.clone()),
        display_name: Set(input.display_name.trim().to_string()),
        phone_cipher: Set(Some(state.crypto.encrypt(v.phone.as_str()))),
        phone_hash: Set(Some(state.crypto.lookup_hash(v.phone.as_str()))),
        email: Set(opt(&input.email)),
        permissions: Set(Some(serde_json::to_string(&v.permissions).expect("serializes"))),
        department_id: Set(opt(&input.department_id)),
        user_type: Set(opt(&input.user_type)),
        identity_type: Set(opt(&input.identity_type)),
        identity_cipher: Set(opt(&input.identity_number).map(|n| state.crypto.encrypt(&n)).or(existing.identity_cipher.clone())),
        remarks: Set(opt(&input.remarks)),
        status: Set(status.clone()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    if status != "active" {
        crate::auth::session::destroy_all_for_user(&txn, &id).await?;
    }
    txn.commit().await?;
    audit_user(&state, &caller, if status == "disabled" && existing.status != "disabled" { "user_disable" } else { "user_update" }, &id).await?;
    Ok(Json(view(&state, u).await?))
}

/// Deletes a user. The row stays (marked deleted) because audit entries and uploaded files refer to it;
/// the username stays taken and the account can no longer sign in.
#[utoipa::path(delete, path = "/api/users/{id}", tag = "accounts", params(("id" = String, Path, description = "user id")),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn delete_user(State(state): State<AppState>, caller: CurrentUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    require_user_admin(&state, &caller).await?;
    own_user(&state, &caller, &id).await?;
    if id == caller.user_id {
        return Err(ApiError::validation("id", "不能删除自己的账号"));
    }
    may_change(&state, &caller, &id, Change::Edit).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    user::Entity::update(user::ActiveModel { id: Set(id.clone()), status: Set("deleted".into()), phone_hash: Set(None), updated_at: Set(Utc::now()), ..Default::default() })
        .exec(&txn)
        .await?;
    super::entity::phone_login::Entity::delete_many().filter(super::entity::phone_login::Column::UserId.eq(id.clone())).exec(&txn).await?;
    crate::auth::session::destroy_all_for_user(&txn, &id).await?;
    txn.commit().await?;
    audit_user(&state, &caller, "user_delete", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OneTimePassword {
    /// Shown once; the user must change it at the next sign-in.
    pub password: String,
}

/// A one-time password that always satisfies the policy.
pub fn generate_password(len: usize) -> String {
    const SETS: [&[u8]; 4] = [b"ABCDEFGHJKLMNPQRSTUVWXYZ", b"abcdefghijkmnpqrstuvwxyz", b"23456789", b"@#%+=!?"];
    let mut rng = rand::rng();
    let mut chars: Vec<u8> = SETS.iter().map(|s| s[rng.random_range(0..s.len())]).collect();
    let all: Vec<u8> = SETS.concat();
    while chars.len() < len {
        chars.push(all[rng.random_range(0..all.len())]);
    }
    for i in (1..chars.len()).rev() {
        chars.swap(i, rng.random_range(0..=i));
    }
    String::from_utf8(chars).expect("ASCII")
}

#[utoipa::path(post, path = "/api/users/{id}/reset-password", tag = "accounts", params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = OneTimePassword), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn reset_user_password(State(state): State<AppState>, caller: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<OneTimePassword>> {
    require_user_admin(&state, &caller).await?;
    own_user(&state, &caller, &id).await?;
    if id == caller.user_id {
        return Err(ApiError::Forbidden("不能通过用户管理重置自己的密码，请在个人中心修改密码".into()));
    }
    may_change(&state, &caller, &id, Change::Password).await?;
    let password = generate_password(12);
    super::handlers::store_password(&state, &id, &password, true).await?;
    audit_user(&state, &caller, "user_password_reset", &id).await?;
    Ok(Json(OneTimePassword { password }))
}

#[utoipa::path(post, path = "/api/users/{id}/unlock", tag = "accounts", params(("id" = String, Path, description = "user id")),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn unlock_user(State(state): State<AppState>, caller: CurrentUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    require_user_admin(&state, &caller).await?;
    own_user(&state, &caller, &id).await?;
    may_change(&state, &caller, &id, Change::Unlock).await?;
    user::Entity::update(user::ActiveModel { id: Set(id.clone()), failed_logins: Set(0), locked_until: Set(None), ..Default::default() })
        .exec(&state.db)
        .await?;
    // The delays of wrong passwords from other addresses end too.
    super::guard::clear_account(&state.db, &id).await?;
    audit_user(&state, &caller, "user_unlock", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FullPhone {
    pub phone: String,
}

/// The full phone number of a user of the organization. Needs the administrator role and is audited
/// (unmasking personal data, 90-quality).
#[utoipa::path(get, path = "/api/users/{id}/phone", tag = "accounts", params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = FullPhone), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_user_phone(State(state): State<AppState>, caller: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<FullPhone>> {
    require_user_admin(&state, &caller).await?;
    let u = own_user(&state, &caller, &id).await?;
    let phone = u.phone_cipher.as_deref().and_then(|c| state.crypto.decrypt(c)).ok_or_else(|| ApiError::NotFound("未绑定手机号".into()))?;
    audit_user(&state, &caller, "unmask_phone", &id).await?;
    Ok(Json(FullPhone { phone }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RolesInput {
    pub roles: Vec<Role>,
}

/// Sets a user's roles. Organization administrators grant org_admin, member and expert; only the
/// security administrator grants the system, security and audit administrator roles; nobody changes
/// their own roles.
#[utoipa::path(put, path = "/api/users/{id}/roles", tag = "accounts", request_body = RolesInput, params(("id" = String, Path, description = "user id")),
    responses((status = 200, body = ManagedUser), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn set_user_roles(State(state): State<AppState>, caller: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<RolesInput>) -> ApiResult<Json<ManagedUser>> {
    require_user_admin(&state, &caller).await?;
    let u = own_user(&state, &caller, &id).await?;
    if id == caller.user_id {
        return Err(ApiError::Forbidden("不能修改自己的角色".into()));
    }
    may_change(&state, &caller, &id, Change::Roles).await?;
    if input.roles.is_empty() {
        return Err(ApiError::validation("roles", "请至少选择一个角色"));
    }
    let admin_roles = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];
    if input.roles.iter().any(|r| admin_roles.contains(r)) && !caller.has_role(Role::SecurityAdmin) {
        return Err(ApiError::Forbidden("仅安全管理员可授予系统、安全、审计管理员角色".into()));
    }
    // Separation of duties: one person never holds two of the three administrator roles.
    if input.roles.iter().filter(|r| admin_roles.contains(r)).count() > 1 {
        return Err(ApiError::validation("roles", "系统管理员、安全管理员、审计管理员不能由同一账号兼任"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    user_role::Entity::delete_many().filter(user_role::Column::UserId.eq(id.clone())).exec(&txn).await?;
    // Sorted first: `dedup` only drops neighbours, and a repeated role would break the primary key.
    let mut unique = input.roles.clone();
    unique.sort_by_key(|r| r.as_str());
    unique.dedup();
    for r in unique {
        user_role::Entity::insert(user_role::ActiveModel { user_id: Set(id.clone()), role: Set(r.as_str().into()) }).exec(&txn).await?;
    }
    crate::auth::session::destroy_all_for_user(&txn, &id).await?;
    txn.commit().await?;
    audit_user(&state, &caller, "user_roles_change", &id).await?;
    Ok(Json(view(&state, u).await?))
}
