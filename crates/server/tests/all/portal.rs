//! 门户内容 (issue 20, spec 50 § Portal, seed 003 §3) over real HTTP on both databases: who publishes, the
//! publishing window by the frozen clock, retiring, rich text cleaned by the server against a corpus of known
//! XSS payloads while ordinary formatting stays, attachments public only while their item is, 通知公告 filters
//! and call links, 政策文件 recommended with reasons, and 公示异议 (only signed in, only during the period; the
//! publisher answers; another region's officials neither see nor answer them).

use reqwest::Method;
use serde_json::{json, Value};

use crate::calls::{get, send, upload};
use crate::common::TestApp;

both!(portal_content_is_published_in_its_window_and_retired);
both!(rich_text_keeps_formatting_and_loses_everything_executable);
both!(objections_are_filed_in_the_period_and_answered_by_the_publisher);
both!(policies_are_recommended_to_an_enterprise_with_the_reason);

const MANAGE: &str = "/api/portal/manage";

fn titles(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect()
}

async fn portal_content_is_published_in_its_window_and_retired(app: TestApp) {
    app.seed_demo().await;
    let huizhou = app.client_for("huizhou_admin").await;
    let operator = app.client_for("operator_admin").await;
    let enterprise = app.client_for("enterprise_demo").await;
    let visitor = app.new_client();

    // Only the operator's and government bodies' administrators publish; bad input is named, nothing stored.
    assert_eq!(send(&app, &enterprise, Method::POST, MANAGE, json!({"kind": "notice", "title": "x", "body": "<p>y</p>", "publish": true})).await.0, 403);
    assert_eq!(send(&app, &visitor, Method::POST, MANAGE, json!({"kind": "notice", "title": "x", "body": "<p>y</p>", "publish": true})).await.0, 401);
    let (s, bad) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "notice", "title": " ", "body": "<script>x</script>", "area": "火星", "publish_at": "明天", "publish": true})).await;
    let fields: Vec<&str> = bad["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!((s, fields), (422, vec!["title", "body", "area", "publish_at"]), "{bad}");
    let (s, bad) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "publicity", "title": "公示", "body": "<p>名单</p>", "publish": true})).await;
    assert_eq!((s, bad["fields"][0]["field"].as_str()), (422, Some("period_ends_at")));
    assert_eq!(app.count("portal_items").await, 0);

    // A notice with an attachment, published at once: public, its attachment downloadable by anyone.
    let file = upload(&app, &huizhou, "attachment", "申报指南.pdf", crate::files::pdf_bytes(10)).await;
    let (s, notice) = send(&app, &huizhou, Method::POST, MANAGE, json!({
        "kind": "notice", "title": "关于开展2026年中小企业数字化转型城市试点申报工作的通知", "body": "<p>各有关单位：</p><p>现将申报事项通知如下。</p>",
        "area": "数字化转型", "project_type": "试点项目", "apply_opens_at": "2026-01-01T00:00:00+08:00", "apply_closes_at": "2099-01-01T00:00:00+08:00",
        "attachments": [file], "publish": true})).await;
    assert_eq!((s, notice["status_label"].as_str()), (200, Some("已发布")), "{notice}");
    let id = notice["id"].as_str().unwrap().to_owned();
    let (s, detail) = get(&app, &visitor, &format!("/api/portal/items/{id}")).await;
    assert_eq!((s, detail["attachments"][0]["name"].as_str()), (200, Some("申报指南.pdf")), "{detail}");
    assert_eq!(detail["apply_status"], "open");
    let res = visitor.get(app.url(&format!("/api/portal/files/{file}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), crate::files::pdf_bytes(10));
    // Another file of the bureau is not public for being the bureau's.
    let private = upload(&app, &huizhou, "attachment", "内部.pdf", crate::files::pdf_bytes(11)).await;
    assert_eq!(visitor.get(app.url(&format!("/api/portal/files/{private}"))).send().await.unwrap().status(), 404);
    // Someone else's file cannot be attached.
    let theirs = upload(&app, &enterprise, "attachment", "企业.pdf", crate::files::pdf_bytes(12)).await;
    let (s, bad) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "guide", "title": "指南", "body": "<p>x</p>", "attachments": [theirs]})).await;
    assert_eq!((s, bad["fields"][0]["field"].as_str()), (422, Some("attachments")));

    // Filters: 申报状态, 业务领域, 项目类型.
    let list = |q: &str| get(&app, &visitor, Box::leak(format!("/api/portal/items?kind=notice{q}").into_boxed_str()));
    assert_eq!(titles(&list("").await.1).len(), 1);
    assert_eq!(titles(&list("&apply_status=open&area=数字化转型&project_type=试点项目").await.1).len(), 1);
    assert_eq!(titles(&list("&apply_status=closed").await.1).len(), 0);
    assert_eq!(titles(&list("&area=智能制造").await.1).len(), 0);
    assert_eq!(list("&apply_status=maybe").await.0, 422);
    assert_eq!(get(&app, &visitor, "/api/portal/items?kind=martian").await.0, 422);
    // The home page shows it.
    let (_, home) = get(&app, &visitor, "/api/portal/home").await;
    assert_eq!(home["notices"][0]["id"], id.as_str());

    // Linked to a published call: its window is the call's; a call that does not exist is refused.
    let (_, calls) = get(&app, &visitor, "/api/public/calls").await;
    let call = calls[0].clone();
    let (s, linked) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "notice", "title": "申报通知", "body": "<p>见申报</p>", "call_id": call["id"], "publish": true})).await;
    assert_eq!((s, linked["call_id"].clone()), (200, call["id"].clone()), "{linked}");
    assert_eq!(linked["apply_closes_at"], call["closes_at"]);
    let (s, _) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "notice", "title": "x", "body": "<p>x</p>", "call_id": "nope"})).await;
    assert_eq!(s, 422);

    // Scheduled: saved for two hours ahead, published, not public before its time (frozen clock).
    app.state.clock.freeze(Some(chrono::Utc::now()));
    let at = (app.state.clock.now() + chrono::Duration::hours(2)).to_rfc3339();
    let (_, draft) = send(&app, &operator, Method::POST, MANAGE, json!({"kind": "faq", "title": "如何注册账号？", "body": "<p>点击注册。</p>", "publish_at": at})).await;
    assert_eq!(draft["status_label"], "草稿");
    let faq = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(get(&app, &visitor, &format!("/api/portal/items/{faq}")).await.0, 404, "a draft is not public");
    let (s, pending) = send(&app, &operator, Method::POST, &format!("{MANAGE}/{faq}/publish"), json!({})).await;
    assert_eq!((s, pending["status_label"].as_str()), (200, Some("待发布")));
    assert_eq!(get(&app, &visitor, &format!("/api/portal/items/{faq}")).await.0, 404, "not before its time");
    assert!(titles(&get(&app, &visitor, "/api/portal/items?kind=faq").await.1).is_empty());
    app.state.clock.freeze(Some(app.state.clock.now() + chrono::Duration::hours(2)));
    assert_eq!(get(&app, &visitor, &format!("/api/portal/items/{faq}")).await.0, 200);
    assert_eq!(titles(&get(&app, &visitor, "/api/portal/items?kind=faq").await.1), vec!["如何注册账号？"]);

    // Retired: gone from the portal, its attachment no longer public; not twice; not by another body.
    assert_eq!(send(&app, &operator, Method::POST, &format!("{MANAGE}/{id}/retire"), json!({})).await.0, 404);
    assert_eq!(get(&app, &app.client_for("zhongshan_admin").await, &format!("{MANAGE}/{id}")).await.0, 404);
    let (s, retired) = send(&app, &huizhou, Method::POST, &format!("{MANAGE}/{id}/retire"), json!({})).await;
    assert_eq!((s, retired["status_label"].as_str()), (200, Some("已撤回")));
    assert_eq!(send(&app, &huizhou, Method::POST, &format!("{MANAGE}/{id}/publish"), json!({})).await.0, 409);
    assert_eq!(get(&app, &visitor, &format!("/api/portal/items/{id}")).await.0, 404);
    assert_eq!(visitor.get(app.url(&format!("/api/portal/files/{file}"))).send().await.unwrap().status(), 404);
    let mut edit = json!({"kind": "notice", "title": "改", "body": "<p>改</p>"});
    assert_eq!(send(&app, &huizhou, Method::PUT, &format!("{MANAGE}/{id}"), edit.clone()).await.0, 409, "a retired item is not edited");
    edit["kind"] = json!("faq");
    assert_eq!(send(&app, &operator, Method::PUT, &format!("{MANAGE}/{faq}"), json!({"kind": "faq", "title": "如何注册企业账号？", "body": "<p>点击右上角注册。</p>"})).await.0, 200);
    assert_eq!(titles(&get(&app, &visitor, "/api/portal/items?kind=faq").await.1), vec!["如何注册企业账号？"]);
    assert_eq!(app.count("audit_log WHERE action = 'portal_retire'").await, 1);
    let (_, mine) = get(&app, &huizhou, &format!("{MANAGE}?kind=notice&status=retired")).await;
    assert_eq!(titles(&mine), vec!["关于开展2026年中小企业数字化转型城市试点申报工作的通知"]);
    app.state.clock.freeze(None);
}

