//! The provider application form (seed 000 §02–§03, 服务商首次 / 再次申报): its choices, its draft shape and
//! its submitted shape [`ApplicationForm`]. A first application carries at least one product, each a
//! `products::form::ProductForm`.

use serde_json::Value;

use crate::error::FieldError;
use crate::form::{self, Reader};
use crate::products::form::{ProductDraft, ProductForm};
use crate::review::NumberOrText;

pub const NATURES: &[&str] = &["国有", "民营", "外资", "混合所有制", "其他"];

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

/// 首次申报 (joins the alliance with products) or 再次申报 (joins one more lead unit; its approved products follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Application {
    First,
    Repeat,
}

impl Application {
    /// How a saved form reads: anything but `repeat` is a first application (as the page starts it).
    pub fn of(form: &Value) -> Self {
        if form::text(form, "application") == "repeat" { Application::Repeat } else { Application::First }
    }
}

/// A submitted provider application: every rule of the manual checked.
#[derive(Debug, Clone)]
pub struct ApplicationForm {
    pub application: Application,
    pub logo_file_ids: Vec<String>,
    pub license_file_ids: Vec<String>,
    pub nature: String,
    pub credit_report_file_ids: Vec<String>,
    pub lead_unit_id: String,
    pub cooperation_proof_file_ids: Vec<String>,
    /// 现有面向中小企业的“小快轻准”数字化产品/服务数量.
    pub product_count: u32,
    pub introduction: String,
    pub guarantee: Option<String>,
    pub team_list_file_ids: Vec<String>,
    /// The products of a first application (none in a repeat one).
    pub products: Vec<ProductForm>,
}

impl ApplicationForm {
    pub fn parse(form: &Value) -> Result<Self, Vec<FieldError>> {
        let mut r = Reader::new(form);
        let application = match form::text(form, "application") {
            "first" => Application::First,
            "repeat" => Application::Repeat,
            _ => {
                r.error("application", "申报类型无效");
                Application::First
            }
        };
        let license_file_ids = r.files("license_file_ids", "营业执照");
        let nature = r.choice("nature", "公司性质", NATURES);
        let lead_unit_id = r.text("lead_unit_id");
        if lead_unit_id.is_empty() {
            r.error("lead_unit_id", "请选择数字化牵引单位");
        }
        let cooperation_proof_file_ids = r.files("cooperation_proof_file_ids", "数字化生态伙伴与牵引单位的合作关系证明材料");
        let product_count = match form::number(form, "product_count") {
            None => {
                r.error("product_count", "请填写现有面向中小企业的“小快轻准”数字化产品/服务数量");
                0
            }
            Some(n) if !(1.0..=10_000.0).contains(&n) || n.fract() != 0.0 => {
                r.error("product_count", "产品/服务数量应为1至10000的整数");
                0
            }
            Some(n) => n as u32,
        };
        let introduction = r.required_text("introduction", "服务商简介", 500);
        let guarantee = r.optional_text("guarantee", "服务实施保障", 500);
        let listed = form.get("products").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut products = Vec::new();
        match application {
            Application::First if listed.is_empty() => r.error("products", "服务商首次申报时，必须填写至少一款产品同时进行申报"),
            Application::First => {
                for (i, p) in listed.iter().enumerate() {
                    match ProductForm::parse(p, &format!("products[{i}].")) {
                        Ok(p) => products.push(p),
                        Err(errors) => r.extend(errors),
                    }
                }
            }
            Application::Repeat if !listed.is_empty() => r.error("products", "再次申报无需申报产品，新增产品请在“我的产品”中单独申报"),
            Application::Repeat => {}
        }
        let logo_file_ids = r.optional_files("logo_file_ids");
        let credit_report_file_ids = r.optional_files("credit_report_file_ids");
        let team_list_file_ids = r.optional_files("team_list_file_ids");
        r.finish(|| ApplicationForm {
            application,
            logo_file_ids,
            license_file_ids,
            nature,
            credit_report_file_ids,
            lead_unit_id,
            cooperation_proof_file_ids,
            product_count,
            introduction,
            guarantee,
            team_list_file_ids,
            products,
        })
    }
}

/// Every file field of an application or product entry form with the purpose its files must have:
/// (JSON path, ids, purpose).
pub fn file_fields(form: &Value, prefix: &str) -> Vec<(String, Vec<String>, crate::files::FilePurpose)> {
    use crate::files::FilePurpose::{Credential, Photo};
    let mut out = Vec::new();
    for (key, purpose) in [
        ("logo_file_ids", Photo),
        ("license_file_ids", Credential),
        ("credit_report_file_ids", Credential),
        ("cooperation_proof_file_ids", Credential),
        ("team_list_file_ids", Credential),
    ] {
        let ids = form::strings(form, key);
        if !ids.is_empty() {
            out.push((format!("{prefix}{key}"), ids, purpose));
        }
    }
    out.extend(crate::products::form::file_fields(form, prefix));
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
    use crate::products::form::fixture as product;
    use serde_json::json;

    fn messages(form: &Value) -> Vec<FieldError> {
        ApplicationForm::parse(form).err().unwrap_or_default()
    }

    #[test]
    fn first_applications_need_a_product_and_repeats_have_none() {
        let mut app = json!({"application": "first", "license_file_ids": ["l"], "nature": "民营", "lead_unit_id": "u",
            "cooperation_proof_file_ids": ["c"], "product_count": 2, "introduction": "简介", "products": []});
        assert_eq!(messages(&app)[0].message, "服务商首次申报时，必须填写至少一款产品同时进行申报");
        app["products"] = json!([product("MES")]);
        let parsed = ApplicationForm::parse(&app).unwrap();
        assert_eq!((parsed.application, parsed.product_count, parsed.products.len()), (Application::First, 2, 1));
        assert_eq!(parsed.products[0].name, "MES");
        app["application"] = json!("repeat");
        assert_eq!(messages(&app)[0].field, "products");
        app["products"] = json!([]);
        assert_eq!(ApplicationForm::parse(&app).unwrap().application, Application::Repeat);
        app["introduction"] = json!("长".repeat(501));
        assert_eq!(messages(&app)[0].message, "服务商简介不能超过500个字，当前为501个字");
    }

    #[test]
    fn a_product_of_an_application_is_named_by_its_index() {
        let mut bad = product("");
        bad["price_min"] = json!("abc");
        let app = json!({"application": "first", "license_file_ids": ["l"], "nature": "民营", "lead_unit_id": "u",
            "cooperation_proof_file_ids": ["c"], "product_count": 2, "introduction": "简介", "products": [product("MES"), bad]});
        let fields: Vec<String> = messages(&app).into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["products[1].name", "products[1].price_min"]);
    }

    #[test]
    fn file_fields_reach_into_products_and_cases() {
        let app = json!({"logo_file_ids": ["logo"], "license_file_ids": ["l"], "products": [product("MES")]});
        let paths: Vec<String> = file_fields(&app, "").into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(paths, ["logo_file_ids", "license_file_ids", "products[0].cases[0].contract_file_ids",
            "products[0].cases[1].contract_file_ids", "products[0].cases[2].contract_file_ids"]);
    }
}
