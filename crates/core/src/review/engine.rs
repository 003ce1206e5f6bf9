//! The transition function: one action on one case, checked against the
//! case's pinned flow, giving the new case, the trail record and the task
//! changes the server writes in the same transaction.

use serde::{Deserialize, Serialize};

use super::case::{Actor, ActorKind, Case, CaseState, CaseStatus, LastAction};
use super::flow::{AssigneeRule, FlowDefinition, ReturnTarget, Stage, StageAction};

/// Longest opinion accepted, in characters. Opinions are read on the
/// timeline and printed on the exported PDF; a longer text belongs in an
/// attachment.
pub const MAX_OPINION_CHARS: usize = 2000;

const SECONDS_PER_DAY: i64 = 86_400;

/// What someone asks to do to a case. Deserializes from a request body
/// such as `{"action": "return", "opinion": "请补充合同", "to": "owner"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// 保存: the owner stores the form (the module does that); the case stays
    /// where it is. Allowed on drafts and returned cases.
    SaveDraft,
    /// 提交: a draft enters stage 1. The module validates the form first.
    Submit,
    /// 重新提交: a returned case resumes at the stage that returned it.
    Resubmit,
    /// 通过 / 推荐: opens the next stage or completes the case.
    Approve {
        #[serde(default)]
        opinion: Option<String>,
    },
    /// 不通过 / 不推荐 / 不受理: terminal; opinion required.
    Reject {
        #[serde(default)]
        opinion: Option<String>,
    },
    /// 退回 / 回退: opinion required; `to` defaults to the stage's configured
    /// target, and if given must equal it (so a client that believes it
    /// returns to the owner never silently returns to the previous stage).
    Return {
        #[serde(default)]
        opinion: Option<String>,
        #[serde(default)]
        to: Option<ReturnTarget>,
    },
    /// 撤回 by the reviewer who made the last action (a non-final approve or a
    /// return), while nobody has acted since.
    WithdrawByReviewer,
    /// 撤回 by the owner, of its last submit or resubmit, while no stage has
    /// acted since.
    WithdrawByOwner,
    /// 删除: a draft, or a returned or rejected case no stage ever approved.
    Delete,
}

/// An action without its payload: trail records, last actions, button lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    SaveDraft,
    Submit,
    Resubmit,
    Approve,
    Reject,
    Return,
    WithdrawByReviewer,
    WithdrawByOwner,
    Delete,
}

impl ActionKind {
    pub const ALL: [ActionKind; 9] = [
        ActionKind::SaveDraft,
        ActionKind::Submit,
        ActionKind::Resubmit,
        ActionKind::Approve,
        ActionKind::Reject,
        ActionKind::Return,
        ActionKind::WithdrawByReviewer,
        ActionKind::WithdrawByOwner,
        ActionKind::Delete,
    ];

