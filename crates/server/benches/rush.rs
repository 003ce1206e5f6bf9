//! The deadline rush (issue 12), measured as memory: the release server on loopback, N enterprises at once,
//! each signing up (captcha, SMS code, registration: one argon2id hash), signing in (a verification), saving
//! its assessment draft twice, uploading a 1 MB attachment, submitting and downloading its report PDF (a
//! distinct document each). The server process's resident memory is sampled throughout.
//!
//! `cargo bench --bench rush` builds the release binary and drives it; prints numbers, asserts nothing.
//! Results are written down in docs/benchmarks.md with the machine they ran on. Environment:
//!
//! - `RUSH_ENTERPRISES` (default 400) and `RUSH_CONCURRENCY` (default 200: enterprises in flight at once);
//! - `RUSH_SERVER`: drive another `shuzhuan` binary (e.g. one built before a change) instead of this build's;
//! - `RUSH_DATABASE_URL`: an empty PostgreSQL database instead of SQLite in a temporary folder;
//! - `SHUZHUAN_*` settings (e.g. `SHUZHUAN_CAPACITY_PASSWORD_HASHES`) pass through to the server.
//!
//! A step refused with 503 and `Retry-After` (a full gate queue) is retried after that many seconds, as the
//! web app asks the user to; refusals are counted. The rush stops by itself after `RUSH_DEADLINE_SECS`
//! (default 900).

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use common::{captcha, client, memory_kib, mib, percentile, setting, start_server};

const PASSWORD: &str = "Qiye@2026x";
const MAX_TRIES: u32 = 20;

#[derive(Default)]
struct Step {
    latencies: Vec<Duration>,
    ok: usize,
    busy: usize,
    errors: BTreeMap<u16, usize>,
    first_error: Option<String>,
}

#[derive(Default)]
struct Stats {
    steps: BTreeMap<&'static str, Step>,
    retry_after_missing: usize,
}

type Shared = Arc<Mutex<Stats>>;

/// Runs one step until it is not refused as busy (at most `MAX_TRIES` times), recording each attempt.
/// `attempt` builds everything the step needs afresh (a refused sign-in has used up its captcha).
async fn step<F, Fut>(stats: &Shared, name: &'static str, expect: StatusCode, attempt: F) -> Result<Response, String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Response, reqwest::Error>>,
{
    for _ in 0..MAX_TRIES {
        let started = Instant::now();
        let res = attempt().await.map_err(|e| format!("{name}: {e}"))?;
        let took = started.elapsed();
        let status = res.status();
        if status == StatusCode::SERVICE_UNAVAILABLE && res.headers().contains_key("retry-after") {
            let wait = res.headers()["retry-after"].to_str().ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(1);
            stats.lock().unwrap().steps.entry(name).or_default().busy += 1;
            tokio::time::sleep(Duration::from_secs(wait)).await;
            continue;
        }
        {
            let mut s = stats.lock().unwrap();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                s.retry_after_missing += 1;
            }
            let entry = s.steps.entry(name).or_default();
            entry.latencies.push(took);
            if status != expect {
                *entry.errors.entry(status.as_u16()).or_default() += 1;
            } else {
                entry.ok += 1;
            }
        }
        if status == expect {
            return Ok(res);
        }
        let body = res.text().await.unwrap_or_default();
        let message = format!("{name}: {status} {}", body.chars().take(300).collect::<String>());
        stats.lock().unwrap().steps.entry(name).or_default().first_error.get_or_insert(message.clone());
        return Err(message);
    }
    Err(format!("{name}: still busy after {MAX_TRIES} tries"))
}

/// A 1 MB attachment, distinct per enterprise (the store is content-addressed).
fn attachment(i: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    bytes.extend((0..1_000_000).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as u8
    }));
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

