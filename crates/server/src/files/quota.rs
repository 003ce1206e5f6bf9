//! Upload limits (issue 13: 30 uploads of up to 100 MB in a burst were all accepted): a number of uploads per
//! user per hour, and a quota of bytes per organization. The quota is taken with one conditional upsert on
//! `upload_usage` (m0012) in the transaction that records the file, so concurrent uploads cannot together
//! pass it (a sum over `files` checked before the insert would let every one of a burst through).

use chrono::Duration;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Refuses the upload when the user has uploaded too often in the last hour.
pub async fn limit_rate(state: &AppState, user_id: &str) -> ApiResult<()> {
    let max = state.config.security.uploads_per_hour_per_user;
    if !crate::ratelimit::hit(&state.db, &format!("upload:{user_id}"), Duration::hours(1), max).await? {
        return Err(ApiError::TooManyRequests(format!("上传过于频繁（每小时最多 {max} 个文件），请稍后再试")));
    }
    Ok(())
}

/// Adds `size` to the organization's usage if it stays within the quota; refuses with 413 otherwise.
pub async fn take(state: &AppState, db: &impl ConnectionTrait, org_id: &str, size: i64) -> ApiResult<()> {
    let quota_mib = state.config.security.upload_quota_mib_per_org;
    if quota_mib <= 0 {
        return Ok(());
    }
    let quota = quota_mib * 1024 * 1024;
    let refused = || ApiError::PayloadTooLarge { message: format!("本单位上传的文件总量已达上限（{}），请联系平台管理员", label(quota_mib)) };
    if size > quota {
        return Err(refused());
    }
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "INSERT INTO upload_usage (organization_id, bytes) VALUES ($1, $2) \
             ON CONFLICT (organization_id) DO UPDATE SET bytes = upload_usage.bytes + excluded.bytes \
             WHERE upload_usage.bytes + excluded.bytes <= $3 RETURNING bytes"
        }
        _ => {
            "INSERT INTO upload_usage (organization_id, bytes) VALUES (?1, ?2) \
             ON CONFLICT (organization_id) DO UPDATE SET bytes = upload_usage.bytes + excluded.bytes \
             WHERE upload_usage.bytes + excluded.bytes <= ?3 RETURNING bytes"
        }
    };
    let taken = db.query_one_raw(Statement::from_sql_and_values(backend, sql, [org_id.into(), size.into(), quota.into()])).await?;
    taken.map(|_| ()).ok_or_else(refused)
}

fn label(mib: i64) -> String {
    if mib % 1024 == 0 {
        format!("{} GB", mib / 1024)
    } else {
        format!("{mib} MB")
    }
}
