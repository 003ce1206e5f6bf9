//! The generated authorization walk: every operation of the OpenAPI document × every demo role × another
//! organization's ids. Nothing outside the public allow-list answers without a session; no account reaches
//! another organization's users, files, materials or departments, by id or through a list.

use std::collections::HashMap;

use crate::common::{json, TestApp};
use serde_json::{json, Value};

/// Operations anyone may call without signing in.
const PUBLIC: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/site"),
    ("get", "/api/regions"),
    ("get", "/api/regions/{code}"),
    ("get", "/api/industries"),
    ("get", "/api/captcha"),
    ("get", "/api/auth/password-policy"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/login/sms"),
    // 统一身份认证: the way in for someone without a session (tests/unified_identity.rs).
    ("get", "/api/auth/unified/start"),
    ("get", "/api/auth/unified/callback"),
    ("post", "/api/auth/logout"),
    // Who is signed in, if anyone: `{"user": null}` for a visitor (the portal asks on every page).
    ("get", "/api/auth/session"),
    ("post", "/api/auth/password/reset"),
    ("post", "/api/sms/send"),
    ("post", "/api/register"),
    ("get", "/api/providers/service-scopes"),
    ("get", "/api/companies/search"),
    ("get", "/api/files/purposes"),
    ("get", "/api/dev/sms-outbox"),
    ("get", "/api/products/categories"),
    ("get", "/api/catalogue/products"),
    // A provider's public page (服务商主页): its approved products and 服务商评价 without the enterprises' names.
    ("get", "/api/catalogue/providers/{id}"),
    // Published call notices are the portal's (tests/calls.rs checks that drafts stay their officials').
    ("get", "/api/public/calls"),
    ("get", "/api/public/calls/{id}"),
    ("get", "/api/calls/{id}"),
    // 结果公示 is published for everyone (tests/calls_review.rs).
    ("get", "/api/public/results"),
    ("get", "/api/public/results/{id}"),
    // The portal's published content, its public files and the site search (tests/portal.rs, tests/search.rs).
    ("get", "/api/portal/home"),
    ("get", "/api/portal/items"),
    ("get", "/api/portal/items/{id}"),
    ("get", "/api/portal/files/{id}"),
    ("get", "/api/search"),
];

/// The national platform's pull feed authenticates by bearer token, not by session (tests/lifecycle.rs checks
/// 401 for a missing or wrong token); with no token configured, as here, it is not served at all.
const TOKEN_AUTHENTICATED: &[(&str, &str)] = &[("get", "/api/national-sync/v1/events"), ("post", "/api/national-sync/v1/ack")];

/// Operations on ids every signed-in user may reach: a lead unit's pool holds only approved products,
/// which the public catalogue shows anyway (project signing searches it).
/// A published call's notice is public; its settings and form are its officials' (tests/calls.rs).
const OPEN_TO_SIGNED_IN: &[&str] = &["/api/pools/{id}/products", "/api/catalogue/providers/{id}", "/api/calls/{id}", "/api/public/calls/{id}", "/api/public/results/{id}"];

fn operations() -> Vec<(String, String)> {
    let doc = serde_json::to_value(shuzhuan::openapi()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.push((method.clone(), path.clone()));
        }
    }
    ops
}

async fn call(client: &reqwest::Client, base: &str, method: &str, path: &str, body: &Value) -> reqwest::Response {
    let url = format!("{base}{path}");
    let req = match method {
        "get" => client.get(url),
        "post" => client.post(url).json(body),
        "put" => client.put(url).json(body),
        "delete" => client.delete(url),
        other => panic!("unexpected method {other}"),
    };
    req.send().await.unwrap()
}

both!(protected_operations_need_a_session);

/// Every demo account signs in once from one address, more than the per-address limit of a minute allows: the
/// limit (tested in `security`) is lifted here.
mod no_role_reaches_another_organizations_data {
    use crate::common::{Backend, TestApp};

