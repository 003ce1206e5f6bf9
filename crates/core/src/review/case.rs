//! The case value the server persists, and who acts on it.

use serde::{Deserialize, Serialize};

use super::engine::ActionKind;

/// Where a case is. Exactly one at a time, by construction.
///
/// The spec's `withdrawn` is not a status of its own: an owner's withdraw
/// puts the case back where it was before the submission (a draft, or a
/// returned case), as its action table says ("the case goes back to draft");
/// lists show "已撤回" from [`Case::last_action`] if they want to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CaseStatus {
    /// 未提交: being filled in by the owner, never submitted (or withdrawn
    /// before the first stage acted).
    Draft,
    /// 审核中: waiting for stage `stage` (0-based index into the flow).
    InReview { stage: usize },
    /// 已退回: back with the owner; a resubmission resumes at `from_stage`.
    Returned { from_stage: usize },
    /// 审核通过: the last stage approved; terminal.
    Approved,
    /// 不通过: a stage rejected; terminal for review (only the owner may
    /// still delete it if no stage ever approved).
    Rejected,
    /// 已删除 by the owner; terminal. A soft delete: the trail stays.
    Deleted,
}

impl CaseStatus {
    /// Stable snake_case name, for a database column and list filters.
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::InReview { .. } => "in_review",
            CaseStatus::Returned { .. } => "returned",
            CaseStatus::Approved => "approved",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Deleted => "deleted",
        }
    }

    /// The owner list's status column (未提交 / 审核中 / 已退回 / 审核通过 / 不通过).
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Draft => "未提交",
            CaseStatus::InReview { .. } => "审核中",
            CaseStatus::Returned { .. } => "已退回",
            CaseStatus::Approved => "审核通过",
            CaseStatus::Rejected => "不通过",
            CaseStatus::Deleted => "已删除",
        }
    }

    /// One status of each kind (stages 0): every code and label there is.
    pub const EACH: [CaseStatus; 6] = [
        CaseStatus::Draft,
        CaseStatus::InReview { stage: 0 },
        CaseStatus::Returned { from_stage: 0 },
        CaseStatus::Approved,
        CaseStatus::Rejected,
        CaseStatus::Deleted,
    ];

    /// The label of a stored status code (`in_review` → 审核中), for records that keep the code only.
    pub fn label_of_code(code: &str) -> Option<&'static str> {
        Self::EACH.into_iter().find(|s| s.code() == code).map(CaseStatus::label)
    }

    /// The stage the case waits at, or was returned from.
    pub fn stage(self) -> Option<usize> {
        match self {
            CaseStatus::InReview { stage } => Some(stage),
            CaseStatus::Returned { from_stage } => Some(from_stage),
            _ => None,
        }
    }

    /// Approved, rejected or deleted: no review action changes it again.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            CaseStatus::Approved | CaseStatus::Rejected | CaseStatus::Deleted
        )
    }

    /// Draft or returned: the owner may edit the form.
    pub fn is_editable(self) -> bool {
        matches!(self, CaseStatus::Draft | CaseStatus::Returned { .. })
    }
}

/// The part of a case that a withdraw restores exactly.
///
/// The rest of [`Case`] (version, round, last action) is bookkeeping that only
/// moves forward: a withdraw is itself a change (new version, its own trail
/// record), and round numbers identify submissions and their form snapshots,
/// so they are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseState {
    status: CaseStatus,
    /// Some stage approved the case in some round (and was not withdrawn).
    /// Such a case has official standing and can no longer be deleted.
    ever_approved: bool,
}

impl CaseState {
    pub fn status(&self) -> CaseStatus {
        self.status
    }

    pub fn ever_approved(&self) -> bool {
        self.ever_approved
    }

    pub(crate) fn new(status: CaseStatus, ever_approved: bool) -> CaseState {
        CaseState {
            status,
            ever_approved,
        }
    }
}

/// Who performs an action, as the server established it (session user,
/// its organization, and the capacity it acts in).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: String,
    pub organization_id: String,
    pub kind: ActorKind,
}

