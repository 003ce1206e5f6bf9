//! Administrative division codes (GB/T 2260, extended to towns by the NBS
//! statistical division codes).
//!
//! Structure, not existence, is checked here: `440399` parses even though no
//! such district exists, because the list of divisions changes every year and
//! lives in the server's reference data. What *is* guaranteed is that the
//! level and the ancestors of a code can be read off its digits, which is all
//! region-scoped authorization needs.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::{describe_char, fold_width};

/// First two digits of every province-level division in GB/T 2260, including
/// Taiwan (71), Hong Kong (81) and Macao (82). This list has not changed since
/// Chongqing (50) was created in 1997, so checking it here catches typos
/// without tying the crate to the yearly-changing full table.
const PROVINCE_PREFIXES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// The level of an administrative division.
///
/// Ordered from the coarsest (`Province`) to the finest (`Town`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    /// 省级: province, autonomous region, municipality (`xx0000`).
    Province,
    /// 地级: prefecture-level city, or a municipality's `市辖区` placeholder (`xxxx00`).
    City,
    /// 县级: district, county, county-level city (`xxxxxx`, last two digits not `00`).
    District,
    /// 乡级: town, township, sub-district (街道); 9 digits.
    Town,
}

impl RegionLevel {
    /// The serialized name: `"province"`, `"city"`, `"district"` or `"town"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::District => "district",
            RegionLevel::Town => "town",
        }
    }

    /// Chinese name of the level, for display.
    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "市级",
            RegionLevel::District => "县级",
            RegionLevel::Town => "乡镇（街道）级",
        }
    }

    /// Number of leading digits that identify a division of this level; a
    /// code lies within a division exactly when it starts with that prefix.
    fn prefix_len(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::District => 6,
            RegionLevel::Town => 9,
        }
    }
}

/// Why a string is not a region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("请输入行政区划代码")]
    Empty,
    #[error("行政区划代码只能包含数字，不能包含{}", describe_char(*.0))]
    InvalidChar(char),
    #[error("行政区划代码须为6位（省、市、县级）或9位（乡镇、街道级）数字，当前为{0}位")]
    Length(usize),
    #[error("行政区划代码前两位“{0}”不是有效的省级代码")]
    UnknownProvince(String),
    /// Digits that no division can have, such as `440012` (a county directly
    /// under a province without a city segment) or `440000001` (a town
    /// directly under a province).
    #[error("行政区划代码“{0}”的层级结构不正确")]
    Malformed(String),
}

impl RegionCodeError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            RegionCodeError::Empty => "region_empty",
            RegionCodeError::InvalidChar(_) => "region_invalid_char",
            RegionCodeError::Length(_) => "region_length",
            RegionCodeError::UnknownProvince(_) => "region_unknown_province",
            RegionCodeError::Malformed(_) => "region_malformed",
        }
    }
}

/// A structurally valid administrative division code.
///
/// 6 digits for province (`440000`), city (`440300`) and district/county
/// (`440305`); 9 digits for towns and sub-districts (`440305001`, the first 9
/// digits of the NBS 12-digit statistical code).
///
/// Serialized as its digit string. `Copy` because it is small and passed
/// around constantly in authorization checks.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode {
    digits: [u8; 9],
    len: u8,
}

impl RegionCode {
    /// Parses a 6- or 9-digit code. Surrounding whitespace and full-width
    /// digits are accepted.
    pub fn parse(input: &str) -> Result<Self, RegionCodeError> {
        let s = fold_width(input);
        if s.is_empty() {
            return Err(RegionCodeError::Empty);
        }
        if let Some(c) = s.chars().find(|c| !c.is_ascii_digit()) {
            return Err(RegionCodeError::InvalidChar(c));
        }
        // Only ASCII digits remain, so bytes == chars.
        let len = s.len();
        if len != 6 && len != 9 {
            return Err(RegionCodeError::Length(len));
        }
        let province = &s[0..2];
        if !PROVINCE_PREFIXES.contains(&province) {
            return Err(RegionCodeError::UnknownProvince(province.to_owned()));
        }
        let city_part = &s[2..4];
        let county_part = &s[4..6];
        // A county must hang off a city segment, and a town must hang off a
        // county or a city (see `parent`), never off a bare province.
        let malformed = city_part == "00" && (county_part != "00" || len == 9);
        if malformed {
            return Err(RegionCodeError::Malformed(s));
        }
        let mut digits = [0u8; 9];
        digits[..len].copy_from_slice(s.as_bytes());
        Ok(RegionCode {
            digits,
            len: len as u8,
        })
    }

