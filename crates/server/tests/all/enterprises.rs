//! 企业管理 and 信用核查 (issue 20, seed 003 §4.3.4) over real HTTP on both databases: region scoping of the list, the
//! profile and the materials' files (a district never sees another district's enterprises), masking of personal
//! data, the history from calls and projects, single and batch credit checks (bad rows by row number, the result
//! workbook read back), every check audited, and an import replacing the dishonest list with its date shown.

use reqwest::Method;
use serde_json::{json, Value};
use shuzhuan::directory::{NewOrg, OrgKind};

use crate::calls::{get, send, upload};
use crate::common::TestApp;

both!(officials_see_the_enterprises_of_their_region_only);
both!(credit_checks_one_by_one_and_in_batch_against_the_imported_list);

/// The sample list's first entry: the made-up enterprise the demo seeds in 惠城区.
const FLAGGED: &str = "91441302MA5X000911";
/// A valid code on no list.
const CLEAN: &str = "91350100M000100Y43";

fn names(list: &Value) -> Vec<&str> {
    list["items"].as_array().unwrap_or_else(|| panic!("{list}")).iter().map(|i| i["name"].as_str().unwrap()).collect()
}

async fn officials_see_the_enterprises_of_their_region_only(app: TestApp) {
    app.seed_demo().await;
    let db = &app.state.db;
    let huiyang = shuzhuan::directory::create(db, NewOrg { name: "惠阳区测试企业有限公司", kind: OrgKind::Enterprise, uscc: Some("91441303MA5X00661E"), region_code: Some("441303"), parent_id: None }).await.unwrap();
    let pengjiang_ent = shuzhuan::directory::create(db, NewOrg { name: "蓬江区测试企业有限公司", kind: OrgKind::Enterprise, uscc: None, region_code: Some("440703"), parent_id: None }).await.unwrap();
    let district = app.client_for("huicheng_admin").await;
    let city = app.client_for("huizhou_admin").await;
    let province = app.client_for("guangdong_admin").await;
    let other_district = app.client_for("pengjiang_admin").await;
    let ent = app.client_for("enterprise_demo").await;

    // Only officials with 企业管理: not an enterprise, not the operator, not a handler without the permission.
    for who in ["enterprise_demo", "operator_admin", "huizhou_handler", "provider_demo"] {
        let c = app.client_for(who).await;
        assert_eq!(get(&app, &c, "/api/enterprises").await.0, 403, "{who}");
    }

    // A district its district; a city its city; the province all of it; never another's.
    let (s, mine) = get(&app, &district, "/api/enterprises?page_size=100").await;
    assert_eq!(s, 200, "{mine}");
    assert_eq!(names(&mine), vec!["惠州市华阳精机有限公司", "惠州市诚信缺失演示制造有限公司（虚构）"]);
    let (_, c) = get(&app, &city, "/api/enterprises?page_size=100").await;
    assert!(names(&c).contains(&"惠阳区测试企业有限公司") && names(&c).contains(&"惠州市华阳精机有限公司"), "{c}");
    assert!(!names(&c).contains(&"蓬江区测试企业有限公司"));
    let (_, p) = get(&app, &province, "/api/enterprises?page_size=100").await;
    for n in ["惠阳区测试企业有限公司", "蓬江区测试企业有限公司", "中山市小榄精工五金制品有限公司（演示）"] {
        assert!(names(&p).contains(&n), "{n}: {p}");
    }
    assert!(!names(&p).contains(&"厦门鹭芯电子器件有限公司（演示）"), "another province");
    let (_, o) = get(&app, &other_district, "/api/enterprises").await;
    assert_eq!(names(&o), vec!["蓬江区测试企业有限公司"]);

    // The seed's columns: city, district, credit code, industry, established, history, 失信, type.
    let row = |list: &Value, name: &str| list["items"].as_array().unwrap().iter().find(|i| i["name"] == name).cloned().unwrap();
    let huayang = row(&mine, "惠州市华阳精机有限公司");
    assert_eq!((huayang["city"].as_str(), huayang["district"].as_str()), (Some("惠州市"), Some("惠城区")), "{huayang}");
    assert!(huayang["established_on"].as_str().is_some_and(|d| d.len() == 10), "from the registry: {huayang}");
    assert_eq!((huayang["history_count"].as_i64(), huayang["dishonest"].as_bool()), (Some(0), Some(false)));
    let flagged = row(&mine, "惠州市诚信缺失演示制造有限公司（虚构）");
    assert_eq!((flagged["dishonest"].as_bool(), flagged["nature"].as_str(), flagged["uscc"].as_str()), (Some(true), Some("民营"), Some(FLAGGED)), "{flagged}");
    assert_eq!(mine["list"]["file_name"], "dishonest-sample.csv");
    assert!(mine["list"]["imported_at"].is_string(), "the list's date is shown: {mine}");

    // Filters: name, code, 失信, type, a region narrower than the official's (not a wider or another one).
    assert_eq!(names(&get(&app, &district, "/api/enterprises?name=%E5%8D%8E%E9%98%B3").await.1), vec!["惠州市华阳精机有限公司"]);
    assert_eq!(names(&get(&app, &district, &format!("/api/enterprises?uscc={}", &FLAGGED[..13])).await.1), vec!["惠州市诚信缺失演示制造有限公司（虚构）"]);
    // The 惠阳区 enterprise's code is on the sample list too (its fifth row).
    assert_eq!(names(&get(&app, &city, "/api/enterprises?dishonest=yes").await.1), vec!["惠州市诚信缺失演示制造有限公司（虚构）", "惠阳区测试企业有限公司"]);
    assert!(!names(&get(&app, &city, "/api/enterprises?dishonest=no&page_size=100").await.1).contains(&"惠州市诚信缺失演示制造有限公司（虚构）"));
    assert_eq!(names(&get(&app, &city, "/api/enterprises?nature=%E6%B0%91%E8%90%A5").await.1), vec!["惠州市诚信缺失演示制造有限公司（虚构）"]);
    assert_eq!(names(&get(&app, &city, "/api/enterprises?region_code=441303").await.1), vec!["惠阳区测试企业有限公司"]);
    let (s, e) = get(&app, &district, "/api/enterprises?region_code=441303").await;
    assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("region_code")), "{e}");
    assert_eq!(get(&app, &district, "/api/enterprises?dishonest=maybe").await.0, 422);
    assert_eq!(get(&app, &district, "/api/enterprises?page_size=7").await.0, 422);
    let (_, page) = get(&app, &province, "/api/enterprises?page_size=10&page=1").await;
    assert!(page["total"].as_u64().unwrap() >= 4 && page["items"].as_array().unwrap().len() <= 10);

    // The enterprise applies to a call and files a qualification: the history and the materials show them.
    let (_, open) = get(&app, &ent, "/api/calls/open").await;
    let call_id = open["calls"][0]["call"]["id"].as_str().unwrap().to_owned();
    let (s, applied) = send(&app, &ent, Method::POST, &format!("/api/calls/{call_id}/apply"), json!({})).await;
    assert!(s == 200 || s == 201, "{applied}");
    let file = upload(&app, &ent, "attachment", "高新技术企业证书.pdf", b"%PDF-1.4\n%%EOF\n".to_vec()).await;
    let (s, _) = send(&app, &ent, Method::POST, "/api/orgs/me/materials", json!({"category": "资质证书", "title": "高新技术企业证书", "file_id": file})).await;
    assert_eq!(s, 201);
    let huayang_id = huayang["id"].as_str().unwrap();
    let (_, mine) = get(&app, &district, "/api/enterprises?name=%E5%8D%8E%E9%98%B3").await;
    assert_eq!(mine["items"][0]["history_count"], 1);

    let (s, profile) = get(&app, &district, &format!("/api/enterprises/{huayang_id}")).await;
    assert_eq!(s, 200, "{profile}");
    assert_eq!(profile["basics"]["name"], "惠州市华阳精机有限公司");
    assert_eq!(profile["history"][0]["kind_label"], "项目申报");
    assert_eq!(profile["history"][0]["stage"], "草稿");
    assert_eq!(profile["materials"][0]["file_name"], "高新技术企业证书.pdf");
    assert_eq!(profile["qualifications"][0]["name"], "高新技术企业证书");
    assert_eq!(profile["credit"]["dishonest"], false);
    // Personal data masked: the account's phone (13800000001) never in clear.
    let account = &profile["accounts"][0];
    assert_eq!((account["username"].as_str(), account["phone"].as_str(), account["is_admin"].as_bool()), (Some("enterprise_demo"), Some("138****0001"), Some(true)), "{profile}");
    assert!(!profile.to_string().contains("13800000001"), "no phone in clear");
    assert!(!profile.to_string().contains("password"), "no hash");

    // The materials' file: the officials of its region download it; another district does not even see it.
    assert_eq!(district.get(app.url(&format!("/api/files/{file}"))).send().await.unwrap().status(), 200);
    assert_eq!(city.get(app.url(&format!("/api/files/{file}"))).send().await.unwrap().status(), 200);
    assert_eq!(other_district.get(app.url(&format!("/api/files/{file}"))).send().await.unwrap().status(), 404);
    // A file of the enterprise that is not in its materials library stays its own.
    let private = upload(&app, &ent, "attachment", "内部.pdf", b"%PDF-1.4\n%%EOF\n".to_vec()).await;
    assert_eq!(district.get(app.url(&format!("/api/files/{private}"))).send().await.unwrap().status(), 404);

    // Out of region: 404 as if it did not exist (another district's, another city's); unknown ids too.
    assert_eq!(get(&app, &district, &format!("/api/enterprises/{}", huiyang.id)).await.0, 404);
    assert_eq!(get(&app, &other_district, &format!("/api/enterprises/{huayang_id}")).await.0, 404);
    assert_eq!(get(&app, &city, &format!("/api/enterprises/{}", pengjiang_ent.id)).await.0, 404);
    assert_eq!(get(&app, &city, &format!("/api/enterprises/{}", huiyang.id)).await.0, 200);
    assert_eq!(get(&app, &province, &format!("/api/enterprises/{}", pengjiang_ent.id)).await.0, 200);
    // Not an enterprise: a government body's id answers 404 too.
    let bureau = app.text("SELECT id AS v FROM organizations WHERE name = '惠州市惠城区工业和信息化局'").await;
    assert_eq!(get(&app, &district, &format!("/api/enterprises/{bureau}")).await.0, 404);
}

