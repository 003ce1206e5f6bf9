//! Unit tests against the 2024 edition (a copy of the data file under
//! `tests/fixtures/`).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::edition::{FillInKind, QuestionType};
use super::score::determine_level;
use super::*;
use crate::ErrorCode;

pub(super) const FIXTURE: &str = include_str!("../../tests/fixtures/sme_digital_level_2024.json");

pub(super) fn edition() -> &'static Edition {
    static EDITION: OnceLock<Edition> = OnceLock::new();
    EDITION.get_or_init(|| Edition::from_json(FIXTURE).expect("the 2024 edition loads"))
}

/// Every question at its lowest option ("无" on multi-choice), every
/// scenario 无等级.
pub(super) fn all_lowest() -> Answers {
    let mut a = Answers::default();
    for q in edition().questions() {
        a = a.with_options(q.no, &["A"]);
    }
    for s in edition().scenarios() {
        a = a.with_scenario(s.no, 0);
    }
    a
}

/// Every question at its best (all non-exclusive options ticked), every
/// scenario at `level`.
fn all_best(level: i64) -> Answers {
    let mut a = Answers::default();
    for q in edition().questions() {
        let keys: Vec<&str> = match q.kind {
            QuestionType::Single => vec![q.options.last().unwrap().key.as_str()],
            QuestionType::Multi => q
                .options
                .iter()
                .filter(|o| !q.is_exclusive(&o.key))
                .map(|o| o.key.as_str())
                .collect(),
        };
        a = a.with_options(q.no, &keys);
    }
    for s in edition().scenarios() {
        a = a.with_scenario(s.no, level);
    }
    a
}

/// The answer set reproducing the manual's worked example (seed 002 §03):
/// 基础 25.46, 管理 13.88, 成效 10, total 49.34, 二级, 16 scenarios built of
/// which 10 constrained.
pub(super) fn manual_example() -> Answers {
    let mut a = Answers::default()
        // Q1 工控网络 + 应用系统网络: 2 + 2
        .with_options(1, &["B", "C"])
        // Q2: 60 of 200 machines digitized = 30 % → C (20%,40%] = 3, derived
        .with_fill_in(2, "q2_equipment_total", 200.0)
        .with_fill_in(2, "q2_equipment_digitized", 60.0)
        // Q3: 30 of 200 networked = 15 % → B (10%,20%] = 1.5, derived
        .with_fill_in(3, "q3_equipment_networked", 30.0)
        // Q4: 8 business areas with automatic data collection: 8 × 10/14
        .with_options(4, &["B", "C", "D", "E", "F", "G", "H", "I"])
        // Q5 多个业务环节: 5
        .with_options(5, &["C"])
        // Q6 network security: 2 measures, 2.5
        .with_options(6, &["B", "C"])
        // Q7 data security: 3 measures, 3.75
        .with_options(7, &["B", "C", "D"])
        // Q8 已经着手开始进行单点或多点的数字化改造: 4.5
        .with_options(8, &["D"])
        // Q9 one rule set: 1.875
        .with_options(9, &["B"])
        // Q10 all five talent measures: 7.5
        .with_options(10, &["B", "C", "D", "E", "F"])
        // Q11 investment ≤ 10 % of revenue: 0
        .with_options(11, &["A"])
        .with_fill_in(11, "q11_avg_investment", 120.0)
        // Q12–Q15 all 持平: 3.5 + 3.5 + 1.5 + 1.5
        .with_options(12, &["B"])
        .with_fill_in(12, "q12_energy_last_year", 1200.0)
        .with_fill_in(12, "q12_energy_year_before", 1200.0)
        .with_options(13, &["B"])
        .with_fill_in(13, "q13_value", 98.5)
        .with_options(14, &["B"])
        .with_fill_in(14, "q14_employees_last_year", 100.0)
        .with_fill_in(14, "q14_revenue_last_year", 5000.0)
        .with_fill_in(14, "q14_employees_year_before", 100.0)
        .with_fill_in(14, "q14_revenue_year_before", 5000.0)
        .with_options(15, &["B"])
        .with_fill_in(15, "q15_cost_last_year", 4000.0)
        .with_fill_in(15, "q15_cost_year_before", 4000.0);
    // Every scenario built: the 10 constrained ones at 二级, the 6 others at 一级.
    for s in edition().scenarios() {
        a = a.with_scenario(s.no, if s.constrained { 2 } else { 1 });
    }
    a
}

fn parse(raw: &Answers) -> ParsedAnswers {
    Answers::parse(edition(), raw).unwrap_or_else(|e| panic!("{e}"))
}

fn score_of(raw: &Answers, weighting: Q4Weighting) -> AssessmentResult {
    score(edition(), &parse(raw), weighting).unwrap_or_else(|e| panic!("{e}"))
}

fn refused(raw: &Answers) -> AnswerError {
    Answers::parse(edition(), raw).expect_err("answers should be refused")
}

fn pts(milli: u64) -> Points {
    Points::from_milli(milli)
}

// ---------------------------------------------------------------------------
// Edition

