//! 事前诊断 (seed 002 ch. 3, spec 40 Pre-diagnosis): after 备案完成 the project needs its 改造前数字化水平等级, by
//! the 诊断方式 the filing chose. 自诊断 picks one of the enterprise's submitted self-assessment results (or takes
//! the assessment now and comes back); the level of the chosen result is the project's pre-transformation level.
//! 是否逾期 compares the day the result was fixed (or today) with `[lifecycle] diagnosis_days` after filing.
//!
//! 诊断机构诊断 and 市工信局分配 go through an agency (`agency_report`): the enterprise chooses it, or the city
//! assigns it; the agency writes the report and the enterprise confirms it (确认诊断报告) or returns it.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::entity::project::{self, ProjectStage};
use super::handlers::{own_project, require_enterprise, Choice};
use crate::assessment::{self, AssessmentSummary};
use crate::audit::{self, Entry, Outcome};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::review::{self, CaseRef, CaseState};
use crate::state::AppState;

/// 诊断方式, as the filing's choice field stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosisMode {
    /// 自诊断: the enterprise's own assessment result.
    SelfAssessment,
    /// 诊断机构诊断: an agency the enterprise chose.
    Agency,
    /// 市工信局分配: an agency the city assigns.
    CityAssigned,
}

impl DiagnosisMode {
    pub fn parse(label: &str) -> Option<Self> {
        match label {
            "自诊断" => Some(Self::SelfAssessment),
            "诊断机构诊断" => Some(Self::Agency),
            "市工信局分配" => Some(Self::CityAssigned),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SelfAssessment => "自诊断",
            Self::Agency => "诊断机构诊断",
            Self::CityAssigned => "市工信局分配",
        }
    }
}

/// The 事前诊断 row of a project (the list's columns).
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisSlot {
    /// 诊断方式 as filed.
    pub mode: Option<String>,
    /// 诊断状态: 备案完成后开始 / 待诊断 / 已诊断 / 待选择诊断机构 / 待市工信局分配 / 待诊断机构出具报告 /
    /// 待企业确认诊断报告 / 诊断机构修改中.
    pub status_label: String,
    pub done: bool,
    /// 是否逾期.
    pub overdue: bool,
    /// The last day (China date, `YYYY-MM-DD`), once filed and when the platform sets a deadline.
    pub deadline: Option<String>,
    /// 改造前数字化水平等级.
    pub level_label: Option<String>,
    /// The chosen self-assessment result (its report is 改造前诊断报告).
    pub assessment_id: Option<String>,
    /// Whether the enterprise may 发起诊断 now: filed, 自诊断, and not yet past 项目签约.
    pub can_start: bool,
    /// 诊断机构, once chosen or assigned.
    pub agency_name: Option<String>,
    /// Whether the enterprise may choose the agency now (诊断机构诊断, filed, none chosen yet).
    pub can_choose_agency: bool,
    /// The agency's report (a review case the enterprise confirms or returns, on the case page).
    pub report_case_id: Option<String>,
    /// The report waits for the enterprise: 确认诊断报告.
    pub can_confirm: bool,
}

fn china_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&crate::time::china()).date_naive()
}

/// The last day of a project filed at `filed_at` with `days` to diagnose (0 = no deadline).
fn deadline(days: u32, filed_at: DateTime<Utc>) -> Option<NaiveDate> {
    (days > 0).then(|| china_date(filed_at) + Days::new(u64::from(days)))
}

