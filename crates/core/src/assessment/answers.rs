//! An enterprise's answers: the raw form as the questionnaire page saves it,
//! and the parsed form that scoring takes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::edition::{Edition, FillIn, MAX_SCENARIO_LEVEL, Percent, Question, QuestionType};
use crate::text::fold_width;

/// A questionnaire's answers as the page sends and the server stores them,
/// complete or not (drafts are saved as the user goes).
///
/// ```json
/// {
///   "questions": {
///     "1": { "options": ["B", "C"] },
///     "2": { "fill_ins": { "q2_equipment_total": 200, "q2_equipment_digitized": 60 } },
///     "4": { "options": ["A"] }
///   },
///   "scenarios": { "1": 2, "2": 0, "3": null }
/// }
/// ```
///
/// Question and scenario keys are their numbers as decimal strings. A
/// question's `options` are the ticked option keys (case and full-width
/// insensitive, duplicates ignored); an empty list means unanswered. A
/// fill-in of `null` is not filled in. A scenario level is 0 (无等级) to 4;
/// `null` or absent means not yet answered.
///
/// Parse with [`Answers::parse`]; [`ParsedAnswers::to_answers`] gives the
/// canonical form back (derived options and rates filled in).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionAnswer>,
    #[serde(default)]
    pub scenarios: BTreeMap<String, Option<i64>>,
}

/// The raw answer to one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionAnswer {
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fill_ins: BTreeMap<String, Option<f64>>,
}

/// Why answers were refused. Each message names the question ("第2题") or
/// the scenario, so it can be shown beside the field or in a summary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    #[error("{}", describe_question_id(.id))]
    UnknownQuestion { id: String },
    #[error("应用场景“{id}”不存在")]
    UnknownScenario { id: String },
    #[error("第{question}题：选项“{key}”不存在")]
    UnknownOption { question: u32, key: String },
    #[error("第{question}题为单选题，只能选择一个选项")]
    SingleChoice { question: u32 },
    /// "无" ticked together with another option on a multi-choice question.
    #[error("第{question}题：选择“{label}”时不能同时选择其他选项")]
    ExclusiveOption { question: u32, label: String },
    #[error("第{question}题没有填空项“{key}”")]
    UnknownFillIn { question: u32, key: String },
    #[error("第{question}题：{name}须为有效数字")]
    FillInInvalid { question: u32, name: String },
    #[error("第{question}题：{name}不能为负数")]
    FillInNegative { question: u32, name: String },
    #[error("第{question}题：{name}须为整数")]
    FillInNotInteger { question: u32, name: String },
    #[error("第{question}题：{name}不能大于{max}")]
    FillInTooLarge {
        question: u32,
        name: String,
        max: String,
    },
    /// "第2题：数字化设备数量不能大于设备总数".
    #[error("第{question}题：{part}不能大于{total}")]
    PartExceedsTotal {
        question: u32,
        part: String,
        total: String,
    },
    /// A typed rate that disagrees with the counts by more than 0.5 points.
    #[error("第{question}题：填写的{rate_name}{given}%与按数量计算的{computed}%不一致")]
    RateConflict {
        question: u32,
        rate_name: String,
        given: String,
        computed: String,
    },
    /// A chosen option that disagrees with the one the fill-ins determine.
    #[error(
        "第{question}题：按填写的数据应为选项{derived}（{derived_label}），与所选选项{chosen}不一致"
    )]
    DerivedConflict {
        question: u32,
        chosen: String,
        derived: String,
        derived_label: String,
    },
    #[error("应用场景{scenario}（{name}）：等级须为0（无等级）至4（四级），不能为{level}")]
    ScenarioLevel {
        scenario: u32,
        name: String,
        level: i64,
    },
}

fn describe_question_id(id: &str) -> String {
    match id.parse::<u32>() {
        Ok(n) if n.to_string() == id => format!("第{n}题不存在"),
        _ => format!("题目“{id}”不存在"),
    }
}

