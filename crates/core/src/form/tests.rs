use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

/// A form with one field of each kind, a condition and a table with a computed sum: the engine's whole surface.
fn sample_schema() -> FormSchema {
    serde_json::from_value(json!({
        "title": "样例申报书",
        "sections": [
            { "key": "basic", "title": "基本情况", "fields": [
                { "key": "org_name", "label": "单位名称", "type": "reference", "source": "org.name" },
                { "key": "intro", "label": "企业简介", "type": "long_text", "max_length": 50, "min_length": 2, "required": true },
                { "key": "contact", "label": "联系人", "type": "text", "max_length": 10, "required": true },
                { "key": "staff", "label": "研发人员", "type": "number", "unit": "人", "min": 0, "max": 100000, "required": true },
                { "key": "ratio", "label": "研发投入占比", "type": "number", "unit": "%", "min": 0, "max": 100, "decimals": 2 },
                { "key": "capital", "label": "注册资本", "type": "money", "max": 1000000 },
                { "key": "founded", "label": "成立日期", "type": "date", "min": "1949-10-01", "required": true },
                { "key": "period", "label": "项目周期", "type": "date_range" },
                { "key": "domain", "label": "申报方向", "type": "choice", "options": ["装备", "软件"], "other": true, "required": true },
                { "key": "needs", "label": "转型需求", "type": "choice", "options": ["研发设计", "生产制造", "经营管理"], "multiple": true, "other": true, "max_selected": 3 },
                { "key": "has_patents", "label": "是否拥有发明专利", "type": "yes_no", "required": true },
                { "key": "patents", "label": "发明专利数", "type": "number", "unit": "项", "min": 1, "required": true, "when": { "field": "has_patents", "equals": true } },
                { "key": "note", "label": "说明", "type": "notice", "text": "以下内容据实填写" },
                { "key": "credit_code", "label": "统一社会信用代码", "type": "text", "format": "uscc", "max_length": 18, "required": true },
                { "key": "mobile", "label": "联系电话", "type": "text", "format": "phone", "max_length": 20 },
                { "key": "region", "label": "所在地区", "type": "region", "required": true }
            ]},
            { "key": "finance", "title": "经营情况", "fields": [
                { "key": "years", "label": "近三年经营情况", "type": "table", "row_label": "年度", "fixed_rows": ["2021年", "2022年", "2023年"], "required": true, "columns": [
                    { "key": "revenue", "label": "营业收入", "type": "money", "required": true },
                    { "key": "rd", "label": "研发人员", "type": "number", "unit": "人", "min": 0 }
                ]},
                { "key": "revenue_total", "label": "三年营业收入合计", "type": "computed", "sum": { "table": "years", "column": "revenue" } },
                { "key": "cases", "label": "典型案例", "type": "table", "min_rows": 1, "max_rows": 5, "columns": [
                    { "key": "client", "label": "客户名称", "type": "text", "required": true, "max_length": 20 },
                    { "key": "amount", "label": "合同金额", "type": "money" },
                    { "key": "kind", "label": "类型", "type": "choice", "options": ["新建", "改造"] }
                ]},
                { "key": "cases_total", "label": "案例金额合计", "type": "computed", "sum": { "table": "cases", "column": "amount" } },
                { "key": "license", "label": "营业执照", "type": "file", "accept": ["pdf", "jpg"], "max_count": 2, "required": true }
            ]}
        ]
    }))
    .expect("the sample schema parses")
}

fn refs() -> References {
    [("org.name".to_owned(), "惠州某某智能装备有限公司".to_owned())].into_iter().collect()
}

