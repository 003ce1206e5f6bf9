//! Unit tests: every action, every refusal, the seeded flows.

use std::collections::HashSet;

use super::*;
use crate::ErrorCode;
use crate::region::RegionLevel;

const T0: i64 = 1_700_000_000;
const OWNER_ORG: &str = "ent-1";

fn authority(level: RegionLevel) -> AssigneeRule {
    AssigneeRule::RegionAuthority {
        level,
        role: "reviews".into(),
    }
}

fn stage_spec(key: &str, name: &str, actions: &[StageAction]) -> StageSpec {
    StageSpec {
        key: key.into(),
        name: name.into(),
        assignee: authority(RegionLevel::City),
        actions: actions.to_vec(),
        opinion_required: vec![],
        return_to: ReturnTarget::Owner,
        deadline_days: None,
    }
}

use StageAction::{Approve, Reject, Return, Withdraw};

/// a: everything, returns to the owner;
/// b: everything, approve needs an opinion, 回退 to a, 5-day deadline;
/// c: approve / reject / return to the owner, no withdraw.
fn flow3() -> FlowDefinition {
    let a = stage_spec("a", "镇街审核", &[Approve, Reject, Return, Withdraw]);
    let mut b = stage_spec("b", "第三方初审", &[Approve, Reject, Return, Withdraw]);
    b.opinion_required = vec![Approve];
    b.return_to = ReturnTarget::PreviousStage;
    b.deadline_days = Some(5);
    let c = stage_spec("c", "市工信复审", &[Approve, Reject, Return]);
    FlowDefinition::new(FlowSpec {
        key: "test".into(),
        name: "测试流程".into(),
        version: 1,
        stages: vec![a, b, c],
    })
    .unwrap()
}

/// One stage that may only approve.
fn approve_only() -> FlowDefinition {
    FlowDefinition::new(FlowSpec {
        key: "single".into(),
        name: "单环节".into(),
        version: 1,
        stages: vec![stage_spec("only", "审核", &[Approve])],
    })
    .unwrap()
}

fn owner() -> Actor {
    Actor::owner("owner-user", OWNER_ORG)
}

fn rev(stage: usize) -> Actor {
    Actor::reviewer(format!("rev-{stage}"), format!("org-{stage}"), stage)
}

fn colleague(stage: usize) -> Actor {
    Actor::reviewer(format!("rev-{stage}-b"), format!("org-{stage}"), stage)
}

fn op(text: &str) -> Option<String> {
    Some(text.into())
}

fn approve(text: &str) -> Action {
    Action::Approve { opinion: op(text) }
}

fn ret(text: &str) -> Action {
    Action::Return {
        opinion: op(text),
        to: None,
    }
}

fn reject(text: &str) -> Action {
    Action::Reject { opinion: op(text) }
}

/// Applies with the case's current version, asserting the bookkeeping every
/// success must have.
fn ok(flow: &FlowDefinition, case: &Case, actor: &Actor, action: Action) -> Transition {
    let kind = action.kind();
    let t = apply(flow, case, actor, action, case.version(), T0)
        .unwrap_or_else(|e| panic!("{kind:?} by {actor:?} on {:?}: {e}", case.status()));
    assert_eq!(t.case.version(), case.version() + 1);
    assert_eq!(t.trail.action, kind);
    assert_eq!(t.trail.before, case.status());
    assert_eq!(t.trail.after, t.case.status());
    assert_eq!(t.trail.round, t.case.round());
    assert_eq!(t.trail.at, T0);
    assert_eq!(&t.trail.actor, actor);
    t
}

fn err(flow: &FlowDefinition, case: &Case, actor: &Actor, action: Action) -> ReviewError {
    apply(flow, case, actor, action, case.version(), T0).unwrap_err()
}

fn submitted(flow: &FlowDefinition) -> Case {
    ok(flow, &Case::new(OWNER_ORG), &owner(), Action::Submit).case
}

/// Submitted and approved by stage a: waiting at b.
fn at_b(flow: &FlowDefinition) -> Case {
    ok(flow, &submitted(flow), &rev(0), approve("同意")).case
}

fn close(stage: usize, outcome: TaskOutcome) -> TaskChange {
    TaskChange::Close { stage, outcome }
}

fn open(flow: &FlowDefinition, stage: usize) -> TaskChange {
    let s = flow.stage(stage).unwrap();
    TaskChange::Open {
        stage,
        assignee: s.assignee().clone(),
        due_at: s.deadline_days().map(|d| T0 + i64::from(d) * 86_400),
    }
}

// ---------------------------------------------------------------- flows

fn spec_of(stages: Vec<StageSpec>) -> FlowSpec {
    FlowSpec {
        key: "f".into(),
        name: "流程".into(),
        version: 1,
        stages,
    }
}

fn flow_err(spec: FlowSpec) -> FlowError {
    FlowDefinition::new(spec).unwrap_err()
}

#[test]
fn default_flows_match_the_spec_table() {
    let flows = default_flows();
    let summary: Vec<(&str, Vec<&str>)> = flows
        .iter()
        .map(|f| (f.key(), f.stages().iter().map(Stage::name).collect()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("alliance_join", vec!["牵引机构确认"]),
            ("product_entry", vec!["牵引机构确认", "预审", "市工信复审"]),
            ("provider_certification", vec!["平台运营审核"]),
            ("listing", vec!["运营人员初审", "专家评审", "工信厅终审"]),
            (
                "diagnosis_voucher_redemption",
                vec!["第三方评估", "结算审批", "支付审批", "确认收款"]
            ),
            ("general_voucher_redemption", vec!["运营审批"]),
            ("filing", vec!["镇街审核", "第三方初审", "市工信复审"]),
            ("filing_change", vec!["市工信审核"]),
            ("presubsidy", vec!["市工信审核"]),
            ("diagnosis_report", vec!["企业确认"]),
            ("evaluation_report", vec!["企业确认"]),
            ("acceptance", vec!["镇街审核", "验收专家审核", "市工信复审"]),
            ("info_change", vec!["市工信审核"]),
            (
                "call_application",
                vec!["区县审核", "市处室审核", "市处室领导推荐", "省工信厅审核"]
            ),
            (
                "call_application_city",
                vec!["市处室审核", "市处室领导推荐", "省工信厅审核"]
            ),
            ("pilot_application", vec!["市工信局审核"]),
        ]
    );
    for flow in &flows {
        assert_eq!(flow.version(), 1);
        // Stored and loaded again, unchanged.
        let json = serde_json::to_string(flow).unwrap();
        assert_eq!(&FlowDefinition::parse(&json).unwrap(), flow, "{json}");
        let again: FlowDefinition = serde_json::from_str(&json).unwrap();
        assert_eq!(&again, flow);
    }
    let keys: HashSet<&str> = flows.iter().map(FlowDefinition::key).collect();
    assert_eq!(keys.len(), flows.len());
}

