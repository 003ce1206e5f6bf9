//! Amounts of money in RMB.
//!
//! Amounts are integer fen (分). Parsing works on the decimal digits directly,
//! never through `f64`, so `0.1 + 0.2` style drift cannot creep into subsidy
//! figures that must reconcile to the fen.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::fold_width;

const FEN_PER_YUAN: i64 = 100;
const FEN_PER_WAN: i64 = 1_000_000;

/// Why a string or number is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("请输入金额")]
    Empty,
    #[error("金额格式不正确，请输入数字，如“1,234.56”")]
    Format,
    #[error("金额不能为负数")]
    Negative,
    /// More decimal places than there are fen: 2 for yuan, 6 for 万元.
    #[error("金额最多保留{max_places}位小数（精确到分）")]
    TooManyDecimals { max_places: u8 },
    #[error("金额超出允许范围")]
    TooLarge,
}

impl MoneyError {
    pub fn code(&self) -> &'static str {
        match self {
            MoneyError::Empty => "money_empty",
            MoneyError::Format => "money_format",
            MoneyError::Negative => "money_negative",
            MoneyError::TooManyDecimals { .. } => "money_too_many_decimals",
            MoneyError::TooLarge => "money_too_large",
        }
    }
}

/// A non-negative amount of RMB, in fen.
///
/// Negative amounts are not representable: the platform records declared
/// revenues, investments and subsidies, none of which can be negative, and a
/// refund or adjustment is modelled as its own record rather than a negative
/// amount. The upper bound is [`Money::MAX`] (2^53 − 1 fen, about 90 万亿元)
/// so that the serialized integer survives a round trip through a JavaScript
/// `number` unchanged.
///
/// Serialized as a decimal string of yuan with two decimals (`"123.45"`),
/// never as a JSON number: a number would be a binary float in every
/// JavaScript client, and 0.1 + 0.2 is not 0.3 there. Deserialized from such a
/// string through [`Money::parse_yuan`] (so `"1,234.5"` is accepted, `12.5` as
/// a bare number is not). Stored as integer fen. `Display` is
/// [`Money::display_yuan`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Money(i64);

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.decimal_yuan())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse_yuan(&text).map_err(serde::de::Error::custom)
    }
}

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount: 9,007,199,254,740,991 fen.
    pub const MAX: Money = Money((1 << 53) - 1);

    pub fn from_fen(fen: i64) -> Result<Money, MoneyError> {
        if fen < 0 {
            Err(MoneyError::Negative)
        } else if fen > Money::MAX.0 {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Money(fen))
        }
    }

    /// Whole yuan, for constants and tests.
    pub fn from_yuan(yuan: i64) -> Result<Money, MoneyError> {
        Money::from_fen(yuan.checked_mul(FEN_PER_YUAN).ok_or(if yuan < 0 {
            MoneyError::Negative
        } else {
            MoneyError::TooLarge
        })?)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Parses an amount in yuan as users type it: `12`, `12.5`, `1,234.56`,
    /// `¥1,234.56`, `1234.56元`, full-width digits. Commas must group
    /// thousands (`1,234`, not `12,34`) so a mistyped decimal point is caught
    /// rather than silently multiplying the amount. More than two decimals is
    /// refused, except trailing zeros (`12.500`).
    pub fn parse_yuan(input: &str) -> Result<Money, MoneyError> {
        parse_scaled(input, &["元"], 2)
    }

    /// Parses an amount in 万元 (ten thousand yuan), the unit of most
    /// statistical forms: `12.3456` is 123,456 元. Up to six decimals (one
    /// fen); a trailing `万元` or `万` is accepted.
    pub fn parse_wan(input: &str) -> Result<Money, MoneyError> {
        parse_scaled(input, &["万元", "万"], 6)
    }

    /// The amount in yuan with two decimals and no separators, as the API
    /// carries it: `"123456.78"`.
    pub fn decimal_yuan(self) -> String {
        format!("{}.{:02}", self.0 / FEN_PER_YUAN, self.0 % FEN_PER_YUAN)
    }

    /// The amount in yuan with thousands separators and two decimals:
    /// `"123,456.78"`.
    pub fn display_yuan(self) -> String {
        let yuan = self.0 / FEN_PER_YUAN;
        let fen = self.0 % FEN_PER_YUAN;
        format!("{}.{fen:02}", group_thousands(yuan))
    }

    /// The amount in 万元 with two decimals, rounded half up, without
    /// thousands separators (as statistical forms print it): 123,456.78 元 →
    /// `"12.35"`.
    pub fn display_wan(self) -> String {
        const FEN_PER_HUNDREDTH_WAN: i64 = FEN_PER_WAN / 100;
        // Cannot overflow: self.0 <= 2^53.
        let hundredths = (self.0 + FEN_PER_HUNDREDTH_WAN / 2) / FEN_PER_HUNDREDTH_WAN;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }

    /// The exact amount in 万元, trailing zeros dropped (`"12.345678"`, `"1500"`): what a form stores and
    /// shows, so no fen is rounded away.
    pub fn exact_wan(self) -> String {
        let int = self.0 / FEN_PER_WAN;
        let frac = self.0 % FEN_PER_WAN;
        if frac == 0 {
            int.to_string()
        } else {
            format!("{int}.{}", format!("{frac:06}").trim_end_matches('0'))
        }
    }

    /// `None` if the sum exceeds [`Money::MAX`].
    pub fn checked_add(self, other: Money) -> Option<Money> {
        Money::from_fen(self.0.checked_add(other.0)?).ok()
    }

    /// `None` if `other` is larger than `self`, since amounts are non-negative.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        Money::from_fen(self.0 - other.0).ok()
    }

    /// Sum of many amounts; `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, Money::checked_add)
    }
}

