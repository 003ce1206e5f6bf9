//! A questionnaire edition: questions, options and scores, scenarios, level
//! rules, parsed and checked from the data file's JSON.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::points::{Points, to_milli};
use crate::text::fold_width;

/// Scenario levels run from 0 (无等级) to this.
pub const MAX_SCENARIO_LEVEL: u8 = 4;

/// Points of the whole scored part.
const TOTAL_POINTS: u64 = 100;

/// Most options a question may have (keys A–Z); also keeps score
/// denominators small (see [`Points`]).
const MAX_OPTIONS: usize = 26;

/// The Chinese name of a scenario level: `0` → "无等级", `2` → "二级".
pub fn scenario_level_name(level: u8) -> &'static str {
    match level {
        0 => "无等级",
        1 => "一级",
        2 => "二级",
        3 => "三级",
        4 => "四级",
        _ => "未知等级",
    }
}

/// Why an edition's JSON was refused. These are data errors for the admin
/// who loads an edition, not for enterprises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditionError {
    /// Not JSON, or not the shape of the data file (serde's detail).
    #[error("评测题库数据格式不正确：{0}")]
    Json(String),
    #[error("评测题库缺少{what}")]
    Empty { what: &'static str },
    /// A number that is negative, not finite or has more than three decimals.
    #[error("评测题库中“{field}”的数值不正确（须为非负数，最多三位小数）")]
    Number { field: String },
    #[error("评测题库中{what}“{id}”重复")]
    Duplicate { what: &'static str, id: String },
    #[error("评测题库各维度分值合计应为100分，实为{sum}分")]
    DimensionPoints { sum: String },
    #[error("第{question}题所属维度“{dimension}”不存在")]
    UnknownDimension { question: u32, dimension: String },
    /// The question max is not dimension points × the path weights.
    #[error("第{question}题满分与所属维度分值和路径权重不一致")]
    QuestionMax { question: u32 },
    #[error("维度“{dimension}”下各题满分合计为{sum}分，与维度分值不一致")]
    DimensionTotal { dimension: String, sum: String },
    #[error("第{question}题选项数量须为2至26个")]
    OptionCount { question: u32 },
    /// An option's score is not question max × its weight.
    #[error("第{question}题选项{option}的分值与满分和权重不一致")]
    OptionScore { question: u32, option: String },
    /// Multi-choice: the non-exclusive options do not add up to the max;
    /// single-choice: no option scores the max, or one exceeds it.
    #[error("第{question}题各选项分值与满分不一致")]
    OptionTotal { question: u32 },
    #[error("第{question}题的互斥选项设置不正确（须为多选题中分值为0的已有选项）")]
    ExclusiveOption { question: u32 },
    #[error("第{question}题缺少填空项“{key}”")]
    FillIn { question: u32, key: String },
    #[error("第{question}题的比率区间选项无法解析，或未依次覆盖0%至100%")]
    RateBands { question: u32 },
    #[error("应用场景{scenario}须有且仅有一级至四级的等级描述")]
    ScenarioLevels { scenario: u32 },
    #[error("等级判定规则不正确：{reason}")]
    LevelRules { reason: String },
}

impl EditionError {
    pub fn code(&self) -> &'static str {
        match self {
            EditionError::Json(_) => "edition_json",
            EditionError::Empty { .. } => "edition_empty",
            EditionError::Number { .. } => "edition_number",
            EditionError::Duplicate { .. } => "edition_duplicate",
            EditionError::DimensionPoints { .. } => "edition_dimension_points",
            EditionError::UnknownDimension { .. } => "edition_unknown_dimension",
            EditionError::QuestionMax { .. } => "edition_question_max",
            EditionError::DimensionTotal { .. } => "edition_dimension_total",
            EditionError::OptionCount { .. } => "edition_option_count",
            EditionError::OptionScore { .. } => "edition_option_score",
            EditionError::OptionTotal { .. } => "edition_option_total",
            EditionError::ExclusiveOption { .. } => "edition_exclusive_option",
            EditionError::FillIn { .. } => "edition_fill_in",
            EditionError::RateBands { .. } => "edition_rate_bands",
            EditionError::ScenarioLevels { .. } => "edition_scenario_levels",
            EditionError::LevelRules { .. } => "edition_level_rules",
        }
    }
}

// ---------------------------------------------------------------------------
// The checked model. Fields are public for rendering; values can only be
// obtained by reference from an `Edition`, which only `Edition::from_json`
// builds, so they are always consistent.

