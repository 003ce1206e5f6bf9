use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;

use crate::error::ApiError;

/// `axum::Json` whose rejections speak the error envelope, in Chinese.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(ApiError::UnsupportedMediaType("请求格式错误：须为 application/json".into()))
            }
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Validation {
                message: format!("请求内容不符合要求：{}", e.body_text()),
                fields: vec![],
            }),
            Err(JsonRejection::BytesRejection(_)) => {
                Err(ApiError::PayloadTooLarge { message: "请求内容过大或读取失败".into() })
            }
            Err(_) => Err(ApiError::BadRequest("请求内容不是有效的 JSON".into())),
        }
    }
}

/// The client's address for the audit log (absent when the server is driven in-process).
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(super::client_ip(parts)))
    }
}
