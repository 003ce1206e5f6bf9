//! Registration, SMS codes and captchas (issue 3): the rules and the bad inputs, on both databases.

use crate::common::{json, TestApp};
use serde_json::{json, Value};

fn enterprise(phone: &str, code: &str) -> Value {
    json!({
        "kind": "enterprise", "phone": phone, "sms_code": code,
        "password": "Qiye@2026x", "confirm_password": "Qiye@2026x",
        "company_name": "江门市测试制造有限公司", "uscc": "91350100M000100Y43",
        "region_code": "440703", "address": "江门市蓬江区测试路1号", "industry_code": "C",
        "contact_name": "李经办"
    })
}

both!(enterprise_registers_and_signs_in_by_phone, provider_registration_awaits_certification, every_bad_field_is_reported_and_nothing_saved,
    sms_codes_are_single_use_expiring_and_attempt_limited, sms_interval_and_daily_cap, duplicate_phone_and_uscc_are_refused,
    captcha_is_required_single_use_and_checked, company_search_fills_the_form, phone_numbers_are_encrypted_at_rest);

async fn enterprise_registers_and_signs_in_by_phone(app: TestApp) {
    let code = app.sms_code("13912345678", "register").await;
    assert_eq!(code.len(), 6);
    let res = app.post_json("/api/register", enterprise("13912345678", &code)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let res = app.login_response(&app.client, "13912345678", "Qiye@2026x").await;
    assert_eq!(res.status(), 200);
    let me = json(res).await;
    assert_eq!(me["user"]["organization"]["name"], "江门市测试制造有限公司");
    assert_eq!(me["user"]["organization"]["kind"], "enterprise");
    assert_eq!(me["user"]["phone_masked"], "139****5678");
    assert_eq!(me["user"]["roles"], json!(["org_admin"]));
    let org = json(app.get("/api/orgs/me").await).await;
    assert_eq!(org["organization"]["uscc"], "91350100M000100Y43");
    assert_eq!(org["organization"]["region_code"], "440703");
    assert_eq!(org["profile"]["address"], "江门市蓬江区测试路1号");
    assert_eq!(org["profile"]["contact_phone_masked"], "139****5678");
}

async fn provider_registration_awaits_certification(app: TestApp) {
    let code = app.sms_code("13912340000", "register").await;
    let mut body = enterprise("13912340000", &code);
    body["kind"] = json!("provider");
    body["service_scope"] = json!([]);
    let res = app.post_json("/api/register", body.clone()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "service_scope");
    body["service_scope"] = json!(["dcmm", "cloud"]);
    let res = app.post_json("/api/register", body).await;
    assert_eq!(res.status(), 201);
    assert_eq!(app.login_response(&app.client, "13912340000", "Qiye@2026x").await.status(), 200);
    let org = json(app.get("/api/orgs/me").await).await;
    assert_eq!(org["organization"]["kind"], "provider");
    assert_eq!(org["organization"]["certification_status"], "pending");
    assert_eq!(org["profile"]["service_scope"], json!(["dcmm", "cloud"]));
    // Until certified, a provider cannot manage sub-accounts (001 §1.4.9).
    assert_eq!(app.get("/api/users").await.status(), 403);
}

async fn every_bad_field_is_reported_and_nothing_saved(app: TestApp) {
    let code = app.sms_code("13912345678", "register").await;
    let bad = json!({
        "kind": "enterprise", "phone": "12345", "sms_code": code,
        "password": "weak", "confirm_password": "weaker",
        "company_name": "  ", "uscc": "91350100M000100Y44",
        "region_code": "", "address": "", "industry_code": "ZZ", "contact_name": ""
    });
    let res = app.post_json("/api/register", bad).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let fields: Vec<&str> = body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["phone", "uscc", "region_code", "industry_code", "company_name", "address", "contact_name", "confirm_password", "password"] {
        assert!(fields.contains(&f), "{f} reported in {fields:?}");
    }
    let uscc_msg = body["error"]["fields"].as_array().unwrap().iter().find(|f| f["field"] == "uscc").unwrap()["message"].as_str().unwrap().to_string();
    assert!(uscc_msg.contains("校验"), "{uscc_msg}");
    assert_eq!(app.count("organizations WHERE kind <> 'operator'").await, 0, "only the platform operator, created at start-up");
    assert_eq!(app.count("users").await, 0);
    // The code was not used up by the refused attempt.
    let res = app.post_json("/api/register", enterprise("13912345678", &code)).await;
    assert_eq!(res.status(), 201);
}

async fn sms_codes_are_single_use_expiring_and_attempt_limited(app: TestApp) {
    let code = app.sms_code("13912345678", "register").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app.post_json("/api/register", enterprise("13912345678", wrong)).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["message"], "短信验证码错误");
    assert_eq!(app.post_json("/api/register", enterprise("13912345678", &code)).await.status(), 201);
    // Reused: the number is now registered, and the code is spent.
    let mut again = enterprise("13912345678", &code);
    again["uscc"] = json!("91440300708461136T");
    assert_eq!(app.post_json("/api/register", again).await.status(), 409);

    // Expired: push the code's expiry into the past.
    let code = app.sms_code("13900001111", "register").await;
    app.exec("UPDATE sms_codes SET expires_at = $1", vec![(chrono::Utc::now() - chrono::Duration::minutes(1)).into()]).await;
    let mut body = enterprise("13900001111", &code);
    body["uscc"] = json!("91440300708461136T");
    let res = app.post_json("/api/register", body.clone()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["message"], "短信验证码已失效，请重新获取");

    // Attempt-limited: five wrong tries burn the code even for the right one afterwards.
    app.exec("DELETE FROM sms_codes", vec![]).await;
    // (and the per-number interval counter, as if the minute had passed)
    app.exec("DELETE FROM rate_limits WHERE key LIKE 'sms-interval:%'", vec![]).await;
    let code = app.sms_code("13900001111", "register").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        body["sms_code"] = json!(wrong);
        assert_eq!(app.post_json("/api/register", body.clone()).await.status(), 422);
    }
    body["sms_code"] = json!(code);
    let res = app.post_json("/api/register", body).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"][0]["message"].as_str().unwrap().contains("次数过多"));
}