/// Known XSS payloads (OWASP's filter-evasion cheat sheet and friends): none may leave anything executable.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"/api/portal/files/abc\" onload=\"alert(1)\">",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<a href=\"javascript:alert(1)\">点我</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">点我</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">点我</a>",
    "<a href=\"  javascript:alert(1)\">点我</a>",
    "<a href=\"vbscript:msgbox(1)\">点我</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">点我</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"width: expression(alert(1))\">x</p>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<details open ontoggle=alert(1)>",
    "<p onclick=\"alert(1)\" onmouseover=alert(1)>x</p>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<base href=\"javascript:alert(1)//\">",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<a href=\"https://example.org\" target=\"_blank\" onfocus=\"alert(1)\" autofocus>ok</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=\"https://tracker.example/p.gif\">",
];

/// Whether cleaned HTML still holds anything a browser would run.
fn executable(html: &str) -> Option<&'static str> {
    let lower = html.to_lowercase();
    let markers: &[(&str, &str)] = &[
        ("<script", "script tag"),
        ("<svg", "svg"),
        ("<math", "math"),
        ("<iframe", "iframe"),
        ("<object", "object"),
        ("<embed", "embed"),
        ("<style", "style tag"),
        ("<link", "link"),
        ("<meta", "meta"),
        ("<form", "form"),
        ("<base", "base"),
        ("<body", "body"),
        ("<details", "details"),
        ("javascript:", "javascript: URL"),
        ("vbscript:", "vbscript: URL"),
        ("data:", "data: URL"),
        ("style=", "style attribute"),
        ("expression(", "CSS expression"),
        ("tracker.example", "remote image"),
    ];
    for (m, what) in markers {
        if lower.contains(m) {
            return Some(what);
        }
    }
    // Any on…= attribute inside a tag.
    let mut in_tag = false;
    let chars: Vec<char> = lower.chars().collect();
    for i in 0..chars.len() {
        match chars[i] {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if in_tag && c.is_whitespace() && chars.get(i + 1) == Some(&'o') && chars.get(i + 2) == Some(&'n') => {
                let rest: String = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphabetic()).collect();
                if chars.get(i + 1 + rest.len()) == Some(&'=') {
                    return Some("event handler");
                }
            }
            _ => {}
        }
    }
    None
}

