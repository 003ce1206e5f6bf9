//! 事后评估 (seed 002 ch. 6, spec 40 Post-evaluation): once 项目实施-改造中 is submitted (the project at
//! 项目实施-改造完成 or later) the enterprise 发起评估 by one of two 评估方式 — 评估机构评估 (it chooses the agency
//! among the comprehensive ones; the pre-diagnosis agency is the default when it is one of them) or 市工信局分配
//! (the city bureau of the project's town assigns one). The agency writes the report and the enterprise confirms
//! it on the case page; its level is the project's 改造后数字化水平等级. The report itself is the agency report
//! mechanism shared with 事前诊断 (`agency_report`, kind `evaluation_report`).

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::agency_report::{self, Phase, CITY_ASSIGNED};
use super::entity::project;
use super::handlers::{own_project, require_enterprise, Choice};
use crate::audit::{self, Entry, Outcome};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::review::{self, CaseRef, CaseState};
use crate::state::AppState;

/// 评估方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvaluationMode {
    /// 评估机构评估: an agency the enterprise chooses.
    Agency,
    /// 市工信局分配: an agency the city assigns.
    CityAssigned,
}

impl EvaluationMode {
    pub const ALL: [EvaluationMode; 2] = [EvaluationMode::Agency, EvaluationMode::CityAssigned];

    pub fn parse(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.label() == label)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Agency => "评估机构评估",
            Self::CityAssigned => CITY_ASSIGNED,
        }
    }
}

/// The 事后评估 row of a project (the list's columns).
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationSlot {
    /// 评估方式, once chosen.
    pub mode: Option<String>,
    /// 评估状态: 改造中提交后开始 / 待评估 / 待市工信局分配 / 待评估机构出具报告 / 待企业确认评估报告 / 评估机构修改中 /
    /// 已评估.
    pub status_label: String,
    pub done: bool,
    /// 事前诊断机构名称 (the column seed 002 shows beside the evaluation).
    pub pre_agency_name: Option<String>,
    /// 评估机构, once chosen or assigned.
    pub agency_name: Option<String>,
    /// 改造后数字化水平等级.
    pub level_label: Option<String>,
    /// The agency's report (a review case the enterprise confirms or returns, on the case page).
    pub report_case_id: Option<String>,
    /// Whether the enterprise may 发起评估 now (implementation submitted, no agency yet; a 市工信局分配 not yet
    /// assigned may still be changed to 评估机构评估).
    pub can_start: bool,
    /// The report waits for the enterprise: 确认评估报告.
    pub can_confirm: bool,
}

