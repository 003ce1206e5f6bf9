//! 统计汇总 (issue 20; spec 50 「Government administration」, seed 003): the officials' dashboard. For the
//! official's region (a province all of it, a city its city, a district its district — never a sibling's), the
//! submitted cases per program (case kind) and status, per stage, per month submitted; the review tasks past
//! their due time; the funds asked for and approved by district (the presubsidy's 纳入奖补金额合计); the
//! self-assessment levels. Every figure has the list behind it (`/api/dashboard/cases`, `/overdue`,
//! `/assessments`), filtered by the same columns as the figure, and every table exports to Excel.
//!
//! The case figures come from the review engine's maintained tally (`review::tally`, decision 0029), not from a
//! scan of the cases: a city of a million cases reads a few hundred rows (benches/dashboard.rs).

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use shuzhuan_core::{Money, RegionCode};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::assessment::entity::assessment;
use crate::auth::CurrentUser;
use crate::directory::{org, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::Page;
use crate::review::tally::{self, Scope};
use crate::review::CaseState;
use crate::state::AppState;
use crate::time::ApiTime;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_dashboard))
        .routes(routes!(dashboard_cases))
        .routes(routes!(dashboard_overdue))
        .routes(routes!(dashboard_assessments))
        .routes(routes!(export_dashboard))
}

/// The region an official sees: its government body's. Everyone else is refused.
fn official_region(user: &CurrentUser) -> ApiResult<RegionCode> {
    if user.organization.kind != OrgKind::Government {
        return Err(ApiError::Forbidden("统计汇总仅对主管部门开放".into()));
    }
    user.organization
        .region_code
        .as_deref()
        .and_then(|c| RegionCode::parse(c).ok())
        .ok_or_else(|| ApiError::Forbidden("本单位未设置所属区划，无法查看统计汇总".into()))
}

fn status_label(s: CaseState) -> &'static str {
    match s {
        CaseState::Draft => "未提交",
        CaseState::InReview => "审核中",
        CaseState::Returned => "已退回",
        CaseState::Approved => "审核通过",
        CaseState::Rejected => "不通过",
        CaseState::Deleted => "已删除",
    }
}

/// Kind names and stage names, from each kind's current flow.
#[derive(Default)]
struct Names {
    flows: HashMap<String, Option<std::sync::Arc<shuzhuan_core::review::FlowDefinition>>>,
}

impl Names {
    async fn flow(&mut self, db: &impl ConnectionTrait, kind: &str) -> Option<std::sync::Arc<shuzhuan_core::review::FlowDefinition>> {
        if !self.flows.contains_key(kind) {
            let f = crate::review::flows::current(db, kind).await.ok();
            self.flows.insert(kind.to_owned(), f);
        }
        self.flows[kind].clone()
    }
    async fn kind(&mut self, db: &impl ConnectionTrait, kind: &str) -> String {
        self.flow(db, kind).await.map(|f| f.name().to_owned()).unwrap_or_else(|| kind.to_owned())
    }
    async fn stage(&mut self, db: &impl ConnectionTrait, kind: &str, stage: Option<i32>) -> String {
        let Some(s) = stage.filter(|s| *s >= 0) else { return "—".into() };
        self.flow(db, kind).await.and_then(|f| f.stage(s as usize).map(|st| st.name().to_owned())).unwrap_or_else(|| format!("第{}环节", s + 1))
    }
}

/// Region names by code, from the reference data.
async fn region_names(db: &impl ConnectionTrait, codes: Vec<String>) -> ApiResult<HashMap<String, String>> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    use crate::reference::entity::region;
    Ok(region::Entity::find().filter(region::Column::Code.is_in(codes)).all(db).await?.into_iter().map(|r| (r.code, r.name)).collect())
}

/// The district a region code is counted under: its first six digits (a town's district; a city-level
/// code stands for itself). The drill-down narrows by the same six digits, so the two always agree.
fn district_of(code: &str) -> Option<&str> {
    (code.len() >= 6).then(|| &code[..6])
}

