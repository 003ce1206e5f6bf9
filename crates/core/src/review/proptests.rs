//! Property tests: random flows of 1–5 stages, random action sequences by
//! random actors, and the invariants that must hold after every step.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::region::RegionLevel;

const OWNER_ORG: &str = "ent-1";
const T0: i64 = 1_700_000_000;

/// One stage's random configuration.
#[derive(Debug, Clone)]
struct StageGen {
    reject: bool,
    ret: bool,
    withdraw: bool,
    previous: bool,
    approve_opinion: bool,
    deadline: Option<u32>,
    assignee: u8,
}

fn stage_gen() -> impl Strategy<Value = StageGen> {
    (
        any::<bool>(),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.8),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1u32..=30),
        any::<u8>(),
    )
        .prop_map(
            |(reject, ret, withdraw, previous, approve_opinion, deadline, assignee)| StageGen {
                reject,
                ret,
                withdraw,
                previous,
                approve_opinion,
                deadline,
                assignee,
            },
        )
}

fn build_flow(stages: &[StageGen]) -> FlowDefinition {
    let specs = stages
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut actions = vec![StageAction::Approve];
            if g.reject {
                actions.push(StageAction::Reject);
            }
            if g.ret {
                actions.push(StageAction::Return);
            }
            if g.withdraw {
                actions.push(StageAction::Withdraw);
            }
            let assignee = match (g.assignee % 5, i) {
                (0, _) => AssigneeRule::RegionAuthority {
                    level: RegionLevel::Town,
                    role: "reviews".into(),
                },
                (1, _) => AssigneeRule::CaseOrganization {
                    field: "lead_unit_id".into(),
                },
                (2, _) => AssigneeRule::FixedOrganization {
                    org_id: "platform_operator".into(),
                },
                (3, i) if i > 0 => AssigneeRule::AssignedByStage {
                    stage_key: format!("s{}", usize::from(g.assignee) % i),
                },
                _ => AssigneeRule::ResponsibleSection {
                    level: RegionLevel::City,
                    role: "city_section_member".into(),
                },
            };
            StageSpec {
                key: format!("s{i}"),
                name: format!("第{}环节", i + 1),
                assignee,
                actions,
                opinion_required: if g.approve_opinion {
                    vec![StageAction::Approve]
                } else {
                    vec![]
                },
                return_to: if g.previous && i > 0 {
                    ReturnTarget::PreviousStage
                } else {
                    ReturnTarget::Owner
                },
                deadline_days: g.deadline,
            }
        })
        .collect();
    FlowDefinition::new(FlowSpec {
        key: "random".into(),
        name: "随机流程".into(),
        version: 1,
        stages: specs,
    })
    .expect("generated flows are valid")
}

fn flows() -> impl Strategy<Value = FlowDefinition> {
    prop::collection::vec(stage_gen(), 1..=5).prop_map(|s| build_flow(&s))
}

/// Who acts; `Current` and `Last` are resolved against the case at run time
/// so that sequences make progress instead of mostly bouncing off refusals.
#[derive(Debug, Clone)]
enum Who {
    Owner,
    OwnerColleague,
    Stranger,
    Reviewer {
        stage: usize,
        user: u8,
    },
    System {
        stage: usize,
    },
    /// A reviewer of the stage the case waits at (the owner if none).
    Current {
        user: u8,
    },
    /// Whoever made the last action (the owner if none).
    Last,
}

#[derive(Debug, Clone)]
struct Step {
    kind: ActionKind,
    who: Who,
    opinion: Option<&'static str>,
    to: Option<ReturnTarget>,
    stale: bool,
}

fn kind() -> impl Strategy<Value = ActionKind> {
    use ActionKind as K;
    prop_oneof![
        1 => Just(K::SaveDraft),
        2 => Just(K::Submit),
        2 => Just(K::Resubmit),
        5 => Just(K::Approve),
        1 => Just(K::Reject),
        2 => Just(K::Return),
        2 => Just(K::WithdrawByReviewer),
        1 => Just(K::WithdrawByOwner),
        1 => Just(K::Delete),
    ]
}

