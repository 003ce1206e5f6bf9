//! 申报审核 (003 §4.2.1, §4.3.2, §4.5.1, §4.5.3; the manual calls the handlers' page 申报管理, a name this
//! platform gives the officials' call settings): per track the bureau reviews, 待审核项目数 (the tasks the user
//! holds), 已推荐项目数, the applicants' and the districts' deadlines, and the recommendation letters (推荐函).
//! Each district and city bureau uploads its own letters per track (上传区推荐函 / 上传市推荐函); the bureaus above
//! it read them (查看区推荐函; the province reads the cities'). The reviewing itself runs on the engine (待办审核).

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::entity::{application, call, letter};
use super::kind::{section_scope, settings_of};
use super::sections::{reviewed_tracks, tracks_of_calls_by, ReviewedTrack};
use crate::audit::{self, Entry, Outcome};
use crate::auth::{CurrentUser, Role};
use crate::directory::{org, user as users, OrgKind};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::ApiJson;
use crate::review::{self, sections::Holder, ReviewerTab};
use crate::state::AppState;
use crate::time::ApiTime;

/// Letters one bureau keeps per track: the manual's list shows three (the letter, a duplicate check, a
/// summary). A soft cap that keeps the list readable: two uploads at the same instant may pass it by one.
const MAX_LETTERS: u64 = 10;

/// The bureau's administrator and its members given 审核办理.
pub(super) fn require_reviewer(user: &CurrentUser) -> ApiResult<()> {
    user.require_org_kind(OrgKind::Government)?;
    if user.has_role(Role::OrgAdmin) || user.permissions.iter().any(|p| p == "reviews") {
        Ok(())
    } else {
        Err(ApiError::Forbidden("您没有审核办理权限".into()))
    }
}