#[test]
fn seeded_details_follow_the_manuals() {
    let flows = default_flows();
    let get = |key: &str| flows.iter().find(|f| f.key() == key).unwrap();

    let listing = get("listing");
    assert_eq!(
        listing.stages()[1].assignee(),
        &AssigneeRule::AssignedByStage {
            stage_key: "operator_review".into()
        }
    );
    let receipt = &get("diagnosis_voucher_redemption").stages()[3];
    assert_eq!(receipt.return_to(), ReturnTarget::PreviousStage);
    assert!(!receipt.allows(Reject));
    assert!(!get("evaluation_report").stages()[0].allows(Reject));

    let call = get("call_application");
    assert_eq!(call.stages()[0].return_to(), ReturnTarget::Owner);
    for s in call.stages() {
        assert!(s.opinion_required(Approve), "{}", s.name());
        assert!(s.allows(Withdraw));
    }
    for s in &call.stages()[1..] {
        assert_eq!(s.return_to(), ReturnTarget::PreviousStage);
    }
    assert_eq!(&call_application_flow(true), call);
    let city_only = get("call_application_city");
    assert_eq!(&call_application_flow(false), city_only);
    assert_eq!(city_only.len(), 3);
    assert_eq!(city_only.stages()[0].key(), "city_section_review");
    assert_eq!(city_only.stages()[0].return_to(), ReturnTarget::Owner);
    assert_eq!(
        city_only.to_string(),
        "项目申报（不经区县审核）（第1版）：市处室审核 → 市处室领导推荐 → 省工信厅审核"
    );
    // Reject and return always need an opinion, approving mostly not.
    let filing = get("filing");
    for s in filing.stages() {
        assert!(s.opinion_required(Reject) && s.opinion_required(Return));
        assert!(!s.opinion_required(Approve));
    }
}

#[test]
fn binds_placeholder_organizations() {
    let flows = default_flows();
    let listing = flows.iter().find(|f| f.key() == "listing").unwrap();
    let bound = listing.bind_organization(OPERATOR, "org-42").unwrap();
    assert_eq!(
        bound.stages()[0].assignee(),
        &AssigneeRule::FixedOrganization {
            org_id: "org-42".into()
        }
    );
    assert_eq!(bound.stages()[1..], listing.stages()[1..]);
    assert_eq!(
        listing.bind_organization(OPERATOR, " ").unwrap_err().code(),
        "review_flow_assignee"
    );
    assert_eq!(&listing.bind_organization("nobody", "x").unwrap(), listing);
}

#[test]
fn parses_json_with_defaults_in_canonical_form() {
    let json = r#"{
        "key": "product_entry", "name": " 产品入库申请 ", "version": 2,
        "stages": [
            {"key": "lead_unit", "name": "牵引机构确认",
             "assignee": {"kind": "case_organization", "field": "lead_unit_id"},
             "actions": ["approve", "return"]},
            {"key": "city", "name": "市工信复审",
             "assignee": {"kind": "region_authority", "level": "city", "role": "reviews"},
             "actions": ["approve", "reject", "return", "withdraw"],
             "opinion_required": ["approve"], "return_to": "previous_stage", "deadline_days": 10}
        ]
    }"#;
    let flow = FlowDefinition::parse(json).unwrap();
    assert_eq!(flow.name(), "产品入库申请");
    assert_eq!(flow.version(), 2);
    assert_eq!(flow.stage_index("city"), Some(1));
    let spec = flow.to_spec();
    assert_eq!(spec.stages[0].opinion_required, vec![Return]);
    assert_eq!(spec.stages[0].return_to, ReturnTarget::Owner);
    assert_eq!(
        spec.stages[1].opinion_required,
        vec![Approve, Reject, Return]
    );
    assert_eq!(spec.stages[1].deadline_days, Some(10));
    assert!(flow.stages()[0].opinion_required(Return));
    assert!(!flow.stages()[0].opinion_required(Approve));
    assert_eq!(FlowDefinition::new(spec).unwrap(), flow);
}

