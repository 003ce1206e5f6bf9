//! SMS verification codes: 6 digits, stored hashed, single use, expiring, attempt-limited, with a
//! minimum interval per number and a daily cap (all settings in `[sms]`).

use chrono::{Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::entity::sms_code;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    Register,
    Login,
    ResetPassword,
    ChangePhone,
}

impl SmsPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            SmsPurpose::Register => "register",
            SmsPurpose::Login => "login",
            SmsPurpose::ResetPassword => "reset_password",
            SmsPurpose::ChangePhone => "change_phone",
        }
    }
}

fn code_hash(phone_hash: &str, purpose: SmsPurpose, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{phone_hash}:{}:{code}", purpose.as_str()).as_bytes()))
}

/// Issues and sends a code, enforcing the interval and the daily cap for the number.
pub async fn issue(state: &AppState, phone: &str, purpose: SmsPurpose) -> Result<(), ApiError> {
    let db = &state.db;
    let cfg = &state.config.sms;
    let phone_hash = state.crypto.lookup_hash(phone);
    let now = Utc::now();
    if let Some(last) = sms_code::Entity::find()
        .filter(sms_code::Column::PhoneHash.eq(phone_hash.clone()))
        .order_by_desc(sms_code::Column::CreatedAt)
        .one(db)
        .await?
    {
        let wait = cfg.interval_seconds - (now - last.created_at).num_seconds();
        if wait > 0 {
            return Err(ApiError::TooManyRequests(format!("请{wait}秒后再获取验证码")));
        }
    }
    let today = sms_code::Entity::find()
        .filter(sms_code::Column::PhoneHash.eq(phone_hash.clone()))
        .filter(sms_code::Column::CreatedAt.gt(now - Duration::hours(24)))
        .count(db)
        .await?;
    if today as i64 >= cfg.daily_cap {
        return Err(ApiError::TooManyRequests("该手机号今日获取验证码次数已达上限，请明天再试".into()));
    }
    // The checks above give the exact wait; these counters hold under concurrency (two requests at once both
    // pass a read of the last code), one atomic upsert each.
    if !crate::ratelimit::hit(db, &format!("sms-interval:{phone_hash}"), Duration::seconds(cfg.interval_seconds.max(1)), 1).await? {
        return Err(ApiError::TooManyRequests(format!("请{}秒后再获取验证码", cfg.interval_seconds)));
    }
    if !crate::ratelimit::hit(db, &format!("sms-day:{phone_hash}"), Duration::hours(24), cfg.daily_cap).await? {
        return Err(ApiError::TooManyRequests("该手机号今日获取验证码次数已达上限，请明天再试".into()));
    }
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
    sms_code::Entity::insert(sms_code::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        phone_hash: Set(phone_hash.clone()),
        purpose: Set(purpose.as_str().into()),
        code_hash: Set(code_hash(&phone_hash, purpose, &code)),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(now + Duration::seconds(cfg.code_ttl_seconds)),
        used_at: Set(None),
    })
    .exec(db)
    .await?;
    let text = cfg.template.replace("{code}", &code).replace("{minutes}", &(cfg.code_ttl_seconds / 60).max(1).to_string());
    crate::sms::send(db, cfg, &state.crypto, phone, &text).await.map_err(|e| match e {
        crate::sms::SmsError::Db(db) => ApiError::from(db),
        other => ApiError::Unavailable(other.to_string()),
    })?;
    Ok(())
}

/// Checks a code for the number and purpose; a right code is used up, a wrong one counts an attempt.
/// Only the newest code of the purpose counts. Errors are field errors on `sms_code`.
pub async fn verify(db: &impl ConnectionTrait, crypto: &crate::crypto::FieldCrypto, max_attempts: i32, phone: &str, purpose: SmsPurpose, code: &str) -> Result<(), ApiError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(ApiError::validation("sms_code", "请输入短信验证码"));
    }
    let phone_hash = crypto.lookup_hash(phone);
    let Some(row) = sms_code::Entity::find()
        .filter(sms_code::Column::PhoneHash.eq(phone_hash.clone()))
        .filter(sms_code::Column::Purpose.eq(purpose.as_str()))
        .order_by_desc(sms_code::Column::CreatedAt)
        .one(db)
        .await?
    else {
        return Err(ApiError::validation("sms_code", "请先获取短信验证码"));
    };
    if row.used_at.is_some() || row.expires_at < Utc::now() {
        return Err(ApiError::validation("sms_code", "短信验证码已失效，请重新获取"));
    }
    // The attempt is counted before the code is compared, in one conditional update: of concurrent guesses
    // only `max_attempts` are ever compared. (Read, compare, write back let 13 of 200 through on PostgreSQL.)
    let claimed = sms_code::Entity::update_many()
        .col_expr(sms_code::Column::Attempts, sea_orm::sea_query::ExprTrait::add(Expr::col(sms_code::Column::Attempts), 1))
        .filter(sms_code::Column::Id.eq(row.id.clone()))
        .filter(sms_code::Column::Attempts.lt(max_attempts))
        .filter(sms_code::Column::UsedAt.is_null())
        .exec_with_returning(db)
        .await?;
    if claimed.is_empty() {
        return Err(ApiError::validation("sms_code", "短信验证码错误次数过多，请重新获取"));
    }
    if row.code_hash != code_hash(&phone_hash, purpose, code) {
        return Err(ApiError::validation("sms_code", "短信验证码错误"));
    }
    // Conditional on still being unused, so two concurrent requests cannot both use one code.
    let used = sms_code::Entity::update_many()
        .col_expr(sms_code::Column::UsedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(sms_code::Column::Id.eq(row.id))
        .filter(sms_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Err(ApiError::validation("sms_code", "短信验证码已失效，请重新获取"));
    }
    Ok(())
}