fn workbook(rows: &[[&str; 2]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "企业名称").unwrap();
    sheet.write_string(0, 1, "*统一社会信用代码").unwrap();
    for (i, [name, uscc]) in rows.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, *name).unwrap();
        sheet.write_string(i as u32 + 1, 1, *uscc).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The sheets of a workbook as text.
fn read_back(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            (n, range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect())
        })
        .collect()
}

async fn credit_checks_one_by_one_and_in_batch_against_the_imported_list(app: TestApp) {
    app.seed_demo().await;
    let city = app.client_for("huizhou_admin").await;
    let district = app.client_for("pengjiang_admin").await;
    let url = "/api/enterprises/credit-checks";

    // One by one: the flag, the entry's details, the list's date; the enterprise when it is in the region.
    let (s, a) = send(&app, &city, Method::POST, url, json!({"uscc": FLAGGED.to_lowercase()})).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!((a["dishonest"].as_bool(), a["uscc"].as_str()), (Some(true), Some(FLAGGED)));
    assert_eq!(a["entries"][0]["list_kind"], "失信被执行人");
    assert!(a["entries"][0]["case_no"].as_str().unwrap().contains("执"), "{a}");
    assert_eq!(a["enterprise_name"], "惠州市诚信缺失演示制造有限公司（虚构）");
    assert_eq!(a["list"]["file_name"], "dishonest-sample.csv");
    assert!(a["list"]["imported_at"].is_string());
    let (_, a) = send(&app, &district, Method::POST, url, json!({"uscc": FLAGGED})).await;
    assert_eq!((a["dishonest"].as_bool(), &a["enterprise_name"]), (Some(true), &Value::Null), "the list is public; the enterprise is not Jiangmen's");
    let (_, a) = send(&app, &city, Method::POST, url, json!({"uscc": CLEAN})).await;
    assert_eq!((a["dishonest"].as_bool(), a["entries"].as_array().map(Vec::len)), (Some(false), Some(0)));
    let (s, e) = send(&app, &city, Method::POST, url, json!({"uscc": "91350100M000100Y44"})).await;
    assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("uscc")), "{e}");
    let ent = app.client_for("enterprise_demo").await;
    assert_eq!(send(&app, &ent, Method::POST, url, json!({"uscc": CLEAN})).await.0, 403);
    assert_eq!(app.count("audit_log WHERE action = 'credit_check'").await, 3, "every answered check is audited");

    // The template: 企业名称 optional, *统一社会信用代码 required.
    let res = city.get(app.url(&format!("{url}/template.xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let template = read_back(res.bytes().await.unwrap().to_vec());
    assert_eq!(template[0].1[0], vec!["企业名称", "*统一社会信用代码"]);

    // A batch: bad rows by row number, the good ones still checked.
    let file = upload(
        &app,
        &city,
        "attachment",
        "核查名单.xlsx",
        workbook(&[["诚信缺失", FLAGGED], ["", CLEAN], ["缺代码公司", ""], ["错代码公司", "91350100M000100Y44"], ["", ""], ["小写也认", &FLAGGED.to_lowercase()]]),
    )
    .await;
    let (s, r) = send(&app, &city, Method::POST, &format!("{url}/batch"), json!({"file_id": file})).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!((r["checked"].as_u64(), r["dishonest"].as_u64()), (Some(3), Some(2)), "{r}");
    let flags: Vec<(u64, bool)> = r["rows"].as_array().unwrap().iter().map(|x| (x["row"].as_u64().unwrap(), x["dishonest"].as_bool().unwrap())).collect();
    assert_eq!(flags, vec![(2, true), (3, false), (7, true)]);
    let bad: Vec<(u64, &str)> = r["problems"].as_array().unwrap().iter().map(|x| (x["row"].as_u64().unwrap(), x["message"].as_str().unwrap())).collect();
    assert_eq!(bad.iter().map(|b| b.0).collect::<Vec<_>>(), vec![4, 5], "{r}");
    assert!(bad[0].1.contains("为空") && bad[1].1.contains("校验"), "{bad:?}");
    assert_eq!(r["list_file_name"], "dishonest-sample.csv");

    // The result workbook, read back: a 失信 flag per row and the list's date; the bad rows on their own sheet.
    let id = r["id"].as_str().unwrap();
    let res = city.get(app.url(&format!("{url}/{id}/result.xlsx"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let sheets = read_back(res.bytes().await.unwrap().to_vec());
    let (name, rows) = &sheets[0];
    assert_eq!(name, "核查结果");
    assert_eq!(rows[0][..4], ["行号", "企业名称", "统一社会信用代码", "是否失信"]);
    assert_eq!(rows[0][9], "名单导入日期");
    let summary: Vec<(&str, &str, &str)> = rows[1..].iter().map(|r| (r[0].as_str(), r[2].as_str(), r[3].as_str())).collect();
    assert_eq!(summary, vec![("2", FLAGGED, "是"), ("3", CLEAN, "否"), ("7", FLAGGED, "是")]);
    assert!(rows[1][6].contains("执") && !rows[1][9].is_empty(), "details and the list's date: {:?}", rows[1]);
    let (bad_name, bad_rows) = &sheets[1];
    assert_eq!(bad_name, "未核查的行");
    assert_eq!(bad_rows[1..].iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), vec!["4", "5"]);
    // Another body's batch is not there for it.
    assert_eq!(district.get(app.url(&format!("{url}/{id}/result.xlsx"))).send().await.unwrap().status(), 404);
    let audited = app.text(&format!("SELECT detail AS v FROM audit_log WHERE action = 'credit_check_batch' AND object_id = '{id}'")).await;
    assert!(audited.contains(FLAGGED) && audited.contains(CLEAN), "every code checked is in the audit: {audited}");

    // Limits, with a clear message: too many rows; not a workbook; a file only the uploader's body may use.
    let many: Vec<[&str; 2]> = (0..=shuzhuan::enterprises::credit::MAX_ROWS).map(|_| ["", CLEAN]).collect();
    let big = upload(&app, &city, "attachment", "太多.xlsx", workbook(&many)).await;
    let (s, e) = send(&app, &city, Method::POST, &format!("{url}/batch"), json!({"file_id": big})).await;
    assert_eq!(s, 422);
    assert!(e["message"].as_str().unwrap().contains("最多核查2000行"), "{e}");
    let pdf = upload(&app, &city, "attachment", "名单.pdf", b"%PDF-1.4 not a workbook".to_vec()).await;
    let (s, e) = send(&app, &city, Method::POST, &format!("{url}/batch"), json!({"file_id": pdf})).await;
    assert!(s == 422 && e["message"].as_str().unwrap().contains("Excel"), "{e}");
    assert_eq!(send(&app, &district, Method::POST, &format!("{url}/batch"), json!({"file_id": file})).await.0, 422);
    assert_eq!(app.count("credit_check_batches").await, 1, "refused batches leave nothing");

    // An import replaces the whole list, with its date and file name; a bad file changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, format!("统一社会信用代码,企业名称\n{CLEAN},新名单企业\n123,坏行\n")).unwrap();
    let err = shuzhuan::enterprises::dishonest::import_file(&app.state.db, &bad).await.unwrap_err().to_string();
    assert!(err.contains("第3行") && err.contains("原名单保持不变"), "{err}");
    assert_eq!(send(&app, &city, Method::POST, url, json!({"uscc": FLAGGED})).await.1["dishonest"], true);
    let good = dir.path().join("2025年第二批失信名单.csv");
    std::fs::write(&good, format!("统一社会信用代码,企业名称,名单类型,列入日期\n{CLEAN},新名单企业（虚构）,严重失信主体,2025-01-02\n")).unwrap();
    let done = shuzhuan::enterprises::dishonest::import_file(&app.state.db, &good).await.unwrap();
    assert_eq!((done.row_count, done.file_name.as_str()), (1, "2025年第二批失信名单.csv"));
    assert_eq!(app.count("dishonest_entities").await, 1);
    let (_, a) = send(&app, &city, Method::POST, url, json!({"uscc": FLAGGED})).await;
    assert_eq!((a["dishonest"].as_bool(), a["list"]["file_name"].as_str(), a["list"]["row_count"].as_i64()), (Some(false), Some("2025年第二批失信名单.csv"), Some(1)));
    let (_, a) = send(&app, &city, Method::POST, url, json!({"uscc": CLEAN})).await;
    assert_eq!((a["dishonest"].as_bool(), a["entries"][0]["listed_on"].as_str()), (Some(true), Some("2025-01-02")));
    let (_, list) = get(&app, &city, "/api/enterprises?dishonest=yes").await;
    assert_eq!((list["total"].as_u64(), list["list"]["file_name"].as_str()), (Some(0), Some("2025年第二批失信名单.csv")), "the list column follows the current list");
}
