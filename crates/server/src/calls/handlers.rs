//! Officials' side of calls (003 §4.3.1): programs, tracks, calls, their settings and forms, publishing;
//! and the public notices (004 图3).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::entity::call::CallStatus;
use super::entity::{application, call, program, track};
use super::forms;
use super::kind::{settings_of, FLOW_KEYS};
use super::settings::{AssessmentRequirement, AttachmentItem, Notice, Settings};
use crate::auth::{CurrentUser, Role};
use crate::directory::{org, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::state::AppState;

/// A government organization's administrator, or a member holding 申报管理 (`calls`).
pub fn require_official(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Government)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == super::MANAGE_PERMISSION) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("您没有申报管理权限".into()))
    }
}

const LEVELS: [&str; 3] = ["国家", "省", "市"];
const FUNDINGS: [&str; 2] = ["资金类", "非资金类"];

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackView {
    pub id: String,
    pub name: String,
    pub guide: String,
    pub opens_at: crate::time::ApiTime,
    pub closes_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramView {
    pub id: String,
    pub year: i32,
    pub name: String,
    pub level: String,
    pub funding: String,
    pub owner_org_name: String,
    /// Whether the signed-in official's organization owns it (and may add tracks).
    pub own: bool,
    pub tracks: Vec<TrackView>,
}

fn track_view(t: track::Model) -> TrackView {
    TrackView { id: t.id, name: t.name, guide: t.guide, opens_at: crate::time::api(t.opens_at), closes_at: crate::time::api(t.closes_at) }
}

/// The organizations whose programs an official sees: its own and those of the bureaus above it.
pub(super) async fn visible_owners(db: &impl ConnectionTrait, user: &CurrentUser) -> ApiResult<Vec<String>> {
    let mut out = vec![user.organization.id.clone()];
    out.extend(crate::directory::ancestors(db, &user.organization.id).await?);
    Ok(out)
}

async fn program_view(db: &impl ConnectionTrait, user: &CurrentUser, p: program::Model) -> ApiResult<ProgramView> {
    let tracks = track::Entity::find().filter(track::Column::ProgramId.eq(p.id.clone())).order_by_asc(track::Column::Sort).all(db).await?;
    let owner = org::Entity::find_by_id(p.owner_org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    Ok(ProgramView {
        own: p.owner_org_id == user.organization.id,
        id: p.id,
        year: p.year,
        name: p.name,
        level: p.level,
        funding: p.funding,
        owner_org_name: owner,
        tracks: tracks.into_iter().map(track_view).collect(),
    })
}

/// Programs (专题) of the official's organization and of the bureaus above it, newest year first.
#[utoipa::path(get, path = "/api/calls/programs", tag = "calls", responses((status = 200, body = Vec<ProgramView>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_programs(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Vec<ProgramView>>> {
    require_official(&user)?;
    let owners = visible_owners(&state.db, &user).await?;
    let rows = program::Entity::find()
        .filter(program::Column::OwnerOrgId.is_in(owners))
        .order_by_desc(program::Column::Year)
        .order_by_asc(program::Column::Name)
        .all(&state.db)
        .await?;
    let mut out = Vec::new();
    for p in rows {
        out.push(program_view(&state.db, &user, p).await?);
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgramInput {
    pub year: i32,
    pub name: String,
    /// 国家 / 省 / 市
    pub level: String,
    /// 资金类 / 非资金类
    pub funding: String,
}

fn check_program(p: &ProgramInput) -> Vec<FieldError> {
    let mut out = Vec::new();
    if !(2000..=2100).contains(&p.year) {
        out.push(FieldError { field: "year".into(), message: "请填写正确的年度".into() });
    }
    let n = p.name.trim().chars().count();
    if n == 0 || n > 100 {
        out.push(FieldError { field: "name".into(), message: "请填写专题名称（不超过100字）".into() });
    }
    if !LEVELS.contains(&p.level.as_str()) {
        out.push(FieldError { field: "level".into(), message: "级别应为国家、省或市".into() });
    }
    if !FUNDINGS.contains(&p.funding.as_str()) {
        out.push(FieldError { field: "funding".into(), message: "资金类型应为资金类或非资金类".into() });
    }
    out
}

fn invalid(fields: Vec<FieldError>) -> ApiResult<()> {
    if fields.is_empty() { Ok(()) } else { Err(ApiError::Validation { message: format!("还有{}项未填写或填写有误", fields.len()), fields }) }
}

#[utoipa::path(post, path = "/api/calls/programs", tag = "calls", request_body = ProgramInput,
    responses((status = 201, body = ProgramView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_program(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<ProgramInput>) -> ApiResult<(StatusCode, Json<ProgramView>)> {
    require_official(&user)?;
    invalid(check_program(&input))?;
    let row = program::Entity::insert(program::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        owner_org_id: Set(user.organization.id.clone()),
        import_key: Set(None),
        year: Set(input.year),
        name: Set(input.name.trim().to_owned()),
        level: Set(input.level),
        funding: Set(input.funding),
        created_at: Set(Utc::now()),
    })
    .exec_with_returning(&state.db)
    .await?;
    audit(&state, &user, "call_program_create", "call_program", &row.id).await?;
    Ok((StatusCode::CREATED, Json(program_view(&state.db, &user, row).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TrackInput {
    pub name: String,
    #[serde(default)]
    pub guide: String,
    #[schema(value_type = String, format = DateTime)]
    pub opens_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub closes_at: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/calls/programs/{id}/tracks", tag = "calls", params(("id" = String, Path)), request_body = TrackInput,
    responses((status = 201, body = TrackView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_track(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<TrackInput>) -> ApiResult<(StatusCode, Json<TrackView>)> {
    require_official(&user)?;
    let p = program::Entity::find_by_id(id).one(&state.db).await?.filter(|p| p.owner_org_id == user.organization.id).ok_or_else(|| ApiError::NotFound("专题不存在或不属于本单位".into()))?;
    let mut errors = Vec::new();
    let n = input.name.trim().chars().count();
    if n == 0 || n > 100 {
        errors.push(FieldError { field: "name".into(), message: "请填写方向名称（不超过100字）".into() });
    }
    if input.opens_at >= input.closes_at {
        errors.push(FieldError { field: "closes_at".into(), message: "申报结束时间须晚于开始时间".into() });
    }
    if input.guide.chars().count() > 20_000 {
        errors.push(FieldError { field: "guide".into(), message: "申报指南不能超过20000字".into() });
    }
    invalid(errors)?;
    let sort = track::Entity::find().filter(track::Column::ProgramId.eq(p.id.clone())).count(&state.db).await? as i32;
    let row = track::Entity::insert(track::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        program_id: Set(p.id),
        name: Set(input.name.trim().to_owned()),
        guide: Set(input.guide),
        opens_at: Set(input.opens_at),
        closes_at: Set(input.closes_at),
        sort: Set(sort),
    })
    .exec_with_returning(&state.db)
    .await?;
    audit(&state, &user, "call_track_create", "call_track", &row.id).await?;
    Ok((StatusCode::CREATED, Json(track_view(row))))
}

/// A call as the portal and applicants see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallNotice {
    pub id: String,
    pub year: i32,
    pub program_name: String,
    pub level: String,
    pub funding: String,
    pub track_name: String,
    pub org_name: String,
    pub opens_at: crate::time::ApiTime,
    pub closes_at: crate::time::ApiTime,
    /// upcoming / open / closed, by the server's clock.
    pub phase: String,
    pub notice: Notice,
    /// The province's guide.
    pub guide: String,
    pub city_guide: String,
    pub declaration: Option<String>,
    pub assessment: Option<AssessmentRequirement>,
    pub attachments: Vec<AttachmentItem>,
    pub district_review: bool,
    pub district_deadline: Option<crate::time::ApiTime>,
}

pub async fn notice_of(db: &impl ConnectionTrait, c: &call::Model, _officials: bool) -> ApiResult<CallNotice> {
    let (_, t, p) = super::kind::call_of(db, &c.id).await?;
    let s = settings_of(c);
    let org_name = org::Entity::find_by_id(c.org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    let now = Utc::now();
    let phase = if now < c.opens_at { "upcoming" } else if now < c.closes_at { "open" } else { "closed" };
    Ok(CallNotice {
        id: c.id.clone(),
        year: p.year,
        program_name: p.name,
        level: p.level,
        funding: p.funding,
        track_name: t.name,
        org_name,
        opens_at: crate::time::api(c.opens_at),
        closes_at: crate::time::api(c.closes_at),
        phase: phase.into(),
        notice: s.notice,
        guide: t.guide,
        city_guide: s.city_guide,
        declaration: s.declaration,
        assessment: s.assessment,
        attachments: s.attachments,
        district_review: s.district_review,
        district_deadline: s.district_deadline.map(crate::time::api),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallDetail {
    #[serde(flatten)]
    pub notice: CallNotice,
    pub status: CallStatus,
    pub flow_key: String,
    pub form_key: String,
    pub form_version: i32,
    /// Everything an official sets, for the call's own officials (OA attachments included).
    pub settings: Option<Settings>,
    pub applications: u64,
}

async fn detail(db: &impl ConnectionTrait, user: Option<&CurrentUser>, c: &call::Model) -> ApiResult<CallDetail> {
    let own = user.is_some_and(|u| u.organization.id == c.org_id);
    let (version, _) = forms::current(db, &c.form_key).await?;
    Ok(CallDetail {
        notice: notice_of(db, c, own).await?,
        status: c.status,
        flow_key: c.flow_key.clone(),
        form_key: c.form_key.clone(),
        form_version: version,
        settings: own.then(|| settings_of(c)),
        applications: application::Entity::find().filter(application::Column::CallId.eq(c.id.clone())).count(db).await?,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallSummary {
    pub id: String,
    pub program_id: String,
    pub program_name: String,
    pub track_name: String,
    pub year: i32,
    pub status: CallStatus,
    pub opens_at: crate::time::ApiTime,
    pub closes_at: crate::time::ApiTime,
    pub form_version: i32,
    pub applications: u64,
}

/// The calls the official's organization runs.
#[utoipa::path(get, path = "/api/calls/manage", tag = "calls", responses((status = 200, body = Vec<CallSummary>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_managed(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Vec<CallSummary>>> {
    require_official(&user)?;
    let rows = call::Entity::find().filter(call::Column::OrgId.eq(user.organization.id.clone())).order_by_desc(call::Column::CreatedAt).all(&state.db).await?;
    let mut out = Vec::new();
    for c in rows {
        let (_, t, p) = super::kind::call_of(&state.db, &c.id).await?;
        let (version, _) = forms::current(&state.db, &c.form_key).await?;
        out.push(CallSummary {
            id: c.id.clone(),
            program_id: p.id,
            program_name: p.name,
            track_name: t.name,
            year: p.year,
            status: c.status,
            opens_at: crate::time::api(c.opens_at),
            closes_at: crate::time::api(c.closes_at),
            form_version: version,
            applications: application::Entity::find().filter(application::Column::CallId.eq(c.id.clone())).count(&state.db).await?,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCall {
    pub track_id: String,
    /// `call_application` (district → city → province, 003) or `pilot_application` (city, 004).
    #[serde(default)]
    pub flow_key: Option<String>,
}

/// Creates a draft call of the official's organization on a track it can see, with a starter form.
#[utoipa::path(post, path = "/api/calls", tag = "calls", request_body = NewCall,
    responses((status = 201, body = CallDetail), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_call(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<NewCall>) -> ApiResult<(StatusCode, Json<CallDetail>)> {
    require_official(&user)?;
    let t = track::Entity::find_by_id(input.track_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报方向不存在".into()))?;
    let p = program::Entity::find_by_id(t.program_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("专题不存在".into()))?;
    if !visible_owners(&state.db, &user).await?.contains(&p.owner_org_id) {
        return Err(ApiError::NotFound("申报方向不存在".into()));
    }
    let flow_key = input.flow_key.unwrap_or_else(|| "call_application".into());
    if !FLOW_KEYS.contains(&flow_key.as_str()) {
        return Err(ApiError::validation("flow_key", "审核流程应为 call_application 或 pilot_application"));
    }
    let starter: shuzhuan_core::form::FormSchema = serde_json::from_value(json!({
        "title": format!("{}申报书", t.name),
        "sections": [{ "key": "basic", "title": "基本信息", "fields": [
            { "key": "org_name", "label": "申报单位名称", "type": "reference", "source": "org.name" },
            { "key": "uscc", "label": "统一社会信用代码", "type": "reference", "source": "org.uscc" },
            { "key": "project_name", "label": "项目名称", "type": "text", "required": true, "max_length": 100 }
        ]}]
    }))
    .expect("the starter form parses");
    let settings = Settings {
        opens_at: t.opens_at,
        closes_at: t.closes_at,
        applicants: "all".into(),
        listed_usccs: vec![],
        district_review: false,
        district_deadline: None,
        remarks: String::new(),
        city_guide: String::new(),
        oa_file_ids: vec![],
        notice: Notice::default(),
        eligibility: Default::default(),
        declaration: None,
        assessment: None,
        attachments: vec![],
    };
    let id = uuid::Uuid::now_v7().to_string();
    let form_key = format!("call-{id}");
    let txn = crate::db::begin_write(&state.db).await?;
    forms::create_version(&txn, &form_key, &starter, Some(&user.user_id)).await?;
    let now = Utc::now();
    let row = call::Entity::insert(call::ActiveModel {
        id: Set(id),
        track_id: Set(t.id.clone()),
        org_id: Set(user.organization.id.clone()),
        import_key: Set(None),
        status: Set(CallStatus::Draft),
        flow_key: Set(flow_key),
        opens_at: Set(settings.opens_at),
        closes_at: Set(settings.closes_at),
        form_key: Set(form_key),
        settings: Set(serde_json::to_string(&settings).expect("settings serialize")),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(&txn)
    .await?;
    txn.commit().await?;
    audit(&state, &user, "call_create", "call", &row.id).await?;
    Ok((StatusCode::CREATED, Json(detail(&state.db, Some(&user), &row).await?)))
}

async fn own_call(db: &impl ConnectionTrait, user: &CurrentUser, id: &str) -> ApiResult<call::Model> {
    call::Entity::find_by_id(id.to_owned()).one(db).await?.filter(|c| c.org_id == user.organization.id).ok_or_else(|| ApiError::NotFound("申报通知不存在或不属于本单位".into()))
}

/// A call: everything for its own officials, the public notice for everyone else (drafts are its officials' only).
#[utoipa::path(get, path = "/api/calls/{id}", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = CallDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn get_call(State(state): State<AppState>, user: Option<CurrentUser>, Path(id): Path<String>) -> ApiResult<Json<CallDetail>> {
    let c = call::Entity::find_by_id(id).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报通知不存在".into()))?;
    let own = user.as_ref().is_some_and(|u| u.organization.id == c.org_id);
    if c.status == CallStatus::Draft && !own {
        return Err(ApiError::NotFound("申报通知不存在".into()));
    }
    Ok(Json(detail(&state.db, user.as_ref(), &c).await?))
}

/// Saves a call's settings: the window inside the track's, the district deadline after the window.
#[utoipa::path(put, path = "/api/calls/{id}", tag = "calls", params(("id" = String, Path)), request_body = Settings,
    responses((status = 200, body = CallDetail), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_call(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(settings): ApiJson<Settings>) -> ApiResult<Json<CallDetail>> {
    require_official(&user)?;
    let c = own_call(&state.db, &user, &id).await?;
    let t = track::Entity::find_by_id(c.track_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报方向不存在".into()))?;
    invalid(settings.check((t.opens_at, t.closes_at)))?;
    write_settings(&state.db, &c.id, &settings).await?;
    audit(&state, &user, "call_update", "call", &c.id).await?;
    let c = own_call(&state.db, &user, &id).await?;
    Ok(Json(detail(&state.db, Some(&user), &c).await?))
}

async fn write_settings(db: &impl ConnectionTrait, id: &str, s: &Settings) -> ApiResult<()> {
    call::Entity::update_many()
        .col_expr(call::Column::Settings, Expr::value(serde_json::to_string(s).expect("settings serialize")))
        .col_expr(call::Column::OpensAt, Expr::value(s.opens_at))
        .col_expr(call::Column::ClosesAt, Expr::value(s.closes_at))
        .col_expr(call::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(call::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchSettings {
    pub ids: Vec<String>,
    /// The settings to apply to each call: any of `opens_at`, `closes_at`, `district_review`,
    /// `district_deadline`, `applicants`, `listed_usccs`, `remarks`.
    #[schema(value_type = Object)]
    pub settings: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallsBatchResult {
    pub updated: usize,
}

/// 批量设置 (003 §4.3.1.2): one setting applied to several calls of one program, all or none.
#[utoipa::path(put, path = "/api/calls/batch", tag = "calls", request_body = BatchSettings,
    responses((status = 200, body = CallsBatchResult), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn batch_update(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<BatchSettings>) -> ApiResult<Json<CallsBatchResult>> {
    require_official(&user)?;
    const BATCHABLE: [&str; 7] = ["opens_at", "closes_at", "district_review", "district_deadline", "applicants", "listed_usccs", "remarks"];
    let patch = input.settings.as_object().ok_or_else(|| ApiError::validation("settings", "设置格式不正确"))?;
    if let Some(k) = patch.keys().find(|k| !BATCHABLE.contains(&k.as_str())) {
        return Err(ApiError::validation("settings", format!("「{k}」不能批量设置")));
    }
    if input.ids.is_empty() || input.ids.len() > 100 {
        return Err(ApiError::validation("ids", "请选择1到100个申报方向"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut program_id = None;
    for id in &input.ids {
        let c = own_call(&txn, &user, id).await?;
        let t = track::Entity::find_by_id(c.track_id.clone()).one(&txn).await?.ok_or_else(|| ApiError::NotFound("申报方向不存在".into()))?;
        if program_id.get_or_insert(t.program_id.clone()) != &t.program_id {
            return Err(ApiError::validation("ids", "批量设置只能用于同一专题的方向"));
        }
        let mut s = serde_json::to_value(settings_of(&c)).expect("settings serialize");
        for (k, v) in patch {
            s[k] = v.clone();
        }
        let s: Settings = serde_json::from_value(s).map_err(|e| ApiError::validation("settings", format!("设置格式不正确：{e}")))?;
        let problems = s.check((t.opens_at, t.closes_at));
        if !problems.is_empty() {
            return Err(ApiError::Validation { message: format!("「{}」：{}", t.name, problems[0].message), fields: problems });
        }
        write_settings(&txn, &c.id, &s).await?;
    }
    txn.commit().await?;
    audit(&state, &user, "call_batch_update", "call", &input.ids.join(",")).await?;
    Ok(Json(CallsBatchResult { updated: input.ids.len() }))
}

/// 发布: the call appears on the portal and in 我要申报 (inside its window).
#[utoipa::path(post, path = "/api/calls/{id}/publish", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = CallDetail), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn publish_call(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<CallDetail>> {
    require_official(&user)?;
    let c = own_call(&state.db, &user, &id).await?;
    let t = track::Entity::find_by_id(c.track_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报方向不存在".into()))?;
    invalid(settings_of(&c).check((t.opens_at, t.closes_at)))?;
    if c.closes_at <= Utc::now() {
        return Err(ApiError::validation("closes_at", "申报结束时间已过，请先调整申报时间再发布"));
    }
    call::Entity::update_many()
        .col_expr(call::Column::Status, Expr::value(CallStatus::Published))
        .col_expr(call::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(call::Column::Id.eq(c.id.clone()))
        .exec(&state.db)
        .await?;
    audit(&state, &user, "call_publish", "call", &c.id).await?;
    super::search::index(&state.db, &c.id).await?;
    let c = own_call(&state.db, &user, &id).await?;
    Ok(Json(detail(&state.db, Some(&user), &c).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormVersionView {
    pub form_key: String,
    pub version: i32,
    #[schema(value_type = Object)]
    pub schema: Value,
}

#[utoipa::path(get, path = "/api/calls/{id}/form", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = FormVersionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_call_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<FormVersionView>> {
    require_official(&user)?;
    let c = own_call(&state.db, &user, &id).await?;
    let (version, schema) = forms::current(&state.db, &c.form_key).await?;
    Ok(Json(FormVersionView { form_key: c.form_key, version, schema: serde_json::to_value(&*schema).expect("schemas serialize") }))
}

/// Saves the designed form as a new version. Applications already started keep the version they started with.
#[utoipa::path(put, path = "/api/calls/{id}/form", tag = "calls", params(("id" = String, Path)), request_body = forms::SchemaBody,
    responses((status = 200, body = FormVersionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_call_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(body): ApiJson<forms::SchemaBody>) -> ApiResult<Json<FormVersionView>> {
    require_official(&user)?;
    let c = own_call(&state.db, &user, &id).await?;
    let schema = forms::parse(&body.schema)?;
    let version = forms::create_version(&state.db, &c.form_key, &schema, Some(&user.user_id)).await?;
    audit(&state, &user, "call_form_version", "call", &c.id).await?;
    Ok(Json(FormVersionView { form_key: c.form_key, version, schema: serde_json::to_value(&schema).expect("schemas serialize") }))
}

/// Published calls, open ones first, for the portal.
#[utoipa::path(get, path = "/api/public/calls", tag = "calls", responses((status = 200, body = Vec<CallNotice>)))]
pub async fn public_calls(State(state): State<AppState>) -> ApiResult<Json<Vec<CallNotice>>> {
    let rows = call::Entity::find().filter(call::Column::Status.eq(CallStatus::Published)).order_by_desc(call::Column::ClosesAt).all(&state.db).await?;
    let mut out = Vec::new();
    for c in rows {
        out.push(notice_of(&state.db, &c, false).await?);
    }
    out.sort_by_key(|n| match n.phase.as_str() {
        "open" => 0,
        "upcoming" => 1,
        _ => 2,
    });
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/public/calls/{id}", tag = "calls", params(("id" = String, Path)), responses((status = 200, body = CallNotice), (status = 404, body = ErrorEnvelope)))]
pub async fn public_call(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CallNotice>> {
    let c = call::Entity::find_by_id(id).one(&state.db).await?.filter(|c| c.status == CallStatus::Published).ok_or_else(|| ApiError::NotFound("申报通知不存在".into()))?;
    Ok(Json(notice_of(&state.db, &c, false).await?))
}

async fn audit(state: &AppState, user: &CurrentUser, action: &'static str, object_type: &'static str, id: &str) -> ApiResult<()> {
    audit_in(&state.db, user, action, object_type, id).await
}

/// Records a successful action of `user` on an object, inside the caller's transaction when it has one.
pub(super) async fn audit_in(db: &impl ConnectionTrait, user: &CurrentUser, action: &'static str, object_type: &'static str, id: &str) -> ApiResult<()> {
    crate::audit::record(
        db,
        crate::audit::Entry {
            action,
            actor: Some(user),
            username: None,
            ip: user.ip.clone(),
            object_type: Some(object_type),
            object_id: Some(id),
            outcome: crate::audit::Outcome::Success,
            detail: None,
        },
    )
    .await?;
    Ok(())
}
