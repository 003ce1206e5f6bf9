//! 项目入库 (seed 002 ch. 9, spec 40 §5) as a reviewed case of kind `acceptance`: 镇街审核 → 验收专家审核 →
//! 市工信复审 → 已入库 (flow `acceptance`).
//!
//! - **Created** when 项目实施-改造完成 is submitted, as a draft prefilled with the project's whole record: the
//!   filed 企业基本信息 and 项目基本信息, the signed 数字化改造需求 and products, the levels and results of
//!   改造完成 (`data/forms/acceptance.json`). The enterprise corrects any of it and uploads the evidence.
//! - **Only inside the opening window** the city sets (项目入库开放时段, on its lifecycle settings): before it,
//!   or when none is set, 保存 and 提交 are refused with 「尚未到达项目入库开放时段」; after it, with when it
//!   closed. Judged by the server's clock (`AppState::clock`), on every save and submission, whichever endpoint
//!   carries it ([`CaseKind::check_owner_save`], [`CaseKind::on_submitted`]). Reading is always allowed.
//! - **验收专家**: the city assigns one expert (a user with the expert role in an organization of the city) to
//!   each project, before the town passes it on; the engine gives the 验收专家审核 task to that person alone
//!   (`AssigneeRule::CasePerson`), so an expert sees only the projects assigned to them. Until the expert's
//!   stage opens the city may assign another.
//! - A return resumes, once resubmitted, at the stage that returned it (and reaches the same expert); 提交 is
//!   final otherwise (no 信息变更). 已入库 moves the project to `Accepted` and writes `acceptance_completed` to the
//!   national feed.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::form::{self, FormSchema};
use shuzhuan_core::review::CaseStatus;
use shuzhuan_core::{RegionCode, RegionLevel};
use utoipa::ToSchema;

use super::entity::city_setting;
use super::entity::project::{self, ProjectStage};
use super::handlers::{own_project, require_city_bureau, require_enterprise};
use crate::audit::{self, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::directory::{user, user_role};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::review::{self, CaseKind, CaseRef, CaseState, FieldRow};
use crate::state::AppState;
use crate::time::ApiTime;

pub struct Acceptance;

inventory::submit! { crate::review::Registered(&Acceptance) }

/// The case kind (and flow) of 项目入库.
pub const KIND: &str = "acceptance";

/// The refs field the city's assignment fills, which the flow's 验收专家审核 reads (`CasePerson`).
pub const EXPERT_FIELD: &str = "acceptance_expert_id";

use crate::form::at_values;

pub const FORM_JSON: &str = include_str!("../../../../data/forms/acceptance.json");

/// The schema, parsed and checked once (a broken file fails the tests, not a request).
pub fn schema() -> &'static FormSchema {
    static SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(FORM_JSON, "acceptance"));
    &SCHEMA
}

fn str_of<'a>(form: &'a Value, key: &str) -> &'a str {
    form[key].as_str().unwrap_or("")
}

// ---------------------------------------------------------------------------------------------------------
// 项目入库开放时段

/// Where now stands against the city's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    /// The city has not set one: not open.
    Unset,
    Before,
    Open,
    After,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AcceptanceWindow {
    pub opens_at: Option<ApiTime>,
    pub closes_at: Option<ApiTime>,
    pub state: WindowState,
    /// What the page says when it is not open (the refusal's words).
    pub notice: Option<String>,
}

/// The window of the city a project's town belongs to, as it stands at `now`.
pub async fn window_of(db: &impl sea_orm::ConnectionTrait, town_code: Option<&str>, now: DateTime<Utc>) -> ApiResult<AcceptanceWindow> {
    let city = town_code.and_then(|t| RegionCode::parse(t).ok()).and_then(|t| std::iter::once(t).chain(t.ancestors()).find(|a| a.level() == RegionLevel::City));
    let row = match city {
        Some(c) => city_setting::Entity::find_by_id(c.as_str().to_owned()).one(db).await?,
        None => None,
    };
    let (opens, closes) = row.map(|r| (r.acceptance_opens_at, r.acceptance_closes_at)).unwrap_or_default();
    Ok(window_at(opens, closes, now))
}

