//! In-site notifications (审核通知): written in the same transaction as the review action they announce,
//! one row per recipient user so each reads them on its own; the unread badge counts them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entity::{notification, task};
use super::sections::Holder;
use crate::directory::{user, user_role};
use crate::auth::{CurrentUser, Role};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::Page;
use crate::state::AppState;

pub struct Notice<'a> {
    pub case_id: Option<&'a str>,
    pub event: &'static str,
    pub title: String,
    pub body: String,
}

/// Notifies the active users of an organization who deal with this: its administrators, members holding
/// `permission` (when given), and `also_user` (the applicant who submitted).
pub async fn notify_org(db: &impl ConnectionTrait, org_id: &str, permission: Option<&str>, also_user: Option<&str>, n: Notice<'_>) -> ApiResult<()> {
    let pending = Pending {
        org_id: org_id.to_owned(),
        permission: permission.map(str::to_owned),
        also_user: also_user.map(str::to_owned),
        department_id: None,
        user_type: None,
        only_user: None,
        case_id: n.case_id.map(str::to_owned),
        event: n.event,
        title: n.title,
        body: n.body,
    };
    notify_all(db, vec![pending]).await
}

/// Notifies whoever holds the task: its organization's administrators and the handlers (审核办理) of its
/// responsible section, not the whole bureau.
pub async fn notify_holders(db: &impl ConnectionTrait, t: &task::Model, n: Notice<'_>) -> ApiResult<()> {
    notify_all(db, vec![Pending::for_task(&t.assignee_org_id, t.department_id.clone(), t.user_type.clone(), n).for_person(t.assignee_user_id.clone())]).await
}

/// A notice to an organization, addressed as [`notify_org`] addresses it, waiting to be written with others.
/// `department_id` and `user_type`, when set, narrow the members to a responsible section's handlers.
pub struct Pending {
    pub org_id: String,
    pub permission: Option<String>,
    pub also_user: Option<String>,
    pub department_id: Option<String>,
    pub user_type: Option<String>,
    /// A personal task's notice (the assigned 验收专家): that user alone, whoever else the rest would reach.
    pub only_user: Option<String>,
    pub case_id: Option<String>,
    pub event: &'static str,
    pub title: String,
    pub body: String,
}

impl Pending {
    /// A notice to those who hold a task of `org_id` narrowed to the section (`review::sections`).
    pub fn for_task(org_id: &str, department_id: Option<String>, user_type: Option<String>, n: Notice<'_>) -> Pending {
        Pending {
            org_id: org_id.to_owned(),
            permission: Some("reviews".into()),
            also_user: None,
            department_id,
            user_type,
            only_user: None,
            case_id: n.case_id.map(str::to_owned),
            event: n.event,
            title: n.title,
            body: n.body,
        }
    }

    /// Narrowed to the task's person, when it has one.
    pub fn for_person(self, user_id: Option<String>) -> Pending {
        Pending { only_user: user_id, ..self }
    }
}

