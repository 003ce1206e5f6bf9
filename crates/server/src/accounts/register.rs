//! Registration of enterprises and service providers (000 §01, 001 §1.3.1, 002 §01): a verified phone,
//! a password, the company with its credit code, region, address, industry and contact. A provider also
//! states its service scope and waits for the operator's certification.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use shuzhuan_core::{IndustryCode, Phone, RegionCode, Uscc};
use utoipa::ToSchema;

use super::handlers::UserEnvelope;
use super::sms_codes::{self, SmsPurpose};
use super::NewUser;
use crate::auth::Role;
use crate::orgs::SERVICE_SCOPES;
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::{ApiJson, ClientIp};
use crate::directory::profile::CertificationStatus;
use crate::directory::{self, org, profile, NewOrg, OrgKind};
use crate::reference::entity::{industry, region};
use crate::state::AppState;


#[derive(Debug, Serialize, ToSchema)]
pub struct ScopeItem {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScopeList {
    pub items: Vec<ScopeItem>,
}

#[utoipa::path(get, path = "/api/providers/service-scopes", tag = "accounts", responses((status = 200, body = ScopeList)))]
pub async fn list_service_scopes() -> Json<ScopeList> {
    Json(ScopeList { items: SERVICE_SCOPES.iter().map(|(c, l)| ScopeItem { code: (*c).into(), label: (*l).into() }).collect() })
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    Enterprise,
    Provider,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub kind: RegisterKind,
    pub phone: String,
    pub sms_code: String,
    pub password: String,
    pub confirm_password: String,
    pub company_name: String,
    pub uscc: String,
    pub region_code: String,
    pub address: String,
    pub industry_code: String,
    pub contact_name: String,
    #[serde(default)]
    pub service_scope: Vec<String>,
}

/// The request parsed into domain values, or every field error at once (the form shows them all).
struct Parsed {
    phone: Phone,
    uscc: Uscc,
    region: RegionCode,
    industry: IndustryCode,
    name: String,
    address: String,
    contact: String,
    scope: Vec<String>,
}

fn parse(state: &AppState, req: &RegisterRequest) -> Result<Parsed, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
    let phone = Phone::parse(&req.phone).map_err(|e| err("phone", e.to_string())).ok();
    let uscc = Uscc::parse(&req.uscc).map_err(|e| err("uscc", e.to_string())).ok();
    let region = RegionCode::parse(&req.region_code).map_err(|_| err("region_code", "请选择所属地区".into())).ok();
    let industry = IndustryCode::parse(&req.industry_code).map_err(|_| err("industry_code", "请选择所属行业".into())).ok();
    let text = |v: &str, max: usize| -> Option<String> {
        let t = v.trim();
        (!t.is_empty() && t.chars().count() <= max).then(|| t.to_string())
    };
    let name = text(&req.company_name, 100);
    if name.is_none() {
        err("company_name", "请输入企业名称（不超过100字）".into());
    }
    let address = text(&req.address, 200);
    if address.is_none() {
        err("address", "请输入企业注册地址（不超过200字）".into());
    }
    let contact = text(&req.contact_name, 50);
    if contact.is_none() {
        err("contact_name", "请输入联系人（不超过50字）".into());
    }
    if req.password != req.confirm_password {
        err("confirm_password", "两次输入的密码不一致".into());
    }
    let forbidden: Vec<&str> = phone.as_ref().map(|p| vec![p.as_str()]).unwrap_or_default();
    if let Err(e) = state.config.password_policy().check(&req.password, &forbidden) {
        err("password", e.to_string());
    }
    let scope: Vec<String> = req.service_scope.iter().map(|s| s.trim().to_string()).collect();
    if matches!(req.kind, RegisterKind::Provider) {
        if scope.is_empty() {
            err("service_scope", "请选择服务商服务范围".into());
        } else if scope.iter().any(|s| !SERVICE_SCOPES.iter().any(|(c, _)| c == s)) {
            err("service_scope", "服务范围选项无效".into());
        }
    }
    if req.sms_code.trim().is_empty() {
        err("sms_code", "请输入短信验证码".into());
    }
    match (phone, uscc, region, industry, name, address, contact) {
        (Some(phone), Some(uscc), Some(region), Some(industry), Some(name), Some(address), Some(contact)) if errors.is_empty() => {
            Ok(Parsed { phone, uscc, region, industry, name, address, contact, scope })
        }
        _ => Err(errors),
    }
}