async fn rich_text_keeps_formatting_and_loses_everything_executable(app: TestApp) {
    app.seed_demo().await;
    let huizhou = app.client_for("huizhou_admin").await;
    let visitor = app.new_client();
    // An image for the rich text: uploaded, made public for it, referenced by its URL.
    let png = upload(&app, &huizhou, "photo", "图.png", png_bytes()).await;
    let (s, img) = send(&app, &huizhou, Method::POST, "/api/portal/images", json!({"file_id": png})).await;
    assert_eq!(s, 200, "{img}");
    let url = img["url"].as_str().unwrap().to_owned();
    assert_eq!(visitor.get(app.url(&url)).send().await.unwrap().status(), 200);
    let pdf = upload(&app, &huizhou, "attachment", "a.pdf", crate::files::pdf_bytes(1)).await;
    assert_eq!(send(&app, &huizhou, Method::POST, "/api/portal/images", json!({"file_id": pdf})).await.0, 422, "not an image");

    for (n, payload) in HOSTILE.iter().enumerate() {
        let body = format!("<p>第{n}条</p>{payload}");
        let (s, saved) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "guide", "title": format!("指南{n}"), "body": body, "publish": true})).await;
        assert_eq!(s, 200, "{payload}: {saved}");
        let (_, public) = get(&app, &visitor, &format!("/api/portal/items/{}", saved["id"].as_str().unwrap())).await;
        let stored = public["body"].as_str().unwrap();
        assert!(executable(stored).is_none(), "{payload} left {:?}: {stored}", executable(stored));
        assert!(stored.starts_with(&format!("<p>第{n}条</p>")), "{stored}");
    }
    // Ordinary formatting survives as written.
    let ordinary = format!(
        "<h2>一、申报条件</h2><p>企业须<strong>同时</strong>满足<em>以下</em>条件：</p><ol><li>注册在本市</li><li>信用良好</li></ol><ul><li>甲</li></ul>\
         <table><thead><tr><th>项目</th><th>金额</th></tr></thead><tbody><tr><td colspan=\"2\">合计</td></tr></tbody></table>\
         <blockquote>引用</blockquote><p><a href=\"https://www.miit.gov.cn/\">工信部</a><br><img src=\"{url}\" alt=\"示意图\"></p>"
    );
    let (_, saved) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "guide", "title": "格式", "body": ordinary, "publish": true})).await;
    let body = saved["body"].as_str().unwrap();
    for kept in ["<h2>一、申报条件</h2>", "<strong>同时</strong>", "<em>以下</em>", "<ol><li>注册在本市</li>", "<ul><li>甲</li></ul>", "<th>项目</th>", "<td colspan=\"2\">合计</td>", "<blockquote>引用</blockquote>", "<br>", &format!("<img src=\"{url}\" alt=\"示意图\">")] {
        assert!(body.contains(kept), "{kept} lost: {body}");
    }
    assert!(body.contains("<a href=\"https://www.miit.gov.cn/\" rel=\"noopener noreferrer\">工信部</a>"), "{body}");
    assert_eq!(saved["summary"], "一、申报条件 企业须 同时 满足 以下 条件： 注册在本市 信用良好 甲 项目 金额 合计 引用 工信部", "plain text for lists and search");
}

