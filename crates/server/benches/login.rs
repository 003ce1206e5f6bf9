//! Password hashing cost and sign-in throughput, over real HTTP on a fresh SQLite database.
//! `cargo bench --bench login` (release build). Prints numbers; nothing is asserted. Results are written
//! down in docs/benchmarks.md with the machine they ran on.
//!
//! Each sign-in is what a browser does: GET /api/captcha, then POST /api/auth/login with the answer
//! (exposed by the test-only setting), so the captcha rendering and the audit write are included.

use std::time::{Duration, Instant};

use shuzhuan::config::Config;

const CONCURRENCY: usize = 8;
const RUN_FOR: Duration = Duration::from_secs(10);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    // 1. argon2id cost alone.
    let n = 20;
    let started = Instant::now();
    let hash = shuzhuan::password::hash("Shuzhuan@2026").unwrap();
    for _ in 1..n {
        shuzhuan::password::hash("Shuzhuan@2026").unwrap();
    }
    let per_hash = started.elapsed() / n;
    let started = Instant::now();
    for _ in 0..n {
        assert!(shuzhuan::password::verify("Shuzhuan@2026", &hash));
    }
    let per_verify = started.elapsed() / n;
    println!("argon2id (19 MiB, t=2, p=1): hash {per_hash:?}, verify {per_verify:?}");

    // 2. Sign-ins over HTTP.
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config { database_url: format!("sqlite://{}/bench.db", dir.path().display()), data_dir: dir.path().to_path_buf(), ..Config::default() };
    config.security.test_expose_captcha = true;
    config.security.login_per_minute_per_ip = 1_000_000;
    config.security.captcha_per_minute_per_ip = 1_000_000;
    let state = shuzhuan::prepare(config).await.unwrap();
    shuzhuan::seed::seed_demo(&state.db, &state.crypto).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = shuzhuan::app(state);
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() });

    let deadline = Instant::now() + RUN_FOR;
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let base = base.clone();
        workers.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().build().unwrap();
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let t = Instant::now();
                let captcha: serde_json::Value = client.get(format!("{base}/api/captcha")).send().await.unwrap().json().await.unwrap();
                let res = client
                    .post(format!("{base}/api/auth/login"))
                    .header("x-requested-with", "shuzhuan")
                    .json(&serde_json::json!({"username": "jiangmen_admin", "password": "Shuzhuan@2026",
                        "captcha_id": captcha["id"], "captcha_answer": captcha["answer"]}))
                    .send()
                    .await
                    .unwrap();
                if res.status() == 200 {
                    latencies.push(t.elapsed());
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await.unwrap();
        all.extend(l);
        errors += e;
    }
    all.sort();
    println!(
        "sign-ins (captcha + login, {CONCURRENCY} concurrent, {RUN_FOR:?}): {} ok, {errors} errors, {:.1}/s, p50 {:?}, p99 {:?}",
        all.len(),
        all.len() as f64 / RUN_FOR.as_secs_f64(),
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
}
