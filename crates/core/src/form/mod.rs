//! Schema-driven forms (spec `50-calls-portal-admin.md`, decision 0014): a call's application form is data,
//! a [`FormSchema`] of sections and fields that officials design and version. One schema drives the server's
//! checks here, the Vue renderer, the read-only view and round diff ([`rows`]) and the printed 申报书.
//!
//! ```
//! use serde_json::json;
//! use shuzhuan_core::form::{self, FormSchema};
//!
//! let schema: FormSchema = serde_json::from_value(json!({
//!     "title": "申报书",
//!     "sections": [{ "key": "basic", "title": "基本情况", "fields": [
//!         { "key": "staff", "label": "研发人员", "type": "number", "unit": "人", "min": 0, "required": true },
//!         { "key": "has_patents", "label": "是否拥有发明专利", "type": "yes_no", "required": true },
//!         { "key": "patents", "label": "发明专利数", "type": "number", "unit": "项", "min": 1,
//!           "required": true, "when": { "field": "has_patents", "equals": true } }
//!     ]}]
//! })).unwrap();
//! assert!(form::check_schema(&schema).is_empty());
//! assert!(form::validate(&schema, &json!({ "staff": "25", "has_patents": false })).is_ok());
//! let problems = form::validate(&schema, &json!({ "staff": "25", "has_patents": true })).unwrap_err();
//! assert_eq!(problems[0].field, "patents");
//! assert_eq!(problems[0].message, "请填写「发明专利数」");
//! ```

mod check;
mod number;
mod schema;
mod values;

#[cfg(test)]
mod tests;

pub use check::{check_schema, valid_key, OTHER};
pub use number::{Decimal, DecimalError};
pub use schema::*;
pub use values::{check_draft, complete, computed_sum, display, is_visible, parse_date, rows, validate, References, Row};

/// A problem with a schema or a value, by path (`sections[0].fields[2].when`, `finance[1].revenue`), with a
/// Chinese message that names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// Parses a schema from JSON and checks it: the only way the server accepts a form.
pub fn parse_schema(json: &serde_json::Value) -> Result<FormSchema, Vec<Problem>> {
    let schema: FormSchema = serde_path_to_error_free(json)?;
    let problems = check_schema(&schema);
    if problems.is_empty() { Ok(schema) } else { Err(problems) }
}

fn serde_path_to_error_free(json: &serde_json::Value) -> Result<FormSchema, Vec<Problem>> {
    FormSchema::deserialize(json).map_err(|e| vec![Problem { field: "schema".into(), message: format!("表单定义格式不正确：{e}") }])
}

use serde::Deserialize;
