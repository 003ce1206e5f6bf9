//! Digital-level assessment (中小企业数字化水平评测, 评估评测) scoring.
//!
//! Three steps, each a type that can only be obtained by parsing:
//!
//! 1. [`Edition::from_json`]: the questionnaire edition (questions, option
//!    scores, 16 scenarios with their level texts, level rules) from JSON of
//!    the shape of `data/sme_digital_level_2024.json`, checked for
//!    arithmetic consistency. The server stores that JSON per edition
//!    version and parses it with this.
//! 2. [`Answers::parse`]: the raw [`Answers`] (what the page saves, maybe a
//!    draft) checked against the edition into [`ParsedAnswers`], deriving the
//!    rate-band options of Q2/Q3 from their counts.
//!    [`ParsedAnswers::missing`] lists what is still unanswered.
//! 3. [`score`]: complete answers to an [`AssessmentResult`]: exact
//!    question, dimension and total scores ([`Points`]), scenario counts,
//!    the final level and the manual's result sentence.
//!
//! ```
//! use shuzhuan_core::assessment::{Answers, Edition, Q4Weighting, score};
//!
//! # let json = include_str!("../../tests/fixtures/sme_digital_level_2024.json");
//! let edition = Edition::from_json(json).unwrap();
//! let mut raw = Answers::default()
//!     .with_options(1, &["B", "C"])
//!     .with_fill_in(2, "q2_equipment_total", 200.0)
//!     .with_fill_in(2, "q2_equipment_digitized", 60.0) // 30 % → C, derived
//!     .with_fill_in(3, "q3_equipment_networked", 30.0); // 15 % → B, derived
//! let draft = Answers::parse(&edition, &raw).unwrap();
//! assert_eq!(draft.selected(2), ["C"]);
//! assert_eq!(draft.missing().len(), 12 + 16);
//!
//! for (no, option) in [(4, "A"), (5, "C"), (6, "B"), (7, "B"), (8, "D"), (9, "B"),
//!                      (10, "B"), (11, "A"), (12, "B"), (13, "B"), (14, "B"), (15, "B")] {
//!     raw = raw.with_options(no, &[option]);
//! }
//! for s in 1..=16 {
//!     raw = raw.with_scenario(s, 2);
//! }
//! let answers = Answers::parse(&edition, &raw).unwrap();
//! let result = score(&edition, &answers, Q4Weighting::default()).unwrap();
//! assert_eq!(result.total_display, "33.88");
//! assert_eq!(result.level_display, "一级（初始级）");
//! ```

mod answers;
mod edition;
mod points;
mod score;

pub use answers::{AnswerError, Answers, Derivation, MissingItem, ParsedAnswers, QuestionAnswer};
pub use edition::{
    AnswerOption, Dimension, Edition, EditionError, FillIn, FillInKind, LevelRule,
    MAX_SCENARIO_LEVEL, Question, QuestionType, Scenario, scenario_level_name,
};
pub use points::Points;
pub use score::{
    AssessmentResult, AwardedLevel, DimensionScore, GroupSummary, Q4Weighting, QuestionScore,
    ScenarioCounts, ScenarioResult, ScoreError, score,
};

impl crate::ErrorCode for EditionError {
    fn code(&self) -> &'static str {
        EditionError::code(self)
    }
}

impl crate::ErrorCode for AnswerError {
    fn code(&self) -> &'static str {
        AnswerError::code(self)
    }
}

impl crate::ErrorCode for ScoreError {
    fn code(&self) -> &'static str {
        ScoreError::code(self)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
