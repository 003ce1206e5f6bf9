//! Exact decimal numbers of number fields (人数, 项数, 占比): parsed from the text typed into millionths, so
//! `0.1 + 0.2` is `0.3` and ranges compare exactly. Money has its own type, [`crate::Money`].

use std::fmt;

/// A decimal with at most six places, held as millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(i128);

const SCALE: i128 = 1_000_000;
pub const MAX_PLACES: u8 = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    Format,
    TooManyPlaces(u8),
    TooLarge,
}

impl Decimal {
    pub const ZERO: Decimal = Decimal(0);

    /// Parses `12`, `-3.5`, `１２．５` (full-width), with at most `places` decimals (trailing zeros allowed).
    pub fn parse(input: &str, places: u8) -> Result<Decimal, DecimalError> {
        let s: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '－' => '-',
                _ => c,
            })
            .collect();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(&s)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (digits.contains('.') && frac.is_empty())
        {
            return Err(DecimalError::Format);
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > places.min(MAX_PLACES) as usize {
            return Err(DecimalError::TooManyPlaces(places));
        }
        if int.trim_start_matches('0').len() > 18 {
            return Err(DecimalError::TooLarge);
        }
        let int_v: i128 = if int.is_empty() { 0 } else { int.parse().map_err(|_| DecimalError::Format)? };
        let mut frac_v: i128 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_v += i128::from(b - b'0') * 10_i128.pow(5 - i as u32);
        }
        let v = int_v * SCALE + frac_v;
        Ok(Decimal(if neg { -v } else { v }))
    }

    /// A JSON number of a schema (bounds are written by the designer, never computed): read via its text.
    pub fn from_json(n: &serde_json::Number) -> Option<Decimal> {
        Decimal::parse(&n.to_string(), MAX_PLACES).ok()
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_add(other.0).map(Decimal)
    }
}

impl fmt::Display for Decimal {
    /// The shortest exact text: `12`, `12.5`, `-0.25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let int = a / SCALE as u128;
        let frac = a % SCALE as u128;
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let s = format!("{frac:06}");
            write!(f, "{sign}{int}.{}", s.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(Decimal::parse("12", 0).unwrap().to_string(), "12");
        assert_eq!(Decimal::parse(" -3.50 ", 1).unwrap().to_string(), "-3.5");
        assert_eq!(Decimal::parse("１２．５", 2).unwrap().to_string(), "12.5");
        assert_eq!(Decimal::parse("0.1", 1).unwrap().checked_add(Decimal::parse("0.2", 1).unwrap()).unwrap().to_string(), "0.3");
        assert_eq!(Decimal::parse("1.25", 1), Err(DecimalError::TooManyPlaces(1)));
        assert_eq!(Decimal::parse("1.", 2), Err(DecimalError::Format));
        assert_eq!(Decimal::parse("", 2), Err(DecimalError::Format));
        assert_eq!(Decimal::parse("1e3", 2), Err(DecimalError::Format));
        assert_eq!(Decimal::parse("1,000", 2), Err(DecimalError::Format));
        assert!(Decimal::parse("2", 0).unwrap() > Decimal::parse("1.999", 3).unwrap());
    }
}