/// One of the scored dimensions (数字化基础 50, 数字化管理 30, 数字化成效 20).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub code: String,
    pub name: String,
    pub points: Points,
}

/// 单选题 or 多选题.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    Single,
    Multi,
}

impl QuestionType {
    /// "单选题" / "多选题", as the questionnaire page labels them.
    pub fn label(self) -> &'static str {
        match self {
            QuestionType::Single => "单选题",
            QuestionType::Multi => "多选题",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerOption {
    pub key: String,
    pub label: String,
    /// The platform's score of this option (max × weight).
    pub score: Points,
    /// Percent of the question max, as in the data.
    #[serde(serialize_with = "ser_number")]
    pub weight_pct: f64,
}

/// How a fill-in's number is checked. Derived from the unit in the data
/// (the data has no type field): 台/人/个… are counts, units with 元 are
/// amounts in 万元, no unit is a percentage (the data notes "presumably the
/// rate in %"), anything else a physical quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FillInKind {
    /// A whole number of things, 0 to 10,000,000.
    Count,
    /// An amount in 万元, 0 to 100,000,000 (1 万亿元).
    Amount,
    /// Another quantity with a unit (吨标准煤), 0 to 100,000,000.
    Quantity,
    /// A percentage, 0 to 100.
    Percent,
}

impl FillInKind {
    fn for_unit(unit: Option<&str>) -> FillInKind {
        const COUNT_UNITS: [&str; 8] = ["台", "人", "个", "家", "套", "项", "次", "件"];
        match unit {
            None => FillInKind::Percent,
            Some(u) if COUNT_UNITS.contains(&u) => FillInKind::Count,
            Some(u) if u.contains('元') => FillInKind::Amount,
            Some(_) => FillInKind::Quantity,
        }
    }

    /// The largest accepted value.
    pub fn max(self) -> f64 {
        match self {
            FillInKind::Count => 10_000_000.0,
            FillInKind::Amount | FillInKind::Quantity => 100_000_000.0,
            FillInKind::Percent => 100.0,
        }
    }

    /// Whether only whole numbers are accepted.
    pub fn integer(self) -> bool {
        matches!(self, FillInKind::Count)
    }
}

/// A number the enterprise fills in beside a question (生产设备数量（台）).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FillIn {
    pub key: String,
    /// The platform's label, verbatim ("其中生产设备数量为（台）").
    pub label: String,
    pub unit: Option<String>,
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How the value is checked.
    #[serde(skip)]
    pub kind: FillInKind,
    /// A short name for messages ("生产设备数量", "生产设备数字化率").
    #[serde(skip)]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The question number, shown as "第N题".
    pub no: u32,
    /// The [`Dimension::code`] it scores into.
    pub dimension: String,
    pub path: Vec<String>,
    #[serde(serialize_with = "ser_numbers")]
    pub path_weights_pct: Vec<f64>,
    pub title: String,
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub max: Points,
    /// Multi-choice: the key of the "无" option that excludes the others.
    pub exclusive_option: Option<String>,
    pub options: Vec<AnswerOption>,
    pub fill_ins: Vec<FillIn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_sources: Option<BTreeMap<String, String>>,
}

impl Question {
    /// The option with this key (exact, canonical key).
    pub fn option(&self, key: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.key == key)
    }

    /// Whether `key` is this question's exclusive "无" option.
    pub fn is_exclusive(&self, key: &str) -> bool {
        self.exclusive_option.as_deref() == Some(key)
    }

    /// The options other than the exclusive one: the areas that can be
    /// ticked together on a multi-choice question.
    pub fn non_exclusive_count(&self) -> usize {
        self.options
            .iter()
            .filter(|o| !self.is_exclusive(&o.key))
            .count()
    }

    pub fn fill_in(&self, key: &str) -> Option<&FillIn> {
        self.fill_ins.iter().find(|f| f.key == key)
    }
}

/// One of the 16 application scenarios of part two (数字化经营).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub no: u32,
    /// 产品生命周期数字化, 生产执行数字化, 供应链数字化, 管理决策数字化.
    pub group: String,
    pub name: String,
    /// 约束性 (true) or 指导性/非约束性 (false).
    pub constrained: bool,
    /// The platform's sceneType (1 = constrained), kept for reference.
    #[serde(rename = "s1_sceneType", skip_serializing_if = "Option::is_none")]
    pub scene_type: Option<i64>,
    /// The description of levels 1 to 4.
    pub levels: BTreeMap<u8, String>,
}

