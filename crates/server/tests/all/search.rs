//! 站内搜索 (issue 20) over real HTTP on both databases: Chinese words found inside longer text through the
//! real index (FTS5 / tsvector), published content only and only from its time (frozen clock), gone when
//! retired, calls and catalogue products found too, title hits first, the hit marked, kinds counted, the
//! index rebuilt from its sources.

use reqwest::Method;
use serde_json::{json, Value};

use crate::calls::{get, send};
use crate::common::TestApp;

both!(site_search_finds_chinese_words_in_what_is_public_now);

fn titles(r: &Value) -> Vec<&str> {
    r["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect()
}

async fn site_search_finds_chinese_words_in_what_is_public_now(app: TestApp) {
    app.seed_demo().await;
    shuzhuan::seed::pool::seed_pool(&app.state).await.unwrap();
    let huizhou = app.client_for("huizhou_admin").await;
    let visitor = app.new_client();
    let search = |q: &str| {
        let url = format!("/api/search?q={}", url_escape(q));
        let visitor = visitor.clone();
        let app = &app;
        async move { get(app, &visitor, &url).await }
    };
    let publish = |kind: &str, title: &str, body: &str| {
        let input = json!({"kind": kind, "title": title, "body": body, "publish": true});
        let huizhou = huizhou.clone();
        let app = &app;
        async move {
            let (s, saved) = send(app, &huizhou, Method::POST, "/api/portal/manage", input).await;
            assert_eq!(s, 200, "{saved}");
            saved["id"].as_str().unwrap().to_owned()
        }
    };

    // A word inside a longer title; a body hit ranks after the title hit.
    publish("guide", "企业上云操作指南", "<p>本指南介绍中小企业如何推进数字化转型，并说明上云补贴。</p>").await;
    let notice = publish("notice", "中小企业数字化转型城市试点申报通知", "<p>各区县工信部门：请组织企业申报。</p>").await;
    let (s, r) = search("数字化转型").await;
    assert_eq!(s, 200, "{r}");
    let found = titles(&r);
    let in_title: Vec<bool> = r["items"].as_array().unwrap().iter().map(|i| i["title_parts"].as_array().unwrap().iter().any(|p| p["hit"] == true)).collect();
    assert!(in_title.windows(2).all(|w| w[0] || !w[1]), "title hits first: {r}");
    let guide_at = found.iter().position(|t| *t == "企业上云操作指南").expect("body hits too");
    let notice_at = found.iter().position(|t| *t == "中小企业数字化转型城市试点申报通知").expect("the title hit");
    assert!(notice_at < guide_at && !in_title[guide_at], "{r}");
    let first = &r["items"][notice_at];
    assert_eq!((first["kind"].as_str(), first["kind_label"].as_str(), first["link"].as_str()), (Some("notice"), Some("通知公告"), Some(format!("/notices/{notice}").as_str())));
    let marked: Vec<&str> = first["title_parts"].as_array().unwrap().iter().filter(|p| p["hit"] == true).map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(marked, vec!["数字化转型"], "{first}");
    // Kind filter and counts.
    let (_, only) = get(&app, &visitor, &format!("/api/search?q={}&kind=guide", url_escape("数字化转型"))).await;
    assert_eq!(titles(&only), vec!["企业上云操作指南"]);
    assert!(only["kinds"].as_array().unwrap().iter().any(|k| k["kind"] == "notice" && k["count"].as_u64() >= Some(1)), "{only}");
    // Every word must be there; nothing for words nowhere.
    assert!(titles(&search("数字化转型 火锅").await.1).is_empty());
    // Portal lists search through the same index.
    let (_, guides) = get(&app, &visitor, &format!("/api/portal/items?kind=guide&q={}", url_escape("上云"))).await;
    assert_eq!(titles(&guides), vec!["企业上云操作指南"]);

    // Calls (the seeded published calls) and the catalogue's products (approved by the pool seeding).
    let (_, calls) = search("厦门 试点").await;
    assert!(calls["items"].as_array().unwrap().iter().any(|i| i["kind"] == "call" && i["title"].as_str().unwrap().contains("厦门市第一批中小企业数字化转型试点企业")), "{calls}");
    let (_, products) = search("排产").await;
    assert_eq!(products["items"][0]["kind"], "product", "{products}");
    assert_eq!(products["items"][0]["title"], "五金件智能排产MES（演示）");
    // Latin letters too, whatever their case.
    assert_eq!(search("mes").await.1["items"][0]["title"], "五金件智能排产MES（演示）");

    // Scheduled: not found before its time; retired: not found at all.
    app.state.clock.freeze(Some(chrono::Utc::now()));
    let at = (app.state.clock.now() + chrono::Duration::hours(3)).to_rfc3339();
    let (_, later) = send(&app, &huizhou, Method::POST, "/api/portal/manage", json!({"kind": "faq", "title": "工业互联网标识解析常见问题", "body": "<p>答</p>", "publish_at": at, "publish": true})).await;
    assert_eq!(later["status_label"], "待发布");
    assert!(titles(&search("标识解析").await.1).is_empty(), "not before its time");
    app.state.clock.freeze(Some(app.state.clock.now() + chrono::Duration::hours(3)));
    assert_eq!(titles(&search("标识解析").await.1), vec!["工业互联网标识解析常见问题"]);
    let (s, _) = send(&app, &huizhou, Method::POST, &format!("/api/portal/manage/{notice}/retire"), json!({})).await;
    assert_eq!(s, 200);
    assert!(!titles(&search("数字化转型").await.1).contains(&"中小企业数字化转型城市试点申报通知"));
    // A draft is never found.
    send(&app, &huizhou, Method::POST, "/api/portal/manage", json!({"kind": "guide", "title": "草稿里的区块链指南", "body": "<p>x</p>"})).await;
    assert!(titles(&search("区块链").await.1).is_empty());

    // Rebuilt from the sources: the same answers.
    let before = search("数字化转型").await.1;
    let n = shuzhuan::search::rebuild(&app.state.db).await.unwrap();
    assert!(n >= 5, "{n}");
    assert_eq!(titles(&search("数字化转型").await.1), titles(&before));
    assert_eq!(titles(&search("标识解析").await.1), vec!["工业互联网标识解析常见问题"]);

    // Bad input named; operators typed by a visitor mean nothing.
    assert_eq!(get(&app, &visitor, "/api/search?q=").await.0, 422);
    assert_eq!(get(&app, &visitor, &format!("/api/search?q={}", "长".repeat(51))).await.0, 422);
    assert_eq!(get(&app, &visitor, "/api/search?q=x&kind=martian").await.0, 422);
    for q in ["\"", "a OR b", "NEAR(a b)", "title_tokens:x", "*", "a & !b | c", "'", "(", "-x"] {
        let (s, r) = search(q).await;
        assert_eq!(s, 200, "{q}: {r}");
    }
    app.state.clock.freeze(None);
}

fn url_escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
