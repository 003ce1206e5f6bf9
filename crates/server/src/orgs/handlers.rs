//! The signed-in organization: its profile, information-change requests (002 §10) and its materials
//! library (upload once, reuse in applications; 003 "引入附件"). Every query is scoped to the caller's
//! own organization: there are no ids of other organizations to pass in.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directory::{org, profile, OrgSummary};
use crate::auth::{CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::review::{CaseRef, CaseState};
use crate::state::AppState;

pub mod material {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "materials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub organization_id: String,
        pub category: String,
        pub title: String,
        pub file_id: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyOrganization {
    #[serde(flatten)]
    pub summary: OrgSummary,
    pub certification_status: profile::CertificationStatus,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Default)]
pub struct ProfileView {
    /// 国有 / 民营 / 外资 / 混合所有制 / 其他
    pub nature: Option<String>,
    /// 规模以上工业企业 / 规模以下工业企业
    pub category: Option<String>,
    /// 中型 / 小型 / 微型
    pub size: Option<String>,
    pub main_product: Option<String>,
    pub sub_industry: Option<String>,
    /// 创新型中小企业 / 专精特新中小企业 / 专精特新"小巨人"企业
    pub quality_level: Option<String>,
    pub address: Option<String>,
    pub headcount: Option<i32>,
    pub digital_headcount: Option<i32>,
    pub intro: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub industry_code: Option<String>,
    pub contact_name: Option<String>,
    #[serde(default, skip_deserializing)]
    pub contact_phone_masked: Option<String>,
    /// Providers only: codes from GET /api/providers/service-scopes.
    #[serde(default)]
    pub service_scope: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyOrgEnvelope {
    pub organization: MyOrganization,
    pub profile: ProfileView,
}

const NATURES: &[&str] = &["国有", "民营", "外资", "混合所有制", "其他"];
const CATEGORIES: &[&str] = &["规模以上工业企业", "规模以下工业企业"];
const SIZES: &[&str] = &["中型", "小型", "微型"];
const QUALITY: &[&str] = &["创新型中小企业", "专精特新中小企业", "专精特新\"小巨人\"企业"];

async fn load(state: &AppState, org_id: &str) -> ApiResult<MyOrgEnvelope> {
    let o = org::Entity::find_by_id(org_id.to_string()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    let p = profile::Entity::find_by_id(org_id.to_string()).one(&state.db).await?;
    let json_list = |v: &Option<String>| -> Vec<String> { v.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default() };
    let (status, view) = match p {
        Some(p) => (
            p.certification_status,
            ProfileView {
                nature: p.nature,
                category: p.category,
                size: p.size,
                main_product: p.main_product,
                sub_industry: p.sub_industry,
                quality_level: p.quality_level,
                address: p.address,
                headcount: p.headcount,
                digital_headcount: p.digital_headcount,
                intro: p.intro,
                tags: json_list(&p.tags),
                industry_code: p.industry_code,
                contact_name: p.contact_name,
                contact_phone_masked: p.contact_phone_cipher.as_deref().and_then(|c| state.crypto.decrypt(c)).map(|v| crate::crypto::mask_phone(&v)),
                service_scope: json_list(&p.service_scope),
            },
        ),
        None => (profile::CertificationStatus::None, ProfileView::default()),
    };
    Ok(MyOrgEnvelope { organization: MyOrganization { summary: o.into(), certification_status: status }, profile: view })
}

/// The caller's organization with its profile.
#[utoipa::path(get, path = "/api/orgs/me", tag = "orgs", responses((status = 200, body = MyOrgEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn get_my_org(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MyOrgEnvelope>> {
    Ok(Json(load(&state, &user.organization.id).await?))
}

fn choice(errors: &mut Vec<FieldError>, field: &str, value: &Option<String>, allowed: &[&str]) {
    if let Some(v) = value
        && !v.is_empty()
        && !allowed.contains(&v.as_str())
    {
        errors.push(FieldError { field: field.into(), message: format!("请从以下选项中选择：{}", allowed.join("、")) });
    }
}

fn limit(errors: &mut Vec<FieldError>, field: &str, value: &Option<String>, max: usize, label: &str) {
    if value.as_deref().is_some_and(|v| v.chars().count() > max) {
        errors.push(FieldError { field: field.into(), message: format!("{label}不能超过{max}字") });
    }
}

/// Organization administrators (or members with the 企业信息 permission) edit the profile.
fn require_profile_editor(user: &CurrentUser) -> ApiResult<()> {
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == "org_profile") {
        Ok(())
    } else {
        Err(ApiError::Forbidden("无权修改单位信息".into()))
    }
}

/// Updates the profile fields a member may change without review (the name, credit code and region
/// change only through an information-change request).
#[utoipa::path(put, path = "/api/orgs/me/profile", tag = "orgs", request_body = ProfileView,
    responses((status = 200, body = MyOrgEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_my_profile(State(state): State<AppState>, user: CurrentUser, ApiJson(p): ApiJson<ProfileView>) -> ApiResult<Json<MyOrgEnvelope>> {
    require_profile_editor(&user)?;
    let mut errors = Vec::new();
    choice(&mut errors, "nature", &p.nature, NATURES);
    choice(&mut errors, "category", &p.category, CATEGORIES);
    choice(&mut errors, "size", &p.size, SIZES);
    choice(&mut errors, "quality_level", &p.quality_level, QUALITY);
    limit(&mut errors, "main_product", &p.main_product, 200, "主营产品");
    limit(&mut errors, "sub_industry", &p.sub_industry, 100, "细分行业");
    limit(&mut errors, "address", &p.address, 200, "地址");
    limit(&mut errors, "intro", &p.intro, 500, "企业简介");
    limit(&mut errors, "contact_name", &p.contact_name, 50, "联系人");
    for (field, v) in [("headcount", p.headcount), ("digital_headcount", p.digital_headcount)] {
        if v.is_some_and(|n| !(0..=1_000_000).contains(&n)) {
            errors.push(FieldError { field: field.into(), message: "人数须为0-1000000之间的整数".into() });
        }
    }
    if let (Some(all), Some(digital)) = (p.headcount, p.digital_headcount)
        && digital > all
    {
        errors.push(FieldError { field: "digital_headcount".into(), message: "数字化人员数不能超过员工总数".into() });
    }
    if p.tags.len() > 20 || p.tags.iter().any(|t| t.trim().is_empty() || t.chars().count() > 20) {
        errors.push(FieldError { field: "tags".into(), message: "标签最多20个，每个不超过20字".into() });
    }
    let scopes = crate::orgs::SERVICE_SCOPES;
    if user.organization.kind == crate::directory::OrgKind::Provider {
        if p.service_scope.is_empty() || p.service_scope.iter().any(|s| !scopes.iter().any(|(c, _)| c == s)) {
            errors.push(FieldError { field: "service_scope".into(), message: "请选择有效的服务商服务范围".into() });
        }
    }
    if let Some(code) = &p.industry_code
        && shuzhuan_core::IndustryCode::parse(code).is_err()
    {
        errors.push(FieldError { field: "industry_code".into(), message: "行业代码无效".into() });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation { message: "请检查标红的填写项".into(), fields: errors });
    }
    let existing = profile::Entity::find_by_id(user.organization.id.clone()).one(&state.db).await?;
    let trim = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut model = match &existing {
        Some(e) => profile::ActiveModel { organization_id: Set(e.organization_id.clone()), ..Default::default() },
        None => profile::empty(&user.organization.id),
    };
    model.nature = Set(trim(p.nature));
    model.category = Set(trim(p.category));
    model.size = Set(trim(p.size));
    model.main_product = Set(trim(p.main_product));
    model.sub_industry = Set(trim(p.sub_industry));
    model.quality_level = Set(trim(p.quality_level));
    model.address = Set(trim(p.address));
    model.headcount = Set(p.headcount);
    model.digital_headcount = Set(p.digital_headcount);
    model.intro = Set(trim(p.intro));
    model.tags = Set(Some(serde_json::to_string(&p.tags.iter().map(|t| t.trim()).collect::<Vec<_>>()).expect("serializes")));
    model.industry_code = Set(trim(p.industry_code));
    model.contact_name = Set(trim(p.contact_name));
    if user.organization.kind == crate::directory::OrgKind::Provider {
        model.service_scope = Set(Some(serde_json::to_string(&p.service_scope).expect("serializes")));
    }
    model.updated_at = Set(Utc::now());
    if existing.is_some() {
        profile::Entity::update(model).exec(&state.db).await?;
    } else {
        profile::Entity::insert(model).exec(&state.db).await?;
    }
    audit::record(&state.db, Entry {
        action: "org_profile_update",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("organization"),
        object_id: Some(&user.organization.id),
        outcome: Outcome::Success,
        detail: None,
    })
    .await?;
    Ok(Json(load(&state, &user.organization.id).await?))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ChangeRequestInput {
    pub name: String,
    pub uscc: String,
    pub region_code: String,
    pub sub_industry: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestView {
    /// The review case's id (GET /api/review/cases/{id} shows its progress).
    pub id: String,
    pub status: CaseState,
    pub status_label: String,
    pub message: String,
    pub name: String,
    pub uscc: String,
    pub region_code: String,
    pub created_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeRequestList {
    pub items: Vec<ChangeRequestView>,
}

const PENDING_MESSAGE: &str = "信息变更申请已提交，待市工信局审核通过后生效";

fn change_view(state: &AppState, m: &CaseRef) -> ApiResult<ChangeRequestView> {
    let form = m.form(state)?;
    let text = |k: &str| form.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let status = m.status;
    Ok(ChangeRequestView {
        id: m.id.clone(),
        message: match m.state {
            CaseState::InReview => PENDING_MESSAGE.into(),
            CaseState::Returned => format!("信息变更申请已退回：{}。请修改后重新提交", m.latest_opinion.clone().unwrap_or_default()),
            CaseState::Approved => "信息变更已审核通过并生效".into(),
            CaseState::Rejected => format!("信息变更申请未通过：{}", m.latest_opinion.clone().unwrap_or_default()),
            _ => String::new(),
        },
        status: m.state,
        status_label: status.label().into(),
        name: text("name"),
        uscc: text("uscc"),
        region_code: text("region_code"),
        created_at: crate::time::api(m.created_at),
    })
}

/// Requests a change of the registered information (002 §10): a reviewed case of kind `info_change`,
/// submitted at once to the city bureau of the enterprise's region. It takes effect only on approval.
#[utoipa::path(post, path = "/api/orgs/me/change-requests", tag = "orgs", request_body = ChangeRequestInput,
    responses((status = 201, body = ChangeRequestView), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_change_request(State(state): State<AppState>, user: CurrentUser, ApiJson(mut req): ApiJson<ChangeRequestInput>) -> ApiResult<(StatusCode, Json<ChangeRequestView>)> {
    if !user.has_role(Role::OrgAdmin) {
        return Err(ApiError::Forbidden("仅单位管理员可申请信息变更".into()));
    }
    let mut form = serde_json::to_value(&req).expect("serializes");
    use crate::review::CaseKind;
    super::info_change::InfoChange
        .validate(&form)
        .map_err(|fields| ApiError::Validation { message: "请检查标红的填写项".into(), fields })?;
    req.uscc = shuzhuan_core::Uscc::parse(&req.uscc).map(|u| u.as_str().to_string()).unwrap_or(req.uscc);
    form["uscc"] = serde_json::Value::String(req.uscc.clone());
    let region = crate::reference::entity::region::Entity::find_by_id(req.region_code.clone())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::validation("region_code", "所属地区不存在"))?;
    form["region_name"] = serde_json::Value::String(region.name);
    crate::files::own_files(&state.db, &user.organization.id, "attachment_ids", &req.attachment_ids).await?;
    // One open change at a time. The organization's row is locked first (a no-op UPDATE: PostgreSQL holds the
    // row until commit; SQLite's write transaction already excludes other writers), so of two requests at once
    // the second reads the first's committed change and is refused; a check before the transaction let both in.
    let txn = crate::db::begin_write(&state.db).await?;
    org::Entity::update_many()
        .col_expr(org::Column::UpdatedAt, Expr::col(org::Column::UpdatedAt).into())
        .filter(org::Column::Id.eq(user.organization.id.clone()))
        .exec(&txn)
        .await?;
    if !crate::review::cases_of(&txn, &user.organization.id, super::info_change::KIND, &CaseState::OPEN).await?.is_empty() {
        return Err(ApiError::Conflict("已有未办结的信息变更申请，请等待审核完成或在“我的申请”中处理".into()));
    }
    // The change is reviewed by the authority of the region the enterprise is registered in now.
    let id = crate::review::submit_new_case(
        &txn,
        &state,
        crate::review::NewCase {
            kind: &super::info_change::InfoChange,
            owner_org_id: &user.organization.id,
            owner_region_code: user.organization.region_code.as_deref(),
            form,
            submit: true,
        },
        &crate::review::Acting::from(&user),
    )
    .await?;
    audit::record(&txn, Entry {
        action: "org_change_request",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("review_case"),
        object_id: Some(&id),
        outcome: Outcome::Success,
        detail: None,
    })
    .await?;
    txn.commit().await?;
    let created = crate::review::case_by_id(&state.db, &id).await?.ok_or_else(|| ApiError::NotFound("申请不存在".into()))?;
    Ok((StatusCode::CREATED, Json(change_view(&state, &created)?)))
}

#[utoipa::path(get, path = "/api/orgs/me/change-requests", tag = "orgs", responses((status = 200, body = ChangeRequestList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_change_requests(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ChangeRequestList>> {
    let shown = [CaseState::Draft, CaseState::InReview, CaseState::Returned, CaseState::Approved, CaseState::Rejected];
    let rows = crate::review::cases_of(&state.db, &user.organization.id, super::info_change::KIND, &shown).await?;
    let items = rows.iter().map(|m| change_view(&state, m)).collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(ChangeRequestList { items }))
}

/// The 信息变更 form's schema (docs/forms.md), as the server checks it: the web draws the form from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InfoChangeFormView {
    #[schema(value_type = Object)]
    pub schema: serde_json::Value,
}

/// The form of a change request (`data/forms/info_change.json`): any signed-in user may read it, as the list.
#[utoipa::path(get, path = "/api/orgs/me/change-requests/form", tag = "orgs", responses((status = 200, body = InfoChangeFormView), (status = 401, body = ErrorEnvelope)))]
pub async fn get_info_change_form(_user: CurrentUser) -> ApiResult<Json<InfoChangeFormView>> {
    Ok(Json(InfoChangeFormView { schema: serde_json::to_value(super::info_change::schema()).expect("a schema serializes") }))
}

const MATERIAL_CATEGORIES: &[&str] = &["营业执照", "审计报告", "资质证书", "知识产权", "信用报告", "其他"];

#[derive(Debug, Deserialize, ToSchema)]
pub struct MaterialInput {
    /// 营业执照 / 审计报告 / 资质证书 / 知识产权 / 信用报告 / 其他
    pub category: String,
    pub title: String,
    pub file_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialFile {
    pub id: String,
    pub name: String,
    pub size: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialView {
    pub id: String,
    pub category: String,
    pub title: String,
    pub file: MaterialFile,
    pub created_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialList {
    pub items: Vec<MaterialView>,
}

/// The organization's materials library.
#[utoipa::path(get, path = "/api/orgs/me/materials", tag = "orgs", responses((status = 200, body = MaterialList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_materials(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MaterialList>> {
    use crate::files::entity as file;
    let rows = material::Entity::find()
        .filter(material::Column::OrganizationId.eq(user.organization.id.clone()))
        .order_by_desc(material::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let ids: Vec<String> = rows.iter().map(|m| m.file_id.clone()).collect();
    let files: std::collections::HashMap<String, file::Model> =
        file::Entity::find().filter(file::Column::Id.is_in(ids)).all(&state.db).await?.into_iter().map(|f| (f.id.clone(), f)).collect();
    let items = rows
        .into_iter()
        .filter_map(|m| {
            let f = files.get(&m.file_id)?;
            Some(MaterialView {
                id: m.id,
                category: m.category,
                title: m.title,
                file: MaterialFile { id: f.id.clone(), name: f.original_name.clone(), size: f.size_bytes },
                created_at: crate::time::api(m.created_at),
            })
        })
        .collect();
    Ok(Json(MaterialList { items }))
}

/// Adds an uploaded file of the organization to its materials library.
#[utoipa::path(post, path = "/api/orgs/me/materials", tag = "orgs", request_body = MaterialInput,
    responses((status = 201, body = MaterialView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_material(State(state): State<AppState>, user: CurrentUser, ApiJson(req): ApiJson<MaterialInput>) -> ApiResult<(StatusCode, Json<MaterialView>)> {
    require_profile_editor(&user)?;
    if !MATERIAL_CATEGORIES.contains(&req.category.as_str()) {
        return Err(ApiError::validation("category", format!("请从以下类别中选择：{}", MATERIAL_CATEGORIES.join("、"))));
    }
    let title = req.title.trim();
    if title.is_empty() || title.chars().count() > 100 {
        return Err(ApiError::validation("title", "请输入材料名称（不超过100字）"));
    }
    let f = crate::files::own_files(&state.db, &user.organization.id, "file_id", std::slice::from_ref(&req.file_id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::validation("file_id", "请选择文件"))?;
    let m = material::Entity::insert(material::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(user.organization.id.clone()),
        category: Set(req.category.clone()),
        title: Set(title.to_string()),
        file_id: Set(f.id.clone()),
        created_at: Set(Utc::now()),
    })
    .exec_with_returning(&state.db)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(MaterialView {
            id: m.id,
            category: m.category,
            title: m.title,
            file: MaterialFile { id: f.id, name: f.original_name, size: f.size_bytes },
            created_at: crate::time::api(m.created_at),
        }),
    ))
}

#[utoipa::path(delete, path = "/api/orgs/me/materials/{id}", tag = "orgs", params(("id" = String, Path, description = "material id")),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_material(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    require_profile_editor(&user)?;
    let deleted = material::Entity::delete_many()
        .filter(material::Column::Id.eq(id))
        .filter(material::Column::OrganizationId.eq(user.organization.id.clone()))
        .exec(&state.db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::NotFound("材料不存在".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}
