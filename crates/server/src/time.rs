//! Times are stored in UTC. The API sends them as RFC 3339 with the China offset
//! (`2025-11-25T23:10:31+08:00`), an unambiguous instant the web formats for people in zh-CN, Asia/Shanghai;
//! documents (PDF, Excel, notice texts) show China Standard Time as `2025-11-25 23:10:31` (90-quality
//! usability).

use std::sync::{Arc, RwLock};

use chrono::{DateTime, FixedOffset, Utc};

/// The server's clock for rules that depend on the date a person acts (项目入库开放时段). The system's time,
/// unless frozen: tests freeze it to stand before, inside and after a window without waiting for one.
#[derive(Debug, Clone, Default)]
pub struct Clock(Arc<RwLock<Option<DateTime<Utc>>>>);

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        self.0.read().ok().and_then(|t| *t).unwrap_or_else(Utc::now)
    }

    /// Stops the clock at `t` (`None`: runs again). Only tests call it; nothing reaches it over HTTP.
    pub fn freeze(&self, t: Option<DateTime<Utc>>) {
        if let Ok(mut held) = self.0.write() {
            *held = t;
        }
    }
}

pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// An instant as the API sends it: RFC 3339 with the +08:00 offset, e.g. `2025-11-25T23:10:31+08:00`
/// (OpenAPI `string`, `format: date-time`; the web parses it as an instant, whatever the browser's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema)]
#[schema(value_type = String, format = DateTime, example = "2025-11-25T23:10:31+08:00")]
pub struct ApiTime(DateTime<FixedOffset>);

/// `t` for the API.
pub fn api(t: DateTime<Utc>) -> ApiTime {
    ApiTime(t.with_timezone(&china()))
}

impl ApiTime {
    /// The same instant for a document a person reads.
    pub fn display(self) -> String {
        self.0.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// `t` for a document a person reads (PDF, Excel, a notice's text).
pub fn display(t: DateTime<Utc>) -> String {
    t.with_timezone(&china()).format("%Y-%m-%d %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn shows_beijing_time() {
        let t = chrono::DateTime::parse_from_rfc3339("2025-11-25T15:10:31Z").unwrap().to_utc();
        assert_eq!(super::display(t), "2025-11-25 23:10:31");
        assert_eq!(serde_json::to_value(super::api(t)).unwrap(), "2025-11-25T23:10:31+08:00");
    }
}
