//! Unified social credit codes (统一社会信用代码, GB 32100-2015).
//!
//! Layout of the 18 characters:
//! 1 registration authority (`9` = market regulation), 2 entity category,
//! 3–8 administrative division of the registering authority, 9–17 the
//! organisation code, 18 the check character.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::region::RegionCode;
use crate::text::{describe_char, fold_width};

/// The 31 characters of the code, in value order (value = index). I, O, Z, S
/// and V are left out because they are easily confused with 1, 0, 2, 5 and U.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weight of position i is 3^i mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

const LEN: usize = 18;

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Letters that look like a valid character but are excluded from the code;
/// users who type them deserve to be told why.
fn is_excluded_letter(c: char) -> bool {
    matches!(c, 'I' | 'O' | 'Z' | 'S' | 'V')
}

fn describe_invalid(c: char) -> String {
    if is_excluded_letter(c) {
        format!("不能使用字母“{c}”（代码中不使用I、O、Z、S、V）")
    } else {
        format!("包含无效字符{}", describe_char(c))
    }
}

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("请输入统一社会信用代码")]
    Empty,
    #[error("统一社会信用代码应为18位，当前为{0}位")]
    Length(usize),
    /// `position` is 1-based, as a user counts.
    #[error("统一社会信用代码第{position}位{}", describe_invalid(*.ch))]
    InvalidChar { position: usize, ch: char },
    #[error("统一社会信用代码校验位不正确，请核对后重新输入")]
    CheckDigit,
}

impl UsccError {
    pub fn code(&self) -> &'static str {
        match self {
            UsccError::Empty => "uscc_empty",
            UsccError::Length(_) => "uscc_length",
            UsccError::InvalidChar { .. } => "uscc_invalid_char",
            UsccError::CheckDigit => "uscc_check_digit",
        }
    }
}

/// A unified social credit code whose check character is correct.
///
/// Stored in upper case. Serialized as the 18-character string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc([u8; LEN]);

impl Uscc {
    /// Parses a code, accepting lower case, surrounding whitespace and
    /// full-width characters.
    pub fn parse(input: &str) -> Result<Self, UsccError> {
        let s = fold_width(input).to_ascii_uppercase();
        if s.is_empty() {
            return Err(UsccError::Empty);
        }
        let len = s.chars().count();
        if len != LEN {
            return Err(UsccError::Length(len));
        }
        let mut bytes = [0u8; LEN];
        for (i, ch) in s.chars().enumerate() {
            if !ch.is_ascii() || value_of(ch as u8).is_none() {
                return Err(UsccError::InvalidChar {
                    position: i + 1,
                    ch,
                });
            }
            bytes[i] = ch as u8;
        }
        if check_char_of(&bytes[..17]) != bytes[17] {
            return Err(UsccError::CheckDigit);
        }
        Ok(Uscc(bytes))
    }

    /// The check character for the first 17 characters of a code, or `None`
    /// if `first17` is not 17 characters of the code's alphabet (lower case is
    /// accepted). Used to generate valid codes for demos and tests.
    pub fn compute_check_char(first17: &str) -> Option<char> {
        let upper = first17.to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != 17 || !bytes.iter().all(|&b| value_of(b).is_some()) {
            return None;
        }
        Some(check_char_of(bytes) as char)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("Uscc holds only ASCII")
    }

    /// 登记管理部门代码, e.g. `'9'` for market regulation (companies and
    /// individual businesses), `'5'` for civil affairs (social organisations).
    pub fn registration_authority(&self) -> char {
        self.0[0] as char
    }

    /// 机构类别代码, whose meaning depends on the authority: under `'9'`,
    /// `'1'` is an enterprise, `'2'` an individual business, `'3'` a farmers'
    /// cooperative.
    pub fn entity_category(&self) -> char {
        self.0[1] as char
    }

    /// Characters 3–8: the division code of the registering authority.
    pub fn region_digits(&self) -> &str {
        &self.as_str()[2..8]
    }

    /// The registering authority's division, if those six digits form a
    /// structurally valid [`RegionCode`]. Codes issued before a division was
    /// renumbered keep the old digits, so this is a hint (e.g. to pre-fill a
    /// form), not the enterprise's current location.
    pub fn region_code(&self) -> Option<RegionCode> {
        RegionCode::parse(self.region_digits()).ok()
    }

    /// Characters 9–17: the organisation code (组织机构代码) body.
    pub fn organization_code(&self) -> &str {
        &self.as_str()[8..17]
    }
}

fn check_char_of(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| value_of(c).expect("caller checked the alphabet") * w)
        .sum();
    ALPHABET[((31 - sum % 31) % 31) as usize]
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uscc({})", self.as_str())
    }
}

impl FromStr for Uscc {
    type Err = UsccError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uscc::parse(s)
    }
}

impl TryFrom<String> for Uscc {
    type Error = UsccError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Uscc::parse(&s)
    }
}

impl TryFrom<&str> for Uscc {
    type Error = UsccError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Uscc::parse(s)
    }
}

