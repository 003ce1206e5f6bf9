//! The product form (seed 000 §04, 产品入库申请; also each product of a provider's first application): its
//! choices and limits, its draft shape and its submitted shape [`ProductForm`].

use serde_json::Value;
use shuzhuan_core::{IndustryCode, Money};

use crate::error::FieldError;
use crate::form::{self, Reader};
use crate::review::NumberOrText;

pub const PRODUCT_NATURES: &[&str] = &["自有产品", "代理产品", "合作产品"];
pub const ARCHITECTURES: &[&str] = &["PC单机", "C/S", "B/S", "其他"];
pub const DEPLOY_MODES: &[&str] = &["本地部署", "云端部署", "混合部署"];
pub const PURCHASE_MODES: &[&str] = &["一次性购买", "按需购买", "按年订阅", "其他"];
pub const AWARDS: &[&str] = &["国家级", "省部级", "其他", "未获奖"];
pub const MIN_CASES: usize = 3;
/// The highest price a product may quote, in 万元 (10 亿元).
pub const MAX_PRICE_WAN: i64 = 100_000;

/// 产品/服务类别（业务环节）: the 16 business areas of the assessment in their four groups, and the named
/// systems the manual lists beside them (CAD, CAM, MES, ERP …).
pub const CATEGORY_GROUPS: &[(&str, &[&str])] = &[
    ("产品生命周期数字化", &["产品设计", "工艺设计", "营销管理", "售后服务", "CAD", "CAE", "CAM", "CAPP", "PLM", "PDM", "CRM"]),
    ("生产执行数字化", &["计划排程", "生产管控", "质量管理", "设备管理", "安全生产", "能耗管理", "MES", "APS", "QMS", "SCADA", "EAM"]),
    ("供应链数字化", &["采购管理", "仓储物流", "SRM", "WMS", "TMS"]),
    ("管理决策数字化", &["财务管理", "人力资源", "协同办公", "决策支持", "ERP", "HRM", "OA", "BI"]),
];

/// A product form's draft shape (产品申报, and each product of a first application): what a save checks.
/// Types only, every field optional; `validate_product` checks completeness on submit. Prices are the 万元
/// text the user typed (or a number from an older draft), read exactly by [`money_wan`].
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by serde to check types
pub struct ProductDraft {
    name: Option<String>,
    nature: Option<String>,
    ip_proof_file_ids: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    category_other: Option<String>,
    description: Option<String>,
    deploy_architecture: Option<String>,
    deploy_mode: Option<String>,
    deploy_period: Option<String>,
    purchase_mode: Option<String>,
    price_min: Option<NumberOrText>,
    price_max: Option<NumberOrText>,
    discount_rate: Option<NumberOrText>,
    industry_code: Option<String>,
    sub_industries: Option<String>,
    scenarios: Option<String>,
    cases: Option<Vec<CaseDraft>>,
    awards: Option<String>,
    award_note: Option<String>,
    other_note: Option<String>,
    evidence_file_ids: Option<Vec<String>>,
    lead_unit_id: Option<String>,
    lead_unit_name: Option<String>,
}

/// One 成功应用案例 of a product draft.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by serde to check types
pub struct CaseDraft {
    enterprise: Option<String>,
    contract_file_ids: Option<Vec<String>>,
}

pub fn is_category(c: &str) -> bool {
    c == "其他" || CATEGORY_GROUPS.iter().any(|(_, items)| items.contains(&c))
}

/// The highest quotable price.
pub fn max_price() -> Money {
    Money::from_yuan(MAX_PRICE_WAN * 10_000).expect("a constant within range")
}

/// The product name as compared for duplicates: trimmed, inner spaces removed, lower-cased.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<String>().to_lowercase()
}