impl AnswerError {
    pub fn code(&self) -> &'static str {
        match self {
            AnswerError::UnknownQuestion { .. } => "answer_unknown_question",
            AnswerError::UnknownScenario { .. } => "answer_unknown_scenario",
            AnswerError::UnknownOption { .. } => "answer_unknown_option",
            AnswerError::SingleChoice { .. } => "answer_single_choice",
            AnswerError::ExclusiveOption { .. } => "answer_exclusive_option",
            AnswerError::UnknownFillIn { .. } => "answer_unknown_fill_in",
            AnswerError::FillInInvalid { .. } => "answer_fill_in_invalid",
            AnswerError::FillInNegative { .. } => "answer_fill_in_negative",
            AnswerError::FillInNotInteger { .. } => "answer_fill_in_not_integer",
            AnswerError::FillInTooLarge { .. } => "answer_fill_in_too_large",
            AnswerError::PartExceedsTotal { .. } => "answer_part_exceeds_total",
            AnswerError::RateConflict { .. } => "answer_rate_conflict",
            AnswerError::DerivedConflict { .. } => "answer_derived_conflict",
            AnswerError::ScenarioLevel { .. } => "answer_scenario_level",
        }
    }

    /// The question number the error is about, if any.
    pub fn question(&self) -> Option<u32> {
        match self {
            AnswerError::UnknownOption { question, .. }
            | AnswerError::SingleChoice { question }
            | AnswerError::ExclusiveOption { question, .. }
            | AnswerError::UnknownFillIn { question, .. }
            | AnswerError::FillInInvalid { question, .. }
            | AnswerError::FillInNegative { question, .. }
            | AnswerError::FillInNotInteger { question, .. }
            | AnswerError::FillInTooLarge { question, .. }
            | AnswerError::PartExceedsTotal { question, .. }
            | AnswerError::RateConflict { question, .. }
            | AnswerError::DerivedConflict { question, .. } => Some(*question),
            _ => None,
        }
    }

    /// The scenario number the error is about, if any.
    pub fn scenario(&self) -> Option<u32> {
        match self {
            AnswerError::ScenarioLevel { scenario, .. } => Some(*scenario),
            _ => None,
        }
    }

    /// Unknown ids first, then by question, then by scenario.
    fn sort_key(&self) -> (u8, u32) {
        match (self.question(), self.scenario()) {
            (Some(q), _) => (1, q),
            (None, Some(s)) => (2, s),
            (None, None) => (0, 0),
        }
    }
}

/// An unanswered question or scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MissingItem {
    Question { no: u32 },
    Scenario { no: u32, name: String },
}

/// "第3题" / "场景2（工艺设计）".
impl fmt::Display for MissingItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MissingItem::Question { no } => write!(f, "第{no}题"),
            MissingItem::Scenario { no, name } => write!(f, "场景{no}（{name}）"),
        }
    }
}

/// How a question's option was determined when it was not simply chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Derivation {
    /// From the two counts (数字化设备数量 / 设备总数).
    Counts,
    /// From the typed rate, the counts not being both filled in.
    Rate,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct ParsedQuestion {
    /// Canonical option keys, in option order.
    selected: Vec<String>,
    fill_ins: BTreeMap<String, f64>,
    derivation: Option<Derivation>,
}

/// Answers checked against an edition: every option exists, choice rules
/// hold, fill-ins are in range and consistent, derived options are filled
/// in. May still be incomplete (a draft): see [`ParsedAnswers::missing`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAnswers {
    edition_name: String,
    edition_version: String,
    questions: BTreeMap<u32, ParsedQuestion>,
    scenarios: BTreeMap<u32, u8>,
    missing: Vec<MissingItem>,
}

/// A typed rate may differ from the counts' exact rate by this much
/// (percentage points), so a page that rounds the rate it shows to a whole
/// percent is not refused.
const RATE_TOLERANCE_PCT: f64 = 0.5;