#[test]
fn refuses_bad_flows() {
    let good = || stage_spec("a", "审核", &[Approve, Reject, Return, Withdraw]);
    let code = |spec: FlowSpec| flow_err(spec).code();

    assert_eq!(
        FlowDefinition::parse("{").unwrap_err().code(),
        "review_flow_json"
    );
    assert_eq!(
        FlowDefinition::parse(r#"{"key":"f","name":"流程","version":1,"stages":[{"key":"a"}]}"#)
            .unwrap_err()
            .code(),
        "review_flow_json"
    );
    assert_eq!(code(spec_of(vec![])), "review_flow_empty");
    assert_eq!(
        flow_err(spec_of(vec![])).to_string(),
        "流程至少需要一个审核环节"
    );

    let mut s = spec_of(vec![good()]);
    s.version = 0;
    assert_eq!(code(s), "review_flow_version");
    for bad in ["", "Filing", "1st", "a-b", "项目"] {
        let mut s = spec_of(vec![good()]);
        s.key = bad.into();
        assert_eq!(code(s), "review_flow_key", "{bad}");
        let mut st = good();
        st.key = bad.into();
        assert_eq!(code(spec_of(vec![st])), "review_flow_key", "{bad}");
    }
    let mut s = spec_of(vec![good()]);
    s.key = "a".repeat(MAX_KEY_LEN + 1);
    assert_eq!(code(s), "review_flow_key");
    let mut s = spec_of(vec![good()]);
    s.name = "  ".into();
    assert_eq!(code(s), "review_flow_name");
    let mut st = good();
    st.name = "\u{3000}".into();
    assert_eq!(code(spec_of(vec![st])), "review_flow_name");

    let e = flow_err(spec_of(vec![good(), good()]));
    assert_eq!(e.code(), "review_flow_duplicate_stage");
    assert_eq!(e.to_string(), "环节标识“a”重复");

    let mut st = good();
    st.actions = vec![Approve, Reject, Approve];
    assert_eq!(code(spec_of(vec![st])), "review_flow_duplicate_action");
    let mut st = good();
    st.opinion_required = vec![Approve, Approve];
    assert_eq!(code(spec_of(vec![st])), "review_flow_duplicate_action");

    let mut st = good();
    st.actions = vec![Reject, Return];
    assert_eq!(code(spec_of(vec![st])), "review_flow_no_approve");

    let mut st = good();
    st.opinion_required = vec![Withdraw];
    assert_eq!(code(spec_of(vec![st])), "review_flow_opinion");
    let mut st = good();
    st.actions = vec![Approve];
    st.opinion_required = vec![Reject];
    let e = flow_err(spec_of(vec![st]));
    assert_eq!(e.code(), "review_flow_opinion");
    assert_eq!(
        e.to_string(),
        "环节“审核”不允许“不通过”，不能要求填写其意见"
    );

    let mut st = good();
    st.return_to = ReturnTarget::PreviousStage;
    let e = flow_err(spec_of(vec![st]));
    assert_eq!(e.code(), "review_flow_return_target");
    assert_eq!(
        e.to_string(),
        "第一个环节“审核”没有上一环节，不能设置为退回上一环节"
    );

    // Assigned by a stage that is not earlier: itself, a later one, an unknown one.
    for target in ["b", "c", "zzz"] {
        let mut b = stage_spec("b", "专家评审", &[Approve]);
        b.assignee = AssigneeRule::AssignedByStage {
            stage_key: target.into(),
        };
        let c = stage_spec("c", "终审", &[Approve]);
        let e = flow_err(spec_of(vec![good(), b, c]));
        assert_eq!(e.code(), "review_flow_assigned_by", "{target}");
    }
    let mut b = stage_spec("b", "专家评审", &[Approve]);
    b.assignee = AssigneeRule::AssignedByStage {
        stage_key: "a".into(),
    };
    assert!(FlowDefinition::new(spec_of(vec![good(), b])).is_ok());

    for assignee in [
        AssigneeRule::RegionAuthority {
            level: RegionLevel::Town,
            role: " ".into(),
        },
        AssigneeRule::CaseOrganization { field: "".into() },
        AssigneeRule::FixedOrganization { org_id: "".into() },
        AssigneeRule::ResponsibleSection {
            level: RegionLevel::District,
            role: "".into(),
        },
    ] {
        let mut st = good();
        st.assignee = assignee;
        assert_eq!(code(spec_of(vec![st])), "review_flow_assignee");
    }

    for days in [0, MAX_DEADLINE_DAYS + 1] {
        let mut st = good();
        st.deadline_days = Some(days);
        assert_eq!(code(spec_of(vec![st])), "review_flow_deadline");
    }
    let mut st = good();
    st.deadline_days = Some(MAX_DEADLINE_DAYS);
    assert!(FlowDefinition::new(spec_of(vec![st])).is_ok());
}

// ---------------------------------------------------------------- save, submit

#[test]
fn save_draft_keeps_the_case_where_it_is() {
    let flow = flow3();
    let t = ok(&flow, &Case::new(OWNER_ORG), &owner(), Action::SaveDraft);
    assert_eq!(t.case.version(), 1);
    assert_eq!(t.case.status(), CaseStatus::Draft);
    assert_eq!(t.case.round(), 0);
    assert_eq!(t.trail.stage, None);
    assert!(t.tasks.is_empty());
    assert!(!t.completed);
    // Saving twice is fine: it only stores the form.
    let t2 = ok(&flow, &t.case, &owner(), Action::SaveDraft);
    assert_eq!(t2.case.version(), 2);

    let returned = ok(&flow, &submitted(&flow), &rev(0), ret("补充材料")).case;
    let t = ok(&flow, &returned, &owner(), Action::SaveDraft);
    assert_eq!(t.case.status(), CaseStatus::Returned { from_stage: 0 });

    let e = err(&flow, &submitted(&flow), &owner(), Action::SaveDraft);
    assert_eq!(e.code(), "review_invalid_state");
    assert_eq!(e.to_string(), "当前状态为“审核中”，不能保存");
    let stranger = Actor::owner("x", "ent-2");
    assert_eq!(
        err(&flow, &Case::new(OWNER_ORG), &stranger, Action::SaveDraft),
        ReviewError::NotOwner
    );
    assert_eq!(
        err(&flow, &Case::new(OWNER_ORG), &rev(0), Action::SaveDraft),
        ReviewError::NotOwner
    );
}

#[test]
fn submit_opens_the_first_stage() {
    let flow = flow3();
    let draft = ok(&flow, &Case::new(OWNER_ORG), &owner(), Action::SaveDraft).case;
    let t = ok(&flow, &draft, &owner(), Action::Submit);
    assert_eq!(t.case.status(), CaseStatus::InReview { stage: 0 });
    assert_eq!(t.case.round(), 1);
    assert_eq!(t.trail.stage, Some(0));
    assert_eq!(t.tasks, vec![open(&flow, 0)]);
    assert!(!t.completed);
    assert_eq!(t.case.last_action().unwrap().action, ActionKind::Submit);

    let e = err(&flow, &t.case, &owner(), Action::Submit);
    assert_eq!(e.to_string(), "当前状态为“审核中”，不能提交");
    let returned = ok(&flow, &t.case, &rev(0), ret("补充")).case;
    assert_eq!(
        err(&flow, &returned, &owner(), Action::Submit).code(),
        "review_invalid_state"
    );
    assert_eq!(
        err(&flow, &draft, &rev(0), Action::Submit),
        ReviewError::NotOwner
    );
    assert_eq!(
        err(
            &flow,
            &draft,
            &Actor::system(0, "auto_advance"),
            Action::Submit
        ),
        ReviewError::NotOwner
    );
}

// ---------------------------------------------------------------- approve

#[test]
fn approve_opens_the_next_stage_with_its_deadline() {
    let flow = flow3();
    let case = submitted(&flow);
    let t = ok(&flow, &case, &rev(0), Action::Approve { opinion: None });
    assert_eq!(t.case.status(), CaseStatus::InReview { stage: 1 });
    assert!(t.case.state().ever_approved());
    assert_eq!(t.trail.stage, Some(0));
    assert_eq!(t.trail.opinion, None);
    assert_eq!(
        t.tasks,
        vec![close(0, TaskOutcome::Approved), open(&flow, 1)]
    );
    assert!(matches!(
        &t.tasks[1],
        TaskChange::Open { due_at: Some(d), .. } if *d == T0 + 5 * 86_400
    ));
    assert!(!t.completed);
}

#[test]
fn final_approve_completes_the_case() {
    let flow = flow3();
    let case = ok(&flow, &at_b(&flow), &rev(1), approve("材料齐全")).case;
    let t = ok(&flow, &case, &rev(2), approve("  同意入库 \n"));
    assert_eq!(t.case.status(), CaseStatus::Approved);
    assert!(t.completed);
    assert_eq!(t.trail.opinion.as_deref(), Some("同意入库"));
    assert_eq!(t.tasks, vec![close(2, TaskOutcome::Approved)]);
    assert_eq!(t.case.last_action().unwrap().restores(), None);

    // Terminal: nothing changes it any more, not even its reviewer.
    for (actor, action) in [
        (rev(2), approve("再次")),
        (rev(2), Action::WithdrawByReviewer),
        (owner(), Action::Resubmit),
        (owner(), Action::Delete),
        (owner(), Action::SaveDraft),
        (owner(), Action::WithdrawByOwner),
    ] {
        let e = err(&flow, &t.case, &actor, action);
        assert_eq!(e.code(), "review_case_closed");
        assert_eq!(e.to_string(), "该事项已审核通过，不能再办理");
    }
}

#[test]
fn approve_is_refused_to_the_wrong_people_and_states() {
    let flow = flow3();
    let case = submitted(&flow);
    let e = err(&flow, &case, &rev(1), approve("同意"));
    assert_eq!(e, ReviewError::WrongStage { current: 0 });
    assert_eq!(e.to_string(), "该事项当前不在您的审核环节，请刷新后查看");
    assert_eq!(
        err(&flow, &case, &owner(), approve("同意")),
        ReviewError::NotReviewer
    );
    let e = err(&flow, &Case::new(OWNER_ORG), &rev(0), approve("同意"));
    assert_eq!(e.to_string(), "当前状态为“未提交”，不能审核");
    let returned = ok(&flow, &case, &rev(0), ret("补充")).case;
    assert_eq!(
        err(&flow, &returned, &rev(0), approve("同意")).code(),
        "review_invalid_state"
    );
}

#[test]
fn opinion_required_names_the_field() {
    let flow = flow3();
    let case = at_b(&flow);
    for missing in [None, Some(""), Some("  \u{3000} ")] {
        let e = err(
            &flow,
            &case,
            &rev(1),
            Action::Approve {
                opinion: missing.map(str::to_owned),
            },
        );
        assert_eq!(e, ReviewError::OpinionRequired { action: Approve });
        assert_eq!(e.field(), Some("opinion"));
        assert_eq!(e.to_string(), "请填写审核意见（通过时必须填写）");
    }
    let long = "意".repeat(MAX_OPINION_CHARS + 1);
    let e = err(&flow, &case, &rev(1), approve(&long));
    assert_eq!(e.code(), "review_opinion_too_long");
    assert_eq!(e.field(), Some("opinion"));
    let longest = "意".repeat(MAX_OPINION_CHARS);
    ok(&flow, &case, &rev(1), approve(&longest));
}

// ---------------------------------------------------------------- reject

#[test]
fn reject_is_terminal_and_needs_an_opinion() {
    let flow = flow3();
    let case = submitted(&flow);
    for action in [
        Action::Reject { opinion: None },
        Action::Reject { opinion: op(" ") },
    ] {
        let e = err(&flow, &case, &rev(0), action);
        assert_eq!(e, ReviewError::OpinionRequired { action: Reject });
        assert_eq!(e.field(), Some("opinion"));
    }
    let t = ok(&flow, &case, &rev(0), reject("不符合条件"));
    assert_eq!(t.case.status(), CaseStatus::Rejected);
    assert_eq!(t.tasks, vec![close(0, TaskOutcome::Rejected)]);
    assert!(!t.completed);
    assert_eq!(t.trail.opinion.as_deref(), Some("不符合条件"));
    for (actor, action) in [
        (rev(0), Action::WithdrawByReviewer),
        (rev(0), approve("改判")),
        (owner(), Action::Resubmit),
        (owner(), Action::SaveDraft),
    ] {
        let e = err(&flow, &t.case, &actor, action);
        assert_eq!(e.code(), "review_case_closed");
        assert_eq!(e.to_string(), "该事项审核不通过，不能再办理");
    }
}

#[test]
fn actions_the_stage_does_not_allow_are_refused() {
    let flow = approve_only();
    let case = submitted(&flow);
    let e = err(&flow, &case, &rev(0), reject("不行"));
    assert_eq!(
        e,
        ReviewError::ActionNotAllowed {
            stage: "审核".into(),
            action: Reject
        }
    );
    assert_eq!(e.to_string(), "“审核”环节不能不通过");
    assert_eq!(
        err(&flow, &case, &rev(0), ret("退回")).code(),
        "review_action_not_allowed"
    );
}

// ---------------------------------------------------------------- return, resubmit

#[test]
fn return_to_owner_and_resubmit_resumes_at_the_returning_stage() {
    let flow = flow3();
    let at_c = ok(&flow, &at_b(&flow), &rev(1), approve("可以")).case;
    let t = ok(&flow, &at_c, &rev(2), ret("请补充发票"));
    assert_eq!(t.case.status(), CaseStatus::Returned { from_stage: 2 });
    assert_eq!(t.trail.return_to, Some(ReturnTarget::Owner));
    assert_eq!(t.tasks, vec![close(2, TaskOutcome::Returned)]);
    assert_eq!(t.case.round(), 1);

    let saved = ok(&flow, &t.case, &owner(), Action::SaveDraft).case;
    let r = ok(&flow, &saved, &owner(), Action::Resubmit);
    assert_eq!(r.case.status(), CaseStatus::InReview { stage: 2 });
    assert_eq!(r.case.round(), 2);
    assert_eq!(r.trail.round, 2);
    assert_eq!(r.trail.stage, Some(2));
    assert_eq!(r.tasks, vec![open(&flow, 2)]);

    let e = err(&flow, &Case::new(OWNER_ORG), &owner(), Action::Resubmit);
    assert_eq!(e.to_string(), "当前状态为“未提交”，不能重新提交");
    assert_eq!(
        err(&flow, &saved, &rev(2), Action::Resubmit),
        ReviewError::NotOwner
    );
}

#[test]
fn return_to_the_previous_stage_reopens_its_task() {
    let flow = flow3();
    let t = ok(&flow, &at_b(&flow), &rev(1), ret("请镇街核实"));
    assert_eq!(t.case.status(), CaseStatus::InReview { stage: 0 });
    assert_eq!(t.trail.return_to, Some(ReturnTarget::PreviousStage));
    assert_eq!(
        t.tasks,
        vec![close(1, TaskOutcome::Returned), open(&flow, 0)]
    );
    // Stage a acts again.
    let again = ok(&flow, &t.case, &rev(0), approve("已核实"));
    assert_eq!(again.case.status(), CaseStatus::InReview { stage: 1 });
}

#[test]
fn return_checks_target_and_opinion() {
    let flow = flow3();
    let case = at_b(&flow);
    let e = err(
        &flow,
        &case,
        &rev(1),
        Action::Return {
            opinion: op("退回企业"),
            to: Some(ReturnTarget::Owner),
        },
    );
    assert_eq!(e.code(), "review_return_target");
    assert_eq!(e.field(), Some("to"));
    assert_eq!(e.to_string(), "“第三方初审”环节只能退回上一环节");
    let t = ok(
        &flow,
        &case,
        &rev(1),
        Action::Return {
            opinion: op("回退"),
            to: Some(ReturnTarget::PreviousStage),
        },
    );
    assert_eq!(t.case.status(), CaseStatus::InReview { stage: 0 });

    let e = err(
        &flow,
        &case,
        &rev(1),
        Action::Return {
            opinion: None,
            to: None,
        },
    );
    assert_eq!(e, ReviewError::OpinionRequired { action: Return });
    assert_eq!(e.to_string(), "请填写审核意见（退回时必须填写）");
}

// ---------------------------------------------------------------- reviewer withdraw

#[test]
fn reviewer_withdraws_an_approve_exactly() {
    let flow = flow3();
    let before = submitted(&flow);
    let approved = ok(&flow, &before, &rev(0), approve("同意")).case;
    let t = ok(&flow, &approved, &rev(0), Action::WithdrawByReviewer);
    assert_eq!(t.case.state(), before.state());
    assert!(!t.case.state().ever_approved());
    assert_eq!(t.case.version(), approved.version() + 1);
    assert_eq!(t.case.round(), before.round());
    assert_eq!(t.trail.stage, Some(0));
    assert_eq!(t.trail.opinion, None);
    assert_eq!(
        t.tasks,
        vec![close(1, TaskOutcome::Cancelled), open(&flow, 0)]
    );
    // Once is enough: the withdraw itself cannot be withdrawn.
    assert_eq!(
        err(&flow, &t.case, &rev(0), Action::WithdrawByReviewer),
        ReviewError::NothingToWithdraw
    );
    // The owner cannot withdraw either: stage a has handled the case.
    assert_eq!(
        err(&flow, &t.case, &owner(), Action::WithdrawByOwner),
        ReviewError::OwnerWithdrawTooLate
    );
}

#[test]
fn reviewer_withdraws_returns() {
    let flow = flow3();
    // To the owner: the task reopens.
    let before = submitted(&flow);
    let returned = ok(&flow, &before, &rev(0), ret("补充")).case;
    let t = ok(&flow, &returned, &rev(0), Action::WithdrawByReviewer);
    assert_eq!(t.case.state(), before.state());
    assert_eq!(t.tasks, vec![open(&flow, 0)]);

    // To the previous stage: that stage's task is cancelled, ours reopens.
    let before = at_b(&flow);
    let back = ok(&flow, &before, &rev(1), ret("回退")).case;
    let t = ok(&flow, &back, &rev(1), Action::WithdrawByReviewer);
    assert_eq!(t.case.state(), before.state());
    assert_eq!(
        t.tasks,
        vec![close(0, TaskOutcome::Cancelled), open(&flow, 1)]
    );
}

#[test]
fn reviewer_withdraw_refusals() {
    let flow = flow3();
    let case = at_b(&flow);

    // The next stage acted.
    let at_c = ok(&flow, &case, &rev(1), approve("同意")).case;
    let e = err(&flow, &at_c, &rev(0), Action::WithdrawByReviewer);
    assert_eq!(e, ReviewError::WithdrawTooLate);
    assert_eq!(e.to_string(), "下一环节已处理，无法撤回");

    // Only the actor of the last action, not a colleague at the same stage.
    let e = err(&flow, &case, &colleague(0), Action::WithdrawByReviewer);
    assert_eq!(e, ReviewError::NotLastActor);
    assert_eq!(e.code(), "review_withdraw_not_actor");

    // The stage waiting for its turn has nothing to withdraw.
    assert_eq!(
        err(&flow, &case, &rev(1), Action::WithdrawByReviewer),
        ReviewError::NothingToWithdraw
    );
    assert_eq!(
        err(
            &flow,
            &submitted(&flow),
            &rev(0),
            Action::WithdrawByReviewer
        ),
        ReviewError::NothingToWithdraw
    );
    assert_eq!(
        err(
            &flow,
            &Case::new(OWNER_ORG),
            &rev(0),
            Action::WithdrawByReviewer
        ),
        ReviewError::NothingToWithdraw
    );

    // After the owner started editing a returned case.
    let returned = ok(&flow, &submitted(&flow), &rev(0), ret("补充")).case;
    let edited = ok(&flow, &returned, &owner(), Action::SaveDraft).case;
    assert_eq!(
        err(&flow, &edited, &rev(0), Action::WithdrawByReviewer),
        ReviewError::WithdrawTooLate
    );

    // Stage c does not allow withdraw.
    let returned_c = ok(&flow, &at_c, &rev(2), ret("补充")).case;
    assert_eq!(
        err(&flow, &returned_c, &rev(2), Action::WithdrawByReviewer),
        ReviewError::ActionNotAllowed {
            stage: "市工信复审".into(),
            action: Withdraw
        }
    );

    // Owners and the system are not reviewers.
    assert_eq!(
        err(&flow, &case, &owner(), Action::WithdrawByReviewer),
        ReviewError::NotReviewer
    );
    let by_system = ok(
        &flow,
        &submitted(&flow),
        &Actor::system(0, "auto_advance"),
        approve("超时自动通过"),
    )
    .case;
    assert_eq!(
        err(
            &flow,
            &by_system,
            &Actor::system(0, "auto_advance"),
            Action::WithdrawByReviewer
        ),
        ReviewError::NotReviewer
    );
    assert_eq!(
        err(&flow, &by_system, &rev(0), Action::WithdrawByReviewer),
        ReviewError::WithdrawTooLate
    );
}

// ---------------------------------------------------------------- owner withdraw

#[test]
fn owner_withdraws_a_submission_back_to_draft() {
    let flow = flow3();
    let draft = ok(&flow, &Case::new(OWNER_ORG), &owner(), Action::SaveDraft).case;
    let sub = ok(&flow, &draft, &owner(), Action::Submit).case;
    let t = ok(&flow, &sub, &owner(), Action::WithdrawByOwner);
    assert_eq!(t.case.state(), draft.state());
    assert_eq!(t.case.status(), CaseStatus::Draft);
    assert_eq!(t.trail.stage, Some(0));
    assert_eq!(t.tasks, vec![close(0, TaskOutcome::Cancelled)]);
    // The withdrawn round keeps its number; the next submission is round 2.
    assert_eq!(t.case.round(), 1);
    let again = ok(&flow, &t.case, &owner(), Action::Submit).case;
    assert_eq!(again.round(), 2);
    // Twice: nothing in review any more.
    assert_eq!(
        err(&flow, &t.case, &owner(), Action::WithdrawByOwner).code(),
        "review_invalid_state"
    );
}

#[test]
fn owner_withdraws_a_resubmission_back_to_returned() {
    let flow = flow3();
    let returned = ok(&flow, &at_b(&flow), &rev(1), approve("同意")).case;
    let returned = ok(&flow, &returned, &rev(2), ret("补充")).case;
    let resub = ok(&flow, &returned, &owner(), Action::Resubmit).case;
    let t = ok(&flow, &resub, &owner(), Action::WithdrawByOwner);
    assert_eq!(t.case.state(), returned.state());
    assert_eq!(t.case.status(), CaseStatus::Returned { from_stage: 2 });
    assert_eq!(t.tasks, vec![close(2, TaskOutcome::Cancelled)]);
    // And the next resubmission still resumes at stage c.
    let r = ok(&flow, &t.case, &owner(), Action::Resubmit).case;
    assert_eq!(r.status(), CaseStatus::InReview { stage: 2 });
}

#[test]
fn owner_withdraw_refusals() {
    let flow = flow3();
    let e = err(&flow, &at_b(&flow), &owner(), Action::WithdrawByOwner);
    assert_eq!(e, ReviewError::OwnerWithdrawTooLate);
    assert_eq!(e.to_string(), "审核单位已开始处理，无法撤回");
    // A 回退 from b lands on stage a again: still too late, a has acted.
    let back = ok(&flow, &at_b(&flow), &rev(1), ret("回退")).case;
    assert_eq!(
        err(&flow, &back, &owner(), Action::WithdrawByOwner),
        ReviewError::OwnerWithdrawTooLate
    );
    assert_eq!(
        err(
            &flow,
            &Case::new(OWNER_ORG),
            &owner(),
            Action::WithdrawByOwner
        )
        .code(),
        "review_invalid_state"
    );
    let stranger = Actor::owner("owner-user", "ent-2");
    assert_eq!(
        err(&flow, &submitted(&flow), &stranger, Action::WithdrawByOwner),
        ReviewError::NotOwner
    );
    assert_eq!(
        err(&flow, &submitted(&flow), &rev(0), Action::WithdrawByOwner),
        ReviewError::NotOwner
    );
}

// ---------------------------------------------------------------- delete

#[test]
fn delete_drafts_and_never_approved_cases() {
    let flow = flow3();
    let t = ok(&flow, &Case::new(OWNER_ORG), &owner(), Action::Delete);
    assert_eq!(t.case.status(), CaseStatus::Deleted);
    assert!(t.tasks.is_empty());
    let e = err(&flow, &t.case, &owner(), Action::Delete);
    assert_eq!(e.to_string(), "该事项已删除，不能再办理");
    assert_eq!(
        err(&flow, &t.case, &owner(), Action::Submit).code(),
        "review_case_closed"
    );

    let returned = ok(&flow, &submitted(&flow), &rev(0), ret("补充")).case;
    ok(&flow, &returned, &owner(), Action::Delete);
    let rejected = ok(&flow, &submitted(&flow), &rev(0), reject("不符合")).case;
    let t = ok(&flow, &rejected, &owner(), Action::Delete);
    assert_eq!(t.trail.before, CaseStatus::Rejected);
    // An approve that was withdrawn does not count.
    let approved = ok(&flow, &submitted(&flow), &rev(0), approve("同意")).case;
    let undone = ok(&flow, &approved, &rev(0), Action::WithdrawByReviewer).case;
    let returned = ok(&flow, &undone, &rev(0), ret("补充")).case;
    ok(&flow, &returned, &owner(), Action::Delete);
}

#[test]
fn delete_refusals() {
    let flow = flow3();
    // Once approved at some stage, then returned or rejected.
    let returned = ok(&flow, &at_b(&flow), &rev(1), approve("同意")).case;
    let returned = ok(&flow, &returned, &rev(2), ret("补充")).case;
    let e = err(&flow, &returned, &owner(), Action::Delete);
    assert_eq!(e, ReviewError::DeleteOnceApproved);
    assert_eq!(e.to_string(), "该事项已有审核环节通过，不能删除");
    let rejected = ok(&flow, &at_b(&flow), &rev(1), reject("不符合")).case;
    assert_eq!(
        err(&flow, &rejected, &owner(), Action::Delete),
        ReviewError::DeleteOnceApproved
    );
    // In review: withdraw first.
    let e = err(&flow, &submitted(&flow), &owner(), Action::Delete);
    assert_eq!(e.to_string(), "当前状态为“审核中”，不能删除");
    // Someone else's case.
    assert_eq!(
        err(
            &flow,
            &Case::new(OWNER_ORG),
            &Actor::owner("u", "ent-2"),
            Action::Delete
        ),
        ReviewError::NotOwner
    );
    assert_eq!(
        err(&flow, &Case::new(OWNER_ORG), &rev(0), Action::Delete),
        ReviewError::NotOwner
    );
}

// ---------------------------------------------------------------- concurrency, repetition

#[test]
fn stale_versions_conflict_before_anything_else() {
    let flow = flow3();
    let case = submitted(&flow);
    let e = apply(&flow, &case, &rev(0), approve("同意"), 0, T0).unwrap_err();
    assert_eq!(
        e,
        ReviewError::VersionConflict {
            expected: 0,
            actual: 1
        }
    );
    assert_eq!(e.code(), "review_version_conflict");
    assert_eq!(e.to_string(), "该事项已被他人处理，请刷新后重试");

    // Two reviewers of the same stage read version 1: exactly one wins.
    let first = apply(&flow, &case, &rev(0), approve("同意"), 1, T0).unwrap();
    let second = apply(&flow, &first.case, &colleague(0), ret("补充"), 1, T0).unwrap_err();
    assert_eq!(second.code(), "review_version_conflict");
    // Even on a closed case, a stale version is reported as such.
    let rejected = ok(&flow, &case, &rev(0), reject("否")).case;
    assert_eq!(
        apply(&flow, &rejected, &rev(0), reject("否"), 1, T0)
            .unwrap_err()
            .code(),
        "review_version_conflict"
    );
}

#[test]
fn repeating_an_action_on_the_new_version_fails_cleanly() {
    let flow = flow3();
    let cases: Vec<(Case, Actor, Action)> = vec![
        (Case::new(OWNER_ORG), owner(), Action::Submit),
        (submitted(&flow), rev(0), approve("同意")),
        (submitted(&flow), colleague(0), approve("同意")),
        (submitted(&flow), rev(0), reject("否")),
        (submitted(&flow), rev(0), ret("补充")),
        (at_b(&flow), rev(1), ret("回退")),
        (at_b(&flow), rev(0), Action::WithdrawByReviewer),
        (submitted(&flow), owner(), Action::WithdrawByOwner),
        (
            ok(&flow, &submitted(&flow), &rev(0), ret("补充")).case,
            owner(),
            Action::Resubmit,
        ),
        (Case::new(OWNER_ORG), owner(), Action::Delete),
        (
            submitted(&flow),
            Actor::system(0, "auto_advance"),
            approve("自动"),
        ),
    ];
    for (case, actor, action) in cases {
        let t = ok(&flow, &case, &actor, action.clone());
        assert!(
            apply(&flow, &t.case, &actor, action.clone(), t.case.version(), T0).is_err(),
            "{action:?} twice by {actor:?}"
        );
    }
}

// ---------------------------------------------------------------- system, batch, buttons

#[test]
fn system_acts_for_a_stage_with_a_reason() {
    let flow = flow3();
    let system = Actor::system(0, "auto_advance");
    let t = ok(&flow, &submitted(&flow), &system, approve("逾期自动通过"));
    assert_eq!(t.trail.reason.as_deref(), Some("auto_advance"));
    assert_eq!(t.trail.actor.user_id, "system");
    assert_eq!(t.case.status(), CaseStatus::InReview { stage: 1 });
    assert_eq!(
        err(
            &flow,
            &t.case,
            &Actor::system(0, "auto_advance"),
            approve("x")
        ),
        ReviewError::WrongStage { current: 1 }
    );
    let people = ok(&flow, &submitted(&flow), &rev(0), approve("同意"));
    assert_eq!(people.trail.reason, None);
}

#[test]
fn batch_approve_reports_each_item() {
    let flow = flow3();
    let a = submitted(&flow);
    let b = submitted(&flow);
    let elsewhere = at_b(&flow);
    let stale = submitted(&flow);
    let items = vec![
        (a.clone(), a.version()),
        (elsewhere.clone(), elsewhere.version()),
        (b.clone(), b.version()),
        (stale.clone(), stale.version() + 7),
    ];
    let results = batch_approve(&flow, &items, &rev(0), Some("同意推荐"), T0);
    assert_eq!(results.len(), 4);
    assert!(results[0].is_ok() && results[2].is_ok());
    assert_eq!(
        results[0].as_ref().unwrap().trail.opinion.as_deref(),
        Some("同意推荐")
    );
    assert_eq!(
        results[1].as_ref().unwrap_err(),
        &ReviewError::WrongStage { current: 1 }
    );
    assert_eq!(
        results[3].as_ref().unwrap_err().code(),
        "review_version_conflict"
    );

    // Stage b needs an opinion: every item fails on its own, none is skipped.
    let items = vec![(elsewhere.clone(), elsewhere.version()); 3];
    let results = batch_approve(&flow, &items, &rev(1), None, T0);
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap_err().field() == Some("opinion"))
    );
    assert!(batch_approve(&flow, &[], &rev(1), None, T0).is_empty());
}