#[test]
fn loads_the_2024_edition_with_all_its_data() {
    let e = edition();
    assert_eq!(e.name(), "中小企业数字化水平评测指标（2024年版）");
    assert_eq!(e.version(), "2024");
    assert!(
        e.provenance()
            .unwrap()
            .contains("independent re-implementation")
    );
    assert_eq!(e.total_points(), Points::from_int(100));
    let dims: Vec<(&str, Points)> = e
        .dimensions()
        .iter()
        .map(|d| (d.name.as_str(), d.points))
        .collect();
    assert_eq!(
        dims,
        [
            ("数字化基础", Points::from_int(50)),
            ("数字化管理", Points::from_int(30)),
            ("数字化成效", Points::from_int(20)),
        ]
    );
    assert_eq!(e.questions().len(), 15);
    assert_eq!(e.scenarios().len(), 16);
    assert_eq!(e.scenarios().iter().filter(|s| s.constrained).count(), 10);
    assert_eq!(
        e.scenario_groups(),
        [
            "产品生命周期数字化",
            "生产执行数字化",
            "供应链数字化",
            "管理决策数字化"
        ]
    );
    assert_eq!(
        e.level_rules().iter().map(|r| r.level).collect::<Vec<_>>(),
        [4, 3, 2, 1]
    );
    assert_eq!(e.level_rules()[2].display(), "二级（规范级）");
    assert_eq!(e.scoring_notes().len(), 9);
    assert_eq!(e.discrepancies().len(), 4);
    assert_eq!(e.data_notes().len(), 6);

    let q4 = e.question(4).unwrap();
    assert_eq!(q4.kind, QuestionType::Multi);
    assert_eq!(q4.kind.label(), "多选题");
    assert_eq!(q4.max, Points::from_int(10));
    assert_eq!(q4.option("O").unwrap().score, pts(900));
    assert_eq!(q4.option("O").unwrap().label, "人力资源");
    assert_eq!(q4.non_exclusive_count(), 14);
    assert_eq!(
        q4.field_sources.as_ref().unwrap()["exclusive_option"],
        "independent-reimplementation"
    );

    let q2 = e.question(2).unwrap();
    assert!(
        q2.description
            .as_deref()
            .unwrap()
            .starts_with("设备数字化率")
    );
    let total = q2.fill_in("q2_equipment_total").unwrap();
    assert_eq!(total.label, "其中生产设备数量为（台）");
    assert_eq!(total.unit.as_deref(), Some("台"));
    assert_eq!(total.kind, FillInKind::Count);
    assert_eq!(total.name, "生产设备数量");
    let rate = q2.fill_in("q2_rate").unwrap();
    assert_eq!(rate.kind, FillInKind::Percent);
    assert_eq!(rate.name, "生产设备数字化率");
    assert!(rate.note.as_deref().unwrap().contains("presumably"));
    assert!(e.is_derived(2) && e.is_derived(3) && !e.is_derived(11) && !e.is_derived(14));
    assert_eq!(e.question(11).unwrap().fill_ins[0].kind, FillInKind::Amount);
    assert_eq!(
        e.question(12).unwrap().fill_ins[0].kind,
        FillInKind::Quantity
    );
    assert_eq!(e.question(14).unwrap().fill_ins[0].kind, FillInKind::Count);

    let s16 = e.scenario(16).unwrap();
    assert_eq!(s16.name, "决策支持");
    assert_eq!(s16.kind_label(), "非约束性场景");
    assert!(s16.level_text(4).unwrap().starts_with("运用人工智能"));
    assert_eq!(s16.level_text(0), None);
    // The platform capture's level order (data `discrepancies`): 产品设计 level 4 is simulation.
    assert!(
        e.scenario(1)
            .unwrap()
            .level_text(4)
            .unwrap()
            .starts_with("运用仿真分析")
    );
    assert_eq!(scenario_level_name(0), "无等级");
    assert_eq!(scenario_level_name(3), "三级");
}

#[test]
fn edition_serializes_back_to_the_same_shape() {
    let json = serde_json::to_string(edition()).unwrap();
    let again = Edition::from_json(&json).unwrap();
    assert_eq!(&again, edition());
    // Same field names as the data file.
    let original: Value = serde_json::from_str(FIXTURE).unwrap();
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value, original);
}

/// Loads the fixture with one change.
fn edition_with(change: impl FnOnce(&mut Value)) -> Result<Edition, EditionError> {
    let mut v: Value = serde_json::from_str(FIXTURE).unwrap();
    change(&mut v);
    Edition::from_json(&v.to_string())
}

fn edition_error(change: impl FnOnce(&mut Value)) -> EditionError {
    edition_with(change).expect_err("edition should be refused")
}

#[test]
fn edition_refuses_inconsistent_data() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        ("edition_json", Box::new(|v| *v = json!("not an edition"))),
        (
            "edition_json",
            Box::new(|v| v["questions"][0]["type"] = json!("ranking")),
        ),
        ("edition_empty", Box::new(|v| v["scenarios"] = json!([]))),
        ("edition_empty", Box::new(|v| v["level_rules"] = json!([]))),
        (
            "edition_number",
            Box::new(|v| v["questions"][0]["options"][1]["score"] = json!(-2)),
        ),
        (
            "edition_number",
            Box::new(|v| v["questions"][3]["options"][1]["score"] = json!(0.7001)),
        ),
        (
            "edition_dimension_points",
            Box::new(|v| v["dimensions"][0]["points"] = json!(40)),
        ),
        (
            "edition_duplicate",
            Box::new(|v| v["dimensions"][1]["code"] = json!("basis")),
        ),
        (
            "edition_duplicate",
            Box::new(|v| v["questions"][1]["no"] = json!(1)),
        ),
        (
            "edition_duplicate",
            Box::new(|v| v["questions"][0]["options"][2]["key"] = json!("b")),
        ),
        (
            "edition_duplicate",
            Box::new(|v| v["questions"][2]["fill_ins"][1]["key"] = json!("q2_equipment_total")),
        ),
        (
            "edition_duplicate",
            Box::new(|v| v["scenarios"][1]["no"] = json!(1)),
        ),
        (
            "edition_unknown_dimension",
            Box::new(|v| v["questions"][0]["dimension"] = json!("culture")),
        ),
        (
            "edition_question_max",
            Box::new(|v| v["questions"][0]["path_weights_pct"] = json!([40, 45])),
        ),
        (
            "edition_dimension_total",
            Box::new(|v| {
                v["questions"].as_array_mut().unwrap().pop();
            }),
        ),
        (
            "edition_option_count",
            Box::new(|v| {
                v["questions"][11]["options"] =
                    json!([{"key": "A", "label": "x", "score": 7, "weight_pct": 100}])
            }),
        ),
        (
            "edition_option_score",
            Box::new(|v| v["questions"][3]["options"][1]["score"] = json!(0.8)),
        ),
        (
            "edition_option_total",
            Box::new(|v| {
                // Q4 人力资源 at 7 % like the others: the areas add up to 9.8, not 10.
                v["questions"][3]["options"][14]["score"] = json!(0.7);
                v["questions"][3]["options"][14]["weight_pct"] = json!(7);
            }),
        ),
        (
            "edition_option_total",
            Box::new(|v| {
                // Q5 best option below the max.
                v["questions"][4]["options"][4]["score"] = json!(9);
                v["questions"][4]["options"][4]["weight_pct"] = json!(90);
            }),
        ),
        (
            "edition_exclusive_option",
            Box::new(|v| v["questions"][0]["exclusive_option"] = json!("B")),
        ),
        (
            "edition_exclusive_option",
            Box::new(|v| v["questions"][0]["exclusive_option"] = json!("Z")),
        ),
        (
            "edition_exclusive_option",
            Box::new(|v| v["questions"][4]["exclusive_option"] = json!("A")),
        ),
        (
            "edition_fill_in",
            Box::new(|v| {
                v["questions"][1]["fill_ins"]
                    .as_array_mut()
                    .unwrap()
                    .remove(1);
            }),
        ),
        (
            "edition_rate_bands",
            Box::new(|v| v["questions"][1]["options"][2]["label"] = json!("(20%,45%]")),
        ),
        (
            "edition_rate_bands",
            Box::new(|v| v["questions"][2]["options"][0]["label"] = json!("无")),
        ),
        (
            "edition_scenario_levels",
            Box::new(|v| {
                v["scenarios"][0]["levels"]
                    .as_object_mut()
                    .unwrap()
                    .remove("4");
            }),
        ),
        (
            "edition_scenario_levels",
            Box::new(|v| v["scenarios"][0]["levels"]["5"] = json!("x")),
        ),
        (
            "edition_level_rules",
            Box::new(|v| {
                let rules = v["level_rules"].as_array_mut().unwrap();
                rules.swap(0, 1);
            }),
        ),
        (
            "edition_level_rules",
            Box::new(|v| v["level_rules"][1]["min_score"] = json!(90)),
        ),
        (
            "edition_level_rules",
            Box::new(|v| v["level_rules"][3]["min_constrained_at_or_above"] = json!(4)),
        ),
        (
            "edition_level_rules",
            Box::new(|v| v["level_rules"][0]["level"] = json!(5)),
        ),
        (
            "edition_level_rules",
            Box::new(|v| v["level_rules"][0]["min_constrained_at_or_above"] = json!(11)),
        ),
        (
            "edition_level_rules",
            Box::new(|v| v["level_rules"][0]["min_scenarios_at_or_above"] = json!(17)),
        ),
        (
            "edition_level_rules",
            Box::new(|v| v["level_rules"][0]["min_score"] = json!(101)),
        ),
    ];
    for (code, change) in cases {
        let e = edition_error(change);
        assert_eq!(e.code(), code, "{e}");
        assert!(has_chinese(&e.to_string()), "{e}");
    }
}

