//! The seeded flows: the manuals' review chains (spec `20-review-engine.md`,
//! "Flows in the manuals"), version 1 of each. A city edits them into new
//! versions; these are only the starting point.
//!
//! Conventions used here (decisions where the manuals are silent):
//! - Reviewers may approve, reject, return (to the owner) and withdraw, unless
//!   the manual says otherwise; approving needs no opinion except in calls,
//!   where 003 asks for one at every stage ("处室审核后需填写相应的审核意见").
//! - `FixedOrganization` ids are placeholders for the program's configured
//!   organizations, to bind with [`FlowDefinition::bind_organization`]:
//!   [`OPERATOR`], [`PRE_REVIEW_ORG`], [`THIRD_PARTY_REVIEW_ORG`],
//!   [`VOUCHER_EVALUATION_ORG`].
//! - Roles: [`REVIEW_ROLE`] is the server's `reviews` menu permission (any
//!   member of the authority allowed to review); calls use the government user
//!   types `district_member`, `city_section_member`, `city_section_leader`.
//! - `CaseOrganization` fields name the module record's field holding the
//!   organization id (`lead_unit_id`, `enterprise_id`, …).

use super::flow::{AssigneeRule, FlowDefinition, FlowSpec, ReturnTarget, StageAction, StageSpec};
use crate::region::RegionLevel;

/// Placeholder org id of the platform operator (平台运营).
pub const OPERATOR: &str = "platform_operator";
/// Placeholder org id of the product pre-review organization (预审机构, 000).
pub const PRE_REVIEW_ORG: &str = "pre_review_org";
/// Placeholder org id of the third party commissioned for filing review (第三方初审, 002).
pub const THIRD_PARTY_REVIEW_ORG: &str = "third_party_review_org";
/// Placeholder org id of the third party evaluating diagnosis-voucher redemptions (001).
pub const VOUCHER_EVALUATION_ORG: &str = "voucher_evaluation_org";
/// Role (the server's menu permission) of an authority's reviewers.
pub const REVIEW_ROLE: &str = "reviews";

use StageAction::{Approve, Reject, Return, Withdraw};

const ALL: &[StageAction] = &[Approve, Reject, Return, Withdraw];

fn stage(key: &str, name: &str, assignee: AssigneeRule) -> StageSpec {
    StageSpec {
        key: key.to_owned(),
        name: name.to_owned(),
        assignee,
        actions: ALL.to_vec(),
        opinion_required: Vec::new(),
        return_to: ReturnTarget::Owner,
        deadline_days: None,
    }
}

fn authority(level: RegionLevel) -> AssigneeRule {
    AssigneeRule::RegionAuthority {
        level,
        role: REVIEW_ROLE.to_owned(),
    }
}

fn fixed(org_id: &str) -> AssigneeRule {
    AssigneeRule::FixedOrganization {
        org_id: org_id.to_owned(),
    }
}

fn case_org(field: &str) -> AssigneeRule {
    AssigneeRule::CaseOrganization {
        field: field.to_owned(),
    }
}

fn section(level: RegionLevel, role: &str) -> AssigneeRule {
    AssigneeRule::ResponsibleSection {
        level,
        role: role.to_owned(),
    }
}

fn flow(key: &str, name: &str, stages: Vec<StageSpec>) -> FlowDefinition {
    FlowDefinition::new(FlowSpec {
        key: key.to_owned(),
        name: name.to_owned(),
        version: 1,
        stages,
    })
    .expect("seeded flows are valid")
}

/// The call application flow (项目申报, 003): (区县审核 →) 市处室审核 →
/// 市处室领导推荐 → 省工信厅审核. `district_review` is the track's
/// 是否需要区县审核 setting; without it the flow is a case kind of its own
/// (`call_application_city`), because a case pins its flow by its kind and a
/// call's setting may change after its first applications started.
///
/// Every stage needs an opinion to recommend. The first stage returns to the
/// enterprise (退回待提交); later stages 回退 to the previous stage as in 003.
pub fn call_application_flow(district_review: bool) -> FlowDefinition {
    let mut stages = Vec::new();
    if district_review {
        stages.push(stage(
            "district_review",
            "区县审核",
            section(RegionLevel::District, "district_member"),
        ));
    }
    stages.push(stage(
        "city_section_review",
        "市处室审核",
        section(RegionLevel::City, "city_section_member"),
    ));
    stages.push(stage(
        "city_leader_recommend",
        "市处室领导推荐",
        section(RegionLevel::City, "city_section_leader"),
    ));
    stages.push(stage(
        "province_review",
        "省工信厅审核",
        authority(RegionLevel::Province),
    ));
    for (i, s) in stages.iter_mut().enumerate() {
        s.opinion_required = vec![Approve];
        if i > 0 {
            s.return_to = ReturnTarget::PreviousStage;
        }
    }
    if district_review {
        flow("call_application", "项目申报", stages)
    } else {
        flow("call_application_city", "项目申报（不经区县审核）", stages)
    }
}

