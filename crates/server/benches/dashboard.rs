//! 统计汇总 at scale (issue 20 bar: the dashboard of a city with 1,000,000 cases loads in < 300 ms p95), on SQLite
//! (a temp file) and, when `TEST_DATABASE_URL` is set, on a fresh PostgreSQL database (dropped at the end).
//!
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p shuzhuan --bench dashboard`
//! (release build; `BENCH_DASHBOARD_CASES` sets the city's cases, default 1,000,000). Prints numbers; nothing is
//! asserted. Results are written down in docs/benchmarks.md.
//!
//! Per backend, through the real router over HTTP on loopback:
//! 1. 200 information changes of 惠城区 created with `review::submit_new_case` (the engine keeps the tally);
//! 2. bulk load: `n` cases in 惠州市's five districts (information changes, filings and presubsidies with a
//!    纳入奖补金额合计, over the last two years; 12 % in review at their first stage, the rest approved 75 %,
//!    returned 8 %, rejected 5 %) and `n / 5` in 蓬江区, one open task per case in review (4 % of them past
//!    their due time); the tally then built by the same statement as migration m0032's backfill (timed);
//! 3. `GET /api/dashboard` as the city (惠州市), a district (惠城区) and the province (广东省), 200 times each;
//!    the drill-down's first page and the overdue list, 30 times each;
//! 4. 100 single approves with the tally kept in the transaction (the cost of the hook);
//! 5. for comparison, the GROUP BY over review_cases that the tally replaces, 5 times.

use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait, Value};
use serde_json::json;
use shuzhuan::AppState;
use shuzhuan::config::{Config, StorageBackend};
use shuzhuan::review::{Acting, NewCase, submit_new_case};
use shuzhuan_core::review::{Action, Actor, Case, apply};

const RUNS: usize = 200;
const ROWS_PER_STATEMENT: usize = 1_000;
const ROWS_PER_TXN: usize = 50_000;
const BAR: Duration = Duration::from_millis(300);
const DISTRICTS: [&str; 5] = ["441302", "441303", "441322", "441323", "441324"];

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_DASHBOARD_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("dashboard bench: {n} cases in the city; {} cores", std::thread::available_parallelism().map(|p| p.get()).unwrap_or(0));
    run("sqlite", None, n).await;
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) => run("postgres", Some(url), n).await,
        Err(_) => println!("\n[postgres] skipped: set TEST_DATABASE_URL (an admin URL) to measure PostgreSQL too"),
    }
}

struct Stats {
    n: usize,
    p50: Duration,
    p95: Duration,
    p99: Duration,
    max: Duration,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let at = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    Stats { n: v.len(), p50: at(0.5), p95: at(0.95), p99: at(0.99), max: v[v.len() - 1] }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "n={} p50 {}, p95 {}, p99 {}, max {}", self.n, ms(self.p50), ms(self.p95), ms(self.p99), ms(self.max))?;
        if self.p95 >= BAR { write!(f, "  <-- p95 misses the 300 ms bar") } else { Ok(()) }
    }
}

struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                if let Ok(db) = Database::connect(&admin_url).await {
                    let _ = db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
                }
            });
        })
        .join();
    }
}

async fn login(base: &str, username: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-requested-with", reqwest::header::HeaderValue::from_static("shuzhuan"));
    let client = reqwest::Client::builder().cookie_store(true).default_headers(headers).build().unwrap();
    let captcha: serde_json::Value = client.get(format!("{base}/api/captcha")).send().await.unwrap().json().await.unwrap();
    let res = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": username, "password": shuzhuan::seed::DEMO_PASSWORD, "captcha_id": captcha["id"], "captcha_answer": captcha["answer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login {username}: {}", res.text().await.unwrap_or_default());
    client
}

async fn run(label: &str, pg_admin: Option<String>, n: usize) {
    println!("\n[{label}]");
    let run_started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let (database_url, _pg) = match &pg_admin {
        None => (format!("sqlite://{}/bench.db", dir.path().display()), None),
        Some(admin_url) => {
            let name = format!("sz_bench_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(admin_url).await.expect("reach TEST_DATABASE_URL");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create database");
            admin.close().await.ok();
            let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
            url.set_path(&format!("/{name}"));
            (url.to_string(), Some(PgDatabase { admin_url: admin_url.clone(), name }))
        }
    };
    let mut config = Config { database_url, data_dir: dir.path().to_path_buf(), ..Config::default() };
    config.storage.backend = StorageBackend::Local;
    config.security.test_expose_captcha = true;
    let state = shuzhuan::prepare(config).await.expect("app prepares");
    shuzhuan::seed::seed_demo(&state.db, &state.crypto).await.expect("seed demo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = shuzhuan::app(state.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    let db = &state.db;
    let owner = shuzhuan::accounts::find_by_username(db, "enterprise_demo").await.unwrap().expect("seeded enterprise user");

    // 1. Real cases through the engine.
    let t = Instant::now();
    let real = create_changes(&state, &owner.id, 200).await;
    println!("created {} information changes with submit_new_case in {:.1} s", real.len(), t.elapsed().as_secs_f64());

    // 2. Bulk load and the tally's backfill.
    let t = Instant::now();
    let (cases, tasks) = bulk_load(&state, &owner, n).await;
    println!("bulk load: {cases} review_cases + {tasks} open review_tasks in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    rebuild_tally(db).await;
    println!("tally rebuilt from the cases (migration m0032's backfill statement): {:.1} s", t.elapsed().as_secs_f64());
    let settle = if db.get_database_backend() == DbBackend::Postgres { ["VACUUM ANALYZE", "CHECKPOINT"] } else { ["PRAGMA wal_checkpoint(TRUNCATE)", "SELECT 1"] };
    for sql in settle {
        db.execute_unprepared(sql).await.unwrap();
    }
    let rows = db.query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) AS n FROM review_case_tally")).await.unwrap().unwrap();
    println!("tally rows: {}", rows.try_get::<i64>("", "n").unwrap());

    // 3. The dashboard, its lists.
    for (who, what) in [("huizhou_admin", "city 惠州市"), ("huicheng_admin", "district 惠城区"), ("guangdong_admin", "province 广东省")] {
        let client = login(&base, who).await;
        let (s, body) = time_get(&client, &format!("{base}/api/dashboard"), RUNS).await;
        let total: i64 = body["kinds"].as_array().unwrap().iter().map(|k| k["total"].as_i64().unwrap()).sum();
        println!("GET /api/dashboard as {what} ({total} cases, {} months, {} overdue): {s}", body["months"].as_array().unwrap().len(), body["overdue_total"]);
        if who == "huizhou_admin" {
            for path in ["/api/dashboard/cases?kind=info_change&status=approved", "/api/dashboard/cases?month=2026-01", "/api/dashboard/overdue"] {
                let (s, body) = time_get(&client, &format!("{base}{path}"), 30).await;
                println!("GET {path} (total {}): {s}", body["total"]);
            }
        }
    }

    // 4. Approves with the tally kept in the transaction.
    let city = login(&base, "huizhou_admin").await;
    let mut times = Vec::new();
    for id in &real[..100] {
        let (_, case) = get(&city, &format!("{base}/api/review/cases/{id}")).await;
        let t = Instant::now();
        let res = city.post(format!("{base}/api/review/cases/{id}/actions")).json(&json!({"action": "approve", "version": case["version"]})).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    println!("single approve over HTTP with {n} cases present (tally moved in the same transaction): {}", stats(times));

    // 5. What the tally replaces: counting the city's cases per view.
    let backend = db.get_database_backend();
    let sql = "SELECT kind, status, stage, COUNT(*) AS n FROM review_cases WHERE owner_region_code >= '4413' AND owner_region_code < '4414' \
               AND status IN ('in_review', 'returned', 'approved', 'rejected') GROUP BY kind, status, stage";
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
        times.push(t.elapsed());
    }
    println!("for comparison, one GROUP BY over the city's review_cases (index idx_review_cases_region), the first of several a view would need: {}", stats(times));

    server.abort();
    println!("[{label}] whole run {:.0} s", run_started.elapsed().as_secs_f64());
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, serde_json::Value) {
    let res = client.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

async fn time_get(client: &reqwest::Client, url: &str, runs: usize) -> (Stats, serde_json::Value) {
    let mut body = serde_json::Value::Null;
    for _ in 0..3 {
        let (s, b) = get(client, url).await;
        assert_eq!(s, 200, "{url}: {b}");
        body = b;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let res = client.get(url).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    (stats(times), body)
}

async fn create_changes(state: &AppState, user_id: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("惠州市统计压测{i}电子有限公司");
        let org = shuzhuan::directory::create(
            &state.db,
            shuzhuan::directory::NewOrg { name: &name, kind: shuzhuan::directory::OrgKind::Enterprise, uscc: None, region_code: Some("441302"), parent_id: None },
        )
        .await
        .unwrap();
        let txn = state.db.begin().await.unwrap();
        let acting = Acting { user_id: user_id.to_owned(), user_name: "压测".into(), org_id: org.id.clone(), org_name: name.clone(), org_kind: shuzhuan::directory::OrgKind::Enterprise, ip: None };
        let form = json!({"name": format!("{name}（变更）"), "uscc": shuzhuan::seed::demo_uscc(30_000 + i), "region_code": "441302", "region_name": "惠城区",
            "sub_industry": "模具制造", "contact_name": "赵经理", "contact_phone": "13500001111", "attachment_ids": []});
        let id = submit_new_case(&txn, state, NewCase { kind: shuzhuan::review::kind("info_change").unwrap(), owner_org_id: &org.id, owner_region_code: Some("441302"), form, submit: true }, &acting)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

/// SplitMix64: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A case of `kind` as the core leaves it: in review at its first stage, approved, returned, rejected.
struct Templates {
    key: &'static str,
    flow_version: i32,
    stage_key: String,
    stage_name: String,
    states: [(String, &'static str, Option<i32>, i64, i32); 4],
}

async fn templates(db: &impl ConnectionTrait, key: &'static str, user: &str, org: &str) -> Templates {
    let flow = shuzhuan::review::flows::current(db, key).await.expect("flow");
    let stage = flow.stage(0).expect("a first stage");
    let now = Utc::now().timestamp();
    let owner = Actor::owner(user, org);
    let submitted = apply(&flow, &Case::new(org), &owner, Action::Submit, 0, now).expect("submit").case;
    let reviewer = Actor::reviewer("reviewer", "reviewing-org", 0);
    let after = |a: Action| apply(&flow, &submitted, &reviewer, a, submitted.version(), now).expect("action").case;
    let t = |c: &Case| {
        let s = c.status();
        (serde_json::to_string(c).unwrap(), s.code(), s.stage().map(|x| x as i32), c.version() as i64, c.round() as i32)
    };
    Templates {
        key,
        flow_version: flow.version() as i32,
        stage_key: stage.key().to_owned(),
        stage_name: stage.name().to_owned(),
        states: [
            t(&submitted),
            t(&after(Action::Approve { opinion: Some("同意".into()) })),
            t(&after(Action::Return { opinion: Some("请补充".into()), to: None })),
            t(&after(Action::Reject { opinion: Some("不符合条件".into()) })),
        ],
    }
}

fn insert_sql(backend: DbBackend, table: &str, cols: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
    let mut p = 0;
    for r in 0..rows {
        sql.push_str(if r > 0 { ", (" } else { "(" });
        for c in 0..cols.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            p += 1;
            match backend {
                DbBackend::Postgres => sql.push_str(&format!("${p}")),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

async fn bulk_load(state: &AppState, owner: &shuzhuan::directory::user::Model, n: usize) -> (usize, usize) {
    let db = &state.db;
    let backend = db.get_database_backend();
    let now = Utc::now();
    let bureau = shuzhuan::accounts::find_by_username(db, "huizhou_admin").await.unwrap().unwrap().organization_id;
    let kinds = [
        templates(db, "info_change", &owner.id, &owner.organization_id).await,
        templates(db, "filing", &owner.id, &owner.organization_id).await,
        templates(db, "presubsidy", &owner.id, &owner.organization_id).await,
    ];
    let case_cols = [
        "id", "kind", "flow_version", "owner_org_id", "owner_user_id", "owner_region_code", "title", "form", "refs", "state", "status", "stage", "version", "round",
        "latest_opinion", "latest_org_name", "created_at", "updated_at", "submitted_at", "completed_at",
    ];
    let task_cols = ["id", "case_id", "kind", "stage", "stage_key", "stage_name", "assignee_org_id", "title", "applicant_name", "state", "outcome", "opened_at", "closed_at", "due_at"];
    let total = n + n / 5;
    let span_ms = chrono::Duration::days(730).num_milliseconds();
    let mut rng = Rng(20);
    let (mut cases, mut tasks) = (0, 0);
    let mut i = 0;
    while i < total {
        let txn = db.begin().await.unwrap();
        let end = (i + ROWS_PER_TXN).min(total);
        while i < end {
            let rows = ROWS_PER_STATEMENT.min(end - i);
            let mut values: Vec<Value> = Vec::with_capacity(rows * case_cols.len());
            let mut task_values: Vec<Value> = Vec::new();
            let mut task_rows = 0;
            for _ in 0..rows {
                let region = if i >= n { "440703" } else { DISTRICTS[rng.below(DISTRICTS.len())] };
                let k = &kinds[rng.below(3)];
                let roll = rng.below(100);
                let which = if roll < 12 { 0 } else if roll < 87 { 1 } else if roll < 95 { 2 } else { 3 };
                let (state_json, status, stage, version, round) = &k.states[which];
                let submitted = now - chrono::Duration::milliseconds((rng.next() % span_ms as u64) as i64);
                let id = uuid::Uuid::now_v7().to_string();
                let title = format!("统计压测{i}（{}）", k.key);
                let form = if k.key == "presubsidy" { json!({"subsidy_total": format!("{}.5", 5 + rng.below(40))}).to_string() } else { "{}".to_owned() };
                values.extend([
                    id.clone().into(),
                    k.key.to_owned().into(),
                    k.flow_version.into(),
                    owner.organization_id.clone().into(),
                    owner.id.clone().into(),
                    region.to_owned().into(),
                    title.clone().into(),
                    form.into(),
                    "{}".to_owned().into(),
                    state_json.clone().into(),
                    status.to_string().into(),
                    (*stage).into(),
                    (*version).into(),
                    (*round).into(),
                    Value::from(None::<String>),
                    Value::from(None::<String>),
                    submitted.into(),
                    submitted.into(),
                    Some(submitted).into(),
                    (which != 0).then_some(submitted).into(),
                ]);
                if which == 0 {
                    let due = if rng.below(100) < 4 { now - chrono::Duration::days(1 + rng.below(30) as i64) } else { now + chrono::Duration::days(1 + rng.below(30) as i64) };
                    task_values.extend([
                        uuid::Uuid::now_v7().to_string().into(),
                        id.into(),
                        k.key.to_owned().into(),
                        0i32.into(),
                        k.stage_key.clone().into(),
                        k.stage_name.clone().into(),
                        bureau.clone().into(),
                        title.into(),
                        "统计压测企业".to_owned().into(),
                        "open".to_owned().into(),
                        Value::from(None::<String>),
                        submitted.into(),
                        Value::from(None::<chrono::DateTime<Utc>>),
                        Some(due).into(),
                    ]);
                    task_rows += 1;
                }
                i += 1;
            }
            txn.execute_raw(Statement::from_sql_and_values(backend, insert_sql(backend, "review_cases", &case_cols, rows), values)).await.unwrap();
            if task_rows > 0 {
                txn.execute_raw(Statement::from_sql_and_values(backend, insert_sql(backend, "review_tasks", &task_cols, task_rows), task_values)).await.unwrap();
            }
            cases += rows;
            tasks += task_rows;
        }
        txn.commit().await.unwrap();
    }
    (cases, tasks)
}

/// The tally rebuilt from the cases, with migration m0032's backfill statement.
async fn rebuild_tally(db: &sea_orm::DatabaseConnection) {
    db.execute_unprepared("DELETE FROM review_case_tally").await.unwrap();
    db.execute_unprepared(&shuzhuan::db::migrations::tally_backfill(db.get_database_backend())).await.unwrap();
}