    /// Stable snake_case name (as serialized).
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::SaveDraft => "save_draft",
            ActionKind::Submit => "submit",
            ActionKind::Resubmit => "resubmit",
            ActionKind::Approve => "approve",
            ActionKind::Reject => "reject",
            ActionKind::Return => "return",
            ActionKind::WithdrawByReviewer => "withdraw_by_reviewer",
            ActionKind::WithdrawByOwner => "withdraw_by_owner",
            ActionKind::Delete => "delete",
        }
    }

    /// Timeline label (保存草稿, 提交, 审核通过, 退回 …).
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::SaveDraft => "保存草稿",
            ActionKind::Submit => "提交",
            ActionKind::Resubmit => "重新提交",
            ActionKind::Approve => "审核通过",
            ActionKind::Reject => "审核不通过",
            ActionKind::Return => "退回",
            ActionKind::WithdrawByReviewer => "撤回审核",
            ActionKind::WithdrawByOwner => "撤回申请",
            ActionKind::Delete => "删除",
        }
    }

    /// The verb in "不能{verb}".
    fn verb(self) -> &'static str {
        match self {
            ActionKind::SaveDraft => "保存",
            ActionKind::Submit => "提交",
            ActionKind::Resubmit => "重新提交",
            ActionKind::Approve | ActionKind::Reject => "审核",
            ActionKind::Return => "退回",
            ActionKind::WithdrawByReviewer | ActionKind::WithdrawByOwner => "撤回",
            ActionKind::Delete => "删除",
        }
    }

    /// The configurable stage action this is, if any.
    pub fn stage_action(self) -> Option<StageAction> {
        match self {
            ActionKind::Approve => Some(StageAction::Approve),
            ActionKind::Reject => Some(StageAction::Reject),
            ActionKind::Return => Some(StageAction::Return),
            ActionKind::WithdrawByReviewer => Some(StageAction::Withdraw),
            _ => None,
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::SaveDraft => ActionKind::SaveDraft,
            Action::Submit => ActionKind::Submit,
            Action::Resubmit => ActionKind::Resubmit,
            Action::Approve { .. } => ActionKind::Approve,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Return { .. } => ActionKind::Return,
            Action::WithdrawByReviewer => ActionKind::WithdrawByReviewer,
            Action::WithdrawByOwner => ActionKind::WithdrawByOwner,
            Action::Delete => ActionKind::Delete,
        }
    }
}

/// One append-only trail record (办理记录): exactly one per successful action.
/// The server adds the case id, attachments and the user's display role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailRecord {
    /// The case's round after the action (a submit or resubmit starts a new one).
    pub round: u32,
    /// The stage concerned: the acting stage for reviewer actions and
    /// withdraws, the stage entered for submit/resubmit, the stage left for an
    /// owner's withdraw, none for save and delete.
    pub stage: Option<usize>,
    pub action: ActionKind,
    /// Where a return went.
    pub return_to: Option<ReturnTarget>,
    pub actor: Actor,
    /// Trimmed; `None` when none was given.
    pub opinion: Option<String>,
    pub before: CaseStatus,
    pub after: CaseStatus,
    /// Unix seconds, the server's clock.
    pub at: i64,
    /// The system actor's reason code (`auto_advance` …); `None` for people.
    pub reason: Option<String>,
}

/// Why a task closed; feeds the reviewer's counts (待审核 / 已推荐).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskOutcome {
    Approved,
    Rejected,
    Returned,
    /// The work went away unanswered: the owner withdrew the submission, or
    /// the previous stage withdrew its approve or 回退.
    Cancelled,
}

/// A change to the to-do tasks. At most one task is open per case at any
/// time, for the stage the case waits at; closes come before opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TaskChange {
    /// Open (or reopen: the server may reuse the stage's earlier task and its
    /// resolved assignee) the task of `stage`, assigned by `assignee`, due at
    /// `due_at` (unix seconds; calendar days from now) if the stage has a deadline.
    Open {
        stage: usize,
        assignee: AssigneeRule,
        due_at: Option<i64>,
    },
    /// Close the open task of `stage`.
    Close { stage: usize, outcome: TaskOutcome },
}

/// What a successful action produces; the server writes all of it in one
/// transaction (`UPDATE case … WHERE version = expected`, insert the trail
/// record, apply the task changes, and run the module's completion hook if
/// `completed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The new case; its version is the old one plus one.
    pub case: Case,
    pub trail: TrailRecord,
    pub tasks: Vec<TaskChange>,
    /// The last stage approved: fire the module's completion hook (the
    /// product enters the pools, the filing number is issued …).
    pub completed: bool,
}

