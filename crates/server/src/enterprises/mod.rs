//! 企业管理 for officials (issue 20, seed 003 §4.3.4, spec 50 § Enterprise management and credit checks).
//!
//! Enterprises are the organizations of kind `enterprise` (`directory`), with the profile they keep (`orgs`), their
//! accounts, their materials library, and the business registry's row for their credit code (`companies`: 成立日期).
//! An official (a government body's administrator, or a member granted 企业管理 `enterprises`) lists and opens the
//! enterprises within the body's region only: a district its district, a city its city, the province all of it; an
//! enterprise elsewhere answers 404 as if it did not exist. The history counts and lists come from the calls
//! applications (`calls`) and the lifecycle projects (`lifecycle`).
//!
//! 信用核查 (one by one and in batch, [`credit`]) looks credit codes up in the dishonest-entity list ([`dishonest`]),
//! imported from a file by `shuzhuan import dishonest FILE`; every answer carries the list's import date.

pub mod credit;
pub mod dishonest;

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::Json;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use shuzhuan_core::{RegionCode, RegionLevel};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{CurrentUser, Role};
use crate::directory::{org, profile, user as dir_user, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::{contains, Page};
use crate::state::AppState;
use crate::time::ApiTime;

/// The menu permission of 企业管理 (accounts::users lists it for government bodies).
pub const PERMISSION: &str = "enterprises";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_enterprises))
        .routes(routes!(get_enterprise))
        .routes(routes!(credit::check_credit))
        .routes(routes!(credit::credit_template))
        .routes(routes!(credit::batch_credit_check))
        .routes(routes!(credit::batch_credit_result))
}

pub use crate::companies::parse_date;

/// The region an official sees, or why not: a government body's administrator or a member holding 企业管理.
pub fn official_scope(user: &CurrentUser) -> ApiResult<RegionCode> {
    if user.organization.kind != OrgKind::Government {
        return Err(ApiError::Forbidden("仅政府部门可使用企业管理".into()));
    }
    if !(user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == PERMISSION)) {
        return Err(ApiError::Forbidden("您没有企业管理权限".into()));
    }
    user.organization
        .region_code
        .as_deref()
        .and_then(|c| RegionCode::parse(c).ok())
        .ok_or_else(|| ApiError::Forbidden("本单位未设置所属地区，不能查看企业".into()))
}

/// The enterprises within `scope`.
fn in_scope(scope: &RegionCode) -> Condition {
    Condition::all().add(org::Column::Kind.eq(OrgKind::Enterprise.as_str())).add(org::Column::RegionCode.starts_with(scope.scope_prefix()))
}

/// (city code, district-or-town code) of a region: the city above it, and the division below the city that
/// holds it (a district; a town directly under a city such as 中山's 小榄镇).
fn city_and_district(code: &str) -> (Option<String>, Option<String>) {
    let Ok(code) = RegionCode::parse(code) else { return (None, None) };
    let chain: Vec<RegionCode> = std::iter::once(code).chain(code.ancestors()).collect();
    let city_at = chain.iter().position(|c| c.level() == RegionLevel::City);
    match city_at {
        Some(i) => (Some(chain[i].as_str().to_owned()), i.checked_sub(1).map(|j| chain[j].as_str().to_owned())),
        None => (None, None),
    }
}

async fn region_names(db: &impl sea_orm::ConnectionTrait, codes: Vec<String>) -> ApiResult<HashMap<String, String>> {
    use crate::reference::entity::region;
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(region::Entity::find().filter(region::Column::Code.is_in(codes)).all(db).await?.into_iter().map(|r| (r.code, r.name)).collect())
}

async fn industry_names(db: &impl sea_orm::ConnectionTrait, codes: Vec<String>) -> ApiResult<HashMap<String, String>> {
    use crate::reference::entity::industry;
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(industry::Entity::find().filter(industry::Column::Code.is_in(codes)).all(db).await?.into_iter().map(|r| (r.code, r.name)).collect())
}