fn valid_values() -> Value {
    json!({
        "intro": "专注于智能装备研发",
        "contact": "张三",
        "credit_code": "91440300708461136T",
        "mobile": "138 0013 8000",
        "region": "441302",
        "staff": "25",
        "ratio": "3.75",
        "capital": "1500.5",
        "founded": "2010-06-01",
        "period": { "start": "2024-01-01", "end": "2024-12-31" },
        "domain": "其他", "domain_other": "工业互联网平台",
        "needs": ["研发设计", "其他"], "needs_other": "绿色低碳",
        "has_patents": true, "patents": 6,
        "years": [{ "revenue": "1200", "rd": "20" }, { "revenue": "1500.25", "rd": 22 }, { "revenue": "1800.000001" }],
        "cases": [{ "client": "甲公司", "amount": "30", "kind": "改造" }],
        "license": ["f-1"]
    })
}

#[test]
fn the_sample_schema_passes_its_check_and_a_complete_application_validates() {
    let schema = sample_schema();
    assert_eq!(check_schema(&schema), vec![]);
    let values = complete(&schema, &valid_values(), &refs());
    assert_eq!(values["org_name"], "惠州某某智能装备有限公司");
    assert_eq!(values["revenue_total"], "4500.250001");
    assert_eq!(values["cases_total"], "30");
    assert_eq!(validate(&schema, &values), Ok(()));
}

#[test]
fn a_hidden_field_is_neither_checked_nor_shown_but_kept() {
    let schema = sample_schema();
    let mut v = valid_values();
    v["has_patents"] = json!(false);
    v["patents"] = json!("not a number");
    let v = complete(&schema, &v, &refs());
    assert_eq!(validate(&schema, &v), Ok(()));
    assert!(rows(&schema, &v).iter().all(|r| r.key != "patents"));
    assert_eq!(v["patents"], "not a number", "what was typed is kept");
}

fn problems_of(values: Value) -> Vec<Problem> {
    let schema = sample_schema();
    let values = complete(&schema, &values, &refs());
    validate(&schema, &values).err().unwrap_or_default()
}

fn with(key: &str, value: Value) -> Value {
    let mut v = valid_values();
    if value.is_null() {
        v.as_object_mut().unwrap().remove(key);
    } else {
        v[key] = value;
    }
    v
}

