//! Calls and applying (issue 15) over HTTP on both databases: the seeded Huizhou 2.1 and Xiamen applications
//! submitted whole, eligibility and window refusals, pinned form versions, the designer's checks, 生成申报书
//! read back with pdftotext, and concurrent 申报.

use reqwest::multipart::{Form, Part};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use shuzhuan_core::form::{FieldKind, FormSchema};

use crate::common::form_fill::fill;
use crate::common::{json, TestApp};
use crate::files::pdf_bytes;

both!(
    huizhou_and_xiamen_applications_are_submitted_whole,
    eligibility_and_windows_are_the_servers,
    officials_design_version_and_publish,
    concurrent_applies_make_one_application,
    bad_input_changes_nothing,
);

pub(crate) async fn upload(app: &TestApp, client: &reqwest::Client, purpose: &str, name: &str, bytes: Vec<u8>) -> String {
    let form = Form::new().text("purpose", purpose.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()));
    let res = client.post(app.url("/api/files")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 201);
    json(res).await["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, Value) {
    let res = c.get(app.url(path)).send().await.unwrap();
    let s = res.status().as_u16();
    let body = json(res).await;
    (s, body.get("error").cloned().unwrap_or(body))
}

pub(crate) async fn send(app: &TestApp, c: &reqwest::Client, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
    let res = c.request(method, app.url(path)).json(&body).send().await.unwrap();
    let s = res.status().as_u16();
    let text = res.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    // Errors come in the envelope: tests read its body directly.
    (s, body.get("error").cloned().unwrap_or(body))
}

/// The key of the form's first text field (what a clerk types first).
fn first_text(schema: &Value) -> String {
    let schema: FormSchema = serde_json::from_value(schema.clone()).unwrap();
    shuzhuan_core::form::all_fields(&schema).find(|(_, f)| matches!(f.kind, FieldKind::Text { .. }) && f.when.is_none()).map(|(_, f)| f.key.clone()).expect("a text field")
}

pub(crate) async fn open_calls(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    let (s, body) = get(app, c, "/api/calls/open").await;
    assert_eq!(s, 200, "{body}");
    body["calls"].as_array().unwrap().clone()
}

pub(crate) fn find<'a>(calls: &'a [Value], track: &str) -> &'a Value {
    calls.iter().find(|c| c["call"]["track_name"] == track).unwrap_or_else(|| panic!("no open call for {track}: {calls:?}"))
}

