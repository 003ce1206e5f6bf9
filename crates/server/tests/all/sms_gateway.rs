//! The HTTP SMS gateway against a real HTTP server started by the test (a stand-in provider that records
//! what it receives), and the log gateway's outbox being unavailable with it.

use std::sync::{Arc, Mutex};

use axum::routing::post;
use crate::common::{json, Backend, TestApp};
use shuzhuan::config::SmsGateway;

async fn provider(status: u16) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let received: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/send",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let sink = sink.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                sink.lock().unwrap().push((auth, body));
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn http_gateway_posts_the_configured_body(backend: Backend) {
    let (url, received) = provider(200).await;
    let app = TestApp::start_with(backend, move |c| {
        c.sms.gateway = SmsGateway::Http;
        c.sms.http_url = Some(url);
        c.sms.http_authorization = Some("Bearer provider-token".into());
    })
    .await;
    let (id, answer) = app.captcha().await;
    let res = app.post_json("/api/sms/send", serde_json::json!({"phone": "13912345678", "purpose": "register", "captcha_id": id, "captcha_answer": answer})).await;
    assert_eq!(res.status(), 200);
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "Bearer provider-token");
    let body: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!(body["phone"], "13912345678");
    let text = body["text"].as_str().unwrap();
    assert!(text.contains("验证码") && text.chars().filter(|c| c.is_ascii_digit()).count() >= 6, "{text}");
    assert_eq!(app.count("sms_outbox").await, 0, "nothing in the development outbox");
    assert_eq!(app.get("/api/dev/sms-outbox?phone=13912345678").await.status(), 404);
}

async fn a_failing_provider_is_reported(backend: Backend) {
    let (url, _) = provider(500).await;
    let app = TestApp::start_with(backend, move |c| {
        c.sms.gateway = SmsGateway::Http;
        c.sms.http_url = Some(url);
    })
    .await;
    let (id, answer) = app.captcha().await;
    let res = app.post_json("/api/sms/send", serde_json::json!({"phone": "13912345678", "purpose": "register", "captcha_id": id, "captcha_answer": answer})).await;
    assert_eq!(res.status(), 503);
    assert_eq!(json(res).await["error"]["code"], "service_unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_gateway_sqlite() {
    http_gateway_posts_the_configured_body(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_gateway_postgres() {
    http_gateway_posts_the_configured_body(Backend::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_provider_sqlite() {
    a_failing_provider_is_reported(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_provider_postgres() {
    a_failing_provider_is_reported(Backend::Postgres).await
}
