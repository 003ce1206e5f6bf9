//! 企业管理 (issue 20): with `ENTERPRISES_COUNT` (default 100,000) enterprises in Guangdong, `ENTERPRISES_SHARE` per
//! cent of them (default 10) in 惠城区, and a dishonest list of `ENTERPRISES_LISTED` (default 10,000) entries, the
//! officials' list page p50/p95 for a district, a city and the province (first pages, a deep page, 失信 and name
//! filters), one profile, and one batch credit check of 2,000 rows (upload + check + result workbook). The
//! enterprises are inserted directly (organization and profile rows); the server and the demo data are real.
//!
//! `cargo bench --bench enterprises` prints numbers and asserts nothing; results go to docs/benchmarks.md.
//! `ENTERPRISES_DATABASE_URL`: an empty PostgreSQL database instead of SQLite in a temporary folder.

mod common;

use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{json, Value};
use shuzhuan_core::Uscc;

use common::{captcha, client, percentile, setting, start_server};

fn code(i: usize) -> String {
    let body = format!("91440000MA{:07}", i);
    format!("{body}{}", Uscc::compute_check_char(&body).expect("valid body"))
}

async fn sign_in(base: &str, username: &str) -> Client {
    let c = client();
    let (id, answer) = captcha(&c, base).await.expect("captcha");
    let res = c.post(format!("{base}/api/auth/login")).json(&json!({"username": username, "password": "Shuzhuan@2026", "captcha_id": id, "captcha_answer": answer})).send().await.expect("login");
    assert!(res.status().is_success(), "login {username}");
    c
}

async fn timed(c: &Client, url: &str, n: usize) -> (Duration, Duration, u64) {
    let mut took = Vec::with_capacity(n);
    let mut total = 0;
    for _ in 0..n {
        let started = Instant::now();
        let res = c.get(url).send().await.expect("request");
        assert!(res.status().is_success(), "{url}: {}", res.status());
        let body: Value = res.json().await.expect("json");
        took.push(started.elapsed());
        total = body["total"].as_u64().unwrap_or(0);
    }
    took.sort();
    (percentile(&took, 0.5), percentile(&took, 0.95), total)
}

