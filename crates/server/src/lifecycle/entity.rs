//! Tables of migrations m0019_projects, m0020_pre_diagnosis, m0021_signing, m0022_presubsidy, m0023_implementation, m0024_national_sync, m0025_post_evaluation and m0026_completion.

/// The pilot project: one per filing, carrying the stage it has reached.
pub mod project {
    use sea_orm::entity::prelude::*;

    /// The five stages of spec 40 (项目备案 → 项目签约 → 项目实施-改造中 → 项目实施-改造完成 → 项目入库), and the end.
    /// A stage's record is created when the one before completes; the project's stage is the furthest reached.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum ProjectStage {
        /// 项目备案: drafted, in review or returned.
        Filing,
        /// 项目签约 (待签约 until signed): filing completed, the 项目备案号 issued.
        Signing,
        /// 项目实施-改造中.
        Implementation,
        /// 项目实施-改造完成.
        Completion,
        /// 项目入库, in its window and review.
        Acceptance,
        /// 已入库.
        Accepted,
    }

    impl ProjectStage {
        pub const ALL: [ProjectStage; 6] =
            [ProjectStage::Filing, ProjectStage::Signing, ProjectStage::Implementation, ProjectStage::Completion, ProjectStage::Acceptance, ProjectStage::Accepted];

        pub fn label(self) -> &'static str {
            match self {
                ProjectStage::Filing => "项目备案",
                ProjectStage::Signing => "项目签约",
                ProjectStage::Implementation => "项目实施-改造中",
                ProjectStage::Completion => "项目实施-改造完成",
                ProjectStage::Acceptance => "项目入库",
                ProjectStage::Accepted => "已入库",
            }
        }
    }

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "projects")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// The enterprise.
        pub org_id: String,
        /// 项目名称, as last saved in the filing.
        pub name: String,
        pub stage: ProjectStage,
        /// The filing's review case (kind `filing`).
        pub filing_case_id: String,
        /// 项目备案号, issued when the filing completes (`[lifecycle] filing_number`).
        pub filing_number: Option<String>,
        pub filed_at: Option<ChronoDateTimeUtc>,
        /// 所属镇街 of the filing: its 9-digit region code; the town reviews the filing and the acceptance.
        pub town_code: Option<String>,
        /// 意向行业型服务商 (a lead unit); changeable at signing.
        pub lead_unit_id: Option<String>,
        /// 诊断方式: 自诊断 / 诊断机构诊断 / 市工信局分配.
        pub diagnosis_mode: Option<String>,
        /// 事前诊断 by 自诊断: the assessment result chosen; its level is the 改造前数字化水平等级.
        pub pre_assessment_id: Option<String>,
        /// 改造前数字化水平等级 (1–4, 0 = 无等级) and how it reads (二级（规范级）…).
        pub pre_level: Option<i32>,
        pub pre_level_label: Option<String>,
        /// When the pre-diagnosis result was fixed (是否逾期 compares it with the deadline).
        pub diagnosed_at: Option<ChronoDateTimeUtc>,
        /// The latest 信息变更 of the filing (kind `filing_change`), open or closed. A new one may start only
        /// when this one is closed: the conditional update that sets it is what keeps changes one at a time.
        pub change_case_id: Option<String>,
        /// The approved 信息变更 whose form is the project's filed information now; `None`: the filing's own.
        pub record_case_id: Option<String>,
        /// 诊断机构 of an agency's 事前诊断 (chosen by the enterprise, or assigned by the city), and its name then.
        pub diagnosis_agency_id: Option<String>,
        pub diagnosis_agency_name: Option<String>,
        /// The agency's report as a review case (kind `diagnosis_report`): the agency writes it, the enterprise
        /// confirms it (the level becomes 改造前数字化水平等级) or returns it. Set once, by a conditional update.
        pub diagnosis_case_id: Option<String>,
        /// 事后评估 (m0025): 评估方式 (评估机构评估 / 市工信局分配), chosen at 发起评估 once 项目实施-改造中 is submitted.
        pub evaluation_mode: Option<String>,
        /// 评估机构 (chosen by the enterprise, or assigned by the city), and its name then.
        pub evaluation_agency_id: Option<String>,
        pub evaluation_agency_name: Option<String>,
        /// The agency's 事后评估报告 as a review case (kind `evaluation_report`). Set once, by a conditional update.
        pub evaluation_case_id: Option<String>,
        /// 改造后数字化水平等级 (0–4) and how it reads, once the enterprise confirmed the report.
        pub post_level: Option<i32>,
        pub post_level_label: Option<String>,
        pub evaluated_at: Option<ChronoDateTimeUtc>,
        /// 项目入库 (m0027): its review case (kind `acceptance`), created when 项目实施-改造完成 is submitted.
        pub acceptance_case_id: Option<String>,
        /// The 验收专家 (a user) the city assigned; 验收专家审核 goes to that person alone.
        pub acceptance_expert_id: Option<String>,
        /// 已入库: when the city's 市工信复审 approved the acceptance.
        pub accepted_at: Option<ChronoDateTimeUtc>,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    #[cfg(test)]
    impl Model {
        /// A project at `stage` with nothing else known, for unit tests to fill in what they read.
        pub fn blank(stage: ProjectStage) -> Model {
            let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
            Model {
                id: "p".into(),
                org_id: "o".into(),
                name: "n".into(),
                stage,
                filing_case_id: "c".into(),
                filing_number: None,
                filed_at: None,
                town_code: None,
                lead_unit_id: None,
                diagnosis_mode: None,
                pre_assessment_id: None,
                pre_level: None,
                pre_level_label: None,
                diagnosed_at: None,
                change_case_id: None,
                record_case_id: None,
                diagnosis_agency_id: None,
                diagnosis_agency_name: None,
                diagnosis_case_id: None,
                evaluation_mode: None,
                evaluation_agency_id: None,
                evaluation_agency_name: None,
                evaluation_case_id: None,
                post_level: None,
                post_level_label: None,
                evaluated_at: None,
                acceptance_case_id: None,
                acceptance_expert_id: None,
                accepted_at: None,
                created_at: epoch,
                updated_at: epoch,
            }
        }
    }
}

