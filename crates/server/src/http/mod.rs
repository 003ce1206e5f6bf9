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
    let trusted_proxies = std::sync::Arc::new(state.config.security.trusted_proxy_nets());

    // The interface description helps developers and integrators; in production it is not served to the
    // internet (`shuzhuan openapi` prints it for those who need it).
    let api_routes = if state.config.mode == crate::config::Mode::Production {
        api_routes
    } else {
        api_routes.route("/api/openapi.json", get(move || async move { Json(doc_json.clone()) }))
    };
    let api_routes = api_routes
        .fallback(|| async { ApiError::NotFound("接口不存在".into()) })
        .layer(axum::middleware::from_fn(middleware::envelope_framework_errors))
        .layer(axum::middleware::from_fn(middleware::refuse_nul_in_uri))
        .layer(axum::middleware::from_fn(middleware::csrf))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let mut app = Router::new()
        .merge(api_routes)
        .fallback(move |uri: Uri| {
            let web = web.clone();
            async move {
                if uri.path() == "/api" || uri.path().starts_with("/api/") {
                    let mut res = ApiError::NotFound("接口不存在".into()).into_response();
                    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                    return res;
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
    .layer(axum::middleware::from_fn_with_state(trusted_proxies, middleware::client_address))
    .layer(axum::middleware::from_fn(middleware::request_id))
}

/// The peer address. Behind a reverse proxy this is the proxy; trusting forwarded headers needs a
/// configured proxy list and comes with the deployment docs.
pub fn client_ip(parts: &axum::http::request::Parts) -> Option<String> {
    client_ip_of(&parts.extensions)
}

/// [`client_ip`] for middleware, which holds the whole request.
pub fn client_ip_of(extensions: &axum::http::Extensions) -> Option<String> {
    if let Some(ClientAddr(ip)) = extensions.get::<ClientAddr>() {
        return Some(ip.to_string());
    }
    extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|ci| ci.0.ip().to_string())
}

/// The client's address as [`middleware::client_address`] worked it out, once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// The client behind `peer`: `peer` itself unless it is a trusted proxy; then the right-most address of the
/// forwarding chain (`Forwarded`, else `X-Forwarded-For`, else `X-Real-IP`) that is not itself a trusted proxy.
/// Right-most, because each proxy appends what it saw and only our own proxies' entries can be believed: a
/// client may put anything at the left of the chain.
pub fn forwarded_client(peer: std::net::IpAddr, headers: &axum::http::HeaderMap, trusted: &[ipnet::IpNet]) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let values = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(|s| s.trim().to_owned()).collect()
    };
    let forwarded: Vec<std::net::IpAddr> = values("forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| parse_node(v.trim().trim_matches('"')))?
            })
        })
        .collect();
    let chain = if !forwarded.is_empty() {
        forwarded
    } else {
        let xff: Vec<std::net::IpAddr> = values("x-forwarded-for").iter().filter_map(|v| parse_node(v)).collect();
        if xff.is_empty() { values("x-real-ip").iter().filter_map(|v| parse_node(v)).collect() } else { xff }
    };
    chain.iter().rev().find(|ip| !is_trusted(ip)).or(chain.first()).copied().unwrap_or(peer)
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_node(s: &str) -> Option<std::net::IpAddr> {
    s.parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| s.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| s.strip_prefix('[').and_then(|r| r.split(']').next()).and_then(|r| r.parse().ok()))
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

/// The media type of an Excel workbook (.xlsx).
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook to download as `name`. Exports carry names, contacts and opinions, so no cache keeps them.
pub fn xlsx_download(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, content_disposition(name)),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_address_behind_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "127.0.0.1/32".parse().unwrap()];
        let proxy: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: std::net::IpAddr = "198.51.100.1".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.5")]);
        assert_eq!(forwarded_client(proxy, &h, &trusted).to_string(), "203.0.113.9");
        assert_eq!(forwarded_client(stranger, &h, &trusted), stranger, "headers from others are ignored");
        let h = headers(&[("forwarded", r#"for=192.0.2.60;proto=https, for="[2001:db8::1]:4711""#)]);
        assert_eq!(forwarded_client(proxy, &h, &trusted).to_string(), "2001:db8::1");
        let h = headers(&[("x-real-ip", "203.0.113.7")]);
        assert_eq!(forwarded_client(proxy, &h, &trusted).to_string(), "203.0.113.7");
        let h = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(forwarded_client(proxy, &h, &trusted).to_string(), "10.0.0.9", "only proxies: the left-most");
        let h = headers(&[("x-forwarded-for", "garbage")]);
        assert_eq!(forwarded_client(proxy, &h, &trusted), proxy, "nothing usable: the peer");
    }
}
