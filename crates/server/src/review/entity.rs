//! The review engine's tables (migration m0004_review).

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod flow {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_flows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub version: i32,
        pub name: String,
        /// The `FlowSpec` as JSON.
        pub spec: String,
        pub is_current: bool,
        pub created_by: Option<String>,
        pub created_at: ChronoDateTimeUtc,
    }
    no_relations!();
}

pub mod binding {
    use sea_orm::entity::prelude::*;

    /// Which organization a flow's `FixedOrganization` placeholder (the operator, the pre-review org …)
    /// means on this platform.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_bindings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub placeholder: String,
        pub organization_id: String,
    }
    no_relations!();
}

pub mod case {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub kind: String,
        pub flow_version: i32,
        pub owner_org_id: String,
        pub owner_user_id: String,
        pub owner_region_code: Option<String>,
        pub title: String,
        /// The form as the owner last saved it (JSON); each submission also snapshots it in `review_rounds`.
        pub form: String,
        /// Organization ids named in the form, by field (JSON object), for `CaseOrganization` stages.
        pub refs: String,
        /// The core `Case` value (JSON); `status`, `stage`, `version`, `round` mirror it for queries.
        pub state: String,
        pub status: crate::review::CaseState,
        pub stage: Option<i32>,
        pub version: i64,
        pub round: i32,
        pub latest_opinion: Option<String>,
        pub latest_org_name: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
        pub submitted_at: Option<ChronoDateTimeUtc>,
        pub completed_at: Option<ChronoDateTimeUtc>,
    }
    no_relations!();
}

pub mod round {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_rounds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub case_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub round: i32,
        pub form: String,
        pub submitted_at: ChronoDateTimeUtc,
    }
    no_relations!();
}

pub mod task {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_tasks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub case_id: String,
        pub kind: String,
        pub stage: i32,
        pub stage_key: String,
        pub stage_name: String,
        pub assignee_org_id: String,
        /// A task for one person of the organization (the 验收专家 the city assigned, m0027): only that user
        /// holds it. `None`: the organization's reviewers.
        pub assignee_user_id: Option<String>,
        pub title: String,
        pub applicant_name: String,
        pub state: crate::review::TaskState,
        /// Set once done.
        pub outcome: Option<crate::review::TaskResult>,
        pub opened_at: ChronoDateTimeUtc,
        pub closed_at: Option<ChronoDateTimeUtc>,
        pub due_at: Option<ChronoDateTimeUtc>,
        /// When the 超时提醒 for this task was sent (review/reminders.rs); at most once.
        pub reminded_at: Option<ChronoDateTimeUtc>,
        /// A 「responsible section」 stage's task: the department of the assignee organization whose handlers
        /// act on it (`None`: the whole organization, also when no section was assigned yet).
        pub department_id: Option<String>,
        /// A 「responsible section」 stage's task: the user type that acts on it (`city_section_member` …).
        pub user_type: Option<String>,
    }
    no_relations!();
}

pub mod section {
    use sea_orm::entity::prelude::*;

    /// 责任科室: the department of `organization_id` responsible for `scope` (a kind-defined key, e.g. a call's
    /// track).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_sections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub scope: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub organization_id: String,
        pub department_id: String,
        pub assigned_by: Option<String>,
        pub assigned_at: ChronoDateTimeUtc,
    }
    no_relations!();
}

pub mod trail {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_trail")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub case_id: String,
        pub round: i32,
        pub stage: Option<i32>,
        pub stage_name: Option<String>,
        pub action: String,
        pub return_to: Option<String>,
        pub actor_user_id: String,
        pub actor_name: String,
        pub actor_org_id: String,
        pub actor_org_name: String,
        pub actor_role: Option<String>,
        pub opinion: Option<String>,
        /// File ids (JSON array).
        pub attachments: String,
        pub status_before: crate::review::CaseState,
        pub status_after: crate::review::CaseState,
        pub reason: Option<String>,
        pub at: ChronoDateTimeUtc,
    }
    no_relations!();
}

pub mod idempotency {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "review_idempotency")]
    pub struct Model {
        /// `{user id}:{Idempotency-Key}`: a key means something only for the user who sent it.
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub case_id: String,
        /// The first response's body (JSON), returned again on a retry.
        pub response: String,
        pub created_at: ChronoDateTimeUtc,
    }
    no_relations!();
}

pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub user_id: String,
        pub case_id: Option<String>,
        /// `assigned`, `returned`, `rejected`, `approved`, `advanced`, `message`.
        pub event: String,
        pub title: String,
        pub body: String,
        pub created_at: ChronoDateTimeUtc,
        pub read_at: Option<ChronoDateTimeUtc>,
    }
    no_relations!();
}

pub mod message {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_messages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub case_id: String,
        pub author_user_id: String,
        pub author_name: String,
        pub org_id: String,
        pub org_name: String,
        pub body: String,
        pub created_at: ChronoDateTimeUtc,
    }
    no_relations!();
}