/// Why an action was refused. The case is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// Someone changed the case since the caller read it (HTTP 409).
    #[error("该事项已被他人处理，请刷新后重试")]
    VersionConflict { expected: u64, actual: u64 },
    #[error("该事项{}，不能再办理", closed_phrase(*.status))]
    Closed { status: CaseStatus },
    #[error("当前状态为“{}”，不能{}", .status.label(), .action.verb())]
    InvalidState {
        action: ActionKind,
        status: CaseStatus,
    },
    #[error("只有申请单位可以办理此操作")]
    NotOwner,
    #[error("只有当前环节的审核人可以办理此操作")]
    NotReviewer,
    /// The actor's stage is not the case's current stage (or the case moved
    /// on after the actor's own action: a repeated approve lands here).
    #[error("该事项当前不在您的审核环节，请刷新后查看")]
    WrongStage { current: usize },
    #[error("“{stage}”环节不能{}", .action.label())]
    ActionNotAllowed { stage: String, action: StageAction },
    #[error("请填写审核意见（{}时必须填写）", .action.label())]
    OpinionRequired { action: StageAction },
    #[error("审核意见不能超过{max}个字，当前为{chars}个字")]
    OpinionTooLong { max: usize, chars: usize },
    #[error("“{stage}”环节只能退回{}", .allowed.label())]
    ReturnTarget {
        stage: String,
        allowed: ReturnTarget,
    },
    #[error("没有可撤回的操作")]
    NothingToWithdraw,
    #[error("下一环节已处理，无法撤回")]
    WithdrawTooLate,
    #[error("只有该操作的办理人本人可以撤回")]
    NotLastActor,
    #[error("审核单位已开始处理，无法撤回")]
    OwnerWithdrawTooLate,
    #[error("该事项已有审核环节通过，不能删除")]
    DeleteOnceApproved,
    /// The case points at a stage the given flow does not have: the server
    /// passed a flow other than the case's pinned version.
    #[error("该事项的审核环节与流程定义不一致，请联系管理员")]
    FlowMismatch { stage: usize, stages: usize },
}

fn closed_phrase(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Approved => "已审核通过",
        CaseStatus::Rejected => "审核不通过",
        CaseStatus::Deleted => "已删除",
        _ => "已办结",
    }
}

impl ReviewError {
    pub fn code(&self) -> &'static str {
        match self {
            ReviewError::VersionConflict { .. } => "review_version_conflict",
            ReviewError::Closed { .. } => "review_case_closed",
            ReviewError::InvalidState { .. } => "review_invalid_state",
            ReviewError::NotOwner => "review_not_owner",
            ReviewError::NotReviewer => "review_not_reviewer",
            ReviewError::WrongStage { .. } => "review_wrong_stage",
            ReviewError::ActionNotAllowed { .. } => "review_action_not_allowed",
            ReviewError::OpinionRequired { .. } => "review_opinion_required",
            ReviewError::OpinionTooLong { .. } => "review_opinion_too_long",
            ReviewError::ReturnTarget { .. } => "review_return_target",
            ReviewError::NothingToWithdraw => "review_nothing_to_withdraw",
            ReviewError::WithdrawTooLate => "review_withdraw_too_late",
            ReviewError::NotLastActor => "review_withdraw_not_actor",
            ReviewError::OwnerWithdrawTooLate => "review_owner_withdraw_too_late",
            ReviewError::DeleteOnceApproved => "review_delete_approved",
            ReviewError::FlowMismatch { .. } => "review_flow_mismatch",
        }
    }

    /// The request field the error is about, for the form to highlight.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ReviewError::OpinionRequired { .. } | ReviewError::OpinionTooLong { .. } => {
                Some("opinion")
            }
            ReviewError::ReturnTarget { .. } => Some("to"),
            _ => None,
        }
    }
}

/// The pieces of a successful action, assembled into a [`Transition`].
struct Outcome {
    stage: Option<usize>,
    state: CaseState,
    round: u32,
    restores: Option<CaseState>,
    opinion: Option<String>,
    return_to: Option<ReturnTarget>,
    tasks: Vec<TaskChange>,
    completed: bool,
}

