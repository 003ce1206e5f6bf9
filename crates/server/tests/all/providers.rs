//! Providers, lead units, products and pools over HTTP (issue 6), on both databases: the manual's rules
//! for first / repeat / product applications, duplicate names, the three pool rules, file fields, the
//! lead unit's members and pool, the pool search and the public catalogue.

use crate::common::{json, TestApp};
use serde_json::{json, Value};

both!(jiangmen_rules_and_pools, file_fields_enforce_their_purpose_and_size, only_certified_providers_apply,
    duplicate_names_follow_the_manual);

async fn upload(client: &reqwest::Client, app: &TestApp, purpose: &str, name: &str) -> String {
    let bytes: Vec<u8> = if name.ends_with(".png") {
        vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R']
    } else {
        b"%PDF-1.4\n%%EOF\n".to_vec()
    };
    let form = reqwest::multipart::Form::new().text("purpose", purpose.to_owned()).part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    let res = client.post(app.url("/api/files")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    json(res).await["id"].as_str().unwrap().to_owned()
}

fn product(name: &str, contract: &str) -> Value {
    json!({"name": name, "nature": "自有产品", "ip_proof_file_ids": [], "categories": ["生产管控", "MES"], "category_other": "",
        "description": format!("{name}：面向离散制造的生产执行系统"), "deploy_architecture": "B/S", "deploy_mode": "云端部署",
        "deploy_period": "30天", "purchase_mode": "按年订阅", "price_min": 5, "price_max": 20, "discount_rate": 10,
        "industry_code": "C", "sub_industries": "五金制品", "scenarios": "车间生产执行",
        "cases": [{"enterprise": "江门甲公司", "contract_file_ids": [contract]}, {"enterprise": "江门乙公司", "contract_file_ids": [contract]},
            {"enterprise": "江门丙公司", "contract_file_ids": [contract]}],
        "awards": "未获奖", "award_note": "", "other_note": "", "evidence_file_ids": []})
}

struct Provider {
    client: reqwest::Client,
    license: String,
    contract: String,
}

async fn provider(app: &TestApp) -> Provider {
    app.seed_demo().await;
    let client = app.client_for("provider_demo").await;
    let license = upload(&client, app, "credential", "营业执照.pdf").await;
    let contract = upload(&client, app, "credential", "合同.pdf").await;
    Provider { client, license, contract }
}

async fn org_id(app: &TestApp, name: &str) -> String {
    let lead_units = json(app.client_for("provider_demo").await.get(app.url("/api/lead-units")).send().await.unwrap()).await;
    lead_units["items"].as_array().unwrap().iter().find(|o| o["name"] == name).unwrap_or_else(|| panic!("{name} in {lead_units}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

const LEAD1: &str = "江门市智能制造数字化牵引单位（演示）";
const LEAD2: &str = "江门市五金卫浴数字化牵引单位（演示）";
const LEAD3: &str = "江门市纺织服装数字化牵引单位（演示）";

fn application(p: &Provider, kind: &str, lead_unit_id: &str, products: Vec<Value>) -> Value {
    json!({"application": kind, "logo_file_ids": [], "license_file_ids": [p.license], "nature": "民营", "credit_report_file_ids": [],
        "lead_unit_id": lead_unit_id, "cooperation_proof_file_ids": [p.license], "product_count": 3,
        "introduction": "专注中小企业数字化转型", "guarantee": "本地团队驻场服务", "team_list_file_ids": [], "products": products})
}

/// Creates a draft of `kind` and submits it; returns (case id, submit response).
async fn file(app: &TestApp, client: &reqwest::Client, kind: &str, form: Value) -> (String, reqwest::Response) {
    let res = client.post(app.url("/api/review/cases")).json(&json!({"kind": kind, "form": form})).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let draft = json(res).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let res = client.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(&json!({"action": "submit", "version": draft["version"]})).send().await.unwrap();
    (id, res)
}

async fn approve(app: &TestApp, username: &str, id: &str) {
    let c = app.client_for(username).await;
    let v = json(c.get(app.url(&format!("/api/review/cases/{id}"))).send().await.unwrap()).await["version"].clone();
    let res = c.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(&json!({"action": "approve", "version": v, "opinion": "同意"})).send().await.unwrap();
    assert_eq!(res.status(), 200, "{username} approves {id}: {}", res.text().await.unwrap());
}

async fn pool_names(app: &TestApp, lead_unit_user: &str) -> Vec<String> {
    let c = app.client_for(lead_unit_user).await;
    let pool = json(c.get(app.url("/api/lead-units/me/pool")).send().await.unwrap()).await;
    let mut names: Vec<String> = pool["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

/// The provider's product cases by name.
async fn product_case(app: &TestApp, p: &Provider, name: &str) -> String {
    let list = json(p.client.get(app.url("/api/review/cases?kind=product_entry&page_size=100")).send().await.unwrap()).await;
    list["items"].as_array().unwrap().iter().find(|c| c["title"] == name).unwrap_or_else(|| panic!("{name} in {list}"))["id"].as_str().unwrap().to_owned()
}

/// 牵引机构确认 → 预审 → 市工信复审. The provider is registered in Huizhou, but the product joins a Jiangmen
/// lead unit's pool, so 江门市工信局 (the program's city) re-reviews it and 惠州市工信局 never sees it.
async fn pass_product_review(app: &TestApp, lead_unit_user: &str, id: &str) {
    approve(app, lead_unit_user, id).await;
    approve(app, "thirdparty_demo", id).await;
    let huizhou = app.client_for("huizhou_admin").await;
    let todo = json(huizhou.get(app.url("/api/review/tasks?kind=product_entry")).send().await.unwrap()).await;
    assert!(todo["items"].as_array().unwrap().iter().all(|t| t["case_id"] != id && t["id"] != id), "惠州 must not review it: {todo}");
    approve(app, "jiangmen_admin", id).await;
}

async fn jiangmen_rules_and_pools(app: TestApp) {
    let p = provider(&app).await;
    let (lead1, lead2, lead3) = (org_id(&app, LEAD1).await, org_id(&app, LEAD2).await, org_id(&app, LEAD3).await);
    assert_eq!(json(p.client.get(app.url("/api/providers/me/memberships")).send().await.unwrap()).await["items"], json!([]));

    // A first application without a product is refused; nothing is submitted.
    let (empty, res) = file(&app, &p.client, "alliance_join", application(&p, "first", &lead1, vec![])).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["message"], "服务商首次申报时，必须填写至少一款产品同时进行申报");
    // A repeat application before any first approval is refused.
    let (repeat_early, res) = file(&app, &p.client, "alliance_join", application(&p, "repeat", &lead2, vec![])).await;
    assert_eq!(res.status(), 409, "{}", res.text().await.unwrap());
    for id in [&empty, &repeat_early] {
        let v = json(p.client.get(app.url(&format!("/api/review/cases/{id}"))).send().await.unwrap()).await["version"].clone();
        p.client.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(&json!({"action": "delete", "version": v})).send().await.unwrap();
    }

    // The first application with two products; the lead unit returns it once, then approves.
    let first = application(&p, "first", &lead1, vec![product("智造MES", &p.contract), product("云ERP", &p.contract)]);
    let (app_id, res) = file(&app, &p.client, "alliance_join", first).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let detail = json(res).await;
    assert_eq!(detail["progress"][0]["org_name"], LEAD1);
    assert!(detail["title"].as_str().unwrap().contains(LEAD1));
    let lead = app.client_for("leadunit_demo").await;
    let todo = json(lead.get(app.url("/api/review/tasks?kind=alliance_join")).send().await.unwrap()).await;
    assert_eq!(todo["total"], 1);
    let v = detail["version"].clone();
    let res = lead.post(app.url(&format!("/api/review/cases/{app_id}/actions"))).json(&json!({"action": "return", "version": v, "opinion": "合作证明需加盖双方公章"})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let c = json(p.client.get(app.url(&format!("/api/review/cases/{app_id}"))).send().await.unwrap()).await;
    let res = p.client.post(app.url(&format!("/api/review/cases/{app_id}/actions"))).json(&json!({"action": "resubmit", "version": c["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    approve(&app, "leadunit_demo", &app_id).await;
    let bound = json(p.client.get(app.url("/api/providers/me/memberships")).send().await.unwrap()).await;
    assert_eq!(bound["items"][0]["lead_unit_name"], LEAD1);
    let members = json(lead.get(app.url("/api/lead-units/me/members")).send().await.unwrap()).await;
    assert_eq!(members["items"][0]["provider_name"], "惠州市飞讯软件服务有限公司");
    assert_eq!(pool_names(&app, "leadunit_demo").await, Vec::<String>::new(), "products enter pools only when approved");

    // Each product now runs its own review; the first application's products start at the lead unit.
    let mes = product_case(&app, &p, "智造MES").await;
    let erp = product_case(&app, &p, "云ERP").await;
    let c = json(p.client.get(app.url(&format!("/api/review/cases/{mes}"))).send().await.unwrap()).await;
    let stages: Vec<&str> = c["progress"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(stages, ["牵引机构确认", "预审", "市工信复审"]);
    assert_eq!(c["status"], "in_review");
    pass_product_review(&app, "leadunit_demo", &mes).await;
    assert_eq!(pool_names(&app, "leadunit_demo").await, ["智造MES"], "rule 1: an approved product enters its lead unit's pool");
    let pool = json(lead.get(app.url("/api/lead-units/me/pool")).send().await.unwrap()).await;
    assert!(pool["items"][0]["code"].as_str().unwrap().starts_with('P'), "{pool}");

    // A repeat application to a second lead unit: prefilled template, approved: all approved products join.
    let template = json(p.client.get(app.url("/api/providers/me/application-template")).send().await.unwrap()).await;
    assert_eq!(template["application"], "repeat");
    assert_eq!(template["introduction"], "专注中小企业数字化转型");
    assert_eq!(template["lead_unit_id"], "");
    let mut repeat = template.clone();
    repeat["lead_unit_id"] = json!(lead2);
    repeat["cooperation_proof_file_ids"] = json!([p.license]);
    let (repeat_id, res) = file(&app, &p.client, "alliance_join", repeat.clone()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // Applying twice to the same lead unit is refused (while the first is open, and once bound).
    let (dup, res) = file(&app, &p.client, "alliance_join", repeat.clone()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["message"], "已申请加入该数字化牵引单位，不能重复申报");
    approve(&app, "leadunit2_demo", &repeat_id).await;
    assert_eq!(pool_names(&app, "leadunit2_demo").await, ["智造MES"], "rule 2: all approved products, not the one in review");
    let c = json(p.client.get(app.url(&format!("/api/review/cases/{dup}"))).send().await.unwrap()).await;
    let res = p.client.post(app.url(&format!("/api/review/cases/{dup}/actions"))).json(&json!({"action": "submit", "version": c["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 422, "already bound");

    // The second product of the first application: into both pools once approved (bound to both now).
    pass_product_review(&app, "leadunit_demo", &erp).await;
    assert_eq!(pool_names(&app, "leadunit_demo").await, ["云ERP", "智造MES"]);
    assert_eq!(pool_names(&app, "leadunit2_demo").await, ["云ERP", "智造MES"]);

    // 产品独立申报: an unbound lead unit is refused; a bound one reviews; approval fills all pools (rule 3).
    let mut third = product("智能仓储WMS", &p.contract);
    third["lead_unit_id"] = json!(lead3);
    let (third_id, res) = file(&app, &p.client, "product_entry", third.clone()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "lead_unit_id");
    third["lead_unit_id"] = json!(lead2);
    let c = json(p.client.get(app.url(&format!("/api/review/cases/{third_id}"))).send().await.unwrap()).await;
    let res = p.client.put(app.url(&format!("/api/review/cases/{third_id}/form"))).json(&json!({"form": third, "version": c["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let v = json(res).await["version"].clone();
    let res = p.client.post(app.url(&format!("/api/review/cases/{third_id}/actions"))).json(&json!({"action": "submit", "version": v})).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    pass_product_review(&app, "leadunit2_demo", &third_id).await;
    assert_eq!(pool_names(&app, "leadunit_demo").await, ["云ERP", "智能仓储WMS", "智造MES"]);
    assert_eq!(pool_names(&app, "leadunit2_demo").await, ["云ERP", "智能仓储WMS", "智造MES"]);
    assert_eq!(app.count("pool_entries").await, 6);

    // My products list, the pool search for other modules, the Excel export, the public catalogue.
    let mine = json(p.client.get(app.url("/api/review/cases?kind=product_entry&status=approved")).send().await.unwrap()).await;
    assert_eq!(mine["total"], 3);
    assert!(mine["items"][0]["note"].as_str().unwrap().contains("MES"));
    let ent = app.client_for("enterprise_demo").await;
    let search = json(ent.get(app.url(&format!("/api/pools/{lead1}/products?q=WMS"))).send().await.unwrap()).await;
    assert_eq!(search["total"], 1);
    assert_eq!(search["items"][0]["case_id"], Value::Null, "an enterprise does not open the provider's case");
    let xlsx = lead.get(app.url("/api/lead-units/me/pool.xlsx")).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "an xlsx (zip) file");
    let public = app.new_client();
    let cat = json(public.get(app.url("/api/catalogue/products?category=MES")).send().await.unwrap()).await;
    assert_eq!(cat["total"], 3);
    assert_eq!(cat["items"][0]["provider_name"], "惠州市飞讯软件服务有限公司");
    // Prices entered in 万元 (5 to 20) come back exactly, as decimal strings of yuan.
    assert_eq!(cat["items"][0]["price_min"], "50000.00", "{cat}");
    assert_eq!(cat["items"][0]["price_max"], "200000.00");
    assert_eq!(json(public.get(app.url("/api/catalogue/products?category=WMS")).send().await.unwrap()).await["total"], 0, "categories are exact");
    assert_eq!(public.get(app.url("/api/catalogue/products?category=不存在")).send().await.unwrap().status(), 422);
    assert_eq!(public.get(app.url("/api/lead-units/me/pool")).send().await.unwrap().status(), 401);
    assert_eq!(ent.get(app.url("/api/lead-units/me/pool")).send().await.unwrap().status(), 403);
}

async fn duplicate_names_follow_the_manual(app: TestApp) {
    let p = provider(&app).await;
    let lead1 = org_id(&app, LEAD1).await;
    // Two products of the same name in one first application are refused.
    let (dup_app, res) = file(&app, &p.client, "alliance_join", application(&p, "first", &lead1, vec![product("MES", &p.contract), product(" mes ", &p.contract)])).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["error"]["fields"][0]["field"], "products[1].name");
    assert_eq!(body["error"]["fields"][0]["message"], "重名产品正在申报中或已申报过，不需要重复申报");
    let c = json(p.client.get(app.url(&format!("/api/review/cases/{dup_app}"))).send().await.unwrap()).await;
    let mut form = c["form"].clone();
    form["products"] = json!([product("MES", &p.contract)]);
    let res = p.client.put(app.url(&format!("/api/review/cases/{dup_app}/form"))).json(&json!({"form": form, "version": c["version"]})).send().await.unwrap();
    let v = json(res).await["version"].clone();
    let res = p.client.post(app.url(&format!("/api/review/cases/{dup_app}/actions"))).json(&json!({"action": "submit", "version": v})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    approve(&app, "leadunit_demo", &dup_app).await;
    let mes = product_case(&app, &p, "MES").await;

    let mut again = product("MES", &p.contract);
    again["lead_unit_id"] = json!(lead1);
    // While the first is in review…
    let (second, res) = file(&app, &p.client, "product_entry", again.clone()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["message"], "重名产品正在申报中或已申报过，不需要重复申报");
    // …and after it is approved…
    pass_product_review(&app, "leadunit_demo", &mes).await;
    let c = json(p.client.get(app.url(&format!("/api/review/cases/{second}"))).send().await.unwrap()).await;
    let res = p.client.post(app.url(&format!("/api/review/cases/{second}/actions"))).json(&json!({"action": "submit", "version": c["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 422);
    // …but a rejected name is free again.
    let mut other = product("ERP", &p.contract);
    other["lead_unit_id"] = json!(lead1);
    let (erp, res) = file(&app, &p.client, "product_entry", other.clone()).await;
    assert_eq!(res.status(), 200);
    let lead = app.client_for("leadunit_demo").await;
    let v = json(lead.get(app.url(&format!("/api/review/cases/{erp}"))).send().await.unwrap()).await["version"].clone();
    let res = lead.post(app.url(&format!("/api/review/cases/{erp}/actions"))).json(&json!({"action": "reject", "version": v, "opinion": "非自有产品"})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let (_, res) = file(&app, &p.client, "product_entry", other).await;
    assert_eq!(res.status(), 200, "allowed after rejection: {}", res.text().await.unwrap());
}

async fn file_fields_enforce_their_purpose_and_size(app: TestApp) {
    let p = provider(&app).await;
    let lead1 = org_id(&app, LEAD1).await;
    let files_before = app.count("files").await;
    // A 50 MB upload to a 10 MB field is refused before anything is stored.
    let big = vec![b'%'; 50 * 1024 * 1024];
    let form = reqwest::multipart::Form::new().text("purpose", "credential").part("file", reqwest::multipart::Part::bytes(big).file_name("大文件.pdf"));
    let res = p.client.post(app.url("/api/files")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 413);
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("10 MB"));
    assert_eq!(app.count("files").await, files_before);
    // A photo where a credential belongs, and another organization's file, are refused at save.
    let photo = upload(&p.client, &app, "photo", "logo.png").await;
    let mut form = application(&p, "first", &lead1, vec![product("MES", &p.contract)]);
    form["license_file_ids"] = json!([photo]);
    let res = p.client.post(app.url("/api/review/cases")).json(&json!({"kind": "alliance_join", "form": form})).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["error"]["fields"][0]["field"], "license_file_ids");
    assert!(body["error"]["fields"][0]["message"].as_str().unwrap().contains("证照与证明材料"), "{body}");
    let ent = app.client_for("enterprise_demo").await;
    let foreign = upload(&ent, &app, "credential", "别人的.pdf").await;
    let mut form = application(&p, "first", &lead1, vec![product("MES", &foreign)]);
    form["logo_file_ids"] = json!([photo]);
    let res = p.client.post(app.url("/api/review/cases")).json(&json!({"kind": "alliance_join", "form": form})).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "products[0].cases[0].contract_file_ids");
    assert_eq!(app.count("review_cases").await, 0, "nothing saved");
}

async fn only_certified_providers_apply(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for("enterprise_demo").await;
    let res = ent.post(app.url("/api/review/cases")).json(&json!({"kind": "product_entry", "form": {}})).send().await.unwrap();
    assert_eq!(res.status(), 403, "an enterprise is not a provider");
    let code = app.sms_code("13912340000", "register").await;
    let body = json!({"kind": "provider", "phone": "13912340000", "sms_code": code, "password": "Fuwu@2026x", "confirm_password": "Fuwu@2026x",
        "company_name": "江门市测试软件有限公司", "uscc": "91350100M000100Y43", "region_code": "440703", "address": "江门市蓬江区测试路2号",
        "industry_code": "I", "contact_name": "周经办", "service_scope": ["dcmm"]});
    assert_eq!(app.post_json("/api/register", body).await.status(), 201);
    let fresh = app.new_client();
    assert_eq!(app.login_response(&fresh, "13912340000", "Fuwu@2026x").await.status(), 200);
    let res = fresh.post(app.url("/api/review/cases")).json(&json!({"kind": "alliance_join", "form": {"application": "first"}})).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("认证通过后方可申报"));
    assert_eq!(fresh.get(app.url("/api/providers/me/application-template")).send().await.unwrap().status(), 409);
}

/// Products in the pool of 江门市智能制造数字化牵引单位 (`leadunit_demo`), put there by the real flow: the demo
/// provider's first application with them, the lead unit's approval, and each product's own review (最高入库价格
/// 20 万元). Their ids, in the order of `names`. Other capabilities' tests (项目签约) pick from this pool.
pub(crate) async fn pooled_products(app: &TestApp, names: &[&str]) -> Vec<String> {
    let client = app.client_for("provider_demo").await;
    let license = upload(&client, app, "credential", "营业执照.pdf").await;
    let contract = upload(&client, app, "credential", "合同.pdf").await;
    let p = Provider { client, license, contract };
    let lead1 = org_id(app, LEAD1).await;
    let (app_id, res) = file(app, &p.client, "alliance_join", application(&p, "first", &lead1, names.iter().map(|n| product(n, &p.contract)).collect())).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    approve(app, "leadunit_demo", &app_id).await;
    for name in names {
        let id = product_case(app, &p, name).await;
        pass_product_review(app, "leadunit_demo", &id).await;
    }
    let lead = app.client_for("leadunit_demo").await;
    let pool = json(lead.get(app.url("/api/lead-units/me/pool")).send().await.unwrap()).await;
    names
        .iter()
        .map(|n| pool["items"].as_array().unwrap().iter().find(|p| p["name"] == *n).unwrap_or_else(|| panic!("{n} in {pool}"))["id"].as_str().unwrap().to_owned())
        .collect()
}
