//! The agency's report on a project (seed 002 ch. 3 and 6, spec 40 Pre-diagnosis and Post-evaluation), one
//! mechanism for both [`Phase`]s:
//!
//! - **事前诊断**: when the filing chose 诊断机构诊断 the enterprise picks the agency (发起诊断 → 诊断机构名称);
//!   when it chose 市工信局分配 the city bureau of the project's town assigns one (kind `diagnosis_report`, level
//!   改造前数字化水平等级).
//! - **事后评估**: once 项目实施-改造中 is submitted the enterprise chooses 评估方式 at 发起评估 — 评估机构评估 (it
//!   picks the agency; the pre-diagnosis agency is the default when it is one of the evaluation agencies) or
//!   市工信局分配 (the city assigns) — kind `evaluation_report`, level 改造后数字化水平等级 (`evaluation`).
//!
//! Either way the report is a review case owned by the agency: it writes it (report PDF, level, opinion;
//! `data/forms/diagnosis_report.json`, `evaluation_report.json`) and submits it; the enterprise confirms it
//! (确认: the level becomes the project's) or returns it (退回修改), and the agency revises and submits again
//! (flows `diagnosis_report` / `evaluation_report`, stage 企业确认 assigned to the case's `enterprise_id`).
//!
//! The agencies offered are the agency organizations registered under the names `[lifecycle]
//! diagnosis_agencies` / `evaluation_agencies` list (by default the five comprehensive agencies seed 002 names).
//! A project has one report per phase: the case is linked by a conditional update of its column from null, so
//! two clicks (or two officials) at the same moment create one.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::form::{self, FormSchema, Problem};
use shuzhuan_core::RegionCode;
use utoipa::ToSchema;

use super::diagnosis::DiagnosisMode;
use super::entity::project::{self, ProjectStage};
use super::handlers::Choice;
use crate::audit::{self, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::directory::{org, user, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::review::{self, CaseKind, CaseRef, CaseState, FieldRow};
use crate::state::AppState;

/// Which report: before the transformation (事前诊断) or after it (事后评估).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Diagnosis,
    Evaluation,
}

/// The case kinds, one per phase.
pub struct AgencyReport(pub Phase);
pub static DIAGNOSIS_REPORT: AgencyReport = AgencyReport(Phase::Diagnosis);
pub static EVALUATION_REPORT: AgencyReport = AgencyReport(Phase::Evaluation);

inventory::submit! { crate::review::Registered(&DIAGNOSIS_REPORT) }
inventory::submit! { crate::review::Registered(&EVALUATION_REPORT) }

/// The case kind (and flow) of an agency's 事前诊断 report.
pub const KIND: &str = "diagnosis_report";
/// The case kind (and flow) of an agency's 事后评估 report.
pub const EVALUATION_KIND: &str = "evaluation_report";

/// The agency's menu permission 诊断评估 (its administrators hold it too); both phases are its work.
pub const PERMISSION: &str = "diagnoses";

pub const FORM_JSON: &str = include_str!("../../../../data/forms/diagnosis_report.json");
pub const EVALUATION_FORM_JSON: &str = include_str!("../../../../data/forms/evaluation_report.json");

static DIAGNOSIS_SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(FORM_JSON, KIND));
static EVALUATION_SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(EVALUATION_FORM_JSON, EVALUATION_KIND));

