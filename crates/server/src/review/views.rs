//! What clients see of a case: the list row, the detail with its progress (审核进度), trail and rounds,
//! and the diff between two rounds' forms.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use shuzhuan_core::review::{ActionKind, CaseStatus, StageAction};
use utoipa::ToSchema;

use super::engine::{self, Loaded, Standing};
use super::entity::{case, round, task, trail};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::review::{ActionCode, CaseState, StageProgress, TaskState};
use crate::state::AppState;

/// One labelled row of a form, its value already formatted as text.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldRow {
    pub key: String,
    pub label: String,
    pub value: String,
}

impl FieldRow {
    pub fn new(key: &str, label: &str, value: impl Into<String>) -> Self {
        FieldRow { key: key.into(), label: label.into(), value: value.into() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileRef {
    pub id: String,
    pub name: String,
    pub size: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub status: CaseState,
    /// 未提交 / 审核中 / 已退回 / 审核通过 / 不通过.
    pub status_label: String,
    pub stage_name: Option<String>,
    pub latest_opinion: Option<String>,
    pub latest_org_name: Option<String>,
    /// Kind-specific short text: the lead unit of a provider application, a product's business areas.
    pub note: Option<String>,
    pub submitted_at: Option<crate::time::ApiTime>,
    pub updated_at: crate::time::ApiTime,
    pub version: i64,
    /// The actions the caller may take now.
    pub actions: Vec<ActionCode>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressStage {
    pub index: usize,
    pub name: String,
    pub org_name: Option<String>,
    pub state: StageProgress,
    /// 已通过 / 审核中 / 驳回 / 不通过 / 待审核.
    pub state_label: String,
    pub at: Option<crate::time::ApiTime>,
    pub opinion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrailEntry {
    pub id: i64,
    pub round: i32,
    pub stage_name: Option<String>,
    pub action: String,
    pub action_label: String,
    pub actor_name: String,
    pub org_name: String,
    pub role_label: Option<String>,
    pub opinion: Option<String>,
    pub status_before: String,
    pub status_after: String,
    pub at: crate::time::ApiTime,
    pub attachments: Vec<FileRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundRef {
    pub round: i32,
    pub submitted_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    pub id: String,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub status: CaseState,
    pub status_label: String,
    pub stage_index: Option<usize>,
    pub stage_name: Option<String>,
    pub version: i64,
    pub round: i32,
    pub owner_org_name: String,
    pub submitted_at: Option<crate::time::ApiTime>,
    /// The form as stored (personal data decrypted), for the owner's edit form.
    #[schema(value_type = Object)]
    pub form: serde_json::Value,
    pub fields: Vec<FieldRow>,
    pub attachments: Vec<FileRef>,
    pub progress: Vec<ProgressStage>,
    pub trail: Vec<TrailEntry>,
    pub rounds: Vec<RoundRef>,
    pub actions: Vec<ActionCode>,
    /// Actions of the current stage that need an opinion (reject and return always do).
    pub opinion_required: Vec<ActionCode>,
    /// Where a return goes at the current stage: `owner` or `previous_stage`.
    pub return_to: Option<String>,
    pub due_at: Option<crate::time::ApiTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    pub key: String,
    pub label: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDiff {
    pub from_round: i32,
    pub to_round: i32,
    pub changes: Vec<FieldChange>,
}

pub fn status_of(row: &case::Model) -> CaseStatus {
    match (row.status, row.stage) {
        (CaseState::InReview, Some(s)) => CaseStatus::InReview { stage: s as usize },
        (CaseState::Returned, Some(s)) => CaseStatus::Returned { from_stage: s as usize },
        (CaseState::Approved, _) => CaseStatus::Approved,
        (CaseState::Rejected, _) => CaseStatus::Rejected,
        (CaseState::Deleted, _) => CaseStatus::Deleted,
        _ => CaseStatus::Draft,
    }
}

fn codes(actions: &[ActionKind]) -> Vec<ActionCode> {
    let mut out: Vec<ActionCode> = actions.iter().map(|a| ActionCode::from(*a)).collect();
    out.dedup();
    out
}

pub fn summary(l: &Loaded, actions: &[ActionKind]) -> CaseSummary {
    let status = l.case.status();
    let row = &l.row;
    CaseSummary {
        id: row.id.clone(),
        kind: row.kind.clone(),
        kind_name: l.flow.name().to_owned(),
        title: row.title.clone(),
        status: status.into(),
        status_label: status.label().into(),
        stage_name: status.stage().and_then(|s| l.flow.stage(s)).map(|s| s.name().to_owned()),
        latest_opinion: row.latest_opinion.clone(),
        latest_org_name: row.latest_org_name.clone(),
        note: serde_json::from_str(&row.form).ok().and_then(|f| l.kind.list_note(&f)),
        submitted_at: row.submitted_at.map(crate::time::api),
        updated_at: crate::time::api(row.updated_at),
        version: row.version,
        actions: codes(actions),
    }
}

pub async fn files(db: &impl ConnectionTrait, ids: &[String]) -> ApiResult<Vec<FileRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = crate::files::entity::Entity::find().filter(crate::files::entity::Column::Id.is_in(ids.to_vec())).all(db).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|f| &f.id == id))
        .map(|f| FileRef { id: f.id.clone(), name: f.original_name.clone(), size: f.size_bytes })
        .collect())
}

fn action_label(code: &str) -> String {
    if code == super::reminders::REMIND {
        return "超时提醒".into();
    }
    ActionKind::ALL.iter().find(|a| a.code() == code).map(|a| a.label().to_owned()).unwrap_or_else(|| code.to_owned())
}

fn status_label(state: CaseState) -> String {
    match state {
        CaseState::Draft => "未提交",
        CaseState::InReview => "审核中",
        CaseState::Returned => "已退回",
        CaseState::Approved => "审核通过",
        CaseState::Rejected => "不通过",
        CaseState::Deleted => "已删除",
    }
    .to_owned()
}

/// Personal data (a kind's encrypted fields) as another organization sees it: masked (`135****1111`). The
/// applicant sees its own form in full (it edits it); a reviewer who needs a number reveals it with
/// `GET /api/review/cases/{id}/personal-data`, which is audited.
pub fn mask_personal(kind: &dyn super::CaseKind, form: &mut serde_json::Value) {
    for key in kind.encrypted_fields() {
        if let Some(serde_json::Value::String(v)) = form.get_mut(*key) {
            *v = crate::crypto::mask_phone(v);
        }
    }
}

pub async fn detail(state: &AppState, user: &CurrentUser, l: &Loaded, s: &Standing) -> ApiResult<CaseDetail> {
    let db = &state.db;
    let status = l.case.status();
    let mut form = engine::decrypted_form(state, l)?;
    if user.organization.id != l.row.owner_org_id {
        mask_personal(l.kind, &mut form);
    }
    let owner_org_name =
        crate::directory::org::Entity::find_by_id(l.row.owner_org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    let trail_rows = trail::Entity::find().filter(trail::Column::CaseId.eq(l.row.id.clone())).order_by_asc(trail::Column::Id).all(db).await?;
    let tasks = task::Entity::find().filter(task::Column::CaseId.eq(l.row.id.clone())).order_by_asc(task::Column::OpenedAt).all(db).await?;
    let org_ids: Vec<String> = tasks.iter().map(|t| t.assignee_org_id.clone()).collect();
    let org_names: HashMap<String, String> = if org_ids.is_empty() {
        HashMap::new()
    } else {
        crate::directory::org::Entity::find()
            .filter(crate::directory::org::Column::Id.is_in(org_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    };

    // 审核进度: one row per stage of the pinned flow.
    let rejected_at = trail_rows.iter().rev().find(|r| r.action == "reject").and_then(|r| r.stage);
    let mut progress = Vec::new();
    for (i, stage) in l.flow.stages().iter().enumerate() {
        let last_task = tasks.iter().rev().find(|t| t.stage as usize == i);
        let last_decision = trail_rows
            .iter()
            .rev()
            .find(|r| r.stage == Some(i as i32) && matches!(r.action.as_str(), "approve" | "reject" | "return"));
        let state = match status {
            CaseStatus::InReview { stage: s } if i < s => StageProgress::Done,
            CaseStatus::InReview { stage: s } if i == s => StageProgress::Current,
            CaseStatus::Returned { from_stage } if i < from_stage => StageProgress::Done,
            CaseStatus::Returned { from_stage } if i == from_stage => StageProgress::Returned,
            CaseStatus::Approved => StageProgress::Done,
            CaseStatus::Rejected => match rejected_at {
                Some(r) if (i as i32) < r => StageProgress::Done,
                Some(r) if i as i32 == r => StageProgress::Rejected,
                _ => StageProgress::Pending,
            },
            _ => StageProgress::Pending,
        };
        let label = match state {
            StageProgress::Done => "已通过",
            StageProgress::Current => "审核中",
            StageProgress::Returned => "驳回",
            StageProgress::Rejected => "不通过",
            StageProgress::Pending => "待审核",
        };
        let shows_decision = matches!(state, StageProgress::Done | StageProgress::Returned | StageProgress::Rejected);
        progress.push(ProgressStage {
            index: i,
            name: stage.name().to_owned(),
            org_name: last_task.and_then(|t| org_names.get(&t.assignee_org_id).cloned()),
            state,
            state_label: label.into(),
            at: if shows_decision { last_decision.map(|r| crate::time::api(r.at)) } else { last_task.map(|t| crate::time::api(t.opened_at)) },
            opinion: if shows_decision { last_decision.and_then(|r| r.opinion.clone()) } else { None },
        });
    }

    let mut trail = Vec::with_capacity(trail_rows.len());
    for r in &trail_rows {
        let ids: Vec<String> = serde_json::from_str(&r.attachments).unwrap_or_default();
        trail.push(TrailEntry {
            id: r.id,
            round: r.round,
            stage_name: r.stage_name.clone(),
            action_label: action_label(&r.action),
            action: r.action.clone(),
            actor_name: r.actor_name.clone(),
            org_name: r.actor_org_name.clone(),
            role_label: r.actor_role.clone(),
            opinion: r.opinion.clone(),
            status_before: status_label(r.status_before),
            status_after: status_label(r.status_after),
            at: crate::time::api(r.at),
            attachments: files(db, &ids).await?,
        });
    }
    let rounds = round::Entity::find()
        .filter(round::Column::CaseId.eq(l.row.id.clone()))
        .order_by_asc(round::Column::Round)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RoundRef { round: r.round, submitted_at: crate::time::api(r.submitted_at) })
        .collect();
    let current_stage = status.stage().and_then(|i| l.flow.stage(i));
    let opinion_required = match (status, current_stage) {
        (CaseStatus::InReview { .. }, Some(stage)) => [StageAction::Approve, StageAction::Reject, StageAction::Return]
            .into_iter()
            .filter(|a| stage.allows(*a) && stage.opinion_required(*a))
            .map(|a| match a {
                StageAction::Approve => ActionCode::Approve,
                StageAction::Reject => ActionCode::Reject,
                _ => ActionCode::Return,
            })
            .collect(),
        _ => Vec::new(),
    };
    let due_at = match status {
        CaseStatus::InReview { stage } => tasks.iter().rev().find(|t| t.stage as usize == stage && t.state == TaskState::Open).and_then(|t| t.due_at),
        _ => None,
    };
    let actions = engine::available(user, l, s);
    l.kind.prepare(db, &form).await?;
    Ok(CaseDetail {
        id: l.row.id.clone(),
        kind: l.row.kind.clone(),
        kind_name: l.flow.name().to_owned(),
        title: l.row.title.clone(),
        status: status.into(),
        status_label: status.label().into(),
        stage_index: status.stage(),
        stage_name: current_stage.map(|s| s.name().to_owned()),
        version: l.row.version,
        round: l.row.round,
        owner_org_name,
        submitted_at: l.row.submitted_at.map(crate::time::api),
        fields: l.kind.fields(&form),
        attachments: files(db, &l.kind.attachments(&form)).await?,
        form,
        progress,
        trail,
        rounds,
        actions: codes(&actions),
        opinion_required,
        return_to: current_stage.map(|s| serde_json::to_value(s.return_to()).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
        due_at: due_at.map(crate::time::api),
    })
}

/// What changed between two submissions, field by field, as the reviewer sees the form.
pub async fn diff(state: &AppState, l: &Loaded, from: Option<i32>, to: Option<i32>) -> ApiResult<RoundDiff> {
    let rounds = round::Entity::find().filter(round::Column::CaseId.eq(l.row.id.clone())).order_by_asc(round::Column::Round).all(&state.db).await?;
    let n = rounds.len();
    let to_round = to.or_else(|| rounds.last().map(|r| r.round)).ok_or_else(|| ApiError::NotFound("该事项尚未提交".into()))?;
    let from_round = from.or_else(|| (n >= 2).then(|| rounds[n - 2].round)).ok_or_else(|| ApiError::NotFound("该事项只提交过一次，没有可比较的轮次".into()))?;
    let find = |r: i32| rounds.iter().find(|x| x.round == r).ok_or_else(|| ApiError::NotFound(format!("第{r}轮提交不存在")));
    // Masked for everyone: the comparison is the reviewer's view, and a changed number still shows as changed.
    let masked = |stored: &str| -> ApiResult<Vec<FieldRow>> {
        let mut form = engine::decrypt_form(state, l.kind, stored)?;
        mask_personal(l.kind, &mut form);
        Ok(l.kind.fields(&form))
    };
    // Rounds of one case share its pinned form version: preparing one prepares both.
    l.kind.prepare(&state.db, &engine::decrypt_form(state, l.kind, &find(to_round)?.form)?).await?;
    let before = masked(&find(from_round)?.form)?;
    let after = masked(&find(to_round)?.form)?;
    Ok(RoundDiff { from_round, to_round, changes: changes(&before, &after) })
}

/// Rows whose value differs, in the order of the newer form; rows only in one side count as changed.
pub fn changes(before: &[FieldRow], after: &[FieldRow]) -> Vec<FieldChange> {
    let old: BTreeMap<&str, &FieldRow> = before.iter().map(|r| (r.key.as_str(), r)).collect();
    let new_keys: Vec<&str> = after.iter().map(|r| r.key.as_str()).collect();
    let mut out: Vec<FieldChange> = after
        .iter()
        .filter(|r| old.get(r.key.as_str()).is_none_or(|o| o.value != r.value))
        .map(|r| FieldChange {
            key: r.key.clone(),
            label: r.label.clone(),
            before: old.get(r.key.as_str()).map(|o| o.value.clone()).unwrap_or_default(),
            after: r.value.clone(),
        })
        .collect();
    out.extend(before.iter().filter(|r| !new_keys.contains(&r.key.as_str())).map(|r| FieldChange {
        key: r.key.clone(),
        label: r.label.clone(),
        before: r.value.clone(),
        after: String::new(),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_lists_changed_added_and_removed_rows() {
        let before = vec![FieldRow::new("a", "甲", "1"), FieldRow::new("b", "乙", "2"), FieldRow::new("c", "丙", "3")];
        let after = vec![FieldRow::new("a", "甲", "1"), FieldRow::new("b", "乙", "20"), FieldRow::new("d", "丁", "4")];
        let c = changes(&before, &after);
        let keys: Vec<_> = c.iter().map(|c| (c.key.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(keys, vec![("b", "2", "20"), ("d", "", "4"), ("c", "3", "")]);
        assert!(changes(&after, &after).is_empty());
    }
}