impl Outcome {
    fn plain(stage: Option<usize>, state: CaseState, round: u32) -> Outcome {
        Outcome {
            stage,
            state,
            round,
            restores: None,
            opinion: None,
            return_to: None,
            tasks: Vec::new(),
            completed: false,
        }
    }
}

/// Applies `action` by `actor` to `case` under its pinned `flow`.
///
/// `expected_version` is the version the caller read; a different one means
/// someone acted in between ([`ReviewError::VersionConflict`], checked first).
/// `now` is the server's clock in unix seconds. Pure: the same inputs always
/// give the same result, so the server can retry a transaction safely.
///
/// A repeated request on the new version fails instead of acting twice:
/// after an approve the case has left the actor's stage, a second submit finds
/// the case in review, a second withdraw finds nothing to withdraw. Saving a
/// draft twice is allowed (it changes nothing in the review).
pub fn apply(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    action: Action,
    expected_version: u64,
    now: i64,
) -> Result<Transition, ReviewError> {
    if expected_version != case.version() {
        return Err(ReviewError::VersionConflict {
            expected: expected_version,
            actual: case.version(),
        });
    }
    let status = case.status();
    check_stage_in_flow(flow, status)?;
    let kind = action.kind();
    let deletes_rejected = kind == ActionKind::Delete && status == CaseStatus::Rejected;
    if status.is_terminal() && !deletes_rejected {
        return Err(ReviewError::Closed { status });
    }

    let outcome = match action {
        Action::SaveDraft => save_draft(case, actor)?,
        Action::Submit => submit(flow, case, actor, now)?,
        Action::Resubmit => resubmit(flow, case, actor, now)?,
        Action::Approve { opinion } => approve(flow, case, actor, opinion, now)?,
        Action::Reject { opinion } => reject(flow, case, actor, opinion)?,
        Action::Return { opinion, to } => return_case(flow, case, actor, opinion, to, now)?,
        Action::WithdrawByReviewer => withdraw_by_reviewer(flow, case, actor, now)?,
        Action::WithdrawByOwner => withdraw_by_owner(flow, case, actor)?,
        Action::Delete => delete(case, actor)?,
    };

    let reason = match &actor.kind {
        ActorKind::System { reason, .. } => Some(reason.clone()),
        _ => None,
    };
    let trail = TrailRecord {
        round: outcome.round,
        stage: outcome.stage,
        action: kind,
        return_to: outcome.return_to,
        actor: actor.clone(),
        opinion: outcome.opinion,
        before: status,
        after: outcome.state.status(),
        at: now,
        reason,
    };
    let last = LastAction::new(kind, actor.clone(), outcome.stage, now, outcome.restores);
    Ok(Transition {
        case: case.next(outcome.state, outcome.round, last),
        trail,
        tasks: outcome.tasks,
        completed: outcome.completed,
    })
}

/// Approves each case with the same opinion (批量推荐 / 批量提交). Each item
/// succeeds or fails on its own, in input order; the server writes each
/// success in its own transaction (or one, all-or-nothing per item).
pub fn batch_approve(
    flow: &FlowDefinition,
    cases: &[(Case, u64)],
    actor: &Actor,
    opinion: Option<&str>,
    now: i64,
) -> Vec<Result<Transition, ReviewError>> {
    cases
        .iter()
        .map(|(case, expected)| {
            let action = Action::Approve {
                opinion: opinion.map(str::to_owned),
            };
            apply(flow, case, actor, action, *expected, now)
        })
        .collect()
}