#[test]
fn each_rule_is_refused_with_the_fields_message() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (with("intro", Value::Null), "intro", "请填写「企业简介」"),
        (with("intro", json!("好".repeat(51))), "intro", "「企业简介」不能超过50字（已填51字）"),
        (with("intro", json!("好")), "intro", "「企业简介」至少需要2字（已填1字）"),
        (with("staff", json!("2.5")), "staff", "「研发人员」应为整数"),
        (with("staff", json!("-1")), "staff", "「研发人员」不能小于0人"),
        (with("staff", json!("abc")), "staff", "「研发人员」「abc」不是有效的数字"),
        (with("ratio", json!("100.01")), "ratio", "「研发投入占比」不能大于100%"),
        (with("ratio", json!("1.234")), "ratio", "「研发投入占比」最多保留2位小数"),
        (with("capital", json!("-5")), "capital", "「注册资本」不能为负数"),
        (with("capital", json!("1.0000001")), "capital", "「注册资本」最多保留6位小数（万元精确到分）"),
        (with("capital", json!("1000001")), "capital", "「注册资本」不能超过1000000万元"),
        (with("founded", json!("2023-02-30")), "founded", "「成立日期」不是有效的日期"),
        (with("founded", json!("1900-01-01")), "founded", "「成立日期」不能早于1949-10-01"),
        (with("period", json!({ "start": "2024-12-31", "end": "2024-01-01" })), "period", "「项目周期」的开始日期不能晚于结束日期"),
        (with("period", json!({ "start": "2024-12-31" })), "period", "请完整选择「项目周期」的开始和结束日期"),
        (with("domain", json!("硬件")), "domain", "「申报方向」没有「硬件」这个选项"),
        (with("domain", Value::Null), "domain", "请选择「申报方向」"),
        (with("domain_other", Value::Null), "domain_other", "选择了「其他」，请填写「申报方向」的「其他」说明"),
        (with("needs", json!(["研发设计", "研发设计"])), "needs", "「转型需求」有重复的选项"),
        (with("needs", json!(["研发设计", "生产制造", "经营管理", "其他"])), "needs", "「转型需求」最多选择3项"),
        (with("has_patents", Value::Null), "has_patents", "请选择「是否拥有发明专利」"),
        (with("patents", json!("0")), "patents", "「发明专利数」不能小于1项"),
        (with("patents", Value::Null), "patents", "请填写「发明专利数」"),
        (with("years", json!([{ "revenue": "1" }, { "revenue": "2" }])), "years[2].revenue", "请填写「近三年经营情况」2023年的「营业收入」"),
        (with("years", json!([{ "revenue": "x" }, { "revenue": "2" }, { "revenue": "3" }])), "years[0].revenue", "「近三年经营情况」2021年的「营业收入」「x」不是有效的金额（单位：万元）"),
        (with("cases", json!([])), "cases", "「典型案例」至少需要填写1行（已填0行）"),
        (with("cases", json!((0..6).map(|i| json!({ "client": format!("客户{i}") })).collect::<Vec<_>>())), "cases", "「典型案例」最多5行（已填6行）"),
        (with("cases", json!([{ "client": "" }])), "cases[0].client", "请填写「典型案例」第1行的「客户名称」"),
        (with("cases", json!([{ "client": "甲", "kind": "拆除" }])), "cases[0].kind", "「典型案例」第1行的「类型」没有「拆除」这个选项"),
        (with("license", json!([])), "license", "请上传「营业执照」"),
        (with("license", json!(["a", "b", "c"])), "license", "「营业执照」最多上传2个文件（已上传3个）"),
        (with("credit_code", Value::Null), "credit_code", "请填写「统一社会信用代码」"),
        (with("credit_code", json!("91440300708461136")), "credit_code", "「统一社会信用代码」应为18位，当前为17位"),
        (with("credit_code", json!("91440300708461136A")), "credit_code", "「统一社会信用代码」校验位不正确，请核对后重新输入"),
        (with("credit_code", json!("9144030070846113IT")), "credit_code", "「统一社会信用代码」第17位不能使用字母“I”（代码中不使用I、O、Z、S、V）"),
        (with("mobile", json!("1380013800")), "mobile", "「联系电话」应为11位手机号码，当前为10位"),
        (with("mobile", json!("01012345678")), "mobile", "「联系电话」应为以13-19开头的11位手机号码"),
        (with("mobile", json!("+85291234567")), "mobile", "「联系电话」仅支持中国大陆手机号码（+86）"),
        (with("mobile", json!("138o0138000")), "mobile", "「联系电话」只能包含数字，不能包含“o”"),
        (with("region", Value::Null), "region", "请选择「所在地区」"),
        (with("region", json!("4413")), "region", "「所在地区」须为6位（省、市、县级）或9位（乡镇、街道级）数字，当前为4位"),
        (with("region", json!("991302")), "region", "「所在地区」前两位“99”不是有效的省级代码"),
        (with("region", json!("44130a")), "region", "「所在地区」只能包含数字，不能包含“a”"),
        (with("region", json!(441302)), "region", "「所在地区」应为地区代码"),
    ];
    for (values, field, message) in cases {
        let problems = problems_of(values.clone());
        assert!(
            problems.iter().any(|p| p.field == field && p.message == message),
            "expected {field}: {message}\n got {problems:?}\n for {values}"
        );
    }
}

#[test]
fn a_computed_value_the_browser_sends_is_replaced() {
    let schema = sample_schema();
    let v = complete(&schema, &with("revenue_total", json!("999999")), &refs());
    assert_eq!(v["revenue_total"], "4500.250001");
    let mut tampered = v.clone();
    tampered["revenue_total"] = json!("1");
    let problems = validate(&schema, &tampered).unwrap_err();
    assert_eq!(problems[0].field, "revenue_total");
}