#[test]
fn edition_accepts_a_corrected_level_rule_and_float_artefacts() {
    // A stricter 一级 (as a correction once checked against the official
    // document would be) is a data change.
    let e = edition_with(|v| v["level_rules"][3]["min_score"] = json!(30)).unwrap();
    assert_eq!(e.level_rules()[3].min_score, Points::from_int(30));
    // The platform capture's float artefacts.
    let e = edition_with(|v| {
        v["questions"][3]["options"][1]["score"] = json!(0.7000000000000001);
        v["questions"][3]["options"][14]["score"] = json!(0.8999999999999999);
    })
    .unwrap();
    assert_eq!(e.question(4).unwrap().options[14].score, pts(900));
    // Unknown fields are ignored.
    assert!(edition_with(|v| v["questions"][0]["hint"] = json!("x")).is_ok());
}

// ---------------------------------------------------------------------------
// Answers: question types

#[test]
fn single_choice_scores_its_option() {
    for (key, milli) in [
        ("A", 0),
        ("B", 2500),
        ("C", 5000),
        ("D", 7500),
        ("E", 10_000),
    ] {
        let r = score_of(&all_lowest().with_options(5, &[key]), Q4Weighting::Platform);
        assert_eq!(r.question(5).unwrap().score, pts(milli), "Q5 {key}");
        assert_eq!(r.total, pts(milli));
    }
    // Keys as users' clients may send them.
    let p = parse(&all_lowest().with_options(5, &[" c "]));
    assert_eq!(p.selected(5), ["C"]);
    let p = parse(&all_lowest().with_options(5, &["Ｄ"]));
    assert_eq!(p.selected(5), ["D"]);
    // The same option twice is one option.
    let p = parse(&all_lowest().with_options(5, &["C", "c"]));
    assert_eq!(p.selected(5), ["C"]);
}

#[test]
fn single_choice_refuses_two_options() {
    let e = refused(&all_lowest().with_options(5, &["B", "C"]));
    assert_eq!(e.code(), "answer_single_choice");
    assert_eq!(e.to_string(), "第5题为单选题，只能选择一个选项");
    assert_eq!(e.question(), Some(5));
}

#[test]
fn multi_choice_sums_ticked_options() {
    let r = score_of(
        &all_lowest().with_options(1, &["B", "D", "E"]),
        Q4Weighting::Platform,
    );
    assert_eq!(r.question(1).unwrap().score, Points::from_int(6));
    let r = score_of(
        &all_lowest().with_options(9, &["C", "E"]),
        Q4Weighting::EqualSplit,
    );
    assert_eq!(r.question(9).unwrap().score, pts(3750));
    // 无 alone scores 0.
    let r = score_of(&all_lowest(), Q4Weighting::Platform);
    assert_eq!(r.question(1).unwrap().score, Points::ZERO);
    assert_eq!(r.total, Points::ZERO);
    // All non-exclusive options give the max.
    let r = score_of(&all_best(4), Q4Weighting::Platform);
    assert_eq!(r.total, Points::from_int(100));
    let r = score_of(&all_best(4), Q4Weighting::EqualSplit);
    assert_eq!(r.total, Points::from_int(100));
}

#[test]
fn multi_choice_refuses_none_with_another_option() {
    let e = refused(&all_lowest().with_options(6, &["A", "C"]));
    assert_eq!(e.code(), "answer_exclusive_option");
    assert_eq!(e.to_string(), "第6题：选择“无”时不能同时选择其他选项");
    // "无" twice is still just 无.
    let p = parse(&all_lowest().with_options(6, &["A", "a"]));
    assert_eq!(p.selected(6), ["A"]);
}

#[test]
fn q4_weightings_differ_only_where_weights_are_unequal() {
    let cases = [
        // (ticked areas, platform milli, equal split as fraction of 10)
        (vec!["O"], 900, (10, 14)),
        (vec!["B"], 700, (10, 14)),
        (vec!["B", "O"], 1600, (20, 14)),
        (vec!["B", "C", "D", "E", "F", "G", "H", "I"], 5600, (80, 14)),
    ];
    for (ticked, platform, (n, d)) in cases {
        let raw = all_lowest().with_options(4, &ticked);
        let p = score_of(&raw, Q4Weighting::Platform);
        let e = score_of(&raw, Q4Weighting::EqualSplit);
        assert_eq!(p.question(4).unwrap().score, pts(platform), "{ticked:?}");
        assert_eq!(
            e.question(4).unwrap().score,
            Points::ratio(n, d),
            "{ticked:?}"
        );
    }
    // Q1, Q6, Q7, Q9, Q10: the same either way.
    for (no, ticked) in [
        (1, vec!["B", "C"]),
        (6, vec!["D"]),
        (7, vec!["B", "C", "E"]),
        (9, vec!["B"]),
        (10, vec!["C", "D", "F"]),
    ] {
        let raw = all_lowest().with_options(no, &ticked);
        assert_eq!(
            score_of(&raw, Q4Weighting::Platform)
                .question(no)
                .unwrap()
                .score,
            score_of(&raw, Q4Weighting::EqualSplit)
                .question(no)
                .unwrap()
                .score,
            "Q{no}"
        );
    }
    assert_eq!(Q4Weighting::default(), Q4Weighting::EqualSplit);
    assert_eq!(
        serde_json::to_string(&Q4Weighting::Platform).unwrap(),
        "\"platform\""
    );
    assert_eq!(
        serde_json::from_str::<Q4Weighting>("\"equal_split\"").unwrap(),
        Q4Weighting::EqualSplit
    );
}

