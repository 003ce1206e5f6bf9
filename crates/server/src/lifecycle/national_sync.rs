//! The national platform feed (spec 40 「National platform sync」, docs/national-sync.md): each completed stage
//! of a pilot project — 备案完成, 已签约, 项目实施-改造中 已提交 — and each 信息变更 of a completed one is recorded
//! as an event, in the transaction that completes it, and served to the national platform as a versioned pull
//! API with a cursor (`GET /api/national-sync/v1/events?after=N`, acknowledged with `POST …/ack`).
//!
//! Sequence numbers come from a counter row (`project_number_counters`, key `national_sync`) updated inside the
//! completing transaction: the row stays locked until that transaction ends, so numbers are taken in commit
//! order and a reader never sees N+1 before N — replaying from any cursor has no gaps and no duplicates. The
//! cost is that completions serialize on that row for the length of their transaction, which is short.
//!
//! The city sees each of its projects' sync status (已同步 once the national platform has acknowledged the
//! project's latest event, else 待同步).

use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

use super::entity::project;
use super::entity::{sync_ack, sync_event};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::state::AppState;

/// The version of the feed's format; a change that is not additive gets a new path (`/v2`).
pub const SCHEMA: &str = "shuzhuan.national-sync/v1";
const COUNTER: &str = "national_sync";
/// The one consumer today.
const NATIONAL: &str = "national";
const MAX_LIMIT: u64 = 500;

/// What happened to the project.
#[derive(Debug, Clone, Copy)]
pub enum SyncEvent {
    FilingCompleted,
    SigningCompleted,
    SigningChanged,
    ImplementationSubmitted,
    ImplementationChanged,
    CompletionSubmitted,
    CompletionChanged,
    EvaluationConfirmed,
    AcceptanceCompleted,
}

impl SyncEvent {
    fn code(self) -> &'static str {
        match self {
            SyncEvent::FilingCompleted => "filing_completed",
            SyncEvent::SigningCompleted => "signing_completed",
            SyncEvent::SigningChanged => "signing_changed",
            SyncEvent::ImplementationSubmitted => "implementation_submitted",
            SyncEvent::ImplementationChanged => "implementation_changed",
            SyncEvent::CompletionSubmitted => "completion_submitted",
            SyncEvent::CompletionChanged => "completion_changed",
            SyncEvent::EvaluationConfirmed => "evaluation_confirmed",
            SyncEvent::AcceptanceCompleted => "acceptance_completed",
        }
    }
}

/// Records `event` of `project_id` with the stage's data, inside the transaction that completes it.
pub async fn record(txn: &DatabaseTransaction, project_id: &str, event: SyncEvent, data: Value) -> ApiResult<()> {
    let p = project::Entity::find_by_id(project_id.to_owned()).one(txn).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))?;
    let seq = super::filing::next_in_counter(txn, COUNTER).await? as i64;
    let now = Utc::now();
    let payload = json!({
        "project": { "id": p.id, "name": p.name, "filing_number": p.filing_number, "town_code": p.town_code, "stage": p.stage },
        "data": data,
    });
    sync_event::Entity::insert(sync_event::ActiveModel {
        seq: Set(seq),
        project_id: Set(p.id.clone()),
        town_code: Set(p.town_code.clone()),
        event: Set(event.code().into()),
        payload: Set(payload.to_string()),
        created_at: Set(now),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// The national platform's credential: `Authorization: Bearer <lifecycle.national_sync_token>`. Without a
/// configured token the feed is not served at all (404). An extractor rather than a call in the handler, so
/// that it runs before the query or body is read: a caller without the credential learns nothing from a 422.
pub struct NationalPlatform;

impl axum::extract::FromRequestParts<AppState> for NationalPlatform {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = state.config.lifecycle.national_sync_token.as_deref() else {
            return Err(ApiError::NotFound("未启用国家平台同步接口".into()));
        };
        let given = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        let same = given.len() == token.len() && given.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same { Ok(NationalPlatform) } else { Err(ApiError::InvalidCredentials("同步凭证无效".into())) }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The cursor: events after this sequence number (0: from the start).
    #[serde(default)]
    pub after: u64,
    /// At most this many (1–500, default 100).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedEvent {
    pub seq: i64,
    /// `filing_completed`, `signing_completed`, `signing_changed`, `implementation_submitted`, `implementation_changed`, `completion_submitted`, `completion_changed`.
    pub event: String,
    pub project_id: String,
    pub occurred_at: crate::time::ApiTime,
    /// `{"project": {...}, "data": {...}}` (docs/national-sync.md).
    #[schema(value_type = Object)]
    pub payload: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub schema: String,
    pub events: Vec<FeedEvent>,
    /// The cursor for the next call (the last event's `seq`, or `after` when there was none).
    pub next_after: u64,
    /// More events wait beyond this page.
    pub more: bool,
}

/// The feed, in sequence order, from a cursor. Replaying from any cursor returns the same events.
#[utoipa::path(get, path = "/api/national-sync/v1/events", tag = "national-sync", params(FeedQuery),
    responses((status = 200, body = FeedPage), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn national_sync_events(State(state): State<AppState>, _: NationalPlatform, Query(q): Query<FeedQuery>) -> ApiResult<Json<FeedPage>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::validation("limit", format!("limit 应为 1–{MAX_LIMIT}")));
    }
    let after = i64::try_from(q.after).map_err(|_| ApiError::validation("after", "after 超出范围"))?;
    Ok(Json(page_after(&state, after, limit).await?))
}