#[test]
fn rows_read_as_the_reviewer_sees_them() {
    let schema = sample_schema();
    let v = complete(&schema, &valid_values(), &refs());
    let rows = rows(&schema, &v);
    let get = |k: &str| rows.iter().find(|r| r.key == k).map(|r| (r.label.as_str(), r.value.as_str()));
    assert_eq!(get("domain"), Some(("申报方向", "其他（工业互联网平台）")));
    assert_eq!(get("needs"), Some(("转型需求", "研发设计、其他（绿色低碳）")));
    assert_eq!(get("has_patents"), Some(("是否拥有发明专利", "是")));
    assert_eq!(get("staff"), Some(("研发人员", "25 人")));
    assert_eq!(get("capital"), Some(("注册资本", "1500.5 万元")));
    assert_eq!(get("years[1].revenue"), Some(("近三年经营情况 · 2022年 · 营业收入", "1500.25 万元")));
    assert_eq!(get("revenue_total"), Some(("三年营业收入合计", "4500.250001 万元")));
    assert_eq!(get("period"), Some(("项目周期", "2024-01-01 至 2024-12-31")));
    assert_eq!(get("license"), Some(("营业执照", "1个文件")));
    assert_eq!(get("credit_code"), Some(("统一社会信用代码", "91440300708461136T")));
    assert_eq!(get("mobile"), Some(("联系电话", "138 0013 8000")));
    assert_eq!(get("region"), Some(("所在地区", "441302")));
    assert!(get("note").is_none());
}

#[test]
fn drafts_keep_anything_of_the_right_type() {
    let schema = sample_schema();
    assert_eq!(check_draft(&schema, &json!({ "intro": "半", "unknown": 1 })), vec![]);
    let p = check_draft(&schema, &json!({ "intro": 5, "years": [{ "revenue": true }], "has_patents": "是" }));
    let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, vec!["intro", "has_patents", "years[0].revenue"]);
    assert_eq!(check_draft(&schema, &json!([])).len(), 1);
}

/// A table whose rows each carry their own file: a contract's name and its 项目合同 (PDF).
fn contracts_schema() -> FormSchema {
    schema_with(vec![field_json("contracts", json!({ "type": "table", "label": "合同", "required": true, "max_rows": 10, "columns": [
        { "key": "name", "label": "项目名称", "type": "text", "required": true },
        { "key": "scan", "label": "项目合同", "type": "file", "accept": ["pdf"], "max_mb": 10, "max_count": 2, "required": true },
        { "key": "annex", "label": "补充协议", "type": "file", "accept": ["pdf", "jpg"], "max_count": 5 }
    ]}))])
    .expect("a table with file columns passes the schema check")
}

#[test]
fn a_table_with_a_file_column_validates_and_reads_as_file_counts() {
    let schema = contracts_schema();
    let values = json!({ "contracts": [
        { "name": "产线改造", "scan": ["f-1"] },
        { "name": "系统集成", "scan": ["f-2", "f-3"], "annex": ["f-4"] }
    ]});
    assert_eq!(check_draft(&schema, &values), vec![]);
    assert_eq!(validate(&schema, &values), Ok(()));
    let rows = rows(&schema, &values);
    let get = |k: &str| rows.iter().find(|r| r.key == k).map(|r| (r.label.as_str(), r.value.as_str()));
    assert_eq!(get("contracts[0].scan"), Some(("合同 · 第1行 · 项目合同", "1个文件")));
    assert_eq!(get("contracts[1].scan"), Some(("合同 · 第2行 · 项目合同", "2个文件")));
    assert_eq!(get("contracts[0].annex"), Some(("合同 · 第1行 · 补充协议", "")));
}

