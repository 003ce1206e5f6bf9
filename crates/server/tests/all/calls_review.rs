//! Reviewing calls (issue 16) over HTTP on both databases: responsible sections (责任科室) route the district's
//! and the city's tasks to the handlers of the assigned department and user type; the Huizhou call from
//! application to the province's decision with a district return resumed at the district; 撤回 before and after
//! the city acts; batch 推荐 of a mixed selection; the district deadline; each bureau sees only its own; the
//! 推荐汇总表 of 附件3 and the published 结果公示; 指定单位 read from Excel.
use reqwest::Method;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{json, Value};

use crate::calls::{complete_and_submit, find, get, open_calls, send, upload};
use crate::common::TestApp;

both!(
    sections_route_the_huizhou_call_to_the_province,
    batch_recommend_and_the_district_deadline,
    sections_are_set_by_the_bureau_only,
    project_center_lists_and_exports_what_the_bureau_reviews,
    a_track_without_district_review_starts_at_the_city,
    reviewing_counts_and_recommendation_letters,
    summary_sheets_and_published_results,
    named_applicants_are_read_from_excel,
);

/// Applies to the track and submits the whole application; returns its id.
async fn submitted(app: &TestApp, ent: &reqwest::Client, track: &str) -> String {
    let calls = open_calls(app, ent).await;
    let call = find(&calls, track);
    let (s, applied) = send(app, ent, Method::POST, &format!("/api/calls/{}/apply", call["call"]["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(s, 200, "{applied}");
    let id = applied["application_id"].as_str().unwrap().to_owned();
    complete_and_submit(app, ent, &id).await;
    id
}

async fn tasks(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    let (s, page) = get(app, c, "/api/review/tasks").await;
    assert_eq!(s, 200, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn case(app: &TestApp, c: &reqwest::Client, id: &str) -> Value {
    let (s, body) = get(app, c, &format!("/api/review/cases/{id}")).await;
    assert_eq!(s, 200, "{body}");
    body
}

async fn act(app: &TestApp, c: &reqwest::Client, id: &str, action: &str, opinion: Option<&str>) -> (u16, Value) {
    let v = case(app, c, id).await["version"].clone();
    send(app, c, Method::POST, &format!("/api/review/cases/{id}/actions"), json!({ "action": action, "version": v, "opinion": opinion })).await
}

/// A government user of the caller's bureau, in `department_id`, with the user type and 审核办理.
async fn handler(app: &TestApp, admin: &reqwest::Client, username: &str, phone: &str, department_id: &str, user_type: &str) -> reqwest::Client {
    let body = json!({ "username": username, "display_name": username, "phone": phone, "password": "Jingban#2026",
        "permissions": ["reviews"], "department_id": department_id, "user_type": user_type });
    let (s, created) = send(app, admin, Method::POST, "/api/users", body).await;
    assert_eq!(s, 201, "{created}");
    app.exec("UPDATE users SET must_change_password = $1 WHERE username = $2", vec![false.into(), username.into()]).await;
    let c = app.new_client();
    assert_eq!(app.login_response(&c, username, "Jingban#2026").await.status(), 200);
    c
}

async fn department(app: &TestApp, admin: &reqwest::Client, name: &str) -> String {
    let (s, d) = send(app, admin, Method::POST, "/api/departments", json!({ "name": name, "sort_order": 9, "enabled": true })).await;
    assert!(s == 200 || s == 201, "{d}");
    d["id"].as_str().unwrap().to_owned()
}

/// The whole Huizhou call: 惠城区's section handler returns it, the enterprise resubmits and it resumes at the
/// district; the district recommends and withdraws while the city has not acted, recommends again; the city
/// section's handler (not its leader, not another department) reviews; the district's withdraw is now too late;
/// the leader recommends to the province, which approves; the enterprise's 我的项目 follows every step.
async fn sections_route_the_huizhou_call_to_the_province(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for("enterprise_demo").await;
    let id = submitted(&app, &ent, "智能制造装备").await;

    let district = app.client_for("huicheng_handler").await;
    let district_admin = app.client_for("huicheng_admin").await;
    let other_dept = department(&app, &district_admin, "综合股").await;
    let outsider = handler(&app, &district_admin, "huicheng_other", "13600002222", &other_dept, "district_member").await;
    let city = app.client_for("huizhou_handler").await;
    let leader = app.client_for("huizhou_leader").await;
    let province = app.client_for("guangdong_admin").await;
    let jiangmen = app.client_for("pengjiang_admin").await;

    // The task is the district section's: its handler has it, a handler of another department does not and
    // cannot act; another district's bureau does not even see the case.
    let mine = tasks(&app, &district).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["stage_name"], "区县审核");
    assert!(tasks(&app, &outsider).await.is_empty());
    let (s, refused) = act(&app, &outsider, &id, "approve", Some("同意")).await;
    assert!(s == 403 || s == 409, "{s} {refused}");
    assert!(tasks(&app, &city).await.is_empty(), "the city waits for the district");
    assert_eq!(get(&app, &jiangmen, &format!("/api/review/cases/{id}")).await.0, 404);

    // 回退 without an opinion is refused; with one it goes back to the enterprise.
    let (s, _) = act(&app, &district, &id, "approve", None).await;
    assert_eq!(s, 422, "推荐 needs an opinion");
    let (s, returned) = act(&app, &district, &id, "return", Some("请补充近三年营业收入佐证")).await;
    assert_eq!(s, 200, "{returned}");
    assert_eq!(returned["status"], "returned");
    let (_, mine) = get(&app, &ent, "/api/calls/mine").await;
    assert_eq!(mine[0]["editable"], true, "{mine}");
    // The enterprise edits nothing more and resubmits: the district has it again.
    let (_, a) = get(&app, &ent, &format!("/api/calls/applications/{id}")).await;
    let (s, again) = send(&app, &ent, Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": a["version"] })).await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(tasks(&app, &district).await.len(), 1);
    let (_, mine) = get(&app, &ent, "/api/calls/mine").await;
    assert_eq!(mine[0]["stage"], "区县审核", "{mine}");

    // 推荐, then 撤回 while the city has not acted, then 推荐 again.
    let (s, body) = act(&app, &district, &id, "approve", Some("同意推荐")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(tasks(&app, &city).await.len(), 1, "the city section's handler has it");
    assert!(tasks(&app, &leader).await.is_empty(), "the leader's turn comes after the handler's");
    // 待审核提醒 reaches the section's handlers only: the city handler, not the leader (not yet his turn), not a
    // handler of the district's other department.
    let assigned = |c: reqwest::Client| {
        let (app, id) = (&app, id.clone());
        async move {
            let (_, page) = get(app, &c, "/api/notifications").await;
            page["items"].as_array().unwrap().iter().filter(|n| n["event"] == "assigned" && n["case_id"] == id.as_str()).count()
        }
    };
    assert_eq!(assigned(city.clone()).await, 1);
    assert_eq!(assigned(leader.clone()).await, 0);
    assert_eq!(assigned(outsider.clone()).await, 0);
    assert!(assigned(district.clone()).await >= 1);
    let (s, body) = act(&app, &district, &id, "withdraw_by_reviewer", None).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["stage_index"], 0);
    assert!(tasks(&app, &city).await.is_empty(), "the city's task was cancelled");
    let (s, _) = act(&app, &district, &id, "approve", Some("同意推荐")).await;
    assert_eq!(s, 200);

    // The leader cannot act at the handler's stage.
    let (s, _) = act(&app, &leader, &id, "approve", Some("同意")).await;
    assert!(s == 403 || s == 409, "{s}");
    let (s, body) = act(&app, &city, &id, "approve", Some("材料齐全，同意")).await;
    assert_eq!(s, 200, "{body}");
    // The city acted: the district's 撤回 is too late and says so.
    let (s, late) = act(&app, &district, &id, "withdraw_by_reviewer", None).await;
    assert_eq!(s, 409, "{late}");
    assert_eq!(late["code"], "review_withdraw_too_late", "{late}");
    // The handler cannot take the leader's stage either.
    let (s, _) = act(&app, &city, &id, "approve", Some("同意")).await;
    assert!(s == 403 || s == 409, "{s}");
    assert_eq!(tasks(&app, &leader).await.len(), 1);
    let (s, _) = act(&app, &leader, &id, "approve", Some("同意推荐至省厅")).await;
    assert_eq!(s, 200);
    assert_eq!(tasks(&app, &province).await.len(), 1);
    let (s, done) = act(&app, &province, &id, "approve", Some("同意")).await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(done["status"], "approved");

    // 办理记录: each stage's handler and opinion, in order.
    let trail = case(&app, &ent, &id).await["trail"].as_array().unwrap().clone();
    let opinions: Vec<&str> = trail.iter().filter_map(|t| t["opinion"].as_str()).collect();
    assert!(opinions.contains(&"请补充近三年营业收入佐证") && opinions.contains(&"同意推荐至省厅"), "{opinions:?}");
    assert!(trail.iter().any(|t| t["actor_name"] == "信息化推进科经办"), "{trail:?}");
    let (_, mine) = get(&app, &ent, "/api/calls/mine").await;
    assert_eq!(mine[0]["status"], "approved", "{mine}");
}

/// Batch 推荐 of a mixed selection answers per item; after the district deadline the district can no longer act
/// and is told why, while the city still can.
async fn batch_recommend_and_the_district_deadline(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for("enterprise_demo").await;
    let mut ids = Vec::new();
    for track in ["智能制造装备", "关键软件", "行业组织"] {
        ids.push(submitted(&app, &ent, track).await);
    }
    let district = app.client_for("huicheng_handler").await;
    let list = tasks(&app, &district).await;
    assert_eq!(list.len(), 3);
    // One item is stale (someone acted meanwhile), one is another district's made-up id.
    let mut items: Vec<Value> = ids.iter().map(|id| json!({ "case_id": id, "version": list.iter().find(|t| t["case_id"] == *id).unwrap()["version"] })).collect();
    items[1]["version"] = json!(999);
    items.push(json!({ "case_id": "no-such-application", "version": 1 }));
    let (s, body) = send(&app, &district, Method::POST, "/api/review/tasks/batch-approve", json!({ "items": items, "opinion": "同意推荐" })).await;
    assert_eq!(s, 200, "{body}");
    let results = body["results"].as_array().unwrap();
    let ok: Vec<bool> = results.iter().map(|r| r["ok"] == true).collect();
    assert_eq!(ok, vec![true, false, true, false], "{results:?}");
    assert!(results[1]["message"].as_str().unwrap().contains("刷新"), "{results:?}");
    let city = app.client_for("huizhou_handler").await;
    assert_eq!(tasks(&app, &city).await.len(), 2);

    // The district deadline passes (the city set it; here it is moved into the past).
    use shuzhuan::calls::entity::call;
    let calls = call::Entity::find().all(&app.state.db).await.unwrap();
    for c in calls {
        let mut settings: Value = serde_json::from_str(&c.settings).unwrap();
        settings["district_deadline"] = json!((chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339());
        call::Entity::update(call::ActiveModel { id: Set(c.id.clone()), settings: Set(settings.to_string()), ..Default::default() }).exec(&app.state.db).await.unwrap();
    }
    let (s, refused) = act(&app, &district, &ids[1], "approve", Some("同意推荐")).await;
    assert_eq!(s, 409, "{refused}");
    assert_eq!(refused["code"], "call_district_deadline_passed");
    assert!(refused["message"].as_str().unwrap().contains("区县审核已于"), "{refused}");
    let (s, body) = send(&app, &district, Method::POST, "/api/review/tasks/batch-approve", json!({ "items": [{ "case_id": ids[1], "version": case(&app, &district, &ids[1]).await["version"] }], "opinion": "同意" })).await;
    assert_eq!(s, 200);
    assert_eq!(body["results"][0]["ok"], false);
    assert!(body["results"][0]["message"].as_str().unwrap().contains("截止"), "{body}");
    let (_, still) = get(&app, &ent, "/api/calls/mine").await;
    assert!(still.as_array().unwrap().iter().filter(|m| m["stage"] == "区县审核").count() == 1, "nothing changed: {still}");
    // The city's stage is not bound by the district's deadline.
    let (s, body) = act(&app, &city, &ids[0], "approve", Some("同意")).await;
    assert_eq!(s, 200, "{body}");
}

/// 设置责任科室: the bureau's administrator sets one track or several at once, only to its own enabled
/// departments and only for tracks it reviews; a handler cannot; a department still responsible is not deleted.
async fn sections_are_set_by_the_bureau_only(app: TestApp) {
    app.seed_demo().await;
    let admin = app.client_for("huicheng_admin").await;
    let (s, list) = get(&app, &admin, "/api/calls/sections").await;
    assert_eq!(s, 200, "{list}");
    let rows = list["items"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 8, "the eight Huizhou tracks: {rows:?}");
    assert!(rows.iter().all(|r| r["department_name"] == "经济信息化股"), "seeded: {rows:?}");
    let tracks: Vec<Value> = rows.iter().map(|r| r["track_id"].clone()).collect();

    let new_dept = department(&app, &admin, "产业发展股").await;
    let (s, set) = send(&app, &admin, Method::PUT, "/api/calls/sections", json!({ "track_ids": tracks[..3], "department_id": new_dept })).await;
    assert_eq!(s, 200, "{set}");
    let named: Vec<&str> = set["items"].as_array().unwrap().iter().map(|r| r["department_name"].as_str().unwrap_or("")).collect();
    assert_eq!(named.iter().filter(|n| **n == "产业发展股").count(), 3, "{named:?}");

    // Bad input changes nothing: an unknown track among good ones, another bureau's department, nothing chosen.
    let jiangmen = app.client_for("jiangmen_admin").await;
    let foreign = department(&app, &jiangmen, "江门某科").await;
    for body in [
        json!({ "track_ids": [tracks[3].clone(), json!("no-such-track")], "department_id": new_dept }),
        json!({ "track_ids": [tracks[3].clone()], "department_id": foreign }),
        json!({ "track_ids": [], "department_id": new_dept }),
        json!({ "track_ids": "x" }),
    ] {
        let (s, e) = send(&app, &admin, Method::PUT, "/api/calls/sections", body.clone()).await;
        assert_eq!(s, 422, "{body} → {e}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
    }
    let (_, after) = get(&app, &admin, "/api/calls/sections").await;
    assert_eq!(after["items"], set["items"], "refusals changed nothing");
    // Jiangmen reviews none of Huizhou's tracks; a handler may not set sections.
    let (s, _) = send(&app, &jiangmen, Method::PUT, "/api/calls/sections", json!({ "track_ids": [tracks[0].clone()], "department_id": foreign })).await;
    assert_eq!(s, 422);
    let handler = app.client_for("huicheng_handler").await;
    assert_eq!(get(&app, &handler, "/api/calls/sections").await.0, 403);
    // A department still responsible is kept.
    let (s, e) = send(&app, &admin, Method::DELETE, &format!("/api/departments/{new_dept}"), json!({})).await;
    assert_eq!(s, 409, "{e}");
    assert!(e["message"].as_str().unwrap().contains("责任科室"), "{e}");
    // Cleared, the whole bureau reviews those tracks again, and the department can go.
    let (s, _) = send(&app, &admin, Method::PUT, "/api/calls/sections", json!({ "track_ids": tracks[..3], "department_id": null })).await;
    assert_eq!(s, 200);
    assert_eq!(send(&app, &admin, Method::DELETE, &format!("/api/departments/{new_dept}"), json!({})).await.0, 204);
}

/// 项目中心 and 导出汇总表: the district and the city list what they review, by tab and filter; another district
/// and another city see nothing; the Excel has its sheet, Chinese headers, a frozen header row and one row per
/// application, and an applicant name starting with `=` stays text.
async fn project_center_lists_and_exports_what_the_bureau_reviews(app: TestApp) {
    app.seed_demo().await;
    // A name a spreadsheet would run as a formula if it were written as one.
    app.exec("UPDATE organizations SET name = $1 WHERE name = $2", vec!["=HYPERLINK(\"http://x\")华阳精机".into(), "惠州市华阳精机有限公司".into()]).await;
    let ent = app.client_for("enterprise_demo").await;
    let a = submitted(&app, &ent, "智能制造装备").await;
    let b = submitted(&app, &ent, "关键软件").await;
    let district = app.client_for("huicheng_handler").await;
    let (s, _) = act(&app, &district, &a, "approve", Some("同意推荐")).await;
    assert_eq!(s, 200);

    let page = |c: reqwest::Client, q: &'static str| {
        let app = &app;
        async move {
            let (s, body) = get(app, &c, &format!("/api/calls/projects{q}")).await;
            assert_eq!(s, 200, "{q}: {body}");
            body
        }
    };
    let all = page(district.clone(), "").await;
    assert_eq!(all["total"], 2, "{all}");
    let in_review = page(district.clone(), "?tab=in_review").await;
    assert_eq!(in_review["items"].as_array().unwrap().len(), 1);
    assert_eq!(in_review["items"][0]["application_id"], b.as_str());
    let recommended = page(district.clone(), "?tab=recommended").await;
    assert_eq!(recommended["items"][0]["application_id"], a.as_str(), "{recommended}");
    assert_eq!(recommended["items"][0]["stage"], "市处室审核");
    assert!(recommended["items"][0]["stamped_file_id"].is_string(), "下载申报书");
    assert_eq!(page(district.clone(), "?tab=returned").await["total"], 0);
    assert_eq!(page(district.clone(), "?track=关键").await["total"], 1);
    assert_eq!(page(district.clone(), "?year=1999").await["total"], 0);
    assert_eq!(page(district.clone(), "?applicant=%E5%8D%8E%E9%98%B3").await["total"], 2);
    assert_eq!(page(district.clone(), "?funding=资金类").await["total"].as_u64().unwrap() + page(district.clone(), "?funding=非资金类").await["total"].as_u64().unwrap(), 2);
    let (s, e) = get(&app, &district, "/api/calls/projects?tab=bogus").await;
    assert_eq!(s, 422, "{e}");
    // The city holds only what the district recommended; other bureaus hold nothing.
    let city = app.client_for("huizhou_handler").await;
    assert_eq!(page(city.clone(), "").await["total"], 1);
    for other in ["pengjiang_admin", "jiangmen_admin", "xiamen_admin"] {
        let c = app.client_for(other).await;
        assert_eq!(page(c, "").await["total"], 0, "{other}");
    }
    assert_eq!(get(&app, &ent, "/api/calls/projects").await.0, 403, "an enterprise has no 项目中心");

    // 导出汇总表.
    let res = district.get(app.url("/api/calls/projects.xlsx")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("filename*"));
    let bytes = res.bytes().await.unwrap().to_vec();
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["申报项目汇总表".to_owned()]);
    let range = book.worksheet_range("申报项目汇总表").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 3, "header and two applications");
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..6], ["序号", "年度", "项目认定评定名称", "方向", "项目性质", "申报单位"]);
    assert!(rows[1..].iter().all(|r| r[5] == Data::String("=HYPERLINK(\"http://x\")华阳精机".into())), "{rows:?}");
    let formulas = book.worksheet_formula("申报项目汇总表").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell is a formula");
}

/// 是否需要区县审核 = 否 (003 §4.3.1): the city turns district review off for one track; a new application to it
/// goes straight to the city section, and a return from the city goes back to the enterprise and resumes at the
/// city. An application already under district review keeps its flow.
async fn a_track_without_district_review_starts_at_the_city(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for("enterprise_demo").await;
    let before = submitted(&app, &ent, "关键软件").await;
    let calls = open_calls(&app, &ent).await;
    let call_id = find(&calls, "智能制造装备")["call"]["id"].as_str().unwrap().to_owned();
    let city_admin = app.client_for("huizhou_admin").await;
    let (s, body) = send(&app, &city_admin, Method::PUT, "/api/calls/batch", json!({ "ids": [call_id], "settings": { "district_review": false } })).await;
    assert_eq!(s, 200, "{body}");

    let id = submitted(&app, &ent, "智能制造装备").await;
    let district = app.client_for("huicheng_handler").await;
    let city = app.client_for("huizhou_handler").await;
    let district_tasks = tasks(&app, &district).await;
    assert_eq!(district_tasks.len(), 1, "only the earlier application: {district_tasks:?}");
    assert_eq!(district_tasks[0]["case_id"], before.as_str());
    let city_tasks = tasks(&app, &city).await;
    assert_eq!(city_tasks.len(), 1, "{city_tasks:?}");
    assert_eq!(city_tasks[0]["case_id"], id.as_str());
    assert_eq!(city_tasks[0]["stage_name"], "市处室审核");
    assert_eq!(get(&app, &district, &format!("/api/review/cases/{id}")).await.0, 404, "the district never holds it");

    let (s, returned) = act(&app, &city, &id, "return", Some("请补充盖章页")).await;
    assert_eq!(s, 200, "{returned}");
    assert_eq!(returned["status"], "returned", "the city's stage is the first: back to the enterprise");
    let (_, a) = get(&app, &ent, &format!("/api/calls/applications/{id}")).await;
    let (s, again) = send(&app, &ent, Method::POST, &format!("/api/calls/applications/{id}/submit"), json!({ "version": a["version"] })).await;
    assert_eq!(s, 200, "{again}");
    let (_, mine) = get(&app, &ent, "/api/calls/mine").await;
    let row = mine.as_array().unwrap().iter().find(|m| m["application_id"] == id.as_str()).unwrap().clone();
    assert_eq!(row["stage"], "市处室审核", "{row}");
    let row = mine.as_array().unwrap().iter().find(|m| m["application_id"] == before.as_str()).unwrap().clone();
    assert_eq!(row["stage"], "区县审核", "{row}");
}

/// 申报审核 and 推荐函: the district handler sees per track what waits for it and what it recommended, uploads
/// its 区推荐函; the city reads it (查看区推荐函) and downloads the file, uploads its 市推荐函; the province reads
/// both; another city sees nothing of them; another department of the district may not upload; bad input
/// changes nothing; a deleted letter is gone for the city too.
async fn reviewing_counts_and_recommendation_letters(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for("enterprise_demo").await;
    let id = submitted(&app, &ent, "智能制造装备").await;
    let district = app.client_for("huicheng_handler").await;
    let city = app.client_for("huizhou_handler").await;
    let leader = app.client_for("huizhou_leader").await;
    let province = app.client_for("guangdong_admin").await;
    let jiangmen = app.client_for("jiangmen_admin").await;

    let row_of = |list: &Value, track: &str| list["items"].as_array().unwrap().iter().find(|r| r["track_name"] == track).cloned().unwrap_or_else(|| panic!("{track} in {list}"));
    let (s, list) = get(&app, &district, "/api/calls/reviewing").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 8, "{list}");
    let row = row_of(&list, "智能制造装备");
    assert_eq!((row["pending"].as_u64(), row["recommended"].as_u64(), row["sends_letters"].as_bool()), (Some(1), Some(0), Some(true)), "{row}");
    assert!(row["district_deadline"].is_string(), "{row}");
    assert!(row["last_arrived_at"].is_string(), "最后送达时间: {row}");
    assert!(row_of(&list, "关键软件")["last_arrived_at"].is_null(), "nothing arrived on another track: {list}");
    let track = row["track_id"].as_str().unwrap().to_owned();
    let (s, _) = act(&app, &district, &id, "approve", Some("同意推荐")).await;
    assert_eq!(s, 200);
    let (_, list) = get(&app, &district, "/api/calls/reviewing").await;
    let row = row_of(&list, "智能制造装备");
    assert_eq!((row["pending"].as_u64(), row["recommended"].as_u64()), (Some(0), Some(1)), "{row}");
    let (_, list) = get(&app, &city, "/api/calls/reviewing").await;
    assert_eq!(row_of(&list, "智能制造装备")["pending"], 1, "{list}");
    assert!(row_of(&list, "智能制造装备")["last_arrived_at"].is_string(), "the city's 最后送达时间: {list}");
    let (_, list) = get(&app, &leader, "/api/calls/reviewing").await;
    assert_eq!(row_of(&list, "智能制造装备")["pending"], 0, "the leader's turn has not come: {list}");

    // 上传区推荐函.
    let pdf = b"%PDF-1.7\n%%EOF\n".to_vec();
    let file = upload(&app, &district, "attachment", "惠城区推荐函.pdf", pdf.clone()).await;
    let (s, letter) = send(&app, &district, Method::POST, "/api/calls/letters", json!({ "track_id": track, "file_id": file })).await;
    assert_eq!(s, 201, "{letter}");
    assert_eq!(letter["file_name"], "惠城区推荐函.pdf");
    assert_eq!(letter["organization_name"], "惠州市惠城区工业和信息化局");
    // Bad input changes nothing: the same file again, another organization's file, a track of nobody.
    let (s, e) = send(&app, &district, Method::POST, "/api/calls/letters", json!({ "track_id": track, "file_id": file })).await;
    assert_eq!(s, 422, "{e}");
    let foreign = upload(&app, &ent, "attachment", "企业文件.pdf", pdf.clone()).await;
    let (s, e) = send(&app, &district, Method::POST, "/api/calls/letters", json!({ "track_id": track, "file_id": foreign })).await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = send(&app, &district, Method::POST, "/api/calls/letters", json!({ "track_id": "no-such-track", "file_id": file })).await;
    assert_eq!(s, 404, "{e}");
    // Another department of the district is not the track's section.
    let admin = app.client_for("huicheng_admin").await;
    let other_dept = department(&app, &admin, "综合股").await;
    let outsider = handler(&app, &admin, "huicheng_other", "13600002223", &other_dept, "district_member").await;
    let theirs = upload(&app, &outsider, "attachment", "越权推荐函.pdf", pdf.clone()).await;
    let (s, e) = send(&app, &outsider, Method::POST, "/api/calls/letters", json!({ "track_id": track, "file_id": theirs })).await;
    assert_eq!(s, 403, "{e}");
    assert!(e["message"].as_str().unwrap().contains("经济信息化股"), "{e}");
    let (_, mine) = get(&app, &district, &format!("/api/calls/letters?track_id={track}")).await;
    assert_eq!(mine["own"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["may_upload"], true);

    // 查看区推荐函: the city reads it and downloads the file; it uploads its 市推荐函.
    let (s, seen) = get(&app, &city, &format!("/api/calls/letters?track_id={track}")).await;
    assert_eq!(s, 200, "{seen}");
    assert_eq!(seen["below"].as_array().unwrap().len(), 1, "{seen}");
    assert!(seen["own"].as_array().unwrap().is_empty());
    let res = city.get(app.url(&format!("/api/files/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), 200, "the city downloads the district's letter");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let city_file = upload(&app, &leader, "attachment", "惠州市推荐函.pdf", pdf.clone()).await;
    let (s, body) = send(&app, &leader, Method::POST, "/api/calls/letters", json!({ "track_id": track, "file_id": city_file })).await;
    assert_eq!(s, 201, "{body}");

    // The province reads the city's and the district's letters; another city sees nothing.
    let (s, list) = get(&app, &province, "/api/calls/reviewing").await;
    assert_eq!(s, 200, "{list}");
    let row = row_of(&list, "智能制造装备");
    assert_eq!((row["sends_letters"].as_bool(), row["letters_below"].as_u64()), (Some(false), Some(2)), "{row}");
    let (_, seen) = get(&app, &province, &format!("/api/calls/letters?track_id={track}")).await;
    assert_eq!(seen["below"].as_array().unwrap().len(), 2, "{seen}");
    assert_eq!(seen["may_upload"], false);
    assert_eq!(province.get(app.url(&format!("/api/files/{city_file}"))).send().await.unwrap().status(), 200);
    let (s, _) = get(&app, &jiangmen, &format!("/api/calls/letters?track_id={track}")).await;
    assert_eq!(s, 404);
    assert_eq!(jiangmen.get(app.url(&format!("/api/files/{file}"))).send().await.unwrap().status(), 404);
    // A district never sees the city's letter.
    assert_eq!(district.get(app.url(&format!("/api/files/{city_file}"))).send().await.unwrap().status(), 404);

    // The district deletes its letter: the city no longer sees it; nobody else may delete it.
    let letter_id = letter["id"].as_str().unwrap();
    let (s, _) = send(&app, &city, Method::DELETE, &format!("/api/calls/letters/{letter_id}"), json!({})).await;
    assert_eq!(s, 404);
    let (s, _) = send(&app, &district, Method::DELETE, &format!("/api/calls/letters/{letter_id}"), json!({})).await;
    assert_eq!(s, 204);
    let (_, seen) = get(&app, &city, &format!("/api/calls/letters?track_id={track}")).await;
    assert!(seen["below"].as_array().unwrap().is_empty(), "{seen}");
    assert_eq!(city.get(app.url(&format!("/api/files/{file}"))).send().await.unwrap().status(), 404);
    assert_eq!(app.count("recommendation_letters").await, 1);
}

/// The rows of a sheet of a downloaded workbook, as text.
async fn sheets(res: reqwest::Response) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    let formulas = names.iter().all(|n| book.worksheet_formula(n).unwrap().used_cells().all(|(_, _, f)| f.is_empty()));
    assert!(formulas, "no cell is a formula");
    names
        .into_iter()
        .map(|n| {
            let rows = book.worksheet_range(&n).unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
            (n, rows)
        })
        .collect()
}

/// 推荐汇总表 (附件3) and 结果公示: the district's and the city's sheets list what they recommended, split into
/// 遴选加入 and 直接认定; the province's lists all it received with the recommending city. The province cannot
/// publish while an application waits for it; two publishes at once make one notice; the portal shows it.
async fn summary_sheets_and_published_results(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for("enterprise_demo").await;
    let a = submitted(&app, &ent, "智能制造装备").await;
    let b = submitted(&app, &ent, "关键软件").await;
    // The form filler picks the first option (遴选加入); b asks 直接认定.
    app.exec("UPDATE review_cases SET form = REPLACE(form, $1, $2) WHERE id = $3", vec!["\"apply_mode\":\"遴选加入\"".into(), "\"apply_mode\":\"直接认定\"".into(), b.clone().into()]).await;
    let district = app.client_for("huicheng_handler").await;
    let city = app.client_for("huizhou_handler").await;
    let leader = app.client_for("huizhou_leader").await;
    let province = app.client_for("guangdong_admin").await;
    for id in [&a, &b] {
        assert_eq!(act(&app, &district, id, "approve", Some("同意推荐")).await.0, 200);
        assert_eq!(act(&app, &city, id, "approve", Some("材料齐全")).await.0, 200);
        assert_eq!(act(&app, &leader, id, "approve", Some("同意推荐至省厅")).await.0, 200);
    }
    let (s, list) = get(&app, &province, "/api/calls/results").await;
    assert_eq!(s, 200, "{list}");
    let row = list["items"].as_array().unwrap().iter().find(|r| r["own"] == true).unwrap_or_else(|| panic!("{list}")).clone();
    assert_eq!((row["listed"].as_u64(), row["pending"].as_u64(), row["approved"].as_u64()), (Some(2), Some(2), Some(0)), "{row}");
    let program = row["program_id"].as_str().unwrap().to_owned();
    let (_, list) = get(&app, &city, "/api/calls/results").await;
    let city_row = list["items"].as_array().unwrap().iter().find(|r| r["program_id"] == program.as_str()).unwrap_or_else(|| panic!("{list}")).clone();
    assert_eq!((city_row["own"].as_bool(), city_row["listed"].as_u64()), (Some(false), Some(2)), "{city_row}");

    // The city's sheet: its two recommendations, one per 附件3 list.
    let url = app.url(&format!("/api/calls/results/{program}/summary.xlsx"));
    let book = sheets(city.get(url.clone()).send().await.unwrap()).await;
    assert_eq!(book.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), vec!["遴选加入单位", "直接认定单位"]);
    for (name, rows) in &book {
        assert!(rows[0][0].ends_with("推荐汇总表"), "{rows:?}");
        assert_eq!(rows[1][0], "推荐单位：惠州市工业和信息化局");
        assert_eq!(rows[2], ["序号", "推荐单位", "申报单位名称", "申报领域", "企业联系人", "联系电话"]);
        assert_eq!(rows.len(), 4, "{name}: {rows:?}");
        assert_eq!(rows[3][0], "1");
        assert_eq!(rows[3][3], if name == "遴选加入单位" { "智能制造装备" } else { "关键软件" });
        assert!(!rows[3][5].is_empty(), "联系电话 for the bureau above");
    }
    // The district's lists both too; the province's names the recommending city.
    assert_eq!(sheets(district.get(url.clone()).send().await.unwrap()).await[0].1[1][0], "推荐单位：惠州市惠城区工业和信息化局");
    let book = sheets(province.get(url.clone()).send().await.unwrap()).await;
    assert!(book[0].1[1][0].starts_with("汇总单位：广东省工业和信息化厅"), "{book:?}");
    assert_eq!(book[0].1[3][1], "惠州市工业和信息化局");
    // A bureau that reviewed nothing of the program learns nothing; an enterprise has no summary.
    assert_eq!(app.client_for("xiamen_admin").await.get(url.clone()).send().await.unwrap().status(), 404);
    assert_eq!(ent.get(url.clone()).send().await.unwrap().status(), 403);

    // Publishing: the owner only, with a title, a body and a period of 1–30 days, after every decision.
    let body = |days: i64| json!({ "program_id": program, "title": "2024年广东省智能制造生态合作伙伴拟入选名单公示", "body": "现予公示。", "period_days": days });
    let (s, e) = send(&app, &app.client_for("huizhou_admin").await, Method::POST, "/api/calls/results", body(7)).await;
    assert_eq!(s, 403, "{e}");
    let (s, e) = send(&app, &province, Method::POST, "/api/calls/results", body(0)).await;
    assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("period_days")), "{e}");
    let (s, e) = send(&app, &province, Method::POST, "/api/calls/results", json!({ "program_id": program, "title": " ", "body": "x", "period_days": 7 })).await;
    assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("title")), "{e}");
    let (s, e) = send(&app, &province, Method::POST, "/api/calls/results", body(7)).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("results_pending")), "{e}");
    assert_eq!(act(&app, &province, &a, "approve", Some("同意")).await.0, 200);
    assert_eq!(act(&app, &province, &b, "reject", Some("资质证明不足")).await.0, 200);

    let (first, second) = tokio::join!(
        send(&app, &province, Method::POST, "/api/calls/results", body(7)),
        send(&app, &province, Method::POST, "/api/calls/results", body(7)),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{first:?} {second:?}");
    let notice = if first.0 == 201 { first.1 } else { second.1 };
    assert_eq!(notice["entries"].as_array().unwrap().len(), 1, "{notice}");
    assert_eq!(notice["entries"][0]["track_name"], "智能制造装备");
    assert_eq!(notice["entries"][0]["apply_mode"], "遴选加入");
    assert_eq!(notice["entries"][0]["recommender"], "惠州市工业和信息化局");
    assert_eq!(notice["in_period"], true);

    // The portal, signed in or not.
    let anon = app.new_client();
    let (s, page) = get(&app, &anon, "/api/public/results").await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["count"], 1);
    assert_eq!(get(&app, &anon, "/api/public/results?q=%E5%90%88%E4%BD%9C%E4%BC%99%E4%BC%B4").await.1["total"], 1);
    assert_eq!(get(&app, &anon, "/api/public/results?q=nothing-like-it").await.1["total"], 0);
    let (s, detail) = get(&app, &anon, &format!("/api/public/results/{}", notice["id"].as_str().unwrap())).await;
    assert_eq!(s, 200, "{detail}");
    assert_eq!(detail["entries"], notice["entries"]);
    assert_eq!(get(&app, &anon, "/api/public/results/no-such-notice").await.0, 404);
    let (_, list) = get(&app, &province, "/api/calls/results").await;
    assert!(list["items"].as_array().unwrap().iter().any(|r| r["notice"]["id"] == notice["id"]), "{list}");
}

