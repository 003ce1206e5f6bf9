//! Flow definitions: the configured, versioned list of stages a case passes.
//!
//! A flow is data (principle 2 of the overview: "flows and forms are data"),
//! stored by the server as JSON per version and pinned to each case when it is
//! submitted. [`FlowDefinition`] can only be obtained through
//! [`FlowDefinition::new`] / [`FlowDefinition::parse`] (and serde, which goes
//! through the same checks), so the engine never meets a flow whose first
//! stage returns "to the previous stage" or whose expert stage is assigned by
//! a stage that comes after it.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::region::RegionLevel;

/// Longest flow, stage and configuration key accepted (ASCII characters).
pub const MAX_KEY_LEN: usize = 64;
/// Longest stage deadline, in days. A longer "deadline" is a typo, not a rule.
pub const MAX_DEADLINE_DAYS: u32 = 365;

/// What a stage's reviewer may do to a case waiting at the stage.
///
/// The owner's actions (save, submit, resubmit, withdraw, delete) are not
/// configured per stage: the spec gives them to every flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageAction {
    /// 通过 / 推荐 / 同意 / 确认: opens the next stage or completes the case.
    Approve,
    /// 不通过 / 不推荐 / 不受理: terminal. Always needs an opinion.
    Reject,
    /// 退回 / 驳回 / 回退: to the owner or to the previous stage. Always needs an opinion.
    Return,
    /// 撤回: the reviewer undoes its own last approve or return while the next
    /// party has not acted (003 §4.3.2.3).
    Withdraw,
}

impl StageAction {
    /// Chinese verb for messages ("不能退回").
    pub fn label(self) -> &'static str {
        match self {
            StageAction::Approve => "通过",
            StageAction::Reject => "不通过",
            StageAction::Return => "退回",
            StageAction::Withdraw => "撤回",
        }
    }

    /// Reject and return always need an opinion: the owner must learn why.
    pub fn opinion_always_required(self) -> bool {
        matches!(self, StageAction::Reject | StageAction::Return)
    }
}

/// Where a return sends the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnTarget {
    /// Back to the owner (已退回, 退回待提交); a resubmission resumes at the
    /// stage that returned it.
    #[default]
    Owner,
    /// Back to the previous stage, whose task reopens (003 "回退：将项目退回到上一环节").
    PreviousStage,
}

impl ReturnTarget {
    pub fn label(self) -> &'static str {
        match self {
            ReturnTarget::Owner => "申请单位",
            ReturnTarget::PreviousStage => "上一环节",
        }
    }
}

/// Who acts at a stage. Only data: the server resolves it to organizations
/// (and maybe users) when the stage's task opens, and records the result on
/// the task, so a later change of configuration does not move open work.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssigneeRule {
    /// The applicant's region authority at `level` (镇街 / 区县 / 市 / 省),
    /// users holding `role` in it.
    RegionAuthority { level: RegionLevel, role: String },
    /// An organization named in the case's own data (`field` of the module's
    /// record, e.g. the lead unit chosen in the form).
    CaseOrganization { field: String },
    /// A person named in the case's data by the program, not the applicant (the 验收专家 the city assigns):
    /// `field` holds a user id; the task goes to that user's organization, and only that user holds it.
    CasePerson { field: String },
    /// An organization fixed by the program's configuration (the pre-review
    /// org, the operator). In [`default_flows`](super::default_flows) this is a
    /// placeholder key to bind with [`FlowDefinition::bind_organization`].
    FixedOrganization { org_id: String },
    /// Organizations or people assigned by the earlier stage `stage_key`
    /// (e.g. the operator invites listing experts).
    AssignedByStage { stage_key: String },
    /// The responsible section (责任科室) configured per call track at `level`,
    /// users holding `role` in it (handler or section leader).
    ResponsibleSection { level: RegionLevel, role: String },
}

/// A flow as plain data: the JSON shape stored by the server and what an
/// admin UI edits. Turn it into a [`FlowDefinition`] with
/// [`FlowDefinition::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowSpec {
    /// Case kind, snake_case (`product_entry`).
    pub key: String,
    /// Chinese name of the case kind (产品入库申请).
    pub name: String,
    /// Starts at 1; the server increments it when a flow is edited.
    pub version: u32,
    pub stages: Vec<StageSpec>,
}

