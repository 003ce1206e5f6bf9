//! The organization profile: certification status, the enterprise fields of seed 002's filing page,
//! contact, provider service scope.
use sea_orm::entity::prelude::*;
use sea_orm::ActiveValue::{NotSet, Set};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: String,
    pub certification_status: CertificationStatus,
    pub nature: Option<String>,
    pub category: Option<String>,
    pub size: Option<String>,
    pub main_product: Option<String>,
    pub sub_industry: Option<String>,
    pub quality_level: Option<String>,
    pub address: Option<String>,
    pub headcount: Option<i32>,
    pub digital_headcount: Option<i32>,
    pub intro: Option<String>,
    /// JSON list of strings.
    pub tags: Option<String>,
    pub industry_code: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone_cipher: Option<String>,
    /// JSON list of scope codes.
    pub service_scope: Option<String>,
    pub updated_at: ChronoDateTimeUtc,
}

/// Where an organization stands with certification: providers are certified by the operator (认证审核)
/// before they may apply; other organizations are `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CertificationStatus {
    None,
    Pending,
    Certified,
    Rejected,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// An active model with every optional field empty, to spread under the fields a caller sets.
pub fn empty(organization_id: &str) -> ActiveModel {
    ActiveModel {
        organization_id: Set(organization_id.to_string()),
        certification_status: Set(CertificationStatus::None),
        nature: Set(None),
        category: Set(None),
        size: Set(None),
        main_product: Set(None),
        sub_industry: Set(None),
        quality_level: Set(None),
        address: Set(None),
        headcount: Set(None),
        digital_headcount: Set(None),
        intro: Set(None),
        tags: Set(None),
        industry_code: Set(None),
        contact_name: Set(None),
        contact_phone_cipher: Set(None),
        service_scope: Set(None),
        updated_at: NotSet,
    }
}