fn wan(fen: i64) -> String {
    Money::from_fen(fen).map(Money::exact_wan).unwrap_or_else(|_| "0".into())
}

// ---------------------------------------------------------------------------------------------------------
// The dashboard

/// One program (case kind): its submitted cases by status.
#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct DashboardKindCount {
    pub kind: String,
    pub kind_name: String,
    pub total: i64,
    pub in_review: i64,
    pub returned: i64,
    pub approved: i64,
    pub rejected: i64,
}

/// Cases of a kind at a status and stage.
#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct DashboardStageCount {
    pub kind: String,
    pub kind_name: String,
    pub status: CaseState,
    pub status_label: String,
    /// The stage index (0-based); -1: none (decided cases).
    pub stage: i32,
    pub stage_name: String,
    pub n: i64,
}

/// Cases submitted in a month (China time), by their latest submission.
#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct MonthCount {
    /// `2026-12`.
    pub month: String,
    pub n: i64,
}

/// Funds by district: asked for (审核中, 审核通过, 不通过) and approved (审核通过), in 万元.
#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct FundRow {
    pub district_code: String,
    pub district_name: String,
    pub requested_n: i64,
    pub requested_wan: String,
    pub approved_n: i64,
    pub approved_wan: String,
}

/// Open review tasks past their due time, by kind.
#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct OverdueCount {
    pub kind: String,
    pub kind_name: String,
    pub n: i64,
}

/// Submitted self-assessments by level.
#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct LevelCount {
    pub level: i32,
    pub level_label: String,
    pub n: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub region_code: String,
    pub region_name: String,
    pub kinds: Vec<DashboardKindCount>,
    pub stages: Vec<DashboardStageCount>,
    pub months: Vec<MonthCount>,
    pub funds: Vec<FundRow>,
    pub overdue: Vec<OverdueCount>,
    pub overdue_total: i64,
    pub levels: Vec<LevelCount>,
    pub generated_at: ApiTime,
}

fn assessments_query(prefix: &str) -> sea_orm::Select<assessment::Entity> {
    let mut next = prefix.to_owned();
    let last = next.pop().map(|c| char::from_u32(c as u32 + 1).unwrap_or(c));
    next.extend(last);
    let rel: sea_orm::RelationDef = assessment::Entity::belongs_to(org::Entity).from(assessment::Column::OrganizationId).to(org::Column::Id).into();
    assessment::Entity::find()
        .join(JoinType::InnerJoin, rel)
        .filter(assessment::Column::Status.eq("submitted"))
        .filter(assessment::Column::Level.is_not_null())
        .filter(org::Column::RegionCode.gte(prefix.to_owned()))
        .filter(org::Column::RegionCode.lt(next))
}

