//! 工作台公告 (seed 001 §1.4.1, issue 20) over real HTTP on both databases: who publishes, whom it reaches (kind
//! and region), the scheduled time by the frozen clock, unread marks, retiring, bad input named.

use reqwest::Method;
use serde_json::{json, Value};

use crate::calls::{get, send};
use crate::common::TestApp;

both!(announcements_reach_their_kinds_and_regions_unread_until_opened);

fn titles(list: &Value) -> Vec<&str> {
    list["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect()
}

async fn announcements_reach_their_kinds_and_regions_unread_until_opened(app: TestApp) {
    app.seed_demo().await;
    let operator = app.client_for("operator_admin").await;
    let zhongshan = app.client_for("zhongshan_admin").await;
    let ent_zs = app.client_for("zhongshan_enterprise_demo").await;
    let ent_hz = app.client_for("enterprise_demo").await;
    let provider = app.client_for("provider_demo").await;
    let url = "/api/announcements/manage";

    // Only the operator's and government bodies' administrators publish; bad input is named, nothing stored.
    assert_eq!(send(&app, &ent_zs, Method::POST, url, json!({"title": "x", "body": "y", "publish": true})).await.0, 403);
    let (s, bad) = send(&app, &operator, Method::POST, url, json!({"title": " ", "body": "", "audience": ["enterprise", "martian"], "publish_at": "明天", "publish": true})).await;
    let fields: Vec<&str> = bad["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!((s, fields), (422, vec!["title", "body", "audience[1]", "publish_at"]));
    assert_eq!(get(&app, &operator, url).await.1["items"], json!([]));

    // The operator to enterprises, platform-wide; 中山市 to every kind in its region.
    let (s, _) = send(&app, &operator, Method::POST, url, json!({"title": "平台维护通知", "body": "本周六 22:00–24:00 系统维护。\n请提前保存。", "audience": ["enterprise"], "publish": true})).await;
    assert_eq!(s, 200);
    let (s, _) = send(&app, &zhongshan, Method::POST, url, json!({"title": "中山市项目入库开放", "body": "项目入库将于下周开放。", "publish": true})).await;
    assert_eq!(s, 200);
    let (_, mine) = get(&app, &ent_zs, "/api/announcements").await;
    assert_eq!((titles(&mine), mine["unread"].as_u64()), (vec!["中山市项目入库开放", "平台维护通知"], Some(2)), "{mine}");
    assert_eq!(mine["items"][1]["body"], "本周六 22:00–24:00 系统维护。\n请提前保存。", "plain text, line breaks kept");
    let (_, hz) = get(&app, &ent_hz, "/api/announcements").await;
    assert_eq!(titles(&hz), vec!["平台维护通知"], "another city's body does not reach Huizhou");
    let (_, p) = get(&app, &provider, "/api/announcements").await;
    assert_eq!(titles(&p), Vec::<&str>::new(), "not for providers");

    // Opened: read, once, however many clicks at once; another user's marks stay their own.
    let id = mine["items"][1]["id"].as_str().unwrap().to_owned();
    let read_url = format!("/api/announcements/{id}/read");
    let clicks = futures::future::join_all((0..8).map(|_| send(&app, &ent_zs, Method::POST, &read_url, json!({})))).await;
    assert!(clicks.iter().all(|(s, _)| *s == 200));
    assert_eq!(app.count(&format!("announcement_reads WHERE announcement_id = '{id}'")).await, 1);
    let (_, mine) = get(&app, &ent_zs, "/api/announcements").await;
    assert_eq!((mine["unread"].as_u64(), mine["items"][1]["read"].as_bool()), (Some(1), Some(true)));
    assert_eq!(get(&app, &ent_hz, "/api/announcements").await.1["unread"], 1);
    // One that does not reach the user cannot be marked.
    let zs_id = mine["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(send(&app, &ent_hz, Method::POST, &format!("/api/announcements/{zs_id}/read"), json!({})).await.0, 404);

    // Scheduled: saved as a draft for a time ahead, published, shown only from that time (frozen clock).
    app.state.clock.freeze(Some(chrono::Utc::now()));
    let at = (app.state.clock.now() + chrono::Duration::hours(2)).to_rfc3339();
    let (_, list) = send(&app, &operator, Method::POST, url, json!({"title": "两小时后的公告", "body": "定时发布", "publish_at": at})).await;
    let draft = list["items"][0].clone();
    assert_eq!(draft["status_label"], "草稿");
    let (s, list) = send(&app, &operator, Method::POST, &format!("{url}/{}/publish", draft["id"].as_str().unwrap()), json!({})).await;
    assert_eq!((s, list["items"][0]["status_label"].as_str()), (200, Some("待发布")), "{list}");
    assert!(!titles(&get(&app, &ent_hz, "/api/announcements").await.1).contains(&"两小时后的公告"));
    app.state.clock.freeze(Some(app.state.clock.now() + chrono::Duration::hours(2)));
    assert!(titles(&get(&app, &ent_hz, "/api/announcements").await.1).contains(&"两小时后的公告"));

    // Retired: gone from every workbench; not twice, not by another body.
    let (_, managed) = get(&app, &zhongshan, url).await;
    let zs = managed["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(send(&app, &operator, Method::POST, &format!("{url}/{zs}/retire"), json!({})).await.0, 404);
    let (s, after) = send(&app, &zhongshan, Method::POST, &format!("{url}/{zs}/retire"), json!({})).await;
    assert_eq!((s, after["items"][0]["status_label"].as_str()), (200, Some("已撤回")));
    assert_eq!(send(&app, &zhongshan, Method::POST, &format!("{url}/{zs}/publish"), json!({})).await.0, 409);
    assert!(!titles(&get(&app, &ent_zs, "/api/announcements").await.1).contains(&"中山市项目入库开放"));
    assert_eq!(app.count("audit_log WHERE action = 'announcement_retire'").await, 1);
    app.state.clock.freeze(None);
}