impl From<Uscc> for String {
    fn from(code: Uscc) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REAL: [&str; 3] = [
        "91350100M000100Y43",
        "91440300708461136T",
        "911100007109310534",
    ];

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn accepts_real_codes() {
        for code in REAL {
            assert_eq!(Uscc::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn normalises_case_spaces_and_full_width() {
        let expected = Uscc::parse("91350100M000100Y43").unwrap();
        assert_eq!(Uscc::parse("  91350100m000100y43\n").unwrap(), expected);
        assert_eq!(
            Uscc::parse("９１３５０１００Ｍ０００１００Ｙ４３").unwrap(),
            expected
        );
        assert_eq!(
            Uscc::parse("91440300708461136t").unwrap().to_string(),
            "91440300708461136T"
        );
    }

    #[test]
    fn parts() {
        let code = Uscc::parse("91440300708461136T").unwrap();
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.entity_category(), '1');
        assert_eq!(code.region_digits(), "440300");
        assert_eq!(
            code.region_code(),
            Some(RegionCode::parse("440300").unwrap())
        );
        assert_eq!(code.organization_code(), "708461136");
    }

    #[test]
    fn check_char_computation() {
        assert_eq!(Uscc::compute_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(Uscc::compute_check_char("91440300708461136"), Some('T'));
        assert_eq!(Uscc::compute_check_char("91350100m000100y4"), Some('3'));
        assert_eq!(Uscc::compute_check_char("91350100M000100Y"), None);
        assert_eq!(Uscc::compute_check_char("91350100M000100Y43"), None);
        assert_eq!(Uscc::compute_check_char("91350100O000100Y4"), None);
    }

    #[test]
    fn errors() {
        let err = |s: &str| Uscc::parse(s).unwrap_err();
        assert_eq!(err(""), UsccError::Empty);
        assert_eq!(err(" \t"), UsccError::Empty);
        assert_eq!(err("91350100M000100Y4"), UsccError::Length(17));
        assert_eq!(err("91350100M000100Y433"), UsccError::Length(19));
        assert_eq!(err("9135 0100M000100Y43"), UsccError::Length(19));
        assert_eq!(
            err("91350100O000100Y43"),
            UsccError::InvalidChar {
                position: 9,
                ch: 'O'
            }
        );
        assert_eq!(
            err("91350100M000100Y4-"),
            UsccError::InvalidChar {
                position: 18,
                ch: '-'
            }
        );
        assert_eq!(
            err("9135010中M000100Y43"),
            UsccError::InvalidChar {
                position: 8,
                ch: '中'
            }
        );
        assert_eq!(err("91350100M000100Y44"), UsccError::CheckDigit);
        assert_eq!(err("91440300708461136A"), UsccError::CheckDigit);
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| Uscc::parse(s).unwrap_err().to_string();
        assert_eq!(msg(""), "请输入统一社会信用代码");
        assert_eq!(msg("9135"), "统一社会信用代码应为18位，当前为4位");
        assert_eq!(
            msg("91350100O000100Y43"),
            "统一社会信用代码第9位不能使用字母“O”（代码中不使用I、O、Z、S、V）"
        );
        assert_eq!(
            msg("91350100M000100Y4-"),
            "统一社会信用代码第18位包含无效字符“-”"
        );
        assert_eq!(
            msg("91350100M000100Y44"),
            "统一社会信用代码校验位不正确，请核对后重新输入"
        );
        assert_eq!(
            Uscc::parse("91350100M000100Y44").unwrap_err().code(),
            "uscc_check_digit"
        );
    }

    #[test]
    fn serde_round_trip() {
        let code = Uscc::parse("91350100M000100Y43").unwrap();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"91350100M000100Y43\"");
        assert_eq!(serde_json::from_str::<Uscc>(&json).unwrap(), code);
        assert_eq!(
            serde_json::from_str::<Uscc>("\"91350100m000100y43\"").unwrap(),
            code
        );
        let err = serde_json::from_str::<Uscc>("\"91350100M000100Y44\"").unwrap_err();
        assert!(err.to_string().contains("校验位不正确"), "{err}");
    }

    fn body() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(prop::sample::select(ALPHABET.to_vec()), 17)
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_char_parses(body in body()) {
            let body = String::from_utf8(body).unwrap();
            let check = Uscc::compute_check_char(&body).unwrap();
            let full = format!("{body}{check}");
            let code = Uscc::parse(&full).unwrap();
            prop_assert_eq!(code.as_str(), full.as_str());
            prop_assert_eq!(Uscc::parse(&full.to_ascii_lowercase()).unwrap(), code);
        }

        // Weights 3^i mod 31 are all nonzero mod the prime 31, so every
        // single-character substitution changes the checksum.
        #[test]
        fn any_single_substitution_is_detected(
            body in body(),
            position in 0usize..18,
            replacement in prop::sample::select(ALPHABET.to_vec()),
        ) {
            let body = String::from_utf8(body).unwrap();
            let check = Uscc::compute_check_char(&body).unwrap();
            let mut bytes = format!("{body}{check}").into_bytes();
            prop_assume!(bytes[position] != replacement);
            bytes[position] = replacement;
            let tampered = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(Uscc::parse(&tampered), Err(UsccError::CheckDigit));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,20}") {
            let _ = Uscc::parse(&s);
        }
    }
}