async fn build(state: &AppState, region: &RegionCode) -> ApiResult<Dashboard> {
    let db = &state.db;
    let prefix = region.scope_prefix();
    let now = state.clock.now();
    let rows = tally::counts_in(db, prefix).await?;
    let mut names = Names::default();

    let mut kinds: BTreeMap<String, DashboardKindCount> = BTreeMap::new();
    let mut stages: BTreeMap<(String, &'static str, i32), i64> = BTreeMap::new();
    let mut months: BTreeMap<String, i64> = BTreeMap::new();
    let mut funds: BTreeMap<String, (i64, i64, i64, i64)> = BTreeMap::new();
    for r in &rows {
        let k = kinds.entry(r.kind.clone()).or_insert_with(|| DashboardKindCount { kind: r.kind.clone(), kind_name: String::new(), total: 0, in_review: 0, returned: 0, approved: 0, rejected: 0 });
        k.total += r.n;
        match r.status {
            CaseState::InReview => k.in_review += r.n,
            CaseState::Returned => k.returned += r.n,
            CaseState::Approved => k.approved += r.n,
            CaseState::Rejected => k.rejected += r.n,
            _ => {}
        }
        *stages.entry((r.kind.clone(), r.status.code(), r.stage.unwrap_or(-1))).or_default() += r.n;
        if let Some(m) = &r.month {
            *months.entry(m.clone()).or_default() += r.n;
        }
        if reports_amount(&r.kind) && tally::WITH_AMOUNT.contains(&r.status)
            && let Some(d) = district_of(&r.region_code)
        {
            let f = funds.entry(d.to_owned()).or_default();
            f.0 += r.n;
            f.1 += r.amount_fen;
            if r.status == CaseState::Approved {
                f.2 += r.n;
                f.3 += r.amount_fen;
            }
        }
    }
    let mut kind_rows = Vec::new();
    for (kind, mut k) in kinds {
        k.kind_name = names.kind(db, &kind).await;
        kind_rows.push(k);
    }
    let mut stage_rows = Vec::new();
    for ((kind, status, stage), n) in stages {
        let status = CaseState::parse(status).expect("a counted status");
        stage_rows.push(DashboardStageCount {
            kind_name: names.kind(db, &kind).await,
            stage_name: names.stage(db, &kind, Some(stage)).await,
            kind,
            status,
            status_label: status_label(status).into(),
            stage,
            n,
        });
    }
    let district_names = region_names(db, funds.keys().cloned().chain(std::iter::once(region.as_str().to_owned())).collect()).await?;
    let fund_rows = funds
        .into_iter()
        .map(|(d, (rn, rf, an, af))| FundRow {
            district_name: district_names.get(&d).cloned().unwrap_or_else(|| d.clone()),
            district_code: d,
            requested_n: rn,
            requested_wan: wan(rf),
            approved_n: an,
            approved_wan: wan(af),
        })
        .collect();
    let mut overdue = Vec::new();
    let mut overdue_total = 0;
    for (kind, n) in tally::overdue_counts(db, prefix, now).await? {
        overdue_total += n;
        overdue.push(OverdueCount { kind_name: names.kind(db, &kind).await, kind, n });
    }
    let levels = assessments_query(prefix)
        .select_only()
        .column(assessment::Column::Level)
        .column(assessment::Column::LevelLabel)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .group_by(assessment::Column::Level)
        .group_by(assessment::Column::LevelLabel)
        .order_by_asc(assessment::Column::Level)
        .into_tuple::<(i32, Option<String>, i64)>()
        .all(db)
        .await?;
    // One row per level (a label that changed between editions is shown once, the first).
    let mut level_rows: Vec<LevelCount> = Vec::new();
    for (level, label, n) in levels {
        match level_rows.iter_mut().find(|l| l.level == level) {
            Some(l) => l.n += n,
            None => level_rows.push(LevelCount { level, level_label: label.unwrap_or_else(|| format!("{level}级")), n }),
        }
    }
    Ok(Dashboard {
        region_code: region.as_str().to_owned(),
        region_name: district_names.get(region.as_str()).cloned().unwrap_or_else(|| region.as_str().to_owned()),
        kinds: kind_rows,
        stages: stage_rows,
        months: months.into_iter().map(|(month, n)| MonthCount { month, n }).collect(),
        funds: fund_rows,
        overdue,
        overdue_total,
        levels: level_rows,
        generated_at: crate::time::api(now),
    })
}

fn reports_amount(kind: &str) -> bool {
    crate::review::kind(kind).is_some_and(|k| k.reports_amount())
}

/// 统计汇总: the official's region's figures.
#[utoipa::path(get, path = "/api/dashboard", tag = "dashboard",
    responses((status = 200, body = Dashboard), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_dashboard(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Dashboard>> {
    let region = official_region(&user)?;
    Ok(Json(build(&state, &region).await?))
}

// ---------------------------------------------------------------------------------------------------------
// Drill-downs

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// A case kind (`filing`, `presubsidy` …).
    pub kind: Option<String>,
    /// Statuses, comma-separated (`in_review,approved`); none: every submitted status.
    pub status: Option<String>,
    /// A stage index; -1: no stage.
    pub stage: Option<i32>,
    /// A month submitted, `2026-12` (China time).
    pub month: Option<String>,
    /// A district code (six digits) within the official's region.
    pub district: Option<String>,
    /// Only the kinds that report an amount (the funds table), at the statuses whose amount counts unless
    /// `status` says otherwise.
    pub funded: Option<bool>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardCase {
    pub id: String,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub status: CaseState,
    pub status_label: String,
    pub stage_name: String,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub submitted_at: Option<ApiTime>,
    /// 万元, for the kinds that report an amount.
    pub amount_wan: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardCasePage {
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    pub items: Vec<DashboardCase>,
}

/// The scopes a drill-down query asks for: one per funded kind, or one.
fn scopes(region: &RegionCode, q: &CaseQuery) -> ApiResult<Vec<Scope>> {
    let mut prefix = region.scope_prefix().to_owned();
    if let Some(d) = q.district.as_deref().filter(|d| !d.is_empty()) {
        if d.len() != 6 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::validation("district", "区县代码应为6位数字"));
        }
        if !d.starts_with(&prefix) && !prefix.starts_with(d) {
            return Err(ApiError::Forbidden("只能查看本辖区的统计".into()));
        }
        if d.len() > prefix.len() {
            prefix = d.to_owned();
        }
    }
    let mut statuses = Vec::new();
    for s in q.status.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match CaseState::parse(s).filter(|s| tally::COUNTED.contains(s)) {
            Some(st) => statuses.push(st),
            None => return Err(ApiError::validation("status", "状态筛选无效")),
        }
    }
    let month = match q.month.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => Some(tally::month_bounds(m).ok_or_else(|| ApiError::validation("month", "月份格式应为 2026-01"))?),
        None => None,
    };
    if let Some(st) = q.stage
        && !(-1..=100).contains(&st)
    {
        return Err(ApiError::validation("stage", "环节筛选无效"));
    }
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    if let Some(k) = &kind
        && crate::review::kind(k).is_none()
    {
        return Err(ApiError::validation("kind", "事项类型无效"));
    }
    let base = Scope { prefix, kind: kind.clone(), statuses, stage: q.stage, month };
    if q.funded != Some(true) {
        return Ok(vec![base]);
    }
    let statuses = if base.statuses.is_empty() { tally::WITH_AMOUNT.to_vec() } else { base.statuses.iter().copied().filter(|s| tally::WITH_AMOUNT.contains(s)).collect() };
    if statuses.is_empty() {
        return Ok(vec![]);
    }
    Ok(crate::review::kinds()
        .iter()
        .filter(|k| k.reports_amount() && kind.as_deref().is_none_or(|x| x == k.key()))
        .map(|k| Scope { kind: Some(k.key().to_owned()), statuses: statuses.clone(), ..base.clone() })
        .collect())
}

