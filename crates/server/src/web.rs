//! Serves the single-page web app: built into the binary (release) or read from `web/dist` (debug builds,
//! or any folder named by `web_dir`), with history-mode fallback to `index.html`.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

// A relative folder is resolved against this crate's manifest directory by rust-embed itself; the
// `$CARGO_MANIFEST_DIR/…` spelling is only expanded with rust-embed's `interpolate-folder-path` feature, and
// without it the release binary silently embedded nothing (the fallback page below). `build.rs` makes cargo
// rebuild when `web/dist` appears or changes.
#[derive(Embed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

#[derive(Clone)]
pub struct WebApp {
    /// A folder read at request time instead of the embedded copy (`web_dir`); `None` serves the embedded app.
    dir: Option<PathBuf>,
}

const NOT_BUILT: &str = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>前端尚未构建</title>\
<body style=\"font-family:sans-serif;padding:2em\"><h1>前端尚未构建</h1><p>请在项目根目录运行 <code>make run</code>\
（或 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>）后刷新本页。接口服务位于 <a href=\"/api/health\">/api/health</a>。</p></body></html>";

impl WebApp {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    fn load(&self, path: &str) -> Option<Vec<u8>> {
        match &self.dir {
            Some(dir) => {
                // Only plain relative paths: no `..`, no absolute components.
                if path.split('/').any(|seg| seg == ".." || seg.contains('\\')) {
                    return None;
                }
                std::fs::read(dir.join(path)).ok()
            }
            None => Assets::get(path).map(|f| f.data.into_owned()),
        }
    }

    pub async fn serve(&self, uri: Uri) -> Response {
        let path = uri.path().trim_start_matches('/');
        if !path.is_empty()
            && let Some(bytes) = self.load(path)
        {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            // Vite fingerprints everything under assets/, so those may be cached for good.
            let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
            return Response::builder()
                .header(header::CONTENT_TYPE, HeaderValue::from_str(mime.as_ref()).unwrap_or(HeaderValue::from_static("application/octet-stream")))
                .header(header::CACHE_CONTROL, cache)
                .body(Body::from(bytes))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
        // A missing file with an extension is a real 404; anything else is a client-side route.
        if path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
            return (StatusCode::NOT_FOUND, "Not Found").into_response();
        }
        match self.load("index.html") {
            Some(index) => (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
                index,
            )
                .into_response(),
            None => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], NOT_BUILT).into_response(),
        }
    }
}