#[test]
fn unknown_options_questions_and_scenarios_are_refused() {
    let cases = [
        (
            all_lowest().with_options(1, &["Z"]),
            "answer_unknown_option",
            "第1题：选项“Z”不存在",
        ),
        (
            all_lowest().with_options(12, &["D"]),
            "answer_unknown_option",
            "第12题：选项“D”不存在",
        ),
        (
            all_lowest().with_options(16, &["A"]),
            "answer_unknown_question",
            "第16题不存在",
        ),
        (
            all_lowest().with_options(0, &["A"]),
            "answer_unknown_question",
            "第0题不存在",
        ),
        (
            {
                let mut a = all_lowest();
                a.questions.insert("q1".into(), QuestionAnswer::default());
                a
            },
            "answer_unknown_question",
            "题目“q1”不存在",
        ),
        (
            all_lowest().with_scenario(17, 1),
            "answer_unknown_scenario",
            "应用场景“17”不存在",
        ),
        (
            all_lowest().with_scenario(3, 5),
            "answer_scenario_level",
            "应用场景3（营销管理）：等级须为0（无等级）至4（四级），不能为5",
        ),
        (
            all_lowest().with_scenario(3, -1),
            "answer_scenario_level",
            "应用场景3（营销管理）：等级须为0（无等级）至4（四级），不能为-1",
        ),
    ];
    for (raw, code, message) in cases {
        let e = refused(&raw);
        assert_eq!((e.code(), e.to_string().as_str()), (code, message));
    }
}

// ---------------------------------------------------------------------------
// Answers: fill-ins

#[test]
fn fill_ins_are_checked_by_kind() {
    let cases = [
        (
            2,
            "q2_equipment_total",
            -1.0,
            "answer_fill_in_negative",
            "第2题：生产设备数量不能为负数",
        ),
        (
            2,
            "q2_equipment_total",
            f64::NAN,
            "answer_fill_in_invalid",
            "第2题：生产设备数量须为有效数字",
        ),
        (
            2,
            "q2_equipment_total",
            f64::INFINITY,
            "answer_fill_in_invalid",
            "第2题：生产设备数量须为有效数字",
        ),
        (
            2,
            "q2_equipment_total",
            2.5,
            "answer_fill_in_not_integer",
            "第2题：生产设备数量须为整数",
        ),
        (
            2,
            "q2_equipment_total",
            10_000_001.0,
            "answer_fill_in_too_large",
            "第2题：生产设备数量不能大于10000000",
        ),
        (
            2,
            "q2_rate",
            100.5,
            "answer_fill_in_too_large",
            "第2题：生产设备数字化率不能大于100",
        ),
        (
            13,
            "q13_value",
            120.0,
            "answer_fill_in_too_large",
            "第13题：具体数值不能大于100",
        ),
        (
            14,
            "q14_employees_last_year",
            3.3,
            "answer_fill_in_not_integer",
            "第14题：企业上年员工人数须为整数",
        ),
        (
            14,
            "q14_revenue_last_year",
            -0.01,
            "answer_fill_in_negative",
            "第14题：营业收入不能为负数",
        ),
        (
            11,
            "q11_avg_investment",
            1e8 + 1.0,
            "answer_fill_in_too_large",
            "第11题：具体数据不能大于100000000",
        ),
        (
            12,
            "q12_energy_last_year",
            2e8,
            "answer_fill_in_too_large",
            "第12题：企业上年综合能源消费量不能大于100000000",
        ),
    ];
    for (no, key, value, code, message) in cases {
        let e = refused(&all_lowest().with_fill_in(no, key, value));
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (code, message),
            "{key}={value}"
        );
    }
    // Fill-ins of another question are refused.
    let e = refused(&all_lowest().with_fill_in(3, "q2_equipment_total", 10.0));
    assert_eq!(e.code(), "answer_unknown_fill_in");
    assert_eq!(e.to_string(), "第3题没有填空项“q2_equipment_total”");

    // In range: decimals where the unit allows them, the bounds themselves, -0.
    let p = parse(
        &all_lowest()
            .with_fill_in(11, "q11_avg_investment", 12.345)
            .with_fill_in(12, "q12_energy_last_year", 1e8)
            .with_fill_in(13, "q13_value", 99.95)
            .with_fill_in(14, "q14_employees_last_year", 10_000_000.0)
            .with_fill_in(15, "q15_cost_last_year", -0.0),
    );
    assert_eq!(p.fill_in("q11_avg_investment"), Some(12.345));
    assert_eq!(p.fill_in("q13_value"), Some(99.95));
    assert_eq!(p.fill_in("q15_cost_last_year"), Some(0.0));
    assert!(p.fill_in("q15_cost_last_year").unwrap().is_sign_positive());
    // null is "not filled in".
    let mut raw = all_lowest();
    raw.questions
        .get_mut("13")
        .unwrap()
        .fill_ins
        .insert("q13_value".into(), None);
    assert_eq!(parse(&raw).fill_in("q13_value"), None);
}

fn q2_counts(total: f64, digitized: f64) -> Answers {
    let mut raw = all_lowest();
    raw.questions.remove("2");
    raw.with_fill_in(2, "q2_equipment_total", total)
        .with_fill_in(2, "q2_equipment_digitized", digitized)
}

#[test]
fn rate_options_are_derived_from_counts_at_every_band_boundary() {
    let cases = [
        (100.0, 0.0, "A"),
        (100.0, 10.0, "A"), // 10 % is in [0-10%]
        (100.0, 11.0, "B"),
        (1000.0, 101.0, "B"), // 10.1 %
        (100.0, 20.0, "B"),
        (100.0, 21.0, "C"),
        (100.0, 40.0, "C"),
        (100.0, 41.0, "D"),
        (100.0, 60.0, "D"),
        (100.0, 61.0, "E"),
        (100.0, 100.0, "E"),
        (3.0, 1.0, "C"),                  // 33.33 %
        (10_000_000.0, 1_000_001.0, "B"), // 10.00001 %: exact, not float
        (0.0, 0.0, "A"),                  // no production equipment at all
    ];
    for (total, digitized, option) in cases {
        let p = parse(&q2_counts(total, digitized));
        assert_eq!(p.selected(2), [option], "{digitized}/{total}");
        assert_eq!(p.derivation(2), Some(Derivation::Counts));
    }
    let p = parse(&q2_counts(3.0, 1.0));
    assert_eq!(p.fill_in("q2_rate"), Some(33.33));
    let p = parse(&q2_counts(3.0, 2.0));
    assert_eq!(p.fill_in("q2_rate"), Some(66.67));
    // The derived option is scored.
    let r = score_of(&q2_counts(200.0, 60.0), Q4Weighting::Platform);
    assert_eq!(r.question(2).unwrap().score, Points::from_int(3));
    assert_eq!(r.question(2).unwrap().selected, ["C"]);
}

#[test]
fn q3_uses_the_equipment_total_of_q2() {
    let mut raw = q2_counts(200.0, 60.0);
    raw.questions.remove("3");
    let p = parse(&raw.clone().with_fill_in(3, "q3_equipment_networked", 130.0));
    assert_eq!(p.selected(3), ["E"]); // 65 %
    assert_eq!(p.fill_in("q3_rate"), Some(65.0));
    let e = refused(&raw.with_fill_in(3, "q3_equipment_networked", 201.0));
    assert_eq!(e.code(), "answer_part_exceeds_total");
    assert_eq!(e.to_string(), "第3题：联网设备数量不能大于设备总数");
}