/// The capacity an actor acts in. The server decides it (it holds the task
/// for `stage`, or belongs to the owner organization); the engine checks it
/// against the case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActorKind {
    /// A user of the case's owner organization (the applicant).
    Owner,
    /// The assignee of stage `stage`'s task.
    Reviewer { stage: usize },
    /// The platform acting for stage `stage` (auto-advance, timeout), with a
    /// snake_case `reason` code recorded on the trail. It may approve, reject
    /// or return; it never withdraws and never acts for the owner.
    System { stage: usize, reason: String },
}

impl Actor {
    pub fn owner(user_id: impl Into<String>, organization_id: impl Into<String>) -> Actor {
        Actor {
            user_id: user_id.into(),
            organization_id: organization_id.into(),
            kind: ActorKind::Owner,
        }
    }

    pub fn reviewer(
        user_id: impl Into<String>,
        organization_id: impl Into<String>,
        stage: usize,
    ) -> Actor {
        Actor {
            user_id: user_id.into(),
            organization_id: organization_id.into(),
            kind: ActorKind::Reviewer { stage },
        }
    }

    /// The platform itself; user and organization are `"system"`.
    pub fn system(stage: usize, reason: impl Into<String>) -> Actor {
        Actor {
            user_id: "system".to_owned(),
            organization_id: "system".to_owned(),
            kind: ActorKind::System {
                stage,
                reason: reason.into(),
            },
        }
    }

    /// The stage a reviewer or the system acts for.
    pub fn stage(&self) -> Option<usize> {
        match self.kind {
            ActorKind::Owner => None,
            ActorKind::Reviewer { stage } | ActorKind::System { stage, .. } => Some(stage),
        }
    }
}

/// The most recent successful action on a case: what a withdraw would undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastAction {
    pub action: ActionKind,
    pub actor: Actor,
    /// The stage acted at (see [`TrailRecord::stage`](super::TrailRecord::stage)).
    pub stage: Option<usize>,
    pub at: i64,
    /// The state before this action, kept for the kinds a withdraw can undo
    /// (submit, resubmit, non-final approve, return; whether this stage and
    /// this actor may is checked at withdraw time). Replaced by the next
    /// action, which is exactly "only while the next party has not acted";
    /// one level, so a stored case does not grow with its history, and a
    /// withdraw cannot itself be withdrawn or cascade to earlier actions.
    restores: Option<CaseState>,
}

impl LastAction {
    pub(crate) fn new(
        action: ActionKind,
        actor: Actor,
        stage: Option<usize>,
        at: i64,
        restores: Option<CaseState>,
    ) -> LastAction {
        LastAction {
            action,
            actor,
            stage,
            at,
            restores,
        }
    }

    /// The state a withdraw of this action would restore, if it can be withdrawn.
    pub fn restores(&self) -> Option<&CaseState> {
        self.restores.as_ref()
    }
}

/// A reviewed thing's review state (the business module keeps its own data).
///
/// Obtained from [`Case::new`] and changed only by
/// [`apply`](super::apply), which returns a new value; the server persists it
/// (e.g. as JSON next to denormalized `status`/`stage`/`version` columns) and
/// compares `version` in its `UPDATE … WHERE version = ?`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    owner: String,
    state: CaseState,
    version: u64,
    round: u32,
    last_action: Option<LastAction>,
}

impl Case {
    /// A new, unsaved draft of `owner_organization_id`, version 0. The first
    /// save or submit makes it version 1.
    pub fn new(owner_organization_id: impl Into<String>) -> Case {
        Case {
            owner: owner_organization_id.into(),
            state: CaseState::new(CaseStatus::Draft, false),
            version: 0,
            round: 0,
            last_action: None,
        }
    }

    /// The applicant organization; only its users act as [`ActorKind::Owner`].
    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub fn state(&self) -> &CaseState {
        &self.state
    }

    pub fn status(&self) -> CaseStatus {
        self.state.status
    }

    /// Increments by one on every change; the optimistic-concurrency token.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Number of submissions so far (submit and each resubmit start a round);
    /// 0 before the first. Never decreases, even when a submission is
    /// withdrawn, so a round number names one form snapshot.
    pub fn round(&self) -> u32 {
        self.round
    }

    pub fn last_action(&self) -> Option<&LastAction> {
        self.last_action.as_ref()
    }

    pub(crate) fn next(&self, state: CaseState, round: u32, last_action: LastAction) -> Case {
        Case {
            owner: self.owner.clone(),
            state,
            version: self.version + 1,
            round,
            last_action: Some(last_action),
        }
    }
}
