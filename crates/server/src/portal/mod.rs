//! 门户内容 (issue 20; spec 50 § Portal; seed 003 §3; docs/portal.md): what the operator (platform-wide) and
//! government bodies (for their region) publish on the public portal — 通知公告 (filters 申报状态 / 业务领域 /
//! 项目类型, linked to a call when one is chosen), 政策文件 (newest ten; recommended to a signed-in enterprise
//! by its industry, size, tags and region, with the reason), 结果公示 (with 公示异议 during the publicity
//! period, answered by the publisher), 服务指南, 常见问题 and 友情链接 — each drafted, published at once or at a
//! set time (`publish_at` judged by `AppState::clock`), and retired.
//!
//! Rich text is cleaned on the server by an allow-list sanitizer ([`sanitize`]); images inside it and
//! attachments are files (crate::files), served publicly by `/api/portal/files/{id}` only while an item that
//! shows them is visible. Published items are kept in the site search index (crate::search).

pub mod sanitize;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, StringLen};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shuzhuan_core::RegionCode;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::directory::OrgKind;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::state::AppState;
use crate::time::ApiTime;

pub mod item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub kind: super::Kind,
        pub title: String,
        pub summary: String,
        /// Sanitized HTML.
        pub body: String,
        /// 友情链接: where it leads.
        pub url: Option<String>,
        /// 通知公告: the call it announces.
        pub call_id: Option<String>,
        /// 通知公告: 业务领域 and 项目类型 (empty: none).
        pub area: String,
        pub project_type: String,
        /// 通知公告: the application window behind 申报状态 (the call's when one is linked).
        pub apply_opens_at: Option<ChronoDateTimeUtc>,
        pub apply_closes_at: Option<ChronoDateTimeUtc>,
        /// 政策文件: whom it concerns, each as `,a,b,` (empty: not narrowed).
        pub industries: String,
        pub sizes: String,
        pub tags: String,
        pub regions: String,
        /// 结果公示: the end of the publicity period (objections until then).
        pub period_ends_at: Option<ChronoDateTimeUtc>,
        pub sort: i32,
        pub publisher_org_id: String,
        pub publisher_name: String,
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

pub mod attachment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub file_id: String,
        pub name: String,
        pub sort: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod image {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_images")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub file_id: String,
        pub org_id: String,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod objection {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_objections")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub item_id: String,
        pub user_id: String,
        pub org_id: String,
        pub org_name: String,
        pub contact_name: String,
        pub contact_phone: String,
        pub content: String,
        /// JSON list of file ids (the objector's organization's).
        pub files: String,
        pub answer: Option<String>,
        pub answered_by: Option<String>,
        pub answered_at: Option<ChronoDateTimeUtc>,
        pub created_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sea_orm::EnumIter, sea_orm::DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[schema(as = PortalKind)]
pub enum Kind {
    /// 通知公告
    Notice,
    /// 政策文件
    Policy,
    /// 结果公示
    Publicity,
    /// 服务指南
    Guide,
    /// 常见问题
    Faq,
    /// 友情链接 / 快捷入口
    Link,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::Notice, Kind::Policy, Kind::Publicity, Kind::Guide, Kind::Faq, Kind::Link];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Notice => "notice",
            Kind::Policy => "policy",
            Kind::Publicity => "publicity",
            Kind::Guide => "guide",
            Kind::Faq => "faq",
            Kind::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Notice => "通知公告",
            Kind::Policy => "政策文件",
            Kind::Publicity => "结果公示",
            Kind::Guide => "服务指南",
            Kind::Faq => "常见问题",
            Kind::Link => "友情链接",
        }
    }

    /// The web page of an item of this kind.
    fn link(self, id: &str) -> String {
        match self {
            Kind::Notice => format!("/notices/{id}"),
            Kind::Policy => format!("/policies/{id}"),
            Kind::Publicity => format!("/publicity/{id}"),
            Kind::Guide => format!("/guides/{id}"),
            Kind::Faq => format!("/faqs/{id}"),
            Kind::Link => String::new(),
        }
    }
}

/// 草稿 → 已发布 (from `publish_at`) → 已撤回.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sea_orm::EnumIter, sea_orm::DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[schema(as = PortalStatus)]
pub enum Status {
    Draft,
    Published,
    Retired,
}

/// 业务领域 and 项目类型 of 通知公告 (the filters' choices).
pub const AREAS: &[&str] = &["数字化转型", "智能制造", "工业互联网", "软件和信息服务", "专精特新", "其他"];
pub const PROJECT_TYPES: &[&str] = &["试点项目", "专项资金", "认定评定", "示范推广", "其他"];
/// 政策文件: enterprise sizes (as the enterprise profile stores them).
pub const SIZES: &[&str] = &["大型", "中型", "小型", "微型"];

const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 500;
const MAX_BODY: usize = 100_000;
const MAX_TEXT: usize = 2000;
const PAGE_SIZE: u64 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(portal_home))
        .routes(routes!(list_items))
        .routes(routes!(get_item))
        .routes(routes!(portal_file))
        .routes(routes!(file_objection))
        .routes(routes!(my_objections))
        .routes(routes!(managed_items, create_item))
        .routes(routes!(managed_item, update_item))
        .routes(routes!(publish_item))
        .routes(routes!(retire_item))
        .routes(routes!(item_objections))
        .routes(routes!(answer_objection))
        .routes(routes!(publish_image))
}

