//! The enterprise's side of the lifecycle: 项目总览, 发起备案, the filing page (保存 / 提交) and the template
//! downloads. Reviewers work through the review engine's pages (待办, the case page), like every other case.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::review::{Action, CaseStatus};
use shuzhuan_core::{RegionCode, RegionLevel};
use utoipa::ToSchema;

use super::entity::project::{self, ProjectStage};
use super::filing;
use crate::auth::{CurrentUser, Role};
use crate::directory::{org, profile, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::review::{self, CaseState};
use crate::state::AppState;

/// The enterprise's administrator, or a member holding 项目管理.
pub fn require_enterprise(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Enterprise)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == super::PERMISSION) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("您没有项目管理权限，请联系本单位管理员".into()))
    }
}

/// A city bureau's administrator, or a member given 项目中心 or 审核办理: the city it governs. The city assigns
/// diagnosis agencies and sets the lifecycle's deadlines for the projects of its towns.
pub fn require_city_bureau(user: &CurrentUser) -> ApiResult<RegionCode> {
    user.require_org_kind(OrgKind::Government)?;
    if !(user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == "projects_center" || p == "reviews")) {
        return Err(ApiError::Forbidden("您没有项目中心权限".into()));
    }
    user.organization
        .region_code
        .as_deref()
        .and_then(|c| RegionCode::parse(c).ok())
        .filter(|c| c.level() == RegionLevel::City)
        .ok_or_else(|| ApiError::Forbidden("此项设置由市工业和信息化局办理".into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageSlot {
    pub stage: ProjectStage,
    pub label: String,
    /// `done`, `current` or `pending`.
    pub progress: String,
    /// What the stage shows now: 待提交, 镇街审核中, 已备案, 待签约 …
    pub status_label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectItem {
    pub id: String,
    pub name: String,
    pub stage: ProjectStage,
    pub stage_label: String,
    /// 项目备案状态: the filing case's status (`draft`, `in_review`, `returned`, `approved`, `rejected`).
    pub filing_status: String,
    /// Where the filing is on the process seed 002 draws (项目备案提交 → 镇街审核 → 第三方初审 → 市工信复审 →
    /// 备案完成): 0 before submission, then the stage it waits at or was returned from (1 …), the number of
    /// stages + 1 once filed.
    pub filing_step: u32,
    pub filing_status_label: String,
    /// 项目备案号, once filed.
    pub filing_number: Option<String>,
    pub submitted_at: Option<crate::time::ApiTime>,
    pub filed_at: Option<crate::time::ApiTime>,
    /// Whether the enterprise may edit the filing now (a draft, or returned).
    pub filing_editable: bool,
    /// The five stages of 项目总览, with how far the project is in each.
    pub stages: Vec<StageSlot>,
    /// 事前诊断 (the list 数字化诊断评估 → 事前诊断 reads it).
    pub diagnosis: super::diagnosis::DiagnosisSlot,
    /// 事后评估 (数字化诊断评估 → 事后评估).
    pub evaluation: super::evaluation::EvaluationSlot,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectList {
    pub items: Vec<ProjectItem>,
}

/// 项目备案状态 as seed 002 shows it: 待提交, the reviewing stage (镇街审核中 …), 退回修改, 已备案.
fn filing_label(case: &review::CaseRef, stage_name: &str) -> String {
    match case.state {
        CaseState::Draft => "待提交".into(),
        CaseState::InReview => format!("{stage_name}中"),
        CaseState::Returned => "已退回，待修改".into(),
        CaseState::Approved => "已备案".into(),
        _ => case.status.label().to_owned(),
    }
}

fn stage_slots(p: &project::Model, filing_label: &str) -> Vec<StageSlot> {
    ProjectStage::ALL
        .into_iter()
        .filter(|s| *s != ProjectStage::Accepted)
        .map(|s| {
            let progress = if s < p.stage { "done" } else if s == p.stage { "current" } else { "pending" };
            let status_label = match (s, progress) {
                (ProjectStage::Filing, _) => filing_label.to_owned(),
                (ProjectStage::Signing, "current") => "待签约".into(),
                (ProjectStage::Signing, "done") => "已签约".into(),
                (ProjectStage::Implementation, "current") => "改造中".into(),
                (ProjectStage::Implementation, "done") => "已提交".into(),
                (ProjectStage::Acceptance, "done") => "已入库".into(),
                (_, "done") => "已完成".into(),
                (_, "current") => "进行中".into(),
                _ => "未开始".into(),
            };
            StageSlot { stage: s, label: s.label().to_owned(), progress: progress.into(), status_label }
        })
        .collect()
}

/// `reports`: the project's agency report cases (`p.diagnosis_case_id`, `p.evaluation_case_id`) among others.
async fn item(state: &AppState, deadlines: &super::settings::Deadlines, p: project::Model, case: &review::CaseRef, reports: &BTreeMap<String, review::CaseRef>) -> ApiResult<ProjectItem> {
    let stage_name = case.stage_name(&state.db).await?;
    let label = filing_label(case, &stage_name);
    Ok(ProjectItem {
        stages: stage_slots(&p, &label),
        diagnosis: super::diagnosis::slot(deadlines.days_for(p.town_code.as_deref()), &p, p.diagnosis_case_id.as_ref().and_then(|id| reports.get(id)), Utc::now()),
        evaluation: super::evaluation::slot(&p, p.evaluation_case_id.as_ref().and_then(|id| reports.get(id))),
        id: p.id,
        name: p.name,
        stage: p.stage,
        stage_label: p.stage.label().to_owned(),
        filing_status: case.status.code().to_owned(),
        filing_step: match case.status {
            CaseStatus::InReview { stage } | CaseStatus::Returned { from_stage: stage } => stage as u32 + 1,
            CaseStatus::Approved => 4,
            _ => 0,
        },
        filing_status_label: label,
        filing_number: p.filing_number,
        submitted_at: case.submitted_at.map(crate::time::api),
        filed_at: p.filed_at.map(crate::time::api),
        filing_editable: matches!(case.state, CaseState::Draft | CaseState::Returned),
    })
}

/// 项目总览 / 项目备案: every project of the enterprise, newest first.
#[utoipa::path(get, path = "/api/projects", tag = "lifecycle",
    responses((status = 200, body = ProjectList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn project_overview(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ProjectList>> {
    require_enterprise(&user)?;
    let rows = project::Entity::find()
        .filter(project::Column::OrgId.eq(user.organization.id.clone()))
        .order_by_desc(project::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let ids = rows.iter().flat_map(|p| [Some(p.filing_case_id.clone()), p.diagnosis_case_id.clone(), p.evaluation_case_id.clone()].into_iter().flatten()).collect();
    let cases = review::case_summaries_by_ids(&state.db, ids).await?;
    let deadlines = super::settings::Deadlines::load(&state).await?;
    let mut items = Vec::new();
    for p in rows {
        let Some(case) = cases.get(&p.filing_case_id) else { continue };
        items.push(item(&state, &deadlines, p, case, &cases).await?);
    }
    Ok(Json(ProjectList { items }))
}

/// 企业基本信息 as the enterprise's registration and profile have it, to start the filing with. Values the
/// form's options do not know (a size typed elsewhere as 「中型」) are matched to the option they begin.
async fn prefill(state: &AppState, org_id: &str) -> ApiResult<Value> {
    let o = org::Entity::find_by_id(org_id.to_owned()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    let p = profile::Entity::find_by_id(org_id.to_owned()).one(&state.db).await?;
    let option = |key: &str, value: Option<String>| -> Value {
        let Some(v) = value.filter(|v| !v.is_empty()) else { return Value::Null };
        let options = match filing::schema().field(key).map(|f| &f.kind) {
            Some(shuzhuan_core::form::FieldKind::Choice { options, .. }) => options.clone(),
            _ => vec![],
        };
        options.into_iter().find(|o| *o == v || o.starts_with(&v) || v.starts_with(o.as_str())).map(Value::from).unwrap_or(Value::Null)
    };
    let town = o.region_code.as_deref().and_then(|c| RegionCode::parse(c).ok()).filter(|c| c.level() == RegionLevel::Town);
    let mut values = json!({
        "enterprise_name": o.name,
        "uscc": o.uscc,
        "town": town.map(|t| t.as_str().to_owned()),
    });
    if let Some(p) = p {
        values["nature"] = option("nature", p.nature);
        values["category"] = option("category", p.category);
        values["size"] = option("size", p.size);
        values["main_product"] = json!(p.main_product);
        values["sub_industry"] = json!(p.sub_industry);
        values["address"] = json!(p.address);
        values["headcount"] = p.headcount.map(|h| json!(h.to_string())).unwrap_or(Value::Null);
        values["digital_headcount"] = p.digital_headcount.map(|h| json!(h.to_string())).unwrap_or(Value::Null);
        values["profile"] = json!(p.intro.map(|i| i.chars().take(300).collect::<String>()));
    }
    // Only what is known: an empty field stays absent rather than null.
    if let Some(m) = values.as_object_mut() {
        m.retain(|_, v| !v.is_null());
    }
    Ok(values)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Started {
    pub project_id: String,
}

/// 发起备案 (after 已知晓，立即进入填写): a new project with its filing as a draft, 企业基本信息 prefilled.
#[utoipa::path(post, path = "/api/projects", tag = "lifecycle",
    responses((status = 201, body = Started), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn start_project(State(state): State<AppState>, user: CurrentUser) -> ApiResult<(StatusCode, Json<Started>)> {
    require_enterprise(&user)?;
    let values = prefill(&state, &user.organization.id).await?;
    let project_id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    // The project first (the filing's normalize reads it); it points at its filing once that exists.
    project::Entity::insert(project::ActiveModel {
        id: Set(project_id.clone()),
        org_id: Set(user.organization.id.clone()),
        name: Set(String::new()),
        stage: Set(ProjectStage::Filing),
        filing_case_id: Set(project_id.clone()),
        filing_number: Set(None),
        filed_at: Set(None),
        town_code: Set(None),
        lead_unit_id: Set(None),
        diagnosis_mode: Set(None),
        pre_assessment_id: Set(None),
        pre_level: Set(None),
        pre_level_label: Set(None),
        diagnosed_at: Set(None),
        change_case_id: Set(None),
        record_case_id: Set(None),
        diagnosis_agency_id: Set(None),
        diagnosis_agency_name: Set(None),
        diagnosis_case_id: Set(None),
        evaluation_mode: Set(None),
        evaluation_agency_id: Set(None),
        evaluation_agency_name: Set(None),
        evaluation_case_id: Set(None),
        post_level: Set(None),
        post_level_label: Set(None),
        evaluated_at: Set(None),
        acceptance_case_id: Set(None),
        acceptance_expert_id: Set(None),
        accepted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await?;
    let form = json!({ "project_id": project_id, "values": values });
    let form = review::kind(filing::KIND).expect("filing is registered").normalize(&txn, &user.organization.id, form).await?;
    let acting = review::Acting::from(&user);
    let new = review::NewCase { kind: &filing::Filing, owner_org_id: &user.organization.id, owner_region_code: user.organization.region_code.as_deref(), form, submit: false };
    let row = review::insert_draft(&txn, &state, &new, &acting).await?;
    project::Entity::update_many()
        .col_expr(project::Column::FilingCaseId, sea_orm::sea_query::Expr::value(row.id))
        .filter(project::Column::Id.eq(project_id.clone()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(Started { project_id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FilingView {
    pub case_id: String,
    pub status: String,
    pub status_label: String,
    /// Whether the enterprise may save and submit (a draft, or returned).
    pub editable: bool,
    /// The case's version: a save or submit over a newer one (another tab) is refused, not merged.
    pub version: i64,
    /// The form (`data/forms/filing.json`, docs/forms.md).
    #[schema(value_type = Object)]
    pub schema: Value,
    #[schema(value_type = Object)]
    pub values: Value,
    pub lead_unit_id: Option<String>,
    pub lead_unit_name: Option<String>,
    /// 所属镇街's name, for the code in `values.town`.
    pub town_name: Option<String>,
    /// Names of the files the form names, by id.
    pub file_names: BTreeMap<String, String>,
    /// The last reviewer's opinion (why it was returned).
    pub latest_opinion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    pub project: ProjectItem,
    pub filing: FilingView,
    /// The latest 信息变更 of the filed project (kind `filing_change`), open or closed; `None` before the first.
    pub change: Option<FilingView>,
    /// The lead units to choose 意向行业型服务商 from (those of the enterprise's city first).
    pub lead_units: Vec<Choice>,
}

/// The enterprise's project by its id, or by its filing's or its latest change's case id (the links 我的申请
/// and notifications give).
pub(super) async fn own_project(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<project::Model> {
    use sea_orm::Condition;
    project::Entity::find()
        .filter(Condition::any().add(project::Column::Id.eq(id)).add(project::Column::FilingCaseId.eq(id)).add(project::Column::ChangeCaseId.eq(id)).add(project::Column::AcceptanceCaseId.eq(id)))
        .filter(project::Column::OrgId.eq(user.organization.id.clone()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))
}

/// A filing's page as the enterprise sees it: `case` says where it is, `form` what it holds.
async fn filing_view(state: &AppState, org_id: &str, case: &review::CaseRef, form: &Value, status_label: String) -> ApiResult<FilingView> {
    let version = review::load_case(&state.db, &case.id).await?.row.version;
    let ids = review::CaseKind::attachments(&filing::Filing, form);
    let file_names = crate::files::names_of(&state.db, org_id, ids).await?;
    let text = |k: &str| form[k].as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(FilingView {
        case_id: case.id.clone(),
        status: case.status.code().to_owned(),
        status_label,
        editable: matches!(case.state, CaseState::Draft | CaseState::Returned),
        version,
        schema: serde_json::to_value(filing::schema()).expect("schemas serialize"),
        values: form["values"].clone(),
        lead_unit_id: text("lead_unit_id"),
        lead_unit_name: text("lead_unit_name"),
        town_name: text("town_name"),
        file_names,
        latest_opinion: case.latest_opinion.clone(),
    })
}

/// 信息变更 as its status reads on the filing page: 待提交, 市工信审核中, 已退回，待修改, 已通过, 未通过.
fn change_label(case: &review::CaseRef, stage_name: &str) -> String {
    match case.state {
        CaseState::Approved => "已通过，已生效".into(),
        CaseState::Rejected => "未通过".into(),
        _ => filing_label(case, stage_name),
    }
}

pub(super) async fn view(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<ProjectView> {
    let p = own_project(state, user, id).await?;
    let case = review::case_by_id(&state.db, &p.filing_case_id).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    // Once filed, the page shows the filed record: the latest approved 信息变更, or the filing itself.
    let record = match &p.record_case_id {
        Some(_) => super::filing_change::record(state, &p).await?,
        None => case.form(state)?,
    };
    let city = user.organization.region_code.as_deref().and_then(|c| RegionCode::parse(c).ok()).and_then(|c| std::iter::once(c).chain(c.ancestors()).find(|a| a.level() == RegionLevel::City));
    let mut lead_units: Vec<(bool, Choice)> = org::Entity::find()
        .filter(org::Column::Kind.eq(OrgKind::LeadUnit.as_str()))
        .order_by_asc(org::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| {
            let same_city = match (&city, o.region_code.as_deref().and_then(|c| RegionCode::parse(c).ok())) {
                (Some(city), Some(r)) => r.is_within(city),
                _ => false,
            };
            (!same_city, Choice { id: o.id, name: o.name })
        })
        .collect();
    lead_units.sort_by(|a, b| a.0.cmp(&b.0));
    let change = match p.change_case_id.as_deref() {
        Some(cid) => match review::case_by_id(&state.db, cid).await? {
            Some(c) => {
                let label = change_label(&c, &c.stage_name(&state.db).await?);
                Some(filing_view(state, &p.org_id, &c, &c.form(state)?, label).await?)
            }
            None => None,
        },
        None => None,
    };
    let org_id = p.org_id.clone();
    let reports = review::case_summaries_by_ids(&state.db, [p.diagnosis_case_id.clone(), p.evaluation_case_id.clone()].into_iter().flatten().collect()).await?;
    let deadlines = super::settings::Deadlines::load(state).await?;
    let project = item(state, &deadlines, p, &case, &reports).await?;
    let filing = filing_view(state, &org_id, &case, &record, project.filing_status_label.clone()).await?;
    Ok(ProjectView { filing, change, project, lead_units: lead_units.into_iter().map(|(_, c)| c).collect() })
}

#[utoipa::path(get, path = "/api/projects/{id}", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_project(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ProjectView>> {
    require_enterprise(&user)?;
    Ok(Json(view(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FilingInput {
    #[schema(value_type = Object)]
    pub values: Value,
    #[serde(default)]
    pub lead_unit_id: Option<String>,
    /// The version the page loaded.
    pub version: u64,
}

/// 保存: stores what was typed (types only; nothing is lost for being incomplete).
#[utoipa::path(put, path = "/api/projects/{id}/filing", tag = "lifecycle", params(("id" = String, Path)), request_body = FilingInput,
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_filing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<FilingInput>) -> ApiResult<Json<ProjectView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    let id = p.id.clone();
    crate::files::check_wanted(&state.db, &user.organization.id, crate::files::form_files(filing::schema(), &input.values, "values")).await?;
    let form = json!({ "project_id": p.id, "values": input.values, "lead_unit_id": input.lead_unit_id });
    review::save_form(&state, &user, &p.filing_case_id, form, input.version).await?;
    Ok(Json(view(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FilingSubmit {
    pub version: u64,
}

/// 提交 (or, after a return, 重新提交 to the stage that returned it): every required field checked by the
/// server, each missing one named (422); what was saved stays as it was when refused.
#[utoipa::path(post, path = "/api/projects/{id}/filing/submit", tag = "lifecycle", params(("id" = String, Path)), request_body = FilingSubmit,
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_filing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<FilingSubmit>) -> ApiResult<Json<ProjectView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    let id = p.id.clone();
    let case = review::case_by_id(&state.db, &p.filing_case_id).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    submit_case(&state, &user, &case, input.version).await?;
    Ok(Json(view(&state, &user, &id).await?))
}

/// 提交 a draft, or 重新提交 a returned case (to the stage that returned it): the filing's and its change's.
pub(super) async fn submit_case(state: &AppState, user: &CurrentUser, case: &review::CaseRef, version: u64) -> ApiResult<()> {
    let action = if case.status == CaseStatus::Draft { Action::Submit } else { Action::Resubmit };
    review::act(state, user, &case.id, review::ActRequest { action, version, attachment_ids: vec![], idempotency_key: None }).await?;
    Ok(())
}

/// 授权委托书 template (链主带动): a blank letter to fill in, stamp and upload.
#[utoipa::path(get, path = "/api/projects/templates/authorization.pdf", tag = "lifecycle",
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = ErrorEnvelope)))]
pub async fn authorization_template(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<axum::response::Response> {
    crate::pdf::response(&state, AUTHORIZATION_TEMPLATE, json!({}), "授权委托书模板.pdf").await
}

const AUTHORIZATION_TEMPLATE: &str = include_str!("authorization.typ");