/// The 事前诊断 row of `p`, whose city gives it `days` to diagnose (`settings::Deadlines`); `report` is its
/// agency's report case (`p.diagnosis_case_id`) when it has one.
pub fn slot(days: u32, p: &project::Model, report: Option<&CaseRef>, now: DateTime<Utc>) -> DiagnosisSlot {
    let mode = p.diagnosis_mode.as_deref().and_then(DiagnosisMode::parse);
    let done = p.pre_level.is_some();
    let last_day = p.filed_at.and_then(|f| deadline(days, f));
    let overdue = match last_day {
        Some(d) => china_date(p.diagnosed_at.unwrap_or(now)) > d,
        None => false,
    };
    let status_label = match (p.filed_at, done, mode, report.map(|c| c.state)) {
        (None, _, _, _) => "备案完成后开始",
        (_, true, _, _) => "已诊断",
        (_, false, Some(DiagnosisMode::SelfAssessment) | None, _) => "待诊断",
        (_, false, Some(DiagnosisMode::Agency), None) => "待选择诊断机构",
        (_, false, Some(DiagnosisMode::CityAssigned), None) => "待市工信局分配",
        (_, false, _, Some(CaseState::InReview)) => "待企业确认诊断报告",
        (_, false, _, Some(CaseState::Returned)) => "诊断机构修改中",
        (_, false, _, Some(_)) => "待诊断机构出具报告",
    };
    let signing = p.stage == ProjectStage::Signing;
    DiagnosisSlot {
        mode: mode.map(|m| m.label().to_owned()),
        status_label: status_label.into(),
        done,
        overdue,
        deadline: last_day.map(|d| d.format("%Y-%m-%d").to_string()),
        level_label: p.pre_level_label.clone(),
        assessment_id: p.pre_assessment_id.clone(),
        can_start: signing && mode == Some(DiagnosisMode::SelfAssessment),
        agency_name: p.diagnosis_agency_name.clone(),
        can_choose_agency: signing && mode == Some(DiagnosisMode::Agency) && p.diagnosis_case_id.is_none(),
        report_case_id: p.diagnosis_case_id.clone(),
        can_confirm: report.is_some_and(|c| c.state == CaseState::InReview),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisView {
    pub project_id: String,
    pub project_name: String,
    pub diagnosis: DiagnosisSlot,
    /// 请选择自评结果: the enterprise's submitted results, newest first.
    pub results: Vec<AssessmentSummary>,
    /// 诊断机构名称 to choose from (诊断机构诊断).
    pub agencies: Vec<Choice>,
}

/// How many results the dialog offers (an enterprise assesses itself a few times a year).
const RESULTS_SHOWN: u64 = 50;

pub(super) async fn view(state: &AppState, user: &CurrentUser, p: project::Model) -> ApiResult<DiagnosisView> {
    let org = crate::directory::org::Entity::find_by_id(user.organization.id.clone()).one(&state.db).await?.ok_or(ApiError::Unauthenticated)?;
    let results = assessment::submitted_results(&state.db, &org, RESULTS_SHOWN).await?;
    let report = match &p.diagnosis_case_id {
        Some(id) => review::case_by_id(&state.db, id).await?,
        None => None,
    };
    let agencies = if p.diagnosis_case_id.is_none() { super::agency_report::agencies(state, super::agency_report::Phase::Diagnosis).await? } else { vec![] };
    Ok(DiagnosisView {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        diagnosis: slot(super::settings::Deadlines::load(state).await?.days_for(p.town_code.as_deref()), &p, report.as_ref(), Utc::now()),
        results,
        agencies,
    })
}

/// 发起诊断: the project's 诊断方式 and the results to choose from.
#[utoipa::path(get, path = "/api/projects/{id}/diagnosis", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = DiagnosisView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_diagnosis(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<DiagnosisView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    Ok(Json(view(&state, &user, p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DiagnosisChoice {
    /// One of the enterprise's submitted assessment results.
    pub assessment_id: String,
}

/// 确认: the chosen result becomes the project's 改造前数字化水平等级. It may be chosen again until signing
/// completes (the implementation stage reads it as the level before).
#[utoipa::path(put, path = "/api/projects/{id}/diagnosis", tag = "lifecycle", params(("id" = String, Path)), request_body = DiagnosisChoice,
    responses((status = 200, body = DiagnosisView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn choose_diagnosis(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<DiagnosisChoice>) -> ApiResult<Json<DiagnosisView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    match p.stage {
        ProjectStage::Filing => return Err(ApiError::Conflict("项目备案完成后才能进行事前诊断".into())),
        ProjectStage::Signing => {}
        _ => return Err(ApiError::Conflict("项目已签约，改造前诊断结果不能再更改".into())),
    }
    let mode = p.diagnosis_mode.as_deref().and_then(DiagnosisMode::parse);
    if mode != Some(DiagnosisMode::SelfAssessment) {
        let label = mode.map(DiagnosisMode::label).unwrap_or("未选择");
        return Err(ApiError::Conflict(format!("本项目的诊断方式为「{label}」，不能选择自评结果；诊断报告由诊断机构出具")));
    }
    let result = assessment::submitted_result(&state.db, &user.organization.id, input.assessment_id.trim())
        .await?
        .ok_or_else(|| ApiError::validation("assessment_id", "所选自评结果不存在，请重新选择"))?;
    let now = Utc::now();
    // Conditional on the stage: a signing that completes meanwhile wins, and this choice is refused.
    let updated = project::Entity::update_many()
        .col_expr(project::Column::PreAssessmentId, Expr::value(Some(result.id.clone())))
        .col_expr(project::Column::PreLevel, Expr::value(Some(result.level.unwrap_or(0))))
        .col_expr(project::Column::PreLevelLabel, Expr::value(result.level_label.clone()))
        .col_expr(project::Column::DiagnosedAt, Expr::value(Some(now)))
        .col_expr(project::Column::UpdatedAt, Expr::value(now))
        .filter(project::Column::Id.eq(p.id.clone()))
        .filter(project::Column::Stage.eq(ProjectStage::Signing))
        .exec(&state.db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ApiError::Conflict("项目已签约，改造前诊断结果不能再更改".into()));
    }
    audit::record(&state.db, Entry {
        action: "project_pre_diagnosis",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("project"),
        object_id: Some(&p.id),
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({ "assessment": result.id, "level": result.level_label })),
    })
    .await?;
    let p = own_project(&state, &user, &p.id).await?;
    Ok(Json(view(&state, &user, p).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(filed: Option<&str>, diagnosed: Option<&str>, mode: &str) -> project::Model {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        project::Model {
            stage: if filed.is_some() { ProjectStage::Signing } else { ProjectStage::Filing },
            filed_at: filed.map(t),
            diagnosis_mode: Some(mode.into()),
            pre_assessment_id: diagnosed.map(|_| "a".into()),
            pre_level: diagnosed.map(|_| 2),
            pre_level_label: diagnosed.map(|_| "二级（规范级）".into()),
            diagnosed_at: diagnosed.map(t),
            created_at: t("2025-01-01T00:00:00Z"),
            updated_at: t("2025-01-01T00:00:00Z"),
            ..project::Model::blank(ProjectStage::Filing)
        }
    }

    #[test]
    fn overdue_counts_china_days_after_filing() {
        let config = 30;
        let now = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Filed 2025-03-01 01:00 China time (the day before in UTC): the last day is 2025-03-31 China time.
        let p = project(Some("2025-02-28T17:00:00Z"), None, "自诊断");
        let s = slot(config, &p, None, now("2025-03-31T15:59:59Z"));
        assert_eq!(s.deadline.as_deref(), Some("2025-03-31"));
        assert!(!s.overdue, "23:59:59 of the last day (China time) is in time");
        assert!(slot(config, &p, None, now("2025-03-31T16:00:00Z")).overdue, "00:00 of the next day is late");
        assert!(s.can_start);
        assert_eq!(s.status_label, "待诊断");
        // A result fixed in time stays in time, whenever the list is read.
        let p = project(Some("2025-02-28T17:00:00Z"), Some("2025-03-10T02:00:00Z"), "自诊断");
        let s = slot(config, &p, None, now("2026-01-01T00:00:00Z"));
        assert!(!s.overdue);
        assert_eq!(s.status_label, "已诊断");
        // No deadline, not filed, an agency's diagnosis.
        assert!(!slot(0, &project(Some("2025-02-28T17:00:00Z"), None, "自诊断"), None, now("2027-01-01T00:00:00Z")).overdue);
        let unfiled = slot(config, &project(None, None, "自诊断"), None, now("2027-01-01T00:00:00Z"));
        assert_eq!((unfiled.status_label.as_str(), unfiled.overdue, unfiled.can_start), ("备案完成后开始", false, false));
        let agency = slot(config, &project(Some("2025-02-28T17:00:00Z"), None, "诊断机构诊断"), None, now("2025-03-02T00:00:00Z"));
        assert_eq!((agency.status_label.as_str(), agency.can_start, agency.can_choose_agency), ("待选择诊断机构", false, true));
        let city = slot(config, &project(Some("2025-02-28T17:00:00Z"), None, "市工信局分配"), None, now("2025-03-02T00:00:00Z"));
        assert_eq!((city.status_label.as_str(), city.can_choose_agency), ("待市工信局分配", false));
    }
}
