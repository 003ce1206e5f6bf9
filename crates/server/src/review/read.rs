//! The engine's read API for capabilities. A capability that has something reviewed asks here about its
//! cases (the open application of an owner, a case's status and form) and receives a [`CaseRef`] in its
//! hooks; it never queries the engine's tables or compares status strings itself, so the engine can change
//! how it stores cases without touching them (a test greps the other capabilities for the tables' names).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use shuzhuan_core::review::CaseStatus;

use super::entity::case;
use super::CaseState;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What a capability sees of one case.
#[derive(Debug, Clone)]
pub struct CaseRef {
    pub id: String,
    /// The case kind's key (`info_change`, `product_entry` …).
    pub kind: String,
    pub owner_org_id: String,
    pub owner_user_id: String,
    /// Where the case is, as the lists filter it.
    pub state: CaseState,
    /// The same with the stage it waits at or was returned from.
    pub status: CaseStatus,
    pub title: String,
    /// Organization ids named in the form, by field.
    pub refs: BTreeMap<String, String>,
    /// The last reviewer's opinion.
    pub latest_opinion: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was last submitted (送达), if ever.
    pub submitted_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The flow version it is pinned to.
    pub flow_version: i32,
    /// The form as stored (personal data encrypted); read it with [`CaseRef::form`].
    stored_form: String,
    /// Read with its form (not by [`case_summaries_by_ids`]).
    has_form: bool,
}

impl CaseRef {
    /// The form as the owner last saved it, personal data decrypted.
    pub fn form(&self, state: &AppState) -> ApiResult<Value> {
        if !self.has_form {
            return Err(ApiError::Internal(anyhow::anyhow!("case {} was read without its form", self.id)));
        }
        let kind = super::kind(&self.kind).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unknown case kind {}", self.kind)))?;
        super::engine::decrypt_form(state, kind, &self.stored_form)
    }

    /// Where it stands, as lists name it: 待提交, 退回修改, the name of the stage it waits at, or its decision.
    pub async fn stage_name(&self, db: &impl ConnectionTrait) -> ApiResult<String> {
        Ok(match (self.state, self.status.stage()) {
            (CaseState::Draft, _) => "待提交".to_owned(),
            (CaseState::Returned, _) => "退回修改".to_owned(),
            (CaseState::InReview, Some(i)) => {
                let flow = super::flows::pinned(db, &self.kind, self.flow_version).await?;
                flow.stage(i).map(|s| s.name().to_owned()).unwrap_or_else(|| self.status.label().to_owned())
            }
            _ => self.status.label().to_owned(),
        })
    }
}

impl From<&case::Model> for CaseRef {
    fn from(row: &case::Model) -> Self {
        CaseRef {
            id: row.id.clone(),
            kind: row.kind.clone(),
            owner_org_id: row.owner_org_id.clone(),
            owner_user_id: row.owner_user_id.clone(),
            state: row.status,
            status: super::views::status_of(row),
            title: row.title.clone(),
            refs: serde_json::from_str(&row.refs).unwrap_or_default(),
            latest_opinion: row.latest_opinion.clone(),
            created_at: row.created_at,
            submitted_at: row.submitted_at,
            completed_at: row.completed_at,
            flow_version: row.flow_version,
            stored_form: row.form.clone(),
            has_form: true,
        }
    }
}

/// The owner's cases of `kind` in any of `states`, newest first.
pub async fn cases_of(db: &impl ConnectionTrait, owner_org_id: &str, kind: &str, states: &[CaseState]) -> ApiResult<Vec<CaseRef>> {
    let rows = case::Entity::find()
        .filter(case::Column::OwnerOrgId.eq(owner_org_id))
        .filter(case::Column::Kind.eq(kind))
        .filter(case::Column::Status.is_in(states.iter().copied()))
        .order_by_desc(case::Column::CreatedAt)
        .order_by_desc(case::Column::Id)
        .all(db)
        .await?;
    Ok(rows.iter().map(CaseRef::from).collect())
}

/// One case by id, whatever its owner (the caller checks that it may see it).
pub async fn case_by_id(db: &impl ConnectionTrait, id: &str) -> ApiResult<Option<CaseRef>> {
    Ok(case::Entity::find_by_id(id.to_owned()).one(db).await?.as_ref().map(CaseRef::from))
}

/// The ids of all cases in any of `states`, as a subquery for a capability's own table (`… WHERE case_id IN
/// (…)`).
pub fn case_ids_in(states: &[CaseState]) -> SelectStatement {
    Query::select().column(case::Column::Id).from(case::Entity).and_where(case::Column::Status.is_in(states.iter().copied())).to_owned()
}

/// Where cases stand for an organization that reviews them (项目中心's tabs, 003 §4.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewerTab {
    /// 审核中: the organization holds an open task on the case.
    InReview,
    /// 已推荐: the organization approved at its stage and the case went on (or was decided).
    Recommended,
    /// 退回待提交: the case is back with its applicant.
    Returned,
    /// 不受理: the case was rejected.
    Rejected,
}

impl ReviewerTab {
    /// The tab a list's query names (`in_review`, `recommended`, `returned`, `rejected`).
    pub fn parse(code: &str) -> Option<ReviewerTab> {
        serde_json::from_value(Value::String(code.to_owned())).ok()
    }
}

