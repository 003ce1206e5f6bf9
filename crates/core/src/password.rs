//! Password composition rules.
//!
//! The default (8–20 characters, at least 3 of 4 character classes, no user
//! name or phone number inside) follows what Chinese government systems are
//! usually required to enforce under 等保 (MLPS 2.0) assessments. Only the
//! rule lives here; hashing needs a CSPRNG and belongs in the server.

use serde::{Deserialize, Serialize};

/// Forbidden substrings shorter than this are ignored: a two-letter user name
/// such as `li` would otherwise reject `Reliable#2024` for a reason the user
/// could not guess.
const MIN_FORBIDDEN_LEN: usize = 3;

/// Why a candidate password breaks the policy. Each message states the rule
/// so the user knows how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("请输入密码")]
    Empty,
    #[error("密码不能包含空格")]
    Whitespace,
    /// Non-ASCII (Chinese, full-width) or control characters: they are
    /// hard to type reliably on another keyboard or input method.
    #[error("密码只能包含英文字母、数字和英文特殊字符，不能包含中文、全角字符或控制字符")]
    InvalidChar,
    #[error("{}", length_message(*.min, *.max))]
    Length { min: usize, max: usize },
    #[error("密码须包含大写字母、小写字母、数字、特殊字符中的至少{min_classes}种")]
    TooFewClasses { min_classes: u8 },
    #[error("密码不能包含用户名或手机号")]
    ContainsForbidden,
    /// Built from a word every password-guessing list starts with (`common-passwords.txt`).
    #[error("密码过于常见，容易被猜中，请换一个")]
    Common,
}

fn length_message(min: usize, max: usize) -> String {
    if min == max {
        format!("密码长度须为{min}位")
    } else {
        format!("密码长度须为{min}-{max}位")
    }
}

impl PasswordError {
    pub fn code(&self) -> &'static str {
        match self {
            PasswordError::Empty => "password_empty",
            PasswordError::Whitespace => "password_whitespace",
            PasswordError::InvalidChar => "password_invalid_char",
            PasswordError::Length { .. } => "password_length",
            PasswordError::TooFewClasses { .. } => "password_too_few_classes",
            PasswordError::ContainsForbidden => "password_contains_forbidden",
            PasswordError::Common => "password_common",
        }
    }
}

/// Composition rules for new passwords.
///
/// Character classes are upper-case letters, lower-case letters, digits and
/// special characters (printable ASCII punctuation such as `!@#$%`).
/// A policy with `min_len > max_len` or `min_classes > 4` can never be
/// satisfied; construct it from trusted configuration only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordPolicy {
    pub min_len: usize,
    pub max_len: usize,
    pub min_classes: u8,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_len: 8,
            // ASVS 2.1.2: at least 64 characters allowed (pass phrases).
            max_len: 64,
            min_classes: 3,
        }
    }
}

impl PasswordPolicy {
    /// Checks `candidate` against the policy and returns the first rule it
    /// breaks. `forbidden_substrings` are typically the user name and phone
    /// number; they are matched case-insensitively, and entries shorter than
    /// three characters (after trimming) are ignored.
    ///
    /// The candidate is not trimmed: a password is used exactly as typed.
    pub fn check(
        &self,
        candidate: &str,
        forbidden_substrings: &[&str],
    ) -> Result<(), PasswordError> {
        if candidate.is_empty() {
            return Err(PasswordError::Empty);
        }
        if candidate.chars().any(char::is_whitespace) {
            return Err(PasswordError::Whitespace);
        }
        if !candidate.chars().all(|c| c.is_ascii_graphic()) {
            return Err(PasswordError::InvalidChar);
        }
        // All printable ASCII from here on, so bytes == characters.
        if candidate.len() < self.min_len || candidate.len() > self.max_len {
            return Err(PasswordError::Length {
                min: self.min_len,
                max: self.max_len,
            });
        }
        if class_count(candidate) < self.min_classes {
            return Err(PasswordError::TooFewClasses {
                min_classes: self.min_classes,
            });
        }
        let lowered = candidate.to_ascii_lowercase();
        let contains_forbidden = forbidden_substrings
            .iter()
            .map(|f| f.trim())
            .filter(|f| f.chars().count() >= MIN_FORBIDDEN_LEN)
            .any(|f| lowered.contains(&f.to_lowercase()));
        if contains_forbidden {
            return Err(PasswordError::ContainsForbidden);
        }
        if is_common(candidate) {
            return Err(PasswordError::Common);
        }
        Ok(())
    }

