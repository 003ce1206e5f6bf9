//! The HTTP surface: serves the routers the composition root (`lib.rs`) assembles under `/api`, the OpenAPI
//! document, the web app, and the middleware every request passes through (request id, logging, compression, body limit,
//! CSRF check, security headers, panic → 500 envelope).

mod extract;
pub mod listing;
mod middleware;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request, Uri};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use extract::{ApiJson, ClientIp};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::WebApp;

/// The `/api` router every capability's routes are merged into, with the document's title and description.
pub fn api_root() -> OpenApiRouter<AppState> {
    let mut doc = OpenApi::default();
    doc.info.title = "数转 shuzhuan API".into();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.description = Some(
        "中小企业数字化转型试点平台接口。所有错误返回统一的 ErrorEnvelope；修改类请求须带请求头 X-Requested-With: shuzhuan。".into(),
    );
    OpenApiRouter::with_openapi(doc)
}

/// The whole application: `api` (every capability's routes, assembled by the composition root) under
/// `/api` with the OpenAPI document at `/api/openapi.json`, the web app everywhere else.
pub fn router(state: AppState, api: OpenApiRouter<AppState>) -> Router {
    let (api_routes, doc) = api.split_for_parts();
    let doc_json = serde_json::to_value(&doc).expect("OpenAPI document serializes");
    let web = WebApp::new(state.config.web_dir.clone());
    let hsts = state.config.session.cookie_secure;
    let max_body = usize::try_from(state.config.max_body_bytes).unwrap_or(usize::MAX);

    let api_routes = api_routes
        .route("/api/openapi.json", get(move || async move { Json(doc_json.clone()) }))
        .fallback(|| async { ApiError::NotFound("接口不存在".into()) })
        .layer(axum::middleware::from_fn(middleware::envelope_framework_errors))
        .layer(axum::middleware::from_fn(middleware::csrf))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let mut app = Router::new()
        .merge(api_routes)
        .fallback(move |uri: Uri| {
            let web = web.clone();
            async move {
                if uri.path() == "/api" || uri.path().starts_with("/api/") {
                    return ApiError::NotFound("接口不存在".into()).into_response();
                }
                web.serve(uri).await
            }
        })
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(middleware::CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")));
    if hsts {
        app = app.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    app.layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &Request<_>| {
                let id = req.headers().get(middleware::REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            })
            .on_response(|res: &axum::response::Response, latency: Duration, _span: &tracing::Span| {
                tracing::info!(status = res.status().as_u16(), ms = latency.as_millis() as u64, "response");
            }),
    )
    .layer(axum::middleware::from_fn(middleware::close_if_body_unread))
    .layer(axum::middleware::from_fn(middleware::request_id))
}

/// The peer address. Behind a reverse proxy this is the proxy; trusting forwarded headers needs a
/// configured proxy list and comes with the deployment docs.
pub fn client_ip(parts: &axum::http::request::Parts) -> Option<String> {
    client_ip_of(&parts.extensions)
}

/// [`client_ip`] for middleware, which holds the whole request.
pub fn client_ip_of(extensions: &axum::http::Extensions) -> Option<String> {
    extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|ci| ci.0.ip().to_string())
}

/// RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names survive in every browser.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || b".-_~".contains(b) {
            encoded.push(*b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
