//! Allow-listed upload types, and a check that a file's content matches its
//! extension.
//!
//! The extension decides the type (it is what the user sees and what
//! downloads will be opened with); the leading bytes only confirm it. Both
//! must agree, so an executable renamed to `.pdf` is refused, and so is a
//! real PNG named `.pdf`, which would fail to open for the reviewer.
//!
//! Content checks are by container family: every ZIP-based format (DOCX,
//! XLSX, PPTX, OFD, ZIP) shares the `PK` signature and telling them apart
//! would need the central directory at the end of the file. A ZIP renamed to
//! `.docx` therefore passes here; deeper inspection, if ever needed, belongs
//! in the server where the whole file is available.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How many leading bytes the caller should pass to [`sniff`] and
/// [`check_upload`]: enough for a PDF header anywhere in the first KiB and
/// for a meaningful look at text encodings. Fewer is fine for short files.
pub const SNIFF_LEN: usize = 8192;

/// Acrobat finds `%PDF-` anywhere in the first 1024 bytes, and some
/// generators emit a BOM or stray bytes before it, so readers that work
/// must be matched.
const PDF_HEADER_WINDOW: usize = 1024;

/// An upload type the platform knows how to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Doc,
    Docx,
    Xls,
    Xlsx,
    Ppt,
    Pptx,
    Zip,
    Rar,
    SevenZ,
    Txt,
    Csv,
    /// OFD (GB/T 33190), the Chinese fixed-layout format used for e-invoices
    /// and official documents; a ZIP container.
    Ofd,
    /// Kingsoft WPS Writer's own format; an OLE2 compound file like `.doc`.
    Wps,
}

/// What the leading bytes of a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sniffed {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// OLE2 compound file: DOC, XLS, PPT, WPS, and password-protected
    /// DOCX/XLSX/PPTX.
    Ole2,
    /// ZIP container: DOCX, XLSX, PPTX, OFD, ZIP.
    Zip,
    Rar,
    SevenZ,
    /// Plain text without NULs or other control characters (tab, line
    /// breaks and form feed allowed).
    Text(TextEncoding),
}

/// Encoding of a text upload. Reported so that the server can decode CSV
/// imports correctly: Excel on Chinese Windows saves CSV as GB18030/GBK by
/// default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextEncoding {
    /// Valid UTF-8 (which includes plain ASCII), with or without a BOM.
    Utf8,
    /// Not UTF-8 but well-formed GB18030 (a superset of GBK and GB2312).
    Gb18030,
}

impl TextEncoding {
    /// The charset parameter for a `Content-Type` header.
    pub fn charset(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Gb18030 => "gb18030",
        }
    }
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileTypeError {
    #[error("文件内容为空")]
    Empty,
    /// The extension is missing, unknown, or not in the allowed list.
    /// `extension` is the lower-cased extension as given, for logs.
    #[error("{}", unsupported_message(.allowed))]
    Unsupported {
        extension: Option<String>,
        allowed: Vec<FileType>,
    },
    /// The extension is allowed but the bytes are something else.
    #[error("文件内容与扩展名不符")]
    ContentMismatch {
        declared: FileType,
        sniffed: Option<Sniffed>,
    },
}

fn unsupported_message(allowed: &[FileType]) -> String {
    if allowed.is_empty() {
        "不支持的文件类型".to_owned()
    } else {
        format!(
            "不支持的文件类型，仅支持：{}",
            FileType::list_labels(allowed)
        )
    }
}

impl FileTypeError {
    pub fn code(&self) -> &'static str {
        match self {
            FileTypeError::Empty => "file_empty",
            FileTypeError::Unsupported { .. } => "file_type_unsupported",
            FileTypeError::ContentMismatch { .. } => "file_content_mismatch",
        }
    }
}

impl FileType {
    pub const ALL: [FileType; 18] = [
        FileType::Pdf,
        FileType::Png,
        FileType::Jpeg,
        FileType::Gif,
        FileType::Webp,
        FileType::Doc,
        FileType::Docx,
        FileType::Xls,
        FileType::Xlsx,
        FileType::Ppt,
        FileType::Pptx,
        FileType::Zip,
        FileType::Rar,
        FileType::SevenZ,
        FileType::Txt,
        FileType::Csv,
        FileType::Ofd,
        FileType::Wps,
    ];