fn list_of(s: &str) -> Vec<String> {
    s.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

fn set_of(items: &[String]) -> String {
    if items.is_empty() { String::new() } else { format!(",{},", items.join(",")) }
}

/// Items visible to everyone now: published, their time reached.
fn visible(now: DateTime<Utc>) -> Condition {
    Condition::all().add(item::Column::Status.eq(Status::Published)).add(item::Column::PublishAt.lte(now))
}

// ---------------------------------------------------------------------------------------------------------
// Reading (public)

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemSummary {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    pub publisher_name: String,
    pub published_at: Option<ApiTime>,
    /// 友情链接's address.
    pub url: Option<String>,
    pub area: String,
    pub project_type: String,
    /// 通知公告: upcoming / open / closed by the clock (empty: no window).
    pub apply_status: String,
    pub call_id: Option<String>,
    /// 结果公示: the end of the publicity period, and whether it is still running.
    pub period_ends_at: Option<ApiTime>,
    pub in_period: bool,
    pub attachment_count: u64,
}

fn apply_status(i: &item::Model, now: DateTime<Utc>) -> String {
    match (i.apply_opens_at, i.apply_closes_at) {
        (Some(o), _) if now < o => "upcoming".into(),
        (_, Some(c)) if now >= c => "closed".into(),
        (None, None) => String::new(),
        _ => "open".into(),
    }
}

fn in_period(i: &item::Model, now: DateTime<Utc>) -> bool {
    i.kind == Kind::Publicity && i.status == Status::Published && i.publish_at.is_some_and(|t| t <= now) && i.period_ends_at.is_some_and(|t| now < t)
}

async fn summary_of(db: &impl ConnectionTrait, i: &item::Model, now: DateTime<Utc>) -> ApiResult<ItemSummary> {
    let attachment_count = attachment::Entity::find().filter(attachment::Column::ItemId.eq(i.id.clone())).count(db).await?;
    Ok(ItemSummary {
        id: i.id.clone(),
        kind: i.kind,
        title: i.title.clone(),
        summary: i.summary.clone(),
        publisher_name: i.publisher_name.clone(),
        published_at: i.publish_at.map(crate::time::api),
        url: i.url.clone(),
        area: i.area.clone(),
        project_type: i.project_type.clone(),
        apply_status: apply_status(i, now),
        call_id: i.call_id.clone(),
        period_ends_at: i.period_ends_at.map(crate::time::api),
        in_period: in_period(i, now),
        attachment_count,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recommended {
    pub item: ItemSummary,
    /// Why it is recommended («与贵企业所属行业…相关»).
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalHome {
    /// The newest 通知公告.
    pub notices: Vec<ItemSummary>,
    /// The newest ten 政策文件.
    pub policies: Vec<ItemSummary>,
    /// For a signed-in enterprise: 政策文件 that concern it, with the reasons; empty otherwise.
    pub recommended: Vec<Recommended>,
    /// 友情链接 / 快捷入口.
    pub links: Vec<ItemSummary>,
}

async fn newest(state: &AppState, kind: Kind, n: u64) -> ApiResult<Vec<item::Model>> {
    let mut q = item::Entity::find().filter(visible(state.clock.now())).filter(item::Column::Kind.eq(kind));
    q = if kind == Kind::Link { q.order_by_asc(item::Column::Sort).order_by_desc(item::Column::PublishAt) } else { q.order_by_desc(item::Column::PublishAt) };
    Ok(q.limit(n).all(&state.db).await?)
}

/// The reasons a policy concerns an enterprise with this profile (empty: it does not).
fn reasons(p: &item::Model, industry: Option<&str>, industry_name: Option<&str>, size: Option<&str>, tags: &[String], region: Option<&RegionCode>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(code) = industry {
        if list_of(&p.industries).iter().any(|c| code.starts_with(c.as_str())) {
            out.push(format!("与贵企业所属行业（{}）相关", industry_name.unwrap_or(code)));
        }
    }
    if let Some(s) = size {
        if list_of(&p.sizes).iter().any(|x| x == s) {
            out.push(format!("适用于{s}企业"));
        }
    }
    let shared: Vec<String> = list_of(&p.tags).into_iter().filter(|t| tags.contains(t)).collect();
    if !shared.is_empty() {
        out.push(format!("与贵企业的标签「{}」相关", shared.join("、")));
    }
    if let Some(code) = region {
        let mine: Vec<String> = code.ancestors().into_iter().chain(std::iter::once(code.clone())).map(|c| c.as_str().to_owned()).collect();
        if list_of(&p.regions).iter().any(|r| mine.contains(r)) {
            out.push("适用于贵企业所在地区".into());
        }
    }
    out
}

async fn recommended_for(state: &AppState, user: &CurrentUser) -> ApiResult<Vec<Recommended>> {
    if user.organization.kind != OrgKind::Enterprise {
        return Ok(vec![]);
    }
    let profile = crate::directory::profile::Entity::find_by_id(user.organization.id.clone()).one(&state.db).await?;
    let industry = profile.as_ref().and_then(|p| p.industry_code.clone());
    let industry_name = industry.as_deref().and_then(|c| crate::reference::industries().into_iter().find(|r| r.code == c).map(|r| r.name));
    let size = profile.as_ref().and_then(|p| p.size.clone());
    let tags: Vec<String> = profile.as_ref().and_then(|p| p.tags.as_deref()).and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
    let region = user.organization.region_code.as_deref().and_then(|c| RegionCode::parse(c).ok());
    let now = state.clock.now();
    let policies = item::Entity::find().filter(visible(now)).filter(item::Column::Kind.eq(Kind::Policy)).order_by_desc(item::Column::PublishAt).limit(200).all(&state.db).await?;
    let mut scored = Vec::new();
    for p in policies {
        let r = reasons(&p, industry.as_deref(), industry_name.as_deref(), size.as_deref(), &tags, region.as_ref());
        if !r.is_empty() {
            scored.push((r.len(), p, r));
        }
    }
    // Most reasons first, then newest (the sort is stable over the newest-first list).
    scored.sort_by(|a, b| b.0.cmp(&a.0));
    let mut out = Vec::new();
    for (_, p, reasons) in scored.into_iter().take(10) {
        out.push(Recommended { item: summary_of(&state.db, &p, now).await?, reasons });
    }
    Ok(out)
}

/// 门户首页: the newest 通知公告 and 政策文件, the policies that concern a signed-in enterprise, and the links.
#[utoipa::path(get, path = "/api/portal/home", tag = "portal", responses((status = 200, body = PortalHome)))]
pub async fn portal_home(State(state): State<AppState>, user: Option<CurrentUser>) -> ApiResult<Json<PortalHome>> {
    let now = state.clock.now();
    let mut home = PortalHome { notices: vec![], policies: vec![], recommended: vec![], links: vec![] };
    for i in newest(&state, Kind::Notice, 6).await? {
        home.notices.push(summary_of(&state.db, &i, now).await?);
    }
    for i in newest(&state, Kind::Policy, 10).await? {
        home.policies.push(summary_of(&state.db, &i, now).await?);
    }
    for i in newest(&state, Kind::Link, 20).await? {
        home.links.push(summary_of(&state.db, &i, now).await?);
    }
    if let Some(u) = user {
        home.recommended = recommended_for(&state, &u).await?;
    }
    Ok(Json(home))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    /// notice, policy, publicity, guide, faq or link.
    pub kind: String,
    /// Words to look for (through the site search index).
    pub q: Option<String>,
    /// 通知公告: 申报状态 upcoming / open / closed.
    pub apply_status: Option<String>,
    /// 通知公告: 业务领域.
    pub area: Option<String>,
    /// 通知公告: 项目类型.
    pub project_type: Option<String>,
    pub page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemPage {
    pub items: Vec<ItemSummary>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The public list of one kind, newest first, with its filters; `q` searches through the site index.
#[utoipa::path(get, path = "/api/portal/items", tag = "portal", params(ItemQuery),
    responses((status = 200, body = ItemPage), (status = 422, body = ErrorEnvelope)))]
pub async fn list_items(State(state): State<AppState>, Query(p): Query<ItemQuery>) -> ApiResult<Json<ItemPage>> {
    let kind = Kind::parse(&p.kind).ok_or_else(|| ApiError::validation("kind", "内容类别无效"))?;
    let page = p.page.unwrap_or(1).max(1);
    if page > 500 {
        return Err(ApiError::validation("page", "页码不能超过500"));
    }
    let now = state.clock.now();
    let mut q = item::Entity::find().filter(visible(now)).filter(item::Column::Kind.eq(kind));
    if let Some(text) = opt(&p.q) {
        if text.chars().count() > 50 {
            return Err(ApiError::validation("q", "搜索内容不能超过50个字"));
        }
        // Through the search index: the ids of this kind holding every word (at most 1,000, best first).
        let ids = crate::search::ref_ids(&state.db, text, kind.as_str(), now, 1000).await?;
        q = q.filter(item::Column::Id.is_in(ids));
    }
    if let Some(a) = opt(&p.area) {
        q = q.filter(item::Column::Area.eq(a));
    }
    if let Some(t) = opt(&p.project_type) {
        q = q.filter(item::Column::ProjectType.eq(t));
    }
    if let Some(s) = opt(&p.apply_status) {
        q = match s {
            "upcoming" => q.filter(item::Column::ApplyOpensAt.gt(now)),
            "open" => q
                .filter(Condition::any().add(item::Column::ApplyOpensAt.lte(now)).add(Condition::all().add(item::Column::ApplyOpensAt.is_null()).add(item::Column::ApplyClosesAt.is_not_null())))
                .filter(Condition::any().add(item::Column::ApplyClosesAt.gt(now)).add(Condition::all().add(item::Column::ApplyClosesAt.is_null()).add(item::Column::ApplyOpensAt.is_not_null()))),
            "closed" => q.filter(item::Column::ApplyClosesAt.lte(now)),
            _ => return Err(ApiError::validation("apply_status", "申报状态无效")),
        };
    }
    let q = if kind == Kind::Link { q.order_by_asc(item::Column::Sort).order_by_desc(item::Column::PublishAt) } else { q.order_by_desc(item::Column::PublishAt) };
    let pages = q.paginate(&state.db, PAGE_SIZE);
    let total = pages.num_items().await?;
    let mut items = Vec::new();
    for i in pages.fetch_page(page - 1).await? {
        items.push(summary_of(&state.db, &i, now).await?);
    }
    Ok(Json(ItemPage { items, total, page, page_size: PAGE_SIZE }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalFile {
    pub id: String,
    pub name: String,
    /// Where to download it.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub summary: ItemSummary,
    /// Sanitized HTML.
    pub body: String,
    pub attachments: Vec<PortalFile>,
    /// 结果公示: the signed-in user's own objections to it, with the answers.
    pub my_objections: Vec<ObjectionView>,
}

async fn attachments_of(db: &impl ConnectionTrait, item_id: &str, public: bool) -> ApiResult<Vec<PortalFile>> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::ItemId.eq(item_id))
        .order_by_asc(attachment::Column::Sort)
        .all(db)
        .await?
        .into_iter()
        .map(|a| PortalFile { url: if public { format!("{}{}", sanitize::FILE_URL_PREFIX, a.file_id) } else { format!("/api/files/{}", a.file_id) }, id: a.file_id, name: a.name })
        .collect())
}

/// One published item: its text, attachments and, for a 结果公示, the signed-in user's objections.
#[utoipa::path(get, path = "/api/portal/items/{id}", tag = "portal", params(("id" = String, Path)),
    responses((status = 200, body = ItemDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn get_item(State(state): State<AppState>, user: Option<CurrentUser>, Path(id): Path<String>) -> ApiResult<Json<ItemDetail>> {
    let now = state.clock.now();
    let i = item::Entity::find_by_id(id.clone()).filter(visible(now)).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("内容不存在或已撤回".into()))?;
    let my_objections = match &user {
        Some(u) if i.kind == Kind::Publicity => {
            let rows = objection::Entity::find().filter(objection::Column::ItemId.eq(id.clone())).filter(objection::Column::UserId.eq(u.user_id.clone())).order_by_desc(objection::Column::CreatedAt).all(&state.db).await?;
            views_of(&state.db, rows).await?
        }
        _ => vec![],
    };
    Ok(Json(ItemDetail { attachments: attachments_of(&state.db, &id, true).await?, body: i.body.clone(), summary: summary_of(&state.db, &i, now).await?, my_objections }))
}

/// A file the portal shows: an attachment of a visible item, or an image published for rich text. Anything
/// else answers 404, as if it did not exist.
#[utoipa::path(get, path = "/api/portal/files/{id}", tag = "portal", params(("id" = String, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = ErrorEnvelope)))]
pub async fn portal_file(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let not_found = || ApiError::NotFound("文件不存在或未公开".into());
    let now = state.clock.now();
    let is_image = image::Entity::find_by_id(id.clone()).one(&state.db).await?.is_some();
    let attached = !is_image && {
        let items = attachment::Entity::find().filter(attachment::Column::FileId.eq(id.clone())).all(&state.db).await?;
        item::Entity::find().filter(visible(now)).filter(item::Column::Id.is_in(items.into_iter().map(|a| a.item_id))).count(&state.db).await? > 0
    };
    if !is_image && !attached {
        return Err(not_found());
    }
    let f = crate::files::entity::Entity::find_by_id(id.clone()).one(&state.db).await?.ok_or_else(not_found)?;
    let data = state.storage.get(&f.storage_key).await.map_err(|e| match e {
        crate::storage::StorageError::NotFound => ApiError::Internal(anyhow::anyhow!("file {} missing from storage", f.id)),
        other => ApiError::Unavailable(other.to_string()),
    })?;
    {
        use sha2::{Digest, Sha256};
        if hex::encode(Sha256::digest(&data)) != f.sha256 {
            return Err(ApiError::Internal(anyhow::anyhow!("file {} failed its SHA-256 check", f.id)));
        }
    }
    let disposition = if is_image { "inline".to_owned() } else { crate::http::content_disposition(&f.original_name) };
    Response::builder()
        .header(header::CONTENT_TYPE, f.content_type.as_str())
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CONTENT_LENGTH, data.len())
        .header("x-content-type-options", "nosniff")
        .body(Body::from(data))
        .map(IntoResponse::into_response)
        .map_err(|e| ApiError::Internal(e.into()))
}

// ---------------------------------------------------------------------------------------------------------
// 公示异议

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionView {
    pub id: String,
    pub item_id: String,
    pub item_title: String,
    pub org_name: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub content: String,
    /// The objector's files (the publisher downloads them through /api/files).
    pub files: Vec<PortalFile>,
    pub answer: Option<String>,
    pub answered_at: Option<ApiTime>,
    pub created_at: ApiTime,
}

async fn views_of(db: &impl ConnectionTrait, rows: Vec<objection::Model>) -> ApiResult<Vec<ObjectionView>> {
    let mut out = Vec::new();
    for o in rows {
        let ids: Vec<String> = serde_json::from_str(&o.files).unwrap_or_default();
        let names = crate::files::names_of(db, &o.org_id, ids.clone()).await?;
        let title = item::Entity::find_by_id(o.item_id.clone()).one(db).await?.map(|i| i.title).unwrap_or_default();
        out.push(ObjectionView {
            files: ids.into_iter().map(|id| PortalFile { name: names.get(&id).cloned().unwrap_or_default(), url: format!("/api/files/{id}"), id }).collect(),
            id: o.id,
            item_id: o.item_id,
            item_title: title,
            org_name: o.org_name,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            content: o.content,
            answer: o.answer,
            answered_at: o.answered_at.map(crate::time::api),
            created_at: crate::time::api(o.created_at),
        });
    }
    Ok(out)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ObjectionInput {
    pub contact_name: String,
    pub contact_phone: String,
    pub content: String,
    /// Ids of files the user's organization uploaded.
    #[serde(default)]
    pub files: Vec<String>,
}

fn field(f: &str, m: impl Into<String>) -> FieldError {
    FieldError { field: f.into(), message: m.into() }
}

fn invalid(fields: Vec<FieldError>) -> ApiResult<()> {
    if fields.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation { message: fields[0].message.clone(), fields })
    }
}

/// 公示异议: a signed-in user objects to a 结果公示 during its publicity period, with contact and files.
#[utoipa::path(post, path = "/api/portal/items/{id}/objections", tag = "portal", params(("id" = String, Path)), request_body = ObjectionInput,
    responses((status = 200, body = ObjectionView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn file_objection(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ObjectionInput>) -> ApiResult<Json<ObjectionView>> {
    let now = state.clock.now();
    let i = item::Entity::find_by_id(id.clone())
        .filter(visible(now))
        .filter(item::Column::Kind.eq(Kind::Publicity))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::NotFound("公示不存在或已撤回".into()))?;
    let mut errors = Vec::new();
    let name = input.contact_name.trim();
    if name.is_empty() {
        errors.push(field("contact_name", "请填写联系人"));
    } else if name.chars().count() > 50 {
        errors.push(field("contact_name", "联系人不能超过50个字"));
    }
    let phone = input.contact_phone.trim();
    if phone.is_empty() {
        errors.push(field("contact_phone", "请填写联系电话"));
    } else if phone.len() > 30 || !phone.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+') {
        errors.push(field("contact_phone", "联系电话格式不正确"));
    }
    let content = input.content.trim();
    if content.is_empty() {
        errors.push(field("content", "请填写异议内容"));
    } else if content.chars().count() > MAX_TEXT {
        errors.push(field("content", format!("异议内容不能超过{MAX_TEXT}个字")));
    }
    if input.files.len() > 10 {
        errors.push(field("files", "附件不能超过10个"));
    }
    invalid(errors)?;
    if !in_period(&i, now) {
        return Err(ApiError::Conflict("公示期已结束，不能再提出异议".into()));
    }
    crate::files::own_files(&state.db, &user.organization.id, "files", &input.files).await?;
    let oid = uuid::Uuid::now_v7().to_string();
    let txn = crate::db::begin_write(&state.db).await?;
    objection::Entity::insert(objection::ActiveModel {
        id: Set(oid.clone()),
        item_id: Set(id.clone()),
        user_id: Set(user.user_id.clone()),
        org_id: Set(user.organization.id.clone()),
        org_name: Set(user.organization.name.clone()),
        contact_name: Set(name.to_owned()),
        contact_phone: Set(phone.to_owned()),
        content: Set(content.to_owned()),
        files: Set(serde_json::to_string(&input.files).expect("strings serialize")),
        answer: Set(None),
        answered_by: Set(None),
        answered_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::record(&txn, audit_entry(&user, "portal_objection_file", "portal_objection", &oid, json!({ "item": i.title }))).await?;
    txn.commit().await?;
    let row = objection::Entity::find_by_id(oid).all(&state.db).await?;
    Ok(Json(views_of(&state.db, row).await?.remove(0)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionList {
    pub items: Vec<ObjectionView>,
}

/// 我的异议: the objections the signed-in user filed, with the answers.
#[utoipa::path(get, path = "/api/portal/objections", tag = "portal", responses((status = 200, body = ObjectionList), (status = 401, body = ErrorEnvelope)))]
pub async fn my_objections(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ObjectionList>> {
    let rows = objection::Entity::find().filter(objection::Column::UserId.eq(user.user_id.clone())).order_by_desc(objection::Column::CreatedAt).limit(200).all(&state.db).await?;
    Ok(Json(ObjectionList { items: views_of(&state.db, rows).await? }))
}

/// The publisher downloads the files of objections to its items.
async fn objection_shares(db: &sea_orm::DatabaseConnection, user: &CurrentUser, file: &crate::files::entity::Model) -> ApiResult<bool> {
    if !matches!(user.organization.kind, OrgKind::Operator | OrgKind::Government) {
        return Ok(false);
    }
    let mine = sea_orm::sea_query::Query::select().column(item::Column::Id).from(item::Entity).and_where(item::Column::PublisherOrgId.eq(user.organization.id.clone())).to_owned();
    Ok(objection::Entity::find()
        .filter(objection::Column::ItemId.in_subquery(mine))
        .filter(objection::Column::OrgId.eq(file.organization_id.clone()))
        .filter(objection::Column::Files.contains(format!("\"{}\"", file.id)))
        .count(db)
        .await?
        > 0)
}

inventory::submit! {
    crate::files::SharingRule { name: "portal_objection", shares: |db, user, file| Box::pin(objection_shares(db, user, file)) }
}

// ---------------------------------------------------------------------------------------------------------
// Publishing

/// The operator's and a government body's administrators publish; the region they reach is their body's.
fn publisher(user: &CurrentUser) -> ApiResult<Option<String>> {
    if !user.has_role(Role::OrgAdmin) || !matches!(user.organization.kind, OrgKind::Operator | OrgKind::Government) {
        return Err(ApiError::Forbidden("仅平台运营单位和政府部门的管理员可以发布门户内容".into()));
    }
    Ok(match user.organization.kind {
        OrgKind::Operator => None,
        _ => Some(user.organization.region_code.clone().ok_or_else(|| ApiError::Forbidden("本单位未设置所属地区，不能发布门户内容".into()))?),
    })
}

fn audit_entry<'a>(user: &'a CurrentUser, action: &'static str, object_type: &'static str, id: &'a str, detail: serde_json::Value) -> Entry<'a> {
    Entry { action, actor: Some(user), username: None, ip: user.ip.clone(), object_type: Some(object_type), object_id: Some(id), outcome: Outcome::Success, detail: Some(detail) }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalManagedItem {
    pub id: String,
    pub kind: Kind,
    pub kind_label: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub url: Option<String>,
    pub call_id: Option<String>,
    pub area: String,
    pub project_type: String,
    pub apply_opens_at: Option<ApiTime>,
    pub apply_closes_at: Option<ApiTime>,
    pub industries: Vec<String>,
    pub sizes: Vec<String>,
    pub tags: Vec<String>,
    pub regions: Vec<String>,
    pub period_ends_at: Option<ApiTime>,
    pub sort: i32,
    pub status: Status,
    /// 草稿 / 待发布 / 已发布 / 已撤回.
    pub status_label: String,
    pub publish_at: Option<ApiTime>,
    pub retired_at: Option<ApiTime>,
    pub attachments: Vec<PortalFile>,
    pub objections: u64,
    pub unanswered: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalManagedList {
    pub items: Vec<PortalManagedItem>,
}

async fn managed_of(state: &AppState, i: item::Model) -> ApiResult<PortalManagedItem> {
    let now = state.clock.now();
    let objections = objection::Entity::find().filter(objection::Column::ItemId.eq(i.id.clone())).count(&state.db).await?;
    let unanswered = objection::Entity::find().filter(objection::Column::ItemId.eq(i.id.clone())).filter(objection::Column::AnsweredAt.is_null()).count(&state.db).await?;
    let status_label = match i.status {
        Status::Draft => "草稿",
        Status::Published if i.publish_at.is_some_and(|t| t > now) => "待发布",
        Status::Published => "已发布",
        Status::Retired => "已撤回",
    };
    Ok(PortalManagedItem {
        attachments: attachments_of(&state.db, &i.id, false).await?,
        kind_label: i.kind.label().into(),
        status_label: status_label.into(),
        apply_opens_at: i.apply_opens_at.map(crate::time::api),
        apply_closes_at: i.apply_closes_at.map(crate::time::api),
        industries: list_of(&i.industries),
        sizes: list_of(&i.sizes),
        tags: list_of(&i.tags),
        regions: list_of(&i.regions),
        period_ends_at: i.period_ends_at.map(crate::time::api),
        publish_at: i.publish_at.map(crate::time::api),
        retired_at: i.retired_at.map(crate::time::api),
        objections,
        unanswered,
        id: i.id,
        kind: i.kind,
        title: i.title,
        summary: i.summary,
        body: i.body,
        url: i.url,
        call_id: i.call_id,
        area: i.area,
        project_type: i.project_type,
        sort: i.sort,
        status: i.status,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ManageQuery {
    pub kind: Option<String>,
    /// draft, published or retired.
    pub status: Option<String>,
}

/// 门户内容管理: the items of the user's body, newest first, by kind and status.
#[utoipa::path(get, path = "/api/portal/manage", tag = "portal", params(ManageQuery),
    responses((status = 200, body = PortalManagedList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn managed_items(State(state): State<AppState>, user: CurrentUser, Query(p): Query<ManageQuery>) -> ApiResult<Json<PortalManagedList>> {
    publisher(&user)?;
    let mut q = item::Entity::find().filter(item::Column::PublisherOrgId.eq(user.organization.id.clone()));
    if let Some(k) = opt(&p.kind) {
        q = q.filter(item::Column::Kind.eq(Kind::parse(k).ok_or_else(|| ApiError::validation("kind", "内容类别无效"))?));
    }
    if let Some(s) = opt(&p.status) {
        let s = match s {
            "draft" => Status::Draft,
            "published" => Status::Published,
            "retired" => Status::Retired,
            _ => return Err(ApiError::validation("status", "状态无效")),
        };
        q = q.filter(item::Column::Status.eq(s));
    }
    let mut items = Vec::new();
    for i in q.order_by_desc(item::Column::CreatedAt).limit(500).all(&state.db).await? {
        items.push(managed_of(&state, i).await?);
    }
    Ok(Json(PortalManagedList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemInput {
    /// notice, policy, publicity, guide, faq or link.
    pub kind: String,
    pub title: String,
    /// A line shown in lists (plain text); absent: the start of the body.
    #[serde(default)]
    pub summary: Option<String>,
    /// Rich text (HTML): cleaned on the server.
    #[serde(default)]
    pub body: String,
    /// 友情链接: the address (http or https).
    #[serde(default)]
    pub url: Option<String>,
    /// 通知公告: the published call it announces.
    #[serde(default)]
    pub call_id: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub project_type: Option<String>,
    /// 通知公告 without a call: the application window (RFC 3339).
    #[serde(default)]
    pub apply_opens_at: Option<String>,
    #[serde(default)]
    pub apply_closes_at: Option<String>,
    /// 政策文件: industry codes (国民经济行业分类), sizes (大型/中型/小型/微型), tags, region codes it concerns.
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    /// 结果公示: the end of the publicity period (RFC 3339); required.
    #[serde(default)]
    pub period_ends_at: Option<String>,
    #[serde(default)]
    pub sort: Option<i32>,
    /// Ids of files the user's organization uploaded.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// When it shows (RFC 3339); absent: at once when published.
    #[serde(default)]
    pub publish_at: Option<String>,
    /// 发布 (true) or 保存草稿 (false).
    #[serde(default)]
    pub publish: bool,
}

struct Parsed {
    kind: Kind,
    title: String,
    summary: String,
    body: String,
    url: Option<String>,
    call_id: Option<String>,
    area: String,
    project_type: String,
    apply: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    industries: String,
    sizes: String,
    tags: String,
    regions: String,
    period_ends_at: Option<DateTime<Utc>>,
    sort: i32,
    publish_at: Option<DateTime<Utc>>,
}

fn time_of(errors: &mut Vec<FieldError>, name: &str, v: &Option<String>, label: &str) -> Option<DateTime<Utc>> {
    let s = opt(v)?;
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => Some(t.to_utc()),
        Err(_) => {
            errors.push(field(name, format!("{label}格式不正确")));
            None
        }
    }
}

async fn parse(state: &AppState, user: &CurrentUser, input: &ItemInput) -> ApiResult<Parsed> {
    let now = state.clock.now();
    let mut e = Vec::new();
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        e.push(field("kind", "内容类别无效"));
    }
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        e.push(field("title", "请填写标题"));
    } else if title.chars().count() > MAX_TITLE {
        e.push(field("title", format!("标题不能超过{MAX_TITLE}个字")));
    }
    if input.body.chars().count() > MAX_BODY {
        e.push(field("body", format!("正文不能超过{MAX_BODY}个字符")));
    }
    let body = sanitize::clean(&input.body);
    let text = sanitize::text_of(&body);
    if kind.is_some_and(|k| k != Kind::Link) && text.is_empty() && sanitize::image_ids(&body).is_empty() {
        e.push(field("body", "请填写正文"));
    }
    let summary = match opt(&input.summary) {
        Some(s) if s.chars().count() > MAX_SUMMARY => {
            e.push(field("summary", format!("摘要不能超过{MAX_SUMMARY}个字")));
            String::new()
        }
        Some(s) => s.to_owned(),
        None => text.chars().take(120).collect(),
    };
    let url = opt(&input.url).map(str::to_owned);
    if kind == Some(Kind::Link) {
        match url.as_deref().map(url::Url::parse) {
            None => e.push(field("url", "请填写链接地址")),
            Some(Ok(u)) if matches!(u.scheme(), "http" | "https") && url.as_deref().is_some_and(|s| s.len() <= 500) => {}
            Some(_) => e.push(field("url", "链接地址须以 http:// 或 https:// 开头")),
        }
    }
    let area = opt(&input.area).unwrap_or("").to_owned();
    if !area.is_empty() && !AREAS.contains(&area.as_str()) {
        e.push(field("area", "业务领域无效"));
    }
    let project_type = opt(&input.project_type).unwrap_or("").to_owned();
    if !project_type.is_empty() && !PROJECT_TYPES.contains(&project_type.as_str()) {
        e.push(field("project_type", "项目类型无效"));
    }
    let mut apply = (time_of(&mut e, "apply_opens_at", &input.apply_opens_at, "申报开始时间"), time_of(&mut e, "apply_closes_at", &input.apply_closes_at, "申报截止时间"));
    if let (Some(o), Some(c)) = apply {
        if c <= o {
            e.push(field("apply_closes_at", "申报截止时间须晚于开始时间"));
        }
    }
    let call_id = opt(&input.call_id).map(str::to_owned);
    if let Some(cid) = &call_id {
        match crate::calls::entity::call::Entity::find_by_id(cid.clone()).one(&state.db).await? {
            Some(c) if c.status == crate::calls::entity::call::CallStatus::Published => apply = (Some(c.opens_at), Some(c.closes_at)),
            _ => e.push(field("call_id", "所选申报不存在或未发布")),
        }
    }
    let mut words = |name: &str, list: &[String], max_len: usize, ok: &dyn Fn(&str) -> bool, msg: &str| -> String {
        let mut out: Vec<String> = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let v = v.trim();
            if v.is_empty() || v.contains(',') || v.chars().count() > max_len || !ok(v) {
                e.push(field(&format!("{name}[{i}]"), msg));
            } else if !out.iter().any(|x| x == v) {
                out.push(v.to_owned());
            }
        }
        if out.len() > 20 {
            e.push(field(name, "最多选择20项"));
        }
        set_of(&out)
    };
    let industries = words("industries", &input.industries, 5, &|v| v.chars().all(|c| c.is_ascii_alphanumeric()), "行业代码无效");
    let sizes = words("sizes", &input.sizes, 4, &|v| SIZES.contains(&v), "企业规模无效");
    let tags = words("tags", &input.tags, 10, &|_| true, "标签须为1至10个字");
    let regions = words("regions", &input.regions, 12, &|v| RegionCode::parse(v).is_ok(), "地区代码无效");
    let period_ends_at = time_of(&mut e, "period_ends_at", &input.period_ends_at, "公示截止时间");
    let publish_at = time_of(&mut e, "publish_at", &input.publish_at, "发布时间");
    if kind == Some(Kind::Publicity) {
        match period_ends_at {
            None if opt(&input.period_ends_at).is_none() => e.push(field("period_ends_at", "请填写公示截止时间")),
            Some(end) if end <= publish_at.unwrap_or(now).max(now) => e.push(field("period_ends_at", "公示截止时间须晚于发布时间")),
            _ => {}
        }
    }
    if input.attachments.len() > 20 {
        e.push(field("attachments", "附件不能超过20个"));
    }
    invalid(e)?;
    crate::files::own_files(&state.db, &user.organization.id, "attachments", &input.attachments).await?;
    Ok(Parsed {
        kind: kind.expect("checked"),
        title,
        summary,
        body,
        url,
        call_id,
        area,
        project_type,
        apply,
        industries,
        sizes,
        tags,
        regions,
        period_ends_at,
        sort: input.sort.unwrap_or(0).clamp(-9999, 9999),
        publish_at,
    })
}

/// The text searched: the summary when the publisher wrote one, and the body's text.
fn body_text(i: &item::Model) -> String {
    let text = sanitize::text_of(&i.body);
    if text.starts_with(i.summary.as_str()) { text } else { format!("{} {text}", i.summary) }
}

/// The search document of a published item (links are not searched).
async fn index(db: &impl ConnectionTrait, i: &item::Model) -> ApiResult<()> {
    if i.kind == Kind::Link {
        return Ok(());
    }
    if i.status != Status::Published {
        crate::search::remove(db, i.kind.as_str(), &i.id).await?;
        return Ok(());
    }
    crate::search::put(
        db,
        crate::search::Doc {
            kind: i.kind.as_str(),
            ref_id: i.id.clone(),
            title: i.title.clone(),
            body: body_text(i),
            link: i.kind.link(&i.id),
            date: i.publish_at.unwrap_or(i.created_at),
            visible_from: i.publish_at,
        },
    )
    .await?;
    Ok(())
}

async fn all_docs(db: &sea_orm::DatabaseConnection) -> ApiResult<Vec<crate::search::Doc>> {
    let rows = item::Entity::find().filter(item::Column::Status.eq(Status::Published)).filter(item::Column::Kind.ne(Kind::Link)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|i| crate::search::Doc {
            kind: i.kind.as_str(),
            body: body_text(&i),
            link: i.kind.link(&i.id),
            date: i.publish_at.unwrap_or(i.created_at),
            visible_from: i.publish_at,
            ref_id: i.id,
            title: i.title,
        })
        .collect())
}

inventory::submit! {
    crate::search::Source { name: "portal", docs: |db| Box::pin(all_docs(db)) }
}

async fn set_attachments(db: &impl ConnectionTrait, item_id: &str, files: &[crate::files::entity::Model], order: &[String]) -> ApiResult<()> {
    attachment::Entity::delete_many().filter(attachment::Column::ItemId.eq(item_id)).exec(db).await?;
    for (n, id) in order.iter().enumerate() {
        if let Some(f) = files.iter().find(|f| &f.id == id) {
            attachment::Entity::insert(attachment::ActiveModel { item_id: Set(item_id.to_owned()), file_id: Set(f.id.clone()), name: Set(f.original_name.clone()), sort: Set(n as i32) })
                .on_conflict_do_nothing()
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(())
}

async fn own_item(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<item::Model> {
    item::Entity::find_by_id(id.to_owned())
        .filter(item::Column::PublisherOrgId.eq(user.organization.id.clone()))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::NotFound("内容不存在".into()))
}

/// 发布 or 保存草稿 a new item.
#[utoipa::path(post, path = "/api/portal/manage", tag = "portal", request_body = ItemInput,
    responses((status = 200, body = PortalManagedItem), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_item(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<ItemInput>) -> ApiResult<Json<PortalManagedItem>> {
    let region = publisher(&user)?;
    let p = parse(&state, &user, &input).await?;
    let files = crate::files::own_files(&state.db, &user.organization.id, "attachments", &input.attachments).await?;
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let status = if input.publish { Status::Published } else { Status::Draft };
    let row = item::Model {
        id: id.clone(),
        kind: p.kind,
        title: p.title,
        summary: p.summary,
        body: p.body,
        url: p.url,
        call_id: p.call_id,
        area: p.area,
        project_type: p.project_type,
        apply_opens_at: p.apply.0,
        apply_closes_at: p.apply.1,
        industries: p.industries,
        sizes: p.sizes,
        tags: p.tags,
        regions: p.regions,
        period_ends_at: p.period_ends_at,
        sort: p.sort,
        publisher_org_id: user.organization.id.clone(),
        publisher_name: user.organization.name.clone(),
        publisher_region: region,
        status,
        publish_at: if input.publish { Some(p.publish_at.filter(|t| *t > now).unwrap_or(now)) } else { p.publish_at.filter(|t| *t > now) },
        retired_at: None,
        created_by: user.user_id.clone(),
        created_at: now,
        updated_at: now,
    };
    let txn = crate::db::begin_write(&state.db).await?;
    item::Entity::insert(item::ActiveModel::from(row.clone())).exec_without_returning(&txn).await?;
    set_attachments(&txn, &id, &files, &input.attachments).await?;
    index(&txn, &row).await?;
    let action = if input.publish { "portal_publish" } else { "portal_draft" };
    audit::record(&txn, audit_entry(&user, action, "portal_item", &id, json!({ "kind": row.kind.as_str(), "title": row.title }))).await?;
    txn.commit().await?;
    Ok(Json(managed_of(&state, row).await?))
}

/// One of the body's items, every status.
#[utoipa::path(get, path = "/api/portal/manage/{id}", tag = "portal", params(("id" = String, Path)),
    responses((status = 200, body = PortalManagedItem), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn managed_item(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<PortalManagedItem>> {
    publisher(&user)?;
    let i = own_item(&state, &user, &id).await?;
    Ok(Json(managed_of(&state, i).await?))
}

/// 修改: a draft or a published item (a published one stays published, its search entry follows); not a
/// retired one. `publish` publishes a draft at the same time.
#[utoipa::path(put, path = "/api/portal/manage/{id}", tag = "portal", params(("id" = String, Path)), request_body = ItemInput,
    responses((status = 200, body = PortalManagedItem), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_item(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<ItemInput>) -> ApiResult<Json<PortalManagedItem>> {
    publisher(&user)?;
    let found = own_item(&state, &user, &id).await?;
    let p = parse(&state, &user, &input).await?;
    if p.kind != found.kind {
        return Err(ApiError::validation("kind", "不能修改内容类别"));
    }
    let files = crate::files::own_files(&state.db, &user.organization.id, "attachments", &input.attachments).await?;
    let now = state.clock.now();
    let status = if found.status == Status::Draft && input.publish { Status::Published } else { found.status };
    let publish_at = match status {
        Status::Published => Some(p.publish_at.or(found.publish_at).filter(|t| *t > now).unwrap_or_else(|| found.publish_at.filter(|t| *t <= now).unwrap_or(now))),
        _ => p.publish_at.filter(|t| *t > now),
    };
    let row = item::Model {
        kind: found.kind,
        title: p.title,
        summary: p.summary,
        body: p.body,
        url: p.url,
        call_id: p.call_id,
        area: p.area,
        project_type: p.project_type,
        apply_opens_at: p.apply.0,
        apply_closes_at: p.apply.1,
        industries: p.industries,
        sizes: p.sizes,
        tags: p.tags,
        regions: p.regions,
        period_ends_at: p.period_ends_at,
        sort: p.sort,
        status,
        publish_at,
        updated_at: now,
        ..found.clone()
    };
    let txn = crate::db::begin_write(&state.db).await?;
    // Conditional on the status read: a retire in between wins, this edit changes nothing.
    let mut am = sea_orm::ActiveModelTrait::reset_all(item::ActiveModel::from(row.clone()));
    am.id = sea_orm::ActiveValue::Unchanged(id.clone());
    let res = item::Entity::update_many().set(am).filter(item::Column::Id.eq(id.clone())).filter(item::Column::Status.eq(found.status)).filter(item::Column::Status.ne(Status::Retired)).exec(&txn).await?;
    if res.rows_affected == 0 {
        return Err(ApiError::Conflict("该内容已撤回，不能再修改".into()));
    }
    set_attachments(&txn, &id, &files, &input.attachments).await?;
    index(&txn, &row).await?;
    audit::record(&txn, audit_entry(&user, if status != found.status { "portal_publish" } else { "portal_edit" }, "portal_item", &id, json!({ "title": row.title }))).await?;
    txn.commit().await?;
    Ok(Json(managed_of(&state, row).await?))
}

/// Moves one of the body's items from `from` to `to` by a conditional update (two clicks: one change).
async fn transition(state: &AppState, user: &CurrentUser, id: &str, from: Status, to: Status, action: &'static str) -> ApiResult<Json<PortalManagedItem>> {
    publisher(user)?;
    let found = own_item(state, user, id).await?;
    let now = state.clock.now();
    let mut update = item::Entity::update_many().col_expr(item::Column::Status, Expr::value(to)).col_expr(item::Column::UpdatedAt, Expr::value(now));
    update = match to {
        Status::Retired => update.col_expr(item::Column::RetiredAt, Expr::value(now)),
        _ => update.col_expr(item::Column::PublishAt, Expr::value(found.publish_at.filter(|t| *t > now).unwrap_or(now))),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let res = update.filter(item::Column::Id.eq(id)).filter(item::Column::Status.eq(from)).exec(&txn).await?;
    if res.rows_affected == 1 {
        let row = item::Entity::find_by_id(id.to_owned()).one(&txn).await?.ok_or_else(|| ApiError::NotFound("内容不存在".into()))?;
        index(&txn, &row).await?;
        audit::record(&txn, audit_entry(user, action, "portal_item", id, json!({ "title": found.title }))).await?;
    }
    txn.commit().await?;
    if res.rows_affected == 0 && found.status != to {
        return Err(ApiError::Conflict(match to {
            Status::Retired => "草稿无需撤回，可直接发布或保留".into(),
            _ => "该内容已撤回，不能再发布".into(),
        }));
    }
    Ok(Json(managed_of(state, own_item(state, user, id).await?).await?))
}

/// 发布 a draft (at its set time if that is still ahead).
#[utoipa::path(post, path = "/api/portal/manage/{id}/publish", tag = "portal", params(("id" = String, Path)),
    responses((status = 200, body = PortalManagedItem), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn publish_item(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<PortalManagedItem>> {
    transition(&state, &user, &id, Status::Draft, Status::Published, "portal_publish").await
}

/// 撤回 a published item: it leaves the portal and the search at once.
#[utoipa::path(post, path = "/api/portal/manage/{id}/retire", tag = "portal", params(("id" = String, Path)),
    responses((status = 200, body = PortalManagedItem), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn retire_item(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<PortalManagedItem>> {
    transition(&state, &user, &id, Status::Published, Status::Retired, "portal_retire").await
}

/// The objections to one of the body's items, newest first.
#[utoipa::path(get, path = "/api/portal/manage/{id}/objections", tag = "portal", params(("id" = String, Path)),
    responses((status = 200, body = ObjectionList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn item_objections(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ObjectionList>> {
    publisher(&user)?;
    own_item(&state, &user, &id).await?;
    let rows = objection::Entity::find().filter(objection::Column::ItemId.eq(id)).order_by_desc(objection::Column::CreatedAt).all(&state.db).await?;
    Ok(Json(ObjectionList { items: views_of(&state.db, rows).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerInput {
    pub answer: String,
}

/// 答复 an objection to one of the body's items, once (the objector sees the answer).
#[utoipa::path(post, path = "/api/portal/manage/objections/{id}/answer", tag = "portal", params(("id" = String, Path)), request_body = AnswerInput,
    responses((status = 200, body = ObjectionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn answer_objection(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<AnswerInput>) -> ApiResult<Json<ObjectionView>> {
    publisher(&user)?;
    let not_found = || ApiError::NotFound("异议不存在".into());
    let o = objection::Entity::find_by_id(id.clone()).one(&state.db).await?.ok_or_else(not_found)?;
    own_item(&state, &user, &o.item_id).await.map_err(|_| not_found())?;
    let answer = input.answer.trim();
    if answer.is_empty() {
        return Err(ApiError::validation("answer", "请填写答复内容"));
    }
    if answer.chars().count() > MAX_TEXT {
        return Err(ApiError::validation("answer", format!("答复内容不能超过{MAX_TEXT}个字")));
    }
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let res = objection::Entity::update_many()
        .col_expr(objection::Column::Answer, Expr::value(answer))
        .col_expr(objection::Column::AnsweredBy, Expr::value(user.user_id.clone()))
        .col_expr(objection::Column::AnsweredAt, Expr::value(now))
        .filter(objection::Column::Id.eq(id.clone()))
        .filter(objection::Column::AnsweredAt.is_null())
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(ApiError::Conflict("该异议已答复".into()));
    }
    audit::record(&txn, audit_entry(&user, "portal_objection_answer", "portal_objection", &id, json!({ "item_id": o.item_id }))).await?;
    txn.commit().await?;
    let row = objection::Entity::find_by_id(id).all(&state.db).await?;
    Ok(Json(views_of(&state.db, row).await?.remove(0)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ImageInput {
    /// An image (jpg or png) the user's organization uploaded (purpose `photo`).
    pub file_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImageUrl {
    /// What the rich text's `<img src>` names.
    pub url: String,
}

/// 插入图片: makes an uploaded image of the body public for its rich text and gives its address.
#[utoipa::path(post, path = "/api/portal/images", tag = "portal", request_body = ImageInput,
    responses((status = 200, body = ImageUrl), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn publish_image(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<ImageInput>) -> ApiResult<Json<ImageUrl>> {
    publisher(&user)?;
    let files = crate::files::own_files(&state.db, &user.organization.id, "file_id", std::slice::from_ref(&input.file_id)).await?;
    let f = &files[0];
    if !crate::files::type_accepted(&f.original_name, &["jpg".into(), "png".into()]) {
        return Err(ApiError::validation("file_id", "只能插入 jpg、png 格式的图片"));
    }
    image::Entity::insert(image::ActiveModel { file_id: Set(f.id.clone()), org_id: Set(user.organization.id.clone()), created_at: Set(state.clock.now()) })
        .on_conflict_do_nothing()
        .exec_without_returning(&state.db)
        .await?;
    Ok(Json(ImageUrl { url: format!("{}{}", sanitize::FILE_URL_PREFIX, f.id) }))
}
