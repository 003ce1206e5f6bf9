//! PDF documents (assessment reports, later application documents) rendered by Typst used as a library.
//! A template is Typst markup that reads its data with `json("/data.json")`; nothing is fetched from the
//! network (no Typst packages), and fonts come from local folders (`pdf_font_dirs`), so Chinese renders
//! with the machine's CJK fonts (Debian: fonts-noto-cjk) or fonts shipped beside the binary.
//!
//! Memory: Typst memoizes its work in a process-wide cache (comemo) that nothing empties by itself, so every
//! distinct document would stay there (about 1.7 MB each). [`render`] ages the cache after each document, as
//! Typst's own `watch` command does after each compilation: what the last few documents did not use is
//! dropped, what every document uses (fonts, the standard library) stays warm. Rendering runs behind the
//! PDF gate (`gate.rs`, `[capacity] pdf_renders`), so only that many documents are in memory at once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst_layout::PagedDocument;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("未找到中文字体，无法生成 PDF：请安装 fonts-noto-cjk，或在配置 pdf_font_dirs 中指定字体目录")]
    NoCjkFont,
    #[error("PDF 生成失败：{0}")]
    Render(String),
}

/// Fonts found in the configured folders. Their list (the book) is read once per process on first use;
/// a font file's data only when a document first uses one of its faces. So an idle server holds no CJK
/// glyphs, and a busy one only the files its templates use (the Noto Sans CJK collections, not every
/// installed weight and serif: 40 of 89 MB on Debian's fonts-noto-cjk).
pub struct Fonts {
    book: LazyHash<FontBook>,
    faces: Vec<Face>,
    files: Vec<FontFile>,
    has_cjk: bool,
}

struct Face {
    file: usize,
    index: u32,
    font: OnceLock<Option<Font>>,
}

struct FontFile {
    path: PathBuf,
    data: OnceLock<Option<Bytes>>,
}

impl Fonts {
    pub fn load(dirs: &[PathBuf]) -> Self {
        let mut paths = Vec::new();
        for dir in dirs {
            collect(dir, &mut paths);
        }
        let (mut book, mut faces, mut files, mut has_cjk) = (FontBook::new(), Vec::new(), Vec::new(), false);
        for path in paths {
            // Read to list the faces, then let go: the data comes back when a document needs it.
            let Ok(data) = std::fs::read(&path) else { continue };
            for font in Font::iter(Bytes::new(data)) {
                has_cjk |= is_cjk(&font.info().family);
                book.push(font.info().clone());
                faces.push(Face { file: files.len(), index: font.index(), font: OnceLock::new() });
            }
            files.push(FontFile { path, data: OnceLock::new() });
        }
        Self { book: LazyHash::new(book), faces, files, has_cjk }
    }

    pub fn has_cjk(&self) -> bool {
        self.has_cjk
    }

    pub fn count(&self) -> usize {
        self.faces.len()
    }

    fn font(&self, index: usize) -> Option<Font> {
        let face = self.faces.get(index)?;
        face.font
            .get_or_init(|| {
                let file = &self.files[face.file];
                let data = file.data.get_or_init(|| std::fs::read(&file.path).ok().map(Bytes::new)).clone()?;
                Font::new(data, face.index)
            })
            .clone()
    }
}

fn is_cjk(family: &str) -> bool {
    let family = family.to_lowercase();
    family.contains("cjk") || family.contains("han sans") || family.contains("han serif") || family.contains("simsun") || family.contains("hei")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
            out.push(path);
        }
    }
}

static SHARED: OnceLock<Arc<Fonts>> = OnceLock::new();

/// The process-wide font set for these folders (the first caller's folders win; they come from the
/// configuration, which does not change while the process runs).
pub fn fonts(dirs: &[PathBuf]) -> Arc<Fonts> {
    SHARED.get_or_init(|| Arc::new(Fonts::load(dirs))).clone()
}

struct ReportWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
}

fn file_id(path: &str) -> FileId {
    FileId::new(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("static virtual path")))
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotFound(PathBuf::from("source"))) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id { Ok(self.data.clone()) } else { Err(FileError::NotFound(PathBuf::from("file"))) }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Memoized results unused for this many documents are evicted after each one (Typst's `watch` uses 10).
const CACHE_MAX_AGE: usize = 10;

/// Renders `template` with `data` available as `json("/data.json")`, then ages Typst's cache. CPU-bound:
/// call it from a blocking task (requests: through the PDF gate, as [`response`] does).
pub fn render(template: &str, data: &serde_json::Value, fonts: Arc<Fonts>) -> Result<Vec<u8>, PdfError> {
    let pdf = compile(template, data, fonts);
    typst::comemo::evict(CACHE_MAX_AGE);
    pdf
}

fn compile(template: &str, data: &serde_json::Value, fonts: Arc<Fonts>) -> Result<Vec<u8>, PdfError> {
    if !fonts.has_cjk() {
        return Err(PdfError::NoCjkFont);
    }
    let now = chrono::Utc::now().with_timezone(&crate::time::china());
    use chrono::Datelike;
    let world = ReportWorld {
        library: LazyHash::new(Library::default()),
        fonts,
        main: Source::new(file_id("/main.typ"), template.to_string()),
        data_id: file_id("/data.json"),
        data: Bytes::new(serde_json::to_vec(data).expect("JSON serializes")),
        today: Datetime::from_ymd(now.year(), now.month() as u8, now.day() as u8).expect("valid date"),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| PdfError::Render(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| PdfError::Render(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))
}

/// Renders behind the PDF gate and answers with the PDF as a download named `filename`. A full queue is a
/// 503 with `Retry-After`; a missing CJK font is the operator's to fix (503 with the install hint); anything
/// else a bug.
pub async fn response(state: &crate::state::AppState, template: &'static str, data: serde_json::Value, filename: &str) -> crate::error::ApiResult<axum::response::Response> {
    use crate::error::ApiError;
    let font_dirs = state.config.pdf_font_dirs.clone();
    let pdf = state
        .pdf_renders
        .run(move || render(template, &data, fonts(&font_dirs)))
        .await?
        .map_err(|e| match e {
            PdfError::NoCjkFont => ApiError::Unavailable(e.to_string()),
            other => ApiError::Internal(anyhow::anyhow!(other.to_string())),
        })?;
    axum::response::Response::builder()
        .header(axum::http::header::CONTENT_TYPE, "application/pdf")
        .header(axum::http::header::CONTENT_DISPOSITION, crate::http::content_disposition(filename))
        .body(axum::body::Body::from(pdf))
        .map_err(|e| ApiError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_chinese_text_from_data() {
        let fonts = Arc::new(Fonts::load(&[PathBuf::from("/usr/share/fonts/opentype/noto")]));
        assert!(fonts.has_cjk(), "CI installs fonts-noto-cjk");
        let template = r#"#set text(font: "Noto Sans CJK SC", lang: "zh")
#let data = json("/data.json")
= 评测报告
企业：#data.name"#;
        let pdf = render(template, &serde_json::json!({"name": "江门市测试制造有限公司"}), fonts).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() > 1000);
    }

    #[test]
    fn missing_cjk_fonts_are_reported_clearly() {
        let fonts = Arc::new(Fonts::load(&[PathBuf::from("/nonexistent")]));
        let err = render("hello", &serde_json::json!({}), fonts).unwrap_err();
        assert!(err.to_string().contains("fonts-noto-cjk"));
    }
}