async fn objections_are_filed_in_the_period_and_answered_by_the_publisher(app: TestApp) {
    app.seed_demo().await;
    let huizhou = app.client_for("huizhou_admin").await;
    let zhongshan = app.client_for("zhongshan_admin").await;
    let enterprise = app.client_for("enterprise_demo").await;
    let other = app.client_for("zhongshan_enterprise_demo").await;
    let visitor = app.new_client();
    app.state.clock.freeze(Some(chrono::Utc::now()));
    let ends = (app.state.clock.now() + chrono::Duration::days(7)).to_rfc3339();
    let (s, item) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "publicity", "title": "2026年数字化转型试点企业名单公示", "body": "<p>拟入选名单如下。</p>", "period_ends_at": ends, "publish": true})).await;
    assert_eq!(s, 200, "{item}");
    let id = item["id"].as_str().unwrap().to_owned();
    let url = format!("/api/portal/items/{id}/objections");
    let (_, detail) = get(&app, &visitor, &format!("/api/portal/items/{id}")).await;
    assert_eq!(detail["in_period"], true);

    // Only signed in; bad input named; only one's own files.
    let objection = json!({"contact_name": "李经理", "contact_phone": "0752-1234567", "content": "名单中某企业不符合申报条件。"});
    assert_eq!(send(&app, &visitor, Method::POST, &url, objection.clone()).await.0, 401);
    let (s, bad) = send(&app, &enterprise, Method::POST, &url, json!({"contact_name": "", "contact_phone": "abc", "content": ""})).await;
    let fields: Vec<&str> = bad["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!((s, fields), (422, vec!["contact_name", "contact_phone", "content"]));
    let theirs = upload(&app, &other, "attachment", "别人的.pdf", crate::files::pdf_bytes(3)).await;
    let mut with_theirs = objection.clone();
    with_theirs["files"] = json!([theirs]);
    assert_eq!(send(&app, &enterprise, Method::POST, &url, with_theirs).await.0, 422);
    assert_eq!(app.count("portal_objections").await, 0);
    let evidence = upload(&app, &enterprise, "attachment", "证明材料.pdf", crate::files::pdf_bytes(4)).await;
    let mut filed = objection.clone();
    filed["files"] = json!([evidence]);
    let (s, mine) = send(&app, &enterprise, Method::POST, &url, filed).await;
    assert_eq!((s, mine["files"][0]["name"].as_str()), (200, Some("证明材料.pdf")), "{mine}");
    let oid = mine["id"].as_str().unwrap().to_owned();
    // Not a notice: objections are for 结果公示 only.
    let (_, notice) = send(&app, &huizhou, Method::POST, MANAGE, json!({"kind": "notice", "title": "通知", "body": "<p>x</p>", "publish": true})).await;
    assert_eq!(send(&app, &enterprise, Method::POST, &format!("/api/portal/items/{}/objections", notice["id"].as_str().unwrap()), objection.clone()).await.0, 404);

    // The publisher sees it and downloads its file; another region's officials neither see nor answer it.
    let (s, list) = get(&app, &huizhou, &format!("{MANAGE}/{id}/objections")).await;
    assert_eq!((s, list["items"][0]["content"].as_str()), (200, Some("名单中某企业不符合申报条件。")));
    assert_eq!(huizhou.get(app.url(&format!("/api/files/{evidence}"))).send().await.unwrap().status(), 200);
    assert_eq!(zhongshan.get(app.url(&format!("/api/files/{evidence}"))).send().await.unwrap().status(), 404);
    assert_eq!(get(&app, &zhongshan, &format!("{MANAGE}/{id}/objections")).await.0, 404);
    assert_eq!(send(&app, &zhongshan, Method::POST, &format!("{MANAGE}/objections/{oid}/answer"), json!({"answer": "驳回"})).await.0, 404);
    assert_eq!(send(&app, &enterprise, Method::POST, &format!("{MANAGE}/objections/{oid}/answer"), json!({"answer": "自己答"})).await.0, 403);
    let (_, managed) = get(&app, &huizhou, &format!("{MANAGE}/{id}")).await;
    assert_eq!((managed["objections"].as_u64(), managed["unanswered"].as_u64()), (Some(1), Some(1)));

    // Answered once; the objector sees the answer, others see nothing of it.
    assert_eq!(send(&app, &huizhou, Method::POST, &format!("{MANAGE}/objections/{oid}/answer"), json!({"answer": " "})).await.0, 422);
    let (s, answered) = send(&app, &huizhou, Method::POST, &format!("{MANAGE}/objections/{oid}/answer"), json!({"answer": "经核查，该企业符合条件。"})).await;
    assert_eq!((s, answered["answer"].as_str()), (200, Some("经核查，该企业符合条件。")));
    assert_eq!(send(&app, &huizhou, Method::POST, &format!("{MANAGE}/objections/{oid}/answer"), json!({"answer": "再答"})).await.0, 409);
    let (_, seen) = get(&app, &enterprise, &format!("/api/portal/items/{id}")).await;
    assert_eq!(seen["my_objections"][0]["answer"], "经核查，该企业符合条件。");
    let (_, mine) = get(&app, &enterprise, "/api/portal/objections").await;
    assert_eq!(mine["items"][0]["answer"], "经核查，该企业符合条件。");
    assert_eq!(get(&app, &other, &format!("/api/portal/items/{id}")).await.1["my_objections"], json!([]));
    assert_eq!(app.count("audit_log WHERE action = 'portal_objection_answer'").await, 1);

    // After the period: no more objections.
    app.state.clock.freeze(Some(app.state.clock.now() + chrono::Duration::days(7)));
    let (s, late) = send(&app, &enterprise, Method::POST, &url, objection).await;
    assert_eq!((s, late["message"].as_str()), (409, Some("公示期已结束，不能再提出异议")));
    assert_eq!(app.count("portal_objections").await, 1);
    app.state.clock.freeze(None);
}

