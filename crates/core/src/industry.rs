//! National economic industry classification codes (GB/T 4754-2017).
//!
//! As with regions, structure rather than existence is checked: `1399` parses
//! although there is no such class. The section of any numeric code *is*
//! derived here, because the standard assigns each section a contiguous range
//! of divisions (A = 01–05 … T = 97), a 20-row table that only changes with a
//! new edition of the standard.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::fold_width;

/// Sections with their last division and Chinese name, in order; a section's
/// first division is one past the previous section's last.
const SECTIONS: [(u8, u8, &str); 20] = [
    (b'A', 5, "农、林、牧、渔业"),
    (b'B', 12, "采矿业"),
    (b'C', 43, "制造业"),
    (b'D', 46, "电力、热力、燃气及水生产和供应业"),
    (b'E', 50, "建筑业"),
    (b'F', 52, "批发和零售业"),
    (b'G', 60, "交通运输、仓储和邮政业"),
    (b'H', 62, "住宿和餐饮业"),
    (b'I', 65, "信息传输、软件和信息技术服务业"),
    (b'J', 69, "金融业"),
    (b'K', 70, "房地产业"),
    (b'L', 72, "租赁和商务服务业"),
    (b'M', 75, "科学研究和技术服务业"),
    (b'N', 79, "水利、环境和公共设施管理业"),
    (b'O', 82, "居民服务、修理和其他服务业"),
    (b'P', 83, "教育"),
    (b'Q', 85, "卫生和社会工作"),
    (b'R', 90, "文化、体育和娱乐业"),
    (b'S', 96, "公共管理、社会保障和社会组织"),
    (b'T', 97, "国际组织"),
];

const MAX_DIVISION: u8 = 97;

fn section_of_division(division: u8) -> u8 {
    SECTIONS
        .iter()
        .find(|(_, last, _)| division <= *last)
        .map(|(letter, _, _)| *letter)
        .expect("division was checked to be within 01-97")
}

/// Hierarchy level of an industry code, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndustryLevel {
    /// 门类: a letter A–T.
    Section,
    /// 大类: two digits 01–97.
    Division,
    /// 中类: three digits.
    Group,
    /// 小类: four digits.
    Class,
}

impl IndustryLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            IndustryLevel::Section => "section",
            IndustryLevel::Division => "division",
            IndustryLevel::Group => "group",
            IndustryLevel::Class => "class",
        }
    }

    /// Chinese name of the level as used in the standard.
    pub fn label(self) -> &'static str {
        match self {
            IndustryLevel::Section => "门类",
            IndustryLevel::Division => "大类",
            IndustryLevel::Group => "中类",
            IndustryLevel::Class => "小类",
        }
    }
}

/// Why a string is not an industry code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndustryCodeError {
    #[error("请输入国民经济行业代码")]
    Empty,
    #[error("国民经济行业代码格式不正确，应为门类字母（A-T）或2-4位数字，如“C”“13”“131”“1311”")]
    Format,
    #[error("行业门类代码须为A-T之间的字母，“{0}”无效")]
    Section(char),
    #[error("行业大类代码须在01-97之间，“{0}”无效")]
    Division(String),
    /// Input like `A1311`, where the letter prefix names a different section
    /// than the one the digits belong to.
    #[error("行业代码“{code}”属于门类{actual}，与填写的门类{given}不一致")]
    SectionMismatch {
        code: String,
        given: char,
        actual: char,
    },
}

impl IndustryCodeError {
    pub fn code(&self) -> &'static str {
        match self {
            IndustryCodeError::Empty => "industry_empty",
            IndustryCodeError::Format => "industry_format",
            IndustryCodeError::Section(_) => "industry_invalid_section",
            IndustryCodeError::Division(_) => "industry_invalid_division",
            IndustryCodeError::SectionMismatch { .. } => "industry_section_mismatch",
        }
    }
}

