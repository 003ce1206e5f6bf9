//! Calls (issue 15), against the bars of the issue: validating the largest seeded form < 1 ms; rendering
//! its 申报书 PDF < 500 ms; 300 enterprises generating their 申报书 at once (the deadline hour) finish with no
//! error while the server answers other requests within 200 ms p95.
//!
//! Reviewing calls (issue 16): with `CALLS_REVIEW_APPLICATIONS` (default 100,000) applications, `CALLS_REVIEW_SHARE`
//! per cent of them waiting for 惠城区, the district's 项目中心 list p95 (bar < 50 ms at 1,000,000), its 导出汇总表 of every application
//! (bar < 5 s at 100,000 with the server's memory flat: peak RSS growth < 100 MB), and one 批量推荐 of 1,000
//! (bar < 2 s). One application is made for real over HTTP (sign-up, form, 申报书, stamped upload, submit);
//! the others are copies of its rows (case, round, task, application) with their own ids, inserted directly.
//!
//! `cargo bench --bench calls` prints numbers and asserts nothing; results are written down in
//! docs/benchmarks.md with the machine they ran on. Environment:
//!
//! - `CALLS_ENTERPRISES` (default 300): enterprises that press 生成申报书 at the same moment; 0 skips the
//!   HTTP part;
//! - `CALLS_DATABASE_URL`: an empty PostgreSQL database instead of SQLite in a temporary folder;
//! - `CALLS_SERVER`: drive another `shuzhuan` binary instead of this build's;
//! - `CALLS_REVIEW_APPLICATIONS` (default 100,000): applications for the review part; 0 skips it;
//! - `CALLS_REVIEW_SHARE` (default 100): the percentage of them waiting for 惠城区 (the rest wait at the other
//!   government bureaus), e.g. 1,000,000 with 2 for a province where one district holds 20,000.

mod common;
#[path = "../tests/all/common/form_fill.rs"]
mod form_fill;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{json, Value};
use shuzhuan::calls::documents::{document_data, render};
use shuzhuan_core::form::{self, FieldKind, FormSchema};

use common::{captcha, client, memory_kib, mib, percentile, setting, start_server};

const PASSWORD: &str = "Qiye@2026x";

const SEEDED_FORMS: &[(&str, &str)] = &[
    ("惠州 2.1", include_str!("../../../data/calls/huizhou-2024-partners/forms/form-2-1.json")),
    ("惠州 2.2", include_str!("../../../data/calls/huizhou-2024-partners/forms/form-2-2.json")),
    ("惠州 2.3", include_str!("../../../data/calls/huizhou-2024-partners/forms/form-2-3.json")),
    ("厦门 试点企业", include_str!("../../../data/calls/xiamen-2024-pilot/forms/pilot-application.json")),
];

/// Fields a user fills or reads, table columns counted one by one.
fn size(schema: &FormSchema) -> usize {
    form::all_fields(schema).map(|(_, f)| 1 + if let FieldKind::Table { columns, .. } = &f.kind { columns.len() } else { 0 }).sum()
}

/// Every seeded form filled whole (tables to their rows) and completed as the server does on a save.
fn filled(schema: &FormSchema) -> Value {
    let refs: form::References = form::all_fields(schema)
        .filter_map(|(_, f)| match &f.kind {
            FieldKind::Reference { source } => Some((source.clone(), "惠州市华阳精机有限公司".to_owned())),
            _ => None,
        })
        .collect();
    form::complete(schema, &form_fill::fill(schema, "0191d6a0-0000-7000-8000-000000000001"), &refs)
}