    fn roomy(c: &mut shuzhuan::config::Config) {
        c.security.login_per_minute_per_ip = 1_000;
        c.security.captcha_per_minute_per_ip = 1_000;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::no_role_reaches_another_organizations_data(TestApp::start_with(Backend::Sqlite, roomy).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::no_role_reaches_another_organizations_data(TestApp::start_with(Backend::Postgres, roomy).await).await
    }
}

async fn protected_operations_need_a_session(app: TestApp) {
    app.seed_demo().await;
    let anonymous = app.new_client();
    let ops = operations();
    assert!(ops.len() >= 35, "the walk covers the whole API ({} operations)", ops.len());
    for (method, path) in ops {
        if PUBLIC.contains(&(method.as_str(), path.as_str())) {
            continue;
        }
        let concrete = path.replace("{id}", "00000000-0000-0000-0000-000000000000").replace("{code}", "440000");
        let res = call(&anonymous, &app.url, &method, &concrete, &json!({})).await;
        if TOKEN_AUTHENTICATED.contains(&(method.as_str(), path.as_str())) {
            assert_eq!(res.status(), 404, "{method} {path}: the feed is off without a configured token");
            continue;
        }
        assert_eq!(res.status(), 401, "{method} {path} without a session");
    }
}

async fn no_role_reaches_another_organizations_data(app: TestApp) {
    app.login_as("enterprise_demo").await;
    // The enterprise's own resources.
    let sub = json(app.post_json("/api/users", json!({"username": "owner_sub01", "display_name": "子账号", "phone": "13600001111",
        "password": "Zizhanghao#1", "permissions": ["projects"]})).await).await;
    let form = reqwest::multipart::Form::new()
        .text("purpose", "attachment")
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("secret.pdf"));
    let file = json(app.client.post(app.url("/api/files")).multipart(form).send().await.unwrap()).await;
    let material = json(app.post_json("/api/orgs/me/materials", json!({"category": "其他", "title": "内部资料", "file_id": file["id"]})).await).await;
    let answers: Value = serde_json::from_str(include_str!("../../../core/tests/fixtures/manual_example_answers.json")).unwrap();
    app.client.put(app.url("/api/assessments/draft")).json(&json!({ "answers": answers })).send().await.unwrap();
    let assessment = json(app.client.post(app.url("/api/assessments/draft/submit")).send().await.unwrap()).await;
    let change = json!({"name": "改名后的华阳精机", "uscc": "91440300708461136T", "region_code": "441302",
        "contact_name": "赵经理", "contact_phone": "13500001111", "attachment_ids": []});
    let case = json(app.post_json("/api/orgs/me/change-requests", change).await).await;
    app.post_json(&format!("/api/review/cases/{}/messages", case["id"].as_str().unwrap()), json!({"body": "内部留言"})).await;
    let city = app.client_for("huizhou_admin").await;
    let v = json(city.get(app.url(&format!("/api/review/cases/{}", case["id"].as_str().unwrap()))).send().await.unwrap()).await["version"].clone();
    city.post(app.url(&format!("/api/review/cases/{}/actions", case["id"].as_str().unwrap())))
        .json(&json!({"action": "return", "version": v, "opinion": "请补充"}))
        .send()
        .await
        .unwrap();
    let notice = json(app.get("/api/notifications").await).await["items"][0].clone();
    let open = json(app.get("/api/calls/open").await).await;
    let call_id = open["calls"][0]["call"]["id"].as_str().unwrap().to_string();
    let applied = json(app.post_json(&format!("/api/calls/{call_id}/apply"), json!({})).await).await;
    let project = json(app.post_json("/api/projects", json!({})).await).await;
    let gov = app.client_for("jiangmen_admin").await;
    let dept = json(gov.post(app.url("/api/departments")).json(&json!({"name": "机密科室"})).send().await.unwrap()).await;
    // A draft announcement of 惠州市工业和信息化局: nobody else lists, reads, publishes or retires it.
    let huizhou = app.client_for("huizhou_admin").await;
    let drafts = json(huizhou.post(app.url("/api/announcements/manage")).json(&json!({"title": "内部公告草稿", "body": "未发布"})).send().await.unwrap()).await;
    // 企业管理: 华阳精机's profile (惠城区) and a batch credit check 惠州市工业和信息化局 ran.
    let huayang = app.text("SELECT id AS v FROM organizations WHERE name = '惠州市华阳精机有限公司'").await;
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "统一社会信用代码").unwrap().write_string(1, 0, "91350100M000100Y43").unwrap();
    let form = reqwest::multipart::Form::new()
        .text("purpose", "attachment")
        .part("file", reqwest::multipart::Part::bytes(book.save_to_buffer().unwrap()).file_name("核查.xlsx"));
    let sheet = json(huizhou.post(app.url("/api/files")).multipart(form).send().await.unwrap()).await;
    let batch = json(huizhou.post(app.url("/api/enterprises/credit-checks/batch")).json(&json!({"file_id": sheet["id"]})).send().await.unwrap()).await;
    // A draft portal item of the same bureau, and an objection of the enterprise to its published 结果公示.
    let portal_draft = json(huizhou.post(app.url("/api/portal/manage")).json(&json!({"kind": "notice", "title": "门户草稿标题", "body": "<p>未发布</p>"})).send().await.unwrap()).await;
    let ends = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let publicity = json(huizhou.post(app.url("/api/portal/manage")).json(&json!({"kind": "publicity", "title": "名单公示", "body": "<p>名单</p>", "period_ends_at": ends, "publish": true})).send().await.unwrap()).await;
    let objection = json(app.post_json(&format!("/api/portal/items/{}/objections", publicity["id"].as_str().unwrap()), json!({"contact_name": "王经理", "contact_phone": "0752-1234567", "content": "内部异议内容"})).await).await;

    let ids: HashMap<&str, String> = [
        ("/api/users/", sub["id"].as_str().unwrap().to_string()),
        ("/api/files/", file["id"].as_str().unwrap().to_string()),
        ("/api/orgs/me/materials/", material["id"].as_str().unwrap().to_string()),
        ("/api/departments/", dept["id"].as_str().unwrap().to_string()),
        ("/api/assessments/", assessment["id"].as_str().unwrap().to_string()),
        ("/api/review/cases/", case["id"].as_str().unwrap().to_string()),
        ("/api/notifications/", notice["id"].as_str().unwrap().to_string()),
        ("/api/calls/applications/", applied["application_id"].as_str().unwrap().to_string()),
        ("/api/calls/", call_id.clone()),
        ("/api/projects/", project["project_id"].as_str().unwrap().to_string()),
        ("/api/announcements/", drafts["items"][0]["id"].as_str().unwrap().to_string()),
        ("/api/enterprises/", huayang),
        ("/api/enterprises/credit-checks/", batch["id"].as_str().unwrap().to_string()),
        ("/api/portal/manage/", portal_draft["id"].as_str().unwrap().to_string()),
        ("/api/portal/manage/objections/", objection["id"].as_str().unwrap().to_string()),
        // A draft: neither shown, nor its files served, nor objected to.
        ("/api/portal/items/", portal_draft["id"].as_str().unwrap().to_string()),
        ("/api/portal/files/", portal_draft["id"].as_str().unwrap().to_string()),
    ]
    .into_iter()
    .collect();
    // Who may reach each resource: its organization, and for a case the bureau reviewing it.
    let owners_of = |path: &str| -> &[&str] {
        if path.starts_with("/api/departments/") {
            &["jiangmen_admin"]
        } else if path.starts_with("/api/announcements/manage/") || path.starts_with("/api/enterprises/credit-checks/") || path.starts_with("/api/portal/manage/") {
            &["huizhou_admin"]
        } else if path.starts_with("/api/enterprises/") {
            // 企业管理: the administrators of the bodies whose region holds 惠城区.
            &["huicheng_admin", "huizhou_admin", "guangdong_admin"]
        } else if path.starts_with("/api/files/") {
            // The file is in the enterprise's materials library (附件材料): its region's officials download it.
            &["enterprise_demo", "huicheng_admin", "huizhou_admin", "guangdong_admin"]
        } else if path.starts_with("/api/portal/") {
            &[]
        } else if path.starts_with("/api/calls/applications/") {
            &["enterprise_demo"]
        } else if path.starts_with("/api/calls/") {
            // The call's bureau runs it (its administrator and its handlers); any eligible enterprise may apply.
            &["enterprise_demo", "huizhou_admin", "huizhou_handler", "huizhou_leader"]
        } else if path.starts_with("/api/review/cases/") {
            &["enterprise_demo", "huizhou_admin", "huizhou_handler", "huizhou_leader"]
        } else {
            &["enterprise_demo"]
        }
    };
    let secrets = [
        sub["id"].as_str().unwrap(),
        file["id"].as_str().unwrap(),
        material["id"].as_str().unwrap(),
        assessment["id"].as_str().unwrap(),
        "owner_sub01",
        "secret.pdf",
        "内部资料",
        "机密科室",
        case["id"].as_str().unwrap(),
        project["project_id"].as_str().unwrap(),
        "改名后的华阳精机",
        "内部留言",
        notice["id"].as_str().unwrap(),
        "内部公告草稿",
        "门户草稿标题",
        "内部异议内容",
    ];
    // Case data is shared with the bureau reviewing it (its to-do list, notices and message board).
    let case_secrets = [case["id"].as_str().unwrap(), "改名后的华阳精机", "内部留言", "内部公告草稿", "门户草稿标题", "内部异议内容"];
    let dashboard_secrets = [case["id"].as_str().unwrap(), "改名后的华阳精机", assessment["id"].as_str().unwrap()];
    const REGION_OF_ENTERPRISE: [&str; 3] = ["惠州市惠城区工业和信息化局", "惠州市工业和信息化局", "广东省工业和信息化厅"];

    let ops = operations();
    for account in shuzhuan::seed::DEMO_ACCOUNTS {
        let client = app.client_for(account.username).await;
        for (method, path) in &ops {
            if !path.contains("{id}") {
                // Lists and "me" endpoints: nothing of another organization may appear in them.
                // The audit administrator reads the platform-wide audit log by design (object ids included).
                let audit_reader = account.username == "audit_admin" && path == "/api/audit";
                if method == "get" && !audit_reader && !PUBLIC.contains(&(method.as_str(), path.as_str())) && !path.contains("{code}") {
                    let res = call(&client, &app.url, method, path, &json!({})).await;
                    let text = res.text().await.unwrap();
                    for s in secrets {
                        let own = (account.username == "enterprise_demo" && s != "机密科室")
                            || (account.username == "jiangmen_admin" && s == "机密科室")
                            || (account.organization == "惠州市工业和信息化局" && case_secrets.contains(&s))
                            // 统计汇总's lists show the officials of the enterprise's region (惠城区, 惠州市, 广东省) its
                            // submitted cases and self-assessments by design (tests/all/dashboard.rs: no other region).
                            || (path.starts_with("/api/dashboard/") && REGION_OF_ENTERPRISE.contains(&account.organization) && dashboard_secrets.contains(&s));
                        assert!(own || !text.contains(s), "{} sees {s} in GET {path}", account.username);
                    }
                }
                continue;
            }
            if OPEN_TO_SIGNED_IN.contains(&path.as_str()) {
                continue;
            }
            let prefix = ids.keys().filter(|p| path.starts_with(*p)).max_by_key(|p| p.len()).unwrap_or_else(|| panic!("walk knows {path}"));
            if owners_of(path).contains(&account.username) {
                continue;
            }
            let concrete = path.replace("{id}", &ids[prefix]);
            let body = json!({"display_name": "x", "phone": "13600009999", "name": "改名", "roles": ["org_admin"]});
            let res = call(&client, &app.url, method, &concrete, &body).await;
            assert!(
                !res.status().is_success(),
                "{} reached {method} {concrete}: {}",
                account.username,
                res.status()
            );
        }
    }
    // Everything is still there and unchanged for its owners.
    let users = json(app.get("/api/users").await).await;
    assert!(users.to_string().contains("owner_sub01"));
    assert_eq!(app.get(&format!("/api/files/{}", file["id"].as_str().unwrap())).await.status(), 200);
    assert_eq!(json(app.get("/api/orgs/me/materials").await).await["items"].as_array().unwrap().len(), 1);
    let tree = json(gov.get(app.url("/api/departments")).send().await.unwrap()).await;
    assert_eq!(tree["items"][0]["name"], "机密科室");
    assert_eq!(json(app.get("/api/assessments").await).await["total"], 1);
}
