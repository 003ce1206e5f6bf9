use axum::extract::{Query, State};
use axum::Json;
use chrono::{NaiveDate, TimeZone};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entity;
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::Page;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub page: Option<u64>,
    pub page_size: Option<u64>,
    /// e.g. `login`, `file_download`, `user_create`
    pub action: Option<String>,
    /// `success`, `failure` or `denied`
    pub result: Option<String>,
    pub username: Option<String>,
    /// First day, `2025-11-01` (China Standard Time).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub id: i64,
    pub at: crate::time::ApiTime,
    pub username: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub roles: Option<String>,
    pub ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub result: String,
    pub detail: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditItem>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

fn day(field: &str, value: &str) -> ApiResult<NaiveDate> {
    use chrono::Datelike;
    let d = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| ApiError::validation(field, "日期格式应为 2025-11-25"))?;
    // chrono reads years like -262143; such a day has no instant in China time (a panic, a 500, before).
    if !(2000..=2100).contains(&d.year()) {
        return Err(ApiError::validation(field, "日期应在2000年至2100年之间"));
    }
    Ok(d)
}

/// The audit log, newest first: the audit administrator's, and only theirs (separation of duties).
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_audit(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AuditQuery>) -> ApiResult<Json<AuditList>> {
    // A refusal here is audited by the `audit_denials` middleware, like every other 403.
    user.require_any(&[Role::AuditAdmin])?;
    let Page { page, page_size } = Page::parse(q.page, q.page_size)?;
    let mut query = entity::Entity::find();
    if let Some(a) = q.action.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(entity::Column::Action.eq(a));
    }
    if let Some(r) = q.result.as_deref().filter(|s| !s.is_empty()) {
        if !["success", "failure", "denied"].contains(&r) {
            return Err(ApiError::validation("result", "结果须为 success、failure 或 denied"));
        }
        query = query.filter(entity::Column::Result.eq(r));
    }
    if let Some(u) = q.username.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(entity::Column::ActorUsername.eq(u.trim()));
    }
    let tz = crate::time::china();
    if let Some(from) = q.from.as_deref().filter(|s| !s.is_empty()) {
        let start = tz.from_local_datetime(&day("from", from)?.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset");
        query = query.filter(entity::Column::At.gte(start.to_utc()));
    }
    if let Some(to) = q.to.as_deref().filter(|s| !s.is_empty()) {
        let next = day("to", to)?.succ_opt().ok_or_else(|| ApiError::validation("to", "日期无效"))?;
        let end = tz.from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset");
        query = query.filter(entity::Column::At.lt(end.to_utc()));
    }
    let paginator = query.order_by_desc(entity::Column::Id).paginate(&state.db, page_size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let org_ids: Vec<String> = rows.iter().filter_map(|e| e.actor_org_id.clone()).collect();
    let names: std::collections::HashMap<String, String> = crate::directory::org::Entity::find()
        .filter(crate::directory::org::Column::Id.is_in(org_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let items = rows
        .into_iter()
        .map(|e| AuditItem {
            organization_name: e.actor_org_id.as_ref().and_then(|id| names.get(id).cloned()),
            id: e.id,
            at: crate::time::api(e.at),
            username: e.actor_username,
            organization_id: e.actor_org_id,
            roles: e.actor_roles,
            ip: e.ip,
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            result: e.result,
            detail: e.detail,
        })
        .collect();
    Ok(Json(AuditList { items, total, page, page_size }))
}