/// The counters 项目备案号 are issued from, one per counter key of the numbering rule.
pub mod number_counter {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "project_number_counters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub counter_key: String,
        pub last: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A city's own lifecycle settings (m0020): 事前诊断期限 in days after 备案完成.
pub mod city_setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lifecycle_city_settings")]
    pub struct Model {
        /// The city's 6-digit region code.
        #[sea_orm(primary_key, auto_increment = false)]
        pub city_code: String,
        /// 0 = no deadline.
        pub diagnosis_days: i32,
        /// 项目入库开放时段 (m0027): the enterprise may edit and submit its 项目入库 only from `opens_at` until
        /// `closes_at` (both unset: not opened yet).
        pub acceptance_opens_at: Option<ChronoDateTimeUtc>,
        pub acceptance_closes_at: Option<ChronoDateTimeUtc>,
        pub updated_by: String,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 项目签约 of a filed project (m0021): the form, where it stands, and who may write it now.
pub mod signing {
    use sea_orm::entity::prelude::*;

    /// 待签约 → (行业型服务商协助填写: 牵引单位填写中 → 待企业确认) → 已签约.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum SigningStatus {
        /// 待签约: the enterprise writes every page.
        Draft,
        /// 牵引单位填写中: the lead unit writes 牵引单位信息; the enterprise reads.
        WithLeadUnit,
        /// 待企业确认: the lead unit submitted; the enterprise may still edit, and confirms by submitting.
        Assisted,
        /// 已签约.
        Signed,
    }

