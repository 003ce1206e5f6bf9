//! 项目实施-改造中 (seed 002 ch. 5, spec 40 §3): created when signing completes. The enterprise records 企业现状
//! （改造前） for eight dimensions — 创新, 市场, 提质, 降本, 增效, 绿色, 安全, 其他 — each ticked by default with its
//! example; an untouched dimension is unticked and not required, and at least one must be ticked and filled.
//! 行业型服务商协助填写 works as in signing: 是 sends the whole page to the project's lead unit (the one it signed
//! with), which fills and submits it back; the enterprise then edits if it wants and submits (已提交), which
//! moves the project on to 项目实施-改造完成. After that, 信息变更 edits and resubmits it (「修改后点击【保存】/【提交】
//! 完成变更」), checked as a submission, no review.
//!
//! The dimensions are a fixed structure (stage 4 reads each ticked one's before-value by key), so they are a
//! typed value here rather than a designed form. One row per project (`project_implementations`, m0023);
//! every write is a conditional update on `version` and status, as in `signing`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::entity::implementation::{self, ImplementationStatus};
use super::entity::project::{self, ProjectStage};
use super::handlers::{own_project, require_enterprise};
use super::signing::{audit_entry, invalid};
use crate::audit;
use crate::auth::CurrentUser;
use crate::directory::OrgKind;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::review;
use crate::state::AppState;

/// (key, 维度指标, 示例). Seed 002 gives 降本 the same example as 创新 (a copy slip, with 「关键共需」 for 关键工序);
/// 降本's here is a cost example, 创新's spelt right.
pub const DIMENSIONS: [(&str, &str, &str); 8] = [
    ("innovation", "创新维度", "如：数字化设备联网率、关键工序数控化率等"),
    ("market", "市场维度", "如：人均营收、客户满意度等"),
    ("quality", "提质维度", "如：产品合格率、生产效率等"),
    ("cost", "降本维度", "如：单位产品成本、能源成本、库存资金占用等"),
    ("efficiency", "增效维度", "如：准时交货率、库存周转率、生产计划达成率"),
    ("green", "绿色维度", "如：节约水电煤气等"),
    ("safety", "安全维度", "如：病毒拦截成功率、安全生产、安全管控等"),
    ("other", "其他维度", ""),
];

/// The longest 指标数据（改造前） of one dimension.
const MAX_BEFORE: usize = 500;

/// How [`keyed_rows`] names a refused row: the path of row `i`'s key, and the two messages.
pub(super) struct RowKey {
    pub path: fn(usize) -> String,
    pub unknown: &'static str,
    pub repeated: &'static str,
}

pub(super) const DIMENSION_KEY: RowKey = RowKey { path: |i| format!("dimensions[{i}].key"), unknown: "不是本页的维度指标", repeated: "维度指标重复" };

