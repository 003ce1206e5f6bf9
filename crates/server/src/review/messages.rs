//! 留言板: messages between an applicant and the organizations reviewing its case. Each message notifies
//! the other side.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::engine;
use super::entity::{case, message, task};
use super::notifications::{self, Notice};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::state::AppState;

pub const MAX_MESSAGE_CHARS: usize = 500;

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    pub case_id: String,
    pub case_title: String,
    pub author_name: String,
    pub org_name: String,
    /// Written by the caller's organization.
    pub mine: bool,
    pub body: String,
    pub created_at: crate::time::ApiTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    pub items: Vec<MessageView>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageInput {
    pub body: String,
}

fn view(m: message::Model, title: &str, user: &CurrentUser) -> MessageView {
    MessageView {
        mine: m.org_id == user.organization.id,
        id: m.id,
        case_id: m.case_id,
        case_title: title.to_owned(),
        author_name: m.author_name,
        org_name: m.org_name,
        body: m.body,
        created_at: crate::time::api(m.created_at),
    }
}

/// The messages on one case, oldest first.
#[utoipa::path(get, path = "/api/review/cases/{id}/messages", tag = "review", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = MessageList), (status = 404, body = ErrorEnvelope)))]
pub async fn list_case_messages(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<MessageList>> {
    let (l, _) = engine::load_visible(&state.db, &user, &id).await?;
    let rows = message::Entity::find().filter(message::Column::CaseId.eq(id)).order_by_asc(message::Column::CreatedAt).all(&state.db).await?;
    Ok(Json(MessageList { items: rows.into_iter().map(|m| view(m, &l.row.title, &user)).collect() }))
}

/// Leaves a message on a case (the applicant, or an organization reviewing it).
#[utoipa::path(post, path = "/api/review/cases/{id}/messages", tag = "review", params(("id" = String, Path, description = "case id")), request_body = MessageInput,
    responses((status = 201, body = MessageView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn post_case_message(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<MessageInput>) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let (l, s) = engine::load_visible(&state.db, &user, &id).await?;
    let body = input.body.trim().to_owned();
    if body.is_empty() {
        return Err(ApiError::validation("body", "请输入留言内容"));
    }
    let chars = body.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(ApiError::validation("body", format!("留言不能超过{MAX_MESSAGE_CHARS}个字，当前为{chars}个字")));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let m = message::Entity::insert(message::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        case_id: Set(id.clone()),
        author_user_id: Set(user.user_id.clone()),
        author_name: Set(user.display_name.clone()),
        org_id: Set(user.organization.id.clone()),
        org_name: Set(user.organization.name.clone()),
        body: Set(body.clone()),
        created_at: Set(Utc::now()),
    })
    .exec_with_returning(&txn)
    .await?;
    let excerpt: String = body.chars().take(60).collect();
    let notice = || Notice {
        case_id: Some(&l.row.id),
        event: "message",
        title: "留言提醒".into(),
        body: format!("{}就「{}」留言：{excerpt}", user.organization.name, l.row.title),
    };
    if s.owner {
        // To whoever reviews now, else whoever reviewed last.
        let target = task::Entity::find()
            .filter(task::Column::CaseId.eq(id.clone()))
            .order_by_desc(task::Column::OpenedAt)
            .one(&txn)
            .await?;
        if let Some(t) = target {
            notifications::notify_holders(&txn, &t, notice()).await?;
        }
    } else {
        notifications::notify_org(&txn, &l.row.owner_org_id, None, Some(&l.row.owner_user_id), notice()).await?;
    }
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(view(m, &l.row.title, &user))))
}

/// The latest messages on every case the caller's organization applied for or reviews (the workbench's
/// 留言板 tab).
#[utoipa::path(get, path = "/api/review/messages", tag = "review",
    responses((status = 200, body = MessageList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_my_messages(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MessageList>> {
    let org = user.organization.id.clone();
    let mut cond = Condition::any().add(
        message::Column::CaseId.in_subquery(
            sea_orm::sea_query::Query::select().column(case::Column::Id).from(case::Entity).and_where(case::Column::OwnerOrgId.eq(org.clone())).to_owned(),
        ),
    );
    if engine::may_review(&user) {
        cond = cond.add(
            message::Column::CaseId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(task::Column::CaseId)
                    .from(task::Entity)
                    .and_where(task::Column::AssigneeOrgId.eq(org))
                    .cond_where(super::sections::person_condition(&user.user_id))
                    .to_owned(),
            ),
        );
    }
    let rows = message::Entity::find().filter(cond).order_by_desc(message::Column::CreatedAt).limit(50).all(&state.db).await?;
    let ids: Vec<String> = rows.iter().map(|m| m.case_id.clone()).collect();
    let titles: std::collections::HashMap<String, String> = if ids.is_empty() {
        Default::default()
    } else {
        case::Entity::find().filter(case::Column::Id.is_in(ids)).all(&state.db).await?.into_iter().map(|c| (c.id, c.title)).collect()
    };
    let items = rows
        .into_iter()
        .map(|m| {
            let title = titles.get(&m.case_id).cloned().unwrap_or_default();
            view(m, &title, &user)
        })
        .collect();
    Ok(Json(MessageList { items }))
}