impl Scenario {
    /// The text shown for a level; `None` for 0 (无等级) and out-of-range levels.
    pub fn level_text(&self, level: u8) -> Option<&str> {
        self.levels.get(&level).map(String::as_str)
    }

    /// "约束性场景" / "非约束性场景", as the questionnaire page says it.
    pub fn kind_label(&self) -> &'static str {
        if self.constrained {
            "约束性场景"
        } else {
            "非约束性场景"
        }
    }
}

/// One row of the final-level rule: level `level` is awarded if the total
/// score is at least `min_score` and at least `min_scenarios_at_or_above`
/// scenarios (of which `min_constrained_at_or_above` constrained) are at
/// scenario level `level` or higher.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelRule {
    pub level: u8,
    /// "二级".
    pub name: String,
    /// "规范级".
    pub title: String,
    pub min_score: Points,
    pub min_scenarios_at_or_above: u32,
    pub min_constrained_at_or_above: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl LevelRule {
    /// "二级（规范级）".
    pub fn display(&self) -> String {
        format!("{}（{}）", self.name, self.title)
    }
}

/// A rate band option label such as "(10%,20%]", in thousandths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Band {
    lower: u64,
    lower_closed: bool,
    upper: u64,
    upper_closed: bool,
}

/// A percentage as an exact fraction `num / den` (den > 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Percent {
    pub num: u128,
    pub den: u128,
}

impl Percent {
    /// Compares with a bound in thousandths of a percent.
    fn cmp_milli(self, milli: u64) -> std::cmp::Ordering {
        (self.num * 1000).cmp(&(u128::from(milli) * self.den))
    }
}

impl Band {
    pub(crate) fn contains(&self, p: Percent) -> bool {
        use std::cmp::Ordering::*;
        let above_lower = match p.cmp_milli(self.lower) {
            Greater => true,
            Equal => self.lower_closed,
            Less => false,
        };
        let below_upper = match p.cmp_milli(self.upper) {
            Less => true,
            Equal => self.upper_closed,
            Greater => false,
        };
        above_lower && below_upper
    }

    fn parse(label: &str) -> Option<Band> {
        let s = fold_width(label);
        let lower_closed = match s.chars().next()? {
            '[' => true,
            '(' => false,
            _ => return None,
        };
        let upper_closed = match s.chars().last()? {
            ']' => true,
            ')' => false,
            _ => return None,
        };
        let inner = s.get(1..s.len() - 1)?;
        let (a, b) = inner
            .split_once(',')
            .or_else(|| inner.split_once('-'))
            .or_else(|| inner.split_once('~'))?;
        let pct = |x: &str| -> Option<u64> {
            let x = x.trim();
            let x = x.strip_suffix('%').unwrap_or(x).trim();
            to_milli(x.parse::<f64>().ok()?)
        };
        Some(Band {
            lower: pct(a)?,
            lower_closed,
            upper: pct(b)?,
            upper_closed,
        })
    }
}

/// A fill-in-derived answer: a rate computed from two counts selects the
/// band option. The data has no formula field, so the rules are here, keyed
/// by the data file's fill-in keys; a rule applies to an edition that has
/// its rate fill-in.
struct RateRuleSpec {
    rate_key: &'static str,
    part_key: &'static str,
    total_key: &'static str,
    part_name: &'static str,
    total_name: &'static str,
    rate_name: &'static str,
}

const RATE_RULES: [RateRuleSpec; 2] = [
    RateRuleSpec {
        rate_key: "q2_rate",
        part_key: "q2_equipment_digitized",
        total_key: "q2_equipment_total",
        part_name: "数字化设备数量",
        total_name: "设备总数",
        rate_name: "生产设备数字化率",
    },
    RateRuleSpec {
        rate_key: "q3_rate",
        part_key: "q3_equipment_networked",
        total_key: "q2_equipment_total",
        part_name: "联网设备数量",
        total_name: "设备总数",
        rate_name: "生产设备联网率",
    },
];

