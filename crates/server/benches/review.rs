//! The review engine under load, on SQLite (a temp file) and, when `TEST_DATABASE_URL` is set, on a fresh
//! PostgreSQL database (created here, dropped at the end). Bars (spec 90-quality): single approve p99 < 50 ms;
//! batch-approving 1,000 cases < 1 s (issue 12); any to-do page p95 < 50 ms with 1 M cases in the database.
//!
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p shuzhuan --bench review`
//! (release build). Prints numbers; nothing is asserted. Results are written down in docs/benchmarks.md.
//!
//! Per backend, everything through the real router over HTTP on loopback (signed in as `huizhou_admin`, the
//! city bureau that reviews 惠城区's information changes):
//! 1. single approve: `POST /api/review/cases/{id}/actions` (with an `Idempotency-Key`, as the web app sends)
//!    on 200 information-change cases created with `review::submit_new_case`, one after another;
//! 2. one `POST /api/review/tasks/batch-approve` of 1,000 such cases;
//! 3. the to-do list with `BENCH_REVIEW_CASES` (default 1,000,000) cases and as many tasks bulk-inserted with
//!    multi-row INSERTs (2,000 government organizations as assignees; the bureau holds 2,000 open and 20,000
//!    done of them): open, done and filtered pages, 200 requests each; then 100 more single approves with the
//!    million rows present; then each SQL statement of `list_tasks` timed on its own with its query plan, to
//!    show which part costs what.
//!
//! After the load SQLite's WAL is checkpointed; it is otherwise measured as the app runs it (no `ANALYZE`:
//! the app never runs it, so there are no planner statistics). PostgreSQL gets `VACUUM ANALYZE` (what
//! autovacuum would do after such a load: statistics and the visibility map for index-only scans) and a
//! `CHECKPOINT`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, DbBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Statement, TransactionTrait, Value};
use serde_json::json;
use shuzhuan::AppState;
use shuzhuan::config::{Config, StorageBackend};
use shuzhuan::review::entity::case;
use shuzhuan::review::{Acting, NewCase, submit_new_case};
use shuzhuan_core::review::{Action, Actor, Case, apply};

const SINGLE: usize = 200;
const BATCH: usize = 1_000;
const SINGLE_AT_SCALE: usize = 100;
const RUNS: usize = 200;
const GOV_ORGS: usize = 2_000;
/// Rows per INSERT statement and per transaction.
const ROWS_PER_STATEMENT: usize = 1_000;
const ROWS_PER_TXN: usize = 50_000;
const BAR: Duration = Duration::from_millis(50);

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_REVIEW_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("review bench: {n} bulk cases; {} cores", std::thread::available_parallelism().map(|p| p.get()).unwrap_or(0));
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
        if self.p95 >= BAR { write!(f, "  <-- p95 misses the 50 ms bar") } else { Ok(()) }
    }
}

/// A fresh PostgreSQL database for this run, dropped when the run ends (or panics).
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

struct App {
    base: String,
    client: reqwest::Client,
    state: AppState,
    server: tokio::task::JoinHandle<()>,
}

async fn start(database_url: String, dir: &std::path::Path) -> App {
    let mut config = Config { database_url, data_dir: dir.to_path_buf(), ..Config::default() };
    config.storage.backend = StorageBackend::Local;
    config.security.test_expose_captcha = true;
    let state = shuzhuan::prepare(config).await.expect("app prepares");
    shuzhuan::seed::seed_demo(&state.db, &state.crypto).await.expect("seed demo");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = shuzhuan::app(state.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-requested-with", reqwest::header::HeaderValue::from_static("shuzhuan"));
    let client = reqwest::Client::builder().cookie_store(true).default_headers(headers).build().unwrap();
    let captcha: serde_json::Value = client.get(format!("{base}/api/captcha")).send().await.unwrap().json().await.unwrap();
    let res = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "huizhou_admin", "password": shuzhuan::seed::DEMO_PASSWORD,
            "captcha_id": captcha["id"], "captcha_answer": captcha["answer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login: {}", res.text().await.unwrap_or_default());
    App { base, client, state, server }
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
    let app = start(database_url, dir.path()).await;
    let db = &app.state.db;
    let owner = shuzhuan::accounts::find_by_username(db, "enterprise_demo").await.unwrap().expect("seeded enterprise user");
    let bureau = shuzhuan::accounts::find_by_username(db, "huizhou_admin").await.unwrap().expect("seeded bureau user");

    // Cases to approve: each from its own enterprise in 惠城区, as `tests/all/review.rs` `many_changes` does.
    let t = Instant::now();
    let ids = create_changes(&app.state, &owner.id, SINGLE + BATCH + SINGLE_AT_SCALE).await;
    println!("created {} information-change cases with submit_new_case in {:.1} s", ids.len(), t.elapsed().as_secs_f64());

    // 1. Single approve.
    let single = approve_each(&app, &ids[..SINGLE]).await;
    println!("single approve over HTTP ({SINGLE} cases, one after another): {single}");

    // 2. Batch approve of 1,000.
    let batch_ids = &ids[SINGLE..SINGLE + BATCH];
    let mut items = Vec::new();
    for id in batch_ids {
        items.push(json!({"case_id": id, "version": version(db, id).await}));
    }
    let t = Instant::now();
    let res = app.client.post(format!("{}/api/review/tasks/batch-approve", app.base)).json(&json!({"items": items, "opinion": "同意"})).send().await.unwrap();
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap();
    let took = t.elapsed();
    let ok = body["results"].as_array().map(|r| r.iter().filter(|x| x["ok"] == true).count()).unwrap_or(0);
    assert_eq!(status, 200, "batch approve: {body}");
    println!(
        "batch approve ({BATCH} items, one request): {:.2} s total, {} per item, {ok} ok{}",
        took.as_secs_f64(),
        ms(took / BATCH as u32),
        if took > Duration::from_secs(1) { "  <-- misses the 1 s bar" } else { "" }
    );

    // 3. The to-do list at scale.
    let t = Instant::now();
    let load = bulk_load(&app.state, &owner, &bureau.organization_id, n).await;
    println!(
        "bulk load: {GOV_ORGS} organizations, {n} review_cases + {n} review_tasks in {:.1} s ({:.0} case+task pairs/s; {} open / {} done for the bureau)",
        t.elapsed().as_secs_f64(),
        n as f64 / t.elapsed().as_secs_f64(),
        load.bureau_open,
        load.bureau_done
    );
    // Settle the load before measuring: PostgreSQL gets what autovacuum would do (statistics, visibility map)
    // and a checkpoint; SQLite folds its WAL back into the database file.
    let t = Instant::now();
    let settle = if db.get_database_backend() == DbBackend::Postgres { ["VACUUM ANALYZE", "CHECKPOINT"] } else { ["PRAGMA wal_checkpoint(TRUNCATE)", "SELECT 1"] };
    for sql in settle {
        db.execute_unprepared(sql).await.unwrap();
    }
    println!("{}: {:.1} s", settle.join(" + "), t.elapsed().as_secs_f64());
    print_sizes(db).await;

    let q = "精机";
    time_lists(&app, q).await;

    let at_scale = approve_each(&app, &ids[SINGLE + BATCH..]).await;
    println!("single approve with {n} cases in the database ({SINGLE_AT_SCALE} cases): {at_scale}");

    explain_list_tasks(db, &bureau.organization_id, q).await;

    app.server.abort();
    println!("[{label}] whole run {:.0} s", run_started.elapsed().as_secs_f64());
}

async fn time_lists(app: &App, q: &str) {
    let lists = [
        ("open (page size 20)".to_string(), "/api/review/tasks".to_string()),
        ("done".to_string(), "/api/review/tasks?state=done".to_string()),
        (format!("open, q={q}"), format!("/api/review/tasks?q={}", urlencode(q))),
        (format!("done, q={q}"), format!("/api/review/tasks?state=done&q={}", urlencode(q))),
    ];
    for (name, path) in &lists {
        let (s, total) = time_get(app, path, RUNS).await;
        println!("GET {path}  [{name}] total={total}: {s}");
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn version(db: &impl ConnectionTrait, id: &str) -> i64 {
    case::Entity::find_by_id(id.to_owned()).one(db).await.unwrap().expect("case").version
}

/// The i-th enterprise's change, to a credit code of its own (one code belongs to one enterprise).
fn change_form(name: &str, i: usize) -> serde_json::Value {
    json!({"name": name, "uscc": shuzhuan::seed::demo_uscc(20_000 + i), "region_code": "441302", "region_name": "惠城区", "sub_industry": "模具制造",
        "contact_name": "赵经理", "contact_phone": "13500001111", "attachment_ids": []})
}

async fn create_changes(state: &AppState, user_id: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("惠州市压测{i}电子有限公司");
        let org = shuzhuan::directory::create(
            &state.db,
            shuzhuan::directory::NewOrg { name: &name, kind: shuzhuan::directory::OrgKind::Enterprise, uscc: None, region_code: Some("441302"), parent_id: None },
        )
        .await
        .unwrap();
        let txn = state.db.begin().await.unwrap();
        let acting = Acting {
            user_id: user_id.to_owned(),
            user_name: "压测".into(),
            org_id: org.id.clone(),
            org_name: name.clone(),
            org_kind: shuzhuan::directory::OrgKind::Enterprise,
            ip: None,
        };
        let id = submit_new_case(
            &txn,
            state,
            NewCase {
                kind: shuzhuan::review::kind("info_change").unwrap(),
                owner_org_id: &org.id,
                owner_region_code: Some("441302"),
                form: change_form(&format!("{name}（变更）"), i),
                submit: true,
            },
            &acting,
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

async fn approve_each(app: &App, ids: &[String]) -> Stats {
    let mut times = Vec::with_capacity(ids.len());
    for id in ids {
        let v = version(&app.state.db, id).await;
        let t = Instant::now();
        let res = app
            .client
            .post(format!("{}/api/review/cases/{id}/actions", app.base))
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"action": "approve", "version": v}))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body = res.bytes().await.unwrap();
        times.push(t.elapsed());
        assert_eq!(status, 200, "approve {id}: {}", String::from_utf8_lossy(&body));
    }
    stats(times)
}

async fn time_get(app: &App, path: &str, runs: usize) -> (Stats, u64) {
    let url = format!("{}{path}", app.base);
    let mut total = 0;
    for _ in 0..5 {
        let body: serde_json::Value = app.client.get(&url).send().await.unwrap().json().await.unwrap();
        total = body["total"].as_u64().unwrap_or_else(|| panic!("{path}: {body}"));
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let res = app.client.get(&url).send().await.unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    (stats(times), total)
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
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const BRANDS: [&str; 40] = [
    "华阳", "德赛", "亿纬", "光弘", "丰达", "伟创", "鸿海", "金达", "恒泰", "瑞丰", "宏图", "新源", "永盛", "嘉诚", "信达", "博远", "天润", "中科", "海川", "东江",
    "西湖", "罗浮", "仲恺", "大亚", "鹏程", "港湾", "凯达", "锦绣", "联创", "明辉", "富华", "长隆", "华星", "顺意", "通达", "盈科", "汇丰", "百川", "鼎盛", "安泰",
];
const TRADES: [&str; 12] = ["精机", "电子", "科技", "模具", "新材料", "智能装备", "塑胶", "五金", "光电", "汽车零部件", "纺织", "食品"];
const SUFFIXES: [&str; 3] = ["有限公司", "股份有限公司", "实业有限公司"];
const CITIES: [&str; 12] = ["惠州市", "广州市", "深圳市", "东莞市", "佛山市", "江门市", "中山市", "珠海市", "肇庆市", "汕头市", "湛江市", "清远市"];

/// One state of a case as the core would leave it, used as the template of every bulk row with that outcome.
struct Template {
    state: String,
    status: &'static str,
    stage: Option<i32>,
    version: i64,
    round: i32,
    outcome: Option<&'static str>,
    opinion: Option<&'static str>,
}

struct KindData {
    key: &'static str,
    flow_version: i32,
    stage_key: String,
    stage_name: String,
    open: Template,
    /// approved, returned, rejected, cancelled (withdrawn by the owner).
    done: [Template; 4],
}

async fn kind_data(db: &impl ConnectionTrait, key: &'static str, owner_user: &str, owner_org: &str) -> KindData {
    let flow = shuzhuan::review::flows::current(db, key).await.expect("flow");
    let stage = flow.stage(0).expect("a first stage");
    let now = Utc::now().timestamp();
    let owner = Actor::owner(owner_user, owner_org);
    let submitted = apply(&flow, &Case::new(owner_org), &owner, Action::Submit, 0, now).expect("submit").case;
    let reviewer = Actor::reviewer("reviewer", "reviewing-org", 0);
    let template = |c: &Case, outcome: Option<&'static str>, opinion: Option<&'static str>| {
        let status = c.status();
        Template {
            state: serde_json::to_string(c).unwrap(),
            status: status.code(),
            stage: status.stage().map(|s| s as i32),
            version: c.version() as i64,
            round: c.round() as i32,
            outcome,
            opinion,
        }
    };
    let after = |action: Action, actor: &Actor| apply(&flow, &submitted, actor, action, submitted.version(), now).expect("action").case;
    KindData {
        key,
        flow_version: flow.version() as i32,
        stage_key: stage.key().to_owned(),
        stage_name: stage.name().to_owned(),
        open: template(&submitted, None, None),
        done: [
            template(&after(Action::Approve { opinion: Some("同意".into()) }, &reviewer), Some("approved"), Some("同意")),
            template(&after(Action::Return { opinion: Some("请补充证明材料".into()), to: None }, &reviewer), Some("returned"), Some("请补充证明材料")),
            template(&after(Action::Reject { opinion: Some("材料与实际情况不符".into()) }, &reviewer), Some("rejected"), Some("材料与实际情况不符")),
            template(&after(Action::WithdrawByOwner, &owner), Some("cancelled"), None),
        ],
    }
}

struct Load {
    bureau_open: usize,
    bureau_done: usize,
}

/// Inserts `GOV_ORGS` reviewing organizations, then `n` cases with one task each, oldest first (ids are
/// time-ordered UUIDv7s, as the app makes them), over the last 1,000 days. The bureau gets 2.2 % of the
/// rows (22,000 of 1 M): its newest 2,000 open, the rest done. Other rows: open with probability 0.55 in the
/// newest 10 % of the period and 0.2 % before it (≈ 5.7 % open overall); done rows 85 % approved, 7 %
/// returned, 5 % rejected, 3 % withdrawn by the owner. Every case belongs to the seeded enterprise (foreign
/// keys are enforced); applicant names and titles vary.
async fn bulk_load(state: &AppState, owner: &shuzhuan::directory::user::Model, bureau_org: &str, n: usize) -> Load {
    let db = &state.db;
    let backend = db.get_database_backend();
    let now = Utc::now();

    // Reviewing organizations: district-level bureaus with unique names.
    let regions: Vec<(String, String)> = db
        .query_all_raw(Statement::from_string(backend, "SELECT code, name FROM regions WHERE level = 'district' ORDER BY code"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.try_get::<String>("", "code").unwrap(), r.try_get::<String>("", "name").unwrap()))
        .collect();
    assert!(!regions.is_empty(), "district regions are loaded");
    let mut taken: HashSet<String> = db
        .query_all_raw(Statement::from_string(backend, "SELECT name FROM organizations"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect();
    let mut orgs: Vec<(String, String, String)> = Vec::with_capacity(GOV_ORGS); // id, name, region
    for i in 0..GOV_ORGS {
        let (code, region) = &regions[i % regions.len()];
        let mut name = format!("{region}工业和信息化局");
        if !taken.insert(name.clone()) {
            name = format!("{region}工业和信息化局（{code}-{i}）");
            taken.insert(name.clone());
        }
        orgs.push((uuid::Uuid::now_v7().to_string(), name, code.clone()));
    }
    let txn = db.begin().await.unwrap();
    for chunk in orgs.chunks(ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 8);
        for (id, name, code) in chunk {
            values.extend([
                id.clone().into(),
                name.clone().into(),
                "government".to_owned().into(),
                Value::from(None::<String>),
                code.clone().into(),
                Value::from(None::<String>),
                now.into(),
                now.into(),
            ]);
        }
        let sql = insert_sql(backend, "organizations", &["id", "name", "kind", "uscc", "region_code", "parent_id", "created_at", "updated_at"], chunk.len());
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.unwrap();
    }
    txn.commit().await.unwrap();

    let kinds = [kind_data(db, "info_change", &owner.id, &owner.organization_id).await, kind_data(db, "provider_certification", &owner.id, &owner.organization_id).await];
    let bureau_name = "惠州市工业和信息化局";
    let phone_cipher = state.crypto.encrypt("13500001111");
    let info_change = shuzhuan::review::kind("info_change").unwrap();
    let certification = shuzhuan::review::kind("provider_certification").unwrap();

    let case_cols = [
        "id",
        "kind",
        "flow_version",
        "owner_org_id",
        "owner_user_id",
        "owner_region_code",
        "title",
        "form",
        "refs",
        "state",
        "status",
        "stage",
        "version",
        "round",
        "latest_opinion",
        "latest_org_name",
        "created_at",
        "updated_at",
        "submitted_at",
        "completed_at",
    ];
    let task_cols = [
        "id",
        "case_id",
        "kind",
        "stage",
        "stage_key",
        "stage_name",
        "assignee_org_id",
        "title",
        "applicant_name",
        "state",
        "outcome",
        "opened_at",
        "closed_at",
        "due_at",
    ];
    let span = chrono::Duration::days(1_000);
    let start = now - span - chrono::Duration::hours(1);
    let step_ms = span.num_milliseconds() as f64 / n as f64;
    let bureau_total = n * 22 / 1000;
    let bureau_open_target = bureau_total / 11;
    let mut bureau_seen = 0usize;
    let mut load = Load { bureau_open: 0, bureau_done: 0 };
    let mut rng = Rng(20261122);
    let started = Instant::now();

    let mut i = 0;
    while i < n {
        let txn_end = (i + ROWS_PER_TXN).min(n);
        let txn = db.begin().await.unwrap();
        while i < txn_end {
            let stmt_end = (i + ROWS_PER_STATEMENT).min(txn_end);
            let rows = stmt_end - i;
            let mut cv: Vec<Value> = Vec::with_capacity(rows * case_cols.len());
            let mut tv: Vec<Value> = Vec::with_capacity(rows * task_cols.len());
            for j in i..stmt_end {
                let opened: DateTime<Utc> = start + chrono::Duration::milliseconds((j as f64 * step_ms + rng.unit() * step_ms) as i64);
                let bureau = j % 1000 < 22 && bureau_seen < bureau_total;
                let (assignee, assignee_name, region, open, kd) = if bureau {
                    bureau_seen += 1;
                    let open = bureau_seen > bureau_total - bureau_open_target;
                    (bureau_org.to_owned(), bureau_name.to_owned(), "441302".to_owned(), open, &kinds[0])
                } else {
                    let (id, name, code) = &orgs[rng.below(orgs.len())];
                    let recent = j >= n - n / 10;
                    let open = rng.unit() < if recent { 0.55 } else { 0.002 };
                    let kd = if rng.unit() < 0.7 { &kinds[0] } else { &kinds[1] };
                    (id.clone(), name.clone(), code.clone(), open, kd)
                };
                let applicant = format!(
                    "{}{}{}{}",
                    if bureau { "惠州市" } else { CITIES[rng.below(CITIES.len())] },
                    BRANDS[rng.below(BRANDS.len())],
                    TRADES[rng.below(TRADES.len())],
                    SUFFIXES[rng.below(SUFFIXES.len())]
                );
                let tpl = if open {
                    &kd.open
                } else {
                    let r = rng.unit();
                    &kd.done[if r < 0.85 {
                        0
                    } else if r < 0.92 {
                        1
                    } else if r < 0.97 {
                        2
                    } else {
                        3
                    }]
                };
                let closed = (!open).then(|| std::cmp::min(opened + chrono::Duration::minutes(60 + rng.below(14 * 24 * 60) as i64), now));
                let (form, title) = if kd.key == "info_change" {
                    let mut form = change_form(&applicant.replace("有限公司", "科技有限公司"), 0);
                    form["contact_phone"] = json!(phone_cipher);
                    let title = info_change.title(&form, &applicant);
                    (form, title)
                } else {
                    let form = json!({"company_name": applicant, "uscc": "91350100M000100Y43", "region_code": region, "address": "测试路2号",
                        "industry_code": "I", "contact_name": "周经办", "service_scopes": ["dcmm", "cloud"], "introduction": "专注制造业数字化转型咨询与实施"});
                    let title = certification.title(&form, &applicant);
                    (form, title)
                };
                let created = opened - chrono::Duration::minutes(10);
                let case_id = uuid_at(created);
                let terminal = matches!(tpl.status, "approved" | "rejected");
                cv.extend([
                    case_id.clone().into(),
                    kd.key.to_owned().into(),
                    kd.flow_version.into(),
                    owner.organization_id.clone().into(),
                    owner.id.clone().into(),
                    Value::from(Some(region)),
                    title.clone().into(),
                    form.to_string().into(),
                    "{}".to_owned().into(),
                    tpl.state.clone().into(),
                    tpl.status.to_owned().into(),
                    Value::from(tpl.stage),
                    tpl.version.into(),
                    tpl.round.into(),
                    Value::from(tpl.opinion.map(str::to_owned)),
                    Value::from(Some(assignee_name)),
                    created.into(),
                    closed.unwrap_or(opened).into(),
                    Value::from(Some(opened)),
                    Value::from(if terminal { closed } else { None }),
                ]);
                tv.extend([
                    uuid_at(opened).into(),
                    case_id.into(),
                    kd.key.to_owned().into(),
                    0i32.into(),
                    kd.stage_key.clone().into(),
                    kd.stage_name.clone().into(),
                    assignee.into(),
                    title.into(),
                    applicant.into(),
                    if open { "open" } else { "done" }.to_owned().into(),
                    Value::from(tpl.outcome.map(str::to_owned)),
                    opened.into(),
                    Value::from(closed),
                    Value::from(None::<DateTime<Utc>>),
                ]);
                if bureau {
                    if open { load.bureau_open += 1 } else { load.bureau_done += 1 }
                }
            }
            txn.execute_raw(Statement::from_sql_and_values(backend, insert_sql(backend, "review_cases", &case_cols, rows), cv)).await.unwrap();
            txn.execute_raw(Statement::from_sql_and_values(backend, insert_sql(backend, "review_tasks", &task_cols, rows), tv)).await.unwrap();
            i = stmt_end;
        }
        txn.commit().await.unwrap();
        if i % 200_000 == 0 || i == n {
            println!("  … {i} rows, {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    load
}

fn uuid_at(t: DateTime<Utc>) -> String {
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, t.timestamp() as u64, t.timestamp_subsec_nanos())).to_string()
}

/// `INSERT INTO t (cols) VALUES (…), (…)` with `rows` placeholder groups in the backend's spelling.
fn insert_sql(backend: DbBackend, table: &str, cols: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
    let mut p = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            p += 1;
            match backend {
                DbBackend::Postgres => sql.push_str(&format!("${p}")),
                // Plain `?`: SQLite looks numbered names up in a list, which makes a 20,000-value statement quadratic.
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

async fn print_sizes(db: &sea_orm::DatabaseConnection) {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT pg_database_size(current_database()) AS bytes",
        _ => "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()",
    };
    if let Ok(Some(row)) = db.query_one_raw(Statement::from_string(backend, sql)).await {
        let bytes: i64 = row.try_get("", "bytes").unwrap_or(0);
        println!("database size: {:.2} GB", bytes as f64 / 1e9);
    }
}

/// The statements `list_tasks` runs (built by the endpoint's own `review::todo_query` and
/// `review::stage_counts_query`), each timed on
/// its own and explained, so a slow list can be pinned on one statement.
async fn explain_list_tasks(db: &sea_orm::DatabaseConnection, org: &str, q: &str) {
    let backend = db.get_database_backend();
    println!("list_tasks, statement by statement ({} runs each, direct on the pool):", 50);
    for (name, open, text) in [("open", true, None), ("done", false, None), ("open, q", true, Some(q)), ("done, q", false, Some(q))] {
        let filter = shuzhuan::review::TodoFilter {
            state: if open { shuzhuan::review::TaskState::Open } else { shuzhuan::review::TaskState::Done },
            kind: None,
            title: text.map(str::to_owned),
            applicant: None,
            opened_from: None,
            opened_before: None,
            holder: shuzhuan::review::sections::Holder::everyone(),
        };
        // The very query the endpoint builds (review::todo_query), so this measures what users wait for.
        let query = shuzhuan::review::todo_query(org, &filter);
        let count = backend.build(
            &SelectStatement::new()
                .expr(Expr::cust("COUNT(*) AS num_items"))
                .from_subquery(query.clone().into_query().clear_order_by().to_owned(), "sub_query")
                .to_owned(),
        );
        let page = query.clone().limit(20).offset(0).build(backend);
        let case_ids: Vec<String> = db.query_all_raw(page.clone()).await.unwrap().into_iter().map(|r| r.try_get::<String>("", "case_id").unwrap()).collect();
        let versions = case::Entity::find().select_only().column(case::Column::Id).column(case::Column::Version).filter(case::Column::Id.is_in(case_ids)).build(backend);
        let counts = shuzhuan::review::stage_counts_query(org, &shuzhuan::review::sections::Holder::everyone()).build(backend);
        println!(" [{name}]");
        for (part, stmt) in [("count (total)", count), ("page (LIMIT 20)", page), ("case versions", versions), ("per-stage counts", counts)] {
            if name != "open" && part == "per-stage counts" {
                continue; // the same statement whatever the filter
            }
            let mut times = Vec::new();
            for _ in 0..50 {
                let t = Instant::now();
                db.query_all_raw(stmt.clone()).await.unwrap();
                times.push(t.elapsed());
            }
            let s = stats(times);
            println!("   {part}: p50 {}, p95 {}", ms(s.p50), ms(s.p95));
            if part == "case versions" {
                continue;
            }
            let (prefix, col) = match backend {
                DbBackend::Postgres => ("EXPLAIN (ANALYZE, BUFFERS) ", "QUERY PLAN"),
                _ => ("EXPLAIN QUERY PLAN ", "detail"),
            };
            let values = stmt.values.clone().map(|v| v.0).unwrap_or_default();
            let plan = db.query_all_raw(Statement::from_sql_and_values(backend, format!("{prefix}{}", stmt.sql), values)).await.unwrap();
            for row in plan {
                println!("       {}", row.try_get::<String>("", col).unwrap_or_default());
            }
        }
    }
}
