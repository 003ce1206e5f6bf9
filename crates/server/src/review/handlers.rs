//! HTTP endpoints of the review engine (contract: `docs/review-engine.md`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use shuzhuan_core::review::{Action, ReturnTarget};
use utoipa::{IntoParams, ToSchema};

use super::engine::{self, ActRequest, Acting, NewCase};
use super::entity::{case, task};
use super::views::{self, CaseDetail, CaseSummary, RoundDiff};
use super::{TaskResult, TaskState};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::{contains, Page};
use crate::http::ApiJson;
use crate::state::AppState;

/// `YYYY-MM-DD` in China time → the UTC instant the day starts (or, with `end`, the next day starts).
fn day_bound(field: &str, value: &Option<String>, end: bool) -> ApiResult<Option<chrono::DateTime<Utc>>> {
    let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) else { return Ok(None) };
    let date = NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| ApiError::validation(field, "日期格式应为 年-月-日，如 2026-01-31"))?;
    let date = if end { date.succ_opt().unwrap_or(date) } else { date };
    let local = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Ok(crate::time::china().from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    pub kind: Option<String>,
    #[param(value_type = Option<super::CaseState>, inline)]
    pub status: Option<String>,
    pub submitted_from: Option<String>,
    pub submitted_to: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub total: u64,
}