/// One stage as plain data; see [`Stage`] for the meaning of each field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSpec {
    pub key: String,
    pub name: String,
    pub assignee: AssigneeRule,
    pub actions: Vec<StageAction>,
    /// Actions that need an opinion besides reject and return (which always
    /// do, listed or not). Only allowed actions, never withdraw.
    #[serde(default)]
    pub opinion_required: Vec<StageAction>,
    #[serde(default)]
    pub return_to: ReturnTarget,
    #[serde(default)]
    pub deadline_days: Option<u32>,
}

/// Why a flow definition was refused. Shown to the administrator editing
/// flows; stage names are quoted as configured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("流程定义格式不正确：{0}")]
    Json(String),
    #[error(
        "{what}标识“{key}”不合规：应以小写字母开头，只含小写字母、数字和下划线，不超过64个字符"
    )]
    Key { what: &'static str, key: String },
    #[error("{what}名称不能为空")]
    Name { what: String },
    #[error("流程版本号应从1开始")]
    Version,
    #[error("流程至少需要一个审核环节")]
    NoStages,
    #[error("环节标识“{key}”重复")]
    DuplicateStage { key: String },
    #[error("环节“{stage}”的操作“{action}”重复")]
    DuplicateAction { stage: String, action: &'static str },
    #[error("环节“{stage}”必须允许审核通过，否则事项无法办结")]
    NoApprove { stage: String },
    #[error("环节“{stage}”{problem}")]
    Opinion { stage: String, problem: String },
    #[error("第一个环节“{stage}”没有上一环节，不能设置为退回上一环节")]
    ReturnToPrevious { stage: String },
    #[error("环节“{stage}”的办理人应由它之前的环节指定，“{target}”不是它之前的环节")]
    AssignedBy { stage: String, target: String },
    #[error("环节“{stage}”的办理人规则缺少{what}")]
    Assignee { stage: String, what: &'static str },
    #[error("环节“{stage}”的办理期限应为1至365天，当前为{days}天")]
    Deadline { stage: String, days: u32 },
}

impl FlowError {
    pub fn code(&self) -> &'static str {
        match self {
            FlowError::Json(_) => "review_flow_json",
            FlowError::Key { .. } => "review_flow_key",
            FlowError::Name { .. } => "review_flow_name",
            FlowError::Version => "review_flow_version",
            FlowError::NoStages => "review_flow_empty",
            FlowError::DuplicateStage { .. } => "review_flow_duplicate_stage",
            FlowError::DuplicateAction { .. } => "review_flow_duplicate_action",
            FlowError::NoApprove { .. } => "review_flow_no_approve",
            FlowError::Opinion { .. } => "review_flow_opinion",
            FlowError::ReturnToPrevious { .. } => "review_flow_return_target",
            FlowError::AssignedBy { .. } => "review_flow_assigned_by",
            FlowError::Assignee { .. } => "review_flow_assignee",
            FlowError::Deadline { .. } => "review_flow_deadline",
        }
    }
}

/// One checked stage of a [`FlowDefinition`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    key: String,
    name: String,
    assignee: AssigneeRule,
    actions: Vec<StageAction>,
    opinion_required: Vec<StageAction>,
    return_to: ReturnTarget,
    deadline_days: Option<u32>,
}

impl Stage {
    /// Unique within the flow, snake_case; stable across versions so an
    /// [`AssigneeRule::AssignedByStage`] can name it.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Chinese name shown on the timeline (牵引机构确认).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn assignee(&self) -> &AssigneeRule {
        &self.assignee
    }

    /// The allowed reviewer actions, in configuration order; always contains approve.
    pub fn actions(&self) -> &[StageAction] {
        &self.actions
    }

    pub fn allows(&self, action: StageAction) -> bool {
        self.actions.contains(&action)
    }

    /// Whether `action` needs an opinion here. Always true for reject and return.
    pub fn opinion_required(&self, action: StageAction) -> bool {
        action.opinion_always_required() || self.opinion_required.contains(&action)
    }

    /// Where a return from this stage goes. Never `PreviousStage` on the first stage.
    pub fn return_to(&self) -> ReturnTarget {
        self.return_to
    }

    /// Calendar days the assignee has once the task opens, if the program sets a deadline.
    pub fn deadline_days(&self) -> Option<u32> {
        self.deadline_days
    }

    fn to_spec(&self) -> StageSpec {
        StageSpec {
            key: self.key.clone(),
            name: self.name.clone(),
            assignee: self.assignee.clone(),
            actions: self.actions.clone(),
            opinion_required: self.opinion_required.clone(),
            return_to: self.return_to,
            deadline_days: self.deadline_days,
        }
    }
}