/// How many calls applications and lifecycle projects each organization has (indexed by org id in both tables).
async fn history_counts(db: &impl sea_orm::ConnectionTrait, ids: &[String]) -> ApiResult<HashMap<String, i64>> {
    use crate::calls::entity::application;
    use crate::lifecycle::entity::project;
    let mut out: HashMap<String, i64> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let apps: Vec<(String, i64)> = application::Entity::find()
        .select_only()
        .column(application::Column::OrgId)
        .column_as(application::Column::CaseId.count(), "n")
        .filter(application::Column::OrgId.is_in(ids.to_vec()))
        .group_by(application::Column::OrgId)
        .into_tuple()
        .all(db)
        .await?;
    let projects: Vec<(String, i64)> = project::Entity::find()
        .select_only()
        .column(project::Column::OrgId)
        .column_as(project::Column::Id.count(), "n")
        .filter(project::Column::OrgId.is_in(ids.to_vec()))
        .group_by(project::Column::OrgId)
        .into_tuple()
        .all(db)
        .await?;
    for (id, n) in apps.into_iter().chain(projects) {
        *out.entry(id).or_default() += n;
    }
    Ok(out)
}

fn masked_phone(state: &AppState, cipher: Option<&str>) -> Option<String> {
    cipher.and_then(|c| state.crypto.decrypt(c)).map(|p| crate::crypto::mask_phone(&p))
}

