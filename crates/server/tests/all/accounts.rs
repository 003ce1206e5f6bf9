//! Sign-in, sessions and their audit trail (the foundation's part of accounts).

use chrono::{Duration, Utc};
use crate::common::{json, TestApp};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use shuzhuan::auth::entity::session;
use shuzhuan::directory::user;
use shuzhuan::audit::entity as audit;

both!(login_sets_a_session_and_me_answers, wrong_password_is_refused_and_audited, unknown_user_looks_like_a_wrong_password,
    logout_ends_the_session_everywhere, idle_and_expired_sessions_are_refused, disabled_users_cannot_sign_in_or_keep_sessions,
    empty_fields_get_field_errors, forged_cookies_are_refused);

async fn login_sets_a_session_and_me_answers(app: TestApp) {
    assert_eq!(app.get("/api/auth/me").await.status(), 401);
    // What pages ask on load: nobody signed in is an answer, not an error.
    let anonymous = app.get("/api/auth/session").await;
    assert_eq!(anonymous.status(), 200);
    assert_eq!(json(anonymous).await, serde_json::json!({"user": null}));
    app.seed_demo().await;
    let res = app.login_response(&app.client, " jiangmen_admin ", "Shuzhuan@2026").await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("sz_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let body = json(res).await;
    assert_eq!(body["user"]["organization"]["name"], "江门市工业和信息化局");
    assert_eq!(body["user"]["organization"]["kind"], "government");
    assert_eq!(body["user"]["roles"], serde_json::json!(["org_admin"]));

    let me = json(app.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["username"], "jiangmen_admin");
    assert_eq!(json(app.get("/api/auth/session").await).await["user"]["username"], "jiangmen_admin");
    let stored = session::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!cookie.contains(&stored[0].token_hash), "the database keeps only a hash of the token");

    let entries = audit::Entity::find().filter(audit::Column::Action.eq("login")).all(&app.state.db).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].result, "success");
    assert_eq!(entries[0].actor_username.as_deref(), Some("jiangmen_admin"));
    assert!(entries[0].actor_org_id.is_some() && entries[0].ip.as_deref() == Some("127.0.0.1"));
}

async fn wrong_password_is_refused_and_audited(app: TestApp) {
    app.seed_demo().await;
    let res = app.login_response(&app.client, "jiangmen_admin", "Wrong@2026").await;
    assert_eq!(res.status(), 401);
    assert!(res.headers().get("set-cookie").is_none());
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "invalid_credentials");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("用户名或密码错误"));
    assert_eq!(app.count("sessions").await, 0);
    let entries = audit::Entity::find().filter(audit::Column::Action.eq("login")).all(&app.state.db).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].result, "failure");
    assert_eq!(entries[0].actor_username.as_deref(), Some("jiangmen_admin"));
    assert!(entries[0].detail.as_deref().unwrap().contains("bad_credentials"));
}

async fn unknown_user_looks_like_a_wrong_password(app: TestApp) {
    app.seed_demo().await;
    let res = app.login_response(&app.client, "nobody", "Shuzhuan@2026").await;
    assert_eq!(res.status(), 401);
    let unknown = json(res).await["error"]["message"].clone();
    let res = app.login_response(&app.client, "enterprise_demo", "Wrong@2026").await;
    assert_eq!(res.status(), 401);
    assert_eq!(json(res).await["error"]["message"], unknown, "the same answer for an account");
    // Neither this address nor any other ever signed in to the account: a stranger, delayed rather than locking.
    assert_eq!(unknown, "用户名或密码错误（再错4次将暂停登录）");
}

async fn logout_ends_the_session_everywhere(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let other_browser = app.client_for("jiangmen_admin").await;
    let res = app.client.post(app.url("/api/auth/logout")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(app.get("/api/auth/me").await.status(), 401);
    // The other browser's session is its own and survives.
    assert_eq!(other_browser.get(app.url("/api/auth/me")).send().await.unwrap().status(), 200);
    // Logging out again is harmless.
    assert_eq!(app.client.post(app.url("/api/auth/logout")).send().await.unwrap().status(), 204);
}

async fn idle_and_expired_sessions_are_refused(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let s = session::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    // Idle for longer than the idle timeout (30 minutes by default).
    session::Entity::update(session::ActiveModel {
        token_hash: Set(s.token_hash.clone()),
        last_seen_at: Set(Utc::now() - Duration::minutes(31)),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    assert_eq!(app.get("/api/auth/me").await.status(), 401);
    assert_eq!(app.count("sessions").await, 0, "an expired session is removed");

    app.login_as("jiangmen_admin").await;
    let s = session::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    session::Entity::update(session::ActiveModel {
        token_hash: Set(s.token_hash.clone()),
        expires_at: Set(Utc::now() - Duration::seconds(1)),
        ..Default::default()
    })
    .exec(&app.state.db)
    .await
    .unwrap();
    assert_eq!(app.get("/api/auth/me").await.status(), 401, "the absolute timeout holds even for an active user");
}

async fn disabled_users_cannot_sign_in_or_keep_sessions(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let u = user::Entity::find().filter(user::Column::Username.eq("jiangmen_admin")).one(&app.state.db).await.unwrap().unwrap();
    user::Entity::update(user::ActiveModel { id: Set(u.id), status: Set("disabled".into()), ..Default::default() })
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_eq!(app.get("/api/auth/me").await.status(), 401);
    let res = app.login_response(&app.client, "jiangmen_admin", "Shuzhuan@2026").await;
    assert_eq!(res.status(), 403);
    assert_eq!(json(res).await["error"]["message"], "账号已停用，请联系管理员");
}

async fn empty_fields_get_field_errors(app: TestApp) {
    let res = app.post_json("/api/auth/login", serde_json::json!({"username": "  ", "password": "x"})).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["error"]["fields"][0]["field"], "username");
    assert_eq!(body["error"]["fields"][0]["message"], "请输入手机号或用户名");
}

async fn forged_cookies_are_refused(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let forged = reqwest::Client::new();
    for cookie in ["sz_session=".to_string() + &"a".repeat(64), "sz_session=../../x".into(), "sz_session=".into()] {
        let res = forged.get(app.url("/api/auth/me")).header("cookie", cookie.clone()).send().await.unwrap();
        assert_eq!(res.status(), 401, "{cookie}");
    }
}
