//! 工作台公告 (seed 001 §1.4.1: 「公告」可查看平台公告标题及内容; issue 20): the operator posts announcements to the
//! whole platform, a government body to the organizations of its region, each to chosen organization kinds
//! (企业, 服务商 …). A draft is published at once or at a set time, and retired when it no longer holds. The
//! workbench shows the published ones that reach the user, newest first, unread in bold; opening one marks it read.
//!
//! Plain text only (the page keeps line breaks): nothing a publisher types is ever rendered as HTML, so there is
//! nothing to sanitize here; rich text comes with the portal's content (issue 20), through a sanitizer.
//! Published means `status = published` and `publish_at` reached by the server's clock (`AppState::clock`).

use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, StringLen};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shuzhuan_core::RegionCode;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::directory::OrgKind;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::state::AppState;
use crate::time::ApiTime;

pub mod announcement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "announcements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub title: String,
        pub body: String,
        /// The kinds it reaches as `,enterprise,provider,`; empty: every kind.
        pub audience: String,
        pub publisher_org_id: String,
        pub publisher_name: String,
        /// The publishing body's region (its code); `None`: the operator, platform-wide.
        pub publisher_region: Option<String>,
        pub status: super::Status,
        pub publish_at: Option<ChronoDateTimeUtc>,
        pub retired_at: Option<ChronoDateTimeUtc>,
        pub created_by: String,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod read {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "announcement_reads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub announcement_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: String,
        pub read_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// 草稿 → 已发布 (from `publish_at`) → 已撤回.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sea_orm::EnumIter, sea_orm::DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Published,
    Retired,
}

const MAX_TITLE: usize = 100;
const MAX_BODY: usize = 5000;
/// How many the workbench shows.
const SHOWN: u64 = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_announcements))
        .routes(routes!(read_announcement))
        .routes(routes!(managed_announcements, create_announcement))
        .routes(routes!(publish_announcement))
        .routes(routes!(retire_announcement))
}

// ---------------------------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementItem {
    pub id: String,
    pub title: String,
    pub body: String,
    pub publisher_name: String,
    pub published_at: Option<ApiTime>,
    pub read: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementList {
    pub items: Vec<AnnouncementItem>,
    pub unread: u64,
}

/// The published announcements that reach `user` now: the platform's, and those of the bodies whose region
/// holds the user's organization; for its kind or every kind.
fn reaching(user: &CurrentUser, now: DateTime<Utc>) -> Condition {
    let mut regions = Condition::any().add(announcement::Column::PublisherRegion.is_null());
    if let Some(code) = user.organization.region_code.as_deref().and_then(|c| RegionCode::parse(c).ok()) {
        let within: Vec<String> = code.ancestors().into_iter().chain(std::iter::once(code)).map(|c| c.as_str().to_owned()).collect();
        regions = regions.add(announcement::Column::PublisherRegion.is_in(within));
    }
    Condition::all()
        .add(announcement::Column::Status.eq(Status::Published))
        .add(announcement::Column::PublishAt.lte(now))
        .add(regions)
        .add(Condition::any().add(announcement::Column::Audience.eq("")).add(announcement::Column::Audience.contains(format!(",{},", user.organization.kind.as_str()))))
}

/// 平台公告 on the workbench: what reaches the user, newest first, and how many it has not read.
#[utoipa::path(get, path = "/api/announcements", tag = "announcements",
    responses((status = 200, body = AnnouncementList), (status = 401, body = ErrorEnvelope)))]
pub async fn list_announcements(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<AnnouncementList>> {
    let cond = reaching(&user, state.clock.now());
    let rows = announcement::Entity::find().filter(cond.clone()).order_by_desc(announcement::Column::PublishAt).limit(SHOWN).all(&state.db).await?;
    let read_ids: std::collections::HashSet<String> = read::Entity::find()
        .filter(read::Column::UserId.eq(user.user_id.clone()))
        .filter(read::Column::AnnouncementId.is_in(rows.iter().map(|r| r.id.clone())))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| r.announcement_id)
        .collect();
    let read_by_me = sea_orm::sea_query::Query::select().column(read::Column::AnnouncementId).from(read::Entity).and_where(read::Column::UserId.eq(user.user_id.clone())).to_owned();
    let unread = announcement::Entity::find().filter(cond).filter(announcement::Column::Id.not_in_subquery(read_by_me)).count(&state.db).await?;
    let items = rows
        .into_iter()
        .map(|r| AnnouncementItem { read: read_ids.contains(&r.id), published_at: r.publish_at.map(crate::time::api), id: r.id, title: r.title, body: r.body, publisher_name: r.publisher_name })
        .collect();
    Ok(Json(AnnouncementList { items, unread }))
}