#[test]
fn available_actions_follow_the_rules() {
    use ActionKind as K;
    let flow = flow3();
    let draft = Case::new(OWNER_ORG);
    assert_eq!(
        available_actions(&flow, &draft, &owner()),
        vec![K::SaveDraft, K::Submit, K::Delete]
    );
    let sub = submitted(&flow);
    assert_eq!(
        available_actions(&flow, &sub, &owner()),
        vec![K::WithdrawByOwner]
    );
    assert_eq!(
        available_actions(&flow, &sub, &rev(0)),
        vec![K::Approve, K::Reject, K::Return]
    );
    assert!(available_actions(&flow, &sub, &rev(1)).is_empty());
    let b = at_b(&flow);
    assert_eq!(
        available_actions(&flow, &b, &rev(0)),
        vec![K::WithdrawByReviewer]
    );
    let returned = ok(&flow, &sub, &rev(0), ret("补充")).case;
    assert_eq!(
        available_actions(&flow, &returned, &owner()),
        vec![K::SaveDraft, K::Resubmit, K::Delete]
    );
}

// ---------------------------------------------------------------- consistency, serde, errors

#[test]
fn a_case_outside_its_flow_is_refused() {
    let three = flow3();
    let at_c = ok(&three, &at_b(&three), &rev(1), approve("同意")).case;
    let e = err(&approve_only(), &at_c, &rev(2), approve("同意"));
    assert_eq!(
        e,
        ReviewError::FlowMismatch {
            stage: 2,
            stages: 1
        }
    );
}

