//! The directory: who is who on the platform. Organizations (government bodies in a regional tree, and
//! the flat registry of enterprises, providers, lead units, agencies and the operator), their profiles and
//! departments, and the users that belong to them: the records every capability scopes its data by.
//!
//! Only data and the few rules that keep it consistent live here; nothing in it signs anyone in or
//! handles a request, so every capability (auth, audit, review, orgs, accounts, …) may depend on it and it
//! depends on none of them.

pub mod department;
pub mod org;
pub mod profile;
pub mod user;
pub mod user_role;

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

impl From<org::Model> for OrgSummary {
    fn from(m: org::Model) -> Self {
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
pub async fn ensure(db: &impl ConnectionTrait, new: NewOrg<'_>) -> Result<org::Model, DbErr> {
    if let Some(found) = org::Entity::find()
        .filter(org::Column::Kind.eq(new.kind.as_str()))
        .filter(org::Column::Name.eq(new.name))
        .one(db)
        .await?
    {
        return Ok(found);
    }
    create(db, new).await
}

/// Always creates (registration: uniqueness is checked by the caller with a user-facing message).
pub async fn create(db: &impl ConnectionTrait, new: NewOrg<'_>) -> Result<org::Model, DbErr> {
    let now = Utc::now();
    org::Entity::insert(org::ActiveModel {
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

/// A lead unit (数字化牵引单位) by id, or a field error on `field` (the id came from a form or a path).
pub async fn lead_unit(db: &impl ConnectionTrait, id: &str, field: &str) -> Result<org::Model, crate::error::ApiError> {
    org::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|o| o.kind == OrgKind::LeadUnit.as_str())
        .ok_or_else(|| crate::error::ApiError::validation(field, "所选数字化牵引单位不存在"))
}

/// The organizations with these ids, by id (for names on list rows).
pub async fn by_ids(db: &impl ConnectionTrait, ids: Vec<String>) -> Result<std::collections::HashMap<String, org::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(org::Entity::find().filter(org::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|o| (o.id.clone(), o)).collect())
}

/// The organizations above `org_id`, nearest first (a district's city, then its province). Province → city
/// → district → town is four levels; the bound only guards against a cycle an operator made by hand.
pub async fn ancestors(db: &impl ConnectionTrait, org_id: &str) -> Result<Vec<String>, DbErr> {
    let mut out = Vec::new();
    let mut next = org::Entity::find_by_id(org_id.to_owned()).one(db).await?.and_then(|o| o.parent_id);
    while let Some(id) = next {
        if out.len() >= 8 || out.contains(&id) {
            break;
        }
        next = org::Entity::find_by_id(id.clone()).one(db).await?.and_then(|o| o.parent_id);
        out.push(id);
    }
    Ok(out)
}
