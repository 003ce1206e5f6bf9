//! HTTP endpoints of products: the categories, the public catalogue (上架产品) and the lead units' pools
//! (`docs/providers-products.md`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Json;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select};
use serde::{Deserialize, Serialize};
use shuzhuan_core::Money;
use utoipa::{IntoParams, ToSchema};

use super::entity::{pool_entry, product};
use super::form::{self, CATEGORY_GROUPS};
use crate::auth::CurrentUser;
use crate::directory::{org, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::{contains, Page};
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
#[utoipa::path(get, path = "/api/products/categories", tag = "products", responses((status = 200, body = CategoryList)))]
pub async fn categories() -> Json<CategoryList> {
    Json(CategoryList {
        groups: CATEGORY_GROUPS
            .iter()
            .map(|(name, items)| CategoryGroup { name: (*name).into(), items: items.iter().map(|s| (*s).to_owned()).collect() })
            .collect(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductCard {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    /// The provider: its public page is `/providers/{provider_id}`.
    pub provider_id: String,
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
    /// The provider's public reputation from enterprises' 服务商评价 (项目实施-改造完成); `None` before any.
    pub provider_reputation: Option<super::reputation::Reputation>,
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
        if !form::is_category(c) {
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
    let orgs = crate::directory::by_ids(&state.db, rows.iter().map(|p| p.provider_org_id.clone()).collect()).await?;
    let reputations = super::reputation::reputation_of(&state.db, rows.iter().map(|p| p.provider_org_id.clone()).collect()).await?;
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
            provider_reputation: reputations.get(&p.provider_org_id).cloned(),
            provider_id: p.provider_org_id.clone(),
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
#[utoipa::path(get, path = "/api/lead-units/me/pool", tag = "products", params(ProductQuery),
    responses((status = 200, body = ProductPage), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn lead_unit_pool(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ProductQuery>) -> ApiResult<Json<ProductPage>> {
    user.require_org_kind(OrgKind::LeadUnit)?;
    let page = Page::parse(q.page, q.page_size)?;
    let query = filtered(product::Entity::find().filter(product::Column::Id.in_subquery(in_pool(&user.organization.id))), &q)?;
    Ok(Json(page_of(&state, query, page, |_| true).await?))
}

/// The lead unit's pool as an Excel file (导出).
#[utoipa::path(get, path = "/api/lead-units/me/pool.xlsx", tag = "products",
    responses((status = 200, description = "产品池 Excel", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorEnvelope)))]
pub async fn lead_unit_pool_xlsx(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    user.require_org_kind(OrgKind::LeadUnit)?;
    let all = ProductQuery { q: None, category: None, industry: None, page: None, page_size: None };
    let query = filtered(product::Entity::find().filter(product::Column::Id.in_subquery(in_pool(&user.organization.id))), &all)?;
    let rows = query.all(&state.db).await?;
    let orgs = crate::directory::by_ids(&state.db, rows.iter().map(|p| p.provider_org_id.clone()).collect()).await?;
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
    Ok(crate::http::xlsx_download(&name, bytes))
}

/// Searches a lead unit's pool (project signing: an enterprise picks products of its lead unit's pool).
#[utoipa::path(get, path = "/api/pools/{id}/products", tag = "products", params(("id" = String, Path, description = "lead unit id"), ProductQuery),
    responses((status = 200, body = ProductPage), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn pool_products(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<ProductQuery>) -> ApiResult<Json<ProductPage>> {
    let page = Page::parse(q.page, q.page_size)?;
    crate::directory::lead_unit(&state.db, &id, "id").await.map_err(|_| ApiError::NotFound("数字化牵引单位不存在".into()))?;
    let query = filtered(product::Entity::find().filter(product::Column::Id.in_subquery(in_pool(&id))), &q)?;
    let own_pool = user.organization.id == id;
    let me = user.organization.id.clone();
    Ok(Json(page_of(&state, query, page, |p| own_pool || p.provider_org_id == me).await?))
}

/// 上架产品: every approved product, for everyone.
#[utoipa::path(get, path = "/api/catalogue/products", tag = "products", params(ProductQuery),
    responses((status = 200, body = ProductPage), (status = 422, body = ErrorEnvelope)))]
pub async fn catalogue(State(state): State<AppState>, user: Option<CurrentUser>, Query(q): Query<ProductQuery>) -> ApiResult<Json<ProductPage>> {
    let page = Page::parse(q.page, q.page_size)?;
    let query = filtered(product::Entity::find(), &q)?;
    let me = user.map(|u| u.organization.id);
    Ok(Json(page_of(&state, query, page, |p| me.as_deref() == Some(p.provider_org_id.as_str())).await?))
}

/// A provider's public page (compass row B8): who it is, its approved products, and what the enterprises that
/// signed them said in 服务商评价 — the averages and the latest texts, without naming the enterprises.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderPage {
    pub id: String,
    pub name: String,
    /// Its registered region, by name (广东省 / 中山市 / 小榄镇).
    pub region_name: Option<String>,
    pub certified: bool,
    pub reputation: Option<super::reputation::Reputation>,
    /// The latest 20 ratings, newest first.
    pub reviews: Vec<super::reputation::Review>,
    /// Its approved products (the first 50).
    pub products: Vec<ProductCard>,
    pub products_total: u64,
}

#[utoipa::path(get, path = "/api/catalogue/providers/{id}", tag = "products", params(("id" = String, Path, description = "provider organization id")),
    responses((status = 200, body = ProviderPage), (status = 404, body = ErrorEnvelope)))]
pub async fn provider_page(State(state): State<AppState>, user: Option<CurrentUser>, axum::extract::Path(id): axum::extract::Path<String>) -> ApiResult<Json<ProviderPage>> {
    let o = org::Entity::find_by_id(id.clone())
        .one(&state.db)
        .await?
        .filter(|o| matches!(OrgKind::parse(&o.kind), Some(OrgKind::Provider | OrgKind::LeadUnit)))
        .ok_or_else(|| ApiError::NotFound("服务商不存在".into()))?;
    let query = product::Entity::find().filter(product::Column::Status.eq(product::ProductStatus::Approved)).filter(product::Column::ProviderOrgId.eq(id.clone())).order_by_desc(product::Column::ApprovedAt);
    let me = user.map(|u| u.organization.id);
    let products = page_of(&state, query, Page::parse(Some(1), Some(50))?, |p| me.as_deref() == Some(p.provider_org_id.as_str())).await?;
    let region_name = match o.region_code.as_deref().and_then(|c| shuzhuan_core::RegionCode::parse(c).ok()) {
        Some(code) => {
            let mut path: Vec<String> = code.ancestors().into_iter().rev().chain(std::iter::once(code.clone())).map(|c| c.as_str().to_owned()).collect();
            let names: HashMap<String, String> =
                crate::reference::entity::region::Entity::find().filter(crate::reference::entity::region::Column::Code.is_in(path.clone())).all(&state.db).await?.into_iter().map(|r| (r.code, r.name)).collect();
            path.retain(|c| names.contains_key(c));
            Some(path.iter().map(|c| names[c].as_str()).collect::<Vec<_>>().join(" / ")).filter(|s| !s.is_empty())
        }
        None => None,
    };
    let certified = crate::directory::profile::Entity::find_by_id(o.id.clone())
        .one(&state.db)
        .await?
        .is_some_and(|p| p.certification_status == crate::directory::profile::CertificationStatus::Certified);
    Ok(Json(ProviderPage {
        reputation: super::reputation::reputation_of(&state.db, vec![id.clone()]).await?.remove(&id),
        reviews: super::reputation::latest_reviews(&state.db, &id, 20).await?,
        certified,
        name: o.name,
        region_name,
        products_total: products.total,
        products: products.items,
        id,
    }))
}
