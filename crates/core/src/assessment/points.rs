//! Exact, non-negative scores.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Add;

use serde::{Serialize, Serializer};

/// A non-negative score kept as an exact, reduced fraction.
///
/// Option scores in the data are multiples of 0.001 (milli-points), but the
/// equal-split weighting gives 10/14 per ticked area on Q4, which no decimal
/// holds exactly; so scores are fractions, added and compared without any
/// rounding. Rounding happens only when a score is shown
/// ([`Points::display_2dp`], [`Points::display_trimmed`]), and level
/// thresholds are compared on the unrounded value.
///
/// Denominators stay small: every score of a validated edition divides
/// `1000 × lcm(1..=26)` (at most 26 options per question), so sums of them
/// fit in `u64` with room to spare.
///
/// Serialized as a JSON number (an integer when whole, else the nearest
/// `f64`), for charts and API clients; the exact value is always
/// recomputable from the answers.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Points {
    num: u64,
    den: u64,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Points {
    pub const ZERO: Points = Points { num: 0, den: 1 };

    /// `num / den`, reduced. Panics if `den` is zero or the reduced fraction
    /// does not fit in `u64` (impossible for scores of a validated edition).
    pub(crate) fn ratio(num: u128, den: u128) -> Points {
        assert!(den != 0, "Points with zero denominator");
        let g = gcd(num, den).max(1);
        let (num, den) = (num / g, den / g);
        Points {
            num: u64::try_from(num).expect("score numerator fits in u64"),
            den: u64::try_from(den).expect("score denominator fits in u64"),
        }
    }

    /// Whole points.
    pub fn from_int(points: u32) -> Points {
        Points {
            num: u64::from(points),
            den: 1,
        }
    }

    /// Thousandths of a point: `from_milli(875)` is 0.875.
    pub fn from_milli(milli: u64) -> Points {
        Points::ratio(u128::from(milli), 1000)
    }

    /// The reduced numerator.
    pub fn numer(self) -> u64 {
        self.num
    }

    /// The reduced denominator (≥ 1).
    pub fn denom(self) -> u64 {
        self.den
    }

    /// `self × n / d`. Panics if `d` is zero.
    pub(crate) fn mul_ratio(self, n: u64, d: u64) -> Points {
        Points::ratio(
            u128::from(self.num) * u128::from(n),
            u128::from(self.den) * u128::from(d),
        )
    }

    /// `self − other`, or `None` if that would be negative.
    pub fn checked_sub(self, other: Points) -> Option<Points> {
        let a = u128::from(self.num) * u128::from(other.den);
        let b = u128::from(other.num) * u128::from(self.den);
        let den = u128::from(self.den) * u128::from(other.den);
        a.checked_sub(b).map(|n| Points::ratio(n, den))
    }

    /// The nearest `f64`, for charts. Never use it for comparisons.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Hundredths of a point, rounded half up (half away from zero; scores
    /// are never negative).
    pub fn hundredths(self) -> u64 {
        let num = u128::from(self.num) * 200 + u128::from(self.den);
        let hundredths = num / (2 * u128::from(self.den));
        u64::try_from(hundredths).expect("score fits in u64 hundredths")
    }

    /// Two decimals, rounded half up: `"25.46"`, `"10.00"`. The format of
    /// score columns and tables.
    pub fn display_2dp(self) -> String {
        let h = self.hundredths();
        format!("{}.{:02}", h / 100, h % 100)
    }

    /// Rounded to two decimals like [`Points::display_2dp`], then trailing
    /// zeros dropped: `"25.46"`, `"13.5"`, `"10"`. The form of the manual's
    /// result sentence ("数字化成效得分为 10 分").
    pub fn display_trimmed(self) -> String {
        let s = self.display_2dp();
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

impl Default for Points {
    fn default() -> Self {
        Points::ZERO
    }
}

impl Add for Points {
    type Output = Points;

    fn add(self, other: Points) -> Points {
        Points::ratio(
            u128::from(self.num) * u128::from(other.den)
                + u128::from(other.num) * u128::from(self.den),
            u128::from(self.den) * u128::from(other.den),
        )
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Add::add)
    }
}

impl Ord for Points {
    fn cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.num) * u128::from(other.den))
            .cmp(&(u128::from(other.num) * u128::from(self.den)))
    }
}