/// A structurally valid GB/T 4754-2017 code: a section letter (`C`), a
/// division (`13`), a group (`131`) or a class (`1311`).
///
/// The canonical form has no section prefix on numeric codes; the common
/// registry notation `C1311` is accepted on input (and checked for
/// consistency) but stored and serialized as `1311`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndustryCode {
    bytes: [u8; 4],
    len: u8,
}

impl IndustryCode {
    /// Parses a section letter (either case) or a 2–4 digit code, optionally
    /// prefixed with its section letter.
    pub fn parse(input: &str) -> Result<Self, IndustryCodeError> {
        let s = fold_width(input).to_ascii_uppercase();
        let mut chars = s.chars();
        let first = chars.next().ok_or(IndustryCodeError::Empty)?;
        let (given_section, digits) = if first.is_ascii_alphabetic() {
            if !('A'..='T').contains(&first) {
                return Err(IndustryCodeError::Section(first));
            }
            (Some(first), chars.as_str())
        } else {
            (None, s.as_str())
        };

        if digits.is_empty() {
            return match given_section {
                Some(letter) => Ok(IndustryCode::from_ascii(&[letter as u8])),
                None => Err(IndustryCodeError::Empty),
            };
        }
        if !(2..=4).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IndustryCodeError::Format);
        }
        let division: u8 = digits[..2].parse().expect("two ASCII digits");
        if !(1..=MAX_DIVISION).contains(&division) {
            return Err(IndustryCodeError::Division(digits[..2].to_owned()));
        }
        if let Some(given) = given_section {
            let actual = section_of_division(division) as char;
            if given != actual {
                return Err(IndustryCodeError::SectionMismatch {
                    code: digits.to_owned(),
                    given,
                    actual,
                });
            }
        }
        Ok(IndustryCode::from_ascii(digits.as_bytes()))
    }

    fn from_ascii(s: &[u8]) -> Self {
        let mut bytes = [0u8; 4];
        bytes[..s.len()].copy_from_slice(s);
        IndustryCode {
            bytes,
            len: s.len() as u8,
        }
    }

    /// Canonical form: `"C"`, `"13"`, `"131"` or `"1311"`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).expect("IndustryCode is ASCII")
    }

    pub fn level(&self) -> IndustryLevel {
        match self.len {
            1 => IndustryLevel::Section,
            2 => IndustryLevel::Division,
            3 => IndustryLevel::Group,
            _ => IndustryLevel::Class,
        }
    }

    /// The division (大类) a group or class belongs to; `None` for sections
    /// and divisions.
    pub fn parent_division(&self) -> Option<IndustryCode> {
        match self.level() {
            IndustryLevel::Group | IndustryLevel::Class => {
                Some(IndustryCode::from_ascii(&self.bytes[..2]))
            }
            IndustryLevel::Section | IndustryLevel::Division => None,
        }
    }

    /// The next level up: class → group → division → section → `None`.
    pub fn parent(&self) -> Option<IndustryCode> {
        match self.level() {
            IndustryLevel::Section => None,
            IndustryLevel::Division => Some(self.section()),
            IndustryLevel::Group | IndustryLevel::Class => Some(IndustryCode::from_ascii(
                &self.bytes[..self.len as usize - 1],
            )),
        }
    }

    /// The section (门类) letter code; a section returns itself.
    pub fn section(&self) -> IndustryCode {
        match self.level() {
            IndustryLevel::Section => *self,
            _ => {
                let division = (self.bytes[0] - b'0') * 10 + (self.bytes[1] - b'0');
                IndustryCode::from_ascii(&[section_of_division(division)])
            }
        }
    }

    /// Chinese name of this code's section, e.g. `"制造业"` for `1311`.
    /// Names below section level need the full table and are not here.
    pub fn section_name(&self) -> &'static str {
        let letter = self.section().bytes[0];
        SECTIONS
            .iter()
            .find(|(l, _, _)| *l == letter)
            .map(|(_, _, name)| *name)
            .expect("section letters are A-T")
    }

    /// Whether `self` is `other` or falls under it, e.g. for "all
    /// manufacturing (`C`) enterprises" filters. Reflexive.
    pub fn is_within(&self, other: &IndustryCode) -> bool {
        match other.level() {
            IndustryLevel::Section => self.section() == *other,
            _ => self.as_str().starts_with(other.as_str()),
        }
    }
}

