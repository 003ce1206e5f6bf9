//! The `shuzhuan` command as an operator meets it: clear Chinese errors and exit status 1 for bad
//! configuration, idempotent migrate and seed, create-admin, and serve announcing its address.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use crate::common::{fresh_database_url, Backend};

fn shuzhuan(dir: &std::path::Path, db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shuzhuan"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SHUZHUAN_DATABASE_URL", db_url)
        .env("SHUZHUAN_DATA_DIR", dir.join("data"))
        .env("SHUZHUAN_LOG", "warn")
        .output()
        .expect("run shuzhuan")
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn unknown_database_scheme_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = shuzhuan(dir.path(), "mysql://root:hunter2@localhost/x", &["migrate"]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("不支持的数据库地址"), "{err}");
    assert!(!err.contains("hunter2"), "the password is never printed: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unreachable_postgres_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let out = shuzhuan(dir.path(), "postgres://nobody:secret@127.0.0.1:1/none", &["migrate"]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("无法连接数据库"), "{err}");
    assert!(!err.contains("secret") && !err.contains("panicked"), "{err}");
}

#[test]
fn production_refuses_the_default_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/p.db", dir.path().display());
    let out = Command::new(env!("CARGO_BIN_EXE_shuzhuan"))
        .arg("serve")
        .current_dir(dir.path())
        .env("SHUZHUAN_DATABASE_URL", &db)
        .env("SHUZHUAN_MODE", "production")
        .env_remove("SHUZHUAN_SECRET_KEY")
        .output()
        .unwrap();
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("secret_key"), "{err}");
    assert!(!dir.path().join("p.db").exists(), "refused before touching the database");
}