pub fn window_at(opens: Option<DateTime<Utc>>, closes: Option<DateTime<Utc>>, now: DateTime<Utc>) -> AcceptanceWindow {
    let (state, notice) = match (opens, closes) {
        (Some(o), Some(_)) if now < o => (WindowState::Before, Some(format!("尚未到达项目入库开放时段（{} 开放），该功能暂未启用", crate::time::display(o)))),
        (Some(_), Some(c)) if now >= c => (WindowState::After, Some(format!("项目入库开放时段已于 {} 结束，如需补报请联系市工业和信息化局", crate::time::display(c)))),
        (Some(_), Some(_)) => (WindowState::Open, None),
        _ => (WindowState::Unset, Some("尚未到达项目入库开放时段，该功能暂未启用；开放时间将另行通知，请关注系统公告".to_owned())),
    };
    AcceptanceWindow { opens_at: opens.map(crate::time::api), closes_at: closes.map(crate::time::api), state, notice }
}

impl AcceptanceWindow {
    fn require_open(&self) -> ApiResult<()> {
        match &self.notice {
            Some(n) if self.state != WindowState::Open => Err(ApiError::Conflict(n.clone())),
            _ => Ok(()),
        }
    }
}

async fn require_window(state: &AppState, db: &impl sea_orm::ConnectionTrait, project_id: &str) -> ApiResult<()> {
    let p = project::Entity::find_by_id(project_id.to_owned()).one(db).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    window_of(db, p.town_code.as_deref(), state.clock.now()).await?.require_open()
}

// ---------------------------------------------------------------------------------------------------------
// The case kind

fn check_draft(form: &Value) -> Result<(), Vec<FieldError>> {
    let bad = |field: &str| Err(vec![FieldError { field: field.into(), message: "填写内容的格式不正确".into() }]);
    let Some(obj) = form.as_object() else { return bad("form") };
    if obj.get("values").is_some_and(|v| !v.is_object()) {
        return bad("values");
    }
    for key in ["project_id", "town_org_id", "town_name", EXPERT_FIELD] {
        if obj.get(key).is_some_and(|v| !v.is_string() && !v.is_null()) {
            return bad(key);
        }
    }
    let problems = form::check_draft(schema(), &form["values"]);
    if problems.is_empty() { Ok(()) } else { Err(at_values(problems)) }
}

fn attachments(form: &Value) -> Vec<String> {
    crate::files::form_file_ids(schema(), &form["values"])
}

