use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, REQUEST_ID};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The UI's bundles, styles and fonts are all served from this origin; Element Plus sets inline styles,
/// hence `style-src 'unsafe-inline'`. No script may come from anywhere else.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

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

/// Audits every refused request of a signed-in user (GB/T 22239: permission denials are audit events).
/// Done here, once, instead of in each handler; the session is looked up again only for 403 answers.
pub async fn audit_denials(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let token = crate::accounts::session::token_from_headers(req.headers());
    let ip = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|ci| ci.0.ip().to_string());
    let res = next.run(req).await;
    if res.status() == axum::http::StatusCode::FORBIDDEN
        && let Some(token) = token
        && let Ok(Some(user)) = crate::accounts::session::resolve(&state, &token).await
    {
        let object = format!("{method} {path}");
        let recorded = crate::audit::record(
            &state.db,
            crate::audit::Entry {
                action: "permission_denied",
                actor: Some(&user),
                username: None,
                ip,
                object_type: Some("endpoint"),
                object_id: Some(&object),
                outcome: crate::audit::Outcome::Denied,
                detail: None,
            },
        )
        .await;
        if let Err(e) = recorded {
            tracing::error!(error = %e, "could not audit a permission denial");
        }
    }
    res
}
