//! Applying (003 §5.4, 004 §三): 我要申报, the application page (save, 生成申报书, submit), 我的项目 and
//! 我的申报书. Eligibility and the window are the server's to decide, at apply and again at submit.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::review::{Action, CaseStatus};
use shuzhuan_core::{IndustryCode, RegionCode};
use utoipa::ToSchema;

use super::entity::{application, call, document, program, track};
use super::handlers::{notice_of, CallNotice};
use super::kind::{call_of, kind_for, settings_of};
use super::{documents, forms};
use crate::auth::{CurrentUser, Role};
use crate::directory::{org, profile, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::review::{self, CaseState, FileRef};
use crate::state::AppState;

/// The enterprise's administrator, or a member holding 申报管理.
pub fn require_applicant(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Enterprise)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == super::APPLY_PERMISSION) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("您没有申报管理权限，请联系本单位管理员".into()))
    }
}

/// Refused outside the window, by the server's clock.
pub fn check_window(c: &call::Model, now: DateTime<Utc>) -> ApiResult<()> {
    if c.status != call::CallStatus::Published {
        return Err(ApiError::Conflict("该申报通知尚未发布".into()));
    }
    if now < c.opens_at {
        return Err(ApiError::Conflict(format!("申报尚未开始，开始时间为{}", crate::time::display(c.opens_at))));
    }
    if now >= c.closes_at {
        return Err(ApiError::Conflict(format!("申报已于{}截止，无法再提交", crate::time::display(c.closes_at))));
    }
    Ok(())
}

