//! What a careless or hostile client sends, on both databases: bad forms, over-long names, broken query
//! strings and uploads, wrong methods, requests refused before their body is read, retried creates, and
//! check-then-insert races. Every answer is a 4xx in the error envelope, in Chinese, and changes nothing.

use crate::common::{json, TestApp};
use serde_json::{json, Value};

both!(
    non_object_forms_are_refused_not_panicked,
    drafts_check_types_not_completeness,
    overlong_usernames_fail_sign_in_and_are_audited,
    framework_refusals_use_the_envelope,
    refusals_before_the_body_keep_clients_working,
    creates_honour_the_idempotency_key,
    review_refusals_carry_the_cores_codes,
    racing_sub_accounts_get_one_username,
    racing_registrations_get_one_credit_code,
    racing_pool_entries_leave_one_entry,
);

/// Asserts a response is the error envelope with `status`, and returns its `error` object.
pub async fn envelope(res: reqwest::Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body = json(res).await;
    assert_eq!(got, status, "{body}");
    let error = &body["error"];
    assert!(error["code"].is_string() && error["message"].is_string() && error["fields"].is_array(), "envelope: {body}");
    assert!(error["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "a Chinese message: {body}");
    error.clone()
}

async fn non_object_forms_are_refused_not_panicked(app: TestApp) {
    app.login_as("provider_demo").await;
    for kind in ["product_entry", "alliance_join"] {
        for form in [json!("表单"), json!([1, 2]), json!(123), json!(true)] {
            let res = app.post_json("/api/review/cases", json!({"kind": kind, "form": form})).await;
            let error = envelope(res, 422).await;
            assert_eq!(error["fields"][0]["field"], "form", "{kind} {form}");
        }
    }
    assert_eq!(app.count("review_cases").await, 0, "nothing was created");
    // Saving a draft with a non-object form is refused the same way, and the draft keeps what it had.
    let res = app.post_json("/api/review/cases", json!({"kind": "product_entry", "form": {"name": "草稿产品"}})).await;
    let draft = json(res).await;
    let id = draft["id"].as_str().unwrap();
    let res = app.client.put(app.url(&format!("/api/review/cases/{id}/form"))).json(&json!({"form": [1], "version": draft["version"]})).send().await.unwrap();
    envelope(res, 422).await;
    let after = json(app.get(&format!("/api/review/cases/{id}")).await).await;
    assert_eq!(after["title"], draft["title"]);
}

async fn drafts_check_types_not_completeness(app: TestApp) {
    app.login_as("provider_demo").await;
    // Half a form saves: nothing is required of a draft.
    let res = app.post_json("/api/review/cases", json!({"kind": "product_entry", "form": {"name": "半成品", "price_min": "2.5"}})).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    // A value of the wrong type is refused, naming its field, and nothing is stored.
    let before = app.count("review_cases").await;
    for (kind, form, field) in [
        ("product_entry", json!({"name": 123}), "name"),
        ("product_entry", json!({"categories": "MES"}), "categories"),
        ("product_entry", json!({"price_min": [1]}), "price_min"),
        ("product_entry", json!({"cases": [{"enterprise": "甲"}, {"contract_file_ids": [7]}]}), "cases[1].contract_file_ids[0]"),
        ("alliance_join", json!({"application": "first", "products": [{"name": "A"}, {"price_max": {"x": 1}}]}), "products[1].price_max"),
        ("alliance_join", json!({"introduction": false}), "introduction"),
    ] {
        let res = app.post_json("/api/review/cases", json!({"kind": kind, "form": form})).await;
        let error = envelope(res, 422).await;
        assert_eq!(error["fields"][0]["field"], field, "{kind} {form}");
    }
    assert_eq!(app.count("review_cases").await, before);
}

async fn overlong_usernames_fail_sign_in_and_are_audited(app: TestApp) {
    app.seed_demo().await;
    let before = app.count("audit_log WHERE action = 'login'").await;
    let long = "a".repeat(65);
    let res = app.login_response(&app.client, &long, "Whatever@2026").await;
    let error = envelope(res, 401).await;
    assert_eq!(error["code"], "invalid_credentials");
    let res = app.login_response(&app.client, &"用".repeat(300), "Whatever@2026").await;
    envelope(res, 401).await;
    assert_eq!(app.count("audit_log WHERE action = 'login'").await, before + 2, "both failed sign-ins are audited");
}

async fn framework_refusals_use_the_envelope(app: TestApp) {
    app.login_as("enterprise_demo").await;
    for path in [
        "/api/review/cases?page=abc",
        "/api/review/cases?page_size=-1",
        "/api/notifications?unread_only=maybe",
        "/api/review/tasks?page=1.5",
        "/api/audit?page=x",
    ] {
        let res = app.get(path).await;
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
        let status = res.status().as_u16();
        envelope(res, status).await;
    }
    // A multipart upload without its boundary.
    let res = app.client.post(app.url("/api/files")).header("content-type", "multipart/form-data").body("x").send().await.unwrap();
    assert!(res.status().is_client_error());
    let status = res.status().as_u16();
    envelope(res, status).await;
    // A method the path does not have: 405 in the envelope, with Allow.
    let res = app.client.delete(app.url("/api/health")).send().await.unwrap();
    assert!(res.headers().get("allow").is_some());
    let error = envelope(res, 405).await;
    assert_eq!(error["code"], "method_not_allowed");
}

async fn refusals_before_the_body_keep_clients_working(app: TestApp) {
    app.seed_demo().await;
    // One connection, reused: a refusal that leaves the body unread must say it closes the connection, so
    // the client's next request goes on a new one instead of failing.
    let anonymous = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
    let body = json!({"kind": "info_change", "form": {"name": "x".repeat(20_000)}});
    for i in 0..100 {
        let no_csrf = anonymous.post(app.url("/api/review/cases")).json(&body).send().await.unwrap();
        assert_eq!(no_csrf.status(), 403);
        assert_eq!(no_csrf.headers().get("connection").map(|v| v.to_str().unwrap()), Some("close"), "refusal {i} before the body");
        envelope(no_csrf, 403).await;
        let no_session = anonymous.post(app.url("/api/review/cases")).header("x-requested-with", "shuzhuan").json(&body).send().await.unwrap();
        assert_eq!(no_session.status(), 401, "request {i}");
        let health = anonymous.get(app.url("/api/health")).send().await.expect("the next request on the connection is answered");
        assert_eq!(health.status(), 200);
    }
    // A request whose body was read keeps its connection.
    let c = app.client_for("enterprise_demo").await;
    let res = c.post(app.url("/api/review/cases")).json(&json!({"kind": "nope", "form": {}})).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.headers().get("connection").is_none());
}

async fn creates_honour_the_idempotency_key(app: TestApp) {
    app.login_as("provider_demo").await;
    let send = |key: &'static str| {
        app.client.post(app.url("/api/review/cases")).header("Idempotency-Key", key).json(&json!({"kind": "product_entry", "form": {"name": "幂等产品"}})).send()
    };
    let first = json(send("create-1").await.unwrap()).await;
    let second = send("create-1").await.unwrap();
    assert_eq!(second.status(), 201, "a retry answers like the first time");
    assert_eq!(json(second).await["id"], first["id"]);
    assert_eq!(app.count("review_cases").await, 1);
    // Sent ten times at once with one key: still one draft.
    let results = futures::future::join_all((0..10).map(|_| send("create-2"))).await;
    let mut ids = Vec::new();
    for r in results {
        let r = r.unwrap();
        assert_eq!(r.status(), 201);
        ids.push(json(r).await["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(app.count("review_cases").await, 2);
    // A malformed key is refused and creates nothing.
    let long = "k".repeat(81);
    let res = app.client.post(app.url("/api/review/cases")).header("Idempotency-Key", long).json(&json!({"kind": "product_entry", "form": {}})).send().await.unwrap();
    envelope(res, 422).await;
    // Draft saves check value types but not completeness.
    let id = first["id"].as_str().unwrap();
    let res = app.client.put(app.url(&format!("/api/review/cases/{id}/form"))).json(&json!({"form": {"name": "只填名称"}, "version": first["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn review_refusals_carry_the_cores_codes(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let res = app
        .post_json("/api/orgs/me/change-requests", json!({"name": "错误码测试", "uscc": "91440300708461136T", "region_code": "441302",
            "sub_industry": "模具制造", "contact_name": "赵经理", "contact_phone": "13500001111", "attachment_ids": []}))
        .await;
    assert_eq!(res.status(), 201);
    let id = json(res).await["id"].as_str().unwrap().to_owned();
    let city = app.client_for("huizhou_admin").await;
    let v = json(city.get(app.url(&format!("/api/review/cases/{id}"))).send().await.unwrap()).await["version"].as_u64().unwrap();
    let act = |body: Value| city.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(&body).send();
    let error = envelope(act(json!({"action": "approve", "version": v + 7})).await.unwrap(), 409).await;
    assert_eq!(error["code"], "review_version_conflict");
    let error = envelope(act(json!({"action": "return", "version": v})).await.unwrap(), 422).await;
    assert_eq!(error["code"], "review_opinion_required");
    assert_eq!(error["fields"][0]["field"], "opinion");
    let owner = envelope(app.post_json(&format!("/api/review/cases/{id}/actions"), json!({"action": "approve", "version": v})).await, 403).await;
    assert_eq!(owner["code"], "review_not_reviewer");
}

async fn racing_sub_accounts_get_one_username(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let futures = (0..8).map(|i| {
        app.post_json(
            "/api/users",
            json!({"username": "same_name", "display_name": "并发", "phone": format!("1360000{:04}", 2000 + i), "password": "Zizhanghao#1",
                "permissions": ["org_profile"]}),
        )
    });
    let mut created = 0;
    for res in futures::future::join_all(futures).await {
        match res.status().as_u16() {
            201 => created += 1,
            409 => assert_eq!(envelope(res, 409).await["fields"][0]["field"], "username"),
            other => panic!("unexpected {other}: {}", res.text().await.unwrap()),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(app.count("users WHERE username = 'same_name'").await, 1);
}

async fn racing_registrations_get_one_credit_code(app: TestApp) {
    let mut bodies = Vec::new();
    for i in 0..5 {
        let phone = format!("1391234{:04}", 1000 + i);
        let code = app.sms_code(&phone, "register").await;
        bodies.push(json!({
            "kind": "enterprise", "phone": phone, "sms_code": code, "password": "Qiye@2026x", "confirm_password": "Qiye@2026x",
            "company_name": format!("江门市并发制造有限公司{i}"), "uscc": "91350100M000100Y43", "region_code": "440703",
            "address": "江门市蓬江区测试路1号", "industry_code": "C", "contact_name": "李经办"
        }));
    }
    let futures = bodies.into_iter().map(|b| app.new_client().post(app.url("/api/register")).json(&b).send());
    let mut created = 0;
    for res in futures::future::join_all(futures).await {
        let res = res.unwrap();
        match res.status().as_u16() {
            201 => created += 1,
            409 => assert_eq!(envelope(res, 409).await["fields"][0]["field"], "uscc"),
            other => panic!("unexpected {other}: {}", res.text().await.unwrap()),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(app.count("organizations WHERE uscc = '91350100M000100Y43'").await, 1);
    assert_eq!(app.count("users").await, 1, "the refused registrations left no account behind");
}

async fn racing_pool_entries_leave_one_entry(app: TestApp) {
    app.seed_demo().await;
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let lead: String = app
        .state
        .db
        .query_one_raw(Statement::from_string(backend, "SELECT id FROM organizations WHERE kind = 'lead_unit' ORDER BY name LIMIT 1"))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    // The pool's product must exist: a product row is made by the product flow; here any id the foreign key
    // accepts is enough, so take a fresh product inserted the way the flow does.
    let product_id = insert_product(&app).await;
    let tasks = (0..12).map(|i| {
        let (db, lead, product_id) = (app.state.db.clone(), lead.clone(), product_id.clone());
        tokio::spawn(async move {
            let txn = sea_orm::TransactionTrait::begin(&db).await.unwrap();
            shuzhuan::products::enter_pool(&txn, &lead, &product_id, if i % 2 == 0 { "product_approved" } else { "repeat_application" }).await?;
            txn.commit().await.map_err(shuzhuan::error::ApiError::from)
        })
    });
    for r in futures::future::join_all(tasks).await {
        r.unwrap().expect("every racing entry succeeds");
    }
    assert_eq!(app.count("pool_entries").await, 1);
}

/// A product row as the product flow's approval writes it (the pool references products, products a case).
async fn insert_product(app: &TestApp) -> String {
    let c = app.client_for("provider_demo").await;
    let draft = json(c.post(app.url("/api/review/cases")).json(&json!({"kind": "product_entry", "form": {"name": "并发产品"}})).send().await.unwrap()).await;
    let case_id = draft["id"].as_str().expect("a product draft").to_owned();
    let provider: String = {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = app.state.db.get_database_backend();
        let sql = if app.backend == crate::common::Backend::Sqlite { "SELECT owner_org_id FROM review_cases WHERE id = ?" } else { "SELECT owner_org_id FROM review_cases WHERE id = $1" };
        let row = app.state.db.query_one_raw(Statement::from_sql_and_values(backend, sql, [case_id.clone().into()])).await.unwrap().expect("the draft");
        row.try_get("", "owner_org_id").unwrap()
    };
    let id = uuid::Uuid::new_v4().to_string();
    app.exec(
        "INSERT INTO products (id, provider_org_id, case_id, name, name_key, status, code, categories, description, created_at) \
         VALUES ($1, $2, $3, '并发产品', '并发产品', 'approved', $4, '[]', '', $5)",
        vec![id.clone().into(), provider.into(), case_id.into(), format!("T{}", &id[..8]).into(), chrono::Utc::now().into()],
    )
    .await;
    id
}