impl Answers {
    /// Parses raw answers against an edition, returning the first problem
    /// (unknown ids first, then in question order, then scenarios). Partial
    /// answers are accepted; see [`ParsedAnswers::missing`].
    ///
    /// Where the fill-ins determine the answer (Q2 数字化率, Q3 联网率), the
    /// option is derived: from the two counts if both are filled in (the
    /// typed rate is then replaced by the computed one, and refused if it is
    /// more than 0.5 points off), else from the typed rate. A chosen option
    /// that disagrees with the derived one is refused, not overridden: the
    /// page shows the derived option, so a disagreement means the page and
    /// the server disagree and the user must see what will be scored.
    pub fn parse(edition: &Edition, raw: &Answers) -> Result<ParsedAnswers, AnswerError> {
        let (parsed, mut errors) = parse_collect(edition, raw);
        if errors.is_empty() {
            Ok(parsed)
        } else {
            Err(errors.swap_remove(0))
        }
    }

    /// Every problem, in the same order, for a summary on submit; empty if
    /// [`Answers::parse`] succeeds.
    pub fn check_all(edition: &Edition, raw: &Answers) -> Vec<AnswerError> {
        parse_collect(edition, raw).1
    }

    /// Builder: ticks `options` on question `no` (replacing earlier ones).
    pub fn with_options(mut self, no: u32, options: &[&str]) -> Answers {
        self.questions.entry(no.to_string()).or_default().options =
            options.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    /// Builder: fills in `key` of question `no`.
    pub fn with_fill_in(mut self, no: u32, key: &str, value: f64) -> Answers {
        self.questions
            .entry(no.to_string())
            .or_default()
            .fill_ins
            .insert(key.to_owned(), Some(value));
        self
    }

    /// Builder: sets scenario `no` to `level` (0 = 无等级).
    pub fn with_scenario(mut self, no: u32, level: i64) -> Answers {
        self.scenarios.insert(no.to_string(), Some(level));
        self
    }
}

fn normalize_key(key: &str) -> String {
    fold_width(key).to_uppercase()
}

fn check_fill_in(q: &Question, f: &FillIn, v: f64) -> Result<f64, AnswerError> {
    let question = q.no;
    let name = || f.name.clone();
    if !v.is_finite() {
        return Err(AnswerError::FillInInvalid {
            question,
            name: name(),
        });
    }
    if v < 0.0 {
        return Err(AnswerError::FillInNegative {
            question,
            name: name(),
        });
    }
    let max = f.kind.max();
    if v > max {
        return Err(AnswerError::FillInTooLarge {
            question,
            name: name(),
            max: format!("{max}"),
        });
    }
    if f.kind.integer() && v.fract() != 0.0 {
        return Err(AnswerError::FillInNotInteger {
            question,
            name: name(),
        });
    }
    // -0.0 becomes 0.0.
    Ok(v + 0.0)
}

/// A percentage rounded half up to two decimals.
fn round_pct(p: Percent) -> f64 {
    let hundredths = (p.num * 200 + p.den) / (2 * p.den);
    hundredths as f64 / 100.0
}

fn parse_collect(edition: &Edition, raw: &Answers) -> (ParsedAnswers, Vec<AnswerError>) {
    let mut errors = Vec::new();

    let mut by_no: BTreeMap<u32, &QuestionAnswer> = BTreeMap::new();
    for (id, answer) in &raw.questions {
        match edition.questions().iter().find(|q| q.no.to_string() == *id) {
            Some(q) => {
                by_no.insert(q.no, answer);
            }
            None => errors.push(AnswerError::UnknownQuestion { id: id.clone() }),
        }
    }

    let mut questions: BTreeMap<u32, ParsedQuestion> = BTreeMap::new();
    for q in edition.questions() {
        let Some(answer) = by_no.get(&q.no) else {
            continue;
        };
        let mut ticked = BTreeSet::new();
        for key in &answer.options {
            let k = normalize_key(key);
            match q.options.iter().position(|o| o.key.to_uppercase() == k) {
                Some(i) => {
                    ticked.insert(i);
                }
                None => errors.push(AnswerError::UnknownOption {
                    question: q.no,
                    key: key.clone(),
                }),
            }
        }
        match q.kind {
            QuestionType::Single if ticked.len() > 1 => {
                errors.push(AnswerError::SingleChoice { question: q.no });
            }
            QuestionType::Multi if ticked.len() > 1 => {
                if let Some(i) = ticked.iter().find(|&&i| q.is_exclusive(&q.options[i].key)) {
                    errors.push(AnswerError::ExclusiveOption {
                        question: q.no,
                        label: q.options[*i].label.clone(),
                    });
                }
            }
            _ => {}
        }
        let mut parsed = ParsedQuestion {
            selected: ticked.iter().map(|&i| q.options[i].key.clone()).collect(),
            ..ParsedQuestion::default()
        };
        for (key, value) in &answer.fill_ins {
            let Some(f) = q.fill_in(key) else {
                errors.push(AnswerError::UnknownFillIn {
                    question: q.no,
                    key: key.clone(),
                });
                continue;
            };
            let Some(v) = value else { continue };
            match check_fill_in(q, f, *v) {
                Ok(v) => {
                    parsed.fill_ins.insert(f.key.clone(), v);
                }
                Err(e) => errors.push(e),
            }
        }
        questions.insert(q.no, parsed);
    }

    for rule in edition.rate_rules() {
        let value = |(no, key): (u32, &str)| {
            questions
                .get(&no)
                .and_then(|p| p.fill_ins.get(key))
                .copied()
        };
        let part = value(rule.part);
        let total = value(rule.total);
        let given = value((rule.question, rule.rate_key));
        let derived = match (part, total) {
            (Some(part), Some(total)) => {
                if part > total {
                    errors.push(AnswerError::PartExceedsTotal {
                        question: rule.question,
                        part: rule.part_name.to_owned(),
                        total: rule.total_name.to_owned(),
                    });
                    continue;
                }
                // Counts are whole numbers ≤ 10,000,000 (checked above).
                let (part, total) = (part as u128, total as u128);
                // No equipment at all: nothing is digitized, the rate is 0.
                let pct = if total == 0 {
                    Percent { num: 0, den: 1 }
                } else {
                    Percent {
                        num: 100 * part,
                        den: total,
                    }
                };
                let exact = pct.num as f64 / pct.den as f64;
                if let Some(g) = given
                    && (g - exact).abs() > RATE_TOLERANCE_PCT
                {
                    errors.push(AnswerError::RateConflict {
                        question: rule.question,
                        rate_name: rule.rate_name.to_owned(),
                        given: format!("{g}"),
                        computed: format!("{:.2}", round_pct(pct)),
                    });
                    continue;
                }
                questions
                    .entry(rule.question)
                    .or_default()
                    .fill_ins
                    .insert(rule.rate_key.to_owned(), round_pct(pct));
                Some((pct, Derivation::Counts))
            }
            _ => given.map(|g| {
                // A checked percentage in [0, 100]; six decimals is plenty.
                let pct = Percent {
                    num: (g * 1e6).round() as u128,
                    den: 1_000_000,
                };
                (pct, Derivation::Rate)
            }),
        };
        let Some((pct, how)) = derived else { continue };
        let q = edition
            .question(rule.question)
            .expect("rule question exists");
        let Some(index) = rule.option_for(pct) else {
            continue;
        };
        let option = &q.options[index];
        let parsed = questions.entry(rule.question).or_default();
        match parsed.selected.as_slice() {
            [] => {}
            [only] if *only == option.key => {}
            chosen => {
                errors.push(AnswerError::DerivedConflict {
                    question: rule.question,
                    chosen: chosen.join("、"),
                    derived: option.key.clone(),
                    derived_label: option.label.clone(),
                });
                continue;
            }
        }
        parsed.selected = vec![option.key.clone()];
        parsed.derivation = Some(how);
    }
    questions.retain(|_, p| !p.selected.is_empty() || !p.fill_ins.is_empty());

    let mut scenarios = BTreeMap::new();
    for (id, level) in &raw.scenarios {
        let Some(s) = edition.scenarios().iter().find(|s| s.no.to_string() == *id) else {
            errors.push(AnswerError::UnknownScenario { id: id.clone() });
            continue;
        };
        let Some(level) = level else { continue };
        match u8::try_from(*level) {
            Ok(l) if l <= MAX_SCENARIO_LEVEL => {
                scenarios.insert(s.no, l);
            }
            _ => errors.push(AnswerError::ScenarioLevel {
                scenario: s.no,
                name: s.name.clone(),
                level: *level,
            }),
        }
    }

    let mut missing: Vec<MissingItem> = edition
        .questions()
        .iter()
        .filter(|q| questions.get(&q.no).is_none_or(|p| p.selected.is_empty()))
        .map(|q| MissingItem::Question { no: q.no })
        .collect();
    missing.extend(
        edition
            .scenarios()
            .iter()
            .filter(|s| !scenarios.contains_key(&s.no))
            .map(|s| MissingItem::Scenario {
                no: s.no,
                name: s.name.clone(),
            }),
    );

    errors.sort_by_key(AnswerError::sort_key);
    let parsed = ParsedAnswers {
        edition_name: edition.name().to_owned(),
        edition_version: edition.version().to_owned(),
        questions,
        scenarios,
        missing,
    };
    (parsed, errors)
}

impl ParsedAnswers {
    /// The edition these answers were parsed against.
    pub fn edition_name(&self) -> &str {
        &self.edition_name
    }

