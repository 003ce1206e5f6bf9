//! 统计汇总 (issue 20) over real HTTP on both databases: each official sees its region's figures only (a district
//! never another's, the province all of its own), every figure equals the total of the list behind it, the
//! tables export to Excel that reads back the same, overdue tasks by the frozen clock, funds from the presubsidy,
//! companies and providers refused; and the maintained tally equals the cases after concurrent transitions.

use reqwest::Method;
use serde_json::{json, Value};

use crate::calls::{get, send};
use crate::common::TestApp;

both!(each_official_sees_its_region_and_every_figure_equals_its_list, funds_come_from_the_presubsidy_by_district, the_tally_equals_the_cases_after_concurrent_transitions);

/// `n` information changes in review, of new enterprises registered at `region`; their case ids.
async fn changes(app: &TestApp, region: &str, n: usize, uscc_from: usize) -> Vec<String> {
    use shuzhuan::review::{submit_new_case, Acting, NewCase};
    let user_id = shuzhuan::accounts::find_by_username(&app.state.db, "enterprise_demo").await.unwrap().unwrap().id;
    let mut ids = Vec::new();
    for i in 0..n {
        let name = format!("统计测试{region}-{i}有限公司");
        let org = shuzhuan::directory::create(&app.state.db, shuzhuan::directory::NewOrg {
            name: &name, kind: shuzhuan::directory::OrgKind::Enterprise, uscc: None, region_code: Some(region), parent_id: None,
        })
        .await
        .unwrap();
        let txn = sea_orm::TransactionTrait::begin(&app.state.db).await.unwrap();
        let acting = Acting { user_id: user_id.clone(), user_name: "统计".into(), org_id: org.id.clone(), org_name: name.clone(), org_kind: shuzhuan::directory::OrgKind::Enterprise, ip: None };
        let form = json!({"name": format!("{name}（变更）"), "uscc": shuzhuan::seed::demo_uscc(uscc_from + i), "region_code": region, "region_name": "惠城区",
            "sub_industry": "模具制造", "contact_name": "赵经理", "contact_phone": "13500001111", "attachment_ids": []});
        let id = submit_new_case(&txn, &app.state, NewCase { kind: shuzhuan::review::kind("info_change").unwrap(), owner_org_id: &org.id, owner_region_code: Some(region), form, submit: true }, &acting)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

async fn act(app: &TestApp, c: &reqwest::Client, id: &str, action: &str) -> u16 {
    let (_, case) = get(app, c, &format!("/api/review/cases/{id}")).await;
    send(app, c, Method::POST, &format!("/api/review/cases/{id}/actions"), json!({"action": action, "version": case["version"], "opinion": "统计测试意见"})).await.0
}

fn kind_row<'a>(d: &'a Value, kind: &str) -> Option<&'a Value> {
    d["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == kind)
}

/// Every figure of the dashboard against the total of its drill-down list.
async fn figures_equal_lists(app: &TestApp, c: &reqwest::Client, d: &Value) {
    let total = |v: Value| v["total"].as_i64().unwrap();
    for k in d["kinds"].as_array().unwrap() {
        let kind = k["kind"].as_str().unwrap();
        assert_eq!(total(get(app, c, &format!("/api/dashboard/cases?kind={kind}")).await.1), k["total"].as_i64().unwrap(), "{kind}");
        for s in ["in_review", "returned", "approved", "rejected"] {
            let (st, list) = get(app, c, &format!("/api/dashboard/cases?kind={kind}&status={s}&page_size=100")).await;
            assert_eq!(st, 200);
            assert_eq!(total(list.clone()), k[s].as_i64().unwrap(), "{kind} {s}");
            assert_eq!(list["items"].as_array().unwrap().len() as i64, k[s].as_i64().unwrap().min(100));
        }
    }
    for s in d["stages"].as_array().unwrap() {
        let url = format!("/api/dashboard/cases?kind={}&status={}&stage={}", s["kind"].as_str().unwrap(), s["status"].as_str().unwrap(), s["stage"]);
        assert_eq!(total(get(app, c, &url).await.1), s["n"].as_i64().unwrap(), "{url}");
    }
    for m in d["months"].as_array().unwrap() {
        assert_eq!(total(get(app, c, &format!("/api/dashboard/cases?month={}", m["month"].as_str().unwrap())).await.1), m["n"].as_i64().unwrap());
    }
    for f in d["funds"].as_array().unwrap() {
        let district = f["district_code"].as_str().unwrap();
        assert_eq!(total(get(app, c, &format!("/api/dashboard/cases?funded=true&district={district}")).await.1), f["requested_n"].as_i64().unwrap());
        assert_eq!(total(get(app, c, &format!("/api/dashboard/cases?funded=true&district={district}&status=approved")).await.1), f["approved_n"].as_i64().unwrap());
    }
    for o in d["overdue"].as_array().unwrap() {
        assert_eq!(total(get(app, c, &format!("/api/dashboard/overdue?kind={}", o["kind"].as_str().unwrap())).await.1), o["n"].as_i64().unwrap());
    }
    assert_eq!(total(get(app, c, "/api/dashboard/overdue").await.1), d["overdue_total"].as_i64().unwrap());
    for l in d["levels"].as_array().unwrap() {
        assert_eq!(total(get(app, c, &format!("/api/dashboard/assessments?level={}", l["level"])).await.1), l["n"].as_i64().unwrap());
    }
}

async fn xlsx(app: &TestApp, c: &reqwest::Client, table: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let res = c.get(app.url(&format!("/api/dashboard/export.xlsx?table={table}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

async fn each_official_sees_its_region_and_every_figure_equals_its_list(app: TestApp) {
    app.seed_demo().await;
    let huicheng = changes(&app, "441302", 4, 600).await;
    let huiyang = changes(&app, "441303", 3, 620).await;
    let pengjiang = changes(&app, "440703", 2, 640).await;
    let siming = changes(&app, "350203", 1, 660).await;
    let huizhou = app.client_for("huizhou_admin").await;
    let jiangmen = app.client_for("jiangmen_admin").await;
    // The city decides some: 惠城区 one approved, one returned, one rejected; 惠阳区 one approved.
    assert_eq!(act(&app, &huizhou, &huicheng[0], "approve").await, 200);
    assert_eq!(act(&app, &huizhou, &huicheng[1], "return").await, 200);
    assert_eq!(act(&app, &huizhou, &huicheng[2], "reject").await, 200);
    assert_eq!(act(&app, &huizhou, &huiyang[0], "approve").await, 200);
    assert_eq!(act(&app, &jiangmen, &pengjiang[0], "approve").await, 200);

    // Overdue, by the frozen clock: two of 惠城区's open tasks were due two days ago, one of 惠阳区's an hour
    // ago, one of 蓬江区's is due tomorrow.
    let now = chrono::Utc::now();
    app.state.clock.freeze(Some(now));
    for (id, due) in [(&huicheng[3], now - chrono::Duration::days(2)), (&huiyang[1], now - chrono::Duration::hours(1)), (&pengjiang[1], now + chrono::Duration::days(1))] {
        app.exec("UPDATE review_tasks SET due_at = $1 WHERE case_id = $2 AND state = 'open'", vec![due.into(), id.clone().into()]).await;
    }
    // Submitted self-assessments: level 2 of an enterprise in 惠城区, level 3 in 蓬江区.
    let user_id = shuzhuan::accounts::find_by_username(&app.state.db, "enterprise_demo").await.unwrap().unwrap().id;
    let edition = app.text("SELECT version AS v FROM assessment_editions WHERE is_current = TRUE").await;
    for (region, level, label) in [("441302", 2, "二级"), ("440703", 3, "三级")] {
        let org = shuzhuan::directory::create(&app.state.db, shuzhuan::directory::NewOrg {
            name: &format!("评估企业{region}"), kind: shuzhuan::directory::OrgKind::Enterprise, uscc: None, region_code: Some(region), parent_id: None,
        })
        .await
        .unwrap();
        app.exec(
            "INSERT INTO assessments (id, organization_id, user_id, edition_version, status, answers, result, total_hundredths, level, level_label, q4_weighting, created_at, updated_at, submitted_at) \
             VALUES ($1, $2, $6, $7, 'submitted', '{}', '{}', 6550, $3, $4, 'default', $5, $5, $5)",
            vec![uuid::Uuid::now_v7().to_string().into(), org.id.into(), level.into(), label.into(), now.into(), user_id.clone().into(), edition.clone().into()],
        )
        .await;
    }

    let dash = |who: &'static str| {
        let app = &app;
        async move {
            let c = app.client_for(who).await;
            let (s, d) = get(app, &c, "/api/dashboard").await;
            assert_eq!(s, 200, "{who}: {d}");
            (c, d)
        }
    };
    // 惠城区: its four, never 惠阳区's or 蓬江区's.
    let (c, d) = dash("huicheng_admin").await;
    let k = kind_row(&d, "info_change").unwrap();
    assert_eq!((k["total"].as_i64(), k["in_review"].as_i64(), k["approved"].as_i64(), k["returned"].as_i64(), k["rejected"].as_i64()), (Some(4), Some(1), Some(1), Some(1), Some(1)), "{d}");
    assert_eq!(k["kind_name"], "信息变更");
    assert_eq!(d["overdue_total"], 1, "{d}");
    assert_eq!(d["levels"], json!([{"level": 2, "level_label": "二级", "n": 1}]));
    let (_, list) = get(&app, &c, "/api/dashboard/cases?kind=info_change&page_size=100").await;
    let mut ids: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut mine: Vec<&str> = huicheng.iter().map(String::as_str).collect();
    mine.sort();
    assert_eq!(ids, mine, "the list is 惠城区's cases, no other");
    figures_equal_lists(&app, &c, &d).await;
    // Another district named in a drill-down is refused; bad filters are named.
    assert_eq!(get(&app, &c, "/api/dashboard/cases?district=441303").await.0, 403);
    assert_eq!(get(&app, &c, "/api/dashboard/cases?district=4413").await.0, 422);
    assert_eq!(get(&app, &c, "/api/dashboard/cases?status=draft").await.0, 422);
    assert_eq!(get(&app, &c, "/api/dashboard/cases?month=2026-13").await.0, 422);
    assert_eq!(get(&app, &c, "/api/dashboard/cases?kind=nope").await.0, 422);
    assert_eq!(get(&app, &c, "/api/dashboard/export.xlsx?table=nope").await.0, 422);

    // 惠州市: both of its districts; 蓬江区 and 江门市 only theirs; 广东省 all of Guangdong, not 厦门.
    let (c, d) = dash("huizhou_admin").await;
    assert_eq!(kind_row(&d, "info_change").unwrap()["total"], 7);
    assert_eq!(d["overdue_total"], 2);
    figures_equal_lists(&app, &c, &d).await;
    assert_eq!(get(&app, &c, "/api/dashboard/cases?district=441303").await.1["total"], 3);
    assert_eq!(get(&app, &c, "/api/dashboard/cases?district=440703").await.0, 403);
    let (c, d) = dash("pengjiang_admin").await;
    assert_eq!((kind_row(&d, "info_change").unwrap()["total"].as_i64(), d["overdue_total"].as_i64()), (Some(2), Some(0)));
    assert_eq!(d["levels"], json!([{"level": 3, "level_label": "三级", "n": 1}]));
    figures_equal_lists(&app, &c, &d).await;
    let (c, d) = dash("guangdong_admin").await;
    assert_eq!(kind_row(&d, "info_change").unwrap()["total"], 9);
    assert_eq!(d["levels"].as_array().unwrap().len(), 2);
    figures_equal_lists(&app, &c, &d).await;
    let (_, d) = dash("xiamen_admin").await;
    assert_eq!(kind_row(&d, "info_change").unwrap()["total"], 1);
    let _ = siming;

    // The clock moves two days on: 蓬江区's task is overdue too.
    app.state.clock.freeze(Some(now + chrono::Duration::days(2)));
    let (c, d) = dash("pengjiang_admin").await;
    assert_eq!(d["overdue_total"], 1);
    let (_, o) = get(&app, &c, "/api/dashboard/overdue").await;
    assert_eq!((o["total"].as_i64(), o["items"][0]["case_id"].as_str(), o["items"][0]["assignee_name"].as_str()), (Some(1), Some(pengjiang[1].as_str()), Some("江门市工业和信息化局")), "{o}");
    app.state.clock.freeze(None);

    // Excel: each table reads back as the page shows it.
    let (c, d) = dash("huizhou_admin").await;
    let rows = xlsx(&app, &c, "kinds").await;
    assert_eq!(rows[0], ["事项类型", "合计", "审核中", "已退回", "审核通过", "不通过"]);
    let k = kind_row(&d, "info_change").unwrap();
    let row = rows.iter().find(|r| r[0] == "信息变更").expect("the row of 信息变更");
    assert_eq!(row[1..], [k["total"].to_string(), k["in_review"].to_string(), k["returned"].to_string(), k["approved"].to_string(), k["rejected"].to_string()]);
    let rows = xlsx(&app, &c, "stages").await;
    assert_eq!(rows.len() - 1, d["stages"].as_array().unwrap().len());
    let rows = xlsx(&app, &c, "months").await;
    let months: i64 = rows[1..].iter().map(|r| r[1].parse::<i64>().unwrap()).sum();
    assert_eq!(months, d["months"].as_array().unwrap().iter().map(|m| m["n"].as_i64().unwrap()).sum::<i64>());
    for t in ["funds", "overdue", "levels"] {
        assert!(!xlsx(&app, &c, t).await.is_empty());
    }

    // Companies and providers are refused, at every endpoint.
    for who in ["enterprise_demo", "provider_demo", "operator_admin"] {
        let c = app.client_for(who).await;
        for url in ["/api/dashboard", "/api/dashboard/cases", "/api/dashboard/overdue", "/api/dashboard/assessments", "/api/dashboard/export.xlsx?table=kinds"] {
            assert_eq!(get(&app, &c, url).await.0, 403, "{who} {url}");
        }
    }
    assert_eq!(reqwest::get(app.url("/api/dashboard")).await.unwrap().status(), 401);
}

/// Funds by district from the presubsidy (纳入奖补金额合计): asked for while in review, approved when the city
/// approves; the district's list holds exactly those cases.
async fn funds_come_from_the_presubsidy_by_district(app: TestApp) {
    app.seed_demo().await;
    let ent = app.client_for(crate::lifecycle::ENTERPRISE).await;
    let project = crate::lifecycle::signed_project(&app, &ent, "统计预奖补项目").await;
    let (s, started) = send(&app, &ent, Method::POST, &format!("/api/projects/{project}/presubsidies"), json!({"contracts": ["HT-2025-001"]})).await;
    assert_eq!(s, 201, "{started}");
    let case_id = started["case_id"].as_str().unwrap().to_owned();
    let page = format!("/api/presubsidies/{case_id}");
    let (_, view) = get(&app, &ent, &page).await;
    let mut files = Vec::new();
    for name in ["入库申报表.pdf", "承诺书.pdf", "信用报告.pdf"] {
        files.push(crate::calls::upload(&app, &ent, "attachment", name, crate::lifecycle::pdf()).await);
    }
    let values = json!({"application_form": [files[0]], "commitment": [files[1]], "credit_report": [files[2]]});
    let (s, saved) = send(&app, &ent, Method::PUT, &page, json!({"values": values, "version": view["version"]})).await;
    assert_eq!(s, 200, "{saved}");
    let city = app.client_for("zhongshan_admin").await;
    let (_, before) = get(&app, &city, "/api/dashboard").await;
    assert_eq!(before["funds"], json!([]), "a draft asks for nothing yet");
    let (s, _) = send(&app, &ent, Method::POST, &format!("{page}/submit"), json!({"version": saved["version"]})).await;
    assert_eq!(s, 200);

    let (_, d) = get(&app, &city, "/api/dashboard").await;
    let funds = d["funds"].as_array().unwrap();
    assert_eq!(funds.len(), 1, "{d}");
    assert_eq!((funds[0]["requested_n"].as_i64(), funds[0]["requested_wan"].as_str(), funds[0]["approved_n"].as_i64(), funds[0]["approved_wan"].as_str()), (Some(1), Some("20"), Some(0), Some("0")), "{d}");
    let district = funds[0]["district_code"].as_str().unwrap().to_owned();
    let (_, list) = get(&app, &city, &format!("/api/dashboard/cases?funded=true&district={district}")).await;
    assert_eq!((list["total"].as_i64(), list["items"][0]["id"].as_str(), list["items"][0]["amount_wan"].as_str()), (Some(1), Some(case_id.as_str()), Some("20")), "{list}");
    assert!(kind_row(&d, "filing").is_some_and(|k| k["approved"].as_i64() >= Some(1)), "the filing counts too: {d}");
    figures_equal_lists(&app, &city, &d).await;

    crate::lifecycle::act(&app, &city, &case_id, "approve", "同意").await;
    let (_, d) = get(&app, &city, "/api/dashboard").await;
    assert_eq!((d["funds"][0]["requested_wan"].as_str(), d["funds"][0]["approved_n"].as_i64(), d["funds"][0]["approved_wan"].as_str()), (Some("20"), Some(1), Some("20")), "{d}");
    figures_equal_lists(&app, &city, &d).await;
    let rows = xlsx(&app, &city, "funds").await;
    assert_eq!(rows[0], ["区县", "申请数量", "申请资金（万元）", "通过数量", "通过资金（万元）"]);
    assert_eq!(rows[1][1..], ["1", "20", "1", "20"]);
    // Another city sees none of it.
    let (_, other) = get(&app, &app.client_for("huizhou_admin").await, "/api/dashboard").await;
    assert_eq!((other["funds"].as_array().unwrap().len(), kind_row(&other, "presubsidy").is_none()), (0, true), "{other}");
    let kept = shuzhuan::review::tally::stored(&app.state.db).await.unwrap();
    assert_eq!(kept, shuzhuan::review::tally::recount(&app.state.db).await.unwrap());
    // Migration m0032's backfill counts the same (amounts included).
    use sea_orm::ConnectionTrait;
    app.state.db.execute_unprepared("DELETE FROM review_case_tally").await.unwrap();
    app.state.db.execute_unprepared(&shuzhuan::db::migrations::tally_backfill(app.state.db.get_database_backend())).await.unwrap();
    assert_eq!(shuzhuan::review::tally::stored(&app.state.db).await.unwrap(), kept);
}

/// Forty cases moved at once by approvals, returns, rejections and duplicate clicks: the tally
/// still equals a count of the cases, bucket by bucket.
async fn the_tally_equals_the_cases_after_concurrent_transitions(app: TestApp) {
    app.seed_demo().await;
    let ids = [changes(&app, "441302", 20, 700).await, changes(&app, "441303", 20, 720).await].concat();
    let city = app.client_for("huizhou_admin").await;
    let actions = ["approve", "return", "reject", "approve"];
    // Each case acted on twice at once (one wins, the other conflicts), all cases at the same time.
    let moves = ids.iter().enumerate().flat_map(|(i, id)| {
        let (app, city) = (&app, &city);
        (0..2).map(move |_| async move { act(app, city, id, actions[i % actions.len()]).await })
    });
    let codes: Vec<u16> = futures::future::join_all(moves).await;
    assert!(codes.iter().all(|c| *c < 500), "{codes:?}");
    assert!(codes.iter().filter(|c| **c == 200).count() >= ids.len(), "{codes:?}");
    assert_eq!(shuzhuan::review::tally::stored(&app.state.db).await.unwrap(), shuzhuan::review::tally::recount(&app.state.db).await.unwrap());
    let returned: Vec<&String> = ids.iter().enumerate().filter(|(i, _)| actions[i % actions.len()] == "return").map(|(_, id)| id).collect();
    let (_, d) = get(&app, &city, "/api/dashboard").await;
    assert_eq!(kind_row(&d, "info_change").unwrap()["returned"].as_u64(), Some(returned.len() as u64), "{d}");
    let (_, d) = get(&app, &app.client_for("huicheng_admin").await, "/api/dashboard").await;
    assert_eq!(kind_row(&d, "info_change").unwrap()["total"], 20);
    let stored = shuzhuan::review::tally::stored(&app.state.db).await.unwrap();
    assert!(stored.values().all(|(n, _)| *n > 0), "no bucket below zero: {stored:?}");
}
