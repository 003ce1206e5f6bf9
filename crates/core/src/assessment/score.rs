//! Scoring: question, dimension and total scores, scenario counts, the final
//! level and the manual's result sentence.

use serde::{Deserialize, Serialize};

use super::answers::{MissingItem, ParsedAnswers};
use super::edition::{
    Edition, LevelRule, MAX_SCENARIO_LEVEL, Question, QuestionType, scenario_level_name,
};
use super::points::Points;

/// How a multi-choice question's ticked options are scored.
///
/// The two differ only where a question's option weights are unequal, which
/// in the 2024 edition is Q4 alone (13 areas × 0.7 + 人力资源 0.9); for Q1,
/// Q6, Q7, Q9 and Q10 both give the same score (data `scoring_notes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Q4Weighting {
    /// Sum of the ticked options' own scores, the weights of the platform
    /// capture (Q4: 0.7 per area, 0.9 for 人力资源).
    Platform,
    /// Every non-exclusive option counts max / n (Q4: 10/14 ≈ 0.714 per
    /// area), as the independent re-implementation scores.
    ///
    /// The default, because it is the weighting the manual's worked example
    /// was computed with: under [`Q4Weighting::Platform`] every 数字化基础
    /// score is a multiple of 0.05, so the example's 25.46 (and the 49.09 of
    /// the manual's self-assessment list) cannot occur; under the equal split
    /// 25.46 is 24.75 + 10/14 or 19.75 + 8 × 10/14.
    #[default]
    EqualSplit,
}

impl Q4Weighting {
    pub const ALL: [Q4Weighting; 2] = [Q4Weighting::Platform, Q4Weighting::EqualSplit];

    /// "平台权重" / "等分权重".
    pub fn label(self) -> &'static str {
        match self {
            Q4Weighting::Platform => "平台权重",
            Q4Weighting::EqualSplit => "等分权重",
        }
    }
}

/// Why answers could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// Unanswered questions or scenarios (a draft).
    #[error("评测尚未完成，以下内容未作答：{}", list_missing(.missing))]
    Incomplete { missing: Vec<MissingItem> },
    /// The answers were parsed against another edition.
    #[error("答卷对应的题库版本（{answers}）与评分所用题库版本（{edition}）不一致")]
    EditionMismatch { answers: String, edition: String },
}

fn list_missing(missing: &[MissingItem]) -> String {
    missing
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

impl ScoreError {
    pub fn code(&self) -> &'static str {
        match self {
            ScoreError::Incomplete { .. } => "assessment_incomplete",
            ScoreError::EditionMismatch { .. } => "assessment_edition_mismatch",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionScore {
    pub no: u32,
    pub dimension: String,
    /// The ticked option keys.
    pub selected: Vec<String>,
    pub score: Points,
    pub max: Points,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionScore {
    pub code: String,
    pub name: String,
    pub score: Points,
    pub max: Points,
    /// Two decimals ("25.46").
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    pub no: u32,
    pub name: String,
    pub group: String,
    pub constrained: bool,
    /// 0 (无等级) to 4.
    pub level: u8,
    /// "无等级", "二级", …
    pub level_name: &'static str,
}

/// How many scenarios are at or above each level, overall and among the
/// constrained ones. Index 0 counts all scenarios (every level is ≥ 0);
/// index 1 counts the built ones (level ≥ 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScenarioCounts {
    pub scenarios: u32,
    pub constrained: u32,
    pub at_or_above: [u32; MAX_SCENARIO_LEVEL as usize + 1],
    pub constrained_at_or_above: [u32; MAX_SCENARIO_LEVEL as usize + 1],
}

impl ScenarioCounts {
    fn add(&mut self, level: u8, constrained: bool) {
        self.scenarios += 1;
        if constrained {
            self.constrained += 1;
        }
        for l in 0..=usize::from(level.min(MAX_SCENARIO_LEVEL)) {
            self.at_or_above[l] += 1;
            if constrained {
                self.constrained_at_or_above[l] += 1;
            }
        }
    }

    /// Scenarios whose level is at least `level` (0 if `level` > 4).
    pub fn at_or_above(&self, level: u8) -> u32 {
        self.at_or_above
            .get(usize::from(level))
            .copied()
            .unwrap_or(0)
    }

    pub fn constrained_at_or_above(&self, level: u8) -> u32 {
        self.constrained_at_or_above
            .get(usize::from(level))
            .copied()
            .unwrap_or(0)
    }

    /// "企业共建设 N 个应用场景": scenarios at level 1 or above.
    pub fn built(&self) -> u32 {
        self.at_or_above(1)
    }

    /// "其中约束性场景 M 个": constrained scenarios at level 1 or above.
    pub fn built_constrained(&self) -> u32 {
        self.constrained_at_or_above(1)
    }
}

/// One scenario group (产品生命周期数字化 …), for the report and its chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub group: String,
    pub counts: ScenarioCounts,
    /// Sum of the group's scenario levels.
    pub level_sum: u32,
    /// Mean scenario level (0–4), for a radar chart.
    pub average_level: f64,
}

/// The level awarded by the level rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardedLevel {
    pub level: u8,
    /// "二级".
    pub name: String,
    /// "规范级".
    pub title: String,
}

/// The outcome of an assessment. Built only by [`score`]; the fields are
/// public for rendering.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentResult {
    pub edition_name: String,
    pub edition_version: String,
    pub weighting: Q4Weighting,
    pub questions: Vec<QuestionScore>,
    pub dimensions: Vec<DimensionScore>,
    /// Exact, unrounded.
    pub total: Points,
    /// Two decimals ("49.34").
    pub total_display: String,
    pub scenarios: Vec<ScenarioResult>,
    pub counts: ScenarioCounts,
    pub groups: Vec<GroupSummary>,
    /// `None` is 无等级.
    pub level: Option<AwardedLevel>,
    /// "二级（规范级）" or "无等级".
    pub level_display: String,
    /// [`AssessmentResult::summary_text`].
    pub summary: String,
}

