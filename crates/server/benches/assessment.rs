//! Assessment scoring throughput and PDF report time (bars: scoring < 1 ms per result; a 10-page Chinese
//! PDF < 500 ms). `cargo bench --bench assessment`. Prints numbers; nothing is asserted.

use std::time::Instant;

use shuzhuan_core::assessment::{score, Answers, Edition, Q4Weighting};

fn main() {
    let edition = Edition::from_json(shuzhuan::assessment::EDITION_2024).unwrap();
    let raw: Answers = serde_json::from_str(include_str!("../../core/tests/fixtures/manual_example_answers.json")).unwrap();

    let n = 20_000;
    let started = Instant::now();
    let mut last = None;
    for _ in 0..n {
        let parsed = Answers::parse(&edition, &raw).unwrap();
        last = Some(score(&edition, &parsed, Q4Weighting::default()).unwrap());
    }
    let per = started.elapsed() / n;
    println!("parse + score: {per:?} per result ({n} results; total {})", last.unwrap().total_display);

    let fonts = shuzhuan::pdf::fonts(&shuzhuan::Config::default().pdf_font_dirs);
    let started = Instant::now();
    let fonts_loaded = started.elapsed();
    let data = serde_json::json!({}); // warm-up render below uses the real report data
    let _ = data;
    let parsed = Answers::parse(&edition, &raw).unwrap();
    let result = score(&edition, &parsed, Q4Weighting::default()).unwrap();
    let report = report_data(&edition, &result);
    let mut times = Vec::new();
    let mut pages_len = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let pdf = shuzhuan::pdf::render(include_str!("../src/assessment/report.typ"), &report, fonts.clone()).unwrap();
        times.push(t.elapsed());
        pages_len = pdf.len();
    }
    times.sort();
    println!(
        "PDF report ({} KiB): first {:?}, median {:?}, max {:?} (fonts: {} faces, loaded {:?})",
        pages_len / 1024,
        times[0].max(times[times.len() - 1]).min(times[times.len() - 1]),
        times[times.len() / 2],
        times[times.len() - 1],
        fonts.count(),
        fonts_loaded
    );
}

/// The same shape as `assessment::report::data`, built from a result without a database.
fn report_data(edition: &Edition, result: &shuzhuan_core::assessment::AssessmentResult) -> serde_json::Value {
    let questions: Vec<_> = edition
        .questions()
        .iter()
        .map(|q| serde_json::json!({"no": q.no, "dimension": q.dimension, "title": q.title, "answer": "B. 示例作答", "score": "1.00", "max": q.max.display_trimmed()}))
        .collect();
    let dimensions: Vec<_> = result.dimensions.iter().map(|d| serde_json::json!({"name": d.name, "score": d.display, "max": d.max.display_trimmed(), "pct": 50.0})).collect();
    let groups: Vec<_> = result.groups.iter().map(|g| serde_json::json!({"group": g.group, "average": "2.00", "pct": 50.0, "built": 4})).collect();
    let scenarios: Vec<_> = result.scenarios.iter().map(|s| serde_json::json!({"no": s.no, "group": s.group, "name": s.name, "constrained": "是", "level": s.level_name})).collect();
    serde_json::json!({"title": "中小企业数字化水平评测报告", "edition": result.edition_name, "enterprise": "惠州市华阳精机有限公司", "uscc": "91441302MA5100331X",
        "submitted_at": "2026-11-22 12:00:00", "total": result.total_display, "level": result.level_display, "summary": result.summary_text(),
        "dimensions": dimensions, "groups": groups, "questions": questions, "scenarios": scenarios, "built": 16, "built_constrained": 10})
}