#[test]
fn more_digitized_than_total_equipment_is_refused() {
    let e = refused(&q2_counts(100.0, 101.0));
    assert_eq!(e.code(), "answer_part_exceeds_total");
    assert_eq!(e.to_string(), "第2题：数字化设备数量不能大于设备总数");
    assert_eq!(e.question(), Some(2));
    let e = refused(&q2_counts(0.0, 1.0));
    assert_eq!(e.code(), "answer_part_exceeds_total");
}

#[test]
fn a_chosen_option_must_agree_with_the_derived_one() {
    // Agreeing: accepted, still marked as derived.
    let p = parse(&q2_counts(200.0, 60.0).with_options(2, &["c"]));
    assert_eq!(p.selected(2), ["C"]);
    assert_eq!(p.derivation(2), Some(Derivation::Counts));
    // Disagreeing: refused, not overridden.
    let e = refused(&q2_counts(200.0, 60.0).with_options(2, &["E"]));
    assert_eq!(e.code(), "answer_derived_conflict");
    assert_eq!(
        e.to_string(),
        "第2题：按填写的数据应为选项C（(20%,40%]），与所选选项E不一致"
    );
}

#[test]
fn a_typed_rate_must_agree_with_the_counts() {
    // Rounded to a whole percent by the page: accepted, replaced by the exact value.
    let p = parse(&q2_counts(3.0, 1.0).with_fill_in(2, "q2_rate", 33.0));
    assert_eq!(p.fill_in("q2_rate"), Some(33.33));
    assert_eq!(p.selected(2), ["C"]);
    let e = refused(&q2_counts(3.0, 1.0).with_fill_in(2, "q2_rate", 50.0));
    assert_eq!(e.code(), "answer_rate_conflict");
    assert_eq!(
        e.to_string(),
        "第2题：填写的生产设备数字化率50%与按数量计算的33.33%不一致"
    );
}

#[test]
fn without_both_counts_the_typed_rate_or_the_chosen_option_answers() {
    let mut base = all_lowest();
    base.questions.remove("2");
    // Rate only.
    for (rate, option) in [
        (0.0, "A"),
        (10.0, "A"),
        (10.01, "B"),
        (20.0, "B"),
        (20.5, "C"),
        (100.0, "E"),
    ] {
        let p = parse(&base.clone().with_fill_in(2, "q2_rate", rate));
        assert_eq!(p.selected(2), [option], "{rate}");
        assert_eq!(p.derivation(2), Some(Derivation::Rate));
    }
    let e = refused(
        &base
            .clone()
            .with_fill_in(2, "q2_rate", 35.0)
            .with_options(2, &["B"]),
    );
    assert_eq!(e.code(), "answer_derived_conflict");
    // Only one count (a draft, or a record from before fill-ins): the chosen option answers.
    let p = parse(
        &base
            .clone()
            .with_fill_in(2, "q2_equipment_total", 50.0)
            .with_options(2, &["D"]),
    );
    assert_eq!(p.selected(2), ["D"]);
    assert_eq!(p.derivation(2), None);
    // Nothing chosen and not derivable: unanswered.
    let p = parse(&base.with_fill_in(2, "q2_equipment_total", 50.0));
    assert_eq!(p.selected(2), [] as [&str; 0]);
    assert_eq!(p.missing(), [MissingItem::Question { no: 2 }]);
}

// ---------------------------------------------------------------------------
// Drafts, completeness, round trip

#[test]
fn drafts_list_what_is_missing() {
    let p = parse(&Answers::default());
    assert_eq!(p.missing().len(), 31);
    assert_eq!(p.missing()[0], MissingItem::Question { no: 1 });
    assert_eq!(
        p.missing()[15],
        MissingItem::Scenario {
            no: 1,
            name: "产品设计".into()
        }
    );
    assert!(!p.is_complete());
    assert_eq!(p.scenarios_answered(), 0);

    let mut raw = manual_example();
    raw.questions.remove("7");
    raw.questions.get_mut("9").unwrap().options.clear();
    raw.scenarios.insert("2".into(), None);
    raw.scenarios.remove("16");
    let p = parse(&raw);
    let missing: Vec<String> = p.missing().iter().map(ToString::to_string).collect();
    assert_eq!(
        missing,
        ["第7题", "第9题", "场景2（工艺设计）", "场景16（决策支持）"]
    );
    assert_eq!(p.scenarios_answered(), 14);

    let e = score(edition(), &p, Q4Weighting::default()).unwrap_err();
    assert_eq!(e.code(), "assessment_incomplete");
    assert_eq!(
        e.to_string(),
        "评测尚未完成，以下内容未作答：第7题、第9题、场景2（工艺设计）、场景16（决策支持）"
    );
    assert_eq!(
        serde_json::to_value(&p.missing()[2]).unwrap(),
        json!({"kind": "scenario", "no": 2, "name": "工艺设计"})
    );
}

#[test]
fn scenario_level_zero_is_an_answer() {
    let p = parse(&all_lowest());
    assert!(p.is_complete());
    assert_eq!(p.scenario_level(1), Some(0));
}

#[test]
fn canonical_form_parses_to_the_same_answers() {
    for raw in [
        manual_example(),
        all_lowest(),
        all_best(3),
        Answers::default(),
        q2_counts(3.0, 1.0),
    ] {
        let p = parse(&raw);
        let canonical = p.to_answers();
        assert_eq!(parse(&canonical), p);
        // And it survives JSON.
        let json = serde_json::to_string(&canonical).unwrap();
        let back: Answers = serde_json::from_str(&json).unwrap();
        assert_eq!(parse(&back), p);
    }
    let canonical = parse(&manual_example()).to_answers();
    assert_eq!(canonical.questions["2"].options, ["C"]);
    assert_eq!(canonical.questions["2"].fill_ins["q2_rate"], Some(30.0));
    assert_eq!(canonical.questions["3"].options, ["B"]);
}

#[test]
fn raw_answers_json_shape() {
    let raw: Answers = serde_json::from_value(json!({
        "questions": {
            "1": {"options": ["B", "C"]},
            "2": {"fill_ins": {"q2_equipment_total": 200, "q2_equipment_digitized": 60, "q2_rate": null}},
        },
        "scenarios": {"1": 2, "2": 0, "3": null}
    }))
    .unwrap();
    let p = parse(&raw);
    assert_eq!(p.selected(1), ["B", "C"]);
    assert_eq!(p.selected(2), ["C"]);
    assert_eq!(p.scenario_level(2), Some(0));
    assert_eq!(p.scenario_level(3), None);
    // Empty object: nothing answered.
    let raw: Answers = serde_json::from_str("{}").unwrap();
    assert_eq!(parse(&raw).missing().len(), 31);
}

