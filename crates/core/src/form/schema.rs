//! The form document: sections of fields, as officials design them and as the server stores each version.
//! The JSON shape is documented field by field in `docs/forms.md`; decision 0014 says why it is our own.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A form as designed: its title and its sections (shown as tabs). Field keys are unique across the whole
/// form, so a value document is one flat object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormSchema {
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub key: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    #[serde(default)]
    pub label: String,
    /// Help under the input (what to write, the unit's meaning, an example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Shown (and checked) only while another field has a value: a 是/否 answered 是, a choice picked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Text fields only: what the text is beyond its length (`"uscc"`: a 统一社会信用代码, `"phone"`: a mobile
    /// phone number, both checked with the core's parsers; `"company_name"`: a name the web looks up in the
    /// registry). A key of the field beside `"type": "text"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    #[serde(flatten)]
    pub kind: FieldKind,
}

/// `{"field": "has_patents", "equals": true}`: the field named must be a 是/否 or single-choice field that
/// comes earlier in the form, so a condition can never depend on itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub equals: Value,
}

/// What a field holds. Serialized with `"type"` beside the field's other keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldKind {
    /// One line of text.
    Text {
        #[serde(default = "default_text_max")]
        max_length: u32,
        #[serde(default, skip_serializing_if = "is_zero")]
        min_length: u32,
    },
    /// A paragraph, with a counter.
    LongText {
        #[serde(default = "default_long_text_max")]
        max_length: u32,
        #[serde(default, skip_serializing_if = "is_zero")]
        min_length: u32,
    },
    /// A number with a unit (人, 项, %): exact decimals, at most `decimals` places.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<serde_json::Number>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<serde_json::Number>,
        #[serde(default, skip_serializing_if = "is_zero_u8")]
        decimals: u8,
    },
    /// An amount in 万元, exact to the fen (six decimals), never a float.
    Money {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<serde_json::Number>,
    },
    Date {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<String>,
    },
    /// `{"start": "2024-01-01", "end": "2024-12-31"}`.
    DateRange,
    /// Single (a string) or multiple (a list) choice; `other` adds 「其他」 whose text is the value of
    /// `<key>_other`.
    Choice {
        options: Vec<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        multiple: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        other: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_selected: Option<u32>,
    },
    /// 是 / 否 (`true` / `false`); sub-fields follow with `when`.
    YesNo,
    /// An administrative region (省/市/区县/镇街), picked from the region tree: its 6- or 9-digit code.
    Region,
    /// Repeating rows: fixed (financial years 2021 / 2022 / 2023, one row each, labelled) or added by the
    /// user between `min_rows` and `max_rows`.
    Table {
        /// Text, long text, number, money, date, single choice (without 「其他」), 是/否 or file columns (one
        /// row's own files, such as its 项目合同: at most 5 a cell, no template), none with a condition.
        columns: Vec<Field>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fixed_rows: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row_label: Option<String>,
        #[serde(default, skip_serializing_if = "is_zero")]
        min_rows: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_rows: Option<u32>,
    },
    /// Uploaded files (ids of stored files); as a table column, each row's cell holds its own.
    File {
        accept: Vec<String>,
        #[serde(default = "default_max_mb")]
        max_mb: u32,
        #[serde(default = "one")]
        max_count: u32,
        /// A template to download and fill in: a stored file id or a path the platform serves.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        template: Option<Template>,
    },
    /// Filled by the server from the applicant's profile or latest assessment: see [`REFERENCE_SOURCES`].
    Reference { source: String },
    /// Computed by the server, never typed: the sum of a table's number or money column.
    Computed { sum: ColumnRef },
    /// Read-only text (an explanation, a legal notice). Holds no value.
    Notice { text: String },
}

/// A text field's format, checked by the core's parsers (`Uscc::parse`, `Phone::parse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    /// 统一社会信用代码: 18 characters with a correct check character.
    Uscc,
    /// A mainland mobile phone number (11 digits, 13x–19x).
    Phone,
    /// A company's name: any text, but the web offers the registered companies as the user types, and
    /// picking one fills the form's credit-code field and region field (the 信息变更 form's 企业名称).
    CompanyName,
}

