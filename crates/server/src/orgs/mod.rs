//! Organizations: government bodies in a regional tree, and the flat registry of enterprises, providers,
//! lead units, agencies and the operator. Registration and administration arrive with the accounts issue;
//! this module holds the type every other capability scopes data by.

pub mod certification;
mod departments;
pub mod info_change;
pub use departments::department as departments_entity;
pub mod entity;
mod handlers;
pub mod profile;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::get_my_org))
        .routes(routes!(handlers::update_my_profile))
        .routes(routes!(handlers::create_change_request, handlers::list_change_requests))
        .routes(routes!(handlers::list_materials, handlers::create_material))
        .routes(routes!(handlers::delete_material))
        .routes(routes!(departments::list_departments, departments::create_department))
        .routes(routes!(departments::update_department, departments::delete_department))
}

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Enterprise,
    Provider,
    LeadUnit,
    Agency,
    Government,
    Operator,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] =
        [OrgKind::Enterprise, OrgKind::Provider, OrgKind::LeadUnit, OrgKind::Agency, OrgKind::Government, OrgKind::Operator];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Enterprise => "enterprise",
            OrgKind::Provider => "provider",
            OrgKind::LeadUnit => "lead_unit",
            OrgKind::Agency => "agency",
            OrgKind::Government => "government",
            OrgKind::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Enterprise => "企业",
            OrgKind::Provider => "服务商",
            OrgKind::LeadUnit => "数字化牵引单位",
            OrgKind::Agency => "服务机构",
            OrgKind::Government => "政府部门",
            OrgKind::Operator => "平台运营",
        }
    }
}

/// The organization as the client sees it (on the signed-in user, on cards).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgSummary {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub kind_label: String,
    pub uscc: Option<String>,
    pub region_code: Option<String>,
}

impl From<entity::Model> for OrgSummary {
    fn from(m: entity::Model) -> Self {
        // Unknown kinds cannot be written by this code; fall back rather than fail a whole page.
        let kind = OrgKind::parse(&m.kind).unwrap_or(OrgKind::Enterprise);
        Self { id: m.id, name: m.name, kind, kind_label: kind.label().into(), uscc: m.uscc, region_code: m.region_code }
    }
}

/// The platform operator's organization, created at start-up and by `create-admin`.
pub const OPERATOR_ORG_NAME: &str = "平台运营中心";

pub struct NewOrg<'a> {
    pub name: &'a str,
    pub kind: OrgKind,
    pub uscc: Option<&'a str>,
    pub region_code: Option<&'a str>,
    pub parent_id: Option<&'a str>,
}

/// Finds an organization by kind and exact name, creating it when missing (used by seeding and
/// `create-admin`, which must be safe to run again).
pub async fn ensure(db: &impl ConnectionTrait, new: NewOrg<'_>) -> Result<entity::Model, DbErr> {
    if let Some(found) = entity::Entity::find()
        .filter(entity::Column::Kind.eq(new.kind.as_str()))
        .filter(entity::Column::Name.eq(new.name))
        .one(db)
        .await?
    {
        return Ok(found);
    }
    create(db, new).await
}

/// Always creates (registration: uniqueness is checked by the caller with a user-facing message).
pub async fn create(db: &impl ConnectionTrait, new: NewOrg<'_>) -> Result<entity::Model, DbErr> {
    let now = Utc::now();
    entity::Entity::insert(entity::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        name: Set(new.name.to_string()),
        kind: Set(new.kind.as_str().to_string()),
        uscc: Set(new.uscc.map(str::to_string)),
        region_code: Set(new.region_code.map(str::to_string)),
        parent_id: Set(new.parent_id.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(db)
    .await
}