fn group_thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Parses a decimal string into fen, given the number of decimal places that
/// make up one fen in the input's unit (2 for yuan, 6 for 万元).
fn parse_scaled(input: &str, unit_suffixes: &[&str], fen_places: u8) -> Result<Money, MoneyError> {
    let folded = fold_width(input);
    let mut s = folded.as_str();
    if let Some(rest) = s.strip_prefix(['¥', '￥']) {
        s = rest.trim_start();
    }
    for suffix in unit_suffixes {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            break;
        }
    }
    if s.is_empty() {
        return Err(MoneyError::Empty);
    }
    if let Some(rest) = s.strip_prefix('-') {
        // Only call it negative if what follows is otherwise a number, so
        // "-abc" gets the format message instead.
        return match parse_scaled(rest, &[], fen_places) {
            Ok(Money::ZERO) => Ok(Money::ZERO),
            Ok(_) | Err(MoneyError::TooManyDecimals { .. } | MoneyError::TooLarge) => {
                Err(MoneyError::Negative)
            }
            Err(e) => Err(e),
        };
    }

    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let frac_part = frac_part.unwrap_or("");
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(MoneyError::Format);
    }
    let int_digits = strip_grouping(int_part).ok_or(MoneyError::Format)?;
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::Format);
    }
    let places = usize::from(fen_places);
    let (frac_kept, frac_extra) = frac_part.split_at(frac_part.len().min(places));
    if frac_extra.bytes().any(|b| b != b'0') {
        return Err(MoneyError::TooManyDecimals {
            max_places: fen_places,
        });
    }

    let scale = 10i64.pow(u32::from(fen_places));
    let mut whole: i64 = 0;
    for b in int_digits.bytes() {
        whole = whole
            .checked_mul(10)
            .and_then(|w| w.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::TooLarge)?;
    }
    let mut frac: i64 = 0;
    for i in 0..places {
        let digit = frac_kept
            .as_bytes()
            .get(i)
            .map_or(0, |b| i64::from(b - b'0'));
        frac = frac * 10 + digit;
    }
    let fen = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac))
        .ok_or(MoneyError::TooLarge)?;
    Money::from_fen(fen)
}

/// Removes thousands separators after checking they group by three; `None`
/// if the integer part is not digits in that shape.
fn strip_grouping(int_part: &str) -> Option<String> {
    if !int_part.contains(',') {
        return int_part
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| int_part.to_owned());
    }
    let mut groups = int_part.split(',');
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let mut digits = first.to_owned();
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    first_ok.then_some(digits)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_yuan())
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({} 元)", self.display_yuan())
    }
}

/// Parses yuan; see [`Money::parse_yuan`].
impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse_yuan(s)
    }
}

impl TryFrom<i64> for Money {
    type Error = MoneyError;
    fn try_from(fen: i64) -> Result<Self, Self::Error> {
        Money::from_fen(fen)
    }
}