    /// The code as a digit string, e.g. `"440305"`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[..self.len as usize])
            .expect("RegionCode holds only ASCII digits")
    }

    pub fn level(&self) -> RegionLevel {
        let s = self.as_str();
        if s.len() == 9 {
            RegionLevel::Town
        } else if &s[2..6] == "0000" {
            RegionLevel::Province
        } else if &s[4..6] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::District
        }
    }

    /// The immediately enclosing division, or `None` for a province.
    ///
    /// - city `440300` → province `440000`
    /// - district `440305` → city `440300`; a municipality's district
    ///   `110101` → `110100` (the `市辖区` placeholder), and a county-level
    ///   city directly administered by its province, e.g. Xiantao `429004`,
    ///   → `429000` (the `省直辖县级行政区划` placeholder)
    /// - town → its first six digits. That is normally the district/county,
    ///   but a few prefecture-level cities have no counties and administer
    ///   towns directly — Dongguan `441900`, Zhongshan `442000`, Danzhou
    ///   `460400` — so the town `442000001` (石岐街道) has the *city* `442000`
    ///   as its parent. Callers must not assume a town's parent is a district.
    pub fn parent(&self) -> Option<RegionCode> {
        let s = self.as_str();
        let parent = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::City => format!("{}0000", &s[..2]),
            RegionLevel::District => format!("{}00", &s[..4]),
            RegionLevel::Town => s[..6].to_owned(),
        };
        Some(RegionCode::parse(&parent).expect("the parent of a valid code is valid"))
    }

    /// All enclosing divisions, nearest first, ending with the province.
    pub fn ancestors(&self) -> Vec<RegionCode> {
        std::iter::successors(self.parent(), RegionCode::parent).collect()
    }

    /// The province this code belongs to (itself for a province).
    pub fn province(&self) -> RegionCode {
        self.ancestors().last().copied().unwrap_or(*self)
    }

    /// Whether `self` lies within `other`, i.e. whether an official scoped to
    /// `other` may see records located at `self`. Reflexive: every code is
    /// within itself.
    ///
    /// A city official (`440300`) sees the city, its districts (`440305`) and
    /// their towns (`440305001`); a Dongguan official (`441900`) sees
    /// Dongguan's towns (`441900003`). Nobody below province level sees a
    /// sibling.
    pub fn is_within(&self, other: &RegionCode) -> bool {
        self.as_str().starts_with(other.scope_prefix())
    }

    /// The leading digits shared by every code within this one: `"44"` for
    /// `440000`, `"4403"` for `440300`, `"440305"` for `440305`, all nine
    /// digits for a town. Meant for `LIKE 'prefix%'` queries that must agree
    /// with [`RegionCode::is_within`].
    pub fn scope_prefix(&self) -> &str {
        &self.as_str()[..self.level().prefix_len()]
    }
}

impl Ord for RegionCode {
    // Digit-string order, so a division sorts directly before its contents.
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RegionCode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({})", self.as_str())
    }
}