impl AssessmentResult {
    /// The awarded level number, 0 for 无等级.
    pub fn level_number(&self) -> u8 {
        self.level.as_ref().map_or(0, |l| l.level)
    }

    /// "二级" or "无等级".
    pub fn level_name(&self) -> &str {
        self.level.as_ref().map_or("无等级", |l| l.name.as_str())
    }

    pub fn dimension(&self, code: &str) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    pub fn question(&self, no: u32) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.no == no)
    }

    /// The manual's result sentence:
    ///
    /// "本次数字化基础、管理和成效三个维度评分结果为 49.34 分，其中数字化基础得分为
    /// 25.46 分，数字化管理得分为 13.88 分，数字化成效得分为 10 分。本次应用场景评测分析
    /// 围绕企业数字化经营方面的 16 个应用场景展开，企业共建设 16 个应用场景，其中约束性场景
    /// 10 个，整体评测处于 二级 水平。"
    ///
    /// Scores are rounded to two decimals with trailing zeros dropped, as
    /// the manual prints "10"; "共建设" counts scenarios at level ≥ 1 and
    /// "约束性场景" the constrained ones among them.
    pub fn summary_text(&self) -> String {
        let names: Vec<&str> = self.dimensions.iter().map(|d| d.name.as_str()).collect();
        let parts = self
            .dimensions
            .iter()
            .map(|d| format!("{}得分为 {} 分", d.name, d.score.display_trimmed()))
            .collect::<Vec<_>>()
            .join("，");
        format!(
            "本次{}评分结果为 {} 分，其中{}。本次应用场景评测分析围绕企业数字化经营方面的 {} 个应用场景展开，企业共建设 {} 个应用场景，其中约束性场景 {} 个，整体评测处于 {} 水平。",
            dimensions_phrase(&names),
            self.total.display_trimmed(),
            parts,
            self.counts.scenarios,
            self.counts.built(),
            self.counts.built_constrained(),
            self.level_name(),
        )
    }
}

/// A count before 个: 两 for 2, as in "两个维度".
fn chinese_count(n: usize) -> String {
    const DIGITS: [&str; 11] = [
        "零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    DIGITS
        .get(n)
        .map_or_else(|| n.to_string(), |d| (*d).to_owned())
}

/// ["数字化基础", "数字化管理", "数字化成效"] → "数字化基础、管理和成效三个维度".
fn dimensions_phrase(names: &[&str]) -> String {
    let prefix_len = match names {
        [first, rest @ ..] if !rest.is_empty() => {
            let mut len = 0;
            for (i, c) in first.char_indices() {
                let end = i + c.len_utf8();
                let prefix = &first[..end];
                if first.len() > end && rest.iter().all(|n| n.len() > end && n.starts_with(prefix))
                {
                    len = end;
                } else {
                    break;
                }
            }
            len
        }
        _ => 0,
    };
    let items: Vec<&str> = names
        .iter()
        .enumerate()
        .map(|(i, n)| if i == 0 { *n } else { &n[prefix_len..] })
        .collect();
    let joined = match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{}和{}", init.join("、"), last),
    };
    format!("{joined}{}个维度", chinese_count(names.len()))
}

fn question_score(q: &Question, selected: &[String], weighting: Q4Weighting) -> Option<Points> {
    let options = selected
        .iter()
        .map(|k| q.option(k))
        .collect::<Option<Vec<_>>>()?;
    Some(match (q.kind, weighting) {
        (QuestionType::Single, _) | (QuestionType::Multi, Q4Weighting::Platform) => {
            options.iter().map(|o| o.score).sum()
        }
        (QuestionType::Multi, Q4Weighting::EqualSplit) => {
            let ticked = options.iter().filter(|o| !q.is_exclusive(&o.key)).count();
            q.max
                .mul_ratio(ticked as u64, q.non_exclusive_count() as u64)
        }
    })
}

