//! 统一身份认证 on both databases, without a provider: it is off unless configured, refuses clearly when
//! the provider cannot be reached, and a callback this browser did not start signs nobody in (and is
//! audited). The whole round trip through a real OpenID Connect provider is the browser test
//! e2e/tests/unified-identity.test.mjs.

use crate::common::{json, Backend, TestApp};
use reqwest::StatusCode;
use sea_orm::EntityTrait;

/// A browser that does not follow redirects, so each one can be checked.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

async fn configured(backend: Backend) -> TestApp {
    TestApp::start_with(backend, |c| {
        // Port 9 (discard) on loopback: nothing answers there.
        c.unified_identity.issuer = Some("http://127.0.0.1:9".into());
        c.unified_identity.client_id = Some("shuzhuan".into());
        c.unified_identity.client_secret = Some("secret".into());
        c.unified_identity.redirect_url = Some("http://127.0.0.1:1/api/auth/unified/callback".into());
        c.unified_identity.label = Some("粤省事统一身份认证登录".into());
    })
    .await
}

async fn off_unless_configured(app: TestApp) {
    assert!(json(app.get("/api/site").await).await["unified_identity"].is_null());
    let res = no_redirects().get(app.url("/api/auth/unified/start")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(res).await["error"]["message"], "本平台未启用统一身份认证登录");
    let res = no_redirects().get(app.url("/api/auth/unified/callback?code=x&state=y")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

async fn refusals_when_configured(app: TestApp) {
    assert_eq!(json(app.get("/api/site").await).await["unified_identity"], "粤省事统一身份认证登录");

    // The provider is down: back to the login page, which says so (the button is a plain link).
    let res = no_redirects().get(app.url("/api/auth/unified/start")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?unified=unavailable");

    // A callback without the state cookie this browser would have been given (forged or replayed link).
    let browser = no_redirects();
    let res = browser.get(app.url("/api/auth/unified/callback?code=forged&state=forged")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?unified=expired");
    assert_eq!(browser.get(app.url("/api/auth/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let audit = shuzhuan::audit::entity::Entity::find().all(&app.state.db).await.unwrap();
    let refused = audit.iter().find(|e| e.action == "login" && e.result == "failure").expect("the refusal is audited");
    assert!(refused.detail.as_deref().unwrap_or("").contains("state_mismatch"), "{refused:?}");

    // The person cancelled at the provider.
    let res = browser.get(app.url("/api/auth/unified/callback?error=access_denied&state=x")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/login?unified=cancelled");
    assert_eq!(app.count("sessions").await, 0, "nobody signed in");
}

mod off {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        off_unless_configured(TestApp::start(Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        off_unless_configured(TestApp::start(Backend::Postgres).await).await
    }
}

mod configured_refusals {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        refusals_when_configured(configured(Backend::Sqlite).await).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        refusals_when_configured(configured(Backend::Postgres).await).await
    }
}
