//! Graphical captchas: the answer's hash is stored with a short expiry; each captcha answers once
//! (right or wrong), so it cannot be replayed or brute-forced.

use base64::Engine;
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use super::entity::captcha;
use crate::error::ApiError;

fn answer_hash(id: &str, answer: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{}", answer.trim().to_ascii_lowercase()).as_bytes()))
}

pub struct Issued {
    pub id: String,
    pub png_base64: String,
    pub answer: String,
}

/// Draws a new captcha (4 characters, noise and a wave filter) and stores its hashed answer.
pub async fn issue(db: &impl ConnectionTrait, ttl_seconds: i64) -> Result<Issued, ApiError> {
    let (answer, png) = tokio::task::spawn_blocking(|| {
        let mut c = ::captcha::Captcha::new();
        // Characters easily confused (0/O, 1/l/I) are left out by the crate's default set.
        c.add_chars(4)
            .apply_filter(::captcha::filters::Noise::new(0.2))
            .apply_filter(::captcha::filters::Wave::new(2.0, 8.0))
            .view(160, 60);
        c.as_tuple()
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("captcha rendering failed")))?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    // Expired captchas are swept as new ones are made, so the table stays small without a job.
    captcha::Entity::delete_many().filter(captcha::Column::ExpiresAt.lt(now)).exec(db).await?;
    captcha::Entity::insert(captcha::ActiveModel {
        id: Set(id.clone()),
        answer_hash: Set(answer_hash(&id, &answer)),
        expires_at: Set(now + Duration::seconds(ttl_seconds)),
    })
    .exec(db)
    .await?;
    Ok(Issued { id, png_base64: base64::engine::general_purpose::STANDARD.encode(png), answer: answer.to_string() })
}

/// Consumes the captcha and checks the answer (case-insensitive). Errors name the field for the form.
pub async fn verify(db: &impl ConnectionTrait, id: Option<&str>, answer: Option<&str>) -> Result<(), ApiError> {
    let (Some(id), Some(answer)) = (id.filter(|s| !s.is_empty()), answer.map(str::trim).filter(|s| !s.is_empty())) else {
        return Err(ApiError::validation("captcha_answer", "请输入图形验证码"));
    };
    // Taken and deleted in one statement: of concurrent requests with one captcha, exactly one gets it.
    let taken = captcha::Entity::delete_many().filter(captcha::Column::Id.eq(id)).exec_with_returning(db).await?;
    let Some(row) = taken.into_iter().next() else {
        return Err(ApiError::validation("captcha_answer", "图形验证码已失效，请点击图片刷新"));
    };
    if row.expires_at < Utc::now() {
        return Err(ApiError::validation("captcha_answer", "图形验证码已失效，请点击图片刷新"));
    }
    if row.answer_hash != answer_hash(id, answer) {
        return Err(ApiError::validation("captcha_answer", "图形验证码错误"));
    }
    Ok(())
}