async fn sms_interval_and_daily_cap(app: TestApp) {
    app.sms_code("13912345678", "register").await;
    let (id, answer) = app.captcha().await;
    let res = app.post_json("/api/sms/send", json!({"phone": "13912345678", "purpose": "register", "captcha_id": id, "captcha_answer": answer})).await;
    assert_eq!(res.status(), 429);
    let msg = json(res).await["error"]["message"].as_str().unwrap().to_string();
    assert!(msg.starts_with("请") && msg.ends_with("秒后再获取验证码"), "{msg}");
    // Daily cap: backdate earlier codes past the interval, ten in 24 h are allowed.
    // (The per-number interval is also an atomic counter in `rate_limits`; its window is moved back too.)
    let earlier = || -> sea_orm::Value { (chrono::Utc::now() - chrono::Duration::minutes(5)).into() };
    for _ in 0..9 {
        app.exec("UPDATE sms_codes SET created_at = $1", vec![earlier()]).await;
        app.exec("UPDATE rate_limits SET window_start = $1 WHERE key LIKE 'sms-interval:%'", vec![earlier()]).await;
        app.sms_code("13912345678", "register").await;
    }
    app.exec("UPDATE sms_codes SET created_at = $1", vec![earlier()]).await;
    app.exec("UPDATE rate_limits SET window_start = $1 WHERE key LIKE 'sms-interval:%'", vec![earlier()]).await;
    let (id, answer) = app.captcha().await;
    let res = app.post_json("/api/sms/send", json!({"phone": "13912345678", "purpose": "register", "captcha_id": id, "captcha_answer": answer})).await;
    assert_eq!(res.status(), 429);
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("今日"));
}