/// A [`RateRuleSpec`] resolved against an edition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RateRule {
    /// The question whose option is derived (and holds the rate fill-in).
    pub question: u32,
    pub rate_key: &'static str,
    /// (question no, key) of the part count.
    pub part: (u32, &'static str),
    /// (question no, key) of the total count; may be another question's.
    pub total: (u32, &'static str),
    pub part_name: &'static str,
    pub total_name: &'static str,
    pub rate_name: &'static str,
    /// One band per option, in option order.
    pub bands: Vec<Band>,
}

impl RateRule {
    /// The index of the option whose band holds `p`.
    pub(crate) fn option_for(&self, p: Percent) -> Option<usize> {
        self.bands.iter().position(|b| b.contains(p))
    }
}

/// A questionnaire edition (e.g. 中小企业数字化水平评测指标（2024年版）),
/// checked for arithmetic consistency on load.
///
/// Serializes back to the data file's shape (minus unknown fields), so it
/// can be sent to the questionnaire page as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edition {
    name: String,
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<String>,
    dimensions: Vec<Dimension>,
    questions: Vec<Question>,
    scenarios: Vec<Scenario>,
    level_rules: Vec<LevelRule>,
    scoring_notes: Vec<String>,
    discrepancies: Vec<String>,
    data_notes: Vec<String>,
    #[serde(skip)]
    rate_rules: Vec<RateRule>,
}

impl Edition {
    /// Parses and checks an edition from JSON of the data file's shape
    /// (`sme_digital_level_2024.json`). Checks: dimension points add up to
    /// 100; each question's max is its dimension's points × its path weights
    /// and the maxima of a dimension add up to its points; option scores are
    /// max × weight, a multi-choice question's non-exclusive options add up to
    /// its max and a single-choice question's best option scores the max;
    /// the exclusive option exists and scores 0; question numbers, option
    /// keys, fill-in keys, scenario numbers and dimension codes are unique;
    /// each scenario has texts for levels 1–4; rate-band options cover
    /// 0–100 %; level rules run from the highest level down with
    /// non-increasing thresholds that can be met. Unknown JSON fields are
    /// ignored.
    pub fn from_json(json: &str) -> Result<Edition, EditionError> {
        let raw: RawEdition =
            serde_json::from_str(json).map_err(|e| EditionError::Json(e.to_string()))?;
        Edition::from_raw(raw)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The edition's version ("2024"); answers and results record it.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn provenance(&self) -> Option<&str> {
        self.provenance.as_deref()
    }

    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    /// Questions in the data's order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn question(&self, no: u32) -> Option<&Question> {
        self.questions.iter().find(|q| q.no == no)
    }

    /// Scenarios in the data's order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    pub fn scenario(&self, no: u32) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.no == no)
    }

    /// Scenario group names in order of first appearance.
    pub fn scenario_groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for s in &self.scenarios {
            if !groups.contains(&s.group.as_str()) {
                groups.push(&s.group);
            }
        }
        groups
    }

    /// Level rules from the highest level down.
    pub fn level_rules(&self) -> &[LevelRule] {
        &self.level_rules
    }

    pub fn scoring_notes(&self) -> &[String] {
        &self.scoring_notes
    }

    pub fn discrepancies(&self) -> &[String] {
        &self.discrepancies
    }

    pub fn data_notes(&self) -> &[String] {
        &self.data_notes
    }

    /// Sum of the dimension points (100).
    pub fn total_points(&self) -> Points {
        self.dimensions.iter().map(|d| d.points).sum()
    }

    /// Whether the option of `question` is derived from its fill-ins (Q2, Q3).
    pub fn is_derived(&self, question: u32) -> bool {
        self.rate_rules.iter().any(|r| r.question == question)
    }

    pub(crate) fn rate_rules(&self) -> &[RateRule] {
        &self.rate_rules
    }

    /// The question holding a fill-in key, and the fill-in.
    pub(crate) fn find_fill_in(&self, key: &str) -> Option<(&Question, &FillIn)> {
        self.questions
            .iter()
            .find_map(|q| q.fill_in(key).map(|f| (q, f)))
    }

    fn from_raw(raw: RawEdition) -> Result<Edition, EditionError> {
        if raw.dimensions.is_empty() {
            return Err(EditionError::Empty {
                what: "评分维度"
            });
        }
        if raw.questions.is_empty() {
            return Err(EditionError::Empty { what: "题目" });
        }
        if raw.scenarios.is_empty() {
            return Err(EditionError::Empty {
                what: "应用场景"
            });
        }
        if raw.level_rules.is_empty() {
            return Err(EditionError::Empty {
                what: "等级判定规则",
            });
        }

        let dimensions = raw
            .dimensions
            .into_iter()
            .map(|d| {
                let points = milli(d.points, || format!("{}分值", d.name))?;
                Ok(Dimension {
                    code: d.code,
                    name: d.name,
                    points: Points::from_milli(points),
                })
            })
            .collect::<Result<Vec<_>, EditionError>>()?;
        unique(dimensions.iter().map(|d| d.code.clone()), "维度代码")?;
        let total: Points = dimensions.iter().map(|d| d.points).sum();
        if total != Points::from_milli(TOTAL_POINTS * 1000) {
            return Err(EditionError::DimensionPoints {
                sum: total.display_trimmed(),
            });
        }

        let questions = raw
            .questions
            .into_iter()
            .map(|q| check_question(q, &dimensions))
            .collect::<Result<Vec<_>, EditionError>>()?;
        unique(questions.iter().map(|q| q.no.to_string()), "题号")?;
        unique(
            questions
                .iter()
                .flat_map(|q| q.fill_ins.iter().map(|f| f.key.clone())),
            "填空项",
        )?;
        for d in &dimensions {
            let sum: Points = questions
                .iter()
                .filter(|q| q.dimension == d.code)
                .map(|q| q.max)
                .sum();
            if sum != d.points {
                return Err(EditionError::DimensionTotal {
                    dimension: d.name.clone(),
                    sum: sum.display_trimmed(),
                });
            }
        }

        let scenarios = raw
            .scenarios
            .into_iter()
            .map(check_scenario)
            .collect::<Result<Vec<_>, EditionError>>()?;
        unique(scenarios.iter().map(|s| s.no.to_string()), "应用场景编号")?;

        let level_rules = check_level_rules(raw.level_rules, &scenarios)?;

        let mut edition = Edition {
            name: raw.name,
            version: raw.version,
            provenance: raw.provenance,
            dimensions,
            questions,
            scenarios,
            level_rules,
            scoring_notes: raw.scoring_notes,
            discrepancies: raw.discrepancies,
            data_notes: raw.data_notes,
            rate_rules: Vec::new(),
        };
        edition.rate_rules = resolve_rate_rules(&edition)?;
        for rule in &edition.rate_rules {
            let name = rule.rate_name;
            let q = edition
                .questions
                .iter_mut()
                .find(|q| q.no == rule.question)
                .expect("rule question exists");
            if let Some(f) = q.fill_ins.iter_mut().find(|f| f.key == rule.rate_key) {
                f.name = name.to_owned();
            }
        }
        Ok(edition)
    }
}