/// The rows a page sent, one per key of `order` and in that order: a row with a key not in `order`, or sent
/// twice, is refused at its index; a key not sent keeps its row from `kept`, else `fresh`. Pages whose rows
/// are fixed by the stage before (the dimensions, the providers to rate) store them this way, so a partial
/// or replayed save never drops or duplicates a row.
pub(super) fn keyed_rows<T: Clone>(
    sent: Vec<T>,
    order: &[&str],
    key: impl Fn(&T) -> &str,
    kept: &[T],
    fresh: impl Fn(&str) -> T,
    refuse: &RowKey,
    out: &mut Vec<FieldError>,
) -> Vec<T> {
    let mut by_key: BTreeMap<String, T> = BTreeMap::new();
    for (i, row) in sent.into_iter().enumerate() {
        let k = key(&row).to_owned();
        if !order.contains(&k.as_str()) {
            out.push(FieldError { field: (refuse.path)(i), message: refuse.unknown.into() });
        } else if by_key.insert(k, row).is_some() {
            out.push(FieldError { field: (refuse.path)(i), message: refuse.repeated.into() });
        }
    }
    order.iter().map(|k| by_key.remove(*k).or_else(|| kept.iter().find(|r| key(r) == *k).cloned()).unwrap_or_else(|| fresh(k))).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DimensionValue {
    /// One of [`DIMENSIONS`]' keys.
    pub key: String,
    /// Ticked: the dimension applies, its before-value is required.
    #[serde(default)]
    pub ticked: bool,
    /// 指标数据（改造前）.
    #[serde(default)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImplementationForm {
    /// 行业型服务商协助填写 (是 / 否); unanswered while null.
    #[serde(default)]
    pub assisted: Option<bool>,
    /// The eight dimensions, in [`DIMENSIONS`]' order.
    #[serde(default)]
    pub dimensions: Vec<DimensionValue>,
}

impl ImplementationForm {
    /// A new page: every dimension ticked (the seed's default), nothing typed.
    fn new() -> Self {
        ImplementationForm {
            assisted: None,
            dimensions: DIMENSIONS.iter().map(|(key, _, _)| DimensionValue { key: (*key).into(), ticked: true, before: None }).collect(),
        }
    }

    /// What a save may store: the eight dimensions in order (one sent twice or an unknown one refused, a
    /// missing one as it was), texts trimmed and within their length.
    fn normalized(mut self, kept: &ImplementationForm) -> Result<Self, Vec<FieldError>> {
        let mut out = Vec::new();
        let keys: Vec<&str> = DIMENSIONS.iter().map(|(k, _, _)| *k).collect();
        let sent = std::mem::take(&mut self.dimensions);
        let rows = keyed_rows(sent, &keys, |d: &DimensionValue| d.key.as_str(), &kept.dimensions, |key| DimensionValue { key: key.into(), ticked: true, before: None }, &DIMENSION_KEY, &mut out);
        for (i, (mut d, (_, label, _))) in rows.into_iter().zip(DIMENSIONS.iter()).enumerate() {
            d.before = d.before.map(|b| b.trim().to_owned()).filter(|b| !b.is_empty());
            if d.before.as_deref().is_some_and(|b| b.chars().count() > MAX_BEFORE) {
                out.push(FieldError { field: format!("dimensions[{i}].before"), message: format!("「{label}」的指标数据不能超过{MAX_BEFORE}字") });
            }
            self.dimensions.push(d);
        }
        if out.is_empty() { Ok(self) } else { Err(out) }
    }

    /// What 提交 needs: the assist answered (是 only with a lead unit), at least one dimension ticked, and each
    /// ticked one filled. `lead_part`: only what the lead unit writes (the dimensions).
    fn problems(&self, lead_unit: Option<&str>, lead_part: bool) -> Vec<FieldError> {
        let mut out = Vec::new();
        if !lead_part {
            match self.assisted {
                None => out.push(FieldError { field: "assisted".into(), message: "请选择「行业型服务商协助填写」".into() }),
                Some(true) if lead_unit.is_none() => out.push(FieldError { field: "assisted".into(), message: "项目没有签约牵引单位，「行业型服务商协助填写」必须选否".into() }),
                _ => {}
            }
        }
        if !self.dimensions.iter().any(|d| d.ticked) {
            out.push(FieldError { field: "dimensions".into(), message: "维度指标至少勾选并填写一项".into() });
        }
        for (i, d) in self.dimensions.iter().enumerate() {
            if d.ticked && d.before.is_none() {
                let label = DIMENSIONS.iter().find(|(k, _, _)| *k == d.key).map_or("", |(_, l, _)| *l);
                out.push(FieldError { field: format!("dimensions[{i}].before"), message: format!("已勾选「{label}」，请填写指标数据（改造前）；不涉及的请取消勾选") });
            }
        }
        out
    }
}

/// What the national platform receives: the ticked dimensions and their before-values.
fn synced(form: &ImplementationForm) -> serde_json::Value {
    let dims: Vec<serde_json::Value> = form
        .dimensions
        .iter()
        .filter(|d| d.ticked)
        .map(|d| json!({ "key": d.key, "label": DIMENSIONS.iter().find(|(k, _, _)| *k == d.key).map(|(_, l, _)| *l), "before": d.before }))
        .collect();
    json!({ "dimensions": dims })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DimensionInfo {
    pub key: String,
    pub label: String,
    pub example: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImplementationView {
    pub project_id: String,
    pub project_name: String,
    pub filing_number: Option<String>,
    pub enterprise_name: String,
    pub status: ImplementationStatus,
    pub status_label: String,
    /// 行业型服务商协助状态: 未选择协助, 待发送牵引单位, 牵引单位填写中, 牵引单位已提交, 牵引单位已协助填写.
    pub assist_label: String,
    /// Who reads the page: `enterprise` or `lead_unit`.
    pub viewer: String,
    pub can_edit: bool,
    /// 发送牵引单位 (the enterprise, 是 chosen, not yet sent).
    pub can_send: bool,
    pub can_submit: bool,
    /// 信息变更 (the enterprise, once submitted).
    pub can_change: bool,
    pub version: i32,
    /// The eight dimensions with their examples, in order.
    pub dimensions: Vec<DimensionInfo>,
    pub form: ImplementationForm,
    /// The lead unit the project signed with (it may help), if any.
    pub lead_unit_id: Option<String>,
    pub lead_unit_name: Option<String>,
    pub submitted_at: Option<crate::time::ApiTime>,
}

fn stored(row: &implementation::Model) -> ImplementationForm {
    serde_json::from_str(&row.form).unwrap_or_else(|_| ImplementationForm::new())
}

fn assist_label(row: &implementation::Model, form: &ImplementationForm) -> &'static str {
    match row.status {
        ImplementationStatus::WithLeadUnit => "牵引单位填写中",
        ImplementationStatus::Assisted => "牵引单位已提交",
        _ if row.sent_at.is_some() => "牵引单位已协助填写",
        ImplementationStatus::Draft if form.assisted == Some(true) => "待发送牵引单位",
        _ => "未选择协助",
    }
}

async fn view_of(state: &AppState, user: &CurrentUser, p: &project::Model, row: &implementation::Model) -> ApiResult<ImplementationView> {
    let form = stored(row);
    let enterprise = user.organization.kind == OrgKind::Enterprise;
    let orgs = crate::directory::by_ids(&state.db, [Some(p.org_id.clone()), row.lead_unit_id.clone()].into_iter().flatten().collect()).await?;
    let enterprise_edits = enterprise && matches!(row.status, ImplementationStatus::Draft | ImplementationStatus::Assisted);
    let lead_edits = !enterprise && row.status == ImplementationStatus::WithLeadUnit;
    Ok(ImplementationView {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        filing_number: p.filing_number.clone(),
        enterprise_name: orgs.get(&p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
        status: row.status,
        status_label: row.status.label().into(),
        assist_label: assist_label(row, &form).into(),
        viewer: if enterprise { "enterprise" } else { "lead_unit" }.into(),
        can_edit: enterprise_edits || lead_edits,
        can_send: enterprise && row.status == ImplementationStatus::Draft && form.assisted == Some(true) && row.lead_unit_id.is_some(),
        can_submit: enterprise_edits || lead_edits,
        can_change: enterprise && row.status == ImplementationStatus::Submitted,
        version: row.version,
        dimensions: DIMENSIONS.iter().map(|(k, l, e)| DimensionInfo { key: (*k).into(), label: (*l).into(), example: (*e).into() }).collect(),
        form,
        lead_unit_name: row.lead_unit_id.as_ref().and_then(|id| orgs.get(id)).map(|o| o.name.clone()),
        lead_unit_id: row.lead_unit_id.clone(),
        submitted_at: row.submitted_at.map(crate::time::api),
    })
}

/// The project's page, created on first need once it is signed (the lead unit is the one it signed with).
/// Two first openings at once create one row.
async fn load_or_create(state: &AppState, user: &CurrentUser, p: &project::Model) -> ApiResult<implementation::Model> {
    if matches!(p.stage, ProjectStage::Filing | ProjectStage::Signing) {
        return Err(ApiError::Conflict("项目签约完成后才能填写项目实施-改造中".into()));
    }
    if let Some(row) = implementation::Entity::find_by_id(p.id.clone()).one(&state.db).await? {
        return Ok(row);
    }
    implementation::Entity::insert(implementation::ActiveModel {
        project_id: Set(p.id.clone()),
        org_id: Set(p.org_id.clone()),
        lead_unit_id: Set(p.lead_unit_id.clone()),
        status: Set(ImplementationStatus::Draft),
        form: Set(serde_json::to_string(&ImplementationForm::new()).expect("serializes")),
        version: Set(1),
        sent_at: Set(None),
        assisted_at: Set(None),
        submitted_at: Set(None),
        updated_by: Set(user.user_id.clone()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&state.db)
    .await?;
    implementation::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))
}

/// The project and its page as `user` may reach them: the enterprise's own (项目管理), or the lead unit the page
/// was sent to. Anyone else: 404, as if there were nothing.
async fn reach(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<(project::Model, implementation::Model)> {
    let missing = || ApiError::NotFound("项目实施信息不存在".into());
    if user.organization.kind == OrgKind::LeadUnit {
        let row = implementation::Entity::find_by_id(id.to_owned())
            .one(&state.db)
            .await?
            .filter(|r| r.sent_at.is_some() && r.lead_unit_id.as_deref() == Some(user.organization.id.as_str()))
            .ok_or_else(missing)?;
        let p = project::Entity::find_by_id(row.project_id.clone()).one(&state.db).await?.ok_or_else(missing)?;
        return Ok((p, row));
    }
    require_enterprise(user)?;
    let p = own_project(state, user, id).await?;
    let row = load_or_create(state, user, &p).await?;
    Ok((p, row))
}

#[utoipa::path(get, path = "/api/projects/{id}/implementation", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = ImplementationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn get_implementation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ImplementationView>> {
    let (p, row) = reach(&state, &user, &id).await?;
    Ok(Json(view_of(&state, &user, &p, &row).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ImplementationInput {
    pub form: ImplementationForm,
    /// The version the page loaded.
    pub version: i32,
}

/// What `user` may store now: the enterprise the whole page (while it may edit, or, `change`, once
/// submitted), the lead unit only the dimensions (its 协助填写 answer is the enterprise's).
fn merged(user: &CurrentUser, row: &implementation::Model, input: ImplementationForm, change: bool) -> ApiResult<ImplementationForm> {
    let enterprise = user.organization.kind == OrgKind::Enterprise;
    let allowed = match (enterprise, change) {
        (true, true) => row.status == ImplementationStatus::Submitted,
        (true, false) => matches!(row.status, ImplementationStatus::Draft | ImplementationStatus::Assisted),
        (false, _) => !change && row.status == ImplementationStatus::WithLeadUnit,
    };
    if !allowed {
        return Err(ApiError::Conflict(match row.status {
            _ if change => "项目实施-改造中提交后才能信息变更".into(),
            ImplementationStatus::Submitted => "已提交：如需修改，请点击「信息变更」".into(),
            ImplementationStatus::WithLeadUnit => "本页正由牵引单位填写，其提交后才能修改".into(),
            _ => "本页已回到企业，不能再修改".into(),
        }));
    }
    let kept = stored(row);
    let mut form = input.normalized(&kept).map_err(invalid)?;
    if !enterprise {
        form.assisted = kept.assisted;
    }
    Ok(form)
}

/// Stores `form` when `version` is still the row's and the status is the one read, moving it to `to`.
async fn write(db: &impl sea_orm::ConnectionTrait, user: &CurrentUser, row: &implementation::Model, version: i32, form: &ImplementationForm, to: ImplementationStatus) -> ApiResult<()> {
    let now = Utc::now();
    let mut update = implementation::Entity::update_many()
        .col_expr(implementation::Column::Form, Expr::value(serde_json::to_string(form).expect("serializes")))
        .col_expr(implementation::Column::Status, Expr::value(to))
        .col_expr(implementation::Column::Version, Expr::col(implementation::Column::Version).add(1))
        .col_expr(implementation::Column::UpdatedBy, Expr::value(user.user_id.clone()))
        .col_expr(implementation::Column::UpdatedAt, Expr::value(now));
    match (row.status, to) {
        (ImplementationStatus::Draft, ImplementationStatus::WithLeadUnit) => update = update.col_expr(implementation::Column::SentAt, Expr::value(Some(now))),
        (ImplementationStatus::WithLeadUnit, ImplementationStatus::Assisted) => update = update.col_expr(implementation::Column::AssistedAt, Expr::value(Some(now))),
        (_, ImplementationStatus::Submitted) => update = update.col_expr(implementation::Column::SubmittedAt, Expr::value(Some(now))),
        _ => {}
    }
    let done = update
        .filter(implementation::Column::ProjectId.eq(row.project_id.clone()))
        .filter(implementation::Column::Version.eq(version))
        .filter(implementation::Column::Status.eq(row.status))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if done { Ok(()) } else { Err(ApiError::Conflict("本页已在别处修改或提交，请刷新页面后再操作（您填写的内容仍保留在本页）".into())) }
}

async fn reloaded(state: &AppState, user: &CurrentUser, p: &project::Model) -> ApiResult<Json<ImplementationView>> {
    let row = implementation::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("项目实施信息不存在".into()))?;
    Ok(Json(view_of(state, user, p, &row).await?))
}

/// 保存: stores what was typed (nothing is lost for being incomplete).
#[utoipa::path(put, path = "/api/projects/{id}/implementation", tag = "lifecycle", params(("id" = String, Path)), request_body = ImplementationInput,
    responses((status = 200, body = ImplementationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_implementation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ImplementationInput>) -> ApiResult<Json<ImplementationView>> {
    let (p, row) = reach(&state, &user, &id).await?;
    let form = merged(&user, &row, input.form, false)?;
    write(&state.db, &user, &row, input.version, &form, row.status).await?;
    reloaded(&state, &user, &p).await
}

/// 发送牵引单位: 行业型服务商协助填写 = 是; the page goes to the lead unit the project signed with, which is notified.
#[utoipa::path(post, path = "/api/projects/{id}/implementation/send", tag = "lifecycle", params(("id" = String, Path)), request_body = ImplementationInput,
    responses((status = 200, body = ImplementationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn send_implementation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ImplementationInput>) -> ApiResult<Json<ImplementationView>> {
    require_enterprise(&user)?;
    let (p, row) = reach(&state, &user, &id).await?;
    if row.status != ImplementationStatus::Draft {
        return Err(ApiError::Conflict("本页已发送牵引单位".into()));
    }
    let form = merged(&user, &row, input.form, false)?;
    if form.assisted != Some(true) {
        return Err(ApiError::validation("assisted", "选择「行业型服务商协助填写」为是后，才能发送牵引单位"));
    }
    let Some(lead_unit) = row.lead_unit_id.clone() else {
        return Err(ApiError::validation("assisted", "项目没有签约牵引单位，「行业型服务商协助填写」必须选否"));
    };
    let txn = crate::db::begin_write(&state.db).await?;
    write(&txn, &user, &row, input.version, &form, ImplementationStatus::WithLeadUnit).await?;
    review::notifications::notify_org(&txn, &lead_unit, None, None, review::notifications::Notice {
        case_id: None,
        event: "implementation_assist",
        title: "新的项目实施协助填写".into(),
        body: format!("{}的项目「{}」请贵单位协助填写企业现状（改造前）（工作台 → 协助项目实施）", user.organization.name, p.name),
    })
    .await?;
    audit::record(&txn, audit_entry(&user, "project_implementation_send", &p.id, json!({ "lead_unit": lead_unit }))).await?;
    txn.commit().await?;
    reloaded(&state, &user, &p).await
}

/// 提交. The lead unit's: the dimensions complete, back to the enterprise (待企业确认). The enterprise's: every
/// rule checked and each problem named (422, nothing changes); then 已提交, and the project moves on to
/// 项目实施-改造完成, in one transaction.
#[utoipa::path(post, path = "/api/projects/{id}/implementation/submit", tag = "lifecycle", params(("id" = String, Path)), request_body = ImplementationInput,
    responses((status = 200, body = ImplementationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_implementation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ImplementationInput>) -> ApiResult<Json<ImplementationView>> {
    let (p, row) = reach(&state, &user, &id).await?;
    let form = merged(&user, &row, input.form, false)?;
    let enterprise = user.organization.kind == OrgKind::Enterprise;
    if enterprise && row.status == ImplementationStatus::Draft && form.assisted == Some(true) {
        return Err(ApiError::validation("assisted", "已选择由行业型服务商协助填写：请先「发送牵引单位」，待其提交后再提交"));
    }
    let problems = form.problems(row.lead_unit_id.as_deref(), !enterprise);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    if enterprise {
        write(&txn, &user, &row, input.version, &form, ImplementationStatus::Submitted).await?;
        project::Entity::update_many()
            .col_expr(project::Column::Stage, Expr::value(ProjectStage::Completion))
            .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(project::Column::Id.eq(p.id.clone()))
            .filter(project::Column::Stage.eq(ProjectStage::Implementation))
            .exec(&txn)
            .await?;
        let ticked = form.dimensions.iter().filter(|d| d.ticked).count();
        audit::record(&txn, audit_entry(&user, "project_implementation_submit", &p.id, json!({ "dimensions": ticked }))).await?;
        super::national_sync::record(&txn, &p.id, super::national_sync::SyncEvent::ImplementationSubmitted, synced(&form)).await?;
    } else {
        write(&txn, &user, &row, input.version, &form, ImplementationStatus::Assisted).await?;
        review::notifications::notify_org(&txn, &p.org_id, Some(super::PERMISSION), None, review::notifications::Notice {
            case_id: None,
            event: "implementation_assisted",
            title: "牵引单位已提交项目实施信息".into(),
            body: format!("{}已填写项目「{}」的企业现状（改造前），请核对后提交（项目管理 → 项目实施-改造中）", user.organization.name, p.name),
        })
        .await?;
        audit::record(&txn, audit_entry(&user, "project_implementation_assist", &p.id, json!({}))).await?;
    }
    txn.commit().await?;
    reloaded(&state, &user, &p).await
}

/// 信息变更 of a submitted page: the enterprise edits and resubmits it; checked as a submission, no review; a
/// change of nothing refused. Audited with the dimensions that changed.
#[utoipa::path(post, path = "/api/projects/{id}/implementation/change", tag = "lifecycle", params(("id" = String, Path)), request_body = ImplementationInput,
    responses((status = 200, body = ImplementationView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn change_implementation(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ImplementationInput>) -> ApiResult<Json<ImplementationView>> {
    require_enterprise(&user)?;
    let (p, row) = reach(&state, &user, &id).await?;
    let form = merged(&user, &row, input.form, true)?;
    let problems = form.problems(row.lead_unit_id.as_deref(), false);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let before = stored(&row);
    let mut changed: Vec<&str> = DIMENSIONS
        .iter()
        .filter(|(k, _, _)| before.dimensions.iter().find(|d| d.key == *k) != form.dimensions.iter().find(|d| d.key == *k))
        .map(|(_, l, _)| *l)
        .collect();
    if before.assisted != form.assisted {
        changed.insert(0, "行业型服务商协助填写");
    }
    if changed.is_empty() {
        return Err(ApiError::validation("dimensions", "没有修改任何内容"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    write(&txn, &user, &row, input.version, &form, ImplementationStatus::Submitted).await?;
    audit::record(&txn, audit_entry(&user, "project_implementation_change", &p.id, json!({ "changed": changed }))).await?;
    super::national_sync::record(&txn, &p.id, super::national_sync::SyncEvent::ImplementationChanged, synced(&form)).await?;
    txn.commit().await?;
    reloaded(&state, &user, &p).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImplementationItem {
    pub project_id: String,
    pub project_name: String,
    pub enterprise_name: String,
    pub filing_number: Option<String>,
    pub status: ImplementationStatus,
    pub status_label: String,
    pub assist_label: String,
    /// 提交时间: when the enterprise submitted it, or (the lead unit) when it was sent.
    pub submitted_at: Option<crate::time::ApiTime>,
    /// Whether the viewer has something to do on it now (编辑 / 协助填写).
    pub actionable: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImplementationList {
    pub items: Vec<ImplementationItem>,
}

/// 项目实施-改造中 list: the enterprise's signed projects (待提交 until opened), or, for a lead unit, the pages
/// sent to it (协助项目实施), in the order they were sent.
#[utoipa::path(get, path = "/api/implementations", tag = "lifecycle",
    responses((status = 200, body = ImplementationList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_implementations(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ImplementationList>> {
    let lead_unit = user.organization.kind == OrgKind::LeadUnit;
    let (projects, rows): (Vec<project::Model>, Vec<implementation::Model>) = if lead_unit {
        let rows = implementation::Entity::find()
            .filter(implementation::Column::LeadUnitId.eq(user.organization.id.clone()))
            .filter(implementation::Column::SentAt.is_not_null())
            .order_by_desc(implementation::Column::SentAt)
            .all(&state.db)
            .await?;
        let projects = project::Entity::find().filter(project::Column::Id.is_in(rows.iter().map(|r| r.project_id.clone()))).all(&state.db).await?;
        (projects, rows)
    } else {
        require_enterprise(&user)?;
        let projects = project::Entity::find()
            .filter(project::Column::OrgId.eq(user.organization.id.clone()))
            .filter(project::Column::Stage.is_not_in([ProjectStage::Filing, ProjectStage::Signing]))
            .order_by_desc(project::Column::FiledAt)
            .all(&state.db)
            .await?;
        let rows = implementation::Entity::find().filter(implementation::Column::ProjectId.is_in(projects.iter().map(|p| p.id.clone()))).all(&state.db).await?;
        (projects, rows)
    };
    let orgs = crate::directory::by_ids(&state.db, projects.iter().map(|p| p.org_id.clone()).collect()).await?;
    let by_project: BTreeMap<&str, &implementation::Model> = rows.iter().map(|r| (r.project_id.as_str(), r)).collect();
    let mut items: Vec<ImplementationItem> = projects
        .iter()
        .map(|p| {
            let row = by_project.get(p.id.as_str()).copied();
            let status = row.map_or(ImplementationStatus::Draft, |r| r.status);
            let actionable = if lead_unit { status == ImplementationStatus::WithLeadUnit } else { matches!(status, ImplementationStatus::Draft | ImplementationStatus::Assisted) };
            ImplementationItem {
                project_id: p.id.clone(),
                project_name: p.name.clone(),
                enterprise_name: orgs.get(&p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
                filing_number: p.filing_number.clone(),
                status,
                status_label: status.label().into(),
                assist_label: row.map_or("未选择协助", |r| assist_label(r, &stored(r))).into(),
                submitted_at: row.and_then(|r| if lead_unit { r.sent_at } else { r.submitted_at }).map(crate::time::api),
                actionable,
            }
        })
        .collect();
    if lead_unit {
        let order: BTreeMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r.project_id.as_str(), i)).collect();
        items.sort_by_key(|i| order.get(i.project_id.as_str()).copied().unwrap_or(usize::MAX));
    }
    Ok(Json(ImplementationList { items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> ImplementationForm {
        let mut f = ImplementationForm::new();
        f.assisted = Some(false);
        for d in &mut f.dimensions {
            d.ticked = d.key == "quality";
            d.before = (d.key == "quality").then(|| " 产品合格率 92% ".into());
        }
        f
    }

    #[test]
    fn a_new_page_ticks_every_dimension_and_needs_each_ticked_one_filled() {
        let f = ImplementationForm::new();
        assert_eq!(f.dimensions.len(), 8);
        assert!(f.dimensions.iter().all(|d| d.ticked && d.before.is_none()));
        let fields: Vec<String> = f.problems(None, false).into_iter().map(|p| p.field).collect();
        assert_eq!(fields[0], "assisted");
        assert_eq!(fields.len(), 9, "{fields:?}");
    }

    #[test]
    fn one_ticked_and_filled_is_enough_and_texts_are_trimmed() {
        let f = filled().normalized(&ImplementationForm::new()).unwrap();
        assert_eq!(f.dimensions[2].before.as_deref(), Some("产品合格率 92%"));
        assert!(f.problems(None, false).is_empty());
        let mut none = f.clone();
        none.dimensions[2].ticked = false;
        assert_eq!(none.problems(None, false)[0].message, "维度指标至少勾选并填写一项");
    }

    #[test]
    fn assisted_needs_a_lead_unit_and_the_lead_unit_is_not_asked_for_it() {
        let mut f = filled();
        f.assisted = Some(true);
        assert_eq!(f.problems(None, false)[0].field, "assisted");
        assert!(f.problems(Some("lu"), false).is_empty());
        f.assisted = None;
        assert!(f.problems(Some("lu"), true).is_empty());
    }

    #[test]
    fn unknown_or_repeated_dimensions_are_refused_and_missing_ones_kept() {
        let mut f = filled();
        f.dimensions.push(DimensionValue { key: "quality".into(), ticked: true, before: None });
        f.dimensions.push(DimensionValue { key: "luck".into(), ticked: true, before: None });
        let fields: Vec<String> = f.normalized(&ImplementationForm::new()).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["dimensions[8].key", "dimensions[9].key"]);
        let kept = filled();
        let partial = ImplementationForm { assisted: Some(false), dimensions: vec![] }.normalized(&kept).unwrap();
        assert_eq!(partial.dimensions, kept.dimensions.iter().map(|d| DimensionValue { before: d.before.as_deref().map(|b| b.trim().to_owned()), ..d.clone() }).collect::<Vec<_>>());
        let long = ImplementationForm { assisted: None, dimensions: vec![DimensionValue { key: "green".into(), ticked: true, before: Some("节".repeat(501)) }] };
        assert_eq!(long.normalized(&kept).unwrap_err()[0].field, "dimensions[5].before");
    }
}
