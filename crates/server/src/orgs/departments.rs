//! Department trees of government bodies (003 §4.1.1, §4.4.1): add, edit, delete, enable, order.
//! Only administrators of a government organization manage its own tree.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directory::{department, OrgKind};
use crate::auth::{CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::state::AppState;


#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentNode {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub leader: Option<String>,
    pub sort_order: i32,
    pub enabled: bool,
    #[schema(no_recursion)]
    pub children: Vec<DepartmentNode>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentTree {
    pub items: Vec<DepartmentNode>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DepartmentInput {
    pub parent_id: Option<String>,
    pub name: String,
    pub leader: Option<String>,
    #[serde(default)]
    pub sort_order: i32,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

fn require_gov_admin(user: &CurrentUser) -> ApiResult<()> {
    if user.organization.kind != OrgKind::Government {
        return Err(ApiError::Forbidden("仅政府部门可管理部门".into()));
    }
    user.require_any(&[Role::OrgAdmin, Role::SystemAdmin])
}

async fn own_department(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<department::Model> {
    department::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await?
        .filter(|d| d.organization_id == user.organization.id)
        .ok_or_else(|| ApiError::NotFound("部门不存在".into()))
}

fn build(parent: Option<&str>, all: &[department::Model]) -> Vec<DepartmentNode> {
    all.iter()
        .filter(|d| d.parent_id.as_deref() == parent)
        .map(|d| DepartmentNode {
            id: d.id.clone(),
            parent_id: d.parent_id.clone(),
            name: d.name.clone(),
            leader: d.leader.clone(),
            sort_order: d.sort_order,
            enabled: d.enabled,
            children: build(Some(&d.id), all),
        })
        .collect()
}

/// The caller's organization's department tree, ordered by 排序号.
#[utoipa::path(get, path = "/api/departments", tag = "orgs", responses((status = 200, body = DepartmentTree), (status = 401, body = ErrorEnvelope)))]
pub async fn list_departments(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<DepartmentTree>> {
    let all = department::Entity::find()
        .filter(department::Column::OrganizationId.eq(user.organization.id.clone()))
        .order_by_asc(department::Column::SortOrder)
        .order_by_asc(department::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(Json(DepartmentTree { items: build(None, &all) }))
}

async fn validate(state: &AppState, user: &CurrentUser, input: &DepartmentInput, editing: Option<&str>) -> ApiResult<(String, Option<String>)> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ApiError::validation("name", "请输入部门名称（不超过50字）"));
    }
    if input.leader.as_deref().is_some_and(|l| l.chars().count() > 50) {
        return Err(ApiError::validation("leader", "负责人不能超过50字"));
    }
    if let Some(parent) = input.parent_id.as_deref().filter(|p| !p.is_empty()) {
        own_department(state, user, parent).await.map_err(|_| ApiError::validation("parent_id", "上级部门不存在"))?;
        // A department cannot move under itself or one of its descendants.
        if let Some(me) = editing {
            let mut cursor = Some(parent.to_string());
            while let Some(c) = cursor {
                if c == me {
                    return Err(ApiError::validation("parent_id", "不能将部门移动到自身或其下级部门之下"));
                }
                cursor = department::Entity::find_by_id(c).one(&state.db).await?.and_then(|d| d.parent_id);
            }
        }
    }
    Ok((name.to_string(), input.parent_id.clone().filter(|p| !p.is_empty())))
}

async fn audit_change(state: &AppState, user: &CurrentUser, action: &str, id: &str) -> ApiResult<()> {
    audit::record(&state.db, Entry {
        action,
        actor: Some(user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("department"),
        object_id: Some(id),
        outcome: Outcome::Success,
        detail: None,
    })
    .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/departments", tag = "orgs", request_body = DepartmentInput,
    responses((status = 201, body = DepartmentNode), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_department(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<DepartmentInput>) -> ApiResult<(StatusCode, Json<DepartmentNode>)> {
    require_gov_admin(&user)?;
    let (name, parent_id) = validate(&state, &user, &input, None).await?;
    let now = Utc::now();
    let d = department::Entity::insert(department::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(user.organization.id.clone()),
        parent_id: Set(parent_id),
        name: Set(name),
        leader: Set(input.leader.clone().filter(|l| !l.trim().is_empty())),
        sort_order: Set(input.sort_order),
        enabled: Set(input.enabled),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(&state.db)
    .await?;
    audit_change(&state, &user, "department_create", &d.id).await?;
    Ok((StatusCode::CREATED, Json(DepartmentNode { id: d.id, parent_id: d.parent_id, name: d.name, leader: d.leader, sort_order: d.sort_order, enabled: d.enabled, children: vec![] })))
}

#[utoipa::path(put, path = "/api/departments/{id}", tag = "orgs", request_body = DepartmentInput, params(("id" = String, Path, description = "department id")),
    responses((status = 200, body = DepartmentNode), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_department(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<DepartmentInput>) -> ApiResult<Json<DepartmentNode>> {
    require_gov_admin(&user)?;
    own_department(&state, &user, &id).await?;
    let (name, parent_id) = validate(&state, &user, &input, Some(&id)).await?;
    let d = department::Entity::update(department::ActiveModel {
        id: Set(id.clone()),
        parent_id: Set(parent_id),
        name: Set(name),
        leader: Set(input.leader.clone().filter(|l| !l.trim().is_empty())),
        sort_order: Set(input.sort_order),
        enabled: Set(input.enabled),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&state.db)
    .await?;
    audit_change(&state, &user, "department_update", &id).await?;
    Ok(Json(DepartmentNode { id: d.id, parent_id: d.parent_id, name: d.name, leader: d.leader, sort_order: d.sort_order, enabled: d.enabled, children: vec![] }))
}

/// Deletes an empty department; one with sub-departments or users is refused (409) so nobody is left
/// without a department by accident.
#[utoipa::path(delete, path = "/api/departments/{id}", tag = "orgs", params(("id" = String, Path, description = "department id")),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn delete_department(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    require_gov_admin(&user)?;
    own_department(&state, &user, &id).await?;
    if department::Entity::find().filter(department::Column::ParentId.eq(id.clone())).count(&state.db).await? > 0 {
        return Err(ApiError::Conflict("该部门下还有子部门，请先删除子部门".into()));
    }
    use crate::directory::user;
    if user::Entity::find().filter(user::Column::DepartmentId.eq(id.clone())).count(&state.db).await? > 0 {
        return Err(ApiError::Conflict("该部门下还有用户，请先调整用户所属部门".into()));
    }
    if crate::review::sections::is_responsible(&state.db, &id).await? {
        return Err(ApiError::Conflict("该部门是申报方向的责任科室，请先在「设置责任科室」中调整".into()));
    }
    department::Entity::delete_by_id(id.clone()).exec(&state.db).await?;
    audit_change(&state, &user, "department_delete", &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