/// Whole numbers as JSON integers (`9`, not `9.0`), as the data file has them.
fn ser_number<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        s.serialize_i64(*x as i64)
    } else {
        s.serialize_f64(*x)
    }
}

fn ser_numbers<S: serde::Serializer>(xs: &[f64], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(xs.len()))?;
    for x in xs {
        seq.serialize_element(&Number(*x))?;
    }
    seq.end()
}

struct Number(f64);

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_number(&self.0, s)
    }
}

fn milli(x: f64, field: impl FnOnce() -> String) -> Result<u64, EditionError> {
    to_milli(x).ok_or_else(|| EditionError::Number { field: field() })
}

fn unique(ids: impl Iterator<Item = String>, what: &'static str) -> Result<(), EditionError> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id.clone()) {
            return Err(EditionError::Duplicate { what, id });
        }
    }
    Ok(())
}

/// "其中生产设备数量为（台）" → "生产设备数量".
fn short_label(label: &str) -> String {
    let mut s = label.trim();
    if let Some(i) = s.find('（').or_else(|| s.find('('))
        && (s.ends_with('）') || s.ends_with(')'))
    {
        s = s[..i].trim_end();
    }
    s = s.strip_prefix("其中").unwrap_or(s);
    s = s.strip_suffix('为').unwrap_or(s);
    if s.is_empty() {
        label.trim().to_owned()
    } else {
        s.to_owned()
    }
}