impl Phase {
    pub fn kind(self) -> &'static str {
        match self {
            Phase::Diagnosis => KIND,
            Phase::Evaluation => EVALUATION_KIND,
        }
    }

    fn of_kind(kind: &str) -> Option<Phase> {
        [Phase::Diagnosis, Phase::Evaluation].into_iter().find(|p| p.kind() == kind)
    }

    /// 事前诊断 / 事后评估.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Diagnosis => "事前诊断",
            Phase::Evaluation => "事后评估",
        }
    }

    /// 诊断 / 评估, as the pages say 诊断机构, 评估机构.
    pub fn verb(self) -> &'static str {
        match self {
            Phase::Diagnosis => "诊断",
            Phase::Evaluation => "评估",
        }
    }

    pub fn schema(self) -> &'static FormSchema {
        match self {
            Phase::Diagnosis => &DIAGNOSIS_SCHEMA,
            Phase::Evaluation => &EVALUATION_SCHEMA,
        }
    }

    fn agency_names(self, state: &AppState) -> &[String] {
        match self {
            Phase::Diagnosis => &state.config.lifecycle.diagnosis_agencies,
            Phase::Evaluation => &state.config.lifecycle.evaluation_agencies,
        }
    }

    /// The project's report case of this phase, once linked.
    pub fn case_of(self, p: &project::Model) -> Option<&str> {
        match self {
            Phase::Diagnosis => p.diagnosis_case_id.as_deref(),
            Phase::Evaluation => p.evaluation_case_id.as_deref(),
        }
    }

    /// 诊断方式 (from the filing) / 评估方式 (chosen at 发起评估).
    fn mode_of(self, p: &project::Model) -> Option<&str> {
        match self {
            Phase::Diagnosis => p.diagnosis_mode.as_deref(),
            Phase::Evaluation => p.evaluation_mode.as_deref(),
        }
    }

    fn case_column(self) -> project::Column {
        match self {
            Phase::Diagnosis => project::Column::DiagnosisCaseId,
            Phase::Evaluation => project::Column::EvaluationCaseId,
        }
    }

    /// The stages at which the project may be given to an agency: 事前诊断 until signing completes, 事后评估 from
    /// 项目实施-改造中's submission until 已入库.
    pub(super) fn open_stages(self) -> &'static [ProjectStage] {
        match self {
            Phase::Diagnosis => &[ProjectStage::Signing],
            Phase::Evaluation => &[ProjectStage::Completion, ProjectStage::Acceptance],
        }
    }

    /// Why the project cannot be given to an agency now, if it cannot.
    pub fn check_open(self, p: &project::Model) -> ApiResult<()> {
        if self.open_stages().contains(&p.stage) {
            return Ok(());
        }
        Err(ApiError::Conflict(match (self, p.stage) {
            (Phase::Diagnosis, ProjectStage::Filing) => "项目备案完成后才能进行事前诊断".into(),
            (Phase::Diagnosis, _) => "项目已签约，不能再发起事前诊断".into(),
            (Phase::Evaluation, ProjectStage::Accepted) => "项目已入库，不能再发起事后评估".into(),
            (Phase::Evaluation, _) => "项目实施-改造中提交后才能发起事后评估".into(),
        }))
    }
}

fn at_values(problems: Vec<Problem>) -> Vec<FieldError> {
    problems.into_iter().map(|p| FieldError { field: format!("values.{}", p.field), message: p.message }).collect()
}

fn str_of<'a>(form: &'a Value, key: &str) -> &'a str {
    form[key].as_str().unwrap_or("")
}

/// A 数字化水平等级 as the form's option reads (「二级（规范级）」) → 0–4, as the assessment numbers levels.
pub fn level_number(label: &str) -> Option<i32> {
    match label.chars().next()? {
        '无' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        _ => None,
    }
}

/// The keys the server writes; the agency sends `values` only.
const SERVER_KEYS: [&str; 6] = ["project_id", "enterprise_id", "enterprise_name", "project_name", "filing_number", "mode"];

fn check_draft(schema: &FormSchema, form: &Value) -> Result<(), Vec<FieldError>> {
    let bad = |field: &str| Err(vec![FieldError { field: field.into(), message: "填写内容的格式不正确".into() }]);
    let Some(obj) = form.as_object() else { return bad("form") };
    if obj.get("values").is_some_and(|v| !v.is_object()) {
        return bad("values");
    }
    for key in SERVER_KEYS {
        if obj.get(key).is_some_and(|v| !v.is_string() && !v.is_null()) {
            return bad(key);
        }
    }
    let problems = form::check_draft(schema, &form["values"]);
    if problems.is_empty() { Ok(()) } else { Err(at_values(problems)) }
}

