//! Pure domain types for shuzhuan.
//!
//! Every type here is "parsed, not validated": the only way to obtain a value
//! is through a fallible constructor, so code that holds a [`Uscc`] or a
//! [`RegionCode`] never has to re-check it. Each constructor fails with a typed
//! error whose `Display` is a Simplified Chinese sentence that can be shown to
//! the user as is, and whose [`ErrorCode::code`] is a stable snake_case string
//! for API clients and tests to match on (messages may be reworded, codes may
//! not).
//!
//! The crate does no IO and has no async: anything that needs a database,
//! a clock, the network or the file system belongs in the server crate.
//!
//! ```
//! use shuzhuan_core::{ErrorCode, RegionCode, Uscc};
//!
//! let code: Uscc = " 91350100m000100y43 ".parse().unwrap();
//! assert_eq!(code.as_str(), "91350100M000100Y43");
//!
//! let err = Uscc::parse("91350100M000100Y44").unwrap_err();
//! assert_eq!(err.code(), "uscc_check_digit");
//! assert_eq!(err.to_string(), "统一社会信用代码校验位不正确，请核对后重新输入");
//!
//! let town = RegionCode::parse("442000001").unwrap(); // 中山市石岐街道
//! assert!(town.is_within(&RegionCode::parse("440000").unwrap()));
//! ```

pub mod assessment;
pub mod files;
pub mod filing_number;
pub mod form;
pub mod industry;
pub mod invoice;
pub mod money;
pub mod password;
pub mod phone;
pub mod region;
pub mod review;
pub mod uscc;

mod text;

pub use assessment::{
    AnswerError, Answers, AssessmentResult, Edition, EditionError, ParsedAnswers, Points,
    Q4Weighting, ScoreError,
};
pub use filing_number::{FilingNumberError, FilingNumberRule};
pub use files::{FileType, FileTypeError, Sniffed, TextEncoding, check_upload};
pub use industry::{IndustryCode, IndustryCodeError, IndustryLevel};
pub use money::{Money, MoneyError};
pub use password::{PasswordError, PasswordPolicy};
pub use phone::{Phone, PhoneError};
pub use region::{RegionCode, RegionCodeError, RegionLevel};
pub use review::{FlowDefinition, FlowError, ReviewError};
pub use uscc::{Uscc, UsccError};

/// A user-facing error with a stable machine-readable code.
///
/// Lets the server turn any domain error into an API error body generically
/// (`{"code": e.code(), "message": e.to_string()}`) without matching on each type.
pub trait ErrorCode: std::error::Error {
    /// Stable snake_case identifier, prefixed by the concept (e.g. `uscc_check_digit`).
    fn code(&self) -> &'static str;
}

macro_rules! impl_error_code {
    ($($ty:ty),* $(,)?) => {
        $(impl $crate::ErrorCode for $ty {
            fn code(&self) -> &'static str {
                <$ty>::code(self)
            }
        })*
    };
}

impl_error_code!(
    FileTypeError,
    IndustryCodeError,
    MoneyError,
    PasswordError,
    PhoneError,
    RegionCodeError,
    UsccError,
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// One instance of every error variant, through the trait object the
    /// server uses.
    fn all_errors() -> Vec<Box<dyn ErrorCode>> {
        vec![
            Box::new(FileTypeError::Empty),
            Box::new(FileTypeError::Unsupported {
                extension: None,
                allowed: vec![FileType::Pdf],
            }),
            Box::new(FileTypeError::ContentMismatch {
                declared: FileType::Pdf,
                sniffed: None,
            }),
            Box::new(IndustryCodeError::Empty),
            Box::new(IndustryCodeError::Format),
            Box::new(IndustryCodeError::Section('Z')),
            Box::new(IndustryCodeError::Division("98".into())),
            Box::new(IndustryCodeError::SectionMismatch {
                code: "1311".into(),
                given: 'A',
                actual: 'C',
            }),
            Box::new(MoneyError::Empty),
            Box::new(MoneyError::Format),
            Box::new(MoneyError::Negative),
            Box::new(MoneyError::TooManyDecimals { max_places: 2 }),
            Box::new(MoneyError::TooLarge),
            Box::new(PasswordError::Empty),
            Box::new(PasswordError::Whitespace),
            Box::new(PasswordError::InvalidChar),
            Box::new(PasswordError::Length { min: 8, max: 20 }),
            Box::new(PasswordError::TooFewClasses { min_classes: 3 }),
            Box::new(PasswordError::ContainsForbidden),
            Box::new(PhoneError::Empty),
            Box::new(PhoneError::InvalidChar('x')),
            Box::new(PhoneError::Length(3)),
            Box::new(PhoneError::NotMobile),
            Box::new(PhoneError::NotMainland),
            Box::new(RegionCodeError::Empty),
            Box::new(RegionCodeError::InvalidChar('x')),
            Box::new(RegionCodeError::Length(3)),
            Box::new(RegionCodeError::UnknownProvince("99".into())),
            Box::new(RegionCodeError::Malformed("440012".into())),
            Box::new(UsccError::Empty),
            Box::new(UsccError::Length(3)),
            Box::new(UsccError::InvalidChar {
                position: 1,
                ch: 'O',
            }),
            Box::new(UsccError::CheckDigit),
        ]
    }

    #[test]
    fn error_codes_are_unique_snake_case() {
        let mut seen = HashSet::new();
        for e in all_errors() {
            let code = e.code();
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code} is not snake_case"
            );
            assert!(seen.insert(code), "duplicate code {code}");
        }
    }

    #[test]
    fn error_messages_are_chinese() {
        for e in all_errors() {
            let msg = e.to_string();
            assert!(
                msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {msg}",
                e.code()
            );
        }
    }
}