#[test]
fn a_row_without_its_required_file_is_refused_naming_the_row() {
    let schema = contracts_schema();
    let values = json!({ "contracts": [
        { "name": "产线改造", "scan": ["f-1"] },
        { "name": "系统集成", "scan": [] },
        { "name": "设备采购" },
        { "name": "平台建设", "scan": ["a", "b", "c"] }
    ]});
    let problems = validate(&schema, &values).unwrap_err();
    assert_eq!(
        problems,
        vec![
            Problem { field: "contracts[1].scan".into(), message: "请上传「合同」第2行的「项目合同」".into() },
            Problem { field: "contracts[2].scan".into(), message: "请上传「合同」第3行的「项目合同」".into() },
            Problem { field: "contracts[3].scan".into(), message: "「合同」第4行的「项目合同」最多上传2个文件（已上传3个）".into() },
        ]
    );
}

#[test]
fn a_file_cell_that_is_not_a_list_of_ids_is_refused_in_a_draft() {
    let schema = contracts_schema();
    for bad in [json!("f-1"), json!([1]), json!({ "id": "f-1" }), json!(true)] {
        let p = check_draft(&schema, &json!({ "contracts": [{ "name": "产线改造", "scan": ["f-1"] }, { "scan": bad }] }));
        assert_eq!(p, vec![Problem { field: "contracts[1].scan".into(), message: "「合同」第2行「项目合同」的格式不正确".into() }], "{bad}");
    }
    // Half filled in is fine in a draft: an empty cell, no file yet.
    assert_eq!(check_draft(&schema, &json!({ "contracts": [{ "name": "产线改造", "scan": [] }, {}] })), vec![]);
}

fn field_json(key: &str, extra: Value) -> Value {
    let mut f = json!({ "key": key, "label": key.to_uppercase() });
    for (k, v) in extra.as_object().unwrap() {
        f[k] = v.clone();
    }
    f
}

fn schema_with(fields: Vec<Value>) -> Result<FormSchema, Vec<Problem>> {
    parse_schema(&json!({ "title": "表", "sections": [{ "key": "s", "title": "分组", "fields": fields }] }))
}

