//! Text messages leaving the platform (in-site notifications are the review engine's `review::notifications`).
//! The platform never talks to a provider directly: it calls [`SmsSender::send`], which
//! goes to the configured gateway.
//! - `log`: writes the message to `sms_outbox` (development and tests read codes there); refused in
//!   production mode.
//! - `http`: POSTs a configurable body to the provider's URL (most Chinese SMS providers accept a JSON or
//!   form POST with the number and text; the template adapts to each).

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::config::{SmsConfig, SmsGateway};
use crate::crypto::FieldCrypto;

pub mod outbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sms_outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub phone_hash: String,
        pub phone_masked: String,
        pub text: String,
        pub sent_at: ChronoDateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("短信发送失败，请稍后重试")]
    Gateway(String),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

pub async fn send(
    db: &impl ConnectionTrait,
    config: &SmsConfig,
    crypto: &FieldCrypto,
    phone: &str,
    text: &str,
) -> Result<(), SmsError> {
    match config.gateway {
        SmsGateway::Log => {
            tracing::info!(phone = %crate::crypto::mask_phone(phone), "sms (log gateway)");
            outbox::Entity::insert(outbox::ActiveModel {
                id: Default::default(),
                phone_hash: Set(crypto.lookup_hash(phone)),
                phone_masked: Set(crate::crypto::mask_phone(phone)),
                text: Set(text.to_string()),
                sent_at: Set(Utc::now()),
            })
            .exec(db)
            .await?;
            Ok(())
        }
        SmsGateway::Http => send_http(config, phone, text).await,
    }
}

fn json_escape(s: &str) -> String {
    let quoted = serde_json::to_string(s).expect("strings serialize");
    quoted[1..quoted.len() - 1].to_string()
}

pub fn render_body(config: &SmsConfig, phone: &str, text: &str) -> String {
    let json = config.http_content_type.contains("json");
    let esc = |v: &str| if json { json_escape(v) } else { url::form_urlencoded::byte_serialize(v.as_bytes()).collect() };
    config.http_body_template.replace("{phone}", &esc(phone)).replace("{text}", &esc(text))
}

async fn send_http(config: &SmsConfig, phone: &str, text: &str) -> Result<(), SmsError> {
    let url = config.http_url.as_deref().ok_or_else(|| SmsError::Gateway("sms.http_url is not set".into()))?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| SmsError::Gateway(e.to_string()))?;
    let mut req = client.post(url).header("content-type", &config.http_content_type).body(render_body(config, phone, text));
    if let Some(auth) = &config.http_authorization {
        req = req.header("authorization", auth);
    }
    let res = req.send().await.map_err(|e| SmsError::Gateway(e.to_string()))?;
    if !res.status().is_success() {
        return Err(SmsError::Gateway(format!("provider answered {}", res.status())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_escape_for_their_content_type() {
        let mut c = SmsConfig::default();
        assert_eq!(render_body(&c, "13800138000", "验证码\"1\""), r#"{"phone":"13800138000","text":"验证码\"1\""}"#);
        c.http_content_type = "application/x-www-form-urlencoded".into();
        c.http_body_template = "mobile={phone}&content={text}".into();
        assert_eq!(render_body(&c, "13800138000", "a b&c"), "mobile=13800138000&content=a+b%26c");
    }
}