// ---------------------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnterpriseQuery {
    /// 企业名称 contains.
    pub name: Option<String>,
    /// 统一社会信用代码 contains.
    pub uscc: Option<String>,
    /// 企业类型 (企业性质: 国有 / 民营 / 外资 / 混合所有制 / 其他).
    pub nature: Option<String>,
    /// 所在地区: a region code within the official's region (narrows to it).
    pub region_code: Option<String>,
    /// 失信情况: `yes` (on the current dishonest list) or `no`.
    pub dishonest: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseRow {
    pub id: String,
    pub name: String,
    pub city: Option<String>,
    pub district: Option<String>,
    pub uscc: Option<String>,
    pub industry: Option<String>,
    pub contact_name: Option<String>,
    /// 联系人手机, masked ("138****1234").
    pub contact_phone: Option<String>,
    /// 成立日期 (from the business registry).
    pub established_on: Option<String>,
    /// 历史扶持项目数: calls applications and lifecycle projects.
    pub history_count: i64,
    /// 失信情况 by the current dishonest list.
    pub dishonest: bool,
    /// 企业类型 (企业性质).
    pub nature: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseList {
    pub items: Vec<EnterpriseRow>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    /// The dishonest list the flags come from.
    pub list: dishonest::DishonestListInfo,
}

/// 企业管理: the enterprises within the official's region, filtered, a page at a time, by name.
#[utoipa::path(get, path = "/api/enterprises", tag = "enterprises", params(EnterpriseQuery),
    responses((status = 200, body = EnterpriseList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_enterprises(State(state): State<AppState>, user: CurrentUser, Query(q): Query<EnterpriseQuery>) -> ApiResult<Json<EnterpriseList>> {
    let scope = official_scope(&user)?;
    let page = Page::parse(q.page, q.page_size)?;
    let mut cond = in_scope(&scope);
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(100).collect::<String>());
    if let Some(name) = text(&q.name) {
        cond = cond.add(Expr::col((org::Entity, org::Column::Name)).like(contains(&name)));
    }
    if let Some(uscc) = text(&q.uscc) {
        cond = cond.add(Expr::col((org::Entity, org::Column::Uscc)).like(contains(&uscc.to_uppercase())));
    }
    if let Some(nature) = text(&q.nature) {
        let with = sea_orm::sea_query::Query::select().column(profile::Column::OrganizationId).from(profile::Entity).and_where(profile::Column::Nature.eq(nature)).to_owned();
        cond = cond.add(org::Column::Id.in_subquery(with));
    }
    if let Some(region) = text(&q.region_code) {
        let narrower = RegionCode::parse(&region).ok().filter(|r| r.is_within(&scope)).ok_or_else(|| ApiError::validation("region_code", "所选地区不在本单位管辖范围内"))?;
        cond = cond.add(org::Column::RegionCode.starts_with(narrower.scope_prefix()));
    }
    match text(&q.dishonest).as_deref() {
        None => {}
        Some("yes") => cond = cond.add(org::Column::Uscc.in_subquery(dishonest::listed_codes())),
        Some("no") => cond = cond.add(Condition::any().add(org::Column::Uscc.is_null()).add(org::Column::Uscc.not_in_subquery(dishonest::listed_codes()))),
        Some(_) => return Err(ApiError::validation("dishonest", "失信情况须为 yes 或 no")),
    }
    // The count without the order (wrapping the ordered query would sort every row just to count them).
    let total = org::Entity::find().filter(cond.clone()).count(&state.db).await?;
    let orgs = org::Entity::find()
        .filter(cond)
        .order_by_asc(org::Column::Name)
        .order_by_asc(org::Column::Id)
        .offset(page.index() * page.page_size)
        .limit(page.page_size)
        .all(&state.db)
        .await?;
    let items = rows_for(&state, orgs).await?;
    Ok(Json(EnterpriseList { items, total, page: page.page, page_size: page.page_size, list: dishonest::list_info(&state.db).await? }))
}

async fn rows_for(state: &AppState, orgs: Vec<org::Model>) -> ApiResult<Vec<EnterpriseRow>> {
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let codes: Vec<String> = orgs.iter().filter_map(|o| o.uscc.clone()).collect();
    let profiles: HashMap<String, profile::Model> = profile::Entity::find().filter(profile::Column::OrganizationId.is_in(ids.clone())).all(&state.db).await?.into_iter().map(|p| (p.organization_id.clone(), p)).collect();
    let registry: HashMap<String, crate::companies::entity::Model> =
        crate::companies::entity::Entity::find().filter(crate::companies::entity::Column::Uscc.is_in(codes.clone())).all(&state.db).await?.into_iter().map(|c| (c.uscc.clone(), c)).collect();
    let listed = dishonest::listed_among(&state.db, &codes).await?;
    let counts = history_counts(&state.db, &ids).await?;
    let places: Vec<(Option<String>, Option<String>)> = orgs.iter().map(|o| o.region_code.as_deref().map(city_and_district).unwrap_or((None, None))).collect();
    let names = region_names(&state.db, places.iter().flat_map(|(a, b)| [a.clone(), b.clone()]).flatten().collect()).await?;
    let industries = industry_names(&state.db, profiles.values().filter_map(|p| p.industry_code.clone()).collect()).await?;
    Ok(orgs
        .into_iter()
        .zip(places)
        .map(|(o, (city, district))| {
            let p = profiles.get(&o.id);
            let industry_code = p.and_then(|p| p.industry_code.clone()).or_else(|| o.uscc.as_ref().and_then(|u| registry.get(u)).and_then(|c| c.industry_code.clone()));
            EnterpriseRow {
                city: city.and_then(|c| names.get(&c).cloned()),
                district: district.and_then(|d| names.get(&d).cloned()),
                industry: industry_code.map(|c| industries.get(&c).cloned().unwrap_or(c)),
                contact_name: p.and_then(|p| p.contact_name.clone()),
                contact_phone: masked_phone(state, p.and_then(|p| p.contact_phone_cipher.as_deref())),
                established_on: o.uscc.as_ref().and_then(|u| registry.get(u)).and_then(|c| c.established_on.clone()),
                history_count: counts.get(&o.id).copied().unwrap_or(0),
                dishonest: o.uscc.as_ref().is_some_and(|u| listed.contains(u)),
                nature: p.and_then(|p| p.nature.clone()),
                id: o.id,
                name: o.name,
                uscc: o.uscc,
            }
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------------------
// The profile

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseBasics {
    pub name: String,
    pub uscc: Option<String>,
    /// 企业性质.
    pub nature: Option<String>,
    /// 企业类别.
    pub category: Option<String>,
    pub size: Option<String>,
    pub industry: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub established_on: Option<String>,
    pub contact_name: Option<String>,
    /// Masked.
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub main_product: Option<String>,
    pub headcount: Option<i32>,
    pub intro: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseAccount {
    pub username: String,
    pub display_name: String,
    /// Masked.
    pub phone: Option<String>,
    /// Masked.
    pub email: Option<String>,
    pub is_admin: bool,
    /// `active` or `disabled`.
    pub status: String,
    pub last_login_at: Option<ApiTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseMaterial {
    pub category: String,
    pub title: String,
    /// Download with GET /api/files/{id}.
    pub file_id: String,
    pub file_name: String,
    pub size: i64,
    pub uploaded_at: ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseQualification {
    pub name: String,
    /// When the enterprise filed it in its materials library.
    pub filed_at: ApiTime,
    pub file_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseHistoryItem {
    /// `application` (申报) or `project` (试点项目).
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub year: Option<i32>,
    /// Where it stands (审核中, 已通过, 项目签约 …).
    pub stage: String,
    pub created_at: ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseProfile {
    pub id: String,
    pub basics: EnterpriseBasics,
    pub accounts: Vec<EnterpriseAccount>,
    pub materials: Vec<EnterpriseMaterial>,
    pub qualifications: Vec<EnterpriseQualification>,
    pub history: Vec<EnterpriseHistoryItem>,
    pub credit: credit::CreditAnswer,
}

/// An email's first character and domain ("z***@example.com").
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => crate::crypto::mask_middle(email),
    }
}

fn case_stage(state: crate::review::CaseState) -> &'static str {
    use crate::review::CaseState;
    match state {
        CaseState::Draft => "草稿",
        CaseState::InReview => "审核中",
        CaseState::Returned => "已退回",
        CaseState::Approved => "已通过",
        CaseState::Rejected => "未通过",
        CaseState::Deleted => "已删除",
    }
}

/// 查看企业画像: 基本信息, 用户信息 (masked), 附件材料, 资质, its applications and projects, and its credit. An enterprise
/// outside the official's region answers 404.
#[utoipa::path(get, path = "/api/enterprises/{id}", tag = "enterprises", params(("id" = String, Path, description = "organization id")),
    responses((status = 200, body = EnterpriseProfile), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_enterprise(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<EnterpriseProfile>> {
    use crate::calls::entity::application;
    use crate::files::entity as file;
    use crate::lifecycle::entity::project;
    use crate::orgs::material;
    let scope = official_scope(&user)?;
    let o = org::Entity::find_by_id(id.clone()).filter(in_scope(&scope)).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("企业不存在或不在本单位管辖范围内".into()))?;
    let p = profile::Entity::find_by_id(o.id.clone()).one(&state.db).await?;
    let registry = match &o.uscc {
        Some(u) => crate::companies::entity::Entity::find_by_id(u.clone()).one(&state.db).await?,
        None => None,
    };
    let (city, district) = o.region_code.as_deref().map(city_and_district).unwrap_or((None, None));
    let names = region_names(&state.db, [city.clone(), district.clone()].into_iter().flatten().collect()).await?;
    let industry_code = p.as_ref().and_then(|p| p.industry_code.clone()).or_else(|| registry.as_ref().and_then(|c| c.industry_code.clone()));
    let industries = industry_names(&state.db, industry_code.iter().cloned().collect()).await?;
    let basics = EnterpriseBasics {
        name: o.name.clone(),
        uscc: o.uscc.clone(),
        nature: p.as_ref().and_then(|p| p.nature.clone()),
        category: p.as_ref().and_then(|p| p.category.clone()),
        size: p.as_ref().and_then(|p| p.size.clone()),
        industry: industry_code.map(|c| industries.get(&c).cloned().unwrap_or(c)),
        city: city.and_then(|c| names.get(&c).cloned()),
        district: district.and_then(|d| names.get(&d).cloned()),
        established_on: registry.as_ref().and_then(|c| c.established_on.clone()),
        contact_name: p.as_ref().and_then(|p| p.contact_name.clone()),
        contact_phone: masked_phone(&state, p.as_ref().and_then(|p| p.contact_phone_cipher.as_deref())),
        address: p.as_ref().and_then(|p| p.address.clone()).or_else(|| registry.as_ref().and_then(|c| c.address.clone())),
        main_product: p.as_ref().and_then(|p| p.main_product.clone()),
        headcount: p.as_ref().and_then(|p| p.headcount),
        intro: p.as_ref().and_then(|p| p.intro.clone()),
        tags: p.as_ref().and_then(|p| p.tags.as_deref()).and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default(),
    };

    let users = dir_user::Entity::find().filter(dir_user::Column::OrganizationId.eq(o.id.clone())).order_by_asc(dir_user::Column::CreatedAt).all(&state.db).await?;
    let admins: std::collections::HashSet<String> = crate::directory::user_role::Entity::find()
        .filter(crate::directory::user_role::Column::UserId.is_in(users.iter().map(|u| u.id.clone())))
        .filter(crate::directory::user_role::Column::Role.eq(Role::OrgAdmin.as_str()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let accounts = users
        .into_iter()
        .map(|u| EnterpriseAccount {
            is_admin: admins.contains(&u.id),
            phone: masked_phone(&state, u.phone_cipher.as_deref()),
            email: u.email.as_deref().map(mask_email),
            last_login_at: u.last_login_at.map(crate::time::api),
            username: u.username,
            display_name: u.display_name,
            status: u.status,
        })
        .collect();

    let rows = material::Entity::find().filter(material::Column::OrganizationId.eq(o.id.clone())).order_by_desc(material::Column::CreatedAt).all(&state.db).await?;
    let files: HashMap<String, file::Model> =
        file::Entity::find().filter(file::Column::Id.is_in(rows.iter().map(|m| m.file_id.clone()))).all(&state.db).await?.into_iter().map(|f| (f.id.clone(), f)).collect();
    let mut materials = Vec::new();
    let mut qualifications = Vec::new();
    for m in rows {
        let Some(f) = files.get(&m.file_id) else { continue };
        if m.category == "资质证书" {
            qualifications.push(EnterpriseQualification { name: m.title.clone(), filed_at: crate::time::api(m.created_at), file_id: f.id.clone() });
        }
        materials.push(EnterpriseMaterial {
            category: m.category,
            title: m.title,
            file_id: f.id.clone(),
            file_name: f.original_name.clone(),
            size: f.size_bytes,
            uploaded_at: crate::time::api(m.created_at),
        });
    }

    let apps = application::Entity::find().filter(application::Column::OrgId.eq(o.id.clone())).order_by_desc(application::Column::CreatedAt).all(&state.db).await?;
    let cases: BTreeMap<String, crate::review::CaseRef> = crate::review::case_summaries_by_ids(&state.db, apps.iter().map(|a| a.case_id.clone()).collect()).await?;
    let mut history: Vec<(chrono::DateTime<chrono::Utc>, EnterpriseHistoryItem)> = apps
        .into_iter()
        .filter_map(|a| {
            let c = cases.get(&a.case_id)?;
            (c.state != crate::review::CaseState::Deleted).then(|| {
                (
                    a.created_at,
                    EnterpriseHistoryItem { kind: "application".into(), kind_label: "项目申报".into(), title: c.title.clone(), year: Some(a.year), stage: case_stage(c.state).into(), created_at: crate::time::api(a.created_at) },
                )
            })
        })
        .collect();
    for pr in project::Entity::find().filter(project::Column::OrgId.eq(o.id.clone())).all(&state.db).await? {
        history.push((
            pr.created_at,
            EnterpriseHistoryItem {
                kind: "project".into(),
                kind_label: "试点项目".into(),
                title: pr.filing_number.as_ref().map(|n| format!("{}（{n}）", pr.name)).unwrap_or(pr.name.clone()),
                year: None,
                stage: pr.stage.label().into(),
                created_at: crate::time::api(pr.created_at),
            },
        ));
    }
    history.sort_by(|a, b| b.0.cmp(&a.0));
    let credit = credit::answer_for(&state.db, o.uscc.as_deref().unwrap_or("")).await?;
    Ok(Json(EnterpriseProfile { id: o.id, basics, accounts, materials, qualifications, history: history.into_iter().map(|(_, h)| h).collect(), credit }))
}

// ---------------------------------------------------------------------------------------------------------
// Files of the materials library, for the officials of the enterprise's region

/// A file in the materials library of an enterprise within the official's region (附件材料, downloadable).
async fn shares_material(db: &sea_orm::DatabaseConnection, user: &CurrentUser, file: &crate::files::entity::Model) -> ApiResult<bool> {
    let Ok(scope) = official_scope(user) else { return Ok(false) };
    let filed = crate::orgs::material::Entity::find()
        .filter(crate::orgs::material::Column::FileId.eq(file.id.clone()))
        .filter(crate::orgs::material::Column::OrganizationId.eq(file.organization_id.clone()))
        .count(db)
        .await?
        > 0;
    if !filed {
        return Ok(false);
    }
    Ok(org::Entity::find_by_id(file.organization_id.clone()).filter(in_scope(&scope)).count(db).await? > 0)
}

inventory::submit! {
    crate::files::SharingRule { name: "enterprise_materials", shares: |db, user, file| Box::pin(shares_material(db, user, file)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_places() {
        assert_eq!(parse_date("2011-03-16").as_deref(), Some("2011-03-16"));
        assert_eq!(parse_date("2011/3/16").as_deref(), Some("2011-03-16"), "as Excel may write it");
        assert_eq!(parse_date("2011/03/16").as_deref(), Some("2011-03-16"));
        assert_eq!(parse_date("2011-03-16 00:00:00").as_deref(), Some("2011-03-16"));
        assert_eq!(parse_date("2011-02-30"), None);
        assert_eq!(city_and_district("441302"), (Some("441300".into()), Some("441302".into())));
        assert_eq!(city_and_district("442000103"), (Some("442000".into()), Some("442000103".into())), "a town under a city");
        assert_eq!(city_and_district("440703005"), (Some("440700".into()), Some("440703".into())));
        assert_eq!(city_and_district("441300"), (Some("441300".into()), None));
        assert_eq!(mask_email("zhang@example.com"), "z***@example.com");
    }
}
