//! Refusing a form that cannot be filled or stored, before anyone is asked to fill it: duplicate keys, a
//! condition on itself or on a field that comes later, a computed sum over a column that does not exist,
//! bounds the other way round. Each problem names the section and field the designer sees.

use std::collections::{BTreeMap, BTreeSet};

use super::number::Decimal;
use super::schema::*;
use super::Problem;

/// Every problem of `schema`, by path (`sections[1].fields[3]`); empty when it can be published.
pub fn check_schema(schema: &FormSchema) -> Vec<Problem> {
    let mut c = Checker::default();
    if schema.title.trim().is_empty() {
        c.push("title".into(), "请填写表单名称".into());
    }
    if schema.sections.is_empty() {
        c.push("sections".into(), "表单至少需要一个分组".into());
    }
    if schema.sections.len() > MAX_SECTIONS {
        c.push("sections".into(), format!("分组不能超过{MAX_SECTIONS}个"));
    }
    if all_fields(schema).count() > MAX_FIELDS {
        c.push("sections".into(), format!("字段总数不能超过{MAX_FIELDS}个"));
    }
    let mut section_keys = BTreeSet::new();
    // Keys seen so far, in document order, with their field: a condition may only name one of these.
    let mut earlier: BTreeMap<&str, &Field> = BTreeMap::new();
    let mut tables: BTreeMap<&str, &Field> = BTreeMap::new();
    for (si, section) in schema.sections.iter().enumerate() {
        let sp = format!("sections[{si}]");
        let sname = if section.title.trim().is_empty() { format!("第{}个分组", si + 1) } else { format!("分组「{}」", section.title.trim()) };
        if section.title.trim().is_empty() {
            c.push(format!("{sp}.title"), format!("请填写{sname}的名称"));
        }
        if !valid_key(&section.key) {
            c.push(format!("{sp}.key"), format!("{sname}的标识「{}」只能用小写字母、数字和下划线，以字母开头，不超过40个字符", section.key));
        } else if !section_keys.insert(section.key.as_str()) {
            c.push(format!("{sp}.key"), format!("{sname}的标识「{}」与其他分组重复", section.key));
        }
        if section.fields.is_empty() {
            c.push(format!("{sp}.fields"), format!("{sname}还没有字段"));
        }
        for (fi, field) in section.fields.iter().enumerate() {
            let fp = format!("{sp}.fields[{fi}]");
            let fname = format!("{sname}的字段「{}」", field.name());
            c.field(&fp, &fname, field, false);
            if valid_key(&field.key) {
                if earlier.contains_key(field.key.as_str()) {
                    c.push(format!("{fp}.key"), format!("{fname}的标识「{}」与其他字段重复", field.key));
                }
                if let Some(base) = field.key.strip_suffix("_other")
                    && earlier.get(base).is_some_and(|f| matches!(f.kind, FieldKind::Choice { other: true, .. }))
                {
                    c.push(format!("{fp}.key"), format!("{fname}的标识「{}」已被「{}」的「其他」说明占用", field.key, base));
                }
            }
            if let Some(cond) = &field.when {
                c.condition(&fp, &fname, field, cond, &earlier);
            }
            if let FieldKind::Computed { sum } = &field.kind {
                c.computed(&fp, &fname, sum, &tables);
            }
            earlier.insert(field.key.as_str(), field);
            if matches!(field.kind, FieldKind::Table { .. }) {
                tables.insert(field.key.as_str(), field);
            }
        }
    }
    c.problems
}

