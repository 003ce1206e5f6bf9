//! 项目备案 (seed 002 ch. 2, spec 40 §1) as a reviewed case of kind `filing`: 镇街审核 → 第三方初审 → 市工信复审
//! (flow `filing`); on completion the project receives its 项目备案号 and moves on to 项目签约.
//!
//! The form is `{"project_id", "values", "lead_unit_id"}` where `values` follow `data/forms/filing.json` (the
//! schema-driven form engine, docs/forms.md) and `lead_unit_id` is the 意向行业型服务商, an organization chosen
//! from the lead units (not a schema field: its value is an organization, checked against the database).
//! [`normalize`](CaseKind::normalize) adds on every save what comes from the database: `lead_unit_name`,
//! `town_name` and `town_org_id` (the town's government body, which the `镇街审核` stage is assigned to).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use shuzhuan_core::form::{self, FormSchema};
use shuzhuan_core::{RegionCode, RegionLevel};

use super::entity::{number_counter, project};
use super::entity::project::ProjectStage;
use crate::directory::{org, OrgKind};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

pub struct Filing;

inventory::submit! { crate::review::Registered(&Filing) }

/// The case kind (and flow) of 项目备案.
pub const KIND: &str = "filing";

use crate::form::at_values;

pub const FORM_JSON: &str = include_str!("../../../../data/forms/filing.json");

/// The schema, parsed and checked once (a broken file fails the tests, not a request).
pub fn schema() -> &'static FormSchema {
    static SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(FORM_JSON, "filing"));
    &SCHEMA
}

pub(super) fn str_of<'a>(form: &'a Value, key: &str) -> &'a str {
    form[key].as_str().unwrap_or("")
}

/// Types only: what is saved may be incomplete, never malformed.
pub(super) fn check_draft(form: &Value) -> Result<(), Vec<FieldError>> {
    let bad = |field: &str| Err(vec![FieldError { field: field.into(), message: "填写内容的格式不正确".into() }]);
    let Some(obj) = form.as_object() else { return bad("form") };
    if obj.get("values").is_some_and(|v| !v.is_object()) {
        return bad("values");
    }
    for key in ["project_id", "lead_unit_id", "lead_unit_name", "town_name", "town_org_id"] {
        if obj.get(key).is_some_and(|v| !v.is_string() && !v.is_null()) {
            return bad(key);
        }
    }
    let problems = form::check_draft(schema(), &form["values"]);
    if problems.is_empty() { Ok(()) } else { Err(at_values(problems)) }
}