#[async_trait::async_trait]
impl CaseKind for Acceptance {
    fn key(&self) -> &'static str {
        KIND
    }

    fn owner_permission(&self) -> Option<&'static str> {
        Some(super::PERMISSION)
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        check_draft(form)
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        match form::validate(schema(), &form["values"]) {
            Ok(()) => Ok(()),
            Err(problems) => Err(at_values(problems)),
        }
    }

    fn title(&self, form: &Value, _owner_org_name: &str) -> String {
        let name = str_of(&form["values"], "project_name").trim();
        format!("项目入库：{}", if name.is_empty() { "未命名项目" } else { name })
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        form::rows(schema(), &form["values"]).into_iter().map(|r| FieldRow::new(&format!("values.{}", r.key), &r.label, r.value)).collect()
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        attachments(form)
    }

    /// The town's body (镇街审核) and the assigned expert (验收专家审核).
    fn organizations(&self, form: &Value) -> BTreeMap<String, String> {
        ["town_org_id", EXPERT_FIELD].into_iter().filter(|k| !str_of(form, k).is_empty()).map(|k| (k.to_owned(), str_of(form, k).to_owned())).collect()
    }

    /// Like the filing: the project's town reviews first, its city last.
    fn program_region_from(&self) -> Option<&'static str> {
        Some("town_org_id")
    }

    /// The project's town and expert, from the project, whatever the client sent.
    async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
        let p = project::Entity::find_by_id(str_of(&form, "project_id").to_owned())
            .filter(project::Column::OrgId.eq(owner_org_id))
            .one(db)
            .await?
            .ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
        if !form["values"].is_object() {
            form["values"] = json!({});
        }
        form["town_org_id"] = Value::Null;
        form["town_name"] = Value::Null;
        if let Some(town) = p.town_code.as_deref().and_then(|t| RegionCode::parse(t).ok()) {
            form["town_name"] = json!(crate::reference::entity::region::Entity::find_by_id(town.as_str().to_owned()).one(db).await?.map(|r| r.name));
            form["town_org_id"] = json!(super::filing::town_body(db, &town).await?.map(|o| o.id));
        }
        form[EXPERT_FIELD] = json!(p.acceptance_expert_id);
        Ok(form)
    }

    async fn check_owner_save(&self, state: &AppState, stored: &Value, incoming: &Value) -> ApiResult<()> {
        if str_of(incoming, "project_id") != str_of(stored, "project_id") {
            return Err(ApiError::validation("project_id", "项目入库不能改为其他项目"));
        }
        require_window(state, &state.db, str_of(stored, "project_id")).await
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(str_of(form, "town_name").to_owned()).filter(|s| !s.is_empty())
    }

    /// Inside the window, by the server's clock, and every file the enterprise's own.
    async fn on_submitted(&self, txn: &DatabaseTransaction, state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        require_window(state, txn, str_of(form, "project_id")).await?;
        crate::files::own_files(txn, &case.owner_org_id, "values", &attachments(form)).await.map(drop)
    }

    /// 已入库: the project is accepted, and the national platform receives it.
    async fn on_approved(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        let now = Utc::now();
        let moved = project::Entity::update_many()
            .col_expr(project::Column::Stage, Expr::value(ProjectStage::Accepted))
            .col_expr(project::Column::AcceptedAt, Expr::value(now))
            .col_expr(project::Column::UpdatedAt, Expr::value(now))
            .filter(project::Column::AcceptanceCaseId.eq(case.id.clone()))
            .filter(project::Column::Stage.eq(ProjectStage::Acceptance))
            .exec(txn)
            .await?;
        if moved.rows_affected == 0 {
            return Ok(());
        }
        let values = &form["values"];
        let synced: serde_json::Map<String, Value> = SYNCED_FIELDS.iter().map(|k| ((*k).to_owned(), values[*k].clone())).collect();
        let data = json!({ "accepted_at": crate::time::api(now), "acceptance": synced, "evidence_files": attachments(form).len() });
        super::national_sync::record(txn, str_of(form, "project_id"), super::national_sync::SyncEvent::AcceptanceCompleted, data).await
    }
}

/// The accepted record's fields the national platform receives (docs/national-sync.md).
const SYNCED_FIELDS: &[&str] = &["project_name", "period", "level_before", "level_after", "results"];

// ---------------------------------------------------------------------------------------------------------
// Created with 项目实施-改造完成

