//! `TestApp`: the real router, served over real HTTP on a random port, on a fresh database of either
//! backend, with its own file store. Every integration test runs once on SQLite and once on PostgreSQL
//! through the `both!` macro.
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (an admin URL; each test creates and later drops its own
//! database). `make test` / `scripts/test.sh` sets it, starting a throw-away cluster when needed. There is
//! no silent skip: without it the PostgreSQL half fails and says how to fix it.

#![allow(dead_code)]

pub mod form_fill;

use std::path::PathBuf;

use reqwest::header::{HeaderMap, HeaderValue};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use shuzhuan::config::{Config, StorageBackend};
use shuzhuan::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    server: tokio::task::JoinHandle<()>,
}

/// A per-test PostgreSQL database, dropped when the test ends.
pub struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop cannot await; a short-lived runtime on its own thread does the cleanup.
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

pub fn pg_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "PostgreSQL tests need TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres). \
             Run `make test`, which starts a throw-away PostgreSQL cluster when the variable is not set."
        )
    })
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a valid URL");
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

pub async fn fresh_database_url(backend: Backend, dir: &std::path::Path) -> (String, Option<PgDatabase>) {
    match backend {
        Backend::Sqlite => (format!("sqlite://{}/test.db", dir.display()), None),
        Backend::Postgres => {
            let admin_url = pg_admin_url();
            let name = format!("sz_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| panic!("cannot reach TEST_DATABASE_URL: {e}"));
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.ok();
            (with_database(&admin_url, &name), Some(PgDatabase { admin_url, name }))
        }
    }
}

pub fn client() -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("x-requested-with", HeaderValue::from_static("shuzhuan"));
    reqwest::Client::builder().cookie_store(true).default_headers(headers).build().expect("client")
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// Starts with a configuration adjusted by `tweak` (e.g. S3 storage, short timeouts).
    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg) = fresh_database_url(backend, dir.path()).await;
        let mut config = Config { database_url, data_dir: dir.path().to_path_buf(), ..Config::default() };
        config.storage.backend = StorageBackend::Local;
        config.web_dir = Some(web_fixture(dir.path()));
        // Tests read captcha answers from the API (the setting is off by default and refused in production).
        config.security.test_expose_captcha = true;
        tweak(&mut config);
        let state = shuzhuan::prepare(config).await.expect("app prepares");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = shuzhuan::app(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.expect("serve");
        });
        Self { url: format!("http://{addr}"), client: client(), state, backend, dir, pg, server }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// A second browser: its own cookie jar.
    pub fn new_client(&self) -> reqwest::Client {
        client()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn post_json(&self, path: &str, body: Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(&body).send().await.expect("request")
    }

    pub async fn seed_demo(&self) {
        shuzhuan::seed::seed_demo(&self.state.db, &self.state.crypto).await.expect("seed demo");
    }

    /// A fresh captcha and its answer (exposed by the test-only setting).
    pub async fn captcha(&self) -> (String, String) {
        captcha_with(&self.client, &self.url).await
    }

    /// Password sign-in with a solved captcha, returning the raw response.
    pub async fn login_response(&self, client: &reqwest::Client, username: &str, password: &str) -> reqwest::Response {
        let (id, answer) = captcha_with(client, &self.url).await;
        client
            .post(self.url("/api/auth/login"))
            .json(&serde_json::json!({"username": username, "password": password, "captcha_id": id, "captcha_answer": answer}))
            .send()
            .await
            .expect("request")
    }

    /// The newest code the log SMS gateway sent to `phone`.
    pub async fn last_sms_code(&self, phone: &str) -> String {
        let body = json(self.get(&format!("/api/dev/sms-outbox?phone={phone}")).await).await;
        let text = body["items"][0]["text"].as_str().unwrap_or_else(|| panic!("no SMS to {phone}: {body}")).to_string();
        text.chars().filter(|c| c.is_ascii_digit()).collect::<String>().chars().take(6).collect()
    }

    /// Requests an SMS code for `phone` (solving the captcha) and returns it from the outbox.
    pub async fn sms_code(&self, phone: &str, purpose: &str) -> String {
        let (id, answer) = self.captcha().await;
        let res = self
            .post_json("/api/sms/send", serde_json::json!({"phone": phone, "purpose": purpose, "captcha_id": id, "captcha_answer": answer}))
            .await;
        assert_eq!(res.status(), 200, "send sms: {}", res.text().await.unwrap_or_default());
        self.last_sms_code(phone).await
    }

    /// Seeds the demo world and signs this app's client in as `username`.
    pub async fn login_as(&self, username: &str) {
        self.seed_demo().await;
        let res = self.login_response(&self.client, username, shuzhuan::seed::DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "login as {username}: {}", res.text().await.unwrap_or_default());
    }

    /// Signs a new client in (another browser, another user).
    pub async fn client_for(&self, username: &str) -> reqwest::Client {
        let c = client();
        let res = self.login_response(&c, username, shuzhuan::seed::DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "login as {username}");
        c
    }

    /// Runs SQL written with `$1`-style placeholders on either backend (SQLite spells them `?1`).
    pub async fn exec(&self, sql: &str, values: Vec<sea_orm::Value>) {
        use sea_orm::Statement;
        let backend = self.state.db.get_database_backend();
        let sql = if self.backend == Backend::Sqlite { sql.replace('$', "?") } else { sql.to_string() };
        self.state.db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.expect("exec");
    }

    /// The text column `v` of the first row `sql` selects (`SELECT id AS v FROM …`).
    pub async fn text(&self, sql: &str) -> String {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct V {
            v: String,
        }
        let backend = self.state.db.get_database_backend();
        V::find_by_statement(Statement::from_string(backend, sql.to_owned())).one(&self.state.db).await.expect("query").expect("one row").v
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct N {
            n: i64,
        }
        let backend = self.state.db.get_database_backend();
        N::find_by_statement(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .one(&self.state.db)
            .await
            .expect("count")
            .expect("one row")
            .n
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        let _ = &self.pg;
    }
}

/// A tiny stand-in `index.html`, so SPA routing is tested without building the web app.
fn web_fixture(dir: &std::path::Path) -> PathBuf {
    let web = dir.join("web");
    std::fs::create_dir_all(web.join("assets")).expect("web dir");
    std::fs::write(web.join("index.html"), "<!doctype html><title>数转</title><div id=app></div>").expect("index");
    std::fs::write(web.join("assets/app-abc123.js"), "console.log('ok')").expect("asset");
    web
}

pub async fn captcha_with(client: &reqwest::Client, base: &str) -> (String, String) {
    let body = json(client.get(format!("{base}/api/captcha")).send().await.expect("captcha")).await;
    (body["id"].as_str().expect("id").to_string(), body["answer"].as_str().expect("answer exposed in tests").to_string())
}

pub async fn json(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("status {status}: not JSON: {text}"))
}

/// Runs an async test function once per backend: `both!(name);` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::TestApp::start($crate::common::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::common::TestApp::start($crate::common::Backend::Postgres).await).await
            }
        }
    )*};
}