/// 已读: once per user (a second click, or two tabs, change nothing); only an announcement that reaches the user.
#[utoipa::path(post, path = "/api/announcements/{id}/read", tag = "announcements", params(("id" = String, Path)),
    responses((status = 200, body = AnnouncementList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn read_announcement(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<AnnouncementList>> {
    let found = announcement::Entity::find_by_id(id.clone()).filter(reaching(&user, state.clock.now())).one(&state.db).await?;
    if found.is_none() {
        return Err(ApiError::NotFound("公告不存在或已撤回".into()));
    }
    read::Entity::insert(read::ActiveModel { announcement_id: Set(id), user_id: Set(user.user_id.clone()), read_at: Set(Utc::now()) })
        .on_conflict_do_nothing()
        .exec_without_returning(&state.db)
        .await?;
    list_announcements(State(state), user).await
}

// ---------------------------------------------------------------------------------------------------------
// Publishing

/// The operator's and a government body's administrators publish; the region they reach is their body's.
fn publisher(user: &CurrentUser) -> ApiResult<Option<String>> {
    if !user.has_role(Role::OrgAdmin) || !matches!(user.organization.kind, OrgKind::Operator | OrgKind::Government) {
        return Err(ApiError::Forbidden("仅平台运营单位和政府部门的管理员可以发布公告".into()));
    }
    Ok(match user.organization.kind {
        OrgKind::Operator => None,
        _ => Some(user.organization.region_code.clone().ok_or_else(|| ApiError::Forbidden("本单位未设置所属地区，不能发布公告".into()))?),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedAnnouncement {
    pub id: String,
    pub title: String,
    pub body: String,
    /// The kinds it reaches; empty: every kind.
    pub audience: Vec<OrgKind>,
    pub status: Status,
    pub status_label: String,
    pub publish_at: Option<ApiTime>,
    pub retired_at: Option<ApiTime>,
    /// How many users have read it.
    pub reads: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedList {
    pub items: Vec<ManagedAnnouncement>,
}

fn audience_of(s: &str) -> Vec<OrgKind> {
    s.split(',').filter_map(OrgKind::parse).collect()
}

async fn managed_list(state: &AppState, org_id: &str) -> ApiResult<ManagedList> {
    let rows = announcement::Entity::find().filter(announcement::Column::PublisherOrgId.eq(org_id)).order_by_desc(announcement::Column::CreatedAt).all(&state.db).await?;
    let now = state.clock.now();
    let mut items = Vec::new();
    for r in rows {
        let reads = read::Entity::find().filter(read::Column::AnnouncementId.eq(r.id.clone())).count(&state.db).await?;
        let status_label = match r.status {
            Status::Draft => "草稿",
            Status::Published if r.publish_at.is_some_and(|t| t > now) => "待发布",
            Status::Published => "已发布",
            Status::Retired => "已撤回",
        };
        items.push(ManagedAnnouncement {
            audience: audience_of(&r.audience),
            status_label: status_label.into(),
            publish_at: r.publish_at.map(crate::time::api),
            retired_at: r.retired_at.map(crate::time::api),
            reads,
            id: r.id,
            title: r.title,
            body: r.body,
            status: r.status,
        });
    }
    Ok(ManagedList { items })
}

/// 公告管理: the announcements of the user's body, every status.
#[utoipa::path(get, path = "/api/announcements/manage", tag = "announcements",
    responses((status = 200, body = ManagedList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn managed_announcements(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ManagedList>> {
    publisher(&user)?;
    Ok(Json(managed_list(&state, &user.organization.id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnnouncementInput {
    pub title: String,
    pub body: String,
    /// Organization kinds (`enterprise`, `provider`, `lead_unit`, `agency`, `government`, `operator`); empty: all.
    #[serde(default)]
    pub audience: Vec<String>,
    /// When it shows (RFC 3339); absent: at once when published.
    #[serde(default)]
    pub publish_at: Option<String>,
    /// 发布 (true) or 保存草稿 (false).
    #[serde(default)]
    pub publish: bool,
}

/// Each problem of the input by field, or what to store: title, body, audience, publish time.
fn parse(input: &AnnouncementInput, now: DateTime<Utc>) -> Result<(String, String, String, Option<DateTime<Utc>>), Vec<FieldError>> {
    let mut out = Vec::new();
    let field = |f: &str, m: String| FieldError { field: f.into(), message: m };
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        out.push(field("title", "请填写公告标题".into()));
    } else if title.chars().count() > MAX_TITLE {
        out.push(field("title", format!("公告标题不能超过{MAX_TITLE}个字")));
    }
    let body = input.body.trim().to_owned();
    if body.is_empty() {
        out.push(field("body", "请填写公告内容".into()));
    } else if body.chars().count() > MAX_BODY {
        out.push(field("body", format!("公告内容不能超过{MAX_BODY}个字")));
    }
    let mut kinds = Vec::new();
    for (i, k) in input.audience.iter().enumerate() {
        match OrgKind::parse(k.trim()) {
            Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Some(_) => {}
            None => out.push(field(&format!("audience[{i}]"), "公告对象无效".into())),
        }
    }
    let publish_at = match input.publish_at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(now),
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.to_utc()),
            Err(_) => {
                out.push(field("publish_at", "发布时间格式不正确".into()));
                None
            }
        },
    };
    if !out.is_empty() {
        return Err(out);
    }
    let audience = if kinds.is_empty() { String::new() } else { format!(",{},", kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")) };
    Ok((title, body, audience, publish_at))
}

fn audit_entry<'a>(user: &'a CurrentUser, action: &'static str, id: &'a str, detail: serde_json::Value) -> Entry<'a> {
    Entry { action, actor: Some(user), username: None, ip: user.ip.clone(), object_type: Some("announcement"), object_id: Some(id), outcome: Outcome::Success, detail: Some(detail) }
}

/// 发布 or 保存草稿 a new announcement.
#[utoipa::path(post, path = "/api/announcements/manage", tag = "announcements", request_body = AnnouncementInput,
    responses((status = 200, body = ManagedList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_announcement(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<AnnouncementInput>) -> ApiResult<Json<ManagedList>> {
    let region = publisher(&user)?;
    let now = state.clock.now();
    let (title, body, audience, publish_at) =
        parse(&input, now).map_err(|fields| ApiError::Validation { message: fields.first().map(|f| f.message.clone()).unwrap_or_default(), fields })?;
    let id = uuid::Uuid::now_v7().to_string();
    let status = if input.publish { Status::Published } else { Status::Draft };
    let txn = crate::db::begin_write(&state.db).await?;
    announcement::Entity::insert(announcement::ActiveModel {
        id: Set(id.clone()),
        title: Set(title.clone()),
        body: Set(body),
        audience: Set(audience.clone()),
        publisher_org_id: Set(user.organization.id.clone()),
        publisher_name: Set(user.organization.name.clone()),
        publisher_region: Set(region),
        status: Set(status),
        publish_at: Set(if input.publish { publish_at } else { publish_at.filter(|t| *t > now) }),
        retired_at: Set(None),
        created_by: Set(user.user_id.clone()),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(&txn)
    .await?;
    let action = if input.publish { "announcement_publish" } else { "announcement_draft" };
    audit::record(&txn, audit_entry(&user, action, &id, json!({ "title": title, "audience": audience }))).await?;
    txn.commit().await?;
    Ok(Json(managed_list(&state, &user.organization.id).await?))
}

/// Moves one of the body's announcements from `from` to `to` by a conditional update (two clicks: one change).
async fn transition(state: &AppState, user: &CurrentUser, id: &str, from: Status, to: Status, action: &'static str) -> ApiResult<Json<ManagedList>> {
    publisher(user)?;
    let found = announcement::Entity::find_by_id(id.to_owned())
        .filter(announcement::Column::PublisherOrgId.eq(user.organization.id.clone()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::NotFound("公告不存在".into()))?;
    let now = state.clock.now();
    let mut update = announcement::Entity::update_many().col_expr(announcement::Column::Status, Expr::value(to)).col_expr(announcement::Column::UpdatedAt, Expr::value(Utc::now()));
    update = match to {
        Status::Retired => update.col_expr(announcement::Column::RetiredAt, Expr::value(now)),
        // A draft published now, or at the time it was saved with if that is still ahead.
        _ => update.col_expr(announcement::Column::PublishAt, Expr::value(found.publish_at.filter(|t| *t > now).unwrap_or(now))),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let res = update.filter(announcement::Column::Id.eq(id)).filter(announcement::Column::Status.eq(from)).exec(&txn).await?;
    if res.rows_affected == 1 {
        audit::record(&txn, audit_entry(user, action, id, json!({ "title": found.title }))).await?;
    }
    txn.commit().await?;
    if res.rows_affected == 0 && found.status != to {
        return Err(ApiError::Conflict(match to {
            Status::Retired => "草稿无需撤回，可直接发布或保留".into(),
            _ => "该公告已撤回，不能再发布".into(),
        }));
    }
    Ok(Json(managed_list(state, &user.organization.id).await?))
}

/// 发布 a draft.
#[utoipa::path(post, path = "/api/announcements/manage/{id}/publish", tag = "announcements", params(("id" = String, Path)),
    responses((status = 200, body = ManagedList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn publish_announcement(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ManagedList>> {
    transition(&state, &user, &id, Status::Draft, Status::Published, "announcement_publish").await
}

/// 撤回 a published announcement: it leaves every workbench at once.
#[utoipa::path(post, path = "/api/announcements/manage/{id}/retire", tag = "announcements", params(("id" = String, Path)),
    responses((status = 200, body = ManagedList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn retire_announcement(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ManagedList>> {
    transition(&state, &user, &id, Status::Published, Status::Retired, "announcement_retire").await
}