/// Writes many notices at once: the recipients of all their organizations are read in two queries and
/// the rows go out as multi-row inserts (a batch approve notifies a thousand applicants).
pub async fn notify_all(db: &impl ConnectionTrait, notices: Vec<Pending>) -> ApiResult<()> {
    if notices.is_empty() {
        return Ok(());
    }
    let mut org_ids: Vec<String> = notices.iter().map(|n| n.org_id.clone()).collect();
    org_ids.sort();
    org_ids.dedup();
    let mut users = Vec::new();
    let mut roles = Vec::new();
    // Bounded `IN` lists: a batch names up to a thousand organizations.
    for orgs in org_ids.chunks(500) {
        let found = user::Entity::find()
            .filter(user::Column::OrganizationId.is_in(orgs.to_vec()))
            .filter(user::Column::Status.eq("active"))
            .all(db)
            .await?;
        for ids in found.chunks(500) {
            let ids: Vec<String> = ids.iter().map(|u| u.id.clone()).collect();
            roles.extend(user_role::Entity::find().filter(user_role::Column::UserId.is_in(ids)).all(db).await?);
        }
        users.extend(found);
    }
    let now = Utc::now();
    let mut rows = Vec::new();
    for n in notices {
        for u in users.iter().filter(|u| u.organization_id == n.org_id) {
            let admin = roles.iter().any(|r| r.user_id == u.id && (r.role == Role::OrgAdmin.as_str() || r.role == Role::Expert.as_str()));
            let holds = n.permission.as_deref().is_some_and(|p| {
                u.permissions.as_deref().and_then(|j| serde_json::from_str::<Vec<String>>(j).ok()).is_some_and(|ps| ps.iter().any(|x| x == p))
            });
            let in_section = Holder { all: admin, department_id: u.department_id.clone(), user_type: u.user_type.clone(), user_id: Some(u.id.clone()) }
                .holds_section(n.department_id.as_deref(), n.user_type.as_deref());
            if !(admin || (holds && in_section) || n.also_user.as_deref() == Some(u.id.as_str())) || n.only_user.as_deref().is_some_and(|only| only != u.id) {
                continue;
            }
            rows.push(notification::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                user_id: Set(u.id.clone()),
                case_id: Set(n.case_id.clone()),
                event: Set(n.event.to_owned()),
                title: Set(n.title.clone()),
                body: Set(n.body.clone()),
                created_at: Set(now),
                read_at: Set(None),
            });
        }
    }
    crate::db::insert_all(db, rows).await?;
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub unread_only: Option<bool>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: String,
    pub title: String,
    pub body: String,
    pub case_id: Option<String>,
    /// `assigned`, `returned`, `rejected`, `approved`, `advanced`, `message`, `overdue`.
    pub event: String,
    pub created_at: crate::time::ApiTime,
    pub read: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub total: u64,
    pub unread: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub count: u64,
}

async fn count_unread(state: &AppState, user: &CurrentUser) -> ApiResult<u64> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.user_id.clone()))
        .filter(notification::Column::ReadAt.is_null())
        .count(&state.db)
        .await?)
}

/// The signed-in user's notifications, newest first.
#[utoipa::path(get, path = "/api/notifications", tag = "review", params(NotificationQuery),
    responses((status = 200, body = NotificationPage), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_notifications(State(state): State<AppState>, user: CurrentUser, Query(q): Query<NotificationQuery>) -> ApiResult<Json<NotificationPage>> {
    let page = Page::parse(q.page, q.page_size)?;
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(user.user_id.clone()));
    if q.unread_only == Some(true) {
        query = query.filter(notification::Column::ReadAt.is_null());
    }
    let paginator = query.order_by_desc(notification::Column::CreatedAt).order_by_desc(notification::Column::Id).paginate(&state.db, page.page_size);
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(page.index())
        .await?
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            title: n.title,
            body: n.body,
            case_id: n.case_id,
            event: n.event,
            created_at: crate::time::api(n.created_at),
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(Json(NotificationPage { items, total, unread: count_unread(&state, &user).await? }))
}

/// The unread badge.
#[utoipa::path(get, path = "/api/notifications/unread-count", tag = "review",
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorEnvelope)))]
pub async fn unread_count(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<UnreadCount>> {
    Ok(Json(UnreadCount { count: count_unread(&state, &user).await? }))
}

/// Marks one of the user's notifications read.
#[utoipa::path(post, path = "/api/notifications/{id}/read", tag = "review", params(("id" = String, Path, description = "notification id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn mark_read(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let found = notification::Entity::find_by_id(id.clone())
        .one(&state.db)
        .await?
        .filter(|n| n.user_id == user.user_id)
        .ok_or_else(|| ApiError::NotFound("通知不存在".into()))?;
    if found.read_at.is_none() {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notification::Column::Id.eq(id))
            .exec(&state.db)
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Marks all of the user's notifications read (全部已读).
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "review", responses((status = 204), (status = 401, body = ErrorEnvelope)))]
pub async fn mark_all_read(State(state): State<AppState>, user: CurrentUser) -> ApiResult<StatusCode> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user.user_id.clone()))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
