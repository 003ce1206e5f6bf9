//! The end of a call (003 §4.2–4.5, 附件3; spec 50 "Province"): the 推荐汇总表 each bureau hands up, and the
//! results the program's owner (the province for 003) decides and publishes (结果公示).
//!
//! - 推荐汇总表 (附件3): a city's or district's sheet lists what it recommended; the owner's lists every
//!   application that reached it, the whole province, with the recommending city beside each. When the
//!   program's form asks 申报方式 (`apply_mode`), the units are split as 附件3 splits them: one sheet 遴选加入单位,
//!   one 直接认定单位. The order is the order of application (the platform keeps no separate priority).
//! - 结果公示: once the owner has decided every application waiting for it, it publishes the approved units
//!   with a 公示期; the notice keeps its own copy of the list and appears on the portal (`/api/public/results`).
//!   Objections (公示异议) arrive with the portal's issue; until then the notice names who to contact.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entity::{application, call, program, result_entry, result_notice, track};
use super::handlers::audit_in;
use crate::auth::CurrentUser;
use crate::directory::org;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::{contains, Page};
use crate::http::ApiJson;
use crate::review::{self, CaseState, ReviewerTab};
use crate::state::AppState;
use crate::time::ApiTime;

/// The form field that splits 附件3 into its two lists.
const APPLY_MODE: &str = "apply_mode";
/// The 附件3 lists, in its order; an application that names no mode is listed with the first.
const MODE_SHEETS: [(&str, &str); 2] = [("遴选加入", "遴选加入单位"), ("直接认定", "直接认定单位")];
/// 公示期 in days: the guides' publicity periods run from five working days to a month.
const PERIOD_DAYS: std::ops::RangeInclusive<i64> = 1..=30;

/// The ids of a program's calls, as a subquery.
fn calls_of_program(program_id: &str) -> SelectStatement {
    let tracks = sea_orm::sea_query::Query::select().column(track::Column::Id).from(track::Entity).and_where(track::Column::ProgramId.eq(program_id)).to_owned();
    sea_orm::sea_query::Query::select().column(call::Column::Id).from(call::Entity).and_where(call::Column::TrackId.in_subquery(tracks)).to_owned()
}

/// A program's applications whose cases are in `cases`, in no order (counting needs none).
fn applications(program_id: &str, cases: SelectStatement) -> sea_orm::Select<application::Entity> {
    application::Entity::find().filter(application::Column::CallId.in_subquery(calls_of_program(program_id))).filter(application::Column::CaseId.in_subquery(cases))
}

/// The order of the sheets and the notice: the order the applications were made.
fn oldest_first(s: sea_orm::Select<application::Entity>) -> sea_orm::Select<application::Entity> {
    s.order_by_asc(application::Column::CreatedAt).order_by_asc(application::Column::CaseId)
}