/// The government bodies below `org_id`: a city's districts (and their towns), a province's cities and theirs.
async fn bureaus_below(db: &impl ConnectionTrait, org_id: &str) -> ApiResult<HashSet<String>> {
    let mut out = HashSet::new();
    let mut frontier = vec![org_id.to_owned()];
    // Province → city → district → town: the loop ends when a level has no children; the bound only guards
    // against a cycle an operator might have made by hand.
    for _ in 0..8 {
        if frontier.is_empty() {
            break;
        }
        let mut next = Vec::new();
        for chunk in frontier.chunks(500) {
            let found = org::Entity::find()
                .filter(org::Column::ParentId.is_in(chunk.to_vec()))
                .filter(org::Column::Kind.eq(OrgKind::Government.as_str()))
                .all(db)
                .await?;
            next.extend(found.into_iter().map(|o| o.id).filter(|id| !out.contains(id)));
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    Ok(out)
}

/// The tracks on the caller's 申报审核: those its bureau recommends (a district's, a city's), then those only
/// the bureaus `below` it recommend (the province reads the cities' letters). `true` marks the bureau's own.
async fn tracks_for(state: &AppState, user: &CurrentUser, below: &HashSet<String>) -> ApiResult<Vec<(ReviewedTrack, bool)>> {
    let mut out: Vec<(ReviewedTrack, bool)> = reviewed_tracks(state, user).await?.into_iter().map(|t| (t, true)).collect();
    let mut seen: HashSet<String> = out.iter().map(|(t, _)| t.track.id.clone()).collect();
    let below: Vec<String> = below.iter().cloned().collect();
    for chunk in below.chunks(500) {
        for t in tracks_of_calls_by(state, chunk.to_vec()).await? {
            if seen.insert(t.track.id.clone()) {
                out.push((t, false));
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewingRow {
    pub track_id: String,
    pub track_name: String,
    pub program_name: String,
    pub year: i32,
    /// The bureau running the call (the city, for a district).
    pub call_org_name: String,
    /// The applicants' deadline (申报截止时间).
    pub closes_at: ApiTime,
    /// 区县审核截止时间, when the call has district review.
    pub district_deadline: Option<ApiTime>,
    /// 待审核项目数: applications waiting for the user (the tasks of its section).
    pub pending: u64,
    /// 已推荐项目数: applications the bureau recommended that went on.
    pub recommended: u64,
    /// 最后送达时间: when the latest application reached the bureau (003 §4.3.2), if one has.
    pub last_arrived_at: Option<ApiTime>,
    /// The bureau recommends this track's applications upward and sends its letters with them (a district or
    /// city bureau); `false` where it only reads the letters of the bureaus below (the province).
    pub sends_letters: bool,
    /// The bureau's own letters for the track.
    pub letters: u64,
    /// Letters of the bureaus below it (查看区推荐函).
    pub letters_below: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewingList {
    pub items: Vec<ReviewingRow>,
}

/// The track of each call.
async fn tracks_of_calls(db: &impl ConnectionTrait, call_ids: Vec<String>) -> ApiResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in call_ids.chunks(500) {
        let found = call::Entity::find().filter(call::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        out.extend(found.into_iter().map(|c| (c.id, c.track_id)));
    }
    Ok(out)
}

/// Applications among `cases` (a subquery of case ids), counted per track: one grouped query and one for the
/// calls' tracks, however many tracks the page lists.
async fn counts_by_track(db: &impl ConnectionTrait, cases: SelectStatement) -> ApiResult<HashMap<String, u64>> {
    let per_call: Vec<(String, i64)> = application::Entity::find()
        .select_only()
        .column(application::Column::CallId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(application::Column::CaseId.in_subquery(cases))
        .group_by(application::Column::CallId)
        .into_tuple()
        .all(db)
        .await?;
    let tracks = tracks_of_calls(db, per_call.iter().map(|(id, _)| id.clone()).collect()).await?;
    let mut out = HashMap::new();
    for (call_id, n) in per_call {
        if let Some(track_id) = tracks.get(&call_id) {
            *out.entry(track_id.clone()).or_insert(0) += n as u64;
        }
    }
    Ok(out)
}

/// 最后送达时间 per track: when the latest of its applications reached `org_id`.
async fn last_arrivals(db: &impl ConnectionTrait, org_id: &str) -> ApiResult<HashMap<String, chrono::DateTime<Utc>>> {
    let groups = sea_orm::sea_query::Query::select()
        .column(application::Column::CaseId)
        .expr_as(Expr::col(application::Column::CallId), sea_orm::sea_query::Alias::new("grp"))
        .from(application::Entity)
        .to_owned();
    let per_call = review::last_arrivals(db, org_id, groups).await?;
    let tracks = tracks_of_calls(db, per_call.keys().cloned().collect()).await?;
    let mut out: HashMap<String, chrono::DateTime<Utc>> = HashMap::new();
    for (call_id, at) in per_call {
        if let Some(track_id) = tracks.get(&call_id) {
            let latest = out.entry(track_id.clone()).or_insert(at);
            *latest = (*latest).max(at);
        }
    }
    Ok(out)
}

/// 申报审核: every track the bureau reviews (or whose letters it reads), with its counts and deadlines.
#[utoipa::path(get, path = "/api/calls/reviewing", tag = "calls",
    responses((status = 200, body = ReviewingList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_reviewing(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ReviewingList>> {
    require_reviewer(&user)?;
    let db = &state.db;
    let org_id = user.organization.id.clone();
    let below = bureaus_below(db, &org_id).await?;
    let tracks = tracks_for(&state, &user, &below).await?;
    let pending = counts_by_track(db, review::case_ids_held_by(&org_id, &Holder::of(&user))).await?;
    let recommended = counts_by_track(db, review::case_ids_reviewed_by(&org_id, Some(ReviewerTab::Recommended))).await?;
    let arrived = last_arrivals(db, &org_id).await?;
    let mut letters: HashMap<String, (u64, u64)> = HashMap::new();
    let track_ids: Vec<String> = tracks.iter().map(|(t, _)| t.track.id.clone()).collect();
    for chunk in track_ids.chunks(500) {
        for l in letter::Entity::find().filter(letter::Column::TrackId.is_in(chunk.to_vec())).all(db).await? {
            let counts = letters.entry(l.track_id.clone()).or_default();
            if l.organization_id == org_id {
                counts.0 += 1;
            } else if below.contains(&l.organization_id) {
                counts.1 += 1;
            }
        }
    }
    let mut items = Vec::with_capacity(tracks.len());
    for (t, sends_letters) in tracks {
        let settings = settings_of(&t.call);
        let (own_letters, letters_below) = letters.get(&t.track.id).copied().unwrap_or_default();
        items.push(ReviewingRow {
            pending: pending.get(&t.track.id).copied().unwrap_or(0),
            recommended: recommended.get(&t.track.id).copied().unwrap_or(0),
            last_arrived_at: arrived.get(&t.track.id).copied().map(crate::time::api),
            sends_letters,
            letters: own_letters,
            letters_below,
            closes_at: crate::time::api(t.call.closes_at),
            district_deadline: settings.district_deadline.filter(|_| settings.district_review).map(crate::time::api),
            track_id: t.track.id,
            track_name: t.track.name,
            program_name: t.program.name,
            year: t.program.year,
            call_org_name: t.call_org_name,
        });
    }
    Ok(Json(ReviewingList { items }))
}

/// One recommendation letter as the list shows it (文件名称, 文件大小, 上传时间, 推荐部门).
#[derive(Debug, Serialize, ToSchema)]
pub struct Letter {
    pub id: String,
    pub file_id: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub uploaded_at: ApiTime,
    /// The bureau that recommends (推荐部门).
    pub organization_name: String,
    pub uploaded_by_name: String,
    /// The caller's bureau's own (it may delete it).
    pub own: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LetterList {
    /// The caller's bureau's letters for the track.
    pub own: Vec<Letter>,
    /// The letters of the bureaus below it.
    pub below: Vec<Letter>,
    /// Whether the caller may upload and delete the bureau's letters for this track.
    pub may_upload: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LetterQuery {
    pub track_id: String,
}

/// Whether the user may upload the bureau's letters for the track: the administrator, or a handler of the
/// track's responsible section (any handler where the bureau has not named one).
async fn may_upload(db: &impl ConnectionTrait, user: &CurrentUser, track_id: &str) -> ApiResult<Result<(), String>> {
    if user.has_role(Role::OrgAdmin) {
        return Ok(Ok(()));
    }
    let Some(department_id) = review::sections::responsible(db, &section_scope(track_id), &user.organization.id).await? else { return Ok(Ok(())) };
    if user.department_id.as_deref() == Some(department_id.as_str()) {
        return Ok(Ok(()));
    }
    let name = crate::directory::department::Entity::find_by_id(department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(Err(format!("本方向的推荐函由责任科室「{name}」上传")))
}

async fn letter_views(db: &impl ConnectionTrait, rows: Vec<letter::Model>, own_org: &str) -> ApiResult<Vec<Letter>> {
    let files: HashMap<String, crate::files::entity::Model> = crate::files::entity::Entity::find()
        .filter(crate::files::entity::Column::Id.is_in(rows.iter().map(|l| l.file_id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    let orgs = crate::directory::by_ids(db, rows.iter().map(|l| l.organization_id.clone()).collect()).await?;
    let people: HashMap<String, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|l| l.uploaded_by.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|l| {
            let file = files.get(&l.file_id);
            Letter {
                file_name: file.map(|f| f.original_name.clone()).unwrap_or_default(),
                size_bytes: file.map(|f| f.size_bytes).unwrap_or(0),
                uploaded_at: crate::time::api(l.uploaded_at),
                organization_name: orgs.get(&l.organization_id).map(|o| o.name.clone()).unwrap_or_default(),
                uploaded_by_name: people.get(&l.uploaded_by).cloned().unwrap_or_default(),
                own: l.organization_id == own_org,
                id: l.id,
                file_id: l.file_id,
            }
        })
        .collect())
}

/// The track as the caller sees it on 申报审核, or 404 (another city's track is as unknown as a made-up one).
async fn track_for(state: &AppState, user: &CurrentUser, below: &HashSet<String>, track_id: &str) -> ApiResult<(ReviewedTrack, bool)> {
    tracks_for(state, user, below)
        .await?
        .into_iter()
        .find(|(t, _)| t.track.id == track_id)
        .ok_or_else(|| ApiError::NotFound("申报方向不存在或不由本单位审核".into()))
}

/// 查看推荐函: the bureau's own letters for the track and those of the bureaus below it.
#[utoipa::path(get, path = "/api/calls/letters", tag = "calls", params(LetterQuery),
    responses((status = 200, body = LetterList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_letters(State(state): State<AppState>, user: CurrentUser, Query(q): Query<LetterQuery>) -> ApiResult<Json<LetterList>> {
    require_reviewer(&user)?;
    let org_id = user.organization.id.clone();
    let below = bureaus_below(&state.db, &org_id).await?;
    let (_, sends) = track_for(&state, &user, &below, &q.track_id).await?;
    let rows = letter::Entity::find()
        .filter(letter::Column::TrackId.eq(q.track_id.clone()))
        .order_by_asc(letter::Column::UploadedAt)
        .order_by_asc(letter::Column::Id)
        .all(&state.db)
        .await?;
    let (own, others): (Vec<_>, Vec<_>) = rows.into_iter().filter(|l| l.organization_id == org_id || below.contains(&l.organization_id)).partition(|l| l.organization_id == org_id);
    Ok(Json(LetterList {
        own: letter_views(&state.db, own, &org_id).await?,
        below: letter_views(&state.db, others, &org_id).await?,
        may_upload: sends && may_upload(&state.db, &user, &q.track_id).await?.is_ok(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewLetter {
    pub track_id: String,
    /// A file the caller's bureau uploaded (`POST /api/files`).
    pub file_id: String,
}

async fn audit_letter(txn: &impl ConnectionTrait, user: &CurrentUser, action: &'static str, l: &letter::Model) -> ApiResult<()> {
    audit::record(txn, Entry {
        action,
        actor: Some(user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("file"),
        object_id: Some(&l.file_id),
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({ "track_id": l.track_id })),
    })
    .await?;
    Ok(())
}

/// 上传区推荐函 / 上传市推荐函: names an uploaded file as one of the bureau's letters for a track it reviews.
#[utoipa::path(post, path = "/api/calls/letters", tag = "calls", request_body = NewLetter,
    responses((status = 201, body = Letter), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn upload_letter(State(state): State<AppState>, user: CurrentUser, ApiJson(input): ApiJson<NewLetter>) -> ApiResult<(StatusCode, Json<Letter>)> {
    require_reviewer(&user)?;
    let below = bureaus_below(&state.db, &user.organization.id).await?;
    let (_, sends) = track_for(&state, &user, &below, &input.track_id).await?;
    if !sends {
        return Err(ApiError::validation("track_id", "本单位不审核该方向，不能上传推荐函"));
    }
    if let Err(why) = may_upload(&state.db, &user, &input.track_id).await? {
        return Err(ApiError::Forbidden(why));
    }
    let org_id = user.organization.id.clone();
    crate::files::own_files(&state.db, &org_id, "file_id", std::slice::from_ref(&input.file_id)).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    if letter::Entity::find().filter(letter::Column::FileId.eq(input.file_id.clone())).count(&txn).await? > 0 {
        return Err(ApiError::validation("file_id", "该文件已上传为推荐函"));
    }
    let existing = letter::Entity::find()
        .filter(letter::Column::TrackId.eq(input.track_id.clone()))
        .filter(letter::Column::OrganizationId.eq(org_id.clone()))
        .count(&txn)
        .await?;
    if existing >= MAX_LETTERS {
        return Err(ApiError::validation("file_id", format!("每个方向最多上传{MAX_LETTERS}个推荐函文件，请先删除不需要的文件")));
    }
    let row = letter::Model {
        id: uuid::Uuid::now_v7().to_string(),
        organization_id: org_id.clone(),
        track_id: input.track_id,
        file_id: input.file_id,
        uploaded_by: user.user_id.clone(),
        uploaded_at: Utc::now(),
    };
    letter::Entity::insert(letter::ActiveModel {
        id: Set(row.id.clone()),
        organization_id: Set(row.organization_id.clone()),
        track_id: Set(row.track_id.clone()),
        file_id: Set(row.file_id.clone()),
        uploaded_by: Set(row.uploaded_by.clone()),
        uploaded_at: Set(row.uploaded_at),
    })
    .exec(&txn)
    .await?;
    audit_letter(&txn, &user, "recommendation_letter_upload", &row).await?;
    txn.commit().await?;
    let view = letter_views(&state.db, vec![row], &org_id).await?.pop().expect("one letter in, one out");
    Ok((StatusCode::CREATED, Json(view)))
}

/// Deletes one of the bureau's letters (the file stays in the bureau's files).
#[utoipa::path(delete, path = "/api/calls/letters/{id}", tag = "calls", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_letter(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<StatusCode> {
    require_reviewer(&user)?;
    let found = letter::Entity::find_by_id(id).one(&state.db).await?.filter(|l| l.organization_id == user.organization.id);
    let l = found.ok_or_else(|| ApiError::NotFound("推荐函不存在或已删除".into()))?;
    if let Err(why) = may_upload(&state.db, &user, &l.track_id).await? {
        return Err(ApiError::Forbidden(why));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let gone = letter::Entity::delete_by_id(l.id.clone()).exec(&txn).await?;
    if gone.rows_affected == 0 {
        // Deleted by a colleague meanwhile: nothing to record.
        return Err(ApiError::NotFound("推荐函不存在或已删除".into()));
    }
    audit_letter(&txn, &user, "recommendation_letter_delete", &l).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A letter's file is shared with the bureaus above the one that uploaded it (查看区推荐函).
async fn shares_letter(db: &sea_orm::DatabaseConnection, user: &CurrentUser, file: &crate::files::entity::Model) -> ApiResult<bool> {
    if user.organization.kind != OrgKind::Government {
        return Ok(false);
    }
    let Some(l) = letter::Entity::find().filter(letter::Column::FileId.eq(file.id.clone())).one(db).await? else { return Ok(false) };
    // The user's bureau must be above the letter's.
    Ok(crate::directory::ancestors(db, &l.organization_id).await?.contains(&user.organization.id))
}

inventory::submit! {
    crate::files::SharingRule { name: "recommendation_letter", shares: |db, user, file| Box::pin(shares_letter(db, user, file)) }
}