#[test]
fn bad_configuration_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shuzhuan.toml"), "listen = \"127.0.0.1:8080\"\nlisten_port = 3\n").unwrap();
    let out = shuzhuan(dir.path(), "sqlite://x.db", &["migrate"]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("配置") && err.contains("listen_port"), "{err}");

    let out = Command::new(env!("CARGO_BIN_EXE_shuzhuan")).args(["--config", "/nonexistent.toml", "migrate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).1.contains("无法读取配置文件"));

    let out = Command::new(env!("CARGO_BIN_EXE_shuzhuan")).arg("migrate").current_dir(dir.path()).env("SHUZHUAN_LISTEN", "nowhere").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Starts `shuzhuan serve` on a free port and returns it with the URL it announced.
fn serve(dir: &std::path::Path, db: &str, expose_captcha: bool) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shuzhuan"))
        .arg("serve")
        .current_dir(dir)
        .env("SHUZHUAN_DATABASE_URL", db)
        .env("SHUZHUAN_DATA_DIR", dir.join("data"))
        .env("SHUZHUAN_LISTEN", "127.0.0.1:0")
        .env("SHUZHUAN_LOG", "warn")
        .env("SHUZHUAN_TEST_EXPOSE_CAPTCHA", if expose_captcha { "true" } else { "false" })
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("shuzhuan listening on ").unwrap_or_else(|| panic!("{line}")).to_string();
    (child, url)
}

async fn migrate_seed_admin_and_serve(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (db, _pg) = fresh_database_url(backend, dir.path()).await;
    for _ in 0..2 {
        let out = shuzhuan(dir.path(), &db, &["migrate"]);
        assert!(out.status.success(), "{:?}", text(&out));
    }
    let first = shuzhuan(dir.path(), &db, &["seed-demo"]);
    assert!(first.status.success(), "{:?}", text(&first));
    assert!(text(&first).0.contains("jiangmen_admin"));
    let again = shuzhuan(dir.path(), &db, &["seed-demo"]);
    assert!(again.status.success(), "seeding twice is fine: {:?}", text(&again));
    // The audit administrator's password is reset only here, and the reset is recorded.
    let reset = shuzhuan(dir.path(), &db, &["reset-admin-password", "--username", "audit_admin"]);
    assert!(reset.status.success(), "{:?}", text(&reset));
    assert!(text(&reset).0.contains("一次性密码"), "{:?}", text(&reset));
    let refused = shuzhuan(dir.path(), &db, &["reset-admin-password", "--username", "enterprise_demo"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).1.contains("该命令只用于系统、安全、审计管理员"), "{:?}", text(&refused));

    let out = shuzhuan(dir.path(), &db, &["create-admin", "--username", "admin"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let stdout = text(&out).0;
    let password = stdout.lines().find_map(|l| l.strip_prefix("初始密码：")).expect("password printed").trim().to_string();
    let dup = shuzhuan(dir.path(), &db, &["create-admin", "--username", "admin"]);
    assert_eq!(dup.status.code(), Some(1));
    assert!(text(&dup).1.contains("已存在"));

    let (mut child, url) = serve(dir.path(), &db, false);
    let client = crate::common::client();
    let health = client.get(format!("{url}/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    // The captcha answer is not exposed by a normally started server.
    let captcha = crate::common::json(client.get(format!("{url}/api/captcha")).send().await.unwrap()).await;
    assert!(captcha["answer"].is_null() && captcha["image"].as_str().unwrap().starts_with("data:image/png;base64,"));
    let res = client
        .post(format!("{url}/api/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": password, "captcha_id": captcha["id"], "captcha_answer": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a wrong captcha is refused before the password is checked");
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, url) = serve(dir.path(), &db, true);
    let (id, answer) = crate::common::captcha_with(&client, &url).await;
    let res = client
        .post(format!("{url}/api/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": password, "captcha_id": id, "captcha_answer": answer}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = crate::common::json(res).await;
    assert_eq!(body["user"]["must_change_password"], true);
    assert_eq!(body["user"]["roles"], serde_json::json!(["system_admin"]));
    assert_eq!(body["user"]["organization"]["kind"], "operator");
    let res = client.get(format!("{url}/api/files")).send().await.unwrap();
    assert_eq!(res.status(), 403, "the initial password must be changed first");
    let res = client
        .post(format!("{url}/api/auth/password"))
        .json(&serde_json::json!({"old_password": password, "new_password": "Guanliyuan#2026", "confirm_password": "Guanliyuan#2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    child.kill().unwrap();
    child.wait().unwrap();
    // `serve` sealed the audit log when it started; the sign-ins after that are counted as not yet sealed.
    let verify = shuzhuan(dir.path(), &db, &["verify-audit"]);
    let (out, err) = text(&verify);
    assert!(verify.status.success(), "{out} {err}");
    assert!(out.contains("审计日志完整") && out.contains("链头：第 "), "{out}");
    let sealed: u64 = out.split("已封存审计记录 ").nth(1).and_then(|r| r.split(' ').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(sealed > 0, "serve seals at start: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_seed_admin_and_serve_sqlite() {
    migrate_seed_admin_and_serve(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_seed_admin_and_serve_postgres() {
    migrate_seed_admin_and_serve(Backend::Postgres).await
}

#[test]
fn create_admin_refuses_a_weak_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_shuzhuan"))
        .args(["create-admin", "--username", "admin", "--password-stdin"])
        .current_dir(dir.path())
        .env("SHUZHUAN_DATABASE_URL", format!("sqlite://{}/a.db", dir.path().display()))
        .env("SHUZHUAN_DATA_DIR", dir.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"12345678\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("初始密码不符合要求"));
}

#[test]
fn import_companies_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/c.db", dir.path().display());
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "\u{feff}企业名称,统一社会信用代码,所属地区代码,注册地址,行业代码\n甲制造有限公司,91350100M000100Y43,350102,福州市鼓楼区,C\n乙软件有限公司,91440300708461136T,440300,深圳市,65\n").unwrap();
    let out = shuzhuan(dir.path(), &db, &["import", "companies", good.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("已导入企业名录 2 条"));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "企业名称,统一社会信用代码\n丙公司,91350100M000100Y44\n丁公司,\n").unwrap();
    let out = shuzhuan(dir.path(), &db, &["import", "companies", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out).1;
    assert!(err.contains("第2行") && err.contains("第3行") && err.contains("未导入任何数据"), "{err}");
}

/// `shuzhuan import dishonest`: the shipped sample imports; a file with a bad row changes nothing and says which
/// row; a good one replaces the list.
#[test]
fn import_dishonest_replaces_the_list_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/d.db", dir.path().display());
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/dishonest-sample.csv");
    let out = shuzhuan(dir.path(), &db, &["import", "dishonest", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("已导入失信名单 6 条（dishonest-sample.csv）"), "{:?}", text(&out));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "统一社会信用代码,企业名称\n91350100M000100Y43,甲（虚构）\n91350100M000100Y44,乙（虚构）\n").unwrap();
    let out = shuzhuan(dir.path(), &db, &["import", "dishonest", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out).1;
    assert!(err.contains("第3行（乙（虚构））") && err.contains("原名单保持不变"), "{err}");
    let good = dir.path().join("新名单.csv");
    std::fs::write(&good, "统一社会信用代码,企业名称\n91350100M000100Y43,甲（虚构）\n").unwrap();
    let out = shuzhuan(dir.path(), &db, &["import", "dishonest", good.to_str().unwrap()]);
    assert!(text(&out).0.contains("已导入失信名单 1 条（新名单.csv）"), "{:?}", text(&out));
}
