//! 预奖补 (seed 002 ch. 3 「项目签约--申请预奖补」, spec 40): after signing, the enterprise applies for one or
//! several of its signed contracts with three stamped PDFs — 入库申报表 and 承诺书 (templates served here) and a
//! 信用报告 (信用中国 / 信用广东) — reviewed by the city of the project's town (flow `presubsidy`, 市工信审核):
//! 已审核 (approved), 审核不通过 (rejected: its contracts may be applied for again) or 退回重填 (returned: edited
//! and resubmitted to the city).
//!
//! The form is `{"project_id", "contracts": [合同协议编号], "values": <data/forms/presubsidy.json>}`; the
//! server adds on every save what reviewers read from the signing: the project, the enterprise, the town's
//! body (whose city reviews) and each contract's 合同总金额 and 纳入资金奖补项目金额. A contract is claimed by
//! one live application at a time: `presubsidy_contracts` (project, 合同协议编号) is the primary key, so two
//! applications started at once for the same contract make one.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::form::{self, FormSchema};
use shuzhuan_core::Money;
use utoipa::ToSchema;

use super::entity::presubsidy_contract;
use super::entity::project;
use super::entity::signing::{self, SigningStatus};
use super::handlers::{own_project, require_enterprise, submit_case};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::review::{self, CaseKind, CaseRef, CaseState, FieldRow};
use crate::state::AppState;

pub struct Presubsidy;

inventory::submit! { crate::review::Registered(&Presubsidy) }

/// The case kind (and flow) of 预奖补.
pub const KIND: &str = "presubsidy";

use crate::form::at_values;

pub const FORM_JSON: &str = include_str!("../../../../data/forms/presubsidy.json");

pub fn schema() -> &'static FormSchema {
    static SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(FORM_JSON, "presubsidy"));
    &SCHEMA
}

fn str_of<'a>(form: &'a Value, key: &str) -> &'a str {
    form[key].as_str().unwrap_or("")
}

/// 项目预奖补状态 as the seed's list shows it.
pub fn status_label(case: &CaseRef) -> &'static str {
    match case.state {
        CaseState::Draft => "待提交",
        CaseState::InReview => "审核中",
        CaseState::Returned => "退回重填",
        CaseState::Approved => "已审核",
        CaseState::Rejected => "审核不通过",
        CaseState::Deleted => "已删除",
    }
}

fn check_draft(form: &Value) -> Result<(), Vec<FieldError>> {
    let bad = |field: &str| Err(vec![FieldError { field: field.into(), message: "填写内容的格式不正确".into() }]);
    let Some(obj) = form.as_object() else { return bad("form") };
    if obj.get("values").is_some_and(|v| !v.is_object()) {
        return bad("values");
    }
    if obj.get("contracts").is_some_and(|v| !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))) {
        return bad("contracts");
    }
    let problems = form::check_draft(schema(), &form["values"]);
    if problems.is_empty() { Ok(()) } else { Err(at_values(problems)) }
}