#[async_trait::async_trait]
impl CaseKind for AgencyReport {
    fn key(&self) -> &'static str {
        self.0.kind()
    }

    fn owner_permission(&self) -> Option<&'static str> {
        Some(PERMISSION)
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        check_draft(self.0.schema(), form)
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        let mut out = match form::validate(self.0.schema(), &form["values"]) {
            Ok(()) => vec![],
            Err(problems) => at_values(problems),
        };
        if str_of(form, "enterprise_id").is_empty() {
            out.push(FieldError { field: "project_id".into(), message: format!("{}任务缺少项目信息，请联系平台运营", self.0.verb()) });
        }
        if out.is_empty() { Ok(()) } else { Err(out) }
    }

    fn title(&self, form: &Value, _owner_org_name: &str) -> String {
        format!("{}报告：{}（{}）", self.0.name(), str_of(form, "project_name"), str_of(form, "enterprise_name"))
    }

    /// The project the report is about, then the report.
    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        let mut out = vec![
            FieldRow::new("project_name", "项目名称", str_of(form, "project_name")),
            FieldRow::new("enterprise_name", "企业名称", str_of(form, "enterprise_name")),
            FieldRow::new("filing_number", "项目备案号", str_of(form, "filing_number")),
            FieldRow::new("mode", &format!("{}方式", self.0.verb()), str_of(form, "mode")),
        ];
        out.extend(form::rows(self.0.schema(), &form["values"]).into_iter().map(|r| FieldRow::new(&format!("values.{}", r.key), &r.label, r.value)));
        out
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        form["values"]["report_files"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
    }

    /// 企业确认 is the enterprise's.
    fn organizations(&self, form: &Value) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Some(id) = form["enterprise_id"].as_str().filter(|s| !s.is_empty()) {
            out.insert("enterprise_id".to_owned(), id.to_owned());
        }
        out
    }

    /// The project's names and number from the database, whatever a client sent.
    async fn normalize(&self, db: &DatabaseTransaction, _owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
        let id = str_of(&form, "project_id").to_owned();
        let p = project::Entity::find_by_id(id).one(db).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
        let enterprise = org::Entity::find_by_id(p.org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
        form["enterprise_id"] = json!(p.org_id);
        form["enterprise_name"] = json!(enterprise);
        form["project_name"] = json!(p.name);
        form["filing_number"] = json!(p.filing_number);
        form["mode"] = json!(self.0.mode_of(&p));
        Ok(form)
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(str_of(form, "enterprise_name").to_owned()).filter(|s| !s.is_empty())
    }

    /// 确认: the report's level is the project's 改造前 (or 改造后) 数字化水平等级 from now on.
    async fn on_approved(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        let label = str_of(&form["values"], "level").to_owned();
        let field = match self.0 {
            Phase::Diagnosis => "改造前数字化水平等级",
            Phase::Evaluation => "改造后数字化水平等级",
        };
        let level = level_number(&label).ok_or_else(|| ApiError::validation("values.level", &format!("请选择「{field}」")))?;
        let now = Utc::now();
        let update = project::Entity::update_many().col_expr(project::Column::UpdatedAt, Expr::value(now));
        let update = match self.0 {
            Phase::Diagnosis => update
                .col_expr(project::Column::PreLevel, Expr::value(Some(level)))
                .col_expr(project::Column::PreLevelLabel, Expr::value(Some(label.clone())))
                .col_expr(project::Column::PreAssessmentId, Expr::value(Option::<String>::None))
                .col_expr(project::Column::DiagnosedAt, Expr::value(Some(now))),
            Phase::Evaluation => update
                .col_expr(project::Column::PostLevel, Expr::value(Some(level)))
                .col_expr(project::Column::PostLevelLabel, Expr::value(Some(label.clone())))
                .col_expr(project::Column::EvaluatedAt, Expr::value(Some(now))),
        };
        update.filter(self.0.case_column().eq(case.id.clone())).exec(txn).await?;
        // The national platform receives the post-evaluation (the pre-diagnosis travels with the filing's stages).
        if self.0 == Phase::Evaluation {
            let agency = org::Entity::find_by_id(case.owner_org_id.clone()).one(txn).await?.map(|o| o.name);
            let data = json!({
                "level_after": label,
                "agency_name": agency,
                "report_files": crate::files::form_file_ids(self.0.schema(), &form["values"]).len(),
                "evaluated_at": crate::time::api(now),
            });
            super::national_sync::record(txn, str_of(form, "project_id"), super::national_sync::SyncEvent::EvaluationConfirmed, data).await?;
        }
        Ok(())
    }
}

