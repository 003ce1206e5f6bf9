//! Issue 13's findings (an attack run against the platform), each as a test that fails before its fix, on
//! both databases; races with real concurrent requests.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::common::{captcha_with, json, Backend, TestApp};

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(crate::common::Backend::Postgres).await
            }
        }
    )*};
}

on_both!(
    concurrent_wrong_passwords_check_only_the_allowance_and_lock,
    only_the_security_admin_manages_administrators_and_nobody_the_audit_admin_through_the_api,
    forwarded_addresses_count_only_behind_trusted_proxies,
    an_account_has_its_own_limit_whatever_the_address,
);

async fn user_id(app: &TestApp, username: &str) -> String {
    shuzhuan::directory::user::Entity::find()
        .filter(shuzhuan::directory::user::Column::Username.eq(username))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no user {username}"))
        .id
}

async fn audit_of(app: &TestApp, action: &str) -> Vec<shuzhuan::audit::entity::Model> {
    shuzhuan::audit::entity::Entity::find()
        .filter(shuzhuan::audit::entity::Column::Action.eq(action))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// 30 wrong guesses at once, each with its own captcha: only the first `lock_after_failures` (5) passwords
/// are checked, the account ends locked and the right password is then refused. (Before: the count was read
/// and written back, so 29 concurrent guesses were all checked and the account never locked.)
async fn concurrent_wrong_passwords_check_only_the_allowance_and_lock(backend: Backend) {
    let app = TestApp::start_with(backend, |c| {
        c.security.login_per_minute_per_ip = 1_000;
        c.security.captcha_per_minute_per_ip = 1_000;
        c.security.login_per_hour_per_account = 1_000;
    })
    .await;
    app.seed_demo().await;
    let mut captchas = Vec::new();
    for _ in 0..30 {
        captchas.push(captcha_with(&app.client, &app.url).await);
    }
    let attempts = captchas.into_iter().map(|(id, answer)| {
        let client = app.new_client();
        let url = app.url("/api/auth/login");
        tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"username": "enterprise_demo", "password": "Wrong@2026", "captcha_id": id, "captcha_answer": answer}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let statuses: Vec<u16> = futures::future::join_all(attempts).await.into_iter().map(|r| r.unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 401 || *s == 423), "{statuses:?}");
    assert!(statuses.contains(&423), "the account locks: {statuses:?}");
    // Passwords actually checked: the refused guesses (bad_credentials) and the one that locked (lockout).
    let checked = audit_of(&app, "login").await.iter().filter(|e| e.detail.as_deref().is_some_and(|d| d.contains("bad_credentials"))).count()
        + audit_of(&app, "lockout").await.len();
    assert!(checked <= 5, "{checked} of 30 concurrent guesses had their password checked");
    let res = app.login_response(&app.client, "enterprise_demo", "Shuzhuan@2026").await;
    assert_eq!(res.status(), 423, "locked: the right password is refused too");
}

/// The operator's organization administrator cannot reset the audit administrator's password (and sign in
/// as them to read the log), nor demote the security administrator; the security administrator manages the
/// system administrator but not the audit administrator, whose account only the command line changes;
/// nobody resets their own password through user management.
async fn only_the_security_admin_manages_administrators_and_nobody_the_audit_admin_through_the_api(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.seed_demo().await;
    let audit_admin = user_id(&app, "audit_admin").await;
    let security_admin = user_id(&app, "security_admin").await;
    let system_admin = user_id(&app, "system_admin").await;
    let operator_admin = user_id(&app, "operator_admin").await;

    let org_admin = app.client_for("operator_admin").await;
    for (method, path, body) in [
        ("POST", format!("/api/users/{audit_admin}/reset-password"), json!({})),
        ("PUT", format!("/api/users/{security_admin}/roles"), json!({"roles": ["member"]})),
        ("POST", format!("/api/users/{system_admin}/reset-password"), json!({})),
        ("DELETE", format!("/api/users/{audit_admin}"), json!({})),
    ] {
        let req = match method {
            "POST" => org_admin.post(app.url(&path)).json(&body),
            "PUT" => org_admin.put(app.url(&path)).json(&body),
            _ => org_admin.delete(app.url(&path)),
        };
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 403, "operator_admin {method} {path}");
        assert_eq!(json(res).await["error"]["code"], "forbidden");
    }
    let res = org_admin.post(app.url(&format!("/api/users/{operator_admin}/reset-password"))).json(&json!({})).send().await.unwrap();
    assert_eq!(res.status(), 403, "nobody resets their own password through user management");

    let security = app.client_for("security_admin").await;
    let res = security.post(app.url(&format!("/api/users/{audit_admin}/reset-password"))).json(&json!({})).send().await.unwrap();
    assert_eq!(res.status(), 403, "the audit administrator's password: the command line only");
    assert!(json(res).await["error"]["message"].as_str().unwrap().contains("命令行"));
    let res = security.put(app.url(&format!("/api/users/{audit_admin}/roles"))).json(&json!({"roles": ["member"]})).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = security.post(app.url(&format!("/api/users/{system_admin}/reset-password"))).json(&json!({})).send().await.unwrap();
    assert_eq!(res.status(), 200, "the security administrator manages the system administrator");
    // The audit administrator still signs in with its own password and reads the log.
    let auditor = app.client_for("audit_admin").await;
    assert_eq!(auditor.get(app.url("/api/audit")).send().await.unwrap().status(), 200);
    // Every refusal is in the log.
    assert!(audit_of(&app, "permission_denied").await.len() >= 7);

    // A repeated role is one role, not a 500.
    let member = user_id(&app, "operator_admin").await;
    let res = security.put(app.url(&format!("/api/users/{member}/roles"))).json(&json!({"roles": ["member", "expert", "member"]})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let roles = json(res).await["roles"].clone();
    assert_eq!(roles.as_array().unwrap().len(), 2, "{roles}");
}

/// Behind a trusted reverse proxy the forwarded address is the client's: the audit log records it and the
/// per-address limit counts it. From anyone else the headers are ignored.
async fn forwarded_addresses_count_only_behind_trusted_proxies(backend: Backend) {
    let app = TestApp::start_with(backend, |c| {
        c.security.trusted_proxies = vec!["127.0.0.1".into()];
        c.security.login_per_minute_per_ip = 2;
    })
    .await;
    app.seed_demo().await;
    let attempt = |forwarded: &'static str| {
        let client = app.new_client();
        let base = app.url.clone();
        async move {
            let (id, answer) = captcha_with(&client, &base).await;
            client
                .post(format!("{base}/api/auth/login"))
                .header("X-Forwarded-For", forwarded)
                .json(&json!({"username": "nobody_here", "password": "Wrong@2026", "captcha_id": id, "captcha_answer": answer}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // The left-most entry is whatever the client claimed; the proxy appended the address it saw.
    assert_eq!(attempt("10.9.9.9, 198.51.100.7").await, 401);
    assert_eq!(attempt("198.51.100.7").await, 401);
    assert_eq!(attempt("198.51.100.7").await, 429, "the third attempt from that client is over its limit");
    assert_eq!(attempt("203.0.113.9").await, 401, "another client behind the same proxy is not");
    let ips: Vec<String> = audit_of(&app, "login").await.into_iter().filter_map(|e| e.ip).collect();
    assert!(ips.contains(&"198.51.100.7".to_string()) && ips.contains(&"203.0.113.9".to_string()), "{ips:?}");
    assert!(!ips.contains(&"10.9.9.9".to_string()) && !ips.contains(&"127.0.0.1".to_string()), "{ips:?}");

    // Not behind a trusted proxy: the header is the client's own word, and ignored.
    let direct = TestApp::start(backend).await;
    direct.seed_demo().await;
    let (id, answer) = captcha_with(&direct.client, &direct.url).await;
    let res = direct
        .client
        .post(direct.url("/api/auth/login"))
        .header("X-Forwarded-For", "198.51.100.7")
        .json(&json!({"username": "nobody_here", "password": "Wrong@2026", "captcha_id": id, "captcha_answer": answer}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let ips: Vec<String> = audit_of(&direct, "login").await.into_iter().filter_map(|e| e.ip).collect();
    assert_eq!(ips, ["127.0.0.1"]);
}

/// An account gets so many sign-in attempts an hour whatever addresses they come from.
async fn an_account_has_its_own_limit_whatever_the_address(backend: Backend) {
    let app = TestApp::start_with(backend, |c| {
        c.security.login_per_hour_per_account = 3;
        c.security.lock_after_failures = 100;
    })
    .await;
    app.seed_demo().await;
    for _ in 0..3 {
        assert_eq!(app.login_response(&app.new_client(), "provider_demo", "Wrong@2026").await.status(), 401);
    }
    let res = app.login_response(&app.new_client(), "PROVIDER_demo", "Shuzhuan@2026").await;
    assert_eq!(res.status(), 429, "the fourth attempt on the account this hour");
    assert_eq!(app.login_response(&app.new_client(), "enterprise_demo", "Shuzhuan@2026").await.status(), 200, "other accounts are not affected");
}