impl FromStr for RegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl TryFrom<&str> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        RegionCode::parse(s)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn levels() {
        assert_eq!(rc("440000").level(), RegionLevel::Province);
        assert_eq!(rc("440300").level(), RegionLevel::City);
        assert_eq!(rc("440305").level(), RegionLevel::District);
        assert_eq!(rc("440305001").level(), RegionLevel::Town);
        assert_eq!(rc("110100").level(), RegionLevel::City);
        assert_eq!(rc("110101").level(), RegionLevel::District);
        assert_eq!(rc("441900").level(), RegionLevel::City);
        assert_eq!(rc("429004").level(), RegionLevel::District);
    }

    #[test]
    fn parents() {
        assert_eq!(rc("440000").parent(), None);
        assert_eq!(rc("440300").parent(), Some(rc("440000")));
        assert_eq!(rc("440305").parent(), Some(rc("440300")));
        assert_eq!(rc("440305001").parent(), Some(rc("440305")));
        assert_eq!(rc("110101").parent(), Some(rc("110100")));
        assert_eq!(rc("110101001").parent(), Some(rc("110101")));
        assert_eq!(rc("429004").parent(), Some(rc("429000")));
    }

    #[test]
    fn towns_directly_under_a_city_have_the_city_as_parent() {
        // Zhongshan 石岐街道, Dongguan 东城街道, Danzhou 那大镇.
        for (town, city) in [
            ("442000001", "442000"),
            ("441900003", "441900"),
            ("460400100", "460400"),
        ] {
            let parent = rc(town).parent().unwrap();
            assert_eq!(parent, rc(city));
            assert_eq!(parent.level(), RegionLevel::City);
            assert_eq!(parent.parent(), Some(rc(&format!("{}0000", &city[..2]))));
        }
    }

    #[test]
    fn ancestors_and_province() {
        assert_eq!(
            rc("440305001").ancestors(),
            vec![rc("440305"), rc("440300"), rc("440000")]
        );
        assert_eq!(
            rc("442000001").ancestors(),
            vec![rc("442000"), rc("440000")]
        );
        assert_eq!(rc("440000").ancestors(), vec![]);
        assert_eq!(rc("440305001").province(), rc("440000"));
        assert_eq!(rc("440000").province(), rc("440000"));
    }

    #[test]
    fn within() {
        let gd = rc("440000");
        let sz = rc("440300");
        let nanshan = rc("440305");
        let town = rc("440305001");
        assert!(town.is_within(&nanshan) && town.is_within(&sz) && town.is_within(&gd));
        assert!(nanshan.is_within(&sz) && sz.is_within(&gd));
        assert!(sz.is_within(&sz));
        assert!(!sz.is_within(&nanshan));
        assert!(!gd.is_within(&sz));
        assert!(!rc("440306").is_within(&nanshan));
        assert!(!rc("440400").is_within(&sz));
        assert!(!rc("450300").is_within(&gd));
        assert!(rc("441900003").is_within(&rc("441900")));
        assert!(!rc("441900003").is_within(&rc("442000")));
        // A town is not "within" a sibling town that shares a county prefix.
        assert!(!rc("440305002").is_within(&town));
    }

    #[test]
    fn scope_prefixes() {
        assert_eq!(rc("440000").scope_prefix(), "44");
        assert_eq!(rc("440300").scope_prefix(), "4403");
        assert_eq!(rc("440305").scope_prefix(), "440305");
        assert_eq!(rc("441900").scope_prefix(), "4419");
        assert_eq!(rc("440305001").scope_prefix(), "440305001");
    }

    #[test]
    fn accepts_spaces_and_full_width_digits() {
        assert_eq!(rc(" 440305 "), rc("440305"));
        assert_eq!(rc("４４０３０５"), rc("440305"));
    }

    #[test]
    fn errors() {
        let err = |s: &str| RegionCode::parse(s).unwrap_err();
        assert_eq!(err("").code(), "region_empty");
        assert_eq!(err("   ").code(), "region_empty");
        assert_eq!(err("44030a"), RegionCodeError::InvalidChar('a'));
        assert_eq!(err("440 305"), RegionCodeError::InvalidChar(' '));
        assert_eq!(err("4403"), RegionCodeError::Length(4));
        assert_eq!(err("440305001001").code(), "region_length");
        assert_eq!(err("990000"), RegionCodeError::UnknownProvince("99".into()));
        assert_eq!(err("000000").code(), "region_unknown_province");
        assert_eq!(err("440012").code(), "region_malformed");
        assert_eq!(err("440000001").code(), "region_malformed");
        assert_eq!(err("440012001").code(), "region_malformed");
    }

    #[test]
    fn error_messages_are_chinese_and_specific() {
        assert_eq!(
            RegionCode::parse("").unwrap_err().to_string(),
            "请输入行政区划代码"
        );
        assert_eq!(
            RegionCode::parse("4403").unwrap_err().to_string(),
            "行政区划代码须为6位（省、市、县级）或9位（乡镇、街道级）数字，当前为4位"
        );
        assert_eq!(
            RegionCode::parse("44x305").unwrap_err().to_string(),
            "行政区划代码只能包含数字，不能包含“x”"
        );
        assert_eq!(
            RegionCode::parse("990000").unwrap_err().to_string(),
            "行政区划代码前两位“99”不是有效的省级代码"
        );
    }

    #[test]
    fn ordering_puts_a_division_before_its_contents() {
        let mut v = vec![rc("440306"), rc("440305001"), rc("440305"), rc("440300")];
        v.sort();
        assert_eq!(
            v,
            vec![rc("440300"), rc("440305"), rc("440305001"), rc("440306")]
        );
    }

    #[test]
    fn serde_round_trip_and_rejects_invalid() {
        let json = serde_json::to_string(&rc("440305001")).unwrap();
        assert_eq!(json, "\"440305001\"");
        assert_eq!(
            serde_json::from_str::<RegionCode>(&json).unwrap(),
            rc("440305001")
        );
        let err = serde_json::from_str::<RegionCode>("\"440012\"").unwrap_err();
        assert!(err.to_string().contains("层级结构不正确"), "{err}");
        assert_eq!(
            serde_json::to_string(&RegionLevel::District).unwrap(),
            "\"district\""
        );
        assert_eq!(
            serde_json::from_str::<RegionLevel>("\"town\"").unwrap(),
            RegionLevel::Town
        );
    }

    #[test]
    fn level_names() {
        for level in [
            RegionLevel::Province,
            RegionLevel::City,
            RegionLevel::District,
            RegionLevel::Town,
        ] {
            let json = serde_json::to_string(&level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.as_str()));
        }
        assert!(RegionLevel::Province < RegionLevel::Town);
    }

    fn two_digits_nonzero() -> impl Strategy<Value = String> {
        (1u8..=99).prop_map(|n| format!("{n:02}"))
    }

    /// Any structurally valid code, at any level.
    fn valid_code() -> impl Strategy<Value = String> {
        let province = prop::sample::select(PROVINCE_PREFIXES.to_vec());
        (
            province,
            two_digits_nonzero(),
            0u8..=99,
            prop::option::of(0u16..=999),
            0u8..4,
        )
            .prop_map(|(p, c, d, town, level)| match level {
                0 => format!("{p}0000"),
                1 => format!("{p}{c}00"),
                2 => format!("{p}{c}{:02}", d.max(1)),
                // d may be 0: towns directly under a city.
                _ => format!("{p}{c}{d:02}{:03}", town.unwrap_or(1)),
            })
    }

    proptest! {
        #[test]
        fn valid_codes_round_trip(s in valid_code()) {
            let code = RegionCode::parse(&s).unwrap();
            prop_assert_eq!(code.as_str(), s.as_str());
            prop_assert_eq!(RegionCode::parse(&code.to_string()).unwrap(), code);
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<RegionCode>(&json).unwrap(), code);
        }

        #[test]
        fn a_code_is_within_all_its_ancestors_and_they_get_coarser(s in valid_code()) {
            let code = RegionCode::parse(&s).unwrap();
            prop_assert!(code.is_within(&code));
            let mut child = code;
            for ancestor in code.ancestors() {
                prop_assert!(code.is_within(&ancestor));
                prop_assert!(ancestor.level() < child.level());
                prop_assert!(!ancestor.is_within(&child));
                child = ancestor;
            }
            prop_assert_eq!(child.level(), RegionLevel::Province);
        }

        #[test]
        fn within_agrees_with_ancestry(a in valid_code(), b in valid_code()) {
            let a = RegionCode::parse(&a).unwrap();
            let b = RegionCode::parse(&b).unwrap();
            let by_ancestry = a == b || a.ancestors().contains(&b);
            prop_assert_eq!(a.is_within(&b), by_ancestry);
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC{0,12}") {
            let _ = RegionCode::parse(&s);
        }
    }
}