/// 指定单位 from Excel: a good workbook is read (names optional); a bad row is reported by its number and
/// nothing comes back; a file that is not a workbook is refused; an enterprise may not use it.
async fn named_applicants_are_read_from_excel(app: TestApp) {
    app.seed_demo().await;
    let city = app.client_for("huizhou_admin").await;
    let workbook = |rows: &[[&str; 2]]| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "企业名称").unwrap();
        sheet.write_string(0, 1, "统一社会信用代码").unwrap();
        for (i, [name, uscc]) in rows.iter().enumerate() {
            sheet.write_string(i as u32 + 1, 0, *name).unwrap();
            sheet.write_string(i as u32 + 1, 1, *uscc).unwrap();
        }
        book.save_to_buffer().unwrap()
    };
    let good = upload(&app, &city, "attachment", "名单.xlsx", workbook(&[["甲公司", "91350100M000100Y43"], ["", "91440300708461136T"]])).await;
    let (s, read) = send(&app, &city, Method::POST, "/api/calls/named-applicants", json!({ "file_id": good })).await;
    assert_eq!(s, 200, "{read}");
    assert_eq!(read["items"], json!([{ "name": "甲公司", "uscc": "91350100M000100Y43" }, { "name": null, "uscc": "91440300708461136T" }]));

    let bad = upload(&app, &city, "attachment", "名单.xlsx", workbook(&[["甲公司", "91350100M000100Y43"], ["乙公司", "12345"]])).await;
    let (s, e) = send(&app, &city, Method::POST, "/api/calls/named-applicants", json!({ "file_id": bad })).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["message"].as_str().unwrap().contains("未导入任何单位"), "{e}");
    assert!(e["fields"][0]["message"].as_str().unwrap().starts_with("第3行（乙公司）"), "{e}");

    let pdf = upload(&app, &city, "attachment", "名单.pdf", b"%PDF-1.4 not a workbook".to_vec()).await;
    let (s, e) = send(&app, &city, Method::POST, "/api/calls/named-applicants", json!({ "file_id": pdf })).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["fields"][0]["message"].as_str().unwrap().contains("Excel"), "{e}");

    let ent = app.client_for("enterprise_demo").await;
    let (s, _) = send(&app, &ent, Method::POST, "/api/calls/named-applicants", json!({ "file_id": good })).await;
    assert_eq!(s, 403);
    let res = city.get(app.url("/api/calls/named-applicants/template.xlsx")).send().await.unwrap();
    let template = sheets(res).await;
    assert_eq!(template[0].1[0], ["企业名称", "统一社会信用代码"]);
}