/// The agencies a project may be given to in `phase`: those registered under the configured names, in that order.
pub async fn agencies(state: &AppState, phase: Phase) -> ApiResult<Vec<Choice>> {
    let names = phase.agency_names(state);
    let found = org::Entity::find()
        .filter(org::Column::Kind.eq(OrgKind::Agency.as_str()))
        .filter(org::Column::Name.is_in(names.iter().cloned()))
        .all(&state.db)
        .await?;
    Ok(names.iter().filter_map(|n| found.iter().find(|o| &o.name == n)).map(|o| Choice { id: o.id.clone(), name: o.name.clone() }).collect())
}

/// Creates the agency's report case of `phase` for the project and links it with `mode` (诊断方式 as filed, or
/// the 评估方式 chosen), unless one is linked already (then nothing happens: a double click, or two officials
/// at once, leave one case). `who` is recorded in the audit.
pub(super) async fn assign(state: &AppState, who: &CurrentUser, p: &project::Model, phase: Phase, mode: &str, agency_id: &str) -> ApiResult<()> {
    let verb = phase.verb();
    let agency = agencies(state, phase)
        .await?
        .into_iter()
        .find(|a| a.id == agency_id.trim())
        .ok_or_else(|| ApiError::validation("agency_id", &format!("请从列表中选择{verb}机构")))?;
    // The case needs an owner account (its notifications and 我的申请 go to the agency's people).
    let owner = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(agency.id.clone()))
        .filter(user::Column::Status.eq("active"))
        .order_by_asc(user::Column::CreatedAt)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::Conflict(format!("{}尚未开通平台账号，暂时不能接收{verb}任务，请选择其他机构", agency.name)))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let kind = match phase {
        Phase::Diagnosis => &DIAGNOSIS_REPORT,
        Phase::Evaluation => &EVALUATION_REPORT,
    };
    // The mode first (within this transaction), so that the case's form carries it.
    let update = project::Entity::update_many()
        .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(project::Column::Id.eq(p.id.clone()))
        .filter(phase.case_column().is_null())
        .filter(project::Column::Stage.is_in(phase.open_stages().iter().copied()));
    let update = match phase {
        Phase::Diagnosis => update
            .col_expr(project::Column::DiagnosisAgencyId, Expr::value(Some(agency.id.clone())))
            .col_expr(project::Column::DiagnosisAgencyName, Expr::value(Some(agency.name.clone()))),
        Phase::Evaluation => update
            .col_expr(project::Column::EvaluationMode, Expr::value(Some(mode.to_owned())))
            .col_expr(project::Column::EvaluationAgencyId, Expr::value(Some(agency.id.clone())))
            .col_expr(project::Column::EvaluationAgencyName, Expr::value(Some(agency.name.clone()))),
    };
    if update.exec(&txn).await?.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(());
    }
    let form = kind.normalize(&txn, &agency.id, json!({ "project_id": p.id, "values": {} })).await?;
    let acting = review::Acting {
        user_id: owner.id.clone(),
        user_name: owner.display_name.clone(),
        org_id: agency.id.clone(),
        org_name: agency.name.clone(),
        org_kind: OrgKind::Agency,
        ip: who.ip.clone(),
    };
    let new = review::NewCase { kind, owner_org_id: &agency.id, owner_region_code: None, form, submit: false };
    let row = review::insert_draft(&txn, state, &new, &acting).await?;
    // Conditional on the column still being empty: of two at once, the second finds it set and leaves.
    let took = project::Entity::update_many()
        .col_expr(phase.case_column(), Expr::value(Some(row.id.clone())))
        .filter(project::Column::Id.eq(p.id.clone()))
        .filter(phase.case_column().is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !took {
        txn.rollback().await?;
        return Ok(());
    }
    let (event, title) = match phase {
        Phase::Diagnosis => ("diagnosis_assigned", "新的事前诊断任务"),
        Phase::Evaluation => ("evaluation_assigned", "新的事后评估任务"),
    };
    review::notifications::notify_org(&txn, &agency.id, Some(PERMISSION), None, review::notifications::Notice {
        case_id: Some(&row.id),
        event,
        title: title.into(),
        body: format!("{}的项目「{}」请贵单位出具{}报告", str_of(&new.form, "enterprise_name"), p.name, phase.name()),
    })
    .await?;
    audit::record(&txn, Entry {
        action: match phase {
            Phase::Diagnosis => "project_diagnosis_agency",
            Phase::Evaluation => "project_evaluation_agency",
        },
        actor: Some(who),
        username: None,
        ip: who.ip.clone(),
        object_type: Some("project"),
        object_id: Some(&p.id),
        outcome: Outcome::Success,
        detail: Some(json!({ "agency": agency.name, "case": row.id, "mode": mode })),
    })
    .await?;
    txn.commit().await?;
    Ok(())
}