/// The actions `actor` could take on `case` now (for buttons such as
/// 继续填写 / 重新提交 / 删除 / 撤回), decided by the same rules as [`apply`]
/// with an opinion supplied.
pub fn available_actions(flow: &FlowDefinition, case: &Case, actor: &Actor) -> Vec<ActionKind> {
    let opinion = || Some("意见".to_owned());
    ActionKind::ALL
        .into_iter()
        .filter(|kind| {
            let action = match kind {
                ActionKind::SaveDraft => Action::SaveDraft,
                ActionKind::Submit => Action::Submit,
                ActionKind::Resubmit => Action::Resubmit,
                ActionKind::Approve => Action::Approve { opinion: opinion() },
                ActionKind::Reject => Action::Reject { opinion: opinion() },
                ActionKind::Return => Action::Return {
                    opinion: opinion(),
                    to: None,
                },
                ActionKind::WithdrawByReviewer => Action::WithdrawByReviewer,
                ActionKind::WithdrawByOwner => Action::WithdrawByOwner,
                ActionKind::Delete => Action::Delete,
            };
            apply(flow, case, actor, action, case.version(), 0).is_ok()
        })
        .collect()
}

fn check_stage_in_flow(flow: &FlowDefinition, status: CaseStatus) -> Result<(), ReviewError> {
    match status.stage() {
        Some(stage) if stage >= flow.len() => Err(ReviewError::FlowMismatch {
            stage,
            stages: flow.len(),
        }),
        _ => Ok(()),
    }
}

fn open(flow: &FlowDefinition, stage: usize, now: i64) -> TaskChange {
    let s = &flow.stages()[stage];
    TaskChange::Open {
        stage,
        assignee: s.assignee().clone(),
        due_at: s
            .deadline_days()
            .map(|days| now.saturating_add(i64::from(days) * SECONDS_PER_DAY)),
    }
}

fn require_owner(case: &Case, actor: &Actor) -> Result<(), ReviewError> {
    if actor.kind == ActorKind::Owner && actor.organization_id == case.owner() {
        Ok(())
    } else {
        Err(ReviewError::NotOwner)
    }
}

/// Checks a stage decision (approve / reject / return) and returns the
/// stage index and its definition.
fn require_reviewer<'f>(
    flow: &'f FlowDefinition,
    case: &Case,
    actor: &Actor,
    action: StageAction,
    kind: ActionKind,
) -> Result<(usize, &'f Stage), ReviewError> {
    let Some(acting) = actor.stage() else {
        return Err(ReviewError::NotReviewer);
    };
    let status = case.status();
    let CaseStatus::InReview { stage } = status else {
        return Err(ReviewError::InvalidState {
            action: kind,
            status,
        });
    };
    if acting != stage {
        return Err(ReviewError::WrongStage { current: stage });
    }
    let definition = &flow.stages()[stage];
    if !definition.allows(action) {
        return Err(ReviewError::ActionNotAllowed {
            stage: definition.name().to_owned(),
            action,
        });
    }
    Ok((stage, definition))
}

fn opinion(
    stage: &Stage,
    action: StageAction,
    raw: Option<String>,
) -> Result<Option<String>, ReviewError> {
    let text = raw.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some(text) = &text {
        let chars = text.chars().count();
        if chars > MAX_OPINION_CHARS {
            return Err(ReviewError::OpinionTooLong {
                max: MAX_OPINION_CHARS,
                chars,
            });
        }
    }
    if text.is_none() && stage.opinion_required(action) {
        return Err(ReviewError::OpinionRequired { action });
    }
    Ok(text)
}

fn save_draft(case: &Case, actor: &Actor) -> Result<Outcome, ReviewError> {
    require_owner(case, actor)?;
    let status = case.status();
    if !status.is_editable() {
        return Err(ReviewError::InvalidState {
            action: ActionKind::SaveDraft,
            status,
        });
    }
    Ok(Outcome::plain(None, *case.state(), case.round()))
}

fn submit(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    now: i64,
) -> Result<Outcome, ReviewError> {
    require_owner(case, actor)?;
    if case.status() != CaseStatus::Draft {
        return Err(ReviewError::InvalidState {
            action: ActionKind::Submit,
            status: case.status(),
        });
    }
    enter(flow, case, 0, now)
}