/// The 事后评估 row of `p`; `report` is its agency's report case (`p.evaluation_case_id`) when it has one.
pub fn slot(p: &project::Model, report: Option<&CaseRef>) -> EvaluationSlot {
    let open = Phase::Evaluation.check_open(p).is_ok();
    let mode = p.evaluation_mode.as_deref().and_then(EvaluationMode::parse);
    let done = p.post_level.is_some();
    let status_label = match (open || done, done, mode, report.map(|c| c.state)) {
        (false, _, _, _) => "改造中提交后开始",
        (_, true, _, _) => "已评估",
        (_, false, None, _) => "待评估",
        (_, false, Some(EvaluationMode::CityAssigned), None) => "待市工信局分配",
        (_, false, _, Some(CaseState::InReview)) => "待企业确认评估报告",
        (_, false, _, Some(CaseState::Returned)) => "评估机构修改中",
        (_, false, _, _) => "待评估机构出具报告",
    };
    EvaluationSlot {
        mode: mode.map(|m| m.label().to_owned()),
        status_label: status_label.into(),
        done,
        pre_agency_name: p.diagnosis_agency_name.clone(),
        agency_name: p.evaluation_agency_name.clone(),
        level_label: p.post_level_label.clone(),
        report_case_id: p.evaluation_case_id.clone(),
        can_start: open && p.evaluation_case_id.is_none(),
        can_confirm: report.is_some_and(|c| c.state == CaseState::InReview),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationView {
    pub project_id: String,
    pub project_name: String,
    pub evaluation: EvaluationSlot,
    /// 评估方式 to choose from.
    pub modes: Vec<String>,
    /// 评估机构名称 to choose from (评估机构评估).
    pub agencies: Vec<Choice>,
    /// The agency preselected: the pre-diagnosis agency when it is one of `agencies`.
    pub default_agency_id: Option<String>,
}

async fn view(state: &AppState, p: project::Model) -> ApiResult<EvaluationView> {
    let report = match &p.evaluation_case_id {
        Some(id) => review::case_by_id(&state.db, id).await?,
        None => None,
    };
    let agencies = if p.evaluation_case_id.is_none() { agency_report::agencies(state, Phase::Evaluation).await? } else { vec![] };
    let default_agency_id = p.diagnosis_agency_id.clone().filter(|id| agencies.iter().any(|a| &a.id == id));
    Ok(EvaluationView {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        evaluation: slot(&p, report.as_ref()),
        modes: EvaluationMode::ALL.iter().map(|m| m.label().to_owned()).collect(),
        agencies,
        default_agency_id,
    })
}

/// 发起评估: the project's 事后评估, the 评估方式 and the agencies to choose from.
#[utoipa::path(get, path = "/api/projects/{id}/evaluation", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = EvaluationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_evaluation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<EvaluationView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    Ok(Json(view(&state, p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EvaluationStart {
    /// 评估方式: 评估机构评估 or 市工信局分配.
    pub mode: String,
    /// 评估机构 (评估机构评估 only): one of `agencies` of the view.
    #[serde(default)]
    pub agency_id: Option<String>,
}

/// 确认 (发起评估): 评估机构评估 gives the project to the chosen agency at once; 市工信局分配 sends it to the city
/// bureau, which assigns the agency (事后评估分配). Once an agency has it, the way is fixed.
#[utoipa::path(post, path = "/api/projects/{id}/evaluation", tag = "lifecycle", params(("id" = String, Path)), request_body = EvaluationStart,
    responses((status = 200, body = EvaluationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn start_evaluation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<EvaluationStart>) -> ApiResult<Json<EvaluationView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    let mode = EvaluationMode::parse(input.mode.trim()).ok_or_else(|| ApiError::validation("mode", "请选择评估方式"))?;
    Phase::Evaluation.check_open(&p)?;
    if p.evaluation_case_id.is_some() {
        return Err(ApiError::Conflict(format!("已由{}评估，评估方式不能再更改", p.evaluation_agency_name.as_deref().unwrap_or("评估机构"))));
    }
    match mode {
        EvaluationMode::Agency => {
            let agency_id = input.agency_id.as_deref().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| ApiError::validation("agency_id", "请选择评估机构"))?;
            agency_report::assign(&state, &user, &p, Phase::Evaluation, mode.label(), agency_id).await?;
        }
        EvaluationMode::CityAssigned => {
            // Conditional on no agency having it yet: a city assignment at the same moment wins.
            let updated = project::Entity::update_many()
                .col_expr(project::Column::EvaluationMode, Expr::value(Some(mode.label())))
                .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
                .filter(project::Column::Id.eq(p.id.clone()))
                .filter(project::Column::EvaluationCaseId.is_null())
                .filter(project::Column::Stage.is_in(Phase::Evaluation.open_stages().iter().copied()))
                .exec(&state.db)
                .await?;
            if updated.rows_affected == 1 && p.evaluation_mode.as_deref() != Some(CITY_ASSIGNED) {
                audit::record(&state.db, Entry {
                    action: "project_evaluation_mode",
                    actor: Some(&user),
                    username: None,
                    ip: user.ip.clone(),
                    object_type: Some("project"),
                    object_id: Some(&p.id),
                    outcome: Outcome::Success,
                    detail: Some(json!({ "mode": mode.label() })),
                })
                .await?;
            }
        }
    }
    let p = own_project(&state, &user, &p.id).await?;
    Ok(Json(view(&state, p).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_read_as_seed_002_names_them() {
        assert_eq!(EvaluationMode::parse("评估机构评估"), Some(EvaluationMode::Agency));
        assert_eq!(EvaluationMode::parse("市工信局分配"), Some(EvaluationMode::CityAssigned));
        assert_eq!(EvaluationMode::parse("自诊断"), None, "self-assessment is not a way to evaluate after");
    }
}