/// Fills, saves, generates the 申报书, uploads the stamped copy and submits one application; returns the
/// application and the text of its 申报书.
pub(crate) async fn complete_and_submit(app: &TestApp, c: &reqwest::Client, id: &str) -> (Value, String) {
    let (_, a) = get(app, c, &format!("/api/calls/applications/{id}")).await;
    let schema: FormSchema = serde_json::from_value(a["schema"].clone()).unwrap();
    let evidence = upload(app, c, "attachment", "佐证材料.pdf", pdf_bytes(100)).await;
    let values = fill(&schema, &evidence);
    let attachments: serde_json::Map<String, Value> = a["call"]["attachments"].as_array().unwrap().iter().map(|i| (i["key"].as_str().unwrap().to_owned(), json!([evidence]))).collect();
    let assessment_id = a["assessments"].get(0).map(|x| x["id"].clone()).unwrap_or(Value::Null);
    let body = json!({ "values": values, "attachments": attachments, "declaration_confirmed": true, "assessment_id": assessment_id, "version": a["version"] });
    let (s, saved) = send(app, c, reqwest::Method::PUT, &format!("/api/calls/applications/{id}"), body).await;
    assert_eq!(s, 200, "{saved}");

    // Without the stamped 申报书 the submission is refused, naming it, and nothing saved is lost.
    let (s, refused) = send(app, c, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": saved["version"] })).await;
    assert_eq!(s, 422, "{refused}");
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["stamped_file_id"], "{refused}");
    let (_, again) = get(app, c, &format!("/api/calls/applications/{id}")).await;
    assert_eq!(again["values"], saved["values"]);

    // 生成申报书 runs in the background; the page polls it.
    let (s, doc) = send(app, c, reqwest::Method::POST, &format!("/api/calls/applications/{id}/documents"), json!({})).await;
    assert_eq!(s, 200, "{doc}");
    let mut file_id = None;
    for _ in 0..300 {
        let (_, a) = get(app, c, &format!("/api/calls/applications/{id}")).await;
        let d = &a["documents"][0];
        assert_ne!(d["status"], "failed", "{d}");
        if d["status"] == "done" {
            file_id = d["file_id"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let file_id = file_id.expect("the 申报书 is generated within a minute");
    let pdf = c.get(app.url(&format!("/api/files/{file_id}"))).send().await.unwrap().bytes().await.unwrap();
    let text = pdftotext(&pdf);

    // The applicant stamps it (a scan until e-seals exist) and uploads it.
    let stamped = upload(app, c, "document", "申报书（盖章）.pdf", pdf.to_vec()).await;
    let mut body = json!({ "values": saved["values"], "attachments": attachments, "declaration_confirmed": true, "assessment_id": assessment_id, "stamped_file_id": stamped, "version": saved["version"] });
    body["values"] = saved["values"].clone();
    let (s, saved) = send(app, c, reqwest::Method::PUT, &format!("/api/calls/applications/{id}"), body).await;
    assert_eq!(s, 200, "{saved}");
    let (s, submitted) = send(app, c, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": saved["version"] })).await;
    assert_eq!(s, 200, "{submitted}");
    assert!(!submitted["editable"].as_bool().unwrap(), "{submitted}");
    (submitted, text)
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    // pdftotext spaces and breaks CJK runs as laid out; compare without whitespace.
    String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

async fn give_assessment(app: &TestApp, org_name: &str, level: i32) {
    use shuzhuan::assessment::entity::{assessment, edition};
    use shuzhuan::directory::org;
    let o = org::Entity::find().filter(org::Column::Name.eq(org_name)).one(&app.state.db).await.unwrap().unwrap();
    let user = shuzhuan::directory::user::Entity::find().filter(shuzhuan::directory::user::Column::OrganizationId.eq(o.id.clone())).one(&app.state.db).await.unwrap().unwrap();
    shuzhuan::assessment::ensure_default_edition(&app.state.db).await.unwrap();
    let ed = edition::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    let now = chrono::Utc::now();
    assessment::Entity::insert(assessment::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(o.id),
        user_id: Set(user.id),
        edition_version: Set(ed.version),
        status: Set("submitted".into()),
        answers: Set("{}".into()),
        result: Set(Some("{}".into())),
        total_hundredths: Set(Some(5650)),
        level: Set(Some(level)),
        level_label: Set(Some(format!("{}级", ["一", "二", "三", "四"][(level - 1) as usize]))),
        q4_weighting: Set("default".into()),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(Some(now)),
    })
    .exec(&app.state.db)
    .await
    .unwrap();
}

async fn huizhou_and_xiamen_applications_are_submitted_whole(app: TestApp) {
    app.seed_demo().await;
    // Huizhou: the eight domains are open to a Huizhou enterprise; Xiamen's call is not even listed.
    let hz = app.client_for("enterprise_demo").await;
    let calls = open_calls(&app, &hz).await;
    assert_eq!(calls.len(), 8, "{calls:?}");
    assert!(calls.iter().all(|c| c["may_apply"] == true), "{calls:?}");
    let equipment = find(&calls, "智能制造装备");
    let (s, applied) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/{}/apply", equipment["call"]["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(s, 200, "{applied}");
    let id = applied["application_id"].as_str().unwrap().to_owned();
    let (submitted, text) = complete_and_submit(&app, &hz, &id).await;
    assert_eq!(submitted["status_label"].as_str().unwrap().contains("审核"), true, "{submitted}");
    assert!(text.contains("惠州市华阳精机有限公司"), "{text}");
    assert!(text.contains("智能制造装备"), "{text}");
    assert!(text.contains("一、") || text.contains("基本"), "sections are printed: {text}");
    assert!(text.contains("测试填0"), "typed values are printed: {text}");
    assert!(text.contains("2021年1000.25万元"), "fixed-row tables are printed as tables: {text}");
    assert!(text.contains("3003.75万元"), "the computed total is printed: {text}");
    // The district bureau of 惠城区 has it in its to-do list and sees the form read-only, by label.
    let district = app.state.db.clone();
    let _ = district;
    let (_, mine) = get(&app, &hz, "/api/calls/mine").await;
    assert_eq!(mine[0]["track_name"], "智能制造装备");
    assert_eq!(mine[0]["stage"], "区县审核", "{mine}");
    let (_, docs) = get(&app, &hz, "/api/calls/documents").await;
    assert_eq!(docs.as_array().unwrap().len(), 1);

    // Xiamen: the declaration, the required self-assessment and the eligibility by industry and size.
    let xm = app.client_for("xiamen_enterprise_demo").await;
    let calls = open_calls(&app, &xm).await;
    assert_eq!(calls.len(), 1, "only Xiamen's own call: {calls:?}");
    let pilot = &calls[0];
    assert_eq!(pilot["may_apply"], true, "{pilot}");
    assert!(pilot["call"]["declaration"].as_str().is_some_and(|d| d.contains("真实")), "{pilot}");
    let (_, applied) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/{}/apply", pilot["call"]["id"].as_str().unwrap()), json!({})).await;
    let id = applied["application_id"].as_str().unwrap().to_owned();
    // Without a finished self-assessment the submission names it.
    let (_, a) = get(&app, &xm, &format!("/api/calls/applications/{id}")).await;
    assert!(a["assessments"].as_array().unwrap().is_empty());
    let (s, refused) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": a["version"] })).await;
    assert_eq!(s, 422);
    let fields: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"assessment_id") && fields.contains(&"declaration_confirmed"), "{fields:?}");
    give_assessment(&app, shuzhuan::seed::XIAMEN_ENTERPRISE, 3).await;
    let (submitted, text) = complete_and_submit(&app, &xm, &id).await;
    assert!(text.contains(shuzhuan::seed::XIAMEN_ENTERPRISE), "{text}");
    assert!(text.contains("申报材料真实性声明"), "{text}");
    let (_, mine) = get(&app, &xm, "/api/calls/mine").await;
    assert_eq!(mine[0]["stage"], "市工信局审核", "{mine} {submitted}");
    // References came from the profile, whatever the browser sent.
    let values = &submitted["values"];
    assert!(values.as_object().unwrap().values().any(|v| v == shuzhuan::seed::XIAMEN_ENTERPRISE), "{values}");
}

async fn eligibility_and_windows_are_the_servers(app: TestApp) {
    app.seed_demo().await;
    let xm = app.client_for("xiamen_enterprise_demo").await;
    let pilot = open_calls(&app, &xm).await[0].clone();
    let call_id = pilot["call"]["id"].as_str().unwrap().to_owned();
    // A Huizhou enterprise cannot apply to Xiamen's call, even by its id.
    let hz = app.client_for("enterprise_demo").await;
    let (s, body) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    assert_eq!(s, 409, "{body}");
    assert_eq!(body["code"], "call_not_eligible");
    // Industry and size, with the reason.
    let org_id = shuzhuan::directory::org::Entity::find().filter(shuzhuan::directory::org::Column::Name.eq(shuzhuan::seed::XIAMEN_ENTERPRISE)).one(&app.state.db).await.unwrap().unwrap().id;
    app.exec("UPDATE organization_profiles SET industry_code = '1311' WHERE organization_id = $1", vec![org_id.clone().into()]).await;
    let calls = open_calls(&app, &xm).await;
    assert_eq!(calls[0]["may_apply"], false);
    assert!(calls[0]["reason"].as_str().unwrap().contains("397"), "{calls:?}");
    let (s, body) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    assert_eq!(s, 409, "{body}");
    app.exec("UPDATE organization_profiles SET industry_code = '3971', size = '大型' WHERE organization_id = $1", vec![org_id.clone().into()]).await;
    let (s, body) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    assert_eq!(s, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("中型"), "{body}");
    app.exec("UPDATE organization_profiles SET size = '中型' WHERE organization_id = $1", vec![org_id.clone().into()]).await;
    let (s, applied) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    assert_eq!(s, 200, "{applied}");
    let id = applied["application_id"].as_str().unwrap().to_owned();
    let (_, a) = get(&app, &xm, &format!("/api/calls/applications/{id}")).await;
    let key = first_text(&a["schema"]);
    let saved_values = json!({ key.clone(): "王经理" });
    let (s, saved) = send(&app, &xm, reqwest::Method::PUT, &format!("/api/calls/applications/{id}"), json!({ "values": saved_values, "version": a["version"] })).await;
    assert_eq!(s, 200, "{saved}");

    // The window closes (the server's clock decides, whatever the page shows): submission is refused with
    // the deadline, a new 申报 too, and what was saved stays.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    app.exec("UPDATE calls SET closes_at = $1 WHERE id = $2", vec![past.into(), call_id.clone().into()]).await;
    let (s, body) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": saved["version"] })).await;
    assert_eq!(s, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("截止"), "{body}");
    let (_, after) = get(&app, &xm, &format!("/api/calls/applications/{id}")).await;
    assert_eq!(after["values"][&key], "王经理");
    assert!(open_calls(&app, &xm).await.is_empty(), "a closed call is not listed");
    // Not yet open.
    let future = chrono::Utc::now() + chrono::Duration::days(1);
    app.exec("UPDATE calls SET opens_at = $1, closes_at = $2 WHERE id = $3", vec![future.into(), (future + chrono::Duration::days(5)).into(), call_id.clone().into()]).await;
    let (s, body) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/{call_id}/submit"), json!({})).await;
    assert!(s == 404 || s == 405, "{body}");
    let (s, body) = send(&app, &xm, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": saved["version"] })).await;
    assert_eq!(s, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("尚未开始"), "{body}");
}

async fn officials_design_version_and_publish(app: TestApp) {
    app.seed_demo().await;
    let official = app.client_for("huizhou_admin").await;
    let now = chrono::Utc::now();
    let (s, program) = send(&app, &official, reqwest::Method::POST, "/api/calls/programs", json!({ "year": 2026, "name": "2026年惠州市数字化转型专项", "level": "市", "funding": "资金类" })).await;
    assert_eq!(s, 201, "{program}");
    let (s, track) = send(&app, &official, reqwest::Method::POST, &format!("/api/calls/programs/{}/tracks", program["id"].as_str().unwrap()), json!({ "name": "工业软件应用", "guide": "申报指南", "opens_at": now - chrono::Duration::days(1), "closes_at": now + chrono::Duration::days(30) })).await;
    assert_eq!(s, 201, "{track}");
    let (s, call) = send(&app, &official, reqwest::Method::POST, "/api/calls", json!({ "track_id": track["id"] })).await;
    assert_eq!(s, 201, "{call}");
    let call_id = call["id"].as_str().unwrap().to_owned();
    assert_eq!(call["form_version"], 1);

    // A form that cannot be filled is refused with a message naming the field; nothing is saved.
    let unfillable = json!({ "title": "申报书", "sections": [{ "key": "a", "title": "基本情况", "fields": [
        { "key": "x", "label": "是否上云", "type": "yes_no", "required": true, "when": { "field": "x", "equals": true } }
    ]}]});
    let (s, checked) = send(&app, &official, reqwest::Method::POST, "/api/forms/check", json!({ "schema": unfillable })).await;
    assert_eq!(s, 200);
    assert!(checked["problems"][0]["message"].as_str().unwrap().contains("依赖它自己"), "{checked}");
    let (s, refused) = send(&app, &official, reqwest::Method::PUT, &format!("/api/calls/{call_id}/form"), json!({ "schema": unfillable })).await;
    assert_eq!(s, 422, "{refused}");
    let v1 = json!({ "title": "申报书", "sections": [{ "key": "a", "title": "基本情况", "fields": [
        { "key": "org", "label": "单位名称", "type": "reference", "source": "org.name" },
        { "key": "cloud", "label": "是否上云", "type": "yes_no", "required": true },
        { "key": "cloud_years", "label": "上云年数", "type": "number", "unit": "年", "min": 1, "required": true, "when": { "field": "cloud", "equals": true } },
        { "key": "systems", "label": "在用系统", "type": "table", "min_rows": 1, "max_rows": 5, "required": true, "columns": [
            { "key": "name", "label": "系统名称", "type": "text", "required": true },
            { "key": "cost", "label": "投入", "type": "money" }
        ]},
        { "key": "total", "label": "投入合计", "type": "computed", "sum": { "table": "systems", "column": "cost" } }
    ]}]});
    let (s, saved) = send(&app, &official, reqwest::Method::PUT, &format!("/api/calls/{call_id}/form"), json!({ "schema": v1 })).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["version"], 2);
    // Settings: a window outside the track's is refused by field.
    let mut settings = json!({ "opens_at": now - chrono::Duration::days(2), "closes_at": now + chrono::Duration::days(10) });
    let (s, refused) = send(&app, &official, reqwest::Method::PUT, &format!("/api/calls/{call_id}"), settings.clone()).await;
    assert_eq!(s, 422, "{refused}");
    assert_eq!(refused["fields"][0]["field"], "opens_at");
    settings["opens_at"] = json!(now - chrono::Duration::hours(1));
    let (s, updated) = send(&app, &official, reqwest::Method::PUT, &format!("/api/calls/{call_id}"), settings).await;
    assert_eq!(s, 200, "{updated}");
    // Not on the portal until published.
    let (_, public) = get(&app, &app.new_client(), "/api/public/calls").await;
    assert!(!public.as_array().unwrap().iter().any(|c| c["id"] == call_id.as_str()));
    let (s, _) = send(&app, &official, reqwest::Method::POST, &format!("/api/calls/{call_id}/publish"), json!({})).await;
    assert_eq!(s, 200);
    let (_, public) = get(&app, &app.new_client(), &format!("/api/public/calls/{call_id}")).await;
    assert_eq!(public["track_name"], "工业软件应用");
    assert_eq!(public["phase"], "open");
    // Other cities' officials cannot edit it.
    let other = app.client_for("jiangmen_admin").await;
    let (s, _) = send(&app, &other, reqwest::Method::PUT, &format!("/api/calls/{call_id}/form"), json!({ "schema": v1 })).await;
    assert_eq!(s, 404);

    // An enterprise starts on version 2, fills the conditional field and the table; the computed total is
    // the server's.
    let hz = app.client_for("enterprise_demo").await;
    let (_, applied) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    let id = applied["application_id"].as_str().unwrap().to_owned();
    let (_, a) = get(&app, &hz, &format!("/api/calls/applications/{id}")).await;
    assert_eq!(a["form_version"], 2);
    let values = json!({ "org": "冒充的名字", "cloud": true, "systems": [{ "name": "ERP", "cost": "12.5" }, { "name": "MES", "cost": "30.000001" }], "total": "1" });
    let (s, saved) = send(&app, &hz, reqwest::Method::PUT, &format!("/api/calls/applications/{id}"), json!({ "values": values, "version": a["version"] })).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["values"]["org"], "惠州市华阳精机有限公司");
    assert_eq!(saved["values"]["total"], "42.500001");
    let (s, refused) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": saved["version"] })).await;
    assert_eq!(s, 422);
    let messages: Vec<&str> = refused["fields"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages.contains(&"请填写「上云年数」"), "{messages:?}");

    // A new version leaves the started application on version 2; a new applicant gets version 3.
    let mut v2 = v1.clone();
    v2["sections"][0]["fields"].as_array_mut().unwrap().push(json!({ "key": "note", "label": "补充说明", "type": "long_text", "required": true }));
    let (_, saved_v3) = send(&app, &official, reqwest::Method::PUT, &format!("/api/calls/{call_id}/form"), json!({ "schema": v2 })).await;
    assert_eq!(saved_v3["version"], 3);
    let (_, a) = get(&app, &hz, &format!("/api/calls/applications/{id}")).await;
    assert_eq!(a["form_version"], 2);
    assert!(!a["schema"].to_string().contains("补充说明"));
    let (s, refused) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": a["version"] })).await;
    assert_eq!(s, 422);
    assert!(!refused.to_string().contains("补充说明"), "{refused}");
}

async fn concurrent_applies_make_one_application(app: TestApp) {
    app.seed_demo().await;
    let hz = app.client_for("enterprise_demo").await;
    let calls = open_calls(&app, &hz).await;
    let call_id = find(&calls, "关键软件")["call"]["id"].as_str().unwrap().to_owned();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let c = hz.clone();
            let url = app.url(&format!("/api/calls/{call_id}/apply"));
            tokio::spawn(async move {
                let res = c.post(url).json(&json!({})).send().await.unwrap();
                (res.status().as_u16(), json(res).await)
            })
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let (s, body) = t.await.unwrap();
        assert_eq!(s, 200, "{body}");
        ids.insert(body["application_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(app.count("call_applications").await, 1);
}

async fn bad_input_changes_nothing(app: TestApp) {
    app.seed_demo().await;
    let hz = app.client_for("enterprise_demo").await;
    let calls = open_calls(&app, &hz).await;
    let call_id = find(&calls, "智能制造装备")["call"]["id"].as_str().unwrap().to_owned();
    let (_, applied) = send(&app, &hz, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    let id = applied["application_id"].as_str().unwrap().to_owned();
    let (_, a) = get(&app, &hz, &format!("/api/calls/applications/{id}")).await;
    let key = first_text(&a["schema"]);
    let (s, saved) = send(&app, &hz, reqwest::Method::PUT, &format!("/api/calls/applications/{id}"), json!({ "values": { key.clone(): "李四" }, "version": a["version"] })).await;
    assert_eq!(s, 200, "{saved}");
    let v = saved["version"].clone();
    // A zip in an item that takes only PDF: refused before it is attached, naming the item.
    let zip = upload(&app, &hz, "attachment", "征信报告.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00".iter().copied().chain(std::iter::repeat_n(0u8, 64)).collect()).await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({ "values": "文本", "version": v }), "values"),
        (json!({ "values": { key.clone(): 5 }, "version": v }), format!("values.{key}").leak()),
        (json!({ "values": {}, "attachments": { "credit_report": [zip] }, "version": v }), "attachments.credit_report"),
        (json!({ "values": {}, "attachments": { "no_such_item": [] }, "version": v }), "attachments.no_such_item"),
        (json!({ "values": {}, "stamped_file_id": "00000000-0000-0000-0000-000000000000", "version": v }), "stamped_file_id"),
        (json!({ "values": {}, "assessment_id": "missing", "version": v }), "assessment_id"),
    ];
    for (body, field) in cases {
        let (s, refused) = send(&app, &hz, reqwest::Method::PUT, &format!("/api/calls/applications/{id}"), body.clone()).await;
        assert_eq!(s, 422, "{body} → {refused}");
        assert!(refused["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["field"] == field)), "{field}: {refused}");
        assert!(refused["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{refused}");
    }
    let (_, after) = get(&app, &hz, &format!("/api/calls/applications/{id}")).await;
    assert_eq!(after["values"][&key], "李四");
    assert_eq!(after["version"], v);
    // Another enterprise cannot read or write it.
    let other = app.client_for("xiamen_enterprise_demo").await;
    let (s, _) = get(&app, &other, &format!("/api/calls/applications/{id}")).await;
    assert_eq!(s, 404);
    // Officials cannot apply; enterprises cannot design.
    let official = app.client_for("huizhou_admin").await;
    let (s, _) = send(&app, &official, reqwest::Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    assert_eq!(s, 403);
    let (s, _) = send(&app, &hz, reqwest::Method::POST, "/api/forms/check", json!({ "schema": {} })).await;
    assert_eq!(s, 403);
}
