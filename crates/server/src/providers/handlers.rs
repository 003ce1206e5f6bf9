//! HTTP endpoints of providers, lead units, pools and the public catalogue (`docs/providers-products.md`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select};
use serde::{Deserialize, Serialize};
use shuzhuan_core::Money;
use utoipa::{IntoParams, ToSchema};

use super::entity::{membership, pool_entry, product};
use super::forms::{self, CATEGORY_GROUPS};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::{contains, Page};
use crate::directory::{org, OrgKind};
use crate::review::CaseState;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryGroup {
    pub name: String,
    pub items: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub groups: Vec<CategoryGroup>,
}

/// 产品/服务类别（业务环节）, grouped.
#[utoipa::path(get, path = "/api/products/categories", tag = "providers", responses((status = 200, body = CategoryList)))]
pub async fn categories() -> Json<CategoryList> {
    Json(CategoryList {
        groups: CATEGORY_GROUPS
            .iter()
            .map(|(name, items)| CategoryGroup { name: (*name).into(), items: items.iter().map(|s| (*s).to_owned()).collect() })
            .collect(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadUnitItem {
    pub id: String,
    pub name: String,
    pub region_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadUnitList {
    pub items: Vec<LeadUnitItem>,
}

/// Every lead unit (数字化牵引单位), to choose in an application.
#[utoipa::path(get, path = "/api/lead-units", tag = "providers", responses((status = 200, body = LeadUnitList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_lead_units(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Json<LeadUnitList>> {
    let rows = org::Entity::find().filter(org::Column::Kind.eq(OrgKind::LeadUnit.as_str())).order_by_asc(org::Column::Name).all(&state.db).await?;
    Ok(Json(LeadUnitList { items: rows.into_iter().map(|o| LeadUnitItem { id: o.id, name: o.name, region_code: o.region_code }).collect() }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipItem {
    pub lead_unit_id: String,
    pub lead_unit_name: String,
    pub joined_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipList {
    pub items: Vec<MembershipItem>,
}

fn require_provider(user: &CurrentUser) -> ApiResult<()> {
    if user.organization.kind == OrgKind::Provider { Ok(()) } else { Err(ApiError::Forbidden("仅服务商可使用此功能".into())) }
}

fn require_lead_unit(user: &CurrentUser) -> ApiResult<()> {
    if user.organization.kind == OrgKind::LeadUnit { Ok(()) } else { Err(ApiError::Forbidden("仅数字化牵引单位可使用此功能".into())) }
}

async fn names(state: &AppState, ids: Vec<String>) -> ApiResult<HashMap<String, org::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(org::Entity::find().filter(org::Column::Id.is_in(ids)).all(&state.db).await?.into_iter().map(|o| (o.id.clone(), o)).collect())
}

/// The lead units the signed-in provider is bound to (the only choices of a product application).
#[utoipa::path(get, path = "/api/providers/me/memberships", tag = "providers", responses((status = 200, body = MembershipList), (status = 403, body = ErrorEnvelope)))]
pub async fn my_memberships(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MembershipList>> {
    require_provider(&user)?;
    let rows = super::memberships(&state.db, &user.organization.id).await?;
    let orgs = names(&state, rows.iter().map(|m| m.lead_unit_org_id.clone()).collect()).await?;
    let items = rows
        .into_iter()
        .map(|m| MembershipItem {
            lead_unit_name: orgs.get(&m.lead_unit_org_id).map(|o| o.name.clone()).unwrap_or_default(),
            lead_unit_id: m.lead_unit_org_id,
            joined_at: crate::time::api(m.joined_at),
        })
        .collect();
    Ok(Json(MembershipList { items }))
}

/// 再次申报: the approved first application's form without the lead unit, its cooperation proof and the
/// products (000 §03: only those are new).
#[utoipa::path(get, path = "/api/providers/me/application-template", tag = "providers",
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn application_template(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<serde_json::Value>> {
    require_provider(&user)?;
    let approved = crate::review::cases_of(&state.db, &user.organization.id, super::alliance::KIND, &[CaseState::Approved]).await?;
    // Oldest first: the first application is the one a repeat application copies.
    let first = approved
        .iter()
        .rev()
        .filter_map(|c| c.form(&state).ok())
        .find(|f| forms::text(f, "application") != "repeat")
        .ok_or_else(|| ApiError::Conflict("首次申报审核通过后才能再次申报".into()))?;
    let mut form = first;
    form["application"] = "repeat".into();
    for key in ["lead_unit_id", "lead_unit_name"] {
        form[key] = "".into();
    }
    form["cooperation_proof_file_ids"] = serde_json::json!([]);
    form["products"] = serde_json::json!([]);
    Ok(Json(form))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberItem {
    pub provider_id: String,
    pub provider_name: String,
    pub uscc: Option<String>,
    pub joined_at: crate::time::ApiTime,
    /// Its products in this lead unit's pool.
    pub products: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<MemberItem>,
}

/// The lead unit's alliance members (生态伙伴).
#[utoipa::path(get, path = "/api/lead-units/me/members", tag = "providers", responses((status = 200, body = MemberList), (status = 403, body = ErrorEnvelope)))]
pub async fn lead_unit_members(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MemberList>> {
    require_lead_unit(&user)?;
    let rows = membership::Entity::find()
        .filter(membership::Column::LeadUnitOrgId.eq(user.organization.id.clone()))
        .order_by_desc(membership::Column::JoinedAt)
        .all(&state.db)
        .await?;
    let orgs = names(&state, rows.iter().map(|m| m.provider_org_id.clone()).collect()).await?;
    let mut items = Vec::new();
    for m in rows {
        let products = pool_entry::Entity::find()
            .filter(pool_entry::Column::LeadUnitOrgId.eq(user.organization.id.clone()))
            .filter(
                pool_entry::Column::ProductId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(product::Column::Id)
                        .from(product::Entity)
                        .and_where(product::Column::ProviderOrgId.eq(m.provider_org_id.clone()))
                        .to_owned(),
                ),
            )
            .count(&state.db)
            .await?;
        let o = orgs.get(&m.provider_org_id);
        items.push(MemberItem {
            provider_name: o.map(|o| o.name.clone()).unwrap_or_default(),
            uscc: o.and_then(|o| o.uscc.clone()),
            provider_id: m.provider_org_id,
            joined_at: crate::time::api(m.joined_at),
            products,
        });
    }
    Ok(Json(MemberList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductCard {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub provider_name: String,
    pub categories: Vec<String>,
    pub industry_code: Option<String>,
    pub industry_name: Option<String>,
    /// Yuan, as a decimal string (`"50000.00"`); the page shows 万元.
    #[schema(value_type = Option<String>, example = "50000.00")]
    pub price_min: Option<Money>,
    #[schema(value_type = Option<String>, example = "200000.00")]
    pub price_max: Option<Money>,
    pub purchase_mode: Option<String>,
    pub description: String,
    pub approved_at: Option<crate::time::ApiTime>,
    /// The review case, for those who may open it (the provider, lead units holding it in their pool).
    pub case_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductCard>,
    pub total: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Part of the product's or the provider's name, or its code.
    pub q: Option<String>,
    /// A business area or system (产品/服务类别).
    pub category: Option<String>,
    /// An industry section or division code.
    pub industry: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

fn filtered(mut query: Select<product::Entity>, q: &ProductQuery) -> ApiResult<Select<product::Entity>> {
    query = query.filter(product::Column::Status.eq(product::ProductStatus::Approved));
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let providers = sea_orm::sea_query::Query::select()
            .column(org::Column::Id)
            .from(org::Entity)
            .and_where(Expr::col(org::Column::Name).like(contains(text)))
            .to_owned();
        query = query.filter(
            sea_orm::Condition::any()
                .add(Expr::col(product::Column::Name).like(contains(text)))
                .add(Expr::col(product::Column::Code).like(contains(text)))
                .add(product::Column::ProviderOrgId.in_subquery(providers)),
        );
    }
    if let Some(c) = q.category.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if !forms::is_category(c) {
            return Err(ApiError::validation("category", "业务环节筛选无效"));
        }
        // Categories are stored as a JSON list of quoted strings.
        query = query.filter(Expr::col(product::Column::Categories).like(contains(&format!("\"{c}\""))));
    }
    if let Some(i) = q.industry.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        query = query.filter(Expr::col(product::Column::IndustryCode).eq(i));
    }
    Ok(query.order_by_desc(product::Column::ApprovedAt).order_by_desc(product::Column::Id))
}

async fn page_of(state: &AppState, query: Select<product::Entity>, page: Page, case_visible: impl Fn(&product::Model) -> bool) -> ApiResult<ProductPage> {
    let paginator = query.paginate(&state.db, page.page_size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.index()).await?;
    let orgs = names(&state, rows.iter().map(|p| p.provider_org_id.clone()).collect()).await?;
    let industry_codes: Vec<String> = rows.iter().filter_map(|p| p.industry_code.clone()).collect();
    let industries: HashMap<String, String> = if industry_codes.is_empty() {
        HashMap::new()
    } else {
        crate::reference::entity::industry::Entity::find()
            .filter(crate::reference::entity::industry::Column::Code.is_in(industry_codes))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|i| (i.code, i.name))
            .collect()
    };
    let items = rows
        .into_iter()
        .map(|p| ProductCard {
            case_id: case_visible(&p).then(|| p.case_id.clone()),
            provider_name: orgs.get(&p.provider_org_id).map(|o| o.name.clone()).unwrap_or_default(),
            categories: serde_json::from_str(&p.categories).unwrap_or_default(),
            industry_name: p.industry_code.as_ref().and_then(|c| industries.get(c).cloned()),
            industry_code: p.industry_code,
            id: p.id,
            code: p.code,
            name: p.name,
            price_min: p.price_min_fen.and_then(|f| Money::from_fen(f).ok()),
            price_max: p.price_max_fen.and_then(|f| Money::from_fen(f).ok()),
            purchase_mode: p.purchase_mode,
            description: p.description,
            approved_at: p.approved_at.map(crate::time::api),
        })
        .collect();
    Ok(ProductPage { items, total })
}

fn in_pool(lead_unit_id: &str) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(pool_entry::Column::ProductId)
        .from(pool_entry::Entity)
        .and_where(pool_entry::Column::LeadUnitOrgId.eq(lead_unit_id))
        .to_owned()
}

/// The lead unit's own product pool (产品池).
#[utoipa::path(get, path = "/api/lead-units/me/pool", tag = "providers", params(ProductQuery),
    responses((status = 200, body = ProductPage), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn lead_unit_pool(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ProductQuery>) -> ApiResult<Json<ProductPage>> {
    require_lead_unit(&user)?;
    let page = Page::parse(q.page, q.page_size)?;
    let query = filtered(product::Entity::find().filter(product::Column::Id.in_subquery(in_pool(&user.organization.id))), &q)?;
    Ok(Json(page_of(&state, query, page, |_| true).await?))
}

/// The lead unit's pool as an Excel file (导出).
#[utoipa::path(get, path = "/api/lead-units/me/pool.xlsx", tag = "providers",
    responses((status = 200, description = "产品池 Excel", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorEnvelope)))]
pub async fn lead_unit_pool_xlsx(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    require_lead_unit(&user)?;
    let all = ProductQuery { q: None, category: None, industry: None, page: None, page_size: None };
    let query = filtered(product::Entity::find().filter(product::Column::Id.in_subquery(in_pool(&user.organization.id))), &all)?;
    let rows = query.all(&state.db).await?;
    let orgs = names(&state, rows.iter().map(|p| p.provider_org_id.clone()).collect()).await?;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let wan = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    sheet.set_name("产品池").map_err(xlsx)?;
    let headers = ["产品编码", "产品/服务名称", "服务商", "产品/服务类别", "所属行业", "购买方式", "最低报价（万元）", "最高报价（万元）", "入库时间"];
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xlsx)?;
        sheet.set_column_width(c as u16, if c == 1 || c == 2 || c == 3 { 28 } else { 16 }).map_err(xlsx)?;
    }
    for (i, p) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let cats: Vec<String> = serde_json::from_str(&p.categories).unwrap_or_default();
        sheet.write_string(r, 0, p.code.clone().unwrap_or_default()).map_err(xlsx)?;
        sheet.write_string(r, 1, &p.name).map_err(xlsx)?;
        sheet.write_string(r, 2, orgs.get(&p.provider_org_id).map(|o| o.name.as_str()).unwrap_or("")).map_err(xlsx)?;
        sheet.write_string(r, 3, cats.join("、")).map_err(xlsx)?;
        sheet.write_string(r, 4, p.industry_code.clone().unwrap_or_default()).map_err(xlsx)?;
        sheet.write_string(r, 5, p.purchase_mode.clone().unwrap_or_default()).map_err(xlsx)?;
        // A spreadsheet cell is a number officials can sum; it is made from exact fen at this last step.
        for (col, fen) in [(6, p.price_min_fen), (7, p.price_max_fen)] {
            if let Some(fen) = fen {
                sheet.write_number_with_format(r, col, fen as f64 / 1_000_000.0, &wan).map_err(xlsx)?;
            }
        }
        sheet.write_string(r, 8, p.approved_at.map(crate::time::display).unwrap_or_default()).map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    let name = format!("产品池-{}.xlsx", user.organization.name);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, crate::http::content_disposition(&name)),
        ],
        bytes,
    )
        .into_response())
}

/// Searches a lead unit's pool (project signing: an enterprise picks products of its lead unit's pool).
#[utoipa::path(get, path = "/api/pools/{id}/products", tag = "providers", params(("id" = String, Path, description = "lead unit id"), ProductQuery),
    responses((status = 200, body = ProductPage), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn pool_products(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<ProductQuery>) -> ApiResult<Json<ProductPage>> {
    let page = Page::parse(q.page, q.page_size)?;
    super::lead_unit(&state.db, &id, "id").await.map_err(|_| ApiError::NotFound("数字化牵引单位不存在".into()))?;
    let query = filtered(product::Entity::find().filter(product::Column::Id.in_subquery(in_pool(&id))), &q)?;
    let own_pool = user.organization.id == id;
    let me = user.organization.id.clone();
    Ok(Json(page_of(&state, query, page, |p| own_pool || p.provider_org_id == me).await?))
}

/// 上架产品: every approved product, for everyone.
#[utoipa::path(get, path = "/api/catalogue/products", tag = "providers", params(ProductQuery),
    responses((status = 200, body = ProductPage), (status = 422, body = ErrorEnvelope)))]
pub async fn catalogue(State(state): State<AppState>, user: Option<CurrentUser>, Query(q): Query<ProductQuery>) -> ApiResult<Json<ProductPage>> {
    let page = Page::parse(q.page, q.page_size)?;
    let query = filtered(product::Entity::find(), &q)?;
    let me = user.map(|u| u.organization.id);
    Ok(Json(page_of(&state, query, page, |p| me.as_deref() == Some(p.provider_org_id.as_str())).await?))
}
