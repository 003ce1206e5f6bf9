//! A form's values: one flat JSON object keyed by field key, as the renderer edits it and the case stores it.
//!
//! - text, long text, date: a string; a number or an amount in 万元: the decimal text typed (a JSON number
//!   from an API client is read through its text); a date range: `{"start", "end"}`; yes/no: a boolean;
//! - a single choice: the option; a multiple choice: the list of options; 「其他」's text: `<key>_other`;
//! - a table: a list of row objects keyed by column; fixed rows come in the order of `fixed_rows`;
//! - a file field, and a file cell of a table row: the list of stored file ids;
//! - reference and computed fields: written by [`complete`] on every save, whatever the browser sent.
//!
//! Fields hidden by their condition keep what was typed (nothing typed is lost when a 是 becomes 否 and back)
//! but are neither checked nor shown.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::check::OTHER;
use super::number::{Decimal, DecimalError};
use super::schema::*;
use super::Problem;
use crate::{Money, MoneyError, Phone, PhoneError, RegionCode, Uscc, UsccError};

/// Values of the reference sources for one applicant (`org.name` → 「某某科技有限公司」).
pub type References = BTreeMap<String, String>;

/// Fills reference fields from `refs` and computed fields from their definition; everything else is kept
/// as sent. The server calls this on every save, so what reviewers read never depends on the browser.
pub fn complete(schema: &FormSchema, values: &Value, refs: &References) -> Value {
    let mut out = values.as_object().cloned().unwrap_or_default();
    for (_, field) in all_fields(schema) {
        match &field.kind {
            FieldKind::Reference { source } => {
                out.insert(field.key.clone(), Value::String(refs.get(source).cloned().unwrap_or_default()));
            }
            FieldKind::Computed { sum } => {
                let v = computed_sum(schema, &out, sum).unwrap_or_default();
                out.insert(field.key.clone(), Value::String(v));
            }
            _ => {}
        }
    }
    Value::Object(out)
}

/// The sum of a table column over its rows, as exact decimal text; cells that are empty or not a number
/// count as nothing (validation names them). `None` when the sum overflows.
pub fn computed_sum(schema: &FormSchema, values: &Map<String, Value>, sum: &ColumnRef) -> Option<String> {
    let table = schema.field(&sum.table)?;
    let FieldKind::Table { columns, .. } = &table.kind else { return None };
    let col = columns.iter().find(|c| c.key == sum.column)?;
    let rows = values.get(&sum.table).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let cells = rows.iter().filter_map(|r| r.get(&sum.column)).filter_map(text_of);
    match &col.kind {
        FieldKind::Money { .. } => Money::checked_sum(cells.filter_map(|t| Money::parse_wan(&t).ok())).map(Money::exact_wan),
        FieldKind::Number { decimals, .. } => {
            cells.filter_map(|t| Decimal::parse(&t, *decimals).ok()).try_fold(Decimal::ZERO, Decimal::checked_add).map(|d| d.to_string())
        }
        _ => None,
    }
}

/// The text of a scalar value: a string trimmed, a number through its decimal text; `None` when empty.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn parse_date(s: &str) -> Option<(u16, u8, u8)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: u16 = s[0..4].parse().ok()?;
    let m: u8 = s[5..7].parse().ok()?;
    let d: u8 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1900..=2200).contains(&y).then_some(())?;
    (1..=days).contains(&d).then_some((y, m, d))
}

/// Whether `field` is shown given `values`: its condition holds and the field its condition names is shown.
pub fn is_visible(schema: &FormSchema, values: &Value, field: &Field) -> bool {
    let mut f = field;
    // Conditions only name earlier fields (checked by `check_schema`), so this walk ends; the bound guards a
    // schema that was never checked.
    for _ in 0..=MAX_FIELDS {
        let Some(cond) = &f.when else { return true };
        if values.get(&cond.field) != Some(&cond.equals) {
            return false;
        }
        match schema.field(&cond.field) {
            Some(next) if next.key != f.key => f = next,
            _ => return false,
        }
    }
    false
}