fn random_who() -> impl Strategy<Value = Who> {
    prop_oneof![
        Just(Who::Owner),
        Just(Who::OwnerColleague),
        Just(Who::Stranger),
        (0usize..6, 0u8..2).prop_map(|(stage, user)| Who::Reviewer { stage, user }),
        (0usize..6).prop_map(|stage| Who::System { stage }),
        (0u8..2).prop_map(|user| Who::Current { user }),
        Just(Who::Last),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        kind(),
        prop::bool::weighted(0.8),
        random_who(),
        0u8..2,
        prop_oneof![1 => Just(None), 1 => Just(Some("")), 4 => Just(Some("审核意见"))],
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(ReturnTarget::Owner)),
            1 => Just(Some(ReturnTarget::PreviousStage)),
        ],
        prop::bool::weighted(0.08),
    )
        .prop_map(|(kind, fitting, random, user, opinion, to, stale)| {
            use ActionKind as K;
            let who = if fitting {
                match kind {
                    K::SaveDraft | K::Submit | K::Resubmit | K::WithdrawByOwner | K::Delete => {
                        if user == 0 {
                            Who::Owner
                        } else {
                            Who::OwnerColleague
                        }
                    }
                    K::Approve | K::Reject | K::Return => Who::Current { user },
                    K::WithdrawByReviewer => Who::Last,
                }
            } else {
                random
            };
            Step {
                kind,
                who,
                opinion,
                to,
                stale,
            }
        })
}

fn resolve(who: &Who, case: &Case) -> Actor {
    let reviewer = |stage: usize, user: u8| {
        Actor::reviewer(format!("rev-{stage}-{user}"), format!("org-{stage}"), stage)
    };
    match who {
        Who::Owner => Actor::owner("owner-user", OWNER_ORG),
        Who::OwnerColleague => Actor::owner("owner-user-2", OWNER_ORG),
        Who::Stranger => Actor::owner("stranger", "ent-2"),
        Who::Reviewer { stage, user } => reviewer(*stage, *user),
        Who::System { stage } => Actor::system(*stage, "auto_advance"),
        Who::Current { user } => match case.status() {
            CaseStatus::InReview { stage } => reviewer(stage, *user),
            _ => Actor::owner("owner-user", OWNER_ORG),
        },
        Who::Last => case
            .last_action()
            .map(|l| l.actor.clone())
            .unwrap_or_else(|| Actor::owner("owner-user", OWNER_ORG)),
    }
}

fn action(step: &Step) -> Action {
    let opinion = step.opinion.map(str::to_owned);
    match step.kind {
        ActionKind::SaveDraft => Action::SaveDraft,
        ActionKind::Submit => Action::Submit,
        ActionKind::Resubmit => Action::Resubmit,
        ActionKind::Approve => Action::Approve { opinion },
        ActionKind::Reject => Action::Reject { opinion },
        ActionKind::Return => Action::Return {
            opinion,
            to: step.to,
        },
        ActionKind::WithdrawByReviewer => Action::WithdrawByReviewer,
        ActionKind::WithdrawByOwner => Action::WithdrawByOwner,
        ActionKind::Delete => Action::Delete,
    }
}

/// Exactly one of the status predicates holds, and the status agrees with
/// the flags and counters around it.
fn check_consistent(flow: &FlowDefinition, case: &Case) -> Result<(), TestCaseError> {
    let s = case.status();
    let predicates = [
        s == CaseStatus::Draft,
        matches!(s, CaseStatus::InReview { .. }),
        matches!(s, CaseStatus::Returned { .. }),
        s == CaseStatus::Approved,
        s == CaseStatus::Rejected,
        s == CaseStatus::Deleted,
    ];
    prop_assert_eq!(predicates.iter().filter(|p| **p).count(), 1);
    if let Some(stage) = s.stage() {
        prop_assert!(
            stage < flow.len(),
            "{:?} outside a flow of {}",
            s,
            flow.len()
        );
    }
    if let Some(stage) = case
        .last_action()
        .and_then(|l| l.restores())
        .and_then(|r| r.status().stage())
    {
        prop_assert!(stage < flow.len());
    }
    let approved = case.state().ever_approved();
    match s {
        CaseStatus::Approved => prop_assert!(approved),
        CaseStatus::Draft | CaseStatus::Deleted => prop_assert!(!approved),
        _ => {}
    }
    if matches!(
        s,
        CaseStatus::InReview { .. }
            | CaseStatus::Returned { .. }
            | CaseStatus::Approved
            | CaseStatus::Rejected
    ) {
        prop_assert!(case.round() >= 1);
    }
    prop_assert_eq!(
        s.is_terminal(),
        predicates[3] || predicates[4] || predicates[5]
    );
    Ok(())
}

/// Plays the tasks a transition changes onto the set of open task stages.
fn play_tasks(
    open: &mut BTreeSet<usize>,
    t: &Transition,
    flow: &FlowDefinition,
) -> Result<(), TestCaseError> {
    let mut opened = false;
    for change in &t.tasks {
        match change {
            TaskChange::Close { stage, .. } => {
                prop_assert!(!opened, "closes come before opens");
                prop_assert!(
                    open.remove(stage),
                    "closing a task that is not open: {stage}"
                );
            }
            TaskChange::Open {
                stage,
                assignee,
                due_at,
            } => {
                opened = true;
                prop_assert!(open.insert(*stage), "opening an open task: {stage}");
                let def = flow.stage(*stage).expect("stage in flow");
                prop_assert_eq!(assignee, def.assignee());
                prop_assert_eq!(
                    *due_at,
                    def.deadline_days().map(|d| T0 + i64::from(d) * 86_400)
                );
            }
        }
    }
    let expected: BTreeSet<usize> = match t.case.status() {
        CaseStatus::InReview { stage } => [stage].into(),
        _ => BTreeSet::new(),
    };
    prop_assert_eq!(&*open, &expected);
    Ok(())
}

