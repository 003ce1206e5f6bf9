use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, REQUEST_ID};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The UI's bundles, styles and fonts are all served from this origin; Element Plus sets inline styles,
/// hence `style-src 'unsafe-inline'`. No script may come from anywhere else. `frame-src blob:` lets the case
/// page preview an attached PDF inline: it fetches the file (served as an attachment that may not be framed)
/// and shows it from a `blob:` URL it typed `application/pdf`; no other page may be framed.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-src blob:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Gives every request an id (a sane one passed in by a proxy is kept), makes it available to error
/// envelopes and logs, and echoes it in the response.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    if let Ok(value) = HeaderValue::from_str(&id) {
        req.headers_mut().insert(REQUEST_ID_HEADER, value.clone());
        let mut res = REQUEST_ID.scope(id, next.run(req)).await;
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
        res
    } else {
        next.run(req).await
    }
}

pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "shuzhuan";

/// Cookie sessions need CSRF protection. A browser will not attach a custom header to a cross-site request
/// without a CORS preflight, which this server never grants, so requiring one on every state-changing
/// request is enough (OWASP "custom request header" defence), on top of SameSite=Lax cookies.
pub async fn csrf(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) != Some(CSRF_VALUE) {
        return ApiError::Forbidden("请求来源校验失败，请刷新页面后重试".into()).into_response();
    }
    next.run(req).await
}

pub fn panic_response(_err: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("handler panicked");
    ApiError::Internal(anyhow::anyhow!("panic")).into_response()
}

/// Every error a client can cause leaves `/api` in the envelope. Handlers and our extractors already answer
/// with it; what is left are the framework's own refusals, written as plain text or an empty body: a query
/// string that does not parse (`?page=abc`), a multipart body without a boundary, a method the path does not
/// have (405). This rewrites those, and only those, into the envelope with a Chinese message.
pub async fn envelope_framework_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    // Framework refusals are a line of text; anything longer is not one of them and passes unchanged.
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    let mut out = framework_error(status, &text).into_response();
    if let Some(allow) = parts.headers.get(axum::http::header::ALLOW) {
        out.headers_mut().insert(axum::http::header::ALLOW, allow.clone());
    }
    if let Some(connection) = parts.headers.get(axum::http::header::CONNECTION) {
        out.headers_mut().insert(axum::http::header::CONNECTION, connection.clone());
    }
    out
}

/// The envelope for a refusal axum wrote itself, by status and the text it gave.
fn framework_error(status: axum::http::StatusCode, text: &str) -> ApiError {
    use axum::http::StatusCode;
    match status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::Refused {
            status,
            code: "method_not_allowed",
            message: "该接口不支持此请求方法".into(),
            fields: vec![],
        },
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { message: "请求内容过大".into() },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType("请求格式不受支持".into()),
        StatusCode::NOT_FOUND => ApiError::NotFound("接口不存在".into()),
        s if s.is_server_error() => ApiError::Internal(anyhow::anyhow!("{status}: {text}")),
        _ if text.starts_with("Failed to deserialize query string") => {
            // "Failed to deserialize query string: page: invalid digit found in string" names the parameter.
            let field = text.split(": ").nth(1).filter(|f| !f.contains(' ')).unwrap_or("query");
            ApiError::validation(field, "查询参数格式不正确，请检查后重试")
        }
        _ if text.contains("multipart") || text.contains("boundary") => {
            ApiError::BadRequest("上传请求格式不正确：须为带 boundary 的 multipart/form-data".into())
        }
        _ => ApiError::BadRequest("请求格式不正确".into()),
    }
}

/// A request whose body the server answered without reading (a 401 or 403 decided from the headers) leaves
/// that body on the connection; hyper then cannot reuse the connection and dropped it without saying so, and
/// the client's next request on it failed. This marks such answers `Connection: close`, so clients open a
/// new connection instead of losing a request. Bodies that were read to the end keep the connection alive.
pub async fn close_if_body_unread(req: Request, next: Next) -> Response {
    use axum::http::header::{CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING};
    let has_body = req.headers().contains_key(TRANSFER_ENCODING)
        || req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok()).is_some_and(|n| n > 0);
    if !has_body {
        return next.run(req).await;
    }
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (parts, body) = req.into_parts();
    let body = Body::new(TrackEnd { inner: body, finished: finished.clone() });
    let mut res = next.run(Request::from_parts(parts, body)).await;
    if !finished.load(std::sync::atomic::Ordering::Acquire) {
        res.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    res
}

/// A request body that records whether it was read to the end.
struct TrackEnd {
    inner: Body,
    finished: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl http_body::Body for TrackEnd {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        if let std::task::Poll::Ready(None) = polled {
            self.finished.store(true, std::sync::atomic::Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Works out the client's address once per request (behind trusted proxies, from their forwarding headers;
/// see [`super::forwarded_client`]) for the rate limits, the audit log and the sessions.
pub async fn client_address(
    axum::extract::State(trusted): axum::extract::State<std::sync::Arc<Vec<ipnet::IpNet>>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(peer) = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|ci| ci.0.ip()) {
        let client = super::forwarded_client(peer, req.headers(), &trusted);
        req.extensions_mut().insert(super::ClientAddr(client));
    }
    next.run(req).await
}

/// A NUL character in the path or query string (`%00`) is refused before any handler: no text of ours holds
/// one, and PostgreSQL refuses it in a text parameter (a 500 on search boxes before).
pub async fn refuse_nul_in_uri(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let raw = format!("{}?{}", uri.path(), uri.query().unwrap_or(""));
    if raw.to_ascii_lowercase().contains("%00") {
        return ApiError::Validation { message: "请求地址不能包含控制字符".into(), fields: vec![] }.into_response();
    }
    next.run(req).await
}