/// The cases behind a figure of 统计汇总: same filters as the figure, newest submitted first.
#[utoipa::path(get, path = "/api/dashboard/cases", tag = "dashboard", params(CaseQuery),
    responses((status = 200, body = DashboardCasePage), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn dashboard_cases(State(state): State<AppState>, user: CurrentUser, Query(q): Query<CaseQuery>) -> ApiResult<Json<DashboardCasePage>> {
    let region = official_region(&user)?;
    let page = Page::parse(q.page, q.page_size)?;
    let scopes = scopes(&region, &q)?;
    let (total, rows) = match scopes.as_slice() {
        [] => (0, Vec::new()),
        [one] => tally::cases_in(&state.db, one, page.page_size, page.index()).await?,
        // Several funded kinds (none today but the presubsidy): one page over their concatenation.
        many => {
            let mut total = 0;
            let mut rows = Vec::new();
            let mut skip = page.index() * page.page_size;
            for s in many {
                let (n, _) = tally::cases_in(&state.db, s, 1, 0).await?;
                total += n;
                if skip >= n {
                    skip -= n;
                    continue;
                }
                let want = page.page_size.saturating_sub(rows.len() as u64);
                if want == 0 {
                    continue;
                }
                let (_, mut got) = tally::cases_in(&state.db, s, skip + want, 0).await?;
                rows.extend(got.drain(skip as usize..));
                skip = 0;
            }
            (total, rows)
        }
    };
    let mut names = Names::default();
    let regions = region_names(&state.db, rows.iter().filter_map(|r| r.region_code.clone()).collect()).await?;
    let mut items = Vec::new();
    for r in rows {
        items.push(DashboardCase {
            kind_name: names.kind(&state.db, &r.kind).await,
            stage_name: names.stage(&state.db, &r.kind, r.stage).await,
            status_label: status_label(r.status).into(),
            region_name: r.region_code.as_ref().and_then(|c| regions.get(c).cloned()),
            submitted_at: r.submitted_at.map(crate::time::api),
            amount_wan: r.amount.map(Money::exact_wan),
            id: r.id,
            kind: r.kind,
            title: r.title,
            status: r.status,
            region_code: r.region_code,
        });
    }
    Ok(Json(DashboardCasePage { total, page: page.page, page_size: page.page_size, items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    pub kind: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueTask {
    pub task_id: String,
    pub case_id: String,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub applicant_name: String,
    pub stage_name: String,
    pub assignee_name: String,
    pub due_at: ApiTime,
    /// Whole days past the due time.
    pub overdue_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverduePage {
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    pub items: Vec<OverdueTask>,
}

/// The review tasks of the region's cases past their due time (超期未办), longest overdue first.
#[utoipa::path(get, path = "/api/dashboard/overdue", tag = "dashboard", params(OverdueQuery),
    responses((status = 200, body = OverduePage), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn dashboard_overdue(State(state): State<AppState>, user: CurrentUser, Query(q): Query<OverdueQuery>) -> ApiResult<Json<OverduePage>> {
    let region = official_region(&user)?;
    let page = Page::parse(q.page, q.page_size)?;
    let kind = q.kind.as_deref().filter(|k| !k.is_empty());
    if let Some(k) = kind
        && crate::review::kind(k).is_none()
    {
        return Err(ApiError::validation("kind", "事项类型无效"));
    }
    let now = state.clock.now();
    let (total, rows) = tally::overdue_in(&state.db, region.scope_prefix(), kind, now, page.page_size, page.index()).await?;
    let orgs = crate::directory::by_ids(&state.db, rows.iter().map(|r| r.assignee_org_id.clone()).collect()).await?;
    let mut names = Names::default();
    let mut items = Vec::new();
    for r in rows {
        items.push(OverdueTask {
            kind_name: names.kind(&state.db, &r.kind).await,
            assignee_name: orgs.get(&r.assignee_org_id).map(|o| o.name.clone()).unwrap_or_default(),
            due_at: crate::time::api(r.due_at),
            overdue_days: (now - r.due_at).num_days(),
            task_id: r.task_id,
            case_id: r.case_id,
            kind: r.kind,
            title: r.title,
            applicant_name: r.applicant_name,
            stage_name: r.stage_name,
        });
    }
    Ok(Json(OverduePage { total, page: page.page, page_size: page.page_size, items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentQuery {
    pub level: Option<i32>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardAssessment {
    pub id: String,
    pub org_name: String,
    pub level: i32,
    pub level_label: String,
    /// The total score, two decimals.
    pub total: String,
    pub submitted_at: Option<ApiTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentPage {
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
    pub items: Vec<DashboardAssessment>,
}

/// The submitted self-assessments of the region's organizations, by level.
#[utoipa::path(get, path = "/api/dashboard/assessments", tag = "dashboard", params(AssessmentQuery),
    responses((status = 200, body = AssessmentPage), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn dashboard_assessments(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AssessmentQuery>) -> ApiResult<Json<AssessmentPage>> {
    let region = official_region(&user)?;
    let page = Page::parse(q.page, q.page_size)?;
    let mut query = assessments_query(region.scope_prefix());
    if let Some(level) = q.level {
        query = query.filter(assessment::Column::Level.eq(level));
    }
    let total = query.clone().count(&state.db).await?;
    let rows = query
        .order_by_desc(assessment::Column::SubmittedAt)
        .order_by_desc(assessment::Column::Id)
        .offset(page.index() * page.page_size)
        .limit(page.page_size)
        .all(&state.db)
        .await?;
    let orgs = crate::directory::by_ids(&state.db, rows.iter().map(|r| r.organization_id.clone()).collect()).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let level = r.level.unwrap_or_default();
            DashboardAssessment {
                org_name: orgs.get(&r.organization_id).map(|o| o.name.clone()).unwrap_or_default(),
                level,
                level_label: r.level_label.clone().unwrap_or_else(|| format!("{level}级")),
                total: r.total_hundredths.map(|t| format!("{}.{:02}", t / 100, t % 100)).unwrap_or_default(),
                submitted_at: r.submitted_at.map(crate::time::api),
                id: r.id,
            }
        })
        .collect();
    Ok(Json(AssessmentPage { total, page: page.page, page_size: page.page_size, items }))
}

// ---------------------------------------------------------------------------------------------------------
// Export

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `kinds`, `stages`, `months`, `funds`, `overdue` or `levels`.
    pub table: String,
}

/// A table of 统计汇总 as an Excel file: its heading row, then its rows, as the page shows them.
#[utoipa::path(get, path = "/api/dashboard/export.xlsx", tag = "dashboard", params(ExportQuery),
    responses((status = 200, description = "The table as .xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn export_dashboard(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ExportQuery>) -> ApiResult<Response> {
    let region = official_region(&user)?;
    let d = build(&state, &region).await?;
    type Table = (&'static str, Vec<&'static str>, Vec<Vec<Cell>>);
    let (title, headers, rows): Table = match q.table.as_str() {
        "kinds" => (
            "各类事项数量",
            vec!["事项类型", "合计", "审核中", "已退回", "审核通过", "不通过"],
            d.kinds.iter().map(|k| vec![Cell::T(k.kind_name.clone()), Cell::N(k.total), Cell::N(k.in_review), Cell::N(k.returned), Cell::N(k.approved), Cell::N(k.rejected)]).collect(),
        ),
        "stages" => (
            "各环节数量",
            vec!["事项类型", "状态", "环节", "数量"],
            d.stages.iter().map(|s| vec![Cell::T(s.kind_name.clone()), Cell::T(s.status_label.clone()), Cell::T(s.stage_name.clone()), Cell::N(s.n)]).collect(),
        ),
        "months" => ("按月申报数量", vec!["月份", "提交数量"], d.months.iter().map(|m| vec![Cell::T(m.month.clone()), Cell::N(m.n)]).collect()),
        "funds" => (
            "资金申请与核定",
            vec!["区县", "申请数量", "申请资金（万元）", "通过数量", "通过资金（万元）"],
            d.funds
                .iter()
                .map(|f| vec![Cell::T(f.district_name.clone()), Cell::N(f.requested_n), Cell::T(f.requested_wan.clone()), Cell::N(f.approved_n), Cell::T(f.approved_wan.clone())])
                .collect(),
        ),
        "overdue" => ("超期待办", vec!["事项类型", "超期任务数"], d.overdue.iter().map(|o| vec![Cell::T(o.kind_name.clone()), Cell::N(o.n)]).collect()),
        "levels" => ("评估等级分布", vec!["等级", "企业自评数量"], d.levels.iter().map(|l| vec![Cell::T(l.level_label.clone()), Cell::N(l.n)]).collect()),
        _ => return Err(ApiError::validation("table", "导出的表格应为 kinds、stages、months、funds、overdue 或 levels")),
    };
    let xlsx = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(title).map_err(xlsx)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xlsx)?;
        sheet.set_column_width(c as u16, if c == 0 { 28 } else { 16 }).map_err(xlsx)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::T(t) => sheet.write_string(r as u32 + 1, c as u16, t).map_err(xlsx)?,
                Cell::N(n) => sheet.write_number(r as u32 + 1, c as u16, *n as f64).map_err(xlsx)?,
            };
        }
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    let name = format!("统计汇总-{}-{}-{}.xlsx", d.region_name, title, crate::time::display(state.clock.now()).replace([' ', ':'], "-"));
    Ok(crate::http::xlsx_download(&name, bytes))
}

enum Cell {
    T(String),
    N(i64),
}