#[test]
fn check_all_reports_every_problem_in_order() {
    let raw = all_lowest()
        .with_scenario(20, 1)
        .with_scenario(2, 9)
        .with_options(6, &["A", "B"])
        .with_options(99, &["A"])
        .with_options(1, &["Q"])
        .with_fill_in(14, "q14_employees_last_year", -5.0);
    let errors = Answers::check_all(edition(), &raw);
    let codes: Vec<&str> = errors.iter().map(AnswerError::code).collect();
    assert_eq!(
        codes,
        [
            "answer_unknown_question",
            "answer_unknown_scenario",
            "answer_unknown_option",
            "answer_exclusive_option",
            "answer_fill_in_negative",
            "answer_scenario_level",
        ]
    );
    assert_eq!(refused(&raw), errors[0]);
    assert!(Answers::check_all(edition(), &manual_example()).is_empty());
}

#[test]
fn answers_of_another_edition_are_not_scored() {
    let e2025 = edition_with(|v| v["version"] = json!("2025")).unwrap();
    let p = parse(&manual_example());
    let e = score(&e2025, &p, Q4Weighting::default()).unwrap_err();
    assert_eq!(e.code(), "assessment_edition_mismatch");
    assert!(e.to_string().contains("2025"));
}

// ---------------------------------------------------------------------------
// The manual's worked example

#[test]
fn reproduces_the_manuals_worked_example_with_the_default_weighting() {
    let r = score_of(&manual_example(), Q4Weighting::default());
    let basis = r.dimension("basis").unwrap();
    let management = r.dimension("management").unwrap();
    let effectiveness = r.dimension("effectiveness").unwrap();
    // Exact values: 25 + 13/28, 13.875, 10.
    assert_eq!(basis.score, Points::ratio(713, 28));
    assert_eq!(management.score, pts(13_875));
    assert_eq!(effectiveness.score, Points::from_int(10));
    assert_eq!(
        (
            basis.display.as_str(),
            management.display.as_str(),
            effectiveness.display.as_str()
        ),
        ("25.46", "13.88", "10.00")
    );
    assert_eq!(r.total, Points::ratio(713, 28) + pts(23_875));
    assert_eq!(r.total_display, "49.34");
    assert_eq!(r.level_display, "二级（规范级）");
    assert_eq!(r.level_number(), 2);
    assert_eq!(r.counts.scenarios, 16);
    assert_eq!(r.counts.built(), 16);
    assert_eq!(r.counts.built_constrained(), 10);
    assert_eq!(
        r.summary_text(),
        "本次数字化基础、管理和成效三个维度评分结果为 49.34 分，其中数字化基础得分为 25.46 分，数字化管理得分为 13.88 分，数字化成效得分为 10 分。本次应用场景评测分析围绕企业数字化经营方面的 16 个应用场景展开，企业共建设 16 个应用场景，其中约束性场景 10 个，整体评测处于 二级 水平。"
    );
    assert_eq!(r.summary, r.summary_text());

    let per_question: Vec<String> = r
        .questions
        .iter()
        .map(|q| q.score.display_trimmed())
        .collect();
    assert_eq!(
        per_question,
        [
            "4", "3", "1.5", "5.71", "5", "2.5", "3.75", "4.5", "1.88", "7.5", "0", "3.5", "3.5",
            "1.5", "1.5"
        ]
    );
}

#[test]
fn the_json_fixture_is_the_same_example() {
    let json = include_str!("../../tests/fixtures/manual_example_answers.json");
    let raw: Answers = serde_json::from_str(json).unwrap();
    assert_eq!(parse(&raw), parse(&manual_example()));
}

#[test]
fn the_platform_weighting_gives_the_example_answers_25_35() {
    let r = score_of(&manual_example(), Q4Weighting::Platform);
    assert_eq!(r.dimension("basis").unwrap().display, "25.35");
    assert_eq!(r.total_display, "49.23"); // 49.225 exactly, half up
    assert_eq!(r.level_display, "二级（规范级）");
}

/// Every 数字化基础 score reachable under each weighting, by summing the
/// reachable scores of Q1–Q7.
fn reachable_basis_scores(weighting: Q4Weighting) -> HashSet<Points> {
    let mut sums: HashSet<Points> = HashSet::from([Points::ZERO]);
    for q in edition()
        .questions()
        .iter()
        .filter(|q| q.dimension == "basis")
    {
        let mut scores = HashSet::new();
        match q.kind {
            QuestionType::Single => {
                scores.extend(q.options.iter().map(|o| o.score));
            }
            QuestionType::Multi => {
                let areas: Vec<&str> = q
                    .options
                    .iter()
                    .filter(|o| !q.is_exclusive(&o.key))
                    .map(|o| o.key.as_str())
                    .collect();
                for mask in 0u32..(1 << areas.len()) {
                    let ticked: Vec<String> = areas
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, k)| (*k).to_owned())
                        .collect();
                    let s: Points = match weighting {
                        Q4Weighting::Platform => {
                            ticked.iter().map(|k| q.option(k).unwrap().score).sum()
                        }
                        Q4Weighting::EqualSplit => {
                            q.max.mul_ratio(ticked.len() as u64, areas.len() as u64)
                        }
                    };
                    scores.insert(s);
                }
            }
        }
        sums = sums
            .iter()
            .flat_map(|a| scores.iter().map(move |b| *a + *b))
            .collect();
    }
    sums
}

/// Why the default is the equal split: the manual's 25.46 cannot come out
/// of the platform capture's weights, whatever the answers.
#[test]
fn the_platform_weighting_cannot_give_the_manuals_basis_score() {
    let platform = reachable_basis_scores(Q4Weighting::Platform);
    assert!(
        platform.iter().all(|s| s.denom() <= 20),
        "multiples of 0.05"
    );
    assert!(!platform.iter().any(|s| s.display_2dp() == "25.46"));
    let equal = reachable_basis_scores(Q4Weighting::EqualSplit);
    assert!(equal.contains(&Points::ratio(713, 28)));
    assert!(equal.iter().any(|s| s.display_2dp() == "25.46"));
}

// ---------------------------------------------------------------------------
// Levels

/// Scenario counts of `n` scenarios at `level` (of which `c` constrained),
/// the rest at 0, in an edition of 16 with 10 constrained.
fn counts(level: u8, n: u32, c: u32) -> ScenarioCounts {
    let mut counts = ScenarioCounts {
        scenarios: 16,
        constrained: 10,
        ..ScenarioCounts::default()
    };
    counts.at_or_above[0] = 16;
    counts.constrained_at_or_above[0] = 10;
    for l in 1..=usize::from(level) {
        counts.at_or_above[l] = n;
        counts.constrained_at_or_above[l] = c;
    }
    counts
}

fn level_of(total: Points, counts: &ScenarioCounts) -> u8 {
    determine_level(edition().level_rules(), total, counts).map_or(0, |r| r.level)
}

