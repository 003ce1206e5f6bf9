//! The provider application and product forms (seed 000 §02–§04): choices, limits and checks. Forms are
//! JSON saved as drafts whatever their state; these checks run on submit and list every problem by field
//! (`products[1].cases`, `lead_unit_id` …), so the page can show each next to its input.

use serde_json::Value;

use shuzhuan_core::{Money, MoneyError};

use crate::error::FieldError;
use crate::review::NumberOrText;

pub const NATURES: &[&str] = &["国有", "民营", "外资", "混合所有制", "其他"];
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

/// A provider application's draft shape (服务商首次 / 再次申报).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by serde to check types
pub struct ApplicationDraft {
    application: Option<String>,
    logo_file_ids: Option<Vec<String>>,
    license_file_ids: Option<Vec<String>>,
    nature: Option<String>,
    credit_report_file_ids: Option<Vec<String>>,
    lead_unit_id: Option<String>,
    lead_unit_name: Option<String>,
    cooperation_proof_file_ids: Option<Vec<String>>,
    product_count: Option<NumberOrText>,
    introduction: Option<String>,
    guarantee: Option<String>,
    team_list_file_ids: Option<Vec<String>>,
    products: Option<Vec<ProductDraft>>,
}

pub fn is_category(c: &str) -> bool {
    c == "其他" || CATEGORY_GROUPS.iter().any(|(_, items)| items.contains(&c))
}

pub fn text<'a>(form: &'a Value, key: &str) -> &'a str {
    form.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

pub fn strings(form: &Value, key: &str) -> Vec<String> {
    form.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// An amount in 万元 as the form holds it: the decimal string the user typed (`"12.5"`), or a JSON number
/// from an older draft, read through its decimal text, never through `f64` arithmetic. `Ok(None)` when
/// empty or absent.
pub fn money_wan(form: &Value, key: &str) -> Result<Option<Money>, MoneyError> {
    let text = match form.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(MoneyError::Format),
    };
    Money::parse_wan(&text).map(Some)
}

/// The highest quotable price.
pub fn max_price() -> Money {
    Money::from_yuan(MAX_PRICE_WAN * 10_000).expect("a constant within range")
}

pub fn number(form: &Value, key: &str) -> Option<f64> {
    match form.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The product name as compared for duplicates: trimmed, inner spaces removed, lower-cased.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<String>().to_lowercase()
}

struct Errors<'a> {
    prefix: &'a str,
    out: &'a mut Vec<FieldError>,
}

impl Errors<'_> {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.out.push(FieldError { field: format!("{}{field}", self.prefix), message: message.into() });
    }

    fn required_text(&mut self, form: &Value, key: &str, label: &str, max: usize) {
        let v = text(form, key);
        let n = v.chars().count();
        if v.is_empty() {
            self.add(key, format!("请填写{label}"));
        } else if n > max {
            self.add(key, format!("{label}不能超过{max}个字，当前为{n}个字"));
        }
    }

    fn optional_text(&mut self, form: &Value, key: &str, label: &str, max: usize) {
        let n = text(form, key).chars().count();
        if n > max {
            self.add(key, format!("{label}不能超过{max}个字，当前为{n}个字"));
        }
    }

    fn choice(&mut self, form: &Value, key: &str, label: &str, options: &[&str]) {
        let v = text(form, key);
        if v.is_empty() {
            self.add(key, format!("请选择{label}"));
        } else if !options.contains(&v) {
            self.add(key, format!("{label}选项无效"));
        }
    }

    fn files(&mut self, form: &Value, key: &str, label: &str) {
        if strings(form, key).is_empty() {
            self.add(key, format!("请上传{label}"));
        }
    }
}

