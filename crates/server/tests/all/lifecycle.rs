//! The project lifecycle (seed 002, spec 40), part 1: 项目备案 through 镇街审核 → 第三方初审 → 市工信复审 with the
//! 项目备案号, over real HTTP on both databases.

use reqwest::Method;
use serde_json::{json, Value};

use crate::calls::{get, send, upload};
use crate::common::{json, TestApp};

both!(a_filing_passes_town_third_party_and_city_and_is_numbered, submission_names_every_missing_field_and_keeps_the_draft, filing_numbers_are_unique_when_filings_complete_at_once,
    self_diagnosis_picks_an_assessment_result_after_filing, a_filed_project_changes_through_the_city_one_change_at_a_time,
    an_agency_diagnoses_when_chosen_or_assigned_and_the_enterprise_confirms, a_city_sets_the_diagnosis_deadline_of_its_towns,
    signing_takes_contracts_and_pool_products_and_the_lead_unit_assists_when_asked, presubsidy_covers_signed_contracts_and_is_returned_approved_or_rejected,
    the_demo_fills_the_zhongshan_pool_through_review_so_a_newcomer_can_sign, implementation_records_the_state_before_and_the_lead_unit_fills_it_when_asked,
    post_evaluation_goes_to_the_chosen_or_assigned_agency_and_the_enterprise_confirms, completion_records_results_ratings_and_invoices_and_opens_acceptance,
    acceptance_opens_in_the_city_window_and_passes_town_assigned_expert_and_city);

pub(crate) const ENTERPRISE: &str = "zhongshan_enterprise_demo";

pub(crate) fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
}

/// A complete 项目基本信息 for the seeded Zhongshan enterprise (企业基本信息 comes prefilled).
fn project_values(prefilled: &Value, name: &str) -> Value {
    let mut v = prefilled.clone();
    for (k, x) in [
        ("nature", json!("民营")),
        ("category", json!("规模以下工业企业")),
        ("sub_industry", json!("五金制品")),
        ("quality_sme", json!(["创新型中小企业"])),
        ("digital_headcount", json!("6")),
        ("profile", json!("主营卫浴五金，已上线ERP。")),
        ("project_name", json!(name)),
        ("summary", json!("建设MES与设备联网，打通订单到生产的数据。")),
        ("site_address", json!("中山市小榄镇（演示地址）")),
        ("planned_investment", json!("120.5")),
        ("period", json!({"start": "2025-05-01", "end": "2025-12-31"})),
        ("target_level", json!("二级")),
        ("diagnosis_mode", json!("自诊断")),
        ("scenario_provider", json!("中山市某软件有限公司")),
        ("chain_leader", json!(false)),
    ] {
        v[k] = x;
    }
    v
}

async fn start(app: &TestApp, c: &reqwest::Client) -> (String, Value) {
    let (s, started) = send(app, c, Method::POST, "/api/projects", json!({})).await;
    assert_eq!(s, 201, "{started}");
    let id = started["project_id"].as_str().unwrap().to_owned();
    let (s, view) = get(app, c, &format!("/api/projects/{id}")).await;
    assert_eq!(s, 200, "{view}");
    (id, view)
}

fn lead_unit(view: &Value) -> String {
    let units = view["lead_units"].as_array().unwrap();
    assert_eq!(units[0]["name"], "中山市五金家电数字化牵引单位（演示）", "the enterprise's own city's lead units come first");
    units[0]["id"].as_str().unwrap().to_owned()
}

async fn save(app: &TestApp, c: &reqwest::Client, id: &str, values: Value, lead: Option<&str>, version: &Value) -> (u16, Value) {
    send(app, c, Method::PUT, &format!("/api/projects/{id}/filing"), json!({"values": values, "lead_unit_id": lead, "version": version})).await
}

async fn submit(app: &TestApp, c: &reqwest::Client, id: &str, version: &Value) -> (u16, Value) {
    send(app, c, Method::POST, &format!("/api/projects/{id}/filing/submit"), json!({"version": version})).await
}

pub(crate) async fn act(app: &TestApp, c: &reqwest::Client, case_id: &str, action: &str, opinion: &str) -> Value {
    let (s, case) = get(app, c, &format!("/api/review/cases/{case_id}")).await;
    assert_eq!(s, 200, "{case}");
    let (s, after) = send(app, c, Method::POST, &format!("/api/review/cases/{case_id}/actions"), json!({"action": action, "version": case["version"], "opinion": opinion})).await;
    assert_eq!(s, 200, "{action}: {after}");
    after
}

/// A filed project, ready for review: returns (project id, case id).
async fn filed(app: &TestApp, c: &reqwest::Client, name: &str) -> (String, String) {
    let (id, view) = start(app, c).await;
    let lead = lead_unit(&view);
    let (s, saved) = save(app, c, &id, project_values(&view["filing"]["values"], name), Some(&lead), &view["filing"]["version"]).await;
    assert_eq!(s, 200, "{saved}");
    let (s, sent) = submit(app, c, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 200, "{sent}");
    (id, sent["filing"]["case_id"].as_str().unwrap().to_owned())
}

async fn a_filing_passes_town_third_party_and_city_and_is_numbered(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let (id, view) = start(&app, &ent).await;
    // 企业基本信息 prefilled from the registration and the profile.
    let pre = &view["filing"]["values"];
    assert_eq!(pre["enterprise_name"], "中山市小榄精工五金制品有限公司（演示）");
    assert_eq!(pre["uscc"].as_str().unwrap().len(), 18);
    assert!(pre["town"].as_str().unwrap().starts_with("442000"), "{pre}");
    assert_eq!(pre["size"], "小型企业", "「小型」 in the profile is the option 小型企业");
    assert_eq!(pre["headcount"], "86");
    assert_eq!(view["project"]["filing_status_label"], "待提交");
    assert_eq!(view["project"]["stages"].as_array().unwrap().len(), 5);

    // 链主带动 = 是 asks for the 授权委托书, whose template downloads as a PDF.
    let lead = lead_unit(&view);
    let mut values = project_values(pre, "小榄精工数字化车间改造项目");
    values["chain_leader"] = json!(true);
    let (s, saved) = save(&app, &ent, &id, values.clone(), Some(&lead), &view["filing"]["version"]).await;
    assert_eq!(s, 200, "{saved}");
    let (s, refused) = submit(&app, &ent, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["values.authorization_files", "values.chain_evidence_files"], "{refused}");
    let template = ent.get(app.url("/api/projects/templates/authorization.pdf")).send().await.unwrap();
    assert_eq!(template.status(), 200);
    assert!(template.bytes().await.unwrap().starts_with(b"%PDF"));
    let letter = upload(&app, &ent, "attachment", "授权委托书.pdf", pdf()).await;
    let proof = upload(&app, &ent, "attachment", "采购合同.pdf", pdf()).await;
    values["authorization_files"] = json!([letter]);
    values["chain_evidence_files"] = json!([proof]);
    let (s, saved) = save(&app, &ent, &id, values.clone(), Some(&lead), &saved["filing"]["version"]).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["filing"]["file_names"][&letter], "授权委托书.pdf");
    let (s, sent) = submit(&app, &ent, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent["project"]["filing_status_label"], "镇街审核中");
    assert!(!sent["filing"]["editable"].as_bool().unwrap());
    let case_id = sent["filing"]["case_id"].as_str().unwrap().to_owned();

    // 镇街审核: the enterprise's town, and no other town.
    let jiangmen_town = app.client_for("town_demo").await;
    assert_eq!(json(jiangmen_town.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 0);
    assert_eq!(get(&app, &jiangmen_town, &format!("/api/review/cases/{case_id}")).await.0, 404, "another town never sees the filing");
    let town = app.client_for("xiaolan_town_demo").await;
    let todo = json(town.get(app.url("/api/review/tasks")).send().await.unwrap()).await;
    assert_eq!(todo["total"], 1, "{todo}");
    assert_eq!(todo["items"][0]["title"], "项目备案：小榄精工数字化车间改造项目");
    // The reviewer reads the rows with names, and may open the files.
    let (_, case) = get(&app, &town, &format!("/api/review/cases/{case_id}")).await;
    let rows = case["fields"].as_array().unwrap();
    let row = |key: &str| rows.iter().find(|r| r["key"] == key).map(|r| r["value"].clone()).unwrap_or(Value::Null);
    assert!(row("values.town").as_str().unwrap().starts_with("小榄镇（"), "{}", row("values.town"));
    assert_eq!(row("lead_unit_id"), "中山市五金家电数字化牵引单位（演示）");
    assert_eq!(town.get(app.url(&format!("/api/files/{letter}"))).send().await.unwrap().status(), 200);
    act(&app, &town, &case_id, "approve", "同意").await;

    // 第三方初审, then 市工信复审 returns it; the enterprise edits and resubmits; it resumes at 市工信复审.
    let third = app.client_for("zhongshan_thirdparty_demo").await;
    act(&app, &third, &case_id, "approve", "材料齐全").await;
    let city = app.client_for("zhongshan_admin").await;
    let returned = act(&app, &city, &case_id, "return", "项目计划投入请按不含税金额填写").await;
    assert_eq!(returned["status"], "returned");
    let (_, back) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    assert!(back["filing"]["editable"].as_bool().unwrap());
    assert_eq!(back["filing"]["latest_opinion"], "项目计划投入请按不含税金额填写");
    values["planned_investment"] = json!("100");
    let (s, saved) = save(&app, &ent, &id, values, Some(&lead), &back["filing"]["version"]).await;
    assert_eq!(s, 200, "{saved}");
    let (s, sent) = submit(&app, &ent, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent["project"]["filing_status_label"], "市工信复审中", "the resubmission goes back to the stage that returned it");
    assert_eq!(json(town.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 0, "the town is not asked again");
    act(&app, &city, &case_id, "approve", "同意备案").await;

    // 备案完成: the number by the default rule (yyMMdd + the town's last three digits + 0001), 待签约.
    let (_, done) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    let p = &done["project"];
    assert_eq!(p["filing_status_label"], "已备案");
    assert_eq!(p["stage"], "signing");
    let number = p["filing_number"].as_str().unwrap();
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).format("%y%m%d").to_string();
    let town_code = pre["town"].as_str().unwrap();
    assert_eq!(number, format!("{today}{}0001", &town_code[6..]));
    assert_eq!(p["stages"][0]["progress"], "done");
    assert_eq!(p["stages"][1]["status_label"], "待签约");
    let list = json(ent.get(app.url("/api/projects")).send().await.unwrap()).await;
    assert_eq!(list["items"][0]["filing_number"], number);
    // The filing's case id (the link 我的申请 gives) opens the same project.
    assert_eq!(get(&app, &ent, &format!("/api/projects/{case_id}")).await.1["project"]["id"], id.as_str());
    assert!(!done["filing"]["editable"].as_bool().unwrap());
    // A filed project's filing no longer takes saves.
    let (s, _) = save(&app, &ent, &id, json!({}), None, &done["filing"]["version"]).await;
    assert_eq!(s, 409);

    // Only the enterprise's own projects; other organizations' users cannot reach them.
    let other = app.client_for("enterprise_demo").await;
    assert_eq!(json(other.get(app.url("/api/projects")).send().await.unwrap()).await["items"], json!([]));
    assert_eq!(get(&app, &other, &format!("/api/projects/{id}")).await.0, 404);
    assert_eq!(get(&app, &city, "/api/projects").await.0, 403);
}

