use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use shuzhuan_core::assessment::{score, Answers, Edition, ParsedAnswers, Q4Weighting};
use utoipa::{IntoParams, ToSchema};

use super::entity::{assessment, edition};
use crate::auth::{CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::listing::Page;
use crate::http::ApiJson;
use crate::directory::OrgKind;
use crate::state::AppState;

/// Enterprises assess themselves: their administrator, or members given 数字化诊断评估.
fn require_assessor(user: &CurrentUser) -> ApiResult<()> {
    if user.organization.kind != OrgKind::Enterprise {
        return Err(ApiError::Forbidden("评估评测面向企业用户，请使用企业账号登录".into()));
    }
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == "assessment") {
        Ok(())
    } else {
        Err(ApiError::Forbidden("无权进行评估评测".into()))
    }
}

async fn current_edition(state: &AppState) -> ApiResult<(edition::Model, Edition)> {
    let row = edition::Entity::find()
        .filter(edition::Column::IsCurrent.eq(true))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::Unavailable("no current assessment edition".into()))?;
    let parsed = Edition::from_json(&row.content).map_err(|e| ApiError::Internal(anyhow::anyhow!("stored edition invalid: {e}")))?;
    Ok((row, parsed))
}

async fn edition_by_version(state: &AppState, version: &str) -> ApiResult<Edition> {
    let row = edition::Entity::find_by_id(version.to_string())
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("edition {version} missing")))?;
    Edition::from_json(&row.content).map_err(|e| ApiError::Internal(anyhow::anyhow!("stored edition invalid: {e}")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EditionView {
    pub version: String,
    pub name: String,
    /// The scoring weighting used for new results (`equal_split` reproduces the manual's example).
    pub weighting: String,
    /// The edition as published: dimensions, questions (options, scores, fill-ins), scenarios with their
    /// level texts, level rules, provenance.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

/// The questionnaire new assessments use.
#[utoipa::path(get, path = "/api/assessment/edition", tag = "assessment",
    responses((status = 200, body = EditionView), (status = 401, body = ErrorEnvelope)))]
pub async fn get_current_edition(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Json<EditionView>> {
    let (row, _) = current_edition(&state).await?;
    let content = serde_json::from_str(&row.content).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Json(EditionView { version: row.version, name: row.name, weighting: weighting_name(Q4Weighting::default()).into(), content }))
}

fn weighting_name(w: Q4Weighting) -> &'static str {
    match w {
        Q4Weighting::Platform => "platform",
        Q4Weighting::EqualSplit => "equal_split",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MissingView {
    /// "第3题" / "场景2（工艺设计）"
    pub label: String,
    /// `question` or `scenario`
    pub kind: String,
    pub no: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftView {
    pub id: String,
    pub edition_version: String,
    /// Canonical answers: derived options (rate bands) filled in.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    pub missing: Vec<MissingView>,
    pub updated_at: crate::time::ApiTime,
}

fn missing_views(parsed: &ParsedAnswers) -> Vec<MissingView> {
    parsed
        .missing()
        .iter()
        .map(|m| {
            let (kind, no) = match m {
                shuzhuan_core::assessment::MissingItem::Question { no } => ("question", *no),
                shuzhuan_core::assessment::MissingItem::Scenario { no, .. } => ("scenario", *no),
            };
            MissingView { label: m.to_string(), kind: kind.into(), no }
        })
        .collect()
}

async fn find_draft(state: &AppState, org_id: &str) -> ApiResult<Option<assessment::Model>> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::OrganizationId.eq(org_id))
        .filter(assessment::Column::Status.eq("draft"))
        .one(&state.db)
        .await?)
}

async fn draft_view(state: &AppState, d: assessment::Model) -> ApiResult<DraftView> {
    let edition = edition_by_version(state, &d.edition_version).await?;
    let raw: Answers = serde_json::from_str(&d.answers).map_err(|e| ApiError::Internal(e.into()))?;
    let parsed = Answers::parse(&edition, &raw).map_err(|e| ApiError::Internal(anyhow::anyhow!("stored draft invalid: {e}")))?;
    Ok(DraftView {
        id: d.id,
        edition_version: d.edition_version,
        answers: serde_json::to_value(parsed.to_answers()).expect("serializes"),
        missing: missing_views(&parsed),
        updated_at: crate::time::api(d.updated_at),
    })
}

/// The organization's unfinished assessment, to resume it; `null` when there is none (an answer, not an
/// error: the assessment page asks on every visit).
#[utoipa::path(get, path = "/api/assessments/draft", tag = "assessment",
    responses((status = 200, body = Option<DraftView>), (status = 403, body = ErrorEnvelope)))]