async fn duplicate_phone_and_uscc_are_refused(app: TestApp) {
    app.seed_demo().await;
    // 13800000001 belongs to the demo enterprise.
    let (id, answer) = app.captcha().await;
    let res = app.post_json("/api/sms/send", json!({"phone": "13800000001", "purpose": "register", "captcha_id": id, "captcha_answer": answer})).await;
    assert_eq!(res.status(), 409);
    assert_eq!(json(res).await["error"]["message"], "该手机号已注册，请直接登录");
    // The demo enterprise's credit code, registered again as an enterprise.
    let uscc = shuzhuan::seed::demo_uscc(33);
    let code = app.sms_code("13912345678", "register").await;
    let mut body = enterprise("13912345678", &code);
    body["uscc"] = json!(uscc);
    let res = app.post_json("/api/register", body.clone()).await;
    assert_eq!(res.status(), 409);
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("已注册为企业"));
    // … but the same company may also register as a provider (a company can hold several kinds).
    body["kind"] = json!("provider");
    body["service_scope"] = json!(["other"]);
    assert_eq!(app.post_json("/api/register", body).await.status(), 201);
}

async fn captcha_is_required_single_use_and_checked(app: TestApp) {
    app.seed_demo().await;
    let res = app.post_json("/api/auth/login", json!({"username": "jiangmen_admin", "password": "Shuzhuan@2026"})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "captcha_answer");
    let (id, answer) = app.captcha().await;
    let wrong = json!({"username": "jiangmen_admin", "password": "Shuzhuan@2026", "captcha_id": id, "captcha_answer": "zzzz"});
    let res = app.post_json("/api/auth/login", wrong).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["message"], "图形验证码错误");
    // Answered once (wrongly): the right answer no longer works either.
    let right = json!({"username": "jiangmen_admin", "password": "Shuzhuan@2026", "captcha_id": id, "captcha_answer": answer.to_uppercase()});
    assert_eq!(app.post_json("/api/auth/login", right).await.status(), 422);
    let (id, answer) = app.captcha().await;
    let right = json!({"username": "jiangmen_admin", "password": "Shuzhuan@2026", "captcha_id": id, "captcha_answer": answer.to_uppercase()});
    assert_eq!(app.post_json("/api/auth/login", right).await.status(), 200, "case-insensitive");
}

async fn company_search_fills_the_form(app: TestApp) {
    app.seed_demo().await;
    assert_eq!(app.get("/api/companies/search?q=惠").await.status(), 422);
    let hits = json(app.get("/api/companies/search?q=华阳").await).await;
    let items = hits["items"].as_array().unwrap();
    assert!(items.len() >= 4 && items.len() <= 10);
    let first = &items[0];
    assert!(first["name"].as_str().unwrap().contains("华阳"));
    assert!(shuzhuan_core::Uscc::parse(first["uscc"].as_str().unwrap()).is_ok(), "demo codes are checksum-valid");
    assert_eq!(first["region_code"], "441302");
    let none = json(app.get("/api/companies/search?q=%25%25").await).await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0, "LIKE wildcards are escaped");
}

async fn phone_numbers_are_encrypted_at_rest(app: TestApp) {
    app.seed_demo().await;
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let rows = app
        .state
        .db
        .query_all_raw(Statement::from_string(backend, "SELECT phone_cipher, phone_hash FROM users WHERE phone_cipher IS NOT NULL"))
        .await
        .unwrap();
    assert!(rows.len() >= 2);
    for r in rows {
        let cipher: String = r.try_get("", "phone_cipher").unwrap();
        let hash: String = r.try_get("", "phone_hash").unwrap();
        assert!(cipher.starts_with("v1:") && !cipher.contains("138000"), "{cipher}");
        assert_eq!(hash.len(), 64);
    }
}
