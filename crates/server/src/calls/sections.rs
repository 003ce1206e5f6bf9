//! 设置责任科室 (003 §4.1.3 for the city, §4.4.3 for the district): the bureau's administrator names, for one
//! track or several at once, the department whose handlers review its applications at the bureau's stage. The
//! engine then gives the city's and the district's tasks of that track to that department
//! (`review::sections`).

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::State;
use axum::Json;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::entity::{call, program, track};
use super::kind::section_scope;
use crate::audit::{self, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::directory::{department, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::review;
use crate::state::AppState;

/// The city's or district's administrator (or a member given 部门管理).
fn require_section_admin(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Government)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == "departments") {
        Ok(())
    } else {
        Err(ApiError::Forbidden("仅本单位管理员可设置责任科室".into()))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionRow {
    pub track_id: String,
    pub track_name: String,
    pub program_name: String,
    pub year: i32,
    /// The bureau running the call (the city for a district).
    pub call_org_name: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionList {
    pub items: Vec<SectionRow>,
}

/// A track the bureau reviews, with the first call of it the bureau sees and that call's bureau's name.
pub(super) struct ReviewedTrack {
    pub call: call::Model,
    pub track: track::Model,
    pub program: program::Model,
    pub call_org_name: String,
}

/// The tracks whose applications the caller's bureau reviews, in calls reviewed district → city → province:
/// those of its own calls and of the bureaus above it.
pub(super) async fn reviewed_tracks(state: &AppState, user: &CurrentUser) -> ApiResult<Vec<ReviewedTrack>> {
    let owners = super::handlers::visible_owners(&state.db, user).await?;
    tracks_of_calls_by(state, owners).await
}

/// The tracks of the district → city → province calls run by `owners`, each once, newest program first.
pub(super) async fn tracks_of_calls_by(state: &AppState, owners: Vec<String>) -> ApiResult<Vec<ReviewedTrack>> {
    let calls = call::Entity::find()
        .filter(call::Column::OrgId.is_in(owners))
        .filter(call::Column::FlowKey.eq("call_application"))
        .order_by_asc(call::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for c in calls {
        if !seen.insert(c.track_id.clone()) {
            continue;
        }
        let (_, t, p) = super::kind::call_of(&state.db, &c.id).await?;
        let call_org_name = crate::directory::org::Entity::find_by_id(c.org_id.clone()).one(&state.db).await?.map(|o| o.name).unwrap_or_default();
        out.push(ReviewedTrack { call: c, track: t, program: p, call_org_name });
    }
    out.sort_by(|a, b| (b.program.year, &a.program.name, a.track.sort).cmp(&(a.program.year, &b.program.name, b.track.sort)));
    Ok(out)
}

/// 设置责任科室: every track the bureau reviews, with the department responsible for it here.
#[utoipa::path(get, path = "/api/calls/sections", tag = "calls",
    responses((status = 200, body = SectionList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_sections(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<SectionList>> {
    require_section_admin(&user)?;
    let assigned = review::sections::assigned(&state.db, &user.organization.id).await?;
    let departments: BTreeMap<String, String> = department::Entity::find()
        .filter(department::Column::OrganizationId.eq(user.organization.id.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let items = reviewed_tracks(&state, &user)
        .await?
        .into_iter()
        .map(|ReviewedTrack { track: t, program: p, call_org_name, .. }| {
            let department_id = assigned.get(&section_scope(&t.id)).cloned();
            SectionRow {
                department_name: department_id.as_ref().and_then(|d| departments.get(d).cloned()),
                department_id,
                track_id: t.id,
                track_name: t.name,
                program_name: p.name,
                year: p.year,
                call_org_name,
            }
        })
        .collect();
    Ok(Json(SectionList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SectionAssignment {
    /// One track (单方向设置) or several (批量设置).
    pub track_ids: Vec<String>,
    /// An enabled department of the caller's bureau; `null` clears the assignment (the whole bureau reviews).
    pub department_id: Option<String>,
}

/// 设置责任科室 / 批量设置责任科室. All the tracks are set, or none: an unknown track or department changes
/// nothing. Tasks already waiting keep their department; those opened from now on go to the new one.
#[utoipa::path(put, path = "/api/calls/sections", tag = "calls", request_body = SectionAssignment,
    responses((status = 200, body = SectionList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn assign_sections(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<SectionAssignment>) -> ApiResult<Json<SectionList>> {
    require_section_admin(&user)?;
    if input.track_ids.is_empty() {
        return Err(ApiError::validation("track_ids", "请至少选择一个申报方向"));
    }
    let reviewed: BTreeSet<String> = reviewed_tracks(&state, &user).await?.into_iter().map(|r| r.track.id).collect();
    if let Some(unknown) = input.track_ids.iter().find(|t| !reviewed.contains(*t)) {
        // Another bureau's track is as unknown as a made-up one.
        return Err(ApiError::validation("track_ids", format!("申报方向「{unknown}」不存在或不由本单位审核")));
    }
    if let Some(d) = &input.department_id {
        let found = department::Entity::find_by_id(d.clone()).one(&state.db).await?;
        match found {
            Some(dep) if dep.organization_id == user.organization.id && dep.enabled => {}
            Some(dep) if dep.organization_id == user.organization.id => {
                return Err(ApiError::validation("department_id", format!("部门「{}」已停用，请先启用或另选部门", dep.name)));
            }
            _ => return Err(ApiError::validation("department_id", "所选部门不存在，请刷新后重新选择")),
        }
    }
    let scopes: Vec<String> = input.track_ids.iter().collect::<BTreeSet<_>>().into_iter().map(|t| section_scope(t)).collect();
    let txn = crate::db::begin_write(&state.db).await?;
    review::sections::assign(&txn, &user.organization.id, &scopes, input.department_id.as_deref(), &user.user_id).await?;
    audit::record(&txn, Entry {
        action: "responsible_section_assign",
        actor: Some(&user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("department"),
        object_id: input.department_id.as_deref(),
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({ "track_ids": input.track_ids })),
    })
    .await?;
    txn.commit().await?;
    list_sections(State(state), user).await
}