async fn submission_names_every_missing_field_and_keeps_the_draft(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let (id, view) = start(&app, &ent).await;
    // A half-typed draft saves (nothing is lost for being incomplete) …
    let mut partial = view["filing"]["values"].clone();
    partial["project_name"] = json!("只填了名称的项目");
    let (s, saved) = save(&app, &ent, &id, partial.clone(), None, &view["filing"]["version"]).await;
    assert_eq!(s, 200, "{saved}");
    // … and its submission names each missing required field, and the lead unit, and changes nothing.
    let (s, refused) = submit(&app, &ent, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<String> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
    for key in ["values.nature", "values.category", "values.quality_sme", "values.summary", "values.planned_investment", "values.period", "values.diagnosis_mode", "values.chain_leader", "lead_unit_id"] {
        assert!(fields.contains(&key.to_owned()), "{key} missing from {fields:?}");
    }
    assert!(!fields.contains(&"values.project_name".to_owned()));
    assert!(refused["fields"].as_array().unwrap().iter().all(|f| f["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));
    let (_, after) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    assert_eq!(after["filing"]["values"]["project_name"], "只填了名称的项目", "what was typed survives the refusal");
    assert_eq!(after["project"]["filing_status_label"], "待提交");
    assert_eq!(after["project"]["name"], "只填了名称的项目");

    // Malformed input is refused with a Chinese message and changes nothing.
    let version = &after["filing"]["version"];
    for (values, lead) in [
        (json!({"headcount": {"x": 1}}), json!(null)),
        (json!("not an object"), json!(null)),
        (partial.clone(), json!("not-a-lead-unit")),
        (json!({"authorization_files": ["someone-elses-file"]}), json!(null)),
    ] {
        let (s, body) = send(&app, &ent, Method::PUT, &format!("/api/projects/{id}/filing"), json!({"values": values, "lead_unit_id": lead, "version": version})).await;
        assert_eq!(s, 422, "{values} {lead}: {body}");
    }
    let (_, still) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    assert_eq!(still["filing"]["values"], after["filing"]["values"]);
    assert_eq!(still["filing"]["version"], *version);

    // A town outside the platform (a town with no body) is named at submission.
    let mut values = project_values(&view["filing"]["values"], "另一个项目");
    values["town"] = json!("442000101"); // 黄圃镇: no government body seeded
    let lead = lead_unit(&view);
    let (s, saved) = save(&app, &ent, &id, values.clone(), Some(&lead), version).await;
    assert_eq!(s, 200, "{saved}");
    let (s, refused) = submit(&app, &ent, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 422);
    assert!(refused["fields"][0]["message"].as_str().unwrap().contains("黄圃镇"), "{refused}");
    values["town"] = json!("442000"); // the city, not a town
    let (_, saved) = save(&app, &ent, &id, values, Some(&lead), &saved["filing"]["version"]).await;
    let (_, refused) = submit(&app, &ent, &id, &saved["filing"]["version"]).await;
    assert_eq!(refused["fields"][0]["message"], "「所属镇街」请选择到镇（街道）");
    // Another enterprise's user, and a reviewer, cannot touch it.
    let other = app.client_for("enterprise_demo").await;
    assert_eq!(save(&app, &other, &id, json!({}), None, version).await.0, 404);
}

/// 50 filings complete at the same moment (the city approves them all at once): 50 distinct numbers,
/// 0001 … 0050 of today's counter for the town.
async fn filing_numbers_are_unique_when_filings_complete_at_once(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let town = app.client_for("xiaolan_town_demo").await;
    let third = app.client_for("zhongshan_thirdparty_demo").await;
    let mut cases = Vec::new();
    for i in 0..50 {
        let (_, case_id) = filed(&app, &ent, &format!("并发备案项目{i}")).await;
        cases.push(case_id);
    }
    for reviewer in [&town, &third] {
        let mut items = Vec::new();
        for c in &cases {
            items.push(json!({"case_id": c, "version": get(&app, reviewer, &format!("/api/review/cases/{c}")).await.1["version"]}));
        }
        let (s, out) = send(&app, reviewer, Method::POST, "/api/review/tasks/batch-approve", json!({"items": items, "opinion": "同意"})).await;
        assert_eq!(s, 200, "{out}");
    }
    let city = app.client_for("zhongshan_admin").await;
    let mut versions = Vec::new();
    for c in &cases {
        versions.push(get(&app, &city, &format!("/api/review/cases/{c}")).await.1["version"].clone());
    }
    let runs = cases.iter().zip(versions).map(|(c, v)| {
        let city = city.clone();
        let url = app.url(&format!("/api/review/cases/{c}/actions"));
        async move { city.post(url).json(&json!({"action": "approve", "version": v, "opinion": "同意备案"})).send().await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(runs).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let list = json(ent.get(app.url("/api/projects")).send().await.unwrap()).await;
    let mut numbers: Vec<String> = list["items"].as_array().unwrap().iter().map(|p| p["filing_number"].as_str().unwrap().to_owned()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 50);
    let seqs: Vec<u32> = numbers.iter().map(|n| n[n.len() - 4..].parse().unwrap()).collect();
    assert_eq!(seqs, (1..=50).collect::<Vec<_>>(), "consecutive, no gaps");
}

/// Approves the filing at 镇街审核, 第三方初审 and 市工信复审.
async fn approve_filing(app: &TestApp, case_id: &str) {
    for reviewer in ["xiaolan_town_demo", "zhongshan_thirdparty_demo", "zhongshan_admin"] {
        act(app, &app.client_for(reviewer).await, case_id, "approve", "同意").await;
    }
}

/// 事前诊断 by 自诊断: once filed, the enterprise picks one of its own submitted results and its level is the
/// project's 改造前数字化水平等级; 是否逾期 counts `diagnosis_days` after filing.
async fn self_diagnosis_picks_an_assessment_result_after_filing(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    // A result of the enterprise's own (the manual's worked example: 二级（规范级）).
    let (s, _) = send(&app, &ent, Method::PUT, "/api/assessments/draft", json!({"answers": crate::assessment::example()})).await;
    assert_eq!(s, 200);
    let (s, result) = send(&app, &ent, Method::POST, "/api/assessments/draft/submit", json!({})).await;
    assert_eq!(s, 201, "{result}");
    let result_id = result["id"].as_str().unwrap().to_owned();
    // Another enterprise's result.
    let other = app.client_for("enterprise_demo").await;
    send(&app, &other, Method::PUT, "/api/assessments/draft", json!({"answers": crate::assessment::example()})).await;
    let (_, foreign) = send(&app, &other, Method::POST, "/api/assessments/draft/submit", json!({})).await;

    let (id, case_id) = filed(&app, &ent, "诊断测试项目").await;
    let (_, before) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    assert_eq!(before["diagnosis"]["status_label"], "备案完成后开始");
    assert_eq!(before["diagnosis"]["can_start"], false);
    assert_eq!(before["results"][0]["id"], result_id.as_str());
    assert_eq!(before["results"].as_array().unwrap().len(), 1, "only the enterprise's own results");
    let choose = |id: String, assessment: Value| {
        let (app, ent) = (&app, &ent);
        async move { send(app, ent, Method::PUT, &format!("/api/projects/{id}/diagnosis"), json!({"assessment_id": assessment})).await }
    };
    let (s, refused) = choose(id.clone(), json!(result_id)).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "项目备案完成后才能进行事前诊断"));

    approve_filing(&app, &case_id).await;
    let (_, listed) = get(&app, &ent, "/api/projects").await;
    let d = &listed["items"][0]["diagnosis"];
    assert_eq!((d["status_label"].as_str().unwrap(), d["mode"].as_str().unwrap(), d["can_start"].as_bool().unwrap(), d["overdue"].as_bool().unwrap()), ("待诊断", "自诊断", true, false));
    let deadline = (chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive() + chrono::Days::new(30)).format("%Y-%m-%d").to_string();
    assert_eq!(d["deadline"], deadline.as_str(), "30 days after 备案完成 by default");

    // Bad choices change nothing: another enterprise's result, an unknown one, a malformed body.
    for bad in [foreign["id"].clone(), json!("no-such-result")] {
        let (s, body) = choose(id.clone(), bad).await;
        assert_eq!(s, 422, "{body}");
        assert_eq!(body["fields"][0]["message"], "所选自评结果不存在，请重新选择");
    }
    let (s, _) = send(&app, &ent, Method::PUT, &format!("/api/projects/{id}/diagnosis"), json!({"assessment_id": 7})).await;
    assert_eq!(s, 422);
    assert_eq!(send(&app, &other, Method::PUT, &format!("/api/projects/{id}/diagnosis"), json!({"assessment_id": foreign["id"]})).await.0, 404, "another enterprise's project");
    let (_, still) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    assert_eq!(still["diagnosis"]["done"], false);

    let (s, chosen) = choose(id.clone(), json!(result_id)).await;
    assert_eq!(s, 200, "{chosen}");
    let d = &chosen["diagnosis"];
    assert_eq!((d["status_label"].as_str().unwrap(), d["level_label"].as_str().unwrap(), d["assessment_id"].as_str().unwrap()), ("已诊断", "二级（规范级）", result_id.as_str()));
    assert_eq!(d["overdue"], false);
    let audit = json(app.client_for("audit_admin").await.get(app.url("/api/audit?action=project_pre_diagnosis")).send().await.unwrap()).await;
    assert_eq!(audit["total"], 1, "{audit}");

    // Filed 40 days ago and diagnosed today: 逾期.
    let past = chrono::Utc::now() - chrono::Duration::days(40);
    app.exec("UPDATE projects SET filed_at = $1 WHERE id = $2", vec![past.into(), id.clone().into()]).await;
    let (_, late) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    assert_eq!(late["diagnosis"]["overdue"], true);

    // A project filed for 诊断机构诊断 has no self-assessment to choose.
    let (agency_id, _) = start(&app, &ent).await;
    let (_, v) = get(&app, &ent, &format!("/api/projects/{agency_id}")).await;
    let mut values = project_values(&v["filing"]["values"], "机构诊断项目");
    values["diagnosis_mode"] = json!("诊断机构诊断");
    let (_, saved) = save(&app, &ent, &agency_id, values, Some(&lead_unit(&v)), &v["filing"]["version"]).await;
    let (_, sent) = submit(&app, &ent, &agency_id, &saved["filing"]["version"]).await;
    approve_filing(&app, sent["filing"]["case_id"].as_str().unwrap()).await;
    let (s, refused) = choose(agency_id.clone(), json!(result_id)).await;
    assert_eq!(s, 409);
    assert!(refused["message"].as_str().unwrap().contains("诊断机构诊断"), "{refused}");
    let (_, agency) = get(&app, &ent, &format!("/api/projects/{agency_id}/diagnosis")).await;
    assert_eq!(agency["diagnosis"]["status_label"], "待选择诊断机构");
}

/// A project filed with `mode` (诊断方式) and approved: its id.
async fn filed_with_mode(app: &TestApp, c: &reqwest::Client, name: &str, mode: &str) -> String {
    let (id, v) = start(app, c).await;
    let mut values = project_values(&v["filing"]["values"], name);
    values["diagnosis_mode"] = json!(mode);
    let (s, saved) = save(app, c, &id, values, Some(&lead_unit(&v)), &v["filing"]["version"]).await;
    assert_eq!(s, 200, "{saved}");
    let (s, sent) = submit(app, c, &id, &saved["filing"]["version"]).await;
    assert_eq!(s, 200, "{sent}");
    approve_filing(app, sent["filing"]["case_id"].as_str().unwrap()).await;
    id
}

/// 诊断机构诊断 and 市工信局分配: the enterprise chooses the agency (twenty clicks at once make one task), or the
/// city of the project assigns it (no other city, no town); the agency writes the report, the enterprise returns
/// it once and confirms the revision, whose level becomes the project's 改造前数字化水平等级.
async fn an_agency_diagnoses_when_chosen_or_assigned_and_the_enterprise_confirms(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let agency = app.client_for("diagnosis_agency_demo").await;
    let id = filed_with_mode(&app, &ent, "机构诊断项目", "诊断机构诊断").await;

    let (s, view) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    assert_eq!(s, 200, "{view}");
    let d = &view["diagnosis"];
    assert_eq!((d["status_label"].as_str().unwrap(), d["can_choose_agency"].as_bool().unwrap(), d["can_start"].as_bool().unwrap()), ("待选择诊断机构", true, false));
    let names: Vec<&str> = view["agencies"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["中国信息通信研究院", "中国工业互联网研究院", "中国电子信息产业发展研究院", "工业和信息化部电子第五研究所", "国家工业信息安全发展研究中心"]);
    let agency_id = |name: &str| view["agencies"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap()["id"].as_str().unwrap().to_owned();
    let ours = agency_id("中国电子信息产业发展研究院");

    // Refused, and nothing created: an agency not offered (the third party of filings), a malformed body, an
    // agency with no account yet to receive the task.
    let choose = |agency: Value| {
        let (app, ent, id) = (&app, &ent, id.clone());
        async move { send(app, ent, Method::POST, &format!("/api/projects/{id}/diagnosis/agency"), json!({"agency_id": agency})).await }
    };
    let third_party = app.text("SELECT id AS v FROM organizations WHERE name = '中山市数字化转型第三方初审机构（演示）'").await;
    let (s, body) = choose(json!(third_party)).await;
    assert_eq!((s, body["fields"][0]["message"].as_str().unwrap()), (422, "请从列表中选择诊断机构"));
    assert_eq!(choose(json!(7)).await.0, 422);
    let (s, body) = choose(json!(agency_id("中国信息通信研究院"))).await;
    assert_eq!(s, 409);
    assert!(body["message"].as_str().unwrap().contains("尚未开通平台账号"), "{body}");
    assert_eq!(app.count("review_cases WHERE kind = 'diagnosis_report'").await, 0);

    // Twenty clicks at once: one task, and every answer shows it.
    let answers = futures::future::join_all((0..20).map(|_| choose(json!(ours)))).await;
    for (s, body) in &answers {
        assert_eq!(*s, 200, "{body}");
        assert_eq!(body["diagnosis"]["agency_name"], "中国电子信息产业发展研究院");
    }
    assert_eq!(app.count("review_cases WHERE kind = 'diagnosis_report'").await, 1);
    let (_, view) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    assert_eq!((view["diagnosis"]["status_label"].as_str().unwrap(), view["diagnosis"]["can_choose_agency"].as_bool().unwrap()), ("待诊断机构出具报告", false));
    let case_id = view["diagnosis"]["report_case_id"].as_str().unwrap().to_owned();
    assert_eq!(get(&app, &ent, &format!("/api/review/cases/{case_id}")).await.0, 404, "the agency's draft is its own");

    // The agency's 诊断任务.
    let (s, tasks) = get(&app, &agency, "/api/diagnosis-reports").await;
    assert_eq!(s, 200, "{tasks}");
    let t = &tasks["items"][0];
    assert_eq!((t["project_name"].as_str().unwrap(), t["mode"].as_str().unwrap(), t["status_label"].as_str().unwrap()), ("机构诊断项目", "诊断机构诊断", "待出具报告"));
    assert_eq!(t["enterprise_name"], "中山市小榄精工五金制品有限公司（演示）");
    assert_eq!(get(&app, &ent, &format!("/api/diagnosis-reports/{case_id}")).await.0, 403, "only agencies write reports");
    assert_eq!(get(&app, &app.client_for("zhongshan_thirdparty_demo").await, &format!("/api/diagnosis-reports/{case_id}")).await.0, 404, "another agency's task");
    let (_, task) = get(&app, &agency, &format!("/api/diagnosis-reports/{case_id}")).await;
    assert_eq!(task["editable"], true);
    let report_url = format!("/api/diagnosis-reports/{case_id}");
    let (s, refused) = send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": task["version"]})).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["values.report_files", "values.level", "values.opinion"]);
    // A draft keeps what was typed; the submission refuses an option the form does not have.
    let (s, kept) = send(&app, &agency, Method::PUT, &report_url, json!({"values": {"level": "五级"}, "version": task["version"]})).await;
    assert_eq!(s, 200, "{kept}");
    assert_eq!(kept["values"]["level"], "五级");
    let (s, refused) = send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": kept["version"]})).await;
    assert_eq!(s, 422);
    assert!(refused["fields"].as_array().unwrap().iter().any(|f| f["field"] == "values.level"), "{refused}");
    let task = kept;

    let file = upload(&app, &agency, "attachment", "改造前诊断报告.pdf", pdf()).await;
    let values = json!({"report_files": [file], "level": "二级（规范级）", "opinion": "已实现ERP，设备联网不足。"});
    let (s, saved) = send(&app, &agency, Method::PUT, &report_url, json!({"values": values, "version": task["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["file_names"][&file], "改造前诊断报告.pdf");
    let (s, sent) = send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!((sent["status_label"].as_str().unwrap(), sent["editable"].as_bool().unwrap()), ("待企业确认", false));

    // The enterprise reads the report on the case page and returns it; the agency revises it.
    let (_, listed) = get(&app, &ent, "/api/projects").await;
    let d = listed["items"].as_array().unwrap().iter().find(|p| p["id"] == id.as_str()).unwrap()["diagnosis"].clone();
    assert_eq!((d["status_label"].as_str().unwrap(), d["can_confirm"].as_bool().unwrap()), ("待企业确认诊断报告", true));
    let (s, case) = get(&app, &ent, &format!("/api/review/cases/{case_id}")).await;
    assert_eq!(s, 200, "{case}");
    assert!(case["fields"].as_array().unwrap().iter().any(|f| f["label"] == "改造前数字化水平等级" && f["value"] == "二级（规范级）"), "{case}");
    assert_eq!(get(&app, &app.client_for("enterprise_demo").await, &format!("/api/review/cases/{case_id}")).await.0, 404, "another enterprise");
    // A member given 项目管理 confirms as the administrator does; one given only 数字化诊断评估 does not.
    let (s, _) = send(&app, &ent, Method::POST, "/api/users", json!({"username": "xiaolan_clerk", "display_name": "项目专员", "phone": "13600002222",
        "password": "Zizhanghao#1", "permissions": ["projects"]})).await;
    assert_eq!(s, 201);
    let (s, _) = send(&app, &ent, Method::POST, "/api/users", json!({"username": "xiaolan_assessor", "display_name": "评测专员", "phone": "13600003333",
        "password": "Zizhanghao#1", "permissions": ["assessment"]})).await;
    assert_eq!(s, 201);
    let clerk = app.new_client();
    app.login_response(&clerk, "xiaolan_clerk", "Zizhanghao#1").await;
    let assessor = app.new_client();
    app.login_response(&assessor, "xiaolan_assessor", "Zizhanghao#1").await;
    let (s, todo) = get(&app, &clerk, "/api/review/tasks").await;
    assert_eq!(s, 200, "{todo}");
    assert_eq!(todo["items"][0]["case_id"], case_id.as_str(), "{todo}");
    assert_eq!(get(&app, &assessor, &format!("/api/review/cases/{case_id}")).await.0, 404);
    assert_eq!(get(&app, &assessor, "/api/review/tasks").await.0, 403);
    act(&app, &clerk, &case_id, "return", "报告缺少设备联网现状分析").await;
    let (_, task) = get(&app, &agency, &report_url).await;
    assert_eq!((task["status_label"].as_str().unwrap(), task["latest_opinion"].as_str().unwrap()), ("企业退回修改", "报告缺少设备联网现状分析"));
    let mut revised = values.clone();
    revised["level"] = json!("三级（集成级）");
    let (s, saved) = send(&app, &agency, Method::PUT, &report_url, json!({"values": revised, "version": task["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, _) = send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!(s, 200);
    act(&app, &ent, &case_id, "approve", "确认").await;
    let (_, view) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    let d = &view["diagnosis"];
    assert_eq!((d["status_label"].as_str().unwrap(), d["level_label"].as_str().unwrap(), d["done"].as_bool().unwrap()), ("已诊断", "三级（集成级）", true));
    assert_eq!(app.count(&format!("projects WHERE id = '{id}' AND pre_level = 3")).await, 1);
    let (_, tasks) = get(&app, &agency, "/api/diagnosis-reports").await;
    assert_eq!(tasks["items"][0]["status_label"], "企业已确认");

    // 市工信局分配: the enterprise cannot choose; the city of the project's town assigns, no other city or town.
    let assigned = filed_with_mode(&app, &ent, "分配诊断项目", "市工信局分配").await;
    let (s, refused) = send(&app, &ent, Method::POST, &format!("/api/projects/{assigned}/diagnosis/agency"), json!({"agency_id": ours})).await;
    assert_eq!(s, 409, "{refused}");
    let (_, waiting) = get(&app, &ent, &format!("/api/projects/{assigned}/diagnosis")).await;
    assert_eq!(waiting["diagnosis"]["status_label"], "待市工信局分配");
    let city = app.client_for("zhongshan_admin").await;
    let (s, list) = get(&app, &city, "/api/lifecycle/diagnosis-assignments").await;
    assert_eq!(s, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only 市工信局分配 projects: {list}");
    assert_eq!((items[0]["project_name"].as_str().unwrap(), items[0]["status_label"].as_str().unwrap()), ("分配诊断项目", "待市工信局分配"));
    let assign_url = format!("/api/lifecycle/diagnosis-assignments/{assigned}");
    let jiangmen = app.client_for("jiangmen_admin").await;
    let (_, theirs) = get(&app, &jiangmen, "/api/lifecycle/diagnosis-assignments").await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0, "another city sees none");
    assert_eq!(send(&app, &jiangmen, Method::POST, &assign_url, json!({"agency_id": ours})).await.0, 404);
    assert_eq!(send(&app, &app.client_for("xiaolan_town_demo").await, Method::POST, &assign_url, json!({"agency_id": ours})).await.0, 403, "a town does not assign");
    assert_eq!(send(&app, &ent, Method::POST, &assign_url, json!({"agency_id": ours})).await.0, 403);
    let (s, after) = send(&app, &city, Method::POST, &assign_url, json!({"agency_id": ours})).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!((after["items"][0]["agency_name"].as_str().unwrap(), after["items"][0]["status_label"].as_str().unwrap()), ("中国电子信息产业发展研究院", "待诊断机构出具报告"));
    let (_, tasks) = get(&app, &agency, "/api/diagnosis-reports").await;
    assert_eq!(tasks["items"][0]["mode"], "市工信局分配");
    let audit = json(app.client_for("audit_admin").await.get(app.url("/api/audit?action=project_diagnosis_agency")).send().await.unwrap()).await;
    assert_eq!(audit["total"], 2, "{audit}");
}

/// 信息变更 after filing: the filed record prefilled, refused while it changes nothing or moves the town,
/// reviewed by the city of the project's town (a return resumes), in effect only on approval, one open at a
/// time even when twenty tabs ask at once; the 项目备案号 stays.
async fn a_filed_project_changes_through_the_city_one_change_at_a_time(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let (id, case_id) = filed(&app, &ent, "变更前的项目名称").await;
    let change_url = format!("/api/projects/{id}/filing/change");
    let (s, early) = send(&app, &ent, Method::POST, &change_url, json!({})).await;
    assert_eq!((s, early["message"].as_str().unwrap()), (409, "项目尚未完成备案，备案前请直接修改备案内容"));
    approve_filing(&app, &case_id).await;
    let (_, filed_view) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    let number = filed_view["project"]["filing_number"].as_str().unwrap().to_owned();
    assert_eq!(filed_view["change"], Value::Null);

    // Twenty clicks at once open one change.
    let runs = (0..20).map(|_| {
        let (ent, url) = (ent.clone(), app.url(&change_url));
        async move {
            let res = ent.post(url).json(&json!({})).send().await.unwrap();
            (res.status().as_u16(), json(res).await)
        }
    });
    let opened = futures::future::join_all(runs).await;
    assert!(opened.iter().all(|(s, _)| *s == 200), "{opened:?}");
    let change_id = opened[0].1["change"]["case_id"].as_str().unwrap().to_owned();
    assert!(opened.iter().all(|(_, v)| v["change"]["case_id"] == change_id.as_str()), "every request opened the same change");
    assert_eq!(app.count("review_cases WHERE kind = 'filing_change'").await, 1);
    let change = &opened[0].1["change"];
    assert_eq!((change["status_label"].as_str().unwrap(), change["editable"].as_bool().unwrap()), ("待提交", true));
    assert_eq!(change["values"], filed_view["filing"]["values"], "prefilled with the filed record");

    // Unchanged: refused. The town moved: refused. Neither changes what was saved.
    let submit_change = |version: Value| {
        let (app, ent, url) = (&app, &ent, format!("{change_url}/submit"));
        async move { send(app, ent, Method::POST, &url, json!({"version": version})).await }
    };
    let (s, refused) = submit_change(change["version"].clone()).await;
    assert_eq!((s, refused["fields"][0]["message"].as_str().unwrap()), (422, "未修改任何内容，无需提交信息变更"));
    let mut values = change["values"].clone();
    values["town"] = json!("442000103");
    let (s, saved) = send(&app, &ent, Method::PUT, &change_url, json!({"values": values, "lead_unit_id": change["lead_unit_id"], "version": change["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, refused) = submit_change(saved["change"]["version"].clone()).await;
    assert_eq!(s, 422, "{refused}");
    assert!(refused["fields"].as_array().unwrap().iter().any(|f| f["field"] == "values.town" && f["message"].as_str().unwrap().starts_with("「所属镇街」备案后不能")), "{refused}");
    // A client cannot pass its own 「original」: the server keeps the filed record the change started from.
    values = change["values"].clone();
    values["project_name"] = json!("变更后的项目名称");
    values["planned_investment"] = json!("150");
    let (s, saved) = send(&app, &ent, Method::PUT, &change_url, json!({"values": values, "lead_unit_id": change["lead_unit_id"], "version": saved["change"]["version"], "original": {"values": values}})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, sent) = submit_change(saved["change"]["version"].clone()).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!(sent["change"]["status_label"], "市工信审核中");
    assert_eq!(sent["project"]["name"], "变更前的项目名称", "not in effect before approval");
    assert_eq!(sent["filing"]["values"]["project_name"], "变更前的项目名称");

    // The city of the project's town reviews; the town and the third party are not asked; the reviewer reads
    // what changed. A return is edited and resubmitted.
    assert_eq!(json(app.client_for("xiaolan_town_demo").await.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 0);
    let city = app.client_for("zhongshan_admin").await;
    let (_, case) = get(&app, &city, &format!("/api/review/cases/{change_id}")).await;
    assert_eq!(case["title"], "项目备案信息变更：变更后的项目名称");
    let rows = case["fields"].as_array().unwrap();
    let row = |key: &str| rows.iter().find(|r| r["key"] == key).map(|r| r["value"].as_str().unwrap().to_owned()).unwrap();
    assert_eq!(row("values.project_name"), "变更后的项目名称（原：变更前的项目名称）");
    assert!(!row("values.summary").contains("原："), "unchanged rows read as they are");
    act(&app, &city, &change_id, "return", "请补充变更原因").await;
    let (_, back) = get(&app, &ent, &format!("/api/projects/{change_id}")).await;
    assert_eq!(back["project"]["id"], id.as_str(), "the change's case id opens its project");
    assert_eq!((back["change"]["editable"].as_bool().unwrap(), back["change"]["latest_opinion"].as_str().unwrap()), (true, "请补充变更原因"));
    let (s, sent) = submit_change(back["change"]["version"].clone()).await;
    assert_eq!(s, 200, "{sent}");
    act(&app, &city, &change_id, "approve", "同意变更").await;

    let (_, after) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    assert_eq!(after["project"]["name"], "变更后的项目名称");
    assert_eq!(after["filing"]["values"]["planned_investment"], "150", "the filed record is the approved change");
    assert_eq!(after["change"]["status_label"], "已通过，已生效");
    assert_eq!(after["project"]["filing_number"], number.as_str(), "the 项目备案号 never changes");
    let (s, _) = send(&app, &ent, Method::PUT, &change_url, json!({"values": values, "version": after["change"]["version"]})).await;
    assert_eq!(s, 409, "a closed change takes no saves");

    // The next change starts from the changed record; a rejected one leaves it as it was.
    let (_, next) = send(&app, &ent, Method::POST, &change_url, json!({})).await;
    let next_id = next["change"]["case_id"].as_str().unwrap().to_owned();
    assert_ne!(next_id, change_id);
    assert_eq!(next["change"]["values"]["project_name"], "变更后的项目名称");
    let mut again = next["change"]["values"].clone();
    again["project_name"] = json!("被驳回的名称");
    let (_, saved) = send(&app, &ent, Method::PUT, &change_url, json!({"values": again, "lead_unit_id": next["change"]["lead_unit_id"], "version": next["change"]["version"]})).await;
    submit_change(saved["change"]["version"].clone()).await;
    act(&app, &city, &next_id, "reject", "不同意变更").await;
    let (_, last) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    assert_eq!((last["project"]["name"].as_str().unwrap(), last["change"]["status_label"].as_str().unwrap()), ("变更后的项目名称", "未通过"));

    // Another enterprise cannot start or save one.
    let other = app.client_for("enterprise_demo").await;
    assert_eq!(send(&app, &other, Method::POST, &change_url, json!({})).await.0, 404);
}

/// 是否逾期 "against a deadline set by the city": 中山 sets 10 days and its projects read it at once; another
/// city keeps the platform's default; bad values and bodies other than a city bureau's change nothing.
async fn a_city_sets_the_diagnosis_deadline_of_its_towns(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let id = filed_with_mode(&app, &ent, "期限测试项目", "自诊断").await;
    let china_today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
    let day = |n: u64| (china_today + chrono::Days::new(n)).format("%Y-%m-%d").to_string();
    async fn slot_of(app: &TestApp, ent: &reqwest::Client, id: &str) -> Value {
        get(app, ent, &format!("/api/projects/{id}/diagnosis")).await.1["diagnosis"].clone()
    }
    assert_eq!(slot_of(&app, &ent, &id).await["deadline"], day(30).as_str(), "the platform's default");

    let city = app.client_for("zhongshan_admin").await;
    let (s, settings) = get(&app, &city, "/api/lifecycle/settings").await;
    assert_eq!(s, 200, "{settings}");
    assert_eq!((settings["diagnosis_days"].as_u64(), settings["customized"].as_bool(), settings["city_code"].as_str()), (Some(30), Some(false), Some("442000")));
    for bad in [json!({"diagnosis_days": -1}), json!({"diagnosis_days": 366}), json!({"diagnosis_days": "十"}), json!({"diagnosis_days": 2.5}), json!({})] {
        let (s, body) = send(&app, &city, Method::PUT, "/api/lifecycle/settings", bad.clone()).await;
        assert_eq!(s, 422, "{bad}: {body}");
    }
    let (s, body) = send(&app, &city, Method::PUT, "/api/lifecycle/settings", json!({"diagnosis_days": 366})).await;
    assert_eq!((s, body["fields"][0]["message"].as_str().unwrap()), (422, "事前诊断期限应为 0 至 365 天（0 为不设期限）"));
    for (who, status) in [("xiaolan_town_demo", 403), (ENTERPRISE, 403), ("zhongshan_thirdparty_demo", 403)] {
        let c = app.client_for(who).await;
        assert_eq!(send(&app, &c, Method::PUT, "/api/lifecycle/settings", json!({"diagnosis_days": 1})).await.0, status, "{who}");
    }
    assert_eq!(app.count("lifecycle_city_settings").await, 0, "nothing refused was stored");

    let (s, saved) = send(&app, &city, Method::PUT, "/api/lifecycle/settings", json!({"diagnosis_days": 10})).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!((saved["diagnosis_days"].as_u64(), saved["customized"].as_bool()), (Some(10), Some(true)));
    assert_eq!(slot_of(&app, &ent, &id).await["deadline"], day(10).as_str(), "the city's deadline, at once");
    // Filed 12 days ago: late by the city's 10 days, in time by the default 30.
    let past = chrono::Utc::now() - chrono::Duration::days(12);
    app.exec("UPDATE projects SET filed_at = $1 WHERE id = $2", vec![past.into(), id.clone().into()]).await;
    assert_eq!(slot_of(&app, &ent, &id).await["overdue"], true);
    let (_, listed) = get(&app, &city, "/api/lifecycle/diagnosis-assignments").await;
    assert!(listed["items"].as_array().unwrap().is_empty(), "自诊断 projects are not the city's to assign");
    // 0 = no deadline; another city's setting does not touch Zhongshan's projects.
    let (s, _) = send(&app, &app.client_for("jiangmen_admin").await, Method::PUT, "/api/lifecycle/settings", json!({"diagnosis_days": 1})).await;
    assert_eq!(s, 200);
    let (s, _) = send(&app, &city, Method::PUT, "/api/lifecycle/settings", json!({"diagnosis_days": 0})).await;
    assert_eq!(s, 200);
    let d = slot_of(&app, &ent, &id).await;
    assert_eq!((d["deadline"].is_null(), d["overdue"].as_bool()), (true, Some(false)), "{d}");
    let audit = json(app.client_for("audit_admin").await.get(app.url("/api/audit?action=lifecycle_settings_update")).send().await.unwrap()).await;
    assert_eq!(audit["total"], 3, "{audit}");
}

fn signing_values(pre: &Value, contract_pdf: &str) -> Value {
    let mut v = pre.clone();
    v["acceptance_date"] = json!("2026-03-31");
    v["chain_leader"] = json!(false);
    v["contracts"] = json!([
        {"contract_no": "HT-2025-001", "amount": "30.5", "provider": "惠州市飞讯软件服务有限公司", "contract_file": [contract_pdf], "subsidy_amount": "20"},
        {"contract_no": "HT-2025-002", "amount": "12.345678", "provider": "惠州市飞讯软件服务有限公司", "contract_file": [contract_pdf], "subsidy_amount": "12.345678"}
    ]);
    v["assisted"] = json!(false);
    v["demands"] = json!([{"scene": "生产管控", "description": "车间报工靠纸质单据", "analysis": "数据滞后，需要实时采集"}]);
    v
}

fn signed_product(id: &str, price: &str) -> Value {
    json!({"product_id": id, "cloud": "公有云", "agent": false, "intro": "上线MES，设备联网", "start": "2025-06-01", "end": "2025-12-31",
        "purchase_mode": "按年订阅", "price": price, "scene": "生产管控", "scene_description": "报工、质检数据实时采集"})
}

/// 项目签约 (spec 40 §2): created once the filing completes, prefilled from it; contracts with their PDFs and
/// exact 万元; products only from the chosen lead unit's pool and never above 最高入库价格; each refusal named
/// and changing nothing; saves of one version race to one winner; with 协助填写 = 是 the lead unit it was sent to
/// (and no other) writes only 牵引单位信息 from its own pool, and the enterprise's 确认提交 signs and opens
/// 项目实施-改造中.
async fn signing_takes_contracts_and_pool_products_and_the_lead_unit_assists_when_asked(app: TestApp) {
    app.seed_demo().await;
    let products = crate::providers::pooled_products(&app, &["智造MES", "云ERP"]).await;
    let (mes, erp) = (products[0].clone(), products[1].clone());
    let ent = app.client_for(ENTERPRISE).await;
    let lead1 = app.text("SELECT id AS v FROM organizations WHERE name = '江门市智能制造数字化牵引单位（演示）'").await;
    let lead2 = app.text("SELECT id AS v FROM organizations WHERE name = '江门市五金卫浴数字化牵引单位（演示）'").await;

    // Not before the filing completes.
    let (draft_id, _) = start(&app, &ent).await;
    let (s, body) = get(&app, &ent, &format!("/api/projects/{draft_id}/signing")).await;
    assert_eq!((s, body["message"].as_str().unwrap()), (409, "项目备案完成后才能签约"));

    let id = filed_with_mode(&app, &ent, "签约项目", "自诊断").await;
    let url = format!("/api/projects/{id}/signing");
    // Two first openings at once: one signing.
    let opened = futures::future::join_all((0..5).map(|_| get(&app, &ent, &url))).await;
    assert!(opened.iter().all(|(s, _)| *s == 200), "{opened:?}");
    assert_eq!(app.count(&format!("project_signings WHERE project_id = '{id}'")).await, 1);
    let view = &opened[0].1;
    assert_eq!((view["status"].as_str().unwrap(), view["status_label"].as_str().unwrap(), view["assist_label"].as_str().unwrap()), ("draft", "待签约", "未选择协助"));
    let pre = &view["values"];
    assert_eq!((pre["project_name"].as_str().unwrap(), pre["target_level"].as_str().unwrap()), ("签约项目", "二级"));
    assert_eq!(pre["period"], json!({"start": "2025-05-01", "end": "2025-12-31"}));
    assert_eq!(view["lead_unit_name"], "中山市五金家电数字化牵引单位（演示）", "the filing's 意向行业型服务商");
    let (s, list) = get(&app, &ent, "/api/signings").await;
    assert_eq!(s, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");

    let contract = upload(&app, &ent, "attachment", "项目合同.pdf", pdf()).await;
    let values = signing_values(pre, &contract);
    let put = |body: Value| {
        let (app, ent, url) = (&app, &ent, url.clone());
        async move { send(app, ent, Method::PUT, &url, body).await }
    };
    // A product outside the chosen lead unit's pool, a malformed price: refused, nothing stored.
    let version = view["version"].clone();
    let (s, body) = put(json!({"values": values, "products": [signed_product(&mes, "10")], "lead_unit_id": lead2, "version": version})).await;
    assert_eq!((s, body["fields"][0]["field"].as_str().unwrap()), (422, "products[0].product_id"), "{body}");
    assert!(body["message"].as_str().unwrap().contains("不在所选牵引单位的产品池中"), "{body}");
    let (s, body) = put(json!({"values": values, "products": [signed_product(&mes, "十万")], "lead_unit_id": lead1, "version": version})).await;
    assert_eq!((s, body["fields"][0]["field"].as_str().unwrap()), (422, "products[0].price"), "{body}");
    let (s, body) = put(json!({"values": {"contracts": "many"}, "products": [], "lead_unit_id": lead1, "version": version})).await;
    assert_eq!(s, 422, "{body}");
    let (_, same) = get(&app, &ent, &url).await;
    assert_eq!(same["version"], version);

    // Saved incomplete (a product without its details) from the lead unit's pool; contract amounts exact.
    let (s, saved) = put(json!({"values": values, "products": [{"product_id": mes}], "lead_unit_id": lead1, "version": version})).await;
    assert_eq!(s, 200, "{saved}");
    let p = &saved["products"][0];
    assert_eq!((p["name"].as_str().unwrap(), p["provider_name"].as_str().unwrap(), p["price_max"].as_str().unwrap()), ("智造MES", "惠州市飞讯软件服务有限公司", "20"));
    assert_eq!(p["provider_uscc"].as_str().map(str::len), Some(18));
    assert_eq!(saved["values"]["contracts_total"], "42.845678", "computed, exact");
    assert_eq!(saved["ecosystem_providers"], json!(["惠州市飞讯软件服务有限公司"]));
    assert_eq!(saved["file_names"][&contract], "项目合同.pdf");

    // 提交 names every missing field and changes nothing.
    let mut missing = values.clone();
    missing["contracts"][1]["contract_file"] = json!([]);
    missing["demands"] = json!([]);
    let (s, body) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"values": missing, "products": [{"product_id": mes}], "lead_unit_id": lead1, "version": saved["version"]})).await;
    assert_eq!(s, 422, "{body}");
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["values.contracts[1].contract_file", "values.demands", "products[0].cloud", "products[0].price", "products[0].agent"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    // Above 最高入库价格, 纳入奖补 above the contract, 协助 without a lead unit: each named.
    let mut over = values.clone();
    over["contracts"][0]["subsidy_amount"] = json!("31");
    let (s, body) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"values": over, "products": [signed_product(&mes, "20.000001")], "lead_unit_id": lead1, "version": saved["version"]})).await;
    assert_eq!(s, 422, "{body}");
    let messages: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("签约价格20.000001万元高于最高入库价格20万元")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("纳入资金奖补项目金额不能大于合同总金额")), "{messages:?}");
    let mut alone = values.clone();
    alone["assisted"] = json!(true);
    let (s, body) = send(&app, &ent, Method::POST, &format!("{url}/send"), json!({"values": alone, "products": [], "lead_unit_id": null, "version": saved["version"]})).await;
    assert_eq!((s, body["fields"][0]["field"].as_str().unwrap()), (422, "lead_unit_id"), "{body}");
    let (_, same) = get(&app, &ent, &url).await;
    assert_eq!((same["version"].clone(), same["status"].as_str().unwrap()), (saved["version"].clone(), "draft"));

    // Ten saves of one version at once: one wins, the others are told to reload.
    let racing = futures::future::join_all((0..10).map(|_| put(json!({"values": values, "products": [{"product_id": mes}], "lead_unit_id": lead1, "version": saved["version"]})))).await;
    let won: Vec<u16> = racing.iter().map(|(s, _)| *s).collect();
    assert_eq!(won.iter().filter(|s| **s == 200).count(), 1, "{won:?}");
    assert!(won.iter().all(|s| *s == 200 || *s == 409), "{won:?}");
    let (_, now) = get(&app, &ent, &url).await;

    // 协助填写 = 是: sent to LEAD1, which alone sees it and writes only 牵引单位信息 from its own pool.
    let mut asked = values.clone();
    asked["assisted"] = json!(true);
    asked["demands"] = json!([]);
    let (s, sent) = send(&app, &ent, Method::POST, &format!("{url}/send"), json!({"values": asked, "products": [], "lead_unit_id": lead1, "version": now["version"]})).await;
    assert_eq!(s, 200, "{sent}");
    assert_eq!((sent["status_label"].as_str().unwrap(), sent["assist_label"].as_str().unwrap(), sent["can_edit"].as_bool().unwrap()), ("牵引单位填写中", "牵引单位填写中", false));
    let (s, _) = put(json!({"values": asked, "products": [], "lead_unit_id": lead1, "version": sent["version"]})).await;
    assert_eq!(s, 409, "the enterprise waits while the lead unit writes");
    let other_lead = app.client_for("leadunit2_demo").await;
    assert_eq!(get(&app, &other_lead, &url).await.0, 404);
    assert_eq!(get(&app, &other_lead, "/api/signings").await.1["items"], json!([]));
    assert_eq!(get(&app, &app.client_for("enterprise_demo").await, &url).await.0, 404, "another enterprise");
    let lead = app.client_for("leadunit_demo").await;
    let (s, list) = get(&app, &lead, "/api/signings").await;
    assert_eq!((s, list["items"][0]["project_name"].as_str().unwrap(), list["items"][0]["actionable"].as_bool().unwrap()), (200, "签约项目", true));
    let (s, lv) = get(&app, &lead, &url).await;
    assert_eq!((s, lv["viewer"].as_str().unwrap(), lv["can_edit_lead_part_only"].as_bool().unwrap()), (200, "lead_unit", true));
    let mut theirs = lv["values"].clone();
    theirs["project_name"] = json!("牵引单位改的名称");
    theirs["demands"] = json!([{"scene": "质量管理", "description": "质检靠人工", "analysis": "漏检率高"}, {"scene": "生产管控", "description": "报工滞后", "analysis": "需实时采集"}]);
    let lead_put = |products: Value, version: Value| {
        let (app, lead, url, body) = (&app, &lead, url.clone(), json!({"values": theirs, "products": products, "lead_unit_id": lead2.clone(), "version": version}));
        async move { send(app, lead, Method::PUT, &url, body).await }
    };
    let (s, body) = lead_put(json!([{"product_id": "not-a-product"}]), lv["version"].clone()).await;
    assert_eq!((s, body["fields"][0]["field"].as_str().unwrap()), (422, "products[0].product_id"), "{body}");
    let mut erp_row = signed_product(&erp, "8.5");
    erp_row["scene"] = json!("质量管理");
    let (s, mine) = lead_put(json!([signed_product(&mes, "15"), erp_row]), lv["version"].clone()).await;
    assert_eq!(s, 200, "{mine}");
    assert_eq!(mine["values"]["project_name"], "签约项目", "the lead unit writes only 牵引单位信息");
    assert_eq!(mine["lead_unit_id"].as_str().unwrap(), lead1, "nor changes who assists");
    let (s, back) = send(&app, &lead, Method::POST, &format!("{url}/submit"), json!({"values": mine["values"], "products": mine["products"], "version": mine["version"]})).await;
    assert_eq!(s, 200, "{back}");
    assert_eq!(back["status_label"], "待企业确认");

    // The enterprise checks, keeps the lead unit's part and 确认提交: 已签约, and 项目实施-改造中 opens.
    let (_, mine) = get(&app, &ent, &url).await;
    assert_eq!((mine["status"].as_str().unwrap(), mine["assist_label"].as_str().unwrap(), mine["can_submit"].as_bool().unwrap()), ("assisted", "牵引单位已提交", true));
    assert_eq!(mine["products"].as_array().unwrap().len(), 2);
    let (s, signed) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"values": mine["values"], "products": mine["products"], "lead_unit_id": lead1, "version": mine["version"]})).await;
    assert_eq!(s, 200, "{signed}");
    assert_eq!((signed["status_label"].as_str().unwrap(), signed["can_edit"].as_bool().unwrap()), ("已签约", false));
    assert!(signed["signed_at"].is_string());
    assert_eq!(app.text(&format!("SELECT stage AS v FROM projects WHERE id = '{id}'")).await, "implementation");
    let (s, again) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"values": mine["values"], "products": mine["products"], "version": signed["version"]})).await;
    assert_eq!((s, again["message"].as_str().unwrap()), (409, "项目已签约：如需修改，请点击「信息变更」"));
    assert_eq!(app.count(&format!("audit_log WHERE object_id = '{id}' AND action IN ('project_signing_send', 'project_signing_assist', 'project_signing_submit')")).await, 3);
}

/// A project filed, approved and signed by the enterprise itself (two contracts: HT-2025-001, HT-2025-002).
pub(crate) async fn signed_project(app: &TestApp, ent: &reqwest::Client, name: &str) -> String {
    let products = crate::providers::pooled_products(app, &["智造MES"]).await;
    let id = filed_with_mode(app, ent, name, "自诊断").await;
    sign(app, ent, &id, &products[0]).await;
    id
}

/// Signs the filed project `id` with one contract and the pooled product `product`.
async fn sign(app: &TestApp, ent: &reqwest::Client, id: &str, product: &str) {
    let lead1 = app.text("SELECT id AS v FROM organizations WHERE name = '江门市智能制造数字化牵引单位（演示）'").await;
    let url = format!("/api/projects/{id}/signing");
    let (_, view) = get(app, ent, &url).await;
    let contract = upload(app, ent, "attachment", "项目合同.pdf", pdf()).await;
    let body = json!({"values": signing_values(&view["values"], &contract), "products": [signed_product(product, "12")], "lead_unit_id": lead1, "version": view["version"]});
    let (s, signed) = send(app, ent, Method::POST, &format!("{url}/submit"), body).await;
    assert_eq!((s, signed["status"].as_str()), (200, Some("signed")), "{signed}");
}

/// 预奖补 (spec 40): only after signing, for signed contracts only, one live application per contract even when
/// five start at once; the three stamped PDFs (templates served) named when missing; the city of the project's
/// town returns it (退回重填), the enterprise resubmits, the city approves (已审核); a rejected one (审核不通过)
/// gives its contract back. Another city never sees it.
async fn presubsidy_covers_signed_contracts_and_is_returned_approved_or_rejected(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let unsigned = filed_with_mode(&app, &ent, "未签约项目", "自诊断").await;
    let (s, body) = send(&app, &ent, Method::POST, &format!("/api/projects/{unsigned}/presubsidies"), json!({"contracts": ["HT-2025-001"]})).await;
    assert_eq!((s, body["message"].as_str().unwrap()), (409, "项目签约提交后才能申请预奖补"));

    let id = signed_project(&app, &ent, "预奖补项目").await;
    let list = format!("/api/projects/{id}/presubsidies");
    let (s, overview) = get(&app, &ent, &list).await;
    assert_eq!((s, overview["signed"].as_bool().unwrap()), (200, true), "{overview}");
    let nos: Vec<&str> = overview["contracts"].as_array().unwrap().iter().map(|c| c["contract_no"].as_str().unwrap()).collect();
    assert_eq!(nos, ["HT-2025-001", "HT-2025-002"]);
    for (bad, message) in [(json!([]), "请选择申请预奖补的合同"), (json!(["HT-9999"]), "合同「HT-9999」不是本项目已签约的合同")] {
        let (s, body) = send(&app, &ent, Method::POST, &list, json!({"contracts": bad})).await;
        assert_eq!((s, body["message"].as_str().unwrap()), (422, message));
    }
    assert_eq!(send(&app, &ent, Method::POST, &list, json!({"contracts": "HT-2025-001"})).await.0, 422);

    // Five applications for the same contract at once: one.
    let started = futures::future::join_all((0..5).map(|_| send(&app, &ent, Method::POST, &list, json!({"contracts": ["HT-2025-001"]})))).await;
    let codes: Vec<u16> = started.iter().map(|(s, _)| *s).collect();
    assert_eq!(codes.iter().filter(|s| **s == 201).count(), 1, "{codes:?}");
    assert!(codes.iter().all(|s| *s == 201 || *s == 409), "{codes:?}");
    let case_id = started.iter().find(|(s, _)| *s == 201).unwrap().1["case_id"].as_str().unwrap().to_owned();
    let page = format!("/api/presubsidies/{case_id}");
    let (s, view) = get(&app, &ent, &page).await;
    assert_eq!((s, view["status_label"].as_str().unwrap(), view["subsidy_total"].as_str().unwrap()), (200, "待提交", "20"), "{view}");

    // The templates are PDFs.
    for t in ["presubsidy-application", "presubsidy-commitment"] {
        let res = ent.get(app.url(&format!("/api/projects/templates/{t}.pdf"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    }
    // 提交 with a material missing: named, nothing changes.
    let form_pdf = upload(&app, &ent, "attachment", "入库申报表.pdf", pdf()).await;
    let promise = upload(&app, &ent, "attachment", "承诺书.pdf", pdf()).await;
    let credit = upload(&app, &ent, "attachment", "信用报告.pdf", pdf()).await;
    let (s, saved) = send(&app, &ent, Method::PUT, &page, json!({"values": {"application_form": [form_pdf], "commitment": [promise]}, "version": view["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, body) = send(&app, &ent, Method::POST, &format!("{page}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!((s, body["fields"][0]["field"].as_str().unwrap()), (422, "values.credit_report"), "{body}");
    let (s, saved) = send(&app, &ent, Method::PUT, &page, json!({"values": {"application_form": [form_pdf], "commitment": [promise], "credit_report": [credit]}, "version": saved["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, sent) = send(&app, &ent, Method::POST, &format!("{page}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!((s, sent["status_label"].as_str().unwrap()), (200, "审核中"), "{sent}");

    // Another city never sees it; the project's city returns it, and after the resubmission approves it.
    assert_eq!(get(&app, &app.client_for("jiangmen_admin").await, &format!("/api/review/cases/{case_id}")).await.0, 404);
    let city = app.client_for("zhongshan_admin").await;
    let (s, case) = get(&app, &city, &format!("/api/review/cases/{case_id}")).await;
    assert_eq!(s, 200, "{case}");
    assert!(case.to_string().contains("HT-2025-001"), "the reviewer reads the contract: {case}");
    act(&app, &city, &case_id, "return", "信用报告需加盖公章").await;
    let (_, back) = get(&app, &ent, &page).await;
    assert_eq!((back["status_label"].as_str().unwrap(), back["latest_opinion"].as_str().unwrap(), back["editable"].as_bool().unwrap()), ("退回重填", "信用报告需加盖公章", true));
    let stamped = upload(&app, &ent, "attachment", "信用报告（盖章）.pdf", pdf()).await;
    let (s, saved) = send(&app, &ent, Method::PUT, &page, json!({"values": {"application_form": [form_pdf], "commitment": [promise], "credit_report": [stamped]}, "version": back["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, _) = send(&app, &ent, Method::POST, &format!("{page}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!(s, 200);
    act(&app, &city, &case_id, "approve", "同意").await;
    let (_, done) = get(&app, &ent, &page).await;
    assert_eq!((done["status_label"].as_str().unwrap(), done["editable"].as_bool().unwrap()), ("已审核", false));

    // The other contract: rejected (审核不通过), then free to apply for again.
    let (s, second) = send(&app, &ent, Method::POST, &list, json!({"contracts": ["HT-2025-002"]})).await;
    assert_eq!(s, 201, "{second}");
    let second = second["case_id"].as_str().unwrap().to_owned();
    let (_, v) = get(&app, &ent, &format!("/api/presubsidies/{second}")).await;
    let (_, v) = send(&app, &ent, Method::PUT, &format!("/api/presubsidies/{second}"), json!({"values": {"application_form": [form_pdf], "commitment": [promise], "credit_report": [credit]}, "version": v["version"]})).await;
    let (s, _) = send(&app, &ent, Method::POST, &format!("/api/presubsidies/{second}/submit"), json!({"version": v["version"]})).await;
    assert_eq!(s, 200);
    act(&app, &city, &second, "reject", "合同金额与发票不符").await;
    let (_, overview) = get(&app, &ent, &list).await;
    let labels: Vec<&str> = overview["applications"].as_array().unwrap().iter().map(|a| a["status_label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"已审核") && labels.contains(&"审核不通过"), "{labels:?}");
    assert_eq!(send(&app, &ent, Method::POST, &list, json!({"contracts": ["HT-2025-002"]})).await.0, 201, "a rejected application gives its contract back");
    assert_eq!(send(&app, &ent, Method::POST, &list, json!({"contracts": ["HT-2025-001"]})).await.0, 409, "an approved one keeps it");

    // 信息变更 of the signed project (no review): checked as at 提交; a contract claimed by a live application
    // keeps its number and amounts; a change of nothing is refused; nothing changes on a refusal.
    let url = format!("/api/projects/{id}/signing");
    let (_, signed) = get(&app, &ent, &url).await;
    assert_eq!((signed["can_change"].as_bool(), signed["can_edit"].as_bool()), (Some(true), Some(false)), "{signed}");
    assert_eq!(send(&app, &ent, Method::PUT, &url, json!({"values": signed["values"], "products": signed["products"], "version": signed["version"]})).await.0, 409, "保存 is over once signed");
    let change = format!("{url}/change");
    let body = |values: &Value| json!({"values": values, "products": signed["products"], "version": signed["version"]});
    let (s, same) = send(&app, &ent, Method::POST, &change, body(&signed["values"])).await;
    assert_eq!((s, same["message"].as_str().unwrap()), (422, "没有修改任何内容"));
    let mut claimed = signed["values"].clone();
    claimed["contracts"][0]["amount"] = json!("31");
    let (s, refused) = send(&app, &ent, Method::POST, &change, body(&claimed)).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (422, "合同「HT-2025-001」已用于预奖补申请，不能删除或修改其编号与金额"), "{refused}");
    assert_eq!(refused["fields"][0]["field"], "values.contracts[0].amount");
    let mut removed = signed["values"].clone();
    removed["contracts"].as_array_mut().unwrap().remove(0);
    let (s, refused) = send(&app, &ent, Method::POST, &change, body(&removed)).await;
    assert_eq!((s, refused["fields"][0]["field"].as_str().unwrap()), (422, "values.contracts"), "a claimed contract cannot go: {refused}");
    let mut emptied = signed["values"].clone();
    emptied["acceptance_date"] = Value::Null;
    let (s, refused) = send(&app, &ent, Method::POST, &change, body(&emptied)).await;
    assert_eq!((s, refused["fields"][0]["field"].as_str().unwrap()), (422, "values.acceptance_date"), "{refused}");
    let mut changed = signed["values"].clone();
    changed["acceptance_date"] = json!("2026-06-30");
    changed["contracts"][1]["provider"] = json!("中山市智汇五金云科技有限公司（演示）"); // not what the claim rests on
    let (s, after) = send(&app, &ent, Method::POST, &change, body(&changed)).await;
    assert_eq!((s, after["status"].as_str(), after["values"]["acceptance_date"].as_str()), (200, Some("signed"), Some("2026-06-30")), "{after}");
    assert_eq!(after["values"]["contracts_total"].as_str(), Some("42.845678"), "{after}");
    changed["acceptance_date"] = json!("2026-07-31");
    let (s, stale) = send(&app, &ent, Method::POST, &change, body(&changed)).await;
    assert_eq!(s, 409, "the version it was read at is gone: {stale}");
    let audited = app.text("SELECT detail AS v FROM audit_log WHERE action = 'project_signing_change'").await;
    assert!(audited.contains("项目拟验收时间") && audited.contains("合同"), "{audited}");
    // The lead unit has nothing to change; the city cannot reach the signing.
    assert_eq!(send(&app, &app.client_for("leadunit_demo").await, Method::POST, &change, body(&changed)).await.0, 403);
}

/// `seed-demo` puts two products of the Zhongshan demo provider into the Zhongshan lead unit's pool through the
/// real reviews (首次申报 → 产品入库申请 at its three stages), once however often it runs; the Zhongshan enterprise
/// finds them when it signs with that lead unit, and signs.
async fn the_demo_fills_the_zhongshan_pool_through_review_so_a_newcomer_can_sign(app: TestApp) {
    app.seed_demo().await;
    assert_eq!(shuzhuan::seed::pool::seed_pool(&app.state).await.unwrap(), 2);
    assert_eq!(shuzhuan::seed::pool::seed_pool(&app.state).await.unwrap(), 0, "seeding again adds nothing");
    let lead = app.client_for("zhongshan_leadunit_demo").await;
    let (_, pool) = get(&app, &lead, "/api/lead-units/me/pool").await;
    let mut names: Vec<&str> = pool["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["五金件智能排产MES（演示）", "设备联网与能耗监测（演示）"], "{pool}");
    assert!(pool["items"].as_array().unwrap().iter().all(|p| p["code"].is_string()), "approved products have codes: {pool}");
    // The provider sees its product applications approved, with the trail the reviewers left.
    let provider = app.client_for("zhongshan_provider_demo").await;
    let (_, cases) = get(&app, &provider, "/api/review/cases?kind=product_entry").await;
    assert_eq!(cases["items"].as_array().unwrap().iter().filter(|c| c["status"] == "approved").count(), 2, "{cases}");

    let ent = app.client_for(ENTERPRISE).await;
    let lead_id = app.text("SELECT id AS v FROM organizations WHERE name = '中山市五金家电数字化牵引单位（演示）'").await;
    let (s, found) = get(&app, &ent, &format!("/api/pools/{lead_id}/products?q=MES")).await;
    assert_eq!((s, found["total"].as_u64()), (200, Some(1)), "{found}");
    let mes = found["items"][0]["id"].as_str().unwrap().to_owned();
    let id = filed_with_mode(&app, &ent, "演示产品池签约", "自诊断").await;
    let url = format!("/api/projects/{id}/signing");
    let (_, view) = get(&app, &ent, &url).await;
    let contract = upload(&app, &ent, "attachment", "项目合同.pdf", pdf()).await;
    let body = json!({"values": signing_values(&view["values"], &contract), "products": [signed_product(&mes, "18.5")], "lead_unit_id": lead_id, "version": view["version"]});
    let (s, signed) = send(&app, &ent, Method::POST, &format!("{url}/submit"), body).await;
    assert_eq!((s, signed["status"].as_str(), signed["products"][0]["price_max"].as_str()), (200, Some("signed"), Some("20")), "{signed}");
}

/// 项目实施-改造中 (spec 40 §3): only once signed; eight dimensions ticked by default, at least one ticked and
/// filled, each ticked one filled, every problem named; saves of one version race to one winner; with 协助填写
/// = 是 the page goes to the lead unit the project signed with (no other reaches it), which fills the
/// dimensions only; the enterprise submits (已提交, the project moves to 项目实施-改造完成) and changes it later
/// (信息变更, no review, a change of nothing refused, audited).
async fn implementation_records_the_state_before_and_the_lead_unit_fills_it_when_asked(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let unsigned = filed_with_mode(&app, &ent, "未签约项目", "自诊断").await;
    let (s, body) = get(&app, &ent, &format!("/api/projects/{unsigned}/implementation")).await;
    assert_eq!((s, body["message"].as_str().unwrap()), (409, "项目签约完成后才能填写项目实施-改造中"));

    let id = signed_project(&app, &ent, "改造项目").await;
    let url = format!("/api/projects/{id}/implementation");
    let (s, view) = get(&app, &ent, &url).await;
    assert_eq!((s, view["status_label"].as_str().unwrap(), view["lead_unit_name"].as_str().unwrap()), (200, "待提交", "江门市智能制造数字化牵引单位（演示）"), "{view}");
    let dims = view["form"]["dimensions"].as_array().unwrap();
    assert_eq!(dims.len(), 8);
    assert!(dims.iter().all(|d| d["ticked"] == true), "{view}");
    assert_eq!(view["dimensions"][4]["example"], "如：准时交货率、库存周转率、生产计划达成率");

    // 提交 of the untouched page: the assist question and each ticked dimension named; nothing changes.
    let body = |form: &Value, version: &Value| json!({"form": form, "version": version});
    let (s, refused) = send(&app, &ent, Method::POST, &format!("{url}/submit"), body(&view["form"], &view["version"])).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields.len(), 9, "{fields:?}");
    assert_eq!(fields[..2], ["assisted", "dimensions[0].before"]);
    // Nothing ticked: at least one.
    let mut none = view["form"].clone();
    none["assisted"] = json!(false);
    for d in none["dimensions"].as_array_mut().unwrap() {
        d["ticked"] = json!(false);
    }
    let (s, refused) = send(&app, &ent, Method::POST, &format!("{url}/submit"), body(&none, &view["version"])).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (422, "维度指标至少勾选并填写一项"));
    let (s, bad) = send(&app, &ent, Method::PUT, &url, json!({"form": {"dimensions": [{"key": "luck", "ticked": true}]}, "version": view["version"]})).await;
    assert_eq!((s, bad["fields"][0]["field"].as_str().unwrap()), (422, "dimensions[0].key"));
    assert_eq!(send(&app, &ent, Method::PUT, &url, json!({"form": "x", "version": 1})).await.0, 422);

    // 保存 of a partial page: five saves of the same version at once, one wins.
    let mut partial = view["form"].clone();
    partial["assisted"] = json!(true);
    partial["dimensions"][2]["before"] = json!("产品合格率 92%");
    let saves = futures::future::join_all((0..5).map(|_| send(&app, &ent, Method::PUT, &url, body(&partial, &view["version"])))).await;
    let codes: Vec<u16> = saves.iter().map(|(s, _)| *s).collect();
    assert_eq!((codes.iter().filter(|c| **c == 200).count(), codes.iter().filter(|c| **c == 409).count()), (1, 4), "{codes:?}");
    let (_, saved) = get(&app, &ent, &url).await;
    assert_eq!((saved["form"]["dimensions"][2]["before"].as_str(), saved["assist_label"].as_str()), (Some("产品合格率 92%"), Some("待发送牵引单位")));

    // 是: sent to the lead unit it signed with; another lead unit never reaches it; the enterprise waits.
    let (s, sent) = send(&app, &ent, Method::POST, &format!("{url}/send"), body(&saved["form"], &saved["version"])).await;
    assert_eq!((s, sent["status_label"].as_str().unwrap()), (200, "牵引单位填写中"), "{sent}");
    assert_eq!(get(&app, &app.client_for("leadunit2_demo").await, &url).await.0, 404);
    assert_eq!(send(&app, &ent, Method::PUT, &url, body(&sent["form"], &sent["version"])).await.0, 409);
    let lead = app.client_for("leadunit_demo").await;
    let (_, list) = get(&app, &lead, "/api/implementations").await;
    assert_eq!((list["items"][0]["project_id"].as_str(), list["items"][0]["actionable"].as_bool()), (Some(id.as_str()), Some(true)), "{list}");
    let (_, page) = get(&app, &lead, &url).await;
    assert_eq!((page["viewer"].as_str(), page["can_edit"].as_bool()), (Some("lead_unit"), Some(true)));
    let mut filled = page["form"].clone();
    filled["assisted"] = json!(false); // not the lead unit's to answer: kept
    for (i, d) in filled["dimensions"].as_array_mut().unwrap().iter_mut().enumerate() {
        d["ticked"] = json!(i == 2 || i == 5);
    }
    let (s, refused) = send(&app, &lead, Method::POST, &format!("{url}/submit"), body(&filled, &page["version"])).await;
    assert_eq!((s, refused["fields"][0]["field"].as_str().unwrap()), (422, "dimensions[5].before"), "{refused}");
    filled["dimensions"][5]["before"] = json!("月均用电 12 万千瓦时");
    let (s, back) = send(&app, &lead, Method::POST, &format!("{url}/submit"), body(&filled, &page["version"])).await;
    assert_eq!((s, back["status_label"].as_str().unwrap(), back["form"]["assisted"].as_bool()), (200, "待企业确认", Some(true)), "{back}");

    // The enterprise submits: 已提交, and the project is at 项目实施-改造完成.
    let (_, mine) = get(&app, &ent, &url).await;
    let (s, done) = send(&app, &ent, Method::POST, &format!("{url}/submit"), body(&mine["form"], &mine["version"])).await;
    assert_eq!((s, done["status_label"].as_str().unwrap(), done["can_change"].as_bool()), (200, "已提交", Some(true)), "{done}");
    assert_eq!(app.text(&format!("SELECT stage AS v FROM projects WHERE id = '{id}'")).await, "completion");
    let (_, list) = get(&app, &ent, "/api/implementations").await;
    assert_eq!(list["items"].as_array().unwrap().iter().find(|i| i["project_id"] == id.as_str()).unwrap()["status_label"], "已提交");

    // 信息变更: a change of nothing refused; a real one saved and audited; 保存 is over.
    let change = format!("{url}/change");
    assert_eq!(send(&app, &ent, Method::PUT, &url, body(&done["form"], &done["version"])).await.0, 409);
    let (s, same) = send(&app, &ent, Method::POST, &change, body(&done["form"], &done["version"])).await;
    assert_eq!((s, same["message"].as_str().unwrap()), (422, "没有修改任何内容"));
    let mut changed = done["form"].clone();
    changed["dimensions"][5]["before"] = json!("月均用电 11.5 万千瓦时");
    let (s, after) = send(&app, &ent, Method::POST, &change, body(&changed, &done["version"])).await;
    assert_eq!((s, after["status_label"].as_str().unwrap(), after["form"]["dimensions"][5]["before"].as_str()), (200, "已提交", Some("月均用电 11.5 万千瓦时")), "{after}");
    assert!(app.text("SELECT detail AS v FROM audit_log WHERE action = 'project_implementation_change'").await.contains("绿色维度"));
    assert_eq!(app.count(&format!("audit_log WHERE object_id = '{id}' AND action LIKE 'project_implementation_%'")).await, 4);
    assert_eq!(send(&app, &lead, Method::POST, &change, body(&changed, &after["version"])).await.0, 403);
    // Each completed stage and change is in the national platform's feed, in order.
    assert_eq!(app.count(&format!("national_sync_events WHERE project_id = '{id}'")).await, 4);
    for event in ["filing_completed", "signing_completed", "implementation_submitted", "implementation_changed"] {
        assert_eq!(app.count(&format!("national_sync_events WHERE project_id = '{id}' AND event = '{event}'")).await, 1, "{event}");
    }
}

/// 项目实施-改造中 submitted by the enterprise itself (one dimension): the project is at 项目实施-改造完成.
async fn implement(app: &TestApp, ent: &reqwest::Client, id: &str) {
    let url = format!("/api/projects/{id}/implementation");
    let (_, view) = get(app, ent, &url).await;
    let mut form = view["form"].clone();
    form["assisted"] = json!(false);
    for (i, d) in form["dimensions"].as_array_mut().unwrap().iter_mut().enumerate() {
        d["ticked"] = json!(i == 0);
    }
    form["dimensions"][0]["before"] = json!("新产品研发周期 18 个月");
    let (s, done) = send(app, ent, Method::POST, &format!("{url}/submit"), json!({"form": form, "version": view["version"]})).await;
    assert_eq!((s, done["status_label"].as_str()), (200, Some("已提交")), "{done}");
}

/// 事后评估 (spec 40): not before 项目实施-改造中 is submitted; 评估机构评估 offers the comprehensive agencies with
/// the pre-diagnosis agency preselected, ten clicks at once make one task; the agency's report (its own form,
/// beside its 事前诊断 tasks) is returned once and confirmed, and its level is the project's 改造后数字化水平等级
/// while the level before stays. 市工信局分配 waits for the project's city (no other city) to assign.
async fn post_evaluation_goes_to_the_chosen_or_assigned_agency_and_the_enterprise_confirms(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let agency = app.client_for("diagnosis_agency_demo").await;
    // Diagnosed before by 中国电子信息产业发展研究院 (the agency's report confirmed), then signed.
    let id = filed_with_mode(&app, &ent, "评估项目", "诊断机构诊断").await;
    let (_, pre) = get(&app, &ent, &format!("/api/projects/{id}/diagnosis")).await;
    let ours = pre["agencies"].as_array().unwrap().iter().find(|a| a["name"] == "中国电子信息产业发展研究院").unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(send(&app, &ent, Method::POST, &format!("/api/projects/{id}/diagnosis/agency"), json!({"agency_id": ours})).await.0, 200);
    let products = crate::providers::pooled_products(&app, &["智造MES"]).await;
    sign(&app, &ent, &id, &products[0]).await;

    let url = format!("/api/projects/{id}/evaluation");
    let (s, view) = get(&app, &ent, &url).await;
    assert_eq!(s, 200, "{view}");
    assert_eq!((view["evaluation"]["status_label"].as_str().unwrap(), view["evaluation"]["can_start"].as_bool().unwrap()), ("改造中提交后开始", false));
    let (s, refused) = send(&app, &ent, Method::POST, &url, json!({"mode": "评估机构评估", "agency_id": ours})).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "项目实施-改造中提交后才能发起事后评估"));
    implement(&app, &ent, &id).await;

    let (_, view) = get(&app, &ent, &url).await;
    let e = &view["evaluation"];
    assert_eq!((e["status_label"].as_str().unwrap(), e["can_start"].as_bool().unwrap(), e["pre_agency_name"].as_str().unwrap()), ("待评估", true, "中国电子信息产业发展研究院"));
    assert_eq!(view["modes"], json!(["评估机构评估", "市工信局分配"]));
    assert_eq!(view["agencies"].as_array().unwrap().len(), 5);
    assert_eq!(view["default_agency_id"].as_str(), Some(ours.as_str()), "the pre-diagnosis agency is the default");
    // Refused, nothing created: no mode, 自诊断, no agency, an agency not offered.
    for (body, field) in [
        (json!({"mode": ""}), "mode"),
        (json!({"mode": "自诊断"}), "mode"),
        (json!({"mode": "评估机构评估"}), "agency_id"),
        (json!({"mode": "评估机构评估", "agency_id": "nope"}), "agency_id"),
    ] {
        let (s, refused) = send(&app, &ent, Method::POST, &url, body.clone()).await;
        assert_eq!((s, refused["fields"][0]["field"].as_str()), (422, Some(field)), "{body} → {refused}");
    }
    assert_eq!(send(&app, &ent, Method::POST, &url, json!({"mode": 3})).await.0, 422);
    assert_eq!(app.count("review_cases WHERE kind = 'evaluation_report'").await, 0);

    // Ten clicks at once: one task.
    let answers = futures::future::join_all((0..10).map(|_| send(&app, &ent, Method::POST, &url, json!({"mode": "评估机构评估", "agency_id": ours})))).await;
    let codes: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
    assert!(codes.iter().all(|c| *c == 200 || *c == 409), "{codes:?}");
    assert!(codes.contains(&200));
    assert_eq!(app.count("review_cases WHERE kind = 'evaluation_report'").await, 1);
    let (_, view) = get(&app, &ent, &url).await;
    let e = &view["evaluation"];
    assert_eq!((e["status_label"].as_str().unwrap(), e["mode"].as_str().unwrap(), e["agency_name"].as_str().unwrap()), ("待评估机构出具报告", "评估机构评估", "中国电子信息产业发展研究院"));
    let (s, refused) = send(&app, &ent, Method::POST, &url, json!({"mode": "市工信局分配"})).await;
    assert_eq!(s, 409, "the way is fixed once an agency has it: {refused}");
    let case_id = e["report_case_id"].as_str().unwrap().to_owned();

    // The agency's tasks hold both phases; the evaluation has its own form.
    let (_, tasks) = get(&app, &agency, "/api/diagnosis-reports").await;
    let phases: Vec<&str> = tasks["items"].as_array().unwrap().iter().map(|t| t["phase"].as_str().unwrap()).collect();
    assert_eq!(phases, ["事后评估", "事前诊断"]);
    assert_eq!((tasks["items"][0]["mode"].as_str(), tasks["items"][0]["status_label"].as_str()), (Some("评估机构评估"), Some("待出具报告")));
    let report_url = format!("/api/diagnosis-reports/{case_id}");
    let (_, task) = get(&app, &agency, &report_url).await;
    assert_eq!((task["phase"].as_str(), task["schema"]["title"].as_str()), (Some("事后评估"), Some("事后评估报告")));
    let (s, refused) = send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": task["version"]})).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["values.report_files", "values.level", "values.opinion"]);
    let file = upload(&app, &agency, "attachment", "改造后评估报告.pdf", pdf()).await;
    let values = json!({"report_files": [file], "level": "三级（集成级）", "opinion": "MES上线后交付周期缩短。"});
    let (s, saved) = send(&app, &agency, Method::PUT, &report_url, json!({"values": values, "version": task["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, _) = send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!(s, 200);

    // The enterprise returns it once, then confirms the revision.
    let (_, listed) = get(&app, &ent, "/api/projects").await;
    let e = listed["items"].as_array().unwrap().iter().find(|p| p["id"] == id.as_str()).unwrap()["evaluation"].clone();
    assert_eq!((e["status_label"].as_str().unwrap(), e["can_confirm"].as_bool().unwrap()), ("待企业确认评估报告", true));
    let (_, case) = get(&app, &ent, &format!("/api/review/cases/{case_id}")).await;
    assert!(case["fields"].as_array().unwrap().iter().any(|f| f["label"] == "改造后数字化水平等级" && f["value"] == "三级（集成级）"), "{case}");
    assert!(case["fields"].as_array().unwrap().iter().any(|f| f["label"] == "评估方式" && f["value"] == "评估机构评估"), "{case}");
    act(&app, &ent, &case_id, "return", "请补充交付周期的前后数据").await;
    let (_, listed) = get(&app, &ent, "/api/projects").await;
    assert_eq!(listed["items"].as_array().unwrap().iter().find(|p| p["id"] == id.as_str()).unwrap()["evaluation"]["status_label"], "评估机构修改中");
    let (_, task) = get(&app, &agency, &report_url).await;
    assert_eq!(task["latest_opinion"], "请补充交付周期的前后数据");
    let mut revised = values.clone();
    revised["level"] = json!("四级（协同级）");
    let (_, saved) = send(&app, &agency, Method::PUT, &report_url, json!({"values": revised, "version": task["version"]})).await;
    assert_eq!(send(&app, &agency, Method::POST, &format!("{report_url}/submit"), json!({"version": saved["version"]})).await.0, 200);
    act(&app, &ent, &case_id, "approve", "确认").await;
    let (_, view) = get(&app, &ent, &url).await;
    let e = &view["evaluation"];
    assert_eq!((e["status_label"].as_str().unwrap(), e["level_label"].as_str().unwrap(), e["done"].as_bool().unwrap()), ("已评估", "四级（协同级）", true));
    assert_eq!(app.count(&format!("projects WHERE id = '{id}' AND post_level = 4 AND pre_level IS NULL")).await, 1, "the level before is the pre-diagnosis report's, not yet confirmed");
    let payload: Value = serde_json::from_str(&app.text(&format!("SELECT payload AS v FROM national_sync_events WHERE project_id = '{id}' AND event = 'evaluation_confirmed'")).await).unwrap();
    assert_eq!((payload["data"]["agency_name"].as_str(), payload["data"]["report_files"].as_u64()), (Some("中国电子信息产业发展研究院"), Some(1)), "{payload}");

    // 市工信局分配: the city of the project's town assigns; the enterprise may still change its mind until then.
    let other = filed_with_mode(&app, &ent, "分配评估项目", "自诊断").await;
    sign(&app, &ent, &other, &products[0]).await;
    implement(&app, &ent, &other).await;
    let other_url = format!("/api/projects/{other}/evaluation");
    let (s, sent) = send(&app, &ent, Method::POST, &other_url, json!({"mode": "市工信局分配"})).await;
    assert_eq!((s, sent["evaluation"]["status_label"].as_str().unwrap(), sent["default_agency_id"].is_null()), (200, "待市工信局分配", true), "{sent}");
    let city = app.client_for("zhongshan_admin").await;
    let (s, list) = get(&app, &city, "/api/lifecycle/evaluation-assignments").await;
    assert_eq!(s, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the projects sent to the city: {list}");
    assert_eq!((items[0]["project_name"].as_str().unwrap(), items[0]["status_label"].as_str().unwrap()), ("分配评估项目", "待市工信局分配"));
    assert_eq!(get(&app, &city, "/api/lifecycle/diagnosis-assignments").await.1["items"].as_array().unwrap().len(), 0, "not a diagnosis assignment");
    let assign_url = format!("/api/lifecycle/evaluation-assignments/{other}");
    let jiangmen = app.client_for("jiangmen_admin").await;
    assert_eq!(get(&app, &jiangmen, "/api/lifecycle/evaluation-assignments").await.1["items"].as_array().unwrap().len(), 0);
    assert_eq!(send(&app, &jiangmen, Method::POST, &assign_url, json!({"agency_id": ours})).await.0, 404);
    assert_eq!(send(&app, &ent, Method::POST, &assign_url, json!({"agency_id": ours})).await.0, 403);
    // The city cannot assign what the enterprise did not send (the first project has its agency; a third chose nothing).
    let third = filed_with_mode(&app, &ent, "未发起评估项目", "自诊断").await;
    sign(&app, &ent, &third, &products[0]).await;
    implement(&app, &ent, &third).await;
    let (s, refused) = send(&app, &city, Method::POST, &format!("/api/lifecycle/evaluation-assignments/{third}"), json!({"agency_id": ours})).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "企业尚未选择由市工信局分配评估机构"));
    let (s, after) = send(&app, &city, Method::POST, &assign_url, json!({"agency_id": ours})).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!((after["items"][0]["agency_name"].as_str().unwrap(), after["items"][0]["status_label"].as_str().unwrap()), ("中国电子信息产业发展研究院", "待评估机构出具报告"));
    let (_, tasks) = get(&app, &agency, "/api/diagnosis-reports").await;
    assert_eq!((tasks["items"][0]["phase"].as_str(), tasks["items"][0]["mode"].as_str()), (Some("事后评估"), Some("市工信局分配")));
    let audit = json(app.client_for("audit_admin").await.get(app.url("/api/audit?action=project_evaluation_agency")).send().await.unwrap()).await;
    assert_eq!(audit["total"], 2, "{audit}");
}

/// The national platform's feed (spec 40): 20 filings completed by the city at the same moment while the
/// platform reads the feed; every page it ever read was gap-free, and the whole feed replays from any cursor
/// with the same events, each filing once. The feed needs the configured token; acknowledgements move
/// forward only and drive each project's 已同步 / 待同步, which the project's city (and no other) sees.
mod national_feed {
    use super::*;
    use crate::common::Backend;

    const TOKEN: &str = "national-platform-token-for-tests-0123456789";

    fn with_token(c: &mut shuzhuan::config::Config) {
        c.lifecycle.national_sync_token = Some(TOKEN.into());
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_national_feed_replays_from_any_cursor_without_gaps(TestApp::start_with(Backend::Sqlite, with_token).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_national_feed_replays_from_any_cursor_without_gaps(TestApp::start_with(Backend::Postgres, with_token).await).await
    }

    pub(super) fn auth(r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        r.header("authorization", format!("Bearer {TOKEN}"))
    }
}

async fn feed(app: &TestApp, after: u64, limit: u64) -> Value {
    let res = national_feed::auth(crate::common::client().get(app.url(&format!("/api/national-sync/v1/events?after={after}&limit={limit}")))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    json(res).await
}

fn seqs(page: &Value) -> Vec<u64> {
    page["events"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect()
}

async fn the_national_feed_replays_from_any_cursor_without_gaps(app: TestApp) {
    app.seed_demo().await;
    let anonymous = crate::common::client();
    let res = anonymous.get(app.url("/api/national-sync/v1/events")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = anonymous.get(app.url("/api/national-sync/v1/events")).header("authorization", "Bearer wrong").send().await.unwrap();
    assert_eq!(res.status(), 401);
    // The credential is checked before the query or body is read: a bad one learns nothing from a 422.
    let res = anonymous.get(app.url("/api/national-sync/v1/events?after=x")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = anonymous.post(app.url("/api/national-sync/v1/ack")).json(&json!({"through": "x"})).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(feed(&app, 0, 10).await["events"], json!([]));

    let ent = app.client_for(ENTERPRISE).await;
    let town = app.client_for("xiaolan_town_demo").await;
    let third = app.client_for("zhongshan_thirdparty_demo").await;
    let mut cases = Vec::new();
    for i in 0..20 {
        cases.push(filed(&app, &ent, &format!("同步项目{i}")).await.1);
    }
    for reviewer in [&town, &third] {
        let mut items = Vec::new();
        for c in &cases {
            items.push(json!({"case_id": c, "version": get(&app, reviewer, &format!("/api/review/cases/{c}")).await.1["version"]}));
        }
        assert_eq!(send(&app, reviewer, Method::POST, "/api/review/tasks/batch-approve", json!({"items": items, "opinion": "同意"})).await.0, 200);
    }
    let city = app.client_for("zhongshan_admin").await;
    let mut versions = Vec::new();
    for c in &cases {
        versions.push(get(&app, &city, &format!("/api/review/cases/{c}")).await.1["version"].clone());
    }
    // The city completes all twenty at once while the national platform reads the feed.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (app_url, done) = (app.url(""), done.clone());
        tokio::spawn(async move {
            let client = crate::common::client();
            let mut seen = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let res = national_feed::auth(client.get(format!("{app_url}/api/national-sync/v1/events?after=0&limit=500"))).send().await.unwrap();
                let page: Value = res.json().await.unwrap();
                let s: Vec<u64> = page["events"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
                assert_eq!(s, (1..=s.len() as u64).collect::<Vec<_>>(), "a read saw a gap");
                assert!(s.len() >= seen, "events never disappear");
                seen = s.len();
            }
        })
    };
    let runs = cases.iter().zip(versions).map(|(c, v)| {
        let city = city.clone();
        let url = app.url(&format!("/api/review/cases/{c}/actions"));
        async move { city.post(url).json(&json!({"action": "approve", "version": v, "opinion": "同意备案"})).send().await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(runs).await;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    reader.await.unwrap();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");

    // Paged from the start: 20 events, 1..=20, each project once; from any cursor, the rest of the same feed.
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = feed(&app, after, 7).await;
        assert_eq!(page["schema"], "shuzhuan.national-sync/v1");
        all.extend(page["events"].as_array().unwrap().iter().cloned());
        after = page["next_after"].as_u64().unwrap();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    let numbers: Vec<u64> = all.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(numbers, (1..=20).collect::<Vec<_>>());
    let mut projects: Vec<&str> = all.iter().map(|e| e["project_id"].as_str().unwrap()).collect();
    projects.sort();
    projects.dedup();
    assert_eq!(projects.len(), 20, "each filing once");
    assert!(all.iter().all(|e| e["event"] == "filing_completed" && e["payload"]["data"]["filing_number"].is_string()));
    assert!(all.iter().all(|e| e["payload"]["data"]["project"]["project_name"].as_str().unwrap().starts_with("同步项目")));
    for cursor in [0, 1, 7, 13, 19, 20] {
        let rest = feed(&app, cursor, 500).await;
        assert_eq!(seqs(&rest), (cursor + 1..=20).collect::<Vec<_>>(), "replay from {cursor}");
        assert_eq!(rest["events"].as_array().unwrap().as_slice(), &all[cursor as usize..], "the same events");
    }
    let res = national_feed::auth(anonymous.get(app.url("/api/national-sync/v1/events?limit=0"))).send().await.unwrap();
    assert_eq!(res.status(), 422);

    // Acknowledgements: only forward, never beyond the feed; they make the city's 已同步.
    let ack = |through: u64| national_feed::auth(anonymous.post(app.url("/api/national-sync/v1/ack"))).json(&json!({"through": through})).send();
    assert_eq!(ack(21).await.unwrap().status(), 422);
    assert_eq!(json(ack(10).await.unwrap()).await["acked_seq"], 10);
    assert_eq!(json(ack(5).await.unwrap()).await["acked_seq"], 10, "never backwards");
    let (s, status) = get(&app, &city, "/api/national-sync/status").await;
    assert_eq!(s, 200, "{status}");
    let labels: Vec<&str> = status["items"].as_array().unwrap().iter().map(|i| i["status_label"].as_str().unwrap()).collect();
    assert_eq!((labels.len(), labels.iter().filter(|l| **l == "已同步").count()), (20, 10), "{labels:?}");
    assert_eq!(get(&app, &app.client_for("jiangmen_admin").await, "/api/national-sync/status").await.1["items"], json!([]));
    let first = all[0]["project_id"].as_str().unwrap();
    let (_, mine) = get(&app, &ent, &format!("/api/projects/{first}/national-sync")).await;
    assert_eq!((mine["status_label"].as_str(), mine["last_event"].as_str()), (Some("已同步"), Some("filing_completed")), "{mine}");
    assert_eq!(get(&app, &app.client_for("jiangmen_admin").await, &format!("/api/projects/{first}/national-sync")).await.0, 404);
}

/// An invoice as the page sends it: `lines` of (金额, 税额) as typed, paid by `vouchers`.
fn invoice(number: &str, lines: &[(&str, &str)], vouchers: &[&str]) -> Value {
    json!({
        "code": "044001900111", "number": number, "date": "2025-09-17", "seller": "中山市智汇五金云科技有限公司",
        "lines": lines.iter().enumerate().map(|(i, (a, t))| json!({"name": format!("服务{i}"), "amount": a, "tax": t})).collect::<Vec<_>>(),
        "vouchers": vouchers,
    })
}

/// Yuan text → fen, independently of the server's Money, for the expected sums.
fn fen(s: &str) -> i128 {
    let s = s.replace(',', "");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    whole.parse::<i128>().unwrap() * 100 + format!("{frac:0<2}").parse::<i128>().unwrap()
}

fn yuan(fen: i128) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// 项目实施-改造完成 (spec 40 §4): not before 项目实施-改造中 is submitted; ten first openings make one page with stage
/// 3's before-values and ticks; 提交 names every missing cell and changes nothing; only the signed products'
/// providers may be rated, by the owning enterprise only; files must be the enterprise's own; the invoice totals
/// (many lines, a voucher shared by two invoices) equal the sums of the lines to the fen; submission records the
/// ratings (the provider's public reputation), feeds the national platform and opens 项目入库; 信息变更 of nothing
/// is refused, a real one updates the rating.
async fn completion_records_results_ratings_and_invoices_and_opens_acceptance(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let id = signed_project(&app, &ent, "改造完成项目").await;
    let url = format!("/api/projects/{id}/completion");
    let (s, refused) = get(&app, &ent, &url).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "项目实施-改造中提交后才能填写项目实施-改造完成"));
    implement(&app, &ent, &id).await;

    let opened = futures::future::join_all((0..10).map(|_| get(&app, &ent, &url))).await;
    assert!(opened.iter().all(|(s, _)| *s == 200), "{:?}", opened.iter().map(|(s, b)| (s, b["message"].clone())).collect::<Vec<_>>());
    assert_eq!(app.count(&format!("project_completions WHERE project_id = '{id}'")).await, 1);
    let (_, view) = get(&app, &ent, &url).await;
    assert_eq!((view["status_label"].as_str().unwrap(), view["dimensions"][0]["before"].as_str().unwrap()), ("待提交", "新产品研发周期 18 个月"));
    let ticks: Vec<bool> = view["form"]["dimensions"].as_array().unwrap().iter().map(|d| d["ticked"].as_bool().unwrap()).collect();
    assert_eq!(ticks, [true, false, false, false, false, false, false, false], "stage 3's ticks");
    let providers = view["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 1, "{view}");
    let provider = providers[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(view["form"]["ratings"][0]["provider_id"].as_str(), Some(provider.as_str()));

    // Others: another enterprise 404, a provider 403.
    let other = app.client_for("enterprise_demo").await;
    assert_eq!(get(&app, &other, &url).await.0, 404);
    let provider_client = app.client_for("provider_demo").await;
    assert_eq!(get(&app, &provider_client, &url).await.0, 403);

    // 提交 of the empty page: every cell named, nothing changes.
    let (s, refused) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"form": view["form"], "version": view["version"]})).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["level_after", "dimensions[0].after", "dimensions[0].evidence", "ratings[0].product.stars", "ratings[0].after_sales.text", "documents.quotation", "documents.invoice", "invoices"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert_eq!(get(&app, &ent, &url).await.1["status"], "draft");

    // A provider that is not one of the signed products', a sixth star: refused at their cells.
    let mut form = view["form"].clone();
    form["ratings"] = json!([{"provider_id": provider, "attitude": {"stars": 6}}, {"provider_id": app.text("SELECT id AS v FROM organizations WHERE name = '中山市五金家电数字化牵引单位（演示）'").await}]);
    let (s, refused) = send(&app, &ent, Method::PUT, &url, json!({"form": form, "version": view["version"]})).await;
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!((s, fields), (422, vec!["ratings[1].provider_id", "ratings[0].attitude.stars"]));
    // Another organization's file: refused.
    let theirs = upload(&app, &other, "attachment", "别人的.pdf", pdf()).await;
    let mut form = view["form"].clone();
    form["documents"]["other"] = json!([theirs]);
    assert_eq!(send(&app, &ent, Method::PUT, &url, json!({"form": form, "version": view["version"]})).await.0, 422);

    // The whole page: three invoices, 37 lines, voucher v2 paying two of them.
    let file = |name: &'static str| upload(&app, &ent, "attachment", name, pdf());
    let (evidence, quotation, scans, v1, v2) = (file("成效佐证.pdf").await, file("报价单.pdf").await, file("发票.pdf").await, file("付款凭证1.pdf").await, file("付款凭证2.pdf").await);
    let many: Vec<(String, String)> = (0..35).map(|i| (format!("{}.{:02}", 1000 + i * 37, (i * 13) % 100), format!("{}.{:02}", 60 + i, (i * 7) % 100))).collect();
    let many_refs: Vec<(&str, &str)> = many.iter().map(|(a, t)| (a.as_str(), t.as_str())).collect();
    let invoices = json!([
        invoice("00000001", &many_refs, &[&v1]),
        invoice("00000002", &[("100,000.10", "6000.01")], &[&v2]),
        invoice("00000003", &[("0.01", "0")], &[&v2]),
    ]);
    let mut form = view["form"].clone();
    form["level_before"] = json!("二级（规范级）");
    form["level_after"] = json!("三级（集成级）");
    form["dimensions"][0]["after"] = json!("新产品研发周期 12 个月");
    form["dimensions"][0]["evidence"] = json!([evidence]);
    let stars = |n: i32| json!({"stars": n, "text": "交付及时"});
    form["ratings"] = json!([{"provider_id": provider, "product": stars(5), "overall": stars(4), "attitude": stars(5), "after_sales": stars(4)}]);
    form["documents"] = json!({"quotation": [quotation], "invoice": [scans], "other": []});
    form["invoices"] = invoices.clone();
    // One bad cell first: named, the rest is not lost.
    let mut bad = form.clone();
    bad["invoices"][1]["lines"][0]["tax"] = json!("6000.011");
    let (s, saved) = send(&app, &ent, Method::PUT, &url, json!({"form": bad, "version": view["version"]})).await;
    assert_eq!((s, saved["sums"]["complete"].as_bool()), (200, Some(false)), "a save keeps what was typed: {saved}");
    let (s, refused) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"form": bad, "version": saved["version"]})).await;
    assert_eq!((s, refused["fields"][0]["field"].as_str()), (422, Some("invoices[1].lines[0].tax")), "{refused}");

    let (s, done) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"form": form, "version": saved["version"]})).await;
    assert_eq!((s, done["status_label"].as_str()), (200, Some("已提交")), "{done}");
    let lines: Vec<(i128, i128)> = invoices.as_array().unwrap().iter().flat_map(|i| i["lines"].as_array().unwrap().iter().map(|l| (fen(l["amount"].as_str().unwrap()), fen(l["tax"].as_str().unwrap())))).collect();
    let (amount, tax): (i128, i128) = (lines.iter().map(|l| l.0).sum(), lines.iter().map(|l| l.1).sum());
    assert_eq!(lines.len(), 37);
    assert_eq!(
        (done["sums"]["amount"].as_str().unwrap(), done["sums"]["tax"].as_str().unwrap(), done["sums"]["total"].as_str().unwrap(), done["sums"]["vouchers"].as_u64()),
        (yuan(amount).as_str(), yuan(tax).as_str(), yuan(amount + tax).as_str(), Some(2)),
        "the totals are the sums of the lines to the fen; v2 counts once"
    );
    assert_eq!(app.text(&format!("SELECT stage AS v FROM projects WHERE id = '{id}'")).await, "acceptance");
    assert_eq!(app.count(&format!("provider_ratings WHERE project_id = '{id}' AND provider_org_id = '{provider}' AND overall_stars = 4")).await, 1);
    let payload = app.text(&format!("SELECT payload AS v FROM national_sync_events WHERE project_id = '{id}' AND event = 'completion_submitted'")).await;
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!((payload["data"]["invoice_total_yuan"].as_str().unwrap(), payload["data"]["payment_vouchers"].as_u64()), (yuan(amount + tax).as_str(), Some(2)));
    assert_eq!(app.count(&format!("audit_log WHERE object_id = '{id}' AND action = 'project_completion_submit'")).await, 1);
    // No second submission; 信息变更 of nothing refused; a real one updates the rating.
    assert_eq!(send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"form": form, "version": done["version"]})).await.0, 409);
    let (s, refused) = send(&app, &ent, Method::POST, &format!("{url}/change"), json!({"form": form, "version": done["version"]})).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (422, "没有修改任何内容"));
    form["ratings"][0]["overall"] = stars(2);
    let (s, changed) = send(&app, &ent, Method::POST, &format!("{url}/change"), json!({"form": form, "version": done["version"]})).await;
    assert_eq!((s, changed["status_label"].as_str()), (200, Some("已提交")), "{changed}");
    assert_eq!(app.count(&format!("provider_ratings WHERE project_id = '{id}' AND overall_stars = 2")).await, 1);
    assert_eq!(app.count(&format!("national_sync_events WHERE project_id = '{id}' AND event = 'completion_changed'")).await, 1);
    let (_, list) = get(&app, &ent, "/api/completions").await;
    let row = list["items"].as_array().unwrap().iter().find(|i| i["project_id"] == id.as_str()).unwrap();
    assert_eq!(row["status_label"], "已提交");

    // The provider's public page: its reputation and the texts, not who wrote them; anyone may read it.
    let (s, page) = get(&app, &crate::common::client(), &format!("/api/catalogue/providers/{provider}")).await;
    assert_eq!(s, 200, "{page}");
    assert_eq!((page["reputation"]["ratings"].as_i64(), page["reputation"]["overall"].as_str(), page["reputation"]["product"].as_str()), (Some(1), Some("2.0"), Some("5.0")), "{page}");
    assert_eq!((page["reviews"][0]["overall_stars"].as_i64(), page["reviews"][0]["overall_text"].as_str()), (Some(2), Some("交付及时")));
    assert!(!page.to_string().contains("小榄精工"), "the enterprise is not named: {page}");
    assert!(page["products"].as_array().unwrap().iter().all(|p| p["provider_id"] == provider.as_str()), "{page}");
    assert_eq!(get(&app, &ent, &format!("/api/catalogue/providers/{id}")).await.0, 404, "a project is no provider");
}

/// A project whose 项目实施-改造完成 is submitted: its 项目入库 exists.
async fn completed_project(app: &TestApp, ent: &reqwest::Client, name: &str) -> String {
    let id = signed_project(app, ent, name).await;
    implement(app, ent, &id).await;
    let url = format!("/api/projects/{id}/completion");
    let (_, view) = get(app, ent, &url).await;
    let file = |name: &'static str| upload(app, ent, "attachment", name, pdf());
    let (evidence, quotation, scans, voucher) = (file("成效佐证.pdf").await, file("报价单.pdf").await, file("发票.pdf").await, file("付款凭证.pdf").await);
    let mut form = view["form"].clone();
    form["level_before"] = json!("二级（规范级）");
    form["level_after"] = json!("三级（集成级）");
    form["dimensions"][0]["after"] = json!("新产品研发周期 12 个月");
    form["dimensions"][0]["evidence"] = json!([evidence]);
    let stars = |n: i32| json!({"stars": n, "text": "交付及时"});
    let provider = view["providers"][0]["id"].clone();
    form["ratings"] = json!([{"provider_id": provider, "product": stars(5), "overall": stars(4), "attitude": stars(5), "after_sales": stars(4)}]);
    form["documents"] = json!({"quotation": [quotation], "invoice": [scans], "other": []});
    form["invoices"] = json!([invoice("00000001", &[("1000.00", "60.00")], &[&voucher])]);
    let (s, done) = send(app, ent, Method::POST, &format!("{url}/submit"), json!({"form": form, "version": view["version"]})).await;
    assert_eq!((s, done["status_label"].as_str()), (200, Some("已提交")), "{done}");
    id
}

fn at(rfc3339: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

/// 项目入库 (spec 40 §5): created with 改造完成 and prefilled from the whole record; editable only inside the
/// city's window (frozen clock: unset, before, after refused with their reasons, inside kept); 镇街审核 cannot
/// pass it on before the city assigns a 验收专家; the expert the city assigned (not the other expert of the same
/// pool, not another city's expert) sees and decides it; a return at 验收专家审核 resumes there with the same
/// expert; 市工信复审 makes it 已入库, the project accepted, the national feed told.
async fn acceptance_opens_in_the_city_window_and_passes_town_assigned_expert_and_city(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(ENTERPRISE).await;
    let id = completed_project(&app, &ent, "入库项目").await;
    let url = format!("/api/projects/{id}/acceptance");
    let (s, view) = get(&app, &ent, &url).await;
    assert_eq!((s, view["status_label"].as_str(), view["window"]["state"].as_str(), view["editable"].as_bool()), (200, Some("待提交"), Some("unset"), Some(false)), "{view}");
    let v = &view["values"];
    assert_eq!((v["project_name"].as_str(), v["level_before"].as_str(), v["level_after"].as_str()), (Some("入库项目"), Some("二级（规范级）"), Some("三级（集成级）")));
    assert!(v["results"].as_str().unwrap().contains("改造前 新产品研发周期 18 个月；改造后 新产品研发周期 12 个月"), "{v}");
    assert!(v["products"].as_str().unwrap().contains("智造MES"), "{v}");
    assert!(!v["needs"].as_str().unwrap_or("").is_empty() && !v["uscc"].as_str().unwrap_or("").is_empty(), "{v}");

    // No window yet: nothing may be saved, through this page or the engine's own endpoint.
    let (s, refused) = send(&app, &ent, Method::PUT, &url, json!({"values": v, "version": view["version"]})).await;
    assert_eq!(s, 409, "{refused}");
    assert!(refused["message"].as_str().unwrap().starts_with("尚未到达项目入库开放时段"), "{refused}");
    let case_id = view["case_id"].as_str().unwrap().to_owned();
    let (s, _) = send(&app, &ent, Method::PUT, &format!("/api/review/cases/{case_id}/form"), json!({"form": {"project_id": id, "values": v}, "version": view["version"]})).await;
    assert_eq!(s, 409);

    // The city sets it: bad input named, the enterprise and another city cannot.
    let city = app.client_for("zhongshan_admin").await;
    let window = |o: &str, c: &str| json!({"opens_at": o, "closes_at": c});
    let (s, bad) = send(&app, &city, Method::PUT, "/api/acceptance/window", window("2027-01-20T18:00:00+08:00", "2027-01-10T09:00:00+08:00")).await;
    assert_eq!((s, bad["fields"][0]["field"].as_str()), (422, Some("closes_at")), "{bad}");
    let (s, bad) = send(&app, &city, Method::PUT, "/api/acceptance/window", window("明天", "")).await;
    assert_eq!((s, bad["fields"].as_array().map(Vec::len)), (422, Some(2)), "{bad}");
    assert_eq!(send(&app, &ent, Method::PUT, "/api/acceptance/window", window("2027-01-10T09:00:00+08:00", "2027-01-20T18:00:00+08:00")).await.0, 403);
    let (s, set) = send(&app, &city, Method::PUT, "/api/acceptance/window", window("2027-01-10T09:00:00+08:00", "2027-01-20T18:00:00+08:00")).await;
    assert_eq!(s, 200, "{set}");

    app.state.clock.freeze(Some(at("2027-01-10T08:59:59+08:00")));
    let (s, refused) = send(&app, &ent, Method::PUT, &url, json!({"values": v, "version": view["version"]})).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "尚未到达项目入库开放时段（2027-01-10 09:00:00 开放），该功能暂未启用"));
    app.state.clock.freeze(Some(at("2027-01-20T18:00:00+08:00")));
    let (s, refused) = send(&app, &ent, Method::PUT, &url, json!({"values": v, "version": view["version"]})).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "项目入库开放时段已于 2027-01-20 18:00:00 结束，如需补报请联系市工业和信息化局"));
    assert_eq!(get(&app, &ent, &url).await.1["window"]["state"], "after");
    app.state.clock.freeze(Some(at("2027-01-15T10:00:00+08:00")));
    let (_, view) = get(&app, &ent, &url).await;
    assert_eq!((view["window"]["state"].as_str(), view["editable"].as_bool()), (Some("open"), Some(true)));

    // 提交 without the evidence: each named, nothing changes.
    let (s, refused) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"version": view["version"]})).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["values.contract_files", "values.evaluation_report_files", "values.invoice_files"]);
    let mut values = view["values"].clone();
    for k in ["contract_files", "evaluation_report_files", "invoice_files"] {
        values[k] = json!([upload(&app, &ent, "attachment", &format!("{k}.pdf"), pdf()).await]);
    }
    let (s, saved) = send(&app, &ent, Method::PUT, &url, json!({"values": values, "version": view["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let (s, sent) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!((s, sent["status_label"].as_str(), sent["step"].as_u64()), (200, Some("镇街审核中"), Some(1)), "{sent}");

    // The town cannot pass it on before the city assigns the expert.
    let town = app.client_for("xiaolan_town_demo").await;
    let (_, case) = get(&app, &town, &format!("/api/review/cases/{case_id}")).await;
    let (s, refused) = send(&app, &town, Method::POST, &format!("/api/review/cases/{case_id}/actions"), json!({"action": "approve", "version": case["version"]})).await;
    assert_eq!((s, refused["message"].as_str().unwrap()), (409, "“验收专家审核”环节的审核人尚未指定（由市工业和信息化局分配），请待分配后再办理"));

    // The city's experts: Zhongshan's two, not Jiangmen's.
    let (_, board) = get(&app, &city, "/api/acceptance/assignments").await;
    let experts: Vec<&str> = board["experts"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(experts, ["李验收", "王验收"], "{board}");
    let row = board["items"].as_array().unwrap().iter().find(|i| i["project_id"] == id.as_str()).unwrap().clone();
    assert_eq!((row["can_assign"].as_bool(), row["status_label"].as_str()), (Some(true), Some("镇街审核中")));
    let jiangmen_expert = app.text("SELECT id AS v FROM users WHERE username = 'expert_demo'").await;
    let assign = |expert: &str| json!({"expert_id": expert});
    let (s, bad) = send(&app, &city, Method::PUT, &format!("{url}/expert"), assign(&jiangmen_expert)).await;
    assert_eq!((s, bad["fields"][0]["field"].as_str()), (422, Some("expert_id")));
    let jiangmen = app.client_for("jiangmen_admin").await;
    assert_eq!(send(&app, &jiangmen, Method::PUT, &format!("{url}/expert"), assign(&jiangmen_expert)).await.0, 404);
    let li = app.text("SELECT id AS v FROM users WHERE username = 'zhongshan_expert_demo'").await;
    let (s, board) = send(&app, &city, Method::PUT, &format!("{url}/expert"), assign(&li)).await;
    assert_eq!(s, 200, "{board}");
    assert_eq!(board["items"].as_array().unwrap().iter().find(|i| i["project_id"] == id.as_str()).unwrap()["expert_name"], "李验收");

    act(&app, &town, &case_id, "approve", "").await;
    let wang = app.text("SELECT id AS v FROM users WHERE username = 'zhongshan_expert2_demo'").await;
    assert_eq!(send(&app, &city, Method::PUT, &format!("{url}/expert"), assign(&wang)).await.1["message"], "验收专家审核已开始，不能更换验收专家");

    // Only the assigned expert sees it; the other expert of the same pool neither lists nor opens it.
    let li_client = app.client_for("zhongshan_expert_demo").await;
    let wang_client = app.client_for("zhongshan_expert2_demo").await;
    let (_, tasks) = get(&app, &wang_client, "/api/review/tasks").await;
    assert_eq!(tasks["total"], 0, "{tasks}");
    assert_eq!(get(&app, &wang_client, &format!("/api/review/cases/{case_id}")).await.0, 404);
    let (_, tasks) = get(&app, &li_client, "/api/review/tasks").await;
    assert_eq!((tasks["total"].as_u64(), tasks["items"][0]["case_id"].as_str()), (Some(1), Some(case_id.as_str())), "{tasks}");
    assert_eq!(app.count(&format!("notifications WHERE user_id = '{wang}'")).await, 0);
    assert!(app.count(&format!("notifications WHERE user_id = '{li}' AND case_id = '{case_id}'")).await >= 1);

    // A return at 验收专家审核; the resubmission goes straight back to the same expert.
    act(&app, &li_client, &case_id, "return", "请补充系统截图").await;
    let (_, back) = get(&app, &ent, &url).await;
    assert_eq!((back["status_label"].as_str(), back["latest_opinion"].as_str(), back["editable"].as_bool()), (Some("已退回，待修改"), Some("请补充系统截图"), Some(true)));
    let mut values = back["values"].clone();
    values["screenshot_files"] = json!([upload(&app, &ent, "attachment", "系统截图.pdf", pdf()).await]);
    let (_, saved) = send(&app, &ent, Method::PUT, &url, json!({"values": values, "version": back["version"]})).await;
    let (s, again) = send(&app, &ent, Method::POST, &format!("{url}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!((s, again["status_label"].as_str(), again["step"].as_u64()), (200, Some("验收专家审核中"), Some(2)), "{again}");
    assert_eq!(get(&app, &wang_client, "/api/review/tasks").await.1["total"], 0);
    act(&app, &li_client, &case_id, "approve", "").await;
    act(&app, &city, &case_id, "approve", "").await;

    let (_, done) = get(&app, &ent, &url).await;
    assert_eq!((done["status_label"].as_str(), done["step"].as_u64(), done["editable"].as_bool()), (Some("已入库"), Some(4), Some(false)), "{done}");
    assert_eq!(app.text(&format!("SELECT stage AS v FROM projects WHERE id = '{id}'")).await, "accepted");
    assert_eq!(app.count(&format!("national_sync_events WHERE project_id = '{id}' AND event = 'acceptance_completed'")).await, 1);
    assert_eq!(app.count(&format!("audit_log WHERE object_id = '{id}' AND action = 'acceptance_expert_assign'")).await, 1);
    let (_, list) = get(&app, &ent, "/api/acceptances").await;
    assert_eq!(list["items"].as_array().unwrap().iter().find(|i| i["project_id"] == id.as_str()).unwrap()["status_label"], "已入库");
    let (_, overview) = get(&app, &ent, &format!("/api/projects/{id}")).await;
    let slots: Vec<&str> = overview["project"]["stages"].as_array().unwrap().iter().map(|s| s["status_label"].as_str().unwrap()).collect();
    assert_eq!(slots.last(), Some(&"已入库"), "{slots:?}");
    // Submitted is final: no save after.
    assert_eq!(send(&app, &ent, Method::PUT, &url, json!({"values": values, "version": done["version"]})).await.0, 409);
}

/// The signed webhook (docs/national-sync.md): with a receiver configured, each push sends the page after the
/// acknowledged cursor, signed with the shared secret over the timestamp and body; a refusal (503) moves
/// nothing and the next push sends the same events again; a 2xx acknowledges them (the city reads 已同步); later
/// pushes carry only newer events, never one twice.
mod national_webhook {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::common::Backend;

    const SECRET: &str = "webhook-secret-for-tests-0123456789abcdef";

    #[derive(Clone, Default)]
    struct Receiver {
        got: Arc<Mutex<Vec<(String, String, Vec<u8>)>>>,
        refuse_next: Arc<std::sync::atomic::AtomicBool>,
    }

    /// A receiver on a random port: records each delivery's timestamp, signature and body.
    async fn receiver() -> (String, Receiver) {
        let r = Receiver::default();
        let state = r.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let state = state.clone();
                async move {
                    let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                    state.got.lock().unwrap().push((h("x-shuzhuan-timestamp"), h("x-shuzhuan-signature"), body.to_vec()));
                    if state.refuse_next.swap(false, std::sync::atomic::Ordering::SeqCst) { axum::http::StatusCode::SERVICE_UNAVAILABLE } else { axum::http::StatusCode::OK }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, r)
    }

    async fn run(backend: Backend) {
        let (url, r) = receiver().await;
        let app = TestApp::start_with(backend, |c| {
            c.lifecycle.national_webhook_url = Some(url.clone());
            c.lifecycle.national_webhook_secret = Some(SECRET.into());
        })
        .await;
        app.seed_demo().await;
        let client = reqwest::Client::new();
        let push = || shuzhuan::lifecycle::national_sync::push_once(&app.state, &client);
        assert_eq!(push().await, Ok(0), "nothing to push yet");
        let ent = app.client_for(ENTERPRISE).await;
        let mut projects = Vec::new();
        for i in 0..3 {
            let (id, case) = filed(&app, &ent, &format!("推送项目{i}")).await;
            approve_filing(&app, &case).await;
            projects.push(id);
        }

        r.refuse_next.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(push().await, Err("receiver answered 503 Service Unavailable".into()));
        let city = app.client_for("zhongshan_admin").await;
        let (_, status) = get(&app, &city, "/api/national-sync/status").await;
        assert_eq!(status["acked_seq"], 0, "a refused push acknowledges nothing");

        assert_eq!(push().await, Ok(3));
        assert_eq!(push().await, Ok(0), "nothing left");
        let (d1, d2) = {
            let got = r.got.lock().unwrap();
            assert_eq!(got.len(), 2);
            (got[0].clone(), got[1].clone())
        };
        assert_eq!(d1.2, d2.2, "the refused page comes again, the same");
        let (timestamp, sig, body) = d2;
        assert_eq!(sig, shuzhuan::lifecycle::national_sync::signature(SECRET, timestamp.parse().unwrap(), &body), "signed over the timestamp and body");
        assert_ne!(sig, shuzhuan::lifecycle::national_sync::signature("another secret", timestamp.parse().unwrap(), &body));
        let page: Value = serde_json::from_slice(&body).unwrap();
        let seqs: Vec<u64> = page["events"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        assert_eq!((seqs, page["next_after"].as_u64(), page["schema"].as_str()), (vec![1, 2, 3], Some(3), Some("shuzhuan.national-sync/v1")));
        let (_, status) = get(&app, &city, "/api/national-sync/status").await;
        assert_eq!(status["acked_seq"], 3);
        assert!(status["items"].as_array().unwrap().iter().all(|i| i["status_label"] == "已同步"), "{status}");

        // A newer completion: only it goes out.
        let (_, case) = filed(&app, &ent, "推送项目3").await;
        approve_filing(&app, &case).await;
        assert_eq!(push().await, Ok(1));
        let last: Value = serde_json::from_slice(&r.got.lock().unwrap().last().unwrap().2).unwrap();
        assert_eq!(last["events"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect::<Vec<_>>(), vec![4]);
        assert_eq!(shuzhuan::lifecycle::national_sync::backoff(1).as_secs(), 2);
        assert_eq!(shuzhuan::lifecycle::national_sync::backoff(30).as_secs(), 300);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await
    }
}