impl fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IndustryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IndustryCode({})", self.as_str())
    }
}

impl FromStr for IndustryCode {
    type Err = IndustryCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IndustryCode::parse(s)
    }
}

impl TryFrom<String> for IndustryCode {
    type Error = IndustryCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IndustryCode::parse(&s)
    }
}

impl TryFrom<&str> for IndustryCode {
    type Error = IndustryCodeError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        IndustryCode::parse(s)
    }
}

impl From<IndustryCode> for String {
    fn from(code: IndustryCode) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ic(s: &str) -> IndustryCode {
        IndustryCode::parse(s).unwrap()
    }

    #[test]
    fn levels() {
        assert_eq!(ic("C").level(), IndustryLevel::Section);
        assert_eq!(ic("13").level(), IndustryLevel::Division);
        assert_eq!(ic("131").level(), IndustryLevel::Group);
        assert_eq!(ic("1311").level(), IndustryLevel::Class);
        assert_eq!(ic("9700").level(), IndustryLevel::Class);
    }

    #[test]
    fn parents() {
        assert_eq!(ic("1311").parent_division(), Some(ic("13")));
        assert_eq!(ic("131").parent_division(), Some(ic("13")));
        assert_eq!(ic("13").parent_division(), None);
        assert_eq!(ic("C").parent_division(), None);
        assert_eq!(ic("6513").parent(), Some(ic("651")));
        assert_eq!(ic("651").parent(), Some(ic("65")));
        assert_eq!(ic("65").parent(), Some(ic("I")));
        assert_eq!(ic("I").parent(), None);
    }

    #[test]
    fn sections_follow_the_standard_ranges() {
        let cases = [
            ("01", 'A'),
            ("05", 'A'),
            ("06", 'B'),
            ("12", 'B'),
            ("13", 'C'),
            ("43", 'C'),
            ("44", 'D'),
            ("46", 'D'),
            ("47", 'E'),
            ("50", 'E'),
            ("51", 'F'),
            ("52", 'F'),
            ("53", 'G'),
            ("60", 'G'),
            ("61", 'H'),
            ("62", 'H'),
            ("63", 'I'),
            ("65", 'I'),
            ("66", 'J'),
            ("69", 'J'),
            ("70", 'K'),
            ("71", 'L'),
            ("72", 'L'),
            ("73", 'M'),
            ("75", 'M'),
            ("76", 'N'),
            ("79", 'N'),
            ("80", 'O'),
            ("82", 'O'),
            ("83", 'P'),
            ("84", 'Q'),
            ("85", 'Q'),
            ("86", 'R'),
            ("90", 'R'),
            ("91", 'S'),
            ("96", 'S'),
            ("97", 'T'),
        ];
        for (division, section) in cases {
            assert_eq!(
                ic(division).section(),
                ic(&section.to_string()),
                "{division}"
            );
        }
        assert_eq!(ic("6513").section_name(), "信息传输、软件和信息技术服务业");
        assert_eq!(ic("C").section_name(), "制造业");
        assert_eq!(ic("C").section(), ic("C"));
    }

    #[test]
    fn accepts_section_prefix_lower_case_and_full_width() {
        assert_eq!(ic("C1311"), ic("1311"));
        assert_eq!(ic("c1311").as_str(), "1311");
        assert_eq!(ic(" ｃ１３ "), ic("13"));
        assert_eq!(ic("t"), ic("T"));
        assert_eq!(ic("I65").as_str(), "65");
        // Groups and classes of the shipped table, in both notations.
        assert_eq!(ic("C397"), ic("397"));
        assert_eq!(ic("C397").level(), IndustryLevel::Group);
        assert_eq!(ic("C3971").level(), IndustryLevel::Class);
        assert_eq!(ic("3971").parent(), Some(ic("397")));
        assert_eq!(ic("397").parent(), Some(ic("39")));
    }

