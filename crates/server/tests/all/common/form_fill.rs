//! A complete, valid value for each field of a form, as the renderer would produce it: used by the calls
//! tests and by the calls benchmark (`benches/calls.rs` includes this file by path), so both fill forms the
//! same way.

use serde_json::{json, Value};
use shuzhuan_core::form::{FieldKind, FormSchema};

/// A complete, valid value for every field a user fills, as the renderer would produce it; file fields get
/// `file_id`.
pub fn fill(schema: &FormSchema, file_id: &str) -> Value {
    fn scalar(f: &shuzhuan_core::form::Field, file_id: &str, i: usize) -> Value {
        match &f.kind {
            FieldKind::Text { max_length, min_length } | FieldKind::LongText { max_length, min_length } => {
                let n = (*min_length as usize).max(4).min(*max_length as usize);
                Value::String(format!("{}{}", "测试填写内容".chars().cycle().take(n.saturating_sub(1)).collect::<String>(), i % 10))
            }
            FieldKind::Number { min, max, .. } => {
                let lo = min.as_ref().and_then(|n| n.as_f64()).unwrap_or(0.0).ceil() as i64;
                let hi = max.as_ref().and_then(|n| n.as_f64()).map(|h| h.floor() as i64).unwrap_or(lo + 100);
                Value::String(lo.max(1).min(hi).max(lo).to_string())
            }
            FieldKind::Money { .. } => Value::String(format!("{}.25", 1000 + i)),
            FieldKind::Date { .. } => Value::String("2023-06-30".into()),
            FieldKind::DateRange => json!({ "start": "2023-01-01", "end": "2023-12-31" }),
            FieldKind::Choice { options, multiple: false, .. } => Value::String(options[0].clone()),
            FieldKind::Choice { options, multiple: true, .. } => json!([options[0]]),
            FieldKind::YesNo => Value::Bool(true),
            FieldKind::File { .. } => json!([file_id]),
            _ => Value::Null,
        }
    }
    let mut out = serde_json::Map::new();
    for (_, f) in shuzhuan_core::form::all_fields(schema) {
        let v = match &f.kind {
            FieldKind::Table { columns, fixed_rows, min_rows, .. } => {
                let n = if fixed_rows.is_empty() { (*min_rows as usize).max(1) } else { fixed_rows.len() };
                json!((0..n).map(|i| columns.iter().map(|c| (c.key.clone(), scalar(c, file_id, i))).collect::<serde_json::Map<_, _>>()).collect::<Vec<_>>())
            }
            _ => scalar(f, file_id, 0),
        };
        if !v.is_null() {
            out.insert(f.key.clone(), v);
        }
        if let FieldKind::Choice { other: true, .. } = f.kind {
            out.insert(format!("{}_other", f.key), json!("其他说明"));
        }
    }
    Value::Object(out)
}
