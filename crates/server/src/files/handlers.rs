use axum::body::Body;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::{Bytes, BytesMut};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::entity as file;
use super::FilePurpose;
use crate::auth::CurrentUser;
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::http::listing::Page;
use crate::state::AppState;
use crate::storage::Storage;

#[derive(Debug, Serialize, ToSchema)]
pub struct PurposeView {
    pub purpose: FilePurpose,
    pub label: String,
    pub max_bytes: u64,
    /// e.g. "10 MB"
    pub max_label: String,
    /// Allowed extensions, lower case, without the dot.
    pub allowed: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurposeList {
    pub items: Vec<PurposeView>,
}

/// The allowed types and sizes per purpose, for upload hints in the UI.
#[utoipa::path(get, path = "/api/files/purposes", tag = "files", responses((status = 200, body = PurposeList)))]
pub async fn list_purposes() -> Json<PurposeList> {
    let items = FilePurpose::ALL
        .into_iter()
        .map(|p| PurposeView {
            purpose: p,
            label: p.label().into(),
            max_bytes: p.max_bytes(),
            max_label: p.max_label(),
            allowed: p.allowed().iter().flat_map(|t| t.extensions().iter().map(|e| e.to_string())).collect(),
        })
        .collect();
    Json(PurposeList { items })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    pub id: String,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub sha256: String,
    pub purpose: String,
    /// China Standard Time, `2025-11-25 23:10:31`.
    pub created_at: crate::time::ApiTime,
}

impl From<file::Model> for FileView {
    fn from(m: file::Model) -> Self {
        Self {
            id: m.id,
            name: m.original_name,
            size: m.size_bytes,
            content_type: m.content_type,
            sha256: m.sha256,
            purpose: m.purpose,
            created_at: crate::time::api(m.created_at),
        }
    }
}

/// Only the final path component, without control characters: browsers send full paths sometimes, and
/// the name is echoed back in a header at download.
fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    last.chars().filter(|c| !c.is_control()).collect::<String>().trim().chars().take(200).collect()
}

fn multipart_error(e: MultipartError, purpose: Option<FilePurpose>) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let limit = purpose.map(|p| p.max_label()).unwrap_or_else(|| "上限".into());
        ApiError::PayloadTooLarge { message: format!("文件大小超过限制（最大 {limit}）") }
    } else {
        ApiError::BadRequest(format!("上传内容无法读取：{}", e.body_text()))
    }
}

/// Reads the field in chunks and stops as soon as the purpose's limit is passed, so an oversized file is
/// refused before anything is stored and without holding more than the limit in memory.
async fn read_limited(field: &mut Field<'_>, purpose: FilePurpose) -> ApiResult<Bytes> {
    let max = purpose.max_bytes();
    let mut buf = BytesMut::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, Some(purpose)))? {
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(ApiError::PayloadTooLarge {
                message: format!("文件大小超过限制（{}最大 {}）", purpose.label(), purpose.max_label()),
            });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// How long a refused upload is still read (and thrown away) before the answer goes out.
const LINGER: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads and discards the rest of a refused upload, as nginx's lingering close does. Answering while the
/// browser is still sending and then closing makes the kernel reset the connection, and the reset can destroy
/// the answer before the browser reads it: the clerk saw a network error instead of 「文件大小超过限制」 (and
/// the oversized-upload test failed now and then on a busy machine). Nothing read here is kept; the request
/// body limit and LINGER bound what it costs.
async fn linger(multipart: &mut Multipart) {
    let _ = tokio::time::timeout(LINGER, async {
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(_)) = field.chunk().await {}
        }
    })
    .await;
}