fn check_question(q: RawQuestion, dimensions: &[Dimension]) -> Result<Question, EditionError> {
    let no = q.no;
    let dimension = dimensions
        .iter()
        .find(|d| d.code == q.dimension)
        .ok_or_else(|| EditionError::UnknownDimension {
            question: no,
            dimension: q.dimension.clone(),
        })?;
    let max_milli = milli(q.max, || format!("第{no}题满分"))?;
    let max = Points::from_milli(max_milli);

    // max = dimension points × Π path weights / 100^n
    if !q.path_weights_pct.is_empty() {
        let mut product = Points::ratio(
            u128::from(dimension.points.numer()),
            u128::from(dimension.points.denom()),
        );
        for (i, w) in q.path_weights_pct.iter().enumerate() {
            let w = milli(*w, || format!("第{no}题路径权重{}", i + 1))?;
            product = product.mul_ratio(w, 100_000);
        }
        if product != max {
            return Err(EditionError::QuestionMax { question: no });
        }
    }

    if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
        return Err(EditionError::OptionCount { question: no });
    }
    let mut options = Vec::with_capacity(q.options.len());
    for o in q.options {
        let key = o.key.trim().to_owned();
        let score_milli = milli(o.score, || format!("第{no}题选项{key}分值"))?;
        let weight_milli = milli(o.weight_pct, || format!("第{no}题选项{key}权重"))?;
        // score = max × weight / 100, in thousandths of a point and of a percent.
        if u128::from(score_milli) * 100_000 != u128::from(max_milli) * u128::from(weight_milli) {
            return Err(EditionError::OptionScore {
                question: no,
                option: key,
            });
        }
        if key.is_empty() {
            return Err(EditionError::Empty {
                what: "选项代码"
            });
        }
        options.push(AnswerOption {
            key,
            label: o.label,
            score: Points::from_milli(score_milli),
            weight_pct: o.weight_pct,
        });
    }
    unique(options.iter().map(|o| o.key.to_uppercase()), "选项代码").map_err(|e| match e {
        EditionError::Duplicate { what, id } => EditionError::Duplicate {
            what,
            id: format!("第{no}题{id}"),
        },
        e => e,
    })?;

    let exclusive_option = q.exclusive_option.map(|k| k.trim().to_owned());
    match (&exclusive_option, q.kind) {
        (None, _) => {}
        (Some(k), QuestionType::Multi) => {
            let ok = options
                .iter()
                .any(|o| &o.key == k && o.score == Points::ZERO);
            if !ok {
                return Err(EditionError::ExclusiveOption { question: no });
            }
        }
        (Some(_), QuestionType::Single) => {
            return Err(EditionError::ExclusiveOption { question: no });
        }
    }

    match q.kind {
        QuestionType::Multi => {
            let sum: Points = options
                .iter()
                .filter(|o| exclusive_option.as_ref() != Some(&o.key))
                .map(|o| o.score)
                .sum();
            if sum != max {
                return Err(EditionError::OptionTotal { question: no });
            }
        }
        QuestionType::Single => {
            let best = options
                .iter()
                .map(|o| o.score)
                .max()
                .unwrap_or(Points::ZERO);
            if best != max {
                return Err(EditionError::OptionTotal { question: no });
            }
        }
    }

    let fill_ins = q
        .fill_ins
        .into_iter()
        .map(|f| {
            let key = f.key.trim().to_owned();
            if key.is_empty() {
                return Err(EditionError::Empty {
                    what: "填空项代码"
                });
            }
            Ok(FillIn {
                kind: FillInKind::for_unit(f.unit.as_deref()),
                name: short_label(&f.label),
                key,
                label: f.label,
                unit: f.unit,
                required: f.required,
                note: f.note,
            })
        })
        .collect::<Result<Vec<_>, EditionError>>()?;

    Ok(Question {
        no,
        dimension: q.dimension,
        path: q.path,
        path_weights_pct: q.path_weights_pct,
        title: q.title,
        description: q.description,
        kind: q.kind,
        max,
        exclusive_option,
        options,
        fill_ins,
        field_sources: q.field_sources,
    })
}

fn check_scenario(s: RawScenario) -> Result<Scenario, EditionError> {
    let mut levels = BTreeMap::new();
    for (k, text) in s.levels {
        let level: u8 = k
            .trim()
            .parse()
            .map_err(|_| EditionError::ScenarioLevels { scenario: s.no })?;
        if levels.insert(level, text).is_some() {
            return Err(EditionError::ScenarioLevels { scenario: s.no });
        }
    }
    let expected: BTreeSet<u8> = (1..=MAX_SCENARIO_LEVEL).collect();
    if levels.keys().copied().collect::<BTreeSet<u8>>() != expected {
        return Err(EditionError::ScenarioLevels { scenario: s.no });
    }
    Ok(Scenario {
        no: s.no,
        group: s.group,
        name: s.name,
        constrained: s.constrained,
        scene_type: s.scene_type,
        levels,
    })
}