async fn enterprise(base: &str, i: usize, stats: &Shared) -> Result<(), String> {
    let (signing_up, signed_in) = (client(), client());
    let phone = &format!("139{:08}", 10_000_000 + i);
    let c = &signing_up;
    let answers: Value = serde_json::from_str(include_str!("../../core/tests/fixtures/manual_example_answers.json")).expect("fixture");

    step(stats, "1 captcha + sms code", StatusCode::OK, || async move {
        let (id, answer) = captcha(c, base).await?;
        c.post(format!("{base}/api/sms/send"))
            .json(&json!({"phone": phone, "purpose": "register", "captcha_id": id, "captcha_answer": answer}))
            .send()
            .await
    })
    .await?;
    let outbox: Value = c
        .get(format!("{base}/api/dev/sms-outbox?phone={phone}"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let code: String = outbox["items"][0]["text"].as_str().unwrap_or_default().chars().filter(char::is_ascii_digit).take(6).collect();
    let registration = json!({
        "kind": "enterprise", "phone": phone, "sms_code": code, "password": PASSWORD, "confirm_password": PASSWORD,
        "company_name": format!("江门市冲刺测试{i}号制造有限公司"), "uscc": shuzhuan::seed::demo_uscc(20_000 + i),
        "region_code": "440703", "address": format!("江门市蓬江区测试路{i}号"), "industry_code": "C", "contact_name": "李经办"
    });
    step(stats, "2 register (hash)", StatusCode::CREATED, || c.post(format!("{base}/api/register")).json(&registration).send()).await?;

    let c = &signed_in;
    step(stats, "3 sign in (verify)", StatusCode::OK, || async move {
        let (id, answer) = captcha(c, base).await?;
        c.post(format!("{base}/api/auth/login"))
            .json(&json!({"username": phone, "password": PASSWORD, "captcha_id": id, "captcha_answer": answer}))
            .send()
            .await
    })
    .await?;

    let partial = json!({"questions": {"1": answers["questions"]["1"], "2": answers["questions"]["2"]}, "scenarios": {}});
    for (name, draft) in [("4 save draft", &partial), ("5 save draft (complete)", &answers)] {
        step(stats, name, StatusCode::OK, || c.put(format!("{base}/api/assessments/draft")).json(&json!({ "answers": draft })).send()).await?;
    }

    let bytes = attachment(i);
    step(stats, "6 upload 1 MB", StatusCode::CREATED, || {
        let form = Form::new().text("purpose", "attachment").part("file", Part::bytes(bytes.clone()).file_name("证明材料.pdf"));
        c.post(format!("{base}/api/files")).multipart(form).send()
    })
    .await?;

    let submitted: Value = step(stats, "7 submit", StatusCode::CREATED, || c.post(format!("{base}/api/assessments/draft/submit")).send())
        .await?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let id = submitted["id"].as_str().unwrap_or_default().to_string();
    let report = step(stats, "8 report PDF", StatusCode::OK, || c.get(format!("{base}/api/assessments/{id}/report")).send()).await?;
    let pdf = report.bytes().await.map_err(|e| e.to_string())?;
    if !pdf.starts_with(b"%PDF-") {
        return Err("8 report PDF: not a PDF".into());
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let n = setting("RUSH_ENTERPRISES", 400) as usize;
    let concurrency = setting("RUSH_CONCURRENCY", 200) as usize;
    let deadline = Duration::from_secs(setting("RUSH_DEADLINE_SECS", 900));
    let bin = std::env::var("RUSH_SERVER").unwrap_or_else(|_| env!("CARGO_BIN_EXE_shuzhuan").to_string());
    let dir = tempfile::tempdir().expect("temp dir");
    let server = start_server(&bin, dir.path(), std::env::var("RUSH_DATABASE_URL").ok());
    let pid = server.child.id();
    let base = server.base.clone();
    let database = if std::env::var("RUSH_DATABASE_URL").is_ok() { "PostgreSQL" } else { "SQLite" };
    println!("rush: {n} enterprises, {concurrency} at once, {database}, server {bin} (pid {pid}) at {base}");
    let (rss_start, _) = memory_kib(pid).expect("server memory");

    // Sample resident memory every 50 ms; the kernel's high-water mark (VmHWM) catches what falls between.
    let peak = Arc::new(Mutex::new(rss_start));
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (peak.clone(), sampling.clone());
        tokio::spawn(async move {
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some((rss, _)) = memory_kib(pid) {
                    let mut p = peak.lock().unwrap();
                    *p = (*p).max(rss);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };

    let stats: Shared = Arc::default();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let failed = Arc::new(Mutex::new(Vec::<String>::new()));
    let slots = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let (base, stats, done, failed, slots) = (base.clone(), stats.clone(), done.clone(), failed.clone(), slots.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.expect("open");
            match enterprise(&base, i, &stats).await {
                Ok(()) => {
                    done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Err(e) => failed.lock().unwrap().push(e),
            }
        }));
    }
    let progress = {
        let done = done.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let rss = memory_kib(pid).map(|(r, _)| mib(r)).unwrap_or_default();
                println!("  {:>4.0} s: {} done, RSS {rss}", started.elapsed().as_secs_f64(), done.load(std::sync::atomic::Ordering::Relaxed));
            }
        })
    };
    let all = futures::future::join_all(tasks);
    if tokio::time::timeout(deadline, all).await.is_err() {
        println!("deadline of {deadline:?} reached: the remaining enterprises are abandoned");
    }
    let elapsed = started.elapsed();
    progress.abort();
    let (rss_end, _) = memory_kib(pid).expect("server memory");
    tokio::time::sleep(Duration::from_secs(10)).await;
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    sampler.await.ok();
    let (rss_idle, hwm) = memory_kib(pid).expect("server memory");
    let composition = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("RssAnon:") || l.starts_with("RssFile:") || l.starts_with("Threads:"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ");

    let stats = stats.lock().unwrap();
    println!("\n{:<26} {:>6} {:>10} {:>8} {:>10} {:>10}", "step", "ok", "busy(503)", "errors", "p50", "p99");
    for (name, s) in &stats.steps {
        let mut l = s.latencies.clone();
        l.sort();
        let errors: usize = s.errors.values().sum();
        println!("{name:<26} {:>6} {:>10} {:>8} {:>10.1?} {:>10.1?}", s.ok, s.busy, errors, percentile(&l, 0.5), percentile(&l, 0.99));
        if !s.errors.is_empty() {
            println!("    statuses {:?}; first: {}", s.errors, s.first_error.as_deref().unwrap_or(""));
        }
    }
    if stats.retry_after_missing > 0 {
        println!("503 without Retry-After: {}", stats.retry_after_missing);
    }
    let failed = failed.lock().unwrap();
    println!(
        "\ncompleted {} of {n} enterprises in {:.1} s ({} failed)",
        done.load(std::sync::atomic::Ordering::Relaxed),
        elapsed.as_secs_f64(),
        failed.len()
    );
    println!(
        "server RSS: start {}, peak {} (sampled) / {} (VmHWM), end of rush {}, after 10 s idle {}",
        mib(rss_start),
        mib((*peak.lock().unwrap()).max(rss_end)),
        mib(hwm),
        mib(rss_end),
        mib(rss_idle)
    );
    println!("after idle: {composition}");
    drop(server);
}