/// A submitted product: every rule of the manual checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductForm {
    pub name: String,
    pub nature: String,
    pub ip_proof_file_ids: Vec<String>,
    /// Business areas and systems; 「其他」 comes with `category_other`.
    pub categories: Vec<String>,
    pub category_other: Option<String>,
    pub description: String,
    pub deploy_architecture: String,
    pub deploy_mode: String,
    pub deploy_period: String,
    pub purchase_mode: String,
    pub price_min: Money,
    pub price_max: Money,
    /// 拟让利比例, percent (0–100).
    pub discount_rate: f64,
    pub industry_code: IndustryCode,
    pub sub_industries: Option<String>,
    pub scenarios: String,
    pub cases: Vec<ProductCase>,
    pub awards: String,
    pub award_note: Option<String>,
    pub other_note: Option<String>,
    pub evidence_file_ids: Vec<String>,
}

/// One 成功应用案例: the enterprise served and the contract proving it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductCase {
    pub enterprise: String,
    pub contract_file_ids: Vec<String>,
}

impl ProductForm {
    /// Parses one product; field names get `prefix` (`products[0].` inside an application).
    pub fn parse(form: &Value, prefix: &str) -> Result<Self, Vec<FieldError>> {
        let mut r = Reader::under(form, prefix);
        let name = r.required_text("name", "产品/服务名称", 50);
        let nature = r.choice("nature", "产品性质", PRODUCT_NATURES);
        let categories = form::strings(form, "categories");
        if categories.is_empty() {
            r.error("categories", "请选择产品/服务类别（业务环节）");
        } else if categories.iter().any(|c| !is_category(c)) {
            r.error("categories", "产品/服务类别选项无效");
        } else if categories.iter().any(|c| c == "其他") && form::text(form, "category_other").is_empty() {
            r.error("category_other", "选择“其他”时请填写具体类别");
        }
        let category_other = r.optional_text("category_other", "其他类别", 100);
        let description = r.required_text("description", "产品/服务描述", 2000);
        let deploy_architecture = r.choice("deploy_architecture", "部署架构", ARCHITECTURES);
        let deploy_mode = r.choice("deploy_mode", "部署方式", DEPLOY_MODES);
        let deploy_period = r.required_text("deploy_period", "部署周期", 50);
        let purchase_mode = r.choice("purchase_mode", "购买方式", PURCHASE_MODES);
        let mut prices = [None, None];
        for (i, (key, label)) in [("price_min", "最低报价"), ("price_max", "最高报价")].into_iter().enumerate() {
            match form::money_wan(form, key) {
                Ok(None) => r.error(key, format!("请填写{label}（万元）")),
                Ok(Some(p)) if p > max_price() => r.error(key, format!("{label}应在0至{MAX_PRICE_WAN}万元之间")),
                Ok(Some(p)) => prices[i] = Some(p),
                Err(why) => r.error(key, format!("{label}：{why}")),
            }
        }
        if let [Some(lo), Some(hi)] = prices
            && hi < lo
        {
            r.error("price_max", "最高报价不能低于最低报价");
        }
        let discount_rate = form::number(form, "discount_rate");
        match discount_rate {
            None => r.error("discount_rate", "请填写拟让利比例（%）"),
            Some(v) if !(0.0..=100.0).contains(&v) => r.error("discount_rate", "拟让利比例应在0至100之间"),
            _ => {}
        }
        let industry_code = r.parsed("industry_code", IndustryCode::parse, Some("请选择所属行业"));
        let sub_industries = r.optional_text("sub_industries", "适用细分行业", 200);
        let scenarios = r.required_text("scenarios", "适用场景", 500);
        let listed = form.get("cases").and_then(Value::as_array).cloned().unwrap_or_default();
        if listed.len() < MIN_CASES {
            r.error("cases", format!("请提供不少于{MIN_CASES}个成功应用案例，当前为{}个", listed.len()));
        }
        let mut cases = Vec::with_capacity(listed.len());
        for (i, c) in listed.iter().enumerate() {
            let enterprise = form::text(c, "enterprise").to_owned();
            if enterprise.is_empty() {
                r.error(&format!("cases[{i}].enterprise"), "请填写服务企业名称");
            }
            let contract_file_ids = form::strings(c, "contract_file_ids");
            if contract_file_ids.is_empty() {
                r.error(&format!("cases[{i}].contract_file_ids"), "请上传该案例的合同等证明材料");
            }
            cases.push(ProductCase { enterprise, contract_file_ids });
        }
        let awards = r.choice("awards", "获奖情况", AWARDS);
        let award_note = r.optional_text("award_note", "获奖说明", 500);
        let other_note = r.optional_text("other_note", "其他需要说明的情况", 1000);
        let ip_proof_file_ids = r.optional_files("ip_proof_file_ids");
        let evidence_file_ids = r.optional_files("evidence_file_ids");
        r.finish(|| ProductForm {
            name,
            nature,
            ip_proof_file_ids,
            categories,
            category_other,
            description,
            deploy_architecture,
            deploy_mode,
            deploy_period,
            purchase_mode,
            price_min: prices[0].expect("checked"),
            price_max: prices[1].expect("checked"),
            discount_rate: discount_rate.expect("checked"),
            industry_code: industry_code.expect("checked"),
            sub_industries,
            scenarios,
            cases,
            awards,
            award_note,
            other_note,
            evidence_file_ids,
        })
    }

