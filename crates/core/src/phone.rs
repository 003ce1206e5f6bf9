//! Mainland China mobile phone numbers.
//!
//! Only mobile numbers are modelled because they are used as login names and
//! SMS targets; landlines never receive verification codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::{describe_char, fold_width};

const LEN: usize = 11;

/// Why a string is not a mainland mobile number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("请输入手机号码")]
    Empty,
    #[error("手机号码只能包含数字，不能包含{}", describe_char(*.0))]
    InvalidChar(char),
    #[error("手机号码应为11位数字，当前为{0}位")]
    Length(usize),
    /// 11 digits, but not in the 13x–19x mobile ranges (e.g. a landline
    /// with its area code, `01012345678`).
    #[error("手机号码格式不正确，应为以13-19开头的11位数字")]
    NotMobile,
    /// An international prefix other than +86.
    #[error("仅支持中国大陆手机号码（+86）")]
    NotMainland,
}

impl PhoneError {
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "phone_empty",
            PhoneError::InvalidChar(_) => "phone_invalid_char",
            PhoneError::Length(_) => "phone_length",
            PhoneError::NotMobile => "phone_not_mobile",
            PhoneError::NotMainland => "phone_not_mainland",
        }
    }
}

/// An 11-digit mainland mobile number (`1[3-9]xxxxxxxxx`), stored without
/// country code.
///
/// `Display` and serialization give the full number (it is needed to send SMS
/// and to log in); `Debug` is masked so that `{:?}` in logs and panic messages
/// does not leak it. Show [`Phone::masked`] to anyone but its owner.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone([u8; LEN]);

impl Phone {
    /// Parses a number as users type it: surrounding whitespace, full-width
    /// digits, spaces or hyphens between digit groups (`138 0013 8000`,
    /// `138-0013-8000`) and a `+86`, `0086` or `86` prefix are accepted.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let folded = fold_width(input);
        if folded.is_empty() {
            return Err(PhoneError::Empty);
        }
        let compact: String = folded.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let national = if let Some(rest) = compact.strip_prefix("+86") {
            rest
        } else if compact.starts_with('+') {
            return Err(PhoneError::NotMainland);
        } else if let Some(rest) = compact.strip_prefix("0086") {
            rest
        } else if compact.len() == LEN + 2 && compact.starts_with("86") {
            // Only with exactly 13 digits: an 11-digit mobile number cannot
            // start with 8, so this never eats part of a national number.
            &compact[2..]
        } else {
            &compact
        };
        if let Some(c) = national.chars().find(|c| !c.is_ascii_digit()) {
            return Err(PhoneError::InvalidChar(c));
        }
        if national.len() != LEN {
            return Err(PhoneError::Length(national.len()));
        }
        let b = national.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(PhoneError::NotMobile);
        }
        let mut digits = [0u8; LEN];
        digits.copy_from_slice(b);
        Ok(Phone(digits))
    }

    /// The 11 digits, e.g. `"13800138000"`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("Phone holds only ASCII digits")
    }

    /// The conventional masked form, `"138****8000"`: first three and last
    /// four digits, enough for a user to recognise their own number.
    pub fn masked(&self) -> String {
        let s = self.as_str();
        format!("{}****{}", &s[..3], &s[7..])
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl FromStr for Phone {
    type Err = PhoneError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl TryFrom<&str> for Phone {
    type Error = PhoneError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Phone::parse(s)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Phone {
        Phone::parse(s).unwrap()
    }

    #[test]
    fn accepts_common_spellings() {
        let expected = p("13800138000");
        for s in [
            " 13800138000 ",
            "+8613800138000",
            "+86 138 0013 8000",
            "+86-138-0013-8000",
            "8613800138000",
            "008613800138000",
            "138-0013-8000",
            "１３８００１３８０００",
        ] {
            assert_eq!(p(s), expected, "{s}");
        }
    }

    #[test]
    fn all_second_digits_3_to_9() {
        for d in 3..=9 {
            assert!(Phone::parse(&format!("1{d}012345678")).is_ok());
        }
    }

    #[test]
    fn masked_and_debug_hide_the_middle() {
        let phone = p("13812341234");
        assert_eq!(phone.masked(), "138****1234");
        assert_eq!(format!("{phone:?}"), "Phone(138****1234)");
        assert_eq!(phone.to_string(), "13812341234");
    }

    #[test]
    fn errors() {
        let err = |s: &str| Phone::parse(s).unwrap_err();
        assert_eq!(err(""), PhoneError::Empty);
        assert_eq!(err("　"), PhoneError::Empty);
        assert_eq!(err("1380013800"), PhoneError::Length(10));
        assert_eq!(err("138001380001"), PhoneError::Length(12));
        assert_eq!(err("12800138000"), PhoneError::NotMobile);
        assert_eq!(err("10800138000"), PhoneError::NotMobile);
        assert_eq!(err("01012345678"), PhoneError::NotMobile);
        assert_eq!(err("23800138000"), PhoneError::NotMobile);
        assert_eq!(err("138o0138000"), PhoneError::InvalidChar('o'));
        assert_eq!(err("138.0013.8000"), PhoneError::InvalidChar('.'));
        assert_eq!(err("+85291234567"), PhoneError::NotMainland);
        assert_eq!(err("+1 415 555 0100").code(), "phone_not_mainland");
        // "86" is only a country code in front of a full 11-digit number.
        assert_eq!(err("86138001380"), PhoneError::NotMobile);
        assert_eq!(err("+86138001380"), PhoneError::Length(9));
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| Phone::parse(s).unwrap_err().to_string();
        assert_eq!(msg(""), "请输入手机号码");
        assert_eq!(msg("1380013800"), "手机号码应为11位数字，当前为10位");
        assert_eq!(
            msg("12800138000"),
            "手机号码格式不正确，应为以13-19开头的11位数字"
        );
        assert_eq!(msg("138o0138000"), "手机号码只能包含数字，不能包含“o”");
        assert_eq!(msg("+85291234567"), "仅支持中国大陆手机号码（+86）");
    }

    #[test]
    fn serde_round_trip() {
        let phone = p("+86 138 0013 8000");
        let json = serde_json::to_string(&phone).unwrap();
        assert_eq!(json, "\"13800138000\"");
        assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), phone);
        assert!(serde_json::from_str::<Phone>("\"12345\"").is_err());
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip_with_any_prefix(
            second in 3u8..=9,
            rest in prop::collection::vec(0u8..=9, 9),
            prefix in prop::sample::select(vec!["", "+86", "86", "0086", "+86 ", " "]),
        ) {
            let number: String = std::iter::once(1u8).chain(std::iter::once(second)).chain(rest)
                .map(|d| char::from(b'0' + d)).collect();
            let phone = Phone::parse(&format!("{prefix}{number}")).unwrap();
            prop_assert_eq!(phone.as_str(), number.as_str());
            let masked = phone.masked();
            prop_assert_eq!(masked.len(), 11);
            prop_assert_eq!(&masked[..3], &number[..3]);
            prop_assert_eq!(&masked[7..], &number[7..]);
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,16}") {
            let _ = Phone::parse(&s);
        }
    }
}
