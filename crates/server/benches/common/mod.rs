//! What the HTTP benchmarks share (`mod common;` in `rush.rs` and `calls.rs`): the release server started
//! on loopback with the per-address limits lifted (every simulated user comes from 127.0.0.1), an HTTP
//! client as the web app sends it, the process's memory, and percentiles.

#![allow(dead_code)] // each bench uses its own part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::Client;
use serde_json::Value;

/// Resident and peak-resident memory of a process, in KiB (`/proc/PID/status`).
pub fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| status.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse::<u64>().ok();
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

pub fn mib(kib: u64) -> String {
    format!("{} MiB", kib / 1024)
}

/// A setting of the bench from the environment.
pub fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// A client with its own cookie jar, sending the header the web app sends on every request.
pub fn client() -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-requested-with", reqwest::header::HeaderValue::from_static("shuzhuan"));
    Client::builder().cookie_store(true).default_headers(headers).timeout(Duration::from_secs(300)).build().expect("client")
}

/// A captcha and its answer (the bench's server exposes answers: `test_expose_captcha`).
pub async fn captcha(c: &Client, base: &str) -> Result<(String, String), reqwest::Error> {
    let body: Value = c.get(format!("{base}/api/captcha")).send().await?.json().await?;
    Ok((body["id"].as_str().unwrap_or_default().to_string(), body["answer"].as_str().unwrap_or_default().to_string()))
}

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

/// Starts `bin serve` on a free loopback port with its data in `dir`, on `database_url` (an empty
/// PostgreSQL database) or else SQLite in `dir`; returns once it listens.
pub fn start_server(bin: &str, dir: &std::path::Path, database_url: Option<String>) -> Server {
    let database_url = database_url.unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.display()));
    // Every simulated user comes from 127.0.0.1: the per-address limits are lifted, the captcha answer exposed.
    let config = format!(
        "listen = \"127.0.0.1:0\"\ndatabase_url = \"{database_url}\"\ndata_dir = \"{}\"\n\n[security]\ntest_expose_captcha = true\n\
         login_per_minute_per_ip = 1000000000\ncaptcha_per_minute_per_ip = 1000000000\nregister_per_hour_per_ip = 1000000000\n\n[sms]\nper_ip_per_hour = 1000000000\n",
        dir.display()
    );
    std::fs::write(dir.join("bench.toml"), config).expect("config");
    let log = std::fs::File::create(dir.join("server.log")).expect("log");
    let mut child = Command::new(bin)
        .arg("serve")
        .env("SHUZHUAN_CONFIG", dir.join("bench.toml"))
        .env("SHUZHUAN_LOG", std::env::var("SHUZHUAN_LOG").unwrap_or_else(|_| "warn".into()))
        .env_remove("SHUZHUAN_LISTEN")
        .env_remove("SHUZHUAN_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("shuzhuan listening on ") {
                    break url.trim().to_string();
                }
            }
            _ => panic!("server exited before listening; see its log:\n{}", std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()),
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, base }
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}
