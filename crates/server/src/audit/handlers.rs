use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use chrono::{NaiveDate, TimeZone};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::readable::{self, Change, Names};
use super::{entity, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::Page;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub page: Option<u64>,
    pub page_size: Option<u64>,
    /// e.g. `login`, `file_download`, `review_approve` (see `GET /api/audit/vocabulary`)
    pub action: Option<String>,
    /// `success`, `failure` or `denied`
    pub result: Option<String>,
    /// Who: a username as typed, or part of a person's name.
    pub person: Option<String>,
    /// `review_case`, `user`, `organization`, … (see `GET /api/audit/vocabulary`)
    pub object_type: Option<String>,
    /// One object's id (with or without `object_type`).
    pub object_id: Option<String>,
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
    /// 「姓名（用户名）」 of the acting user, when the entry names one.
    pub person: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub roles: Option<String>,
    pub ip: Option<String>,
    pub action: String,
    /// The action in Chinese (「审核通过」).
    pub action_label: String,
    pub object_type: Option<String>,
    pub object_type_label: Option<String>,
    pub object_id: Option<String>,
    /// The object's name today (a case's title, a user's name), when it still exists.
    pub object_label: Option<String>,
    /// The web app's page of the object, when it has one.
    pub object_link: Option<String>,
    pub result: String,
    /// What the entry records, readable: a review action's status before and after, its stage and opinion.
    pub changes: Vec<Change>,
    /// The detail as stored (JSON).
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

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The entries the filters select, newest first.
async fn filtered(state: &AppState, q: &AuditQuery) -> ApiResult<Select<entity::Entity>> {
    let mut query = entity::Entity::find();
    if let Some(a) = given(&q.action) {
        query = query.filter(entity::Column::Action.eq(a));
    }
    if let Some(r) = given(&q.result) {
        if !["success", "failure", "denied"].contains(&r) {
            return Err(ApiError::validation("result", "结果须为 success、failure 或 denied"));
        }
        query = query.filter(entity::Column::Result.eq(r));
    }
    if let Some(p) = given(&q.person) {
        if p.chars().count() > 64 {
            return Err(ApiError::validation("person", "人员最多64个字符"));
        }
        // A username as typed (also failed sign-ins, which name no user), or part of a user's name.
        use crate::directory::user;
        let named: Vec<String> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(Condition::any().add(user::Column::DisplayName.contains(p)).add(user::Column::Username.eq(p)))
            .limit(1000)
            .into_tuple()
            .all(&state.db)
            .await?;
        query = query.filter(Condition::any().add(entity::Column::ActorUsername.eq(p)).add(entity::Column::ActorUserId.is_in(named)));
    }
    if let Some(t) = given(&q.object_type) {
        query = query.filter(entity::Column::ObjectType.eq(t));
    }
    if let Some(id) = given(&q.object_id) {
        query = query.filter(entity::Column::ObjectId.eq(id));
    }
    let tz = crate::time::china();
    if let Some(from) = given(&q.from) {
        let start = tz.from_local_datetime(&day("from", from)?.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset");
        query = query.filter(entity::Column::At.gte(start.to_utc()));
    }
    if let Some(to) = given(&q.to) {
        let next = day("to", to)?.succ_opt().ok_or_else(|| ApiError::validation("to", "日期无效"))?;
        let end = tz.from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset");
        query = query.filter(entity::Column::At.lt(end.to_utc()));
    }
    Ok(query.order_by_desc(entity::Column::Id))
}

async fn readable(state: &AppState, rows: Vec<entity::Model>) -> ApiResult<Vec<AuditItem>> {
    let names = Names::of(&state.db, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|e| AuditItem {
            person: names.person(e.actor_user_id.as_deref()),
            organization_name: names.org(e.actor_org_id.as_deref()),
            action_label: readable::action_label(&e.action),
            object_type_label: e.object_type.as_deref().map(readable::object_type_label),
            object_label: names.object(e.object_type.as_deref(), e.object_id.as_deref()),
            object_link: readable::link(e.object_type.as_deref(), e.object_id.as_deref()),
            changes: readable::changes(e.detail.as_deref()),
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
        .collect())
}

/// The audit log, newest first: the audit administrator's, and only theirs (separation of duties). Review
/// actions carry their stage, opinion and status change, so this one view reads as the review trail too.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_audit(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AuditQuery>) -> ApiResult<Json<AuditList>> {
    // A refusal here is audited by the `audit_denials` middleware, like every other 403.
    user.require_any(&[Role::AuditAdmin])?;
    let Page { page, page_size } = Page::parse(q.page, q.page_size)?;
    let paginator = filtered(&state, &q).await?.paginate(&state.db, page_size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    Ok(Json(AuditList { items: readable(&state, rows).await?, total, page, page_size }))
}

/// Most entries one export holds; a longer period is exported in parts (the file says so).
pub const EXPORT_LIMIT: u64 = 20_000;

/// The entries the filters select as an Excel workbook (newest first, at most [`EXPORT_LIMIT`]). The export
/// itself is audited.
#[utoipa::path(get, path = "/api/audit/export.xlsx", tag = "audit", params(AuditQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn export_audit(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AuditQuery>) -> ApiResult<Response> {
    user.require_any(&[Role::AuditAdmin])?;
    let query = filtered(&state, &q).await?;
    let total = query.clone().count(&state.db).await?;
    let rows = query.limit(EXPORT_LIMIT).all(&state.db).await?;
    let times: Vec<String> = rows.iter().map(|r| crate::time::display(r.at)).collect();
    let items = readable(&state, rows).await?;

    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("审计日志").map_err(xlsx)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let headers = [("时间", 20), ("人员", 24), ("单位", 28), ("IP", 16), ("操作", 16), ("对象类型", 12), ("对象", 36), ("对象标识", 38), ("结果", 8), ("内容", 60)];
    for (c, (h, width)) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xlsx)?;
        sheet.set_column_width(c as u16, *width).map_err(xlsx)?;
    }
    for (i, (e, at)) in items.iter().zip(&times).enumerate() {
        let r = i as u32 + 1;
        let person = e.person.clone().or(e.username.clone()).unwrap_or_default();
        let result = match e.result.as_str() {
            "success" => "成功",
            "failure" => "失败",
            "denied" => "拒绝",
            other => other,
        };
        let content: Vec<String> = e
            .changes
            .iter()
            .map(|c| match (&c.before, &c.after) {
                (Some(b), Some(a)) => format!("{}：{b} → {a}", c.label),
                (None, Some(a)) => format!("{}：{a}", c.label),
                (Some(b), None) => format!("{}：{b} →", c.label),
                (None, None) => c.label.clone(),
            })
            .collect();
        let cells = [
            at.clone(),
            person,
            e.organization_name.clone().or(e.organization_id.clone()).unwrap_or_default(),
            e.ip.clone().unwrap_or_default(),
            e.action_label.clone(),
            e.object_type_label.clone().unwrap_or_default(),
            e.object_label.clone().unwrap_or_default(),
            e.object_id.clone().unwrap_or_default(),
            result.to_owned(),
            content.join("；"),
        ];
        for (c, text) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, text).map_err(xlsx)?;
        }
    }
    if total > EXPORT_LIMIT {
        let r = items.len() as u32 + 2;
        sheet.write_string(r, 0, format!("共{total}条，本文件为最新的{EXPORT_LIMIT}条；请缩小时间范围分批导出。")).map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    super::record(&state.db, Entry {
        action: "audit_export",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: None,
        object_id: None,
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({ "rows": items.len(), "total": total })),
    })
    .await?;
    let name = format!("审计日志-{}.xlsx", crate::time::display(chrono::Utc::now()).replace([' ', ':'], "-"));
    Ok(crate::http::xlsx_download(&name, bytes))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditVocabulary {
    pub actions: Vec<Term>,
    pub object_types: Vec<Term>,
}

/// The actions and object types the log records, with their Chinese names (the filters' choices).
#[utoipa::path(get, path = "/api/audit/vocabulary", tag = "audit",
    responses((status = 200, body = AuditVocabulary), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn vocabulary(user: CurrentUser) -> ApiResult<Json<AuditVocabulary>> {
    user.require_any(&[Role::AuditAdmin])?;
    let terms = |t: &[(&str, &str)]| t.iter().map(|(c, l)| Term { code: (*c).into(), label: (*l).into() }).collect();
    Ok(Json(AuditVocabulary { actions: terms(readable::ACTIONS), object_types: terms(readable::OBJECT_TYPES) }))
}