/// Checks one product form; field names get `prefix` (`products[0].` inside an application).
pub fn validate_product(form: &Value, prefix: &str, out: &mut Vec<FieldError>) {
    let mut e = Errors { prefix, out };
    e.required_text(form, "name", "产品/服务名称", 50);
    e.choice(form, "nature", "产品性质", PRODUCT_NATURES);
    let categories = strings(form, "categories");
    if categories.is_empty() {
        e.add("categories", "请选择产品/服务类别（业务环节）");
    } else if categories.iter().any(|c| !is_category(c)) {
        e.add("categories", "产品/服务类别选项无效");
    } else if categories.iter().any(|c| c == "其他") && text(form, "category_other").is_empty() {
        e.add("category_other", "选择“其他”时请填写具体类别");
    }
    e.optional_text(form, "category_other", "其他类别", 100);
    e.required_text(form, "description", "产品/服务描述", 2000);
    e.choice(form, "deploy_architecture", "部署架构", ARCHITECTURES);
    e.choice(form, "deploy_mode", "部署方式", DEPLOY_MODES);
    e.required_text(form, "deploy_period", "部署周期", 50);
    e.choice(form, "purchase_mode", "购买方式", PURCHASE_MODES);
    let mut prices = [None, None];
    for (i, (key, label)) in [("price_min", "最低报价"), ("price_max", "最高报价")].into_iter().enumerate() {
        match money_wan(form, key) {
            Ok(None) => e.add(key, format!("请填写{label}（万元）")),
            Ok(Some(p)) if p > max_price() => e.add(key, format!("{label}应在0至{MAX_PRICE_WAN}万元之间")),
            Ok(Some(p)) => prices[i] = Some(p),
            Err(why) => e.add(key, format!("{label}：{why}")),
        }
    }
    if let [Some(lo), Some(hi)] = prices
        && hi < lo
    {
        e.add("price_max", "最高报价不能低于最低报价");
    }
    match number(form, "discount_rate") {
        None => e.add("discount_rate", "请填写拟让利比例（%）"),
        Some(r) if !(0.0..=100.0).contains(&r) => e.add("discount_rate", "拟让利比例应在0至100之间"),
        _ => {}
    }
    if shuzhuan_core::IndustryCode::parse(text(form, "industry_code")).is_err() {
        e.add("industry_code", "请选择所属行业");
    }
    e.optional_text(form, "sub_industries", "适用细分行业", 200);
    e.required_text(form, "scenarios", "适用场景", 500);
    let cases = form.get("cases").and_then(Value::as_array).cloned().unwrap_or_default();
    if cases.len() < MIN_CASES {
        e.add("cases", format!("请提供不少于{MIN_CASES}个成功应用案例，当前为{}个", cases.len()));
    }
    for (i, c) in cases.iter().enumerate() {
        if text(c, "enterprise").is_empty() {
            e.add(&format!("cases[{i}].enterprise"), "请填写服务企业名称");
        }
        if strings(c, "contract_file_ids").is_empty() {
            e.add(&format!("cases[{i}].contract_file_ids"), "请上传该案例的合同等证明材料");
        }
    }
    e.choice(form, "awards", "获奖情况", AWARDS);
    e.optional_text(form, "award_note", "获奖说明", 500);
    e.optional_text(form, "other_note", "其他需要说明的情况", 1000);
}

/// Checks a provider application (首次 / 再次申报).
pub fn validate_application(form: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    let first = text(form, "application") != "repeat";
    {
        let mut e = Errors { prefix: "", out: &mut out };
        if !matches!(text(form, "application"), "first" | "repeat") {
            e.add("application", "申报类型无效");
        }
        e.files(form, "license_file_ids", "营业执照");
        e.choice(form, "nature", "公司性质", NATURES);
        if text(form, "lead_unit_id").is_empty() {
            e.add("lead_unit_id", "请选择数字化牵引单位");
        }
        e.files(form, "cooperation_proof_file_ids", "数字化生态伙伴与牵引单位的合作关系证明材料");
        match number(form, "product_count") {
            None => e.add("product_count", "请填写现有面向中小企业的“小快轻准”数字化产品/服务数量"),
            Some(n) if n < 1.0 || n > 10_000.0 || n.fract() != 0.0 => e.add("product_count", "产品/服务数量应为1至10000的整数"),
            _ => {}
        }
        e.required_text(form, "introduction", "服务商简介", 500);
        e.optional_text(form, "guarantee", "服务实施保障", 500);
    }
    let products = form.get("products").and_then(Value::as_array).cloned().unwrap_or_default();
    if first {
        if products.is_empty() {
            out.push(FieldError { field: "products".into(), message: "服务商首次申报时，必须填写至少一款产品同时进行申报".into() });
        }
        for (i, p) in products.iter().enumerate() {
            validate_product(p, &format!("products[{i}]."), &mut out);
        }
    } else if !products.is_empty() {
        out.push(FieldError { field: "products".into(), message: "再次申报无需申报产品，新增产品请在“我的产品”中单独申报".into() });
    }
    out
}