fn resubmit(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    now: i64,
) -> Result<Outcome, ReviewError> {
    require_owner(case, actor)?;
    let CaseStatus::Returned { from_stage } = case.status() else {
        return Err(ReviewError::InvalidState {
            action: ActionKind::Resubmit,
            status: case.status(),
        });
    };
    // 002: "重新提交后直接进入驳回时流程节点".
    enter(flow, case, from_stage, now)
}

/// A (re)submission: a new round, waiting at `stage`.
fn enter(
    flow: &FlowDefinition,
    case: &Case,
    stage: usize,
    now: i64,
) -> Result<Outcome, ReviewError> {
    let state = CaseState::new(CaseStatus::InReview { stage }, case.state().ever_approved());
    let mut outcome = Outcome::plain(Some(stage), state, case.round().saturating_add(1));
    outcome.restores = Some(*case.state());
    outcome.tasks = vec![open(flow, stage, now)];
    Ok(outcome)
}

fn approve(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    raw_opinion: Option<String>,
    now: i64,
) -> Result<Outcome, ReviewError> {
    let (stage, definition) =
        require_reviewer(flow, case, actor, StageAction::Approve, ActionKind::Approve)?;
    let opinion = opinion(definition, StageAction::Approve, raw_opinion)?;
    let close = TaskChange::Close {
        stage,
        outcome: TaskOutcome::Approved,
    };
    let last = stage + 1 == flow.len();
    let mut outcome = if last {
        let mut o = Outcome::plain(
            Some(stage),
            CaseState::new(CaseStatus::Approved, true),
            case.round(),
        );
        o.tasks = vec![close];
        o.completed = true;
        o
    } else {
        let next = stage + 1;
        let mut o = Outcome::plain(
            Some(stage),
            CaseState::new(CaseStatus::InReview { stage: next }, true),
            case.round(),
        );
        o.tasks = vec![close, open(flow, next, now)];
        o.restores = Some(*case.state());
        o
    };
    outcome.opinion = opinion;
    Ok(outcome)
}

fn reject(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    raw_opinion: Option<String>,
) -> Result<Outcome, ReviewError> {
    let (stage, definition) =
        require_reviewer(flow, case, actor, StageAction::Reject, ActionKind::Reject)?;
    let opinion = opinion(definition, StageAction::Reject, raw_opinion)?;
    let state = CaseState::new(CaseStatus::Rejected, case.state().ever_approved());
    let mut outcome = Outcome::plain(Some(stage), state, case.round());
    outcome.opinion = opinion;
    outcome.tasks = vec![TaskChange::Close {
        stage,
        outcome: TaskOutcome::Rejected,
    }];
    Ok(outcome)
}

fn return_case(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    raw_opinion: Option<String>,
    to: Option<ReturnTarget>,
    now: i64,
) -> Result<Outcome, ReviewError> {
    let (stage, definition) =
        require_reviewer(flow, case, actor, StageAction::Return, ActionKind::Return)?;
    let allowed = definition.return_to();
    if to.is_some_and(|to| to != allowed) {
        return Err(ReviewError::ReturnTarget {
            stage: definition.name().to_owned(),
            allowed,
        });
    }
    let opinion = opinion(definition, StageAction::Return, raw_opinion)?;
    let ever_approved = case.state().ever_approved();
    let close = TaskChange::Close {
        stage,
        outcome: TaskOutcome::Returned,
    };
    let (status, tasks) = match allowed {
        ReturnTarget::Owner => (CaseStatus::Returned { from_stage: stage }, vec![close]),
        // The flow guarantees stage ≥ 1 here.
        ReturnTarget::PreviousStage => (
            CaseStatus::InReview { stage: stage - 1 },
            vec![close, open(flow, stage - 1, now)],
        ),
    };
    let mut outcome = Outcome::plain(
        Some(stage),
        CaseState::new(status, ever_approved),
        case.round(),
    );
    outcome.restores = Some(*case.state());
    outcome.opinion = opinion;
    outcome.return_to = Some(allowed);
    outcome.tasks = tasks;
    Ok(outcome)
}

