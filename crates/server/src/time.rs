//! Times are stored in UTC and shown in China Standard Time as `2025-11-25 23:10:31` (90-quality usability).

use chrono::{DateTime, FixedOffset, Utc};

pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

pub fn display(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn shows_beijing_time() {
        let t = chrono::DateTime::parse_from_rfc3339("2025-11-25T15:10:31Z").unwrap().to_utc();
        assert_eq!(super::display(t), "2025-11-25 23:10:31");
    }
}