/// Every file field of a form with the purpose its files must have: (JSON path, ids, purpose).
pub fn file_fields(form: &Value, prefix: &str) -> Vec<(String, Vec<String>, crate::files::FilePurpose)> {
    use crate::files::FilePurpose::{Credential, Photo};
    let mut out = Vec::new();
    for (key, purpose) in [
        ("logo_file_ids", Photo),
        ("license_file_ids", Credential),
        ("credit_report_file_ids", Credential),
        ("cooperation_proof_file_ids", Credential),
        ("team_list_file_ids", Credential),
        ("ip_proof_file_ids", Credential),
        ("evidence_file_ids", Credential),
    ] {
        let ids = strings(form, key);
        if !ids.is_empty() {
            out.push((format!("{prefix}{key}"), ids, purpose));
        }
    }
    if let Some(cases) = form.get("cases").and_then(Value::as_array) {
        for (i, c) in cases.iter().enumerate() {
            let ids = strings(c, "contract_file_ids");
            if !ids.is_empty() {
                out.push((format!("{prefix}cases[{i}].contract_file_ids"), ids, Credential));
            }
        }
    }
    if let Some(products) = form.get("products").and_then(Value::as_array) {
        for (i, p) in products.iter().enumerate() {
            out.extend(file_fields(p, &format!("products[{i}].")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub fn product(name: &str) -> Value {
        json!({"name": name, "nature": "自有产品", "categories": ["生产管控", "MES"], "description": "生产执行系统",
            "deploy_architecture": "B/S", "deploy_mode": "云端部署", "deploy_period": "30天", "purchase_mode": "按年订阅",
            "price_min": 5, "price_max": 20, "discount_rate": 10, "industry_code": "C", "scenarios": "离散制造车间",
            "cases": [{"enterprise": "甲", "contract_file_ids": ["f1"]}, {"enterprise": "乙", "contract_file_ids": ["f2"]}, {"enterprise": "丙", "contract_file_ids": ["f3"]}],
            "awards": "未获奖"})
    }

    #[test]
    fn a_complete_product_passes_and_each_rule_names_its_field() {
        let mut out = Vec::new();
        validate_product(&product("MES"), "", &mut out);
        assert!(out.is_empty(), "{out:?}");
        let mut bad = product("");
        bad["price_min"] = json!(30);
        bad["cases"] = json!([{"enterprise": "甲", "contract_file_ids": []}]);
        bad["categories"] = json!(["其他"]);
        bad["discount_rate"] = json!(120);
        let mut out = Vec::new();
        validate_product(&bad, "products[0].", &mut out);
        let fields: Vec<&str> = out.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["products[0].name", "products[0].category_other", "products[0].price_max", "products[0].discount_rate",
            "products[0].cases", "products[0].cases[0].contract_file_ids"]);
    }

    #[test]
    fn first_applications_need_a_product_and_repeats_have_none() {
        let mut app = json!({"application": "first", "license_file_ids": ["l"], "nature": "民营", "lead_unit_id": "u",
            "cooperation_proof_file_ids": ["c"], "product_count": 2, "introduction": "简介", "products": []});
        assert_eq!(validate_application(&app)[0].message, "服务商首次申报时，必须填写至少一款产品同时进行申报");
        app["products"] = json!([product("MES")]);
        assert!(validate_application(&app).is_empty());
        app["application"] = json!("repeat");
        assert_eq!(validate_application(&app)[0].field, "products");
        app["products"] = json!([]);
        app["introduction"] = json!("长".repeat(501));
        assert_eq!(validate_application(&app)[0].message, "服务商简介不能超过500个字，当前为501个字");
    }

    #[test]
    fn duplicate_names_compare_trimmed_and_case_insensitive() {
        assert_eq!(name_key(" 智能 MES "), name_key("智能mes"));
        assert_ne!(name_key("MES"), name_key("ERP"));
    }

    #[test]
    fn file_fields_reach_into_products_and_cases() {
        let app = json!({"logo_file_ids": ["logo"], "license_file_ids": ["l"], "products": [product("MES")]});
        let paths: Vec<String> = file_fields(&app, "").into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(paths, ["logo_file_ids", "license_file_ids", "products[0].cases[0].contract_file_ids",
            "products[0].cases[1].contract_file_ids", "products[0].cases[2].contract_file_ids"]);
    }
}
