//! Upload and download: types by content and extension, per-purpose limits, SHA-256, authorization.

use crate::common::{json, TestApp};
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use shuzhuan::audit::entity as audit;

pub fn pdf_bytes(extra: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n1 0 obj <<>> endobj\n".to_vec();
    v.extend(std::iter::repeat_n(b'%', extra));
    v.extend_from_slice(b"\ntrailer <<>>\n%%EOF\n");
    v
}

fn form(purpose: &str, name: &str, bytes: Vec<u8>) -> Form {
    Form::new().text("purpose", purpose.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()))
}

async fn upload(app: &TestApp, purpose: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client.post(app.url("/api/files")).multipart(form(purpose, name, bytes)).send().await.unwrap()
}

fn stored_objects(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p).map(|rd| rd.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()).unwrap_or(0)
    }
    walk(&app.dir.path().join("files"))
}

both!(upload_list_download_round_trip, another_organization_cannot_download, oversized_files_are_refused_before_storing,
    content_must_match_the_extension, purpose_comes_first_and_must_be_known, tampered_files_are_detected_at_download,
    signing_in_is_required, purposes_describe_their_limits, same_content_is_stored_once);

async fn upload_list_download_round_trip(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let bytes = pdf_bytes(1000);
    let res = upload(&app, "attachment", "项目佐证材料.pdf", bytes.clone()).await;
    assert_eq!(res.status(), 201);
    let file = json(res).await;
    assert_eq!(file["name"], "项目佐证材料.pdf");
    assert_eq!(file["content_type"], "application/pdf");
    assert_eq!(file["size"], bytes.len());
    assert_eq!(file["sha256"], hex::encode(Sha256::digest(&bytes)));
    // An instant in RFC 3339 with the China offset, e.g. 2025-11-25T23:10:31+08:00.
    let created = file["created_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created).is_ok_and(|t| t.offset().local_minus_utc() == 8 * 3600), "{created}");

    let list = json(app.get("/api/files").await).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], file["id"]);
    assert_eq!(app.get("/api/files?page_size=7").await.status(), 422);

    let res = app.get(&format!("/api/files/{}", file["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("UTF-8''"), "{disposition}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), bytes);

    let actions: Vec<String> = audit::Entity::find().all(&app.state.db).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"file_upload".to_string()) && actions.contains(&"file_download".to_string()), "{actions:?}");
}

async fn another_organization_cannot_download(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let file = json(upload(&app, "attachment", "a.pdf", pdf_bytes(10)).await).await;
    let id = file["id"].as_str().unwrap();
    let zhongshan = app.client_for("zhongshan_admin").await;
    let res = zhongshan.get(app.url(&format!("/api/files/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), 404, "another organization's file looks like no file at all");
    let list = json(zhongshan.get(app.url("/api/files")).send().await.unwrap()).await;
    assert_eq!(list["total"], 0);
    let denied = audit::Entity::find().filter(audit::Column::Result.eq("denied")).all(&app.state.db).await.unwrap();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].actor_username.as_deref(), Some("zhongshan_admin"));
    assert_eq!(denied[0].object_id.as_deref(), Some(id));
}

async fn oversized_files_are_refused_before_storing(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    // A 50 MB upload to a 10 MB field.
    let res = upload(&app, "redemption_package", "兑付材料.pdf", pdf_bytes(50 * 1024 * 1024)).await;
    assert_eq!(res.status(), 413);
    // The rest of the refused upload was read and thrown away, so the answer reached the client instead of
    // being lost to a reset connection, and the connection stays usable.
    assert!(res.headers().get("connection").is_none(), "{:?}", res.headers());
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert!(body["error"]["message"].as_str().unwrap().contains("10 MB"), "{body}");
    // A photo just over 2048 KB.
    let res = upload(&app, "photo", "logo.png", {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.resize(2048 * 1024 + 1, 0);
        png
    })
    .await;
    assert_eq!(res.status(), 413);
    assert_eq!(app.count("files").await, 0);
    assert_eq!(stored_objects(&app), 0, "nothing was written to storage");
}

async fn content_must_match_the_extension(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let res = upload(&app, "photo", "photo.png", pdf_bytes(10)).await;
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    assert_eq!(body["error"]["fields"][0]["field"], "file");
    assert_eq!(body["error"]["message"], "文件内容与扩展名不符");
    let res = upload(&app, "photo", "tool.exe", b"MZ\x90\x00".to_vec()).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["message"].as_str().unwrap().starts_with("不支持的文件类型"));
    let res = upload(&app, "document", "empty.pdf", vec![]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("files").await, 0);
    assert_eq!(stored_objects(&app), 0);
}

async fn purpose_comes_first_and_must_be_known(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let res = upload(&app, "everything", "a.pdf", pdf_bytes(1)).await;
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["fields"][0]["field"], "purpose");
    let reversed = Form::new().part("file", Part::bytes(pdf_bytes(1)).file_name("a.pdf")).text("purpose", "attachment");
    let res = app.client.post(app.url("/api/files")).multipart(reversed).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let missing = Form::new().text("purpose", "attachment");
    let res = app.client.post(app.url("/api/files")).multipart(missing).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(json(res).await["error"]["message"], "请选择要上传的文件");
}

async fn tampered_files_are_detected_at_download(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let file = json(upload(&app, "attachment", "a.pdf", pdf_bytes(100)).await).await;
    let sha = file["sha256"].as_str().unwrap();
    let path = app.dir.path().join("files").join("sha256").join(&sha[0..2]).join(&sha[2..4]).join(sha);
    assert!(path.exists(), "stored by content address: {}", path.display());
    std::fs::write(&path, pdf_bytes(101)).unwrap();
    let res = app.get(&format!("/api/files/{}", file["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), 500);
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "internal_error");
    assert_eq!(body["error"]["message"], "系统繁忙，请稍后重试", "no detail leaks to the client");
}

async fn signing_in_is_required(app: TestApp) {
    assert_eq!(upload(&app, "attachment", "a.pdf", pdf_bytes(1)).await.status(), 401);
    assert_eq!(app.get("/api/files").await.status(), 401);
    assert_eq!(app.get("/api/files/whatever").await.status(), 401);
}

async fn purposes_describe_their_limits(app: TestApp) {
    let body = json(app.get("/api/files/purposes").await).await;
    let photo = body["items"].as_array().unwrap().iter().find(|p| p["purpose"] == "photo").unwrap().clone();
    assert_eq!(photo["max_bytes"], 2048 * 1024);
    assert_eq!(photo["max_label"], "2048 KB");
    assert!(photo["allowed"].as_array().unwrap().iter().any(|e| e == "png"));
}

async fn same_content_is_stored_once(app: TestApp) {
    app.login_as("jiangmen_admin").await;
    let a = json(upload(&app, "attachment", "a.pdf", pdf_bytes(5)).await).await;
    let b = json(upload(&app, "attachment", "b.pdf", pdf_bytes(5)).await).await;
    assert_ne!(a["id"], b["id"]);
    assert_eq!(a["sha256"], b["sha256"]);
    assert_eq!(app.count("files").await, 2);
    assert_eq!(stored_objects(&app), 1);
}