/// What the record says so far, as the acceptance's first values: the filed record, the signing, and
/// `results`/levels from 改造完成. Read before the transaction that creates the case.
pub(super) async fn prefill(state: &AppState, p: &project::Model, level_before: Option<&str>, level_after: Option<&str>, results: String) -> ApiResult<Value> {
    let filed = super::filing_change::record(state, p).await?;
    let f = &filed["values"];
    let signed: Value = match super::entity::signing::Entity::find_by_id(p.id.clone()).one(&state.db).await? {
        Some(s) => serde_json::from_str(&s.form).unwrap_or(Value::Null),
        None => Value::Null,
    };
    let needs: Vec<String> = signed["values"]["demands"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| format!("{}：{}{}", str_of(d, "scene"), str_of(d, "description"), Some(str_of(d, "analysis")).filter(|a| !a.is_empty()).map(|a| format!("（{a}）")).unwrap_or_default()))
        .collect();
    let products: Vec<String> = signed["products"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| format!("{}（{}）签约价格 {} 万元", str_of(x, "name"), str_of(x, "provider_name"), str_of(x, "price")))
        .collect();
    let mut values = serde_json::Map::new();
    for k in ["enterprise_name", "uscc", "address", "headcount", "digital_headcount", "project_name", "summary", "site_address", "period"] {
        if !f[k].is_null() {
            values.insert(k.to_owned(), f[k].clone());
        }
    }
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            values.insert(k.to_owned(), json!(v));
        }
    };
    put("level_before", level_before.map(str::to_owned));
    put("level_after", level_after.map(str::to_owned));
    put("needs", Some(needs.join("\n")));
    put("products", Some(products.join("\n")));
    put("results", Some(results));
    Ok(json!({ "project_id": p.id, "values": values }))
}