/// Every rule of a submission, each problem named: the form's fields, the town (a 镇街 with its reviewing
/// body on the platform) and the lead unit.
pub(super) fn validate(form: &Value) -> Result<(), Vec<FieldError>> {
    let mut out = match form::validate(schema(), &form["values"]) {
        Ok(()) => Vec::new(),
        Err(problems) => at_values(problems),
    };
    let town = str_of(&form["values"], "town");
    if let Ok(code) = RegionCode::parse(town) {
        if code.level() != RegionLevel::Town {
            out.push(FieldError { field: "values.town".into(), message: "「所属镇街」请选择到镇（街道）".into() });
        } else if str_of(form, "town_org_id").is_empty() {
            let name = str_of(form, "town_name");
            out.push(FieldError {
                field: "values.town".into(),
                message: format!("所选镇街（{}）尚未在平台开通审核，暂时无法提交，请联系市工业和信息化局", if name.is_empty() { town } else { name }),
            });
        }
    }
    if str_of(form, "lead_unit_id").is_empty() {
        out.push(FieldError { field: "lead_unit_id".into(), message: "请选择「意向行业型服务商」".into() });
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// The engine's rows with the town read by its name and the lead unit by its name.
pub(super) fn fields(form: &Value) -> Vec<FieldRow> {
    let mut out = Vec::new();
    for r in form::rows(schema(), &form["values"]) {
        let value = match (r.key.as_str(), str_of(form, "town_name")) {
            ("town", name) if !name.is_empty() && !r.value.is_empty() => format!("{name}（{}）", r.value),
            _ => r.value,
        };
        out.push(FieldRow::new(&format!("values.{}", r.key), &r.label, value));
        if r.key == "diagnosis_mode" {
            let lead = str_of(form, "lead_unit_name");
            out.push(FieldRow::new("lead_unit_id", "意向行业型服务商", if lead.is_empty() { "未选择" } else { lead }));
        }
    }
    out
}

/// The files of the visible file fields (so that the reviewers may open them).
pub(super) fn attachments(form: &Value) -> Vec<String> {
    crate::files::form_file_ids(schema(), &form["values"])
}

/// The town's government body: the government organization registered for exactly that region.
pub async fn town_body(db: &impl sea_orm::ConnectionTrait, town: &RegionCode) -> ApiResult<Option<org::Model>> {
    Ok(org::Entity::find()
        .filter(org::Column::Kind.eq(OrgKind::Government.as_str()))
        .filter(org::Column::RegionCode.eq(town.as_str()))
        .one(db)
        .await?)
}

/// Fills in what comes from the database, keeping everything typed; keeps the project's own columns (name,
/// town, lead unit, diagnosis mode) in step with the draft so that the lists read them without the form.
pub(super) async fn normalize(db: &DatabaseTransaction, owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
    let project_id = str_of(&form, "project_id").to_owned();
    let p = project::Entity::find_by_id(project_id.clone())
        .filter(project::Column::OrgId.eq(owner_org_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    if !form["values"].is_object() {
        form["values"] = json!({});
    }
    form["lead_unit_name"] = Value::Null;
    let lead_unit_id = str_of(&form, "lead_unit_id").to_owned();
    if !lead_unit_id.is_empty() {
        let lead = org::Entity::find_by_id(lead_unit_id.clone())
            .filter(org::Column::Kind.eq(OrgKind::LeadUnit.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| ApiError::validation("lead_unit_id", "所选行业型服务商不存在，请重新选择"))?;
        form["lead_unit_name"] = json!(lead.name);
    }
    form["town_name"] = Value::Null;
    form["town_org_id"] = Value::Null;
    let town = RegionCode::parse(str_of(&form["values"], "town")).ok();
    if let Some(code) = &town {
        let name = crate::reference::entity::region::Entity::find_by_id(code.as_str().to_owned()).one(db).await?.map(|r| r.name);
        form["town_name"] = json!(name);
        if code.level() == RegionLevel::Town
            && let Some(body) = town_body(db, code).await?
        {
            form["town_org_id"] = json!(body.id);
        }
    }
    let name = str_of(&form["values"], "project_name").trim().to_owned();
    let mode = str_of(&form["values"], "diagnosis_mode").to_owned();
    // The project's columns follow the filing until it is filed; later 信息变更 updates them on approval.
    if p.stage == ProjectStage::Filing {
        project::Entity::update_many()
            .col_expr(project::Column::Name, Expr::value(name))
            .col_expr(project::Column::TownCode, Expr::value(town.filter(|t| t.level() == RegionLevel::Town).map(|t| t.as_str().to_owned())))
            .col_expr(project::Column::LeadUnitId, Expr::value(Some(lead_unit_id).filter(|s| !s.is_empty())))
            .col_expr(project::Column::DiagnosisMode, Expr::value(Some(mode).filter(|s| !s.is_empty())))
            .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(project::Column::Id.eq(project_id))
            .exec(db)
            .await?;
    }
    Ok(form)
}

/// Every file named must be the enterprise's own (a file id is not a capability).
pub(super) async fn on_submitted(txn: &DatabaseTransaction, case: &CaseRef, form: &Value) -> ApiResult<()> {
    crate::files::own_files(txn, &case.owner_org_id, "values", &attachments(form)).await.map(drop)
}

/// Takes the next number of the counter `key` inside `txn`: the UPDATE holds the counter's row until the
/// transaction ends, so two completions at once take consecutive numbers (PostgreSQL: the second waits on
/// the row lock and reads the first's committed value; SQLite: writers are serialized by `begin_write`).
pub(super) async fn next_in_counter(txn: &DatabaseTransaction, key: &str) -> ApiResult<u64> {
    number_counter::Entity::insert(number_counter::ActiveModel { counter_key: Set(key.to_owned()), last: Set(0) })
        .on_conflict_do_nothing()
        .exec(txn)
        .await?;
    number_counter::Entity::update_many()
        .col_expr(number_counter::Column::Last, Expr::col(number_counter::Column::Last).add(1))
        .filter(number_counter::Column::CounterKey.eq(key))
        .exec(txn)
        .await?;
    let row = number_counter::Entity::find_by_id(key.to_owned()).one(txn).await?.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("counter {key} vanished")))?;
    Ok(row.last as u64)
}

/// 备案完成: the project receives its 项目备案号 by the configured rule and moves on to 项目签约 (待签约).
async fn on_approved(txn: &DatabaseTransaction, state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
    let p = project::Entity::find()
        .filter(project::Column::FilingCaseId.eq(case.id.clone()))
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    if p.filing_number.is_some() {
        return Ok(());
    }
    let town = RegionCode::parse(str_of(&form["values"], "town")).map_err(|e| ApiError::validation("values.town", e.to_string()))?;
    let now = Utc::now();
    let today = now.with_timezone(&crate::time::china());
    let date = (today.year(), today.month(), today.day());
    let rule = state.config.lifecycle.filing_number_rule();
    let seq = next_in_counter(txn, &rule.counter_key(date, &town)).await?;
    let number = rule.render(date, &town, seq).map_err(|e| ApiError::Conflict(e.to_string()))?;
    project::Entity::update_many()
        .col_expr(project::Column::FilingNumber, Expr::value(number.clone()))
        .col_expr(project::Column::FiledAt, Expr::value(now))
        .col_expr(project::Column::Stage, Expr::value(ProjectStage::Signing))
        .col_expr(project::Column::UpdatedAt, Expr::value(now))
        .filter(project::Column::Id.eq(p.id.clone()))
        .exec(txn)
        .await?;
    let enterprise = crate::directory::org::Entity::find_by_id(p.org_id.clone()).one(txn).await?;
    // The project's own fields; the enterprise's contact people stay here.
    let values = &form["values"];
    let project: serde_json::Map<String, Value> = SYNCED_FIELDS.iter().map(|k| ((*k).to_owned(), values[*k].clone())).collect();
    let data = serde_json::json!({
        "filing_number": number,
        "filed_at": crate::time::api(now),
        "enterprise": { "name": enterprise.as_ref().map(|o| o.name.clone()), "uscc": enterprise.and_then(|o| o.uscc) },
        "project": project,
    });
    super::national_sync::record(txn, &p.id, super::national_sync::SyncEvent::FilingCompleted, data).await
}

/// The filed record's fields the national platform receives (docs/national-sync.md).
const SYNCED_FIELDS: &[&str] = &["project_name", "summary", "site_address", "planned_investment", "period", "target_level", "diagnosis_mode", "chain_leader"];

#[async_trait::async_trait]
impl CaseKind for Filing {
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
        let name = str_of(&form["values"], "project_name").trim();
        format!("项目备案：{}", if name.is_empty() { "未命名项目" } else { name })
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        fields(form)
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        attachments(form)
    }

    /// The town's body (镇街审核 is its region's authority) and the lead unit.
    fn organizations(&self, form: &Value) -> BTreeMap<String, String> {
        ["town_org_id", "lead_unit_id"]
            .into_iter()
            .filter(|k| !str_of(form, k).is_empty())
            .map(|k| (k.to_owned(), str_of(form, k).to_owned()))
            .collect()
    }

    /// The filing belongs to the town the enterprise names: the town reviews it, the town's city re-reviews
    /// (Zhongshan's towns answer to the city directly; elsewhere the district lies between and is skipped).
    fn program_region_from(&self) -> Option<&'static str> {
        Some("town_org_id")
    }

    async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, form: Value) -> ApiResult<Value> {
        normalize(db, owner_org_id, form).await
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(str_of(form, "town_name").to_owned()).filter(|s| !s.is_empty())
    }

    async fn on_submitted(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        on_submitted(txn, case, form).await
    }

    async fn on_approved(&self, txn: &DatabaseTransaction, state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        on_approved(txn, state, case, form).await
    }
}
