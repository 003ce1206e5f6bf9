//! What an official sets on a call (spec `50-calls-portal-admin.md`, Calls): stored as one JSON document
//! beside the columns lists filter on (window, status, form).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shuzhuan_core::form::{valid_key, FILE_TYPES, MAX_FILES, MAX_FILE_MB};
use shuzhuan_core::{IndustryCode, RegionCode, Uscc};
use utoipa::ToSchema;

use crate::error::FieldError;

/// 申报通知's structured metadata (seed 004 图3), as the portal shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Notice {
    /// 政策层级
    pub policy_level: String,
    /// 发布地区
    pub region: String,
    /// 政策批次
    pub batch: String,
    /// 主管部门
    pub department: String,
    /// 申请对象
    pub applicant: String,
    /// 补贴对象
    pub beneficiary: String,
    /// 行业类别
    pub industries: String,
    /// 企业规模
    pub sizes: String,
    /// 申报类型
    pub application_type: String,
    /// 支持方式
    pub support: String,
    /// 文件依据
    pub basis: String,
    /// 申报条件 (selection conditions, direct-recognition qualifications).
    pub conditions: String,
}

/// Who may apply, checked by the server when an enterprise applies and when it submits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Eligibility {
    /// GB/T 4754-2017 codes at any level; the applicant's industry must lie under one. Empty: any.
    pub industries: Vec<String>,
    /// 大型 / 中型 / 小型 / 微型. Empty: any.
    pub sizes: Vec<String>,
    /// Region codes the applicant must be registered within. Empty: the running bureau's region.
    pub regions: Vec<String>,
    /// No other exclusive application of the same year may be pending (004: 不得同时申报其他试点).
    pub exclusive: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssessmentRequirement {
    pub required: bool,
    /// The lowest level accepted (「二级」); none = any finished self-assessment.
    #[serde(default)]
    pub min_level: Option<String>,
}

/// One item of the attachment list (附件材料).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AttachmentItem {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub required: bool,
    pub accept: Vec<String>,
    #[serde(default = "default_max_mb")]
    pub max_mb: u32,
    #[serde(default = "one")]
    pub max_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_file_id: Option<String>,
}

fn default_max_mb() -> u32 {
    20
}
fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    #[schema(value_type = String, format = DateTime)]
    pub opens_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub closes_at: DateTime<Utc>,
    /// `all` or `listed`.
    #[serde(default = "all")]
    pub applicants: String,
    #[serde(default)]
    pub listed_usccs: Vec<String>,
    #[serde(default)]
    pub district_review: bool,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub district_deadline: Option<DateTime<Utc>>,
    #[serde(default)]
    pub remarks: String,
    /// The city's guide (申报指南).
    #[serde(default)]
    pub city_guide: String,
    /// OA attachment: seen by officials only.
    #[serde(default)]
    pub oa_file_ids: Vec<String>,
    #[serde(default)]
    pub notice: Notice,
    #[serde(default)]
    pub eligibility: Eligibility,
    /// 申报材料真实性声明, confirmed before filling in.
    #[serde(default)]
    pub declaration: Option<String>,
    #[serde(default)]
    pub assessment: Option<AssessmentRequirement>,
    #[serde(default)]
    pub attachments: Vec<AttachmentItem>,
}

fn all() -> String {
    "all".into()
}

/// 一级 … 六级 → 1 … 6 (the assessment's levels).
pub fn level_number(label: &str) -> Option<i32> {
    const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    let l = label.trim().trim_end_matches('级');
    NUMERALS.iter().position(|n| *n == l).map(|i| i as i32 + 1).or_else(|| l.parse().ok())
}