fn check_level_rules(
    raw: Vec<RawLevelRule>,
    scenarios: &[Scenario],
) -> Result<Vec<LevelRule>, EditionError> {
    let err = |reason: String| EditionError::LevelRules { reason };
    let scenario_count = scenarios.len() as u64;
    let constrained_count = scenarios.iter().filter(|s| s.constrained).count() as u64;
    let mut rules: Vec<LevelRule> = Vec::with_capacity(raw.len());
    for r in raw {
        if r.level == 0 || r.level > MAX_SCENARIO_LEVEL {
            return Err(err(format!(
                "等级须为1至{MAX_SCENARIO_LEVEL}，实为{}",
                r.level
            )));
        }
        if r.name.trim().is_empty() || r.title.trim().is_empty() {
            return Err(err(format!("等级{}缺少名称", r.level)));
        }
        let min_score = milli(r.min_score, || format!("{}最低得分", r.name))?;
        if min_score > TOTAL_POINTS * 1000 {
            return Err(err(format!("{}的最低得分超过100分", r.name)));
        }
        if u64::from(r.min_scenarios_at_or_above) > scenario_count {
            return Err(err(format!("{}要求的场景数超过场景总数", r.name)));
        }
        if u64::from(r.min_constrained_at_or_above) > constrained_count {
            return Err(err(format!(
                "{}要求的约束性场景数超过约束性场景总数",
                r.name
            )));
        }
        let rule = LevelRule {
            level: r.level,
            name: r.name,
            title: r.title,
            min_score: Points::from_milli(min_score),
            min_scenarios_at_or_above: r.min_scenarios_at_or_above,
            min_constrained_at_or_above: r.min_constrained_at_or_above,
            source: r.source,
        };
        if let Some(higher) = rules.last() {
            if higher.level <= rule.level {
                return Err(err("须按等级从高到低排列，且等级不得重复".to_owned()));
            }
            if higher.min_score < rule.min_score
                || higher.min_scenarios_at_or_above < rule.min_scenarios_at_or_above
                || higher.min_constrained_at_or_above < rule.min_constrained_at_or_above
            {
                return Err(err(format!(
                    "{}的条件不得低于{}的条件",
                    higher.name, rule.name
                )));
            }
        }
        rules.push(rule);
    }
    Ok(rules)
}

fn resolve_rate_rules(edition: &Edition) -> Result<Vec<RateRule>, EditionError> {
    let mut rules = Vec::new();
    for spec in &RATE_RULES {
        let Some((question, _)) = edition.find_fill_in(spec.rate_key) else {
            continue;
        };
        let no = question.no;
        let locate = |key: &'static str| -> Result<(u32, &'static str), EditionError> {
            match edition.find_fill_in(key) {
                Some((q, f)) if f.kind == FillInKind::Count => Ok((q.no, key)),
                _ => Err(EditionError::FillIn {
                    question: no,
                    key: key.to_owned(),
                }),
            }
        };
        let part = locate(spec.part_key)?;
        let total = locate(spec.total_key)?;
        let bands = if question.kind == QuestionType::Single {
            question
                .options
                .iter()
                .map(|o| Band::parse(&o.label))
                .collect::<Option<Vec<_>>>()
        } else {
            None
        };
        let bands = bands
            .filter(|b| bands_partition(b))
            .ok_or(EditionError::RateBands { question: no })?;
        rules.push(RateRule {
            question: no,
            rate_key: spec.rate_key,
            part,
            total,
            part_name: spec.part_name,
            total_name: spec.total_name,
            rate_name: spec.rate_name,
            bands,
        });
    }
    Ok(rules)
}

/// The bands, in option order, cover [0 %, 100 %] without gaps or overlaps.
fn bands_partition(bands: &[Band]) -> bool {
    let (Some(first), Some(last)) = (bands.first(), bands.last()) else {
        return false;
    };
    let well_formed =
        |b: &Band| b.lower < b.upper || (b.lower == b.upper && b.lower_closed && b.upper_closed);
    first.lower == 0
        && first.lower_closed
        && last.upper == 100_000
        && last.upper_closed
        && bands.iter().all(well_formed)
        && bands
            .windows(2)
            .all(|w| w[0].upper == w[1].lower && w[0].upper_closed != w[1].lower_closed)
}

// ---------------------------------------------------------------------------
// The data file's shape.

#[derive(Deserialize)]
struct RawEdition {
    name: String,
    version: String,
    #[serde(default)]
    provenance: Option<String>,
    dimensions: Vec<RawDimension>,
    questions: Vec<RawQuestion>,
    scenarios: Vec<RawScenario>,
    level_rules: Vec<RawLevelRule>,
    #[serde(default)]
    scoring_notes: Vec<String>,
    #[serde(default)]
    discrepancies: Vec<String>,
    #[serde(default)]
    data_notes: Vec<String>,
}