/// The highest rule whose score threshold and scenario-count conditions all
/// hold; thresholds are compared on the unrounded total, `>=`.
pub(crate) fn determine_level<'a>(
    rules: &'a [LevelRule],
    total: Points,
    counts: &ScenarioCounts,
) -> Option<&'a LevelRule> {
    rules
        .iter()
        .filter(|r| {
            total >= r.min_score
                && counts.at_or_above(r.level) >= r.min_scenarios_at_or_above
                && counts.constrained_at_or_above(r.level) >= r.min_constrained_at_or_above
        })
        .max_by_key(|r| r.level)
}

/// Scores complete answers.
///
/// Per question: a single-choice question scores its option; a multi-choice
/// question per `weighting`. Dimension scores are the sums of their
/// questions, the total the sum of the dimensions (0–100), all exact. The
/// level is the highest in the edition's `level_rules` whose minimum total
/// and minimum counts of scenarios (and of constrained scenarios) at or
/// above that level hold, else 无等级.
pub fn score(
    edition: &Edition,
    answers: &ParsedAnswers,
    weighting: Q4Weighting,
) -> Result<AssessmentResult, ScoreError> {
    let mismatch = || ScoreError::EditionMismatch {
        answers: format!("{} {}", answers.edition_name(), answers.edition_version()),
        edition: format!("{} {}", edition.name(), edition.version()),
    };
    if answers.edition_name() != edition.name() || answers.edition_version() != edition.version() {
        return Err(mismatch());
    }
    if !answers.is_complete() {
        return Err(ScoreError::Incomplete {
            missing: answers.missing().to_vec(),
        });
    }

    let mut questions = Vec::with_capacity(edition.questions().len());
    for q in edition.questions() {
        let selected = answers.selected(q.no);
        let score = question_score(q, selected, weighting).ok_or_else(mismatch)?;
        questions.push(QuestionScore {
            no: q.no,
            dimension: q.dimension.clone(),
            selected: selected.to_vec(),
            score,
            max: q.max,
        });
    }

    let dimensions: Vec<DimensionScore> = edition
        .dimensions()
        .iter()
        .map(|d| {
            let score: Points = questions
                .iter()
                .filter(|q| q.dimension == d.code)
                .map(|q| q.score)
                .sum();
            DimensionScore {
                code: d.code.clone(),
                name: d.name.clone(),
                score,
                max: d.points,
                display: score.display_2dp(),
            }
        })
        .collect();
    let total: Points = dimensions.iter().map(|d| d.score).sum();

    let mut counts = ScenarioCounts::default();
    let mut scenarios = Vec::with_capacity(edition.scenarios().len());
    for s in edition.scenarios() {
        let level = answers.scenario_level(s.no).ok_or_else(mismatch)?;
        counts.add(level, s.constrained);
        scenarios.push(ScenarioResult {
            no: s.no,
            name: s.name.clone(),
            group: s.group.clone(),
            constrained: s.constrained,
            level,
            level_name: scenario_level_name(level),
        });
    }

    let groups = edition
        .scenario_groups()
        .into_iter()
        .map(|g| {
            let mut counts = ScenarioCounts::default();
            let mut level_sum = 0u32;
            for s in scenarios.iter().filter(|s| s.group == g) {
                counts.add(s.level, s.constrained);
                level_sum += u32::from(s.level);
            }
            GroupSummary {
                group: g.to_owned(),
                average_level: f64::from(level_sum) / f64::from(counts.scenarios.max(1)),
                counts,
                level_sum,
            }
        })
        .collect();

    let rule = determine_level(edition.level_rules(), total, &counts);
    let mut result = AssessmentResult {
        edition_name: edition.name().to_owned(),
        edition_version: edition.version().to_owned(),
        weighting,
        questions,
        dimensions,
        total,
        total_display: total.display_2dp(),
        scenarios,
        counts,
        groups,
        level: rule.map(|r| AwardedLevel {
            level: r.level,
            name: r.name.clone(),
            title: r.title.clone(),
        }),
        level_display: rule.map_or_else(|| "无等级".to_owned(), LevelRule::display),
        summary: String::new(),
    };
    result.summary = result.summary_text();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_phrase_matches_the_manual() {
        assert_eq!(
            dimensions_phrase(&["数字化基础", "数字化管理", "数字化成效"]),
            "数字化基础、管理和成效三个维度"
        );
        assert_eq!(dimensions_phrase(&["基础", "管理"]), "基础和管理两个维度");
        assert_eq!(dimensions_phrase(&["数字化基础"]), "数字化基础一个维度");
    }
}