    /// The rule in one sentence, for hints next to a password field, e.g.
    /// `"密码长度为8-64位，须包含大写字母、小写字母、数字、特殊字符中的至少3种，且不能包含用户名或手机号"`.
    pub fn describe(&self) -> String {
        let len = if self.min_len == self.max_len {
            format!("{}位", self.min_len)
        } else {
            format!("{}-{}位", self.min_len, self.max_len)
        };
        format!(
            "密码长度为{len}，须包含大写字母、小写字母、数字、特殊字符中的至少{}种，且不能包含用户名或手机号",
            self.min_classes
        )
    }
}

const COMMON_WORDS: &str = include_str!("common-passwords.txt");

/// Whether the password is a common word dressed up: lower-cased, `0 @ $ 1 3` read as `o a s i e`, trailing
/// digits and symbols removed, it is a word of `common-passwords.txt` (or nothing at all: `12345678!`).
fn is_common(candidate: &str) -> bool {
    let plain: String = candidate
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '@' => 'a',
            '$' => 's',
            '1' => 'i',
            '3' => 'e',
            other => other,
        })
        .collect();
    // Trailing digits were mapped too (1 → i, 3 → e, 0 → o): strip on the original's shape instead.
    let keep = candidate.len() - candidate.chars().rev().take_while(|c| !c.is_ascii_alphabetic()).count();
    let stem = &plain[..keep];
    stem.is_empty() || COMMON_WORDS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).any(|w| w == stem)
}

