use std::collections::{HashMap, HashSet};

use axum::extract::{Path, Query, State};
use axum::Json;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entity::{industry, region};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionItem {
    /// GB/T 2260 code (6 digits) or town code (9 digits).
    pub code: String,
    pub name: String,
    /// `province`, `city`, `district` or `town`.
    pub level: String,
    pub has_children: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionList {
    pub items: Vec<RegionItem>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// The parent's code; omit for the provinces.
    pub parent: Option<String>,
}

/// The children of one region (or the provinces), for a cascading selector.
#[utoipa::path(get, path = "/api/regions", tag = "reference", params(RegionQuery),
    responses((status = 200, body = RegionList), (status = 422, body = ErrorEnvelope)))]
pub async fn list_regions(State(state): State<AppState>, Query(q): Query<RegionQuery>) -> ApiResult<Json<RegionList>> {
    let mut query = region::Entity::find().order_by_asc(region::Column::Code);
    query = match q.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(parent) => {
            let code: shuzhuan_core::RegionCode =
                parent.parse().map_err(|e: shuzhuan_core::region::RegionCodeError| ApiError::validation("parent", e.to_string()))?;
            query.filter(region::Column::ParentCode.eq(code.as_str()))
        }
        None => query.filter(region::Column::ParentCode.is_null()),
    };
    let rows = query.all(&state.db).await?;
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    let with_children: HashSet<String> = if codes.is_empty() {
        HashSet::new()
    } else {
        region::Entity::find()
            .select_only()
            .column(region::Column::ParentCode)
            .distinct()
            .filter(region::Column::ParentCode.is_in(codes))
            .into_tuple::<Option<String>>()
            .all(&state.db)
            .await?
            .into_iter()
            .flatten()
            .collect()
    };
    let items = rows
        .into_iter()
        .map(|r| RegionItem { has_children: with_children.contains(&r.code), code: r.code, name: r.name, level: r.level })
        .collect();
    Ok(Json(RegionList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionPathItem {
    pub code: String,
    pub name: String,
    pub level: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    pub code: String,
    pub name: String,
    pub level: String,
    /// From the province down to this region, inclusive.
    pub path: Vec<RegionPathItem>,
}

/// One region with its ancestors, e.g. to show "广东省 / 江门市 / 蓬江区" for a stored code.
#[utoipa::path(get, path = "/api/regions/{code}", tag = "reference",
    params(("code" = String, Path, description = "region code")),
    responses((status = 200, body = RegionDetail), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn get_region(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<RegionDetail>> {
    let code: shuzhuan_core::RegionCode =
        code.parse().map_err(|e: shuzhuan_core::region::RegionCodeError| ApiError::validation("code", e.to_string()))?;
    let mut path = Vec::new();
    let mut next = Some(code.as_str().to_string());
    // At most four levels: province, city, district, town.
    while let Some(c) = next.take() {
        let Some(row) = region::Entity::find_by_id(c).one(&state.db).await? else { break };
        next = row.parent_code.clone();
        path.push(RegionPathItem { code: row.code, name: row.name, level: row.level });
        if path.len() > 4 {
            break;
        }
    }
    path.reverse();
    let Some(last) = path.last() else { return Err(ApiError::NotFound("未找到该行政区划".into())) };
    Ok(Json(RegionDetail { code: last.code.clone(), name: last.name.clone(), level: last.level.clone(), path }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndustryNode {
    pub code: String,
    pub name: String,
    /// `section` (门类), `division` (大类), `group` (中类) or `class` (小类).
    pub level: String,
    #[schema(no_recursion)]
    pub children: Vec<IndustryNode>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndustryTree {
    pub items: Vec<IndustryNode>,
}

/// The national industry classification as a tree.
#[utoipa::path(get, path = "/api/industries", tag = "reference", responses((status = 200, body = IndustryTree)))]
pub async fn list_industries(State(state): State<AppState>) -> ApiResult<Json<IndustryTree>> {
    let rows = industry::Entity::find().order_by_asc(industry::Column::Code).all(&state.db).await?;
    let mut children: HashMap<Option<String>, Vec<industry::Model>> = HashMap::new();
    for r in rows {
        children.entry(r.parent_code.clone()).or_default().push(r);
    }
    fn build(parent: Option<String>, children: &mut HashMap<Option<String>, Vec<industry::Model>>) -> Vec<IndustryNode> {
        let Some(list) = children.remove(&parent) else { return vec![] };
        list.into_iter()
            .map(|m| IndustryNode { children: build(Some(m.code.clone()), children), code: m.code, name: m.name, level: m.level })
            .collect()
    }
    Ok(Json(IndustryTree { items: build(None, &mut children) }))
}
