//! Heavy work under load (issue 12): password hashing and PDF rendering run behind bounded gates
//! (`[capacity]`). With one slot and a queue wait of a few milliseconds, real concurrent requests are partly
//! refused with 503, `Retry-After` and the error envelope, the others succeed, nothing answers 500, and a
//! refused request succeeds when retried.

use std::time::Duration;

use futures::future::join_all;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use shuzhuan::config::Config;

use crate::common::{captcha_with, json, TestApp};

both!(concurrent_sign_ins_beyond_the_password_gate_are_refused_with_retry_after,
    concurrent_registrations_beyond_the_password_gate_are_refused_with_retry_after,
    concurrent_reports_beyond_the_pdf_gate_are_refused_with_retry_after);

const QUEUE: Duration = Duration::from_millis(2);

/// The same backend again, with one slot per gate, a short queue and the per-address limits lifted (every
/// request here comes from 127.0.0.1).
async fn gated(app: TestApp, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let backend = app.backend;
    drop(app);
    TestApp::start_with(backend, |c| {
        c.security.login_per_minute_per_ip = 10_000;
        c.security.captcha_per_minute_per_ip = 10_000;
        c.sms.per_ip_per_hour = 10_000;
        c.security.register_per_hour_per_ip = 10_000;
        c.security.login_per_hour_per_account = 10_000;
        tweak(c);
    })
    .await
}

fn one_password_slot(c: &mut Config) {
    c.capacity.password_hashes = 1;
    c.capacity.password_queue_ms = QUEUE.as_millis() as u64;
}

/// Splits answers into successes and refusals, checking that every refusal is the busy envelope with
/// `Retry-After` and that nothing else (a 500 above all) came back.
async fn sort_out(responses: Vec<Response>, success: StatusCode) -> (usize, Vec<usize>) {
    let (mut ok, mut refused) = (0, Vec::new());
    for (i, res) in responses.into_iter().enumerate() {
        let status = res.status();
        if status == success {
            ok += 1;
            continue;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "request {i}: {}", res.text().await.unwrap_or_default());
        assert_eq!(res.headers()["retry-after"], "1", "the queue wait rounded up to whole seconds");
        let body = json(res).await;
        assert_eq!(body["error"]["code"], "server_busy");
        assert_eq!(body["error"]["message"], "系统繁忙，请稍后重试");
        assert_eq!(body["error"]["fields"], json!([]));
        assert!(body["error"]["request_id"].is_string(), "{body}");
        refused.push(i);
    }
    (ok, refused)
}

async fn concurrent_sign_ins_beyond_the_password_gate_are_refused_with_retry_after(app: TestApp) {
    let app = gated(app, one_password_slot).await;
    app.seed_demo().await;
    let clients: Vec<reqwest::Client> = (0..24).map(|_| app.new_client()).collect();
    let mut captchas = Vec::new();
    for c in &clients {
        captchas.push(captcha_with(c, &app.url).await);
    }
    let sign_in = |c: &reqwest::Client, (id, answer): (String, String)| {
        c.post(app.url("/api/auth/login"))
            .json(&json!({"username": "enterprise_demo", "password": shuzhuan::seed::DEMO_PASSWORD, "captcha_id": id, "captcha_answer": answer}))
            .send()
    };
    let responses = join_all(clients.iter().zip(captchas).map(|(c, captcha)| sign_in(c, captcha))).await;
    let (ok, refused) = sort_out(responses.into_iter().map(|r| r.expect("request")).collect(), StatusCode::OK).await;
    assert!(ok >= 1, "the first sign-in finds the slot free");
    assert!(!refused.is_empty(), "24 sign-ins at once cannot all get the one slot within {QUEUE:?}");

    // A refusal is not a wrong password: the account is not locked, and each refused browser signs in on retry.
    for i in refused {
        let res = app.login_response(&clients[i], "enterprise_demo", shuzhuan::seed::DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "retry of sign-in {i}");
    }
    for c in &clients {
        assert_eq!(c.get(app.url("/api/auth/me")).send().await.unwrap().status(), 200);
    }
}

fn registration(i: usize, code: &str) -> Value {
    json!({
        "kind": "enterprise", "phone": format!("1391234{i:04}"), "sms_code": code,
        "password": "Qiye@2026x", "confirm_password": "Qiye@2026x",
        "company_name": format!("江门市并发测试{i}号有限公司"), "uscc": shuzhuan::seed::demo_uscc(700 + i),
        "region_code": "440703", "address": "江门市蓬江区测试路1号", "industry_code": "C", "contact_name": "李经办"
    })
}

async fn concurrent_registrations_beyond_the_password_gate_are_refused_with_retry_after(app: TestApp) {
    let app = gated(app, one_password_slot).await;
    let mut bodies = Vec::new();
    for i in 0..16 {
        let code = app.sms_code(&format!("1391234{i:04}"), "register").await;
        bodies.push(registration(i, &code));
    }
    let responses = join_all(bodies.iter().map(|b| app.new_client().post(app.url("/api/register")).json(b).send())).await;
    let (ok, refused) = sort_out(responses.into_iter().map(|r| r.expect("request")).collect(), StatusCode::CREATED).await;
    assert!(ok >= 1, "the first registration finds the slot free");
    assert!(!refused.is_empty(), "16 registrations at once cannot all get the one slot within {QUEUE:?}");
    assert_eq!(app.count("users").await, ok as i64, "a refused registration stores nothing");

    // The refusal came before the SMS code was used: the same form succeeds on retry.
    for i in refused {
        let res = app.new_client().post(app.url("/api/register")).json(&bodies[i]).send().await.unwrap();
        assert_eq!(res.status(), 201, "retry of registration {i}: {}", res.text().await.unwrap_or_default());
    }
    assert_eq!(app.count("users").await, 16);
    assert_eq!(app.count("organizations WHERE kind = 'enterprise'").await, 16);
}

async fn concurrent_reports_beyond_the_pdf_gate_are_refused_with_retry_after(app: TestApp) {
    let app = gated(app, |c| {
        c.capacity.pdf_renders = 1;
        c.capacity.pdf_queue_ms = QUEUE.as_millis() as u64;
    })
    .await;
    app.login_as("enterprise_demo").await;
    let answers: Value = serde_json::from_str(include_str!("../../../core/tests/fixtures/manual_example_answers.json")).unwrap();
    let res = app.client.put(app.url("/api/assessments/draft")).json(&json!({ "answers": answers })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.client.post(app.url("/api/assessments/draft/submit")).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let report = format!("/api/assessments/{}/report", json(res).await["id"].as_str().unwrap());

    let responses = join_all((0..8).map(|_| app.client.get(app.url(&report)).send())).await;
    let responses: Vec<Response> = responses.into_iter().map(|r| r.expect("request")).collect();
    let (ok, refused) = sort_out(responses, StatusCode::OK).await;
    assert!(ok >= 1, "the first report finds the slot free");
    assert!(!refused.is_empty(), "8 reports at once cannot all get the one slot within {QUEUE:?}");
    for _ in refused {
        let res = app.get(&report).await;
        assert_eq!(res.status(), 200);
        assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
    }
}