/// The seeded flows of the spec's table, in its order, version 1; the call
/// application twice, with and without the district stage.
pub fn default_flows() -> Vec<FlowDefinition> {
    let mut receipt = stage("receipt", "确认收款", case_org("provider_id"));
    // The provider confirms the transfer arrived; if it did not, the payment
    // approval looks again. The provider is the owner, so there is nobody
    // else to return to, and nothing to reject.
    receipt.actions = vec![Approve, Return, Withdraw];
    receipt.return_to = ReturnTarget::PreviousStage;

    let mut confirm = stage("enterprise_confirm", "企业确认", case_org("enterprise_id"));
    // 002: the enterprise confirms the agency's report or returns it for revision.
    confirm.actions = vec![Approve, Return, Withdraw];

    vec![
        flow(
            "alliance_join",
            "服务商入库申请",
            vec![stage(
                "lead_unit_confirm",
                "牵引机构确认",
                case_org("lead_unit_id"),
            )],
        ),
        flow(
            "product_entry",
            "产品入库申请",
            vec![
                stage(
                    "lead_unit_confirm",
                    "牵引机构确认",
                    case_org("lead_unit_id"),
                ),
                stage("pre_review", "预审", fixed(PRE_REVIEW_ORG)),
                stage("city_review", "市工信复审", authority(RegionLevel::City)),
            ],
        ),
        flow(
            "provider_certification",
            "服务商认证审核",
            vec![stage("operator_review", "平台运营审核", fixed(OPERATOR))],
        ),
        flow(
            "listing",
            "商品上架",
            vec![
                stage("operator_review", "运营人员初审", fixed(OPERATOR)),
                // 001: "平台会邀请相关的专家对服务商提交的商品或者服务进行评审".
                stage(
                    "expert_review",
                    "专家评审",
                    AssigneeRule::AssignedByStage {
                        stage_key: "operator_review".to_owned(),
                    },
                ),
                stage(
                    "province_review",
                    "工信厅终审",
                    authority(RegionLevel::Province),
                ),
            ],
        ),
        flow(
            "diagnosis_voucher_redemption",
            "诊断服务券兑付",
            vec![
                stage("evaluation", "第三方评估", fixed(VOUCHER_EVALUATION_ORG)),
                stage("settlement_approval", "结算审批", fixed(OPERATOR)),
                stage("payment_approval", "支付审批", fixed(OPERATOR)),
                receipt,
            ],
        ),
        flow(
            "general_voucher_redemption",
            "通用服务券兑付",
            vec![stage("operator_approval", "运营审批", fixed(OPERATOR))],
        ),
        flow(
            "filing",
            "项目备案",
            vec![
                stage("town_review", "镇街审核", authority(RegionLevel::Town)),
                stage(
                    "third_party_review",
                    "第三方初审",
                    fixed(THIRD_PARTY_REVIEW_ORG),
                ),
                stage("city_review", "市工信复审", authority(RegionLevel::City)),
            ],
        ),
        // 信息变更 of a filed project: the spec's table gives 信息变更 to the city (docs/decisions/0018).
        flow(
            "filing_change",
            "项目备案信息变更",
            vec![stage(
                "city_review",
                "市工信审核",
                authority(RegionLevel::City),
            )],
        ),
        flow(
            "presubsidy",
            "预奖补",
            vec![stage(
                "city_review",
                "市工信审核",
                authority(RegionLevel::City),
            )],
        ),
        // 事前诊断 by an agency (诊断机构诊断 / 市工信局分配): the agency's report, confirmed the same way.
        flow("diagnosis_report", "事前诊断报告确认", vec![confirm.clone()]),
        flow("evaluation_report", "事后评估报告确认", vec![confirm]),
        flow(
            "acceptance",
            "项目入库",
            vec![
                stage("town_review", "镇街审核", authority(RegionLevel::Town)),
                // The city assigns the project's 验收专家 (a person) before this
                // stage opens; there is no earlier city stage in this flow to name.
                stage(
                    "expert_review",
                    "验收专家审核",
                    AssigneeRule::CasePerson {
                        field: "acceptance_expert_id".to_owned(),
                    },
                ),
                stage("city_review", "市工信复审", authority(RegionLevel::City)),
            ],
        ),
        flow(
            "info_change",
            "信息变更",
            vec![stage(
                "city_review",
                "市工信审核",
                authority(RegionLevel::City),
            )],
        ),
        call_application_flow(true),
        call_application_flow(false),
        flow(
            "pilot_application",
            "试点企业申报",
            vec![stage(
                "city_review",
                "市工信局审核",
                authority(RegionLevel::City),
            )],
        ),
    ]
}
