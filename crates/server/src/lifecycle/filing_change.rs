//! 信息变更 of a filed project (seed 002 ch. 2: 「提交后，如需变更信息，点击【信息变更】按钮」; spec 40 §1) as a
//! reviewed case of kind `filing_change`, reviewed by the city bureau of the project's town (flow
//! `filing_change`, 市工信审核: the spec's table gives 信息变更 to the city; docs/decisions/0018).
//!
//! The form is the filing's (`{"project_id", "values", "lead_unit_id"}`, `data/forms/filing.json`), prefilled
//! with the filed record, plus `original`: the filed record the change started from, written by the server
//! and never taken from the client. Reviewers read each changed row as 「新值（原：旧值）」, and a change that
//! changes nothing is refused. 所属镇街 cannot change: it decided who reviewed the filing and which counter
//! its 项目备案号 came from. Only on approval does the change take effect: the project's columns follow it and
//! the change becomes the project's filed record (`projects.record_case_id`); the 项目备案号 never changes.
//!
//! One change at a time: `projects.change_case_id` points at the latest change, and a new one takes the
//! pointer with a conditional update from the closed one it read, so of two tabs starting a change at once
//! one creates it and the other opens the same one.

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

use super::entity::project;
use super::filing::{self, str_of};
use super::handlers::{own_project, require_enterprise, ProjectView};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::review::{self, CaseKind, CaseRef, CaseState, FieldRow};
use crate::state::AppState;

pub struct FilingChange;

inventory::submit! { crate::review::Registered(&FilingChange) }

/// The case kind (and flow) of a filing's 信息变更.
pub const KIND: &str = "filing_change";

/// The filed record's keys a change may carry over from the client (everything else is the server's).
fn record_of(form: &Value) -> Value {
    json!({
        "values": form["values"].clone(),
        "lead_unit_id": form["lead_unit_id"].clone(),
        "lead_unit_name": form["lead_unit_name"].clone(),
        "town_name": form["town_name"].clone(),
    })
}

fn check_draft(form: &Value) -> Result<(), Vec<FieldError>> {
    filing::check_draft(form)?;
    if form.get("original").is_some_and(|v| !v.is_object()) {
        return Err(vec![FieldError { field: "original".into(), message: "填写内容的格式不正确".into() }]);
    }
    Ok(())
}

/// The filing's rules, and two of its own: 所属镇街 stays, and something must change.
fn validate(form: &Value) -> Result<(), Vec<FieldError>> {
    let mut out = filing::validate(form).err().unwrap_or_default();
    let original = &form["original"];
    let town = str_of(&form["values"], "town");
    if !original.is_object() {
        out.push(FieldError { field: "original".into(), message: "变更缺少备案时的信息，请重新发起信息变更".into() });
    } else if town != str_of(&original["values"], "town") {
        out.push(FieldError {
            field: "values.town".into(),
            message: "「所属镇街」备案后不能通过信息变更修改；如需变更所属镇街，请联系市工业和信息化局".into(),
        });
    } else if out.is_empty() && form["values"] == original["values"] && str_of(form, "lead_unit_id") == str_of(original, "lead_unit_id") {
        out.push(FieldError { field: "values".into(), message: "未修改任何内容，无需提交信息变更".into() });
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// The filing's rows; a row that differs from the filed record reads 「新值（原：旧值）」.
fn fields(form: &Value) -> Vec<FieldRow> {
    let before: BTreeMap<String, String> = filing::fields(&form["original"]).into_iter().map(|r| (r.key, r.value)).collect();
    filing::fields(form)
        .into_iter()
        .map(|mut r| {
            if let Some(old) = before.get(&r.key).filter(|old| **old != r.value) {
                r.value = format!("{}（原：{}）", r.value, if old.is_empty() { "未填写" } else { old });
            }
            r
        })
        .collect()
}

/// The project whose latest change `case` is.
async fn project_of(txn: &DatabaseTransaction, case: &CaseRef) -> ApiResult<project::Model> {
    project::Entity::find()
        .filter(project::Column::ChangeCaseId.eq(case.id.clone()))
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::NotFound("项目不存在".into()))
}

/// The change takes effect: the project's columns follow it and it becomes the filed record.
async fn on_approved(txn: &DatabaseTransaction, case: &CaseRef, form: &Value) -> ApiResult<()> {
    let p = project_of(txn, case).await?;
    let name = str_of(&form["values"], "project_name").trim().to_owned();
    let lead = Some(str_of(form, "lead_unit_id").to_owned()).filter(|s| !s.is_empty());
    let mode = Some(str_of(&form["values"], "diagnosis_mode").to_owned()).filter(|s| !s.is_empty());
    project::Entity::update_many()
        .col_expr(project::Column::Name, Expr::value(name))
        .col_expr(project::Column::LeadUnitId, Expr::value(lead))
        .col_expr(project::Column::DiagnosisMode, Expr::value(mode))
        .col_expr(project::Column::RecordCaseId, Expr::value(Some(case.id.clone())))
        .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(project::Column::Id.eq(p.id))
        .exec(txn)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl CaseKind for FilingChange {
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
        format!("项目备案信息变更：{}", if name.is_empty() { "未命名项目" } else { name })
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        fields(form)
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        filing::attachments(form)
    }

    fn organizations(&self, form: &Value) -> BTreeMap<String, String> {
        review::CaseKind::organizations(&filing::Filing, form)
    }

    /// Reviewed by the city of the project's town, as the filing was.
    fn program_region_from(&self) -> Option<&'static str> {
        Some("town_org_id")
    }

    async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, form: Value) -> ApiResult<Value> {
        filing::normalize(db, owner_org_id, form).await
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(str_of(form, "town_name").to_owned()).filter(|s| !s.is_empty())
    }

    async fn on_submitted(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        filing::on_submitted(txn, case, form).await
    }

    async fn on_approved(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        on_approved(txn, case, form).await
    }
}

