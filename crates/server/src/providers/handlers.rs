//! HTTP endpoints of providers and lead units: the lead units to choose, a provider's memberships and its
//! application template, a lead unit's members (`docs/providers-products.md`). Products, the catalogue and
//! the pools are `crate::products`'.

use axum::extract::State;
use axum::Json;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use super::entity::membership;
use super::forms::Application;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::directory::{org, OrgKind};
use crate::review::CaseState;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadUnitItem {
    pub id: String,
    pub name: String,
    pub region_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadUnitList {
    pub items: Vec<LeadUnitItem>,
}

/// Every lead unit (数字化牵引单位), to choose in an application.
#[utoipa::path(get, path = "/api/lead-units", tag = "providers", responses((status = 200, body = LeadUnitList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_lead_units(State(state): State<AppState>, _user: CurrentUser) -> ApiResult<Json<LeadUnitList>> {
    let rows = org::Entity::find().filter(org::Column::Kind.eq(OrgKind::LeadUnit.as_str())).order_by_asc(org::Column::Name).all(&state.db).await?;
    Ok(Json(LeadUnitList { items: rows.into_iter().map(|o| LeadUnitItem { id: o.id, name: o.name, region_code: o.region_code }).collect() }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipItem {
    pub lead_unit_id: String,
    pub lead_unit_name: String,
    pub joined_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipList {
    pub items: Vec<MembershipItem>,
}

/// The lead units the signed-in provider is bound to (the only choices of a product application).
#[utoipa::path(get, path = "/api/providers/me/memberships", tag = "providers", responses((status = 200, body = MembershipList), (status = 403, body = ErrorEnvelope)))]
pub async fn my_memberships(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MembershipList>> {
    user.require_org_kind(OrgKind::Provider)?;
    let rows = super::memberships(&state.db, &user.organization.id).await?;
    let orgs = crate::directory::by_ids(&state.db, rows.iter().map(|m| m.lead_unit_org_id.clone()).collect()).await?;
    let items = rows
        .into_iter()
        .map(|m| MembershipItem {
            lead_unit_name: orgs.get(&m.lead_unit_org_id).map(|o| o.name.clone()).unwrap_or_default(),
            lead_unit_id: m.lead_unit_org_id,
            joined_at: crate::time::api(m.joined_at),
        })
        .collect();
    Ok(Json(MembershipList { items }))
}

/// 再次申报: the approved first application's form without the lead unit, its cooperation proof and the
/// products (000 §03: only those are new).
#[utoipa::path(get, path = "/api/providers/me/application-template", tag = "providers",
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn application_template(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<serde_json::Value>> {
    user.require_org_kind(OrgKind::Provider)?;
    let approved = crate::review::cases_of(&state.db, &user.organization.id, super::alliance::KIND, &[CaseState::Approved]).await?;
    // Oldest first: the first application is the one a repeat application copies.
    let first = approved
        .iter()
        .rev()
        .filter_map(|c| c.form(&state).ok())
        .find(|f| Application::of(f) == Application::First)
        .ok_or_else(|| ApiError::Conflict("首次申报审核通过后才能再次申报".into()))?;
    let mut form = first;
    form["application"] = "repeat".into();
    for key in ["lead_unit_id", "lead_unit_name"] {
        form[key] = "".into();
    }
    form["cooperation_proof_file_ids"] = serde_json::json!([]);
    form["products"] = serde_json::json!([]);
    Ok(Json(form))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberItem {
    pub provider_id: String,
    pub provider_name: String,
    pub uscc: Option<String>,
    pub joined_at: crate::time::ApiTime,
    /// Its products in this lead unit's pool.
    pub products: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<MemberItem>,
}

/// The lead unit's alliance members (生态伙伴).
#[utoipa::path(get, path = "/api/lead-units/me/members", tag = "providers", responses((status = 200, body = MemberList), (status = 403, body = ErrorEnvelope)))]
pub async fn lead_unit_members(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MemberList>> {
    user.require_org_kind(OrgKind::LeadUnit)?;
    let rows = membership::Entity::find()
        .filter(membership::Column::LeadUnitOrgId.eq(user.organization.id.clone()))
        .order_by_desc(membership::Column::JoinedAt)
        .all(&state.db)
        .await?;
    let orgs = crate::directory::by_ids(&state.db, rows.iter().map(|m| m.provider_org_id.clone()).collect()).await?;
    let mut items = Vec::new();
    for m in rows {
        let products = crate::products::pooled_count(&state.db, &user.organization.id, &m.provider_org_id).await?;
        let o = orgs.get(&m.provider_org_id);
        items.push(MemberItem {
            provider_name: o.map(|o| o.name.clone()).unwrap_or_default(),
            uscc: o.and_then(|o| o.uscc.clone()),
            provider_id: m.provider_org_id,
            joined_at: crate::time::api(m.joined_at),
            products,
        });
    }
    Ok(Json(MemberList { items }))
}
