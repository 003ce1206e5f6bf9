//! The review engine over HTTP (issue 4), on both databases: every action and its refusals, the to-do
//! list, notifications and SMS, the message board, flow versions, idempotency, the 50-way race, batch
//! approve, and the first two case kinds (information change, provider certification).

use crate::common::{json, TestApp};
use serde_json::{json, Value};

both!(info_change_is_reviewed_by_the_city_end_to_end, refusals_change_nothing, info_change_is_checked_by_its_form_schema, flows_are_versioned_and_cases_pinned,
    withdraws_follow_the_rules, retried_requests_change_nothing, fifty_parallel_actions_make_exactly_one_change,
    batch_approve_reports_each_item, batch_approve_writes_what_single_approvals_write,
    batch_approve_isolates_a_refused_case, concurrent_batches_approve_each_case_once, provider_certification_with_a_return_round, message_board_and_notifications,
    timeline_pdf_and_append_only_trail, reviewers_download_the_cases_attachments, overdue_tasks_are_reminded_once,
    one_open_info_change_when_requests_race);

fn change(name: &str) -> Value {
    json!({"name": name, "uscc": "91440300708461136T", "region_code": "441302", "sub_industry": "模具制造",
        "contact_name": "赵经理", "contact_phone": "13500001111", "attachment_ids": []})
}