    #[test]
    fn within() {
        assert!(ic("1311").is_within(&ic("131")));
        assert!(ic("1311").is_within(&ic("13")));
        assert!(ic("1311").is_within(&ic("C")));
        assert!(ic("13").is_within(&ic("C")));
        assert!(ic("C").is_within(&ic("C")));
        assert!(!ic("1311").is_within(&ic("14")));
        assert!(!ic("1311").is_within(&ic("B")));
        assert!(!ic("13").is_within(&ic("1311")));
        assert!(!ic("C").is_within(&ic("13")));
    }

    #[test]
    fn errors() {
        let err = |s: &str| IndustryCode::parse(s).unwrap_err();
        assert_eq!(err(""), IndustryCodeError::Empty);
        assert_eq!(err("  "), IndustryCodeError::Empty);
        assert_eq!(err("U"), IndustryCodeError::Section('U'));
        assert_eq!(err("Z13"), IndustryCodeError::Section('Z'));
        assert_eq!(err("1"), IndustryCodeError::Format);
        assert_eq!(err("13111"), IndustryCodeError::Format);
        assert_eq!(err("13a"), IndustryCodeError::Format);
        assert_eq!(err("13.11"), IndustryCodeError::Format);
        assert_eq!(err("CC"), IndustryCodeError::Format);
        assert_eq!(err("制造业").code(), "industry_format");
        assert_eq!(err("00"), IndustryCodeError::Division("00".into()));
        assert_eq!(err("98"), IndustryCodeError::Division("98".into()));
        assert_eq!(err("9900").code(), "industry_invalid_division");
        assert_eq!(
            err("A1311"),
            IndustryCodeError::SectionMismatch {
                code: "1311".into(),
                given: 'A',
                actual: 'C'
            }
        );
        assert_eq!(err("A1311").code(), "industry_section_mismatch");
        assert_eq!(
            err("A1311").to_string(),
            "行业代码“1311”属于门类C，与填写的门类A不一致"
        );
        assert_eq!(err("98").to_string(), "行业大类代码须在01-97之间，“98”无效");
    }

    #[test]
    fn serde_round_trip() {
        assert_eq!(serde_json::to_string(&ic("C1311")).unwrap(), "\"1311\"");
        assert_eq!(
            serde_json::from_str::<IndustryCode>("\"C\"").unwrap(),
            ic("C")
        );
        assert!(serde_json::from_str::<IndustryCode>("\"98\"").is_err());
        assert_eq!(
            serde_json::to_string(&IndustryLevel::Class).unwrap(),
            "\"class\""
        );
        assert_eq!(
            serde_json::from_str::<IndustryLevel>("\"group\"").unwrap(),
            IndustryLevel::Group
        );
    }

    proptest! {
        #[test]
        fn numeric_codes_round_trip(division in 1u8..=97, rest in "[0-9]{0,2}") {
            let s = format!("{division:02}{rest}");
            let code = ic(&s);
            prop_assert_eq!(code.as_str(), s.as_str());
            prop_assert_eq!(ic(&code.to_string()), code);
            // The registry notation with the right section letter is the same code.
            let section = code.section();
            prop_assert_eq!(ic(&format!("{section}{s}")), code);
            prop_assert!(code.is_within(&section));
            let mut node = code;
            while let Some(parent) = node.parent() {
                prop_assert!(code.is_within(&parent));
                prop_assert!(parent.level() < node.level());
                node = parent;
            }
            prop_assert_eq!(node, section);
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,6}") {
            let _ = IndustryCode::parse(&s);
        }
    }
}