async fn policies_are_recommended_to_an_enterprise_with_the_reason(app: TestApp) {
    app.seed_demo().await;
    let operator = app.client_for("operator_admin").await;
    for (title, industries, sizes) in [("五金制造业数字化改造扶持政策", json!(["33"]), json!(["小型"])), ("软件业发展政策", json!(["65"]), json!([])), ("通用政策", json!([]), json!([]))] {
        let (s, saved) = send(&app, &operator, Method::POST, MANAGE, json!({"kind": "policy", "title": title, "body": "<p>政策原文</p>", "industries": industries, "sizes": sizes, "publish": true})).await;
        assert_eq!(s, 200, "{saved}");
    }
    let (s, bad) = send(&app, &operator, Method::POST, MANAGE, json!({"kind": "policy", "title": "x", "body": "<p>x</p>", "sizes": ["巨型"], "regions": ["火星"]})).await;
    assert_eq!((s, bad["fields"].as_array().unwrap().len()), (422, 2));
    // 小榄精工 (中山, industry 3389, 小型): the 五金 policy, with both reasons.
    let (_, home) = get(&app, &app.client_for("zhongshan_enterprise_demo").await, "/api/portal/home").await;
    assert_eq!(home["policies"].as_array().unwrap().len(), 3);
    assert_eq!(home["recommended"].as_array().unwrap().len(), 1, "{home}");
    assert_eq!(home["recommended"][0]["item"]["title"], "五金制造业数字化改造扶持政策");
    let reasons: Vec<&str> = home["recommended"][0]["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons[0].starts_with("与贵企业所属行业（") && reasons[0].ends_with("）相关"), "{reasons:?}");
    assert_eq!(reasons[1], "适用于小型企业");
    // A visitor gets none.
    let (_, home) = get(&app, &app.new_client(), "/api/portal/home").await;
    assert_eq!(home["recommended"], json!([]));
    // 友情链接: an http(s) address, shown by their order number.
    assert_eq!(home["links"], json!([]));
    let (s, bad) = send(&app, &operator, Method::POST, MANAGE, json!({"kind": "link", "title": "脚本", "url": "javascript:alert(1)", "publish": true})).await;
    assert_eq!((s, bad["fields"][0]["field"].as_str()), (422, Some("url")));
    for (title, url, sort) in [("工业和信息化部", "https://www.miit.gov.cn/", 2), ("广东省工业和信息化厅", "https://gdii.gd.gov.cn/", 1)] {
        assert_eq!(send(&app, &operator, Method::POST, MANAGE, json!({"kind": "link", "title": title, "url": url, "sort": sort, "publish": true})).await.0, 200);
    }
    let (_, home) = get(&app, &app.new_client(), "/api/portal/home").await;
    let links: Vec<(&str, &str)> = home["links"].as_array().unwrap().iter().map(|l| (l["title"].as_str().unwrap(), l["url"].as_str().unwrap())).collect();
    assert_eq!(links, vec![("广东省工业和信息化厅", "https://gdii.gd.gov.cn/"), ("工业和信息化部", "https://www.miit.gov.cn/")]);
}

/// A PNG signature and padding: enough for the upload's content check.
pub fn png_bytes() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(200, 0);
    png
}