/// Upload one file: multipart with a `purpose` field, then a `file` field.
#[utoipa::path(post, path = "/api/files", tag = "files",
    request_body(content_type = "multipart/form-data", description = "fields: purpose (attachment|photo|redemption_package|document|credential), then file"),
    responses((status = 201, body = FileView), (status = 401, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn upload_file(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> ApiResult<(StatusCode, Json<FileView>)> {
    super::quota::limit_rate(&state, &user.user_id).await?;
    let mut purpose: Option<FilePurpose> = None;
    let mut upload: Option<(String, Bytes)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| multipart_error(e, purpose))? {
        match field.name() {
            Some("purpose") => {
                let text = field.text().await.map_err(|e| multipart_error(e, None))?;
                purpose = Some(FilePurpose::parse(&text).ok_or_else(|| ApiError::validation("purpose", "文件用途无效"))?);
            }
            Some("file") => {
                // The purpose must come first: it decides how much of the file may be read at all.
                let p = purpose.ok_or_else(|| ApiError::validation("purpose", "请先指定文件用途（purpose 字段须在 file 之前）"))?;
                let name = clean_name(field.file_name().unwrap_or(""));
                match read_limited(&mut field, p).await {
                    Ok(data) => upload = Some((name, data)),
                    Err(refused) => {
                        drop(field);
                        linger(&mut multipart).await;
                        return Err(refused);
                    }
                }
            }
            _ => {}
        }
    }
    let purpose = purpose.ok_or_else(|| ApiError::validation("purpose", "请指定文件用途"))?;
    let (name, data) = upload.ok_or_else(|| ApiError::validation("file", "请选择要上传的文件"))?;
    if name.is_empty() {
        return Err(ApiError::validation("file", "文件名不能为空"));
    }
    if data.is_empty() {
        return Err(ApiError::validation("file", "文件内容为空"));
    }
    let head = &data[..data.len().min(8192)];
    let file_type = shuzhuan_core::check_upload(&name, head, purpose.allowed())
        .map_err(|e| ApiError::validation("file", e.to_string()))?;

    let sha256 = hex::encode(Sha256::digest(&data));
    let key = Storage::key_for_sha256(&sha256);
    let size = data.len() as i64;
    // Content-addressed: the same bytes uploaded again are stored once. An object whose row insert then
    // fails is merely unreferenced, never wrong.
    if !state.storage.exists(&key).await.map_err(storage_unavailable)? {
        state.storage.put(&key, data).await.map_err(storage_unavailable)?;
    }
    let model = file::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(user.organization.id.clone()),
        uploaded_by: Set(user.user_id.clone()),
        purpose: Set(purpose.as_str().into()),
        original_name: Set(name),
        content_type: Set(file_type.content_type().into()),
        size_bytes: Set(size),
        sha256: Set(sha256),
        storage_key: Set(key),
        created_at: Set(Utc::now()),
    };
    // The quota is taken in the transaction that records the file: a failed insert gives it back.
    let txn = crate::db::begin_write(&state.db).await?;
    super::quota::take(&state, &txn, &user.organization.id, size).await?;
    let saved = file::Entity::insert(model).exec_with_returning(&txn).await?;
    audit::record(
        &txn,
        Entry {
            action: "file_upload",
            actor: Some(&user),
            username: None,
            ip: user.ip.clone(),
            object_type: Some("file"),
            object_id: Some(&saved.id),
            outcome: Outcome::Success,
            detail: Some(serde_json::json!({ "purpose": saved.purpose, "size": saved.size_bytes })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

fn storage_unavailable(e: crate::storage::StorageError) -> ApiError {
    ApiError::Unavailable(e.to_string())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based.
    pub page: Option<u64>,
    /// 10, 20, 50 or 100.
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileList {
    pub items: Vec<FileView>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// The signed-in organization's files, newest first.
#[utoipa::path(get, path = "/api/files", tag = "files", params(PageQuery),
    responses((status = 200, body = FileList), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_files(State(state): State<AppState>, user: CurrentUser, Query(q): Query<PageQuery>) -> ApiResult<Json<FileList>> {
    let Page { page, page_size } = Page::parse(q.page, q.page_size)?;
    let paginator = file::Entity::find()
        .filter(file::Column::OrganizationId.eq(user.organization.id.clone()))
        .order_by_desc(file::Column::CreatedAt)
        .order_by_desc(file::Column::Id)
        .paginate(&state.db, page_size);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?.into_iter().map(FileView::from).collect();
    Ok(Json(FileList { items, total, page, page_size }))
}

/// Download a file of the signed-in organization (or shared with it through a review case). Another organization's file answers 404, as if it did
/// not exist, and the attempt is audited.
#[utoipa::path(get, path = "/api/files/{id}", tag = "files", params(("id" = String, Path, description = "file id")),
    responses((status = 200, description = "the file, as an attachment", content_type = "application/octet-stream"),
        (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn download_file(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Response> {
    let not_found = || ApiError::NotFound("文件不存在或无权查看".into());
    let Some(found) = file::Entity::find_by_id(id.clone()).one(&state.db).await? else { return Err(not_found()) };
    // Its own organization's file, or one shared with the user through a case it reviews or applied for.
    let allowed = found.organization_id == user.organization.id || super::shared_with(&state.db, &user, &found).await?;
    audit::record(
        &state.db,
        Entry {
            action: "file_download",
            actor: Some(&user),
            username: None,
            ip: user.ip.clone(),
            object_type: Some("file"),
            object_id: Some(&id),
            outcome: if allowed { Outcome::Success } else { Outcome::Denied },
            detail: None,
        },
    )
    .await?;
    if !allowed {
        return Err(not_found());
    }
    let data = state.storage.get(&found.storage_key).await.map_err(|e| match e {
        crate::storage::StorageError::NotFound => ApiError::Internal(anyhow::anyhow!("file {} missing from storage", found.id)),
        other => storage_unavailable(other),
    })?;
    if hex::encode(Sha256::digest(&data)) != found.sha256 {
        return Err(ApiError::Internal(anyhow::anyhow!("file {} failed its SHA-256 check", found.id)));
    }
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, found.content_type.as_str())
        .header(header::CONTENT_DISPOSITION, crate::http::content_disposition(&found.original_name))
        .header(header::CONTENT_LENGTH, data.len())
        .header("x-content-sha256", found.sha256.as_str())
        .body(Body::from(data))
        .map_err(|e| ApiError::Internal(e.into()))?
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\a\\报告.pdf"), "报告.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\r\nb.pdf"), "ab.pdf");
    }

    #[test]
    fn chinese_names_are_encoded_for_the_header() {
        let h = crate::http::content_disposition("申报书.pdf");
        assert!(h.starts_with("attachment; filename=\"___.pdf\""), "{h}");
        assert!(h.contains("filename*=UTF-8''%E7%94%B3"), "{h}");
    }
}
