//! Digital-level self-assessment over HTTP (issue 5): autosaved drafts, refusals of bad answers, the
//! manual's worked example end to end, history, the PDF report, editions.

use crate::common::{json, TestApp};
use serde_json::{json, Value};

pub(crate) fn example() -> Value {
    serde_json::from_str(include_str!("../../../core/tests/fixtures/manual_example_answers.json")).unwrap()
}

async fn save(app: &TestApp, answers: Value) -> reqwest::Response {
    app.client.put(app.url("/api/assessments/draft")).json(&json!({ "answers": answers })).send().await.unwrap()
}

async fn submit(app: &TestApp) -> reqwest::Response {
    app.client.post(app.url("/api/assessments/draft/submit")).send().await.unwrap()
}

both!(draft_is_autosaved_and_resumed, bad_answers_are_refused_and_nothing_saved, manual_example_end_to_end,
    incomplete_drafts_cannot_be_submitted, only_enterprises_assess_and_results_stay_private, new_editions_leave_old_results_alone);

async fn draft_is_autosaved_and_resumed(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let none = app.get("/api/assessments/draft").await;
    assert_eq!(none.status(), 200, "no draft is an answer, not an error");
    assert_eq!(json(none).await, serde_json::Value::Null);
    let edition = json(app.get("/api/assessment/edition").await).await;
    assert_eq!(edition["version"], "2024");
    assert_eq!(edition["content"]["questions"].as_array().unwrap().len(), 15);
    let partial = json!({"questions": {"1": {"options": ["B"]}, "2": {"fill_ins": {"q2_equipment_total": 100, "q2_equipment_digitized": 15}}}, "scenarios": {"1": 2}});
    let res = save(&app, partial).await;
    assert_eq!(res.status(), 200);
    let draft = json(res).await;
    assert_eq!(draft["answers"]["questions"]["2"]["options"], json!(["B"]), "15 % picks the (10%,20%] band by itself");
    assert_eq!(draft["missing"].as_array().unwrap().len(), 13 + 15);
    let other = app.client_for("enterprise_demo").await;
    let resumed = json(other.get(app.url("/api/assessments/draft")).send().await.unwrap()).await;
    assert_eq!(resumed["id"], draft["id"]);
    assert_eq!(resumed["answers"]["scenarios"]["1"], 2);
}

async fn bad_answers_are_refused_and_nothing_saved(app: TestApp) {
    app.login_as("enterprise_demo").await;
    assert_eq!(save(&app, json!({"questions": {"1": {"options": ["B"]}}})).await.status(), 200);
    let cases = [
        (json!({"questions": {"5": {"options": ["Z"]}}}), "第5题"),
        (json!({"questions": {"1": {"options": ["A", "B"]}}}), "第1题"),
        (json!({"questions": {"2": {"fill_ins": {"q2_equipment_total": -5}}}}), "第2题"),
        (json!({"questions": {"2": {"fill_ins": {"q2_equipment_total": 10, "q2_equipment_digitized": 20}}}}), "不能大于"),
        (json!({"scenarios": {"3": 5}}), "3"),
    ];
    for (answers, text) in cases {
        let res = save(&app, answers.clone()).await;
        assert_eq!(res.status(), 422, "{answers}");
        let body = json(res).await;
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(text), "{message} should mention {text}");
    }
    let draft = json(app.get("/api/assessments/draft").await).await;
    assert_eq!(draft["answers"]["questions"]["1"]["options"], json!(["B"]), "the good draft is untouched");
    assert!(draft["answers"]["questions"].get("5").is_none());
}

