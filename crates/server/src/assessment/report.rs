//! The assessment report (PDF): enterprise, time, scores, level, the result sentence, a bar chart of the
//! dimensions and of the scenario groups, every answer and every scenario level.

use shuzhuan_core::assessment::{AssessmentResult, Answers, Edition};

use super::entity::assessment;
use crate::error::{ApiError, ApiResult};

pub const TEMPLATE: &str = include_str!("report.typ");

/// The data the template reads as `json("/data.json")`.
pub fn data(edition: &Edition, m: &assessment::Model, org: &crate::directory::org::Model) -> ApiResult<serde_json::Value> {
    if m.result.is_none() {
        return Err(ApiError::NotFound("评测尚未提交".into()));
    }
    // Re-score from the stored answers with the stored edition and weighting: the stored JSON is for
    // clients; the typed result is what the report is built from.
    let cannot = || ApiError::Internal(anyhow::anyhow!("assessment {} cannot be re-scored", m.id));
    let answers: Answers = serde_json::from_str(&m.answers).map_err(|_| cannot())?;
    let parsed = Answers::parse(edition, &answers).map_err(|_| cannot())?;
    let w = if m.q4_weighting == "platform" {
        shuzhuan_core::assessment::Q4Weighting::Platform
    } else {
        shuzhuan_core::assessment::Q4Weighting::EqualSplit
    };
    let result: AssessmentResult = shuzhuan_core::assessment::score(edition, &parsed, w).map_err(|_| cannot())?;
    let questions: Vec<serde_json::Value> = edition
        .questions()
        .iter()
        .map(|q| {
            let scored = result.question(q.no);
            let selected = scored.map(|s| s.selected.clone()).unwrap_or_default();
            let mut labels: Vec<String> = selected.iter().filter_map(|k| q.option(k)).map(|o| format!("{}. {}", o.key, o.label)).collect();
            // The numbers the enterprise typed (设备总数 200 台, 其中数字化 60 台 …) are part of the answer.
            labels.extend(q.fill_ins.iter().filter_map(|f| parsed.fill_in(&f.key).map(|v| fill_in_text(f, v))));
            serde_json::json!({
                "no": q.no,
                "dimension": edition.dimension(&q.dimension).map(|d| d.name.clone()).unwrap_or_default(),
                "title": q.title,
                "answer": labels.join("；"),
                "score": scored.map(|s| s.score.display_2dp()).unwrap_or_default(),
                "max": q.max.display_trimmed(),
            })
        })
        .collect();
    let dimensions: Vec<serde_json::Value> = result
        .dimensions
        .iter()
        .map(|d| {
            let pct = if d.max.to_f64() > 0.0 { d.score.to_f64() / d.max.to_f64() * 100.0 } else { 0.0 };
            serde_json::json!({ "name": d.name, "score": d.display, "max": d.max.display_trimmed(), "pct": pct })
        })
        .collect();
    let groups: Vec<serde_json::Value> = result
        .groups
        .iter()
        .map(|g| serde_json::json!({ "group": g.group, "average": format!("{:.2}", g.average_level), "pct": g.average_level / 4.0 * 100.0, "built": g.counts.built() }))
        .collect();
    let scenarios: Vec<serde_json::Value> = result
        .scenarios
        .iter()
        .map(|s| serde_json::json!({ "no": s.no, "group": s.group, "name": s.name, "constrained": if s.constrained { "是" } else { "否" }, "level": s.level_name }))
        .collect();
    Ok(serde_json::json!({
        "title": "中小企业数字化水平评测报告",
        "edition": result.edition_name,
        "enterprise": org.name,
        "uscc": org.uscc.clone().unwrap_or_else(|| "—".into()),
        "submitted_at": m.submitted_at.map(crate::time::display).unwrap_or_default(),
        "total": result.total_display,
        "level": result.level_display,
        "summary": result.summary_text(),
        "dimensions": dimensions,
        "groups": groups,
        "questions": questions,
        "scenarios": scenarios,
        "built": result.counts.built(),
        "built_constrained": result.counts.built_constrained(),
    }))
}

/// 「生产设备数量：200 台」: the fill-in's short name (its label when it has none), the number as typed
/// (whole numbers without decimals) and its unit.
fn fill_in_text(f: &shuzhuan_core::assessment::FillIn, v: f64) -> String {
    let name = if f.name.is_empty() { f.label.as_str() } else { f.name.as_str() };
    let number = if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v:.2}") };
    match f.unit.as_deref().filter(|u| !u.is_empty()) {
        Some("%") => format!("{name}：{number}%"),
        Some(unit) => format!("{name}：{number} {unit}"),
        None => format!("{name}：{number}"),
    }
}