/// `^[a-z][a-z0-9_]{0,39}$`: a key is part of every stored value document and of field paths in messages.
pub fn valid_key(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty() && b.len() <= 40 && b[0].is_ascii_lowercase() && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, field: String, message: String) {
        self.problems.push(Problem { field, message });
    }

    fn field(&mut self, fp: &str, fname: &str, field: &Field, in_table: bool) {
        if !valid_key(&field.key) {
            self.push(format!("{fp}.key"), format!("{fname}的标识「{}」只能用小写字母、数字和下划线，以字母开头，不超过40个字符", field.key));
        }
        if field.label.trim().is_empty() && !matches!(field.kind, FieldKind::Notice { .. }) {
            self.push(format!("{fp}.label"), format!("{fname}缺少名称"));
        }
        if field.label.chars().count() > 200 {
            self.push(format!("{fp}.label"), format!("{fname}的名称不能超过200字"));
        }
        if field.required && !field.is_input() {
            self.push(format!("{fp}.required"), format!("{fname}是{}，不能设为必填", field.kind_label()));
        }
        if let Some(format) = field.format {
            match &field.kind {
                FieldKind::Text { max_length, .. } if *max_length < format.min_max_length() => self.push(
                    format!("{fp}.max_length"),
                    format!("{fname}的格式是{}，最大字数不能少于{}", format.label(), format.min_max_length()),
                ),
                FieldKind::Text { .. } => {}
                _ => self.push(format!("{fp}.format"), format!("{fname}是{}，只有单行文本可以设置格式", field.kind_label())),
            }
        }
        match &field.kind {
            FieldKind::Text { max_length, min_length } | FieldKind::LongText { max_length, min_length } => {
                if *max_length == 0 || *max_length > MAX_TEXT {
                    self.push(format!("{fp}.max_length"), format!("{fname}的最大字数应在1到{MAX_TEXT}之间"));
                }
                if min_length > max_length {
                    self.push(format!("{fp}.min_length"), format!("{fname}的最少字数不能大于最大字数"));
                }
            }
            FieldKind::Number { min, max, decimals, unit } => {
                if *decimals > super::number::MAX_PLACES {
                    self.push(format!("{fp}.decimals"), format!("{fname}的小数位数不能超过{}位", super::number::MAX_PLACES));
                }
                let lo = min.as_ref().map(|n| (n, Decimal::from_json(n)));
                let hi = max.as_ref().map(|n| (n, Decimal::from_json(n)));
                for (name, b) in [("min", &lo), ("max", &hi)] {
                    if let Some((n, None)) = b {
                        self.push(format!("{fp}.{name}"), format!("{fname}的范围「{n}」不是有效的数字"));
                    }
                }
                if let (Some((_, Some(a))), Some((_, Some(b)))) = (lo, hi)
                    && a > b
                {
                    self.push(format!("{fp}.min"), format!("{fname}的最小值大于最大值，无法填写"));
                }
                if unit.as_deref().is_some_and(|u| u.chars().count() > 10) {
                    self.push(format!("{fp}.unit"), format!("{fname}的单位不能超过10字"));
                }
            }
            FieldKind::Money { max } => {
                if let Some(m) = max
                    && crate::Money::parse_wan(&m.to_string()).is_err()
                {
                    self.push(format!("{fp}.max"), format!("{fname}的上限「{m}」不是有效的万元金额"));
                }
            }
            FieldKind::Date { min, max } => {
                let lo = min.as_deref().map(|d| (d, super::values::parse_date(d)));
                let hi = max.as_deref().map(|d| (d, super::values::parse_date(d)));
                for (name, b) in [("min", &lo), ("max", &hi)] {
                    if let Some((d, None)) = b {
                        self.push(format!("{fp}.{name}"), format!("{fname}的日期范围「{d}」应为YYYY-MM-DD格式"));
                    }
                }
                if let (Some((_, Some(a))), Some((_, Some(b)))) = (lo, hi)
                    && a > b
                {
                    self.push(format!("{fp}.min"), format!("{fname}的最早日期晚于最晚日期，无法填写"));
                }
            }
            FieldKind::DateRange | FieldKind::YesNo | FieldKind::Region => {}
            FieldKind::Choice { options, multiple, other, max_selected } => {
                if options.is_empty() && !*other {
                    self.push(format!("{fp}.options"), format!("{fname}还没有选项"));
                }
                if options.len() > MAX_OPTIONS {
                    self.push(format!("{fp}.options"), format!("{fname}的选项不能超过{MAX_OPTIONS}个"));
                }
                let mut seen = BTreeSet::new();
                for (oi, o) in options.iter().enumerate() {
                    if o.trim().is_empty() {
                        self.push(format!("{fp}.options[{oi}]"), format!("{fname}的第{}个选项为空", oi + 1));
                    } else if !seen.insert(o.trim()) || (*other && o.trim() == OTHER) {
                        self.push(format!("{fp}.options[{oi}]"), format!("{fname}的选项「{o}」重复"));
                    }
                }
                if let Some(m) = max_selected {
                    if !*multiple {
                        self.push(format!("{fp}.max_selected"), format!("{fname}是单选，不能设置最多选择数"));
                    } else if *m == 0 {
                        self.push(format!("{fp}.max_selected"), format!("{fname}最多选择数至少为1"));
                    }
                }
                if in_table && (*multiple || *other) {
                    self.push(format!("{fp}.type"), format!("{fname}在表格中只能是单选，且不带「其他」"));
                }
            }
            FieldKind::Table { columns, fixed_rows, min_rows, max_rows, .. } => {
                if in_table {
                    self.push(format!("{fp}.type"), format!("{fname}：表格中不能再放表格"));
                    return;
                }
                if columns.is_empty() {
                    self.push(format!("{fp}.columns"), format!("{fname}还没有列"));
                }
                let mut keys = BTreeSet::new();
                for (ci, col) in columns.iter().enumerate() {
                    let cp = format!("{fp}.columns[{ci}]");
                    let cname = format!("{fname}的列「{}」", col.name());
                    if !matches!(
                        col.kind,
                        FieldKind::Text { .. }
                            | FieldKind::LongText { .. }
                            | FieldKind::Number { .. }
                            | FieldKind::Money { .. }
                            | FieldKind::Date { .. }
                            | FieldKind::Choice { .. }
                            | FieldKind::YesNo
                            | FieldKind::File { .. }
                    ) {
                        self.push(format!("{cp}.type"), format!("{cname}：表格的列只能是文本、数字、金额、日期、单选、是/否或附件"));
                        continue;
                    }
                    if col.when.is_some() {
                        self.push(format!("{cp}.when"), format!("{cname}：表格的列不能设置显示条件"));
                    }
                    if !keys.insert(col.key.as_str()) {
                        self.push(format!("{cp}.key"), format!("{cname}的标识「{}」与其他列重复", col.key));
                    }
                    self.field(&cp, &cname, col, true);
                }
                if !fixed_rows.is_empty() {
                    if *min_rows != 0 || max_rows.is_some() {
                        self.push(format!("{fp}.fixed_rows"), format!("{fname}已固定行，不能再设置行数范围"));
                    }
                    let mut seen = BTreeSet::new();
                    for r in fixed_rows {
                        if r.trim().is_empty() || !seen.insert(r.trim()) {
                            self.push(format!("{fp}.fixed_rows"), format!("{fname}的固定行名称不能为空或重复"));
                            break;
                        }
                    }
                    if fixed_rows.len() as u32 > MAX_ROWS {
                        self.push(format!("{fp}.fixed_rows"), format!("{fname}的行数不能超过{MAX_ROWS}"));
                    }
                } else {
                    let max = max_rows.unwrap_or(MAX_ROWS);
                    if max == 0 || max > MAX_ROWS {
                        self.push(format!("{fp}.max_rows"), format!("{fname}的最多行数应在1到{MAX_ROWS}之间"));
                    }
                    if *min_rows > max {
                        self.push(format!("{fp}.min_rows"), format!("{fname}的最少行数大于最多行数，无法填写"));
                    }
                }
            }
            FieldKind::File { accept, max_mb, max_count, template } => {
                if accept.is_empty() {
                    self.push(format!("{fp}.accept"), format!("{fname}请选择允许的文件类型"));
                }
                for a in accept {
                    if !FILE_TYPES.contains(&a.as_str()) {
                        self.push(format!("{fp}.accept"), format!("{fname}的文件类型「{a}」不受支持（可选：{}）", FILE_TYPES.join("、")));
                    }
                }
                if *max_mb == 0 || *max_mb > MAX_FILE_MB {
                    self.push(format!("{fp}.max_mb"), format!("{fname}的文件大小上限应在1到{MAX_FILE_MB} MB之间"));
                }
                // A cell holds a few files beside the row's other values (项目合同 per contract row); a field
                // may take many.
                let most = if in_table { MAX_CELL_FILES } else { MAX_FILES };
                if *max_count == 0 || *max_count > most {
                    self.push(format!("{fp}.max_count"), format!("{fname}的文件个数上限应在1到{most}之间"));
                }
                if in_table && template.is_some() {
                    // A template link in every row would crowd the cells: one in the table's hint serves all rows.
                    self.push(format!("{fp}.template"), format!("{fname}：表格中的附件列不能设置模板，请在表格的填写说明中提供模板"));
                } else if let Some(t) = template
                    && (t.name.trim().is_empty() || t.url.trim().is_empty())
                {
                    self.push(format!("{fp}.template"), format!("{fname}的模板需要名称和地址"));
                }
            }
            FieldKind::Reference { source } => {
                if !REFERENCE_SOURCES.iter().any(|(s, _)| s == source) {
                    self.push(format!("{fp}.source"), format!("{fname}引用的信息「{source}」不存在"));
                }
            }
            FieldKind::Computed { .. } => {}
            FieldKind::Notice { text } => {
                if text.trim().is_empty() {
                    self.push(format!("{fp}.text"), format!("{fname}的说明文字为空"));
                }
            }
        }
    }

    fn condition(&mut self, fp: &str, fname: &str, field: &Field, cond: &Condition, earlier: &BTreeMap<&str, &Field>) {
        let path = format!("{fp}.when");
        if cond.field == field.key {
            let what = if field.required { "必填字段" } else { "字段" };
            self.push(path, format!("{fname}的显示条件依赖它自己：这个{what}永远无法显示和填写"));
            return;
        }
        let Some(target) = earlier.get(cond.field.as_str()) else {
            self.push(path, format!("{fname}的显示条件引用的字段「{}」不存在或在它之后，请引用前面的是/否或单选字段", cond.field));
            return;
        };
        match &target.kind {
            FieldKind::YesNo => {
                if !cond.equals.is_boolean() {
                    self.push(path, format!("{fname}的显示条件应为「{}」选是或否", target.name()));
                }
            }
            FieldKind::Choice { multiple: false, options, other, .. } => {
                let ok = cond.equals.as_str().is_some_and(|v| options.iter().any(|o| o == v) || (*other && v == OTHER));
                if !ok {
                    let what = if field.required { "这个必填字段" } else { "这个字段" };
                    self.push(path, format!("{fname}的显示条件「{}」不是「{}」的选项，{what}永远不会显示", cond.equals, target.name()));
                }
            }
            _ => self.push(path, format!("{fname}的显示条件只能引用是/否或单选字段，「{}」是{}", target.name(), target.kind_label())),
        }
    }

    fn computed(&mut self, fp: &str, fname: &str, sum: &ColumnRef, tables: &BTreeMap<&str, &Field>) {
        let path = format!("{fp}.sum");
        let Some(table) = tables.get(sum.table.as_str()) else {
            self.push(path, format!("{fname}要合计的表格「{}」不存在或在它之后", sum.table));
            return;
        };
        let FieldKind::Table { columns, .. } = &table.kind else { return };
        match columns.iter().find(|c| c.key == sum.column) {
            None => self.push(path, format!("{fname}要合计的列「{}」不在表格「{}」中", sum.column, table.name())),
            Some(col) if !matches!(col.kind, FieldKind::Number { .. } | FieldKind::Money { .. }) => {
                self.push(path, format!("{fname}只能合计数字或金额列，「{}」是{}", col.name(), col.kind_label()))
            }
            Some(_) => {}
        }
    }
}

/// The most files one table cell may hold (a file column's `max_count`).
const MAX_CELL_FILES: u32 = 5;

/// The option a choice with `other` adds.
pub const OTHER: &str = "其他";
