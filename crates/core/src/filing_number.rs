//! 项目备案号: the number a project receives when its filing completes (seed 002 shows 2409132010002).
//!
//! The manual shows a number but not its rule, so the rule is a setting (`[lifecycle] filing_number`,
//! docs/lifecycle.md) written as a pattern of literal digits, letters and `-`, and these tokens:
//!
//! | token | meaning |
//! |---|---|
//! | `{yyyy}` `{yy}` `{MM}` `{dd}` | the date the filing completed (China time) |
//! | `{town}` | the town's (镇街) 9-digit region code |
//! | `{town3}` | the last three digits of it (the town within its city or district) |
//! | `{seq:N}` | the sequence, zero-padded to N digits (1–8), counted per everything else in the number |
//!
//! The default `{yy}{MM}{dd}{town3}{seq:4}` reads 240913 · 201 · 0002: the second filing completed on
//! 2024-09-13 in the town whose code ends in 201. The sequence is counted per [`FilingNumberRule::counter_key`]
//! (the number with the sequence left out), so two towns or two days never share a counter, and a number is
//! never issued twice while the counter lives in the database.
//!
//! ```
//! use shuzhuan_core::{FilingNumberRule, RegionCode};
//!
//! let rule = FilingNumberRule::parse("{yy}{MM}{dd}{town3}{seq:4}").unwrap();
//! let town = RegionCode::parse("442000201").unwrap();
//! assert_eq!(rule.render((2024, 9, 13), &town, 2).unwrap(), "2409132010002");
//! assert_eq!(rule.counter_key((2024, 9, 13), &town), "240913201#");
//! ```

use std::fmt;

use crate::region::RegionCode;

/// The default rule: date, town, four-digit sequence.
pub const DEFAULT_FILING_NUMBER: &str = "{yy}{MM}{dd}{town3}{seq:4}";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year4,
    Year2,
    Month,
    Day,
    Town,
    Town3,
    Seq(u8),
}

/// A parsed numbering rule: exactly one `{seq:N}`, only the tokens above, at most 40 characters rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingNumberRule {
    parts: Vec<Part>,
    seq_width: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilingNumberError {
    #[error("备案号规则中有无法识别的占位符「{0}」（可用：{{yyyy}} {{yy}} {{MM}} {{dd}} {{town}} {{town3}} {{seq:N}}）")]
    UnknownToken(String),
    #[error("备案号规则中只能使用数字、字母、“-”和占位符，不能使用「{0}」")]
    BadLiteral(char),
    #[error("备案号规则须包含且只包含一个顺序号 {{seq:N}}（N 为 1 到 8）")]
    Sequence,
    #[error("备案号规则有未闭合的“{{”")]
    Unclosed,
    #[error("顺序号已用尽：本规则每个编号段最多 {0} 个备案号，请调整备案号规则")]
    Exhausted(u64),
}

impl crate::ErrorCode for FilingNumberError {
    fn code(&self) -> &'static str {
        match self {
            FilingNumberError::UnknownToken(_) => "filing_number_unknown_token",
            FilingNumberError::BadLiteral(_) => "filing_number_bad_literal",
            FilingNumberError::Sequence => "filing_number_sequence",
            FilingNumberError::Unclosed => "filing_number_unclosed",
            FilingNumberError::Exhausted(_) => "filing_number_exhausted",
        }
    }
}