impl PartialOrd for Points {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Two decimals, as [`Points::display_2dp`].
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_2dp())
    }
}

impl fmt::Debug for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "Points({})", self.num)
        } else {
            write!(f, "Points({}/{} ≈ {})", self.num, self.den, self.to_f64())
        }
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.den == 1 {
            serializer.serialize_u64(self.num)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

/// Converts a JSON number of the data file to thousandths, refusing
/// negatives, non-finite values and more than three decimals (beyond the
/// float artefacts such as `0.7000000000000001` the platform stores).
pub(crate) fn to_milli(x: f64) -> Option<u64> {
    if !(0.0..=1e12).contains(&x) {
        return None;
    }
    let scaled = x * 1000.0;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > 1e-6 * rounded.max(1.0) {
        return None;
    }
    // In range by the checks above.
    Some(rounded as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sums_without_drift() {
        let seven_tenths = Points::from_milli(700);
        let sum: Points = std::iter::repeat_n(seven_tenths, 13).sum();
        assert_eq!(sum, Points::from_milli(9100));
        assert_eq!(sum + Points::from_milli(900), Points::from_int(10));
        // 0.1 + 0.2 == 0.3, unlike f64.
        assert_eq!(
            Points::from_milli(100) + Points::from_milli(200),
            Points::from_milli(300)
        );
    }

    #[test]
    fn equal_split_fractions() {
        let per_area = Points::from_int(10).mul_ratio(1, 14);
        assert_eq!((per_area.numer(), per_area.denom()), (5, 7));
        let all: Points = std::iter::repeat_n(per_area, 14).sum();
        assert_eq!(all, Points::from_int(10));
    }

    #[test]
    fn ordering_is_exact() {
        let a = Points::ratio(39_995, 1000);
        assert!(a < Points::from_int(40));
        assert!(Points::from_int(40) <= Points::from_int(40));
        assert!(Points::ratio(1, 3) > Points::from_milli(333));
    }

    #[test]
    fn rounding_half_up_and_trimming() {
        assert_eq!(Points::from_milli(13_875).display_2dp(), "13.88");
        assert_eq!(Points::from_milli(13_874).display_2dp(), "13.87");
        assert_eq!(Points::ratio(39_995, 1000).display_2dp(), "40.00");
        assert_eq!(Points::ratio(39_995, 1000).display_trimmed(), "40");
        assert_eq!(Points::from_int(10).display_2dp(), "10.00");
        assert_eq!(Points::from_int(10).display_trimmed(), "10");
        assert_eq!(Points::from_milli(13_500).display_trimmed(), "13.5");
        assert_eq!(Points::from_milli(100).display_trimmed(), "0.1");
        assert_eq!(Points::ZERO.display_trimmed(), "0");
        assert_eq!(Points::ZERO.display_2dp(), "0.00");
        // 25 + 13/28 = 25.4642857…
        assert_eq!(Points::ratio(713, 28).display_2dp(), "25.46");
        assert_eq!(Points::from_int(40).to_string(), "40.00");
    }

    #[test]
    fn checked_sub_refuses_negative() {
        assert_eq!(
            Points::from_int(1).checked_sub(Points::from_milli(250)),
            Some(Points::from_milli(750))
        );
        assert_eq!(Points::ZERO.checked_sub(Points::from_milli(1)), None);
    }

    #[test]
    fn milli_conversion() {
        assert_eq!(to_milli(0.7000000000000001), Some(700));
        assert_eq!(to_milli(0.8999999999999999), Some(900));
        assert_eq!(to_milli(1.875), Some(1875));
        assert_eq!(to_milli(5.625), Some(5625));
        assert_eq!(to_milli(100.0), Some(100_000));
        assert_eq!(to_milli(0.0001), None);
        assert_eq!(to_milli(-1.0), None);
        assert_eq!(to_milli(f64::NAN), None);
        assert_eq!(to_milli(f64::INFINITY), None);
    }

    #[test]
    fn serializes_as_number() {
        assert_eq!(serde_json::to_string(&Points::from_int(10)).unwrap(), "10");
        assert_eq!(
            serde_json::to_string(&Points::from_milli(1875)).unwrap(),
            "1.875"
        );
    }
}
