//! The review engine (审核): one state machine for everything that is
//! reviewed (spec `20-review-engine.md`).
//!
//! Pure: the server loads the case row and its pinned flow version, calls
//! [`apply`] inside a transaction, and writes what comes back — the new
//! [`Case`] (guarded by `WHERE version = expected`), one [`TrailRecord`], the
//! [`TaskChange`]s and, if [`Transition::completed`], the module's completion
//! hook. Keeping the rules here, away from SQL, is what lets them be
//! property-tested against random flows and action sequences.
//!
//! States (see [`CaseStatus`]):
//!
//! ```text
//!  Draft ──submit──▶ InReview{0} ──approve──▶ InReview{1} … ──approve (last)──▶ Approved
//!    ▲                  │  ▲                     │
//!    └─owner withdraw───┘  └──return (previous)──┘        any stage ──reject──▶ Rejected
//!  Returned{k} ◀──return (owner) at stage k── InReview{k}
//!  Returned{k} ──resubmit──▶ InReview{k}           Draft / Returned / Rejected ──delete──▶ Deleted
//! ```
//!
//! ```
//! use shuzhuan_core::review::{Action, Actor, CaseStatus, Case, apply, default_flows};
//!
//! let flow = default_flows().into_iter().find(|f| f.key() == "filing").unwrap();
//! let owner = Actor::owner("u-1", "ent-1");
//! let town = Actor::reviewer("u-2", "town-1", 0);
//!
//! let case = Case::new("ent-1");
//! let t = apply(&flow, &case, &owner, Action::Submit, 0, 1_700_000_000).unwrap();
//! assert_eq!(t.case.status(), CaseStatus::InReview { stage: 0 });
//!
//! let returned = Action::Return { opinion: Some("请补充合同".into()), to: None };
//! let t = apply(&flow, &t.case, &town, returned, 1, 1_700_000_100).unwrap();
//! assert_eq!(t.case.status(), CaseStatus::Returned { from_stage: 0 });
//!
//! // Acting on a version someone else already changed: HTTP 409.
//! let err = apply(&flow, &t.case, &owner, Action::Resubmit, 1, 1_700_000_200).unwrap_err();
//! assert_eq!(err.to_string(), "该事项已被他人处理，请刷新后重试");
//! ```

mod case;
mod defaults;
mod engine;
mod flow;

pub use case::{Actor, ActorKind, Case, CaseState, CaseStatus, LastAction};
pub use defaults::{
    OPERATOR, PRE_REVIEW_ORG, REVIEW_ROLE, THIRD_PARTY_REVIEW_ORG, VOUCHER_EVALUATION_ORG,
    call_application_flow, default_flows,
};
pub use engine::{
    Action, ActionKind, MAX_OPINION_CHARS, ReviewError, TaskChange, TaskOutcome, TrailRecord,
    Transition, apply, available_actions, batch_approve,
};
pub use flow::{
    AssigneeRule, FlowDefinition, FlowError, FlowSpec, MAX_DEADLINE_DAYS, MAX_KEY_LEN,
    ReturnTarget, Stage, StageAction, StageSpec,
};

impl crate::ErrorCode for FlowError {
    fn code(&self) -> &'static str {
        FlowError::code(self)
    }
}

impl crate::ErrorCode for ReviewError {
    fn code(&self) -> &'static str {
        ReviewError::code(self)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