fn pure() {
    println!("validate (the server's check on every save and submission):");
    let mut largest: Option<(&str, FormSchema, Value)> = None;
    for (name, json) in SEEDED_FORMS {
        let schema = form::parse_schema(&serde_json::from_str(json).unwrap()).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        let values = filled(&schema);
        form::validate(&schema, &values).unwrap_or_else(|p| panic!("{name}: the filled form is refused: {p:?}"));
        let n = 5_000;
        let started = Instant::now();
        for _ in 0..n {
            std::hint::black_box(form::validate(&schema, std::hint::black_box(&values)).is_ok());
        }
        let per = started.elapsed() / n;
        let started = Instant::now();
        for _ in 0..n {
            std::hint::black_box(form::rows(&schema, std::hint::black_box(&values)));
        }
        let rows = started.elapsed() / n;
        println!("  {name:<14} {:>3} fields: validate {per:>9.1?}, read-only rows {rows:>9.1?}", size(&schema));
        if largest.as_ref().is_none_or(|(_, s, _)| size(s) < size(&schema)) {
            largest = Some((name, schema, values));
        }
    }

    let (name, schema, values) = largest.expect("seeded forms");
    let form = json!({ "values": values });
    let attachments: Vec<(String, String)> = (1..=8).map(|i| (format!("附件材料{i}"), "1个文件".to_owned())).collect();
    let font_dirs = shuzhuan::Config::default().pdf_font_dirs;
    let mut times = Vec::new();
    let mut bytes = 0;
    // Each render a distinct enterprise: Typst memoizes, and 300 applicants never print the same document.
    for i in 0..10 {
        let t = Instant::now();
        let data = document_data(&schema, &form, &format!("惠州市华阳精机第{i}有限公司"), "91441302MA5100331X", "2024年广东省智能制造生态合作伙伴", "智能制造装备", Some("本单位承诺所填报内容真实、准确、完整。"), &attachments);
        let pdf = render(&data, &font_dirs).expect("render (are the CJK fonts installed?)");
        times.push(t.elapsed());
        bytes = pdf.len();
    }
    let first = times[0];
    times.sort();
    println!(
        "申报书 PDF of {name} ({} KiB, data + Typst render): first {first:.1?} (fonts loaded), median {:.1?}, max {:.1?}",
        bytes / 1024,
        times[times.len() / 2],
        times[times.len() - 1]
    );
}

async fn json_of(res: reqwest::Response, what: &str) -> Result<Value, String> {
    let status = res.status();
    let body: Value = res.json().await.map_err(|e| format!("{what}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{what}: {status} {body}"));
    }
    Ok(body)
}

/// Signs up a Huizhou enterprise (captcha, SMS code, registration) and signs it in.
async fn enterprise(base: &str, i: usize) -> Result<Client, String> {
    let c = client();
    let phone = format!("137{:08}", 10_000_000 + i);
    let e = |e: reqwest::Error| e.to_string();
    let (id, answer) = captcha(&c, base).await.map_err(e)?;
    json_of(c.post(format!("{base}/api/sms/send")).json(&json!({"phone": phone, "purpose": "register", "captcha_id": id, "captcha_answer": answer})).send().await.map_err(e)?, "sms").await?;
    let outbox = json_of(c.get(format!("{base}/api/dev/sms-outbox?phone={phone}")).send().await.map_err(e)?, "outbox").await?;
    let code: String = outbox["items"][0]["text"].as_str().unwrap_or_default().chars().filter(char::is_ascii_digit).take(6).collect();
    let registration = json!({
        "kind": "enterprise", "phone": phone, "sms_code": code, "password": PASSWORD, "confirm_password": PASSWORD,
        "company_name": format!("惠州市申报测试{i}号装备有限公司"), "uscc": shuzhuan::seed::demo_uscc(30_000 + i),
        "region_code": "441302", "address": format!("惠州市惠城区测试路{i}号"), "industry_code": "C", "contact_name": "李经办"
    });
    json_of(c.post(format!("{base}/api/register")).json(&registration).send().await.map_err(e)?, "register").await?;
    let (id, answer) = captcha(&c, base).await.map_err(e)?;
    json_of(
        c.post(format!("{base}/api/auth/login")).json(&json!({"username": phone, "password": PASSWORD, "captcha_id": id, "captcha_answer": answer})).send().await.map_err(e)?,
        "login",
    )
    .await?;
    Ok(c)
}

/// Applies to the open call with the largest form and saves it filled whole; returns the application id.
async fn fill_application(c: &Client, base: &str) -> Result<String, String> {
    let e = |e: reqwest::Error| e.to_string();
    let open = json_of(c.get(format!("{base}/api/calls/open")).send().await.map_err(e)?, "open calls").await?;
    let call = open["calls"].as_array().and_then(|items| items.iter().find(|i| i["call"]["track_name"] == "智能制造装备")).ok_or_else(|| format!("no open Huizhou call: {open}"))?;
    let applied = json_of(c.post(format!("{base}/api/calls/{}/apply", call["call"]["id"].as_str().unwrap_or_default())).json(&json!({})).send().await.map_err(e)?, "apply").await?;
    let id = applied["application_id"].as_str().ok_or("apply: no id")?.to_owned();
    let a = json_of(c.get(format!("{base}/api/calls/applications/{id}")).send().await.map_err(e)?, "application").await?;
    let schema: FormSchema = serde_json::from_value(a["schema"].clone()).map_err(|e| e.to_string())?;
    // File fields point at one upload of the enterprise's own.
    let form = reqwest::multipart::Form::new().text("purpose", "attachment").part("file", reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("证明材料.pdf"));
    let file = json_of(c.post(format!("{base}/api/files")).multipart(form).send().await.map_err(e)?, "upload").await?;
    let values = form_fill::fill(&schema, file["id"].as_str().unwrap_or_default());
    json_of(c.put(format!("{base}/api/calls/applications/{id}")).json(&json!({ "values": values, "version": a["version"] })).send().await.map_err(e)?, "save").await?;
    Ok(id)
}