/// The caller's organization's cases (申请列表), newest change first.
#[utoipa::path(get, path = "/api/review/cases", tag = "review", params(CaseQuery),
    responses((status = 200, body = CasePage), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_cases(State(state): State<AppState>, user: CurrentUser, Query(q): Query<CaseQuery>) -> ApiResult<Json<CasePage>> {
    let page = Page::parse(q.page, q.page_size)?;
    let mut query = case::Entity::find().filter(case::Column::OwnerOrgId.eq(user.organization.id.clone())).filter(case::Column::Status.ne(super::CaseState::Deleted));
    if let Some(status) = q.status.as_deref().filter(|s| !s.is_empty()) {
        let status = super::CaseState::parse(status)
            .filter(|s| *s != super::CaseState::Deleted)
            .ok_or_else(|| ApiError::validation("status", "状态筛选无效"))?;
        query = query.filter(case::Column::Status.eq(status));
    }
    if let Some(kind) = q.kind.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(case::Column::Kind.eq(kind));
    }
    if let Some(from) = day_bound("submitted_from", &q.submitted_from, false)? {
        query = query.filter(case::Column::SubmittedAt.gte(from));
    }
    if let Some(to) = day_bound("submitted_to", &q.submitted_to, true)? {
        query = query.filter(case::Column::SubmittedAt.lt(to));
    }
    let paginator = query.order_by_desc(case::Column::UpdatedAt).order_by_desc(case::Column::Id).paginate(&state.db, page.page_size);
    let total = paginator.num_items().await?;
    let mut items = Vec::new();
    for row in paginator.fetch_page(page.index()).await? {
        let l = engine::load(&state.db, &row.id).await?;
        let s = engine::standing(&state.db, &user, &l).await?;
        items.push(views::summary(&l, &engine::available(&user, &l, &s)));
    }
    Ok(Json(CasePage { items, total }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCaseInput {
    pub kind: String,
    #[schema(value_type = Object)]
    pub form: serde_json::Value,
}

/// Starts a draft of a kind owners create themselves. Send an `Idempotency-Key` header: a retry with the same
/// key (a double click, a network retry) creates nothing and answers with the draft the first one created.
#[utoipa::path(post, path = "/api/review/cases", tag = "review", request_body = NewCaseInput,
    responses((status = 201, body = CaseDetail), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_case(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NewCaseInput>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let kind = super::kind(&input.kind).filter(|k| k.owner_creates()).ok_or_else(|| ApiError::validation("kind", "不支持的申请类型"))?;
    let allowed = user.has_role(crate::auth::Role::OrgAdmin) || kind.owner_permission().is_some_and(|p| user.permissions.iter().any(|q| q == p));
    if !allowed {
        return Err(ApiError::Forbidden("无权发起此类申请".into()));
    }
    let key = engine::idempotency_key(&user, "create:", header_key(&headers))?;
    if let Some(key) = &key
        && let Some(id) = engine::created_with(&state.db, key).await?
    {
        return Ok((StatusCode::CREATED, Json(load_detail(&state, &user, &id).await?)));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let id = engine::submit_new_case(
        &txn,
        &state,
        NewCase { kind, owner_org_id: &user.organization.id, owner_region_code: user.organization.region_code.as_deref(), form: input.form, submit: false },
        &Acting::from(&user),
    )
    .await?;
    if let Some(key) = &key
        && !engine::remember_created(&txn, key, &id).await?
    {
        txn.rollback().await?;
        let first = engine::created_with(&state.db, key).await?.ok_or_else(|| ApiError::Conflict("请求正在处理，请稍后刷新".into()))?;
        return Ok((StatusCode::CREATED, Json(load_detail(&state, &user, &first).await?)));
    }
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(load_detail(&state, &user, &id).await?)))
}

/// The `Idempotency-Key` header, if the client sent one.
pub(crate) fn header_key(headers: &HeaderMap) -> Option<&str> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok())
}

async fn load_detail(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<CaseDetail> {
    let (l, s) = engine::load_visible(&state.db, user, id).await?;
    views::detail(state, user, &l, &s).await
}

/// One case: the form read-only, attachments, 审核进度, the trail, rounds and the caller's actions.
#[utoipa::path(get, path = "/api/review/cases/{id}", tag = "review", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = CaseDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn get_case(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<CaseDetail>> {
    Ok(Json(load_detail(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevealQuery {
    /// A personal-data field of the case's form (e.g. `contact_phone`).
    pub field: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalValue {
    pub field: String,
    pub value: String,
}

/// 查看完整信息: one personal-data field of a case in full, for someone who may see the case. Case pages show
/// such fields masked to other organizations; each reveal is audited (90-quality: unmasking is an audit event).
#[utoipa::path(get, path = "/api/review/cases/{id}/personal-data", tag = "review", params(("id" = String, Path, description = "case id"), RevealQuery),
    responses((status = 200, body = PersonalValue), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn reveal_personal_data(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<RevealQuery>) -> ApiResult<Json<PersonalValue>> {
    let (l, _) = engine::load_visible(&state.db, &user, &id).await?;
    if !l.kind.encrypted_fields().contains(&q.field.as_str()) {
        return Err(ApiError::validation("field", "该字段不是个人信息字段"));
    }
    let form = engine::decrypted_form(&state, &l)?;
    let value = form.get(&q.field).and_then(serde_json::Value::as_str).unwrap_or("").to_owned();
    crate::audit::record(
        &state.db,
        crate::audit::Entry {
            action: "unmask_personal_data",
            actor: Some(&user),
            username: None,
            ip: user.ip.clone(),
            object_type: Some("review_case"),
            object_id: Some(&id),
            outcome: crate::audit::Outcome::Success,
            detail: Some(serde_json::json!({ "field": q.field })),
        },
    )
    .await?;
    Ok(Json(PersonalValue { field: q.field, value }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FormInput {
    #[schema(value_type = Object)]
    pub form: serde_json::Value,
    /// The version the client read.
    pub version: u64,
}

/// Saves the owner's form (保存): draft or returned cases only; nothing is validated beyond types.
#[utoipa::path(put, path = "/api/review/cases/{id}/form", tag = "review", params(("id" = String, Path, description = "case id")), request_body = FormInput,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<FormInput>) -> ApiResult<Json<CaseDetail>> {
    engine::save_form(&state, &user, &id, input.form, input.version).await?;
    Ok(Json(load_detail(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionInput {
    /// `save_draft` is not an action here: drafts are saved with `PUT …/form`.
    #[schema(value_type = super::ActionCode)]
    pub action: String,
    /// The version the client read; another means someone acted first (409).
    pub version: u64,
    pub opinion: Option<String>,
    /// For `return`: `owner` or `previous_stage`; defaults to the stage's configured target.
    pub to: Option<String>,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

fn parse_action(input: &ActionInput) -> ApiResult<Action> {
    let opinion = input.opinion.clone();
    Ok(match input.action.as_str() {
        "submit" => Action::Submit,
        "resubmit" => Action::Resubmit,
        "approve" => Action::Approve { opinion },
        "reject" => Action::Reject { opinion },
        "return" => Action::Return {
            opinion,
            to: match input.to.as_deref() {
                None | Some("") => None,
                Some("owner") => Some(ReturnTarget::Owner),
                Some("previous_stage") => Some(ReturnTarget::PreviousStage),
                Some(_) => return Err(ApiError::validation("to", "退回对象无效")),
            },
        },
        "withdraw_by_reviewer" => Action::WithdrawByReviewer,
        "withdraw_by_owner" => Action::WithdrawByOwner,
        "delete" => Action::Delete,
        _ => return Err(ApiError::validation("action", "不支持的操作")),
    })
}

/// Acts on a case. Send an `Idempotency-Key` header: a retry with the same key changes nothing and
/// answers with the case as it is.
#[utoipa::path(post, path = "/api/review/cases/{id}/actions", tag = "review", params(("id" = String, Path, description = "case id")), request_body = ActionInput,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn act_on_case(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ActionInput>,
) -> ApiResult<Json<CaseDetail>> {
    let action = parse_action(&input)?;
    let idempotency_key = header_key(&headers).map(str::to_owned);
    engine::act(&state, &user, &id, ActRequest { action, version: input.version, attachment_ids: input.attachment_ids, idempotency_key }).await?;
    match load_detail(&state, &user, &id).await {
        // A deleted case is gone from view: answer with what the deletion left.
        Err(ApiError::NotFound(_)) if input.action == "delete" => Err(ApiError::NotFound("该事项已删除".into())),
        other => other.map(Json),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// What changed between two submissions (default: the last two).
#[utoipa::path(get, path = "/api/review/cases/{id}/diff", tag = "review", params(("id" = String, Path, description = "case id"), DiffQuery),
    responses((status = 200, body = RoundDiff), (status = 404, body = ErrorEnvelope)))]
pub async fn case_diff(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<DiffQuery>) -> ApiResult<Json<RoundDiff>> {
    let (l, _) = engine::load_visible(&state.db, &user, &id).await?;
    Ok(Json(views::diff(&state, &l, q.from, q.to).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// `open` (待审核, default) or `done` (已审核).
    #[param(value_type = Option<TaskState>, inline)]
    pub state: Option<String>,
    pub kind: Option<String>,
    /// Part of the case title.
    pub q: Option<String>,
    /// Part of the applicant's name.
    pub applicant: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskItem {
    pub task_id: String,
    pub case_id: String,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub applicant_name: String,
    pub stage_name: String,
    pub opened_at: crate::time::ApiTime,
    pub due_at: Option<crate::time::ApiTime>,
    pub overdue: bool,
    pub closed_at: Option<crate::time::ApiTime>,
    pub outcome: Option<TaskResult>,
    pub outcome_label: Option<String>,
    pub version: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageCount {
    pub kind: String,
    pub kind_name: String,
    pub stage_key: String,
    pub stage_name: String,
    /// 待审核
    pub open: i64,
    /// 已通过 (已推荐)
    pub approved: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskItem>,
    pub total: u64,
    pub counts: Vec<StageCount>,
}

fn outcome_label(o: TaskResult) -> &'static str {
    match o {
        TaskResult::Approved => "已通过",
        TaskResult::Rejected => "不通过",
        TaskResult::Returned => "已退回",
        TaskResult::Cancelled => "已撤回",
    }
}

/// What the to-do list is filtered by (the query string, parsed).
#[derive(Debug, Clone)]
pub struct TodoFilter {
    pub state: TaskState,
    pub kind: Option<String>,
    /// Part of the case title.
    pub title: Option<String>,
    /// Part of the applicant's name.
    pub applicant: Option<String>,
    pub opened_from: Option<chrono::DateTime<Utc>>,
    pub opened_before: Option<chrono::DateTime<Utc>>,
    /// Whose tasks: the user's section and user type (责任科室), or the whole organization's.
    pub holder: super::sections::Holder,
}

/// The to-do list's rows for `org_id`, newest first (opened for 待审核, closed for 已审核). Public so that the
/// review benchmark measures the very statements the endpoint runs.
pub fn todo_query(org_id: &str, f: &TodoFilter) -> sea_orm::Select<task::Entity> {
    let mut query = task::Entity::find().filter(task::Column::AssigneeOrgId.eq(org_id)).filter(task::Column::State.eq(f.state)).filter(f.holder.condition());
    if let Some(kind) = &f.kind {
        query = query.filter(task::Column::Kind.eq(kind.as_str()));
    }
    if let Some(text) = &f.title {
        query = query.filter(Expr::col(task::Column::Title).like(contains(text)));
    }
    if let Some(text) = &f.applicant {
        query = query.filter(Expr::col(task::Column::ApplicantName).like(contains(text)));
    }
    if let Some(from) = f.opened_from {
        query = query.filter(task::Column::OpenedAt.gte(from));
    }
    if let Some(to) = f.opened_before {
        query = query.filter(task::Column::OpenedAt.lt(to));
    }
    let order = if f.state == TaskState::Open { task::Column::OpenedAt } else { task::Column::ClosedAt };
    query.order_by_desc(order).order_by_desc(task::Column::Id)
}

/// Per-stage counts (待审核 / 已通过) over all of the organization's tasks, whatever the filters.
pub fn stage_counts_query(org_id: &str, holder: &super::sections::Holder) -> sea_orm::Select<task::Entity> {
    task::Entity::find()
        .select_only()
        .column(task::Column::Kind)
        .column(task::Column::StageKey)
        .column(task::Column::StageName)
        .column(task::Column::State)
        .column(task::Column::Outcome)
        // COUNT(*) rather than COUNT(id): the covering index idx_review_tasks_stage_counts answers it alone.
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(task::Column::AssigneeOrgId.eq(org_id))
        .filter(holder.condition())
        .group_by(task::Column::Kind)
        .group_by(task::Column::StageKey)
        .group_by(task::Column::StageName)
        .group_by(task::Column::State)
        .group_by(task::Column::Outcome)
}

/// The reviewer's to-do list: tasks assigned to the caller's organization.
#[utoipa::path(get, path = "/api/review/tasks", tag = "review", params(TaskQuery),
    responses((status = 200, body = TaskPage), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_tasks(State(state): State<AppState>, user: CurrentUser, Query(q): Query<TaskQuery>) -> ApiResult<Json<TaskPage>> {
    if !engine::may_review(&user) {
        return Err(ApiError::Forbidden("无审核办理权限".into()));
    }
    let page = Page::parse(q.page, q.page_size)?;
    let wanted = match q.state.as_deref() {
        None | Some("") | Some("open") => TaskState::Open,
        Some("done") => TaskState::Done,
        Some(_) => return Err(ApiError::validation("state", "状态筛选无效")),
    };
    let org_id = user.organization.id.clone();
    let filter = TodoFilter {
        state: wanted,
        kind: q.kind.clone().filter(|s| !s.is_empty()),
        title: q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
        applicant: q.applicant.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
        opened_from: day_bound("from", &q.from, false)?,
        opened_before: day_bound("to", &q.to, true)?,
        holder: super::sections::Holder::of(&user),
    };
    let paginator = todo_query(&org_id, &filter).paginate(&state.db, page.page_size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.index()).await?;
    let case_ids: Vec<String> = rows.iter().map(|t| t.case_id.clone()).collect();
    let versions: HashMap<String, i64> = if case_ids.is_empty() {
        HashMap::new()
    } else {
        case::Entity::find()
            .select_only()
            .column(case::Column::Id)
            .column(case::Column::Version)
            .filter(case::Column::Id.is_in(case_ids))
            .into_tuple::<(String, i64)>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect()
    };
    let now = Utc::now();
    let mut kind_names: HashMap<String, String> = HashMap::new();
    for key in rows.iter().map(|t| t.kind.clone()) {
        if !kind_names.contains_key(&key) {
            let name = super::flows::current(&state.db, &key).await.map(|f| f.name().to_owned()).unwrap_or_else(|_| key.clone());
            kind_names.insert(key, name);
        }
    }
    let items = rows
        .into_iter()
        .map(|t| TaskItem {
            version: versions.get(&t.case_id).copied().unwrap_or_default(),
            kind_name: kind_names.get(&t.kind).cloned().unwrap_or_default(),
            overdue: t.state == TaskState::Open && t.due_at.is_some_and(|d| d < now),
            outcome_label: t.outcome.map(|o| outcome_label(o).to_owned()),
            task_id: t.id,
            case_id: t.case_id,
            kind: t.kind,
            title: t.title,
            applicant_name: t.applicant_name,
            stage_name: t.stage_name,
            opened_at: crate::time::api(t.opened_at),
            due_at: t.due_at.map(crate::time::api),
            closed_at: t.closed_at.map(crate::time::api),
            outcome: t.outcome,
        })
        .collect();

    // Per-stage counts (待审核 / 已通过) over all of the organization's tasks, whatever the filters.
    let grouped: Vec<(String, String, String, TaskState, Option<TaskResult>, i64)> = stage_counts_query(&org_id, &filter.holder).into_tuple().all(&state.db).await?;
    let mut counts: Vec<StageCount> = Vec::new();
    for (kind, stage_key, stage_name, st, outcome, n) in grouped {
        let idx = match counts.iter().position(|c| c.kind == kind && c.stage_key == stage_key) {
            Some(i) => i,
            None => {
                let kind_name = match kind_names.get(&kind) {
                    Some(n) => n.clone(),
                    None => super::flows::current(&state.db, &kind).await.map(|f| f.name().to_owned()).unwrap_or_else(|_| kind.clone()),
                };
                counts.push(StageCount { kind: kind.clone(), kind_name, stage_key: stage_key.clone(), stage_name, open: 0, approved: 0 });
                counts.len() - 1
            }
        };
        if st == TaskState::Open {
            counts[idx].open += n;
        } else if outcome == Some(TaskResult::Approved) {
            counts[idx].approved += n;
        }
    }
    Ok(Json(TaskPage { items, total, counts }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchItem {
    pub case_id: String,
    pub version: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchApproveInput {
    pub items: Vec<BatchItem>,
    pub opinion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    pub case_id: String,
    pub title: String,
    pub ok: bool,
    pub message: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchApproveResult {
    pub results: Vec<BatchResult>,
}

/// Most cases one batch approves; a larger selection is split by the client.
pub const MAX_BATCH: usize = 1000;
/// 批量通过: approves each case with the same opinion (see [`super::batch`]); the result lists each, failures
/// included.
#[utoipa::path(post, path = "/api/review/tasks/batch-approve", tag = "review", request_body = BatchApproveInput,
    responses((status = 200, body = BatchApproveResult), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn batch_approve(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<BatchApproveInput>) -> ApiResult<Json<BatchApproveResult>> {
    if !engine::may_review(&user) {
        return Err(ApiError::Forbidden("无审核办理权限".into()));
    }
    if input.items.is_empty() || input.items.len() > MAX_BATCH {
        return Err(ApiError::validation("items", format!("请选择1至{MAX_BATCH}条待审核事项")));
    }
    let items = input.items.into_iter().map(|i| super::batch::Item { case_id: i.case_id, version: i.version }).collect();
    let outcomes = super::batch::approve(&state, &user, items, input.opinion).await?;
    let results = outcomes
        .into_iter()
        .map(|o| match o.result {
            Ok(()) => BatchResult { case_id: o.case_id, title: o.title, ok: true, message: None },
            Err(e) => {
                if let ApiError::Internal(inner) = &e {
                    tracing::error!(case_id = %o.case_id, error = ?inner, "batch approve: unexpected error on one item");
                }
                BatchResult { case_id: o.case_id, title: o.title, ok: false, message: Some(e.to_string()) }
            }
        })
        .collect();
    Ok(Json(BatchApproveResult { results }))
}