/// 市工信局分配, as both 诊断方式 and 评估方式 read it.
pub const CITY_ASSIGNED: &str = "市工信局分配";

/// Where the project may be given to an agency now in `phase` by `mode`: at the phase's stages, and by the mode
/// the filing fixed (事前诊断) or the enterprise chose (事后评估: the city assigns only what was sent to it).
fn check_assignable(p: &project::Model, phase: Phase, mode: &str) -> ApiResult<()> {
    phase.check_open(p)?;
    match phase {
        Phase::Diagnosis => {
            let filed = p.diagnosis_mode.as_deref().and_then(DiagnosisMode::parse);
            if filed.map(DiagnosisMode::label) != Some(mode) {
                let label = filed.map(DiagnosisMode::label).unwrap_or("未选择");
                let what = if mode == CITY_ASSIGNED { "由市工信局分配诊断机构" } else { "选择诊断机构" };
                return Err(ApiError::Conflict(format!("本项目的诊断方式为「{label}」，不能{what}")));
            }
        }
        Phase::Evaluation if mode == CITY_ASSIGNED && p.evaluation_mode.as_deref() != Some(CITY_ASSIGNED) => {
            return Err(ApiError::Conflict("企业尚未选择由市工信局分配评估机构".into()));
        }
        Phase::Evaluation => {}
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DiagnosisAgencyChoice {
    /// One of the agencies offered (`agencies` of the diagnosis or evaluation view).
    pub agency_id: String,
}

/// 发起诊断 by 诊断机构诊断: the enterprise chooses the agency, which receives the task.
#[utoipa::path(post, path = "/api/projects/{id}/diagnosis/agency", tag = "lifecycle", params(("id" = String, Path)), request_body = DiagnosisAgencyChoice,
    responses((status = 200, body = super::diagnosis::DiagnosisView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn choose_agency(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<DiagnosisAgencyChoice>) -> ApiResult<Json<super::diagnosis::DiagnosisView>> {
    super::handlers::require_enterprise(&user)?;
    let p = super::handlers::own_project(&state, &user, &id).await?;
    if p.diagnosis_case_id.is_none() {
        let mode = DiagnosisMode::Agency.label();
        check_assignable(&p, Phase::Diagnosis, mode)?;
        assign(&state, &user, &p, Phase::Diagnosis, mode, &input.agency_id).await?;
    }
    let p = super::handlers::own_project(&state, &user, &p.id).await?;
    Ok(Json(super::diagnosis::view(&state, &user, p).await?))
}

// ---- 市工信局分配 ----

fn in_city(p: &project::Model, city: &RegionCode) -> bool {
    p.town_code.as_deref().and_then(|c| RegionCode::parse(c).ok()).is_some_and(|t| t.is_within(city))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisAssignment {
    pub project_id: String,
    pub project_name: String,
    pub enterprise_name: String,
    pub filing_number: Option<String>,
    pub filed_at: Option<crate::time::ApiTime>,
    /// The agency assigned, once assigned.
    pub agency_name: Option<String>,
    /// 事前诊断: 待市工信局分配 / 待诊断机构出具报告 / 待企业确认诊断报告 / 诊断机构修改中 / 已诊断; 事后评估 the same
    /// with 评估.
    pub status_label: String,
    /// 是否逾期 (事前诊断 only: 事后评估 has no deadline).
    pub overdue: bool,
}

/// 事前诊断分配 or 事后评估分配: the projects and the agencies to assign.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisAssignments {
    pub items: Vec<DiagnosisAssignment>,
    /// The agencies to assign.
    pub agencies: Vec<Choice>,
}

/// The city's projects sent to it for `phase` (市工信局分配), those waiting first.
async fn assignments_of(state: &AppState, city: &RegionCode, phase: Phase) -> ApiResult<DiagnosisAssignments> {
    // The city's projects by their town's code prefix (a town code begins with its city's digits).
    let prefix = city.as_str().trim_end_matches('0');
    let query = project::Entity::find().filter(project::Column::TownCode.starts_with(prefix));
    let query = match phase {
        Phase::Diagnosis => query.filter(project::Column::DiagnosisMode.eq(CITY_ASSIGNED)).filter(project::Column::FilingNumber.is_not_null()),
        Phase::Evaluation => query.filter(project::Column::EvaluationMode.eq(CITY_ASSIGNED)),
    };
    let rows = query.order_by_asc(project::Column::FiledAt).all(&state.db).await?;
    let rows: Vec<project::Model> = rows.into_iter().filter(|p| in_city(p, city)).collect();
    let names: BTreeMap<String, String> = org::Entity::find()
        .filter(org::Column::Id.is_in(rows.iter().map(|p| p.org_id.clone())))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let cases = review::case_summaries_by_ids(&state.db, rows.iter().filter_map(|p| phase.case_of(p).map(str::to_owned)).collect()).await?;
    let now = Utc::now();
    let deadlines = super::settings::Deadlines::load(state).await?;
    let mut items: Vec<DiagnosisAssignment> = rows
        .into_iter()
        .map(|p| {
            let case = phase.case_of(&p).and_then(|c| cases.get(c));
            let (status_label, overdue, agency_name) = match phase {
                Phase::Diagnosis => {
                    let slot = super::diagnosis::slot(deadlines.days_for(p.town_code.as_deref()), &p, case, now);
                    (slot.status_label, slot.overdue, p.diagnosis_agency_name.clone())
                }
                Phase::Evaluation => (super::evaluation::slot(&p, case).status_label, false, p.evaluation_agency_name.clone()),
            };
            DiagnosisAssignment {
                enterprise_name: names.get(&p.org_id).cloned().unwrap_or_default(),
                project_id: p.id,
                project_name: p.name,
                filing_number: p.filing_number,
                filed_at: p.filed_at.map(crate::time::api),
                agency_name,
                status_label,
                overdue,
            }
        })
        .collect();
    items.sort_by_key(|r| r.agency_name.is_some());
    Ok(DiagnosisAssignments { items, agencies: agencies(state, phase).await? })
}

/// 分配: the city assigns the agency of a project sent to it (once; a second assignment at the same moment
/// changes nothing).
async fn assign_by_city(state: &AppState, user: &CurrentUser, city: &RegionCode, project_id: &str, phase: Phase, agency_id: &str) -> ApiResult<()> {
    let p = project::Entity::find_by_id(project_id.to_owned())
        .one(&state.db)
        .await?
        .filter(|p| in_city(p, city))
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    if phase.case_of(&p).is_none() {
        check_assignable(&p, phase, CITY_ASSIGNED)?;
        assign(state, user, &p, phase, CITY_ASSIGNED, agency_id).await?;
    }
    Ok(())
}

/// 事前诊断分配: the filed projects of the city whose 诊断方式 is 市工信局分配, those waiting first.
#[utoipa::path(get, path = "/api/lifecycle/diagnosis-assignments", tag = "lifecycle",
    responses((status = 200, body = DiagnosisAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn assignments(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<DiagnosisAssignments>> {
    let city = super::handlers::require_city_bureau(&user)?;
    Ok(Json(assignments_of(&state, &city, Phase::Diagnosis).await?))
}

/// 分配 (事前诊断): the city assigns the agency of a project filed with 市工信局分配.
#[utoipa::path(post, path = "/api/lifecycle/diagnosis-assignments/{project_id}", tag = "lifecycle", params(("project_id" = String, Path)), request_body = DiagnosisAgencyChoice,
    responses((status = 200, body = DiagnosisAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn assign_agency(State(state): State<AppState>, user: CurrentUser, Path(project_id): Path<String>, ApiJson(input): ApiJson<DiagnosisAgencyChoice>) -> ApiResult<Json<DiagnosisAssignments>> {
    let city = super::handlers::require_city_bureau(&user)?;
    assign_by_city(&state, &user, &city, &project_id, Phase::Diagnosis, &input.agency_id).await?;
    Ok(Json(assignments_of(&state, &city, Phase::Diagnosis).await?))
}

/// 事后评估分配: the city's projects whose enterprise chose 市工信局分配 at 发起评估, those waiting first.
#[utoipa::path(get, path = "/api/lifecycle/evaluation-assignments", tag = "lifecycle",
    responses((status = 200, body = DiagnosisAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn evaluation_assignments(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<DiagnosisAssignments>> {
    let city = super::handlers::require_city_bureau(&user)?;
    Ok(Json(assignments_of(&state, &city, Phase::Evaluation).await?))
}

/// 分配 (事后评估): the city assigns the evaluation agency of a project sent to it.
#[utoipa::path(post, path = "/api/lifecycle/evaluation-assignments/{project_id}", tag = "lifecycle", params(("project_id" = String, Path)), request_body = DiagnosisAgencyChoice,
    responses((status = 200, body = DiagnosisAssignments), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn assign_evaluation_agency(State(state): State<AppState>, user: CurrentUser, Path(project_id): Path<String>, ApiJson(input): ApiJson<DiagnosisAgencyChoice>) -> ApiResult<Json<DiagnosisAssignments>> {
    let city = super::handlers::require_city_bureau(&user)?;
    assign_by_city(&state, &user, &city, &project_id, Phase::Evaluation, &input.agency_id).await?;
    Ok(Json(assignments_of(&state, &city, Phase::Evaluation).await?))
}

// ---- The agency's 诊断任务 ----

fn require_agency(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Agency)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == PERMISSION) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("您没有诊断评估权限，请联系本单位管理员".into()))
    }
}

/// How the agency reads where its report is.
fn task_label(case: &CaseRef) -> &'static str {
    match case.state {
        CaseState::Draft => "待出具报告",
        CaseState::InReview => "待企业确认",
        CaseState::Returned => "企业退回修改",
        CaseState::Approved => "企业已确认",
        _ => "已关闭",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisTask {
    pub case_id: String,
    /// 事前诊断 or 事后评估.
    pub phase: String,
    pub project_name: String,
    pub enterprise_name: String,
    pub filing_number: Option<String>,
    /// 诊断方式 (诊断机构诊断: the enterprise chose us) or 评估方式 (评估机构评估), or 市工信局分配.
    pub mode: Option<String>,
    pub status_label: String,
    pub assigned_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisTasks {
    pub items: Vec<DiagnosisTask>,
}

/// 诊断任务: the agency's reports of both phases, newest first.
#[utoipa::path(get, path = "/api/diagnosis-reports", tag = "lifecycle",
    responses((status = 200, body = DiagnosisTasks), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn tasks(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<DiagnosisTasks>> {
    require_agency(&user)?;
    let states = [CaseState::Draft, CaseState::InReview, CaseState::Returned, CaseState::Approved, CaseState::Rejected];
    let mut cases = Vec::new();
    for phase in [Phase::Diagnosis, Phase::Evaluation] {
        cases.extend(review::cases_of(&state.db, &user.organization.id, phase.kind(), &states).await?.into_iter().map(|c| (phase, c)));
    }
    cases.sort_by(|a, b| b.1.created_at.cmp(&a.1.created_at));
    let mut items = Vec::new();
    for (phase, c) in cases {
        let form = c.form(&state)?;
        items.push(DiagnosisTask {
            case_id: c.id.clone(),
            phase: phase.name().to_owned(),
            project_name: str_of(&form, "project_name").to_owned(),
            enterprise_name: str_of(&form, "enterprise_name").to_owned(),
            filing_number: form["filing_number"].as_str().map(str::to_owned),
            mode: form["mode"].as_str().map(str::to_owned),
            status_label: task_label(&c).to_owned(),
            assigned_at: crate::time::api(c.created_at),
        });
    }
    Ok(Json(DiagnosisTasks { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosisTaskView {
    pub case_id: String,
    /// 事前诊断 or 事后评估.
    pub phase: String,
    pub status_label: String,
    /// Whether the agency may save and submit (not yet submitted, or returned).
    pub editable: bool,
    pub version: i64,
    /// The project and enterprise, as rows.
    pub project: Vec<FieldRow>,
    /// `data/forms/diagnosis_report.json` or `evaluation_report.json`.
    #[schema(value_type = Object)]
    pub schema: Value,
    #[schema(value_type = Object)]
    pub values: Value,
    pub file_names: BTreeMap<String, String>,
    /// Why the enterprise returned it, when it did.
    pub latest_opinion: Option<String>,
}

/// The agency's own report case of either phase.
async fn own_task(state: &AppState, user: &CurrentUser, case_id: &str) -> ApiResult<(Phase, CaseRef)> {
    review::case_by_id(&state.db, case_id)
        .await?
        .filter(|c| c.owner_org_id == user.organization.id)
        .and_then(|c| Phase::of_kind(&c.kind).map(|p| (p, c)))
        .ok_or_else(|| ApiError::NotFound("诊断任务不存在".into()))
}

async fn task_view(state: &AppState, phase: Phase, case: &CaseRef) -> ApiResult<DiagnosisTaskView> {
    let kind = AgencyReport(phase);
    let form = case.form(state)?;
    let version = review::load_case(&state.db, &case.id).await?.row.version;
    let ids = kind.attachments(&form);
    let file_names = crate::files::names_of(&state.db, &case.owner_org_id, ids).await?;
    Ok(DiagnosisTaskView {
        case_id: case.id.clone(),
        phase: phase.name().to_owned(),
        status_label: task_label(case).to_owned(),
        editable: matches!(case.state, CaseState::Draft | CaseState::Returned),
        version,
        project: kind.fields(&form).into_iter().take(4).collect(),
        schema: serde_json::to_value(phase.schema()).expect("schemas serialize"),
        values: form["values"].clone(),
        file_names,
        latest_opinion: case.latest_opinion.clone(),
    })
}

#[utoipa::path(get, path = "/api/diagnosis-reports/{case_id}", tag = "lifecycle", params(("case_id" = String, Path)),
    responses((status = 200, body = DiagnosisTaskView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_task(State(state): State<AppState>, user: CurrentUser, Path(case_id): Path<String>) -> ApiResult<Json<DiagnosisTaskView>> {
    require_agency(&user)?;
    let (phase, case) = own_task(&state, &user, &case_id).await?;
    Ok(Json(task_view(&state, phase, &case).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DiagnosisReportInput {
    #[schema(value_type = Object)]
    pub values: Value,
    pub version: u64,
}

/// 保存 the report (types only; nothing typed is lost for being incomplete).
#[utoipa::path(put, path = "/api/diagnosis-reports/{case_id}", tag = "lifecycle", params(("case_id" = String, Path)), request_body = DiagnosisReportInput,
    responses((status = 200, body = DiagnosisTaskView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_report(State(state): State<AppState>, user: CurrentUser, Path(case_id): Path<String>, ApiJson(input): ApiJson<DiagnosisReportInput>) -> ApiResult<Json<DiagnosisTaskView>> {
    require_agency(&user)?;
    let (phase, case) = own_task(&state, &user, &case_id).await?;
    crate::files::check_wanted(&state.db, &user.organization.id, crate::files::form_files(phase.schema(), &input.values, "values")).await?;
    let project_id = case.form(&state)?["project_id"].clone();
    review::save_form(&state, &user, &case.id, json!({ "project_id": project_id, "values": input.values }), input.version).await?;
    let (phase, case) = own_task(&state, &user, &case_id).await?;
    Ok(Json(task_view(&state, phase, &case).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DiagnosisReportSubmit {
    pub version: u64,
}

/// 提交 the report to the enterprise (or 重新提交 after it returned it); every required field is checked.
#[utoipa::path(post, path = "/api/diagnosis-reports/{case_id}/submit", tag = "lifecycle", params(("case_id" = String, Path)), request_body = DiagnosisReportSubmit,
    responses((status = 200, body = DiagnosisTaskView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_report(State(state): State<AppState>, user: CurrentUser, Path(case_id): Path<String>, ApiJson(input): ApiJson<DiagnosisReportSubmit>) -> ApiResult<Json<DiagnosisTaskView>> {
    require_agency(&user)?;
    let (_, case) = own_task(&state, &user, &case_id).await?;
    super::handlers::submit_case(&state, &user, &case, input.version).await?;
    let (phase, case) = own_task(&state, &user, &case_id).await?;
    Ok(Json(task_view(&state, phase, &case).await?))
}