/// Presses 生成申报书 and polls as the page does until the document is done; returns the time it took.
async fn generate(c: &Client, base: &str, id: &str) -> Result<Duration, String> {
    let e = |e: reqwest::Error| e.to_string();
    let started = Instant::now();
    json_of(c.post(format!("{base}/api/calls/applications/{id}/documents")).json(&json!({})).send().await.map_err(e)?, "generate").await?;
    loop {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let a = json_of(c.get(format!("{base}/api/calls/applications/{id}")).send().await.map_err(e)?, "poll").await?;
        match a["documents"][0]["status"].as_str() {
            Some("done") => break,
            Some("failed") => return Err(format!("generation failed: {}", a["documents"][0])),
            _ => {}
        }
        if started.elapsed() > Duration::from_secs(1800) {
            return Err("not done after 30 min".into());
        }
    }
    let took = started.elapsed();
    let a = json_of(c.get(format!("{base}/api/calls/applications/{id}")).send().await.map_err(e)?, "poll").await?;
    let pdf = c.get(format!("{base}/api/files/{}", a["documents"][0]["file_id"].as_str().unwrap_or_default())).send().await.map_err(e)?.bytes().await.map_err(e)?;
    if !pdf.starts_with(b"%PDF-") {
        return Err("the 申报书 is not a PDF".into());
    }
    Ok(took)
}

