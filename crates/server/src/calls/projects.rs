//! 项目中心 (003 §4.3.3 for the city, §4.5.4 for the district) and 导出汇总表 (§4.5.2): the applications the
//! official's bureau reviews or reviewed, filtered by 年度, 项目认定评定名称, 方向, 申报单位, 项目名称 and 项目性质,
//! in the tabs 审核中 / 已推荐 / 退回待提交 / 不受理; each row opens the case page (申报书 and 办理记录). Which
//! applications a bureau sees is the engine's answer (the cases it holds or held a task on): a district never
//! sees another district's, a city never another city's.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entity::{application, call, program, track};
use crate::auth::{CurrentUser, Role};
use crate::directory::{org, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::{contains, Page};
use crate::review::{self, ReviewerTab};
use crate::state::AppState;

/// 项目中心 is for a government bureau's administrator and the members given it (or 审核办理).
fn require_project_center(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Government)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == "projects_center" || p == "reviews") {
        Ok(())
    } else {
        Err(ApiError::Forbidden("您没有项目中心权限".into()))
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// `in_review` (审核中), `recommended` (已推荐), `returned` (退回待提交), `rejected` (不受理); none: all.
    pub tab: Option<String>,
    pub year: Option<i32>,
    /// Part of the program's name (项目认定评定名称).
    pub program: Option<String>,
    /// Part of the track's name (方向).
    pub track: Option<String>,
    /// Part of the applicant's name (申报单位).
    pub applicant: Option<String>,
    /// Part of the title (项目名称).
    pub title: Option<String>,
    /// 项目性质: 资金类 or 非资金类.
    pub funding: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectRow {
    pub application_id: String,
    pub year: i32,
    pub program_name: String,
    pub track_name: String,
    pub funding: String,
    pub applicant_name: String,
    pub uscc: Option<String>,
    pub title: String,
    /// 当前环节.
    pub stage: String,
    pub status: String,
    pub status_label: String,
    pub latest_opinion: Option<String>,
    pub submitted_at: Option<crate::time::ApiTime>,
    /// The stamped 申报书 the applicant uploaded (下载申报书), when there is one.
    pub stamped_file_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectRow>,
    pub total: u64,
}

fn tab_of(q: &ProjectQuery) -> ApiResult<Option<ReviewerTab>> {
    match q.tab.as_deref().map(str::trim) {
        None | Some("") | Some("all") => Ok(None),
        Some(code) => ReviewerTab::parse(code).map(Some).ok_or_else(|| ApiError::validation("tab", "标签应为审核中、已推荐、退回待提交或不受理")),
    }
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The bureau's applications with the filters, in no order (the count needs none: ordering 100,000 rows only to
/// count them doubled the list's time).
fn query(org_id: &str, q: &ProjectQuery) -> ApiResult<Select<application::Entity>> {
    let tab = tab_of(q)?;
    let mut s = application::Entity::find().filter(application::Column::CaseId.in_subquery(review::case_ids_reviewed_by(org_id, tab)));
    if let Some(year) = q.year {
        s = s.filter(application::Column::Year.eq(year));
    }
    if let Some(f) = text(&q.funding) {
        if !["资金类", "非资金类"].contains(&f) {
            return Err(ApiError::validation("funding", "项目性质应为资金类或非资金类"));
        }
    }
    if text(&q.program).is_some() || text(&q.track).is_some() || text(&q.funding).is_some() {
        let mut programs = sea_orm::sea_query::Query::select();
        programs.column(program::Column::Id).from(program::Entity);
        if let Some(p) = text(&q.program) {
            programs.and_where(Expr::col(program::Column::Name).like(contains(p)));
        }
        if let Some(f) = text(&q.funding) {
            programs.and_where(program::Column::Funding.eq(f));
        }
        let mut tracks = sea_orm::sea_query::Query::select();
        tracks.column(track::Column::Id).from(track::Entity).and_where(track::Column::ProgramId.in_subquery(programs.to_owned()));
        if let Some(t) = text(&q.track) {
            tracks.and_where(Expr::col(track::Column::Name).like(contains(t)));
        }
        let calls = sea_orm::sea_query::Query::select().column(call::Column::Id).from(call::Entity).and_where(call::Column::TrackId.in_subquery(tracks.to_owned())).to_owned();
        s = s.filter(application::Column::CallId.in_subquery(calls));
    }
    if let Some(a) = text(&q.applicant) {
        let orgs = sea_orm::sea_query::Query::select().column(org::Column::Id).from(org::Entity).and_where(Expr::col(org::Column::Name).like(contains(a))).to_owned();
        s = s.filter(application::Column::OrgId.in_subquery(orgs));
    }
    if let Some(t) = text(&q.title) {
        s = s.filter(application::Column::CaseId.in_subquery(review::case_ids_titled(t)));
    }
    Ok(s)
}

/// The list's order: newest first (the index `call_applications_newest`).
fn newest_first(s: Select<application::Entity>) -> Select<application::Entity> {
    s.order_by_desc(application::Column::CreatedAt).order_by_desc(application::Column::CaseId)
}

/// Rows for applications, in their order; `documents` reads each form for its stamped 申报书 (the list's
/// 下载申报书; the sheet has no use for it and skips decrypting 100,000 forms).
async fn rows(state: &AppState, apps: Vec<application::Model>, documents: bool) -> ApiResult<Vec<(ProjectRow, Option<chrono::DateTime<chrono::Utc>>)>> {
    let db = &state.db;
    let ids = apps.iter().map(|a| a.case_id.clone()).collect();
    let cases = if documents { review::cases_by_ids(db, ids).await? } else { review::case_summaries_by_ids(db, ids).await? };
    let orgs = crate::directory::by_ids(db, apps.iter().map(|a| a.org_id.clone()).collect()).await?;
    let mut calls: BTreeMap<String, (call::Model, track::Model, program::Model)> = BTreeMap::new();
    let mut out = Vec::with_capacity(apps.len());
    for a in apps {
        let Some(case) = cases.get(&a.case_id) else { continue };
        if !calls.contains_key(&a.call_id) {
            calls.insert(a.call_id.clone(), super::kind::call_of(db, &a.call_id).await?);
        }
        let (_, t, p) = &calls[&a.call_id];
        let (stage, submitted_at) = super::apply::stage_of(db, case).await?;
        let stamped_file_id = if documents { case.form(state)?["stamped_file_id"].as_str().filter(|s| !s.is_empty()).map(str::to_owned) } else { None };
        let o = orgs.get(&a.org_id);
        out.push((ProjectRow {
            application_id: a.case_id.clone(),
            year: a.year,
            program_name: p.name.clone(),
            track_name: t.name.clone(),
            funding: p.funding.clone(),
            applicant_name: o.map(|o| o.name.clone()).unwrap_or_default(),
            uscc: o.and_then(|o| o.uscc.clone()),
            title: case.title.clone(),
            stage,
            status: case.status.code().to_owned(),
            status_label: case.status.label().to_owned(),
            latest_opinion: case.latest_opinion.clone(),
            submitted_at: submitted_at.map(crate::time::api),
            stamped_file_id,
        }, submitted_at));
    }
    Ok(out)
}

/// 项目中心: the applications the bureau reviews or reviewed.
#[utoipa::path(get, path = "/api/calls/projects", tag = "calls", params(ProjectQuery),
    responses((status = 200, body = ProjectPage), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_projects(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ProjectQuery>) -> ApiResult<Json<ProjectPage>> {
    require_project_center(&user)?;
    let page = Page::parse(q.page, q.page_size)?;
    let base = query(&user.organization.id, &q)?;
    // The count and the page are independent reads: side by side they cost the longer of the two.
    let (total, apps) = tokio::try_join!(
        base.clone().count(&state.db),
        newest_first(base.clone()).offset(page.index() * page.page_size).limit(page.page_size).all(&state.db),
    )?;
    Ok(Json(ProjectPage { items: rows(&state, apps, true).await?.into_iter().map(|(r, _)| r).collect(), total }))
}

/// The sheet's columns: header and width.
const COLUMNS: [(&str, f64); 12] = [
    ("序号", 6.0),
    ("年度", 6.0),
    ("项目认定评定名称", 34.0),
    ("方向", 18.0),
    ("项目性质", 10.0),
    ("申报单位", 32.0),
    ("统一社会信用代码", 22.0),
    ("项目名称", 40.0),
    ("当前环节", 16.0),
    ("状态", 10.0),
    ("最新审核意见", 36.0),
    ("提交时间", 18.0),
];

/// Rows read and written per round: memory stays flat however many applications there are.
const EXPORT_CHUNK: usize = 500;

/// A sheet's applications in `ordered`'s order, as rounds of `EXPORT_CHUNK` to read one after the other: the
/// ids come first in one query (the bureau's share is found and ordered once: 100,000 ids are a few MB), then
/// each round reads its rows by primary key. Paging the filtered query itself re-ran the bureau's subquery
/// every round, which made 100,000 rows take 37 s instead of a few (docs/benchmarks.md).
pub(super) async fn in_order(
    db: &sea_orm::DatabaseConnection,
    ordered: Select<application::Entity>,
) -> ApiResult<impl Iterator<Item = impl std::future::Future<Output = ApiResult<Vec<application::Model>>> + '_> + '_> {
    let ids: Vec<String> = ordered.select_only().column(application::Column::CaseId).into_tuple().all(db).await?;
    let rounds: Vec<Vec<String>> = ids.chunks(EXPORT_CHUNK).map(<[String]>::to_vec).collect();
    Ok(rounds.into_iter().map(move |round| async move {
        let mut apps = application::Entity::find().filter(application::Column::CaseId.is_in(round.clone())).all(db).await?;
        let position: std::collections::HashMap<&str, usize> = round.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        apps.sort_by_key(|a| position.get(a.case_id.as_str()).copied().unwrap_or(usize::MAX));
        Ok(apps)
    }))
}

/// 导出汇总表: the same list, every page, as an Excel sheet written row by row (rust_xlsxwriter's constant-memory
/// mode, so a province's 100,000 rows do not sit in memory). Every cell is written as a string or a number,
/// never as a formula: a name starting with `=`, `+`, `-` or `@` stays text (formula injection).
#[utoipa::path(get, path = "/api/calls/projects.xlsx", tag = "calls", params(ProjectQuery),
    responses((status = 200, description = "汇总表 Excel", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn export_projects(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ProjectQuery>) -> ApiResult<Response> {
    require_project_center(&user)?;
    let bytes = summary_xlsx(&state, &user.organization.id, &q).await?;
    let name = format!("申报项目汇总表-{}.xlsx", user.organization.name);
    Ok(crate::http::xlsx_download(&name, bytes))
}

/// The summary workbook of `org_id`'s applications (public for the benchmark).
pub async fn summary_xlsx(state: &AppState, org_id: &str, q: &ProjectQuery) -> ApiResult<Vec<u8>> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let base = newest_first(query(org_id, q)?);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
    sheet.set_name("申报项目汇总表").map_err(xlsx)?;
    let bold = rust_xlsxwriter::Format::new().set_bold().set_background_color("#F2F2F2");
    for (c, (h, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(c as u16, *width).map_err(xlsx)?;
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    let mut written: u32 = 0;
    for apps in in_order(&state.db, base).await? {
        let apps = apps.await?;
        for (r, submitted_at) in rows(state, apps, false).await? {
            written += 1;
            let cells = [
                r.program_name,
                r.track_name,
                r.funding,
                r.applicant_name,
                r.uscc.unwrap_or_default(),
                r.title,
                r.stage,
                r.status_label,
                r.latest_opinion.unwrap_or_default(),
                submitted_at.map(crate::time::display).unwrap_or_default(),
            ];
            sheet.write_number(written, 0, written as f64).map_err(xlsx)?;
            sheet.write_number(written, 1, r.year as f64).map_err(xlsx)?;
            for (i, text) in cells.iter().enumerate() {
                sheet.write_string(written, i as u16 + 2, text).map_err(xlsx)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
}