    /// The key duplicates are compared by.
    pub fn name_key(&self) -> String {
        name_key(&self.name)
    }
}

/// The file fields of one product form with the purpose their files must have: (JSON path, ids, purpose).
pub fn file_fields(form: &Value, prefix: &str) -> Vec<(String, Vec<String>, crate::files::FilePurpose)> {
    use crate::files::FilePurpose::Credential;
    let mut out = Vec::new();
    for key in ["ip_proof_file_ids", "evidence_file_ids"] {
        let ids = form::strings(form, key);
        if !ids.is_empty() {
            out.push((format!("{prefix}{key}"), ids, Credential));
        }
    }
    if let Some(cases) = form.get("cases").and_then(Value::as_array) {
        for (i, c) in cases.iter().enumerate() {
            let ids = form::strings(c, "contract_file_ids");
            if !ids.is_empty() {
                out.push((format!("{prefix}cases[{i}].contract_file_ids"), ids, Credential));
            }
        }
    }
    out
}

/// A complete product form, for tests.
#[cfg(test)]
pub fn fixture(name: &str) -> Value {
    serde_json::json!({"name": name, "nature": "自有产品", "categories": ["生产管控", "MES"], "description": "生产执行系统",
        "deploy_architecture": "B/S", "deploy_mode": "云端部署", "deploy_period": "30天", "purchase_mode": "按年订阅",
        "price_min": "5", "price_max": 20, "discount_rate": 10, "industry_code": "C", "scenarios": "离散制造车间",
        "cases": [{"enterprise": "甲", "contract_file_ids": ["f1"]}, {"enterprise": "乙", "contract_file_ids": ["f2"]}, {"enterprise": "丙", "contract_file_ids": ["f3"]}],
        "awards": "未获奖"})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_complete_product_parses_into_typed_fields() {
        let p = ProductForm::parse(&fixture("MES"), "").unwrap();
        assert_eq!((p.price_min.fen(), p.price_max.fen()), (5_000_000, 20_000_000));
        assert_eq!(p.industry_code.as_str(), "C");
        assert_eq!(p.cases.len(), 3);
        assert_eq!(p.category_other, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut bad = fixture("");
        bad["price_min"] = json!(30);
        bad["cases"] = json!([{"enterprise": "甲", "contract_file_ids": []}]);
        bad["categories"] = json!(["其他"]);
        bad["discount_rate"] = json!(120);
        let fields: Vec<String> = ProductForm::parse(&bad, "products[0].").unwrap_err().into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["products[0].name", "products[0].category_other", "products[0].price_max", "products[0].discount_rate",
            "products[0].cases", "products[0].cases[0].contract_file_ids"]);
    }

    #[test]
    fn duplicate_names_compare_trimmed_and_case_insensitive() {
        assert_eq!(name_key(" 智能 MES "), name_key("智能mes"));
        assert_ne!(name_key("MES"), name_key("ERP"));
    }
}