/// The ids of the cases `org_id` holds or held a task on, in `tab` (all of them for `None`), as a subquery
/// for a capability's own table.
pub fn case_ids_reviewed_by(org_id: &str, tab: Option<ReviewerTab>) -> SelectStatement {
    use super::entity::task;
    use super::TaskState;
    let tasks = |state: Option<TaskState>| {
        let mut q = Query::select();
        q.column(task::Column::CaseId).from(task::Entity).and_where(task::Column::AssigneeOrgId.eq(org_id));
        if let Some(s) = state {
            q.and_where(task::Column::State.eq(s));
        }
        q.to_owned()
    };
    // 全部 and 审核中 are the tasks' own answer: no detour through the cases, which at a province's scale is one
    // primary-key probe per row for nothing (benches/calls.rs, docs/benchmarks.md).
    match tab {
        None => return tasks(None),
        Some(ReviewerTab::InReview) => return tasks(Some(TaskState::Open)),
        _ => {}
    }
    let mut q = Query::select();
    q.column(case::Column::Id).from(case::Entity).and_where(case::Column::Id.in_subquery(tasks(None)));
    match tab {
        None | Some(ReviewerTab::InReview) => {}
        Some(ReviewerTab::Recommended) => {
            let approved = Query::select()
                .column(task::Column::CaseId)
                .from(task::Entity)
                .and_where(task::Column::AssigneeOrgId.eq(org_id))
                .and_where(task::Column::Outcome.eq(super::TaskResult::Approved))
                .to_owned();
            q.and_where(case::Column::Id.in_subquery(approved))
                .and_where(case::Column::Id.not_in_subquery(tasks(Some(TaskState::Open))))
                .and_where(case::Column::Status.is_in([CaseState::InReview, CaseState::Approved]));
        }
        Some(ReviewerTab::Returned) => {
            q.and_where(case::Column::Status.eq(CaseState::Returned));
        }
        Some(ReviewerTab::Rejected) => {
            q.and_where(case::Column::Status.eq(CaseState::Rejected));
        }
    }
    q.to_owned()
}

/// When cases last reached `org_id` (送达时间), per group: `groups` selects pairs `(case_id, grp)` (a capability's
/// grouping, e.g. an application's call), and the answer is the newest of the organization's tasks on each
/// group's cases. One grouped join, however many groups.
pub async fn last_arrivals(db: &impl ConnectionTrait, org_id: &str, groups: SelectStatement) -> ApiResult<BTreeMap<String, DateTime<Utc>>> {
    use super::entity::task;
    use sea_orm::sea_query::{Alias, Expr, JoinType};
    let g = Alias::new("g");
    let stmt = Query::select()
        .expr_as(Expr::col((g.clone(), Alias::new("grp"))), Alias::new("grp"))
        .expr_as(Expr::col((task::Entity, task::Column::OpenedAt)).max(), Alias::new("latest"))
        .from(task::Entity)
        .join_subquery(JoinType::InnerJoin, groups, g.clone(), Expr::col((g.clone(), Alias::new("case_id"))).equals((task::Entity, task::Column::CaseId)))
        .and_where(Expr::col((task::Entity, task::Column::AssigneeOrgId)).eq(org_id))
        .group_by_col((g, Alias::new("grp")))
        .to_owned();
    let mut out = BTreeMap::new();
    for row in db.query_all_raw(db.get_database_backend().build(&stmt)).await? {
        let grp: String = row.try_get("", "grp")?;
        let latest: Option<DateTime<Utc>> = row.try_get("", "latest")?;
        if let Some(at) = latest {
            out.insert(grp, at);
        }
    }
    Ok(out)
}

/// The ids of the cases on which `org_id` has an open task that `holder` holds (待审核, narrowed to the user's
/// responsible section), as a subquery.
pub fn case_ids_held_by(org_id: &str, holder: &super::sections::Holder) -> SelectStatement {
    use super::entity::task;
    Query::select()
        .column(task::Column::CaseId)
        .from(task::Entity)
        .and_where(task::Column::AssigneeOrgId.eq(org_id))
        .and_where(task::Column::State.eq(super::TaskState::Open))
        .cond_where(holder.condition())
        .to_owned()
}

/// Several cases by id without their forms, in no particular order: for sheets that show none of the form (a
/// province's 汇总表 reads 100,000 cases, and the forms are most of their bytes). [`CaseRef::form`] of such a
/// case is an error; read [`cases_by_ids`] where the form is needed.
pub async fn case_summaries_by_ids(db: &impl ConnectionTrait, ids: Vec<String>) -> ApiResult<BTreeMap<String, CaseRef>> {
    use sea_orm::{Iterable, QuerySelect};
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<case::Model> = case::Entity::find()
            .select_only()
            .columns(case::Column::iter().filter(|c| !matches!(c, case::Column::Form | case::Column::State)))
            .expr_as(sea_orm::sea_query::Expr::val(""), "form")
            .expr_as(sea_orm::sea_query::Expr::val(""), "state")
            .filter(case::Column::Id.is_in(chunk.to_vec()))
            .into_model()
            .all(db)
            .await?;
        for row in rows {
            let mut r = CaseRef::from(&row);
            r.has_form = false;
            out.insert(row.id.clone(), r);
        }
    }
    Ok(out)
}

/// Several cases by id (a page of a capability's list), in no particular order.
pub async fn cases_by_ids(db: &impl ConnectionTrait, ids: Vec<String>) -> ApiResult<BTreeMap<String, CaseRef>> {
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for row in case::Entity::find().filter(case::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            out.insert(row.id.clone(), CaseRef::from(&row));
        }
    }
    Ok(out)
}

/// The ids of the cases whose title (the lists' 名称: the application's title with its applicant) contains
/// `text`, as a subquery.
pub fn case_ids_titled(text: &str) -> SelectStatement {
    Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .and_where(sea_orm::sea_query::Expr::col(case::Column::Title).like(crate::http::listing::contains(text)))
        .to_owned()
}