/// Creates the project's acceptance draft inside the transaction that submits 改造完成 (once: the column is
/// set only from null, and its unique index is the backstop).
pub(super) async fn open(txn: &DatabaseTransaction, state: &AppState, user: &CurrentUser, p: &project::Model, form: Value) -> ApiResult<()> {
    if p.acceptance_case_id.is_some() {
        return Ok(());
    }
    let form = Acceptance.normalize(txn, &p.org_id, form).await?;
    let acting = review::Acting::from(user);
    let new = review::NewCase { kind: &Acceptance, owner_org_id: &p.org_id, owner_region_code: user.organization.region_code.as_deref(), form, submit: false };
    let row = review::insert_draft(txn, state, &new, &acting).await?;
    project::Entity::update_many()
        .col_expr(project::Column::AcceptanceCaseId, Expr::value(row.id))
        .filter(project::Column::Id.eq(p.id.clone()))
        .filter(project::Column::AcceptanceCaseId.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// The enterprise's pages

/// Where the case is on seed 002's process (项目入库提交 → 镇街审核 → 验收专家审核 → 市工信复审 → 入库完成): 0 before
/// submission, then the stage it waits at or was returned from (1 …), 4 once 已入库.
fn step_of(status: &CaseStatus) -> u32 {
    match status {
        CaseStatus::InReview { stage } | CaseStatus::Returned { from_stage: stage } => *stage as u32 + 1,
        CaseStatus::Approved => 4,
        _ => 0,
    }
}

/// 项目入库状态: 待提交, the reviewing stage (镇街审核中 …), 已退回，待修改, 已入库, 未通过.
async fn status_label(state: &AppState, case: &CaseRef) -> ApiResult<String> {
    Ok(match case.state {
        CaseState::Draft => "待提交".into(),
        CaseState::InReview => format!("{}中", case.stage_name(&state.db).await?),
        CaseState::Returned => "已退回，待修改".into(),
        CaseState::Approved => "已入库".into(),
        CaseState::Rejected => "未通过".into(),
        _ => case.status.label().to_owned(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceItem {
    pub project_id: String,
    pub project_name: String,
    pub filing_number: Option<String>,
    /// The case's status code (`draft`, `in_review`, `returned`, `approved`, `rejected`).
    pub status: String,
    pub status_label: String,
    /// 0 before submission … 4 once 已入库 (see the page's process).
    pub step: u32,
    pub submitted_at: Option<ApiTime>,
    pub accepted_at: Option<ApiTime>,
    /// Whether 编辑 is offered: a draft or returned case inside the window.
    pub editable: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceList {
    pub items: Vec<AcceptanceItem>,
    /// The window of the enterprise's city (the page's notice).
    pub window: AcceptanceWindow,
}

async fn item(state: &AppState, p: &project::Model, case: &CaseRef, window: &AcceptanceWindow) -> ApiResult<AcceptanceItem> {
    Ok(AcceptanceItem {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        filing_number: p.filing_number.clone(),
        status: case.status.code().to_owned(),
        status_label: status_label(state, case).await?,
        step: step_of(&case.status),
        submitted_at: case.submitted_at.map(crate::time::api),
        accepted_at: p.accepted_at.map(crate::time::api),
        editable: matches!(case.state, CaseState::Draft | CaseState::Returned) && window.state == WindowState::Open,
    })
}

/// 项目入库: the enterprise's projects whose acceptance exists, newest first.
#[utoipa::path(get, path = "/api/acceptances", tag = "lifecycle",
    responses((status = 200, body = AcceptanceList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_acceptances(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<AcceptanceList>> {
    require_enterprise(&user)?;
    let rows = project::Entity::find()
        .filter(project::Column::OrgId.eq(user.organization.id.clone()))
        .filter(project::Column::AcceptanceCaseId.is_not_null())
        .order_by_desc(project::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let cases = review::case_summaries_by_ids(&state.db, rows.iter().filter_map(|p| p.acceptance_case_id.clone()).collect()).await?;
    let now = state.clock.now();
    let town = rows.first().and_then(|p| p.town_code.clone());
    let window = window_of(&state.db, town.as_deref(), now).await?;
    let mut items = Vec::new();
    for p in &rows {
        let Some(case) = p.acceptance_case_id.as_ref().and_then(|id| cases.get(id)) else { continue };
        let w = window_of(&state.db, p.town_code.as_deref(), now).await?;
        items.push(item(&state, p, case, &w).await?);
    }
    Ok(Json(AcceptanceList { items, window }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceView {
    #[serde(flatten)]
    pub item: AcceptanceItem,
    pub case_id: String,
    /// The case's version: a save or submit over a newer one (another tab) is refused, not merged.
    pub version: i64,
    pub window: AcceptanceWindow,
    /// The form (`data/forms/acceptance.json`, docs/forms.md) and its values.
    #[schema(value_type = Object)]
    pub schema: Value,
    #[schema(value_type = Object)]
    pub values: Value,
    /// Names of the files the values name.
    pub file_names: BTreeMap<String, String>,
    /// The latest reviewer's opinion (a return's reason).
    pub latest_opinion: Option<String>,
    /// The 验收专家 the city assigned, once it has.
    pub expert_name: Option<String>,
}

async fn reach(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<(project::Model, CaseRef)> {
    require_enterprise(user)?;
    let p = own_project(state, user, id).await?;
    let case_id = p.acceptance_case_id.clone().ok_or_else(|| ApiError::Conflict("项目实施-改造完成提交后才能办理项目入库".into()))?;
    let case = review::case_by_id(&state.db, &case_id).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    Ok((p, case))
}

async fn expert_name(state: &AppState, p: &project::Model) -> ApiResult<Option<String>> {
    Ok(match &p.acceptance_expert_id {
        Some(id) => user::Entity::find_by_id(id.clone()).one(&state.db).await?.map(|u| u.display_name),
        None => None,
    })
}

async fn view(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<AcceptanceView> {
    let (p, case) = reach(state, user, id).await?;
    let form = case.form(state)?;
    let window = window_of(&state.db, p.town_code.as_deref(), state.clock.now()).await?;
    let version = review::load_case(&state.db, &case.id).await?.row.version;
    let file_names = crate::files::names_of(&state.db, &p.org_id, attachments(&form)).await?;
    Ok(AcceptanceView {
        item: item(state, &p, &case, &window).await?,
        case_id: case.id.clone(),
        version,
        window,
        schema: serde_json::to_value(schema()).expect("schemas serialize"),
        values: form["values"].clone(),
        file_names,
        latest_opinion: case.latest_opinion.clone(),
        expert_name: expert_name(state, &p).await?,
    })
}

#[utoipa::path(get, path = "/api/projects/{id}/acceptance", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = AcceptanceView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn get_acceptance(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<AcceptanceView>> {
    Ok(Json(view(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptanceInput {
    #[schema(value_type = Object)]
    pub values: Value,
    /// The version the page loaded.
    pub version: u64,
}

/// 保存 (inside the window): incomplete work is kept; malformed values and foreign files are refused.
#[utoipa::path(put, path = "/api/projects/{id}/acceptance", tag = "lifecycle", params(("id" = String, Path)), request_body = AcceptanceInput,
    responses((status = 200, body = AcceptanceView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_acceptance(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<AcceptanceInput>) -> ApiResult<Json<AcceptanceView>> {
    let (p, case) = reach(&state, &user, &id).await?;
    crate::files::check_wanted(&state.db, &user.organization.id, crate::files::form_files(schema(), &input.values, "values")).await?;
    review::save_form(&state, &user, &case.id, json!({ "project_id": p.id, "values": input.values }), input.version).await?;
    Ok(Json(view(&state, &user, &p.id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptanceSubmit {
    pub version: u64,
}

/// 提交 (or, after a return, 重新提交 to the stage that returned it), inside the window: every required field
/// checked, each missing one named (422); nothing changes when refused.
#[utoipa::path(post, path = "/api/projects/{id}/acceptance/submit", tag = "lifecycle", params(("id" = String, Path)), request_body = AcceptanceSubmit,
    responses((status = 200, body = AcceptanceView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_acceptance(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<AcceptanceSubmit>) -> ApiResult<Json<AcceptanceView>> {
    let (p, case) = reach(&state, &user, &id).await?;
    super::handlers::submit_case(&state, &user, &case, input.version).await?;
    Ok(Json(view(&state, &user, &p.id).await?))
}

// ---------------------------------------------------------------------------------------------------------
// The city: the window and the experts

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertChoice {
    /// The expert's user id.
    pub id: String,
    pub name: String,
    pub organization_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceAssignment {
    pub project_id: String,
    pub project_name: String,
    pub enterprise_name: String,
    pub town_name: Option<String>,
    pub status_label: String,
    pub step: u32,
    pub expert_id: Option<String>,
    pub expert_name: Option<String>,
    /// Until 验收专家审核 has opened, the city may assign (another) expert.
    pub can_assign: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceAssignments {
    pub window: AcceptanceWindow,
    pub items: Vec<AcceptanceAssignment>,
    /// The experts of the city (users with the expert role in its organizations).
    pub experts: Vec<ExpertChoice>,
}

/// The experts the city may assign: active users holding the expert role in an organization registered in
/// the city (its expert pool, its agencies).
async fn experts_of(state: &AppState, city: &RegionCode) -> ApiResult<Vec<ExpertChoice>> {
    let ids: Vec<String> = user_role::Entity::find().filter(user_role::Column::Role.eq(Role::Expert.as_str())).all(&state.db).await?.into_iter().map(|r| r.user_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let users = user::Entity::find().filter(user::Column::Id.is_in(ids)).filter(user::Column::Status.eq("active")).order_by_asc(user::Column::DisplayName).all(&state.db).await?;
    let orgs = crate::directory::by_ids(&state.db, users.iter().map(|u| u.organization_id.clone()).collect()).await?;
    Ok(users
        .into_iter()
        .filter_map(|u| {
            let o = orgs.get(&u.organization_id)?;
            let region = RegionCode::parse(o.region_code.as_deref()?).ok()?;
            region.is_within(city).then(|| ExpertChoice { id: u.id, name: u.display_name, organization_name: o.name.clone() })
        })
        .collect())
}

/// The city's projects (of its towns) whose acceptance exists.
async fn city_projects(state: &AppState, city: &RegionCode) -> ApiResult<Vec<project::Model>> {
    Ok(project::Entity::find()
        .filter(project::Column::AcceptanceCaseId.is_not_null())
        .filter(project::Column::TownCode.starts_with(city.as_str()))
        .order_by_desc(project::Column::UpdatedAt)
        .all(&state.db)
        .await?)
}

/// Whether 验收专家审核 (stage 1) has ever opened: then the expert stays.
fn expert_stage_opened(case: &CaseRef) -> bool {
    match case.status {
        CaseStatus::InReview { stage } | CaseStatus::Returned { from_stage: stage } => stage >= 1,
        CaseStatus::Draft => false,
        _ => true,
    }
}

/// 项目入库管理 (city): the window, each project's acceptance with its expert, and the experts to choose from.
#[utoipa::path(get, path = "/api/acceptance/assignments", tag = "lifecycle",
    responses((status = 200, body = AcceptanceAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn acceptance_assignments(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<AcceptanceAssignments>> {
    let city = require_city_bureau(&user)?;
    Ok(Json(assignments_view(&state, &city).await?))
}

async fn assignments_view(state: &AppState, city: &RegionCode) -> ApiResult<AcceptanceAssignments> {
    let rows = city_projects(state, city).await?;
    let cases = review::case_summaries_by_ids(&state.db, rows.iter().filter_map(|p| p.acceptance_case_id.clone()).collect()).await?;
    let enterprises = crate::directory::by_ids(&state.db, rows.iter().map(|p| p.org_id.clone()).collect()).await?;
    let experts = experts_of(state, city).await?;
    let towns: Vec<String> = rows.iter().filter_map(|p| p.town_code.clone()).collect();
    let town_names: BTreeMap<String, String> = crate::reference::entity::region::Entity::find()
        .filter(crate::reference::entity::region::Column::Code.is_in(towns))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let mut items = Vec::new();
    for p in rows {
        let Some(case) = p.acceptance_case_id.as_ref().and_then(|id| cases.get(id)) else { continue };
        let expert_name = match &p.acceptance_expert_id {
            Some(id) => match experts.iter().find(|e| &e.id == id) {
                Some(e) => Some(e.name.clone()),
                None => user::Entity::find_by_id(id.clone()).one(&state.db).await?.map(|u| u.display_name),
            },
            None => None,
        };
        items.push(AcceptanceAssignment {
            project_name: p.name.clone(),
            enterprise_name: enterprises.get(&p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
            town_name: p.town_code.as_ref().and_then(|t| town_names.get(t).cloned()),
            status_label: status_label(state, case).await?,
            step: step_of(&case.status),
            expert_id: p.acceptance_expert_id.clone(),
            expert_name,
            can_assign: !expert_stage_opened(case),
            project_id: p.id,
        });
    }
    let window = window_at_city(state, city).await?;
    Ok(AcceptanceAssignments { window, items, experts })
}

async fn window_at_city(state: &AppState, city: &RegionCode) -> ApiResult<AcceptanceWindow> {
    let row = city_setting::Entity::find_by_id(city.as_str().to_owned()).one(&state.db).await?;
    let (opens, closes) = row.map(|r| (r.acceptance_opens_at, r.acceptance_closes_at)).unwrap_or_default();
    Ok(window_at(opens, closes, state.clock.now()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExpertInput {
    /// The expert's user id (one of the `experts` offered).
    pub expert_id: String,
}

/// 分配验收专家: the city names the expert of a project of its towns, until 验收专家审核 has opened. Guarded by
/// the case's version: a town approving at the same moment either sees the expert or makes this refused.
#[utoipa::path(put, path = "/api/projects/{id}/acceptance/expert", tag = "lifecycle", params(("id" = String, Path)), request_body = ExpertInput,
    responses((status = 200, body = AcceptanceAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn assign_expert(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ExpertInput>) -> ApiResult<Json<AcceptanceAssignments>> {
    let city = require_city_bureau(&user)?;
    let p = project::Entity::find_by_id(id.clone())
        .one(&state.db)
        .await?
        .filter(|p| p.town_code.as_deref().and_then(|t| RegionCode::parse(t).ok()).is_some_and(|t| t.is_within(&city)))
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    let case_id = p.acceptance_case_id.clone().ok_or_else(|| ApiError::Conflict("该项目尚未进入项目入库".into()))?;
    let experts = experts_of(&state, &city).await?;
    let Some(expert) = experts.iter().find(|e| e.id == input.expert_id.trim()) else {
        return Err(ApiError::validation("expert_id", "请从本市的验收专家中选择"));
    };
    let loaded = review::load_case(&state.db, &case_id).await?;
    let case = CaseRef::from(&loaded.row);
    if expert_stage_opened(&case) {
        return Err(ApiError::Conflict("验收专家审核已开始，不能更换验收专家".into()));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    review::set_case_ref(&txn, &case_id, loaded.row.version, EXPERT_FIELD, &expert.id).await?;
    project::Entity::update_many()
        .col_expr(project::Column::AcceptanceExpertId, Expr::value(expert.id.clone()))
        .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(project::Column::Id.eq(p.id.clone()))
        .exec(&txn)
        .await?;
    audit::record(&txn, Entry {
        action: "acceptance_expert_assign",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("project"),
        object_id: Some(&p.id),
        outcome: Outcome::Success,
        detail: Some(json!({ "expert_id": expert.id, "expert_name": expert.name, "previous": p.acceptance_expert_id })),
    })
    .await?;
    txn.commit().await?;
    Ok(Json(assignments_view(&state, &city).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WindowInput {
    /// 开放开始时间, RFC 3339 (`2026-12-01T09:00:00+08:00`).
    pub opens_at: String,
    /// 开放结束时间, after the start.
    pub closes_at: String,
}

fn parse_time(field: &str, label: &str, s: &str) -> Result<DateTime<Utc>, FieldError> {
    DateTime::parse_from_rfc3339(s.trim()).map(|t| t.to_utc()).map_err(|_| FieldError { field: field.into(), message: format!("请选择{label}") })
}

/// 项目入库开放时段: set by the city for the projects of its towns; applies at once.
#[utoipa::path(put, path = "/api/acceptance/window", tag = "lifecycle", request_body = WindowInput,
    responses((status = 200, body = AcceptanceAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_window(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<WindowInput>) -> ApiResult<Json<AcceptanceAssignments>> {
    let city = require_city_bureau(&user)?;
    let opens = parse_time("opens_at", "开放开始时间", &input.opens_at);
    let closes = parse_time("closes_at", "开放结束时间", &input.closes_at);
    let (opens, closes) = match (opens, closes) {
        (Ok(o), Ok(c)) if c <= o => return Err(ApiError::validation("closes_at", "开放结束时间应晚于开始时间")),
        (Ok(o), Ok(c)) => (o, c),
        (o, c) => {
            let fields: Vec<FieldError> = [o.err(), c.err()].into_iter().flatten().collect();
            return Err(ApiError::Validation { message: fields.first().map(|f| f.message.clone()).unwrap_or_default(), fields });
        }
    };
    let txn = crate::db::begin_write(&state.db).await?;
    city_setting::Entity::insert(city_setting::ActiveModel {
        city_code: Set(city.as_str().to_owned()),
        diagnosis_days: Set(state.config.lifecycle.diagnosis_days as i32),
        acceptance_opens_at: Set(Some(opens)),
        acceptance_closes_at: Set(Some(closes)),
        updated_by: Set(user.user_id.clone()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(city_setting::Column::CityCode)
            .update_columns([city_setting::Column::AcceptanceOpensAt, city_setting::Column::AcceptanceClosesAt, city_setting::Column::UpdatedBy, city_setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    audit::record(&txn, Entry {
        action: "acceptance_window_update",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("city"),
        object_id: Some(city.as_str()),
        outcome: Outcome::Success,
        detail: Some(json!({ "opens_at": crate::time::api(opens), "closes_at": crate::time::api(closes) })),
    })
    .await?;
    txn.commit().await?;
    Ok(Json(assignments_view(&state, &city).await?))
}