#[tokio::main]
async fn main() {
    let n = setting("ENTERPRISES_COUNT", 100_000) as usize;
    let share = setting("ENTERPRISES_SHARE", 10).clamp(1, 100) as usize;
    let listed = setting("ENTERPRISES_LISTED", 10_000) as usize;
    let bin = env!("CARGO_BIN_EXE_shuzhuan").to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("ENTERPRISES_DATABASE_URL").ok();
    let database = if database_url.is_some() { "PostgreSQL" } else { "SQLite" };
    let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.path().display()));
    let server = start_server(&bin, dir.path(), database_url);
    let base = server.base.clone();
    let seeded = std::process::Command::new(&bin).arg("seed-demo").env("SHUZHUAN_CONFIG", dir.path().join("bench.toml")).output().expect("seed");
    assert!(seeded.status.success(), "seeding failed: {}", String::from_utf8_lossy(&seeded.stderr));

    let db = sea_orm::Database::connect(&url).await.expect("the bench database");
    use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};
    use shuzhuan::directory::{org, profile};
    let others = ["441303", "441322", "440703", "440705", "442000118", "440305", "440106", "441900"];
    let started = Instant::now();
    let now = chrono::Utc::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let txn = db.begin().await.unwrap();
        let rows: Vec<(String, org::ActiveModel)> = chunk
            .iter()
            .map(|&i| {
                let id = uuid::Uuid::now_v7().to_string();
                let region = if i % 100 < share { "441302" } else { others[i % others.len()] };
                let m = org::ActiveModel {
                    id: Set(id.clone()),
                    name: Set(format!("基准测试企业{i:07}有限公司")),
                    kind: Set("enterprise".into()),
                    uscc: Set(Some(code(i))),
                    region_code: Set(Some(region.into())),
                    parent_id: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                };
                (id, m)
            })
            .collect();
        let profiles: Vec<profile::ActiveModel> = rows
            .iter()
            .map(|(id, _)| profile::ActiveModel {
                nature: Set(Some(["民营", "国有", "外资"][id.len() % 3].into())),
                industry_code: Set(Some("39".into())),
                contact_name: Set(Some("张经理".into())),
                updated_at: Set(now),
                ..profile::empty(id)
            })
            .collect();
        org::Entity::insert_many(rows.into_iter().map(|(_, m)| m)).exec(&txn).await.unwrap();
        profile::Entity::insert_many(profiles).exec(&txn).await.unwrap();
        txn.commit().await.unwrap();
    }
    let list: Vec<shuzhuan::enterprises::dishonest::Row> = (0..listed)
        .map(|k| shuzhuan::enterprises::dishonest::Row {
            uscc: code(k * n.max(1) / listed.max(1)),
            name: format!("基准测试企业{k:07}"),
            list_kind: "失信被执行人".into(),
            authority: Some("某人民法院（虚构）".into()),
            case_no: Some(format!("（2024）执{k}号")),
            listed_on: Some("2024-01-01".into()),
            reason: None,
        })
        .collect();
    let txn = db.begin().await.unwrap();
    shuzhuan::enterprises::dishonest::replace(&txn, &list, "bench.csv").await.unwrap();
    txn.commit().await.unwrap();
    println!("\n企业管理 with {n} enterprises ({share}% in 惠城区) and {listed} dishonest entries, {database}; inserted in {:.1?}", started.elapsed());

    for (who, label) in [("huicheng_admin", "district 惠城区"), ("huizhou_admin", "city 惠州"), ("guangdong_admin", "province 广东")] {
        let c = sign_in(&base, who).await;
        for (what, q) in [("first page", "page_size=20"), ("page 50", "page_size=20&page=50"), ("失信 only", "page_size=20&dishonest=yes"), ("name contains", "page_size=20&name=00123")] {
            let (p50, p95, total) = timed(&c, &format!("{base}/api/enterprises?{q}"), 30).await;
            println!("  {label:<16} {what:<14} total {total:>7}: p50 {p50:>8.1?}  p95 {p95:>8.1?}");
        }
    }
    let c = sign_in(&base, "huizhou_admin").await;
    let first: Value = c.get(format!("{base}/api/enterprises?page_size=10")).send().await.unwrap().json().await.unwrap();
    let id = first["items"][0]["id"].as_str().unwrap().to_owned();
    let mut took = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        assert!(c.get(format!("{base}/api/enterprises/{id}")).send().await.unwrap().status().is_success());
        took.push(started.elapsed());
    }
    took.sort();
    println!("  profile (查看企业画像): p50 {:.1?}  p95 {:.1?}", percentile(&took, 0.5), percentile(&took, 0.95));

    // A batch of 2,000 codes (the limit): upload, check, result workbook.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "企业名称").unwrap();
    sheet.write_string(0, 1, "*统一社会信用代码").unwrap();
    for r in 0..2000u32 {
        sheet.write_string(r + 1, 1, code(r as usize * 7)).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let started = Instant::now();
    let form = reqwest::multipart::Form::new().text("purpose", "attachment").part("file", reqwest::multipart::Part::bytes(bytes).file_name("bench.xlsx"));
    let file: Value = c.post(format!("{base}/api/files")).multipart(form).send().await.unwrap().json().await.unwrap();
    let uploaded = started.elapsed();
    let result: Value = c.post(format!("{base}/api/enterprises/credit-checks/batch")).json(&json!({"file_id": file["id"]})).send().await.unwrap().json().await.unwrap();
    let checked = started.elapsed();
    let xlsx = c.get(format!("{base}/api/enterprises/credit-checks/{}/result.xlsx", result["id"].as_str().unwrap())).send().await.unwrap().bytes().await.unwrap();
    println!(
        "  batch credit check of {} rows ({} flagged): upload {uploaded:.1?}, check {:.1?}, result workbook {:.1?} ({} KB)",
        result["checked"],
        result["dishonest"],
        checked - uploaded,
        started.elapsed() - checked,
        xlsx.len() / 1024
    );
}
