//! The HTTP platform itself: health, the error envelope, request ids, security headers, CSRF, the web app
//! fallback, the OpenAPI document.

use crate::common::{json, TestApp};

both!(health_reports_database_and_storage, unknown_api_path_gets_the_envelope, security_headers_on_every_response,
    mutating_requests_without_the_csrf_header_are_refused, web_app_routes_fall_back_to_index, openapi_document_is_served,
    bad_json_gets_a_chinese_message, site_settings_are_public);

async fn health_reports_database_and_storage(app: TestApp) {
    let res = app.get("/api/health").await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["ok"], true);
    let expected = match app.backend {
        crate::common::Backend::Sqlite => "sqlite",
        crate::common::Backend::Postgres => "postgres",
    };
    assert_eq!(body["database"]["backend"], expected);
    assert_eq!(body["storage"], serde_json::json!({"ok": true, "backend": "local"}));
}

async fn unknown_api_path_gets_the_envelope(app: TestApp) {
    let res = app.client.get(app.url("/api/no-such-thing")).header("x-request-id", "req-123").send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["x-request-id"], "req-123");
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"], "接口不存在");
    assert_eq!(body["error"]["request_id"], "req-123");
    assert!(body["error"]["fields"].as_array().unwrap().is_empty());
}

async fn security_headers_on_every_response(app: TestApp) {
    for path in ["/api/health", "/", "/workbench", "/api/nope"] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(h.contains_key("x-request-id"), "{path}");
    }
    let api = app.get("/api/health").await;
    assert_eq!(api.headers()["cache-control"], "no-store", "API answers are never cached");
}

async fn mutating_requests_without_the_csrf_header_are_refused(app: TestApp) {
    app.seed_demo().await;
    let plain = reqwest::Client::new();
    let (id, answer) = app.captcha().await;
    let res = plain
        .post(app.url("/api/auth/login"))
        .json(&serde_json::json!({"username": "jiangmen_admin", "password": shuzhuan::seed::DEMO_PASSWORD, "captcha_id": id, "captcha_answer": answer}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(body["error"]["message"].as_str().unwrap().contains("请求来源校验失败"));
    assert_eq!(app.count("sessions").await, 0, "nothing happened");
}

async fn web_app_routes_fall_back_to_index(app: TestApp) {
    for path in ["/", "/workbench", "/login?redirect=/workbench"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(res.text().await.unwrap().contains("<div id=app>"), "{path}");
    }
    let asset = app.get("/assets/app-abc123.js").await;
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(app.get("/assets/missing.js").await.status(), 404, "a missing asset is not the index page");
    assert_eq!(app.get("/../../etc/passwd").await.status(), 200, "traversal lands on the index, never a file");
}

async fn openapi_document_is_served(app: TestApp) {
    let doc = json(app.get("/api/openapi.json").await).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/health", "/api/regions", "/api/industries", "/api/auth/login", "/api/files", "/api/files/{id}"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
}

async fn bad_json_gets_a_chinese_message(app: TestApp) {
    let res = app.client.post(app.url("/api/auth/login")).header("content-type", "application/json").body("{oops").send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(json(res).await["error"]["message"], "请求内容不是有效的 JSON");
    let res = app.post_json("/api/auth/login", serde_json::json!({"username": 5})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["code"], "validation_failed");
    let res = app.client.post(app.url("/api/auth/login")).body("username=a").send().await.unwrap();
    assert_eq!(res.status(), 415);
}

async fn site_settings_are_public(app: TestApp) {
    let body = json(app.get("/api/site").await).await;
    assert_eq!(body["name"], "中小企业数字化转型服务平台");
}