impl From<Money> for i64 {
    fn from(m: Money) -> i64 {
        m.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn yuan(s: &str) -> i64 {
        Money::parse_yuan(s).unwrap().fen()
    }

    fn wan(s: &str) -> i64 {
        Money::parse_wan(s).unwrap().fen()
    }

    fn fen(n: i64) -> Money {
        Money::from_fen(n).unwrap()
    }

    #[test]
    fn parses_yuan() {
        assert_eq!(yuan("12"), 1200);
        assert_eq!(yuan("12.5"), 1250);
        assert_eq!(yuan("12.05"), 1205);
        assert_eq!(yuan("0.01"), 1);
        assert_eq!(yuan(".5"), 50);
        assert_eq!(yuan("5."), 500);
        assert_eq!(yuan("1,234.56"), 123_456);
        assert_eq!(yuan("1,234,567"), 123_456_700);
        assert_eq!(yuan("12.500"), 1250);
        assert_eq!(yuan(" ¥1,234.56 "), 123_456);
        assert_eq!(yuan("￥ 100"), 10_000);
        assert_eq!(yuan("100元"), 10_000);
        assert_eq!(yuan("１，２３４．５６"), 123_456);
        assert_eq!(yuan("007"), 700);
        assert_eq!(yuan("0"), 0);
        assert_eq!(yuan("-0"), 0);
        assert_eq!("3.14".parse::<Money>().unwrap().fen(), 314);
    }

    #[test]
    fn parses_wan() {
        assert_eq!(wan("1"), 1_000_000);
        assert_eq!(wan("12.3456"), 12_345_600);
        assert_eq!(wan("12.345678"), 12_345_678);
        assert_eq!(wan("0.000001"), 1);
        assert_eq!(wan("1,200.5万元"), 1_200_500_000);
        assert_eq!(wan("3万"), 3_000_000);
        assert_eq!(wan("3 万元"), 3_000_000);
    }

    #[test]
    fn errors() {
        let y = |s: &str| Money::parse_yuan(s).unwrap_err();
        assert_eq!(y(""), MoneyError::Empty);
        assert_eq!(y(" ¥ "), MoneyError::Empty);
        assert_eq!(y("元"), MoneyError::Empty);
        assert_eq!(y("abc"), MoneyError::Format);
        assert_eq!(y("."), MoneyError::Format);
        assert_eq!(y("1.2.3"), MoneyError::Format);
        assert_eq!(y("12,34"), MoneyError::Format);
        assert_eq!(y("1234,567"), MoneyError::Format);
        assert_eq!(y(",123"), MoneyError::Format);
        assert_eq!(y("1,234.5,6"), MoneyError::Format);
        assert_eq!(y("1e5"), MoneyError::Format);
        assert_eq!(y("+5"), MoneyError::Format);
        assert_eq!(y("12万"), MoneyError::Format);
        assert_eq!(y("1 000"), MoneyError::Format);
        assert_eq!(y("-5"), MoneyError::Negative);
        assert_eq!(y("-1,234.56"), MoneyError::Negative);
        assert_eq!(y("-abc"), MoneyError::Format);
        assert_eq!(y("12.345"), MoneyError::TooManyDecimals { max_places: 2 });
        assert_eq!(
            Money::parse_wan("1.0000001").unwrap_err(),
            MoneyError::TooManyDecimals { max_places: 6 }
        );
        assert_eq!(y("99999999999999999999"), MoneyError::TooLarge);
        assert_eq!(y("90071992547409.92"), MoneyError::TooLarge);
        assert_eq!(yuan("90071992547409.91"), Money::MAX.fen());
    }

    #[test]
    fn error_messages_and_codes() {
        assert_eq!(
            MoneyError::Format.to_string(),
            "金额格式不正确，请输入数字，如“1,234.56”"
        );
        assert_eq!(
            MoneyError::TooManyDecimals { max_places: 2 }.to_string(),
            "金额最多保留2位小数（精确到分）"
        );
        assert_eq!(MoneyError::Negative.to_string(), "金额不能为负数");
        assert_eq!(MoneyError::TooLarge.code(), "money_too_large");
    }

    #[test]
    fn displays_yuan() {
        assert_eq!(fen(12_345_678).display_yuan(), "123,456.78");
        assert_eq!(fen(0).display_yuan(), "0.00");
        assert_eq!(fen(5).display_yuan(), "0.05");
        assert_eq!(fen(100_000).display_yuan(), "1,000.00");
        assert_eq!(fen(99_999).display_yuan(), "999.99");
        assert_eq!(Money::MAX.display_yuan(), "90,071,992,547,409.91");
        assert_eq!(fen(12_345_678).to_string(), "123,456.78");
        assert_eq!(format!("{:?}", fen(150)), "Money(1.50 元)");
    }

    #[test]
    fn displays_wan_rounding_half_up() {
        assert_eq!(fen(12_345_678).display_wan(), "12.35");
        assert_eq!(fen(12_345_000).display_wan(), "12.35");
        assert_eq!(fen(12_344_999).display_wan(), "12.34");
        assert_eq!(fen(0).display_wan(), "0.00");
        assert_eq!(fen(4_999).display_wan(), "0.00");
        assert_eq!(fen(5_000).display_wan(), "0.01");
        assert_eq!(fen(99_995_000).display_wan(), "100.00");
        assert_eq!(fen(1_000_000).display_wan(), "1.00");
        assert_eq!(Money::MAX.display_wan(), "9007199254.74");
    }

    #[test]
    fn construction_and_arithmetic() {
        assert_eq!(Money::from_fen(-1), Err(MoneyError::Negative));
        assert_eq!(
            Money::from_fen(Money::MAX.fen() + 1),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(Money::from_yuan(3).unwrap().fen(), 300);
        assert_eq!(Money::from_yuan(-3), Err(MoneyError::Negative));
        assert_eq!(Money::from_yuan(i64::MAX), Err(MoneyError::TooLarge));
        assert_eq!(fen(100).checked_add(fen(50)), Some(fen(150)));
        assert_eq!(Money::MAX.checked_add(fen(1)), None);
        assert_eq!(fen(100).checked_sub(fen(30)), Some(fen(70)));
        assert_eq!(fen(30).checked_sub(fen(100)), None);
        assert_eq!(Money::checked_sum([fen(1), fen(2), fen(3)]), Some(fen(6)));
        assert_eq!(Money::checked_sum([Money::MAX, fen(1)]), None);
        assert_eq!(Money::checked_sum([]), Some(Money::ZERO));
    }

    #[test]
    fn serde_is_a_decimal_string_of_yuan() {
        assert_eq!(serde_json::from_str::<Money>("\"123.45\"").unwrap(), fen(12_345));
        assert_eq!(serde_json::to_string(&fen(12_345)).unwrap(), "\"123.45\"");
        assert_eq!(serde_json::to_string(&fen(7)).unwrap(), "\"0.07\"");
        let err = serde_json::from_str::<Money>("\"-1\"").unwrap_err();
        assert!(err.to_string().contains("金额不能为负数"), "{err}");
        // A bare JSON number is a float somewhere along the way: refused.
        assert!(serde_json::from_str::<Money>("12.5").is_err());
        assert!(serde_json::from_str::<Money>("12345").is_err());
        assert!(serde_json::from_str::<Money>("\"12.345\"").is_err());
    }

    proptest! {
        #[test]
        fn display_yuan_round_trips(n in 0..=Money::MAX.fen()) {
            let m = fen(n);
            prop_assert_eq!(Money::parse_yuan(&m.display_yuan()).unwrap(), m);
            let plain = format!("{}.{:02}", n / 100, n % 100);
            prop_assert_eq!(Money::parse_yuan(&plain).unwrap(), m);
        }

        #[test]
        fn exact_wan_strings_parse(n in 0..=Money::MAX.fen()) {
            let exact = format!("{}.{:06}", n / FEN_PER_WAN, n % FEN_PER_WAN);
            prop_assert_eq!(Money::parse_wan(&exact).unwrap(), fen(n));
        }

        #[test]
        // Kept below MAX because rounding up near MAX yields an amount that
        // parse_wan rightly refuses; the top end is covered by a unit test.
        fn display_wan_is_within_half_a_hundredth(n in 0..=Money::MAX.fen() - 10_000) {
            let shown = Money::parse_wan(&fen(n).display_wan()).unwrap().fen();
            let diff = shown - n;
            // Half up: a remainder of exactly 5,000 fen rounds up, anything less rounds down.
            prop_assert!((-5_000 < diff) && (diff <= 5_000), "n={n} shown={shown}");
        }

        /// The API's form of an amount carries it exactly, there and back.
        #[test]
        fn json_round_trip_is_exact(n in 0..=Money::MAX.fen()) {
            let m = fen(n);
            let json = serde_json::to_string(&m).unwrap();
            prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        }

        /// Adding many amounts as Money never drifts from the exact integer sum, where the same amounts
        /// added as floats of yuan (what `f64` columns did) can.
        #[test]
        fn sums_do_not_drift(amounts in proptest::collection::vec(0..100_000_000_i64, 1..200)) {
            let exact: i64 = amounts.iter().sum();
            let money = Money::checked_sum(amounts.iter().map(|n| fen(*n))).unwrap();
            prop_assert_eq!(money.fen(), exact);
            let parsed = Money::parse_yuan(&money.decimal_yuan()).unwrap();
            prop_assert_eq!(parsed, money);
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,24}") {
            let _ = Money::parse_yuan(&s);
            let _ = Money::parse_wan(&s);
        }
    }
}