    /// Recognised extensions, canonical first; without the dot, lower case.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Gif => &["gif"],
            FileType::Webp => &["webp"],
            FileType::Doc => &["doc"],
            FileType::Docx => &["docx"],
            FileType::Xls => &["xls"],
            FileType::Xlsx => &["xlsx"],
            FileType::Ppt => &["ppt"],
            FileType::Pptx => &["pptx"],
            FileType::Zip => &["zip"],
            FileType::Rar => &["rar"],
            FileType::SevenZ => &["7z"],
            FileType::Txt => &["txt"],
            FileType::Csv => &["csv"],
            FileType::Ofd => &["ofd"],
            FileType::Wps => &["wps"],
        }
    }

    /// The canonical extension, also the serialized form: `"pdf"`, `"jpg"`, `"7z"`.
    pub fn extension(self) -> &'static str {
        self.extensions()[0]
    }

    /// Upper-case name shown to users: `"PDF"`, `"JPG"`, `"7Z"`.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPG",
            FileType::Gif => "GIF",
            FileType::Webp => "WEBP",
            FileType::Doc => "DOC",
            FileType::Docx => "DOCX",
            FileType::Xls => "XLS",
            FileType::Xlsx => "XLSX",
            FileType::Ppt => "PPT",
            FileType::Pptx => "PPTX",
            FileType::Zip => "ZIP",
            FileType::Rar => "RAR",
            FileType::SevenZ => "7Z",
            FileType::Txt => "TXT",
            FileType::Csv => "CSV",
            FileType::Ofd => "OFD",
            FileType::Wps => "WPS",
        }
    }

    /// The type for an extension, with or without the leading dot, any case.
    pub fn from_extension(ext: &str) -> Option<FileType> {
        let ext = ext.trim();
        let ext = ext.strip_prefix('.').unwrap_or(ext).to_ascii_lowercase();
        FileType::ALL
            .into_iter()
            .find(|t| t.extensions().contains(&ext.as_str()))
    }

    /// MIME type for `Content-Type` when serving the file. Text types carry
    /// no charset because it depends on the file; add
    /// [`TextEncoding::charset`] from [`sniff`].
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Gif => "image/gif",
            FileType::Webp => "image/webp",
            FileType::Doc => "application/msword",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xls => "application/vnd.ms-excel",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Ppt => "application/vnd.ms-powerpoint",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::Zip => "application/zip",
            FileType::Rar => "application/vnd.rar",
            FileType::SevenZ => "application/x-7z-compressed",
            FileType::Txt => "text/plain",
            FileType::Csv => "text/csv",
            // Not IANA-registered; this is the name OFD readers register.
            FileType::Ofd => "application/ofd",
            // No registered type; octet-stream makes browsers download it
            // instead of guessing.
            FileType::Wps => "application/octet-stream",
        }
    }

    /// Whether content sniffed as `sniffed` is an acceptable body for a file
    /// with this extension.
    pub fn accepts(self, sniffed: Sniffed) -> bool {
        use FileType as F;
        match self {
            F::Pdf => sniffed == Sniffed::Pdf,
            F::Png => sniffed == Sniffed::Png,
            F::Jpeg => sniffed == Sniffed::Jpeg,
            F::Gif => sniffed == Sniffed::Gif,
            F::Webp => sniffed == Sniffed::Webp,
            F::Doc | F::Xls | F::Ppt | F::Wps => sniffed == Sniffed::Ole2,
            // Office wraps password-protected OOXML files in an OLE2 container.
            F::Docx | F::Xlsx | F::Pptx => matches!(sniffed, Sniffed::Zip | Sniffed::Ole2),
            F::Zip | F::Ofd => sniffed == Sniffed::Zip,
            F::Rar => sniffed == Sniffed::Rar,
            F::SevenZ => sniffed == Sniffed::SevenZ,
            F::Txt | F::Csv => matches!(sniffed, Sniffed::Text(_)),
        }
    }

    /// Labels joined for messages and hints: `"PDF、JPG、PNG"`.
    pub fn list_labels(types: &[FileType]) -> String {
        types
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Value for an HTML `<input type="file" accept="...">`, so the browser's
    /// picker agrees with the server: `".pdf,.jpg,.jpeg,.png"`.
    pub fn html_accept(types: &[FileType]) -> String {
        types
            .iter()
            .flat_map(|t| t.extensions())
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Identifies the format of a file from its leading bytes, or `None` if it
/// is none of the allow-listed formats (executables, HTML-with-binary, …).
pub fn sniff(first_bytes: &[u8]) -> Option<Sniffed> {
    const MAGICS: [(&[u8], Sniffed); 11] = [
        (b"\x89PNG\r\n\x1a\n", Sniffed::Png),
        (b"\xff\xd8\xff", Sniffed::Jpeg),
        (b"GIF87a", Sniffed::Gif),
        (b"GIF89a", Sniffed::Gif),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Sniffed::Ole2),
        (b"PK\x03\x04", Sniffed::Zip),
        // Empty archive, and the marker some streaming writers put first.
        (b"PK\x05\x06", Sniffed::Zip),
        (b"PK\x07\x08", Sniffed::Zip),
        (b"Rar!\x1a\x07\x00", Sniffed::Rar),
        (b"Rar!\x1a\x07\x01\x00", Sniffed::Rar),
        (b"7z\xbc\xaf\x27\x1c", Sniffed::SevenZ),
    ];
    if let Some((_, kind)) = MAGICS
        .iter()
        .find(|(magic, _)| first_bytes.starts_with(magic))
    {
        return Some(*kind);
    }
    if first_bytes.len() >= 12 && &first_bytes[0..4] == b"RIFF" && &first_bytes[8..12] == b"WEBP" {
        return Some(Sniffed::Webp);
    }
    let window = &first_bytes[..first_bytes.len().min(PDF_HEADER_WINDOW)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return Some(Sniffed::Pdf);
    }
    sniff_text(first_bytes).map(Sniffed::Text)
}

fn sniff_text(bytes: &[u8]) -> Option<TextEncoding> {
    if bytes.is_empty() {
        return None;
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // Binary formats almost always have NULs or other C0 controls early on;
    // text has none beyond tab, line breaks and the occasional form feed.
    if body
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
    {
        return None;
    }
    match std::str::from_utf8(body) {
        Ok(_) => return Some(TextEncoding::Utf8),
        // `error_len() == None` means only the final character is cut off,
        // which happens whenever the prefix ends mid-character.
        Err(e) if e.error_len().is_none() => return Some(TextEncoding::Utf8),
        Err(_) => {}
    }
    is_gb18030(body).then_some(TextEncoding::Gb18030)
}

/// Structural GB18030 check: one byte below 0x80, two bytes with a lead of
/// 0x81–0xFE, or four bytes alternating lead and 0x30–0x39. A sequence cut
/// off at the end of the buffer is accepted, as for UTF-8.
fn is_gb18030(bytes: &[u8]) -> bool {
    let lead = |b: u8| (0x81..=0xfe).contains(&b);
    let digit = |b: u8| b.is_ascii_digit();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        if !lead(b) {
            return false;
        }
        let Some(&b2) = bytes.get(i + 1) else {
            return true;
        };
        if (0x40..=0x7e).contains(&b2) || (0x80..=0xfe).contains(&b2) {
            i += 2;
        } else if digit(b2) {
            let tail = &bytes[i + 2..bytes.len().min(i + 4)];
            let ok =
                tail.first().is_none_or(|&b3| lead(b3)) && tail.get(1).is_none_or(|&b4| digit(b4));
            if !ok {
                return false;
            }
            i += 4;
        } else {
            return false;
        }
    }
    true
}

/// The lower-cased extension of a file name that may carry a client path
/// (`C:\fakepath\a.pdf`).
fn extension_of(filename: &str) -> Option<String> {
    let base = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(filename)
        .trim();
    let (_, ext) = base.rsplit_once('.')?;
    (!ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Accepts an upload only if its extension is in `allowed` and its leading
/// bytes (see [`SNIFF_LEN`]) match that extension's format.
///
/// Returns the type to record and serve the file as.
pub fn check_upload(
    filename: &str,
    first_bytes: &[u8],
    allowed: &[FileType],
) -> Result<FileType, FileTypeError> {
    let extension = extension_of(filename);
    let declared = extension
        .as_deref()
        .and_then(FileType::from_extension)
        .filter(|t| allowed.contains(t))
        .ok_or_else(|| FileTypeError::Unsupported {
            extension,
            allowed: allowed.to_vec(),
        })?;
    if first_bytes.is_empty() {
        return Err(FileTypeError::Empty);
    }
    let sniffed = sniff(first_bytes);
    match sniffed {
        Some(s) if declared.accepts(s) => Ok(declared),
        _ => Err(FileTypeError::ContentMismatch { declared, sniffed }),
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for FileType {
    type Err = FileTypeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FileType::from_extension(s).ok_or_else(|| FileTypeError::Unsupported {
            extension: Some(s.trim().to_ascii_lowercase()),
            allowed: FileType::ALL.to_vec(),
        })
    }
}

impl TryFrom<String> for FileType {
    type Error = FileTypeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<FileType> for String {
    fn from(t: FileType) -> String {
        t.extension().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00";
    const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00";
    const WEBP: &[u8] = b"RIFF\x24\x00\x00\x00WEBPVP8 ";
    const OLE2: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00";
    const ZIP: &[u8] = b"PK\x03\x04\x14\x00\x06\x00\x08\x00";
    const RAR4: &[u8] = b"Rar!\x1a\x07\x00\xcf\x90\x73";
    const RAR5: &[u8] = b"Rar!\x1a\x07\x01\x00\x33\x92";
    const SEVEN_Z: &[u8] = b"7z\xbc\xaf\x27\x1c\x00\x04";
    const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";
    const UTF8_CSV: &[u8] =
        "企业名称,统一社会信用代码\r\n示例公司,91350100M000100Y43\r\n".as_bytes();
    // "企业名称,金额\r\n" in GBK.
    const GBK_CSV: &[u8] = b"\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6,\xbd\xf0\xb6\xee\r\n";

    #[test]
    fn sniffs_magic_numbers() {
        assert_eq!(sniff(PDF), Some(Sniffed::Pdf));
        assert_eq!(sniff(PNG), Some(Sniffed::Png));
        assert_eq!(sniff(JPEG), Some(Sniffed::Jpeg));
        assert_eq!(sniff(GIF), Some(Sniffed::Gif));
        assert_eq!(sniff(b"GIF87a\x01\x00"), Some(Sniffed::Gif));
        assert_eq!(sniff(WEBP), Some(Sniffed::Webp));
        assert_eq!(sniff(OLE2), Some(Sniffed::Ole2));
        assert_eq!(sniff(ZIP), Some(Sniffed::Zip));
        assert_eq!(sniff(b"PK\x05\x06\x00\x00"), Some(Sniffed::Zip));
        assert_eq!(sniff(RAR4), Some(Sniffed::Rar));
        assert_eq!(sniff(RAR5), Some(Sniffed::Rar));
        assert_eq!(sniff(SEVEN_Z), Some(Sniffed::SevenZ));
        assert_eq!(sniff(EXE), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\x00"), None);
        assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WAVEfmt "), None);
    }

    #[test]
    fn pdf_header_may_follow_junk_within_the_first_kib() {
        let mut bytes = b"\xef\xbb\xbf\r\n".to_vec();
        bytes.extend_from_slice(PDF);
        assert_eq!(sniff(&bytes), Some(Sniffed::Pdf));
        let mut late = vec![0u8; PDF_HEADER_WINDOW];
        late.extend_from_slice(PDF);
        assert_eq!(sniff(&late), None);
    }

    #[test]
    fn sniffs_text_encodings() {
        assert_eq!(
            sniff(b"hello, world\n"),
            Some(Sniffed::Text(TextEncoding::Utf8))
        );
        assert_eq!(sniff(UTF8_CSV), Some(Sniffed::Text(TextEncoding::Utf8)));
        assert_eq!(
            sniff(b"\xef\xbb\xbfa,b\n"),
            Some(Sniffed::Text(TextEncoding::Utf8))
        );
        assert_eq!(sniff(GBK_CSV), Some(Sniffed::Text(TextEncoding::Gb18030)));
        // GB18030 four-byte sequence (U+00A5 is 0x81 0x30 0x84 0x36).
        assert_eq!(
            sniff(b"\x81\x30\x84\x36abc"),
            Some(Sniffed::Text(TextEncoding::Gb18030))
        );
        assert_eq!(sniff(b"a\x00b"), None);
        assert_eq!(sniff(b"abc\x1b[0m"), None);
        assert_eq!(sniff(b"\x80\x80\x80"), None);
        assert_eq!(sniff(b"\xff\xfea\x00"), None, "UTF-16 is not accepted");
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn text_cut_mid_character_is_still_text() {
        let utf8 = "统一社会信用代码".as_bytes();
        assert_eq!(
            sniff(&utf8[..utf8.len() - 1]),
            Some(Sniffed::Text(TextEncoding::Utf8))
        );
        assert_eq!(
            sniff(&GBK_CSV[..3]),
            Some(Sniffed::Text(TextEncoding::Gb18030))
        );
        assert_eq!(
            sniff(b"ab\x81\x30\x84"),
            Some(Sniffed::Text(TextEncoding::Gb18030))
        );
        assert_eq!(sniff(b"ab\x81\x30\x20\x36"), None);
    }

    #[test]
    fn extensions() {
        assert_eq!(FileType::from_extension("pdf"), Some(FileType::Pdf));
        assert_eq!(FileType::from_extension(".PDF"), Some(FileType::Pdf));
        assert_eq!(FileType::from_extension("jpeg"), Some(FileType::Jpeg));
        assert_eq!(FileType::from_extension("JPG"), Some(FileType::Jpeg));
        assert_eq!(FileType::from_extension("7z"), Some(FileType::SevenZ));
        assert_eq!(FileType::from_extension("exe"), None);
        assert_eq!(FileType::from_extension(""), None);
        for t in FileType::ALL {
            for ext in t.extensions() {
                assert_eq!(FileType::from_extension(ext), Some(t));
            }
            assert_eq!(t.label(), t.label().to_ascii_uppercase());
            assert!(!t.content_type().is_empty());
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(FileType::Pdf.content_type(), "application/pdf");
        assert_eq!(FileType::Jpeg.content_type(), "image/jpeg");
        assert_eq!(
            FileType::Xlsx.content_type(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(FileType::Csv.content_type(), "text/csv");
        assert_eq!(TextEncoding::Gb18030.charset(), "gb18030");
    }

    const DOCS: &[FileType] = &[FileType::Pdf, FileType::Jpeg, FileType::Png];

    #[test]
    fn check_upload_accepts_matching_files() {
        assert_eq!(check_upload("营业执照.pdf", PDF, DOCS), Ok(FileType::Pdf));
        assert_eq!(check_upload("photo.JPEG", JPEG, DOCS), Ok(FileType::Jpeg));
        assert_eq!(
            check_upload("C:\\fakepath\\scan.png", PNG, DOCS),
            Ok(FileType::Png)
        );
        let all = &FileType::ALL;
        assert_eq!(check_upload("a.docx", ZIP, all), Ok(FileType::Docx));
        assert_eq!(
            check_upload("protected.xlsx", OLE2, all),
            Ok(FileType::Xlsx)
        );
        assert_eq!(check_upload("a.xls", OLE2, all), Ok(FileType::Xls));
        assert_eq!(check_upload("a.wps", OLE2, all), Ok(FileType::Wps));
        assert_eq!(check_upload("发票.ofd", ZIP, all), Ok(FileType::Ofd));
        assert_eq!(check_upload("a.rar", RAR5, all), Ok(FileType::Rar));
        assert_eq!(check_upload("a.7z", SEVEN_Z, all), Ok(FileType::SevenZ));
        assert_eq!(check_upload("名单.csv", GBK_CSV, all), Ok(FileType::Csv));
        assert_eq!(check_upload("说明.txt", UTF8_CSV, all), Ok(FileType::Txt));
        assert_eq!(check_upload("a.webp", WEBP, all), Ok(FileType::Webp));
        assert_eq!(check_upload("a.gif", GIF, all), Ok(FileType::Gif));
    }

    #[test]
    fn check_upload_refuses_disguised_content() {
        let err = check_upload("营业执照.pdf", PNG, DOCS).unwrap_err();
        assert_eq!(
            err,
            FileTypeError::ContentMismatch {
                declared: FileType::Pdf,
                sniffed: Some(Sniffed::Png)
            }
        );
        assert_eq!(err.to_string(), "文件内容与扩展名不符");
        assert_eq!(err.code(), "file_content_mismatch");
        assert_eq!(
            check_upload("a.pdf", EXE, DOCS).unwrap_err().code(),
            "file_content_mismatch"
        );
        let all = &FileType::ALL;
        assert_eq!(
            check_upload("a.doc", ZIP, all).unwrap_err().code(),
            "file_content_mismatch"
        );
        assert_eq!(
            check_upload("a.zip", OLE2, all).unwrap_err().code(),
            "file_content_mismatch"
        );
        assert_eq!(
            check_upload("a.txt", EXE, all).unwrap_err().code(),
            "file_content_mismatch"
        );
        assert_eq!(
            check_upload("a.csv", ZIP, all).unwrap_err().code(),
            "file_content_mismatch"
        );
    }

    #[test]
    fn check_upload_refuses_types_not_allowed() {
        let err = check_upload("setup.exe", EXE, DOCS).unwrap_err();
        assert_eq!(err.to_string(), "不支持的文件类型，仅支持：PDF、JPG、PNG");
        assert_eq!(err.code(), "file_type_unsupported");
        assert_eq!(
            err,
            FileTypeError::Unsupported {
                extension: Some("exe".into()),
                allowed: DOCS.to_vec()
            }
        );
        for name in [
            "invoice.pdf.exe",
            "no_extension",
            "trailing.",
            "a.docx",
            "a.pdf/evil",
        ] {
            assert_eq!(
                check_upload(name, PDF, DOCS).unwrap_err().code(),
                "file_type_unsupported",
                "{name}"
            );
        }
        assert_eq!(
            check_upload("a.pdf", PDF, &[]).unwrap_err().to_string(),
            "不支持的文件类型"
        );
    }

    #[test]
    fn check_upload_refuses_empty_files() {
        let err = check_upload("a.pdf", b"", DOCS).unwrap_err();
        assert_eq!(err, FileTypeError::Empty);
        assert_eq!(err.to_string(), "文件内容为空");
    }

    #[test]
    fn helpers_for_ui() {
        assert_eq!(FileType::list_labels(DOCS), "PDF、JPG、PNG");
        assert_eq!(FileType::html_accept(DOCS), ".pdf,.jpg,.jpeg,.png");
    }

    #[test]
    fn serde_uses_canonical_extension() {
        assert_eq!(serde_json::to_string(&FileType::Jpeg).unwrap(), "\"jpg\"");
        assert_eq!(serde_json::to_string(&FileType::SevenZ).unwrap(), "\"7z\"");
        assert_eq!(
            serde_json::from_str::<FileType>("\"JPEG\"").unwrap(),
            FileType::Jpeg
        );
        assert!(serde_json::from_str::<FileType>("\"exe\"").is_err());
        assert_eq!(
            serde_json::to_string(&TextEncoding::Gb18030).unwrap(),
            "\"gb18030\""
        );
        for t in FileType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<FileType>(&json).unwrap(), t);
            assert_eq!(t.to_string().parse::<FileType>().unwrap(), t);
        }
    }

    proptest! {
        #[test]
        fn sniff_and_check_never_panic(
            bytes in prop::collection::vec(any::<u8>(), 0..64),
            name in "\\PC{0,12}",
        ) {
            let _ = sniff(&bytes);
            let _ = check_upload(&name, &bytes, &FileType::ALL);
        }

        #[test]
        fn any_utf8_text_without_controls_is_text(s in "[^\\x00-\\x1f]{1,64}") {
            prop_assert_eq!(sniff_text(s.as_bytes()), Some(TextEncoding::Utf8));
            // And any prefix of it, since callers pass a fixed-size head.
            for cut in 1..s.len() {
                prop_assert!(sniff_text(&s.as_bytes()[..cut]).is_some());
            }
        }

        #[test]
        fn a_known_magic_wins_over_any_suffix(
            magic in prop::sample::select(vec![PDF, PNG, JPEG, GIF, WEBP, OLE2, ZIP, RAR4, RAR5, SEVEN_Z]),
            tail in prop::collection::vec(any::<u8>(), 0..64),
        ) {
            let mut bytes = magic.to_vec();
            bytes.extend(tail);
            prop_assert_eq!(sniff(&bytes), sniff(magic));
            prop_assert!(sniff(magic).is_some());
        }
    }
}