impl FilingNumberRule {
    pub fn parse(pattern: &str) -> Result<Self, FilingNumberError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = pattern.trim().chars();
        let mut seq_width = None;
        while let Some(c) = chars.next() {
            if c == '{' {
                let token: String = chars.by_ref().take_while(|&c| c != '}').collect();
                if !pattern.contains(&format!("{{{token}}}")) {
                    return Err(FilingNumberError::Unclosed);
                }
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                let part = match token.as_str() {
                    "yyyy" => Part::Year4,
                    "yy" => Part::Year2,
                    "MM" => Part::Month,
                    "dd" => Part::Day,
                    "town" => Part::Town,
                    "town3" => Part::Town3,
                    t if t.starts_with("seq:") => {
                        let n: u8 = t[4..].parse().map_err(|_| FilingNumberError::Sequence)?;
                        if !(1..=8).contains(&n) || seq_width.is_some() {
                            return Err(FilingNumberError::Sequence);
                        }
                        seq_width = Some(n);
                        Part::Seq(n)
                    }
                    other => return Err(FilingNumberError::UnknownToken(other.to_owned())),
                };
                parts.push(part);
            } else if c.is_ascii_alphanumeric() || c == '-' {
                literal.push(c);
            } else {
                return Err(FilingNumberError::BadLiteral(c));
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        let seq_width = seq_width.ok_or(FilingNumberError::Sequence)?;
        Ok(Self { parts, seq_width })
    }

    fn write(&self, (y, m, d): (i32, u32, u32), town: &RegionCode, seq: Option<u64>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Literal(s) => out.push_str(s),
                Part::Year4 => out.push_str(&format!("{y:04}")),
                Part::Year2 => out.push_str(&format!("{:02}", y.rem_euclid(100))),
                Part::Month => out.push_str(&format!("{m:02}")),
                Part::Day => out.push_str(&format!("{d:02}")),
                Part::Town => out.push_str(town.as_str()),
                Part::Town3 => {
                    let s = town.as_str();
                    out.push_str(&s[s.len().saturating_sub(3)..]);
                }
                Part::Seq(w) => match seq {
                    Some(n) => out.push_str(&format!("{n:0width$}", width = usize::from(*w))),
                    None => out.push('#'),
                },
            }
        }
        out
    }

    /// What the sequence is counted per: the number with `#` where the sequence goes.
    pub fn counter_key(&self, date: (i32, u32, u32), town: &RegionCode) -> String {
        self.write(date, town, None)
    }

    /// The `seq`-th number (from 1) of the counter `counter_key(date, town)`.
    pub fn render(&self, date: (i32, u32, u32), town: &RegionCode, seq: u64) -> Result<String, FilingNumberError> {
        let max = 10u64.pow(u32::from(self.seq_width)) - 1;
        if seq == 0 || seq > max {
            return Err(FilingNumberError::Exhausted(max));
        }
        Ok(self.write(date, town, Some(seq)))
    }
}

impl Default for FilingNumberRule {
    fn default() -> Self {
        Self::parse(DEFAULT_FILING_NUMBER).expect("the default rule parses")
    }
}

impl fmt::Display for FilingNumberRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            match p {
                Part::Literal(s) => f.write_str(s)?,
                Part::Year4 => f.write_str("{yyyy}")?,
                Part::Year2 => f.write_str("{yy}")?,
                Part::Month => f.write_str("{MM}")?,
                Part::Day => f.write_str("{dd}")?,
                Part::Town => f.write_str("{town}")?,
                Part::Town3 => f.write_str("{town3}")?,
                Part::Seq(w) => write!(f, "{{seq:{w}}}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn town() -> RegionCode {
        RegionCode::parse("442000201").unwrap()
    }

    #[test]
    fn the_seed_example_reads_back() {
        let rule = FilingNumberRule::default();
        assert_eq!(rule.render((2024, 9, 13), &town(), 2).unwrap(), "2409132010002");
        assert_eq!(rule.to_string(), DEFAULT_FILING_NUMBER);
    }

    #[test]
    fn other_rules_and_their_counters() {
        let rule = FilingNumberRule::parse("ZS-{yyyy}-{town}-{seq:6}").unwrap();
        assert_eq!(rule.render((2025, 1, 2), &town(), 17).unwrap(), "ZS-2025-442000201-000017");
        assert_eq!(rule.counter_key((2025, 1, 2), &town()), "ZS-2025-442000201-#");
        // The counter does not depend on the day when the rule does not show it.
        assert_eq!(rule.counter_key((2025, 12, 31), &town()), "ZS-2025-442000201-#");
    }

    #[test]
    fn refused_rules_say_why() {
        use crate::ErrorCode;
        for (pattern, code) in [
            ("{yy}{MM}", "filing_number_sequence"),
            ("{seq:4}{seq:2}", "filing_number_sequence"),
            ("{seq:9}", "filing_number_sequence"),
            ("{seq:x}", "filing_number_sequence"),
            ("{week}{seq:3}", "filing_number_unknown_token"),
            ("备案{seq:3}", "filing_number_bad_literal"),
            ("{yy{seq:3}", "filing_number_unknown_token"),
            ("{seq:3", "filing_number_unclosed"),
        ] {
            let err = FilingNumberRule::parse(pattern).unwrap_err();
            assert_eq!(err.code(), code, "{pattern}: {err}");
        }
    }

    #[test]
    fn the_sequence_has_an_end() {
        let rule = FilingNumberRule::parse("{seq:2}").unwrap();
        assert_eq!(rule.render((2024, 1, 1), &town(), 99).unwrap(), "99");
        assert_eq!(rule.render((2024, 1, 1), &town(), 100).unwrap_err(), FilingNumberError::Exhausted(99));
        assert!(rule.render((2024, 1, 1), &town(), 0).is_err());
    }
}