/// A checked, versioned flow: at least one stage, unique stage keys, every
/// stage can approve, returns to the previous stage only after the first
/// stage, stage assignments name earlier stages.
///
/// Serializes to the [`FlowSpec`] JSON shape in canonical form (reject and
/// return listed in `opinion_required` when allowed); deserializing runs the
/// same checks as [`FlowDefinition::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlowSpec", into = "FlowSpec")]
pub struct FlowDefinition {
    key: String,
    name: String,
    version: u32,
    stages: Vec<Stage>,
}

fn valid_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_KEY_LEN
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
}

fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl FlowDefinition {
    /// Checks a flow given as data. Names and assignee strings are trimmed;
    /// `opinion_required` is stored in canonical form.
    pub fn new(spec: FlowSpec) -> Result<FlowDefinition, FlowError> {
        if !valid_key(&spec.key) {
            return Err(FlowError::Key {
                what: "流程",
                key: spec.key,
            });
        }
        let name = non_empty(&spec.name).ok_or(FlowError::Name {
            what: "流程".to_owned(),
        })?;
        if spec.version == 0 {
            return Err(FlowError::Version);
        }
        if spec.stages.is_empty() {
            return Err(FlowError::NoStages);
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut stages = Vec::with_capacity(spec.stages.len());
        for (index, raw) in spec.stages.into_iter().enumerate() {
            let stage = Self::check_stage(raw, index, &seen)?;
            seen.insert(stage.key.clone());
            stages.push(stage);
        }
        Ok(FlowDefinition {
            key: spec.key,
            name,
            version: spec.version,
            stages,
        })
    }

    /// `earlier` holds the keys of the stages before this one.
    fn check_stage(
        raw: StageSpec,
        index: usize,
        earlier: &HashSet<String>,
    ) -> Result<Stage, FlowError> {
        if !valid_key(&raw.key) {
            return Err(FlowError::Key {
                what: "环节",
                key: raw.key,
            });
        }
        if earlier.contains(&raw.key) {
            return Err(FlowError::DuplicateStage { key: raw.key });
        }
        let name = non_empty(&raw.name).ok_or_else(|| FlowError::Name {
            what: format!("环节“{}”的", raw.key),
        })?;
        let label = name.clone();

        let mut actions: Vec<StageAction> = Vec::with_capacity(raw.actions.len());
        for action in raw.actions {
            if actions.contains(&action) {
                return Err(FlowError::DuplicateAction {
                    stage: label,
                    action: action.label(),
                });
            }
            actions.push(action);
        }
        if !actions.contains(&StageAction::Approve) {
            return Err(FlowError::NoApprove { stage: label });
        }

        let mut opinion_required: Vec<StageAction> = Vec::new();
        for action in raw.opinion_required {
            if action == StageAction::Withdraw {
                return Err(FlowError::Opinion {
                    stage: label,
                    problem: "的撤回不填写意见，不能设置为必填".to_owned(),
                });
            }
            if !actions.contains(&action) {
                return Err(FlowError::Opinion {
                    stage: label,
                    problem: format!("不允许“{}”，不能要求填写其意见", action.label()),
                });
            }
            if opinion_required.contains(&action) {
                return Err(FlowError::DuplicateAction {
                    stage: label,
                    action: action.label(),
                });
            }
            opinion_required.push(action);
        }
        // Canonical form: the always-required ones are listed, in action order.
        let opinion_required: Vec<StageAction> = actions
            .iter()
            .copied()
            .filter(|a| a.opinion_always_required() || opinion_required.contains(a))
            .collect();

        if index == 0 && raw.return_to == ReturnTarget::PreviousStage {
            return Err(FlowError::ReturnToPrevious { stage: label });
        }

        let assignee = Self::check_assignee(raw.assignee, &label, earlier)?;

        if let Some(days) = raw.deadline_days
            && !(1..=MAX_DEADLINE_DAYS).contains(&days)
        {
            return Err(FlowError::Deadline { stage: label, days });
        }

        Ok(Stage {
            key: raw.key,
            name,
            assignee,
            actions,
            opinion_required,
            return_to: raw.return_to,
            deadline_days: raw.deadline_days,
        })
    }

    fn check_assignee(
        rule: AssigneeRule,
        stage: &str,
        earlier: &HashSet<String>,
    ) -> Result<AssigneeRule, FlowError> {
        let missing = |what| FlowError::Assignee {
            stage: stage.to_owned(),
            what,
        };
        Ok(match rule {
            AssigneeRule::RegionAuthority { level, role } => AssigneeRule::RegionAuthority {
                level,
                role: non_empty(&role).ok_or_else(|| missing("角色"))?,
            },
            AssigneeRule::CaseOrganization { field } => AssigneeRule::CaseOrganization {
                field: non_empty(&field).ok_or_else(|| missing("事项字段"))?,
            },
            AssigneeRule::CasePerson { field } => AssigneeRule::CasePerson {
                field: non_empty(&field).ok_or_else(|| missing("事项字段"))?,
            },
            AssigneeRule::FixedOrganization { org_id } => AssigneeRule::FixedOrganization {
                org_id: non_empty(&org_id).ok_or_else(|| missing("单位"))?,
            },
            AssigneeRule::AssignedByStage { stage_key } => {
                if !earlier.contains(&stage_key) {
                    return Err(FlowError::AssignedBy {
                        stage: stage.to_owned(),
                        target: stage_key,
                    });
                }
                AssigneeRule::AssignedByStage { stage_key }
            }
            AssigneeRule::ResponsibleSection { level, role } => AssigneeRule::ResponsibleSection {
                level,
                role: non_empty(&role).ok_or_else(|| missing("角色"))?,
            },
        })
    }

    /// Parses and checks a flow from its JSON ([`FlowSpec`] shape).
    pub fn parse(json: &str) -> Result<FlowDefinition, FlowError> {
        let spec: FlowSpec =
            serde_json::from_str(json).map_err(|e| FlowError::Json(e.to_string()))?;
        FlowDefinition::new(spec)
    }

    /// The plain-data form, to store or to edit into a new version.
    pub fn to_spec(&self) -> FlowSpec {
        FlowSpec {
            key: self.key.clone(),
            name: self.name.clone(),
            version: self.version,
            stages: self.stages.iter().map(Stage::to_spec).collect(),
        }
    }

    /// Case kind (`product_entry`).
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    /// At least one stage.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    pub fn stage(&self, index: usize) -> Option<&Stage> {
        self.stages.get(index)
    }

    /// Index of the stage with `key`.
    pub fn stage_index(&self, key: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.key == key)
    }

    /// Number of stages (≥ 1).
    pub fn len(&self) -> usize {
        self.stages.len()
    }

    /// Always false; present because `len` is.
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// Replaces the [`AssigneeRule::FixedOrganization`] placeholder `placeholder`
    /// (e.g. `platform_operator` in the seeded flows) with a deployment's
    /// organization id. Returns the flow unchanged if no stage uses it.
    pub fn bind_organization(&self, placeholder: &str, org_id: &str) -> Result<Self, FlowError> {
        let mut spec = self.to_spec();
        for stage in &mut spec.stages {
            if let AssigneeRule::FixedOrganization { org_id: current } = &mut stage.assignee
                && current == placeholder
            {
                *current = org_id.to_owned();
            }
        }
        FlowDefinition::new(spec)
    }
}

impl TryFrom<FlowSpec> for FlowDefinition {
    type Error = FlowError;

    fn try_from(spec: FlowSpec) -> Result<Self, FlowError> {
        FlowDefinition::new(spec)
    }
}

impl From<FlowDefinition> for FlowSpec {
    fn from(flow: FlowDefinition) -> FlowSpec {
        flow.to_spec()
    }
}

impl fmt::Display for FlowDefinition {
    /// `产品入库申请（第1版）：牵引机构确认 → 预审 → 市工信复审`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（第{}版）：", self.name, self.version)?;
        for (i, stage) in self.stages.iter().enumerate() {
            if i > 0 {
                f.write_str(" → ")?;
            }
            f.write_str(&stage.name)?;
        }
        Ok(())
    }
}