/// The project's filed information now: the latest approved change, or the filing.
pub(super) async fn record(state: &AppState, p: &project::Model) -> ApiResult<Value> {
    let id = p.record_case_id.as_deref().unwrap_or(&p.filing_case_id);
    review::case_by_id(&state.db, id).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?.form(state)
}

/// 信息变更: opens the project's change, starting one from the filed record when none is open. A second
/// click, or a second tab at the same moment, opens the same change.
#[utoipa::path(post, path = "/api/projects/{id}/filing/change", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn start_change(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ProjectView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    if p.filing_number.is_none() {
        return Err(ApiError::Conflict("项目尚未完成备案，备案前请直接修改备案内容".into()));
    }
    let open = match &p.change_case_id {
        Some(cid) => review::case_by_id(&state.db, cid).await?.is_some_and(|c| CaseState::OPEN.contains(&c.state)),
        None => false,
    };
    if !open {
        let record = record(&state, &p).await?;
        let form = json!({
            "project_id": p.id,
            "values": record["values"].clone(),
            "lead_unit_id": record["lead_unit_id"].clone(),
            "original": record_of(&record),
        });
        let txn = crate::db::begin_write(&state.db).await?;
        let form = FilingChange.normalize(&txn, &user.organization.id, form).await?;
        let new = review::NewCase { kind: &FilingChange, owner_org_id: &user.organization.id, owner_region_code: user.organization.region_code.as_deref(), form, submit: false };
        let row = review::insert_draft(&txn, &state, &new, &review::Acting::from(&user)).await?;
        // Takes the pointer from the closed change read above; another request that took it first wins, and
        // this one rolls its draft back and opens that one.
        let took = project::Entity::update_many()
            .col_expr(project::Column::ChangeCaseId, Expr::value(Some(row.id)))
            .filter(project::Column::Id.eq(p.id.clone()))
            .filter(match &p.change_case_id {
                Some(old) => project::Column::ChangeCaseId.eq(old.clone()),
                None => project::Column::ChangeCaseId.is_null(),
            })
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if took {
            txn.commit().await?;
        } else {
            txn.rollback().await?;
        }
    }
    Ok(Json(super::handlers::view(&state, &user, &p.id).await?))
}

/// The project's open change, for saving and submitting.
async fn open_change(state: &AppState, p: &project::Model) -> ApiResult<CaseRef> {
    let none = || ApiError::Conflict("没有进行中的信息变更，请先点击「信息变更」".into());
    let case = review::case_by_id(&state.db, p.change_case_id.as_deref().ok_or_else(none)?).await?.ok_or_else(none)?;
    if CaseState::OPEN.contains(&case.state) { Ok(case) } else { Err(none()) }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FilingChangeInput {
    #[schema(value_type = Object)]
    pub values: Value,
    #[serde(default)]
    pub lead_unit_id: Option<String>,
    /// The version the page loaded.
    pub version: u64,
}

/// 保存 of the change (types only, as the filing's).
#[utoipa::path(put, path = "/api/projects/{id}/filing/change", tag = "lifecycle", params(("id" = String, Path)), request_body = FilingChangeInput,
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_change(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<FilingChangeInput>) -> ApiResult<Json<ProjectView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    let case = open_change(&state, &p).await?;
    crate::files::check_wanted(&state.db, &user.organization.id, crate::files::form_files(filing::schema(), &input.values, "values")).await?;
    let original = case.form(&state)?["original"].clone();
    let form = json!({ "project_id": p.id, "values": input.values, "lead_unit_id": input.lead_unit_id, "original": original });
    review::save_form(&state, &user, &case.id, form, input.version).await?;
    Ok(Json(super::handlers::view(&state, &user, &p.id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FilingChangeSubmit {
    pub version: u64,
}

/// 提交 of the change (or 重新提交 after a return): the filing's checks, the town unchanged, something changed.
#[utoipa::path(post, path = "/api/projects/{id}/filing/change/submit", tag = "lifecycle", params(("id" = String, Path)), request_body = FilingChangeSubmit,
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_change(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<FilingChangeSubmit>) -> ApiResult<Json<ProjectView>> {
    require_enterprise(&user)?;
    let p = own_project(&state, &user, &id).await?;
    let case = open_change(&state, &p).await?;
    super::handlers::submit_case(&state, &user, &case, input.version).await?;
    Ok(Json(super::handlers::view(&state, &user, &p.id).await?))
}
