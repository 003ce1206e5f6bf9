//! The S3 path of file storage, against a real S3-compatible server (moto's, from PyPI) started by the
//! test itself: upload, list, download with hash check, health, and a bucket that vanishes.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{json, Backend, TestApp};
use reqwest::multipart::{Form, Part};
use sha2::{Digest, Sha256};
use shuzhuan::config::StorageBackend;

struct S3Server {
    child: Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start_s3() -> S3Server {
    let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
    let port = free_port();
    let child = Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start the S3 test server `{program}` ({e}); install it with `pip install 'moto[server]'` (make test does)")
        });
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..150 {
        if http.get(&endpoint).send().await.is_ok() {
            return S3Server { child, endpoint };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("S3 test server did not start on {endpoint}");
}

async fn app_on_s3(backend: Backend) -> (TestApp, S3Server) {
    let s3 = start_s3().await;
    let res = reqwest::Client::new().put(format!("{}/shuzhuan-files", s3.endpoint)).send().await.unwrap();
    assert!(res.status().is_success(), "bucket created: {}", res.status());
    let endpoint = s3.endpoint.clone();
    let app = TestApp::start_with(backend, move |c| {
        c.storage.backend = StorageBackend::S3;
        c.storage.s3_endpoint = Some(endpoint);
        c.storage.s3_bucket = Some("shuzhuan-files".into());
        c.storage.s3_access_key_id = Some("test".into());
        c.storage.s3_secret_access_key = Some("test".into());
        c.storage.s3_allow_http = true;
    })
    .await;
    (app, s3)
}

async fn files_round_trip_through_s3(backend: Backend) {
    let (app, s3) = app_on_s3(backend).await;
    let health = json(app.get("/api/health").await).await;
    assert_eq!(health["storage"], serde_json::json!({"ok": true, "backend": "s3"}));

    app.login_as("jiangmen_admin").await;
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..200_000u32).map(|i| (i % 251) as u8));
    bytes.extend_from_slice(b"\n%%EOF\n");
    let form = Form::new().text("purpose", "attachment").part("file", Part::bytes(bytes.clone()).file_name("材料.pdf"));
    let res = app.client.post(app.url("/api/files")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let file = json(res).await;
    let sha = hex::encode(Sha256::digest(&bytes));
    assert_eq!(file["sha256"], sha);

    // The object really is in the bucket, under its content address.
    let key = format!("sha256/{}/{}/{}", &sha[0..2], &sha[2..4], sha);
    let raw = app.state.storage.get(&key).await.expect("object is in the bucket");
    assert_eq!(raw.to_vec(), bytes);
    assert!(!app.dir.path().join("files").join("sha256").exists(), "nothing went to the local directory");

    let res = app.get(&format!("/api/files/{}", file["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), bytes);

    // The store going away turns health to 503 and downloads to a clear "unavailable".
    drop(s3);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = app.get("/api/health").await;
    assert_eq!(res.status(), 503);
    assert_eq!(json(res).await["storage"]["ok"], false);
    let res = app.get(&format!("/api/files/{}", file["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), 503);
    assert_eq!(json(res).await["error"]["code"], "service_unavailable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_round_trip_sqlite() {
    files_round_trip_through_s3(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_round_trip_postgres() {
    files_round_trip_through_s3(Backend::Postgres).await
}