#[test]
fn schemas_that_cannot_be_filled_are_refused_with_a_message() {
    let refused: Vec<(Vec<Value>, &str)> = vec![
        (vec![field_json("a", json!({ "type": "yes_no", "required": true, "when": { "field": "a", "equals": true } }))], "依赖它自己"),
        (vec![field_json("a", json!({ "type": "text", "when": { "field": "b", "equals": true } })), field_json("b", json!({ "type": "yes_no" }))], "不存在或在它之后"),
        (vec![field_json("a", json!({ "type": "text" })), field_json("b", json!({ "type": "text", "when": { "field": "a", "equals": "x" } }))], "只能引用是/否或单选字段"),
        (vec![field_json("a", json!({ "type": "choice", "options": ["甲"] })), field_json("b", json!({ "type": "text", "required": true, "when": { "field": "a", "equals": "乙" } }))], "永远不会显示"),
        (vec![field_json("t", json!({ "type": "table", "columns": [{ "key": "c", "label": "C", "type": "text" }] })), field_json("s", json!({ "type": "computed", "sum": { "table": "t", "column": "c" } }))], "只能合计数字或金额列"),
        (vec![field_json("t", json!({ "type": "table", "columns": [{ "key": "c", "label": "C", "type": "money" }] })), field_json("s", json!({ "type": "computed", "sum": { "table": "t", "column": "x" } }))], "不在表格"),
        (vec![field_json("s", json!({ "type": "computed", "sum": { "table": "t", "column": "c" } }))], "不存在或在它之后"),
        (vec![field_json("a", json!({ "type": "text" })), field_json("a", json!({ "type": "text" }))], "与其他字段重复"),
        (vec![field_json("A b", json!({ "type": "text" }))], "只能用小写字母"),
        (vec![field_json("n", json!({ "type": "number", "min": 5, "max": 1 }))], "最小值大于最大值"),
        (vec![field_json("t", json!({ "type": "table", "min_rows": 3, "max_rows": 2, "columns": [{ "key": "c", "label": "C", "type": "text" }] }))], "最少行数大于最多行数"),
        (vec![field_json("f", json!({ "type": "file", "accept": ["exe"] }))], "不受支持"),
        (vec![field_json("r", json!({ "type": "reference", "source": "org.secret" }))], "不存在"),
        (vec![field_json("r", json!({ "type": "reference", "source": "org.name", "required": true }))], "不能设为必填"),
        (vec![field_json("c", json!({ "type": "choice", "options": [] }))], "还没有选项"),
        (vec![field_json("c", json!({ "type": "choice", "options": ["甲"], "other": true })), field_json("c_other", json!({ "type": "text" }))], "占用"),
        (vec![field_json("c", json!({ "type": "text", "format": "uscc", "max_length": 17 }))], "最大字数不能少于18"),
        (vec![field_json("c", json!({ "type": "long_text", "format": "phone" }))], "只有单行文本可以设置格式"),
        (vec![field_json("r", json!({ "type": "region", "format": "phone" }))], "只有单行文本可以设置格式"),
        (vec![field_json("n", json!({ "type": "text", "format": "company_name", "max_length": 1 }))], "最大字数不能少于2"),
        (vec![field_json("t", json!({ "type": "table", "columns": [{ "key": "r", "label": "R", "type": "region" }] }))], "表格的列只能是文本、数字、金额、日期、单选、是/否或附件"),
        (vec![field_json("t", json!({ "type": "table", "columns": [{ "key": "f", "label": "F", "type": "file", "accept": ["pdf"], "max_count": 6 }] }))], "文件个数上限应在1到5之间"),
        (vec![field_json("t", json!({ "type": "table", "columns": [{ "key": "f", "label": "F", "type": "file", "accept": ["pdf"], "template": { "name": "模板", "url": "/x" } }] }))], "不能设置模板"),
        (vec![field_json("t", json!({ "type": "table", "columns": [{ "key": "f", "label": "F", "type": "file", "accept": [] }] }))], "请选择允许的文件类型"),
        (vec![], "还没有字段"),
    ];
    for (fields, needle) in refused {
        let problems = schema_with(fields.clone()).expect_err(&format!("{fields:?} should be refused"));
        assert!(problems.iter().any(|p| p.message.contains(needle)), "expected …{needle}… in {problems:?}");
    }
    let unknown = parse_schema(&json!({ "title": "表", "sections": [{ "key": "s", "title": "分组", "fields": [{ "key": "a", "label": "A", "type": "colour" }] }] })).unwrap_err();
    assert!(unknown[0].message.starts_with("表单定义格式不正确"), "{unknown:?}");
    let unknown = parse_schema(&json!({ "title": "表", "sections": [{ "key": "s", "title": "分组", "fields": [{ "key": "a", "label": "A", "type": "text", "format": "email" }] }] })).unwrap_err();
    assert!(unknown[0].message.starts_with("表单定义格式不正确"), "{unknown:?}");
}