#[test]
fn every_level_score_threshold_just_below_and_at() {
    let everything = counts(4, 16, 10);
    for (min, level) in [(80, 4), (60, 3), (40, 2), (20, 1)] {
        let at = Points::from_int(min);
        let below = at.checked_sub(pts(1)).unwrap();
        assert_eq!(level_of(at, &everything), level, "at {min}");
        assert_eq!(level_of(below, &everything), level - 1, "just below {min}");
        // Unrounded: 39.995 shows as "40.00" but is below 40.
        let shows_as_at = at.checked_sub(Points::ratio(5, 1000)).unwrap();
        assert_eq!(shows_as_at.display_2dp(), format!("{min}.00"));
        assert_eq!(level_of(shows_as_at, &everything), level - 1);
    }
    assert_eq!(level_of(Points::ZERO, &everything), 0);
    assert_eq!(level_of(Points::from_int(100), &everything), 4);
}

#[test]
fn every_level_scenario_conditions_just_below_and_at() {
    let full = Points::from_int(100);
    // (level, min scenarios, min constrained)
    for rule in edition().level_rules() {
        let (l, n, c) = (
            rule.level,
            rule.min_scenarios_at_or_above,
            rule.min_constrained_at_or_above,
        );
        // Exactly enough of both, nothing higher.
        assert_eq!(level_of(full, &counts(l, n, c)), l, "level {l} at minimum");
        // One scenario short (keeping the constrained ones).
        let short = level_of(full, &counts(l, n - 1, c.min(n - 1)));
        assert!(
            short < l,
            "level {l} with {} scenarios gives {short}",
            n - 1
        );
        // Enough scenarios but one constrained short.
        let short = level_of(full, &counts(l, n, c - 1));
        assert!(
            short < l,
            "level {l} with {} constrained gives {short}",
            c - 1
        );
        // Many scenarios, too few of them constrained.
        let short = level_of(full, &counts(l, 16, c - 1));
        assert!(
            short < l,
            "level {l}: 16 scenarios but {} constrained",
            c - 1
        );
    }
    // 一级 and 二级 need the same counts (at their own level).
    assert_eq!(level_of(full, &counts(1, 6, 3)), 1);
    assert_eq!(level_of(full, &counts(1, 5, 5)), 0);
    assert_eq!(level_of(full, &counts(2, 6, 2)), 0);
    assert_eq!(level_of(full, &counts(3, 7, 7)), 2);
    assert_eq!(level_of(full, &counts(4, 9, 9)), 3);
    assert_eq!(level_of(full, &counts(4, 10, 5)), 3);
}

/// Answers with every scenario at `scenario_level` and these options.
fn scored(
    options: &[(u32, &[&str])],
    scenario_level: i64,
    weighting: Q4Weighting,
) -> AssessmentResult {
    let mut raw = all_lowest();
    for (no, keys) in options {
        raw = raw.with_options(*no, keys);
    }
    for s in edition().scenarios() {
        raw = raw.with_scenario(s.no, scenario_level);
    }
    score_of(&raw, weighting)
}

const Q4_ALL: &[&str] = &[
    "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
];
const Q4_BUT_ONE: &[&str] = &[
    "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
];

#[test]
fn level_score_thresholds_end_to_end() {
    for w in Q4Weighting::ALL {
        // 20: Q4 10 + Q5 10.
        let at20: &[(u32, &[&str])] = &[(4, Q4_ALL), (5, &["E"])];
        let below20: &[(u32, &[&str])] = &[(4, Q4_BUT_ONE), (5, &["E"])];
        // 40: + Q1 8 + Q2 6 + Q3 6.
        let at40: &[(u32, &[&str])] = &[
            (1, &["B", "C", "D", "E"]),
            (2, &["E"]),
            (3, &["E"]),
            (4, Q4_ALL),
            (5, &["E"]),
        ];
        let below40: &[(u32, &[&str])] = &[
            (1, &["B", "C", "D", "E"]),
            (2, &["E"]),
            (3, &["E"]),
            (4, Q4_BUT_ONE),
            (5, &["E"]),
        ];
        let basis_full: Vec<(u32, &[&str])> = vec![
            (1, &["B", "C", "D", "E"]),
            (2, &["E"]),
            (3, &["E"]),
            (5, &["E"]),
            (6, &["B", "C", "D", "E"]),
            (7, &["B", "C", "D", "E"]),
        ];
        // 60: basis 50 + Q12 7 + Q14 3.
        let mut at60 = basis_full.clone();
        at60.extend([(4, Q4_ALL), (12, &["C"] as &[&str]), (14, &["C"])]);
        let mut below60 = basis_full.clone();
        below60.extend([(4, Q4_BUT_ONE), (12, &["C"] as &[&str]), (14, &["C"])]);
        // 80: basis 50 + management 30.
        let management: [(u32, &[&str]); 4] = [
            (8, &["F"]),
            (9, &["B", "C", "D", "E"]),
            (10, &["B", "C", "D", "E", "F"]),
            (11, &["E"]),
        ];
        let mut at80 = basis_full.clone();
        at80.extend(management);
        at80.push((4, Q4_ALL));
        let mut below80 = basis_full.clone();
        below80.extend(management);
        below80.push((4, Q4_BUT_ONE));

        for (options, total, level) in [
            (at20, Some(20), 1),
            (below20, None, 0),
            (at40, Some(40), 2),
            (below40, None, 1),
            (at60.as_slice(), Some(60), 3),
            (below60.as_slice(), None, 2),
            (at80.as_slice(), Some(80), 4),
            (below80.as_slice(), None, 3),
        ] {
            let r = scored(options, 4, w);
            if let Some(t) = total {
                assert_eq!(r.total, Points::from_int(t), "{w:?}");
            }
            assert_eq!(r.level_number(), level, "{w:?} total {}", r.total_display);
        }
    }
    // Just below under each weighting: one Q4 area (0.7 or 10/14) short.
    let r = scored(&[(4, Q4_BUT_ONE), (5, &["E"])], 4, Q4Weighting::Platform);
    assert_eq!(r.total_display, "19.30");
    let r = scored(&[(4, Q4_BUT_ONE), (5, &["E"])], 4, Q4Weighting::EqualSplit);
    assert_eq!(r.total_display, "19.29");
    assert_eq!(r.level_display, "无等级");
}