    impl SigningStatus {
        pub fn label(self) -> &'static str {
            match self {
                SigningStatus::Draft => "待签约",
                SigningStatus::WithLeadUnit => "牵引单位填写中",
                SigningStatus::Assisted => "待企业确认",
                SigningStatus::Signed => "已签约",
            }
        }
    }

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "project_signings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: String,
        /// The enterprise.
        pub org_id: String,
        /// 已签约行业型服务商 (the lead unit): the filing's 意向行业型服务商 at first, changeable until signed.
        pub lead_unit_id: Option<String>,
        pub status: SigningStatus,
        /// `{"values": <data/forms/signing.json>, "products": [..]}` (see `lifecycle::signing`).
        pub form: String,
        pub version: i32,
        /// When the page was sent to the lead unit, when it submitted it, when the enterprise signed.
        pub sent_at: Option<ChronoDateTimeUtc>,
        pub assisted_at: Option<ChronoDateTimeUtc>,
        pub signed_at: Option<ChronoDateTimeUtc>,
        pub updated_by: String,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 项目实施-改造中 of a signed project (m0023): 企业现状（改造前） by dimension, where it stands, who writes it.
pub mod implementation {
    use sea_orm::entity::prelude::*;

    /// 待提交 → (行业型服务商协助填写: 牵引单位填写中 → 待企业确认) → 已提交 (then 信息变更 keeps it 已提交).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum ImplementationStatus {
        /// 待提交: the enterprise writes it.
        Draft,
        /// 牵引单位填写中: the lead unit writes the page; the enterprise reads.
        WithLeadUnit,
        /// 待企业确认: the lead unit submitted; the enterprise may edit, and submits.
        Assisted,
        /// 已提交.
        Submitted,
    }

    impl ImplementationStatus {
        pub fn label(self) -> &'static str {
            match self {
                ImplementationStatus::Draft => "待提交",
                ImplementationStatus::WithLeadUnit => "牵引单位填写中",
                ImplementationStatus::Assisted => "待企业确认",
                ImplementationStatus::Submitted => "已提交",
            }
        }
    }

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "project_implementations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: String,
        /// The enterprise.
        pub org_id: String,
        /// The lead unit the project signed with (it may help fill the page), if any.
        pub lead_unit_id: Option<String>,
        pub status: ImplementationStatus,
        /// `{"assisted": bool, "dimensions": [{"key", "ticked", "before"}]}` (see `lifecycle::implementation`).
        pub form: String,
        pub version: i32,
        pub sent_at: Option<ChronoDateTimeUtc>,
        pub assisted_at: Option<ChronoDateTimeUtc>,
        pub submitted_at: Option<ChronoDateTimeUtc>,
        pub updated_by: String,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The national platform feed (m0024): one event per completed stage or change, in commit order.
pub mod sync_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "national_sync_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub project_id: String,
        /// The project's town: whose city sees the event's sync status.
        pub town_code: Option<String>,
        /// `filing_completed`, `signing_completed`, `signing_changed`, `implementation_submitted`, `implementation_changed`, `completion_submitted`, `completion_changed`.
        pub event: String,
        /// The stage's data (JSON, schema `v1` of docs/national-sync.md).
        pub payload: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How far a consumer of the feed (the national platform) has acknowledged it (m0024).
pub mod sync_ack {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "national_sync_acks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub consumer: String,
        pub acked_seq: i64,
        pub acked_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A signed contract claimed by a 预奖补 application (m0022): at most one live application per contract.
pub mod presubsidy_contract {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "presubsidy_contracts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: String,
        /// 合同协议编号 of the signed contract.
        #[sea_orm(primary_key, auto_increment = false)]
        pub contract_no: String,
        /// The application (kind `presubsidy`).
        pub case_id: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 项目实施-改造完成 of a project whose 项目实施-改造中 was submitted (m0026): 数字化改造成效, 服务商评价 and 佐证材料.
pub mod completion {
    use sea_orm::entity::prelude::*;

    /// 待提交 → 已提交 (then 信息变更 keeps it 已提交).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum CompletionStatus {
        /// 待提交: the enterprise writes it.
        Draft,
        /// 已提交.
        Submitted,
    }

    impl CompletionStatus {
        pub fn label(self) -> &'static str {
            match self {
                CompletionStatus::Draft => "待提交",
                CompletionStatus::Submitted => "已提交",
            }
        }
    }

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "project_completions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: String,
        /// The enterprise.
        pub org_id: String,
        pub status: CompletionStatus,
        /// The page as typed (see `lifecycle::completion::CompletionForm`).
        pub form: String,
        pub version: i32,
        pub submitted_at: Option<ChronoDateTimeUtc>,
        pub updated_by: String,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