pub async fn get_draft(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Option<DraftView>>> {
    require_assessor(&user)?;
    match find_draft(&state, &user.organization.id).await? {
        Some(d) => Ok(Json(Some(draft_view(&state, d).await?))),
        None => Ok(Json(None)),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveDraft {
    #[schema(value_type = Object)]
    pub answers: Answers,
}

fn answer_errors(edition: &Edition, raw: &Answers) -> Option<ApiError> {
    let errors = Answers::check_all(edition, raw);
    if errors.is_empty() {
        return None;
    }
    let fields = errors
        .iter()
        .map(|e| {
            let field = match (e.question(), e.scenario()) {
                (Some(q), _) => format!("questions.{q}"),
                (None, Some(s)) => format!("scenarios.{s}"),
                _ => "answers".into(),
            };
            FieldError { field, message: e.to_string() }
        })
        .collect::<Vec<_>>();
    Some(ApiError::Validation { message: fields[0].message.clone(), fields })
}

/// Saves the answers so far (autosave; partial answers are fine). Invalid answers are refused with a
/// message per question and nothing is saved.
#[utoipa::path(put, path = "/api/assessments/draft", tag = "assessment", request_body = SaveDraft,
    responses((status = 200, body = DraftView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_draft(State(state): State<AppState>, user: CurrentUser, ApiJson(req): ApiJson<SaveDraft>) -> ApiResult<Json<DraftView>> {
    require_assessor(&user)?;
    let existing = find_draft(&state, &user.organization.id).await?;
    let version = match &existing {
        Some(d) => d.edition_version.clone(),
        None => current_edition(&state).await?.0.version,
    };
    let edition = edition_by_version(&state, &version).await?;
    if let Some(err) = answer_errors(&edition, &req.answers) {
        return Err(err);
    }
    let parsed = Answers::parse(&edition, &req.answers).map_err(|e| ApiError::validation("answers", e.to_string()))?;
    let canonical = serde_json::to_string(&parsed.to_answers()).expect("serializes");
    let now = Utc::now();
    let saved = match existing {
        Some(d) => {
            assessment::Entity::update(assessment::ActiveModel { id: Set(d.id), answers: Set(canonical), user_id: Set(user.user_id.clone()), updated_at: Set(now), ..Default::default() })
                .exec(&state.db)
                .await?
        }
        None => {
            assessment::Entity::insert(assessment::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                organization_id: Set(user.organization.id.clone()),
                user_id: Set(user.user_id.clone()),
                edition_version: Set(version),
                status: Set("draft".into()),
                answers: Set(canonical),
                result: Set(None),
                total_hundredths: Set(None),
                level: Set(None),
                level_label: Set(None),
                q4_weighting: Set(weighting_name(Q4Weighting::default()).into()),
                created_at: Set(now),
                updated_at: Set(now),
                submitted_at: Set(None),
            })
            .exec_with_returning(&state.db)
            .await?
        }
    };
    Ok(Json(draft_view(&state, saved).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentSummary {
    pub id: String,
    pub enterprise_name: String,
    pub uscc: Option<String>,
    /// 评测类型: 企业自测
    pub kind: String,
    /// "二级（规范级）" or "无等级"
    pub level_display: String,
    pub level: i32,
    /// "49.34"
    pub total_display: String,
    pub submitted_at: Option<crate::time::ApiTime>,
    pub edition_version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDetail {
    #[serde(flatten)]
    pub summary: AssessmentSummary,
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    /// Scores per question and dimension, scenario levels and counts, the level and the result sentence.
    #[schema(value_type = Object)]
    pub result: serde_json::Value,
}

pub(crate) fn summary(m: &assessment::Model, org: &crate::directory::org::Model) -> AssessmentSummary {
    let hundredths = m.total_hundredths.unwrap_or(0);
    AssessmentSummary {
        id: m.id.clone(),
        enterprise_name: org.name.clone(),
        uscc: org.uscc.clone(),
        kind: "企业自测".into(),
        level_display: m.level_label.clone().unwrap_or_default(),
        level: m.level.unwrap_or(0),
        total_display: format!("{}.{:02}", hundredths / 100, hundredths % 100),
        submitted_at: m.submitted_at.map(crate::time::api),
        edition_version: m.edition_version.clone(),
    }
}

async fn own_org(state: &AppState, user: &CurrentUser) -> ApiResult<crate::directory::org::Model> {
    crate::directory::org::Entity::find_by_id(user.organization.id.clone()).one(&state.db).await?.ok_or(ApiError::Unauthenticated)
}

/// Scores the draft and keeps the result (保存并提交). Incomplete answers are refused with the list.
#[utoipa::path(post, path = "/api/assessments/draft/submit", tag = "assessment",
    responses((status = 201, body = AssessmentDetail), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_draft(State(state): State<AppState>, user: CurrentUser) -> ApiResult<(StatusCode, Json<AssessmentDetail>)> {
    require_assessor(&user)?;
    let d = find_draft(&state, &user.organization.id).await?.ok_or_else(|| ApiError::NotFound("暂无未完成的评测".into()))?;
    let edition = edition_by_version(&state, &d.edition_version).await?;
    let raw: Answers = serde_json::from_str(&d.answers).map_err(|e| ApiError::Internal(e.into()))?;
    let parsed = Answers::parse(&edition, &raw).map_err(|e| ApiError::validation("answers", e.to_string()))?;
    let weighting = if d.q4_weighting == "platform" { Q4Weighting::Platform } else { Q4Weighting::EqualSplit };
    let result = score(&edition, &parsed, weighting).map_err(|e| {
        let fields = missing_views(&parsed).into_iter().map(|m| FieldError { field: format!("{}s.{}", m.kind, m.no), message: format!("{}未作答", m.label) }).collect();
        ApiError::Validation { message: e.to_string(), fields }
    })?;
    let now = Utc::now();
    let hundredths = i32::try_from(result.total.hundredths()).unwrap_or(i32::MAX);
    // Conditional on still being a draft: a double-clicked submit scores once.
    let updated = assessment::Entity::update_many()
        .col_expr(assessment::Column::Status, sea_orm::sea_query::Expr::value("submitted"))
        .col_expr(assessment::Column::Result, sea_orm::sea_query::Expr::value(serde_json::to_string(&result).expect("serializes")))
        .col_expr(assessment::Column::TotalHundredths, sea_orm::sea_query::Expr::value(hundredths))
        .col_expr(assessment::Column::Level, sea_orm::sea_query::Expr::value(i32::from(result.level_number())))
        .col_expr(assessment::Column::LevelLabel, sea_orm::sea_query::Expr::value(result.level_display.clone()))
        .col_expr(assessment::Column::SubmittedAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(assessment::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(assessment::Column::Id.eq(d.id.clone()))
        .filter(assessment::Column::Status.eq("draft"))
        .exec(&state.db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::Conflict("该评测已提交".into()));
    }
    audit::record(&state.db, Entry {
        action: "assessment_submit",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("assessment"),
        object_id: Some(&d.id),
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({ "total": result.total_display, "level": result.level_display })),
    })
    .await?;
    let saved = assessment::Entity::find_by_id(d.id).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("评测不存在".into()))?;
    Ok((StatusCode::CREATED, Json(detail(&state, &user, saved).await?)))
}

async fn detail(state: &AppState, user: &CurrentUser, m: assessment::Model) -> ApiResult<AssessmentDetail> {
    let org = own_org(state, user).await?;
    Ok(AssessmentDetail {
        summary: summary(&m, &org),
        answers: serde_json::from_str(&m.answers).map_err(|e| ApiError::Internal(e.into()))?,
        result: m.result.as_deref().map(serde_json::from_str).transpose().map_err(|e| ApiError::Internal(e.into()))?.unwrap_or(serde_json::Value::Null),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentList {
    pub items: Vec<AssessmentSummary>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// Every submitted result of the organization, newest first (for the history list and for other
/// modules to pick one, e.g. pre-diagnosis or the pilot application).
#[utoipa::path(get, path = "/api/assessments", tag = "assessment", params(HistoryQuery),
    responses((status = 200, body = AssessmentList), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_assessments(State(state): State<AppState>, user: CurrentUser, Query(q): Query<HistoryQuery>) -> ApiResult<Json<AssessmentList>> {
    require_assessor(&user)?;
    let Page { page, page_size } = Page::parse(q.page, q.page_size)?;
    let org = own_org(&state, &user).await?;
    let paginator = assessment::Entity::find()
        .filter(assessment::Column::OrganizationId.eq(org.id.clone()))
        .filter(assessment::Column::Status.eq("submitted"))
        .order_by_desc(assessment::Column::SubmittedAt)
        .paginate(&state.db, page_size);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?.iter().map(|m| summary(m, &org)).collect();
    Ok(Json(AssessmentList { items, total, page, page_size }))
}

async fn own_submitted(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<assessment::Model> {
    assessment::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await?
        .filter(|m| m.organization_id == user.organization.id && m.status == "submitted")
        .ok_or_else(|| ApiError::NotFound("评测结果不存在".into()))
}

/// One result with its answers.
#[utoipa::path(get, path = "/api/assessments/{id}", tag = "assessment", params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, body = AssessmentDetail), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_assessment(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<AssessmentDetail>> {
    require_assessor(&user)?;
    let m = own_submitted(&state, &user, &id).await?;
    Ok(Json(detail(&state, &user, m).await?))
}

/// The result as a PDF report (enterprise, time, scores, level, every answer, scenario levels, charts).
#[utoipa::path(get, path = "/api/assessments/{id}/report", tag = "assessment", params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, description = "PDF report", content_type = "application/pdf"), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
pub async fn download_report(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Response> {
    require_assessor(&user)?;
    let m = own_submitted(&state, &user, &id).await?;
    let org = own_org(&state, &user).await?;
    let edition = edition_by_version(&state, &m.edition_version).await?;
    let data = super::report::data(&edition, &m, &org)?;
    let name = format!("数字化水平评测报告-{}-{}.pdf", org.name, m.submitted_at.map(|t| t.with_timezone(&crate::time::china()).format("%Y%m%d").to_string()).unwrap_or_default());
    crate::pdf::response(&state, super::report::TEMPLATE, data, &name).await
}
