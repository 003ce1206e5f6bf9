//! The engine's statuses as types, end to end: stored as short strings (`review_cases.status`,
//! `review_tasks.state` / `outcome`), sent as OpenAPI string enums (the web gets TypeScript unions generated
//! from them), and matched in Rust as enums, so a typo is a compile error rather than an empty list.
//!
//! The core's [`CaseStatus`] carries the stage a case waits at; [`CaseState`] is its queryable code, the
//! column the lists filter on.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use shuzhuan_core::review::{ActionKind, CaseStatus, TaskOutcome};
use utoipa::ToSchema;

/// Where a case is: 未提交 / 审核中 / 已退回 / 审核通过 / 不通过 / 已删除.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Draft,
    InReview,
    Returned,
    Approved,
    Rejected,
    Deleted,
}

impl CaseState {
    /// Not yet decided: the owner or a reviewer still has something to do.
    pub const OPEN: [CaseState; 3] = [CaseState::Draft, CaseState::InReview, CaseState::Returned];

    pub fn parse(code: &str) -> Option<Self> {
        <Self as sea_orm::Iterable>::iter().find(|s| s.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            CaseState::Draft => "draft",
            CaseState::InReview => "in_review",
            CaseState::Returned => "returned",
            CaseState::Approved => "approved",
            CaseState::Rejected => "rejected",
            CaseState::Deleted => "deleted",
        }
    }
}

impl From<CaseStatus> for CaseState {
    fn from(s: CaseStatus) -> Self {
        match s {
            CaseStatus::Draft => CaseState::Draft,
            CaseStatus::InReview { .. } => CaseState::InReview,
            CaseStatus::Returned { .. } => CaseState::Returned,
            CaseStatus::Approved => CaseState::Approved,
            CaseStatus::Rejected => CaseState::Rejected,
            CaseStatus::Deleted => CaseState::Deleted,
        }
    }
}

/// A to-do task: open until its stage decides, then done with an [`TaskResult`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Open,
    Done,
}

/// How a done task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum TaskResult {
    Approved,
    Rejected,
    Returned,
    /// The work went away unanswered (the owner withdrew, or the previous stage withdrew its decision).
    Cancelled,
}

impl From<TaskOutcome> for TaskResult {
    fn from(o: TaskOutcome) -> Self {
        match o {
            TaskOutcome::Approved => TaskResult::Approved,
            TaskOutcome::Rejected => TaskResult::Rejected,
            TaskOutcome::Returned => TaskResult::Returned,
            TaskOutcome::Cancelled => TaskResult::Cancelled,
        }
    }
}

/// An action on a case, as the API names it (the core's [`ActionKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionCode {
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

impl From<ActionKind> for ActionCode {
    fn from(k: ActionKind) -> Self {
        match k {
            ActionKind::SaveDraft => ActionCode::SaveDraft,
            ActionKind::Submit => ActionCode::Submit,
            ActionKind::Resubmit => ActionCode::Resubmit,
            ActionKind::Approve => ActionCode::Approve,
            ActionKind::Reject => ActionCode::Reject,
            ActionKind::Return => ActionCode::Return,
            ActionKind::WithdrawByReviewer => ActionCode::WithdrawByReviewer,
            ActionKind::WithdrawByOwner => ActionCode::WithdrawByOwner,
            ActionKind::Delete => ActionCode::Delete,
        }
    }
}

/// A stage of 审核进度: 已通过 / 审核中 / 驳回 / 不通过 / 待审核.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageProgress {
    Done,
    Current,
    Returned,
    Rejected,
    Pending,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_core_and_the_database() {
        for s in <CaseState as sea_orm::Iterable>::iter() {
            assert_eq!(CaseState::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
            assert_eq!(s.to_value(), s.code());
        }
        assert_eq!(CaseState::from(CaseStatus::InReview { stage: 2 }).code(), CaseStatus::InReview { stage: 2 }.code());
    }
}