/// Why the enterprise may not apply to `c`, or `Ok` when it may. `own_case` is its application to this
/// call, left out of the concurrency rule.
pub async fn check_eligible(db: &impl ConnectionTrait, c: &call::Model, org_id: &str, own_case: Option<&str>) -> ApiResult<()> {
    let refuse = |why: String| Err(ApiError::Refused { status: StatusCode::CONFLICT, code: "call_not_eligible", message: why, fields: vec![] });
    let s = settings_of(c);
    let o = org::Entity::find_by_id(org_id.to_owned()).one(db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    let p = profile::Entity::find_by_id(org_id.to_owned()).one(db).await?;
    if s.applicants == "listed" && !s.listed_usccs.iter().any(|u| Some(u.as_str()) == o.uscc.as_deref()) {
        return refuse("本次申报仅限指定企业，贵单位不在名单内".into());
    }
    let region = o.region_code.as_deref().and_then(|r| RegionCode::parse(r).ok());
    let Some(region) = region.filter(|r| r.level() >= shuzhuan_core::RegionLevel::District) else {
        return refuse("请先在单位信息中完善所在市和所在区县".into());
    };
    let regions: Vec<String> = if s.eligibility.regions.is_empty() {
        let runner = org::Entity::find_by_id(c.org_id.clone()).one(db).await?;
        runner.and_then(|r| r.region_code).into_iter().collect()
    } else {
        s.eligibility.regions.clone()
    };
    if !regions.is_empty() && !regions.iter().filter_map(|r| RegionCode::parse(r).ok()).any(|r| region.is_within(&r)) {
        return refuse("贵单位注册地不在本次申报的地区范围内".into());
    }
    if !s.eligibility.industries.is_empty() {
        let industry = p.as_ref().and_then(|p| p.industry_code.as_deref()).and_then(|c| IndustryCode::parse(c).ok());
        let Some(industry) = industry else { return refuse("请先在单位信息中填写所属行业".into()) };
        let ok = s.eligibility.industries.iter().filter_map(|c| IndustryCode::parse(c).ok()).any(|allowed| industry.is_within(&allowed));
        if !ok {
            return refuse(format!("本次申报仅限以下行业（国民经济行业分类）：{}；贵单位所属行业为 {}", s.eligibility.industries.join("、"), industry.as_str()));
        }
    }
    if !s.eligibility.sizes.is_empty() {
        let size = p.as_ref().and_then(|p| p.size.clone()).unwrap_or_default();
        if size.is_empty() {
            return refuse("请先在单位信息中填写企业规模".into());
        }
        if !s.eligibility.sizes.iter().any(|x| size.starts_with(x.as_str())) {
            return refuse(format!("本次申报仅限{}企业；贵单位为{size}企业", s.eligibility.sizes.join("、")));
        }
    }
    if s.eligibility.exclusive {
        let (_, _, prog) = call_of(db, &c.id).await?;
        // Another exclusive call of the same year with a live (submitted, in review or returned) application.
        let others = application::Entity::find()
            .filter(application::Column::OrgId.eq(org_id))
            .filter(application::Column::Year.eq(prog.year))
            .filter(application::Column::CallId.ne(c.id.clone()))
            .all(db)
            .await?;
        for other in others {
            if Some(other.case_id.as_str()) == own_case {
                continue;
            }
            let Some(oc) = call::Entity::find_by_id(other.call_id.clone()).one(db).await? else { continue };
            if !settings_of(&oc).eligibility.exclusive {
                continue;
            }
            let live = review::case_by_id(db, &other.case_id).await?.is_some_and(|cr| matches!(cr.state, CaseState::InReview | CaseState::Returned));
            if live {
                let (_, t, p) = call_of(db, &oc.id).await?;
                return refuse(format!("贵单位已申报「{}·{}」且尚在办理中，本次试点不得同时申报", p.name, t.name));
            }
        }
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenCall {
    pub call: CallNotice,
    pub may_apply: bool,
    pub reason: Option<String>,
    pub application_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenCalls {
    /// What to complete in the organization's profile before applying (所在市 / 所在区县), if anything.
    pub profile_missing: Option<String>,
    pub calls: Vec<OpenCall>,
}

/// 我要申报: the calls open now, each with whether this enterprise may apply and why not.
#[utoipa::path(get, path = "/api/calls/open", tag = "calls", responses((status = 200, body = OpenCalls), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn open_calls(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<OpenCalls>> {
    require_applicant(&user)?;
    let now = Utc::now();
    let region_ok = user.organization.region_code.as_deref().and_then(|r| RegionCode::parse(r).ok()).is_some_and(|r| r.level() >= shuzhuan_core::RegionLevel::District);
    let rows = call::Entity::find()
        .filter(call::Column::Status.eq(call::CallStatus::Published))
        .filter(call::Column::OpensAt.lte(now))
        .filter(call::Column::ClosesAt.gt(now))
        .order_by_asc(call::Column::ClosesAt)
        .all(&state.db)
        .await?;
    let mine: BTreeMap<String, String> = application::Entity::find()
        .filter(application::Column::OrgId.eq(user.organization.id.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.call_id, a.case_id))
        .collect();
    let mut calls = Vec::new();
    for c in rows {
        let eligible = check_eligible(&state.db, &c, &user.organization.id, mine.get(&c.id).map(String::as_str)).await;
        // Calls outside the enterprise's region are not listed at all: two cities never see each other's calls.
        if let Err(ApiError::Refused { message, .. }) = &eligible
            && message.contains("地区范围")
        {
            continue;
        }
        let reason = eligible.err().map(|e| e.to_string());
        calls.push(OpenCall { call: notice_of(&state.db, &c, false).await?, may_apply: reason.is_none(), reason, application_id: mine.get(&c.id).cloned() });
    }
    Ok(Json(OpenCalls { profile_missing: (!region_ok).then(|| "请先在单位信息中完善所在市和所在区县，再进行申报".to_owned()), calls }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Applied {
    pub application_id: String,
}

/// 申报: starts this enterprise's application to a call (a draft pinned to the form's current version), or
/// answers the one it already has.
#[utoipa::path(post, path = "/api/calls/{id}/apply", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = Applied), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn apply(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<Applied>> {
    require_applicant(&user)?;
    let c = call::Entity::find_by_id(id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报通知不存在".into()))?;
    if let Some(existing) = existing_application(&state.db, &c.id, &user.organization.id).await? {
        return Ok(Json(Applied { application_id: existing }));
    }
    check_window(&c, Utc::now())?;
    check_eligible(&state.db, &c, &user.organization.id, None).await?;
    let (_, _, prog) = call_of(&state.db, &c.id).await?;
    let (version, _) = forms::current(&state.db, &c.form_key).await?;
    let kind = kind_for(&c);
    let txn = crate::db::begin_write(&state.db).await?;
    let form = json!({ "call_id": c.id, "form_key": c.form_key, "form_version": version, "values": {}, "attachments": {}, "declaration_confirmed": false });
    let form = kind.normalize(&txn, &user.organization.id, form).await?;
    let acting = review::Acting::from(&user);
    let new = review::NewCase { kind, owner_org_id: &user.organization.id, owner_region_code: user.organization.region_code.as_deref(), form, submit: false };
    let row = review::insert_draft(&txn, &state, &new, &acting).await?;
    let inserted = application::Entity::insert(application::ActiveModel {
        case_id: Set(row.id.clone()),
        call_id: Set(c.id.clone()),
        org_id: Set(user.organization.id.clone()),
        year: Set(prog.year),
        form_key: Set(c.form_key.clone()),
        form_version: Set(version),
        created_at: Set(Utc::now()),
    })
    .exec(&txn)
    .await;
    match inserted {
        Ok(_) => {
            txn.commit().await?;
            Ok(Json(Applied { application_id: row.id }))
        }
        // Two tabs pressed 申报 at once: the other one's application stands.
        Err(e) if crate::error::unique_violation(&e).is_some() => {
            txn.rollback().await?;
            let existing = existing_application(&state.db, &c.id, &user.organization.id).await?.ok_or_else(|| ApiError::Conflict("请刷新后重试".into()))?;
            Ok(Json(Applied { application_id: existing }))
        }
        Err(e) => Err(e.into()),
    }
}

async fn existing_application(db: &impl ConnectionTrait, call_id: &str, org_id: &str) -> ApiResult<Option<String>> {
    Ok(application::Entity::find()
        .filter(application::Column::CallId.eq(call_id))
        .filter(application::Column::OrgId.eq(org_id))
        .one(db)
        .await?
        .map(|a| a.case_id))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentOption {
    pub id: String,
    pub level: Option<String>,
    pub score: Option<String>,
    pub finished_at: Option<crate::time::ApiTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub call: CallNotice,
    pub title: String,
    pub status: String,
    pub status_label: String,
    /// Whether the applicant may still save (a draft, or a returned application).
    pub editable: bool,
    pub version: i64,
    /// The server's clock: the countdown is computed from it, never from the browser's alone.
    pub server_now: crate::time::ApiTime,
    pub closes_at: crate::time::ApiTime,
    /// The pinned form version's schema (`docs/forms.md`).
    #[schema(value_type = Object)]
    pub schema: Value,
    pub form_version: i32,
    #[schema(value_type = Object)]
    pub values: Value,
    pub attachments: BTreeMap<String, Vec<FileRef>>,
    pub declaration_confirmed: bool,
    pub assessment_id: Option<String>,
    pub assessments: Vec<AssessmentOption>,
    pub stamped_file: Option<FileRef>,
    pub documents: Vec<documents::DocumentView>,
    /// Names of every file the form names, by id.
    pub file_names: BTreeMap<String, String>,
}

/// The application as its owner sees it.
pub async fn view(state: &AppState, user: &CurrentUser, case_id: &str) -> ApiResult<ApplicationView> {
    let app = application::Entity::find_by_id(case_id.to_owned()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    if app.org_id != user.organization.id {
        // Reviewers read applications through the review engine's case page.
        return Err(ApiError::NotFound("申报不存在".into()));
    }
    let case = review::case_by_id(&state.db, case_id).await?.ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    let form = case.form(state)?;
    let c = call::Entity::find_by_id(app.call_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报通知不存在".into()))?;
    let schema = forms::load(&state.db, &app.form_key, app.form_version).await?;
    let kind = kind_for(&c);
    let ids = kind.attachments(&form);
    let files: BTreeMap<String, crate::files::entity::Model> = crate::files::entity::Entity::find()
        .filter(crate::files::entity::Column::Id.is_in(ids))
        .filter(crate::files::entity::Column::OrganizationId.eq(app.org_id.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    let file_ref = |id: &str| files.get(id).map(|f| FileRef { id: f.id.clone(), name: f.original_name.clone(), size: f.size_bytes });
    let attachments = form["attachments"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_array().into_iter().flatten().filter_map(|x| x.as_str()).filter_map(file_ref).collect())).collect())
        .unwrap_or_default();
    use crate::assessment::entity::assessment as a;
    let assessments = a::Entity::find()
        .filter(a::Column::OrganizationId.eq(app.org_id.clone()))
        .filter(a::Column::Level.is_not_null())
        .order_by_desc(a::Column::SubmittedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|x| AssessmentOption {
            id: x.id,
            level: x.level_label,
            score: x.total_hundredths.map(|h| format!("{}.{:02}", h / 100, h % 100)),
            finished_at: x.submitted_at.map(crate::time::api),
        })
        .collect();
    let status = case.status;
    let editable = matches!(case.state, CaseState::Draft | CaseState::Returned);
    let version = review::load_case(&state.db, case_id).await?.row.version;
    Ok(ApplicationView {
        id: case.id.clone(),
        call: notice_of(&state.db, &c, false).await?,
        title: case.title.clone(),
        status: status.code().to_owned(),
        status_label: status.label().to_owned(),
        editable,
        version,
        server_now: crate::time::api(Utc::now()),
        closes_at: crate::time::api(c.closes_at),
        schema: serde_json::to_value(&*schema).expect("schemas serialize"),
        form_version: app.form_version,
        values: form["values"].clone(),
        attachments,
        declaration_confirmed: form["declaration_confirmed"] == json!(true),
        assessment_id: form["assessment_id"].as_str().map(str::to_owned),
        assessments,
        stamped_file: form["stamped_file_id"].as_str().and_then(file_ref),
        documents: documents::of_case(&state.db, case_id).await?,
        file_names: files.iter().map(|(k, f)| (k.clone(), f.original_name.clone())).collect(),
    })
}

#[utoipa::path(get, path = "/api/calls/applications/{id}", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_application(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ApplicationView>> {
    require_applicant(&user)?;
    Ok(Json(view(&state, &user, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationInput {
    #[schema(value_type = Object)]
    pub values: Value,
    #[serde(default)]
    pub attachments: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub declaration_confirmed: bool,
    #[serde(default)]
    pub assessment_id: Option<String>,
    #[serde(default)]
    pub stamped_file_id: Option<String>,
    /// The version the page loaded: a save over a newer version (another tab) is refused, not merged.
    pub version: u64,
}

/// 保存: stores what was typed (types only; nothing is lost for being incomplete). Files named must be the
/// organization's own and of the types and sizes their field or item allows.
#[utoipa::path(put, path = "/api/calls/applications/{id}", tag = "calls", params(("id" = String, Path)), request_body = ApplicationInput,
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_application(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ApplicationInput>) -> ApiResult<Json<ApplicationView>> {
    require_applicant(&user)?;
    let app = application::Entity::find_by_id(id.clone()).one(&state.db).await?.filter(|a| a.org_id == user.organization.id).ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    let (c, _, _) = call_of(&state.db, &app.call_id).await?;
    let schema = forms::load(&state.db, &app.form_key, app.form_version).await?;
    check_files(&state, &user, &schema, &settings_of(&c), &input).await?;
    let form = json!({
        "call_id": app.call_id,
        "form_key": app.form_key,
        "form_version": app.form_version,
        "values": input.values,
        "attachments": input.attachments,
        "declaration_confirmed": input.declaration_confirmed,
        "assessment_id": input.assessment_id,
        "stamped_file_id": input.stamped_file_id,
    });
    review::save_form(&state, &user, &id, form, input.version).await?;
    Ok(Json(view(&state, &user, &id).await?))
}

/// Each file named is the organization's own, and of a type and size its field or attachment item allows.
async fn check_files(state: &AppState, user: &CurrentUser, schema: &shuzhuan_core::form::FormSchema, s: &super::settings::Settings, input: &ApplicationInput) -> ApiResult<()> {
    use crate::files::Wanted;
    let mut wanted = crate::files::form_files(schema, &input.values, "values");
    for item in &s.attachments {
        for id in input.attachments.get(&item.key).into_iter().flatten() {
            wanted.push(Wanted { path: format!("attachments.{}", item.key), name: item.title.clone(), accept: item.accept.clone(), max_mb: item.max_mb, id: id.clone() });
        }
    }
    for key in input.attachments.keys() {
        if !s.attachments.iter().any(|i| &i.key == key) {
            return Err(ApiError::validation(&format!("attachments.{key}"), "本次申报没有这项附件"));
        }
    }
    if let Some(sid) = &input.stamped_file_id {
        wanted.push(Wanted { path: "stamped_file_id".into(), name: "盖章申报书".into(), accept: vec!["pdf".into(), "ofd".into()], max_mb: 50, id: sid.clone() });
    }
    crate::files::check_wanted(&state.db, &user.organization.id, wanted).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitInput {
    pub version: u64,
}

/// 提交: every rule checked by the server (422 naming each problem), the window by the server's clock
/// (409). What was saved stays as it was when refused.
#[utoipa::path(post, path = "/api/calls/applications/{id}/submit", tag = "calls", params(("id" = String, Path)), request_body = SubmitInput,
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_application(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<SubmitInput>) -> ApiResult<Json<ApplicationView>> {
    require_applicant(&user)?;
    let app = application::Entity::find_by_id(id.clone()).one(&state.db).await?.filter(|a| a.org_id == user.organization.id).ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    let case = review::case_by_id(&state.db, &id).await?.ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    let (c, _, _) = call_of(&state.db, &app.call_id).await?;
    let action = if case.status == CaseStatus::Draft {
        // Checked before the form, so that a late applicant learns first that nothing more can be done.
        check_window(&c, Utc::now())?;
        Action::Submit
    } else {
        Action::Resubmit
    };
    review::act(&state, &user, &id, review::ActRequest { action, version: input.version, attachment_ids: vec![], idempotency_key: None }).await?;
    Ok(Json(view(&state, &user, &id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyProject {
    pub application_id: String,
    pub year: i32,
    pub funding: String,
    pub program_name: String,
    pub track_name: String,
    pub title: String,
    pub applied_at: Option<crate::time::ApiTime>,
    pub closes_at: crate::time::ApiTime,
    /// 当前环节.
    pub stage: String,
    pub status: String,
    pub status_label: String,
    /// 获得资金(万元), once decided (the call-review issue).
    pub grant_wan: Option<String>,
    pub editable: bool,
}

/// 当前环节 as the lists show it (待提交, the stage's name, 退回修改 …) and when the application was submitted.
pub(super) async fn stage_of(db: &sea_orm::DatabaseConnection, case: &review::CaseRef) -> ApiResult<(String, Option<chrono::DateTime<Utc>>)> {
    Ok((case.stage_name(db).await?, case.submitted_at))
}

/// 我的项目 (003 §5.5).
#[utoipa::path(get, path = "/api/calls/mine", tag = "calls", responses((status = 200, body = Vec<MyProject>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn my_projects(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Vec<MyProject>>> {
    require_applicant(&user)?;
    let apps = application::Entity::find()
        .filter(application::Column::OrgId.eq(user.organization.id.clone()))
        .order_by_desc(application::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let mut out = Vec::new();
    for a in apps {
        let Some(case) = review::case_by_id(&state.db, &a.case_id).await? else { continue };
        let (c, t, p) = call_of(&state.db, &a.call_id).await?;
        let (stage, submitted_at) = stage_of(&state.db, &case).await?;
        out.push(MyProject {
            application_id: a.case_id.clone(),
            year: p.year,
            funding: p.funding.clone(),
            program_name: p.name.clone(),
            track_name: t.name.clone(),
            title: case.title.clone(),
            applied_at: submitted_at.map(crate::time::api),
            closes_at: crate::time::api(c.closes_at),
            stage,
            status: case.status.code().to_owned(),
            status_label: case.status.label().to_owned(),
            grant_wan: None,
            editable: matches!(case.state, CaseState::Draft | CaseState::Returned),
        });
    }
    Ok(Json(out))
}

/// 我的申报书: every document generated for the organization's applications.
#[utoipa::path(get, path = "/api/calls/documents", tag = "calls", responses((status = 200, body = Vec<documents::DocumentView>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn my_documents(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Vec<documents::DocumentView>>> {
    require_applicant(&user)?;
    let rows = document::Entity::find()
        .filter(document::Column::OrgId.eq(user.organization.id.clone()))
        .order_by_desc(document::Column::CreatedAt)
        .all(&state.db)
        .await?;
    documents::views(&state.db, rows).await.map(Json)
}

#[allow(unused_imports)]
use {program as _, track as _};