async fn rush(n: usize) {
    let bin = std::env::var("CALLS_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_shuzhuan").to_string());
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("CALLS_DATABASE_URL").ok();
    let database = if database_url.is_some() { "PostgreSQL" } else { "SQLite" };
    let server = start_server(&bin, dir.path(), database_url);
    let base = server.base.clone();
    // The demo data holds the seeded calls, their windows shifted to today.
    let seeded = std::process::Command::new(&bin).arg("seed-demo").env("SHUZHUAN_CONFIG", dir.path().join("bench.toml")).output().expect("seed");
    if !seeded.status.success() {
        println!("seeding failed: {}", String::from_utf8_lossy(&seeded.stderr));
        return;
    }
    println!("\n{n} enterprises press 生成申报书 at once, {database}, server {bin} at {base}");

    // Before the rush: each enterprise signs up and fills its application (25 at a time).
    let started = Instant::now();
    let slots = Arc::new(tokio::sync::Semaphore::new(25));
    let prepared: Vec<_> = futures::future::join_all((0..n).map(|i| {
        let (base, slots) = (base.clone(), slots.clone());
        tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.expect("open");
            let c = enterprise(&base, i).await?;
            let id = fill_application(&c, &base).await?;
            Ok::<_, String>((c, id))
        })
    }))
    .await
    .into_iter()
    .map(|r| r.expect("task"))
    .collect();
    let (ready, failed): (Vec<_>, Vec<_>) = prepared.into_iter().partition(Result::is_ok);
    println!("  prepared {} applications in {:.0?} ({} failed{})", ready.len(), started.elapsed(), failed.len(), failed.first().map(|e| format!(": {}", e.as_ref().unwrap_err())).unwrap_or_default());
    let ready: Vec<(Client, String)> = ready.into_iter().map(Result::unwrap).collect();

    // Meanwhile, an official's and a visitor's ordinary reads, one every 100 ms each, timed.
    let probing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let probes: Arc<Mutex<Vec<(Duration, bool)>>> = Arc::default();
    let prober = {
        let (base, probing, probes) = (base.clone(), probing.clone(), probes.clone());
        let (c, _) = ready.first().cloned().expect("an enterprise");
        tokio::spawn(async move {
            let visitor = client();
            while probing.load(std::sync::atomic::Ordering::Relaxed) {
                for (who, path) in [(&visitor, "/api/public/calls"), (&c, "/api/calls/mine"), (&visitor, "/api/health")] {
                    let t = Instant::now();
                    let ok = who.get(format!("{base}{path}")).send().await.map(|r| r.status().is_success()).unwrap_or(false);
                    probes.lock().unwrap().push((t.elapsed(), ok));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };

    let started = Instant::now();
    let results = futures::future::join_all(ready.iter().map(|(c, id)| generate(c, &base, id))).await;
    let all = started.elapsed();
    probing.store(false, std::sync::atomic::Ordering::Relaxed);
    prober.await.ok();

    let mut took: Vec<Duration> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    took.sort();
    let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    println!(
        "  {} documents in {:.1?}: {} errors{}; time to done p50 {:.1?}, p95 {:.1?}, max {:.1?}",
        took.len(),
        all,
        errors.len(),
        errors.first().map(|e| format!(" (first: {e})")).unwrap_or_default(),
        percentile(&took, 0.5),
        percentile(&took, 0.95),
        took.last().copied().unwrap_or_default()
    );
    let probes = probes.lock().unwrap();
    let mut latencies: Vec<Duration> = probes.iter().map(|(d, _)| *d).collect();
    latencies.sort();
    println!(
        "  other requests meanwhile: {} ({} failed), p50 {:.1?}, p95 {:.1?}, max {:.1?}",
        probes.len(),
        probes.iter().filter(|(_, ok)| !ok).count(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        latencies.last().copied().unwrap_or_default()
    );
    drop(server);
}

/// Signs a demo account in (the captcha answer is exposed to the bench's loopback client).
async fn sign_in(base: &str, username: &str) -> Result<Client, String> {
    let c = client();
    let (id, answer) = captcha(&c, base).await.map_err(|e| e.to_string())?;
    let body = json!({"username": username, "password": "Shuzhuan@2026", "captcha_id": id, "captcha_answer": answer});
    json_of(c.post(format!("{base}/api/auth/login")).json(&body).send().await.map_err(|e| e.to_string())?, "login").await?;
    Ok(c)
}

/// Generates the 申报书, uploads it as the stamped copy with the attachments the call asks for, and submits.
async fn submit(c: &Client, base: &str, id: &str) -> Result<(), String> {
    let e = |e: reqwest::Error| e.to_string();
    generate(c, base, id).await?;
    let a = json_of(c.get(format!("{base}/api/calls/applications/{id}")).send().await.map_err(e)?, "application").await?;
    let pdf = c.get(format!("{base}/api/files/{}", a["documents"][0]["file_id"].as_str().unwrap_or_default())).send().await.map_err(e)?.bytes().await.map_err(e)?;
    let form = reqwest::multipart::Form::new().text("purpose", "document").part("file", reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("申报书（盖章）.pdf"));
    let stamped = json_of(c.post(format!("{base}/api/files")).multipart(form).send().await.map_err(e)?, "stamped upload").await?;
    let attachments: serde_json::Map<String, Value> =
        a["call"]["attachments"].as_array().into_iter().flatten().map(|i| (i["key"].as_str().unwrap_or_default().to_owned(), json!([stamped["id"]]))).collect();
    let body = json!({ "values": a["values"], "attachments": attachments, "declaration_confirmed": true, "assessment_id": a["assessments"].get(0).map(|x| x["id"].clone()),
        "stamped_file_id": stamped["id"], "version": a["version"] });
    let saved = json_of(c.put(format!("{base}/api/calls/applications/{id}")).json(&body).send().await.map_err(e)?, "save").await?;
    json_of(c.post(format!("{base}/api/calls/applications/{id}/submit")).json(&json!({ "version": saved["version"] })).send().await.map_err(e)?, "submit").await?;
    Ok(())
}

/// `n` copies of the application `id` (its case, rounds, tasks and application rows, each with new ids and
/// a numbered title), each by its own enterprise (one application per call and enterprise), inserted directly
/// in batches.
async fn copy_application(db: &sea_orm::DatabaseConnection, id: &str, n: usize, share: u64, others: &[String]) {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, TransactionTrait};
    use shuzhuan::calls::entity::application;
    use shuzhuan::review::entity::{case, round, task};
    let c = case::Entity::find_by_id(id.to_owned()).one(db).await.unwrap().expect("the real case");
    let rounds = round::Entity::find().filter(round::Column::CaseId.eq(id)).all(db).await.unwrap();
    let tasks = task::Entity::find().filter(task::Column::CaseId.eq(id)).all(db).await.unwrap();
    let a = application::Entity::find_by_id(id.to_owned()).one(db).await.unwrap().expect("the real application");
    use shuzhuan::directory::org;
    let applicant = org::Entity::find_by_id(a.org_id.clone()).one(db).await.unwrap().expect("the applicant");
    let started = Instant::now();
    const CHUNK: usize = 200;
    let mut done = 0;
    while done < n {
        let k = CHUNK.min(n - done);
        let ids: Vec<String> = (0..k).map(|_| uuid::Uuid::now_v7().to_string()).collect();
        let orgs: Vec<(String, String)> = (0..k).map(|j| (uuid::Uuid::now_v7().to_string(), format!("惠州市评审测试{}号制造有限公司", done + j + 1))).collect();
        let txn = db.begin().await.unwrap();
        let new_orgs = orgs.iter().map(|(oid, name)| org::ActiveModel { id: Set(oid.clone()), name: Set(name.clone()), uscc: Set(None), ..applicant.clone().into_active_model().reset_all() });
        org::Entity::insert_many(new_orgs).exec(&txn).await.unwrap();
        let cases = ids.iter().zip(&orgs).map(|(new, (oid, name))| {
            let mut m = c.clone().into_active_model();
            m.id = Set(new.clone());
            m.owner_org_id = Set(oid.clone());
            m.title = Set(format!("{} · {name}", c.title));
            m.reset_all()
        });
        case::Entity::insert_many(cases).exec(&txn).await.unwrap();
        if !rounds.is_empty() {
            let rs = ids.iter().flat_map(|new| rounds.iter().map(move |r| round::ActiveModel { case_id: Set(new.clone()), ..r.clone().into_active_model().reset_all() }));
            round::Entity::insert_many(rs).exec(&txn).await.unwrap();
        }
        // `share` in 100 stay with 惠城区; the others wait at other bureaus (as a province's other districts').
        let ts = ids.iter().zip(&orgs).enumerate().flat_map(|(j, (new, (_, name)))| {
            let elsewhere = ((done + j) as u64 * 100 / n as u64) >= share && !others.is_empty();
            let assignee = elsewhere.then(|| others[(done + j) % others.len()].clone());
            tasks.iter().map(move |t| {
                let mut m = task::ActiveModel {
                    id: Set(uuid::Uuid::now_v7().to_string()),
                    case_id: Set(new.clone()),
                    applicant_name: Set(name.clone()),
                    ..t.clone().into_active_model().reset_all()
                };
                if let Some(org) = &assignee {
                    m.assignee_org_id = Set(org.clone());
                    m.department_id = Set(None);
                }
                m
            })
        });
        task::Entity::insert_many(ts).exec(&txn).await.unwrap();
        let apps = ids.iter().zip(&orgs).map(|(new, (oid, _))| application::ActiveModel { case_id: Set(new.clone()), org_id: Set(oid.clone()), ..a.clone().into_active_model().reset_all() });
        application::Entity::insert_many(apps).exec(&txn).await.unwrap();
        txn.commit().await.unwrap();
        done += k;
        if done % 100_000 == 0 || done == n {
            println!("  … {done} copies, {:.0} s", started.elapsed().as_secs_f64());
        }
    }
}

/// GETs `path` `runs` times; the latencies sorted.
async fn timed_gets(c: &Client, base: &str, path: &str, runs: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let res = c.get(format!("{base}{path}")).send().await.expect("request");
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.bytes().await.expect("body");
        out.push(t.elapsed());
    }
    out.sort();
    out
}

async fn review_scale(n: usize, share: u64) {
    let bin = std::env::var("CALLS_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_shuzhuan").to_string());
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("CALLS_DATABASE_URL").ok();
    let database = if database_url.is_some() { "PostgreSQL" } else { "SQLite" };
    let url = database_url.clone().unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.path().display()));
    let server = start_server(&bin, dir.path(), database_url);
    let base = server.base.clone();
    let seeded = std::process::Command::new(&bin).arg("seed-demo").env("SHUZHUAN_CONFIG", dir.path().join("bench.toml")).output().expect("seed");
    assert!(seeded.status.success(), "seeding failed: {}", String::from_utf8_lossy(&seeded.stderr));
    println!("\nreviewing calls with {n} applications in the database, {database}");

    let ent = enterprise(&base, 0).await.expect("an enterprise");
    let id = fill_application(&ent, &base).await.expect("an application");
    submit(&ent, &base, &id).await.expect("submitted");
    let db = sea_orm::Database::connect(&url).await.expect("the bench database");
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    use shuzhuan::directory::org;
    let bureau: String = org::Entity::find().filter(org::Column::Name.eq("惠州市惠城区工业和信息化局")).one(&db).await.unwrap().expect("惠城区").id;
    let others: Vec<String> = org::Entity::find()
        .filter(org::Column::Kind.eq("government"))
        .filter(org::Column::Id.ne(bureau.clone()))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    println!("  {share}% of them wait at 惠城区, the rest at {} other bureaus", others.len());
    copy_application(&db, &id, n.saturating_sub(1), share, &others).await;
    if database == "PostgreSQL" {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("VACUUM ANALYZE").await.expect("analyze");
    }

    let district = sign_in(&base, "huicheng_handler").await.expect("the district handler");
    for (what, path, runs) in [
        ("项目中心, first page", "/api/calls/projects", 200),
        ("项目中心, 审核中", "/api/calls/projects?tab=in_review", 200),
        ("项目中心, 申报单位 filter", "/api/calls/projects?applicant=%E7%94%B3%E6%8A%A5%E6%B5%8B%E8%AF%95", 100),
        ("项目中心, page 100", "/api/calls/projects?page=100", 100),
        ("申报审核", "/api/calls/reviewing", 100),
    ] {
        let t = timed_gets(&district, &base, path, runs).await;
        println!("  {what:<28} p50 {:>8.1?}  p95 {:>8.1?}  max {:>8.1?}", percentile(&t, 0.5), percentile(&t, 0.95), t.last().copied().unwrap_or_default());
    }

    // 导出汇总表 of everything, the server's peak memory sampled meanwhile.
    let pid = server.child.id();
    let (rss_before, _) = memory_kib(pid).expect("server memory");
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(rss_before));
    let sampler = {
        let (sampling, peak) = (sampling.clone(), peak.clone());
        tokio::spawn(async move {
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some((rss, _)) = memory_kib(pid) {
                    peak.fetch_max(rss, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let t = Instant::now();
    let xlsx = district.get(format!("{base}/api/calls/projects.xlsx")).send().await.expect("export").bytes().await.expect("workbook");
    let took = t.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    sampler.await.ok();
    let peak = peak.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "  导出汇总表 of every application 惠城区 reviews: {:.2?}, {:.1} MB; server RSS {} before, peak {} (growth {})",
        took,
        xlsx.len() as f64 / 1e6,
        mib(rss_before),
        mib(peak),
        mib(peak.saturating_sub(rss_before))
    );

    // 批量推荐 of 1,000 of them.
    use shuzhuan::review::entity::{case, task};
    let ids: Vec<String> = task::Entity::find()
        .select_only()
        .column(task::Column::CaseId)
        .filter(task::Column::AssigneeOrgId.eq(bureau))
        .filter(task::Column::State.eq(shuzhuan::review::TaskState::Open))
        .limit(1000)
        .into_tuple()
        .all(&db)
        .await
        .unwrap();
    let versions = case::Entity::find().filter(case::Column::Id.is_in(ids.clone())).all(&db).await.unwrap();
    let items: Vec<Value> = versions.iter().map(|c| json!({ "case_id": c.id, "version": c.version })).collect();
    let t = Instant::now();
    let res = district.post(format!("{base}/api/review/tasks/batch-approve")).json(&json!({ "items": items, "opinion": "经审核，同意推荐。" })).send().await.expect("batch");
    let status = res.status();
    let body: Value = res.json().await.expect("batch result");
    let took = t.elapsed();
    let ok = body["results"].as_array().map(|r| r.iter().filter(|x| x["ok"] == true).count()).unwrap_or(0);
    println!("  批量推荐 of {}: {status} in {took:.2?}, {ok} recommended", items.len());
    if ok < items.len() {
        println!("    first result: {}", body["results"][0]);
    }
    drop(server);
}

#[tokio::main]
async fn main() {
    pure();
    let n = setting("CALLS_ENTERPRISES", 300) as usize;
    if n > 0 {
        rush(n).await;
    }
    let n = setting("CALLS_REVIEW_APPLICATIONS", 100_000) as usize;
    if n > 0 {
        review_scale(n, setting("CALLS_REVIEW_SHARE", 100).min(100)).await;
    }
}