#[derive(Deserialize)]
struct RawDimension {
    code: String,
    name: String,
    points: f64,
}

#[derive(Deserialize)]
struct RawQuestion {
    no: u32,
    dimension: String,
    #[serde(default)]
    path: Vec<String>,
    #[serde(default)]
    path_weights_pct: Vec<f64>,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "type")]
    kind: QuestionType,
    max: f64,
    #[serde(default)]
    exclusive_option: Option<String>,
    options: Vec<RawOption>,
    #[serde(default)]
    fill_ins: Vec<RawFillIn>,
    #[serde(default)]
    field_sources: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
struct RawOption {
    key: String,
    label: String,
    score: f64,
    weight_pct: f64,
}

#[derive(Deserialize)]
struct RawFillIn {
    key: String,
    label: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct RawScenario {
    no: u32,
    group: String,
    name: String,
    constrained: bool,
    #[serde(rename = "s1_sceneType", default)]
    scene_type: Option<i64>,
    levels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawLevelRule {
    level: u8,
    name: String,
    title: String,
    min_score: f64,
    min_scenarios_at_or_above: u32,
    min_constrained_at_or_above: u32,
    #[serde(default)]
    source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_labels() {
        let b = Band::parse("[0-10%]").unwrap();
        assert_eq!(
            b,
            Band {
                lower: 0,
                lower_closed: true,
                upper: 10_000,
                upper_closed: true
            }
        );
        let b = Band::parse("(10%,20%]").unwrap();
        assert!(!b.lower_closed && b.upper_closed);
        assert_eq!((b.lower, b.upper), (10_000, 20_000));
        // Full-width brackets and comma from an input method.
        assert_eq!(Band::parse("（10%，20%]"), Some(b));
        assert_eq!(Band::parse("无"), None);
        assert_eq!(Band::parse("[a-b]"), None);

        let pct = |num, den| Percent { num, den };
        assert!(b.contains(pct(20, 1)));
        assert!(!b.contains(pct(10, 1)));
        assert!(b.contains(pct(1001, 100)));
        assert!(!b.contains(pct(2001, 100)));
    }

    #[test]
    fn band_partition() {
        let labels = [
            "[0-10%]",
            "(10%,20%]",
            "(20%,40%]",
            "(40%,60%]",
            "(60%,100%]",
        ];
        let bands: Vec<Band> = labels.iter().map(|l| Band::parse(l).unwrap()).collect();
        assert!(bands_partition(&bands));
        let gap: Vec<Band> = ["[0-10%]", "(20%,100%]"]
            .iter()
            .map(|l| Band::parse(l).unwrap())
            .collect();
        assert!(!bands_partition(&gap));
        let overlap: Vec<Band> = ["[0-10%]", "[10%,100%]"]
            .iter()
            .map(|l| Band::parse(l).unwrap())
            .collect();
        assert!(!bands_partition(&overlap));
        let short: Vec<Band> = ["[0-10%]", "(10%,90%]"]
            .iter()
            .map(|l| Band::parse(l).unwrap())
            .collect();
        assert!(!bands_partition(&short));
    }

    #[test]
    fn short_labels() {
        assert_eq!(short_label("其中生产设备数量为（台）"), "生产设备数量");
        assert_eq!(
            short_label("实现数字化的生产设备数量为（台）"),
            "实现数字化的生产设备数量"
        );
        assert_eq!(
            short_label("企业上年综合能源消费量为（吨标准煤）"),
            "企业上年综合能源消费量"
        );
        assert_eq!(short_label("具体数据"), "具体数据");
        assert_eq!(short_label("具体数据为（万元/年）"), "具体数据");
    }

    #[test]
    fn fill_in_kinds() {
        assert_eq!(FillInKind::for_unit(Some("台")), FillInKind::Count);
        assert_eq!(FillInKind::for_unit(Some("人")), FillInKind::Count);
        assert_eq!(FillInKind::for_unit(Some("万元")), FillInKind::Amount);
        assert_eq!(FillInKind::for_unit(Some("万元/年")), FillInKind::Amount);
        assert_eq!(FillInKind::for_unit(Some("吨标准煤")), FillInKind::Quantity);
        assert_eq!(FillInKind::for_unit(None), FillInKind::Percent);
    }
}
