//! Reading the hand-written JSON forms (a kind's draft is stored as sent) into typed structs.
//!
//! Each form has two shapes: a draft shape (every field optional, types only, checked on every save by
//! `review::check_draft_shape`) and a submitted shape, a struct whose `parse` checks every rule and names every
//! problem by field (`products[1].cases`, `lead_unit_id` …) so the page can show each next to its input. A
//! [`Reader`] walks one form collecting those problems; `finish` yields the typed value only when there are none.
//! The schema-driven form engine of calls replaces these structs one by one.

use serde_json::Value;
use shuzhuan_core::{Money, MoneyError};

use crate::error::FieldError;

/// A schema-driven form from `data/forms/{name}.json` (included at build time), parsed and checked: a broken
/// file panics at first use, which the tests reach, never a request. Keep it in a `LazyLock`.
pub fn schema_file(json: &str, name: &str) -> shuzhuan_core::form::FormSchema {
    let json: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("data/forms/{name}.json is not JSON: {e}"));
    shuzhuan_core::form::parse_schema(&json).unwrap_or_else(|problems| panic!("data/forms/{name}.json: {problems:?}"))
}

/// The schema engine's problems of a form kept under `values` (the lifecycle's records), as field errors.
pub fn at_values(problems: Vec<shuzhuan_core::form::Problem>) -> Vec<FieldError> {
    problems.into_iter().map(|p| FieldError { field: format!("values.{}", p.field), message: p.message }).collect()
}

/// The trimmed text of `key`, or "" when absent or not a string.
pub fn text<'a>(form: &'a Value, key: &str) -> &'a str {
    form.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

/// The strings of the list `key` (file ids, choices), empty when absent.
pub fn strings(form: &Value, key: &str) -> Vec<String> {
    form.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// A number the page sends as a number, or as the text typed.
pub fn number(form: &Value, key: &str) -> Option<f64> {
    match form.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
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

/// "2个文件" / "未上传": how a file field reads in the read-only view.
pub fn files_label(form: &Value, key: &str) -> String {
    let n = strings(form, key).len();
    if n == 0 { "未上传".into() } else { format!("{n}个文件") }
}

/// Walks one form (or one part of it, under `prefix`) and collects every problem by field.
pub struct Reader<'a> {
    form: &'a Value,
    prefix: String,
    errors: Vec<FieldError>,
}

impl<'a> Reader<'a> {
    pub fn new(form: &'a Value) -> Self {
        Self::under(form, "")
    }

    /// For a part of a larger form: field names get `prefix` (`products[0].`).
    pub fn under(form: &'a Value, prefix: &str) -> Self {
        Self { form, prefix: prefix.to_owned(), errors: Vec::new() }
    }

    pub fn form(&self) -> &'a Value {
        self.form
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Records a problem with `key`.
    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        self.errors.push(FieldError { field: format!("{}{key}", self.prefix), message: message.into() });
    }

    /// Adds the problems of a part read with its own reader (already prefixed).
    pub fn extend(&mut self, errors: Vec<FieldError>) {
        self.errors.extend(errors);
    }

    pub fn text(&self, key: &str) -> String {
        text(self.form, key).to_owned()
    }

    /// Text that must be present and at most `max` characters.
    pub fn required_text(&mut self, key: &str, label: &str, max: usize) -> String {
        let v = text(self.form, key);
        let n = v.chars().count();
        if v.is_empty() {
            self.error(key, format!("请填写{label}"));
        } else if n > max {
            self.error(key, format!("{label}不能超过{max}个字，当前为{n}个字"));
        }
        v.to_owned()
    }

    /// Text that may be empty (then `None`) and is at most `max` characters.
    pub fn optional_text(&mut self, key: &str, label: &str, max: usize) -> Option<String> {
        let v = text(self.form, key);
        let n = v.chars().count();
        if n > max {
            self.error(key, format!("{label}不能超过{max}个字，当前为{n}个字"));
        }
        Some(v.to_owned()).filter(|s| !s.is_empty())
    }

    /// One of `options`.
    pub fn choice(&mut self, key: &str, label: &str, options: &[&str]) -> String {
        let v = text(self.form, key);
        if v.is_empty() {
            self.error(key, format!("请选择{label}"));
        } else if !options.contains(&v) {
            self.error(key, format!("{label}选项无效"));
        }
        v.to_owned()
    }

    /// File ids that must be present.
    pub fn files(&mut self, key: &str, label: &str) -> Vec<String> {
        let ids = strings(self.form, key);
        if ids.is_empty() {
            self.error(key, format!("请上传{label}"));
        }
        ids
    }

    /// File ids that may be absent.
    pub fn optional_files(&self, key: &str) -> Vec<String> {
        strings(self.form, key)
    }

    /// A value the core's domain type parses from the text (`Phone`, `Uscc` …); its error message, or
    /// `message` when given, names the problem.
    pub fn parsed<T, E: std::fmt::Display>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<T, E>, message: Option<&str>) -> Option<T> {
        match parse(text(self.form, key)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(key, message.map(str::to_owned).unwrap_or_else(|| e.to_string()));
                None
            }
        }
    }

    /// The typed form when nothing was wrong, every problem otherwise. `build` runs only without problems,
    /// so it may unwrap what the reader returned as `Option`.
    pub fn finish<T>(self, build: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() { Ok(build()) } else { Err(self.errors) }
    }

    /// The problems so far, for a part read inside a larger form.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}