/// Types only, on every save: a draft may be half filled in at 11 pm, but a field present must have the
/// shape its kind stores (so the page can render it again).
pub fn check_draft(schema: &FormSchema, values: &Value) -> Vec<Problem> {
    let Some(obj) = values.as_object() else {
        return vec![Problem { field: "form".into(), message: "表单格式不正确".into() }];
    };
    let mut out = Vec::new();
    for (_, field) in all_fields(schema) {
        let Some(v) = obj.get(&field.key).filter(|v| !v.is_null()) else { continue };
        if !shape_ok(field, v) {
            out.push(Problem { field: field.key.clone(), message: format!("「{}」的格式不正确", field.name()) });
        }
        if let (FieldKind::Table { columns, .. }, Some(rows)) = (&field.kind, v.as_array()) {
            for (i, row) in rows.iter().enumerate() {
                for col in columns {
                    if let Some(c) = row.get(&col.key).filter(|c| !c.is_null())
                        && !shape_ok(col, c)
                    {
                        out.push(Problem { field: format!("{}[{i}].{}", field.key, col.key), message: format!("「{}」第{}行「{}」的格式不正确", field.name(), i + 1, col.name()) });
                    }
                }
            }
        }
    }
    out
}

fn shape_ok(field: &Field, v: &Value) -> bool {
    match &field.kind {
        FieldKind::Text { .. } | FieldKind::LongText { .. } | FieldKind::Date { .. } | FieldKind::Region | FieldKind::Reference { .. } | FieldKind::Computed { .. } => {
            v.is_string()
        }
        FieldKind::Number { .. } | FieldKind::Money { .. } => v.is_string() || v.is_number(),
        FieldKind::DateRange => v.as_object().is_some_and(|o| o.values().all(|x| x.is_string() || x.is_null())),
        FieldKind::Choice { multiple: false, .. } => v.is_string(),
        FieldKind::Choice { multiple: true, .. } => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        FieldKind::YesNo => v.is_boolean(),
        FieldKind::Table { .. } => v.as_array().is_some_and(|a| a.iter().all(Value::is_object)),
        FieldKind::File { .. } => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        FieldKind::Notice { .. } => true,
    }
}