/// Runs the steps, checking every invariant; returns the successful
/// transitions as (action, status before, status after) codes.
fn run(
    flow: &FlowDefinition,
    steps: &[Step],
) -> Result<Vec<(ActionKind, &'static str, &'static str)>, TestCaseError> {
    let mut seen = Vec::new();
    let mut case = Case::new(OWNER_ORG);
    let mut open_tasks = BTreeSet::new();
    let mut successes = 0u64;
    // The state before the last successful action: what a withdraw restores.
    let mut before_last: Option<CaseState> = None;
    // The stage whose return sent the case to the owner.
    let mut returned_by: Option<usize> = None;

    for step in steps {
        let actor = resolve(&step.who, &case);
        let action = action(step);
        let expected = if step.stale {
            case.version().wrapping_add(1)
        } else {
            case.version()
        };
        let result = apply(flow, &case, &actor, action.clone(), expected, T0);
        let old = case.clone();

        let t = match result {
            Err(e) => {
                // Refused: nothing to write. A stale version is always (and
                // only) reported as a conflict.
                prop_assert_eq!(step.stale, e.code() == "review_version_conflict", "{:?}", e);
                prop_assert!(!e.to_string().is_empty());
                continue;
            }
            Ok(t) => t,
        };
        prop_assert!(!step.stale, "a stale version must not succeed");
        successes += 1;
        let new = &t.case;

        // One change: version + 1, one trail record describing it.
        prop_assert_eq!(new.version(), old.version() + 1);
        prop_assert_eq!(t.trail.action, step.kind);
        prop_assert_eq!(t.trail.before, old.status());
        prop_assert_eq!(t.trail.after, new.status());
        prop_assert_eq!(t.trail.round, new.round());
        prop_assert_eq!(&t.trail.actor, &actor);
        if let Some(stage) = t.trail.stage {
            prop_assert!(stage < flow.len());
        }
        let new_round = matches!(step.kind, ActionKind::Submit | ActionKind::Resubmit);
        prop_assert_eq!(new.round(), old.round() + u32::from(new_round));
        prop_assert_eq!(new.owner(), old.owner());

        // Terminal cases never change; the one exception is the owner
        // deleting a rejected case that no stage ever approved.
        if old.status().is_terminal() {
            prop_assert_eq!(old.status(), CaseStatus::Rejected);
            prop_assert_eq!(step.kind, ActionKind::Delete);
            prop_assert!(!old.state().ever_approved());
        }

        check_consistent(flow, new)?;
        play_tasks(&mut open_tasks, &t, flow)?;
        prop_assert_eq!(
            t.completed,
            new.status() == CaseStatus::Approved && old.status() != CaseStatus::Approved
        );

        match step.kind {
            ActionKind::WithdrawByReviewer | ActionKind::WithdrawByOwner => {
                let snapshot = before_last.expect("a withdraw follows an action");
                prop_assert_eq!(new.state(), &snapshot, "withdraw restores exactly");
                // Only the last actor (the same user in the same capacity).
                let last = old.last_action().expect("withdraw needs a last action");
                if step.kind == ActionKind::WithdrawByReviewer {
                    prop_assert_eq!(&last.actor, &actor);
                    prop_assert!(matches!(
                        last.action,
                        ActionKind::Approve | ActionKind::Return
                    ));
                } else {
                    prop_assert!(matches!(
                        last.action,
                        ActionKind::Submit | ActionKind::Resubmit
                    ));
                    prop_assert_eq!(old.status().stage(), t.trail.stage);
                }
            }
            ActionKind::Resubmit => {
                let CaseStatus::Returned { from_stage } = old.status() else {
                    return Err(TestCaseError::fail(
                        "resubmitted a case that was not returned",
                    ));
                };
                prop_assert_eq!(Some(from_stage), returned_by);
                prop_assert_eq!(new.status(), CaseStatus::InReview { stage: from_stage });
            }
            ActionKind::Return => {
                if let CaseStatus::Returned { from_stage } = new.status() {
                    prop_assert_eq!(Some(from_stage), actor.stage());
                    returned_by = Some(from_stage);
                }
            }
            _ => {}
        }

        // The same request again, on the new version, does not act twice.
        if step.kind != ActionKind::SaveDraft {
            let again = apply(flow, new, &actor, action, new.version(), T0);
            prop_assert!(again.is_err(), "{:?} twice by {:?}", step.kind, actor);
        }

        // What the server stores loads back the same.
        let json = serde_json::to_string(new).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Case>(&json).unwrap(), new);

        seen.push((step.kind, old.status().code(), new.status().code()));
        before_last = Some(*old.state());
        case = t.case;
    }
    // Every success left exactly one trail record and one version.
    prop_assert_eq!(case.version(), successes);
    Ok(seen)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_action_sequences_keep_the_invariants(
        flow in flows(),
        steps in prop::collection::vec(step(), 0..60),
    ) {
        run(&flow, &steps)?;
    }

    #[test]
    fn approving_every_stage_completes_exactly_once(flow in flows()) {
        let owner = Actor::owner("owner-user", OWNER_ORG);
        let mut case = apply(&flow, &Case::new(OWNER_ORG), &owner, Action::Submit, 0, T0).unwrap().case;
        let mut completions = 0;
        for stage in 0..flow.len() {
            prop_assert_eq!(case.status(), CaseStatus::InReview { stage });
            let reviewer = Actor::reviewer("r", "o", stage);
            let t = apply(&flow, &case, &reviewer, Action::Approve { opinion: Some("同意".into()) }, case.version(), T0).unwrap();
            completions += usize::from(t.completed);
            case = t.case;
        }
        prop_assert_eq!(case.status(), CaseStatus::Approved);
        prop_assert_eq!(completions, 1);
        prop_assert_eq!(case.version(), flow.len() as u64 + 1);
    }

    #[test]
    fn a_return_at_any_stage_resumes_there(flow in flows(), at in 0usize..5) {
        let at = at % flow.len();
        prop_assume!(flow.stages()[at].allows(StageAction::Return));
        prop_assume!(flow.stages()[at].return_to() == ReturnTarget::Owner);
        let owner = Actor::owner("owner-user", OWNER_ORG);
        let mut case = apply(&flow, &Case::new(OWNER_ORG), &owner, Action::Submit, 0, T0).unwrap().case;
        for stage in 0..at {
            let r = Actor::reviewer("r", "o", stage);
            case = apply(&flow, &case, &r, Action::Approve { opinion: Some("同意".into()) }, case.version(), T0).unwrap().case;
        }
        let r = Actor::reviewer("r", "o", at);
        let back = Action::Return { opinion: Some("补充".into()), to: None };
        case = apply(&flow, &case, &r, back, case.version(), T0).unwrap().case;
        let t = apply(&flow, &case, &owner, Action::Resubmit, case.version(), T0).unwrap();
        prop_assert_eq!(t.case.status(), CaseStatus::InReview { stage: at });
        prop_assert_eq!(t.case.round(), 2);
    }

    #[test]
    fn flows_round_trip_through_json(flow in flows()) {
        let json = serde_json::to_string(&flow).unwrap();
        prop_assert_eq!(&FlowDefinition::parse(&json).unwrap(), &flow);
        prop_assert_eq!(FlowDefinition::new(flow.to_spec()).unwrap(), flow);
    }
}