#[test]
fn level_scenario_conditions_end_to_end() {
    let constrained: Vec<u32> = edition()
        .scenarios()
        .iter()
        .filter(|s| s.constrained)
        .map(|s| s.no)
        .collect();
    let guiding: Vec<u32> = edition()
        .scenarios()
        .iter()
        .filter(|s| !s.constrained)
        .map(|s| s.no)
        .collect();
    let with_levels = |levels: &[(u32, i64)]| {
        let mut raw = all_best(0);
        for (no, l) in levels {
            raw = raw.with_scenario(*no, *l);
        }
        score_of(&raw, Q4Weighting::default())
    };
    // 四级 needs 10 at 4, 6 of them constrained.
    let mut ten: Vec<(u32, i64)> = constrained[..6].iter().map(|n| (*n, 4)).collect();
    ten.extend(guiding[..4].iter().map(|n| (*n, 4)));
    assert_eq!(with_levels(&ten).level_display, "四级（协同级）");
    // Only 5 constrained among the 10 at level 4: 三级 (10 at ≥3, 5 constrained).
    let mut five: Vec<(u32, i64)> = constrained[..5].iter().map(|n| (*n, 4)).collect();
    five.extend(guiding.iter().map(|n| (*n, 4)));
    assert_eq!(five.len(), 11);
    let r = with_levels(&five);
    assert_eq!(r.level_display, "三级（集成级）");
    assert_eq!(r.counts.at_or_above(4), 11);
    assert_eq!(r.counts.constrained_at_or_above(4), 5);
    // 9 scenarios at 4: not 四级.
    assert_eq!(with_levels(&ten[..9]).level_number(), 3);
    // Nothing built: 无等级 even at 100 points.
    let r = with_levels(&[]);
    assert_eq!(r.total, Points::from_int(100));
    assert_eq!(r.level_display, "无等级");
    assert_eq!(r.counts.built(), 0);
    assert!(
        r.summary_text()
            .ends_with("企业共建设 0 个应用场景，其中约束性场景 0 个，整体评测处于 无等级 水平。"),
        "{}",
        r.summary
    );
    // The 6 guiding scenarios alone never meet a constrained minimum.
    let guiding_only: Vec<(u32, i64)> = guiding.iter().map(|n| (*n, 4)).collect();
    assert_eq!(with_levels(&guiding_only).level_number(), 0);
}

#[test]
fn group_summaries_and_scenario_results() {
    let r = score_of(&manual_example(), Q4Weighting::default());
    let groups: Vec<(&str, u32, u32, u32, u32)> = r
        .groups
        .iter()
        .map(|g| {
            (
                g.group.as_str(),
                g.counts.scenarios,
                g.counts.constrained,
                g.counts.built(),
                g.level_sum,
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("产品生命周期数字化", 4, 2, 4, 6),
            ("生产执行数字化", 6, 5, 6, 11),
            ("供应链数字化", 2, 2, 2, 4),
            ("管理决策数字化", 4, 1, 4, 5),
        ]
    );
    assert_eq!(r.groups[1].average_level, 11.0 / 6.0);
    assert_eq!(r.groups[1].counts.at_or_above(2), 5);
    assert_eq!(r.scenarios[1].level_name, "一级");
    assert_eq!(r.scenarios[0].level_name, "二级");
    assert_eq!(r.counts.at_or_above, [16, 16, 10, 0, 0]);
    assert_eq!(r.counts.constrained_at_or_above, [10, 10, 10, 0, 0]);
}

#[test]
fn result_serializes_for_the_api() {
    let r = score_of(&manual_example(), Q4Weighting::default());
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["total_display"], "49.34");
    assert_eq!(v["level_display"], "二级（规范级）");
    assert_eq!(
        v["level"],
        json!({"level": 2, "name": "二级", "title": "规范级"})
    );
    assert_eq!(v["weighting"], "equal_split");
    assert_eq!(v["dimensions"][1]["score"], 13.875);
    assert!((v["total"].as_f64().unwrap() - 49.339_285_714).abs() < 1e-6);
    assert_eq!(v["summary"], r.summary_text());
}

// ---------------------------------------------------------------------------
// Error conventions

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn error_codes_are_unique_snake_case_and_messages_chinese() {
    let errors: Vec<Box<dyn ErrorCode>> = vec![
        Box::new(EditionError::Json("x".into())),
        Box::new(EditionError::Empty { what: "题目" }),
        Box::new(EditionError::Number { field: "x".into() }),
        Box::new(EditionError::Duplicate {
            what: "题号",
            id: "1".into(),
        }),
        Box::new(EditionError::DimensionPoints { sum: "90".into() }),
        Box::new(EditionError::UnknownDimension {
            question: 1,
            dimension: "x".into(),
        }),
        Box::new(EditionError::QuestionMax { question: 1 }),
        Box::new(EditionError::DimensionTotal {
            dimension: "x".into(),
            sum: "1".into(),
        }),
        Box::new(EditionError::OptionCount { question: 1 }),
        Box::new(EditionError::OptionScore {
            question: 1,
            option: "B".into(),
        }),
        Box::new(EditionError::OptionTotal { question: 1 }),
        Box::new(EditionError::ExclusiveOption { question: 1 }),
        Box::new(EditionError::FillIn {
            question: 1,
            key: "x".into(),
        }),
        Box::new(EditionError::RateBands { question: 1 }),
        Box::new(EditionError::ScenarioLevels { scenario: 1 }),
        Box::new(EditionError::LevelRules { reason: "x".into() }),
        Box::new(AnswerError::UnknownQuestion { id: "x".into() }),
        Box::new(AnswerError::UnknownScenario { id: "x".into() }),
        Box::new(AnswerError::UnknownOption {
            question: 1,
            key: "x".into(),
        }),
        Box::new(AnswerError::SingleChoice { question: 1 }),
        Box::new(AnswerError::ExclusiveOption {
            question: 1,
            label: "无".into(),
        }),
        Box::new(AnswerError::UnknownFillIn {
            question: 1,
            key: "x".into(),
        }),
        Box::new(AnswerError::FillInInvalid {
            question: 1,
            name: "x".into(),
        }),
        Box::new(AnswerError::FillInNegative {
            question: 1,
            name: "x".into(),
        }),
        Box::new(AnswerError::FillInNotInteger {
            question: 1,
            name: "x".into(),
        }),
        Box::new(AnswerError::FillInTooLarge {
            question: 1,
            name: "x".into(),
            max: "1".into(),
        }),
        Box::new(AnswerError::PartExceedsTotal {
            question: 1,
            part: "x".into(),
            total: "y".into(),
        }),
        Box::new(AnswerError::RateConflict {
            question: 1,
            rate_name: "x".into(),
            given: "1".into(),
            computed: "2".into(),
        }),
        Box::new(AnswerError::DerivedConflict {
            question: 1,
            chosen: "A".into(),
            derived: "B".into(),
            derived_label: "x".into(),
        }),
        Box::new(AnswerError::ScenarioLevel {
            scenario: 1,
            name: "x".into(),
            level: 9,
        }),
        Box::new(ScoreError::Incomplete {
            missing: vec![MissingItem::Question { no: 1 }],
        }),
        Box::new(ScoreError::EditionMismatch {
            answers: "a".into(),
            edition: "b".into(),
        }),
    ];
    let mut seen = HashSet::new();
    for e in errors {
        let code = e.code();
        assert!(
            code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && ["edition_", "answer_", "assessment_"]
                    .iter()
                    .any(|p| code.starts_with(p)),
            "{code}"
        );
        assert!(seen.insert(code), "duplicate code {code}");
        assert!(has_chinese(&e.to_string()), "{code}: {e}");
    }
    assert_eq!(seen.len(), 32);
}
