use serde::{Deserialize, Serialize};
use shuzhuan_core::FileType;
use utoipa::ToSchema;

/// What a file is for decides which types and sizes are allowed (90-quality: 10 MB for redemption
/// packages, 2048 KB for photos, 100 MB for project evidence). New purposes are added here, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// 附件 / 佐证材料: project evidence and general attachments.
    Attachment,
    /// 照片 / 图片: logos, product pictures, photos.
    Photo,
    /// 兑付材料: service-voucher redemption packages.
    RedemptionPackage,
    /// 申报书 / 盖章文件: signed and stamped documents.
    Document,
    /// 证照与证明材料: licences, credit reports, cooperation proofs, staff lists, contracts (000: "支持 jpg,
    /// png, pdf 等格式"), 10 MB each.
    Credential,
}

const MB: u64 = 1024 * 1024;

impl FilePurpose {
    pub const ALL: [FilePurpose; 5] =
        [FilePurpose::Attachment, FilePurpose::Photo, FilePurpose::RedemptionPackage, FilePurpose::Document, FilePurpose::Credential];

    pub fn as_str(self) -> &'static str {
        match self {
            FilePurpose::Attachment => "attachment",
            FilePurpose::Photo => "photo",
            FilePurpose::RedemptionPackage => "redemption_package",
            FilePurpose::Document => "document",
            FilePurpose::Credential => "credential",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            FilePurpose::Attachment => "附件",
            FilePurpose::Photo => "图片",
            FilePurpose::RedemptionPackage => "兑付材料",
            FilePurpose::Document => "申报书/盖章文件",
            FilePurpose::Credential => "证照与证明材料",
        }
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            FilePurpose::Attachment => 100 * MB,
            FilePurpose::Photo => 2048 * 1024,
            FilePurpose::RedemptionPackage => 10 * MB,
            FilePurpose::Document => 20 * MB,
            FilePurpose::Credential => 10 * MB,
        }
    }

    pub fn allowed(self) -> &'static [FileType] {
        use FileType::*;
        match self {
            FilePurpose::Attachment => &[Pdf, Jpeg, Png, Doc, Docx, Xls, Xlsx, Ppt, Pptx, Zip, Rar, SevenZ, Ofd],
            FilePurpose::Photo => &[Jpeg, Png],
            FilePurpose::RedemptionPackage => &[Pdf, Zip, Rar, SevenZ, Jpeg, Png],
            FilePurpose::Document => &[Pdf, Ofd],
            FilePurpose::Credential => &[Pdf, Jpeg, Png, Ofd, Doc, Docx, Xls, Xlsx],
        }
    }

    /// "10 MB", "2048 KB": how the manuals state limits (small limits in KB, as seed 001 writes them).
    pub fn max_label(self) -> String {
        let b = self.max_bytes();
        if b >= 10 * MB && b % MB == 0 { format!("{} MB", b / MB) } else { format!("{} KB", b / 1024) }
    }
}