#[test]
fn seeded_forms_pass_the_schema_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/calls");
    let Ok(dirs) = std::fs::read_dir(&root) else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in dirs.flatten() {
        let Ok(forms) = std::fs::read_dir(dir.path().join("forms")) else { continue };
        for f in forms.flatten() {
            let text = std::fs::read_to_string(f.path()).unwrap();
            let json: Value = match serde_json::from_str(&text) {
                Ok(j) => j,
                Err(e) => {
                    failures.push(format!("{}: {e}", f.path().display()));
                    continue;
                }
            };
            checked += 1;
            if let Err(problems) = parse_schema(&json) {
                for p in problems {
                    failures.push(format!("{}: {} {}", f.path().display(), p.field, p.message));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{checked} seeded forms checked");
}

/// A value the renderer can produce for `field`, from a seed: the renderer only ever offers options, dates
/// from pickers, numbers within the input's bounds and step, rows within the table's bounds.
fn sample_value(field: &Field, seed: &mut u64) -> Value {
    let mut next = |n: u64| {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*seed >> 33) % n.max(1)
    };
    match &field.kind {
        FieldKind::Text { .. } if field.format == Some(TextFormat::Uscc) => {
            const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
            let first17: String = (0..17).map(|_| ALPHABET[next(ALPHABET.len() as u64) as usize] as char).collect();
            let check = crate::Uscc::compute_check_char(&first17).expect("17 characters of the alphabet");
            Value::String(format!("{first17}{check}"))
        }
        FieldKind::Text { .. } if field.format == Some(TextFormat::Phone) => Value::String(format!("1{}{:09}", 3 + next(7), next(1_000_000_000))),
        FieldKind::Region => Value::String(["440000", "441300", "441302", "441302001", "110101"][next(5) as usize].to_owned()),
        FieldKind::Text { max_length, min_length } | FieldKind::LongText { max_length, min_length } => {
            let len = (*min_length).max(1) as u64 + next((*max_length - (*min_length).max(1)) as u64 + 1);
            Value::String("字".repeat(len as usize))
        }
        FieldKind::Number { min, max, decimals, .. } => {
            let lo = min.as_ref().and_then(Decimal::from_json).map(|d| d.to_string().parse::<f64>().unwrap().ceil() as i64).unwrap_or(0);
            let hi = max.as_ref().and_then(Decimal::from_json).map(|d| d.to_string().parse::<f64>().unwrap().floor() as i64).unwrap_or(lo + 1000);
            let int = lo + next((hi - lo).max(0) as u64 + 1) as i64;
            if *decimals > 0 && int < hi { Value::String(format!("{int}.{}", next(9) + 1)) } else { Value::String(int.to_string()) }
        }
        FieldKind::Money { .. } => Value::String(format!("{}.{:02}", next(100_000), next(100))),
        FieldKind::Date { .. } => Value::String(format!("2024-{:02}-{:02}", next(12) + 1, next(28) + 1)),
        FieldKind::DateRange => json!({ "start": "2024-01-01", "end": format!("2024-{:02}-28", next(12) + 1) }),
        FieldKind::Choice { options, multiple: false, .. } => Value::String(options[next(options.len() as u64) as usize].clone()),
        FieldKind::Choice { options, multiple: true, max_selected, .. } => {
            let n = 1 + next(max_selected.map(|m| m as u64).unwrap_or(options.len() as u64).min(options.len() as u64)) as usize;
            json!(options.iter().take(n).collect::<Vec<_>>())
        }
        FieldKind::YesNo => Value::Bool(next(2) == 0),
        FieldKind::File { max_count, .. } => json!((0..1 + next(*max_count as u64)).map(|i| format!("file-{i}")).collect::<Vec<_>>()),
        FieldKind::Table { columns, fixed_rows, min_rows, max_rows, .. } => {
            let n = if fixed_rows.is_empty() {
                let lo = (*min_rows).max(1) as u64;
                (lo + next(max_rows.unwrap_or(5).min(5) as u64 - lo.min(5) + 1)) as usize
            } else {
                fixed_rows.len()
            };
            json!((0..n).map(|_| columns.iter().map(|c| (c.key.clone(), sample_value(c, seed))).collect::<serde_json::Map<_, _>>()).collect::<Vec<_>>())
        }
        FieldKind::Reference { .. } | FieldKind::Computed { .. } | FieldKind::Notice { .. } => Value::Null,
    }
}

fn sample_values(schema: &FormSchema, seed: u64) -> Value {
    let mut seed = seed;
    let mut out = serde_json::Map::new();
    for (_, f) in all_fields(schema) {
        let v = sample_value(f, &mut seed);
        if !v.is_null() {
            out.insert(f.key.clone(), v);
        }
    }
    Value::Object(out)
}

fn seeded_schemas() -> Vec<FormSchema> {
    // The sample schema mirrors the web's `sampleSchema.ts`; file cells come with the contracts table.
    let mut out = vec![sample_schema(), contracts_schema()];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/calls");
    let mut files: Vec<std::path::PathBuf> = platform_forms();
    for dir in std::fs::read_dir(root).into_iter().flatten().flatten() {
        files.extend(std::fs::read_dir(dir.path().join("forms")).into_iter().flatten().flatten().map(|f| f.path()));
    }
    for f in files {
        if let Ok(s) = parse_schema(&serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()) {
            out.push(s);
        }
    }
    out
}

/// The platform's own forms in `data/forms` (信息变更), embedded by the server.
fn platform_forms() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/forms");
    std::fs::read_dir(root).into_iter().flatten().flatten().map(|f| f.path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect()
}

#[test]
fn the_platforms_own_forms_pass_the_schema_check() {
    let files = platform_forms();
    assert!(!files.is_empty(), "data/forms holds the 信息变更 form");
    for f in files {
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let schema = parse_schema(&json).unwrap_or_else(|p| panic!("{}: {p:?}", f.display()));
        // Serializing gives the same document back (the web fetches the schema as the server holds it).
        assert_eq!(parse_schema(&serde_json::to_value(&schema).unwrap()), Ok(schema.clone()));
        if f.ends_with("info_change.json") {
            assert_eq!(schema.field("name").and_then(|f| f.format), Some(TextFormat::CompanyName));
            assert_eq!(schema.field("uscc").and_then(|f| f.format), Some(TextFormat::Uscc));
            assert_eq!(schema.field("contact_phone").and_then(|f| f.format), Some(TextFormat::Phone));
            assert!(matches!(schema.field("region_code").map(|f| &f.kind), Some(FieldKind::Region)));
        }
    }
}

#[test]
fn format_and_region_serialize_beside_the_type() {
    let schema = sample_schema();
    let json = serde_json::to_value(&schema).unwrap();
    let fields = &json["sections"][0]["fields"];
    assert_eq!(fields[13], json!({ "key": "credit_code", "label": "统一社会信用代码", "type": "text", "format": "uscc", "max_length": 18, "required": true }));
    assert_eq!(fields[15], json!({ "key": "region", "label": "所在地区", "type": "region", "required": true }));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any value the renderer can produce validates, whichever conditions it happens to switch on.
    #[test]
    fn any_value_the_renderer_can_produce_validates(seed in any::<u64>(), which in any::<usize>()) {
        let schemas = seeded_schemas();
        let schema = &schemas[which % schemas.len()];
        let values = complete(schema, &sample_values(schema, seed), &refs());
        prop_assert_eq!(check_draft(schema, &values), vec![]);
        let result = validate(schema, &values);
        prop_assert!(result.is_ok(), "{:?}\n{}", result, values);
    }

    /// Computed fields always equal the sum of their column, exactly.
    #[test]
    fn computed_fields_equal_their_definition(cents in proptest::collection::vec(0u64..10_000_000_000, 3)) {
        let schema = sample_schema();
        let mut v = valid_values();
        v["years"] = json!(cents.iter().map(|c| json!({ "revenue": format!("{}.{:06}", c / 1_000_000, c % 1_000_000) })).collect::<Vec<_>>());
        let v = complete(&schema, &v, &refs());
        let total: u64 = cents.iter().sum();
        let want = Money::parse_wan(&format!("{}.{:06}", total / 1_000_000, total % 1_000_000)).unwrap().exact_wan();
        prop_assert_eq!(v["revenue_total"].as_str().unwrap(), want.as_str());
        prop_assert!(validate(&schema, &v).is_ok());
    }

    /// Arbitrary JSON never panics the checks and never passes a required field that is empty.
    #[test]
    fn arbitrary_values_never_panic(text in ".{0,8}", n in any::<i64>(), b in any::<bool>()) {
        let schema = sample_schema();
        for v in [json!(text), json!(n), json!(b), json!([text]), json!({ "start": text }), Value::Null] {
            for (_, f) in all_fields(&schema) {
                let mut values = valid_values();
                values[&f.key] = v.clone();
                let _ = check_draft(&schema, &values);
                let _ = validate(&schema, &complete(&schema, &values, &refs()));
                let _ = rows(&schema, &values);
            }
        }
    }
}

use crate::Money;