/// The random sequences are not vacuous: over a fixed sample, every edge of
/// the state diagram is taken.
#[test]
fn random_sequences_cover_every_transition() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    use std::collections::HashSet;

    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = (flows(), prop::collection::vec(step(), 0..60));
    let mut seen = HashSet::new();
    for _ in 0..400 {
        let (flow, steps) = strategy.new_tree(&mut runner).unwrap().current();
        seen.extend(run(&flow, &steps).unwrap());
    }
    use ActionKind as K;
    let expected = [
        (K::SaveDraft, "draft", "draft"),
        (K::SaveDraft, "returned", "returned"),
        (K::Submit, "draft", "in_review"),
        (K::Resubmit, "returned", "in_review"),
        (K::Approve, "in_review", "in_review"),
        (K::Approve, "in_review", "approved"),
        (K::Reject, "in_review", "rejected"),
        (K::Return, "in_review", "returned"),
        (K::Return, "in_review", "in_review"),
        (K::WithdrawByReviewer, "in_review", "in_review"),
        (K::WithdrawByReviewer, "returned", "in_review"),
        (K::WithdrawByOwner, "in_review", "draft"),
        (K::WithdrawByOwner, "in_review", "returned"),
        (K::Delete, "draft", "deleted"),
        (K::Delete, "returned", "deleted"),
        (K::Delete, "rejected", "deleted"),
    ];
    let missing: Vec<_> = expected.iter().filter(|e| !seen.contains(e)).collect();
    assert!(missing.is_empty(), "never taken: {missing:?}");
}