async fn manual_example_end_to_end(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let res = save(&app, example()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["missing"].as_array().unwrap().len(), 0);
    let res = submit(&app).await;
    assert_eq!(res.status(), 201);
    let result = json(res).await;
    assert_eq!(result["total_display"], "49.34");
    assert_eq!(result["level_display"], "二级（规范级）");
    assert_eq!(result["kind"], "企业自测");
    assert_eq!(result["enterprise_name"], "惠州市华阳精机有限公司");
    assert_eq!(
        result["result"]["summary"],
        "本次数字化基础、管理和成效三个维度评分结果为 49.34 分，其中数字化基础得分为 25.46 分，数字化管理得分为 13.88 分，数字化成效得分为 10 分。本次应用场景评测分析围绕企业数字化经营方面的 16 个应用场景展开，企业共建设 16 个应用场景，其中约束性场景 10 个，整体评测处于 二级 水平。"
    );
    assert_eq!(submit(&app).await.status(), 404, "submitted once; no draft is left");
    let history = json(app.get("/api/assessments").await).await;
    assert_eq!(history["total"], 1);
    assert_eq!(history["items"][0]["uscc"], shuzhuan::seed::demo_uscc(33));
    let id = result["id"].as_str().unwrap();
    let detail = json(app.get(&format!("/api/assessments/{id}")).await).await;
    assert_eq!(detail["answers"]["questions"]["2"]["options"], json!(["C"]));

    let res = app.get(&format!("/api/assessments/{id}/report")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = app.dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils; CI installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    // The numbers typed into fill-ins are part of the answers (issue 14: the PDF used to leave them out).
    for needle in ["惠州市华阳精机有限公司", "二级（规范级）", "49.34", "数字化基础", "应用场景", "200 台", "60 台"] {
        assert!(text.contains(needle), "report mentions {needle}: {text}");
    }
}

async fn incomplete_drafts_cannot_be_submitted(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let mut answers = example();
    answers["scenarios"].as_object_mut().unwrap().remove("16");
    answers["questions"].as_object_mut().unwrap().remove("9");
    assert_eq!(save(&app, answers).await.status(), 200);
    let res = submit(&app).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("第9题") && message.contains("场景16"), "{message}");
    assert_eq!(body["error"]["fields"].as_array().unwrap().len(), 2);
    assert_eq!(json(app.get("/api/assessments").await).await["total"], 0);
}

async fn only_enterprises_assess_and_results_stay_private(app: TestApp) {
    app.login_as("enterprise_demo").await;
    save(&app, example()).await;
    let id = json(submit(&app).await).await["id"].as_str().unwrap().to_string();
    let provider = app.client_for("provider_demo").await;
    let res = provider.get(app.url("/api/assessments")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("企业"));
    assert_eq!(provider.get(app.url(&format!("/api/assessments/{id}/report"))).send().await.unwrap().status(), 403);
    let member = json(app.post_json("/api/users", json!({"username": "qiye_clerk", "display_name": "文员", "phone": "13600001111",
        "password": "Zizhanghao#1", "permissions": ["projects"]})).await).await;
    assert!(member["id"].is_string());
    let clerk = app.new_client();
    app.login_response(&clerk, "qiye_clerk", "Zizhanghao#1").await;
    assert_eq!(clerk.get(app.url(&format!("/api/assessments/{id}"))).send().await.unwrap().status(), 403);
}

async fn new_editions_leave_old_results_alone(app: TestApp) {
    app.login_as("enterprise_demo").await;
    save(&app, example()).await;
    let first = json(submit(&app).await).await;
    let mut edition: Value = serde_json::from_str(shuzhuan::assessment::EDITION_2024).unwrap();
    edition["version"] = json!("2024.1");
    for rule in edition["level_rules"].as_array_mut().unwrap() {
        if rule["level"] == 2 {
            rule["min_score"] = json!(50);
        }
    }
    let version = shuzhuan::assessment::import_edition(&app.state.db, &edition.to_string()).await.unwrap();
    assert_eq!(version, "2024.1");
    assert!(shuzhuan::assessment::import_edition(&app.state.db, &edition.to_string()).await.is_err(), "a version is imported once");
    save(&app, example()).await;
    let second = json(submit(&app).await).await;
    assert_eq!(second["edition_version"], "2024.1");
    assert_eq!(second["level_display"], "一级（初始级）");
    let old = json(app.get(&format!("/api/assessments/{}", first["id"].as_str().unwrap())).await).await;
    assert_eq!(old["edition_version"], "2024");
    assert_eq!(old["level_display"], "二级（规范级）", "earlier results keep their edition");
    assert_eq!(app.get(&format!("/api/assessments/{}/report", first["id"].as_str().unwrap())).await.status(), 200);
}