#[test]
fn actions_and_cases_round_trip_through_json() {
    let action: Action =
        serde_json::from_str(r#"{"action":"return","opinion":"请补充","to":"previous_stage"}"#)
            .unwrap();
    assert_eq!(
        action,
        Action::Return {
            opinion: op("请补充"),
            to: Some(ReturnTarget::PreviousStage)
        }
    );
    let action: Action = serde_json::from_str(r#"{"action":"approve"}"#).unwrap();
    assert_eq!(action, Action::Approve { opinion: None });
    let action: Action = serde_json::from_str(r#"{"action":"withdraw_by_owner"}"#).unwrap();
    assert_eq!(action.kind(), ActionKind::WithdrawByOwner);

    let flow = flow3();
    let t = ok(&flow, &at_b(&flow), &rev(1), ret("回退"));
    let json = serde_json::to_string(&t).unwrap();
    let back: Transition = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    let status = serde_json::to_value(t.case.status()).unwrap();
    assert_eq!(
        status,
        serde_json::json!({"status": "in_review", "stage": 0})
    );
    // The stored case still withdraws exactly after a round trip.
    let w = ok(&flow, &back.case, &rev(1), Action::WithdrawByReviewer);
    assert_eq!(w.case.status(), CaseStatus::InReview { stage: 1 });
}

#[test]
fn status_codes_and_labels() {
    let all = CaseStatus::EACH;
    let codes: Vec<&str> = all.iter().map(|s| s.code()).collect();
    assert_eq!(
        codes,
        [
            "draft",
            "in_review",
            "returned",
            "approved",
            "rejected",
            "deleted"
        ]
    );
    let labels: Vec<&str> = all.iter().map(|s| s.label()).collect();
    assert_eq!(
        labels,
        ["未提交", "审核中", "已退回", "审核通过", "不通过", "已删除"]
    );
    for kind in ActionKind::ALL {
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            serde_json::Value::String(kind.code().into())
        );
    }
}

fn all_errors() -> Vec<Box<dyn ErrorCode>> {
    vec![
        Box::new(FlowError::Json("x".into())),
        Box::new(FlowError::Key {
            what: "流程",
            key: "X".into(),
        }),
        Box::new(FlowError::Name {
            what: "流程".into(),
        }),
        Box::new(FlowError::Version),
        Box::new(FlowError::NoStages),
        Box::new(FlowError::DuplicateStage { key: "a".into() }),
        Box::new(FlowError::DuplicateAction {
            stage: "a".into(),
            action: "通过",
        }),
        Box::new(FlowError::NoApprove { stage: "a".into() }),
        Box::new(FlowError::Opinion {
            stage: "a".into(),
            problem: "不允许".into(),
        }),
        Box::new(FlowError::ReturnToPrevious { stage: "a".into() }),
        Box::new(FlowError::AssignedBy {
            stage: "a".into(),
            target: "b".into(),
        }),
        Box::new(FlowError::Assignee {
            stage: "a".into(),
            what: "角色",
        }),
        Box::new(FlowError::Deadline {
            stage: "a".into(),
            days: 0,
        }),
        Box::new(ReviewError::VersionConflict {
            expected: 1,
            actual: 2,
        }),
        Box::new(ReviewError::Closed {
            status: CaseStatus::Approved,
        }),
        Box::new(ReviewError::InvalidState {
            action: ActionKind::Submit,
            status: CaseStatus::Approved,
        }),
        Box::new(ReviewError::NotOwner),
        Box::new(ReviewError::NotReviewer),
        Box::new(ReviewError::WrongStage { current: 0 }),
        Box::new(ReviewError::ActionNotAllowed {
            stage: "a".into(),
            action: Reject,
        }),
        Box::new(ReviewError::OpinionRequired { action: Return }),
        Box::new(ReviewError::OpinionTooLong { max: 1, chars: 2 }),
        Box::new(ReviewError::ReturnTarget {
            stage: "a".into(),
            allowed: ReturnTarget::Owner,
        }),
        Box::new(ReviewError::NothingToWithdraw),
        Box::new(ReviewError::WithdrawTooLate),
        Box::new(ReviewError::NotLastActor),
        Box::new(ReviewError::OwnerWithdrawTooLate),
        Box::new(ReviewError::DeleteOnceApproved),
        Box::new(ReviewError::FlowMismatch {
            stage: 3,
            stages: 1,
        }),
    ]
}

#[test]
fn error_codes_are_unique_snake_case_with_chinese_messages() {
    let mut seen = HashSet::new();
    for e in all_errors() {
        let code = e.code();
        assert!(code.starts_with("review_"), "{code}");
        assert!(
            code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code}"
        );
        assert!(seen.insert(code), "duplicate {code}");
        let msg = e.to_string();
        assert!(
            msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{code}: {msg}"
        );
    }
}
