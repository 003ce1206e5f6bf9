//! The assessment module through its public API, as the server uses it:
//! edition JSON and answers JSON in, a result out.

use shuzhuan_core::assessment::{Derivation, score};
use shuzhuan_core::{Answers, Edition, ErrorCode, Q4Weighting};

const EDITION: &str = include_str!("fixtures/sme_digital_level_2024.json");
/// The manual's worked example (seed 002 §03), as the questionnaire page
/// would save it: Q2/Q3 answered by their counts only.
const MANUAL_EXAMPLE: &str = include_str!("fixtures/manual_example_answers.json");

#[test]
fn the_manuals_worked_example_from_json() {
    let edition = Edition::from_json(EDITION).unwrap();
    let raw: Answers = serde_json::from_str(MANUAL_EXAMPLE).unwrap();
    let answers = Answers::parse(&edition, &raw).unwrap();
    assert!(answers.is_complete());
    assert_eq!(answers.selected(2), ["C"]);
    assert_eq!(answers.derivation(3), Some(Derivation::Counts));

    let result = score(&edition, &answers, Q4Weighting::default()).unwrap();
    let shown: Vec<&str> = result
        .dimensions
        .iter()
        .map(|d| d.display.as_str())
        .collect();
    assert_eq!(shown, ["25.46", "13.88", "10.00"]);
    assert_eq!(result.total_display, "49.34");
    assert_eq!(result.level_display, "二级（规范级）");
    assert_eq!(
        result.summary_text(),
        "本次数字化基础、管理和成效三个维度评分结果为 49.34 分，其中数字化基础得分为 25.46 分，数字化管理得分为 13.88 分，数字化成效得分为 10 分。本次应用场景评测分析围绕企业数字化经营方面的 16 个应用场景展开，企业共建设 16 个应用场景，其中约束性场景 10 个，整体评测处于 二级 水平。"
    );

    // The platform capture's weights give 25.35 for the same answers.
    let platform = score(&edition, &answers, Q4Weighting::Platform).unwrap();
    assert_eq!(platform.total_display, "49.23");
}

#[test]
fn errors_carry_codes_for_the_api() {
    let edition = Edition::from_json(EDITION).unwrap();
    let raw = Answers::default()
        .with_fill_in(2, "q2_equipment_total", 10.0)
        .with_fill_in(2, "q2_equipment_digitized", 12.0);
    let e = Answers::parse(&edition, &raw).unwrap_err();
    let body = serde_json::json!({"code": e.code(), "message": e.to_string()});
    assert_eq!(
        body,
        serde_json::json!({
            "code": "answer_part_exceeds_total",
            "message": "第2题：数字化设备数量不能大于设备总数"
        })
    );

    let draft = Answers::parse(&edition, &Answers::default().with_options(1, &["A"])).unwrap();
    let e = score(&edition, &draft, Q4Weighting::default()).unwrap_err();
    assert_eq!(ErrorCode::code(&e), "assessment_incomplete");
    assert_eq!(draft.missing().len(), 30);

    let e = Edition::from_json("{}").unwrap_err();
    assert_eq!(ErrorCode::code(&e), "edition_json");
}