/// Registers an enterprise or a provider and its first account (the organization's administrator, who
/// signs in with the phone number). Nothing is stored unless everything is valid.
#[utoipa::path(post, path = "/api/register", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = UserEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn register(State(state): State<AppState>, ClientIp(ip): ClientIp, ApiJson(req): ApiJson<RegisterRequest>) -> ApiResult<(StatusCode, Json<UserEnvelope>)> {
    let key = format!("register:{}", ip.as_deref().unwrap_or("unknown"));
    if !crate::ratelimit::hit(&state.db, &key, chrono::Duration::hours(1), state.config.security.register_per_hour_per_ip).await? {
        return Err(ApiError::TooManyRequests("注册过于频繁，请稍后再试".into()));
    }
    let p = parse(&state, &req).map_err(|fields| ApiError::Validation { message: "请检查标红的填写项".into(), fields })?;
    if region::Entity::find_by_id(p.region.as_str().to_string()).one(&state.db).await?.is_none() {
        return Err(ApiError::validation("region_code", "所属地区不存在"));
    }
    if industry::Entity::find_by_id(p.industry.as_str().to_string()).one(&state.db).await?.is_none() {
        return Err(ApiError::validation("industry_code", "所属行业不存在"));
    }
    let kind = match req.kind {
        RegisterKind::Enterprise => OrgKind::Enterprise,
        RegisterKind::Provider => OrgKind::Provider,
    };
    if org::Entity::find()
        .filter(org::Column::Uscc.eq(p.uscc.as_str()))
        .filter(org::Column::Kind.eq(kind.as_str()))
        .one(&state.db)
        .await?
        .is_some()
    {
        return Err(ApiError::ConflictField { field: "uscc".into(), message: format!("该统一社会信用代码已注册为{}，请直接登录或找回密码", kind.label()) });
    }
    if super::find_by_phone(&state.db, &state.crypto, p.phone.as_str()).await?.is_some() {
        return Err(ApiError::ConflictField { field: "phone".into(), message: "该手机号已注册，请直接登录".into() });
    }
    // Hashed before the code is used up (a refusal for a busy server leaves the code valid) and before the
    // transaction (which then never waits for a hashing slot).
    let password = state.passwords.hash(&req.password).await?;
    sms_codes::verify(&state.db, &state.crypto, state.config.sms.code_max_attempts, p.phone.as_str(), SmsPurpose::Register, &req.sms_code).await?;

    let txn = crate::db::begin_write(&state.db).await?;
    let org = directory::create(
        &txn,
        NewOrg { name: &p.name, kind, uscc: Some(p.uscc.as_str()), region_code: Some(p.region.as_str()), parent_id: None },
    )
    .await?;
    profile::Entity::insert(profile::ActiveModel {
        organization_id: Set(org.id.clone()),
        certification_status: Set(if kind == OrgKind::Provider { CertificationStatus::Pending } else { CertificationStatus::None }),
        address: Set(Some(p.address.clone())),
        industry_code: Set(Some(p.industry.as_str().to_string())),
        contact_name: Set(Some(p.contact.clone())),
        contact_phone_cipher: Set(Some(state.crypto.encrypt(p.phone.as_str()))),
        service_scope: Set((!p.scope.is_empty()).then(|| serde_json::to_string(&p.scope).expect("strings serialize"))),
        updated_at: Set(Utc::now()),
        ..profile::empty(&org.id)
    })
    .exec(&txn)
    .await?;
    let username = format!("u{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let user = super::create_user(
        &txn,
        &state.crypto,
        NewUser {
            organization_id: &org.id,
            username: &username,
            display_name: &p.contact,
            password: &password,
            roles: &[Role::OrgAdmin],
            must_change_password: false,
            phone: Some(p.phone.as_str()),
            phone_login: true,
        },
    )
    .await
    .map_err(|e| match e {
        super::CreateUserError::PhoneTaken => ApiError::Conflict("该手机号已注册，请直接登录".into()),
        super::CreateUserError::UsernameTaken(_) => ApiError::Conflict("注册冲突，请重试".into()),
        super::CreateUserError::Db(d) => d.into(),
        super::CreateUserError::Other(o) => ApiError::Internal(o),
    })?;
    if kind == OrgKind::Provider {
        // 认证审核 (001): the operator reviews every new provider; the case carries what it registered.
        let region_name = region::Entity::find_by_id(p.region.as_str().to_string()).one(&txn).await?.map(|r| r.name).unwrap_or_default();
        let industry_name = industry::Entity::find_by_id(p.industry.as_str().to_string()).one(&txn).await?.map(|i| i.name).unwrap_or_default();
        let form = serde_json::json!({
            "company_name": p.name, "uscc": p.uscc.as_str(), "region_code": p.region.as_str(), "region_name": region_name,
            "address": p.address, "industry_code": p.industry.as_str(), "industry_name": industry_name, "service_scopes": p.scope,
            "introduction": "", "contact_name": p.contact, "contact_phone": p.phone.as_str(), "attachment_ids": [],
        });
        let acting = crate::review::Acting {
            user_id: user.id.clone(),
            user_name: user.display_name.clone(),
            org_id: org.id.clone(),
            org_name: org.name.clone(),
            org_kind: kind,
            ip: ip.clone(),
        };
        crate::review::submit_new_case(
            &txn,
            &state,
            crate::review::NewCase {
                kind: &crate::orgs::certification::ProviderCertification,
                owner_org_id: &org.id,
                owner_region_code: Some(p.region.as_str()),
                form,
                submit: true,
            },
            &acting,
        )
        .await?;
    }
    txn.commit().await?;
    audit::record(
        &state.db,
        Entry {
            action: "register",
            actor: None,
            username: Some(&p.phone.masked()),
            ip,
            object_type: Some("organization"),
            object_id: Some(&org.id),
            outcome: Outcome::Success,
            detail: Some(serde_json::json!({ "kind": kind.as_str(), "user_id": user.id })),
        },
    )
    .await?;
    let view = super::handlers::UserView {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organization: org.into(),
        roles: vec![Role::OrgAdmin],
        permissions: vec![],
        phone_masked: Some(p.phone.masked()),
        must_change_password: false,
    };
    Ok((StatusCode::CREATED, Json(UserEnvelope { user: view })))
}