impl Settings {
    /// Every problem, by field; `track_window` is the province's window the call's must lie inside.
    pub fn check(&self, track_window: (DateTime<Utc>, DateTime<Utc>)) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut err = |field: &str, message: String| out.push(FieldError { field: field.into(), message });
        let fmt = |t: DateTime<Utc>| crate::time::display(t);
        if self.opens_at >= self.closes_at {
            err("closes_at", "申报结束时间须晚于开始时间".into());
        }
        if self.opens_at < track_window.0 || self.closes_at > track_window.1 {
            err("opens_at", format!("申报时间须在省级申报时间（{} 至 {}）之内", fmt(track_window.0), fmt(track_window.1)));
        }
        if self.district_review {
            match self.district_deadline {
                None => err("district_deadline", "需要区县审核时，请设置区县审核截止时间".into()),
                // Districts review what was submitted, so their deadline comes after the applicants' (003 gives
                // 8月10日 for applicants, 8月15日 for districts), and before the province's window ends so the
                // city can still forward in time. The spec's "inside the city window" read literally would leave
                // districts no time after the last submission; the manual decides here.
                Some(d) if d < self.closes_at => err("district_deadline", "区县审核截止时间不能早于申报结束时间".into()),
                Some(d) if d > track_window.1 => err("district_deadline", format!("区县审核截止时间须在省级申报结束时间（{}）之前", fmt(track_window.1))),
                _ => {}
            }
        }
        match self.applicants.as_str() {
            "all" => {}
            "listed" => {
                if self.listed_usccs.is_empty() {
                    err("listed_usccs", "指定申报单位时，请至少填写一个统一社会信用代码".into());
                }
                for (i, u) in self.listed_usccs.iter().enumerate() {
                    if let Err(e) = Uscc::parse(u) {
                        err(&format!("listed_usccs[{i}]"), format!("第{}个信用代码「{u}」：{e}", i + 1));
                    }
                }
            }
            _ => err("applicants", "申报单位只能是全部企业或指定企业".into()),
        }
        for (i, c) in self.eligibility.industries.iter().enumerate() {
            if IndustryCode::parse(c).is_err() {
                err(&format!("eligibility.industries[{i}]"), format!("行业代码「{c}」不是有效的国民经济行业分类代码"));
            }
        }
        for (i, s) in self.eligibility.sizes.iter().enumerate() {
            if !["大型", "中型", "小型", "微型"].contains(&s.as_str()) {
                err(&format!("eligibility.sizes[{i}]"), format!("企业规模「{s}」应为大型、中型、小型或微型"));
            }
        }
        for (i, r) in self.eligibility.regions.iter().enumerate() {
            if RegionCode::parse(r).is_err() {
                err(&format!("eligibility.regions[{i}]"), format!("地区代码「{r}」无效"));
            }
        }
        if let Some(a) = &self.assessment
            && let Some(l) = &a.min_level
            && level_number(l).is_none()
        {
            err("assessment.min_level", format!("评测等级「{l}」无效，应为一级至六级"));
        }
        if self.declaration.as_deref().is_some_and(|d| d.chars().count() > 5000) {
            err("declaration", "声明不能超过5000字".into());
        }
        let mut keys = std::collections::BTreeSet::new();
        for (i, a) in self.attachments.iter().enumerate() {
            let f = |k: &str| format!("attachments[{i}].{k}");
            if !valid_key(&a.key) || !keys.insert(a.key.as_str()) {
                err(&f("key"), format!("附件「{}」的标识须为小写字母开头的字母、数字或下划线，且不重复", a.title));
            }
            if a.title.trim().is_empty() {
                err(&f("title"), format!("第{}个附件缺少名称", i + 1));
            }
            if a.accept.is_empty() || a.accept.iter().any(|t| !FILE_TYPES.contains(&t.as_str())) {
                err(&f("accept"), format!("附件「{}」的文件类型应从 {} 中选择", a.title, FILE_TYPES.join("、")));
            }
            if a.max_mb == 0 || a.max_mb > MAX_FILE_MB || a.max_count == 0 || a.max_count > MAX_FILES {
                err(&f("max_mb"), format!("附件「{}」的大小上限应在1到{MAX_FILE_MB} MB之间，个数在1到{MAX_FILES}之间", a.title));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_in_chinese() {
        assert_eq!(level_number("二级"), Some(2));
        assert_eq!(level_number("四"), Some(4));
        assert_eq!(level_number("3"), Some(3));
        assert_eq!(level_number("甲级"), None);
    }
}