/// Every rule of the schema on submit: one problem per field, with a Chinese message naming it. Computed
/// fields must equal their definition (the server completes them before it validates).
pub fn validate(schema: &FormSchema, values: &Value) -> Result<(), Vec<Problem>> {
    let Some(obj) = values.as_object() else {
        return Err(vec![Problem { field: "form".into(), message: "表单格式不正确".into() }]);
    };
    let mut out = Vec::new();
    for (_, field) in all_fields(schema) {
        if !is_visible(schema, values, field) {
            continue;
        }
        let v = obj.get(&field.key).unwrap_or(&Value::Null);
        match &field.kind {
            FieldKind::Table { columns, fixed_rows, row_label: _, min_rows, max_rows } => {
                check_table(&mut out, field, columns, fixed_rows, *min_rows, *max_rows, v);
            }
            FieldKind::Computed { sum } => {
                let want = computed_sum(schema, obj, sum).unwrap_or_default();
                if text_of(v).unwrap_or_default() != want {
                    out.push(Problem { field: field.key.clone(), message: format!("「{}」由系统自动计算，应为{}", field.name(), if want.is_empty() { "空" } else { &want }) });
                }
            }
            _ => {
                if let Err(message) = check_value(field, v, obj.get(&format!("{}_other", field.key)), &format!("「{}」", field.name())) {
                    let key = if message.contains("「其他」") { format!("{}_other", field.key) } else { field.key.clone() };
                    out.push(Problem { field: key, message });
                }
            }
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_empty),
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn check_table(out: &mut Vec<Problem>, field: &Field, columns: &[Field], fixed_rows: &[String], min_rows: u32, max_rows: Option<u32>, v: &Value) {
    let name = field.name();
    let rows: &[Value] = match v {
        Value::Null => &[],
        Value::Array(a) => a,
        _ => {
            out.push(Problem { field: field.key.clone(), message: format!("「{name}」的格式不正确") });
            return;
        }
    };
    if fixed_rows.is_empty() {
        let min = if field.required { min_rows.max(1) } else { min_rows };
        if (rows.len() as u32) < min {
            out.push(Problem { field: field.key.clone(), message: format!("「{name}」至少需要填写{min}行（已填{}行）", rows.len()) });
        }
        let max = max_rows.unwrap_or(MAX_ROWS);
        if rows.len() as u32 > max {
            out.push(Problem { field: field.key.clone(), message: format!("「{name}」最多{max}行（已填{}行）", rows.len()) });
        }
    } else if rows.len() > fixed_rows.len() {
        out.push(Problem { field: field.key.clone(), message: format!("「{name}」只有{}行", fixed_rows.len()) });
    }
    let n = if fixed_rows.is_empty() { rows.len() } else { fixed_rows.len() };
    for i in 0..n {
        let row = rows.get(i).unwrap_or(&Value::Null);
        let row_name = match fixed_rows.get(i) {
            Some(r) => format!("「{name}」{r}"),
            None => format!("「{name}」第{}行", i + 1),
        };
        for col in columns {
            let cell = row.get(&col.key).unwrap_or(&Value::Null);
            // A fixed-row table that is not required may be left wholly empty; once a row is started, or
            // when the table is required, its required cells must be filled.
            let row_started = row.as_object().is_some_and(|o| !o.values().all(is_empty));
            if is_empty(cell) && col.required && !fixed_rows.is_empty() && !field.required && !row_started {
                continue;
            }
            if let Err(message) = check_value(col, cell, None, &format!("{row_name}的「{}」", col.name())) {
                out.push(Problem { field: format!("{}[{i}].{}", field.key, col.key), message });
            }
        }
    }
}

/// Checks one scalar value; `name` is how the message names it (「注册资本」, 「财务数据」2022年的「营业收入」).
fn check_value(field: &Field, v: &Value, other_text: Option<&Value>, name: &str) -> Result<(), String> {
    if is_empty(v) && !matches!(field.kind, FieldKind::YesNo) {
        if field.required {
            let verb = match field.kind {
                FieldKind::Choice { .. } | FieldKind::Date { .. } | FieldKind::DateRange | FieldKind::Region => "请选择",
                FieldKind::File { .. } => "请上传",
                _ => "请填写",
            };
            return Err(format!("{verb}{name}"));
        }
        return Ok(());
    }
    match &field.kind {
        FieldKind::Text { max_length, min_length } | FieldKind::LongText { max_length, min_length } => {
            let s = v.as_str().ok_or_else(|| format!("{name}应为文字"))?;
            let n = s.trim().chars().count() as u32;
            if n > *max_length {
                return Err(format!("{name}不能超过{max_length}字（已填{n}字）"));
            }
            if n < *min_length {
                return Err(format!("{name}至少需要{min_length}字（已填{n}字）"));
            }
            if let Some(format) = field.format {
                check_format(format, s, name)?;
            }
        }
        FieldKind::Region => {
            let s = v.as_str().ok_or_else(|| format!("{name}应为地区代码"))?;
            // The parser's messages name 行政区划代码; ours name the field (「所属地区」须为6位…).
            RegionCode::parse(s).map_err(|e| e.to_string().replacen("行政区划代码", name, 1))?;
        }
        FieldKind::Number { min, max, decimals, unit } => {
            let t = text_of(v).ok_or_else(|| format!("{name}应为数字"))?;
            let d = Decimal::parse(&t, *decimals).map_err(|e| match e {
                DecimalError::TooManyPlaces(0) => format!("{name}应为整数"),
                DecimalError::TooManyPlaces(p) => format!("{name}最多保留{p}位小数"),
                DecimalError::TooLarge => format!("{name}数值过大"),
                DecimalError::Format => format!("{name}「{t}」不是有效的数字"),
            })?;
            let unit = unit.as_deref().unwrap_or("");
            if let Some(lo) = min.as_ref().and_then(Decimal::from_json)
                && d < lo
            {
                return Err(format!("{name}不能小于{lo}{unit}"));
            }
            if let Some(hi) = max.as_ref().and_then(Decimal::from_json)
                && d > hi
            {
                return Err(format!("{name}不能大于{hi}{unit}"));
            }
        }
        FieldKind::Money { max } => {
            let t = text_of(v).ok_or_else(|| format!("{name}应为金额"))?;
            let m = Money::parse_wan(&t).map_err(|e| match e {
                MoneyError::Negative => format!("{name}不能为负数"),
                MoneyError::TooManyDecimals { .. } => format!("{name}最多保留6位小数（万元精确到分）"),
                MoneyError::TooLarge => format!("{name}金额过大"),
                _ => format!("{name}「{t}」不是有效的金额（单位：万元）"),
            })?;
            if let Some(hi) = max.as_ref().and_then(|n| Money::parse_wan(&n.to_string()).ok())
                && m > hi
            {
                return Err(format!("{name}不能超过{}万元", hi.exact_wan()));
            }
        }
        FieldKind::Date { min, max } => {
            let s = v.as_str().unwrap_or("");
            let d = parse_date(s).ok_or_else(|| format!("{name}不是有效的日期"))?;
            if let Some(lo) = min.as_deref().and_then(parse_date)
                && d < lo
            {
                return Err(format!("{name}不能早于{}", min.as_deref().unwrap_or("")));
            }
            if let Some(hi) = max.as_deref().and_then(parse_date)
                && d > hi
            {
                return Err(format!("{name}不能晚于{}", max.as_deref().unwrap_or("")));
            }
        }
        FieldKind::DateRange => {
            let start = v.get("start").and_then(Value::as_str).and_then(parse_date);
            let end = v.get("end").and_then(Value::as_str).and_then(parse_date);
            match (start, end) {
                (Some(a), Some(b)) if a <= b => {}
                (Some(_), Some(_)) => return Err(format!("{name}的开始日期不能晚于结束日期")),
                _ => return Err(format!("请完整选择{name}的开始和结束日期")),
            }
        }
        FieldKind::Choice { options, multiple, other, max_selected } => {
            let picked: Vec<&str> = if *multiple {
                v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).ok_or_else(|| format!("{name}的格式不正确"))?
            } else {
                vec![v.as_str().ok_or_else(|| format!("{name}的格式不正确"))?]
            };
            for p in &picked {
                if !options.iter().any(|o| o == p) && !(*other && *p == OTHER) {
                    return Err(format!("{name}没有「{p}」这个选项"));
                }
            }
            let mut uniq = picked.clone();
            uniq.sort_unstable();
            uniq.dedup();
            if uniq.len() != picked.len() {
                return Err(format!("{name}有重复的选项"));
            }
            if let Some(m) = max_selected
                && picked.len() as u32 > *m
            {
                return Err(format!("{name}最多选择{m}项"));
            }
            if picked.contains(&OTHER) && *other {
                let t = other_text.and_then(Value::as_str).map(str::trim).unwrap_or("");
                if t.is_empty() {
                    return Err(format!("选择了「其他」，请填写{name}的「其他」说明"));
                }
                if t.chars().count() > 200 {
                    return Err(format!("{name}的「其他」说明不能超过200字"));
                }
            }
        }
        FieldKind::YesNo => {
            if v.is_null() {
                if field.required {
                    return Err(format!("请选择{name}"));
                }
            } else if !v.is_boolean() {
                return Err(format!("{name}应选择是或否"));
            }
        }
        FieldKind::File { max_count, .. } => {
            let ids = v.as_array().ok_or_else(|| format!("{name}的格式不正确"))?;
            if !ids.iter().all(Value::is_string) {
                return Err(format!("{name}的格式不正确"));
            }
            if ids.len() as u32 > *max_count {
                return Err(format!("{name}最多上传{max_count}个文件（已上传{}个）", ids.len()));
            }
        }
        FieldKind::Table { .. } | FieldKind::Reference { .. } | FieldKind::Computed { .. } | FieldKind::Notice { .. } => {}
    }
    Ok(())
}

/// A text of a [`TextFormat`], checked by the core's parser, with its reason as a message naming the field
/// (「联系电话」应为11位手机号码，当前为10位).
fn check_format(format: TextFormat, s: &str, name: &str) -> Result<(), String> {
    match format {
        TextFormat::Uscc => Uscc::parse(s).map(drop).map_err(|e| match e {
            UsccError::Empty => format!("请填写{name}"),
            UsccError::Length(n) => format!("{name}应为18位，当前为{n}位"),
            UsccError::CheckDigit => format!("{name}校验位不正确，请核对后重新输入"),
            e @ UsccError::InvalidChar { .. } => e.to_string().replacen("统一社会信用代码", name, 1),
        }),
        TextFormat::Phone => Phone::parse(s).map(drop).map_err(|e| match e {
            PhoneError::Empty => format!("请填写{name}"),
            PhoneError::Length(n) => format!("{name}应为11位手机号码，当前为{n}位"),
            PhoneError::NotMobile => format!("{name}应为以13-19开头的11位手机号码"),
            PhoneError::NotMainland => format!("{name}仅支持中国大陆手机号码（+86）"),
            e @ PhoneError::InvalidChar(_) => e.to_string().replacen("手机号码", name, 1),
        }),
        // A help for typing, not a rule: a company not yet in the registry is named as it is.
        TextFormat::CompanyName => Ok(()),
    }
}

/// How a value reads in the read-only view, the diff and the printed document: 「是」, 「12.5 人」,
/// 「1,234.5 万元」, 「2个文件」; "" when empty.
pub fn display(field: &Field, v: &Value, other: Option<&Value>) -> String {
    match (&field.kind, v) {
        (_, Value::Null) => String::new(),
        (FieldKind::YesNo, Value::Bool(b)) => if *b { "是" } else { "否" }.into(),
        (FieldKind::Number { unit, .. }, _) => text_of(v).map(|t| match unit.as_deref() {
            Some(u) if !u.is_empty() => format!("{t} {u}"),
            _ => t,
        }).unwrap_or_default(),
        (FieldKind::Money { .. }, _) => text_of(v)
            .map(|t| match Money::parse_wan(&t) {
                Ok(m) => format!("{} 万元", m.exact_wan()),
                Err(_) => t,
            })
            .unwrap_or_default(),
        (FieldKind::DateRange, _) => {
            let s = v.get("start").and_then(Value::as_str).unwrap_or("");
            let e = v.get("end").and_then(Value::as_str).unwrap_or("");
            if s.is_empty() && e.is_empty() { String::new() } else { format!("{s} 至 {e}") }
        }
        (FieldKind::Choice { .. }, _) => {
            let picked: Vec<String> = match v {
                Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                Value::String(s) => vec![s.clone()],
                _ => vec![],
            };
            let other = other.and_then(Value::as_str).map(str::trim).unwrap_or("");
            picked.into_iter().map(|p| if p == OTHER && !other.is_empty() { format!("其他（{other}）") } else { p }).collect::<Vec<_>>().join("、")
        }
        (FieldKind::File { .. }, Value::Array(a)) => if a.is_empty() { String::new() } else { format!("{}个文件", a.len()) },
        (FieldKind::Table { .. }, Value::Array(a)) => format!("{}行", a.len()),
        (FieldKind::Notice { .. }, _) => String::new(),
        _ => text_of(v).unwrap_or_default(),
    }
}

/// One row of the read-only view and of the round diff: `key` is the value's path (`finance[1].revenue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// The visible fields as labelled rows, tables cell by cell (「财务数据 · 2022年 · 营业收入」, a file cell as
/// 「合同 · 第1行 · 项目合同」 reading 「1个文件」), notices left out.
pub fn rows(schema: &FormSchema, values: &Value) -> Vec<Row> {
    let mut out = Vec::new();
    for (_, field) in all_fields(schema) {
        if matches!(field.kind, FieldKind::Notice { .. }) || !is_visible(schema, values, field) {
            continue;
        }
        let v = values.get(&field.key).unwrap_or(&Value::Null);
        if let FieldKind::Table { columns, fixed_rows, .. } = &field.kind {
            let rows: &[Value] = v.as_array().map(Vec::as_slice).unwrap_or(&[]);
            let n = if fixed_rows.is_empty() { rows.len() } else { fixed_rows.len() };
            for i in 0..n {
                let row = rows.get(i).unwrap_or(&Value::Null);
                let row_name = fixed_rows.get(i).cloned().unwrap_or_else(|| format!("第{}行", i + 1));
                for col in columns {
                    out.push(Row {
                        key: format!("{}[{i}].{}", field.key, col.key),
                        label: format!("{} · {row_name} · {}", field.name(), col.name()),
                        value: display(col, row.get(&col.key).unwrap_or(&Value::Null), None),
                    });
                }
            }
            continue;
        }
        let mut value = display(field, v, values.get(format!("{}_other", field.key)));
        if let FieldKind::Computed { sum } = &field.kind
            && let Some(FieldKind::Table { columns, .. }) = schema.field(&sum.table).map(|t| &t.kind)
            && columns.iter().any(|c| c.key == sum.column && matches!(c.kind, FieldKind::Money { .. }))
            && !value.is_empty()
        {
            value = format!("{value} 万元");
        }
        out.push(Row { key: field.key.clone(), label: field.name().to_owned(), value });
    }
    out
}