fn class_count(s: &str) -> u8 {
    let has = |pred: fn(&u8) -> bool| u8::from(s.as_bytes().iter().any(pred));
    has(u8::is_ascii_uppercase)
        + has(u8::is_ascii_lowercase)
        + has(u8::is_ascii_digit)
        + has(u8::is_ascii_punctuation)
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_words_dressed_up_are_refused() {
        let p = PasswordPolicy::default();
        for weak in ["Password1", "P@ssw0rd!", "Admin@123", "Aa123456", "Qwer1234!", "Woaini@520", "Zhang@123456", "Huawei#2026"] {
            assert_eq!(p.check(weak, &[]), Err(PasswordError::Common), "{weak}");
        }
        for fine in ["Shuzhuan@2026", "Xinmima#2026", "Qiye@2026x", "Zizhanghao#1", "Correct-Horse-Battery-Staple-9"] {
            assert_eq!(p.check(fine, &[]), Ok(()), "{fine}");
        }
        assert_eq!(p.check(&"Ab1!".repeat(16), &[]), Ok(()), "64 characters are allowed");
    }

    use super::*;
    use proptest::prelude::*;

    fn check(pw: &str) -> Result<(), PasswordError> {
        PasswordPolicy::default().check(pw, &["zhangsan", "13800138000"])
    }

    #[test]
    fn accepts_good_passwords() {
        for pw in [
            "Bcdefg12",
            "xyz123!@",
            "XYZ123!@",
            "Abc!defg",
            "Tr@ffic2024",
            "Aa1!Aa1!Aa1!Aa1!Aa1!",
        ] {
            assert_eq!(check(pw), Ok(()), "{pw}");
        }
    }

    #[test]
    fn length_bounds() {
        assert_eq!(
            check("Abc12!x"),
            Err(PasswordError::Length { min: 8, max: 64 })
        );
        assert_eq!(check("Abc12!xy"), Ok(()));
        assert_eq!(check(&"Abc12!xy".repeat(8)), Ok(()));
        assert_eq!(
            check(&format!("{}A", "Abc12!xy".repeat(8))).unwrap_err().code(),
            "password_length"
        );
    }

    #[test]
    fn classes() {
        assert_eq!(
            check("abcdefgh"),
            Err(PasswordError::TooFewClasses { min_classes: 3 })
        );
        assert_eq!(
            check("abcd1234"),
            Err(PasswordError::TooFewClasses { min_classes: 3 })
        );
        assert_eq!(
            check("ABCD!@#$").unwrap_err().code(),
            "password_too_few_classes"
        );
        assert_eq!(class_count("aA1!"), 4);
        assert_eq!(class_count("~`^_"), 1);
        let lenient = PasswordPolicy {
            min_classes: 2,
            ..PasswordPolicy::default()
        };
        assert_eq!(lenient.check("wxyz1234", &[]), Ok(()));
    }

    #[test]
    fn forbidden_substrings_case_insensitive() {
        assert_eq!(check("ZhangSan!1"), Err(PasswordError::ContainsForbidden));
        assert_eq!(
            check("x13800138000A!"),
            Err(PasswordError::ContainsForbidden)
        );
        // Too short to be a meaningful match.
        assert_eq!(
            PasswordPolicy::default().check("Reliable#2024", &["li", "", "  "]),
            Ok(())
        );
        assert_eq!(
            PasswordPolicy::default().check("Reliable#2024", &[" Rel "]),
            Err(PasswordError::ContainsForbidden)
        );
    }

    #[test]
    fn rejects_whitespace_and_non_ascii() {
        assert_eq!(check("Abc 123!x"), Err(PasswordError::Whitespace));
        assert_eq!(check(" Abc123!x"), Err(PasswordError::Whitespace));
        assert_eq!(check("Abc123!x\t"), Err(PasswordError::Whitespace));
        assert_eq!(check("Abc123!x\u{3000}"), Err(PasswordError::Whitespace));
        assert_eq!(check("Abc123!密码"), Err(PasswordError::InvalidChar));
        assert_eq!(check("Ａbc123!x"), Err(PasswordError::InvalidChar));
        assert_eq!(check("Abc123!x\u{7}"), Err(PasswordError::InvalidChar));
        assert_eq!(check(""), Err(PasswordError::Empty));
    }

    #[test]
    fn messages_state_the_rule() {
        assert_eq!(
            PasswordError::Length { min: 8, max: 20 }.to_string(),
            "密码长度须为8-20位"
        );
        assert_eq!(
            PasswordError::Length { min: 8, max: 8 }.to_string(),
            "密码长度须为8位"
        );
        assert_eq!(
            PasswordError::TooFewClasses { min_classes: 3 }.to_string(),
            "密码须包含大写字母、小写字母、数字、特殊字符中的至少3种"
        );
        assert_eq!(
            PasswordError::ContainsForbidden.to_string(),
            "密码不能包含用户名或手机号"
        );
        assert_eq!(PasswordError::Whitespace.to_string(), "密码不能包含空格");
        assert_eq!(
            PasswordPolicy::default().describe(),
            "密码长度为8-64位，须包含大写字母、小写字母、数字、特殊字符中的至少3种，且不能包含用户名或手机号"
        );
    }

    #[test]
    fn policy_serde_fills_defaults() {
        let policy: PasswordPolicy = serde_json::from_str(r#"{"min_len": 10}"#).unwrap();
        assert_eq!(
            policy,
            PasswordPolicy {
                min_len: 10,
                max_len: 64,
                min_classes: 3
            }
        );
    }

    proptest! {
        #[test]
        fn one_of_each_class_padded_to_length_passes(
            len in 8usize..=20,
            filler in prop::collection::vec(0x21u8..=0x7e, 20),
        ) {
            // (Not "aA1!…": "aA" and digits is a common password, refused on its own rule.)
            let mut pw = String::from("zK1!");
            pw.extend(filler.iter().take(len - 4).map(|&b| b as char));
            prop_assume!(!pw.to_lowercase().contains("zhangsan"));
            prop_assert_eq!(check(&pw), Ok(()));
        }

        #[test]
        fn a_passing_password_has_enough_classes_and_length(pw in "[!-~]{0,24}") {
            if check(&pw).is_ok() {
                prop_assert!((8..=64).contains(&pw.len()));
                prop_assert!(class_count(&pw) >= 3);
            }
        }

        #[test]
        fn arbitrary_input_never_panics(pw in "\\PC{0,24}") {
            let _ = check(&pw);
        }
    }
}