impl TextFormat {
    /// The `max_length` a field of this format needs at least.
    pub fn min_max_length(self) -> u32 {
        match self {
            TextFormat::Uscc => 18,
            TextFormat::Phone => 11,
            TextFormat::CompanyName => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TextFormat::Uscc => "统一社会信用代码",
            TextFormat::Phone => "手机号码",
            TextFormat::CompanyName => "企业名称（可搜索）",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnRef {
    pub table: String,
    pub column: String,
}

fn default_text_max() -> u32 {
    200
}
fn default_long_text_max() -> u32 {
    2000
}
fn default_max_mb() -> u32 {
    20
}
fn one() -> u32 {
    1
}
fn is_zero(n: &u32) -> bool {
    *n == 0
}
fn is_zero_u8(n: &u8) -> bool {
    *n == 0
}

/// Where a reference field takes its value, with the label the designer shows. The server fills them on
/// every save from the database; what a browser sends for them is ignored.
pub const REFERENCE_SOURCES: &[(&str, &str)] = &[
    ("org.name", "单位名称"),
    ("org.uscc", "统一社会信用代码"),
    ("org.region", "所属地区"),
    ("org.address", "通讯地址"),
    ("org.industry", "所属行业"),
    ("org.size", "企业规模"),
    ("org.nature", "企业性质"),
    ("org.headcount", "从业人数"),
    ("org.main_product", "主营产品"),
    ("org.contact_name", "联系人"),
    ("assessment.level", "数字化水平等级"),
    ("assessment.score", "数字化水平评测得分"),
    ("assessment.date", "评测完成日期"),
];

/// The file types a file field may accept (extensions as `files::FileType` knows them).
pub const FILE_TYPES: &[&str] = &["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "zip", "rar", "ofd"];

/// Bounds that keep a form reasonable to fill and to store.
pub const MAX_SECTIONS: usize = 30;
pub const MAX_FIELDS: usize = 400;
pub const MAX_OPTIONS: usize = 200;
pub const MAX_TEXT: u32 = 50_000;
pub const MAX_ROWS: u32 = 500;
pub const MAX_FILE_MB: u32 = 200;
pub const MAX_FILES: u32 = 50;

/// Every field of the form in document order, with its section, table columns excluded.
pub fn all_fields(schema: &FormSchema) -> impl Iterator<Item = (&Section, &Field)> {
    schema.sections.iter().flat_map(|s| s.fields.iter().map(move |f| (s, f)))
}

impl FormSchema {
    /// The top-level field with `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        all_fields(self).map(|(_, f)| f).find(|f| f.key == key)
    }
}

impl Field {
    /// The label, or the key when the designer left it empty (notices).
    pub fn name(&self) -> &str {
        if self.label.trim().is_empty() { &self.key } else { self.label.trim() }
    }

    /// Whether the field holds a value the user types or picks.
    pub fn is_input(&self) -> bool {
        !matches!(self.kind, FieldKind::Notice { .. } | FieldKind::Reference { .. } | FieldKind::Computed { .. })
    }

    /// A short Chinese name of the kind, for the designer and messages.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            FieldKind::Text { .. } => "单行文本",
            FieldKind::LongText { .. } => "多行文本",
            FieldKind::Number { .. } => "数字",
            FieldKind::Money { .. } => "金额（万元）",
            FieldKind::Date { .. } => "日期",
            FieldKind::DateRange => "日期范围",
            FieldKind::Choice { multiple: false, .. } => "单选",
            FieldKind::Choice { multiple: true, .. } => "多选",
            FieldKind::YesNo => "是/否",
            FieldKind::Region => "地区",
            FieldKind::Table { .. } => "表格",
            FieldKind::File { .. } => "附件",
            FieldKind::Reference { .. } => "引用信息",
            FieldKind::Computed { .. } => "自动计算",
            FieldKind::Notice { .. } => "说明文字",
        }
    }
}
