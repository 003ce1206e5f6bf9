//! Tables of migrations m0014_calls and m0016_recommendation_letters.

pub mod program {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "call_programs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub owner_org_id: String,
        pub import_key: Option<String>,
        pub year: i32,
        pub name: String,
        /// 国家 / 省 / 市.
        pub level: String,
        /// 资金类 / 非资金类.
        pub funding: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod track {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "call_tracks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub program_id: String,
        pub name: String,
        /// The province's guide (申报指南).
        pub guide: String,
        /// The province's window: every city's window lies inside it.
        pub opens_at: ChronoDateTimeUtc,
        pub closes_at: ChronoDateTimeUtc,
        pub sort: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod call {
    use sea_orm::entity::prelude::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum CallStatus {
        /// Being prepared by its officials; invisible to everyone else.
        Draft,
        /// On the portal; enterprises apply inside its window.
        Published,
    }

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calls")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub track_id: String,
        /// The city (or province) bureau that runs it.
        pub org_id: String,
        pub import_key: Option<String>,
        pub status: CallStatus,
        /// The review flow its applications follow (`call_application`, or `pilot_application` for 004).
        pub flow_key: String,
        pub opens_at: ChronoDateTimeUtc,
        pub closes_at: ChronoDateTimeUtc,
        pub form_key: String,
        /// JSON `super::super::settings::Settings`.
        pub settings: String,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod form_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "form_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub form_key: String,
        pub version: i32,
        /// JSON `shuzhuan_core::form::FormSchema`; never changed once written.
        pub schema: String,
        pub created_by: Option<String>,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod application {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "call_applications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub case_id: String,
        pub call_id: String,
        pub org_id: String,
        pub year: i32,
        pub form_key: String,
        pub form_version: i32,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod document {
    use sea_orm::entity::prelude::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
    #[serde(rename_all = "snake_case")]
    pub enum DocumentStatus {
        Queued,
        Rendering,
        Done,
        Failed,
    }

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "call_documents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub case_id: String,
        pub org_id: String,
        pub status: DocumentStatus,
        pub progress: i32,
        pub file_id: Option<String>,
        pub error: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub finished_at: Option<ChronoDateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table of migration m0016_recommendation_letters.
pub mod letter {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recommendation_letters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// The district or city bureau that recommends (推荐部门).
        pub organization_id: String,
        pub track_id: String,
        pub file_id: String,
        pub uploaded_by: String,
        pub uploaded_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Tables of migration m0017_result_notices.
pub mod result_notice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_notices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub program_id: String,
        /// The publishing bureau: the program's owner.
        pub organization_id: String,
        pub title: String,
        pub body: String,
        pub published_by: String,
        pub published_at: ChronoDateTimeUtc,
        /// 公示期 ends: objections are taken until then.
        pub period_ends_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod result_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "result_notice_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub notice_id: String,
        pub seq: i32,
        /// As it was when published.
        pub applicant_name: String,
        pub track_name: String,
        /// The city bureau that recommended it (推荐单位).
        pub recommender: String,
        /// 遴选加入 / 直接认定, when the form asks (003 附件3).
        pub apply_mode: Option<String>,
        pub application_id: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