fn validate(form: &Value) -> Result<(), Vec<FieldError>> {
    let mut out = match form::validate(schema(), &form["values"]) {
        Ok(()) => Vec::new(),
        Err(problems) => at_values(problems),
    };
    if form["contract_rows"].as_array().is_none_or(Vec::is_empty) {
        out.push(FieldError { field: "contracts".into(), message: "请选择申请预奖补的合同".into() });
    }
    if str_of(form, "town_org_id").is_empty() {
        out.push(FieldError { field: "project_id".into(), message: "项目所属镇街尚未在平台开通，暂不能提交，请联系市工业和信息化局".into() });
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// The signed contracts of a project, by 合同协议编号: (合同总金额, 纳入资金奖补项目金额, 已签约行业服务商).
async fn signed_contracts(db: &impl sea_orm::ConnectionTrait, project_id: &str) -> ApiResult<Option<Vec<Value>>> {
    let Some(s) = signing::Entity::find_by_id(project_id.to_owned()).one(db).await? else { return Ok(None) };
    if s.status != SigningStatus::Signed {
        return Ok(None);
    }
    let form: Value = serde_json::from_str(&s.form).unwrap_or_else(|_| json!({}));
    Ok(Some(
        form["values"]["contracts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| json!({ "contract_no": r["contract_no"], "amount": r["amount"], "subsidy_amount": r["subsidy_amount"], "provider": r["provider"] }))
            .collect(),
    ))
}

/// 合同协议编号 of the project's contracts claimed by a live application (not deleted as a draft, not rejected):
/// what 信息变更 of the signing must keep.
pub async fn live_claims(db: &impl sea_orm::ConnectionTrait, project_id: &str) -> ApiResult<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    for claim in presubsidy_contract::Entity::find().filter(presubsidy_contract::Column::ProjectId.eq(project_id)).all(db).await? {
        if review::case_by_id(db, &claim.case_id).await?.is_some_and(|c| !matches!(c.state, CaseState::Deleted | CaseState::Rejected)) {
            out.insert(claim.contract_no);
        }
    }
    Ok(out)
}

/// What reviewers read, from the database: the project, its enterprise and town, the chosen contracts.
async fn normalize(db: &DatabaseTransaction, owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
    let p = project::Entity::find_by_id(str_of(&form, "project_id").to_owned())
        .filter(project::Column::OrgId.eq(owner_org_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    if !form["values"].is_object() {
        form["values"] = json!({});
    }
    let chosen: Vec<String> = form["contracts"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
    let signed = signed_contracts(db, &p.id).await?.unwrap_or_default();
    let rows: Vec<Value> = signed.into_iter().filter(|r| chosen.iter().any(|c| r["contract_no"].as_str() == Some(c))).collect();
    let total = Money::checked_sum(rows.iter().filter_map(|r| r["subsidy_amount"].as_str()).filter_map(|t| Money::parse_wan(t).ok())).map(Money::exact_wan);
    form["contract_rows"] = json!(rows);
    form["subsidy_total"] = json!(total);
    form["project_name"] = json!(p.name);
    form["filing_number"] = json!(p.filing_number);
    let enterprise = crate::directory::org::Entity::find_by_id(p.org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    form["enterprise_name"] = json!(enterprise);
    form["town_org_id"] = Value::Null;
    if let Some(town) = p.town_code.as_deref().and_then(|c| shuzhuan_core::RegionCode::parse(c).ok())
        && let Some(body) = super::filing::town_body(db, &town).await?
    {
        form["town_org_id"] = json!(body.id);
    }
    Ok(form)
}

fn fields(form: &Value) -> Vec<FieldRow> {
    let mut out = vec![
        FieldRow::new("project_name", "项目名称", str_of(form, "project_name")),
        FieldRow::new("enterprise_name", "企业名称", str_of(form, "enterprise_name")),
        FieldRow::new("filing_number", "项目备案号", str_of(form, "filing_number")),
    ];
    for (i, r) in form["contract_rows"].as_array().into_iter().flatten().enumerate() {
        out.push(FieldRow::new(
            &format!("contract_{i}"),
            &format!("申请合同{}", i + 1),
            &format!(
                "{}（{}，合同总金额 {} 万元，纳入资金奖补项目金额 {} 万元）",
                str_of(r, "contract_no"),
                str_of(r, "provider"),
                str_of(r, "amount"),
                str_of(r, "subsidy_amount")
            ),
        ));
    }
    out.push(FieldRow::new("subsidy_total", "纳入奖补金额合计（万元）", str_of(form, "subsidy_total")));
    out.extend(form::rows(schema(), &form["values"]).into_iter().map(|r| FieldRow::new(&format!("values.{}", r.key), &r.label, r.value)));
    out
}

/// Frees the contracts of a rejected application (审核不通过): they may be applied for again.
async fn release(txn: &DatabaseTransaction, case_id: &str) -> ApiResult<()> {
    presubsidy_contract::Entity::delete_many().filter(presubsidy_contract::Column::CaseId.eq(case_id)).exec(txn).await?;
    Ok(())
}

#[async_trait::async_trait]
impl CaseKind for Presubsidy {
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
        validate(form)
    }

    fn title(&self, form: &Value, _owner_org_name: &str) -> String {
        let contracts: Vec<&str> = form["contract_rows"].as_array().into_iter().flatten().filter_map(|r| r["contract_no"].as_str()).collect();
        format!("预奖补申请：{}（{}）", str_of(form, "project_name"), contracts.join("、"))
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        fields(form)
    }

    /// 纳入奖补金额合计 (万元), as `normalize` computed it from the chosen contracts: the dashboard's 申请资金.
    fn amount(&self, form: &Value) -> Option<Money> {
        form["subsidy_total"].as_str().and_then(|t| Money::parse_wan(t).ok())
    }

    fn reports_amount(&self) -> bool {
        true
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        crate::files::form_file_ids(schema(), &form["values"])
    }

    fn organizations(&self, form: &Value) -> BTreeMap<String, String> {
        Some(("town_org_id".to_owned(), str_of(form, "town_org_id").to_owned())).into_iter().filter(|(_, v)| !v.is_empty()).collect()
    }

    /// Reviewed by the city of the project's town, as its filing was.
    fn program_region_from(&self) -> Option<&'static str> {
        Some("town_org_id")
    }

    async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, form: Value) -> ApiResult<Value> {
        normalize(db, owner_org_id, form).await
    }

    /// Every file named must be the enterprise's own (a file id is not a capability).
    async fn on_submitted(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        crate::files::own_files(txn, &case.owner_org_id, "values", &self.attachments(form)).await.map(drop)
    }

    async fn on_rejected(&self, txn: &DatabaseTransaction, case: &CaseRef) -> ApiResult<()> {
        release(txn, &case.id).await
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresubsidyContract {
    pub contract_no: String,
    pub provider: String,
    /// 合同总金额 and 其中纳入资金奖补项目金额, 万元 as signed (exact text).
    pub amount: String,
    pub subsidy_amount: String,
    /// The live application claiming it (待提交 / 审核中 / 退回重填 / 已审核), if any.
    pub case_id: Option<String>,
    pub status_label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresubsidyItem {
    pub case_id: String,
    pub contracts: Vec<String>,
    pub status_label: String,
    pub latest_opinion: Option<String>,
    pub submitted_at: Option<crate::time::ApiTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPresubsidies {
    pub project_id: String,
    pub project_name: String,
    /// Only after signing (已签约).
    pub signed: bool,
    pub contracts: Vec<PresubsidyContract>,
    /// The project's applications, newest first.
    pub applications: Vec<PresubsidyItem>,
}

async fn overview(state: &AppState, p: &project::Model) -> ApiResult<ProjectPresubsidies> {
    let signed = signed_contracts(&state.db, &p.id).await?;
    let cases = review::cases_of(&state.db, &p.org_id, KIND, &[CaseState::Draft, CaseState::InReview, CaseState::Returned, CaseState::Approved, CaseState::Rejected]).await?;
    let mut applications = Vec::new();
    let mut by_id = BTreeMap::new();
    for c in cases {
        let form = c.form(state)?;
        if str_of(&form, "project_id") != p.id {
            continue;
        }
        let contracts: Vec<String> = form["contracts"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
        applications.push(PresubsidyItem {
            case_id: c.id.clone(),
            contracts,
            status_label: status_label(&c).to_owned(),
            latest_opinion: c.latest_opinion.clone(),
            submitted_at: c.submitted_at.map(crate::time::api),
        });
        by_id.insert(c.id.clone(), c);
    }
    applications.sort_by(|a, b| b.case_id.cmp(&a.case_id));
    let claimed: BTreeMap<String, String> = presubsidy_contract::Entity::find()
        .filter(presubsidy_contract::Column::ProjectId.eq(p.id.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.contract_no, r.case_id))
        .collect();
    let contracts = signed
        .iter()
        .flatten()
        .map(|r| {
            let no = str_of(r, "contract_no").to_owned();
            let case_id = claimed.get(&no).cloned();
            PresubsidyContract {
                status_label: case_id.as_ref().and_then(|id| by_id.get(id)).map(|c| status_label(c).to_owned()),
                case_id,
                provider: str_of(r, "provider").to_owned(),
                amount: str_of(r, "amount").to_owned(),
                subsidy_amount: str_of(r, "subsidy_amount").to_owned(),
                contract_no: no,
            }
        })
        .collect();
    Ok(ProjectPresubsidies { project_id: p.id.clone(), project_name: p.name.clone(), signed: signed.is_some(), contracts, applications })
}

#[utoipa::path(get, path = "/api/projects/{id}/presubsidies", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = ProjectPresubsidies), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn project_presubsidies(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ProjectPresubsidies>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    Ok(Json(overview(&state, &p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PresubsidyStart {
    /// 合同协议编号 of the signed contracts to apply for (one or more).
    pub contracts: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresubsidyStarted {
    pub case_id: String,
}

/// 预奖补申请: a draft for the chosen signed contracts, none of them claimed by a live application.
#[utoipa::path(post, path = "/api/projects/{id}/presubsidies", tag = "lifecycle", params(("id" = String, Path)), request_body = PresubsidyStart,
    responses((status = 201, body = PresubsidyStarted), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn start_presubsidy(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<PresubsidyStart>) -> ApiResult<(StatusCode, Json<PresubsidyStarted>)> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    let Some(signed) = signed_contracts(&state.db, &p.id).await? else {
        return Err(ApiError::Conflict("项目签约提交后才能申请预奖补".into()));
    };
    let mut chosen: Vec<String> = input.contracts.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(ApiError::validation("contracts", "请选择申请预奖补的合同"));
    }
    if let Some(unknown) = chosen.iter().find(|c| !signed.iter().any(|r| r["contract_no"].as_str() == Some(c.as_str()))) {
        return Err(ApiError::validation("contracts", format!("合同「{unknown}」不是本项目已签约的合同")));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    // A claim of an application deleted as a draft, or rejected, no longer holds its contract.
    for claim in presubsidy_contract::Entity::find()
        .filter(presubsidy_contract::Column::ProjectId.eq(p.id.clone()))
        .filter(presubsidy_contract::Column::ContractNo.is_in(chosen.clone()))
        .all(&txn)
        .await?
    {
        let live = review::case_by_id(&txn, &claim.case_id).await?.is_some_and(|c| !matches!(c.state, CaseState::Deleted | CaseState::Rejected));
        if !live {
            presubsidy_contract::Entity::delete_many()
                .filter(presubsidy_contract::Column::ProjectId.eq(claim.project_id))
                .filter(presubsidy_contract::Column::ContractNo.eq(claim.contract_no))
                .exec(&txn)
                .await?;
        }
    }
    let form = json!({ "project_id": p.id, "contracts": chosen, "values": {} });
    let form = Presubsidy.normalize(&txn, &user.organization.id, form).await?;
    let new = review::NewCase { kind: &Presubsidy, owner_org_id: &user.organization.id, owner_region_code: user.organization.region_code.as_deref(), form, submit: false };
    let row = review::insert_draft(&txn, &state, &new, &review::Acting::from(&user)).await?;
    for no in &chosen {
        let took = presubsidy_contract::Entity::insert(presubsidy_contract::ActiveModel {
            project_id: sea_orm::ActiveValue::Set(p.id.clone()),
            contract_no: sea_orm::ActiveValue::Set(no.clone()),
            case_id: sea_orm::ActiveValue::Set(row.id.clone()),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(&txn)
        .await?;
        if !matches!(took, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
            txn.rollback().await?;
            return Err(ApiError::Conflict(format!("合同「{no}」已有预奖补申请（审核不通过的可重新申请）")));
        }
    }
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(PresubsidyStarted { case_id: row.id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresubsidyView {
    pub case_id: String,
    pub project_id: String,
    pub project_name: String,
    pub status_label: String,
    pub editable: bool,
    pub version: i64,
    #[schema(value_type = Object)]
    pub schema: Value,
    #[schema(value_type = Object)]
    pub values: Value,
    /// The contracts applied for, as signed.
    #[schema(value_type = Vec<Object>)]
    pub contracts: Vec<Value>,
    pub subsidy_total: Option<String>,
    pub file_names: BTreeMap<String, String>,
    /// Why it was returned or rejected.
    pub latest_opinion: Option<String>,
}

async fn own_case(state: &AppState, user: &CurrentUser, case_id: &str) -> ApiResult<CaseRef> {
    require_enterprise(user)?;
    review::case_by_id(&state.db, case_id)
        .await?
        .filter(|c| c.kind == KIND && c.owner_org_id == user.organization.id && c.state != CaseState::Deleted)
        .ok_or_else(|| ApiError::NotFound("预奖补申请不存在".into()))
}

async fn view(state: &AppState, case: &CaseRef) -> ApiResult<PresubsidyView> {
    let form = case.form(state)?;
    let version = review::load_case(&state.db, &case.id).await?.row.version;
    let file_names = crate::files::names_of(&state.db, &case.owner_org_id, Presubsidy.attachments(&form)).await?;
    Ok(PresubsidyView {
        case_id: case.id.clone(),
        project_id: str_of(&form, "project_id").to_owned(),
        project_name: str_of(&form, "project_name").to_owned(),
        status_label: status_label(case).to_owned(),
        editable: matches!(case.state, CaseState::Draft | CaseState::Returned),
        version,
        schema: serde_json::to_value(schema()).expect("schemas serialize"),
        values: form["values"].clone(),
        contracts: form["contract_rows"].as_array().cloned().unwrap_or_default(),
        subsidy_total: form["subsidy_total"].as_str().map(str::to_owned),
        file_names,
        latest_opinion: case.latest_opinion.clone(),
    })
}

#[utoipa::path(get, path = "/api/presubsidies/{case_id}", tag = "lifecycle", params(("case_id" = String, Path)),
    responses((status = 200, body = PresubsidyView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_presubsidy(State(state): State<AppState>, user: CurrentUser, Path(case_id): Path<String>) -> ApiResult<Json<PresubsidyView>> {
    let case = own_case(&state, &user, &case_id).await?;
    Ok(Json(view(&state, &case).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PresubsidyInput {
    #[schema(value_type = Object)]
    pub values: Value,
    pub version: u64,
}

/// 保存 (types only; incomplete is kept).
#[utoipa::path(put, path = "/api/presubsidies/{case_id}", tag = "lifecycle", params(("case_id" = String, Path)), request_body = PresubsidyInput,
    responses((status = 200, body = PresubsidyView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_presubsidy(State(state): State<AppState>, user: CurrentUser, Path(case_id): Path<String>, ApiJson(input): ApiJson<PresubsidyInput>) -> ApiResult<Json<PresubsidyView>> {
    let case = own_case(&state, &user, &case_id).await?;
    crate::files::check_wanted(&state.db, &user.organization.id, crate::files::form_files(schema(), &input.values, "values")).await?;
    let stored = case.form(&state)?;
    // The contracts are chosen when the application starts; a save changes the materials only.
    let form = json!({ "project_id": stored["project_id"], "contracts": stored["contracts"], "values": input.values });
    review::save_form(&state, &user, &case.id, form, input.version).await?;
    let case = own_case(&state, &user, &case_id).await?;
    Ok(Json(view(&state, &case).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PresubsidySubmit {
    pub version: u64,
}

/// 提交, or after 退回重填 重新提交 to the city: every missing material named (422), nothing changed.
#[utoipa::path(post, path = "/api/presubsidies/{case_id}/submit", tag = "lifecycle", params(("case_id" = String, Path)), request_body = PresubsidySubmit,
    responses((status = 200, body = PresubsidyView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_presubsidy(State(state): State<AppState>, user: CurrentUser, Path(case_id): Path<String>, ApiJson(input): ApiJson<PresubsidySubmit>) -> ApiResult<Json<PresubsidyView>> {
    let case = own_case(&state, &user, &case_id).await?;
    submit_case(&state, &user, &case, input.version).await?;
    let case = own_case(&state, &user, &case_id).await?;
    Ok(Json(view(&state, &case).await?))
}

/// 入库申报表 and 承诺书 templates: blank forms to fill in, stamp and upload.
#[utoipa::path(get, path = "/api/projects/templates/presubsidy-application.pdf", tag = "lifecycle",
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = ErrorEnvelope)))]
pub async fn presubsidy_application_template(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<axum::response::Response> {
    crate::pdf::response(&state, include_str!("presubsidy_application.typ"), json!({}), "入库申报表模板.pdf").await
}

#[utoipa::path(get, path = "/api/projects/templates/presubsidy-commitment.pdf", tag = "lifecycle",
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 401, body = ErrorEnvelope)))]
pub async fn presubsidy_commitment_template(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<axum::response::Response> {
    crate::pdf::response(&state, include_str!("presubsidy_commitment.typ"), json!({}), "承诺书模板.pdf").await
}