/// What a bureau's summary lists: the owner every application that reached it, the others what they
/// recommended.
fn listed_by(org_id: &str, own: bool) -> SelectStatement {
    review::case_ids_reviewed_by(org_id, if own { None } else { Some(ReviewerTab::Recommended) })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultNoticeSummary {
    pub id: String,
    pub title: String,
    pub publisher_name: String,
    pub published_at: ApiTime,
    /// 公示期 ends.
    pub period_ends_at: ApiTime,
    /// Whether the 公示期 is still running.
    pub in_period: bool,
    /// Units listed.
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultProgram {
    pub program_id: String,
    pub year: i32,
    pub program_name: String,
    pub owner_org_name: String,
    /// The bureau owns the program: it decides and publishes the results.
    pub own: bool,
    /// On its 推荐汇总表: what it recommended (the owner: every application that reached it).
    pub listed: u64,
    /// Waiting for the bureau's review.
    pub pending: u64,
    /// Approved by the final review (the owner only; 0 for the others).
    pub approved: u64,
    pub notice: Option<ResultNoticeSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultProgramList {
    pub items: Vec<ResultProgram>,
}

async fn summary_of(db: &impl ConnectionTrait, n: result_notice::Model) -> ApiResult<ResultNoticeSummary> {
    let count = result_entry::Entity::find().filter(result_entry::Column::NoticeId.eq(n.id.clone())).count(db).await?;
    let publisher_name = org::Entity::find_by_id(n.organization_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    Ok(ResultNoticeSummary {
        id: n.id,
        title: n.title,
        publisher_name,
        published_at: crate::time::api(n.published_at),
        period_ends_at: crate::time::api(n.period_ends_at),
        in_period: Utc::now() < n.period_ends_at,
        count,
    })
}

/// 推荐汇总与公示: the programs the bureau reviews applications of, or owns.
#[utoipa::path(get, path = "/api/calls/results", tag = "calls",
    responses((status = 200, body = ResultProgramList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_results(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ResultProgramList>> {
    super::reviewing::require_reviewer(&user)?;
    let db = &state.db;
    let org_id = user.organization.id.clone();
    let call_ids: Vec<String> = application::Entity::find()
        .select_only()
        .column(application::Column::CallId)
        .distinct()
        .filter(application::Column::CaseId.in_subquery(review::case_ids_reviewed_by(&org_id, None)))
        .into_tuple()
        .all(db)
        .await?;
    let mut program_ids: Vec<String> = program::Entity::find().filter(program::Column::OwnerOrgId.eq(org_id.clone())).all(db).await?.into_iter().map(|p| p.id).collect();
    for chunk in call_ids.chunks(500) {
        let tracks = sea_orm::sea_query::Query::select().column(call::Column::TrackId).from(call::Entity).and_where(call::Column::Id.is_in(chunk.to_vec())).to_owned();
        let found: Vec<String> = track::Entity::find().select_only().column(track::Column::ProgramId).distinct().filter(track::Column::Id.in_subquery(tracks)).into_tuple().all(db).await?;
        program_ids.extend(found);
    }
    program_ids.sort();
    program_ids.dedup();
    let programs = program::Entity::find().filter(program::Column::Id.is_in(program_ids)).order_by_desc(program::Column::Year).order_by_asc(program::Column::Name).all(db).await?;
    let owners = crate::directory::by_ids(db, programs.iter().map(|p| p.owner_org_id.clone()).collect()).await?;
    let mut items = Vec::with_capacity(programs.len());
    for p in programs {
        let own = p.owner_org_id == org_id;
        let listed = applications(&p.id, listed_by(&org_id, own)).count(db).await?;
        let pending = applications(&p.id, review::case_ids_reviewed_by(&org_id, Some(ReviewerTab::InReview))).count(db).await?;
        let approved = if own { applications(&p.id, review::case_ids_in(&[CaseState::Approved])).count(db).await? } else { 0 };
        let notice = match result_notice::Entity::find().filter(result_notice::Column::ProgramId.eq(p.id.clone())).one(db).await? {
            Some(n) => Some(summary_of(db, n).await?),
            None => None,
        };
        items.push(ResultProgram {
            owner_org_name: owners.get(&p.owner_org_id).map(|o| o.name.clone()).unwrap_or_default(),
            program_id: p.id,
            year: p.year,
            program_name: p.name,
            own,
            listed,
            pending,
            approved,
            notice,
        });
    }
    Ok(Json(ResultProgramList { items }))
}

/// One line of a summary or a notice.
struct Listed {
    application_id: String,
    applicant_name: String,
    track_name: String,
    recommender: String,
    apply_mode: Option<String>,
    contact_name: String,
    contact_phone: String,
}

/// The lines of `apps`, in their order: names from the directory, contacts and 申报方式 from the form.
async fn listed(state: &AppState, apps: Vec<application::Model>) -> ApiResult<Vec<Listed>> {
    let db = &state.db;
    let cases = review::cases_by_ids(db, apps.iter().map(|a| a.case_id.clone()).collect()).await?;
    let orgs = crate::directory::by_ids(db, apps.iter().map(|a| a.org_id.clone()).collect()).await?;
    let mut calls: HashMap<String, (String, String)> = HashMap::new();
    let mut out = Vec::with_capacity(apps.len());
    for a in apps {
        let Some(case) = cases.get(&a.case_id) else { continue };
        if !calls.contains_key(&a.call_id) {
            let (c, t, _) = super::kind::call_of(db, &a.call_id).await?;
            let recommender = org::Entity::find_by_id(c.org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
            calls.insert(a.call_id.clone(), (t.name, recommender));
        }
        let (track_name, recommender) = calls[&a.call_id].clone();
        let form = case.form(state)?;
        let value = |key: &str| form["values"][key].as_str().map(str::trim).unwrap_or("").to_owned();
        out.push(Listed {
            application_id: a.case_id.clone(),
            applicant_name: orgs.get(&a.org_id).map(|o| o.name.clone()).unwrap_or_default(),
            track_name,
            recommender,
            apply_mode: Some(value(APPLY_MODE)).filter(|m| !m.is_empty()),
            contact_name: value("contact_name"),
            contact_phone: value("contact_phone"),
        });
    }
    Ok(out)
}

/// Whether any of the program's forms asks 申报方式.
async fn splits_by_mode(db: &impl ConnectionTrait, program_id: &str) -> ApiResult<bool> {
    let keys: Vec<String> = call::Entity::find()
        .select_only()
        .column(call::Column::FormKey)
        .distinct()
        .filter(call::Column::Id.in_subquery(calls_of_program(program_id)))
        .into_tuple()
        .all(db)
        .await?;
    for key in keys {
        let (_, schema) = super::forms::current(db, &key).await?;
        if shuzhuan_core::form::all_fields(&schema).any(|(_, f)| f.key == APPLY_MODE) {
            return Ok(true);
        }
    }
    Ok(false)
}

const SUMMARY_COLUMNS: [(&str, f64); 6] = [("序号", 6.0), ("推荐单位", 26.0), ("申报单位名称", 36.0), ("申报领域", 22.0), ("企业联系人", 12.0), ("联系电话", 16.0)];

/// The 推荐汇总表 of `org` for `p` (public for the benchmark): written row by row in constant-memory mode, every
/// cell as text or a number, never a formula (a name starting with `=` stays text).
pub async fn summary_xlsx(state: &AppState, org: &org::Model, p: &program::Model) -> ApiResult<Vec<u8>> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let own = p.owner_org_id == org.id;
    let sheets: Vec<&str> = if splits_by_mode(&state.db, &p.id).await? { MODE_SHEETS.iter().map(|(_, s)| *s).collect() } else { vec!["推荐汇总表"] };
    let title_format = rust_xlsxwriter::Format::new().set_bold().set_font_size(14);
    let bold = rust_xlsxwriter::Format::new().set_bold().set_background_color("#F2F2F2").set_border(rust_xlsxwriter::FormatBorder::Thin);
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in &sheets {
        let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
        sheet.set_name(*name).map_err(xlsx)?;
        for (c, (_, width)) in SUMMARY_COLUMNS.iter().enumerate() {
            sheet.set_column_width(c as u16, *width).map_err(xlsx)?;
        }
        sheet.write_string_with_format(0, 0, format!("{}推荐汇总表", p.name), &title_format).map_err(xlsx)?;
        let by = if own { format!("汇总单位：{}（全部推荐）", org.name) } else { format!("推荐单位：{}", org.name) };
        sheet.write_string(1, 0, by).map_err(xlsx)?;
        for (c, (h, _)) in SUMMARY_COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, *h, &bold).map_err(xlsx)?;
        }
        sheet.set_freeze_panes(3, 0).map_err(xlsx)?;
    }
    let mut next_row = vec![3u32; sheets.len()];
    let base = oldest_first(applications(&p.id, listed_by(&org.id, own)));
    for apps in super::projects::in_order(&state.db, base).await? {
        let apps = apps.await?;
        for l in listed(state, apps).await? {
            let index = if sheets.len() == 1 { 0 } else { MODE_SHEETS.iter().position(|(m, _)| Some(*m) == l.apply_mode.as_deref()).unwrap_or(0) };
            let sheet = book.worksheet_from_index(index).map_err(xlsx)?;
            let row = next_row[index];
            next_row[index] += 1;
            sheet.write_number(row, 0, (row - 2) as f64).map_err(xlsx)?;
            let recommender = if own { l.recommender } else { org.name.clone() };
            for (i, text) in [recommender, l.applicant_name, l.track_name, l.contact_name, l.contact_phone].iter().enumerate() {
                sheet.write_string(row, i as u16 + 1, text).map_err(xlsx)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

/// 下载推荐汇总表 (附件3) of a program: a district's or city's recommendations, or the owner's whole list. The
/// sheet carries contacts' phone numbers for the bureau above, so each download is audited.
#[utoipa::path(get, path = "/api/calls/results/{id}/summary.xlsx", tag = "calls", params(("id" = String, Path, description = "The program (专题)")),
    responses((status = 200, description = "推荐汇总表 Excel", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn export_summary(State(state): State<AppState>, user: CurrentUser, Path(program_id): Path<String>) -> ApiResult<Response> {
    super::reviewing::require_reviewer(&user)?;
    let p = program::Entity::find_by_id(program_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("申报专题不存在".into()))?;
    let own = p.owner_org_id == user.organization.id;
    // A bureau that never reviewed an application of the program has no summary of it, and learns nothing.
    if !own && applications(&p.id, review::case_ids_reviewed_by(&user.organization.id, None)).count(&state.db).await? == 0 {
        return Err(ApiError::NotFound("申报专题不存在".into()));
    }
    let o = org::Entity::find_by_id(user.organization.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    let bytes = summary_xlsx(&state, &o, &p).await?;
    audit_in(&state.db, &user, "recommendation_summary_export", "call_program", &p.id).await?;
    let name = format!("{}推荐汇总表-{}.xlsx", p.name, o.name);
    Ok(crate::http::xlsx_download(&name, bytes))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewResultNotice {
    pub program_id: String,
    /// 公示标题, e.g. 「2024年广东省智能制造生态合作伙伴拟入选名单公示」.
    pub title: String,
    /// 公示说明: what is published, the period and where objections go.
    pub body: String,
    /// 公示期 in days (1–30).
    pub period_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultEntry {
    pub seq: i32,
    pub applicant_name: String,
    pub track_name: String,
    pub recommender: String,
    pub apply_mode: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultNoticeView {
    #[serde(flatten)]
    pub summary: ResultNoticeSummary,
    pub body: String,
    pub program_name: String,
    pub entries: Vec<ResultEntry>,
}

async fn notice_view(db: &impl ConnectionTrait, n: result_notice::Model) -> ApiResult<ResultNoticeView> {
    let entries = result_entry::Entity::find()
        .filter(result_entry::Column::NoticeId.eq(n.id.clone()))
        .order_by_asc(result_entry::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(|e| ResultEntry { seq: e.seq, applicant_name: e.applicant_name, track_name: e.track_name, recommender: e.recommender, apply_mode: e.apply_mode })
        .collect();
    let program_name = program::Entity::find_by_id(n.program_id.clone()).one(db).await?.map(|p| p.name).unwrap_or_default();
    let body = n.body.clone();
    Ok(ResultNoticeView { summary: summary_of(db, n).await?, body, program_name, entries })
}

/// 发布结果公示: the owner publishes the units its final review approved, once every application waiting for
/// it is decided. One notice per program: a second (or a concurrent one) is refused by the unique index.
#[utoipa::path(post, path = "/api/calls/results", tag = "calls", request_body = NewResultNotice,
    responses((status = 201, body = ResultNoticeView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn publish_results(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<NewResultNotice>) -> ApiResult<(StatusCode, Json<ResultNoticeView>)> {
    super::handlers::require_official(&user)?;
    let title = input.title.trim().to_owned();
    let body = input.body.trim().to_owned();
    if title.is_empty() {
        return Err(ApiError::validation("title", "请填写公示标题"));
    }
    if title.chars().count() > 200 {
        return Err(ApiError::validation("title", "公示标题不能超过200字"));
    }
    if body.is_empty() {
        return Err(ApiError::validation("body", "请填写公示说明"));
    }
    if body.chars().count() > 5000 {
        return Err(ApiError::validation("body", "公示说明不能超过5000字"));
    }
    if !PERIOD_DAYS.contains(&input.period_days) {
        return Err(ApiError::validation("period_days", format!("公示期应为{}至{}天", PERIOD_DAYS.start(), PERIOD_DAYS.end())));
    }
    let db = &state.db;
    let p = program::Entity::find_by_id(input.program_id.clone()).one(db).await?.ok_or_else(|| ApiError::NotFound("申报专题不存在".into()))?;
    if p.owner_org_id != user.organization.id {
        return Err(ApiError::Forbidden("只有发布该专题的单位可以公示结果".into()));
    }
    let txn = crate::db::begin_write(db).await?;
    if result_notice::Entity::find().filter(result_notice::Column::ProgramId.eq(p.id.clone())).count(&txn).await? > 0 {
        return Err(ApiError::ConflictField { field: "program_id".into(), message: "该专题的结果已公示".into() });
    }
    let pending = applications(&p.id, review::case_ids_reviewed_by(&p.owner_org_id, Some(ReviewerTab::InReview))).count(&txn).await?;
    if pending > 0 {
        return Err(ApiError::Refused {
            status: StatusCode::CONFLICT,
            code: "results_pending",
            message: format!("尚有{pending}个申报等待本单位评审，请全部办结后再公示结果"),
            fields: vec![],
        });
    }
    let approved = oldest_first(applications(&p.id, review::case_ids_in(&[CaseState::Approved]))).all(&txn).await?;
    if approved.is_empty() {
        return Err(ApiError::validation("program_id", "该专题还没有评审通过的申报，无可公示的名单"));
    }
    let lines = listed(&state, approved).await?;
    let now = Utc::now();
    let notice = result_notice::Model {
        id: uuid::Uuid::now_v7().to_string(),
        program_id: p.id.clone(),
        organization_id: user.organization.id.clone(),
        title,
        body,
        published_by: user.user_id.clone(),
        published_at: now,
        period_ends_at: now + Duration::days(input.period_days),
    };
    result_notice::Entity::insert(result_notice::ActiveModel {
        id: Set(notice.id.clone()),
        program_id: Set(notice.program_id.clone()),
        organization_id: Set(notice.organization_id.clone()),
        title: Set(notice.title.clone()),
        body: Set(notice.body.clone()),
        published_by: Set(notice.published_by.clone()),
        published_at: Set(notice.published_at),
        period_ends_at: Set(notice.period_ends_at),
    })
    .exec(&txn)
    .await?;
    let rows: Vec<result_entry::ActiveModel> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| result_entry::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            notice_id: Set(notice.id.clone()),
            seq: Set(i as i32 + 1),
            applicant_name: Set(l.applicant_name),
            track_name: Set(l.track_name),
            recommender: Set(l.recommender),
            apply_mode: Set(l.apply_mode),
            application_id: Set(l.application_id),
        })
        .collect();
    crate::db::insert_all(&txn, rows).await?;
    audit_in(&txn, &user, "result_notice_publish", "result_notice", &notice.id).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(notice_view(db, notice).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicResultQuery {
    /// Part of the title (模糊查询).
    pub q: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultNoticePage {
    pub items: Vec<ResultNoticeSummary>,
    pub total: u64,
}

/// 结果公示 on the portal: the published notices, newest first.
#[utoipa::path(get, path = "/api/public/results", tag = "calls", params(PublicResultQuery),
    responses((status = 200, body = ResultNoticePage), (status = 422, body = ErrorEnvelope)))]
pub async fn public_results(State(state): State<AppState>, Query(q): Query<PublicResultQuery>) -> ApiResult<Json<ResultNoticePage>> {
    let page = Page::parse(q.page, q.page_size)?;
    let mut s = result_notice::Entity::find();
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        s = s.filter(Expr::col(result_notice::Column::Title).like(contains(text)));
    }
    let paginator = s.order_by_desc(result_notice::Column::PublishedAt).order_by_desc(result_notice::Column::Id).paginate(&state.db, page.page_size);
    let total = paginator.num_items().await?;
    let mut items = Vec::new();
    for n in paginator.fetch_page(page.index()).await? {
        items.push(summary_of(&state.db, n).await?);
    }
    Ok(Json(ResultNoticePage { items, total }))
}

/// A published notice with its list.
#[utoipa::path(get, path = "/api/public/results/{id}", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = ResultNoticeView), (status = 404, body = ErrorEnvelope)))]
pub async fn public_result(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<ResultNoticeView>> {
    let n = result_notice::Entity::find_by_id(id).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("公示不存在".into()))?;
    Ok(Json(notice_view(&state.db, n).await?))
}