    pub fn edition_version(&self) -> &str {
        &self.edition_version
    }

    /// Unanswered questions (in question order), then unanswered scenarios.
    /// Fill-ins are never required (the data marks none as required).
    pub fn missing(&self) -> &[MissingItem] {
        &self.missing
    }

    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// The ticked option keys of question `no`, in option order; empty if
    /// unanswered.
    pub fn selected(&self, no: u32) -> &[String] {
        self.questions
            .get(&no)
            .map(|p| p.selected.as_slice())
            .unwrap_or(&[])
    }

    /// A filled-in value (fill-in keys are unique across an edition); for a
    /// derived rate, the computed value rounded to two decimals.
    pub fn fill_in(&self, key: &str) -> Option<f64> {
        self.questions
            .values()
            .find_map(|p| p.fill_ins.get(key))
            .copied()
    }

    /// How question `no`'s option was derived from its fill-ins, if it was.
    pub fn derivation(&self, no: u32) -> Option<Derivation> {
        self.questions.get(&no).and_then(|p| p.derivation)
    }

    /// The level of scenario `no` (0 = 无等级), if answered.
    pub fn scenario_level(&self, no: u32) -> Option<u8> {
        self.scenarios.get(&no).copied()
    }

    /// How many scenarios are answered (the page's "已选: n").
    pub fn scenarios_answered(&self) -> usize {
        self.scenarios.len()
    }

    /// The canonical raw form: derived options ticked, derived rates filled
    /// in, option keys canonical, empty entries dropped. Parsing it again
    /// gives the same `ParsedAnswers`; store this.
    pub fn to_answers(&self) -> Answers {
        Answers {
            questions: self
                .questions
                .iter()
                .map(|(no, p)| {
                    (
                        no.to_string(),
                        QuestionAnswer {
                            options: p.selected.clone(),
                            fill_ins: p
                                .fill_ins
                                .iter()
                                .map(|(k, v)| (k.clone(), Some(*v)))
                                .collect(),
                        },
                    )
                })
                .collect(),
            scenarios: self
                .scenarios
                .iter()
                .map(|(no, l)| (no.to_string(), Some(i64::from(*l))))
                .collect(),
        }
    }
}