/// Closes the task of the state being left and opens the task of the state
/// being restored.
fn undo_tasks(
    flow: &FlowDefinition,
    from: CaseStatus,
    to: CaseStatus,
    now: i64,
) -> Vec<TaskChange> {
    let mut tasks = Vec::new();
    if let CaseStatus::InReview { stage } = from {
        tasks.push(TaskChange::Close {
            stage,
            outcome: TaskOutcome::Cancelled,
        });
    }
    if let CaseStatus::InReview { stage } = to {
        tasks.push(open(flow, stage, now));
    }
    tasks
}

fn withdraw_by_reviewer(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
    now: i64,
) -> Result<Outcome, ReviewError> {
    let ActorKind::Reviewer { stage: acting } = actor.kind else {
        return Err(ReviewError::NotReviewer);
    };
    let Some(last) = case.last_action() else {
        return Err(ReviewError::NothingToWithdraw);
    };
    if last.actor.kind != actor.kind {
        // Someone else acted last: the next stage (or the owner) has handled
        // the case since, unless it is still waiting for this very stage.
        return Err(
            if case.status() == (CaseStatus::InReview { stage: acting }) {
                ReviewError::NothingToWithdraw
            } else {
                ReviewError::WithdrawTooLate
            },
        );
    }
    if last.actor.user_id != actor.user_id {
        return Err(ReviewError::NotLastActor);
    }
    let Some(restores) = last.restores().copied() else {
        return Err(ReviewError::NothingToWithdraw);
    };
    let Some(definition) = flow.stage(acting) else {
        return Err(ReviewError::FlowMismatch {
            stage: acting,
            stages: flow.len(),
        });
    };
    if !definition.allows(StageAction::Withdraw) {
        return Err(ReviewError::ActionNotAllowed {
            stage: definition.name().to_owned(),
            action: StageAction::Withdraw,
        });
    }
    check_stage_in_flow(flow, restores.status())?;
    let mut outcome = Outcome::plain(Some(acting), restores, case.round());
    outcome.tasks = undo_tasks(flow, case.status(), restores.status(), now);
    Ok(outcome)
}

fn withdraw_by_owner(
    flow: &FlowDefinition,
    case: &Case,
    actor: &Actor,
) -> Result<Outcome, ReviewError> {
    require_owner(case, actor)?;
    let status = case.status();
    let CaseStatus::InReview { stage } = status else {
        return Err(ReviewError::InvalidState {
            action: ActionKind::WithdrawByOwner,
            status,
        });
    };
    let restores = case
        .last_action()
        .filter(|last| matches!(last.action, ActionKind::Submit | ActionKind::Resubmit))
        .and_then(|last| last.restores().copied())
        .ok_or(ReviewError::OwnerWithdrawTooLate)?;
    check_stage_in_flow(flow, restores.status())?;
    let mut outcome = Outcome::plain(Some(stage), restores, case.round());
    outcome.tasks = vec![TaskChange::Close {
        stage,
        outcome: TaskOutcome::Cancelled,
    }];
    Ok(outcome)
}

fn delete(case: &Case, actor: &Actor) -> Result<Outcome, ReviewError> {
    require_owner(case, actor)?;
    let status = case.status();
    if !matches!(
        status,
        CaseStatus::Draft | CaseStatus::Returned { .. } | CaseStatus::Rejected
    ) {
        return Err(ReviewError::InvalidState {
            action: ActionKind::Delete,
            status,
        });
    }
    if case.state().ever_approved() {
        return Err(ReviewError::DeleteOnceApproved);
    }
    Ok(Outcome::plain(
        None,
        CaseState::new(CaseStatus::Deleted, false),
        case.round(),
    ))
}