/// enterprise_demo (惠州, 惠城区) asks for an information change; returns the case id.
async fn submit_change(app: &TestApp, name: &str) -> String {
    let res = app.post_json("/api/orgs/me/change-requests", change(name)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    json(res).await["id"].as_str().unwrap().to_string()
}

async fn case(client: &reqwest::Client, app: &TestApp, id: &str) -> Value {
    let res = client.get(app.url(&format!("/api/review/cases/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

async fn act(client: &reqwest::Client, app: &TestApp, id: &str, body: Value) -> reqwest::Response {
    client.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(&body).send().await.unwrap()
}

async fn version(client: &reqwest::Client, app: &TestApp, id: &str) -> i64 {
    case(client, app, id).await["version"].as_i64().unwrap()
}

async fn overdue_tasks_are_reminded_once(app: TestApp) {
    use shuzhuan::review::reminders::remind_overdue;
    app.login_as("enterprise_demo").await;
    let id = submit_change(&app, "惠州市华阳精机股份有限公司").await;
    let now = chrono::Utc::now();
    assert_eq!(remind_overdue(&app.state, now).await.unwrap(), 0, "no deadline, no reminder");
    // The stage's deadline has passed (a flow's deadline_days sets due_at when the task opens).
    app.exec("UPDATE review_tasks SET due_at = $1", vec![(now - chrono::Duration::hours(1)).into()]).await;
    let city = app.client_for("huizhou_admin").await;
    let v = version(&city, &app, &id).await;
    assert_eq!(remind_overdue(&app.state, now).await.unwrap(), 1);
    assert_eq!(remind_overdue(&app.state, now).await.unwrap(), 0, "reminded once");

    let notes = json(city.get(app.url("/api/notifications")).send().await.unwrap()).await;
    let n = notes["items"].as_array().unwrap().iter().find(|n| n["event"] == "overdue").expect("the bureau is reminded").clone();
    assert_eq!(n["title"], "超时提醒");
    assert!(n["body"].as_str().unwrap().contains("已超过办理时限"), "{n}");
    let todo = json(city.get(app.url("/api/review/tasks")).send().await.unwrap()).await;
    assert_eq!(todo["items"][0]["overdue"], true);
    let view = case(&city, &app, &id).await;
    assert_eq!(view["status"], "in_review");
    assert_eq!(view["version"], v, "a reminder changes nothing of the case");
    let last = view["trail"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["action"].as_str(), last["action_label"].as_str(), last["actor_name"].as_str()), (Some("remind"), Some("超时提醒"), Some("系统")));

    // The reviewer acts as usual; a closed task is never reminded.
    assert_eq!(act(&city, &app, &id, json!({"action": "approve", "version": v, "opinion": "同意"})).await.status(), 200);
    app.exec("UPDATE review_tasks SET reminded_at = NULL", vec![]).await;
    assert_eq!(remind_overdue(&app.state, now).await.unwrap(), 0);
}

async fn info_change_is_reviewed_by_the_city_end_to_end(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let id = submit_change(&app, "惠州市华阳精机股份有限公司").await;
    let owner_view = case(&app.client, &app, &id).await;
    assert_eq!(owner_view["status"], "in_review");
    assert_eq!(owner_view["progress"][0]["org_name"], "惠州市工业和信息化局", "the city bureau of the enterprise's region reviews");
    assert_eq!(owner_view["progress"][0]["state"], "current");
    assert_eq!(owner_view["actions"], json!(["withdraw_by_owner"]));
    assert_eq!(owner_view["fields"][5]["value"], "13500001111", "personal data decrypted for those who may see the case");
    assert_eq!(app.count("review_cases").await, 1);
    assert_eq!(app.count("review_cases WHERE form LIKE '%13500001111%'").await, 0, "phone encrypted at rest");

    // The owner list.
    let list = json(app.get("/api/review/cases?status=in_review").await).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["status_label"], "审核中");
    assert_eq!(list["items"][0]["latest_org_name"], "惠州市工业和信息化局");

    // The reviewer's to-do list, with per-stage counts; another city sees nothing.
    let city = app.client_for("huizhou_admin").await;
    let todo = json(city.get(app.url("/api/review/tasks")).send().await.unwrap()).await;
    assert_eq!(todo["total"], 1);
    assert_eq!(todo["items"][0]["applicant_name"], "惠州市华阳精机有限公司");
    assert_eq!(todo["counts"][0]["open"], 1);
    let other = app.client_for("zhongshan_admin").await;
    assert_eq!(json(other.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 0);
    assert_eq!(other.get(app.url(&format!("/api/review/cases/{id}"))).send().await.unwrap().status(), 404);

    // Return with an opinion: the owner is notified in-site and by SMS.
    let v = version(&city, &app, &id).await;
    let res = act(&city, &app, &id, json!({"action": "return", "version": v, "opinion": "请补充变更证明材料"})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let returned = json(res).await;
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["progress"][0]["state"], "returned");
    let notes = json(app.get("/api/notifications").await).await;
    assert_eq!(notes["unread"], 1);
    assert!(notes["items"][0]["body"].as_str().unwrap().contains("请补充变更证明材料"), "{notes}");
    // The SMS is sent after the answer, in the background: wait for it a little.
    let mut sms = Value::Null;
    for _ in 0..50 {
        sms = json(app.get("/api/dev/sms-outbox?phone=13800000001").await).await;
        if sms["items"][0]["text"].as_str().is_some_and(|t| t.contains("退回")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sms["items"][0]["text"].as_str().unwrap_or("").contains("退回"), "{sms}");

    // The owner edits and resubmits; the round diff shows what changed.
    let owner_view = case(&app.client, &app, &id).await;
    assert_eq!(owner_view["actions"], json!(["save_draft", "resubmit", "delete"]), "never approved: may be deleted");
    let mut form = owner_view["form"].clone();
    form["contact_name"] = json!("钱经理");
    let res = app.client.put(app.url(&format!("/api/review/cases/{id}/form"))).json(&json!({"form": form, "version": owner_view["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let v = json(res).await["version"].as_i64().unwrap();
    let res = act(&app.client, &app, &id, json!({"action": "resubmit", "version": v})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let diff = json(city.get(app.url(&format!("/api/review/cases/{id}/diff"))).send().await.unwrap()).await;
    assert_eq!(diff["from_round"], 1);
    assert_eq!(diff["to_round"], 2);
    assert_eq!(diff["changes"], json!([{"key": "contact_name", "label": "联系人", "before": "赵经理", "after": "钱经理"}]));

    // Approve: the change takes effect; the trail holds every step; repeating is refused.
    let v = version(&city, &app, &id).await;
    let res = act(&city, &app, &id, json!({"action": "approve", "version": v, "opinion": "同意变更"})).await;
    assert_eq!(res.status(), 200);
    let done = json(res).await;
    assert_eq!(done["status"], "approved");
    let actions: Vec<&str> = done["trail"].as_array().unwrap().iter().map(|t| t["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["submit", "return", "resubmit", "approve"]);
    assert_eq!(done["trail"][3]["org_name"], "惠州市工业和信息化局");
    assert_eq!(json(app.get("/api/auth/me").await).await["user"]["organization"]["name"], "惠州市华阳精机股份有限公司");
    assert_eq!(act(&city, &app, &id, json!({"action": "approve", "version": v})).await.status(), 409);
    let res = act(&app.client, &app, &id, json!({"action": "resubmit", "version": v + 1})).await;
    assert_eq!(res.status(), 409, "an approved case cannot be resubmitted");
    let todo = json(city.get(app.url("/api/review/tasks?state=done")).send().await.unwrap()).await;
    assert_eq!(todo["total"], 2, "one done task per round");
    assert_eq!(todo["counts"][0]["approved"], 1);
    let auditor = app.client_for("audit_admin").await;
    let audit = json(auditor.get(app.url("/api/audit?action=review_approve")).send().await.unwrap()).await;
    assert_eq!(audit["total"], 1, "{audit}");
    // The auditor reads it as the review trail: names, the action in Chinese, the case by title with a link,
    // the stage, the opinion and the status change.
    let e = &audit["items"][0];
    assert_eq!(e["action_label"], "审核通过");
    assert_eq!(e["organization_name"], "惠州市工业和信息化局");
    assert!(e["person"].as_str().unwrap().ends_with("（huizhou_admin）"), "{e}");
    assert_eq!(e["object_type_label"], "审核事项");
    assert_eq!(e["object_label"], done["title"]);
    assert_eq!(e["object_link"], format!("/workbench/review/cases/{id}"));
    let changes = e["changes"].as_array().unwrap();
    assert_eq!(changes[0], json!({"label": "状态", "before": "审核中", "after": "审核通过"}));
    let said = |label: &str| changes.iter().find(|c| c["label"] == label).map(|c| c["after"].clone());
    assert_eq!(said("意见"), Some(json!("同意变更")));
    assert_eq!(said("环节"), Some(json!("市工信审核")), "{changes:?}");
    assert_eq!(said("事项类型").is_some(), true);
    // Every entry about this case, in time order, by person and by object.
    let of_case = json(auditor.get(app.url(&format!("/api/audit?object_type=review_case&object_id={id}"))).send().await.unwrap()).await;
    let labels: Vec<&str> = of_case["items"].as_array().unwrap().iter().rev().map(|e| e["action_label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["申请信息变更", "审核退回", "重新提交", "审核通过"], "{of_case}");
    let by_name = json(auditor.get(app.url("/api/audit?person=huizhou_admin&action=review_return")).send().await.unwrap()).await;
    assert_eq!(by_name["total"], 1);
    let vocabulary = json(auditor.get(app.url("/api/audit/vocabulary")).send().await.unwrap()).await;
    assert!(vocabulary["actions"].as_array().unwrap().iter().any(|t| t["code"] == "review_return" && t["label"] == "审核退回"));
    // Export: a workbook with the same rows, and the export is itself audited.
    let res = auditor.get(app.url(&format!("/api/audit/export.xlsx?object_id={id}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
    let exports = json(auditor.get(app.url("/api/audit?action=audit_export")).send().await.unwrap()).await;
    assert_eq!(exports["total"], 1);
    assert_eq!(city.get(app.url("/api/audit/export.xlsx")).send().await.unwrap().status(), 403);
}

async fn refusals_change_nothing(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let id = submit_change(&app, "惠州市华阳精机股份有限公司").await;
    assert_eq!(app.post_json("/api/orgs/me/change-requests", change("又一个")).await.status(), 409, "one open change at a time");
    let mut bad = change("x");
    bad["uscc"] = json!("91440300708461136A");
    let res = app.post_json("/api/orgs/me/change-requests", bad).await;
    assert_eq!(res.status(), 422);
    let city = app.client_for("huizhou_admin").await;
    let v = version(&city, &app, &id).await;
    // Missing opinion, unknown action, wrong organization, owner acting as reviewer, reviewer acting as owner.
    let res = act(&city, &app, &id, json!({"action": "reject", "version": v})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "opinion");
    assert_eq!(act(&city, &app, &id, json!({"action": "return", "version": v, "opinion": "   "})).await.status(), 422);
    assert_eq!(act(&city, &app, &id, json!({"action": "explode", "version": v})).await.status(), 422);
    let other = app.client_for("zhongshan_admin").await;
    assert_eq!(act(&other, &app, &id, json!({"action": "approve", "version": v})).await.status(), 404);
    assert_eq!(act(&app.client, &app, &id, json!({"action": "approve", "version": v})).await.status(), 403);
    assert_eq!(act(&city, &app, &id, json!({"action": "withdraw_by_owner", "version": v})).await.status(), 403);
    assert_eq!(act(&city, &app, &id, json!({"action": "approve", "version": v - 1})).await.status(), 409, "stale version");
    let opinion = "长".repeat(2001);
    assert_eq!(act(&city, &app, &id, json!({"action": "reject", "version": v, "opinion": opinion})).await.status(), 422);
    // Editing a case in review is refused.
    let res = app.client.put(app.url(&format!("/api/review/cases/{id}/form"))).json(&json!({"form": change("改"), "version": v})).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let after = case(&city, &app, &id).await;
    assert_eq!(after["version"], v, "nothing changed");
    assert_eq!(after["trail"].as_array().unwrap().len(), 1);
    // Reject: terminal, cannot be acted on again, but (never approved) the owner may delete it.
    let res = act(&city, &app, &id, json!({"action": "reject", "version": v, "opinion": "材料不实"})).await;
    assert_eq!(res.status(), 200);
    let me = json(app.get("/api/orgs/me").await).await;
    assert_eq!(me["organization"]["name"], "惠州市华阳精机有限公司", "a rejected change has no effect");
    assert_eq!(act(&city, &app, &id, json!({"action": "approve", "version": v + 1})).await.status(), 409);
    let res = act(&app.client, &app, &id, json!({"action": "delete", "version": v + 1})).await;
    assert_eq!(res.status(), 404, "deleted cases are gone from view");
    assert_eq!(json(app.get("/api/review/cases").await).await["total"], 0);
}

async fn operator_then_city_flow(app: &TestApp) {
    let admin = app.client_for("system_admin").await;
    let flow = json(admin.get(app.url("/api/review/flows/info_change")).send().await.unwrap()).await;
    assert_eq!(flow["items"][0]["version"], 1);
    let mut spec = flow["items"][0]["spec"].clone();
    let city = spec["stages"][0].clone();
    spec["stages"] = json!([{"key": "operator_check", "name": "运营初审", "assignee": {"kind": "fixed_organization", "org_id": "platform_operator"},
        "actions": ["approve", "reject", "return", "withdraw"]}, city]);
    let res = admin.post(app.url("/api/review/flows/info_change")).json(&spec).send().await.unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_eq!(json(res).await["version"], 2);
}

async fn flows_are_versioned_and_cases_pinned(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let first = submit_change(&app, "一号").await;
    // Only the system administrator edits flows; a bad flow is refused.
    let city_admin = app.client_for("huizhou_admin").await;
    assert_eq!(city_admin.get(app.url("/api/review/flows")).send().await.unwrap().status(), 403);
    let admin = app.client_for("system_admin").await;
    let bad = json!({"key": "info_change", "name": "信息变更", "version": 1, "stages": []});
    assert_eq!(admin.post(app.url("/api/review/flows/info_change")).json(&bad).send().await.unwrap().status(), 422);
    operator_then_city_flow(&app).await;
    // The case submitted before keeps its one stage; a new one gets two.
    assert_eq!(case(&app.client, &app, &first).await["progress"].as_array().unwrap().len(), 1);
    let v = version(&city_admin, &app, &first).await;
    assert_eq!(act(&city_admin, &app, &first, json!({"action": "approve", "version": v})).await.status(), 200);
    let second = submit_change(&app, "二号").await;
    let view = case(&app.client, &app, &second).await;
    assert_eq!(view["progress"].as_array().unwrap().len(), 2);
    assert_eq!(view["progress"][0]["org_name"], "平台运营中心");
    // The city cannot act before its stage; the operator approves, then the city.
    assert_eq!(act(&city_admin, &app, &second, json!({"action": "approve", "version": view["version"]})).await.status(), 404);
    let op = app.client_for("operator_admin").await;
    let v = version(&op, &app, &second).await;
    assert_eq!(act(&op, &app, &second, json!({"action": "approve", "version": v})).await.status(), 200);
    let v = version(&city_admin, &app, &second).await;
    let res = act(&city_admin, &app, &second, json!({"action": "approve", "version": v})).await;
    assert_eq!(json(res).await["progress"][1]["state"], "done");
}

async fn withdraws_follow_the_rules(app: TestApp) {
    app.login_as("enterprise_demo").await;
    operator_then_city_flow(&app).await;
    let id = submit_change(&app, "撤回测试").await;
    // The owner withdraws before anyone acted: back to draft, the operator's task goes away.
    let v = version(&app.client, &app, &id).await;
    let res = act(&app.client, &app, &id, json!({"action": "withdraw_by_owner", "version": v})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["status"], "draft");
    let op = app.client_for("operator_admin").await;
    assert_eq!(json(op.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 0);
    let v = version(&app.client, &app, &id).await;
    assert_eq!(act(&app.client, &app, &id, json!({"action": "submit", "version": v})).await.status(), 200);

    // The operator approves and withdraws while the city has not acted: exactly back at stage 1.
    let v = version(&op, &app, &id).await;
    assert_eq!(act(&op, &app, &id, json!({"action": "approve", "version": v})).await.status(), 200);
    let owner_try = act(&app.client, &app, &id, json!({"action": "withdraw_by_owner", "version": v + 1})).await;
    assert_eq!(owner_try.status(), 409, "the owner cannot withdraw once stage 1 acted");
    let res = act(&op, &app, &id, json!({"action": "withdraw_by_reviewer", "version": v + 1})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let back = json(res).await;
    assert_eq!(back["status"], "in_review");
    assert_eq!(back["stage_index"], 0);
    let city = app.client_for("huizhou_admin").await;
    assert_eq!(json(city.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 0, "the city's task was cancelled");

    // Approve again; the city returns it; now the operator's withdraw is too late.
    let v = version(&op, &app, &id).await;
    assert_eq!(act(&op, &app, &id, json!({"action": "approve", "version": v})).await.status(), 200);
    let v = version(&city, &app, &id).await;
    assert_eq!(act(&city, &app, &id, json!({"action": "return", "version": v, "opinion": "补充材料"})).await.status(), 200);
    let res = act(&op, &app, &id, json!({"action": "withdraw_by_reviewer", "version": v + 1})).await;
    assert_eq!(res.status(), 409);
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("无法撤回"));
    // The resubmission reaches the stage that returned it (the city), not stage 1.
    let v = version(&app.client, &app, &id).await;
    let res = act(&app.client, &app, &id, json!({"action": "resubmit", "version": v})).await;
    assert_eq!(json(res).await["stage_index"], 1);
    assert_eq!(json(city.get(app.url("/api/review/tasks")).send().await.unwrap()).await["total"], 1);
}

async fn retried_requests_change_nothing(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let id = submit_change(&app, "幂等测试").await;
    let city = app.client_for("huizhou_admin").await;
    let v = version(&city, &app, &id).await;
    let body = json!({"action": "return", "version": v, "opinion": "请补充"});
    let send = || city.post(app.url(&format!("/api/review/cases/{id}/actions"))).header("Idempotency-Key", "k-1").json(&body).send();
    let first = send().await.unwrap();
    assert_eq!(first.status(), 200);
    let second = send().await.unwrap();
    assert_eq!(second.status(), 200, "a retry answers like the first time");
    let after = json(second).await;
    assert_eq!(after["version"], v + 1);
    assert_eq!(after["trail"].as_array().unwrap().len(), 2, "and changes nothing");
    assert_eq!(json(app.get("/api/notifications").await).await["total"], 1, "one notice, not two");
}

async fn fifty_parallel_actions_make_exactly_one_change(app: TestApp) {
    app.login_as("enterprise_demo").await;
    operator_then_city_flow(&app).await;
    let id = submit_change(&app, "并发测试").await;
    let op = app.client_for("operator_admin").await;
    let v = version(&op, &app, &id).await;
    let bodies: Vec<Value> = (0..50)
        .map(|i| match i % 3 {
            0 => json!({"action": "approve", "version": v}),
            1 => json!({"action": "return", "version": v, "opinion": format!("意见{i}")}),
            _ => json!({"action": "reject", "version": v, "opinion": format!("意见{i}")}),
        })
        .collect();
    let futures = bodies.iter().map(|b| op.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(b).send());
    let results = futures::future::join_all(futures).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.as_ref().unwrap().status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 49, "{statuses:?}");
    let after = case(&op, &app, &id).await;
    assert_eq!(after["version"], v + 1);
    let trail = after["trail"].as_array().unwrap();
    assert_eq!(trail.len(), 2, "submit + the one winning action");
    assert_eq!(trail[1]["status_before"], "审核中");
    let open = app.count("review_tasks WHERE state = 'open'").await;
    let expected_open = if after["status"] == "in_review" { 1 } else { 0 };
    assert_eq!(open, expected_open, "tasks agree with the case");

    // Withdraw races too: 50 parallel withdraws of an approve undo it once.
    if after["status"] == "in_review" {
        let v = v + 1;
        let futures = (0..50).map(|_| op.post(app.url(&format!("/api/review/cases/{id}/actions"))).json(&json!({"action": "withdraw_by_reviewer", "version": v})).send());
        let statuses: Vec<u16> = futures::future::join_all(futures).await.iter().map(|r| r.as_ref().unwrap().status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert_eq!(case(&op, &app, &id).await["trail"].as_array().unwrap().len(), 3);
    }
}

/// Creates `n` enterprises in 惠城区 with an administrator each and an information change in review.
async fn many_changes(app: &TestApp, n: usize) -> Vec<String> {
    use shuzhuan::review::{submit_new_case, Acting, NewCase};
    let mut ids = Vec::new();
    for i in 0..n {
        let name = format!("惠州市批量测试{i}有限公司");
        let org = shuzhuan::directory::create(&app.state.db, shuzhuan::directory::NewOrg {
            name: &name, kind: shuzhuan::directory::OrgKind::Enterprise, uscc: None, region_code: Some("441302"), parent_id: None,
        })
        .await
        .unwrap();
        let txn = sea_orm::TransactionTrait::begin(&app.state.db).await.unwrap();
        let acting = Acting { user_id: app_user(app).await, user_name: "批量".into(), org_id: org.id.clone(), org_name: name.clone(), org_kind: shuzhuan::directory::OrgKind::Enterprise, ip: None };
        let mut form = change(&format!("{name}（变更）"));
        form["region_name"] = json!("惠城区");
        // Each enterprise changes to its own credit code: one code belongs to one enterprise.
        form["uscc"] = json!(shuzhuan::seed::demo_uscc(500 + i));
        let id = submit_new_case(&txn, &app.state, NewCase {
            kind: shuzhuan::review::kind("info_change").unwrap(), owner_org_id: &org.id, owner_region_code: Some("441302"), form, submit: true,
        }, &acting)
        .await
        .unwrap();
        txn.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

/// Any existing user id (cases name their submitting user).
async fn app_user(app: &TestApp) -> String {
    shuzhuan::accounts::find_by_username(&app.state.db, "enterprise_demo").await.unwrap().unwrap().id
}

async fn batch_approve_reports_each_item(app: TestApp) {
    app.login_as("huizhou_admin").await;
    let ids = many_changes(&app, 5).await;
    let todo = json(app.get("/api/review/tasks?page_size=10").await).await;
    assert_eq!(todo["total"], 5);
    let mut items: Vec<Value> = todo["items"].as_array().unwrap().iter().map(|t| json!({"case_id": t["case_id"], "version": t["version"]})).collect();
    items[0]["version"] = json!(99); // stale: fails alone
    items.push(json!({"case_id": "no-such-case", "version": 1}));
    let res = app.post_json("/api/review/tasks/batch-approve", json!({"items": items, "opinion": "同意"})).await;
    assert_eq!(res.status(), 200);
    let results = json(res).await["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 6);
    assert_eq!(results.iter().filter(|r| r["ok"] == true).count(), 4, "{results:?}");
    assert!(results[0]["message"].as_str().unwrap().contains("刷新"));
    assert_eq!(results[5]["ok"], false);
    // Results come back in the order of the selection (the items run a few at a time), each titled, except
    // a case the reviewer cannot see.
    for (r, item) in results.iter().zip(&items) {
        assert_eq!(r["case_id"], item["case_id"]);
    }
    assert!(results[..5].iter().all(|r| !r["title"].as_str().unwrap().is_empty()), "{results:?}");
    assert_eq!(results[5]["title"], "");
    let approved = app.count("review_cases WHERE status = 'approved'").await;
    assert_eq!(approved, 4);
    assert_eq!(ids.len(), 5);
    assert_eq!(app.post_json("/api/review/tasks/batch-approve", json!({"items": []})).await.status(), 422);
    let ent = app.client_for("enterprise_demo").await;
    assert_eq!(ent.post(app.url("/api/review/tasks/batch-approve")).json(&json!({"items": [{"case_id": ids[1], "version": 1}]})).send().await.unwrap().status(), 200);
    let r = json(ent.post(app.url("/api/review/tasks/batch-approve")).json(&json!({"items": [{"case_id": ids[0], "version": 1}]})).send().await.unwrap()).await;
    assert_eq!(r["results"][0]["ok"], false, "another organization's case is not found");
}

/// Cases approved in one batch (more than one chunk of 250) end exactly as cases approved one at a time: the
/// next stage's task opened at the same organization, the reviewers told, one trail row and one audit entry
/// per case; the second stage's batch completes them.
async fn batch_approve_writes_what_single_approvals_write(app: TestApp) {
    app.login_as("enterprise_demo").await;
    operator_then_city_flow(&app).await;
    let single = submit_change(&app, "单件").await;
    let ids = many_changes(&app, 260).await;
    let op = app.client_for("operator_admin").await;
    let city = app.client_for("huizhou_admin").await;
    let assigned_before = app.count("notifications WHERE event = 'assigned'").await;
    let v = version(&op, &app, &single).await;
    assert_eq!(act(&op, &app, &single, json!({"action": "approve", "version": v, "opinion": "同意"})).await.status(), 200);
    let per_case = app.count("notifications WHERE event = 'assigned'").await - assigned_before;
    assert!(per_case > 0, "the city's reviewers are told of the new task");

    let items: Vec<Value> = ids.iter().map(|id| json!({"case_id": id, "version": 1})).collect();
    let res = op.post(app.url("/api/review/tasks/batch-approve")).json(&json!({"items": items, "opinion": "同意"})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let results = json(res).await["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 260);
    assert!(results.iter().all(|r| r["ok"] == true), "{:?}", results.iter().find(|r| r["ok"] != true));
    assert_eq!(app.count("notifications WHERE event = 'assigned'").await - assigned_before, per_case * 261);
    assert_eq!(app.count("review_trail WHERE action = 'approve'").await, 261);
    assert_eq!(app.count("audit_log WHERE action = 'review_approve'").await, 261);
    assert_eq!(app.count("review_tasks WHERE stage = 0 AND state = 'open'").await, 0);
    assert_eq!(app.count("review_tasks WHERE stage = 0 AND state = 'done' AND outcome = 'approved'").await, 261);
    assert_eq!(app.count("review_tasks WHERE stage = 1 AND state = 'open'").await, 261);
    // The operator's 待审核提醒 are settled with their tasks; only the city's new ones are unread.
    assert_eq!(app.count("notifications WHERE event = 'assigned' AND read_at IS NULL").await, per_case * 261);
    // Each case as one approval leaves it: at the city's stage, version 2, the opinion and the operator named.
    let one = case(&city, &app, &ids[137]).await;
    let s = case(&city, &app, &single).await;
    for key in ["status", "version", "latest_opinion"] {
        assert_eq!(one[key], s[key], "{key}");
    }
    let steps = |v: &Value| -> Vec<Value> {
        v["progress"].as_array().unwrap().iter().map(|st| {
            let mut st = st.clone();
            st.as_object_mut().unwrap().retain(|k, _| k != "at");
            st
        }).collect()
    };
    assert_eq!(steps(&one), steps(&s));
    assert_eq!(one["progress"][1]["org_name"], s["progress"][1]["org_name"]);

    // The city approves them all in one batch: every change takes effect.
    let mut items: Vec<Value> = Vec::new();
    for page in 1..=3 {
        let todo = json(city.get(app.url(&format!("/api/review/tasks?page_size=100&page={page}"))).send().await.unwrap()).await;
        items.extend(todo["items"].as_array().unwrap().iter().map(|t| json!({"case_id": t["case_id"], "version": t["version"]})));
    }
    assert_eq!(items.len(), 261);
    let res = json(city.post(app.url("/api/review/tasks/batch-approve")).json(&json!({"items": items})).send().await.unwrap()).await;
    assert!(res["results"].as_array().unwrap().iter().all(|r| r["ok"] == true), "{res}");
    assert_eq!(app.count("review_cases WHERE status = 'approved'").await, 261);
    assert_eq!(app.count("review_tasks WHERE state = 'open'").await, 0);
    assert_eq!(app.count("notifications WHERE event = 'assigned' AND read_at IS NULL").await, 0);
    assert_eq!(app.count("organizations WHERE name LIKE '惠州市批量测试%（变更）'").await, 260);
}

/// A case whose approval is refused while writing (its new credit code was taken meanwhile) fails alone:
/// the others of its chunk are approved.
async fn batch_approve_isolates_a_refused_case(app: TestApp) {
    app.login_as("huizhou_admin").await;
    let ids = many_changes(&app, 6).await;
    // Another enterprise registers the credit code case 3 asks for.
    let taken = shuzhuan::seed::demo_uscc(500 + 3);
    app.exec("UPDATE organizations SET uscc = $1 WHERE id = (SELECT organization_id FROM users WHERE username = $2)", vec![taken.into(), "enterprise_demo".into()]).await;
    let items: Vec<Value> = ids.iter().map(|id| json!({"case_id": id, "version": 1})).collect();
    let res = app.post_json("/api/review/tasks/batch-approve", json!({"items": items, "opinion": "同意"})).await;
    assert_eq!(res.status(), 200);
    let results = json(res).await["results"].as_array().unwrap().clone();
    let ok: Vec<bool> = results.iter().map(|r| r["ok"] == true).collect();
    assert_eq!(ok, [true, true, true, false, true, true], "{results:?}");
    assert!(!results[3]["message"].as_str().unwrap().is_empty());
    assert_eq!(app.count("review_cases WHERE status = 'approved'").await, 5);
    assert_eq!(app.count("review_trail WHERE action = 'approve'").await, 5);
    assert_eq!(app.count("audit_log WHERE action = 'review_approve'").await, 5);
    let refused = case(&app.client, &app, &ids[3]).await;
    assert_eq!(refused["status"], "in_review");
    assert_eq!(refused["version"], 1);
}

/// Two reviewers' batches over the same cases at once, and single approvals among them: each case is
/// approved exactly once, and every other attempt on it is reported as a conflict.
async fn concurrent_batches_approve_each_case_once(app: TestApp) {
    app.login_as("huizhou_admin").await;
    let ids = many_changes(&app, 40).await;
    let items: Vec<Value> = ids.iter().map(|id| json!({"case_id": id, "version": 1})).collect();
    let other = app.client_for("huizhou_admin").await;
    let batch = |client: reqwest::Client, items: Vec<Value>| {
        let url = app.url("/api/review/tasks/batch-approve");
        async move { json(client.post(url).json(&json!({"items": items})).send().await.unwrap()).await }
    };
    let mut reversed = items.clone();
    reversed.reverse();
    let singles = ids.iter().step_by(7).map(|id| act(&other, &app, id, json!({"action": "approve", "version": 1})));
    let (a, b, c, singles) = tokio::join!(
        batch(app.client.clone(), items.clone()),
        batch(other.clone(), reversed),
        batch(other.clone(), items[10..30].to_vec()),
        futures::future::join_all(singles)
    );
    let ok = |v: &Value| v["results"].as_array().unwrap().iter().filter(|r| r["ok"] == true).count();
    let single_ok = singles.iter().filter(|r| r.status() == 200).count();
    assert_eq!(ok(&a) + ok(&b) + ok(&c) + single_ok, 40, "{a} {b} {c}");
    for r in [&a, &b, &c].iter().flat_map(|v| v["results"].as_array().unwrap()) {
        if r["ok"] != true {
            assert!(r["message"].as_str().unwrap().contains("刷新"), "{r}");
        }
    }
    assert_eq!(app.count("review_cases WHERE status = 'approved'").await, 40);
    assert_eq!(app.count("review_trail WHERE action = 'approve'").await, 40);
    assert_eq!(app.count("audit_log WHERE action = 'review_approve'").await, 40);
}

async fn provider_certification_with_a_return_round(app: TestApp) {
    let code = app.sms_code("13912340000", "register").await;
    let body = json!({
        "kind": "provider", "phone": "13912340000", "sms_code": code, "password": "Fuwu@2026x", "confirm_password": "Fuwu@2026x",
        "company_name": "江门市测试软件有限公司", "uscc": "91350100M000100Y43", "region_code": "440703", "address": "江门市蓬江区测试路2号",
        "industry_code": "I", "contact_name": "周经办", "service_scope": ["dcmm", "cloud"],
    });
    let res = app.post_json("/api/register", body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_eq!(app.login_response(&app.client, "13912340000", "Fuwu@2026x").await.status(), 200);
    assert_eq!(json(app.get("/api/orgs/me").await).await["organization"]["certification_status"], "pending");
    let list = json(app.get("/api/review/cases?kind=provider_certification").await).await;
    assert_eq!(list["total"], 1);
    let id = list["items"][0]["id"].as_str().unwrap().to_string();

    app.seed_demo().await;
    let op = app.client_for("operator_admin").await;
    let todo = json(op.get(app.url("/api/review/tasks")).send().await.unwrap()).await;
    assert_eq!(todo["items"][0]["kind_name"], "服务商认证审核");
    assert_eq!(todo["items"][0]["applicant_name"], "江门市测试软件有限公司");
    let v = todo["items"][0]["version"].as_i64().unwrap();
    assert_eq!(act(&op, &app, &id, json!({"action": "return", "version": v, "opinion": "请补充企业简介"})).await.status(), 200);

    // The provider fixes the introduction and resubmits (validation on resubmit lists problems).
    let view = case(&app.client, &app, &id).await;
    let mut form = view["form"].clone();
    form["service_scopes"] = json!([]);
    let res = app.client.put(app.url(&format!("/api/review/cases/{id}/form"))).json(&json!({"form": form, "version": view["version"]})).send().await.unwrap();
    assert_eq!(res.status(), 200, "a draft saves whatever was typed");
    let v = json(res).await["version"].as_i64().unwrap();
    let res = act(&app.client, &app, &id, json!({"action": "resubmit", "version": v})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "service_scopes");
    form["service_scopes"] = json!(["dcmm"]);
    form["introduction"] = json!("专注制造业数字化转型咨询与实施");
    let res = app.client.put(app.url(&format!("/api/review/cases/{id}/form"))).json(&json!({"form": form, "version": v})).send().await.unwrap();
    let v = json(res).await["version"].as_i64().unwrap();
    assert_eq!(act(&app.client, &app, &id, json!({"action": "resubmit", "version": v})).await.status(), 200);
    let diff = json(op.get(app.url(&format!("/api/review/cases/{id}/diff"))).send().await.unwrap()).await;
    let keys: Vec<&str> = diff["changes"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["service_scopes", "introduction"]);
    let v = version(&op, &app, &id).await;
    assert_eq!(act(&op, &app, &id, json!({"action": "approve", "version": v})).await.status(), 200);
    let me = json(app.get("/api/orgs/me").await).await;
    assert_eq!(me["organization"]["certification_status"], "certified");
    assert_eq!(me["profile"]["service_scope"], json!(["dcmm"]));
    let notes = json(app.get("/api/notifications").await).await;
    let titles: Vec<&str> = notes["items"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["审核通过通知", "审核退回通知"]);
}

async fn message_board_and_notifications(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let id = submit_change(&app, "留言测试").await;
    let city = app.client_for("huizhou_admin").await;
    let before = json(city.get(app.url("/api/notifications/unread-count")).send().await.unwrap()).await["count"].as_u64().unwrap();
    assert_eq!(before, 1, "the assignment");
    let res = app.post_json(&format!("/api/review/cases/{id}/messages"), json!({"body": "变更证明已上传，请审核"})).await;
    assert_eq!(res.status(), 201);
    assert_eq!(app.post_json(&format!("/api/review/cases/{id}/messages"), json!({"body": "  "})).await.status(), 422);
    assert_eq!(json(city.get(app.url("/api/notifications/unread-count")).send().await.unwrap()).await["count"], 2);
    let msgs = json(city.get(app.url("/api/review/messages")).send().await.unwrap()).await;
    assert_eq!(msgs["items"][0]["body"], "变更证明已上传，请审核");
    assert_eq!(msgs["items"][0]["mine"], false);
    let res = city.post(app.url(&format!("/api/review/cases/{id}/messages"))).json(&json!({"body": "已收到"})).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let thread = json(app.get(&format!("/api/review/cases/{id}/messages")).await).await;
    assert_eq!(thread["items"].as_array().unwrap().len(), 2);
    assert_eq!(thread["items"][1]["org_name"], "惠州市工业和信息化局");
    let other = app.client_for("zhongshan_admin").await;
    assert_eq!(other.get(app.url(&format!("/api/review/cases/{id}/messages"))).send().await.unwrap().status(), 404);
    assert_eq!(json(other.get(app.url("/api/review/messages")).send().await.unwrap()).await["items"], json!([]));
    // Mark read, one and all; another user's notification is not found.
    let notes = json(city.get(app.url("/api/notifications")).send().await.unwrap()).await;
    let nid = notes["items"][0]["id"].as_str().unwrap();
    assert_eq!(app.client.post(app.url(&format!("/api/notifications/{nid}/read"))).send().await.unwrap().status(), 404);
    assert_eq!(city.post(app.url(&format!("/api/notifications/{nid}/read"))).send().await.unwrap().status(), 204);
    assert_eq!(json(city.get(app.url("/api/notifications/unread-count")).send().await.unwrap()).await["count"], 1);
    assert_eq!(city.post(app.url("/api/notifications/read-all")).send().await.unwrap().status(), 204);
    assert_eq!(json(city.get(app.url("/api/notifications/unread-count")).send().await.unwrap()).await["count"], 0);
}

async fn timeline_pdf_and_append_only_trail(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let id = submit_change(&app, "导出测试").await;
    let res = app.get(&format!("/api/review/cases/{id}/timeline.pdf")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
    let other = app.client_for("zhongshan_admin").await;
    assert_eq!(other.get(app.url(&format!("/api/review/cases/{id}/timeline.pdf"))).send().await.unwrap().status(), 404);
    // The trail cannot be rewritten, even by SQL.
    use sea_orm::ConnectionTrait;
    let db = &app.state.db;
    assert!(db.execute_unprepared("UPDATE review_trail SET opinion = 'x'").await.is_err());
    assert!(db.execute_unprepared("DELETE FROM review_trail").await.is_err());
    assert_eq!(app.count("review_trail").await, 1);
}

/// 信息变更 runs on the schema-driven form engine: the web reads the form from the server, and a bad 信用代码,
/// phone or region is refused with the field's Chinese message and changes nothing.
async fn info_change_is_checked_by_its_form_schema(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let res = app.get("/api/orgs/me/change-requests/form").await;
    assert_eq!(res.status(), 200);
    let schema = json(res).await["schema"].clone();
    let fields = schema["sections"][0]["fields"].as_array().unwrap();
    let keys: Vec<&str> = fields.iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["name", "uscc", "region_code", "sub_industry", "contact_name", "contact_phone", "attachment_ids"]);
    assert_eq!(fields[0]["format"], "company_name", "the page looks the name up in the company registry");
    assert_eq!((fields[1]["type"].as_str(), fields[1]["format"].as_str()), (Some("text"), Some("uscc")));
    assert_eq!(fields[2]["type"], "region");
    assert_eq!(fields[5]["format"], "phone");
    assert_eq!(app.new_client().get(app.url("/api/orgs/me/change-requests/form")).send().await.unwrap().status(), 401);

    let before = json(app.get("/api/orgs/me").await).await;
    let refused = [
        ("uscc", json!("91440300708461136A"), "「统一社会信用代码」校验位不正确，请核对后重新输入"),
        ("uscc", json!("9144030070846113"), "「统一社会信用代码」应为18位，当前为16位"),
        ("contact_phone", json!("1350000111"), "「联系电话」应为11位手机号码，当前为10位"),
        ("contact_phone", json!("01012345678"), "「联系电话」应为以13-19开头的11位手机号码"),
        ("contact_phone", json!(""), "请填写「联系电话」"),
        ("region_code", json!("4413"), "「所属地区」须为6位（省、市、县级）或9位（乡镇、街道级）数字，当前为4位"),
        ("name", json!("  "), "请填写「企业名称」"),
        ("contact_name", json!("赵".repeat(51)), "「联系人」不能超过50字（已填51字）"),
    ];
    for (key, value, message) in refused {
        let mut body = change("惠州市华阳精机股份有限公司");
        body[key] = value.clone();
        let res = app.post_json("/api/orgs/me/change-requests", body).await;
        assert_eq!(res.status(), 422, "{key} = {value}");
        let error = json(res).await["error"].clone();
        assert_eq!(error["fields"], json!([{"field": key, "message": message}]), "{key} = {value}");
    }
    assert_eq!(app.count("review_cases").await, 0, "a refused change starts no case");
    assert_eq!(json(app.get("/api/orgs/me/change-requests").await).await["items"], json!([]));
    assert_eq!(json(app.get("/api/orgs/me").await).await, before, "and changes nothing of the organization");

    // A good one, typed as people type (lower case code, a spaced phone): the view reads the region by name.
    let mut body = change("惠州市华阳精机股份有限公司");
    body["uscc"] = json!("91440300708461136t");
    body["contact_phone"] = json!("135 0000 1111");
    let res = app.post_json("/api/orgs/me/change-requests", body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let id = json(res).await["id"].as_str().unwrap().to_owned();
    let view = case(&app.client, &app, &id).await;
    let row = |k: &str| view["fields"].as_array().unwrap().iter().find(|f| f["key"] == k).map(|f| (f["label"].clone(), f["value"].clone()));
    assert_eq!(row("uscc"), Some((json!("统一社会信用代码"), json!("91440300708461136T"))));
    assert_eq!(row("region_code"), Some((json!("所属地区"), json!("惠城区（441302）"))));
    assert_eq!(row("contact_phone"), Some((json!("联系电话"), json!("135 0000 1111"))));
    assert_eq!(row("attachment_ids"), None, "files are listed with the case's attachments, not as a row");
    assert_eq!(view["fields"].as_array().unwrap().len(), 6);

    // Approved, the change takes effect in the parsed, normalized form.
    let city = app.client_for("huizhou_admin").await;
    let v = version(&city, &app, &id).await;
    assert_eq!(act(&city, &app, &id, json!({"action": "approve", "version": v, "opinion": "同意"})).await.status(), 200);
    let after = json(app.get("/api/orgs/me").await).await;
    assert_eq!(after["organization"]["name"], "惠州市华阳精机股份有限公司");
    assert_eq!(after["organization"]["uscc"], "91440300708461136T");
    assert_eq!(after["profile"]["contact_phone_masked"], "135****1111", "the phone as Phone::parse reads it");
}

async fn reviewers_download_the_cases_attachments(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let form = reqwest::multipart::Form::new()
        .text("purpose", "attachment")
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("变更证明.pdf"));
    let file = json(app.client.post(app.url("/api/files")).multipart(form).send().await.unwrap()).await;
    let file_id = file["id"].as_str().unwrap();
    let mut body = change("附件测试");
    body["attachment_ids"] = json!([file_id]);
    let res = app.post_json("/api/orgs/me/change-requests", body).await;
    let id = json(res).await["id"].as_str().unwrap().to_string();
    let city = app.client_for("huizhou_admin").await;
    let view = case(&city, &app, &id).await;
    assert_eq!(view["attachments"][0]["name"], "变更证明.pdf");
    assert_eq!(city.get(app.url(&format!("/api/files/{file_id}"))).send().await.unwrap().status(), 200, "the reviewer reads the attachment");
    let other = app.client_for("zhongshan_admin").await;
    assert_eq!(other.get(app.url(&format!("/api/files/{file_id}"))).send().await.unwrap().status(), 404);
    let provider = app.client_for("provider_demo").await;
    assert_eq!(provider.get(app.url(&format!("/api/files/{file_id}"))).send().await.unwrap().status(), 404);
}

/// Twenty 信息变更 requests at once (a double click, two tabs): one is created, the others are told one is open.
async fn one_open_info_change_when_requests_race(app: TestApp) {
    app.login_as("enterprise_demo").await;
    let runs = (0..20).map(|i| {
        let (client, url) = (app.client.clone(), app.url("/api/orgs/me/change-requests"));
        async move { client.post(url).json(&change(&format!("并发变更{i}有限公司"))).send().await.unwrap().status().as_u16() }
    });
    let mut statuses = futures::future::join_all(runs).await;
    statuses.sort();
    assert_eq!(statuses, [vec![201], vec![409; 19]].concat());
    assert_eq!(app.count("review_cases WHERE kind = 'info_change'").await, 1);
}