/// The feed's page after `after`: what the pull API serves and the webhook pushes.
async fn page_after(state: &AppState, after: i64, limit: u64) -> ApiResult<FeedPage> {
    let rows = sync_event::Entity::find()
        .filter(sync_event::Column::Seq.gt(after))
        .order_by_asc(sync_event::Column::Seq)
        .limit(limit + 1)
        .all(&state.db)
        .await?;
    let more = rows.len() as u64 > limit;
    let events: Vec<FeedEvent> = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| FeedEvent {
            seq: r.seq,
            event: r.event,
            project_id: r.project_id,
            occurred_at: crate::time::api(r.created_at),
            payload: serde_json::from_str(&r.payload).unwrap_or(Value::Null),
        })
        .collect();
    let next_after = events.last().map_or(after as u64, |e| e.seq as u64);
    Ok(FeedPage { schema: SCHEMA.into(), events, next_after, more })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AckInput {
    /// Every event up to and including this sequence number has been taken.
    pub through: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AckState {
    pub acked_seq: i64,
}

/// The national platform acknowledges the feed up to `through`; acknowledgements only move forward (an older
/// one, a retry, changes nothing), and one beyond the last event is refused.
#[utoipa::path(post, path = "/api/national-sync/v1/ack", tag = "national-sync", request_body = AckInput,
    responses((status = 200, body = AckState), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn national_sync_ack(State(state): State<AppState>, _: NationalPlatform, ApiJson(input): ApiJson<AckInput>) -> ApiResult<Json<AckState>> {
    let through = i64::try_from(input.through).map_err(|_| ApiError::validation("through", "through 超出范围"))?;
    let last = sync_event::Entity::find().order_by_desc(sync_event::Column::Seq).one(&state.db).await?.map_or(0, |e| e.seq);
    if through > last {
        return Err(ApiError::validation("through", format!("确认的序号 {through} 超过最新事件序号 {last}")));
    }
    advance(&state, through).await?;
    Ok(Json(AckState { acked_seq: acked(&state).await? }))
}

/// Moves the national platform's acknowledgement forward to `through` (never back: a late or repeated one
/// changes nothing), by a conditional update.
async fn advance(state: &AppState, through: i64) -> ApiResult<()> {
    let now = Utc::now();
    sync_ack::Entity::insert(sync_ack::ActiveModel { consumer: Set(NATIONAL.into()), acked_seq: Set(0), acked_at: Set(now) })
        .on_conflict_do_nothing()
        .exec_without_returning(&state.db)
        .await?;
    sync_ack::Entity::update_many()
        .col_expr(sync_ack::Column::AckedSeq, Expr::value(through))
        .col_expr(sync_ack::Column::AckedAt, Expr::value(now))
        .filter(sync_ack::Column::Consumer.eq(NATIONAL))
        .filter(sync_ack::Column::AckedSeq.lt(through))
        .exec(&state.db)
        .await?;
    Ok(())
}

async fn acked(state: &AppState) -> ApiResult<i64> {
    Ok(sync_ack::Entity::find_by_id(NATIONAL.to_owned()).one(&state.db).await?.map_or(0, |a| a.acked_seq))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSyncStatus {
    pub project_id: String,
    pub project_name: String,
    pub filing_number: Option<String>,
    /// The latest event of the project.
    pub last_event: String,
    pub last_seq: i64,
    pub last_at: crate::time::ApiTime,
    /// 已同步 (the national platform acknowledged the latest event) or 待同步.
    pub synced: bool,
    pub status_label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SyncStatusList {
    pub items: Vec<ProjectSyncStatus>,
    /// How far the national platform has acknowledged the feed.
    pub acked_seq: i64,
}

/// 国家平台同步状态 of the city's projects (those of its towns that have any event), latest first.
#[utoipa::path(get, path = "/api/national-sync/status", tag = "national-sync",
    responses((status = 200, body = SyncStatusList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn national_sync_status(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<SyncStatusList>> {
    let city = super::handlers::require_city_bureau(&user)?;
    let rows = sync_event::Entity::find()
        .filter(sync_event::Column::TownCode.starts_with(city.scope_prefix()))
        .order_by_desc(sync_event::Column::Seq)
        .all(&state.db)
        .await?;
    let acked_seq = acked(&state).await?;
    let mut latest: Vec<sync_event::Model> = Vec::new();
    for r in rows {
        if !latest.iter().any(|l| l.project_id == r.project_id) {
            latest.push(r);
        }
    }
    let projects = project::Entity::find().filter(project::Column::Id.is_in(latest.iter().map(|r| r.project_id.clone()))).all(&state.db).await?;
    let items = latest
        .into_iter()
        .filter_map(|r| Some(status_of(projects.iter().find(|p| p.id == r.project_id)?, r, acked_seq)))
        .collect();
    Ok(Json(SyncStatusList { items, acked_seq }))
}

/// One project's sync status, for the enterprise's own project or its city.
#[utoipa::path(get, path = "/api/projects/{id}/national-sync", tag = "national-sync", params(("id" = String, Path)),
    responses((status = 200, body = ProjectSyncStatus), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn project_national_sync(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<ProjectSyncStatus>> {
    let missing = || ApiError::NotFound("该项目尚无需同步的数据".into());
    let p = if user.organization.kind == crate::directory::OrgKind::Enterprise {
        super::handlers::require_enterprise(&user)?;
        super::handlers::own_project(&state, &user, &id).await?
    } else {
        let city = super::handlers::require_city_bureau(&user)?;
        let p = project::Entity::find_by_id(id.clone()).one(&state.db).await?.ok_or_else(missing)?;
        if !p.town_code.as_deref().is_some_and(|t| t.starts_with(city.scope_prefix())) {
            return Err(missing());
        }
        p
    };
    let r = sync_event::Entity::find().filter(sync_event::Column::ProjectId.eq(p.id.clone())).order_by_desc(sync_event::Column::Seq).one(&state.db).await?.ok_or_else(missing)?;
    Ok(Json(status_of(&p, r, acked(&state).await?)))
}

fn status_of(p: &project::Model, latest: sync_event::Model, acked_seq: i64) -> ProjectSyncStatus {
    let synced = latest.seq <= acked_seq;
    ProjectSyncStatus {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        filing_number: p.filing_number.clone(),
        last_event: latest.event,
        last_seq: latest.seq,
        last_at: crate::time::api(latest.created_at),
        synced,
        status_label: if synced { "已同步" } else { "待同步" }.into(),
    }
}

// ---------------------------------------------------------------------------------------------------------
// The signed webhook

/// What the webhook sends at most per request.
const PUSH_BATCH: u64 = 100;
/// The longest wait between failed deliveries.
const MAX_BACKOFF_SECS: u64 = 300;

/// The webhook's signature of a body sent at `timestamp` (Unix seconds): `v1=` and the hex HMAC-SHA256 of
/// `"{timestamp}.{body}"` under the shared secret. The receiver recomputes it, compares in constant time and
/// refuses a timestamp far from its clock (a replay).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// One delivery: the page after the acknowledged cursor, POSTed with its signature; a 2xx answer acknowledges
/// it (the same forward-only acknowledgement as the pull API's). Returns how many events went out (0: nothing
/// waited); an error says why the receiver did not take them, and nothing moves.
pub async fn push_once(state: &AppState, client: &reqwest::Client) -> Result<usize, String> {
    let (Some(url), Some(secret)) = (state.config.lifecycle.national_webhook_url.as_deref(), state.config.lifecycle.national_webhook_secret.as_deref()) else {
        return Ok(0);
    };
    let after = acked(state).await.map_err(|e| e.to_string())?;
    let page = page_after(state, after, PUSH_BATCH).await.map_err(|e| e.to_string())?;
    if page.events.is_empty() {
        return Ok(0);
    }
    let body = serde_json::to_vec(&page).map_err(|e| e.to_string())?;
    let timestamp = Utc::now().timestamp();
    let res = client
        .post(url)
        .header("content-type", "application/json")
        .header("x-shuzhuan-timestamp", timestamp.to_string())
        .header("x-shuzhuan-signature", signature(secret, timestamp, &body))
        .body(body)
        .timeout(std::time::Duration::from_secs(15))
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    if !res.status().is_success() {
        return Err(format!("receiver answered {}", res.status()));
    }
    advance(state, page.next_after as i64).await.map_err(|e| e.to_string())?;
    Ok(page.events.len())
}

/// How long to wait after `failures` failed deliveries in a row: 2, 4, 8 … seconds, at most five minutes.
pub fn backoff(failures: u32) -> std::time::Duration {
    std::time::Duration::from_secs(2u64.saturating_pow(failures.min(16)).min(MAX_BACKOFF_SECS))
}

/// Starts pushing in the background (`serve`) when a webhook is configured: every few seconds while nothing
/// waits, at once while pages do, backing off after failures (the events stay, and the receiver gets each page
/// again until it answers 2xx — at least once, in order, the cursor in every page).
pub fn spawn_webhook(state: AppState) {
    if state.config.lifecycle.national_webhook_url.is_none() {
        return;
    }
    if state.config.lifecycle.national_webhook_secret.is_none() {
        tracing::warn!("national_webhook_url is set without national_webhook_secret: the webhook stays off");
        return;
    }
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut failures = 0u32;
        loop {
            match push_once(&state, &client).await {
                Ok(0) => {
                    failures = 0;
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                }
                Ok(n) => {
                    failures = 0;
                    tracing::info!(n, "national sync events pushed");
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = %e, failures, "national sync webhook failed; retrying");
                    tokio::time::sleep(backoff(failures)).await;
                }
            }
        }
    });
}
